//! `gongwen watch` as a user runs it: a save rebuilds, an invalid save
//! reports its error and keeps the last good PDF.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Waits until `cond` holds, for at most 60 s.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The watcher process, killed however the test ends (a failed assertion
/// must not leave it running).
struct Watcher(std::process::Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn saves_rebuild_and_bad_saves_keep_the_last_good_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    let yaml = content.join("公文.yaml");
    let good = std::fs::read_to_string(crate::common::canonical_dir().join("公文.yaml")).unwrap();
    std::fs::write(&yaml, &good).unwrap();
    let out = dir.path().join("out");
    let pdf = out.join("c.pdf");
    let mut child = Watcher(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["watch", "--ignore-system-fonts", "-o"])
            .arg(&out)
            .arg(&content)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let text = |p: &std::path::Path| {
        crate::common::squeeze(
            &pdf_extract::extract_text_from_mem(&std::fs::read(p).unwrap()).unwrap(),
        )
    };
    wait_for("the first build", || pdf.is_file());
    std::thread::sleep(Duration::from_millis(300));
    assert!(text(&pdf).contains("认真贯彻落实"));

    // A one-word edit is rebuilt.
    std::fs::write(&yaml, good.replacen("认真贯彻落实", "认真组织落实", 1)).unwrap();
    wait_for("the rebuild", || {
        std::fs::read(&pdf).is_ok_and(|b| {
            pdf_extract::extract_text_from_mem(&b)
                .is_ok_and(|t| crate::common::squeeze(&t).contains("认真组织落实"))
        })
    });
    // A style file created after the start is followed too.
    let before = std::fs::read(&pdf).unwrap();
    std::fs::write(content.join("样式.yaml"), "标题字号: 20\n").unwrap();
    wait_for("the rebuild with the new style", || {
        std::fs::read(&pdf).is_ok_and(|b| b != before)
    });
    let last_good = std::fs::read(&pdf).unwrap();

    // An invalid edit: reported, and the PDF stays as it was.
    std::fs::write(
        &yaml,
        good.replacen("成文日期: 2019-03-07", "成文日期: 2019-02-30", 1),
    )
    .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        last_good,
        "an invalid save touched the PDF"
    );
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let mut err = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        err.contains("不是有效日期") && err.contains("公文.yaml:"),
        "{err}"
    );
    assert!(err.matches("已生成").count() >= 2, "{err}");
}

#[test]
fn watch_builds_with_the_options_build_takes() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("c");
    std::fs::create_dir(&content).unwrap();
    std::fs::copy(
        crate::common::canonical_dir().join("公文.yaml"),
        content.join("公文.yaml"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let pdf = out.join("c.pdf");
    let _child = Watcher(
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args([
                "watch",
                "--ignore-system-fonts",
                "--pdf-standard",
                "a-2b",
                "-o",
            ])
            .arg(&out)
            .arg(&content)
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for("the first build", || pdf.is_file());
    std::thread::sleep(Duration::from_millis(300));
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let meta = doc
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let xmp = doc
        .get_object(meta)
        .unwrap()
        .as_stream()
        .unwrap()
        .content
        .clone();
    assert!(
        String::from_utf8_lossy(&xmp).contains("pdfaid:part"),
        "not PDF/A"
    );

    // --require-standard-fonts: with only the bundled substitutes, watch
    // refuses as build does, and writes nothing.
    let out2 = dir.path().join("out2");
    let r = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args([
            "watch",
            "--ignore-system-fonts",
            "--require-standard-fonts",
            "-o",
        ])
        .arg(&out2)
        .arg(&content)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Watcher(r);
    let mut err = String::new();
    let mut stderr = child.0.stderr.take().unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    while !err.contains("错误") && start.elapsed() < Duration::from_secs(60) {
        let n = stderr.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        err.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(err.contains("错误"), "{err}");
    assert!(!out2.join("c.pdf").exists());
}
