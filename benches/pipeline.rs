//! `cargo bench`: the pipeline's costs on this machine, as medians.
//!
//! (a) the canonical notice end to end in a fresh `gongwen build` process;
//! (b) a rebuild in the same process after a one-word edit;
//! (c) N per-unit forms (N = 20, 200, 2000) in one `gongwen forms` process,
//!     on one thread and on all cores, against a one-form cold process;
//! (d) peak memory (max RSS) of (a) and (c).
//! Writes the table to stdout and target/bench/pipeline.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs a command to completion; wall time and the child's max RSS in MiB.
fn run(cmd: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    // Reaped by wait4 below, which also reports the child's resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid out-parameter.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = start.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed"
    );
    (took, usage.ru_maxrss as f64 / 1024.0)
}

fn units_file(dir: &Path, n: usize) -> PathBuf {
    let mut y = String::from("单位:\n");
    for i in 0..n {
        y.push_str(&format!(
            "  - {{编号: u{i:05}, 名称: 测试单位第{i}号市场监督管理所}}\n"
        ));
    }
    let p = dir.join(format!("units-{n}.yaml"));
    std::fs::write(&p, y).unwrap();
    p
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_gongwen");
    let content = repo.join("content/2019-315");
    let tmp = tempfile::tempdir().unwrap();
    let mut rows: Vec<String> = Vec::new();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;

    // (a) cold process, end to end.
    let mut times = Vec::new();
    let mut rss: f64 = 0.0;
    for _ in 0..RUNS {
        let (t, m) = run(Command::new(bin)
            .args(["build", "--ignore-system-fonts", "-o"])
            .arg(tmp.path())
            .arg(&content));
        times.push(t);
        rss = rss.max(m);
    }
    let cold = median(times);
    rows.push(format!(
        "| (a) canonical notice, fresh process, end to end | {:.0} ms | {rss:.0} MiB |",
        ms(cold)
    ));

    // (b) rebuild in the same process after a one-word edit.
    let engine = gongwen::Engine::new(&gongwen::FontOptions::default());
    let mut project = gongwen::Project::load(&content).unwrap();
    let built = gongwen::build(&engine, &project).unwrap();
    gongwen::output::pdf(&built.doc, "bench", project.notice.date).unwrap();
    let words = ["新中国", "新的中国"];
    let mut times = Vec::new();
    for i in 0..RUNS * 2 {
        let gongwen::content::Block::Paragraph(p) = &mut project.notice.issued[0].body[0] else {
            unreachable!()
        };
        *p = p.replacen(words[i % 2], words[(i + 1) % 2], 1);
        let start = Instant::now();
        let built = gongwen::build(&engine, &project).unwrap();
        gongwen::output::pdf(&built.doc, "bench", project.notice.date).unwrap();
        gongwen::evict_cache();
        times.push(start.elapsed());
    }
    let warm = median(times);
    rows.push(format!(
        "| (b) rebuild after a one-word edit, same process | {:.0} ms ({:.2} of a) | |",
        ms(warm),
        warm.as_secs_f64() / cold.as_secs_f64()
    ));

    // (c, d) forms.
    let one = units_file(tmp.path(), 1);
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let out = tmp.path().join("one");
        let (t, _) = run(Command::new(bin)
            .args(["forms", "--ignore-system-fonts", "--units"])
            .arg(&one)
            .arg("-o")
            .arg(&out)
            .arg(&content));
        times.push(t);
    }
    let single = median(times);
    rows.push(format!(
        "| one form, fresh process | {:.0} ms | |",
        ms(single)
    ));
    for n in [20usize, 200, 2000] {
        let units = units_file(tmp.path(), n);
        let mut per_threads = Vec::new();
        for threads in ["1", "0"] {
            let runs = if n >= 2000 { 1 } else { 3 };
            let mut times = Vec::new();
            let mut rss: f64 = 0.0;
            for _ in 0..runs {
                let out = tmp.path().join(format!("f{n}-{threads}"));
                let mut cmd = Command::new(bin);
                cmd.args(["forms", "--ignore-system-fonts", "--units"])
                    .arg(&units)
                    .arg("-o")
                    .arg(&out)
                    .arg(&content);
                if threads == "1" {
                    cmd.env("RAYON_NUM_THREADS", "1");
                }
                let (t, m) = run(&mut cmd);
                times.push(t);
                rss = rss.max(m);
                std::fs::remove_dir_all(&out).ok();
            }
            let t = median(times);
            per_threads.push(t);
            let label = if threads == "1" {
                "1 thread"
            } else {
                "all cores"
            };
            rows.push(format!(
                "| (c) {n} forms, {label} | {:.0} ms ({:.1} ms/form, {:.2} of a one-form process) | {rss:.0} MiB |",
                ms(t),
                ms(t) / n as f64,
                ms(t) / n as f64 / ms(single)
            ));
        }
        rows.push(format!(
            "| (c) {n} forms, all-core speed-up | {:.2}× | |",
            per_threads[0].as_secs_f64() / per_threads[1].as_secs_f64()
        ));
    }

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let table = format!(
        "Machine: {} cores, {cpu}. Medians of {RUNS} runs ((c) at N = 2000: one run), release build, bundled fonts.\n\n| case | time | peak memory |\n|---|---|---|\n{}\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        rows.join("\n")
    );
    println!("{table}");
    let dir = repo.join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pipeline.md"), table).unwrap();
}
