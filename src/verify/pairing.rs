//! P1–P3 on `pairings.csv`, and the pairing objective against the summary.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::{Groups, mean_quality};
use super::rule::{F1, P1, P2, P3};
use super::{Audit, Lined, at};
use crate::domain::policy::PairingLevel;
use crate::domain::stage::SlotStage;
use crate::io::plan_files::PAIRINGS;
use crate::plan::PairingRow;

/// A slot as `pairings.csv` fills it: a group's stage, or a school's at school level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SlotKey {
    group: String,
    stage: SlotStage,
    school: Option<String>,
}

pub(crate) fn check(a: &mut Audit, groups: &Groups, rows: &[Lined<PairingRow>]) {
    let school_level = a.policy.pairing.level == PairingLevel::School;
    let mut filled: BTreeMap<SlotKey, Vec<String>> = BTreeMap::new();
    let mut per_helper: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut distance = 0.0;
    for l in rows {
        let r = &l.row;
        let here = at(
            PAIRINGS,
            l.line,
            &format!(
                "{} → {} {}{}",
                r.helper,
                r.group,
                r.stage,
                r.school
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default()
            ),
        );
        let Some(h) = a.inst.school_by_id(&r.helper) else {
            a.flag(
                F1,
                format!("unknown helper school `{}`", r.helper),
                vec![here],
            );
            continue;
        };
        per_helper.entry(h).or_default().push(here.clone());
        let helper = a.inst.schools[h].clone();
        if !helper.helper {
            a.flag(
                P1,
                format!("`{}` is not a helper school (helper = false)", helper.id),
                vec![here.clone()],
            );
        }
        if !helper.stage.can_help(r.stage) {
            a.flag(
                P1,
                format!(
                    "helper `{}` is a {} school and cannot fill a {} slot",
                    helper.id, helper.stage, r.stage
                ),
                vec![here.clone()],
            );
        }
        let key = if school_level {
            let Some(sid) = r.school.as_deref() else {
                a.flag(
                    P1,
                    "`[pairing] level = \"school\"` needs the `school` column filled",
                    vec![here],
                );
                continue;
            };
            let Some(s) = a.inst.school_by_id(sid) else {
                a.flag(F1, format!("unknown school `{sid}`"), vec![here]);
                continue;
            };
            let school = &a.inst.schools[s];
            if school.helper {
                a.flag(
                    P1,
                    format!(
                        "school `{sid}` is itself a helper; only non-helper schools have slots"
                    ),
                    vec![here.clone()],
                );
            }
            if a.inst.townships[school.township].urban {
                a.flag(
                    P1,
                    format!(
                        "school `{sid}` is in urban township `{}`; school-level slots are in non-urban townships",
                        a.inst.townships[school.township].id
                    ),
                    vec![here.clone()],
                );
            }
            if !school.stage.served_slots().contains(&r.stage) {
                a.flag(
                    P1,
                    format!("school `{sid}` ({}) has no {} slot", school.stage, r.stage),
                    vec![here.clone()],
                );
            }
            let group = groups.of(s).map(|g| g.id.clone()).unwrap_or_default();
            if r.group != group {
                a.flag(
                    F1,
                    format!(
                        "`group` is `{}` but school `{sid}` is in `{}`",
                        r.group,
                        if group.is_empty() { "no group" } else { &group }
                    ),
                    vec![here.clone()],
                );
            }
            if helper.quality < school.quality + a.policy.pairing.min_quality_gap - 1e-9 {
                a.flag(
                    P3,
                    format!(
                        "helper `{}` quality {} < school `{sid}` quality {} + min_quality_gap {}",
                        helper.id, helper.quality, school.quality, a.policy.pairing.min_quality_gap
                    ),
                    vec![here.clone()],
                );
            }
            distance += a.inst.distance(h, s);
            SlotKey {
                group,
                stage: r.stage,
                school: Some(sid.to_string()),
            }
        } else {
            let Some(g) = groups.by_id(&r.group) else {
                a.flag(
                    F1,
                    format!("unknown group `{}` (not in groups.csv)", r.group),
                    vec![here],
                );
                continue;
            };
            if !g
                .schools
                .iter()
                .any(|&s| a.inst.schools[s].stage.served_slots().contains(&r.stage))
            {
                a.flag(
                    P1,
                    format!(
                        "group `{}` has no {} slot: no school serves that stage",
                        g.id, r.stage
                    ),
                    vec![here.clone()],
                );
            }
            let mean = mean_quality(a, g);
            if helper.quality < mean + a.policy.pairing.min_quality_gap - 1e-9 {
                a.flag(
                    P3,
                    format!(
                        "helper `{}` quality {} < group `{}` mean quality {mean:.3} + min_quality_gap {}",
                        helper.id, helper.quality, g.id, a.policy.pairing.min_quality_gap
                    ),
                    vec![here.clone()],
                );
            }
            if let Some(c) = g.core {
                distance += a.inst.distance(h, c);
            }
            SlotKey {
                group: g.id.clone(),
                stage: r.stage,
                school: None,
            }
        };
        filled.entry(key).or_default().push(here);
    }
    for (key, rows) in &filled {
        if rows.len() > 1 {
            a.flag(
                P1,
                format!(
                    "slot {} {}{} has {} helpers; at most one",
                    key.group,
                    key.stage,
                    key.school
                        .as_deref()
                        .map(|s| format!(" of {s}"))
                        .unwrap_or_default(),
                    rows.len()
                ),
                rows.clone(),
            );
        }
    }
    let cap = a.policy.pairing.helper_capacity;
    for (h, rows) in per_helper {
        if rows.len() > cap {
            a.flag(
                P2,
                format!(
                    "helper `{}` is in {} pairings; helper_capacity = {cap}",
                    a.inst.schools[h].id,
                    rows.len()
                ),
                rows,
            );
        }
    }
    compare_summary(a, groups, &filled, distance);
}

/// Every slot of the plan with its weight (P1, P4).
fn all_slots(a: &Audit, groups: &Groups) -> BTreeMap<SlotKey, f64> {
    let pw = a.policy.pairing.priority_weight;
    let mut out = BTreeMap::new();
    if a.policy.pairing.level == PairingLevel::School {
        for (s, school) in a.inst.schools.iter().enumerate() {
            let town = &a.inst.townships[school.township];
            if school.helper || town.urban {
                continue;
            }
            for &stage in school.stage.served_slots() {
                out.insert(
                    SlotKey {
                        group: groups.of(s).map(|g| g.id.clone()).unwrap_or_default(),
                        stage,
                        school: Some(school.id.clone()),
                    },
                    if town.priority { pw } else { 1.0 },
                );
            }
        }
    } else {
        for g in &groups.list {
            let priority = g
                .schools
                .iter()
                .any(|&s| a.inst.townships[a.inst.schools[s].township].priority);
            for &s in &g.schools {
                for &stage in a.inst.schools[s].stage.served_slots() {
                    out.insert(
                        SlotKey {
                            group: g.id.clone(),
                            stage,
                            school: None,
                        },
                        if priority { pw } else { 1.0 },
                    );
                }
            }
        }
    }
    out
}

fn compare_summary(
    a: &mut Audit,
    groups: &Groups,
    filled: &BTreeMap<SlotKey, Vec<String>>,
    distance: f64,
) {
    let slots = all_slots(a, groups);
    let covered: Vec<&SlotKey> = filled.keys().filter(|k| slots.contains_key(*k)).collect();
    let weight: f64 = covered.iter().map(|k| slots[*k]).sum();
    a.compare(&["pairing", "covered_weight"], weight);
    a.compare(&["pairing", "distance_km"], distance);
    a.compare(&["pairing", "covered_slots"], covered.len() as f64);
    for (i, value) in [weight, distance].into_iter().enumerate() {
        if let Some(v) = a
            .summary_at(&["pairing", "objective"])
            .and_then(|v| v.as_array())
            .and_then(|arr| arr.get(i))
            .cloned()
        {
            a.report.metrics_checked += 1;
            let same = v.as_f64().is_some_and(|x| super::close(x, value));
            if !same {
                let idx = i.to_string();
                a.mismatch(
                    &["pairing", "objective", &idx],
                    v.to_string(),
                    super::fmt_num(value),
                );
            }
        }
    }
    // P1: every uncovered slot is listed in the summary.
    let Some(listed) = a
        .summary_at(&["pairing", "uncovered"])
        .and_then(|v| v.as_array())
        .cloned()
    else {
        return;
    };
    a.report.metrics_checked += 1;
    let theirs: BTreeSet<String> = listed
        .iter()
        .map(|e| {
            let f = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            format!("{}/{}/{}", f("group"), f("stage"), f("school"))
        })
        .collect();
    let ours: BTreeSet<String> = slots
        .keys()
        .filter(|k| !filled.contains_key(*k))
        .map(|k| {
            format!(
                "{}/{}/{}",
                k.group,
                k.stage,
                k.school.as_deref().unwrap_or("")
            )
        })
        .collect();
    if theirs != ours {
        let fmt = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        a.mismatch(&["pairing", "uncovered"], fmt(&theirs), fmt(&ours));
    }
}
