//! Returns: what units send back — the workbooks gongwen wrote (read with
//! calamine), CSV (one row per unit), or YAML — checked value by value.
//! Every problem names its file, sheet and cell; a bad value is never summed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{workbook, Form, Unit};

/// The CSV column holding the unit id.
pub const ID_COLUMN: &str = "单位编号";

/// One unit's return.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub unit: String,
    pub date: Option<String>,
    /// One value per fill cell of the form (`Form::cells` order); `None` where
    /// the cell was empty or invalid.
    pub values: Vec<Option<i64>>,
}

/// Where a problem is: file, and sheet and cell where there are such.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(s) = &self.sheet {
            write!(f, " 工作表“{s}”")?;
        }
        if let Some(c) = &self.cell {
            write!(f, " {c}")?;
        }
        Ok(())
    }
}

/// A problem with the returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A unit sent nothing.
    Missing { unit: String, name: String },
    /// A return names a unit that is not on the list.
    UnknownUnit { at: Place, id: String },
    /// A second return for the same unit; it is left out.
    Duplicate {
        at: Place,
        id: String,
        first: String,
    },
    /// A value that is not a whole number ≥ 0; left out.
    BadValue {
        at: Place,
        unit: String,
        item: String,
        found: String,
        why: &'static str,
    },
    /// A value left empty; left out.
    Empty {
        at: Place,
        unit: String,
        item: String,
    },
    /// A file that could not be read as a return at all.
    Unreadable { at: Place, why: String },
}

impl Problem {
    /// Missing returns and empty cells are the normal state before a
    /// deadline; the rest are errors in what was sent.
    pub fn is_error(&self) -> bool {
        !matches!(self, Problem::Missing { .. } | Problem::Empty { .. })
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing { unit, name } => write!(f, "未报送：{name}（{unit}）"),
            Problem::UnknownUnit { at, id } => {
                write!(f, "{at}：单位编号“{id}”不在填报单位名单中，未计入")
            }
            Problem::Duplicate { at, id, first } => {
                write!(f, "{at}：单位“{id}”重复报送（已采用 {first}），此份未计入")
            }
            Problem::BadValue {
                at,
                unit,
                item,
                found,
                why,
            } => {
                write!(f, "{at}：{unit} 的“{item}”填了“{found}”，{why}，未计入")
            }
            Problem::Empty { at, unit, item } => write!(f, "{at}：{unit} 的“{item}”未填写，未计入"),
            Problem::Unreadable { at, why } => write!(f, "{at}：无法读取：{why}"),
        }
    }
}

/// A value as found in a return, before checking.
pub(super) enum Raw {
    Empty,
    Number(f64),
    Text(String),
}

/// Checks one value: a whole number ≥ 0, or a problem.
fn check(raw: Raw) -> Result<Option<i64>, (String, &'static str)> {
    let n = match raw {
        Raw::Empty => return Ok(None),
        Raw::Number(n) => n,
        Raw::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<f64>() {
                Ok(n) if n.is_finite() => n,
                _ => return Err((t.to_string(), "不是数字")),
            }
        }
    };
    let shown = if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        n.to_string()
    };
    if n < 0.0 {
        Err((shown, "不能为负数"))
    } else if n.fract() != 0.0 {
        Err((shown, "应为整数"))
    } else if n > i64::MAX as f64 / 2.0 {
        Err((shown, "数值过大"))
    } else {
        Ok(Some(n as i64))
    }
}

/// Reads every return under `path` (a file, or a folder searched for .xlsx,
/// .csv, .yaml and .yml), in file-name order, and checks them against the
/// form and the units. Returns the accepted returns and every problem.
pub fn read(path: &Path, form: &Form, units: &[Unit]) -> (Vec<Return>, Vec<Problem>) {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| {
                let ext = p
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("")
                    .to_lowercase();
                let hidden = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(['.', '~']));
                !hidden && matches!(ext.as_str(), "xlsx" | "csv" | "yaml" | "yml")
            })
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    let mut problems = Vec::new();
    let mut found: Found = Vec::new();
    for file in &files {
        let ext = file
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let res = match ext.as_str() {
            "xlsx" => workbook::read(file, form),
            "csv" => read_csv(file, form),
            "yaml" | "yml" => read_yaml(file, form),
            _ => Err(format!(
                "不认识的文件类型“{ext}”（可用 .xlsx、.csv、.yaml）"
            )),
        };
        match res {
            Ok(list) => found.extend(list),
            Err(why) => problems.push(Problem::Unreadable {
                at: place(file, None, None),
                why,
            }),
        }
    }
    let known: BTreeMap<&str, &Unit> = units.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut accepted: Vec<Return> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let cells = form.cells();
    for (at, mut ret, raws) in found {
        let Some(unit) = known.get(ret.unit.as_str()) else {
            problems.push(Problem::UnknownUnit { at, id: ret.unit });
            continue;
        };
        if let Some(first) = seen.get(&ret.unit) {
            problems.push(Problem::Duplicate {
                at,
                id: ret.unit.clone(),
                first: first.clone(),
            });
            continue;
        }
        seen.insert(ret.unit.clone(), at.to_string());
        ret.values = raws
            .into_iter()
            .zip(&cells)
            .map(|((at, raw), (r, c))| {
                let item = form.cell_name(*r, *c);
                match check(raw) {
                    Ok(Some(v)) => Some(v),
                    Ok(None) => {
                        problems.push(Problem::Empty {
                            at,
                            unit: unit.name.clone(),
                            item,
                        });
                        None
                    }
                    Err((found, why)) => {
                        problems.push(Problem::BadValue {
                            at,
                            unit: unit.name.clone(),
                            item,
                            found,
                            why,
                        });
                        None
                    }
                }
            })
            .collect();
        accepted.push(ret);
    }
    let got: BTreeSet<&str> = accepted.iter().map(|r| r.unit.as_str()).collect();
    for u in units.iter().filter(|u| !got.contains(u.id.as_str())) {
        problems.push(Problem::Missing {
            unit: u.id.clone(),
            name: u.name.clone(),
        });
    }
    (accepted, problems)
}

pub(super) fn place(file: &Path, sheet: Option<&str>, cell: Option<String>) -> Place {
    Place {
        file: file.to_path_buf(),
        sheet: sheet.map(str::to_string),
        cell,
    }
}

/// Returns as found in a file: where each is, its unit and date, and its
/// raw values with their places.
pub(super) type Found = Vec<(Place, Return, Vec<(Place, Raw)>)>;

pub(super) fn new_return(unit: String, date: Option<String>) -> Return {
    Return {
        unit,
        date,
        values: Vec::new(),
    }
}

/// CSV: a header row `单位编号,[填报日期,][单位名称,]<row names…>`, then one
/// row per unit (the 汇总表 CSV has this shape too; its 合计 row is skipped).
fn read_csv(file: &Path, form: &Form) -> Result<Found, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(file)
        .map_err(|e| e.to_string())?;
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let id_col = col(ID_COLUMN).ok_or_else(|| format!("第 1 行缺少“{ID_COLUMN}”列"))?;
    let date_col = col(super::DATE_FIELD);
    let cells = form.cells();
    let mut value_cols = Vec::new();
    for (r, c) in &cells {
        let name = form.cell_name(*r, *c);
        value_cols.push(col(&name).ok_or_else(|| format!("第 1 行缺少“{name}”列"))?);
    }
    let known: BTreeSet<&str> = ["序号", ID_COLUMN, "单位名称", super::DATE_FIELD]
        .into_iter()
        .collect();
    let names: BTreeSet<String> = cells.iter().map(|(r, c)| form.cell_name(*r, *c)).collect();
    if let Some(extra) = header
        .iter()
        .find(|h| !known.contains(h.as_str()) && !names.contains(*h))
    {
        return Err(format!("第 1 行的列“{extra}”不是统计表中的项目"));
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        let line = i + 2;
        let id = rec.get(id_col).unwrap_or("").trim().to_string();
        if id.is_empty() || id == "合计" {
            continue;
        }
        let at = place(file, None, Some(format!("第 {line} 行")));
        let date = date_col
            .and_then(|c| rec.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let raws = value_cols
            .iter()
            .map(|c| {
                let cell = format!("第 {line} 行第 {} 列", c + 1);
                (
                    place(file, None, Some(cell)),
                    Raw::Text(rec.get(*c).unwrap_or("").to_string()),
                )
            })
            .collect();
        out.push((at.clone(), new_return(id, date), raws));
    }
    Ok(out)
}

/// YAML: `单位编号`, optional `填报日期`, and per filled column a mapping from
/// row name to value (`数量: {组织普法活动: 3, …}`); a file may hold a list.
fn read_yaml(file: &Path, form: &Form) -> Result<Found, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let doc: serde_yaml::Value = crate::content::decode(file, &text).map_err(|e| e.to_string())?;
    let items = match doc {
        serde_yaml::Value::Sequence(s) => s,
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let map = item
            .as_mapping()
            .ok_or_else(|| format!("第 {} 份不是键值表", i + 1))?;
        let get = |k: &str| map.get(serde_yaml::Value::String(k.into()));
        let scalar = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let id = get(ID_COLUMN)
            .and_then(scalar)
            .ok_or_else(|| format!("第 {} 份缺少“{ID_COLUMN}”", i + 1))?;
        let date = get(super::DATE_FIELD).and_then(scalar);
        let mut raws = Vec::new();
        for (r, c) in form.cells() {
            let column = &form.header[c];
            let key = form.key(r);
            let at = place(file, None, Some(format!("{id}.{column}.{key}")));
            let v = get(column).and_then(|m| m.get(serde_yaml::Value::String(key.to_string())));
            let raw = match v {
                None | Some(serde_yaml::Value::Null) => Raw::Empty,
                Some(serde_yaml::Value::Number(n)) => Raw::Number(n.as_f64().unwrap_or(f64::NAN)),
                Some(serde_yaml::Value::String(s)) => Raw::Text(s.clone()),
                Some(other) => Raw::Text(format!("{other:?}")),
            };
            raws.push((at, raw));
        }
        let at = place(file, None, Some(format!("第 {} 份", i + 1)));
        out.push((at.clone(), new_return(id, date), raws));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_whole_non_negative_numbers() {
        assert_eq!(check(Raw::Text(" 12 ".into())), Ok(Some(12)));
        assert_eq!(check(Raw::Number(3.0)), Ok(Some(3)));
        assert_eq!(check(Raw::Empty), Ok(None));
        assert_eq!(check(Raw::Text("".into())), Ok(None));
        assert_eq!(check(Raw::Text("十二".into())).unwrap_err().1, "不是数字");
        assert_eq!(check(Raw::Number(2.5)).unwrap_err().1, "应为整数");
        assert_eq!(check(Raw::Text("-1".into())).unwrap_err().1, "不能为负数");
        assert_eq!(check(Raw::Text("NaN".into())).unwrap_err().1, "不是数字");
    }
}
