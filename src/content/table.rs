//! Tables as offices make them: a header of one row (列) or several (表头)
//! with merged cells, rows with merged cells and full-width category rows,
//! a caption, a 单位 line and notes around them, and 合计/小计 rows computed
//! from the numbers. `place` puts every cell on the table's grid — the one
//! place that knows how spans fill it — for the checks, the view and forms.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::columns::{ColumnKind, Formula};
use super::scalar::{scalar_or_map, Scalar, ScalarOrMap};

/// A table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// 表题: printed above the table (numbered 表1, 表2 … when an
    /// attachment has several).
    #[serde(rename = "表题", default)]
    pub caption: Option<String>,
    /// 单位: printed "单位：人" at the right above the table.
    #[serde(rename = "单位", default)]
    pub unit: Option<String>,
    /// Column headers, one row.
    #[serde(rename = "列", default)]
    pub columns: Vec<Cell>,
    /// A header of several rows, with merged cells (instead of 列).
    #[serde(rename = "表头", default)]
    pub header: Vec<Vec<Cell>>,
    /// Relative column widths; default from the content.
    #[serde(rename = "列宽", default)]
    pub widths: Option<Vec<f64>>,
    /// The first column is the row number, generated from order (1, 2, 3 …).
    #[serde(rename = "自动序号", default)]
    pub auto_number: bool,
    /// Rows; with 自动序号 each row omits the first column.
    #[serde(rename = "行", default)]
    pub rows: Vec<Row>,
    /// A 合计 row computed from the numbers (the label: 合计, 总计 …).
    #[serde(rename = "合计", default, deserialize_with = "label")]
    pub total: Option<String>,
    /// A 小计 row after each category's rows.
    #[serde(rename = "小计", default)]
    pub subtotals: bool,
    /// Notes under the table: 注：1. … 2. …
    #[serde(rename = "注", default, deserialize_with = "super::model::one_or_many")]
    pub notes: Vec<String>,
    /// The table's size: 3号, 4号, 小4, or points.
    #[serde(rename = "字号", default)]
    pub size: Option<FontSize>,
    /// Alignment per column: 左, 中 or 右 (default: long text left, the
    /// rest centred).
    #[serde(rename = "对齐", default)]
    pub align: Vec<Align>,
    /// 横排 (§8): set rotated on its pages. Without it, a table too wide for
    /// the portrait 版心 is rotated when that lets it fit.
    #[serde(rename = "横排", default)]
    pub landscape: bool,
    /// 最多行数: a 台账 (明细表) whose blank rows a unit fills with as many
    /// entries as it has, up to this many; the rows given are those printed.
    #[serde(rename = "最多行数", default)]
    pub max_rows: Option<usize>,
    /// 列类型: what each column holds, in column order (计数, 金额, 百分比,
    /// 文本, or a computed "=甲 ÷ 乙"): how a form takes it, how totals treat it.
    #[serde(rename = "列类型", default)]
    pub kinds: Vec<ColumnKind>,
    /// The table's cells come from an Excel sheet (replacing 列/表头/行).
    #[serde(rename = "来源", default)]
    pub source: Option<Source>,
}

/// Where a table's cells come from (来源): a sheet of a workbook, read by
/// `excel`.
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

impl ScalarOrMap for Source {
    const EXPECTING: &'static str = "Excel 文件名，或 {文件, 工作表, 区域, 表头行数}";
    type Fields = SourceFields;
    fn from_scalar(file: String) -> Result<Self, String> {
        Ok(Source {
            file,
            sheet: None,
            range: None,
            header_rows: 1,
        })
    }
    fn from_fields(f: SourceFields) -> Result<Self, String> {
        let header_rows = f.header_rows.unwrap_or(1);
        if header_rows == 0 || header_rows > 10 {
            return Err("表头行数 应在 1 到 10 之间".into());
        }
        Ok(Source {
            file: f.file,
            sheet: f.sheet,
            range: f.range,
            header_rows,
        })
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_or_map(d)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFields {
    #[serde(rename = "文件")]
    file: String,
    #[serde(rename = "工作表", default)]
    sheet: Option<String>,
    #[serde(rename = "区域", default)]
    range: Option<String>,
    #[serde(rename = "表头行数", default)]
    header_rows: Option<usize>,
}

/// A cell: text or a number, or {文字, 跨行, 跨列} for a merged cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// Rows the cell spans (1: itself).
    pub rows: usize,
    /// Columns the cell spans.
    pub cols: usize,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            rows: 1,
            cols: 1,
        }
    }
}

/// A row: cells, or a category heading across the whole table.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Cells(Vec<Cell>),
    Category(String),
}

/// A table size in the 号数制 or in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FontSize(pub f64);

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Align {
    #[serde(rename = "左")]
    Left,
    #[serde(rename = "中")]
    Center,
    #[serde(rename = "右")]
    Right,
}

impl Align {
    pub fn name(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

impl<'de> Deserialize<'de> for FontSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FontSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("字号，如 4号、小4 或磅数 12")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FontSize, E> {
                let pt = match v.trim() {
                    "初号" => 42.0,
                    "小初" => 36.0,
                    "一号" | "1号" => 26.0,
                    "小一" | "小1" => 24.0,
                    "二号" | "2号" => 22.0,
                    "小二" | "小2" => 18.0,
                    "三号" | "3号" => 16.0,
                    "小三" | "小3" => 15.0,
                    "四号" | "4号" => 14.0,
                    "小四" | "小4" => 12.0,
                    "五号" | "5号" => 10.5,
                    "小五" | "小5" => 9.0,
                    other => {
                        return other
                            .trim_end_matches("pt")
                            .trim()
                            .parse::<f64>()
                            .map_err(|_| {
                                E::custom(format!("“{v}”不是字号（可用 3号、4号、小4 或磅数）"))
                            })
                            .and_then(|p| self.visit_f64(p))
                    }
                };
                Ok(FontSize(pt))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FontSize, E> {
                if (6.0..=42.0).contains(&v) {
                    Ok(FontSize(v))
                } else {
                    Err(E::custom(format!("字号 {v} 应在 6 到 42 磅之间")))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FontSize, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FontSize, E> {
                self.visit_f64(v as f64)
            }
        }
        d.deserialize_any(V)
    }
}

impl ScalarOrMap for Cell {
    const EXPECTING: &'static str = "文字、数字，或 {文字, 跨行, 跨列}";
    type Fields = CellFields;
    fn from_scalar(text: String) -> Result<Self, String> {
        Ok(Cell::text(text))
    }
    fn from_fields(f: CellFields) -> Result<Self, String> {
        let (rows, cols) = (f.rows.unwrap_or(1), f.cols.unwrap_or(1));
        if rows == 0 || cols == 0 || rows > MAX_SPAN || cols > MAX_SPAN {
            return Err(format!("跨行、跨列 应在 1 到 {MAX_SPAN} 之间"));
        }
        Ok(Cell {
            text: f.text.map(|s| s.0).unwrap_or_default(),
            rows,
            cols,
        })
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_or_map(d)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellFields {
    #[serde(rename = "文字", default)]
    text: Option<Scalar>,
    #[serde(rename = "跨行", default)]
    rows: Option<usize>,
    #[serde(rename = "跨列", default)]
    cols: Option<usize>,
}

/// The most rows or columns one cell may span.
const MAX_SPAN: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFields {
    #[serde(rename = "分类")]
    category: String,
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Row;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("一行的格子列表，或 {分类: 文字}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Row, A::Error> {
                let mut cells = Vec::new();
                while let Some(c) = seq.next_element::<Cell>()? {
                    cells.push(c);
                }
                Ok(Row::Cells(cells))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Row, A::Error> {
                let f = CategoryFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Row::Category(f.category))
            }
        }
        d.deserialize_any(V)
    }
}

/// 合计: true (labelled 合计) or the label itself (总计).
fn label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("true 或 合计行的名称（如 总计）")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(v.then(|| "合计".to_string()))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
    d.deserialize_any(V)
}

/// A cell on the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    /// Generated (a row number, a total), not typed.
    pub generated: bool,
}

/// A row of the laid-out body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyRow {
    /// Data cells starting in this row (the content's row index).
    Cells {
        index: usize,
        cells: Vec<Placed>,
    },
    Category {
        index: usize,
        text: String,
    },
    /// A computed 合计 or 小计 row.
    Total(Vec<Placed>),
}

/// A table on its grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub width: usize,
    pub header: Vec<Vec<Placed>>,
    pub body: Vec<BodyRow>,
}

/// A problem placing cells: the row (`None`: a header row) and cell it is
/// about, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Misplaced {
    /// In the header (表头/列) or the body (行).
    pub header: bool,
    pub row: usize,
    pub cell: Option<usize>,
    pub message: String,
}

impl Table {
    /// The header rows as written (表头, or 列 as one row); none for a
    /// grid typed without one (a Word 登记表 whose first row is data).
    pub fn header_rows(&self) -> Vec<Vec<Cell>> {
        if !self.header.is_empty() {
            self.header.clone()
        } else if !self.columns.is_empty() || self.rows.is_empty() {
            vec![self.columns.clone()]
        } else {
            Vec::new()
        }
    }

    /// What column `col` holds (列类型; not said: `Auto`).
    pub fn kind(&self, col: usize) -> &ColumnKind {
        static AUTO: ColumnKind = ColumnKind::Auto;
        self.kinds.get(col).unwrap_or(&AUTO)
    }

    /// The computed columns with the columns they are computed from:
    /// (column, formula, left, right).
    pub fn formulas(&self, grid: &Grid) -> Result<Vec<(usize, Formula, usize, usize)>, String> {
        if self.kinds.len() > grid.width {
            return Err(format!(
                "列类型写了 {} 项，表格只有 {} 列",
                self.kinds.len(),
                grid.width
            ));
        }
        let names = grid.column_names();
        let mut out = Vec::new();
        for (col, kind) in self.kinds.iter().enumerate() {
            if let ColumnKind::Computed(f) = kind {
                let (l, r) = f.resolve(&names)?;
                if l == col || r == col {
                    return Err(format!("第 {} 列的计算式 {f} 用到了它自己", col + 1));
                }
                if [l, r].iter().any(|c| !self.kind(*c).is_summed()) {
                    return Err(format!(
                        "第 {} 列的计算式 {f} 只能用数值列（计数、金额）",
                        col + 1
                    ));
                }
                out.push((col, f.clone(), l, r));
            }
        }
        Ok(out)
    }

    /// Every cell on the grid, the 合计 and 小计 rows computed, or every
    /// problem found (spans that overlap, leave the table or leave holes;
    /// a typed total that disagrees with the rows).
    pub fn place(&self) -> Result<Grid, Vec<Misplaced>> {
        let mut grid = self.grid_only()?;
        let mut problems = Vec::new();
        // A 列类型 that cannot be used is `check`'s to report, at its line.
        let formulas = self.formulas(&grid).unwrap_or_default();
        // A share's denominator: its column's total over the data rows.
        let shares: Vec<(usize, Option<Decimal>)> = formulas
            .iter()
            .filter(|(_, f, ..)| f.is_share())
            .map(|(_, _, l, _)| (*l, sum(&grid.body, *l)))
            .collect();
        for row in &mut grid.body {
            if let BodyRow::Cells { cells, .. } = row {
                compute(cells, &formulas, &shares);
            }
        }
        self.totals(&mut grid, &mut problems);
        for row in &mut grid.body {
            if let BodyRow::Total(cells) = row {
                compute(cells, &formulas, &shares);
            }
        }
        if problems.is_empty() {
            Ok(grid)
        } else {
            Err(problems)
        }
    }

    /// The cells on the grid, without computing or checking totals (for
    /// tables gongwen makes itself, whose totals are its own).
    pub fn grid_only(&self) -> Result<Grid, Vec<Misplaced>> {
        let mut problems = Vec::new();
        let header_rows = self.header_rows();
        // Without a header, the first row gives the width.
        let first_row = self.rows.iter().find_map(|r| match r {
            Row::Cells(cells) => Some(cells.iter().map(|c| c.cols).sum::<usize>()),
            Row::Category(_) => None,
        });
        let width: usize = match header_rows.first() {
            Some(r) => r.iter().map(|c| c.cols).sum(),
            None => first_row.unwrap_or(0) + usize::from(self.auto_number),
        };
        if width == 0 {
            problems.push(Misplaced {
                header: true,
                row: 0,
                cell: None,
                message: "表格至少要有一列（列 或 表头）".into(),
            });
            return Err(problems);
        }
        let header = fill(&header_rows, width, 0, true, &mut problems);
        let first = usize::from(self.auto_number);
        let mut body = Vec::new();
        let mut data: Vec<Vec<Cell>> = Vec::new();
        let mut kinds = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            match row {
                Row::Cells(cells) => {
                    data.push(cells.clone());
                    kinds.push(Some(i));
                }
                Row::Category(_) => {
                    data.push(vec![Cell {
                        text: String::new(),
                        rows: 1,
                        cols: width - first,
                    }]);
                    kinds.push(None);
                }
            }
        }
        let placed = fill(&data, width, first, false, &mut problems);
        let mut number = 0;
        for ((i, row), cells) in self.rows.iter().enumerate().zip(placed) {
            match row {
                Row::Category(text) => body.push(BodyRow::Category {
                    index: i,
                    text: text.clone(),
                }),
                Row::Cells(_) => {
                    let mut cells = cells;
                    if self.auto_number {
                        number += 1;
                        cells.insert(
                            0,
                            Placed {
                                text: number.to_string(),
                                row: i,
                                col: 0,
                                rows: 1,
                                cols: 1,
                                generated: true,
                            },
                        );
                    }
                    body.push(BodyRow::Cells { index: i, cells });
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Grid {
            width,
            header,
            body,
        })
    }

    /// Adds the 小计 and 合计 rows, and checks a typed total row.
    fn totals(&self, grid: &mut Grid, problems: &mut Vec<Misplaced>) {
        let mut numeric = numeric_columns(grid);
        numeric.retain(|c| self.kind(*c).is_summed());
        // A typed total: the last row, labelled 合计 or 总计.
        if self.total.is_none() {
            if let Some(BodyRow::Cells { index, cells }) = grid.body.last() {
                let typed = cells
                    .iter()
                    .any(|c| !c.generated && is_total_label(&c.text));
                if typed {
                    let before = &grid.body[..grid.body.len() - 1];
                    for &col in &numeric {
                        let want = sum(before, col);
                        let got = cells.iter().find(|c| c.col == col && c.cols == 1);
                        if let (Some(want), Some(got)) = (want, got) {
                            if parse(&got.text) != Some(want.clone()) && !got.text.trim().is_empty()
                            {
                                problems.push(Misplaced {
                                    header: false,
                                    row: *index,
                                    cell: None,
                                    message: format!(
                                        "第 {} 列的合计写的是 {}，各行之和是 {}",
                                        col + 1,
                                        got.text.trim(),
                                        want.to_plain_string()
                                    ),
                                });
                            }
                        }
                    }
                }
            }
        }
        // The label spans the columns before the first number (a blank
        // form's fill columns hold none yet: then all but the last).
        let first_number = numeric
            .first()
            .copied()
            .unwrap_or(grid.width.saturating_sub(1));
        let label_cols = first_number.max(1);
        let total_row = |rows: &[BodyRow], label: &str| {
            let mut cells = vec![Placed {
                text: label.to_string(),
                row: 0,
                col: 0,
                rows: 1,
                cols: label_cols,
                generated: true,
            }];
            for col in label_cols..grid.width {
                let text = if numeric.contains(&col) {
                    sum(rows, col)
                        .map(|s| s.to_plain_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                cells.push(Placed {
                    text,
                    row: 0,
                    col,
                    rows: 1,
                    cols: 1,
                    generated: true,
                });
            }
            BodyRow::Total(cells)
        };
        if self.subtotals {
            let mut out = Vec::new();
            let mut group: Vec<BodyRow> = Vec::new();
            let flush = |out: &mut Vec<BodyRow>, group: &mut Vec<BodyRow>| {
                if group.iter().any(|r| matches!(r, BodyRow::Cells { .. })) {
                    let sub = total_row(group, "小计");
                    out.append(group);
                    out.push(sub);
                } else {
                    out.append(group);
                }
            };
            for row in std::mem::take(&mut grid.body) {
                if matches!(row, BodyRow::Category { .. }) {
                    flush(&mut out, &mut group);
                    out.push(row);
                } else {
                    group.push(row);
                }
            }
            flush(&mut out, &mut group);
            grid.body = out;
        }
        if let Some(label) = &self.total {
            let data: Vec<BodyRow> = grid
                .body
                .iter()
                .filter(|r| matches!(r, BodyRow::Cells { .. }))
                .cloned()
                .collect();
            let row = total_row(&data, label);
            grid.body.push(row);
        }
    }
}

impl Grid {
    /// Each column's header texts, top to bottom.
    pub fn column_names(&self) -> Vec<Vec<String>> {
        let mut names = vec![Vec::new(); self.width];
        for cell in self.header.iter().flatten() {
            for col in names.iter_mut().skip(cell.col).take(cell.cols) {
                if !cell.text.trim().is_empty() {
                    col.push(cell.text.trim().to_string());
                }
            }
        }
        names
    }
}

/// Fills the computed cells of a row left empty, from its own cells: a
/// rate of two numbers, their difference or sum.
fn compute(
    cells: &mut [Placed],
    formulas: &[(usize, Formula, usize, usize)],
    shares: &[(usize, Option<Decimal>)],
) {
    for (col, f, l, r) in formulas {
        let number = |c: &usize| {
            cells
                .iter()
                .find(|p| p.col == *c && p.cols == 1)
                .and_then(|p| parse(&p.text))
        };
        let right = if f.is_share() {
            shares
                .iter()
                .find(|(c, _)| c == l)
                .and_then(|(_, t)| t.clone())
        } else {
            number(r)
        };
        let (Some(left), Some(right)) = (number(l), right) else {
            continue;
        };
        let value = f.apply(&left, &right);
        if let Some(cell) = cells.iter_mut().find(|p| p.col == *col && p.cols == 1) {
            if cell.text.trim().is_empty() {
                cell.text = value;
            }
        }
    }
}

fn is_total_label(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "合计" | "总计" | "共计" | "总计数")
}

/// Places `rows` on a grid `width` wide, each starting at column `first`:
/// each cell goes to the next free slot; spans are marked taken.
fn fill(
    rows: &[Vec<Cell>],
    width: usize,
    first: usize,
    header: bool,
    problems: &mut Vec<Misplaced>,
) -> Vec<Vec<Placed>> {
    let mut taken: Vec<Vec<bool>> = vec![vec![false; width]; rows.len()];
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut placed = Vec::new();
        let mut col = first;
        // "[开展应急演练，次, 3]": a Chinese comma where a cell ends.
        let comma = if row.iter().any(|c| c.text.contains('，')) {
            "；格中有中文逗号“，”，各格之间请用半角逗号“,”分隔"
        } else {
            ""
        };
        for (i, cell) in row.iter().enumerate() {
            while col < width && taken[r][col] {
                col += 1;
            }
            let bad = |message: String| Misplaced {
                header,
                row: r,
                cell: Some(i),
                message,
            };
            if col + cell.cols > width {
                let have: usize = row.iter().map(|c| c.cols).sum();
                let numbered = if first > 0 {
                    "（自动序号，不含序号列）"
                } else {
                    ""
                };
                problems.push(bad(if cell.cols > 1 {
                    format!("这一格跨 {} 列，超出表格的 {width} 列", cell.cols)
                } else {
                    format!(
                        "这一行有 {have} 格，应为 {} 格{numbered}{comma}",
                        width - first
                    )
                }));
                break;
            }
            if r + cell.rows > rows.len() {
                problems.push(bad(format!(
                    "跨 {} 行，超出了{}的最后一行",
                    cell.rows,
                    if header { "表头" } else { "表格" }
                )));
            }
            let mut overlap = false;
            let below = (r + cell.rows).min(rows.len());
            for line in &mut taken[r..below] {
                for slot in &mut line[col..col + cell.cols] {
                    overlap |= *slot;
                    *slot = true;
                }
            }
            if overlap {
                problems.push(bad("与上方跨行的格子重叠".into()));
            }
            placed.push(Placed {
                text: cell.text.clone(),
                row: r,
                col,
                rows: cell.rows,
                cols: cell.cols,
                generated: false,
            });
            col += cell.cols;
        }
        let free = (first..width).filter(|c| !taken[r][*c]).count();
        if free > 0 && problems.iter().all(|p| p.header != header || p.row != r) {
            let have = width - first - free;
            problems.push(Misplaced {
                header,
                row: r,
                cell: None,
                message: format!(
                    "这一行占 {have} 格，应为 {} 格{}{comma}",
                    width - first,
                    if first > 0 {
                        "（自动序号，不含序号列）"
                    } else {
                        ""
                    }
                ),
            });
        }
        out.push(placed);
    }
    out
}

/// A number held exactly, however many digits it has (bigdecimal: sums of
/// any size are exact, and its scale is kept: 1.50 + 2 = 3.50).
type Decimal = bigdecimal::BigDecimal;

/// A number as tables write them: 1234, 1,234, 12.5, -3; not a date or a
/// code (a leading zero is kept as text: 001).
fn parse(s: &str) -> Option<Decimal> {
    let t: String = s.trim().chars().filter(|c| *c != ',').collect();
    if t.is_empty() || t.len() > 30 {
        return None;
    }
    let digits = t.strip_prefix('-').unwrap_or(&t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int.is_empty()
        || !all_digits(int)
        || !all_digits(frac)
        || int.len() > 1 && int.starts_with('0')
    {
        return None;
    }
    t.parse().ok()
}

/// The columns whose data cells (single-column, non-empty) are all numbers,
/// with at least one; the generated 序号 column is not one of them.
fn numeric_columns(grid: &Grid) -> Vec<usize> {
    (0..grid.width)
        .filter(|&col| {
            let mut any = false;
            let all = grid.body.iter().all(|r| match r {
                BodyRow::Cells { cells, .. } => cells
                    .iter()
                    .filter(|c| c.col == col && c.cols == 1 && !c.text.trim().is_empty())
                    .all(|c| {
                        let n = parse(&c.text).is_some() && !c.generated;
                        any |= n;
                        n || is_total_label(&c.text)
                    }),
                _ => true,
            });
            all && any
        })
        .collect()
}

/// The exact sum of column `col` over `rows`' data cells.
fn sum(rows: &[BodyRow], col: usize) -> Option<Decimal> {
    let values: Vec<Decimal> = rows
        .iter()
        .filter_map(|r| match r {
            BodyRow::Cells { cells, .. } => Some(cells),
            _ => None,
        })
        .flatten()
        .filter(|c| c.col == col && c.cols == 1)
        .filter_map(|c| parse(&c.text))
        .collect();
    let first = values.first()?.clone();
    Some(values.iter().skip(1).fold(first, |acc, v| acc + v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(yaml: &str) -> Table {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn totals_stay_exact_however_many_digits_the_cells_have() {
        // 20 digits before the point beside 20 after it: 40 digits, more
        // than any machine integer holds.
        let t = table(
            "列: [项目, 金额]\n行:\n  - [甲, \"12345678901234567890\"]\n  - [乙, \"0.12345678901234567890\"]\n  - [丙, \"1.50\"]\n合计: true\n",
        );
        let g = t.place().unwrap();
        let total = g
            .body
            .iter()
            .find_map(|r| match r {
                BodyRow::Total(c) => Some(c[1].text.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(total, "12345678901234567891.62345678901234567890");
    }

    #[test]
    fn computed_columns_are_computed_in_every_row_and_in_the_total() {
        let t = table(
            "列: [行业, 发现, 已整改, 整改率, 占比]\n列类型: [自动, 计数, 计数, \"=已整改 ÷ 发现\", \"=发现 ÷ 合计\"]\n\
             行:\n  - [消防, 7, 6, \"\", \"\"]\n  - [燃气, 0, 0, \"\", \"\"]\n  - [交通, 1, 1, \"\", \"\"]\n合计: true\n",
        );
        let g = t.place().unwrap();
        let texts: Vec<Vec<String>> = g
            .body
            .iter()
            .map(|r| match r {
                BodyRow::Cells { cells, .. } | BodyRow::Total(cells) => {
                    cells.iter().map(|c| c.text.clone()).collect()
                }
                BodyRow::Category { text, .. } => vec![text.clone()],
            })
            .collect();
        assert_eq!(
            texts,
            [
                vec!["消防", "7", "6", "85.71%", "87.50%"],
                vec!["燃气", "0", "0", "—", "0.00%"],
                vec!["交通", "1", "1", "100.00%", "12.50%"],
                vec!["合计", "8", "7", "87.50%", "100.00%"],
            ]
        );
    }

    #[test]
    fn spans_fill_the_grid_and_totals_are_computed_exactly() {
        let t = table(
            "表头:\n  - [{文字: 地区, 跨行: 2}, {文字: 人数, 跨列: 2}]\n  - [2018年, 2019年]\n\
             行:\n  - {分类: 东部}\n  - [甲, 1.5, 2]\n  - [乙, \"1,000\", 3]\n  - {分类: 西部}\n  - [丙, 2.25, 4]\n\
             合计: 总计\n小计: true\n",
        );
        let g = t.place().unwrap();
        assert_eq!(g.width, 3);
        assert_eq!(g.header[1][0].col, 1, "2018年 goes under 人数");
        let totals: Vec<Vec<String>> = g
            .body
            .iter()
            .filter_map(|r| match r {
                BodyRow::Total(c) => Some(c.iter().map(|c| c.text.clone()).collect()),
                _ => None,
            })
            .collect();
        assert_eq!(
            totals,
            [
                vec!["小计", "1001.5", "5"],
                vec!["小计", "2.25", "4"],
                vec!["总计", "1003.75", "9"]
            ]
        );
    }

    #[test]
    fn overlaps_holes_and_wrong_typed_totals_are_found() {
        let t = table(
            "列: [甲, 乙, 丙]\n行:\n  - [{文字: a, 跨行: 2}, b, c]\n  - [{文字: d, 跨列: 3}]\n",
        );
        let p = t.place().unwrap_err();
        assert!(p.iter().any(|p| p.row == 1), "{p:?}");
        let t = table("列: [甲, 乙]\n行:\n  - [a]\n");
        assert!(t.place().unwrap_err()[0].message.contains("应为 2 格"));
        let t = table("列: [甲, 乙]\n行:\n  - [a, 1]\n  - [b, 2]\n  - [合计, 4]\n");
        let p = t.place().unwrap_err();
        assert!(p[0].message.contains("各行之和是 3"), "{p:?}");
        let t = table("列: [甲, 乙]\n行:\n  - [a, 1]\n  - [b, 2]\n  - [合计, 3]\n");
        assert!(t.place().is_ok());
    }
}
