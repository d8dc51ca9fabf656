//! The one walk over a notice. Everything that looks at the whole notice —
//! the checks, the glyph coverage, the render view and the forms — takes
//! the nodes from here, so a new kind of block is taught to one traversal.
//!
//! Nodes come in reading order of the content: the notice's own fields and
//! body, its attachments, then each document it issues with its attachments.
//! Every node carries its place in the YAML (a typed path), the document
//! and attachment it belongs to, and what the standard derives from order:
//! heading and item numbers (一、 （一） 1. （1） 一是) and 附件 labels.

use std::fmt;

use super::{Attachment, Block, Document, Format, Notice, Numbering, Table};
use crate::style::{Role, Style};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(&'static str),
    Index(usize),
}

/// Where a node is in the content, as error messages write it
/// (`印发文件[0].正文[2].标题`) and as `Locations` looks it up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(Vec<Step>);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath::default()
    }

    /// This path followed by a key.
    pub fn key(&self, k: &'static str) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Step::Key(k));
        p
    }

    /// This path followed by a list index.
    pub fn index(&self, i: usize) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Step::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Which document and attachment a node belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// `None`: the notice itself; `Some(i)`: the i-th document it issues.
    pub doc: Option<usize>,
    /// `Some(i)`: inside that document's i-th attachment.
    pub attachment: Option<usize>,
}

/// What a piece of text is, for the rules that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 份号, 密级, 保密期限, 紧急程度.
    Header,
    /// An organ or the suffix of the 发文机关标志.
    Mark,
    /// 发文字号.
    Number,
    /// A 签发人 name.
    Signer,
    /// The 标题 of the notice or of a document it issues.
    Title,
    Recipients,
    Paragraph,
    /// The text of a numbered paragraph (its number is generated).
    Numbered,
    /// A 层次 heading's text (its number is generated).
    Heading,
    /// The lead sentence of a 一是 item.
    ItemLead,
    ItemText,
    Departments,
    TableHeader,
    TableCell,
    AttachmentTitle,
    /// The name of an attachment in the 附件说明.
    AttachmentName,
    /// A 题注 under a document's title.
    Caption,
    Signature,
    /// A name in a 纪要's 出席, 请假 or 列席 list.
    Attendance,
    Note,
    CopyTo,
    Printer,
}

impl Field {
    /// Running text written by people: where typed ordinals and mentions of
    /// 附件 are looked for.
    pub fn is_prose(self) -> bool {
        matches!(
            self,
            Field::Paragraph | Field::Numbered | Field::Heading | Field::ItemLead | Field::ItemText
        )
    }

    /// Text gongwen puts a generated number before: a typed one would
    /// print twice, so it is removed.
    pub fn is_numbered(self) -> bool {
        matches!(self, Field::Numbered | Field::Heading | Field::ItemLead)
    }
}

/// A piece of text as it will be printed.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    pub text: &'a str,
    pub field: Field,
    /// The face that prints it.
    pub role: Role,
    /// Text that must not be empty.
    pub required: bool,
}

#[derive(Debug, Clone)]
pub enum Kind<'a> {
    Text(Text<'a>),
    /// A block of 正文, with its heading level (1-based, the level of the
    /// list it is in) and the number the standard gives it ("" for
    /// paragraphs and tables).
    Block {
        block: &'a Block,
        level: usize,
        number: String,
        /// What the block is inside (for the rules of where 章 and 节 go).
        inside: Parent,
    },
    /// A table, in a body or as an attachment's table.
    Table(&'a Table),
    /// An attachment starts: its label is 附件 when it is its document's
    /// only one, 附件N otherwise (§7.3.7).
    Attachment {
        attachment: &'a Attachment,
        label: String,
    },
    /// A document issued by the notice starts.
    Document(&'a Document),
}

/// What a block sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// A document's 正文 (or an attachment's).
    Body,
    Heading,
    Chapter,
    Section,
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub at: FieldPath,
    pub scope: Scope,
    pub kind: Kind<'a>,
}

impl<'a> Node<'a> {
    pub fn text(&self) -> Option<&Text<'a>> {
        match &self.kind {
            Kind::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Every node of `notice`, with heading faces from `style`.
pub fn walk<'a>(notice: &'a Notice, style: &Style) -> Vec<Node<'a>> {
    let mut w = Walker {
        out: Vec::new(),
        scope: Scope::default(),
        style,
    };
    w.notice(notice);
    w.out
}

struct Walker<'a, 's> {
    out: Vec<Node<'a>>,
    scope: Scope,
    style: &'s Style,
}

impl<'a> Walker<'a, '_> {
    fn push(&mut self, at: FieldPath, kind: Kind<'a>) {
        self.out.push(Node {
            at,
            scope: self.scope,
            kind,
        });
    }

    /// Body text: a paragraph in 仿宋, checked like every paragraph.
    fn prose(&mut self, at: FieldPath, text: &'a str) {
        self.text(at, Field::Paragraph, Role::Fangsong, true, text);
    }

    fn text(&mut self, at: FieldPath, field: Field, role: Role, required: bool, text: &'a str) {
        self.push(
            at,
            Kind::Text(Text {
                text,
                field,
                role,
                required,
            }),
        );
    }

    fn opt(&mut self, at: FieldPath, field: Field, role: Role, text: &'a Option<String>) {
        if let Some(t) = text {
            self.text(at, field, role, false, t);
        }
    }

    fn notice(&mut self, n: &'a Notice) {
        let root = FieldPath::root();
        let k = |key| root.key(key);
        self.opt(k("份号"), Field::Header, Role::Fangsong, &n.copy_number);
        self.opt(k("密级"), Field::Header, Role::Heiti, &n.classification);
        self.opt(k("保密期限"), Field::Header, Role::Heiti, &n.secrecy_term);
        self.opt(k("紧急程度"), Field::Header, Role::Heiti, &n.urgency);
        let mark = k("发文机关标志");
        for (i, o) in n.mark.organs.iter().enumerate() {
            self.text(mark.key("机关").index(i), Field::Mark, Role::Title, true, o);
        }
        self.opt(mark.key("后缀"), Field::Mark, Role::Title, &n.mark.suffix);
        self.opt(k("发文字号"), Field::Number, Role::Fangsong, &n.number);
        for (i, s) in n.signers.iter().enumerate() {
            self.text(k("签发人").index(i), Field::Signer, Role::Kaiti, false, s);
        }
        // A 命令 has no title and a 纪要's mark names it; the rest need one.
        let titled = matches!(n.format, Format::File | Format::Letter);
        self.text(k("标题"), Field::Title, Role::Title, titled, &n.title);
        self.opt(
            k("主送机关"),
            Field::Recipients,
            Role::Fangsong,
            &n.recipients,
        );
        self.body(&k("正文"), &n.body, n.numbering);
        self.attachments(&k("附件"), &n.attachments);
        self.signature(&root, &n.signature);
        for (i, s) in n.signatories.iter().enumerate() {
            let at = k("签署").index(i);
            self.text(
                at.key("职务"),
                Field::Signature,
                Role::Fangsong,
                true,
                &s.title,
            );
            self.text(
                at.key("姓名"),
                Field::Signature,
                Role::Fangsong,
                true,
                &s.name,
            );
        }
        for (key, list) in [
            ("出席", &n.present),
            ("请假", &n.absent),
            ("列席", &n.attending),
        ] {
            for (i, name) in list.iter().enumerate() {
                let at = k(key).index(i);
                self.text(at, Field::Attendance, Role::Fangsong, true, name);
            }
        }
        self.opt(k("附注"), Field::Note, Role::Fangsong, &n.note);
        for (i, d) in n.issued.iter().enumerate() {
            let at = k("印发文件").index(i);
            self.scope = Scope {
                doc: Some(i),
                attachment: None,
            };
            self.push(at.clone(), Kind::Document(d));
            self.text(at.key("标题"), Field::Title, Role::Title, true, &d.title);
            self.document(&at, d);
            self.attachments(&at.key("附件"), &d.attachments);
        }
        self.scope = Scope::default();
        if let Some(c) = &n.colophon {
            let at = k("版记");
            for (key, list) in [
                ("报", &c.report_to),
                ("送", &c.send_to),
                ("抄送机关", &c.copy_to),
            ] {
                for (i, organ) in list.iter().enumerate() {
                    let at = if list.len() == 1 {
                        at.key(key)
                    } else {
                        at.key(key).index(i)
                    };
                    self.text(at, Field::CopyTo, Role::Fangsong, false, organ);
                }
            }
            self.opt(
                at.key("印发机关"),
                Field::Printer,
                Role::Fangsong,
                &c.printer,
            );
        }
    }

    /// What a document inside the notice carries besides its title and
    /// attachments: 题注, 主送机关, 正文, 署名.
    fn document(&mut self, at: &FieldPath, d: &'a Document) {
        self.opt(at.key("题注"), Field::Caption, Role::Kaiti, &d.caption);
        self.opt(
            at.key("主送机关"),
            Field::Recipients,
            Role::Fangsong,
            &d.recipients,
        );
        self.body(&at.key("正文"), &d.body, d.numbering);
        self.signature(at, &d.signature);
    }

    fn signature(&mut self, at: &FieldPath, names: &'a [String]) {
        for (i, s) in names.iter().enumerate() {
            self.text(
                at.key("发文机关署名").index(i),
                Field::Signature,
                Role::Fangsong,
                true,
                s,
            );
        }
    }

    fn attachments(&mut self, at: &FieldPath, list: &'a [Attachment]) {
        let outer = self.scope;
        for (i, a) in list.iter().enumerate() {
            let at = at.index(i);
            self.scope.attachment = Some(i);
            let label = if list.len() == 1 {
                "附件".to_string()
            } else {
                format!("附件{}", i + 1)
            };
            self.push(
                at.clone(),
                Kind::Attachment {
                    attachment: a,
                    label,
                },
            );
            self.text(
                at.key("标题"),
                Field::AttachmentTitle,
                Role::Title,
                true,
                &a.title,
            );
            self.opt(
                at.key("名称"),
                Field::AttachmentName,
                Role::Fangsong,
                &a.name,
            );
            self.document(&at, a);
            if let Some(t) = &a.table {
                self.table(at.key("表格"), t);
            }
        }
        self.scope = outer;
    }

    /// A document's 正文, with numbering that starts afresh: 章 and 条 run
    /// through the whole body.
    fn body(&mut self, at: &FieldPath, list: &'a [Block], scheme: Numbering) {
        let mut counters = Articles::default();
        self.blocks(at, list, 1, &[], scheme, Parent::Body, &mut counters);
    }

    #[allow(clippy::too_many_arguments)]
    fn blocks(
        &mut self,
        at: &FieldPath,
        list: &'a [Block],
        depth: usize,
        parents: &[usize],
        scheme: Numbering,
        inside: Parent,
        articles: &mut Articles,
    ) {
        // Numbers per level among these siblings: a heading or numbered
        // paragraph counts at its level (its depth, or the level it names)
        // and starts the levels below it afresh.
        // A level may be named up to 11 below the siblings' own depth
        // (documents nest headings as deep as they like).
        let mut counts = vec![0usize; depth + 12];
        let mut items = 0;
        let mut path: Vec<usize> = parents.to_vec();
        for (i, b) in list.iter().enumerate() {
            let at = at.index(i);
            let mut level = depth;
            let mut numbered = |named: Option<usize>, start: Option<usize>| {
                level = named.unwrap_or(depth).clamp(depth, counts.len() - 1);
                counts[level] = start.unwrap_or(counts[level] + 1);
                counts[level + 1..].iter_mut().for_each(|c| *c = 0);
                path = parents.to_vec();
                path.extend(counts[depth..=level].iter().filter(|c| **c > 0));
                number(scheme, level, &path[..path.len() - 1], counts[level])
            };
            let number = match b {
                Block::Heading(h) => numbered(h.level, h.start),
                Block::Numbered { level, start, .. } => numbered(*level, *start),
                Block::Item(_) => {
                    items += 1;
                    format!("{}是", chinese_number(items))
                }
                Block::Chapter { .. } => {
                    articles.chapter += 1;
                    articles.section = 0;
                    format!("第{}章", chinese_number(articles.chapter))
                }
                Block::Section { .. } => {
                    articles.section += 1;
                    format!("第{}节", chinese_number(articles.section))
                }
                Block::Article(_) => {
                    articles.article += 1;
                    format!("第{}条", chinese_number(articles.article))
                }
                Block::Paragraph(_) | Block::Table(_) => String::new(),
            };
            self.push(
                at.clone(),
                Kind::Block {
                    block: b,
                    level,
                    number,
                    inside,
                },
            );
            match b {
                Block::Paragraph(t) => self.prose(at, t),
                Block::Numbered { text, .. } => {
                    self.text(at.key("段落"), Field::Numbered, Role::Fangsong, true, text)
                }
                Block::Heading(h) => {
                    let role = self.style.heading_role(level);
                    self.text(at.key("标题"), Field::Heading, role, true, &h.title);
                    self.opt(at.key("文字"), Field::Paragraph, Role::Fangsong, &h.text);
                    self.blocks(
                        &at.key("内容"),
                        &h.content,
                        level + 1,
                        &path,
                        scheme,
                        Parent::Heading,
                        articles,
                    );
                }
                Block::Item(it) => {
                    self.text(
                        at.key("事项"),
                        Field::ItemLead,
                        Role::Fangsong,
                        true,
                        &it.lead,
                    );
                    self.opt(at.key("说明"), Field::ItemText, Role::Fangsong, &it.text);
                    self.opt(
                        at.key("责任部门"),
                        Field::Departments,
                        Role::Fangsong,
                        &it.departments,
                    );
                }
                Block::Table(t) => self.table(at.key("表格"), t),
                Block::Chapter { title, content } | Block::Section { title, content } => {
                    let (key, role, parent) = if matches!(b, Block::Chapter { .. }) {
                        ("章", self.style.heading_role(1), Parent::Chapter)
                    } else {
                        ("节", self.style.heading_role(2), Parent::Section)
                    };
                    self.text(at.key(key), Field::Heading, role, true, title);
                    self.blocks(
                        &at.key("内容"),
                        content,
                        depth,
                        parents,
                        scheme,
                        parent,
                        articles,
                    );
                }
                Block::Article(clauses) => {
                    for (c, clause) in clauses.iter().enumerate() {
                        let at = at.key("条").index(c);
                        self.prose(at.clone(), &clause.text);
                        for (k, item) in clause.items.iter().enumerate() {
                            self.prose(at.key("项").index(k), item);
                        }
                    }
                }
            }
        }
    }

    fn table(&mut self, at: FieldPath, t: &'a Table) {
        self.push(at.clone(), Kind::Table(t));
        self.opt(at.key("表题"), Field::Caption, Role::Heiti, &t.caption);
        self.opt(at.key("单位"), Field::Paragraph, Role::Fangsong, &t.unit);
        let header = if t.header.is_empty() {
            t.columns
                .iter()
                .enumerate()
                .map(|(c, h)| (at.key("列").index(c), h))
                .collect::<Vec<_>>()
        } else {
            t.header
                .iter()
                .enumerate()
                .flat_map(|(r, row)| {
                    let at = at.key("表头").index(r);
                    row.iter().enumerate().map(move |(c, h)| (at.index(c), h))
                })
                .collect()
        };
        for (p, h) in header {
            self.text(p, Field::TableHeader, Role::Heiti, false, &h.text);
        }
        for (r, row) in t.rows.iter().enumerate() {
            let at = at.key("行").index(r);
            match row {
                crate::content::Row::Cells(cells) => {
                    for (c, cell) in cells.iter().enumerate() {
                        self.text(
                            at.index(c),
                            Field::TableCell,
                            Role::Fangsong,
                            false,
                            &cell.text,
                        );
                    }
                }
                crate::content::Row::Category(text) => {
                    self.text(at.key("分类"), Field::TableCell, Role::Heiti, true, text)
                }
            }
        }
        for (i, note) in t.notes.iter().enumerate() {
            self.prose(at.key("注").index(i), note);
        }
    }
}

/// The numbers of 章, 节 and 条, which run through a whole body.
#[derive(Default)]
struct Articles {
    chapter: usize,
    section: usize,
    article: usize,
}

/// A heading's number in `scheme`: `parents` are the numbers of the
/// headings above it.
fn number(scheme: Numbering, level: usize, parents: &[usize], n: usize) -> String {
    match scheme {
        Numbering::Chinese => heading_number(level, n),
        Numbering::Decimal => decimal_number(level, parents, n),
    }
}

/// Decimal numbering as plans use it: 1 / 1.1 / 1.1.1, then （1）, each
/// followed by a full-width space.
pub fn decimal_number(level: usize, parents: &[usize], n: usize) -> String {
    if level >= 4 {
        return format!("（{n}）");
    }
    let mut parts: Vec<String> = parents.iter().map(usize::to_string).collect();
    parts.push(n.to_string());
    format!("{}\u{3000}", parts.join("."))
}

/// Every table of `notice` with its place, to be changed: the same order
/// as `walk`, for filling tables from their Excel sheets at load time.
pub fn tables_mut(notice: &mut Notice, f: &mut dyn FnMut(&FieldPath, &mut Table)) {
    fn blocks(at: &FieldPath, list: &mut [Block], f: &mut dyn FnMut(&FieldPath, &mut Table)) {
        for (i, b) in list.iter_mut().enumerate() {
            let at = at.index(i);
            match b {
                Block::Table(t) => f(&at.key("表格"), t),
                other => blocks(&at.key("内容"), other.children_mut(), f),
            }
        }
    }
    fn documents(at: &FieldPath, list: &mut [Document], f: &mut dyn FnMut(&FieldPath, &mut Table)) {
        for (i, d) in list.iter_mut().enumerate() {
            let at = at.index(i);
            blocks(&at.key("正文"), &mut d.body, f);
            if let Some(t) = &mut d.table {
                f(&at.key("表格"), t);
            }
            documents(&at.key("附件"), &mut d.attachments, f);
        }
    }
    let root = FieldPath::root();
    blocks(&root.key("正文"), &mut notice.body, f);
    documents(&root.key("附件"), &mut notice.attachments, f);
    documents(&root.key("印发文件"), &mut notice.issued, f);
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

/// Whether text starts with an ordinal that gongwen generates itself.
pub fn typed_ordinal(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let nums = "一二三四五六七八九十";
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
    // 1. 1、 (digits are one byte each; the mark after them may be three)
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &t[digits..];
    let mark = rest.chars().next().filter(|c| matches!(c, '.' | '、'));
    if let (true, Some(mark)) = (digits > 0, mark) {
        let end = digits + mark.len_utf8();
        if t[end..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit() && c != '.')
        {
            return Some(&t[..end]);
        }
    }
    None
}

/// `text` without a typed ordinal that the standard's numbering replaces
/// (一、 before a heading gongwen numbers itself is never printed twice).
pub fn without_typed_ordinal(text: &str) -> &str {
    match typed_ordinal(text) {
        Some(num) => text.trim_start()[num.len()..].trim_start(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Item;

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

    fn heading(title: &str, content: Vec<Block>) -> Block {
        Block::Heading(crate::content::Heading {
            title: title.into(),
            text: None,
            content,
            level: None,
            start: None,
        })
    }

    fn notice(body: Vec<Block>) -> Notice {
        let yaml = "发文机关标志: 某局文件\n标题: 关于\n正文: []\n发文机关署名: 某局\n成文日期: 2019-03-07\n";
        let mut n: Notice = serde_yaml::from_str(yaml).unwrap();
        n.body = body;
        n
    }

    #[test]
    fn items_and_headings_count_separately_and_paths_are_typed() {
        let item = |s: &str| {
            Block::Item(Item {
                lead: s.into(),
                text: None,
                departments: None,
                label: true,
                deadline: None,
            })
        };
        let n = notice(vec![
            Block::Paragraph("前言".into()),
            heading(
                "甲",
                vec![item("a"), Block::Paragraph("p".into()), item("b")],
            ),
            heading("乙", vec![item("c")]),
        ]);
        let nodes = walk(&n, &Style::default());
        let numbers: Vec<&str> = nodes
            .iter()
            .filter_map(|n| match &n.kind {
                Kind::Block { number, .. } => Some(number.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, ["", "一、", "一是", "", "二是", "二、", "一是"]);
        let heading = nodes
            .iter()
            .find(|n| n.text().is_some_and(|t| t.text == "乙"))
            .unwrap();
        assert_eq!(heading.at.to_string(), "正文[2].标题");
        assert_eq!(heading.text().unwrap().role, Role::Heiti);
    }

    #[test]
    fn a_heading_face_from_the_style_is_the_role_of_its_text() {
        let n = notice(vec![heading("甲", vec![])]);
        let style: Style = serde_yaml::from_str("层次字体: [kaiti]").unwrap();
        let roles: Vec<Role> = walk(&n, &style)
            .iter()
            .filter_map(|n| n.text())
            .filter(|t| t.field == Field::Heading)
            .map(|t| t.role)
            .collect();
        assert_eq!(roles, [Role::Kaiti]);
    }
}
