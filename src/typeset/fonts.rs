//! Fonts: the bundled Fandol faces compiled into the binary, fonts from
//! `--font-path` folders, and (unless switched off) the system's fonts, so
//! that an office's conventional faces are used by family name when present.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

use crate::render::ResolvedFonts;
use crate::style::Style;

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

/// Where fonts come from besides the bundled faces.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra folders to scan (`--font-path`).
    pub paths: Vec<PathBuf>,
    /// Also scan the system's fonts (to find 方正小标宋简体, 仿宋_GB2312 …).
    pub system: bool,
}

/// Builds the font store: bundled faces first, then extra folders, then the
/// system. Faces are parsed lazily: only those a document uses are loaded.
pub fn store(opts: &FontOptions) -> FontStore {
    let mut store = FontStore::new();
    for (_, data) in BUNDLED {
        for font in Font::iter(Bytes::new(*data)) {
            let info = font.info().clone();
            store.push((font, info));
        }
    }
    for dir in &opts.paths {
        store.extend(typst_kit::fonts::scan(dir));
    }
    if opts.system {
        store.extend(typst_kit::fonts::system());
    }
    store
}

/// For each role of the style, the families that exist in the store, in the
/// style's order. Typst only warns about an unknown family, so the lists are
/// filtered here and a font warning at compile time is treated as an error.
pub fn resolve(store: &FontStore, style: &Style) -> ResolvedFonts {
    let book = store.book();
    style
        .fonts
        .roles()
        .into_iter()
        .map(|(role, r)| {
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
        let store = store(&FontOptions::default());
        for (role, fams, _) in resolve(&store, &Style::default()) {
            assert!(!fams.is_empty(), "no face for role {role}");
            assert!(
                fams.last().unwrap().starts_with("Fandol"),
                "{role}: {fams:?}"
            );
        }
    }
}
