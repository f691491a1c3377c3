//! County- and group-wide limits on moves: T2's per-group cap and T7's national floor.

use std::collections::BTreeSet;

use super::groups::Groups;
use super::moves::Outcome;
use super::rule::{T2, T7};
use super::{Audit, at, spec};
use crate::domain::instance::{Sex, Teacher};
use crate::io::plan_files::MOVES;
use crate::plan::MoveKind;

/// T2: transfers per group within floor(share × staff after returns + 1e-9).
pub(super) fn check_caps(a: &mut Audit, groups: &Groups, out: &mut Outcome) {
    let share = a.policy.rotation.cross_cap_share;
    for g in &groups.list {
        let staff = out
            .after_returns
            .iter()
            .filter(|&&s| groups.of(s).is_some_and(|x| x.id == g.id))
            .count();
        let cap = (share * staff as f64 + 1e-9).floor() as usize;
        out.staff_cap.insert(g.id.clone(), (staff, cap));
        let rows: Vec<String> = out
            .moves
            .iter()
            .filter(|m| {
                m.kind == MoveKind::Transfer && groups.of(m.from).is_some_and(|x| x.id == g.id)
            })
            .map(|m| at(MOVES, m.line, &a.inst.teachers[m.teacher].id))
            .collect();
        if rows.len() > cap {
            a.flag(
                T2, format!("集团 `{}` 有 {} 人调动；上限 = floor({share} × {staff} 名教职工 + 1e-9) = {cap}", g.id, rows.len()),
                format!(
                    "group `{}` has {} transfers; cap = floor({share} × {staff} staff + 1e-9) = {cap}",
                    g.id,
                    rows.len()
                ),
                rows,
            );
        }
    }
}

/// T7: the national floor over eligible teachers, and the key teachers' share of movers.
pub(super) fn check_floor(
    a: &mut Audit,
    groups: &Groups,
    out: &Outcome,
    returning: &dyn Fn(&Teacher) -> bool,
    continuing: &dyn Fn(&Teacher) -> bool,
) {
    let rot = a.policy.rotation.clone();
    let year = a.policy.plan_year;
    let moved: BTreeSet<usize> = out.moves.iter().map(|m| m.teacher).collect();
    let mut eligible = 0usize;
    let mut eligible_moved = 0usize;
    for (ti, t) in a.inst.teachers.iter().enumerate() {
        let s = out.after_returns[ti];
        let placed = groups.of(s).is_some() || a.inst.schools[s].helper;
        let limit = match t.sex {
            Sex::Male => rot.exempt_age_male,
            Sex::Female => rot.exempt_age_female,
        };
        let age_exempt = spec::age(t, year) >= limit && !t.volunteer;
        if placed
            && !returning(t)
            && !continuing(t)
            && !t.exempt
            && t.years_at_school >= rot.eligible_years
            && !age_exempt
        {
            eligible += 1;
            if moved.contains(&ti) {
                eligible_moved += 1;
            }
        }
    }
    let need = (rot.floor_share * eligible as f64 - 1e-9).ceil().max(0.0) as usize;
    if eligible_moved < need {
        a.flag(
            T7, format!("{eligible} 名符合条件的教师中有 {eligible_moved} 人交流；底线要求 ceil({} × {eligible} − 1e-9) = {need} 人", rot.floor_share),
            format!(
                "{eligible_moved} of {eligible} eligible teachers move; the floor needs ceil({} × {eligible} − 1e-9) = {need}",
                rot.floor_share
            ),
            vec!["moves.csv".into()],
        );
    }
    let key_moved = moved.iter().filter(|&&t| a.inst.teachers[t].key).count();
    if (key_moved as f64) < rot.floor_key_share * moved.len() as f64 - 1e-9 {
        a.flag(
            T7, format!("{} 名交流教师中骨干教师 {key_moved} 人；骨干比例 floor_key_share {} 要求至少 {:.2} 人", moved.len(), rot.floor_key_share, rot.floor_key_share * moved.len() as f64),
            format!(
                "{key_moved} key teachers among {} movers; floor_key_share {} needs at least {:.2}",
                moved.len(),
                rot.floor_key_share,
                rot.floor_key_share * moved.len() as f64
            ),
            vec!["moves.csv".into()],
        );
    }
}
