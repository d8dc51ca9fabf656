//! `gongwen watch`: build, then rebuild on every save of a file the build
//! read (the notice, its style and templates, the images it uses). The
//! engine (library, fonts, Typst's memoized work) stays alive between builds,
//! so an edit costs only what changed. An invalid edit prints its located
//! error and keeps the last good PDF. The output folder is never watched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use gongwen::content::{NOTICE_FILE, STYLE_FILE, TEMPLATE_DIR};
use gongwen::{Engine, Error, Result};

/// What to watch besides what the last good build read: the notice, and
/// where a style or template override would appear (missing paths are
/// polled), so that adding one is noticed too.
fn always(content: &Path) -> Vec<PathBuf> {
    if content.is_dir() {
        vec![
            content.join(NOTICE_FILE),
            content.join(STYLE_FILE),
            content.join(TEMPLATE_DIR),
        ]
    } else {
        let root = content.parent().unwrap_or(Path::new("."));
        vec![content.to_path_buf(), root.join(STYLE_FILE)]
    }
}

fn watch_error(e: impl std::fmt::Display) -> Error {
    Error::Export(format!("无法监视文件：{e}"))
}

/// Builds and rebuilds until interrupted, each build as `build` makes it
/// (the same options); with `timings`, each build's time per stage.
pub fn run(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    opts: &super::build::Options,
    timings: bool,
) -> Result<()> {
    // Nothing to watch would mean waiting forever.
    std::fs::metadata(content).map_err(|source| Error::Read {
        path: content.to_path_buf(),
        source,
    })?;
    let mut watcher = typst_kit::watcher::Watcher::new(None).map_err(watch_error)?;
    let mut inputs: Vec<PathBuf> = Vec::new();
    loop {
        let start = Instant::now();
        let built_at = std::time::SystemTime::now();
        let stamp = chrono::Local::now().format("%H:%M:%S");
        let (result, spent) =
            gongwen::timings::collect(|| super::build::run(engine, content, out_dir, opts));
        match result {
            Ok(done) => {
                let pdf = done
                    .files
                    .first()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default();
                eprintln!(
                    "[{stamp}] 已生成 {pdf}（{} 页，用时 {:.0} 毫秒）",
                    done.pages,
                    start.elapsed().as_secs_f64() * 1000.0
                );
                if timings {
                    eprint!("{}", spent.report());
                }
                inputs = done.inputs;
            }
            Err(e) => eprintln!("[{stamp}] 错误：{e}\n（保留上一次生成的文件，修改后自动重试）"),
        }
        let out = std::fs::canonicalize(out_dir).ok();
        let watched: Vec<PathBuf> = always(content)
            .into_iter()
            .chain(inputs.iter().cloned())
            .filter(|p| {
                let real = std::fs::canonicalize(p).ok();
                !matches!((&real, &out), (Some(r), Some(o)) if r.starts_with(o))
            })
            .collect();
        // A save that landed while this build ran (before the watch covered
        // its file, a style file created meanwhile) is not lost: it starts
        // the next build at once.
        watcher.update(watched.clone()).map_err(watch_error)?;
        // (A file dated in the future, copied from a machine whose clock is
        // ahead, must not rebuild forever.)
        let now = std::time::SystemTime::now();
        let saved_meanwhile = watched.iter().any(|p| {
            p.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= built_at && t <= now)
        });
        if !saved_meanwhile {
            watcher.wait().map_err(watch_error)?;
        }
    }
}
