//! gongwen: Chinese official documents (党政机关公文) to GB/T 9704-2012.
//!
//! The pipeline runs one way, each stage a module with one entry:
//! [`content`] (YAML → model, `Project::load`; checks walk it with
//! `content::walk`) → `render` (model → Typst source through minijinja
//! templates) → `typeset` (Typst, in process → pages, [`Engine`]) →
//! [`output`] (PDF, PNG, print volumes, atomic files). [`build`] runs the
//! middle stages for a notice; [`forms`] makes a form per reporting unit and
//! sums the returns. [`style`] holds every number of the standard.
//! The command line (`src/main.rs`, `src/cli/`) only parses arguments,
//! prints and chooses exit codes.

mod batch;
pub mod content;
pub mod error;
pub mod forms;
pub mod output;
mod render;
pub mod style;
pub mod timings;
mod typeset;

pub use batch::Progress;
pub use content::check::{Finding, Severity};
pub use content::Project;
pub use error::{Error, Result};
pub use render::Rendered;
pub use typeset::{Engine, FontOptions};

use std::path::PathBuf;

use timings::CHECK;
use typst_layout::PagedDocument;

/// A compiled document with the Typst sources it came from.
pub struct Built {
    pub rendered: Rendered,
    pub doc: PagedDocument,
    /// Lint warnings, located.
    pub findings: Vec<Finding>,
    /// Typst's own warnings, with their places in the generated source.
    pub warnings: Vec<String>,
    /// Every file the build read: the notice, the style and template
    /// overrides, and the files the document uses (a seal image).
    pub inputs: Vec<PathBuf>,
}

/// The content checks, the 公文 lint and glyph coverage of a project, sorted
/// by place. Errors among them stop a build.
pub fn check(engine: &Engine, project: &Project) -> Vec<Finding> {
    let _span = timings::span(CHECK);
    let mut findings = content::check::check(project);
    findings.extend(engine.coverage(&engine.resolve_fonts(&project.style), project));
    content::check::sort(&mut findings);
    findings
}

/// Checks, renders and typesets a project: everything short of writing files.
pub fn build(engine: &Engine, project: &Project) -> Result<Built> {
    let fonts = engine.resolve_fonts(&project.style);
    let (errors, findings): (Vec<_>, Vec<_>) = check(engine, project)
        .into_iter()
        .partition(|f| f.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Checks(errors));
    }
    let rendered = render::render(project, &fonts)?;
    let compiled = engine.compile(&project.root, &rendered, project.notice.date)?;
    let mut inputs = project.inputs();
    inputs.extend(compiled.dependencies);
    inputs.sort();
    inputs.dedup();
    Ok(Built {
        rendered,
        doc: compiled.doc,
        findings,
        warnings: compiled.warnings,
        inputs,
    })
}

/// Drops memoized results that the last few compilations did not use. Called
/// from one place per command after each document, failed builds included,
/// so that long runs keep a flat memory profile, while a rebuild in `watch`
/// still finds what it shares with the build before.
pub fn evict_cache() {
    evict_cache_keeping(4);
}

/// Drops memoized results not used in the last `generations` evictions (0
/// drops everything).
fn evict_cache_keeping(generations: usize) {
    comemo::evict(generations);
}
