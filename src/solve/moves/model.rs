//! The moves MIP for one independent part of the county: integer flows per class and arc,
//! per-class stay-and-cover counts, shortage per school and subject, T2 caps, T6 caps and
//! the optional T7 floor; solved lexicographically (exchanges, shortage, moved, km).

use std::collections::BTreeMap;

use good_lp::{Expression, Variable, constraint};

use super::Context;
use super::arcs::{Arc, ArcKind};
use super::classes::Class;
use crate::solve::mip::{MipError, MipModel, MipOptions, Sense, SolveStatus};

/// The km level is solved to this relative gap, inside SPEC's 1e-6 for a proven level.
pub const KM_REL_GAP: f64 = 5e-7;

/// A bound on a level whose every plan has a whole value (whole costs on whole flows):
/// the optimum is at least the bound rounded up, less the solver's tolerance.
pub(crate) fn whole_bound(bound: f64) -> f64 {
    (bound - 1e-6).ceil()
}

/// The level names of the rotation step, in order.
pub const LEVELS: [&str; 4] = ["exchanges", "shortage", "teachers_moved", "km"];

/// The fifth level, only with a published plan (`--previous`): among the optimal plans, the
/// fewest teachers whose outcome differs from it.
pub const CHANGES_LEVEL: &str = "changes_from_previous";

/// One independent part: classes working at its schools and their arcs.
#[derive(Debug, Clone, Default)]
pub struct Component {
    pub schools: Vec<usize>,
    pub classes: Vec<usize>,
    pub arcs: Vec<usize>,
}

/// What the solver proved about one level.
#[derive(Debug, Clone, Copy)]
pub struct LevelStat {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

/// The solved flows of a component.
#[derive(Debug, Clone, Default)]
pub struct ComponentSolution {
    pub levels: Vec<LevelStat>,
    /// (arc, flow) for every arc with a positive flow.
    pub flows: Vec<(usize, u32)>,
    /// ((class, subject), count) of members who stay and cover the subject.
    pub stays: Vec<((usize, usize), u32)>,
}

/// The floor requirement of T7, county-wide.
#[derive(Debug, Clone, Copy)]
pub struct FloorReq {
    pub eligible: u32,
    pub min_eligible_movers: u32,
    pub key_share: f64,
}

/// A feasible plan of a component to start from (the floor's start, see `floor_start`).
#[derive(Debug, Clone, Default)]
pub struct Start {
    /// (arc, flow).
    pub flows: Vec<(usize, u32)>,
    /// ((class, subject), count).
    pub stays: Vec<((usize, usize), u32)>,
}

#[allow(clippy::too_many_arguments)]
pub fn solve_component(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    comp: &Component,
    floor: Option<FloorReq>,
    options: &MipOptions,
) -> Result<ComponentSolution, MipError> {
    let mut m = MipModel::new();
    // The flow model's LP is nearly integral; HiGHS's MIP presolve took longer than the
    // solve on hezhang (16 s of 45 s), so large parts skip it.
    m.set_presolve(comp.arcs.len() < 2000);
    let mut supply: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
    let mut stay_vars: Vec<((usize, usize), Variable)> = Vec::new();
    let mut per_class: BTreeMap<usize, Expression> = BTreeMap::new();
    let mut per_class_terms: BTreeMap<usize, usize> = BTreeMap::new();
    for &ci in &comp.classes {
        let c = &classes[ci];
        for &k in &c.subjects {
            let d = ctx.demand[c.school].get(&k).copied().unwrap_or(0);
            if d == 0 {
                continue;
            }
            let v = m.integer(0.0, c.size().min(d as usize) as f64);
            stay_vars.push(((ci, k), v));
            *supply.entry((c.school, k)).or_default() += v;
            *per_class.entry(ci).or_default() += v;
            *per_class_terms.entry(ci).or_default() += 1;
        }
    }
    let mut flow_vars: Vec<(usize, Variable)> = Vec::with_capacity(comp.arcs.len());
    let mut exchanges = Expression::default();
    let mut moved = Expression::default();
    let mut km = Expression::default();
    let mut caps: BTreeMap<usize, (Expression, u64)> = BTreeMap::new();
    let mut pair_caps: BTreeMap<(usize, bool), (Expression, u64)> = BTreeMap::new();
    let mut eligible_moves = Expression::default();
    let mut key_moves = Expression::default();
    let mut changes = Expression::default();
    let mut locked_moves: BTreeMap<usize, Expression> = BTreeMap::new();
    for &ai in &comp.arcs {
        let a = &arcs[ai];
        let c = &classes[a.class];
        let v = m.integer(0.0, a.ub as f64);
        flow_vars.push((ai, v));
        if let Some(k) = a.subject {
            *supply.entry((a.dest, k)).or_default() += v;
        }
        *per_class.entry(a.class).or_default() += v;
        *per_class_terms.entry(a.class).or_default() += 1;
        moved += v;
        // Exact km, solved to SPEC's gap (see `KM_REL_GAP`) rather than to zero: near-equal
        // distances otherwise leave HiGHS closing a last 1e-4 km for half a minute.
        km += a.km * v;
        match a.kind {
            ArcKind::Transfer => {
                if let Some(g) = ctx.grouping.school_group[c.school] {
                    let e = caps.entry(g).or_default();
                    e.0 += v;
                    e.1 += a.ub as u64;
                }
            }
            ArcKind::Exchange { pairing, to_helper } => {
                exchanges += v;
                let e = pair_caps.entry((pairing, to_helper)).or_default();
                e.0 += v;
                e.1 += a.ub as u64;
            }
        }
        if c.eligible {
            eligible_moves += v;
        }
        if c.key {
            key_moves += v;
        }
        if ctx.pins.previous.is_some() {
            changes += ctx.pins.change_cost(classes, a) * v;
        }
        if ctx.pins.move_to(c).is_some() {
            *locked_moves.entry(a.class).or_default() += v;
        }
    }
    // A move lock: the teacher's only arcs lead to the locked school (see
    // `Pins::restrict_arcs`); one of them carries them. A class left without arcs is caught
    // before solving by `pins::check_locks`.
    for &ci in &comp.classes {
        if ctx.pins.move_to(&classes[ci]).is_some() {
            let e = locked_moves.remove(&ci).unwrap_or_default();
            m.constrain(constraint::eq(e, 1.0));
        }
    }
    for (ci, e) in per_class {
        if per_class_terms[&ci] > 1 {
            m.constrain(constraint::leq(e, classes[ci].size() as f64));
        }
    }
    for (g, (e, ub)) in caps {
        let cap = ctx.caps[g];
        if ub > cap as u64 {
            m.constrain(constraint::leq(e, cap as f64));
        }
    }
    let n_ex = ctx.policy.rotation.exchanges_per_pairing as u64;
    for (_, (e, ub)) in pair_caps {
        if ub > n_ex {
            m.constrain(constraint::leq(e, n_ex as f64));
        }
    }
    if let Some(f) = floor {
        m.constrain(constraint::geq(
            eligible_moves,
            f.min_eligible_movers as f64,
        ));
        if f.key_share > 0.0 {
            m.constrain(constraint::geq(
                key_moves - f.key_share * moved.clone(),
                0.0,
            ));
        }
    }
    let mut shortage = Expression::default();
    let mut short_vars: Vec<((usize, usize), u32, Variable)> = Vec::new();
    // Kept out of the objective: HiGHS's dual bound would leave it out.
    let mut shortage_constant = 0.0;
    for &s in &comp.schools {
        for (&k, &d) in &ctx.demand[s] {
            if d == 0 {
                continue;
            }
            let w = ctx.weight[k];
            match supply.remove(&(s, k)) {
                Some(e) => {
                    let short = m.continuous(0.0, d as f64);
                    short_vars.push(((s, k), d, short));
                    m.constrain(constraint::geq(short + e, d as f64));
                    shortage += w * short;
                }
                None => shortage_constant += w * d as f64,
            }
        }
    }
    let mut objectives = vec![
        (exchanges, Sense::Maximise),
        (shortage, Sense::Minimise),
        (moved, Sense::Minimise),
        (km, Sense::Minimise),
    ];
    // Like the shortage's constant: published moves that no flow can keep count outside the
    // objective.
    let mut changes_constant = 0.0;
    if ctx.pins.previous.is_some() {
        changes_constant = comp
            .classes
            .iter()
            .map(|&ci| ctx.pins.change_constant(&classes[ci]))
            .sum();
        objectives.push((changes, Sense::Minimise));
    }
    let tolerant: Vec<(Expression, Sense, f64)> = objectives
        .into_iter()
        .enumerate()
        .map(|(i, (e, sense))| {
            let gap = if i == 3 { KM_REL_GAP } else { 0.0 };
            (e, sense, gap)
        })
        .collect();
    let lex = m.solve_lexicographic_tolerant(&tolerant, options, None)?;
    let shortage_level = 1;
    let level_stats = lex
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = if i == shortage_level {
                shortage_constant
            } else if i == 4 {
                changes_constant
            } else {
                0.0
            };
            LevelStat {
                status: l.status,
                objective: l.objective + c,
                bound: l.bound + c,
                seconds: l.seconds,
            }
        })
        .collect();
    let mut out = ComponentSolution {
        levels: level_stats,
        ..Default::default()
    };
    let km_level = (out.levels.len() > 3).then_some(3);
    if let Some(sol) = lex.solution() {
        out.flows = flow_vars
            .iter()
            .filter_map(|&(ai, v)| {
                let x = sol.int(v);
                (x > 0).then_some((ai, x as u32))
            })
            .collect();
        if let Some(i) = km_level {
            // The km of the rounded flows, which is what moves.csv adds up to; the bound
            // stays HiGHS's, on the same exact distances.
            let exact: f64 = out
                .flows
                .iter()
                .map(|&(ai, x)| arcs[ai].km * x as f64)
                .sum();
            let l = &mut out.levels[i];
            l.objective = exact;
            l.bound = l.bound.min(exact);
        }
        out.stays = stay_vars
            .iter()
            .filter_map(|&(key, v)| {
                let x = sol.int(v);
                (x > 0).then_some((key, x as u32))
            })
            .collect();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::whole_bound;

    #[test]
    fn whole_bound_rounds_up_but_trusts_the_solver_tolerance() {
        // c90-like LP bound on the teachers moved: no plan moves 102.06 teachers.
        assert_eq!(whole_bound(102.0577), 103.0);
        // An LP optimum at a whole value, a hair above from the solver's tolerance.
        assert_eq!(whole_bound(103.000_000_5), 103.0);
        assert_eq!(whole_bound(103.0), 103.0);
        assert_eq!(whole_bound(-42.0), -42.0);
    }
}
