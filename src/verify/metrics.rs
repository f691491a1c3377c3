//! The summary's metrics recomputed from the plan files: shortage, moves and caps, the 2017
//! coefficients of variation and floors, and the rotation objective.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::Groups;
use super::moves::Outcome;
use super::shortage::{SchoolShortage, school_shortage};
use super::{Audit, close, fmt_num, spec};
use crate::domain::instance::Degree;
use crate::domain::stage::Stage;
use crate::plan::MoveKind;

/// Where each teacher works and which subjects they may cover, before or after the moves.
struct Staffing {
    school: Vec<usize>,
    /// `Some(subject)` when the teacher's subject is settled by a move.
    settled: Vec<Option<String>>,
}

pub(crate) fn check(a: &mut Audit, groups: &Groups, out: &Outcome) {
    let before = Staffing {
        school: out.after_returns.clone(),
        settled: vec![None; a.inst.teachers.len()],
    };
    let mut after = Staffing {
        school: out.after_returns.clone(),
        settled: vec![None; a.inst.teachers.len()],
    };
    let mut moved = BTreeSet::new();
    for m in &out.moves {
        // A teacher moved twice (F2) counts at the first destination.
        if moved.insert(m.teacher) {
            after.school[m.teacher] = m.to;
            after.settled[m.teacher] = Some(m.subject.clone());
        }
    }
    let sb = shortage(a, &before);
    let sa = shortage(a, &after);
    let total = |v: &[SchoolShortage]| v.iter().map(|s| s.weighted).sum::<f64>();
    let (tb, ta) = (total(&sb), total(&sa));
    a.compare(&["shortage_before"], tb);
    a.compare(&["shortage_after"], ta);
    compare_by_subject(a, &sb, &sa, tb, ta);
    compare_moves(a, groups, out);
    for (key, value) in [
        ("key", Value::Key),
        ("pe_arts", Value::PeArts),
        ("qualified", Value::Qualified),
    ] {
        let name = format!("cv_{key}_per_100_students");
        let floor_name = format!("{key}_per_100_students");
        for band in [Band::Primary, Band::Middle] {
            let xb = per_school(a, &before, band, value);
            let xa = per_school(a, &after, band, value);
            a.compare(&[&name, band.name(), "before"], cv(&xb));
            a.compare(&[&name, band.name(), "after"], cv(&xa));
            let floor = value.floor(band);
            let meet = |x: &[(f64, f64)]| x.iter().filter(|(v, _)| *v >= floor - 1e-9).count();
            let base = ["floors", band.name(), floor_name.as_str()];
            let path = |k: &'static str| {
                let mut p = base.to_vec();
                p.push(k);
                p
            };
            a.compare(&path("floor"), floor);
            a.compare(&path("schools"), xb.len() as f64);
            a.compare(&path("meet_before"), meet(&xb) as f64);
            a.compare(&path("meet_after"), meet(&xa) as f64);
        }
    }
    // The rotation objective, level by level, and the returns it reports.
    let exchanges = out
        .moves
        .iter()
        .filter(|m| m.kind == MoveKind::Exchange)
        .count();
    let km: f64 = out.moves.iter().map(|m| a.geo.km(m.from, m.to)).sum();
    let mut levels = vec![
        ("exchanges", exchanges as f64),
        ("shortage", ta),
        ("teachers_moved", moved.len() as f64),
        ("km", km),
    ];
    if a.extras.minimise_cv_excess {
        let mut six = Vec::new();
        for (measure, value) in [
            ("key", Value::Key),
            ("pe_arts", Value::PeArts),
            ("qualified", Value::Qualified),
        ] {
            for band in [Band::Primary, Band::Middle] {
                six.push(super::indicators::Figure {
                    measure,
                    band: band.name(),
                    threshold: band.cv_threshold(),
                    before: per_school(a, &before, band, value),
                    after: per_school(a, &after, band, value),
                });
            }
        }
        let excess = super::indicators::check(a, &six);
        levels.insert(2, ("cv_excess", excess));
    }
    for (name, value) in levels {
        super::summary::compare_level(a, "rotation", name, value);
    }
    let returns = a
        .inst
        .teachers
        .iter()
        .enumerate()
        .filter(|(i, t)| out.after_returns[*i] != t.school)
        .count();
    a.compare(&["rotation", "returns"], returns as f64);
}

fn shortage(a: &Audit, staffing: &Staffing) -> Vec<SchoolShortage> {
    let n = a.inst.schools.len();
    let mut demand: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); n];
    for d in &a.inst.demand {
        *demand[d.school].entry(d.subject.clone()).or_default() += d.positions;
    }
    let mut fixed: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); n];
    let mut flexible: Vec<Vec<(String, String)>> = vec![Vec::new(); n];
    for (ti, t) in a.inst.teachers.iter().enumerate() {
        let s = staffing.school[ti];
        match (&staffing.settled[ti], &t.second_subject) {
            (Some(subject), _) => *fixed[s].entry(subject.clone()).or_default() += 1,
            (None, Some(second)) if *second != t.subject => {
                flexible[s].push((t.subject.clone(), second.clone()));
            }
            (None, _) => *fixed[s].entry(t.subject.clone()).or_default() += 1,
        }
    }
    let w = |s: &str| spec::subject_weight(a.policy, s);
    (0..n)
        .map(|s| school_shortage(&demand[s], &fixed[s], &flexible[s], &w))
        .collect()
}

/// By subject, the summary's figure must be reachable by some placement of the teachers who
/// may cover two subjects (the split is not unique), and the figures must add up to the total.
/// Unweighted counts are the contract; weighted ones are accepted too.
fn compare_by_subject(
    a: &mut Audit,
    before: &[SchoolShortage],
    after: &[SchoolShortage],
    total_before: f64,
    total_after: f64,
) {
    let Some(listed) = a
        .summary_at(&["shortage_by_subject"])
        .and_then(|v| v.as_object())
        .cloned()
    else {
        return;
    };
    for (when, schools, total) in [
        ("before", before, total_before),
        ("after", after, total_after),
    ] {
        let mut range: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for s in schools {
            for (subject, &(lo, hi)) in &s.by_subject {
                let e = range.entry(subject.as_str()).or_default();
                e.0 += f64::from(lo);
                e.1 += f64::from(hi);
            }
        }
        let (mut plain, mut weighted) = (0.0, 0.0);
        for (subject, entry) in &listed {
            let Some(v) = entry.get(when).and_then(|v| v.as_f64()) else {
                continue;
            };
            a.report.metrics_checked += 1;
            let w = spec::subject_weight(a.policy, subject);
            plain += v;
            weighted += w * v;
            let (lo, hi) = range.get(subject.as_str()).copied().unwrap_or((0.0, 0.0));
            let within = |x: f64, lo: f64, hi: f64| x >= lo - 1e-6 && x <= hi + 1e-6;
            if !within(v, lo, hi) && !within(v, w * lo, w * hi) {
                a.mismatch(
                    &["shortage_by_subject", subject, when],
                    fmt_num(v),
                    format!("between {} and {}", fmt_num(lo), fmt_num(hi)),
                );
            }
        }
        let summed: f64 = listed.values().filter_map(|e| e.get(when)).count() as f64;
        if summed > 0.0 && !close(weighted, total) && !close(plain, total) {
            a.mismatch(
                &["shortage_by_subject", "*", when],
                format!("weighted sum {}", fmt_num(weighted)),
                fmt_num(total),
            );
        }
    }
}

fn compare_moves(a: &mut Audit, groups: &Groups, out: &Outcome) {
    let count = |k: MoveKind| out.moves.iter().filter(|m| m.kind == k).count() as f64;
    a.compare(&["moves", "transfer"], count(MoveKind::Transfer));
    a.compare(&["moves", "exchange"], count(MoveKind::Exchange));
    a.compare(&["moves", "total"], out.moves.len() as f64);
    for g in &groups.list {
        let (staff, cap) = out.staff_cap.get(&g.id).copied().unwrap_or((0, 0));
        let in_group = |s: usize| groups.of(s).is_some_and(|x| x.id == g.id);
        let transfers = out
            .moves
            .iter()
            .filter(|m| m.kind == MoveKind::Transfer && in_group(m.from))
            .count();
        let exchanges = out
            .moves
            .iter()
            .filter(|m| {
                m.kind == MoveKind::Exchange
                    && match &m.exchange_group {
                        Some(id) => *id == g.id,
                        None => in_group(m.from) || in_group(m.to),
                    }
            })
            .count();
        let base = ["moves", "per_group", g.id.as_str()];
        if a.summary_at(&["moves", "per_group"]).is_some()
            && a.summary_at(&base).is_none()
            && transfers + exchanges > 0
        {
            a.mismatch(
                &base,
                "missing".into(),
                format!("{transfers} transfers, {exchanges} exchanges"),
            );
        }
        let path = |k: &'static str| {
            let mut p = base.to_vec();
            p.push(k);
            p
        };
        a.compare(&path("transfers"), transfers as f64);
        a.compare(&path("exchanges"), exchanges as f64);
        a.compare(&path("staff"), staff as f64);
        a.compare(&path("cap"), cap as f64);
        if cap > 0 {
            a.compare(&path("used_share"), transfers as f64 / cap as f64);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Band {
    Primary,
    Middle,
}

impl Band {
    fn name(self) -> &'static str {
        match self {
            Band::Primary => "primary",
            Band::Middle => "middle",
        }
    }
    /// The 2017 evaluation's CV threshold: primary ≤ 0.50, middle ≤ 0.45.
    fn cv_threshold(self) -> f64 {
        match self {
            Band::Primary => 0.50,
            Band::Middle => 0.45,
        }
    }
    /// nine_year schools count in both bands.
    fn holds(self, stage: Stage) -> bool {
        matches!(
            (self, stage),
            (Band::Primary, Stage::Primary | Stage::NineYear)
                | (Band::Middle, Stage::Middle | Stage::NineYear)
        )
    }
}

#[derive(Debug, Clone, Copy)]
enum Value {
    Key,
    PeArts,
    Qualified,
}

impl Value {
    /// The 2017 evaluation's per-school floor per 100 students.
    fn floor(self, band: Band) -> f64 {
        match (self, band) {
            (Value::Key, _) => 1.0,
            (Value::PeArts, _) => 0.9,
            (Value::Qualified, Band::Primary) => 4.2,
            (Value::Qualified, Band::Middle) => 5.3,
        }
    }

    fn counts(self, t: &crate::domain::instance::Teacher, band: Band) -> bool {
        match self {
            Value::Key => t.key,
            Value::PeArts => matches!(t.subject.as_str(), "pe" | "music" | "art"),
            // "Above the required degree": college or higher in primary, bachelor or higher
            // in middle; no degree is not qualified.
            Value::Qualified => matches!(
                (band, t.degree),
                (_, Some(Degree::Graduate | Degree::Bachelor))
                    | (Band::Primary, Some(Degree::College))
            ),
        }
    }
}

/// Each school of the band with students: (value per 100 students, students).
fn per_school(a: &Audit, staffing: &Staffing, band: Band, value: Value) -> Vec<(f64, f64)> {
    let mut count = vec![0u32; a.inst.schools.len()];
    for (ti, t) in a.inst.teachers.iter().enumerate() {
        if value.counts(t, band) {
            count[staffing.school[ti]] += 1;
        }
    }
    a.inst
        .schools
        .iter()
        .enumerate()
        .filter(|(_, s)| band.holds(s.stage) && s.students > 0)
        .map(|(i, s)| {
            let p = f64::from(s.students);
            (f64::from(count[i]) * 100.0 / p, p)
        })
        .collect()
}

/// Student-weighted coefficient of variation (2017 evaluation); NaN when undefined.
fn cv(x: &[(f64, f64)]) -> f64 {
    let p: f64 = x.iter().map(|(_, w)| w).sum();
    if p <= 0.0 {
        return f64::NAN;
    }
    let mean: f64 = x.iter().map(|(v, w)| w / p * v).sum();
    let var: f64 = x.iter().map(|(v, w)| w / p * (v - mean).powi(2)).sum();
    if mean == 0.0 {
        return f64::NAN;
    }
    var.sqrt() / mean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cv_is_weighted_by_students() {
        // Two schools, 100 and 300 students, values 2 and 4: mean 3.5, variance
        // 0.25·2.25 + 0.75·0.25 = 0.75.
        let c = cv(&[(2.0, 100.0), (4.0, 300.0)]);
        assert!((c - 0.75f64.sqrt() / 3.5).abs() < 1e-12);
        assert!(cv(&[]).is_nan());
        assert!(cv(&[(0.0, 10.0)]).is_nan());
    }
}
