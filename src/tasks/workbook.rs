//! A department's task list as a workbook, written for it to report
//! progress in and read back when it returns it.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::content::Date;
use crate::error::{Error, Result};
use crate::office::workbook::{self, properties, Value, ID_SHEET};

/// A department's task list as a workbook to report progress in: the tasks
/// (locked), a 状态 cell limited to 未开始/进行中/已完成 and a 说明 cell
/// (open), the department kept on a hidden sheet.
pub(super) fn task_workbook(
    department: &str,
    plan: &str,
    tasks: &[&super::Task],
    created: Date,
) -> Result<Vec<u8>> {
    task_book(department, plan, tasks, created)
        .map_err(|e| Error::Export(format!("无法生成 Excel 任务清单：{e}")))
}

/// The task list's first task row (after the title, the plan, the header).
const TASK_ROW: u32 = 3;
/// The visible sheet.
const TASK_SHEET: &str = "任务清单";

fn task_book(
    department: &str,
    plan: &str,
    tasks: &[&super::Task],
    created: Date,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = format!("{department}任务清单");
    wb.set_properties(&properties(&title, created.0)?);
    let base = Format::new().set_font_name("仿宋_GB2312").set_font_size(12);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let centred = cell.clone().set_align(FormatAlign::Center);
    let head = centred.clone().set_font_name("黑体");
    let open = cell.clone().set_unlocked();
    let ws = wb.add_worksheet();
    ws.set_name(TASK_SHEET)?;
    ws.merge_range(
        0,
        0,
        0,
        5,
        &title,
        &base
            .clone()
            .set_font_name("方正小标宋简体")
            .set_font_size(18)
            .set_align(FormatAlign::Center),
    )?;
    ws.set_row_height(0, 36)?;
    ws.merge_range(1, 0, 1, 5, plan, &base)?;
    for (c, h) in ["序号", "工作任务", "分工", "完成时限", "状态", "说明"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(TASK_ROW - 1, c as u16, *h, &head)?;
    }
    let states = DataValidation::new()
        .allow_list_strings(&super::STATES)?
        .set_error_title("状态不符合要求")?
        .set_error_message("请选择：未开始、进行中 或 已完成。")?;
    for (i, t) in tasks.iter().enumerate() {
        let r = TASK_ROW + i as u32;
        ws.write_string_with_format(r, 0, &t.key, &centred)?;
        ws.write_string_with_format(r, 1, t.text(), &cell)?;
        let role = if t.departments.is_empty() {
            ""
        } else {
            t.role(department)
        };
        ws.write_string_with_format(r, 2, role, &centred)?;
        let due = t
            .deadline
            .clone()
            .unwrap_or_else(|| super::UNASSIGNED.into());
        ws.write_string_with_format(r, 3, due, &centred)?;
        ws.write_blank(r, 4, &open)?;
        ws.write_blank(r, 5, &open)?;
        ws.add_data_validation(r, 4, r, 4, &states)?;
    }
    for (c, w) in [6.0, 50.0, 8.0, 14.0, 10.0, 30.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(TASK_ROW - 1, TASK_ROW - 1)?;
    ws.protect();
    let id = wb.add_worksheet();
    id.set_name(ID_SHEET)?;
    id.write_string(0, 0, "责任部门")?;
    id.write_string(0, 1, department)?;
    id.set_very_hidden(true);
    id.protect();
    wb.save_to_buffer()
}

/// Reads a task list returned with its 状态 and 说明 filled in.
pub(super) fn read_task_workbook(file: &Path) -> std::result::Result<Vec<super::Progress>, String> {
    let mut wb = workbook::open(file)?;
    let department = wb
        .id()
        .map_err(|_| "不是 gongwen 生成的任务清单（没有“gongwen”工作表）".to_string())?
        .ok_or("“gongwen”工作表中缺少责任部门（B1）")?;
    // A plan has at most a few hundred tasks.
    let rows = TASK_ROW..TASK_ROW + 2000;
    let sheet = wb
        .data_sheet(TASK_SHEET, |wb, name| {
            let first = wb.cells(name, TASK_ROW..TASK_ROW + 1, 0..1)?;
            Ok(first
                .get(&(TASK_ROW, 0))
                .is_some_and(|v| !v.text().trim().is_empty()))
        })?
        .ok_or("没有任务清单工作表")?;
    let values = wb.cells(&sheet, rows.clone(), 0..6)?;
    let text = |r: u32, c: u32| values.get(&(r, c)).map(Value::text).unwrap_or_default();
    let mut out = Vec::new();
    for r in rows {
        let number = text(r, 0);
        if number.is_empty() {
            break;
        }
        let state = text(r, 4);
        if state.is_empty() {
            continue;
        }
        let at = format!(
            "{} 工作表“{sheet}”{}",
            file.display(),
            rust_xlsxwriter::utility::row_col_to_cell(r, 4)
        );
        out.push(super::Progress {
            department: department.clone(),
            task: number,
            state,
            note: text(r, 5),
            at,
        });
    }
    Ok(out)
}
