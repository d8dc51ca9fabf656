//! The .docx writer: the typed view the Typst templates read, written as
//! Word paragraphs, styles and tables, so that a draft can go round for
//! 审签 and come back editable (`shared/docs/word.md`): A4 with the
//! standard's margins, Word's document grid of 22 lines × 28 characters,
//! the office faces named for East Asian and Latin text alike (never theme
//! fonts), heading styles with outline levels, the red mark as red text and
//! the red rule as a paragraph border, tables with their grid, merges,
//! repeated header rows and rows that do not split, page numbers in the
//! footers per §7.5. The same content gives the same bytes.

use std::io::Cursor;
use std::path::Path;

use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer,
    InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, Pic, RelativeFromHType, RelativeFromVType, Run, RunFonts,
    SpecialIndentType, Style as WordStyle, StyleType, Tab, TabValueType, Table, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableOfContents, TableRow,
    VAlignType, VMergeType, WidthType,
};

use crate::content::Project;
use crate::error::{Error, Result};
use crate::render::view::{
    AttachmentView, BlockKind, BlockView, CellView, ColophonView, Signature, TableView, Title, View,
};
use crate::style::{Role, Style};
use crate::typeset::{table_layouts, toc_entries, TableLayout, TocEntry};
use typst_layout::PagedDocument;

/// Twips (1/20 pt) of `mm`.
fn tw(mm: f64) -> i32 {
    (mm * 72.0 / 25.4 * 20.0).round() as i32
}

/// Lines exactly `line` twips apart, `before` twips above the paragraph,
/// nothing below: every paragraph on the grid is set so.
fn exact(line: i32, before: u32) -> LineSpacing {
    LineSpacing::new()
        .line(line)
        .line_rule(LineSpacingType::Exact)
        .before(before)
        .after(0)
}

/// Half-points of `pt` (Word's font sizes).
fn hp(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}

/// EMU of `mm` (image sizes and offsets).
fn emu(mm: f64) -> i32 {
    (mm * 36_000.0).round() as i32
}

/// A colour as Word writes it, from the style's CMYK.
fn hex([c, m, y, k]: [f64; 4]) -> String {
    let ch = |x: f64| ((1.0 - x / 100.0) * (1.0 - k / 100.0) * 255.0).round() as u8;
    format!("{:02X}{:02X}{:02X}", ch(c), ch(m), ch(y))
}

/// Writes product pages (a form, the 汇总表, a task list) as a .docx: each
/// page as an attachment is, its tables as the layout set them in `doc`;
/// page numbers only when `numbered`.
pub fn pages(
    project: &Project,
    doc: &PagedDocument,
    pages: &[AttachmentView],
    numbered: bool,
) -> Result<Vec<u8>> {
    let mut w = Writer::new(project, doc);
    w.numbered = numbered;
    for (i, page) in pages.iter().enumerate() {
        w.attachment(page);
        if i == 0 {
            // The first page needs no break before it.
            if let Some(Part::P(p)) = w.parts.first_mut() {
                p.property = std::mem::take(&mut p.property).page_break_before(false);
            }
        }
    }
    w.finish()
}

/// `p` with `border` (docx-rs sets borders on the paragraph's properties).
fn bordered(mut p: Paragraph, border: ParagraphBorder) -> Paragraph {
    p.property = p
        .property
        .set_borders(docx_rs::ParagraphBorders::with_empty().set(border));
    p
}

/// Writes `project` as a .docx, its tables set as the layout set them in
/// `doc` (their size and column widths).
pub fn docx(project: &Project, doc: &PagedDocument) -> Result<Vec<u8>> {
    let view = View::new(&project.notice, &project.style);
    let mut w = Writer::new(project, doc);
    w.document(&view);
    w.finish()
}

/// What goes into the body, in order.
enum Part {
    /// Boxed: paragraphs and tables are large.
    P(Box<Paragraph>),
    T(Box<Table>),
    /// A 目录 as a field Word updates, with the entries as the layout set
    /// them, each with the bookmark of its heading.
    Toc(Vec<(String, TocEntry)>),
}

struct Writer<'a> {
    st: &'a Style,
    root: &'a Path,
    parts: Vec<Part>,
    /// Twips of one grid line (Word's linePitch).
    pitch: i32,
    /// The next paragraph starts a new page.
    page_break: bool,
    /// Ids of the images placed so far (each needs its own).
    images: usize,
    /// The character spacing (twips) that sets `chars` body characters to
    /// the 版心's width.
    squeeze: i32,
    /// The layout's tables still to write, the next one last.
    tables: Vec<TableLayout>,
    /// The layout's 目录 entries.
    toc: Vec<TocEntry>,
    /// How many headings of each document's 目录 are written so far.
    toc_seen: std::collections::BTreeMap<String, usize>,
    /// Page numbers in the footers (not on a unit's one-page form).
    numbered: bool,
    /// The 成文日期 as the package's creation time (the same bytes for the
    /// same content).
    date: String,
}

/// The bookmark of the `i`th 目录 entry of the file at its heading.
fn toc_key(i: usize) -> String {
    format!("_Toc{:08}", i + 1)
}

/// A row height docx-rs writes and gongwen uses nowhere else (twips): the
/// mark of a header row, turned into `<w:tblHeader/>` once the XML is built.
const HEADER_MARK: f32 = 1.5;

impl<'a> Writer<'a> {
    /// A writer for `project`, the tables and 目录 as the layout set them in
    /// `doc`.
    fn new(project: &'a Project, doc: &PagedDocument) -> Self {
        let (st, root) = (&project.style, project.root.as_path());
        let pitch = (st.body_height_mm * 72.0 / 25.4 / f64::from(st.lines) * 20.0).floor() as i32;
        let cell = st.body_width_mm * 72.0 / 25.4 / f64::from(st.chars);
        Writer {
            st,
            root,
            parts: Vec::new(),
            pitch,
            page_break: false,
            images: 0,
            squeeze: ((cell - st.body_size_pt) * 20.0).floor() as i32,
            tables: table_layouts(doc).into_iter().rev().collect(),
            toc: toc_entries(doc),
            date: project
                .notice
                .date
                .0
                .format("%Y-%m-%dT00:00:00Z")
                .to_string(),
            toc_seen: Default::default(),
            numbered: true,
        }
    }

    /// The office face of `role`, for East Asian and Latin text alike.
    fn fonts(&self, role: Role) -> RunFonts {
        let face = self.st.fonts.of(role).conventional();
        RunFonts::new()
            .east_asia(&face)
            .ascii(&face)
            .hi_ansi(&face)
            .cs(&face)
            .hint("eastAsia")
    }

    fn run(&self, text: &str, role: Role, size_pt: f64) -> Run {
        let mut run = Run::new().fonts(self.fonts(role)).size(hp(size_pt));
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        run
    }

    /// A body-size run of `role`, its characters `chars` to the 版心's
    /// width: each a hair narrower than its size (in whole twips, rounded
    /// down so that the 28th still fits and a 29th does not).
    fn body_run(&self, text: &str, role: Role) -> Run {
        self.run(text, role, self.st.body_size_pt)
            .character_spacing(self.squeeze)
    }

    /// A paragraph on the grid: exact line pitch, no space around.
    fn para(&mut self) -> Paragraph {
        let mut p = Paragraph::new().line_spacing(exact(self.pitch, 0));
        if std::mem::take(&mut self.page_break) {
            p = p.page_break_before(true);
        }
        p
    }

    /// A line of `role` set `align` (a 题注, a table's caption and unit).
    fn aligned(&mut self, text: &str, role: Role, align: AlignmentType) -> Paragraph {
        self.para().align(align).add_run(self.body_run(text, role))
    }

    /// A centred line of `role` (a 题注, 目录's title).
    fn centred(&mut self, text: &str, role: Role) {
        let p = self.aligned(text, role, AlignmentType::Center);
        self.push(p);
    }

    fn push(&mut self, p: Paragraph) {
        self.parts.push(Part::P(Box::new(p)));
    }

    /// `n` grid lines of space before `p`.
    fn lines_before(&self, p: Paragraph, n: f64) -> Paragraph {
        p.line_spacing(exact(
            self.pitch,
            (n * f64::from(self.pitch)).round().max(0.0) as u32,
        ))
    }

    /// One character of the body size, in twips.
    fn chars(&self, n: f64) -> i32 {
        (n * self.st.body_size_pt * 20.0).round() as i32
    }

    fn document(&mut self, v: &View) {
        match v.format {
            "order" => self.order_head(v),
            "letter" => self.letterhead(v),
            _ => self.masthead(v),
        }
        if let Some(id) = &v.toc {
            self.toc_of(id);
        }
        self.blocks(&v.body);
        match v.format {
            "order" => self.order_signature(v),
            "minutes" => {
                self.attachment_note(&v.attachment_note);
                for (label, names) in &v.attendance {
                    let p = self
                        .para()
                        .indent(Some(self.chars(2.0)), None, None, None)
                        .add_run(self.body_run(&format!("{label}："), Role::Heiti))
                        .add_run(self.body_run(names, Role::Fangsong));
                    self.push(p);
                }
            }
            _ => {
                self.attachment_note(&v.attachment_note);
                self.signature(&v.signature);
            }
        }
        if let Some(note) = &v.note {
            let p = self
                .para()
                .indent(Some(self.chars(2.0)), None, None, None)
                .add_run(self.body_run(&format!("（{note}）"), Role::Fangsong));
            self.push(p);
        }
        for d in &v.issued {
            self.page_break = true;
            self.title(&d.title, 0.0);
            if let Some(c) = &d.parts.caption {
                let p = self
                    .para()
                    .align(AlignmentType::Center)
                    .add_run(self.body_run(c, Role::Kaiti));
                self.push(p);
            }
            if let Some(id) = &d.parts.toc {
                self.toc_of(id);
            }
            if let Some(r) = &d.parts.recipients {
                let p = self.para().add_run(self.body_run(r, Role::Fangsong));
                let p = self.lines_before(p, 1.0);
                self.push(p);
            }
            self.blocks(&d.body);
            self.attachment_note(&d.attachment_note);
            if let Some(s) = &d.parts.signature {
                self.signature(s);
            }
            for a in &d.attachments {
                self.attachment(a);
            }
        }
        for a in v.attachments.iter().filter(|a| !a.separate) {
            self.attachment(a);
        }
        if let Some(c) = &v.colophon {
            self.colophon(c, v.format == "letter");
        }
        for a in v.attachments.iter().filter(|a| a.separate) {
            self.attachment(a);
        }
    }
}

impl Writer<'_> {
    /// 份号, 密级, 紧急程度 flush left, then the red mark 35 mm into the
    /// 版心, the 发文字号 (with 签发人), the red rule, title and 主送.
    fn masthead(&mut self, v: &View) {
        let m = &v.masthead;
        let mut rows = 0.0;
        for (text, role) in [
            (&m.copy_no, Role::Fangsong),
            (&m.secrecy, Role::Heiti),
            (&m.urgency, Role::Heiti),
        ] {
            if let Some(t) = text {
                let p = self.para().add_run(self.body_run(t, role));
                self.push(p);
                rows += 1.0;
            }
        }
        for (face, text) in &m.corner {
            let role = if *face == "heiti" {
                Role::Heiti
            } else {
                Role::Fangsong
            };
            let p = self
                .para()
                .align(AlignmentType::Right)
                .add_run(self.body_run(text, role));
            self.push(p);
            rows += 1.0;
        }
        let st = self.st;
        let top = (tw(st.mark_top_mm) - (rows * f64::from(self.pitch)) as i32).max(0);
        self.mark(&m.organs, m.suffix.as_deref(), top);
        // 发文字号: 空二行 below the mark; with 签发人 flush left on its line.
        let number = m.number.clone().unwrap_or_default();
        let mut p = self.para();
        if m.signers.is_empty() {
            p = p
                .align(AlignmentType::Center)
                .add_run(self.body_run(&number, Role::Fangsong));
        } else {
            p = p
                .indent(Some(self.chars(1.0)), None, Some(self.chars(1.0)), None)
                .add_tab(
                    Tab::new()
                        .val(TabValueType::Right)
                        .pos(tw(st.body_width_mm) as usize - self.chars(2.0) as usize),
                )
                .add_run(self.body_run(&number, Role::Fangsong))
                .add_run(Run::new().add_tab())
                .add_run(self.body_run("签发人：", Role::Fangsong))
                .add_run(self.body_run(&m.signers.join("　"), Role::Kaiti));
        }
        let p = self.lines_before(
            p,
            st.number_gap_lines * st.line_unit_pt * 20.0 / f64::from(self.pitch),
        );
        // A 纪要's issuing office and date on the line above the rule.
        let p = if v.format == "minutes" {
            if m.number.is_some() {
                self.push(p);
            }
            let indent = self.chars(st.signer_indent_chars);
            let line = self
                .para()
                .indent(Some(indent), None, Some(indent), None)
                .add_tab(
                    Tab::new()
                        .val(TabValueType::Right)
                        .pos((tw(st.body_width_mm) - 2 * indent) as usize),
                )
                .add_run(self.body_run(&v.signature.names.join("、"), Role::Fangsong))
                .add_run(Run::new().add_tab())
                .add_run(self.body_run(&v.signature.date, Role::Fangsong));
            if m.number.is_some() {
                line
            } else {
                self.lines_before(
                    line,
                    st.number_gap_lines * st.line_unit_pt * 20.0 / f64::from(self.pitch),
                )
            }
        } else {
            p
        };
        // The red rule under it, `rule-gap` below, as the paragraph's border.
        let p = bordered(p, self.red_rule(st.rule_thickness_mm, st.rule_gap_mm));
        self.push(p);
        self.title(
            &m.title,
            st.title_gap_lines * st.line_unit_pt * 20.0 / f64::from(self.pitch),
        );
        if let Some(c) = &m.caption {
            self.centred(c, Role::Kaiti);
        }
        if let Some(r) = &m.recipients {
            let p = self.para().add_run(self.body_run(r, Role::Fangsong));
            let p = self.lines_before(p, 1.0);
            self.push(p);
        }
    }

    /// A paragraph border in the standard's red, `thick_mm` thick, `gap_mm`
    /// below the text.
    fn red_rule(&self, thick_mm: f64, gap_mm: f64) -> ParagraphBorder {
        ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size((thick_mm * 72.0 / 25.4 * 8.0).round() as usize)
            .space((gap_mm * 72.0 / 25.4).round() as usize)
            .color(hex(self.st.red_cmyk))
    }

    /// The red 发文机关标志, `top_tw` below what precedes it: one organ on a
    /// line, or several in a borderless table, each name spread to the
    /// widest (分散对齐) with the suffix centred beside them.
    fn mark(&mut self, organs: &[String], suffix: Option<&str>, top_tw: i32) {
        let st = self.st;
        let red = hex(st.red_cmyk);
        // The mark may not be wider than the 版心: a long one is set smaller.
        let text_width = |s: &str| s.chars().count() as f64;
        let widest = organs.iter().map(|o| text_width(o)).fold(0.0, f64::max)
            + suffix.map_or(0.0, |s| text_width(s) + 0.25);
        // (5% to spare: Word's and LibreOffice's faces are not all one em.)
        let fit = 0.95 * st.body_width_mm * 72.0 / 25.4 / widest.max(1.0);
        let size = st.mark_size_pt.min(fit);
        let spacing = exact((size * 1.15 * 20.0).round() as i32, top_tw.max(0) as u32);
        let mark_run = |w: &Self, t: &str| w.run(t, Role::Title, size).color(&red);
        if organs.len() <= 1 {
            let text = format!("{}{}", organs.concat(), suffix.unwrap_or(""));
            let p = Paragraph::new()
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .line_spacing(spacing)
                .add_run(mark_run(self, &text));
            self.push(p);
            return;
        }
        // A paragraph to carry the space above, then the table.
        let p = Paragraph::new()
            .snap_to_grid(false)
            .line_spacing(spacing.clone().line(20));
        self.push(p);
        // The cell's own margins (108 twips a side) and 3% to spare.
        let names_w =
            (organs.iter().map(|o| text_width(o)).fold(0.0, f64::max) * size * 20.0 * 1.03).round()
                as usize
                + 216;
        let suffix_w = suffix.map_or(0, |s| {
            ((text_width(s) + 0.5) * size * 20.0).round() as usize + 216
        });
        let none = || {
            let mut b = TableCellBorders::with_empty();
            for pos in [
                TableCellBorderPosition::Top,
                TableCellBorderPosition::Bottom,
                TableCellBorderPosition::Left,
                TableCellBorderPosition::Right,
            ] {
                b = b.set(TableCellBorder::new(pos).border_type(BorderType::Nil));
            }
            b
        };
        let rows: Vec<TableRow> = organs
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let name = TableCell::new()
                    .width(names_w, WidthType::Dxa)
                    .set_borders(none())
                    .add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Distribute)
                            .snap_to_grid(false)
                            .line_spacing(spacing.clone().before(0))
                            .add_run(mark_run(self, o)),
                    );
                let mut cells = vec![name];
                if let Some(s) = suffix {
                    let cell = TableCell::new()
                        .width(suffix_w, WidthType::Dxa)
                        .set_borders(none())
                        .vertical_align(VAlignType::Center);
                    let cell = if i == 0 {
                        cell.vertical_merge(VMergeType::Restart).add_paragraph(
                            Paragraph::new()
                                .align(AlignmentType::Left)
                                .line_spacing(spacing.clone().before(0))
                                .add_run(mark_run(self, s)),
                        )
                    } else {
                        cell.vertical_merge(VMergeType::Continue)
                            .add_paragraph(Paragraph::new())
                    };
                    cells.push(cell);
                }
                TableRow::new(cells)
            })
            .collect();
        let grid = if suffix.is_some() {
            vec![names_w, suffix_w]
        } else {
            vec![names_w]
        };
        let t = Table::without_borders(rows)
            .set_grid(grid)
            .align(docx_rs::TableAlignmentType::Center);
        self.parts.push(Part::T(Box::new(t)));
    }

    /// The title in 小标宋, centred, its lines as the view broke them,
    /// `gap` grid lines below what precedes it.
    fn title(&mut self, title: &Title, gap: f64) {
        if title.is_empty() {
            return;
        }
        let st = self.st;
        let pitch = st.title_pitch_pt.unwrap_or(st.pitch_pt());
        let mut p = self.para().align(AlignmentType::Center);
        for (i, line) in title.iter().enumerate() {
            let mut run = self.run(&line.concat(), Role::Title, st.title_size_pt);
            if i > 0 {
                run = Run::new().add_break(BreakType::TextWrapping);
                p = p.add_run(run);
                run = self.run(&line.concat(), Role::Title, st.title_size_pt);
            }
            p = p.add_run(run);
        }
        let p = p.line_spacing(exact(
            (pitch * 20.0).round() as i32,
            (gap * f64::from(self.pitch)).round().max(0.0) as u32,
        ));
        let p = p.snap_to_grid(false).keep_next(true);
        self.push(p);
    }

    /// 信函 (§10.1): the mark, the red double line under it, 份号 … left and
    /// the 发文字号 right, the title.
    fn letterhead(&mut self, v: &View) {
        let m = &v.masthead;
        let st = self.st;
        let top = tw(st.letter_mark_top_mm - st.top_mm).max(0);
        self.mark(&m.organs[..m.organs.len().min(1)], m.suffix.as_deref(), top);
        let double = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::ThickThinSmallGap)
            .size(18)
            .space(4)
            .color(hex(st.red_cmyk));
        let rule = bordered(self.para(), double);
        self.push(rule);
        let left: Vec<(&String, Role)> = [
            (&m.copy_no, Role::Fangsong),
            (&m.secrecy, Role::Heiti),
            (&m.urgency, Role::Heiti),
        ]
        .into_iter()
        .filter_map(|(t, r)| t.as_ref().map(|t| (t, r)))
        .collect();
        let number = m.number.clone().unwrap_or_default();
        let n = left.len().max(1);
        for i in 0..n {
            let mut p = self.para().add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos(tw(st.body_width_mm) as usize),
            );
            if let Some((t, role)) = left.get(i) {
                p = p.add_run(self.body_run(t, *role));
            }
            if i == 0 {
                p = p
                    .add_run(Run::new().add_tab())
                    .add_run(self.body_run(&number, Role::Fangsong));
            }
            self.push(p);
        }
        self.title(&m.title, 2.0);
        if let Some(r) = &m.recipients {
            let p = self.para().add_run(self.body_run(r, Role::Fangsong));
            let p = self.lines_before(p, 1.0);
            self.push(p);
        }
    }

    /// 命令 (§10.2): the mark 20 mm into the 版心, the 令号 under it.
    fn order_head(&mut self, v: &View) {
        let m = &v.masthead;
        let st = self.st;
        self.mark(&m.organs, m.suffix.as_deref(), tw(st.order_mark_top_mm));
        if let Some(n) = &m.number {
            let p = self
                .para()
                .align(AlignmentType::Center)
                .add_run(self.body_run(n, Role::Fangsong));
            let p = self.lines_before(
                p,
                st.order_number_gap_lines * st.line_unit_pt * 20.0 / f64::from(self.pitch),
            );
            self.push(p);
        }
        self.title(&m.title, 2.0);
        if let Some(r) = &m.recipients {
            let p = self.para().add_run(self.body_run(r, Role::Fangsong));
            self.push(p);
        }
    }

    fn order_signature(&mut self, v: &View) {
        self.attachment_note(&v.attachment_note);
        let st = self.st;
        for (i, s) in v.signatories.iter().enumerate() {
            let p = self
                .para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(self.chars(st.order_seal_indent)), None)
                .add_run(self.body_run(&s.title, Role::Fangsong))
                .add_run(self.body_run("　　", Role::Fangsong))
                .add_run(self.body_run(&s.name, Role::Fangsong));
            let p = if i == 0 {
                self.lines_before(p, st.order_sign_blank_lines)
            } else {
                p
            };
            self.push(p);
        }
        let p = self
            .para()
            .align(AlignmentType::Right)
            .indent(None, None, Some(self.chars(st.order_date_indent)), None)
            .add_run(self.body_run(&v.signature.date, Role::Fangsong));
        self.push(p);
    }
}

impl Writer<'_> {
    /// 目录 of the document `id`: its entries as the layout set them, in a
    /// field Word updates; the text starts on the next page.
    fn toc_of(&mut self, id: &str) {
        self.centred("目　录", Role::Heiti);
        let entries = self
            .toc
            .iter()
            .enumerate()
            .filter(|(_, e)| e.doc == id)
            .map(|(i, e)| (toc_key(i), e.clone()))
            .collect();
        self.parts.push(Part::Toc(entries));
        self.page_break = true;
    }

    fn blocks(&mut self, blocks: &[BlockView]) {
        for b in blocks {
            self.block(b);
        }
    }

    /// A body paragraph: 2 characters' first-line indent, justified.
    fn body_para(&mut self) -> Paragraph {
        self.para().align(AlignmentType::Both).indent(
            None,
            Some(SpecialIndentType::FirstLine(
                self.chars(self.st.indent_chars),
            )),
            None,
            None,
        )
    }

    /// `p` bookmarked as the next 目录 entry of `doc`, the one its entry
    /// refers to.
    fn bookmarked(&mut self, p: Paragraph, doc: &Option<String>) -> Paragraph {
        let Some(doc) = doc else { return p };
        let k = self.toc_seen.entry(doc.clone()).or_insert(0);
        let Some(i) = self
            .toc
            .iter()
            .enumerate()
            .filter(|(_, e)| &e.doc == doc)
            .nth(*k)
            .map(|(i, _)| i)
        else {
            return p;
        };
        *k += 1;
        p.add_bookmark_start(i + 1, toc_key(i))
            .add_bookmark_end(i + 1)
    }

    fn block(&mut self, b: &BlockView) {
        let st = self.st;
        // The paragraph the signature block closes stays with it.
        let closing = matches!(
            &b.block,
            BlockKind::Paragraph { closing: true, .. }
                | BlockKind::Numbered { closing: true, .. }
                | BlockKind::Item { closing: true, .. }
                | BlockKind::Heading { closing: true, .. }
        );
        let before = self.parts.len();
        self.block_parts(b, st);
        if closing {
            for part in &mut self.parts[before..] {
                if let Part::P(p) = part {
                    **p = std::mem::take(&mut **p).keep_next(true).keep_lines(true);
                }
            }
        }
    }

    fn block_parts(&mut self, b: &BlockView, st: &Style) {
        match &b.block {
            BlockKind::Paragraph { text, .. } => {
                let p = self
                    .body_para()
                    .add_run(self.body_run(text, Role::Fangsong));
                let p = p.keep_next(b.keep);
                self.push(p);
            }
            BlockKind::Numbered { number, text, .. } => {
                let p = self
                    .body_para()
                    .add_run(self.body_run(&format!("{number}{text}"), Role::Fangsong));
                self.push(p);
            }
            BlockKind::Heading {
                level,
                number,
                text,
                rest,
                toc,
                ..
            } => {
                let role = st.heading_role(*level);
                let p = self.body_para().style(&format!("Heading{}", level.min(&4)));
                let mut p = self
                    .bookmarked(p, toc)
                    .add_run(self.body_run(&format!("{number}{text}"), role));
                match rest {
                    Some(r) => p = p.add_run(self.body_run(r, Role::Fangsong)),
                    None => p = p.keep_next(true),
                }
                self.push(p);
            }
            BlockKind::Item {
                number,
                text,
                rest,
                departments,
                label,
                ..
            } => {
                let mut t = format!("{number}{text}");
                if let Some(r) = rest {
                    t.push_str(r);
                }
                if let Some(d) = departments {
                    t.push_str(&if *label {
                        format!("（责任部门：{d}）")
                    } else {
                        format!("（{d}）")
                    });
                }
                let p = self.body_para().add_run(self.body_run(&t, Role::Fangsong));
                self.push(p);
            }
            BlockKind::Chapter { number, text, toc } => {
                let p = self
                    .para()
                    .align(AlignmentType::Center)
                    .style("Heading1")
                    .keep_next(true);
                let p = self
                    .bookmarked(p, toc)
                    .add_run(self.body_run(&format!("{number}　{text}"), Role::Heiti));
                self.push(p);
            }
            BlockKind::Section { number, text } => {
                let p = self
                    .para()
                    .align(AlignmentType::Center)
                    .style("Heading2")
                    .keep_next(true)
                    .add_run(self.body_run(&format!("{number}　{text}"), Role::Kaiti));
                self.push(p);
            }
            BlockKind::Article { number, clauses } => {
                for (i, c) in clauses.iter().enumerate() {
                    let mut p = self.body_para();
                    if i == 0 {
                        p = p.add_run(self.body_run(&format!("{number}　"), Role::Heiti));
                    }
                    p = p.add_run(self.body_run(&c.text, Role::Fangsong));
                    self.push(p);
                    for (n, t) in &c.items {
                        let p = self
                            .body_para()
                            .add_run(self.body_run(&format!("{n}{t}"), Role::Fangsong));
                        self.push(p);
                    }
                }
            }
            BlockKind::Table { table } => self.table(table),
        }
    }

    /// 附件：1. … 2. …, the names under one another.
    fn attachment_note(&mut self, names: &[String]) {
        for (i, n) in names.iter().enumerate() {
            let label = if i == 0 { "附件：" } else { "" };
            let number = if names.len() > 1 {
                format!("{}.", i + 1)
            } else {
                String::new()
            };
            let hang = self.chars(3.0 + if names.len() > 1 { 1.0 } else { 0.0 });
            let p = self
                .para()
                .indent(
                    Some(self.chars(self.st.indent_chars) + hang),
                    Some(SpecialIndentType::Hanging(hang)),
                    None,
                    None,
                )
                .add_run(self.body_run(
                    &format!("{}{number}{n}", if i == 0 { label } else { "　　　" }),
                    Role::Fangsong,
                ));
            let p = if i == 0 { self.lines_before(p, 1.0) } else { p };
            self.push(p);
        }
    }

    /// 署名 and 成文日期 (§7.3.5): sealed — the date 4 characters from the
    /// right, each 署名 centred on it, the seal image over both; unsealed —
    /// the 署名 2 characters from the right, the date 2 characters right of
    /// its start.
    fn signature(&mut self, s: &Signature) {
        let st = self.st;
        let width = |t: &str| -> f64 {
            t.chars()
                .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                .sum()
        };
        let date_w = width(&s.date);
        let blank = if s.sealed {
            st.sealed_blank_lines
        } else {
            st.unsealed_blank_lines
        };
        let (name_right, date_right) = if s.sealed {
            let d = st.sealed_date_indent;
            (
                s.names
                    .iter()
                    .map(|n| d + (date_w - width(n)) / 2.0)
                    .collect::<Vec<_>>(),
                d,
            )
        } else {
            let r = st.unsealed_indent;
            let widest = s.names.iter().map(|n| width(n)).fold(0.0, f64::max);
            let date_right = (r + widest - st.unsealed_date_shift - date_w).max(r);
            let shift = date_right - (r + widest - st.unsealed_date_shift - date_w);
            (
                s.names
                    .iter()
                    .map(|n| r + shift + (widest - width(n)))
                    .collect(),
                date_right,
            )
        };
        for (i, (n, right)) in s.names.iter().zip(&name_right).enumerate() {
            let p = self
                .para()
                .align(AlignmentType::Right)
                .keep_next(true)
                .indent(None, None, Some(self.chars(right.max(0.0))), None)
                .add_run(self.body_run(n, Role::Fangsong));
            let p = if i == 0 {
                self.lines_before(p, blank + 1.0)
            } else {
                p
            };
            self.push(p);
        }
        if s.date.is_empty() {
            return;
        }
        let mut p = self.para().align(AlignmentType::Right).indent(
            None,
            None,
            Some(self.chars(date_right)),
            None,
        );
        if s.names.is_empty() {
            p = self.lines_before(p, blank + 1.0);
        }
        // The seals, centred on the date (a joint document's side by side).
        let centre_from_right =
            st.body_width_mm - (date_right + date_w / 2.0) * st.body_size_pt * 25.4 / 72.0;
        let count = s.seals.len();
        for (k, seal) in s.seals.iter().enumerate() {
            let offset = (count - 1 - k) as f64 * (st.seal_diameter_mm + 4.0);
            let x = centre_from_right - offset - st.seal_diameter_mm / 2.0;
            if let Some(pic) = self.seal(seal, x) {
                p = p.add_run(Run::new().add_image(pic));
            }
        }
        p = p.add_run(self.body_run(&s.date, Role::Fangsong));
        self.push(p);
    }

    /// A seal image floating over the text, `x_mm` from the 版心's left,
    /// its centre a little above the date's line.
    fn seal(&mut self, path: &str, x_mm: f64) -> Option<Pic> {
        let file = self.root.join(path.trim_start_matches('/'));
        let bytes = std::fs::read(&file).ok()?;
        let png = if file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        {
            let tree = resvg::usvg::Tree::from_data(&bytes, &Default::default()).ok()?;
            super::svg_png(&tree).ok()?
        } else if imagesize::image_type(&bytes).ok()? == imagesize::ImageType::Png {
            bytes
        } else {
            let mut out = Cursor::new(Vec::new());
            image::load_from_memory(&bytes)
                .ok()?
                .write_to(&mut out, image::ImageFormat::Png)
                .ok()?;
            out.into_inner()
        };
        let (w, h) = imagesize::blob_size(&png)
            .ok()
            .map(|s| (s.width, s.height))?;
        self.images += 1;
        let d = self.st.seal_diameter_mm;
        let pic = Pic::new_with_dimensions(png, w as u32, h as u32)
            .size(emu(d) as u32, emu(d * h as f64 / w.max(1) as f64) as u32)
            .id(format!("seal{}", self.images))
            .floating()
            .overlapping()
            .relative_from_h(RelativeFromHType::Column)
            .relative_from_v(RelativeFromVType::Paragraph)
            .position_h(docx_rs::DrawingPosition::Offset(emu(x_mm)))
            .position_v(docx_rs::DrawingPosition::Offset(emu(-d
                * self.st.seal_rise
                + self.st.body_size_pt * 25.4 / 72.0)));
        Some(pic)
    }

    /// An attachment on a new page: 附件N in 黑体, its title, its body.
    fn attachment(&mut self, a: &AttachmentView) {
        self.page_break = true;
        if !a.label.is_empty() {
            let p = self.para().add_run(self.body_run(&a.label, Role::Heiti));
            self.push(p);
        }
        self.title(&a.title, 1.0);
        if let Some(c) = &a.parts.caption {
            self.centred(c, Role::Kaiti);
        }
        if !a.fill_fields.is_empty() {
            let line: Vec<String> = a
                .fill_fields
                .iter()
                .map(|(k, v)| format!("{k}：{v}"))
                .collect();
            let p = self
                .para()
                .add_run(self.body_run(&line.join("　　　　"), Role::Fangsong));
            self.push(p);
        }
        self.blocks(&a.body);
        if let Some(t) = &a.table {
            self.table(t);
        }
        if let Some(s) = &a.parts.signature {
            self.signature(s);
        }
        if let Some(n) = &a.note {
            let p = self.body_para().add_run(self.body_run(n, Role::Fangsong));
            self.push(p);
        }
    }

    /// A ruled table: the grid from the content's widths (or what the
    /// columns hold), merges, header rows repeated, rows kept whole; its
    /// caption above and its 注 below.
    fn table(&mut self, t: &TableView) {
        let st = self.st;
        let n = t
            .header
            .first()
            .map_or(0, |r| r.iter().map(|c| c.cols).sum())
            .max(
                t.rows
                    .iter()
                    .filter(|r| r.kind == "cells")
                    .map(|r| r.cells.iter().map(|c| c.cols).sum::<usize>())
                    .max()
                    .unwrap_or(0),
            );
        let n = n.max(t.runs.len()).max(1);
        // The size and widths the layout chose for this table (a table it
        // set rotated keeps them: Word turns no table).
        let set = self.tables.pop().filter(|l| l.columns_pt.len() == n);
        let size = set
            .as_ref()
            .map_or(t.font_size.unwrap_or(st.body_size_pt), |l| l.size_pt);
        for (text, role, align) in [
            (&t.caption, Role::Heiti, AlignmentType::Center),
            (&t.unit, Role::Fangsong, AlignmentType::Right),
        ] {
            if let Some(text) = text {
                let p = self.aligned(text, role, align).keep_next(true);
                self.push(p);
            }
        }
        let total = tw(st.body_width_mm) as f64;
        let weights: Vec<f64> = match (&set, &t.widths) {
            (Some(l), _) => l.columns_pt.clone(),
            (None, Some(w)) if w.len() == n => w.clone(),
            _ => vec![1.0; n],
        };
        let sum: f64 = weights.iter().sum::<f64>().max(1e-6);
        let grid: Vec<usize> = weights
            .iter()
            .map(|w| (total * w / sum).round() as usize)
            .collect();
        // Lines at the grid's proportions for the size (as the layout sets
        // a smaller table), not snapped to the page's line grid.
        let leading = exact(
            (f64::from(self.pitch) * (size / st.body_size_pt).min(1.0)).round() as i32,
            0,
        );
        let align = |c: usize| match t.align.get(c).copied() {
            Some("left") => AlignmentType::Left,
            Some("right") => AlignmentType::Right,
            _ => AlignmentType::Center,
        };
        // Place the cells on the grid: a cell merged down leaves "continue"
        // cells in the rows under it.
        let mut below: Vec<usize> = vec![0; n];
        let mut rows = Vec::new();
        let all: Vec<(bool, &str, &Vec<CellView>)> = t
            .header
            .iter()
            .map(|r| (true, "header", r))
            .chain(t.rows.iter().map(|r| (false, r.kind, &r.cells)))
            .collect();
        for (header, kind, cells) in all {
            let mut out = Vec::new();
            let mut col = 0;
            let mut it = cells.iter();
            while col < n {
                if below[col] > 0 {
                    below[col] -= 1;
                    out.push(
                        TableCell::new()
                            .width(grid[col], WidthType::Dxa)
                            .vertical_merge(VMergeType::Continue)
                            .add_paragraph(Paragraph::new()),
                    );
                    col += 1;
                    continue;
                }
                let Some(c) = it.next() else { break };
                let span = c.cols.max(1).min(n - col);
                let role = if header || kind == "category" || (kind == "total" && col == 0) {
                    Role::Heiti
                } else {
                    Role::Fangsong
                };
                let p = Paragraph::new()
                    .align(if header {
                        AlignmentType::Center
                    } else if kind == "category" {
                        AlignmentType::Left
                    } else {
                        align(col)
                    })
                    .snap_to_grid(false)
                    .line_spacing(leading.clone())
                    .add_run(self.run(&c.text, role, size));
                let mut cell = TableCell::new()
                    .width(grid[col..col + span].iter().sum(), WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(p);
                if span > 1 {
                    cell = cell.grid_span(span);
                }
                if c.rows > 1 {
                    cell = cell.vertical_merge(VMergeType::Restart);
                    below[col] = c.rows - 1;
                }
                out.push(cell);
                col += span;
            }
            let mut row = TableRow::new(out).cant_split();
            if header {
                row = row.row_height(HEADER_MARK);
            }
            rows.push(row);
        }
        let table = Table::new(rows)
            .set_grid(grid)
            .width(tw(st.body_width_mm) as usize, WidthType::Dxa)
            .layout(docx_rs::TableLayoutType::Fixed);
        self.parts.push(Part::T(Box::new(table)));
        for (i, note) in t.notes.iter().enumerate() {
            let label = if i == 0 { "注：" } else { "　　" };
            let number = if t.notes.len() > 1 {
                format!("{}.", i + 1)
            } else {
                String::new()
            };
            let p = self
                .para()
                .indent(Some(self.chars(st.indent_chars)), None, None, None)
                .add_run(self.body_run(&format!("{label}{number}{note}"), Role::Fangsong));
            self.push(p);
        }
    }

    /// 版记 (§7.4): its rows as paragraphs between full-width rules, in a
    /// frame whose last rule sits on the 版心's bottom edge of the page it
    /// falls on (a floating table would do, but LibreOffice sets a full-width
    /// one inline).
    fn colophon(&mut self, c: &ColophonView, letter: bool) {
        let st = self.st;
        let size = st.colophon_size_pt;
        let inset = (st.colophon_inset_chars * size * 20.0).round() as i32;
        let rule = |pos: ParagraphBorderPosition, mm: f64| {
            ParagraphBorder::new(pos)
                .val(BorderType::Single)
                .size((mm * 72.0 / 25.4 * 8.0).round() as usize)
                .space(0)
                .color("000000")
        };
        let mut rows: Vec<Paragraph> = c
            .rows
            .iter()
            .map(|(label, organs)| {
                Paragraph::new()
                    .indent(Some(inset), None, Some(inset), None)
                    .add_run(self.run(&format!("{label}：{organs}。"), Role::Fangsong, size))
            })
            .collect();
        if let (Some(printer), Some(date)) = (&c.printer, &c.printed) {
            rows.push(
                Paragraph::new()
                    .indent(Some(inset), None, Some(inset), None)
                    .add_tab(
                        Tab::new()
                            .val(TabValueType::Right)
                            .pos((tw(st.body_width_mm) - 2 * inset) as usize),
                    )
                    .add_run(self.run(printer, Role::Fangsong, size))
                    .add_run(Run::new().add_tab())
                    .add_run(self.run(&format!("{date}印发"), Role::Fangsong, size)),
            );
        }
        let count = rows.len();
        let top = tw(st.top_mm + st.body_height_mm) - count as i32 * self.pitch;
        for (i, p) in rows.into_iter().enumerate() {
            let mut p = p
                .snap_to_grid(false)
                .line_spacing(exact(self.pitch, 0))
                .wrap("around")
                .v_anchor("page")
                .h_anchor("margin")
                .frame_y(top)
                .frame_x(0)
                .frame_width(tw(st.body_width_mm) as u32);
            if !letter {
                let mut borders = docx_rs::ParagraphBorders::with_empty().set(rule(
                    ParagraphBorderPosition::Bottom,
                    if i + 1 == count {
                        st.colophon_outer_rule_mm
                    } else {
                        st.colophon_inner_rule_mm
                    },
                ));
                if i == 0 {
                    borders = borders.set(rule(
                        ParagraphBorderPosition::Top,
                        st.colophon_outer_rule_mm,
                    ));
                }
                p.property = p.property.set_borders(borders);
            }
            self.push(p);
        }
    }
}

impl Writer<'_> {
    /// The document: page, grid, styles, footers; the XML with the header
    /// rows marked, packed with fixed times.
    fn finish(mut self) -> Result<Vec<u8>> {
        let date = std::mem::take(&mut self.date);
        let date = date.as_str();
        let st = self.st;
        let mut doc = Docx::new()
            .page_size(tw(st.paper_width_mm) as u32, tw(st.paper_height_mm) as u32)
            .page_margin(
                PageMargin::new()
                    .top(tw(st.top_mm))
                    .bottom(tw(st.paper_height_mm - st.top_mm - st.body_height_mm))
                    .left(tw(st.left_mm))
                    .right(tw(st.right_mm()))
                    .header(tw(15.0))
                    .footer(tw(st.paper_height_mm
                        - st.top_mm
                        - st.body_height_mm
                        - st.page_number_gap_mm
                        - st.page_number_size_pt * 25.4 / 72.0))
                    .gutter(0),
            )
            .default_size(hp(st.body_size_pt))
            .default_fonts(self.fonts(Role::Fangsong))
            .created_at(date)
            .updated_at(date);
        // 22 lines a page: Word's line grid (the characters of a line are
        // set by their spacing, `squeeze`: a character grid snaps a glyph
        // wider than its cell to two cells in LibreOffice).
        doc.document = doc.document.doc_grid(
            DocGrid::with_empty()
                .grid_type(DocGridType::Lines)
                .line_pitch(self.pitch as usize),
        );
        doc = doc.add_style(
            WordStyle::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .size(hp(st.body_size_pt))
                .fonts(self.fonts(Role::Fangsong)),
        );
        // Heading styles with outline levels (navigation pane, TOC).
        for level in 1..=4 {
            let role = st.heading_role(level);
            let s = WordStyle::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .outline_lvl(level - 1)
                .size(hp(st.body_size_pt))
                .fonts(self.fonts(role));
            doc = doc.add_style(s);
        }
        // A 目录's entries on the grid, the second level two characters in.
        for level in 1..=2 {
            let s = WordStyle::new(format!("ToC{level}"), StyleType::Paragraph)
                .name(format!("toc {level}"))
                .size(hp(st.body_size_pt))
                .fonts(self.fonts(Role::Fangsong))
                .indent(Some(self.chars(2.0 * (level - 1) as f64)), None, None, None)
                .line_spacing(exact(self.pitch, 0));
            doc = doc.add_style(s);
        }
        // Page numbers (§7.5): 4号 宋体 "— n —", odd pages right and even
        // pages left, one character in; none on page 1 of a 信函.
        let number = |align: AlignmentType, w: &Self| {
            let size = st.page_number_size_pt;
            let indent = (st.page_number_indent_chars * size * 20.0).round() as i32;
            let dash = &st.page_number_dash;
            let p = Paragraph::new().align(align);
            let p = match align {
                AlignmentType::Right => p.indent(None, None, Some(indent), None),
                _ => p.indent(Some(indent), None, None, None),
            };
            p.add_run(w.run(&format!("{dash} "), Role::Songti, size))
                .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
                .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
                .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
                .add_run(w.run("1", Role::Songti, size))
                .add_run(Run::new().add_field_char(FieldCharType::End, false))
                .add_run(w.run(&format!(" {dash}"), Role::Songti, size))
        };
        if self.numbered {
            doc = doc
                .footer(Footer::new().add_paragraph(number(AlignmentType::Right, &self)))
                .even_footer(Footer::new().add_paragraph(number(AlignmentType::Left, &self)));
        }
        if self.parts.is_empty() {
            self.parts.push(Part::P(Box::new(Paragraph::new())));
        }
        for part in std::mem::take(&mut self.parts) {
            doc = match part {
                Part::P(p) => doc.add_paragraph(*p),
                Part::T(t) => doc.add_table(*t),
                Part::Toc(entries) => {
                    let toc = entries.into_iter().fold(
                        TableOfContents::new().heading_styles_range(1, 2),
                        |toc, (key, e)| {
                            toc.add_item(
                                docx_rs::TableOfContentsItem::new()
                                    .text(e.text)
                                    .level(e.level)
                                    .toc_key(key)
                                    .page_ref(e.page.to_string()),
                            )
                        },
                    );
                    doc.add_table_of_contents(toc)
                }
            };
        }
        let mut xml = doc.build();
        // docx-rs writes no w:tblHeader: the marked header rows get it here.
        let mark = format!("<w:trHeight w:val=\"{HEADER_MARK}\"");
        let mut document = String::from_utf8_lossy(&xml.document).into_owned();
        while let Some(at) = document.find(&mark) {
            let end = document[at..]
                .find("/>")
                .map_or(document.len(), |e| at + e + 2);
            document.replace_range(at..end, "<w:tblHeader />");
        }
        // A 目录's entries: their page numbers at the 版心's right edge (docx-rs
        // puts the tab at 80000 twips), and each field instruction in a run of
        // its own (LibreOffice prints an instruction that shares its run with
        // the field's begin and separate marks).
        let toc_tab = "w:leader=\"dot\" w:pos=\"80000\"";
        if document.contains(toc_tab) {
            document = document
                .replace(
                    toc_tab,
                    &format!("w:leader=\"dot\" w:pos=\"{}\"", tw(st.body_width_mm)),
                )
                .replace("<w:instrText>", "</w:r><w:r><w:instrText>")
                .replace("</w:instrText>", "</w:instrText></w:r><w:r>");
        }
        // docx-rs numbers TOC bookmarks and image relationships from
        // process-wide counters: numbered again from 1 here, so that the
        // same content gives the same bytes in any process.
        let mut rels = String::from_utf8_lossy(&xml.document_rels).into_owned();
        let mut footers: Vec<String> = xml
            .footers
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        for (prefix, hex) in [
            ("_Toc", false),
            ("rIdImage", false),
            ("w14:paraId=\"", true),
        ] {
            let mut parts: Vec<&mut String> = vec![&mut document, &mut rels];
            parts.extend(footers.iter_mut());
            renumber(prefix, hex, &mut parts);
        }
        xml.document = document.into_bytes();
        xml.document_rels = rels.into_bytes();
        xml.footers = footers.into_iter().map(String::into_bytes).collect();
        let mut out = Cursor::new(Vec::new());
        xml.pack(&mut out)
            .map_err(|e| Error::Export(format!("写 .docx 失败：{e}")))?;
        Ok(out.into_inner())
    }
}

/// Every `prefix` followed by digits in `parts` numbered again in the order
/// first met in them (the same number for the same id everywhere), in as
/// many digits as before; with `hex` (paragraph ids, which nothing refers
/// to and docx-rs may repeat), every one gets a number of its own.
fn renumber(prefix: &str, hex: bool, parts: &mut [&mut String]) {
    let mut seen: Vec<String> = Vec::new();
    for part in parts.iter_mut() {
        let mut out = String::with_capacity(part.len());
        let mut rest = part.as_str();
        while let Some(at) = rest.find(prefix) {
            let after = &rest[at + prefix.len()..];
            let digits = after
                .bytes()
                .take_while(|b| {
                    if hex {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            out.push_str(&rest[..at + prefix.len()]);
            let old = &after[..digits];
            let n = match seen.iter().position(|s| s == old && !hex) {
                Some(i) => i + 1,
                None => {
                    seen.push(old.to_string());
                    seen.len()
                }
            };
            if digits > 0 {
                // A TOC bookmark is _Toc and eight digits, a paraId eight
                // hex digits; an image's relationship id has no padding.
                let width = if digits == 8 { 8 } else { 1 };
                out.push_str(&if hex {
                    format!("{n:0width$x}")
                } else {
                    format!("{n:0width$}")
                });
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        **part = out;
    }
}
