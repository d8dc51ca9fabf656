//! Every number of GB/T 9704-2012 in one place.
//!
//! The defaults are the standard's values (see `../shared/docs/gbt9704.md`);
//! a content folder may override any of them in `样式.yaml`, which is how an
//! issuing organ's local variant becomes a configuration change. Lengths are
//! in millimetres (`_mm`) or points (`_pt`), as the standard states them.
//! The Typst layout library reads these values and nothing else.

use serde::Deserialize;

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

fn regular() -> String {
    "regular".into()
}

fn role(families: &[&str], weight: &str) -> FontRole {
    FontRole {
        families: families.iter().map(|s| s.to_string()).collect(),
        weight: weight.into(),
    }
}

/// The five font roles of a 公文.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Fonts {
    /// 发文机关标志 and 标题 (方正小标宋简体).
    #[serde(rename = "小标宋")]
    pub title: FontRole,
    /// Body text (仿宋_GB2312).
    #[serde(rename = "仿宋")]
    pub fangsong: FontRole,
    /// Level-1 headings, 密级, 紧急程度, the 附件 label (黑体).
    #[serde(rename = "黑体")]
    pub heiti: FontRole,
    /// Level-2 headings and 签发人 names (楷体_GB2312).
    #[serde(rename = "楷体")]
    pub kaiti: FontRole,
    /// Page numbers (宋体).
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
    /// The roles with the names the Typst library uses for them.
    pub fn roles(&self) -> [(&'static str, &FontRole); 5] {
        [
            ("title", &self.title),
            ("fangsong", &self.fangsong),
            ("heiti", &self.heiti),
            ("kaiti", &self.kaiti),
            ("songti", &self.songti),
        ]
    }

    pub fn roles_mut(&mut self) -> [&mut FontRole; 5] {
        [
            &mut self.title,
            &mut self.fangsong,
            &mut self.heiti,
            &mut self.kaiti,
            &mut self.songti,
        ]
    }
}

/// The layout of a 公文. Field names in YAML are the standard's terms.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Style {
    #[serde(rename = "纸张宽")]
    pub paper_width_mm: f64,
    #[serde(rename = "纸张高")]
    pub paper_height_mm: f64,
    /// 天头: distance from the paper top to the 版心.
    #[serde(rename = "天头")]
    pub top_mm: f64,
    /// 订口: the binding margin, left on odd pages.
    #[serde(rename = "订口")]
    pub left_mm: f64,
    #[serde(rename = "版心宽")]
    pub body_width_mm: f64,
    #[serde(rename = "版心高")]
    pub body_height_mm: f64,
    /// Mirror the margins on even pages (duplex printing).
    #[serde(rename = "双面印刷")]
    pub mirror: bool,
    /// 每面行数.
    #[serde(rename = "每面行数")]
    pub lines: u32,
    /// 每行字数.
    #[serde(rename = "每行字数")]
    pub chars: u32,
    /// 正文字号 (3号 = 16 pt).
    #[serde(rename = "正文字号")]
    pub body_size_pt: f64,
    /// 首行缩进, in characters.
    #[serde(rename = "首行缩进")]
    pub indent_chars: f64,
    /// The 行 of §3.2 (3号 height + 7/8 of it), the unit of 空一行/空二行.
    #[serde(rename = "行")]
    pub line_unit_pt: f64,

    /// Top of the 发文机关标志 below the 版心 top (35 mm → 72 mm from the paper top).
    #[serde(rename = "标志上距")]
    pub mark_top_mm: f64,
    /// Size of the 发文机关标志 (before it is fitted to the 版心 width).
    #[serde(rename = "标志字号")]
    pub mark_size_pt: f64,
    /// Fixed width of the mark (spread or shrink to it); none = natural, shrunk only if too wide.
    #[serde(rename = "标志宽度")]
    pub mark_width_mm: Option<f64>,
    /// Gap between stacked organ names in a 联合行文 mark.
    #[serde(rename = "标志行间距")]
    pub mark_gap_mm: f64,
    /// Blank 行 between the mark and the 发文字号.
    #[serde(rename = "发文字号上空行")]
    pub number_gap_lines: f64,
    /// 签发人 right indent (and 上行文 发文字号 left indent), in characters.
    #[serde(rename = "签发人缩进")]
    pub signer_indent_chars: f64,
    /// Red separator below the 发文字号.
    #[serde(rename = "分隔线下距")]
    pub rule_gap_mm: f64,
    #[serde(rename = "分隔线粗")]
    pub rule_thickness_mm: f64,
    /// CMYK of the red (percent).
    #[serde(rename = "红色")]
    pub red_cmyk: [f64; 4],

    /// Blank 行 between the separator and the 标题.
    #[serde(rename = "标题上空行")]
    pub title_gap_lines: f64,
    /// 标题字号 (2号 = 22 pt).
    #[serde(rename = "标题字号")]
    pub title_size_pt: f64,
    /// Baseline pitch within a multi-line title; none = the body grid pitch.
    #[serde(rename = "标题行距")]
    pub title_pitch_pt: Option<f64>,
    /// Blank 行 between the 标题 and the 主送机关.
    #[serde(rename = "主送上空行")]
    pub recipients_gap_lines: f64,
    /// Heading roles per level: 一、 （一） 1. （1）.
    #[serde(rename = "层次字体")]
    pub heading_fonts: Vec<String>,

    /// Sealed signature: blank grid rows between text and 署名.
    #[serde(rename = "盖章署名上空行")]
    pub sealed_blank_lines: f64,
    /// Sealed signature: 成文日期 right indent in characters.
    #[serde(rename = "盖章日期右空")]
    pub sealed_date_indent: f64,
    /// Unsealed signature: blank grid rows between text and 署名.
    #[serde(rename = "不盖章署名上空行")]
    pub unsealed_blank_lines: f64,
    /// Unsealed signature: 署名 right indent in characters.
    #[serde(rename = "不盖章署名右空")]
    pub unsealed_indent: f64,
    /// Unsealed signature: the date starts this many characters right of the 署名.
    #[serde(rename = "不盖章日期右移")]
    pub unsealed_date_shift: f64,
    #[serde(rename = "印章直径")]
    pub seal_diameter_mm: f64,

    #[serde(rename = "页码字号")]
    pub page_number_size_pt: f64,
    /// Distance from the 版心 bottom edge to the dash line of the page number.
    #[serde(rename = "页码下距")]
    pub page_number_gap_mm: f64,
    /// Page number indent from the 版心 edge, in characters of the page-number size.
    #[serde(rename = "页码缩进")]
    pub page_number_indent_chars: f64,
    #[serde(rename = "页码一字线")]
    pub page_number_dash: String,
    /// Height of the dash stroke above the baseline, in em of the page-number face.
    #[serde(rename = "一字线高度")]
    pub dash_height_em: f64,

    #[serde(rename = "版记字号")]
    pub colophon_size_pt: f64,
    #[serde(rename = "版记粗线")]
    pub colophon_outer_rule_mm: f64,
    #[serde(rename = "版记细线")]
    pub colophon_inner_rule_mm: f64,
    /// Text size of the 汇总表, whose many columns do not fit 3号.
    #[serde(rename = "汇总表字号")]
    pub summary_size_pt: f64,
    #[serde(rename = "表格线粗")]
    pub table_stroke_pt: f64,
    /// Width of the blank after 填报单位：/填报日期：, in characters.
    #[serde(rename = "填报栏宽")]
    pub fill_blank_chars: f64,

    #[serde(rename = "字体")]
    pub fonts: Fonts,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            paper_width_mm: 210.0,
            paper_height_mm: 297.0,
            top_mm: 37.0,
            left_mm: 28.0,
            body_width_mm: 156.0,
            body_height_mm: 225.0,
            mirror: false,
            lines: 22,
            chars: 28,
            body_size_pt: 16.0,
            indent_chars: 2.0,
            line_unit_pt: 16.0 * 15.0 / 8.0,
            mark_top_mm: 35.0,
            mark_size_pt: 42.0,
            mark_width_mm: None,
            mark_gap_mm: 3.0,
            number_gap_lines: 2.0,
            signer_indent_chars: 1.0,
            rule_gap_mm: 4.0,
            rule_thickness_mm: 0.5,
            red_cmyk: [0.0, 80.0, 80.0, 0.0],
            title_gap_lines: 2.0,
            title_size_pt: 22.0,
            title_pitch_pt: None,
            recipients_gap_lines: 1.0,
            heading_fonts: vec![
                "heiti".into(),
                "kaiti".into(),
                "fangsong".into(),
                "fangsong".into(),
            ],
            sealed_blank_lines: 2.0,
            sealed_date_indent: 4.0,
            unsealed_blank_lines: 1.0,
            unsealed_indent: 2.0,
            unsealed_date_shift: 2.0,
            seal_diameter_mm: 42.0,
            page_number_size_pt: 14.0,
            page_number_gap_mm: 7.0,
            page_number_indent_chars: 1.0,
            page_number_dash: "—".into(),
            dash_height_em: 0.3,
            colophon_size_pt: 14.0,
            colophon_outer_rule_mm: 0.35,
            colophon_inner_rule_mm: 0.25,
            summary_size_pt: 10.5,
            table_stroke_pt: 0.75,
            fill_blank_chars: 7.0,
            fonts: Fonts::default(),
        }
    }
}

const PT_PER_MM: f64 = 72.0 / 25.4;

impl Style {
    /// Baseline pitch of the grid: the first row's em box at the 版心 top, the
    /// last row's at its bottom.
    pub fn pitch_pt(&self) -> f64 {
        (self.body_height_mm * PT_PER_MM - self.body_size_pt) / (self.lines.max(2) - 1) as f64
    }

    /// One grid character: the 版心 width over the characters per line.
    pub fn cell_pt(&self) -> f64 {
        self.body_width_mm * PT_PER_MM / self.chars.max(1) as f64
    }

    /// Right margin (derived: paper − 订口 − 版心).
    pub fn right_mm(&self) -> f64 {
        self.paper_width_mm - self.left_mm - self.body_width_mm
    }

    /// Checks that the numbers describe a page that can be laid out.
    pub fn validate(&self) -> Result<(), String> {
        if self.left_mm + self.body_width_mm > self.paper_width_mm {
            return Err("订口 + 版心宽 超出纸张宽".into());
        }
        if self.top_mm + self.body_height_mm > self.paper_height_mm {
            return Err("天头 + 版心高 超出纸张高".into());
        }
        if self.lines < 2 || self.chars < 1 {
            return Err("每面行数至少 2，每行字数至少 1".into());
        }
        if self.pitch_pt() < self.body_size_pt {
            return Err(format!(
                "每面 {} 行、字号 {} pt 排不进版心高 {} mm",
                self.lines, self.body_size_pt, self.body_height_mm
            ));
        }
        let known = ["heiti", "kaiti", "fangsong", "songti", "title"];
        if let Some(bad) = self
            .heading_fonts
            .iter()
            .find(|r| !known.contains(&r.as_str()))
        {
            return Err(format!(
                "层次字体 {bad} 不是字体角色（可用：{}）",
                known.join("、")
            ));
        }
        Ok(())
    }

    /// The style as a Typst dictionary (the `st` of gongwen.typ). `families`
    /// holds, per role, the families that exist in the font book.
    pub fn to_typst(&self, families: &[(&str, Vec<String>, String)]) -> String {
        let mm = |v: f64| format!("{v:.4}mm");
        let pt = |v: f64| format!("{v:.4}pt");
        let [c, m, y, k] = self.red_cmyk;
        let fonts: Vec<String> = families
            .iter()
            .map(|(role, fams, weight)| {
                let list: Vec<String> = fams.iter().map(|f| typst_string(f)).collect();
                format!(
                    "{role}: (families: ({},), weight: {})",
                    list.join(", "),
                    typst_string(weight)
                )
            })
            .collect();
        let headings: Vec<String> = self.heading_fonts.iter().map(|r| typst_string(r)).collect();
        let entries = [
            ("paper-width", mm(self.paper_width_mm)),
            ("paper-height", mm(self.paper_height_mm)),
            ("top", mm(self.top_mm)),
            ("left", mm(self.left_mm)),
            ("right", mm(self.right_mm())),
            ("body-width", mm(self.body_width_mm)),
            ("body-height", mm(self.body_height_mm)),
            ("mirror", self.mirror.to_string()),
            ("chars", self.chars.to_string()),
            ("body-size", pt(self.body_size_pt)),
            ("pitch", pt(self.pitch_pt())),
            ("indent", format!("{:.4}", self.indent_chars)),
            ("mark-top", mm(self.mark_top_mm)),
            ("mark-size", pt(self.mark_size_pt)),
            ("mark-width", self.mark_width_mm.map_or("auto".into(), mm)),
            ("mark-gap", mm(self.mark_gap_mm)),
            ("number-gap", pt(self.number_gap_lines * self.line_unit_pt)),
            ("signer-indent", format!("{:.4}", self.signer_indent_chars)),
            ("rule-gap", mm(self.rule_gap_mm)),
            ("rule-thickness", mm(self.rule_thickness_mm)),
            ("red", format!("cmyk({c}%, {m}%, {y}%, {k}%)")),
            ("title-gap", pt(self.title_gap_lines * self.line_unit_pt)),
            ("title-size", pt(self.title_size_pt)),
            (
                "title-pitch",
                pt(self.title_pitch_pt.unwrap_or(self.pitch_pt())),
            ),
            (
                "recipients-gap",
                pt(self.recipients_gap_lines * self.line_unit_pt),
            ),
            ("heading-fonts", format!("({},)", headings.join(", "))),
            (
                "sealed-blank-lines",
                format!("{:.4}", self.sealed_blank_lines),
            ),
            (
                "sealed-date-indent",
                format!("{:.4}", self.sealed_date_indent),
            ),
            (
                "unsealed-blank-lines",
                format!("{:.4}", self.unsealed_blank_lines),
            ),
            ("unsealed-indent", format!("{:.4}", self.unsealed_indent)),
            (
                "unsealed-date-shift",
                format!("{:.4}", self.unsealed_date_shift),
            ),
            ("seal-diameter", mm(self.seal_diameter_mm)),
            ("page-number-size", pt(self.page_number_size_pt)),
            ("page-number-gap", mm(self.page_number_gap_mm)),
            (
                "page-number-indent",
                pt(self.page_number_indent_chars * self.page_number_size_pt),
            ),
            ("page-number-dash", typst_string(&self.page_number_dash)),
            ("dash-height", format!("{:.4}", self.dash_height_em)),
            ("colophon-size", pt(self.colophon_size_pt)),
            ("colophon-outer-rule", mm(self.colophon_outer_rule_mm)),
            ("colophon-inner-rule", mm(self.colophon_inner_rule_mm)),
            ("table-stroke", pt(self.table_stroke_pt)),
            ("fill-blank", format!("{:.4}", self.fill_blank_chars)),
            ("fonts", format!("({})", fonts.join(", "))),
        ];
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("  {k}: {v},"))
            .collect();
        format!("(\n{}\n)", body.join("\n"))
    }
}

/// A Typst string literal. String literals interpret only `\\ \" \n \r \t
/// \u{…}`, so those are the characters to escape (JSON escaping differs).
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_fills_the_type_area() {
        let s = Style::default();
        // 22 rows: 21 pitches plus one em box equal the 版心 height.
        let total = 21.0 * s.pitch_pt() + s.body_size_pt;
        assert!((total - 225.0 * PT_PER_MM).abs() < 1e-9);
        assert!((s.pitch_pt() - 29.6093).abs() < 1e-3, "{}", s.pitch_pt());
        assert!((s.cell_pt() * 28.0 - 156.0 * PT_PER_MM).abs() < 1e-9);
        assert!((s.right_mm() - 26.0).abs() < 1e-9);
    }

    #[test]
    fn string_literal_escapes_only_what_typst_interprets() {
        assert_eq!(typst_string("a\"b\\c\nd#[]"), "\"a\\\"b\\\\c\\nd#[]\"");
    }
}
