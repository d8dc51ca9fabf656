//! No content makes gongwen panic: arbitrary Unicode in every text field
//! goes through `check` and `build` and comes back as a result or a located
//! error, never as an internal error (a caught panic).

use crate::common::*;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn map(pairs: &[(&str, Value)]) -> Value {
    let mut m = Mapping::new();
    for (k, v) in pairs {
        m.insert(s(k), v.clone());
    }
    Value::Mapping(m)
}

/// A notice with `t` in every text field the format has.
fn notice_with(t: &str) -> String {
    let text = s(t);
    let table = map(&[
        ("列", Value::Sequence(vec![text.clone(), s("数量")])),
        (
            "行",
            Value::Sequence(vec![Value::Sequence(vec![text.clone(), text.clone()])]),
        ),
    ]);
    let body = Value::Sequence(vec![
        text.clone(),
        map(&[
            ("标题", text.clone()),
            ("内容", Value::Sequence(vec![text.clone()])),
        ]),
        map(&[
            ("事项", text.clone()),
            ("说明", text.clone()),
            ("责任部门", text.clone()),
        ]),
        map(&[("表格", table.clone())]),
        text.clone(),
    ]);
    let notice = map(&[
        ("份号", s("000001")),
        ("密级", s("秘密")),
        ("紧急程度", s("特急")),
        (
            "发文机关标志",
            map(&[
                ("机关", Value::Sequence(vec![text.clone(), text.clone()])),
                ("后缀", s("文件")),
            ]),
        ),
        ("发文字号", s("某发〔2019〕1号")),
        ("签发人", Value::Sequence(vec![text.clone()])),
        ("标题", text.clone()),
        ("主送机关", text.clone()),
        ("正文", body.clone()),
        (
            "附件",
            Value::Sequence(vec![map(&[
                ("标题", text.clone()),
                ("名称", text.clone()),
                ("填报栏", Value::Sequence(vec![s("填报单位"), text.clone()])),
                ("表格", table),
                ("正文", Value::Sequence(vec![text.clone()])),
            ])]),
        ),
        (
            "发文机关署名",
            Value::Sequence(vec![text.clone(), text.clone()]),
        ),
        ("成文日期", s("2019-03-07")),
        ("附注", text.clone()),
        (
            "印发文件",
            Value::Sequence(vec![map(&[("标题", text.clone()), ("正文", body)])]),
        ),
        (
            "版记",
            map(&[
                ("抄送机关", text.clone()),
                ("印发机关", text.clone()),
                ("印发日期", s("2019-03-07")),
            ]),
        ),
    ]);
    serde_yaml::to_string(&notice).unwrap()
}

/// Check and build `yaml`; an internal error is the only failure.
fn survives(yaml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let project = match gongwen::Project::load(dir.path()) {
        Ok(p) => p,
        Err(gongwen::Error::Content(_)) => return Ok(()),
        Err(e) => return Err(format!("load: {e}")),
    };
    let findings = gongwen::check(engine(), &project);
    if let Some(f) = findings.iter().find(|f| f.rule == "内部错误") {
        return Err(format!("check: {f}"));
    }
    match gongwen::build(engine(), &project) {
        Err(e @ gongwen::Error::Internal { .. }) => Err(format!("build: {e}")),
        _ => Ok(()),
    }
}

/// Text the bundled faces can print: CJK, ASCII, full-width marks, spaces.
fn printable() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "公",
        "文",
        "、",
        "，",
        "。",
        "：",
        "“",
        "”",
        "（",
        "）",
        "《",
        "》",
        "—",
        "…",
        "\u{3000}",
        "1",
        "、",
        "2019",
        "a",
        "Z",
        " ",
        "#",
        "[",
        "]",
        "$",
        "\\",
        "/",
        "*",
        "_",
        "-",
        ".",
        "\n",
        "一是",
        "（一）",
        "1.",
        "第一条",
        "〔2019〕",
    ]);
    prop::collection::vec(pieces, 1..16).prop_map(|v| format!("甲{}", v.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]
    /// Any Unicode at all: checked without a panic (most of it cannot be
    /// printed, which the glyph check reports).
    #[test]
    fn arbitrary_text_in_every_field_never_panics(text in "\\PC{0,24}") {
        prop_assert_eq!(survives(&notice_with(&text)), Ok(()));
    }

    /// Printable text, marks and markup look-alikes in every field: the
    /// notice builds.
    #[test]
    fn printable_text_in_every_field_builds(text in printable()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("公文.yaml"), notice_with(&text)).unwrap();
        let project = gongwen::Project::load(dir.path()).unwrap();
        let built = gongwen::build(engine(), &project);
        prop_assert!(built.is_ok(), "{:?}: {}", text, built.err().unwrap());
        // And the same pages as OFD, read back by an independent reader.
        let meta = gongwen::output::Meta { title: text.clone(), author: text.clone(), date: project.notice.date, archive: true, particulars: vec![("发文字号", text.clone())] };
        let ofd = gongwen::output::ofd::ofd(&built.unwrap().doc, &meta);
        prop_assert!(ofd.is_ok(), "{:?}", text);
        let ofd = ofd.unwrap();
        prop_assert!(easyofd_reader::OfdReader::from_bytes(&ofd).is_ok(), "{:?}", text);
    }
}

#[test]
fn texts_that_broke_slicing_never_panic() {
    // Numbers followed by a three-byte mark (the "1、" crash), lone marks,
    // combining characters, control and private-use characters.
    for t in [
        "1、", "12、甲", "1.", "（1", "一、", "十是", "\u{301}", "\u{0}", "\u{e000}", "、",
        "1、1、",
    ] {
        assert_eq!(survives(&notice_with(t)), Ok(()), "{t:?}");
    }
}
