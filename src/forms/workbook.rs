//! The Excel workbook of the form, written for units to fill in and read
//! back when they return it: the one place that knows its layout. The
//! unit's name is filled and protected, the fill cells are open and limited
//! to whole numbers ≥ 0, and the unit id is kept on a hidden sheet so that
//! a return is recognised even if renamed.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Workbook, XlsxError,
};

use super::returns::{new_return, place, Found, Raw};
use super::{Form, Unit};
use crate::content::columns::{ColumnKind, Formula, Op, NO_RATE};
use crate::content::Date;
use crate::error::{Error, Result};
use crate::office::workbook::{self, properties, ID_SHEET};

/// The visible sheet.
const FORM_SHEET: &str = "填报表";
/// Row 0 holds the title; row 1 the 填报单位 and, in its last column, the
/// 填报日期; the header's rows from row 2; the table's rows (data and
/// category rows, in order) after them.
const FIELDS_ROW: u32 = 1;
const HEADER_ROW: u32 = 2;

/// Where the table's rows go under the header: each content row in order,
/// and with 小计 a subtotal row after each group of data rows (as the PDF
/// prints them), each with the form's data rows it sums.
struct Body {
    content: Vec<u32>,
    subtotals: Vec<(u32, Vec<usize>)>,
    end: u32,
}

fn body(form: &Form) -> Body {
    let sub = form.table.subtotals && !form.register && form.ledger.is_none();
    let (mut at, mut content, mut subtotals, mut group) = (0, Vec::new(), Vec::new(), Vec::new());
    // `row_index` ascends: the next data row is the next content row that
    // is one (no search, no allocation: this runs for every cell written).
    let mut next = 0;
    for (i, row) in form.table.rows.iter().enumerate() {
        let category = matches!(row, crate::content::Row::Category(_));
        if sub && category && !group.is_empty() {
            subtotals.push((at, std::mem::take(&mut group)));
            at += 1;
        }
        content.push(at);
        at += 1;
        if form.row_index.get(next) == Some(&i) {
            group.push(next);
            next += 1;
        }
    }
    if sub && !group.is_empty() {
        subtotals.push((at, group));
        at += 1;
    }
    Body {
        content,
        subtotals,
        end: at,
    }
}

/// The sheet row of the table's `i`-th row (data or category); past the
/// content's rows (a 台账's), the rows go on under them.
fn body_row(form: &Form, i: usize) -> u32 {
    let b = body(form);
    let offset = match b.content.get(i) {
        Some(&at) => at,
        None => b.end + (i - b.content.len()) as u32,
    };
    HEADER_ROW + form.table.header_rows().len() as u32 + offset
}

/// The sheet row of the `k`-th other 填报栏 field (填报人, 联系电话 …): under
/// the table, after one blank row.
fn field_row(form: &Form, k: usize) -> u32 {
    // Under the last row (a 台账's rows go on past the content's) and the
    // 合计 row, after a blank one.
    let rows = form
        .row_index
        .last()
        .map_or(0, |r| r + 1)
        .max(form.table.rows.len());
    let total = form.table.total.is_some() && !form.register && form.ledger.is_none();
    body_row(form, rows) + 1 + u32::from(total) + k as u32
}

/// The sheet row of the form's `r`-th data row: the one place both the
/// writer and the reader learn it from.
fn data_row(form: &Form, r: usize) -> u32 {
    body_row(form, form.row_index[r])
}

/// The workbook of `form` for `unit`, as bytes, with `values` (one per fill
/// cell, `Form::cells` order; empty for a blank form), the 填报日期 when
/// known and the other 填报栏 fields (填报人, 联系电话 …; empty for a blank
/// form). `date` fixes the document's creation time so that the same
/// content gives the same file.
pub fn form_workbook(
    form: &Form,
    unit: &Unit,
    date: Date,
    values: &[Option<String>],
    filled: Option<&str>,
    fields: &BTreeMap<String, String>,
) -> Result<Vec<u8>> {
    // The workbook writer's errors, all at once, in the users' words.
    let book = || -> std::result::Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        wb.set_properties(
            &properties(&form.attachment.display_name(), date.0)?
                .set_custom_property("gongwen.unit", unit.id.as_str()),
        );
        let ws = wb.add_worksheet();
        ws.set_name(FORM_SHEET)?;
        form_sheet(ws, form, &unit.name, values, filled, fields)?;
        ws.protect();

        // The hidden sheet that identifies the workbook.
        let id = wb.add_worksheet();
        id.set_name(ID_SHEET)?;
        id.write_string(0, 0, "单位编号")?;
        id.write_string(0, 1, &unit.id)?;
        id.write_string(1, 0, "单位名称")?;
        id.write_string(1, 1, &unit.name)?;
        id.write_string(2, 0, "公文")?;
        id.write_string(2, 1, &form.document)?;
        id.set_very_hidden(true);
        id.protect();
        wb.save_to_buffer()
    };
    book().map_err(|e| Error::Export(format!("无法生成 Excel 填报表：{e}")))
}

/// The form sheet as the units get it — title, 填报栏, the table with its
/// header rows and merged cells, a validated open cell per value, computed
/// cells as formulas — with `values` in the fill cells: a unit's form, or
/// the 合计 of the 汇总 at the same cell addresses.
fn form_sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    form: &Form,
    unit_name: &str,
    values: &[Option<String>],
    filled: Option<&str>,
    fields: &BTreeMap<String, String>,
) -> std::result::Result<(), XlsxError> {
    {
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
        let rate = cell.clone().set_num_format("0.00%");
        let open_plain = base.clone().set_unlocked();

        ws.merge_range(0, 0, 0, last, &form.attachment.display_name(), &title)?;
        ws.set_row_height(0, 36)?;
        // 填报单位 (filled, locked) on the left, 填报日期 (open) in the last column.
        let (unit_field, date_field) = form.labels();
        let unit_label = format!("{unit_field}：{unit_name}");
        // The name spans the columns left of 填报日期：and its value (a merge
        // needs two cells at least).
        if last >= 3 {
            ws.merge_range(FIELDS_ROW, 0, FIELDS_ROW, last - 2, &unit_label, &base)?;
        } else {
            ws.write_string_with_format(FIELDS_ROW, 0, &unit_label, &base)?;
        }
        if last >= 1 {
            ws.write_string_with_format(FIELDS_ROW, last - 1, format!("{date_field}："), &base)?;
            match filled {
                Some(d) => ws.write_string_with_format(FIELDS_ROW, last, d, &open_plain)?,
                None => ws.write_blank(FIELDS_ROW, last, &open_plain)?,
            };
        }
        // The header as the form prints it: its rows, merged cells merged.
        if let Ok(grid) = form.table.grid_only() {
            for cell in grid.header.iter().flatten() {
                let (r0, c0) = (HEADER_ROW + cell.row as u32, cell.col as u16);
                let (r1, c1) = (r0 + cell.rows as u32 - 1, c0 + cell.cols as u16 - 1);
                if (r0, c0) == (r1, c1) {
                    ws.write_string_with_format(r0, c0, &cell.text, &head)?;
                } else {
                    ws.merge_range(r0, c0, r1, c1, &cell.text, &head)?;
                }
            }
        }
        // Category rows across the table, locked.
        let category = head.clone().set_align(FormatAlign::Left);
        for (i, row) in form.table.rows.iter().enumerate() {
            if let crate::content::Row::Category(text) = row {
                let r = body_row(form, i);
                if last >= 1 {
                    ws.merge_range(r, 0, r, last, text, &category)?;
                } else {
                    ws.write_string_with_format(r, 0, text, &category)?;
                }
            }
        }
        let value = |r: usize, c: usize| {
            form.cells()
                .iter()
                .position(|rc| *rc == (r, c))
                .and_then(|i| values.get(i).cloned().flatten())
        };
        let computed = form
            .table
            .grid_only()
            .ok()
            .and_then(|g| form.table.formulas(&g).ok())
            .unwrap_or_default();
        for (r, cells) in form.placed.iter().enumerate() {
            let rr = data_row(form, r);
            for p in cells {
                let (c, v) = (p.col, &p.text);
                let kind = form.kind(c);
                // A merged cell of a 登记表 (a label or a blank across columns).
                let span = (p.rows > 1 || p.cols > 1)
                    .then(|| (rr + p.rows as u32 - 1, (c + p.cols - 1) as u16));
                if let Some((_, f, left, right)) = computed.iter().find(|f| f.0 == c) {
                    // Computed where the unit types: locked, recomputed on read.
                    let (text, is_rate) = formula(form, rr, f, *left, *right);
                    let format = if is_rate { &rate } else { &cell };
                    ws.write_formula_with_format(rr, c as u16, text.as_str(), format)?;
                } else if form.is_fill(r, c) {
                    let open = match kind {
                        ColumnKind::Decimal(p) => open.clone().set_num_format(places(*p)),
                        ColumnKind::Percent => open.clone().set_num_format("0.00%"),
                        ColumnKind::Text => open.clone().set_num_format("@").set_text_wrap(),
                        ColumnKind::Date => open.clone().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
                        _ => open.clone(),
                    };
                    if let Some((r1, c1)) = span {
                        let v = value(r, c).unwrap_or_default();
                        ws.merge_range(rr, c as u16, r1, c1, &v, &open)?;
                        continue;
                    }
                    match value(r, c) {
                        Some(v) => match (kind, v.parse::<f64>()) {
                            (ColumnKind::Text | ColumnKind::Date | ColumnKind::Choice(_), _)
                            | (_, Err(_)) => {
                                ws.write_string_with_format(rr, c as u16, &v, &open)?
                            }
                            (ColumnKind::Percent, Ok(n)) => ws.write_number_with_format(
                                rr,
                                c as u16,
                                fraction(&v).unwrap_or(n / 100.0),
                                &open,
                            )?,
                            (_, Ok(n)) => ws.write_number_with_format(rr, c as u16, n, &open)?,
                        },
                        None => ws.write_blank(rr, c as u16, &open)?,
                    };
                } else if let Some((r1, c1)) = span {
                    ws.merge_range(rr, c as u16, r1, c1, v, &cell)?;
                } else if let Ok(n) = v.parse::<i64>() {
                    ws.write_number_with_format(rr, c as u16, n as f64, &cell)?;
                } else {
                    ws.write_string_with_format(rr, c as u16, v, &cell)?;
                }
            }
        }
        let layout = body(form);
        let base_row = HEADER_ROW + form.table.header_rows().len() as u32;
        // Each 小计 over its group's rows, the 合计 over the 小计 (or over
        // every data row): each summed column's SUM, its value stored for
        // viewers that do not compute; computed columns from those sums.
        let mut sums: Vec<(u32, String, Vec<usize>, Vec<u32>)> = layout
            .subtotals
            .iter()
            .map(|(at, group)| {
                let rows = group.iter().map(|&r| data_row(form, r)).collect();
                (base_row + at, "小计".to_string(), group.clone(), rows)
            })
            .collect();
        if let (Some(label), false) = (&form.table.total, form.register || form.ledger.is_some()) {
            let all: Vec<usize> = (0..form.rows.len()).collect();
            let rows = if sums.is_empty() {
                all.iter().map(|&r| data_row(form, r)).collect()
            } else {
                sums.iter().map(|s| s.0).collect()
            };
            sums.push((total_row(form), label.clone(), all, rows));
        }
        for (tr, label, group, rows) in &sums {
            let tr = *tr;
            ws.write_string_with_format(tr, 0, label, &head)?;
            for c in 1..cols as usize {
                if let Some((_, f, left, right)) = computed.iter().find(|f| f.0 == c) {
                    let (text, is_rate) = formula(form, tr, f, *left, *right);
                    let format = if is_rate { &rate } else { &cell };
                    ws.write_formula_with_format(tr, c as u16, text.as_str(), format)?;
                } else if form.fill_columns.contains(&c) && form.kind(c).is_summed() {
                    let at = |r: u32| rust_xlsxwriter::utility::row_col_to_cell(r, c as u16);
                    let total: bigdecimal::BigDecimal = group
                        .iter()
                        .filter_map(|&r| value(r, c)?.parse::<bigdecimal::BigDecimal>().ok())
                        .sum();
                    let contiguous = rows.windows(2).all(|w| w[1] == w[0] + 1);
                    let range = match (contiguous, rows.first(), rows.last()) {
                        (true, Some(&a), Some(&b)) => format!("{}:{}", at(a), at(b)),
                        _ => rows.iter().map(|&r| at(r)).collect::<Vec<_>>().join(","),
                    };
                    let sum = rust_xlsxwriter::Formula::new(format!("=SUM({range})"))
                        .set_result(total.to_plain_string());
                    ws.write_formula_with_format(tr, c as u16, sum, &cell)?;
                } else {
                    ws.write_blank(tr, c as u16, &cell)?;
                }
            }
        }
        for (r, c) in form.cells() {
            let rr = data_row(form, r);
            if let Some(rule) = validation(form.kind(c))? {
                ws.add_data_validation(rr, c as u16, rr, c as u16, &rule)?;
            }
        }
        // The other 填报栏 fields under the table: a label, and an open cell
        // across the rest of the row.
        for (k, field) in form.extra_fields().iter().enumerate() {
            let r = field_row(form, k);
            ws.write_string_with_format(r, 0, format!("{field}："), &base)?;
            let value = fields.get(field).map_or("", String::as_str);
            if last >= 2 {
                ws.merge_range(r, 1, r, last, value, &open_plain)?;
            } else {
                ws.write_string_with_format(r, 1, value, &open_plain)?;
            }
        }
        // Printed on A4, as wide as the page, the header repeated on every page.
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_center_horizontally(true);
        let header_end = HEADER_ROW + form.table.header_rows().len().max(1) as u32 - 1;
        ws.set_repeat_rows(HEADER_ROW, header_end)?;
        // Columns as wide as what they hold; the columns the unit's name spans
        // together as wide as the name (a Chinese character is about two
        // Excel width units at this size, three with room to write).
        let mut widths: Vec<f64> = (0..cols)
            .map(|c| {
                let widest = std::iter::once(&form.header[c as usize])
                    .chain(form.rows.iter().map(|r| &r[c as usize]))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(2);
                (widest * 3).clamp(8, 40) as f64
            })
            .collect();
        // A Chinese character at 14 pt is about 2.8 width units.
        let wide = |s: &str| s.chars().count() as f64 * 2.8 + 2.0;
        // The 填报日期 cell holds 2019年12月31日; column A the other fields' labels.
        let last_col = widths.len() - 1;
        widths[last_col] = widths[last_col].max(wide("2019年12月31日"));
        for f in form.extra_fields() {
            widths[0] = widths[0].max(wide(&format!("{f}：")));
        }
        let spanned = if last >= 3 { (last - 1) as usize } else { 1 };
        let need = wide(&unit_label);
        let have: f64 = widths[..spanned].iter().sum();
        if have < need {
            let widest = (0..spanned)
                .max_by(|a, b| widths[*a].total_cmp(&widths[*b]))
                .unwrap_or(0);
            widths[widest] += need - have;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
    }
    Ok(())
}

/// The 汇总表 as a workbook beside its CSV: the title, the 汇总日期, units
/// down and items (with their units of measure) across, a 合计 row of SUM
/// formulas (their results stored too, for viewers that do not compute),
/// and the note of who has not reported; printed on A4 as wide as the page.
pub(super) fn summary_workbook(
    form: &Form,
    summary: &super::summary::Summary,
    title: &str,
    date: &str,
    created: Date,
) -> Result<Vec<u8>> {
    summary_book(form, summary, title, date, created)
        .map_err(|e| Error::Export(format!("无法生成 Excel 汇总表：{e}")))
}

/// A percentage (90.6) as the fraction a percent-formatted cell holds: the
/// double nearest 0.906, as Excel stores what is typed as 90.6% (90.6 / 100
/// in floating point is 0.90599…, which reads back as 90.59999…).
fn fraction(percent: &str) -> Option<f64> {
    let p: bigdecimal::BigDecimal = percent.parse().ok()?;
    (p / bigdecimal::BigDecimal::from(100))
        .to_plain_string()
        .parse()
        .ok()
}

/// The 汇总 in the form's own shape.
pub const TOTAL_SHEET: &str = "合计";

/// The formula of a computed cell in sheet row `rr`, and whether it is a
/// rate (shown as a percentage): a share's denominator is its column's
/// data rows summed; a zero denominator gives "—".
fn formula(form: &Form, rr: u32, f: &Formula, left: usize, right: usize) -> (String, bool) {
    let at = |col: usize| rust_xlsxwriter::utility::row_col_to_cell(rr, col as u16);
    let (a, b) = (at(left), at(right));
    let b = if f.is_share() {
        let col = |r: u32| rust_xlsxwriter::utility::row_col_to_cell_absolute(r, left as u16);
        let last = data_row(form, form.rows.len() - 1);
        format!("SUM({}:{})", col(data_row(form, 0)), col(last))
    } else {
        b
    };
    match f.op {
        Op::Rate => (format!("=IF(N({b})=0,\"{NO_RATE}\",{a}/{b})"), true),
        op => (format!("={a}{}{b}", op.excel()), false),
    }
}

/// The sheet row of a list or matrix form's 合计: right under its rows.
fn total_row(form: &Form) -> u32 {
    body_row(form, form.table.rows.len())
}

/// Excel's number format for `p` decimal places: 0.00 for 2.
fn places(p: u32) -> String {
    if p == 0 {
        "0".into()
    } else {
        format!("0.{}", "0".repeat(p as usize))
    }
}

/// The data validation of a fill cell of `kind`: what Excel refuses as it
/// is typed (text takes anything).
fn validation(kind: &ColumnKind) -> std::result::Result<Option<DataValidation>, XlsxError> {
    let (rule, message) = match kind {
        ColumnKind::Text | ColumnKind::Computed(_) => return Ok(None),
        ColumnKind::Date => (
            DataValidation::new().allow_date(DataValidationRule::GreaterThan(
                rust_xlsxwriter::ExcelDateTime::from_ymd(1900, 1, 1)?,
            )),
            "请填写日期，如 2026年6月28日。".to_string(),
        ),
        ColumnKind::Choice(answers) => (
            DataValidation::new().allow_list_strings(answers)?,
            format!("请从 {} 中选一项。", answers.join("、")),
        ),
        ColumnKind::Decimal(p) => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            format!("请填写大于或等于 0 的数，最多 {p} 位小数。"),
        ),
        ColumnKind::Percent => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "请填写百分比，如 95%。".to_string(),
        ),
        ColumnKind::Auto | ColumnKind::Count => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "请填写大于或等于 0 的整数。".to_string(),
        ),
    };
    Ok(Some(
        rule.set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title("数值不符合要求")?
            .set_error_message(&message)?,
    ))
}

fn summary_book(
    form: &Form,
    summary: &super::summary::Summary,
    title: &str,
    date: &str,
    created: Date,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(title, created.0)?);
    // 合计: the form's own sheet, each value cell at its address in the
    // units' workbooks holding the exact total, computed cells as formulas
    // (a 台账 has no cell-by-cell total: its entries are listed instead).
    if form.ledger.is_none() {
        let sheet = wb.add_worksheet();
        sheet.set_name(TOTAL_SHEET)?;
        let whom = format!("汇总（已报 {} 个单位）", summary.reported());
        form_sheet(
            sheet,
            form,
            &whom,
            &summary.totals,
            Some(date),
            &BTreeMap::new(),
        )?;
    }
    let base = Format::new().set_font_name("仿宋_GB2312").set_font_size(12);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let head = cell.clone().set_font_name("黑体");
    let rate = cell.clone().set_num_format("0.00%");
    let heading = base
        .clone()
        .set_font_name("方正小标宋简体")
        .set_font_size(18)
        .set_align(FormatAlign::Center);
    let ws = wb.add_worksheet();
    ws.set_name("汇总表")?;
    let cols = 2 + summary.columns.len() as u16;
    let last = cols - 1;
    ws.merge_range(0, 0, 0, last, title, &heading)?;
    ws.set_row_height(0, 36)?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &format!("汇总日期：{date}"),
        &base.clone().set_align(FormatAlign::Right),
    )?;
    const HEAD: u32 = 2;
    ws.write_string_with_format(HEAD, 0, "序号", &head)?;
    ws.write_string_with_format(HEAD, 1, "填报单位", &head)?;
    for (i, h) in summary.headings().iter().enumerate() {
        ws.write_string_with_format(HEAD, 2 + i as u16, h, &head)?;
    }
    let first = HEAD + 1;
    for (i, (u, vals)) in summary.rows.iter().enumerate() {
        let r = first + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, u.short_name(), &cell)?;
        for c in 0..summary.columns.len() {
            let col = 2 + c as u16;
            let percent = matches!(summary.kinds[c], ColumnKind::Percent);
            match vals.as_ref().map(|v| v[c].as_deref()) {
                Some(Some(v)) => match v.parse::<f64>() {
                    Ok(n) if percent => ws.write_number_with_format(
                        r,
                        col,
                        fraction(v).unwrap_or(n / 100.0),
                        &rate,
                    )?,
                    Ok(n) if summary.kinds[c].is_summed() => {
                        ws.write_number_with_format(r, col, n, &cell)?
                    }
                    _ => ws.write_string_with_format(r, col, v, &cell)?,
                },
                Some(None) => ws.write_string_with_format(r, col, "—", &cell)?,
                None => ws.write_string_with_format(r, col, "未报", &cell)?,
            };
        }
    }
    let total = first + summary.rows.len() as u32;
    ws.write_blank(total, 0, &cell)?;
    ws.write_string_with_format(total, 1, "合计", &head)?;
    for (c, t) in summary.totals.iter().enumerate() {
        let col = 2 + c as u16;
        let Some(t) = t else {
            ws.write_blank(total, col, &cell)?;
            continue;
        };
        let from = rust_xlsxwriter::utility::row_col_to_cell(first, col);
        let to = rust_xlsxwriter::utility::row_col_to_cell(total.saturating_sub(1).max(first), col);
        let formula =
            rust_xlsxwriter::Formula::new(format!("=SUM({from}:{to})")).set_result(t.to_string());
        ws.write_formula_with_format(total, col, formula, &cell)?;
    }
    let note = summary.note();
    ws.merge_range(
        total + 1,
        0,
        total + 1,
        last,
        &note,
        &base.clone().set_text_wrap(),
    )?;
    // As many lines as the note needs across the table (a character at
    // 12 pt is about 2.4 width units; a line about 16 points).
    let across = 6.0 + 12.0 * summary.columns.len() as f64 + 20.0;
    let lines = (note.chars().count() as f64 * 2.4 / across).ceil().max(1.0);
    ws.set_row_height(total + 1, 16.0 * lines + 4.0)?;
    ws.set_column_width(0, 6)?;
    let widest = summary
        .rows
        .iter()
        .map(|(u, _)| u.short_name().chars().count())
        .max()
        .unwrap_or(4);
    ws.set_column_width(1, (widest * 2 + 2).clamp(10, 40) as f64)?;
    for c in 0..summary.columns.len() {
        ws.set_column_width(2 + c as u16, 12)?;
    }
    ws.set_paper_size(9);
    if summary.columns.len() > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(HEAD, HEAD)?;
    wb.save_to_buffer()
}

/// A workbook value as a return holds it.
fn raw(v: &workbook::Value) -> Raw {
    use workbook::Value;
    match v {
        Value::Empty => Raw::Empty,
        Value::Int(i) => Raw::Int(*i),
        Value::Float(f) => Raw::Float(*f),
        Value::Text(s) => Raw::Text(s.clone()),
        Value::Date(d) => Raw::Date(Date(*d).chinese()),
        Value::Bool(b) => Raw::Text(b.to_string()),
        Value::Other(s) => Raw::Text(s.clone()),
    }
}

/// A cell's value as text (names, dates).
fn text(raw: Option<&Raw>) -> String {
    match raw {
        Some(Raw::Text(s)) => s.trim().to_string(),
        Some(Raw::Int(i)) => i.to_string(),
        Some(Raw::Float(f)) => f.to_string(),
        Some(Raw::Date(d)) => d.clone(),
        Some(Raw::Empty) | None => String::new(),
    }
}

/// Reads a returned workbook: the unit id on the hidden sheet, the values
/// in the fill columns of the data rows, each row's name checked.
pub(super) fn read(file: &Path, form: &Form) -> std::result::Result<Found, String> {
    let mut wb = workbook::open(file)?;
    let id = wb
        .id()
        .map_err(|_| {
            format!(
                "不是 gongwen 生成的填报表（没有“{ID_SHEET}”工作表）；请用 gongwen forms --xlsx 生成的表格填报"
            )
        })?
        .ok_or(format!("“{ID_SHEET}”工作表中缺少单位编号（B1）"))?;
    // Workbooks made before the notice was recorded in them have no B3.
    let ids = wb.cells(ID_SHEET, 2..3, 1..2)?;
    let document = text(ids.get(&(2, 1)).map(raw).as_ref());
    if !document.is_empty() && document != form.document {
        return Err(format!(
            "这是另一份公文（{document}）的填报表，不是本次（{}）的；请用本次下发的表格填报",
            form.document
        ));
    }
    // A sheet is the form if its first data row has the form's row name.
    let first = form.cells().first().map(|&(r, _)| r);
    let sheet = wb
        .data_sheet(FORM_SHEET, |wb, name| {
            let (Some(r), Some(key)) = (first, form.key_column) else {
                return Ok(true);
            };
            let (row, key) = (data_row(form, r), key as u32);
            let found = wb.cells(name, row..row + 1, key..key + 1)?;
            Ok(text(found.get(&(row, key)).map(raw).as_ref()) == form.key(r))
        })?
        .ok_or("没有填报表工作表")?;
    let found = wb.cells(
        &sheet,
        0..last_row(form) + ROW_SLACK,
        0..form.header.len() as u32,
    )?;
    let values: HashMap<(u32, u32), Raw> = found.iter().map(|(p, v)| (*p, raw(v))).collect();
    let formulas = wb.formulas(
        &sheet,
        0..last_row(form) + ROW_SLACK,
        0..form.header.len() as u32,
    )?;
    let mut returns = from_sheet(file, Some(&sheet), form, id, &values)?;
    // A formula the unit typed into a value cell: its value is used, and said.
    for (_, ret, raws) in &mut returns {
        for (at, _) in raws.iter() {
            let formula = formulas.iter().find(|((r, c), _)| {
                at.cell.as_deref()
                    == Some(&rust_xlsxwriter::utility::row_col_to_cell(*r, *c as u16))
            });
            if let Some((_, f)) = formula {
                ret.formulas.push((at.clone(), f.clone()));
            }
        }
    }
    Ok(returns)
}

/// The unit a workbook gongwen wrote is for (its hidden 编号), however the
/// rest of it reads: a file that cannot be read is still the unit's.
pub(super) fn unit_of(file: &Path) -> Option<String> {
    workbook::open(file).ok()?.id().ok().flatten()
}

/// How many rows past the form's own a return is read: rows a unit
/// inserted push the others down.
const ROW_SLACK: u32 = 50;

/// The last sheet row the form uses (its last data row or 填报栏 field).
fn last_row(form: &Form) -> u32 {
    let end = form
        .rows
        .len()
        .checked_sub(1)
        .map_or(HEADER_ROW, |r| data_row(form, r));
    end.max(field_row(form, form.extra_fields().len()))
}

/// The form sheet saved as CSV (WPS and Excel save the sheet on screen):
/// the same cells by position, the unit told by its 填报单位 line, since a
/// CSV has no hidden sheet.
pub(super) fn read_sheet_csv(
    file: &Path,
    form: &Form,
    units: &[Unit],
) -> std::result::Result<Found, String> {
    let content = crate::office::text::read_text(file).map_err(|e| e.to_string())?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    let mut values: HashMap<(u32, u32), Raw> = HashMap::new();
    for (r, rec) in rdr
        .records()
        .enumerate()
        .take((last_row(form) + ROW_SLACK) as usize)
    {
        let rec = rec.map_err(|_| "无法按 CSV 读取".to_string())?;
        for (c, cell) in rec.iter().enumerate().take(form.header.len()) {
            if !cell.trim().is_empty() {
                values.insert((r as u32, c as u32), Raw::Text(cell.to_string()));
            }
        }
    }
    let (label, _) = form.labels();
    let line = text(values.get(&(FIELDS_ROW, 0)));
    let name = line
        .strip_prefix(label)
        .map(|n| n.trim_start_matches(['：', ':']).trim())
        .ok_or("第 1 行缺少“单位编号”列，也不是另存为 CSV 的填报表")?;
    let unit = units
        .iter()
        .find(|u| u.name == name)
        .ok_or_else(|| format!("第 2 行的{label}“{name}”不在填报单位名单中"))?;
    from_sheet(file, None, form, unit.id.clone(), &values)
}

/// A return from the form sheet's cells by position (`sheet` is the
/// workbook's sheet; none for a CSV saved from it).
fn from_sheet(
    file: &Path,
    sheet: Option<&str>,
    form: &Form,
    id: String,
    values: &HashMap<(u32, u32), Raw>,
) -> std::result::Result<Found, String> {
    let cols = form.header.len() as u32;
    let cell_ref = |r: u32, c: u32| rust_xlsxwriter::utility::row_col_to_cell(r, c as u16);
    let at = place(file, sheet, None);
    let shown = sheet.map_or(String::new(), |s| format!("工作表“{s}”"));
    let date = text(values.get(&(FIELDS_ROW, cols - 1)));
    // Rows are found by their label, where the unit left them: a row it
    // inserted or deleted moves the others. A one-row form without labels
    // is read where its row is.
    let Some(key_col) = form.key_column.map(|k| k as u32) else {
        let raws = form
            .cells()
            .into_iter()
            .map(|(r, c)| {
                let (row, col) = (data_row(form, r), c as u32);
                let raw = values.get(&(row, col)).cloned().unwrap_or(Raw::Empty);
                (place(file, sheet, Some(cell_ref(row, col))), raw)
            })
            .collect();
        let date = (!date.is_empty()).then_some(date);
        let mut ret = new_return(id, date);
        read_fields(form, values, &mut ret);
        return Ok(vec![(at.clone(), ret, raws)]);
    };
    let first = body_row(form, 0);
    let last = values.keys().map(|p| p.0).max().unwrap_or(first);
    let mut labels: HashMap<String, u32> = HashMap::new();
    for row in first..=last {
        let label = text(values.get(&(row, key_col)));
        if !label.is_empty() {
            labels.entry(label).or_insert(row);
        }
    }
    let keys: Vec<&str> = (0..form.rows.len()).map(|r| form.key(r)).collect();
    if !keys.iter().any(|k| labels.contains_key(*k)) {
        let row = data_row(form, 0);
        return Err(format!(
            "{shown}{} 应为“{}”，实为“{}”：表格的行被改动过，或不是这张统计表",
            cell_ref(row, key_col),
            form.key(0),
            text(values.get(&(row, key_col)))
        ));
    }
    let mut changed = Vec::new();
    let mut raws = Vec::new();
    for (r, c) in form.cells() {
        let (row, raw) = match labels.get(form.key(r)) {
            Some(&row) => (
                row,
                values.get(&(row, c as u32)).cloned().unwrap_or(Raw::Empty),
            ),
            None => (data_row(form, r), Raw::Empty),
        };
        raws.push((place(file, sheet, Some(cell_ref(row, c as u32))), raw));
    }
    for (r, key) in keys.iter().enumerate() {
        if !labels.contains_key(*key) {
            let at = place(file, sheet, Some(cell_ref(data_row(form, r), key_col)));
            changed.push((
                at,
                format!("中没有“{key}”这一行（被删去了？），这一行按未填处理"),
            ));
        }
    }
    // Rows the unit added inside the table: their values belong to no item
    // (the form's own category rows are not added ones).
    let categories: Vec<String> = form
        .table
        .rows
        .iter()
        .filter_map(|r| match r {
            crate::content::Row::Category(c) => Some(c.trim().to_string()),
            crate::content::Row::Cells(_) => None,
        })
        .collect();
    let table_end = labels
        .iter()
        .filter(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, &row)| row)
        .max()
        .unwrap_or(first);
    let mut added: Vec<(u32, String)> = labels
        .iter()
        .filter(|(k, &row)| row <= table_end + 1 && !keys.contains(&k.as_str()))
        .filter(|(k, _)| !k.starts_with(['合', '总', '小']) && !categories.contains(k))
        .map(|(k, &row)| (row, k.clone()))
        .collect();
    added.sort();
    for (row, label) in added {
        let at = place(file, sheet, Some(cell_ref(row, key_col)));
        changed.push((
            at,
            format!("中多了“{label}”这一行，它不是统计表中的项目，未计入"),
        ));
    }
    let date = (!date.is_empty()).then_some(date);
    let mut ret = new_return(id, date);
    ret.rows_changed = changed;
    read_fields(form, values, &mut ret);
    Ok(vec![(at.clone(), ret, raws)])
}

/// The other 填报栏 fields (填报人, 联系电话 …) from their cells under the table.
fn read_fields(form: &Form, values: &HashMap<(u32, u32), Raw>, ret: &mut super::returns::Return) {
    for (k, field) in form.extra_fields().into_iter().enumerate() {
        let v = text(values.get(&(field_row(form, k), 1)));
        if !v.is_empty() {
            ret.fields.insert(field, v);
        }
    }
}
