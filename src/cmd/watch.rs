//! `gongwen watch`: build, then rebuild on every save of the content, its
//! style or its templates. The engine (library, fonts, Typst's memoized
//! work) stays alive between builds, so an edit costs only what changed. An
//! invalid edit prints its located error and keeps the last good PDF.

use std::path::{Path, PathBuf};
use std::time::Instant;

use walkdir::WalkDir;

use super::build::{self, Emit};
use crate::error::{Error, Result};
use crate::Engine;

/// Everything a build reads from the content folder (files, and the folders
/// themselves so that new files are noticed), minus the output folder.
fn watched(content: &Path, out_dir: &Path) -> Vec<PathBuf> {
    let out = std::fs::canonicalize(out_dir).ok();
    let root = if content.is_dir() {
        content.to_path_buf()
    } else {
        content.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| {
            out.as_ref()
                .is_none_or(|o| std::fs::canonicalize(e.path()).ok().as_ref() != Some(o))
        })
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .collect()
}

/// Builds and rebuilds until interrupted; with `timings`, each build's time
/// per stage.
pub fn run(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    emit: &[Emit],
    dpi: f32,
    timings: bool,
) -> Result<()> {
    let mut watcher =
        typst_kit::watcher::Watcher::new(None).map_err(|e| Error::Other(e.to_string()))?;
    loop {
        let start = Instant::now();
        let stamp = chrono::Local::now().format("%H:%M:%S");
        match build::run(engine, content, out_dir, emit, dpi) {
            Ok(w) => {
                let pdf = w
                    .files
                    .first()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default();
                eprintln!(
                    "[{stamp}] 已生成 {pdf}（{} 页，用时 {:.0} 毫秒）",
                    w.pages,
                    start.elapsed().as_secs_f64() * 1000.0
                );
                if timings {
                    eprint!("{}", w.timings.report());
                }
            }
            Err(e) => eprintln!("[{stamp}] 错误：{e}\n（保留上一次生成的文件，修改后自动重试）"),
        }
        watcher
            .update(watched(content, out_dir))
            .map_err(|e| Error::Other(e.to_string()))?;
        watcher.wait().map_err(|e| Error::Other(e.to_string()))?;
    }
}
