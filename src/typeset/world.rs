//! Our Typst `World`: the generated main file and the layout library in
//! memory, files under the content folder (and nowhere else) through one
//! cached file store, our fonts, a fixed date. No packages, no network.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::files::{FileLoader, FileStore};
use typst_kit::fonts::FontStore;

use crate::timings::{self, FONT_LOADING, WORLD};

/// The generated main file. Ids are interned process-wide and capped at
/// 65,535, so every document reuses these two fixed ids.
pub static MAIN_ID: LazyLock<FileId> = LazyLock::new(|| fixed("/.gongwen/main.typ"));
/// The layout library the main file imports.
pub static LIBRARY_ID: LazyLock<FileId> = LazyLock::new(|| fixed("/.gongwen/gongwen.typ"));

fn fixed(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("valid path"),
    )
    .intern()
}

/// Loads files of the content folder for the file store; anything outside
/// it (by path or through a link), packages and our own sources are refused.
struct Sandbox {
    /// The content folder, canonical.
    root: PathBuf,
}

impl Sandbox {
    /// The real path of a file Typst asks for, if it may be read.
    fn path(&self, id: FileId) -> FileResult<PathBuf> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some("gongwen 不使用 Typst 包".into())));
        }
        let vpath = rooted.vpath();
        if vpath.get_with_slash().starts_with("/.gongwen/") {
            return Err(FileError::NotFound(vpath.get_with_slash().into()));
        }
        let path = vpath.realize(&self.root).map_err(FileError::Realize)?;
        // Resolve links too: the real file must still lie inside the folder.
        let real = std::fs::canonicalize(&path).map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(&self.root) {
            return Err(FileError::AccessDenied);
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        Ok(real)
    }
}

impl FileLoader for Sandbox {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        let path = self.path(id)?;
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

/// One document's world. The library and fonts are shared (`Engine`); the
/// sources and the file store are per document.
pub struct DocWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a FontStore,
    main: Source,
    layout: Source,
    files: FileStore<Sandbox>,
    today: Datetime,
}

impl<'a> DocWorld<'a> {
    pub fn new(
        library: &'a LazyHash<Library>,
        fonts: &'a FontStore,
        root: &Path,
        main: Source,
        layout: Source,
        today: Datetime,
    ) -> Self {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        DocWorld {
            library,
            fonts,
            main,
            layout,
            files: FileStore::new(Sandbox { root }),
            today,
        }
    }

    /// The files of the content folder that the compilation read, sorted.
    pub fn dependencies(&mut self) -> Vec<PathBuf> {
        let (loader, ids) = self.files.dependencies();
        let mut paths: Vec<PathBuf> = ids.filter_map(|id| loader.path(id).ok()).collect();
        paths.sort();
        paths
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let _span = timings::span(WORLD);
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.layout.id() {
            Ok(self.layout.clone())
        } else {
            self.files.source(id)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let _span = timings::span(WORLD);
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else if id == self.layout.id() {
            Ok(Bytes::from_string(self.layout.clone()))
        } else {
            self.files.file(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        let _span = timings::span(FONT_LOADING);
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
