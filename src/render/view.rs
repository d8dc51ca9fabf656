//! The view a template sees: the content with everything the standard
//! derives from order already derived (一、 （一） 1. （1）, 一是, 附件N, row
//! numbers, the 附件说明 list, dates in Chinese form). Text stays raw here;
//! the template's auto-escaping turns it into literal Typst markup.

use serde::Serialize;

use crate::content::walk::{walk, Kind, Node, Scope};
use crate::content::{Attachment, Block, Colophon, Notice, Table};
use crate::style::Style;

#[derive(Debug, Serialize)]
pub struct View {
    pub masthead: Masthead,
    pub body: Vec<BlockView>,
    /// Names for the 附件说明 of the notice.
    pub attachment_note: Vec<String>,
    pub signature: Signature,
    pub note: Option<String>,
    pub issued: Vec<DocView>,
    pub attachments: Vec<AttachmentView>,
    pub colophon: Option<ColophonView>,
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
    pub recipients: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Signature {
    pub names: Vec<String>,
    pub date: String,
    pub sealed: bool,
    /// Path of the seal image inside the content folder.
    pub seal: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    /// paragraph, heading, item or table.
    pub kind: &'static str,
    /// Heading level (1-based).
    pub level: usize,
    /// The generated number: 一、 （一） 1. （1） 一是.
    pub number: String,
    pub text: String,
    pub rest: Option<String>,
    pub departments: Option<String>,
    pub label: bool,
    pub table: Option<TableView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub widths: Vec<f64>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Text size in pt when not the body size (the wide 汇总表).
    pub font_size: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct DocView {
    pub title: Title,
    pub body: Vec<BlockView>,
    pub attachment_note: Vec<String>,
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
    /// A remark printed under the table (the 汇总表 says what was left out).
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ColophonView {
    pub copy_to: Option<String>,
    pub printer: String,
    pub printed: String,
}

impl View {
    pub fn new(n: &Notice, style: &Style) -> View {
        let nodes = walk(n, style);
        let secrecy = n.classification.as_ref().map(|c| match &n.secrecy_term {
            Some(t) => format!("{c}★{t}"),
            None => c.clone(),
        });
        let notice = Scope::default();
        View {
            masthead: Masthead {
                copy_no: n.copy_number.clone(),
                secrecy,
                urgency: n.urgency.clone(),
                organs: n.mark.organs.clone(),
                suffix: n.mark.suffix.clone(),
                number: n.number.clone(),
                signers: n.signers.clone(),
                title: title(&n.title),
                recipients: n.recipients.clone(),
            },
            body: blocks(&nodes, notice),
            attachment_note: n.attachments.iter().map(Attachment::display_name).collect(),
            signature: Signature {
                names: n.signature.clone(),
                date: n.date.chinese(),
                sealed: n.sealed || n.seal_image.is_some(),
                seal: n
                    .seal_image
                    .as_ref()
                    .map(|p| format!("/{}", p.trim_start_matches('/'))),
            },
            note: n.note.clone(),
            issued: nodes
                .iter()
                .filter_map(|node| match node.kind {
                    Kind::Document(d) => {
                        let scope = node.scope;
                        Some(DocView {
                            title: title(&d.title),
                            body: blocks(&nodes, scope),
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
            attachments: attachments(&nodes, None),
            colophon: n.colophon.as_ref().map(ColophonView::new),
            plain_title: n.title.replace(['\n', '\r'], ""),
        }
    }
}

/// The blocks of one body (`scope`), in reading order, numbered.
fn blocks(nodes: &[Node], scope: Scope) -> Vec<BlockView> {
    nodes
        .iter()
        .filter(|n| n.scope == scope)
        .filter_map(|n| match &n.kind {
            Kind::Block {
                block,
                level,
                number,
            } => Some(BlockView::new(block, *level, number)),
            _ => None,
        })
        .collect()
}

/// The attachments of the notice (`doc` = None) or of an issued document.
fn attachments(nodes: &[Node], doc: Option<usize>) -> Vec<AttachmentView> {
    nodes
        .iter()
        .filter(|n| n.scope.doc == doc)
        .filter_map(|n| match &n.kind {
            Kind::Attachment { attachment, label } => Some(AttachmentView::new(
                attachment,
                label,
                blocks(nodes, n.scope),
            )),
            _ => None,
        })
        .collect()
}

impl AttachmentView {
    /// An attachment's page: label, title, an empty 填报栏, its body and table.
    pub fn new(a: &Attachment, label: &str, body: Vec<BlockView>) -> AttachmentView {
        AttachmentView {
            label: label.to_string(),
            title: title(&a.title),
            fill_fields: a
                .fill_fields
                .iter()
                .map(|f| (f.clone(), String::new()))
                .collect(),
            table: a.table.as_ref().map(TableView::new),
            body,
            note: None,
        }
    }
}

impl ColophonView {
    fn new(c: &Colophon) -> ColophonView {
        ColophonView {
            copy_to: c.copy_to.clone(),
            printer: c.printer.clone(),
            printed: c.printed.chinese(),
        }
    }
}

/// A title as its lines (the content's own line breaks), each line as
/// words: a title that has to wrap breaks between words, never inside one
/// (§7.3.1).
pub type Title = Vec<Vec<String>>;

pub fn title(text: &str) -> Title {
    use icu_segmenter::{options::WordBreakInvariantOptions, WordSegmenter};
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    text.lines()
        .map(|line| {
            let breaks: Vec<usize> = segmenter.segment_str(line).collect();
            let mut words: Vec<String> = Vec::new();
            let mut opening = String::new();
            for w in breaks.windows(2).map(|w| &line[w[0]..w[1]]) {
                // Punctuation never starts or ends a line on its own side:
                // closing marks join the word before, opening marks the word after.
                if w.chars().all(|c| CLOSING.contains(c)) && !words.is_empty() {
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
            words
        })
        .collect()
}

const OPENING: &str = "“‘（《〈「『【〔［(";
const CLOSING: &str = "”’）》〉」』】〕］)，。、；：？！…·";

impl TableView {
    pub fn new(t: &Table) -> TableView {
        let header: Vec<String> = t.columns.iter().map(|c| c.0.clone()).collect();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let cells = r.iter().map(|c| c.0.clone());
                if t.auto_number {
                    std::iter::once((i + 1).to_string()).chain(cells).collect()
                } else {
                    cells.collect()
                }
            })
            .collect();
        TableView::from_rows(header, rows, t.widths.clone())
    }

    /// A table of plain text; without `widths`, each column gets the width
    /// of its longest text.
    pub fn from_rows(
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<f64>>,
    ) -> TableView {
        let widths = widths.unwrap_or_else(|| {
            (0..header.len())
                .map(|c| {
                    let longest = std::iter::once(&header[c])
                        .chain(rows.iter().filter_map(|r| r.get(c)))
                        .map(|s| text_width(s))
                        .fold(0.0, f64::max);
                    longest.max(2.0) + 1.0
                })
                .collect()
        });
        TableView {
            widths,
            header,
            rows,
            font_size: None,
        }
    }
}

/// Width in grid characters: CJK counts one, ASCII half.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

impl BlockView {
    fn new(block: &Block, level: usize, number: &str) -> BlockView {
        let mut v = BlockView {
            kind: "paragraph",
            level: 0,
            number: number.to_string(),
            text: String::new(),
            rest: None,
            departments: None,
            label: false,
            table: None,
        };
        match block {
            Block::Paragraph(p) => v.text = p.clone(),
            Block::Heading { title, .. } => {
                v.kind = "heading";
                v.level = level;
                v.text = title.clone();
            }
            Block::Item(item) => {
                v.kind = "item";
                v.text = item.lead.clone();
                v.rest = item.text.clone();
                v.departments = item.departments.clone();
                v.label = item.label;
            }
            Block::Table(t) => {
                v.kind = "table";
                v.table = Some(TableView::new(t));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
