//! The structures real documents use (issue 13), measured on the examples
//! under content/ (each typed from a published text): run-in headings,
//! 章/条 articles, decimal numbering with a 目录, a forwarded 请示 with its own
//! 主送机关, 署名 and 成文日期; and numbering, dates and structure rules.

use crate::common::*;

fn example(name: &str) -> (gongwen::Project, Layout) {
    let dir = repo().join("content").join(name);
    let project = gongwen::Project::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let built = gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"));
    (project, layout(&built.doc))
}

#[test]
fn examples_whose_numbering_the_model_expresses_get_no_warning() {
    for name in [
        "yijian-runin",
        "banfa-articles",
        "zhuanfa-qingshi",
        "yuan-decimal",
    ] {
        let project = gongwen::Project::load(&repo().join("content").join(name)).unwrap();
        let findings = gongwen::check(engine(), &project);
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}

#[test]
fn a_run_in_heading_is_one_line_heading_face_then_body_face() {
    let (_, l) = example("yijian-runin");
    let (page, ln) = l.line_starting("（一）加大稳岗支持力度。");
    let heading: String = ln
        .iter()
        .filter(|r| r.family == "FandolKai")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(heading, "（一）加大稳岗支持力度。", "p{page}");
    let rest = ln.iter().find(|r| r.text.starts_with("对不裁员")).unwrap();
    assert_eq!(rest.family, "FandolFang R");
    // The same row: the text follows the heading, not on a line of its own.
    assert!((rest.baseline - ln[0].baseline).abs() < 0.01);
    close(line_left(&ln), 28.0 + 2.0 * CELL, "run-in heading indented");
    // Numbering continues across sections where the document says so.
    l.line_starting("（四）");
    assert!(l.text().contains("（十五）"));
}

#[test]
fn articles_number_through_the_chapters_with_their_numbers_in_heiti() {
    let (_, l) = example("banfa-articles");
    let text = l.text();
    for needle in ["第一章", "第九章", "第一条", "第三十二条"] {
        assert!(text.contains(needle), "{needle}");
    }
    assert!(!text.contains("第三十三条"));
    let (_, first) = l.line_starting("第一条");
    assert_eq!(first[0].family, "FandolHei");
    assert_eq!(first[1].family, "FandolFang R", "the article's text run in");
    // A chapter line is centred in the 版心.
    let (_, chapter) = l.line_starting("第二章");
    let left = chapter[0].x;
    let right = chapter.last().unwrap().right();
    close((left + right) / 2.0, 28.0 + 78.0, "chapter centred");
    assert_eq!(chapter[0].family, "FandolHei");
}

#[test]
fn the_table_of_contents_gives_the_page_each_heading_is_on() {
    let (_, l) = example("yuan-decimal");
    let (toc_page, _) = l.line_starting("目");
    // Every 目录 line: an entry, leaders, the page number.
    let mut checked = 0;
    for p in toc_page..=toc_page + 1 {
        for ln in l.lines(p) {
            let t = line_text(&ln);
            let Some((entry, page)) = t.split_once('.').and_then(|_| {
                let number: String = t.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
                let number: String = number.chars().rev().collect();
                let entry = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                (!number.is_empty()).then(|| (entry.to_string(), number.parse::<usize>().unwrap()))
            }) else {
                continue;
            };
            if !entry.contains('\u{3000}') {
                continue;
            }
            // Find the heading in the body, after the 目录.
            let at = (toc_page + 1..=l.pages.len())
                .find(|&q| l.lines(q).iter().any(|hl| line_text(hl) == entry));
            let at = at.unwrap_or_else(|| panic!("heading {entry:?} not found"));
            let printed = l
                .runs
                .iter()
                .find(|r| r.page == at && r.text.contains('—') && r.size_pt == 14.0)
                .map(|r| {
                    r.text
                        .chars()
                        .filter(|c| c.is_ascii_digit())
                        .collect::<String>()
                })
                .unwrap();
            assert_eq!(printed, page.to_string(), "{entry} is on page {printed}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} 目录 entries checked");
    // Decimal numbering: 1 / 1.1 / （1）.
    for needle in ["1\u{3000}总则", "2.1\u{3000}", "（1）"] {
        assert!(l.text().contains(needle), "{needle}");
    }
}

#[test]
fn a_forwarded_request_has_its_own_recipient_signature_and_date() {
    let (project, l) = example("zhuanfa-qingshi");
    let doc = &project.notice.issued[0];
    assert_eq!(doc.recipients.as_deref(), Some("国务院："));
    let (page, recipients) = l.line_starting("国务院：");
    close(recipients[0].x, 28.0, "its 主送机关 flush left");
    let date = doc.date.unwrap().chinese();
    let dated = (page..=l.pages.len())
        .flat_map(|p| l.lines(p))
        .any(|ln| line_text(&ln) == date && ln[0].x > 106.0);
    assert!(
        dated,
        "its 成文日期 {date} on a line of its own at the right"
    );
    let signed = (page..=l.pages.len())
        .flat_map(|p| l.lines(p))
        .any(|ln| line_text(&ln) == "国家教委" && ln[0].x > 106.0);
    assert!(signed, "its 署名");
}

fn check_yaml(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let findings: Vec<String> = gongwen::check(engine(), &project)
        .iter()
        .map(ToString::to_string)
        .collect();
    findings.join("\n")
}

const HEAD: &str = "发文机关标志: 某局文件\n标题: 关于某事的通知\n发文机关署名: 某局\n";

#[test]
fn a_section_outside_a_chapter_and_an_attachment_inside_one_are_errors() {
    let f = check_yaml(&format!(
        "{HEAD}成文日期: 2019-03-07\n正文:\n  - 节: 一般规定\n    内容:\n      - 条: 甲。\n"
    ));
    assert!(
        f.contains("节 只能写在章的 内容 里") && f.contains("正文第1段"),
        "{f}"
    );
    let f = check_yaml(&format!(
        "{HEAD}成文日期: 2019-03-07\n正文: [甲。]\n附件:\n  - 标题: 甲\n    附件:\n      - 标题: 乙\n"
    ));
    assert!(f.contains("附件中不能再带附件"), "{f}");
}

#[test]
fn a_date_in_chinese_numerals_is_read_printed_in_arabic_and_noted() {
    let yaml = format!("{HEAD}成文日期: 二〇一九年三月七日\n正文: [特此通知。]\n");
    let f = check_yaml(&yaml);
    assert!(f.contains("汉字数字") && f.contains("2019年3月7日"), "{f}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    assert!(l.text().contains("2019年3月7日"));
    assert!(!l.text().contains("二〇一九"));
}

#[test]
fn numbering_may_skip_a_level_start_anywhere_and_restart_below() {
    let yaml = format!(
        "{HEAD}成文日期: 2019-03-07\n正文:\n  - 标题: 甲\n    内容:\n      - {{标题: 乙, 级别: 3}}\n\
         \x20     - {{段落: 丙。, 编号: true, 级别: 3}}\n  - {{标题: 丁, 起始: 5}}\n  - 标题: 戊\n\
         \x20 - {{段落: 己。, 编号: true}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let text = squeeze(&layout(&build_dir(dir.path()).doc).text());
    for needle in ["一、甲", "1.乙", "2.丙。", "五、丁", "六、戊", "七、己。"] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}
