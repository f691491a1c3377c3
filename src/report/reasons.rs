//! Why each teacher moves, in words a planner and the teacher can read.
//!
//! A transfer's reason is the shortage it closes at the destination (counted from the
//! instance and the whole plan, so "3 → 2" is that school's gap in that subject before and
//! after this summer), or, when the destination had no gap, the post it keeps filled. An
//! exchange names its pairing (互派). Plain text: the page escapes it.

use super::data::{PlanData, Staffing};
use super::i18n::{Key, Lang, fill, stage_name, subject_name};
use crate::domain::Instance;
use crate::plan::{MoveKind, MoveRow};

/// The display name of a school id: its name when known, else the id as written.
pub fn school_label(inst: &Instance, id: &str) -> String {
    inst.school_by_id(id)
        .map_or_else(|| id.to_string(), |s| inst.schools[s].name.clone())
}

/// The reason for one move.
pub fn reason(
    inst: &Instance,
    plan: &PlanData,
    staffing: &Staffing,
    m: &MoveRow,
    lang: Lang,
) -> String {
    let sep = Key::ReasonSep.text(lang);
    let mut parts = Vec::new();
    if m.kind == MoveKind::Exchange {
        parts.push(exchange_reason(inst, plan, m, lang));
    }
    let (Some(to), from) = (inst.school_by_id(&m.to), inst.school_by_id(&m.from)) else {
        return parts.join(sep);
    };
    let subject = subject_name(lang, &m.subject);
    let to_name = inst.schools[to].name.as_str();
    let (b, a) = (
        staffing.shortage_before(to, &m.subject),
        staffing.shortage_after(to, &m.subject),
    );
    if b > a {
        parts.push(fill(
            lang,
            Key::ReasonFills,
            &[to_name, &subject, &b.to_string(), &a.to_string()],
        ));
    } else if staffing.leaving(to, &m.subject) > 0 {
        parts.push(fill(lang, Key::ReasonReplaces, &[to_name, &subject]));
    } else if m.kind == MoveKind::Transfer {
        parts.push(fill(
            lang,
            Key::ReasonStaffs,
            &[
                to_name,
                &subject,
                &staffing.supply_before(to, &m.subject).to_string(),
                &staffing.demand(to, &m.subject).to_string(),
                &staffing.supply_after(to, &m.subject).to_string(),
            ],
        ));
    }
    let teacher = inst.teacher_by_id(&m.teacher);
    if let (MoveKind::Transfer, Some(from), Some(t)) = (m.kind, from, teacher) {
        let own = &inst.teachers[t].subject;
        let (have, need) = (
            staffing.supply_before(from, own),
            staffing.demand(from, own),
        );
        if have > need {
            parts.push(fill(
                lang,
                Key::ReasonSurplus,
                &[
                    &inst.schools[from].name,
                    &subject_name(lang, own),
                    &have.to_string(),
                    &need.to_string(),
                ],
            ));
        }
    }
    parts.join(sep)
}

/// "exchange under pairing H → group G (stage), sent by the helper (互派)".
fn exchange_reason(inst: &Instance, plan: &PlanData, m: &MoveRow, lang: Lang) -> String {
    let is_helper = |id: &str| {
        inst.school_by_id(id)
            .is_some_and(|s| inst.schools[s].helper)
            || plan.pairings.iter().any(|p| p.helper == id)
    };
    let (helper, school, dir) = if is_helper(&m.from) && !is_helper(&m.to) {
        (&m.from, &m.to, Key::ReasonSentByHelper)
    } else {
        (&m.to, &m.from, Key::ReasonSentToHelper)
    };
    let group = plan
        .group_of(inst, school)
        .map(|g| plan.grouping.groups[g].id.clone());
    let pairing = plan.pairings.iter().find(|p| {
        p.helper == *helper
            && m.slot.is_none_or(|s| s == p.stage)
            && (p.school.as_deref() == Some(school.as_str())
                || (p.school.is_none() && Some(&p.group) == group.as_ref()))
    });
    match pairing {
        Some(p) => {
            let target = match &p.school {
                Some(s) => school_label(inst, s),
                None => p.group.clone(),
            };
            fill(
                lang,
                Key::ReasonExchange,
                &[
                    &school_label(inst, helper),
                    &target,
                    &stage_name(lang, p.stage.as_str()),
                    dir.text(lang),
                ],
            )
        }
        None => fill(
            lang,
            Key::ReasonExchangeNoPairing,
            &[&school_label(inst, &m.from), &school_label(inst, &m.to)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::report::data::{PlanData, Staffing};

    fn fixture() -> (Instance, PlanData) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let inst = crate::io::read_instance(&root.join("tests/data/examples/schools-tiny"))
            .expect("instance");
        let plan = PlanData::load(&inst, &root.join("tests/data/report-tiny")).expect("plan");
        (inst, plan)
    }

    fn transfer(teacher: &str, from: &str, to: &str, subject: &str) -> MoveRow {
        MoveRow {
            teacher: teacher.into(),
            from: from.into(),
            to: to.into(),
            kind: MoveKind::Transfer,
            subject: subject.into(),
            start_year: 2026,
            end_year: None,
            slot: None,
        }
    }

    #[test]
    fn transfer_names_the_shortage_it_closes_and_the_surplus_it_leaves() {
        let (inst, plan) = fixture();
        let st = Staffing::new(&inst, &plan.returns, &plan.moves);
        // S4 math: 4 posts; P45, P46 stay, P34 returns home to S3: 2 short; P33 and P35 arrive.
        assert_eq!(
            reason(&inst, &plan, &st, &plan.moves[0], Lang::En),
            "fills the math shortage at 学校5 (2 → 0); \
             from a surplus at 学校4 (4 math teachers for 2 posts)"
        );
        assert_eq!(
            reason(&inst, &plan, &st, &plan.moves[0], Lang::Zh),
            "补学校5数学缺口（2 → 0）；调出校学校4数学超编（4 人 / 2 岗）"
        );
    }

    #[test]
    fn exchange_names_its_pairing_and_direction() {
        let (inst, plan) = fixture();
        let st = Staffing::new(&inst, &plan.returns, &plan.moves);
        assert_eq!(
            reason(&inst, &plan, &st, &plan.moves[2], Lang::En),
            "exchange under pairing 学校2 → group compulsory-1 (middle), sent by the helper (互派)"
        );
        assert_eq!(
            reason(&inst, &plan, &st, &plan.moves[3], Lang::En),
            "exchange under pairing 学校2 → group compulsory-1 (middle), sent to the helper (互派); \
             fills the chinese shortage at 学校2 (2 → 1)"
        );
        let mut stray = plan.moves[2].clone();
        stray.to = "S5".into();
        stray.slot = Some(crate::domain::SlotStage::Kindergarten);
        assert_eq!(
            reason(&inst, &plan, &st, &stray, Lang::En),
            "exchange 学校2 ↔ 学校6; no matching pairing in pairings.csv"
        );
    }

    #[test]
    fn transfer_without_a_gap_says_what_it_staffs() {
        let (inst, plan) = fixture();
        let st = Staffing::new(&inst, &plan.returns, &plan.moves);
        // S2 pe: 2 posts, 3 teachers; nobody leaves.
        let m = transfer("P38", "S3", "S2", "pe");
        assert_eq!(
            reason(&inst, &plan, &st, &m, Lang::En),
            "pe at 学校3: 3 teachers for 2 posts → 3"
        );
        // S3 math: P33 and P35 leave, so a math teacher arriving there replaces one.
        let m = transfer("P45", "S4", "S3", "math");
        assert_eq!(
            reason(&inst, &plan, &st, &m, Lang::En),
            "replaces a math teacher leaving 学校4"
        );
        // An unknown destination gives no invented reason.
        let m = transfer("P45", "S4", "S99", "math");
        assert_eq!(reason(&inst, &plan, &st, &m, Lang::En), "");
    }
}
