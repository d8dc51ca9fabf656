//! The one place YAML is decoded. Keeping serde_yaml behind this function
//! means a maintained fork (serde_yaml_ng, same API) replaces it in one line.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Located};

/// The notice's keys, for the input-method slip a "：" after one of them is:
/// top-level keys at the start of a line, the keys of blocks, tables and
/// attachments after indentation or "- " (only those no paragraph starts
/// with).
const TOP_KEYS: &[&str] = &[
    "格式",
    "完成时限",
    "份号",
    "密级",
    "保密期限",
    "紧急程度",
    "发文机关标志",
    "发文字号",
    "签发人",
    "标题",
    "题注",
    "统一登记号",
    "公开属性",
    "主送机关",
    "正文",
    "编号方式",
    "目录",
    "附件",
    "发文机关署名",
    "签署",
    "成文日期",
    "出席",
    "请假",
    "列席",
    "加盖印章",
    "印章",
    "附注",
    "印发文件",
    "版记",
];
const NESTED_KEYS: &[&str] = &[
    "完成时限",
    "标题",
    "内容",
    "文字",
    "段落",
    "编号",
    "级别",
    "起始",
    "事项",
    "责任部门",
    "表格",
    "题注",
    "主送机关",
    "正文",
    "发文机关署名",
    "成文日期",
    "加盖印章",
    "填报栏",
    "表头",
    "表题",
    "自动序号",
    "来源",
    "报",
    "送",
    "抄送机关",
    "印发机关",
    "印发日期",
    "职务",
    "姓名",
    "签名章",
    "工作表",
    "表头行数",
    "编号方式",
];

/// An input-method slip read the way it was meant, to be reported as a
/// warning at its place.
#[derive(Debug, Clone)]
pub struct Slip {
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

/// `text` with every number typed into a table cell quoted, so that it is
/// read as the text it is: YAML would read 2490.50 as 2490.5, 1.0 as 1,
/// 1e5 as 100000 and 007 as 7, and a table prints what was typed. Only
/// cells (行, 表头, 列) are touched; spans (跨行, 跨列) and every other
/// number stay numbers. A whole number written the way it prints is left
/// as it is.
pub fn numbers_as_typed(text: &str) -> String {
    // Most notices have no table: no second parse of the YAML for them.
    if !text.contains("表格") {
        return text.to_string();
    }
    let cell = |path: &str| {
        ["表格.行[", "表格.表头[", "表格.列["]
            .iter()
            .any(|k| path.contains(k))
            && !path.ends_with(".跨行")
            && !path.ends_with(".跨列")
    };
    let changes = |v: &str| match v.parse::<i64>() {
        Ok(n) => n.to_string() != v,
        Err(_) => v.parse::<f64>().is_ok_and(f64::is_finite),
    };
    let mut quote: Vec<(usize, usize)> = super::Locations::of(text)
        .plain_scalars()
        .iter()
        .filter(|(path, _, v)| cell(path) && changes(v))
        .map(|(_, at, v)| (*at, v.chars().count()))
        .collect();
    if quote.is_empty() {
        return text.to_string();
    }
    quote.sort();
    let mut out = String::with_capacity(text.len() + 2 * quote.len());
    let mut next = quote.iter().peekable();
    let mut end = None;
    for (i, c) in text.chars().enumerate() {
        if end == Some(i) {
            out.push('"');
            end = None;
        }
        if let Some(&&(at, len)) = next.peek() {
            if at == i {
                out.push('"');
                end = Some(i + len);
                next.next();
            }
        }
        out.push(c);
    }
    if end.is_some() {
        out.push('"');
    }
    out
}

/// `text` with a full-width colon after a known key read as the YAML
/// colon it was meant to be, and where each was.
pub fn repair(text: &str) -> (String, Vec<Slip>) {
    let mut slips = Vec::new();
    let mut out = String::with_capacity(text.len());
    // Inside a block scalar (after "key: |" or "- >-"), lines are the user's
    // text: never rewritten. It ends at a line indented no deeper than the
    // line that opened it.
    let mut block: Option<usize> = None;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let blank = raw.trim().is_empty();
        if let Some(opener) = block {
            if blank || indent > opener {
                out.push_str(raw);
                continue;
            }
            block = None;
        }
        // "key: |-", "- >", "key: |2": the last word is a block indicator
        // after a key or a dash.
        let mut words = raw.split_whitespace().rev();
        let opens = match (words.next(), words.next()) {
            (Some(t), Some(before)) => {
                t.len() <= 3
                    && t.starts_with(['|', '>'])
                    && t[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
                    && (before.ends_with(':') || before.ends_with('：') || before == "-")
            }
            _ => false,
        };
        if opens {
            block = Some(indent);
        }
        let after_dash = raw[indent..].strip_prefix("- ");
        let (start, keys) = match after_dash {
            Some(rest) => (raw.len() - rest.len(), NESTED_KEYS),
            None if indent > 0 => (indent, NESTED_KEYS),
            None => (0, TOP_KEYS),
        };
        let rest = &raw[start..];
        let hit = rest.split_once('：').filter(|(key, _)| keys.contains(key));
        match hit {
            Some((key, value)) => {
                let column = raw[..start].chars().count() + key.chars().count() + 1;
                slips.push(Slip {
                    line: i + 1,
                    column,
                    key: key.to_string(),
                    message: format!(
                        "第{}行“{key}”后用了全角冒号“：”，已按半角冒号读取；请改为半角冒号和空格“: ”",
                        i + 1
                    ),
                });
                out.push_str(&raw[..start]);
                out.push_str(key);
                out.push(':');
                if !value.starts_with([' ', '\n', '\r']) {
                    out.push(' ');
                }
                out.push_str(value);
            }
            None => {
                // "主送机关: 各区应急管理局:" — a value ending in a half-width
                // colon is a YAML error; it is the 主送机关's "：".
                let value = rest
                    .split_once(": ")
                    .filter(|(key, _)| keys.contains(key))
                    .map(|(key, v)| (key, v.trim_end()));
                match value {
                    Some((key, v))
                        if v.ends_with(':')
                            && !v.ends_with("::")
                            && !v.starts_with(['"', '\'']) =>
                    {
                        let body = raw.trim_end();
                        let column = body.chars().count();
                        slips.push(Slip {
                            line: i + 1,
                            column,
                            key: key.to_string(),
                            message: format!(
                                "第{}行“{key}”的值以半角冒号“:”结尾，已按全角冒号“：”读取",
                                i + 1
                            ),
                        });
                        out.push_str(&body[..body.len() - 1]);
                        out.push('：');
                        out.push_str(&raw[body.len()..]);
                    }
                    _ => out.push_str(raw),
                }
            }
        }
    }
    (out, slips)
}

/// What is wrong with line `line` of `text` that a Chinese input method
/// typed: full-width spaces as indentation, or a full-width colon after a
/// key gongwen does not know.
fn ime_slip(text: &str, line: usize) -> Option<String> {
    let raw = text.lines().nth(line.checked_sub(1)?)?;
    if raw.trim_start_matches(' ').starts_with('\u{3000}') {
        return Some(format!("第{line}行用全角空格“　”缩进，请改为半角空格"));
    }
    let body = raw.trim_start().trim_start_matches("- ");
    let (key, _) = body.split_once('：')?;
    let keyish = !key.is_empty() && key.chars().count() <= 10 && !key.contains([' ', ':']);
    keyish.then(|| format!("第{line}行“{key}”后用了全角冒号“：”，请改为半角冒号和空格“: ”"))
}

/// Decodes `text` (the contents of `file`) into `T`; an error names the file,
/// line, column and field path, in Chinese.
pub fn decode<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Error> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let (mut line, mut column) = inner.location().map_or((0, 0), |l| (l.line(), l.column()));
        let raw = inner.to_string();
        // A quote or bracket left open is reported at the end of the file;
        // libyaml also says where it was opened, which is what to fix.
        if let Some((l, c)) = opened_at(&raw) {
            (line, column) = (l, c);
        }
        // serde_yaml places a repeated key at its mapping; find the repetition.
        if let Some(rest) = raw
            .strip_prefix("duplicate field `")
            .or_else(|| raw.find("duplicate field `").map(|i| &raw[i + 17..]))
        {
            let key = rest.split('`').next().unwrap_or(rest);
            if let Some(pos) = super::Locations::of(text).repeated(key) {
                (line, column) = pos;
            }
        }
        // A second document ("---") is not located by serde_yaml.
        if raw.contains("more than one document") {
            let at = text
                .lines()
                .enumerate()
                .skip(1)
                .find(|(_, l)| l.trim_end() == "---" || l.starts_with("--- "));
            if let Some((i, _)) = at {
                (line, column) = (i + 1, 1);
            }
        }
        let mut message = translate(&strip_location(&raw));
        // A syntax error on a line an input method typed: say what to fix.
        let slip = [line, line.saturating_sub(1)]
            .into_iter()
            .find_map(|l| ime_slip(text, l));
        if let Some(slip) = slip {
            message = format!("{slip}（{message}）");
        }
        Error::Content(Located {
            file: file.to_path_buf(),
            line,
            column,
            field: if field == "?" { String::new() } else { field },
            message,
        })
    })
}

/// Where libyaml's context ("…, while scanning a quoted scalar at line 4
/// column 8") puts the start of what was left open.
fn opened_at(raw: &str) -> Option<(usize, usize)> {
    let context = &raw[raw.find(", while ")?..];
    let at = &context[context.rfind(" at line ")? + " at line ".len()..];
    let (line, rest) = at.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// serde_yaml appends " at line L column C" (and may prefix the path); both
/// are reported separately.
fn strip_location(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    // Nested errors come as "a.b[0]: message".
    match msg.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && !rest.is_empty() => rest.to_string(),
        _ => msg.to_string(),
    }
}

/// Serde's messages in the users' language, with the closest valid key for a typo.
fn translate(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (key, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let mut out = format!("未知的键“{key}”");
        if let Some(best) = closest(key, &expected) {
            out.push_str(&format!("，是不是“{best}”？"));
        }
        if !expected.is_empty() {
            out.push_str(&format!("（可用的键：{}）", expected.join("、")));
        }
        return out;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("缺少必填的键“{key}”");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return format!("类型不对：这里是{}，应为{}", kind(got), expected(want));
        }
    }
    for (english, chinese) in SYNTAX {
        if msg.starts_with(english) {
            return format!("YAML 语法错误：{chinese}");
        }
    }
    if msg.contains("more than one document") {
        return "文件里有不止一份 YAML 文档（“---”之后又开始了一份）；一个文件只能写一份，请删去“---”或分成两个文件".into();
    }
    if let Some(rest) = msg.strip_prefix("duplicate field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("键“{key}”重复出现");
    }
    msg.to_string()
}

/// libyaml's syntax messages, explained.
const SYNTAX: &[(&str, &str)] = &[
    (
        "found unexpected end of stream",
        "文件意外结束，引号或括号可能没有闭合",
    ),
    ("did not find expected key", "缩进不齐，这一行找不到键"),
    (
        "found a tab character",
        "缩进里有制表符（Tab），请用空格缩进",
    ),
    (
        "mapping values are not allowed",
        "这里不能出现“: ”，含冒号的文字请加引号",
    ),
    ("did not find expected", "缩进或括号不对"),
    (
        "found character that cannot start any token",
        "有不能开头的字符，含特殊符号的文字请加引号",
    ),
    ("could not find expected ':'", "缺少“: ”"),
    ("control characters are not allowed", "文件里有控制字符"),
    ("while parsing", "格式不对"),
    ("found undefined tag handle", "“!”开头的文字请加引号"),
];

/// Serde's names of what was expected, in the users' words.
fn expected(want: &str) -> String {
    match want {
        "a string" => "文字".into(),
        "a sequence" => "列表（每项以“- ”开头）".into(),
        "a boolean" => "true 或 false".into(),
        w if w.starts_with("struct ") || w == "a map" => "键值表".into(),
        w => w.to_string(),
    }
}

fn kind(got: &str) -> String {
    let g = got.trim();
    if g.starts_with("string") {
        format!("文字 {}", g.trim_start_matches("string").trim())
    } else if g == "map" {
        "键值表".into()
    } else if g == "sequence" {
        "列表".into()
    } else if g.starts_with("integer") || g.starts_with("floating point") {
        format!("数字 {}", g.split_whitespace().last().unwrap_or(""))
    } else if g.starts_with("boolean") {
        format!("真假值 {}", g.split_whitespace().last().unwrap_or(""))
    } else if g == "unit value" {
        "空值".into()
    } else {
        g.to_string()
    }
}

fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(key, c), *c))
        .filter(|(d, c)| *d <= c.chars().count().max(2) / 2 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Notice;

    /// Where and why `text` is refused as a notice.
    fn refused(text: &str) -> crate::error::Located {
        match decode::<Notice>(Path::new("公文.yaml"), text) {
            Err(Error::Content(loc)) => loc,
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn numbers_in_table_cells_are_read_as_typed() {
        let text = "正文:\n  - 表格:\n      列: [项目, 金额, 1.0]\n      行:\n        - [甲, 2490.50, 13272.0320]\n        - [{文字: 1e5, 跨列: 2}, 007]\n        - [乙, 12, -3]\n      字号: 14.0\n";
        let out = numbers_as_typed(text);
        assert!(out.contains("[甲, \"2490.50\", \"13272.0320\"]"), "{out}");
        assert!(out.contains("{文字: \"1e5\", 跨列: 2}, \"007\"]"), "{out}");
        assert!(out.contains("[项目, 金额, \"1.0\"]"), "{out}");
        // Numbers that print as typed, spans and other fields are untouched.
        assert!(
            out.contains("[乙, 12, -3]") && out.contains("字号: 14.0"),
            "{out}"
        );
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let text = "发文机关标志: 某局文件\n标提: 关于\n正文: []\n发文机关署名: 某局\n成文日期: 2019-03-07\n";
        let loc = refused(text);
        assert_eq!((loc.line, loc.column), (2, 1), "{loc}");
        assert!(
            loc.message.contains("未知的键“标提”，是不是“标题”"),
            "{loc}"
        );
    }

    #[test]
    fn impossible_date_is_located() {
        let text = "发文机关标志: 某局文件\n标题: 关于\n正文: []\n发文机关署名: 某局\n成文日期: 2019年2月30日\n";
        let loc = refused(text);
        assert_eq!(loc.line, 5, "{loc}");
        assert_eq!(loc.field, "成文日期");
        assert!(loc.message.contains("不是有效日期"), "{loc}");
    }
}
