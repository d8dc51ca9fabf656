//! The Excel workbook of the form, written for units to fill in and read
//! back when they return it: the one place that knows its layout. The
//! unit's name is filled and protected, the fill cells are open and limited
//! to whole numbers ≥ 0, and the unit id is kept on a hidden sheet so that
//! a return is recognised even if renamed.

use std::path::Path;

use calamine::{Data, Reader};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::returns::{new_return, place, Found, Raw};
use super::{Form, Unit, DATE_FIELD, UNIT_FIELD};
use crate::content::Date;
use crate::error::{Error, Result};

/// The hidden sheet that identifies the workbook: the unit id in B1.
const ID_SHEET: &str = "gongwen";
/// The visible sheet.
const FORM_SHEET: &str = "填报表";
/// Row 0 holds the title; row 1 the 填报单位 and, in its last column, the
/// 填报日期; row 2 the header; the table's rows follow.
const FIELDS_ROW: u32 = 1;
const HEADER_ROW: u32 = 2;
const FIRST_DATA_ROW: u32 = 3;

/// The workbook of `form` for `unit`, as bytes, with `values` (one per fill
/// cell, `Form::cells` order; empty for a blank form) and the 填报日期 when
/// known. `date` fixes the document's creation time so that the same content
/// gives the same file.
pub fn form_workbook(
    form: &Form,
    unit: &Unit,
    date: Date,
    values: &[Option<i64>],
    filled: Option<&str>,
) -> Result<Vec<u8>> {
    build(form, unit, date, values, filled)
        .map_err(|e| Error::Export(format!("无法生成 Excel 填报表：{e}")))
}

fn build(
    form: &Form,
    unit: &Unit,
    date: Date,
    values: &[Option<i64>],
    filled: Option<&str>,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        chrono::Datelike::year(&date.0) as u16,
        chrono::Datelike::month(&date.0) as u8,
        chrono::Datelike::day(&date.0) as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(form.attachment.display_name())
            .set_creation_datetime(&created)
            .set_custom_property("gongwen.unit", unit.id.as_str()),
    );
    let cols = form.header.len() as u16;
    let last = cols - 1;
    let base = Format::new().set_font_name("仿宋_GB2312").set_font_size(14);
    let title = base
        .clone()
        .set_font_name("方正小标宋简体")
        .set_font_size(18)
        .set_align(FormatAlign::Center);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = cell.clone().set_font_name("黑体");
    let open = cell.clone().set_unlocked();
    let open_plain = base.clone().set_unlocked();

    let ws = wb.add_worksheet();
    ws.set_name(FORM_SHEET)?;
    ws.merge_range(0, 0, 0, last, &form.attachment.display_name(), &title)?;
    ws.set_row_height(0, 36)?;
    // 填报单位 (filled, locked) on the left, 填报日期 (open) in the last column.
    let unit_label = format!("{UNIT_FIELD}：{}", unit.name);
    if last >= 2 {
        ws.merge_range(FIELDS_ROW, 0, FIELDS_ROW, last - 2, &unit_label, &base)?;
    } else {
        ws.write_string_with_format(FIELDS_ROW, 0, &unit_label, &base)?;
    }
    if last >= 1 {
        ws.write_string_with_format(FIELDS_ROW, last - 1, format!("{DATE_FIELD}："), &base)?;
        match filled {
            Some(d) => ws.write_string_with_format(FIELDS_ROW, last, d, &open_plain)?,
            None => ws.write_blank(FIELDS_ROW, last, &open_plain)?,
        };
    }
    for (c, h) in form.header.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h, &head)?;
    }
    let value = |r: usize, c: usize| {
        form.cells()
            .iter()
            .position(|rc| *rc == (r, c))
            .and_then(|i| values.get(i).copied().flatten())
    };
    for (r, row) in form.rows.iter().enumerate() {
        let rr = FIRST_DATA_ROW + r as u32;
        for (c, v) in row.iter().enumerate() {
            if form.fill_columns.contains(&c) {
                match value(r, c) {
                    Some(n) => ws.write_number_with_format(rr, c as u16, n as f64, &open)?,
                    None => ws.write_blank(rr, c as u16, &open)?,
                };
            } else if let Ok(n) = v.parse::<i64>() {
                ws.write_number_with_format(rr, c as u16, n as f64, &cell)?;
            } else {
                ws.write_string_with_format(rr, c as u16, v, &cell)?;
            }
        }
    }
    let rows = form.rows.len() as u32;
    let whole = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("数值不符合要求")?
        .set_error_message("请填写大于或等于 0 的整数。")?;
    for c in &form.fill_columns {
        ws.add_data_validation(
            FIRST_DATA_ROW,
            *c as u16,
            FIRST_DATA_ROW + rows - 1,
            *c as u16,
            &whole,
        )?;
    }
    for c in 0..cols {
        let widest = std::iter::once(&form.header[c as usize])
            .chain(form.rows.iter().map(|r| &r[c as usize]))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(2);
        ws.set_column_width(c, (widest * 3).clamp(8, 40) as f64)?;
    }
    ws.protect();

    // The hidden sheet that identifies the workbook.
    let id = wb.add_worksheet();
    id.set_name(ID_SHEET)?;
    id.write_string(0, 0, "单位编号")?;
    id.write_string(0, 1, &unit.id)?;
    id.write_string(1, 0, "单位名称")?;
    id.write_string(1, 1, &unit.name)?;
    id.set_very_hidden(true);
    id.protect();
    wb.save_to_buffer()
}

/// Reads a returned workbook: the unit id on the hidden sheet, the values
/// in the fill columns from `FIRST_DATA_ROW`, each row's name checked.
pub(super) fn read(file: &Path, form: &Form) -> std::result::Result<Found, String> {
    let mut wb = calamine::open_workbook_auto(file).map_err(|e| e.to_string())?;
    let ids = wb
        .worksheet_range(ID_SHEET)
        .map_err(|_| format!("不是 gongwen 生成的填报表（没有“{ID_SHEET}”工作表）"))?;
    let id = match ids.get_value((0, 1)) {
        Some(Data::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err(format!("“{ID_SHEET}”工作表中缺少单位编号（B1）")),
    };
    let sheet = wb
        .sheet_names()
        .into_iter()
        .find(|n| n != ID_SHEET)
        .ok_or("没有填报表工作表")?;
    let range = wb.worksheet_range(&sheet).map_err(|e| e.to_string())?;
    let cell_ref = |r: u32, c: u32| rust_xlsxwriter::utility::row_col_to_cell(r, c as u16);
    let text = |d: Option<&Data>| match d {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Float(f)) => f.to_string(),
        _ => String::new(),
    };
    let at = place(file, Some(&sheet), None);
    let cols = form.header.len() as u32;
    let date = text(range.get_value((FIELDS_ROW, cols - 1)));
    let mut raws = Vec::new();
    for (r, c) in form.cells() {
        let row = FIRST_DATA_ROW + r as u32;
        let key = text(range.get_value((row, form.key_column as u32)));
        if key != form.key(r) {
            return Err(format!(
                "工作表“{sheet}”{} 应为“{}”，实为“{key}”：表格的行被改动过",
                cell_ref(row, form.key_column as u32),
                form.key(r)
            ));
        }
        let raw = match range.get_value((row, c as u32)) {
            None | Some(Data::Empty) => Raw::Empty,
            Some(Data::Int(i)) => Raw::Number(*i as f64),
            Some(Data::Float(f)) => Raw::Number(*f),
            Some(Data::String(s)) => Raw::Text(s.clone()),
            Some(other) => Raw::Text(other.to_string()),
        };
        raws.push((
            place(file, Some(&sheet), Some(cell_ref(row, c as u32))),
            raw,
        ));
    }
    let date = (!date.is_empty()).then_some(date);
    Ok(vec![(at.clone(), new_return(id, date), raws)])
}
