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

/// SPEC's distance, computed here: a `distances.csv` pair where given, else the straight line.
fn km(inst: &Instance, a: usize, b: usize) -> f64 {
    if a == b {
        return 0.0;
    }
    if let Some(&d) = inst.road_km.get(&(a.min(b), a.max(b))) {
        return d;
    }
    let (p, q) = (&inst.schools[a], &inst.schools[b]);
    ((p.x_km - q.x_km).powi(2) + (p.y_km - q.y_km).powi(2)).sqrt()
}

/// G6: the schools of the track.
fn track_schools(inst: &Instance, t: &TrackPolicy) -> Vec<usize> {
    (0..inst.schools.len())
        .filter(|&s| {
            let sc = &inst.schools[s];
            t.stages.contains(&sc.stage) && (t.include_helpers || !sc.helper)
        })
        .collect()
}

/// Checks a grouping (core, schools) against G1 and G3–G6 as SPEC states them, and returns its
/// objective (Σ distance to the core + balance_weight × spread of mean quality), or the
/// first rule it breaks. Written from SPEC alone: it shares no code with the model.
fn judge(inst: &Instance, t: &TrackPolicy, groups: &[(usize, Vec<usize>)]) -> Result<f64, String> {
    let mine = track_schools(inst, t);
    if mine.is_empty() {
        return if groups.is_empty() {
            Ok(0.0)
        } else {
            Err("groups of an empty track".into())
        };
    }
    if groups.len() != t.count {
        return Err(format!("G6: {} groups, count {}", groups.len(), t.count));
    }
    let mut seen = vec![0usize; inst.schools.len()];
    for (core, schools) in groups {
        if !schools.contains(core) {
            return Err("G6: core outside its group".into());
        }
        let c = &inst.schools[*core];
        if !c.core_eligible || c.quality < t.core_min_quality {
            return Err(format!("G3: core {}", c.id));
        }
        if t.mode == TrackMode::Schools && schools.len() > t.max_schools {
            return Err("G1".into());
        }
        let students: f64 = schools
            .iter()
            .map(|&s| f64::from(inst.schools[s].students))
            .sum();
        if t.min_students.is_some_and(|m| students < m - 1e-9)
            || t.max_students.is_some_and(|m| students > m + 1e-9)
        {
            return Err("G5".into());
        }
        for &s in schools {
            seen[s] += 1;
        }
    }
    for (s, &n) in seen.iter().enumerate() {
        if n != usize::from(mine.contains(&s)) {
            return Err(format!("G6: school {} in {n} groups", inst.schools[s].id));
        }
    }
    if t.mode == TrackMode::Townships {
        for (i, (_, a)) in groups.iter().enumerate() {
            let towns: Vec<usize> = a.iter().map(|&s| inst.schools[s].township).collect();
            for (_, b) in &groups[i + 1..] {
                if b.iter().any(|&s| towns.contains(&inst.schools[s].township)) {
                    return Err("G4: a township split".into());
                }
            }
            if t.contiguous {
                // Flood over adjacency, inside the group's townships.
                let mut reached = vec![towns[0]];
                let mut k = 0;
                while k < reached.len() {
                    let x = reached[k];
                    for &(p, q) in &inst.adjacency {
                        let next = if p == x {
                            q
                        } else if q == x {
                            p
                        } else {
                            continue;
                        };
                        if towns.contains(&next) && !reached.contains(&next) {
                            reached.push(next);
                        }
                    }
                    k += 1;
                }
                if towns.iter().any(|x| !reached.contains(x)) {
                    return Err("G4: not contiguous".into());
                }
            }
        }
    }
    let distance: f64 = groups
        .iter()
        .map(|(c, a)| a.iter().map(|&s| km(inst, s, *c)).sum::<f64>())
        .sum();
    let means: Vec<f64> = groups
        .iter()
        .map(|(_, a)| a.iter().map(|&s| inst.schools[s].quality).sum::<f64>() / a.len() as f64)
        .collect();
    let spread = means.iter().copied().fold(f64::MIN, f64::max)
        - means.iter().copied().fold(f64::MAX, f64::min);
    Ok(distance + t.balance_weight * spread)
}

/// Exhaustive optimum over every choice of `count` cores and every assignment of the other
/// schools to them (None when no grouping keeps the rules).
fn brute_force(inst: &Instance, t: &TrackPolicy) -> Option<f64> {
    let mine = track_schools(inst, t);
    if mine.is_empty() {
        return Some(0.0);
    }
    let n = mine.len();
    let mut best: Option<f64> = None;
    // Cores as a bitmask over `mine`, then each school's core by counting in base `count`.
    for mask in 0u32..(1 << n) {
        if mask.count_ones() as usize != t.count {
            continue;
        }
        let cores: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let others: Vec<usize> = (0..n).filter(|i| mask & (1 << i) == 0).collect();
        let mut pick = vec![0usize; others.len()];
        loop {
            let mut groups: Vec<(usize, Vec<usize>)> =
                cores.iter().map(|&c| (mine[c], vec![mine[c]])).collect();
            for (o, &g) in others.iter().zip(&pick) {
                groups[g].1.push(mine[*o]);
            }
            if let Ok(v) = judge(inst, t, &groups) {
                best = Some(best.map_or(v, |b: f64| b.min(v)));
            }
            let mut i = 0;
            while i < pick.len() {
                pick[i] += 1;
                if pick[i] < cores.len() {
                    break;
                }
                pick[i] = 0;
                i += 1;
            }
            if i == pick.len() {
                break;
            }
        }
    }
    best
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
    let best = brute_force(&inst, &t).expect("feasible");
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
    let best = brute_force(&inst, &t).expect("feasible");
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
        // distances.csv: road km that override the straight line for some pairs.
        prop::collection::vec((0usize..7, 0usize..7, 0.0f64..60.0), 0..4),
    )
        .prop_map(
            |(schools, count, townships, max_students, max_schools, balance, roads)| {
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
                for (a, b, road) in roads {
                    if a < b && b < inst.schools.len() {
                        inst.road_km.insert((a, b), (road * 10.0).round() / 10.0);
                    }
                }
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
        let best = brute_force(&inst, &t);
        match solve(&inst, &t) {
            Ok(r) => {
                let best = best.expect("solver found a grouping brute force did not");
                prop_assert!((r.objective - best).abs() < 1e-5, "{} vs {}", r.objective, best);
                // The solver's groups, judged by the oracle: every rule kept, and the
                // reported objective is theirs.
                let groups: Vec<(usize, Vec<usize>)> =
                    r.groups.iter().map(|g| (g.core, g.schools.clone())).collect();
                match judge(&inst, &t, &groups) {
                    Ok(v) => prop_assert!((v - r.objective).abs() < 1e-5, "{} vs {}", v, r.objective),
                    Err(rule) => prop_assert!(false, "solver's groups break {}", rule),
                }
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
        if let (Some(best), Some(l)) = (brute_force(&inst, &t), lagrangian::bound(&p, None, 200, None)) {
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
    let best = brute_force(&inst, &t).expect("feasible");
    let l = lagrangian::bound(&p, None, 300, None).expect("applies");
    let trivial = solve::trivial_bound(&p, &model::Allowed::fitting(&p));
    assert!(l.bound <= best + 1e-6, "{} > {best}", l.bound);
    assert!(l.bound > trivial + 1e-6, "{} vs trivial {trivial}", l.bound);
}

/// An assignment as the oracle's groups: (core school, every school of the group).
fn as_groups(p: &TrackProblem, assign: &[usize]) -> Vec<(usize, Vec<usize>)> {
    p.groups(assign)
        .into_iter()
        .map(|(c, us)| {
            let schools = us
                .iter()
                .flat_map(|&u| p.units[u].schools.iter().copied())
                .collect();
            (p.cores[c].school, schools)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The Lagrangian heuristic: the groupings it repairs from the relaxation, and what the
    /// exact-neighbourhood search makes of them, keep every rule (judged by the oracle), cost
    /// what they claim, and never beat the brute-force optimum; the bound never exceeds it.
    #[test]
    fn lagrangian_heuristic_groupings_are_feasible((inst, t) in arb_track()) {
        let p = track_problem(&inst, &t);
        prop_assume!(!p.units.is_empty() && lagrangian::applies(&p));
        let near = near::Near::new(&p);
        let settings = lagrangian::Search {
            max_iter: 200,
            deadline: incumbent::Deadline::default(),
            repair_every: Some(1),
        };
        let best = brute_force(&inst, &t);
        let Some(l) = lagrangian::search(&p, &near, None, &settings) else {
            return Ok(());
        };
        if let Some(best) = best {
            prop_assert!(l.bound <= best + 1e-6, "bound {} above optimum {}", l.bound, best);
        }
        let Some((value, a)) = l.best else {
            return Ok(());
        };
        let best = best.expect("a repaired grouping where brute force found none");
        let judged = judge(&inst, &t, &as_groups(&p, &a));
        prop_assert!(judged.is_ok(), "repaired grouping breaks {:?}", judged);
        prop_assert!((judged.unwrap_or(f64::NAN) - value).abs() < 1e-6);
        prop_assert!(value >= best - 1e-6, "{} below the optimum {}", value, best);
        let polished = repair::improve(&p, &near, &a, incumbent::Deadline::default())
            .expect("local search keeps a feasible grouping feasible");
        let far = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let lns = neighbourhood::improve(&p, &near, &polished, &opts(), far).expect("HiGHS runs");
        for g in [&polished, &lns] {
            let judged = judge(&inst, &t, &as_groups(&p, g));
            prop_assert!(judged.is_ok(), "improved grouping breaks {:?}", judged);
            let v = judged.unwrap_or(f64::NAN);
            prop_assert!(v <= value + 1e-6 && v >= best - 1e-6, "{} vs {} / {}", v, value, best);
        }
    }
}

/// Every feasible assignment of a tiny track (each unit to any core), by brute force.
fn every_grouping(p: &TrackProblem) -> Vec<Assignment> {
    let (nu, nc) = (p.units.len(), p.cores.len());
    let mut out = Vec::new();
    if nc == 0 {
        return out;
    }
    let mut a = vec![0usize; nu];
    loop {
        if p.is_feasible(&a) {
            out.push(a.clone());
        }
        let mut i = 0;
        while i < nu {
            a[i] += 1;
            if a[i] < nc {
                break;
            }
            a[i] = 0;
            i += 1;
        }
        if i == nu {
            return out;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Capacity cuts never cut off a grouping: for every set of units and every feasible
    /// grouping, weight × (open cores homed in the set) + (units of the set led from outside)
    /// ≥ weight × groups needed, counted here straight from the grouping.
    #[test]
    fn capacity_cuts_keep_every_grouping((inst, t) in arb_track()) {
        let p = track_problem(&inst, &t);
        prop_assume!(!p.units.is_empty() && p.units.len() <= 6);
        let groupings = every_grouping(&p);
        let nu = p.units.len();
        for mask in 1u32..(1 << nu) {
            let set: Vec<usize> = (0..nu).filter(|u| mask & (1 << u) != 0).collect();
            let cut = cuts::Cut::of(&p, set.clone());
            for a in &groupings {
                let led_inside = p.cores.iter().enumerate()
                    .filter(|(c, core)| set.contains(&core.home) && a[core.home] == *c)
                    .count();
                let from_outside = set.iter()
                    .filter(|&&u| !set.contains(&p.cores[a[u]].home))
                    .count();
                prop_assert!(
                    cut.weight * led_inside + from_outside >= cut.weight * cut.rhs,
                    "cut {:?} removes grouping {:?}", cut, a
                );
            }
        }
    }
}

/// Two clusters of 9 schools 100 km apart, three groups of at most 6: the LP opens 1.5 cores
/// per cluster; capacity cuts raise its bound, which stays at or below the optimum.
#[test]
fn capacity_cuts_raise_the_lp_bound_on_two_clusters() {
    let mut schools = Vec::new();
    for (cx, t) in [(0.0, 0), (100.0, 1)] {
        for i in 0..9 {
            let (x, y) = (cx + f64::from(i % 3), f64::from(i / 3));
            schools.push((t, Stage::Primary, 50.0, 100, x, y));
        }
    }
    let inst = county(&[(0.0, 0.0), (100.0, 0.0)], &schools);
    let mut t = track(3);
    t.max_schools = 6;
    let p = track_problem(&inst, &t);
    let (lp, cut, n) = solve::cut_bounds(&p, &opts()).expect("LP solved");
    let best = solve(&inst, &t).expect("feasible");
    assert_eq!(best.status, SolveStatus::Optimal);
    assert!(n > 0, "no cut found");
    assert!(
        cut > lp + 1e-6,
        "cuts did not raise the bound: {cut} vs {lp}"
    );
    assert!(
        cut <= best.objective + 1e-6,
        "{cut} above optimum {}",
        best.objective
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Lagrangian fixing never removes an optimum: with the optimum as the cap and any other
    /// grouping as the incumbent, every optimal grouping keeps all its cores and pairs
    /// (every grouping found by brute force).
    #[test]
    fn lagrangian_fixing_keeps_every_optimum((inst, t) in arb_track()) {
        let p = track_problem(&inst, &t);
        prop_assume!(!p.units.is_empty() && lagrangian::fixes(&p));
        let groupings = every_grouping(&p);
        let Some(best) = groupings.iter().map(|a| p.objective(a)).min_by(f64::total_cmp) else {
            return Ok(());
        };
        let near = near::Near::new(&p);
        let Some(l) = lagrangian::bound(&p, Some(best), 200, None) else {
            return Ok(());
        };
        let worst = groupings
            .iter()
            .max_by(|a, b| p.objective(a).total_cmp(&p.objective(b)))
            .expect("a grouping");
        let base = model::Allowed::fitting(&p);
        let kept = l.fix(&p, &near, &base, worst, best, 0.0);
        for a in groupings.iter().filter(|a| p.objective(a) <= best + 1e-9) {
            for (u, &c) in a.iter().enumerate() {
                prop_assert!(kept.core[c], "optimal core {} fixed out", c);
                prop_assert!(
                    p.cores[c].home == u || kept.pair[u][c],
                    "optimal pair ({}, {}) fixed out", u, c
                );
            }
        }
    }
}

/// On a track whose heuristic grouping is optimal, Lagrangian fixing leaves out most pairs.
#[test]
fn lagrangian_fixing_prunes_far_pairs() {
    let mut inst = line();
    for s in &mut inst.schools {
        s.students = 100;
    }
    let mut t = track(2);
    t.max_schools = 3;
    let p = track_problem(&inst, &t);
    let best = brute_force(&inst, &t).expect("feasible");
    let inc = incumbent::find(&p).expect("a grouping");
    assert!((p.objective(&inc) - best).abs() < 1e-9);
    let l = lagrangian::bound(&p, Some(best), 300, None).expect("applies");
    let near = near::Near::new(&p);
    let base = model::Allowed::fitting(&p);
    let kept = l.fix(&p, &near, &base, &inc, best, 0.0);
    assert!(
        kept.pairs() < base.pairs(),
        "{} of {} pairs kept",
        kept.pairs(),
        base.pairs()
    );
}
