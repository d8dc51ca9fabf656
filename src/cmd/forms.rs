//! `gongwen forms`: the statistics form for every reporting unit, as PDF
//! (and Excel with `--xlsx`), plus all forms in one PDF for printing.

use std::path::{Path, PathBuf};

use crate::content::Project;
use crate::error::{Error, Result};
use crate::forms::{load_units, Form, Unit, UNITS_FILE};
use crate::render::Renderer;
use crate::timings::{self, Timings};
use crate::{output, Engine};
use typst::model::DocumentInfo;
use typst_layout::{Page, PagedDocument};

/// Forms per combined print file.
pub const VOLUME: usize = 100;

/// Options of `gongwen forms`.
#[derive(Debug, Clone, Default)]
pub struct FormsOptions {
    /// A units file instead of the content folder's 填报单位.yaml.
    pub units: Option<PathBuf>,
    /// Printed in 填报日期 (blank when absent).
    pub date: Option<String>,
    /// Also write Excel workbooks.
    pub xlsx: bool,
}

/// What a forms run produced.
#[derive(Debug, Default)]
pub struct FormsReport {
    pub written: Vec<PathBuf>,
    pub failures: Vec<(String, Error)>,
    /// Time per stage summed over all forms (CPU time on all threads), and
    /// the print volumes under their own stage.
    pub timings: Timings,
}

/// The project, its form and its units: what `forms` and `fill` both start from.
pub fn load(content: &Path, units: Option<&Path>) -> Result<(Project, Form, Vec<Unit>)> {
    let project = Project::load(content)?;
    let form = Form::find(&project)?;
    let path = units
        .map(Path::to_path_buf)
        .unwrap_or_else(|| project.root.join(UNITS_FILE));
    if !path.is_file() {
        return Err(Error::Other(format!(
            "找不到填报单位名单 {}（或用 --units 指定）",
            path.display()
        )));
    }
    let units = load_units(&path)?;
    Ok((project, form, units))
}

/// Compiles attachment pages and exports them as PDF bytes; also returns
/// the laid-out document, so that its pages can go into a print volume as
/// they are, and the time of each stage.
pub fn pages_pdf(
    engine: &Engine,
    renderer: &Renderer,
    project: &Project,
    ident: &str,
    pages: &[crate::render::AttachmentView],
    numbered: bool,
) -> Result<(Vec<u8>, PagedDocument, Timings)> {
    let mut timings = Timings::default();
    let title = pages
        .first()
        .map(|p| p.title.concat().concat())
        .unwrap_or_default();
    let rendered = timings.time(timings::RENDER, || renderer.pages(&title, pages, numbered))?;
    let compiled = engine.compile(&project.root, &rendered, project.notice.date)?;
    compiled.add_timings(&mut timings);
    let pdf = timings.time(timings::PDF, || {
        output::pdf(&compiled.doc, ident, project.notice.date)
    })?;
    Ok((pdf, compiled.doc, timings))
}

/// A unit's name must print: a character no font has would be a blank box.
pub fn printable(engine: &Engine, unit: &Unit) -> Result<()> {
    match engine.unprintable(&unit.name).first() {
        None => Ok(()),
        Some(c) => Err(Error::Other(format!(
            "单位 {} 的名称中“{c}”（U+{:04X}）没有任何字体能显示；请安装含此字的字体或用 --font-path 指定",
            unit.id, *c as u32
        ))),
    }
}

pub fn run(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    opts: &FormsOptions,
) -> Result<FormsReport> {
    let (project, form, units) = load(content, opts.units.as_deref())?;
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style));
    let dir = out_dir.join("填报表");
    let date = opts.date.as_deref();
    let mut report = FormsReport::default();
    // All forms in list order, one after another, for printing. The pages
    // already laid out for each unit's own file are put together as they are
    // (nothing is typeset twice), a volume at a time, so that memory stays
    // flat however long the list is.
    let printable_units = units
        .iter()
        .filter(|u| printable(engine, u).is_ok())
        .count();
    let mut print = Volumes::new(out_dir, &project, printable_units.div_ceil(VOLUME));
    let mut written = Vec::new();
    report.failures = super::batch::run(
        &units,
        "填报表",
        |u| u.name.clone(),
        |unit| {
            printable(engine, unit)?;
            let view = form.view(Some(unit), date, &[]);
            let ident = format!("{}:form:{}", project.name, unit.id);
            let (pdf, doc, mut timings) =
                pages_pdf(engine, &renderer, &project, &ident, &[view], false)?;
            let path = dir.join(format!("{}.pdf", unit.file_stem()));
            timings.time(timings::WRITE, || output::write_atomic(&path, &pdf))?;
            let mut files = vec![path];
            if opts.xlsx {
                let path = dir.join(format!("{}.xlsx", unit.file_stem()));
                let book = timings.time(timings::XLSX, || {
                    output::xlsx::form_workbook(&form, unit, project.notice.date, &[], date)
                })?;
                timings.time(timings::WRITE, || output::write_atomic(&path, &book))?;
                files.push(path);
            }
            Ok((files, doc, timings))
        },
        |(files, doc, timings)| {
            written.extend(files);
            report.timings.merge(&timings);
            report.timings.time(timings::VOLUMES, || print.add(doc))
        },
    )?;
    written.sort();
    let last = report.timings.time(timings::VOLUMES, || print.finish())?;
    written.extend(last);
    report.written = written;
    Ok(report)
}

/// The combined print files: forms' pages gathered in list order and
/// written `VOLUME` forms to a file.
struct Volumes<'a> {
    out_dir: &'a Path,
    project: &'a Project,
    /// How many files there will be (one is not numbered).
    expected: usize,
    pages: Vec<Page>,
    /// The title and date of the forms, for the print file.
    info: Option<DocumentInfo>,
    forms: usize,
    written: Vec<PathBuf>,
}

impl<'a> Volumes<'a> {
    fn new(out_dir: &'a Path, project: &'a Project, expected: usize) -> Self {
        Volumes {
            out_dir,
            project,
            expected,
            pages: Vec::new(),
            info: None,
            forms: 0,
            written: Vec::new(),
        }
    }

    /// Adds one form's pages, writing a volume when it is full.
    fn add(&mut self, mut doc: PagedDocument) -> Result<()> {
        self.pages.extend(doc.pages().iter().cloned());
        self.info.get_or_insert_with(|| doc.info_mut().clone());
        self.forms += 1;
        if self.forms == VOLUME {
            self.write()?;
        }
        Ok(())
    }

    /// Writes the last, partly filled volume; returns every file written.
    fn finish(mut self) -> Result<Vec<PathBuf>> {
        if self.forms > 0 {
            self.write()?;
        }
        Ok(self.written)
    }

    fn write(&mut self) -> Result<()> {
        let i = self.written.len();
        let name = if self.expected <= 1 && i == 0 {
            "填报表-全部.pdf".to_string()
        } else {
            format!("填报表-全部-{:03}.pdf", i + 1)
        };
        let ident = format!("{}:forms:{i}", self.project.name);
        let pages = std::mem::take(&mut self.pages);
        let info = self.info.clone().unwrap_or_default();
        let pdf = output::print_pdf(pages, info, &ident, self.project.notice.date)?;
        let path = self.out_dir.join(name);
        output::write_atomic(&path, &pdf)?;
        self.written.push(path);
        self.forms = 0;
        Ok(())
    }
}
