//! Excel in and out: `rotaplan import` of a bureau workbook (Chinese names, values and dates),
//! errors located `sheet:row:column`, the shipped hezhang workbook's round trip, a GBK CSV
//! fixture, and `rotaplan export`'s four sheets.

use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use rotaplan::domain::Instance;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::bin;

fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = bin().args(args).output().expect("run rotaplan");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn import(workbook: &Path, out: &Path) -> (i32, String) {
    run(&[
        "import".as_ref(),
        workbook.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

enum V<'a> {
    S(&'a str),
    N(f64),
    Date(u16, u8, u8),
    E,
}
use V::{Date, E, N, S};

fn sheet(wb: &mut Workbook, name: &str, header: &[&str], rows: &[Vec<V>]) {
    titled_sheet(wb, name, None, header, rows);
}

/// A sheet, with a title row above the header when `title` is given (rows shift down by one).
fn titled_sheet(
    wb: &mut Workbook,
    name: &str,
    title: Option<&str>,
    header: &[&str],
    rows: &[Vec<V>],
) {
    let ws = wb.add_worksheet();
    ws.set_name(name).expect("name");
    let top = u32::from(title.is_some());
    if let Some(t) = title {
        ws.write_string(0, 0, t).expect("title");
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(top, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1 + top;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                S(s) => {
                    ws.write_string(r, c, *s).expect("cell");
                }
                N(x) => {
                    ws.write_number(r, c, *x).expect("cell");
                }
                Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    ws.write_datetime_with_format(r, c, &dt, &date)
                        .expect("cell");
                }
                E => {}
            }
        }
    }
}

/// A small county as a bureau would keep it: Chinese sheets, headers and values, dates in
/// several forms, numbers typed as text, the township given by name.
fn bureau_workbook(path: &Path, teachers: &[Vec<V>]) {
    let mut wb = Workbook::new();
    sheet(&mut wb, "说明", &["本表由教育局填写"], &[]);
    sheet(
        &mut wb,
        "乡镇（街道）",
        &[
            "乡镇编号",
            "乡镇名称",
            "是否城区",
            "横坐标(km)",
            "纵坐标（km）",
            "是否优先",
        ],
        &[
            vec![S("T1"), S("城关镇"), S("是"), N(0.0), N(0.0), S("否")],
            vec![S("T2"), S("河镇乡"), S("否"), S("12.5"), N(-3.0), S("是")],
        ],
    );
    sheet(
        &mut wb,
        "学校",
        &[
            "学校编号",
            "学校名称",
            "所属乡镇",
            "学段",
            "办学质量",
            "在校生数",
            "班级数",
            "是否帮扶校",
            "备注",
        ],
        &[
            vec![
                S("X1"),
                S("城关一小"),
                S("城关镇"),
                S("小学"),
                N(88.0),
                S("1,200"),
                N(24.0),
                S("是"),
                S("县城"),
            ],
            vec![
                S("X2"),
                S("河镇九校"),
                S("T2"),
                S("九年一贯制"),
                S("61.5"),
                N(430.0),
                N(12.0),
                S("否"),
                E,
            ],
            vec![
                S("X3"),
                S("河镇中心幼儿园"),
                S("河镇乡"),
                S("幼儿园"),
                N(55.0),
                N(90.0),
                N(3.0),
                E,
                E,
            ],
        ],
    );
    titled_sheet(
        &mut wb,
        "教职工",
        Some("赫章县教职工名单（2026年）"),
        &[
            "工号",
            "姓名",
            "学校编号",
            "任教学科",
            "性别",
            "出生年月",
            "职称",
            "是否骨干",
            "本校任教年限",
            "第二学科",
            "资格学段",
            "学历",
            "特殊困难",
            "自愿交流",
        ],
        teachers,
    );
    sheet(
        &mut wb,
        "岗位需求",
        &["学校编号", "学科", "岗位数"],
        &[
            vec![S("X1"), S("数学"), N(2.0)],
            vec![S("河镇九校"), S("道德与法治"), S("1")],
            vec![S("X3"), S("学前教育"), N(2.0)],
        ],
    );
    wb.save(path).expect("save workbook");
}

fn good_teachers() -> Vec<Vec<V<'static>>> {
    vec![
        vec![
            S("001"),
            S("张伟"),
            S("X1"),
            S("数学"),
            S("男"),
            S("1985年3月"),
            S("高级教师"),
            S("是"),
            N(12.0),
            E,
            E,
            S("本科"),
            S("否"),
            S("否"),
        ],
        vec![
            S("002"),
            S("李娜"),
            S("城关一小"),
            S("语文"),
            S("女"),
            Date(1990, 7, 1),
            S("小学高级"),
            S("否"),
            S("3"),
            S("音乐"),
            S("初中、小学"),
            S("大专"),
            E,
            S("是"),
        ],
        vec![
            S("003"),
            S("王芳"),
            S("X2"),
            S("道德与法治"),
            S("女"),
            S("1978-11"),
            S("一级教师"),
            S("否"),
            N(20.0),
            E,
            E,
            S("研究生"),
            S("是"),
            E,
        ],
        vec![
            S("004"),
            S("赵强"),
            S("X3"),
            S("学前教育"),
            S("男"),
            N(1995.0),
            S("未定级"),
            S("否"),
            N(1.0),
            E,
            E,
            S("中专"),
            E,
            E,
        ],
    ]
}

fn read(dir: &Path) -> Instance {
    rotaplan::io::read_instance(dir).unwrap_or_else(|p| panic!("{}: {p}", dir.display()))
}

#[test]
fn a_bureau_workbook_with_chinese_names_imports() {
    let d = tempfile::tempdir().expect("tempdir");
    let wb = d.path().join("县教育局.xlsx");
    bureau_workbook(&wb, &good_teachers());
    let out = d.path().join("county");
    let (code, text) = import(&wb, &out);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("说明"), "ignored sheet noted: {text}");
    assert!(text.contains("备注"), "ignored column noted: {text}");
    let inst = read(&out);
    assert_eq!(inst.townships.len(), 2);
    assert!(inst.townships[0].urban && !inst.townships[1].urban);
    assert!(inst.townships[1].priority);
    assert_eq!(inst.townships[1].x_km, 12.5);
    let x2 = &inst.schools[inst.school_by_id("X2").expect("X2")];
    assert_eq!(x2.stage.as_str(), "nine_year");
    assert_eq!(x2.quality, 61.5);
    let x1 = &inst.schools[inst.school_by_id("X1").expect("X1")];
    assert_eq!(x1.students, 1200);
    assert!(x1.helper);
    // Township given by name resolves to its id.
    assert_eq!(inst.townships[inst.schools[2].township].id, "T2");
    let t = |id: &str| &inst.teachers[inst.teacher_by_id(id).expect(id)];
    assert_eq!(t("001").birth_year, 1985);
    assert_eq!(t("001").title.as_str(), "senior");
    assert!(t("001").key);
    assert_eq!(t("001").name.as_deref(), Some("张伟"));
    assert_eq!(t("002").sex.as_str(), "F");
    assert_eq!(t("002").birth_year, 1990, "Excel date cell");
    assert_eq!(
        t("002").title.as_str(),
        "first",
        "小学高级 is 一级 since 2015"
    );
    assert_eq!(
        inst.schools[t("002").school].id,
        "X1",
        "school given by name"
    );
    assert_eq!(t("002").second_subject.as_deref(), Some("music"));
    assert_eq!(
        t("002")
            .certified_stages
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        ["middle", "primary"]
    );
    assert_eq!(t("002").degree.map(|d| d.as_str()), Some("college"));
    assert!(t("002").volunteer);
    assert_eq!(t("003").subject, "politics");
    assert!(t("003").exempt);
    assert_eq!(t("003").degree.map(|d| d.as_str()), Some("graduate"));
    assert_eq!(t("004").birth_year, 1995);
    assert_eq!(t("004").title.as_str(), "none");
    assert_eq!(t("004").subject, "preschool");
    let demand: Vec<(String, &str, u32)> = inst
        .demand
        .iter()
        .map(|d| {
            (
                inst.schools[d.school].id.clone(),
                d.subject.as_str(),
                d.positions,
            )
        })
        .collect();
    assert_eq!(
        demand,
        [
            ("X1".into(), "math", 2),
            ("X2".into(), "politics", 1),
            ("X3".into(), "preschool", 2)
        ]
    );
    // The CSV is in SPEC form.
    let csv = fs::read_to_string(out.join("teachers.csv")).expect("teachers.csv");
    assert!(
        csv.starts_with("id,school,subject,sex,birth_year,title,key,years_at_school,name,"),
        "{csv}"
    );
}

#[test]
fn workbook_problems_are_located_by_sheet_row_and_column_all_at_once() {
    let d = tempfile::tempdir().expect("tempdir");
    let wb = d.path().join("bad.xlsx");
    let mut teachers = good_teachers();
    teachers[1][4] = S("男女"); // 教职工 row 4 (under a title row), column E (性别)
    teachers[2][6] = S("高级讲师"); // row 5, column G (职称)
    teachers[3][5] = S("九五年"); // row 6, column F (出生年月)
    teachers[0][2] = S("X9"); // row 3, column C: no such school (found by the instance reader)
    bureau_workbook(&wb, &teachers);
    let out = d.path().join("county");
    let (code, text) = import(&wb, &out);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("教职工:4:E"), "{text}");
    assert!(text.contains("\"男女\""), "value shown: {text}");
    assert!(text.contains("男 (M)"), "fix lists the words: {text}");
    assert!(text.contains("教职工:5:G"), "{text}");
    assert!(text.contains("\"高级讲师\""), "{text}");
    assert!(text.contains("教职工:6:F"), "{text}");
    assert!(text.contains("1985年3月"), "fix gives a date form: {text}");
    assert!(
        !out.join("teachers.csv").exists(),
        "nothing written on conversion errors"
    );

    // Once the values convert, what the instance reader finds is moved back to the cell.
    let mut teachers = good_teachers();
    teachers[0][2] = S("X9");
    bureau_workbook(&wb, &teachers);
    let (code, text) = import(&wb, &out);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("教职工:3:C"), "{text}");
    assert!(text.contains("unknown school `X9`"), "{text}");
}

#[test]
fn missing_sheets_and_columns_are_reported() {
    let d = tempfile::tempdir().expect("tempdir");
    let wb_path = d.path().join("partial.xlsx");
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "乡镇",
        &["乡镇编号", "乡镇名称", "横坐标", "纵坐标"],
        &[vec![S("T1"), S("城关镇"), N(0.0), N(0.0)]],
    );
    wb.save(&wb_path).expect("save");
    let (code, text) = import(&wb_path, &d.path().join("out"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("乡镇:1: missing column `urban`"), "{text}");
    for table in ["schools", "teachers", "demand"] {
        assert!(text.contains(&format!("no sheet for {table}")), "{text}");
    }
    let (code, text) = import(&d.path().join("none.xlsx"), &d.path().join("out"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("cannot open the workbook"), "{text}");
}

/// Every field of two instances, by id.
fn assert_same_instance(a: &Instance, b: &Instance) {
    assert_eq!(a.townships.len(), b.townships.len());
    for (x, y) in a.townships.iter().zip(&b.townships) {
        assert_eq!(
            (&x.id, &x.name, x.urban, x.x_km, x.y_km, x.priority),
            (&y.id, &y.name, y.urban, y.x_km, y.y_km, y.priority)
        );
    }
    assert_eq!(a.adjacency, b.adjacency);
    assert_eq!(a.schools.len(), b.schools.len());
    for (x, y) in a.schools.iter().zip(&b.schools) {
        assert_eq!(
            (
                &x.id, &x.name, x.township, x.stage, x.quality, x.students, x.classes
            ),
            (
                &y.id, &y.name, y.township, y.stage, y.quality, y.students, y.classes
            )
        );
        assert_eq!(
            (x.x_km, x.y_km, x.helper, x.core_eligible),
            (y.x_km, y.y_km, y.helper, y.core_eligible),
            "{}",
            x.id
        );
    }
    assert_eq!(a.teachers.len(), b.teachers.len());
    for (x, y) in a.teachers.iter().zip(&b.teachers) {
        assert_eq!(
            (
                &x.id,
                x.school,
                &x.subject,
                x.sex,
                x.birth_year,
                x.title,
                x.key
            ),
            (
                &y.id,
                y.school,
                &y.subject,
                y.sex,
                y.birth_year,
                y.title,
                y.key
            )
        );
        assert_eq!(
            (
                x.years_at_school,
                &x.name,
                &x.second_subject,
                &x.certified_stages,
                x.degree
            ),
            (
                y.years_at_school,
                &y.name,
                &y.second_subject,
                &y.certified_stages,
                y.degree
            ),
            "{}",
            x.id
        );
        assert_eq!(
            (x.home_school, x.exchange_until, x.exempt, x.volunteer),
            (y.home_school, y.exchange_until, y.exempt, y.volunteer),
            "{}",
            x.id
        );
    }
    assert_eq!(a.demand.len(), b.demand.len());
    for (x, y) in a.demand.iter().zip(&b.demand) {
        assert_eq!(
            (x.school, &x.subject, x.positions),
            (y.school, &y.subject, y.positions)
        );
    }
    let mut ra: Vec<_> = a.road_km.iter().collect();
    let mut rb: Vec<_> = b.road_km.iter().collect();
    ra.sort_by(|p, q| p.0.cmp(q.0));
    rb.sort_by(|p, q| p.0.cmp(q.0));
    assert_eq!(ra, rb);
}

#[test]
fn shipped_hezhang_workbook_imports_to_the_csv_instance() {
    let d = tempfile::tempdir().expect("tempdir");
    let hezhang = root().join("instances/hezhang");
    let (code, text) = import(&hezhang.join("hezhang.xlsx"), d.path());
    assert_eq!(code, 0, "{text}");
    assert_same_instance(&read(d.path()), &read(&hezhang));
}

#[test]
fn instance_workbook_round_trips_with_distances() {
    let d = tempfile::tempdir().expect("tempdir");
    let src = d.path().join("src");
    fs::create_dir_all(&src).expect("mkdir");
    let tiny = root().join("tests/data/examples/schools-tiny");
    for f in [
        "townships.csv",
        "adjacency.csv",
        "schools.csv",
        "teachers.csv",
        "demand.csv",
    ] {
        fs::copy(tiny.join(f), src.join(f)).expect("copy");
    }
    fs::write(src.join("distances.csv"), "a,b,km\nS0,S1,7.5\nS2,S9,30\n").expect("write");
    let wb = d.path().join("tiny.xlsx");
    rotaplan::io::instance_xlsx::write_instance_xlsx(&src, &wb).expect("workbook");
    let sheets = open_workbook_auto(&wb).expect("open").sheet_names();
    assert_eq!(sheets, ["乡镇", "相邻", "学校", "教师", "岗位需求", "距离"]);
    let out = d.path().join("out");
    let (code, text) = import(&wb, &out);
    assert_eq!(code, 0, "{text}");
    assert_same_instance(&read(&out), &read(&src));
    // Same input, same bytes.
    let again = d.path().join("again.xlsx");
    rotaplan::io::instance_xlsx::write_instance_xlsx(&src, &again).expect("workbook");
    assert_eq!(
        fs::read(&wb).expect("read"),
        fs::read(&again).expect("read")
    );
}

#[test]
fn gbk_encoded_csv_fixture_is_read_by_validate() {
    let fixture = root().join("tests/data/gbk-county");
    let bytes = fs::read(fixture.join("schools.csv")).expect("fixture");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must stay GBK-encoded"
    );
    let (code, text) = run(&["validate".as_ref(), fixture.as_os_str()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("10 schools"), "{text}");

    // A problem in a GBK file shows its Chinese value decoded.
    let d = tempfile::tempdir().expect("tempdir");
    for e in fs::read_dir(&fixture).expect("ls") {
        let e = e.expect("entry");
        fs::copy(e.path(), d.path().join(e.file_name())).expect("copy");
    }
    let text = rotaplan::io::text::decode(&bytes)
        .expect("the file decodes")
        .replacen("primary", "小学部", 1);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(d.path().join("schools.csv"), &gbk).expect("write");
    let (code, out) = run(&["validate".as_ref(), d.path().as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("schools.csv:2:4: unknown stage (value \"小学部\")"),
        "{out}"
    );
}

fn cells(wb: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(wb).expect("open");
    let range = book.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A hand-made plan for the schools-tiny county: one group, one pairing, a transfer that
/// fills a math shortage and an exchange under the pairing.
fn tiny_plan(dir: &Path) {
    fs::write(
        dir.join("groups.csv"),
        "track,group,school,role\ncompulsory,compulsory-1,S2,core\ncompulsory,compulsory-1,S3,member\ncompulsory,compulsory-1,S4,member\n",
    )
    .expect("groups");
    fs::write(
        dir.join("pairings.csv"),
        "helper,group,stage\nS0,compulsory-1,primary\n",
    )
    .expect("pairings");
    fs::write(
        dir.join("moves.csv"),
        "teacher,from,to,kind,subject,start_year,end_year,slot\n\
         P35,S3,S2,transfer,math,2026,,\n\
         P0,S0,S3,exchange,chinese,2026,2027,primary\n\
         P28,S3,S0,exchange,chinese,2026,2027,primary\n",
    )
    .expect("moves");
    fs::write(
        dir.join("summary.json"),
        r#"{"rotation": {"status": "optimal", "objective": [2, 11, 3, 40.5], "bound": [2, 11, 3, 40.5],
            "gap": [0, 0, 0, 0], "seconds": 0.4,
            "levels": ["exchanges", "shortage", "teachers_moved", "km"], "returns": 0},
            "shortage_before": 12, "shortage_after": 11,
            "shortage_by_subject": {"math": {"before": 3, "after": 2}}}"#,
    )
    .expect("summary");
}

#[test]
fn export_writes_four_chinese_sheets_with_reasons() {
    let d = tempfile::tempdir().expect("tempdir");
    tiny_plan(d.path());
    let inst = root().join("tests/data/examples/schools-tiny");
    let xlsx = d.path().join("方案.xlsx");
    let (code, text) = run(&[
        "export".as_ref(),
        d.path().as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
        "--instance".as_ref(),
        inst.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    let sheets = open_workbook_auto(&xlsx).expect("open").sheet_names();
    assert_eq!(sheets, ["分组", "结对", "交流名单", "汇总"]);

    let groups = cells(&xlsx, "分组");
    assert_eq!(
        groups[0],
        [
            "方案",
            "集团",
            "集团名称",
            "学校编号",
            "学校名称",
            "学段",
            "学生数",
            "角色"
        ]
    );
    assert_eq!(
        groups[1],
        [
            "义务教育",
            "compulsory-1",
            "学校3教育集团",
            "S2",
            "学校3",
            "小学",
            "525",
            "核心校"
        ]
    );
    assert_eq!(groups.len(), 4);

    let pairings = cells(&xlsx, "结对");
    assert_eq!(
        pairings[0],
        ["帮扶校编号", "帮扶校名称", "集团", "集团名称", "学段"]
    );
    assert_eq!(
        pairings[1],
        ["S0", "学校1", "compulsory-1", "学校3教育集团", "小学"]
    );

    // The planner-made moves.csv has no reason column: the workbook gives the reasons
    // rotaplan writes, the same the report shows.
    let moves = cells(&xlsx, "交流名单");
    assert_eq!(moves.len(), 4, "one row per teacher");
    assert_eq!(moves[0][0], "教师编号");
    assert_eq!(moves[0].last().map(String::as_str), Some("理由"));
    let reason = |i: usize| moves[i].last().cloned().unwrap_or_default();
    assert_eq!(moves[1][1], "教师35");
    assert_eq!(moves[1][2], "数学");
    assert_eq!(moves[1][3], "调整交流");
    assert!(
        reason(1).starts_with("补学校3数学缺口（1 → 0）"),
        "{}",
        reason(1)
    );
    assert_eq!(moves[2][3], "互派交流");
    assert!(
        reason(2).starts_with("学校1与学校3教育集团结对互派（小学），由帮扶校派出"),
        "{}",
        reason(2)
    );
    assert!(
        reason(3).starts_with("学校1与学校3教育集团结对互派（小学），派往帮扶校"),
        "{}",
        reason(3)
    );

    let summary = cells(&xlsx, "汇总");
    assert_eq!(summary[0][0], "步骤");
    assert_eq!(summary[1][0], "交流轮岗");
    assert_eq!(summary[1][1], "最优（已证明）");
    let flat: Vec<&str> = summary
        .iter()
        .filter_map(|r| r.first().map(String::as_str))
        .collect();
    assert!(flat.contains(&"调整前缺口"), "{flat:?}");
    assert!(flat.contains(&"分学科缺口 / 数学 / 调整后"), "{flat:?}");
    // No summary key leaks into a label: keys have a column of their own.
    for label in &flat {
        assert!(!label.contains('_'), "{label}");
    }

    // Without the instance: ids only, same four sheets; and the bytes are deterministic.
    let bare = d.path().join("bare.xlsx");
    let again = d.path().join("again.xlsx");
    for out in [&bare, &again] {
        let (code, text) = run(&[
            "export".as_ref(),
            d.path().as_os_str(),
            "--xlsx".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code, 0, "{text}");
    }
    assert_eq!(
        fs::read(&bare).expect("read"),
        fs::read(&again).expect("read")
    );
    assert_eq!(
        cells(&bare, "分组")[0],
        ["方案", "集团", "学校编号", "角色"]
    );
    let m = cells(&bare, "交流名单");
    assert_eq!(m[0].len(), 9);
}

#[test]
fn workbook_shows_the_moves_csv_reason_of_every_teacher() {
    let d = tempfile::tempdir().expect("tempdir");
    let fixture = root().join("tests/data/report-hezhang");
    let xlsx = d.path().join("赫章.xlsx");
    let inst = root().join("instances/hezhang");
    let (code, text) = run(&[
        "export".as_ref(),
        fixture.as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
        "--instance".as_ref(),
        inst.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    let mut rd = csv::Reader::from_path(fixture.join("moves.csv")).expect("moves.csv");
    let expected: std::collections::BTreeMap<String, String> = rd
        .records()
        .map(|r| {
            let r = r.expect("row");
            (r[0].to_string(), r[8].to_string())
        })
        .collect();
    assert_eq!(expected.len(), 257);
    let sheet = cells(&xlsx, "交流名单");
    let reason_col = sheet[0].iter().position(|h| h == "理由").expect("理由");
    let got: std::collections::BTreeMap<String, String> = sheet[1..]
        .iter()
        .map(|r| (r[0].clone(), r[reason_col].clone()))
        .collect();
    assert_eq!(got.len(), expected.len(), "one row per moving teacher");
    for (teacher, reason) in &expected {
        assert!(!reason.is_empty(), "{teacher}: empty reason in moves.csv");
        assert_eq!(got.get(teacher), Some(reason), "{teacher}");
    }
}

#[test]
fn export_without_a_plan_is_an_error() {
    let d = tempfile::tempdir().expect("tempdir");
    let xlsx = d.path().join("x.xlsx");
    let (code, text) = run(&[
        "export".as_ref(),
        d.path().as_os_str(),
        "--xlsx".as_ref(),
        xlsx.as_os_str(),
    ]);
    assert_ne!(code, 0, "{text}");
    assert!(text.contains("no plan found"), "{text}");
    assert!(!xlsx.exists());
}
