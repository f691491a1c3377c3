//! Pairing against brute force on tiny counties, the rules every policy must keep, and the
//! reasons given for uncovered slots.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::policies::baseline::Baseline;
use super::policies::{self, ComparedPolicy};
use super::problem::QUALITY_EPS;
use super::*;
use crate::domain::grouping::Grouping;
use crate::domain::instance::{Instance, School, Township};
use crate::domain::policy::{PairingLevel, PairingPolicy};
use crate::domain::stage::{SlotStage, Stage};
use crate::plan::{GroupRow, Role};
use crate::solve::mip::{MipOptions, SolveStatus};

/// A school for a test county: (township, stage, quality, x, y, helper).
type S = (usize, Stage, f64, f64, f64, bool);

fn county(townships: &[(bool, bool)], schools: &[S]) -> Instance {
    let mut inst = Instance {
        townships: townships
            .iter()
            .enumerate()
            .map(|(i, &(urban, priority))| Township {
                id: format!("T{i}"),
                name: format!("township {i}"),
                urban,
                x_km: 0.0,
                y_km: 0.0,
                priority,
            })
            .collect(),
        schools: schools
            .iter()
            .enumerate()
            .map(
                |(i, &(township, stage, quality, x_km, y_km, helper))| School {
                    id: format!("S{i:02}"),
                    name: format!("school {i}"),
                    township,
                    stage,
                    quality,
                    students: 100,
                    classes: 4,
                    x_km,
                    y_km,
                    helper,
                    core_eligible: true,
                },
            )
            .collect(),
        ..Instance::default()
    };
    inst.reindex();
    inst
}

/// Groups as (id, core, members).
fn grouping(inst: &Instance, groups: &[(&str, usize, &[usize])]) -> Grouping {
    let mut rows = Vec::new();
    for &(id, core, members) in groups {
        rows.push(GroupRow {
            track: "compulsory".into(),
            group: id.into(),
            school: inst.schools[core].id.clone(),
            role: Role::Core,
        });
        for &m in members {
            rows.push(GroupRow {
                track: "compulsory".into(),
                group: id.into(),
                school: inst.schools[m].id.clone(),
                role: Role::Member,
            });
        }
    }
    Grouping::from_rows(inst, &rows).expect("test groups are valid")
}

fn policy(level: PairingLevel, capacity: usize, gap: f64, weight: f64) -> PairingPolicy {
    PairingPolicy {
        level,
        helper_capacity: capacity,
        min_quality_gap: gap,
        priority_weight: weight,
    }
}

fn options() -> MipOptions {
    MipOptions {
        time_limit_s: 30.0,
        threads: 1,
    }
}

/// P1–P3 checked from scratch (not through `candidates` or `score`).
fn rule_breaks(p: &PairingProblem, picks: &[Pick]) -> Vec<String> {
    let mut out = Vec::new();
    let mut per_slot = vec![0; p.slots.len()];
    let mut per_helper = vec![0; p.inst.schools.len()];
    for pick in picks {
        let slot = &p.slots[pick.slot];
        let h = &p.inst.schools[pick.helper];
        per_slot[pick.slot] += 1;
        per_helper[pick.helper] += 1;
        if !h.helper {
            out.push(format!("{} is not a helper", h.id));
        }
        let ok_stage = match slot.stage {
            SlotStage::Kindergarten => h.stage == Stage::Kindergarten,
            SlotStage::Primary => matches!(h.stage, Stage::Primary | Stage::NineYear),
            SlotStage::Middle => matches!(h.stage, Stage::Middle | Stage::High | Stage::NineYear),
        };
        if !ok_stage {
            out.push(format!("{} cannot serve {}", h.id, slot.stage));
        }
        let reference = match slot.school {
            Some(s) => p.inst.schools[s].quality,
            None => {
                let g = &p.grouping.groups[slot.group.expect("group slot")];
                g.schools
                    .iter()
                    .map(|&s| p.inst.schools[s].quality)
                    .sum::<f64>()
                    / g.schools.len() as f64
            }
        };
        if h.quality + 1e-6 < reference + p.min_gap {
            out.push(format!("{} too weak for {}", h.id, p.slot_label(slot)));
        }
    }
    if per_slot.iter().any(|&n| n > 1) {
        out.push("a slot has two helpers".into());
    }
    if per_helper.iter().any(|&n| n > p.capacity) {
        out.push("a helper is over capacity".into());
    }
    out
}

/// A slot as SPEC's P1 and P4 define it, enumerated here from the instance and the groups
/// (not through the solver's slots): its key, the school distance goes to, the quality P3
/// compares with, and its weight.
#[derive(Debug, Clone, PartialEq)]
struct SpecSlot {
    group: String,
    stage: SlotStage,
    school: Option<usize>,
    target: usize,
    reference: f64,
    weight: f64,
}

/// P1: which slots a school of `stage` opens.
fn opens(stage: Stage) -> Vec<SlotStage> {
    match stage {
        Stage::Kindergarten => vec![SlotStage::Kindergarten],
        Stage::Primary => vec![SlotStage::Primary],
        Stage::Middle => vec![SlotStage::Middle],
        Stage::NineYear => vec![SlotStage::Primary, SlotStage::Middle],
        Stage::High | Stage::Vocational => vec![],
    }
}

/// P1: helpers match slots as middle ← middle/high/nine_year, primary ← primary/nine_year,
/// kindergarten ← kindergarten.
fn fits(helper: Stage, slot: SlotStage) -> bool {
    match slot {
        SlotStage::Middle => matches!(helper, Stage::Middle | Stage::High | Stage::NineYear),
        SlotStage::Primary => matches!(helper, Stage::Primary | Stage::NineYear),
        SlotStage::Kindergarten => helper == Stage::Kindergarten,
    }
}

fn straight_km(inst: &Instance, a: usize, b: usize) -> f64 {
    let (p, q) = (&inst.schools[a], &inst.schools[b]);
    ((p.x_km - q.x_km).powi(2) + (p.y_km - q.y_km).powi(2)).sqrt()
}

fn spec_slots(inst: &Instance, groups: &[OwnedGroup], pol: &PairingPolicy) -> Vec<SpecSlot> {
    let priority = |s: usize| inst.townships[inst.schools[s].township].priority;
    let weight = |p: bool| if p { pol.priority_weight } else { 1.0 };
    let mut out = Vec::new();
    match pol.level {
        PairingLevel::Group => {
            for (id, core, members) in groups {
                let all: Vec<usize> = std::iter::once(*core)
                    .chain(members.iter().copied())
                    .collect();
                let mean =
                    all.iter().map(|&s| inst.schools[s].quality).sum::<f64>() / all.len() as f64;
                for stage in [
                    SlotStage::Kindergarten,
                    SlotStage::Primary,
                    SlotStage::Middle,
                ] {
                    if all
                        .iter()
                        .any(|&s| opens(inst.schools[s].stage).contains(&stage))
                    {
                        out.push(SpecSlot {
                            group: id.clone(),
                            stage,
                            school: None,
                            target: *core,
                            reference: mean,
                            weight: weight(all.iter().any(|&s| priority(s))),
                        });
                    }
                }
            }
        }
        PairingLevel::School => {
            for (s, school) in inst.schools.iter().enumerate() {
                if school.helper || inst.townships[school.township].urban {
                    continue;
                }
                let group = groups
                    .iter()
                    .find(|(_, c, m)| *c == s || m.contains(&s))
                    .map_or(String::new(), |g| g.0.clone());
                for stage in opens(school.stage) {
                    out.push(SpecSlot {
                        group: group.clone(),
                        stage,
                        school: Some(s),
                        target: s,
                        reference: school.quality,
                        weight: weight(priority(s)),
                    });
                }
            }
        }
    }
    out
}

/// P1–P3 for one helper and one slot.
fn may_fill(inst: &Instance, pol: &PairingPolicy, h: usize, slot: &SpecSlot) -> bool {
    let helper = &inst.schools[h];
    helper.helper
        && fits(helper.stage, slot.stage)
        && helper.quality + 1e-6 >= slot.reference + pol.min_quality_gap
}

/// The lexicographic optimum (max covered weight, then min km) over every assignment of a
/// helper or none to each slot, within helper_capacity.
fn brute_force(inst: &Instance, groups: &[OwnedGroup], pol: &PairingPolicy) -> (f64, f64) {
    let slots = spec_slots(inst, groups, pol);
    let helpers: Vec<usize> = (0..inst.schools.len())
        .filter(|&s| inst.schools[s].helper)
        .collect();
    let mut choice = vec![0usize; slots.len()];
    let mut best = (f64::NEG_INFINITY, f64::INFINITY);
    loop {
        let mut load = vec![0usize; inst.schools.len()];
        let (mut w, mut km, mut ok) = (0.0, 0.0, true);
        for (slot, &c) in slots.iter().zip(&choice) {
            if c == 0 {
                continue;
            }
            let h = helpers[c - 1];
            load[h] += 1;
            ok &= may_fill(inst, pol, h, slot) && load[h] <= pol.helper_capacity;
            w += slot.weight;
            km += straight_km(inst, h, slot.target);
        }
        if ok && (w > best.0 + 1e-9 || ((w - best.0).abs() <= 1e-9 && km < best.1 - 1e-9)) {
            best = (w, km);
        }
        // Next assignment, odometer style.
        let mut i = 0;
        loop {
            if i == slots.len() {
                return best;
            }
            choice[i] += 1;
            if choice[i] <= helpers.len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

/// The solver's `pairings.csv` rows judged against the SPEC slots: each row fills an existing
/// slot with a helper that may fill it, one helper per slot, within capacity; returns the
/// covered weight and km, or the first rule broken.
fn judge_rows(
    inst: &Instance,
    groups: &[OwnedGroup],
    pol: &PairingPolicy,
    rows: &[crate::plan::PairingRow],
) -> Result<(f64, f64), String> {
    let slots = spec_slots(inst, groups, pol);
    let mut used = vec![false; slots.len()];
    let mut load = vec![0usize; inst.schools.len()];
    let (mut w, mut km) = (0.0, 0.0);
    for r in rows {
        let h = inst.school_by_id(&r.helper).ok_or("unknown helper")?;
        let school = r.school.as_deref().and_then(|s| inst.school_by_id(s));
        let k = slots
            .iter()
            .position(|s| {
                s.stage == r.stage
                    && match pol.level {
                        PairingLevel::Group => s.group == r.group,
                        PairingLevel::School => s.school == school,
                    }
            })
            .ok_or(format!("P1: no slot {} {}", r.group, r.stage))?;
        if std::mem::replace(&mut used[k], true) {
            return Err("P1: two helpers for a slot".into());
        }
        if !may_fill(inst, pol, h, &slots[k]) {
            return Err(format!(
                "P1/P3: {} may not fill {} {}",
                r.helper, r.group, r.stage
            ));
        }
        load[h] += 1;
        if load[h] > pol.helper_capacity {
            return Err("P2".into());
        }
        w += slots[k].weight;
        km += straight_km(inst, h, slots[k].target);
    }
    Ok((w, km))
}

/// A group as (id, core, members).
type OwnedGroup = (String, usize, Vec<usize>);

const STAGES: [Stage; 5] = [
    Stage::Kindergarten,
    Stage::Primary,
    Stage::Middle,
    Stage::NineYear,
    Stage::High,
];

/// A random tiny county: 2–3 townships (the first urban), 2 groups or school level, 2–5
/// helpers; sized so brute force stays small (≤ 6 slots, ≤ 5 helpers).
fn random_case(seed: u64, level: PairingLevel) -> (Instance, Vec<OwnedGroup>, PairingPolicy) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_town = rng.gen_range(2..=3);
    let townships: Vec<(bool, bool)> = (0..n_town)
        .map(|t| (t == 0, t > 0 && rng.gen_bool(0.5)))
        .collect();
    let mut schools: Vec<S> = Vec::new();
    let n_helpers = rng.gen_range(2..=5);
    for _ in 0..n_helpers {
        let stage = STAGES[rng.gen_range(0..STAGES.len())];
        let q = rng.gen_range(60..=95) as f64;
        schools.push((
            0,
            stage,
            q,
            rng.gen_range(-3.0..3.0),
            rng.gen_range(-3.0..3.0),
            true,
        ));
    }
    let n_other = match level {
        PairingLevel::Group => rng.gen_range(3..=5),
        PairingLevel::School => rng.gen_range(2..=3),
    };
    for _ in 0..n_other {
        let stage = STAGES[rng.gen_range(0..4)];
        let t = rng.gen_range(1..n_town);
        let q = rng.gen_range(40..=85) as f64;
        let x = rng.gen_range(-30.0..30.0);
        let y = rng.gen_range(-30.0..30.0);
        schools.push((t, stage, q, x, y, false));
    }
    let inst = county(&townships, &schools);
    let others: Vec<usize> = (n_helpers..schools.len()).collect();
    let split = others.len() / 2;
    let groups = vec![
        ("g-1".to_string(), others[0], others[1..split].to_vec()),
        (
            "g-2".to_string(),
            others[split],
            others[split + 1..].to_vec(),
        ),
    ];
    let pol = policy(
        level,
        rng.gen_range(1..=2),
        [0.0, 5.0, 15.0][rng.gen_range(0..3)],
        [1.0, 2.0, 3.5][rng.gen_range(0..3)],
    );
    (inst, groups, pol)
}

fn groups_ref(groups: &[OwnedGroup]) -> Vec<(&str, usize, &[usize])> {
    groups
        .iter()
        .map(|(id, c, m)| (id.as_str(), *c, m.as_slice()))
        .collect()
}

#[test]
fn mip_matches_brute_force_on_tiny_counties() {
    let mut checked = 0;
    for seed in 0..60u64 {
        let level = if seed % 3 == 2 {
            PairingLevel::School
        } else {
            PairingLevel::Group
        };
        let (inst, groups, pol) = random_case(seed, level);
        let grouping = grouping(&inst, &groups_ref(&groups));
        let p = PairingProblem::new(&inst, &grouping, &pol);
        if spec_slots(&inst, &groups, &pol).len() > 6 {
            continue;
        }
        let (w, km) = brute_force(&inst, &groups, &pol);
        let out = pair(&p, &options()).expect("solve");
        assert_eq!(
            out.optimal.lex.status(),
            SolveStatus::Optimal,
            "seed {seed}"
        );
        let (rw, rkm) = judge_rows(&inst, &groups, &pol, &out.rows)
            .unwrap_or_else(|e| panic!("seed {seed}: solver's pairings break {e}"));
        assert!(
            (rw - w).abs() < 1e-6 && (rkm - km).abs() < 1e-6,
            "seed {seed}: rows cover {rw} at {rkm} km; brute force {w} at {km} km"
        );
        assert!(
            (out.metrics.covered_weight - w).abs() < 1e-6,
            "seed {seed}: weight {} vs brute force {w}",
            out.metrics.covered_weight
        );
        assert!(
            (out.metrics.total_km - km).abs() < 1e-6,
            "seed {seed}: km {} vs brute force {km}",
            out.metrics.total_km
        );
        let obj = &out.optimal.lex.levels;
        assert!((obj[0].objective - w).abs() < 1e-6 && (obj[1].objective - km).abs() < 1e-6);
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases were small enough");
}

#[test]
fn every_generated_policy_keeps_p1_p2_p3() {
    for seed in 100..130u64 {
        let level = if seed % 2 == 0 {
            PairingLevel::School
        } else {
            PairingLevel::Group
        };
        let (inst, groups, pol) = random_case(seed, level);
        let grouping = grouping(&inst, &groups_ref(&groups));
        let p = PairingProblem::new(&inst, &grouping, &pol);
        let optimum = pair(&p, &options()).expect("solve").metrics;
        for policy in policies::standard(options(), seed, 30) {
            let run = policy.run(&p).expect("run");
            assert!(!run.draws.is_empty());
            for d in &run.draws {
                let breaks = rule_breaks(&p, d);
                assert!(
                    breaks.is_empty(),
                    "seed {seed} {}: {breaks:?}",
                    policy.key()
                );
                let m = score::score(&p, &[], d);
                assert!(m.rule_abiding());
                // No rule-abiding policy beats the optimum on weight, nor on km at equal weight.
                assert!(m.covered_weight <= optimum.covered_weight + 1e-9);
                if (m.covered_weight - optimum.covered_weight).abs() < 1e-9 {
                    assert!(
                        m.total_km >= optimum.total_km - 1e-6,
                        "seed {seed} {}",
                        policy.key()
                    );
                }
            }
        }
    }
}

/// Two groups far from town; helpers in town.
fn small_county(helpers: &[(Stage, f64)]) -> Instance {
    let mut schools: Vec<S> = vec![
        (1, Stage::Kindergarten, 60.0, 20.0, 0.0, false),
        (1, Stage::Primary, 62.0, 21.0, 0.0, false),
        (2, Stage::Middle, 58.0, -20.0, 0.0, false),
        (2, Stage::NineYear, 64.0, -21.0, 0.0, false),
    ];
    for (i, &(stage, q)) in helpers.iter().enumerate() {
        schools.push((0, stage, q, i as f64, 1.0, true));
    }
    county(&[(true, false), (false, true), (false, false)], &schools)
}

fn small_groups(inst: &Instance) -> Grouping {
    grouping(inst, &[("g-1", 1, &[0]), ("g-2", 3, &[2])])
}

#[test]
fn slots_follow_p1_and_p4() {
    let inst = small_county(&[]);
    let g = small_groups(&inst);
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::Group, 2, 0.0, 2.0));
    let got: Vec<(String, f64)> = p
        .slots
        .iter()
        .map(|s| (p.slot_label(s), s.weight))
        .collect();
    assert_eq!(
        got,
        vec![
            ("g-1 kindergarten".into(), 2.0),
            ("g-1 primary".into(), 2.0),
            ("g-2 primary".into(), 1.0),
            ("g-2 middle".into(), 1.0),
        ]
    );
    assert!((p.slots[0].quality - 61.0).abs() < 1e-9);
    // School level: a nine-year school has two slots, distance to the school itself.
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::School, 2, 0.0, 2.0));
    assert_eq!(p.slots.len(), 5);
    assert_eq!(p.slots.iter().filter(|s| s.school == Some(3)).count(), 2);
    assert!(
        p.slots
            .iter()
            .all(|s| s.target == s.school.unwrap_or(usize::MAX))
    );
}

#[test]
fn no_helpers_is_zero_coverage_with_a_reason() {
    let inst = small_county(&[]);
    let g = small_groups(&inst);
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::Group, 2, 0.0, 2.0));
    let out = pair(&p, &options()).expect("solve");
    assert_eq!(out.optimal.lex.status(), SolveStatus::Optimal);
    assert!(out.rows.is_empty());
    assert_eq!(out.uncovered.len(), 4);
    assert!(
        out.uncovered[0].reason.contains("no helper school"),
        "{}",
        out.uncovered[0].reason
    );
}

#[test]
fn reasons_name_the_rule_and_the_numbers() {
    // A kindergarten helper too weak for g-1 (mean 61, gap 5 → 66), one primary helper of
    // capacity 1 for two primary slots, no middle helper.
    let inst = small_county(&[(Stage::Kindergarten, 64.0), (Stage::Primary, 90.0)]);
    let g = small_groups(&inst);
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::Group, 1, 5.0, 2.0));
    let out = pair(&p, &options()).expect("solve");
    let reasons: Vec<(String, &str)> = out
        .uncovered
        .iter()
        .map(|u| (p.slot_label(&p.slots[u.slot]), u.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0].0, "g-1 kindergarten");
    assert!(
        reasons[0]
            .1
            .starts_with("P3: no kindergarten helper has quality ≥ 66"),
        "{}",
        reasons[0].1
    );
    assert!(
        reasons[0].1.contains("S04 school 4 at 64, 2 short"),
        "{}",
        reasons[0].1
    );
    // The primary helper goes to the priority group g-1 (weight 2); g-2's primary waits.
    assert_eq!(reasons[1].0, "g-2 primary");
    assert!(
        reasons[1]
            .1
            .starts_with("P2: the only primary helper with quality ≥ 66 is at capacity 1"),
        "{}",
        reasons[1].1
    );
    assert!(reasons[1].1.contains("S05 school 5"), "{}", reasons[1].1);
    assert_eq!(reasons[2].0, "g-2 middle");
    assert!(
        reasons[2]
            .1
            .starts_with("P1: no helper can serve a middle slot"),
        "{}",
        reasons[2].1
    );
}

#[test]
fn p3_equal_quality_is_enough() {
    // Mean of g-1 is exactly 61; a helper of 61 meets P3 with gap 0 despite float noise.
    let inst = small_county(&[(Stage::Kindergarten, 61.0)]);
    let g = small_groups(&inst);
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::Group, 2, 0.0, 2.0));
    assert!(p.meets_quality(&p.slots[0], 4));
    assert!(inst.schools[4].quality >= p.slots[0].quality - QUALITY_EPS);
}

#[test]
fn baseline_is_scored_as_given_with_its_violations() {
    let inst = small_county(&[(Stage::Kindergarten, 64.0), (Stage::Primary, 90.0)]);
    let g = small_groups(&inst);
    let p = PairingProblem::new(&inst, &g, &policy(PairingLevel::Group, 1, 5.0, 2.0));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("base.csv");
    // Row 2: too weak (P3). Rows 3-4: S05 twice (P2). Row 5: kindergarten helper on a
    // middle slot (P1). Row 6: a stage g-1 does not serve (P1).
    std::fs::write(
        &file,
        "helper,group,stage\nS04,g-1,kindergarten\nS05,g-1,primary\nS05,g-2,primary\nS04,g-2,middle\nS05,g-1,middle\n",
    )
    .expect("write");
    let b = Baseline::load(&file, &p).expect("loads");
    let run = b.run(&p).expect("run");
    let m = score::score(&p, &run.extra_slots, &run.draws[0]);
    assert_eq!(m.rows, 5);
    assert_eq!(m.covered_slots, 4);
    assert_eq!(m.over_capacity, 2);
    assert_eq!(m.p1_violations, 2);
    assert_eq!(m.p3_violations, 2);
    assert!(!m.rule_abiding());

    std::fs::write(
        &file,
        "helper,group,stage\nS04,g-1,kindergarten\nS05,g-3,primary\nS99,g-1,primary\n",
    )
    .expect("write");
    let err = Baseline::load(&file, &p).expect_err("unknown ids");
    let shown: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].starts_with("base.csv:3:2: unknown group"),
        "{shown:?}"
    );
    assert!(shown[0].contains("did you mean `g-1`"), "{shown:?}");
    assert!(
        shown[1].starts_with("base.csv:4:1: unknown school"),
        "{shown:?}"
    );
}

#[test]
fn hezhang_seed_groups_optimal_beats_the_real_pairing_on_km() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang");
    let inst = crate::io::read_instance(&root).expect("hezhang reads");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root.join("groups_seed.csv"), dir.path().join("groups.csv")).expect("copy");
    let rows = crate::io::plan_files::read_groups(dir.path()).expect("groups");
    let g = Grouping::from_rows(&inst, &rows).expect("resolves");
    let pol = policy(PairingLevel::Group, 2, 0.0, 2.0);
    let p = PairingProblem::new(&inst, &g, &pol);
    assert_eq!(
        p.slots.len(),
        24,
        "8 compulsory groups × 3 stages; high groups have none"
    );
    let out = pair(&p, &options()).expect("solve");
    assert_eq!(out.optimal.lex.status(), SolveStatus::Optimal);
    let b = Baseline::load(&root.join("baseline_pairings.csv"), &p).expect("baseline");
    let base = score::score(&p, &b.extra_slots, &b.picks);
    assert_eq!(base.rows, 24);
    assert!(base.rule_abiding(), "{base:?}");
    assert!(out.metrics.covered_weight >= base.covered_weight - 1e-9);
    assert!(out.metrics.total_km <= base.total_km + 1e-6);
}

#[test]
fn relaxing_capacity_or_quality_gap_never_lowers_coverage() {
    for seed in 200..230u64 {
        let level = if seed % 2 == 0 {
            PairingLevel::School
        } else {
            PairingLevel::Group
        };
        let (inst, groups, pol) = random_case(seed, level);
        let grouping = grouping(&inst, &groups_ref(&groups));
        let base = pair(&PairingProblem::new(&inst, &grouping, &pol), &options())
            .expect("solve")
            .metrics;
        let looser = [
            PairingPolicy {
                helper_capacity: pol.helper_capacity + 1,
                ..pol.clone()
            },
            PairingPolicy {
                min_quality_gap: pol.min_quality_gap - 5.0,
                ..pol.clone()
            },
        ];
        for l in looser {
            let m = pair(&PairingProblem::new(&inst, &grouping, &l), &options())
                .expect("solve")
                .metrics;
            assert!(
                m.covered_weight >= base.covered_weight - 1e-9,
                "seed {seed}"
            );
            if (m.covered_weight - base.covered_weight).abs() < 1e-9 {
                assert!(m.total_km <= base.total_km + 1e-6, "seed {seed}");
            }
        }
    }
}
