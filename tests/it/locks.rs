//! The objection round through the binary: `rotate --locks` honours each kind of lock,
//! rejects a lock that breaks a rule with the rule's id, explains an infeasible set of
//! locks with numbers, and `--previous` keeps the published list as it was wherever the
//! optimum allows, listing every change in `diff.csv`.
//!
//! schools-tiny with its optimal groups and pairings (see tests/it/rotate_examples.rs): cores
//! S3 and S7, helpers S0 (primary) and S1 (middle) paired with both groups.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/examples/schools-tiny")
}

/// A plan folder with the example's optimal groups and pairings.
fn plan_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let groups: [(&str, &str, &[&str]); 2] = [
        ("compulsory-1", "S3", &["S2", "S3", "S4", "S8", "S9"]),
        ("compulsory-2", "S7", &["S5", "S6", "S7"]),
    ];
    let mut s = String::from("track,group,school,role\n");
    for (g, core, members) in groups {
        for m in members {
            let role = if *m == core { "core" } else { "member" };
            s.push_str(&format!("compulsory,{g},{m},{role}\n"));
        }
    }
    std::fs::write(dir.path().join("groups.csv"), s).expect("groups");
    std::fs::write(
        dir.path().join("pairings.csv"),
        "helper,group,stage\nS0,compulsory-1,primary\nS0,compulsory-2,primary\n\
         S1,compulsory-1,middle\nS1,compulsory-2,middle\n",
    )
    .expect("pairings");
    dir
}

fn rotate(plan: &Path, extra: &[&Path], flags: &[&str]) -> (i32, String) {
    let ex = example();
    let mut cmd = crate::common::bin();
    cmd.arg("rotate")
        .arg(&ex)
        .arg("--policy")
        .arg(ex.join("policy.toml"))
        .arg("--plan")
        .arg(plan);
    for (f, p) in flags.iter().zip(extra) {
        cmd.arg(f).arg(p);
    }
    let out = cmd.output().expect("run");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn locks(dir: &Path, rows: &str) -> PathBuf {
    let p = dir.join("locks.csv");
    std::fs::write(&p, format!("teacher,action,school\n{rows}")).expect("locks");
    p
}

/// teacher → (to, kind).
fn moves(dir: &Path) -> BTreeMap<String, (String, String)> {
    let mut r = csv::Reader::from_path(dir.join("moves.csv")).expect("moves");
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            (rec[0].to_string(), (rec[2].to_string(), rec[3].to_string()))
        })
        .collect()
}

fn diff(dir: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(dir.join("diff.csv")).expect("diff");
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        ["teacher", "previous", "now", "reason"]
    );
    r.records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect()
}

fn summary(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
    serde_json::from_str(&text).expect("json")
}

fn verify(dir: &Path) {
    let ex = example();
    let out = crate::common::bin()
        .arg("verify")
        .arg(&ex)
        .arg("--policy")
        .arg(ex.join("policy.toml"))
        .arg("--plan")
        .arg(dir)
        .output()
        .expect("verify");
    assert!(
        out.status.success(),
        "verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The published plan, and two of its transfers (teacher, destination), in teacher order:
/// which of the equally good plans is published is the solver's choice, so the locks below
/// are aimed at the transfers it made. P17 stays in it.
fn published() -> (tempfile::TempDir, [(String, String); 2]) {
    let dir = plan_dir();
    let (code, text) = rotate(dir.path(), &[], &[]);
    assert_eq!(code, 0, "{text}");
    let m = moves(dir.path());
    let transfers: Vec<(String, String)> = m
        .iter()
        .filter(|(t, (_, kind))| kind == "transfer" && t.as_str() != "P17")
        .map(|(t, (to, _))| (t.clone(), to.clone()))
        .collect();
    assert!(transfers.len() >= 2, "{m:?}");
    assert!(!m.contains_key("P17"));
    (dir, [transfers[0].clone(), transfers[1].clone()])
}

#[test]
fn each_lock_kind_is_honoured_and_the_changes_are_listed() {
    let (prev, [(kept, _), (avoider, avoided)]) = published();
    let dir = plan_dir();
    let l = locks(
        dir.path(),
        &format!("{kept},stay,\nP17,move,S4\n{avoider},avoid,{avoided}\n"),
    );
    let (code, text) = rotate(dir.path(), &[&l, prev.path()], &["--locks", "--previous"]);
    assert_eq!(code, 0, "{text}");
    let m = moves(dir.path());
    assert!(!m.contains_key(&kept), "stay lock: {m:?}");
    assert_eq!(m["P17"], ("S4".into(), "transfer".into()));
    assert_ne!(
        m.get(&avoider).map(|x| x.0.as_str()),
        Some(avoided.as_str())
    );

    let d = diff(dir.path());
    let reason = |t: &str| {
        d.iter()
            .find(|r| r[0] == t)
            .map(|r| r[3].clone())
            .unwrap_or_default()
    };
    // diff.csv's reasons are in the documents language (Chinese by default).
    assert_eq!(reason(&kept), "本人已锁定：本年不交流");
    assert_eq!(reason("P17"), "本人已锁定：调往 S4");
    assert_eq!(reason(&avoider), format!("本人已锁定：不派往 {avoided}"));
    let p17 = d.iter().find(|r| r[0] == "P17").expect("P17");
    assert_eq!((p17[1].as_str(), p17[2].as_str()), ("stay", "transfer S4"));
    // Few changes: the three locked teachers and the few the locks displace, never a
    // reshuffle of the published ten.
    assert!(d.len() <= 7, "{d:?}");
    assert!(d.iter().all(|r| !r[3].is_empty()));

    let s = summary(dir.path());
    let rot = &s["rotation"];
    assert_eq!(rot["status"], "optimal");
    assert_eq!(rot["previous"]["changed"], d.len());
    assert_eq!(rot["levels"][4], "changes_from_previous");
    assert_eq!(rot["objective"].as_array().expect("obj").len(), 5);
    assert_eq!(rot["objective"][4].as_f64(), Some(d.len() as f64));
    verify(dir.path());
}

#[test]
fn previous_with_the_plans_own_moves_changes_nothing() {
    let (prev, _) = published();
    let before = moves(prev.path());
    let (code, text) = rotate(prev.path(), &[prev.path()], &["--previous"]);
    assert_eq!(code, 0, "{text}");
    assert!(diff(prev.path()).is_empty());
    // Same outcome for everyone (the subject a teacher covers is not part of it and may
    // switch between equally good ones).
    assert_eq!(moves(prev.path()), before);
    let s = summary(prev.path());
    assert_eq!(s["rotation"]["previous"]["changed"], 0);
    assert_eq!(s["rotation"]["objective"][4].as_f64(), Some(0.0));
}

#[test]
fn without_previous_the_rotation_keeps_four_levels() {
    let dir = plan_dir();
    let l = locks(dir.path(), "P17,move,S4\n");
    let (code, text) = rotate(dir.path(), &[&l], &["--locks"]);
    assert_eq!(code, 0, "{text}");
    let s = summary(dir.path());
    assert_eq!(s["rotation"]["levels"].as_array().expect("levels").len(), 4);
    assert!(s["rotation"].get("previous").is_none());
    assert!(!dir.path().join("diff.csv").exists());
    assert_eq!(moves(dir.path())["P17"].0, "S4");
    verify(dir.path());
}

#[test]
fn a_move_lock_can_be_an_exchange() {
    // P22 (28, S2 of compulsory-1) to the helper S0: only as an exchange.
    let dir = plan_dir();
    let l = locks(dir.path(), "P22,move,S0\n");
    let (code, text) = rotate(dir.path(), &[&l], &["--locks"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(moves(dir.path())["P22"], ("S0".into(), "exchange".into()));
    verify(dir.path());
}

#[test]
fn a_lock_breaking_a_rule_is_rejected_with_its_id() {
    let dir = plan_dir();
    let l = locks(
        dir.path(),
        "P73,move,S3\nP48,move,S2\nP16,move,S7\nP34,stay,\nP61,move,S0\n",
    );
    let en = Path::new("en");
    let (code, text) = rotate(dir.path(), &[&l, en], &["--locks", "--lang"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("locks.csv:2: P73 move to S3: T3 — a 59-year-old man"),
        "{text}"
    );
    assert!(text.contains("locks.csv:3: P48 move to S2: T8"), "{text}");
    assert!(text.contains("locks.csv:4: P16 move to S7: T1"), "{text}");
    assert!(text.contains("locks.csv:5: P34 stay: T4"), "{text}");
    assert!(text.contains("locks.csv:6: P61 move to S0: T5"), "{text}");
    assert!(!dir.path().join("moves.csv").exists());
}

#[test]
fn a_malformed_or_contradictory_locks_file_is_located() {
    let dir = plan_dir();
    let l = locks(
        dir.path(),
        "P99,stay,\nP2,jump,S1\nP3,move,\nP1,stay,\nP1,move,S2\nP5,move,S99\n",
    );
    let (code, text) = rotate(dir.path(), &[&l], &["--locks"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("locks.csv:2:1: unknown teacher `P99`"),
        "{text}"
    );
    assert!(
        text.contains("locks.csv:3:2: unknown action `jump`"),
        "{text}"
    );
    assert!(
        text.contains("locks.csv:4:3: a `move` lock needs a school"),
        "{text}"
    );
    assert!(text.contains("locks.csv:6: P1"), "{text}");
    assert!(text.contains("stay and move contradict"), "{text}");
    assert!(
        text.contains("locks.csv:7:3: unknown school `S99`"),
        "{text}"
    );
}

#[test]
fn an_infeasible_set_of_locks_is_explained_with_numbers() {
    // compulsory-2 has 12 staff: T2 allows 1 transfer; S0 → compulsory-1 (primary) takes
    // one exchange each way (T6).
    let dir = plan_dir();
    let l = locks(
        dir.path(),
        "P57,move,S5\nP59,move,S5\nP0,move,S2\nP2,move,S3\n",
    );
    let en = Path::new("en");
    let (code, text) = rotate(dir.path(), &[&l, en], &["--locks", "--lang"]);
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("T2: group compulsory-2 has 2 move locks"),
        "{text}"
    );
    assert!(
        text.contains("its cap is 1 (floor(0.1 × 12 staff))"),
        "{text}"
    );
    assert!(
        text.contains("T6: pairing S0 → group compulsory-1, primary (helper_to_school) has 2"),
        "{text}"
    );
    assert!(text.contains("exchanges_per_pairing is 1"), "{text}");
}
