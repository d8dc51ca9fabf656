//! Statistics forms end to end: per-unit PDFs and workbooks, the combined
//! print file, returns in every format with every kind of mistake, and a
//! summary checked against an independent sum.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use gongwen::forms::returns::Problem;
use gongwen::forms::{self, Form, Options, Unit};

const CATEGORIES: [&str; 10] = [
    "组织普法活动",
    "组织各类会议",
    "开展大型咨询活动",
    "组织重要新闻发布",
    "播放公益广告",
    "组织“12315”开放活动",
    "印发各类宣传资料",
    "消费者参与活动数量",
    "经营者参与数量",
    "查处侵害消费者权益案件",
];

fn pdf_text(path: &Path) -> String {
    squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(path).unwrap()).unwrap())
}

fn pages(path: &Path) -> usize {
    lopdf::Document::load(path).unwrap().get_pages().len()
}

fn canonical_form() -> (gongwen::Project, Form, Vec<Unit>) {
    forms::load(engine(), &canonical_dir(), None).unwrap()
}

/// A small deterministic generator (tests must not depend on a clock or seed file).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn canonical_units_are_the_twenty_reporting_units() {
    let (_, form, units) = canonical_form();
    assert_eq!(units.len(), 20);
    assert_eq!(units[0].name, "上海市黄浦区市场监督管理局");
    assert_eq!(units[10].short_name(), "浦东新区");
    assert!(units.iter().any(|u| u.name == "上海市知识产权局"));
    let keys: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    assert_eq!(keys, CATEGORIES);
    assert_eq!(form.header[form.fill_columns[0]], "数量");
}

#[test]
fn twenty_units_give_twenty_pdfs_and_a_combined_file_in_order() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        xlsx: true,
        ..Default::default()
    };
    let report = forms::distribute(engine(), &canonical_dir(), out.path(), &opts).unwrap();
    assert!(report.failures.is_empty());
    let (_, _, units) = canonical_form();
    let pdfs: Vec<PathBuf> = report
        .out
        .files
        .iter()
        .filter(|p| p.starts_with(report.out.dir.join("填报表")))
        .cloned()
        .collect();
    assert_eq!(
        pdfs.iter()
            .filter(|p| p.extension().unwrap() == "pdf")
            .count(),
        20
    );
    assert_eq!(
        pdfs.iter()
            .filter(|p| p.extension().unwrap() == "xlsx")
            .count(),
        20
    );
    for u in &units {
        let path = report
            .out
            .dir
            .join("填报表")
            .join(format!("{}.pdf", u.file_stem()));
        let text = pdf_text(&path);
        assert!(
            text.contains(&format!("填报单位：{}", u.name)),
            "{}: {text}",
            u.id
        );
        for (i, c) in CATEGORIES.iter().enumerate() {
            assert!(
                text.contains(&format!("{}{c}", i + 1)),
                "{}: row {c} missing",
                u.id
            );
        }
        assert_eq!(pages(&path), 1);
    }
    let all = report.out.dir.join("填报表-全部.pdf");
    assert_eq!(pages(&all), 20);
    let text = pdf_text(&all);
    let positions: Vec<usize> = units
        .iter()
        .map(|u| text.find(&format!("填报单位：{}", u.name)).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "combined file not in unit order"
    );
}

#[test]
fn file_names_are_safe_and_unique() {
    let u = Unit {
        id: "a-1".into(),
        name: "甲/乙:丙*丁?<戊>|己\"庚\\.".into(),
        ..Unit::default()
    };
    let stem = u.file_stem();
    assert!(!stem.chars().any(|c| "<>:\"/\\|?*".contains(c)), "{stem}");
    assert!(stem.starts_with("a-1-") && !stem.ends_with('.'));
}

/// Writes returns for the given units in mixed formats and gives the values.
fn write_returns(dir: &Path, form: &Form, units: &[Unit], seed: u64) -> BTreeMap<String, Vec<i64>> {
    let mut rng = Lcg(seed);
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let mut truth = BTreeMap::new();
    let mut csv = String::from("单位编号,填报日期,");
    csv.push_str(&CATEGORIES.join(","));
    csv.push('\n');
    for (i, u) in units.iter().enumerate() {
        let values: Vec<i64> = CATEGORIES.iter().map(|_| rng.next(500) as i64).collect();
        match i % 3 {
            0 => {
                let v: Vec<Option<i64>> = values.iter().map(|x| Some(*x)).collect();
                let bytes = gongwen::forms::form_workbook(
                    form,
                    u,
                    date,
                    &texts(&v),
                    Some("2019年3月20日"),
                    &Default::default(),
                )
                .unwrap();
                // Renamed by the unit: recognised by the id inside.
                std::fs::write(dir.join(format!("回执{i}.xlsx")), bytes).unwrap();
            }
            1 => {
                csv.push_str(&format!("{},2019年3月21日,", u.id));
                csv.push_str(
                    &values
                        .iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                );
                csv.push('\n');
            }
            _ => {
                let mut y = format!("单位编号: {}\n填报日期: 2019-03-22\n数量:\n", u.id);
                for (c, v) in CATEGORIES.iter().zip(&values) {
                    y.push_str(&format!("  {c}: {v}\n"));
                }
                std::fs::write(dir.join(format!("{}.yaml", u.id)), y).unwrap();
            }
        }
        truth.insert(u.id.clone(), values);
    }
    std::fs::write(dir.join("汇总.csv"), csv).unwrap();
    truth
}

#[test]
fn summary_equals_an_independent_sum_of_generated_returns() {
    let (_, form, units) = canonical_form();
    let data = tempfile::tempdir().unwrap();
    let reported = &units[..17];
    let truth = write_returns(data.path(), &form, reported, 7);
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        date: Some("2019年3月25日".into()),
        ..Default::default()
    };
    let report =
        forms::collect(engine(), &canonical_dir(), data.path(), out.path(), &opts).unwrap();
    assert!(!report.has_errors(), "{}", report.text());
    let missing: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| matches!(p, Problem::Missing { .. }))
        .collect();
    assert_eq!(missing.len(), 3, "{}", report.text());
    let expect: Vec<i64> = (0..10)
        .map(|c| truth.values().map(|v| v[c]).sum())
        .collect();
    assert_eq!(whole(&report.summary.totals), expect);
    // The CSV's 合计 row and every unit row agree with the truth.
    let csv = std::fs::read_to_string(report.out.dir.join("汇总表.csv")).unwrap();
    let total_line = csv.lines().find(|l| l.starts_with(",合计,")).unwrap();
    let got: Vec<i64> = total_line
        .split(',')
        .skip(3)
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(got, expect);
    for (id, values) in &truth {
        let line = csv
            .lines()
            .find(|l| l.split(',').nth(1) == Some(id))
            .unwrap();
        let got: Vec<i64> = line
            .split(',')
            .skip(3)
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(&got, values, "{id}");
    }
    // Each reporting unit's filled form shows its own numbers; the 汇总表 PDF the totals.
    for u in reported {
        let text = pdf_text(
            &report
                .out
                .dir
                .join("已填报")
                .join(format!("{}.pdf", u.file_stem())),
        );
        assert!(text.contains(&u.name));
        let v = &truth[&u.id];
        assert!(
            text.contains(&format!("1{}场次{}", CATEGORIES[0], v[0])),
            "{}: {text}",
            u.id
        );
    }
    let summary = pdf_text(&report.out.dir.join("汇总表.pdf"));
    assert!(summary.contains("合计") && summary.contains("2019年3月25日"));
    assert!(
        summary.contains(&expect.iter().map(|t| t.to_string()).collect::<String>()),
        "{summary}"
    );
    assert!(report.out.dir.join("校验报告.txt").is_file());
}

#[test]
fn every_kind_of_bad_return_is_reported_and_left_out() {
    let (_, form, units) = canonical_form();
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let mut csv = String::from("单位编号,");
    csv.push_str(&CATEGORIES.join(","));
    csv.push('\n');
    let row = |id: &str, vals: [&str; 10]| format!("{id},{}\n", vals.join(","));
    let good = ["1"; 10];
    csv.push_str(&row(&units[0].id, good));
    csv.push_str(&row("nosuchunit", good));
    csv.push_str(&row(&units[0].id, good)); // duplicate
    csv.push_str(&row(
        &units[1].id,
        ["x", "2.5", "-3", "4", "", "1", "1", "1", "1", "1"],
    ));
    std::fs::write(d.join("a.csv"), csv).unwrap();
    // A workbook whose rows were moved: read by their labels.
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let mut moved = form.clone();
    moved.rows.swap(0, 1);
    let bytes =
        gongwen::forms::form_workbook(&moved, &units[2], date, &[], None, &Default::default())
            .unwrap();
    std::fs::write(d.join("b.xlsx"), bytes).unwrap();
    std::fs::write(d.join("c.yaml"), "单位编号: [不是, 编号]\n").unwrap();
    std::fs::write(d.join("d.csv"), "名称,数量\n甲,1\n").unwrap();

    let out = tempfile::tempdir().unwrap();
    let report = forms::collect(
        engine(),
        &canonical_dir(),
        d,
        out.path(),
        &Options::default(),
    )
    .unwrap();
    let text = report.text();
    for needle in [
        "单位编号“nosuchunit”不在填报单位名单中",
        "重复报送",
        "填了“x”，不是数字",
        "填了“2.5”，应为整数",
        "填了“-3”，不能为负数",
        "“播放公益广告”未填写",
        "c.yaml",
        "缺少“单位编号”列",
        "未报送：上海市静安区市场监督管理局",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // Places name file and cell.
    assert!(text.contains("a.csv 第 5 行第 2 列"), "{text}");
    assert!(text.contains("b.xlsx"), "{text}");
    let moved = report
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == units[2].id)
        .unwrap();
    assert!(
        moved.1.is_some(),
        "the moved rows were matched by label: {text}"
    );
    assert!(report.has_errors());
    // Only valid values were summed: unit 0 (all 1) + unit 1's valid cells.
    let mut expect = vec![1i64; 10];
    for (c, e) in expect.iter_mut().enumerate() {
        if ![0, 1, 2, 4].contains(&c) {
            *e += 1;
        }
        if c == 3 {
            *e += 3; // unit 1 wrote 4 there
        }
    }
    assert_eq!(whole(&report.summary.totals), expect);
    // Unit 1's 4 bad or empty cells, and the moved workbook's 10 blanks.
    assert_eq!(report.summary.left_out, 14);
    let written = std::fs::read_to_string(report.out.dir.join("校验报告.txt")).unwrap();
    assert_eq!(written, text);
    let summary = pdf_text(&report.out.dir.join("汇总表.pdf"));
    assert!(summary.contains("未计入合计"), "{summary}");
    // The unit's filled form shows what it wrote where it was not accepted.
    let filled = pdf_text(
        &report
            .out
            .dir
            .join("已填报")
            .join(format!("{}.pdf", units[1].file_stem())),
    );
    for wrote in ["x（未计入）", "2.5（未计入）", "-3（未计入）"] {
        assert!(squeeze(&filled).contains(wrote), "{wrote} not in {filled}");
    }
}

#[test]
fn a_workbook_written_and_read_back_gives_the_same_values() {
    let (_, form, units) = canonical_form();
    let dir = tempfile::tempdir().unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let values: Vec<Option<i64>> = (0..10)
        .map(|i| if i == 4 { None } else { Some(i * 37 + 1) })
        .collect();
    let bytes = gongwen::forms::form_workbook(
        &form,
        &units[5],
        date,
        &texts(&values),
        Some("2019年3月20日"),
        &Default::default(),
    )
    .unwrap();
    std::fs::write(dir.path().join("anything.xlsx"), bytes).unwrap();
    let (returns, problems) = gongwen::forms::returns::read(dir.path(), &form, &units);
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].unit, units[5].id);
    assert_eq!(returns[0].values, texts(&values));
    assert_eq!(returns[0].date.as_deref(), Some("2019年3月20日"));
    assert!(problems
        .iter()
        .any(|p| matches!(p, Problem::Empty { item, .. } if item == "播放公益广告")));
}

/// 10,000 forms take most of a minute: out of the default run, run by
/// `.ci/run` (`cargo test -- --ignored`).
#[test]
#[ignore = "10,000 forms: run by .ci/run with --ignored"]
fn ten_thousand_units_complete() {
    let mut yaml = String::from("单位:\n");
    for i in 0..10_000 {
        yaml.push_str(&format!("  - {{编号: u{i:05}, 名称: 测试单位第{i}号}}\n"));
    }
    let (_dir, _, out, report) = forms_with_units(&yaml);
    assert!(report.failures.is_empty());
    let pdfs = std::fs::read_dir(out.join("填报表")).unwrap().count();
    assert_eq!(pdfs, 10_000);
    let volumes: Vec<PathBuf> = report
        .out
        .files
        .iter()
        .filter(|p| p.parent() == Some(out.as_path()))
        .cloned()
        .collect();
    assert_eq!(volumes.len(), 10_000usize.div_ceil(forms::VOLUME));
    assert_eq!(volumes.iter().map(|p| pages(p)).sum::<usize>(), 10_000);
    // Volumes follow the list: the second holds units 100–199, in order.
    let second = pdf_text(&out.join("填报表-全部-002.pdf"));
    let at = |n: usize| {
        second
            .find(&format!("测试单位第{n}号"))
            .unwrap_or(usize::MAX)
    };
    assert!(at(100) < at(101) && at(101) < at(199) && at(199) < second.len());
    assert_eq!(at(99), usize::MAX);
    assert_eq!(at(200), usize::MAX);
    let last = pdf_text(&out.join("填报表").join("u09999-测试单位第9999号.pdf"));
    assert!(last.contains("填报单位：测试单位第9999号"));
}

#[test]
fn a_unit_whose_file_arrived_unreadable_is_asked_to_resend_not_chased() {
    let (_dir, units_file, out, _) = forms_with_units(
        "单位:\n  - {编号: a, 名称: 甲区市场监督管理局, 联系人: 张三}\n  - {编号: b, 名称: 乙区市场监督管理局, 简称: 乙区, 联系人: 李四}\n  - {编号: c, 名称: 丙区市场监督管理局, 联系人: 王五}\n",
    );
    let data = out.join("回收");
    std::fs::create_dir(&data).unwrap();
    // b's file, renamed by the unit and broken on the way; c's, as sent out
    // (编号 first) but not a workbook at all.
    std::fs::write(data.join("乙区统计表（已填）.xlsx"), b"PK\x03\x04 broken").unwrap();
    std::fs::write(data.join("c-丙区市场监督管理局.xlsx"), b"not a workbook").unwrap();
    let opts = Options {
        units: Some(units_file),
        ..Default::default()
    };
    let r = gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let received: Vec<&str> = r
        .problems
        .iter()
        .filter_map(|p| match p {
            Problem::Received { unit, .. } => Some(unit.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(received, ["c", "b"], "file-name order: {:?}", r.problems);
    let reminders = std::fs::read_to_string(r.out.dir.join("催报名单.txt")).unwrap();
    let (chased, resend) = reminders.split_once("需重报").expect(&reminders);
    assert!(
        chased.contains("甲区") && chased.contains("张三"),
        "{reminders}"
    );
    assert!(
        !chased.contains("乙区") && !chased.contains("丙区"),
        "{reminders}"
    );
    assert!(
        resend.contains("乙区市场监督管理局") && resend.contains("丙区"),
        "{reminders}"
    );
    assert!(r.summary.note().contains("需重报"), "{}", r.summary.note());
    assert!(
        r.text().contains("已收到乙区市场监督管理局（b）的报送"),
        "{}",
        r.text()
    );
}

#[test]
fn a_value_typed_with_its_unit_of_measure_is_read_and_said() {
    let (_, form, units) = canonical_form();
    let first = (0..form.rows.len())
        .find_map(|r| form.measure(r).map(|m| (r, m.to_string())))
        .expect("the canonical form has units of measure");
    let names: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    let values: Vec<String> = (0..form.rows.len())
        .map(|r| {
            if r == first.0 {
                format!("12{}", first.1)
            } else {
                "1".into()
            }
        })
        .collect();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("回执.csv"),
        format!(
            "单位编号,{}\n{},{}\n",
            names.join(","),
            units[0].id,
            values.join(",")
        ),
    )
    .unwrap();
    let (_out, r) = collect_canonical(data.path());
    let row = r
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == units[0].id)
        .unwrap();
    assert_eq!(
        row.1.as_ref().unwrap()[first.0].as_deref(),
        Some("12"),
        "{}",
        r.text()
    );
    assert!(
        r.text()
            .contains(&format!("填了“12{}”，按 12 计入", first.1)),
        "{}",
        r.text()
    );
    assert!(!r.has_errors(), "{}", r.text());
}

#[test]
fn a_fill_date_without_its_year_is_in_the_notices_year() {
    let (_, form, units) = canonical_form();
    let names: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    let ones = vec!["1"; names.len()].join(",");
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("回执.csv"),
        format!(
            "单位编号,填报日期,{}\n{},3月20日,{ones}\n{},3.21,{ones}\n",
            names.join(","),
            units[0].id,
            units[1].id
        ),
    )
    .unwrap();
    let (_out, r) = collect_canonical(data.path());
    assert!(!r.text().contains("填报日期"), "{}", r.text());
    for (u, want) in [(&units[0], "2019年3月20日"), (&units[1], "2019年3月21日")] {
        let pdf = r
            .out
            .dir
            .join("已填报")
            .join(format!("{}.pdf", u.file_stem()));
        let text =
            squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap());
        assert!(text.contains(want), "{want} not in {text}");
    }
}

#[test]
fn the_unit_label_may_be_written_as_offices_write_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    let yaml = std::fs::read_to_string(canonical_dir().join("公文.yaml")).unwrap();
    let sealed = yaml.replace(
        "填报栏: [填报单位, 填报日期]",
        "填报栏: [填报单位（盖章）, 填表日期]",
    );
    assert_ne!(sealed, yaml);
    std::fs::write(content.join("公文.yaml"), sealed).unwrap();
    std::fs::copy(
        canonical_dir().join("填报单位.yaml"),
        content.join("填报单位.yaml"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let opts = Options {
        date: Some("2019-03-20".into()),
        xlsx: true,
        ..Default::default()
    };
    let r = forms::distribute(engine(), &content, &out, &opts).unwrap();
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    assert_eq!(form.labels(), ("填报单位（盖章）", "填表日期"));
    let pdf = r
        .out
        .dir
        .join("填报表")
        .join(format!("{}.pdf", units[0].file_stem()));
    let text = squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap());
    assert!(
        text.contains(&format!("填报单位（盖章）：{}", units[0].name))
            && text.contains("填表日期：2019-03-20"),
        "{text}"
    );
}

#[test]
fn the_form_sheet_saved_as_csv_from_wps_is_read_by_position() {
    let (_, form, units) = canonical_form();
    let cols = form.header.len();
    let fill = form.cells();
    // What WPS writes when the unit saves the 填报表 sheet as CSV (GBK): the
    // title, the 填报单位 line with the 填报日期 at its end, the header, the rows.
    // (A title of two lines is one quoted cell.)
    let mut lines = vec![format!("\"{}\"", form.attachment.title)];
    let mut fields = vec![String::new(); cols];
    fields[0] = format!("填报单位：{}", units[3].name);
    fields[cols - 2] = "填报日期：".into();
    fields[cols - 1] = "2019/3/20".into();
    lines.push(fields.join(","));
    lines.push(form.header.join(","));
    for (r, row) in form.rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, t)| {
                if fill.contains(&(r, c)) {
                    (r + 5).to_string()
                } else {
                    t.clone()
                }
            })
            .collect();
        lines.push(cells.join(","));
    }
    let csv = lines.join("\r\n") + "\r\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("填报表.csv"), gbk.as_ref()).unwrap();
    let (_out, r) = collect_canonical(data.path());
    assert!(!r.has_errors(), "{}", r.text());
    let row = r
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == units[3].id)
        .unwrap();
    let want: Vec<Option<i64>> = fill.iter().map(|&(r, _)| Some(r as i64 + 5)).collect();
    assert_eq!(row.1.as_ref(), Some(&texts(&want)), "{}", r.text());
    let reminders = std::fs::read_to_string(r.out.dir.join("催报名单.txt")).unwrap();
    assert!(
        !reminders.contains(&units[3].name),
        "the unit that reported is chased"
    );
}

#[test]
fn rows_a_unit_inserted_or_deleted_are_matched_by_label_and_reported() {
    let (_, form, units) = canonical_form();
    let fill = form.cells();
    let (_data, r) = hand_made_return(&units[0].id, |ws| {
        // Form row 4 deleted; a row of the unit's own inserted after row 1.
        let mut sheet_row = 3u32;
        for (r, row) in form.rows.iter().enumerate() {
            if r == 4 {
                continue;
            }
            for (c, text) in row.iter().enumerate() {
                if fill.contains(&(r, c)) {
                    ws.write_number(sheet_row, c as u16, (r + 10) as f64)
                        .unwrap();
                } else {
                    ws.write_string(sheet_row, c as u16, text).unwrap();
                }
            }
            sheet_row += 1;
            if r == 1 {
                ws.write_string(sheet_row, form.key_column.unwrap() as u16, "新增项目")
                    .unwrap();
                ws.write_number(sheet_row, fill[0].1 as u16, 99.0).unwrap();
                sheet_row += 1;
            }
        }
    });
    let text = r.text();
    let got = r
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == units[0].id)
        .unwrap()
        .1
        .clone()
        .unwrap();
    let want: Vec<Option<i64>> = fill
        .iter()
        .map(|&(row, _)| (row != 4).then_some(row as i64 + 10))
        .collect();
    assert_eq!(got, texts(&want), "{text}");
    assert!(text.contains("多了“新增项目”这一行"), "{text}");
    assert!(
        text.contains(&format!("没有“{}”这一行", form.key(4))),
        "{text}"
    );
}

/// `fill` over one return made by hand: `sheet` fills its 填报表 sheet, the
/// hidden sheet names unit `id` (the folder is kept alive by the first value).
fn hand_made_return(
    id: &str,
    sheet: impl FnOnce(&mut rust_xlsxwriter::Worksheet),
) -> ((tempfile::TempDir, tempfile::TempDir), forms::CollectReport) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("填报表").unwrap();
    sheet(ws);
    let ids = wb.add_worksheet();
    ids.set_name("gongwen").unwrap();
    ids.write_string(0, 1, id).unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("a.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
    let (out, r) = collect_canonical(data.path());
    ((data, out), r)
}

/// `fill` over the returns in `data` for the canonical notice, into a fresh
/// folder (kept alive by the first value).
fn collect_canonical(data: &Path) -> (tempfile::TempDir, forms::CollectReport) {
    let out = tempfile::tempdir().unwrap();
    let r = forms::collect(
        engine(),
        &canonical_dir(),
        data,
        out.path(),
        &Options::default(),
    )
    .unwrap();
    (out, r)
}

#[test]
fn a_summary_too_wide_to_print_still_leaves_the_report_and_the_reminders() {
    // A form 40 value columns wide: its 汇总 (in the form's own shape)
    // cannot be set on a page even at the smallest size.
    let columns: Vec<String> = (1..=40).map(|i| format!("指标{i}")).collect();
    let cells = vec!["\"\""; 40].join(", ");
    let rows: Vec<String> = ["煤矿", "非煤矿山", "危化"]
        .iter()
        .map(|r| format!("[{r}, {cells}]"))
        .collect();
    let yaml = format!(
        "发文机关标志: 某局文件\n标题: 关于统计的通知\n正文: [请填报。]\n附件:\n  - 标题: 隐患排查整治情况统计表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      列: [行业, {}]\n      行: [{}]\n发文机关署名: 某局\n成文日期: 2019-12-31\n",
        columns.join(", "),
        rows.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("公文.yaml"), yaml).unwrap();
    std::fs::write(
        content.join("填报单位.yaml"),
        "单位:\n  - {编号: a, 名称: 甲区应急管理局}\n  - {编号: b, 名称: 乙区应急管理局}\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let r = forms::collect(
        engine(),
        &content,
        &data,
        &dir.path().join("o"),
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("fill failed as a whole: {e}"));
    assert!(r.has_errors());
    assert!(
        r.failures.iter().any(|(what, _)| what == "汇总表.pdf"),
        "{:?}",
        r.failures
    );
    for f in ["校验报告.txt", "催报名单.txt", "汇总表.csv", "汇总表.xlsx"] {
        assert!(r.out.dir.join(f).is_file(), "{f} not written");
    }
    let report = std::fs::read_to_string(r.out.dir.join("校验报告.txt")).unwrap();
    assert!(report.contains("汇总表.pdf"), "{report}");
}

#[test]
fn an_unreadable_workbook_is_its_units_by_the_hidden_id_whatever_its_name() {
    let (_, _, units) = canonical_form();
    // A gongwen workbook of unit 0 whose form sheet holds another table.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("填报表").unwrap();
    ws.write_string(3, 1, "别的表格").unwrap();
    let ids = wb.add_worksheet();
    ids.set_name("gongwen").unwrap();
    ids.write_string(0, 1, &units[0].id).unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("新建 Microsoft Excel 工作表.xlsx"),
        wb.save_to_buffer().unwrap(),
    )
    .unwrap();
    let (_out, r) = collect_canonical(data.path());
    assert!(
        r.problems
            .iter()
            .any(|p| matches!(p, Problem::Received { unit, .. } if unit == &units[0].id)),
        "{}",
        r.text()
    );
    let reminders = std::fs::read_to_string(r.out.dir.join("催报名单.txt")).unwrap();
    let (chased, _) = reminders.split_once("需重报").expect(&reminders);
    assert!(!chased.contains(&units[0].name), "{reminders}");
}

#[test]
fn an_unreadable_csv_is_its_units_by_the_name_it_carries() {
    let (_, _, units) = canonical_form();
    // The form sheet saved as CSV, but with the table mangled beyond reading.
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("统计.csv"),
        format!("统计表\n填报单位：{},,,\n乱,码\n", units[4].name),
    )
    .unwrap();
    let (_out, r) = collect_canonical(data.path());
    assert!(
        r.problems
            .iter()
            .any(|p| matches!(p, Problem::Received { unit, .. } if unit == &units[4].id)),
        "{}",
        r.text()
    );
}

/// Issue 23, point 1: the example matrix form's column kinds, from the Excel
/// form out to the 汇总 back — counts summed, amounts summed exactly to
/// their two places, a percentage read from the percent-formatted cell as
/// meant and never summed, the rate computed in every row and in the 合计
/// from the totals (never summed), "—" where nothing was found.
#[test]
fn column_kinds_go_out_and_come_back_as_meant() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("yinhuan");
    std::fs::create_dir(&content).unwrap();
    for f in ["公文.yaml", "填报单位.yaml"] {
        std::fs::copy(
            repo().join("content/yinhuan-tongji").join(f),
            content.join(f),
        )
        .unwrap();
    }
    let (_, form, units) = gongwen::forms::load(engine(), &content, None).unwrap();
    assert_eq!(
        form.fill_columns,
        vec![2, 3, 4, 5, 6],
        "the rate is computed, not filled"
    );
    assert_eq!(form.cells().len(), 9 * 5);
    // Each unit's values: found, fixed (≤ found), supervised, the fine in
    // cents, coverage in tenths of a percent; some rows found nothing.
    let value = |u: usize, r: usize| -> (i64, i64, i64, i64, i64) {
        let found = ((u * 7 + r * 3) % 11) as i64;
        let fixed = found - (u + r) as i64 % 2.min(found + 1);
        (
            found,
            fixed.max(0),
            (r % 3) as i64,
            (u * 1237 + r * 389) as i64 % 10_000,
            905 + r as i64,
        )
    };
    let cents = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let tenths = |t: i64| format!("{}.{}", t / 10, t % 10);
    // The workbooks as the units fill them in.
    let books = dir.path().join("books");
    std::fs::create_dir(&books).unwrap();
    let date = gongwen::content::Date::parse("2026-06-20").unwrap();
    for (u, unit) in units.iter().enumerate() {
        let values: Vec<Option<String>> = (0..9)
            .flat_map(|r| {
                let (found, fixed, sup, fine, cover) = value(u, r);
                [
                    found.to_string(),
                    fixed.to_string(),
                    sup.to_string(),
                    cents(fine),
                    tenths(cover),
                ]
            })
            .map(Some)
            .collect();
        let book = gongwen::forms::form_workbook(
            &form,
            unit,
            date,
            &values,
            Some("2026年7月1日"),
            &Default::default(),
        )
        .unwrap();
        std::fs::write(books.join(format!("{}.xlsx", unit.id)), book).unwrap();
    }
    // What comes back: the workbooks, but 西城区 saves its form sheet as a
    // CSV from WPS (GBK, the percentage as Excel shows it), and 南城区's
    // file arrives unreadable, named after it.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for unit in &units {
        let book = books.join(format!("{}.xlsx", unit.id));
        match unit.id.as_str() {
            "xicheng" => {
                let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
                let sheet = wb.worksheet_range("填报表").unwrap();
                let mut csv = String::new();
                for (r, row) in sheet.rows().enumerate() {
                    let cells: Vec<String> = row
                        .iter()
                        .enumerate()
                        .map(|(c, d)| match d {
                            calamine::Data::Float(f) if c == 6 && r > 3 => {
                                format!("{:.2}%", f * 100.0)
                            }
                            calamine::Data::Float(f) => f.to_string(),
                            calamine::Data::Int(i) => i.to_string(),
                            calamine::Data::String(t) => format!("\"{t}\""),
                            _ => String::new(),
                        })
                        .collect();
                    csv.push_str(&cells.join(","));
                    csv.push_str("\r\n");
                }
                let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
                std::fs::write(data.join("西城区隐患统计.csv"), gbk.as_ref()).unwrap();
            }
            "nancheng" => std::fs::write(data.join("南城区.xlsx"), b"not a workbook").unwrap(),
            _ => {
                std::fs::copy(&book, data.join(format!("{}.xlsx", unit.id))).unwrap();
            }
        }
    }
    let counted = |u: usize| units[u].id != "nancheng";
    // The Excel form computes the rate itself, in a locked formula.
    use calamine::{DataType as _, Reader as _};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(data.join("dongcheng.xlsx")).unwrap();
    let formulas = book.worksheet_formula("填报表").unwrap();
    let all: Vec<&String> = formulas
        .used_cells()
        .map(|(_, _, f)| f)
        .filter(|f| !f.is_empty())
        .collect();
    let rates: Vec<&&String> = all.iter().filter(|f| f.starts_with("IF(N(")).collect();
    assert_eq!(
        rates.len(),
        9 + 1,
        "every row's rate and the 合计's: {all:?}"
    );
    // Its 合计 row sums the four summed columns (not the percentage).
    let sums = all.iter().filter(|f| f.starts_with("SUM(")).count();
    assert_eq!((sums, all.len()), (4, 14), "{all:?}");

    let out = dir.path().join("out");
    let report =
        gongwen::forms::collect(engine(), &content, &data, &out, &Options::default()).unwrap();
    // The only error: 南城区's file, received and to be sent again, never
    // chased as missing; 西城区's CSV counted.
    let text = report.text();
    assert!(
        text.contains("已收到某市南城区应急管理局（nancheng）的报送，但无法读取"),
        "{text}"
    );
    assert_eq!(text.matches("错误").count(), 1, "{text}");
    let reminders = std::fs::read_to_string(report.out.dir.join("催报名单.txt")).unwrap();
    let missing = reminders.split("需重报").next().unwrap();
    assert!(
        !missing.contains("南城区") && !reminders.contains("西城区"),
        "{reminders}"
    );
    assert_eq!(report.summary.reported(), 7);
    // Exact totals, independently: counts and cents summed as integers.
    let n = units.len();
    for r in 0..9 {
        let sum = |f: fn((i64, i64, i64, i64, i64)) -> i64| {
            (0..n)
                .filter(|u| counted(*u))
                .map(|u| f(value(u, r)))
                .sum::<i64>()
        };
        let t = &report.summary.totals[r * 5..r * 5 + 5];
        assert_eq!(t[0].as_deref(), Some(sum(|v| v.0).to_string().as_str()));
        assert_eq!(t[1].as_deref(), Some(sum(|v| v.1).to_string().as_str()));
        assert_eq!(t[2].as_deref(), Some(sum(|v| v.2).to_string().as_str()));
        assert_eq!(
            t[3].as_deref(),
            Some(cents(sum(|v| v.3)).as_str()),
            "row {r}"
        );
        assert_eq!(t[4], None, "a percentage is never summed");
    }
    // The 合计 sheet is the form sheet: at every value address of the units'
    // workbooks (columns C–F), the sum of what the units' sheets hold there;
    // the percentage left blank; the same rate formulas in the same cells.
    let sheet = |path: &Path, name: &str| {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
        (
            book.worksheet_range(name).unwrap(),
            book.worksheet_formula(name).unwrap(),
        )
    };
    let summary_book = out.join("yinhuan").join("汇总表.xlsx");
    let (total, total_formulas) = sheet(&summary_book, "合计");
    let units_sheets: Vec<_> = units
        .iter()
        .map(|u| sheet(&books.join(format!("{}.xlsx", u.id)), "填报表"))
        .collect();
    assert_eq!(total.start(), units_sheets[0].0.start());
    assert_eq!(total.end(), units_sheets[0].0.end());
    let mut checked = 0;
    for (row, col, cell) in units_sheets[0].0.used_cells() {
        let at = (
            row as u32 + total.start().unwrap().0,
            col as u32 + total.start().unwrap().1,
        );
        let number = |c: &calamine::Data| c.as_f64().map(|f| (f * 100.0).round() as i64);
        match at.1 {
            2..=5 if number(cell).is_some() => {
                let want: i64 = units_sheets
                    .iter()
                    .enumerate()
                    .filter(|(u, _)| counted(*u))
                    .map(|(_, (s, _))| number(s.get_value(at).unwrap()).unwrap())
                    .sum();
                assert_eq!(
                    total.get_value(at).and_then(number),
                    Some(want),
                    "at {at:?}"
                );
                checked += 1;
            }
            6 if number(cell).is_some() => {
                assert!(
                    total.get_value(at).is_none_or(|c| c.is_empty()),
                    "at {at:?}"
                );
            }
            _ => {}
        }
    }
    assert_eq!(
        checked,
        9 * 4 + 4,
        "every count and amount cell, and the 合计 row's"
    );
    let f_of = |fs: &calamine::Range<String>| {
        fs.used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(r, c, f)| (r, c, f.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(f_of(&total_formulas), f_of(&units_sheets[0].1));
    // The 汇总表 PDF prints the form's own table (its two-row header, never
    // flattened), the totals, and the 合计's rate from them.
    let summary_pdf = std::fs::read(out.join("yinhuan").join("汇总表.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&summary_pdf).unwrap());
    assert!(
        text.contains("隐患排查整治（项）") && !text.contains("/发现"),
        "{text}"
    );
    let all = |f: fn((i64, i64, i64, i64, i64)) -> i64| {
        (0..n)
            .filter(|u| counted(*u))
            .flat_map(|u| (0..9).map(move |r| (u, r)))
            .map(|(u, r)| f(value(u, r)))
            .sum::<i64>()
    };
    let (found, fixed) = (all(|v| v.0), all(|v| v.1));
    let total_row = format!("合计{found}{fixed}{}{}", all(|v| v.2), cents(all(|v| v.3)));
    assert!(text.contains(&total_row), "{total_row} in {text}");
    assert!(text.contains("应报8个单位，已报送7个"), "{text}");
    // Then the 分单位明细: each unit's totals over the 9 rows, 南城区 未报.
    let unit_total = |u: usize, f: fn((i64, i64, i64, i64, i64)) -> i64| {
        (0..9).map(|r| f(value(u, r))).sum::<i64>()
    };
    let dongcheng = format!(
        "东城区{}{}{}{}",
        unit_total(0, |v| v.0),
        unit_total(0, |v| v.1),
        unit_total(0, |v| v.2),
        cents(unit_total(0, |v| v.3))
    );
    assert!(
        text.contains("（分单位明细）") && text.contains(&dongcheng) && text.contains("南城区未报"),
        "{dongcheng} in {text}"
    );
    // 汇总明细.csv: every value in long form (单位编号,单位,行,列,值).
    let detail = std::fs::read_to_string(out.join("yinhuan").join("汇总明细.csv")).unwrap();
    let lines: Vec<&str> = detail.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "单位编号,单位,行,列,值");
    assert_eq!(lines.len(), 1 + (n - 1) * 9 * 5);
    let (found, ..) = value(0, 1);
    let want = format!("dongcheng,某市东城区应急管理局,非煤矿山,隐患排查整治（项）/发现,{found}");
    assert!(lines.contains(&want.as_str()), "{want} in {detail}");
    // The percentage came back as typed (95.3, from the cell's 0.953).
    let (_, vals) = report
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == "dongcheng")
        .unwrap();
    assert_eq!(vals.as_ref().unwrap()[4].as_deref(), Some("90.5"));
    assert_eq!(vals.as_ref().unwrap()[9].as_deref(), Some("90.6"));
    // The filled form: each row's rate, "—" where nothing was found, and
    // the 合计's rate from the totals.
    let filled = out.join("yinhuan").join("已填报");
    let pdf = std::fs::read(filled.join(format!("{}.pdf", units[0].file_stem()))).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    let rate = |a: i64, b: i64| {
        if b == 0 {
            "—".to_string()
        } else {
            let bp = (a * 100_000 / b + 5) / 10; // rate in 1/100 %, half up
            format!("{}.{:02}%", bp / 100, bp % 100)
        }
    };
    for r in 0..9 {
        let (found, fixed, sup, fine, cover) = value(0, r);
        // A workbook cell holds 0.91 for 91.0%: it prints 91%.
        let cover = tenths(cover).trim_end_matches(".0").to_string();
        let row = format!(
            "{found}{fixed}{sup}{}{cover}%{}",
            cents(fine),
            rate(fixed, found)
        );
        assert!(text.contains(&row), "row {r}: {row} not in {text}");
    }
    let (tf, tx): (i64, i64) = (0..9)
        .map(|r| value(0, r))
        .fold((0, 0), |(a, b), v| (a + v.0, b + v.1));
    assert!(text.contains(&format!("合计{tf}{tx}")), "{text}");
    assert!(
        text.contains(&rate(tx, tf)),
        "the 合计's rate {} in {text}",
        rate(tx, tf)
    );
}

/// A content folder holding `notice` and two units, 甲公司 (a) and 乙公司 (b).
fn two_company_form(notice: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("公文.yaml"), notice).unwrap();
    std::fs::write(
        content.join("填报单位.yaml"),
        "单位:\n  - {编号: a, 名称: 甲公司}\n  - {编号: b, 名称: 乙公司}\n",
    )
    .unwrap();
    (dir, content)
}

/// Each unit's workbook filled with its row of `filled` (one text per fill
/// cell), saved into `dir/data`, and `fill` run on them into `dir/o`.
fn fill_workbooks<const N: usize>(
    dir: &Path,
    content: &Path,
    filled: &[[&str; N]],
) -> forms::CollectReport {
    let (_, form, units) = forms::load(engine(), content, None).unwrap();
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    let date = gongwen::content::Date::parse("2026-06-20").unwrap();
    for (u, vals) in units.iter().zip(filled) {
        let v: Vec<Option<String>> = vals.iter().map(|s| Some(s.to_string())).collect();
        let book = forms::form_workbook(&form, u, date, &v, None, &Default::default()).unwrap();
        std::fs::write(data.join(format!("{}.xlsx", u.id)), book).unwrap();
    }
    let r = forms::collect(
        engine(),
        content,
        &data,
        &dir.join("o"),
        &Options::default(),
    )
    .unwrap();
    assert!(!r.has_errors(), "{}", r.text());
    r
}

/// The text of unit `unit`'s blank form, sent out by `forms` into `dir/sent`.
fn blank_form_text(dir: &Path, content: &Path, unit: &Unit) -> String {
    let sent =
        forms::distribute(engine(), content, &dir.join("sent"), &Options::default()).unwrap();
    let pdf = sent
        .out
        .dir
        .join("填报表")
        .join(format!("{}.pdf", unit.file_stem()));
    pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap()
}

/// Issue 23: a one-row form without a row-name column (an enterprise's
/// 基本情况: its name and credit code as text, a count, an amount) goes out
/// and comes back: text kept verbatim and never summed, numbers summed.
#[test]
fn a_one_row_form_of_text_and_numbers_comes_back_verbatim() {
    let (dir, content) = two_company_form(
        "发文机关标志: 某局文件\n标题: 关于报送企业基本情况的通知\n正文: [请填报。]\n附件:\n  - 标题: 企业基本情况表\n    填报栏: [填报单位（盖章）, 填报日期]\n    表格:\n      列: [企业名称, 统一社会信用代码, 从业人数, 营业收入（万元）, 成立日期, 是否规上]\n      列类型: [文本, 文本, 计数, 金额, 日期, 选项（是/否）]\n      行:\n        - [\"\", \"\", \"\", \"\", \"\", \"\"]\n发文机关署名: 某局\n成文日期: 2026-06-20\n",
    );
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    assert_eq!(form.key_column, None);
    assert_eq!(form.cells().len(), 6);
    let filled = [
        [
            "甲公司（有限合伙）",
            "91500000MA5U7XYZ12",
            "120",
            "1234.5",
            "2019.3.1",
            "☑是",
        ],
        [
            "乙公司",
            "0915000012345678X9",
            "35",
            "88.06",
            "2020年12月31日",
            "否",
        ],
    ];
    let r = fill_workbooks(dir.path(), &content, &filled);
    let got: Vec<Vec<Option<String>>> = r
        .summary
        .rows
        .iter()
        .map(|(_, v)| v.clone().unwrap())
        .collect();
    let want: Vec<Option<String>> = [
        "甲公司（有限合伙）",
        "91500000MA5U7XYZ12",
        "120",
        "1234.50",
        "2019年3月1日",
        "是",
    ]
    .iter()
    .map(|s| Some(s.to_string()))
    .collect();
    assert_eq!(got[0], want);
    assert_eq!(
        got[1][4..],
        [Some("2020年12月31日".into()), Some("否".into())]
    );
    assert_eq!(
        got[1][1].as_deref(),
        Some("0915000012345678X9"),
        "a leading zero kept"
    );
    assert_eq!(
        r.summary.totals,
        [
            None,
            None,
            Some("155".into()),
            Some("1322.56".into()),
            None,
            None
        ]
    );
    // The blank form offers the answers to tick.
    let blank = squeeze(&blank_form_text(dir.path(), &content, &units[0]));
    assert!(blank.contains("□是") && blank.contains("□否"), "{blank}");
}

/// Issue 23: a 登记表 as Word makes it — labels and blanks anywhere, a
/// blank merged across columns — goes out as a form and comes back: each
/// blank named by the label before it, read by place, listed, never summed.
#[test]
fn a_register_with_labels_anywhere_and_merged_blanks_comes_back() {
    let (dir, content) = two_company_form(
        r#"发文机关标志: 某局文件
标题: 关于报送企业登记信息的通知
正文: [请填报。]
附件:
  - 标题: 企业登记表
    填报栏: [填报单位（盖章）, 填报日期]
    表格:
      列: [{文字: 企业基本情况, 跨列: 4}]
      行:
        - [企业名称, {文字: "", 跨列: 3}]
        - [统一社会信用代码, "", 法定代表人, ""]
        - [联系电话, "", 职工人数, ""]
        - [主要产品, {文字: "", 跨列: 3}]
发文机关署名: 某局
成文日期: 2026-06-20
"#,
    );
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    assert!(form.register);
    let names: Vec<String> = form
        .cells()
        .iter()
        .map(|&(r, c)| form.cell_name(r, c))
        .collect();
    assert_eq!(
        names,
        [
            "企业名称",
            "统一社会信用代码",
            "法定代表人",
            "联系电话",
            "职工人数",
            "主要产品"
        ]
    );
    let filled = [
        [
            "甲公司",
            "91500000MA5U7XYZ12",
            "张三",
            "023-12345678",
            "120",
            "汽车零部件、模具",
        ],
        [
            "乙公司",
            "0915000012345678X9",
            "李四",
            "13800000000",
            "35",
            "软件",
        ],
    ];
    let r = fill_workbooks(dir.path(), &content, &filled);
    for ((_, got), want) in r.summary.rows.iter().zip(&filled) {
        let want: Vec<Option<String>> = want.iter().map(|s| Some(s.to_string())).collect();
        assert_eq!(got.as_ref(), Some(&want));
    }
    assert!(r.summary.totals.iter().all(Option::is_none), "never summed");
    // The filled form prints each value in its blank, labels kept.
    let out = dir.path().join("o").join("c");
    let text = pdf_text(
        &out.join("已填报")
            .join(format!("{}.pdf", units[0].file_stem())),
    );
    assert!(
        text.contains("企业名称甲公司")
            && text.contains("法定代表人张三")
            && text.contains("主要产品汽车零部件、模具"),
        "{text}"
    );
    // The blank form keeps every label whole on its line (the blanks hold
    // nothing to size the columns by).
    let lines = blank_form_text(dir.path(), &content, &units[0]);
    for label in ["统一社会信用代码", "法定代表人"] {
        assert!(
            lines
                .lines()
                .any(|l| l.split_whitespace().collect::<String>().contains(label)),
            "{label} broken in\n{lines}"
        );
    }
    // The 汇总表 lists the units with every field.
    let summary = pdf_text(&out.join("汇总表.pdf"));
    assert!(
        summary.contains("统一社会信用代码") && summary.contains("13800000000"),
        "{summary}"
    );
}

/// Issue 23, point 4: a unit that typed a formula into a value cell: its
/// value is counted, and the report says the cell held a formula.
#[test]
fn a_formula_typed_into_a_value_cell_is_counted_and_said() {
    let (_, form, units) = canonical_form();
    let fill = form.cells();
    let (_data, r) = hand_made_return(&units[0].id, |ws| {
        for (r, row) in form.rows.iter().enumerate() {
            let sheet_row = 3 + r as u32;
            for (c, text) in row.iter().enumerate() {
                if (r, c) == fill[2] {
                    let f = rust_xlsxwriter::Formula::new("=5+7").set_result("12");
                    ws.write_formula(sheet_row, c as u16, f).unwrap();
                } else if fill.contains(&(r, c)) {
                    ws.write_number(sheet_row, c as u16, (r + 1) as f64)
                        .unwrap();
                } else {
                    ws.write_string(sheet_row, c as u16, text).unwrap();
                }
            }
        }
    });
    let text = r.text();
    assert!(!r.has_errors(), "a note, not an error: {text}");
    let (_, got) = r
        .summary
        .rows
        .iter()
        .find(|(u, _)| u.id == units[0].id)
        .unwrap();
    assert_eq!(got.as_ref().unwrap()[2].as_deref(), Some("12"), "{text}");
    assert!(
        text.contains("填的是公式“=5+7”，按其计算结果计入"),
        "{text}"
    );
}

/// Issue 23, point 2: a 台账 — blank rows a unit fills with as many entries
/// as it has, up to 最多行数: the Excel form holds them all, the filled form
/// and the 汇总 list each unit's entries (the unit first), amounts summed.
#[test]
fn a_ledger_takes_as_many_entries_as_a_unit_has() {
    let (dir, content) = two_company_form(
        r#"发文机关标志: 某局文件
标题: 关于报送隐患整改台账的通知
正文: [请填报。]
附件:
  - 标题: 隐患整改台账
    填报栏: [填报单位（盖章）, 填报日期]
    表格:
      列: [序号, 企业名称, 隐患描述, 整改资金（万元）, 是否完成]
      列类型: [自动, 文本, 文本, 金额, 选项（是/否）]
      自动序号: true
      最多行数: 30
      行:
        - ["", "", "", ""]
        - ["", "", "", ""]
        - ["", "", "", ""]
发文机关署名: 某局
成文日期: 2026-06-20
"#,
    );
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    assert_eq!(form.ledger, Some(30));
    assert_eq!(form.cells().len(), 30 * 4);
    // 甲公司 has 7 entries (more than the 3 printed rows), 乙公司 2.
    let entry = |u: usize, k: usize| -> [String; 4] {
        [
            format!("企业{u}-{k}"),
            format!("隐患{k}：消防通道堵塞"),
            format!("{}.{:02}", k + u, (k * 7) % 100),
            if k.is_multiple_of(2) { "是" } else { "否" }.to_string(),
        ]
    };
    let counts = [7, 2];
    let mut filled: Vec<[String; 120]> = Vec::new();
    for (u, &count) in counts.iter().enumerate() {
        let mut cells: [String; 120] = std::array::from_fn(|_| String::new());
        for k in 0..count {
            for (j, v) in entry(u, k).into_iter().enumerate() {
                cells[k * 4 + j] = v;
            }
        }
        filled.push(cells);
    }
    let rows: Vec<[&str; 120]> = filled
        .iter()
        .map(|c| std::array::from_fn(|i| c[i].as_str()))
        .collect();
    // Empty strings are blank cells, as a unit leaves them.
    let r = fill_workbooks(dir.path(), &content, &rows);
    let listed = r.summary.ledger(&form);
    let entries: Vec<(String, Vec<Option<String>>)> = listed
        .rows
        .iter()
        .map(|(u, v)| (u.id.clone(), v.clone().unwrap()))
        .collect();
    assert_eq!(entries.len(), 9);
    assert_eq!(entries[6].0, "a");
    assert_eq!(entries[7].0, "b");
    let want: Vec<Option<String>> = entry(1, 1).into_iter().map(Some).collect();
    assert_eq!(entries[8].1, want);
    // The amounts summed exactly, over every entry; the rest never.
    let cents: i64 = counts
        .iter()
        .enumerate()
        .flat_map(|(u, &n)| (0..n).map(move |k| ((k + u) * 100 + (k * 7) % 100) as i64))
        .sum();
    let total = format!("{}.{:02}", cents / 100, cents % 100);
    assert_eq!(listed.totals, [None, None, Some(total.clone()), None]);
    // The filled form lists 甲公司's seven entries; the 汇总表 all nine with
    // their units; the blank form its three printed rows.
    let out = dir.path().join("o").join("c");
    let text = pdf_text(
        &out.join("已填报")
            .join(format!("{}.pdf", units[0].file_stem())),
    );
    assert!(text.contains("7企业0-6隐患6：消防通道堵塞6.42是"), "{text}");
    let summary = pdf_text(&out.join("汇总表.pdf"));
    assert!(
        summary.contains("乙公司企业1-1隐患1：消防通道堵塞2.07否"),
        "{summary}"
    );
    assert!(summary.contains(&format!("合计{total}")), "{summary}");
    let blank = squeeze(&blank_form_text(dir.path(), &content, &units[0]));
    assert!(
        blank.contains("1□是□否2□是□否3□是□否") && !blank.contains("4□是"),
        "three numbered rows: {blank}"
    );
    // 汇总明细.csv numbers each unit's rows.
    let detail = std::fs::read_to_string(out.join("汇总明细.csv")).unwrap();
    assert!(detail.contains("a,甲公司,7,企业名称,企业0-6"), "{detail}");
}

/// Issue 23, point 2: a Word grid typed without a header (its first row is
/// data, not a header) is a 登记表 like any other: no empty header row is
/// printed, and its blanks are named by their labels.
#[test]
fn a_grid_without_a_header_row_is_a_register() {
    let (dir, content) = two_company_form(
        "发文机关标志: 某局文件\n标题: 关于报送登记表的通知\n正文: [请填报。]\n附件:\n  - 标题: 登记表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      行:\n        - [企业名称, {文字: \"\", 跨列: 3}]\n        - [\"主要\\n产品\", \"\", 职工人数, \"\"]\n发文机关署名: 某局\n成文日期: 2026-06-20\n",
    );
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    assert!(form.register);
    let names: Vec<String> = form
        .cells()
        .iter()
        .map(|&(r, c)| form.cell_name(r, c))
        .collect();
    assert_eq!(names, ["企业名称", "主要\n产品", "职工人数"]);
    let r = fill_workbooks(
        dir.path(),
        &content,
        &[["甲公司", "模具", "12"], ["乙公司", "软件", "3"]],
    );
    assert_eq!(
        r.summary.rows[1].1.as_ref().unwrap(),
        &[Some("乙公司".into()), Some("软件".into()), Some("3".into())]
    );
    let blank = blank_form_text(dir.path(), &content, &units[0]);
    assert!(squeeze(&blank).contains("企业名称"), "{blank}");
}

/// Issue 23, point 2: a matrix with categories and 小计 — the Excel form
/// has a 小计 row after each category's rows and a 合计 over the 小计, as
/// the PDF prints them, and the values are read back past them.
#[test]
fn subtotals_are_in_the_excel_form_and_read_past() {
    let (dir, content) = two_company_form(
        "发文机关标志: 某局文件\n标题: 关于统计的通知\n正文: [请填报。]\n附件:\n  - 标题: 统计表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      列: [行业, 发现, 整改]\n      行:\n        - {分类: 工矿}\n        - [危化, \"\", \"\"]\n        - [矿山, \"\", \"\"]\n        - {分类: 其他}\n        - [消防, \"\", \"\"]\n      小计: true\n      合计: true\n发文机关署名: 某局\n成文日期: 2026-06-20\n",
    );
    let (_, form, units) = forms::load(engine(), &content, None).unwrap();
    let filled = [
        ["1", "2", "3", "4", "5", "6"],
        ["10", "20", "30", "40", "50", "60"],
    ];
    let r = fill_workbooks(dir.path(), &content, &filled);
    assert_eq!(whole(&r.summary.totals), [11, 22, 33, 44, 55, 66]);
    use calamine::Reader as _;
    let book = dir
        .path()
        .join("data")
        .join(format!("{}.xlsx", units[0].id));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(book).unwrap();
    let sheet = wb.worksheet_range("填报表").unwrap();
    let formulas = wb.worksheet_formula("填报表").unwrap();
    let (r0, _) = formulas.start().unwrap();
    let label = |f: &(usize, usize, &String)| {
        let row = f.0 as u32 + r0;
        sheet
            .get_value((row, 0))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let sums: Vec<(String, String)> = formulas
        .used_cells()
        .filter(|f| !f.2.is_empty())
        .map(|f| (label(&f), f.2.clone()))
        .collect();
    let labels: Vec<&str> = sums.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        ["小计", "小计", "小计", "小计", "合计", "合计"],
        "{sums:?}"
    );
    // The 合计 adds the two 小计, not every row again.
    assert!(sums[4].1.contains(','), "{sums:?}");
    assert_eq!(form.cells().len(), 6);
}
