//! Lagrangian bound: the "every unit in exactly one group" rows are priced with multipliers
//! λ, leaving one 0-1 knapsack per candidate core (its group's students cap and schools cap)
//! and the choice of the `count` cheapest cores. Any λ gives a valid lower bound; subgradient
//! steps raise it. For the capacitated p-median this reaches the Dantzig–Wolfe bound, often
//! above the LP bound, and the cores it opens seed a heuristic grouping.
//!
//! Dropping a rule only weakens the bound, never invalidates it: `min_students` is left out,
//! and a knapsack too large for the exact table drops the schools cap. Contiguity and the
//! balance term are not priced, so tracks with them are not bounded here.

use std::time::Instant;

use rayon::prelude::*;

use super::incumbent::Deadline;
use super::model::Allowed;
use super::near::Near;
use super::problem::{Assignment, EPS, TrackProblem};
use super::repair::repair;

/// What the subgradient search found.
#[derive(Debug, Clone)]
pub struct Lagrangian {
    /// The best valid lower bound on the track's objective.
    pub bound: f64,
    /// Cores ranked by their priced value at the best multipliers (cheapest first).
    pub ranked: Vec<usize>,
    pub iterations: usize,
    /// The best grouping known at the end (the one given, or a repaired relaxation's),
    /// with its objective.
    pub best: Option<(f64, Assignment)>,
    /// The multipliers of the best bound.
    pub lambda: Vec<f64>,
}

/// Whether [`Lagrangian::fix`] applies: the relaxation's knapsacks are exact and simple
/// (no students cap; a schools cap makes them "the k cheapest").
pub fn fixes(p: &TrackProblem) -> bool {
    applies(p) && p.max_students.is_none()
}

impl Lagrangian {
    /// Lagrangian variable fixing. Forcing unit u into core c's group in the relaxation
    /// costs at least a penalty: c's knapsack must take u (u's reduced cost, less the
    /// dearest item it pushes out when the schools cap is full), and c must be among the
    /// `count` chosen cores (its value less the dearest chosen one's). A grouping using
    /// (u, c) costs at least bound + penalty; when that exceeds `ub` − `step` the pair is
    /// left out (the incumbent's own pairs always stay). Cores are left out alike. Only
    /// when [`fixes`]; otherwise `allowed` comes back unchanged.
    pub fn fix(
        &self,
        p: &TrackProblem,
        near: &Near,
        allowed: &Allowed,
        inc: &[usize],
        ub: f64,
        step: f64,
    ) -> Allowed {
        let mut out = allowed.clone();
        if !fixes(p) || self.lambda.len() != p.units.len() {
            return out;
        }
        let values = core_values(p, near, &self.lambda);
        let mut order: Vec<usize> = (0..values.len())
            .filter(|&c| values[c].0.is_finite())
            .collect();
        order.sort_by(|&a, &b| values[a].0.total_cmp(&values[b].0).then(a.cmp(&b)));
        if order.len() < p.count || p.count == 0 {
            return out;
        }
        let dearest_chosen = values[order[p.count - 1]].0;
        let mut chosen = vec![false; p.cores.len()];
        for &c in order.iter().take(p.count) {
            chosen[c] = true;
        }
        let total: f64 = self.lambda.iter().sum::<f64>()
            + order
                .iter()
                .take(p.count)
                .map(|&c| values[c].0)
                .sum::<f64>();
        let slack = ub - step - total + 1e-6 * ub.abs().max(1.0);
        let in_inc: std::collections::BTreeSet<usize> = inc.iter().copied().collect();
        let max_items = p.max_units.map(|m| m.saturating_sub(1));
        for c in 0..p.cores.len() {
            if !out.core[c] || in_inc.contains(&c) {
                continue;
            }
            let open_cost = if chosen[c] {
                0.0
            } else {
                (values[c].0 - dearest_chosen).max(0.0)
            };
            if open_cost > slack {
                out.core[c] = false;
                continue;
            }
            // The knapsack's items, cheapest first: the taken ones, and the dearest taken
            // when the cap is full.
            let home = p.cores[c].home;
            let mut taken: Vec<f64> = values[c]
                .1
                .iter()
                .filter(|&&u| u != home)
                .map(|&u| p.cost[u][c] - self.lambda[u])
                .collect();
            taken.sort_by(f64::total_cmp);
            let mut is_taken = vec![false; p.units.len()];
            for &u in &values[c].1 {
                is_taken[u] = true;
            }
            let full = max_items.is_some_and(|m| taken.len() >= m);
            let dearest_taken = if full {
                taken.last().copied().unwrap_or(0.0)
            } else {
                0.0
            };
            for u in 0..p.units.len() {
                if !out.pair[u][c] || inc[u] == c || is_taken[u] {
                    continue;
                }
                let r = p.cost[u][c] - self.lambda[u];
                let penalty = open_cost + (r - dearest_taken).max(0.0);
                if penalty > slack {
                    out.pair[u][c] = false;
                }
            }
        }
        out
    }
}

/// Largest knapsack table (capacity × schools) solved exactly with both caps.
const TABLE_LIMIT: usize = 200_000;

/// Whether the bound applies: no contiguity and no balance term.
pub fn applies(p: &TrackProblem) -> bool {
    p.adjacency.is_none() && !p.has_balance() && p.count >= 1 && !p.cores.is_empty()
}

/// One knapsack item: reduced cost, whole students, unit.
type Item = (f64, u64, usize);

/// Minimum of Σ r_i x_i over 0-1 x with Σ w_i x_i ≤ cap and Σ x_i ≤ max_items, for items
/// with negative r (others never help); also the units taken (exactly when the table is
/// solved with one cap, greedily otherwise: the subgradient only needs a direction).
fn knapsack(items: &mut [Item], cap: Option<u64>, max_items: Option<usize>) -> (f64, Vec<usize>) {
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    let greedy = |items: &[Item]| {
        let mut room = cap.map(|c| c as i64);
        let mut slots = max_items;
        let mut taken = Vec::new();
        for &(_, w, u) in items {
            if slots == Some(0) {
                break;
            }
            if room.is_some_and(|r| (w as i64) > r) {
                continue;
            }
            room = room.map(|r| r - w as i64);
            slots = slots.map(|k| k - 1);
            taken.push(u);
        }
        taken
    };
    match (cap, max_items) {
        (None, None) => (
            items.iter().map(|i| i.0).sum(),
            items.iter().map(|i| i.2).collect(),
        ),
        (None, Some(m)) => (
            items.iter().take(m).map(|i| i.0).sum(),
            items.iter().take(m).map(|i| i.2).collect(),
        ),
        (Some(cap), m) => {
            let m = m.unwrap_or(items.len()).min(items.len());
            let cap = cap as usize;
            if (cap + 1) * (m + 1) <= TABLE_LIMIT && m < items.len() {
                // best[k][w]: k items, weight w.
                let mut best = vec![vec![0.0f64; cap + 1]; m + 1];
                for &(r, w, _) in items.iter() {
                    let w = w as usize;
                    if w > cap {
                        continue;
                    }
                    for k in (1..=m).rev() {
                        for c in (w..=cap).rev() {
                            let v = best[k - 1][c - w] + r;
                            if v < best[k][c] {
                                best[k][c] = v;
                            }
                        }
                    }
                }
                let value = best
                    .iter()
                    .flat_map(|row| row.iter())
                    .copied()
                    .fold(0.0, f64::min);
                (value, greedy(items))
            } else if cap < TABLE_LIMIT && items.len() * (cap + 1) <= 4 * TABLE_LIMIT {
                let mut best = vec![0.0f64; cap + 1];
                let mut keep = vec![vec![false; cap + 1]; items.len()];
                for (i, &(r, w, _)) in items.iter().enumerate() {
                    let w = w as usize;
                    for c in (w..=cap).rev() {
                        let v = best[c - w] + r;
                        if v < best[c] {
                            best[c] = v;
                            keep[i][c] = true;
                        }
                    }
                }
                let (mut c, value) = best
                    .iter()
                    .copied()
                    .enumerate()
                    .fold((0, 0.0), |acc, (c, v)| if v < acc.1 { (c, v) } else { acc });
                let mut taken = Vec::new();
                for i in (0..items.len()).rev() {
                    if keep[i][c] {
                        taken.push(items[i].2);
                        c -= items[i].1 as usize;
                    }
                }
                (value, taken)
            } else {
                // Fractional knapsack: a lower bound on the 0-1 one.
                let mut by_ratio: Vec<Item> = items.to_vec();
                by_ratio.sort_by(|a, b| {
                    (a.0 / a.1.max(1) as f64).total_cmp(&(b.0 / b.1.max(1) as f64))
                });
                let mut room = cap as f64;
                let mut total = 0.0;
                for &(r, w, _) in &by_ratio {
                    if w == 0 {
                        total += r;
                        continue;
                    }
                    if room <= 0.0 {
                        break;
                    }
                    let take = (room / w as f64).min(1.0);
                    total += r * take;
                    room -= take * w as f64;
                }
                (total, greedy(items))
            }
        }
    }
}

/// Priced value of every core at multipliers λ (its own unit's cost minus λ_home, plus the
/// best knapsack of other units at reduced cost cost[u][c] − λ_u), and the units it takes.
/// Only units with cost[u][c] < λ_u can lower a value, so each core's scan of its sorted
/// units stops at the largest λ: the values are exact, not truncated.
fn core_values(p: &TrackProblem, near: &Near, lambda: &[f64]) -> Vec<(f64, Vec<usize>)> {
    let students_whole = p
        .units
        .iter()
        .all(|u| (u.students - u.students.round()).abs() < EPS);
    let lambda_max = lambda.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..p.cores.len())
        .into_par_iter()
        .map(|c| {
            if !near.fits[c] {
                return (f64::INFINITY, Vec::new());
            }
            let home = p.cores[c].home;
            let mut items: Vec<Item> = Vec::new();
            for &u in &near.by_core[c] {
                let u = u as usize;
                let d = p.cost[u][c];
                if d >= lambda_max {
                    break;
                }
                let r = d - lambda[u];
                if r < 0.0 {
                    items.push((r, p.units[u].students.max(0.0).round() as u64, u));
                }
            }
            let cap = match (p.max_students, students_whole) {
                (Some(m), true) => Some((m - p.units[home].students + EPS).floor().max(0.0) as u64),
                _ => None,
            };
            let max_items = p.max_units.map(|m| m.saturating_sub(1));
            let (value, mut taken) = knapsack(&mut items, cap, max_items);
            taken.push(home);
            (p.cost[home][c] - lambda[home] + value, taken)
        })
        .collect()
}

/// L(λ) = Σ λ + the `count` smallest core values; the cores in value order; and how many
/// times the chosen cores cover each unit.
fn evaluate(p: &TrackProblem, near: &Near, lambda: &[f64]) -> (f64, Vec<usize>, Vec<f64>) {
    let values = core_values(p, near, lambda);
    let mut order: Vec<usize> = (0..values.len())
        .filter(|&c| values[c].0.is_finite())
        .collect();
    order.sort_by(|&a, &b| values[a].0.total_cmp(&values[b].0).then(a.cmp(&b)));
    let mut covered = vec![0.0; p.units.len()];
    if order.len() < p.count {
        return (f64::INFINITY, order, covered);
    }
    let chosen: f64 = order.iter().take(p.count).map(|&c| values[c].0).sum();
    for &c in order.iter().take(p.count) {
        for &u in &values[c].1 {
            covered[u] += 1.0;
        }
    }
    (lambda.iter().sum::<f64>() + chosen, order, covered)
}

/// The first `count` cores of `ranked` with distinct own units: the cores a repair opens.
pub fn open_set(p: &TrackProblem, ranked: &[usize]) -> Vec<usize> {
    let mut homes = vec![false; p.units.len()];
    let mut open = Vec::new();
    for &c in ranked {
        if open.len() < p.count && !homes[p.cores[c].home] {
            homes[p.cores[c].home] = true;
            open.push(c);
        }
    }
    open
}

/// Subgradient optimisation until `deadline`, `max_iter` steps, or the step vanishes.
/// `upper` is a known objective (for the step length), if any.
pub fn bound(
    p: &TrackProblem,
    upper: Option<f64>,
    max_iter: usize,
    deadline: Option<Instant>,
) -> Option<Lagrangian> {
    if !applies(p) {
        return None;
    }
    let near = Near::new(p);
    let settings = Search {
        max_iter,
        deadline: Deadline(deadline),
        repair_every: None,
    };
    search(p, &near, upper.map(|u| (u, Vec::new())), &settings)
}

/// How long [`search`] runs and how often it repairs the relaxation into a grouping.
#[derive(Debug, Clone, Copy)]
pub struct Search {
    pub max_iter: usize,
    pub deadline: Deadline,
    /// Repair the relaxation's cores into a grouping every this many steps (never if `None`).
    pub repair_every: Option<usize>,
}

/// Non-improving steps before the step size halves.
const PATIENCE: usize = 25;
/// The step factor at which the search stops (it starts at 2).
const MIN_THETA: f64 = 2e-4;

/// The subgradient search, with the Lagrangian heuristic: every `repair_every` steps the
/// cores the relaxation opens are repaired into a grouping ([`repair`]); the best one
/// found tightens the step length. `known` is a grouping's objective (and the grouping,
/// when its assignment is non-empty).
pub fn search(
    p: &TrackProblem,
    near: &Near,
    known: Option<(f64, Assignment)>,
    settings: &Search,
) -> Option<Lagrangian> {
    if !applies(p) {
        return None;
    }
    let nu = p.units.len();
    // Start: each unit's cheapest way into a group other than alone.
    let mut lambda: Vec<f64> = (0..nu)
        .map(|u| {
            near.by_unit[u]
                .iter()
                .map(|&c| c as usize)
                .filter(|&c| p.cores[c].home != u)
                .map(|c| p.cost[u][c])
                .next()
                .unwrap_or(0.0)
        })
        .collect();
    let mut upper = known.as_ref().map(|k| k.0);
    let mut best_group = known.filter(|k| !k.1.is_empty());
    let mut best: Option<Lagrangian> = None;
    let mut last_open: Vec<usize> = Vec::new();
    let mut theta = 2.0;
    let mut stall = 0;
    for it in 0..settings.max_iter {
        if settings.deadline.passed() {
            break;
        }
        let (value, order, covered) = evaluate(p, near, &lambda);
        if !value.is_finite() {
            return None;
        }
        if best
            .as_ref()
            .is_none_or(|b| value > b.bound + 1e-9 * value.abs().max(1.0))
        {
            best = Some(Lagrangian {
                bound: value,
                ranked: order.clone(),
                iterations: it + 1,
                best: None,
                lambda: lambda.clone(),
            });
            stall = 0;
        } else {
            stall += 1;
            if stall >= PATIENCE {
                theta /= 2.0;
                stall = 0;
            }
        }
        if let Some(b) = &mut best {
            b.iterations = it + 1;
        }
        if let Some(every) = settings.repair_every
            && it % every.max(1) == 0
        {
            let mut open = open_set(p, &order);
            open.sort_unstable();
            if open != last_open {
                if let Some(a) = repair(p, near, &open, false, settings.deadline) {
                    let v = p.objective(&a);
                    if upper.is_none_or(|u| v < u - 1e-9) {
                        upper = Some(v);
                        best_group = Some((v, a));
                    }
                }
                last_open = open;
            }
        }
        let lower = best.as_ref().map_or(value, |b| b.bound);
        if upper.is_some_and(|u| lower >= u - 1e-9 * u.abs().max(1.0)) {
            break;
        }
        let g: Vec<f64> = covered.iter().map(|c| 1.0 - c).collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-12 || theta < MIN_THETA {
            break;
        }
        let target = upper.unwrap_or(value.abs().max(1.0) * 1.05 + 1.0);
        let step = theta * (target - value).max(1e-6 * value.abs().max(1.0)) / norm;
        for u in 0..nu {
            lambda[u] += step * g[u];
        }
    }
    best.map(|mut b| {
        b.best = best_group;
        b
    })
}
