//! SPEC.md's small facts, written out again for the audit: teaching levels (T9), the slots a
//! school opens and the helpers that may fill them (P1), senior titles (T5), subject weights
//! and ages. The solvers have their own copies in `domain`; keeping a second one here means a
//! slip in either shows up as a disagreement instead of passing both sides unseen.

use crate::domain::instance::{Teacher, Title};
use crate::domain::policy::Policy;
use crate::domain::stage::{SlotStage, Stage};

/// T9: "levels are kindergarten 0, primary 1, middle 2, high and vocational 3, and a
/// nine_year school spans 1–2" — as (lowest, highest).
pub(crate) fn stage_levels(stage: Stage) -> (u8, u8) {
    match stage {
        Stage::Kindergarten => (0, 0),
        Stage::Primary => (1, 1),
        Stage::Middle => (2, 2),
        Stage::NineYear => (1, 2),
        Stage::High | Stage::Vocational => (3, 3),
    }
}

/// T9: the level of a pairing slot's work.
pub(crate) fn slot_level(slot: SlotStage) -> u8 {
    match slot {
        SlotStage::Kindergarten => 0,
        SlotStage::Primary => 1,
        SlotStage::Middle => 2,
    }
}

/// P1: "primary ← primary/nine_year schools, middle ← middle/nine_year schools,
/// kindergarten ← kindergarten schools".
pub(crate) fn opens_slot(stage: Stage, slot: SlotStage) -> bool {
    match slot {
        SlotStage::Primary => matches!(stage, Stage::Primary | Stage::NineYear),
        SlotStage::Middle => matches!(stage, Stage::Middle | Stage::NineYear),
        SlotStage::Kindergarten => stage == Stage::Kindergarten,
    }
}

/// Every slot a school of `stage` opens, in SPEC's order.
pub(crate) fn slots_of(stage: Stage) -> Vec<SlotStage> {
    [
        SlotStage::Kindergarten,
        SlotStage::Primary,
        SlotStage::Middle,
    ]
    .into_iter()
    .filter(|&s| opens_slot(stage, s))
    .collect()
}

/// P1: "middle ← middle/high/nine_year helper, primary ← primary/nine_year helper,
/// kindergarten ← kindergarten helper".
pub(crate) fn helper_fits(helper: Stage, slot: SlotStage) -> bool {
    match slot {
        SlotStage::Middle => matches!(helper, Stage::Middle | Stage::High | Stage::NineYear),
        SlotStage::Primary => matches!(helper, Stage::Primary | Stage::NineYear),
        SlotStage::Kindergarten => helper == Stage::Kindergarten,
    }
}

/// T5: "key teachers or hold a senior title" — senior or senior_plus.
pub(crate) fn senior_title(title: Title) -> bool {
    matches!(title, Title::Senior | Title::SeniorPlus)
}

/// `[rotation.subject_weight]`, "default 1 for every subject".
pub(crate) fn subject_weight(policy: &Policy, subject: &str) -> f64 {
    policy
        .rotation
        .subject_weight
        .get(subject)
        .copied()
        .unwrap_or(1.0)
}

/// "Age is `plan_year - birth_year`."
pub(crate) fn age(t: &Teacher, plan_year: i32) -> i32 {
    plan_year - t.birth_year
}

/// T9: the highest level a teacher may teach: their current school's, or that of any stage
/// in `certified_stages`.
pub(crate) fn top_level(t: &Teacher, current: Stage) -> u8 {
    t.certified_stages
        .iter()
        .map(|&s| stage_levels(s).1)
        .fold(stage_levels(current).1, u8::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_year_opens_two_slots_and_a_high_helper_serves_middle_only() {
        assert_eq!(
            slots_of(Stage::NineYear),
            vec![SlotStage::Primary, SlotStage::Middle]
        );
        assert!(slots_of(Stage::High).is_empty());
        assert!(helper_fits(Stage::High, SlotStage::Middle));
        assert!(!helper_fits(Stage::High, SlotStage::Primary));
        assert!(!helper_fits(Stage::Primary, SlotStage::Kindergarten));
        assert_eq!(stage_levels(Stage::NineYear), (1, 2));
        assert_eq!(slot_level(SlotStage::Kindergarten), 0);
        assert!(senior_title(Title::SeniorPlus) && !senior_title(Title::First));
    }
}
