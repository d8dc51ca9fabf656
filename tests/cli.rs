//! The command line as a user runs it: outputs, exit codes, and a failed
//! build that leaves the previous good PDF alone.

use std::process::Command;

/// Asserts a run succeeded, showing what it printed when it did not.
#[track_caller]
fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn gongwen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    c.arg("build");
    c
}

#[test]
fn build_writes_pdf_typ_and_png_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path| {
        let st = gongwen()
            .arg(crate::common::canonical_dir())
            .arg("-o")
            .arg(out)
            .args([
                "--emit",
                "pdf,typ,png",
                "--dpi",
                "30",
                "--ignore-system-fonts",
            ])
            .output()
            .unwrap();
        assert_success(&st);
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&a);
    run(&b);
    let pdf = std::fs::read(a.join("2019-315.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        pdf,
        std::fs::read(b.join("2019-315.pdf")).unwrap(),
        "two runs differ"
    );
    let typ = std::fs::read_to_string(a.join("2019-315.typ")).unwrap();
    assert!(typ.contains("#gw.masthead("));
    assert!(a.join(".gongwen/gongwen.typ").is_file());
    let pngs = std::fs::read_dir(&a)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    let pages = crate::common::layout(&crate::common::canonical().doc)
        .pages
        .len();
    assert_eq!(pngs, pages);
}

#[test]
fn a_single_yaml_file_builds_under_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("通知.yaml");
    std::fs::copy(crate::common::canonical_dir().join("公文.yaml"), &yaml).unwrap();
    let st = gongwen()
        .arg(&yaml)
        .arg("-o")
        .arg(dir.path().join("out"))
        .arg("--ignore-system-fonts")
        .output()
        .unwrap();
    assert_success(&st);
    assert!(dir.path().join("out/通知.pdf").is_file());
}

#[test]
fn invalid_content_exits_1_with_location_and_keeps_old_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("notice");
    std::fs::create_dir(&content).unwrap();
    let good = std::fs::read_to_string(crate::common::canonical_dir().join("公文.yaml")).unwrap();
    std::fs::write(content.join("公文.yaml"), &good).unwrap();
    let out = dir.path().join("out");
    let ok = gongwen()
        .arg(&content)
        .arg("-o")
        .arg(&out)
        .arg("--ignore-system-fonts")
        .output()
        .unwrap();
    assert!(ok.status.success());
    let before = std::fs::read(out.join("notice.pdf")).unwrap();

    // A typo in a key on line 5.
    let bad = good.replacen("发文字号:", "发文子号:", 1);
    std::fs::write(content.join("公文.yaml"), bad).unwrap();
    let st = gongwen()
        .arg(&content)
        .arg("-o")
        .arg(&out)
        .arg("--ignore-system-fonts")
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1));
    let err = String::from_utf8_lossy(&st.stderr);
    let line = good
        .lines()
        .position(|l| l.starts_with("发文字号:"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("公文.yaml:{line}:1")), "{err}");
    assert!(
        err.contains("发文子号") && err.contains("是不是“发文字号”"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(out.join("notice.pdf")).unwrap(),
        before,
        "old PDF was touched"
    );
}

#[test]
fn usage_errors_exit_2_and_every_subcommand_has_help() {
    let st = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(2));
    let help = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--emit"));
}

#[test]
fn a_content_folder_template_overrides_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir_all(content.join("templates")).unwrap();
    std::fs::copy(
        crate::common::canonical_dir().join("公文.yaml"),
        content.join("公文.yaml"),
    )
    .unwrap();
    // The office's own layout library: the same, with a blue mark.
    let stock = include_str!("../templates/gongwen.typ");
    let red_mark = "tracking: 0pt, fill: st.red)";
    assert!(stock.contains(red_mark), "the mark's colour moved");
    let lib = stock.replace(red_mark, "tracking: 0pt, fill: blue)");
    std::fs::write(content.join("templates/gongwen.typ"), lib).unwrap();
    let built = crate::common::build_dir(&content);
    let l = crate::common::layout(&built.doc);
    let mark = l.find(1, "上海市市场监督管理局文件");
    assert!(!mark.cmyk, "override not used: {:?}", mark.fill);
}

/// A template override that does not parse is reported with its name and
/// line (not as a missing template), and nothing is written.
#[test]
fn a_broken_template_override_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir_all(content.join("templates")).unwrap();
    std::fs::copy(
        crate::common::canonical_dir().join("公文.yaml"),
        content.join("公文.yaml"),
    )
    .unwrap();
    let broken = include_str!("../templates/macros.typ.j2").replacen(
        "{%- endmacro %}",
        "{%- endmacro %}\n{% if %}",
        1,
    );
    let line = broken.lines().position(|l| l == "{% if %}").unwrap() + 1;
    std::fs::write(content.join("templates/macros.typ.j2"), broken).unwrap();
    let out_dir = dir.path().join("out");
    let out = gongwen()
        .args(["--ignore-system-fonts", "-o"])
        .arg(&out_dir)
        .arg(&content)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("模板 macros.typ.j2 第 {line} 行")),
        "{err}"
    );
    assert!(!out_dir.exists(), "a failed build wrote files");
}

/// The system's fonts are scanned only when the style names a face we do not
/// bundle, and their index is kept between runs (GONGWEN_CACHE_DIR). The
/// "system" here is a font folder made by the test and named in a fontconfig
/// file, so the test does not depend on what the machine has installed.
#[test]
fn system_fonts_are_indexed_once_and_only_when_the_style_needs_them() {
    let system = tempfile::tempdir().unwrap();
    let face = system.path().join("SomeOfficeFace.otf");
    std::fs::copy(
        crate::common::repo().join("fonts/FandolKai-Regular.otf"),
        &face,
    )
    .unwrap();
    let conf = system.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
            system.path().display()
        ),
    )
    .unwrap();
    let check = |content: &std::path::Path, cache: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("check")
            .arg(content)
            .env("GONGWEN_CACHE_DIR", cache)
            .env("FONTCONFIG_FILE", &conf)
            .output()
            .unwrap();
        assert_success(&out);
    };
    // The default style asks for 方正小标宋简体, 仿宋_GB2312 …: scanned, indexed.
    let cache = tempfile::tempdir().unwrap();
    let index = cache.path().join("fonts.json");
    check(&crate::common::canonical_dir(), cache.path());
    assert!(index.is_file(), "the first run writes the index");
    let json = std::fs::read_to_string(&index).unwrap();
    assert!(
        json.contains("SomeOfficeFace.otf") && json.contains("FandolKai"),
        "the face in the system folder is indexed: {json}"
    );
    let written = std::fs::metadata(&index).unwrap().modified().unwrap();
    check(&crate::common::canonical_dir(), cache.path());
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        written,
        "nothing changed, so the index is read, not rewritten"
    );
    assert_eq!(std::fs::read_to_string(&index).unwrap(), json);

    // A style that names only the bundled faces needs no scan at all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::canonical_dir().join("公文.yaml"),
        dir.path().join("公文.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("样式.yaml"),
        "字体:\n  小标宋: {字体: [FandolSong], 字重: bold}\n  仿宋: {字体: [FandolFang R]}\n  \
         黑体: {字体: [FandolHei]}\n  楷体: {字体: [FandolKai]}\n  宋体: {字体: [FandolSong]}\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    check(dir.path(), cache.path());
    assert!(
        !cache.path().join("fonts.json").exists(),
        "no conventional face configured: the system was not scanned"
    );
    // Nor with --ignore-system-fonts.
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["check", "--ignore-system-fonts"])
        .arg(crate::common::canonical_dir())
        .env("GONGWEN_CACHE_DIR", cache.path())
        .env("FONTCONFIG_FILE", &conf)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(!cache.path().join("fonts.json").exists());
}

/// `--timings` reports every stage of the pipeline, and what it reports
/// fits the time the process took, measured here.
#[test]
fn timings_name_every_stage_and_fit_the_wall_clock() {
    use gongwen::timings::*;
    let out_dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let out = gongwen()
        .args(["--timings", "--ignore-system-fonts", "-o"])
        .arg(out_dir.path())
        .arg(crate::common::canonical_dir())
        .output()
        .unwrap();
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    let ms = |stage: &str| -> f64 {
        let line = err
            .lines()
            .find(|l| l.trim_end().ends_with(stage))
            .unwrap_or_else(|| panic!("no {stage} in\n{err}"));
        line.split_whitespace().next().unwrap().parse().unwrap()
    };
    for stage in [
        STARTUP,
        CONTENT,
        FONTS,
        CHECK,
        RENDER,
        WORLD,
        FONT_LOADING,
        TYPESET,
        PDF,
        WRITE,
    ] {
        ms(stage);
    }
    // The stages are exclusive and run on one thread here: together they
    // cannot exceed the process's life, and the run is nearly all stages
    // (what is not is process start and exit, argument parsing, printing).
    let total = ms("合计");
    assert!(
        total <= wall,
        "{total} ms reported in a {wall:.1} ms process\n{err}"
    );
    assert!(
        total >= 0.5 * wall,
        "{total} ms of a {wall:.1} ms process\n{err}"
    );
    assert!(ms(TYPESET) > 1.0 && ms(PDF) > 1.0, "{err}");

    let units = out_dir.path().join("units.yaml");
    std::fs::write(
        &units,
        "单位:\n  - {编号: a, 名称: 甲单位}\n  - {编号: b, 名称: 乙单位}\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["forms", "--timings", "--ignore-system-fonts", "--units"])
        .arg(&units)
        .arg("-o")
        .arg(out_dir.path())
        .arg(crate::common::canonical_dir())
        .output()
        .unwrap();
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    for stage in [RENDER, TYPESET, PDF, WRITE, VOLUMES] {
        assert!(err.contains(stage), "no {stage} in\n{err}");
    }
}

#[test]
fn check_refuses_a_form_that_forms_and_fill_could_not_use() {
    // A form of two rows with nothing to name them (a return could not be
    // matched row by row): `forms` would refuse it after the notice went
    // out; `check` says so first, at the table. (One row needs no name.)
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        "发文机关标志: 某局文件\n标题: 关于统计的通知\n正文: [请填报。]\n附件:\n  - 标题: 统计表\n    填报栏: [填报单位, 填报日期]\n    表格:\n      列: [数量]\n      行: [[\"\"], [\"\"]]\n发文机关署名: 某局\n成文日期: 2019-12-31\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["check", "--ignore-system-fonts"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("公文.yaml:7:") && err.contains("统计表有多行，但没有可作行名的列"),
        "{err}"
    );
    // The canonical notice's form passes.
    let ok = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(["check", "--ignore-system-fonts"])
        .arg(crate::common::canonical_dir())
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// Issue 25: `gongwen import` from the command line: a pasted text becomes
/// a content folder that checks (exit 0, the report on stderr); a PDF is
/// refused in Chinese naming the file, exit 1, no folder left.
#[test]
fn import_writes_a_content_folder_and_refuses_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("草稿.txt");
    std::fs::write(
        &txt,
        "某局文件\n某发〔2025〕3号\n关于开展检查的通知\n各科室：\n现将有关事项通知如下。\n一、检查范围\n全局各科室。\n某局\n2025年3月7日\n",
    )
    .unwrap();
    let import = || Command::new(env!("CARGO_BIN_EXE_gongwen"));
    let out = import()
        .args(["import"])
        .arg(&txt)
        .arg(dir.path().join("通知"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("识别到发文字号") && err.contains("检查完毕：错误 0 条"),
        "{err}"
    );
    let yaml = std::fs::read_to_string(dir.path().join("通知/公文.yaml")).unwrap();
    assert!(
        yaml.contains("发文字号: 某发〔2025〕3号") && yaml.contains("- 标题: 检查范围"),
        "{yaml}"
    );
    let pdf = dir.path().join("扫描件.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    let out = import()
        .args(["import"])
        .arg(&pdf)
        .arg(dir.path().join("扫描"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("扫描件.pdf") && err.contains("粘贴"), "{err}");
    assert!(!dir.path().join("扫描").exists());
}
