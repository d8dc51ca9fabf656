//! The 汇总: every unit's values side by side, a 合计 row of the accepted
//! values only, and a plain statement of what was left out.

use bigdecimal::{BigDecimal, Zero};

use super::returns::{Problem, Return};
use super::{Form, Unit};
use crate::content::columns::ColumnKind;
use crate::render::view::{AttachmentView, TableView};

#[derive(Debug, Clone)]
pub struct Summary {
    /// Units in list order with their accepted values (`None`: no return).
    pub rows: Vec<(Unit, Option<Vec<Option<String>>>)>,
    /// Per fill cell, the exact sum of the accepted values; `None` for a
    /// column that is never summed (百分比, 文本).
    pub totals: Vec<Option<String>>,
    /// Per fill cell, its form column (for how a value is printed) and
    /// what the column holds.
    pub form_columns: Vec<usize>,
    pub kinds: Vec<ColumnKind>,
    /// Column names: one per fill cell.
    pub columns: Vec<String>,
    /// Each column's unit of measure (场次, 人次 …), if the form has one.
    pub measures: Vec<Option<String>>,
    /// Values found invalid or empty (not summed).
    pub left_out: usize,
    pub missing: Vec<String>,
    /// Units whose file arrived but could not be read (to send again).
    pub resend: Vec<String>,
    /// How many units should report, and how many did (a 台账's rows are
    /// its entries, not its units).
    pub expected: usize,
    pub got: usize,
}

/// The most items a 汇总表 holds on a portrait page; more are set 横排.
const SUMMARY_PORTRAIT_ITEMS: usize = 6;

impl Summary {
    pub fn new(form: &Form, units: &[Unit], returns: &[Return], problems: &[Problem]) -> Summary {
        let columns: Vec<String> = form.cell_names().to_vec();
        let measures = form
            .cells()
            .into_iter()
            .map(|(r, _)| form.measure(r).map(str::to_string))
            .collect();
        let cells = form.cells();
        let mut sums: Vec<Option<BigDecimal>> = cells
            .iter()
            .map(|(_, c)| form.kind(*c).is_summed().then(BigDecimal::zero))
            .collect();
        let rows = units
            .iter()
            .map(|u| {
                let ret = returns.iter().find(|r| r.unit == u.id);
                if let Some(r) = ret {
                    for (t, v) in sums.iter_mut().zip(&r.values) {
                        if let (Some(t), Some(v)) =
                            (t, v.as_ref().and_then(|v| v.parse::<BigDecimal>().ok()))
                        {
                            *t += v;
                        }
                    }
                }
                (u.clone(), ret.map(|r| r.values.clone()))
            })
            .collect();
        let totals = sums
            .into_iter()
            .zip(&cells)
            .map(|(t, (_, c))| {
                let places = match form.kind(*c) {
                    ColumnKind::Decimal(p) => i64::from(*p),
                    _ => 0,
                };
                t.map(|t| t.with_scale(places).to_plain_string())
            })
            .collect();
        let left_out = problems
            .iter()
            .filter(|p| matches!(p, Problem::BadValue { .. } | Problem::Empty { .. }))
            .count();
        let named = |missing: bool| {
            let name = |p: &Problem| match p {
                Problem::Missing { name, .. } if missing => Some(name.clone()),
                Problem::Received { name, .. } if !missing => Some(name.clone()),
                _ => None,
            };
            problems.iter().filter_map(name).collect()
        };
        let (missing, resend) = (named(true), named(false));
        let got = returns
            .iter()
            .filter(|r| units.iter().any(|u| u.id == r.unit))
            .count();
        Summary {
            expected: units.len(),
            got,
            rows,
            totals,
            form_columns: cells.iter().map(|(_, c)| *c).collect(),
            kinds: cells.iter().map(|(_, c)| form.kind(*c).clone()).collect(),
            columns,
            measures,
            left_out,
            missing,
            resend,
        }
    }

    pub fn reported(&self) -> usize {
        self.got
    }

    /// A 台账's 汇总: every unit's entries, one row each with the unit
    /// first, the form's columns across, summed columns totalled; a unit
    /// that has not reported keeps its row (未报).
    pub fn ledger(&self, form: &Form) -> Summary {
        let width = form.fill_columns.len().max(1);
        let mut rows = Vec::new();
        for (u, vals) in &self.rows {
            match vals {
                None => rows.push((u.clone(), None)),
                Some(v) => rows.extend(
                    v.chunks(width)
                        .filter(|entry| entry.iter().any(Option::is_some))
                        .map(|entry| (u.clone(), Some(entry.to_vec()))),
                ),
            }
        }
        let kinds: Vec<ColumnKind> = form
            .fill_columns
            .iter()
            .map(|c| form.kind(*c).clone())
            .collect();
        let totals = kinds
            .iter()
            .enumerate()
            .map(|(k, kind)| {
                let places = match kind {
                    ColumnKind::Decimal(p) => i64::from(*p),
                    _ => 0,
                };
                kind.is_summed().then(|| {
                    let sum: BigDecimal = rows
                        .iter()
                        .filter_map(|(_, v)| {
                            v.as_ref()?.get(k)?.as_ref()?.parse::<BigDecimal>().ok()
                        })
                        .sum();
                    sum.with_scale(places).to_plain_string()
                })
            })
            .collect();
        Summary {
            rows,
            totals,
            form_columns: form.fill_columns.clone(),
            kinds,
            columns: form
                .fill_columns
                .iter()
                .map(|c| form.header[*c].clone())
                .collect(),
            measures: vec![None; form.fill_columns.len()],
            ..self.clone()
        }
    }

    /// The column headings as printed: each item with its unit of measure,
    /// 组织普法活动（场次）.
    pub fn headings(&self) -> Vec<String> {
        self.columns
            .iter()
            .zip(&self.measures)
            .map(|(c, m)| match m {
                Some(m) => format!("{c}（{m}）"),
                None => c.clone(),
            })
            .collect()
    }

    /// The count of units and the ones left out, as the 汇总表's note says it.
    pub fn note(&self) -> String {
        let mut note = format!(
            "应报 {} 个单位，已报送 {} 个，未报送 {} 个。",
            self.expected,
            self.reported(),
            self.missing.len()
        );
        if !self.missing.is_empty() {
            note.push_str(&format!("未报送：{}。", self.missing.join("、")));
        }
        if !self.resend.is_empty() {
            note.push_str(&format!(
                "已收到但文件无法读取、需重报：{}（未计入）。",
                self.resend.join("、")
            ));
        }
        if self.left_out > 0 {
            note.push_str(&format!(
                "有 {} 个数值未填或不合规，未计入合计（“—”处，详见校验报告）。",
                self.left_out
            ));
        }
        note
    }

    /// The summary as CSV: 序号, 单位编号, 单位名称, one column per item, and a 合计 row.
    pub fn csv(&self) -> Vec<u8> {
        let mut head = vec![
            "序号".to_string(),
            super::returns::ID_COLUMN.into(),
            "单位名称".into(),
        ];
        head.extend(self.columns.iter().cloned());
        let cell = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut records = vec![head];
        for (i, (u, vals)) in self.rows.iter().enumerate() {
            let mut rec = vec![(i + 1).to_string(), u.id.clone(), u.name.clone()];
            match vals {
                Some(v) => rec.extend(v.iter().map(cell)),
                None => rec.extend(self.columns.iter().map(|_| String::new())),
            }
            records.push(rec);
        }
        let mut total = vec![String::new(), "合计".into(), String::new()];
        total.extend(self.totals.iter().map(|t| t.clone().unwrap_or_default()));
        records.push(total);
        crate::office::csv::bytes(&records)
    }

    /// Every accepted value in long form, for any shape of form: 单位编号,
    /// 单位, 行 (the row's label), 列 (the column's header), 值 — what a
    /// pivot table or a database takes.
    pub fn long_csv(&self, form: &Form) -> Vec<u8> {
        let mut records = vec![["单位编号", "单位", "行", "列", "值"]
            .map(String::from)
            .to_vec()];
        for (u, vals) in &self.rows {
            let Some(vals) = vals else { continue };
            for ((r, c), v) in form.cells().into_iter().zip(vals) {
                if let Some(v) = v {
                    records.push(vec![
                        u.id.clone(),
                        u.name.clone(),
                        // A 台账's (or a one-row form's) row is its number.
                        Some(form.key(r))
                            .filter(|k| !k.is_empty())
                            .map_or_else(|| (r + 1).to_string(), str::to_string),
                        form.header[c].clone(),
                        v.clone(),
                    ]);
                }
            }
        }
        crate::office::csv::bytes(&records)
    }

    /// The 汇总表 page: units as rows, items as columns, a 合计 row, dated,
    /// with a note of what was not counted.
    pub fn view(&self, form: &Form, date: &str, size_pt: f64) -> AttachmentView {
        if form.is_matrix() {
            return self.form_view(form, date);
        }
        self.view_list(form, date, size_pt)
    }

    /// Units (or a 台账's entries) down, items across, a 合计 row.
    fn view_list(&self, form: &Form, date: &str, size_pt: f64) -> AttachmentView {
        // 填报单位, so that it is never read as the 计量单位 of the items.
        let mut header = vec!["序号".to_string(), "填报单位".into()];
        header.extend(self.headings());
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, (u, vals))| {
                let mut r = vec![(i + 1).to_string(), u.short_name().to_string()];
                match vals {
                    Some(v) => r.extend(
                        v.iter()
                            .zip(&self.form_columns)
                            .map(|(v, c)| v.as_ref().map_or("—".into(), |v| form.shown(*c, v))),
                    ),
                    None => r.extend(self.columns.iter().map(|_| "未报".to_string())),
                }
                r
            })
            .collect();
        let mut total = vec![String::new(), "合计".to_string()];
        total.extend(self.totals.iter().map(|t| t.clone().unwrap_or_default()));
        rows.push(total);
        let note = self.note();
        // Column shares: the units as wide as their longest short name, each
        // item wide enough for its heading in about three lines or its
        // longest number, so that the room is spread where the words are.
        let longest_name = self
            .rows
            .iter()
            .map(|(u, _)| u.short_name().chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, 8);
        let mut widths = vec![1.5, longest_name as f64];
        for (i, heading) in self.headings().iter().enumerate() {
            let digits = self.totals[i].as_ref().map_or(2, String::len) as f64 / 2.0 + 1.0;
            let words = (heading.chars().count() as f64 / 3.0).ceil();
            widths.push(words.max(digits).max(2.0));
        }
        let mut table = TableView::from_rows(header, rows, Some(widths)).breaking_headers();
        // An item's heading with its unit of measure may break between
        // characters, but not inside a number or after an opening mark.
        for (i, heading) in self.headings().iter().enumerate() {
            if let Some(cell) = table.header[0].get_mut(2 + i) {
                cell.words = heading_words(heading);
                if let Some(runs) = table.runs.get_mut(2 + i) {
                    runs.extend(cell.words.iter().cloned());
                }
            }
        }
        // A short unit name (黄浦区) is never broken.
        if let Some(runs) = table.runs.get_mut(1) {
            runs.extend(
                self.rows
                    .iter()
                    .map(|(u, _)| u.short_name())
                    .filter(|n| n.chars().count() <= 6)
                    .map(str::to_string),
            );
        }
        let title = format!("{}（汇总）", form.attachment.display_name());
        // The title, the 汇总日期 and the note go with the table, so that a
        // rotated 汇总表 carries them on its pages.
        AttachmentView {
            label: String::new(),
            title: Vec::new(),
            fill_fields: Vec::new(),
            table: Some(TableView {
                font_size: Some(size_pt),
                compact: true,
                // Units down, items across: wide, so rotated (§8).
                landscape: Some(self.columns.len() > SUMMARY_PORTRAIT_ITEMS),
                caption: Some(title),
                unit: Some(format!("汇总日期：{date}")),
                notes: vec![note],
                ..table
            }),
            body: Vec::new(),
            parts: Default::default(),
            note: None,
            separate: false,
        }
    }
}

impl Summary {
    /// The pages of the 汇总表: a matrix's form-shaped 汇总 followed by its
    /// 分单位明细 (units down, the form's value columns across, each the
    /// unit's total over the form's rows); any other form's one table.
    pub fn views(&self, form: &Form, date: &str, size_pt: f64) -> Vec<AttachmentView> {
        let main = self.view(form, date, size_pt);
        if !form.is_matrix() {
            return vec![main];
        }
        let mut by_unit = self.by_unit(form).view_list(form, date, size_pt);
        if let Some(t) = by_unit.table.as_mut() {
            t.caption = Some(format!("{}（分单位明细）", form.attachment.display_name()));
            t.notes = vec![format!(
                "各单位每列为本单位{}行之和；百分比、文本等不相加的列不列入。",
                form.rows.len()
            )];
        }
        vec![main, by_unit]
    }

    /// Units down and a matrix's summed value columns across, each cell the
    /// unit's exact total over the form's rows.
    fn by_unit(&self, form: &Form) -> Summary {
        let columns: Vec<usize> = form
            .fill_columns
            .iter()
            .copied()
            .filter(|c| form.kind(*c).is_summed())
            .collect();
        let cells = form.cells();
        let places = |c: usize| match form.kind(c) {
            ColumnKind::Decimal(p) => i64::from(*p),
            _ => 0,
        };
        let sum = |vals: &[Option<String>], col: usize| -> String {
            let total: BigDecimal = cells
                .iter()
                .zip(vals)
                .filter(|((_, c), _)| *c == col)
                .filter_map(|(_, v)| v.as_ref()?.parse::<BigDecimal>().ok())
                .sum();
            total.with_scale(places(col)).to_plain_string()
        };
        let rows: Vec<(Unit, Option<Vec<Option<String>>>)> = self
            .rows
            .iter()
            .map(|(u, vals)| {
                let v = vals
                    .as_ref()
                    .map(|vals| columns.iter().map(|&c| Some(sum(vals, c))).collect());
                (u.clone(), v)
            })
            .collect();
        let totals = columns
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let total: BigDecimal = rows
                    .iter()
                    .filter_map(|(_, v)| v.as_ref()?.get(k)?.as_ref()?.parse::<BigDecimal>().ok())
                    .sum();
                Some(total.with_scale(places(c)).to_plain_string())
            })
            .collect();
        Summary {
            rows,
            totals,
            kinds: columns.iter().map(|c| form.kind(*c).clone()).collect(),
            columns: short_names(form, &columns),
            measures: vec![None; columns.len()],
            form_columns: columns,
            ..self.clone()
        }
    }

    /// The 汇总 of a form with several value columns (a matrix): the form's
    /// own table — its header rows, categories and 合计 — holding the
    /// totals, rates computed again from them, dated, with the note.
    fn form_view(&self, form: &Form, date: &str) -> AttachmentView {
        let mut page = form.view(
            None,
            None,
            &Default::default(),
            &self.totals,
            &Default::default(),
        );
        page.label = String::new();
        page.fill_fields = vec![("汇总日期".to_string(), date.to_string())];
        page.title = Vec::new();
        if let Some(table) = page.table.as_mut() {
            table.caption = Some(format!("{}（汇总）", form.attachment.display_name()));
            table.notes.push(self.note());
        }
        page
    }
}

/// The columns' names by their lowest header text (发现, 已整改) where that
/// tells them apart, else their whole header path.
fn short_names(form: &Form, columns: &[usize]) -> Vec<String> {
    let last = |c: usize| {
        form.header[c]
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let lasts: Vec<String> = columns.iter().map(|&c| last(c)).collect();
    let unique = lasts
        .iter()
        .all(|l| lasts.iter().filter(|m| *m == l).count() == 1);
    if unique {
        lasts
    } else {
        columns.iter().map(|&c| form.header[c].clone()).collect()
    }
}

/// A heading as pieces a narrow column may break between: each Chinese
/// character, but a number or Latin word whole, an opening mark with what
/// follows it and a closing mark with what precedes it (组织“12315”开放活动:
/// 组 织 “12315” 开 放 活 动).
fn heading_words(text: &str) -> Vec<String> {
    let opening = "“‘（《〔【[(";
    let closing = "”’）》〕】]),，、。：；";
    let mut words: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        let latin = c.is_ascii_alphanumeric() || c == '.';
        let joins_previous = closing.contains(c)
            || (latin
                && words
                    .last()
                    .and_then(|w| w.chars().last())
                    .is_some_and(|p| p.is_ascii_alphanumeric() || p == '.'));
        match words.last_mut() {
            Some(w) if glue_next || joins_previous => w.push(c),
            _ => words.push(c.to_string()),
        }
        glue_next = opening.contains(c);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_break_between_characters_but_not_inside_numbers_or_after_an_opening_mark() {
        assert_eq!(
            heading_words("组织“12315”开放"),
            ["组", "织", "“12315”", "开", "放"]
        );
        assert_eq!(
            heading_words("印发资料（册）"),
            ["印", "发", "资", "料", "（册）"]
        );
    }
}
