//! Shared test helpers: one engine per test binary (bundled fonts only, so
//! results do not depend on the machine), and a flattener that turns Typst
//! frames into text runs and rules with absolute positions in millimetres.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongwen::{Built, Engine, FontOptions, Project};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, Geometry, Paint};
use typst_layout::PagedDocument;

pub const PT_PER_MM: f64 = 72.0 / 25.4;
/// Layout tolerance of the tests, mm (the checks allow ±1 mm).
pub const TOL: f64 = 0.5;
/// §3.2: one 行 = a 3号 character + 7/8 of it = 30 pt, in mm.
pub const HANG: f64 = 30.0 / PT_PER_MM;
/// Grid pitch: 22 rows whose em boxes fill the 225 mm 版心, in mm.
pub const PITCH: f64 = (225.0 - 16.0 / PT_PER_MM) / 21.0;
/// One grid character: 156 mm / 28.
pub const CELL: f64 = 156.0 / 28.0;

/// Asserts a measured position within `TOL` of the spec.
#[track_caller]
pub fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= TOL,
        "{what}: measured {got:.2} mm, want {want:.2} mm"
    );
}

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&FontOptions::default()))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn canonical_dir() -> PathBuf {
    repo().join("content/2019-315")
}

/// The content folders under `groups` (folders of the repository), each
/// group sorted.
pub fn content_dirs(groups: &[&str]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for group in groups {
        let mut found: Vec<PathBuf> = std::fs::read_dir(repo().join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("公文.yaml").is_file())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

pub fn build_dir(dir: &Path) -> Built {
    let project = Project::load(dir).unwrap_or_else(|e| panic!("{e}"));
    gongwen::build(engine(), &project).unwrap_or_else(|e| panic!("{e}"))
}

/// The canonical notice, built once per test binary.
pub fn canonical() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| build_dir(&canonical_dir()))
}

/// A run of glyphs as placed on a page.
#[derive(Debug, Clone)]
pub struct Run {
    pub page: usize,
    pub text: String,
    /// Left edge of the first glyph, mm from the paper's left edge.
    pub x: f64,
    /// Baseline, mm from the paper's top edge.
    pub baseline: f64,
    pub size_pt: f64,
    pub family: String,
    pub weight: u16,
    pub fill: [f32; 4],
    pub cmyk: bool,
    /// Left edge of every glyph, mm.
    pub glyph_x: Vec<f64>,
    /// Advance of every glyph, mm.
    pub glyph_w: Vec<f64>,
    /// Where every glyph's advance starts (the pen position, without the
    /// glyph's own offset), mm: the cells that advance boxes tile.
    pub glyph_pen: Vec<f64>,
    /// Set turned by a quarter (a 横排 table): its glyph positions along
    /// the line are not measured.
    pub rotated: bool,
    pub width: f64,
}

impl Run {
    /// Top of the ideographic em box (0.88 em above the baseline), mm.
    pub fn em_top(&self) -> f64 {
        self.baseline - 0.88 * self.size_pt / PT_PER_MM
    }
    /// Bottom of the ideographic em box, mm.
    pub fn em_bottom(&self) -> f64 {
        self.baseline + 0.12 * self.size_pt / PT_PER_MM
    }
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// A stroked or filled line or rectangle.
#[derive(Debug, Clone)]
pub struct Rule {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    /// Vertical extent (a vertical line's length, a rectangle's height).
    pub height: f64,
    pub thickness: f64,
    pub color: [f32; 4],
    pub cmyk: bool,
}

/// A placed image (the seal).
#[derive(Debug, Clone)]
pub struct Picture {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Default)]
pub struct Layout {
    pub runs: Vec<Run>,
    pub rules: Vec<Rule>,
    pub images: Vec<Picture>,
    /// Page sizes in mm.
    pub pages: Vec<(f64, f64)>,
}

fn paint(p: &Paint) -> ([f32; 4], bool) {
    match p {
        Paint::Solid(c) => {
            let cmyk = matches!(c, Color::Process(typst::visualize::ProcessColor::Cmyk(_)));
            // For a CMYK colour `to_vec4` gives its C, M, Y, K components.
            (c.to_vec4(), cmyk)
        }
        _ => ([0.0; 4], false),
    }
}

fn mm(v: typst::layout::Abs) -> f64 {
    v.to_pt() / PT_PER_MM
}

fn walk(page: usize, frame: &Frame, ts: Transform, out: &mut Layout) {
    for (pos, item) in frame.items() {
        let at = |p: Point| p.transform(ts);
        match item {
            FrameItem::Group(g) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(g.transform);
                walk(page, &g.frame, inner, out);
            }
            FrameItem::Text(t) => {
                let origin = at(*pos);
                let scale = ts.sx.get();
                let mut x = 0.0;
                let mut glyph_x = Vec::new();
                let mut glyph_w = Vec::new();
                let mut glyph_pen = Vec::new();
                for g in &t.glyphs {
                    glyph_pen.push(mm(origin.x) + x * scale / PT_PER_MM);
                    glyph_x.push(
                        mm(origin.x) + (x + g.x_offset.at(t.size).to_pt()) * scale / PT_PER_MM,
                    );
                    glyph_w.push(g.x_advance.at(t.size).to_pt() * scale / PT_PER_MM);
                    x += g.x_advance.at(t.size).to_pt();
                }
                let (fill, cmyk) = paint(&t.fill);
                let info = t.font.font().info();
                out.runs.push(Run {
                    page,
                    text: t.text.to_string(),
                    x: mm(origin.x),
                    baseline: mm(origin.y),
                    size_pt: t.size.to_pt(),
                    family: info.family.clone(),
                    weight: info.variant.weight.to_number(),
                    fill,
                    cmyk,
                    glyph_x,
                    glyph_w,
                    glyph_pen,
                    rotated: ts.kx.get().abs() > 1e-6 || ts.ky.get().abs() > 1e-6,
                    width: x * scale / PT_PER_MM,
                });
            }
            FrameItem::Shape(s, _) => {
                let origin = at(*pos);
                let (color, cmyk, thickness) = match (&s.stroke, &s.fill) {
                    (Some(st), _) => {
                        let (c, k) = paint(&st.paint);
                        (c, k, mm(st.thickness))
                    }
                    (None, Some(f)) => {
                        let (c, k) = paint(f);
                        (c, k, 0.0)
                    }
                    _ => continue,
                };
                let (width, height, thickness) = match &s.geometry {
                    Geometry::Line(p) => (mm(p.x), mm(p.y), thickness),
                    Geometry::Rect(size) => (
                        mm(size.x),
                        mm(size.y),
                        if thickness > 0.0 {
                            thickness
                        } else {
                            mm(size.y)
                        },
                    ),
                    Geometry::Curve(_) => continue,
                };
                out.rules.push(Rule {
                    page,
                    x: mm(origin.x),
                    y: mm(origin.y),
                    width,
                    height,
                    thickness,
                    color,
                    cmyk,
                });
            }
            FrameItem::Image(_, size, _) => {
                let origin = at(*pos);
                out.images.push(Picture {
                    page,
                    x: mm(origin.x),
                    y: mm(origin.y),
                    width: mm(size.x) * ts.sx.get(),
                    height: mm(size.y) * ts.sy.get(),
                });
            }
            _ => {}
        }
    }
}

/// Flattens every page of a document.
pub fn layout(doc: &PagedDocument) -> Layout {
    let mut out = Layout::default();
    for (i, page) in doc.pages().iter().enumerate() {
        let size = page.frame.size();
        out.pages.push((mm(size.x), mm(size.y)));
        walk(i + 1, &page.frame, Transform::identity(), &mut out);
    }
    out
}

impl Layout {
    /// Runs of one page grouped into lines by baseline (top to bottom), each
    /// line's runs sorted left to right.
    pub fn lines(&self, page: usize) -> Vec<Vec<&Run>> {
        let mut runs: Vec<&Run> = self.runs.iter().filter(|r| r.page == page).collect();
        runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Vec<&Run>> = Vec::new();
        for r in runs {
            match lines.last_mut() {
                Some(l) if (l[0].baseline - r.baseline).abs() < 0.3 => l.push(r),
                _ => lines.push(vec![r]),
            }
        }
        for l in &mut lines {
            l.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        lines
    }

    /// The text of every page in reading order.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in 1..=self.pages.len() {
            for l in self.lines(p) {
                for r in l {
                    s.push_str(&r.text);
                }
                s.push('\n');
            }
        }
        s
    }

    /// The runs of the first line on `page` whose text contains `needle`.
    pub fn line(&self, page: usize, needle: &str) -> Vec<&Run> {
        self.lines(page)
            .into_iter()
            .find(|l| {
                l.iter()
                    .map(|r| r.text.as_str())
                    .collect::<String>()
                    .contains(needle)
            })
            .unwrap_or_else(|| panic!("no line containing {needle:?} on page {page}"))
    }

    /// The first line (over all pages) whose text starts with `prefix`,
    /// with its page.
    pub fn line_starting(&self, prefix: &str) -> (usize, Vec<&Run>) {
        for p in 1..=self.pages.len() {
            for ln in self.lines(p) {
                if line_text(&ln).starts_with(prefix) {
                    return (p, ln);
                }
            }
        }
        panic!("no line starting with {prefix:?}")
    }

    /// Whether some line of `page` contains `needle`.
    pub fn page_has(&self, page: usize, needle: &str) -> bool {
        self.lines(page)
            .iter()
            .any(|ln| line_text(ln).contains(needle))
    }

    /// The red separator under the 发文字号 on page 1 (the only full-width rule there).
    pub fn separator(&self) -> &Rule {
        self.rules
            .iter()
            .find(|r| r.page == 1 && r.width > 150.0)
            .expect("red separator on page 1")
    }

    /// The first run on `page` whose text contains `needle`.
    pub fn find(&self, page: usize, needle: &str) -> &Run {
        self.runs
            .iter()
            .find(|r| r.page == page && r.text.contains(needle))
            .unwrap_or_else(|| panic!("no run containing {needle:?} on page {page}"))
    }
}

/// Writes `units_yaml` as a units file and runs `gongwen forms` on the
/// canonical content with it. Returns the temp folder (keep it alive), the
/// units file, the output folder and the report.
pub fn forms_with_units(
    units_yaml: &str,
) -> (
    tempfile::TempDir,
    PathBuf,
    PathBuf,
    gongwen::forms::FormsReport,
) {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.yaml");
    std::fs::write(&units, units_yaml).unwrap();
    let out = dir.path().join("out");
    let opts = gongwen::forms::Options {
        units: Some(units.clone()),
        ..Default::default()
    };
    let report = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    // The document's folder under the output folder.
    let out = report.out.dir.clone();
    (dir, units, out, report)
}

/// Opening marks: set at the right of their cell (the grid punctuation).
pub const OPENING: &str = "（《「『【〔〈［｛“‘";

/// A line's text, runs joined.
pub fn line_text(ln: &[&Run]) -> String {
    ln.iter().map(|r| r.text.as_str()).collect()
}

/// Where a line's first cell starts, mm: an opening mark is drawn at the
/// right of its cell, so its cell starts one cell before its right edge.
pub fn line_left(ln: &[&Run]) -> f64 {
    let first = ln[0];
    if first
        .text
        .chars()
        .next()
        .is_some_and(|c| OPENING.contains(c))
    {
        first.x + first.glyph_w[0] - CELL
    } else {
        first.x
    }
}

/// Text with every kind of whitespace removed: what a reader compares.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whole-number values as a return holds them (exact decimal text).
pub fn texts(values: &[Option<i64>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(|v| v.to_string())).collect()
}

/// A 汇总's totals as whole numbers (every column of these forms is a count).
pub fn whole(totals: &[Option<String>]) -> Vec<i64> {
    totals
        .iter()
        .map(|t| t.as_deref().expect("a summed column").parse().unwrap())
        .collect()
}

/// A return of the canonical form from its first unit, every cell 7, as
/// `DIR/a.xlsx`: what `fill` reads in the tests of its products.
pub fn canonical_return(dir: &Path) {
    let (_, form, units) = gongwen::forms::load(engine(), &canonical_dir(), None).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let date = gongwen::content::Date::parse("2019-03-07").unwrap();
    let v = vec![Some(7); form.cells().len()];
    let book = gongwen::forms::form_workbook(
        &form,
        &units[0],
        date,
        &texts(&v),
        None,
        &Default::default(),
    )
    .unwrap();
    std::fs::write(dir.join("a.xlsx"), book).unwrap();
}

/// The canonical content in a temporary folder with `style` as its 样式.yaml.
pub fn canonical_with_style(style: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        canonical_dir().join("公文.yaml"),
        dir.path().join("公文.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("样式.yaml"), style).unwrap();
    dir
}

/// The error of loading the canonical notice with `style` as its 样式.yaml.
pub fn style_refusal(style: &str) -> String {
    let dir = canonical_with_style(style);
    gongwen::Project::load(dir.path())
        .expect_err("refused")
        .to_string()
}
