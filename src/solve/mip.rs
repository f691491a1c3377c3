//! A thin layer over good_lp and HiGHS: build once, solve one or several objective levels,
//! and report what HiGHS proved (status, objective, dual bound, gap), which good_lp's own
//! `solve` does not expose.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{
    Constraint, Expression, IntoAffineExpression, ProblemVariables, Variable, VariableDefinition,
    variable,
};
use highs::HighsModelStatus;
use serde::Serialize;

/// What the solver proved about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal (`mip_rel_gap = 0`).
    Optimal,
    /// Stopped at the limit with a solution.
    Feasible,
    Infeasible,
    /// Stopped at the limit without a solution.
    TimeLimit,
}

impl SolveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::Feasible => "feasible",
            SolveStatus::Infeasible => "infeasible",
            SolveStatus::TimeLimit => "time_limit",
        }
    }

    /// The weaker of two statuses, for a step made of several solves.
    pub fn combine(self, other: SolveStatus) -> SolveStatus {
        use SolveStatus::*;
        match (self, other) {
            (Infeasible, _) | (_, Infeasible) => Infeasible,
            (TimeLimit, _) | (_, TimeLimit) => TimeLimit,
            (Feasible, _) | (_, Feasible) => Feasible,
            _ => Optimal,
        }
    }

    pub fn has_solution(self) -> bool {
        matches!(self, SolveStatus::Optimal | SolveStatus::Feasible)
    }

    /// The status of a plan with value `objective` against `bound`: optimal when SPEC's gap
    /// is proven ([`PROVEN_GAP`]), feasible otherwise.
    pub fn of_gap(objective: f64, bound: f64) -> SolveStatus {
        if relative_gap(objective, bound) <= PROVEN_GAP {
            SolveStatus::Optimal
        } else {
            SolveStatus::Feasible
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Minimise,
    Maximise,
}

/// Whether HiGHS prints its own log (to standard output): `--verbose`, set once by the command line.
static HIGHS_LOG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Shows (or hides) HiGHS's own log for every later solve of this process (`--verbose`).
pub fn show_highs_log(on: bool) {
    HIGHS_LOG.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// `--verbose`, or the environment variable `ROTAPLAN_HIGHS_LOG` that scripts and benches
/// set without a command line.
pub(crate) fn highs_log_shown() -> bool {
    HIGHS_LOG.load(std::sync::atomic::Ordering::Relaxed)
        || std::env::var_os("ROTAPLAN_HIGHS_LOG").is_some()
}

/// Solver limits for one step.
#[derive(Debug, Clone, Copy)]
pub struct MipOptions {
    pub time_limit_s: f64,
    /// HiGHS threads for the whole step; 0 = every core. A solve running on a rayon worker
    /// shares them with the pool's other workers (see [`highs_threads`]).
    pub threads: u32,
}

impl Default for MipOptions {
    fn default() -> Self {
        MipOptions {
            time_limit_s: 60.0,
            threads: 0,
        }
    }
}

/// The outcome of one solve (or one lexicographic level).
#[derive(Debug, Clone)]
pub struct MipResult {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub seconds: f64,
    values: Vec<f64>,
    /// Column duals (reduced costs) of a model without integer variables; empty for a MIP.
    reduced: Vec<f64>,
    index: std::sync::Arc<HashMap<Variable, usize>>,
}

impl MipResult {
    /// Value of `v` in the solution (0 when there is none).
    pub fn value(&self, v: Variable) -> f64 {
        self.index
            .get(&v)
            .and_then(|&i| self.values.get(i))
            .copied()
            .unwrap_or(0.0)
    }

    /// Whether a binary or integer variable is (rounded) at least 1.
    pub fn is_one(&self, v: Variable) -> bool {
        self.value(v) > 0.5
    }

    /// Rounded value of an integer variable.
    pub fn int(&self, v: Variable) -> i64 {
        self.value(v).round() as i64
    }

    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Reduced cost of `v` in a solved LP (a model with no integer variables): how much the
    /// objective must rise per unit `v` moves off its bound. 0 for a MIP or when unknown.
    pub fn reduced_cost(&self, v: Variable) -> f64 {
        self.index
            .get(&v)
            .and_then(|&i| self.reduced.get(i))
            .copied()
            .unwrap_or(0.0)
    }
}

/// A solver-level failure that is not an answer about the model.
#[derive(Debug, thiserror::Error)]
pub enum MipError {
    #[error("HiGHS could not {0}")]
    Highs(String),
}

/// The outcome of a lexicographic solve: one result per level, the last holding the values.
#[derive(Debug, Clone)]
pub struct LexResult {
    pub levels: Vec<MipResult>,
}

impl LexResult {
    pub fn status(&self) -> SolveStatus {
        self.levels
            .iter()
            .map(|l| l.status)
            .reduce(SolveStatus::combine)
            .unwrap_or(SolveStatus::Infeasible)
    }

    /// The last level that found a solution, whose values satisfy every earlier level.
    pub fn solution(&self) -> Option<&MipResult> {
        self.levels.iter().rev().find(|l| l.status.has_solution())
    }

    pub fn seconds(&self) -> f64 {
        self.levels.iter().map(|l| l.seconds).sum()
    }
}

/// A mixed-integer model under construction.
#[derive(Clone)]
pub struct MipModel {
    vars: ProblemVariables,
    order: Vec<Variable>,
    constraints: Vec<Constraint>,
    presolve: bool,
    /// Extra integer HiGHS options (e.g. `mip_max_nodes`), applied at every solve.
    int_options: Vec<(String, i32)>,
    /// Extra float HiGHS options (e.g. `mip_heuristic_effort`).
    float_options: Vec<(String, f64)>,
}

impl Default for MipModel {
    fn default() -> Self {
        MipModel {
            vars: ProblemVariables::new(),
            order: Vec::new(),
            constraints: Vec::new(),
            presolve: true,
            int_options: Vec::new(),
            float_options: Vec::new(),
        }
    }
}

impl MipModel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Turns HiGHS's presolve off (or back on). Worth it for large models whose LP
    /// relaxation is nearly integral, where presolve costs more than it saves.
    pub fn set_presolve(&mut self, on: bool) {
        self.presolve = on;
    }

    pub fn add(&mut self, def: VariableDefinition) -> Variable {
        let v = self.vars.add(def);
        self.order.push(v);
        v
    }

    pub fn binary(&mut self) -> Variable {
        self.add(variable().binary())
    }

    pub fn integer(&mut self, lo: f64, hi: f64) -> Variable {
        self.add(variable().integer().min(lo).max(hi))
    }

    pub fn continuous(&mut self, lo: f64, hi: f64) -> Variable {
        self.add(variable().min(lo).max(hi))
    }

    pub fn constrain(&mut self, c: Constraint) {
        self.constraints.push(c);
    }

    /// Sets an integer HiGHS option for every later solve of this model (e.g. a
    /// deterministic `mip_max_nodes` limit for a first pass); an unknown name is ignored.
    pub fn highs_int_option(&mut self, name: &str, value: i32) {
        self.int_options.push((name.to_string(), value));
    }

    /// Sets a float HiGHS option for every later solve; an unknown name is ignored.
    pub fn highs_float_option(&mut self, name: &str, value: f64) {
        self.float_options.push((name.to_string(), value));
    }

    pub fn num_vars(&self) -> usize {
        self.order.len()
    }

    pub fn num_constraints(&self) -> usize {
        self.constraints.len()
    }

    /// Solves one objective. `warm` is a full assignment (by variable) to start from.
    pub fn solve(
        &self,
        objective: &Expression,
        sense: Sense,
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
    ) -> Result<MipResult, MipError> {
        self.solve_with(objective, sense, options, warm, &[])
    }

    /// Solves the levels in order, each keeping the optimum of the ones before (within a
    /// tolerance), warm-starting each from the previous solution. Every level gets its own
    /// time budget: what is left, minus a reserve for each later level (see
    /// `LATER_LEVEL_SHARE`). Once a solution exists every level reports
    /// one: a level that stopped without improving it, or that had no time left, reports the
    /// value of that solution and the best bound known (HiGHS's or the variables' bounds).
    /// Stops only when a level is infeasible or no solution was ever found.
    pub fn solve_lexicographic(
        &self,
        levels: &[(Expression, Sense)],
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
    ) -> Result<LexResult, MipError> {
        let exact: Vec<(Expression, Sense, f64)> =
            levels.iter().map(|(e, s)| (e.clone(), *s, 0.0)).collect();
        self.solve_lexicographic_tolerant(&exact, options, warm)
    }

    /// [`Self::solve_lexicographic`] with a relative gap per level at which HiGHS may stop
    /// (0 = proven optimal); the reported bound and gap stay HiGHS's.
    pub fn solve_lexicographic_tolerant(
        &self,
        levels: &[(Expression, Sense, f64)],
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
    ) -> Result<LexResult, MipError> {
        let start = Instant::now();
        let mut results: Vec<MipResult> = Vec::new();
        let mut fixed: Vec<Constraint> = Vec::new();
        let mut start_point: Option<Vec<(Variable, f64)>> = warm.map(<[_]>::to_vec);
        // The last solution found, which satisfies every level pinned so far.
        let mut incumbent: Option<MipResult> = None;
        for (i, (objective, sense, rel_gap)) in levels.iter().enumerate() {
            let remaining = options.time_limit_s - start.elapsed().as_secs_f64();
            let share = level_share(remaining, levels.len() - i - 1, options.time_limit_s);
            let mut r = if share >= MIN_LEVEL_SECONDS || incumbent.is_none() {
                let opts = MipOptions {
                    time_limit_s: share.max(MIN_LEVEL_SECONDS),
                    ..*options
                };
                let start = start_point.as_deref();
                self.solve_gap(objective, *sense, &opts, start, &fixed, *rel_gap)?
            } else {
                self.unsolved()
            };
            if !r.status.has_solution() {
                match &incumbent {
                    Some(best) if r.status != SolveStatus::Infeasible => {
                        r = self.report_incumbent(objective, *sense, best, r.bound, r.seconds);
                    }
                    _ => {
                        results.push(r);
                        break;
                    }
                }
            }
            let value = r.objective;
            let slack = pin_slack(value);
            fixed.push(match sense {
                Sense::Minimise => good_lp::constraint::leq(objective.clone(), value + slack),
                Sense::Maximise => good_lp::constraint::geq(objective.clone(), value - slack),
            });
            start_point = Some(self.order.iter().map(|&v| (v, r.value(v))).collect());
            incumbent = Some(r.clone());
            results.push(r);
        }
        // Later levels may improve an earlier level that was not proven (its pin only bounds
        // it); every level reports the plan finally written.
        if let Some(last) = results.last().filter(|r| r.status.has_solution()).cloned() {
            for (r, (objective, sense, _)) in results.iter_mut().zip(levels) {
                if !r.status.has_solution() {
                    continue;
                }
                // Only a real improvement counts: within its pin's slack the final plan may
                // sit a hair worse on a continuous variable that does not change the plan.
                let written = evaluate(objective, &last.index, &last.values);
                r.objective = match sense {
                    Sense::Minimise => r.objective.min(written),
                    Sense::Maximise => r.objective.max(written),
                };
                r.gap = relative_gap(r.objective, r.bound);
                r.status = if r.gap <= PROVEN_GAP {
                    SolveStatus::Optimal
                } else {
                    SolveStatus::Feasible
                };
            }
        }
        Ok(LexResult { levels: results })
    }

    /// A level not solved (no time left): no solution, no bound yet.
    fn unsolved(&self) -> MipResult {
        MipResult {
            status: SolveStatus::TimeLimit,
            objective: f64::NAN,
            bound: f64::NAN,
            gap: f64::INFINITY,
            seconds: 0.0,
            values: vec![0.0; self.order.len()],
            reduced: Vec::new(),
            index: std::sync::Arc::new(self.index()),
        }
    }

    /// The previous level's solution reported at a level that could not improve it: its value
    /// there, against the better of the solver's bound (`solver_bound`, NaN when none) and
    /// the variables' own bounds.
    fn report_incumbent(
        &self,
        objective: &Expression,
        sense: Sense,
        best: &MipResult,
        solver_bound: f64,
        seconds: f64,
    ) -> MipResult {
        let value = evaluate(objective, &best.index, &best.values);
        let bound = honest_bound(sense, value, solver_bound, self.box_bound(objective, sense));
        let gap = relative_gap(value, bound);
        MipResult {
            status: if gap <= PROVEN_GAP {
                SolveStatus::Optimal
            } else {
                SolveStatus::Feasible
            },
            objective: value,
            bound,
            gap,
            seconds,
            values: best.values.clone(),
            reduced: Vec::new(),
            index: best.index.clone(),
        }
    }

    fn index(&self) -> HashMap<Variable, usize> {
        self.order
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, i))
            .collect()
    }

    /// The best `objective` can be over the variables' own bounds alone: a bound valid for
    /// every feasible point, whatever the constraints (±infinity when a variable is free).
    pub fn box_bound(&self, objective: &Expression, sense: Sense) -> f64 {
        let defs: HashMap<Variable, (f64, f64)> = self
            .vars
            .iter_variables_with_def()
            .map(|(v, d)| (v, (d.get_min(), d.get_max())))
            .collect();
        let mut total = objective.constant();
        for (v, c) in objective.clone().linear_coefficients() {
            if c == 0.0 {
                continue;
            }
            let (lo, hi) = defs
                .get(&v)
                .copied()
                .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
            let best_low = matches!(sense, Sense::Minimise) == (c > 0.0);
            total += c * if best_low { lo } else { hi };
        }
        total
    }

    fn solve_with(
        &self,
        objective: &Expression,
        sense: Sense,
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
        extra: &[Constraint],
    ) -> Result<MipResult, MipError> {
        self.solve_gap(objective, sense, options, warm, extra, 0.0)
    }

    fn solve_gap(
        &self,
        objective: &Expression,
        sense: Sense,
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
        extra: &[Constraint],
        rel_gap: f64,
    ) -> Result<MipResult, MipError> {
        let started = Instant::now();
        let index = self.index();
        if self.order.is_empty() {
            // Nothing to decide (e.g. a pairing with no admissible helper): the objective is
            // its constant, proven. HiGHS itself panics on reading back a model without
            // columns.
            let value = objective.constant();
            return Ok(MipResult {
                status: SolveStatus::Optimal,
                objective: value,
                bound: value,
                gap: 0.0,
                seconds: started.elapsed().as_secs_f64(),
                values: Vec::new(),
                reduced: Vec::new(),
                index: std::sync::Arc::new(index),
            });
        }
        let unsolved = match sense {
            Sense::Minimise => self.vars.clone().minimise(objective.clone()),
            Sense::Maximise => self.vars.clone().maximise(objective.clone()),
        };
        let mut problem = highs(unsolved);
        for c in self.constraints.iter().chain(extra) {
            good_lp::SolverModel::add_constraint(&mut problem, c.clone());
        }
        let mut model = problem
            .try_into_inner()
            .map_err(|e| MipError::Highs(format!("build the model: {e}")))?;
        if !highs_log_shown() {
            model.make_quiet();
        } else {
            model.set_option("output_flag", true);
            model.set_option("log_to_console", true);
        }
        model.set_option("mip_rel_gap", rel_gap);
        model.set_option("mip_abs_gap", 1e-6);
        model.set_option("time_limit", options.time_limit_s.max(0.1));
        model.set_option("random_seed", 0);
        if !self.presolve {
            model.set_option("presolve", "off");
        }
        model.set_option("threads", claim_highs_threads(options.threads) as i32);
        for (name, value) in &self.int_options {
            let _ = model.try_set_option(name.as_str(), *value);
        }
        for (name, value) in &self.float_options {
            let _ = model.try_set_option(name.as_str(), *value);
        }
        // HiGHS rejects a start point for a model without columns.
        if let Some(w) = warm.filter(|_| !self.order.is_empty()) {
            let mut col = vec![0.0; self.order.len()];
            for &(v, x) in w {
                if let Some(&i) = index.get(&v) {
                    col[i] = x;
                }
            }
            model.set_solution(Some(&col), None, None, None);
        }
        let is_mip = self
            .vars
            .iter_variables_with_def()
            .any(|(_, d)| d.is_integer());
        let solved = model
            .try_solve()
            .map_err(|e| MipError::Highs(format!("solve the model: {e:?}")))?;
        // Asked only when needed: on an empty model HiGHS reports a primal status the
        // bindings cannot decode (and panic on).
        let has_primal = || solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
        let status = match solved.status() {
            HighsModelStatus::Optimal => SolveStatus::Optimal,
            HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
                SolveStatus::Infeasible
            }
            HighsModelStatus::ModelEmpty => SolveStatus::Optimal,
            HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedSolutionLimit
            | HighsModelStatus::ReachedInterrupt
            | HighsModelStatus::ReachedMemoryLimit
            | HighsModelStatus::ObjectiveBound
            | HighsModelStatus::ObjectiveTarget => {
                if has_primal() {
                    SolveStatus::Feasible
                } else {
                    SolveStatus::TimeLimit
                }
            }
            other => return Err(MipError::Highs(format!("finish: status {other:?}"))),
        };
        let (values, reduced): (Vec<f64>, Vec<f64>) = if status.has_solution() {
            let solution = solved.get_solution();
            let reduced = if is_mip {
                Vec::new()
            } else {
                solution.dual_columns().to_vec()
            };
            (solution.columns().to_vec(), reduced)
        } else {
            (vec![0.0; self.order.len()], Vec::new())
        };
        let objective_value = if status.has_solution() {
            evaluate(objective, &index, &values)
        } else {
            f64::NAN
        };
        let solver_bound = if status == SolveStatus::Infeasible {
            f64::NAN
        } else if is_mip {
            // HiGHS reports ±infinity until it has a dual bound; NaN marks "none".
            solved
                .double_info_value(c"mip_dual_bound")
                .ok()
                .filter(|b| b.is_finite())
                .unwrap_or(f64::NAN)
        } else if status == SolveStatus::Optimal {
            objective_value
        } else {
            f64::NAN
        };
        let bound = if status == SolveStatus::Infeasible {
            f64::NAN
        } else {
            let trivial = self.box_bound(objective, sense);
            if status.has_solution() {
                honest_bound(sense, objective_value, solver_bound, trivial)
            } else {
                better_bound(sense, solver_bound, trivial)
            }
        };
        let bound = if status == SolveStatus::Optimal {
            tighten(bound, objective_value)
        } else {
            bound
        };
        let gap = relative_gap(objective_value, bound);
        // A stop at the limit whose bound meets the incumbent is a proof all the same.
        let status = if status == SolveStatus::Feasible && gap <= PROVEN_GAP {
            SolveStatus::Optimal
        } else {
            status
        };
        Ok(MipResult {
            status,
            objective: objective_value,
            bound,
            gap,
            seconds: started.elapsed().as_secs_f64(),
            values,
            reduced,
            index: std::sync::Arc::new(index),
        })
    }
}

/// A level is proven when its gap is at most this (SPEC.md).
pub const PROVEN_GAP: f64 = 1e-6;

/// Share of a lexicographic solve's time limit kept for each level after the current one,
/// so a hard level cannot starve the later ones while an easy run leaves it nearly all.
const LATER_LEVEL_SHARE: f64 = 0.1;

/// The least time a lexicographic level is given when it is solved at all.
pub(crate) const MIN_LEVEL_SECONDS: f64 = 0.1;

/// A lexicographic level's time with `remaining` seconds left, `later` levels after it and
/// a step limit of `limit`: all but the later levels' reserve, and never less than an even
/// share of what remains.
pub(crate) fn level_share(remaining: f64, later: usize, limit: f64) -> f64 {
    let later = later as f64;
    (remaining - later * LATER_LEVEL_SHARE * limit).max(remaining / (later + 1.0))
}

/// How far above a level's value its pin lets the later levels go: the solver's
/// tolerance, not a concession.
pub(crate) fn pin_slack(value: f64) -> f64 {
    1e-6 + 1e-9 * value.abs()
}

/// Value of `objective` at `values` (indexed by `index`).
fn evaluate(objective: &Expression, index: &HashMap<Variable, usize>, values: &[f64]) -> f64 {
    objective.constant()
        + objective
            .clone()
            .linear_coefficients()
            .map(|(v, c)| {
                c * index
                    .get(&v)
                    .and_then(|&i| values.get(i))
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum::<f64>()
}

/// The tighter of two valid bounds (NaN = none).
fn better_bound(sense: Sense, a: f64, b: f64) -> f64 {
    match (a.is_nan(), b.is_nan()) {
        (true, _) => b,
        (_, true) => a,
        _ => match sense {
            Sense::Minimise => a.max(b),
            Sense::Maximise => a.min(b),
        },
    }
}

/// The reported bound of a solved level: the tighter of the solver's and the trivial one,
/// never past the objective of the solution in hand (which is itself attained).
fn honest_bound(sense: Sense, objective: f64, solver: f64, trivial: f64) -> f64 {
    let b = better_bound(sense, solver, trivial);
    if b.is_nan() {
        return b;
    }
    match sense {
        Sense::Minimise => b.min(objective),
        Sense::Maximise => b.max(objective),
    }
}

/// HiGHS proves optimality to 1e-6 absolute; report the bound as the objective then, so a
/// proven step shows gap 0 rather than rounding noise.
fn tighten(bound: f64, objective: f64) -> f64 {
    if (bound - objective).abs() <= 1e-6 * objective.abs().max(1.0) {
        objective
    } else {
        bound
    }
}

/// SPEC.md's gap: |objective − bound| / max(1, |objective|); infinite without a solution or
/// a bound.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if !objective.is_finite() || !bound.is_finite() {
        return f64::INFINITY;
    }
    let diff = (objective - bound).abs();
    if diff <= 1e-9 {
        0.0
    } else {
        diff / objective.abs().max(1.0)
    }
}

unsafe extern "C" {
    /// HiGHS's C API: drops this thread's task scheduler, so the next solve on the thread
    /// can start one with another thread count.
    fn Highs_resetGlobalScheduler(blocking: i32);
}

thread_local! {
    /// Threads of the HiGHS scheduler this OS thread started (0 = none yet). HiGHS keeps one
    /// scheduler per calling thread and refuses a solve asking for another count.
    static SCHEDULER_THREADS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// HiGHS threads for one solve under a step's `threads` (0 = every core): all of them on a
/// plain thread; on a rayon worker, an even share with the pool's other workers, who run
/// solves of their own (parts, tracks, variants), at least one.
pub fn highs_threads(threads: u32) -> u32 {
    let total = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
    } else {
        threads
    };
    let share = match rayon::current_thread_index() {
        Some(_) => total / rayon::current_num_threads().max(1) as u32,
        None => total,
    };
    share.max(1)
}

/// [`highs_threads`], with this thread's HiGHS scheduler reset when it was started with
/// another count.
pub(crate) fn claim_highs_threads(threads: u32) -> u32 {
    let n = highs_threads(threads);
    SCHEDULER_THREADS.with(|cell| {
        let current = cell.get();
        if current != 0 && current != n {
            // SAFETY: no HiGHS solve is running on this thread (solves are synchronous), and
            // the scheduler is recreated by the next solve.
            unsafe { Highs_resetGlobalScheduler(1) };
        }
        cell.set(n);
    });
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knapsack_is_solved_to_proven_optimality() {
        let mut m = MipModel::new();
        let items = [(5.0, 3.0), (4.0, 2.0), (3.0, 2.0)];
        let x: Vec<Variable> = items.iter().map(|_| m.binary()).collect();
        let weight: Expression = x.iter().zip(&items).map(|(&v, &(_, w))| w * v).sum();
        m.constrain(good_lp::constraint::leq(weight, 4.0));
        let value: Expression = x.iter().zip(&items).map(|(&v, &(p, _))| p * v).sum();
        let r = m
            .solve(&value, Sense::Maximise, &MipOptions::default(), None)
            .expect("solve");
        assert_eq!(r.status, SolveStatus::Optimal);
        assert!((r.objective - 7.0).abs() < 1e-9);
        assert_eq!(r.gap, 0.0);
        assert!(r.is_one(x[1]) && r.is_one(x[2]) && !r.is_one(x[0]));
    }

    #[test]
    fn lexicographic_keeps_the_first_level() {
        let mut m = MipModel::new();
        let a = m.binary();
        let b = m.binary();
        m.constrain(good_lp::constraint::leq(Expression::from(a) + b, 1.0));
        // Level 1: pick something. Level 2: prefer b.
        let levels = vec![
            (Expression::from(a) + b, Sense::Maximise),
            (Expression::from(a), Sense::Minimise),
        ];
        let r = m
            .solve_lexicographic(&levels, &MipOptions::default(), None)
            .expect("solve");
        assert_eq!(r.status(), SolveStatus::Optimal);
        let s = r.solution().expect("solution");
        assert!(s.is_one(b) && !s.is_one(a));
    }

    #[test]
    fn empty_model_with_a_warm_start_is_solved() {
        let m = MipModel::new();
        let levels = vec![
            (Expression::from(0.0), Sense::Maximise),
            (Expression::from(0.0), Sense::Minimise),
        ];
        let r = m
            .solve_lexicographic(&levels, &MipOptions::default(), Some(&[]))
            .expect("solve");
        assert_eq!(r.status(), SolveStatus::Optimal);
        assert_eq!(r.levels[0].objective, 0.0);
    }

    #[test]
    fn infeasible_is_reported_not_panicked() {
        let mut m = MipModel::new();
        let a = m.binary();
        m.constrain(good_lp::constraint::geq(Expression::from(a), 2.0));
        let r = m
            .solve(
                &Expression::from(a),
                Sense::Minimise,
                &MipOptions::default(),
                None,
            )
            .expect("solve");
        assert_eq!(r.status, SolveStatus::Infeasible);
    }

    #[test]
    fn lp_reports_reduced_costs() {
        // min 3a + 5b, a + b >= 1: a is basic, b sits at 0 with reduced cost 2.
        let mut m = MipModel::new();
        let a = m.continuous(0.0, 1.0);
        let b = m.continuous(0.0, 1.0);
        m.constrain(good_lp::constraint::geq(Expression::from(a) + b, 1.0));
        let obj = 3.0 * a + 5.0 * b;
        let r = m
            .solve(&obj, Sense::Minimise, &MipOptions::default(), None)
            .expect("solve");
        assert!((r.objective - 3.0).abs() < 1e-9);
        assert!((r.reduced_cost(b) - 2.0).abs() < 1e-7);
    }
}

#[cfg(test)]
mod honesty_tests {
    use super::*;

    #[test]
    fn gap_follows_spec() {
        assert_eq!(relative_gap(0.0, 0.0), 0.0);
        // Below 1 the denominator is 1, not the objective.
        assert!((relative_gap(0.5, 0.0) - 0.5).abs() < 1e-12);
        assert!((relative_gap(200.0, 100.0) - 0.5).abs() < 1e-12);
        assert!(relative_gap(1.0, f64::NAN).is_infinite());
    }

    #[test]
    fn box_bound_uses_variable_bounds() {
        let mut m = MipModel::new();
        let a = m.integer(0.0, 4.0);
        let b = m.integer(-1.0, 2.0);
        let e = 3.0 * a - 2.0 * b + 1.0;
        assert_eq!(m.box_bound(&e, Sense::Minimise), 1.0 - 4.0);
        assert_eq!(m.box_bound(&e, Sense::Maximise), 1.0 + 12.0 + 2.0);
    }

    #[test]
    fn a_level_without_time_reports_the_plan_and_a_valid_bound() {
        // Level 1 is solved (a level without an incumbent always is); level 2 gets no time
        // and must report the value of level 1's solution and a bound at or below the best
        // possible, never the objective copied.
        let mut m = MipModel::new();
        let x: Vec<Variable> = (0..4).map(|_| m.binary()).collect();
        let all: Expression = x.iter().copied().map(Expression::from).sum();
        m.constrain(good_lp::constraint::geq(all.clone(), 2.0));
        let cost: Expression = x
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 + 1.0) * v)
            .sum();
        let levels = vec![
            (all.clone(), Sense::Minimise),
            (cost.clone(), Sense::Minimise),
        ];
        let options = MipOptions {
            time_limit_s: 0.05,
            threads: 1,
        };
        let r = m
            .solve_lexicographic(&levels, &options, None)
            .expect("solve");
        assert_eq!(r.levels.len(), 2, "no level is left out");
        assert_eq!(r.levels[0].status, SolveStatus::Optimal);
        let second = &r.levels[1];
        let plan = r.solution().expect("a plan");
        let written: f64 = x
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 + 1.0) * plan.value(v))
            .sum();
        assert!((second.objective - written).abs() < 1e-9);
        // The true optimum is 3 (x0 + x1); the bound must not exceed it.
        assert!(second.bound <= 3.0 + 1e-9, "bound {}", second.bound);
        assert!((second.gap - relative_gap(second.objective, second.bound)).abs() < 1e-12);
        if second.gap > PROVEN_GAP {
            assert_eq!(second.status, SolveStatus::Feasible);
        }
    }

    #[test]
    fn threads_are_all_cores_outside_a_pool_and_shared_inside() {
        assert_eq!(highs_threads(3), 3);
        assert!(highs_threads(0) >= 1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        assert_eq!(pool.install(|| highs_threads(4)), 2);
        assert_eq!(pool.install(|| highs_threads(1)), 1);
    }

    #[test]
    fn solves_with_different_thread_counts_on_one_thread() {
        // HiGHS refuses a solve whose thread count differs from the scheduler this thread
        // started; the scheduler is reset in between.
        let mut m = MipModel::new();
        let a = m.integer(0.0, 3.0);
        for threads in [2, 1, 2] {
            let options = MipOptions {
                time_limit_s: 10.0,
                threads,
            };
            let r = m
                .solve(&Expression::from(a), Sense::Maximise, &options, None)
                .expect("solve");
            assert_eq!(r.int(a), 3);
        }
    }
}

#[cfg(test)]
mod empty_tests {
    use super::*;

    #[test]
    fn empty_and_rowless_models_solve() {
        let m = MipModel::new();
        let r = m
            .solve(
                &Expression::from(3.0),
                Sense::Minimise,
                &MipOptions::default(),
                None,
            )
            .expect("solve");
        assert_eq!(r.status, SolveStatus::Optimal);
        assert!((r.objective - 3.0).abs() < 1e-9);
        let mut m = MipModel::new();
        let a = m.integer(0.0, 4.0);
        let r = m
            .solve(
                &Expression::from(a),
                Sense::Maximise,
                &MipOptions::default(),
                None,
            )
            .expect("solve");
        assert_eq!(r.status, SolveStatus::Optimal);
        assert_eq!(r.int(a), 4);
    }
}
