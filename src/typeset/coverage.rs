//! Glyph coverage: every character of the content must be printable. A
//! character missing from its role's faces is printed by Typst's fallback
//! from another face in the font book; one that no face has is an error
//! naming the character, the field and the line — never a blank box.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use typst::text::FontBook;

use crate::content::check::{Finding, Severity};
use crate::content::walk::walk;
use crate::content::Project;
use crate::render::ResolvedFonts;
use crate::style::Role;

/// Which characters each face of a font book has. Typst's `Coverage` is a
/// run list walked from the start, thousands of runs for a CJK face; here a
/// face's runs become sorted ranges for binary search, built the first time
/// the face is asked about and kept for the engine's life.
pub struct Glyphs {
    faces: Vec<OnceLock<Vec<(u32, u32)>>>,
}

impl Glyphs {
    pub fn new(book: &FontBook) -> Glyphs {
        let count = (0..).take_while(|&i| book.info(i).is_some()).count();
        Glyphs {
            faces: (0..count).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Whether face `face` of `book` (the book this was made for) has `c`.
    pub fn has(&self, book: &FontBook, face: usize, c: char) -> bool {
        let Some(cell) = self.faces.get(face) else {
            return false;
        };
        let ranges = cell.get_or_init(|| {
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            for cp in book
                .info(face)
                .map(|i| i.coverage.iter())
                .into_iter()
                .flatten()
            {
                match ranges.last_mut() {
                    Some((_, end)) if *end + 1 == cp => *end = cp,
                    _ => ranges.push((cp, cp)),
                }
            }
            ranges
        });
        let c = c as u32;
        let i = ranges.partition_point(|&(start, _)| start <= c);
        i > 0 && c <= ranges[i - 1].1
    }

    /// Whether any face has `c`.
    pub fn anywhere(&self, book: &FontBook, c: char) -> bool {
        (0..self.faces.len()).any(|face| self.has(book, face, c))
    }
}

/// Whether `c` needs a glyph of its own: not whitespace, a control
/// character, or an invisible modifier (variation selectors, which pick a
/// form of the character before them; joiners; the BOM).
fn printed(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0x180B..=0x180F | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xE0001 | 0xE0020..=0xE007F | 0xE0100..=0xE01EF))
}

/// The characters of `text` that no face in `book` can print, each once.
pub fn unprintable(book: &FontBook, glyphs: &Glyphs, text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| printed(*c)) {
        if !out.contains(&c) && !glyphs.anywhere(book, c) {
            out.push(c);
        }
    }
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
pub fn check(
    book: &FontBook,
    glyphs: &Glyphs,
    fonts: &ResolvedFonts,
    project: &Project,
) -> Vec<Finding> {
    let faces = |families: &[String]| -> Vec<usize> {
        families
            .iter()
            .flat_map(|f| book.select_family(&f.to_lowercase()).collect::<Vec<_>>())
            .collect()
    };
    let roles: HashMap<Role, Vec<usize>> = fonts
        .iter()
        .map(|(role, fams, _)| (*role, faces(fams)))
        .collect();
    let has = |ids: &[usize], c: char| ids.iter().any(|&i| glyphs.has(book, i, c));
    let mut seen: HashMap<(Role, char), Reach> = HashMap::new();
    let mut reach = |role: Role, c: char| {
        *seen.entry((role, c)).or_insert_with(|| {
            if roles.get(&role).is_some_and(|ids| has(ids, c)) {
                Reach::Role
            } else if glyphs.anywhere(book, c) {
                Reach::Elsewhere
            } else {
                Reach::Nowhere
            }
        })
    };
    let mut out = Vec::new();
    let mut reported = HashSet::new();
    for node in walk(&project.notice, &project.style) {
        let Some(t) = node.text() else { continue };
        for c in t.text.chars().filter(|c| printed(*c)) {
            let found = reach(t.role, c);
            if found == Reach::Role || !reported.insert((node.at.clone(), c)) {
                continue;
            }
            let (severity, message) = if found == Reach::Elsewhere {
                (
                    Severity::Warning,
                    format!(
                        "“{c}”（U+{:04X}）不在本角色的字体中，由其他字体补字",
                        c as u32
                    ),
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "“{c}”（U+{:04X}）没有任何字体能显示；请安装含此字的字体或用 --font-path 指定",
                        c as u32
                    ),
                )
            };
            out.push(Finding::new(
                project,
                severity,
                "字形覆盖",
                &node.at,
                message,
            ));
        }
    }
    out
}
