//! Hostile files, round three (issue 21): each case seen in the second
//! hostile run, run as a user would, failing without its fix.

use super::*;

use std::io::Write as _;

// ---------------------------------------------------------------------------
// Workbooks as WPS, LibreOffice and Excel for Mac save them, written here
// byte by byte so that the tests need no office suite.

/// A cell of a generated workbook.
enum V<'a> {
    N(f64),
    T(&'a str),
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

/// A BIFF8 BOF record's data: version 0x0600 and the substream type.
fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend([0u8; 12]);
    d
}

/// An .xls (BIFF8 in a compound file): sheets of (name, hsState 0 visible
/// / 2 very hidden, cells as (row, column, value)).
/// Cells of a generated sheet: (row, column, value).
type Cells<'a> = Vec<(u16, u16, V<'a>)>;

fn xls(sheets: &[(&str, u8, Cells)]) -> Vec<u8> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let subs: Vec<Vec<u8>> = sheets
        .iter()
        .map(|(_, _, cells)| {
            let mut s = Vec::new();
            record(&mut s, 0x0809, &bof(0x0010));
            for (r, c, v) in cells {
                let mut d = r.to_le_bytes().to_vec();
                d.extend(c.to_le_bytes());
                d.extend(0u16.to_le_bytes());
                match v {
                    V::N(x) => {
                        d.extend(x.to_le_bytes());
                        record(&mut s, 0x0203, &d);
                    }
                    V::T(t) => {
                        d.extend((t.encode_utf16().count() as u16).to_le_bytes());
                        d.push(1);
                        d.extend(utf16(t));
                        record(&mut s, 0x0204, &d);
                    }
                }
            }
            record(&mut s, 0x000A, &[]);
            s
        })
        .collect();
    let bound = |name: &str, state: u8, pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([state, 0, name.encode_utf16().count() as u8, 1]);
        d.extend(utf16(name));
        d
    };
    let globals: usize = 20
        + 4
        + sheets
            .iter()
            .map(|(n, ..)| 4 + bound(n, 0, 0).len())
            .sum::<usize>();
    let mut stream = Vec::new();
    record(&mut stream, 0x0809, &bof(0x0005));
    let mut pos = globals;
    for ((name, state, _), sub) in sheets.iter().zip(&subs) {
        record(&mut stream, 0x0085, &bound(name, *state, pos as u32));
        pos += sub.len();
    }
    record(&mut stream, 0x000A, &[]);
    for s in subs {
        stream.extend(s);
    }
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// An .ods of `tables` (name, content.xml rows).
fn ods(tables: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>").unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>");
    for (name, rows) in tables {
        xml.push_str(&format!(
            "<table:table table:name=\"{name}\">{rows}</table:table>"
        ));
    }
    xml.push_str("</office:spreadsheet></office:body></office:document-content>");
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn ods_row(cells: &[V]) -> String {
    let mut row = String::from("<table:table-row>");
    for c in cells {
        row.push_str(&match c {
            V::N(x) => format!("<table:table-cell office:value-type=\"float\" office:value=\"{x}\"/>"),
            V::T("") => "<table:table-cell/>".to_string(),
            V::T(t) => format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"),
        });
    }
    row.push_str("</table:table-row>");
    row
}

/// The canonical form's sheet as a unit fills it: the row names, and
/// `value` in every fill cell (the canonical form has one header row).
fn form_cells(form: &gongwen::forms::Form, value: f64) -> Cells<'_> {
    let mut cells = Vec::new();
    let fill = form.cells();
    for (r, row) in form.rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if fill.contains(&(r, c)) {
                cells.push((3 + r as u16, c as u16, V::N(value)));
            } else if !text.is_empty() {
                cells.push((3 + r as u16, c as u16, V::T(text)));
            }
        }
    }
    cells
}

/// The values of one unit's row of 汇总表.csv.
fn summed(out: &Path, unit: &str) -> Vec<String> {
    let csv = std::fs::read_to_string(out.join("c").join("汇总表.csv")).unwrap();
    let line = csv
        .lines()
        .find(|l| l.split(',').nth(1) == Some(unit))
        .unwrap_or_else(|| panic!("no row for {unit} in\n{csv}"));
    line.split(',').skip(3).map(str::to_string).collect()
}

fn report(out: &Path) -> String {
    std::fs::read_to_string(out.join("c").join("校验报告.txt")).unwrap()
}

#[test]
fn xls_and_ods_returns_are_read_and_ones_claiming_billions_of_cells_are_refused_alone() {
    let (dir, content) = forms_content(UNITS);
    let (_, form, _) = gongwen::forms::load(engine(), &content, None).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // Unit a: an honest .xls as WPS saves it.
    let a = xls(&[
        ("填报表", 0, form_cells(&form, 3.0)),
        ("gongwen", 2, vec![(0, 1, V::T("a"))]),
    ]);
    std::fs::write(data.join("a.xls"), a).unwrap();
    // Unit b: 5.6 KB claiming a cell at row 65535, column 65535.
    let mut bomb = form_cells(&form, 1.0);
    bomb.push((65535, 65535, V::N(1.0)));
    let b = xls(&[("填报表", 0, bomb), ("gongwen", 2, vec![(0, 1, V::T("b"))])]);
    std::fs::write(data.join("b.et"), &b).unwrap();
    // Unit c: an .ods of 20,000 rows, each one value repeated 16,384 times.
    let row = "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"16384\"/></table:table-row>";
    let c = ods(&[
        ("填报表", row.repeat(20_000)),
        ("gongwen", ods_row(&[V::T(""), V::T("c")])),
    ]);
    assert!(c.len() < 3 << 20, "{} bytes", c.len());
    std::fs::write(data.join("c.ods"), c).unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 1, "{}", r.err);
    let report = report(&out);
    for needle in ["b.et", "c.ods", "个单元格"] {
        assert!(report.contains(needle), "{needle} not in\n{report}");
    }
    assert!(
        summed(&out, "a").iter().all(|v| v == "3"),
        "{:?}",
        summed(&out, "a")
    );

    // An honest .ods return is read as well.
    std::fs::remove_file(data.join("c.ods")).unwrap();
    let mut rows = vec![String::new(); 3];
    for (r, cells) in form.rows.iter().enumerate() {
        let values: Vec<V> = cells
            .iter()
            .enumerate()
            .map(|(c, t)| {
                if form.cells().contains(&(r, c)) {
                    V::N(4.0)
                } else {
                    V::T(t)
                }
            })
            .collect();
        rows.push(ods_row(&values));
    }
    let rows: String = rows
        .iter()
        .map(|r| {
            if r.is_empty() {
                "<table:table-row><table:table-cell/></table:table-row>".to_string()
            } else {
                r.clone()
            }
        })
        .collect();
    let c = ods(&[
        ("填报表", rows),
        ("gongwen", ods_row(&[V::T(""), V::T("c")])),
    ]);
    std::fs::write(data.join("c.ods"), c).unwrap();
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 1, "b is still refused: {}", r.err);
    assert!(
        summed(&out, "c").iter().all(|v| v == "4"),
        "{:?}",
        summed(&out, "c")
    );

    // The same file as a 来源 table: a located refusal, not an abort.
    let (dir2, doc) = folder(&NOTICE.replace(
        "正文:\n  - 请认真贯彻执行。\n",
        "正文:\n  - 请认真贯彻执行。\n  - 表格:\n      来源: b.xls\n",
    ));
    std::fs::write(doc.join("b.xls"), &b).unwrap();
    let r = build(&doc, &dir2.path().join("o"));
    assert!(
        r.code == 1 && r.err.contains("公文.yaml:8:") && r.err.contains("个单元格"),
        "{}",
        r.err
    );

    // And as a progress report for 督办: the others are still summed.
    let plan = dir.path().join("plan");
    std::fs::create_dir(&plan).unwrap();
    std::fs::write(plan.join("b.xls"), &b).unwrap();
    std::fs::write(
        plan.join("进度.csv"),
        "任务序号,责任部门,状态,说明\n1,市消保委秘书处,进行中,筹备中\n",
    )
    .unwrap();
    let tasks_out = dir.path().join("tasks");
    let r = run(
        &[
            os("tasks"),
            canonical_dir().as_os_str(),
            os("--data"),
            plan.as_os_str(),
            os("--date"),
            os("2019-03-01"),
            os("-o"),
            tasks_out.as_os_str(),
        ],
        SHORT,
    );
    assert!(r.code == 1 && r.err.contains("b.xls"), "{}", r.err);
    let follow = std::fs::read_to_string(tasks_out.join("2019-315").join("督办汇总.csv")).unwrap();
    assert!(follow.contains("筹备中"), "{follow}");
}

#[test]
fn texts_with_thousands_of_full_width_marks_typeset() {
    // ~7,700 characters with 600 marks in one paragraph, 1,650 in a 附注.
    let para =
        "为深入贯彻落实党中央、国务院关于安全生产工作的决策部署，进一步压实各方责任，".repeat(200);
    let note = "联系人：张三，电话：12345678；".repeat(330);
    let yaml = NOTICE
        .replace("  - 请认真贯彻执行。\n", &format!("  - {para}\n"))
        .replace(
            "成文日期: 2019-12-31\n",
            &format!("成文日期: 2019-12-31\n附注: {note}\n"),
        );
    let (dir, content) = folder(&yaml);
    let out = dir.path().join("o");
    let r = build(&content, &out);
    assert_eq!(r.code, 0, "{}", r.err);
    let text = squeeze(
        &pdf_extract::extract_text_from_mem(&std::fs::read(out.join("c.pdf")).unwrap()).unwrap(),
    );
    let start = squeeze(&para[..300]);
    assert!(
        text.contains(&start),
        "{start}\n not in\n{}",
        &text[..text.len().min(1200)]
    );
    assert!(text.contains("12345678；）"), "the 附注's end is lost");

    // The 汇总表's note names every unit that has not reported: 600 here.
    let units: String = (0..600)
        .map(|i| format!("  - {{编号: u{i}, 名称: 第{i}区市场监督管理局}}\n"))
        .collect();
    let (dir, content) = forms_content(&format!("单位:\n{units}"));
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 0, "{}", r.err);
    for f in ["汇总表.pdf", "校验报告.txt", "催报名单.txt"] {
        assert!(out.join("c").join(f).is_file(), "{f}: {}", r.err);
    }
}

/// `form`'s workbook with extra sheets as units make them: `before` are
/// put in front of the form sheet (named `name`), each (name, hidden,
/// value in every fill cell or none for an instructions sheet).
fn workbook_with(
    form: &gongwen::forms::Form,
    id: &str,
    before: &[(&str, bool, Option<f64>)],
    name: &str,
    value: f64,
) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let mut sheet = |name: &str, hidden: bool, value: Option<f64>| {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        match value {
            None => {
                ws.write_string(0, 0, "填写说明：请在“填报表”中填写。")
                    .unwrap();
            }
            Some(v) => {
                for (r, c, cell) in form_cells(form, v) {
                    match cell {
                        V::N(x) => ws.write_number(r as u32, c, x).unwrap(),
                        V::T(t) => ws.write_string(r as u32, c, t).unwrap(),
                    };
                }
            }
        }
        if hidden {
            ws.set_hidden(true);
        }
    };
    for (n, hidden, v) in before {
        sheet(n, *hidden, *v);
    }
    sheet(name, false, Some(value));
    let ids = wb.add_worksheet();
    ids.set_name("gongwen").unwrap();
    ids.write_string(0, 1, id).unwrap();
    ids.set_very_hidden(true);
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_form_sheet_is_read_not_whatever_sheet_comes_first() {
    let (dir, content) = forms_content(UNITS);
    let (_, form, _) = gongwen::forms::load(engine(), &content, None).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // A hidden old copy in front (999) of the visible form (3).
    let a = workbook_with(&form, "a", &[("旧表", true, Some(999.0))], "填报表", 3.0);
    std::fs::write(data.join("a.xlsx"), a).unwrap();
    // An instructions sheet in front of a renamed form sheet.
    let c = workbook_with(&form, "c", &[("填写说明", false, None)], "Sheet1", 5.0);
    std::fs::write(data.join("c.xlsx"), c).unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 0, "{}\n{}", r.err, report(&out));
    assert!(
        summed(&out, "a").iter().all(|v| v == "3"),
        "{:?}",
        summed(&out, "a")
    );
    assert!(
        summed(&out, "c").iter().all(|v| v == "5"),
        "{:?}",
        summed(&out, "c")
    );
}

/// Rewrites one part of a zip (an xlsx) with `f`.
fn patch_zip(bytes: &[u8], part: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut file = src.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).unwrap();
        if name == part {
            data = f(&String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_workbook_in_the_1904_date_system_gives_its_own_dates() {
    let (dir, content) = forms_content(UNITS);
    let (_, form, _) = gongwen::forms::load(engine(), &content, None).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("填报表").unwrap();
    for (r, c, cell) in form_cells(&form, 2.0) {
        match cell {
            V::N(x) => ws.write_number(r as u32, c, x).unwrap(),
            V::T(t) => ws.write_string(r as u32, c, t).unwrap(),
        };
    }
    // 2019-03-20 is serial 43544 in the 1900 system, 42082 in the 1904 one
    // (Excel for Mac).
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let cols = form.header.len() as u16;
    ws.write_number_with_format(1, cols - 1, 42082.0, &date)
        .unwrap();
    let ids = wb.add_worksheet();
    ids.set_name("gongwen").unwrap();
    ids.write_string(0, 1, "a").unwrap();
    let bytes = patch_zip(&wb.save_to_buffer().unwrap(), "xl/workbook.xml", |x| {
        assert!(x.contains("<workbookPr"), "{x}");
        x.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
    std::fs::write(data.join("a.xlsx"), bytes).unwrap();
    let out = dir.path().join("out");
    fill(&content, &data, &out);
    let filled = out.join("c").join("已填报").join("a-甲区市场监管局.pdf");
    let text =
        squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(filled).unwrap()).unwrap());
    assert!(text.contains("2019年3月20日"), "{text}");
}

#[test]
fn a_truncated_font_file_is_skipped_with_a_warning_not_printed_blank() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let whole = std::fs::read(repo().join("fonts/FandolFang-Regular.otf")).unwrap();
    // An interrupted download: the names parse, the outlines are cut off.
    std::fs::write(fonts.join("仿宋_GB2312.otf"), &whole[..whole.len() / 2]).unwrap();
    let (_keep, content) = folder(NOTICE);
    let r = run(
        &[
            os("check"),
            content.as_os_str(),
            os("--font-path"),
            fonts.as_os_str(),
        ],
        SHORT,
    );
    assert!(
        r.err.contains("仿宋_GB2312.otf") && r.err.contains("不是可用的字体文件"),
        "{}",
        r.err
    );
    let out = dir.path().join("o");
    let r = run(
        &[
            os("build"),
            content.as_os_str(),
            os("--font-path"),
            fonts.as_os_str(),
            os("--emit"),
            os("ofd"),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(r.code, 0, "{}", r.err);
}

#[test]
fn ofd_ids_are_unique_and_every_reference_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let r = run(
        &[
            os("build"),
            canonical_dir().as_os_str(),
            os("--emit"),
            os("ofd"),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let bytes = std::fs::read(out.join("2019-315.ofd")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().ends_with(".xml") {
            std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
        }
    }
    let numbers = |attr: &str| -> Vec<u64> {
        regex::Regex::new(&format!(r#"\b{attr}="(\d+)""#))
            .unwrap()
            .captures_iter(&xml)
            .map(|c| c[1].parse().unwrap())
            .collect()
    };
    let ids = numbers("ID");
    let unique: std::collections::BTreeSet<u64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "repeated ids");
    for r in numbers("Font").into_iter().chain(numbers("ResourceID")) {
        assert!(unique.contains(&r), "reference {r} to no object");
    }
    let max: Vec<u64> = regex::Regex::new(r"<ofd:MaxUnitID>(\d+)<")
        .unwrap()
        .captures_iter(&xml)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert!(
        max.len() == 1 && max[0] >= *unique.last().unwrap(),
        "{max:?}"
    );
}

#[test]
fn a_run_killed_while_replacing_its_outputs_is_finished_or_undone_by_the_next() {
    let (dir, content) = folder(NOTICE);
    let out = dir.path().join("o");
    std::fs::create_dir(&out).unwrap();
    // A run killed while moving yesterday's outputs aside: one of them is
    // in its aside folder, no marker says the old set is all aside.
    std::fs::create_dir(out.join(".gongwen-run-a")).unwrap();
    std::fs::write(out.join(".gongwen-run-a/汇总表.pdf"), "today").unwrap();
    // Its lock file, no longer held by anyone.
    std::fs::write(out.join(".gongwen-run-a/.gongwen-lock"), "").unwrap();
    std::fs::create_dir(out.join(".gongwen-run-a.old")).unwrap();
    std::fs::write(out.join(".gongwen-run-a.old/汇总表.pdf"), "yesterday").unwrap();
    // A run killed after that, while moving today's in: the marker is there.
    std::fs::create_dir(out.join(".gongwen-run-b")).unwrap();
    std::fs::write(out.join(".gongwen-run-b/催报名单.txt"), "today").unwrap();
    std::fs::write(out.join(".gongwen-run-b/.gongwen-lock"), "").unwrap();
    std::fs::create_dir(out.join(".gongwen-run-b.old")).unwrap();
    std::fs::write(out.join(".gongwen-run-b.old/催报名单.txt"), "yesterday").unwrap();
    std::fs::write(out.join(".gongwen-run-b.old/.gongwen-aside-complete"), "").unwrap();
    // The next run that writes into the folder (a build, owning other
    // files) finishes or undoes them first, and leaves no leftovers.
    assert_eq!(build(&content, &out).code, 0);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    assert_eq!(
        (read("汇总表.pdf"), read("催报名单.txt")),
        ("yesterday".into(), "today".into())
    );
    let mut left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["c.pdf", "催报名单.txt", "汇总表.pdf"], "leftovers");
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[cfg(target_os = "linux")]
#[test]
fn a_previous_output_that_cannot_be_moved_keeps_the_whole_previous_set() {
    let (dir, content) = folder(NOTICE);
    let out = dir.path().join("o");
    let emit = |out: &Path| {
        run(
            &[
                os("build"),
                content.as_os_str(),
                os("--emit"),
                os("pdf"),
                os("--emit"),
                os("typ"),
                os("--emit"),
                os("png"),
                os("-o"),
                out.as_os_str(),
            ],
            SHORT,
        )
    };
    assert_eq!(emit(&out).code, 0);
    let before = snapshot(&out);
    assert_eq!(before.len(), 4, "{before:?}");
    // A file that cannot be moved or removed (open in Excel on Windows, or
    // another user's): an immutable file stands for it, even for root.
    let locked = out.join("c.typ");
    let chattr = |flag: &str| {
        Command::new("chattr")
            .arg(flag)
            .arg(&locked)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !chattr("+i") {
        eprintln!("skipped: chattr +i is not available here (needs root and ext4/xfs)");
        return;
    }
    std::fs::write(
        content.join("公文.yaml"),
        NOTICE.replace("请认真贯彻执行。", "请认真贯彻执行。今天改过。"),
    )
    .unwrap();
    let r = emit(&out);
    chattr("-i");
    assert!(r.code == 1 && r.err.contains("c.typ"), "{}", r.err);
    assert_eq!(snapshot(&out), before, "the previous outputs changed");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 4, "leftovers: {names:?}");
}

/// A content folder whose one table comes from `t.xlsx` as `source` says.
fn sheet_table(source: &str, book: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let (dir, content) = folder(&NOTICE.replace(
        "正文:\n  - 请认真贯彻执行。\n",
        &format!("正文:\n  - 请认真贯彻执行。\n  - 表格:\n      来源: {source}\n"),
    ));
    std::fs::write(content.join("t.xlsx"), book).unwrap();
    (dir, content)
}

/// A workbook: a sheet 其他 first, then 数据 (a header and two rows, the
/// second row's first cell merged over two rows), a defined name 表1 on
/// 数据, and an empty sheet 空.
fn tables_book() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let other = wb.add_worksheet();
    other.set_name("其他").unwrap();
    other.write_string(0, 0, "别的表").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("数据").unwrap();
    for (r, row) in [["地区", "数量"], ["甲区", "1"], ["乙区", "2"], ["", "3"]]
        .iter()
        .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    ws.merge_range(2, 0, 3, 0, "乙区", &rust_xlsxwriter::Format::new())
        .unwrap();
    wb.add_worksheet().set_name("空").unwrap();
    wb.define_name("表1", "=数据!$A$1:$B$4").unwrap();
    wb.save_to_buffer().unwrap()
}

/// The generated Typst source of a build.
fn typ_of(content: &Path, out: &Path) -> (Run, String) {
    let r = run(
        &[
            os("build"),
            content.as_os_str(),
            os("--emit"),
            os("typ"),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    let typ = std::fs::read_to_string(out.join("c.typ")).unwrap_or_default();
    (r, typ)
}

#[test]
fn tables_from_excel_read_the_cells_the_sheet_has() {
    let book = tables_book();
    // Without <dimension> (optional in the format), the used range comes
    // from the cells: every row is read.
    let undimensioned = patch_zip(&book, "xl/worksheets/sheet2.xml", |x| {
        let re = regex::Regex::new(r#"<dimension ref="[^"]*"/>"#).unwrap();
        assert!(re.is_match(x), "{x}");
        re.replace(x, "").into_owned()
    });
    let (dir, content) = sheet_table("{文件: t.xlsx, 工作表: 数据}", &undimensioned);
    let (r, typ) = typ_of(&content, &dir.path().join("o"));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(typ.contains("甲区") && typ.contains("3"), "{typ}");
    // A defined name is read from its own sheet, not the first.
    let (dir, content) = sheet_table("{文件: t.xlsx, 区域: 表1}", &book);
    let (r, typ) = typ_of(&content, &dir.path().join("o"));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(typ.contains("甲区") && !typ.contains("别的表"), "{typ}");
    // A reversed merge (C3:A1 order) is the same merge, not 4294967295 columns.
    let reversed = patch_zip(&book, "xl/worksheets/sheet2.xml", |x| {
        assert!(x.contains("<mergeCell ref=\"A3:A4\"/>"), "{x}");
        x.replace("<mergeCell ref=\"A3:A4\"/>", "<mergeCell ref=\"A4:A3\"/>")
    });
    let (dir, content) = sheet_table("{文件: t.xlsx, 工作表: 数据}", &reversed);
    let (r, typ) = typ_of(&content, &dir.path().join("o"));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(!typ.contains("4294967295") && typ.contains("乙区"), "{typ}");
    // Refused, each at the 来源 line: a name into another workbook, an
    // empty sheet, 来源 beside typed rows.
    let external = patch_zip(&book, "xl/workbook.xml", |x| {
        x.replace(">数据!$A$1:$B$4<", ">[1]数据!$A$1:$B$4<")
    });
    for (source, book, why) in [
        ("{文件: t.xlsx, 区域: 表1}", &external, "另一个工作簿"),
        ("{文件: t.xlsx, 工作表: 空}", &book, "是空的"),
    ] {
        let (dir, content) = sheet_table(source, book);
        let r = build(&content, &dir.path().join("o"));
        assert!(
            r.code == 1 && r.err.contains("公文.yaml:8:") && r.err.contains(why),
            "{source}: {}",
            r.err
        );
    }
    let (dir, content) = sheet_table("t.xlsx\n      行: [[甲, 1]]", &book);
    let r = build(&content, &dir.path().join("o"));
    assert!(
        r.code == 1 && r.err.contains("来源") && r.err.contains("行"),
        "{}",
        r.err
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_named_like_a_workbook_or_a_notice_is_refused_not_waited_on() {
    let (dir, content) = sheet_table("t.xlsx", b"");
    std::fs::remove_file(content.join("t.xlsx")).unwrap();
    let fifo = std::ffi::CString::new(content.join("t.xlsx").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let r = build(&content, &dir.path().join("o"));
    assert!(r.code == 1 && r.err.contains("不是普通文件"), "{}", r.err);
    let r = run(&[os("check"), content.as_os_str()], SHORT);
    assert!(r.code == 1 && r.err.contains("不是普通文件"), "{}", r.err);
}

#[test]
fn a_report_on_a_task_without_a_department_is_named_and_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    // The canonical plan's task without 责任部门 (check warns about it).
    let r = run(
        &[
            os("tasks"),
            canonical_dir().as_os_str(),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let csv = std::fs::read_to_string(out.join("2019-315").join("任务分工.csv")).unwrap();
    let task = csv
        .lines()
        .find(|l| l.contains("未明确"))
        .and_then(|l| l.trim_start_matches('\u{feff}').split(',').next())
        .unwrap_or_else(|| panic!("{csv}"))
        .to_string();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("进度.csv"),
        format!("任务序号,责任部门,状态,说明\n{task},市消保委秘书处,已完成,\n"),
    )
    .unwrap();
    let r = run(
        &[
            os("tasks"),
            canonical_dir().as_os_str(),
            os("--data"),
            data.as_os_str(),
            os("--date"),
            os("2019-03-01"),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    assert!(r.err.contains("没有责任部门，回报未计入"), "{}", r.err);
    let pdf = std::fs::read(out.join("2019-315").join("督办汇总.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains("已完成0个"), "{text}");
}

#[test]
fn headings_nested_twenty_deep_build() {
    let mut body = String::from("正文:\n");
    let mut indent = String::from("  ");
    for level in 1..=20 {
        body.push_str(&format!("{indent}- 标题: 第{level}层\n{indent}  内容:\n"));
        indent.push_str("    ");
    }
    body.push_str(&format!("{indent}- 最深处的一段。\n"));
    let yaml = NOTICE.replace("正文:\n  - 请认真贯彻执行。\n", &body);
    let (dir, content) = folder(&yaml);
    let r = build(&content, &dir.path().join("o"));
    assert_eq!(r.code, 0, "{}", r.err);
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_link_named_like_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.yaml");
    let folder = dir.path().join("doc");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink(&target, folder.join("公文.yaml")).unwrap();
    // (`run` adds a font option that `new` does not take.)
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args([os("new"), os("通知"), folder.as_os_str()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(1) && err.contains("已经存在"),
        "{err}"
    );
    assert!(!target.exists(), "written through the link");
}

#[test]
fn pdfa_forms_make_a_pdfa_print_file_too() {
    let (dir, content) = forms_content(UNITS);
    std::fs::write(content.join("样式.yaml"), "PDF标准: a-2b\n").unwrap();
    let out = dir.path().join("o");
    let r = run(
        &[os("forms"), content.as_os_str(), os("-o"), out.as_os_str()],
        SHORT,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let print = std::fs::read(out.join("c").join("填报表-全部.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&print).unwrap();
    let catalog = doc.catalog().unwrap();
    let meta = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = doc
        .get_object(meta)
        .unwrap()
        .as_stream()
        .unwrap()
        .content
        .clone();
    let xmp = String::from_utf8_lossy(&xmp);
    assert!(xmp.contains("pdfaid:part"), "{xmp}");
}

#[test]
fn returns_and_reports_that_would_mislead_are_named() {
    let (dir, content) = forms_content(UNITS);
    let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
    let with_filler = yaml.replace(
        "填报栏: [填报单位, 填报日期]",
        "填报栏: [填报单位, 填报人, 填报日期]",
    );
    assert_ne!(yaml, with_filler);
    std::fs::write(content.join("公文.yaml"), with_filler).unwrap();
    let (_, form, _) = gongwen::forms::load(engine(), &content, None).unwrap();
    let names: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // A 填报人 with a character no face has.
    let values = vec!["1"; names.len()].join(",");
    std::fs::write(
        data.join("a.csv"),
        format!(
            "单位编号,填报人,{}\na,张\u{E000}三,{values}\n",
            names.join(",")
        ),
    )
    .unwrap();
    // A CSV with a repeated column, and one with a value in no column.
    std::fs::write(
        data.join("b.csv"),
        format!(
            "单位编号,{0},{1}\nb,{values},9\n",
            names.join(","),
            names[0]
        ),
    )
    .unwrap();
    std::fs::write(
        data.join("c.csv"),
        format!("单位编号,{}\nc,{values},99\n", names.join(",")),
    )
    .unwrap();
    // 1e3 typed as text is not a count (it would read as 1000).
    let scientific = vec!["1e3"; names.len()].join(",");
    std::fs::write(
        data.join("e.csv"),
        format!("单位编号,{}\nc,{scientific}\n", names.join(",")),
    )
    .unwrap();
    // Last year's form for unit a, with the same table.
    let mut last_year = form.clone();
    last_year.document = "某府发〔2018〕1号（2018年3月1日）".into();
    let unit = gongwen::forms::Unit {
        id: "a".into(),
        name: "甲区市场监管局".into(),
        short: None,
        contact: None,
        phone: None,
    };
    let old = gongwen::forms::form_workbook(
        &last_year,
        &unit,
        gongwen::content::Date::parse("2018-03-01").unwrap(),
        &texts(&vec![Some(7); form.cells().len()]),
        None,
        &Default::default(),
    )
    .unwrap();
    std::fs::create_dir(data.join("去年")).unwrap();
    std::fs::write(data.join("去年").join("a-2018.xlsx"), old).unwrap();
    // A link where a return should be.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", data.join("d.csv")).unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 1, "{}", r.err);
    let report = report(&out);
    for needle in [
        "填报人",
        "U+E000",
        "出现了两次",
        "没有列名",
        "另一份公文",
        "填了“1e3”，不是数字",
        #[cfg(unix)]
        "是一个链接",
    ] {
        assert!(report.contains(needle), "{needle} not in\n{report}");
    }
    assert!(
        summed(&out, "a").iter().all(|v| v == "1"),
        "last year's 7 summed"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_folder_of_returns_that_cannot_be_opened_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, content) = forms_content(UNITS);
    let data = dir.path().join("data");
    let closed = data.join("乙区");
    std::fs::create_dir_all(&closed).unwrap();
    std::fs::write(closed.join("b.csv"), "单位编号\nb\n").unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = dir.path().join("out");
    // Root reads any folder; without its two file capabilities it reads as
    // an office user does.
    let ran = Command::new("setpriv")
        .args(["--bounding-set=-dac_override,-dac_read_search", "--"])
        .arg(env!("CARGO_BIN_EXE_gongwen"))
        .args([
            os("fill"),
            content.as_os_str(),
            os("--data"),
            data.as_os_str(),
        ])
        .args([os("-o"), out.as_os_str(), os("--ignore-system-fonts")])
        .output();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Ok(ran) = ran else {
        eprintln!("skipped: setpriv (util-linux) is not installed");
        return;
    };
    let report = std::fs::read_to_string(out.join("c").join("校验报告.txt"))
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&ran.stderr)));
    assert!(
        ran.status.code() == Some(1) && report.contains("乙区") && report.contains("无法打开"),
        "{report}"
    );
}

#[test]
fn seals_and_styles_the_typesetter_would_refuse_are_refused_by_check_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("seal.png");
    std::fs::copy(
        repo().join("tests/fixtures/layout/joint/seal.svg"),
        dir.path().join("seal.svg"),
    )
    .unwrap();
    std::fs::write(&outside, b"").unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    let sealed = NOTICE.replace(
        "成文日期: 2019-12-31\n",
        "成文日期: 2019-12-31\n印章: ../seal.svg\n",
    );
    std::fs::write(content.join("公文.yaml"), &sealed).unwrap();
    let r = run(&[os("check"), content.as_os_str()], SHORT);
    assert!(
        r.code == 1 && r.err.contains("公文.yaml:9:") && r.err.contains("不在内容文件夹中"),
        "{}",
        r.err
    );
    // An SVG seal embedding a picture that decodes to 10 billion pixels.
    let mut png = Vec::new();
    png.extend(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    png.extend(100_000u32.to_be_bytes());
    png.extend(100_000u32.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    use base64::Engine as _;
    let uri = base64::engine::general_purpose::STANDARD.encode(&png);
    std::fs::write(
        content.join("seal.svg"),
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"42mm\" height=\"42mm\"><image width=\"100\" height=\"100\" href=\"data:image/png;base64,{uri}\"/></svg>"),
    )
    .unwrap();
    std::fs::write(
        content.join("公文.yaml"),
        sealed.replace("../seal.svg", "seal.svg"),
    )
    .unwrap();
    let r = build(&content, &dir.path().join("o"));
    assert!(r.code == 1 && r.err.contains("100000×100000"), "{}", r.err);
    // A weight Typst does not know, located in 样式.yaml.
    std::fs::write(content.join("公文.yaml"), NOTICE).unwrap();
    std::fs::write(
        content.join("样式.yaml"),
        "字体:\n  仿宋: {字体: [FandolFang R], 字重: 粗}\n",
    )
    .unwrap();
    let r = run(&[os("check"), content.as_os_str()], SHORT);
    assert!(
        r.code == 1 && r.err.contains("样式.yaml:2:") && r.err.contains("字重"),
        "{}",
        r.err
    );
}

#[test]
fn units_lists_with_names_no_office_has_are_refused_quickly() {
    for (units, why) in [
        (
            format!("单位:\n  - {{编号: a, 名称: {}}}\n", "甲".repeat(100_000)),
            "名称有 100000 个字",
        ),
        (
            format!("单位:\n  - {{编号: {}, 名称: 甲}}\n", "a".repeat(300)),
            "编号有 300 个字符",
        ),
    ] {
        let (dir, content) = forms_content(&units);
        let r = run(
            &[
                os("forms"),
                content.as_os_str(),
                os("-o"),
                dir.path().join("o").as_os_str(),
            ],
            SHORT,
        );
        assert!(
            r.code == 1 && r.err.contains("填报单位.yaml:2:") && r.err.contains(why),
            "{}",
            r.err
        );
        assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
    }
}

#[test]
fn messages_that_were_english_or_unlocated_are_chinese_and_located() {
    for (yaml, place, words) in [
        (
            format!("{NOTICE}---\n标题: 二\n"),
            "公文.yaml:9:",
            "不止一份",
        ),
        (
            NOTICE.replace("2019-12-31", "10000-12-31"),
            "公文.yaml:8:",
            "四位数",
        ),
        (
            NOTICE.replace("2019-12-31", "0000-12-31"),
            "公文.yaml:8:",
            "四位数",
        ),
        (format!("\0{NOTICE}"), "公文.yaml:1:1", "控制字符"),
    ] {
        let (dir, content) = folder(&yaml);
        let r = build(&content, &dir.path().join("o"));
        assert!(
            r.code == 1 && r.err.contains(place) && r.err.contains(words),
            "{yaml:?}: {}",
            r.err
        );
        let message = r.err.split(place).nth(1).unwrap_or_default();
        assert!(!english(message), "English: {}", r.err);
    }
    // The output folder's place taken by a file.
    let (dir, content) = folder(NOTICE);
    let out = dir.path().join("o");
    std::fs::write(&out, "").unwrap();
    let r = build(&content, &out);
    let error = r
        .err
        .lines()
        .find(|l| l.starts_with("错误"))
        .unwrap_or_default();
    assert!(
        r.code == 1 && !english(&error.replace(&*out.to_string_lossy(), "")),
        "{}",
        r.err
    );
}

/// Whether `s` has an English word (three lower-case Latin letters in a row).
fn english(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w.iter().all(u8::is_ascii_lowercase))
}

#[test]
fn a_utf8_paste_into_a_gbk_notice_is_refused_at_its_line() {
    let (gbk, _, _) = encoding_rs::GB18030.encode(NOTICE);
    let mut mixed = gbk.into_owned();
    mixed.extend_from_slice("附注: 联系人：张三\n".as_bytes());
    let (dir, content) = folder("");
    std::fs::write(content.join("公文.yaml"), mixed).unwrap();
    let r = build(&content, &dir.path().join("o"));
    assert!(
        r.code == 1 && r.err.contains("第 9 行是 UTF-8"),
        "{}",
        r.err
    );
}

#[test]
fn what_ran_off_the_page_stays_on_it() {
    // A 300-character Latin word, and 40 joint organs in mark and 署名.
    let word = "A".repeat(300);
    let organs: Vec<String> = (1..=40).map(|i| format!("某某市第{i}局")).collect();
    let joint = NOTICE
        .replacen(
            "发文机关标志: 某某市人民政府文件",
            &format!(
                "发文机关标志:\n  机关: [{}]\n  后缀: 文件",
                organs.join(", ")
            ),
            1,
        )
        .replace(
            "发文机关署名: 某某市人民政府",
            &format!("发文机关署名: [{}]", organs.join(", ")),
        );
    for yaml in [
        NOTICE.replace("请认真贯彻执行。", &format!("请访问{word}。")),
        joint,
    ] {
        let (dir, content) = folder(&yaml);
        let project = gongwen::Project::load(&content).unwrap();
        let built = gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"));
        let layout = layout(&built.doc);
        for run in &layout.runs {
            assert!(
                run.x >= 28.0 - TOL && run.right() <= 184.0 + TOL && run.baseline <= 297.0,
                "{:?} off the page at {:.1}, {:.1} mm",
                run.text,
                run.x,
                run.baseline
            );
        }
        // No two runs on one line overprint each other.
        for page in 0..built.doc.pages().len() {
            for line in layout.lines(page) {
                for pair in line.windows(2) {
                    assert!(
                        pair[1].x >= pair[0].right() - TOL,
                        "overprint: {:?} {:?}",
                        pair[0].text,
                        pair[1].text
                    );
                }
            }
        }
        drop(dir);
    }
    // A 发文字号 of 200 characters is refused at its line.
    let (dir, content) = folder(&NOTICE.replace(
        "某府发〔2019〕1号",
        &format!("某府发〔2019〕{}号", "1".repeat(190)),
    ));
    let r = build(&content, &dir.path().join("o"));
    assert!(
        r.code == 1 && r.err.contains("公文.yaml:2:") && r.err.contains("排不进一行"),
        "{}",
        r.err
    );
}

#[test]
fn typst_code_in_a_template_override_that_would_take_gigabytes_is_stopped() {
    let (dir, content) = folder(NOTICE);
    std::fs::create_dir(content.join("templates")).unwrap();
    let library = std::fs::read_to_string(repo().join("templates/gongwen.typ")).unwrap();
    std::fs::write(
        content.join("templates/gongwen.typ"),
        format!("{library}\n#let big = range(2000000000).len()\n"),
    )
    .unwrap();
    // `run` asserts the peak stayed under 1 GB and the exit code at most 2.
    let r = build(&content, &dir.path().join("o"));
    assert!(r.code == 1 && r.err.contains("内存"), "{}", r.err);
}
