//! Tables as offices make them (issue 14), measured on the laid-out pages:
//! merged header cells over their columns, category rows across the table,
//! computed totals against an independent sum, caption, 单位 and notes in
//! their places, a table's own size, and located errors for bad spans.

use crate::common::*;

const HEAD: &str =
    "发文机关标志: 某局文件\n标题: 关于统计情况的通知\n发文机关署名: 某局\n成文日期: 2019-03-07\n";

fn build_yaml(yaml: &str) -> Layout {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    layout(&build_dir(dir.path()).doc)
}

fn errors_of(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap();
    let f: Vec<String> = gongwen::check(engine(), &project)
        .iter()
        .filter(|f| f.severity == gongwen::Severity::Error)
        .map(ToString::to_string)
        .collect();
    f.join("\n")
}

/// Values of an employment table: (region, category, 2017, 2018, 2019).
const DATA: &[(&str, &str, i64, i64, i64)] = &[
    ("东部", "北京", 1203, 1250, 1311),
    ("东部", "上海", 1087, 1102, 1150),
    ("东部", "浙江", 3120, 3218, 3305),
    ("西部", "四川", 2690, 2712, 2760),
    ("西部", "陕西", 1410, 1433, 1470),
];

fn employment_table() -> String {
    let mut rows = String::new();
    let mut region = "";
    for (r, name, a, b, c) in DATA {
        if *r != region {
            rows.push_str(&format!("        - {{分类: {r}地区}}\n"));
            region = r;
        }
        rows.push_str(&format!("        - [{name}, {a}, {b}, {c}]\n"));
    }
    format!(
        "{HEAD}正文:\n  - 表格:\n      表题: 部分省份城镇就业人数\n      单位: 万人\n      字号: 4号\n      \
         表头:\n        - [{{文字: 地区, 跨行: 2}}, {{文字: 城镇就业人数, 跨列: 3}}]\n        \
         - [2017年, 2018年, 2019年]\n      行:\n{rows}      合计: 总计\n      小计: true\n      \
         注: [数据来源于各省统计公报。, 2019年为快报数。]\n  - 特此通知。\n"
    )
}

#[test]
fn a_two_row_header_categories_and_computed_totals_lay_out_as_published() {
    let l = build_yaml(&employment_table());
    let span = l
        .runs
        .iter()
        .find(|r| r.text.starts_with("城镇") && r.size_pt == 14.0)
        .expect("the group heading in the table");
    let years: Vec<&Run> = ["2017", "2018", "2019"]
        .iter()
        .map(|y| l.runs.iter().find(|r| r.text.starts_with(y)).unwrap())
        .collect();
    // The group heading is centred over its three year columns, on the
    // header row above them.
    let group: Vec<&Run> = l
        .lines(span.page)
        .into_iter()
        .find(|ln| ln.iter().any(|r| std::ptr::eq(*r, span)))
        .unwrap();
    let centre = (group[0].x + group.last().unwrap().right()) / 2.0;
    let under = (years[0].x + years[2].right()) / 2.0;
    assert!((centre - under).abs() < 6.0, "{centre:.1} vs {under:.1}");
    assert!(years[0].baseline > span.baseline + 3.0);
    // The table is set at its own size (4号).
    assert_eq!(l.find(span.page, "北京").size_pt, 14.0);
    // A category row starts at the table's left edge, not in a column.
    let east = l.find(span.page, "东部地区");
    let beijing = l.find(span.page, "北京");
    assert!(east.x < beijing.x, "category row across the table");
    // Totals, against a sum made here.
    let text = squeeze(&l.text());
    let (mut a, mut b, mut c) = (0, 0, 0);
    for (_, _, x, y, z) in DATA {
        (a, b, c) = (a + x, b + y, c + z);
    }
    assert!(text.contains(&format!("总计{a}{b}{c}")), "{text}");
    let east: (i64, i64, i64) = DATA[..3]
        .iter()
        .fold((0, 0, 0), |s, d| (s.0 + d.2, s.1 + d.3, s.2 + d.4));
    assert!(
        text.contains(&format!("小计{}{}{}", east.0, east.1, east.2)),
        "{text}"
    );
    // Caption above, centred; 单位 at the right above the table; notes below.
    let caption = l.line(span.page, "部分省份城镇就业人数");
    let mid = (caption[0].x + caption.last().unwrap().right()) / 2.0;
    close(mid, 106.0, "caption centred");
    let unit = l.line(span.page, "万人");
    close(unit.last().unwrap().right(), 184.0, "单位 at the right");
    assert!(unit[0].baseline < span.baseline && caption[0].baseline < unit[0].baseline);
    let (note_page, note) = l.line_starting("注：");
    assert!(
        line_text(&note).contains("数据来源"),
        "{}",
        line_text(&note)
    );
    let total = l.runs.iter().find(|r| r.text.starts_with("总计")).unwrap();
    assert!(
        (note_page, note[0].baseline) > (total.page, total.baseline),
        "notes below the table"
    );
}

#[test]
fn bad_spans_and_wrong_typed_totals_are_located_errors() {
    let e = errors_of(&format!(
        "{HEAD}正文:\n  - 表格:\n      列: [甲, 乙, 丙]\n      行:\n        - [{{文字: a, 跨行: 2}}, b, c]\n        - [{{文字: d, 跨列: 3}}]\n"
    ));
    assert!(
        e.contains("正文第1段的表格的第2行第1格") && e.contains("超出表格"),
        "{e}"
    );
    let e = errors_of(&format!(
        "{HEAD}正文:\n  - 表格:\n      列: [名称, 数量]\n      行:\n        - [甲, 1]\n        - [乙, 2]\n        - [合计, 4]\n"
    ));
    assert!(
        e.contains("正文第1段的表格的第3行") && e.contains("各行之和是 3"),
        "{e}"
    );
    let e = errors_of(&format!(
        "{HEAD}正文:\n  - 表格:\n      表头:\n        - [{{文字: 甲, 跨行: 3}}, 乙]\n        - [丙]\n      行: [[a, b]]\n"
    ));
    assert!(
        e.contains("表头第1行第1格") && e.contains("超出了表头"),
        "{e}"
    );
}

#[test]
fn several_captioned_tables_in_one_attachment_are_numbered() {
    let yaml = format!(
        "{HEAD}正文: [见附件。]\n附件:\n  - 标题: 统计表\n    正文:\n      - 表格: {{表题: 甲表, 列: [a, b], 行: [[1, 2]]}}\n      \
         - 表格: {{表题: 乙表, 列: [a, b], 行: [[3, 4]]}}\n"
    );
    let text = build_yaml(&yaml).text();
    assert!(
        text.contains("表1\u{3000}甲表") && text.contains("表2\u{3000}乙表"),
        "{text}"
    );
}

#[test]
fn a_long_unit_name_is_never_broken_by_a_filled_date() {
    let name = "上海市长宁区市场监督管理局稽查大队第一分队";
    // With a 填报日期 filled in: the two no longer fit one line.
    let units = tempfile::tempdir().unwrap();
    let list = units.path().join("u.yaml");
    std::fs::write(&list, format!("单位:\n  - {{编号: a, 名称: {name}}}\n")).unwrap();
    let out = units.path().join("out");
    let opts = gongwen::forms::Options {
        units: Some(list),
        date: Some("2019年3月20日".into()),
        ..Default::default()
    };
    gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    let bytes = std::fs::read(
        out.join("2019-315")
            .join("填报表")
            .join(format!("a-{name}.pdf")),
    )
    .unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let lines: Vec<String> = text.lines().map(squeeze).collect();
    assert!(
        lines.iter().any(|l| l == &format!("填报单位：{name}")),
        "the name broken: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("填报日期：2019年3月20日")),
        "{lines:?}"
    );
}

#[test]
fn a_table_kept_in_excel_comes_with_its_merged_cells() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("就业").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 1, 0, "地区", &f).unwrap();
    ws.merge_range(0, 1, 0, 3, "城镇就业人数", &f).unwrap();
    for (c, y) in ["2017年", "2018年", "2019年"].iter().enumerate() {
        ws.write_string(1, c as u16 + 1, *y).unwrap();
    }
    ws.merge_range(2, 0, 2, 3, "东部地区", &f).unwrap();
    for (r, (_, name, a, b, c)) in (3..).zip(DATA) {
        ws.write_string(r, 0, *name).unwrap();
        for (i, v) in [a, b, c].iter().enumerate() {
            ws.write_number(r, i as u16 + 1, **v as f64).unwrap();
        }
    }
    wb.save(dir.path().join("就业.xlsx")).unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        format!(
            "{HEAD}正文:\n  - 表格:\n      来源: {{文件: 就业.xlsx, 表头行数: 2}}\n      合计: true\n  - 特此通知。\n"
        ),
    )
    .unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let built = gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        built.inputs.iter().any(|p| p.ends_with("就业.xlsx")),
        "watch follows the sheet: {:?}",
        built.inputs
    );
    let l = layout(&built.doc);
    let text = squeeze(&l.text());
    let sum: i64 = DATA.iter().map(|d| d.2).sum();
    assert!(
        text.contains("东部地区") && text.contains(&format!("合计{sum}")),
        "{text}"
    );
    let group = l.runs.iter().find(|r| r.text.starts_with("城镇")).unwrap();
    let y2017 = l.runs.iter().find(|r| r.text.starts_with("2017")).unwrap();
    assert!(
        y2017.baseline > group.baseline,
        "a two-row header from the sheet"
    );

    // A missing sheet is a located error.
    std::fs::write(
        dir.path().join("公文.yaml"),
        format!("{HEAD}正文:\n  - 表格:\n      来源: {{文件: 就业.xlsx, 工作表: 没有}}\n"),
    )
    .unwrap();
    let err = gongwen::Project::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("没有工作表“没有”") && err.contains("公文.yaml:7:"),
        "{err}"
    );
}

#[test]
fn a_table_too_wide_for_portrait_is_set_rotated_with_page_numbers_in_place() {
    // Nine columns of nine-digit coordinates fit no portrait size, but fit
    // the rotated 版心.
    let mut rows = String::new();
    for r in 0..40 {
        let cells: Vec<String> = (0..9)
            .map(|c| format!("\"{}\"", 103_600_000 + r * 11 + c))
            .collect();
        rows.push_str(&format!("        - [{}]\n", cells.join(", ")));
    }
    let yaml = format!(
        "{HEAD}正文:\n  - 一段文字。\n  - 表格:\n      表题: 界址点坐标\n      \
         列: [点号, X1, X2, X3, X4, X5, X6, X7, X8]\n      行:\n{rows}  - 特此批复。\n"
    );
    let l = build_yaml(&yaml);
    let rotated: std::collections::BTreeSet<usize> = l
        .runs
        .iter()
        .filter(|r| r.rotated)
        .map(|r| r.page)
        .collect();
    assert!(rotated.len() >= 2, "rotated pages: {rotated:?}");
    for r in [0, 39] {
        let v = (103_600_000 + r * 11).to_string();
        assert!(l.runs.iter().any(|run| run.rotated && run.text == v), "{v}");
    }
    // The header is repeated on every rotated page, at the left (the head
    // at the binding edge of odd pages, the cut edge of even ones).
    for &p in &rotated {
        let head = l
            .runs
            .iter()
            .find(|r| r.page == p && r.text == "X1")
            .unwrap();
        let value = l
            .runs
            .iter()
            .find(|r| r.page == p && r.rotated && r.text.starts_with("1036"))
            .unwrap();
        assert!(head.x < value.x, "p{p}: head left of the values");
        // Page numbers keep their place and side.
        let number = l
            .runs
            .iter()
            .find(|r| r.page == p && r.text.contains('—'))
            .unwrap();
        assert!(!number.rotated && (number.baseline - 266.14 - 3.0).abs() < 5.0);
        assert_eq!(number.x > 106.0, p % 2 == 1, "p{p}: odd right, even left");
    }
}

#[test]
fn a_form_with_a_two_row_header_and_categories_round_trips_through_excel() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(
        content.join("公文.yaml"),
        format!(
            "{HEAD}正文: [请按附件填报。]\n附件:\n  - 标题: 安全生产检查情况统计表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      \
             表头:\n        - [{{文字: 序号, 跨行: 2}}, {{文字: 项目, 跨行: 2}}, {{文字: 检查情况, 跨列: 2}}]\n        \
             - [家次, 隐患数]\n      自动序号: true\n      合计: true\n      行:\n        - {{分类: 一、企业}}\n        \
             - [生产企业, \"\", \"\"]\n        - [经营企业, \"\", \"\"]\n        - {{分类: 二、场所}}\n        - [人员密集场所, \"\", \"\"]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        content.join("填报单位.yaml"),
        "单位:\n  - {编号: a, 名称: 甲区应急管理局}\n  - {编号: b, 名称: 乙区应急管理局}\n",
    )
    .unwrap();
    let (_, form, units) = gongwen::forms::load(engine(), &content, None).unwrap();
    assert_eq!(form.header[2], "检查情况/家次");
    assert_eq!(form.cells().len(), 6, "three data rows × two fill columns");
    // Workbooks filled by the units, read back and summed.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let values = |u: i64| -> Vec<Option<i64>> { (0..6).map(|i| Some(u * 10 + i)).collect() };
    for (i, u) in units.iter().enumerate() {
        let book = gongwen::forms::form_workbook(
            &form,
            u,
            date,
            &texts(&values(i as i64 + 1)),
            None,
            &Default::default(),
        )
        .unwrap();
        std::fs::write(data.join(format!("{}.xlsx", u.id)), book).unwrap();
    }
    let (returns, problems) = gongwen::forms::returns::read(&data, &form, &units);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(returns[0].values, texts(&values(1)));
    assert_eq!(returns[1].values, texts(&values(2)));
    let out = dir.path().join("out");
    let report = gongwen::forms::collect(
        engine(),
        &content,
        &data,
        &out,
        &gongwen::forms::Options::default(),
    )
    .unwrap();
    let independent: Vec<i64> = (0..6).map(|i| 10 + i + 20 + i).collect();
    assert_eq!(whole(&report.summary.totals), independent);
    // Each filled form shows its values and its computed 合计.
    let bytes = std::fs::read(out.join("c").join("已填报").join("a-甲区应急管理局.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&bytes).unwrap());
    assert!(
        text.contains("一、企业") && text.contains("生产企业1011"),
        "{text}"
    );
    let (home, hazards): (i64, i64) = (10 + 12 + 14, 11 + 13 + 15);
    assert!(text.contains(&format!("合计{home}{hazards}")), "{text}");
}

/// The page of the first line containing `needle`.
fn page_of(l: &Layout, needle: &str) -> usize {
    (1..=l.pages.len())
        .find(|&p| l.page_has(p, needle))
        .unwrap_or_else(|| panic!("{needle:?} not on any page"))
}

#[test]
fn totals_notes_and_category_rows_never_stand_apart_from_their_rows_at_a_page_break() {
    // Tables of every length from one to two pages: at some length the
    // last row ends a page, and at some the category row would.
    let (mut notes_split, mut category_split) = (0, 0);
    for n in 14..=40 {
        let mut rows = String::new();
        for i in 0..n {
            rows.push_str(&format!("        - [第{i}项, \"{i}\"]\n"));
        }
        rows.push_str(
            "        - {分类: 二、末类}\n        - [末类首行, \"1\"]\n        - [末行, \"2\"]\n",
        );
        let yaml = format!(
            "{HEAD}正文:\n  - 请按下表执行。\n  - 表格:\n      表头: [[项目, 数量]]\n      合计: true\n      行:\n{rows}      \
             注: [本表为示例。]\n  - 特此通知。\n"
        );
        let l = build_yaml(&yaml);
        let last = page_of(&l, "末行");
        let note = page_of(&l, "注：");
        let total = page_of(&l, "合计");
        assert_eq!(total, last, "{n} rows: the 合计 row left the last row");
        let category = page_of(&l, "二、末类");
        let first = page_of(&l, "末类首行");
        notes_split += usize::from(note != last);
        category_split += usize::from(category != first);
        assert_eq!(note, last, "{n} rows: the notes left the table's last row");
        assert_eq!(category, first, "{n} rows: the category row ended a page");
        // The notes sit under the table, inside the 版心, nothing overprinted.
        let note_y = l.line(note, "注：")[0].baseline;
        let last_y = l.line(last, "末行")[0].baseline;
        assert!(note_y > last_y, "{n} rows");
    }
    assert_eq!((notes_split, category_split), (0, 0));
}

#[test]
fn numbers_typed_into_cells_print_as_typed() {
    // Unquoted, as a clerk types them: YAML alone would print 2490.5,
    // 13272.032, 100000 and 7.
    let l = build_yaml(
        "发文机关标志: 某局文件\n标题: 关于坐标的通知\n正文:\n  - 表格:\n      列: [点, 坐标X, 坐标Y, 编码]\n      行:\n        - [A1, 13272.0320, 2490.50, 007]\n        - [A2, 1e5, 1.0, 12]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    let text = squeeze(&l.text());
    for typed in ["13272.0320", "2490.50", "007", "1e5", "1.0", "12"] {
        assert!(
            text.contains(typed),
            "{typed} not printed as typed in {text}"
        );
    }
}

/// Issue 23, point 2: a line break inside a cell (as a Word grid has it,
/// 主要\n产品) is kept: the two parts print on two lines of the cell.
#[test]
fn a_line_break_inside_a_cell_is_kept() {
    let l = build_yaml(
        "发文机关标志: 某局文件\n标题: 关于某事的通知\n正文:\n  - 表格:\n      列: [项目, 内容]\n      行:\n        - [\"主要\\n产品\", 甲乙丙]\n发文机关署名: 某局\n成文日期: 2026-06-20\n",
    );
    let first = l.line(1, "主要")[0].baseline;
    let second = l.line(1, "产品")[0].baseline;
    assert!(second > first + 1.0, "{first} / {second}: not two lines");
}

/// Issue 24: a label column never starves — the statistics example's
/// 危险化学品 and its headers 序号 and 挂牌督办 are each whole on a line
/// (they broke as 危险化学/品, 序/号, 挂牌督/办).
#[test]
fn short_labels_and_headers_are_never_broken() {
    let built = build_dir(&repo().join("content/yinhuan-tongji"));
    let l = layout(&built.doc);
    let page = (1..=l.pages.len())
        .find(|&p| l.page_has(p, "行业领域"))
        .unwrap();
    for word in ["危险化学品", "序号", "挂牌督办", "城镇燃气"] {
        let line: String = l.line(page, word).iter().map(|r| r.text.as_str()).collect();
        assert!(line.contains(word), "{word} broken");
    }
}

/// Issue 24: rows under a cell merged down several rows stay on one page,
/// swept over table lengths so that a page break falls inside the span at
/// some length: the merged text is never cut over a break (粤港分界/线).
#[test]
fn rows_under_a_merged_cell_stay_together_at_every_length() {
    for n in 10..=34 {
        let mut rows = String::new();
        for i in 0..n {
            rows.push_str(&format!("        - [第{i}段, 第{i}项, \"{i}\"]\n"));
        }
        rows.push_str(
            "        - [{文字: 粤港分界线, 跨行: 3}, 甲行1, \"1\"]\n        - [甲行2, \"2\"]\n        - [甲行3, \"3\"]\n        - [末段, 末行, \"4\"]\n",
        );
        let yaml = format!(
            "{HEAD}正文:\n  - 请按下表执行。\n  - 表格:\n      列: [区段, 项目, 数量]\n      行:\n{rows}  - 特此通知。\n"
        );
        let l = build_yaml(&yaml);
        let merged = page_of(&l, "粤港分界线");
        assert_eq!(merged, page_of(&l, "甲行1"), "{n} rows");
        assert_eq!(merged, page_of(&l, "甲行3"), "{n} rows: the span broke");
    }
}

/// Issue 24: a header spaced as offices space two-character headers
/// (说　明) keeps its column at least as wide as itself.
#[test]
fn a_spaced_header_keeps_its_column_wide_enough() {
    let l = build_yaml(
        "发文机关标志: 某局文件\n标题: 关于某事的通知\n正文:\n  - 表格:\n      列: [序号, 工作任务, 说　明]\n      行:\n        - [\"1\", 本项工作由各单位按照职责分工分别负责落实并于年底前报送完成情况和下一步工作打算以及存在的问题和建议, 无]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    let line: String = l.line(1, "说").iter().map(|r| r.text.as_str()).collect();
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains("说明"), "说　明 broken: {line}");
}

/// Issue 24: numbers from a 来源 sheet print as the sheet shows them — an
/// amount in a "0.00" cell keeps its two places, "#,##0" its separators, a
/// "0.0%" cell its percentage (they printed 2490.5, 1234567 and 0.125).
#[test]
fn numbers_from_excel_print_as_their_format_shows_them() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["项目", "金额", "人数", "占比"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "甲").unwrap();
    ws.write_number_with_format(1, 1, 2490.5, &Format::new().set_num_format("0.00"))
        .unwrap();
    ws.write_number_with_format(1, 2, 1234567.0, &Format::new().set_num_format("#,##0"))
        .unwrap();
    ws.write_number_with_format(1, 3, 0.125, &Format::new().set_num_format("0.0%"))
        .unwrap();
    wb.save(dir.path().join("数据.xlsx")).unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        format!("{HEAD}正文:\n  - 表格:\n      来源: 数据.xlsx\n  - 特此通知。\n"),
    )
    .unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let built = gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"));
    let text = squeeze(&layout(&built.doc).text());
    assert!(text.contains("甲2490.501,234,56712.5%"), "{text}");
}

/// The x of the vertical rules on `page`: the table's column edges, mm.
fn column_edges(l: &Layout, page: usize) -> Vec<f64> {
    let mut xs: Vec<f64> = l
        .rules
        .iter()
        .filter(|r| r.page == page && r.height > 5.0 && r.width < 1.0)
        .map(|r| r.x)
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    xs
}

/// Issue 24: the columns of a published indicator table (国办发〔2019〕4号,
/// 附件) are set from what they hold: the table steps down to a smaller
/// size rather than starve a column of running text (三级指标 got 5
/// characters and 指标说明 11 at 3号, 一级指标 was stacked 一级/指标), the
/// words of the narrow columns stay whole, and the smaller size is set at
/// the grid's proportions, so the table takes far fewer pages.
#[test]
fn text_columns_never_starve_the_table_steps_down_instead() {
    let built = build_dir(&repo().join("tests/fixtures/real/guobanfa-2019-4-hospital-indicators"));
    let l = layout(&built.doc);
    let first = page_of(&l, "指标说明");
    let last = (1..=l.pages.len())
        .rev()
        .find(|&p| l.page_has(p, "指标说明"))
        .unwrap();
    let edges = column_edges(&l, first);
    assert_eq!(edges.len(), 6, "five columns: {edges:?}");
    let cell = l.find(first, "定量");
    let char_mm = cell.size_pt / PT_PER_MM;
    assert!(cell.size_pt < 16.0, "still at 3号 ({} pt)", cell.size_pt);
    for (col, name) in [(2, "三级指标"), (4, "指标说明")] {
        let chars = (edges[col + 1] - edges[col]) / char_mm;
        assert!(chars >= 9.0, "{name}: {chars:.1} characters wide");
    }
    for word in ["一级指标", "二级指标", "指标性质", "定量"] {
        let line: String = l
            .line(first, word)
            .iter()
            .map(|r| r.text.as_str())
            .collect();
        assert!(line.contains(word), "{word} broken: {line}");
    }
    // 17 pages at 3号 on the 3号 grid; the body of the table fits in 13.
    assert!(
        last - first < 13,
        "the table takes {} pages",
        last - first + 1
    );
}

/// Issue 24: a five-column list (国办发〔2018〕126号, 附件) gives its long
/// column the room (主要内容 was five characters wide beside a 推广范围 of
/// nine) and keeps 序号 whole.
#[test]
fn the_longest_column_gets_the_room() {
    let built = build_dir(&repo().join("tests/fixtures/real/guobanfa-2018-126-reform-list"));
    let l = layout(&built.doc);
    let page = page_of(&l, "推广范围");
    let edges = column_edges(&l, page);
    assert_eq!(edges.len(), 6, "five columns: {edges:?}");
    let widths: Vec<f64> = edges.windows(2).map(|w| w[1] - w[0]).collect();
    let widest = widths.iter().cloned().fold(0.0, f64::max);
    assert_eq!(widths[2], widest, "主要内容 is not the widest: {widths:?}");
    let line: String = l
        .line(page, "序号")
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert!(line.contains("序号"), "序号 broken: {line}");
}

/// Issue 24 (§7.3.5.5): a text that ends with a table carries the signature
/// block with the table's last row, swept over table lengths so that the
/// page break falls at every place: the signature never stands alone on a
/// page (it did whenever the table filled its page).
#[test]
fn a_table_that_ends_the_text_carries_the_signature() {
    for n in 4..=36 {
        let rows: String = (1..=n)
            .map(|i| format!("        - [第{i}项, 某某工作任务{i}, \"{}\"]\n", i * 10))
            .collect();
        let yaml = format!(
            "发文机关标志: 某局文件\n发文字号: 某发〔2026〕1号\n标题: 关于某事的通知\n主送机关: 各单位\n正文:\n  - 现将有关情况列表如下。\n  - 表格:\n      列: [项目, 内容, 数量]\n      行:\n{rows}发文机关署名: 某局\n成文日期: 2026-03-01\n加盖印章: true\n"
        );
        let l = build_yaml(&yaml);
        let date = page_of(&l, "3月1日");
        assert!(
            l.page_has(date, &format!("第{n}项")),
            "{n} rows: the signature is on page {date} without the last row"
        );
    }
}
