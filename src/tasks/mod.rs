//! `gongwen tasks`: the 任务分工 of a plan from its 事项 and their 责任部门
//! (who does what by when), a task list per department to fill in, and the
//! 督办汇总 of what the departments report back.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::Path;

mod workbook;

use crate::content::departments::{split_listed, written_responsible};
use crate::content::walk::{walk, Kind, Scope};
use crate::content::{Block, Date, Project};
use crate::error::{Error, Located, Result};
use crate::output::{self, typeset_pages, Staging};
use crate::render::view::{AttachmentView, TableView};
use crate::render::Renderer;
use crate::typeset::Engine;

/// Where a task has no 责任部门.
pub const UNASSIGNED: &str = "未明确";
/// The states a department reports.
pub const STATES: [&str; 3] = ["未开始", "进行中", "已完成"];
/// 任务分工表.pdf and .ofd (the CSV is 任务分工.csv), 督办汇总.pdf and .csv.
const ASSIGNMENT: &str = "任务分工表";
const ASSIGNMENT_CSV: &str = "任务分工.csv";
const LISTS_DIR: &str = "任务清单";
const FOLLOW_UP: &str = "督办汇总";
/// What was not counted, and why (written when anything was not).
const FOLLOW_UP_REPORT: &str = "督办校验报告.txt";

/// One 事项 of the plan: its number, its text and who does it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// 1, 2, 3 … in the order of the plan: the 任务序号 returns name.
    pub number: usize,
    /// The plan's own number of the measure as printed (（三）, 1., 第五条,
    /// 一是).
    pub label: String,
    /// The 任务序号: the plan's number (2, （三）, 第五条) where those tell
    /// the tasks apart, else the order (1, 2, 3). Returns name tasks by it
    /// (or by their order).
    pub key: String,
    /// The lead sentence (工作任务).
    pub title: String,
    /// The rest of the item's text.
    pub detail: Option<String>,
    /// The departments, the lead (牵头) first; empty when none is named.
    pub departments: Vec<String>,
    /// The plan's list ends in 等: more departments take part than it names.
    pub more: bool,
    /// 完成时限: the item's own, or its document's.
    pub deadline: Option<String>,
}

impl Task {
    /// The task's text as a department reads it, with the plan's number.
    pub fn text(&self) -> String {
        match &self.detail {
            Some(d) => format!("{}{d}", self.heading()),
            None => self.heading(),
        }
    }

    /// The title, with the plan's own number when the 任务序号 is not it.
    pub fn heading(&self) -> String {
        if self.key == key_of(&self.label) {
            self.title.clone()
        } else {
            format!("{}{}", self.label, self.title)
        }
    }

    /// The task a return's 任务序号 names: by its key as printed (2, 2.,
    /// （三）), else by its order.
    pub fn named<'a>(tasks: &'a [Task], written: &str) -> Option<&'a Task> {
        let w = key_of(written);
        tasks
            .iter()
            .find(|t| t.key == w)
            .or_else(|| tasks.iter().find(|t| t.number.to_string() == w))
    }

    /// 牵头 for the first department, 配合 for the others.
    pub fn role(&self, department: &str) -> &'static str {
        if self.departments.first().map(String::as_str) == Some(department) {
            "牵头"
        } else {
            "配合"
        }
    }
}

/// Every task of the project's plan, in order, with departments resolved
/// through `部门.yaml` when there is one (groups become their members).
pub fn list(project: &Project) -> Vec<Task> {
    let n = &project.notice;
    let deadline_of = |scope: Scope| -> Option<String> {
        let doc = scope.doc.map(|d| &n.issued[d]);
        let own = match (doc, scope.attachment) {
            (Some(d), Some(a)) => d.attachments[a].deadline.clone(),
            (None, Some(a)) => n.attachments[a].deadline.clone(),
            _ => None,
        };
        own.or_else(|| doc.and_then(|d| d.deadline.clone()))
            .or_else(|| n.deadline.clone())
    };
    let mut out = Vec::new();
    for node in walk(n, &project.style) {
        let Kind::Block { block, number, .. } = node.kind else {
            continue;
        };
        // An 事项 with its 责任部门, or any numbered block whose text ends
        // in "（责任单位：…）" and the like.
        let (title, detail, written, deadline) = match block {
            // An 事项 is a task even without a 责任部门 (then 未明确).
            Block::Item(it) => (
                it.lead.clone(),
                it.text.clone(),
                it.departments.clone().unwrap_or_default(),
                it.deadline.clone(),
            ),
            Block::Heading(h) => {
                let Some((rest, d)) = h.text.as_deref().and_then(written_responsible) else {
                    continue;
                };
                (
                    h.title.clone(),
                    Some(rest).filter(|r| !r.is_empty()),
                    d,
                    None,
                )
            }
            Block::Paragraph(text) | Block::Numbered { text, .. } => {
                let Some((text, d)) = written_responsible(text) else {
                    continue;
                };
                (text, None, d, None)
            }
            Block::Article(clauses) => {
                let Some((last, d)) = clauses.last().and_then(|c| written_responsible(&c.text))
                else {
                    continue;
                };
                let mut text: Vec<String> = clauses[..clauses.len() - 1]
                    .iter()
                    .map(|c| c.text.clone())
                    .collect();
                text.push(last);
                (text.concat(), None, d, None)
            }
            Block::Table(_) | Block::Chapter { .. } | Block::Section { .. } => continue,
        };
        let mut departments = Vec::new();
        let (named, more) = split_listed(&written);
        for name in named {
            let resolved = project
                .departments
                .as_ref()
                .and_then(|d| d.resolve(&name))
                .unwrap_or_else(|| vec![name]);
            for d in resolved {
                if !departments.contains(&d) {
                    departments.push(d);
                }
            }
        }
        out.push(Task {
            number: out.len() + 1,
            key: String::new(),
            label: number,
            title,
            detail,
            departments,
            more,
            deadline: deadline.or_else(|| deadline_of(node.scope)),
        });
    }
    // The plan's own numbers are the 任务序号 when they tell the tasks
    // apart (an 一是 under each heading does not).
    let keys: Vec<String> = out.iter().map(|t| key_of(&t.label)).collect();
    let distinct: BTreeSet<&String> = keys.iter().collect();
    let printed = keys.iter().all(|k| !k.is_empty()) && distinct.len() == keys.len();
    for (t, k) in out.iter_mut().zip(keys) {
        t.key = if printed { k } else { t.number.to_string() };
    }
    out
}

/// A printed number as a 任务序号: without its closing 。、. and spaces,
/// digits half-width (2. → 2, （三） stays).
fn key_of(label: &str) -> String {
    label
        .trim()
        .trim_end_matches(['.', '．', '、', '。'])
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The departments of `tasks` in order of first mention, the tasks without
/// one under 未明确 last.
pub fn departments(tasks: &[Task]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tasks {
        for d in &t.departments {
            if !out.contains(d) {
                out.push(d.clone());
            }
        }
    }
    if tasks.iter().any(|t| t.departments.is_empty()) {
        out.push(UNASSIGNED.to_string());
    }
    out
}

/// What `tasks` wrote.
#[derive(Debug)]
pub struct TasksReport {
    pub out: crate::output::Written,
    pub tasks: Vec<Task>,
}

/// The plan's title: the document issued with the tasks, or the notice.
fn plan_title(project: &Project) -> String {
    let n = &project.notice;
    if let Some(t) = &n.tasks_title {
        return t.clone();
    }
    n.issued
        .iter()
        .find(|d| contains_tasks(&d.body))
        .map(|d| d.title.clone())
        .unwrap_or_else(|| n.title.clone())
        .replace(['\n', '\r'], "")
}

/// Whether `blocks` hold a task: an 事项, or text ending in its units.
fn contains_tasks(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| {
        let text = match b {
            Block::Paragraph(t) | Block::Numbered { text: t, .. } => Some(t.as_str()),
            Block::Heading(h) => h.text.as_deref(),
            _ => None,
        };
        matches!(b, Block::Item(_))
            || text.is_some_and(|t| written_responsible(t).is_some())
            || contains_tasks(b.children())
    })
}

/// A page holding one table (an attachment page of GB/T 9704, set 横排
/// when its columns need it).
fn table_page(
    caption: String,
    unit: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    widths: &[f64],
    notes: Vec<String>,
) -> AttachmentView {
    // A date (2026年10月31日前) and a department's name are never broken:
    // each is a word of its cell, and a run the layout sizes its column by.
    let mut table = TableView::from_rows(header.clone(), rows, Some(widths.to_vec()));
    for (col, h) in header.iter().enumerate() {
        let split = match h.as_str() {
            "完成时限" => false,
            "责任部门" => true,
            _ => continue,
        };
        let mut runs = Vec::new();
        for row in &mut table.rows {
            let Some(cell) = row.cells.get_mut(col) else {
                continue;
            };
            let words = if split {
                names(&cell.text)
            } else {
                vec![cell.text.clone()]
            };
            if words.iter().all(|w| w.chars().count() <= 16) {
                runs.extend(words.iter().cloned());
                cell.words = words;
            }
        }
        if let Some(r) = table.runs.get_mut(col) {
            r.extend(runs);
        }
    }
    AttachmentView {
        label: String::new(),
        title: Vec::new(),
        fill_fields: Vec::new(),
        table: Some(TableView {
            // Text columns read from the left; numbers, roles and dates centred.
            align: widths
                .iter()
                .map(|w| if *w > 3.0 { "left" } else { "center" })
                .collect(),
            caption: Some(caption),
            unit,
            notes,
            ..table
        }),
        body: Vec::new(),
        parts: Default::default(),
        note: None,
        separate: false,
    }
}

/// A list of departments as words that do not break: each name with the
/// mark after it (财政部、 / 人民银行（牵头）).
fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        word.push(c);
        if c == '、' {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A 完成时限 as written, or 未明确.
fn deadline_text(t: &Task) -> String {
    t.deadline.clone().unwrap_or_else(|| UNASSIGNED.to_string())
}

/// A department's file stem: its order and its name, safe on every OS.
fn stem(i: usize, department: &str) -> String {
    output::file_stem(&format!("{:02}", i + 1), department)
}

/// Writes `out_dir/<document>/`: 任务分工表.pdf (序号, 工作任务, 责任部门 with
/// the lead first, 完成时限), 任务分工.csv (one row per task and department)
/// and `任务清单/` with each department's tasks as PDF and as a workbook to
/// report progress in.
pub fn assign(
    engine: &Engine,
    content: &Path,
    out_dir: &Path,
    beside: output::Beside,
) -> Result<TasksReport> {
    let project = crate::pipeline::load_checked(engine, content)?;
    let tasks = list(&project);
    if tasks.is_empty() {
        return Err(Error::Content(Located {
            file: project.source.clone(),
            line: 0,
            column: 0,
            field: String::new(),
            message: "没有任务：方案中要有带“责任部门”的“事项”，或以“（责任单位：…）”结尾的段落、标题或条文".into(),
        }));
    }
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style))?;
    let title = plan_title(&project);
    let staging = Staging::new(&out_dir.join(&project.name))?;

    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|t| {
            let who = if t.departments.is_empty() {
                UNASSIGNED.to_string()
            } else {
                format!(
                    "{}{}",
                    t.departments.join("、"),
                    if t.more { "等" } else { "" }
                )
            };
            vec![t.key.clone(), t.heading(), who, deadline_text(t)]
        })
        .collect();
    let page = table_page(
        format!("{title}任务分工表"),
        None,
        vec![
            "序号".into(),
            "工作任务".into(),
            "责任部门".into(),
            "完成时限".into(),
        ],
        rows,
        &[1.5, 5.0, 6.0, 2.6],
        vec!["责任部门中列在第一位的为牵头部门。".into()],
    );
    let ident = format!("{}:tasks", project.name);
    let pages = [page];
    let (pdf, doc) = typeset_pages(engine, &renderer, &project, &ident, &pages, true)?;
    staging.write(&format!("{ASSIGNMENT}.pdf"), &pdf)?;
    let name = format!("{title}任务分工表");
    for (ext, bytes) in beside.files(&project, &doc, &pages, &name, true, &[])? {
        staging.write(&format!("{ASSIGNMENT}.{ext}"), &bytes)?;
    }

    let mut records = vec![["任务序号", "任务", "责任部门", "牵头", "完成时限"]
        .map(String::from)
        .to_vec()];
    for t in &tasks {
        let who: Vec<String> = if t.departments.is_empty() {
            vec![UNASSIGNED.to_string()]
        } else {
            t.departments.clone()
        };
        for d in who {
            let lead = if t.departments.first() == Some(&d) {
                "是"
            } else {
                "否"
            };
            records.push(vec![
                t.key.clone(),
                t.heading(),
                d,
                lead.to_string(),
                t.deadline.clone().unwrap_or_default(),
            ]);
        }
    }
    staging.write(ASSIGNMENT_CSV, &crate::office::csv::bytes(&records))?;

    let lists = staging.path(LISTS_DIR);
    std::fs::create_dir_all(&lists).map_err(|source| Error::Write {
        path: lists.clone(),
        source,
    })?;
    for (i, d) in departments(&tasks).iter().enumerate() {
        let mine: Vec<&Task> = tasks
            .iter()
            .filter(|t| t.departments.contains(d) || (d == UNASSIGNED && t.departments.is_empty()))
            .collect();
        let rows = mine
            .iter()
            .map(|t| {
                let role = if d == UNASSIGNED { "" } else { t.role(d) };
                vec![t.key.clone(), t.text(), role.to_string(), deadline_text(t)]
            })
            .collect();
        let page = table_page(
            format!("{d}任务清单"),
            Some(title.clone()),
            vec![
                "序号".into(),
                "工作任务".into(),
                "分工".into(),
                "完成时限".into(),
            ],
            rows,
            &[1.2, 10.0, 1.8, 2.6],
            Vec::new(),
        );
        let ident = format!("{}:tasks:{i}", project.name);
        let pages = [page];
        let (pdf, doc) = typeset_pages(engine, &renderer, &project, &ident, &pages, true)?;
        let base = lists.join(stem(i, d));
        crate::output::write_atomic(&base.with_extension("pdf"), &pdf)?;
        let name = format!("{d}任务清单");
        for (ext, bytes) in beside.files(&project, &doc, &pages, &name, true, &[])? {
            crate::output::write_atomic(&base.with_extension(ext), &bytes)?;
        }
        let book = workbook::task_workbook(d, &title, &mine, project.notice.date)?;
        crate::output::write_atomic(&base.with_extension("xlsx"), &book)?;
        // One list's memoized layout is of no use to the next department's:
        // memory stays flat however many departments a group has.
        crate::typeset::evict_cache();
    }
    let out = staging.place(|e| {
        [ASSIGNMENT_CSV, LISTS_DIR].contains(&e)
            || crate::files::is_product(e, ASSIGNMENT, &["pdf", "ofd", "docx"])
    })?;
    Ok(TasksReport { out, tasks })
}

/// One department's report on one task.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub department: String,
    /// The 任务序号 as the department wrote it.
    pub task: String,
    pub state: String,
    pub note: String,
    /// Where it was read (file, and sheet and cell or line).
    pub at: String,
}

/// What `tasks --data` found and wrote.
#[derive(Debug)]
pub struct FollowUpReport {
    pub out: crate::output::Written,
    /// Reports that could not be used, each with its place.
    pub problems: Vec<String>,
    /// (task, department) pairs past their 完成时限 and not 已完成.
    pub overdue: usize,
    /// Progress files that could not be read at all (among `problems`).
    pub unreadable: usize,
}

/// The date a 完成时限 names: a date, or a phrase with 月 and 日 in it
/// (3月22日前), or a part of a month (3月底, 3月上旬 / 中旬 / 下旬), in the
/// year of `year` unless the phrase names one.
pub fn deadline_date(text: &str, year: i32) -> Option<Date> {
    if let Ok(d) = Date::parse(text) {
        return Some(d);
    }
    let digits = |s: &str| -> Option<u32> {
        let n: String = s.chars().rev().take_while(char::is_ascii_digit).collect();
        n.chars().rev().collect::<String>().parse().ok()
    };
    let (before_month, rest) = text.split_once('月')?;
    let month = digits(before_month)?;
    let year = before_month
        .split_once('年')
        .and_then(|(y, _)| digits(y).map(|y| y as i32))
        .unwrap_or(year);
    let last = || {
        let next = if month == 12 {
            chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
            .map(|d| chrono::Datelike::day(&d))
    };
    let day: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let day: u32 = match day.parse() {
        Ok(d) => d,
        Err(_) if rest.starts_with('底') || rest.starts_with("下旬") => last()?,
        Err(_) if rest.starts_with("上旬") => 10,
        Err(_) if rest.starts_with("中旬") => 20,
        Err(_) => return None,
    };
    chrono::NaiveDate::from_ymd_opt(year, month, day).map(Date)
}

/// Reads the progress reports under `data` (a file or a folder of the
/// departments' workbooks, CSV `任务序号,责任部门,状态,说明` or YAML lists of
/// the same keys) and writes 督办汇总.pdf and .csv: every task with each
/// department's state, those past their 完成时限 on `date` marked 逾期.
pub fn follow_up(
    engine: &Engine,
    content: &Path,
    data: &Path,
    out_dir: &Path,
    date: Date,
) -> Result<FollowUpReport> {
    // The same checks as the task lists were made under.
    let project = crate::pipeline::load_checked(engine, content)?;
    let tasks = list(&project);
    crate::office::files::require(data)?;
    let (reports, mut problems) = read_progress(data);
    let unreadable = problems.len();
    // The latest report of a department on a task counts.
    let mut state: BTreeMap<(usize, String), Progress> = BTreeMap::new();
    for mut p in reports {
        // A department may report under the short name 部门.yaml knows it
        // by (消保处 for 市局消费者权益保护处).
        let full = project
            .departments
            .as_ref()
            .and_then(|d| d.resolve(&p.department));
        if let Some([name]) = full.as_deref() {
            p.department = name.clone();
        }
        let task = Task::named(&tasks, &p.task);
        if task.is_some_and(|t| t.departments.is_empty()) {
            problems.push(format!(
                "{}：任务 {} 在计划中没有责任部门，回报未计入；请先在计划中写明责任部门",
                p.at, p.task
            ));
            continue;
        }
        if !task.is_some_and(|t| t.departments.contains(&p.department)) {
            problems.push(format!(
                "{}：任务 {} 没有分给“{}”，未计入",
                p.at, p.task, p.department
            ));
            continue;
        }
        if !STATES.contains(&p.state.as_str()) {
            problems.push(format!(
                "{}：状态“{}”应为 未开始、进行中 或 已完成，未计入",
                p.at, p.state
            ));
            continue;
        }
        let number = task.map_or(0, |t| t.number);
        state.insert((number, p.department.clone()), p);
    }
    let year = chrono::Datelike::year(&project.notice.date.0);
    let (mut overdue, mut done) = (0, 0);
    let mut rows = Vec::new();
    let mut records = vec![[
        "任务序号",
        "任务",
        "责任部门",
        "牵头",
        "完成时限",
        "状态",
        "逾期",
        "说明",
    ]
    .map(String::from)
    .to_vec()];
    for t in &tasks {
        let due = t.deadline.as_deref().and_then(|d| deadline_date(d, year));
        let who: Vec<String> = if t.departments.is_empty() {
            vec![UNASSIGNED.to_string()]
        } else {
            t.departments.clone()
        };
        for d in who {
            let p = state.get(&(t.number, d.clone()));
            let s = p.map_or("未报", |p| p.state.as_str());
            done += usize::from(s == "已完成");
            let late = due.is_some_and(|due| due < date) && s != "已完成";
            overdue += usize::from(late);
            let shown = if late {
                format!("{s}（逾期）")
            } else {
                s.to_string()
            };
            let note = p.map(|p| p.note.clone()).unwrap_or_default();
            rows.push(vec![
                t.key.clone(),
                t.heading(),
                format!("{d}（{}）", if d == UNASSIGNED { "—" } else { t.role(&d) }),
                deadline_text(t),
                shown,
                note.clone(),
            ]);
            records.push(vec![
                t.key.clone(),
                t.heading(),
                d.clone(),
                if t.departments.first() == Some(&d) {
                    "是"
                } else {
                    "否"
                }
                .into(),
                t.deadline.clone().unwrap_or_default(),
                s.to_string(),
                if late { "是" } else { "否" }.into(),
                note,
            ]);
        }
    }
    let title = plan_title(&project);
    let mut notes = vec![format!(
        "共 {} 项任务、{} 个分工；已完成 {done} 个，逾期 {overdue} 个（截至{}）。",
        tasks.len(),
        rows.len(),
        date.chinese()
    )];
    if !problems.is_empty() {
        notes.push(format!(
            "有 {} 处回报未计入，见 {FOLLOW_UP_REPORT}。",
            problems.len()
        ));
    }
    let page = table_page(
        format!("{title}督办汇总"),
        Some(format!("截至日期：{}", date.chinese())),
        ["序号", "工作任务", "责任部门", "完成时限", "状态", "说明"]
            .map(String::from)
            .to_vec(),
        rows,
        &[1.5, 5.0, 4.5, 2.6, 2.6, 4.0],
        notes,
    );
    let renderer = Renderer::new(&project, &engine.resolve_fonts(&project.style))?;
    let ident = format!("{}:follow-up", project.name);
    let (pdf, _) = typeset_pages(engine, &renderer, &project, &ident, &[page], true)?;
    crate::typeset::evict_cache();
    let staging = Staging::new(&out_dir.join(&project.name))?;
    staging.write(&format!("{FOLLOW_UP}.pdf"), &pdf)?;
    staging.write(
        &format!("{FOLLOW_UP}.csv"),
        &crate::office::csv::bytes(&records),
    )?;
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("{p}\n")).collect();
        staging.write(FOLLOW_UP_REPORT, lines.concat().as_bytes())?;
    }
    let out = staging.place(|e| {
        e == FOLLOW_UP_REPORT || crate::files::is_product(e, FOLLOW_UP, &["pdf", "csv"])
    })?;
    Ok(FollowUpReport {
        out,
        problems,
        overdue,
        unreadable,
    })
}

/// Every progress report under `path`, in file-name order, and what could
/// not be read.
fn read_progress(path: &Path) -> (Vec<Progress>, Vec<String>) {
    let ours = [
        format!("{FOLLOW_UP}.pdf"),
        format!("{FOLLOW_UP}.csv"),
        FOLLOW_UP_REPORT.to_string(),
        format!("{ASSIGNMENT}.pdf"),
        ASSIGNMENT_CSV.to_string(),
        format!("{ASSIGNMENT}.ofd"),
    ];
    let ours: Vec<&str> = ours.iter().map(String::as_str).collect();
    let (files, skipped) = crate::office::files::returned(path, &ours, &[]);
    let mut out = Vec::new();
    let mut problems: Vec<String> = skipped
        .into_iter()
        .map(|(f, why)| format!("{}：{why}", f.display()))
        .collect();
    for f in files {
        let ext = crate::office::files::extension(&f);
        let read = match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "et" | "ods" => workbook::read_task_workbook(&f),
            "csv" => read_csv(&f),
            "yaml" | "yml" => read_yaml(&f),
            _ => Err("不接受这种文件；请交回任务清单的 Excel 表，或 CSV、YAML".to_string()),
        };
        match read {
            Ok(list) => out.extend(list),
            Err(why) => problems.push(format!("{}：无法读取：{why}", f.display())),
        }
    }
    (out, problems)
}

fn read_csv(file: &Path) -> std::result::Result<Vec<Progress>, String> {
    let (header, records) = crate::office::csv::read(file)?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("第 1 行缺少“{name}”列"))
    };
    let (task, dept, state) = (col("任务序号")?, col("责任部门")?, col("状态")?);
    let note = header.iter().position(|h| h == "说明");
    let mut out = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let at = format!(
            "{} 第 {} 行",
            file.display(),
            crate::office::csv::line(rec, i)
        );
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        let number = get(task);
        if number.is_empty() {
            return Err(format!("第 {} 行没有任务序号", i + 2));
        }
        out.push(Progress {
            department: get(dept),
            task: number,
            state: get(state),
            note: note.map(get).unwrap_or_default(),
            at,
        });
    }
    Ok(out)
}

fn read_yaml(file: &Path) -> std::result::Result<Vec<Progress>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        #[serde(rename = "任务序号")]
        task: crate::content::scalar::Scalar,
        #[serde(rename = "责任部门")]
        department: String,
        #[serde(rename = "状态")]
        state: String,
        #[serde(rename = "说明", default)]
        note: String,
    }
    let text = crate::content::text::read_text(file).map_err(|e| e.to_string())?;
    let entries: Vec<Entry> = crate::content::decode(file, &text).map_err(|e| e.to_string())?;
    Ok(entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| Progress {
            department: e.department,
            task: e.task.0,
            state: e.state.trim().to_string(),
            note: e.note,
            at: format!("{} 第 {} 份", file.display(), i + 1),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_as_plans_write_them() {
        let d = |s: &str| deadline_date(s, 2019).map(|d| d.chinese());
        assert_eq!(d("2019-03-15").as_deref(), Some("2019年3月15日"));
        assert_eq!(d("3月22日前").as_deref(), Some("2019年3月22日"));
        assert_eq!(d("2020年1月5日之前").as_deref(), Some("2020年1月5日"));
        assert_eq!(d("2月底前").as_deref(), Some("2019年2月28日"));
        assert_eq!(d("3月上旬").as_deref(), Some("2019年3月10日"));
        assert_eq!(d("12月下旬").as_deref(), Some("2019年12月31日"));
        assert_eq!(d("长期坚持"), None);
    }
}
