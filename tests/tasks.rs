//! 任务分工 and 督办 (issue 17): the tasks of the canonical plan by
//! department, departments as offices write them, deadlines, and a round
//! trip of progress returns into the 督办汇总.

use std::collections::BTreeMap;

use crate::common::*;

fn csv_rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn the_canonical_plan_gives_each_department_its_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let report = gongwen::tasks::assign(
        engine(),
        &canonical_dir(),
        dir.path(),
        gongwen::output::Beside {
            ofd: true,
            docx: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.tasks.len(), 14);
    let rows = csv_rows(&report.out.dir.join("任务分工.csv"));
    let count = |d: &str| rows.iter().filter(|r| r["责任部门"] == d).count();
    // Counted by hand from the published plan.
    assert_eq!(count("市局消费者权益保护处"), 12);
    assert_eq!(count("市局新闻宣传处"), 4);
    assert_eq!(count("机场分局"), 5);
    assert_eq!(count("检查总队"), 2);
    assert_eq!(count("各区市场监管局"), 7);
    assert_eq!(count("未明确"), 1);
    // The lead department of task 4 is the first one written.
    let lead: Vec<_> = rows
        .iter()
        .filter(|r| r["任务序号"] == "4" && r["牵头"] == "是")
        .map(|r| r["责任部门"].clone())
        .collect();
    assert_eq!(lead, ["市局广告监督管理处"]);
    // One task list per department, PDF and workbook.
    let lists = report.out.dir.join("任务清单");
    let pdf = lists.join("02-市局消费者权益保护处.pdf");
    let text = squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap());
    assert!(text.contains("市局消费者权益保护处任务清单"), "{text}");
    assert!(
        text.contains("组织现场咨询服务。") && text.contains("牵头"),
        "{text}"
    );
    assert!(lists.join("02-市局消费者权益保护处.xlsx").is_file());
    // As OFD too, read back by an independent reader.
    for ofd in [
        report.out.dir.join("任务分工表.ofd"),
        lists.join("02-市局消费者权益保护处.ofd"),
    ] {
        let bytes = std::fs::read(&ofd).unwrap();
        let reader = easyofd_reader::OfdReader::from_bytes(&bytes).unwrap();
        assert!(squeeze(&reader.extract_all_text()).contains("组织现场咨询服务。"));
    }
    let table = report.out.dir.join("任务分工表.pdf");
    let text =
        squeeze(&pdf_extract::extract_text_from_mem(&std::fs::read(table).unwrap()).unwrap());
    assert!(
        text.contains("任务分工表") && text.contains("组织实施到位"),
        "{text}"
    );
    // check reports the task without a department, at its line.
    let project = gongwen::Project::load(&canonical_dir()).unwrap();
    let f: Vec<String> = gongwen::check(engine(), &project)
        .iter()
        .filter(|f| f.rule == "任务无责任部门")
        .map(ToString::to_string)
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].contains("公文.yaml:77:"), "{f:?}");
}

/// The canonical content in a temp folder, its plan given deadlines and a
/// departments file.
fn plan_with(departments: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("方案");
    std::fs::create_dir(&content).unwrap();
    let yaml = std::fs::read_to_string(canonical_dir().join("公文.yaml")).unwrap();
    // A plan-wide deadline, and task 1's own.
    let yaml = yaml.replacen(
        "印发文件:\n  - 标题: |-\n",
        "印发文件:\n  - 完成时限: 2019年3月31日前\n    标题: |-\n",
        1,
    );
    let yaml = yaml.replacen(
        "责任部门: 市消保委秘书处、市局消费者权益保护处\n",
        "责任部门: 市消保委秘书处、消保处\n            完成时限: 3月15日前\n",
        1,
    );
    assert!(yaml.contains("完成时限: 3月15日前") && yaml.contains("完成时限: 2019年3月31日前"));
    std::fs::write(content.join("公文.yaml"), yaml).unwrap();
    std::fs::write(content.join("部门.yaml"), departments).unwrap();
    (dir, content)
}

const DEPARTMENTS: &str = "部门:
  - {名称: 市局消费者权益保护处, 别名: [消保处, 消费者权益保护处]}
  - {名称: 各区市场监管局, 成员: [黄浦区市场监管局, 徐汇区市场监管局]}
  - {名称: 市消保委秘书处}
";

#[test]
fn aliases_groups_and_deadlines_come_from_the_content_and_unknown_names_are_reported() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let project = gongwen::Project::load(&content).unwrap();
    let tasks = gongwen::tasks::list(&project);
    // 消保处 is 市局消费者权益保护处; the group became its members.
    assert_eq!(
        tasks[0].departments,
        ["市消保委秘书处", "市局消费者权益保护处"]
    );
    assert_eq!(
        tasks[1].departments,
        [
            "市局消费者权益保护处",
            "机场分局",
            "黄浦区市场监管局",
            "徐汇区市场监管局"
        ]
    );
    assert_eq!(tasks[0].deadline.as_deref(), Some("3月15日前"));
    assert_eq!(tasks[1].deadline.as_deref(), Some("2019年3月31日前"));
    // Names the file does not know are warned about, with their lines.
    let f: Vec<String> = gongwen::check(engine(), &project)
        .iter()
        .filter(|f| f.rule == "责任部门")
        .map(ToString::to_string)
        .collect();
    assert!(
        f.iter().any(|m| m.contains("“机场分局”不在 部门.yaml 中")),
        "{f:?}"
    );
    assert!(f.iter().all(|m| m.contains("公文.yaml:")), "{f:?}");
    let out = dir.path().join("out");
    let r = gongwen::tasks::assign(engine(), &content, &out, Default::default()).unwrap();
    let rows = csv_rows(&r.out.dir.join("任务分工.csv"));
    assert!(rows.iter().any(|r| r["责任部门"] == "徐汇区市场监管局"));
    assert!(!rows.iter().any(|r| r["责任部门"] == "消保处"));
}

/// A department's task list as it comes back: the sheet gongwen wrote, with
/// 状态 and 说明 filled in (written here with the same layout).
fn returned_list(path: &std::path::Path, department: &str, rows: &[(usize, &str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("任务清单").unwrap();
    ws.write_string(0, 0, format!("{department}任务清单"))
        .unwrap();
    for (c, h) in ["序号", "工作任务", "分工", "完成时限", "状态", "说明"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (i, (n, state, note)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, *n as f64).unwrap();
        ws.write_string(r, 4, *state).unwrap();
        ws.write_string(r, 5, *note).unwrap();
    }
    let id = wb.add_worksheet();
    id.set_name("gongwen").unwrap();
    id.write_string(0, 0, "责任部门").unwrap();
    id.write_string(0, 1, department).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn progress_returned_in_excel_csv_and_yaml_comes_back_as_the_follow_up_with_overdue_marked() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let data = dir.path().join("进度");
    std::fs::create_dir(&data).unwrap();
    returned_list(
        &data.join("消保处.xlsx"),
        "市局消费者权益保护处",
        &[(1, "已完成", "座谈会已召开"), (2, "进行中", "")],
    );
    std::fs::write(
        data.join("秘书处.csv"),
        "任务序号,责任部门,状态,说明\n1,市消保委秘书处,进行中,筹备中\n2,市消保委秘书处,已完成,\n",
    )
    .unwrap();
    std::fs::write(
        data.join("机场.yaml"),
        "- {任务序号: 2, 责任部门: 机场分局, 状态: 办好了}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let on = gongwen::content::Date::parse("2019-03-20").unwrap();
    let r = gongwen::tasks::follow_up(engine(), &content, &data, &out, on).unwrap();
    // Task 2 is not 秘书处's; 办好了 is not a state.
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    assert!(r
        .problems
        .iter()
        .any(|p| p.contains("任务 2 没有分给“市消保委秘书处”")));
    assert!(r.problems.iter().any(|p| p.contains("状态“办好了”")));
    let rows = csv_rows(&r.out.dir.join("督办汇总.csv"));
    let state = |task: &str, d: &str| {
        let row = rows
            .iter()
            .find(|r| r["任务序号"] == task && r["责任部门"] == d)
            .unwrap_or_else(|| panic!("{task} {d}"));
        (row["状态"].clone(), row["逾期"].clone())
    };
    // Task 1 was due 3月15日: done is done, in progress is overdue on 3月20日.
    assert_eq!(
        state("1", "市局消费者权益保护处"),
        ("已完成".into(), "否".into())
    );
    assert_eq!(state("1", "市消保委秘书处"), ("进行中".into(), "是".into()));
    // Task 2 is due 3月31日: not overdue yet; a department that sent
    // nothing shows 未报.
    assert_eq!(
        state("2", "市局消费者权益保护处"),
        ("进行中".into(), "否".into())
    );
    assert_eq!(state("2", "机场分局"), ("未报".into(), "否".into()));
    assert_eq!(
        r.overdue,
        1 + rows
            .iter()
            .filter(|x| x["任务序号"] == "1" && x["状态"] == "未报")
            .count()
    );
    let pdf = std::fs::read(r.out.dir.join("督办汇总.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(
        text.contains("督办汇总") && text.contains("进行中（逾期）"),
        "{text}"
    );
    assert!(text.contains("截至日期：2019年3月20日"), "{text}");
}

#[test]
fn the_follow_up_refuses_content_that_check_refuses() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
    // A seal that is not there: an error of the checks, not of loading.
    let broken = yaml.replacen(
        "成文日期: 2019-03-07\n",
        "成文日期: 2019-03-07\n印章: 无此印章.png\n",
        1,
    );
    assert_ne!(broken, yaml);
    std::fs::write(content.join("公文.yaml"), broken).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("进度.csv"),
        "任务序号,责任部门,状态,说明\n1,市消保委秘书处,进行中,\n",
    )
    .unwrap();
    let on = gongwen::content::Date::parse("2019-03-20").unwrap();
    let e = gongwen::tasks::follow_up(engine(), &content, &data, &dir.path().join("o"), on)
        .expect_err("refused");
    assert!(e.to_string().contains("无此印章.png"), "{e}");
}

#[test]
fn progress_reported_under_a_short_name_counts_for_its_department() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // Task 1 is the 市局消费者权益保护处's (the plan writes 消保处); the CSV
    // names it by another of its aliases.
    std::fs::write(
        data.join("进度.csv"),
        "任务序号,责任部门,状态,说明\n1,消费者权益保护处,已完成,按期完成\n",
    )
    .unwrap();
    let on = gongwen::content::Date::parse("2019-03-10").unwrap();
    let out = dir.path().join("o");
    let r = gongwen::tasks::follow_up(engine(), &content, &data, &out, on).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let rows = csv_rows(&r.out.dir.join("督办汇总.csv"));
    assert!(
        rows.iter().any(|row| row["任务序号"] == "1"
            && row["责任部门"] == "市局消费者权益保护处"
            && row["状态"] == "已完成"),
        "{rows:?}"
    );
}

#[test]
fn the_follow_ups_note_points_to_a_report_that_is_there() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("进度.csv"),
        "任务序号,责任部门,状态,说明\n1,市消保委秘书处,办好了,\n",
    )
    .unwrap();
    let on = gongwen::content::Date::parse("2019-03-10").unwrap();
    let r =
        gongwen::tasks::follow_up(engine(), &content, &data, &dir.path().join("o"), on).unwrap();
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    let report = std::fs::read_to_string(r.out.dir.join("督办校验报告.txt")).unwrap();
    assert!(report.contains("办好了"), "{report}");
    let pdf = std::fs::read(r.out.dir.join("督办汇总.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains("见督办校验报告.txt"), "{text}");
}

#[test]
fn each_district_carries_to_the_departments_after_it_and_deng_is_kept() {
    let (dir, content) = plan_with(DEPARTMENTS);
    let yaml = std::fs::read_to_string(content.join("公文.yaml")).unwrap();
    let changed = yaml.replacen(
        "责任部门: 市局食品安全协调处、各区市场监管局",
        "责任部门: 各区消防救援部门、商务部门等",
        1,
    );
    assert_ne!(changed, yaml);
    std::fs::write(content.join("公文.yaml"), changed).unwrap();
    let r = gongwen::tasks::assign(
        engine(),
        &content,
        &dir.path().join("o"),
        Default::default(),
    )
    .unwrap();
    let task = r
        .tasks
        .iter()
        .find(|t| t.departments.first().map(String::as_str) == Some("各区消防救援部门"))
        .expect("the changed task");
    assert_eq!(task.departments, ["各区消防救援部门", "各区商务部门"]);
    assert!(task.more);
    let pdf = std::fs::read(r.out.dir.join("任务分工表.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(text.contains("各区消防救援部门、各区商务部门等"), "{text}");
}

/// Issue 23, point 5: measures whose text ends in "（…负责）" are tasks, with
/// their units, lead first, and their printed numbers (国发〔2018〕39号).
#[test]
fn measures_ending_in_their_responsible_units_are_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("content/yijian-runin");
    let report =
        gongwen::tasks::assign(engine(), &content, dir.path(), Default::default()).unwrap();
    // Counted by hand: 14 of the 15 measures end in "（…负责）".
    assert_eq!(report.tasks.len(), 14);
    let rows = csv_rows(&report.out.dir.join("任务分工.csv"));
    let count = |d: &str| rows.iter().filter(|r| r["责任部门"] == d).count();
    assert_eq!(count("人力资源社会保障部"), 9);
    assert_eq!(count("财政部"), 8);
    assert_eq!(count("各省级人民政府"), 5);
    assert_eq!(count("各有关部门和单位"), 3);
    // "人力资源社会保障部等有关部门和单位": the one named, and more.
    let t = &report.tasks[3];
    assert_eq!(t.title, "扩大就业见习补贴范围。");
    assert_eq!(
        (t.departments.as_slice(), t.more),
        (&["人力资源社会保障部".to_string()][..], true)
    );
    assert_eq!(
        t.label, "（五）",
        "the plan numbers its measures on across its parts"
    );
    // The 任务分工表 prints each task with the plan's own number.
    let pdf = std::fs::read(report.out.dir.join("任务分工表.pdf")).unwrap();
    let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf).unwrap());
    assert!(
        text.contains("（二）发挥政府性融资担保机构作用支持小微企业。"),
        "{text}"
    );
    assert!(text.contains("人力资源社会保障部等"), "{text}");
}

/// Issue 23, point 5: no department's name and no date is broken across
/// lines in the 任务分工表 (it broke 工业和信息化/部 and 2026年10/月31/日).
#[test]
fn the_assignment_table_never_breaks_a_name_or_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("plan");
    std::fs::create_dir(&content).unwrap();
    let yaml = std::fs::read_to_string(repo().join("content/yijian-runin/公文.yaml")).unwrap();
    // Every measure due on a long date.
    let yaml = yaml.replace(
        "成文日期:",
        "完成时限: 2026年10月31日前\n任务表名称: 促进就业工作\n成文日期:",
    );
    std::fs::write(content.join("公文.yaml"), yaml).unwrap();
    let report =
        gongwen::tasks::assign(engine(), &content, dir.path(), Default::default()).unwrap();
    let pdf = std::fs::read(report.out.dir.join("任务分工表.pdf")).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    // The title as the content names the plan.
    assert!(squeeze(&text).contains("促进就业工作任务分工表"), "{text}");
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .filter(|l: &String| !l.is_empty())
        .collect();
    let mut whole: Vec<String> = report
        .tasks
        .iter()
        .flat_map(|t| t.departments.clone())
        .collect();
    whole.push("2026年10月31日前".into());
    whole.sort();
    whole.dedup();
    for w in &whole {
        let chars: Vec<char> = w.chars().collect();
        for k in 1..chars.len() {
            let (head, tail): (String, String) =
                (chars[..k].iter().collect(), chars[k..].iter().collect());
            for pair in lines.windows(2) {
                assert!(
                    !(pair[0].ends_with(&head)
                        && pair[1].starts_with(&tail)
                        && !pair[0].ends_with(w.as_str())),
                    "“{w}” broken as “{head}” / “{tail}”:\n{}",
                    lines.join("\n")
                );
            }
        }
    }
}

/// Issue 23, done-when: a published plan (穗字〔2012〕20号) whose 18 measures
/// end in "（牵头单位：…，配合单位：…）" gives the task–unit rows counted by
/// hand (tests/fixtures/real/suizi-2012-20-talent/任务.txt: the printed
/// number and the units, lead first), with the printed numbers.
#[test]
fn a_published_plan_gives_the_rows_counted_by_hand() {
    let content = repo().join("tests/fixtures/real/suizi-2012-20-talent");
    let hand = std::fs::read_to_string(content.join("任务.txt")).unwrap();
    let want: Vec<(String, Vec<String>)> = hand
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (label, units) = l.split_once('\t').unwrap();
            (
                label.to_string(),
                units.split('、').map(String::from).collect(),
            )
        })
        .collect();
    assert_eq!(want.len(), 18);
    let dir = tempfile::tempdir().unwrap();
    let report =
        gongwen::tasks::assign(engine(), &content, dir.path(), Default::default()).unwrap();
    let got: Vec<(String, Vec<String>)> = report
        .tasks
        .iter()
        .map(|t| (t.label.clone(), t.departments.clone()))
        .collect();
    assert_eq!(got, want);
    // The plan's numbers tell its tasks apart: they are the 任务序号.
    let keys: Vec<String> = report.tasks.iter().map(|t| t.key.clone()).collect();
    let printed: Vec<String> = (2..=19).map(|n| n.to_string()).collect();
    assert_eq!(keys, printed);
    // 66 task–unit rows in the CSV, each task's first unit the lead.
    let rows = csv_rows(&report.out.dir.join("任务分工.csv"));
    assert_eq!(rows.len(), want.iter().map(|(_, u)| u.len()).sum::<usize>());
    assert_eq!(rows.len(), 66);
    for (label, units) in &want {
        let lead: Vec<_> = rows
            .iter()
            .filter(|r| r["任务序号"] == label.trim_end_matches('.') && r["牵头"] == "是")
            .map(|r| r["责任部门"].clone())
            .collect();
        assert_eq!(lead, [units[0].clone()], "task {label}");
    }
}

/// Issue 23, point 5: the plan's own numbers are the 任务序号 when they tell
/// the tasks apart: the task lists show them, and a department's return that
/// names a task by its printed number (（五）) counts for it.
#[test]
fn the_plans_own_numbers_are_the_task_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("content/yijian-runin");
    let report =
        gongwen::tasks::assign(engine(), &content, dir.path(), Default::default()).unwrap();
    let t = &report.tasks[3];
    assert_eq!(
        (t.key.as_str(), t.title.as_str()),
        ("（五）", "扩大就业见习补贴范围。")
    );
    let rows = csv_rows(&report.out.dir.join("任务分工.csv"));
    assert!(rows
        .iter()
        .any(|r| r["任务序号"] == "（五）" && r["任务"] == "扩大就业见习补贴范围。"));
    let data = dir.path().join("进度");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("人社部.csv"),
        "任务序号,责任部门,状态,说明\n（五）,人力资源社会保障部,已完成,见习计划已启动\n",
    )
    .unwrap();
    let on = gongwen::content::Date::parse("2019-03-01").unwrap();
    let r = gongwen::tasks::follow_up(engine(), &content, &data, dir.path(), on).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let rows = csv_rows(&r.out.dir.join("督办汇总.csv"));
    let done: Vec<_> = rows.iter().filter(|r| r["状态"] == "已完成").collect();
    assert_eq!(done.len(), 1);
    assert_eq!(
        (done[0]["任务序号"].as_str(), done[0]["责任部门"].as_str()),
        ("（五）", "人力资源社会保障部")
    );
}
