//! The moves a class may make under T1, T3, T5, T9 and T10: transfers inside its group and
//! exchanges along the pairings, each covering one subject at the destination.
//!
//! Arcs that can never help are left out while keeping the model exact: a destination
//! subject without demand adds nothing to supply, so all such moves of a class collapse
//! into one "covers nothing" arc to the nearest allowed destination — kept for exchanges
//! (obliged whatever the shortage) and, under the national floor, for transfers of
//! eligible or key teachers (the floor can force moves that cover nothing).

use super::Context;
use super::classes::Class;

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

/// Every arc of every free class, in class order.
pub fn build_arcs(ctx: &Context, classes: &[Class]) -> Vec<Arc> {
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
        // Transfers (T1: inside the group; T9: destination's lowest level).
        if let Some(g) = ctx.grouping.school_group[a] {
            let mut nearest: Option<(f64, usize)> = None;
            for &b in &ctx.grouping.groups[g].schools {
                if b == a
                    || ctx.inst.schools[b].stage.levels().0 > c.max_level
                    || !may_go(ctx, c, b)
                {
                    continue;
                }
                let km = ctx.inst.distance(a, b);
                covered_arcs(ctx, c, ci, b, ArcKind::Transfer, km, n, &mut arcs);
                if locked_to == Some(b) {
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
                    covered_arcs(ctx, c, ci, b, kind, km, cap, &mut arcs);
                    if locked_to == Some(b) {
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
                if let Some((km, b)) = nearest {
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
