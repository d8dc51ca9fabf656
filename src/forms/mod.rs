//! Statistics forms: the reporting units, the form (the attachment whose
//! 填报栏 names a 填报单位), returns read back from units, and the 汇总.
//!
//! This is content-stage logic: it knows units, forms and numbers, and hands
//! views to the render stage like any document.

pub mod returns;
pub mod summary;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::content::{self, Attachment, Notice, Project};
use crate::error::{Error, Located, Result};
use crate::render::view::{attachments, AttachmentView, FillValues, TableView};

/// The file listing the reporting units in a content folder.
pub const UNITS_FILE: &str = "填报单位.yaml";
/// The 填报栏 field that a unit's name fills.
pub const UNIT_FIELD: &str = "填报单位";
/// The 填报栏 field for the date of a return.
pub const DATE_FIELD: &str = "填报日期";

/// A reporting unit (填报单位).
#[derive(Debug, Clone, Deserialize, PartialEq)]
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
}

impl Unit {
    pub fn short_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }

    /// A file name that is safe on every OS and unique per unit (ids are unique).
    pub fn file_stem(&self) -> String {
        let name: String = self
            .name
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
        format!("{}-{}", self.id, name.trim_end_matches(['.', ' ']))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(rename = "单位")]
    units: Vec<Unit>,
}

/// Reads and checks a units file: ids present, made of ASCII letters, digits,
/// `-` and `_`, and unique.
pub fn load_units(path: &Path) -> Result<Vec<Unit>> {
    let text = content::read(path)?;
    let file: UnitsFile = content::decode(path, &text)?;
    let mut seen = BTreeSet::new();
    for (i, u) in file.units.iter().enumerate() {
        let bad = |message: String| {
            let line = text
                .lines()
                .position(|l| l.contains(&u.id))
                .map_or(0, |l| l + 1);
            Error::Content(Located {
                file: path.to_path_buf(),
                line,
                column: if line > 0 { 1 } else { 0 },
                field: format!("单位[{i}].编号"),
                message,
            })
        };
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
    pub table: TableView,
    pub fill_columns: Vec<usize>,
    pub key_column: usize,
}

impl Form {
    /// Finds the form among the notice's attachments and those of the
    /// documents it issues.
    pub fn find(project: &Project) -> Result<Form> {
        let n: &Notice = &project.notice;
        let lists = std::iter::once(&n.attachments).chain(n.issued.iter().map(|d| &d.attachments));
        for list in lists {
            let views = attachments(list, &FillValues::new());
            for (a, v) in list.iter().zip(views) {
                if !a.fill_fields.iter().any(|f| f == UNIT_FIELD) {
                    continue;
                }
                let Some(table) = v.table else { continue };
                let width = table.header.len();
                let fill_columns: Vec<usize> = (0..width)
                    .filter(|c| {
                        table
                            .rows
                            .iter()
                            .all(|r| r.get(*c).is_none_or(|s| s.trim().is_empty()))
                    })
                    .collect();
                let first = if a.table.as_ref().is_some_and(|t| t.auto_number) {
                    1
                } else {
                    0
                };
                let key_column = (first..width).find(|c| !fill_columns.contains(c));
                let form_err = |m: &str| {
                    Error::Other(format!(
                        "{}：附件“{}”{m}",
                        project.source.display(),
                        a.display_name()
                    ))
                };
                let key_column = key_column.ok_or_else(|| form_err("的表格没有可作行名的列"))?;
                if fill_columns.is_empty() {
                    return Err(form_err("的表格没有留空待填的列"));
                }
                let mut keys = BTreeSet::new();
                for r in &table.rows {
                    if !keys.insert(r[key_column].clone()) {
                        return Err(form_err(&format!(
                            "的表格中“{}”出现两次，无法区分",
                            r[key_column]
                        )));
                    }
                }
                return Ok(Form {
                    attachment: a.clone(),
                    label: v.label,
                    table,
                    fill_columns,
                    key_column,
                });
            }
        }
        Err(Error::Other(format!(
            "{}：没有统计表——需要一个带“填报栏: [{UNIT_FIELD}, …]”和表格的附件",
            project.source.display()
        )))
    }

    /// Row names (the key column), in order.
    pub fn keys(&self) -> Vec<&str> {
        self.table
            .rows
            .iter()
            .map(|r| r[self.key_column].as_str())
            .collect()
    }

    /// The cells a unit fills: (row, column) in reading order.
    pub fn cells(&self) -> Vec<(usize, usize)> {
        (0..self.table.rows.len())
            .flat_map(|r| self.fill_columns.iter().map(move |c| (r, *c)))
            .collect()
    }

    /// The name of a fill cell for people: 类别, or 类别/列 when several columns are filled.
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        let key = &self.table.rows[row][self.key_column];
        if self.fill_columns.len() == 1 {
            key.clone()
        } else {
            format!("{key}/{}", self.table.header[col])
        }
    }

    /// The form as a page for one unit, with values in the fill cells.
    pub fn view(
        &self,
        unit: Option<&Unit>,
        date: Option<&str>,
        values: &[Option<i64>],
    ) -> AttachmentView {
        let mut table = self.table.clone();
        for ((r, c), v) in self.cells().into_iter().zip(values) {
            if let Some(v) = v {
                table.rows[r][c] = v.to_string();
            }
        }
        let fill_fields = self
            .attachment
            .fill_fields
            .iter()
            .map(|f| {
                let value = match f.as_str() {
                    UNIT_FIELD => unit.map(|u| u.name.clone()),
                    DATE_FIELD => date.map(str::to_string),
                    _ => None,
                };
                (f.clone(), value.unwrap_or_default())
            })
            .collect();
        AttachmentView {
            label: self.label.clone(),
            title: crate::render::view::title(&self.attachment.title),
            fill_fields,
            table: Some(table),
            body: Vec::new(),
            note: None,
        }
    }
}
