//! The folders returns arrive in, as people fill them: subfolders per unit,
//! Office's lock files, system files, links and folders that cannot be
//! opened.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// The files under `path` that may be returns, in file-name order: `path`
/// itself when it is a file; in a folder, everything but hidden files,
/// Office's lock files (~$…), system files and gongwen's own outputs (named
/// in `outputs` and `output_dirs`, so that `-o` may be the data folder).
/// Also what is there but cannot be read as a file, with why: a folder that
/// cannot be opened, a link (never followed out of the folder), a pipe. A
/// unit whose return is among them must not look as if it sent nothing.
pub fn returned(
    path: &Path,
    outputs: &[&str],
    output_dirs: &[&str],
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    if !path.is_dir() {
        return (vec![path.to_path_buf()], Vec::new());
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walk = WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with(['.', '~'])
                    || outputs.contains(&name.as_ref())
                    || e.file_type().is_dir() && output_dirs.contains(&name.as_ref())
                    || matches!(name.as_ref(), "Thumbs.db" | "desktop.ini" | ".DS_Store"))
        });
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if e.file_type().is_symlink() => skipped.push((
                e.into_path(),
                "是一个链接（快捷方式），未读取；请把文件本身放进这个文件夹".to_string(),
            )),
            Ok(e) => skipped.push((e.into_path(), "不是普通文件，未读取".to_string())),
            Err(e) => skipped.push((
                e.path().unwrap_or(path).to_path_buf(),
                format!(
                    "无法打开{}，其中的文件未读取",
                    if e.io_error()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
                    {
                        "（没有权限）"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }
    files.sort();
    (files, skipped)
}

/// Returns are read from `data`: a file or folder that must exist.
pub fn require(data: &Path) -> crate::error::Result<()> {
    if data.exists() {
        return Ok(());
    }
    Err(crate::error::Error::Content(crate::error::Located {
        file: data.to_path_buf(),
        line: 0,
        column: 0,
        field: String::new(),
        message: "找不到回收的文件或文件夹".into(),
    }))
}

/// A file's extension in lower case ("" without one): what a returned file
/// is read as (WPS and Windows keep .XLSX and .Xls as people typed them).
pub fn extension(file: &Path) -> String {
    file.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}
