//! Making the forms (`gongwen forms`): the statistics form for every
//! reporting unit as PDF (and Excel), plus all forms in print volumes.

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::{Staging, Volumes};
use crate::render::Renderer;
use crate::timings::{self, XLSX};
use crate::typeset::Engine;

use super::{load, printable, unit_file, workbook, Options, Unit, UnitForms};

/// Forms per combined print file.
pub const VOLUME: usize = 100;
/// The folder of the units' forms.
const FORMS_DIR: &str = "填报表";
/// The print volumes: 填报表-全部.pdf, or 填报表-全部-001.pdf …
const VOLUME_STEM: &str = "填报表-全部";

/// What a forms run produced.
#[derive(Debug, Default)]
pub struct FormsReport {
    pub out: crate::output::Written,
    /// Units whose form could not be made, with why; the others were written.
    pub failures: Vec<(String, Error)>,
}

/// Writes the form of every unit of `content` to `out_dir/<document>/填报表/`,
/// and all of them, in list order, to print volumes of `VOLUME` forms in
/// `out_dir/<document>/`: the forms of two notices never mix.
pub fn distribute(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    opts: &Options,
) -> Result<FormsReport> {
    let (project, form, units) = load(engine, content, opts.units.as_deref())?;
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style))?;
    // Everything goes to a staging folder first and replaces the previous
    // run's forms and print volumes together at the end.
    let staging = Staging::new(&out_dir.join(&project.name))?;
    let root = staging.path("");
    let dir = staging.path(FORMS_DIR);
    let date = opts.date.as_deref();
    // The pages already laid out for each unit's own file are put together
    // as they are (nothing is typeset twice), a volume at a time, so that
    // memory stays flat however long the list is.
    let printable_units = units
        .iter()
        .filter(|u| printable(engine, u).is_ok())
        .count();
    let mut print = Volumes::new(
        &root,
        VOLUME_STEM,
        &format!("{}:forms", project.name),
        project.notice.date,
        VOLUME,
        printable_units,
        &project.style.pdf_standard,
    );
    let jobs = UnitForms {
        engine,
        renderer: &renderer,
        project: &project,
        form: &form,
        kind: "form",
        dir: &dir,
        beside: opts.beside,
    };
    let with_units: Vec<(&Unit, ())> = units.iter().map(|u| (u, ())).collect();
    let failures = jobs.run(
        &with_units,
        opts.progress.unwrap_or(&()),
        |unit, ()| {
            let view = form.view(
                Some(unit),
                date,
                &Default::default(),
                &[],
                &Default::default(),
            );
            let book = opts.xlsx.then(|| {
                timings::time(XLSX, || {
                    workbook::form_workbook(
                        &form,
                        unit,
                        project.notice.date,
                        &[],
                        date,
                        &Default::default(),
                    )
                })
            });
            Ok((view, book.transpose()?))
        },
        |doc| print.add(doc),
    )?;
    print.finish()?;
    // A run without --xlsx does not take back the workbooks an earlier run
    // wrote (units may already be filling them in): the current units'
    // workbooks are carried over.
    if !opts.xlsx {
        let old = out_dir.join(&project.name).join(FORMS_DIR);
        for unit in &units {
            let book = unit_file(&old, unit, "xlsx");
            if book.is_file() {
                let to = unit_file(&dir, unit, "xlsx");
                std::fs::copy(&book, &to).map_err(|source| Error::Write { path: to, source })?;
            }
        }
    }
    let out = staging.place(|entry| {
        entry == FORMS_DIR
            || entry
                .strip_prefix(VOLUME_STEM)
                .is_some_and(|rest| rest.ends_with(".pdf"))
    })?;
    Ok(FormsReport { out, failures })
}
