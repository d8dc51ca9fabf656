//! The same notice as a XeLaTeX document, for the side-by-side timing: the
//! content's every word, the same Fandol faces (ctex's `fontset=fandol`),
//! the 版心 and the 22-line pitch of GB/T 9704. Only the timing is compared;
//! the layout is close to, not the same as, gongwen's.

use gongwen::content::{Attachment, Block, Notice, Table};

const NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
];

/// Escapes LaTeX's special characters.
fn tex(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            '\n' => out.push_str("\\\\\n"),
            _ => out.push(c),
        }
    }
    out
}

fn blocks(out: &mut String, list: &[Block], depth: usize) {
    let mut heading = 0;
    let mut item = 0;
    for b in list {
        match b {
            Block::Paragraph(p) => out.push_str(&format!("{}\n\n", tex(p))),
            Block::Heading(h) => {
                let (title, content) = (&h.title, &h.content);
                let n = NUMERALS[heading % 20];
                heading += 1;
                let line = match depth {
                    0 => format!("{{\\heiti {n}、{}}}", tex(title)),
                    1 => format!("{{\\kaishu （{n}）{}}}", tex(title)),
                    2 => format!("{heading}. {}", tex(title)),
                    _ => format!("（{heading}）{}", tex(title)),
                };
                out.push_str(&format!("{line}\n\n"));
                blocks(out, content, depth + 1);
            }
            Block::Item(i) => {
                let n = NUMERALS[item % 20];
                item += 1;
                out.push_str(&format!("{n}是{}", tex(&i.lead)));
                if let Some(t) = &i.text {
                    out.push_str(&tex(t));
                }
                if let Some(d) = &i.departments {
                    out.push_str(&format!("（责任部门：{}）", tex(d)));
                }
                out.push_str("\n\n");
            }
            Block::Table(t) => table(out, t, &[]),
            // The canonical notice uses none of these; the comparison keeps
            // them plain.
            Block::Numbered { text, .. } => out.push_str(&format!("{}\n\n", tex(text))),
            Block::Chapter { title, content } | Block::Section { title, content } => {
                out.push_str(&format!("{{\\heiti {}}}\n\n", tex(title)));
                blocks(out, content, depth);
            }
            Block::Article(clauses) => {
                for c in clauses {
                    out.push_str(&format!("{}\n\n", tex(&c.text)));
                }
            }
        }
    }
}

fn table(out: &mut String, t: &Table, fill: &[String]) {
    if !fill.is_empty() {
        let line: Vec<String> = fill
            .iter()
            .map(|f| format!("{}：\\hspace{{6em}}", tex(f)))
            .collect();
        out.push_str(&format!("\\noindent {}\n\n", line.join("")));
    }
    let cols = t.columns.len() + usize::from(t.auto_number);
    out.push_str(&format!(
        "{{\\zihao{{4}}\\noindent\\begin{{longtable}}{{|{}|}}\\hline\n",
        vec!["c"; cols].join("|")
    ));
    let mut head: Vec<String> = t.columns.iter().map(|c| tex(&c.text)).collect();
    if t.auto_number {
        head.insert(0, "序号".into());
    }
    out.push_str(&format!("{}\\\\\\hline\\endhead\n", head.join(" & ")));
    for (i, row) in t.rows.iter().enumerate() {
        // The canonical notice's tables are plain rows.
        let gongwen::content::Row::Cells(row) = row else {
            continue;
        };
        let mut cells: Vec<String> = row.iter().map(|c| tex(&c.text)).collect();
        if t.auto_number {
            cells.insert(0, (i + 1).to_string());
        }
        out.push_str(&format!("{}\\\\\\hline\n", cells.join(" & ")));
    }
    out.push_str("\\end{longtable}}\n\n");
}

fn attachments(out: &mut String, list: &[Attachment]) {
    for (i, a) in list.iter().enumerate() {
        out.push_str("\\newpage\n\\noindent{\\heiti 附件");
        if list.len() > 1 {
            out.push_str(&(i + 1).to_string());
        }
        out.push_str(&format!(
            "}}\n\n\\vspace{{\\baselineskip}}\\begin{{center}}{{\\zihao{{2}}\\bfseries\\songti {}}}\\end{{center}}\n\n",
            tex(&a.title)
        ));
        blocks(out, &a.body, 0);
        if let Some(t) = &a.table {
            table(out, t, &a.fill_fields);
        }
    }
}

/// The notice as a complete XeLaTeX document.
pub fn document(n: &Notice) -> String {
    let mut out = String::from(
        "\\documentclass[fontset=fandol]{ctexart}\n\
         \\usepackage[a4paper,top=37mm,left=28mm,textwidth=156mm,textheight=225mm]{geometry}\n\
         \\usepackage{xcolor,longtable,fancyhdr}\n\
         \\setlength{\\parindent}{2em}\\setlength{\\parskip}{0pt}\n\
         \\linespread{1}\\selectfont\\setlength{\\baselineskip}{29.6pt}\n\
         \\pagestyle{fancy}\\fancyhf{}\\renewcommand{\\headrulewidth}{0pt}\n\
         \\fancyfoot[RO]{\\zihao{4}\\songti — \\thepage{} —}\\fancyfoot[LE]{\\zihao{4}\\songti — \\thepage{} —}\n\
         \\begin{document}\\zihao{3}\\fangsong\\setlength{\\baselineskip}{29.6pt}\n",
    );
    let mark: Vec<String> = n.mark.organs.iter().map(|o| tex(o)).collect();
    out.push_str(&format!(
        "\\vspace*{{35mm}}\\begin{{center}}{{\\color{{red}}\\fontsize{{42pt}}{{50pt}}\\selectfont\\songti\\bfseries {}{}}}\\end{{center}}\n",
        mark.join("\\\\"),
        n.mark.suffix.as_deref().map(tex).unwrap_or_default()
    ));
    if let Some(num) = &n.number {
        out.push_str(&format!("\\begin{{center}}{}\\end{{center}}\n", tex(num)));
    }
    out.push_str("\\noindent{\\color{red}\\rule{\\textwidth}{1pt}}\n\n");
    out.push_str(&format!(
        "\\begin{{center}}{{\\zihao{{2}}\\songti\\bfseries {}}}\\end{{center}}\n\n",
        tex(&n.title)
    ));
    if let Some(r) = &n.recipients {
        out.push_str(&format!("\\noindent {}\n\n", tex(r)));
    }
    blocks(&mut out, &n.body, 0);
    if !n.attachments.is_empty() {
        let names: Vec<String> = n
            .attachments
            .iter()
            .map(|a| tex(&a.display_name()))
            .collect();
        out.push_str(&format!("附件：{}\n\n", names.join("\\\\")));
    }
    out.push_str(&format!(
        "\\vspace{{2\\baselineskip}}\\begin{{flushright}}{}\\hspace{{4em}}\\\\{}\\hspace{{4em}}\\end{{flushright}}\n",
        n.signature.iter().map(|s| tex(s)).collect::<Vec<_>>().join("\\\\"),
        n.date.chinese()
    ));
    for d in &n.issued {
        out.push_str(&format!(
            "\\newpage\\begin{{center}}{{\\zihao{{2}}\\songti\\bfseries {}}}\\end{{center}}\n\n",
            tex(&d.title)
        ));
        blocks(&mut out, &d.body, 0);
        attachments(&mut out, &d.attachments);
    }
    attachments(&mut out, &n.attachments);
    if let Some(c) = &n.colophon {
        out.push_str("\\newpage\\vspace*{\\fill}\\noindent\\rule{\\textwidth}{0.35mm}\n\n");
        if !c.copy_to.is_empty() {
            out.push_str(&format!(
                "\\noindent\\hspace{{1em}}{{\\zihao{{4}}抄送：{}。}}\n\n",
                tex(&c.copy_to.join("，"))
            ));
        }
        out.push_str(&format!(
            "\\noindent\\hspace{{1em}}{{\\zihao{{4}}{}\\hfill {}印发}}\\hspace{{1em}}\n\n\\noindent\\rule{{\\textwidth}}{{0.35mm}}\n",
            tex(c.printer.as_deref().unwrap_or_default()),
            c.printed.map(|d| d.chinese()).unwrap_or_default()
        ));
    }
    out.push_str("\\end{document}\n");
    out
}
