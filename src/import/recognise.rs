//! The parts of a 公文 recognised in a draft's pieces: the 版头 (份号, 密级,
//! 紧急程度, 发文机关标志, 发文字号, 签发人), the title, the 主送机关, the
//! body's structure (一、（一）1.（1）, run-in headings, 一是, 第一章/第一条,
//! 1 / 1.1 numbering, tables), the 附件说明 and the attachments, 署名 and
//! 成文日期, 附注 and the 版记. Typed numbers are removed (gongwen numbers),
//! half-width punctuation in Chinese text is made full-width, and every
//! guess is noted where it was made.

use super::{Cell, Para, Piece};

/// A block of the body, as the content format has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Para(String),
    /// 一、 （一） 1. （1） (depth 1–4), or 1 / 1.1 …: its title, the text
    /// run into its line, and what it holds.
    Heading {
        depth: usize,
        title: String,
        rest: Option<String>,
        children: Vec<Node>,
        /// The numbering level its typed number had, when its place would
        /// give another (一、 then 1.: 级别 3).
        level: Option<usize>,
    },
    /// A paragraph that begins with a number (a long one: not a heading),
    /// set with the number gongwen generates at that level.
    Numbered {
        text: String,
        level: usize,
    },
    /// 一是、二是 …
    Item(String),
    /// 第一章 and its 条.
    Chapter {
        title: String,
        children: Vec<Node>,
    },
    /// 第一条.
    Article(String),
    Table(Vec<Vec<Cell>>),
}

/// An attachment after the text: its title and body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attachment {
    pub title: String,
    /// The 填报栏 over a form's table (填报单位：　填报日期：).
    pub fields: Vec<String>,
    /// A 目录 follows its title (gongwen makes it: 目录: true).
    pub toc: bool,
    pub body: Vec<Node>,
}

/// What was recognised, and where the reading was unsure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recognised {
    pub copy_no: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    /// The 发文机关标志: its organs (one, or several stacked) and 文件.
    pub organs: Vec<String>,
    pub suffix: Option<String>,
    pub number: Option<String>,
    pub signers: Vec<String>,
    pub title: Vec<String>,
    pub recipients: Option<String>,
    pub body: Vec<Node>,
    /// Headings numbered 1 / 1.1 / 1.1.1 (编号方式: 数字).
    pub decimal: bool,
    pub attachment_names: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Documents the notice issues (印发文件), after its signature, each
    /// with whether it numbers 1 / 1.1.
    pub issued: Vec<(Attachment, bool)>,
    pub signature: Vec<String>,
    pub date: Option<String>,
    pub note: Option<String>,
    pub report_to: Option<String>,
    pub send_to: Option<String>,
    pub copy_to: Option<String>,
    pub printer: Option<String>,
    pub printed: Option<String>,
    /// (key, why): a comment at that key of the YAML.
    pub unsure: Vec<(&'static str, String)>,
    /// Half-width marks made full-width in Chinese text.
    pub punctuation: usize,
    /// Pictures in the draft, not imported (a seal is added with 印章).
    pub pictures: usize,
}

impl Recognised {
    /// What was found, one line each, for the report.
    pub fn report(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut say = |what: &str, found: bool| {
            if found {
                out.push(format!("识别到{what}"));
            }
        };
        say("份号", self.copy_no.is_some());
        say("密级", self.secrecy.is_some());
        say("紧急程度", self.urgency.is_some());
        say("发文机关标志", !self.organs.is_empty());
        say("发文字号", self.number.is_some());
        say("签发人", !self.signers.is_empty());
        say("标题", !self.title.is_empty());
        say("主送机关", self.recipients.is_some());
        say("附件说明", !self.attachment_names.is_empty());
        say("发文机关署名", !self.signature.is_empty());
        say("成文日期", self.date.is_some());
        say("附注", self.note.is_some());
        say("版记", self.copy_to.is_some() || self.printer.is_some());
        let mut counts = Counts::default();
        counts.add(&self.body);
        out.push(format!(
            "正文：{} 个标题，{} 段文字，{} 个事项，{} 章 {} 条，{} 个表格",
            counts.headings,
            counts.paras,
            counts.items,
            counts.chapters,
            counts.articles,
            counts.tables
        ));
        if !self.attachments.is_empty() {
            out.push(format!("附件 {} 个", self.attachments.len()));
        }
        if !self.issued.is_empty() {
            out.push(format!("印发文件 {} 个", self.issued.len()));
        }
        if self.pictures > 0 {
            out.push(format!(
                "原文有 {} 张图片，未导入（印章请用“印章: 图片文件”加上）",
                self.pictures
            ));
        }
        if self.punctuation > 0 {
            out.push(format!(
                "已把中文里的 {} 个半角标点改为全角（，；：？！（））",
                self.punctuation
            ));
        }
        out
    }
}

#[derive(Default)]
struct Counts {
    headings: usize,
    paras: usize,
    items: usize,
    chapters: usize,
    articles: usize,
    tables: usize,
}

impl Counts {
    fn add(&mut self, nodes: &[Node]) {
        for n in nodes {
            match n {
                Node::Para(_) => self.paras += 1,
                Node::Heading { children, .. } => {
                    self.headings += 1;
                    self.add(children);
                }
                Node::Item(_) => self.items += 1,
                Node::Chapter { children, .. } => {
                    self.chapters += 1;
                    self.add(children);
                }
                Node::Article(_) => self.articles += 1,
                Node::Numbered { .. } => self.paras += 1,
                Node::Table(_) => self.tables += 1,
            }
        }
    }
}

const CN_DIGITS: &str = "一二三四五六七八九十";

/// The longest heading, in characters: a longer first sentence after a
/// number is a numbered paragraph (published headings are phrases).
const HEADING_CHARS: usize = 25;

/// Whether a line starts a block of its own (a number, a heading's mark, a
/// 附件 label): a wrapped line that does is never joined to the line before.
pub fn starts_block(line: &str) -> bool {
    numbered(line).is_some()
        || line.starts_with("附件")
        || line.starts_with("抄送")
        || chinese_date(line).is_some()
}

/// A typed number at the start of a paragraph: its depth (1 一、, 2 （一）,
/// 3 1., 4 （1）; 0 for a 章, 5 for a 条, 6 for 一是; decimal 1.1 as 10 + its
/// depth) and the text after it.
fn numbered(line: &str) -> Option<(usize, &str)> {
    let cn = |s: &str| -> usize {
        s.chars()
            .take_while(|c| CN_DIGITS.contains(*c))
            .map(char::len_utf8)
            .sum()
    };
    let digits = |s: &str| -> usize { s.bytes().take_while(u8::is_ascii_digit).count() };
    // The marks after a number, and the depth each gives.
    fn after<'a>(rest: &'a str, marks: &[(char, usize)]) -> Option<(usize, &'a str)> {
        marks
            .iter()
            .find_map(|&(m, depth)| Some((depth, rest.strip_prefix(m)?)))
    }
    let n = cn(line);
    if n > 0 {
        if let Some(found) = after(&line[n..], &[('、', 1), ('是', 6)]) {
            return Some(found);
        }
    }
    if let Some(r) = line.strip_prefix('（').or_else(|| line.strip_prefix('(')) {
        for (k, depth) in [(cn(r), 2), (digits(r), 4)] {
            if k > 0 {
                if let Some((_, rest)) = after(&r[k..], &[('）', depth), (')', depth)]) {
                    return Some((depth, rest));
                }
            }
        }
    }
    if let Some(r) = line.strip_prefix('第') {
        let n = cn(r);
        if n > 0 {
            if let Some(found) = after(&r[n..], &[('章', 0), ('条', 5)]) {
                return Some(found);
            }
        }
    }
    let d = digits(line);
    if d > 0 && d <= 2 {
        let rest = &line[d..];
        // 1.1 / 1.1.1 followed by a space: decimal numbering.
        let mut depth = 1;
        let mut r = rest;
        while let Some(after) = r.strip_prefix('.') {
            let k = digits(after);
            if k == 0 {
                break;
            }
            depth += 1;
            r = &after[k..];
        }
        if depth > 1
            || r.starts_with([' ', '\u{3000}'])
                && !r.trim().is_empty()
                && depth == 1
                && rest.starts_with([' ', '\u{3000}'])
        {
            let t = r.trim_start_matches([' ', '\u{3000}']);
            if r.len() != t.len() {
                return Some((10 + depth, t));
            }
        }
        if let Some(t) = rest.strip_prefix(['.', '．', '、']) {
            if !t.starts_with(|c: char| c.is_ascii_digit()) {
                return Some((3, t));
            }
        }
    }
    None
}

/// A date as 成文日期 are written, with Arabic or Chinese numerals
/// (2019年3月7日, 二〇一九年三月七日), as gongwen writes it.
pub fn chinese_date(line: &str) -> Option<String> {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let value = |s: &str| -> Option<u32> {
        if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
            return s.parse().ok();
        }
        // 二〇一九 (digit by digit), 十二, 二十七, 三十一.
        let digit = |c: char| match c {
            '〇' | '零' | 'O' | 'o' => Some(0),
            _ => CN_DIGITS
                .chars()
                .position(|d| d == c)
                .filter(|&i| i < 9)
                .map(|i| i as u32 + 1),
        };
        if s.chars().count() == 4 && s.chars().all(|c| digit(c).is_some()) {
            return s.chars().try_fold(0, |acc, c| Some(acc * 10 + digit(c)?));
        }
        match s.split_once('十') {
            Some((tens, ones)) => {
                let tens = if tens.is_empty() {
                    1
                } else {
                    digit(tens.chars().next()?)?
                };
                let ones = if ones.is_empty() {
                    0
                } else {
                    digit(ones.chars().next()?)?
                };
                Some(tens * 10 + ones)
            }
            None if s.chars().count() == 1 => digit(s.chars().next()?),
            None => None,
        }
    };
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let (y, m, d) = (value(y)?, value(m)?, value(d)?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y}年{m}月{d}日"))
}

/// A 发文字号: organ code, 〔year〕 and number 号, brackets of any kind typed
/// made the standard's 〔〕.
fn document_number(line: &str) -> Option<String> {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let open = t.find(['〔', '[', '［', '(', '（', '【'])?;
    let code = &t[..open];
    let after = &t[open + t[open..].chars().next()?.len_utf8()..];
    let year: String = after.chars().take_while(char::is_ascii_digit).collect();
    if year.len() != 4 || code.is_empty() || code.chars().count() > 12 {
        return None;
    }
    let after = &after[4..];
    let close = after.chars().next()?;
    if !"〕]］)）】".contains(close) {
        return None;
    }
    let rest = &after[close.len_utf8()..];
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = &rest[n.len()..];
    (!n.is_empty() && tail.starts_with('号')).then(|| format!("{code}〔{year}〕{n}号"))
}

/// Half-width marks in Chinese text made full-width: ， ； ： ？ ！ and
/// round brackets around Chinese; counts what it changed.
fn full_width(text: &str, count: &mut usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let cjk = |c: Option<&char>| {
        c.is_some_and(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(c) || "，。、；：“”（）《》".contains(*c)
        })
    };
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let (before, after) = (
            i.checked_sub(1).and_then(|j| chars.get(j)),
            chars.get(i + 1),
        );
        let near = cjk(before) || cjk(after);
        let mapped = match c {
            ',' if near => '，',
            ';' if near => '；',
            ':' if near && !after.is_some_and(char::is_ascii_digit) => '：',
            '?' if near => '？',
            '!' if near => '！',
            '(' if cjk(after) => '（',
            ')' if cjk(before) => '）',
            other => other,
        };
        if mapped != c {
            *count += 1;
        }
        out.push(mapped);
    }
    out
}

/// `line` without the spaces a PDF reader puts between a number or Latin
/// word and the Chinese beside it.
pub fn unspace(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let wide = |c: char| !c.is_ascii() && !c.is_whitespace();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            if (wide(a) && (b.is_ascii_alphanumeric() || b == '%' || wide(b)))
                || (wide(b) && (a.is_ascii_alphanumeric() || a == '%'))
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A short line: a title's, a 署名's, a label's.
fn short(t: &str) -> bool {
    t.chars().count() <= 30
}

pub fn recognise(pieces: &[Piece]) -> Recognised {
    let mut r = Recognised::default();
    let mut fix = 0usize;
    // Normalised text of every paragraph; tables as they are.
    let pieces: Vec<Piece> = pieces
        .iter()
        .map(|p| match p {
            Piece::Para(p) => Piece::Para(Para {
                text: full_width(
                    p.text.trim().trim_start_matches('\u{3000}').trim(),
                    &mut fix,
                ),
                ..p.clone()
            }),
            Piece::Table(t) => Piece::Table(t.clone()),
        })
        .filter(|p| !matches!(p, Piece::Para(p) if p.text.is_empty()))
        .collect();
    r.punctuation = fix;
    let text = |i: usize| match pieces.get(i) {
        Some(Piece::Para(p)) => Some(p),
        _ => None,
    };
    let mut i = 0;
    // 份号, 密级, 紧急程度 at the very top.
    while let Some(p) = text(i) {
        let t = p.text.as_str();
        if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            r.copy_no = Some(t.into());
        } else if ["绝密", "机密", "秘密"].iter().any(|s| t.starts_with(s)) && short(t) {
            r.secrecy = Some(t.into());
        } else if ["特急", "加急"].contains(&t) {
            r.urgency = Some(t.into());
        } else {
            break;
        }
        i += 1;
    }
    // The mark: what comes before the 发文字号, when there is one early on.
    let number_at = (i..pieces.len().min(i + 12))
        .find(|&k| text(k).is_some_and(|p| document_number(&p.text).is_some()));
    if let Some(n) = number_at {
        let lines: Vec<String> = (i..n).filter_map(text).map(|p| p.text.clone()).collect();
        mark(&mut r, &lines);
        let line = &text(n).expect("a paragraph").text;
        r.number = document_number(line);
        if let Some((_, who)) = line.split_once("签发人") {
            r.signers = who
                .trim_start_matches(['：', ':'])
                .split(['　', ' ', '、'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
        i = n + 1;
        // 签发人 on the lines after the 发文字号.
        while let Some(p) = text(i) {
            match p.text.split_once("签发人") {
                Some((_, who)) if short(&p.text) => {
                    r.signers.extend(
                        who.trim_start_matches(['：', ':'])
                            .split(['　', ' ', '、'])
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                    );
                    i += 1;
                }
                _ => break,
            }
        }
    }
    // The title: centred lines (in Word), or the lines up to the 主送机关 or
    // the first long paragraph.
    let start = i;
    while let Some(p) = text(i) {
        let t = &p.text;
        let ends_addressed = t.ends_with('：') && !t.contains('。');
        if ends_addressed || !short(t) || numbered(t).is_some() || t.ends_with('。') {
            break;
        }
        if i > start && !p.center && text(start).is_some_and(|f| f.center) {
            break;
        }
        r.title.push(t.clone());
        i += 1;
        if i - start == 4 {
            break;
        }
    }
    if r.title.is_empty() {
        r.unsure.push((
            "标题",
            "没有识别到标题，这里填的是占位文字，请改为公文标题".into(),
        ));
    } else if r.organs.is_empty() && r.number.is_none() {
        // Text from a web page: the first line may be the organ's name.
        r.unsure.push((
            "标题",
            "原文没有版头（发文机关标志、发文字号），标题按开头几行识别，请核对".into(),
        ));
    }
    // 主送机关.
    if let Some(p) = text(i) {
        if p.text.ends_with('：')
            && p.text.chars().count() <= 120
            && !p.text.contains('。')
            && numbered(&p.text).is_none()
        {
            r.recipients = Some(p.text.clone());
            i += 1;
        }
    }
    // The 版记 rows at the very end.
    let mut end = pieces.len();
    while end > i {
        let Some(p) = text(end - 1) else { break };
        let t = p.text.clone();
        let row = |label: &str| {
            t.strip_prefix(label)
                .filter(|s| s.starts_with(['：', ':']))
                .map(|s| {
                    s.trim_start_matches(['：', ':'])
                        .trim_end_matches('。')
                        .to_string()
                })
        };
        if t.ends_with("印发") && short(&t) {
            let body = t.trim_end_matches("印发").trim_end();
            let date_len: usize = body
                .chars()
                .rev()
                .take_while(|c| {
                    c.is_ascii_digit() || "年月日 　〇零一二三四五六七八九十".contains(*c)
                })
                .map(char::len_utf8)
                .sum();
            let at = body.len() - date_len;
            r.printer = Some(body[..at].trim().to_string());
            r.printed = chinese_date(&body[at..]);
        } else if let Some(v) = row("抄送") {
            r.copy_to = Some(v);
        } else if let Some(v) = row("报") {
            r.report_to = Some(v);
        } else if let Some(v) = row("送") {
            r.send_to = Some(v);
        } else {
            break;
        }
        end -= 1;
    }
    // The signature: the first 成文日期 on a line of its own, the 署名 the
    // short lines right above it.
    let date_at = (i..end).find(|&k| {
        text(k).is_some_and(|p| p.text.chars().count() <= 16 && chinese_date(&p.text).is_some())
    });
    let mut body_end = date_at.unwrap_or(end);
    if let Some(k) = date_at {
        r.date = chinese_date(&text(k).expect("a paragraph").text);
        let mut names = Vec::new();
        while body_end > i && names.len() < 5 {
            let Some(q) = text(body_end - 1) else { break };
            let t = q.text.as_str();
            let sentence = t.ends_with(['。', '：', '；', '，', '）']);
            if !short(t) || sentence || numbered(t).is_some() || t.starts_with("附件") {
                break;
            }
            names.insert(0, t.to_string());
            body_end -= 1;
        }
        // Several organs printed side by side on one line.
        r.signature = names
            .iter()
            .flat_map(|n| {
                n.split(['　', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    // 附件说明: "附件：1.…" and the lines under it, right before the 署名.
    let note_at = (body_end.saturating_sub(12).max(i)..body_end).find(|&k| {
        text(k).is_some_and(|p| p.text.starts_with("附件：") || p.text.starts_with("附件:"))
    });
    let mut text_end = body_end;
    if let Some(k) = note_at {
        for j in k..body_end {
            if let Some(p) = text(j) {
                let t = p
                    .text
                    .trim_start_matches("附件")
                    .trim_start_matches(['：', ':']);
                let name = match numbered(t) {
                    Some((3, rest)) => rest,
                    _ => t,
                };
                if !name.is_empty() {
                    r.attachment_names.push(name.trim().to_string());
                }
            }
        }
        text_end = k;
    }
    r.body = body(&pieces[i..text_end], &mut r.decimal, &mut r.unsure);
    // After the signature: 附注, then attachments (each from its 附件 label)
    // and documents the notice issues (each from its title).
    let mut k = date_at.map_or(end, |d| d + 1);
    if let Some(p) = text(k) {
        let t = &p.text;
        if k < end && t.starts_with('（') && t.ends_with('）') && short(t) {
            r.note = Some(
                t.trim_start_matches('（')
                    .trim_end_matches('）')
                    .to_string(),
            );
            k += 1;
        }
    }
    let label = |p: &Para| {
        let t = p.text.as_str();
        t == "附件"
            || t.strip_prefix("附件")
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    while k < end {
        let attachment = text(k).is_some_and(label);
        let from = if attachment { k + 1 } else { k };
        // Its title: the short lines at its top.
        let mut title = Vec::new();
        let mut toc = false;
        let mut j = from;
        while let Some(p) = text(j) {
            if p.text.replace(['　', ' '], "") == "目录" {
                toc = true;
                j += 1;
                break;
            }
            if j >= end
                || title.len() == 3
                || !short(&p.text)
                || p.text.ends_with('。')
                || numbered(&p.text).is_some()
                || label(p)
            {
                break;
            }
            if !title.is_empty() && !p.center && text(from).is_some_and(|f| f.center) {
                break;
            }
            // A 填报栏 line (填报单位：…) is not a title.
            if p.text.contains('：') {
                break;
            }
            title.push(p.text.clone());
            j += 1;
        }
        let next = (j..end)
            .find(|&n| text(n).is_some_and(label))
            .unwrap_or(end);
        // A 填报栏: labels, each with its colon and a blank after it.
        let mut fields = Vec::new();
        if let Some(p) = text(j).filter(|_| j < next) {
            let labels: Vec<&str> = p
                .text
                .split(['　', ' '])
                .filter(|s| !s.is_empty())
                .collect();
            if !labels.is_empty()
                && labels
                    .iter()
                    .all(|l| l.ends_with('：') && l.chars().count() <= 8)
            {
                fields = labels
                    .iter()
                    .map(|l| l.trim_end_matches('：').to_string())
                    .collect();
                j += 1;
            }
        }
        let mut decimal = false;
        let part = Attachment {
            title: title.join("\n"),
            fields,
            toc,
            body: body(&pieces[j..next], &mut decimal, &mut r.unsure),
        };
        if attachment {
            r.attachments.push(part);
        } else if !part.title.is_empty() || !part.body.is_empty() {
            r.issued.push((part, decimal));
        }
        k = next;
    }
    for (n, a) in r.attachments.iter_mut().enumerate() {
        if a.title.is_empty() {
            a.title = r
                .attachment_names
                .get(n)
                .cloned()
                .unwrap_or_else(|| format!("附件{}", n + 1));
        }
    }
    if r.signature.is_empty() {
        r.unsure
            .push(("发文机关署名", "没有识别到发文机关署名，请核对".into()));
    }
    if r.date.is_none() {
        r.unsure.push((
            "成文日期",
            "没有识别到成文日期，这里填的是今天，请改为成文日期".into(),
        ));
    }
    r
}

/// The 发文机关标志 from the lines above the 发文字号: one line (…文件), or
/// several organs with 文件 beside them.
fn mark(r: &mut Recognised, lines: &[String]) {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => {}
        [one] => r.organs = vec![one.to_string()],
        many => {
            for l in many {
                // "甲局　　文件" beside the middle organ: 文件 is the suffix.
                let name = l
                    .split(['　', ' '])
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>();
                match name.as_slice() {
                    [organ, suffix] if ["文件", "函"].contains(suffix) => {
                        r.organs.push(organ.to_string());
                        r.suffix = Some(suffix.to_string());
                    }
                    _ if *l == "文件" => r.suffix = Some("文件".into()),
                    _ => r.organs.push(name.concat()),
                }
            }
        }
    }
}

/// The body's blocks, nested by their numbers: a heading holds what comes
/// after it until a heading of its depth or above.
fn body(
    pieces: &[Piece],
    decimal: &mut bool,
    unsure: &mut Vec<(&'static str, String)>,
) -> Vec<Node> {
    // (depth, node) on a stack: the open headings.
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<(usize, Node)> = Vec::new();
    fn close(stack: &mut Vec<(usize, Node)>, root: &mut Vec<Node>, depth: usize) {
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            let (_, node) = stack.pop().expect("not empty");
            push(stack, root, node);
        }
    }
    fn push(stack: &mut [(usize, Node)], root: &mut Vec<Node>, node: Node) {
        match stack.last_mut() {
            Some((_, Node::Heading { children, .. } | Node::Chapter { children, .. })) => {
                children.push(node)
            }
            _ => root.push(node),
        }
    }
    let mut guessed = false;
    for piece in pieces {
        let p = match piece {
            Piece::Table(t) => {
                push(&mut stack, &mut root, Node::Table(t.clone()));
                continue;
            }
            Piece::Para(p) => p,
        };
        let t = p.text.as_str();
        match numbered(t) {
            Some((0, title)) => {
                close(&mut stack, &mut root, 0);
                stack.push((
                    0,
                    Node::Chapter {
                        title: title.trim().to_string(),
                        children: Vec::new(),
                    },
                ));
            }
            Some((5, text)) => push(
                &mut stack,
                &mut root,
                Node::Article(text.trim().to_string()),
            ),
            Some((6, text)) => push(&mut stack, &mut root, Node::Item(text.to_string())),
            // In a regulation's 章 and 条, 一、 and （一） number the 项 of an
            // article: text of that article, as typed.
            Some((depth, _)) if depth < 10 && stack.iter().any(|(d, _)| *d == 0) => {
                push(&mut stack, &mut root, Node::Para(t.to_string()));
            }
            Some((depth, text)) => {
                let depth = if depth > 10 {
                    *decimal = true;
                    depth - 10
                } else {
                    depth
                };
                // A heading is its line up to the first full stop; what
                // follows on the line is run into it.
                // A first sentence longer than a heading's (or a label with
                // its colon: 元旦：…) makes a numbered paragraph.
                let first = text.split_inclusive('。').next().unwrap_or(text);
                let sentence = first.chars().count() > HEADING_CHARS || first.contains('：');
                let (title, rest) = match text.find('。') {
                    Some(at) if at + '。'.len_utf8() < text.len() && !sentence => {
                        let (a, b) = text.split_at(at + '。'.len_utf8());
                        (a.to_string(), Some(b.to_string()))
                    }
                    _ if sentence || text.ends_with('。') && text.chars().count() > 30 => {
                        // A numbered paragraph, not a heading.
                        push(
                            &mut stack,
                            &mut root,
                            Node::Numbered {
                                text: text.to_string(),
                                level: depth,
                            },
                        );
                        if !guessed {
                            unsure.push((
                                "正文",
                                format!(
                                    "“{}…”这类带序号的长段落按带序号的段落处理（段落、编号、级别）",
                                    t.chars().take(8).collect::<String>()
                                ),
                            ));
                            guessed = true;
                        }
                        continue;
                    }
                    _ => (text.to_string(), None),
                };
                if title.trim().is_empty() {
                    // A number on a line of its own (a table's cell read as
                    // text): kept as it is.
                    push(&mut stack, &mut root, Node::Para(t.to_string()));
                    continue;
                }
                close(&mut stack, &mut root, depth);
                let level = stack.iter().filter(|(d, _)| *d > 0).count() + 1;
                let level = (level != depth && !*decimal).then_some(depth);
                stack.push((
                    depth,
                    Node::Heading {
                        depth,
                        title,
                        rest,
                        children: Vec::new(),
                        level,
                    },
                ));
            }
            None => push(&mut stack, &mut root, Node::Para(t.to_string())),
        }
    }
    close(&mut stack, &mut root, 0);
    root
}
