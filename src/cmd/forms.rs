//! `gongwen forms`: the statistics form for every reporting unit, as PDF
//! (and Excel with `--xlsx`), plus all forms in one PDF for printing.

use std::path::{Path, PathBuf};

use crate::content::Project;
use crate::error::{Error, Result};
use crate::forms::{load_units, Form, Unit, UNITS_FILE};
use crate::render::Renderer;
use crate::{output, Engine};

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

/// Compiles attachment pages and exports them as PDF bytes.
pub fn pages_pdf(
    engine: &Engine,
    renderer: &Renderer,
    project: &Project,
    ident: &str,
    pages: &[crate::render::AttachmentView],
    numbered: bool,
) -> Result<Vec<u8>> {
    let title = pages
        .first()
        .map(|p| p.title.concat().concat())
        .unwrap_or_default();
    let rendered = renderer.pages(&title, pages, numbered)?;
    let (doc, _) = engine.compile(&project.root, &rendered, project.notice.date)?;
    output::pdf(&doc, ident, project.notice.date)
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
    let written = std::sync::Mutex::new(Vec::new());
    report.failures = super::batch::run(
        &units,
        "填报表",
        |u| u.name.clone(),
        |unit| {
            printable(engine, unit)?;
            let view = form.view(Some(unit), date, &[]);
            let ident = format!("{}:form:{}", project.name, unit.id);
            let pdf = pages_pdf(engine, &renderer, &project, &ident, &[view], false)?;
            let path = dir.join(format!("{}.pdf", unit.file_stem()));
            output::write_atomic(&path, &pdf)?;
            let mut files = vec![path];
            if opts.xlsx {
                let path = dir.join(format!("{}.xlsx", unit.file_stem()));
                output::write_atomic(
                    &path,
                    &output::xlsx::form_workbook(&form, unit, project.notice.date, &[], date)?,
                )?;
                files.push(path);
            }
            written.lock().expect("not poisoned").extend(files);
            Ok(())
        },
    );
    report.written = written.into_inner().expect("not poisoned");
    report.written.sort();
    // All units in list order, one form after another, for printing; a very
    // long list goes into volumes so that no single document holds thousands
    // of pages in memory at once.
    let printable_units: Vec<Unit> = units
        .iter()
        .filter(|u| printable(engine, u).is_ok())
        .cloned()
        .collect();
    let volumes: Vec<&[Unit]> = printable_units.chunks(VOLUME).collect();
    for (i, part) in volumes.iter().enumerate() {
        let views: Vec<_> = part.iter().map(|u| form.view(Some(u), date, &[])).collect();
        let ident = format!("{}:forms:{i}", project.name);
        let pdf = pages_pdf(engine, &renderer, &project, &ident, &views, false);
        crate::evict_cache();
        let name = if volumes.len() == 1 {
            "填报表-全部.pdf".to_string()
        } else {
            format!("填报表-全部-{:03}.pdf", i + 1)
        };
        let path = out_dir.join(name);
        output::write_atomic(&path, &pdf?)?;
        report.written.push(path);
    }
    Ok(report)
}
