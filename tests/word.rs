//! The .docx gongwen writes, rendered by LibreOffice (a real Word reader
//! offices have) with the bundled faces visible under the office names, and
//! read back: the same text as gongwen's own PDF, 22 lines on a full page,
//! 28 characters on a full line, the red mark on page 1, the page count
//! within one, merged cells once.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// A fontconfig file that adds the bundled faces and names them as the
/// office faces a .docx asks for (word.md).
fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = repo().join("fonts");
    let alias = |office: &str, bundled: &str| {
        format!("<alias binding=\"same\"><family>{office}</family><prefer><family>{bundled}</family></prefer></alias>")
    };
    let conf = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>\
         <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include><dir>{}</dir><cachedir>{}</cachedir>{}{}{}{}{}</fontconfig>",
        fonts.display(),
        dir.join("cache").display(),
        alias("方正小标宋简体", "FandolSong"),
        alias("仿宋_GB2312", "FandolFang"),
        alias("黑体", "FandolHei"),
        alias("楷体_GB2312", "FandolKai"),
        alias("宋体", "FandolSong"),
    );
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// LibreOffice's PDFs of `docx` files (one headless run for all), or why
/// there are none: LibreOffice absent is said, and under `.ci/run` (which
/// installs it) a failure.
fn libreoffice(docx: &[PathBuf], out: &Path) -> Option<Vec<Vec<u8>>> {
    let probe = Command::new("soffice").arg("--version").output();
    if probe.is_err() {
        let why =
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui";
        if std::env::var_os("GONGWEN_CI").is_some() {
            panic!("{why}");
        }
        eprintln!("skipped: {why}");
        return None;
    }
    let profile = out.join("profile");
    let status = Command::new("soffice")
        .env("FONTCONFIG_FILE", fontconfig(out))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(docx)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(
        docx.iter()
            .map(|d| {
                let pdf = out.join(d.file_stem().unwrap()).with_extension("pdf");
                std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()))
            })
            .collect(),
    )
}

/// The text of a page without its page number, squeezed, a 目录's dot
/// leaders left out.
fn body_lines(page: &str) -> Vec<String> {
    // A page number read into a line of its rotated page's table as well.
    let number = regex::Regex::new(r"—\s*\d+\s*—").unwrap();
    let page = number.replace_all(page, "");
    page.lines()
        .map(|l| {
            let l = squeeze(l);
            match l.find("...") {
                Some(at) => format!("{}{}", &l[..at], l[at..].trim_start_matches('.')),
                None => l,
            }
        })
        .filter(|l| !l.is_empty())
        .filter(|l| {
            !l.trim_matches(['—', '-'])
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .collect()
}

/// Width in grid characters: CJK one, ASCII half.
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Whether page 1 of `pdf` paints something red (the mark, the rule).
fn red_on_page_one(pdf: &[u8]) -> bool {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let content = doc.get_page_content(page).unwrap();
    let ops = lopdf::content::Content::decode(&content)
        .unwrap()
        .operations;
    ops.iter().any(|op| {
        let n: Vec<f32> = op
            .operands
            .iter()
            .filter_map(|o| o.as_float().ok())
            .collect();
        matches!(op.operator.as_str(), "rg" | "RG")
            && n.len() == 3
            && n[0] > 0.8
            && n[1] < 0.4
            && n[2] < 0.4
    })
}

#[test]
fn every_example_and_fixture_writes_a_docx_libreoffice_renders_like_the_pdf() {
    let dirs = content_dirs(&["content", "tests/fixtures/real"]);
    assert_eq!(dirs.len(), 24, "{dirs:?}");
    let out = tempfile::tempdir().unwrap();
    let mut docx = Vec::new();
    let mut ours = Vec::new();
    for dir in &dirs {
        let project = gongwen::Project::load(dir).unwrap();
        let built = build_dir(dir);
        let bytes = gongwen::output::docx::docx(&project, &built.doc).unwrap();
        // The same content gives the same bytes.
        let again = gongwen::output::docx::docx(&project, &built.doc).unwrap();
        assert!(bytes == again, "{}: two writes differ", dir.display());
        let path = out.path().join(format!("{}.docx", project.name));
        std::fs::write(&path, bytes).unwrap();
        docx.push(path);
        ours.push(built);
    }
    let Some(pdfs) = libreoffice(&docx, out.path()) else {
        return;
    };
    let mut failures = Vec::new();
    let mut full_pages = 0;
    let mut full_lines = 0;
    for ((dir, pdf), built) in dirs.iter().zip(&pdfs).zip(&ours) {
        let name = dir.file_name().unwrap().to_string_lossy();
        let pages = pdf_extract::extract_text_from_mem_by_pages(pdf).unwrap();
        let ours_pages = built.doc.pages().len();
        if pages.len().abs_diff(ours_pages) > 1 {
            failures.push(format!(
                "{name}: {} pages, the PDF {ours_pages}",
                pages.len()
            ));
        }
        if !red_on_page_one(pdf) {
            failures.push(format!("{name}: no red on page 1"));
        }
        // The same text, in order (spaces and page numbers aside).
        let theirs: String = pages.iter().flat_map(|p| body_lines(p)).collect();
        let mine: String = {
            let l = layout(&built.doc);
            (1..=l.pages.len())
                .flat_map(|p| {
                    l.lines(p)
                        .into_iter()
                        .map(|ln| squeeze(&line_text(&ln)))
                        .filter(|t| {
                            !t.trim_matches(['—', '-'])
                                .chars()
                                .all(|c| c.is_ascii_digit())
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        // A 目录's dot leaders are characters in the PDF, a tab in Word.
        let leaders = |t: &str| {
            let mut out = String::new();
            for piece in t.split("...") {
                out.push_str(piece.trim_start_matches('.'));
            }
            out
        };
        let (theirs, mine) = (leaders(&theirs), leaders(&mine));
        // Every character once (a table's cells may be read in another
        // order, so compared as sorted characters), and in order where the
        // document has no table.
        let sorted = |t: &str| {
            let mut c: Vec<char> = t.chars().collect();
            c.sort_unstable();
            c.into_iter().collect::<String>()
        };
        // (98%: a table's header repeats on each of its pages, and Word's
        // pages need not break where gongwen's do.)
        let same = strsim::normalized_levenshtein(&sorted(&theirs), &sorted(&mine));
        if same < 0.98 {
            failures.push(format!(
                "{name}: the text is {:.1}% the PDF's",
                same * 100.0
            ));
        }
        let tables = std::fs::read_to_string(dir.join("公文.yaml"))
            .unwrap()
            .contains("表格");
        let ordered = strsim::normalized_levenshtein(&theirs, &mine);
        if !tables && ordered < 0.97 {
            failures.push(format!(
                "{name}: the text in order is {:.1}% the PDF's",
                ordered * 100.0
            ));
        }
        // No page of running text (most lines near full) holds more than
        // 22 lines; no line more than 28 characters, a hanging closing mark
        // aside.
        for (i, p) in pages.iter().enumerate() {
            let lines = body_lines(p);
            let running = lines.iter().filter(|l| width(l) >= 20.0).count() * 5 >= lines.len() * 4;
            if running && lines.len() > 22 {
                failures.push(format!("{name} p{}: {} lines", i + 1, lines.len()));
            }
            full_pages += usize::from(running && lines.len() == 22);
            // (Table rows of a smaller size may hold more: text only.)
            for l in lines.iter().filter(|_| !tables) {
                let hangs =
                    l.ends_with(['，', '。', '、', '；', '：', '？', '！', '”', '）', '》']);
                let w = width(l) - if hangs { 1.0 } else { 0.0 };
                if w > 28.0 {
                    failures.push(format!("{name} p{}: {} characters: {l}", i + 1, width(l)));
                }
                full_lines += usize::from(w == 28.0 || width(l) == 28.0);
            }
        }
        // A merged cell prints once (the indicator table's first column).
        if name.contains("hospital") {
            let all: String = pages.concat();
            let n = squeeze(&all).matches("一、医疗质量").count();
            if n != 1 {
                failures.push(format!("{name}: the merged 一、医疗质量 printed {n} times"));
            }
        }
    }
    assert!(full_pages > 10, "only {full_pages} pages of 22 lines");
    assert!(full_lines > 300, "only {full_lines} lines of 28 characters");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The sorted characters of the pages' text, page numbers and spaces aside:
/// what two renderings of one document share whatever their order.
fn characters(pages: &[String]) -> String {
    let mut c: Vec<char> = pages
        .iter()
        .flat_map(|p| body_lines(p))
        .collect::<String>()
        .chars()
        .collect();
    c.sort_unstable();
    c.into_iter().collect()
}

/// Issue 25: the products people edit come as .docx beside their PDFs —
/// a unit's blank form, its filled form, the 汇总表 and the 任务分工表 —
/// and LibreOffice renders each with the PDF's text.
#[test]
fn forms_the_summary_and_the_task_table_come_as_docx_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let beside = gongwen::output::Beside {
        docx: true,
        ..Default::default()
    };
    let opts = gongwen::forms::Options {
        beside,
        ..Default::default()
    };
    let r = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    let (_, _, units) = gongwen::forms::load(engine(), &canonical_dir(), None).unwrap();
    let data = dir.path().join("data");
    canonical_return(&data);
    let c = gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let t =
        gongwen::tasks::assign(engine(), &canonical_dir(), &dir.path().join("t"), beside).unwrap();
    let stem = units[0].file_stem();
    let products = [
        r.out.dir.join("填报表").join(format!("{stem}.docx")),
        c.out.dir.join("已填报").join(format!("{stem}.docx")),
        c.out.dir.join("汇总表.docx"),
        t.out.dir.join("任务分工表.docx"),
    ];
    let lo = dir.path().join("lo");
    std::fs::create_dir(&lo).unwrap();
    // Distinct names for LibreOffice's one output folder.
    let named: Vec<PathBuf> = products
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let to = lo.join(format!("p{i}.docx"));
            std::fs::copy(p, &to).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            to
        })
        .collect();
    let Some(pdfs) = libreoffice(&named, &lo) else {
        return;
    };
    for (product, docx_pdf) in products.iter().zip(&pdfs) {
        let pdf = std::fs::read(product.with_extension("pdf")).unwrap();
        let theirs = pdf_extract::extract_text_from_mem_by_pages(docx_pdf).unwrap();
        let mine = pdf_extract::extract_text_from_mem_by_pages(&pdf).unwrap();
        let (a, b) = (characters(&theirs), characters(&mine));
        let same = strsim::normalized_levenshtein(&a, &b);
        assert!(
            same >= 0.98,
            "{}: {:.1}% of the PDF's characters:\n{a}\n{b}",
            product.display(),
            same * 100.0
        );
    }
    let text = |i: usize| squeeze(&pdf_extract::extract_text_from_mem(&pdfs[i]).unwrap());
    assert!(text(0).contains(&units[0].name));
    assert!(text(1).contains("组织普法活动场次7"), "{}", text(1));
    assert!(text(2).contains("合计"));
}
