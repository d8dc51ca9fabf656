//! The one escaping mechanism: every value a template inserts is written as
//! literal Typst markup unless a template marks it safe.

/// Appends `s` to `out` so that Typst markup prints it exactly as written.
///
/// In markup, `\X` yields a literal X for any non-space X, so every ASCII
/// punctuation character (all of Typst's markup and code triggers: `# $ * _
/// ` < > @ [ ] \ / ~ = - + ' " : .` …) is prefixed with a backslash. That also
/// defuses `//`, `/* */`, `--`, `...`, line-start markers and autolinks. A
/// line break in the text is a line break in print.
pub fn markup(s: &str, out: &mut String) {
    for ch in s.chars() {
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
}

/// `markup` into a new string.
pub fn markup_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    markup(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(markup_string("#a*b_[c]"), "\\#a\\*b\\_\\[c\\]");
        assert_eq!(markup_string("// x"), "\\/\\/ x");
        assert_eq!(markup_string("上\n下"), "上#linebreak()下");
        assert_eq!(markup_string("“3·15”"), "“3·15”");
    }
}
