//! Checks made after decoding: required text present, tables well formed, and
//! the 公文 lint — the rules of GB/T 9704 that a value can break. Errors stop a
//! build; warnings are printed. Every finding is located in the YAML file.

use std::fmt;

use super::{Block, Notice, Project, Table};
use crate::error::Located;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's name (listed in the README).
    pub rule: &'static str,
    pub at: Located,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{kind}：{}〔{}〕", self.at, self.rule)
    }
}

/// A text field of the notice with the font role that prints it.
pub struct Field<'a> {
    pub path: String,
    pub role: &'static str,
    pub text: &'a str,
}

/// Every text field of the notice in reading order, with its path and role.
pub fn fields<'a>(n: &'a Notice) -> Vec<Field<'a>> {
    let mut out = Vec::new();
    let mut push =
        |path: String, role: &'static str, text: &'a str| out.push(Field { path, role, text });
    fn opt<'a>(
        push: &mut impl FnMut(String, &'static str, &'a str),
        path: &str,
        role: &'static str,
        v: &'a Option<String>,
    ) {
        if let Some(v) = v {
            push(path.to_string(), role, v);
        }
    }
    opt(&mut push, "份号", "fangsong", &n.copy_number);
    opt(&mut push, "密级", "heiti", &n.classification);
    opt(&mut push, "保密期限", "heiti", &n.secrecy_term);
    opt(&mut push, "紧急程度", "heiti", &n.urgency);
    for (i, o) in n.mark.organs.iter().enumerate() {
        push(format!("发文机关标志.机关[{i}]"), "title", o);
    }
    opt(&mut push, "发文机关标志.后缀", "title", &n.mark.suffix);
    opt(&mut push, "发文字号", "fangsong", &n.number);
    for (i, s) in n.signers.iter().enumerate() {
        push(format!("签发人[{i}]"), "kaiti", s);
    }
    push("标题".into(), "title", &n.title);
    opt(&mut push, "主送机关", "fangsong", &n.recipients);
    blocks(&mut push, "正文", &n.body, 1);
    attachments(&mut push, "附件", &n.attachments);
    for (i, s) in n.signature.iter().enumerate() {
        push(format!("发文机关署名[{i}]"), "fangsong", s);
    }
    opt(&mut push, "附注", "fangsong", &n.note);
    for (i, d) in n.issued.iter().enumerate() {
        push(format!("印发文件[{i}].标题"), "title", &d.title);
        blocks(&mut push, &format!("印发文件[{i}].正文"), &d.body, 1);
        attachments(&mut push, &format!("印发文件[{i}].附件"), &d.attachments);
    }
    if let Some(c) = &n.colophon {
        opt(&mut push, "版记.抄送机关", "fangsong", &c.copy_to);
        push("版记.印发机关".into(), "fangsong", &c.printer);
    }
    out
}

fn blocks<'a>(
    push: &mut impl FnMut(String, &'static str, &'a str),
    path: &str,
    list: &'a [Block],
    level: usize,
) {
    for (i, b) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match b {
            Block::Paragraph(t) => push(p, "fangsong", t),
            Block::Heading { title, content } => {
                let role = match level {
                    1 => "heiti",
                    2 => "kaiti",
                    _ => "fangsong",
                };
                push(format!("{p}.标题"), role, title);
                blocks(push, &format!("{p}.内容"), content, level + 1);
            }
            Block::Item(it) => {
                push(format!("{p}.事项"), "fangsong", &it.lead);
                if let Some(t) = &it.text {
                    push(format!("{p}.说明"), "fangsong", t);
                }
                if let Some(t) = &it.departments {
                    push(format!("{p}.责任部门"), "fangsong", t);
                }
            }
            Block::Table(t) => table(push, &format!("{p}.表格"), t),
        }
    }
}

fn table<'a>(push: &mut impl FnMut(String, &'static str, &'a str), path: &str, t: &'a Table) {
    for (c, h) in t.columns.iter().enumerate() {
        push(format!("{path}.列[{c}]"), "heiti", &h.0);
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            push(format!("{path}.行[{r}][{c}]"), "fangsong", &cell.0);
        }
    }
}

fn attachments<'a>(
    push: &mut impl FnMut(String, &'static str, &'a str),
    path: &str,
    list: &'a [super::Attachment],
) {
    for (i, a) in list.iter().enumerate() {
        push(format!("{path}[{i}].标题"), "title", &a.title);
        if let Some(n) = &a.name {
            push(format!("{path}[{i}].名称"), "fangsong", n);
        }
        blocks(push, &format!("{path}[{i}].正文"), &a.body, 1);
        if let Some(t) = &a.table {
            table(push, &format!("{path}[{i}].表格"), t);
        }
    }
}

/// Text that a field must not be without.
fn required(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    matches!(
        last,
        "标题" | "机关" | "发文机关署名" | "事项" | "列" | "印发机关"
    ) || (path.starts_with("正文[") || path.contains(".正文[") || path.contains(".内容["))
        && path.ends_with(']')
}

/// Whether text starts with an ordinal that gongwen generates itself.
fn typed_ordinal(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let nums = "一二三四五六七八九十";
    let mut chars = t.char_indices().peekable();
    // 一、 一是
    let cn_end = t
        .char_indices()
        .take_while(|(_, c)| nums.contains(*c))
        .last()
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = cn_end {
        let rest = &t[end..];
        if rest.starts_with('、') || rest.starts_with('是') {
            return Some(&t[..end + 3]);
        }
    }
    // （一） （1）
    if t.starts_with('（') {
        if let Some(close) = t.find('）') {
            let inner = &t['（'.len_utf8()..close];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| nums.contains(c) || c.is_ascii_digit())
            {
                return Some(&t[..close + '）'.len_utf8()]);
            }
        }
    }
    // 1. 1、
    let digits = chars
        .by_ref()
        .take_while(|(_, c)| c.is_ascii_digit())
        .count();
    if digits > 0
        && (t[digits..].starts_with('.') || t[digits..].starts_with('、'))
        && !t[digits..].starts_with("..")
    {
        let after = t[digits + 1..].chars().next();
        if after.is_some_and(|c| !c.is_ascii_digit()) {
            return Some(&t[..digits + 1]);
        }
    }
    None
}

/// Checks a project; findings come sorted by place.
pub fn check(project: &Project) -> Vec<Finding> {
    let n = &project.notice;
    let mut out = Vec::new();
    let mut find = |severity: Severity, rule: &'static str, path: &str, message: String| {
        let (line, column) = project.locations.get(path).unwrap_or((0, 0));
        out.push(Finding {
            severity,
            rule,
            at: Located {
                file: project.source.clone(),
                line,
                column,
                field: path.to_string(),
                message,
            },
        });
    };
    use Severity::{Error as E, Warning as W};

    for f in fields(n) {
        if f.text.trim().is_empty() && required(&f.path) {
            find(E, "必填文字", &f.path, "不能为空".into());
        }
        let is_text = f.path.starts_with("正文")
            || f.path.contains(".正文")
            || f.path.contains(".内容")
            || f.path.ends_with("标题") && f.path.contains('[');
        if is_text && !f.path.contains("表格") {
            if let Some(num) = typed_ordinal(f.text) {
                find(
                    W,
                    "序数自动生成",
                    &f.path,
                    format!("开头的“{num}”是序数，gongwen 按顺序自动生成，不必输入"),
                );
            }
        }
    }
    let mut tables: Vec<(String, &Table)> = Vec::new();
    collect_tables(&mut tables, "正文", &n.body);
    for (i, a) in n.attachments.iter().enumerate() {
        attachment_tables(&mut tables, &format!("附件[{i}]"), a);
    }
    for (i, d) in n.issued.iter().enumerate() {
        collect_tables(&mut tables, &format!("印发文件[{i}].正文"), &d.body);
        for (j, a) in d.attachments.iter().enumerate() {
            attachment_tables(&mut tables, &format!("印发文件[{i}].附件[{j}]"), a);
        }
    }
    for (path, t) in tables {
        let want = t.columns.len() - usize::from(t.auto_number);
        for (r, row) in t.rows.iter().enumerate() {
            if row.len() != want {
                let how = if t.auto_number {
                    "（自动序号，不含序号列）"
                } else {
                    ""
                };
                find(
                    E,
                    "表格行列数",
                    &format!("{path}.行[{r}]"),
                    format!("有 {} 格，应为 {want} 格{how}", row.len()),
                );
            }
        }
        if let Some(w) = &t.widths {
            if w.len() != t.columns.len() || w.iter().any(|x| x.is_nan() || *x <= 0.0) {
                find(
                    E,
                    "表格行列数",
                    &format!("{path}.列宽"),
                    format!("应为 {} 个正数", t.columns.len()),
                );
            }
        }
    }
    if let Some(seal) = &n.seal_image {
        let p = project.root.join(seal.trim_start_matches('/'));
        if !p.is_file() {
            find(
                E,
                "印章文件",
                "印章",
                format!("内容文件夹中没有文件“{seal}”"),
            );
        }
    }
    if let Some(num) = &n.number {
        if let Some(msg) = number_problem(num) {
            find(E, "发文字号格式", "发文字号", msg);
        }
    }
    if let Some(c) = &n.copy_number {
        if c.chars().count() != 6 || !c.chars().all(|d| d.is_ascii_digit()) {
            find(
                E,
                "份号格式",
                "份号",
                format!("“{c}”应为 6 位阿拉伯数字，如 000001"),
            );
        }
    }
    if let Some(c) = &n.classification {
        if !["秘密", "机密", "绝密"].contains(&c.as_str()) {
            find(
                E,
                "密级",
                "密级",
                format!("“{c}”不是密级（秘密、机密、绝密）"),
            );
        }
    }
    if n.secrecy_term.is_some() && n.classification.is_none() {
        find(E, "密级", "保密期限", "有保密期限而没有密级".into());
    }
    if let Some(u) = &n.urgency {
        if !["特急", "加急"].contains(&u.as_str()) {
            find(
                W,
                "紧急程度",
                "紧急程度",
                format!("“{u}”不是标准的紧急程度（特急、加急）"),
            );
        }
    }
    if let Some(r) = &n.recipients {
        if !r.trim_end().ends_with('：') {
            find(W, "主送机关冒号", "主送机关", "应以全角冒号“：”结尾".into());
        }
    }
    if let Some(c) = &n.colophon {
        if c.printed < n.date {
            find(
                E,
                "版记日期",
                "版记.印发日期",
                format!(
                    "印发日期 {} 早于成文日期 {}",
                    c.printed.chinese(),
                    n.date.chinese()
                ),
            );
        }
        if c.copy_to
            .as_ref()
            .is_some_and(|t| t.chars().count() > 3 * 26)
        {
            find(
                W,
                "版记过长",
                "版记.抄送机关",
                "抄送机关超过三行，版记可能排不下，考虑精简".into(),
            );
        }
    }
    let mentions = |b: &[Block]| {
        fields_of_blocks(b)
            .iter()
            .any(|t| t.contains("附件") && !t.contains("附件说明"))
    };
    if n.attachments.is_empty() && mentions(&n.body) {
        find(W, "附件说明", "正文", "正文提到附件，但没有 附件".into());
    }
    for (i, d) in n.issued.iter().enumerate() {
        if d.attachments.is_empty() && mentions(&d.body) {
            find(
                W,
                "附件说明",
                &format!("印发文件[{i}].正文"),
                "正文提到附件，但没有 附件".into(),
            );
        }
    }
    out.sort_by(|a, b| {
        (a.at.line, a.at.column, a.severity).cmp(&(b.at.line, b.at.column, b.severity))
    });
    out
}

fn fields_of_blocks(list: &[Block]) -> Vec<&str> {
    let mut out = Vec::new();
    for b in list {
        match b {
            Block::Paragraph(t) => out.push(t.as_str()),
            Block::Item(it) => {
                out.push(it.lead.as_str());
                out.extend(it.text.as_deref());
            }
            Block::Heading { title, content } => {
                out.push(title.as_str());
                out.extend(fields_of_blocks(content));
            }
            Block::Table(_) => {}
        }
    }
    out
}

fn collect_tables<'a>(out: &mut Vec<(String, &'a Table)>, path: &str, list: &'a [Block]) {
    for (i, b) in list.iter().enumerate() {
        match b {
            Block::Table(t) => out.push((format!("{path}[{i}].表格"), t)),
            Block::Heading { content, .. } => {
                collect_tables(out, &format!("{path}[{i}].内容"), content)
            }
            _ => {}
        }
    }
}

fn attachment_tables<'a>(out: &mut Vec<(String, &'a Table)>, path: &str, a: &'a super::Attachment) {
    if let Some(t) = &a.table {
        out.push((format!("{path}.表格"), t));
    }
    collect_tables(out, &format!("{path}.正文"), &a.body);
}

/// §7.2.5: 〔YYYY〕 in 六角括号, serial without 第 or leading zeros, ending in 号.
fn number_problem(num: &str) -> Option<String> {
    for (bad, name) in [
        ("[", "方括号 []"),
        ("【", "方头括号 【】"),
        ("(", "圆括号 ()"),
        ("（", "圆括号（）"),
        ("〖", "括号 〖〗"),
    ] {
        if num.contains(bad) {
            return Some(format!("“{num}”的年份用了{name}，应用六角括号〔〕"));
        }
    }
    let (Some(open), Some(close)) = (num.find('〔'), num.find('〕')) else {
        return Some(format!("“{num}”缺少〔年份〕，应如 沪市监消保〔2019〕54号"));
    };
    let year = &num[open + '〔'.len_utf8()..close];
    if year.chars().count() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("“{num}”的年份“{year}”应为四位阿拉伯数字"));
    }
    if open == 0 {
        return Some(format!("“{num}”缺少机关代字"));
    }
    let serial = &num[close + '〕'.len_utf8()..];
    let Some(digits) = serial.strip_suffix('号') else {
        return Some(format!("“{num}”应以“号”结尾"));
    };
    if digits.starts_with('第') {
        return Some(format!("“{num}”的序号不加“第”"));
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("“{num}”的序号“{digits}”应为阿拉伯数字"));
    }
    if digits.starts_with('0') {
        return Some(format!("“{num}”的序号不编虚位（不加前导 0）"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers() {
        assert_eq!(number_problem("沪市监消保〔2019〕54号"), None);
        for bad in [
            "沪市监消保[2019]54号",
            "沪市监消保【2019】54号",
            "沪市监消保〔2019〕第54号",
            "沪市监消保〔2019〕054号",
            "沪市监消保2019年54号",
            "沪市监消保〔19〕54号",
            "沪市监消保〔2019〕54",
        ] {
            assert!(number_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn typed_ordinals() {
        for t in [
            "一、总体",
            "（一）组织",
            "1.成立",
            "（1）明确",
            "一是配合",
            "十二、甲",
        ] {
            assert!(typed_ordinal(t).is_some(), "{t}");
        }
        for t in ["一段文字", "2019年是", "1.5倍", "（责任部门）", "一些"] {
            assert!(typed_ordinal(t).is_none(), "{t}");
        }
    }
}
