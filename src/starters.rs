//! `gongwen new`: a starting content folder for each kind of 公文 an office
//! writes, in the format the standard gives it (文件, 信函, 命令, 纪要), with
//! every key explained in Chinese. Each one builds as written.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The kinds, in the order `gongwen new` lists them, with their starter.
pub const KINDS: &[(&str, &str)] = &[
    ("通知", include_str!("../templates/new/通知.yaml")),
    ("请示", include_str!("../templates/new/请示.yaml")),
    ("报告", include_str!("../templates/new/报告.yaml")),
    ("函", include_str!("../templates/new/函.yaml")),
    ("复函", include_str!("../templates/new/复函.yaml")),
    ("批复", include_str!("../templates/new/批复.yaml")),
    ("令", include_str!("../templates/new/令.yaml")),
    ("纪要", include_str!("../templates/new/纪要.yaml")),
    ("意见", include_str!("../templates/new/意见.yaml")),
    ("办法", include_str!("../templates/new/办法.yaml")),
];

/// The kinds' names, for messages.
pub fn names() -> String {
    KINDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join("、")
}

/// The starter of `kind`, if it is one.
pub fn starter(kind: &str) -> Option<&'static str> {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
}

/// Writes `dir/公文.yaml` for `kind`, creating `dir`. An existing 公文.yaml
/// is never overwritten.
pub fn write(kind: &str, dir: &Path) -> Result<PathBuf, Error> {
    let text = starter(kind)
        .ok_or_else(|| Error::Usage(format!("没有“{kind}”这一文种，可选：{}", names())))?;
    let file = dir.join("公文.yaml");
    // `symlink_metadata`: a dangling link named 公文.yaml exists too (and
    // writing through it would create a file wherever it points).
    if file.symlink_metadata().is_ok() {
        return Err(Error::Usage(format!(
            "{} 已经存在，不会覆盖；请换一个文件夹",
            file.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    // create_new: never through a link or over a file made meanwhile.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
    Ok(file)
}
