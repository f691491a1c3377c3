//! The figures the report charts, in `summary.json`'s layout. The summary written by
//! `rotate` wins; what it lacks (a folder planned by hand, or a step not run yet) is computed
//! here from the instance and the plan files, so every chart has data.

use serde_json::{Map, Value, json};

use super::data::{PlanData, Staffing};
use crate::domain::{Degree, Instance, Stage};
use crate::io::summary::num;
use crate::plan::MoveKind;

/// Default `[rotation] cross_cap_share` (T2), used when neither the summary nor a policy
/// gives the caps.
pub const DEFAULT_CAP_SHARE: f64 = 0.10;

/// The 2017 evaluation's three measures: summary key, floor for primary, floor for middle.
pub const CV_MEASURES: [(&str, &str, f64, f64); 3] = [
    ("cv_key_per_100_students", "key_per_100_students", 1.0, 1.0),
    (
        "cv_pe_arts_per_100_students",
        "pe_arts_per_100_students",
        0.9,
        0.9,
    ),
    (
        "cv_qualified_per_100_students",
        "qualified_per_100_students",
        4.2,
        5.3,
    ),
];

/// CV thresholds of the 2017 evaluation.
pub const CV_THRESHOLD_PRIMARY: f64 = 0.50;
pub const CV_THRESHOLD_MIDDLE: f64 = 0.45;

/// `summary` completed with computed figures where it has none.
pub fn completed(
    inst: &Instance,
    plan: &PlanData,
    staffing: &Staffing,
    cap_share: Option<f64>,
) -> Map<String, Value> {
    let mut computed = Map::new();
    let by = staffing.shortage_by_subject();
    computed.insert(
        "shortage_before".into(),
        json!(by.values().map(|v| v.0).sum::<u32>()),
    );
    computed.insert(
        "shortage_after".into(),
        json!(by.values().map(|v| v.1).sum::<u32>()),
    );
    computed.insert(
        "shortage_by_subject".into(),
        Value::Object(
            by.into_iter()
                .map(|(s, (b, a))| (s, json!({"before": b, "after": a})))
                .collect(),
        ),
    );
    computed.insert(
        "moves".into(),
        Value::Object(computed_moves(
            inst,
            plan,
            staffing,
            cap_share.unwrap_or(DEFAULT_CAP_SHARE),
        )),
    );
    let mut floors = Map::new();
    for (key, floor_key, fp, fm) in CV_MEASURES {
        let mut by_stage = Map::new();
        for (stage, floor) in [("primary", fp), ("middle", fm)] {
            let (before, after, meet_b, meet_a, n) =
                measure(inst, staffing, floor_key, stage == "primary", floor);
            by_stage.insert(
                stage.into(),
                json!({"before": num(before), "after": num(after)}),
            );
            let f = floors
                .entry(stage.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(f) = f {
                f.insert(
                    floor_key.into(),
                    json!({"floor": floor, "schools": n, "meet_before": meet_b, "meet_after": meet_a}),
                );
            }
        }
        computed.insert(key.to_string(), Value::Object(by_stage));
    }
    computed.insert("floors".to_string(), Value::Object(floors));

    let mut m = plan.summary.clone();
    for (k, v) in computed {
        match m.get_mut(&k) {
            // The summary's totals are weighted; unweighted computed ones must not mix in.
            Some(_) if k.starts_with("shortage") => {}
            Some(existing) => fill_missing(existing, v),
            None => {
                m.insert(k, v);
            }
        }
    }
    m
}

/// Adds to `dst` every key of `src` that `dst` lacks, at any depth; what `dst` has wins.
fn fill_missing(dst: &mut Value, src: Value) {
    if let (Value::Object(d), Value::Object(s)) = (dst, src) {
        for (k, v) in s {
            match d.get_mut(&k) {
                Some(existing) => fill_missing(existing, v),
                None => {
                    d.insert(k, v);
                }
            }
        }
    }
}

/// `moves` by kind and per group; cap = floor(share × group staff + 1e-9) (T2), group staff
/// counted after this summer's returns.
fn computed_moves(
    inst: &Instance,
    plan: &PlanData,
    staffing: &Staffing,
    share: f64,
) -> Map<String, Value> {
    let groups = &plan.grouping.groups;
    let mut staff = vec![0usize; groups.len()];
    for &s in &staffing.before {
        if let Some(g) = plan.grouping.school_group.get(s).copied().flatten() {
            staff[g] += 1;
        }
    }
    let mut transfers = vec![0usize; groups.len()];
    let mut exchanges = vec![0usize; groups.len()];
    for m in &plan.moves {
        match m.kind {
            MoveKind::Transfer => {
                if let Some(g) = plan.group_of(inst, &m.from) {
                    transfers[g] += 1;
                }
            }
            MoveKind::Exchange => {
                if let Some(g) = plan
                    .group_of(inst, &m.to)
                    .or_else(|| plan.group_of(inst, &m.from))
                {
                    exchanges[g] += 1;
                }
            }
        }
    }
    let mut per_group = Map::new();
    for (g, group) in groups.iter().enumerate() {
        let cap = (share * staff[g] as f64 + 1e-9).floor();
        let used = if cap > 0.0 {
            transfers[g] as f64 / cap
        } else if transfers[g] == 0 {
            0.0
        } else {
            f64::INFINITY
        };
        per_group.insert(
            group.id.clone(),
            json!({"transfers": transfers[g], "exchanges": exchanges[g], "staff": staff[g],
                   "cap": cap, "used_share": num(used)}),
        );
    }
    let t = plan
        .moves
        .iter()
        .filter(|m| m.kind == MoveKind::Transfer)
        .count();
    let mut out = Map::new();
    out.insert("transfer".into(), json!(t));
    out.insert("exchange".into(), json!(plan.moves.len() - t));
    out.insert("total".into(), json!(plan.moves.len()));
    out.insert("per_group".into(), Value::Object(per_group));
    out
}

/// One measure for primary (`primary = true`) or middle schools: CV before and after, how
/// many schools meet `floor` before and after, and how many schools count.
fn measure(
    inst: &Instance,
    staffing: &Staffing,
    which: &str,
    primary: bool,
    floor: f64,
) -> (f64, f64, usize, usize, usize) {
    let in_stage = |st: Stage| match st {
        Stage::Primary => primary,
        Stage::Middle => !primary,
        Stage::NineYear => true,
        _ => false,
    };
    let schools: Vec<usize> = (0..inst.schools.len())
        .filter(|&s| in_stage(inst.schools[s].stage) && inst.schools[s].students > 0)
        .collect();
    let counts = |loc: &[usize], subjects: &dyn Fn(usize) -> String| {
        let mut c = vec![0.0f64; inst.schools.len()];
        for (t, teacher) in inst.teachers.iter().enumerate() {
            let counts = match which {
                "key_per_100_students" => teacher.key,
                "pe_arts_per_100_students" => {
                    matches!(subjects(t).as_str(), "pe" | "music" | "art")
                }
                _ => teacher.degree.is_some_and(|d| {
                    if primary {
                        d <= Degree::College
                    } else {
                        d <= Degree::Bachelor
                    }
                }),
            };
            if counts {
                c[loc[t]] += 1.0;
            }
        }
        c
    };
    // SPEC: a teacher counts by their main subject, wherever they work.
    let main = |t: usize| inst.teachers[t].subject.clone();
    let before = counts(&staffing.before, &main);
    let after = counts(&staffing.after, &main);
    let values = |c: &[f64]| -> Vec<(f64, f64)> {
        schools
            .iter()
            .map(|&s| {
                let p = inst.schools[s].students as f64;
                (c[s] / p * 100.0, p)
            })
            .collect()
    };
    let (vb, va) = (values(&before), values(&after));
    let meet = |v: &[(f64, f64)]| v.iter().filter(|(x, _)| *x >= floor - 1e-9).count();
    (cv(&vb), cv(&va), meet(&vb), meet(&va), schools.len())
}

/// Student-weighted coefficient of variation of (value, students) pairs; NaN when the mean
/// is 0 or there are no students.
pub fn cv(values: &[(f64, f64)]) -> f64 {
    let p: f64 = values.iter().map(|(_, w)| w).sum();
    if p <= 0.0 {
        return f64::NAN;
    }
    let mean: f64 = values.iter().map(|(x, w)| w / p * x).sum();
    let var: f64 = values.iter().map(|(x, w)| w / p * (x - mean).powi(2)).sum();
    var.sqrt() / mean
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn caps_are_recomputed_per_group_and_the_summary_wins() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let inst = crate::io::read_instance(&root.join("tests/data/examples/schools-tiny"))
            .expect("instance");
        let mut plan = PlanData::load(&inst, &root.join("tests/data/report-tiny")).expect("plan");
        let st = Staffing::new(&inst, &plan.returns, &plan.moves);
        let summary = plan.summary.clone();
        plan.summary = Map::new();
        let m = completed(&inst, &plan, &st, None);
        // compulsory-1: S2 12, S3 10 + P34 back from S4, S4 11, S8 9, S9 6 = 49 → floor(4.9).
        let g1 = &m["moves"]["per_group"]["compulsory-1"];
        assert_eq!(g1["staff"], 49);
        assert_eq!(g1["cap"], 4.0);
        assert_eq!(g1["transfers"], 2);
        assert_eq!(g1["exchanges"], 2);
        assert_eq!(m["moves"]["per_group"]["compulsory-2"]["cap"], 1.0);
        assert_eq!(m["moves"]["total"], 4);
        let m = completed(&inst, &plan, &st, Some(0.2));
        assert_eq!(m["moves"]["per_group"]["compulsory-1"]["cap"], 9.0);
        // The summary's figures are kept; missing ones are filled in beside them.
        plan.summary = summary;
        plan.summary["moves"]["per_group"]["compulsory-1"]
            .as_object_mut()
            .expect("object")
            .remove("staff");
        let m = completed(&inst, &plan, &st, Some(0.2));
        assert_eq!(m["moves"]["per_group"]["compulsory-1"]["cap"], 4);
        assert_eq!(m["moves"]["per_group"]["compulsory-1"]["staff"], 49);
        assert_eq!(m["shortage_before"], 12);
        assert!(m["floors"]["middle"]["key_per_100_students"]["schools"].is_number());
    }

    #[test]
    fn cv_is_student_weighted() {
        // Two schools, values 1 and 3, 100 and 300 students: mean 2.5, S² = .25·2.25 + .75·.25.
        let c = cv(&[(1.0, 100.0), (3.0, 300.0)]);
        let expected = (0.25f64 * 2.25 + 0.75 * 0.25).sqrt() / 2.5;
        assert!((c - expected).abs() < 1e-12);
        assert!(cv(&[(0.0, 10.0)]).is_nan());
        assert!(cv(&[]).is_nan());
    }
}
