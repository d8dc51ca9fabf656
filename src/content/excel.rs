//! Tables kept in Excel, as secretariats keep them: an attachment's table
//! may name a sheet (来源) instead of typing its rows. The sheet's used range,
//! or a given range (A1:F20) or defined name, becomes the table: its first
//! rows the header (表头行数, default 1), merged regions the merged cells.
//! Read bounded: only the range's cells, at most `MAX_CELLS` of them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader, Xlsx};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::table::{Cell, Row};

/// Where a table's cells come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The workbook, relative to the content folder.
    pub file: String,
    /// The sheet (default: the first).
    pub sheet: Option<String>,
    /// A1:F20, or a defined name (default: the used range).
    pub range: Option<String>,
    /// How many of the first rows are the header.
    pub header_rows: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFields {
    #[serde(rename = "文件")]
    file: String,
    #[serde(rename = "工作表", default)]
    sheet: Option<String>,
    #[serde(rename = "区域", default)]
    range: Option<String>,
    #[serde(rename = "表头行数", default)]
    header_rows: Option<usize>,
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Source;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("Excel 文件名，或 {文件, 工作表, 区域, 表头行数}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Source, E> {
                Ok(Source {
                    file: v.to_string(),
                    sheet: None,
                    range: None,
                    header_rows: 1,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Source, A::Error> {
                let f = SourceFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let header_rows = f.header_rows.unwrap_or(1);
                if header_rows == 0 || header_rows > 10 {
                    return Err(de::Error::custom("表头行数 应在 1 到 10 之间"));
                }
                Ok(Source {
                    file: f.file,
                    sheet: f.sheet,
                    range: f.range,
                    header_rows,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The most cells a table from Excel may have.
const MAX_CELLS: usize = 100_000;

/// Refuses a range too large to be a table, before reading it.
fn check_size(start: (u32, u32), end: (u32, u32)) -> Result<(), String> {
    if end.0 < start.0 || end.1 < start.1 {
        return Err("区域的终点在起点之前".into());
    }
    let (rows, cols) = (
        (end.0 - start.0 + 1) as usize,
        (end.1 - start.1 + 1) as usize,
    );
    if rows.saturating_mul(cols) > MAX_CELLS || cols > 100 {
        return Err(format!(
            "区域有 {rows} 行 {cols} 列，太大；请用 区域 指定表格所在的格子"
        ));
    }
    Ok(())
}

/// A1 → (row, col), 0-based.
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.replace('$', "");
    let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digits = &s[letters.len()..];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters
        .to_ascii_uppercase()
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// "A1:F20" → ((r0, c0), (r1, c1)).
fn range_ref(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let s = s.rsplit('!').next().unwrap_or(s);
    let (a, b) = s.split_once(':')?;
    Some((cell_ref(a)?, cell_ref(b)?))
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => {
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
            base.checked_add_signed(chrono::TimeDelta::days(d.as_f64().floor() as i64))
                .map(|day| super::Date(day).chinese())
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

/// The header rows and body rows of `src`, read from the content folder.
pub fn read(root: &Path, src: &Source) -> Result<(Vec<Vec<Cell>>, Vec<Row>), String> {
    let path = root.join(src.file.trim_start_matches('/'));
    let real =
        std::fs::canonicalize(&path).map_err(|_| format!("内容文件夹中没有文件“{}”", src.file))?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !real.starts_with(&root) {
        return Err(format!("“{}”不在内容文件夹中", src.file));
    }
    super::text::check_size(&real, 20 * 1024 * 1024).map_err(|e| e.to_string())?;
    let broken = |e: &dyn fmt::Display| {
        format!("无法读取“{}”：可能已损坏或不是 Excel 文件（{e}）", src.file)
    };
    let mut wb = open_workbook_auto(&real).map_err(|e| broken(&e))?;
    let names = wb.sheet_names();
    let sheet = match &src.sheet {
        Some(s) if names.contains(s) => s.clone(),
        Some(s) => {
            return Err(format!(
                "“{}”中没有工作表“{s}”（有：{}）",
                src.file,
                names.join("、")
            ))
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| format!("“{}”中没有工作表", src.file))?,
    };
    let bounds = match &src.range {
        None => None,
        Some(r) => Some(
            range_ref(r)
                .or_else(|| {
                    wb.defined_names()
                        .iter()
                        .find(|(n, _)| n == r)
                        .and_then(|(_, f)| range_ref(f))
                })
                .ok_or_else(|| format!("“{r}”不是区域（如 A1:F20）也不是定义的名称"))?,
        ),
    };
    // The cells, streamed from xlsx (a sheet may claim a used range up to
    // XFD1048576; nothing beyond the table's bounds is kept), or from the
    // older formats' bounded ranges.
    let xlsx = real
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let mut values: HashMap<(u32, u32), String> = HashMap::new();
    let (start, end) = if xlsx {
        let mut x: Xlsx<_> = calamine::open_workbook(&real).map_err(|e| broken(&e))?;
        let mut reader = x.worksheet_cells_reader(&sheet).map_err(|e| broken(&e))?;
        let dims = reader.dimensions();
        let (start, end) = bounds.unwrap_or((dims.start, dims.end));
        check_size(start, end)?;
        while let Some(cell) = reader.next_cell().map_err(|e| broken(&e))? {
            let (r, c) = cell.get_position();
            if r > end.0 {
                break;
            }
            if r >= start.0 && c >= start.1 && c <= end.1 {
                let v: Data = cell.get_value().clone().into();
                values.insert((r, c), text(&v));
            }
        }
        (start, end)
    } else {
        let range = wb.worksheet_range(&sheet).map_err(|e| broken(&e))?;
        let used = range
            .start()
            .ok_or_else(|| format!("工作表“{sheet}”是空的"))?;
        let (start, end) = bounds.unwrap_or((used, range.end().unwrap_or(used)));
        check_size(start, end)?;
        for r in start.0..=end.0 {
            for c in start.1..=end.1 {
                if let Some(v) = range.get_value((r, c)) {
                    values.insert((r, c), text(v));
                }
            }
        }
        (start, end)
    };
    let cols = (end.1 - start.1 + 1) as usize;
    // Merged regions (xlsx only), clipped to the range.
    let merges: Vec<((u32, u32), (u32, u32))> = if xlsx {
        let mut x: Xlsx<_> = calamine::open_workbook(&real).map_err(|e| broken(&e))?;
        x.merge_cells_by_sheet_name(&sheet)
            .map_err(|e| broken(&e))?
            .into_iter()
            .map(|d| (d.start, d.end))
            .filter(|(a, b)| a.0 >= start.0 && a.1 >= start.1 && b.0 <= end.0 && b.1 <= end.1)
            .collect()
    } else {
        Vec::new()
    };
    let mut covered: HashMap<(u32, u32), ()> = HashMap::new();
    let mut spans: HashMap<(u32, u32), (usize, usize)> = HashMap::new();
    for (a, b) in &merges {
        spans.insert(*a, ((b.0 - a.0 + 1) as usize, (b.1 - a.1 + 1) as usize));
        for r in a.0..=b.0 {
            for c in a.1..=b.1 {
                if (r, c) != *a {
                    covered.insert((r, c), ());
                }
            }
        }
    }
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    for r in start.0..=end.0 {
        let mut row = Vec::new();
        for c in start.1..=end.1 {
            if covered.contains_key(&(r, c)) {
                continue;
            }
            let (rows, cols) = spans.get(&(r, c)).copied().unwrap_or((1, 1));
            row.push(Cell {
                text: values.remove(&(r, c)).unwrap_or_default(),
                rows,
                cols,
            });
        }
        grid.push(row);
    }
    let header_rows = src.header_rows.min(grid.len());
    let body = grid.split_off(header_rows);
    // A row merged across the whole table is a category row.
    let width = cols;
    let rows = body
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| match r.as_slice() {
            [only] if only.cols == width && only.rows == 1 => Row::Category(only.text.clone()),
            _ => Row::Cells(r),
        })
        .collect();
    Ok((grid, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("$AB$12"), Some((11, 27)));
        assert_eq!(range_ref("Sheet1!$A$1:$C$4"), Some(((0, 0), (3, 2))));
        assert_eq!(cell_ref("1A"), None);
    }
}
