//! The county model of the `cv_excess` level on one live HiGHS model ([`LiveModel`]): the
//! engine's candidates for every part at once (the CVs couple the parts), the exchanges and
//! shortage pinned at the parts' optimum, and the excess by outer approximation.
//!
//! Per modelled term, X_i is a column for every school a counted class may leave or reach,
//! m = X̄ is a column, and S ≤ s in the lifted form of the cone: d_i ≥ (X_i − m)² / s per
//! school and Σ w_i·d_i ≤ s; each d_i ≥ z²/s (quadratic over linear, convex) enters by its
//! tangents d_i ≥ 2r·z − r²·s, one row per ratio r = z/s; t ≥ (s − c·m) / X̄⁰ is the term.
//! Every tangent lies below the convex function, so the model's optimum with any set of
//! cuts, as an LP or as a MIP, is a valid lower bound on E; cuts are rows added to the live
//! model, so each re-solve starts from the last basis.
//!
//! The level is solved in phases. Searches find low-E plans fast (the LP below cannot: on
//! a county its optimum spreads key teachers fractionally and reaches E = 0), with the
//! variance exact in binaries ([`CountyModel::begin_search`]); their bounds prove nothing.
//! First among the moves of counted teachers, the other flows held at most at the
//! incumbent's (global, and small); then every move of one group at a time, the rest of
//! the plan held ([`CountyModel::hold_outside`]): a key teacher's move often needs another
//! teacher to fill the post left, which the first search cannot add. A plan with E = 0 is
//! proven at once. Otherwise the LP with the cut loop gives the bound E_LP, the reduced
//! costs of that LP fix at 0 every column that would lift any plan above the incumbent's
//! E, and HiGHS's branch and bound runs on what is left, from the incumbent, cuts added at
//! each plan it returns, until the plan's true E and the model's bound agree within
//! [`TOLERANCE`]. The later levels' bounds may add rows that know counts are whole
//! ([`count_hull`]).

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

mod count_hull;

use super::Context;
use super::arcs::Arc;
use super::classes::Class;
use super::engine::{Candidate, Candidates, MOVED_LEVEL, Var, build_candidates, plan_values};
use super::indicators::{TOLERANCE, Term};
use super::model::{Component, FloorReq};
use crate::metrics;
use crate::solve::lp::{LiveModel, LiveStatus, Row};
use crate::solve::mip::{MipError, MipOptions};

/// Ratios beyond this make a cut numerically useless (a school far from the mean with s ≈ 0).
const MAX_RATIO: f64 = 1e4;

/// Seed tangents: teachers fewer and more than before at a school, and s as multiples of
/// c·X̄⁰.
const SEED_FEWER: f64 = 2.0;
const SEED_MORE: f64 = 3.0;
const SEED_SPREAD: [f64; 4] = [0.9, 1.0, 1.1, 1.25];

/// The search's window: teachers fewer and more than before at a school.
const SEARCH_FEWER: f64 = 3.0;
const SEARCH_MORE: f64 = 4.0;

/// HiGHS's share of effort on primal heuristics during the search, and its default.
const SEARCH_HEURISTIC_EFFORT: f64 = 0.3;
const DEFAULT_HEURISTIC_EFFORT: f64 = 0.05;

/// Reduced costs are trusted to this (HiGHS's dual feasibility tolerance is 1e-7).
const RC_EPS: f64 = 1e-6;

/// The columns of one modelled term.
struct TermCols {
    /// Position → X column, for the positions a counted class may leave or reach.
    x: BTreeMap<usize, usize>,
    m: usize,
    s: usize,
    t: usize,
    /// Per position.
    d: Vec<usize>,
    /// Per position: ratios cut so far (rounded, to skip repeats).
    ratios: Vec<Vec<i64>>,
}

/// The county model. Columns: the candidates in order, then each term's columns.
pub(crate) struct CountyModel<'a> {
    terms: &'a [&'a Term],
    pub(crate) cands: Vec<Candidate>,
    /// Per candidate: (term, position, ±1) for each school whose count of the term it
    /// changes by one teacher moved.
    effects: Vec<Vec<(usize, usize, f64)>>,
    cols: Vec<TermCols>,
    model: LiveModel,
    pub(crate) shortage_constant: f64,
    pub(crate) changes_constant: f64,
    /// Per column: integer.
    integer: Vec<bool>,
    /// Per column: fixed at 0 by reduced cost.
    fixed: Vec<bool>,
    pub(crate) cuts: usize,
    /// The exact-variance columns of the search, while it runs.
    search: Option<Search>,
    /// Per candidate: (school of its class, school where it works) for flows and stays;
    /// `None` for a shortage column.
    sites: Vec<Option<(usize, usize)>>,
    /// Cuts made and not yet in the model.
    pending: Vec<Row>,
    /// Per school: its group.
    group_of: Vec<Option<usize>>,
    /// The later levels' integer-aware rows, once added ([`count_hull`]).
    count_hull: Option<count_hull::CountHull>,
}

/// The search's exact form of the variance about X̄⁰: per touched position, binaries
/// λ_{i,n} choosing its count n in a window around the counts before and in the start, so
/// V = Σ w_i·(X_i − X̄⁰)² is linear in them. With the mean m = X̄⁰ + δ, S² = V − δ², so
/// S² − c²·m² = V − c²·X̄⁰² − 2c²·X̄⁰·δ − (1 + c²)·δ²; per term, u ≥ the linear part of that,
/// an upper estimate: a plan with u = 0 has S ≤ c·m, its term 0.
struct Search {
    /// Per term: (position, first λ column, lowest count, number of counts).
    lambdas: Vec<Vec<(usize, usize, f64, usize)>>,
    u: Vec<usize>,
    rows: Vec<usize>,
    cols: Vec<usize>,
}

/// A plan of the model: every column's value.
pub(crate) type Point = Vec<f64>;

/// (arc, flow) and ((class, subject), count) of a plan.
pub(crate) type Plan = (Vec<(usize, u32)>, Vec<((usize, usize), u32)>);

/// How a MIP solve of the model ended.
pub(crate) struct MipRun {
    /// The plan HiGHS returned (candidates rounded), if any.
    pub point: Option<Point>,
    /// The model's objective at that plan.
    pub objective: f64,
    /// HiGHS's dual bound (NaN when it has none).
    pub bound: f64,
    pub optimal: bool,
}

impl<'a> CountyModel<'a> {
    /// Builds the model over every class and arc, with the terms' columns and rows and no
    /// cut yet; costs are all 0.
    pub(crate) fn new(
        ctx: &Context,
        classes: &[Class],
        arcs: &[Arc],
        terms: &'a [&'a Term],
        floor: Option<FloorReq>,
        options: &MipOptions,
    ) -> Result<CountyModel<'a>, MipError> {
        let comp = Component {
            schools: (0..ctx.inst.schools.len()).collect(),
            classes: (0..classes.len()).collect(),
            arcs: (0..arcs.len()).collect(),
        };
        let Candidates {
            cands,
            mut row_lower,
            mut row_upper,
            shortage_constant,
            changes_constant,
            ..
        } = build_candidates(ctx, classes, arcs, &comp, floor);
        let effects: Vec<Vec<(usize, usize, f64)>> = cands
            .iter()
            .map(|c| match c.var {
                Var::Flow { arc, class } => {
                    let cl = &classes[class];
                    let mut out = Vec::new();
                    for (k, term) in terms.iter().enumerate() {
                        if !counts(ctx, cl, term) {
                            continue;
                        }
                        if let Some(&i) = term.position.get(&cl.school) {
                            out.push((k, i, -1.0));
                        }
                        if let Some(&i) = term.position.get(&arcs[arc].dest) {
                            out.push((k, i, 1.0));
                        }
                    }
                    out
                }
                _ => Vec::new(),
            })
            .collect();
        // Rows of the terms: X_i's definition per touched position, the mean, the cone and
        // the excess.
        let mut new_row = |lo: f64, hi: f64| {
            row_lower.push(lo);
            row_upper.push(hi);
            row_lower.len() - 1
        };
        struct TermRows {
            x: BTreeMap<usize, usize>,
            mean: usize,
            cone: usize,
            excess: usize,
        }
        let mut touched: Vec<BTreeMap<usize, ()>> = vec![BTreeMap::new(); terms.len()];
        for e in &effects {
            for &(k, i, _) in e {
                touched[k].insert(i, ());
            }
        }
        let term_rows: Vec<TermRows> = terms
            .iter()
            .enumerate()
            .map(|(k, term)| {
                let x = touched[k]
                    .keys()
                    .map(|&i| {
                        let x0 = term.value_before(i);
                        (i, new_row(x0, x0))
                    })
                    .collect::<BTreeMap<_, _>>();
                let fixed_mean: f64 = (0..term.schools.len())
                    .filter(|i| !x.contains_key(i))
                    .map(|i| term.weight(i) * term.value_before(i))
                    .sum();
                TermRows {
                    x,
                    mean: new_row(fixed_mean, fixed_mean),
                    cone: new_row(f64::NEG_INFINITY, 0.0),
                    excess: new_row(0.0, f64::INFINITY),
                }
            })
            .collect();
        let mut model = LiveModel::new(
            crate::solve::mip::highs_log_shown(),
            crate::solve::mip::claim_highs_threads(options.threads),
        )?;
        model.add_rows(&row_lower, &row_upper)?;
        // The candidates, with their entries in the X rows.
        let n = cands.len();
        let mut entries: Vec<Vec<(usize, f64)>> = Vec::with_capacity(n);
        for (j, c) in cands.iter().enumerate() {
            let mut rows = c.rows.clone();
            for &(k, i, sign) in &effects[j] {
                let p = terms[k].students[i];
                rows.push((term_rows[k].x[&i], -100.0 / p * sign));
            }
            entries.push(rows);
        }
        let lower = vec![0.0; n];
        let upper: Vec<f64> = cands.iter().map(|c| c.upper).collect();
        model.add_cols(&vec![0.0; n], &lower, &upper, &entries)?;
        // The terms' columns.
        let mut next = n;
        let mut take = || {
            next += 1;
            next - 1
        };
        let mut aux_entries: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut cols = Vec::with_capacity(terms.len());
        for (k, term) in terms.iter().enumerate() {
            let r = &term_rows[k];
            let mut x = BTreeMap::new();
            for (&i, &row) in &r.x {
                x.insert(i, take());
                aux_entries.push(vec![(row, 1.0), (r.mean, -term.weight(i))]);
            }
            let m = take();
            aux_entries.push(vec![(r.mean, 1.0), (r.excess, term.threshold)]);
            let s = take();
            aux_entries.push(vec![(r.cone, -1.0), (r.excess, -1.0)]);
            let t = take();
            aux_entries.push(vec![(r.excess, term.mean_before)]);
            let d: Vec<usize> = (0..term.schools.len())
                .map(|i| {
                    aux_entries.push(vec![(r.cone, term.weight(i))]);
                    take()
                })
                .collect();
            cols.push(TermCols {
                x,
                m,
                s,
                t,
                d,
                ratios: vec![Vec::new(); term.schools.len()],
            });
        }
        let n_aux = aux_entries.len();
        model.add_cols(
            &vec![0.0; n_aux],
            &vec![0.0; n_aux],
            &vec![f64::INFINITY; n_aux],
            &aux_entries,
        )?;
        let sites = cands
            .iter()
            .map(|c| match c.var {
                Var::Flow { arc, class } => Some((classes[class].school, arcs[arc].dest)),
                Var::Stay { class, .. } => Some((classes[class].school, classes[class].school)),
                Var::Short { .. } => None,
            })
            .collect();
        let mut integer: Vec<bool> = cands.iter().map(Candidate::integer).collect();
        integer.resize(n + n_aux, false);
        Ok(CountyModel {
            terms,
            cands,
            effects,
            cols,
            model,
            shortage_constant,
            changes_constant,
            fixed: vec![false; integer.len()],
            integer,
            cuts: 0,
            search: None,
            sites,
            pending: Vec::new(),
            group_of: ctx.grouping.school_group.clone(),
            count_hull: None,
        })
    }

    pub(crate) fn num_cols(&self) -> usize {
        self.integer.len()
    }

    /// Level `level`'s objective (the engine's minimised costs) at a point, without constant.
    pub(crate) fn value_at(&self, level: usize, point: &[f64]) -> f64 {
        self.cands
            .iter()
            .zip(point)
            .map(|(c, &x)| c.costs[level] * x)
            .sum()
    }

    /// The level's bound from the candidates' own bounds.
    pub(crate) fn box_bound(&self, level: usize) -> f64 {
        self.cands
            .iter()
            .map(|c| (c.costs[level] * c.upper).min(0.0))
            .sum()
    }

    /// Adds the row `level's objective ≤ limit`.
    pub(crate) fn pin(&mut self, level: usize, limit: f64) -> Result<(), MipError> {
        let entries: Vec<(usize, f64)> = self
            .cands
            .iter()
            .enumerate()
            .filter_map(|(j, c)| (c.costs[level] != 0.0).then_some((j, c.costs[level])))
            .collect();
        self.model.add_row(f64::NEG_INFINITY, limit, &entries)
    }

    /// Adds the row Σ t ≤ limit (the model's E, which never exceeds the true E).
    pub(crate) fn pin_excess(&mut self, limit: f64) -> Result<(), MipError> {
        let entries: Vec<(usize, f64)> = self.cols.iter().map(|c| (c.t, 1.0)).collect();
        self.model.add_row(f64::NEG_INFINITY, limit, &entries)
    }

    /// The objective: `Some(level)` for that level's costs, `None` for the excess.
    pub(crate) fn set_objective(&mut self, level: Option<usize>) -> Result<(), MipError> {
        let mut cost = vec![0.0; self.num_cols()];
        match level {
            Some(l) => {
                for (j, c) in self.cands.iter().enumerate() {
                    cost[j] = c.costs[l];
                }
            }
            None => {
                for c in &self.cols {
                    cost[c.t] = 1.0;
                }
            }
        }
        self.model.set_costs(&cost)
    }

    /// Per term, the counts at a point (fractional at an LP point).
    pub(crate) fn counts_at(&self, point: &[f64]) -> Vec<Vec<f64>> {
        let mut out: Vec<Vec<f64>> = self.terms.iter().map(|t| t.counts_before.clone()).collect();
        for (j, e) in self.effects.iter().enumerate() {
            let x = point[j];
            if x == 0.0 {
                continue;
            }
            for &(k, i, sign) in e {
                out[k][i] += sign * x;
            }
        }
        out
    }

    /// The true E over the modelled terms at these counts.
    pub(crate) fn excess(&self, counts: &[Vec<f64>]) -> f64 {
        self.terms
            .iter()
            .zip(counts)
            .map(|(k, n)| k.excess(n))
            .sum()
    }

    /// Term `k`'s variance about the mean before any move over the schools no candidate
    /// touches: a constant of every plan.
    fn untouched_variance(&self, k: usize) -> f64 {
        let term = self.terms[k];
        (0..term.schools.len())
            .filter(|i| !self.cols[k].x.contains_key(i))
            .map(|i| term.share_before(i, term.value_before(i)))
            .sum()
    }

    /// The model's E at a point (Σ t).
    fn model_excess(&self, point: &[f64]) -> f64 {
        self.cols.iter().map(|c| point[c.t]).sum()
    }

    /// Makes the row d_i ≥ 2r·(X_i − m) − r²·s for term `k`, position `i`, unless r was cut
    /// already; it reaches the model at the next [`Self::flush_cuts`].
    fn cut(&mut self, k: usize, i: usize, r: f64) -> Result<bool, MipError> {
        if !r.is_finite() || r.abs() > MAX_RATIO {
            return Ok(false);
        }
        let key = (r * 1e6).round() as i64;
        let c = &mut self.cols[k];
        if c.ratios[i].contains(&key) {
            return Ok(false);
        }
        c.ratios[i].push(key);
        let mut entries = vec![(c.d[i], 1.0), (c.m, 2.0 * r), (c.s, r * r)];
        let mut lower = 0.0;
        match c.x.get(&i) {
            Some(&x) => entries.push((x, -2.0 * r)),
            None => lower = 2.0 * r * self.terms[k].value_before(i),
        }
        self.pending.push((lower, f64::INFINITY, entries));
        self.cuts += 1;
        Ok(true)
    }

    /// Adds the cuts made since the last call to the model, in one call.
    fn flush_cuts(&mut self) -> Result<(), MipError> {
        let rows = std::mem::take(&mut self.pending);
        self.model.add_rows_with(&rows)
    }

    /// Tangents where integer plans near the threshold sit: per school, at the values X_i
    /// takes with a few teachers more or fewer than before, for s around c·X̄⁰ (the mean
    /// moves little). d_i ≥ z²/s is exact along each tangent's ray z/s = r, so the model
    /// starts nearly exact at the plans that matter instead of learning them cut by cut.
    pub(crate) fn seed_cuts(&mut self) -> Result<usize, MipError> {
        let before = self.cuts;
        for k in 0..self.terms.len() {
            let term = self.terms[k];
            let m0 = term.mean_before;
            for i in 0..term.schools.len() {
                let n0 = term.counts_before[i];
                let (lo, hi) = if self.cols[k].x.contains_key(&i) {
                    ((n0 - SEED_FEWER).max(0.0), n0 + SEED_MORE)
                } else {
                    (n0, n0)
                };
                let mut n = lo;
                while n <= hi {
                    let z = 100.0 * n / term.students[i] - m0;
                    for f in SEED_SPREAD {
                        self.cut(k, i, z / (term.threshold * m0 * f))?;
                    }
                    n += 1.0;
                }
            }
        }
        self.flush_cuts()?;
        Ok(self.cuts - before)
    }

    /// Cuts that make the model exact at `counts` (tangents at each school's ratio there:
    /// then s ≥ S), and, given the model's own point, at its ratios where it breaks
    /// d_i ≥ z_i²/s. Returns how many were added.
    pub(crate) fn add_cuts(
        &mut self,
        counts: &[Vec<f64>],
        model_point: Option<&[f64]>,
    ) -> Result<usize, MipError> {
        let before = self.cuts;
        for (k, term_counts) in counts.iter().enumerate().take(self.terms.len()) {
            let term = self.terms[k];
            let x = term.values(term_counts);
            if let Some(p) = model_point {
                let c = &self.cols[k];
                let (s, m) = (p[c.s], p[c.m]);
                let violated: Vec<(usize, f64)> = (0..x.len())
                    .filter_map(|i| {
                        let xi = c.x.get(&i).map_or(term.value_before(i), |&col| p[col]);
                        let z = xi - m;
                        (s > 1e-9 && p[c.d[i]] < z * z / s - 1e-9).then_some((i, z / s))
                    })
                    .collect();
                for (i, r) in violated {
                    self.cut(k, i, r)?;
                }
            }
            let (mean, sd) = term.mean_sd(term_counts);
            if sd > 1e-12 {
                for (i, xi) in x.iter().enumerate() {
                    self.cut(k, i, (xi - mean) / sd)?;
                }
            }
        }
        self.flush_cuts()?;
        Ok(self.cuts - before)
    }

    /// A point from candidate values: the terms' columns at their true values (feasible for
    /// every cut, which all lie below).
    pub(crate) fn complete(&self, mut point: Point) -> Point {
        point.resize(self.num_cols(), 0.0);
        let counts = self.counts_at(&point);
        for (k, term) in self.terms.iter().enumerate() {
            let c = &self.cols[k];
            let x = term.values(&counts[k]);
            for (&i, &col) in &c.x {
                point[col] = x[i];
            }
            let (mean, sd) = term.mean_sd(&counts[k]);
            point[c.m] = mean;
            point[c.s] = sd;
            for (i, &col) in c.d.iter().enumerate() {
                let z = x[i] - mean;
                point[col] = if sd > 1e-12 { z * z / sd } else { 0.0 };
            }
            point[c.t] = term.excess(&counts[k]);
        }
        self.complete_count_hull(&mut point, &counts);
        if let Some(search) = &self.search {
            for (k, term) in self.terms.iter().enumerate() {
                let m0 = term.mean_before;
                let variance: f64 = term
                    .values(&counts[k])
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| term.share_before(i, x))
                    .sum();
                for &(i, col, lo, count) in &search.lambdas[k] {
                    let q = counts[k][i] - lo;
                    if q >= 0.0 && (q as usize) < count {
                        point[col + q as usize] = 1.0;
                    }
                }
                let c2 = term.threshold * term.threshold;
                let delta = point[self.cols[k].m] - m0;
                point[search.u[k]] = (variance - c2 * m0 * m0 - 2.0 * c2 * m0 * delta).max(0.0);
            }
        }
        point
    }

    /// The LP with cuts added at its own optimum until the model's value there and the true
    /// E agree within [`TOLERANCE`] (or `deadline`): returns the last LP value, a valid
    /// lower bound on E, its point and its reduced costs; `None` when no LP finished.
    pub(crate) fn lp_bound(
        &mut self,
        deadline: Instant,
    ) -> Result<Option<(f64, Point, Vec<f64>)>, MipError> {
        self.model.clear_integrality()?;
        let mut best: Option<(f64, Point, Vec<f64>)> = None;
        let mut rounds = 0;
        loop {
            rounds += 1;
            // Dual simplex: a cut row keeps the last basis dual feasible.
            self.model.set_int("simplex_strategy", 1)?;
            match self.model.run(seconds_left(deadline))? {
                LiveStatus::Optimal => {}
                status @ (LiveStatus::Infeasible | LiveStatus::TimeLimit) => {
                    debug(&format!("  cv LP round {rounds}: {status:?}"));
                    break;
                }
            }
            let value = self.model.objective();
            let (values, _) = self.model.solution();
            let rc = self.model.reduced_costs();
            let counts = self.counts_at(&values);
            let true_e = self.excess(&counts);
            let added = if true_e - self.model_excess(&values) > TOLERANCE * 0.1 {
                self.add_cuts(&counts, Some(&values))?
            } else {
                0
            };
            debug(&format!(
                "  cv LP round {rounds}: {value} (true {true_e}), {} cuts, {added} added",
                self.cuts
            ));
            best = Some((value, values, rc));
            if added == 0 || seconds_left(deadline) <= 0.0 {
                break;
            }
        }
        Ok(best)
    }

    /// The LP relaxation's optimum of the current objective (a bound on the level's MIP:
    /// the model's E never exceeds the true E), or `None` when it did not finish by
    /// `deadline`. Unlike a branch and bound, HiGHS's simplex keeps to the clock.
    pub(crate) fn relaxation_bound(&mut self, deadline: Instant) -> Result<Option<f64>, MipError> {
        self.model.clear_integrality()?;
        // Dual simplex: on a 90-school county it took 0.4 s where the primal took 7 s.
        self.model.set_int("simplex_strategy", 1)?;
        Ok(match self.model.run(seconds_left(deadline))? {
            LiveStatus::Optimal => Some(self.model.objective()),
            LiveStatus::Infeasible | LiveStatus::TimeLimit => None,
        })
    }

    /// Fixes at 0 every integer column whose reduced cost (from an LP of the excess with
    /// value `lp_value`) exceeds `limit − lp_value`: a plan using it has a model value, so
    /// a true E, above `limit`. Returns how many were fixed.
    pub(crate) fn fix_by_reduced_cost(
        &mut self,
        lp_value: f64,
        reduced: &[f64],
        limit: f64,
        keep: &[f64],
    ) -> Result<usize, MipError> {
        let slack = limit - lp_value + RC_EPS;
        let set: Vec<usize> = (0..self.cands.len())
            .filter(|&j| {
                self.integer[j]
                    && !self.fixed[j]
                    && keep.get(j).is_none_or(|&x| x == 0.0)
                    && reduced.get(j).is_some_and(|&rc| rc > slack)
            })
            .collect();
        let zeros = vec![0.0; set.len()];
        self.model.set_col_bounds(&set, &zeros, &zeros)?;
        for &j in &set {
            self.fixed[j] = true;
        }
        Ok(set.len())
    }

    /// Starts the search's exact-variance model (see [`Search`]): the objective becomes
    /// Σ_k u_k / (2·c·X̄⁰²), E's first-order size near the threshold (a plan with u = 0
    /// has E = 0), plus `tie_break` per teacher moved. Plans outside the windows are left
    /// out: a heuristic, its plans are judged by their true E.
    pub(crate) fn begin_search(&mut self, start: &[f64], tie_break: f64) -> Result<(), MipError> {
        let first = self.num_cols();
        let at_start = self.counts_at(start);
        let mut lambdas = Vec::new();
        let mut next = first;
        for (k, term) in self.terms.iter().enumerate() {
            let mut per = Vec::new();
            for &i in self.cols[k].x.keys() {
                let (n0, n1) = (term.counts_before[i], at_start[k][i].round());
                let lo = (n0.min(n1) - SEARCH_FEWER).max(0.0);
                let count = (n0.max(n1) + SEARCH_MORE - lo) as usize + 1;
                per.push((i, next, lo, count));
                next += count;
            }
            lambdas.push(per);
        }
        let u: Vec<usize> = (0..self.terms.len()).map(|k| next + k).collect();
        let n_new = next + self.terms.len() - first;
        let mut upper = vec![1.0; n_new];
        for &c in &u {
            upper[c - first] = f64::INFINITY;
        }
        self.model.add_cols(
            &vec![0.0; n_new],
            &vec![0.0; n_new],
            &upper,
            &vec![Vec::new(); n_new],
        )?;
        let base = self.model.num_rows();
        let mut batch: Vec<Row> = Vec::new();
        for (k, term) in self.terms.iter().enumerate() {
            let m0 = term.mean_before;
            let mut variance = Vec::new();
            let constant = self.untouched_variance(k);
            for &(i, col, lo, count) in &lambdas[k] {
                let one: Vec<(usize, f64)> = (0..count).map(|q| (col + q, 1.0)).collect();
                batch.push((1.0, 1.0, one));
                let x_of = |q: usize| 100.0 * (lo + q as f64) / term.students[i];
                let mut link: Vec<(usize, f64)> = (0..count).map(|q| (col + q, x_of(q))).collect();
                link.push((self.cols[k].x[&i], -1.0));
                batch.push((0.0, 0.0, link));
                variance.extend((0..count).map(|q| (col + q, term.share_before(i, x_of(q)))));
            }
            // u ≥ V − c²·X̄⁰² − 2c²·X̄⁰·δ, which is S² − c²·m² plus (1 + c²)·δ² ≥ 0.
            let c2 = term.threshold * term.threshold;
            variance.push((u[k], -1.0));
            variance.push((self.cols[k].m, -2.0 * c2 * m0));
            let limit = -c2 * m0 * m0 - constant;
            batch.push((f64::NEG_INFINITY, limit, variance));
        }
        let rows: Vec<usize> = (base..base + batch.len()).collect();
        self.model.add_rows_with(&batch)?;
        for j in first..first + n_new {
            self.integer.push(!u.contains(&j));
            self.fixed.push(false);
        }
        // The search is for plans, not proofs.
        self.model
            .set_float("mip_heuristic_effort", SEARCH_HEURISTIC_EFFORT)?;
        self.search = Some(Search {
            lambdas,
            u,
            rows,
            cols: (first..first + n_new).collect(),
        });
        self.set_search_objective(tie_break)
    }

    /// The search's objective: Σ_k u_k / (2·c·X̄⁰²), plus `tie_break` per teacher moved.
    pub(crate) fn set_search_objective(&mut self, tie_break: f64) -> Result<(), MipError> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let mut cost = vec![0.0; self.num_cols()];
        for (j, c) in self.cands.iter().enumerate() {
            cost[j] = tie_break * c.costs[MOVED_LEVEL];
        }
        for (term, &u) in self.terms.iter().zip(&search.u) {
            cost[u] = 1.0 / search_scale(term);
        }
        self.model.set_costs(&cost)
    }

    /// The search's objective Σ_k u_k / (2·c·X̄⁰²) at a completed point (0 outside a
    /// search).
    pub(crate) fn search_estimate(&self, point: &[f64]) -> f64 {
        let Some(search) = &self.search else {
            return 0.0;
        };
        self.terms
            .iter()
            .zip(&search.u)
            .map(|(term, &u)| point[u] / search_scale(term))
            .sum()
    }

    /// Keeps the search's objective at most `limit` (a row dropped with the search).
    pub(crate) fn cap_search_estimate(&mut self, limit: f64) -> Result<(), MipError> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let entries: Vec<(usize, f64)> = self
            .terms
            .iter()
            .zip(&search.u)
            .map(|(term, &u)| (u, 1.0 / search_scale(term)))
            .collect();
        let row = self.model.num_rows();
        self.model.add_row(f64::NEG_INFINITY, limit, &entries)?;
        if let Some(search) = &mut self.search {
            search.rows.push(row);
        }
        Ok(())
    }

    /// Ends the search: its rows no longer bind, its columns are fixed at 0 and the means
    /// are free again.
    pub(crate) fn end_search(&mut self) -> Result<(), MipError> {
        let Some(search) = self.search.take() else {
            return Ok(());
        };
        for &r in &search.rows {
            self.model.relax_row(r)?;
        }
        let zeros = vec![0.0; search.cols.len()];
        self.model.set_col_bounds(&search.cols, &zeros, &zeros)?;
        for &c in &search.cols {
            self.integer[c] = false;
        }
        self.model
            .set_float("mip_heuristic_effort", DEFAULT_HEURISTIC_EFFORT)
    }

    /// Holds every flow that changes no modelled count, and every transfer between groups,
    /// at most at its value in `point` (such a move may be dropped, freeing its cap room,
    /// not added), for a search among the moves of counted teachers (a heuristic: its bound
    /// proves nothing). Returns the columns frozen, for [`Self::thaw`].
    pub(crate) fn freeze_uncounted(&mut self, point: &[f64]) -> Result<Vec<usize>, MipError> {
        let set: Vec<usize> = (0..self.cands.len())
            .filter(|&j| {
                matches!(self.cands[j].var, Var::Flow { .. })
                    && (self.effects[j].is_empty() || self.crosses_groups(j))
                    && !self.fixed[j]
            })
            .collect();
        let at: Vec<f64> = set.iter().map(|&j| point[j]).collect();
        let zeros = vec![0.0; set.len()];
        self.model.set_col_bounds(&set, &zeros, &at)?;
        Ok(set)
    }

    /// Holds every flow and stay outside the neighbourhood `inside` (by school) at its value
    /// in `point`: those whose class's school and destination are both inside stay free.
    /// Returns the columns held, for [`Self::thaw`].
    pub(crate) fn hold_outside(
        &mut self,
        point: &[f64],
        inside: &[bool],
    ) -> Result<Vec<usize>, MipError> {
        let set: Vec<usize> = (0..self.cands.len())
            .filter(|&j| {
                !self.fixed[j]
                    && self.sites[j].is_some_and(|(from, to)| !(inside[from] && inside[to]))
            })
            .collect();
        let at: Vec<f64> = set.iter().map(|&j| point[j]).collect();
        self.model.set_col_bounds(&set, &at, &at)?;
        Ok(set)
    }

    /// Whether candidate `j` is a transfer from one group to another (county scope): the
    /// first search holds those too, since with them every counted teacher may go to any
    /// grouped school and the search's model grows sevenfold (Hezhang: 634,000 columns, no
    /// plan in 25 s).
    fn crosses_groups(&self, j: usize) -> bool {
        self.sites[j].is_some_and(|(from, to)| {
            matches!((self.group_of[from], self.group_of[to]), (Some(a), Some(b)) if a != b)
        })
    }

    /// Undoes [`Self::freeze_uncounted`] and [`Self::hold_outside`].
    pub(crate) fn thaw(&mut self, set: &[usize]) -> Result<(), MipError> {
        let lower = vec![0.0; set.len()];
        let upper: Vec<f64> = set.iter().map(|&j| self.cands[j].upper).collect();
        self.model.set_col_bounds(set, &lower, &upper)
    }

    /// One branch and bound of the current objective from `start`, to `rel_gap`.
    pub(crate) fn mip(
        &mut self,
        start: Option<&[f64]>,
        rel_gap: f64,
        deadline: Instant,
    ) -> Result<MipRun, MipError> {
        self.model.set_integrality(&self.integer)?;
        if let Some(p) = start {
            self.model.set_start(p)?;
        }
        self.model.set_float("mip_rel_gap", rel_gap)?;
        self.model.set_float("mip_abs_gap", 1e-7)?;
        let started = Instant::now();
        let status = self.model.run(seconds_left(deadline));
        let run = match status {
            Ok(LiveStatus::Infeasible) | Err(_) => MipRun {
                point: None,
                objective: f64::NAN,
                bound: f64::NAN,
                optimal: false,
            },
            Ok(s) => {
                let point = self.model.has_solution().then(|| {
                    let (values, _) = self.model.solution();
                    let mut p = values;
                    for (j, x) in p.iter_mut().enumerate().take(self.cands.len()) {
                        if self.integer[j] {
                            *x = x.round().max(0.0);
                        }
                    }
                    p.truncate(self.cands.len());
                    self.settle_shortages(&mut p);
                    self.complete(p)
                });
                MipRun {
                    point,
                    objective: self.model.objective(),
                    bound: self.model.mip_dual_bound(),
                    optimal: s == LiveStatus::Optimal,
                }
            }
        };
        debug(&format!(
            "  cv MIP: {:?} {} (bound {}) in {:.2} s, {} cuts",
            status.as_ref().ok(),
            self.model.objective(),
            run.bound,
            started.elapsed().as_secs_f64(),
            self.cuts
        ));
        self.model.clear_integrality()?;
        status?;
        Ok(run)
    }

    /// Each shortage column set to what its supply row leaves uncovered.
    pub(crate) fn settle_shortages(&self, point: &mut [f64]) {
        let mut supply: HashMap<usize, f64> = HashMap::new();
        for (j, c) in self.cands.iter().enumerate() {
            if c.integer() && point[j] != 0.0 {
                for &(r, a) in &c.rows {
                    *supply.entry(r).or_default() += a * point[j];
                }
            }
        }
        for (j, c) in self.cands.iter().enumerate() {
            if let Var::Short { demand } = c.var {
                let r = c.rows[0].0;
                point[j] = (demand as f64 - supply.get(&r).copied().unwrap_or(0.0)).max(0.0);
            }
        }
    }

    /// Flows and stays of a point.
    pub(crate) fn plan(&self, point: &[f64]) -> Plan {
        let mut flows = Vec::new();
        let mut stays = Vec::new();
        for (j, c) in self.cands.iter().enumerate() {
            let x = point[j].round() as u32;
            if x == 0 {
                continue;
            }
            match c.var {
                Var::Flow { arc, .. } => flows.push((arc, x)),
                Var::Stay { class, subject } => stays.push(((class, subject), x)),
                Var::Short { .. } => {}
            }
        }
        flows.sort_unstable();
        stays.sort_unstable();
        (flows, stays)
    }

    /// Candidate values of a plan given as flows and stays (shortages follow).
    pub(crate) fn point_of(
        &self,
        flows: &[(usize, u32)],
        stays: &[((usize, usize), u32)],
    ) -> Point {
        let mut point: Point = plan_values(&self.cands, flows, stays);
        self.settle_shortages(&mut point);
        self.complete(point)
    }
}

/// u's scale in the search's objective: 2·c·X̄⁰², so that u / scale ≈ the term of E near
/// the threshold (S − c·m ≈ (S² − c²·m²) / (2·c·m)).
fn search_scale(term: &Term) -> f64 {
    2.0 * term.threshold * term.mean_before * term.mean_before
}

/// Whether the teachers of `class` count in `term` (uniform after the classes are split).
pub(crate) fn counts(ctx: &Context, class: &Class, term: &Term) -> bool {
    class
        .teachers
        .first()
        .is_some_and(|&t| metrics::counts_in(&ctx.inst.teachers[t], term.phase, term.measure))
}

fn seconds_left(deadline: Instant) -> f64 {
    deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
}

fn debug(msg: &str) {
    if std::env::var_os("ROTAPLAN_DEBUG").is_some() {
        eprintln!("{msg}");
    }
}
