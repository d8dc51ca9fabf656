//! What office staff type (issue 16): the slips of a Chinese input method
//! and of text pasted from a PDF are read as meant and reported at their
//! place, typed numbers are never printed twice, and an impossible date
//! says why.

mod common;

use common::*;

fn project_of(yaml: &str) -> (tempfile::TempDir, gongwen::Project) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    let p = gongwen::Project::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    (dir, p)
}

fn findings(p: &gongwen::Project) -> Vec<String> {
    gongwen::check(engine(), p)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn load_error(yaml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("公文.yaml"), yaml).unwrap();
    gongwen::Project::load(dir.path())
        .map(|_| ())
        .expect_err("refused")
        .to_string()
}

const SLIPS: &str = "发文机关标志: 某某市应急管理局文件
发文字号: 榕政办〔2016〕186 号
标题: 关于开展安全生产月活动的通知
主送机关: 各区应急管理局
正文:
  - 现就有关事项通知如下。
  - 标题：工作要求
    内容:
      - 各单位要高度重视。
  - 标题: 二、组织领导
    内容:
      - {段落: （一）成立领导小组。, 编号: true}
发文机关署名: 某某市应急管理局
成文日期：2016 年 10 月 6 日
";

#[test]
fn input_method_and_pdf_slips_are_read_as_meant_and_reported_where_they_are() {
    let (_dir, p) = project_of(SLIPS);
    let f = findings(&p);
    let all = f.join("\n");
    // Full-width colons after known keys: line 7 (nested) and line 14.
    for (line, key) in [(7, "标题"), (14, "成文日期")] {
        assert!(
            f.iter().any(|m| m.contains(&format!(":{line}:"))
                && m.contains(&format!("“{key}”后用了全角冒号"))
                && m.contains("警告")),
            "{all}"
        );
    }
    assert!(all.contains("“榕政办〔2016〕186 号”中有空格"), "{all}");
    assert!(all.contains("“2016 年 10 月 6 日”中有空格"), "{all}");
    assert!(all.contains("“二、”与自动生成的序数重复，已去掉"), "{all}");
    assert!(
        all.contains("“（一）”与自动生成的序数重复，已去掉"),
        "{all}"
    );
    assert!(all.contains("应以全角冒号“：”结尾，已补上"), "{all}");
    assert!(!all.contains("错误"), "{all}");
    // And in print: each as the standard has it, nothing twice.
    let built = gongwen::build(engine(), &p).unwrap();
    let text = squeeze(&layout(&built.doc).text());
    for want in [
        "榕政办〔2016〕186号",
        "各区应急管理局：",
        "一、工作要求",
        "二、组织领导",
        "（一）成立领导小组。",
        "2016年10月6日",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    for never in ["二、二、", "（一）（一）", "：："] {
        assert!(!text.contains(never), "{never} in {text}");
    }
    let l = layout(&built.doc);
    let heading = l.line_starting("一、工作要求").1;
    assert!(
        heading[0].family.contains("Hei"),
        "a heading, not a paragraph"
    );
}

#[test]
fn slips_that_cannot_be_read_say_what_to_fix_at_their_line() {
    // A full-width colon after a key gongwen does not know.
    let e = load_error("发文机关标志: 某局文件\n发文单位：某局\n");
    assert!(
        e.contains("第2行“发文单位”后用了全角冒号") && e.contains(":2:"),
        "{e}"
    );
    // Full-width spaces as indentation.
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文:\n　　- 一段。\n发文机关署名: 某局\n成文日期: 2019-03-07\n",
    );
    assert!(e.contains("全角空格"), "{e}");
    // An impossible date says why.
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2020年6月31日\n",
    );
    assert!(e.contains("2020年6月只有30天") && e.contains(":5:"), "{e}");
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-02-29\n",
    );
    assert!(e.contains("2019年2月只有28天"), "{e}");
    let e = load_error(
        "发文机关标志: 某局文件\n标题: 通知\n正文: [一段。]\n发文机关署名: 某局\n成文日期: 2019-13-01\n",
    );
    assert!(e.contains("月份应在1到12之间"), "{e}");
}

#[test]
fn a_mention_of_the_attachment_is_answered_by_the_issued_documents_attachment() {
    let yaml = "发文机关标志: 某局文件\n标题: 关于印发方案的通知\n正文:\n  - 现将《方案》印发给你们（见附件），请认真执行。\n\
发文机关署名: 某局\n成文日期: 2019-03-07\n印发文件:\n  - 标题: 方案\n    正文: [一段。]\n    附件:\n      - 标题: 统计表\n        正文: [表。]\n";
    let (_dir, p) = project_of(yaml);
    let all = findings(&p).join("\n");
    assert!(!all.contains("附件说明"), "{all}");
    // Nothing anywhere: the mention is reported.
    let alone = "发文机关标志: 某局文件\n标题: 关于某事的通知\n正文:\n  - 具体见附件。\n\
发文机关署名: 某局\n成文日期: 2019-03-07\n";
    let (_dir, p) = project_of(alone);
    let all = findings(&p).join("\n");
    assert!(all.contains("正文提到附件"), "{all}");
}

fn gongwen(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_font_report_names_each_role_and_a_required_standard_face_refuses_substitutes() {
    let out = gongwen(&["fonts", "--ignore-system-fonts"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "小标宋（发文机关标志、标题）：FandolSong（代用：未安装 方正小标宋简体）",
        "仿宋（正文）：FandolFang",
        "黑体（一级标题",
        "楷体（二级标题",
        "宋体（页码）",
        "5 种常规字体未安装",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    // A build says so in one line; with --require-standard-fonts it refuses
    // and leaves the previous PDF in place.
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let content = canonical_dir();
    let (c, o) = (content.to_str().unwrap(), out_dir.to_str().unwrap());
    let built = gongwen(&["build", c, "-o", o, "--ignore-system-fonts"]);
    assert!(built.status.success());
    let said = String::from_utf8_lossy(&built.stderr);
    assert_eq!(said.matches("字体代用").count(), 1, "{said}");
    let pdf = out_dir.join("2019-315.pdf");
    let before = std::fs::read(&pdf).unwrap();
    let refused = gongwen(&[
        "build",
        c,
        "-o",
        o,
        "--ignore-system-fonts",
        "--require-standard-fonts",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("未安装：方正小标宋简体→FandolSong"), "{said}");
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
}
