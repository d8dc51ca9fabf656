//! Stage 4 — output: PDF (deterministic), PNG pages, the generated Typst
//! source; every file written atomically so a failed run never destroys the
//! previous good output.

use std::io::Write;
use std::path::Path;

use typst::foundations::{Datetime, Smart};
use typst::model::DocumentInfo;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, Timestamp};

use crate::content::Date;
use crate::error::{Error, Result};

/// Exports a PDF. The creation date is the 成文日期 and the document
/// identifier is derived from `ident`, so two builds are byte-identical.
pub fn pdf(doc: &PagedDocument, ident: &str, date: Date) -> Result<Vec<u8>> {
    export(doc, ident, date, true)
}

/// Exports pages laid out for other documents as one print file (the forms
/// of all units). Untagged: each page's accessibility tags belong to its own
/// document, and a file made for the printer needs none.
pub fn print_pdf(pages: Vec<Page>, info: DocumentInfo, ident: &str, date: Date) -> Result<Vec<u8>> {
    let doc = PagedDocument::new(pages.into_iter().collect(), info);
    export(&doc, ident, date, false)
}

fn export(doc: &PagedDocument, ident: &str, date: Date, tagged: bool) -> Result<Vec<u8>> {
    let stamp = Datetime::from_ymd_hms(
        chrono::Datelike::year(&date.0),
        chrono::Datelike::month(&date.0) as u8,
        chrono::Datelike::day(&date.0) as u8,
        0,
        0,
        0,
    )
    .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(format!("gongwen:{ident}")),
        creator: Smart::Custom(Some("gongwen".into())),
        timestamp: stamp,
        tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| format!("  {}", e.message)).collect();
        Error::Typeset(format!("PDF 导出失败：\n{}", msgs.join("\n")))
    })
}

/// One PNG per page at `dpi`.
pub fn png_pages(doc: &PagedDocument, dpi: f32) -> Result<Vec<Vec<u8>>> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new((dpi / 72.0) as f64),
        render_bleed: false,
    };
    doc.pages()
        .iter()
        .map(|page| {
            typst_render::render(page, &options)
                .encode_png()
                .map_err(|e| Error::Other(format!("PNG 编码失败：{e}")))
        })
        .collect()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a
/// rename, so readers see either the old file or the complete new one, and
/// an error or an interruption never leaves a half-written file. There is no
/// fsync: it would cost as much as typesetting a whole form, and the rename
/// already protects against everything short of a power cut.
/// New files get the usual permissions (0666 less the umask), not the
/// temporary file's private 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_by_others_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // SAFETY: umask only reads and restores the process's file mask.
        let umask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        } as u32;
        assert_eq!(mode, 0o666 & !umask, "{mode:o}");
    }
}
pub mod xlsx;
