//! `gongwen build`: a content folder (or one YAML file) → PDF, and on request
//! the generated Typst source and PNG pages.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Result;
use crate::timings::{self, Timings};
use crate::{output, Engine, Project};

/// What `build` writes besides nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The PDF.
    Pdf,
    /// The generated Typst source (and the layout library beside it).
    Typ,
    /// One PNG image per page.
    Png,
}

/// The files a build wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub pages: usize,
    /// Time per stage, from reading the content to writing the files.
    pub timings: Timings,
}

/// Builds `content` into `out_dir`.
pub fn run(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    emit: &[Emit],
    dpi: f32,
) -> Result<Written> {
    let mut timings = Timings::default();
    let project = timings.time(timings::CONTENT, || Project::load(content))?;
    let built = crate::build(engine, &project);
    crate::evict_cache();
    let built = built?;
    timings.merge(&built.timings);
    for w in &built.warnings {
        eprintln!("{}", w.trim());
    }
    let mut written = Written {
        pages: built.doc.pages().len(),
        ..Written::default()
    };
    // Everything is produced before anything is written, so an error leaves
    // the previous outputs as they were.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if emit.contains(&Emit::Pdf) {
        let pdf = timings.time(timings::PDF, || {
            output::pdf(&built.doc, &project.name, project.notice.date)
        })?;
        files.push((out_dir.join(format!("{}.pdf", project.name)), pdf));
    }
    if emit.contains(&Emit::Typ) {
        files.push((
            out_dir.join(format!("{}.typ", project.name)),
            built.rendered.main.into_bytes(),
        ));
        files.push((
            out_dir.join(".gongwen").join("gongwen.typ"),
            built.rendered.library.into_bytes(),
        ));
    }
    if emit.contains(&Emit::Png) {
        let pngs = timings.time(timings::PNG, || output::png_pages(&built.doc, dpi))?;
        for (i, png) in pngs.into_iter().enumerate() {
            files.push((out_dir.join(format!("{}-{}.png", project.name, i + 1)), png));
        }
    }
    timings.time(timings::WRITE, || {
        for (path, bytes) in files {
            output::write_atomic(&path, &bytes)?;
            written.files.push(path);
        }
        Ok::<_, crate::Error>(())
    })?;
    written.timings = timings;
    Ok(written)
}

/// `run` with a report on standard error; with `startup` (the time taken
/// to make the engine) also the time of every stage.
pub fn run_reported(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    emit: &[Emit],
    dpi: f32,
    startup: Option<Timings>,
) -> Result<()> {
    let start = Instant::now();
    let written = run(engine, content, out_dir, emit, dpi)?;
    for f in written
        .files
        .iter()
        .filter(|f| !f.starts_with(out_dir.join(".gongwen")))
    {
        eprintln!("已生成 {}", f.display());
    }
    eprintln!(
        "共 {} 页，用时 {:.2} 秒",
        written.pages,
        start.elapsed().as_secs_f64()
    );
    if let Some(mut timings) = startup {
        timings.merge(&written.timings);
        eprint!("{}", timings.report());
    }
    Ok(())
}
