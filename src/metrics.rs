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
    pub fn floor_key(self) -> &'static str {
        match self {
            Measure::Key => "key_per_100_students",
            Measure::PeArts => "pe_arts_per_100_students",
            Measure::Qualified => "qualified_per_100_students",
        }
    }
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
        let tt = &inst.teachers[t];
        let counts = match measure {
            Measure::Key => tt.key,
            Measure::PeArts => matches!(tt.subject.as_str(), "pe" | "music" | "art"),
            Measure::Qualified => phase.qualified(tt.degree),
        };
        if counts {
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
