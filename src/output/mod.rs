//! Stage 4 — output: PDF (deterministic), PNG pages, the generated Typst
//! source, print volumes; every file written atomically so a failed run
//! never destroys the previous good output.

use std::io::Write;
use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst::model::DocumentInfo;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, Timestamp};

pub mod ofd;

use crate::content::Date;
use crate::error::{Error, Result};
use crate::timings::{self, PDF, PNG, VOLUMES, WRITE};
use crate::{Built, Project};

/// What a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emit {
    /// The PDF.
    Pdf,
    /// The generated Typst source (and the layout library beside it).
    Typ,
    /// One PNG image per page.
    Png,
    /// OFD (GB/T 33190), from the same pages.
    Ofd,
}

/// Writes what `emit` asks for of a built project to `out_dir`: the PDF as
/// `<name>.pdf`, the Typst source as `<name>.typ` (with the layout library in
/// `.gongwen/`), PNG pages as `<name>-N.png`. The files replace the previous
/// build's together (old pages of a longer document included), or, when
/// anything fails, the previous outputs stay as they were. Returns the files
/// written.
pub fn write_build(
    project: &Project,
    built: &Built,
    out_dir: &Path,
    emit: &[Emit],
    dpi: f32,
) -> Result<Vec<PathBuf>> {
    let name = &project.name;
    let staging = Staging::new(out_dir)?;
    if emit.contains(&Emit::Pdf) {
        let standard = &project.style.pdf_standard;
        let pdf = pdf_standard(&built.doc, name, project.notice.date, standard)?;
        staging.write(&format!("{name}.pdf"), &pdf)?;
    }
    if emit.contains(&Emit::Typ) {
        staging.write(&format!("{name}.typ"), built.rendered.main.as_bytes())?;
        staging.write(".gongwen/gongwen.typ", built.rendered.library.as_bytes())?;
    }
    if emit.contains(&Emit::Png) {
        for (i, png) in png_pages(&built.doc, dpi)?.into_iter().enumerate() {
            staging.write(&format!("{name}-{}.png", i + 1), &png)?;
        }
    }
    if emit.contains(&Emit::Ofd) {
        let n = &project.notice;
        let author = if n.signature.is_empty() {
            n.mark.organs.join("、")
        } else {
            n.signature.join("、")
        };
        let meta = ofd::OfdMeta {
            title: &n.title.replace(['\n', '\r'], ""),
            author: &author,
            date: n.date,
        };
        staging.write(&format!("{name}.ofd"), &ofd::ofd(&built.doc, &meta)?)?;
    }
    staging.commit(|entry| {
        entry == format!("{name}.pdf")
            || entry == format!("{name}.ofd")
            || entry == format!("{name}.typ")
            || entry == ".gongwen"
            || entry
                .strip_prefix(&format!("{name}-"))
                .and_then(|rest| rest.strip_suffix(".png"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A run's outputs, written first into a staging folder inside the output
/// folder and put in place together when the run has succeeded: the
/// previous outputs the run owns are removed and the new ones renamed in.
/// Dropped without `commit` (an error), it leaves the output folder as it
/// was.
pub struct Staging {
    out_dir: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let werr = |source| Error::Write {
            path: out_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out_dir).map_err(werr)?;
        let dir = tempfile::Builder::new()
            .prefix(".gongwen-run-")
            .tempdir_in(out_dir)
            .map_err(werr)?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            dir,
        })
    }

    /// Where `rel` is staged (a folder to hand to code that writes files).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Stages `bytes` as `rel` (a path relative to the output folder).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        write_atomic(&self.path(rel), bytes)
    }

    /// Removes every entry of the output folder that `owned` claims, moves
    /// the staged entries in, and returns the files now in place, sorted.
    pub fn commit(self, owned: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
        let _span = timings::span(WRITE);
        let werr = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        let staged: Vec<std::fs::DirEntry> = std::fs::read_dir(self.dir.path())
            .map_err(werr(self.dir.path()))?
            .collect::<std::io::Result<_>>()
            .map_err(werr(self.dir.path()))?;
        for entry in std::fs::read_dir(&self.out_dir).map_err(werr(&self.out_dir))? {
            let entry = entry.map_err(werr(&self.out_dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path() == self.dir.path() || !owned(&name) {
                continue;
            }
            let path = entry.path();
            if entry.file_type().map_err(werr(&path))?.is_dir() {
                std::fs::remove_dir_all(&path).map_err(werr(&path))?;
            } else {
                std::fs::remove_file(&path).map_err(werr(&path))?;
            }
        }
        let mut placed = Vec::new();
        for entry in staged {
            let to = self.out_dir.join(entry.file_name());
            std::fs::rename(entry.path(), &to).map_err(werr(&to))?;
            if to.is_dir() {
                placed.extend(
                    walkdir::WalkDir::new(&to)
                        .into_iter()
                        .filter_map(|e| e.ok())
                        .filter(|e| e.file_type().is_file())
                        .map(|e| e.into_path()),
                );
            } else {
                placed.push(to);
            }
        }
        placed.sort();
        Ok(placed)
    }
}

/// Exports a PDF. The creation date is the 成文日期 and the document
/// identifier is derived from `ident`, so two builds are byte-identical.
pub fn pdf(doc: &PagedDocument, ident: &str, date: Date) -> Result<Vec<u8>> {
    let _span = timings::span(PDF);
    export(doc, ident, date, true, "")
}

/// `pdf` conforming to `standard` (a-2b, a-2u, a-3b: PDF/A for the
/// archive; "" for plain PDF). Typst checks the conformance; what cannot
/// conform (a font that may not be embedded) is an error naming it.
pub fn pdf_standard(
    doc: &PagedDocument,
    ident: &str,
    date: Date,
    standard: &str,
) -> Result<Vec<u8>> {
    let _span = timings::span(PDF);
    export(doc, ident, date, true, standard)
}

fn export(
    doc: &PagedDocument,
    ident: &str,
    date: Date,
    tagged: bool,
    standard: &str,
) -> Result<Vec<u8>> {
    use typst_pdf::{PdfStandard, PdfStandards};
    let list: &[PdfStandard] = match standard {
        "a-2b" => &[PdfStandard::A_2b],
        "a-2u" => &[PdfStandard::A_2u],
        "a-3b" => &[PdfStandard::A_3b],
        _ => &[],
    };
    let standards = PdfStandards::new(list)
        .map_err(|e| Error::Export(format!("PDF 标准 {standard} 无法使用：{}", e.message())))?;
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
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| format!("  {}", e.message)).collect();
        Error::Export(format!("PDF 导出失败：\n{}", msgs.join("\n")))
    })
}

/// One PNG per page at `dpi`.
pub fn png_pages(doc: &PagedDocument, dpi: f32) -> Result<Vec<Vec<u8>>> {
    let _span = timings::span(PNG);
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new((dpi / 72.0) as f64),
        render_bleed: false,
    };
    doc.pages()
        .iter()
        .map(|page| {
            typst_render::render(page, &options)
                .encode_png()
                .map_err(|e| Error::Export(format!("PNG 编码失败：{e}")))
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

/// Pages laid out for other documents (the forms of all units) gathered in
/// order into print files of `per_file` documents each: `<stem>.pdf` when
/// one file holds them all, `<stem>-001.pdf` … otherwise. The files are
/// untagged: each page's accessibility tags belong to its own document, and
/// a file made for the printer needs none.
pub struct Volumes<'a> {
    out_dir: &'a Path,
    stem: &'a str,
    ident: String,
    date: Date,
    per_file: usize,
    /// How many documents there will be, to know whether to number files.
    expected: usize,
    pages: Vec<Page>,
    info: Option<DocumentInfo>,
    documents: usize,
    written: Vec<PathBuf>,
}

impl<'a> Volumes<'a> {
    pub fn new(
        out_dir: &'a Path,
        stem: &'a str,
        ident: &str,
        date: Date,
        per_file: usize,
        expected: usize,
    ) -> Self {
        Volumes {
            out_dir,
            stem,
            ident: ident.to_string(),
            date,
            per_file: per_file.max(1),
            expected,
            pages: Vec::new(),
            info: None,
            documents: 0,
            written: Vec::new(),
        }
    }

    /// Adds one document's pages, writing a file when it is full.
    pub fn add(&mut self, mut doc: PagedDocument) -> Result<()> {
        self.pages.extend(doc.pages().iter().cloned());
        self.info.get_or_insert_with(|| doc.info_mut().clone());
        self.documents += 1;
        if self.documents == self.per_file {
            self.write()?;
        }
        Ok(())
    }

    /// Writes the last, partly filled file; returns every file written.
    pub fn finish(mut self) -> Result<Vec<PathBuf>> {
        if self.documents > 0 {
            self.write()?;
        }
        Ok(self.written)
    }

    fn write(&mut self) -> Result<()> {
        let _span = timings::span(VOLUMES);
        let i = self.written.len();
        let name = if self.expected <= self.per_file && i == 0 {
            format!("{}.pdf", self.stem)
        } else {
            format!("{}-{:03}.pdf", self.stem, i + 1)
        };
        let pages = std::mem::take(&mut self.pages);
        let info = self.info.clone().unwrap_or_default();
        let doc = PagedDocument::new(pages.into_iter().collect(), info);
        let pdf = export(&doc, &format!("{}:{i}", self.ident), self.date, false, "")?;
        let path = self.out_dir.join(name);
        write_atomic(&path, &pdf)?;
        self.written.push(path);
        self.documents = 0;
        Ok(())
    }
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

    #[cfg(target_os = "linux")]
    #[test]
    fn written_files_are_readable_by_others_like_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // The process's mask, read without changing it (setting it to read
        // it would race with other tests creating files meanwhile).
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
            .expect("Linux reports the umask");
        assert_eq!(mode, 0o666 & !umask, "{mode:o}");
    }
}
