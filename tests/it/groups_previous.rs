//! G3 (`core_stages`) and G7 (`groups --previous`) against an exhaustive oracle written
//! here, independently of the solver: every assignment of schools to cores is enumerated.

use std::fs;

use rotaplan::domain::instance::{Instance, School, Township};
use rotaplan::domain::policy::Policy;
use rotaplan::domain::stage::Stage;
use rotaplan::plan::{GroupRow, Role};
use rotaplan::solve::groups::{Previous, form_groups, form_groups_with};
use rotaplan::solve::mip::MipOptions;

use crate::common::*;

/// A school of a tiny county: id, stage, quality, x, y.
type Spec = (String, Stage, f64, f64, f64);

fn county(schools: &[Spec]) -> Instance {
    let mut inst = Instance {
        townships: vec![Township {
            id: "T1".into(),
            name: "T1".into(),
            urban: false,
            x_km: 0.0,
            y_km: 0.0,
            priority: false,
        }],
        ..Instance::default()
    };
    for (id, stage, quality, x, y) in schools {
        inst.schools.push(School {
            id: id.clone(),
            name: id.clone(),
            township: 0,
            stage: *stage,
            quality: *quality,
            students: 100,
            classes: 1,
            x_km: *x,
            y_km: *y,
            helper: false,
            core_eligible: true,
        });
    }
    inst.reindex();
    inst
}

const COUNT: usize = 3;
const MAX_SCHOOLS: usize = 3;
const TOLERANCE: f64 = 0.10;

fn policy() -> Policy {
    let text = format!(
        "plan_year = 2026\n[[track]]\nname = \"c\"\nstages = [\"kindergarten\", \"primary\", \"middle\"]\nmode = \"schools\"\ncount = {COUNT}\nmax_schools = {MAX_SCHOOLS}\ncore_min_quality = 50\ncore_stages = [\"primary\", \"middle\"]\nregroup_tolerance = {TOLERANCE}\n"
    );
    Policy::parse(&text, "policy.toml").expect("policy")
}

fn options() -> MipOptions {
    MipOptions {
        time_limit_s: 60.0,
        threads: 1,
    }
}

/// Deterministic pseudo-random numbers in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_schools(rng: &mut Lcg, prefix: &str, n: usize) -> Vec<Spec> {
    let stages = [Stage::Kindergarten, Stage::Primary, Stage::Middle];
    (0..n)
        .map(|i| {
            (
                format!("{prefix}{i}"),
                stages[(rng.next() * 3.0) as usize % 3],
                (rng.next() * 100.0).round(),
                (rng.next() * 20.0).round(),
                (rng.next() * 20.0).round(),
            )
        })
        .collect()
}

fn may_lead(s: &Spec) -> bool {
    s.1 != Stage::Kindergarten && s.2 >= 50.0
}

fn dist(a: &Spec, b: &Spec) -> f64 {
    (a.3 - b.3).hypot(a.4 - b.4)
}

/// Every valid grouping (as each school's core index) with its objective.
fn all_groupings(schools: &[Spec]) -> Vec<(Vec<usize>, f64)> {
    let n = schools.len();
    let mut out = Vec::new();
    let mut assign = vec![0usize; n];
    loop {
        let mut size = vec![0usize; n];
        for &c in &assign {
            size[c] += 1;
        }
        let cores: Vec<usize> = (0..n).filter(|&c| size[c] > 0).collect();
        let valid = cores.len() == COUNT
            && cores
                .iter()
                .all(|&c| assign[c] == c && may_lead(&schools[c]) && size[c] <= MAX_SCHOOLS);
        if valid {
            let d: f64 = (0..n).map(|s| dist(&schools[s], &schools[assign[s]])).sum();
            out.push((assign.clone(), d));
        }
        let mut i = 0;
        while i < n {
            assign[i] += 1;
            if assign[i] < n {
                break;
            }
            assign[i] = 0;
            i += 1;
        }
        if i == n {
            return out;
        }
    }
}

/// G7 by enumeration: (D*, fewest changes within the tolerance, best objective then).
fn oracle(
    schools: &[Spec],
    previous_core: &dyn Fn(&str) -> Option<Option<String>>,
) -> (f64, usize, f64) {
    let all = all_groupings(schools);
    let d_star = all.iter().map(|g| g.1).fold(f64::INFINITY, f64::min);
    let changes = |a: &[usize]| {
        (0..schools.len())
            .filter(|&s| match previous_core(&schools[s].0) {
                None => false,
                Some(prev) => prev.as_deref() != Some(schools[a[s]].0.as_str()),
            })
            .count()
    };
    let within: Vec<&(Vec<usize>, f64)> = all
        .iter()
        .filter(|g| g.1 <= d_star * (1.0 + TOLERANCE) + 1e-6)
        .collect();
    let fewest = within.iter().map(|g| changes(&g.0)).min().expect("some");
    let best = within
        .iter()
        .filter(|g| changes(&g.0) == fewest)
        .map(|g| g.1)
        .fold(f64::INFINITY, f64::min);
    (d_star, fewest, best)
}

fn rows_of(schools: &[Spec], assign: &[usize]) -> Vec<GroupRow> {
    (0..schools.len())
        .map(|s| GroupRow {
            track: "c".into(),
            group: format!("c-{}", schools[assign[s]].0),
            school: schools[s].0.clone(),
            role: if assign[s] == s {
                Role::Core
            } else {
                Role::Member
            },
        })
        .collect()
}

#[test]
fn g3_and_g7_match_an_exhaustive_oracle_after_closures_and_an_opening() {
    let policy = policy();
    let mut checked = 0;
    for seed in 1..=24u64 {
        let mut rng = Lcg(seed);
        let old = random_schools(&mut rng, "S", 7);
        let old_all = all_groupings(&old);
        let Some(last_year) = old_all.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
            continue;
        };
        // Two schools close (one of them a core when possible) and one opens.
        let closed_core = (0..old.len())
            .find(|&s| last_year.0[s] == s)
            .expect("a core");
        let closed_member = (0..old.len())
            .find(|&s| last_year.0[s] != s)
            .expect("a member");
        let mut new: Vec<Spec> = old
            .iter()
            .enumerate()
            .filter(|&(s, _)| s != closed_core && s != closed_member)
            .map(|(_, x)| x.clone())
            .collect();
        new.extend(random_schools(&mut rng, "N", 1));
        if all_groupings(&new).is_empty() {
            continue;
        }
        let prev_rows = rows_of(&old, &last_year.0);
        let prev_core = |id: &str| {
            old.iter().position(|s| s.0 == id).map(|s| {
                let c = &old[last_year.0[s]].0;
                new.iter().any(|x| &x.0 == c).then(|| c.clone())
            })
        };
        let (d_star, fewest, best) = oracle(&new, &prev_core);

        let inst = county(&new);
        let fresh = form_groups(&inst, &policy, &options()).expect("fresh");
        let f = &fresh.tracks[0];
        assert!(
            (f.objective - d_star).abs() < 1e-6,
            "seed {seed}: G3 optimum {} vs oracle {d_star}",
            f.objective
        );
        for g in &f.groups {
            assert!(
                may_lead(&new[g.core]),
                "seed {seed}: G3 core {}",
                new[g.core].0
            );
        }

        let previous = Previous::from_rows(&inst, &prev_rows);
        let out = form_groups_with(&inst, &policy, &options(), Some(&previous)).expect("g7");
        let t = &out.tracks[0];
        let st = t.previous.as_ref().expect("stability figures");
        assert_eq!(t.status.as_str(), "optimal", "seed {seed}");
        assert_eq!(st.changed, fewest, "seed {seed}: schools changed");
        assert!(st.changed <= st.changed_fresh, "seed {seed}");
        assert!(
            (t.objective - best).abs() < 1e-6,
            "seed {seed}: {} vs {best}",
            t.objective
        );
        assert!(
            t.objective <= d_star * (1.0 + TOLERANCE) + 1e-6,
            "seed {seed}: tolerance"
        );
        assert!(
            (st.stability_cost - (best - d_star)).abs() < 1e-6,
            "seed {seed}"
        );
        // A group whose core led a group last year keeps that group's id.
        for g in &t.groups {
            let core = &new[g.core].0;
            if prev_rows
                .iter()
                .any(|r| r.role == Role::Core && &r.school == core)
            {
                assert_eq!(g.id, format!("c-{core}"), "seed {seed}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} seeds gave a feasible county");
}

#[test]
fn regrouping_against_its_own_plan_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = Lcg(42);
    let inst = county(&random_schools(&mut rng, "S", 12));
    let folder = dir.path().join("county");
    rotaplan::io::instance_writer::write_instance(&inst, &folder).expect("write instance");
    let policy = folder.join("policy.toml");
    fs::write(
        &policy,
        "plan_year = 2026\n[[track]]\nname = \"c\"\nstages = [\"kindergarten\", \"primary\", \"middle\"]\nmode = \"schools\"\ncount = 3\nmax_schools = 5\ncore_stages = [\"primary\", \"middle\"]\n",
    )
    .expect("policy");
    let first = dir.path().join("first");
    let (code, text) = rotaplan(&[
        "groups",
        s(&folder),
        "--policy",
        s(&policy),
        "--out",
        s(&first),
    ]);
    assert_eq!(code, 0, "{text}");
    let again = dir.path().join("again");
    let (code, text) = rotaplan(&[
        "groups",
        s(&folder),
        "--policy",
        s(&policy),
        "--out",
        s(&again),
        "--previous",
        s(&first),
    ]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        fs::read(first.join("groups.csv")).expect("first"),
        fs::read(again.join("groups.csv")).expect("again"),
        "groups.csv changed against its own plan"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(again.join("summary.json")).expect("summary"))
            .expect("json");
    let prev = &summary["groups"]["previous"];
    assert_eq!(prev["schools_changed"], 0, "{prev}");
    assert_eq!(prev["schools_compared"], 12, "{prev}");
    assert_eq!(prev["stability_cost_km"], 0.0, "{prev}");
    assert_eq!(summary["groups"]["status"], "optimal");
}
