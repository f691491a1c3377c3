//! The objection round: the planner's locks (hard constraints) and the published plan the
//! re-plan should stay close to.
//!
//! Both need to speak about single teachers while the model speaks about classes, so every
//! locked teacher and every teacher the published plan moved becomes a class of their own
//! ([`Pins::distinct`]); the rest of each class keeps its tie-break. A lock is checked
//! against the rules before anything is solved, so a planner learns which rule a pinned
//! decision breaks instead of reading "infeasible".

use std::collections::BTreeMap;

use super::Context;
use super::arcs::{Arc, ArcKind};
use super::classes::Class;
use super::state::{Pinned, helper_may_send, max_level, township_bound, weak_side_may_send};
use crate::diagnostics::{Problem, Problems};
use crate::domain::instance::{Instance, Sex};
use crate::error::Error;
use crate::io::locks::{LockAction, LockRow};
use crate::lang::Lang;
use crate::plan::{MoveKind, MoveRow};

/// A teacher's outcome this summer: stays, or moves (kind, destination school index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Move(MoveKind, usize),
}

impl Outcome {
    /// `stay`, `transfer S012`, `exchange S003`.
    pub fn text(&self, inst: &Instance) -> String {
        match self {
            Outcome::Stay => "stay".into(),
            Outcome::Move(k, s) => format!("{} {}", k.as_str(), inst.schools[*s].id),
        }
    }
}

/// Locks and the published plan, per teacher.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    pub locks: Vec<LockRow>,
    /// Per teacher: the outcome in the published plan (`--previous`).
    pub previous: Option<Vec<Outcome>>,
    stay: Vec<bool>,
    move_to: Vec<Option<usize>>,
    avoid: Vec<Vec<usize>>,
    /// The language of the explanations written for the planner (shortfalls, the national
    /// floor, `diff.csv`). English unless the pipeline sets the run's documents language.
    pub lang: Lang,
}

/// No locks, no published plan: the plain moves problem.
pub static NO_PINS: Pins = Pins {
    locks: Vec::new(),
    previous: None,
    stay: Vec::new(),
    move_to: Vec::new(),
    avoid: Vec::new(),
    lang: Lang::En,
};

impl Pins {
    /// `locks` are consistent per teacher (see `io::locks`); `previous` has one outcome per
    /// teacher.
    pub fn new(n_teachers: usize, locks: Vec<LockRow>, previous: Option<Vec<Outcome>>) -> Pins {
        let mut stay = vec![false; n_teachers];
        let mut move_to = vec![None; n_teachers];
        let mut avoid = vec![Vec::new(); n_teachers];
        for l in &locks {
            match l.action {
                LockAction::Stay => stay[l.teacher] = true,
                LockAction::Move(s) => move_to[l.teacher] = Some(s),
                LockAction::Avoid(s) => avoid[l.teacher].push(s),
            }
        }
        Pins {
            locks,
            previous,
            stay,
            move_to,
            avoid,
            lang: Lang::En,
        }
    }

    /// Reads a published plan's moves into one outcome per teacher.
    pub fn previous_outcomes(inst: &Instance, moves: &[MoveRow]) -> Result<Vec<Outcome>, Error> {
        let mut out = vec![Outcome::Stay; inst.teachers.len()];
        let mut problems = Problems::default();
        for (i, m) in moves.iter().enumerate() {
            let line = i + 2;
            match (inst.teacher_by_id(&m.teacher), inst.school_by_id(&m.to)) {
                (Some(t), Some(s)) => out[t] = Outcome::Move(m.kind, s),
                (None, _) => problems.push(
                    Problem::new(
                        "previous moves.csv",
                        format!("unknown teacher `{}`", m.teacher),
                        "--previous must be a plan of this instance",
                    )
                    .with_zh(
                        format!("教师不存在：`{}`", m.teacher),
                        "--previous 须为本实例的方案",
                    )
                    .at(line, 1),
                ),
                (_, None) => problems.push(
                    Problem::new(
                        "previous moves.csv",
                        format!("unknown school `{}`", m.to),
                        "--previous must be a plan of this instance",
                    )
                    .with_zh(
                        format!("学校不存在：`{}`", m.to),
                        "--previous 须为本实例的方案",
                    )
                    .at(line, 3),
                ),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(Error::Input(problems))
        }
    }

    /// The teacher must be a class of their own for the locks or the published plan to be
    /// stated exactly.
    pub fn distinct(&self, t: usize) -> bool {
        self.stay.get(t).copied().unwrap_or(false)
            || self.move_to.get(t).copied().flatten().is_some()
            || self.avoid.get(t).is_some_and(|a| !a.is_empty())
            || self
                .previous
                .as_ref()
                .is_some_and(|p| p[t] != Outcome::Stay)
    }

    /// The locked destination of a single-teacher class.
    pub fn move_to(&self, c: &Class) -> Option<usize> {
        c.single
            .and_then(|t| self.move_to.get(t).copied().flatten())
    }

    /// Drops the arcs the locks forbid: every arc of a `stay`, arcs to an avoided school, and
    /// for a `move` every arc elsewhere (the model then makes its flow exactly one).
    pub fn restrict_arcs(&self, classes: &[Class], arcs: Vec<Arc>) -> Vec<Arc> {
        if self.locks.is_empty() {
            return arcs;
        }
        arcs.into_iter()
            .filter(|a| match classes[a.class].single {
                Some(t) => {
                    !self.stay[t]
                        && !self.avoid[t].contains(&a.dest)
                        && self.move_to[t].is_none_or(|s| s == a.dest)
                }
                None => true,
            })
            .collect()
    }

    /// Level 5's cost of one unit of flow on `a`: a teacher the published plan kept home
    /// changes by moving at all; one it moved keeps their outcome only on an arc of the same
    /// kind to the same school (counted −1 against the constant of [`Pins::change_constant`]).
    pub fn change_cost(&self, classes: &[Class], a: &Arc) -> f64 {
        let prev = self
            .previous
            .as_ref()
            .zip(classes[a.class].single)
            .map(|(p, t)| p[t]);
        match prev {
            Some(Outcome::Move(kind, to)) => {
                let same_kind = match kind {
                    MoveKind::Transfer => a.kind == ArcKind::Transfer,
                    MoveKind::Exchange => a.kind.is_exchange(),
                };
                if same_kind && a.dest == to { -1.0 } else { 0.0 }
            }
            _ => 1.0,
        }
    }

    /// Teachers of `class` the published plan moved: each is a change unless a matching
    /// flow takes it back.
    pub fn change_constant(&self, class: &Class) -> f64 {
        match (&self.previous, class.single) {
            (Some(p), Some(t)) if p[t] != Outcome::Stay => 1.0,
            _ => 0.0,
        }
    }
}

/// Where a lock may send a teacher: a transfer inside the group, or an exchange along one
/// pairing direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Way {
    Transfer(usize),
    Exchange { pairing: usize, to_helper: bool },
}

/// Checks every lock against the rules, then the counts the locks force against T2 and T6.
/// A rule broken is an input problem at the lock's line, named by the rule's id; counts
/// beyond a cap are an infeasibility with the numbers.
pub fn check_locks(ctx: &Context, pins: &Pins) -> Result<(), Error> {
    let lang = pins.lang;
    let mut problems = Problems::default();
    let mut forced: BTreeMap<Way, Vec<&LockRow>> = BTreeMap::new();
    for l in &pins.locks {
        match lock_ways(ctx, l, lang) {
            Err(why) => problems.push(
                Problem::new(
                    &l.file,
                    lock_text::rejected(
                        lang,
                        &ctx.inst.teachers[l.teacher].id,
                        &lock_text::describe(lang, l, ctx.inst),
                        &why,
                    ),
                    lang.pick(
                        "请删除或修改这条锁定：任何方案都必须遵守该规则",
                        "drop or change this lock: the rule holds in every plan",
                    ),
                )
                .at_line(l.line),
            ),
            Ok(ways) if ways.len() == 1 => forced.entry(ways[0]).or_default().push(l),
            Ok(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let mut over = Vec::new();
    let n_ex = ctx.policy.rotation.exchanges_per_pairing;
    for (way, locks) in &forced {
        let ids = locks
            .iter()
            .map(|l| format!("{} ({})", ctx.inst.teachers[l.teacher].id, l.at()))
            .collect::<Vec<_>>()
            .join(", ");
        match *way {
            Way::Transfer(g) if locks.len() > ctx.caps[g] as usize => {
                over.push(lock_text::over_transfer_cap(
                    lang,
                    &lock_text::OverCap {
                        at: &ctx.grouping.groups[g].id,
                        locks: locks.len(),
                        ids: &ids,
                        cap: ctx.caps[g] as usize,
                    },
                    ctx.policy.rotation.cross_cap_share,
                    ctx.staff[g],
                ))
            }
            Way::Exchange { pairing, to_helper } if locks.len() > n_ex => {
                let at = format!(
                    "{} ({})",
                    pairing_label(ctx, pairing, lang),
                    direction(to_helper, lang)
                );
                over.push(lock_text::over_exchange_cap(
                    lang,
                    &lock_text::OverCap {
                        at: &at,
                        locks: locks.len(),
                        ids: &ids,
                        cap: n_ex,
                    },
                ))
            }
            _ => {}
        }
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(Error::Infeasible(match lang {
            Lang::Zh => format!("这些锁定无法同时成立：{}", over.join("；")),
            Lang::En => format!("the locks cannot all hold: {}", over.join("; ")),
        }))
    }
}

/// The explanation when the solver finds the locked model infeasible although each lock is
/// allowed and no cap is exceeded by forced locks alone: the locks' use of each cap.
pub fn infeasible_locks(ctx: &Context, pins: &Pins) -> String {
    let lang = pins.lang;
    let mut used: BTreeMap<Way, usize> = BTreeMap::new();
    let mut stays = 0;
    for l in &pins.locks {
        match l.action {
            LockAction::Move(_) => {
                for w in lock_ways(ctx, l, lang).unwrap_or_default() {
                    *used.entry(w).or_default() += 1;
                }
            }
            LockAction::Stay => stays += 1,
            LockAction::Avoid(_) => {}
        }
    }
    let n_ex = ctx.policy.rotation.exchanges_per_pairing;
    let parts: Vec<String> = used
        .iter()
        .map(|(w, n)| match (*w, lang) {
            (Way::Transfer(g), Lang::Zh) => format!(
                "集团 {}：{n} 条调往锁定可能是调动，上限 {}（T2）",
                ctx.grouping.groups[g].id, ctx.caps[g]
            ),
            (Way::Transfer(g), Lang::En) => format!(
                "group {}: {n} move locks may be transfers, cap {} (T2)",
                ctx.grouping.groups[g].id, ctx.caps[g]
            ),
            (Way::Exchange { pairing, to_helper }, Lang::Zh) => format!(
                "结对 {}（{}）：{n} 条调往锁定可能是交流，上限 {n_ex}（T6）",
                pairing_label(ctx, pairing, lang),
                direction(to_helper, lang)
            ),
            (Way::Exchange { pairing, to_helper }, Lang::En) => format!(
                "pairing {} ({}): {n} move locks may be exchanges, cap {n_ex} (T6)",
                pairing_label(ctx, pairing, lang),
                direction(to_helper, lang)
            ),
        })
        .collect();
    let moves = pins
        .locks
        .iter()
        .filter(|l| matches!(l.action, LockAction::Move(_)))
        .count();
    let total = pins.locks.len();
    match lang {
        Lang::Zh => format!(
            "这些锁定与规则无法同时成立（共 {total} 条锁定：{stays} 条本年不交流，{moves} 条调往）；{}；\
             请删去部分调往锁定，或放宽上限",
            if parts.is_empty() {
                "本年不交流的锁定使国家交流比例底线（T7）或必须进行的交流无法达到".into()
            } else {
                parts.join("；")
            }
        ),
        Lang::En => format!(
            "the locks cannot all hold together with the rules ({total} locks: {stays} stay, \
             {moves} move); {}; drop some move locks or relax the caps",
            if parts.is_empty() {
                "the stays leave the national floor (T7) or the obliged exchanges unreachable"
                    .into()
            } else {
                parts.join("; ")
            }
        ),
    }
}

fn pairing_label(ctx: &Context, pi: usize, lang: Lang) -> String {
    let p = &ctx.pairings[pi];
    let to = match (p.school, p.group) {
        (Some(s), _) => ctx.school_id(s).to_string(),
        (None, Some(g)) => format!(
            "{} {}",
            lang.pick("集团", "group"),
            ctx.grouping.groups[g].id
        ),
        (None, None) => "?".into(),
    };
    format!("{} → {to}, {}", ctx.school_id(p.helper), p.slot.as_str())
}

fn direction(to_helper: bool, lang: Lang) -> &'static str {
    match (to_helper, lang) {
        (true, Lang::Zh) => "受援校派往帮扶校",
        (false, Lang::Zh) => "帮扶校派往受援校",
        (true, Lang::En) => "school_to_helper",
        (false, Lang::En) => "helper_to_school",
    }
}

/// The ways a lock may be met, or the first rule it breaks (`T3 — why`).
fn lock_ways(ctx: &Context, l: &LockRow, lang: Lang) -> Result<Vec<Way>, String> {
    let t = l.teacher;
    let year = ctx.policy.plan_year;
    match (ctx.state.pinned[t], l.action) {
        (_, LockAction::Avoid(_)) => return Ok(Vec::new()),
        (Pinned::Returning, _) => {
            let home = ctx.school_id(ctx.state.loc[t]);
            return Err(match lang {
                Lang::Zh => {
                    format!("T4 —— 本暑期交流期满返回 {home}，不再调动；期满返回不由锁定决定")
                }
                Lang::En => format!(
                    "T4 — returns from exchange to {home} this summer and is not moved again; \
                     the return is not a lock's to decide"
                ),
            });
        }
        (Pinned::OnExchange, _) => {
            let host = ctx.school_id(ctx.state.loc[t]);
            return Err(match lang {
                Lang::Zh => format!("T4 —— 在 {host} 的交流延续到 {year} 年以后；留在该校，不调动"),
                Lang::En => format!(
                    "T4 — on an exchange at {host} that continues past {year}; stays there, unmoved"
                ),
            });
        }
        (Pinned::Exempt, LockAction::Move(_)) => {
            return Err(lang
                .pick(
                    "T8 —— 因健康或特殊困难免于交流：从不调动",
                    "T8 — exempt (health or hardship): never moves",
                )
                .into());
        }
        (_, LockAction::Stay) => return Ok(Vec::new()),
        (Pinned::No, LockAction::Move(_)) => {}
    }
    let LockAction::Move(to) = l.action else {
        return Ok(Vec::new());
    };
    let from = ctx.state.loc[t];
    if to == from {
        let at = ctx.school_id(to);
        return Err(match lang {
            Lang::Zh => format!("不构成调动 —— 期满返回后已在 {at} 任教；请用 `stay`"),
            Lang::En => format!("not a move — already works at {at} after the returns; use `stay`"),
        });
    }
    let mut ways = Vec::new();
    if let Some(g) = super::arcs::transfer_group(ctx, from, to) {
        ways.push(Way::Transfer(g));
    }
    for (pi, p) in ctx.pairings.iter().enumerate() {
        if p.helper == from && p.partners.contains(&to) {
            ways.push(Way::Exchange {
                pairing: pi,
                to_helper: false,
            });
        }
        if p.helper == to && p.partners.contains(&from) {
            ways.push(Way::Exchange {
                pairing: pi,
                to_helper: true,
            });
        }
    }
    if ways.is_empty() {
        let group = ctx.grouping.school_group[from].map_or_else(
            || lang.pick("无集团", "no group").to_string(),
            |g| {
                format!(
                    "{} {}",
                    lang.pick("集团", "group"),
                    ctx.grouping.groups[g].id
                )
            },
        );
        let county =
            ctx.policy.rotation.transfer_scope == crate::domain::policy::TransferScope::County;
        let (to_id, from_id) = (ctx.school_id(to), ctx.school_id(from));
        return Err(match lang {
            Lang::Zh => format!(
                "T1 —— {to_id} {}（{group}，现在 {from_id}），且没有结对把两校联系起来进行交流",
                if county {
                    "不是已组团学校，或该教师所在学校不属于任何集团"
                } else {
                    "在该教师所在集团之外"
                }
            ),
            Lang::En => format!(
                "T1 — {to_id} is {} ({group}, at {from_id}) and no pairing links the \
                 two schools for an exchange",
                if county {
                    "not a grouped school, or the teacher's school is in no group,"
                } else {
                    "outside the teacher's group"
                }
            ),
        });
    }
    let mut why = Vec::new();
    let ok: Vec<Way> = ways
        .into_iter()
        .filter(|&w| match way_breaks(ctx, t, from, to, w, lang) {
            Some(r) => {
                why.push(r);
                false
            }
            None => true,
        })
        .collect();
    if ok.is_empty() {
        why.dedup();
        return Err(why.join("; "));
    }
    Ok(ok)
}

/// The first rule a move of `t` from `from` to `to` by way `w` breaks.
fn way_breaks(
    ctx: &Context,
    t: usize,
    from: usize,
    to: usize,
    w: Way,
    lang: Lang,
) -> Option<String> {
    let inst = ctx.inst;
    let policy = ctx.policy;
    let age = inst.age(t, policy.plan_year);
    if township_bound(inst, policy, t) && inst.schools[from].township != inst.schools[to].township {
        let male = matches!(inst.teachers[t].sex, Sex::Male);
        return Some(match lang {
            Lang::Zh => format!(
                "T3 —— {age} 岁{}教师（非自愿）不得调往其他乡镇",
                if male { "男" } else { "女" }
            ),
            Lang::En => format!(
                "T3 — a {age}-year-old {} may not be moved to another township (not a volunteer)",
                if male { "man" } else { "woman" }
            ),
        });
    }
    let level = max_level(inst, from, t);
    match w {
        Way::Transfer(_) => {
            let need = inst.schools[to].stage.levels().0;
            if need > level {
                let at = ctx.school_id(to);
                return Some(match lang {
                    Lang::Zh => {
                        format!("T9 —— 最高只能任教到层级 {level}；{at} 的最低层级为 {need}")
                    }
                    Lang::En => {
                        format!("T9 — may teach up to level {level}; {at} starts at level {need}")
                    }
                });
            }
        }
        Way::Exchange { pairing, to_helper } => {
            let r = &policy.rotation;
            if r.exchanges_per_pairing == 0 {
                return Some(
                    lang.pick(
                        "T6 —— exchanges_per_pairing 为 0：不安排交流",
                        "T6 — exchanges_per_pairing is 0: no exchanges",
                    )
                    .into(),
                );
            }
            if to_helper && !weak_side_may_send(inst, policy, t) {
                let max = r.dispatched_max_age;
                return Some(match lang {
                    Lang::Zh => format!("T5 —— {age} 岁：薄弱方只派出 {max} 岁及以下的教师"),
                    Lang::En => {
                        format!("T5 — aged {age}: the weaker side sends teachers of at most {max}")
                    }
                });
            }
            if !to_helper && r.helper_sends_key_or_senior && !helper_may_send(inst, t) {
                return Some(
                    lang.pick(
                        "T5 —— 帮扶校只派出骨干教师或高级职称教师交流",
                        "T5 — a helper sends only key teachers or senior titles on exchange",
                    )
                    .into(),
                );
            }
            let slot = ctx.pairings[pairing].slot;
            if slot.level() > level {
                let (name, need) = (slot.as_str(), slot.level());
                return Some(match lang {
                    Lang::Zh => format!(
                        "T9 —— 最高只能任教到层级 {level}；该结对的 {name} 岗位属层级 {need}"
                    ),
                    Lang::En => format!(
                        "T9 — may teach up to level {level}; the pairing's {name} slot is level {need}"
                    ),
                });
            }
        }
    }
    if let Some(max) = policy.rotation.max_move_km {
        let km = inst.distance(from, to);
        if km > max + 1e-9 {
            return Some(match lang {
                Lang::Zh => format!("T10 —— {km:.1} 公里超过调动距离上限 max_move_km = {max}"),
                Lang::En => format!("T10 — {km:.1} km is longer than max_move_km = {max}"),
            });
        }
    }
    None
}

/// One row of `diff.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffRow {
    pub teacher: String,
    pub previous: String,
    pub now: String,
    pub reason: String,
}

/// Every teacher whose outcome differs from the published plan, by teacher id, with the
/// simplest honest reason: their own lock, a lock on a teacher of a shared subject at a
/// school involved, or a plain re-optimisation.
pub fn diff(inst: &Instance, pins: &Pins, moves: &[MoveRow]) -> Vec<DiffRow> {
    let Some(prev) = &pins.previous else {
        return Vec::new();
    };
    let mut now = vec![Outcome::Stay; inst.teachers.len()];
    for m in moves {
        if let (Some(t), Some(s)) = (inst.teacher_by_id(&m.teacher), inst.school_by_id(&m.to)) {
            now[t] = Outcome::Move(m.kind, s);
        }
    }
    let subjects = |t: usize| {
        let tt = &inst.teachers[t];
        std::iter::once(tt.subject.as_str())
            .chain(tt.second_subject.as_deref())
            .collect::<Vec<_>>()
    };
    let mut rows = Vec::new();
    for t in 0..inst.teachers.len() {
        if prev[t] == now[t] {
            continue;
        }
        let own: Vec<&LockRow> = pins.locks.iter().filter(|l| l.teacher == t).collect();
        let reason = if let Some(l) = own.first() {
            diff_text::locked(pins.lang, l, inst)
        } else {
            let mut places = vec![inst.teachers[t].school];
            for o in [prev[t], now[t]] {
                if let Outcome::Move(_, s) = o {
                    places.push(s);
                }
            }
            let mine = subjects(t);
            // A lock touching one of this teacher's schools: first one sharing a subject
            // there, else any (say, a freed transfer slot of the same school).
            let touching = |l: &LockRow| {
                let own = inst.teachers[l.teacher].school;
                let at = match l.action {
                    LockAction::Stay => own,
                    LockAction::Move(s) | LockAction::Avoid(s) => s,
                };
                [at, own].into_iter().find(|s| places.contains(s))
            };
            let by_subject = pins.locks.iter().find_map(|l| {
                let at = touching(l)?;
                subjects(l.teacher)
                    .iter()
                    .any(|s| mine.contains(s))
                    .then(|| {
                        diff_text::displaced_subject(
                            pins.lang,
                            &inst.teachers[l.teacher].id,
                            &inst.schools[at].id,
                        )
                    })
            });
            let by_school = || {
                pins.locks.iter().find_map(|l| {
                    touching(l).map(|at| {
                        diff_text::displaced_school(
                            pins.lang,
                            &inst.teachers[l.teacher].id,
                            &inst.schools[at].id,
                        )
                    })
                })
            };
            by_subject
                .or_else(by_school)
                .unwrap_or_else(|| diff_text::reoptimised(pins.lang, !pins.locks.is_empty()))
        };
        rows.push(DiffRow {
            teacher: inst.teachers[t].id.clone(),
            previous: prev[t].text(inst),
            now: now[t].text(inst),
            reason,
        });
    }
    rows.sort_by(|a, b| a.teacher.cmp(&b.teacher));
    rows
}

/// The words of the lock checks' explanations.
mod lock_text {
    use crate::domain::instance::Instance;
    use crate::io::locks::{LockAction, LockRow};
    use crate::lang::Lang;

    /// The lock in the planner's words.
    pub fn describe(lang: Lang, l: &LockRow, inst: &Instance) -> String {
        match (lang, l.action) {
            (Lang::En, _) => l.describe(inst),
            (Lang::Zh, LockAction::Stay) => "（本年不交流）".into(),
            (Lang::Zh, LockAction::Move(s)) => format!("（调往 {}）", inst.schools[s].id),
            (Lang::Zh, LockAction::Avoid(s)) => format!("（不派往 {}）", inst.schools[s].id),
        }
    }

    /// A lock that breaks a rule in every plan: teacher, lock, rule and why.
    pub fn rejected(lang: Lang, teacher: &str, lock: &str, why: &str) -> String {
        match lang {
            Lang::Zh => format!("{teacher}{lock}：{why}"),
            Lang::En => format!("{teacher} {lock}: {why}"),
        }
    }

    /// Forced locks beyond one cap: where, how many, which, and the cap.
    pub struct OverCap<'a> {
        pub at: &'a str,
        pub locks: usize,
        pub ids: &'a str,
        pub cap: usize,
    }

    pub fn over_transfer_cap(
        lang: Lang,
        o: &OverCap,
        share: f64,
        staff: impl std::fmt::Display,
    ) -> String {
        let (at, n, ids, cap, drop) = (o.at, o.locks, o.ids, o.cap, o.locks - o.cap);
        match lang {
            Lang::Zh => format!(
                "T2：集团 {at} 有 {n} 条只能以调动实现的调往锁定（{ids}），但其上限为 {cap}\
                 （floor({share} × {staff} 名教职工)）；请删去其中 {drop} 条，或提高 cross_cap_share"
            ),
            Lang::En => format!(
                "T2: group {at} has {n} move locks that can only be transfers ({ids}) but its cap \
                 is {cap} (floor({share} × {staff} staff)); drop {drop} of them or raise cross_cap_share"
            ),
        }
    }

    pub fn over_exchange_cap(lang: Lang, o: &OverCap) -> String {
        let (at, n, ids, cap, drop) = (o.at, o.locks, o.ids, o.cap, o.locks - o.cap);
        match lang {
            Lang::Zh => format!(
                "T6：结对 {at} 有 {n} 条只能以交流实现的调往锁定（{ids}），但 \
                 exchanges_per_pairing 为 {cap}；请删去其中 {drop} 条，或提高 exchanges_per_pairing"
            ),
            Lang::En => format!(
                "T6: pairing {at} has {n} move locks that can only be exchanges ({ids}) but \
                 exchanges_per_pairing is {cap}; drop {drop} of them or raise exchanges_per_pairing"
            ),
        }
    }
}

/// The words of `diff.csv`'s reasons.
mod diff_text {
    use crate::domain::instance::Instance;
    use crate::io::locks::{LockAction, LockRow};
    use crate::lang::Lang;

    pub fn locked(lang: Lang, l: &LockRow, inst: &Instance) -> String {
        match lang {
            Lang::En => format!("locked: {}", l.describe(inst)),
            Lang::Zh => {
                let what = match l.action {
                    LockAction::Stay => "本年不交流".to_string(),
                    LockAction::Move(s) => format!("调往 {}", inst.schools[s].id),
                    LockAction::Avoid(s) => format!("不派往 {}", inst.schools[s].id),
                };
                format!("本人已锁定：{what}")
            }
        }
    }

    pub fn displaced_subject(lang: Lang, teacher: &str, school: &str) -> String {
        match lang {
            Lang::Zh => format!("因锁定教师 {teacher} 而调整（{school} 同学科）"),
            Lang::En => format!("displaced by a lock on {teacher} (same subject at {school})"),
        }
    }

    pub fn displaced_school(lang: Lang, teacher: &str, school: &str) -> String {
        match lang {
            Lang::Zh => format!("因锁定教师 {teacher} 而调整（同校 {school}）"),
            Lang::En => format!("displaced by a lock on {teacher} (same school {school})"),
        }
    }

    pub fn reoptimised(lang: Lang, after_locks: bool) -> String {
        lang.pick(
            if after_locks {
                "锁定后重新优化"
            } else {
                "重新优化"
            },
            if after_locks {
                "re-optimised after locks"
            } else {
                "re-optimised"
            },
        )
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::mip::MipOptions;
    use crate::solve::moves::plan_moves_pinned;
    use crate::solve::moves::testkit::*;

    /// tiny() with group g-1 = S1, S2 and one transfer allowed: S1's two math teachers
    /// (B 8 years, C 3 years) compete for S2's math post; B moves by the tie-break.
    fn solve(
        locks: &[(usize, LockAction)],
        previous: Option<Vec<Outcome>>,
    ) -> Result<Vec<MoveRow>, Error> {
        solve_with(locks, previous, |_| {})
    }

    fn solve_with(
        locks: &[(usize, LockAction)],
        previous: Option<Vec<Outcome>>,
        tweak: impl Fn(&mut crate::domain::policy::Policy),
    ) -> Result<Vec<MoveRow>, Error> {
        let inst = tiny();
        let mut policy = policy();
        policy.rotation.exchanges_per_pairing = 0;
        policy.rotation.cross_cap_share = 0.34;
        policy.rotation.max_move_km = Some(10.0);
        tweak(&mut policy);
        let g = grouping(&inst, &["S1", "S2"]);
        let locks = locks
            .iter()
            .enumerate()
            .map(|(i, &(teacher, action))| LockRow {
                file: "locks.csv".into(),
                line: i + 2,
                teacher,
                action,
            })
            .collect();
        let pins = Pins::new(inst.teachers.len(), locks, previous);
        plan_moves_pinned(&inst, &policy, &g, &[], &MipOptions::default(), &pins).map(|o| o.moves)
    }

    fn movers(moves: &[MoveRow]) -> Vec<(&str, &str)> {
        moves
            .iter()
            .map(|m| (m.teacher.as_str(), m.to.as_str()))
            .collect()
    }

    #[test]
    fn without_pins_the_tie_break_moves_b() {
        assert_eq!(movers(&solve(&[], None).expect("solve")), [("B", "S2")]);
    }

    #[test]
    fn stay_and_avoid_locks_hand_the_move_to_c() {
        let m = solve(&[(1, LockAction::Stay)], None).expect("solve");
        assert_eq!(movers(&m), [("C", "S2")]);
        let m = solve(&[(1, LockAction::Avoid(2))], None).expect("solve");
        assert_eq!(movers(&m), [("C", "S2")]);
    }

    #[test]
    fn a_move_lock_moves_that_teacher_even_covering_nothing() {
        let m = solve(&[(2, LockAction::Move(2))], None).expect("solve");
        assert_eq!(movers(&m), [("C", "S2")]);
        // D (chinese, S2) to S1, where no chinese post exists: still moved; the cap then
        // leaves S2's math post empty.
        let m = solve(&[(3, LockAction::Move(1))], None).expect("solve");
        assert_eq!(movers(&m), [("D", "S1")]);
    }

    #[test]
    fn a_lock_outside_the_group_names_t1() {
        // S3 is outside g-1 and no pairing links it to S1.
        match solve(&[(1, LockAction::Move(3))], None) {
            Err(Error::Input(p)) => {
                let text = p.to_string();
                assert!(text.contains("locks.csv:2: B move to S3: T1"), "{text}");
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    fn rejection(r: Result<Vec<MoveRow>, Error>) -> String {
        match r {
            Err(Error::Input(p)) => p.to_string(),
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn t10_and_t1_locks_are_rejected_with_their_ids() {
        // S1 → S2 is 5 km.
        let text = rejection(solve_with(&[(1, LockAction::Move(2))], None, |p| {
            p.rotation.max_move_km = Some(1.0);
        }));
        assert!(text.contains("B move to S2: T10 — 5.0 km"), "{text}");
        // The helper's teacher A: no pairing here, so no way to S1 (T1).
        let text = rejection(solve(&[(0, LockAction::Move(1))], None));
        assert!(text.contains("A move to S1: T1"), "{text}");
    }

    #[test]
    fn two_forced_transfers_over_the_cap_are_explained() {
        match solve(&[(1, LockAction::Move(2)), (2, LockAction::Move(2))], None) {
            Err(Error::Infeasible(why)) => {
                assert!(why.contains("T2: group g-1 has 2 move locks"), "{why}");
                assert!(why.contains("its cap is 1"), "{why}");
            }
            other => panic!("expected infeasible, got {other:?}"),
        }
    }

    #[test]
    fn the_published_plan_wins_ties_the_tie_break_would_break() {
        // The published plan moved C, not B: both are optimal, so C moves again.
        let mut prev = vec![Outcome::Stay; 4];
        prev[2] = Outcome::Move(MoveKind::Transfer, 2);
        let m = solve(&[], Some(prev.clone())).expect("solve");
        assert_eq!(movers(&m), [("C", "S2")]);
        let inst = tiny();
        let pins = Pins::new(4, Vec::new(), Some(prev));
        assert!(diff(&inst, &pins, &m).is_empty());
    }

    #[test]
    fn diff_reasons_name_the_lock() {
        let inst = tiny();
        let mut prev = vec![Outcome::Stay; 4];
        prev[1] = Outcome::Move(MoveKind::Transfer, 2);
        let lock = LockRow {
            file: "locks.csv".into(),
            line: 2,
            teacher: 1,
            action: LockAction::Stay,
        };
        let pins = Pins::new(4, vec![lock], Some(prev));
        let m = solve(&[(1, LockAction::Stay)], None).expect("solve");
        let d = diff(&inst, &pins, &m);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (
                d[0].teacher.as_str(),
                d[0].previous.as_str(),
                d[0].now.as_str()
            ),
            ("B", "transfer S2", "stay")
        );
        assert_eq!(d[0].reason, "locked: stay");
        assert_eq!(d[1].teacher, "C");
        assert_eq!(d[1].reason, "displaced by a lock on B (same subject at S1)");
    }
}
