//! A start for the national floor (T7), from the county without the floor row, for when the
//! floored part is not proven at once (see `engine::solve_component`).
//!
//! Without the floor row the county splits into parts solved side by side; their plan meets
//! every rule but the floor. Extra moves on the covers-nothing arcs the floor adds (eligible
//! or key teachers who neither move nor cover anything at home) then meet the floor without
//! touching the exchanges or the shortage: a start never worse than moving only whom the
//! rules oblige.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::Context;
use super::arcs::{Arc, ArcKind};
use super::classes::Class;
use super::model::{self, Component, FloorReq, Start};
use crate::solve::mip::{MipError, MipOptions};

/// Share of the step's time limit the relaxation may use.
const RELAXATION_SHARE: f64 = 0.4;

/// The start for the floored part, or `None` when the extra moves cannot meet the floor
/// without touching what the relaxation's plan covers (the floored model then starts cold).
pub fn floor_start(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    parts: &[Component],
    floor: FloorReq,
    options: &MipOptions,
) -> Result<Option<Start>, MipError> {
    let relaxed_options = MipOptions {
        time_limit_s: options.time_limit_s * RELAXATION_SHARE,
        ..*options
    };
    let solved: Vec<Result<model::ComponentSolution, MipError>> = parts
        .par_iter()
        .map(|c| {
            super::engine::solve_component(
                ctx,
                classes,
                arcs,
                c,
                None,
                &relaxed_options,
                None,
                true,
            )
        })
        .collect();
    let mut flows: BTreeMap<usize, u32> = BTreeMap::new();
    let mut stays: Vec<((usize, usize), u32)> = Vec::new();
    for s in solved {
        let s = s?;
        // A part not solved in time moves nobody in the start (its stays are filled once
        // the start is taken, see `engine::tidy_first_plan`): a start that meets the floor
        // is what matters when time is this short.
        if s.levels.get(1).is_some_and(|l| l.status.has_solution()) {
            flows.extend(s.flows.iter().copied());
            stays.extend(s.stays.iter().copied());
        }
    }
    // Idle teachers first; then, rather than no start, teachers who covered something.
    let met = meet_floor(ctx, classes, arcs, floor, &mut flows, &mut stays, false)
        || meet_floor(ctx, classes, arcs, floor, &mut flows, &mut stays, true);
    if std::env::var_os("ROTAPLAN_DEBUG").is_some() {
        eprintln!(
            "floor start: {} (needs {} eligible movers)",
            if met { "met" } else { "not met" },
            floor.min_eligible_movers
        );
    }
    if !met {
        return Ok(None);
    }
    Ok(Some(Start {
        flows: flows.into_iter().collect(),
        stays,
    }))
}

/// Adds moves on covers-nothing transfer arcs, shortest first, until the floor holds; false
/// when the eligible or key teachers or the T2 caps run out. Takes idle teachers only, or
/// with `uncover` also teachers who stay and cover a subject (the shortage may then rise).
fn meet_floor(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    floor: FloorReq,
    flows: &mut BTreeMap<usize, u32>,
    stays: &mut [((usize, usize), u32)],
    uncover: bool,
) -> bool {
    let mut idle: Vec<i64> = classes.iter().map(|c| c.size() as i64).collect();
    for &((ci, _), x) in stays.iter() {
        if !uncover {
            idle[ci] -= x as i64;
        }
    }
    let mut group_transfers: BTreeMap<usize, u32> = BTreeMap::new();
    let (mut moved, mut eligible, mut key) = (0u32, 0u32, 0u32);
    for (&ai, &x) in flows.iter() {
        let a = &arcs[ai];
        let c = &classes[a.class];
        idle[a.class] -= x as i64;
        moved += x;
        if c.eligible {
            eligible += x;
        }
        if c.key {
            key += x;
        }
        if a.kind == ArcKind::Transfer
            && let Some(g) = ctx.grouping.school_group[c.school]
        {
            *group_transfers.entry(g).or_default() += x;
        }
    }
    let mut spare: Vec<usize> = arcs
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind == ArcKind::Transfer && a.subject.is_none())
        .map(|(i, _)| i)
        .collect();
    spare.sort_by(|&a, &b| arcs[a].km.total_cmp(&arcs[b].km).then(a.cmp(&b)));
    let key_short = |key: u32, moved: u32| (key as f64) < floor.key_share * moved as f64 - 1e-9;
    loop {
        let need_eligible = eligible < floor.min_eligible_movers;
        // Another move must be a key teacher's when the key share would not hold after it.
        let need_key = key_short(key, moved) || key_short(key, moved + 1);
        if !need_eligible && !key_short(key, moved) {
            return true;
        }
        let fits = |ai: usize, want_eligible: bool, want_key: bool| {
            let a = &arcs[ai];
            let c = &classes[a.class];
            let g = ctx.grouping.school_group[c.school];
            // A move lock's flow is fixed at one.
            idle[a.class] > 0
                && ctx.pins.move_to(c).is_none()
                && flows.get(&ai).copied().unwrap_or(0) < a.ub
                && g.is_none_or(|g| group_transfers.get(&g).copied().unwrap_or(0) < ctx.caps[g])
                && (!want_eligible || c.eligible)
                && (!want_key || c.key)
        };
        let pick = spare
            .iter()
            .copied()
            .find(|&ai| fits(ai, need_eligible, need_key))
            .or_else(|| {
                if need_key {
                    spare.iter().copied().find(|&ai| fits(ai, false, true))
                } else {
                    None
                }
            });
        let Some(ai) = pick else {
            return false;
        };
        let c = &classes[arcs[ai].class];
        let cls = arcs[ai].class;
        let covering: i64 = stays
            .iter()
            .filter(|st| st.0.0 == cls)
            .map(|st| st.1 as i64)
            .sum();
        // With `uncover`, `idle` counts the covering members too: take an idle one while any
        // is left, else one who covered something.
        if uncover
            && idle[cls] <= covering
            && let Some(st) = stays.iter_mut().find(|st| st.0.0 == cls && st.1 > 0)
        {
            st.1 -= 1;
        }
        *flows.entry(ai).or_default() += 1;
        idle[arcs[ai].class] -= 1;
        moved += 1;
        if c.eligible {
            eligible += 1;
        }
        if c.key {
            key += 1;
        }
        if let Some(g) = ctx.grouping.school_group[c.school] {
            *group_transfers.entry(g).or_default() += 1;
        }
    }
}
