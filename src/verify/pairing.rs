//! P1–P3 on `pairings.csv`, and the pairing objective against the summary.

use std::collections::{BTreeMap, BTreeSet};

use super::groups::{Groups, mean_quality};
use super::rule::{F1, P1, P2, P3, P4};
use super::{Audit, Lined, at, spec};
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
    // (helper, slot) of every row that names a slot.
    let mut served: Vec<(usize, SlotKey)> = Vec::new();
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
                format!("帮扶校不存在：`{}`", r.helper),
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
                format!("`{}` 不是帮扶校（helper = false）", helper.id),
                format!("`{}` is not a helper school (helper = false)", helper.id),
                vec![here.clone()],
            );
        }
        if !spec::helper_fits(helper.stage, r.stage) {
            a.flag(
                P1,
                format!(
                    "帮扶校 `{}` 为{}学校，不能承担 {} 岗位",
                    helper.id, helper.stage, r.stage
                ),
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
                    "`[pairing] level = \"school\"` 时须填写 `school` 列",
                    "`[pairing] level = \"school\"` needs the `school` column filled",
                    vec![here],
                );
                continue;
            };
            let Some(s) = a.inst.school_by_id(sid) else {
                a.flag(
                    F1,
                    format!("学校不存在：`{sid}`"),
                    format!("unknown school `{sid}`"),
                    vec![here],
                );
                continue;
            };
            let school = &a.inst.schools[s];
            if school.helper {
                a.flag(
                    P1,
                    format!("学校 `{sid}` 本身是帮扶校；只有非帮扶校才有结对岗位"),
                    format!(
                        "school `{sid}` is itself a helper; only non-helper schools have slots"
                    ),
                    vec![here.clone()],
                );
            }
            if a.inst.townships[school.township].urban {
                a.flag(
                    P1, format!("学校 `{sid}` 位于城区乡镇 `{}`；校级结对岗位只设在非城区乡镇", a.inst.townships[school.township].id),
                    format!(
                        "school `{sid}` is in urban township `{}`; school-level slots are in non-urban townships",
                        a.inst.townships[school.township].id
                    ),
                    vec![here.clone()],
                );
            }
            if !spec::opens_slot(school.stage, r.stage) {
                a.flag(
                    P1,
                    format!("学校 `{sid}`（{}）没有 {} 岗位", school.stage, r.stage),
                    format!("school `{sid}` ({}) has no {} slot", school.stage, r.stage),
                    vec![here.clone()],
                );
            }
            let group = groups.of(s).map(|g| g.id.clone()).unwrap_or_default();
            if r.group != group {
                a.flag(
                    F1,
                    format!(
                        "`group` 为 `{}`，但学校 `{sid}` 属于 `{}`",
                        r.group,
                        if group.is_empty() {
                            "无集团"
                        } else {
                            &group
                        }
                    ),
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
                    P3, format!("帮扶校 `{}` 质量 {} < 学校 `{sid}` 质量 {} + 最小质量差 min_quality_gap {}", helper.id, helper.quality, school.quality, a.policy.pairing.min_quality_gap),
                    format!(
                        "helper `{}` quality {} < school `{sid}` quality {} + min_quality_gap {}",
                        helper.id, helper.quality, school.quality, a.policy.pairing.min_quality_gap
                    ),
                    vec![here.clone()],
                );
            }
            distance += a.geo.km(h, s);
            SlotKey {
                group,
                stage: r.stage,
                school: Some(sid.to_string()),
            }
        } else {
            let Some(g) = groups.by_id(&r.group) else {
                a.flag(
                    F1,
                    format!("集团不存在：`{}`（groups.csv 中没有）", r.group),
                    format!("unknown group `{}` (not in groups.csv)", r.group),
                    vec![here],
                );
                continue;
            };
            if !g
                .schools
                .iter()
                .any(|&s| spec::opens_slot(a.inst.schools[s].stage, r.stage))
            {
                a.flag(
                    P1,
                    format!(
                        "集团 `{}` 没有 {} 岗位：集团内没有该学段的学校",
                        g.id, r.stage
                    ),
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
                    P3, format!("帮扶校 `{}` 质量 {} < 集团 `{}` 平均质量 {mean:.3} + 最小质量差 min_quality_gap {}", helper.id, helper.quality, g.id, a.policy.pairing.min_quality_gap),
                    format!(
                        "helper `{}` quality {} < group `{}` mean quality {mean:.3} + min_quality_gap {}",
                        helper.id, helper.quality, g.id, a.policy.pairing.min_quality_gap
                    ),
                    vec![here.clone()],
                );
            }
            if let Some(c) = g.core {
                distance += a.geo.km(h, c);
            }
            SlotKey {
                group: g.id.clone(),
                stage: r.stage,
                school: None,
            }
        };
        served.push((h, key.clone()));
        filled.entry(key).or_default().push(here);
    }
    for (key, rows) in &filled {
        if rows.len() > 1 {
            a.flag(
                P1,
                format!(
                    "岗位 {} {}{} 有 {} 所帮扶校；至多一所",
                    key.group,
                    key.stage,
                    key.school
                        .as_deref()
                        .map(|s| format!("（学校 {s}）"))
                        .unwrap_or_default(),
                    rows.len()
                ),
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
    let load: BTreeMap<usize, usize> = per_helper.iter().map(|(h, r)| (*h, r.len())).collect();
    for (h, rows) in per_helper {
        if rows.len() > cap {
            a.flag(
                P2,
                format!(
                    "帮扶校 `{}` 参与 {} 个结对；上限 helper_capacity = {cap}",
                    a.inst.schools[h].id,
                    rows.len()
                ),
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
    check_priority(a, groups, &filled, &served, &load);
}

/// P4: a priority slot left uncovered while a helper that may fill it (P1 stage, P3 quality)
/// has room under helper_capacity, or serves a slot of lower weight (then moving it over
/// would serve the priority township first and raise the covered weight).
fn check_priority(
    a: &mut Audit,
    groups: &Groups,
    filled: &BTreeMap<SlotKey, Vec<String>>,
    served: &[(usize, SlotKey)],
    load: &BTreeMap<usize, usize>,
) {
    let slots = all_slots(a, groups);
    let cap = a.policy.pairing.helper_capacity;
    let gap = a.policy.pairing.min_quality_gap;
    let reference = |k: &SlotKey| -> f64 {
        match &k.school {
            Some(s) => a
                .inst
                .school_by_id(s)
                .map_or(f64::NAN, |s| a.inst.schools[s].quality),
            None => groups
                .by_id(&k.group)
                .map_or(f64::NAN, |g| mean_quality(a, g)),
        }
    };
    let mut findings = Vec::new();
    for (slot, &w) in &slots {
        if w <= 1.0 || filled.contains_key(slot) {
            continue;
        }
        let floor = reference(slot) + gap - 1e-9;
        for (h, school) in a.inst.schools.iter().enumerate() {
            if !school.helper
                || !spec::helper_fits(school.stage, slot.stage)
                || school.quality < floor
            {
                continue;
            }
            let used = load.get(&h).copied().unwrap_or(0);
            let lighter = served
                .iter()
                .find(|(x, k)| *x == h && slots.get(k).is_some_and(|&kw| kw < w));
            let (why_zh, why) = if used < cap {
                (
                    format!("尚有余力（已结对 {used} 个，上限 helper_capacity {cap}）"),
                    format!("has room ({used} of helper_capacity {cap} pairings)"),
                )
            } else if let Some((_, k)) = lighter {
                (
                    format!("却在帮扶权重更低的 {} {}", k.group, k.stage),
                    format!("serves {} {} of lower weight", k.group, k.stage),
                )
            } else {
                continue;
            };
            let of_school = |word: &str| {
                slot.school
                    .as_deref()
                    .map(|s| format!("{word}{s}"))
                    .unwrap_or_default()
            };
            let zh = format!(
                "优先岗位 {} {}{}（权重 {w}）未覆盖，而可以承担它的帮扶校 `{}` {why_zh}",
                slot.group,
                slot.stage,
                of_school("，学校 "),
                school.id
            );
            findings.push((zh, format!(
                "priority slot {} {}{} (weight {w}) is uncovered while helper `{}`, which may fill it, {why}",
                slot.group,
                slot.stage,
                slot.school
                    .as_deref()
                    .map(|s| format!(" of {s}"))
                    .unwrap_or_default(),
                school.id
            )));
            break;
        }
    }
    for (zh, en) in findings {
        a.flag(P4, zh, en, vec![PAIRINGS.to_string()]);
    }
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
            for stage in spec::slots_of(school.stage) {
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
                for stage in spec::slots_of(a.inst.schools[s].stage) {
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
    for (name, value) in [("covered_weight", weight), ("distance_km", distance)] {
        super::summary::compare_level(a, "pairing", name, value);
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
            let priority = e.get("priority").and_then(|v| v.as_bool());
            let tag = priority.map_or(String::new(), |p| format!("/priority={p}"));
            format!("{}/{}/{}{tag}", f("group"), f("stage"), f("school"))
        })
        .collect();
    let tagged = listed.iter().any(|e| e.get("priority").is_some());
    let ours: BTreeSet<String> = slots
        .keys()
        .filter(|k| !filled.contains_key(*k))
        .map(|k| {
            // P4: the summary marks each uncovered slot that is a priority slot.
            let tag = if tagged {
                format!("/priority={}", priority_slot(a, groups, k))
            } else {
                String::new()
            };
            format!(
                "{}/{}/{}{tag}",
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

/// P4: whether a slot lies in a priority township (any school of the group, or the school).
fn priority_slot(a: &Audit, groups: &Groups, k: &SlotKey) -> bool {
    let town = |s: usize| a.inst.townships[a.inst.schools[s].township].priority;
    match &k.school {
        Some(id) => a.inst.school_by_id(id).is_some_and(town),
        None => groups
            .by_id(&k.group)
            .is_some_and(|g| g.schools.iter().any(|&s| town(s))),
    }
}
