//! Where each field of a YAML file is: a map from field path (as error
//! messages write it, `正文[2].说明`) to line and column. serde does not keep
//! positions, so checks made after decoding look them up here.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

/// Field path → (1-based line, 1-based column) of its key (or, for list
/// items, of the item).
#[derive(Debug, Default, Clone)]
pub struct Locations {
    at: HashMap<String, (usize, usize)>,
    /// Keys written twice in one mapping: where the second one is.
    repeated: Vec<(String, (usize, usize))>,
    /// Plain (unquoted) scalar values: path, char offset, text as written.
    plain: Vec<(String, usize, String)>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Locations {
    pub fn of(text: &str) -> Locations {
        let mut out = HashMap::new();
        let mut repeated = Vec::new();
        let mut plain = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        // The path a value starting now would have; records its position.
        let place = |out: &mut HashMap<String, (usize, usize)>,
                     stack: &mut Vec<Frame>,
                     line: usize,
                     col: usize|
         -> Option<String> {
            match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Seq { path, index }) => {
                    let p = format!("{path}[{index}]");
                    *index += 1;
                    out.entry(p.clone()).or_insert((line, col));
                    Some(p)
                }
                Some(Frame::Map { path, key }) => key.take().map(|k| join(path, &k)),
            }
        };
        while let Ok((event, mark)) = parser.next_token() {
            let (line, col) = (mark.line(), mark.col() + 1);
            match event {
                Event::StreamEnd => break,
                Event::Scalar(value, style, ..) => {
                    if let Some(Frame::Map { path, key }) = stack.last_mut() {
                        if key.is_none() {
                            // A key: remember where it is; its value comes next.
                            let p = join(path, &value);
                            if out.contains_key(&p) {
                                repeated.push((p.clone(), (line, col)));
                            }
                            out.entry(p).or_insert((line, col));
                            *key = Some(value);
                            continue;
                        }
                    }
                    let at = place(&mut out, &mut stack, line, col);
                    if let (Some(at), yaml_rust2::scanner::TScalarStyle::Plain) = (at, style) {
                        plain.push((at, mark.index(), value));
                    }
                }
                Event::MappingStart(..) => {
                    let path = place(&mut out, &mut stack, line, col).unwrap_or_default();
                    stack.push(Frame::Map { path, key: None });
                }
                Event::SequenceStart(..) => {
                    let path = place(&mut out, &mut stack, line, col).unwrap_or_default();
                    stack.push(Frame::Seq { path, index: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Alias(_) => {
                    place(&mut out, &mut stack, line, col);
                }
                _ => {}
            }
        }
        Locations {
            at: out,
            repeated,
            plain,
        }
    }

    /// The plain (unquoted) scalar values: path, char offset, text.
    pub fn plain_scalars(&self) -> &[(String, usize, String)] {
        &self.plain
    }

    /// Where a key named `key` is written a second time.
    pub fn repeated(&self, key: &str) -> Option<(usize, usize)> {
        self.repeated
            .iter()
            .find(|(p, _)| p == key || p.ends_with(&format!(".{key}")))
            .map(|(_, pos)| *pos)
    }

    /// The position of exactly `path`, if it is written.
    pub fn get_exact(&self, path: &str) -> Option<(usize, usize)> {
        self.at.get(path).copied()
    }

    /// Where the document's keys begin: the place of a finding about a
    /// top-level key that is not written at all.
    pub fn start(&self) -> Option<(usize, usize)> {
        self.at
            .iter()
            .filter(|(p, _)| !p.is_empty() && !p.contains(['.', '[']))
            .map(|(_, pos)| *pos)
            .min()
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn get(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.at.get(&p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_lines_and_columns() {
        let text = "标题: 关于\n正文:\n  - 一段\n  - 标题: 甲\n    内容:\n      - 事项: 乙\n        说明: 丙\n";
        let l = Locations::of(text);
        assert_eq!(l.get("标题"), Some((1, 1)));
        assert_eq!(l.get("正文[0]"), Some((3, 5)));
        assert_eq!(l.get("正文[1].标题"), Some((4, 5)));
        assert_eq!(l.get("正文[1].内容[0].说明"), Some((7, 9)));
        assert_eq!(l.get("正文[1].内容[0].说明.x"), Some((7, 9)));
        assert_eq!(
            Locations::of("甲: 1\n乙: 2\n甲: 3\n").repeated("甲"),
            Some((3, 1))
        );
    }
}
