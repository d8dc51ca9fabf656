//! Glyph coverage: every character of the content must be printable. A
//! character missing from its role's faces is printed by Typst's fallback
//! from another face in the font book; one that no face has is an error
//! naming the character, the field and the line — never a blank box.

use std::collections::BTreeSet;

use typst::text::FontBook;

use crate::content::check::{fields, Finding, Severity};
use crate::content::Project;
use crate::error::Located;
use crate::render::ResolvedFonts;

/// The characters of `text` that no face in `book` can print.
pub fn unprintable(book: &FontBook, text: &str) -> Vec<char> {
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .filter(|c| {
            !book.families().any(|(_, mut ids)| {
                ids.any(|i| book.info(i).is_some_and(|f| f.coverage.contains(*c as u32)))
            })
        })
        .collect();
    out.dedup();
    out
}

/// Checks the text of `project` against the fonts of `book`.
pub fn check(book: &FontBook, fonts: &ResolvedFonts, project: &Project) -> Vec<Finding> {
    let covers = |family: &str, c: char| {
        book.select_family(&family.to_lowercase()).any(|i| {
            book.info(i)
                .is_some_and(|info| info.coverage.contains(c as u32))
        })
    };
    let anywhere = |c: char| book.families().any(|(f, _)| covers(f, c));
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for f in fields(&project.notice) {
        let families = fonts
            .iter()
            .find(|(r, _, _)| *r == f.role)
            .map(|(_, fams, _)| fams.as_slice())
            .unwrap_or(&[]);
        for c in f
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            if families.iter().any(|fam| covers(fam, c)) || !reported.insert((f.path.clone(), c)) {
                continue;
            }
            let (line, column) = project.locations.get(&f.path).unwrap_or((0, 0));
            let at = |message: String| Located {
                file: project.source.clone(),
                line,
                column,
                field: f.path.clone(),
                message,
            };
            if anywhere(c) {
                out.push(Finding {
                    severity: Severity::Warning,
                    rule: "字形覆盖",
                    at: at(format!(
                        "“{c}”（U+{:04X}）不在本角色的字体中，由其他字体补字",
                        c as u32
                    )),
                });
            } else {
                out.push(Finding {
                    severity: Severity::Error,
                    rule: "字形覆盖",
                    at: at(format!(
                        "“{c}”（U+{:04X}）没有任何字体能显示；请安装含此字的字体或用 --font-path 指定",
                        c as u32
                    )),
                });
            }
        }
    }
    out
}
