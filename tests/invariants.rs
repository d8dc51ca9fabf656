//! The page invariants of every document, measured on the laid-out frames:
//! no two glyphs overlap, no rule crosses a glyph, nothing outside the 版心
//! but page numbers, every 成文日期 on one line, no heading last on a page,
//! no signature alone on a page, no page with nothing but a page number, and
//! body lines on the grid of 22 rows. Over every fixture (the published
//! documents in tests/fixtures/real, the layout fixtures, the canonical
//! notice) and over generated documents that put headings and signatures on
//! every row of a page.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A glyph's box: its em box, from where it is drawn over its advance but
/// at most one em. Typst adds justification after a glyph (even after a
/// line's last, typst-layout 0.15 `ShapedText::build`), so the advance
/// alone would reach past the ink; no glyph here is wider than its em.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    page: usize,
    x0: f64,
    x1: f64,
    top: f64,
    bottom: f64,
    c: char,
}

fn glyphs(l: &Layout) -> Vec<Glyph> {
    let mut out = Vec::new();
    for r in &l.runs {
        let chars: Vec<char> = r.text.chars().collect();
        let em = r.size_pt / PT_PER_MM;
        for (i, (x, w)) in r.glyph_x.iter().zip(&r.glyph_w).enumerate() {
            let c = chars.get(i).copied().unwrap_or(' ');
            if c.is_whitespace() || *w <= 0.0 {
                continue;
            }
            out.push(Glyph {
                page: r.page,
                x0: *x,
                x1: x + w.min(em),
                top: r.em_top(),
                bottom: r.em_bottom(),
                c,
            });
        }
    }
    out
}

/// A page number: "— N —" below the 版心.
fn is_page_number(r: &Run, body_bottom: f64) -> bool {
    let digits: String = r
        .text
        .chars()
        .filter(|c| !"— \u{2014}".contains(*c))
        .collect();
    r.em_top() > body_bottom && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// What was checked, for the failure message.
struct Report {
    name: String,
    problems: Vec<String>,
}

impl Report {
    fn fail(&mut self, what: String) {
        if self.problems.len() < 12 {
            self.problems.push(what);
        }
    }
}

const TOL: f64 = 0.3;

fn check(name: &str, project: &gongwen::Project, built: &gongwen::Built) -> Vec<String> {
    let l = layout(&built.doc);
    let st = &project.style;
    let mut rep = Report {
        name: name.to_string(),
        problems: Vec::new(),
    };
    let top = st.top_mm;
    let bottom = st.top_mm + st.body_height_mm;
    let body_left = |page: usize| {
        if st.mirror && page.is_multiple_of(2) {
            st.right_mm()
        } else {
            st.left_mm
        }
    };
    let all = glyphs(&l);

    for page in 1..=l.pages.len() {
        let left = body_left(page);
        let right = left + st.body_width_mm;
        let page_glyphs: Vec<&Glyph> = all.iter().filter(|g| g.page == page).collect();
        // No two glyphs overlap (advance boxes; the seal is an image, not text).
        for (i, a) in page_glyphs.iter().enumerate() {
            for b in &page_glyphs[i + 1..] {
                let h = a.x1.min(b.x1) - a.x0.max(b.x0);
                let v = a.bottom.min(b.bottom) - a.top.max(b.top);
                if h > TOL && v > TOL {
                    rep.fail(format!(
                        "p{page}: “{}” and “{}” overlap at {:.1},{:.1} mm",
                        a.c, b.c, a.x0, a.top
                    ));
                }
            }
        }
        // A 信函's red mark and double lines sit outside the 版心 on page 1
        // by the standard (§10.1): 30 mm from the paper's top, 170 mm long.
        let letter_head = page == 1 && project.notice.format == gongwen::content::Format::Letter;
        let red = |c: &[f32; 4]| c[1] > 0.5 && c[3] < 0.1;
        let red_tops: Vec<f64> = l
            .runs
            .iter()
            .filter(|r| letter_head && r.page == page && red(&r.fill))
            .map(Run::em_top)
            .collect();
        // No rule crosses a glyph, or leaves the 版心.
        for r in l.rules.iter().filter(|r| r.page == page) {
            let below = r.y.max(r.y + r.height) > bottom + TOL;
            let beside =
                r.x.min(r.x + r.width) < left - TOL || r.x.max(r.x + r.width) > right + TOL;
            if (below || beside) && !(letter_head && red(&r.color)) {
                rep.fail(format!(
                    "p{page}: a rule at {:.1},{:.1} mm outside the 版心",
                    r.x, r.y
                ));
            }
            let (x0, x1) = (r.x.min(r.x + r.width), r.x.max(r.x + r.width));
            let (y0, y1) = (r.y.min(r.y + r.height), r.y.max(r.y + r.height));
            for g in &page_glyphs {
                let through_h = r.height.abs() < 0.01
                    && y0 > g.top + TOL
                    && y0 < g.bottom - TOL
                    && x0 < g.x1 - TOL
                    && x1 > g.x0 + TOL;
                let through_v = r.width.abs() < 0.01
                    && x0 > g.x0 + TOL
                    && x0 < g.x1 - TOL
                    && y0 < g.bottom - TOL
                    && y1 > g.top + TOL;
                if through_h || through_v {
                    rep.fail(format!(
                        "p{page}: a rule at {:.1},{:.1} mm crosses “{}”",
                        r.x, r.y, g.c
                    ));
                }
            }
        }
        // Nothing outside the 版心 but page numbers.
        let numbers: Vec<&Run> = l
            .runs
            .iter()
            .filter(|r| r.page == page && is_page_number(r, bottom))
            .collect();
        for g in &page_glyphs {
            if numbers.iter().any(|n| (n.em_top() - g.top).abs() < 0.01)
                || red_tops.iter().any(|t| (t - g.top).abs() < 0.01)
            {
                continue;
            }
            if g.x0 < left - TOL || g.x1 > right + TOL || g.top < top - TOL {
                rep.fail(format!(
                    "p{page}: “{}” outside the 版心 ({:.2}–{:.2} mm, top {:.1})",
                    g.c, g.x0, g.x1, g.top
                ));
            }
        }
        // No page with nothing but a page number.
        let texts: Vec<&Run> = l
            .runs
            .iter()
            .filter(|r| r.page == page && !is_page_number(r, bottom))
            .collect();
        let numbered = l
            .runs
            .iter()
            .any(|r| r.page == page && is_page_number(r, bottom));
        if texts.is_empty() && numbered {
            rep.fail(format!("p{page}: nothing but a page number"));
        }
        if texts.is_empty() && !numbered && page + 1 != l.pages.len() {
            rep.fail(format!(
                "p{page}: an empty page that is not the one before the 版记"
            ));
        }
    }

    // Every 成文日期 on one line.
    let date = project.notice.date.chinese();
    let lines: Vec<(usize, String, Vec<&Run>)> = (1..=l.pages.len())
        .flat_map(|p| {
            l.lines(p)
                .into_iter()
                .map(move |ln| (p, ln.iter().map(|r| r.text.as_str()).collect(), ln))
        })
        .collect();
    if !lines.iter().any(|(_, t, _)| t.contains(&date)) {
        rep.fail(format!("成文日期 {date} is not on one line"));
    }

    // The signature is not alone on its page: some line above its first
    // 署名 on that page is text of the document.
    // (A 命令's line is its first signatory's title and name; a 纪要 has no
    // signature block.)
    use gongwen::content::Format;
    let n = &project.notice;
    let first_name = match n.format {
        // Seals without typed names: no 署名 line to look for.
        Format::File | Format::Letter => n.signature.first().cloned(),
        Format::Order => Some(n.signatories[0].name.clone()),
        Format::Minutes => None,
    };
    let sig = first_name.as_ref().map(|name| {
        lines.iter().rposition(|(_, t, ln)| {
            // Joint seals set the names side by side: a row of them.
            let row = n.signature.len() > 1
                && t.starts_with(name.as_str())
                && n.signature[1..].iter().any(|o| t.contains(o.as_str()));
            let own = match n.format {
                Format::Order => t.ends_with(name.as_str()),
                _ => t == name,
            };
            row || own && ln[0].x > body_left(1) + st.body_width_mm / 3.0
        })
    });
    match sig {
        None => {}
        Some(None) => rep.fail(format!(
            "署名 {} not found on a line of its own",
            first_name.unwrap_or_default()
        )),
        Some(Some(i)) => {
            let page = lines[i].0;
            if i == 0 || lines[i - 1].0 != page {
                rep.fail(format!("p{page}: the signature block stands alone"));
            }
        }
    }

    // No heading last on a page: a page's last body line set wholly in
    // 黑体 or 楷体, either at the body size starting at the paragraph
    // indent (a heading) or at any size starting at a table's left edge
    // (a table's category row; a header never ends a page either).
    let indent = st.indent_chars * st.body_width_mm / st.chars as f64;
    let inset = |size_pt: f64| st.table_inset_chars * size_pt / PT_PER_MM;
    for page in 1..l.pages.len() {
        let body: Vec<&(usize, String, Vec<&Run>)> = lines
            .iter()
            .filter(|(p, _, ln)| *p == page && !is_page_number(ln[0], bottom))
            .collect();
        if let Some((_, text, ln)) = body.last() {
            let bold = ln
                .iter()
                .all(|r| r.family.contains("Hei") || r.family.contains("Kai"));
            let at_indent = (ln[0].size_pt - st.body_size_pt).abs() < 0.1
                && (ln[0].x - (body_left(page) + indent)).abs() < 1.0;
            let in_table = l.rules.iter().any(|r| {
                r.page == page
                    && r.width < 0.1
                    && r.height > 1.0
                    && (ln[0].x - inset(ln[0].size_pt) - r.x).abs() < 1.0
            });
            let heading = bold && (at_indent || in_table);
            if heading {
                rep.fail(format!("p{page}: heading “{text}” is the last line"));
            }
        }
    }

    // No page holds one short table row on its own (with the repeated
    // header) while the page before had room for it: the ruled rows on such
    // a page are the header and that one row, and nothing else is on it.
    for page in 2..=l.pages.len() {
        let runs: Vec<&Run> = l
            .runs
            .iter()
            .filter(|r| r.page == page && !is_page_number(r, bottom))
            .collect();
        if runs.is_empty() || runs.iter().any(|r| r.rotated || !in_table(&l, page, r)) {
            continue;
        }
        let mut ys: Vec<f64> = l
            .rules
            .iter()
            .filter(|r| r.page == page && r.height.abs() < 0.1 && r.width > 5.0)
            .map(|r| r.y)
            .collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < 0.5);
        if ys.len() != 3 {
            continue;
        }
        let row = ys[2] - ys[1];
        let before = l
            .runs
            .iter()
            .filter(|r| r.page == page - 1 && !is_page_number(r, bottom))
            .map(|r| r.em_bottom())
            .fold(top, f64::max);
        let before_rules = l
            .rules
            .iter()
            .filter(|r| r.page == page - 1)
            .map(|r| r.y.max(r.y + r.height))
            .fold(before, f64::max);
        if row < 25.0 && bottom - before_rules > row + 1.0 {
            rep.fail(format!(
                "p{page}: one table row alone ({row:.1} mm) while p{} had {:.1} mm left",
                page - 1,
                bottom - before_rules
            ));
        }
    }

    // Body text on the grid of `lines` rows after page 1: every line of
    // body-size text whose em box is not inside a table sits on a row.
    let pitch = (st.body_height_mm - st.body_size_pt / PT_PER_MM) / (st.lines - 1) as f64;
    for (page, text, ln) in &lines {
        if *page == 1 || is_page_number(ln[0], bottom) {
            continue;
        }
        let r = ln[0];
        if (r.size_pt - st.body_size_pt).abs() > 0.1 || in_table(&l, *page, r) {
            continue;
        }
        let row = (r.em_top() - top) / pitch;
        if (row - row.round()).abs() * pitch > TOL || row.round() as u32 >= st.lines {
            rep.fail(format!("p{page}: “{text}” off the grid (row {row:.2})"));
        }
    }
    if rep.problems.is_empty() {
        Vec::new()
    } else {
        vec![format!("{}:\n  {}", rep.name, rep.problems.join("\n  "))]
    }
}

/// Whether a run lies inside a table (between two of its ruled rows).
fn in_table(l: &Layout, page: usize, r: &Run) -> bool {
    l.rules.iter().any(|v| {
        v.page == page
            && v.width.abs() < 0.01
            && v.height.abs() > 1.0
            && r.em_top() >= v.y.min(v.y + v.height) - 0.1
            && r.em_bottom() <= v.y.max(v.y + v.height) + 0.1
    })
}

fn fixtures() -> Vec<PathBuf> {
    content_dirs(&["content", "tests/fixtures/real", "tests/fixtures/layout"])
}

pub fn check_dir(dir: &Path) -> Vec<String> {
    let project = gongwen::Project::load(dir).unwrap_or_else(|e| panic!("{e}"));
    let built = gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"));
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    check(&name, &project, &built)
}

#[test]
fn every_fixture_keeps_the_page_invariants() {
    let dirs = fixtures();
    // Exact: 9 examples, 15 published documents, 4 layout fixtures (add
    // one, raise this; a fixture that vanishes must be noticed).
    assert_eq!(dirs.len(), 28, "fixtures: {dirs:?}");
    let failures: Vec<String> = dirs.iter().flat_map(|d| check_dir(d)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One line of body text: 26 characters after the 2-character indent, no
/// punctuation to compress.
const LINE: &str = "这是一行正文文字用来把页面一行一行地填满直到指定位置为止";

fn generated(body: &str, tail: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "发文机关标志: 某某市人民政府文件\n发文字号: 某府发〔2019〕1号\n标题: 关于某事的通知\n\
         主送机关: 各区人民政府：\n正文:\n{body}发文机关署名: 市政府\n成文日期: 2019-12-31\n{tail}"
    );
    std::fs::write(dir.path().join("公文.yaml"), &yaml).unwrap();
    check_dir(dir.path())
}

#[test]
fn headings_and_signatures_on_every_row_keep_the_invariants() {
    let mut failures = Vec::new();
    for n in 0..26 {
        let mut body = String::new();
        for _ in 0..n {
            body.push_str(&format!("  - {LINE}\n"));
        }
        // A heading, one line of text, then the closing paragraph.
        body.push_str(&format!(
            "  - 标题: 工作要求\n    内容:\n      - {LINE}\n  - 特此通知。\n"
        ));
        failures.extend(
            generated(&body, "")
                .into_iter()
                .map(|f| format!("n={n} {f}")),
        );
        // The same with a sealed signature and a 附件说明.
        let tail = "加盖印章: true\n附件:\n  - 标题: 名单\n    正文: [名单正文。]\n";
        failures.extend(
            generated(&body, tail)
                .into_iter()
                .map(|f| format!("n={n} sealed {f}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_long_copy_to_grows_the_colophon_without_crossing_its_rules() {
    let cc = "市委各部门，市人大常委会办公厅，市政协办公厅，市监委，市法院，市检察院，\
              各人民团体，各民主党派市委，市工商联，驻市部队，各区人大常委会办公室，各区政协办公室";
    let tail = format!(
        "版记:\n  抄送机关: {cc}\n  印发机关: 某某市人民政府办公厅\n  印发日期: 2019-12-31\n"
    );
    let failures = generated(&format!("  - {LINE}\n"), &tail);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_table_of_long_numbers_steps_down_and_one_too_wide_is_a_located_error() {
    // Seven columns of nine-digit coordinates: too wide for 3号, set smaller.
    let row = |n: usize| {
        let cells: Vec<String> = (0..7)
            .map(|c| format!("\"{}\"", 103_600_000 + n * 7 + c))
            .collect();
        format!("        - [{}]\n", cells.join(", "))
    };
    let mut body = String::from("  - 表格:\n      列: [X1, Y1, X2, Y2, X3, Y3, X4]\n      行:\n");
    for n in 0..5 {
        body.push_str(&row(n));
    }
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "发文机关标志: 某某市人民政府文件\n标题: 关于某事的通知\n正文:\n{body}  - 特此通知。\n\
         发文机关署名: 市政府\n成文日期: 2019-12-31\n"
    );
    std::fs::write(dir.path().join("公文.yaml"), &yaml).unwrap();
    assert!(check_dir(dir.path()).is_empty());
    let built = build_dir(dir.path());
    let l = layout(&built.doc);
    let cell = l.runs.iter().find(|r| r.text == "103600000").unwrap();
    assert!(cell.size_pt < 16.0, "set at {} pt", cell.size_pt);

    // Twenty-digit numbers in eight columns fit at no size.
    let wide: Vec<String> = (0..8)
        .map(|c| format!("\"{}\"", 10u128.pow(19) + c))
        .collect();
    let yaml = format!(
        "发文机关标志: 某某市人民政府文件\n标题: 关于某事的通知\n正文:\n  - 一段文字。\n  - 表格:\n      \
         列: [甲, 乙, 丙, 丁, 戊, 己, 庚, 辛]\n      行:\n        - [{}]\n\
         发文机关署名: 市政府\n成文日期: 2019-12-31\n",
        wide.join(", ")
    );
    std::fs::write(dir.path().join("公文.yaml"), &yaml).unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap();
    let err = gongwen::build(engine(), &project)
        .err()
        .expect("too wide")
        .to_string();
    assert!(
        err.contains("表格过宽") && err.contains("正文第2段的表格") && err.contains("公文.yaml:5:"),
        "{err}"
    );
}

#[test]
fn pages_that_go_on_are_full_but_for_a_line_carried_over() {
    // In the generated documents, every page before the last ends on one of
    // the last two rows: at most one line is given up to keep a heading or
    // the signature with what follows.
    for n in [10, 17, 20, 21, 22, 23] {
        let mut body = String::new();
        for _ in 0..n {
            body.push_str(&format!("  - {LINE}\n"));
        }
        body.push_str(&format!(
            "  - 标题: 工作要求\n    内容:\n      - {LINE}\n  - 特此通知。\n"
        ));
        let dir = tempfile::tempdir().unwrap();
        let yaml = format!(
            "发文机关标志: 某某市人民政府文件\n发文字号: 某府发〔2019〕1号\n标题: 关于某事的通知\n\
             主送机关: 各区人民政府：\n正文:\n{body}发文机关署名: 市政府\n成文日期: 2019-12-31\n"
        );
        std::fs::write(dir.path().join("公文.yaml"), &yaml).unwrap();
        let l = layout(&build_dir(dir.path()).doc);
        let pitch = (225.0 - 16.0 / PT_PER_MM) / 21.0;
        for page in 1..l.pages.len() {
            let last = l
                .lines(page)
                .into_iter()
                .rfind(|ln| ln[0].em_top() < 262.0)
                .unwrap();
            let row = ((last[0].em_top() - 37.0) / pitch).round();
            assert!(row >= 20.0, "n={n} p{page}: last line on row {}", row + 1.0);
        }
    }
}

#[test]
fn empty_cells_are_fine_in_any_table() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "发文机关标志: 某某市人民政府文件\n标题: 关于某事的通知\n正文:\n  - 表格:\n      \
                列: [类别, 说明, 备注]\n      行:\n        - [一、综合类, \"\", \"\"]\n        \
                - [甲, 乙, \"\"]\n  - 特此通知。\n发文机关署名: 市政府\n成文日期: 2019-12-31\n";
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    assert!(check_dir(dir.path()).is_empty());
}

#[test]
fn every_starter_of_gongwen_new_builds_as_written_and_keeps_the_invariants() {
    assert_eq!(gongwen::starters::KINDS.len(), 10);
    let root = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (kind, _) in gongwen::starters::KINDS {
        let dir = root.path().join(kind);
        gongwen::starters::write(kind, &dir).unwrap();
        let project = gongwen::Project::load(&dir).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let findings = gongwen::check(engine(), &project);
        assert!(findings.is_empty(), "{kind}: {findings:?}");
        failures.extend(check_dir(&dir));
        // Never over a document someone has started.
        assert!(gongwen::starters::write(kind, &dir).is_err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_line_of_any_fixture_starts_with_a_mark_that_may_not_start_one() {
    // GB/T 15834: 、。，；：？！ and closing marks never begin a line (a page
    // break is a line break too). Found on published documents: "》、" broke
    // between its two marks (ling-706 page 9, kindergarten page 2).
    const NEVER_FIRST: &str = "、。，；：？！）》」』】〕〉］｝”’";
    let mut bad = Vec::new();
    for dir in fixtures() {
        let project = gongwen::Project::load(&dir).unwrap();
        let built = gongwen::build(engine(), &project).unwrap();
        let l = layout(&built.doc);
        for page in 0..built.doc.pages().len() {
            for line in l.lines(page) {
                let line: Vec<&Run> = line.into_iter().filter(|r| !r.rotated).collect();
                let text = line_text(&line);
                if text.chars().next().is_some_and(|c| NEVER_FIRST.contains(c)) {
                    bad.push(format!("{} p{}: {text}", dir.display(), page + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Issue 24: notes under a table, swept over every table length so that the
/// page break lands at each row: eight notes of a line each (too many to go
/// over with the last rows) follow the table as text, and at no length does
/// anything leave the 版心 or overprint; the 合计 stays with the last row.
#[test]
fn long_table_notes_keep_the_page_invariants_at_every_length() {
    let notes: Vec<String> = (1..=8)
        .map(|i| format!("第{i}项指标的口径以国家统计局发布的最新标准为准。"))
        .collect();
    let mut failures = Vec::new();
    for n in 8..=30 {
        let dir = tempfile::tempdir().unwrap();
        let mut rows = String::new();
        for i in 0..n {
            rows.push_str(&format!("        - [第{i}项, \"{i}\"]\n"));
        }
        let yaml = format!(
            "发文机关标志: 某局文件\n标题: 关于某事的通知\n正文:\n  - 请按下表执行。\n  - 表格:\n      列: [项目, 数量]\n      合计: true\n      行:\n{rows}      注: [{}]\n  - 特此通知。\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
            notes.join(", ")
        );
        std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
        let project = gongwen::Project::load(dir.path()).unwrap();
        let built = gongwen::build(engine(), &project).unwrap();
        failures.extend(check(&format!("{n} rows"), &project, &built));
        let l = layout(&built.doc);
        let page = |needle: &str| (1..=l.pages.len()).find(|&p| l.page_has(p, needle));
        let last = format!("第{}项", n - 1);
        if page(&last) != page("合计") {
            failures.push(format!("{n} rows: the 合计 left the last row"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Issue 24: sweeps that put each break somewhere new — body lengths before
/// a 版记 (old rows and a long 抄送 list), run-in headings of every length
/// ending the text, and joint seals after 1 to 15 paragraphs.
#[test]
fn sweeps_before_the_colophon_after_runin_headings_and_over_joint_seals() {
    let mut failures = Vec::new();
    let colophon = "版记:\n  报: 市委\n  送: [市人大常委会办公厅, 市政协办公厅]\n  抄送机关: [市委各部门, 市监委, 市法院, 市检察院, 各人民团体]\n  印发机关: 某某市人民政府办公厅\n  印发日期: 2019-12-31\n";
    for n in 0..24 {
        let body: String = (0..n).map(|_| format!("  - {LINE}\n")).collect();
        failures.extend(
            generated(&format!("{body}  - 特此通知。\n"), colophon)
                .into_iter()
                .map(|f| format!("版记 n={n} {f}")),
        );
    }
    for n in [14, 16, 18, 19, 20] {
        for k in 1..=6 {
            let body: String = (0..n).map(|_| format!("  - {LINE}\n")).collect();
            let rest: String = LINE.chars().cycle().take(k * 13).collect();
            let body = format!("{body}  - 标题: 工作要求\n    文字: {rest}。\n");
            failures.extend(
                generated(&body, "加盖印章: true\n")
                    .into_iter()
                    .map(|f| format!("run-in n={n} k={k} {f}")),
            );
        }
    }
    let seals = repo().join("tests/fixtures/layout/joint-seals");
    for n in 1..=15 {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a.svg", "b.svg", "c.svg"] {
            std::fs::copy(seals.join(f), dir.path().join(f)).unwrap();
        }
        let body: String = (0..n).map(|_| format!("  - {LINE}\n")).collect();
        let yaml = format!(
            "发文机关标志: {{机关: [某省财政厅, 某省人力资源和社会保障厅, 某省教育厅], 后缀: 文件}}\n发文字号: 某财社〔2026〕8号\n标题: 关于某事的通知\n主送机关: 各市财政局：\n正文:\n{body}发文机关署名: [某省财政厅, 某省人力资源和社会保障厅, 某省教育厅]\n成文日期: 2026-06-20\n印章: [a.svg, b.svg, c.svg]\n"
        );
        std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
        failures.extend(
            check_dir(dir.path())
                .into_iter()
                .map(|f| format!("seals n={n} {f}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
