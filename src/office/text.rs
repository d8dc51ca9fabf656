//! Text files as offices save them: UTF-8 with or without a BOM (Notepad,
//! WPS), UTF-16 with a BOM, and GBK/GB18030 (every CSV that Excel saves on
//! Chinese Windows) are all read; anything else is refused with a message
//! that says how to save the file as UTF-8. Files are size-checked before
//! they are read.

use std::path::Path;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::error::{Error, Located, Result};

/// The largest text file gongwen reads: a notice, style, units list or CSV
/// return is a few hundred kilobytes at most.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// An error about a whole file.
pub(crate) fn file_error(path: &Path, message: String) -> Error {
    Error::Content(Located {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        field: String::new(),
        message,
    })
}

/// Refuses a file larger than `max` bytes, or not a regular file, before
/// reading it.
pub(crate) fn check_size(path: &Path, max: u64) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // A FIFO or device would block the read forever, or never end.
    if !meta.is_file() {
        return Err(file_error(
            path,
            "不是普通文件（可能是文件夹、管道或设备），无法读取".into(),
        ));
    }
    if meta.len() > max {
        return Err(file_error(
            path,
            format!(
                "文件过大（{:.1} MB），上限 {} MB",
                meta.len() as f64 / 1048576.0,
                max / 1048576
            ),
        ));
    }
    Ok(())
}

/// Reads a text file in any of the encodings offices use.
pub fn read_text(path: &Path) -> Result<String> {
    check_size(path, MAX_TEXT_BYTES)?;
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes).map_err(|message| file_error(path, message))
}

/// The text of `bytes`: BOM first, then UTF-8, then GB18030 (a superset of
/// GBK and GB2312).
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .map_err(|_| "文件开头标明是 UTF-8，内容却不是 UTF-8；请重新“另存为”UTF-8".into());
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|t| t.into_owned())
                .ok_or_else(|| format!("文件是 {name} 编码但内容有误；请“另存为”UTF-8"));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    // Text pasted from a UTF-8 file into a GBK one: the UTF-8 lines would
    // decode as GBK into nonsense. A line of Chinese that is valid UTF-8 is
    // almost never GBK, so such a line among GBK lines is named.
    let mut utf8_line = None;
    let mut other = false;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => {
                utf8_line.get_or_insert(i + 1);
            }
            Err(_) => other = true,
        }
    }
    if let (Some(line), true) = (utf8_line, other) {
        return Err(format!(
            "文件混用了两种编码：第 {line} 行是 UTF-8，其他行是 GBK；多半是从别的文件粘贴进来的。\
             请用记事本打开，“另存为”时编码选 UTF-8，再把第 {line} 行重新粘贴一次"
        ));
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
        .ok_or_else(|| {
            "文件既不是 UTF-8 也不是 GBK/GB18030 编码，无法识别；请用记事本或 WPS 打开，\
             “另存为”时编码选 UTF-8"
                .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_encodings_are_read() {
        let text = "标题: 关于印发《方案》的通知";
        let (gbk, _, _) = GB18030.encode(text);
        assert_eq!(decode(&gbk).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), text);
        // A UTF-8 paste into a GBK file: refused at its line.
        let mut mixed = gbk.to_vec();
        mixed.extend_from_slice("\n主送机关: 各区人民政府：".as_bytes());
        assert!(decode(&mixed).unwrap_err().contains("第 2 行是 UTF-8"));
        // Bytes no encoding reads: refused, saying how to fix it.
        assert!(decode(&[0x81, 0x20, 0xFF]).unwrap_err().contains("UTF-8"));
    }
}
