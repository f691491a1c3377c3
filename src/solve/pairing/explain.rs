//! Why a slot is left uncovered, computed from the data: which rule (P1 stage match, P3
//! quality, P2 capacity) leaves it without a helper, with the numbers a planner needs to
//! relax it.

use super::problem::{PairingProblem, Pick, Slot};
use crate::domain::stage::SlotStage;

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
fn helper_kinds(stage: SlotStage) -> &'static str {
    match stage {
        SlotStage::Kindergarten => "kindergarten",
        SlotStage::Primary => "primary or nine_year",
        SlotStage::Middle => "middle, high or nine_year",
    }
}

fn reason(p: &PairingProblem, slot: &Slot, used: &[usize]) -> String {
    let inst = p.inst;
    let name = |h: usize| format!("{} {}", inst.schools[h].id, inst.schools[h].name);
    let stage = slot.stage;
    if p.helpers.is_empty() {
        return "P1: the county has no helper school (no school has helper = true)".into();
    }
    let matched: Vec<usize> = p
        .helpers
        .iter()
        .copied()
        .filter(|&h| inst.schools[h].stage.can_help(stage))
        .collect();
    if matched.is_empty() {
        return format!(
            "P1: no helper can serve a {stage} slot: none of the {} helper schools is a {} school",
            p.helpers.len(),
            helper_kinds(stage)
        );
    }
    let floor = p.quality_floor(slot);
    let reference = match slot.school {
        Some(_) => "the school's quality",
        None => "the group's mean quality",
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
        return format!(
            "P3: no {stage} helper has quality ≥ {} ({reference} {} + min_quality_gap {}); the best is {} at {}, {} short",
            fmt(floor),
            fmt(slot.quality),
            fmt(p.min_gap),
            name(best),
            fmt(q),
            fmt(floor - q)
        );
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
        return format!(
            "P4: the slot weighs {} (priority_weight), so covering it gains nothing and would only add km",
            fmt(slot.weight)
        );
    }
    if let Some((km, h)) = nearest(&open) {
        return format!(
            "not proven: {} could still take this slot ({} of {} rows used, {} km); the solver stopped before covering it",
            name(h),
            used[h],
            p.capacity,
            fmt(km)
        );
    }
    let (km, h) = nearest(&eligible).unwrap_or((f64::NAN, eligible[0]));
    let who = if eligible.len() == 1 {
        format!("the only {stage} helper with quality ≥ {}", fmt(floor))
    } else {
        format!(
            "all {} {stage} helpers with quality ≥ {}",
            eligible.len(),
            fmt(floor)
        )
    };
    let verb = if eligible.len() == 1 { "is" } else { "are" };
    format!(
        "P2: {who} {verb} at capacity {} (helper_capacity); the nearest full helper is {} ({} km)",
        p.capacity,
        name(h),
        fmt(km)
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
