//! `cargo bench`: the pipeline's costs on this machine, as medians.
//!
//! (a) the canonical notice end to end in a fresh `gongwen build` process;
//! (b) a rebuild in the same process after a one-word edit;
//! (c) N per-unit forms (N = 20, 200, 2000) in one `gongwen forms` process,
//!     on one thread and on all cores, against a one-form cold process;
//! (d) peak memory (max RSS) of (a) and (c);
//! (e) the matrix form of the statistics example for 20 and 2000 units;
//! (f) a long published document with a large table (国办发〔2019〕4号, 24
//!     pages), end to end in a fresh process;
//! (g) the .docx writer on the canonical notice and on (f), in process;
//! (h) `gongwen serve`: a one-word edit until the redrawn page arrives;
//! side by side with Typst: hand-written equivalents (benches/pipeline/peer)
//! of the notice and of its 20 forms, and gongwen's own generated source.
//! Writes the table to stdout and target/bench/pipeline.md.

mod latex;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per median for the short cases ((a), (b), one form, side by side);
/// (c) takes 3 (N = 2000: 1).
const RUNS: usize = 9;

/// The one-word edit of (b) and (h): 新中国 ↔ 新的中国.
const WORDS: [&str; 2] = ["新中国", "新的中国"];

/// The edit of run `i` to the canonical notice, back and forth.
fn edit(project: &mut gongwen::Project, i: usize) {
    let gongwen::content::Block::Paragraph(p) = &mut project.notice.issued[0].body[0] else {
        unreachable!()
    };
    *p = p.replacen(WORDS[i % 2], WORDS[(i + 1) % 2], 1);
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs a command to completion; wall time and the child's max RSS in MiB.
fn run(cmd: &mut Command) -> (Duration, f64) {
    run_logged(cmd, None)
}

/// `run`, with the child's standard error written to `log`.
fn run_logged(cmd: &mut Command, log: Option<&Path>) -> (Duration, f64) {
    let stderr = match log {
        Some(p) => std::process::Stdio::from(std::fs::File::create(p).unwrap()),
        None => std::process::Stdio::null(),
    };
    let start = Instant::now();
    // Reaped by wait4 below, which also reports the child's resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
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

/// The stage times of a `--timings` report, in milliseconds.
fn stages(report: &str) -> Vec<(String, f64)> {
    report
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let ms: f64 = parts.next()?.parse().ok()?;
            parts.next().filter(|p| p.ends_with('%'))?;
            let stage = parts.collect::<Vec<_>>().join(" ");
            (stage != "合计").then_some((stage, ms))
        })
        .collect()
}

/// Medians per stage over several reports, in the first report's order.
fn median_stages(reports: &[Vec<(String, f64)>]) -> Vec<(String, f64)> {
    reports[0]
        .iter()
        .map(|(stage, _)| {
            let mut v: Vec<f64> = reports
                .iter()
                .filter_map(|r| r.iter().find(|(s, _)| s == stage).map(|(_, ms)| *ms))
                .collect();
            v.sort_by(f64::total_cmp);
            (stage.clone(), v[v.len() / 2])
        })
        .collect()
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

/// One HTTP/1.1 request to the workspace; the status line and the body.
fn http(port: u16, method: &str, path: &str, token: &str, body: &[u8]) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Gongwen-Token: {token}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&out[..split])
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    (status, out[split + 4..].to_vec())
}

/// (h): `gongwen serve` on a copy of the canonical notice; each run saves a
/// one-word edit (PUT, which rebuilds) and fetches the first page whose
/// image changed, as the page in the browser does.
fn workspace_latency(bin: &str, content: &Path, tmp: &Path) -> String {
    use std::io::BufRead;
    let dir = tmp.join("workspace");
    let doc = dir.join("2019-315");
    std::fs::create_dir_all(&doc).unwrap();
    for f in ["公文.yaml", "填报单位.yaml"] {
        std::fs::copy(content.join(f), doc.join(f)).unwrap();
    }
    let mut child = Command::new(bin)
        .args(["serve", "--no-open", "--ignore-system-fonts"])
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    let token = url.split("token=").nth(1).unwrap().to_string();
    let port: u16 = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let state_path = "/api/docs/2019-315/state";
    let file_path = "/api/docs/2019-315/files/%E5%85%AC%E6%96%87.yaml";
    let hashes = |body: &[u8]| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["hash"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, body) = http(port, "GET", state_path, &token, b"");
    let mut before = hashes(&body);
    let text = std::fs::read_to_string(doc.join("公文.yaml")).unwrap();
    let mut times = Vec::new();
    for i in 0..RUNS * 2 {
        let edited = if i % 2 == 0 {
            text.replacen(WORDS[0], WORDS[1], 1)
        } else {
            text.clone()
        };
        let start = Instant::now();
        let (status, body) = http(port, "PUT", file_path, &token, edited.as_bytes());
        assert!(status.contains("200"), "{status}");
        let after = hashes(&body);
        let changed = after
            .iter()
            .zip(&before)
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let (status, png) = http(
            port,
            "GET",
            &format!("/api/docs/2019-315/pages/{changed}?v={}", after[changed]),
            &token,
            b"",
        );
        assert!(
            status.contains("200") && png.starts_with(b"\x89PNG"),
            "{status}"
        );
        times.push(start.elapsed());
        before = after;
    }
    let _ = child.kill();
    let _ = child.wait();
    format!(
        "| (h) workspace: a one-word edit saved until the redrawn page's image arrives | {:.0} ms | |",
        median(times).as_secs_f64() * 1000.0
    )
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // GONGWEN_BIN: another build of gongwen (an older commit) for a
    // before/after table; the in-process rows ((b), (g)) are this build's.
    let bin_env = std::env::var("GONGWEN_BIN").ok();
    let bin = bin_env.as_deref().unwrap_or(env!("CARGO_BIN_EXE_gongwen"));
    let content = repo.join("content/2019-315");
    let tmp = tempfile::tempdir().unwrap();
    let mut rows: Vec<String> = Vec::new();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;

    // (a) cold process, end to end, with the process's own stage times. One
    // run first, so that the font index cache exists as it does for a user.
    run(Command::new(bin)
        .args(["build", "-o"])
        .arg(tmp.path())
        .arg(&content));
    let mut times = Vec::new();
    let mut reports = Vec::new();
    let mut rss: f64 = 0.0;
    let log = tmp.path().join("timings.txt");
    for _ in 0..RUNS {
        let (t, m) = run_logged(
            Command::new(bin)
                .args(["build", "--timings", "-o"])
                .arg(tmp.path())
                .arg(&content),
            Some(&log),
        );
        times.push(t);
        rss = rss.max(m);
        reports.push(stages(&std::fs::read_to_string(&log).unwrap()));
    }
    let cold = median(times);
    rows.push(format!(
        "| (a) canonical notice, fresh process, end to end | {:.0} ms | {rss:.0} MiB |",
        ms(cold)
    ));
    let phases = median_stages(&reports);
    let ours: f64 = phases
        .iter()
        .filter(|(s, _)| {
            s.starts_with(gongwen::timings::CONTENT)
                || s.starts_with(gongwen::timings::RENDER)
                || s.starts_with(gongwen::timings::WORLD)
        })
        .map(|(_, ms)| ms)
        .sum();
    let mut stage_rows: Vec<String> = phases
        .iter()
        .map(|(s, t)| format!("| (a) stage: {s} | {t:.1} ms | |"))
        .collect();
    stage_rows.push(format!(
        "| (a) YAML + minijinja + World together | {ours:.1} ms ({:.1} % of a) | |",
        ours / ms(cold) * 100.0
    ));

    // (b) rebuild in the same process after a one-word edit.
    let engine = gongwen::Engine::new(&gongwen::FontOptions::default());
    let mut project = gongwen::Project::load(&content).unwrap();
    let built = gongwen::build(&engine, &project).unwrap();
    gongwen::output::pdf(&built.doc, "bench", project.notice.date).unwrap();
    let mut times = Vec::new();
    let mut reports = Vec::new();
    for i in 0..RUNS * 2 {
        edit(&mut project, i);
        let start = Instant::now();
        let ((), timings) = gongwen::timings::collect(|| {
            let built = gongwen::build(&engine, &project).unwrap();
            gongwen::output::pdf(&built.doc, "bench", project.notice.date).unwrap();
            gongwen::evict_cache();
        });
        times.push(start.elapsed());
        reports.push(stages(&timings.report()));
    }
    let warm = median(times);
    rows.push(format!(
        "| (b) rebuild after a one-word edit, same process | {:.0} ms ({:.2} of a) | |",
        ms(warm),
        warm.as_secs_f64() / cold.as_secs_f64()
    ));
    rows.extend(
        median_stages(&reports)
            .iter()
            .map(|(s, t)| format!("| (b) stage: {s} | {t:.1} ms | |")),
    );
    // (b) as the workspace rebuilds on every save: the pages laid out again
    // and only the pages whose hash changed drawn (at its 120 dpi); no PDF,
    // which the workspace writes only when one is asked for.
    let mut shown: Vec<u128> = built
        .doc
        .pages()
        .iter()
        .map(typst::utils::hash128)
        .collect();
    let mut times = Vec::new();
    let mut drawn = Vec::new();
    for i in 0..RUNS * 2 {
        edit(&mut project, i);
        let start = Instant::now();
        let built = gongwen::build(&engine, &project).unwrap();
        gongwen::evict_cache();
        let mut n = 0;
        let now: Vec<u128> = built
            .doc
            .pages()
            .iter()
            .map(typst::utils::hash128)
            .collect();
        for (page, hash) in built.doc.pages().iter().zip(&now) {
            if !shown.contains(hash) {
                gongwen::output::preview_png_page(page, 120.0).unwrap();
                n += 1;
            }
        }
        shown = now;
        times.push(start.elapsed());
        drawn.push(n);
    }
    let workspace = median(times);
    rows.push(format!(
        "| (b) the workspace's rebuild after a one-word edit: layout and the changed pages drawn ({} of {}), no PDF | {:.1} ms ({:.2} of a) | |",
        drawn[drawn.len() / 2],
        built.doc.pages().len(),
        ms(workspace),
        workspace.as_secs_f64() / cold.as_secs_f64()
    ));
    rows.extend(stage_rows);

    // (c, d) forms.
    let one = units_file(tmp.path(), 1);
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let out = tmp.path().join("one");
        let (t, _) = run(Command::new(bin)
            .args(["forms", "--units"])
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
    // BENCH_MAX_N=200 skips the long N = 2000 runs while iterating.
    let max_n: usize = std::env::var("BENCH_MAX_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    for n in [20usize, 200, 2000].into_iter().filter(|n| *n <= max_n) {
        let units = units_file(tmp.path(), n);
        let mut per_threads = Vec::new();
        for threads in ["1", "0"] {
            let runs = if n >= 2000 { 1 } else { 3 };
            let mut times = Vec::new();
            let mut rss: f64 = 0.0;
            for _ in 0..runs {
                let out = tmp.path().join(format!("f{n}-{threads}"));
                let mut cmd = Command::new(bin);
                cmd.args(["forms", "--units"])
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

    // (e) The matrix form (content/yinhuan-tongji: 9 行业 × 5 indicators
    // under a two-row header, an amount, a percentage, a computed rate), on
    // all cores, with each unit's workbook.
    let matrix = repo.join("content/yinhuan-tongji");
    for n in [20usize, 2000].into_iter().filter(|n| *n <= max_n) {
        let units = units_file(tmp.path(), n);
        let runs = if n >= 2000 { 1 } else { 3 };
        let mut times = Vec::new();
        let mut rss: f64 = 0.0;
        for _ in 0..runs {
            let out = tmp.path().join(format!("m{n}"));
            let (t, m) = run(Command::new(bin)
                .args(["forms", "--xlsx", "--units"])
                .arg(&units)
                .arg("-o")
                .arg(&out)
                .arg(&matrix));
            times.push(t);
            rss = rss.max(m);
            std::fs::remove_dir_all(&out).ok();
        }
        let t = median(times);
        rows.push(format!(
            "| (e) matrix form, {n} units with workbooks, all cores | {:.0} ms ({:.1} ms/form) | {rss:.0} MiB |",
            ms(t),
            ms(t) / n as f64
        ));
    }

    // (f) a long document with a large table, fresh process.
    let long = repo.join("tests/fixtures/real/guobanfa-2019-4-hospital-indicators");
    let mut times = Vec::new();
    let mut rss: f64 = 0.0;
    for _ in 0..RUNS {
        let (t, m) = run(Command::new(bin)
            .args(["build", "-o"])
            .arg(tmp.path().join("long"))
            .arg(&long));
        times.push(t);
        rss = rss.max(m);
    }
    rows.push(format!(
        "| (f) 24-page document with a 13-page table, fresh process, end to end | {:.0} ms | {rss:.0} MiB |",
        ms(median(times))
    ));

    // (g) the .docx writer alone, in process, on laid-out documents.
    for (label, dir) in [
        ("canonical notice", &content),
        ("the document of (f)", &long),
    ] {
        let project = gongwen::Project::load(dir).unwrap();
        let built = gongwen::build(&engine, &project).unwrap();
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            gongwen::output::docx::docx(&project, &built.doc).unwrap();
            times.push(start.elapsed());
        }
        rows.push(format!(
            "| (g) .docx writer, {label}, in process | {:.1} ms | |",
            ms(median(times))
        ));
    }

    // (h) The workspace: a one-word edit saved through `gongwen serve` until
    // the redrawn page's image has arrived, as the browser does it.
    let serves = Command::new(bin)
        .args(["serve", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if serves {
        rows.push(workspace_latency(bin, &content, tmp.path()));
    }

    // Side by side with Typst (a `typst` binary on PATH or in $TYPST), the
    // same fonts, whole processes timed alternately: the hand-written Typst
    // equivalents of benches/pipeline/peer/ (the notice; the 20 forms of
    // the canonical units in one document), and the source gongwen
    // generates, compiled by Typst.
    let typst = std::env::var("TYPST").unwrap_or_else(|_| "typst".into());
    if Command::new(&typst)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let version = Command::new(&typst)
            .arg("--version")
            .output()
            .unwrap()
            .stdout;
        let version = String::from_utf8_lossy(&version).trim().to_string();
        let src = tmp.path().join("typ");
        let (_, _) = run(Command::new(bin)
            .args(["build", "--ignore-system-fonts", "--emit", "typ", "-o"])
            .arg(&src)
            .arg(&content));
        let peer = repo.join("benches/pipeline/peer");
        let typst_compile = |root: &Path, file: &Path| {
            let mut c = Command::new(&typst);
            c.args(["compile", "--ignore-system-fonts", "--font-path"])
                .arg(repo.join("fonts"))
                .arg("--root")
                .arg(root)
                .arg(file)
                .arg(tmp.path().join("typst.pdf"));
            c
        };
        let mut ours = Vec::new();
        let mut hand = Vec::new();
        let mut generated = Vec::new();
        let mut ours_forms = Vec::new();
        let mut hand_forms = Vec::new();
        for _ in 0..RUNS {
            ours.push(
                run(Command::new(bin)
                    .args(["build", "--ignore-system-fonts", "-o"])
                    .arg(tmp.path().join("ours"))
                    .arg(&content))
                .0,
            );
            hand.push(run(&mut typst_compile(&peer, &peer.join("notice.typ"))).0);
            generated.push(run(&mut typst_compile(&src, &src.join("2019-315.typ"))).0);
            let out = tmp.path().join("ours-forms");
            ours_forms.push(
                run(Command::new(bin)
                    .args(["forms", "--ignore-system-fonts", "-o"])
                    .arg(&out)
                    .arg(&content))
                .0,
            );
            std::fs::remove_dir_all(&out).ok();
            hand_forms.push(run(&mut typst_compile(&peer, &peer.join("forms.typ"))).0);
        }
        let (ours, hand, generated) = (median(ours), median(hand), median(generated));
        let (ours_forms, hand_forms) = (median(ours_forms), median(hand_forms));
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        rows.push(format!(
            "| side by side: gongwen build of the canonical notice, bundled fonts only | {:.0} ms ({:.2}× the hand-written Typst) | |",
            ms(ours),
            ratio(ours, hand)
        ));
        rows.push(format!(
            "| side by side: {version} compile of the hand-written notice (benches/pipeline/peer/notice.typ) | {:.0} ms | |",
            ms(hand)
        ));
        rows.push(format!(
            "| side by side: {version} compile of the source gongwen generates | {:.0} ms | |",
            ms(generated)
        ));
        rows.push(format!(
            "| side by side: gongwen forms, the 20 canonical units, one process | {:.0} ms ({:.2}× the hand-written Typst) | |",
            ms(ours_forms),
            ratio(ours_forms, hand_forms)
        ));
        rows.push(format!(
            "| side by side: {version} compile of the 20 hand-written forms in one document (peer/forms.typ) | {:.0} ms | |",
            ms(hand_forms)
        ));
    }
    // And XeLaTeX (ctex, fontset=fandol: the same faces) typesetting the
    // same content, one pass, when `xelatex` is on PATH or in $XELATEX.
    let xelatex = std::env::var("XELATEX").unwrap_or_else(|_| "xelatex".into());
    if Command::new(&xelatex)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let dir = tmp.path().join("tex");
        std::fs::create_dir_all(&dir).unwrap();
        let project = gongwen::Project::load(&content).unwrap();
        std::fs::write(dir.join("notice.tex"), latex::document(&project.notice)).unwrap();
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let (t, _) = run(Command::new(&xelatex)
                .args(["-interaction=nonstopmode", "-halt-on-error", "notice.tex"])
                .current_dir(&dir));
            times.push(t);
        }
        let version = Command::new(&xelatex)
            .arg("--version")
            .output()
            .unwrap()
            .stdout;
        rows.push(format!(
            "| side by side: {} (ctex, Fandol), one pass over the same content | {:.0} ms | |",
            String::from_utf8_lossy(&version)
                .lines()
                .next()
                .unwrap_or("xelatex"),
            ms(median(times))
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
        "Machine: {} cores, {cpu}. Medians of {RUNS} runs ((c): of 3, at N = 2000 one run), {} build; \
         system fonts searched through the font index cache (a warm cache, as on every run after the first).\n\n\
         | case | time | peak memory |\n|---|---|---|\n{}\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "dev (NOT release)" } else { "release" },
        rows.join("\n")
    );
    println!("{table}");
    let dir = repo.join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let name = if bin_env.is_some() {
        "pipeline-other.md"
    } else {
        "pipeline.md"
    };
    std::fs::write(dir.join(name), table).unwrap();
}
