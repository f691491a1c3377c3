//! The moves a class may make under T1, T3, T5, T9 and T10: transfers inside its group (or,
//! with `transfer_scope = "county"`, to any grouped school) and exchanges along the
//! pairings, each covering one subject at the destination.
//!
//! Arcs that can never help are left out while keeping the model exact: a destination
//! subject without demand adds nothing to supply, so all such moves of a class collapse
//! into one "covers nothing" arc to the nearest allowed destination — kept for exchanges
//! (obliged whatever the shortage) and, under the national floor, for transfers of
//! eligible or key teachers (the floor can force moves that cover nothing).

use super::Context;
use super::classes::Class;
use crate::domain::policy::TransferScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArcKind {
    Transfer,
    /// Along pairing `pairing`; `to_helper` when the group's school sends.
    Exchange {
        pairing: usize,
        to_helper: bool,
    },
}

impl ArcKind {
    pub fn is_exchange(self) -> bool {
        matches!(self, ArcKind::Exchange { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Arc {
    pub class: usize,
    pub dest: usize,
    pub kind: ArcKind,
    /// The subject covered at `dest`; `None` covers nothing there.
    pub subject: Option<usize>,
    pub km: f64,
    /// Upper bound of the flow.
    pub ub: u32,
}

/// T3 and T10 between two schools for a class.
pub fn may_go(ctx: &Context, c: &Class, to: usize) -> bool {
    let inst = ctx.inst;
    let from = c.school;
    if c.township_bound && inst.schools[from].township != inst.schools[to].township {
        return false;
    }
    match ctx.policy.rotation.max_move_km {
        Some(max) => inst.distance(from, to) <= max + 1e-9,
        None => true,
    }
}

/// T1: the schools a transfer from `from` may reach (before T3, T9, T10), ascending; empty
/// for an ungrouped school, which has no cap to count a transfer against (T2).
pub fn transfer_destinations(ctx: &Context, from: usize) -> Vec<usize> {
    let Some(g) = ctx.grouping.school_group[from] else {
        return Vec::new();
    };
    match ctx.policy.rotation.transfer_scope {
        TransferScope::Group => ctx.grouping.groups[g]
            .schools
            .iter()
            .copied()
            .filter(|&b| b != from)
            .collect(),
        TransferScope::County => (0..ctx.inst.schools.len())
            .filter(|&b| b != from && ctx.grouping.school_group[b].is_some())
            .collect(),
    }
}

/// T1 for one transfer: the group whose cap (T2) it counts against, if it is allowed.
pub fn transfer_group(ctx: &Context, from: usize, to: usize) -> Option<usize> {
    let g = ctx.grouping.school_group[from]?;
    let to_group = ctx.grouping.school_group[to]?;
    let allowed = match ctx.policy.rotation.transfer_scope {
        TransferScope::Group => to_group == g,
        TransferScope::County => true,
    };
    (allowed && from != to).then_some(g)
}

/// Every arc of every free class, in class order.
pub fn build_arcs(ctx: &Context, classes: &[Class]) -> Vec<Arc> {
    build_arcs_with(ctx, classes, &|_| false)
}

/// [`build_arcs`], and for every class `all_dests` selects, a covers-nothing arc to every
/// destination it may reach (where the covering arcs cannot carry the whole class), not
/// only the nearest: for the cv level a move that covers nothing still changes where a key
/// (or qualified, or PE/arts) teacher works.
pub fn build_arcs_with(
    ctx: &Context,
    classes: &[Class],
    all_dests: &dyn Fn(&Class) -> bool,
) -> Vec<Arc> {
    let mut arcs = Vec::new();
    let n_ex = ctx.policy.rotation.exchanges_per_pairing as u32;
    let floor = ctx.policy.rotation.national_floor;
    for (ci, c) in classes.iter().enumerate() {
        if !c.free {
            continue;
        }
        let a = c.school;
        let n = c.size() as u32;
        // A move lock must reach its school even when the teacher covers nothing there and
        // it is not the nearest, so it gets its own covers-nothing arc.
        let locked_to = ctx.pins.move_to(c);
        let every = all_dests(c);
        // Transfers (T1: inside the group or the county; T9: destination's lowest level).
        {
            let mut nearest: Option<(f64, usize)> = None;
            for b in transfer_destinations(ctx, a) {
                if ctx.inst.schools[b].stage.levels().0 > c.max_level || !may_go(ctx, c, b) {
                    continue;
                }
                let km = ctx.inst.distance(a, b);
                let first = arcs.len();
                covered_arcs(ctx, c, ci, b, ArcKind::Transfer, km, n, &mut arcs);
                if locked_to == Some(b) || (every && covered_ub(&arcs[first..]) < n) {
                    arcs.push(Arc {
                        class: ci,
                        dest: b,
                        kind: ArcKind::Transfer,
                        subject: None,
                        km,
                        ub: n,
                    });
                }
                if nearest.is_none_or(|(d, _)| km < d) {
                    nearest = Some((km, b));
                }
            }
            if floor
                && !every
                && (c.eligible || c.key)
                && let Some((km, b)) = nearest
            {
                arcs.push(Arc {
                    class: ci,
                    dest: b,
                    kind: ArcKind::Transfer,
                    subject: None,
                    km,
                    ub: n,
                });
            }
        }
        if n_ex == 0 {
            continue;
        }
        let cap = n.min(n_ex);
        // Exchanges from a helper (T5: key or senior) to the group's schools of the slot.
        if ctx.inst.schools[a].helper
            && (c.helper_ok || !ctx.policy.rotation.helper_sends_key_or_senior)
        {
            for (pi, p) in ctx.pairings.iter().enumerate() {
                if p.helper != a || p.slot.level() > c.max_level {
                    continue;
                }
                let kind = ArcKind::Exchange {
                    pairing: pi,
                    to_helper: false,
                };
                let mut nearest: Option<(f64, usize)> = None;
                for &b in &p.partners {
                    if b == a || !may_go(ctx, c, b) {
                        continue;
                    }
                    let km = ctx.inst.distance(a, b);
                    let first = arcs.len();
                    covered_arcs(ctx, c, ci, b, kind, km, cap, &mut arcs);
                    if locked_to == Some(b) || (every && covered_ub(&arcs[first..]) < cap) {
                        arcs.push(Arc {
                            class: ci,
                            dest: b,
                            kind,
                            subject: None,
                            km,
                            ub: cap,
                        });
                    }
                    if nearest.is_none_or(|(d, _)| km < d) {
                        nearest = Some((km, b));
                    }
                }
                if let Some((km, b)) = nearest.filter(|_| !every) {
                    arcs.push(Arc {
                        class: ci,
                        dest: b,
                        kind,
                        subject: None,
                        km,
                        ub: cap,
                    });
                }
            }
        }
        // Exchanges from the group's school (T5: young enough) to the helper.
        if c.young_ok {
            for &pi in &ctx.partner_pairings[a] {
                let p = &ctx.pairings[pi];
                let h = p.helper;
                if h == a || p.slot.level() > c.max_level || !may_go(ctx, c, h) {
                    continue;
                }
                let kind = ArcKind::Exchange {
                    pairing: pi,
                    to_helper: true,
                };
                let km = ctx.inst.distance(a, h);
                covered_arcs(ctx, c, ci, h, kind, km, cap, &mut arcs);
                arcs.push(Arc {
                    class: ci,
                    dest: h,
                    kind,
                    subject: None,
                    km,
                    ub: cap,
                });
            }
        }
    }
    arcs
}

/// How many members the covering arcs to one destination can carry. A covers-nothing arc
/// there is needed only beyond that: a flow on it could always cover a subject instead,
/// which changes no count, cap, km or indicator and only adds supply.
fn covered_ub(arcs: &[Arc]) -> u32 {
    arcs.iter().map(|a| a.ub).sum()
}

#[allow(clippy::too_many_arguments)]
fn covered_arcs(
    ctx: &Context,
    c: &Class,
    ci: usize,
    dest: usize,
    kind: ArcKind,
    km: f64,
    cap: u32,
    arcs: &mut Vec<Arc>,
) {
    for &k in &c.subjects {
        let d = ctx.demand[dest].get(&k).copied().unwrap_or(0);
        if d > 0 {
            arcs.push(Arc {
                class: ci,
                dest,
                kind,
                subject: Some(k),
                km,
                ub: cap.min(d),
            });
        }
    }
}
