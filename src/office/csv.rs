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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_excel_would_run_are_neutralised() {
        assert_eq!(
            excel_safe("=HYPERLINK(\"http://x\",\"点击\")"),
            "'=HYPERLINK(\"http://x\",\"点击\")"
        );
        assert_eq!(excel_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(excel_safe("\t=1"), "'\t=1");
        assert_eq!(excel_safe("-12"), "-12");
        assert_eq!(excel_safe("黄浦区"), "黄浦区");
    }

    #[test]
    fn files_start_with_a_bom() {
        let b = bytes(&[vec!["甲".into(), "=1".into()]]);
        assert_eq!(b, "\u{feff}甲,'=1\n".as_bytes());
    }
}
