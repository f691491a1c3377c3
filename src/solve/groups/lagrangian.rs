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

use super::problem::{EPS, TrackProblem};

/// What the subgradient search found.
#[derive(Debug, Clone)]
pub struct Lagrangian {
    /// The best valid lower bound on the track's objective.
    pub bound: f64,
    /// Cores ranked by their priced value at the best multipliers (cheapest first).
    pub ranked: Vec<usize>,
    pub iterations: usize,
}

/// Largest knapsack table (capacity × schools) solved exactly with both caps.
const TABLE_LIMIT: usize = 200_000;

/// Whether the bound applies: no contiguity and no balance term.
pub fn applies(p: &TrackProblem) -> bool {
    p.adjacency.is_none() && !p.has_balance() && p.count >= 1 && !p.cores.is_empty()
}

/// Minimum of Σ r_i x_i over 0-1 x with Σ w_i x_i ≤ cap and Σ x_i ≤ max_items, for items
/// with negative r (others never help). Weights are whole students.
fn knapsack(items: &mut [(f64, u64)], cap: Option<u64>, max_items: Option<usize>) -> f64 {
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    match (cap, max_items) {
        (None, None) => items.iter().map(|i| i.0).sum(),
        (None, Some(m)) => items.iter().take(m).map(|i| i.0).sum(),
        (Some(cap), m) => {
            let m = m.unwrap_or(items.len()).min(items.len());
            let cap = cap as usize;
            if (cap + 1) * (m + 1) <= TABLE_LIMIT && m < items.len() {
                // best[k][w]: k items, weight w.
                let mut best = vec![vec![0.0f64; cap + 1]; m + 1];
                for &(r, w) in items.iter() {
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
                best.iter()
                    .flat_map(|row| row.iter())
                    .copied()
                    .fold(0.0, f64::min)
            } else if cap < TABLE_LIMIT {
                let mut best = vec![0.0f64; cap + 1];
                for &(r, w) in items.iter() {
                    let w = w as usize;
                    for c in (w..=cap).rev() {
                        let v = best[c - w] + r;
                        if v < best[c] {
                            best[c] = v;
                        }
                    }
                }
                best.iter().copied().fold(0.0, f64::min)
            } else {
                // Fractional knapsack: a lower bound on the 0-1 one.
                let mut by_ratio: Vec<(f64, u64)> = items.to_vec();
                by_ratio.sort_by(|a, b| {
                    (a.0 / a.1.max(1) as f64).total_cmp(&(b.0 / b.1.max(1) as f64))
                });
                let mut room = cap as f64;
                let mut total = 0.0;
                for (r, w) in by_ratio {
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
                total
            }
        }
    }
}

/// Priced value of every core at multipliers λ: its own unit's cost minus λ_home, plus the
/// best knapsack of other units at reduced cost cost[u][c] − λ_u.
fn core_values(p: &TrackProblem, lambda: &[f64], fits: &[bool]) -> Vec<f64> {
    let students_whole = p
        .units
        .iter()
        .all(|u| (u.students - u.students.round()).abs() < EPS);
    (0..p.cores.len())
        .map(|c| {
            if !fits[c] {
                return f64::INFINITY;
            }
            let home = p.cores[c].home;
            let mut items: Vec<(f64, u64)> = Vec::new();
            for (u, unit) in p.units.iter().enumerate() {
                if u == home {
                    continue;
                }
                let r = p.cost[u][c] - lambda[u];
                if r < 0.0 && p.pair_fits(u, c) {
                    items.push((r, unit.students.max(0.0).round() as u64));
                }
            }
            let cap = match (p.max_students, students_whole) {
                (Some(m), true) => Some((m - p.units[home].students + EPS).floor().max(0.0) as u64),
                _ => None,
            };
            let max_items = p.max_units.map(|m| m.saturating_sub(1));
            p.cost[home][c] - lambda[home] + knapsack(&mut items, cap, max_items)
        })
        .collect()
}

/// L(λ) = Σ λ + the `count` smallest core values; also the cores in value order.
fn evaluate(p: &TrackProblem, lambda: &[f64], fits: &[bool]) -> (f64, Vec<usize>, Vec<f64>) {
    let values = core_values(p, lambda, fits);
    let mut order: Vec<usize> = (0..values.len())
        .filter(|&c| values[c].is_finite())
        .collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    if order.len() < p.count {
        return (f64::INFINITY, order, values);
    }
    let chosen: f64 = order.iter().take(p.count).map(|&c| values[c]).sum();
    (lambda.iter().sum::<f64>() + chosen, order, values)
}

/// Units covered by the open cores' knapsack choices, counted (for the subgradient).
fn coverage(p: &TrackProblem, lambda: &[f64], open: &[usize]) -> Vec<f64> {
    let mut covered = vec![0.0; p.units.len()];
    for &c in open {
        let home = p.cores[c].home;
        covered[home] += 1.0;
        // Greedy re-pick of the knapsack's items: the subgradient only needs a direction.
        let mut items: Vec<(f64, usize)> = (0..p.units.len())
            .filter(|&u| u != home && p.pair_fits(u, c))
            .map(|u| (p.cost[u][c] - lambda[u], u))
            .filter(|&(r, _)| r < 0.0)
            .collect();
        items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut room = p.max_students.map(|m| m - p.units[home].students);
        let mut slots = p.max_units.map(|m| m.saturating_sub(1));
        for (_, u) in items {
            if slots == Some(0) {
                break;
            }
            let s = p.units[u].students;
            if room.is_some_and(|r| s > r + EPS) {
                continue;
            }
            room = room.map(|r| r - s);
            slots = slots.map(|k| k - 1);
            covered[u] += 1.0;
        }
    }
    covered
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
    let nu = p.units.len();
    let fits: Vec<bool> = (0..p.cores.len()).map(|c| p.core_fits(c)).collect();
    // Start: each unit's cheapest way into a group other than alone.
    let mut lambda: Vec<f64> = (0..nu)
        .map(|u| {
            (0..p.cores.len())
                .filter(|&c| fits[c] && p.cores[c].home != u)
                .map(|c| p.cost[u][c])
                .fold(f64::INFINITY, f64::min)
        })
        .map(|x| if x.is_finite() { x } else { 0.0 })
        .collect();
    let mut best: Option<Lagrangian> = None;
    let mut theta = 2.0;
    let mut stall = 0;
    for it in 0..max_iter {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let (value, order, _) = evaluate(p, &lambda, &fits);
        if !value.is_finite() {
            return None;
        }
        if best.as_ref().is_none_or(|b| value > b.bound + 1e-9) {
            best = Some(Lagrangian {
                bound: value,
                ranked: order.clone(),
                iterations: it + 1,
            });
            stall = 0;
        } else {
            stall += 1;
            if stall >= 20 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if let Some(b) = &mut best {
            b.iterations = it + 1;
        }
        let open: Vec<usize> = order.iter().take(p.count).copied().collect();
        let covered = coverage(p, &lambda, &open);
        let g: Vec<f64> = covered.iter().map(|c| 1.0 - c).collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-12 || theta < 1e-4 {
            break;
        }
        let target = upper.unwrap_or(value.abs().max(1.0) * 1.05 + 1.0);
        let step = theta * (target - value).max(1e-6 * value.abs().max(1.0)) / norm;
        for u in 0..nu {
            lambda[u] += step * g[u];
        }
    }
    best
}
