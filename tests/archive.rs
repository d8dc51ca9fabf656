//! PDF/A-2b for the archive (issue 18, point 5), read back with lopdf: the
//! identification and the document's metadata in the XMP packet, an output
//! intent, and the red set in RGB (Typst cannot write CMYK under PDF/A)
//! while the print PDF keeps CMYK.

use crate::common::*;

fn xmp(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let meta = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let stream = doc.get_object(meta).unwrap().as_stream().unwrap();
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(bytes).unwrap()
}

fn output_intents(pdf: &[u8]) -> bool {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.catalog().unwrap().get(b"OutputIntents").is_ok()
}

#[test]
fn a_pdf_a_2b_build_identifies_itself_and_carries_the_documents_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::copy(canonical_dir().join("公文.yaml"), content.join("公文.yaml")).unwrap();
    std::fs::write(content.join("样式.yaml"), "PDF标准: a-2b\n").unwrap();
    let project = gongwen::Project::load(&content).unwrap();
    let built = gongwen::build(engine(), &project).unwrap();
    let out = dir.path().join("out");
    let files =
        gongwen::output::write_build(&project, &built, &out, &[gongwen::output::Emit::Pdf], 72.0)
            .unwrap();
    let pdf = std::fs::read(&files[0]).unwrap();
    let x = xmp(&pdf);
    assert!(x.contains("<pdfaid:part>2</pdfaid:part>"), "{x}");
    assert!(
        x.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{x}"
    );
    assert!(x.contains("上海市市场监督管理局"), "author: {x}");
    assert!(x.contains("2019-03-07"), "date: {x}");
    assert!(x.contains("系列活动方案》的通知"), "title: {x}");
    assert!(output_intents(&pdf));
    // The red is RGB in the archive copy …
    let l = layout(&built.doc);
    let rule = l.separator();
    assert!(!rule.cmyk, "{rule:?}");
    assert!(
        rule.color[0] > 0.95 && (rule.color[1] - 0.2).abs() < 0.02,
        "{rule:?}"
    );
    // … and CMYK 0/80/80/0 in the print PDF, which is not PDF/A.
    let plain = canonical();
    let l = layout(&plain.doc);
    assert!(l.separator().cmyk);
    let project = gongwen::Project::load(&canonical_dir()).unwrap();
    let files = gongwen::output::write_build(
        &project,
        plain,
        &dir.path().join("plain"),
        &[gongwen::output::Emit::Pdf],
        72.0,
    )
    .unwrap();
    let pdf = std::fs::read(&files[0]).unwrap();
    assert!(!xmp(&pdf).contains("pdfaid"));
}

#[test]
fn an_unknown_pdf_standard_is_refused_where_it_is_written() {
    let e = style_refusal("正文字号: 16\nPDF标准: a-9z\n");
    assert!(
        e.contains("样式.yaml:2:") && e.contains("“a-9z”不是可用的 PDF 标准"),
        "{e}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args([
            "build",
            canonical_dir().to_str().unwrap(),
            "--pdf-standard",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_command_line_says_a_pdf_a_is_for_the_archive_not_the_print_room() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["build", "--ignore-system-fonts", "--pdf-standard", "A-2B"])
        .args(["--ofd-standard", "ofd-a", "-o"])
        .arg(dir.path())
        .arg(canonical_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("2019-315.pdf（PDF/A-2b，存档用；印刷请用普通 PDF）")
            && err.contains("2019-315.ofd（OFD-A，存档用）"),
        "{err}"
    );
    let pdf = std::fs::read(dir.path().join("2019-315.pdf")).unwrap();
    assert!(xmp(&pdf).contains("<pdfaid:part>2</pdfaid:part>"));
}
