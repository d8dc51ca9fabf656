//! Statistics forms: the reporting units, the form (the attachment whose
//! 填报栏 names a 填报单位), returns read back from units, and the 汇总.
//!
//! It knows units, forms and numbers; `distribute` makes the forms and
//! `collect` reads the returns back and sums them, both handing views to the
//! render stage like any document. `workbook` is the one place that knows
//! the Excel layout, for writing and for reading.

mod collect;
mod distribute;
pub mod returns;
pub mod summary;
pub(crate) mod workbook;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::batch;
use crate::content::columns::ColumnKind;
use crate::content::table::BodyRow;
use crate::content::walk::{walk, FieldPath, Kind};
use crate::content::{self, Attachment, Date, Project, Row, Table};
use crate::error::{Error, Located, Result};
use crate::output;
use crate::render::{AttachmentView, TableView};
use crate::typeset::Engine;
pub use collect::{collect, CollectReport};
pub use distribute::{distribute, FormsReport, VOLUME};

/// Options of `gongwen forms` and `gongwen fill`.
#[derive(Clone, Default)]
pub struct Options<'a> {
    /// A units file instead of the content folder's 填报单位.yaml.
    pub units: Option<PathBuf>,
    /// The 填报日期 printed on blank forms (left blank when absent), or
    /// the 汇总日期 of the 汇总表 (today when absent).
    pub date: Option<String>,
    /// `forms` only: also write each unit's workbook (`fill` always writes
    /// the 汇总表's).
    pub xlsx: bool,
    /// Also write every PDF as OFD (GB/T 33190).
    pub ofd: bool,
    /// Told of each unit as it is done (the command line's progress bar);
    /// none: the run is silent.
    pub progress: Option<&'a dyn batch::Progress>,
}
pub use workbook::form_workbook;

/// The file listing the reporting units in a content folder.
pub const UNITS_FILE: &str = "填报单位.yaml";
/// The most units a list may hold: enough for any office, and it bounds
/// the 合计 (each value at most `returns::MAX_VALUE`) far inside i64.
pub const MAX_UNITS: usize = 100_000;
/// The 填报栏 field that a unit's name fills.
pub const UNIT_FIELD: &str = "填报单位";
/// The 填报栏 field for the date of a return.
pub const DATE_FIELD: &str = "填报日期";

/// Whether a 填报栏 label is the unit's, as offices write it: 填报单位,
/// 填报单位（盖章）, 填报单位(公章), 报送单位, 单位名称.
pub fn is_unit_field(label: &str) -> bool {
    matches!(
        bare(label),
        UNIT_FIELD | "报送单位" | "单位名称" | "填表单位"
    )
}

/// Whether a 填报栏 label is the date's: 填报日期, 填表日期, 报送日期.
pub fn is_date_field(label: &str) -> bool {
    matches!(bare(label), DATE_FIELD | "填表日期" | "报送日期")
}

/// A label without a trailing note in brackets (（盖章）, (公章)) or colon.
fn bare(label: &str) -> &str {
    let label = label.trim().trim_end_matches(['：', ':']);
    match label.find(['（', '(']) {
        Some(i) if label.ends_with(['）', ')']) => label[..i].trim(),
        _ => label,
    }
}

/// A reporting unit (填报单位).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Stable id: file names and returned workbooks are recognised by it.
    #[serde(rename = "编号")]
    pub id: String,
    /// Full name, printed in 填报单位.
    #[serde(rename = "名称")]
    pub name: String,
    /// Short name for the columns of the 汇总表.
    #[serde(rename = "简称", default)]
    pub short: Option<String>,
    /// Who to call when the return is late (printed on the 催报名单).
    #[serde(rename = "联系人", default)]
    pub contact: Option<String>,
    #[serde(rename = "联系电话", default)]
    pub phone: Option<String>,
}

impl Unit {
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }

    /// A file name that is safe on every OS and unique per unit (ids are unique).
    pub fn file_stem(&self) -> String {
        output::file_stem(&self.id, &self.name)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(rename = "单位")]
    units: Vec<Unit>,
}

/// The longest unit id (it begins every file name of the unit).
const MAX_ID_CHARS: usize = 40;
/// The longest unit name, short name or contact.
const MAX_NAME_CHARS: usize = 100;

/// Reads and checks a units file: ids present, made of ASCII letters, digits,
/// `-` and `_`, and unique.
pub fn load_units(path: &Path) -> Result<Vec<Unit>> {
    let text = content::read(path)?;
    let file: UnitsFile = content::decode(path, &text)?;
    if file.units.len() > MAX_UNITS {
        return Err(crate::content::text::file_error(
            path,
            format!("单位过多（{} 个），上限 {MAX_UNITS} 个", file.units.len()),
        ));
    }
    let locations = crate::content::Locations::of(&text);
    let mut seen = BTreeSet::new();
    for (i, u) in file.units.iter().enumerate() {
        let bad_at = |key: &str, message: String| {
            let field = format!("单位[{i}].{key}");
            let (line, column) = locations.get(&field).unwrap_or((0, 0));
            Error::Content(Located {
                file: path.to_path_buf(),
                line,
                column,
                field,
                message,
            })
        };
        // Names go into file names and every page of the unit's forms: a
        // unit's full name is a few dozen characters.
        if u.id.len() > MAX_ID_CHARS {
            return Err(bad_at(
                "编号",
                format!("编号有 {} 个字符，最多 {MAX_ID_CHARS} 个", u.id.len()),
            ));
        }
        for (key, text, max) in [
            ("名称", Some(&u.name), MAX_NAME_CHARS),
            ("简称", u.short.as_ref(), MAX_NAME_CHARS),
            ("联系人", u.contact.as_ref(), MAX_NAME_CHARS),
            ("联系电话", u.phone.as_ref(), MAX_NAME_CHARS),
        ] {
            let n = text.map_or(0, |t| t.chars().count());
            if n > max {
                return Err(bad_at(key, format!("{key}有 {n} 个字，最多 {max} 个")));
            }
        }
        let bad = |message: String| bad_at("编号", message);
        if u.id.is_empty()
            || !u
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(format!(
                "编号“{}”只能由英文字母、数字、- 和 _ 组成",
                u.id
            )));
        }
        if u.name.trim().is_empty() {
            return Err(bad("名称 不能为空".into()));
        }
        if !seen.insert(u.id.clone()) {
            return Err(bad(format!("编号“{}”重复", u.id)));
        }
    }
    Ok(file.units)
}

/// The form: the attachment with a 填报单位 field and a table, with the
/// columns a unit fills in (those left empty in every row) and the column
/// that names each row (the first other column that is not the row number).
#[derive(Debug, Clone)]
pub struct Form {
    pub attachment: Attachment,
    /// 附件 or 附件N, as in the notice.
    pub label: String,
    /// The table as the content has it (header rows, category rows, 合计).
    pub table: Table,
    /// Each column's name: the header texts above it, joined with "/"
    /// when the header has several rows.
    pub header: Vec<String>,
    /// The data rows as printed (row numbers generated), by column.
    pub rows: Vec<Vec<String>>,
    /// Where each data row is among the table's rows (category rows between).
    pub row_index: Vec<usize>,
    pub fill_columns: Vec<usize>,
    /// The column naming each row; none in a one-row form without one.
    pub key_column: Option<usize>,
    /// The notice the form belongs to (发文字号 or title, and date), kept
    /// in its workbooks: last year's form with the same table is not this
    /// year's return.
    pub document: String,
    /// The notice's year: a 填报日期 written without one (6月28日) is in it.
    pub year: i32,
    /// Where the attachment is in the content.
    at: String,
}

/// Whether the notice sends out a statistics form: an attachment (of the
/// notice or of a document it issues) whose 填报栏 names the unit. `check`
/// then also checks that `forms` and `fill` can use it.
pub fn has_form(project: &Project) -> bool {
    walk(&project.notice, &project.style).iter().any(|node| {
        matches!(&node.kind, Kind::Attachment { attachment, .. }
            if attachment.fill_fields.iter().any(|f| is_unit_field(f)))
    })
}

impl Form {
    /// Finds the form among the notice's attachments and those of the
    /// documents it issues.
    pub fn find(project: &Project) -> Result<Form> {
        let nodes = walk(&project.notice, &project.style);
        let form_err = |at: &FieldPath, message: String| {
            let field = at.to_string();
            let (line, column) = project.locations.get(&field).unwrap_or((0, 0));
            Error::Content(Located {
                file: project.source.clone(),
                line,
                column,
                field,
                message,
            })
        };
        for node in &nodes {
            let Kind::Attachment {
                attachment: a,
                label,
            } = &node.kind
            else {
                continue;
            };
            if !a.fill_fields.iter().any(|f| is_unit_field(f)) {
                continue;
            }
            let Some(table) = &a.table else { continue };
            let at = node.at.key("表格");
            let grid = table.grid_only().map_err(|p| {
                form_err(
                    &at.key("行").index(p[0].row),
                    p.first().map(|p| p.message.clone()).unwrap_or_default(),
                )
            })?;
            let width = grid.width;
            // Each column's name from the header cells above it.
            let header: Vec<String> = grid.column_names().iter().map(|h| h.join("/")).collect();
            let computed: Vec<usize> = table
                .formulas(&grid)
                .map_err(|m| form_err(&at.key("列类型"), m))?
                .into_iter()
                .map(|(col, ..)| col)
                .collect();
            // A form is filled cell by cell: its data rows have no merged cells.
            let mut rows = Vec::new();
            let mut row_index = Vec::new();
            for r in &grid.body {
                if let BodyRow::Cells { index, cells } = r {
                    if cells.iter().any(|c| c.rows > 1 || c.cols > 1) {
                        return Err(form_err(
                            &at.key("行").index(*index),
                            "填报用的统计表，数据行中不能有合并单元格（表头和分类行可以）".into(),
                        ));
                    }
                    rows.push(cells.iter().map(|c| c.text.clone()).collect::<Vec<_>>());
                    row_index.push(*index);
                }
            }
            // The columns left blank in every row, but those computed.
            let fill_columns: Vec<usize> = (0..width)
                .filter(|c| rows.iter().all(|r| r[*c].trim().is_empty()))
                .filter(|c| !computed.contains(c))
                .collect();
            let first = usize::from(table.auto_number);
            // A one-row form needs no row names: its row is found by place.
            let key_column = (first..width).find(|c| !fill_columns.contains(c));
            if key_column.is_none() && rows.len() > 1 {
                return Err(form_err(&at, "统计表有多行，但没有可作行名的列".into()));
            }
            if fill_columns.is_empty() {
                return Err(form_err(&at, "统计表没有留空待填的列".into()));
            }
            let mut keys = BTreeSet::new();
            for (r, row) in rows.iter().enumerate() {
                let Some(key) = key_column.map(|k| &row[k]) else {
                    continue;
                };
                if !keys.insert(key.clone()) {
                    return Err(form_err(
                        &at.key("行").index(row_index[r]),
                        format!("统计表中“{key}”出现两次，无法区分"),
                    ));
                }
            }
            return Ok(Form {
                attachment: (*a).clone(),
                label: label.clone(),
                table: table.clone(),
                header,
                rows,
                row_index,
                fill_columns,
                key_column,
                document: format!(
                    "{}（{}）",
                    project
                        .notice
                        .number
                        .clone()
                        .unwrap_or_else(|| project.notice.title.replace(['\n', '\r'], "")),
                    project.notice.date.chinese()
                ),
                year: chrono::Datelike::year(&project.notice.date.0),
                at: node.at.to_string(),
            });
        }
        // "[填报单位，填报日期]" is one field with Chinese commas.
        let comma = project
            .notice
            .attachments
            .iter()
            .flat_map(|a| &a.fill_fields)
            .find(|f| f.contains(UNIT_FIELD) && f.contains('，'))
            .map(|f| format!("（填报栏“{f}”用了中文逗号“，”，各项之间请用半角逗号“,”）"))
            .unwrap_or_default();
        Err(form_err(
            &FieldPath::root().key("附件"),
            format!("没有统计表——需要一个带“填报栏: [{UNIT_FIELD}, …]”和表格的附件{comma}"),
        ))
    }

    /// The cells a unit fills: (row, column) in reading order.
    pub fn cells(&self) -> Vec<(usize, usize)> {
        (0..self.rows.len())
            .flat_map(|r| self.fill_columns.iter().map(move |c| (r, *c)))
            .collect()
    }

    /// The name of a row (its key column; empty in a one-row form without one).
    pub fn key(&self, row: usize) -> &str {
        self.key_column.map_or("", |k| &self.rows[row][k])
    }

    /// The name of a fill cell for people: 类别, or 类别/列 when several
    /// columns are filled, or the column alone in a form without row names.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        let key = self.key(row);
        if key.is_empty() {
            self.header[col].clone()
        } else if self.fill_columns.len() == 1 {
            key.to_string()
        } else {
            format!("{key}/{}", self.header[col])
        }
    }

    /// A value of column `col` as printed: a percentage with its "%".
    pub fn shown(&self, col: usize, value: &str) -> String {
        match self.table.kind(col) {
            ColumnKind::Percent => format!("{value}%"),
            _ => value.to_string(),
        }
    }

    /// The unit of measure of a row (场次, 人次 …), from a column headed
    /// 单位 or 计量单位 that is neither filled nor the key.
    pub fn measure(&self, row: usize) -> Option<&str> {
        let col = self.header.iter().enumerate().position(|(c, h)| {
            matches!(h.as_str(), "单位" | "计量单位")
                && Some(c) != self.key_column
                && !self.fill_columns.contains(&c)
        })?;
        Some(self.rows[row][col].as_str()).filter(|m| !m.trim().is_empty())
    }

    /// The unit's and the date's 填报栏 labels as the content writes them
    /// (填报单位（盖章）…), for the Excel form.
    pub fn labels(&self) -> (&str, &str) {
        let find = |is: fn(&str) -> bool, default| {
            self.attachment
                .fill_fields
                .iter()
                .find(|f| is(f))
                .map_or(default, String::as_str)
        };
        (
            find(is_unit_field, UNIT_FIELD),
            find(is_date_field, DATE_FIELD),
        )
    }

    /// The 填报栏 fields besides 填报单位 and 填报日期 (填报人, 联系电话,
    /// 审核人 …): on the PDF and the Excel form alike, and read back.
    pub fn extra_fields(&self) -> Vec<String> {
        self.attachment
            .fill_fields
            .iter()
            .filter(|f| !is_unit_field(f) && !is_date_field(f))
            .cloned()
            .collect()
    }

    /// The form as a page for one unit, with values in the fill cells (its
    /// 合计, if it has one, computed from them) and the 填报栏 as filled.
    pub(crate) fn view(
        &self,
        unit: Option<&Unit>,
        date: Option<&str>,
        fields: &std::collections::BTreeMap<String, String>,
        values: &[Option<String>],
        rejected: &std::collections::BTreeMap<usize, String>,
    ) -> AttachmentView {
        let mut table = self.table.clone();
        let first = usize::from(table.auto_number);
        // Every fill cell: a blank form has no values at all.
        for (i, (r, c)) in self.cells().into_iter().enumerate() {
            let v = values.get(i).and_then(Option::as_ref);
            // An accepted value, or what the unit wrote that was not
            // accepted (not a number, so not in the 合计).
            // A blank 选项 cell offers its answers to tick on paper.
            let boxes = || match self.table.kind(c) {
                ColumnKind::Choice(answers) => Some(
                    answers
                        .iter()
                        .map(|a| format!("□{a}"))
                        .collect::<Vec<_>>()
                        .join("\u{3000}"),
                ),
                _ => None,
            };
            let shown = v
                .map(|v| self.shown(c, v))
                .or_else(|| rejected.get(&i).cloned())
                .or_else(boxes);
            if let (Some(text), Row::Cells(cells)) = (shown, &mut table.rows[self.row_index[r]]) {
                if let Some(cell) = cells.get_mut(c - first) {
                    cell.text = text;
                }
            }
        }
        let mut page = AttachmentView::new(&self.attachment, &self.label, &self.at, Vec::new());
        page.table = Some(TableView::new(&table).located(&format!("{}.表格", self.at)));
        for (field, value) in &mut page.fill_fields {
            *value = if is_unit_field(field) {
                unit.map(|u| u.name.clone())
            } else if is_date_field(field) {
                date.map(str::to_string)
            } else {
                fields.get(field.as_str()).cloned()
            }
            .unwrap_or_default();
        }
        page
    }
}

/// The project, its form and its units: what `distribute` and `collect` start from.
/// The content is checked as `build` checks it: errors stop the run.
pub fn load(
    engine: &Engine,
    content: &Path,
    units: Option<&Path>,
) -> Result<(Project, Form, Vec<Unit>)> {
    let project = crate::pipeline::load_checked(engine, content)?;
    let form = Form::find(&project)?;
    let path = units
        .map(Path::to_path_buf)
        .unwrap_or_else(|| project.root.join(UNITS_FILE));
    if !path.is_file() {
        return Err(Error::Content(Located {
            file: path,
            line: 0,
            column: 0,
            field: String::new(),
            message: "找不到填报单位名单（放在内容文件夹中，或用 --units 指定）".into(),
        }));
    }
    let units = load_units(&path)?;
    Ok((project, form, units))
}

/// What a unit's job makes: the form's view, and for `forms --xlsx` the
/// unit's workbook.
type Sheet = (AttachmentView, Option<Vec<u8>>);

/// The per-unit job of `forms` and `fill`: one form a unit, typeset and
/// written (PDF, OFD, workbook) on the batch runner.
struct UnitForms<'a> {
    engine: &'a Engine,
    renderer: &'a crate::render::Renderer<'a>,
    project: &'a Project,
    form: &'a Form,
    /// "form" or "filled": part of each PDF's identity.
    kind: &'a str,
    dir: &'a Path,
    ofd: bool,
}

impl UnitForms<'_> {
    /// Runs `sheet` for every unit (with what it reported) on the batch
    /// runner and writes what it gives; `done` takes each unit's laid-out
    /// pages, in order (the print volumes). Returns the units that failed,
    /// by name.
    fn run<T: Sync>(
        &self,
        units: &[(&Unit, T)],
        progress: &dyn batch::Progress,
        sheet: impl Fn(&Unit, &T) -> Result<Sheet> + Sync,
        done: impl FnMut(typst_layout::PagedDocument) -> Result<()>,
    ) -> Result<Vec<(String, Error)>> {
        let what = if self.kind == "form" {
            "填报表"
        } else {
            "已填报"
        };
        let name = |(unit, _): &(&Unit, T)| unit.name.clone();
        let job = |(unit, with): &(&Unit, T)| self.write(unit, sheet(unit, with)?);
        batch::run(units, what, progress, name, job, done)
    }

    /// Checks that the unit's name prints, typesets its view and writes it;
    /// returns the laid-out pages.
    fn write(&self, unit: &Unit, (view, workbook): Sheet) -> Result<typst_layout::PagedDocument> {
        printable(self.engine, unit)?;
        let ident = format!("{}:{}:{}", self.project.name, self.kind, unit.id);
        let (pdf, doc) = output::typeset_pages(
            self.engine,
            self.renderer,
            self.project,
            &ident,
            &[view],
            false,
        )?;
        output::write_atomic(&unit_file(self.dir, unit, "pdf"), &pdf)?;
        if self.ofd {
            let meta = output::Meta::of(self.project, &self.form.attachment.title);
            output::write_ofd(&unit_file(self.dir, unit, "ofd"), &doc, &meta)?;
        }
        if let Some(book) = workbook {
            output::write_atomic(&unit_file(self.dir, unit, "xlsx"), &book)?;
        }
        Ok(doc)
    }
}

/// A unit's name must print: a character no font has would be a blank box.
fn printable(engine: &Engine, unit: &Unit) -> Result<()> {
    match engine.unprintable(&unit.name).first() {
        None => Ok(()),
        Some(c) => Err(Error::Typeset(format!(
            "单位 {} 的名称中“{c}”（U+{:04X}）没有任何字体能显示；请安装含此字的字体或用 --font-path 指定",
            unit.id, *c as u32
        ))),
    }
}

/// Today as the standard writes dates, for a 汇总 without `--date`.
fn today() -> String {
    Date(chrono::Local::now().date_naive()).chinese()
}

/// Where a unit's file goes.
fn unit_file(dir: &Path, unit: &Unit, ext: &str) -> PathBuf {
    dir.join(format!("{}.{ext}", unit.file_stem()))
}
