//! The middle stages for one document: check (content checks, the 公文
//! lint, glyph coverage), render and typeset — everything short of writing
//! files, which the products do through `output`.

use std::path::PathBuf;

use crate::content::{self, Project};
use crate::error::{self, guard, Error, Finding, Result, Severity};
use crate::render::{self, Rendered};
use crate::style;
use crate::timings;
use crate::typeset::{self, Engine};

use timings::CHECK;
use typst_layout::PagedDocument;

/// A compiled document with the Typst sources it came from.
pub struct Built {
    /// The Typst sources as rendered from the templates (`--emit typ`).
    pub rendered: Rendered,
    /// The laid-out pages: the PDF, PNG and OFD writers read them.
    pub doc: PagedDocument,
    /// Lint warnings, located.
    pub findings: Vec<Finding>,
    /// Typst's own warnings, with their places in the generated source.
    pub warnings: Vec<String>,
    /// Every file the build read: the notice, the style and template
    /// overrides, and the files the document uses (a seal image).
    pub inputs: Vec<PathBuf>,
}

/// The content checks, the 公文 lint and glyph coverage of a project, sorted
/// by place. Errors among them stop a build.
pub fn check(engine: &Engine, project: &Project) -> Vec<Finding> {
    let _span = timings::span(CHECK);
    let checked = guard(&project.source, || Ok(check_unguarded(engine, project)));
    checked.unwrap_or_else(|e| {
        vec![Finding {
            severity: Severity::Error,
            rule: "内部错误",
            at: error::Located {
                file: project.source.clone(),
                line: 0,
                column: 0,
                field: String::new(),
                message: e.to_string(),
            },
        }]
    })
}

fn check_unguarded(engine: &Engine, project: &Project) -> Vec<Finding> {
    let mut findings = content::check::check(project);
    let fonts = engine.resolve_fonts(&project.style);
    // An error in 样式.yaml at `field`.
    let style_error = |rule: &'static str, field: String, message: String| {
        let (line, column) = project.style_locations.get(&field).unwrap_or((0, 0));
        Finding {
            severity: Severity::Error,
            rule,
            at: error::Located {
                file: project.root.join(content::STYLE_FILE),
                line,
                column,
                field,
                message,
            },
        }
    };
    // A role none of whose faces exists would print in whatever Typst finds.
    for (role, families, _) in &fonts {
        if families.is_empty() {
            findings.push(style_error(
                "字体",
                format!("字体.{}", role.yaml_name()),
                format!(
                    "{:?} 中没有一个字体装在这台电脑上；请安装，或用 --font-path 指定字体文件夹，或在列表末尾加上内置字体",
                    project.style.fonts.of(*role).families
                ),
            ));
        }
    }
    // Typst's own message for a weight it does not know is English and
    // unlocated; the style file is named here instead.
    let weights = [
        "thin",
        "extralight",
        "light",
        "regular",
        "medium",
        "semibold",
        "bold",
        "extrabold",
        "black",
    ];
    for role in style::Role::ALL {
        let weight = &project.style.fonts.of(role).weight;
        if !weights.contains(&weight.as_str()) {
            findings.push(style_error(
                "字重",
                format!("字体.{}.字重", role.yaml_name()),
                format!(
                    "字重“{weight}”不可用；可写 {}（常规为 regular，加粗为 bold）",
                    weights.join("、")
                ),
            ));
        }
    }
    for file in engine.skipped_fonts(&project.style) {
        findings.push(Finding {
            severity: Severity::Warning,
            rule: "字体文件",
            at: error::Located {
                file: file.clone(),
                line: 0,
                column: 0,
                field: String::new(),
                message: "不是可用的字体文件（损坏、不完整或过大），已跳过".into(),
            },
        });
    }
    findings.extend(engine.coverage(&fonts, project));
    content::check::sort(&mut findings);
    findings
}

/// Loads `content` and refuses it when the checks find errors: what every
/// product (forms, returns, task lists, 督办) starts from, so that none of
/// them works from content `check` would refuse.
pub fn load_checked(engine: &Engine, content: &std::path::Path) -> Result<Project> {
    let project = Project::load(content)?;
    let errors: Vec<Finding> = check(engine, &project)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(project)
    } else {
        Err(Error::Checks(errors))
    }
}

/// Checks, renders and typesets a project: everything short of writing files.
/// A panic anywhere inside (a defect of gongwen or of a library) becomes an
/// error naming the content file, never an abort.
pub fn build(engine: &Engine, project: &Project) -> Result<Built> {
    guard(&project.source, || build_unguarded(engine, project))
}

fn build_unguarded(engine: &Engine, project: &Project) -> Result<Built> {
    let fonts = engine.resolve_fonts(&project.style);
    let (errors, findings): (Vec<_>, Vec<_>) = check(engine, project)
        .into_iter()
        .partition(|f| f.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Checks(errors));
    }
    let rendered = render::render(project, &fonts)?;
    let compiled = match engine.compile(&project.root, &rendered, project.notice.date) {
        Err(Error::TableTooWide(tables)) => {
            return Err(Error::Checks(
                tables.iter().map(|t| table_too_wide(project, t)).collect(),
            ))
        }
        other => other?,
    };
    let mut inputs = project.inputs();
    inputs.extend(compiled.dependencies);
    inputs.sort();
    inputs.dedup();
    Ok(Built {
        rendered,
        doc: compiled.doc,
        findings,
        warnings: compiled.warnings,
        inputs,
    })
}

/// A table that cannot fit, as a located finding.
fn table_too_wide(project: &Project, t: &typeset::Overflow) -> Finding {
    let field = t.at.clone();
    let (line, column) = project.locations.get(&field).unwrap_or((0, 0));
    Finding {
        severity: Severity::Error,
        rule: "表格过宽",
        at: error::Located {
            file: project.source.clone(),
            line,
            column,
            field,
            message: format!(
                "第 {} 列的数字或词语太长，即使用 {} pt 字号，各列也排不进版心宽；请缩短、拆分这一列，或把表格分成两张",
                t.column, t.size_pt
            ),
        },
    }
}
