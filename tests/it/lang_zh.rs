//! Issue 12's leftovers, Chinese first: `verify` and `validate` speak the terminal language,
//! and lock and grouping infeasibilities are explained in the documents language (both in
//! summary.json and on the terminal), with English kept under `--lang en`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// `text` holds `needle` (the whole text on failure).
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "no `{needle}` in:\n{text}");
}

/// `text` does not hold `needle`.
fn lacks(text: &str, needle: &str) {
    assert!(!text.contains(needle), "`{needle}` in:\n{text}");
}

fn tiny() -> PathBuf {
    example("schools-tiny")
}

/// Runs the binary under `LANG=locale` (the other locale variables removed); exit code and
/// stdout followed by stderr.
fn run_in(locale: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rotaplan"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .output()
        .expect("run rotaplan");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).expect("summary.json"))
        .expect("json")
}

/// A plan of schools-tiny whose moves.csv lists its first mover twice (F2).
fn broken_plan(dir: &Path) -> PathBuf {
    let out = dir.join("plan");
    let policy = tiny().join("policy.toml");
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&policy),
        "--plan",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    let moves = fs::read_to_string(out.join("moves.csv")).expect("moves.csv");
    let first = moves.lines().nth(1).expect("a mover").to_string();
    fs::write(out.join("moves.csv"), format!("{moves}{first}\n")).expect("write");
    out
}

#[test]
fn verify_prints_its_findings_in_the_terminal_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = broken_plan(dir.path());
    let instance = tiny();
    let policy = instance.join("policy.toml");
    let args = [
        "verify",
        s(&instance),
        "--policy",
        s(&policy),
        "--plan",
        s(&plan),
    ];
    let (code, zh) = run_in("zh_CN.UTF-8", &args);
    assert_eq!(code, 1, "{zh}");
    let f2 = zh
        .lines()
        .find(|l| l.starts_with("F2 "))
        .unwrap_or_else(|| panic!("no F2 line: {zh}"));
    assert!(
        f2.contains("被调动两次") && f2.contains("涉及：moves.csv:"),
        "{f2}"
    );
    has(&zh, "方案核查未通过");
    assert!(
        !zh.contains("is moved twice") && !zh.contains("violation(s)"),
        "{zh}"
    );

    let mut en_args = args.to_vec();
    en_args.extend(["--lang", "en"]);
    let (code, en) = run_in("zh_CN.UTF-8", &en_args);
    assert_eq!(code, 1, "{en}");
    assert!(
        en.contains("is moved twice") && en.contains("violation(s)"),
        "{en}"
    );
    lacks(&en, "被调动两次");
}

#[test]
fn verify_of_a_sound_plan_says_so_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let policy = tiny().join("policy.toml");
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&policy),
        "--plan",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    let (code, zh) = run_in(
        "zh_CN.UTF-8",
        &[
            "verify",
            s(&tiny()),
            "--policy",
            s(&policy),
            "--plan",
            s(&out),
        ],
    );
    assert_eq!(code, 0, "{zh}");
    has(&zh, "方案核查通过");
    lacks(&zh, "plan ok");
}

#[test]
fn validate_frames_problems_and_its_summary_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(tiny()).expect("example") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let (code, ok) = run_in("zh_CN.UTF-8", &["validate", s(dir.path())]);
    assert_eq!(code, 0, "{ok}");
    assert!(ok.starts_with("数据无误："), "{ok}");

    let schools = dir.path().join("schools.csv");
    let text = fs::read_to_string(&schools).expect("schools");
    fs::write(&schools, text.replacen("primary", "primry", 1)).expect("write");
    let (code, zh) = run_in("zh_CN.UTF-8", &["validate", s(dir.path())]);
    assert_eq!(code, 1, "{zh}");
    has(
        &zh,
        "schools.csv:2:4：学段无法识别（值 \"primry\"）；可用值：",
    );
    has(&zh, "发现 1 处问题");
    let (_, en) = run_in("en_US.UTF-8", &["validate", s(dir.path())]);
    assert!(
        en.contains("schools.csv:2:4: unknown stage (value \"primry\"); use one of")
            && en.contains("1 problem found"),
        "{en}"
    );

    // A missing column, from the central CSV reader.
    let teachers = dir.path().join("teachers.csv");
    let text = fs::read_to_string(&teachers).expect("teachers");
    fs::write(&teachers, text.replacen("birth_year", "born", 1)).expect("write");
    let (code, zh) = run_in("zh_CN.UTF-8", &["validate", s(dir.path())]);
    assert_eq!(code, 1, "{zh}");
    has(&zh, "缺少 `birth_year` 列；请在表头中添加 `birth_year` 列");
    lacks(&zh, "missing column");
}

/// The plan folder of tests/it/locks.rs: schools-tiny's optimal groups and pairings.
fn grouped_and_paired(dir: &Path) {
    let mut s = String::from("track,group,school,role\n");
    for (g, core, members) in [
        ("compulsory-1", "S3", &["S2", "S3", "S4", "S8", "S9"][..]),
        ("compulsory-2", "S7", &["S5", "S6", "S7"][..]),
    ] {
        for m in members {
            let role = if *m == core { "core" } else { "member" };
            s.push_str(&format!("compulsory,{g},{m},{role}\n"));
        }
    }
    fs::write(dir.join("groups.csv"), s).expect("groups");
    fs::write(
        dir.join("pairings.csv"),
        "helper,group,stage\nS0,compulsory-1,primary\nS0,compulsory-2,primary\n\
         S1,compulsory-1,middle\nS1,compulsory-2,middle\n",
    )
    .expect("pairings");
}

fn rotate_with_locks(dir: &Path, rows: &str, lang: &str) -> (i32, String) {
    let locks = dir.join("locks.csv");
    fs::write(&locks, format!("teacher,action,school\n{rows}")).expect("locks");
    let policy = tiny().join("policy.toml");
    rotaplan(&[
        "rotate",
        s(&tiny()),
        "--policy",
        s(&policy),
        "--plan",
        s(dir),
        "--locks",
        s(&locks),
        "--lang",
        lang,
    ])
}

#[test]
fn lock_infeasibility_is_explained_in_chinese() {
    // compulsory-2 has 12 staff: T2 allows one transfer, and two locks force two.
    let rows = "P57,move,S5\nP59,move,S5\n";
    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    let (code, zh) = rotate_with_locks(dir.path(), rows, "zh");
    assert_eq!(code, 3, "{zh}");
    has(&zh, "T2：集团 compulsory-2 有 2 条只能以调动实现的调往锁定");
    has(&zh, "floor(0.1 × 12 名教职工)");
    lacks(&zh, "move locks");
    let reason = summary(dir.path())
        .pointer("/rotation/reason")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .expect("rotation.reason");
    assert!(reason.starts_with("这些锁定无法同时成立"), "{reason}");

    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    let (code, en) = rotate_with_locks(dir.path(), rows, "en");
    assert_eq!(code, 3, "{en}");
    has(&en, "T2: group compulsory-2 has 2 move locks");
}

#[test]
fn a_rejected_lock_names_its_rule_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    let (code, zh) = rotate_with_locks(dir.path(), "P73,move,S3\nP48,move,S2\n", "zh");
    assert_eq!(code, 2, "{zh}");
    has(
        &zh,
        "locks.csv:2：P73（调往 S3）：T3 —— 59 岁男教师（非自愿）不得调往其他乡镇",
    );
    has(&zh, "locks.csv:3：P48（调往 S2）：T8 ——");
    has(&zh, "请删除或修改这条锁定");
}

#[test]
fn grouping_infeasibility_is_explained_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = fs::read_to_string(tiny().join("policy.toml")).expect("policy");
    let policy = dir.path().join("policy.toml");
    fs::write(&policy, text.replace("max_schools = 6", "max_schools = 2")).expect("write");
    let out = dir.path().join("plan");
    let (code, zh) = rotaplan(&[
        "groups",
        s(&tiny()),
        "--policy",
        s(&policy),
        "--out",
        s(&out),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 3, "{zh}");
    let expected = "序列 compulsory：2 个集团 × 每集团 2 所学校 = 4 <";
    assert!(zh.contains(expected), "{zh}");
    has(&zh, "请把 max_schools 提高到");
    let reason = summary(&out)
        .pointer("/groups/reason")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .expect("groups.reason");
    assert!(reason.contains(expected), "{reason}");
    lacks(&reason, "track ");
}

/// Runs `groups` of schools-tiny with `policy` under `--lang lang`.
fn groups_with_policy(dir: &Path, policy: &str, lang: &str) -> (i32, String) {
    let path = dir.join("policy.toml");
    fs::write(&path, policy).expect("write policy");
    let out = dir.join("plan");
    rotaplan(&[
        "groups",
        s(&tiny()),
        "--policy",
        s(&path),
        "--out",
        s(&out),
        "--lang",
        lang,
    ])
}

#[test]
fn policy_problems_are_written_in_chinese() {
    let text = fs::read_to_string(tiny().join("policy.toml")).expect("policy");
    let broken = text
        .replace("max_schools = 6", "max_school = 6")
        .replace("cross_cap_share = 0.10", "cross_cap_share = 1.5");
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, zh) = groups_with_policy(dir.path(), &broken, "zh");
    assert_eq!(code, 2, "{zh}");
    has(
        &zh,
        "policy.toml:8:1：第 1 个 [[track]]：未知的键 `max_school`；是否应为 `max_schools`？",
    );
    has(
        &zh,
        "[rotation]：`cross_cap_share` 是比例，必须在 [0, 1] 内，实际为 1.5；例如 10% 写作 0.10",
    );
    assert!(
        !zh.contains("unknown key") && !zh.contains("is a share"),
        "{zh}"
    );

    let (code, en) = groups_with_policy(dir.path(), &broken, "en");
    assert_eq!(code, 2, "{en}");
    has(
        &en,
        "policy.toml:8:1: [[track]] #1: unknown key `max_school`; did you mean `max_schools`?",
    );
    has(
        &en,
        "[rotation]: `cross_cap_share` is a share and must lie in [0, 1], found 1.5",
    );
    lacks(&en, "未知的键");
}

#[test]
fn locks_file_problems_are_written_in_chinese() {
    let rows = "X9,stay,\nP57,move,S5\nP57,avoid,S5\n";
    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    let (code, zh) = rotate_with_locks(dir.path(), rows, "zh");
    assert_eq!(code, 2, "{zh}");
    has(
        &zh,
        "locks.csv:2:1：未知的教师 `X9`（值 \"X9\"）；请使用 teachers.csv 中的教师编号",
    );
    has(
        &zh,
        "locks.csv:4：P57：此处为“不派往 S5”，第 3 行为“调往 S5”：调往与不派往同一所学校相互矛盾；每位教师只保留一项决定",
    );
    assert!(
        !zh.contains("unknown teacher") && !zh.contains("contradict"),
        "{zh}"
    );

    let (code, en) = rotate_with_locks(dir.path(), rows, "en");
    assert_eq!(code, 2, "{en}");
    has(&en, "locks.csv:2:1: unknown teacher `X9`");
    has(
        &en,
        "P57: avoid S5 here and move to S5 on line 3: move to and avoid the same school contradict",
    );
    lacks(&en, "未知的教师");
}

/// Runs `rotate` of schools-tiny on the plan folder `dir` under `--lang lang`.
fn rotate_plan(dir: &Path, lang: &str) -> (i32, String) {
    let policy = tiny().join("policy.toml");
    rotaplan(&[
        "rotate",
        s(&tiny()),
        "--policy",
        s(&policy),
        "--plan",
        s(dir),
        "--lang",
        lang,
    ])
}

#[test]
fn plan_file_problems_are_written_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    fs::write(
        dir.path().join("pairings.csv"),
        "helper,group,stage\nS0,compulsory-1,primry\nS1,,middle\n",
    )
    .expect("pairings");
    let (code, zh) = rotate_plan(dir.path(), "zh");
    assert_eq!(code, 2, "{zh}");
    has(
        &zh,
        "pairings.csv:2:3：未知的岗位学段（值 \"primry\"）；可用值：kindergarten、primary 或 middle",
    );
    has(
        &zh,
        "pairings.csv:3:2：`group` 为空；请填写该帮扶校所结对的集团",
    );
    assert!(
        !zh.contains("unknown slot") && !zh.contains("is empty"),
        "{zh}"
    );

    let (code, en) = rotate_plan(dir.path(), "en");
    assert_eq!(code, 2, "{en}");
    has(
        &en,
        "pairings.csv:2:3: unknown slot stage (value \"primry\"); use kindergarten, primary or middle",
    );
    lacks(&en, "岗位学段");
}

#[test]
fn grouping_problems_are_written_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    grouped_and_paired(dir.path());
    fs::write(
        dir.path().join("groups.csv"),
        "track,group,school,role\ncompulsory,compulsory-1,S3,core\n\
         compulsory,compulsory-1,S2,core\ncompulsory,compulsory-1,S99,member\n\
         compulsory,compulsory-2,S7,core\ncompulsory,compulsory-2,S3,member\n",
    )
    .expect("groups");
    let (code, zh) = rotate_plan(dir.path(), "zh");
    assert_eq!(code, 2, "{zh}");
    for expected in [
        "groups.csv:4:3：未知的学校 `S99`（值 \"S99\"）；请使用 schools.csv 中的学校编号",
        "groups.csv:6:3：学校 `S3` 同时在集团 `compulsory-1` 和 `compulsory-2` 中；每所学校只能属于一个集团（G6）",
        "groups.csv：集团 `compulsory-1` 有 2 所核心校；每个集团须恰好标记一所学校为 core（核心校）",
    ] {
        assert!(zh.contains(expected), "{expected}\n{zh}");
    }
    assert!(
        !zh.contains("unknown school") && !zh.contains("core schools"),
        "{zh}"
    );

    let (code, en) = rotate_plan(dir.path(), "en");
    assert_eq!(code, 2, "{en}");
    has(
        &en,
        "groups.csv: group `compulsory-1` has 2 core schools; mark exactly one school of each group as core",
    );
    has(
        &en,
        "groups.csv:6:3: school `S3` is in group `compulsory-1` and `compulsory-2`",
    );
    lacks(&en, "核心校");
}

#[test]
fn workbook_import_problems_are_written_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workbook = dir.path().join("partial.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("乡镇").expect("sheet name");
    for (c, h) in ["乡镇编号", "乡镇名称", "横坐标", "纵坐标"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (c, v) in ["T1", "城关镇", "0", "0"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("cell");
    }
    wb.save(&workbook).expect("save");
    let out = dir.path().join("out");
    let import = |lang: &str| rotaplan(&["import", s(&workbook), "--out", s(&out), "--lang", lang]);
    let (code, zh) = import("zh");
    assert_eq!(code, 1, "{zh}");
    has(&zh, "乡镇:1：缺少 `urban` 列；请添加表头为");
    has(&zh, "工作簿中没有 teachers 的工作表；请添加名为");
    assert!(
        !zh.contains("missing column") && !zh.contains("no sheet for"),
        "{zh}"
    );

    let (code, en) = import("en");
    assert_eq!(code, 1, "{en}");
    has(&en, "乡镇:1: missing column `urban`");
    has(&en, "the workbook has no sheet for teachers");
    lacks(&en, "缺少");
}
