//! T4 applied before anything moves: who returns home, where everyone works after the
//! returns, and who is free to move this summer; plus the per-teacher rule facts (T3, T5,
//! T7, T9) the model and the explanations share.

use crate::domain::instance::{Instance, Sex};
use crate::domain::policy::Policy;
use crate::domain::stage::SlotStage;
use crate::plan::ReturnRow;

/// Why a teacher cannot move this summer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pinned {
    /// Free to move.
    No,
    /// Exchange ends this summer: returns home (T4).
    Returning,
    /// Exchange continues past this summer: stays at the host (T4).
    OnExchange,
    /// `exempt = true` (T8).
    Exempt,
}

/// The county after this summer's returns.
#[derive(Debug, Clone)]
pub struct RotationState {
    /// School index where each teacher works after the returns, before any move.
    pub loc: Vec<usize>,
    pub pinned: Vec<Pinned>,
    /// Returns, sorted by teacher id.
    pub returns: Vec<ReturnRow>,
}

impl RotationState {
    /// Applies T4 (and T8 for the `pinned` flag).
    pub fn new(inst: &Instance, policy: &Policy) -> RotationState {
        let year = policy.plan_year;
        let mut loc = Vec::with_capacity(inst.teachers.len());
        let mut pinned = Vec::with_capacity(inst.teachers.len());
        let mut returns = Vec::new();
        for t in &inst.teachers {
            let away_from = t.home_school.filter(|&h| h != t.school);
            let (l, p) = match (t.exchange_until, away_from) {
                (Some(y), _) if y > year => (t.school, Pinned::OnExchange),
                // Away with no end year: SPEC returns only those whose exchange ends by the
                // plan year, so this one stays at the host, unmoved.
                (None, Some(_)) => (t.school, Pinned::OnExchange),
                (Some(_), Some(h)) => {
                    returns.push(ReturnRow {
                        teacher: t.id.clone(),
                        from: inst.schools[t.school].id.clone(),
                        to: inst.schools[h].id.clone(),
                    });
                    (h, Pinned::Returning)
                }
                // An exchange that ended with nowhere else to go: still "not moved again".
                (Some(_), None) => (t.school, Pinned::Returning),
                (None, None) if t.exempt => (t.school, Pinned::Exempt),
                (None, None) => (t.school, Pinned::No),
            };
            loc.push(l);
            pinned.push(if p == Pinned::No && t.exempt {
                Pinned::Exempt
            } else {
                p
            });
        }
        returns.sort_by(|a, b| a.teacher.cmp(&b.teacher));
        RotationState {
            loc,
            pinned,
            returns,
        }
    }

    pub fn is_free(&self, t: usize) -> bool {
        self.pinned[t] == Pinned::No
    }
}

/// Over the T3 age (men ≥ `exempt_age_male`, women ≥ `exempt_age_female`).
pub fn over_exempt_age(inst: &Instance, policy: &Policy, t: usize) -> bool {
    let age = inst.age(t, policy.plan_year);
    match inst.teachers[t].sex {
        Sex::Male => age >= policy.rotation.exempt_age_male,
        Sex::Female => age >= policy.rotation.exempt_age_female,
    }
}

/// T3: may only move inside their own township (over age and not a volunteer).
pub fn township_bound(inst: &Instance, policy: &Policy, t: usize) -> bool {
    over_exempt_age(inst, policy, t) && !inst.teachers[t].volunteer
}

/// T9: highest level the teacher may teach, from the school they work at after the
/// returns and their certified stages.
pub fn max_level(inst: &Instance, school: usize, t: usize) -> u8 {
    let own = inst.schools[school].stage.levels().1;
    inst.teachers[t]
        .certified_stages
        .iter()
        .map(|s| s.levels().1)
        .fold(own, u8::max)
}

/// T5, helper side: key teacher or senior title.
pub fn helper_may_send(inst: &Instance, t: usize) -> bool {
    let tt = &inst.teachers[t];
    tt.key || tt.title.is_senior()
}

/// T5, weaker side: at most `dispatched_max_age`.
pub fn weak_side_may_send(inst: &Instance, policy: &Policy, t: usize) -> bool {
    inst.age(t, policy.plan_year) <= policy.rotation.dispatched_max_age
}

/// T7 eligibility apart from where the teacher works: free, long enough at the school and
/// not protected by T3. A volunteer over the T3 age has waived that protection, so counts
/// as eligible (our reading of "not age-exempt under T3").
pub fn floor_eligible_person(
    inst: &Instance,
    policy: &Policy,
    state: &RotationState,
    t: usize,
) -> bool {
    state.is_free(t)
        && inst.teachers[t].years_at_school >= policy.rotation.eligible_years
        && !township_bound(inst, policy, t)
}

/// T9 for an exchange slot.
pub fn may_teach_slot(level: u8, slot: SlotStage) -> bool {
    slot.level() <= level
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::moves::testkit::*;

    #[test]
    fn t4_returns_and_continuing_exchanges_are_pinned() {
        let mut inst = tiny();
        // t0 on exchange at S1 from S0 ending this year; t1 continues past it.
        inst.teachers[0].school = 1;
        inst.teachers[0].home_school = Some(0);
        inst.teachers[0].exchange_until = Some(2026);
        inst.teachers[1].school = 1;
        inst.teachers[1].home_school = Some(0);
        inst.teachers[1].exchange_until = Some(2027);
        inst.teachers[2].exempt = true;
        let policy = policy();
        let st = RotationState::new(&inst, &policy);
        assert_eq!(st.loc[0], 0);
        assert_eq!(st.pinned[0], Pinned::Returning);
        assert_eq!(st.loc[1], 1);
        assert_eq!(st.pinned[1], Pinned::OnExchange);
        assert_eq!(st.pinned[2], Pinned::Exempt);
        assert_eq!(st.returns.len(), 1);
        assert_eq!(st.returns[0].from, "S1");
        assert_eq!(st.returns[0].to, "S0");
    }

    #[test]
    fn t3_age_thresholds_and_volunteers() {
        let mut inst = tiny();
        let policy = policy();
        inst.teachers[0].sex = Sex::Male;
        inst.teachers[0].birth_year = 2026 - 55;
        assert!(township_bound(&inst, &policy, 0));
        inst.teachers[0].birth_year = 2026 - 54;
        assert!(!township_bound(&inst, &policy, 0));
        inst.teachers[0].sex = Sex::Female;
        inst.teachers[0].birth_year = 2026 - 50;
        assert!(township_bound(&inst, &policy, 0));
        inst.teachers[0].volunteer = true;
        assert!(!township_bound(&inst, &policy, 0));
    }

    #[test]
    fn t9_certified_stages_raise_the_level() {
        let mut inst = tiny();
        assert_eq!(max_level(&inst, 0, 0), 1);
        inst.teachers[0].certified_stages = vec![crate::domain::Stage::Middle];
        assert_eq!(max_level(&inst, 0, 0), 2);
    }
}
