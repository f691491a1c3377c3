//! Large-neighbourhood search with exact sub-problems, for tracks too large for one model:
//! a group and its nearest groups are regrouped optimally among themselves (same number of
//! groups, any of their units' cores may lead, same caps) by HiGHS on a small model, and the
//! result replaces theirs when it is cheaper. Sweeps over every group until a sweep changes
//! nothing or the time runs out. Every accepted step keeps every rule, so the grouping stays
//! feasible; it is only an incumbent, never a bound.

use std::time::Instant;

use super::model::{self, Allowed};
use super::near::Near;
use super::problem::{Assignment, EPS, TrackProblem};
use crate::solve::mip::{MipError, MipOptions, Sense};

/// Groups regrouped together: from the first size (fast sub-problems), one more each time
/// a sweep finds nothing, up to the last.
const GROUPS_PER_STEP: std::ops::RangeInclusive<usize> = 3..=12;
/// HiGHS nodes per sub-problem: a deterministic cap; a sub-problem cut short still returns
/// its best grouping, which is used only when it improves.
const SUB_NODES: i32 = 300;
/// Seconds per sub-problem at most (a guard; the node cap normally binds first).
const SUB_SECONDS: f64 = 2.0;

/// The sub-problem of `units` (sorted) with `count` groups, and its cores' global indices.
fn sub_problem(
    p: &TrackProblem,
    near: &Near,
    units: &[usize],
    count: usize,
) -> (TrackProblem, Vec<usize>) {
    let mut local = vec![usize::MAX; p.units.len()];
    for (i, &u) in units.iter().enumerate() {
        local[u] = i;
    }
    let mut global_cores = Vec::new();
    let mut cores = Vec::new();
    for &u in units {
        for &c in &near.homed[u] {
            global_cores.push(c);
            cores.push(super::problem::Core {
                school: p.cores[c].school,
                home: local[u],
            });
        }
    }
    let cost = units
        .iter()
        .map(|&u| global_cores.iter().map(|&c| p.cost[u][c]).collect())
        .collect();
    let sub = TrackProblem {
        name: p.name.clone(),
        mode: p.mode,
        units: units.iter().map(|&u| p.units[u].clone()).collect(),
        cores,
        cost,
        count,
        max_units: p.max_units,
        min_students: p.min_students,
        max_students: p.max_students,
        balance_weight: 0.0,
        adjacency: None,
        quality_range: p.quality_range,
        core_rule: String::new(),
    };
    (sub, global_cores)
}

/// Improves `assign` (feasible) with growing neighbourhoods until the largest finds nothing
/// or `deadline` passes.
pub fn improve(
    p: &TrackProblem,
    near: &Near,
    assign: &[usize],
    options: &MipOptions,
    deadline: Instant,
) -> Result<Assignment, MipError> {
    let mut assign = assign.to_vec();
    for k in GROUPS_PER_STEP {
        if Instant::now() >= deadline {
            break;
        }
        assign = sweeps(p, near, &assign, k, options, deadline)?;
    }
    Ok(assign)
}

/// Sweeps with neighbourhoods of `k` groups until one finds nothing or `deadline` passes.
fn sweeps(
    p: &TrackProblem,
    near: &Near,
    assign: &[usize],
    k: usize,
    options: &MipOptions,
    deadline: Instant,
) -> Result<Assignment, MipError> {
    let mut assign = assign.to_vec();
    let nc = p.cores.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); nc];
    for (u, &c) in assign.iter().enumerate() {
        members[c].push(u);
    }
    // A seed whose neighbourhood has not changed since it was last solved is skipped.
    let mut changed_at = vec![1usize; nc];
    let mut solved_at = vec![0usize; p.units.len()];
    let mut clock = 1;
    let debug = std::env::var_os("ROTAPLAN_DEBUG").is_some();
    let (mut solves, mut wins) = (0usize, 0usize);
    let started = Instant::now();
    loop {
        let mut improved = false;
        // A seed is a group's core unit: the groups are the k open cores nearest to it
        // (its own first). Neighbourhoods around arbitrary units were tried: on p3038_600
        // a sweep of them found nothing the group-centred ones had not.
        let seeds: Vec<usize> = (0..nc)
            .filter(|&c| !members[c].is_empty())
            .map(|c| p.cores[c].home)
            .collect();
        for home in seeds {
            if Instant::now() >= deadline {
                return Ok(assign);
            }
            let seed = home;
            let groups: Vec<usize> = near.by_unit[home]
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| !members[c].is_empty())
                .take(k)
                .collect();
            if groups.len() < 2 {
                continue;
            }
            let latest = groups.iter().map(|&c| changed_at[c]).max().unwrap_or(0);
            if latest <= solved_at[seed] {
                continue;
            }
            solved_at[seed] = clock;
            let mut units: Vec<usize> = groups.iter().flat_map(|&c| members[c].clone()).collect();
            units.sort_unstable();
            let (sub, global) = sub_problem(p, near, &units, groups.len());
            let current: Vec<usize> = units
                .iter()
                .map(|&u| {
                    global
                        .iter()
                        .position(|&c| c == assign[u])
                        .unwrap_or(usize::MAX)
                })
                .collect();
            if current.contains(&usize::MAX) {
                continue;
            }
            let before = sub.distance_cost(&current);
            let mut mip = model::build(&sub, &Allowed::fitting(&sub), false);
            mip.model.highs_int_option("mip_max_nodes", SUB_NODES);
            let left = deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            let sub_options = MipOptions {
                time_limit_s: left.min(SUB_SECONDS),
                ..*options
            };
            let warm = mip.warm_start(&sub, &current);
            let r = mip
                .model
                .solve(&mip.objective, Sense::Minimise, &sub_options, Some(&warm))?;
            solves += 1;
            if debug && solves % 25 == 0 {
                eprintln!(
                    "neighbourhood: {solves} solves, {wins} improved, {:.1}s, {} units, status {:?}",
                    started.elapsed().as_secs_f64(),
                    units.len(),
                    r.status
                );
            }
            if !r.status.has_solution() {
                continue;
            }
            let found = mip.assignment(&sub, |v| r.is_one(v));
            if found.iter().any(|&c| c >= sub.cores.len())
                || !sub.is_feasible(&found)
                || sub.distance_cost(&found) >= before - EPS * before.abs().max(1.0) - 1e-7
            {
                continue;
            }
            clock += 1;
            for &c in &groups {
                members[c].clear();
                changed_at[c] = clock;
            }
            for (i, &u) in units.iter().enumerate() {
                let c = global[found[i]];
                assign[u] = c;
                members[c].push(u);
                changed_at[c] = clock;
            }
            improved = true;
            wins += 1;
        }
        if debug {
            eprintln!(
                "neighbourhood sweep (k = {k}): {solves} solves, {wins} improved, {:.1}s, {}",
                started.elapsed().as_secs_f64(),
                p.distance_cost(&assign)
            );
        }
        if !improved {
            return Ok(assign);
        }
    }
}
