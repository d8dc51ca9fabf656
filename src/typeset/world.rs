//! Our Typst `World`: the generated main file and the layout library in
//! memory, files under the content folder (and nowhere else), our fonts, a
//! fixed date. No packages, no network.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::{Duration as Elapsed, Instant};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::fonts::FontStore;

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

/// One document's world. The library and fonts are shared (`Engine`); the
/// sources are per document.
pub struct DocWorld<'a> {
    pub library: &'a LazyHash<Library>,
    pub fonts: &'a FontStore,
    /// The content folder, canonical: the sandbox for file reads.
    pub root: PathBuf,
    pub main: Source,
    pub layout: Source,
    pub today: Datetime,
    /// Nanoseconds spent answering Typst for sources and files (`spent`)
    /// and for fonts (`fonts_spent`).
    spent: AtomicU64,
    fonts_spent: AtomicU64,
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
        DocWorld {
            library,
            fonts,
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            main,
            layout,
            today,
            spent: AtomicU64::new(0),
            fonts_spent: AtomicU64::new(0),
        }
    }

    /// Time spent inside this world's `source` and `file`: our share of a
    /// compilation.
    pub fn spent(&self) -> Elapsed {
        Elapsed::from_nanos(self.spent.load(Ordering::Relaxed))
    }

    /// Time spent inside `font`: almost all of it Typst parsing a face on
    /// its first use in the process.
    pub fn fonts_spent(&self) -> Elapsed {
        Elapsed::from_nanos(self.fonts_spent.load(Ordering::Relaxed))
    }

    /// Runs `f`, adding its time to `counter`.
    fn timed<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        counter.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// Reads a file of the content folder; anything else is refused.
    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
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
        std::fs::read(&real).map_err(|e| FileError::from_io(e, &path))
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
        Self::timed(&self.spent, || {
            if id == self.main.id() {
                Ok(self.main.clone())
            } else if id == self.layout.id() {
                Ok(self.layout.clone())
            } else {
                let bytes = self.read(id)?;
                let text = String::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text))
            }
        })
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Self::timed(&self.spent, || {
            if id == self.main.id() {
                Ok(Bytes::from_string(self.main.clone()))
            } else if id == self.layout.id() {
                Ok(Bytes::from_string(self.layout.clone()))
            } else {
                self.read(id).map(Bytes::new)
            }
        })
    }

    fn font(&self, index: usize) -> Option<Font> {
        Self::timed(&self.fonts_spent, || self.fonts.font(index))
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
