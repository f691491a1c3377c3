//! Rounded capacity cuts. Take any set S of units. Each of its units joins either a group
//! whose core's own unit lies in S, or a group led from outside S. An open core holds at
//! most Q units (G1), and at most M students (G5), so
//!
//!   Σ_{c homed in S} y_c + Σ_{u ∈ S} Σ_{c homed outside S} x_uc  ≥  ⌈max(|S| / Q, students(S) / M)⌉.
//!
//! (Divide |S| ≤ Q·Σ y + Σ x by Q, raise the x coefficients 1/Q to 1, and round: the left
//! side is an integer.) The LP relaxation misses them: a cluster of 9 schools far from the
//! rest, with groups of at most 6, needs two cores, yet the LP opens 1.5 and keeps every
//! school home. These are the capacity cuts of vehicle routing, for groups.
//!
//! With only the schools cap binding, the mixed-integer rounding of the same row is
//! stronger: with r = |S| − Q(⌈|S|/Q⌉ − 1) units beyond the last full group,
//!
//!   r · Σ_{c homed in S} y_c + Σ_{u ∈ S} Σ_{c homed outside S} x_uc  ≥  r · ⌈|S|/Q⌉,
//!
//! because with k cores fewer than ⌈|S|/Q⌉ inside S at least r + Q(k − 1) ≥ k·r units are
//! served from outside.
//!
//! They hold for every grouping of the track whatever the objective, so adding them to the
//! model changes neither its optimum nor its feasible set; they only raise the LP bound.

use super::problem::{EPS, TrackProblem};

/// One cut: the units of S (sorted), the number of groups S needs, and the weight r of
/// its cores (1 for the plain rounded cut): r·Σ y + Σ x_out ≥ r·need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub units: Vec<usize>,
    pub rhs: usize,
    pub weight: usize,
}

impl Cut {
    pub fn of(p: &TrackProblem, mut units: Vec<usize>) -> Cut {
        units.sort_unstable();
        let (rhs, weight) = strength(p, &units);
        Cut { units, rhs, weight }
    }
}

/// (groups needed, weight r): the rounding by the schools cap when it needs at least as
/// many groups as the students cap, else the plain rounded cut of the students cap.
fn strength(p: &TrackProblem, set: &[usize]) -> (usize, usize) {
    let by_units = p
        .max_units
        .map(|q| {
            let q = q.max(1);
            let need = set.len().div_ceil(q);
            (need, set.len() + q - need * q)
        })
        .unwrap_or((0, 1));
    let by_students = p.max_students.map_or(0, |m| {
        let s: f64 = set.iter().map(|&u| p.units[u].students).sum();
        if m > EPS {
            (s / m - 1e-9).ceil().max(0.0) as usize
        } else {
            0
        }
    });
    if by_units.0 >= by_students {
        by_units
    } else {
        (by_students, 1)
    }
}

/// How far `point` violates the cut of `set` (in groups), given Σ y and Σ x_out.
fn violation(p: &TrackProblem, set: &[usize], (y, out): (f64, f64)) -> f64 {
    let (need, r) = strength(p, set);
    if need < 2 {
        return 0.0;
    }
    need as f64 - y - out / r as f64
}

/// The LP relaxation's values: per core its y, per unit its assignment (core, value),
/// the core's own unit's y included, nonzeros only.
pub struct LpPoint {
    pub y: Vec<f64>,
    pub assign: Vec<Vec<(usize, f64)>>,
}

/// Smallest violation worth a cut.
const MIN_VIOLATION: f64 = 0.02;
/// Largest set tried, as a multiple of the group size cap.
const SET_GROUPS: usize = 6;
/// Largest set tried when only the students cap bounds a group.
const SET_UNITS: usize = 60;

/// Groups that the units `set` need at least (0 when no cap bounds them).
pub fn groups_needed(p: &TrackProblem, set: &[usize]) -> usize {
    strength(p, set).0
}

/// (Σ y of the cores homed in `set`, Σ of its units' assignments outside) at `point`;
/// `inside[u]` marks the set.
fn lhs(
    p: &TrackProblem,
    homed: &[Vec<usize>],
    point: &LpPoint,
    set: &[usize],
    inside: &[bool],
) -> (f64, f64) {
    let (mut y, mut out) = (0.0, 0.0);
    for &u in set {
        for &c in &homed[u] {
            y += point.y[c];
        }
        for &(c, v) in &point.assign[u] {
            if !inside[p.cores[c].home] {
                out += v;
            }
        }
    }
    (y, out)
}

/// Cuts violated at `point`, most violated first, at most `limit`, none already in `known`.
/// Candidate sets grow around every unit holding a core, nearest units first (the clusters
/// where the LP opens too few cores), and around every group of `grouping` when given.
pub fn separate(p: &TrackProblem, point: &LpPoint, known: &[Cut], limit: usize) -> Vec<Cut> {
    let nu = p.units.len();
    let mut homed: Vec<Vec<usize>> = vec![Vec::new(); nu];
    for (c, core) in p.cores.iter().enumerate() {
        homed[core.home].push(c);
    }
    let largest = match p.max_units {
        Some(q) => (SET_GROUPS * q).min(nu),
        None => SET_UNITS.min(nu),
    };
    // users[c]: (unit, value) of every nonzero assignment to core c.
    let mut users: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.cores.len()];
    for (u, row) in point.assign.iter().enumerate() {
        for &(c, v) in row {
            users[c].push((u, v));
        }
    }
    let mut found: Vec<(f64, Cut)> = Vec::new();
    let mut inside = vec![false; nu];
    let mut seeds: Vec<usize> = (0..p.cores.len()).collect();
    seeds.sort_by(|&a, &b| point.y[b].total_cmp(&point.y[a]).then(a.cmp(&b)));
    let mut seen_homes = vec![false; nu];
    for c in seeds {
        let home = p.cores[c].home;
        if seen_homes[home] {
            continue;
        }
        seen_homes[home] = true;
        let mut order: Vec<usize> = (0..nu).collect();
        order.sort_by(|&a, &b| p.cost[a][c].total_cmp(&p.cost[b][c]).then(a.cmp(&b)));
        // The seed's own unit first, whatever its cost.
        if let Some(i) = order.iter().position(|&u| u == home) {
            order.remove(i);
            order.insert(0, home);
        }
        let mut best: Option<(f64, usize)> = None;
        for k in 2..=largest {
            let set = &order[..k];
            if groups_needed(p, set) < 2 {
                continue;
            }
            for &u in set {
                inside[u] = true;
            }
            let value = lhs(p, &homed, point, set, &inside);
            for &u in set {
                inside[u] = false;
            }
            let violation = violation(p, set, value);
            if violation > MIN_VIOLATION && best.is_none_or(|(v, _)| violation > v + 1e-9) {
                best = Some((violation, k));
            }
        }
        if let Some((violation, k)) = best {
            offer(p, &mut found, known, violation, order[..k].to_vec());
        }
        let candidates = &order[..(2 * largest).min(nu)];
        if let Some((violation, set)) = grow(p, &homed, &users, point, home, candidates, largest) {
            offer(p, &mut found, known, violation, set);
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.units.cmp(&b.1.units)));
    found.truncate(limit);
    found.into_iter().map(|(_, c)| c).collect()
}

/// Records the cut of `units` unless it is known or found already.
fn offer(
    p: &TrackProblem,
    found: &mut Vec<(f64, Cut)>,
    known: &[Cut],
    violation: f64,
    units: Vec<usize>,
) {
    let cut = Cut::of(p, units);
    if !known.contains(&cut) && !found.iter().any(|(_, f)| *f == cut) {
        found.push((violation, cut));
    }
}

/// Greedy growth from `seed`: each step adds the candidate that raises the left-hand side
/// least (the nearest on ties), so the set follows the units the LP keeps together; the
/// most violated set on the way, if any.
fn grow(
    p: &TrackProblem,
    homed: &[Vec<usize>],
    users: &[Vec<(usize, f64)>],
    point: &LpPoint,
    seed: usize,
    candidates: &[usize],
    largest: usize,
) -> Option<(f64, Vec<usize>)> {
    let nu = p.units.len();
    let mut inside = vec![false; nu];
    let mut set = vec![seed];
    inside[seed] = true;
    let mut best: Option<(f64, usize)> = None;
    while set.len() < largest {
        let mut pick: Option<(f64, usize)> = None;
        for (rank, &v) in candidates.iter().enumerate() {
            if inside[v] {
                continue;
            }
            // Adding v: its cores' y and its own assignments outside come in; what S
            // sent to v's cores stops counting.
            let mut delta = 0.0;
            for &c in &homed[v] {
                delta += point.y[c];
                for &(u, x) in &users[c] {
                    if inside[u] {
                        delta -= x;
                    }
                }
            }
            for &(c, x) in &point.assign[v] {
                let h = p.cores[c].home;
                if !inside[h] && h != v {
                    delta += x;
                }
            }
            let key = delta + 1e-6 * rank as f64;
            if pick.is_none_or(|(k, _)| key < k) {
                pick = Some((key, v));
            }
        }
        let Some((_, v)) = pick else { break };
        inside[v] = true;
        set.push(v);
        let violation = violation(p, &set, lhs(p, homed, point, &set, &inside));
        if violation > MIN_VIOLATION && best.is_none_or(|(b, _)| violation > b + 1e-9) {
            best = Some((violation, set.len()));
        }
    }
    best.map(|(v, k)| (v, set[..k].to_vec()))
}

/// Whether `assign` satisfies `cut` (it always should: a test of validity).
pub fn holds(p: &TrackProblem, cut: &Cut, assign: &[usize]) -> bool {
    let mut inside = vec![false; p.units.len()];
    for &u in &cut.units {
        inside[u] = true;
    }
    let mut value = 0;
    let mut open = std::collections::BTreeSet::new();
    for &u in &cut.units {
        let c = assign[u];
        if inside[p.cores[c].home] {
            open.insert(c);
        } else {
            value += 1;
        }
    }
    value + cut.weight * open.len() >= cut.weight * cut.rhs
}
