//! Rule-by-rule tests of the groups model, with a brute-force oracle on tiny tracks.

use proptest::prelude::*;

use super::*;
use crate::domain::instance::{School, Township};
use crate::domain::stage::Stage;

fn township(id: &str, x: f64, y: f64) -> Township {
    Township {
        id: id.into(),
        name: id.into(),
        urban: false,
        x_km: x,
        y_km: y,
        priority: false,
    }
}

/// (township, stage, quality, students, x, y)
fn county(towns: &[(f64, f64)], schools: &[(usize, Stage, f64, u32, f64, f64)]) -> Instance {
    let mut inst = Instance {
        townships: towns
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| township(&format!("T{i}"), x, y))
            .collect(),
        ..Instance::default()
    };
    for (i, &(t, stage, q, n, x, y)) in schools.iter().enumerate() {
        inst.schools.push(School {
            id: format!("S{i:02}"),
            name: format!("S{i:02}"),
            township: t,
            stage,
            quality: q,
            students: n,
            classes: 1,
            x_km: x,
            y_km: y,
            helper: false,
            core_eligible: true,
        });
    }
    inst.reindex();
    inst
}

fn track(count: usize) -> TrackPolicy {
    TrackPolicy {
        name: "t".into(),
        stages: vec![Stage::Primary, Stage::Middle],
        mode: TrackMode::Schools,
        count,
        max_schools: 6,
        core_min_quality: 0.0,
        core_stages: vec![Stage::Primary, Stage::Middle],
        regroup_tolerance: 0.05,
        include_helpers: false,
        contiguous: false,
        balance_weight: 0.0,
        min_students: None,
        max_students: None,
    }
}

fn opts() -> MipOptions {
    MipOptions {
        time_limit_s: 30.0,
        threads: 1,
    }
}

fn solve(inst: &Instance, t: &TrackPolicy) -> Result<TrackOutcome, Error> {
    solve_track(inst, t, &opts(), Tuning::default())
}

/// Schools on a line at x = 0, 1, 2, 10, 11, 12.
fn line() -> Instance {
    let xs = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
    let s: Vec<_> = xs
        .iter()
        .map(|&x| (0, Stage::Primary, 50.0, 100, x, 0.0))
        .collect();
    county(&[(0.0, 0.0)], &s)
}

/// Exhaustive optimum of a tiny problem (None when infeasible).
fn brute_force(p: &TrackProblem) -> Option<f64> {
    let (nu, nc) = (p.units.len(), p.cores.len());
    if nc == 0 {
        return None;
    }
    let mut best: Option<f64> = None;
    let mut a = vec![0usize; nu];
    loop {
        if p.is_feasible(&a) {
            let v = p.objective(&a);
            if best.is_none_or(|b| v < b) {
                best = Some(v);
            }
        }
        let mut i = 0;
        loop {
            if i == nu {
                return best;
            }
            a[i] += 1;
            if a[i] < nc {
                break;
            }
            a[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn g2_compact_groups_minimise_distance_to_core() {
    let r = solve(&line(), &track(2)).expect("solve");
    assert_eq!(r.status, SolveStatus::Optimal);
    assert!((r.objective - 4.0).abs() < 1e-6, "{}", r.objective);
    assert_eq!(r.groups.len(), 2);
    // Cores are the middle schools; ids numbered by core id.
    assert_eq!(r.groups[0].core, 1);
    assert_eq!(r.groups[1].core, 4);
    assert_eq!(r.groups[0].id, "t-1");
}

#[test]
fn g1_max_schools_caps_group_size() {
    let mut t = track(2);
    t.max_schools = 3;
    let inst = line();
    let mut t2 = t.clone();
    t2.count = 3;
    t2.max_schools = 2;
    let r = solve(&inst, &t2).expect("solve");
    assert!(r.groups.iter().all(|g| g.schools.len() <= 2));
    // One pair must bridge the gap: {0,1}, {2,10}, {11,12}.
    assert!((r.objective - 10.0).abs() < 1e-6, "{}", r.objective);
    t.max_schools = 2;
    let e = solve(&inst, &t).expect_err("2 x 2 < 6");
    assert_eq!(
        e.to_string(),
        "track t: 2 groups x 2 schools = 4 < 6 schools (G1); raise max_schools to 3 or count to 3"
    );
}

#[test]
fn g3_core_quality_and_eligibility() {
    let mut inst = line();
    inst.schools[1].quality = 40.0;
    inst.schools[4].core_eligible = false;
    let mut t = track(2);
    t.core_min_quality = 45.0;
    let r = solve(&inst, &t).expect("solve");
    for g in &r.groups {
        assert!(g.core != 1 && g.core != 4);
        assert!(inst.schools[g.core].quality >= 45.0);
    }
    assert!((r.objective - 6.0).abs() < 1e-6, "{}", r.objective);
    t.core_min_quality = 90.0;
    let e = solve(&inst, &t).expect_err("no core");
    assert!(e.to_string().contains("0 schools can lead a group"), "{e}");
}

#[test]
fn g3_core_stages_keep_other_stages_from_leading() {
    let mut inst = line();
    for s in [0, 2, 3, 5] {
        inst.schools[s].stage = Stage::Middle;
    }
    let mut t = track(2);
    t.core_stages = vec![Stage::Primary];
    let r = solve(&inst, &t).expect("solve");
    assert!(
        r.groups
            .iter()
            .all(|g| inst.schools[g.core].stage == Stage::Primary)
    );
    // Only schools 1 and 4 may lead: {0,1,2} around 1, {3,4,5} around 4.
    assert!((r.objective - 4.0).abs() < 1e-6, "{}", r.objective);
    t.count = 3;
    let e = solve(&inst, &t).expect_err("two possible cores");
    let msg = e.to_string();
    assert!(
        msg.contains("2 schools can lead a group") && msg.contains("1 short"),
        "{msg}"
    );
    assert!(msg.contains("core_stages [primary]"), "{msg}");
}

#[test]
fn g5_student_bounds() {
    let mut inst = line();
    inst.schools[0].students = 500;
    let mut t = track(2);
    t.max_students = Some(600.0);
    let r = solve(&inst, &t).expect("solve");
    for g in &r.groups {
        let s: u32 = g.schools.iter().map(|&s| inst.schools[s].students).sum();
        assert!(s <= 600);
    }
    t.max_students = Some(400.0);
    let e = solve(&inst, &t).expect_err("too small");
    assert!(
        e.to_string().contains("500 students > max_students 400"),
        "{e}"
    );
    let mut t = track(2);
    t.min_students = Some(450.0);
    let r = solve(&inst, &t).expect("solve");
    for g in &r.groups {
        let s: u32 = g.schools.iter().map(|&s| inst.schools[s].students).sum();
        assert!(s >= 450, "{s}");
    }
    t.min_students = Some(600.0);
    t.count = 3;
    let e = solve(&inst, &t).expect_err("3 x 600 > 1000");
    assert!(
        e.to_string()
            .contains("3 groups x min_students 600 = 1800 > 1000 students"),
        "{e}"
    );
}

#[test]
fn g6_track_membership_helpers_and_stages() {
    let mut inst = line();
    inst.schools[2].helper = true;
    inst.schools[5].stage = Stage::High;
    let t = track(2);
    let r = solve(&inst, &t).expect("solve");
    let all: Vec<usize> = r.groups.iter().flat_map(|g| g.schools.clone()).collect();
    assert_eq!(all.len(), 4);
    assert!(!all.contains(&2) && !all.contains(&5));
    let mut t = track(2);
    t.include_helpers = true;
    let r = solve(&inst, &t).expect("solve");
    assert_eq!(r.groups.iter().map(|g| g.schools.len()).sum::<usize>(), 5);
}

#[test]
fn empty_track_is_optimal_zero_and_too_many_groups_is_explained() {
    let inst = line();
    let mut t = track(2);
    t.stages = vec![Stage::Vocational];
    let r = solve(&inst, &t).expect("empty");
    assert_eq!(r.status, SolveStatus::Optimal);
    assert_eq!(r.objective, 0.0);
    assert!(r.groups.is_empty());
    let e = solve(&inst, &track(7)).expect_err("7 > 6");
    assert!(e.to_string().contains("7 groups but only 6 schools"), "{e}");
}

/// Four townships on a path T0 - T1 - T2 - T3 with T3 placed next to T0.
fn path_county() -> Instance {
    let towns = [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (0.0, 1.0)];
    let s = vec![
        (0, Stage::Primary, 80.0, 100, 0.0, 0.0),
        (0, Stage::Middle, 60.0, 100, 0.5, 0.0),
        (1, Stage::Primary, 50.0, 100, 10.0, 0.0),
        (2, Stage::Primary, 70.0, 100, 20.0, 0.0),
        (3, Stage::Primary, 40.0, 100, 0.0, 1.0),
    ];
    let mut inst = county(&towns, &s);
    inst.adjacency = vec![(0, 1), (1, 2), (2, 3)];
    inst
}

#[test]
fn g4_townships_whole_and_contiguous() {
    let inst = path_county();
    let mut t = track(2);
    t.mode = TrackMode::Townships;
    let free = solve(&inst, &t).expect("free");
    // Whole townships: both T0 schools share a group.
    for g in &free.groups {
        let has0 = g.schools.contains(&0);
        assert_eq!(has0, g.schools.contains(&1));
    }
    t.contiguous = true;
    let cont = solve(&inst, &t).expect("contiguous");
    assert!(cont.objective > free.objective + 1e-6);
    let graph = crate::domain::geography::TownshipGraph::new(&inst);
    for g in &cont.groups {
        let mut towns: Vec<usize> = g
            .schools
            .iter()
            .map(|&s| inst.schools[s].township)
            .collect();
        towns.sort_unstable();
        towns.dedup();
        assert!(graph.is_connected_subset(&towns), "{towns:?}");
    }
    let p = track_problem(&inst, &t);
    let best = brute_force(&p).expect("feasible");
    assert!((cont.objective - best).abs() < 1e-6);
}

#[test]
fn g4_disconnected_graph_needs_enough_groups() {
    let mut inst = path_county();
    inst.adjacency = vec![(0, 1)];
    let mut t = track(2);
    t.mode = TrackMode::Townships;
    t.contiguous = true;
    let e = solve(&inst, &t).expect_err("3 parts");
    assert!(e.to_string().contains("3 parts > 2 groups"), "{e}");
}

#[test]
fn balance_term_is_exact() {
    let inst = path_county();
    let mut t = track(2);
    t.stages = vec![Stage::Primary, Stage::Middle];
    t.balance_weight = 5.0;
    let r = solve(&inst, &t).expect("solve");
    let p = track_problem(&inst, &t);
    let best = brute_force(&p).expect("feasible");
    assert!(
        (r.objective - best).abs() < 1e-6,
        "{} vs {best}",
        r.objective
    );
}

#[test]
fn infeasible_after_counting_checks_names_the_rules() {
    // Three schools of 100 and 300 students, two groups, each group 150..=350: counting passes
    // (2 x 150 <= 500 <= 2 x 350) but the 300 school cannot be grouped with both others.
    let s = vec![
        (0, Stage::Primary, 50.0, 100, 0.0, 0.0),
        (0, Stage::Primary, 50.0, 100, 1.0, 0.0),
        (0, Stage::Primary, 50.0, 300, 2.0, 0.0),
    ];
    let inst = county(&[(0.0, 0.0)], &s);
    let mut t = track(2);
    t.min_students = Some(250.0);
    t.max_students = Some(350.0);
    let e = solve(&inst, &t).expect_err("infeasible");
    let msg = e.to_string();
    assert!(
        msg.contains("track t: no grouping meets every rule"),
        "{msg}"
    );
    assert!(msg.contains("without min_students (G5)"), "{msg}");
}

fn arb_track() -> impl Strategy<Value = (Instance, TrackPolicy)> {
    let school = (
        0usize..3,
        0u8..3,
        0.0f64..100.0,
        50u32..400,
        -20.0f64..20.0,
        -20.0f64..20.0,
        any::<bool>(),
    );
    (
        prop::collection::vec(school, 2..7),
        1usize..4,
        any::<bool>(),
        prop::option::of(300.0f64..1500.0),
        0u8..3,
        prop::sample::select(vec![0.0, 0.5]),
    )
        .prop_map(
            |(schools, count, townships, max_students, max_schools, balance)| {
                let towns = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)];
                let s: Vec<_> = schools
                    .iter()
                    .map(|&(t, st, q, n, x, y, _)| {
                        let stage = [Stage::Primary, Stage::Middle, Stage::High][st as usize];
                        (t, stage, (q * 10.0).round() / 10.0, n, x, y)
                    })
                    .collect();
                let mut inst = county(&towns, &s);
                for (i, sc) in schools.iter().enumerate() {
                    inst.schools[i].core_eligible = sc.6 || i == 0;
                }
                inst.adjacency = vec![(0, 1), (0, 2)];
                let mut t = track(count);
                if townships {
                    t.mode = TrackMode::Townships;
                    t.contiguous = true;
                }
                t.max_schools = 2 + max_schools as usize;
                t.max_students = max_students;
                t.balance_weight = balance;
                (inst, t)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random tiny tracks: the MIP's optimum equals brute force, its groups keep every rule,
    /// and the reported objective equals the one recomputed from the groups.
    #[test]
    fn matches_brute_force((inst, t) in arb_track()) {
        let p = track_problem(&inst, &t);
        let best = if p.units.is_empty() { Some(0.0) } else { brute_force(&p) };
        match solve(&inst, &t) {
            Ok(r) => {
                let best = best.expect("solver found a grouping brute force did not");
                prop_assert!((r.objective - best).abs() < 1e-5, "{} vs {}", r.objective, best);
                // Rebuild the assignment from the groups and check it independently.
                let mut assign = vec![usize::MAX; p.units.len()];
                for g in &r.groups {
                    let c = p.cores.iter().position(|c| c.school == g.core).expect("core");
                    prop_assert!(inst.schools[g.core].quality >= t.core_min_quality);
                    for &s in &g.schools {
                        let u = p.units.iter().position(|u| u.schools.contains(&s)).expect("unit");
                        assign[u] = c;
                    }
                }
                prop_assert!(p.units.is_empty() || p.is_feasible(&assign));
                prop_assert!((p.objective(&assign) - r.objective).abs() < 1e-5);
                prop_assert_eq!(r.groups.len(), if p.units.is_empty() { 0 } else { t.count });
            }
            Err(Error::Infeasible(_)) => prop_assert!(best.is_none(), "solver says infeasible, brute force found {:?}", best),
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The Lagrangian bound is a lower bound: never above the brute-force optimum.
    #[test]
    fn lagrangian_bound_never_exceeds_the_optimum((inst, t) in arb_track()) {
        let p = track_problem(&inst, &t);
        prop_assume!(!p.units.is_empty());
        if let (Some(best), Some(l)) = (brute_force(&p), lagrangian::bound(&p, None, 200, None)) {
            prop_assert!(l.bound <= best + 1e-6, "bound {} above optimum {}", l.bound, best);
        }
    }
}

/// A tight capacitated track where the Lagrangian bound beats the trivial one.
#[test]
fn lagrangian_bound_is_valid_and_useful_on_a_capacitated_line() {
    let mut inst = line();
    for s in &mut inst.schools {
        s.students = 100;
    }
    let mut t = track(2);
    t.max_students = Some(300.0);
    let p = track_problem(&inst, &t);
    let best = brute_force(&p).expect("feasible");
    let l = lagrangian::bound(&p, None, 300, None).expect("applies");
    let trivial = solve::trivial_bound(&p, &model::Allowed::fitting(&p));
    assert!(l.bound <= best + 1e-6, "{} > {best}", l.bound);
    assert!(l.bound > trivial + 1e-6, "{} vs trivial {trivial}", l.bound);
}
