//! T1–T10 on `moves.csv` and `returns.csv`, plus the files' own consistency (F1–F5).

use std::collections::{BTreeMap, BTreeSet};

use super::groups::Groups;
use super::rule::{F1, F2, F3, F4, F5, T1, T3, T4, T5, T6, T8, T9, T10};
use super::{Audit, TransferScope, at, spec};
use crate::domain::instance::{Sex, Teacher};
use crate::domain::policy::PairingLevel;
use crate::domain::stage::SlotStage;
use crate::io::plan_files::MOVES;
use crate::plan::MoveKind;

/// A move whose ids all resolve.
#[derive(Debug, Clone)]
pub(crate) struct Move {
    pub line: usize,
    pub teacher: usize,
    pub from: usize,
    pub to: usize,
    pub kind: MoveKind,
    pub subject: String,
    /// The non-helper end's group for an exchange matched to a pairing.
    pub exchange_group: Option<String>,
}

/// What the audit of moves hands to the metrics.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    /// Each teacher's school after this summer's returns, before any move.
    pub after_returns: Vec<usize>,
    pub moves: Vec<Move>,
    /// Per group id: (staff after returns, cap).
    pub staff_cap: BTreeMap<String, (usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    HelperToSchool,
    SchoolToHelper,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::HelperToSchool => "helper_to_school",
            Direction::SchoolToHelper => "school_to_helper",
        }
    }
}

/// A pairing row resolved for matching exchanges.
#[derive(Debug, Clone)]
struct Pairing {
    line: usize,
    helper: usize,
    group: String,
    /// Set at school level.
    school: Option<usize>,
    stage: SlotStage,
}

pub(crate) fn check(a: &mut Audit, groups: &Groups) -> Outcome {
    let year = a.policy.plan_year;
    let returning =
        |t: &Teacher| t.home_school.is_some() && t.exchange_until.is_some_and(|y| y <= year);
    let continuing = |t: &Teacher| t.exchange_until.is_some_and(|y| y > year);
    let after_returns: Vec<usize> = a
        .inst
        .teachers
        .iter()
        .map(|t| match t.home_school {
            Some(h) if returning(t) => h,
            _ => t.school,
        })
        .collect();
    super::returns::check_returns(a, &returning);
    let pairings = resolve_pairings(a, groups);
    let mut out = Outcome {
        after_returns: after_returns.clone(),
        ..Outcome::default()
    };
    let rows = a.plan.moves.clone().unwrap_or_default();
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_pairing: BTreeMap<(usize, Direction), Vec<String>> = BTreeMap::new();
    for l in &rows {
        let r = &l.row;
        let here = at(MOVES, l.line, &format!("{} {}→{}", r.teacher, r.from, r.to));
        let teacher = a.inst.teacher_by_id(&r.teacher);
        let from = a.inst.school_by_id(&r.from);
        let to = a.inst.school_by_id(&r.to);
        for (what, id, found) in [
            ("teacher", &r.teacher, teacher.is_some()),
            ("school", &r.from, from.is_some()),
            ("school", &r.to, to.is_some()),
        ] {
            if !found {
                a.flag(
                    F1,
                    format!(
                        "{}不存在：`{id}`",
                        if what == "teacher" {
                            "教师"
                        } else {
                            "学校"
                        }
                    ),
                    format!("unknown {what} `{id}`"),
                    vec![here.clone()],
                );
            }
        }
        let (Some(ti), Some(from), Some(to)) = (teacher, from, to) else {
            continue;
        };
        if let Some(first) = seen.insert(ti, l.line) {
            a.flag(
                F2,
                format!("教师 `{}` 被调动两次", r.teacher),
                format!("teacher `{}` is moved twice", r.teacher),
                vec![at(MOVES, first, &r.teacher), here.clone()],
            );
        }
        let t = a.inst.teachers[ti].clone();
        let (sf, st) = (&a.inst.schools[from], &a.inst.schools[to]);
        if from != after_returns[ti] {
            a.flag(
                F3,
                format!(
                    "调出校 `from` 为 `{}`，但教师 `{}` 在本暑期期满返回后位于 `{}`",
                    r.from, t.id, a.inst.schools[after_returns[ti]].id
                ),
                format!(
                    "`from` is `{}` but teacher `{}` is at `{}` after this summer's returns",
                    r.from, t.id, a.inst.schools[after_returns[ti]].id
                ),
                vec![here.clone()],
            );
        }
        if from == to {
            a.flag(
                F3,
                "调出校 `from` 与调入校 `to` 是同一所学校",
                "`from` and `to` are the same school",
                vec![here.clone()],
            );
        }
        if r.subject != t.subject && t.second_subject.as_deref() != Some(r.subject.as_str()) {
            a.flag(
                F4,
                format!(
                    "教师 `{}` 任教{}{}，却安排承担{}",
                    t.id,
                    t.subject,
                    t.second_subject
                        .as_deref()
                        .map(|s| format!("、{s}"))
                        .unwrap_or_default(),
                    r.subject
                ),
                format!(
                    "teacher `{}` teaches {}{} but is to cover {}",
                    t.id,
                    t.subject,
                    t.second_subject
                        .as_deref()
                        .map(|s| format!(" and {s}"))
                        .unwrap_or_default(),
                    r.subject
                ),
                vec![here.clone()],
            );
        }
        // T4: this summer's returners and continuing exchanges stay put; years are exact.
        if returning(&t) {
            a.flag(
                T4,
                format!("教师 `{}` 本暑期交流期满返回，不得再次调动", t.id),
                format!(
                    "teacher `{}` returns from exchange this summer and may not move again",
                    t.id
                ),
                vec![here.clone()],
            );
        } else if continuing(&t) {
            a.flag(
                T4,
                format!(
                    "教师 `{}` 交流至 {} 年，应留在交流学校",
                    t.id,
                    t.exchange_until.unwrap_or_default()
                ),
                format!(
                    "teacher `{}` is on an exchange until {} and stays at the host",
                    t.id,
                    t.exchange_until.unwrap_or_default()
                ),
                vec![here.clone()],
            );
        }
        if r.start_year != year {
            a.flag(
                T4,
                format!(
                    "起始年 start_year {} ≠ 规划年 plan_year {year}",
                    r.start_year
                ),
                format!("start_year {} ≠ plan_year {year}", r.start_year),
                vec![here.clone()],
            );
        }
        if t.exempt {
            a.flag(
                T8,
                format!("教师 `{}` 因特殊困难免于交流，不得调动", t.id),
                format!("teacher `{}` is exempt (hardship) and may not move", t.id),
                vec![here.clone()],
            );
        }
        let age = spec::age(&t, year);
        let limit = match t.sex {
            Sex::Male => a.policy.rotation.exempt_age_male,
            Sex::Female => a.policy.rotation.exempt_age_female,
        };
        if sf.township != st.township && age >= limit && !t.volunteer {
            a.flag(
                T3, format!("教师 `{}`（{}，{age} 岁 ≥ {limit}，非自愿）被从乡镇 `{}` 调往 `{}`", t.id, if matches!(t.sex, Sex::Male) { "男" } else { "女" }, a.inst.townships[sf.township].id, a.inst.townships[st.township].id),
                format!(
                    "teacher `{}` ({}, aged {age} ≥ {limit}, not a volunteer) is moved from township `{}` to `{}`",
                    t.id,
                    t.sex.as_str(),
                    a.inst.townships[sf.township].id,
                    a.inst.townships[st.township].id
                ),
                vec![here.clone()],
            );
        }
        let km = a.geo.km(from, to);
        if let Some(max) = a.policy.rotation.max_move_km.filter(|&m| km > m + 1e-9) {
            a.flag(
                T10,
                format!("调动距离 {km:.3} 公里 > 上限 max_move_km {max}"),
                format!("move of {km:.3} km > max_move_km {max}"),
                vec![here.clone()],
            );
        }
        let top = spec::top_level(&t, a.inst.schools[from].stage);
        let mut exchange_group = None;
        match r.kind {
            MoveKind::Transfer => {
                if r.end_year.is_some() || r.slot.is_some() {
                    a.flag(
                        F5,
                        "调动（transfer）不应有 end_year 和 slot",
                        "a transfer has no end_year and no slot",
                        vec![here.clone()],
                    );
                }
                let (gf, gt) = (groups.of(from), groups.of(to));
                let county = a.extras.transfer_scope == TransferScope::County;
                match (gf, gt) {
                    (Some(x), Some(y)) if x.id == y.id => {}
                    // 县管校聘: from a grouped school to a school in a group of any track.
                    (Some(_), Some(_)) if county => {}
                    _ => a.flag(
                        T1,
                        format!(
                            "从 `{}`（集团 {}）到 `{}`（集团 {}）的调动{}",
                            sf.id,
                            gf.map_or("无", |g| g.id.as_str()),
                            st.id,
                            gt.map_or("无", |g| g.id.as_str()),
                            if county {
                                "超出了已组团学校的范围（transfer_scope = \"county\"）"
                            } else {
                                "超出了该教师所在集团"
                            }
                        ),
                        format!(
                            "transfer from `{}` (group {}) to `{}` (group {}) leaves {}",
                            sf.id,
                            gf.map_or("none", |g| g.id.as_str()),
                            st.id,
                            gt.map_or("none", |g| g.id.as_str()),
                            if county {
                                "the grouped schools (transfer_scope = \"county\")"
                            } else {
                                "the teacher's group"
                            }
                        ),
                        vec![here.clone()],
                    ),
                }
                let lowest = spec::stage_levels(st.stage).0;
                if lowest > top {
                    a.flag(
                        T9, format!("`{}`（{}）的最低学段层级为 {lowest}；教师 `{}` 最高只能任教到层级 {top}", st.id, st.stage, t.id),
                        format!(
                            "`{}` ({}) starts at level {lowest}; teacher `{}` may teach up to level {top}",
                            st.id, st.stage, t.id
                        ),
                        vec![here.clone()],
                    );
                }
            }
            MoveKind::Exchange => {
                let want = year + a.policy.rotation.exchange_years;
                if r.end_year != Some(want) {
                    a.flag(
                        T4,
                        format!(
                            "交流结束年 end_year {} ≠ 规划年 + 交流年限 = {want}",
                            r.end_year.map_or("空".to_string(), |y| y.to_string())
                        ),
                        format!(
                            "exchange end_year {} ≠ plan_year + exchange_years = {want}",
                            r.end_year.map_or("empty".to_string(), |y| y.to_string())
                        ),
                        vec![here.clone()],
                    );
                }
                let Some(slot) = r.slot else {
                    a.flag(
                        F5,
                        "交流（exchange）须写明所依结对的岗位 slot",
                        "an exchange names its pairing's slot",
                        vec![here.clone()],
                    );
                    out.moves.push(Move {
                        line: l.line,
                        teacher: ti,
                        from,
                        to,
                        kind: r.kind,
                        subject: r.subject.clone(),
                        exchange_group: None,
                    });
                    continue;
                };
                if spec::slot_level(slot) > top {
                    a.flag(
                        T9,
                        format!(
                            "{slot} 岗位属层级 {}；教师 `{}` 最高只能任教到层级 {top}",
                            spec::slot_level(slot),
                            t.id
                        ),
                        format!(
                            "the {slot} slot is level {}; teacher `{}` may teach up to level {top}",
                            spec::slot_level(slot),
                            t.id
                        ),
                        vec![here.clone()],
                    );
                }
                match match_pairing(a, groups, &pairings, from, to, slot) {
                    None => a.flag(
                        T6, format!("没有 {slot} 岗位的结对把 `{}` 和 `{}` 联系起来（须为帮扶校与其帮扶集团内需要该岗位的学校）", sf.id, st.id),
                        format!(
                            "no pairing of {slot} links `{}` and `{}` (a helper and a school serving the slot in a group it helps)",
                            sf.id, st.id
                        ),
                        vec![here.clone()],
                    ),
                    Some((pi, dir)) => {
                        per_pairing.entry((pi, dir)).or_default().push(here.clone());
                        let p = &pairings[pi];
                        exchange_group = Some(p.group.clone());
                        let rot = a.policy.rotation.clone();
                        match dir {
                            Direction::SchoolToHelper if age > rot.dispatched_max_age => a.flag(
                                T5, format!("教师 `{}` {age} 岁，由薄弱方派出；派出年龄上限 dispatched_max_age = {}", t.id, rot.dispatched_max_age),
                                format!(
                                    "teacher `{}` aged {age} is sent by the weaker side; dispatched_max_age = {}",
                                    t.id, rot.dispatched_max_age
                                ),
                                vec![here.clone()],
                            ),
                            Direction::HelperToSchool
                                if rot.helper_sends_key_or_senior
                                    && !t.key
                                    && !spec::senior_title(t.title) =>
                            {
                                a.flag(
                                    T5, format!("帮扶校 `{}` 派出 `{}`，其既非骨干教师也非高级职称（{}）", sf.id, t.id, t.title.as_str()),
                                    format!(
                                        "helper `{}` sends `{}`, who is neither a key teacher nor senior ({})",
                                        sf.id,
                                        t.id,
                                        t.title.as_str()
                                    ),
                                    vec![here.clone()],
                                )
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        out.moves.push(Move {
            line: l.line,
            teacher: ti,
            from,
            to,
            kind: r.kind,
            subject: r.subject.clone(),
            exchange_group,
        });
    }
    let n = a.policy.rotation.exchanges_per_pairing;
    for ((pi, dir), rows) in &per_pairing {
        if rows.len() > n {
            let p = &pairings[*pi];
            a.flag(
                T6, format!("结对 {} → {} {}（pairings.csv:{}）的 {} 方向有 {} 人交流；每个结对每方向上限 exchanges_per_pairing = {n}", a.inst.schools[p.helper].id, p.school.map_or(p.group.clone(), |s| a.inst.schools[s].id.clone()), p.stage, p.line, dir.as_str(), rows.len()),
                format!(
                    "pairing {} → {} {} (pairings.csv:{}) has {} exchanges {}; exchanges_per_pairing = {n}",
                    a.inst.schools[p.helper].id,
                    p.school.map_or(p.group.clone(), |s| a.inst.schools[s].id.clone()),
                    p.stage,
                    p.line,
                    rows.len(),
                    dir.as_str()
                ),
                rows.clone(),
            );
        }
    }
    compare_shortfalls(a, &pairings, &per_pairing);
    super::quotas::check_caps(a, groups, &mut out);
    if a.policy.rotation.national_floor {
        super::quotas::check_floor(a, groups, &out, &returning, &continuing);
    }
    out
}

fn resolve_pairings(a: &Audit, groups: &Groups) -> Vec<Pairing> {
    let school_level = a.policy.pairing.level == PairingLevel::School;
    let mut out = Vec::new();
    for l in a.plan.pairings.iter().flatten() {
        let r = &l.row;
        let Some(helper) = a.inst.school_by_id(&r.helper) else {
            continue;
        };
        let school = if school_level {
            match r.school.as_deref().and_then(|s| a.inst.school_by_id(s)) {
                Some(s) => Some(s),
                None => continue,
            }
        } else {
            if groups.by_id(&r.group).is_none() {
                continue;
            }
            None
        };
        out.push(Pairing {
            line: l.line,
            helper,
            group: r.group.clone(),
            school,
            stage: r.stage,
        });
    }
    out
}

/// T6: the pairing an exchange runs under, and its direction.
fn match_pairing(
    a: &Audit,
    groups: &Groups,
    pairings: &[Pairing],
    from: usize,
    to: usize,
    slot: SlotStage,
) -> Option<(usize, Direction)> {
    let serves = |p: &Pairing, s: usize| -> bool {
        if !spec::opens_slot(a.inst.schools[s].stage, slot) {
            return false;
        }
        match p.school {
            Some(x) => x == s,
            None => groups.of(s).is_some_and(|g| g.id == p.group),
        }
    };
    pairings.iter().enumerate().find_map(|(i, p)| {
        if p.stage != slot {
            None
        } else if p.helper == from && serves(p, to) {
            Some((i, Direction::HelperToSchool))
        } else if p.helper == to && serves(p, from) {
            Some((i, Direction::SchoolToHelper))
        } else {
            None
        }
    })
}

/// T6: every pairing short of its exchanges is listed in the summary with what it made.
fn compare_shortfalls(
    a: &mut Audit,
    pairings: &[Pairing],
    made: &BTreeMap<(usize, Direction), Vec<String>>,
) {
    if a.plan.moves.is_none() {
        return;
    }
    let Some(listed) = a
        .summary_at(&["rotation", "exchange_shortfalls"])
        .and_then(|v| v.as_array())
        .cloned()
    else {
        return;
    };
    a.report.metrics_checked += 1;
    let n = a.policy.rotation.exchanges_per_pairing;
    let mut ours = BTreeSet::new();
    for (i, p) in pairings.iter().enumerate() {
        for dir in [Direction::HelperToSchool, Direction::SchoolToHelper] {
            let k = made.get(&(i, dir)).map_or(0, Vec::len);
            if k < n {
                ours.insert(format!(
                    "{}/{}/{}/{}/{}/{k}",
                    a.inst.schools[p.helper].id,
                    p.group,
                    p.stage,
                    p.school.map_or("", |s| a.inst.schools[s].id.as_str()),
                    dir.as_str()
                ));
            }
        }
    }
    let theirs: BTreeSet<String> = listed
        .iter()
        .map(|e| {
            let f = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let made = e.get("made").and_then(|v| v.as_f64()).unwrap_or(-1.0);
            format!(
                "{}/{}/{}/{}/{}/{made}",
                f("helper"),
                f("group"),
                f("stage"),
                f("school"),
                f("direction")
            )
        })
        .collect();
    if theirs != ours {
        let fmt = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        a.mismatch(
            &["rotation", "exchange_shortfalls"],
            fmt(&theirs),
            fmt(&ours),
        );
    }
}
