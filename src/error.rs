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
            write!(f, ": 字段 {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid content: exit code 1.
    #[error("{0}")]
    Content(Located),
    /// Content that failed the checks or the 公文 lint: one line per finding.
    #[error("{}", .0.join("\n"))]
    Checks(Vec<String>),
    #[error("无法读取 {}：{source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法写入 {}：{source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A template failed to render (a bug in a template, usually an override).
    #[error("模板 {name} 出错：{message}")]
    Template { name: String, message: String },
    /// Typst reported errors; the text lists them with their places.
    #[error("排版失败：\n{0}")]
    Typeset(String),
    #[error("{0}")]
    Other(String),
}

pub type Result<T> = std::result::Result<T, Error>;
