//! The recognised draft written as `公文.yaml`: the content format's keys in
//! the standard's order, a comment wherever the reading was unsure, and a
//! placeholder (said so) for what the draft did not have and a 公文 needs.

use std::fmt::Write as _;
use std::path::Path;

use super::recognise::{Attachment, Node, Recognised};
use super::Cell;

/// A YAML scalar for `s`: plain where YAML reads it back as the same text,
/// quoted otherwise.
fn q(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// A YAML scalar inside a flow collection ([a, b], {k: v}): always
/// double-quoted (a plain one may not hold , [ ] { }).
fn qf(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// The comments noted for `key`.
fn notes(r: &Recognised, key: &str, indent: &str, out: &mut String) {
    for (k, why) in &r.unsure {
        if *k == key {
            let _ = writeln!(out, "{indent}# 请核对：{why}");
        }
    }
}

pub fn yaml(r: &Recognised, source: &Path) -> String {
    let mut out = String::new();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = writeln!(out, "# 由 gongwen import 从“{name}”导入。序号（一、（一）1. 一是 第一条）已去掉，由 gongwen 生成；");
    let _ = writeln!(
        out,
        "# 标“请核对”的地方是自动识别没有把握的，改好后用 gongwen check 检查。"
    );
    for (key, v) in [
        ("份号", &r.copy_no),
        ("密级", &r.secrecy),
        ("紧急程度", &r.urgency),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "{key}: {}", q(v));
        }
    }
    match (r.organs.as_slice(), &r.suffix) {
        ([], _) => {
            let guess = r.signature.first().map(|s| format!("{s}文件"));
            let _ = writeln!(
                out,
                "# 请核对：原文没有发文机关标志，{}",
                if guess.is_some() {
                    "按发文机关署名填写"
                } else {
                    "请填写"
                }
            );
            let _ = writeln!(
                out,
                "发文机关标志: {}",
                q(&guess.unwrap_or_else(|| "某机关文件".into()))
            );
        }
        ([one], None) => {
            let _ = writeln!(out, "发文机关标志: {}", q(one));
        }
        (organs, suffix) => {
            let list: Vec<String> = organs.iter().map(|o| qf(o)).collect();
            let _ = write!(out, "发文机关标志: {{机关: [{}]", list.join(", "));
            if let Some(s) = suffix {
                let _ = write!(out, ", 后缀: {}", qf(s));
            }
            let _ = writeln!(out, "}}");
        }
    }
    if let Some(n) = &r.number {
        let _ = writeln!(out, "发文字号: {}", q(n));
    }
    if !r.signers.is_empty() {
        let list: Vec<String> = r.signers.iter().map(|s| qf(s)).collect();
        let _ = writeln!(out, "签发人: [{}]", list.join(", "));
    }
    notes(r, "标题", "", &mut out);
    if r.title.is_empty() {
        let _ = writeln!(out, "标题: 关于某事的通知");
    } else {
        title_key(&r.title.join("\n"), "", "", &mut out);
    }
    if let Some(v) = &r.recipients {
        let _ = writeln!(out, "主送机关: {}", q(v));
    }
    if r.decimal {
        let _ = writeln!(out, "编号方式: 数字");
    }
    notes(r, "正文", "", &mut out);
    let _ = writeln!(out, "正文:");
    if r.body.is_empty() {
        let _ = writeln!(out, "  # 请核对：没有识别到正文");
        let _ = writeln!(out, "  - 正文。");
    }
    blocks(&r.body, 1, &mut out);
    if !r.attachments.is_empty() || !r.attachment_names.is_empty() {
        let _ = writeln!(out, "附件:");
        let atts: Vec<Attachment> = if r.attachments.is_empty() {
            let _ = writeln!(out, "  # 请核对：原文只有附件说明，没有附件正文");
            r.attachment_names
                .iter()
                .map(|n| Attachment {
                    title: n.clone(),
                    ..Default::default()
                })
                .collect()
        } else {
            r.attachments.clone()
        };
        for a in &atts {
            title_key(&a.title, "  - ", "    ", &mut out);
            if !a.fields.is_empty() {
                let fields: Vec<String> = a.fields.iter().map(|f| qf(f)).collect();
                let _ = writeln!(out, "    填报栏: [{}]", fields.join(", "));
            }
            if !a.body.is_empty() {
                let _ = writeln!(out, "    正文:");
                blocks(&a.body, 3, &mut out);
            }
        }
    }
    notes(r, "发文机关署名", "", &mut out);
    match r.signature.as_slice() {
        [] => {
            let organ = r
                .organs
                .first()
                .map(|o| o.trim_end_matches("文件").to_string())
                .unwrap_or_else(|| "某机关".into());
            let _ = writeln!(out, "发文机关署名: {}", q(&organ));
        }
        [one] => {
            let _ = writeln!(out, "发文机关署名: {}", q(one));
        }
        many => {
            let list: Vec<String> = many.iter().map(|s| qf(s)).collect();
            let _ = writeln!(out, "发文机关署名: [{}]", list.join(", "));
        }
    }
    notes(r, "成文日期", "", &mut out);
    let today = crate::content::Date(chrono::Local::now().date_naive()).chinese();
    let _ = writeln!(out, "成文日期: {}", r.date.as_deref().unwrap_or(&today));
    if let Some(n) = &r.note {
        let _ = writeln!(out, "附注: {}", q(n));
    }
    if !r.issued.is_empty() {
        let _ = writeln!(out, "印发文件:");
        for (d, decimal) in &r.issued {
            title_key(&d.title, "  - ", "    ", &mut out);
            if *decimal {
                let _ = writeln!(out, "    编号方式: 数字");
            }
            if d.toc {
                let _ = writeln!(out, "    目录: true  # 原文的目录由 gongwen 生成");
            }
            let _ = writeln!(out, "    正文:");
            if d.body.is_empty() {
                let _ = writeln!(out, "      - 正文。  # 请核对：没有识别到这份文件的正文");
            }
            blocks(&d.body, 3, &mut out);
        }
    }
    if r.copy_to.is_some() || r.printer.is_some() || r.report_to.is_some() || r.send_to.is_some() {
        let _ = writeln!(out, "版记:");
        for (key, v) in [
            ("报", &r.report_to),
            ("送", &r.send_to),
            ("抄送机关", &r.copy_to),
            ("印发机关", &r.printer),
            ("印发日期", &r.printed),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "  {key}: {}", q(v));
            }
        }
        if r.printer.is_some() && r.printed.is_none() {
            let _ = writeln!(
                out,
                "  印发日期: {}  # 请核对：没有识别到印发日期",
                r.date.as_deref().unwrap_or(&today)
            );
        }
    }
    out
}

/// `nodes` as a YAML list at `depth` (two spaces a level).
fn blocks(nodes: &[Node], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for n in nodes {
        match n {
            Node::Para(t) => {
                let _ = writeln!(out, "{pad}- {}", q(t));
            }
            Node::Numbered { text, level } => {
                let _ = writeln!(out, "{pad}- 段落: {}", q(text));
                let _ = writeln!(out, "{pad}  编号: true");
                let _ = writeln!(out, "{pad}  级别: {level}");
            }
            Node::Item(t) => {
                let _ = writeln!(out, "{pad}- 事项: {}", q(t));
            }
            Node::Article(t) => {
                let _ = writeln!(out, "{pad}- 条: {}", q(t));
            }
            Node::Heading {
                title,
                rest,
                children,
                level,
                ..
            } => {
                let _ = writeln!(out, "{pad}- 标题: {}", q(title));
                if let Some(l) = level {
                    let _ = writeln!(out, "{pad}  级别: {l}  # 原文在这一层用第 {l} 级的序号");
                }
                if let Some(r) = rest {
                    let _ = writeln!(out, "{pad}  文字: {}", q(r));
                }
                if !children.is_empty() {
                    let _ = writeln!(out, "{pad}  内容:");
                    blocks(children, depth + 2, out);
                }
            }
            Node::Chapter { title, children } => {
                let _ = writeln!(out, "{pad}- 章: {}", q(title));
                if !children.is_empty() {
                    let _ = writeln!(out, "{pad}  内容:");
                    blocks(children, depth + 2, out);
                }
            }
            Node::Table(rows) => table(rows, &pad, out),
        }
    }
}

/// A table: its first row as the header (表头 when it has merged cells),
/// the others as rows, merged cells with their spans.
fn table(rows: &[Vec<Cell>], pad: &str, out: &mut String) {
    let cell = |c: &Cell| {
        if c.rows > 1 || c.cols > 1 {
            let mut s = format!("{{文字: {}", qf(&c.text));
            if c.rows > 1 {
                s.push_str(&format!(", 跨行: {}", c.rows));
            }
            if c.cols > 1 {
                s.push_str(&format!(", 跨列: {}", c.cols));
            }
            s + "}"
        } else {
            qf(&c.text)
        }
    };
    let line = |r: &[Cell]| r.iter().map(cell).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out, "{pad}- 表格:");
    let Some(head) = rows.first() else { return };
    // The header: the first row, and the rows its cells are merged down
    // into (a header of two rows).
    let depth = head
        .iter()
        .map(|c| c.rows)
        .max()
        .unwrap_or(1)
        .clamp(1, rows.len());
    let (head, body) = rows.split_at(depth);
    let spans = head.iter().flatten().any(|c| c.rows > 1 || c.cols > 1);
    if spans || head.len() > 1 {
        let _ = writeln!(out, "{pad}    表头:");
        for r in head {
            let _ = writeln!(out, "{pad}      - [{}]", line(r));
        }
    } else {
        let _ = writeln!(out, "{pad}    列: [{}]", line(&head[0]));
    }
    let _ = writeln!(out, "{pad}    行:");
    for r in body {
        let _ = writeln!(out, "{pad}      - [{}]", line(r));
    }
}

/// `标题:` with `text`, its lines kept (a block scalar when it has several);
/// `first` starts the key's line, `indent` the block's lines.
fn title_key(text: &str, first: &str, indent: &str, out: &mut String) {
    if text.contains('\n') {
        let _ = writeln!(out, "{first}标题: |-");
        for l in text.lines() {
            let _ = writeln!(out, "{indent}  {l}");
        }
    } else {
        let _ = writeln!(out, "{first}标题: {}", q(text));
    }
}
