//! Checks made after decoding: required text present, tables well formed, and
//! the 公文 lint — the rules of GB/T 9704 that a value can break. Errors stop a
//! build; warnings are printed. Every finding is located in the YAML file.

use super::walk::{typed_ordinal, walk, FieldPath, Kind, Node, Parent};
use super::{Block, Date, Format, Notice, Project};
use crate::error::Located;

pub use crate::error::{Finding, Severity};

impl Finding {
    /// A finding at `path` of the project's notice file.
    pub fn new(
        project: &Project,
        severity: Severity,
        rule: &'static str,
        path: &FieldPath,
        message: String,
    ) -> Finding {
        let field = path.to_string();
        let (line, column) = project
            .locations
            .get(&field)
            .or_else(|| project.locations.start())
            .unwrap_or((0, 0));
        Finding {
            severity,
            rule,
            at: Located {
                file: project.source.clone(),
                line,
                column,
                field,
                message,
            },
        }
    }
}

/// What each format of §10 requires and leaves out.
fn format_rules(n: &Notice, find: &mut impl FnMut(Severity, &'static str, &FieldPath, String)) {
    use Severity::{Error as E, Warning as W};
    let root = FieldPath::root();
    let name = n.format.name();
    // A document sealed with the organs' seal images may go without typed
    // names, as printed originals do: each seal carries its organ's name.
    if matches!(n.format, Format::File | Format::Letter)
        && n.signature.is_empty()
        && n.seal_images.is_empty()
    {
        find(
            E,
            "必填文字",
            &root.key("发文机关署名"),
            "缺少必填的键“发文机关署名”：至少要有一个发文机关署名（加盖印章图片的可以不写，印章即署名）".into(),
        );
    }
    if n.format == Format::Order && n.signatories.is_empty() {
        find(
            E,
            "格式",
            &root.key("签署"),
            "命令（令）要写签署：至少一位签发人的职务和姓名（§7.3.5.3）".into(),
        );
    }
    if n.format != Format::Order && !n.signatories.is_empty() {
        find(
            E,
            "格式",
            &root.key("签署"),
            format!("签署只用于命令（令）格式，本件是{name}格式"),
        );
    }
    if n.format == Format::Order && !n.signature.is_empty() {
        find(
            W,
            "格式",
            &root.key("发文机关署名"),
            "命令（令）由签发人签署，不印发文机关署名，已略去".into(),
        );
    }
    let lists = [
        ("出席", &n.present),
        ("请假", &n.absent),
        ("列席", &n.attending),
    ];
    for (key, list) in lists {
        if n.format != Format::Minutes && !list.is_empty() {
            find(
                E,
                "格式",
                &root.key(key),
                format!("{key}名单只用于纪要格式，本件是{name}格式"),
            );
        }
    }
    if n.format == Format::Minutes && (n.sealed || !n.seal_images.is_empty()) {
        let key = if !n.seal_images.is_empty() {
            "印章"
        } else {
            "加盖印章"
        };
        find(
            W,
            "格式",
            &root.key(key),
            "纪要不加盖印章（§10.3），已略去".into(),
        );
    }
    if let Some(c) = &n.colophon {
        let at = root.key("版记");
        if n.format == Format::Letter {
            if c.printer.is_some() || c.printed.is_some() {
                let key = if c.printer.is_some() {
                    "印发机关"
                } else {
                    "印发日期"
                };
                find(
                    W,
                    "格式",
                    &at.key(key),
                    "信函格式的版记不印印发机关和印发日期（§10.1），已略去".into(),
                );
            }
        } else {
            if c.printer.is_none() {
                find(
                    E,
                    "必填文字",
                    &at.key("印发机关"),
                    "版记要写印发机关".into(),
                );
            }
            if c.printed.is_none() {
                find(
                    E,
                    "必填文字",
                    &at.key("印发日期"),
                    "版记要写印发日期".into(),
                );
            }
        }
    }
}

/// Checks a project; findings come sorted by place.
pub fn check(project: &Project) -> Vec<Finding> {
    let n = &project.notice;
    let nodes = walk(n, &project.style);
    let mut out = Vec::new();
    let mut find = |severity: Severity, rule: &'static str, path: &FieldPath, message: String| {
        out.push(Finding::new(project, severity, rule, path, message));
    };
    use Severity::{Error as E, Warning as W};

    format_rules(n, &mut find);
    for node in &nodes {
        let Some(t) = node.text() else { continue };
        if t.required && t.text.trim().is_empty() {
            let message = match project.locations.get_exact(&node.at.to_string()) {
                Some(_) => "不能为空".to_string(),
                None => format!("缺少必填的键“{}”", node.at),
            };
            find(E, "必填文字", &node.at, message);
        }
        let chars = t.text.chars().count();
        if chars > MAX_FIELD_CHARS {
            find(
                E,
                "文字过长",
                &node.at,
                format!("有 {chars} 个字，一处文字最多 {MAX_FIELD_CHARS} 个字；请分成几段"),
            );
        }
        if let Some(num) = typed_ordinal(t.text) {
            if t.field.is_numbered() {
                find(
                    W,
                    "序数自动生成",
                    &node.at,
                    format!("开头的“{num}”与自动生成的序数重复，已去掉（不必输入序数）"),
                );
            } else if t.field.is_prose() {
                let rest = t.text.trim_start()[num.len()..].trim_start();
                let head: String = rest.chars().take(12).collect();
                find(
                    W,
                    "序数自动生成",
                    &node.at,
                    format!(
                        "开头的“{num}”是序数，gongwen 按顺序自动生成，不必输入；\
                         若这是标题，请写成“- 标题: {head}”"
                    ),
                );
            }
        }
    }
    // Where 章 and 节 may stand, and what a document inside may hold.
    for node in &nodes {
        match &node.kind {
            Kind::Block {
                block: Block::Chapter { .. },
                inside,
                ..
            } if *inside != Parent::Body => find(
                E,
                "章节结构",
                &node.at,
                "章 只能直接写在正文中，不能放在标题、章或节里".into(),
            ),
            Kind::Block {
                block: Block::Section { .. },
                inside,
                ..
            } if *inside != Parent::Chapter => {
                find(E, "章节结构", &node.at, "节 只能写在章的 内容 里".into())
            }
            Kind::Attachment { attachment, .. } if !attachment.attachments.is_empty() => find(
                E,
                "附件",
                &node.at.key("附件"),
                "附件中不能再带附件；请把它列为同一级的附件".into(),
            ),
            _ => {}
        }
    }
    for node in &nodes {
        let Kind::Table(t) = node.kind else { continue };
        if let Err(problems) = t.place() {
            for p in problems {
                let row = if p.header {
                    if t.header.is_empty() {
                        node.at.key("列")
                    } else {
                        node.at.key("表头").index(p.row)
                    }
                } else {
                    node.at.key("行").index(p.row)
                };
                let at = match p.cell {
                    Some(c) if !(p.header && t.header.is_empty()) => row.index(c),
                    Some(c) => row.index(c),
                    None => row,
                };
                find(E, "表格行列数", &at, p.message);
            }
        }
        if let Ok(grid) = t.grid_only() {
            if let Err(m) = t.formulas(&grid) {
                find(E, "列类型", &node.at.key("列类型"), m);
            }
        }
        if let Some(w) = &t.widths {
            let width: usize = t
                .header_rows()
                .first()
                .map_or(0, |r| r.iter().map(|c| c.cols).sum());
            if w.len() != width || w.iter().any(|x| !x.is_finite() || *x <= 0.0) {
                find(
                    E,
                    "表格行列数",
                    &node.at.key("列宽"),
                    format!("应为 {width} 个正数"),
                );
            }
        }
        if !t.columns.is_empty() && !t.header.is_empty() {
            find(
                E,
                "表格行列数",
                &node.at.key("表头"),
                "列 和 表头 只能用一个（表头用于多行表头）".into(),
            );
        }
    }
    let root = FieldPath::root();
    let several = n.seal_images.len() > 1;
    for (i, seal) in n.seal_images.iter().enumerate() {
        if let Some(problem) = seal_problem(&project.root, seal) {
            let at = if several {
                root.key("印章").index(i)
            } else {
                root.key("印章")
            };
            find(E, "印章文件", &at, problem);
        }
    }
    if several && !n.signature.is_empty() && n.seal_images.len() != n.signature.len() {
        find(
            E,
            "印章文件",
            &root.key("印章"),
            format!(
                "印章有 {} 个，发文机关署名有 {} 个：联合行文每个机关一个印章，按署名的顺序",
                n.seal_images.len(),
                n.signature.len()
            ),
        );
    }
    for (i, s) in n.signatories.iter().enumerate() {
        if let Some(seal) = &s.seal {
            if let Some(problem) = seal_problem(&project.root, seal) {
                let at = root.key("签署").index(i).key("签名章");
                find(E, "印章文件", &at, problem);
            }
        }
    }
    if let Some(written) = &n.number {
        // Spaces around numbers come with text copied from a PDF.
        let num = &crate::content::compact(written);
        if num != written {
            find(
                W,
                "文号中的空格",
                &root.key("发文字号"),
                format!("“{written}”中有空格（从 PDF 复制的文字常带空格），已去掉，印为“{num}”"),
            );
        }
        // A 令号 is 第N号, a 纪要's number 第N期 or a usual 发文字号.
        let serial = |unit: char| {
            num.strip_prefix('第')
                .and_then(|r| r.strip_suffix(unit))
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        };
        let problem = match n.format {
            Format::Order if !serial('号') => {
                Some(format!("“{num}”是令号，应如 第708号（阿拉伯数字）"))
            }
            Format::Order => None,
            Format::Minutes if serial('期') || serial('号') => None,
            _ => number_problem(num),
        };
        if let Some(msg) = problem {
            find(E, "发文字号格式", &root.key("发文字号"), msg);
        }
    }
    if let Some(c) = &n.copy_number {
        if c.chars().count() != 6 || !c.chars().all(|d| d.is_ascii_digit()) {
            find(
                E,
                "份号格式",
                &root.key("份号"),
                format!("“{c}”应为 6 位阿拉伯数字，如 000001"),
            );
        }
    }
    if let Some(c) = &n.classification {
        if !["秘密", "机密", "绝密"].contains(&c.as_str()) {
            find(
                E,
                "密级",
                &root.key("密级"),
                format!("“{c}”不是密级（秘密、机密、绝密）"),
            );
        }
    }
    if n.secrecy_term.is_some() && n.classification.is_none() {
        find(
            E,
            "密级",
            &root.key("保密期限"),
            "有保密期限而没有密级".into(),
        );
    }
    if let Some(u) = &n.urgency {
        if !["特急", "加急"].contains(&u.as_str()) {
            find(
                W,
                "紧急程度",
                &root.key("紧急程度"),
                format!("“{u}”不是标准的紧急程度（特急、加急）"),
            );
        }
    }
    // 主送机关 end in "：" (§7.3.2); a missing one is added in print.
    let mut addressed = vec![(root.key("主送机关"), &n.recipients)];
    for node in &nodes {
        if let Kind::Document(d) | Kind::Attachment { attachment: d, .. } = &node.kind {
            addressed.push((node.at.key("主送机关"), &d.recipients));
        }
    }
    for (at, r) in addressed {
        if let Some(r) = r.as_deref().filter(|r| !r.trim_end().ends_with('：')) {
            let end = r
                .trim_end()
                .chars()
                .last()
                .filter(|c| matches!(c, ':' | '；' | ';' | '，' | ','));
            let message = match end {
                Some(c) => format!("应以全角冒号“：”结尾，已把末尾的“{c}”印为“：”"),
                None => "应以全角冒号“：”结尾，已补上".to_string(),
            };
            find(W, "主送机关冒号", &at, message);
        }
    }
    if let Some(c) = &n.colophon {
        if let Some(printed) = c.printed.filter(|p| *p < n.date) {
            find(
                E,
                "版记日期",
                &root.key("版记").key("印发日期"),
                format!(
                    "印发日期 {} 早于成文日期 {}",
                    printed.chinese(),
                    n.date.chinese()
                ),
            );
        }
    }
    // Dates typed in Chinese numerals: read, printed in Arabic (§7.3.5.4).
    let mut dates = vec![root.key("成文日期"), root.key("版记").key("印发日期")];
    for node in &nodes {
        match node.kind {
            Kind::Document(_) | Kind::Attachment { .. } => dates.push(node.at.key("成文日期")),
            _ => {}
        }
    }
    for at in dates {
        let Some((line, _)) = project.locations.get_exact(&at.to_string()) else {
            continue;
        };
        let written = project.text.lines().nth(line - 1).unwrap_or("");
        let value = written.split_once(':').map_or("", |(_, v)| v);
        // A YAML comment starts at " #".
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(['"', '\'']);
        if value.chars().any(char::is_whitespace) {
            let printed = Date::parse(value).map(|d| d.chinese()).unwrap_or_default();
            find(
                W,
                "日期中的空格",
                &at,
                format!("“{value}”中有空格（从 PDF 复制的文字常带空格），已去掉，印为“{printed}”"),
            );
        }
        if super::model::is_chinese_date(value) {
            let printed = Date::parse(value).map(|d| d.chinese()).unwrap_or_default();
            find(
                W,
                "成文日期数字",
                &at,
                format!("“{value}”用了汉字数字，已按标准印为阿拉伯数字“{printed}”（§7.3.5.4）"),
            );
        }
    }
    // A document whose own text mentions 附件 but that has none.
    let mut docs: Vec<(Option<usize>, FieldPath, bool)> =
        vec![(None, root.key("正文"), n.attachments.is_empty())];
    for node in &nodes {
        if let Kind::Document(d) = node.kind {
            docs.push((
                node.scope.doc,
                node.at.key("正文"),
                d.attachments.is_empty(),
            ));
        }
    }
    // An attachment belongs to the notice or to a document it issues; a
    // mention anywhere is answered by an attachment anywhere in the package
    // ("（见附件）" in the notice for the 方案's attachment).
    let none_at_all = docs.iter().all(|(_, _, without)| *without);
    for (doc, at, without) in docs {
        let without = without && none_at_all;
        let mentions = nodes.iter().any(|node| {
            node.scope.doc == doc
                && node.scope.attachment.is_none()
                && node.text().is_some_and(|t| {
                    t.field.is_prose() && t.text.contains("附件") && !t.text.contains("附件说明")
                })
        });
        if without && mentions {
            find(
                W,
                "附件说明",
                &at,
                "正文提到附件，但本件和它印发的文件都没有附件".into(),
            );
        }
    }
    // 任务分工 (`gongwen tasks`): a task without a 责任部门 in a plan whose
    // other tasks have one, and names 部门.yaml does not know.
    let items: Vec<(&Node, &super::Item)> = nodes
        .iter()
        .filter_map(|node| match &node.kind {
            Kind::Block {
                block: Block::Item(it),
                ..
            } => Some((node, it)),
            _ => None,
        })
        .collect();
    for (node, it) in &items {
        let in_plan = items
            .iter()
            .any(|(n, i)| n.scope == node.scope && i.departments.is_some());
        if in_plan && it.departments.is_none() {
            out.push(Finding::new(
                project,
                W,
                "任务无责任部门",
                &node.at.key("事项"),
                "这一事项没有写责任部门，任务分工表中列为“未明确”".into(),
            ));
        }
        if let (Some(list), Some(text)) = (&project.departments, &it.departments) {
            for name in super::departments::split(text) {
                if list.resolve(&name).is_none() {
                    out.push(Finding::new(
                        project,
                        W,
                        "责任部门",
                        &node.at.key("责任部门"),
                        format!("“{name}”不在 部门.yaml 中，按原样列出"),
                    ));
                }
            }
        }
    }
    // "[填报单位，填报日期]": one item with Chinese commas, meant as several.
    for node in &nodes {
        let (at, list): (FieldPath, Vec<&String>) = match &node.kind {
            Kind::Attachment { attachment, .. } => (
                node.at.key("填报栏"),
                attachment.fill_fields.iter().collect(),
            ),
            Kind::Table(t) => (
                node.at.key("列"),
                t.columns.iter().map(|c| &c.text).collect(),
            ),
            _ => continue,
        };
        if let Some(item) = list.iter().find(|s| s.contains('，')) {
            out.push(Finding::new(
                project,
                W,
                "中文逗号",
                &at,
                format!("“{item}”中有中文逗号“，”：列表各项之间请用半角逗号“,”分隔，如 [填报单位, 填报日期]"),
            ));
        }
    }
    // Input-method slips read as meant, at their place.
    for slip in &project.slips {
        out.push(Finding {
            severity: W,
            rule: "冒号",
            at: Located {
                file: project.source.clone(),
                line: slip.line,
                column: slip.column,
                field: slip.key.clone(),
                message: slip.message.clone(),
            },
        });
    }
    sort(&mut out);
    out
}

/// Findings in the order of their places, errors first at one place.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.at.line, a.at.column, a.severity).cmp(&(b.at.line, b.at.column, b.severity))
    });
}

/// The most characters one text field may hold: a long paragraph has a
/// few thousand; more is a paste gone wrong, and would take minutes to lay
/// out.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// The largest seal image file, and the most pixels it may decode to: a
/// 42 mm seal at 600 dpi is about 1,000 × 1,000.
const MAX_SEAL_BYTES: u64 = 20 * 1024 * 1024;
const MAX_SEAL_PIXELS: u64 = 40_000_000;

/// What is wrong with the seal image `name` of the content folder `root`,
/// read from its header only (an image is never decoded to learn its size).
/// It must be inside the folder (the typesetter reads nothing outside it),
/// and an SVG's embedded pictures are held to the same limits.
fn seal_problem(root: &std::path::Path, name: &str) -> Option<String> {
    let path = root.join(name.trim_start_matches('/'));
    let Ok(meta) = std::fs::metadata(&path) else {
        return Some(format!("内容文件夹中没有文件“{name}”"));
    };
    let inside = std::fs::canonicalize(&path)
        .ok()
        .zip(std::fs::canonicalize(root).ok())
        .is_some_and(|(p, r)| p.starts_with(r));
    if !inside {
        return Some(format!(
            "“{name}”不在内容文件夹中；请把印章图片放进内容文件夹，再写它在文件夹中的名字"
        ));
    }
    if !meta.is_file() {
        return Some(format!("“{name}”不是文件"));
    }
    if meta.len() > MAX_SEAL_BYTES {
        return Some(format!(
            "“{name}”过大（{:.1} MB），印章图片最大 {} MB",
            meta.len() as f64 / 1048576.0,
            MAX_SEAL_BYTES / 1048576
        ));
    }
    let too_many = |w: usize, h: usize| {
        (w as u64 * h as u64 > MAX_SEAL_PIXELS).then(|| {
            format!(
                "“{name}”有 {w}×{h} 像素，印章图片最多 {} 万像素",
                MAX_SEAL_PIXELS / 10_000
            )
        })
    };
    if name.to_lowercase().ends_with(".svg") {
        let Ok(svg) = std::fs::read(&path) else {
            return Some(format!("无法读取“{name}”"));
        };
        return svg_pictures(&svg)
            .into_iter()
            .find_map(|picture| match picture {
                Some(bytes) => match imagesize::blob_size(&bytes) {
                    Ok(size) => too_many(size.width, size.height),
                    Err(_) => Some(format!("“{name}”中嵌入的图片无法识别")),
                },
                None => Some(format!(
                    "“{name}”中嵌入了另一个 SVG 或无法解码的图片；请导出为不嵌套的 SVG 或 PNG"
                )),
            });
    }
    match imagesize::size(&path) {
        Ok(size) => too_many(size.width, size.height),
        Err(_) => Some(format!(
            "“{name}”不是能识别的图片（可用 PNG、JPEG、GIF 或 SVG）"
        )),
    }
}

/// The pictures an SVG embeds as `data:` addresses, decoded (`None` for
/// one that is itself an SVG or is not base64).
fn svg_pictures(svg: &[u8]) -> Vec<Option<Vec<u8>>> {
    use base64::Engine;
    let text = String::from_utf8_lossy(svg);
    let mut out = Vec::new();
    for (at, _) in text.match_indices("data:") {
        let rest = &text[at + 5..];
        let end = rest.find(['"', '\'', ')']).unwrap_or(rest.len());
        let uri = &rest[..end];
        let Some((kind, payload)) = uri.split_once(',') else {
            continue;
        };
        let payload: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        out.push(
            (kind.ends_with(";base64") && !kind.contains("svg"))
                .then(|| {
                    base64::engine::general_purpose::STANDARD
                        .decode(payload)
                        .ok()
                })
                .flatten(),
        );
    }
    out
}

/// §7.2.5: 〔YYYY〕 in 六角括号, serial without 第 or leading zeros, ending in 号.
fn number_problem(num: &str) -> Option<String> {
    // It is set on one line of the 版头 (28 characters; Latin letters and
    // digits take half a character).
    let width: usize = num.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    if width > 2 * 28 {
        return Some(format!(
            "发文字号有 {} 个字，排不进一行（最多 28 个汉字宽）；请检查是否把别的内容写进了发文字号",
            num.chars().count()
        ));
    }
    for (bad, name) in [
        ("[", "方括号 []"),
        ("【", "方头括号 【】"),
        ("(", "圆括号 ()"),
        ("（", "圆括号（）"),
        ("〖", "括号 〖〗"),
    ] {
        if num.contains(bad) {
            return Some(format!("“{num}”的年份用了{name}，应用六角括号〔〕"));
        }
    }
    let (Some(open), Some(close)) = (num.find('〔'), num.find('〕')) else {
        return Some(format!("“{num}”缺少〔年份〕，应如 沪市监消保〔2019〕54号"));
    };
    let year = &num[open + '〔'.len_utf8()..close];
    if year.chars().count() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("“{num}”的年份“{year}”应为四位阿拉伯数字"));
    }
    if open == 0 {
        return Some(format!("“{num}”缺少机关代字"));
    }
    let serial = &num[close + '〕'.len_utf8()..];
    let Some(digits) = serial.strip_suffix('号') else {
        return Some(format!("“{num}”应以“号”结尾"));
    };
    if digits.starts_with('第') {
        return Some(format!("“{num}”的序号不加“第”"));
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("“{num}”的序号“{digits}”应为阿拉伯数字"));
    }
    if digits.starts_with('0') {
        return Some(format!("“{num}”的序号不编虚位（不加前导 0）"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers() {
        assert_eq!(number_problem("沪市监消保〔2019〕54号"), None);
        for bad in [
            "沪市监消保[2019]54号",
            "沪市监消保【2019】54号",
            "沪市监消保〔2019〕第54号",
            "沪市监消保〔2019〕054号",
            "沪市监消保2019年54号",
            "沪市监消保〔19〕54号",
            "沪市监消保〔2019〕54",
        ] {
            assert!(number_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn typed_ordinals() {
        for t in [
            "一、总体",
            "（一）组织",
            "1.成立",
            "（1）明确",
            "一是配合",
            "十二、甲",
            "1、成立",
            "12、甲",
        ] {
            assert!(typed_ordinal(t).is_some(), "{t}");
        }
        for t in [
            "一段文字",
            "2019年是",
            "1.5倍",
            "（责任部门）",
            "一些",
            "1、",
            "1..2",
            "3、4",
        ] {
            assert!(typed_ordinal(t).is_none(), "{t}");
        }
    }
}
