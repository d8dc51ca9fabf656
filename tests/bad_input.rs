//! The bad-input corpus: every file under tests/bad is a notice with one
//! mistake, its first lines saying what the message must contain (`# 期望:`)
//! and where (`# 位置: :line:column`). Each must fail with that located message.

use std::process::Command;

fn expectations(text: &str) -> (String, Option<String>) {
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|s| s.trim().to_string())
    };
    (get("# 期望:").expect("# 期望: line"), get("# 位置:"))
}

/// The error a user sees for a content file, from the library.
fn error_of(path: &std::path::Path) -> Option<String> {
    let project = match gongwen::Project::load(path) {
        Ok(p) => p,
        Err(e) => return Some(e.to_string()),
    };
    let findings = gongwen::check(crate::common::engine(), &project);
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == gongwen::Severity::Error)
        .map(ToString::to_string)
        .collect();
    (!errors.is_empty()).then(|| errors.join("\n"))
}

#[test]
fn every_bad_content_fails_with_its_located_message() {
    let dir = crate::common::repo().join("tests/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // Exact: a file that vanishes must be noticed (add one, raise this).
    assert_eq!(files.len(), 38, "bad contents in tests/bad");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let (expect, place) = expectations(&text);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Every case says where: line and column.
        let Some(place) = place.filter(|p| p.split(':').filter(|n| !n.is_empty()).count() == 2)
        else {
            failures.push(format!("{name}: no # 位置: :line:column"));
            continue;
        };
        match error_of(path) {
            None => failures.push(format!("{name}: accepted")),
            Some(err) => {
                if !err.contains(&expect) {
                    failures.push(format!("{name}: expected {expect:?} in {err:?}"));
                }
                if !err.contains(&format!("{name}{place}:")) {
                    failures.push(format!("{name}: expected place {place} in {err:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_command_line_exits_1_for_bad_content_and_2_for_bad_usage() {
    let bin = env!("CARGO_BIN_EXE_gongwen");
    for (file, message) in [
        ("02-unknown-key.yaml", "未知的键"),
        ("15-number-square-brackets.yaml", "六角括号"),
        ("32-missing-glyph.yaml", "没有任何字体能显示"),
    ] {
        let path = crate::common::repo().join("tests/bad").join(file);
        assert!(path.is_file(), "{file} is in the corpus");
        let out_dir = tempfile::tempdir().unwrap();
        for sub in ["check", "build"] {
            let mut cmd = Command::new(bin);
            cmd.args([sub, "--ignore-system-fonts"]).arg(&path);
            if sub == "build" {
                cmd.arg("-o").arg(out_dir.path());
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{sub} {file}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(file) && err.contains("错误") && err.contains(message),
                "{sub} {file}: {err}"
            );
        }
        assert_eq!(
            std::fs::read_dir(out_dir.path()).unwrap().count(),
            0,
            "a failed build wrote files"
        );
    }
    let out = Command::new(bin)
        .args(["check", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn lint_warnings_do_not_stop_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "发文机关标志: 某局文件\n标题: 关于某事的通知\n主送机关: 各单位\n正文:\n  - 一、不要自己写序数\n  - 请填写附件。\n发文机关署名: 某局\n成文日期: 2019-03-07\n紧急程度: 急\n";
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap();
    let built = gongwen::build(crate::common::engine(), &project).unwrap();
    let all: Vec<String> = built.findings.iter().map(ToString::to_string).collect();
    let all = all.join("\n");
    for needle in [
        "主送机关: 应以全角冒号",
        "正文第1段: 开头的“一、”是序数",
        "正文提到附件",
        "“急”不是标准的紧急程度",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in {all}");
    }
}
