//! Measures a county is judged on, computed from the instance and the plan rows alone so
//! `rotate` and later `report` give the same figures: shortage before and after, moves per
//! group against the T2 cap, and the 2017 balanced-education coefficients of variation and
//! per-school floors.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::domain::grouping::Grouping;
use crate::domain::instance::{Degree, Instance};
use crate::domain::policy::Policy;
use crate::domain::stage::Stage;
use crate::io::summary::num;
use crate::plan::{MoveKind, MoveRow, ReturnRow};

/// Where every teacher works after this summer's returns, and in the coming year.
#[derive(Debug, Clone)]
pub struct Placement {
    pub before: Vec<usize>,
    pub after: Vec<usize>,
}

impl Placement {
    /// Applies `returns` (host → home) then `moves`; unknown ids are ignored (the plan files
    /// were checked where they were read).
    pub fn from_rows(inst: &Instance, returns: &[ReturnRow], moves: &[MoveRow]) -> Placement {
        let mut before: Vec<usize> = inst.teachers.iter().map(|t| t.school).collect();
        for r in returns {
            if let (Some(t), Some(s)) = (inst.teacher_by_id(&r.teacher), inst.school_by_id(&r.to)) {
                before[t] = s;
            }
        }
        let mut after = before.clone();
        for m in moves {
            if let (Some(t), Some(s)) = (inst.teacher_by_id(&m.teacher), inst.school_by_id(&m.to)) {
                after[t] = s;
            }
        }
        Placement { before, after }
    }
}

/// The 2017 evaluation's school sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Primary,
    Middle,
}

impl Phase {
    pub const ALL: [Phase; 2] = [Phase::Primary, Phase::Middle];
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Primary => "primary",
            Phase::Middle => "middle",
        }
    }
    /// nine_year schools count in both.
    pub fn includes(self, stage: Stage) -> bool {
        matches!(
            (self, stage),
            (Phase::Primary, Stage::Primary | Stage::NineYear)
                | (Phase::Middle, Stage::Middle | Stage::NineYear)
        )
    }
    /// Above the required degree: college+ in primary, bachelor+ in middle; none = not.
    pub fn qualified(self, degree: Option<Degree>) -> bool {
        match (self, degree) {
            (_, None) => false,
            (Phase::Primary, Some(d)) => d <= Degree::College,
            (Phase::Middle, Some(d)) => d <= Degree::Bachelor,
        }
    }
    fn floor(self, m: Measure) -> f64 {
        match (m, self) {
            (Measure::Qualified, Phase::Primary) => 4.2,
            (Measure::Qualified, Phase::Middle) => 5.3,
            (Measure::Key, _) => 1.0,
            (Measure::PeArts, _) => 0.9,
        }
    }
}

/// The three per-100-students measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Key,
    PeArts,
    Qualified,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Key, Measure::PeArts, Measure::Qualified];
    pub fn cv_key(self) -> &'static str {
        match self {
            Measure::Key => "cv_key_per_100_students",
            Measure::PeArts => "cv_pe_arts_per_100_students",
            Measure::Qualified => "cv_qualified_per_100_students",
        }
    }
    /// The measure's name in the `indicators` block (`key_primary`, ...).
    pub fn short(self) -> &'static str {
        match self {
            Measure::Key => "key",
            Measure::PeArts => "pe_arts",
            Measure::Qualified => "qualified",
        }
    }
    pub fn floor_key(self) -> &'static str {
        match self {
            Measure::Key => "key_per_100_students",
            Measure::PeArts => "pe_arts_per_100_students",
            Measure::Qualified => "qualified_per_100_students",
        }
    }
}

/// Whether a teacher counts in `measure` for `phase` (by main subject; no degree = not
/// qualified).
pub fn counts_in(
    teacher: &crate::domain::instance::Teacher,
    phase: Phase,
    measure: Measure,
) -> bool {
    match measure {
        Measure::Key => teacher.key,
        Measure::PeArts => matches!(teacher.subject.as_str(), "pe" | "music" | "art"),
        Measure::Qualified => phase.qualified(teacher.degree),
    }
}

/// The 2017 evaluation's CV threshold: 0.50 primary, 0.45 middle.
pub fn cv_threshold(phase: Phase) -> f64 {
    match phase {
        Phase::Primary => 0.50,
        Phase::Middle => 0.45,
    }
}

/// Student-weighted mean X̄ and spread S of per-school values; `None` without students.
pub fn weighted_mean_sd(values: &[(f64, f64)]) -> Option<(f64, f64)> {
    let p: f64 = values.iter().map(|v| v.0).sum();
    if p <= 0.0 {
        return None;
    }
    let mean: f64 = values.iter().map(|&(pi, x)| pi / p * x).sum();
    let var: f64 = values
        .iter()
        .map(|&(pi, x)| pi / p * (x - mean).powi(2))
        .sum();
    Some((mean, var.max(0.0).sqrt()))
}

/// One term of the total CV excess E (SPEC Objectives): max(0, (S − c·X̄) / X̄⁰); 0 when
/// X̄⁰ = 0 (the term is left out) or there are no schools.
pub fn excess_term(after: &[(f64, f64)], mean_before: f64, threshold: f64) -> f64 {
    match weighted_mean_sd(after) {
        Some((mean, sd)) if mean_before > 0.0 => ((sd - threshold * mean) / mean_before).max(0.0),
        _ => 0.0,
    }
}

/// One of the six CVs before and after the moves, against its threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct CvIndicator {
    pub phase: Phase,
    pub measure: Measure,
    pub threshold: f64,
    pub cv_before: f64,
    pub cv_after: f64,
    pub excess_before: f64,
    pub excess_after: f64,
}

/// The six CVs (measure-major) and their excess terms, from where teachers work after the
/// returns (`before`) and in the coming year (`after`).
pub fn cv_indicators(inst: &Instance, before: &[usize], after: &[usize]) -> Vec<CvIndicator> {
    let mut out = Vec::new();
    for measure in Measure::ALL {
        for phase in Phase::ALL {
            let vb = school_values(inst, before, phase, measure);
            let va = school_values(inst, after, phase, measure);
            let mean_before = weighted_mean_sd(&vb).map_or(0.0, |m| m.0);
            let threshold = cv_threshold(phase);
            out.push(CvIndicator {
                phase,
                measure,
                threshold,
                cv_before: weighted_cv(&vb),
                cv_after: weighted_cv(&va),
                excess_before: excess_term(&vb, mean_before, threshold),
                excess_after: excess_term(&va, mean_before, threshold),
            });
        }
    }
    out
}

/// Total CV excess E = Σ of the six terms.
pub fn total_excess(indicators: &[CvIndicator], after: bool) -> f64 {
    indicators
        .iter()
        .map(|i| {
            if after {
                i.excess_after
            } else {
                i.excess_before
            }
        })
        .sum()
}

/// The `indicators` block of summary.json.
pub fn indicators_block(inst: &Instance, placement: &Placement) -> Value {
    let all = cv_indicators(inst, &placement.before, &placement.after);
    let mut cvs = Map::new();
    for i in &all {
        let mut e = Map::new();
        e.insert("before".into(), num(i.cv_before));
        e.insert("after".into(), num(i.cv_after));
        e.insert("threshold".into(), num(i.threshold));
        e.insert("excess_before".into(), num(i.excess_before));
        e.insert("excess_after".into(), num(i.excess_after));
        let key = format!("{}_{}", i.measure.short(), i.phase.as_str());
        cvs.insert(key, Value::Object(e));
    }
    let mut m = Map::new();
    m.insert("cvs".into(), Value::Object(cvs));
    m.insert("excess_before".into(), num(total_excess(&all, false)));
    m.insert("excess_after".into(), num(total_excess(&all, true)));
    Value::Object(m)
}

/// Per school of the phase with students: (students, value per 100 students).
pub fn school_values(
    inst: &Instance,
    loc: &[usize],
    phase: Phase,
    measure: Measure,
) -> Vec<(f64, f64)> {
    let mut count = vec![0u32; inst.schools.len()];
    for (t, &s) in loc.iter().enumerate() {
        if counts_in(&inst.teachers[t], phase, measure) {
            count[s] += 1;
        }
    }
    inst.schools
        .iter()
        .enumerate()
        .filter(|(_, s)| phase.includes(s.stage) && s.students > 0)
        .map(|(i, s)| {
            let p = s.students as f64;
            (p, count[i] as f64 * 100.0 / p)
        })
        .collect()
}

/// Student-weighted coefficient of variation: X̄ = Σ(P_i/P)X_i, S = sqrt(Σ(P_i/P)(X_i−X̄)²),
/// CV = S/X̄ (NaN when there are no schools or X̄ = 0).
pub fn weighted_cv(values: &[(f64, f64)]) -> f64 {
    let p: f64 = values.iter().map(|v| v.0).sum();
    if p <= 0.0 {
        return f64::NAN;
    }
    let mean: f64 = values.iter().map(|&(pi, x)| pi / p * x).sum();
    let var: f64 = values
        .iter()
        .map(|&(pi, x)| pi / p * (x - mean).powi(2))
        .sum();
    if mean == 0.0 {
        return f64::NAN;
    }
    var.sqrt() / mean
}

/// Moves per group: transfers out of the group's schools, exchanges on its pairings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupMoves {
    pub transfers: u32,
    pub exchanges: u32,
    pub staff: u32,
    pub cap: u32,
}

pub fn group_moves(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    placement: &Placement,
    moves: &[MoveRow],
) -> BTreeMap<String, GroupMoves> {
    let mut out: BTreeMap<String, GroupMoves> = grouping
        .groups
        .iter()
        .map(|g| (g.id.clone(), GroupMoves::default()))
        .collect();
    let group_of = |s: usize| grouping.school_group.get(s).copied().flatten();
    for &s in &placement.before {
        if let Some(e) = group_of(s).and_then(|g| out.get_mut(&grouping.groups[g].id)) {
            e.staff += 1;
        }
    }
    for e in out.values_mut() {
        e.cap = (policy.rotation.cross_cap_share * e.staff as f64 + 1e-9).floor() as u32;
    }
    for m in moves {
        let (Some(from), Some(to)) = (inst.school_by_id(&m.from), inst.school_by_id(&m.to)) else {
            continue;
        };
        match m.kind {
            MoveKind::Transfer => {
                if let Some(e) = group_of(from).and_then(|g| out.get_mut(&grouping.groups[g].id)) {
                    e.transfers += 1;
                }
            }
            MoveKind::Exchange => {
                // An exchange belongs to the pairing it runs on, i.e. to the helped school's
                // group, even when the helper sits in a group of its own (a high school
                // helping a compulsory group).
                let helped = if inst.schools[from].helper { to } else { from };
                if let Some(e) = group_of(helped).and_then(|g| out.get_mut(&grouping.groups[g].id))
                {
                    e.exchanges += 1;
                }
            }
        }
    }
    out
}

/// Every metric of summary.json that `rotate` writes (top-level keys).
pub fn rotation_metrics(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    returns: &[ReturnRow],
    moves: &[MoveRow],
    shortage_by_subject: &BTreeMap<String, (f64, f64)>,
) -> Map<String, Value> {
    let placement = Placement::from_rows(inst, returns, moves);
    let mut m = Map::new();
    let before: f64 = shortage_by_subject.values().map(|v| v.0).sum();
    let after: f64 = shortage_by_subject.values().map(|v| v.1).sum();
    m.insert("shortage_before".into(), num(before));
    m.insert("shortage_after".into(), num(after));
    let mut by = Map::new();
    for (k, &(b, a)) in shortage_by_subject {
        let mut e = Map::new();
        e.insert("before".into(), num(b));
        e.insert("after".into(), num(a));
        by.insert(k.clone(), Value::Object(e));
    }
    m.insert("shortage_by_subject".into(), Value::Object(by));

    let transfers = moves
        .iter()
        .filter(|r| r.kind == MoveKind::Transfer)
        .count();
    let exchanges = moves.len() - transfers;
    let mut mv = Map::new();
    mv.insert("transfer".into(), Value::from(transfers));
    mv.insert("exchange".into(), Value::from(exchanges));
    mv.insert("total".into(), Value::from(moves.len()));
    let mut per = Map::new();
    for (g, e) in group_moves(inst, policy, grouping, &placement, moves) {
        let mut o = Map::new();
        o.insert("transfers".into(), Value::from(e.transfers));
        o.insert("exchanges".into(), Value::from(e.exchanges));
        o.insert("staff".into(), Value::from(e.staff));
        o.insert("cap".into(), Value::from(e.cap));
        o.insert(
            "used_share".into(),
            num(if e.cap > 0 {
                e.transfers as f64 / e.cap as f64
            } else if e.transfers == 0 {
                0.0
            } else {
                f64::INFINITY
            }),
        );
        per.insert(g, Value::Object(o));
    }
    mv.insert("per_group".into(), Value::Object(per));
    m.insert("moves".into(), Value::Object(mv));

    let mut floors = Map::new();
    for phase in Phase::ALL {
        floors.insert(phase.as_str().into(), Value::Object(Map::new()));
    }
    for measure in Measure::ALL {
        let mut cv = Map::new();
        for phase in Phase::ALL {
            let vb = school_values(inst, &placement.before, phase, measure);
            let va = school_values(inst, &placement.after, phase, measure);
            let mut e = Map::new();
            e.insert("before".into(), num(weighted_cv(&vb)));
            e.insert("after".into(), num(weighted_cv(&va)));
            cv.insert(phase.as_str().into(), Value::Object(e));
            let floor = phase.floor(measure);
            let meets = |v: &[(f64, f64)]| v.iter().filter(|x| x.1 >= floor - 1e-9).count();
            let mut f = Map::new();
            f.insert("floor".into(), num(floor));
            f.insert("schools".into(), Value::from(vb.len()));
            f.insert("meet_before".into(), Value::from(meets(&vb)));
            f.insert("meet_after".into(), Value::from(meets(&va)));
            if let Some(Value::Object(p)) = floors.get_mut(phase.as_str()) {
                p.insert(measure.floor_key().into(), Value::Object(f));
            }
        }
        m.insert(measure.cv_key().into(), Value::Object(cv));
    }
    m.insert("floors".into(), Value::Object(floors));
    m.insert("indicators".into(), indicators_block(inst, &placement));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_cv_matches_a_hand_computation() {
        // X = 1 (P=100), 3 (P=300): X̄ = 2.5, S² = .25·2.25 + .75·0.25 = 0.75.
        let cv = weighted_cv(&[(100.0, 1.0), (300.0, 3.0)]);
        assert!((cv - 0.75f64.sqrt() / 2.5).abs() < 1e-12);
        assert!(weighted_cv(&[]).is_nan());
        assert_eq!(weighted_cv(&[(10.0, 2.0), (20.0, 2.0)]), 0.0);
    }

    #[test]
    fn excess_term_matches_a_hand_computation() {
        // X = 1 (P=100), 3 (P=300): X̄ = 2.5, S = sqrt(0.75) ≈ 0.866; c = 0.2: S − 0.5 = 0.366.
        let v = [(100.0, 1.0), (300.0, 3.0)];
        let e = excess_term(&v, 2.0, 0.2);
        assert!((e - (0.75f64.sqrt() - 0.5) / 2.0).abs() < 1e-12);
        assert_eq!(excess_term(&v, 2.0, 0.5), 0.0);
        assert_eq!(excess_term(&v, 0.0, 0.2), 0.0);
        assert_eq!(excess_term(&[], 1.0, 0.2), 0.0);
    }

    #[test]
    fn qualification_depends_on_the_phase() {
        assert!(Phase::Primary.qualified(Some(Degree::College)));
        assert!(!Phase::Middle.qualified(Some(Degree::College)));
        assert!(Phase::Middle.qualified(Some(Degree::Bachelor)));
        assert!(!Phase::Primary.qualified(None));
        assert!(
            Phase::Primary.includes(Stage::NineYear) && Phase::Middle.includes(Stage::NineYear)
        );
    }
}
