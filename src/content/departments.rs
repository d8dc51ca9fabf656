//! 责任部门 as offices write them: a list split on 、，；, the 市局 of
//! "市局广告监督管理处、消费者权益保护处" carried to the 处室 after it, and
//! full names, aliases and groups from `部门.yaml` in the content folder.

use serde::Deserialize;

/// `部门.yaml`: the departments a plan names, by full name, with the short
/// names offices also write (消保处) and, for a group (各区市场监管局), its
/// members.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Departments {
    #[serde(rename = "部门")]
    pub list: Vec<Department>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    #[serde(rename = "名称")]
    pub name: String,
    #[serde(rename = "别名", default)]
    pub aliases: Vec<String>,
    /// A group's members: tasks of the group go to each of them.
    #[serde(rename = "成员", default)]
    pub members: Vec<String>,
}

impl Departments {
    /// The departments `written` stands for: its full name, or a group's
    /// members; `None` when the file does not know it.
    pub fn resolve(&self, written: &str) -> Option<Vec<String>> {
        let d = self
            .list
            .iter()
            .find(|d| d.name == written || d.aliases.iter().any(|a| a == written))?;
        Some(if d.members.is_empty() {
            vec![d.name.clone()]
        } else {
            d.members.clone()
        })
    }
}

/// A 处室 name: what takes its organ's prefix when written after it.
fn is_office(name: &str) -> bool {
    name.ends_with(['处', '室', '科'])
}

/// A name that stands on its own: another organ (市药品监管局), a group
/// (各区市场监管局) or a quoted name (“12315”投诉中心).
fn stands_alone(name: &str) -> bool {
    name.starts_with(['市', '省', '区', '县', '各', '“', '"'])
        || name.starts_with("有关")
        || name.contains('局')
}

/// The organ a 处室 name starts with (市局消费者权益保护处 → 市局).
fn prefix_of(name: &str) -> Option<&str> {
    let end = name.find('局')? + '局'.len_utf8();
    let (prefix, rest) = name.split_at(end);
    (prefix.chars().count() <= 4 && !rest.is_empty() && is_office(rest)).then_some(prefix)
}

/// The departments of a 责任部门 text, in order (the lead first), each as
/// written but with its organ: "市局广告监督管理处、消费者权益保护处、机场分局"
/// is 市局广告监督管理处, 市局消费者权益保护处, 机场分局.
pub fn split(text: &str) -> Vec<String> {
    split_listed(text).0
}

/// `split`, and whether the list ends in 等 (more departments than it
/// names: the plan says so, and so must the 任务分工表).
pub fn split_listed(text: &str) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut organ: Option<String> = None;
    // "各区消防救援部门、商务部门": the 各区 of the first is the others' too.
    let mut each: Option<String> = None;
    // "人力资源社会保障部等有关部门和单位": the named ones, and more.
    let text = text.trim();
    let text = MORE
        .iter()
        .find_map(|tail| text.strip_suffix(tail).map(|t| format!("{t}等")))
        .unwrap_or_else(|| text.to_string());
    let text = text.as_str();
    let more = text.ends_with('等');
    for piece in text.split(['、', '，', ',', '；', ';']) {
        let name = piece.trim().trim_end_matches('等').trim();
        if name.is_empty() {
            continue;
        }
        let generic = name.ends_with("部门");
        if let Some(p) = prefix_of(name) {
            organ = Some(p.to_string());
            out.push(name.to_string());
        } else if let (Some(p), true) = (&organ, is_office(name) && !stands_alone(name)) {
            out.push(format!("{p}{name}"));
        } else if let (Some(p), true) = (&each, generic && !stands_alone(name)) {
            out.push(format!("{p}{name}"));
        } else {
            if generic {
                each = each_of(name).map(str::to_string);
            }
            out.push(name.to_string());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|n| seen.insert(n.clone()));
    (out, more)
}

/// The "各区" of "各区消防救援部门": 各 and the level it names.
fn each_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('各')?;
    let level = ["区县", "区", "县", "市", "乡镇", "镇", "街道"]
        .into_iter()
        .find(|l| rest.starts_with(l))?;
    Some(&name[..'各'.len_utf8() + level.len()])
}

/// How plans say "and others" after the units they name.
const MORE: [&str; 7] = [
    "等有关部门和单位",
    "等有关部门",
    "等有关单位",
    "等相关部门",
    "等部门",
    "等单位",
    "等有关方面",
];

/// The labels plans put before the units responsible for a measure.
const RESPONSIBLE: [&str; 9] = [
    "责任单位",
    "责任部门",
    "牵头单位",
    "牵头部门",
    "配合单位",
    "配合部门",
    "负责单位",
    "主办单位",
    "参与单位",
];

/// The units responsible for a measure as plans write them at the end of
/// its text: "……免提交纸质发票。（责任单位：市商务委、市公安局等）",
/// "（牵头单位：市发展改革委；配合单位：市财政局）", "（各省级人民政府负责）".
/// Returns the text without them and the units in order (lead first), as
/// one list for `split_listed`.
pub fn written_responsible(text: &str) -> Option<(String, String)> {
    let t = text.trim_end().trim_end_matches(['。', '；', ';']);
    let inner_end = t.len()
        - t.chars()
            .last()
            .filter(|c| matches!(c, '）' | ')'))?
            .len_utf8();
    let open = t[..inner_end].rfind(['（', '('])?;
    let inner = t[open..inner_end].trim_start_matches(['（', '(']).trim();
    let units = if RESPONSIBLE.iter().any(|k| inner.starts_with(k)) {
        // "牵头单位：A，配合单位：B、C": every label is a separator.
        let mut list = inner.to_string();
        for k in RESPONSIBLE {
            list = list
                .replace(&format!("{k}："), "、")
                .replace(&format!("{k}:"), "、");
        }
        let parts: Vec<&str> = list
            .split(['、', '；', ';'])
            .map(|p| p.trim().trim_matches(['，', ',']).trim())
            .filter(|p| !p.is_empty())
            .collect();
        parts.join("、")
    } else {
        let who = ["按职责分工负责", "分别负责", "按职责负责", "负责"]
            .iter()
            .find_map(|k| inner.strip_suffix(k))?
            .trim();
        if who.is_empty() || who.chars().count() > 200 {
            return None;
        }
        who.to_string()
    };
    if units.is_empty() {
        return None;
    }
    let before = t[..open].trim_end().to_string();
    Some((before, units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lists_organ_is_carried_to_the_offices_after_it() {
        assert_eq!(
            split("市局广告监督管理处、消费者权益保护处、机场分局、检查总队、各区市场监管局"),
            [
                "市局广告监督管理处",
                "市局消费者权益保护处",
                "机场分局",
                "检查总队",
                "各区市场监管局"
            ]
        );
        assert_eq!(
            split("市局执法稽查处、反垄断和价格监督检查办公室、市药品监管局、计量处"),
            [
                "市局执法稽查处",
                "市局反垄断和价格监督检查办公室",
                "市药品监管局",
                "市局计量处"
            ]
        );
        assert_eq!(
            split("市消保委秘书处、市局消费者权益保护处"),
            ["市消保委秘书处", "市局消费者权益保护处"]
        );
        assert_eq!(
            split("市局消费者权益保护处，“12315”投诉中心"),
            ["市局消费者权益保护处", "“12315”投诉中心"]
        );
    }

    #[test]
    fn each_district_is_carried_and_a_trailing_deng_is_kept() {
        assert_eq!(
            split_listed("各区消防救援部门、商务部门、应急部门"),
            (
                vec![
                    "各区消防救援部门".to_string(),
                    "各区商务部门".into(),
                    "各区应急部门".into()
                ],
                false
            )
        );
        assert_eq!(
            split_listed("市商务委、市公安局、市市场监管局、重庆市税务局等"),
            (
                vec![
                    "市商务委".to_string(),
                    "市公安局".into(),
                    "市市场监管局".into(),
                    "重庆市税务局".into()
                ],
                true
            )
        );
    }

    #[test]
    fn responsible_units_are_read_from_the_end_of_a_measure() {
        let (text, units) = written_responsible(
            "推行二手车转让登记免提交纸质发票。（责任单位：市商务委、市公安局、重庆市税务局等）",
        )
        .unwrap();
        assert_eq!(text, "推行二手车转让登记免提交纸质发票。");
        assert_eq!(units, "市商务委、市公安局、重庆市税务局等");
        let (_, units) = written_responsible(
            "加强监管（牵头单位：市发展改革委；配合单位：市财政局、市税务局）。",
        )
        .unwrap();
        assert_eq!(units, "市发展改革委、市财政局、市税务局");
        // 穗字〔2012〕20号: the partners' label after a comma.
        let (_, units) = written_responsible(
            "项目。（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，各区、县级市）",
        )
        .unwrap();
        assert_eq!(
            split_listed(&units).0,
            [
                "市发展改革委",
                "市委组织部",
                "市人力资源和社会保障局",
                "各区",
                "县级市"
            ]
        );
        let (_, units) =
            written_responsible("统筹做好促进就业工作。（各省级人民政府负责）").unwrap();
        assert_eq!(units, "各省级人民政府");
        assert_eq!(
            split_listed("人力资源社会保障部等有关部门和单位"),
            (vec!["人力资源社会保障部".to_string()], true)
        );
        assert_eq!(written_responsible("一段话（2026年10月1日起施行）。"), None);
        assert_eq!(written_responsible("没有括注的一段话。"), None);
    }
}
