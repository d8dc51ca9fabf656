//! The view a template sees: the content with everything the standard
//! derives from order already derived (一、 （一） 1. （1）, 一是, 附件N, row
//! numbers, the 附件说明 list, dates in Chinese form). Text stays raw here;
//! the template's auto-escaping turns it into literal Typst markup.

use serde::Serialize;

use crate::content::table::{BodyRow, Grid, Placed};
use crate::content::walk::{chinese_number, walk, without_typed_ordinal, Kind, Node, Scope};
use crate::content::{Attachment, Block, Cell, Colophon, Document, Format, Notice, Row, Table};
use crate::style::Style;

#[derive(Debug, Serialize)]
pub struct View {
    /// The format of §10: file, letter, order or minutes.
    pub format: &'static str,
    pub masthead: Masthead,
    pub body: Vec<BlockView>,
    /// The notice's own 目录 id, if it has one.
    pub toc: Option<String>,
    /// Names for the 附件说明 of the notice.
    pub attachment_note: Vec<String>,
    pub signature: Signature,
    /// The signature ends the last paragraph instead of standing alone.
    pub signature_inline: bool,
    pub note: Option<String>,
    pub issued: Vec<DocView>,
    pub attachments: Vec<AttachmentView>,
    pub colophon: Option<ColophonView>,
    /// A 命令's signatories.
    pub signatories: Vec<SignatoryView>,
    /// A 纪要's lists: (label, names joined), in the order 出席, 请假, 列席.
    pub attendance: Vec<(&'static str, String)>,
    /// The title on one line (PDF metadata).
    pub plain_title: String,
}

#[derive(Debug, Serialize)]
pub struct Masthead {
    pub copy_no: Option<String>,
    /// 密级 with its 保密期限: 机密★1年.
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    pub organs: Vec<String>,
    pub suffix: Option<String>,
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub title: Title,
    pub caption: Option<String>,
    /// 统一登记号 (仿宋) and 公开属性 (黑体, as the 密级), at the top right of
    /// page 1: (face, text).
    pub corner: Vec<(&'static str, String)>,
    pub recipients: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub names: Vec<String>,
    /// The 成文日期, Chinese form ("" for a document inside without one).
    pub date: String,
    pub sealed: bool,
    /// Paths of the seal images inside the content folder: one, or one per
    /// organ of a 联合行文.
    pub seals: Vec<String>,
}

/// A block of a body as the templates print it: its kind with the fields
/// that kind has, and whether it keeps with what follows.
#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    #[serde(flatten)]
    pub block: BlockKind,
    /// Keep with what follows: a short paragraph right before a table (its
    /// caption, in practice).
    pub keep: bool,
}

/// The kinds of block, each with its own fields. Serialized with `kind`
/// naming the variant; `templates/macros.typ.j2` dispatches on it, and a
/// kind it does not handle stops the render naming the kind
/// (`unhandled_kind`), never a block silently left out.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph {
        text: String,
        /// The signature block ends this paragraph: the last text of the
        /// notice, which then never leaves the signature alone on a page.
        closing: bool,
    },
    /// A paragraph numbered like a heading (1. （1）).
    Numbered {
        number: String,
        text: String,
        closing: bool,
    },
    Heading {
        /// 1-based.
        level: usize,
        /// The generated number: 一、 （一） 1. （1）.
        number: String,
        text: String,
        /// Run-in text after the heading (its 文字).
        rest: Option<String>,
        /// The 目录 this heading is listed in (a document's id), if any.
        toc: Option<String>,
        /// The signature block ends its run-in text (as a paragraph's).
        closing: bool,
    },
    /// An 事项: 一是…, with its 说明 and 责任部门.
    Item {
        number: String,
        text: String,
        rest: Option<String>,
        departments: Option<String>,
        /// "责任部门：" before the departments.
        label: bool,
        closing: bool,
    },
    Chapter {
        number: String,
        text: String,
        toc: Option<String>,
    },
    Section {
        number: String,
        text: String,
    },
    /// A 条 with its 款, each with its 项.
    Article {
        number: String,
        clauses: Vec<ClauseView>,
    },
    /// Boxed: a table's view is far larger than any other block's.
    Table {
        table: Box<TableView>,
    },
}

impl BlockKind {
    /// One block of every kind, for the test that renders them all. The
    /// match names each kind without a wildcard: a kind added to the enum
    /// does not compile until it is added here too, and then the test shows
    /// whether the templates print it.
    #[cfg(test)]
    pub(crate) fn one_of_each() -> Vec<BlockKind> {
        let table = crate::content::Table {
            columns: vec![
                crate::content::Cell::text("项目"),
                crate::content::Cell::text("数量"),
            ],
            rows: vec![crate::content::Row::Cells(vec![
                crate::content::Cell::text("表格之行"),
                crate::content::Cell::text("3"),
            ])],
            ..Default::default()
        };
        let all = vec![
            BlockKind::Paragraph {
                text: "段落之文".into(),
                closing: false,
            },
            BlockKind::Numbered {
                number: "1.".into(),
                text: "编号之文".into(),
                closing: false,
            },
            BlockKind::Heading {
                level: 1,
                number: "一、".into(),
                text: "标题之文".into(),
                rest: Some("接排之文".into()),
                toc: None,
                closing: true,
            },
            BlockKind::Item {
                number: "一是".into(),
                text: "事项之文".into(),
                rest: None,
                departments: None,
                label: true,
                closing: false,
            },
            BlockKind::Chapter {
                number: "第一章".into(),
                text: "章之文".into(),
                toc: None,
            },
            BlockKind::Section {
                number: "第一节".into(),
                text: "节之文".into(),
            },
            BlockKind::Article {
                number: "第一条".into(),
                clauses: vec![ClauseView {
                    text: "条之文".into(),
                    items: Vec::new(),
                }],
            },
            BlockKind::Table {
                table: Box::new(TableView::new(&table)),
            },
        ];
        for b in &all {
            match b {
                BlockKind::Paragraph { .. }
                | BlockKind::Numbered { .. }
                | BlockKind::Heading { .. }
                | BlockKind::Item { .. }
                | BlockKind::Chapter { .. }
                | BlockKind::Section { .. }
                | BlockKind::Article { .. }
                | BlockKind::Table { .. } => {}
            }
        }
        all
    }

    /// Marks a paragraph-like block to carry the signature; false for the
    /// kinds that cannot (a heading, a table, …).
    fn close(&mut self) -> bool {
        match self {
            BlockKind::Paragraph { closing, .. }
            | BlockKind::Numbered { closing, .. }
            | BlockKind::Item { closing, .. } => {
                *closing = true;
                true
            }
            // A run-in heading's text is a paragraph; a bare heading is not.
            BlockKind::Heading {
                rest: Some(_),
                closing,
                ..
            } => {
                *closing = true;
                true
            }
            // A table set upright carries it as its last row; a rotated
            // one ends on a turned page, where a signature has no place.
            BlockKind::Table { table } if table.landscape != Some(true) => {
                table.closing = true;
                true
            }
            BlockKind::Heading { .. }
            | BlockKind::Chapter { .. }
            | BlockKind::Section { .. }
            | BlockKind::Article { .. }
            | BlockKind::Table { .. } => false,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// Relative column widths the content asked for (列宽); `None`: from
    /// the content.
    pub widths: Option<Vec<f64>>,
    /// The header rows, merged cells with their spans.
    pub header: Vec<Vec<CellView>>,
    /// The body rows: cells, category rows, computed totals.
    pub rows: Vec<RowView>,
    /// Per column, the few longest runs that cannot break (numbers, Latin
    /// words, header words): the layout measures them for each column's
    /// least width.
    pub runs: Vec<Vec<String>>,
    /// Per column, the few widest short cells (a name, 危险化学品, 2026年
    /// 10月31日前): kept whole when the table can still fit, at a smaller
    /// size if need be, instead of breaking a word in a starved column.
    pub whole: Vec<Vec<String>>,
    /// Of those, the cells of one word (序号, 定量, 一级指标): kept whole
    /// before a column of running text gets its 长文本最窄字数 characters,
    /// the longer short cells after.
    pub words: Vec<Vec<String>>,
    /// Per column, the few longest cells: what each column would like.
    pub longest: Vec<Vec<String>>,
    /// Per body row, per column, the lengths in characters of the cell's
    /// lines (cells of one row and column): the layout gives the width
    /// left over where it saves the most lines.
    pub lengths: Vec<Vec<Vec<f64>>>,
    /// Columns of running text (cells of more than `LONG_TEXT` characters
    /// on average): a size at which one gets fewer than 长文本最窄字数
    /// characters is too large.
    pub text_columns: Vec<bool>,
    /// Rows with so much text that they might be taller than a page: the
    /// layout measures them, and lets only those break across pages.
    pub tall_rows: Vec<usize>,
    /// The alignment of each column's cells (left, center, right).
    pub align: Vec<&'static str>,
    /// A fixed text size in pt (the content's 字号, or the 汇总表's).
    pub font_size: Option<f64>,
    /// Compact rows (the 汇总表) instead of rows on the grid.
    pub compact: bool,
    /// 横排: rotated on its pages (`None`: only when too wide for portrait).
    pub landscape: Option<bool>,
    /// 表题 (numbered 表N when its attachment has several), the line at the
    /// right above the table (单位：…), 注.
    pub caption: Option<String>,
    pub unit: Option<String>,
    pub notes: Vec<String>,
    /// Where the table is in the content, for messages ("" when generated).
    pub at: String,
    /// The table ends the text: the signature block follows it as its last
    /// row, kept with the table's last rows, never alone on a page.
    pub closing: bool,
}

/// A cell as the layout places it.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: String,
    /// The text as words that do not break (header cells).
    pub words: Vec<String>,
    pub rows: usize,
    pub cols: usize,
}

/// A body row: cells, a category across the table, or a computed total.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    /// cells, category or total.
    pub kind: &'static str,
    pub cells: Vec<CellView>,
}

/// A 款 and its numbered 项.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseView {
    pub text: String,
    pub items: Vec<(String, String)>,
}

/// What a document inside the notice carries besides title, body and
/// attachments.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Parts {
    pub caption: Option<String>,
    pub recipients: Option<String>,
    /// Its 署名 and 成文日期, when it has either.
    pub signature: Option<Signature>,
    /// The signature ends its last paragraph.
    pub signature_inline: bool,
    /// Its id, when it has a 目录.
    pub toc: Option<String>,
}

/// A document of the notice (the notice itself, or one it issues): what
/// the templates print from its title to its 附件.
#[derive(Debug, Serialize)]
pub struct DocView {
    pub title: Title,
    pub parts: Parts,
    pub body: Vec<BlockView>,
    /// The lines of its 附件说明 (附件：1. … 2. …), empty without 附件.
    pub attachment_note: Vec<String>,
    /// Its 附件, each on a new page after the document.
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    /// 附件 or 附件N.
    pub label: String,
    pub title: Title,
    /// (label, value) pairs of the 填报单位/填报日期 line.
    pub fill_fields: Vec<(String, String)>,
    pub table: Option<TableView>,
    pub body: Vec<BlockView>,
    pub parts: Parts,
    /// A remark printed under the table (the 汇总表 says what was left out).
    pub note: Option<String>,
    /// Bound separately (§8): after the 版记, numbered on its own.
    pub separate: bool,
}

#[derive(Debug, Serialize)]
pub struct ColophonView {
    /// The rows above 印发: (报, …), (送, …), (抄送, …), each text its
    /// organs joined by "，", without the closing "。" (the layout adds it).
    pub rows: Vec<(&'static str, String)>,
    /// 印发机关 and 印发日期; none in a 信函 (§10.1).
    pub printer: Option<String>,
    pub printed: Option<String>,
}

/// One signatory of a 命令 (§7.3.5.3).
#[derive(Debug, Serialize)]
pub struct SignatoryView {
    pub title: String,
    pub name: String,
    /// Path of the signature seal image inside the content folder.
    pub seal: Option<String>,
}

impl View {
    pub fn new(n: &Notice, style: &Style) -> View {
        let nodes = walk(n, style);
        let secrecy = n.classification.as_ref().map(|c| match &n.secrecy_term {
            Some(t) => format!("{c}★{t}"),
            None => c.clone(),
        });
        let notice = Scope::default();
        let toc = n.toc.then(|| doc_id(notice));
        let mut body = blocks(&nodes, notice, toc.as_deref());
        // A 命令 signs with its own block and a 纪要 has none (§10.2, §10.3).
        let signed = matches!(n.format, Format::File | Format::Letter);
        let closing = signed && carry_signature(&mut body);
        View {
            format: match n.format {
                Format::File => "file",
                Format::Letter => "letter",
                Format::Order => "order",
                Format::Minutes => "minutes",
            },
            signatories: n
                .signatories
                .iter()
                .map(|s| SignatoryView {
                    title: s.title.clone(),
                    name: s.name.clone(),
                    seal: s.seal.as_deref().map(content_path),
                })
                .collect(),
            attendance: [
                ("出席", &n.present),
                ("请假", &n.absent),
                ("列席", &n.attending),
            ]
            .into_iter()
            .filter(|(_, l)| !l.is_empty())
            .map(|(k, l)| (k, l.join("、")))
            .collect(),
            masthead: Masthead {
                copy_no: n.copy_number.clone(),
                secrecy,
                urgency: n.urgency.clone(),
                organs: n.mark.organs.clone(),
                suffix: n.mark.suffix.clone(),
                number: n.number.as_deref().map(crate::content::compact),
                signers: n.signers.clone(),
                title: title(&n.title),
                caption: n.caption.clone(),
                corner: [("fangsong", &n.registration), ("heiti", &n.publicity)]
                    .into_iter()
                    .filter_map(|(face, t)| Some((face, t.clone()?)))
                    .collect(),
                recipients: n.recipients.as_deref().map(addressed),
            },
            body,
            toc,
            attachment_note: n.attachments.iter().map(Attachment::display_name).collect(),
            signature: Signature {
                names: n.signature.clone(),
                date: n.date.chinese(),
                sealed: n.format != Format::Minutes && (n.sealed || !n.seal_images.is_empty()),
                seals: n
                    .seal_images
                    .iter()
                    .filter(|_| n.format != Format::Minutes)
                    .map(|s| content_path(s))
                    .collect(),
            },
            signature_inline: closing,
            note: n.note.clone(),
            issued: nodes
                .iter()
                .filter_map(|node| match node.kind {
                    Kind::Document(d) => {
                        let scope = node.scope;
                        let (parts, body) = parts(&nodes, scope, d);
                        Some(DocView {
                            title: title(&d.title),
                            parts,
                            body,
                            attachment_note: d
                                .attachments
                                .iter()
                                .map(Attachment::display_name)
                                .collect(),
                            attachments: attachments(&nodes, scope.doc),
                        })
                    }
                    _ => None,
                })
                .collect(),
            attachments: attachments(&nodes, None)
                .into_iter()
                .map(|mut a| {
                    // §8: the 发文字号 and 附件N at the top left.
                    if let (true, Some(number)) = (a.separate, &n.number) {
                        a.label = format!("{}{}", crate::content::compact(number), a.label);
                    }
                    a
                })
                .collect(),
            colophon: n.colophon.as_ref().map(|c| ColophonView::new(c, n.format)),
            plain_title: n.title.replace(['\n', '\r'], ""),
        }
        .balanced(style)
    }

    /// Titles too long for a line broken between words into lines of
    /// nearly equal length (§7.3.1: 排列对称，长短适宜), never one
    /// character left alone on the last.
    fn balanced(mut self, style: &Style) -> View {
        let per_line = (style.body_width_mm * PT_PER_MM / style.title_size_pt).floor();
        let fix = |t: &mut Title| *t = balance(std::mem::take(t), per_line);
        fix(&mut self.masthead.title);
        for d in &mut self.issued {
            fix(&mut d.title);
            d.attachments.iter_mut().for_each(|a| fix(&mut a.title));
        }
        self.attachments.iter_mut().for_each(|a| fix(&mut a.title));
        self
    }
}

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Each line of `title` wider than `per_line` characters split between its
/// words into as few lines as fit, as nearly equal as the words allow (the
/// earlier line the longer when two splits are as even).
fn balance(title: Title, per_line: f64) -> Title {
    let mut out = Title::new();
    for words in title {
        let widths: Vec<f64> = words.iter().map(|w| text_width(w)).collect();
        let total: f64 = widths.iter().sum();
        if total <= per_line || words.len() < 2 {
            out.push(words);
            continue;
        }
        let n = words.len();
        let mut lines = None;
        for k in (total / per_line).ceil() as usize..=n {
            if let Some(breaks) = even_breaks(&widths, k, per_line) {
                lines = Some(breaks);
                break;
            }
        }
        let Some(breaks) = lines else {
            out.push(words);
            continue;
        };
        let mut start = 0;
        for end in breaks {
            out.push(words[start..end].to_vec());
            start = end;
        }
    }
    out
}

/// Where to end each of `k` lines (word indices, the last = all words) so
/// that no line is wider than `per_line` and the lines are as even as
/// possible (least sum of squared differences from the mean); `None` when
/// the words cannot make `k` such lines.
fn even_breaks(widths: &[f64], k: usize, per_line: f64) -> Option<Vec<usize>> {
    let n = widths.len();
    let mean = widths.iter().sum::<f64>() / k as f64;
    let prefix: Vec<f64> = std::iter::once(0.0)
        .chain(widths.iter().scan(0.0, |s, w| {
            *s += w;
            Some(*s)
        }))
        .collect();
    // best[j][i]: the least cost of the first i words in j lines, and the
    // start of the last of them.
    let mut best = vec![vec![(f64::INFINITY, 0usize); n + 1]; k + 1];
    best[0][0] = (0.0, 0);
    for j in 1..=k {
        for i in 1..=n {
            for s in (j - 1)..i {
                let width = prefix[i] - prefix[s];
                if width > per_line || !best[j - 1][s].0.is_finite() {
                    continue;
                }
                // A hair in favour of the longer line first (a trapezoid).
                let cost =
                    best[j - 1][s].0 + (width - mean).powi(2) - 1e-6 * width * (k - j) as f64;
                if cost < best[j][i].0 {
                    best[j][i] = (cost, s);
                }
            }
        }
    }
    if !best[k][n].0.is_finite() {
        return None;
    }
    let mut ends = vec![n];
    let mut i = n;
    for j in (1..k).rev() {
        i = best[j + 1][i].1;
        ends.push(i);
    }
    ends.reverse();
    Some(ends)
}

/// The id of a document's 目录 entries: n (the notice), d1 (an issued
/// document), a2 or d1a2 (an attachment).
fn doc_id(scope: Scope) -> String {
    let mut id = match scope.doc {
        None => "n".to_string(),
        Some(d) => format!("d{d}"),
    };
    if let Some(a) = scope.attachment {
        id.push_str(&format!("a{a}"));
    }
    id
}

/// Marks the last paragraph of `body` to carry the 附件说明 and signature
/// (§7.3.5.5); whether it did. After a heading or a table they are blocks
/// of their own.
fn carry_signature(body: &mut [BlockView]) -> bool {
    body.last_mut().is_some_and(|b| b.block.close())
}

/// The parts and body of a document inside the notice.
fn parts(nodes: &[Node], scope: Scope, d: &Document) -> (Parts, Vec<BlockView>) {
    let toc = d.toc.then(|| doc_id(scope));
    let mut body = blocks(nodes, scope, toc.as_deref());
    let has_signature = !d.signature.is_empty() || d.date.is_some();
    let inline = has_signature && carry_signature(&mut body);
    let parts = Parts {
        caption: d.caption.clone(),
        recipients: d.recipients.as_deref().map(addressed),
        signature: has_signature.then(|| Signature {
            names: d.signature.clone(),
            date: d.date.map(|d| d.chinese()).unwrap_or_default(),
            sealed: d.sealed,
            seals: Vec::new(),
        }),
        signature_inline: inline,
        toc,
    };
    (parts, body)
}

/// An attachment with several captioned tables numbers them: 表1, 表2 …
fn number_tables(a: &mut AttachmentView) {
    let mut tables: Vec<&mut TableView> = a
        .body
        .iter_mut()
        .filter_map(|b| match &mut b.block {
            BlockKind::Table { table } => Some(table.as_mut()),
            _ => None,
        })
        .chain(a.table.as_mut())
        .filter(|t| t.caption.is_some())
        .collect();
    if tables.len() > 1 {
        for (i, t) in tables.iter_mut().enumerate() {
            if let Some(c) = &t.caption {
                t.caption = Some(format!("表{}\u{3000}{c}", i + 1));
            }
        }
    }
}

/// The longest paragraph before a table that is kept with it as its
/// caption, in grid characters: a longer one is text, free to break.
const CAPTION_CHARS: f64 = 2.0 * 28.0;

/// The blocks of one body (`scope`), in reading order, numbered. A
/// paragraph right before a table (its caption, in practice) keeps with it.
fn blocks(nodes: &[Node], scope: Scope, toc: Option<&str>) -> Vec<BlockView> {
    let mut list: Vec<BlockView> = nodes
        .iter()
        .filter(|n| n.scope == scope)
        .filter_map(|n| match &n.kind {
            Kind::Block {
                block,
                level,
                number,
                ..
            } => {
                let mut v = BlockView::new(block, *level, number, &n.at.to_string());
                // The 目录 lists 章 and headings of the first two levels.
                match &mut v.block {
                    BlockKind::Chapter { toc: listed, .. } => *listed = toc.map(str::to_string),
                    BlockKind::Heading {
                        toc: listed, level, ..
                    } if *level <= 2 => *listed = toc.map(str::to_string),
                    _ => {}
                }
                Some(v)
            }
            _ => None,
        })
        .collect();
    for i in 1..list.len() {
        let caption = match (&list[i - 1].block, &list[i].block) {
            (BlockKind::Paragraph { text, .. }, BlockKind::Table { .. }) => {
                text_width(text) <= CAPTION_CHARS
            }
            _ => false,
        };
        list[i - 1].keep |= caption;
    }
    list
}

/// The attachments of the notice (`doc` = None) or of an issued document.
fn attachments(nodes: &[Node], doc: Option<usize>) -> Vec<AttachmentView> {
    nodes
        .iter()
        .filter(|n| n.scope.doc == doc)
        .filter_map(|n| match &n.kind {
            Kind::Attachment { attachment, label } => {
                let (parts, body) = parts(nodes, n.scope, attachment);
                let mut view = AttachmentView::new(attachment, label, &n.at.to_string(), body);
                view.parts = parts;
                number_tables(&mut view);
                Some(view)
            }
            _ => None,
        })
        .collect()
}

impl AttachmentView {
    /// An attachment's page: label, title, an empty 填报栏, its body and table.
    /// `at` is the attachment's place in the content.
    pub fn new(a: &Attachment, label: &str, at: &str, body: Vec<BlockView>) -> AttachmentView {
        AttachmentView {
            label: label.to_string(),
            title: title(&a.title),
            fill_fields: a
                .fill_fields
                .iter()
                .map(|f| (f.clone(), String::new()))
                .collect(),
            table: a
                .table
                .as_ref()
                .map(|t| TableView::new(t).located(&format!("{at}.表格"))),
            body,
            parts: Parts::default(),
            note: None,
            separate: a.separate,
        }
    }
}

impl ColophonView {
    fn new(c: &Colophon, format: Format) -> ColophonView {
        let letter = format == Format::Letter;
        ColophonView {
            rows: [
                ("报", &c.report_to),
                ("送", &c.send_to),
                ("抄送", &c.copy_to),
            ]
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(label, list)| {
                // The layout adds the closing "。": one typed is not printed twice.
                let organs: Vec<&str> = list
                    .iter()
                    .map(|o| o.trim().trim_end_matches(['。', '.', '．', '，', ',']))
                    .collect();
                (label, organs.join("，"))
            })
            .collect(),
            printer: c.printer.clone().filter(|_| !letter),
            printed: c.printed.filter(|_| !letter).map(|d| d.chinese()),
        }
    }
}

/// A 主送机关 as printed: ending in the full-width colon of §7.3.2 (a
/// missing one added, a half-width one or a stray comma replaced).
fn addressed(r: &str) -> String {
    let r = r.trim_end();
    let body = r.trim_end_matches([':', '：', '；', ';', '，', ',']);
    format!("{body}：")
}

/// A path inside the content folder as the World reads it.
fn content_path(p: &str) -> String {
    format!("/{}", p.trim_start_matches('/'))
}

/// A title as its lines (the content's own line breaks), each line as
/// words: a title that has to wrap breaks between words, never inside one
/// (§7.3.1).
pub type Title = Vec<Vec<String>>;

pub fn title(text: &str) -> Title {
    text.lines()
        .map(|line| {
            let breaks = word_breaks(line);
            let mut words: Vec<String> = Vec::new();
            let mut opening = String::new();
            for w in breaks {
                // Punctuation never starts or ends a line on its own side:
                // closing marks join the word before, opening marks the word after.
                if w.chars().all(|c| CLOSING.contains(c)) && !opening.is_empty() {
                    // "()" : the marks stay in their order.
                    opening.push_str(w);
                } else if w.chars().all(|c| CLOSING.contains(c)) && !words.is_empty() {
                    words.last_mut().expect("not empty").push_str(w);
                } else if w.chars().all(|c| OPENING.contains(c)) {
                    opening.push_str(w);
                } else {
                    words.push(std::mem::take(&mut opening) + w);
                }
            }
            if !opening.is_empty() {
                words.push(opening);
            }
            keep_quoted(words)
        })
        .collect()
}

/// jieba's dictionary (MIT, from jieba-rs 0.8): "word frequency tag" lines
/// in byte order.
static DICT: &str = include_str!("jieba-dict.txt");
/// The sum of its frequencies (a test checks it).
const DICT_TOTAL: u64 = 60_101_964;

/// The words of a line (jieba's dictionary: 撂荒地, 高质量, 专项 are one
/// word each), punctuation and spaces on their own.
///
/// Loading the whole dictionary costs jieba some 200 ms, more than a build:
/// the segmenter gets only the entries made of the line's own characters
/// (no other entry can match in it), found by binary search, plus one
/// filler entry carrying the rest of the dictionary's frequency, so that
/// every word's probability, and the segmentation, is what the whole
/// dictionary gives.
///
/// Remembered per line: a form's header words are segmented once, not
/// once for every reporting unit's form.
fn word_breaks(line: &str) -> Vec<&str> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    /// Each line's words as byte ends; emptied when it grows large.
    static SEEN: Mutex<Option<HashMap<String, Vec<usize>>>> = Mutex::new(None);
    const MAX_SEEN: usize = 10_000;
    let words = |ends: &[usize]| -> Vec<&str> {
        let mut start = 0;
        ends.iter()
            .map(|&end| {
                let w = &line[start..end];
                start = end;
                w
            })
            .collect()
    };
    if let Some(ends) = SEEN
        .lock()
        .ok()
        .and_then(|m| m.as_ref()?.get(line).cloned())
    {
        return words(&ends);
    }
    let cut = segment(line);
    let ends: Vec<usize> = cut
        .iter()
        .scan(0, |at, w| {
            *at += w.len();
            Some(*at)
        })
        .collect();
    if let Ok(mut m) = SEEN.lock() {
        let m = m.get_or_insert_with(HashMap::new);
        if m.len() >= MAX_SEEN {
            m.clear();
        }
        m.insert(line.to_string(), ends);
    }
    cut
}

/// `word_breaks` without the memo.
fn segment(line: &str) -> Vec<&str> {
    let chars: std::collections::BTreeSet<char> = line.chars().collect();
    let mut entries = String::new();
    let mut kept = 0u64;
    for &c in &chars {
        for entry in entries_starting_with(c) {
            let mut fields = entry.split(' ');
            let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
                continue;
            };
            if word.chars().all(|c| chars.contains(&c)) {
                kept += freq.parse::<u64>().unwrap_or(0);
                entries.push_str(entry);
                entries.push('\n');
            }
        }
    }
    let rest = DICT_TOTAL.saturating_sub(kept).max(1);
    entries.push_str(&format!("\u{E000}\u{E001} {rest}\n"));
    match jieba_rs::Jieba::with_dict(&mut entries.as_bytes()) {
        Ok(jieba) => jieba.cut(line, true),
        // The entries are the dictionary's own lines: this cannot fail.
        Err(_) => line.split_inclusive(|_| true).collect(),
    }
}

/// The dictionary's lines whose word starts with `c`.
fn entries_starting_with(c: char) -> impl Iterator<Item = &'static str> {
    let mut buf = [0u8; 4];
    let key = c.encode_utf8(&mut buf).as_bytes().to_vec();
    let bytes = DICT.as_bytes();
    let line_start = |i: usize| {
        bytes[..i]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
    };
    let line_end = |i: usize| {
        bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| i + p + 1)
    };
    // The first line not before `key`: `lo` and `hi` are line starts.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let start = line_start((lo + hi) / 2);
        let end = line_end(start);
        if bytes[start..end] < key[..] {
            lo = end;
        } else {
            hi = start;
        }
    }
    DICT[lo..]
        .lines()
        .take_while(move |l| l.as_bytes().starts_with(&key))
}

/// A short quoted name (“安全生产月”, 《条例》) is one word: a title never
/// breaks inside it. A long one may still break between its words.
fn keep_quoted(words: Vec<String>) -> Vec<String> {
    const SHORT: usize = 12;
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let open = ['“', '《'].into_iter().find(|q| words[i].contains(*q));
        let close = |w: &str| match open {
            Some('“') => w.contains('”'),
            _ => w.contains('》'),
        };
        let closed_here = open.is_some_and(|q| {
            let after = &words[i][words[i].find(q).unwrap_or(0)..];
            close(after)
        });
        if let (Some(_), false) = (open, closed_here) {
            if let Some(end) = (i + 1..words.len()).find(|&j| close(&words[j])) {
                let merged: String = words[i..=end].concat();
                if merged.chars().count() <= SHORT {
                    out.push(merged);
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

const OPENING: &str = "“‘（《〈「『【〔［(";
const CLOSING: &str = "”’）》〉」』】〕］)，。、；：？！…·";

impl TableView {
    /// A table of the content, on its grid (the checks have placed it).
    pub fn new(t: &Table) -> TableView {
        TableView::on(t, t.place())
    }

    /// The view of `t` placed as `grid`.
    fn on(t: &Table, grid: Result<Grid, Vec<crate::content::table::Misplaced>>) -> TableView {
        let grid = grid.unwrap_or_else(|_| Grid {
            width: 0,
            header: Vec::new(),
            body: Vec::new(),
        });
        let cell = |p: &Placed, header: bool| CellView {
            words: if header {
                title(&p.text).into_iter().flatten().collect()
            } else {
                Vec::new()
            },
            text: p.text.clone(),
            rows: p.rows,
            cols: p.cols,
        };
        let header: Vec<Vec<CellView>> = grid
            .header
            .iter()
            .map(|r| r.iter().map(|p| cell(p, true)).collect())
            .collect();
        let rows: Vec<RowView> = grid
            .body
            .iter()
            .map(|r| match r {
                BodyRow::Cells { cells, .. } => RowView {
                    kind: "cells",
                    cells: cells.iter().map(|p| cell(p, false)).collect(),
                },
                BodyRow::Category { text, .. } => RowView {
                    kind: "category",
                    cells: vec![CellView {
                        text: text.clone(),
                        words: Vec::new(),
                        rows: 1,
                        cols: grid.width,
                    }],
                },
                BodyRow::Total(cells) => RowView {
                    kind: "total",
                    cells: cells.iter().map(|p| cell(p, false)).collect(),
                },
            })
            .collect();
        let columns = |pick: &dyn Fn(&Placed) -> bool| -> Vec<Vec<&Placed>> {
            let mut out: Vec<Vec<&Placed>> = vec![Vec::new(); grid.width];
            let body = grid.body.iter().flat_map(|r| match r {
                BodyRow::Cells { cells, .. } | BodyRow::Total(cells) => cells.as_slice(),
                BodyRow::Category { .. } => &[],
            });
            for p in grid.header.iter().flatten().chain(body) {
                if p.cols == 1 && p.col < grid.width && pick(p) {
                    out[p.col].push(p);
                }
            }
            out
        };
        let header_cells = columns(&|p| grid.header.iter().flatten().any(|h| std::ptr::eq(h, p)));
        let body_cells = columns(&|p| !grid.header.iter().flatten().any(|h| std::ptr::eq(h, p)));
        let runs = (0..grid.width)
            .map(|c| {
                let words: Vec<String> = header_cells[c]
                    .iter()
                    .flat_map(|p| title(&p.text).into_iter().flatten())
                    .collect();
                let cells = body_cells[c].iter().flat_map(|p| unbreakable_runs(&p.text));
                longest_few(words.iter().map(String::as_str).chain(cells))
            })
            .collect();
        // Short body cells, and header cells of a word or two (序号, 挂牌督办).
        let short: Vec<Vec<&str>> = (0..grid.width)
            .map(|c| {
                // A spaced header (说　明) is one word with its spaces.
                let head = header_cells[c].iter().filter(|p| {
                    let t = p.text.trim();
                    !t.is_empty() && !t.contains(['\n', ' ']) && text_width(t) <= SHORT_HEADER
                });
                body_cells[c]
                    .iter()
                    .filter(|p| p.cols == 1 && p.rows == 1 && is_short(&p.text))
                    .chain(head)
                    .map(|p| p.text.as_str())
                    .collect()
            })
            .collect();
        let whole = short
            .iter()
            .map(|col| longest_few(col.iter().copied()))
            .collect();
        let words = short
            .iter()
            .map(|col| {
                longest_few(
                    col.iter()
                        .copied()
                        .filter(|t| text_width(t) <= SHORT_HEADER),
                )
            })
            .collect();
        let longest = (0..grid.width)
            .map(|c| {
                longest_few(
                    header_cells[c]
                        .iter()
                        .chain(&body_cells[c])
                        .map(|p| p.text.as_str()),
                )
            })
            .collect();
        let lengths = grid
            .body
            .iter()
            .map(|r| {
                let mut out = vec![Vec::new(); grid.width];
                if let BodyRow::Cells { cells, .. } | BodyRow::Total(cells) = r {
                    for p in cells.iter().filter(|p| p.rows == 1 && p.cols == 1) {
                        if let Some(col) = out.get_mut(p.col) {
                            *col = p.text.split('\n').map(text_width).collect();
                        }
                    }
                }
                out
            })
            .collect();
        let text_columns = body_cells
            .iter()
            .map(|col| mean_width(col.iter().map(|p| p.text.as_str())) > LONG_TEXT)
            .collect();
        let align = (0..grid.width)
            .map(|c| match t.align.get(c) {
                Some(a) => a.name(),
                None => default_align(body_cells[c].iter().map(|p| p.text.as_str())),
            })
            .collect();
        TableView {
            widths: t.widths.clone(),
            tall_rows: tall(&rows),
            header,
            rows,
            runs,
            whole,
            words,
            longest,
            lengths,
            text_columns,
            align,
            font_size: t.size.map(|s| s.0),
            compact: false,
            landscape: t.landscape.then_some(true),
            caption: t.caption.clone(),
            unit: t.unit.as_ref().map(|u| format!("单位：{u}")),
            notes: t.notes.clone(),
            at: String::new(),
            closing: false,
        }
    }

    /// Headers that may break between any two characters: for generated
    /// tables too dense for whole header words (the 汇总表's dozen columns).
    pub fn breaking_headers(mut self) -> TableView {
        for row in &mut self.header {
            for c in row {
                c.words = c.text.chars().map(String::from).collect();
            }
        }
        self.runs = self
            .header
            .first()
            .map(|h| {
                h.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let cells = self
                            .rows
                            .iter()
                            .filter_map(|r| r.cells.get(i))
                            .flat_map(|c| unbreakable_runs(&c.text));
                        longest_few(c.words.iter().map(String::as_str).chain(cells))
                    })
                    .collect()
            })
            .unwrap_or_default();
        self
    }

    /// The table with its place in the content, for messages.
    pub fn located(mut self, at: &str) -> TableView {
        self.at = at.to_string();
        self
    }

    /// A table of plain text, one header row (the forms and the 汇总表);
    /// without `widths`, the layout sizes the columns from their content.
    pub fn from_rows(
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<f64>>,
    ) -> TableView {
        let t = Table {
            columns: header.into_iter().map(Cell::text).collect(),
            rows: rows
                .into_iter()
                .map(|r| Row::Cells(r.into_iter().map(Cell::text).collect()))
                .collect(),
            widths,
            ..Table::default()
        };
        TableView::on(&t, t.grid_only())
    }
}

/// A cell short enough to keep whole: one word or name, no spaces.
fn is_short(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains(char::is_whitespace) && text_width(t) <= SHORT_CELL
}

/// The widest cell (in characters) kept whole when the table can fit.
const SHORT_CELL: f64 = 8.0;
/// The widest header cell kept whole so (a word or two: 序号, 挂牌督办).
const SHORT_HEADER: f64 = 4.0;

/// Rows with a cell so long that the row might be taller than a page.
fn tall(rows: &[RowView]) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| r.cells.iter().any(|c| text_width(&c.text) > TALL_CELL))
        .map(|(i, _)| i)
        .collect()
}

/// A column of long text reads from the left; numbers, codes and short
/// words are centred.
fn default_align<'a>(cells: impl Iterator<Item = &'a str>) -> &'static str {
    if mean_width(cells) > LONG_TEXT {
        "left"
    } else {
        "center"
    }
}

/// The mean width in characters of the cells that hold something.
fn mean_width<'a>(cells: impl Iterator<Item = &'a str>) -> f64 {
    let widths: Vec<f64> = cells.map(text_width).filter(|w| *w > 0.0).collect();
    widths.iter().sum::<f64>() / widths.len().max(1) as f64
}

/// A column whose cells average more characters than this is long text.
const LONG_TEXT: f64 = 10.0;

/// A cell longer than this (in characters) may make its row taller than a
/// page in a narrow column: the layout measures such rows.
const TALL_CELL: f64 = 60.0;

/// How many candidates per column the layout measures: widths in em are
/// estimated here, so the true widest is among the few estimated widest.
const CANDIDATES: usize = 3;

/// The `CANDIDATES` texts that look widest, widest first, without repeats.
fn longest_few<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut all: Vec<&str> = texts.filter(|t| !t.trim().is_empty()).collect();
    all.sort_by(|a, b| text_width(b).total_cmp(&text_width(a)).then(a.cmp(b)));
    all.dedup();
    all.into_iter()
        .take(CANDIDATES)
        .map(str::to_string)
        .collect()
}

/// The parts of a cell that a line cannot break inside: runs of letters,
/// digits and the marks between them (15172.500, GB/T, 2019-03-07), and
/// each CJK character on its own (lines break between any two of those).
fn unbreakable_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || !c.is_ascii())
        .filter(|r| !r.is_empty())
        .chain(
            text.char_indices()
                .filter(|(_, c)| !c.is_ascii() && !c.is_whitespace())
                .map(move |(i, c)| &text[i..i + c.len_utf8()]),
        )
}

/// Width in grid characters: CJK counts one, ASCII half.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

impl BlockView {
    fn new(block: &Block, level: usize, number: &str, at: &str) -> BlockView {
        let number = number.to_string();
        let block = match block {
            Block::Paragraph(p) => BlockKind::Paragraph {
                text: p.clone(),
                closing: false,
            },
            Block::Numbered { text, .. } => BlockKind::Numbered {
                number,
                text: without_typed_ordinal(text).to_string(),
                closing: false,
            },
            Block::Heading(h) => BlockKind::Heading {
                level,
                number,
                text: without_typed_ordinal(&h.title).to_string(),
                rest: h.text.clone(),
                toc: None,
                closing: false,
            },
            Block::Item(item) => BlockKind::Item {
                number,
                text: without_typed_ordinal(&item.lead).to_string(),
                rest: item.text.clone(),
                departments: item.departments.clone(),
                label: item.label,
                closing: false,
            },
            Block::Table(t) => BlockKind::Table {
                table: Box::new(TableView::new(t).located(&format!("{at}.表格"))),
            },
            Block::Chapter { title, .. } => BlockKind::Chapter {
                number,
                text: title.clone(),
                toc: None,
            },
            Block::Section { title, .. } => BlockKind::Section {
                number,
                text: title.clone(),
            },
            Block::Article(clauses) => BlockKind::Article {
                number,
                clauses: clauses
                    .iter()
                    .map(|c| ClauseView {
                        text: c.text.clone(),
                        items: c
                            .items
                            .iter()
                            .enumerate()
                            .map(|(i, t)| (format!("（{}）", chinese_number(i + 1)), t.clone()))
                            .collect(),
                    })
                    .collect(),
            },
        };
        BlockView { block, keep: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_to_list_typed_with_its_full_stop_ends_in_one() {
        let c = Colophon {
            copy_to: vec!["市委办公厅，市人大常委会办公厅。".into()],
            ..Default::default()
        };
        let v = ColophonView::new(&c, Format::File);
        assert_eq!(
            v.rows,
            [("抄送", "市委办公厅，市人大常委会办公厅".to_string())]
        );
        // A list, each organ typed with or without its mark.
        let c = Colophon {
            report_to: vec!["省委".into()],
            copy_to: vec!["市委办公厅，".into(), "市人大常委会办公厅。".into()],
            ..Default::default()
        };
        let v = ColophonView::new(&c, Format::File);
        assert_eq!(
            v.rows,
            [
                ("报", "省委".to_string()),
                ("抄送", "市委办公厅，市人大常委会办公厅".to_string())
            ]
        );
    }

    #[test]
    fn the_dictionary_total_is_its_frequencies_sum() {
        let sum: u64 = DICT
            .lines()
            .filter_map(|l| l.split(' ').nth(1)?.parse::<u64>().ok())
            .sum();
        assert_eq!(sum, DICT_TOTAL);
    }

    #[test]
    fn titles_break_between_dictionary_words() {
        let words = |t: &str| title(t).concat();
        let w = words("关于进一步加强撂荒地治理推动高质量发展专项工作的通知");
        for word in ["撂荒地", "高质量", "专项"] {
            assert!(w.iter().any(|x| x == word), "{w:?}");
        }
        let w = words("国务院办公厅关于印发全国深化“放管服”改革优化营商环境电视电话会议重点任务分工方案的通知");
        for word in ["印发", "优化", "营商"] {
            assert!(w.iter().any(|x| x == word), "{w:?}");
        }
    }

    #[test]
    fn title_marks_keep_their_order() {
        assert_eq!(title("#()").concat().concat(), "#()");
        assert_eq!(title("关于（）的通知").concat().concat(), "关于（）的通知");
    }

    #[test]
    fn titles_split_into_words_and_keep_every_character() {
        let t =
            title("上海市市场监督管理局关于印发《2019年“3·15”国际消费者权益日系列活动方案》的通知");
        assert_eq!(t.len(), 1);
        assert!(t[0].len() > 8, "{:?}", t[0]);
        assert!(t[0].iter().any(|w| w == "监督"), "{:?}", t[0]);
        let joined: String = t[0].concat();
        assert!(joined.starts_with("上海市市场监督管理局关于") && joined.ends_with("的通知"));
        assert_eq!(title("甲\n乙").len(), 2);
    }
}
