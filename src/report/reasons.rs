//! Why each teacher moves, in words a planner and the teacher can read: the `reason` column
//! of `moves.csv`, computed once when the moves are written and shown word for word by the
//! report and the workbook (a planner-made `moves.csv` without the column gets its reasons
//! from the same function).
//!
//! A transfer's reason is the shortage it closes at the destination (counted from the
//! instance and the whole plan, so "3 → 2" is that school's gap in that subject before and
//! after this summer), or, when the destination had no gap, the post it keeps filled. An
//! exchange names its pairing (互派). Plain text: the page escapes it.

use super::data::Staffing;
use super::i18n::{Key, Lang, fill, stage_name, subject_name};
use crate::domain::Instance;
use crate::domain::grouping::Grouping;
use crate::plan::{GroupRow, MoveKind, MoveRow, PairingRow, ReturnRow};
use crate::words::group_name;

/// The display name of a school id: its name when known, else the id as written.
pub fn school_label(inst: &Instance, id: &str) -> String {
    inst.school_by_id(id)
        .map_or_else(|| id.to_string(), |s| inst.schools[s].name.clone())
}

/// What a reason is computed from: the instance and the whole plan.
pub struct Basis<'a> {
    pub inst: &'a Instance,
    pub grouping: &'a Grouping,
    pub pairings: &'a [PairingRow],
    pub staffing: Staffing,
}

impl<'a> Basis<'a> {
    pub fn new(
        inst: &'a Instance,
        grouping: &'a Grouping,
        pairings: &'a [PairingRow],
        returns: &[ReturnRow],
        moves: &[MoveRow],
    ) -> Basis<'a> {
        Basis {
            inst,
            grouping,
            pairings,
            staffing: Staffing::new(inst, returns, moves),
        }
    }

    fn group_of(&self, school: &str) -> Option<usize> {
        self.inst
            .school_by_id(school)
            .and_then(|s| self.grouping.school_group.get(s).copied().flatten())
    }
}

/// Gives every move without a reason (none, or an empty cell) its reason in `lang`; reasons
/// already there are kept word for word.
pub fn fill_reasons(
    inst: &Instance,
    grouping: &Grouping,
    pairings: &[PairingRow],
    returns: &[ReturnRow],
    moves: &mut [MoveRow],
    lang: Lang,
) {
    if moves
        .iter()
        .all(|m| m.reason.as_deref().is_some_and(|r| !r.trim().is_empty()))
    {
        return;
    }
    let basis = Basis::new(inst, grouping, pairings, returns, moves);
    let reasons: Vec<Option<String>> = moves
        .iter()
        .map(|m| {
            let missing = m.reason.as_deref().is_none_or(|r| r.trim().is_empty());
            missing.then(|| reason(&basis, m, lang))
        })
        .collect();
    for (m, r) in moves.iter_mut().zip(reasons) {
        if let Some(r) = r {
            m.reason = Some(r);
        }
    }
}

/// The reason for one move. Never empty: a move the plan cannot explain from the data (an
/// unknown school, say) still says what kind of move it is.
pub fn reason(b: &Basis, m: &MoveRow, lang: Lang) -> String {
    let inst = b.inst;
    let staffing = &b.staffing;
    let sep = Key::ReasonSep.text(lang);
    let mut parts = Vec::new();
    if m.kind == MoveKind::Exchange {
        parts.push(exchange_reason(b, m, lang));
    }
    let (Some(to), from) = (inst.school_by_id(&m.to), inst.school_by_id(&m.from)) else {
        if parts.is_empty() {
            parts.push(fill(
                lang,
                Key::ReasonTransferOnly,
                &[&school_label(inst, &m.from), &school_label(inst, &m.to)],
            ));
        }
        return parts.join(sep);
    };
    let subject = subject_name(lang, &m.subject);
    let to_name = inst.schools[to].name.as_str();
    let (bf, af) = (
        staffing.shortage_before(to, &m.subject),
        staffing.shortage_after(to, &m.subject),
    );
    if bf > af {
        parts.push(fill(
            lang,
            Key::ReasonFills,
            &[to_name, &subject, &bf.to_string(), &af.to_string()],
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
    if parts.is_empty() {
        parts.push(fill(
            lang,
            Key::ReasonTransferOnly,
            &[&school_label(inst, &m.from), &school_label(inst, &m.to)],
        ));
    }
    parts.join(sep)
}

/// Gives every move without a reason its reason from the plan files alone, for a plan whose
/// `moves.csv` predates the `reason` column exported without the instance: an exchange names
/// its pairing (pairings.csv and groups.csv say all of it); a transfer names its group and
/// says that the shortage it closes needs the instance (teachers and demand are not in the
/// plan). Reasons already there are kept word for word; none is left empty.
pub fn fill_reasons_from_plan(
    groups: &[GroupRow],
    pairings: &[PairingRow],
    moves: &mut [MoveRow],
    lang: Lang,
) {
    let group_of = |school: &str| {
        groups
            .iter()
            .find(|g| g.school == school)
            .map(|g| g.group.as_str())
    };
    for m in moves.iter_mut() {
        if m.reason.as_deref().is_some_and(|r| !r.trim().is_empty()) {
            continue;
        }
        let subject = subject_name(lang, &m.subject);
        let text = match m.kind {
            MoveKind::Exchange => plan_only_exchange(&group_of, pairings, m, lang),
            MoveKind::Transfer => match (group_of(&m.from), group_of(&m.to)) {
                (Some(a), Some(b)) if a == b => fill(
                    lang,
                    Key::ReasonPlanOnlyTransfer,
                    &[&m.from, &m.to, a, &subject],
                ),
                _ => fill(lang, Key::ReasonPlanOnlyMove, &[&m.from, &m.to, &subject]),
            },
        };
        m.reason = Some(text);
    }
}

/// An exchange's pairing from pairings.csv and groups.csv, by school and group ids.
fn plan_only_exchange<'a>(
    group_of: &dyn Fn(&str) -> Option<&'a str>,
    pairings: &[PairingRow],
    m: &MoveRow,
    lang: Lang,
) -> String {
    let is_helper = |id: &str| pairings.iter().any(|p| p.helper == id);
    let (helper, school, dir) = if is_helper(&m.from) && !is_helper(&m.to) {
        (&m.from, &m.to, Key::ReasonSentByHelper)
    } else {
        (&m.to, &m.from, Key::ReasonSentToHelper)
    };
    let group = group_of(school);
    let pairing = pairings.iter().find(|p| {
        p.helper == *helper
            && m.slot.is_none_or(|s| s == p.stage)
            && (p.school.as_deref() == Some(school.as_str())
                || (p.school.is_none() && Some(p.group.as_str()) == group))
    });
    match pairing {
        Some(p) => {
            let target = p
                .school
                .clone()
                .unwrap_or_else(|| fill(lang, Key::ReasonGroupId, &[&p.group]));
            fill(
                lang,
                Key::ReasonExchange,
                &[
                    helper,
                    &target,
                    &stage_name(lang, p.stage.as_str()),
                    dir.text(lang),
                ],
            )
        }
        None => fill(lang, Key::ReasonExchangeNoPairing, &[&m.from, &m.to]),
    }
}

/// "学校2与XX教育集团结对互派（初中），由帮扶校派出".
fn exchange_reason(b: &Basis, m: &MoveRow, lang: Lang) -> String {
    let inst = b.inst;
    let is_helper = |id: &str| {
        inst.school_by_id(id)
            .is_some_and(|s| inst.schools[s].helper)
            || b.pairings.iter().any(|p| p.helper == id)
    };
    let (helper, school, dir) = if is_helper(&m.from) && !is_helper(&m.to) {
        (&m.from, &m.to, Key::ReasonSentByHelper)
    } else {
        (&m.to, &m.from, Key::ReasonSentToHelper)
    };
    let group = b.group_of(school);
    let group_id = group.map(|g| b.grouping.groups[g].id.as_str());
    let pairing = b.pairings.iter().find(|p| {
        p.helper == *helper
            && m.slot.is_none_or(|s| s == p.stage)
            && (p.school.as_deref() == Some(school.as_str())
                || (p.school.is_none() && Some(p.group.as_str()) == group_id))
    });
    match pairing {
        Some(p) => {
            let target = match (&p.school, b.grouping.group_by_id(&p.group)) {
                (Some(s), _) => school_label(inst, s),
                (None, Some(g)) => group_name(inst, b.grouping, g, lang),
                (None, None) => p.group.clone(),
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
    use crate::report::data::PlanData;

    fn fixture() -> (Instance, PlanData) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let inst = crate::io::read_instance(&root.join("tests/data/examples/schools-tiny"))
            .expect("instance");
        let plan = PlanData::load(&inst, &root.join("tests/data/report-tiny")).expect("plan");
        (inst, plan)
    }

    fn basis<'a>(inst: &'a Instance, plan: &'a PlanData) -> Basis<'a> {
        Basis::new(
            inst,
            &plan.grouping,
            &plan.pairings,
            &plan.returns,
            &plan.moves,
        )
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
            reason: None,
        }
    }

    #[test]
    fn transfer_names_the_shortage_it_closes_and_the_surplus_it_leaves() {
        let (inst, plan) = fixture();
        let b = basis(&inst, &plan);
        // S4 math: 4 posts; P45, P46 stay, P34 returns home to S3: 2 short; P33 and P35 arrive.
        assert_eq!(
            reason(&b, &plan.moves[0], Lang::En),
            "fills the math shortage at 学校5 (2 → 0); \
             from a surplus at 学校4 (4 math teachers for 2 posts)"
        );
        assert_eq!(
            reason(&b, &plan.moves[0], Lang::Zh),
            "补学校5数学缺口（2 → 0）；调出校学校4数学超编（4 人 / 2 岗）"
        );
    }

    #[test]
    fn exchange_names_its_pairing_by_group_name_and_direction() {
        let (inst, plan) = fixture();
        let b = basis(&inst, &plan);
        assert_eq!(
            reason(&b, &plan.moves[2], Lang::En),
            "exchange under the pairing of 学校2 with 学校3 education group (middle), sent by the helper"
        );
        assert_eq!(
            reason(&b, &plan.moves[2], Lang::Zh),
            "学校2与学校3教育集团结对互派（初中），由帮扶校派出"
        );
        assert_eq!(
            reason(&b, &plan.moves[3], Lang::En),
            "exchange under the pairing of 学校2 with 学校3 education group (middle), sent to the helper; \
             fills the chinese shortage at 学校2 (2 → 1)"
        );
        let mut stray = plan.moves[2].clone();
        stray.to = "S5".into();
        stray.slot = Some(crate::domain::SlotStage::Kindergarten);
        assert_eq!(
            reason(&b, &stray, Lang::En),
            "exchange 学校2 ↔ 学校6; no matching pairing in pairings.csv"
        );
    }

    #[test]
    fn transfer_without_a_gap_says_what_it_staffs_and_no_reason_is_empty() {
        let (inst, plan) = fixture();
        let b = basis(&inst, &plan);
        // S2 pe: 2 posts, 3 teachers; nobody leaves.
        let m = transfer("P38", "S3", "S2", "pe");
        assert_eq!(
            reason(&b, &m, Lang::En),
            "pe at 学校3: 3 teachers for 2 posts → 3"
        );
        // S3 math: P33 and P35 leave, so a math teacher arriving there replaces one.
        let m = transfer("P45", "S4", "S3", "math");
        assert_eq!(
            reason(&b, &m, Lang::En),
            "replaces a math teacher leaving 学校4"
        );
        // An unknown destination gives no invented figure, but still a reason.
        let m = transfer("P45", "S4", "S99", "math");
        assert_eq!(reason(&b, &m, Lang::Zh), "由学校5调往S99");
    }

    #[test]
    fn fill_keeps_given_reasons_and_fills_the_rest() {
        let (inst, plan) = fixture();
        let mut moves = plan.moves.clone();
        moves[0].reason = Some("规划人员填写".into());
        moves[1].reason = Some(String::new());
        fill_reasons(
            &inst,
            &plan.grouping,
            &plan.pairings,
            &plan.returns,
            &mut moves,
            Lang::Zh,
        );
        assert_eq!(moves[0].reason.as_deref(), Some("规划人员填写"));
        for m in &moves[1..] {
            assert!(m.reason.as_deref().is_some_and(|r| !r.is_empty()));
        }
    }
}
