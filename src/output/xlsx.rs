//! Excel workbooks of the form for units to fill in: the unit's name filled
//! and protected, the fill cells open and limited to whole numbers ≥ 0, the
//! unit id kept on a hidden sheet so a return is recognised even if renamed.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use crate::content::Date;
use crate::error::{Error, Result};
use crate::forms::returns::{FIRST_DATA_ROW, FORM_SHEET, ID_SHEET};
use crate::forms::{Form, Unit, DATE_FIELD, UNIT_FIELD};

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
        .map_err(|e| Error::Other(format!("无法生成 Excel 填报表：{e}")))
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
    let cols = form.table.header.len() as u16;
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
        ws.merge_range(1, 0, 1, last - 2, &unit_label, &base)?;
    } else {
        ws.write_string_with_format(1, 0, &unit_label, &base)?;
    }
    if last >= 1 {
        ws.write_string_with_format(1, last - 1, format!("{DATE_FIELD}："), &base)?;
        match filled {
            Some(d) => ws.write_string_with_format(1, last, d, &open_plain)?,
            None => ws.write_blank(1, last, &open_plain)?,
        };
    }
    for (c, h) in form.table.header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &head)?;
    }
    let value = |r: usize, c: usize| {
        form.cells()
            .iter()
            .position(|rc| *rc == (r, c))
            .and_then(|i| values.get(i).copied().flatten())
    };
    for (r, row) in form.table.rows.iter().enumerate() {
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
    let rows = form.table.rows.len() as u32;
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
        let widest = std::iter::once(&form.table.header[c as usize])
            .chain(form.table.rows.iter().map(|r| &r[c as usize]))
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
