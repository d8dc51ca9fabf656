//! The one escaping mechanism: every string that reaches Typst — content
//! through the templates' auto-escaping, the style's strings and font names
//! through `string` — is written so that Typst reads it as literal text.

/// Appends `s` to `out` so that Typst markup prints it exactly as written.
///
/// In markup, `\X` yields a literal X for any non-space X, so every ASCII
/// punctuation character (all of Typst's markup and code triggers: `# $ * _
/// ` < > @ [ ] \ / ~ = - + ' " : .` …) is prefixed with a backslash. That also
/// defuses `//`, `/* */`, `--`, `...`, line-start markers and autolinks. A
/// line break in the text is a line break in print.
/// A run of Latin letters, digits and signs without a space longer than
/// this (a URL, a code) is longer than a line of the 版心 (about 56 such
/// characters): it may break between any two of its characters rather than
/// run off the page. Shorter runs stay whole, as typed.
const LONGEST_UNBROKEN: usize = 56;

pub fn markup(s: &str, out: &mut String) {
    // The characters left in the current run, and whether it may break.
    let (mut left, mut breakable) = (0usize, false);
    for (i, ch) in s.char_indices() {
        if ch.is_ascii_graphic() && left == 0 {
            left = s[i..].chars().take_while(char::is_ascii_graphic).count();
            breakable = left > LONGEST_UNBROKEN;
        }
        one(ch, out);
        if ch.is_ascii_graphic() {
            left -= 1;
            if breakable && left > 0 {
                // A break opportunity of no width that puts no character
                // into the PDF's text (U+200B would be copied with it).
                out.push_str("#box()");
            }
        }
    }
}

/// Appends one character, escaped.
fn one(ch: char, out: &mut String) {
    match ch {
        '\n' => out.push_str("#linebreak()"),
        '\r' => {}
        '\t' => out.push(' '),
        c if c.is_ascii_punctuation() => {
            out.push('\\');
            out.push(c);
        }
        // Other control characters cannot be typeset; drop them rather than
        // let them reach the parser.
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// A Typst string literal. String literals interpret only `\\ \" \n \r \t
/// \u{…}`, so those are the characters to escape (JSON escaping differs).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> String {
        let mut out = String::new();
        markup(s, &mut out);
        out
    }

    #[test]
    fn specials_are_escaped() {
        assert_eq!(m("#a*b_[c]"), "\\#a\\*b\\_\\[c\\]");
        assert_eq!(m("// x"), "\\/\\/ x");
        assert_eq!(m("上\n下"), "上#linebreak()下");
        assert_eq!(m("“3·15”"), "“3·15”");
    }

    #[test]
    fn only_a_run_longer_than_a_line_may_break() {
        let short = "A".repeat(LONGEST_UNBROKEN);
        assert_eq!(m(&short), short);
        let long = format!("见{}。", "a".repeat(LONGEST_UNBROKEN + 1));
        let out = m(&long);
        assert_eq!(out.matches("#box()").count(), LONGEST_UNBROKEN);
        assert!(
            out.starts_with("见a#box()a") && out.ends_with("a#box()a。"),
            "{out}"
        );
    }

    #[test]
    fn string_literal_escapes_only_what_typst_interprets() {
        assert_eq!(string("a\"b\\c\nd#[]"), "\"a\\\"b\\\\c\\nd#[]\"");
    }
}
