//! One error type for the whole pipeline. Content errors carry the file,
//! line, column and field path so an office user can find the mistake.

use std::path::PathBuf;

/// A problem in the content, located in its YAML file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub file: PathBuf,
    /// 1-based line; 0 when the problem has no single place (a missing file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Field path in the content, e.g. `印发文件[0].正文[2].标题`.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() && self.field != "." {
            write!(f, ": 字段 {}", in_words(&self.field))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A field path as a person counts: `正文[2].内容[0]` is 正文第3段的内容第1段,
/// `行[4][1]` 第5行第2格, `附件[0]` 附件1.
pub fn in_words(path: &str) -> String {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (key, indices) = segment.split_once('[').unwrap_or((segment, ""));
        let numbers: Vec<usize> = indices
            .split(['[', ']'])
            .filter_map(|n| n.parse::<usize>().ok())
            .collect();
        let mut out = String::new();
        for (i, n) in numbers.iter().map(|n| n + 1).enumerate() {
            let unit = match (key, i) {
                ("正文" | "内容", 0) => "段",
                ("行" | "表头", 0) => "行",
                ("行" | "表头", _) => "格",
                ("列" | "列宽" | "对齐", _) => "列",
                ("注", _) => "条",
                ("条", _) => "款",
                ("签署", _) => "位",
                ("出席" | "请假" | "列席", _) => "名",
                _ => "项",
            };
            match (key, i) {
                ("附件", 0) => out.push_str(&format!("附件{n}")),
                ("行" | "列", 0) => out.push_str(&format!("第{n}{unit}")),
                _ if i == 0 => out.push_str(&format!("{key}第{n}{unit}")),
                _ => out.push_str(&format!("第{n}{unit}")),
            }
        }
        if numbers.is_empty() {
            out.push_str(key);
        }
        parts.push(out);
    }
    parts.join("的")
}

/// How serious a finding of the checks is: an error stops a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of the content checks or the 公文 lint, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's name (listed in the README).
    pub rule: &'static str,
    pub at: Located,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{kind}：{}〔{}〕", self.at, self.rule)
    }
}

/// A table whose columns do not fit the 版心 even at the smallest table
/// size: where it is in the content, and its widest column (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    pub at: String,
    pub column: usize,
    pub size_pt: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid content: exit code 1.
    #[error("{0}")]
    Content(Located),
    /// Content that failed the checks or the 公文 lint: one line per finding.
    #[error("{}", lines(.0))]
    Checks(Vec<Finding>),
    #[error("无法读取 {}：{}", path.display(), io_words(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法写入 {}：{}", path.display(), io_words(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A template failed to parse or render (a bug in a template, usually
    /// an override), with the template's name and line.
    #[error("模板 {name}{} 出错：{message}", line.map(|l| format!(" 第 {l} 行")).unwrap_or_default())]
    Template {
        name: String,
        line: Option<usize>,
        message: String,
    },
    /// Typst reported errors; the text lists them with their places.
    #[error("排版失败：\n{0}")]
    Typeset(String),
    /// Tables too wide for the 版心 even at the smallest table size; the
    /// build turns them into located findings.
    #[error("{}", too_wide(.0))]
    TableTooWide(Vec<Overflow>),
    /// A defect in gongwen met while working on `file`: reported, never a crash.
    #[error("{}: 内部错误（gongwen 的缺陷，请把这个文件和这条消息报告给维护者）：{message}", file.display())]
    Internal { file: PathBuf, message: String },
    /// Writing a PDF, image or workbook failed.
    #[error("{0}")]
    Export(String),
    /// A command asked for something that does not exist or would destroy
    /// work (`gongwen new` over an existing 公文.yaml).
    #[error("{0}")]
    Usage(String),
}

/// What went wrong with a file, in the users' words (the system's own
/// message is English): what it means and what to do.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限（文件可能正被 Excel、WPS 或其他程序打开，或属于别的用户）",
        K::AlreadyExists => "同名的文件或文件夹已经存在（输出文件夹的位置上可能是一个文件）",
        K::NotADirectory => "路径中有一段是文件而不是文件夹",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
        K::InvalidFilename => "文件名太长或含有不允许的字符",
        K::ResourceBusy => "文件正被其他程序使用",
        K::CrossesDevices => "不能跨磁盘移动",
        K::InvalidData => "内容不是有效的文字",
        _ => return format!("系统报告的错误：{e}"),
    };
    said.to_string()
}

fn lines(findings: &[Finding]) -> String {
    let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

fn too_wide(list: &[Overflow]) -> String {
    let lines: Vec<String> = list
        .iter()
        .map(|o| {
            let at = if o.at.is_empty() {
                "表格"
            } else {
                o.at.as_str()
            };
            format!(
                "{at}：第 {} 列即使用 {} pt 字号也排不下",
                o.column, o.size_pt
            )
        })
        .collect();
    lines.join("\n")
}

/// Runs `f`, turning a panic into `Error::Internal` about `file`: a defect
/// of gongwen or of a library is reported, never an abort.
pub(crate) fn guard<T>(file: &std::path::Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        Err(Error::Internal {
            file: file.to_path_buf(),
            message: panic_message(panic.as_ref()),
        })
    })
}

/// The message a panic carried.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

pub type Result<T> = std::result::Result<T, Error>;
