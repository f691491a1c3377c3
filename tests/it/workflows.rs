//! Scenarios, multi-year simulation and batch runs, end to end through the binary.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    r.records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect()
}

fn column(path: &Path, name: &str) -> usize {
    let mut r = csv::Reader::from_path(path).expect("csv");
    r.headers()
        .expect("header")
        .iter()
        .position(|h| h == name)
        .expect("column")
}

#[test]
fn one_failing_variant_does_not_sink_the_sweep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = dir.path().join("policy.toml");
    fs::copy(example("schools-tiny").join("policy.toml"), &policy).expect("copy");
    let sweep = dir.path().join("sweep.toml");
    fs::write(
        &sweep,
        "base = \"policy.toml\"\n\
         [[variant]]\nname = \"too-many-groups\"\nset = { \"track.compulsory.count\" = 40 }\n\
         [[variant]]\nname = \"cap\"\ngrid = { \"rotation.cross_cap_share\" = [0.0, 0.2] }\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let (code, text) = rotaplan(&[
        "scenarios",
        s(&example("schools-tiny")),
        "--sweep",
        s(&sweep),
        "--out",
        s(&out),
    ]);
    // SPEC: a sweep exits with the highest code among its variants; infeasible is 3.
    assert_eq!(code, 3, "{text}");
    let table = out.join("comparison.csv");
    let rows = csv_rows(&table);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "base",
            "too-many-groups",
            "cap__cross_cap_share-0.0",
            "cap__cross_cap_share-0.2"
        ]
    );
    let status = column(&table, "status");
    let note = column(&table, "note");
    assert_eq!(rows[1][status], "infeasible", "{:?}", rows[1]);
    assert!(
        rows[1][note].contains("compulsory"),
        "the explanation names the track: {:?}",
        rows[1]
    );
    for r in [&rows[0], &rows[2], &rows[3]] {
        assert!(r[status] == "optimal" || r[status] == "feasible", "{r:?}");
    }
    // A zero cap allows no transfer, so its shortage cannot beat the base's.
    let after = column(&table, "shortage_after");
    let v = |r: &Vec<String>| r[after].parse::<f64>().expect("number");
    assert!(v(&rows[2]) >= v(&rows[0]) - 1e-9);
    assert!(v(&rows[3]) <= v(&rows[0]) + 1e-9);
    assert!(out.join("comparison.md").exists());
    assert!(
        out.join("cap__cross_cap_share-0.2")
            .join("moves.csv")
            .exists()
    );
}

fn simulate(dir: &Path, years: &str, exchange_years: u32) -> PathBuf {
    let policy = dir.join("policy.toml");
    let text = fs::read_to_string(example("schools-tiny").join("policy.toml")).expect("read");
    fs::write(
        &policy,
        text.replace(
            "exchanges_per_pairing = 1",
            &format!("exchanges_per_pairing = 1\nexchange_years = {exchange_years}"),
        ),
    )
    .expect("write");
    let out = dir.join(format!("sim-{exchange_years}"));
    let (code, text) = rotaplan(&[
        "simulate",
        s(&example("schools-tiny")),
        "--policy",
        s(&policy),
        "--years",
        years,
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 0, "{text}");
    out
}

fn teachers_in(path: &Path, col: &str) -> Vec<String> {
    let c = column(path, col);
    csv_rows(path).into_iter().map(|r| r[c].clone()).collect()
}

#[test]
fn an_exchange_returns_after_exactly_exchange_years() {
    let dir = tempfile::tempdir().expect("tempdir");
    for years in [1u32, 2] {
        let out = simulate(dir.path(), "4", years);
        let moves = out.join("2026/plan/moves.csv");
        let kind = column(&moves, "kind");
        let who = column(&moves, "teacher");
        let exchanged: Vec<String> = csv_rows(&moves)
            .into_iter()
            .filter(|r| r[kind] == "exchange")
            .map(|r| r[who].clone())
            .collect();
        assert!(
            !exchanged.is_empty(),
            "the tiny example makes exchanges in 2026"
        );
        // Away for exactly `years` summers: not back (and not moved) before, back then.
        let back = 2026 + years as i32;
        for y in 2027..=back {
            let returns = teachers_in(&out.join(format!("{y}/plan/returns.csv")), "teacher");
            let moved = teachers_in(&out.join(format!("{y}/plan/moves.csv")), "teacher");
            for t in &exchanged {
                assert_eq!(
                    returns.contains(t),
                    y == back,
                    "teacher {t} in {y} with exchange_years = {years}"
                );
                assert!(
                    !moved.contains(t),
                    "teacher {t} moved in {y} while away or returning"
                );
            }
        }
        let traj = csv_rows(&out.join("trajectory.csv"));
        assert_eq!(traj.len(), 4);
        let viol = column(&out.join("trajectory.csv"), "verify_violations");
        assert!(traj.iter().all(|r| r[viol] == "0"), "{traj:?}");
    }
}

#[test]
fn simulation_is_deterministic() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let oa = simulate(a.path(), "3", 1);
    let ob = simulate(b.path(), "3", 1);
    for y in 2026..=2028 {
        for f in [
            "plan/groups.csv",
            "plan/pairings.csv",
            "plan/moves.csv",
            "plan/returns.csv",
            "state/teachers.csv",
        ] {
            let pa = oa.join(format!("{y}/{f}"));
            let pb = ob.join(format!("{y}/{f}"));
            assert_eq!(
                fs::read(&pa).expect("a"),
                fs::read(&pb).expect("b"),
                "{y}/{f} differs"
            );
        }
    }
}

#[test]
fn batch_isolates_a_broken_county() {
    let dir = tempfile::tempdir().expect("tempdir");
    let counties = dir.path().join("counties");
    for (name, src) in [("a-tiny", "schools-tiny"), ("b-broken", "schools-tiny")] {
        let d = counties.join(name);
        fs::create_dir_all(&d).expect("mkdir");
        for e in fs::read_dir(example(src)).expect("ls") {
            let e = e.expect("entry");
            fs::copy(e.path(), d.join(e.file_name())).expect("copy");
        }
    }
    fs::remove_file(counties.join("b-broken/teachers.csv")).expect("rm");
    let out = dir.path().join("out");
    let policy = example("schools-tiny").join("policy.toml");
    let (code, text) = rotaplan(&[
        "batch",
        s(&counties),
        "--policy",
        s(&policy),
        "--out",
        s(&out),
    ]);
    // SPEC: the highest code among the counties; unreadable input is 2.
    assert_eq!(code, 2, "one county failed: {text}");
    let table = out.join("batch.csv");
    let rows = csv_rows(&table);
    assert_eq!(rows.len(), 2);
    let status = column(&table, "status");
    let note = column(&table, "note");
    assert!(
        rows[0][status] == "optimal" || rows[0][status] == "feasible",
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[1][status], "invalid_input");
    assert!(rows[1][note].contains("teachers.csv"), "{:?}", rows[1]);
    assert!(out.join("a-tiny/moves.csv").exists());
}
