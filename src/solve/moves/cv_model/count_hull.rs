//! Integer-aware rows for the bounds of the levels after the cv level.
//!
//! Those levels keep E ≤ E*, so each term keeps S ≤ c·m + ε with ε = X̄⁰·E* (one term is at
//! most the sum). About the mean before any move, a = X̄⁰, the variance splits as
//! S² = V − δ² with V = Σ w_i·(X_i − a)² and δ = m − a, so every such plan has
//! V ≤ h(δ) = δ² + (c·(a + δ) + ε)². V is separable over the schools, and over integer
//! counts each school's share has the segments between consecutive counts as convex hull:
//! v_i ≥ w_i·[(x_j − a)² + (x_j + x_{j+1} − 2a)·(X_i − x_j)], valid at every integer count
//! because (n − j)(n − j − 1) ≥ 0. h is convex, so over δ's range [δ_lo, δ_hi] it lies
//! below its chord ([`VarianceCap`]). The row Σ v_i ≤ chord(δ) therefore holds at every
//! plan of the level whose mean lies in that range, and the range is the LP's own (every
//! plan is in the LP; the level is first capped at the incumbent's value, which narrows it),
//! so the model with these rows is still a relaxation, but one that knows counts are whole:
//! the tangent model lets an LP spread a key teacher over many schools at no cost in S.
//!
//! The chord is exact when no counted teacher can cross into or out of a term's schools (the
//! mean is fixed) and loose when many can: on a generated county of 90 schools it proves the
//! teachers moved (LP 65.77 with the rows, 65.0 without, plan 66); on Hezhang the means'
//! LPs take about 30 s each, so the level goes without.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::{CountyModel, debug, seconds_left};
use crate::solve::lp::{LiveStatus, Row};
use crate::solve::mip::MipError;

/// Secants added at first around each school's count before any move and at the incumbent.
const FIRST_WINDOW: i64 = 2;

/// A secant is added when the model's v_i lies this far below it.
const VIOLATION: f64 = 1e-9;

/// Rounds of the LP's cut loop at most.
const MAX_ROUNDS: usize = 30;

/// The rows of one term.
pub(super) struct TermHull {
    /// Position → v column.
    v: BTreeMap<usize, usize>,
    /// Position → secants added (their j).
    secants: BTreeMap<usize, BTreeSet<i64>>,
}

pub(crate) struct CountHull {
    terms: Vec<TermHull>,
}

/// One school's secant of w·(X − a)² between counts j and j + 1 (X = 100·n / P): the
/// share is at least `slope`·X + `intercept` at every whole count, with equality at j and
/// j + 1.
#[derive(Debug, Clone, Copy)]
struct Secant {
    slope: f64,
    intercept: f64,
}

impl Secant {
    fn new(weight: f64, mean_before: f64, students: f64, j: i64) -> Secant {
        let step = 100.0 / students;
        let x_j = step * j as f64;
        // (x_j − a) + (x_{j+1} − a): the chord's slope of (X − a)² over [x_j, x_{j+1}].
        let slope = step * (2 * j + 1) as f64 - 2.0 * mean_before;
        Secant {
            slope: weight * slope,
            intercept: weight * ((x_j - mean_before).powi(2) - slope * x_j),
        }
    }

    fn at(self, x: f64) -> f64 {
        self.slope * x + self.intercept
    }
}

/// The chord over the means' range [lo, hi] of h(m) = (m − a)² + (c·m + ε)²: every plan
/// whose mean m lies in the range and whose S ≤ c·m + ε has V = S² + (m − a)² ≤ h(m) ≤
/// [`VarianceCap::limit`] at m (h is convex, so below its chord).
#[derive(Debug, Clone, Copy)]
struct VarianceCap {
    lowest: f64,
    at_lowest: f64,
    slope: f64,
}

impl VarianceCap {
    fn new(mean_before: f64, threshold: f64, eps: f64, lo: f64, hi: f64) -> VarianceCap {
        let h = |m: f64| (m - mean_before).powi(2) + (threshold * m + eps).powi(2);
        let slope = if hi - lo > 1e-12 {
            (h(hi) - h(lo)) / (hi - lo)
        } else {
            // A fixed mean: the chord is the point.
            0.0
        };
        VarianceCap {
            lowest: lo,
            at_lowest: h(lo),
            slope,
        }
    }

    /// The cap on V at mean m.
    fn limit(self, m: f64) -> f64 {
        self.at_lowest + self.slope * (m - self.lowest)
    }
}

impl CountyModel<'_> {
    /// Per term, the LP's range of the mean m (its minimum and maximum under every row so
    /// far); `None` when an LP did not finish.
    fn mean_ranges(&mut self, deadline: Instant) -> Result<Option<Vec<(f64, f64)>>, MipError> {
        self.model.clear_integrality()?;
        // Primal simplex: a new objective leaves the last basis primal feasible, not dual (on
        // a county of 90 schools the four LPs took 1.0 s, against 1.9 s by the dual).
        self.model.set_int("simplex_strategy", 4)?;
        let mut out = Vec::with_capacity(self.terms.len());
        for k in 0..self.terms.len() {
            let mut range = [0.0; 2];
            for (q, sense) in [1.0, -1.0].into_iter().enumerate() {
                let mut cost = vec![0.0; self.num_cols()];
                cost[self.cols[k].m] = sense;
                self.model.set_costs(&cost)?;
                if self.model.run(seconds_left(deadline))? != LiveStatus::Optimal {
                    return Ok(None);
                }
                range[q] = sense * self.model.objective();
            }
            out.push((range[0] - 1e-9, range[1] + 1e-9));
        }
        Ok(Some(out))
    }

    /// Adds (or, once added, tightens) the hull rows for plans with E at most `e_cap` and
    /// within the rows already in the model; leaves the objective unset. Returns whether
    /// the rows are in.
    pub(crate) fn add_count_hull(
        &mut self,
        e_cap: f64,
        start: &[f64],
        deadline: Instant,
    ) -> Result<bool, MipError> {
        let started = Instant::now();
        let ranges = self.mean_ranges(deadline)?;
        debug(&format!(
            "  means' ranges in {:.2} s: {}",
            started.elapsed().as_secs_f64(),
            if ranges.is_some() { "done" } else { "not done" }
        ));
        let Some(ranges) = ranges else {
            return Ok(false);
        };
        if self.count_hull.is_none() {
            let mut terms = Vec::with_capacity(self.terms.len());
            for k in 0..self.terms.len() {
                let positions: Vec<usize> = self.cols[k].x.keys().copied().collect();
                let first = self.num_cols();
                let n = positions.len();
                self.model.add_cols(
                    &vec![0.0; n],
                    &vec![0.0; n],
                    &vec![f64::INFINITY; n],
                    &vec![Vec::new(); n],
                )?;
                self.integer.resize(first + n, false);
                self.fixed.resize(first + n, false);
                terms.push(TermHull {
                    v: positions
                        .iter()
                        .enumerate()
                        .map(|(q, &i)| (i, first + q))
                        .collect(),
                    secants: BTreeMap::new(),
                });
            }
            self.count_hull = Some(CountHull { terms });
            let mut wanted = Vec::new();
            let at_start = self.counts_at(start);
            for (k, start_counts) in at_start.iter().enumerate() {
                let term = self.terms[k];
                for &i in self.cols[k].x.keys() {
                    let n0 = term.counts_before[i].round() as i64;
                    wanted.extend((n0 - FIRST_WINDOW..n0 + FIRST_WINDOW).map(|j| (k, i, j)));
                    let n1 = start_counts[i].round() as i64;
                    wanted.extend([(k, i, n1 - 1), (k, i, n1)]);
                }
            }
            self.add_secants(&wanted)?;
        }
        let positions: Vec<BTreeMap<usize, usize>> = self
            .count_hull
            .as_ref()
            .map(|h| h.terms.iter().map(|t| t.v.clone()).collect())
            .unwrap_or_default();
        let mut rows: Vec<Row> = Vec::new();
        for ((k, &(lo, hi)), v) in ranges.iter().enumerate().zip(&positions) {
            let term = self.terms[k];
            let a = term.mean_before;
            let cap = VarianceCap::new(a, term.threshold, a * e_cap.max(0.0), lo, hi);
            let constant = self.untouched_variance(k);
            // Σ v + constant ≤ cap.at_lowest + cap.slope·(m − lowest mean)
            let mut entries: Vec<(usize, f64)> = v.values().map(|&col| (col, 1.0)).collect();
            entries.push((self.cols[k].m, -cap.slope));
            let upper = cap.limit(0.0) - constant + 1e-9;
            debug(&format!(
                "  count hull term {k}: X̄⁰ {a}, m in [{lo}, {hi}], {} positions",
                v.len()
            ));
            rows.push((f64::NEG_INFINITY, upper, entries));
        }
        self.model.add_rows_with(&rows)?;
        Ok(true)
    }

    /// Adds the secants (term, position, j) not in the model yet, in one call; returns how
    /// many.
    fn add_secants(&mut self, wanted: &[(usize, usize, i64)]) -> Result<usize, MipError> {
        let Some(hull) = &mut self.count_hull else {
            return Ok(0);
        };
        let mut rows: Vec<Row> = Vec::new();
        for &(k, i, j) in wanted {
            if j < 0 {
                continue;
            }
            let th = &mut hull.terms[k];
            let Some(&v) = th.v.get(&i) else { continue };
            if !th.secants.entry(i).or_default().insert(j) {
                continue;
            }
            let term = self.terms[k];
            let Secant { slope, intercept } =
                Secant::new(term.weight(i), term.mean_before, term.students[i], j);
            // v − slope·X ≥ intercept
            let x = self.cols[k].x[&i];
            rows.push((intercept, f64::INFINITY, vec![(v, 1.0), (x, -slope)]));
        }
        self.model.add_rows_with(&rows)?;
        self.cuts += rows.len();
        Ok(rows.len())
    }

    /// Secants the LP point `p` breaks. Returns how many were added.
    fn hull_cuts(&mut self, p: &[f64]) -> Result<usize, MipError> {
        let Some(hull) = &self.count_hull else {
            return Ok(0);
        };
        let counts = self.counts_at(p);
        let mut wanted = Vec::new();
        for (k, th) in hull.terms.iter().enumerate() {
            let term = self.terms[k];
            for (&i, &v) in &th.v {
                let j = counts[k][i].floor() as i64;
                let secant = Secant::new(term.weight(i), term.mean_before, term.students[i], j);
                if p[v] < secant.at(p[self.cols[k].x[&i]]) - VIOLATION {
                    wanted.push((k, i, j));
                }
            }
        }
        self.add_secants(&wanted)
    }

    /// The LP of the current objective with secants added at its optimum until none is
    /// broken (or `deadline`): its last value bounds the level (every plan meets every
    /// row). `None` when no LP finished.
    pub(crate) fn hull_bound(&mut self, deadline: Instant) -> Result<Option<f64>, MipError> {
        let mut bound = None;
        for round in 1..=MAX_ROUNDS {
            let Some(value) = self.relaxation_bound(deadline)? else {
                break;
            };
            bound = Some(value);
            let (p, _) = self.model.solution();
            let added = self.hull_cuts(&p)?;
            debug(&format!(
                "  hull LP round {round}: {value}, {added} secants"
            ));
            if added == 0 {
                break;
            }
        }
        Ok(bound)
    }

    /// The hull columns of a completed point: v_i at the plan's shares.
    pub(super) fn complete_count_hull(&self, point: &mut [f64], counts: &[Vec<f64>]) {
        let Some(hull) = &self.count_hull else {
            return;
        };
        for (k, th) in hull.terms.iter().enumerate() {
            let term = self.terms[k];
            let x = term.values(&counts[k]);
            for (&i, &v) in &th.v {
                point[v] = term.share_before(i, x[i]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Secant, VarianceCap};

    /// The share a school of `students` with `n` counted teachers adds to V.
    fn share(weight: f64, mean_before: f64, students: f64, n: i64) -> f64 {
        weight * (100.0 * n as f64 / students - mean_before).powi(2)
    }

    #[test]
    fn a_secant_lies_below_every_whole_count_and_touches_two() {
        for &(weight, mean_before, students) in
            &[(0.02, 0.51, 640.0), (0.3, 0.64, 85.0), (1.0, 0.0, 1.0)]
        {
            for j in 0..12 {
                let secant = Secant::new(weight, mean_before, students, j);
                for n in 0..20 {
                    let x = 100.0 * n as f64 / students;
                    let gap = share(weight, mean_before, students, n) - secant.at(x);
                    let scale = share(weight, mean_before, students, n).abs().max(1.0);
                    if n == j || n == j + 1 {
                        assert!(gap.abs() <= 1e-9 * scale, "j {j} n {n}: gap {gap}");
                    } else {
                        assert!(gap > 0.0, "j {j} n {n}: secant above the share by {}", -gap);
                    }
                }
            }
        }
    }

    #[test]
    fn a_fraction_of_a_teacher_costs_its_share_of_the_step() {
        // Half a teacher between counts 2 and 3 costs half of each count's share: the LP
        // can no longer spread one teacher over two schools for free.
        let (weight, mean_before, students) = (0.05, 0.5, 400.0);
        let secant = Secant::new(weight, mean_before, students, 2);
        let half = secant.at(100.0 * 2.5 / students);
        let mid = (share(weight, mean_before, students, 2)
            + share(weight, mean_before, students, 3))
            / 2.0;
        assert!((half - mid).abs() <= 1e-12);
        let exact = weight * (100.0 * 2.5 / students - mean_before).powi(2);
        assert!(half > exact);
    }

    proptest! {
        /// Any plan within its term's threshold (S ≤ c·m + ε) and inside the means' range
        /// keeps V about the mean before within the cap: the row cuts off no such plan.
        #[test]
        fn the_cap_keeps_every_plan_within_the_threshold(
            schools in prop::collection::vec((20u32..900, 0u32..9, 0u32..9), 2..7),
            middle in any::<bool>(),
            below in 0.0f64..0.2,
            above in 0.0f64..0.2,
            slack in 0.0f64..0.05,
        ) {
            let threshold = if middle { 0.45 } else { 0.50 };
            let total: f64 = schools.iter().map(|s| s.0 as f64).sum();
            let mean = |pick: &dyn Fn(&(u32, u32, u32)) -> u32| -> f64 {
                schools.iter().map(|s| 100.0 * pick(s) as f64 / total).sum()
            };
            let (before, after) = (mean(&|s| s.1), mean(&|s| s.2));
            let spread = |a: f64| -> f64 {
                schools
                    .iter()
                    .map(|s| s.0 as f64 / total * (100.0 * s.2 as f64 / s.0 as f64 - a).powi(2))
                    .sum()
            };
            let sd = spread(after).sqrt();
            // ε large enough that the plan is within the threshold.
            let eps = (sd - threshold * after).max(0.0) + slack;
            let cap = VarianceCap::new(before, threshold, eps, after - below, after + above);
            let v = spread(before);
            prop_assert!(v <= cap.limit(after) + 1e-9 * v.max(1.0), "V {v} above cap {}", cap.limit(after));
        }
    }
}
