//! Tables kept in Excel, as secretariats keep them: an attachment's table
//! may name a sheet (来源) instead of typing its rows. The sheet's used range,
//! or a given range (A1:F20) or defined name, becomes the table: its first
//! rows the header (表头行数, default 1), merged regions the merged cells.
//! Read bounded: only the range's cells, at most `MAX_CELLS` of them.

use std::collections::HashMap;
use std::path::Path;

use super::table::{Cell, Row, Source};
use crate::office::workbook::{self, Value};

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

/// A number as Excel shows it under the common format codes: fixed
/// decimals (0.00), thousands separators (#,##0.00), percentages (0.0%).
/// Other codes (dates, currencies, conditions) give none: the number is
/// printed as stored.
fn formatted(value: f64, code: &str) -> Option<String> {
    let code = code.split(';').next()?.trim();
    let percent = code.ends_with('%');
    let body = code.trim_end_matches('%');
    if body.is_empty() || !body.chars().all(|c| matches!(c, '0' | '#' | ',' | '.')) {
        return None;
    }
    let places = body
        .split_once('.')
        .map_or(0, |(_, d)| d.chars().filter(|c| *c == '0').count());
    let value = if percent { value * 100.0 } else { value };
    let fixed = format!("{:.*}", places, value);
    let fixed = if body.contains(',') {
        let (int, frac) = fixed
            .split_once('.')
            .map_or((fixed.as_str(), None), |(i, f)| (i, Some(f)));
        let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
        let mut grouped = String::new();
        for (k, ch) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}.{f}"),
            None => format!("{sign}{grouped}"),
        }
    } else {
        fixed
    };
    Some(if percent { format!("{fixed}%") } else { fixed })
}

fn text(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Text(s) => s.trim().to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::Date(d) => super::Date(*d).chinese(),
        Value::Other(s) => s.clone(),
    }
}

/// A defined name's sheet and range: `'Sheet 2'!$A$1:$F$20`. A name into
/// another workbook (`[1]Sheet1!…`) or over several areas is refused.
fn defined_range(name: &str, formula: &str) -> Result<(Option<String>, Bounds), String> {
    let formula = formula.trim_start_matches('=');
    if formula.contains('[') {
        return Err(format!(
            "定义的名称“{name}”指向另一个工作簿（{formula}）；请把表格复制到这个文件中"
        ));
    }
    if formula.contains(',') {
        return Err(format!(
            "定义的名称“{name}”包含多个区域（{formula}）；请只指定一个区域"
        ));
    }
    let (sheet, cells) = match formula.rsplit_once('!') {
        Some((sheet, cells)) => (Some(sheet.trim_matches('\'').replace("''", "'")), cells),
        None => (None, formula),
    };
    let bounds = range_ref(cells)
        .or_else(|| cell_ref(cells).map(|c| (c, c)))
        .ok_or_else(|| format!("定义的名称“{name}”不是一个区域（{formula}）"))?;
    Ok((sheet, bounds))
}

type Bounds = ((u32, u32), (u32, u32));

/// The header rows and body rows of `src`, read from the content folder.
pub fn read(root: &Path, src: &Source) -> Result<(Vec<Vec<Cell>>, Vec<Row>), String> {
    let path = root.join(src.file.trim_start_matches('/'));
    let real =
        std::fs::canonicalize(&path).map_err(|_| format!("内容文件夹中没有文件“{}”", src.file))?;
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !real.starts_with(&root) {
        return Err(format!("“{}”不在内容文件夹中", src.file));
    }
    let mut wb = workbook::open(&real).map_err(|e| format!("“{}”：{e}", src.file))?;
    let names: Vec<String> = wb.sheets().iter().map(|s| s.name.clone()).collect();
    // A defined name carries its own sheet.
    let (named_sheet, bounds) = match &src.range {
        None => (None, None),
        Some(r) => match range_ref(r) {
            Some(b) => (None, Some(b)),
            None => {
                let formula = wb
                    .defined_name(r)
                    .ok_or_else(|| format!("“{r}”不是区域（如 A1:F20）也不是定义的名称"))?
                    .to_string();
                let (sheet, b) = defined_range(r, &formula)?;
                (sheet, Some(b))
            }
        },
    };
    let sheet = match (&src.sheet, named_sheet) {
        (Some(s), Some(n)) if *s != n => {
            return Err(format!(
                "定义的名称“{}”在工作表“{n}”中，不在“{s}”中",
                src.range.as_deref().unwrap_or("")
            ))
        }
        (_, Some(n)) => n,
        (Some(n), None) => n.clone(),
        (None, None) => wb
            .sheets()
            .iter()
            .find(|s| s.visible)
            .map(|s| s.name.clone())
            .ok_or_else(|| format!("“{}”中没有可见的工作表", src.file))?,
    };
    if !names.contains(&sheet) {
        return Err(format!(
            "“{}”中没有工作表“{sheet}”（有：{}）",
            src.file,
            names.join("、")
        ));
    }
    // The used range from the cells themselves, not from what the file says.
    let (start, end) = match bounds {
        Some(b) => b,
        None => wb
            .used_range(&sheet)?
            .ok_or_else(|| format!("工作表“{sheet}”是空的，没有可读的表格"))?,
    };
    check_size(start, end)?;
    // Numbers as the sheet shows them: 2490.5 in a "0.00" cell is 2490.50.
    let formats = wb.number_formats(&sheet, (start, end))?;
    let mut values: HashMap<(u32, u32), String> = wb
        .cells(&sheet, start.0..end.0 + 1, start.1..end.1 + 1)?
        .iter()
        .map(|(p, v)| {
            let shown = match (v, formats.get(p)) {
                (Value::Float(f), Some(code)) => formatted(*f, code),
                (Value::Int(i), Some(code)) => formatted(*i as f64, code),
                _ => None,
            };
            (*p, shown.unwrap_or_else(|| text(v)))
        })
        .collect();
    if values.values().all(|v| v.is_empty()) {
        return Err(format!("工作表“{sheet}”的区域中没有任何内容"));
    }
    let cols = (end.1 - start.1 + 1) as usize;
    // Merged regions inside the range.
    let merges: Vec<Bounds> = wb
        .merges(&sheet)?
        .into_iter()
        .filter(|(a, b)| a.0 >= start.0 && a.1 >= start.1 && b.0 <= end.0 && b.1 <= end.1)
        .collect();
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

    #[test]
    fn numbers_are_shown_as_their_format_codes_show_them() {
        assert_eq!(formatted(2490.5, "0.00").as_deref(), Some("2490.50"));
        assert_eq!(formatted(1234567.0, "#,##0").as_deref(), Some("1,234,567"));
        assert_eq!(formatted(-1234.5, "#,##0.00").as_deref(), Some("-1,234.50"));
        assert_eq!(formatted(0.125, "0.0%").as_deref(), Some("12.5%"));
        assert_eq!(formatted(3.0, "0").as_deref(), Some("3"));
        assert_eq!(formatted(45000.0, "yyyy-mm-dd"), None);
        assert_eq!(formatted(12.0, "\"¥\"#,##0.00"), None);
    }
}
