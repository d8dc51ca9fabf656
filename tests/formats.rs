//! The special formats of GB/T 9704 §10, measured on the laid-out pages
//! against the standard's numbers: the 信函's mark 30 mm from the paper's
//! top and its red double lines (4 mm under the mark, 20 mm above the
//! bottom edge, 170 mm, centred), the 份号 and 发文字号 7/8 of a character
//! under the first, no page number on page 1 and a 版记 without rules; the
//! 命令's mark 20 mm into the 版心, the 令号 and the text two lines apart and
//! the §7.3.5.3 signature; the 纪要's mark 35 mm into the 版心 and its
//! 出席/请假/列席 lists.

use crate::common::*;

/// GB/T 9704 §5.2.1 and §3.2: the paper and the 版心, and one 行 (a 3号
/// character plus 7/8 of it), in mm.
const PAPER: (f64, f64) = (210.0, 297.0);
const BODY_LEFT: f64 = 28.0;
const BODY_RIGHT: f64 = 28.0 + 156.0;
const BODY_TOP: f64 = 37.0;
const CHAR: f64 = 16.0 / PT_PER_MM;
const LINE: f64 = CHAR * 15.0 / 8.0;
/// One character cell of a full line: 156 mm holds 28 characters.
const CELL: f64 = 156.0 / 28.0;

fn build(yaml: &str) -> Layout {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    layout(&build_dir(dir.path()).doc)
}

fn errors_of(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let project = gongwen::Project::load(dir.path()).unwrap();
    gongwen::check(engine(), &project)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_red(r: &Run) -> bool {
    r.fill[1] > 0.5 && r.fill[3] < 0.1
}

/// The red mark's run on page 1.
fn mark(l: &Layout) -> &Run {
    l.runs
        .iter()
        .find(|r| r.page == 1 && is_red(r))
        .expect("a red mark on page 1")
}

/// Right edge of a run's last glyph (its ink box: one em).
fn ink_right(r: &Run) -> f64 {
    r.glyph_x.last().unwrap() + r.size_pt / PT_PER_MM
}

fn page_number_on(l: &Layout, page: usize) -> bool {
    l.runs
        .iter()
        .any(|r| r.page == page && r.text.contains('—') && r.em_top() > BODY_TOP + 225.0)
}

const LETTER: &str = r#"格式: 信函
份号: "000012"
紧急程度: 特急
发文机关标志: 国务院办公厅
发文字号: 国办函〔2018〕71号
标题: 国务院办公厅关于同意建立某某部际联席会议制度的复函
主送机关: 某某部：
正文:
  - 你部《关于建立某某部际联席会议制度的请示》收悉。经国务院同意，现函复如下：
  - 国务院同意建立由你部牵头的某某部际联席会议制度。联席会议不刻制印章，不正式行文。
发文机关署名: 国务院办公厅
成文日期: 2018-08-20
加盖印章: true
版记:
  抄送机关: 联席会议各成员单位
"#;

#[test]
fn a_letter_has_its_mark_double_lines_and_header_where_the_standard_puts_them() {
    let l = build(LETTER);
    let m = mark(&l);
    close(m.em_top(), 30.0, "信函标志上边缘距纸张上边缘");
    // Red rules on page 1: two double lines of 170 mm centred on the paper.
    let mut red: Vec<&Rule> = l
        .rules
        .iter()
        .filter(|r| r.page == 1 && r.color[1] > 0.5 && r.width > 100.0)
        .collect();
    red.sort_by(|a, b| a.y.total_cmp(&b.y));
    assert_eq!(red.len(), 4, "{red:?}");
    for r in &red {
        close(r.width, 170.0, "双线长");
        close(r.x, (PAPER.0 - 170.0) / 2.0, "双线居中");
    }
    let top = |r: &Rule| r.y - r.thickness / 2.0;
    let bottom = |r: &Rule| r.y + r.thickness / 2.0;
    // Thick over thin under the mark; thin over thick at the foot.
    assert!(red[0].thickness > red[1].thickness, "上粗下细");
    assert!(red[3].thickness > red[2].thickness, "上细下粗");
    close(top(red[0]) - m.em_bottom(), 4.0, "双线距标志");
    close(bottom(red[3]), PAPER.1 - 20.0, "下双线距纸张下边缘 20 mm");
    // 份号 flush left and 发文字号 flush right, 7/8 character under the line.
    let below = bottom(red[1]) + CHAR * 7.0 / 8.0;
    let copy = l.line_starting("000012").1;
    close(copy[0].em_top(), below, "份号");
    close(copy[0].x, BODY_LEFT, "份号顶格");
    let number = l.line(1, "国办函");
    let number = number
        .iter()
        .find(|r| r.text.contains("号"))
        .unwrap_or(&number[0]);
    close(number.em_top(), below, "发文字号");
    close(ink_right(number), BODY_RIGHT, "发文字号右对齐");
    // 紧急程度 the line under the 份号; the title two lines below it.
    let urgent = l.line_starting("特急").1;
    assert!(urgent[0].em_top() > copy[0].em_top() + CHAR);
    let title = l.line_starting("国务院办公厅关于").1;
    close(
        title[0].em_top() - urgent[0].em_bottom(),
        2.0 * LINE,
        "标题距上一要素",
    );
    // No page number on page 1; the 版记 is the 抄送 alone at the 版心 foot.
    assert!(!page_number_on(&l, 1), "信函首页不显示页码");
    let cc = l.line_starting("抄送").1;
    assert_eq!(cc[0].page, l.pages.len(), "抄送 on the last page");
    assert!(
        BODY_TOP + 225.0 - cc[0].em_bottom() < LINE,
        "抄送 at the 版心 foot"
    );
    assert!(
        !l.rules
            .iter()
            .any(|r| r.color[1] < 0.1 && r.width > 150.0 && r.height.abs() < 0.01),
        "信函的版记不加分隔线"
    );
    assert!(!l.text().contains("印发"), "{}", l.text());
}

#[test]
fn a_letter_over_two_pages_numbers_the_second_only() {
    let long = "一段较长的文字，用来把复函推到第二页。".repeat(30);
    let yaml = LETTER.replace(
        "  - 国务院同意建立",
        &format!("  - {long}\n  - 国务院同意建立"),
    );
    let l = build(&yaml);
    assert!(l.pages.len() >= 2);
    assert!(!page_number_on(&l, 1));
    assert!(page_number_on(&l, 2), "第二页起显示页码");
    // Only page 1 carries the double lines.
    assert!(!l.rules.iter().any(|r| r.page > 1 && r.color[1] > 0.5));
}

const ORDER: &str = r#"格式: 命令
发文机关标志: 中华人民共和国国务院令
发文字号: 第708号
正文:
  - 《国务院关于修改部分行政法规的决定》已经2018年12月5日国务院第33次常务会议通过，现予公布，自公布之日起施行。
签署:
  - {职务: 总理, 姓名: 李克强}
成文日期: 2018-12-29
"#;

#[test]
fn an_order_places_mark_number_text_and_signature_per_the_standard() {
    let l = build(ORDER);
    let m = mark(&l);
    close(
        m.em_top(),
        BODY_TOP + 20.0,
        "令标志上边缘距版心上边缘 20 mm",
    );
    let number = l.line_starting("第708").1;
    close(
        number[0].em_top() - m.em_bottom(),
        2.0 * LINE,
        "令号在标志下空二行",
    );
    let centre = (number[0].x + ink_right(number.last().unwrap())) / 2.0;
    close(centre, (BODY_LEFT + BODY_RIGHT) / 2.0, "令号在版心居中");
    let text = l.line_starting("《国务院").1;
    close(
        text[0].em_top() - number[0].em_bottom(),
        2.0 * LINE,
        "正文在令号下空二行",
    );
    // §7.3.5.3: the name (in the seal's place) right-indented 4, the title
    // 2 characters to its left on the same line, the date one line below,
    // right-indented 4.
    let sign = l.line(1, "李克强");
    let name = sign.iter().find(|r| r.text.contains("李克强")).unwrap();
    let post = sign.iter().find(|r| r.text.contains("总理")).unwrap();
    close(ink_right(name), BODY_RIGHT - 4.0 * CELL, "签名章右空四字");
    close(name.x - ink_right(post), 2.0 * CELL, "职务在签名章左空二字");
    let date = l.line_starting("2018").1;
    let date_run = date.last().unwrap();
    close(ink_right(date_run), BODY_RIGHT - 4.0 * CELL, "日期右空四字");
    assert!(date[0].baseline > name.baseline && date[0].baseline - name.baseline < 2.0 * LINE);
    assert!(!l.text().contains("国务院办公厅\n"));
}

const MINUTES: &str = r#"格式: 纪要
发文机关标志: 某某市人民政府常务会议纪要
发文字号: 第3期
发文机关署名: 某某市人民政府办公室
成文日期: 2019-03-07
标题: 关于推进政务服务改革的会议纪要
正文:
  - 2019年3月5日，市长张三主持召开市政府常务会议，研究推进政务服务改革有关事项。纪要如下：
  - 会议原则同意市政务服务办提出的政务服务事项清单。
出席: [张三, 李四, 王五（市发展改革委）, 赵六（市财政局）, 钱七（市人力资源社会保障局）, 孙八（市市场监管局）]
请假: [周九]
列席: [吴十（市政务服务办）]
"#;

#[test]
fn minutes_carry_their_mark_and_attendance_lists_and_no_signature() {
    let l = build(MINUTES);
    let m = mark(&l);
    close(
        m.em_top(),
        BODY_TOP + 35.0,
        "纪要标志上边缘距版心上边缘 35 mm",
    );
    let present = l.line_starting("出席").1;
    let label = &present[0];
    assert!(label.family.contains("Hei"), "{}", label.family);
    close(label.x, BODY_LEFT + 2.0 * CELL, "出席左空二字");
    // One blank line between the text and the list.
    let (p, last_text) = l.line_starting("会议原则同意");
    assert_eq!(p, label.page);
    let pitch = (225.0 - CHAR) / 21.0;
    close(
        label.em_top() - last_text[0].em_top(),
        2.0 * pitch,
        "出席上空一行",
    );
    // Continuation lines start under the first name.
    let first_name = present
        .iter()
        .find(|r| r.text.contains('张'))
        .expect("names on the 出席 line");
    let lines = l.lines(label.page);
    let at = lines
        .iter()
        .position(|ln| line_text(ln).starts_with("出席"))
        .unwrap();
    let next = &lines[at + 1];
    assert!(!line_text(next).starts_with("请假"), "the list wraps");
    close(next[0].x, first_name.x, "回行与冒号后首字对齐");
    for key in ["请假", "列席"] {
        let (_, ln) = l.line_starting(key);
        close(ln[0].x, label.x, key);
    }
    // No seal and no signature block: the office's name appears once, on
    // the line above the red separator.
    assert_eq!(l.text().matches("某某市人民政府办公室").count(), 1);
    assert!(l.images.is_empty());
}

#[test]
fn each_format_rejects_what_it_does_not_have_with_a_located_error() {
    let no_signer = ORDER.replace("签署:\n  - {职务: 总理, 姓名: 李克强}\n", "");
    assert_ne!(no_signer, ORDER);
    let e = errors_of(&no_signer);
    assert!(e.contains("签署") && e.contains("公文.yaml"), "{e}");
    let bad_number = ORDER.replace("第708号", "国令〔2018〕708号");
    let e = errors_of(&bad_number);
    assert!(e.contains("令号") && e.contains(":3:"), "{e}");
    let lists_in_file = "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-03-07\n出席: [张三]\n";
    let e = errors_of(lists_in_file);
    assert!(
        e.contains("出席名单只用于纪要格式") && e.contains(":6:"),
        "{e}"
    );
    let printer_in_letter = LETTER.replace(
        "  抄送机关: 联席会议各成员单位\n",
        "  抄送机关: 联席会议各成员单位\n  印发机关: 国务院办公厅秘书局\n  印发日期: 2018-08-20\n",
    );
    let e = errors_of(&printer_in_letter);
    assert!(e.contains("信函格式的版记不印印发机关"), "{e}");
    let l = build(&printer_in_letter);
    assert!(!l.text().contains("秘书局"), "left out of the letter");
    // A 明电 (general format in print) carries 明电 in its 发文字号.
    let telegram = LETTER
        .replace("格式: 信函\n", "")
        .replace("国办函〔2018〕71号", "国办发明电〔2018〕15号")
        .replace("版记:\n  抄送机关: 联席会议各成员单位\n", "");
    assert_ne!(telegram, LETTER);
    let e = errors_of(&telegram);
    assert!(!e.contains("发文字号"), "{e}");
    let unknown = LETTER.replace("格式: 信函", "格式: 公函");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), unknown).unwrap();
    let err = gongwen::Project::load(dir.path()).expect_err("an unknown format");
    let msg = err.to_string();
    assert!(msg.contains("格式") && msg.contains("信函"), "{msg}");
}

#[test]
fn a_joint_order_with_signature_seals_stacks_them_right_indented_four() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/layout/joint/seal.svg"),
        dir.path().join("签名.svg"),
    )
    .unwrap();
    let yaml = ORDER.replace(
        "  - {职务: 总理, 姓名: 李克强}\n",
        "  - {职务: 国务院总理, 姓名: 李克强, 签名章: 签名.svg}\n  - {职务: 中央军事委员会主席, 姓名: 某某, 签名章: 签名.svg}\n",
    );
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let l = layout(&build_dir(dir.path()).doc);
    let mut seals = l.images.clone();
    seals.sort_by(|a, b| a.y.total_cmp(&b.y));
    assert_eq!(seals.len(), 2, "one signature seal per signatory");
    assert!(
        seals[1].y >= seals[0].y + seals[0].height,
        "stacked, never touching"
    );
    for (seal, post) in seals.iter().zip(["国务院总理", "中央军事委员会主席"]) {
        close(seal.height, 15.0, "签名章高");
        close(
            seal.x + seal.width,
            BODY_RIGHT - 4.0 * CELL,
            "签名章右空四字",
        );
        let line = l.line(seal.page, post);
        let title = line.last().unwrap();
        close(
            seal.x - ink_right(title),
            2.0 * CELL,
            "职务在签名章左空二字",
        );
        let middle = (title.em_top() + title.em_bottom()) / 2.0;
        close(middle, seal.y + seal.height / 2.0, "职务与签名章居中对齐");
    }
    // The names are in the seals, not printed again.
    assert!(!l.text().contains("李克强"));
    let date = l.line_starting("2018").1;
    let last = &seals[1];
    assert!(date[0].em_top() > last.y + last.height);
    assert!(
        date[0].em_top() - (last.y + last.height) < LINE,
        "日期在签名章下一行"
    );
    close(
        ink_right(date.last().unwrap()),
        BODY_RIGHT - 4.0 * CELL,
        "日期右空四字",
    );
}

#[test]
fn a_joint_letter_shows_the_lead_organs_mark_only() {
    let yaml = LETTER.replace(
        "发文机关标志: 国务院办公厅",
        "发文机关标志: {机关: [国务院办公厅, 中央军委办公厅]}",
    );
    let l = build(&yaml);
    let red: String = l
        .runs
        .iter()
        .filter(|r| r.page == 1 && is_red(r))
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(red, "国务院办公厅");
}
