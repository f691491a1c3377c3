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
        staffing.shortage_before(inst, to, &m.subject),
        staffing.shortage_after(inst, to, &m.subject),
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
                &inst.demand_of(to, &m.subject).to_string(),
                &staffing.supply_after(to, &m.subject).to_string(),
            ],
        ));
    }
    if let (MoveKind::Transfer, Some(from)) = (m.kind, from) {
        if let Some(t) = inst.teacher_by_id(&m.teacher) {
            let own = &inst.teachers[t].subject;
            let (have, need) = (staffing.supply_before(from, own), inst.demand_of(from, own));
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
