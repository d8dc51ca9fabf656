//! Any text comes out as written: nothing a user types is interpreted as
//! Typst markup or code, and Typst cannot read outside the content folder.

use crate::common::*;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// A notice whose title, paragraph, item, table cell and unit-like 填报单位
/// all carry `text`.
fn notice_with(text: &str) -> String {
    let mut m = Mapping::new();
    m.insert(s("发文机关标志"), s("某局文件"));
    m.insert(s("标题"), s(text));
    let mut item = Mapping::new();
    item.insert(s("事项"), s(text));
    item.insert(s("说明"), s(text));
    item.insert(s("责任部门"), s(text));
    let mut table = Mapping::new();
    // One column, so that wrapped cells cannot interleave in reading order.
    table.insert(s("列"), Value::Sequence(vec![s(text)]));
    table.insert(
        s("行"),
        Value::Sequence(vec![Value::Sequence(vec![s(text)])]),
    );
    let mut tb = Mapping::new();
    tb.insert(s("表格"), Value::Mapping(table));
    m.insert(
        s("正文"),
        Value::Sequence(vec![s(text), Value::Mapping(item), Value::Mapping(tb)]),
    );
    m.insert(s("发文机关署名"), s(text));
    m.insert(s("成文日期"), s("2019-03-07"));
    serde_yaml::to_string(&Value::Mapping(m)).unwrap()
}

fn typeset(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    squeeze(&layout(&build_dir(dir.path()).doc).text())
}

/// Strings rich in what Typst gives meaning to, at any position.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#",
        "$",
        "*",
        "_",
        "`",
        "<",
        ">",
        "@",
        "[",
        "]",
        "\\",
        "/",
        "~",
        "=",
        "-",
        "+",
        "'",
        "\"",
        ":",
        ".",
        "//",
        "/*",
        "*/",
        "--",
        "---",
        "...",
        "-1",
        "= ",
        "- ",
        "+ ",
        "/ ",
        "1. ",
        "http://a.b/c",
        "#let x = 1",
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "<lbl>",
        "@ref",
        "\\u{41}",
        "{",
        "}",
        "(",
        ")",
        "公文",
        "3·15",
        "“引号”",
        "（括号）",
        "a",
        "Z",
        "9",
        " ",
    ]);
    prop::collection::vec(pieces, 1..12).prop_map(|v| v.concat())
}

/// The canonical form made by `distribute` for a unit named `name`, as text.
fn form_for(name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.yaml");
    // serde_yaml writes the name so that YAML reads it back exactly.
    let list = serde_yaml::to_string(&serde_yaml::Mapping::from_iter([(
        "单位".into(),
        serde_yaml::Value::Sequence(vec![serde_yaml::Value::Mapping(
            serde_yaml::Mapping::from_iter([
                ("编号".into(), "x".into()),
                ("名称".into(), name.into()),
            ]),
        )]),
    )]))
    .unwrap();
    std::fs::write(&units, list).unwrap();
    let opts = gongwen::forms::Options {
        units: Some(units),
        ..Default::default()
    };
    let out = dir.path().join("out");
    let report = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let pdf = report
        .out
        .files
        .iter()
        .find(|p| p.starts_with(report.out.dir.join("填报表")))
        .expect("the unit's form");
    squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn hostile_text_comes_out_verbatim_in_every_field(text in hostile()) {
        prop_assume!(!text.trim().is_empty());
        let got = typeset(&notice_with(&text));
        let want = squeeze(&text);
        // Title, paragraph, item (lead, text, departments), table header and cell, signature.
        let count = got.matches(&want).count();
        prop_assert!(count >= 7, "{want:?} found {count} times in {got:?}");
        prop_assert!(!got.contains("root:"), "file contents leaked");
        // And as a unit's name on its form.
        // (A long name wraps beside 填报日期, which then reads in between.)
        let form = form_for(&text).replace("填报日期：", "");
        prop_assert!(form.contains(&format!("填报单位：{want}")), "unit name {want:?} not in {form:?}");
    }
}

#[test]
fn markup_lookalikes_stay_literal() {
    let text = "#set page(width: 1cm) *粗体* _斜体_ $x$ <a> @b // 注释 /* 块 */ = 标题 - 列表 + 编号 1. 项 \\ 反斜杠";
    let got = typeset(&notice_with(text));
    assert!(got.contains(&squeeze(text)), "{got}");
}

#[test]
fn typst_cannot_read_outside_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir_all(content.join("templates")).unwrap();
    std::fs::copy(canonical_dir().join("公文.yaml"), content.join("公文.yaml")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "秘密").unwrap();
    std::fs::write(content.join("inside.txt"), "内部").unwrap();
    let base = include_str!("../templates/gongwen.typ");
    for (path, ok) in [
        ("/etc/passwd", false),
        ("../secret.txt", false),
        ("/../secret.txt", false),
        ("/inside.txt", true),
        // Relative paths resolve beside the library, in gongwen's own space.
        ("inside.txt", false),
    ] {
        // An office's layout override that tries to read a file.
        let lib = format!("{base}\n#let leak = read(\"{path}\")\n");
        std::fs::write(content.join("templates/gongwen.typ"), lib).unwrap();
        let project = gongwen::Project::load(&content).unwrap();
        let result = gongwen::build(engine(), &project);
        assert_eq!(
            result.is_ok(),
            ok,
            "{path}: {:?}",
            result.err().map(|e| e.to_string())
        );
    }
    // A link inside the folder that points outside is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), content.join("link.txt"))
            .unwrap();
        let lib = format!("{base}\n#let leak = read(\"/link.txt\")\n");
        std::fs::write(content.join("templates/gongwen.typ"), lib).unwrap();
        let project = gongwen::Project::load(&content).unwrap();
        assert!(gongwen::build(engine(), &project).is_err());
    }
    // And packages are not available.
    let lib = format!("{base}\n#import \"@preview/example:0.1.0\": *\n");
    std::fs::write(content.join("templates/gongwen.typ"), lib).unwrap();
    let project = gongwen::Project::load(&content).unwrap();
    let err = gongwen::build(engine(), &project)
        .err()
        .expect("package import must fail")
        .to_string();
    assert!(err.contains("包") || err.contains("package"), "{err}");
}
