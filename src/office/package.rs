//! Zip packages (.xlsx, .ods, .docx) opened bounded: their parts' declared
//! sizes are summed before anything is inflated, so a zip bomb is refused
//! unread.

use std::io::Cursor;

/// The first bytes of a compound file (.xls, .doc, and what WPS saves as
/// .et, or an encrypted Office file).
pub const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The names of the parts of the zip `bytes`, refusing one that is not a
/// zip or would unpack to more than `max` bytes; `what` names the kind of
/// file in the message (表格, Word 文档).
pub fn parts(bytes: &[u8], what: &str, max: u64) -> Result<Vec<String>, String> {
    let broken = || format!("不是有效的{what}文件（无法作为 zip 打开）；文件可能已损坏");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let mut unpacked: u64 = 0;
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| broken())?;
        unpacked = unpacked.saturating_add(part.size());
        names.push(part.name().unwrap_or_default().to_string());
    }
    if unpacked > max {
        return Err(format!(
            "解压后有 {} MB，超过 {} MB 上限，不像是一份{what}",
            unpacked / 1048576,
            max / 1048576
        ));
    }
    Ok(names)
}

/// The part `name` of the zip `bytes`, read to at most `max` bytes.
pub fn part(bytes: &[u8], name: &str, max: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    zip.by_name(name)
        .ok()?
        .take(max)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}
