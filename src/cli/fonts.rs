//! `gongwen fonts`: which face prints each role, and whether it is the
//! office's conventional one; and the one line `build` prints when a
//! bundled substitute stood in.

use gongwen::style::Style;
use gongwen::{Engine, Error, Result};

/// The report, a line per role.
pub fn report(engine: &Engine, style: &Style) -> String {
    let uses = engine.font_report(style);
    let mut out: String = uses.iter().map(|u| format!("{}\n", u.line())).collect();
    let missing = uses.iter().filter(|u| !u.standard).count();
    if missing == 0 {
        out.push_str("各角色都用了常规字体。\n");
    } else {
        out.push_str(&format!(
            "{missing} 种常规字体未安装，已用随附的 Fandol 字体代替：版面尺寸不变，字形不同。\n\
             安装后（或用 --font-path 指定字体文件夹）即可使用；--require-standard-fonts 在代用时报错。\n"
        ));
    }
    out
}

/// The substitutes in `style`, as one line for `build`'s output; with
/// `required`, an error instead.
pub fn substitutes(engine: &Engine, style: &Style, required: bool) -> Result<Option<String>> {
    let missing: Vec<String> = engine
        .font_report(style)
        .into_iter()
        .filter(|u| !u.standard)
        .map(|u| format!("{}→{}", u.wanted, u.used))
        .collect();
    if missing.is_empty() {
        return Ok(None);
    }
    let list = missing.join("，");
    if required {
        return Err(Error::Usage(format!(
            "要求使用常规字体（--require-standard-fonts），但未安装：{list}"
        )));
    }
    Ok(Some(format!(
        "提示：字体代用 {list}（gongwen fonts 查看详情）"
    )))
}
