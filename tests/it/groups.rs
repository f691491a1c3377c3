//! `rotaplan groups` end to end: the worked examples (objective and rules G1–G6 re-checked
//! from the written files), capacitated p-median benchmarks to their proven optima (through
//! the CLI with `distances.csv`, and through the library), and infeasibility messages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rotaplan::domain::Instance;
use rotaplan::domain::geography::TownshipGraph;
use rotaplan::domain::policy::{Policy, TrackMode};
use rotaplan::solve::groups::cpmp::{read_optima, read_pmedcap, read_sjc};
use rotaplan::solve::groups::{Tuning, solve_track};
use rotaplan::solve::mip::{MipOptions, SolveStatus};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn run_groups(instance: &Path, policy: &Path, out: &Path) -> std::process::Output {
    crate::common::bin()
        .arg("groups")
        .arg(instance)
        .arg("--policy")
        .arg(policy)
        .arg("--out")
        .arg(out)
        // The explanations asserted below are the English ones.
        .args(["--lang", "en"])
        .output()
        .expect("run rotaplan")
}

fn summary(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("json")
}

/// Independent check of G1–G6 on `groups.csv`; returns the recomputed objective per track.
fn check_rules(inst: &Instance, policy: &Policy, out: &Path) -> BTreeMap<String, f64> {
    let mut rdr = csv::Reader::from_path(out.join("groups.csv")).expect("groups.csv");
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, ["track", "group", "school", "role"]);
    // group -> (track, core, members)
    let mut groups: BTreeMap<String, (String, Option<usize>, Vec<usize>)> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for rec in rdr.records() {
        let rec = rec.expect("row");
        let s = inst.school_by_id(&rec[2]).expect("known school");
        assert!(seen.insert(s), "G6: school {} in two groups", &rec[2]);
        let g = groups
            .entry(rec[1].to_string())
            .or_insert((rec[0].to_string(), None, Vec::new()));
        assert_eq!(g.0, &rec[0]);
        if &rec[3] == "core" {
            assert!(g.1.is_none(), "one core per group");
            g.1 = Some(s);
        }
        g.2.push(s);
    }
    let graph = TownshipGraph::new(inst);
    let mut objective = BTreeMap::new();
    for t in &policy.tracks {
        let members: Vec<usize> = (0..inst.schools.len())
            .filter(|&s| {
                let sc = &inst.schools[s];
                t.stages.contains(&sc.stage) && (t.include_helpers || !sc.helper)
            })
            .collect();
        let of_track: Vec<_> = groups.values().filter(|g| g.0 == t.name).collect();
        if !members.is_empty() {
            assert_eq!(of_track.len(), t.count, "G6: count");
        }
        let grouped: BTreeSet<usize> = of_track.iter().flat_map(|g| g.2.clone()).collect();
        assert_eq!(
            grouped,
            members.iter().copied().collect(),
            "G6: track membership"
        );
        let mut total = 0.0;
        for (_, core, schools) in &of_track {
            let core = core.expect("G3: a core");
            let c = &inst.schools[core];
            assert!(c.core_eligible && c.quality >= t.core_min_quality, "G3");
            if t.mode == TrackMode::Schools {
                assert!(schools.len() <= t.max_schools, "G1");
            }
            let students: f64 = schools
                .iter()
                .map(|&s| f64::from(inst.schools[s].students))
                .sum();
            assert!(
                t.max_students.is_none_or(|m| students <= m + 1e-9),
                "G5 max"
            );
            assert!(
                t.min_students.is_none_or(|m| students >= m - 1e-9),
                "G5 min"
            );
            let towns: BTreeSet<usize> =
                schools.iter().map(|&s| inst.schools[s].township).collect();
            if t.mode == TrackMode::Townships {
                for &s in &members {
                    if towns.contains(&inst.schools[s].township) {
                        assert!(schools.contains(&s), "G4: township split");
                    }
                }
                if t.contiguous {
                    let v: Vec<usize> = towns.iter().copied().collect();
                    assert!(graph.is_connected_subset(&v), "G4: not contiguous");
                }
            }
            total += schools.iter().map(|&s| inst.distance(s, core)).sum::<f64>();
        }
        objective.insert(t.name.clone(), total);
    }
    objective
}

fn example(name: &str, expected: f64) {
    let dir = data().join("examples").join(name);
    let out = tempfile::tempdir().expect("tempdir");
    let o = run_groups(&dir, &dir.join("policy.toml"), out.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let inst = rotaplan::io::read_instance(&dir).expect("instance");
    let text = std::fs::read_to_string(dir.join("policy.toml")).expect("policy");
    let policy = Policy::parse(&text, "policy.toml").expect("policy");
    let recomputed = check_rules(&inst, &policy, out.path());
    assert!(
        (recomputed["compulsory"] - expected).abs() < 1e-3,
        "{recomputed:?}"
    );
    let s = summary(out.path());
    let t = &s["groups"]["tracks"]["compulsory"];
    assert_eq!(t["status"], "optimal");
    assert!((t["objective"].as_f64().expect("objective") - expected).abs() < 1e-3);
    assert_eq!(s["groups"]["status"], "optimal");
    // Deterministic: a second run writes the same bytes.
    let again = tempfile::tempdir().expect("tempdir");
    assert!(
        run_groups(&dir, &dir.join("policy.toml"), again.path())
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(out.path().join("groups.csv")).expect("a"),
        std::fs::read(again.path().join("groups.csv")).expect("b")
    );
}

#[test]
fn schools_tiny_reaches_expected_objective() {
    example("schools-tiny", 34.3247);
}

#[test]
fn townships_contiguous_reaches_expected_objective() {
    example("townships-contiguous", 203.358);
}

/// A limit far above what these need, so a busy machine does not turn them into timing tests.
fn generous() -> MipOptions {
    MipOptions {
        time_limit_s: 600.0,
        threads: 0,
    }
}

fn pmedcap(k: usize) -> rotaplan::solve::groups::cpmp::Benchmark {
    let text = std::fs::read_to_string(data().join("pmedcap1.txt")).expect("pmedcap1.txt");
    read_pmedcap(&text)
        .expect("parse")
        .into_iter()
        .find(|b| b.name == format!("pmedcap{k}"))
        .expect("problem")
}

fn pmedcap_optimum(k: usize) -> f64 {
    let text = std::fs::read_to_string(data().join("pmedcap1.optimal.csv")).expect("optima");
    read_optima(&text)[&format!("pmedcap{k}")]
}

/// Through the CLI: the benchmark as an instance folder whose distances.csv holds the
/// truncated distances, so `Instance::distance` is what is optimised.
#[test]
fn pmedcap_1_and_2_through_the_cli_reach_their_optima() {
    for k in [1, 2] {
        let b = pmedcap(k);
        let dir = tempfile::tempdir().expect("tempdir");
        b.write_folder(dir.path()).expect("write");
        let out = dir.path().join("plan");
        let o = run_groups(dir.path(), &dir.path().join("policy.toml"), &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let s = summary(&out);
        assert_eq!(s["groups"]["status"], "optimal");
        let obj = s["groups"]["objective"].as_f64().expect("objective");
        assert!((obj - pmedcap_optimum(k)).abs() < 1e-6, "pmedcap{k}: {obj}");
    }
}

#[test]
fn pmedcap_11_reaches_its_optimum() {
    let b = pmedcap(11);
    let r = solve_track(&b.instance(), &b.track(), &generous(), Tuning::default()).expect("solve");
    assert_eq!(r.status, SolveStatus::Optimal);
    assert!(
        (r.objective - pmedcap_optimum(11)).abs() < 1e-6,
        "{}",
        r.objective
    );
}

#[test]
fn sjc1_reaches_its_optimum() {
    let text = std::fs::read_to_string(data().join("sjc/SJC1.dat")).expect("SJC1");
    let b = read_sjc("SJC1", &text).expect("parse");
    let optima =
        read_optima(&std::fs::read_to_string(data().join("sjc/sjc.optimal.csv")).expect("optima"));
    let r = solve_track(&b.instance(), &b.track(), &generous(), Tuning::default()).expect("solve");
    assert_eq!(r.status, SolveStatus::Optimal);
    assert!(
        (r.objective - optima["SJC1"]).abs() <= 0.01,
        "{}",
        r.objective
    );
}

#[test]
fn infeasible_policy_is_explained_with_numbers() {
    let dir = data().join("examples/schools-tiny");
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(dir.join("policy.toml")).expect("policy");
    let policy = text.replace("max_schools = 6", "max_schools = 2");
    let p = tmp.path().join("policy.toml");
    std::fs::write(&p, policy).expect("write");
    let o = run_groups(&dir, &p, &tmp.path().join("plan"));
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("track compulsory: 2 groups x 2 schools = 4 <")
            && err.contains("raise max_schools to"),
        "{err}"
    );
    assert!(!tmp.path().join("plan/groups.csv").exists());
}
