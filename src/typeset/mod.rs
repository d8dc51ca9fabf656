//! Stage 3 — typeset: Typst source → laid-out pages, in process.
//!
//! An `Engine` holds what documents share (the standard library and the font
//! store) and is `Send + Sync`, so one engine serves every document of a run.

mod coverage;
mod fonts;
mod system_fonts;
mod world;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst::syntax::Source;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::content::Date;
use crate::error::{Error, Result};
use crate::render::{Rendered, ResolvedFonts};
use crate::style::Style;
use crate::timings::{self, FONTS, STARTUP, TYPESET};
pub use fonts::FontOptions;
use world::DocWorld;

/// The face that prints one role of the style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontUse {
    pub role: crate::style::Role,
    /// The face used (the first of the role's families that is installed).
    pub used: String,
    /// The role's first choice (the conventional face, unless the style
    /// names another).
    pub wanted: String,
    /// Whether `used` is an installed face rather than a bundled substitute.
    pub standard: bool,
}

impl FontUse {
    /// The report line: "小标宋（发文机关标志、标题）：方正小标宋简体" or,
    /// for a substitute, what was missing.
    pub fn line(&self) -> String {
        let head = format!("{}（{}）", self.role.yaml_name(), self.role.purpose());
        if self.standard {
            format!("{head}：{}", self.used)
        } else {
            format!("{head}：{}（代用：未安装 {}）", self.used, self.wanted)
        }
    }
}

/// Shared typesetting state: the library, the fonts, and the parsed layout
/// library (the same for every document of a run, so parsed once).
///
/// The font store is built on first use, from the style of the first
/// document: that style decides whether the system's fonts are needed.
pub struct Engine {
    library: LazyHash<Library>,
    options: FontOptions,
    fonts: OnceLock<Fonts>,
    layout: Mutex<Option<Source>>,
    warmed: std::sync::Once,
}

/// The font store, its glyph lookups, and the given font files skipped.
struct Fonts {
    skipped: Vec<PathBuf>,
    store: FontStore,
    glyphs: coverage::Glyphs,
}

/// A compiled document.
pub struct Compiled {
    pub doc: PagedDocument,
    /// Typst's remaining (non-font) warnings, located.
    pub warnings: Vec<String>,
    /// The files of the content folder that the document read (images).
    pub dependencies: Vec<PathBuf>,
}

pub use crate::error::Overflow;

/// The values the layout reported under `label` (metadata dictionaries),
/// each with where it was placed, in document order.
fn reported(
    doc: &PagedDocument,
    label: &str,
) -> Vec<(
    typst::foundations::Dict,
    Option<typst::introspection::Location>,
)> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    use typst::utils::PicoStr;
    let Some(label) = Label::new(PicoStr::intern(label)) else {
        return Vec::new();
    };
    doc.introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| match &c.to_packed::<MetadataElem>()?.value {
            Value::Dict(d) => Some((d.clone(), c.location())),
            _ => None,
        })
        .collect()
}

/// Field `key` of a reported dictionary, as `T`.
fn field<T: typst::foundations::FromValue>(d: &typst::foundations::Dict, key: &str) -> Option<T> {
    d.get(key).ok()?.clone().cast::<T>().ok()
}

/// The tables the layout reported as too wide (label `gongwen-table-overflow`).
fn overflows(doc: &PagedDocument) -> Vec<Overflow> {
    reported(doc, "gongwen-table-overflow")
        .iter()
        .filter_map(|(d, _)| {
            Some(Overflow {
                at: field(d, "at")?,
                column: field::<i64>(d, "column")?.max(1) as usize,
                size_pt: field(d, "size")?,
            })
        })
        .collect()
}

/// How the layout set one table: its text size and column widths, in pt.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    pub size_pt: f64,
    pub columns_pt: Vec<f64>,
}

/// The tables of `doc` as the layout set them, in document order (label
/// `gongwen-table-layout`): the .docx writer sets them the same way.
pub fn table_layouts(doc: &PagedDocument) -> Vec<TableLayout> {
    reported(doc, "gongwen-table-layout")
        .iter()
        .filter_map(|(d, _)| {
            Some(TableLayout {
                size_pt: field(d, "size")?,
                columns_pt: field(d, "columns")?,
            })
        })
        .collect()
}

/// One entry of a 目录 as the layout set it: the document it belongs to,
/// its level, its text and the page it is on (1-based, in the whole file).
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    pub doc: String,
    pub level: usize,
    pub text: String,
    pub page: usize,
}

/// The 目录 entries of `doc` (label `gongwen-toc`), in document order.
pub fn toc_entries(doc: &PagedDocument) -> Vec<TocEntry> {
    use typst::introspection::Introspector;
    reported(doc, "gongwen-toc")
        .iter()
        .filter_map(|(d, at)| {
            let entry: typst::foundations::Content = field(d, "entry")?;
            Some(TocEntry {
                doc: field(d, "doc")?,
                level: field::<i64>(d, "level")?.max(1) as usize,
                // The space the layout puts after a chapter's number.
                text: entry
                    .plain_text()
                    .to_string()
                    .replace(['\u{a0}', ' '], "　"),
                page: doc.introspector().page((*at)?)?.get(),
            })
        })
        .collect()
}

impl Engine {
    pub fn new(opts: &FontOptions) -> Engine {
        let _span = timings::span(STARTUP);
        Engine {
            library: LazyHash::new(Library::builder().build()),
            options: opts.clone(),
            fonts: OnceLock::new(),
            layout: Mutex::new(None),
            warmed: std::sync::Once::new(),
        }
    }

    /// The font store, built for `style` if it does not exist yet (without a
    /// style, the system's fonts are included when the options allow).
    fn fonts(&self, style: Option<&Style>) -> &Fonts {
        self.fonts.get_or_init(|| {
            let _span = timings::span(FONTS);
            let (store, skipped) = fonts::store(&self.options, style);
            let glyphs = coverage::Glyphs::new(store.book());
            Fonts {
                skipped,
                store,
                glyphs,
            }
        })
    }

    fn store(&self, style: Option<&Style>) -> &FontStore {
        &self.fonts(style).store
    }

    /// Glyph coverage of a project's text with this engine's fonts.
    pub fn coverage(
        &self,
        fonts: &ResolvedFonts,
        project: &crate::content::Project,
    ) -> Vec<crate::content::check::Finding> {
        let f = self.fonts(Some(&project.style));
        coverage::check(f.store.book(), &f.glyphs, fonts, project)
    }

    /// Files in `--font-path` folders that hold no usable face.
    pub fn skipped_fonts(&self, style: &Style) -> &[PathBuf] {
        &self.fonts(Some(style)).skipped
    }

    /// Characters of `text` that none of this engine's fonts can print.
    pub fn unprintable(&self, text: &str) -> Vec<char> {
        let f = self.fonts(None);
        coverage::unprintable(f.store.book(), &f.glyphs, text)
    }

    /// Which face prints each role of `style`, and whether it is an
    /// office's conventional face or the bundled substitute.
    pub fn font_report(&self, style: &Style) -> Vec<FontUse> {
        self.resolve_fonts(style)
            .into_iter()
            .map(|(role, present, _)| {
                let wanted = style.fonts.of(role).conventional();
                let used = present.first().cloned().unwrap_or_default();
                FontUse {
                    role,
                    standard: !fonts::is_bundled(&used),
                    used,
                    wanted,
                }
            })
            .collect()
    }

    /// The families of each role that this engine's fonts provide.
    pub fn resolve_fonts(&self, style: &Style) -> ResolvedFonts {
        let resolved = fonts::resolve(self.store(Some(style)), style);
        self.warm(&resolved);
        resolved
    }

    /// Once per engine, on another core while the document is read and laid
    /// out, does two one-time costs that would otherwise fall on the first
    /// document: hashing the faces it will use (Typst identifies a font by a
    /// hash of all its bytes, several megabytes a face: a tenth of the
    /// notice's build) and building the CMYK → RGB conversion table that the
    /// PDF's accessibility tags need for a black given in CMYK (a fifth).
    /// Neither changes any output; on one core it only moves the work.
    fn warm(&self, resolved: &ResolvedFonts) {
        self.warmed.call_once(|| {
            let store = self.store(None);
            let book = store.book();
            let faces: Vec<typst::text::Font> = resolved
                .iter()
                .filter_map(|(_, families, _)| families.first())
                .flat_map(|family| {
                    book.select_family(&family.to_lowercase())
                        .collect::<Vec<_>>()
                })
                .collect::<std::collections::BTreeSet<usize>>()
                .into_iter()
                .filter_map(|index| store.font(index))
                .collect();
            std::thread::spawn(move || {
                for face in &faces {
                    typst::utils::hash128(face);
                }
                use typst::visualize::{Cmyk, Color, ProcessColor};
                let black = Cmyk {
                    c: 0.0,
                    m: 0.0,
                    y: 0.0,
                    k: 1.0,
                };
                Color::Process(ProcessColor::Cmyk(black)).to_rgb();
            });
        });
    }

    /// Compiles rendered sources into pages. `root` is the content folder (the
    /// only place files may be read from); `date` fixes Typst's notion of today
    /// so that output does not depend on when it is built.
    pub fn compile(&self, root: &Path, rendered: &Rendered, date: Date) -> Result<Compiled> {
        let _span = timings::span(TYPESET);
        let today = Datetime::from_ymd(
            chrono::Datelike::year(&date.0),
            chrono::Datelike::month(&date.0) as u8,
            chrono::Datelike::day(&date.0) as u8,
        )
        .ok_or_else(|| Error::Typeset(format!("无法表示日期 {}", date.chinese())))?;
        let mut world = DocWorld::new(
            &self.library,
            self.store(None),
            root,
            Source::new(*world::MAIN_ID, rendered.main.clone()),
            self.layout_source(&rendered.library),
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
                let too_wide = overflows(&doc);
                if !too_wide.is_empty() {
                    return Err(Error::TableTooWide(too_wide));
                }
                let rest = describe(&world, warnings.iter());
                Ok(Compiled {
                    doc,
                    warnings: rest
                        .lines()
                        .map(str::to_string)
                        .filter(|l| !l.is_empty())
                        .collect(),
                    dependencies: world.dependencies(),
                })
            }
            Ok(_) => Err(Error::Typeset(describe(&world, font_warnings))),
            Err(errors) => Err(Error::Typeset(describe(&world, errors.iter()))),
        }
    }

    /// The layout library as a parsed source, reused while its text is the
    /// same (it only changes when a project overrides templates or style).
    fn layout_source(&self, text: &str) -> Source {
        let mut cached = self.layout.lock().expect("not poisoned");
        match &*cached {
            Some(source) if source.text() == text => source.clone(),
            _ => {
                let source = Source::new(*world::LIBRARY_ID, text.to_string());
                *cached = Some(source.clone());
                source
            }
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

/// Drops memoized results that the last few compilations did not use. Called
/// from one place per command after each document, failed builds included,
/// so that long runs keep a flat memory profile, while a rebuild in `watch`
/// still finds what it shares with the build before.
pub fn evict_cache() {
    evict_cache_keeping(4);
}

/// Drops memoized results not used in the last `generations` evictions (0
/// drops everything).
pub(crate) fn evict_cache_keeping(generations: usize) {
    comemo::evict(generations);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_are_indexed_on_first_use_only() {
        let engine = Engine::new(&FontOptions::default());
        assert!(engine.fonts.get().is_none(), "nothing indexed yet");
        assert!(engine.unprintable("公文\u{E000}") == vec!['\u{E000}']);
        assert!(
            engine.fonts.get().is_some(),
            "indexed by the first question"
        );
    }
}
