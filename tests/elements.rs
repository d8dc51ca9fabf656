//! Every element of the general format that the canonical notice does not
//! use, measured on fixtures under tests/fixtures/layout (±0.5 mm).

use crate::common::*;

fn fixture(name: &str) -> Layout {
    layout(&build_dir(&repo().join("tests/fixtures/layout").join(name)).doc)
}

/// Whether `page` carries a "— n —" page number.
fn numbered(l: &Layout, page: usize) -> bool {
    l.runs
        .iter()
        .any(|r| r.page == page && r.text.contains('—') && r.baseline > 262.0)
}

#[test]
fn upward_header_copy_number_secrecy_urgency_and_signers() {
    let l = fixture("upward");
    let copy = l.find(1, "000123");
    close(copy.em_top(), 37.0, "份号 on row 1");
    close(copy.x, 28.0, "份号 flush left");
    assert!(copy.family.starts_with("FandolFang"));
    let secret = l.find(1, "机密★1年");
    close(secret.em_top(), 37.0 + PITCH, "密级 on row 2");
    assert_eq!(secret.family, "FandolHei");
    let urgent = l.find(1, "特急");
    close(urgent.em_top(), 37.0 + 2.0 * PITCH, "紧急程度 on row 3");
    assert_eq!(urgent.family, "FandolHei");

    let mark = l.find(1, "上海市市场监督管理局文件");
    close(mark.em_top(), 72.0, "mark top");
    // 签发人: label in 仿宋, names in 楷体, two a line, right-aligned one character in.
    let label = l.find(1, "签发人");
    assert!(label.family.starts_with("FandolFang"));
    close(
        label.em_top(),
        mark.em_bottom() + 2.0 * HANG,
        "first 签发人 line two lines below the mark",
    );
    let first = l
        .lines(1)
        .into_iter()
        .find(|ln| ln.iter().any(|r| r.text.contains("签发人")))
        .unwrap();
    let names: String = first
        .iter()
        .filter(|r| r.family == "FandolKai")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(names.replace('　', ""), "张三李四");
    close(
        first.last().unwrap().right(),
        184.0 - CELL,
        "签发人 right-indented one character",
    );
    let wang = l.find(1, "王五");
    assert_eq!(wang.family, "FandolKai");
    close(wang.right(), 184.0 - CELL, "second 签发人 line right edge");
    // The 发文字号 sits flush left (one character in) on the last 签发人 line.
    let number = l.find(1, "沪市监消保");
    close(
        number.x,
        28.0 + CELL,
        "上行文 发文字号 indented one character",
    );
    close(
        number.baseline,
        wang.baseline,
        "发文字号 on the last 签发人 line",
    );
    let rule = l.separator();
    close(
        rule.y,
        number.em_bottom() + 4.0,
        "separator under the 发文字号",
    );
}

#[test]
fn long_title_wraps_and_recipients_follow_its_real_last_line() {
    let l = fixture("upward");
    let title: Vec<&Run> = l
        .runs
        .iter()
        .filter(|r| r.page == 1 && r.size_pt == 22.0)
        .collect();
    assert!(title.len() >= 2, "title should wrap to two lines");
    let last = title
        .iter()
        .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
        .unwrap();
    let recipients = l.find(1, "国家市场监督管理总局");
    close(
        recipients.em_top(),
        last.em_bottom() + HANG,
        "主送机关 one line below the last title line",
    );
    for t in &title {
        assert!(
            t.x >= 28.0 - 0.01 && t.right() <= 184.01,
            "title line outside the 版心"
        );
    }
}

#[test]
fn heading_levels_use_their_faces() {
    let l = fixture("upward");
    for (number, family) in [
        ("一、", "FandolHei"),
        ("（一）", "FandolKai"),
        ("1.", "FandolFang R"),
        ("（1）", "FandolFang R"),
    ] {
        let (_, ln) = l.line_starting(number);
        assert_eq!(ln[0].family, family, "{number}");
        close(line_left(&ln), 28.0 + 2.0 * CELL, "heading indent");
    }
}

#[test]
fn several_attachments_unsealed_signature_and_note() {
    let l = fixture("upward");
    let (page, label_line) = l.line_starting("附件：");
    let label = label_line[0];
    close(
        label.x,
        28.0 + 2.0 * CELL,
        "附件说明 indented two characters",
    );
    let one = l
        .runs
        .iter()
        .find(|r| r.page == page && r.text == "1.")
        .unwrap();
    let two = l
        .runs
        .iter()
        .find(|r| r.page == page && r.text == "2.")
        .unwrap();
    close(one.baseline, label.baseline, "1. on the 附件 line");
    close(two.x, one.x, "2. under 1.");
    close(
        two.em_top(),
        one.em_top() + PITCH,
        "next attachment on the next row",
    );
    let name = l.find(page, "2019年");
    let wrapped = l.find(page, "报道情况");
    close(
        wrapped.x,
        name.x,
        "a wrapped name continues under its first character",
    );
    let body_end = l.find(page, "特此报告");
    close(
        label.em_top(),
        body_end.em_top() + 2.0 * PITCH,
        "附件说明 one blank line below the text",
    );

    // Unsealed (§7.3.5.2): 署名 one blank line down, right-indented two
    // characters; the date on the next line, two characters right of it.
    let sig = l.find(page, "上海市市场监督管理局");
    close(
        sig.em_top(),
        wrapped.em_top() + 2.0 * PITCH,
        "署名 one blank line below",
    );
    close(
        sig.right(),
        184.0 - 2.0 * CELL,
        "署名 right-indented two characters",
    );
    let date = l.find(page, "2019年3月25日");
    close(
        date.x,
        sig.x + 2.0 * CELL,
        "date two characters right of the 署名",
    );
    close(date.em_top(), sig.em_top() + PITCH, "date on the next line");
    let note_line = l.line(page, "联系人");
    let note = note_line[0];
    close(
        line_left(&note_line),
        28.0 + 2.0 * CELL,
        "附注 indented two characters",
    );
    close(
        note.em_top(),
        date.em_top() + PITCH,
        "附注 on the line after the date",
    );
    assert!(line_text(&note_line).starts_with('（') && line_text(&note_line).ends_with('）'));
}

#[test]
fn attachments_are_numbered_each_on_a_new_page() {
    let l = fixture("upward");
    for (label, title) in [("附件1", "活动统计表"), ("附件2", "典型案例汇编")] {
        let r = l
            .runs
            .iter()
            .find(|r| r.text == label)
            .unwrap_or_else(|| panic!("{label}"));
        assert_eq!(r.family, "FandolHei");
        close(r.em_top(), 37.0, "label on row 1");
        let t = l.line(r.page, title);
        close(t[0].em_top(), 37.0 + 2.0 * PITCH, "title on row 3");
        let first_on_page = l.lines(r.page)[0][0].text.clone();
        assert_eq!(first_on_page, label, "attachment does not start its page");
    }
}

#[test]
fn colophon_rules_text_and_even_page() {
    let l = fixture("upward");
    let cc = l
        .runs
        .iter()
        .find(|r| r.text.starts_with("抄送"))
        .expect("抄送");
    let page = cc.page;
    assert_eq!(page % 2, 0, "版记 on an odd page");
    assert_eq!(page, l.pages.len(), "版记 not on the last page");
    assert!((cc.size_pt - 14.0).abs() < 0.01);
    close(cc.x, 28.0 + 14.0 / PT_PER_MM, "抄送 indented one character");
    assert!(l.page_has(page, "发展改革委。"));
    let printer = l.find(page, "上海市市场监督管理局办公室");
    close(
        printer.x,
        28.0 + 14.0 / PT_PER_MM,
        "印发机关 indented one character",
    );
    let ln = l
        .lines(page)
        .into_iter()
        .find(|ln| ln[0].text.contains("办公室"))
        .unwrap();
    let end = ln.last().unwrap();
    assert!(end.text.ends_with("印发"), "{}", end.text);
    close(
        end.right(),
        184.0 - 14.0 / PT_PER_MM,
        "印发日期 one character from the right",
    );
    let mut rules: Vec<&Rule> = l
        .rules
        .iter()
        .filter(|r| r.page == page && r.width > 150.0)
        .collect();
    rules.sort_by(|a, b| a.y.total_cmp(&b.y));
    assert_eq!(rules.len(), 3, "{rules:?}");
    for (r, t) in rules.iter().zip([0.35, 0.25, 0.35]) {
        close(r.width, 156.0, "rule width");
        assert!(
            (r.thickness - t).abs() < 0.01,
            "rule thickness {:.2}, want {t}",
            r.thickness
        );
    }
    close(
        rules[2].y,
        262.0,
        "last rule on the bottom edge of the 版心",
    );
    assert!(cc.baseline > rules[0].y && cc.baseline < rules[1].y);
    assert!(printer.baseline > rules[1].y && printer.baseline < rules[2].y);
}

#[test]
fn joint_mark_sealed_signature_mirrored_pages_and_long_table() {
    let l = fixture("joint");
    // Each name a line of its own, spread to the width of the longest.
    let a_line = l.line(1, "上海市市场监督管理局");
    let b_line = l.line(1, "上海市知识产权局");
    let (a, b) = (a_line[0], b_line[0]);
    let right = |ln: &[&Run]| ln.iter().map(|r| r.right()).fold(0.0, f64::max);
    close(b.x, a.x, "names start together");
    close(right(&b_line), right(&a_line), "names end together");
    let suffix = l
        .runs
        .iter()
        .find(|r| r.page == 1 && r.text == "文件")
        .expect("文件");
    close(a.em_top(), 72.0, "joint mark top");
    assert!(
        b.baseline > a.baseline,
        "organs are stacked, lead organ first"
    );
    assert!(
        suffix.x > right(&a_line) && suffix.x > right(&b_line),
        "文件 to the right of the names"
    );
    let mid = (a.em_top() + b.em_bottom()) / 2.0;
    close(
        (suffix.em_top() + suffix.em_bottom()) / 2.0,
        mid,
        "文件 vertically centred",
    );
    for r in [a, b, suffix] {
        assert!(r.cmyk && (r.fill[1] - 0.8).abs() < 0.01, "mark not red");
    }
    let left = a.x.min(b.x);
    assert!(
        suffix.right() - left <= 156.01,
        "joint mark wider than the 版心"
    );

    // The table repeats its header on every page it spans.
    let headers: Vec<usize> = l
        .runs
        .iter()
        .filter(|r| r.text.starts_with("联系"))
        .map(|r| r.page)
        .collect();
    assert!(headers.len() >= 2, "header not repeated: {headers:?}");
    // Mirrored margins: on even pages the 版心 starts 26 mm from the left.
    let even_rule = l
        .rules
        .iter()
        .filter(|r| r.page == 2)
        .map(|r| r.x)
        .fold(f64::MAX, f64::min);
    close(even_rule, 26.0, "even page inner margin");

    // Sealed (§7.3.5.1): date right-indented four characters, 署名 centred on it, seal over both.
    let date = l.runs.iter().find(|r| r.text == "2019年4月10日").unwrap();
    close(date.right(), 184.0 - 4.0 * CELL, "sealed date right indent");
    let centre = date.x + date.width / 2.0;
    for organ in ["上海市市场监督管理局", "上海市知识产权局"] {
        let s = l
            .runs
            .iter()
            .rfind(|r| r.page == date.page && r.text == organ)
            .unwrap();
        close(s.x + s.width / 2.0, centre, "署名 centred over the date");
        assert!(s.baseline < date.baseline);
    }
    let seal = l
        .images
        .iter()
        .find(|i| i.page == date.page)
        .expect("seal image");
    close(seal.width, 42.0, "seal diameter");
    close(
        seal.x + seal.width / 2.0,
        centre,
        "seal centred on the date",
    );
    assert!(
        seal.y < date.em_top() && seal.y + seal.height > date.em_bottom(),
        "seal covers the date"
    );

    // 版记 alone on the last, even page: no page number there.
    let last = l.pages.len();
    assert_eq!(last % 2, 0);
    assert!(l
        .runs
        .iter()
        .any(|r| r.page == last && r.text.contains("办公室")));
    assert!(!numbered(&l, last), "版记 page carries a page number");
}

#[test]
fn colophon_after_an_even_page_gets_a_blank_page_without_numbers() {
    let base =
        std::fs::read_to_string(repo().join("tests/fixtures/layout/upward/公文.yaml")).unwrap();
    let base = base[..base.find("附件:").unwrap()].to_string()
        + "发文机关署名: 上海市市场监督管理局\n成文日期: 2019-03-25\n版记:\n  印发机关: 办公室\n  印发日期: 2019-03-25\n";
    let dir = tempfile::tempdir().unwrap();
    // Lengthen the text until it ends near the bottom of page 2.
    for n in 1..60 {
        let mut yaml = base.clone();
        let extra: String = (0..n).map(|_| "  - 各单位按照分工落实责任。\n").collect();
        yaml = yaml.replacen("  - 特此报告。\n", &format!("{extra}  - 特此报告。\n"), 1);
        std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
        let l = layout(&build_dir(dir.path()).doc);
        if l.pages.len() == 4 {
            assert!(
                l.runs.iter().all(|r| r.page != 3 || r.text.contains('—')),
                "page 3 is not blank"
            );
            assert!(!numbered(&l, 3), "blank page numbered");
            assert!(!numbered(&l, 4), "版记 page numbered");
            assert!(numbered(&l, 2));
            return;
        }
        assert!(
            l.pages.len() <= 2,
            "{n} paragraphs gave {} pages",
            l.pages.len()
        );
    }
    panic!("never reached the blank-page case");
}

/// The lines of the 22 pt title on page 1, top first, as text.
fn title_lines(l: &Layout) -> Vec<String> {
    let mut lines: Vec<Vec<&Run>> = l
        .lines(1)
        .into_iter()
        .filter(|ln| ln[0].size_pt == 22.0)
        .collect();
    lines.sort_by(|a, b| a[0].baseline.total_cmp(&b[0].baseline));
    lines.iter().map(|ln| line_text(ln)).collect()
}

/// Issue 24 (§7.3.1, 词意完整，排列对称): a wrapped title breaks between
/// words — as jieba's whole dictionary finds them, loaded the usual way —
/// into lines of nearly equal length, never one character left alone.
#[test]
fn a_wrapped_title_breaks_between_words_into_even_lines() {
    let jieba = jieba_rs::Jieba::new();
    let upward = fixture("upward");
    let dir = tempfile::tempdir().unwrap();
    let long = "关于进一步加强撂荒地治理推动高质量发展专项工作的通知表";
    std::fs::write(
        dir.path().join("公文.yaml"),
        format!("发文机关标志: 某省农业农村厅文件\n发文字号: 某农发〔2025〕3号\n标题: {long}\n主送机关: 各市农业农村局\n正文:\n  - 现将有关事项通知如下。\n发文机关署名: 某省农业农村厅\n成文日期: 2025-03-01\n"),
    )
    .unwrap();
    let built = build_dir(dir.path());
    for (l, title) in [
        (
            &upward,
            "上海市市场监督管理局关于2019年“3·15”国际消费者权益日系列活动情况的报告",
        ),
        (&layout(&built.doc), long),
    ] {
        let ends: Vec<usize> = jieba
            .cut(title, true)
            .iter()
            .scan(0, |n, w| {
                *n += w.chars().count();
                Some(*n)
            })
            .collect();
        let lines = title_lines(l);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(squeeze(&lines.concat()), squeeze(title));
        let mut at = 0;
        for line in &lines[..lines.len() - 1] {
            at += squeeze(line).chars().count();
            assert!(ends.contains(&at), "broken inside a word: {lines:?}");
        }
        let counts: Vec<usize> = lines.iter().map(|l| squeeze(l).chars().count()).collect();
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(max - min <= 6 && *min > 1, "uneven lines: {lines:?}");
    }
}

#[test]
fn a_style_file_changes_numbers_without_code() {
    let dir = canonical_with_style("标志上距: 25\n标志宽度: 150\n分隔线下距: 5\n");
    let l = layout(&build_dir(dir.path()).doc);
    let mark = l.find(1, "上海市市场监督管理局文件");
    close(mark.em_top(), 37.0 + 25.0, "mark top from 样式.yaml");
    close(mark.width, 150.0, "mark spread to 标志宽度");
    let number = l.find(1, "沪市监消保");
    let rule = l.separator();
    close(
        rule.y,
        number.em_bottom() + 5.0,
        "separator gap from 样式.yaml",
    );
    // A wrong key in the style file is a located error.
    std::fs::write(dir.path().join("样式.yaml"), "标志上距: 25\n标志宽: 150\n").unwrap();
    let err = gongwen::Project::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("样式.yaml:2:1") && err.contains("标志宽度"),
        "{err}"
    );
}

#[test]
fn a_single_attachment_note_in_the_canonical_plan() {
    let l = layout(&canonical().doc);
    let (page, ln) = l.line_starting("附件：");
    close(
        ln[0].x,
        28.0 + 2.0 * CELL,
        "附件说明 indented two characters",
    );
    let line = l.line(page, "附件：");
    let text: String = line.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(text, "附件：2019年“3·15”国际消费者权益日系列活动统计表");
}

#[test]
fn the_first_installed_family_of_a_role_wins() {
    // An office with 仿宋_GB2312 installed gets it because it comes first in
    // the role; here a bundled face stands in for it, named in 样式.yaml.
    let dir =
        canonical_with_style("字体:\n  仿宋: {字体: [仿宋_GB2312, FandolKai, FandolFang R]}\n");
    let l = layout(&build_dir(dir.path()).doc);
    assert_eq!(l.find(1, "现将").family, "FandolKai");
    assert_eq!(l.find(1, "上海市市场监督管理局文件").family, "FandolSong");
}

/// Issue 24: a 联合行文 of three organs, each with its own seal (§7.3.5.1):
/// the names side by side in rows (two a row when the names are long),
/// evenly spaced, each seal centred over its own organ's name, no two
/// seals touching, every seal inside the 版心; the last seal presses the
/// 成文日期, which is right-indented four characters.
#[test]
fn joint_seals_each_over_their_own_organ() {
    let l = fixture("joint-seals");
    let date = l
        .runs
        .iter()
        .find(|r| r.text == "2026年6月20日")
        .expect("date");
    let page = date.page;
    // Printed one-sided: the 版心 starts 28 mm from the left on every page.
    let left = 28.0;
    close(
        date.right() - left,
        156.0 - 4.0 * CELL,
        "sealed date right indent",
    );
    let name = |t: &str| {
        l.runs
            .iter()
            .rfind(|r| r.page == page && r.text == t)
            .unwrap()
    };
    let (a, b, c) = (
        name("某省财政厅"),
        name("某省人力资源和社会保障厅"),
        name("某省教育厅"),
    );
    close(a.baseline, b.baseline, "the first two names on one row");
    assert!(c.baseline > a.baseline + 30.0, "the third name a row below");
    assert!(c.baseline < date.baseline, "the date under the last row");
    let mid = |r: &Run| r.x + r.width / 2.0;
    close(
        mid(b),
        date.x + date.width / 2.0,
        "a row's last name centred on the date",
    );
    close(
        mid(c),
        date.x + date.width / 2.0,
        "the last name centred on the date",
    );
    let seals: Vec<&Picture> = l.images.iter().filter(|i| i.page == page).collect();
    assert_eq!(seals.len(), 3, "a seal per organ");
    for (seal, organ) in seals.iter().zip([a, b, c]) {
        close(seal.width, 42.0, "seal diameter");
        close(
            seal.x + seal.width / 2.0,
            mid(organ),
            "seal centred over its organ",
        );
        assert!(seal.y < organ.em_top() && seal.y + seal.height > organ.em_bottom());
        assert!(
            seal.x >= left - 0.01 && seal.x + seal.width <= left + 156.01,
            "inside the 版心"
        );
    }
    for (i, s) in seals.iter().enumerate() {
        for t in &seals[i + 1..] {
            let d = ((s.x - t.x).powi(2) + (s.y - t.y).powi(2)).sqrt();
            assert!(d >= 42.0, "seals touch: {d:.1} mm apart");
        }
    }
    let last = seals[2];
    assert!(
        last.y < date.em_top() && last.y + last.height > date.em_bottom(),
        "the last seal presses the date"
    );
}

/// Issue 24 (§7.2.3): a joint 版头 of nine organs fits page 1 with the
/// title and text under it (its last line was printed at 302 mm, page 1
/// holding no text): the mark steps down, each name spread to the width of
/// the longest, 文件 beside them.
#[test]
fn a_joint_masthead_of_nine_organs_leaves_the_text_on_page_one() {
    let organs = [
        "国家发展和改革委员会",
        "教育部",
        "财政部",
        "人力资源和社会保障部",
        "自然资源部",
        "生态环境部",
        "住房和城乡建设部",
        "交通运输部",
        "农业农村部",
    ];
    let dir = tempfile::tempdir().unwrap();
    let body = "为贯彻落实党中央、国务院决策部署，进一步做好有关工作，经国务院同意，现就有关事项通知如下。";
    std::fs::write(
        dir.path().join("公文.yaml"),
        format!(
            "发文机关标志: {{机关: [{}], 后缀: 文件}}\n发文字号: 发改社会〔2025〕12号\n标题: 关于进一步做好有关工作的通知\n主送机关: 各省、自治区、直辖市人民政府\n正文:\n  - {body}\n  - {body}\n  - {body}\n发文机关署名: [国家发展和改革委员会, 教育部]\n成文日期: 2025-03-01\n",
            organs.join(", ")
        ),
    )
    .unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    let names: Vec<Vec<&Run>> = organs
        .iter()
        .map(|o| {
            l.lines(1)
                .into_iter()
                .find(|ln| {
                    ln[0].fill != [0.0, 0.0, 0.0, 1.0] && squeeze(&line_text(ln)).starts_with(o)
                })
                .unwrap_or_else(|| panic!("{o} not on page 1"))
        })
        .collect();
    let left = line_left(&names[0]);
    let right = |ln: &Vec<&Run>| {
        ln.iter()
            .filter(|r| !r.text.contains('文'))
            .map(|r| r.right())
            .fold(0.0, f64::max)
    };
    for (o, ln) in organs.iter().zip(&names) {
        close(line_left(ln), left, &format!("{o} starts with the others"));
    }
    // 文件 shares a line with one of the names, beside them.
    let suffix = l.find(1, "文件");
    assert!(suffix.x > right(&names[0]) - 0.5, "文件 over the names");
    let bottom = names.iter().map(|ln| ln[0].baseline).fold(0.0, f64::max);
    let recipients = l.line(1, "各省")[0].baseline;
    assert!(recipients > bottom, "主送 above the mark");
    assert!(
        recipients < 37.0 + 225.0 - 9.0,
        "no text under the 主送 on page 1"
    );
    assert!(l.page_has(1, "为贯彻落实"), "page 1 holds no text");
}

/// Issue 24: what real documents have and gongwen could not say — a 题注
/// under the title, a 统一登记号 and 公开属性 at the top right of page 1,
/// the old 报：/送：/抄送： rows (抄送机关 as a list, typed with its full
/// stop), and an attachment bound separately (§8): after the 版记, its
/// label the 发文字号 with 附件2, its pages numbered from 1.
#[test]
fn caption_corner_marks_old_colophon_rows_and_a_separate_attachment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("公文.yaml"),
        "发文机关标志: 某省人民政府文件\n发文字号: 某政发〔2003〕12号\n统一登记号: MSFG-2003-0001\n公开属性: 主动公开\n标题: 某省政府信息公开办法\n题注: （2003年10月16日省政府第8次常务会议通过）\n主送机关: 各市人民政府\n正文:\n  - 现将本办法印发给你们，请认真贯彻执行。\n附件:\n  - 标题: 随文附件\n    正文:\n      - 随正文装订。\n  - 标题: 另行装订的名单\n    另行装订: true\n    正文:\n      - 另行装订。\n发文机关署名: 某省人民政府\n成文日期: 2003-10-20\n版记:\n  报: 国务院\n  送: [省委办公厅, 省人大常委会办公厅]\n  抄送机关: [省军区, 省法院。]\n  印发机关: 某省人民政府办公厅\n  印发日期: 2003-10-21\n",
    )
    .unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    // The 题注 in 楷体 on the line under the title, centred.
    let title = l.line(1, "信息公开办法");
    let caption = l.line(1, "常务会议通过");
    assert!(
        caption[0].family.starts_with("FandolKai"),
        "{}",
        caption[0].family
    );
    let under_title = caption[0].baseline - title[0].baseline;
    let recipients = l.line(1, "各市人民政府")[0].baseline;
    assert!(
        under_title > 8.0 && under_title < 12.0,
        "题注 not on the line under the title: {under_title:.1} mm"
    );
    assert!(
        recipients - caption[0].baseline > 15.0,
        "no blank line above the 主送"
    );
    let mid = (line_left(&caption) + caption.last().unwrap().right()) / 2.0;
    // Centred (the brackets' glyphs sit off their cells' centres).
    assert!(
        (mid - (28.0 + 78.0)).abs() < 2.0,
        "题注 not centred: {mid:.1}"
    );
    // Top right of page 1, rows 1 and 2.
    let reg = l.find(1, "MSFG-2003-0001");
    let public = l.find(1, "主动公开");
    close(reg.right(), 28.0 + 156.0, "统一登记号 flush right");
    close(public.right(), 28.0 + 156.0, "公开属性 flush right");
    close(reg.em_top(), 37.0, "统一登记号 on row 1");
    assert!(public.baseline > reg.baseline && public.family.starts_with("FandolHei"));
    // The 版记 rows in order, 抄送 with one full stop.
    let (page, report) = l.line_starting("报：国务院。");
    let send = l.line(page, "送：省委办公厅，省人大常委会办公厅。");
    let copy = l.line(page, "抄送：省军区，省法院。");
    assert!(report[0].baseline < send[0].baseline && send[0].baseline < copy[0].baseline);
    assert!(!l.text().contains("。。"));
    // The separate attachment after it, numbered from 1.
    let (sep, label) = l.line_starting("某政发〔2003〕12号附件2");
    assert!(sep > page, "the separate attachment is not after the 版记");
    assert!(label[0].family.starts_with("FandolHei"));
    let number: String = l
        .runs
        .iter()
        .filter(|r| r.page == sep && r.baseline > 262.0)
        .map(|r| r.text.as_str())
        .collect();
    assert!(squeeze(&number).contains("—1—"), "{number}");
    let (bound, _) = l.line_starting("附件1");
    assert!(bound <= page, "the bound attachment is not before the 版记");
}

/// Issue 24: a joint notice printed with its seals and date but no typed
/// 署名 is accepted (it was refused: 缺少必填的键“发文机关署名”); each seal
/// stands where its organ's name would, the last over the date.
#[test]
fn seals_without_typed_names_are_accepted() {
    let fixture = repo().join("tests/fixtures/layout/joint-seals");
    let dir = tempfile::tempdir().unwrap();
    for f in ["a.svg", "b.svg", "c.svg"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let yaml = std::fs::read_to_string(fixture.join("公文.yaml")).unwrap();
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.starts_with("发文机关署名"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    assert_eq!(l.images.len(), 3, "three seals");
    let date = l.runs.iter().find(|r| r.text.contains("月")).unwrap();
    let last = &l.images[2];
    assert!(
        last.y < date.baseline && last.y + last.height > date.baseline,
        "the last seal does not press the date"
    );
    for pair in l.images.windows(2) {
        assert!(pair[0].x + pair[0].width <= pair[1].x + 0.01 || pair[0].y != pair[1].y);
    }
}
