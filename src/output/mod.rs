//! Stage 4 — output: PDF (deterministic), PNG pages, the generated Typst
//! source, print volumes; every file written atomically so a failed run
//! never destroys the previous good output.

use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst::model::DocumentInfo;
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, Timestamp};

pub mod docx;
pub mod ofd;

pub use crate::files::write_atomic;

use crate::content::Date;
use crate::content::Project;
use crate::error::{Error, Result};
use crate::pipeline::Built;
use crate::render::{AttachmentView, Renderer};
use crate::timings::{self, PDF, PNG, VOLUMES, WRITE};
use crate::typeset::Engine;

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
    /// Word (.docx), from the same view the templates read: for 审签 and
    /// revision.
    Docx,
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
        let meta = Meta::notice(project);
        staging.write(&format!("{name}.ofd"), &ofd::ofd(&built.doc, &meta)?)?;
    }
    if emit.contains(&Emit::Docx) {
        staging.write(&format!("{name}.docx"), &docx::docx(project, &built.doc)?)?;
    }
    staging.commit(|entry| {
        entry == format!("{name}.pdf")
            || entry == format!("{name}.ofd")
            || entry == format!("{name}.docx")
            || entry == format!("{name}.typ")
            || entry == ".gongwen"
            || entry
                .strip_prefix(&format!("{name}-"))
                .and_then(|rest| rest.strip_suffix(".png"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// An SVG (a seal drawn as SVG) as PNG at 600 dpi, for the readers that
/// show raster images only (OFD readers, Word without its SVG extension).
pub(crate) fn svg_png(tree: &resvg::usvg::Tree) -> Result<Vec<u8>> {
    let size = tree.size();
    let scale = 600.0 / 96.0;
    let (w, h) = (
        (size.width() * scale).ceil().max(1.0) as u32,
        (size.height() * scale).ceil().max(1.0) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.min(8000), h.min(8000))
        .ok_or_else(|| Error::Export("印章图片尺寸无效".into()))?;
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Export(format!("无法转换印章图片：{e}")))
}

/// What every PDF and OFD gongwen writes says of itself: its title, the
/// issuing organ(s) as its author, and the document's 成文日期 (forms,
/// filled forms, the 汇总表 and task lists included: they are the issuing
/// organ's papers, whoever fills them in).
pub struct Meta {
    pub title: String,
    pub author: String,
    pub date: Date,
    /// OFD as OFD-A, the archive profile (样式.yaml's OFD标准).
    pub archive: bool,
    /// The 公文's particulars as (name, value): 发文机关, 发文字号, 密级 …,
    /// kept as the OFD's CustomData so an archive files the document
    /// without reading its pages.
    pub particulars: Vec<(&'static str, String)>,
}

impl Meta {
    /// The metadata of a product of `project` titled `title`.
    pub fn of(project: &Project, title: &str) -> Meta {
        let n = &project.notice;
        let author = if n.signature.is_empty() {
            n.mark.organs.join("、")
        } else {
            n.signature.join("、")
        };
        let particulars = vec![("发文机关", author.clone()), ("成文日期", n.date.chinese())];
        Meta {
            title: title.replace(['\n', '\r'], ""),
            author,
            date: n.date,
            archive: project.style.ofd_archive(),
            particulars,
        }
    }

    /// The metadata of the notice itself: `of` with the particulars only the
    /// notice has (发文字号, 份号, 密级 …), those it gives.
    pub fn notice(project: &Project) -> Meta {
        let n = &project.notice;
        let mut meta = Meta::of(project, &n.title);
        let given = [
            ("发文字号", &n.number),
            ("份号", &n.copy_number),
            ("密级", &n.classification),
            ("保密期限", &n.secrecy_term),
            ("紧急程度", &n.urgency),
            ("主送机关", &n.recipients),
        ];
        for (name, value) in given {
            // As typed, less the colon that ends the 主送机关 line.
            let v = value.as_deref().unwrap_or("").trim();
            let v = v.trim_end_matches(['：', ':']);
            if !v.is_empty() {
                meta.particulars.push((name, v.to_string()));
            }
        }
        if !n.signers.is_empty() {
            meta.particulars.push(("签发人", n.signers.join("、")));
        }
        meta
    }
}

/// The formats written beside a product's PDF (`--ofd`, `--docx` of
/// `forms`, `fill` and `tasks`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Beside {
    /// OFD (GB/T 33190).
    pub ofd: bool,
    /// Word (.docx), for revision.
    pub docx: bool,
    /// The OFD as OFD-A whatever the style says (`--ofd-standard ofd-a`).
    pub ofd_archive: bool,
}

impl Beside {
    /// The files beside a product's PDF, (extension, bytes): `doc` the
    /// laid-out `pages` titled `title`, numbered or not; `particulars` (a
    /// form's 填报单位) added to the OFD's metadata. `OFD标准: OFD-A` in the
    /// style asks for the OFD as much as `--ofd-standard` does.
    pub fn files(
        self,
        project: &Project,
        doc: &PagedDocument,
        pages: &[AttachmentView],
        title: &str,
        numbered: bool,
        particulars: &[(&'static str, String)],
    ) -> Result<Vec<(&'static str, Vec<u8>)>> {
        let mut out = Vec::new();
        if self.ofd || project.style.ofd_archive() {
            let mut meta = Meta::of(project, title);
            meta.archive |= self.ofd_archive;
            meta.particulars.extend_from_slice(particulars);
            out.push(("ofd", ofd::ofd(doc, &meta)?));
        }
        if self.docx {
            out.push(("docx", docx::pages(project, doc, pages, numbered)?));
        }
        Ok(out)
    }
}

/// Renders and typesets `pages` (tables of the products: forms, the
/// 汇总表, task lists) in `project`'s style: the PDF (in the project's PDF
/// standard, identified by `ident`) and the laid-out document.
pub fn typeset_pages(
    engine: &Engine,
    renderer: &Renderer,
    project: &Project,
    ident: &str,
    pages: &[AttachmentView],
    numbered: bool,
) -> Result<(Vec<u8>, PagedDocument)> {
    let title = pages
        .first()
        .map(|p| {
            let title = p.title.concat().concat();
            match &p.table {
                Some(t) if title.is_empty() => t.caption.clone().unwrap_or_default(),
                _ => title,
            }
        })
        .unwrap_or_default();
    let rendered = renderer.pages(&title, pages, numbered)?;
    let compiled = engine.compile(&project.root, &rendered, project.notice.date)?;
    let pdf = pdf_standard(
        &compiled.doc,
        ident,
        project.notice.date,
        &project.style.pdf_standard,
    )?;
    Ok((pdf, compiled.doc))
}

/// A file stem that is safe on every OS and unique per `id`: the id, then
/// the name's first 60 characters without the ones file systems refuse.
pub fn file_stem(id: &str, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    format!("{id}-{}", name.trim_end_matches(['.', ' ']))
}

/// A run's outputs, written first into a staging folder inside the output
/// folder and put in place together when the run has succeeded. Dropped
/// without `commit` (an error), it leaves the output folder as it was.
///
/// `commit` is all-or-nothing even when a removal fails (a file open in
/// Excel on Windows, an entry owned by another user) or the process dies
/// half-way: the previous outputs are first moved aside into
/// `<staging>.old`, a marker then says they all are, the new ones are moved
/// in, and only then is the old set deleted. A failure before the marker
/// moves the old set back; after it, the new set back out and the old set
/// in. A run that died leaves its staging folder: the next `Staging::new`
/// in that folder finishes what the marker says (the old set back without
/// it, the new set in with it) and removes the leftovers. A live run is
/// told from a dead one by the lock it holds on its staging folder.
/// What a product run put in place: the document's output folder and every
/// file now in it that the run wrote, sorted.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
}

pub struct Staging {
    out_dir: PathBuf,
    /// Held while the run lives (declared before `dir`: released first).
    _lock: std::fs::File,
    dir: tempfile::TempDir,
}

/// The prefix of staging folders in an output folder.
const RUN_PREFIX: &str = ".gongwen-run-";
/// The lock file inside a staging folder (never an output).
const LOCK: &str = ".gongwen-lock";
/// The marker inside `<staging>.old`: the whole old set is aside.
const ASIDE_DONE: &str = ".gongwen-aside-complete";

impl Staging {
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let werr = |source| Error::Write {
            path: out_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(out_dir).map_err(werr)?;
        recover(out_dir);
        let dir = tempfile::Builder::new()
            .prefix(RUN_PREFIX)
            .tempdir_in(out_dir)
            .map_err(werr)?;
        let lock = std::fs::File::create(dir.path().join(LOCK)).map_err(werr)?;
        // Only this run knows the folder yet: the lock cannot be held.
        let _ = lock.try_lock();
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            _lock: lock,
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

    /// Replaces every entry of the output folder that `owned` claims with
    /// the staged entries, all or nothing, and returns the files now in
    /// place, sorted.
    pub fn commit(self, owned: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
        self.commit_with(owned, &mut |from, to| std::fs::rename(from, to))
    }

    /// `commit`, with the folder: what a product's report says it wrote.
    pub fn place(self, owned: impl Fn(&str) -> bool) -> Result<Written> {
        let dir = self.out_dir.clone();
        let files = self.commit(owned)?;
        Ok(Written { dir, files })
    }

    /// `commit` with the move used for every entry (tests inject failures).
    fn commit_with(
        mut self,
        owned: impl Fn(&str) -> bool,
        mv: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
    ) -> Result<Vec<PathBuf>> {
        let _span = timings::span(WRITE);
        let werr = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        // From here on a crash leaves the folder for the next run to finish.
        self.dir.disable_cleanup(true);
        let staging = self.dir.path().to_path_buf();
        let aside = aside_of(&staging);
        let staged = entries(&staging).map_err(werr(&staging))?;
        let old: Vec<String> = entries(&self.out_dir)
            .map_err(werr(&self.out_dir))?
            .into_iter()
            .filter(|name| !name.starts_with(RUN_PREFIX) && owned(name))
            .collect();
        let out = self.out_dir.clone();
        let result = (|| {
            std::fs::create_dir(&aside).map_err(werr(&aside))?;
            if let Err(e) = move_all(&old, &out, &aside, mv) {
                move_back(&e.1, &aside, &out);
                return Err(werr(&out.join(&e.0))(e.2));
            }
            std::fs::File::create(aside.join(ASIDE_DONE)).map_err(werr(&aside))?;
            if let Err(e) = move_all(&staged, &staging, &out, mv) {
                move_back(&e.1, &out, &staging);
                let _ = std::fs::remove_file(aside.join(ASIDE_DONE));
                move_back(&old, &aside, &out);
                return Err(werr(&out.join(&e.0))(e.2));
            }
            Ok(())
        })();
        // Whatever happened, the folders that held the sets are no longer
        // needed: what is in place is a whole set.
        let _ = std::fs::remove_dir_all(&aside);
        drop(self._lock);
        let _ = std::fs::remove_dir_all(&staging);
        result?;
        let mut placed = Vec::new();
        for name in staged {
            let to = out.join(name);
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

/// `<staging>.old`: where the previous outputs wait during a commit.
fn aside_of(staging: &Path) -> PathBuf {
    let mut name = staging.as_os_str().to_os_string();
    name.push(".old");
    PathBuf::from(name)
}

/// The names in `dir`, the staging lock excepted, sorted.
fn entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != LOCK && name != ASIDE_DONE {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The name that failed, the names moved before it, and why.
type MoveError = (String, Vec<String>, std::io::Error);

/// Moves `names` from `from` to `to`, stopping at the first failure.
fn move_all(
    names: &[String],
    from: &Path,
    to: &Path,
    mv: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
) -> std::result::Result<(), MoveError> {
    for (i, name) in names.iter().enumerate() {
        if let Err(e) = mv(&from.join(name), &to.join(name)) {
            return Err((name.clone(), names[..i].to_vec(), e));
        }
    }
    Ok(())
}

/// Moves `names` from `from` back to `to`, best effort (undoing a move).
fn move_back(names: &[String], from: &Path, to: &Path) {
    for name in names {
        if from.join(name).symlink_metadata().is_ok() && to.join(name).symlink_metadata().is_err() {
            let _ = std::fs::rename(from.join(name), to.join(name));
        }
    }
}

/// Whether `dir` was made in the last minute.
fn recently_made(dir: &Path) -> bool {
    dir.metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < std::time::Duration::from_secs(60))
}

/// Finishes or undoes the commits of runs that died in `out_dir` and
/// removes their folders; folders of live runs (their lock held) are left.
fn recover(out_dir: &Path) {
    let Ok(names) = entries(out_dir) else { return };
    for name in names.iter().filter(|n| n.starts_with(RUN_PREFIX)) {
        let path = out_dir.join(name);
        let (staging, aside) = match name.strip_suffix(".old") {
            Some(base) => (out_dir.join(base), path.clone()),
            None => (path.clone(), aside_of(&path)),
        };
        if name.ends_with(".old") && staging.exists() {
            continue; // handled with its staging folder
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .open(staging.join(LOCK))
        {
            Ok(lock) if lock.try_lock().is_err() => continue, // a live run
            Ok(_) => {}
            // A run that has just made its folder has no lock yet.
            Err(_) if recently_made(&staging) => continue,
            Err(_) => {}
        }
        if aside.exists() {
            let staged = entries(&staging).unwrap_or_default();
            let old = entries(&aside).unwrap_or_default();
            if aside.join(ASIDE_DONE).exists() {
                move_back(&staged, &staging, out_dir);
            } else {
                move_back(&old, &aside, out_dir);
            }
            let _ = std::fs::remove_dir_all(&aside);
        }
        let _ = std::fs::remove_dir_all(&staging);
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
    doc.pages().iter().map(|page| png_page(page, dpi)).collect()
}

/// One page as PNG at `dpi`, compressed for files.
pub fn png_page(page: &typst_layout::Page, dpi: f32) -> Result<Vec<u8>> {
    png_page_as(page, dpi, png::Compression::Balanced)
}

/// One page as PNG at `dpi`, compressed for speed: the workspace draws a
/// page on every edit, and compressing for size took four fifths of that
/// (16 of 20 ms for page 1 at 120 dpi; 3 ms this way, the image 40 % larger
/// on a connection to this machine).
pub fn preview_png_page(page: &typst_layout::Page, dpi: f32) -> Result<Vec<u8>> {
    png_page_as(page, dpi, png::Compression::Fast)
}

/// A page drawn and encoded as 8-bit RGB over white (a page is opaque; the
/// alpha channel would only add a quarter to the image).
fn png_page_as(page: &typst_layout::Page, dpi: f32, level: png::Compression) -> Result<Vec<u8>> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new((dpi / 72.0) as f64),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &options);
    // Premultiplied colour over white: c + (255 − alpha).
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| {
            let white = 255 - p[3];
            [
                p[0].saturating_add(white),
                p[1].saturating_add(white),
                p[2].saturating_add(white),
            ]
        })
        .collect();
    let failed = |e: png::EncodingError| Error::Export(format!("PNG 编码失败：{e}"));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(level);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&rgb).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
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
    /// The PDF standard of the documents themselves (PDF/A: the print file
    /// is archived with them).
    standard: String,
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
        standard: &str,
    ) -> Self {
        Volumes {
            out_dir,
            stem,
            ident: ident.to_string(),
            date,
            per_file: per_file.max(1),
            expected,
            standard: standard.to_string(),
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
        let pdf = export(
            &doc,
            &format!("{}:{i}", self.ident),
            self.date,
            false,
            &self.standard,
        )?;
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

    /// An output folder with yesterday's set (a.pdf, b.pdf, forms/) and a
    /// staged run writing today's (a.pdf, c.pdf, forms/).
    fn two_sets() -> (tempfile::TempDir, Staging) {
        let out = tempfile::tempdir().unwrap();
        for (name, text) in [("a.pdf", "old a"), ("b.pdf", "old b"), ("keep.txt", "mine")] {
            std::fs::write(out.path().join(name), text).unwrap();
        }
        std::fs::create_dir(out.path().join("forms")).unwrap();
        std::fs::write(out.path().join("forms/1.pdf"), "old 1").unwrap();
        let staging = Staging::new(out.path()).unwrap();
        staging.write("a.pdf", b"new a").unwrap();
        staging.write("c.pdf", b"new c").unwrap();
        staging.write("forms/2.pdf", b"new 2").unwrap();
        (out, staging)
    }

    const OWNED: fn(&str) -> bool = |n| n.ends_with(".pdf") || n == "forms";

    /// What the folder holds: every file with its text, sorted.
    fn contents(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    fn set(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn old_set() -> Vec<(String, String)> {
        set(&[
            ("a.pdf", "old a"),
            ("b.pdf", "old b"),
            ("forms/1.pdf", "old 1"),
            ("keep.txt", "mine"),
        ])
    }

    fn new_set() -> Vec<(String, String)> {
        set(&[
            ("a.pdf", "new a"),
            ("c.pdf", "new c"),
            ("forms/2.pdf", "new 2"),
            ("keep.txt", "mine"),
        ])
    }

    #[test]
    fn a_commit_replaces_the_owned_set_and_leaves_nothing_behind() {
        let (out, staging) = two_sets();
        let placed = staging.commit(OWNED).unwrap();
        assert_eq!(placed.len(), 3);
        assert_eq!(contents(out.path()), new_set());
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 4);
    }

    #[test]
    fn a_move_that_fails_at_any_point_leaves_yesterdays_set_whole() {
        // 3 old entries go aside, then 3 new ones come in: fail each move.
        for k in 0..6 {
            let (out, staging) = two_sets();
            let mut n = 0;
            let err = staging
                .commit_with(OWNED, &mut |from, to| {
                    n += 1;
                    if n == k + 1 {
                        return Err(std::io::Error::other("file in use"));
                    }
                    std::fs::rename(from, to)
                })
                .unwrap_err();
            assert!(matches!(err, Error::Write { .. }), "{err}");
            assert_eq!(contents(out.path()), old_set(), "failing move {k}");
            assert_eq!(
                std::fs::read_dir(out.path()).unwrap().count(),
                4,
                "move {k}"
            );
        }
    }

    #[test]
    fn a_run_killed_at_any_point_of_its_commit_is_finished_or_undone_by_the_next() {
        for k in 0..6 {
            let (out, staging) = two_sets();
            let mut n = 0;
            // A panic stands for the process dying: nothing after it runs.
            let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                staging.commit_with(OWNED, &mut |from, to| {
                    n += 1;
                    assert!(n <= k, "killed");
                    std::fs::rename(from, to)
                })
            }));
            assert!(died.is_err());
            let next = Staging::new(out.path()).unwrap();
            drop(next);
            let now = contents(out.path());
            assert!(
                now == old_set() || now == new_set(),
                "killed at move {k}: {now:?}"
            );
            // Moving the old set aside (moves 0–2) is undone; once it is all
            // aside, the new set goes in.
            assert_eq!(now == new_set(), k >= 3, "killed at move {k}");
            assert_eq!(
                std::fs::read_dir(out.path()).unwrap().count(),
                4,
                "move {k}"
            );
        }
    }

    #[test]
    fn a_live_runs_staging_folder_is_left_alone() {
        let (out, staging) = two_sets();
        let other = Staging::new(out.path()).unwrap();
        assert!(
            staging.path("c.pdf").exists(),
            "another run's files survive"
        );
        drop(other);
        staging.commit(OWNED).unwrap();
        assert_eq!(contents(out.path()), new_set());
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
