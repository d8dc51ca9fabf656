//! `gongwen build`: a content folder (or one YAML file) → PDF, and on request
//! the generated Typst source and PNG pages.

use std::path::{Path, PathBuf};

use gongwen::output::{self, Emit};
use gongwen::{Engine, Project, Result};

use super::fonts;

/// What one build wrote and read.
pub struct Done {
    /// Files written, the PDF first.
    pub files: Vec<PathBuf>,
    pub pages: usize,
    /// Files the build read (for `watch`).
    pub inputs: Vec<PathBuf>,
    /// The standards the PDF and the OFD were written to, if any (said
    /// beside the file: a PDF/A is for the archive, not the print room).
    pub pdf_standard: Option<String>,
    pub ofd_standard: Option<String>,
}

/// How `build` and `watch` build: what to write, and the options that change
/// what a build is.
pub struct Options {
    pub emit: Vec<Emit>,
    pub dpi: f32,
    /// Refuse when a substitute face stands in for a conventional one.
    pub standard_fonts: bool,
    /// A PDF standard in place of the style's.
    pub pdf_standard: Option<String>,
    /// An OFD standard in place of the style's (and the OFD written).
    pub ofd_standard: Option<String>,
}

/// Loads, builds and writes `content` into `out_dir`, printing the lint
/// warnings; the files are written only when everything succeeded.
pub fn run(engine: &Engine, content: &Path, out_dir: &Path, opts: &Options) -> Result<Done> {
    let mut project = Project::load(content)?;
    if let Some(s) = &opts.pdf_standard {
        project.style.pdf_standard = s.clone();
    }
    if let Some(s) = &opts.ofd_standard {
        project.style.ofd_standard = s.clone();
    }
    // An archive standard for OFD (flag or 样式.yaml) asks for the OFD.
    let mut emit = opts.emit.clone();
    if project.style.ofd_archive() && !emit.contains(&Emit::Ofd) {
        emit.push(Emit::Ofd);
    }
    let substitutes = fonts::substitutes(engine, &project.style, opts.standard_fonts)?;
    let built = gongwen::build(engine, &project);
    gongwen::evict_cache();
    let built = built?;
    for f in &built.findings {
        eprintln!("{f}");
    }
    for w in &built.warnings {
        eprintln!("{}", w.trim());
    }
    if let Some(line) = substitutes {
        eprintln!("{line}");
    }
    let files = output::write_build(&project, &built, out_dir, &emit, opts.dpi)?;
    // As the standards name themselves: a-2b is PDF/A-2b.
    let pdf = &project.style.pdf_standard;
    let pdf_standard = pdf.strip_prefix("a-").map(|part| format!("PDF/A-{part}"));
    Ok(Done {
        files,
        pages: built.doc.pages().len(),
        inputs: built.inputs,
        pdf_standard,
        ofd_standard: project.style.ofd_archive().then(|| "OFD-A".to_string()),
    })
}

/// `run`, then a line for each file written and the page count.
pub fn report(done: &Done, out_dir: &Path, seconds: f64) {
    for f in done
        .files
        .iter()
        .filter(|f| !f.starts_with(out_dir.join(".gongwen")))
    {
        let ext = f.extension().and_then(|e| e.to_str());
        let standard = match ext {
            Some("pdf") => done.pdf_standard.as_deref(),
            Some("ofd") => done.ofd_standard.as_deref(),
            _ => None,
        };
        match (standard, ext) {
            (Some(s), Some("pdf")) => {
                eprintln!("已生成 {}（{s}，存档用；印刷请用普通 PDF）", f.display())
            }
            (Some(s), _) => eprintln!("已生成 {}（{s}，存档用）", f.display()),
            _ => eprintln!("已生成 {}", f.display()),
        }
    }
    eprintln!("共 {} 页，用时 {seconds:.2} 秒", done.pages);
}
