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
use crate::content::table::{BodyRow, Placed};
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
    /// What else to write beside every PDF (OFD, .docx).
    pub beside: output::Beside,
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
    /// The cells of each data row as laid out (merged cells in a 登记表).
    pub placed: Vec<Vec<Placed>>,
    /// The columns a unit fills in a list or matrix form (blank in every
    /// row); none in a 登记表.
    pub fill_columns: Vec<usize>,
    /// A 台账: the most entries a unit may give (its rows beyond the
    /// printed ones are added in Excel, read, listed with the unit first).
    pub ledger: Option<usize>,
    /// A 登记表 (申请表, 基本情况表) as Word makes them: labels and blanks
    /// anywhere in the grid, merged cells too. What it takes is text unless
    /// 列类型 says otherwise; it is read by place, listed, never summed.
    pub register: bool,
    /// Every cell a unit fills, (data row, column) in reading order, with
    /// its name for people and its place among its content row's cells.
    fill_cells: Vec<(usize, usize)>,
    cell_names: Vec<String>,
    cell_index: Vec<usize>,
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

/// The most rows a 台账 may declare.
const MAX_LEDGER: usize = 1000;

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
            let mut rows = Vec::new();
            let mut row_index = Vec::new();
            let mut placed = Vec::new();
            for r in &grid.body {
                if let BodyRow::Cells { index, cells } = r {
                    let mut texts = vec![String::new(); width];
                    for c in cells {
                        texts[c.col] = c.text.clone();
                    }
                    rows.push(texts);
                    row_index.push(*index);
                    placed.push(cells.clone());
                }
            }
            // A 台账: its blank rows repeated up to the most a unit may fill.
            let ledger = table.max_rows;
            if let Some(max) = ledger {
                let blank = rows.iter().all(|r| {
                    (usize::from(table.auto_number)..width).all(|c| r[c].trim().is_empty())
                });
                if !blank || rows.is_empty() || !(rows.len()..=MAX_LEDGER).contains(&max) {
                    return Err(form_err(
                        &at.key("最多行数"),
                        format!(
                            "台账的行应全部留空，最多行数应在 {} 到 {MAX_LEDGER} 之间",
                            rows.len().max(1)
                        ),
                    ));
                }
                let printed = rows.len();
                let (last_row, last_cells) =
                    (rows[printed - 1].clone(), placed[printed - 1].clone());
                let last_index = row_index[printed - 1];
                for k in printed..max {
                    let mut texts = last_row.clone();
                    let mut cells = last_cells.clone();
                    if table.auto_number {
                        texts[0] = (k + 1).to_string();
                        cells[0].text = (k + 1).to_string();
                    }
                    rows.push(texts);
                    row_index.push(last_index + 1 + k - printed);
                    placed.push(cells);
                }
            }
            let merged = placed.iter().flatten().any(|c| c.rows > 1 || c.cols > 1);
            // The columns left blank in every row, but those computed.
            let fill_columns: Vec<usize> = (0..width)
                .filter(|c| rows.iter().all(|r| r[*c].trim().is_empty()))
                .filter(|c| !computed.contains(c))
                .collect();
            let first = usize::from(table.auto_number);
            // No column left blank, or merged cells in the rows: a 登记表,
            // whose blanks are anywhere, each named by the label before it.
            let register = merged || fill_columns.is_empty();
            let fill_columns = if register { Vec::new() } else { fill_columns };
            let key_column = if register || ledger.is_some() {
                None
            } else {
                (first..width).find(|c| !fill_columns.contains(c))
            };
            // A one-row form needs no row names: its row is found by place.
            if !register && ledger.is_none() && key_column.is_none() && rows.len() > 1 {
                return Err(form_err(&at, "统计表有多行，但没有可作行名的列".into()));
            }
            let mut fill_cells = Vec::new();
            let mut cell_names = Vec::new();
            let mut cell_index = Vec::new();
            for (r, cells) in placed.iter().enumerate() {
                for (i, c) in cells.iter().enumerate() {
                    let blank =
                        c.text.trim().is_empty() && !c.generated && !computed.contains(&c.col);
                    let fills = if register {
                        blank
                    } else {
                        fill_columns.contains(&c.col)
                    };
                    if !fills {
                        continue;
                    }
                    fill_cells.push((r, c.col));
                    cell_index.push(i - first);
                    let label = cells[..i]
                        .iter()
                        .rev()
                        .map(|l| l.text.trim().trim_end_matches(['：', ':']))
                        .find(|t| !t.is_empty());
                    let key = key_column.map_or("", |k| rows[r][k].as_str());
                    cell_names.push(match label {
                        _ if ledger.is_some() => format!("第{}行/{}", r + 1, header[c.col]),
                        Some(l) if register => l.to_string(),
                        _ if key.is_empty() && !header[c.col].is_empty() => header[c.col].clone(),
                        _ if key.is_empty() => format!("第{}行第{}列", r + 1, c.col + 1),
                        _ if fill_columns.len() == 1 => key.to_string(),
                        _ => format!("{key}/{}", header[c.col]),
                    });
                }
            }
            if fill_cells.is_empty() {
                return Err(form_err(&at, "统计表没有留空待填的格子".into()));
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
                placed,
                fill_columns,
                ledger,
                register,
                fill_cells,
                cell_names,
                cell_index,
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
        self.fill_cells.clone()
    }

    /// The name of a row (its key column; empty in a one-row form without
    /// one and in a 登记表).
    pub fn key(&self, row: usize) -> &str {
        self.key_column.map_or("", |k| &self.rows[row][k])
    }

    /// The name of a fill cell for people: 类别, or 类别/列 when several
    /// columns are filled, the column alone in a form without row names,
    /// the label before it in a 登记表.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        self.fill_cells
            .iter()
            .position(|rc| *rc == (row, col))
            .map(|i| self.cell_names[i].clone())
            .unwrap_or_default()
    }

    /// Every fill cell's name, in `cells()` order (no search per cell in
    /// the per-unit loops).
    pub fn cell_names(&self) -> &[String] {
        &self.cell_names
    }

    /// Whether the unit fills the cell at (data row, column).
    pub fn is_fill(&self, row: usize, col: usize) -> bool {
        self.fill_cells.contains(&(row, col))
    }

    /// Several value columns: the 汇总 is the form's own table.
    pub fn is_matrix(&self) -> bool {
        self.fill_columns.len() > 1 && self.ledger.is_none()
    }

    /// What column `col` holds: as 列类型 says; a 登记表's blanks take text
    /// unless it says otherwise.
    pub fn kind(&self, col: usize) -> &ColumnKind {
        static TEXT: ColumnKind = ColumnKind::Text;
        match self.table.kind(col) {
            ColumnKind::Auto if self.register => &TEXT,
            k => k,
        }
    }

    /// A value of column `col` as printed: a percentage with its "%".
    pub fn shown(&self, col: usize, value: &str) -> String {
        match self.kind(col) {
            ColumnKind::Percent => format!("{value}%"),
            _ => value.to_string(),
        }
    }

    /// The unit of measure of a row (场次, 人次 …), from a column headed
    /// 单位 or 计量单位 that is neither filled nor the key.
    pub fn measure(&self, row: usize) -> Option<&str> {
        if self.register {
            return None;
        }
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
        // A 台账 prints the entries given (numbered again), and at least
        // its printed rows; the content's rows are its template.
        let printed = self.table.rows.len();
        let mut entries: Vec<usize> = Vec::new();
        if self.ledger.is_some() {
            // The rows holding anything, in one pass over the cells.
            let mut filled = vec![false; self.rows.len()];
            for (i, &(row, _)) in self.fill_cells.iter().enumerate() {
                if values.get(i).is_some_and(Option::is_some) || rejected.contains_key(&i) {
                    filled[row] = true;
                }
            }
            let given = |r: usize| filled[r];
            entries = (0..self.rows.len()).filter(|r| given(*r)).collect();
            let blank = (0..self.rows.len()).filter(|r| !given(*r));
            let pad = printed.saturating_sub(entries.len());
            entries.extend(blank.take(pad));
            entries.sort();
            let template = self.table.rows[self.row_index[printed - 1]].clone();
            table.rows = entries.iter().map(|_| template.clone()).collect();
        }
        // Where data row `r` is among the view's rows.
        let at_row = |r: usize| -> Option<usize> {
            if self.ledger.is_some() {
                entries.iter().position(|e| *e == r)
            } else {
                Some(self.row_index[r])
            }
        };
        // Every fill cell: a blank form has no values at all.
        for (i, (r, c)) in self.cells().into_iter().enumerate() {
            let v = values.get(i).and_then(Option::as_ref);
            // An accepted value, or what the unit wrote that was not
            // accepted (not a number, so not in the 合计).
            // A blank 选项 cell offers its answers to tick on paper.
            let boxes = || match self.kind(c) {
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
            let Some(at) = at_row(r) else { continue };
            if let (Some(text), Row::Cells(cells)) = (shown, &mut table.rows[at]) {
                if let Some(cell) = cells.get_mut(self.cell_index[i]) {
                    cell.text = text;
                }
            }
        }
        // A 登记表's blanks hold nothing to size them by: each is given the
        // width of its widest label (at least six characters), room to
        // write by hand, unless the content sets 列宽.
        if self.register && table.widths.is_none() {
            let mut widths = vec![0.0f64; self.header.len()];
            for p in self.placed.iter().flatten().filter(|p| p.cols == 1) {
                let w = p
                    .text
                    .chars()
                    .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                    .sum();
                widths[p.col] = widths[p.col].max(w);
            }
            let blank = widths.iter().copied().fold(6.0, f64::max);
            for w in &mut widths {
                if *w == 0.0 {
                    *w = blank;
                }
            }
            table.widths = Some(widths);
        }
        let mut page = AttachmentView::new(&self.attachment, &self.label, &self.at, Vec::new());
        let mut view = TableView::new(&table).located(&format!("{}.表格", self.at));
        // A 登记表's labels are never broken (统一社会信用代/码): each is a
        // run its column is sized by.
        if self.register {
            for p in self.placed.iter().flatten() {
                let label = p.text.trim();
                if p.cols == 1 && !label.is_empty() && label.chars().count() <= 12 {
                    if let Some(runs) = view.runs.get_mut(p.col) {
                        runs.push(label.to_string());
                    }
                }
            }
        }
        page.table = Some(view);
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
    beside: output::Beside,
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
            std::slice::from_ref(&view),
            false,
        )?;
        output::write_atomic(&unit_file(self.dir, unit, "pdf"), &pdf)?;
        let title = &self.form.attachment.title;
        for (ext, bytes) in self.beside.files(
            self.project,
            &doc,
            &[view],
            title,
            false,
            &[("填报单位", unit.name.clone())],
        )? {
            output::write_atomic(&unit_file(self.dir, unit, ext), &bytes)?;
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
