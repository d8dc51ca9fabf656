//! Glyph coverage: every character of the content must be printable. A
//! character missing from its role's faces is printed by Typst's fallback
//! from another face in the font book; one that no face has is an error
//! naming the character, the field and the line — never a blank box.

use std::collections::{BTreeSet, HashMap};

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

/// Where a character can be printed from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// A face of the field's role has it.
    Role,
    /// Only some other face has it (Typst's fallback prints it).
    Elsewhere,
    /// No face has it.
    Nowhere,
}

/// Checks the text of `project` against the fonts of `book`. A notice has a
/// few thousand characters but only a few hundred distinct ones, so each
/// (role, character) pair is looked up once.
pub fn check(book: &FontBook, fonts: &ResolvedFonts, project: &Project) -> Vec<Finding> {
    let faces = |families: &[String]| -> Vec<usize> {
        families
            .iter()
            .flat_map(|f| book.select_family(&f.to_lowercase()).collect::<Vec<_>>())
            .collect()
    };
    let all: Vec<usize> = book.families().flat_map(|(_, ids)| ids).collect();
    let roles: HashMap<&str, Vec<usize>> = fonts
        .iter()
        .map(|(role, fams, _)| (*role, faces(fams)))
        .collect();
    let has = |ids: &[usize], c: char| {
        ids.iter().any(|&i| {
            book.info(i)
                .is_some_and(|info| info.coverage.contains(c as u32))
        })
    };
    let mut seen: HashMap<(&str, char), Reach> = HashMap::new();
    let mut reach = |role: &'static str, c: char| {
        *seen.entry((role, c)).or_insert_with(|| {
            if roles.get(role).is_some_and(|ids| has(ids, c)) {
                Reach::Role
            } else if has(&all, c) {
                Reach::Elsewhere
            } else {
                Reach::Nowhere
            }
        })
    };
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for f in fields(&project.notice) {
        for c in f
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            let found = reach(f.role, c);
            if found == Reach::Role || !reported.insert((f.path.clone(), c)) {
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
            if found == Reach::Elsewhere {
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
