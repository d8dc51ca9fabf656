//! `gongwen import`: published documents given as text pasted from their
//! PDF and as Word files, and Word drafts made here (a centred bold title,
//! typed numbers, a table with merged cells), read into content that
//! checks, builds page-sane and holds the source's text in order; bad
//! drafts refused in Chinese, leaving nothing behind.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The text of a built document as a reader copies it from the PDF: page
/// by page, page numbers included (import drops them).
fn pdf_text(built: &gongwen::Built) -> String {
    let l = layout(&built.doc);
    let mut out = String::new();
    for p in 1..=l.pages.len() {
        for ln in l.lines(p) {
            out.push_str(&line_text(&ln));
            out.push('\n');
        }
    }
    out
}

/// The text of a built document, squeezed, without its page numbers.
fn body_text(built: &gongwen::Built) -> String {
    let l = layout(&built.doc);
    let mut out = String::new();
    for p in 1..=l.pages.len() {
        for ln in l.lines(p) {
            let t = squeeze(&line_text(&ln));
            if !t
                .trim_matches(['—', '-'])
                .chars()
                .all(|c| c.is_ascii_digit())
            {
                out.push_str(&t);
            }
        }
    }
    out
}

/// The titles of the level-1 headings (一、…) of a content folder's notice
/// and the documents it issues, in order.
fn headings(dir: &Path) -> Vec<String> {
    let notice = gongwen::Project::load(dir).unwrap().notice;
    let level_one = |blocks: &[gongwen::content::Block]| -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                gongwen::content::Block::Heading(h) => Some(h.title.clone()),
                _ => None,
            })
            .collect()
    };
    let mut out = level_one(&notice.body);
    for d in &notice.issued {
        out.extend(level_one(&d.body));
    }
    out
}

/// Imports `draft` into a new folder under `dir`, checks and builds it:
/// the build, and the folder.
fn import_and_build(draft: &Path, dir: &Path) -> (gongwen::Built, PathBuf) {
    let content = dir.join("imported");
    gongwen::import::import(draft, &content).unwrap_or_else(|e| panic!("{}: {e}", draft.display()));
    let project = gongwen::Project::load(&content).unwrap_or_else(|e| panic!("{e}"));
    let findings = gongwen::check(engine(), &project);
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == gongwen::error::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", draft.display());
    (build_dir(&content), content)
}

/// Issue 25: every published fixture given as the text a reader copies
/// from its PDF (lines wrapped at the page's width, page numbers among
/// them) comes back as content that builds page-sane with at least 97% of
/// the text in order and its 一、 headings as headings.
#[test]
fn published_documents_pasted_from_their_pdf_import_whole() {
    let mut failures = Vec::new();
    let mut scores = Vec::new();
    for dir in content_dirs(&["tests/fixtures/real"]) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let original = build_dir(&dir);
        let tmp = tempfile::tempdir().unwrap();
        let txt = tmp.path().join(format!("{name}.txt"));
        std::fs::write(&txt, pdf_text(&original)).unwrap();
        let (rebuilt, content) = import_and_build(&txt, tmp.path());
        let same = strsim::normalized_levenshtein(&body_text(&original), &body_text(&rebuilt));
        scores.push(format!("{name} {:.1}%", same * 100.0));
        if same < 0.97 {
            failures.push(format!("{name}: {:.1}% of the text", same * 100.0));
        }
        // Every 一、 heading is a heading of the import, in order (a
        // heading's full stop aside: a run-in title keeps it).
        let trim = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|t| t.trim_end_matches('。').to_string())
                .collect()
        };
        let (theirs, ours) = (trim(headings(&dir)), trim(headings(&content)));
        if theirs != ours {
            failures.push(format!("{name}: headings {theirs:?} became {ours:?}"));
        }
        failures.extend(crate::invariants::check_dir(&content));
    }
    eprintln!("{}", scores.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Issue 25: the .docx gongwen writes, imported again (the round trip of
/// 审签: send the .docx, take the returned one back), holds the same text.
#[test]
fn a_docx_written_by_gongwen_imports_back_to_the_same_text() {
    let mut failures = Vec::new();
    for dir in content_dirs(&["content", "tests/fixtures/real"]) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let project = gongwen::Project::load(&dir).unwrap();
        let original = build_dir(&dir);
        let tmp = tempfile::tempdir().unwrap();
        let docx = tmp.path().join(format!("{name}.docx"));
        std::fs::write(
            &docx,
            gongwen::output::docx::docx(&project, &original.doc).unwrap(),
        )
        .unwrap();
        let (rebuilt, _) = import_and_build(&docx, tmp.path());
        let same = strsim::normalized_levenshtein(&body_text(&original), &body_text(&rebuilt));
        if same < 0.97 {
            failures.push(format!("{name}: {:.1}% of the text", same * 100.0));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A Word draft as an office writes one: direct formatting, no styles — a
/// centred bold title, typed 一、 and （一） numbers, a table with a cell
/// merged down and one merged across, the 署名 and date at the right.
fn word_draft() -> Vec<u8> {
    use docx_rs::*;
    let para = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let right = |t: &str| para(t).align(AlignmentType::Right);
    let cell = |t: &str| TableCell::new().add_paragraph(para(t));
    let table = Table::new(vec![
        TableRow::new(vec![cell("地区"), cell("项目"), cell("数量")]),
        TableRow::new(vec![
            cell("东区").vertical_merge(VMergeType::Restart),
            cell("道路"),
            cell("12"),
        ]),
        TableRow::new(vec![
            TableCell::new()
                .vertical_merge(VMergeType::Continue)
                .add_paragraph(Paragraph::new()),
            cell("桥梁"),
            cell("3"),
        ]),
        TableRow::new(vec![cell("合计").grid_span(2), cell("15")]),
    ]);
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(
            Paragraph::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text("关于做好道路桥梁检修工作的通知")
                    .size(44)
                    .bold(),
            ),
        )
        .add_paragraph(para("各区住房和城乡建设局："))
        .add_paragraph(para("为做好今年的道路桥梁检修工作，现将有关事项通知如下。"))
        .add_paragraph(para("一、工作目标"))
        .add_paragraph(para("全面完成辖区道路桥梁检修,确保通行安全。"))
        .add_paragraph(para("二、工作要求"))
        .add_paragraph(para(
            "（一）加强组织领导。各区要成立工作专班，明确责任分工。",
        ))
        .add_paragraph(para(
            "（二）按期报送情况。各区于每月5日前报送上月检修情况，见下表。",
        ))
        .add_table(table)
        .add_paragraph(right("某市住房和城乡建设委员会"))
        .add_paragraph(right("二〇二五年三月七日"))
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

/// Issue 25: a Word draft made as offices make them imports with its title,
/// 主送, headings (numbers removed), its table's merges, half-width marks
/// made full-width, the 署名 and the date in Chinese numerals.
#[test]
fn a_word_draft_imports_with_its_structure_and_merged_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let draft = tmp.path().join("草稿.docx");
    std::fs::write(&draft, word_draft()).unwrap();
    let (built, content) = import_and_build(&draft, tmp.path());
    let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
    for expected in [
        "标题: 关于做好道路桥梁检修工作的通知",
        "主送机关: 各区住房和城乡建设局：",
        "- 标题: 工作目标",
        "- 标题: 加强组织领导。",
        "文字: 各区要成立工作专班，明确责任分工。",
        "{文字: \"东区\", 跨行: 2}",
        "{文字: \"合计\", 跨列: 2}",
        "辖区道路桥梁检修，确保",
        "发文机关署名: 某市住房和城乡建设委员会",
        "成文日期: 2025年3月7日",
    ] {
        assert!(yaml.contains(expected), "{expected} not in:\n{yaml}");
    }
    let content_lines: String = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    assert!(
        !content_lines.contains("一、") && !content_lines.contains("（一）"),
        "{yaml}"
    );
    let text = body_text(&built);
    assert!(text.contains("一、工作目标") && text.contains("（二）按期报送情况。"));
    assert!(crate::invariants::check_dir(&content).is_empty());
}

/// Issue 25: text in the encodings offices save (GBK, UTF-16 with its BOM)
/// imports the same as UTF-8; a web page's text (a paragraph a line) keeps
/// its paragraphs.
#[test]
fn text_in_gbk_and_utf16_imports_the_same() {
    let text = "某县人民政府办公室\n关于开展安全生产检查的通知\n各乡镇人民政府：\n为切实做好安全生产工作，决定开展一次全面检查。\n一、检查范围\n全县所有生产经营单位。\n二、检查时间\n2025年4月1日至4月30日。\n某县人民政府办公室\n2025年3月20日\n";
    let mut outs = Vec::new();
    for (label, bytes) in [
        ("utf8", text.as_bytes().to_vec()),
        ("gbk", encoding_rs::GBK.encode(text).0.into_owned()),
        ("utf16", {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            b
        }),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let draft = tmp.path().join(format!("{label}.txt"));
        std::fs::write(&draft, bytes).unwrap();
        let (built, content) = import_and_build(&draft, tmp.path());
        let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
        assert!(yaml.contains("- 标题: 检查范围"), "{label}:\n{yaml}");
        assert!(yaml.contains("成文日期: 2025年3月20日"), "{label}:\n{yaml}");
        outs.push(body_text(&built));
    }
    assert!(outs.windows(2).all(|w| w[0] == w[1]));
}

/// Issue 25, bad input: what is not a draft gongwen can read is refused in
/// Chinese naming the file, exit 1 from the command line, and leaves no
/// folder behind; an existing 公文.yaml is never written over.
#[test]
fn bad_drafts_are_refused_in_chinese_and_leave_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_of = |parts: &[(&str, &[u8])], declared_huge: bool| -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in parts {
                z.start_file(*name, opts).unwrap();
                std::io::Write::write_all(&mut z, data).unwrap();
            }
            if declared_huge {
                // A bomb: 300 MB of zeros deflate to a few hundred KB.
                let opts = opts.large_file(true);
                z.start_file("word/media/bomb.bin", opts).unwrap();
                let chunk = vec![0u8; 1 << 20];
                for _ in 0..300 {
                    std::io::Write::write_all(&mut z, &chunk).unwrap();
                }
            }
            z.finish().unwrap();
        }
        out.into_inner()
    };
    let document = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>";
    let cfb = {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.extend(vec![0u8; 512]);
        b
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("旧版.doc", cfb.clone(), "另存为”.docx"),
        ("加密.docx", cfb, "加密"),
        ("扫描件.pdf", b"%PDF-1.4\n...".to_vec(), "PDF"),
        ("坏的.docx", b"PK\x03\x04 not really a zip".to_vec(), "zip"),
        ("宏.docx", zip_of(&[("word/document.xml", document), ("word/vbaProject.bin", b"x")], false), "宏"),
        (
            "外链.docx",
            zip_of(
                &[
                    ("word/document.xml", document),
                    ("word/_rels/document.xml.rels", b"<Relationships><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"http://example.com/a.png\" TargetMode=\"External\"/></Relationships>"),
                ],
                false,
            ),
            "外部",
        ),
        ("炸弹.docx", zip_of(&[("word/document.xml", document)], true), "上限"),
        ("不是文档.docx", zip_of(&[("a.txt", b"x")], false), "document.xml"),
        ("二进制.txt", vec![0u8, 159, 146, 150, 0, 1, 2], "不是"),
    ];
    for (name, bytes, says) in cases {
        let draft = tmp.path().join(name);
        std::fs::write(&draft, &bytes).unwrap();
        let out = tmp.path().join(format!("out-{name}"));
        let started = std::time::Instant::now();
        let err = gongwen::import::import(&draft, &out)
            .expect_err(name)
            .to_string();
        assert!(started.elapsed().as_secs() < 20, "{name}: too slow");
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert!(!out.exists(), "{name}: left {} behind", out.display());
    }
    // A draft of 10,000 tables is not a 公文.
    let mut docx = docx_rs::Docx::new();
    for _ in 0..10_000 {
        docx = docx.add_table(docx_rs::Table::new(vec![docx_rs::TableRow::new(vec![
            docx_rs::TableCell::new().add_paragraph(docx_rs::Paragraph::new()),
        ])]));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).unwrap();
    let draft = tmp.path().join("万表.docx");
    std::fs::write(&draft, bytes.into_inner()).unwrap();
    let err = gongwen::import::import(&draft, &tmp.path().join("万"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("表格"), "{err}");
    // Never over an existing 公文.yaml.
    let good = tmp.path().join("好.txt");
    std::fs::write(
        &good,
        "关于某事的通知\n各单位：\n现将有关事项通知如下。\n某局\n2025年3月7日\n",
    )
    .unwrap();
    let dir = tmp.path().join("已有");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("公文.yaml"), "原来的内容").unwrap();
    let err = gongwen::import::import(&good, &dir)
        .unwrap_err()
        .to_string();
    assert!(err.contains("不会覆盖"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("公文.yaml")).unwrap(),
        "原来的内容"
    );
}
