//! CSV as Excel on Chinese Windows opens it right: UTF-8 with a BOM, and
//! no cell Excel would run as a formula. The one writer of every CSV
//! gongwen hands out (汇总表, 任务分工, 督办汇总).

/// A cell Excel will not run as a formula (OWASP's CSV injection advice):
/// text starting with = + - @, a tab or a carriage return gets a leading '.
/// Numbers are written as they are.
pub fn excel_safe(cell: &str) -> String {
    let number = cell.parse::<i64>().is_ok();
    if !number && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// `records` as CSV bytes with a BOM (Excel reads UTF-8 then, not GBK),
/// every cell made safe.
pub fn bytes(records: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records {
        let safe: Vec<String> = r.iter().map(|c| excel_safe(c)).collect();
        w.write_record(&safe).expect("writing to memory");
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(w.into_inner().expect("writing to memory"));
    out
}

/// The records of a CSV file as offices save it (any encoding `text`
/// reads; rows may be ragged), with its first row as trimmed column names.
/// A name given twice is refused: which of the two holds the value?
pub fn read(file: &std::path::Path) -> Result<(Vec<String>, Vec<csv::StringRecord>), String> {
    let text = super::text::read_text(file).map_err(|e| e.to_string())?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(error)?
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if let Some(first) = header[..i].iter().position(|x| x == h && !h.is_empty()) {
            return Err(format!(
                "第 1 行的列“{h}”出现了两次（第 {} 列和第 {} 列）；无法知道该读哪一列",
                first + 1,
                i + 1
            ));
        }
    }
    let records = rdr
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(error)?;
    Ok((header, records))
}

/// The line a record of `read` starts on (for messages).
pub fn line(record: &csv::StringRecord, index: usize) -> usize {
    record.position().map_or(index + 2, |p| p.line() as usize)
}

/// A CSV error in Chinese, with its line.
fn error(e: csv::Error) -> String {
    let kind = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "不是 UTF-8 文字",
        csv::ErrorKind::UnequalLengths { .. } => "这一行的列数与表头不同",
        _ => "格式有误",
    };
    match e.position() {
        Some(p) => format!("第 {} 行无法按 CSV 读取：{kind}", p.line()),
        None => format!("无法按 CSV 读取：{kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_excel_would_run_are_neutralised() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"点击\")",
                "'=HYPERLINK(\"http://x\",\"点击\")",
            ),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("-12", "-12"),
            ("黄浦区", "黄浦区"),
        ] {
            assert_eq!(excel_safe(cell), safe);
        }
    }

    #[test]
    fn files_start_with_a_bom() {
        let b = bytes(&[vec!["甲".into(), "=1".into()]]);
        assert_eq!(b, "\u{feff}甲,'=1\n".as_bytes());
    }
}
