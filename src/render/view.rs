//! The view a template sees: the content with everything the standard
//! derives from order already derived (一、 （一） 1. （1）, 一是, 附件N, row
//! numbers, the 附件说明 list, dates in Chinese form). Text stays raw here;
//! the template's auto-escaping turns it into literal Typst markup.

use serde::Serialize;

use crate::content::{Attachment, Block, Colophon, IssuedDocument, Notice, Table};

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

/// Values for the 填报栏 fields (the unit's name in a per-unit form).
pub type FillValues = std::collections::BTreeMap<String, String>;

impl View {
    pub fn new(n: &Notice, fill: &FillValues) -> View {
        let secrecy = n.classification.as_ref().map(|c| match &n.secrecy_term {
            Some(t) => format!("{c}★{t}"),
            None => c.clone(),
        });
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
            body: flatten(&n.body),
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
            issued: n.issued.iter().map(|d| DocView::new(d, fill)).collect(),
            attachments: attachments(&n.attachments, fill),
            colophon: n.colophon.as_ref().map(ColophonView::new),
            plain_title: n.title.replace(['\n', '\r'], ""),
        }
    }
}

impl DocView {
    fn new(d: &IssuedDocument, fill: &FillValues) -> DocView {
        DocView {
            title: title(&d.title),
            body: flatten(&d.body),
            attachment_note: d.attachments.iter().map(Attachment::display_name).collect(),
            attachments: attachments(&d.attachments, fill),
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

/// One attachment is labelled 附件, several 附件1, 附件2 … (§7.3.7).
pub fn attachments(list: &[Attachment], fill: &FillValues) -> Vec<AttachmentView> {
    list.iter()
        .enumerate()
        .map(|(i, a)| AttachmentView {
            label: if list.len() == 1 {
                "附件".into()
            } else {
                format!("附件{}", i + 1)
            },
            title: title(&a.title),
            fill_fields: a
                .fill_fields
                .iter()
                .map(|f| (f.clone(), fill.get(f).cloned().unwrap_or_default()))
                .collect(),
            table: a.table.as_ref().map(TableView::new),
            body: flatten(&a.body),
            note: None,
        })
        .collect()
}

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
        let widths = t.widths.clone().unwrap_or_else(|| {
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

/// The block tree as a list in reading order, each block numbered by its
/// kind's order among its siblings.
pub fn flatten(blocks: &[Block]) -> Vec<BlockView> {
    let mut out = Vec::new();
    walk(blocks, 1, &mut out);
    out
}

fn walk(blocks: &[Block], level: usize, out: &mut Vec<BlockView>) {
    let (mut headings, mut items) = (0, 0);
    for b in blocks {
        match b {
            Block::Paragraph(p) => out.push(BlockView::plain("paragraph", p)),
            Block::Heading { title, content } => {
                headings += 1;
                let mut v = BlockView::plain("heading", title);
                v.level = level;
                v.number = heading_number(level, headings);
                out.push(v);
                walk(content, level + 1, out);
            }
            Block::Item(item) => {
                items += 1;
                let mut v = BlockView::plain("item", &item.lead);
                v.number = format!("{}是", chinese_number(items));
                v.rest = item.text.clone();
                v.departments = item.departments.clone();
                v.label = item.label;
                out.push(v);
            }
            Block::Table(t) => {
                let mut v = BlockView::plain("table", "");
                v.table = Some(TableView::new(t));
                out.push(v);
            }
        }
    }
}

impl BlockView {
    fn plain(kind: &'static str, text: &str) -> BlockView {
        BlockView {
            kind,
            level: 0,
            number: String::new(),
            text: text.to_string(),
            rest: None,
            departments: None,
            label: false,
            table: None,
        }
    }
}

/// 层次序数 (§7.3.3): 一、 （一） 1. （1）; deeper levels repeat the last form.
pub fn heading_number(level: usize, n: usize) -> String {
    match level {
        1 => format!("{}、", chinese_number(n)),
        2 => format!("（{}）", chinese_number(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// Lower-case Chinese numerals for ordinals: 1 → 一, 10 → 十, 21 → 二十一.
pub fn chinese_number(n: usize) -> String {
    use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
    (n as u64)
        .to_chinese(
            ChineseVariant::Simple,
            ChineseCase::Lower,
            ChineseCountMethod::TenThousand,
        )
        .unwrap_or_else(|_| n.to_string())
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

    #[test]
    fn numbers() {
        let got: Vec<String> = [1, 2, 10, 11, 20, 21, 99, 100, 105, 110, 123]
            .iter()
            .map(|n| chinese_number(*n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "二",
                "十",
                "十一",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零五",
                "一百一十",
                "一百二十三"
            ]
        );
        assert_eq!(heading_number(1, 4), "四、");
        assert_eq!(heading_number(2, 1), "（一）");
        assert_eq!(heading_number(3, 2), "2.");
        assert_eq!(heading_number(4, 3), "（3）");
    }

    #[test]
    fn items_and_headings_count_separately() {
        use crate::content::Item;
        let item = |s: &str| {
            Block::Item(Item {
                lead: s.into(),
                text: None,
                departments: None,
                label: true,
            })
        };
        let blocks = vec![
            Block::Paragraph("前言".into()),
            Block::Heading {
                title: "甲".into(),
                content: vec![item("a"), Block::Paragraph("p".into()), item("b")],
            },
            Block::Heading {
                title: "乙".into(),
                content: vec![item("c")],
            },
        ];
        let v = flatten(&blocks);
        let numbers: Vec<&str> = v.iter().map(|b| b.number.as_str()).collect();
        assert_eq!(numbers, ["", "一、", "一是", "", "二是", "二、", "一是"]);
    }
}
