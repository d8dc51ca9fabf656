//! `gongwen fill`: read the returns, print each unit's filled form, the
//! 汇总表 (PDF and CSV), and a validation report of everything left out.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::forms::returns::{self, Problem};
use crate::forms::summary::Summary;
use crate::render::Renderer;
use crate::{output, Engine};

/// Options of `gongwen fill`.
#[derive(Debug, Clone, Default)]
pub struct FillOptions {
    pub units: Option<PathBuf>,
    /// The 汇总日期 (default: today).
    pub date: Option<String>,
}

/// What a fill run produced and found.
#[derive(Debug)]
pub struct FillReport {
    pub written: Vec<PathBuf>,
    pub problems: Vec<Problem>,
    pub summary: Summary,
    pub failures: Vec<(String, Error)>,
}

impl FillReport {
    /// The validation report as text, one finding a line, errors first.
    pub fn text(&self) -> String {
        let mut lines = vec![format!(
            "报送 {} 个单位，应报 {} 个；问题 {} 项。",
            self.summary.reported(),
            self.summary.rows.len(),
            self.problems.len()
        )];
        let (errors, notes): (Vec<&Problem>, Vec<&Problem>) =
            self.problems.iter().partition(|p| p.is_error());
        lines.extend(errors.iter().map(|p| format!("错误：{p}")));
        lines.extend(notes.iter().map(|p| format!("提示：{p}")));
        lines.extend(self.failures.iter().map(|(n, e)| format!("错误：{n}：{e}")));
        lines.join("\n") + "\n"
    }

    /// Whether anything sent was wrong (missing returns and blanks are not).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error) || !self.failures.is_empty()
    }
}

pub fn run(
    engine: &Engine,
    content: &Path,
    data: &Path,
    out_dir: &Path,
    opts: &FillOptions,
) -> Result<FillReport> {
    let (project, form, units) = super::forms::load(content, opts.units.as_deref())?;
    if !data.exists() {
        return Err(Error::Other(format!("找不到回收的数据 {}", data.display())));
    }
    let (accepted, problems) = returns::read(data, &form, &units);
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style));
    let dir = out_dir.join("已填报");
    let mut written = Vec::new();
    let failures = super::batch::run(
        &accepted,
        "已填报",
        |r| r.unit.clone(),
        |ret| {
            let unit = units
                .iter()
                .find(|u| u.id == ret.unit)
                .expect("accepted returns name known units");
            super::forms::printable(engine, unit)?;
            let view = form.view(Some(unit), ret.date.as_deref(), &ret.values);
            let ident = format!("{}:filled:{}", project.name, unit.id);
            let (pdf, _, _) =
                super::forms::pages_pdf(engine, &renderer, &project, &ident, &[view], false)?;
            let path = dir.join(format!("{}.pdf", unit.file_stem()));
            output::write_atomic(&path, &pdf)?;
            Ok(path)
        },
        |path| {
            written.push(path);
            Ok(())
        },
    )?;
    written.sort();

    let summary = Summary::new(&form, &units, &accepted, &problems);
    let date = opts.date.clone().unwrap_or_else(|| {
        let today = chrono::Local::now().date_naive();
        crate::content::Date(today).chinese()
    });
    let view = summary.view(&form, &date, project.style.summary_size_pt);
    let pdf = super::forms::pages_pdf(
        engine,
        &renderer,
        &project,
        &format!("{}:summary", project.name),
        &[view],
        true,
    );
    crate::evict_cache();
    let files = [
        (out_dir.join("汇总表.pdf"), pdf?.0),
        (out_dir.join("汇总表.csv"), summary.csv()),
    ];
    for (path, bytes) in files {
        output::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    let report = FillReport {
        written,
        problems,
        summary,
        failures,
    };
    let path = out_dir.join("校验报告.txt");
    output::write_atomic(&path, report.text().as_bytes())?;
    let mut report = report;
    report.written.push(path);
    Ok(report)
}
