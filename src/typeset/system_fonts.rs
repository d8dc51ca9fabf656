//! The system's fonts, found in the usual font folders and indexed once: the
//! index (each face's family, style and coverage) is kept in a cache file
//! and only files that are new or changed since the last run are parsed.
//! This is what lets a build start in milliseconds on an office PC with
//! hundreds of fonts installed, and still find 方正小标宋简体 or 仿宋_GB2312
//! the moment they are installed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use typst::text::FontInfo;
use typst_kit::fonts::FontPath;
use walkdir::WalkDir;

/// Changes whenever the index format or Typst's `FontInfo` may change.
const CACHE_VERSION: &str = concat!("gongwen ", env!("CARGO_PKG_VERSION"), ", typst 0.15");

/// Overrides where the cache is kept (tests; machines with a read-only home).
pub const CACHE_DIR_VAR: &str = "GONGWEN_CACHE_DIR";

#[derive(Serialize, Deserialize, Default)]
struct Cache {
    version: String,
    files: Vec<CachedFile>,
}

/// One font file as it was when it was indexed.
#[derive(Serialize, Deserialize, Clone)]
struct CachedFile {
    path: PathBuf,
    size: u64,
    /// Modification time in nanoseconds since 1970.
    modified: u128,
    /// Index in the collection and the face's description.
    faces: Vec<(u32, FontInfo)>,
}

/// What a scan found.
pub struct Scan {
    /// Every face, in path order (so that the font book is the same on
    /// every run).
    pub faces: Vec<(FontPath, FontInfo)>,
    /// How many files had to be parsed (0 when the cache was current): what
    /// the cache tests observe.
    #[cfg_attr(not(test), allow(dead_code))]
    pub parsed: usize,
    /// Font files that hold no usable face (malformed, truncated, too
    /// large), each judged once and skipped.
    pub skipped: Vec<PathBuf>,
}

/// The cache file: `$GONGWEN_CACHE_DIR/fonts.json`, or `fonts.json` in the
/// user's cache folder (`~/.cache/gongwen` on Linux).
pub fn cache_file() -> Option<PathBuf> {
    let dir = std::env::var_os(CACHE_DIR_VAR)
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("gongwen")))?;
    Some(dir.join("fonts.json"))
}

/// The folders the operating system keeps fonts in (those `fontdb` scans:
/// fontconfig's folders on Linux, the Windows and macOS font folders).
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let home = dirs::home_dir();
    #[cfg(windows)]
    {
        let root = std::env::var_os("SYSTEMROOT").unwrap_or_else(|| "C:\\Windows".into());
        dirs.push(Path::new(&root).join("Fonts"));
        if let Some(h) = &home {
            dirs.push(h.join("AppData\\Local\\Microsoft\\Windows\\Fonts"));
            dirs.push(h.join("AppData\\Roaming\\Microsoft\\Windows\\Fonts"));
        }
    }
    #[cfg(target_os = "macos")]
    {
        dirs.push("/Library/Fonts".into());
        dirs.push("/System/Library/Fonts".into());
        dirs.push("/Network/Library/Fonts".into());
        if let Ok(entries) = std::fs::read_dir("/System/Library/AssetsV2") {
            dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| {
                p.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .starts_with("com_apple_MobileAsset_Font")
                })
            }));
        }
        if let Some(h) = &home {
            dirs.push(h.join("Library/Fonts"));
        }
    }
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        dirs.extend(fontconfig_dirs(home.as_deref()));
        if dirs.is_empty() {
            dirs.push("/usr/share/fonts".into());
            dirs.push("/usr/local/share/fonts".into());
            if let Some(h) = &home {
                dirs.push(h.join(".fonts"));
                dirs.push(h.join(".local/share/fonts"));
            }
        }
    }
    dirs
}

/// The `<dir>` entries of the fontconfig configuration.
#[cfg(all(unix, not(target_os = "macos")))]
fn fontconfig_dirs(home: Option<&Path>) -> Vec<PathBuf> {
    let mut config = fontconfig_parser::FontConfig::default();
    if let Some(file) = std::env::var_os("FONTCONFIG_FILE") {
        let _ = config.merge_config(Path::new(&file));
    } else {
        let user = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".config")))
            .map(|c| c.join("fontconfig/fonts.conf"));
        if user.is_none_or(|u| config.merge_config(&u).is_err()) {
            let _ = config.merge_config(Path::new("/etc/fonts/local.conf"));
        }
        let _ = config.merge_config(Path::new("/etc/fonts/fonts.conf"));
    }
    config
        .dirs
        .into_iter()
        .filter_map(|d| match d.path.strip_prefix("~") {
            Ok(rest) => home.map(|h| h.join(rest)),
            Err(_) => Some(d.path),
        })
        .collect()
}

/// Indexes the fonts under `dirs`, reusing `cache` for files whose size and
/// modification time are unchanged, and rewriting it when anything changed.
/// A missing or unreadable cache only costs a full scan.
pub fn scan(dirs: &[PathBuf], cache: Option<&Path>) -> Scan {
    let old: Cache = cache
        .and_then(|c| std::fs::read(c).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .filter(|c: &Cache| c.version == CACHE_VERSION)
        .unwrap_or_default();
    let known: HashMap<&Path, &CachedFile> =
        old.files.iter().map(|f| (f.path.as_path(), f)).collect();

    let mut found: Vec<(PathBuf, u64, u128)> = files(dirs);
    found.sort();

    let scanned: Vec<(CachedFile, bool)> = found
        .into_par_iter()
        .map(|(path, size, modified)| match known.get(path.as_path()) {
            Some(&f) if f.size == size && f.modified == modified => (f.clone(), false),
            _ => {
                let faces = if size > MAX_FONT_BYTES {
                    Vec::new()
                } else {
                    std::fs::read(&path).map(|d| index(&d)).unwrap_or_default()
                };
                let file = CachedFile {
                    path,
                    size,
                    modified,
                    faces,
                };
                (file, true)
            }
        })
        .collect();
    let parsed = scanned.iter().filter(|(_, fresh)| *fresh).count();
    let new = Cache {
        version: CACHE_VERSION.into(),
        files: scanned.into_iter().map(|(f, _)| f).collect(),
    };
    if let Some(cache) = cache.filter(|_| parsed > 0 || new.files.len() != old.files.len()) {
        if let Ok(json) = serde_json::to_vec(&new) {
            // A cache that cannot be written is only slower next time.
            let _ = crate::files::write_atomic(cache, &json);
        }
    }
    let skipped = new
        .files
        .iter()
        .filter(|f| f.faces.is_empty())
        .map(|f| f.path.clone())
        .collect();
    Scan {
        faces: faces(new.files),
        parsed,
        skipped,
    }
}

/// Every font file under `dirs`, each once (links followed), with its size
/// and modification time. A file reached twice through links is recognised
/// by its device and inode (on Unix) from the same `stat` that gives its
/// size, rather than by resolving every path.
fn files(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, u128)> {
    let mut seen = std::collections::HashSet::new();
    dirs.iter()
        .flat_map(|d| WalkDir::new(d).follow_links(true))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path().extension().is_some_and(|x| {
                matches!(
                    x.to_ascii_lowercase().to_str(),
                    Some("ttf" | "otf" | "ttc" | "otc")
                )
            })
        })
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            #[cfg(unix)]
            let id = {
                use std::os::unix::fs::MetadataExt;
                format!("{}:{}", meta.dev(), meta.ino())
            };
            #[cfg(not(unix))]
            let id = e.path().to_string_lossy().to_lowercase();
            if !seen.insert(id) {
                return None;
            }
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            Some((e.into_path(), meta.len(), modified))
        })
        .collect()
}

/// The largest font file read: CJK faces are 10–30 MB, collections up to
/// about 60 MB.
const MAX_FONT_BYTES: u64 = 128 * 1024 * 1024;

/// The most faces one collection may declare: real ones hold a handful; a
/// malformed header can claim four billion.
const MAX_FACES: u32 = 256;

/// The faces of one font file (several for a collection).
/// A file that makes the font parser panic holds no usable face, nor does
/// a face whose tables run past the end of the file (an interrupted
/// download: its names parse, so it would be indexed, and every glyph would
/// print blank) or that has no outlines at all.
pub fn index(data: &[u8]) -> Vec<(u32, FontInfo)> {
    std::panic::catch_unwind(|| {
        let count = ttf_parser::fonts_in_collection(data)
            .unwrap_or(1)
            .min(MAX_FACES);
        (0..count)
            .filter(|&i| complete(data, i))
            .filter_map(|i| FontInfo::new(data, i).map(|info| (i, info)))
            .collect()
    })
    .unwrap_or_default()
}

/// Every table of face `i` lies inside `data`, and there are outlines.
fn complete(data: &[u8], i: u32) -> bool {
    let Ok(raw) = ttf_parser::RawFace::parse(data, i) else {
        return false;
    };
    let mut outlines = false;
    for r in raw.table_records {
        if u64::from(r.offset) + u64::from(r.length) > data.len() as u64 {
            return false;
        }
        outlines |= [b"glyf", b"CFF ", b"CFF2", b"CBDT", b"sbix", b"SVG "]
            .iter()
            .any(|t| r.tag == ttf_parser::Tag::from_bytes(t));
    }
    outlines
}

fn faces(files: Vec<CachedFile>) -> Vec<(FontPath, FontInfo)> {
    files
        .into_iter()
        .flat_map(|f| {
            let path = f.path;
            f.faces.into_iter().map(move |(index, info)| {
                (
                    FontPath {
                        path: path.clone(),
                        index,
                    },
                    info,
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: &[u8] = include_bytes!("../../fonts/FandolKai-Regular.otf");
    const OTHER: &[u8] = include_bytes!("../../fonts/FandolHei-Regular.otf");

    #[test]
    fn second_scan_reads_the_cache_and_notices_changes() {
        let fonts = tempfile::tempdir().unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = cache_dir.path().join("fonts.json");
        let dirs = vec![fonts.path().to_path_buf()];
        std::fs::write(fonts.path().join("a.otf"), FONT).unwrap();
        std::fs::write(fonts.path().join("notes.txt"), "not a font").unwrap();

        let first = scan(&dirs, Some(&cache));
        assert_eq!(first.parsed, 1);
        assert_eq!(first.faces.len(), 1);
        assert_eq!(first.faces[0].1.family, "FandolKai");
        assert!(cache.is_file());

        let second = scan(&dirs, Some(&cache));
        assert_eq!(second.parsed, 0, "nothing changed: nothing parsed");
        assert_eq!(second.faces[0].1, first.faces[0].1);

        // A new file is parsed; the known one is not.
        std::fs::write(fonts.path().join("b.otf"), FONT).unwrap();
        let third = scan(&dirs, Some(&cache));
        assert_eq!((third.parsed, third.faces.len()), (1, 2));

        // A replaced file is parsed again; a removed one is gone.
        std::fs::write(fonts.path().join("a.otf"), OTHER).unwrap();
        std::fs::remove_file(fonts.path().join("b.otf")).unwrap();
        let fourth = scan(&dirs, Some(&cache));
        assert_eq!((fourth.parsed, fourth.faces.len()), (1, 1));
        assert_eq!(fourth.faces[0].1.family, "FandolHei");

        // A cache from another version is ignored.
        std::fs::write(&cache, r#"{"version":"old","files":[]}"#).unwrap();
        assert_eq!(scan(&dirs, Some(&cache)).parsed, 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_font_reached_through_a_link_counts_once() {
        let fonts = tempfile::tempdir().unwrap();
        std::fs::write(fonts.path().join("a.otf"), FONT).unwrap();
        std::os::unix::fs::symlink(fonts.path().join("a.otf"), fonts.path().join("b.otf")).unwrap();
        let scan = scan(&[fonts.path().to_path_buf()], None);
        assert_eq!((scan.parsed, scan.faces.len()), (1, 1));
    }
}
