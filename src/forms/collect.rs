//! Reading the returns back (`gongwen fill`): each unit's filled form, the
//! 汇总表 (PDF and CSV), and a validation report of everything left out.

use std::path::{Path, PathBuf};

use crate::batch::{self, Progress};
use crate::error::{Error, Result};
use crate::output::{self, Staging};
use crate::render::Renderer;
use crate::typeset::Engine;

use super::returns::{self, Problem};
use super::summary::Summary;
use super::{load, today, Unit, UnitForms};
use crate::output::typeset_pages;

/// What `fill` writes: the filled forms' folder, the 汇总表, the report.
const FILLED_DIR: &str = "已填报";
const SUMMARY_PDF: &str = "汇总表.pdf";
const SUMMARY_CSV: &str = "汇总表.csv";
const REPORT: &str = "校验报告.txt";
const REMINDERS: &str = "催报名单.txt";
const SUMMARY_XLSX: &str = "汇总表.xlsx";
const SUMMARY_OFD: &str = "汇总表.ofd";

/// Options of `gongwen fill`.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    pub units: Option<PathBuf>,
    /// The 汇总日期 (default: today).
    pub date: Option<String>,
    /// Also write the filled forms and the 汇总表 as OFD (GB/T 33190).
    pub ofd: bool,
}

/// What a fill run produced and found.
#[derive(Debug)]
pub struct CollectReport {
    /// The document's folder everything went to.
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
    pub problems: Vec<Problem>,
    pub summary: Summary,
    /// Units whose filled form could not be made, with why.
    pub failures: Vec<(String, Error)>,
}

impl CollectReport {
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

/// The 催报名单: the units that have not reported, with who to call, and a
/// reminder to send them.
fn reminders(units: &[Unit], problems: &[Problem], form: &str, notice: &str, date: &str) -> String {
    let of = |want: fn(&Problem) -> Option<&String>| -> Vec<&Unit> {
        problems
            .iter()
            .filter_map(want)
            .filter_map(|id| units.iter().find(|u| &u.id == id))
            .collect()
    };
    let missing = of(|p| match p {
        Problem::Missing { unit, .. } => Some(unit),
        _ => None,
    });
    let resend = of(|p| match p {
        Problem::Received { unit, .. } => Some(unit),
        _ => None,
    });
    // Units whose file arrived but cannot be read are not chased: they are
    // asked to send it again.
    let resend_note = if resend.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = resend.iter().map(|u| u.name.as_str()).collect();
        format!(
            "\n需重报（已收到，但文件无法读取，见校验报告）：{}\n",
            names.join("、")
        )
    };
    if missing.is_empty() {
        return format!(
            "催报名单（截至{date}）\n\n全部 {} 个单位均已报送。\n{resend_note}",
            units.len()
        );
    }
    let mut out = format!(
        "催报名单（截至{date}，{} 个单位中 {} 个未报送）\n\n",
        units.len(),
        missing.len()
    );
    for (i, u) in missing.iter().enumerate() {
        out.push_str(&format!("{}. {}（编号 {}）", i + 1, u.name, u.id));
        if let Some(c) = &u.contact {
            out.push_str(&format!("　联系人：{c}"));
        }
        if let Some(p) = &u.phone {
            out.push_str(&format!("　电话：{p}"));
        }
        out.push('\n');
    }
    let names: Vec<&str> = missing.iter().map(|u| u.name.as_str()).collect();
    out.push_str(&format!(
        "\n催报通知（可直接发送）：\n{}：\n　　截至{date}，尚未收到贵单位报送的《{form}》（《{notice}》附件）。请抓紧填报，尽快报送。\n",
        names.join("、")
    ));
    out.push_str(&resend_note);
    out
}

/// Reads the returns under `data` for the form of `content`, and writes the
/// filled forms to `out_dir/<document>/已填报/`, the 汇总表, the 校验报告 and
/// the 催报名单 to `out_dir/<document>/`: the returns of two notices never mix.
pub fn collect(
    engine: &Engine,
    content: &Path,
    data: &Path,
    out_dir: &Path,
    opts: &CollectOptions,
    progress: &dyn Progress,
) -> Result<CollectReport> {
    let (project, form, units) = load(engine, content, opts.units.as_deref())?;
    crate::office::files::require(data)?;
    let (accepted, problems) = returns::read_checked(data, &form, &units, &|text| {
        engine.unprintable(text).first().copied()
    });
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style))?;
    // Staged, and put in place together: a failed run leaves the previous
    // 汇总表, report and filled forms as they were, never half replaced.
    let staging = Staging::new(&out_dir.join(&project.name))?;
    let dir = staging.path(FILLED_DIR);
    let jobs = UnitForms {
        engine,
        renderer: &renderer,
        project: &project,
        form: &form,
        kind: "filled",
        dir: &dir,
        ofd: opts.ofd,
    };
    let failures = batch::run(
        &accepted,
        "已填报",
        progress,
        |r| r.unit.clone(),
        |ret| {
            let unit = units
                .iter()
                .find(|u| u.id == ret.unit)
                .expect("accepted returns name known units");
            let view = form.view(
                Some(unit),
                ret.date.as_deref(),
                &ret.fields,
                &ret.values,
                &ret.rejected,
            );
            jobs.write(unit, view).map(drop)
        },
        |()| Ok(()),
    )?;

    let summary = Summary::new(&form, &units, &accepted, &problems);
    let date = opts.date.clone().unwrap_or_else(today);
    let view = summary.view(&form, &date, project.style.summary_size_pt);
    let ident = format!("{}:summary", project.name);
    let pdf = typeset_pages(engine, &renderer, &project, &ident, &[view], true);
    crate::typeset::evict_cache();
    // A 汇总表 that cannot be typeset (too wide even at its smallest size)
    // is reported like a unit that failed: the 校验报告, the 催报名单, the
    // CSV and the workbook are written all the same.
    let mut failures = failures;
    match pdf {
        Ok((pdf, doc)) => {
            staging.write(SUMMARY_PDF, &pdf)?;
            if opts.ofd {
                let title = format!("{}（汇总）", form.attachment.title);
                let meta = output::Meta::of(&project, &title);
                staging.write(SUMMARY_OFD, &output::ofd::ofd(&doc, &meta)?)?;
            }
        }
        Err(e) => failures.push((SUMMARY_PDF.to_string(), e)),
    }
    staging.write(SUMMARY_CSV, &summary.csv())?;
    let title = format!("{}（汇总）", form.attachment.display_name());
    let book = super::workbook::summary_workbook(&summary, &title, &date, project.notice.date)?;
    staging.write(SUMMARY_XLSX, &book)?;
    let mut report = CollectReport {
        dir: out_dir.join(&project.name),
        written: Vec::new(),
        problems,
        summary,
        failures,
    };
    staging.write(REPORT, report.text().as_bytes())?;
    let notice = project.notice.title.replace(['\n', '\r'], "");
    let text = reminders(
        &units,
        &report.problems,
        &form.attachment.title,
        &notice,
        &date,
    );
    staging.write(REMINDERS, text.as_bytes())?;
    report.written = staging.commit(|entry| {
        [
            FILLED_DIR,
            SUMMARY_PDF,
            SUMMARY_CSV,
            SUMMARY_XLSX,
            SUMMARY_OFD,
            REPORT,
            REMINDERS,
        ]
        .contains(&entry)
    })?;
    Ok(report)
}
