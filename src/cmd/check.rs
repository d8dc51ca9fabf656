//! `gongwen check`: the content checks, the 公文 lint and glyph coverage,
//! without typesetting. `build` runs the same checks first.

use std::path::Path;

use crate::content::check::{Finding, Severity};
use crate::error::{Error, Result};
use crate::{Engine, Project};

/// Checks `content`; Ok with the warnings, or Err listing every finding when
/// there are errors.
pub fn run(engine: &Engine, content: &Path) -> Result<Vec<Finding>> {
    let project = Project::load(content)?;
    let findings = crate::check(engine, &project);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(Error::Checks(
            findings.iter().map(ToString::to_string).collect(),
        ));
    }
    Ok(findings)
}
