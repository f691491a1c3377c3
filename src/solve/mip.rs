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
fn highs_log_shown() -> bool {
    HIGHS_LOG.load(std::sync::atomic::Ordering::Relaxed)
        || std::env::var_os("ROTAPLAN_HIGHS_LOG").is_some()
}

/// Solver limits for one step.
#[derive(Debug, Clone, Copy)]
pub struct MipOptions {
    pub time_limit_s: f64,
    /// 0 lets HiGHS choose.
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
    /// tolerance), warm-starting each from the previous solution. Stops at the first level
    /// without a solution. The time limit is shared by all levels.
    pub fn solve_lexicographic(
        &self,
        levels: &[(Expression, Sense)],
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
    ) -> Result<LexResult, MipError> {
        let start = Instant::now();
        let mut results: Vec<MipResult> = Vec::new();
        let mut fixed: Vec<Constraint> = Vec::new();
        let mut start_point: Option<Vec<(Variable, f64)>> = warm.map(<[_]>::to_vec);
        for (objective, sense) in levels {
            let remaining = (options.time_limit_s - start.elapsed().as_secs_f64()).max(1.0);
            let opts = MipOptions {
                time_limit_s: remaining,
                ..*options
            };
            let r = self.solve_with(objective, *sense, &opts, start_point.as_deref(), &fixed)?;
            if !r.status.has_solution() {
                results.push(r);
                break;
            }
            let value = r.objective;
            let slack = 1e-6 + 1e-9 * value.abs();
            fixed.push(match sense {
                Sense::Minimise => good_lp::constraint::leq(objective.clone(), value + slack),
                Sense::Maximise => good_lp::constraint::geq(objective.clone(), value - slack),
            });
            start_point = Some(self.order.iter().map(|&v| (v, r.value(v))).collect());
            results.push(r);
        }
        Ok(LexResult { levels: results })
    }

    fn solve_with(
        &self,
        objective: &Expression,
        sense: Sense,
        options: &MipOptions,
        warm: Option<&[(Variable, f64)]>,
        extra: &[Constraint],
    ) -> Result<MipResult, MipError> {
        let started = Instant::now();
        let index: HashMap<Variable, usize> = self
            .order
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, i))
            .collect();
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
        model.set_option("mip_rel_gap", 0.0);
        model.set_option("mip_abs_gap", 1e-6);
        model.set_option("time_limit", options.time_limit_s.max(0.1));
        model.set_option("random_seed", 0);
        if !self.presolve {
            model.set_option("presolve", "off");
        }
        if options.threads > 0 {
            model.set_option("threads", options.threads as i32);
        }
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
        } else {
            f64::NAN
        };
        let bound = if !status.has_solution() {
            f64::NAN
        } else if is_mip {
            solved
                .double_info_value(c"mip_dual_bound")
                .ok()
                .filter(|b| b.is_finite())
                .unwrap_or(objective_value)
        } else {
            objective_value
        };
        let bound = if status == SolveStatus::Optimal {
            tighten(bound, objective_value)
        } else {
            bound
        };
        let gap = relative_gap(objective_value, bound);
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

/// HiGHS proves optimality to 1e-6 absolute; report the bound as the objective then, so a
/// proven step shows gap 0 rather than rounding noise.
fn tighten(bound: f64, objective: f64) -> f64 {
    if (bound - objective).abs() <= 1e-6 * objective.abs().max(1.0) {
        objective
    } else {
        bound
    }
}

/// |objective − bound| / |objective|, HiGHS's own definition; 0 when both are 0.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if !objective.is_finite() || !bound.is_finite() {
        return f64::INFINITY;
    }
    let diff = (objective - bound).abs();
    if diff <= 1e-9 {
        0.0
    } else if objective.abs() < 1e-12 {
        f64::INFINITY
    } else {
        diff / objective.abs()
    }
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
