//! What office staff type (issue 16): the slips of a Chinese input method
//! and of text pasted from a PDF are read as meant and reported at their
//! place, typed numbers are never printed twice, and an impossible date
//! says why.

use crate::common::*;

fn project_of(yaml: &str) -> (tempfile::TempDir, gongwen::Project) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let p = gongwen::Project::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    (dir, p)
}

fn findings(p: &gongwen::Project) -> Vec<String> {
    gongwen::check(engine(), p)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn load_error(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    gongwen::Project::load(dir.path())
        .map(|_| ())
        .expect_err("refused")
        .to_string()
}

const SLIPS: &str = "发文机关标志: 某某市应急管理局文件
发文字号: 榕政办〔2016〕186 号
标题: 关于开展安全生产月活动的通知
主送机关: 各区应急管理局
正文:
  - 现就有关事项通知如下。
  - 标题：工作要求
    内容:
      - 各单位要高度重视。
  - 标题: 二、组织领导
    内容:
      - {段落: （一）成立领导小组。, 编号: true}
发文机关署名: 某某市应急管理局
成文日期：2016 年 10 月 6 日
";

#[test]
fn input_method_and_pdf_slips_are_read_as_meant_and_reported_where_they_are() {
    let (_dir, p) = project_of(SLIPS);
    let f = findings(&p);
    let all = f.join("\n");
    // Full-width colons after known keys: line 7 (nested) and line 14.
    for (line, key) in [(7, "标题"), (14, "成文日期")] {
        assert!(
            f.iter().any(|m| m.contains(&format!(":{line}:"))
                && m.contains(&format!("“{key}”后用了全角冒号"))
                && m.contains("警告")),
            "{all}"
        );
    }
    assert!(all.contains("“榕政办〔2016〕186 号”中有空格"), "{all}");
    assert!(all.contains("“2016 年 10 月 6 日”中有空格"), "{all}");
    assert!(all.contains("“二、”与自动生成的序数重复，已去掉"), "{all}");
    assert!(
        all.contains("“（一）”与自动生成的序数重复，已去掉"),
        "{all}"
    );
    assert!(all.contains("应以全角冒号“：”结尾，已补上"), "{all}");
    assert!(!all.contains("错误"), "{all}");
    // And in print: each as the standard has it, nothing twice.
    let built = gongwen::build(engine(), &p).unwrap();
    let text = squeeze(&layout(&built.doc).text());
    for want in [
        "榕政办〔2016〕186号",
        "各区应急管理局：",
        "一、工作要求",
        "二、组织领导",
        "（一）成立领导小组。",
        "2016年10月6日",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    for never in ["二、二、", "（一）（一）", "：："] {
        assert!(!text.contains(never), "{never} in {text}");
    }
    let l = layout(&built.doc);
    let heading = l.line_starting("一、工作要求").1;
    assert!(
        heading[0].family.contains("Hei"),
        "a heading, not a paragraph"
    );
}

#[test]
fn slips_that_cannot_be_read_say_what_to_fix_at_their_line() {
    // A full-width colon after a key gongwen does not know.
    let e = load_error("发文机关标志: 某局文件\n发文单位：某局\n");
    assert!(
        e.contains("第2行“发文单位”后用了全角冒号") && e.contains(":2:"),
        "{e}"
    );
    // Full-width spaces as indentation.
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文:\n　　- 一段。\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    assert!(e.contains("全角空格"), "{e}");
    // An impossible date says why.
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2020年6月31日\n",
    );
    assert!(e.contains("2020年6月只有30天") && e.contains(":5:"), "{e}");
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-02-29\n",
    );
    assert!(e.contains("2019年2月只有28天"), "{e}");
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-13-01\n",
    );
    assert!(e.contains("月份应在1到12之间"), "{e}");
}

#[test]
fn a_mention_of_the_attachment_is_answered_by_the_issued_documents_attachment() {
    let yaml = "发文机关标志: 某局文件\n标题: 关于印发方案的通知\n正文:\n  - 现将《方案》印发给你们（见附件），请认真执行。\n\
发文机关署名: 某局\n成文日期: 2019-03-07\n印发文件:\n  - 标题: 方案\n    正文: [一段。]\n    附件:\n      - 标题: 统计表\n        正文: [表。]\n";
    let (_dir, p) = project_of(yaml);
    let all = findings(&p).join("\n");
    assert!(!all.contains("附件说明"), "{all}");
    // Nothing anywhere: the mention is reported.
    let alone = "发文机关标志: 某局文件\n标题: 关于某事的通知\n正文:\n  - 具体见附件。\n\
发文机关署名: 某局\n成文日期: 2019-03-07\n";
    let (_dir, p) = project_of(alone);
    let all = findings(&p).join("\n");
    assert!(all.contains("正文提到附件"), "{all}");
}

fn gongwen(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_font_report_names_each_role_and_a_required_standard_face_refuses_substitutes() {
    let out = gongwen(&["fonts", "--ignore-system-fonts"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "小标宋（发文机关标志、标题）：FandolSong（代用：未安装 方正小标宋简体）",
        "仿宋（正文）：FandolFang",
        "黑体（一级标题",
        "楷体（二级标题",
        "宋体（页码）",
        "5 种常规字体未安装",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    // A build says so in one line; with --require-standard-fonts it refuses
    // and leaves the previous PDF in place.
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let content = canonical_dir();
    let (c, o) = (content.to_str().unwrap(), out_dir.to_str().unwrap());
    let built = gongwen(&["build", c, "-o", o, "--ignore-system-fonts"]);
    assert!(built.status.success());
    let said = String::from_utf8_lossy(&built.stderr);
    assert_eq!(said.matches("字体代用").count(), 1, "{said}");
    let pdf = out_dir.join("2019-315.pdf");
    let before = std::fs::read(&pdf).unwrap();
    let refused = gongwen(&[
        "build",
        c,
        "-o",
        o,
        "--ignore-system-fonts",
        "--require-standard-fonts",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("未安装：方正小标宋简体→FandolSong"), "{said}");
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
}

#[test]
fn a_corrected_resubmission_replaces_the_first_and_the_late_units_get_a_reminder_list() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("单位.yaml");
    std::fs::write(
        &units,
        "单位:\n  - {编号: a, 名称: 甲区市场监督管理局, 联系人: 张三, 联系电话: 021-12345678}\n  \
         - {编号: b, 名称: 乙区市场监督管理局, 联系人: 李四, 联系电话: 021-87654321}\n  \
         - {编号: c, 名称: 丙区市场监督管理局}\n",
    )
    .unwrap();
    let (_, form, list) = gongwen::forms::load(engine(), &canonical_dir(), Some(&units)).unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let n = form.cells().len();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let write = |file: &str, unit: usize, v: i64, filled: &str| {
        let values = vec![Some(v); n];
        let book = gongwen::forms::form_workbook(
            &form,
            &list[unit],
            date,
            &texts(&values),
            Some(filled),
            &Default::default(),
        )
        .unwrap();
        std::fs::write(data.join(file), book).unwrap();
    };
    // The correction is named so that it sorts first, and dated later.
    write("z-first.xlsx", 0, 1, "2019-03-20");
    write("a-corrected.xlsx", 0, 2, "2019年3月22日");
    // The same date twice: the file saved later counts.
    write("b-later.xlsx", 1, 5, "2019-03-21");
    write("b-earlier.xlsx", 1, 4, "2019-03-21");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(data.join("b-earlier.xlsx"))
        .unwrap()
        .set_modified(old)
        .unwrap();

    let out = dir.path().join("out");
    let opts = gongwen::forms::Options {
        units: Some(units.clone()),
        date: Some("2019年3月25日".into()),
        ..Default::default()
    };
    let report = gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let text = report.text();
    assert!(!report.has_errors(), "{text}");
    assert_eq!(whole(&report.summary.totals), vec![2 + 5; n], "{text}");
    assert!(
        text.contains("z-first.xlsx") && text.contains("已改用"),
        "{text}"
    );
    assert!(
        text.contains("b-earlier.xlsx") && text.contains("b-later.xlsx"),
        "{text}"
    );
    // A 填报日期 typed 2019-03-21 is printed the standard's way.
    let filled = out
        .join("2019-315")
        .join("已填报")
        .join(format!("{}.pdf", list[1].file_stem()));
    let bytes = std::fs::read(filled).unwrap();
    let printed = squeeze(&pdf_extract::extract_text_from_mem(&bytes).unwrap());
    assert!(printed.contains("2019年3月21日"), "{printed}");
    // The 催报名单: the one unit that has not reported, with its contact.
    let reminders = std::fs::read_to_string(out.join("2019-315").join("催报名单.txt")).unwrap();
    assert!(reminders.contains("3 个单位中 1 个未报送"), "{reminders}");
    assert!(
        reminders.contains("丙区市场监督管理局（编号 c）"),
        "{reminders}"
    );
    assert!(
        !reminders.contains("甲区") && !reminders.contains("乙区"),
        "{reminders}"
    );
    assert!(
        reminders.contains("2019年3月25日") && reminders.contains("请抓紧填报"),
        "{reminders}"
    );
    // A unit's contact is printed when it is late.
    std::fs::remove_file(data.join("a-corrected.xlsx")).unwrap();
    std::fs::remove_file(data.join("z-first.xlsx")).unwrap();
    gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let reminders = std::fs::read_to_string(out.join("2019-315").join("催报名单.txt")).unwrap();
    assert!(
        reminders.contains("甲区市场监督管理局（编号 a）　联系人：张三　电话：021-12345678"),
        "{reminders}"
    );
}

#[test]
fn quotation_marks_in_a_title_take_a_full_character_cell() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        "发文机关标志: 某局文件\n标题: 关于开展“安全生产月”活动的通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    )
    .unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    // Every glyph of the title line, in order, with its left edge.
    let line = l.line(1, "活动的通知");
    let mut glyphs: Vec<(char, f64)> = Vec::new();
    for r in &line {
        for (c, x) in r.text.chars().zip(&r.glyph_pen) {
            glyphs.push((c, *x));
        }
    }
    glyphs.sort_by(|a, b| a.1.total_cmp(&b.1));
    let em = 22.0 / PT_PER_MM;
    let at = |c: char| glyphs.iter().find(|g| g.0 == c).unwrap().1;
    // 展 “ 安: the opening quote takes a whole cell between them; 月 ” 活 too.
    close(at('安') - at('展'), 2.0 * em, "展“安");
    close(at('活') - at('月'), 2.0 * em, "月”活");
}

#[test]
fn every_fill_field_is_on_the_pdf_and_excel_forms_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    let notice = std::fs::read_to_string(canonical_dir().join("公文.yaml")).unwrap();
    let notice = notice.replace(
        "填报栏: [填报单位, 填报日期]",
        "填报栏: [填报单位, 填报日期, 填报人, 联系电话]",
    );
    assert!(notice.contains("填报人"));
    std::fs::write(content.join("公文.yaml"), notice).unwrap();
    std::fs::copy(
        canonical_dir().join("填报单位.yaml"),
        content.join("填报单位.yaml"),
    )
    .unwrap();
    let (_, form, units) = gongwen::forms::load(engine(), &content, None).unwrap();
    assert_eq!(form.extra_fields(), ["填报人", "联系电话"]);
    // The blank forms: every field on the PDF, the unit's name whole.
    let out = dir.path().join("out");
    let opts = gongwen::forms::Options {
        xlsx: true,
        ..Default::default()
    };
    gongwen::forms::distribute(engine(), &content, &out, &opts).unwrap();
    let u = &units[1];
    let pdf = out
        .join("c")
        .join("填报表")
        .join(format!("{}.pdf", u.file_stem()));
    let text = squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap());
    assert!(text.contains(&format!("填报单位：{}", u.name)), "{text}");
    assert!(
        text.contains("填报人：") && text.contains("联系电话："),
        "{text}"
    );
    // The Excel form: the fields under the table, printed on A4 as wide as
    // the page with the header repeated.
    let xlsx = out
        .join("c")
        .join("填报表")
        .join(format!("{}.xlsx", u.file_stem()));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("paperSize=\"9\"") && sheet.contains("fitToHeight=\"0\""),
        "{sheet}"
    );
    assert!(sheet.contains("horizontalCentered=\"1\""));
    assert!(part("xl/workbook.xml").contains("_xlnm.Print_Titles"));
    assert!(part("xl/sharedStrings.xml").contains("联系电话："));
    // Returned filled, in Excel and in CSV: the fields come back and are
    // printed on the filled forms.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let fields: std::collections::BTreeMap<String, String> = [
        ("填报人".to_string(), "王五".to_string()),
        ("联系电话".to_string(), "021-64040000".to_string()),
    ]
    .into();
    let v = vec![Some(1); form.cells().len()];
    let book = gongwen::forms::form_workbook(
        &form,
        &units[0],
        date,
        &texts(&v),
        Some("2019-03-20"),
        &fields,
    )
    .unwrap();
    std::fs::write(data.join("a.xlsx"), book).unwrap();
    let mut csv = String::from("单位编号,填报人,联系电话,");
    let names: Vec<String> = form
        .cells()
        .iter()
        .map(|(r, c)| form.cell_name(*r, *c))
        .collect();
    csv.push_str(&names.join(","));
    csv.push_str(&format!("\n{},赵六,13800000000,", units[1].id));
    csv.push_str(&vec!["2"; names.len()].join(","));
    csv.push('\n');
    std::fs::write(data.join("b.csv"), csv).unwrap();
    let filled = dir.path().join("filled");
    let report = gongwen::forms::collect(
        engine(),
        &content,
        &data,
        &filled,
        &gongwen::forms::Options::default(),
    )
    .unwrap();
    assert!(!report.has_errors(), "{}", report.text());
    for (u, who, phone) in [
        (&units[0], "王五", "021-64040000"),
        (&units[1], "赵六", "13800000000"),
    ] {
        let pdf = filled
            .join("c")
            .join("已填报")
            .join(format!("{}.pdf", u.file_stem()));
        let text =
            squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(pdf).unwrap()).unwrap());
        assert!(
            text.contains(&format!("填报人：{who}"))
                && text.contains(&format!("联系电话：{phone}")),
            "{text}"
        );
    }
}

#[test]
fn the_summary_names_its_units_of_measure_counts_the_units_and_comes_in_excel_with_sums() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let (_, form, units) = gongwen::forms::load(engine(), &canonical_dir(), None).unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let n = form.cells().len();
    for (k, u) in units.iter().take(3).enumerate() {
        let v: Vec<Option<i64>> = (0..n).map(|i| Some((k * 10 + i) as i64)).collect();
        let book =
            gongwen::forms::form_workbook(&form, u, date, &texts(&v), None, &Default::default())
                .unwrap();
        std::fs::write(data.join(format!("{}.xlsx", u.id)), book).unwrap();
    }
    let out = dir.path().join("out");
    let opts = gongwen::forms::Options {
        date: Some("2019年3月25日".into()),
        ..Default::default()
    };
    let report = gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let want: Vec<i64> = (0..n as i64).map(|i| i + (10 + i) + (20 + i)).collect();
    assert_eq!(whole(&report.summary.totals), want);
    // The PDF: 填报单位 (never just 单位) and each item's unit of measure.
    let pdf = std::fs::read(out.join("2019-315").join("汇总表.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains("填报单位"), "{text}");
    assert!(text.contains("组织普法活动（场次）"), "{text}");
    assert!(
        text.contains("应报20个单位，已报送3个，未报送17个"),
        "{text}"
    );
    // The workbook: the same table, and SUM formulas in the 合计 row.
    let mut wb: Xlsx<_> = open_workbook(out.join("2019-315").join("汇总表.xlsx")).unwrap();
    let values = wb.worksheet_range("汇总表").unwrap();
    let at = |r: u32, c: u32| {
        values
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(at(2, 1), "填报单位");
    assert_eq!(at(2, 2), "组织普法活动（场次）");
    assert!(at(1, 0).contains("汇总日期：2019年3月25日"));
    let total_row = 3 + units.len() as u32;
    assert_eq!(at(total_row, 1), "合计");
    let formulas = wb.worksheet_formula("汇总表").unwrap();
    let f = formulas
        .get_value((total_row, 2))
        .cloned()
        .unwrap_or_default();
    assert_eq!(f, format!("SUM(C4:C{})", 3 + units.len()));
    assert_eq!(at(total_row, 2), want[0].to_string());
    assert_eq!(at(3, 2), "0");
    assert_eq!(at(6, 2), "未报");
}

#[test]
fn the_forms_of_two_notices_built_into_one_folder_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("2020-安全生产月");
    std::fs::create_dir(&other).unwrap();
    for f in ["公文.yaml", "填报单位.yaml"] {
        std::fs::copy(canonical_dir().join(f), other.join(f)).unwrap();
    }
    let out = dir.path().join("out");
    let opts = gongwen::forms::Options::default();
    let a = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    let b = gongwen::forms::distribute(engine(), &other, &out, &opts).unwrap();
    assert_eq!(a.out.dir, out.join("2019-315"));
    assert_eq!(b.out.dir, out.join("2020-安全生产月"));
    // The second run replaced nothing of the first.
    for f in &a.out.files {
        assert!(f.is_file(), "{} was removed", f.display());
    }
    let count = |d: &std::path::Path| std::fs::read_dir(d.join("填报表")).unwrap().count();
    assert_eq!((count(&a.out.dir), count(&b.out.dir)), (20, 20));
}

#[test]
fn an_impossible_fill_date_in_a_return_is_reported_and_printed_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let (_, form, units) = gongwen::forms::load(engine(), &canonical_dir(), None).unwrap();
    let names: Vec<String> = form
        .cells()
        .iter()
        .map(|(r, c)| form.cell_name(*r, *c))
        .collect();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut csv = format!("单位编号,填报日期,{}\n", names.join(","));
    csv.push_str(&format!(
        "{},2019年2月30日,{}\n",
        units[0].id,
        vec!["1"; names.len()].join(",")
    ));
    std::fs::write(data.join("a.csv"), csv).unwrap();
    let out = dir.path().join("out");
    let report = gongwen::forms::collect(
        engine(),
        &canonical_dir(),
        &data,
        &out,
        &gongwen::forms::Options::default(),
    )
    .unwrap();
    let text = report.text();
    assert!(
        text.contains("填报日期“2019年2月30日”有误") && text.contains("2019年2月只有28天"),
        "{text}"
    );
    assert!(!report.has_errors(), "{text}");
}

#[test]
fn a_title_never_breaks_inside_a_short_quoted_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        "发文机关标志: 某某市应急管理局文件\n标题: 某某市应急管理局关于开展2020年“安全生产月”活动的通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    )
    .unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    let lines: Vec<String> = l.lines(1).iter().map(|ln| line_text(ln)).collect();
    assert!(
        lines.iter().any(|t| t.contains("“安全生产月”")),
        "{lines:?}"
    );
}

#[test]
fn a_newcomers_other_slips_are_named_and_earlier_outputs_kept() {
    // A 主送机关 ending in a half-width colon is read as its "：".
    let (_dir, p) = project_of(
        "发文机关标志: 某局文件\n标题: 通知\n主送机关: 各区应急管理局:\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    assert_eq!(p.notice.recipients.as_deref(), Some("各区应急管理局："));
    assert!(findings(&p)
        .iter()
        .any(|f| f.contains(":3:") && f.contains("半角冒号")));
    // Chinese commas inside [ ] are named where they are.
    let yaml = "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n附件:\n  - 标题: 表\n    填报栏: [填报单位，填报日期]\n    表格:\n      列: [序号, 项目, 数量]\n      行: [[开展应急演练，次, \"\"]]\n发文机关署名: 某局\n成文日期: 2019-03-07\n";
    let (_dir, p) = project_of(yaml);
    let all = findings(&p).join("\n");
    assert!(
        all.contains(":6:") && all.contains("“填报单位，填报日期”中有中文逗号"),
        "{all}"
    );
    assert!(
        all.contains(":9:") && all.contains("各格之间请用半角逗号"),
        "{all}"
    );
    // A paragraph typed with its number is pointed to 标题.
    let (_dir, p) = project_of(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。, 四、其他事项]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    assert!(findings(&p).join("\n").contains("请写成“- 标题: 其他事项”"));
    // forms without --xlsx leaves the workbooks of an earlier run in place.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let with = gongwen::forms::Options {
        xlsx: true,
        ..Default::default()
    };
    let r = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &with).unwrap();
    let books = |d: &std::path::Path| {
        std::fs::read_dir(d.join("填报表"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "xlsx")
            })
            .count()
    };
    assert_eq!(books(&r.out.dir), 20);
    let without = gongwen::forms::Options::default();
    gongwen::forms::distribute(engine(), &canonical_dir(), &out, &without).unwrap();
    assert_eq!(books(&r.out.dir), 20, "the sent-out workbooks were removed");
}

#[test]
fn command_line_mistakes_are_explained_in_chinese() {
    let canonical = canonical_dir();
    let c = canonical.to_str().unwrap();
    for (args, want) in [
        (
            vec!["forms", c, "--date", "2020年13月5日"],
            "--date <DATE> 的值“2020年13月5日”无效",
        ),
        (vec!["build"], "缺少参数：<CONTENT>"),
        (vec!["bild", c], "没有这个命令：bild"),
        (vec!["build", c, "--nope"], "没有这个选项：--nope"),
    ] {
        let out = gongwen(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("错误：") && err.contains(want),
            "{args:?}: {err}"
        );
        assert!(!err.contains("For more information"), "{err}");
    }
}

#[test]
fn text_inside_a_block_scalar_is_never_rewritten() {
    let (_dir, p) = project_of(
        "发文机关标志: 某局文件\n标题: |-\n  关于某事的通知\n正文:\n  - |-\n    标题：这是正文里的一行\n    成文日期：也是正文\n  - 标题：工作要求\n    内容: [一段。]\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    let built = gongwen::build(engine(), &p).unwrap();
    let text = squeeze(&layout(&built.doc).text());
    assert!(
        text.contains("标题：这是正文里的一行成文日期：也是正文"),
        "{text}"
    );
    assert!(text.contains("一、工作要求"), "{text}");
    let slips: Vec<String> = findings(&p)
        .into_iter()
        .filter(|f| f.contains("全角冒号"))
        .collect();
    assert_eq!(slips.len(), 1, "{slips:?}");
    assert!(slips[0].contains(":8:"), "{slips:?}");
}
