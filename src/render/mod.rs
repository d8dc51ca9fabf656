//! Stage 2 — render: content → Typst source through minijinja templates.
//!
//! Templates are embedded in the binary; a content folder's `templates/`
//! overrides one by name. Templates named `*.typ.j2` auto-escape every value
//! into literal Typst markup (see `escape`), so content is never interpreted
//! as Typst markup or code.

pub(crate) mod escape;
pub(crate) mod view;

use minijinja::{AutoEscape, Environment, Value};

use crate::content::Project;
use crate::error::{Error, Result};
use crate::style::{Role, Style, Typ};
use crate::timings::{self, RENDER};
pub(crate) use view::{AttachmentView, TableView, View};

/// The embedded default templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "notice.typ.j2",
        include_str!("../../templates/notice.typ.j2"),
    ),
    (
        "macros.typ.j2",
        include_str!("../../templates/macros.typ.j2"),
    ),
    ("form.typ.j2", include_str!("../../templates/form.typ.j2")),
    ("gongwen.typ", include_str!("../../templates/gongwen.typ")),
];

/// The template that renders a notice.
pub const NOTICE_TEMPLATE: &str = "notice.typ.j2";
/// The template that renders form pages and the 汇总表.
pub const FORM_TEMPLATE: &str = "form.typ.j2";
/// Template instructions one render may run: the canonical notice needs
/// about 10^5, a 1,000-row table about 10^6; a loop in an override stops.
const TEMPLATE_FUEL: u64 = 50_000_000;
/// The Typst layout library the generated source imports.
pub const LIBRARY: &str = "gongwen.typ";

/// Font families per role that exist on this machine: (role, families, weight).
pub type ResolvedFonts = Vec<(Role, Vec<String>, String)>;

/// The Typst sources of one document: the generated main file and the
/// layout library it imports.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub main: String,
    pub library: String,
}

/// Looks a template up: the content folder's override first, then the default.
fn template<'a>(project: &'a Project, name: &str) -> Option<&'a str> {
    project.templates.get(name).map(String::as_str).or_else(|| {
        DEFAULT_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
    })
}

/// Builds the minijinja environment: Typst auto-escaping for `*.typ.j2`,
/// strict undefined values, and the `typst_string` filter for string literals.
fn environment(project: &Project) -> Result<Environment<'_>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // A template override that loops forever runs out of fuel instead.
    env.set_fuel(Some(TEMPLATE_FUEL));
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ.j2") {
            AutoEscape::Custom("typst".into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if !matches!(state.auto_escape(), AutoEscape::Custom(ref n) if n == "typst")
            || value.is_safe()
        {
            return minijinja::escape_formatter(out, state, value);
        }
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let mut s = String::new();
        match value.as_str() {
            Some(text) => escape::markup(text, &mut s),
            // Numbers and booleans cannot carry markup; they go in as written
            // so that code positions (widths, levels, dates) stay numbers.
            None => s = value.to_string(),
        }
        out.write_str(&s)
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    env.add_filter("typst_string", |v: &str| {
        Value::from_safe_string(escape::string(v))
    });
    // A name in a code position (an alignment): only a Typst identifier
    // passes, as is; anything else stops the render.
    env.add_filter("typst_ident", |v: &str| {
        let ident = !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if ident {
            Ok(Value::from_safe_string(v.to_string()))
        } else {
            Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("“{v}”不能用在 Typst 代码中"),
            ))
        }
    });
    // The else of every dispatch on a view's kind: a kind the templates do
    // not handle is an error naming it, never a block silently left out.
    env.add_function(
        "unhandled_kind",
        |kind: &str| -> std::result::Result<Value, minijinja::Error> {
            Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("模板没有处理“{kind}”这种正文块"),
            ))
        },
    );
    // Only templates are parsed: the layout library is Typst, read as is.
    let sources = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .chain(project.templates.keys().map(String::as_str))
        .filter(|name| name.ends_with(".j2"));
    for name in sources {
        if let Some(src) = template(project, name) {
            env.add_template_owned(name.to_string(), src.to_string())
                .map_err(|e| template_error(name, &e))?;
        }
    }
    Ok(env)
}

/// A template error with the template's name and line, for the person who
/// wrote the override.
fn template_error(name: &str, e: &minijinja::Error) -> Error {
    Error::Template {
        name: e.name().unwrap_or(name).to_string(),
        line: e.line(),
        message: {
            let kind = kind_words(e.kind());
            e.detail()
                .map_or_else(|| kind.to_string(), |d| format!("{kind}（{d}）"))
        },
    }
}

/// What a template error is, in Chinese (minijinja's detail, about the
/// template's own code, follows it as written).
fn kind_words(kind: minijinja::ErrorKind) -> &'static str {
    use minijinja::ErrorKind as K;
    match kind {
        K::SyntaxError => "模板语法错误",
        K::UndefinedError => "用到了没有定义的值",
        K::InvalidOperation => "无法执行的操作",
        K::TemplateNotFound => "找不到模板",
        K::UnknownFilter => "没有这个过滤器",
        K::UnknownFunction => "没有这个函数",
        K::UnknownMethod => "没有这个方法",
        K::UnknownTest => "没有这个测试",
        K::MissingArgument => "缺少参数",
        K::TooManyArguments => "参数过多",
        K::OutOfFuel => "模板运行步数超过上限（可能有死循环）",
        K::CannotUnpack => "无法拆分这个值",
        K::NonKey => "不能用作键的值",
        K::BadEscape => "转义字符有误",
        _ => "模板出错",
    }
}

/// The style as a Typst dictionary (the `st` of gongwen.typ): every
/// declared value, the derived ones (pitch, right margin), and per role
/// `families`, the faces that exist on this machine.
pub(crate) fn style_dict(style: &Style, families: &[(Role, Vec<String>, String)]) -> String {
    let quoted = |list: &[String]| {
        let items: Vec<String> = list.iter().map(|s| escape::string(s)).collect();
        format!("({},)", items.join(", "))
    };
    let mut entries: Vec<(&str, String)> = style
        .declared()
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Typ::Code(code) => code,
                Typ::Str(s) => escape::string(&s),
                Typ::Strs(list) => quoted(&list),
            };
            (k, v)
        })
        .collect();
    entries.push(("pitch", format!("{:.4}pt", style.pitch_pt())));
    entries.push(("right", format!("{:.4}mm", style.right_mm())));
    let fonts: Vec<String> = families
        .iter()
        .map(|(role, fams, weight)| {
            format!(
                "{}: (families: {}, weight: {})",
                role.name(),
                quoted(fams),
                escape::string(weight)
            )
        })
        .collect();
    entries.push(("fonts", format!("({})", fonts.join(", "))));
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("  {k}: {v},"))
        .collect();
    format!("(\n{}\n)", body.join("\n"))
}

/// Renders the documents of one project. The environment is built once, so a
/// batch of forms renders each form without rebuilding it.
pub struct Renderer<'a> {
    env: Environment<'a>,
    project: &'a Project,
    style: String,
}

impl<'a> Renderer<'a> {
    /// `fonts` are the families available to the typesetter. Fails on a
    /// template override that does not parse.
    pub fn new(project: &'a Project, fonts: &ResolvedFonts) -> Result<Renderer<'a>> {
        let _span = timings::span(RENDER);
        Ok(Renderer {
            env: environment(project)?,
            project,
            style: style_dict(&project.style, fonts),
        })
    }

    fn render(&self, name: &str, view: Value) -> Result<Rendered> {
        let _span = timings::span(RENDER);
        let err = |e: minijinja::Error| template_error(name, &e);
        let tmpl = self.env.get_template(name).map_err(err)?;
        let date = &self.project.notice.date.0;
        let ctx = minijinja::context! {
            style => Value::from_safe_string(self.style.clone()),
            date => minijinja::context! {
                year => chrono::Datelike::year(date),
                month => chrono::Datelike::month(date),
                day => chrono::Datelike::day(date),
            },
            ..view
        };
        let main = tmpl.render(ctx).map_err(err)?;
        let library = template(self.project, LIBRARY)
            .unwrap_or_default()
            .to_string();
        Ok(Rendered { main, library })
    }

    /// The notice with everything it issues and attaches.
    pub fn notice(&self) -> Result<Rendered> {
        let view = View::new(&self.project.notice, &self.project.style);
        self.render(NOTICE_TEMPLATE, Value::from(minijinja::value::Serde(&view)))
    }

    /// Attachment pages on their own: forms and the 汇总表.
    pub fn pages(&self, title: &str, pages: &[AttachmentView], numbered: bool) -> Result<Rendered> {
        let view = minijinja::context! {
            title => title,
            numbered => numbered,
            pages => Value::from(minijinja::value::Serde(pages)),
        };
        self.render(FORM_TEMPLATE, view)
    }
}

/// Renders a project's notice into Typst sources.
pub fn render(project: &Project, fonts: &ResolvedFonts) -> Result<Rendered> {
    Renderer::new(project, fonts)?.notice()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typst_dictionary_carries_the_standard_numbers() {
        // Against the standard's own figures, not this file's arithmetic:
        // 版心 225 mm − one 3号 em (16 pt) over 21 gaps ≈ 29.609 pt; A4 right
        // margin 210 − 28 − 156 = 26 mm; 空二行 of 30 pt rows = 60 pt.
        let st = style_dict(&Style::default(), &[]);
        for needle in [
            "pitch: 29.6093pt",
            "right: 26.0000mm",
            "number-gap: 60.0000pt",
            "red: cmyk(0%, 80%, 80%, 0%)",
            "heading-fonts: (\"heiti\", \"kaiti\", \"fangsong\", \"fangsong\",)",
            "page-number-dash: \"—\"",
        ] {
            assert!(st.contains(needle), "{needle} in {st}");
        }
    }

    /// Renders `blocks` through the templates' own `blocks_of`.
    fn blocks_source(blocks: Value) -> std::result::Result<String, minijinja::Error> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2019-315");
        let project = Project::load(&root).unwrap();
        let mut env = environment(&project).unwrap();
        env.add_template(
            "probe.typ.j2",
            "{%- import \"macros.typ.j2\" as m %}{{ m.blocks_of(blocks) }}",
        )?;
        env.get_template("probe.typ.j2")?
            .render(minijinja::context! { blocks })
    }

    #[test]
    fn every_block_kind_is_printed_by_the_templates() {
        let blocks: Vec<view::BlockView> = view::BlockKind::one_of_each()
            .into_iter()
            .map(|block| view::BlockView { block, keep: false })
            .collect();
        let source = blocks_source(Value::from(minijinja::value::Serde(&blocks)))
            .unwrap_or_else(|e| panic!("{e:#}"));
        for text in [
            "段落之文",
            "编号之文",
            "标题之文",
            "事项之文",
            "章之文",
            "节之文",
            "条之文",
            "表格之行",
        ] {
            assert!(source.contains(text), "{text} not printed:\n{source}");
        }
    }

    #[test]
    fn a_kind_the_templates_do_not_handle_stops_the_render_naming_it() {
        let quote = Value::from(minijinja::value::Serde(vec![serde_json::json!({
            "kind": "quote", "text": "引文之文", "keep": false
        })]));
        let e = blocks_source(quote).unwrap_err();
        assert!(format!("{e:#}").contains("“quote”"), "{e:#}");
    }
}
