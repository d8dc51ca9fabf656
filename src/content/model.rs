//! The content model: every element of GB/T 9704's general format, keyed by
//! the standard's own Chinese terms. Unknown keys are errors; dates are typed.

use std::fmt;
use std::marker::PhantomData;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::table::Table;

/// A 公文 in the general format (§7), with the documents it issues and its attachments.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// 公文格式 (§10): the general 文件 format, 信函, 命令 or 纪要.
    #[serde(rename = "格式", default)]
    pub format: Format,
    /// 份号: six Arabic digits.
    #[serde(rename = "份号", default)]
    pub copy_number: Option<String>,
    /// 密级 (秘密/机密/绝密).
    #[serde(rename = "密级", default)]
    pub classification: Option<String>,
    /// 保密期限, printed after the 密级 with ★ (机密★1年).
    #[serde(rename = "保密期限", default)]
    pub secrecy_term: Option<String>,
    /// 紧急程度 (特急/加急).
    #[serde(rename = "紧急程度", default)]
    pub urgency: Option<String>,
    /// 发文机关标志: the text as printed, or several organs for 联合行文.
    #[serde(rename = "发文机关标志")]
    pub mark: Mark,
    /// 发文字号, e.g. 沪市监消保〔2019〕54号.
    #[serde(rename = "发文字号", default)]
    pub number: Option<String>,
    /// 签发人: present for 上行文.
    #[serde(rename = "签发人", default)]
    pub signers: Vec<String>,
    /// 标题; a line break in the text is a line break of the printed title.
    /// Required in a 文件 and a 信函; a 命令 has none, a 纪要 may have one.
    #[serde(rename = "标题", default)]
    pub title: String,
    /// 题注: printed under the title in 楷体, e.g. （2003年10月16日…通过）.
    #[serde(rename = "题注", default)]
    pub caption: Option<String>,
    /// 统一登记号 and 公开属性 (主动公开, 依申请公开 …): printed at the top
    /// right of page 1, on the rows where 份号 and 密级 are at the left.
    #[serde(rename = "统一登记号", default)]
    pub registration: Option<String>,
    #[serde(rename = "公开属性", default)]
    pub publicity: Option<String>,
    /// 主送机关, ending in "：".
    #[serde(rename = "主送机关", default)]
    pub recipients: Option<String>,
    /// 正文.
    #[serde(rename = "正文")]
    pub body: Vec<Block>,
    /// How headings are numbered: 一、（一）1.（1） or 1 / 1.1 / 1.1.1 / （1）.
    #[serde(rename = "编号方式", default)]
    pub numbering: Numbering,
    /// A generated 目录 before the body.
    #[serde(rename = "目录", default)]
    pub toc: bool,
    /// 完成时限 of every task (事项) in this document that has none of its own.
    #[serde(rename = "完成时限", default)]
    pub deadline: Option<String>,
    /// The plan's name in the titles of the 任务分工表 and the 督办汇总
    /// ("<名称>任务分工表"); default: the title of the document with the tasks.
    #[serde(rename = "任务表名称", default)]
    pub tasks_title: Option<String>,
    /// 附件 of the notice itself (the 附件说明 is generated from them).
    #[serde(rename = "附件", default)]
    pub attachments: Vec<Attachment>,
    /// 发文机关署名: one organ, or several for 联合行文. Required but in a
    /// 命令 (signed by its 签署) and a 纪要 (where it is the issuing office).
    #[serde(rename = "发文机关署名", default, deserialize_with = "one_or_many")]
    pub signature: Vec<String>,
    /// 签署: who signs a 命令 (§7.3.5.3), one a line for a joint order.
    #[serde(rename = "签署", default)]
    pub signatories: Vec<Signatory>,
    /// 成文日期.
    #[serde(rename = "成文日期")]
    pub date: Date,
    /// A 纪要's attendance: 出席, 请假 and 列席 (§10.3).
    #[serde(rename = "出席", default, deserialize_with = "one_or_many")]
    pub present: Vec<String>,
    #[serde(rename = "请假", default, deserialize_with = "one_or_many")]
    pub absent: Vec<String>,
    #[serde(rename = "列席", default, deserialize_with = "one_or_many")]
    pub attending: Vec<String>,
    /// Whether the document is sealed (§7.3.5.1) or not (§7.3.5.2).
    #[serde(rename = "加盖印章", default)]
    pub sealed: bool,
    /// The seal's image (a file in the content folder), or one per organ
    /// of a 联合行文 in the order of the 署名 (each pressed over its own
    /// organ's name); implies 加盖印章.
    #[serde(rename = "印章", default, deserialize_with = "one_or_many")]
    pub seal_images: Vec<String>,
    /// 附注, printed in （ ） after the date.
    #[serde(rename = "附注", default)]
    pub note: Option<String>,
    /// Documents issued or forwarded by this notice (印发/转发), each on a new page.
    #[serde(rename = "印发文件", default)]
    pub issued: Vec<IssuedDocument>,
    /// 版记.
    #[serde(rename = "版记", default)]
    pub colophon: Option<Colophon>,
}

/// 发文机关标志.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Organ names; several are stacked (lead organ first).
    pub organs: Vec<String>,
    /// Printed to the right of the organs ("文件"), or after a single organ.
    pub suffix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkFields {
    #[serde(rename = "机关", deserialize_with = "one_or_many")]
    organs: Vec<String>,
    #[serde(rename = "后缀", default)]
    suffix: Option<String>,
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_or_map(
            d,
            |s| {
                Ok(Mark {
                    organs: vec![s],
                    suffix: None,
                })
            },
            |m: MarkFields| {
                if m.organs.is_empty() {
                    return Err("机关 至少要有一个".into());
                }
                Ok(Mark {
                    organs: m.organs,
                    suffix: m.suffix,
                })
            },
        )
    }
}

/// The formats of GB/T 9704: the general one (§7) and the special ones of §10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Format {
    #[default]
    #[serde(rename = "文件")]
    File,
    /// 信函格式: 函, 复函, 批复 and letters.
    #[serde(rename = "信函")]
    Letter,
    /// 命令（令）格式.
    #[serde(rename = "命令", alias = "令")]
    Order,
    /// 纪要格式.
    #[serde(rename = "纪要")]
    Minutes,
}

impl Format {
    /// The format's name in the standard's words.
    pub fn name(self) -> &'static str {
        match self {
            Format::File => "文件",
            Format::Letter => "信函",
            Format::Order => "命令",
            Format::Minutes => "纪要",
        }
    }
}

/// One signatory of a 命令: the full title, the name, and optionally the
/// image of the signature seal (签名章) printed in the name's place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    #[serde(rename = "职务")]
    pub title: String,
    #[serde(rename = "姓名")]
    pub name: String,
    #[serde(rename = "签名章", default)]
    pub seal: Option<String>,
}

/// How headings are numbered (§7.3.3, or decimal as plans number them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Numbering {
    /// 一、 （一） 1. （1）
    #[default]
    #[serde(rename = "汉字")]
    Chinese,
    /// 1 / 1.1 / 1.1.1 / （1）
    #[serde(rename = "数字")]
    Decimal,
}

/// A block of 正文.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph(String),
    /// A paragraph numbered like a heading of its level (一、…) but set as
    /// text; `level` and `start` as for a heading.
    Numbered {
        text: String,
        level: Option<usize>,
        start: Option<usize>,
    },
    /// A 层次 heading (一、 （一） 1. （1）); its level is its depth, its number its order.
    Heading(Heading),
    /// A 一是/二是 item of a plan, with its 责任部门.
    Item(Item),
    /// A table.
    Table(Box<Table>),
    /// 第X章: a chapter of a regulation, its articles inside.
    Chapter { title: String, content: Vec<Block> },
    /// 第X节: a section of a chapter.
    Section { title: String, content: Vec<Block> },
    /// 第X条: an article, its 款 (paragraphs) and their 项.
    Article(Vec<Clause>),
}

impl Block {
    /// The blocks nested in this one (a heading's, a chapter's or a
    /// section's 内容). One exhaustive match: code that looks for blocks
    /// anywhere goes through here, so a new kind is handled in one place.
    pub fn children(&self) -> &[Block] {
        match self {
            Block::Heading(h) => &h.content,
            Block::Chapter { content, .. } | Block::Section { content, .. } => content,
            Block::Paragraph(_)
            | Block::Numbered { .. }
            | Block::Item(_)
            | Block::Table(_)
            | Block::Article(_) => &[],
        }
    }

    /// `children`, to change them.
    pub fn children_mut(&mut self) -> &mut [Block] {
        match self {
            Block::Heading(h) => &mut h.content,
            Block::Chapter { content, .. } | Block::Section { content, .. } => content,
            Block::Paragraph(_)
            | Block::Numbered { .. }
            | Block::Item(_)
            | Block::Table(_)
            | Block::Article(_) => &mut [],
        }
    }
}

/// A 层次 heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub title: String,
    /// Text run in after the heading on the same line (（一）加强组织领导。各地区要……).
    pub text: Option<String>,
    pub content: Vec<Block>,
    /// The numbering level, when a level is skipped (一、 then 1.).
    pub level: Option<usize>,
    /// The number to start from (this heading's, the next ones follow).
    pub start: Option<usize>,
}

/// A 款 of an article, with its 项 （一）（二）….
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub text: String,
    pub items: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseFields {
    #[serde(rename = "款")]
    text: String,
    #[serde(rename = "项", default)]
    items: Vec<String>,
}

impl<'de> Deserialize<'de> for Clause {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_or_map(
            d,
            |text| {
                Ok(Clause {
                    text,
                    items: Vec::new(),
                })
            },
            |c: ClauseFields| {
                Ok(Clause {
                    text: c.text,
                    items: c.items,
                })
            },
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The lead sentence after 一是.
    pub lead: String,
    /// The rest of the item.
    pub text: Option<String>,
    /// 责任部门, printed as （责任部门：…）.
    pub departments: Option<String>,
    /// Print the "责任部门：" label inside the parentheses.
    pub label: bool,
    /// 完成时限: a date or a phrase (3月22日前); not printed in the text,
    /// used by `gongwen tasks`.
    pub deadline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockFields {
    #[serde(rename = "段落", default)]
    paragraph: Option<String>,
    #[serde(rename = "编号", default)]
    numbered: Option<bool>,
    #[serde(rename = "标题", default)]
    heading: Option<String>,
    #[serde(rename = "文字", default)]
    run_in: Option<String>,
    #[serde(rename = "级别", default)]
    level: Option<usize>,
    #[serde(rename = "起始", default)]
    start: Option<usize>,
    #[serde(rename = "内容", default)]
    content: Option<Vec<Block>>,
    #[serde(rename = "章", default)]
    chapter: Option<String>,
    #[serde(rename = "节", default)]
    section: Option<String>,
    #[serde(rename = "条", default, deserialize_with = "clauses")]
    article: Option<Vec<Clause>>,
    #[serde(rename = "事项", default)]
    item: Option<String>,
    #[serde(rename = "说明", default)]
    text: Option<String>,
    #[serde(rename = "责任部门", default)]
    departments: Option<String>,
    #[serde(rename = "责任部门标注", default)]
    label: Option<bool>,
    #[serde(rename = "完成时限", default)]
    deadline: Option<String>,
    #[serde(rename = "表格", default)]
    table: Option<Table>,
}

impl BlockFields {
    fn into_block(self) -> Result<Block, String> {
        const ONE_KIND: &str = "每一块正文须且只须是 段落、标题、事项、表格、章、节、条 之一";
        let kinds = [
            self.paragraph.is_some(),
            self.heading.is_some(),
            self.item.is_some(),
            self.table.is_some(),
            self.chapter.is_some(),
            self.section.is_some(),
            self.article.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(ONE_KIND.into());
        }
        let item_only = self.text.is_some()
            || self.departments.is_some()
            || self.label.is_some()
            || self.deadline.is_some();
        if item_only && self.item.is_none() {
            return Err("说明、责任部门、责任部门标注、完成时限 只能用于 事项".into());
        }
        let nested = self.heading.is_some() || self.chapter.is_some() || self.section.is_some();
        if self.content.is_some() && !nested {
            return Err("内容 只能用于 标题、章、节".into());
        }
        if self.run_in.is_some() && self.heading.is_none() {
            return Err("文字 只能用于 标题".into());
        }
        if self.level.is_some() && self.heading.is_none() && self.numbered != Some(true) {
            return Err("级别 只能用于 标题 或编号的段落".into());
        }
        if self.numbered.is_some() && self.paragraph.is_none() {
            return Err("编号 只能用于 段落".into());
        }
        if self.start.is_some() && self.heading.is_none() && self.numbered != Some(true) {
            return Err("起始 只能用于 标题 或编号的段落".into());
        }
        if self.start == Some(0) || self.level == Some(0) {
            return Err("起始、级别 从 1 算起".into());
        }
        if self.level.is_some_and(|l| l > 9) {
            return Err("级别 最多为 9".into());
        }
        let content = self.content.unwrap_or_default();
        // One arm per kind, checked by the compiler; any other combination
        // was refused above and is refused here again, never a panic.
        Ok(
            match (
                self.paragraph,
                self.heading,
                self.item,
                self.table,
                self.chapter,
                self.section,
                self.article,
            ) {
                (Some(text), None, None, None, None, None, None) => {
                    if self.numbered == Some(true) {
                        Block::Numbered {
                            text,
                            level: self.level,
                            start: self.start,
                        }
                    } else {
                        Block::Paragraph(text)
                    }
                }
                (None, Some(title), None, None, None, None, None) => Block::Heading(Heading {
                    title,
                    text: self.run_in,
                    content,
                    level: self.level,
                    start: self.start,
                }),
                (None, None, Some(lead), None, None, None, None) => Block::Item(Item {
                    lead,
                    text: self.text,
                    departments: self.departments,
                    label: self.label.unwrap_or(true),
                    deadline: self.deadline,
                }),
                (None, None, None, Some(table), None, None, None) => Block::Table(Box::new(table)),
                (None, None, None, None, Some(title), None, None) => {
                    Block::Chapter { title, content }
                }
                (None, None, None, None, None, Some(title), None) => {
                    Block::Section { title, content }
                }
                (None, None, None, None, None, None, Some(clauses)) => {
                    if clauses.is_empty() {
                        return Err("条 至少要有一款文字".into());
                    }
                    Block::Article(clauses)
                }
                _ => return Err(ONE_KIND.into()),
            },
        )
    }
}

/// An article's 款: one string, or a list of 款 (strings or {款, 项}).
fn clauses<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Clause>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Vec<Clause>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("文字，或款的列表")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![Clause {
                text: v.to_string(),
                items: Vec::new(),
            }]))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(c) = seq.next_element::<Clause>()? {
                out.push(c);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(V)
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_or_map(d, |s| Ok(Block::Paragraph(s)), BlockFields::into_block)
    }
}

/// A document inside the notice: one it issues or forwards (印发/转发, on a
/// new page after the notice) or one of its attachments (附件, each on a new
/// page with its label). Either may be a whole document, with its own
/// 主送机关, 署名 and 成文日期 (a forwarded 请示, a 报告 attached to a 复函),
/// a 题注 under its title, its own numbering and 目录; an attachment may be
/// a statistics table with its 填报栏.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(rename = "标题")]
    pub title: String,
    /// The name in the 附件说明; defaults to the title without its line breaks.
    #[serde(rename = "名称", default)]
    pub name: Option<String>,
    /// Printed under the title, e.g. （2019年3月7日市政府第5次常务会议通过）.
    #[serde(rename = "题注", default)]
    pub caption: Option<String>,
    /// 另行装订 (§8): an attachment not bound with the text comes after the
    /// 版记, its pages numbered from 1, its label the 发文字号 with 附件N.
    #[serde(rename = "另行装订", default)]
    pub separate: bool,
    #[serde(rename = "主送机关", default)]
    pub recipients: Option<String>,
    /// Fields of the 填报单位/填报日期 line above a statistics table.
    #[serde(rename = "填报栏", default)]
    pub fill_fields: Vec<String>,
    #[serde(rename = "表格", default)]
    pub table: Option<Table>,
    #[serde(rename = "正文", default)]
    pub body: Vec<Block>,
    #[serde(rename = "附件", default)]
    pub attachments: Vec<Document>,
    #[serde(rename = "发文机关署名", default, deserialize_with = "one_or_many")]
    pub signature: Vec<String>,
    #[serde(rename = "成文日期", default)]
    pub date: Option<Date>,
    #[serde(rename = "加盖印章", default)]
    pub sealed: bool,
    #[serde(rename = "编号方式", default)]
    pub numbering: Numbering,
    #[serde(rename = "目录", default)]
    pub toc: bool,
    /// 完成时限 of every task (事项) in this document that has none of its own.
    #[serde(rename = "完成时限", default)]
    pub deadline: Option<String>,
}

/// A document the notice issues or forwards.
pub type IssuedDocument = Document;
/// An attachment.
pub type Attachment = Document;

impl Attachment {
    /// The name used in the 附件说明.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.title.replace(['\n', '\r'], ""))
    }
}

/// 版记 (§7.4).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Colophon {
    /// 报 and 送 (the rows of documents before 2012, met in reprints), then
    /// 抄送机关: each one organ, a list, or organs typed with their "，";
    /// the closing "。" is added.
    #[serde(rename = "报", default, deserialize_with = "one_or_many")]
    pub report_to: Vec<String>,
    #[serde(rename = "送", default, deserialize_with = "one_or_many")]
    pub send_to: Vec<String>,
    #[serde(rename = "抄送机关", default, deserialize_with = "one_or_many")]
    pub copy_to: Vec<String>,
    /// 印发机关 and 印发日期: required but in a 信函, whose 版记 has neither.
    #[serde(rename = "印发机关", default)]
    pub printer: Option<String>,
    #[serde(rename = "印发日期", default)]
    pub printed: Option<Date>,
}

/// A calendar date. Written `2019-03-07` or `2019年3月7日`; printed `2019年3月7日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl Date {
    /// The date as §7.3.5.4 prints it: Arabic numerals, no zero padding.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    pub fn parse(s: &str) -> Result<Date, String> {
        // Text copied from a PDF puts spaces around numbers ("2016 年 10 月 6 日"),
        // and an input method types full-width digits and marks (２０２６．６．２８).
        let spaced: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' | '．' | '／' | '－' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        let t = spaced.as_str();
        let parts: Option<(i32, u32, u32)> = if let Some(rest) = t.strip_suffix('日') {
            let (y, rest) = rest.split_once('年').unzip();
            let (m, d) = rest.and_then(|r| r.split_once('月')).unzip();
            match (y, m, d) {
                (Some(y), Some(m), Some(d)) => {
                    Some((y.parse().ok()).zip(m.parse().ok()).zip(d.parse().ok()))
                        .flatten()
                        .map(|((y, m), d)| (y, m, d))
                }
                _ => None,
            }
        } else {
            // 2019-03-07, and 2019.3.7 and 2019/3/7 as units write dates.
            let v: Vec<&str> = t.split(['-', '.', '/']).collect();
            if v.len() == 3 {
                Some(
                    (v[0].parse().ok())
                        .zip(v[1].parse().ok())
                        .zip(v[2].parse().ok()),
                )
                .flatten()
                .map(|((y, m), d)| (y, m, d))
            } else {
                None
            }
        };
        let parts = parts.or_else(|| chinese_date(t));
        let (y, m, d) =
            parts.ok_or_else(|| format!("“{t}”不是日期，应写作 2019-03-07 或 2019年3月7日"))?;
        // A 公文's dates are of four-digit years; the typesetter and PDF
        // metadata cannot represent others.
        if !(1000..=9999).contains(&y) {
            return Err(format!("{y}年{m}月{d}日 不是有效日期，年份应为四位数"));
        }
        NaiveDate::from_ymd_opt(y, m, d).map(Date).ok_or_else(|| {
            let why = match (m, days_in_month(y, m)) {
                (1..=12, Some(days)) if d > days => format!("，{y}年{m}月只有{days}天"),
                (1..=12, _) => String::new(),
                _ => "，月份应在1到12之间".to_string(),
            };
            format!("{y}年{m}月{d}日 不是有效日期{why}")
        })
    }
}

/// How many days month `m` of year `y` has.
fn days_in_month(y: i32, m: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    u32::try_from((next - first).num_days()).ok()
}

/// Whether a date is written in Chinese numerals (二〇一九年三月七日), as
/// the 1999 edition had it: read, and printed in Arabic numerals.
pub fn is_chinese_date(s: &str) -> bool {
    chinese_date(s.trim()).is_some()
}

/// 二〇一九年三月七日, 二OO三年十月十六日, 二零一九年十二月三十一日.
fn chinese_date(t: &str) -> Option<(i32, u32, u32)> {
    let digit = |c: char| match c {
        '〇' | '零' | '○' | 'O' | 'o' | 'Ｏ' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    // 七, 十, 十六, 二十, 三十一.
    let small = |s: &str| -> Option<u32> {
        let chars: Vec<char> = s.chars().collect();
        match chars.as_slice() {
            [c] if *c == '十' => Some(10),
            [c] => digit(*c).filter(|d| *d > 0),
            ['十', c] => digit(*c).map(|d| 10 + d),
            [a, '十'] => digit(*a).map(|d| d * 10),
            [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
            _ => None,
        }
    };
    let rest = t.strip_suffix('日')?;
    let (y, rest) = rest.split_once('年')?;
    let (m, d) = rest.split_once('月')?;
    let year = y
        .chars()
        .try_fold(0i32, |acc, c| digit(c).map(|d| acc * 10 + d as i32))
        .filter(|_| y.chars().count() == 4)?;
    Some((year, small(m)?, small(d)?))
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Parsing inside the visitor lets serde_yaml attach the value's position.
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("日期，如 2019-03-07 或 2019年3月7日")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Deserialize a plain string with `from_str`, or a mapping into `M` and then
/// with `from_map`; mapping errors keep serde's field names and locations.
fn string_or_map<'de, D, T, M>(
    d: D,
    from_str: fn(String) -> Result<T, String>,
    from_map: fn(M) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    M: Deserialize<'de>,
{
    struct V<T, M> {
        from_str: fn(String) -> Result<T, String>,
        from_map: fn(M) -> Result<T, String>,
    }
    impl<'de, T, M: Deserialize<'de>> Visitor<'de> for V<T, M> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("文字或键值表")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.from_str)(v.to_string()).map_err(E::custom)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let m = M::deserialize(de::value::MapAccessDeserializer::new(map))?;
            (self.from_map)(m).map_err(de::Error::custom)
        }
    }
    d.deserialize_any(V { from_str, from_map })
}

/// A string or a list of strings.
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V(PhantomData<()>);
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("文字或文字列表")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        let d = Date::parse("2019-03-07").unwrap();
        assert_eq!(d, Date::parse("2019年3月7日").unwrap());
        assert_eq!(d.chinese(), "2019年3月7日");
        assert!(Date::parse("2019年2月30日")
            .unwrap_err()
            .contains("不是有效日期"));
        assert!(Date::parse("三月七日").is_err());
        // As units write them: points, slashes, full-width digits.
        for written in [
            "2019.3.7",
            "2019/3/7",
            "２０１９．３．７",
            "２０１９年３月７日",
        ] {
            assert_eq!(Date::parse(written), Ok(d), "{written}");
        }
        // The old way: read, printed in Arabic numerals.
        for (old, new) in [
            ("二〇一九年三月七日", "2019年3月7日"),
            ("二OO三年十月十六日", "2003年10月16日"),
            ("二零一九年十二月三十一日", "2019年12月31日"),
            ("一九九六年六月二十九日", "1996年6月29日"),
        ] {
            assert_eq!(Date::parse(old).unwrap().chinese(), new, "{old}");
            assert!(is_chinese_date(old));
        }
        assert!(!is_chinese_date("2019年3月7日"));
        assert!(Date::parse("二〇一九年二月三十日").is_err());
    }
}
