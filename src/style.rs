//! Every number of GB/T 9704-2012 in one place.
//!
//! The defaults are the standard's values (see `../shared/docs/gbt9704.md`);
//! a content folder may override any of them in `样式.yaml`, which is how an
//! issuing organ's local variant becomes a configuration change. Lengths are
//! in millimetres (`_mm`) or points (`_pt`), as the standard states them.
//!
//! Each value is declared once, in the `style!` table below: its field, its
//! default, its name in `样式.yaml` and its name and unit in the `st`
//! dictionary that the Typst layout library reads (and reads nothing else).

use serde::Deserialize;

/// The font roles of a 公文: which face prints a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 发文机关标志 and 标题 (方正小标宋简体).
    Title,
    /// Body text (仿宋_GB2312).
    Fangsong,
    /// Level-1 headings, 密级, 紧急程度, the 附件 label, table headers (黑体).
    Heiti,
    /// Level-2 headings and 签发人 names (楷体_GB2312).
    Kaiti,
    /// Page numbers (宋体).
    Songti,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Title,
        Role::Fangsong,
        Role::Heiti,
        Role::Kaiti,
        Role::Songti,
    ];

    /// The role's key under 字体 in `样式.yaml` (as `Fonts` is renamed).
    pub fn yaml_name(self) -> &'static str {
        match self {
            Role::Title => "小标宋",
            Role::Fangsong => "仿宋",
            Role::Heiti => "黑体",
            Role::Kaiti => "楷体",
            Role::Songti => "宋体",
        }
    }

    /// What the role prints, in the office's words.
    pub fn purpose(self) -> &'static str {
        match self {
            Role::Title => "发文机关标志、标题",
            Role::Fangsong => "正文",
            Role::Heiti => "一级标题、密级、表头",
            Role::Kaiti => "二级标题、签发人",
            Role::Songti => "页码",
        }
    }

    /// The role's key in the layout library (`st.fonts.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Fangsong => "fangsong",
            Role::Heiti => "heiti",
            Role::Kaiti => "kaiti",
            Role::Songti => "songti",
        }
    }
}

/// Fonts for one role: families in order of preference, and a weight.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FontRole {
    /// Family names, conventional faces first, the bundled face last.
    #[serde(rename = "字体")]
    pub families: Vec<String>,
    /// Typst weight name ("regular", "bold").
    #[serde(rename = "字重", default = "regular")]
    pub weight: String,
}

impl FontRole {
    /// The conventional face the role asks for first (方正小标宋简体,
    /// 仿宋_GB2312 …): what a .docx names and what `fonts` reports as wanted.
    pub fn conventional(&self) -> String {
        self.families.first().cloned().unwrap_or_default()
    }
}

fn regular() -> String {
    "regular".into()
}

fn role(families: &[&str], weight: &str) -> FontRole {
    FontRole {
        families: families.iter().map(|s| s.to_string()).collect(),
        weight: weight.into(),
    }
}

/// The faces of the five font roles.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Fonts {
    #[serde(rename = "小标宋")]
    pub title: FontRole,
    #[serde(rename = "仿宋")]
    pub fangsong: FontRole,
    #[serde(rename = "黑体")]
    pub heiti: FontRole,
    #[serde(rename = "楷体")]
    pub kaiti: FontRole,
    #[serde(rename = "宋体")]
    pub songti: FontRole,
}

impl Default for Fonts {
    fn default() -> Self {
        // Conventional faces come first under both their Chinese and English
        // names; the bundled Fandol faces close every list so that a machine
        // without the conventional faces still prints every character.
        Fonts {
            title: role(
                &[
                    "方正小标宋简体",
                    "FZXiaoBiaoSong-B05S",
                    "方正小标宋_GBK",
                    "FZXiaoBiaoSong-B05",
                    "FandolSong",
                ],
                "bold",
            ),
            fangsong: role(
                &[
                    "仿宋_GB2312",
                    "FangSong_GB2312",
                    "仿宋",
                    "FangSong",
                    "FandolFang R",
                ],
                "regular",
            ),
            heiti: role(&["黑体", "SimHei", "FandolHei"], "regular"),
            kaiti: role(
                &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "FandolKai"],
                "regular",
            ),
            songti: role(&["宋体", "SimSun", "FandolSong"], "regular"),
        }
    }
}

impl Fonts {
    /// The faces of `role`.
    pub fn of(&self, role: Role) -> &FontRole {
        match role {
            Role::Title => &self.title,
            Role::Fangsong => &self.fangsong,
            Role::Heiti => &self.heiti,
            Role::Kaiti => &self.kaiti,
            Role::Songti => &self.songti,
        }
    }
}

const PT_PER_MM: f64 = 72.0 / 25.4;

/// A style value as Typst reads it: code (a length, a number, a colour),
/// or text and lists of text that the renderer quotes (the one escaper is
/// the renderer's).
#[derive(Debug, Clone, PartialEq)]
pub enum Typ {
    Code(String),
    Str(String),
    Strs(Vec<String>),
}

/// How a declared value is handed to Typst.
mod to {
    use super::{Role, Style, Typ};

    pub fn mm(_: &Style, v: &f64) -> Option<Typ> {
        Some(Typ::Code(format!("{v:.4}mm")))
    }
    pub fn pt(_: &Style, v: &f64) -> Option<Typ> {
        Some(Typ::Code(format!("{v:.4}pt")))
    }
    /// A plain number: characters, em, ratios.
    pub fn num(_: &Style, v: &f64) -> Option<Typ> {
        Some(Typ::Code(format!("{v:.4}")))
    }
    pub fn int(_: &Style, v: &u32) -> Option<Typ> {
        Some(Typ::Code(v.to_string()))
    }
    pub fn boolean(_: &Style, v: &bool) -> Option<Typ> {
        Some(Typ::Code(v.to_string()))
    }
    /// A count of §3.2's 行, as a length.
    pub fn lines(st: &Style, v: &f64) -> Option<Typ> {
        pt(st, &(v * st.line_unit_pt))
    }
    pub fn mm_or_auto(st: &Style, v: &Option<f64>) -> Option<Typ> {
        v.map_or(Some(Typ::Code("auto".into())), |v| mm(st, &v))
    }
    pub fn pt_or_pitch(st: &Style, v: &Option<f64>) -> Option<Typ> {
        pt(st, &v.unwrap_or(st.pitch_pt()))
    }
    pub fn pts(_: &Style, v: &[f64]) -> Option<Typ> {
        let list: Vec<String> = v.iter().map(|p| format!("{p:.4}pt")).collect();
        Some(Typ::Code(format!("({},)", list.join(", "))))
    }
    pub fn cmyk(st: &Style, [c, m, y, k]: &[f64; 4]) -> Option<Typ> {
        if st.pdf_standard.is_empty() {
            return Some(Typ::Code(format!("cmyk({c}%, {m}%, {y}%, {k}%)")));
        }
        // PDF/A from Typst cannot carry CMYK (no CMYK output intent): the
        // archive copy has the same red in RGB (the print PDF stays CMYK).
        let channel = |x: f64| ((1.0 - x / 100.0) * (1.0 - k / 100.0) * 255.0).round();
        Some(Typ::Code(format!(
            "rgb({}, {}, {})",
            channel(*c),
            channel(*m),
            channel(*y)
        )))
    }
    pub fn string(_: &Style, v: &str) -> Option<Typ> {
        Some(Typ::Str(v.to_string()))
    }
    pub fn roles(_: &Style, v: &[Role]) -> Option<Typ> {
        Some(Typ::Strs(v.iter().map(|r| r.name().to_string()).collect()))
    }
    /// Used by gongwen itself (or, for fonts, handed over once resolved).
    pub fn none<T: ?Sized>(_: &Style, _: &T) -> Option<Typ> {
        None
    }
}

/// A style value's range check: the offending value when outside.
trait Bounded {
    fn outside(&self, lo: f64, hi: f64) -> Option<String>;
}

impl Bounded for f64 {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        (!(lo..=hi).contains(self)).then(|| self.to_string())
    }
}

impl Bounded for u32 {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        f64::from(*self).outside(lo, hi)
    }
}

impl Bounded for Option<f64> {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        self.and_then(|v| v.outside(lo, hi))
    }
}

impl Bounded for [f64] {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        self.iter().find_map(|v| v.outside(lo, hi))
    }
}

impl Bounded for Vec<f64> {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        self.as_slice().outside(lo, hi)
    }
}

impl Bounded for [f64; 4] {
    fn outside(&self, lo: f64, hi: f64) -> Option<String> {
        self.as_slice().outside(lo, hi)
    }
}

/// Declares the style: for each value its field, default, `样式.yaml` name,
/// and its key in `st` with the conversion that writes it.
macro_rules! style {
    ($(
        $(#[doc = $doc:literal])*
        $field:ident: $ty:ty = $default:expr, $yaml:literal => $key:literal $conv:ident
            $(, $lo:literal ..= $hi:literal)?;
    )*) => {
        /// The layout of a 公文. Field names in YAML are the standard's terms.
        #[derive(Debug, Clone, Deserialize, PartialEq)]
        #[serde(deny_unknown_fields, default)]
        pub struct Style {
            $( $(#[doc = $doc])* #[serde(rename = $yaml)] pub $field: $ty, )*
        }

        impl Default for Style {
            fn default() -> Self {
                Style { $( $field: $default, )* }
            }
        }

        /// The PDF standards a PDF may be written to ("" is plain PDF).
pub const PDF_STANDARDS: &[&str] = &["", "a-2b", "a-2u", "a-3b"];

/// The OFD standards an OFD may be written to ("" is plain GB/T 33190),
/// matched without regard to case.
pub const OFD_STANDARDS: &[&str] = &["", "OFD-A"];

/// A standard's name as typed through an input method: trimmed, a
/// full-width hyphen or dash read as "-".
pub fn standard_name(s: &str) -> String {
    s.trim().replace(['－', '—', '–', '‐'], "-")
}

impl Style {
            /// Every declared value handed to Typst, as (key, Typst value).
            pub fn declared(&self) -> Vec<(&'static str, Typ)> {
                let mut out = Vec::new();
                $( if let Some(v) = to::$conv(self, &self.$field) { out.push(($key, v)); } )*
                out
            }

            /// Every value outside its declared range: (YAML name, message).
            fn out_of_range(&self) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $( $(
                    if let Some(bad) = Bounded::outside(&self.$field, $lo as f64, $hi as f64) {
                        out.push(($yaml, format!(
                            "{bad} 超出范围，应在 {} 到 {} 之间", $lo, $hi
                        )));
                    }
                )? )*
                out
            }
        }
    };
}

style! {
    paper_width_mm: f64 = 210.0, "纸张宽" => "paper-width" mm, 50.0 ..= 2000.0;
    paper_height_mm: f64 = 297.0, "纸张高" => "paper-height" mm, 50.0 ..= 2000.0;
    /// 天头: distance from the paper top to the 版心.
    top_mm: f64 = 37.0, "天头" => "top" mm, 0.0 ..= 500.0;
    /// 订口: the binding margin, left on odd pages.
    left_mm: f64 = 28.0, "订口" => "left" mm, 0.0 ..= 500.0;
    body_width_mm: f64 = 156.0, "版心宽" => "body-width" mm, 20.0 ..= 2000.0;
    body_height_mm: f64 = 225.0, "版心高" => "body-height" mm, 20.0 ..= 2000.0;
    /// Mirror the margins on even pages (duplex printing).
    mirror: bool = false, "双面印刷" => "mirror" boolean;
    lines: u32 = 22, "每面行数" => "lines" int, 2 ..= 200;
    chars: u32 = 28, "每行字数" => "chars" int, 1 ..= 200;
    /// 正文字号 (3号 = 16 pt).
    body_size_pt: f64 = 16.0, "正文字号" => "body-size" pt, 4.0 ..= 72.0;
    /// 标点压缩: let Typst compress full-width punctuation (a line may then
    /// hold 28½–29 characters); off, every mark takes a full cell.
    punct_compress: bool = false, "标点压缩" => "punct-compress" boolean;
    /// 首行缩进, in characters.
    indent_chars: f64 = 2.0, "首行缩进" => "indent" num, 0.0 ..= 20.0;
    /// The 行 of §3.2 (3号 height + 7/8 of it), the unit of 空一行/空二行.
    line_unit_pt: f64 = 16.0 * 15.0 / 8.0, "行" => "line-unit" pt, 1.0 ..= 200.0;
    /// The ideographic em box of a line: its top above the baseline and its
    /// bottom below it, in em. Line boxes are exactly this box.
    em_top: f64 = 0.88, "字面上沿" => "em-top" num, 0.5 ..= 1.0;
    em_bottom: f64 = 0.12, "字面下沿" => "em-bottom" num, 0.0 ..= 0.5;

    /// Top of the 发文机关标志 below the 版心 top (35 mm → 72 mm from the paper top).
    mark_top_mm: f64 = 35.0, "标志上距" => "mark-top" mm, 0.0 ..= 500.0;
    /// Size of the 发文机关标志 (before it is fitted to the 版心 width).
    mark_size_pt: f64 = 42.0, "标志字号" => "mark-size" pt, 4.0 ..= 144.0;
    /// Fixed width of the mark (spread or shrink to it); none = natural, shrunk only if too wide.
    mark_width_mm: Option<f64> = None, "标志宽度" => "mark-width" mm_or_auto, 10.0 ..= 2000.0;
    /// The tallest a mark may be: a 联合行文 of many organs is shrunk to it,
    /// so that the 版头 and the start of the text stay on page 1.
    mark_max_height_mm: f64 = 110.0, "标志最大高度" => "mark-max-height" mm, 10.0 ..= 500.0;
    /// Lines of text (the 主送机关 and the body) that page 1 keeps under the
    /// title: a mark of many organs is shrunk further to leave them room
    /// (§7.2.3 leaves its size to the organ, "以醒目美观为原则").
    page_one_lines: f64 = 3.0, "首页最少正文行数" => "page-one-lines" num, 0.0 ..= 22.0;
    /// Gap between stacked organ names in a 联合行文 mark.
    mark_gap_mm: f64 = 3.0, "标志行间距" => "mark-gap" mm, 0.0 ..= 100.0;
    /// Gap between a 联合行文 mark's organs and its "文件", in em of the mark.
    mark_suffix_gap_em: f64 = 0.25, "标志后缀间距" => "mark-suffix-gap" num, 0.0 ..= 5.0;
    /// Blank 行 between the mark and the 发文字号.
    number_gap_lines: f64 = 2.0, "发文字号上空行" => "number-gap" lines, 0.0 ..= 20.0;
    /// 签发人 right indent (and 上行文 发文字号 left indent), in characters.
    signer_indent_chars: f64 = 1.0, "签发人缩进" => "signer-indent" num, 0.0 ..= 20.0;
    /// Red separator below the 发文字号.
    rule_gap_mm: f64 = 4.0, "分隔线下距" => "rule-gap" mm, 0.0 ..= 100.0;
    rule_thickness_mm: f64 = 0.5, "分隔线粗" => "rule-thickness" mm, 0.0 ..= 10.0;
    /// CMYK of the red (percent).
    red_cmyk: [f64; 4] = [0.0, 80.0, 80.0, 0.0], "红色" => "red" cmyk, 0.0 ..= 100.0;
    /// CMYK of the black of text and rules: black ink only, so that a
    /// print room counts a page without red as black-and-white and small
    /// text is never printed in four inks (a 0/0/0 black converts to all
    /// four). RGB under PDF/A, like the red.
    black_cmyk: [f64; 4] = [0.0, 0.0, 0.0, 100.0], "黑色" => "black" cmyk, 0.0 ..= 100.0;

    /// 信函格式 (§10.1): the mark's top from the paper's top edge.
    letter_mark_top_mm: f64 = 30.0, "信函标志上距" => "letter-mark-top" mm, 0.0 ..= 500.0;
    /// The first red double line's distance below the mark.
    letter_rule_gap_mm: f64 = 4.0, "信函双线上距" => "letter-rule-gap" mm, 0.0 ..= 100.0;
    /// The second double line's distance above the paper's bottom edge.
    letter_rule_bottom_mm: f64 = 20.0, "信函双线下距" => "letter-rule-bottom" mm, 0.0 ..= 500.0;
    letter_rule_length_mm: f64 = 170.0, "信函双线长" => "letter-rule-length" mm, 10.0 ..= 2000.0;
    /// The double line's thick and thin strokes and the space between them.
    double_thick_mm: f64 = 1.0, "双线粗线" => "double-thick" mm, 0.0 ..= 10.0;
    double_thin_mm: f64 = 0.3, "双线细线" => "double-thin" mm, 0.0 ..= 10.0;
    double_gap_mm: f64 = 0.7, "双线间距" => "double-gap" mm, 0.0 ..= 10.0;
    /// 份号 and 发文字号 below the first double line, in body characters (7/8).
    letter_header_gap: f64 = 0.875, "信函版头下距" => "letter-header-gap" num, 0.0 ..= 5.0;
    /// 命令格式 (§10.2): the mark's top below the 版心 top (57 mm from the paper top).
    order_mark_top_mm: f64 = 20.0, "命令标志上距" => "order-mark-top" mm, 0.0 ..= 500.0;
    /// Blank 行 between the mark and the 令号, and between the 令号 and the text.
    order_number_gap_lines: f64 = 2.0, "令号上空行" => "order-number-gap" lines, 0.0 ..= 20.0;
    order_text_gap_lines: f64 = 2.0, "令号下空行" => "order-text-gap" lines, 0.0 ..= 20.0;
    /// §7.3.5.3: blank grid rows above the 签发人签名章.
    order_sign_blank_lines: f64 = 2.0, "签名章上空行" => "order-sign-blank" num, 0.0 ..= 20.0;
    /// The signature seal's right indent, in characters.
    order_seal_indent: f64 = 4.0, "签名章右空" => "order-seal-indent" num, 0.0 ..= 20.0;
    /// Space between the signatory's title and the seal, in characters.
    order_title_gap: f64 = 2.0, "签发人职务间距" => "order-title-gap" num, 0.0 ..= 20.0;
    /// The 命令's date right indent, in characters.
    order_date_indent: f64 = 4.0, "命令日期右空" => "order-date-indent" num, 0.0 ..= 20.0;
    /// Height of a 签名章 image.
    sign_seal_height_mm: f64 = 15.0, "签名章高" => "sign-seal-height" mm, 2.0 ..= 100.0;
    /// 纪要格式 (§10.3): the mark's top below the 版心 top (72 mm from the paper top).
    minutes_mark_top_mm: f64 = 35.0, "纪要标志上距" => "minutes-mark-top" mm, 0.0 ..= 500.0;
    /// Blank grid rows above the 出席 list.
    attendance_blank_lines: f64 = 1.0, "出席上空行" => "attendance-blank" num, 0.0 ..= 20.0;

    /// Blank 行 between the separator and the 标题.
    title_gap_lines: f64 = 2.0, "标题上空行" => "title-gap" lines, 0.0 ..= 20.0;
    /// 标题字号 (2号 = 22 pt).
    title_size_pt: f64 = 22.0, "标题字号" => "title-size" pt, 4.0 ..= 144.0;
    /// Baseline pitch within a multi-line title; none = the body grid pitch.
    title_pitch_pt: Option<f64> = None, "标题行距" => "title-pitch" pt_or_pitch, 4.0 ..= 200.0;
    /// Blank 行 between the 标题 and the 主送机关.
    recipients_gap_lines: f64 = 1.0, "主送上空行" => "recipients-gap" lines, 0.0 ..= 20.0;
    /// Heading roles per level: 一、 （一） 1. （1）.
    heading_fonts: Vec<Role> = vec![Role::Heiti, Role::Kaiti, Role::Fangsong, Role::Fangsong],
        "层次字体" => "heading-fonts" roles;

    /// Sealed signature: blank grid rows between text and 署名.
    sealed_blank_lines: f64 = 2.0, "盖章署名上空行" => "sealed-blank-lines" num, 0.0 ..= 20.0;
    /// Sealed signature: 成文日期 right indent in characters.
    sealed_date_indent: f64 = 4.0, "盖章日期右空" => "sealed-date-indent" num, 0.0 ..= 20.0;
    /// Unsealed signature: blank grid rows between text and 署名.
    unsealed_blank_lines: f64 = 1.0, "不盖章署名上空行" => "unsealed-blank-lines" num, 0.0 ..= 20.0;
    /// Unsealed signature: 署名 right indent in characters.
    unsealed_indent: f64 = 2.0, "不盖章署名右空" => "unsealed-indent" num, 0.0 ..= 20.0;
    /// Unsealed signature: the date starts this many characters right of the 署名.
    unsealed_date_shift: f64 = 2.0, "不盖章日期右移" => "unsealed-date-shift" num, 0.0 ..= 20.0;
    seal_diameter_mm: f64 = 42.0, "印章直径" => "seal-diameter" mm, 5.0 ..= 200.0;
    /// 联合行文 with a seal per organ: the rows of names this many 行 apart
    /// (a seal is four 行 across: five keep two rows' seals apart).
    joint_seal_row_lines: f64 = 5.0, "联合印章行距" => "joint-seal-row-lines" num, 1.0 ..= 20.0;
    /// How far the seal's top rises above the bottom of the date's row, as a
    /// share of its diameter: the 署名 and date sit a little below its centre.
    seal_rise: f64 = 0.62, "印章上移" => "seal-rise" num, 0.0 ..= 1.0;

    page_number_size_pt: f64 = 14.0, "页码字号" => "page-number-size" pt, 4.0 ..= 72.0;
    /// Distance from the 版心 bottom edge to the dash line of the page number.
    page_number_gap_mm: f64 = 7.0, "页码下距" => "page-number-gap" mm, 0.0 ..= 100.0;
    /// Page number indent from the 版心 edge, in characters of the page-number size.
    page_number_indent_chars: f64 = 1.0, "页码缩进" => "page-number-indent" num, 0.0 ..= 20.0;
    page_number_dash: String = "—".into(), "页码一字线" => "page-number-dash" string;
    /// Height of the dash stroke above the baseline, in em of the page-number face.
    dash_height_em: f64 = 0.3, "一字线高度" => "dash-height" num, 0.0 ..= 1.0;

    colophon_size_pt: f64 = 14.0, "版记字号" => "colophon-size" pt, 4.0 ..= 72.0;
    /// 版记 text is indented this many of its characters from both ends.
    colophon_inset_chars: f64 = 1.0, "版记左右空" => "colophon-inset" num, 0.0 ..= 20.0;
    colophon_outer_rule_mm: f64 = 0.35, "版记粗线" => "colophon-outer-rule" mm, 0.0 ..= 10.0;
    colophon_inner_rule_mm: f64 = 0.25, "版记细线" => "colophon-inner-rule" mm, 0.0 ..= 10.0;
    /// Text size of the 汇总表, whose many columns do not fit 3号.
    summary_size_pt: f64 = 10.5, "汇总表字号" => "" none, 4.0 ..= 72.0;
    table_stroke_pt: f64 = 0.75, "表格线粗" => "table-stroke" pt, 0.0 ..= 10.0;
    /// The sizes a table may be set in, largest first: 3号, 4号, 小4. A
    /// table whose columns do not fit steps down to the next.
    table_sizes_pt: Vec<f64> = vec![16.0, 14.0, 12.0], "表格字号" => "table-sizes" pts, 4.0 ..= 72.0;
    /// Space between a cell's text and its left and right rules, in
    /// characters of the table's size.
    table_inset_chars: f64 = 0.3, "表格左右内距" => "table-inset" num, 0.0 ..= 5.0;
    /// Leading and vertical cell padding of a table set smaller than the
    /// body (the 汇总表), in em of its size.
    compact_leading_em: f64 = 0.5, "紧凑表格行距" => "compact-leading" num, 0.0 ..= 5.0;
    /// Short cells (a name, 危险化学品) are kept whole, at a smaller size if
    /// need be, as long as no column of longer text is left narrower than
    /// this many characters (narrower, a long cell can be taller than a page).
    table_text_floor_chars: f64 = 10.0, "长文本最窄字数" => "table-text-floor" num, 0.0 ..= 28.0;
    /// Notes of at most this many lines go over with a table's last row and
    /// its 合计; longer ones follow the table as text that breaks across
    /// pages (kept whole, they would leave a page half empty or run off it).
    table_notes_keep_lines: f64 = 3.0, "表注随表行数" => "table-notes-keep" num, 0.0 ..= 22.0;
    /// Width of the blank after 填报单位：/填报日期：, in characters.
    fill_blank_chars: f64 = 7.0, "填报栏宽" => "fill-blank" num, 0.0 ..= 100.0;
    /// Space between two fields of the 填报栏, and the least blank left to
    /// write in, in characters.
    fill_gap_chars: f64 = 2.0, "填报栏间距" => "fill-gap" num, 0.0 ..= 20.0;

    fonts: Fonts = Fonts::default(), "字体" => "" none;
    /// The PDF standard every PDF is written to: "" (plain PDF), or a-2b
    /// for the archive (PDF/A-2b; also a-2u, a-3b).
    pdf_standard: String = String::new(), "PDF标准" => "" none;
    /// The OFD standard every OFD is written to: "" (GB/T 33190), or OFD-A
    /// for the archive (DocType="OFD-A", colour spaces with their ICC
    /// profiles; see `output::ofd`).
    ofd_standard: String = String::new(), "OFD标准" => "" none;
}

impl Style {
    /// Whether OFD is written as OFD-A, the archive profile.
    pub fn ofd_archive(&self) -> bool {
        standard_name(&self.ofd_standard).eq_ignore_ascii_case("OFD-A")
    }

    /// Baseline pitch of the grid: the first row's em box at the 版心 top, the
    /// last row's at its bottom.
    pub fn pitch_pt(&self) -> f64 {
        (self.body_height_mm * PT_PER_MM - self.body_size_pt) / (self.lines.max(2) - 1) as f64
    }

    /// Right margin (derived: paper − 订口 − 版心).
    pub fn right_mm(&self) -> f64 {
        self.paper_width_mm - self.left_mm - self.body_width_mm
    }

    /// The role that prints headings of `level` (1-based); deeper levels
    /// take the last role given.
    pub fn heading_role(&self, level: usize) -> Role {
        let roles = &self.heading_fonts;
        roles
            .get(level.clamp(1, roles.len().max(1)) - 1)
            .copied()
            .unwrap_or(Role::Fangsong)
    }

    /// Checks that the numbers describe a page that can be laid out: every
    /// value in its range, and the values fitting together. Each problem
    /// names the `样式.yaml` key it is about ("" for the page as a whole).
    pub fn validate(&self) -> Vec<(&'static str, String)> {
        let mut out = self.out_of_range();
        if !out.is_empty() {
            return out;
        }
        if self.left_mm + self.body_width_mm > self.paper_width_mm {
            out.push(("版心宽", "订口 + 版心宽 超出纸张宽".into()));
        }
        if self.top_mm + self.body_height_mm > self.paper_height_mm {
            out.push(("版心高", "天头 + 版心高 超出纸张高".into()));
        }
        if self.pitch_pt() < self.body_size_pt {
            out.push((
                "每面行数",
                format!(
                    "每面 {} 行、字号 {} pt 排不进版心高 {} mm",
                    self.lines, self.body_size_pt, self.body_height_mm
                ),
            ));
        }
        if self.body_width_mm * PT_PER_MM < f64::from(self.chars) * self.body_size_pt * 0.5 {
            out.push((
                "每行字数",
                format!(
                    "每行 {} 字、字号 {} pt 排不进版心宽 {} mm",
                    self.chars, self.body_size_pt, self.body_width_mm
                ),
            ));
        }
        if !PDF_STANDARDS.contains(&self.pdf_standard.as_str()) {
            out.push((
                "PDF标准",
                format!(
                    "“{}”不是可用的 PDF 标准；可用：a-2b（存档用 PDF/A-2b）、a-2u、a-3b，或留空",
                    self.pdf_standard
                ),
            ));
        }
        let ofd = standard_name(&self.ofd_standard);
        if !OFD_STANDARDS.iter().any(|s| s.eq_ignore_ascii_case(&ofd)) {
            out.push((
                "OFD标准",
                format!(
                    "“{}”不是可用的 OFD 标准；可用：OFD-A（存档用），或留空",
                    self.ofd_standard
                ),
            ));
        }
        if self.table_sizes_pt.is_empty() {
            out.push(("表格字号", "至少要有一个字号".into()));
        }
        if self.heading_fonts.is_empty() {
            out.push(("层次字体", "至少要有一个字体角色".into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_name_is_accepted_and_every_typst_key_is_unique() {
        let st = Style::default();
        let keys: Vec<&str> = st.declared().iter().map(|(k, _)| *k).collect();
        let unique: std::collections::BTreeSet<&&str> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
        // A style file naming a value changes exactly that value.
        let s: Style = serde_yaml::from_str("版心高: 200\n层次字体: [kaiti]\n").unwrap();
        assert_eq!(s.body_height_mm, 200.0);
        assert_eq!(s.heading_role(3), Role::Kaiti);
        assert_eq!(s.paper_width_mm, st.paper_width_mm);
    }
}
