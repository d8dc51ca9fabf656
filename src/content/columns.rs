//! What a table's columns hold (列类型): counts, amounts with fixed decimal
//! places, percentages, text, and columns computed from two others (a rate,
//! a difference, a sum). A statistics form takes each kind as it is meant
//! (an amount to its places, 95% as 95), and totals treat each as it must:
//! counts and amounts are summed exactly, percentages and text never, and a
//! computed column is computed again from the totals, never summed.

use std::fmt;

use bigdecimal::{BigDecimal, RoundingMode, Zero};
use serde::{Deserialize, Deserializer};

use super::scalar::{scalar_or_map, Scalar, ScalarOrMap};

/// The decimal places of a computed rate (85.71%).
const RATE_PLACES: i64 = 2;
/// The most decimal places an amount column may ask for.
const MAX_PLACES: u32 = 6;
/// What the right of "=甲 ÷ 合计" may say: each row's share of the total.
const SHARE_OF: [&str; 3] = ["合计", "总计", "总数"];
/// What a rate with a zero denominator prints.
pub const NO_RATE: &str = "—";

/// What one column holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ColumnKind {
    /// Not said: whole numbers ≥ 0 where a form leaves the column blank.
    #[default]
    Auto,
    /// 计数: whole numbers ≥ 0.
    Count,
    /// 金额 / 小数: a number with this many decimal places (万元 to 2).
    Decimal(u32),
    /// 百分比: a percentage, written 95 or 95%; never summed.
    Percent,
    /// 文本: anything; never summed.
    Text,
    /// 日期: a date, however it is typed; printed 2026年6月28日.
    Date,
    /// 选项: one of a few answers (是/否, 有/无); printed □是　□否 on the
    /// blank form, listed, never summed.
    Choice(Vec<String>),
    /// 计算: computed from two other columns, never filled in.
    Computed(Formula),
}

/// `左 op 右`, the columns named by their header text (without a trailing
/// （单位）) or as 第N列.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub left: String,
    pub op: Op,
    pub right: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// ÷ or /: a rate in percent (left ÷ right × 100).
    Rate,
    /// − or -.
    Minus,
    /// +.
    Plus,
}

impl Op {
    /// The operator as Excel writes it, and the factor after it.
    pub fn excel(self) -> &'static str {
        match self {
            Op::Rate => "/",
            Op::Minus => "-",
            Op::Plus => "+",
        }
    }
}

impl ColumnKind {
    /// Whether the column's values add up in a 合计.
    pub fn is_summed(&self) -> bool {
        matches!(
            self,
            ColumnKind::Auto | ColumnKind::Count | ColumnKind::Decimal(_)
        )
    }

    /// Parses the YAML string form.
    fn parse(s: &str) -> Result<ColumnKind, String> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(f) = t.strip_prefix('=').or_else(|| t.strip_prefix('＝')) {
            return Formula::parse(f).map(ColumnKind::Computed);
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let word: String = t
            .chars()
            .filter(|c| !c.is_ascii_digit() && !"()（）位".contains(*c))
            .collect();
        let kind = match word.as_str() {
            "" | "-" | "自动" => ColumnKind::Auto,
            "计数" | "整数" => ColumnKind::Count,
            "金额" | "小数" => {
                let places = if digits.is_empty() {
                    2
                } else {
                    digits.parse().unwrap_or(u32::MAX)
                };
                if places > MAX_PLACES {
                    return Err(format!("小数位应在 0 到 {MAX_PLACES} 之间"));
                }
                ColumnKind::Decimal(places)
            }
            "百分比" | "百分数" | "%" => ColumnKind::Percent,
            "文本" | "文字" => ColumnKind::Text,
            "日期" => ColumnKind::Date,
            // 选项（是/否）, or short answers alone (是/否, 有/无): a longer
            // "甲/乙" is more likely a formula without its "=".
            w if w.starts_with("选项")
                || w.contains(['/', '／'])
                    && w.split(['/', '／']).all(|a| a.chars().count() <= 2) =>
            {
                return choice(w.trim_start_matches("选项").split(['/', '／', '、', '，', ',']))
            }
            _ => {
                return Err(format!(
                    "列类型“{s}”不认识：可写 计数、金额（两位小数）、小数3、百分比、文本、日期、选项（是/否），或计算列“=甲/乙”"
                ))
            }
        };
        Ok(kind)
    }
}

/// A 选项 column of at least two answers.
fn choice<'a>(answers: impl Iterator<Item = &'a str>) -> Result<ColumnKind, String> {
    let answers: Vec<String> = answers
        .map(|a| {
            a.trim_matches(['（', '）', '(', ')', '：', ':', ' '])
                .to_string()
        })
        .filter(|a| !a.is_empty())
        .collect();
    if answers.len() < 2 {
        return Err("选项至少要有两项，如 选项（是/否）".into());
    }
    Ok(ColumnKind::Choice(answers))
}

impl Formula {
    fn parse(s: &str) -> Result<Formula, String> {
        let ops = [
            ('÷', Op::Rate),
            ('/', Op::Rate),
            ('－', Op::Minus),
            ('−', Op::Minus),
        ];
        let ops = ops
            .into_iter()
            .chain([('-', Op::Minus), ('+', Op::Plus), ('＋', Op::Plus)]);
        let mut found = None;
        for (c, op) in ops {
            if let Some((l, r)) = s.split_once(c) {
                if found.is_some() || r.contains(c) {
                    return Err(format!("计算列“={s}”只能有一个运算符（÷ − +）"));
                }
                found = Some((l.trim(), op, r.trim()));
            }
        }
        match found {
            Some((l, op, r)) if !l.is_empty() && !r.is_empty() => Ok(Formula {
                left: l.to_string(),
                op,
                right: r.to_string(),
            }),
            _ => Err(format!(
                "计算列“={s}”应写成“=列名 ÷ 列名”（或 − +），列名取表头文字"
            )),
        }
    }

    /// A share: `left ÷ 合计`, each row's part of its column's total.
    pub fn is_share(&self) -> bool {
        self.op == Op::Rate && SHARE_OF.contains(&self.right.as_str())
    }

    /// The columns of `left` and `right` among `names` (each column's
    /// header texts, top to bottom); a share's right is its left.
    pub fn resolve(&self, names: &[Vec<String>]) -> Result<(usize, usize), String> {
        let left = column(&self.left, names)?;
        if self.is_share() {
            return Ok((left, left));
        }
        Ok((left, column(&self.right, names)?))
    }

    /// The value of the formula for `left` and `right`: a rate to two
    /// places with "%", "—" for a zero denominator; a difference or a sum
    /// to the places of its operands.
    pub fn apply(&self, left: &BigDecimal, right: &BigDecimal) -> String {
        match self.op {
            Op::Rate if right.is_zero() => NO_RATE.to_string(),
            Op::Rate => {
                let rate = (left * BigDecimal::from(100)) / right;
                let rate = rate.with_scale_round(RATE_PLACES, RoundingMode::HalfUp);
                format!("{}%", rate.to_plain_string())
            }
            Op::Minus => (left - right).to_plain_string(),
            Op::Plus => (left + right).to_plain_string(),
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let op = match self.op {
            Op::Rate => "÷",
            Op::Minus => "−",
            Op::Plus => "+",
        };
        write!(f, "={} {op} {}", self.left, self.right)
    }
}

/// The column `name` stands for: 第N列, or the one column with a header
/// text equal to it, with or without its trailing （单位）.
fn column(name: &str, names: &[Vec<String>]) -> Result<usize, String> {
    if let Some(n) = name
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('列'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        return if (1..=names.len()).contains(&n) {
            Ok(n - 1)
        } else {
            Err(format!(
                "计算列用到的第{n}列不存在（表格共 {} 列）",
                names.len()
            ))
        };
    }
    let plain = |s: &str| -> String {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        match s.find(['（', '(']) {
            Some(i) if s.ends_with(['）', ')']) && i > 0 => s[..i].to_string(),
            _ => s,
        }
    };
    let want = plain(name);
    let hits: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, texts)| texts.iter().any(|t| t.trim() == name || plain(t) == want))
        .map(|(c, _)| c)
        .collect();
    match hits.as_slice() {
        [c] => Ok(*c),
        [] => Err(format!("计算列用到的“{name}”不是表头中的列名")),
        _ => Err(format!(
            "计算列用到的“{name}”在表头中出现 {} 次，请写“第N列”",
            hits.len()
        )),
    }
}

impl ScalarOrMap for ColumnKind {
    const EXPECTING: &'static str = "列类型：计数、金额、小数3、百分比、文本，或 {计算: 甲 ÷ 乙}";
    type Fields = KindFields;
    fn from_scalar(text: String) -> Result<Self, String> {
        ColumnKind::parse(&text)
    }
    fn from_fields(f: KindFields) -> Result<Self, String> {
        match (f.formula, f.places, f.answers) {
            (Some(formula), None, None) => Formula::parse(&formula.0).map(ColumnKind::Computed),
            (None, Some(places), None) => ColumnKind::parse(&format!("小数{}", places.0)),
            (None, None, Some(answers)) => choice(answers.iter().map(|a| a.0.as_str())),
            _ => Err("列类型写 {计算: 甲 ÷ 乙}、{小数位: 2} 或 {选项: [是, 否]}，只写一种".into()),
        }
    }
}

/// The map form of a 列类型.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindFields {
    #[serde(rename = "计算", default)]
    formula: Option<Scalar>,
    #[serde(rename = "小数位", default)]
    places: Option<Scalar>,
    #[serde(rename = "选项", default)]
    answers: Option<Vec<Scalar>>,
}

impl<'de> Deserialize<'de> for ColumnKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar_or_map(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> BigDecimal {
        s.parse().unwrap()
    }

    #[test]
    fn kinds_are_read_as_offices_write_them() {
        assert_eq!(ColumnKind::parse("金额"), Ok(ColumnKind::Decimal(2)));
        assert_eq!(ColumnKind::parse("小数（3位）"), Ok(ColumnKind::Decimal(3)));
        assert_eq!(ColumnKind::parse("百分比"), Ok(ColumnKind::Percent));
        assert!(ColumnKind::parse("小数9").is_err());
        assert!(ColumnKind::parse("货币").is_err());
        assert_eq!(ColumnKind::parse("日期"), Ok(ColumnKind::Date));
        let yes_no = ColumnKind::Choice(vec!["是".into(), "否".into()]);
        assert_eq!(ColumnKind::parse("选项（是/否）"), Ok(yes_no.clone()));
        assert_eq!(ColumnKind::parse("是／否"), Ok(yes_no));
        assert!(ColumnKind::parse("选项（是）").is_err());
        let ColumnKind::Computed(f) = ColumnKind::parse("=已整改 ÷ 发现隐患").unwrap()
        else {
            panic!("a formula")
        };
        assert_eq!(
            (f.left.as_str(), f.op, f.right.as_str()),
            ("已整改", Op::Rate, "发现隐患")
        );
        assert!(ColumnKind::parse("=甲").is_err());
        assert!(ColumnKind::parse("=甲/乙/丙").is_err());
    }

    #[test]
    fn rates_round_half_up_and_a_zero_denominator_prints_a_dash() {
        let f = Formula::parse("甲/乙").unwrap();
        assert_eq!(f.apply(&d("6"), &d("7")), "85.71%");
        assert_eq!(f.apply(&d("1"), &d("8")), "12.50%");
        assert_eq!(f.apply(&d("5"), &d("0")), NO_RATE);
        let f = Formula::parse("甲-乙").unwrap();
        assert_eq!(f.apply(&d("12.35"), &d("2.3")), "10.05");
    }

    #[test]
    fn columns_are_found_by_header_text_with_or_without_their_unit() {
        let names = vec![
            vec!["行业".to_string()],
            vec!["隐患".to_string(), "发现（项）".to_string()],
            vec!["隐患".to_string(), "已整改（项）".to_string()],
        ];
        let f = Formula::parse("已整改 ÷ 发现").unwrap();
        assert_eq!(f.resolve(&names), Ok((2, 1)));
        assert!(Formula::parse("隐患/发现")
            .unwrap()
            .resolve(&names)
            .is_err());
        assert_eq!(
            Formula::parse("第3列/第2列").unwrap().resolve(&names),
            Ok((2, 1))
        );
        assert!(Formula::parse("第9列/第2列")
            .unwrap()
            .resolve(&names)
            .is_err());
    }
}
