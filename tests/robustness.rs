//! Robustness: glyph fallback, one bad unit failing alone, hostile unit
//! names, a 1,000-row table and a 60-page document.

use crate::common::*;

fn build_yaml(yaml: &str) -> gongwen::Built {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    build_dir(dir.path())
}

const HEAD: &str =
    "发文机关标志: 某局文件\n标题: 关于某事的通知\n发文机关署名: 某局\n成文日期: 2019-03-07\n";

#[test]
fn a_character_missing_from_its_face_falls_back_to_another_bundled_face() {
    // U+3021 〡 is in FandolSong but not in FandolFang (the body face).
    let built = build_yaml(&format!("{HEAD}正文:\n  - 苏州码子〡号\n"));
    assert!(
        built
            .findings
            .iter()
            .any(|w| w.to_string().contains("U+3021") && w.to_string().contains("补字")),
        "{:?}",
        built.findings
    );
    let l = layout(&built.doc);
    let run = l
        .runs
        .iter()
        .find(|r| r.text.contains('〡'))
        .expect("the character is printed");
    assert_eq!(run.family, "FandolSong");
}

#[test]
fn one_bad_unit_fails_alone_and_the_rest_are_written() {
    let (dir, units, out, report) = forms_with_units(
        "单位:\n  - {编号: a, 名称: 甲局}\n  - {编号: b, 名称: 𠀀局}\n  - {编号: c, 名称: 丙局}\n",
    );
    assert_eq!(report.failures.len(), 1);
    assert!(report.failures[0].1.to_string().contains("U+20000"));
    assert!(out.join("填报表/a-甲局.pdf").is_file() && out.join("填报表/c-丙局.pdf").is_file());
    assert!(!out.join("填报表/b-𠀀局.pdf").exists());
    // The command line lists the failure and exits 1.
    let st = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["forms", "--ignore-system-fonts", "--units"])
        .arg(&units)
        .arg(canonical_dir())
        .arg("-o")
        .arg(dir.path().join("cli"))
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&st.stderr).contains("失败：𠀀局"));
}

#[test]
fn hostile_unit_names_print_verbatim_on_their_forms() {
    let name = "#甲*局_[乙]$丙$ // <丁> @戊 \\己";
    let yaml = format!(
        "单位:\n  - {{编号: x, 名称: {}}}\n",
        serde_yaml::to_string(name).unwrap().trim()
    );
    let (_dir, _, out, report) = forms_with_units(&yaml);
    assert!(report.failures.is_empty());
    let pdf = std::fs::read(out.join("填报表-全部.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains(&squeeze(name)), "{text}");
}

#[test]
fn a_thousand_row_table_spans_pages_with_its_header_repeated() {
    let mut yaml = format!(
        "{HEAD}正文:\n  - 表格:\n      列: [序号, 项目, 说明]\n      自动序号: true\n      行:\n"
    );
    for i in 0..1000 {
        yaml.push_str(&format!("        - [项目{i}, 说明文字{i}]\n"));
    }
    let l = layout(&build_yaml(&yaml).doc);
    let header_pages: Vec<usize> = l
        .runs
        .iter()
        .filter(|r| r.text == "说明" && r.family == "FandolHei")
        .map(|r| r.page)
        .collect();
    assert!(l.pages.len() > 40, "{} pages", l.pages.len());
    assert_eq!(
        header_pages.len(),
        l.pages.len(),
        "header not on every page"
    );
    assert!(l.runs.iter().any(|r| r.text == "说明文字999"));
    assert!(l.runs.iter().any(|r| r.text == "1000"));
}

#[test]
fn a_sixty_page_document_compiles() {
    let mut yaml = format!("{HEAD}正文:\n");
    for i in 0..700 {
        yaml.push_str(&format!("  - 第{i}段。这是一段用于测试长文档排版的正文文字，内容重复以便撑满版面，检查分页是否正常。\n"));
    }
    let l = layout(&build_yaml(&yaml).doc);
    assert!(l.pages.len() >= 60, "{} pages", l.pages.len());
    assert!(l.runs.iter().any(|r| r.text.contains("第699段")));
}
