//! The worked examples of SPEC.md (copied under tests/data/examples): pairing on the optimal
//! groups reproduces the independent model's `pairing` values. The optimal groups are found
//! here by brute force (the examples are small), independently of the groups solver.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rotaplan::domain::grouping::Grouping;
use rotaplan::domain::instance::Instance;
use rotaplan::domain::policy::Policy;
use rotaplan::plan::{GroupRow, Role};
use rotaplan::solve::mip::{MipOptions, SolveStatus};
use rotaplan::solve::pairing::{self, PairingProblem};

fn example(name: &str) -> (Instance, Policy, serde_json::Value) {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/examples")
        .join(name);
    let inst = rotaplan::io::read_instance(&dir).expect("example reads");
    let text = std::fs::read_to_string(dir.join("policy.toml")).expect("policy");
    let policy = Policy::parse(&text, "policy.toml").expect("policy parses");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).expect("expected"))
            .expect("json");
    (inst, policy, expected)
}

/// Schools of the track (every compulsory stage, helpers left out).
fn track_schools(inst: &Instance) -> Vec<usize> {
    (0..inst.schools.len())
        .filter(|&s| !inst.schools[s].helper && !inst.schools[s].stage.served_slots().is_empty())
        .collect()
}

/// The cheapest cores of a set of schools (all ties) and the cost Σ distance to the core.
fn best_cores(inst: &Instance, members: &[usize]) -> (f64, Vec<usize>) {
    let cost = |c: usize| members.iter().map(|&s| inst.distance(s, c)).sum::<f64>();
    let best = members
        .iter()
        .map(|&c| cost(c))
        .fold(f64::INFINITY, f64::min);
    let cores = members
        .iter()
        .copied()
        .filter(|&c| cost(c) <= best + 1e-9)
        .collect();
    (best, cores)
}

type Groups = Vec<(usize, Vec<usize>)>;

/// Every optimal grouping of a partition search: `partitions` yields lists of member sets.
fn optimal_groupings(inst: &Instance, partitions: Vec<Vec<Vec<usize>>>) -> (f64, Vec<Groups>) {
    let mut best = f64::INFINITY;
    let mut all: Vec<(f64, Groups)> = Vec::new();
    for parts in partitions {
        let mut total = 0.0;
        let mut options: Vec<Vec<(usize, Vec<usize>)>> = Vec::new();
        for members in &parts {
            let (cost, cores) = best_cores(inst, members);
            total += cost;
            options.push(cores.into_iter().map(|c| (c, members.clone())).collect());
        }
        if total > best + 1e-6 {
            continue;
        }
        best = best.min(total);
        // Every combination of tied cores.
        let mut combos: Vec<Groups> = vec![Vec::new()];
        for opts in options {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    opts.iter().map(move |o| {
                        let mut c = c.clone();
                        c.push(o.clone());
                        c
                    })
                })
                .collect();
        }
        all.extend(combos.into_iter().map(|g| (total, g)));
    }
    let groupings = all
        .into_iter()
        .filter(|(t, _)| *t <= best + 1e-6)
        .map(|(_, g)| g)
        .collect();
    (best, groupings)
}

fn grouping(inst: &Instance, groups: &Groups) -> Grouping {
    let mut rows = Vec::new();
    for (k, (core, members)) in groups.iter().enumerate() {
        for &m in members {
            rows.push(GroupRow {
                track: "compulsory".into(),
                group: format!("compulsory-{}", k + 1),
                school: inst.schools[m].id.clone(),
                role: if m == *core { Role::Core } else { Role::Member },
            });
        }
    }
    Grouping::from_rows(inst, &rows).expect("groups resolve")
}

/// Pairing optimum on each optimal grouping; asserts the expected values are among them.
fn check_pairing(
    inst: &Instance,
    policy: &Policy,
    expected: &serde_json::Value,
    groupings: &[Groups],
) {
    let want_w = expected["pairing"]["covered_weight"]
        .as_f64()
        .expect("weight");
    let want_km = expected["pairing"]["distance_km"].as_f64().expect("km");
    let mut seen: Vec<(f64, f64)> = Vec::new();
    for g in groupings {
        let grouping = grouping(inst, g);
        let p = PairingProblem::new(inst, &grouping, &policy.pairing);
        let out = pairing::pair(
            &p,
            &MipOptions {
                time_limit_s: 30.0,
                threads: 1,
            },
        )
        .expect("solve");
        assert_eq!(out.optimal.lex.status(), SolveStatus::Optimal);
        seen.push((out.metrics.covered_weight, out.metrics.total_km));
    }
    assert!(
        // expected.json rounds to 3 decimals.
        seen.iter()
            .any(|&(w, km)| (w - want_w).abs() < 1e-6 && (km - want_km).abs() < 1e-3),
        "expected ({want_w}, {want_km}); the optimal groupings give {seen:?}"
    );
}

#[test]
fn schools_tiny_pairing_matches_the_independent_model() {
    let (inst, policy, expected) = example("schools-tiny");
    let track = policy.tracks[0].clone();
    let members = track_schools(&inst);
    assert_eq!(members.len(), 8);
    let mut partitions = Vec::new();
    // Two groups of at most `max_schools`; school 0 of the list always in the first, so each
    // split is seen once.
    for mask in 0u32..(1 << (members.len() - 1)) {
        let (mut a, mut b) = (vec![members[0]], Vec::new());
        for (i, &s) in members.iter().enumerate().skip(1) {
            if mask & (1 << (i - 1)) != 0 {
                a.push(s)
            } else {
                b.push(s)
            }
        }
        if !b.is_empty() && a.len() <= track.max_schools && b.len() <= track.max_schools {
            partitions.push(vec![a, b]);
        }
    }
    let (best, groupings) = optimal_groupings(&inst, partitions);
    let want = expected["groups_objective_by_track"]["compulsory"]
        .as_f64()
        .expect("groups");
    assert!(
        (best - want).abs() < 1e-3,
        "groups optimum {best} vs {want}"
    );
    check_pairing(&inst, &policy, &expected, &groupings);
}

#[test]
fn townships_contiguous_pairing_matches_the_independent_model() {
    let (inst, policy, expected) = example("townships-contiguous");
    let count = policy.tracks[0].count;
    let members = track_schools(&inst);
    let towns: Vec<usize> = members
        .iter()
        .map(|&s| inst.schools[s].township)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let connected = |set: &[usize]| -> bool {
        let mut seen = vec![set[0]];
        let mut i = 0;
        while i < seen.len() {
            let t = seen[i];
            for &(a, b) in &inst.adjacency {
                let other = if a == t {
                    b
                } else if b == t {
                    a
                } else {
                    continue;
                };
                if set.contains(&other) && !seen.contains(&other) {
                    seen.push(other);
                }
            }
            i += 1;
        }
        seen.len() == set.len()
    };
    let mut partitions = Vec::new();
    let n = towns.len();
    for code in 0..count.pow(n as u32) {
        let mut label = vec![0; n];
        let mut c = code;
        for l in label.iter_mut() {
            *l = c % count;
            c /= count;
        }
        let sets: Vec<Vec<usize>> = (0..count)
            .map(|k| {
                (0..n)
                    .filter(|&i| label[i] == k)
                    .map(|i| towns[i])
                    .collect()
            })
            .collect();
        if sets.iter().any(|s| s.is_empty() || !connected(s)) {
            continue;
        }
        partitions.push(
            sets.iter()
                .map(|ts| {
                    members
                        .iter()
                        .copied()
                        .filter(|&s| ts.contains(&inst.schools[s].township))
                        .collect()
                })
                .collect(),
        );
    }
    let (best, groupings) = optimal_groupings(&inst, partitions);
    let want = expected["groups_objective_by_track"]["compulsory"]
        .as_f64()
        .expect("groups");
    assert!(
        (best - want).abs() < 1e-3,
        "groups optimum {best} vs {want}"
    );
    check_pairing(&inst, &policy, &expected, &groupings);
}
