//! Stage 1 — content: a content folder (or one YAML file) read into the model.
//!
//! A content folder holds `公文.yaml` (the notice), optionally `样式.yaml`
//! (style overrides) and `templates/` (template overrides by name), plus any
//! files the notice refers to (a seal image). Nothing here knows about Typst.

pub mod check;
pub mod columns;
pub mod departments;
pub mod excel;
mod locate;
pub mod model;
pub mod scalar;
pub mod table;
pub use crate::office::text;
pub mod walk;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use locate::Locations;

/// A 发文字号 or date without the spaces a PDF's text layer puts around
/// numbers ("榕政办〔2016〕186 号").
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
pub use model::*;
pub use table::{Cell, Row, Table};
pub use yaml::decode;

use crate::error::{Error, Located, Result};
use crate::style::Style;
use crate::timings::{self, CONTENT};

/// The file name of the notice in a content folder.
pub const NOTICE_FILE: &str = "公文.yaml";
/// The file name of the style overrides in a content folder.
pub const STYLE_FILE: &str = "样式.yaml";
/// The folder of template overrides in a content folder.
pub const TEMPLATE_DIR: &str = "templates";
/// The departments a plan's 责任部门 name (optional; for `gongwen tasks`).
pub const DEPARTMENTS_FILE: &str = "部门.yaml";

/// Everything read from a content folder.
#[derive(Debug, Clone)]
pub struct Project {
    /// The content folder: the only place Typst may read files from.
    pub root: PathBuf,
    /// The document's name, used for output files.
    pub name: String,
    /// The notice's YAML file.
    pub source: PathBuf,
    pub notice: Notice,
    pub style: Style,
    /// Template overrides by name (`notice.typ.j2`, `gongwen.typ`).
    pub templates: BTreeMap<String, String>,
    /// Where each field of the notice's YAML is, for locating later checks.
    pub locations: Locations,
    /// Where each key of `样式.yaml` is.
    pub style_locations: Locations,
    /// The notice's YAML as written, input-method colons read as meant
    /// (for lints on how a value was typed; positions match `locations`).
    pub text: String,
    /// Excel files tables were read from.
    pub sheets: Vec<PathBuf>,
    /// Input-method slips read as meant (reported as warnings).
    pub slips: Vec<yaml::Slip>,
    /// `部门.yaml`, when the content folder has one.
    pub departments: Option<departments::Departments>,
}

impl Project {
    /// Reads a content folder, or a single notice YAML file.
    pub fn load(path: &Path) -> Result<Project> {
        let _span = timings::span(CONTENT);
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let (root, source, name) = if meta.is_dir() {
            let source = path.join(NOTICE_FILE);
            if !source.is_file() {
                return Err(Error::Content(Located {
                    file: path.to_path_buf(),
                    line: 0,
                    column: 0,
                    field: String::new(),
                    message: format!("内容文件夹中没有 {NOTICE_FILE}"),
                }));
            }
            (path.to_path_buf(), source, file_name(path))
        } else {
            let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            (
                root,
                path.to_path_buf(),
                stem.unwrap_or_else(|| "公文".into()),
            )
        };
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let text = read(&source)?;
        // "成文日期：…" is the commonest input-method slip: read as meant.
        let (repaired, slips) = yaml::repair(&text);
        let repaired = yaml::numbers_as_typed(&repaired);
        let mut notice: Notice = decode(&source, &repaired)?;
        let locations = Locations::of(&repaired);
        // Tables kept in Excel are read now: everything after sees rows.
        let mut sheets = Vec::new();
        let mut problem = None;
        walk::tables_mut(&mut notice, &mut |at, table| {
            let Some(src) = table.source.clone() else {
                return;
            };
            let typed = [
                ("行", !table.rows.is_empty()),
                ("列", !table.columns.is_empty()),
                ("表头", !table.header.is_empty()),
            ];
            let read = match typed.iter().find(|(_, given)| *given) {
                Some((key, _)) => Err(format!(
                    "表格有“来源”又有“{key}”：格子从 Excel 读取时不能再写 {key}；请删去其中一个"
                )),
                None => excel::read(&root, &src),
            };
            match read {
                Ok((header, rows)) => {
                    table.columns.clear();
                    table.header = header;
                    table.rows = rows;
                    sheets.push(root.join(src.file.trim_start_matches('/')));
                }
                Err(message) if problem.is_none() => {
                    let field = at.key("来源").to_string();
                    let (line, column) = locations.get(&field).unwrap_or((0, 0));
                    problem = Some(Error::Content(Located {
                        file: source.clone(),
                        line,
                        column,
                        field,
                        message,
                    }));
                }
                Err(_) => {}
            }
        });
        if let Some(e) = problem {
            return Err(e);
        }
        let style_path = root.join(STYLE_FILE);
        let (style, style_locations): (Style, Locations) = if style_path.is_file() {
            let text = read(&style_path)?;
            (decode(&style_path, &text)?, Locations::of(&text))
        } else {
            (Style::default(), Locations::default())
        };
        let problems = style.validate();
        if !problems.is_empty() {
            return Err(Error::Checks(
                problems
                    .into_iter()
                    .map(|(key, message)| {
                        let (line, column) = style_locations.get(key).unwrap_or((0, 0));
                        check::Finding {
                            severity: check::Severity::Error,
                            rule: "样式",
                            at: Located {
                                file: style_path.clone(),
                                line,
                                column,
                                field: key.to_string(),
                                message,
                            },
                        }
                    })
                    .collect(),
            ));
        }
        let templates = if meta.is_dir() {
            load_templates(&root.join(TEMPLATE_DIR))?
        } else {
            BTreeMap::new()
        };
        let departments_path = root.join(DEPARTMENTS_FILE);
        let departments = if meta.is_dir() && departments_path.is_file() {
            Some(decode(&departments_path, &read(&departments_path)?)?)
        } else {
            None
        };
        Ok(Project {
            root,
            name,
            source,
            notice,
            style,
            templates,
            locations,
            style_locations,
            text: repaired,
            sheets,
            slips,
            departments,
        })
    }
}

impl Project {
    /// The files of the project that a build reads besides those the
    /// document itself uses: the notice, the style and template overrides.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut files = vec![self.source.clone()];
        let style = self.root.join(STYLE_FILE);
        if style.is_file() {
            files.push(style);
        }
        let dir = self.root.join(TEMPLATE_DIR);
        files.extend(self.templates.keys().map(|k| dir.join(k)));
        files.extend(self.sheets.iter().cloned());
        files
    }
}

fn file_name(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    abs.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "公文".into())
}

pub(crate) fn read(path: &Path) -> Result<String> {
    text::read_text(path)
}

/// Template overrides: every file under `templates/`, keyed by its relative path.
fn load_templates(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into(),
        })?;
        // Only templates: Thumbs.db, desktop.ini, editor backups are not.
        let name = entry.file_name().to_string_lossy();
        let template = name.ends_with(".j2") || name.ends_with(".typ");
        if entry.file_type().is_file() && template && !name.starts_with(['.', '~']) {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let key = rel.to_string_lossy().replace('\\', "/");
            out.insert(key, read(entry.path())?);
        }
    }
    Ok(out)
}
