//! `gongwen import`: the drafts offices already have — a Word document
//! (.docx) or text pasted from a PDF or a web page (.txt, UTF-8, GBK or
//! UTF-16) — read into a content folder: `DIR/公文.yaml` in the standard's
//! vocabulary, with a comment wherever the reading was unsure, and a
//! report of what was recognised.
//!
//! Reading is in two steps: the file becomes a list of pieces (paragraphs
//! with how they were set — centred, right, bold, large, red — and tables
//! with their merges); the pieces are then recognised as the parts of a
//! 公文 (`recognise`), and written out (`emit`).

mod emit;
mod recognise;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::office::package::{parts, CFB_MAGIC};
use crate::office::text::{check_size, decode, file_error};

pub use recognise::Recognised;

/// The largest draft read: a Word document of a few hundred pages is far
/// smaller.
pub const MAX_DRAFT_BYTES: u64 = 50 * 1024 * 1024;
/// The most a .docx may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// The most tables a draft may hold.
pub const MAX_TABLES: usize = 2_000;
/// The most paragraphs a draft may hold.
pub const MAX_PARAGRAPHS: usize = 100_000;

/// A paragraph of the draft and how it was set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub text: String,
    pub center: bool,
    pub right: bool,
    pub bold: bool,
    /// Font size in pt (0: unknown).
    pub size: f64,
    pub red: bool,
    /// Starts a new page (a page break before it).
    pub page_break: bool,
    /// Indented on its first line (a body paragraph, in text pasted from
    /// a PDF).
    pub indented: bool,
}

/// A cell of a draft's table: its text and how many rows and columns it
/// spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub rows: usize,
    pub cols: usize,
}

/// What a draft is made of, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

/// What `import` wrote and recognised.
#[derive(Debug)]
pub struct Imported {
    pub file: PathBuf,
    pub recognised: Recognised,
}

/// Imports `draft` into the content folder `dir` (created if need be):
/// writes `dir/公文.yaml`, never over an existing one.
pub fn import(draft: &Path, dir: &Path) -> Result<Imported> {
    let target = dir.join("公文.yaml");
    if target.exists() {
        return Err(file_error(
            &target,
            "已有 公文.yaml，import 不会覆盖它；请换一个文件夹，或先把它移走".into(),
        ));
    }
    let (pieces, pictures) = read(draft)?;
    let mut recognised = recognise::recognise(&pieces);
    recognised.pictures = pictures;
    let yaml = emit::yaml(&recognised, draft);
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    crate::files::write_atomic(&target, yaml.as_bytes())?;
    Ok(Imported {
        file: target,
        recognised,
    })
}

/// The pieces of the draft at `path`: a .docx or a text file, told apart
/// by their first bytes (a renamed file is read as what it is); the old
/// binary .doc, a PDF and an encrypted document are refused with what to do.
/// Also returns how many pictures a .docx holds (none are imported: a seal
/// is given with `印章`).
pub fn read(path: &Path) -> Result<(Vec<Piece>, usize)> {
    check_size(path, MAX_DRAFT_BYTES)?;
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let refuse = |m: &str| Err(file_error(path, m.into()));
    if bytes.starts_with(&CFB_MAGIC) {
        return refuse(
            "这是旧的 Word 二进制格式（.doc）或加密的文档，gongwen 读不了：请在 Word 或 WPS 中打开，\
             “另存为”.docx（不设密码）后再导入",
        );
    }
    if bytes.starts_with(b"%PDF") {
        return refuse(
            "这是 PDF 文件：扫描件里没有文字可读。请用原来的 Word 文件导入，\
             或在 PDF 阅读器中全选复制文字，粘贴到记事本存为 .txt 后导入",
        );
    }
    if bytes.starts_with(b"PK") {
        return docx(path, &bytes);
    }
    let text = decode(&bytes).map_err(|m| file_error(path, m))?;
    if text.contains('\0') {
        return refuse("不是文字文件，也不是 .docx；请另存为 .docx 或 .txt 后导入");
    }
    Ok((text_pieces(&text), 0))
}

/// The pieces of a .docx, read by docx-rs (its document as JSON: the
/// reader's own serialisation, so no field of it is private to us).
fn docx(path: &Path, bytes: &[u8]) -> Result<(Vec<Piece>, usize)> {
    let names = parts(bytes, "Word 文档", MAX_UNPACKED_BYTES).map_err(|m| file_error(path, m))?;
    let has = |n: &str| names.iter().any(|p| p == n);
    if !has("word/document.xml") {
        return Err(file_error(
            path,
            "不是 Word 文档（.docx）：里面没有 word/document.xml；若是表格或其他文件，请另存为 .docx".into(),
        ));
    }
    if names.iter().any(|n| n.ends_with("vbaProject.bin")) {
        return Err(file_error(
            path,
            "文档含有宏（启用宏的文档）；为安全起见不读取，请“另存为”普通的 .docx（不含宏）后再导入".into(),
        ));
    }
    if let Some(rels) = crate::office::package::part(bytes, "word/_rels/document.xml.rels", 1 << 20)
    {
        let rels = String::from_utf8_lossy(&rels);
        // A hyperlink is harmless; a linked (not embedded) picture, an
        // attached template or an OLE link would be fetched by Word.
        let external = rels.split("<Relationship ").any(|r| {
            r.contains("TargetMode=\"External\"") && !r.contains("relationships/hyperlink")
        });
        if external {
            return Err(file_error(
                path,
                "文档链接了外部文件（链接的图片、模板或对象）；请在 Word 中断开链接或改为嵌入，另存为 .docx 后再导入".into(),
            ));
        }
    }
    let doc = docx_rs::read_docx(bytes).map_err(|e| {
        file_error(
            path,
            format!(
                "无法读取这个 Word 文档：{e}；文件可能已损坏，请用 Word 或 WPS 打开后另存为 .docx"
            ),
        )
    })?;
    let json: Value =
        serde_json::from_str(&doc.json()).map_err(|e| file_error(path, e.to_string()))?;
    let children = json["document"]["children"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut pieces = Vec::new();
    let (mut tables, mut paragraphs) = (0usize, 0usize);
    for child in &children {
        match child["type"].as_str() {
            Some("paragraph") => {
                paragraphs += 1;
                pieces.extend(paragraph(&child["data"]).into_iter().map(Piece::Para));
            }
            Some("table") => {
                tables += 1;
                pieces.push(Piece::Table(table(&child["data"])));
            }
            _ => {}
        }
        if tables > MAX_TABLES || paragraphs > MAX_PARAGRAPHS {
            return Err(file_error(
                path,
                format!(
                    "文档有超过 {MAX_TABLES} 个表格或 {MAX_PARAGRAPHS} 个段落，不像是一份公文；请只保留公文本身后再导入"
                ),
            ));
        }
    }
    let pictures = names
        .iter()
        .filter(|n| n.starts_with("word/media/"))
        .count();
    Ok((pieces, pictures))
}

/// The text of a run or paragraph's children (text, tabs, breaks; the text
/// of tracked insertions, not of deletions).
fn text_of(children: &Value, out: &mut String, page_break: &mut bool) {
    for c in children.as_array().into_iter().flatten() {
        match c["type"].as_str() {
            Some("text") => out.push_str(c["data"]["text"].as_str().unwrap_or_default()),
            Some("tab") => out.push('\t'),
            Some("break") => {
                if c["data"]["breakType"].as_str() == Some("page") {
                    *page_break = true;
                } else {
                    out.push('\n');
                }
            }
            Some("run") | Some("insert") | Some("hyperlink") => {
                text_of(&c["data"]["children"], out, page_break)
            }
            _ => {}
        }
    }
}

/// A Word paragraph as one or more of ours (a manual line break inside a
/// title or a 署名 block separates lines that are pieces of their own).
fn paragraph(data: &Value) -> Vec<Para> {
    let mut text = String::new();
    let mut page_break = data["property"]["pageBreakBefore"]
        .as_bool()
        .unwrap_or(false);
    text_of(&data["children"], &mut text, &mut page_break);
    let runs: Vec<&Value> = data["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["type"] == "run")
        .collect();
    let run_prop = |key: &str| {
        runs.iter()
            .find_map(|r| r["data"]["runProperty"].get(key).cloned())
    };
    let size = run_prop("sz").and_then(|v| v.as_f64()).unwrap_or(0.0) / 2.0;
    let bold = run_prop("bold").is_some_and(|v| v.as_bool().unwrap_or(true));
    let red = run_prop("color")
        .and_then(|v| v.as_str().map(str::to_uppercase))
        .is_some_and(|c| {
            let hex =
                |i: usize| u8::from_str_radix(c.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
            c.len() == 6 && hex(0) > 0xB0 && hex(2) < 0x80 && hex(4) < 0x80
        });
    let align = data["property"]["alignment"].as_str().unwrap_or_default();
    let indent = &data["property"]["indent"];
    let indented = indent["specialIndent"]["type"].as_str() == Some("firstLine")
        || indent["firstLineChars"].as_i64().is_some_and(|c| c > 0);
    let lines: Vec<&str> = text.split('\n').collect();
    let several = lines.len() > 1 && (align == "center" || align == "right");
    let mut out: Vec<Para> = if several {
        lines.iter().map(|l| l.to_string()).collect()
    } else {
        vec![text.replace('\n', "")]
    }
    .into_iter()
    .map(|text| Para {
        indented: indented || text_starts_indented(&text),
        text,
        center: align == "center",
        right: align == "right" || align == "end",
        bold,
        size,
        red,
        page_break: false,
    })
    .collect();
    if let Some(first) = out.first_mut() {
        first.page_break = page_break;
    }
    out
}

/// A Word table as rows of cells, each merge read as a span: a cell merged
/// down (vMerge) counts the "continue" cells under it, which are left out.
fn table(data: &Value) -> Vec<Vec<Cell>> {
    let rows: Vec<&Value> = data["rows"].as_array().into_iter().flatten().collect();
    // Each row's cells as (grid column, text, columns spanned, vMerge).
    type Placed = (usize, String, usize, Option<String>);
    let mut grid: Vec<Vec<Placed>> = Vec::new();
    for row in &rows {
        let mut col = 0;
        let mut cells = Vec::new();
        for cell in row["data"]["cells"].as_array().into_iter().flatten() {
            let prop = &cell["data"]["property"];
            let span = prop["gridSpan"].as_u64().unwrap_or(1).max(1) as usize;
            let merge = prop["verticalMerge"].as_str().map(str::to_string);
            let mut text = String::new();
            let mut page = false;
            for p in cell["data"]["children"].as_array().into_iter().flatten() {
                if p["type"] == "paragraph" {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text_of(&p["data"]["children"], &mut text, &mut page);
                }
            }
            cells.push((col, text.trim().to_string(), span, merge));
            col += span;
        }
        grid.push(cells);
    }
    let mut out = Vec::new();
    for (r, cells) in grid.iter().enumerate() {
        let mut row = Vec::new();
        for (col, text, span, merge) in cells {
            if merge.as_deref() == Some("continue") {
                continue;
            }
            let mut rows_down = 1;
            if merge.as_deref() == Some("restart") {
                while grid.get(r + rows_down).is_some_and(|next| {
                    next.iter()
                        .any(|(c, _, _, m)| c == col && m.as_deref() == Some("continue"))
                }) {
                    rows_down += 1;
                }
            }
            row.push(Cell {
                text: text.clone(),
                rows: rows_down,
                cols: *span,
            });
        }
        out.push(row);
    }
    out
}

/// Whether a line of text begins with the indent of a body paragraph (two
/// spaces, an ideographic space or a tab).
fn text_starts_indented(line: &str) -> bool {
    line.starts_with('\u{3000}') || line.starts_with("  ") || line.starts_with('\t')
}

/// The pieces of pasted text: lines joined back into paragraphs where a
/// PDF or a web page wrapped them, runs of tab-separated lines as tables,
/// page numbers (— 3 —) and blank lines dropped.
fn text_pieces(text: &str) -> Vec<Piece> {
    // A PDF reader puts a space between a number and the Chinese around it
    // (2019 年 3 月): not in the text.
    let unspaced: Vec<String> = text
        .lines()
        .map(|l| recognise::unspace(l.trim_end()))
        .collect();
    let lines: Vec<&str> = unspaced.iter().map(String::as_str).collect();
    // Text from a PDF wraps at the page's width: most lines are as wide as
    // the commonest width. Text from a web page has a paragraph a line.
    let widths: Vec<f64> = lines
        .iter()
        .map(|l| width(l.trim()))
        .filter(|&n| n >= 15.0)
        .collect();
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for w in &widths {
        let w = w.round() as i64;
        match counts.iter_mut().find(|(k, _)| *k == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((w, 1)),
        }
    }
    let widest = counts
        .iter()
        .max_by_key(|(w, n)| (*n, *w))
        .map_or(0.0, |(w, _)| *w as f64);
    let full = widths.iter().filter(|&&n| n + 2.0 >= widest).count();
    let wrapped = widths.len() >= 4 && (20.0..=40.0).contains(&widest) && full * 3 >= widths.len();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut table: Vec<Vec<Cell>> = Vec::new();
    let page_number = |l: &str| {
        let t = l.trim().trim_matches(['—', '-', '－', ' ']);
        !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit())
            && l.trim().starts_with(['—', '-', '－'])
    };
    // The width of the last line read into the last paragraph.
    let mut last_width = 0.0;
    for line in lines {
        let trimmed = line.trim();
        if line.contains('\t') && trimmed.contains('\t') {
            table.push(
                trimmed
                    .split('\t')
                    .map(|c| Cell {
                        text: c.trim().to_string(),
                        rows: 1,
                        cols: 1,
                    })
                    .collect(),
            );
            continue;
        }
        if !table.is_empty() {
            pieces.push(Piece::Table(std::mem::take(&mut table)));
            last_width = 0.0;
        }
        if trimmed.is_empty() || page_number(trimmed) {
            continue;
        }
        let indented = text_starts_indented(line);
        // A wrapped line continues the paragraph before it when that one's
        // last line filled the width, unless it starts a block of its own
        // (indented, or with a number or a heading's mark).
        if wrapped && !indented && !recognise::starts_block(trimmed) && last_width + 3.0 >= widest {
            // (A line that ends a sentence most often ends its paragraph.)
            if let Some(Piece::Para(p)) = pieces
                .last_mut()
                .filter(|p| matches!(p, Piece::Para(p) if !p.text.ends_with(['。', '！', '？', '：', '；'])))
            {
                p.text.push_str(trimmed);
                last_width = width(trimmed);
                continue;
            }
        }
        last_width = width(trimmed);
        pieces.push(Piece::Para(Para {
            text: trimmed.to_string(),
            indented,
            ..Default::default()
        }));
    }
    if !table.is_empty() {
        pieces.push(Piece::Table(table));
    }
    pieces
}

/// Width in grid characters: CJK one, ASCII half.
fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}
