//! Workbooks (xlsx, xlsm, xls, et, ods), read bounded. calamine reads them,
//! but its xls and ods readers lay out every sheet's whole used range when
//! the file is opened: one cell claimed at row 65535, column 65535 of a 6 KB
//! .xls asks for 137 GB, and an .ods row of one value repeated 16,384 times
//! grows 20,000 rows to gigabytes. So before calamine sees a file, its size,
//! its unpacked size and the number of cells the reader would lay out are
//! counted from the file's own records, and a file past the limits is
//! refused unread. xlsx is streamed cell by cell and keeps only the cells
//! asked for. The format is told from the file's first bytes, not its name
//! (WPS saves .et as either), and only regular files are opened (a FIFO
//! named t.xlsx would block forever).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::ops::Range;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};

/// The largest workbook read: a form is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most its parts may unpack to (refuses a zip bomb before inflating).
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// The most cells an xls or ods reader may lay out, over all sheets
/// (about 100 MB of memory); a form has a few hundred.
pub const MAX_CELLS: u64 = 1_000_000;

/// A cell's value as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// A date, in whichever date system the workbook uses (1900 or 1904).
    Date(chrono::NaiveDate),
    /// An error value (#DIV/0!) or a date outside the calendar, as text.
    Other(String),
}

impl Value {
    /// The value as text (names, states, numbers as Excel shows them).
    pub fn text(&self) -> String {
        use chrono::Datelike;
        match self {
            Value::Empty => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Text(s) | Value::Other(s) => s.trim().to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        }
    }
}

/// A worksheet and whether a person sees it.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
}

/// (row, column), 0-based.
pub type Pos = (u32, u32);

/// An open workbook.
pub struct Workbook {
    inner: Inner,
    sheets: Vec<Sheet>,
    names: Vec<(String, String)>,
}

enum Inner {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Xls(Box<Xls<Cursor<Vec<u8>>>>),
    Ods(Box<Ods<Cursor<Vec<u8>>>>),
}

/// The very hidden sheet that identifies a workbook gongwen wrote: what it
/// is for (a unit id, a department) in B1.
pub const ID_SHEET: &str = "gongwen";

/// A workbook's title and creation time (a document's date, so that the
/// same content gives the same file).
pub fn properties(
    title: &str,
    date: chrono::NaiveDate,
) -> Result<rust_xlsxwriter::DocProperties, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(
        date.year() as u16,
        date.month() as u8,
        date.day() as u8,
    )?;
    Ok(rust_xlsxwriter::DocProperties::new()
        .set_title(title)
        .set_creation_datetime(&created))
}

const BROKEN: &str = "无法读取这个表格文件：可能已损坏，或不是 Excel/WPS 表格格式";

/// Opens the workbook at `path`, refusing (in Chinese) what is not a
/// regular file, is too large, or would unpack or lay out too much.
pub fn open(path: &Path) -> Result<Workbook, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("无法打开：{}", crate::error::io_words(&e)))?;
    if !meta.is_file() {
        return Err("不是普通文件（可能是文件夹、管道或设备），无法作为表格读取".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件过大（{:.1} MB），上限 {} MB，不像是一张表格",
            meta.len() as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES).read_to_end(&mut bytes))
        .map_err(|e| format!("无法读取：{}", crate::error::io_words(&e)))?;
    let (inner, sheets, names) = if bytes.starts_with(&CFB_MAGIC) {
        scan_xls(&bytes)?;
        let wb = Xls::new(Cursor::new(bytes)).map_err(|_| BROKEN.to_string())?;
        let (s, n) = metadata(&wb);
        (Inner::Xls(Box::new(wb)), s, n)
    } else if bytes.starts_with(b"PK") {
        let ods = check_zip(&bytes)?;
        if ods {
            scan_ods(&bytes)?;
            let wb = Ods::new(Cursor::new(bytes)).map_err(|_| BROKEN.to_string())?;
            let (s, n) = metadata(&wb);
            (Inner::Ods(Box::new(wb)), s, n)
        } else {
            let wb = Xlsx::new(Cursor::new(bytes)).map_err(|_| BROKEN.to_string())?;
            let (s, n) = metadata(&wb);
            (Inner::Xlsx(Box::new(wb)), s, n)
        }
    } else {
        return Err(
            "不是 Excel 或 WPS 表格文件（.xlsx/.xls/.et/.ods）；可能只是改了扩展名，或文件已损坏"
                .into(),
        );
    };
    Ok(Workbook {
        inner,
        sheets,
        names,
    })
}

fn metadata<R: Reader<Cursor<Vec<u8>>>>(wb: &R) -> (Vec<Sheet>, Vec<(String, String)>) {
    let sheets = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| Sheet {
            name: s.name.clone(),
            visible: s.visible == SheetVisible::Visible,
        })
        .collect();
    (sheets, wb.defined_names().to_vec())
}

impl Workbook {
    /// The worksheets in the workbook's order.
    pub fn sheets(&self) -> &[Sheet] {
        &self.sheets
    }

    /// The text in B1 of the hidden id sheet (a unit id, a department);
    /// `Err` when the workbook has none (not one gongwen wrote).
    pub fn id(&mut self) -> Result<Option<String>, String> {
        if !self.sheets.iter().any(|s| s.name == ID_SHEET) {
            return Err(String::new());
        }
        let ids = self.cells(ID_SHEET, 0..1, 0..2)?;
        let id = ids.get(&(0, 1)).map(Value::text).unwrap_or_default();
        Ok((!id.is_empty()).then_some(id))
    }

    /// The sheet that holds what was filled in: `preferred` (the name
    /// gongwen gave it) if it is there and visible, else the first visible
    /// sheet that `fits` (a unit may rename the sheet, put an instructions
    /// sheet in front or hide an old copy: a hidden sheet is never read, a
    /// sheet that does not fit is skipped), else the first visible one.
    pub fn data_sheet(
        &mut self,
        preferred: &str,
        fits: impl Fn(&mut Workbook, &str) -> Result<bool, String>,
    ) -> Result<Option<String>, String> {
        let visible: Vec<String> = self
            .sheets
            .iter()
            .filter(|s| s.visible && s.name != ID_SHEET)
            .map(|s| s.name.clone())
            .collect();
        if visible.iter().any(|n| n == preferred) {
            return Ok(Some(preferred.to_string()));
        }
        for name in &visible {
            if fits(self, name)? {
                return Ok(Some(name.clone()));
            }
        }
        Ok(visible.into_iter().next())
    }

    /// The formula a defined name stands for (`Sheet2!$A$1:$F$20`).
    pub fn defined_name(&self, name: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.as_str())
    }

    /// The non-empty cells of `sheet` inside `rows` × `cols`; nothing outside
    /// them is kept, whatever the sheet claims.
    pub fn cells(
        &mut self,
        sheet: &str,
        rows: Range<u32>,
        cols: Range<u32>,
    ) -> Result<BTreeMap<Pos, Value>, String> {
        let mut out = BTreeMap::new();
        self.each_cell(sheet, |(r, c), v| {
            if r >= rows.end {
                return false;
            }
            if rows.contains(&r) && cols.contains(&c) && v != Value::Empty {
                out.insert((r, c), v);
            }
            true
        })?;
        Ok(out)
    }

    /// The formulas of `sheet` inside `rows` × `cols` (a unit that typed
    /// "=B5+C5" into a value cell: its value is used, and said).
    pub fn formulas(
        &mut self,
        sheet: &str,
        rows: Range<u32>,
        cols: Range<u32>,
    ) -> Result<BTreeMap<Pos, String>, String> {
        let missing = || format!("没有工作表“{sheet}”");
        let inside = |(r, c): Pos| rows.contains(&r) && cols.contains(&c);
        let mut out = BTreeMap::new();
        match &mut self.inner {
            Inner::Xlsx(wb) => {
                let mut reader = wb.worksheet_cells_reader(sheet).map_err(|_| missing())?;
                while let Some(cell) = reader.next_formula().map_err(|_| BROKEN.to_string())? {
                    let at = cell.get_position();
                    if at.0 >= rows.end {
                        break;
                    }
                    if inside(at) && !cell.get_value().is_empty() {
                        out.insert(at, cell.get_value().clone());
                    }
                }
            }
            Inner::Xls(wb) => {
                let range = wb.worksheet_formula(sheet).map_err(|_| missing())?;
                each_formula(range, &mut |at, f| {
                    if inside(at) {
                        out.insert(at, f);
                    }
                });
            }
            Inner::Ods(wb) => {
                let range = wb.worksheet_formula(sheet).map_err(|_| missing())?;
                each_formula(range, &mut |at, f| {
                    if inside(at) {
                        out.insert(at, f);
                    }
                });
            }
        }
        Ok(out)
    }

    /// The number format codes of `sheet`'s cells from `start` to `end`
    /// (inclusive: "0.00", "#,##0", "0.0%"), read streamed from an xlsx;
    /// other formats give none (their numbers print as stored).
    pub fn number_formats(
        &mut self,
        sheet: &str,
        (start, end): (Pos, Pos),
    ) -> Result<BTreeMap<Pos, String>, String> {
        let (rows, cols) = (start.0..end.0 + 1, start.1..end.1 + 1);
        let mut out = BTreeMap::new();
        let Inner::Xlsx(wb) = &mut self.inner else {
            return Ok(out);
        };
        let mut reader = wb
            .worksheet_cells_reader(sheet)
            .map_err(|_| format!("没有工作表“{sheet}”"))?;
        let styles = reader.styles().to_vec();
        while let Some((r, c, id)) = reader.next_style_id().map_err(|_| BROKEN.to_string())? {
            if r >= rows.end {
                break;
            }
            let code = styles
                .get(id)
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.clone());
            if let (true, Some(code)) = (rows.contains(&r) && cols.contains(&c), code) {
                if code != "General" {
                    out.insert((r, c), code);
                }
            }
        }
        Ok(out)
    }

    /// The first and last row and column that hold a value, from the cells
    /// themselves (xlsx's optional `<dimension>` may be missing or wrong).
    pub fn used_range(&mut self, sheet: &str) -> Result<Option<(Pos, Pos)>, String> {
        let mut bounds: Option<(Pos, Pos)> = None;
        self.each_cell(sheet, |(r, c), v| {
            if v != Value::Empty {
                let (a, b) = bounds.get_or_insert(((r, c), (r, c)));
                *a = (a.0.min(r), a.1.min(c));
                *b = (b.0.max(r), b.1.max(c));
            }
            true
        })?;
        Ok(bounds)
    }

    /// The merged regions of `sheet`, each as (top left, bottom right) however
    /// the file wrote its corners. ods merges are not read (calamine has none).
    pub fn merges(&mut self, sheet: &str) -> Result<Vec<(Pos, Pos)>, String> {
        let dims = match &mut self.inner {
            Inner::Xlsx(wb) => wb
                .merge_cells_by_sheet_name(sheet)
                .map_err(|_| BROKEN.to_string())?,
            Inner::Xls(wb) => wb
                .merge_cells_by_sheet_name(sheet)
                .map_err(|_| BROKEN.to_string())?,
            Inner::Ods(_) => Vec::new(),
        };
        Ok(dims
            .into_iter()
            .map(|d| {
                let (a, b) = (d.start, d.end);
                ((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)))
            })
            .collect())
    }

    /// Calls `f` with every stored cell of `sheet` in row order until it
    /// returns false. xlsx is streamed; xls and ods were bounded at open.
    fn each_cell(
        &mut self,
        sheet: &str,
        mut f: impl FnMut(Pos, Value) -> bool,
    ) -> Result<(), String> {
        let missing = || format!("没有工作表“{sheet}”");
        match &mut self.inner {
            Inner::Xlsx(wb) => {
                let mut reader = wb.worksheet_cells_reader(sheet).map_err(|_| missing())?;
                while let Some(cell) = reader.next_cell().map_err(|_| BROKEN.to_string())? {
                    if !f(cell.get_position(), value_ref(cell.get_value())) {
                        break;
                    }
                }
            }
            Inner::Xls(wb) => each_in_range(wb.worksheet_range(sheet).map_err(|_| missing())?, f),
            Inner::Ods(wb) => each_in_range(wb.worksheet_range(sheet).map_err(|_| missing())?, f),
        }
        Ok(())
    }
}

/// The formulas of a sheet laid out whole (xls, ods: bounded at open).
fn each_formula(range: calamine::Range<String>, f: &mut dyn FnMut(Pos, String)) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, formula) in range.used_cells() {
        if !formula.is_empty() {
            f((r0 + r as u32, c0 + c as u32), formula.clone());
        }
    }
}

fn each_in_range(range: calamine::Range<Data>, mut f: impl FnMut(Pos, Value) -> bool) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, v) in range.used_cells() {
        if !f((r0 + r as u32, c0 + c as u32), value(v)) {
            break;
        }
    }
}

fn value_ref(d: &DataRef) -> Value {
    match d {
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::Empty => Value::Empty,
        other => value(&Data::from(other.clone())),
    }
}

/// A calamine value as gongwen reads it. Dates go through calamine's
/// conversion, which knows the workbook's date system (Excel for Mac saves
/// in the 1904 system: the same serial is four years and a day later).
pub fn value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Float(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) if !d.is_duration() => d
            .as_datetime()
            .map(|t| Value::Date(t.date()))
            .unwrap_or_else(|| Value::Other(format!("日期 {}", d.as_f64()))),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map_or_else(|| Value::Text(s.clone()), Value::Date),
        other => Value::Other(other.to_string()),
    }
}

use super::package::{parts, CFB_MAGIC};

/// Checks a zip's declared unpacked size, reading no data; tells whether it
/// is an OpenDocument spreadsheet (true) or an Office Open XML one.
fn check_zip(bytes: &[u8]) -> Result<bool, String> {
    let names = parts(bytes, "表格", MAX_UNPACKED_BYTES)?;
    let has = |n: &str| names.iter().any(|p| p == n);
    Ok(has("content.xml") && !has("xl/workbook.xml"))
}

fn too_many(cells: u64) -> String {
    format!(
        "表格声称有约 {cells} 个单元格，超过 {MAX_CELLS} 个的上限，不像是一张填报表；请只保留表格本身后重新保存"
    )
}

/// Counts the cells calamine's xls reader would lay out, from the BIFF
/// records of the workbook stream: per sheet, the rectangle its DIMENSIONS
/// record claims (reserved) and the rectangle spanned by its cell records
/// (laid out), both at full size.
fn scan_xls(bytes: &[u8]) -> Result<(), String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| BROKEN.to_string())?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or(BROKEN)?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|s| s.take(MAX_UNPACKED_BYTES).read_to_end(&mut stream))
        .map_err(|_| BROKEN.to_string())?;
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |d: &[u8], i: usize| {
        d.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let area = |a: Pos, b: Pos| -> u64 {
        (u64::from(b.0.saturating_sub(a.0)) + 1) * (u64::from(b.1.saturating_sub(a.1)) + 1)
    };
    let mut total: u64 = 0;
    let mut depth = 0usize;
    let mut bbox: Option<(Pos, Pos)> = None;
    let mut pos = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(&stream, pos), u16_at(&stream, pos + 2)) {
        let data = &stream[(pos + 4).min(stream.len())..(pos + 4 + len as usize).min(stream.len())];
        pos += 4 + len as usize;
        let mut cell = |r: u16, c: u16| {
            let (r, c) = (u32::from(r), u32::from(c));
            let (a, b) = bbox.get_or_insert(((r, c), (r, c)));
            *a = (a.0.min(r), a.1.min(c));
            *b = (b.0.max(r), b.1.max(c));
        };
        match typ {
            0x0809 => depth += 1,
            0x000A => {
                if depth == 1 {
                    total = total.saturating_add(bbox.take().map_or(0, |(a, b)| area(a, b)));
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth != 1 => {}
            // DIMENSIONS: BIFF8 (u32 rows, u16 columns) or older (u16 all).
            0x0200 => {
                let (rows, cols) = if data.len() >= 14 {
                    let (r0, r1) = (u32_at(data, 0).unwrap_or(0), u32_at(data, 4).unwrap_or(0));
                    let (c0, c1) = (u16_at(data, 8).unwrap_or(0), u16_at(data, 10).unwrap_or(0));
                    (r1.saturating_sub(r0), c1.saturating_sub(c0))
                } else {
                    let (r0, r1) = (u16_at(data, 0).unwrap_or(0), u16_at(data, 2).unwrap_or(0));
                    let (c0, c1) = (u16_at(data, 4).unwrap_or(0), u16_at(data, 6).unwrap_or(0));
                    (u32::from(r1.saturating_sub(r0)), c1.saturating_sub(c0))
                };
                total = total.saturating_add(u64::from(rows) * u64::from(cols));
            }
            // Cell records calamine keeps: NUMBER, LABEL, RSTRING, BOOLERR,
            // RK, LABELSST, FORMULA — (row, column) first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cell(r, c);
                }
            }
            // MULRK: row, first column, …, last column.
            0x00BD if data.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len() - 2),
                ) {
                    cell(r, c0);
                    cell(r, c1);
                }
            }
            _ => {}
        }
        if total > MAX_CELLS {
            return Err(too_many(total));
        }
    }
    total = total.saturating_add(bbox.map_or(0, |(a, b)| area(a, b)));
    if total > MAX_CELLS {
        return Err(too_many(total));
    }
    Ok(())
}

/// Counts the cells calamine's ods reader would lay out, from content.xml:
/// each row element's cells up to its last value (repeats expanded), and
/// the rectangle from the first to the last row with a value, repeats of
/// rows included, at the widest row's width.
fn scan_ods(bytes: &[u8]) -> Result<(), String> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| BROKEN.to_string())?;
    let content = zip.by_name("content.xml").map_err(|_| BROKEN.to_string())?;
    let mut xml =
        quick_xml::Reader::from_reader(std::io::BufReader::new(content.take(MAX_UNPACKED_BYTES)));
    let count = |e: &BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has = |e: &BytesStart, attr: &str| e.try_get_attribute(attr).ok().flatten().is_some();
    // Per table: materialised cells, rows seen, first/last row with a value,
    // widest row.
    let (mut total, mut laid, mut rows) = (0u64, 0u64, 0u64);
    let (mut first, mut last, mut widest) = (None::<u64>, 0u64, 0u64);
    // Within a row: its repeat, the columns so far and up to the last value.
    let (mut row_repeat, mut cols, mut width) = (1u64, 0u64, 0u64);
    let mut in_row = false;
    let mut buf = Vec::new();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|_| BROKEN.to_string())?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    (laid, rows, first, last, widest) = (0, 0, None, 0, 0);
                }
                "table:table-row" => {
                    row_repeat = count(e, "table:number-rows-repeated").min(1_048_576);
                    (cols, width, in_row) = (0, 0, matches!(event, Event::Start(_)));
                    if !in_row {
                        rows = rows.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if in_row => {
                    let repeat = count(e, "table:number-columns-repeated").min(16_384);
                    cols = cols.saturating_add(repeat).min(16_384);
                    let valued = matches!(event, Event::Start(_))
                        || has(e, "office:value-type")
                        || has(e, "table:formula");
                    if valued {
                        width = cols;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" if in_row => {
                    in_row = false;
                    laid = laid.saturating_add(width);
                    if width > 0 {
                        first.get_or_insert(rows);
                        last = rows.saturating_add(row_repeat);
                        widest = widest.max(width);
                    }
                    rows = rows.saturating_add(row_repeat);
                }
                "table:table" => {
                    let span = first.map_or(0, |f| last.saturating_sub(f));
                    total = total
                        .saturating_add(laid)
                        .saturating_add(span.saturating_mul(widest));
                    (laid, first) = (0, None);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if total.saturating_add(laid) > MAX_CELLS {
            return Err(too_many(total.saturating_add(laid)));
        }
        buf.clear();
    }
    if total > MAX_CELLS {
        return Err(too_many(total));
    }
    Ok(())
}
