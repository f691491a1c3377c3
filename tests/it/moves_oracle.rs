//! The moves engine against an exhaustive oracle written from SPEC.md alone: every teacher's
//! options (stay, transfer, exchange) enumerated under T1–T10, every combination scored
//! lexicographically (exchanges, shortage, teachers moved, km). The oracle computes levels,
//! titles, ages, slots and distances itself; it shares nothing with the solver but the
//! `Instance` it reads. The random counties reach the corners: teachers returning from an
//! exchange, continuing exchanges, kindergarten, middle and nine_year slots, the national
//! floor, road distances from `distances.csv`, second subjects, certificates and volunteers.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use rotaplan::domain::grouping::Grouping;
use rotaplan::domain::instance::{Demand, Instance, School, Sex, Teacher, Title, Township};
use rotaplan::domain::policy::Policy;
use rotaplan::domain::stage::{SlotStage, Stage};
use rotaplan::plan::{GroupRow, MoveKind, PairingRow, Role};
use rotaplan::solve::mip::MipOptions;

const YEAR: i32 = 2026;
const SUBJECTS: [&str; 2] = ["math", "chinese"];

/// T9 levels: (lowest, highest).
fn levels(stage: Stage) -> (u8, u8) {
    match stage {
        Stage::Kindergarten => (0, 0),
        Stage::Primary => (1, 1),
        Stage::Middle => (2, 2),
        Stage::NineYear => (1, 2),
        Stage::High | Stage::Vocational => (3, 3),
    }
}

fn slot_level(slot: SlotStage) -> u8 {
    match slot {
        SlotStage::Kindergarten => 0,
        SlotStage::Primary => 1,
        SlotStage::Middle => 2,
    }
}

fn opens(stage: Stage, slot: SlotStage) -> bool {
    match slot {
        SlotStage::Kindergarten => stage == Stage::Kindergarten,
        SlotStage::Primary => matches!(stage, Stage::Primary | Stage::NineYear),
        SlotStage::Middle => matches!(stage, Stage::Middle | Stage::NineYear),
    }
}

fn fits(helper: Stage, slot: SlotStage) -> bool {
    match slot {
        SlotStage::Kindergarten => helper == Stage::Kindergarten,
        SlotStage::Primary => matches!(helper, Stage::Primary | Stage::NineYear),
        SlotStage::Middle => matches!(helper, Stage::Middle | Stage::High | Stage::NineYear),
    }
}

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

/// One random county: S0 a helper in the urban township, S1–S3 one group, S4 ungrouped; one
/// pairing of S0 with the group for the first slot both sides allow.
struct Case {
    inst: Instance,
    policy: Policy,
    group: Vec<usize>,
    pairing: Option<SlotStage>,
}

fn case(seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pick = |rng: &mut ChaCha8Rng, v: &[Stage]| v[rng.gen_range(0..v.len())];
    let town = |id: &str, urban: bool, x: f64| Township {
        id: id.into(),
        name: id.into(),
        urban,
        x_km: x,
        y_km: 0.0,
        priority: false,
    };
    let mut inst = Instance {
        townships: vec![town("T0", true, 0.0), town("T1", false, 10.0)],
        ..Instance::default()
    };
    let helper_stage = pick(
        &mut rng,
        &[
            Stage::Kindergarten,
            Stage::Primary,
            Stage::Middle,
            Stage::NineYear,
            Stage::High,
        ],
    );
    for i in 0..5 {
        let stage = if i == 0 {
            helper_stage
        } else {
            pick(
                &mut rng,
                &[
                    Stage::Kindergarten,
                    Stage::Primary,
                    Stage::Middle,
                    Stage::NineYear,
                ],
            )
        };
        inst.schools.push(School {
            id: format!("S{i}"),
            name: format!("S{i}"),
            township: usize::from(i > 0 && rng.gen_bool(0.7)),
            stage,
            quality: 60.0,
            students: 100,
            classes: 4,
            x_km: rng.gen_range(-12.0..12.0),
            y_km: rng.gen_range(-12.0..12.0),
            helper: i == 0,
            core_eligible: true,
        });
    }
    // distances.csv: a few road distances longer than the straight line.
    for _ in 0..rng.gen_range(0..3) {
        let (a, b) = (rng.gen_range(0..5), rng.gen_range(0..5));
        if a < b {
            let d = km(&inst, a, b) * rng.gen_range(1.0..2.5);
            inst.road_km.insert((a, b), (d * 100.0).round() / 100.0);
        }
    }
    let group = vec![1, 2, 3];
    let pairing = [
        SlotStage::Kindergarten,
        SlotStage::Primary,
        SlotStage::Middle,
    ]
    .into_iter()
    .find(|&s| fits(helper_stage, s) && group.iter().any(|&g| opens(inst.schools[g].stage, s)));
    let n = rng.gen_range(2..=5);
    for i in 0..n {
        let school = rng.gen_range(0..5);
        let mut t = Teacher {
            id: format!("P{i}"),
            school,
            subject: SUBJECTS[rng.gen_range(0..2)].into(),
            sex: if rng.gen_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            },
            birth_year: YEAR - rng.gen_range(28..60),
            title: [Title::SeniorPlus, Title::Senior, Title::First, Title::None]
                [rng.gen_range(0..4)],
            key: rng.gen_bool(0.4),
            years_at_school: rng.gen_range(0..10),
            name: None,
            second_subject: None,
            certified_stages: Vec::new(),
            degree: None,
            home_school: None,
            exchange_until: None,
            exempt: rng.gen_bool(0.1),
            volunteer: rng.gen_bool(0.3),
        };
        if rng.gen_bool(0.3) {
            t.second_subject = Some(SUBJECTS[1 - usize::from(t.subject == "chinese")].into());
        }
        if rng.gen_bool(0.2) {
            t.certified_stages = vec![pick(&mut rng, &[Stage::Middle, Stage::High])];
        }
        // T4: on an exchange elsewhere, ending this summer (returns) or later (stays).
        if rng.gen_bool(0.3) {
            let home = (school + rng.gen_range(1..5)) % 5;
            t.home_school = Some(home);
            t.exchange_until = Some(if rng.gen_bool(0.5) { YEAR } else { YEAR + 1 });
        }
        inst.teachers.push(t);
    }
    for s in 0..5 {
        for subject in SUBJECTS {
            let positions = rng.gen_range(0..3);
            if positions > 0 {
                inst.demand.push(Demand {
                    school: s,
                    subject: subject.into(),
                    positions,
                });
            }
        }
    }
    inst.reindex();
    let mut policy = Policy {
        plan_year: YEAR,
        ..Policy::default()
    };
    let r = &mut policy.rotation;
    r.cross_cap_share = [0.0, 0.25, 0.5][rng.gen_range(0..3)];
    r.exchanges_per_pairing = rng.gen_range(0..3);
    r.max_move_km = [None, Some(15.0)][rng.gen_range(0..2)];
    r.dispatched_max_age = 40;
    if rng.gen_bool(0.5) {
        r.subject_weight.insert("math".into(), 2.0);
    }
    if rng.gen_bool(0.3) {
        r.national_floor = true;
        r.floor_share = [0.2, 0.5][rng.gen_range(0..2)];
        r.floor_key_share = [0.0, 0.5][rng.gen_range(0..2)];
        r.eligible_years = 3;
    }
    Case {
        inst,
        policy,
        group,
        pairing,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Opt {
    Stay,
    Transfer(usize),
    /// (to, sent by the helper)
    Exchange(usize, bool),
}

fn returning(t: &Teacher) -> bool {
    t.home_school.is_some() && t.exchange_until.is_some_and(|y| y <= YEAR)
}

fn continuing(t: &Teacher) -> bool {
    t.exchange_until.is_some_and(|y| y > YEAR)
}

fn age_exempt(c: &Case, t: &Teacher) -> bool {
    let limit = match t.sex {
        Sex::Male => c.policy.rotation.exempt_age_male,
        Sex::Female => c.policy.rotation.exempt_age_female,
    };
    YEAR - t.birth_year >= limit && !t.volunteer
}

fn at(t: &Teacher) -> usize {
    if returning(t) {
        t.home_school.unwrap_or(t.school)
    } else {
        t.school
    }
}

/// Every option of one teacher under T1, T3–T5, T8–T10.
fn options(c: &Case, ti: usize) -> Vec<Opt> {
    let inst = &c.inst;
    let r = &c.policy.rotation;
    let t = &inst.teachers[ti];
    let mut out = vec![Opt::Stay];
    if t.exempt || returning(t) || continuing(t) {
        return out;
    }
    let from = at(t);
    let top = t
        .certified_stages
        .iter()
        .map(|&s| levels(s).1)
        .fold(levels(inst.schools[from].stage).1, u8::max);
    let reachable = |to: usize| {
        let other_town = inst.schools[from].township != inst.schools[to].township;
        !(other_town && age_exempt(c, t))
            && r.max_move_km.is_none_or(|m| km(inst, from, to) <= m + 1e-9)
    };
    if c.group.contains(&from) {
        for &to in &c.group {
            if to != from && levels(inst.schools[to].stage).0 <= top && reachable(to) {
                out.push(Opt::Transfer(to));
            }
        }
    }
    if let Some(slot) = c.pairing
        && slot_level(slot) <= top
    {
        let senior = matches!(t.title, Title::Senior | Title::SeniorPlus);
        if from == 0 && (!r.helper_sends_key_or_senior || t.key || senior) {
            for &to in &c.group {
                if opens(inst.schools[to].stage, slot) && reachable(to) {
                    out.push(Opt::Exchange(to, true));
                }
            }
        }
        let young = YEAR - t.birth_year <= r.dispatched_max_age;
        if c.group.contains(&from) && opens(inst.schools[from].stage, slot) && young && reachable(0)
        {
            out.push(Opt::Exchange(0, false));
        }
    }
    out
}

/// Weighted shortage with each two-subject teacher covering the subject that helps most.
fn shortage(c: &Case, place: &[usize]) -> f64 {
    let inst = &c.inst;
    let w = |s: &str| {
        c.policy
            .rotation
            .subject_weight
            .get(s)
            .copied()
            .unwrap_or(1.0)
    };
    let mut total = 0.0;
    for s in 0..inst.schools.len() {
        let here: Vec<&Teacher> = (0..inst.teachers.len())
            .filter(|&t| place[t] == s)
            .map(|t| &inst.teachers[t])
            .collect();
        let flex: Vec<&Teacher> = here
            .iter()
            .copied()
            .filter(|t| t.second_subject.is_some())
            .collect();
        let mut best = f64::INFINITY;
        for mask in 0u32..(1 << flex.len()) {
            let covers = |subject: &str| {
                let fixed = here
                    .iter()
                    .filter(|t| t.second_subject.is_none() && t.subject == subject)
                    .count();
                let flexible = flex
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| {
                        let pick = if mask & (1 << i) != 0 {
                            t.second_subject.as_deref().unwrap_or("")
                        } else {
                            t.subject.as_str()
                        };
                        pick == subject
                    })
                    .count();
                (fixed + flexible) as f64
            };
            let v: f64 = inst
                .demand
                .iter()
                .filter(|d| d.school == s)
                .map(|d| w(&d.subject) * (f64::from(d.positions) - covers(&d.subject)).max(0.0))
                .sum();
            best = best.min(v);
        }
        total += best;
    }
    total
}

/// The oracle's optimum: (exchanges, shortage, teachers moved, km), or None when no
/// combination keeps T2, T6 and T7.
fn oracle(c: &Case) -> Option<[f64; 4]> {
    let inst = &c.inst;
    let r = &c.policy.rotation;
    let opts: Vec<Vec<Opt>> = (0..inst.teachers.len()).map(|t| options(c, t)).collect();
    let base: Vec<usize> = inst.teachers.iter().map(at).collect();
    let staff = base.iter().filter(|s| c.group.contains(s)).count();
    let cap = (r.cross_cap_share * staff as f64 + 1e-9).floor() as usize;
    let eligible: Vec<usize> = (0..inst.teachers.len())
        .filter(|&ti| {
            let t = &inst.teachers[ti];
            let placed = c.group.contains(&base[ti]) || base[ti] == 0;
            placed
                && !returning(t)
                && !continuing(t)
                && !t.exempt
                && t.years_at_school >= r.eligible_years
                && !age_exempt(c, t)
        })
        .collect();
    let mut pick = vec![0usize; opts.len()];
    let mut best: Option<[f64; 4]> = None;
    let better = |a: &[f64; 4], b: &[f64; 4]| {
        let key = |x: &[f64; 4]| [-x[0], x[1], x[2], x[3]];
        let (ka, kb) = (key(a), key(b));
        for i in 0..4 {
            if ka[i] < kb[i] - 1e-9 {
                return true;
            }
            if ka[i] > kb[i] + 1e-9 {
                return false;
            }
        }
        false
    };
    loop {
        let chosen: Vec<Opt> = pick.iter().zip(&opts).map(|(&i, o)| o[i]).collect();
        let transfers = chosen
            .iter()
            .filter(|o| matches!(o, Opt::Transfer(_)))
            .count();
        let down = chosen
            .iter()
            .filter(|o| matches!(o, Opt::Exchange(_, true)))
            .count();
        let up = chosen
            .iter()
            .filter(|o| matches!(o, Opt::Exchange(_, false)))
            .count();
        let movers: Vec<usize> = (0..chosen.len())
            .filter(|&t| chosen[t] != Opt::Stay)
            .collect();
        let mut ok =
            transfers <= cap && down <= r.exchanges_per_pairing && up <= r.exchanges_per_pairing;
        if r.national_floor {
            let moved_eligible = eligible.iter().filter(|t| movers.contains(t)).count();
            let need = (r.floor_share * eligible.len() as f64 - 1e-9).ceil();
            let keys = movers.iter().filter(|&&t| inst.teachers[t].key).count();
            ok &= moved_eligible as f64 >= need
                && keys as f64 >= r.floor_key_share * movers.len() as f64 - 1e-9;
        }
        if ok {
            let mut place = base.clone();
            let mut dist = 0.0;
            for (t, o) in chosen.iter().enumerate() {
                if let Opt::Transfer(to) | Opt::Exchange(to, _) = *o {
                    place[t] = to;
                    dist += km(inst, base[t], to);
                }
            }
            let v = [
                (down + up) as f64,
                shortage(c, &place),
                movers.len() as f64,
                dist,
            ];
            if best.as_ref().is_none_or(|b| better(&v, b)) {
                best = Some(v);
            }
        }
        let mut i = 0;
        loop {
            if i == pick.len() {
                return best;
            }
            pick[i] += 1;
            if pick[i] < opts[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

fn solve(c: &Case) -> Result<rotaplan::solve::moves::MovesOutcome, String> {
    let rows: Vec<GroupRow> = c
        .group
        .iter()
        .enumerate()
        .map(|(i, &s)| GroupRow {
            track: "compulsory".into(),
            group: "g-1".into(),
            school: c.inst.schools[s].id.clone(),
            role: if i == 0 { Role::Core } else { Role::Member },
        })
        .collect();
    let grouping = Grouping::from_rows(&c.inst, &rows).map_err(|e| format!("{e:?}"))?;
    let pairings: Vec<PairingRow> = c
        .pairing
        .map(|stage| PairingRow {
            helper: "S0".into(),
            group: "g-1".into(),
            stage,
            school: None,
        })
        .into_iter()
        .collect();
    let options = MipOptions {
        time_limit_s: 30.0,
        ..MipOptions::default()
    };
    rotaplan::solve::moves::plan_moves(&c.inst, &c.policy, &grouping, &pairings, &options)
        .map_err(|e| e.to_string())
}

#[test]
fn the_moves_engine_reaches_the_oracles_optimum_at_every_level() {
    let (mut solved, mut infeasible) = (0, 0);
    let mut corners = [0usize; 6];
    for seed in 0..60 {
        let c = case(seed);
        let t = &c.inst.teachers;
        corners[0] += usize::from(t.iter().any(returning));
        corners[1] += usize::from(t.iter().any(continuing));
        corners[2] += usize::from(c.policy.rotation.national_floor);
        corners[3] += usize::from(c.pairing == Some(SlotStage::Middle));
        corners[4] += usize::from(c.pairing == Some(SlotStage::Kindergarten));
        corners[5] += usize::from(!c.inst.road_km.is_empty());
        let best = oracle(&c);
        match (solve(&c), best) {
            (Ok(out), Some(best)) => {
                let got: Vec<f64> = out.levels.iter().map(|l| l.objective).collect();
                let names = &out.level_names;
                let level = |n: &str| names.iter().position(|x| *x == n).map(|i| got[i]);
                let ours = [
                    level("exchanges"),
                    level("shortage"),
                    level("teachers_moved"),
                    level("km"),
                ];
                for (i, (o, b)) in ours.iter().zip(best).enumerate() {
                    let o =
                        o.unwrap_or_else(|| panic!("seed {seed}: level {i} missing in {names:?}"));
                    assert!(
                        (o - b).abs() < 1e-3,
                        "seed {seed}: level {} is {o}, the oracle's optimum {b} ({got:?} vs {best:?})",
                        names[i.min(names.len() - 1)]
                    );
                }
                // Each row is one of the oracle's options for its teacher.
                for m in &out.moves {
                    let t = c.inst.teacher_by_id(&m.teacher).expect("teacher");
                    let to = c.inst.school_by_id(&m.to).expect("school");
                    let allowed = options(&c, t).iter().any(|o| match (o, m.kind) {
                        (Opt::Transfer(x), MoveKind::Transfer) => *x == to,
                        (Opt::Exchange(x, _), MoveKind::Exchange) => *x == to,
                        _ => false,
                    });
                    assert!(allowed, "seed {seed}: {m:?} breaks a rule");
                    assert_eq!(c.inst.school_by_id(&m.from), Some(at(&c.inst.teachers[t])));
                }
                // The rows add up to the levels.
                let exchanges = out
                    .moves
                    .iter()
                    .filter(|m| m.kind == MoveKind::Exchange)
                    .count();
                assert_eq!(exchanges as f64, best[0], "seed {seed}");
                assert_eq!(out.moves.len() as f64, best[2], "seed {seed}");
                let moved_km: f64 = out
                    .moves
                    .iter()
                    .map(|m| {
                        let s = |id: &str| c.inst.school_by_id(id).expect("school");
                        km(&c.inst, s(&m.from), s(&m.to))
                    })
                    .sum();
                assert!(
                    (moved_km - best[3]).abs() < 1e-3,
                    "seed {seed}: rows {moved_km} km"
                );
                solved += 1;
            }
            (Err(_), None) => infeasible += 1,
            (Ok(out), None) => panic!(
                "seed {seed}: solver found {:?}, the oracle nothing",
                out.moves
            ),
            (Err(e), Some(best)) => {
                panic!("seed {seed}: solver failed ({e}); the oracle found {best:?}")
            }
        }
    }
    eprintln!("moves oracle: {solved} solved, {infeasible} infeasible, corners {corners:?}");
    assert!(
        solved >= 40,
        "only {solved} solved ({infeasible} infeasible)"
    );
    assert!(
        corners.iter().all(|&n| n > 0),
        "corners reached: {corners:?}"
    );
}
