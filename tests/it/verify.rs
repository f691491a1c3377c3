//! `rotaplan verify` on hand-made plans for the schools-tiny example.
//!
//! `tests/data/verify/base` is a plan reasoned through by hand (two groups, four pairings,
//! two transfers, five exchanges, one return); its `summary.json` comes from
//! `tests/data/verify/summary_oracle.py`, a brute-force Python reading of SPEC.md (it finds
//! shortage_before = 12, as the example's expected.json says). Each broken variant changes one
//! thing and must fail on exactly the rule it breaks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rotaplan::domain::Policy;
use rotaplan::verify::{VerifyReport, verify_plan};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn instance() -> PathBuf {
    data().join("examples/schools-tiny")
}

fn policy_text() -> String {
    fs::read_to_string(instance().join("policy.toml")).expect("policy")
}

fn policy() -> Policy {
    Policy::parse(&policy_text(), "policy.toml").expect("valid policy")
}

/// A copy of the base plan in a temporary folder.
fn plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in fs::read_dir(data().join("verify/base")).expect("base plan") {
        let f = f.expect("entry").path();
        fs::copy(&f, dir.path().join(f.file_name().expect("name"))).expect("copy");
    }
    dir
}

fn append(dir: &Path, file: &str, rows: &str) {
    let path = dir.join(file);
    let mut text = fs::read_to_string(&path).expect("plan file");
    text.push_str(rows);
    fs::write(path, text).expect("write");
}

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("plan file");
    assert!(text.contains(from), "{from} not in {file}");
    fs::write(path, text.replace(from, to)).expect("write");
}

/// A groups-only summary of `instance`'s plan: provenance with the files' digests, and a
/// groups step that reports `objective` with a trivial bound (so: feasible).
fn groups_summary(instance: &Path, objective: f64) -> String {
    let mut inputs = serde_json::Map::new();
    for f in fs::read_dir(instance).expect("instance") {
        let path = f.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".csv") {
            let digest = rotaplan::verify::sha256_hex(&fs::read(&path).expect("read"));
            inputs.insert(name, digest.into());
        }
    }
    let step = serde_json::json!({
        "status": "feasible", "objective": objective, "bound": 0.0,
        "gap": if objective > 0.0 { 1.0 } else { 0.0 }, "seconds": 0.0,
    });
    let mut groups = step.clone();
    groups["tracks"] = serde_json::json!({ "compulsory": step });
    serde_json::json!({
        "rotaplan_version": "test",
        "inputs": inputs,
        "policy": { "plan_year": 2026 },
        "groups": groups,
    })
    .to_string()
}

/// Edits `summary.json` of a plan folder as JSON.
fn edit_summary(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("summary.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&fs::read(&path).expect("summary")).expect("json");
    f(&mut v);
    fs::write(path, v.to_string()).expect("write");
}

fn audit(dir: &Path) -> VerifyReport {
    verify_plan(&instance(), &policy(), dir).expect("plan files read")
}

fn rules(r: &VerifyReport) -> BTreeSet<&'static str> {
    r.violations.iter().map(|v| v.rule).collect()
}

fn run_binary(dir: &Path) -> (i32, String) {
    let out = crate::common::bin()
        .arg("verify")
        .arg(instance())
        .arg("--policy")
        .arg(instance().join("policy.toml"))
        .arg("--plan")
        .arg(dir)
        .output()
        .expect("run rotaplan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn hand_made_plan_passes_with_its_summary() {
    let dir = plan();
    let r = audit(dir.path());
    assert!(r.is_ok(), "{}", rotaplan::verify::render(&r));
    assert!(
        r.metrics_checked > 50,
        "only {} figures compared",
        r.metrics_checked
    );
    let (code, out) = run_binary(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("plan ok: "), "{out}");
}

#[test]
fn cap_exceeded_by_one_fails_t2() {
    // compulsory-2 has 12 staff after returns: cap floor(0.10 × 12) = 1; two transfers.
    let dir = plan();
    append(
        dir.path(),
        "moves.csv",
        "P54,S6,S7,transfer,math,2026,,\nP55,S6,S7,transfer,math,2026,,\n",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T2"]), "{r:#?}");
    let v = &r.violations[0];
    assert_eq!(v.rows, vec!["moves.csv:9 (P54)", "moves.csv:10 (P55)"]);
    assert!(
        v.message.contains("cap = floor(0.1 × 12 staff + 1e-9) = 1"),
        "{}",
        v.message
    );
    assert!(v.source.contains("附件2 §三(三)"));
}

#[test]
fn man_of_56_transferred_to_another_township_fails_t3() {
    // P64: M, born 1970, at S8 in township T2; S2 is in T0, same group.
    let dir = plan();
    append(
        dir.path(),
        "moves.csv",
        "P64,S8,S2,transfer,chinese,2026,,\n",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T3"]), "{r:#?}");
    assert!(r.violations[0].message.contains("aged 56"));
}

#[test]
fn age_exemption_spares_volunteers_only() {
    // P42: F, born 1975 (51), volunteer, S4 (T0) → S8 (T2): allowed.
    let dir = plan();
    append(
        dir.path(),
        "moves.csv",
        "P42,S4,S8,transfer,chinese,2026,,\n",
    );
    let r = audit(dir.path());
    assert!(r.violations.is_empty(), "{r:#?}");
    // P30: F, born 1967 (59), not a volunteer, S3 (T0) → S8 (T2): T3.
    replace(dir.path(), "moves.csv", "P42,S4,S8", "P30,S3,S8");
    assert_eq!(rules(&audit(dir.path())), BTreeSet::from(["T3"]));
}

#[test]
fn forty_one_year_old_sent_by_the_weak_side_fails_t5() {
    // P35 (born 1985) replaces P33 on the S3 → S0 exchange.
    let dir = plan();
    replace(
        dir.path(),
        "moves.csv",
        "P33,S3,S0,exchange,math",
        "P35,S3,S0,exchange,math",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T5"]), "{r:#?}");
    assert!(r.violations[0].message.contains("aged 41"));
    assert!(r.violations[0].source.starts_with("001"));
}

#[test]
fn helper_sending_an_ordinary_teacher_fails_t5() {
    // P10: S1, title third, not key.
    let dir = plan();
    replace(dir.path(), "moves.csv", "P9,S1,S9", "P10,S1,S9");
    assert_eq!(rules(&audit(dir.path())), BTreeSet::from(["T5"]));
}

#[test]
fn teacher_moved_twice_fails() {
    let dir = plan();
    append(dir.path(), "moves.csv", "P22,S2,S3,transfer,math,2026,,\n");
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["F2"]), "{r:#?}");
    assert_eq!(
        r.violations[0].rows,
        vec!["moves.csv:2 (P22)", "moves.csv:9 (P22 S2→S3)"]
    );
}

#[test]
fn transfer_out_of_the_group_fails_t1() {
    // S6 is in compulsory-2, S2 in compulsory-1.
    let dir = plan();
    append(dir.path(), "moves.csv", "P54,S6,S2,transfer,math,2026,,\n");
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T1"]), "{r:#?}");
}

#[test]
fn returning_and_exempt_teachers_may_not_move() {
    let dir = plan();
    // P34 returns S4 → S3 this summer; P48 is exempt.
    append(
        dir.path(),
        "moves.csv",
        "P34,S3,S2,transfer,math,2026,,\nP48,S4,S2,transfer,pe,2026,,\n",
    );
    assert_eq!(rules(&audit(dir.path())), BTreeSet::from(["T4", "T8"]));
}

#[test]
fn a_missing_return_fails_t4() {
    let dir = plan();
    fs::write(dir.path().join("returns.csv"), "teacher,from,to\n").expect("write");
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T4"]), "{r:#?}");
}

#[test]
fn exchange_without_pairing_and_wrong_level_fail() {
    let dir = plan();
    // S0 is not paired with S6's middle slot; P59 (primary S7) cannot take middle work at S6.
    append(
        dir.path(),
        "moves.csv",
        "P1,S0,S8,exchange,chinese,2026,2028,middle\nP59,S7,S6,transfer,math,2026,,\n",
    );
    let r = audit(dir.path());
    // P1's exchange: no middle pairing for S0 (T6), wrong end_year (T4), primary teacher to a
    // middle slot (T9). P59: S6 is middle, above a primary teacher's level (T9); cap 1 of
    // compulsory-2 is still met.
    assert_eq!(rules(&r), BTreeSet::from(["T4", "T6", "T9"]), "{r:#?}");
}

#[test]
fn second_exchange_in_one_direction_fails_t6() {
    let dir = plan();
    append(
        dir.path(),
        "moves.csv",
        "P37,S3,S0,exchange,english,2026,2027,primary\n",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["T6"]), "{r:#?}");
}

#[test]
fn too_long_a_move_and_a_foreign_subject_fail() {
    let dir = plan();
    // P66 teaches math only; S8 → S4 is about 11.7 km, beyond a 5 km limit.
    append(
        dir.path(),
        "moves.csv",
        "P66,S8,S4,transfer,english,2026,,\n",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["F4"]), "{r:#?}");
    let mut p = policy();
    p.rotation.max_move_km = Some(5.0);
    let r = rotaplan::verify::verify_plan(&instance(), &p, dir.path()).expect("read");
    assert!(rules(&r).contains("T10"), "{r:#?}");
}

#[test]
fn tampered_summary_metric_is_flagged() {
    let dir = plan();
    replace(
        dir.path(),
        "summary.json",
        "\"transfer\": 2",
        "\"transfer\": 3",
    );
    replace(
        dir.path(),
        "summary.json",
        "\"shortage_before\": 12.0",
        "\"shortage_before\": 11.0",
    );
    let r = audit(dir.path());
    assert!(r.violations.is_empty(), "{r:#?}");
    let keys: BTreeSet<&str> = r.metric_mismatches.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, BTreeSet::from(["moves.transfer", "shortage_before"]));
    let (code, out) = run_binary(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("METRIC summary.json moves.transfer: summary says 3, recomputed 2"),
        "{out}"
    );
}

#[test]
fn binary_prints_rule_rows_source_and_count() {
    let dir = plan();
    append(dir.path(), "moves.csv", "P54,S6,S2,transfer,math,2026,,\n");
    let (code, out) = run_binary(dir.path());
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("T1 "))
        .expect("a T1 line");
    assert!(line.contains("moves.csv:9 (P54 S6→S2)"), "{line}");
    assert!(
        line.contains("source: 000 赫府办发〔2021〕60号 附件2 §三(三)"),
        "{line}"
    );
    assert!(out.contains("1 violation(s)"), "{out}");
}

#[test]
fn groups_only_plan_is_audited_alone() {
    let dir = plan();
    for f in ["pairings.csv", "moves.csv", "returns.csv", "summary.json"] {
        fs::remove_file(dir.path().join(f)).expect("remove");
    }
    let r = audit(dir.path());
    assert!(r.is_ok(), "{r:#?}");
    assert_eq!(r.audited, vec!["groups.csv"]);
}

#[test]
fn broken_groups_fail_g1_g3_g6() {
    let dir = plan();
    // S9 left out, S0 a helper outside the track, S8 in two groups, S7 a second core.
    replace(dir.path(), "groups.csv", "S7,member", "S7,core");
    replace(
        dir.path(),
        "groups.csv",
        "compulsory,compulsory-1,S9,member\n",
        "compulsory,compulsory-1,S0,member\ncompulsory,compulsory-2,S8,core\n",
    );
    let r = audit(dir.path());
    let g6 = r.of_rule("G6");
    assert_eq!(g6.len(), 4, "{r:#?}");
    // max_schools 3 breaks compulsory-1 (5 schools); a core threshold of 75 breaks S2.
    let mut p = policy();
    p.tracks[0].max_schools = 3;
    p.tracks[0].core_min_quality = 75.0;
    let r =
        rotaplan::verify::verify_plan(&instance(), &p, &data().join("verify/base")).expect("read");
    assert_eq!(rules(&r), BTreeSet::from(["G1", "G3"]), "{r:#?}");
}

#[test]
fn broken_pairings_fail_p1_p2_p3() {
    let dir = plan();
    append(
        dir.path(),
        "pairings.csv",
        "S0,compulsory-2,kindergarten\nS1,compulsory-1,middle\nS2,compulsory-2,primary\n",
    );
    let r = audit(dir.path());
    // kindergarten by a primary helper, a second middle helper for compulsory-1, S2 not a
    // helper and a second primary helper for compulsory-2 (P1); S0 and S1 in 3 pairings each
    // is within helper_capacity 3.
    assert_eq!(rules(&r), BTreeSet::from(["P1"]), "{r:#?}");
    let mut p = policy();
    p.pairing.helper_capacity = 1;
    p.pairing.min_quality_gap = 15.0;
    let r =
        rotaplan::verify::verify_plan(&instance(), &p, &data().join("verify/base")).expect("read");
    // S0 77.3 < 60.14 + 15 is fine, S0 77.3 < 65.13 + 15 is not; S1 80.6 < 80.13 is fine.
    assert_eq!(rules(&r), BTreeSet::from(["P2", "P3"]), "{r:#?}");
}

/// Township-mode groups for the townships-contiguous example: A = T0 T1 T4, B = T2 T3 T5 T6
/// (seven schools: max_schools does not apply in township mode), C = T7 T8.
fn township_groups(a: &[&str], b: &[&str], c: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("track,group,school,role\n");
    for (g, schools) in [
        ("compulsory-1", a),
        ("compulsory-2", b),
        ("compulsory-3", c),
    ] {
        for (i, s) in schools.iter().enumerate() {
            let role = if i == 0 { "core" } else { "member" };
            text.push_str(&format!("compulsory,{g},{s},{role}\n"));
        }
    }
    fs::write(dir.path().join("groups.csv"), text).expect("write");
    dir
}

fn township_audit(dir: &Path) -> VerifyReport {
    let inst = data().join("examples/townships-contiguous");
    let text = fs::read_to_string(inst.join("policy.toml")).expect("policy");
    let p = Policy::parse(&text, "policy.toml").expect("valid policy");
    verify_plan(&inst, &p, dir).expect("read")
}

const A: &[&str] = &["S3", "S4", "S8", "S9", "S10"];
const B: &[&str] = &["S6", "S5", "S7", "S11", "S12", "S13", "S14"];
const C: &[&str] = &["S15", "S16", "S17", "S18", "S19"];

#[test]
fn whole_contiguous_townships_pass() {
    let dir = township_groups(A, B, C);
    let r = township_audit(dir.path());
    assert!(r.is_ok(), "{r:#?}");
}

#[test]
fn a_detached_township_fails_g4() {
    // T1 (S4) touches only T0; in C = T7 T8 it is cut off.
    let a: Vec<&str> = A.iter().copied().filter(|s| *s != "S4").collect();
    let mut c = C.to_vec();
    c.push("S4");
    let dir = township_groups(&a, B, &c);
    let r = township_audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["G4"]), "{r:#?}");
    assert!(r.violations[0].message.contains("not contiguous"));
}

#[test]
fn a_split_township_fails_g4() {
    // S9 leaves T4's other schools in A for B.
    let a: Vec<&str> = A.iter().copied().filter(|s| *s != "S9").collect();
    let mut b = B.to_vec();
    b.push("S9");
    let dir = township_groups(&a, &b, C);
    let r = township_audit(dir.path());
    let g4 = r.of_rule("G4");
    assert!(
        g4.iter()
            .any(|v| v.message.contains("township `T4` is split")),
        "{r:#?}"
    );
}

#[test]
fn a_plan_folder_without_groups_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out) = run_binary(dir.path());
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("groups.csv"), "{out}");
}

#[test]
fn hezhang_seed_groups_and_pairings_pass() {
    // The 2021 plan's own eight township groups, two high-school groups and 24 pairings.
    let inst = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang");
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(inst.join("groups_seed.csv"), dir.path().join("groups.csv")).expect("copy");
    fs::copy(
        inst.join("baseline_pairings.csv"),
        dir.path().join("pairings.csv"),
    )
    .expect("copy");
    let text = fs::read_to_string(inst.join("policy.toml")).expect("policy");
    let p = Policy::parse(&text, "policy.toml").expect("valid policy");
    let r = verify_plan(&inst, &p, dir.path()).expect("read");
    assert!(r.is_ok(), "{}", rotaplan::verify::render(&r));
}

#[test]
fn unknown_ids_fail_f1() {
    let dir = plan();
    append(
        dir.path(),
        "moves.csv",
        "P999,S2,S4,transfer,math,2026,,\nP23,S2,S99,transfer,english,2026,,\n",
    );
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["F1"]), "{r:#?}");
    assert_eq!(r.violations.len(), 2);
}

#[test]
fn school_level_pairings_are_checked_per_school() {
    let dir = plan();
    for f in ["moves.csv", "returns.csv", "summary.json"] {
        fs::remove_file(dir.path().join(f)).expect("remove");
    }
    // S8 (T2, rural) is a fine school-level slot; S3 is in urban T0; S7's group is
    // compulsory-2, not compulsory-1.
    fs::write(
        dir.path().join("pairings.csv"),
        "helper,group,stage,school\nS0,compulsory-1,primary,S8\nS0,compulsory-1,primary,S3\nS1,compulsory-1,middle,S9\nS0,compulsory-1,primary,S7\n",
    )
    .expect("write");
    let mut p = policy();
    p.pairing.level = rotaplan::domain::policy::PairingLevel::School;
    let r = verify_plan(&instance(), &p, dir.path()).expect("read");
    assert_eq!(rules(&r), BTreeSet::from(["F1", "P1"]), "{r:#?}");
    assert!(r.of_rule("P1")[0].message.contains("urban township `T0`"));
    assert!(r.of_rule("F1")[0].message.contains("S7"));
}

#[test]
fn groups_objective_is_recomputed_against_expected_json() {
    // The optimal groups of schools-tiny (found by brute force over every split) reach
    // expected.json's 34.3247; a summary claiming less is flagged (G2).
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("groups.csv"),
        "track,group,school,role\n\
         compulsory,compulsory-1,S3,core\ncompulsory,compulsory-1,S2,member\n\
         compulsory,compulsory-1,S4,member\ncompulsory,compulsory-1,S8,member\n\
         compulsory,compulsory-1,S9,member\ncompulsory,compulsory-2,S7,core\n\
         compulsory,compulsory-2,S5,member\ncompulsory,compulsory-2,S6,member\n",
    )
    .expect("write");
    let summary = |x: f64| groups_summary(&instance(), x);
    fs::write(dir.path().join("summary.json"), summary(34.3247)).expect("write");
    let r = audit(dir.path());
    assert!(r.is_ok(), "{r:#?}");
    assert_eq!(r.metrics_checked, 2);
    fs::write(dir.path().join("summary.json"), summary(33.0)).expect("write");
    let r = audit(dir.path());
    let keys: Vec<&str> = r.metric_mismatches.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        vec!["groups.tracks.compulsory.objective", "groups.objective"]
    );
}

#[test]
fn optimal_contiguous_township_groups_pass_with_expected_objective() {
    // Brute force over every contiguous 3-split of the nine townships gives expected.json's
    // 203.358 with these groups.
    let dir = township_groups(
        &[
            "S6", "S3", "S4", "S5", "S7", "S11", "S12", "S13", "S14", "S15", "S16",
        ],
        &["S10", "S8", "S9"],
        &["S17", "S18", "S19"],
    );
    fs::write(
        dir.path().join("summary.json"),
        groups_summary(&data().join("examples/townships-contiguous"), 203.358),
    )
    .expect("write");
    let r = township_audit(dir.path());
    assert!(r.is_ok(), "{r:#?}");
    assert_eq!(r.metrics_checked, 2);
}

mod random_moves {
    use super::*;
    use proptest::prelude::*;

    /// The base plan's groups: compulsory-1 and compulsory-2; S0 and S1 are helpers.
    fn group_of(school: usize) -> Option<u8> {
        match school {
            2 | 3 | 4 | 8 | 9 => Some(1),
            5..=7 => Some(2),
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever rows a planner writes, the audit reports findings instead of panicking,
        /// each finding names a known rule and the rows to blame, a transfer between two
        /// groups is always a T1 finding on its line, a start year other than plan_year a T4
        /// one, and the summary (which still describes the base plan's 7 moves) never agrees
        /// with a moves.csv of another length.
        #[test]
        fn on_random_moves(rows in proptest::collection::vec(
            (0usize..80, 0usize..11, 0usize..11, any::<bool>(), 0usize..3, 2025i32..2028),
            0..12,
        )) {
            let dir = plan();
            let slots = ["primary", "middle", "kindergarten"];
            let mut text = String::from("teacher,from,to,kind,subject,start_year,end_year,slot\n");
            for &(t, f, to, exchange, slot, year) in &rows {
                let (kind, end, slot) = if exchange {
                    ("exchange", (year + 1).to_string(), slots[slot])
                } else {
                    ("transfer", String::new(), "")
                };
                text.push_str(&format!("P{t},S{f},S{to},{kind},math,{year},{end},{slot}\n"));
            }
            fs::write(dir.path().join("moves.csv"), text).expect("write");
            let r = audit(dir.path());
            let printed = rotaplan::verify::render(&r);
            for v in &r.violations {
                prop_assert!(rotaplan::verify::rule::ALL.iter().any(|x| x.id == v.rule));
                prop_assert!(!v.rows.is_empty(), "{v:?}");
                prop_assert!(printed.contains(&v.message));
            }
            prop_assert!(!r.is_ok() || rows.len() == 7, "{printed}");
            let flagged = |rule: &str, line: usize| {
                let at = format!("moves.csv:{line} ");
                r.of_rule(rule).iter().any(|v| v.rows.iter().any(|x| x.starts_with(&at)))
            };
            for (i, &(t, f, to, exchange, _, year)) in rows.iter().enumerate() {
                let known = t <= 76 && f <= 9 && to <= 9;
                let line = i + 2;
                if known && !exchange && group_of(f).is_some() && group_of(to).is_some()
                    && group_of(f) != group_of(to)
                {
                    prop_assert!(flagged("T1", line), "line {line}: {printed}");
                }
                if known && year != 2026 {
                    prop_assert!(flagged("T4", line), "line {line}: {printed}");
                }
            }
        }
    }
}

#[test]
fn national_floor_is_checked_when_on() {
    // Movers: P22 P69 P0 P33 P9 P75 P11; key among them: P0 P9 P11 (3 of 7).
    let base = data().join("verify/base");
    let mut p = policy();
    p.rotation.national_floor = true;
    p.rotation.floor_share = 0.01;
    let r = verify_plan(&instance(), &p, &base).expect("read");
    assert!(r.violations.is_empty(), "{r:#?}");
    p.rotation.floor_share = 0.5;
    let r = verify_plan(&instance(), &p, &base).expect("read");
    assert_eq!(rules(&r), BTreeSet::from(["T7"]), "{r:#?}");
    assert!(r.violations[0].message.contains("eligible teachers move"));
    p.rotation.floor_share = 0.01;
    p.rotation.floor_key_share = 0.5;
    let r = verify_plan(&instance(), &p, &base).expect("read");
    assert!(
        r.violations[0]
            .message
            .contains("3 key teachers among 7 movers"),
        "{r:#?}"
    );
}

/// A copy of the instance's policy file with `edit` applied, and the plan's summary (when it
/// has one) updated to that file's digest, so only the edit itself can fail the audit.
fn policy_file(plan: &Path, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = edit(policy_text());
    fs::write(dir.path().join("policy.toml"), &text).expect("write");
    if plan.join("summary.json").exists() {
        let digest = rotaplan::verify::sha256_hex(text.as_bytes());
        edit_summary(plan, |s| s["inputs"]["policy.toml"] = digest.into());
    }
    dir
}

fn audit_with_policy_file(plan: &Path, policy_dir: &Path) -> VerifyReport {
    rotaplan::verify::verify_plan_with_policy_file(
        &instance(),
        &policy(),
        &policy_dir.join("policy.toml"),
        plan,
    )
    .expect("plan files read")
}

fn messages(r: &VerifyReport, rule: &str) -> String {
    r.of_rule(rule)
        .iter()
        .map(|v| v.message.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_empty_summary_fails_s1_and_the_binary_exits_1() {
    let dir = plan();
    fs::write(dir.path().join("summary.json"), "{}").expect("write");
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["S1"]), "{r:#?}");
    let m = messages(&r, "S1");
    for key in ["rotaplan_version", "inputs", "policy", "reports no step"] {
        assert!(m.contains(key), "{key} not named in:\n{m}");
    }
    let (code, out) = run_binary(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("plan ok"), "{out}");
}

#[test]
fn optimal_with_a_positive_gap_and_a_wrong_bound_fails_s2() {
    let dir = plan();
    edit_summary(dir.path(), |s| {
        let rot = &mut s["rotation"];
        rot["status"] = "optimal".into();
        // shortage is minimised: a bound of 20 above the plan's 13 is on the wrong side, and
        // 0.9 is neither its gap nor ≤ 1e-6.
        rot["bound"][1] = 20.0.into();
        rot["gap"][1] = 0.9.into();
    });
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["S2"]), "{r:#?}");
    let m = messages(&r, "S2");
    assert!(m.contains("wrong side"), "{m}");
    assert!(m.contains("gap 0.9 ≠"), "{m}");
    assert!(m.contains("not every level is proven"), "{m}");
}

#[test]
fn feasible_with_every_level_proven_or_a_null_level_fails_s2() {
    let dir = plan();
    edit_summary(dir.path(), |s| {
        let g = &mut s["groups"];
        g["bound"] = g["objective"].clone();
        g["gap"] = 0.0.into();
        s["pairing"]["bound"][1] = serde_json::Value::Null;
    });
    let m = messages(&audit(dir.path()), "S2");
    assert!(
        m.contains("`groups.status` is feasible, but every level"),
        "{m}"
    );
    assert!(m.contains("level 1 (distance_km)"), "{m}");
    assert!(m.contains("never null"), "{m}");
}

#[test]
fn levels_named_otherwise_than_spec_fail_s1() {
    let dir = plan();
    edit_summary(dir.path(), |s| s["rotation"]["levels"][2] = "moved".into());
    let m = messages(&audit(dir.path()), "S1");
    assert!(
        m.contains("`rotation.levels` is [exchanges, shortage, moved, km]"),
        "{m}"
    );
}

#[test]
fn a_deleted_moves_csv_fails_s3() {
    let dir = plan();
    fs::remove_file(dir.path().join("moves.csv")).expect("remove");
    let r = audit(dir.path());
    assert!(rules(&r).contains("S3"), "{r:#?}");
    assert!(
        messages(&r, "S3").contains("moves.csv is missing"),
        "{r:#?}"
    );
    let (code, _) = run_binary(dir.path());
    assert_eq!(code, 1);
}

#[test]
fn a_missing_metric_fails_s1() {
    let dir = plan();
    edit_summary(dir.path(), |s| {
        let root = s.as_object_mut().expect("object");
        root.remove("shortage_after");
        root.remove("cv_key_per_100_students");
        s["moves"]["per_group"]
            .as_object_mut()
            .expect("per_group")
            .remove("compulsory-2");
    });
    let m = messages(&audit(dir.path()), "S1");
    for key in [
        "`shortage_after`",
        "`cv_key_per_100_students.middle.before`",
        "`moves.per_group.compulsory-2.cap`",
    ] {
        assert!(m.contains(key), "{key} not in {m}");
    }
}

#[test]
fn a_shortage_off_by_one_is_a_mismatch() {
    let dir = plan();
    edit_summary(dir.path(), |s| {
        s["shortage_after"] = 12.0.into();
        s["rotation"]["objective"][1] = 12.0.into();
    });
    let r = audit(dir.path());
    let keys: BTreeSet<&str> = r.metric_mismatches.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["shortage_after", "rotation.objective.1 (shortage)"]),
        "{r:#?}"
    );
}

#[test]
fn blanked_reasons_fail_s4() {
    let dir = plan();
    edit_summary(dir.path(), |s| {
        s["pairing"]["uncovered"][0]["reason"] = "".into();
        s["rotation"]["exchange_shortfalls"][1]["reason"] = "  ".into();
    });
    // A moves.csv with the reason column: every row must fill it.
    let path = dir.path().join("moves.csv");
    let text = fs::read_to_string(&path).expect("moves");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let reason = match i {
            0 => "reason",
            3 => "",
            _ => "缺编",
        };
        out.push_str(&format!("{line},{reason}\n"));
    }
    fs::write(&path, out).expect("write");
    let r = audit(dir.path());
    assert_eq!(rules(&r), BTreeSet::from(["S4"]), "{r:#?}");
    let s4 = r.of_rule("S4");
    assert_eq!(s4.len(), 3, "{r:#?}");
    assert!(s4[0].message.contains("pairing.uncovered[0]"));
    assert!(s4[1].message.contains("rotation.exchange_shortfalls[1]"));
    assert_eq!(s4[2].rows, vec!["moves.csv:4 (P0)"]);
}

#[test]
fn digests_of_other_inputs_fail_s5() {
    let dir = plan();
    // The hand-made summary lists the policy's digest: the very file passes.
    let same = audit_with_policy_file(dir.path(), &instance());
    assert!(same.is_ok(), "{}", rotaplan::verify::render(&same));
    edit_summary(dir.path(), |s| {
        let inputs = s["inputs"].as_object_mut().expect("inputs");
        inputs.remove("teachers.csv");
        inputs.insert("schools.csv".into(), "0".repeat(64).into());
    });
    let other = tempfile::tempdir().expect("tempdir");
    fs::write(
        other.path().join("policy.toml"),
        policy_text() + "# edited\n",
    )
    .expect("write");
    let r = audit_with_policy_file(dir.path(), other.path());
    assert_eq!(rules(&r), BTreeSet::from(["S5"]), "{r:#?}");
    let m = messages(&r, "S5");
    assert!(m.contains("does not list teachers.csv"), "{m}");
    assert!(m.contains("`inputs.schools.csv` is 0000"), "{m}");
    assert!(m.contains("made under another policy"), "{m}");
}

#[test]
fn a_core_outside_core_stages_fails_g3() {
    // compulsory-1's core S2 is a primary school; compulsory-2's S6 a middle school.
    let dir = plan();
    let p = policy_file(dir.path(), |t| {
        t.replace(
            "max_schools = 6",
            "max_schools = 6\ncore_stages = [\"middle\", \"nine_year\"]",
        )
    });
    let r = audit_with_policy_file(dir.path(), p.path());
    assert_eq!(rules(&r), BTreeSet::from(["G3"]), "{r:#?}");
    assert!(r.violations[0].message.contains("core `S2`"), "{r:#?}");
}

#[test]
fn county_scope_lets_a_transfer_leave_its_group_and_counts_it_at_from() {
    let dir = plan();
    append(dir.path(), "moves.csv", "P54,S6,S2,transfer,math,2026,,\n");
    let county = policy_file(dir.path(), |t| {
        t.replace("[rotation]", "[rotation]\ntransfer_scope = \"county\"")
    });
    assert_eq!(
        rules(&audit_with_policy_file(dir.path(), county.path())),
        BTreeSet::new()
    );
    let group = policy_file(dir.path(), |t| t);
    assert_eq!(
        rules(&audit_with_policy_file(dir.path(), group.path())),
        BTreeSet::from(["T1"])
    );
    // A second one from compulsory-2 (12 staff, cap 1) breaks T2 there, in either scope.
    append(dir.path(), "moves.csv", "P55,S6,S2,transfer,math,2026,,\n");
    let county = policy_file(dir.path(), |t| {
        t.replace("[rotation]", "[rotation]\ntransfer_scope = \"county\"")
    });
    let r = audit_with_policy_file(dir.path(), county.path());
    assert_eq!(rules(&r), BTreeSet::from(["T2"]), "{r:#?}");
    assert!(r.violations[0].message.contains("group `compulsory-2`"));
}

#[test]
fn the_indicators_block_is_required_and_recomputed_when_cv_excess_is_on() {
    let dir = plan();
    let cv = policy_file(dir.path(), |t| {
        t + "\n[indicators]\nminimise_cv_excess = true\n"
    });
    // The plain summary has neither the cv_excess level nor the block.
    let m = messages(&audit_with_policy_file(dir.path(), cv.path()), "S1");
    assert!(m.contains("cv_excess"), "{m}");
    assert!(m.contains("`indicators`"), "{m}");
    // The oracle's summary for this policy (summary_oracle.py --cv) agrees with the audit.
    fs::copy(
        data().join("verify/summary_cv.json"),
        dir.path().join("summary.json"),
    )
    .expect("copy");
    let cv = policy_file(dir.path(), |t| {
        t + "\n[indicators]\nminimise_cv_excess = true\n"
    });
    let r = audit_with_policy_file(dir.path(), cv.path());
    assert!(r.is_ok(), "{}", rotaplan::verify::render(&r));
    edit_summary(dir.path(), |s| {
        s["indicators"]["excess_after"] = 0.5.into();
        s["indicators"]["cvs"]["key_middle"]["before"] = 0.9.into();
        s["indicators"]["cvs"]["key_primary"]["excess_after"] = 0.1.into();
    });
    let r = audit_with_policy_file(dir.path(), cv.path());
    let keys: BTreeSet<&str> = r.metric_mismatches.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "indicators.excess_after",
            "indicators.cvs.key_middle.before",
            "indicators.cvs.key_primary.excess_after"
        ]),
        "{r:#?}"
    );
}

#[test]
fn an_uncovered_priority_slot_a_helper_could_fill_fails_p4() {
    // T2 (S8, S9 of compulsory-1) becomes a priority township; compulsory-1's primary slot is
    // left uncovered while S0 could fill it.
    let inst = tempfile::tempdir().expect("tempdir");
    for f in fs::read_dir(instance()).expect("instance") {
        let f = f.expect("entry").path();
        fs::copy(&f, inst.path().join(f.file_name().expect("name"))).expect("copy");
    }
    replace(
        inst.path(),
        "townships.csv",
        "T2,镇2,false,5.54,8.49,false",
        "T2,镇2,false,5.54,8.49,true",
    );
    let dir = plan();
    for f in ["moves.csv", "returns.csv", "summary.json"] {
        fs::remove_file(dir.path().join(f)).expect("remove");
    }
    replace(dir.path(), "pairings.csv", "S0,compulsory-1,primary\n", "");
    let run = |p: &Policy| verify_plan(inst.path(), p, dir.path()).expect("read");
    let r = run(&policy());
    assert_eq!(rules(&r), BTreeSet::from(["P4"]), "{r:#?}");
    assert!(r.violations[0].message.contains("has room"), "{r:#?}");
    // With room for one pairing only, S0 serves compulsory-2's primary slot (weight 1).
    let mut p = policy();
    p.pairing.helper_capacity = 1;
    let r = run(&p);
    assert!(
        messages(&r, "P4").contains("serves compulsory-2 primary of lower weight"),
        "{r:#?}"
    );
    // Covered again, the priority slot is served first.
    append(dir.path(), "pairings.csv", "S0,compulsory-1,primary\n");
    assert!(run(&policy()).is_ok());
}
