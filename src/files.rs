//! Writing files so that a reader sees either the old file or the whole new
//! one. Below every stage that writes (the typesetter's font cache, the
//! outputs, the products).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::timings::{self, WRITE};

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so readers see either the old file or the complete new one, and
/// an error or an interruption never leaves a half-written file. There is no
/// fsync: it would cost as much as typesetting a whole form, and the rename
/// already protects against everything short of a power cut.
/// New files get the usual permissions (0666 less the umask), not the
/// temporary file's private 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let _span = timings::span(WRITE);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let werr = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gongwen-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(werr)?;
    tmp.write_all(bytes).map_err(werr)?;
    tmp.persist(path).map_err(|e| werr(e.error))?;
    Ok(())
}

/// Whether the folder entry `entry` is `stem` with one of `exts` (汇总表.pdf,
/// 汇总表.xlsx …): a product that a run owns and replaces as a whole.
pub fn is_product(entry: &str, stem: &str, exts: &[&str]) -> bool {
    entry
        .strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|ext| exts.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new content").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new content");
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
