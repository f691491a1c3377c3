//! The command line as SPEC fixes it (issue 12): exit codes, `--lang`, summary.json
//! provenance, stale files on a re-plan, `batch --shard`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::*;

/// Runs the binary with the locale variables set to `locale` (all others removed), returning
/// the exit code, stdout and stderr.
fn run_in_locale(locale: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rotaplan"));
    cmd.args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(l) = locale {
        cmd.env("LANG", l);
    }
    let out = cmd.output().expect("run rotaplan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn summary(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).expect("summary.json"))
        .expect("json")
}

fn tiny() -> std::path::PathBuf {
    example("schools-tiny")
}

fn tiny_policy() -> std::path::PathBuf {
    tiny().join("policy.toml")
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_plan_exits_0_and_its_summary_carries_provenance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&tiny_policy()),
        "--plan",
        s(&out),
        "--threads",
        "1",
        "--time-limit",
        "30.5",
    ]);
    assert_eq!(code, 0, "{text}");
    let sum = summary(&out);
    assert_eq!(
        sum["rotaplan_version"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let inputs = sum["inputs"].as_object().expect("inputs object");
    let mut expected = BTreeMap::new();
    for name in [
        "townships.csv",
        "adjacency.csv",
        "schools.csv",
        "teachers.csv",
        "demand.csv",
        "policy.toml",
    ] {
        let digest: String = Sha256::digest(fs::read(tiny().join(name)).expect("read"))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        expected.insert(name.to_string(), Value::String(digest));
    }
    let got: BTreeMap<String, Value> = inputs.clone().into_iter().collect();
    assert_eq!(got, expected);
    // The effective policy: the file's values, the defaults, and the command line's limits.
    assert_eq!(
        sum.pointer("/policy/pairing/helper_capacity"),
        Some(&Value::from(3))
    );
    assert_eq!(
        sum.pointer("/policy/rotation/max_move_km"),
        Some(&Value::from(45.0))
    );
    assert_eq!(
        sum.pointer("/policy/rotation/exempt_age_male"),
        Some(&Value::from(55))
    );
    assert_eq!(sum.pointer("/policy/solver/threads"), Some(&Value::from(1)));
    assert_eq!(
        sum.pointer("/policy/solver/time_limit_s"),
        Some(&Value::from(30.5))
    );
    assert_eq!(sum.pointer("/policy/track/0/count"), Some(&Value::from(2)));
}

#[test]
fn an_infeasible_policy_exits_3_and_still_writes_the_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = dir.path().join("policy.toml");
    let text = fs::read_to_string(tiny_policy()).expect("policy");
    fs::write(&policy, text.replace("count = 2", "count = 40")).expect("write");
    let out = dir.path().join("plan");
    // A stale plan in the folder must not survive the failed re-plan.
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&tiny_policy()),
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    let (code, _, err) = run_in_locale(
        Some("en_US.UTF-8"),
        &["plan", s(&tiny()), "--policy", s(&policy), "--out", s(&out)],
    );
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("infeasible"), "{err}");
    let sum = summary(&out);
    assert_eq!(
        sum.pointer("/groups/status"),
        Some(&Value::from("infeasible"))
    );
    let reason = sum
        .pointer("/groups/reason")
        .and_then(Value::as_str)
        .expect("reason");
    assert!(!reason.is_empty());
    assert!(
        err.contains(reason.lines().next().expect("a line")),
        "{err}"
    );
    assert!(sum.get("inputs").is_some() && sum.get("policy").is_some());
    assert!(sum.get("pairing").is_none() && sum.get("rotation").is_none());
    for stale in ["groups.csv", "pairings.csv", "moves.csv", "returns.csv"] {
        assert!(!out.join(stale).exists(), "{stale} survived");
    }
    // The framing follows --lang.
    let (code, _, err) = run_in_locale(
        None,
        &[
            "plan",
            s(&tiny()),
            "--policy",
            s(&policy),
            "--out",
            s(&out),
            "--lang",
            "zh",
        ],
    );
    assert_eq!(code, 3);
    assert!(err.contains("不可行"), "{err}");
}

#[test]
fn usage_errors_and_unreadable_input_exit_2_and_problems_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let missing = dir.path().join("no-such-county");
    let (code, text) = rotaplan(&[
        "plan",
        s(&missing),
        "--policy",
        s(&tiny_policy()),
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 2, "{text}");
    for bad in ["0", "-1", "soon"] {
        let (code, text) = rotaplan(&[
            "plan",
            s(&tiny()),
            "--policy",
            s(&tiny_policy()),
            "--out",
            s(&out),
            "--time-limit",
            bad,
        ]);
        assert_eq!(code, 2, "--time-limit {bad}: {text}");
    }
    let (code, text) = rotaplan(&["validate", s(&missing)]);
    assert_eq!(code, 1, "{text}");
    for bad in ["0/3", "4/3", "1/0", "2"] {
        let (code, text) = rotaplan(&[
            "batch",
            s(dir.path()),
            "--policy",
            s(&tiny_policy()),
            "--out",
            s(&out),
            "--shard",
            bad,
        ]);
        assert_eq!(code, 2, "--shard {bad}: {text}");
        assert!(text.contains("I/N"), "{text}");
    }
}

#[test]
fn help_documents_exit_codes_threads_and_value_lists() {
    let (code, text) = rotaplan(&["plan", "--help"]);
    assert_eq!(code, 0, "{text}");
    for needle in [
        "--threads",
        "--time-limit",
        "--verbose",
        "--lang",
        "--plan",
        "out",
        "Exit codes",
        "3  infeasible",
        "4  stopped",
    ] {
        assert!(text.contains(needle), "plan --help lacks {needle}: {text}");
    }
    for verb in [
        "groups",
        "pair",
        "rotate",
        "scenarios",
        "simulate",
        "batch",
        "compare-pairing",
    ] {
        let (_, text) = rotaplan(&[verb, "--help"]);
        assert!(text.contains("--threads"), "{verb} --help: {text}");
        assert!(text.contains("fractional"), "{verb} --help: {text}");
    }
    let (_, text) = rotaplan(&["simulate", "--help"]);
    assert!(text.contains("refill") && text.contains("none"), "{text}");
    let (_, text) = rotaplan(&["generate", "--help"]);
    assert!(text.contains("hezhang") && text.contains("scale"), "{text}");
}

#[test]
fn the_terminal_speaks_the_locale_or_lang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let (inst, policy) = (tiny(), tiny_policy());
    let args = ["plan", s(&inst), "--policy", s(&policy), "--out", s(&out)];
    let (code, stdout, stderr) = run_in_locale(Some("zh_CN.UTF-8"), &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("方案已写入"), "{stdout}");
    // One progress line per step, on stderr, in Chinese.
    let steps: Vec<&str> = stderr.lines().collect();
    assert!(steps.iter().any(|l| l.starts_with("分组")), "{stderr}");
    assert!(steps.iter().any(|l| l.starts_with("结对")), "{stderr}");
    assert!(steps.iter().any(|l| l.starts_with("交流轮岗")), "{stderr}");
    assert!(steps.iter().all(|l| has_han(l)), "{stderr}");

    let (code, stdout, stderr) = run_in_locale(Some("C"), &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("plan in"), "{stdout}");
    assert!(!has_han(&stderr), "{stderr}");

    let mut with_flag = args.to_vec();
    with_flag.extend(["--lang", "zh"]);
    let (code, stdout, _) = run_in_locale(Some("en_US.UTF-8"), &with_flag);
    assert_eq!(code, 0);
    assert!(stdout.contains("方案已写入"), "{stdout}");

    let (code, stdout, _) = run_in_locale(Some("zh_CN.UTF-8"), &["validate", s(&tiny())]);
    assert_eq!(code, 0);
    assert!(stdout.contains("数据无误"), "{stdout}");
}

#[test]
fn a_re_plan_leaves_no_file_of_the_old_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&tiny_policy()),
        "--plan",
        s(&out),
        "--report",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(out.join("report.html").exists());
    let xlsx = out.join("plan.xlsx");
    let (code, text) = rotaplan(&["export", s(&out), "--xlsx", s(&xlsx)]);
    assert_eq!(code, 0, "{text}");
    assert!(xlsx.exists());
    fs::write(out.join("diff.csv"), "teacher,previous,now,reason\n").expect("write");
    // rotate again into the same folder: the report, the workbook and the diff showed the
    // old moves.
    let (code, text) = rotaplan(&[
        "rotate",
        s(&tiny()),
        "--policy",
        s(&tiny_policy()),
        "--plan",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    for stale in ["report.html", "plan.xlsx", "diff.csv"] {
        assert!(!out.join(stale).exists(), "{stale} survived the re-plan");
    }
    assert!(out.join("moves.csv").exists());
    assert!(!out.join(".derived-files").exists());
    // A full re-plan with --report writes a new report.
    let (code, text) = rotaplan(&[
        "plan",
        s(&tiny()),
        "--policy",
        s(&tiny_policy()),
        "--out",
        s(&out),
        "--report",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(out.join("report.html").exists());
}

/// The rows of a batch table by county, without the columns that differ between runs
/// (wall-clock seconds).
fn batch_rows(table: &Path) -> BTreeMap<String, Vec<String>> {
    let mut r = csv::Reader::from_path(table).expect("batch table");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| header[i] != "seconds")
        .collect();
    let mut rows = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        let row: Vec<String> = keep.iter().map(|&i| rec[i].to_string()).collect();
        assert!(
            rows.insert(rec[0].to_string(), row).is_none(),
            "county twice in {}",
            table.display()
        );
    }
    rows
}

#[test]
fn three_shards_cover_every_county_once_and_agree_with_one_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let counties = dir.path().join("counties");
    let names = ["a", "b", "c", "d", "e"];
    for (i, name) in names.iter().enumerate() {
        let src = if i % 2 == 0 {
            "schools-tiny"
        } else {
            "townships-contiguous"
        };
        let d = counties.join(name);
        fs::create_dir_all(&d).expect("mkdir");
        for e in fs::read_dir(example(src)).expect("ls") {
            let e = e.expect("entry");
            fs::copy(e.path(), d.join(e.file_name())).expect("copy");
        }
    }
    let whole = dir.path().join("whole");
    let (code, text) = rotaplan(&[
        "batch",
        s(&counties),
        "--policy",
        s(&tiny_policy()),
        "--out",
        s(&whole),
    ]);
    assert_eq!(code, 0, "{text}");
    let expected = batch_rows(&whole.join("batch.csv"));
    assert_eq!(expected.len(), names.len());

    let shared = dir.path().join("sharded");
    let mut union = BTreeMap::new();
    for i in 1..=3 {
        let (code, text) = rotaplan(&[
            "batch",
            s(&counties),
            "--policy",
            s(&tiny_policy()),
            "--out",
            s(&shared),
            "--shard",
            &format!("{i}/3"),
        ]);
        assert_eq!(code, 0, "{text}");
        let rows = batch_rows(&shared.join(format!("batch-{i}-of-3.csv")));
        // k mod 3 = i − 1 over the sorted names.
        let want: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|(k, _)| k % 3 == i - 1)
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(rows.keys().map(String::as_str).collect::<Vec<_>>(), want);
        for (county, row) in rows {
            assert!(
                union.insert(county.clone(), row).is_none(),
                "{county} in two shards"
            );
        }
    }
    assert_eq!(union, expected);
    for name in names {
        assert!(shared.join(name).join("moves.csv").exists(), "{name}");
    }
}
