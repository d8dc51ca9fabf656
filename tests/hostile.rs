//! Hostile and real-world input (tests/hostile/ and generated cases): every
//! class of issue 12. Each case runs the command line as a user would and
//! checks the exit code (never above 2), the Chinese message, that the run
//! ends in time, and that previous outputs were not damaged.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

#[path = "hostile/round3.rs"]
mod round3;

/// A finished run.
struct Run {
    code: i32,
    err: String,
    took: Duration,
}

/// The most memory any run may take, hostile input included.
const MEMORY_LIMIT_KIB: i64 = 1024 * 1024;

/// Runs gongwen with `args`, killing it after `limit`; asserts an exit code
/// of at most 2 and, on Unix, a peak memory under 1 GB (measured by wait4).
fn run(args: &[&std::ffi::OsStr], limit: Duration) -> Run {
    let start = Instant::now();
    let err_file = tempfile::NamedTempFile::new().unwrap();
    // Reaped by `wait` below.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .arg("--ignore-system-fonts")
        .stdout(Stdio::null())
        .stderr(Stdio::from(err_file.reopen().unwrap()))
        .spawn()
        .unwrap();
    let (code, peak_kib) = wait(&mut child, start, limit, args);
    let err = std::fs::read_to_string(err_file.path()).unwrap();
    assert!((0..=2).contains(&code), "exit {code} for {args:?}:\n{err}");
    if let Some(peak) = peak_kib {
        assert!(
            peak < MEMORY_LIMIT_KIB,
            "{args:?} peaked at {} MiB",
            peak / 1024
        );
    }
    Run {
        code,
        err,
        took: start.elapsed(),
    }
}

/// Kills `child` and fails the test once `limit` has passed since `start`;
/// otherwise waits a moment before the next look.
fn stop_after(
    child: &mut std::process::Child,
    start: Instant,
    limit: Duration,
    args: &[&std::ffi::OsStr],
) {
    if start.elapsed() > limit {
        child.kill().unwrap();
        panic!("gongwen {args:?} still running after {limit:?}");
    }
    std::thread::sleep(Duration::from_millis(20));
}

/// Waits for `child`, killing it after `limit`: its exit code (-1 when a
/// signal ended it) and its peak memory in KiB, which wait4 reports.
#[cfg(unix)]
fn wait(
    child: &mut std::process::Child,
    start: Instant,
    limit: Duration,
    args: &[&std::ffi::OsStr],
) -> (i32, Option<i64>) {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waits for our own child without blocking; `usage` is a
        // valid out-parameter.
        let pid = unsafe { libc::wait4(child.id() as i32, &mut status, libc::WNOHANG, &mut usage) };
        if pid > 0 {
            break;
        }
        stop_after(child, start, limit, args);
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, Some(usage.ru_maxrss))
}

/// Waits for `child`, killing it after `limit`: its exit code. (Peak
/// memory is measured on Unix only.)
#[cfg(not(unix))]
fn wait(
    child: &mut std::process::Child,
    start: Instant,
    limit: Duration,
    args: &[&std::ffi::OsStr],
) -> (i32, Option<i64>) {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), None);
        }
        stop_after(child, start, limit, args);
    }
}

/// `gongwen fill CONTENT --data DATA -o OUT`.
fn fill(content: &Path, data: &Path, out: &Path) -> Run {
    run(
        &[
            os("fill"),
            content.as_os_str(),
            os("--data"),
            data.as_os_str(),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    )
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

const SHORT: Duration = Duration::from_secs(60);

const NOTICE: &str = "发文机关标志: 某某市人民政府文件\n发文字号: 某府发〔2019〕1号\n\
    标题: 关于做好岁末年初安全生产工作的通知\n主送机关: 各区人民政府：\n正文:\n  - 请认真贯彻执行。\n\
    发文机关署名: 某某市人民政府\n成文日期: 2019-12-31\n";

/// A content folder holding `yaml` (and nothing else) in a fresh temp dir.
fn folder(yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("公文.yaml"), yaml).unwrap();
    (dir, content)
}

fn build(content: &Path, out: &Path) -> Run {
    run(
        &[os("build"), content.as_os_str(), os("-o"), out.as_os_str()],
        SHORT,
    )
}

#[test]
fn files_in_office_encodings_build_and_garbage_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["utf8-bom.yaml", "gbk.yaml", "utf16.yaml"] {
        let r = build(&repo().join("tests/hostile").join(file), dir.path());
        assert_eq!(r.code, 0, "{file}: {}", r.err);
    }
    let r = build(&repo().join("tests/hostile/gb18030.yaml"), dir.path());
    assert!(r.code == 1 && r.err.contains("U+20000"), "{}", r.err);
    let r = build(&repo().join("tests/hostile/garbage.yaml"), dir.path());
    assert!(
        r.code == 1 && r.err.contains("garbage.yaml") && r.err.contains("UTF-8"),
        "{}",
        r.err
    );
}

#[test]
fn what_check_passes_build_builds() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "正文:\n  - 表格:\n      列: [甲, 乙]\n      列宽: [.inf, 1]\n      行: [[a, b]]\n",
            "",
            "列宽",
        ),
        ("发文机关署名: []\n", "", "发文机关署名"),
        ("", "字体:\n  仿宋: {字体: [没有这个字体]}\n", "字体的仿宋"),
        ("", "正文字号: .nan\n", "正文字号"),
        ("", "正文字号: -3\n", "正文字号"),
        ("", "每行字数: 100000\n", "每行字数"),
        ("", "表格字号: [0]\n", "表格字号"),
    ];
    for (notice_patch, style, field) in cases {
        let mut yaml = NOTICE.to_string();
        if let Some(key) = notice_patch.split(':').next().filter(|k| !k.is_empty()) {
            // Replace the key the patch sets.
            yaml = yaml
                .lines()
                .filter(|l| !(l.starts_with(key) || key == "正文" && l.starts_with("  - ")))
                .map(|l| format!("{l}\n"))
                .collect();
            yaml.push_str(notice_patch);
        }
        let (dir, content) = folder(&yaml);
        if !style.is_empty() {
            std::fs::write(content.join("样式.yaml"), style).unwrap();
        }
        let check = run(&[os("check"), content.as_os_str()], SHORT);
        assert!(
            check.code == 1 && check.err.contains(field),
            "check should refuse {field}: {}",
            check.err
        );
        let r = build(&content, &dir.path().join("out"));
        assert!(
            r.code == 1 && !r.err.contains(".typ:"),
            "build of {field}: {}",
            r.err
        );
    }
}

#[test]
fn command_line_numbers_are_checked_with_exit_2() {
    let (dir, content) = folder(NOTICE);
    for dpi in ["inf", "100000", "0", "-5", "abc"] {
        let r = run(
            &[
                os("build"),
                content.as_os_str(),
                os("--emit"),
                os("png"),
                os("--dpi"),
                os(dpi),
            ],
            SHORT,
        );
        assert_eq!(r.code, 2, "--dpi {dpi}: {}", r.err);
    }
    let r = run(
        &[
            os("forms"),
            content.as_os_str(),
            os("--date"),
            os("2020年6月31日"),
        ],
        SHORT,
    );
    assert!(r.code == 2 && r.err.contains("不是有效日期"), "{}", r.err);
    let r = run(
        &[
            os("check"),
            content.as_os_str(),
            os("--font-path"),
            os("/no/such/fonts"),
        ],
        SHORT,
    );
    assert!(
        r.code == 2 && r.err.contains("找不到字体文件夹"),
        "{}",
        r.err
    );
    let r = run(
        &[os("watch"), dir.path().join("missing").as_os_str()],
        Duration::from_secs(20),
    );
    assert_eq!(r.code, 1, "{}", r.err);
}

#[test]
fn limits_stop_large_and_looping_input_quickly() {
    // A 17 MB notice is refused before it is read.
    let big = format!("{NOTICE}附注: {}\n", "很".repeat(6_000_000));
    let (dir, content) = folder(&big);
    let r = build(&content, &dir.path().join("out"));
    assert!(r.code == 1 && r.err.contains("文件过大"), "{}", r.err);
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);

    // A 300,000-character paragraph is refused by the checks.
    let long = NOTICE.replace("请认真贯彻执行。", &"很长的一段话。".repeat(45_000));
    let (dir, content) = folder(&long);
    let r = build(&content, &dir.path().join("out"));
    assert!(r.code == 1 && r.err.contains("文字过长"), "{}", r.err);
    assert!(r.took < Duration::from_secs(20), "{:?}", r.took);

    // A PNG whose header claims 100,000 × 100,000 pixels is never decoded.
    let (dir, content) = folder(&format!("{NOTICE}印章: seal.png\n"));
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::write(content.join("seal.png"), png).unwrap();
    let r = build(&content, &dir.path().join("out"));
    assert!(r.code == 1 && r.err.contains("像素"), "{}", r.err);

    // A template override that loops runs out of fuel.
    let (dir, content) = folder(NOTICE);
    std::fs::create_dir(content.join("templates")).unwrap();
    let looping = include_str!("../templates/notice.typ.j2").replacen(
        "#import",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n#import",
        1,
    );
    std::fs::write(content.join("templates/notice.typ.j2"), looping).unwrap();
    let r = build(&content, &dir.path().join("out"));
    assert!(r.code == 1 && r.err.contains("notice.typ.j2"), "{}", r.err);

    // A malformed font file costs nothing noticeable.
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let mut bad = b"OTTO\x00\x0a\x00\x80\x00\x03\x00\x20".to_vec();
    bad.resize(76, 0xff);
    std::fs::write(fonts.join("broken.otf"), bad).unwrap();
    // A collection header that claims four billion faces.
    let mut ttc = b"ttcf\x00\x01\x00\x00\xff\xff\xff\xff".to_vec();
    ttc.resize(76, 0);
    std::fs::write(fonts.join("claims.ttc"), ttc).unwrap();
    let (_d, plain) = folder(NOTICE);
    let r = run(
        &[
            os("check"),
            plain.as_os_str(),
            os("--font-path"),
            fonts.as_os_str(),
        ],
        Duration::from_secs(30),
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
    assert!(
        r.err.contains("broken.otf") && r.err.contains("claims.ttc") && r.err.contains("已跳过"),
        "{}",
        r.err
    );
}

#[test]
fn a_failed_build_leaves_every_previous_output_and_a_new_one_replaces_them_all() {
    let long = NOTICE.replace(
        "请认真贯彻执行。",
        &"请认真贯彻执行，确保安全生产形势持续稳定。".repeat(120),
    );
    let (dir, content) = folder(&long);
    let out = dir.path().join("out");
    let args = |out: &Path| {
        vec![
            os("build").to_owned(),
            content.as_os_str().to_owned(),
            os("-o").to_owned(),
            out.as_os_str().to_owned(),
            os("--emit").to_owned(),
            os("pdf,png").to_owned(),
            os("--dpi").to_owned(),
            os("20").to_owned(),
        ]
    };
    let go = |out: &Path| {
        let a = args(out);
        let refs: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
        run(&refs, SHORT)
    };
    assert_eq!(go(&out).code, 0);
    let pages = |out: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".png"))
            .collect();
        v.sort();
        v
    };
    let before = pages(&out);
    assert!(before.len() >= 3, "{before:?}");
    let pdf = std::fs::read(out.join("c.pdf")).unwrap();
    // An invalid edit: nothing changes.
    std::fs::write(
        content.join("公文.yaml"),
        long.replace("2019-12-31", "2019-02-30"),
    )
    .unwrap();
    assert_eq!(go(&out).code, 1);
    assert_eq!(pages(&out), before);
    assert_eq!(std::fs::read(out.join("c.pdf")).unwrap(), pdf);
    // A shorter document: its pages replace all the old ones.
    std::fs::write(content.join("公文.yaml"), NOTICE).unwrap();
    assert_eq!(go(&out).code, 0);
    assert_eq!(pages(&out), ["c-1.png"]);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".gongwen-run"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn small_things_that_broke_builds() {
    // Spaces in a title print.
    let (_dir, content) = folder(&NOTICE.replace(
        "标题: 关于做好岁末年初安全生产工作的通知",
        "标题: 关于推广使用 Microsoft Office 365 的通知",
    ));
    let l = layout(&build_dir(&content).doc);
    let title: String = l
        .lines(1)
        .into_iter()
        .map(|ln| line_text(&ln))
        .find(|t| t.contains("Microsoft"))
        .unwrap();
    assert!(title.contains("Microsoft Office 365"), "{title:?}");

    // Thumbs.db in templates/, a variation selector, a line separator in
    // the file name: all build.
    let (dir, content) = folder(&NOTICE.replace(
        "请认真贯彻执行。",
        "葛\u{E0100}洲坝、一\u{FE00}、a\u{200D}b。",
    ));
    std::fs::create_dir(content.join("templates")).unwrap();
    std::fs::write(
        content.join("templates/Thumbs.db"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xFF],
    )
    .unwrap();
    assert_eq!(build(&content, &dir.path().join("out")).code, 0);
    let odd = dir.path().join("通知\u{2028}#set page(width: 1cm).yaml");
    std::fs::write(&odd, NOTICE).unwrap();
    let r = build(&odd, &dir.path().join("out"));
    assert_eq!(r.code, 0, "{}", r.err);
}

/// The canonical content with `units` as its list, in a temp folder.
fn forms_content(units: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::copy(canonical_dir().join("公文.yaml"), content.join("公文.yaml")).unwrap();
    std::fs::write(content.join("填报单位.yaml"), units).unwrap();
    (dir, content)
}

const UNITS: &str = "单位:\n  - {编号: a, 名称: 甲区市场监管局}\n  - {编号: b, 名称: \"=HYPERLINK(\\\"http://x\\\",\\\"点\\\")\"}\n  - {编号: c, 名称: 丙区市场监管局}\n";

#[test]
fn returns_as_offices_and_attackers_send_them() {
    let (dir, content) = forms_content(UNITS);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let (_, form, _) = gongwen::forms::load(engine(), &content, None).unwrap();
    let names: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    // Unit a: a GBK CSV as Excel saves it, with full-width digits and a
    // huge value, a date and a float beyond exactness.
    let mut csv = format!("单位编号,{}\n", names.join(","));
    let mut row = vec!["a".to_string(), "１２".into(), "4000000000000000000".into()];
    row.push("9007199254740993".into());
    row.push("\"1,234\"".into());
    row.extend((4..names.len()).map(|i| i.to_string()));
    csv.push_str(&row.join(","));
    csv.push('\n');
    let (gbk, _, _) = encoding_rs::GB18030.encode(&csv);
    std::fs::write(data.join("回执.csv"), gbk.as_ref()).unwrap();
    // Unit c: a workbook with a cell claimed at XFD1048576 and a date typed
    // into a 数量 cell.
    std::fs::write(data.join("c.xlsx"), hostile_workbook(&form, "c")).unwrap();
    // Files of other kinds are reported, not skipped.
    std::fs::write(data.join("说明.txt"), "见附件").unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 1, "errors in the returns: {}", r.err);
    let report = std::fs::read_to_string(out.join("c").join("校验报告.txt"))
        .unwrap_or_else(|e| panic!("{e}: {}", r.err));
    for needle in [
        "数值过大",
        "说明.txt",
        "不接受这种文件",
        "是日期，不是数字",
        "未报送：=HYPERLINK",
    ] {
        assert!(report.contains(needle), "{needle:?} not in\n{report}");
    }
    let sum = std::fs::read(out.join("c").join("汇总表.csv")).unwrap();
    assert!(sum.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let sum = String::from_utf8(sum[3..].to_vec()).unwrap();
    assert!(
        sum.contains("'=HYPERLINK(")
            && !sum.contains(",=HYPERLINK")
            && !sum.contains(",\"=HYPERLINK"),
        "{sum}"
    );
    // 12 (full width) and 1,234 were read; the row's first value is 12.
    let a = sum
        .lines()
        .find(|l| l.split(',').nth(1) == Some("a"))
        .unwrap();
    let cells: Vec<&str> = a.split(',').collect();
    assert_eq!((cells[3], cells[6]), ("12", "1234"), "{a}");
    assert_eq!((cells[4], cells[5]), ("", ""), "{a}");
    // The 填报日期 that unit c typed as a date is kept.
    let filled = out.join("c").join("已填报").join("c-丙区市场监管局.pdf");
    let text =
        squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(filled).unwrap()).unwrap());
    assert!(text.contains("2019年3月20日"), "{text}");

    // With -o the data folder, a second run does not read its own outputs.
    let r = run(
        &[
            os("fill"),
            content.as_os_str(),
            os("--data"),
            data.as_os_str(),
            os("-o"),
            data.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(r.code, 1);
    let again = run(
        &[
            os("fill"),
            content.as_os_str(),
            os("--data"),
            data.as_os_str(),
            os("-o"),
            data.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(again.code, 1);
    let report = std::fs::read_to_string(data.join("c").join("校验报告.txt")).unwrap();
    assert!(!report.contains("汇总表.csv"), "{report}");
}

/// A gongwen workbook for unit `id` with a date in the first 数量 cell, a
/// real date as 填报日期, and a stray cell at XFD1048576.
fn hostile_workbook(form: &gongwen::forms::Form, id: &str) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("填报表").unwrap();
    let cols = form.header.len() as u16;
    let day = ExcelDateTime::from_ymd(2019, 3, 20).unwrap();
    ws.write_datetime_with_format(1, cols - 1, &day, &date)
        .unwrap();
    for (r, row) in form.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, c as u16, v).unwrap();
        }
    }
    let (r0, c0) = form.cells()[0];
    let march = ExcelDateTime::from_ymd(2019, 3, 1).unwrap();
    ws.write_datetime_with_format(3 + r0 as u32, c0 as u16, &march, &date)
        .unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let ids = wb.add_worksheet();
    ids.set_name("gongwen").unwrap();
    ids.write_string(0, 1, id).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn forms_check_the_content_first_and_a_three_column_form_has_a_workbook() {
    // A short row in the statistics table: a located error, not a crash.
    let (dir, content) = forms_content(UNITS);
    let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
    let short = yaml.replacen("- [组织普法活动, 场次, \"\"]", "- [组织普法活动]", 1);
    assert_ne!(short, yaml, "the canonical table row changed");
    std::fs::write(content.join("公文.yaml"), short).unwrap();
    let r = run(
        &[
            os("forms"),
            content.as_os_str(),
            os("-o"),
            dir.path().join("o").as_os_str(),
        ],
        SHORT,
    );
    assert!(r.code == 1 && r.err.contains("表格行列数"), "{}", r.err);

    // Three columns (序号, 类别, 数量): forms --xlsx writes every workbook.
    let yaml = "发文机关标志: 某局文件\n标题: 关于统计的通知\n正文: [请填报。]\n\
                附件:\n  - 标题: 统计表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      \
                列: [序号, 类别, 数量]\n      自动序号: true\n      行: [[甲类, \"\"], [乙类, \"\"]]\n\
                发文机关署名: 某局\n成文日期: 2019-12-31\n";
    std::fs::write(content.join("公文.yaml"), yaml).unwrap();
    let out = dir.path().join("out");
    let r = run(
        &[
            os("forms"),
            content.as_os_str(),
            os("--xlsx"),
            os("-o"),
            out.as_os_str(),
        ],
        SHORT,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let books = std::fs::read_dir(out.join("c").join("填报表"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "xlsx")
        .count();
    assert_eq!(books, 3);
    // Fewer units later: the old forms and print volume do not linger.
    std::fs::write(
        content.join("填报单位.yaml"),
        "单位:\n  - {编号: a, 名称: 甲区}\n",
    )
    .unwrap();
    assert_eq!(
        run(
            &[os("forms"), content.as_os_str(), os("-o"), out.as_os_str()],
            SHORT
        )
        .code,
        0
    );
    assert_eq!(
        std::fs::read_dir(out.join("c").join("填报表"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_repeated_unit_id_is_located_at_the_repetition() {
    let (dir, content) = forms_content(
        "单位:\n  - {编号: a, 名称: 甲}\n  - {编号: b, 名称: 乙}\n  - {编号: a, 名称: 丙}\n",
    );
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
        r.code == 1 && r.err.contains("填报单位.yaml:4:") && r.err.contains("重复"),
        "{}",
        r.err
    );
}

#[test]
fn a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_unread() {
    use std::io::Write;
    let (dir, content) = forms_content(UNITS);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(data.join("a.xlsx")).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..210 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let out = dir.path().join("out");
    let r = fill(&content, &data, &out);
    assert_eq!(r.code, 1, "{}", r.err);
    let report = std::fs::read_to_string(out.join("c").join("校验报告.txt")).unwrap();
    assert!(
        report.contains("a.xlsx") && report.contains("解压后"),
        "{report}"
    );
}
