//! Returns: what units send back — the workbooks gongwen wrote (read with
//! calamine), CSV (one row per unit), or YAML — checked value by value.
//! Every problem names its file, sheet and cell; a bad value is never summed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use bigdecimal::{BigDecimal, Zero};

use super::{workbook, Form, Unit};
use crate::content::columns::ColumnKind;

/// The CSV column holding the unit id.
pub const ID_COLUMN: &str = "单位编号";

/// One unit's return.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub unit: String,
    pub date: Option<String>,
    /// The other 填报栏 fields as the unit filled them (填报人, 联系电话 …).
    pub fields: BTreeMap<String, String>,
    /// Values that were not accepted, as written, by cell (`Form::cells`
    /// order): the filled form shows what the unit wrote.
    pub rejected: BTreeMap<usize, String>,
    /// One value per fill cell of the form (`Form::cells` order); `None` where
    /// the cell was empty or invalid.
    pub values: Vec<Option<String>>,
    /// Rows the unit changed (deleted, inserted), each with its place: said
    /// in the report, never dropped in silence.
    pub rows_changed: Vec<(Place, String)>,
    /// Value cells the unit filled with a formula, with the formula: its
    /// value is used, and the report says so.
    pub formulas: Vec<(Place, String)>,
}

/// Where a problem is: file, and sheet and cell where there are such.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(s) = &self.sheet {
            write!(f, " 工作表“{s}”")?;
        }
        if let Some(c) = &self.cell {
            write!(f, " {c}")?;
        }
        Ok(())
    }
}

/// A problem with the returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A unit sent nothing.
    Missing { unit: String, name: String },
    /// A return names a unit that is not on the list.
    UnknownUnit { at: Place, id: String },
    /// A second return for the same unit of the same date from the same
    /// moment; it is left out.
    Duplicate {
        at: Place,
        id: String,
        first: String,
    },
    /// An older return replaced by the unit's later one (a corrected
    /// resubmission): the later 填报日期 wins, then the later file.
    Replaced { at: Place, id: String, by: String },
    /// A 填报日期 that is not a date: printed as written, and reported.
    BadDate {
        at: Place,
        unit: String,
        found: String,
        why: String,
    },
    /// A value that is not a whole number ≥ 0; left out.
    BadValue { typed: Typed, why: &'static str },
    /// A value typed with its unit of measure ("232家" where the item is
    /// counted in 家): read without it, and said.
    Measure { typed: Typed, read: String },
    /// A value cell holding a formula the unit typed: its value is used.
    Formula {
        at: Place,
        unit: String,
        formula: String,
    },
    /// A value left empty; left out.
    Empty {
        at: Place,
        unit: String,
        item: String,
    },
    /// A row the unit deleted or inserted in the form: its values were not
    /// counted (a deleted row's are empty, an inserted row's unknown).
    RowChanged {
        at: Place,
        unit: String,
        what: String,
    },
    /// A file that could not be read as a return at all.
    Unreadable { at: Place, why: String },
    /// A file that could not be read, but is recognisably a unit's (its
    /// name carries the unit's 编号, 名称 or 简称): the unit has reported and
    /// must send it again, not be chased as if it had sent nothing.
    Received {
        at: Place,
        unit: String,
        name: String,
        why: String,
    },
    /// A 填报栏 field with a character no font has: it would print as
    /// nothing on the filled form.
    Unprintable {
        at: Place,
        unit: String,
        field: String,
        found: String,
        ch: char,
    },
}

/// What a unit typed in one value cell, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub at: Place,
    pub unit: String,
    pub item: String,
    pub found: String,
}

impl fmt::Display for Typed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let Typed {
            at,
            unit,
            item,
            found,
        } = self;
        write!(f, "{at}：{unit} 的“{item}”填了“{}”", shorten(found))
    }
}

impl Problem {
    /// Missing returns and empty cells are the normal state before a
    /// deadline; the rest are errors in what was sent.
    pub fn is_error(&self) -> bool {
        match self {
            // Not yet reported, or not filled in: the state before a deadline.
            Problem::Missing { .. } | Problem::Empty { .. } => false,
            // Read, and said how: 232家 as 232, a formula by its value.
            Problem::Measure { .. } | Problem::Formula { .. } => false,
            // A later return replaced it; a date printed as written.
            Problem::Replaced { .. } | Problem::BadDate { .. } => false,
            _ => true,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing { unit, name } => write!(f, "未报送：{name}（{unit}）"),
            Problem::UnknownUnit { at, id } => {
                let id = shorten(id);
                write!(f, "{at}：单位编号“{id}”不在填报单位名单中，未计入")
            }
            Problem::Duplicate { at, id, first } => {
                write!(f, "{at}：单位“{id}”重复报送（已采用 {first}），此份未计入")
            }
            Problem::BadDate {
                at,
                unit,
                found,
                why,
            } => {
                let found = shorten(found);
                write!(
                    f,
                    "{at}：{unit} 的填报日期“{found}”有误（{why}），按原样印出"
                )
            }
            Problem::Replaced { at, id, by } => {
                write!(f, "{at}：单位“{id}”后来重新报送，已改用 {by}，此份不再计入")
            }
            Problem::BadValue { typed, why } => write!(f, "{typed}，{why}，未计入"),
            Problem::Empty { at, unit, item } => write!(f, "{at}：{unit} 的“{item}”未填写，未计入"),
            Problem::Measure { typed, read } => {
                write!(f, "{typed}，按 {read} 计入（计量单位不必填写）")
            }
            Problem::RowChanged { at, unit, what } => write!(f, "{at}：{unit} 的表格{what}"),
            Problem::Formula { at, unit, formula } => {
                let formula = shorten(formula);
                write!(f, "{at}：{unit} 在此格填的是公式“={formula}”，按其计算结果计入")
            }
            Problem::Unreadable { at, why } => write!(f, "{at}：无法读取：{why}"),
            Problem::Received {
                at,
                unit,
                name,
                why,
            } => write!(
                f,
                "{at}：已收到{name}（{unit}）的报送，但无法读取：{why}；请该单位用下发的表格重新报送"
            ),
            Problem::Unprintable {
                at,
                unit,
                field,
                found,
                ch,
            } => {
                let found = shorten(found);
                write!(
                    f,
                    "{at}：{unit} 的“{field}”填了“{found}”，其中“{ch}”（U+{:04X}）没有任何字体能显示，填报表上会缺这个字；请安装含此字的字体或用 --font-path 指定",
                    *ch as u32
                )
            }
        }
    }
}

/// What a report quotes of a value: at most 40 characters (a cell may hold
/// megabytes).
fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…（共 {} 字）", s.chars().count())
    }
}

/// A value as found in a return, before checking.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Raw {
    Empty,
    /// A whole number as the file stores it (Excel integers, YAML integers).
    Int(i64),
    /// A number the file stores as floating point (most Excel cells).
    Float(f64),
    /// Text, possibly holding a number ("12", "１２", "1,234").
    Text(String),
    /// A date: the cell was formatted or typed as one.
    Date(String),
}

/// The largest value a return may report: a trillion. No count or amount
/// comes near it, and 100,000 units of it still sum far inside any limit.
pub const MAX_VALUE: i64 = 1_000_000_000_000;

/// Checks one value against what its column holds: a whole number from 0 to
/// `MAX_VALUE` (计数), a number with at most the column's decimal places
/// (金额, padded to them: 12.3 → 12.30), a percentage (95, 95% or, from a
/// percent-formatted workbook cell, 0.95 — kept as 95), or any text. The
/// value is kept as exact decimal text: numbers never pass through floating
/// point unless the file stored them so, and then only as Excel shows them.
fn check(raw: Raw, kind: &ColumnKind, year: i32) -> Result<Option<String>, (String, &'static str)> {
    match (kind, &raw) {
        (_, Raw::Empty) => return Ok(None),
        (ColumnKind::Date, _) => return date_value(raw, year),
        (ColumnKind::Choice(answers), _) => return answer(raw, answers),
        _ => {}
    }
    let (text, shown, fraction) = match raw {
        Raw::Empty => return Ok(None),
        Raw::Date(d) if matches!(kind, ColumnKind::Text) => return Ok(Some(d)),
        Raw::Date(d) => return Err((d, "是日期，不是数字")),
        Raw::Int(n) => (n.to_string(), n.to_string(), false),
        Raw::Float(f) if !f.is_finite() => return Err((f.to_string(), "不是数字")),
        Raw::Float(f) => (format_float(f), format_float(f), true),
        Raw::Text(t) => {
            if matches!(kind, ColumnKind::Text) {
                let t = t.trim();
                return Ok((!t.is_empty()).then(|| t.to_string()));
            }
            // Full-width digits and signs as an input method types them,
            // thousands separators as Excel shows them.
            let n: String = t
                .trim()
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                    '－' => '-',
                    '．' => '.',
                    '％' => '%',
                    c => c,
                })
                .filter(|c| !matches!(c, ',' | '，' | ' '))
                .collect();
            (n, t.trim().to_string(), false)
        }
    };
    if text.is_empty() {
        return Ok(None);
    }
    if matches!(kind, ColumnKind::Text) {
        return Ok(Some(shown));
    }
    let percent = matches!(kind, ColumnKind::Percent);
    let (number, typed_percent) = match text.strip_suffix('%') {
        Some(n) if percent => (n, true),
        _ => (text.as_str(), false),
    };
    // Only digits, a sign and a point: "1e3" is not how a value is
    // written, and "1e-400" would read as 0.
    let digits = number.strip_prefix(['-', '+']).unwrap_or(number);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        || int.len() + frac.len() > 40
    {
        return Err((shown, "不是数字"));
    }
    let mut value: BigDecimal = number.parse().map_err(|_| (shown.clone(), "不是数字"))?;
    // A percent-formatted workbook cell stores 95% as 0.95.
    if percent && fraction && !typed_percent {
        value *= BigDecimal::from(100);
    }
    if value < BigDecimal::zero() {
        return Err((shown, "不能为负数"));
    }
    if value > MAX_VALUE {
        return Err((shown, "数值过大（上限一万亿）"));
    }
    let value = value.normalized();
    let places = value.fractional_digit_count().max(0);
    match kind {
        ColumnKind::Auto | ColumnKind::Count if places > 0 => Err((shown, "应为整数")),
        ColumnKind::Decimal(p) if places > i64::from(*p) => Err((
            shown,
            match p {
                0 => "应为整数",
                1 => "最多 1 位小数",
                2 => "最多 2 位小数",
                3 => "最多 3 位小数",
                _ => "小数位太多",
            },
        )),
        ColumnKind::Decimal(p) => Ok(Some(value.with_scale(i64::from(*p)).to_plain_string())),
        // A computed column is never read: it is computed again.
        _ => Ok(Some(value.to_plain_string())),
    }
}

/// A date however it was typed (2026.6.28, 6月28日 in the notice's year, a
/// date cell), as the standard prints dates: 2026年6月28日.
fn date_value(raw: Raw, year: i32) -> Result<Option<String>, (String, &'static str)> {
    let t = match raw {
        Raw::Empty => return Ok(None),
        Raw::Date(d) | Raw::Text(d) => d.trim().to_string(),
        Raw::Int(n) => n.to_string(),
        Raw::Float(f) => format_float(f),
    };
    if t.is_empty() {
        return Ok(None);
    }
    let parse = crate::content::Date::parse;
    parse(&t)
        .or_else(|e| {
            [format!("{year}年{t}"), format!("{year}-{t}")]
                .iter()
                .find_map(|full| parse(full).ok())
                .ok_or(e)
        })
        .map(|d| Some(d.chinese()))
        .map_err(|_| (t, "不是日期"))
}

/// One of a 选项 column's answers, with the box a unit may have ticked
/// (☑是, √是) taken off.
fn answer(raw: Raw, answers: &[String]) -> Result<Option<String>, (String, &'static str)> {
    let t = match raw {
        Raw::Empty => return Ok(None),
        Raw::Date(d) | Raw::Text(d) => d,
        Raw::Int(n) => n.to_string(),
        Raw::Float(f) => format_float(f),
    };
    let a = t
        .trim()
        .trim_start_matches(['☑', '√', '✓', '■', '☒', '✔', ' '])
        .trim();
    if a.is_empty() {
        return Ok(None);
    }
    match answers.iter().find(|x| x.as_str() == a) {
        Some(x) => Ok(Some(x.clone())),
        None => Err((t.trim().to_string(), "不是可选的答案")),
    }
}

/// `raw` without a trailing `measure` ("232家" → "232" where the item is
/// counted in 家), and what was typed when one was taken off.
fn without_measure(raw: Raw, measure: Option<&str>) -> (Raw, Option<String>) {
    let (Raw::Text(t), Some(m)) = (&raw, measure.map(str::trim)) else {
        return (raw, None);
    };
    match t.trim().strip_suffix(m) {
        Some(number) if !m.is_empty() && !number.trim().is_empty() => {
            (Raw::Text(number.trim().to_string()), Some(t.clone()))
        }
        _ => (raw, None),
    }
}

/// A float as people write it: no ".0" on whole numbers.
fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// The extensions read as returns.
const ACCEPTED: &[&str] = &["xlsx", "xlsm", "xls", "et", "ods", "csv", "yaml", "yml"];

/// Files gongwen itself writes, never read back as returns (when `-o` is
/// the data folder).
const OUTPUTS: &[&str] = &[
    "汇总表.csv",
    "汇总表.pdf",
    "汇总表.xlsx",
    "汇总表.ofd",
    "汇总明细.csv",
    "校验报告.txt",
    "催报名单.txt",
];
const OUTPUT_DIRS: &[&str] = &["已填报", "填报表"];

/// Reads every return under `path` (a file, or a folder searched for .xlsx,
/// .csv, .yaml and .yml), in file-name order, and checks them against the
/// form and the units. Returns the accepted returns and every problem.
pub fn read(path: &Path, form: &Form, units: &[Unit]) -> (Vec<Return>, Vec<Problem>) {
    read_checked(path, form, units, &|_| None)
}

/// `read`, with the 填报栏 fields a unit wrote (填报人, 联系电话 …) checked by
/// `unprintable` (the first character no font has): such a character would
/// print as nothing on the filled form, so it is reported.
pub fn read_checked(
    path: &Path,
    form: &Form,
    units: &[Unit],
    unprintable: &dyn Fn(&str) -> Option<char>,
) -> (Vec<Return>, Vec<Problem>) {
    let (mut files, skipped) = crate::office::files::returned(path, OUTPUTS, OUTPUT_DIRS);
    let mut problems: Vec<Problem> = skipped
        .into_iter()
        .map(|(f, why)| Problem::Unreadable {
            at: place(&f, None, None),
            why,
        })
        .collect();
    // A file of another kind is reported, never skipped in silence: its
    // unit would otherwise show as 未报送.
    files.retain(|f| {
        let ext = crate::office::files::extension(f);
        let ok = ACCEPTED.contains(&ext.as_str());
        if !ok {
            problems.push(Problem::Unreadable {
                at: place(f, None, None),
                why: format!(
                    "不接受这种文件（{}）；请交回 Excel（.xlsx/.xls/.et）、CSV 或 YAML 格式的填报表",
                    if ext.is_empty() { "无扩展名".to_string() } else { format!(".{ext}") }
                ),
            });
        }
        ok
    });
    let mut found: Found = Vec::new();
    for file in &files {
        let ext = crate::office::files::extension(file);
        let res = match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "et" | "ods" => workbook::read(file, form),
            "csv" => read_csv(file, form, units),
            "yaml" | "yml" => read_yaml(file, form),
            _ => Err(format!("不认识的文件类型“{ext}”")),
        };
        match res {
            Ok(list) => found.extend(list),
            Err(why) => problems.push(Problem::Unreadable {
                at: place(file, None, None),
                why,
            }),
        }
    }
    // A 填报日期 written without its year (6月28日, 6.28) is in the notice's.
    for (_, ret, _) in found.iter_mut() {
        let Some(d) = ret.date.as_deref().map(str::trim) else {
            continue;
        };
        if crate::content::Date::parse(d).is_ok() || d.contains('年') {
            continue;
        }
        let with_year = [format!("{}年{d}", form.year), format!("{}-{d}", form.year)]
            .iter()
            .find_map(|full| crate::content::Date::parse(full).ok());
        if let Some(full) = with_year {
            ret.date = Some(full.chinese());
        }
    }
    let known: BTreeMap<&str, &Unit> = units.iter().map(|u| (u.id.as_str(), u)).collect();
    // Each unit's latest return counts; the ones it replaced are reported.
    let mut latest: BTreeMap<String, usize> = BTreeMap::new();
    for (i, f) in found.iter().enumerate() {
        match latest.get(&f.1.unit) {
            Some(&j) if newer(f, &found[j]).is_le() => {}
            _ => {
                latest.insert(f.1.unit.clone(), i);
            }
        }
    }
    let chosen: BTreeMap<String, Place> = latest
        .iter()
        .map(|(unit, &i)| (unit.clone(), found[i].0.clone()))
        .collect();
    let mut accepted: Vec<Return> = Vec::new();
    let cells = form.cells();
    for (i, f) in found.iter().enumerate() {
        let (at, ret) = (&f.0, &f.1);
        if !known.contains_key(ret.unit.as_str()) || latest.get(&ret.unit) == Some(&i) {
            continue;
        }
        let by = chosen[&ret.unit].clone();
        let tie = newer(f, &found[latest[&ret.unit]]).is_eq();
        problems.push(if tie {
            Problem::Duplicate {
                at: at.clone(),
                id: ret.unit.clone(),
                first: by.to_string(),
            }
        } else {
            Problem::Replaced {
                at: at.clone(),
                id: ret.unit.clone(),
                by: by.to_string(),
            }
        });
    }
    for (i, (at, mut ret, raws)) in found.into_iter().enumerate() {
        let Some(unit) = known.get(ret.unit.as_str()) else {
            problems.push(Problem::UnknownUnit { at, id: ret.unit });
            continue;
        };
        if latest.get(&ret.unit) != Some(&i) {
            continue;
        }
        if let Some(d) = &ret.date {
            if let Err(why) = crate::content::Date::parse(d) {
                problems.push(Problem::BadDate {
                    at: at.clone(),
                    unit: unit.name.clone(),
                    found: d.clone(),
                    why,
                });
            }
        }
        for (at, formula) in std::mem::take(&mut ret.formulas) {
            problems.push(Problem::Formula {
                at,
                unit: unit.name.clone(),
                formula,
            });
        }
        for (at, what) in std::mem::take(&mut ret.rows_changed) {
            problems.push(Problem::RowChanged {
                at,
                unit: unit.name.clone(),
                what,
            });
        }
        let written = ret.date.iter().map(|d| (super::DATE_FIELD, d));
        for (field, value) in ret
            .fields
            .iter()
            .map(|(f, v)| (f.as_str(), v))
            .chain(written)
        {
            if let Some(c) = unprintable(value) {
                problems.push(Problem::Unprintable {
                    at: at.clone(),
                    unit: unit.name.clone(),
                    field: field.to_string(),
                    found: value.clone(),
                    ch: c,
                });
            }
        }
        let mut rejected = BTreeMap::new();
        ret.values = raws
            .into_iter()
            .zip(&cells)
            .enumerate()
            .map(|(i, ((at, raw), (r, c)))| {
                let item = form.cell_names()[i].clone();
                // "232家" where the item is counted in 家: read, and said.
                let (raw, typed) = without_measure(raw, form.measure(*r));
                match check(raw, form.kind(*c), form.year) {
                    Ok(Some(v)) => {
                        if let Some(found) = typed {
                            let typed = Typed {
                                at,
                                unit: unit.name.clone(),
                                item,
                                found,
                            };
                            problems.push(Problem::Measure {
                                typed,
                                read: v.clone(),
                            });
                        }
                        Some(v)
                    }
                    Ok(None) => {
                        problems.push(Problem::Empty {
                            at,
                            unit: unit.name.clone(),
                            item,
                        });
                        None
                    }
                    Err((found, why)) => {
                        // Marked, so that a rejected -3 or 2.5 is never
                        // read as a value (nor summed by the form's 合计).
                        rejected.insert(i, format!("{}（未计入）", shorten(&found)));
                        let typed = Typed {
                            at,
                            unit: unit.name.clone(),
                            item,
                            found,
                        };
                        problems.push(Problem::BadValue { typed, why });
                        None
                    }
                }
            })
            .collect();
        ret.rejected = rejected;
        accepted.push(ret);
    }
    let got: BTreeSet<String> = accepted.iter().map(|r| r.unit.clone()).collect();
    // Files that could not be read but are recognisably a unit's: that unit
    // has reported (and must resend), it has not failed to report.
    for p in problems.iter_mut() {
        let Problem::Unreadable { at, why } = p else {
            continue;
        };
        let hidden = || {
            let id = workbook::unit_of(&at.file)?;
            units.iter().find(|u| u.id == id)
        };
        // A CSV (the form sheet saved as one) names its unit near the top.
        let named_inside = || {
            if crate::office::files::extension(&at.file) != "csv" {
                return None;
            }
            let text = crate::office::text::read_text(&at.file).ok()?;
            let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
            let mut named = units.iter().filter(|u| head.contains(u.name.as_str()));
            match (named.next(), named.next()) {
                (Some(u), None) => Some(u),
                _ => None,
            }
        };
        if let Some(u) = sender(&at.file, units)
            .or_else(hidden)
            .or_else(named_inside)
            .filter(|u| !got.contains(&u.id))
        {
            *p = Problem::Received {
                at: at.clone(),
                unit: u.id.clone(),
                name: u.name.clone(),
                why: why.clone(),
            };
        }
    }
    let received: BTreeSet<String> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::Received { unit, .. } => Some(unit.clone()),
            _ => None,
        })
        .collect();
    for u in units
        .iter()
        .filter(|u| !got.contains(&u.id) && !received.contains(&u.id))
    {
        problems.push(Problem::Missing {
            unit: u.id.clone(),
            name: u.name.clone(),
        });
    }
    (accepted, problems)
}

/// The unit a returned file is from, told by its name as gongwen names
/// forms (`<编号>-<名称>.xlsx`) or as units rename them (their 名称 or
/// 简称 in it); none when no unit, or more than one, fits.
fn sender<'a>(file: &Path, units: &'a [Unit]) -> Option<&'a Unit> {
    let stem = file.file_stem()?.to_string_lossy();
    // The longest 编号 the name starts with (编号 may hold "-" themselves).
    let by_id = units
        .iter()
        .filter(|u| {
            stem == u.id.as_str()
                || stem
                    .strip_prefix(u.id.as_str())
                    .is_some_and(|rest| rest.starts_with(['-', '_', ' ']))
        })
        .max_by_key(|u| u.id.len());
    if by_id.is_some() {
        return by_id;
    }
    let by_name: Vec<&Unit> = units
        .iter()
        .filter(|u| {
            stem.contains(u.name.as_str())
                || u.short
                    .as_deref()
                    .is_some_and(|s| !s.is_empty() && stem.contains(s))
        })
        .collect();
    match by_name.as_slice() {
        [u] => Some(u),
        _ => None,
    }
}

pub(super) fn place(file: &Path, sheet: Option<&str>, cell: Option<String>) -> Place {
    Place {
        file: file.to_path_buf(),
        sheet: sheet.map(str::to_string),
        cell,
    }
}

/// Returns as found in a file: where each is, its unit and date, and its
/// raw values with their places.
pub(super) type Found = Vec<(Place, Return, Vec<(Place, Raw)>)>;

pub(super) fn new_return(unit: String, date: Option<String>) -> Return {
    // A 填报日期 as the standard prints dates (2019年3月20日), however typed.
    let date = date.map(|d| {
        crate::content::Date::parse(&d)
            .map(|d| d.chinese())
            .unwrap_or(d)
    });
    Return {
        unit,
        date,
        fields: BTreeMap::new(),
        rejected: BTreeMap::new(),
        values: Vec::new(),
        rows_changed: Vec::new(),
        formulas: Vec::new(),
    }
}

/// Which of a unit's returns counts: the later 填报日期, then the file
/// saved later (a corrected resubmission replaces the first).
fn newer(
    a: &(Place, Return, Vec<(Place, Raw)>),
    b: &(Place, Return, Vec<(Place, Raw)>),
) -> std::cmp::Ordering {
    let date = |r: &Return| {
        r.date
            .as_deref()
            .and_then(|d| crate::content::Date::parse(d).ok())
    };
    let saved = |p: &Place| std::fs::metadata(&p.file).and_then(|m| m.modified()).ok();
    date(&a.1)
        .cmp(&date(&b.1))
        .then_with(|| saved(&a.0).cmp(&saved(&b.0)))
}

/// CSV: a header row `单位编号,[填报日期,][单位名称,]<row names…>`, then one
/// row per unit (the 汇总表 CSV has this shape too; its 合计 row is skipped).
fn read_csv(file: &Path, form: &Form, units: &[Unit]) -> Result<Found, String> {
    let (header, records) = crate::office::csv::read(file)?;
    // No 单位编号 column: perhaps the form sheet itself, saved as CSV.
    if !header.iter().any(|h| h == ID_COLUMN) {
        return workbook::read_sheet_csv(file, form, units);
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let id_col = col(ID_COLUMN).ok_or_else(|| format!("第 1 行缺少“{ID_COLUMN}”列"))?;
    let date_col = col(super::DATE_FIELD);
    let mut value_cols = Vec::new();
    for name in form.cell_names() {
        value_cols.push(col(name).ok_or_else(|| format!("第 1 行缺少“{name}”列"))?);
    }
    let extra_fields = form.extra_fields();
    let known: BTreeSet<&str> = ["序号", ID_COLUMN, "单位名称", super::DATE_FIELD]
        .into_iter()
        .chain(extra_fields.iter().map(String::as_str))
        .collect();
    let names: BTreeSet<String> = form.cell_names().iter().cloned().collect();
    if let Some(extra) = header
        .iter()
        .find(|h| !h.is_empty() && !known.contains(h.as_str()) && !names.contains(*h))
    {
        return Err(format!("第 1 行的列“{extra}”不是统计表中的项目"));
    }
    let mut out = Vec::new();
    for (i, rec) in records.iter().enumerate() {
        let line = crate::office::csv::line(rec, i);
        // A value in a column without a heading, or beyond the last one,
        // belongs to no item: refused rather than dropped.
        if let Some(c) = (0..rec.len())
            .find(|&c| header.get(c).is_none_or(|h| h.is_empty()) && !rec[c].trim().is_empty())
        {
            return Err(format!(
                "第 {line} 行第 {} 列有“{}”，但第 1 行这一列没有列名；多出的格子不知道属于哪一项",
                c + 1,
                rec[c].trim()
            ));
        }
        let id = rec.get(id_col).unwrap_or("").trim().to_string();
        if id.is_empty() || id == "合计" {
            continue;
        }
        let at = place(file, None, Some(format!("第 {line} 行")));
        let date = date_col
            .and_then(|c| rec.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let raws = value_cols
            .iter()
            .map(|c| {
                let cell = format!("第 {line} 行第 {} 列", c + 1);
                (
                    place(file, None, Some(cell)),
                    Raw::Text(rec.get(*c).unwrap_or("").to_string()),
                )
            })
            .collect();
        let mut ret = new_return(id, date);
        for f in &extra_fields {
            if let Some(v) = col(f).and_then(|c| rec.get(c)).map(str::trim) {
                if !v.is_empty() {
                    ret.fields.insert(f.clone(), v.to_string());
                }
            }
        }
        out.push((at.clone(), ret, raws));
    }
    Ok(out)
}

/// YAML: `单位编号`, optional `填报日期`, and per filled column a mapping from
/// row name to value (`数量: {组织普法活动: 3, …}`); a file may hold a list.
fn read_yaml(file: &Path, form: &Form) -> Result<Found, String> {
    let text = crate::content::text::read_text(file).map_err(|e| e.to_string())?;
    let doc: serde_yaml::Value = crate::content::decode(file, &text).map_err(|e| e.to_string())?;
    let items = match doc {
        serde_yaml::Value::Sequence(s) => s,
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let map = item
            .as_mapping()
            .ok_or_else(|| format!("第 {} 份不是键值表", i + 1))?;
        let get = |k: &str| map.get(serde_yaml::Value::String(k.into()));
        let scalar = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let id = get(ID_COLUMN)
            .and_then(scalar)
            .ok_or_else(|| format!("第 {} 份缺少“{ID_COLUMN}”", i + 1))?;
        let date = get(super::DATE_FIELD).and_then(scalar);
        let mut raws = Vec::new();
        for (r, c) in form.cells() {
            let column = &form.header[c];
            let key = form.key(r);
            let at = if key.is_empty() {
                place(file, None, Some(format!("{id}.{column}")))
            } else {
                place(file, None, Some(format!("{id}.{column}.{key}")))
            };
            // Without row names (a one-row form) the column holds the value.
            let v = if key.is_empty() {
                get(column)
            } else {
                get(column).and_then(|m| m.get(serde_yaml::Value::String(key.to_string())))
            };
            let raw = match v {
                None | Some(serde_yaml::Value::Null) => Raw::Empty,
                Some(serde_yaml::Value::Number(n)) => match n.as_i64() {
                    Some(i) => Raw::Int(i),
                    None => Raw::Float(n.as_f64().unwrap_or(f64::NAN)),
                },
                Some(serde_yaml::Value::String(s)) => Raw::Text(s.clone()),
                Some(other) => Raw::Text(format!("{other:?}")),
            };
            raws.push((at, raw));
        }
        let at = place(file, None, Some(format!("第 {} 份", i + 1)));
        let mut ret = new_return(id, date);
        for f in form.extra_fields() {
            if let Some(v) = get(&f).and_then(scalar).filter(|v| !v.trim().is_empty()) {
                ret.fields.insert(f, v.trim().to_string());
            }
        }
        out.push((at.clone(), ret, raws));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_quote_at_most_forty_characters() {
        let long = "很".repeat(1000);
        assert!(shorten(&long).chars().count() < 60);
        assert_eq!(shorten("12a"), "12a");
    }

    fn count(raw: Raw) -> Result<Option<String>, (String, &'static str)> {
        check(raw, &ColumnKind::Auto, 2026)
    }

    fn ok(s: &str) -> Result<Option<String>, (String, &'static str)> {
        Ok(Some(s.to_string()))
    }

    #[test]
    fn counts_are_whole_non_negative_numbers() {
        assert_eq!(count(Raw::Float(3.0)), ok("3"));
        assert_eq!(count(Raw::Empty), Ok(None));
        assert_eq!(count(Raw::Text("".into())), Ok(None));
        assert_eq!(count(Raw::Text("十二".into())).unwrap_err().1, "不是数字");
        assert_eq!(count(Raw::Float(2.5)).unwrap_err().1, "应为整数");
        assert_eq!(count(Raw::Text("-1".into())).unwrap_err().1, "不能为负数");
        assert_eq!(count(Raw::Text("NaN".into())).unwrap_err().1, "不是数字");
        assert_eq!(count(Raw::Text("inf".into())).unwrap_err().1, "不是数字");
        assert_eq!(count(Raw::Text("1e3".into())).unwrap_err().1, "不是数字");
        let (raw, typed) = without_measure(Raw::Text("232家".into()), Some("家"));
        assert_eq!((count(raw), typed.as_deref()), (ok("232"), Some("232家")));
        let (raw, typed) = without_measure(Raw::Text("家".into()), Some("家"));
        assert_eq!((raw, typed), (Raw::Text("家".into()), None));
        assert_eq!(count(Raw::Text("1e-400".into())).unwrap_err().1, "不是数字");
        // As offices type them: full-width digits, thousands separators.
        assert_eq!(count(Raw::Text("１２".into())), ok("12"));
        assert_eq!(count(Raw::Text("1,234".into())), ok("1234"));
        // Exact, never through a float; too large is an error, not a wrap.
        assert_eq!(count(Raw::Int(900_000_000_001)), ok("900000000001"));
        assert!(count(Raw::Text("9007199254740993".into())).is_err());
        assert!(count(Raw::Float(4e18)).is_err());
        assert!(count(Raw::Text("99999999999999999999999".into())).is_err());
        assert_eq!(
            count(Raw::Date("2019年3月1日".into())).unwrap_err().1,
            "是日期，不是数字"
        );
    }

    #[test]
    fn amounts_percentages_and_text_are_read_as_meant() {
        let amount = ColumnKind::Decimal(2);
        assert_eq!(check(Raw::Float(12.35), &amount, 2026), ok("12.35"));
        assert_eq!(check(Raw::Text("12.3".into()), &amount, 2026), ok("12.30"));
        assert_eq!(check(Raw::Int(7), &amount, 2026), ok("7.00"));
        assert_eq!(
            check(Raw::Text("１２．３５".into()), &amount, 2026),
            ok("12.35")
        );
        assert_eq!(
            check(Raw::Text("12.345".into()), &amount, 2026)
                .unwrap_err()
                .1,
            "最多 2 位小数"
        );
        let percent = ColumnKind::Percent;
        assert_eq!(check(Raw::Text("95%".into()), &percent, 2026), ok("95"));
        assert_eq!(check(Raw::Text("95".into()), &percent, 2026), ok("95"));
        assert_eq!(
            check(Raw::Text("99.5％".into()), &percent, 2026),
            ok("99.5")
        );
        // A percent-formatted workbook cell holds the fraction.
        assert_eq!(check(Raw::Float(0.95), &percent, 2026), ok("95"));
        assert_eq!(check(Raw::Float(1.0), &percent, 2026), ok("100"));
        assert_eq!(
            check(Raw::Text("95%".into()), &ColumnKind::Count, 2026)
                .unwrap_err()
                .1,
            "不是数字"
        );
        let text = ColumnKind::Text;
        assert_eq!(check(Raw::Text(" 是 ".into()), &text, 2026), ok("是"));
        assert_eq!(
            check(Raw::Text("91500000MA5U7XYZ12".into()), &text, 2026),
            ok("91500000MA5U7XYZ12")
        );
        assert_eq!(check(Raw::Int(5), &text, 2026), ok("5"));
        let date = ColumnKind::Date;
        assert_eq!(
            check(Raw::Text("2026.6.28".into()), &date, 2026),
            ok("2026年6月28日")
        );
        assert_eq!(
            check(Raw::Text("6月28日".into()), &date, 2026),
            ok("2026年6月28日")
        );
        assert_eq!(
            check(Raw::Date("2026-06-28".into()), &date, 2026),
            ok("2026年6月28日")
        );
        assert_eq!(
            check(Raw::Text("下周".into()), &date, 2026).unwrap_err().1,
            "不是日期"
        );
        let yes_no = ColumnKind::Choice(vec!["是".into(), "否".into()]);
        assert_eq!(check(Raw::Text("☑是".into()), &yes_no, 2026), ok("是"));
        assert_eq!(check(Raw::Text(" 否".into()), &yes_no, 2026), ok("否"));
        assert_eq!(
            check(Raw::Text("也许".into()), &yes_no, 2026)
                .unwrap_err()
                .1,
            "不是可选的答案"
        );
    }
}
