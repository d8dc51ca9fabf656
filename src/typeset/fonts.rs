//! Fonts: the bundled Fandol faces compiled into the binary, fonts from
//! `--font-path` folders, and (unless switched off) the system's fonts, so
//! that an office's conventional faces are used by family name when present.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontSource, FontStore};

use crate::render::ResolvedFonts;
use crate::style::{Role, Style};

/// The bundled faces (GPL with font exception; see fonts/README.md).
const BUNDLED: &[(&str, &[u8])] = &[
    (
        "FandolSong-Regular.otf",
        include_bytes!("../../fonts/FandolSong-Regular.otf"),
    ),
    (
        "FandolSong-Bold.otf",
        include_bytes!("../../fonts/FandolSong-Bold.otf"),
    ),
    (
        "FandolFang-Regular.otf",
        include_bytes!("../../fonts/FandolFang-Regular.otf"),
    ),
    (
        "FandolHei-Regular.otf",
        include_bytes!("../../fonts/FandolHei-Regular.otf"),
    ),
    (
        "FandolKai-Regular.otf",
        include_bytes!("../../fonts/FandolKai-Regular.otf"),
    ),
];

/// Whether `family` is one of the bundled Fandol faces (a substitute for an
/// office's conventional face).
pub fn is_bundled(family: &str) -> bool {
    family.starts_with("Fandol")
}

/// Where fonts come from besides the bundled faces.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra folders to scan (`--font-path`).
    pub paths: Vec<PathBuf>,
    /// Also scan the system's fonts (to find 方正小标宋简体, 仿宋_GB2312 …).
    pub system: bool,
}

/// A bundled face, parsed only when a document first uses it.
struct Bundled {
    data: &'static [u8],
    index: u32,
}

impl FontSource for Bundled {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.data), self.index)
    }
}

/// Builds the font store, and lists the files of `--font-path` folders that
/// hold no usable face. The store: bundled faces first, then extra folders, then the
/// system's fonts, but only when `style` (if known) names a family that
/// the bundled faces and extra folders do not have: the system is searched
/// for an office's conventional faces, never for faces we already carry.
/// Only the index is built here; a face is parsed when first used.
pub fn store(opts: &FontOptions, style: Option<&Style>) -> (FontStore, Vec<PathBuf>) {
    let mut store = FontStore::new();
    for (_, data) in BUNDLED {
        let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
        for index in 0..count {
            if let Some(info) = FontInfo::new(data, index) {
                store.push((Bundled { data, index }, info));
            }
        }
    }
    // The folders given on the command line, indexed like the system's
    // (without a cache): a malformed file is judged once and skipped.
    let given = super::system_fonts::scan(&opts.paths, None);
    store.extend(given.faces);
    let wanted = |s: &Style| {
        Role::ALL
            .iter()
            .flat_map(|r| s.fonts.of(*r).families.iter())
            .any(|f| !store.book().contains_family(&f.to_lowercase()))
    };
    if opts.system && style.is_none_or(wanted) {
        let scan = super::system_fonts::scan(
            &super::system_fonts::font_dirs(),
            super::system_fonts::cache_file().as_deref(),
        );
        store.extend(scan.faces);
    }
    (store, given.skipped)
}

/// For each role of the style, the families that exist in the store, in the
/// style's order. Typst only warns about an unknown family, so the lists are
/// filtered here and a font warning at compile time is treated as an error.
pub fn resolve(store: &FontStore, style: &Style) -> ResolvedFonts {
    let book = store.book();
    Role::ALL
        .into_iter()
        .map(|role| {
            let r = style.fonts.of(role);
            let present: Vec<String> = r
                .families
                .iter()
                .filter(|f| book.contains_family(&f.to_lowercase()))
                .cloned()
                .collect();
            (role, present, r.weight.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_resolve_for_every_role() {
        let (store, _) = store(&FontOptions::default(), None);
        for (role, fams, _) in resolve(&store, &Style::default()) {
            assert!(!fams.is_empty(), "no face for role {role:?}");
            assert!(
                fams.last().unwrap().starts_with("Fandol"),
                "{role:?}: {fams:?}"
            );
        }
    }
}
