//! gongwen: Chinese official documents (党政机关公文) to GB/T 9704-2012.
//!
//! The pipeline runs one way, each stage a module:
//! [`content`] (YAML → model) → [`render`] (model → Typst source, through
//! minijinja templates) → [`typeset`] (Typst, in process → pages) →
//! [`output`] (PDF, PNG, atomic files). [`style`] holds every number of the
//! standard; [`cmd`] holds the command-line subcommands.

pub mod cmd;
pub mod content;
pub mod error;
pub mod forms;
pub mod output;
pub mod render;
pub mod style;
pub mod timings;
pub mod typeset;

pub use content::Project;
pub use error::{Error, Result};
pub use timings::Timings;
pub use typeset::{Engine, FontOptions};

use render::{FillValues, Rendered};
use typst_layout::PagedDocument;

/// A compiled document with the Typst sources it came from.
pub struct Built {
    pub rendered: Rendered,
    pub doc: PagedDocument,
    /// Lint warnings and Typst's warnings, located.
    pub warnings: Vec<String>,
    /// Time of the check, render and typeset stages.
    pub timings: Timings,
}

/// The content checks, the 公文 lint and glyph coverage of a project, sorted
/// by place. Errors among them stop a build.
pub fn check(engine: &Engine, project: &Project) -> Vec<content::check::Finding> {
    let mut findings = content::check::check(project);
    findings.extend(engine.coverage(&engine.resolve_fonts(&project.style), project));
    findings.sort_by(|a, b| {
        (a.at.line, a.at.column, a.severity).cmp(&(b.at.line, b.at.column, b.severity))
    });
    findings
}

/// Renders and typesets a project: everything short of writing files.
pub fn build(engine: &Engine, project: &Project) -> Result<Built> {
    build_with(engine, project, &FillValues::new())
}

/// `build` with the 填报栏 fields of the attachments filled in.
pub fn build_with(engine: &Engine, project: &Project, fill: &FillValues) -> Result<Built> {
    let mut timings = Timings::default();
    let fonts = timings.time(timings::FONTS, || engine.resolve_fonts(&project.style));
    let findings = timings.time(timings::CHECK, || check(engine, project));
    let (errors, warnings): (Vec<_>, Vec<_>) = findings
        .into_iter()
        .partition(|f| f.severity == content::check::Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Checks(
            errors.iter().map(ToString::to_string).collect(),
        ));
    }
    let rendered = timings.time(timings::RENDER, || render::render(project, &fonts, fill))?;
    let compiled = engine.compile(&project.root, &rendered, project.notice.date)?;
    compiled.add_timings(&mut timings);
    let mut warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    warnings.extend(compiled.warnings);
    Ok(Built {
        rendered,
        doc: compiled.doc,
        warnings,
        timings,
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
pub fn evict_cache_keeping(generations: usize) {
    comemo::evict(generations);
}
