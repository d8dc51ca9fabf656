//! Stage 3 — typeset: Typst source → laid-out pages, in process.
//!
//! An `Engine` holds what documents share (the standard library and the font
//! store) and is `Send + Sync`, so one engine serves every document of a run.

pub mod coverage;
pub mod fonts;
pub mod world;

use std::path::Path;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::content::Date;
use crate::error::{Error, Result};
use crate::render::{Rendered, ResolvedFonts};
use crate::style::Style;
pub use fonts::FontOptions;
use world::DocWorld;

/// Shared typesetting state: the library and the fonts.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: FontStore,
}

impl Engine {
    pub fn new(opts: &FontOptions) -> Engine {
        Engine {
            library: LazyHash::new(Library::builder().build()),
            fonts: fonts::store(opts),
        }
    }

    /// Glyph coverage of a project's text with this engine's fonts.
    pub fn coverage(
        &self,
        fonts: &ResolvedFonts,
        project: &crate::Project,
    ) -> Vec<crate::content::check::Finding> {
        coverage::check(self.fonts.book(), fonts, project)
    }

    /// Characters of `text` that none of this engine's fonts can print.
    pub fn unprintable(&self, text: &str) -> Vec<char> {
        coverage::unprintable(self.fonts.book(), text)
    }

    /// The families of each role that this engine's fonts provide.
    pub fn resolve_fonts(&self, style: &Style) -> ResolvedFonts {
        fonts::resolve(&self.fonts, style)
    }

    /// Compiles rendered sources into pages. `root` is the content folder (the
    /// only place files may be read from); `date` fixes Typst's notion of today
    /// so that output does not depend on when it is built.
    /// Returns the pages and Typst's remaining (non-font) warnings.
    pub fn compile(
        &self,
        root: &Path,
        rendered: &Rendered,
        date: Date,
    ) -> Result<(PagedDocument, Vec<String>)> {
        let today = Datetime::from_ymd(
            chrono::Datelike::year(&date.0),
            chrono::Datelike::month(&date.0) as u8,
            chrono::Datelike::day(&date.0) as u8,
        )
        .ok_or_else(|| Error::Other(format!("无法表示日期 {}", date.chinese())))?;
        let world = DocWorld::new(
            &self.library,
            &self.fonts,
            root,
            rendered.main.clone(),
            rendered.library.clone(),
            today,
        );
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        // An unknown or missing font is only a warning to Typst, and it falls
        // back silently to another face: for a 公文 that is an error.
        let font_warnings: Vec<&SourceDiagnostic> = warnings
            .iter()
            .filter(|w| w.message.contains("font") || w.message.contains("glyph"))
            .collect();
        match output {
            Ok(doc) if font_warnings.is_empty() => {
                let rest = describe(&world, warnings.iter());
                Ok((
                    doc,
                    rest.lines()
                        .map(str::to_string)
                        .filter(|l| !l.is_empty())
                        .collect(),
                ))
            }
            Ok(_) => Err(Error::Typeset(describe(&world, font_warnings))),
            Err(errors) => Err(Error::Typeset(describe(&world, errors.iter()))),
        }
    }
}

/// Diagnostics with their places in the generated source (`--emit typ`
/// writes it, so the line numbers can be looked up).
fn describe<'a>(world: &DocWorld, diags: impl IntoIterator<Item = &'a SourceDiagnostic>) -> String {
    let mut out = Vec::new();
    for d in diags {
        let place = d.span.id().and_then(|id| {
            let source = world.source(id).ok()?;
            let range = world.range(d.span)?;
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            let name = id.get().vpath().file_name().unwrap_or("?").to_string();
            Some(format!("{name}:{}:{}", line + 1, col + 1))
        });
        let mut line = match place {
            Some(p) => format!("  {p}: {}", d.message),
            None => format!("  {}", d.message),
        };
        for hint in &d.hints {
            line.push_str(&format!("\n    提示：{}", hint.v));
        }
        out.push(line);
    }
    out.join("\n")
}
