//! GB/T 9704-2012 measured on the compiled pages of the canonical notice:
//! positions in millimetres from the paper's top-left corner, ±0.5 mm.

use crate::common::*;

#[test]
fn masthead_title_and_recipients_on_page_one() {
    let l = layout(&canonical().doc);
    let mark = l.find(1, "上海市市场监督管理局文件");
    close(mark.em_top(), 72.0, "mark top");
    assert!(
        mark.width <= 156.0 + 0.01,
        "mark wider than the 版心: {:.2}",
        mark.width
    );
    close(mark.x + mark.width / 2.0, 28.0 + 78.0, "mark centre");
    assert_eq!(mark.family, "FandolSong");
    assert_eq!(mark.weight, 700);

    let number = l.find(1, "沪市监消保");
    close(
        number.em_top(),
        mark.em_bottom() + 2.0 * HANG,
        "发文字号 two lines below the mark",
    );
    let line = l
        .lines(1)
        .into_iter()
        .find(|ln| ln[0].text.contains("沪市监消保"))
        .unwrap();
    let (left, right) = (line[0].x, line.last().unwrap().right());
    close((left + right) / 2.0, 106.0, "发文字号 centred");
    assert!(number.family.starts_with("FandolFang"), "{}", number.family);
    assert!((number.size_pt - 16.0).abs() < 0.01);

    let rule = l.separator();
    close(
        rule.y,
        number.em_bottom() + 4.0,
        "separator 4 mm below the number",
    );
    close(rule.x, 28.0, "separator left edge");
    close(rule.width, 156.0, "separator width");

    let line = l.line(1, "上海市市场监督管理局关于");
    let title = line[0];
    close(
        title.em_top(),
        rule.y + 2.0 * HANG,
        "title two lines below the separator",
    );
    close(
        (line[0].x + line.last().unwrap().right()) / 2.0,
        106.0,
        "title centred",
    );
    assert!(
        (title.size_pt - 22.0).abs() < 0.01,
        "title size {}",
        title.size_pt
    );
    assert_eq!((title.family.as_str(), title.weight), ("FandolSong", 700));
    let last = l.line(1, "消费者权益日系列活动方案》的通知")[0];
    let recipients = l.find(1, "市局有关处室");
    close(
        recipients.em_top(),
        last.em_bottom() + HANG,
        "主送机关 one line below the title",
    );
    close(recipients.x, 28.0, "主送机关 flush left");
}

#[test]
fn a_full_body_page_is_a_22_by_28_grid() {
    let l = layout(&canonical().doc);
    // Page 3 is all body text of the 方案.
    let lines = l.lines(3);
    let body: Vec<_> = lines.iter().filter(|ln| ln[0].size_pt == 16.0).collect();
    assert_eq!(body.len(), 22, "body lines on page 3");
    close(body[0][0].em_top(), 37.0, "first row at the 版心 top");
    close(
        body[21][0].em_bottom(),
        262.0,
        "last row at the 版心 bottom",
    );
    for w in body.windows(2) {
        let d = w[1][0].baseline - w[0][0].baseline;
        assert!(
            (d - PITCH).abs() < 0.01,
            "baseline pitch {d:.3} mm, want {PITCH:.3}"
        );
    }
    // Lines of ideographs only hold exactly 28, one per grid cell.
    let mut pure = 0;
    for ln in &body {
        let text: String = ln.iter().map(|r| r.text.as_str()).collect();
        if text.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            pure += 1;
            let xs: Vec<f64> = ln.iter().flat_map(|r| r.glyph_x.clone()).collect();
            let indent = if (xs[0] - 28.0).abs() < 0.1 {
                0.0
            } else {
                2.0 * CELL
            };
            assert_eq!(xs.len() + (indent / CELL).round() as usize, 28, "{text}");
            for (i, x) in xs.iter().enumerate() {
                close(*x, 28.0 + indent + i as f64 * CELL, "grid cell");
            }
        }
    }
    assert!(pure >= 1, "no line of pure ideographs on page 3 to measure");
    // With full-width punctuation too (and no Latin or digits), a full line
    // still holds exactly 28 characters: every mark takes a whole cell, and
    // every ideograph sits on a cell of the grid (issue 11.6).
    let marks = "，。、；：！？）》」』】〕〉］｝”’（《「『【〔〈［｛“‘";
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || marks.contains(c);
    let (mut with_marks, mut exact) = (0, 0);
    for p in 2..=l.pages.len() {
        for ln in l.lines(p).iter().filter(|ln| ln[0].size_pt == 16.0) {
            let text: String = ln.iter().map(|r| r.text.as_str()).collect();
            let text: String = text.chars().filter(|c| *c != '\u{2060}').collect();
            let full = (ln.last().unwrap().right() - 184.0).abs() < 0.6;
            if !full || !text.chars().all(cjk) || !text.chars().any(|c| marks.contains(c)) {
                continue;
            }
            with_marks += 1;
            let indent = if (line_left(ln) - 28.0).abs() < 0.3 {
                0
            } else {
                2
            };
            let count = text.chars().count() + indent;
            assert!(count <= 28, "p{p}: {count} characters in “{text}”");
            // A line one short is stretched because the next begins with a
            // mark that cannot start a line (the character before it went
            // down with it); only full lines are on the grid.
            if count < 28 {
                continue;
            }
            exact += 1;
            for r in ln.iter() {
                for (c, x) in r.text.chars().zip(&r.glyph_x) {
                    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                        let cell = (x - 28.0) / CELL;
                        assert!(
                            (cell - cell.round()).abs() * CELL < 0.3,
                            "p{p}: “{c}” off the grid at {x:.2} mm in “{text}”"
                        );
                    }
                }
            }
        }
    }
    assert!(with_marks >= 20, "only {with_marks} full lines with marks");
    assert!(
        exact * 10 >= with_marks * 7,
        "only {exact} of {with_marks} full lines with marks hold 28 characters"
    );
    // Paragraphs are justified: every line but a paragraph's last reaches the right edge.
    let full = body
        .iter()
        .filter(|ln| (ln.last().unwrap().right() - 184.0).abs() < 0.6)
        .count();
    assert!(full >= 15, "only {full} of 22 lines reach the right edge");
}

#[test]
fn headings_and_items_use_their_faces() {
    let l = layout(&canonical().doc);
    let h1 = l
        .runs
        .iter()
        .find(|r| r.text.contains("开展主题活动"))
        .unwrap();
    assert_eq!(h1.family, "FandolHei");
    let line = l.line(h1.page, "开展主题活动");
    close(
        line[0].x,
        28.0 + 2.0 * CELL,
        "heading indented two characters",
    );
    let item = l.runs.iter().find(|r| r.text.contains("配合举办")).unwrap();
    assert!(item.family.starts_with("FandolFang"));
}

#[test]
fn page_numbers_are_dashes_7mm_below_the_body_alternating_sides() {
    let l = layout(&canonical().doc);
    for page in 1..=l.pages.len() {
        let ln = l
            .lines(page)
            .into_iter()
            .find(|ln| ln.iter().any(|r| r.text.contains('—')) && ln[0].baseline > 262.0)
            .unwrap_or_else(|| panic!("no page number on page {page}"));
        let text: String = ln.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["—", &page.to_string(), "—"]
        );
        let r = ln[0];
        assert_eq!(r.family, "FandolSong");
        assert!((r.size_pt - 14.0).abs() < 0.01);
        // The dash stroke sits 0.3 em above the baseline in FandolSong.
        close(
            r.baseline - 0.3 * 14.0 / PT_PER_MM,
            262.0 + 7.0,
            "dash line",
        );
        let one = 14.0 / PT_PER_MM;
        if page % 2 == 1 {
            close(
                ln.last().unwrap().right(),
                184.0 - one,
                "odd page number right",
            );
        } else {
            close(ln[0].x, 28.0 + one, "even page number left");
        }
    }
}

#[test]
fn attachment_page_label_title_and_table() {
    let l = layout(&canonical().doc);
    let page = l.pages.len();
    let label = l.find(page, "附件");
    assert_eq!(label.family, "FandolHei");
    close(label.em_top(), 37.0, "附件 on row 1");
    close(label.x, 28.0, "附件 flush left");
    let title = l.line(page, "国际消费者权益日系列");
    close(
        title[0].em_top(),
        37.0 + 2.0 * PITCH,
        "attachment title on row 3",
    );
    close(
        (title[0].x + title.last().unwrap().right()) / 2.0,
        106.0,
        "attachment title centred",
    );
    let fill = l.find(page, "填报单位");
    close(fill.x, 28.0, "填报单位 flush left");
    let date = l.find(page, "填报日期");
    assert!(date.x > 106.0, "填报日期 on the right half");
    // The table: a header row and ten numbered rows, ruled.
    for (i, cat) in ["组织普法活动", "查处侵害消费者权益案件"]
        .iter()
        .enumerate()
    {
        let row = l.find(page, cat);
        let n = l
            .runs
            .iter()
            .find(|r| r.page == page && (r.baseline - row.baseline).abs() < 0.3 && r.x < row.x)
            .unwrap();
        assert_eq!(n.text, if i == 0 { "1" } else { "10" });
    }
    let rules = l.rules.iter().filter(|r| r.page == page).count();
    assert!(rules >= 12, "table has only {rules} rules");
}
