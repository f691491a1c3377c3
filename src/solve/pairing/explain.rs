//! Why a slot is left uncovered, computed from the data: which rule (P1 stage match, P3
//! quality, P2 capacity) leaves it without a helper, with the numbers a planner needs to
//! relax it.

use super::problem::{PairingProblem, Pick, Slot};
use crate::domain::stage::SlotStage;
use crate::lang::Lang;

/// An uncovered slot and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncovered {
    /// Index into [`PairingProblem::slots`].
    pub slot: usize,
    pub reason: String,
}

/// Every real slot `picks` leaves uncovered, in slot order, with its reason.
pub fn uncovered(p: &PairingProblem, picks: &[Pick]) -> Vec<Uncovered> {
    let mut covered = vec![false; p.slots.len()];
    let mut used = vec![0usize; p.inst.schools.len()];
    for pick in picks {
        if let Some(c) = covered.get_mut(pick.slot) {
            *c = true;
        }
        used[pick.helper] += 1;
    }
    p.slots
        .iter()
        .enumerate()
        .filter(|&(i, s)| s.real && !covered[i])
        .map(|(i, s)| Uncovered {
            slot: i,
            reason: reason(p, s, &used),
        })
        .collect()
}

/// The kinds of helper school P1 lets serve a slot of this stage.
fn helper_kinds(stage: SlotStage, lang: Lang) -> &'static str {
    match (stage, lang) {
        (SlotStage::Kindergarten, Lang::En) => "kindergarten",
        (SlotStage::Primary, Lang::En) => "primary or nine_year",
        (SlotStage::Middle, Lang::En) => "middle, high or nine_year",
        (SlotStage::Kindergarten, Lang::Zh) => "幼儿园",
        (SlotStage::Primary, Lang::Zh) => "小学或九年一贯制学校",
        (SlotStage::Middle, Lang::Zh) => "初中、高中或九年一贯制学校",
    }
}

/// A slot stage in a sentence of `lang`.
fn stage_word(stage: SlotStage, lang: Lang) -> String {
    match lang {
        Lang::En => stage.to_string(),
        Lang::Zh => match stage {
            SlotStage::Kindergarten => "幼儿园",
            SlotStage::Primary => "小学",
            SlotStage::Middle => "初中",
        }
        .to_string(),
    }
}

fn reason(p: &PairingProblem, slot: &Slot, used: &[usize]) -> String {
    let inst = p.inst;
    let lang = p.lang;
    let zh = lang == Lang::Zh;
    let name = |h: usize| format!("{} {}", inst.schools[h].id, inst.schools[h].name);
    let stage = slot.stage;
    let st = stage_word(stage, lang);
    if p.helpers.is_empty() {
        return lang
            .pick(
                "P1：全县没有帮扶校（schools.csv 中没有标为帮扶校的学校）",
                "P1: the county has no helper school (no school has helper = true)",
            )
            .into();
    }
    let matched: Vec<usize> = p
        .helpers
        .iter()
        .copied()
        .filter(|&h| inst.schools[h].stage.can_help(stage))
        .collect();
    if matched.is_empty() {
        let (n, kinds) = (p.helpers.len(), helper_kinds(stage, lang));
        return if zh {
            format!("P1：没有帮扶校能承担{st}学段：{n} 所帮扶校中没有{kinds}")
        } else {
            format!(
                "P1: no helper can serve a {st} slot: none of the {n} helper schools is a {kinds} school"
            )
        };
    }
    let floor = p.quality_floor(slot);
    let reference = match (slot.school, zh) {
        (Some(_), false) => "the school's quality",
        (None, false) => "the group's mean quality",
        (Some(_), true) => "该校质量",
        (None, true) => "集团平均质量",
    };
    let eligible: Vec<usize> = matched
        .iter()
        .copied()
        .filter(|&h| p.meets_quality(slot, h))
        .collect();
    if eligible.is_empty() {
        let best = matched
            .iter()
            .copied()
            .reduce(|a, b| {
                if inst.schools[b].quality > inst.schools[a].quality {
                    b
                } else {
                    a
                }
            })
            .unwrap_or(matched[0]);
        let q = inst.schools[best].quality;
        let (fl, sq, gap, bq, short) = (
            fmt(floor),
            fmt(slot.quality),
            fmt(p.min_gap),
            fmt(q),
            fmt(floor - q),
        );
        return if zh {
            format!(
                "P3：没有质量 ≥ {fl} 的{st}帮扶校（{reference} {sq} + 最小质量差 min_quality_gap {gap}）；最高的是 {}，质量 {bq}，差 {short}",
                name(best)
            )
        } else {
            format!(
                "P3: no {st} helper has quality ≥ {fl} ({reference} {sq} + min_quality_gap {gap}); the best is {} at {bq}, {short} short",
                name(best)
            )
        };
    }
    let open: Vec<usize> = eligible
        .iter()
        .copied()
        .filter(|&h| used[h] < p.capacity)
        .collect();
    let nearest = |hs: &[usize]| {
        hs.iter()
            .copied()
            .map(|h| (p.km(slot, h), h))
            .min_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(inst.schools[a.1].id.cmp(&inst.schools[b.1].id))
            })
    };
    if slot.weight <= 0.0 {
        let w = fmt(slot.weight);
        return if zh {
            format!("P4：该需求权重为 {w}（priority_weight），覆盖它不增加目标值，只会增加距离")
        } else {
            format!(
                "P4: the slot weighs {w} (priority_weight), so covering it gains nothing and would only add km"
            )
        };
    }
    if let Some((km, h)) = nearest(&open) {
        let (u, cap, km) = (used[h], p.capacity, fmt(km));
        return if zh {
            format!(
                "未证明：{} 仍可承担此需求（已用 {u} / {cap} 个名额，{km} km）；求解器在覆盖它之前停止",
                name(h)
            )
        } else {
            format!(
                "not proven: {} could still take this slot ({u} of {cap} rows used, {km} km); the solver stopped before covering it",
                name(h)
            )
        };
    }
    let (km, h) = nearest(&eligible).unwrap_or((f64::NAN, eligible[0]));
    let (fl, cap, km) = (fmt(floor), p.capacity, fmt(km));
    let n = eligible.len();
    if zh {
        let who = if n == 1 {
            format!("唯一质量 ≥ {fl} 的{st}帮扶校")
        } else {
            format!("全部 {n} 所质量 ≥ {fl} 的{st}帮扶校")
        };
        return format!(
            "P2：{who}已满额（helper_capacity = {cap}）；最近的满额帮扶校是 {}（{km} km）",
            name(h)
        );
    }
    let who = if n == 1 {
        format!("the only {st} helper with quality ≥ {fl}")
    } else {
        format!("all {n} {st} helpers with quality ≥ {fl}")
    };
    let verb = if n == 1 { "is" } else { "are" };
    format!(
        "P2: {who} {verb} at capacity {cap} (helper_capacity); the nearest full helper is {} ({km} km)",
        name(h)
    )
}

/// A number for a sentence: at most 2 decimals, no trailing zeros.
pub fn fmt(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
