//! Why a pairing falls short of its exchanges, and why the national floor cannot be met,
//! with the numbers a planner needs to relax the policy.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::arcs::{Arc, ArcKind, may_go};
use super::classes::Class;
use super::model::FloorReq;
use super::{Context, group_cap};
use crate::domain::stage::SlotStage;
use crate::error::Error;
use crate::lang::Lang;
use crate::words;

/// A pairing direction that made fewer exchanges than `exchanges_per_pairing`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub helper: String,
    pub group: String,
    pub stage: SlotStage,
    pub school: Option<String>,
    /// `helper_to_school` or `school_to_helper`.
    pub direction: &'static str,
    pub made: u32,
    pub cap: u32,
    pub reason: String,
}

impl Shortfall {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("helper".into(), Value::String(self.helper.clone()));
        m.insert("group".into(), Value::String(self.group.clone()));
        m.insert("stage".into(), Value::String(self.stage.as_str().into()));
        if let Some(s) = &self.school {
            m.insert("school".into(), Value::String(s.clone()));
        }
        m.insert("direction".into(), Value::String(self.direction.into()));
        m.insert("made".into(), Value::from(self.made));
        m.insert("cap".into(), Value::from(self.cap));
        m.insert("reason".into(), Value::String(self.reason.clone()));
        Value::Object(m)
    }
}

/// Every pairing direction short of its cap, with the first rule that thins the candidates
/// below it.
///
/// `classes` are the unmerged classes (their flags are exact per member); `arcs` and
/// `flows` only give the exchanges made.
pub fn shortfalls(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    flows: &[(usize, u32)],
) -> Vec<Shortfall> {
    let n = ctx.policy.rotation.exchanges_per_pairing as u32;
    let mut made: BTreeMap<(usize, bool), u32> = BTreeMap::new();
    for &(ai, x) in flows {
        if let ArcKind::Exchange { pairing, to_helper } = arcs[ai].kind {
            *made.entry((pairing, to_helper)).or_default() += x;
        }
    }
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    for (pi, p) in ctx.pairings.iter().enumerate() {
        for to_helper in [false, true] {
            let m = made.get(&(pi, to_helper)).copied().unwrap_or(0);
            if m >= n {
                continue;
            }
            let reason = reason(ctx, classes, pi, to_helper, m);
            out.push(Shortfall {
                helper: ctx.school_id(p.helper).to_string(),
                group: p
                    .group
                    .map(|g| ctx.grouping.groups[g].id.clone())
                    .unwrap_or_default(),
                stage: p.slot,
                school: p.school.map(|s| ctx.school_id(s).to_string()),
                direction: if to_helper {
                    "school_to_helper"
                } else {
                    "helper_to_school"
                },
                made: m,
                cap: n,
                reason,
            });
        }
    }
    out
}

fn reason(ctx: &Context, classes: &[Class], pi: usize, to_helper: bool, made: u32) -> String {
    let lang = ctx.pins.lang;
    let zh = lang == Lang::Zh;
    let p = &ctx.pairings[pi];
    let h = ctx.school_id(p.helper);
    let slot = words::slot_stage(p.slot, lang);
    let level = p.slot.level();
    let target = match (p.school, p.group, zh) {
        (Some(s), _, false) => format!("school {}", ctx.school_id(s)),
        (Some(s), _, true) => format!("学校 {}", ctx.school_id(s)),
        (None, Some(g), false) => format!("group {}", ctx.grouping.groups[g].id),
        (None, Some(g), true) => words::group_name(ctx.inst, ctx.grouping, g, lang),
        (None, None, false) => "its partner".into(),
        (None, None, true) => "结对对象".into(),
    };
    if p.partners.is_empty() {
        return if zh {
            format!("{target}没有承担{slot}学段的学校")
        } else {
            format!("{target} has no school serving the {slot} slot")
        };
    }
    let senders: Vec<&Class> = classes
        .iter()
        .filter(|c| {
            if to_helper {
                p.partners.contains(&c.school)
            } else {
                c.school == p.helper
            }
        })
        .collect();
    let count = |f: &dyn Fn(&Class) -> bool| -> usize {
        senders.iter().filter(|c| f(c)).map(|c| c.size()).sum()
    };
    let none = |what: &str| match (to_helper, zh) {
        (true, false) => format!("no {slot} school of {target} has a {what}"),
        (false, false) => format!("helper {h} has no {what}"),
        (true, true) => format!("{target}的{slot}学校中没有{what}"),
        (false, true) => format!("帮扶校 {h} 没有{what}"),
    };
    let free = count(&|c| c.free);
    if free == 0 {
        return none(lang.pick(
            "本年可交流的教师（均已豁免、将返回或正在交流：T4、T8）",
            "teacher free to move this summer (all exempt, returning or on exchange: T4, T8)",
        ));
    }
    let t5 = |c: &Class| {
        if to_helper {
            c.young_ok
        } else {
            c.helper_ok || !ctx.policy.rotation.helper_sends_key_or_senior
        }
    };
    let age = ctx.policy.rotation.dispatched_max_age;
    let who = match (
        to_helper,
        ctx.policy.rotation.helper_sends_key_or_senior,
        zh,
    ) {
        (true, _, false) => format!("teacher aged {age} or under"),
        (true, _, true) => format!("{age} 岁及以下的教师"),
        (false, true, false) => "key or senior teacher".to_string(),
        (false, true, true) => "骨干或高级职称教师".to_string(),
        (false, false, false) => "teacher".to_string(),
        (false, false, true) => "教师".to_string(),
    };
    let n5 = count(&|c| c.free && t5(c));
    if n5 == 0 {
        return none(&if zh {
            format!("可交流的{who}（T5）")
        } else {
            format!("{who} free to move (T5)")
        });
    }
    let n9 = count(&|c| c.free && t5(c) && level <= c.max_level);
    if n9 == 0 {
        return none(&if zh {
            format!("可任教{slot}的{who}（T9）")
        } else {
            format!("{who} who may teach {slot} work (T9)")
        });
    }
    let dests: Vec<usize> = if to_helper {
        vec![p.helper]
    } else {
        p.partners.clone()
    };
    let reach = |c: &Class| -> (bool, bool) {
        // (allowed by T3, allowed by T3 and T10)
        let t3 = |to: usize| {
            !c.township_bound
                || ctx.inst.schools[c.school].township == ctx.inst.schools[to].township
        };
        (
            dests.iter().any(|&d| t3(d)),
            dests.iter().any(|&d| may_go(ctx, c, d)),
        )
    };
    let ok = |c: &Class| c.free && t5(c) && level <= c.max_level;
    let n3 = count(&|c| ok(c) && reach(c).0);
    if n3 == 0 {
        return none(&if zh {
            format!("可跨乡镇交流的{who}（T3）")
        } else {
            format!("{who} who may go to another township (T3)")
        });
    }
    let n10 = count(&|c| ok(c) && reach(c).1);
    if n10 == 0 {
        let km = ctx.policy.rotation.max_move_km.unwrap_or(f64::INFINITY);
        return none(&if zh {
            format!("距对方 {km} km（max_move_km）以内的{who}（T10）")
        } else {
            format!("{who} within max_move_km = {km} of the other side (T10)")
        });
    }
    let side = match (to_helper, zh) {
        (true, false) => format!("the {slot} schools of {target} have"),
        (false, false) => format!("helper {h} has"),
        (true, true) => format!("{target}的{slot}学校"),
        (false, true) => format!("帮扶校 {h} "),
    };
    let _ = made;
    if (n10 as u32) < ctx.policy.rotation.exchanges_per_pairing as u32 {
        return if zh {
            format!("{side}只有 {n10} 名可派出的{who}（T3、T5、T9、T10）")
        } else {
            format!("{side} only {n10} {who}(s) who may go (T3, T5, T9, T10)")
        };
    }
    if zh {
        format!(
            "{side}有 {n10} 名可派出的{who}，但他们已被其他结对或调整占用（每名教师只交流一次）"
        )
    } else {
        format!(
            "{side} {n10} {who}(s) who may go, but they are needed by other pairings (one move per teacher)"
        )
    }
}

/// T7: how many eligible teachers there are and how many must move.
pub fn floor_requirement(ctx: &Context, classes: &[Class]) -> FloorReq {
    let eligible: usize = classes
        .iter()
        .filter(|c| c.eligible)
        .map(|c| c.size())
        .sum();
    FloorReq {
        eligible: eligible as u32,
        min_eligible_movers: (ctx.policy.rotation.floor_share * eligible as f64 - 1e-9)
            .ceil()
            .max(0.0) as u32,
        key_share: ctx.policy.rotation.floor_key_share,
    }
}

/// Upper bounds on eligible movers: by transfer within each group's cap, and by exchange
/// within each pairing's cap.
struct FloorBounds {
    /// Per group: eligible teachers with some transfer arc.
    transferable: BTreeMap<usize, u32>,
    exchange: u32,
    movable: u32,
}

fn floor_bounds(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    want: fn(&Class) -> bool,
) -> FloorBounds {
    let mut has_transfer = vec![false; classes.len()];
    let mut has_any = vec![false; classes.len()];
    let mut per_pair: BTreeMap<(usize, bool), Vec<usize>> = BTreeMap::new();
    for a in arcs {
        has_any[a.class] = true;
        match a.kind {
            ArcKind::Transfer => has_transfer[a.class] = true,
            ArcKind::Exchange { pairing, to_helper } => per_pair
                .entry((pairing, to_helper))
                .or_default()
                .push(a.class),
        }
    }
    let mut transferable = BTreeMap::new();
    let mut movable = 0u32;
    for (ci, c) in classes.iter().enumerate() {
        if !want(c) || !has_any[ci] {
            continue;
        }
        movable += c.size() as u32;
        if has_transfer[ci]
            && let Some(g) = ctx.grouping.school_group[c.school]
        {
            *transferable.entry(g).or_insert(0) += c.size() as u32;
        }
    }
    let n = ctx.policy.rotation.exchanges_per_pairing as u32;
    let exchange = per_pair
        .values_mut()
        .map(|cs| {
            cs.sort_unstable();
            cs.dedup();
            let cand: u32 = cs
                .iter()
                .filter(|&&ci| want(&classes[ci]))
                .map(|&ci| classes[ci].size() as u32)
                .sum();
            cand.min(n)
        })
        .sum();
    FloorBounds {
        transferable,
        exchange,
        movable,
    }
}

fn transfer_bound(ctx: &Context, b: &FloorBounds, share: f64) -> u32 {
    b.transferable
        .iter()
        .map(|(&g, &t)| t.min(group_cap(share, ctx.staff[g])))
        .sum()
}

/// Fails early, with numbers, when the floor is out of reach whatever the plan.
pub fn check_floor_bounds(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    req: FloorReq,
) -> Result<(), Error> {
    let b = floor_bounds(ctx, classes, arcs, |c| c.eligible);
    let share = ctx.policy.rotation.cross_cap_share;
    let ub = (transfer_bound(ctx, &b, share) + b.exchange).min(b.movable);
    if ub >= req.min_eligible_movers {
        return Ok(());
    }
    Err(Error::Infeasible(floor_message(ctx, &b, req, ub)))
}

fn floor_message(ctx: &Context, b: &FloorBounds, req: FloorReq, ub: u32) -> String {
    let zh = ctx.pins.lang == Lang::Zh;
    let share = ctx.policy.rotation.cross_cap_share;
    let tb = transfer_bound(ctx, b, share);
    let (need, eligible, floor, ex) = (
        req.min_eligible_movers,
        req.eligible,
        ctx.policy.rotation.floor_share,
        b.exchange,
    );
    let mut msg = if zh {
        format!(
            "国家底线（T7）要求全县 {eligible} 名符合条件的教师中至少 {need} 人交流（floor_share = {floor}），\
             但集团调整上限（T2）、年龄豁免（T3）、互派上限（T6）等规则下至多 {ub} 人可交流\
             （上限内调整 {tb} 人，互派 {ex} 人）。"
        )
    } else {
        format!(
            "the national floor (T7) needs {need} of {eligible} eligible teachers to move county-wide (floor_share = {floor}), \
             but the group caps (T2), age exemptions (T3), exchange caps (T6) and the other rules allow at most {ub} \
             ({tb} by transfer within the caps, {ex} by exchange)."
        )
    };
    // The smallest cap share (in steps of 0.01) that lifts the bound far enough.
    let raise = (1..=100)
        .map(|i| i as f64 / 100.0)
        .filter(|&s| s > share)
        .find(|&s| {
            (transfer_bound(ctx, b, s) + b.exchange).min(b.movable) >= req.min_eligible_movers
        });
    let lower_floor = if req.eligible > 0 {
        ((ub as f64 / req.eligible as f64) * 1000.0).floor() / 1000.0
    } else {
        0.0
    };
    match (raise, zh) {
        (Some(s), false) => msg.push_str(&format!(" Raise cross_cap_share to {s:.2},")),
        (None, false) => msg.push_str(" No cross_cap_share is enough;"),
        (Some(s), true) => msg.push_str(&format!("可将 cross_cap_share 提高到 {s:.2}，")),
        (None, true) => msg.push_str("提高 cross_cap_share 也不够；"),
    }
    if zh {
        msg.push_str(&format!(
            "或将 floor_share 降到 {lower_floor}，或关闭底线（national_floor = false）。"
        ));
    } else {
        msg.push_str(&format!(
            " lower floor_share to {lower_floor}, or turn the floor off (national_floor = false)."
        ));
    }
    msg
}

/// After HiGHS proved the model infeasible: the floor is the only rule that can make it so.
pub fn floor_infeasible(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    floor: Option<FloorReq>,
) -> String {
    let zh = ctx.pins.lang == Lang::Zh;
    let Some(req) = floor else {
        return ctx
            .pins
            .lang
            .pick(
                "交流模型不可行，但没有规则强制任何人交流；请报告此实例",
                "the rotation model is infeasible although no rule forces a move; please report this instance",
            )
            .into();
    };
    let b = floor_bounds(ctx, classes, arcs, |c| c.eligible);
    let ub =
        (transfer_bound(ctx, &b, ctx.policy.rotation.cross_cap_share) + b.exchange).min(b.movable);
    let k = floor_bounds(ctx, classes, arcs, |c| c.key);
    let kub =
        (transfer_bound(ctx, &k, ctx.policy.rotation.cross_cap_share) + k.exchange).min(k.movable);
    let need_key = (req.key_share * req.min_eligible_movers as f64 - 1e-9).ceil() as u32;
    let (need, eligible, key_share) = (req.min_eligible_movers, req.eligible, req.key_share);
    if kub < need_key {
        let lower = (kub as f64 / req.min_eligible_movers.max(1) as f64 * 100.0).floor() / 100.0;
        return if zh {
            format!(
                "国家底线（T7）要求 {need} 名符合条件的教师交流，且骨干教师不少于交流人数的 {key_share}\
                 （至少 {need_key} 人），但在调整上限和豁免规则下至多 {kub} 名骨干教师可交流。\
                 可将 floor_key_share 降到 {lower:.2}、提高 cross_cap_share，或关闭底线（national_floor = false）。"
            )
        } else {
            format!(
                "the national floor (T7) needs {need} eligible teachers to move and key teachers to be at least {key_share} of all who move \
                 (at least {need_key}), but at most {kub} key teachers may move under the caps and exemptions. \
                 Lower floor_key_share to {lower:.2}, raise cross_cap_share, or turn the floor off (national_floor = false)."
            )
        };
    }
    if zh {
        format!(
            "国家底线（T7）要求 {eligible} 名符合条件的教师中 {need} 人交流，且骨干教师不少于交流人数的 {key_share}；\
             上界允许至多 {ub} 名符合条件的教师和 {kub} 名骨干教师交流，但 HiGHS 证明在集团调整上限（T2）和互派上限（T6）下\
             没有方案能同时满足两者。可降低 floor_share 或 floor_key_share、提高 cross_cap_share，或关闭底线（national_floor = false）。"
        )
    } else {
        format!(
            "the national floor (T7) needs {need} of {eligible} eligible teachers to move with key teachers at least {key_share} of all who move; \
             the bounds allow up to {ub} eligible and {kub} key movers, but HiGHS proved no plan meets both together with \
             the group caps (T2) and the exchange caps (T6). Lower floor_share or floor_key_share, raise cross_cap_share, \
             or turn the floor off (national_floor = false)."
        )
    }
}
