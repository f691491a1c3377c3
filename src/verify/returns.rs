//! T4's first half: `returns.csv` sends home exactly the teachers whose exchange ends.

use std::collections::BTreeSet;

use super::rule::{F1, T4};
use super::{Audit, at};
use crate::domain::instance::Teacher;
use crate::io::plan_files::RETURNS;

/// T4: `returns.csv` holds exactly this summer's returns, host → home.
pub(super) fn check_returns(a: &mut Audit, returning: &dyn Fn(&Teacher) -> bool) {
    let rows = a.plan.returns.clone().unwrap_or_default();
    let mut listed: BTreeSet<usize> = BTreeSet::new();
    for l in &rows {
        let r = &l.row;
        let here = at(
            RETURNS,
            l.line,
            &format!("{} {}→{}", r.teacher, r.from, r.to),
        );
        let Some(ti) = a.inst.teacher_by_id(&r.teacher) else {
            a.flag(
                F1,
                format!("教师不存在：`{}`", r.teacher),
                format!("unknown teacher `{}`", r.teacher),
                vec![here],
            );
            continue;
        };
        let t = a.inst.teachers[ti].clone();
        if !listed.insert(ti) {
            a.flag(
                T4,
                format!("教师 `{}` 返回两次", t.id),
                format!("teacher `{}` returns twice", t.id),
                vec![here],
            );
            continue;
        }
        if !returning(&t) {
            a.flag(
                T4, format!("教师 `{}` 没有在 {} 年前结束的交流（exchange_until {}），不应返回", t.id, a.policy.plan_year, t.exchange_until.map_or("空".into(), |y| y.to_string())),
                format!(
                    "teacher `{}` has no exchange ending by {} (exchange_until {}), so does not return",
                    t.id,
                    a.policy.plan_year,
                    t.exchange_until.map_or("empty".into(), |y| y.to_string())
                ),
                vec![here],
            );
            continue;
        }
        let host = &a.inst.schools[t.school].id;
        let home = t.home_school.map_or("", |h| a.inst.schools[h].id.as_str());
        if r.from != *host || r.to != home {
            a.flag(
                T4,
                format!(
                    "教师 `{}` 应从 `{host}` 返回 `{home}`，而不是 `{}` → `{}`",
                    t.id, r.from, r.to
                ),
                format!(
                    "teacher `{}` returns from `{host}` to `{home}`, not `{}` → `{}`",
                    t.id, r.from, r.to
                ),
                vec![here],
            );
        }
    }
    for (ti, t) in a.inst.teachers.iter().enumerate() {
        if returning(t) && !listed.contains(&ti) {
            a.report.violations.push(super::Violation {
                rule: T4.id,
                message: format!(
                    "teacher `{}`'s exchange ends in {} but returns.csv does not send them home",
                    t.id,
                    t.exchange_until.unwrap_or_default()
                ),
                message_zh: format!(
                    "教师 `{}` 的交流于 {} 年结束，但 returns.csv 没有让其返回原校",
                    t.id,
                    t.exchange_until.unwrap_or_default()
                ),
                rows: vec![format!("teachers.csv {}", t.id)],
                source: T4.source,
            });
        }
    }
}
