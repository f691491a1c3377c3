//! `rotaplan plan` on the worked examples: every lexicographic level matches the independent
//! optimum in expected.json, the plan passes `verify`, is deterministic, and its summary
//! matches the golden file (timings aside).
//!
//! Set `ROTAPLAN_UPDATE_GOLDEN=1` to rewrite the golden summaries after a deliberate change.

use std::fs;
use std::path::Path;

use crate::common::*;

use serde_json::Value;

fn plan(name: &str, out: &Path) -> Value {
    let ex = example(name);
    let policy = ex.join("policy.toml");
    // The summary's reasons are in the documents language: pinned, so the golden file does
    // not depend on the locale.
    let (code, text) = rotaplan(&[
        "plan",
        s(&ex),
        "--policy",
        s(&policy),
        "--out",
        s(out),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{text}");
    serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary")).expect("json")
}

fn close(a: &Value, b: f64, what: &str) {
    let a = a
        .as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {a}"));
    assert!(
        (a - b).abs() <= 1e-3 * b.abs().max(1.0),
        "{what}: got {a}, expected {b}"
    );
}

/// Drops what legitimately changes between runs: wall-clock times.
fn without_timings(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "seconds")
                .map(|(k, v)| (k.clone(), without_timings(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_timings).collect()),
        other => other.clone(),
    }
}

/// Compares a summary (timings aside) with `tests/golden/<name>.summary.json`.
fn assert_golden(name: &str, summary: &Value) {
    let golden = root()
        .join("tests/golden")
        .join(format!("{name}.summary.json"));
    let mut got = without_timings(summary);
    // Provenance changes with every version and policy key; tests/it/cli.rs checks it.
    if let Value::Object(m) = &mut got {
        for key in ["rotaplan_version", "inputs", "policy"] {
            m.remove(key);
        }
    }
    if std::env::var_os("ROTAPLAN_UPDATE_GOLDEN").is_some() {
        fs::write(
            &golden,
            serde_json::to_string_pretty(&got).expect("json") + "\n",
        )
        .expect("write golden");
    }
    let want: Value = serde_json::from_slice(
        &fs::read(&golden).expect("golden file (ROTAPLAN_UPDATE_GOLDEN=1 writes it)"),
    )
    .expect("json");
    assert_eq!(got, want, "summary.json differs from {}", golden.display());
}

fn check_example(name: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let summary = plan(name, &out);
    let expected: Value =
        serde_json::from_slice(&fs::read(example(name).join("expected.json")).expect("expected"))
            .expect("json");

    for (track, value) in expected["groups_objective_by_track"]
        .as_object()
        .expect("tracks")
    {
        close(
            &summary["groups"]["tracks"][track]["objective"],
            value.as_f64().expect("number"),
            "groups objective",
        );
        assert_eq!(summary["groups"]["tracks"][track]["status"], "optimal");
    }
    let pairing = &summary["pairing"];
    assert_eq!(pairing["status"], "optimal");
    close(
        &pairing["objective"][0],
        expected["pairing"]["covered_weight"].as_f64().expect("n"),
        "covered weight",
    );
    close(
        &pairing["objective"][1],
        expected["pairing"]["distance_km"].as_f64().expect("n"),
        "pairing km",
    );
    let rotation = &summary["rotation"];
    assert_eq!(rotation["status"], "optimal");
    let moves = &expected["moves_given_optimal_groups_and_pairings"];
    for (i, key) in ["exchanges", "shortage_after", "teachers_moved", "km"]
        .iter()
        .enumerate()
    {
        close(
            &rotation["objective"][i],
            moves[key].as_f64().expect("n"),
            key,
        );
        close(
            &rotation["bound"][i],
            moves[key].as_f64().expect("n"),
            &format!("{key} bound"),
        );
    }
    close(
        &summary["shortage_before"],
        expected["shortage_before"].as_f64().expect("n"),
        "shortage_before",
    );
    close(
        &summary["shortage_after"],
        moves["shortage_after"].as_f64().expect("n"),
        "shortage_after",
    );

    // The plan keeps every rule, checked independently of the solvers.
    let ex = example(name);
    let (code, text) = rotaplan(&[
        "verify",
        s(&ex),
        "--policy",
        s(&ex.join("policy.toml")),
        "--plan",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");

    // Same input, same bytes.
    let again = dir.path().join("again");
    plan(name, &again);
    for f in ["groups.csv", "pairings.csv", "moves.csv", "returns.csv"] {
        assert_eq!(
            fs::read(out.join(f)).expect("a"),
            fs::read(again.join(f)).expect("b"),
            "{f} differs between runs"
        );
    }

    assert_golden(name, &summary);
}

#[test]
fn schools_tiny_reaches_every_expected_optimum() {
    check_example("schools-tiny");
}

#[test]
fn townships_contiguous_reaches_every_expected_optimum() {
    check_example("townships-contiguous");
}

#[test]
fn plan_report_writes_the_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ex = example("schools-tiny");
    let out = dir.path().join("plan");
    let (code, text) = rotaplan(&[
        "plan",
        s(&ex),
        "--policy",
        s(&ex.join("policy.toml")),
        "--out",
        s(&out),
        "--report",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{text}");
    let html = fs::read_to_string(out.join("report.html")).expect("report");
    assert!(
        html.contains("<html") && html.contains("lang=\"en\""),
        "an English report"
    );
}

/// The shipped county: a proven-optimal plan that passes `verify`, whose summary matches the
/// golden file.
#[test]
fn hezhang_plan_is_optimal_verified_and_golden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inst = root().join("instances/hezhang");
    let policy = inst.join("policy.toml");
    let out = dir.path().join("plan");
    let (code, text) = rotaplan(&[
        "plan",
        s(&inst),
        "--policy",
        s(&policy),
        "--out",
        s(&out),
        "--lang",
        "zh",
    ]);
    assert_eq!(code, 0, "{text}");
    let summary: Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary"))
            .expect("json");
    for step in ["groups", "pairing", "rotation"] {
        assert_eq!(
            summary[step]["status"], "optimal",
            "{step}: {}",
            summary[step]
        );
    }
    let (code, text) = rotaplan(&[
        "verify",
        s(&inst),
        "--policy",
        s(&policy),
        "--plan",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    assert_golden("hezhang", &summary);
}
