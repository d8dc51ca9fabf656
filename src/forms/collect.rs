//! Reading the returns back (`gongwen fill`): each unit's filled form, the
//! 汇总表 (PDF and CSV), and a validation report of everything left out.

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::Staging;
use crate::render::Renderer;
use crate::typeset::Engine;

use super::returns::{self, Problem};
use super::summary::Summary;
use super::{load, today, Options, Unit, UnitForms};
use crate::output::typeset_pages;

/// What `fill` writes: the filled forms' folder, the 汇总表, the report.
/// The 汇总表 is written as .pdf, .csv, .xlsx and .ofd.
const FILLED_DIR: &str = "已填报";
const SUMMARY: &str = "汇总表";
const REPORT: &str = "校验报告.txt";
/// Every value in long form.
const DETAIL: &str = "汇总明细.csv";
const REMINDERS: &str = "催报名单.txt";

/// The 汇总表 file with the extension `ext`.
fn summary_file(ext: &str) -> String {
    format!("{SUMMARY}.{ext}")
}

/// What a fill run produced and found.
#[derive(Debug)]
pub struct CollectReport {
    pub out: crate::output::Written,
    pub problems: Vec<Problem>,
    pub summary: Summary,
    /// Units whose filled form could not be made, with why.
    pub failures: Vec<(String, Error)>,
    /// The 汇总表's laid-out pages (none when it could not be typeset): the
    /// workspace shows them.
    pub summary_pages: Option<typst_layout::PagedDocument>,
}

impl CollectReport {
    /// The validation report as text, one finding a line, errors first.
    pub fn text(&self) -> String {
        let mut lines = vec![format!(
            "报送 {} 个单位，应报 {} 个；问题 {} 项。",
            self.summary.reported(),
            self.summary.expected,
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
    opts: &Options,
) -> Result<CollectReport> {
    crate::office::files::require(data)?;
    let (project, form, units) = load(engine, content, opts.units.as_deref())?;
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
        beside: opts.beside,
    };
    let filled: Vec<(&Unit, &returns::Return)> = accepted
        .iter()
        .filter_map(|r| Some((units.iter().find(|u| u.id == r.unit)?, r)))
        .collect();
    let failures = jobs.run(
        &filled,
        opts.progress.unwrap_or(&()),
        |unit, ret| {
            let view = form.view(
                Some(unit),
                ret.date.as_deref(),
                &ret.fields,
                &ret.values,
                &ret.rejected,
            );
            Ok((view, None))
        },
        |_| Ok(()),
    )?;

    let summary = Summary::new(&form, &units, &accepted, &problems);
    // A 台账's 汇总 lists the units' entries rather than their cells.
    let listed = match form.ledger {
        Some(_) => summary.ledger(&form),
        None => summary.clone(),
    };
    let date = opts.date.clone().unwrap_or_else(today);
    let views = listed.views(&form, &date, project.style.summary_size_pt);
    let ident = format!("{}:summary", project.name);
    let pdf = typeset_pages(engine, &renderer, &project, &ident, &views, true);
    crate::typeset::evict_cache();
    // A 汇总表 that cannot be typeset (too wide even at its smallest size)
    // is reported like a unit that failed: the 校验报告, the 催报名单, the
    // CSV and the workbook are written all the same.
    let mut failures = failures;
    let mut summary_pages = None;
    match pdf {
        Ok((pdf, doc)) => {
            staging.write(&summary_file("pdf"), &pdf)?;
            let title = format!("{}（汇总）", form.attachment.title);
            for (ext, bytes) in opts
                .beside
                .files(&project, &doc, &views, &title, true, &[])?
            {
                staging.write(&summary_file(ext), &bytes)?;
            }
            summary_pages = Some(doc);
        }
        Err(e) => failures.push((summary_file("pdf"), e)),
    }
    staging.write(&summary_file("csv"), &listed.csv())?;
    staging.write(DETAIL, &summary.long_csv(&form))?;
    let title = format!("{}（汇总）", form.attachment.display_name());
    let book =
        super::workbook::summary_workbook(&form, &listed, &title, &date, project.notice.date)?;
    staging.write(&summary_file("xlsx"), &book)?;
    let mut report = CollectReport {
        out: Default::default(),
        problems,
        summary,
        failures,
        summary_pages,
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
    report.out = staging.place(|entry| {
        [FILLED_DIR, REPORT, REMINDERS, DETAIL].contains(&entry)
            || crate::files::is_product(entry, SUMMARY, &["pdf", "csv", "xlsx", "ofd", "docx"])
    })?;
    Ok(report)
}
