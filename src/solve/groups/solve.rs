//! Solving one track: heuristic incumbent, LP relaxation (whose most-open cores seed a
//! second heuristic start), reduced-cost fixing, then the MIP to optimality.
//!
//! Reduced-cost fixing: with LP bound LB and reduced cost d of a variable at 0, any solution
//! using it costs at least LB + d. A solution better than the incumbent UB costs at most
//! UB (or UB − 1 when every cost is an integer), so variables with LB + d above that are
//! left out of the model. The incumbent's own variables stay, so the reduced model holds
//! the incumbent and every strictly better solution: its optimum is the track's optimum.

use std::time::Instant;

use super::incumbent;
use super::model::{self, Allowed, Built};
use super::problem::{Assignment, TrackProblem};
use crate::solve::mip::{MipError, MipOptions, MipResult, Sense, SolveStatus};

/// What one track's solve proved.
#[derive(Debug, Clone)]
pub struct Solved {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub seconds: f64,
    pub assign: Option<Assignment>,
    /// Objective of the heuristic incumbent, when one was found.
    pub incumbent: Option<f64>,
    /// LP relaxation bound, when computed.
    pub lp_bound: Option<f64>,
    /// (unit, core) pairs in the last MIP after reduced-cost fixing, of those that fit.
    pub pairs_kept: (usize, usize),
}

/// Switches for measuring each ingredient; the default is what `groups` uses.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    pub heuristic: bool,
    pub reduced_cost_fixing: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            heuristic: true,
            reduced_cost_fixing: true,
        }
    }
}

/// Reduced costs of the LP relaxation.
struct Lp {
    bound: f64,
    pair: Vec<Vec<(usize, f64)>>,
    core: Vec<Option<f64>>,
    /// Cores by decreasing LP value of y (ties by index).
    ranked: Vec<usize>,
}

impl Lp {
    fn solve(
        p: &TrackProblem,
        allowed: &Allowed,
        options: &MipOptions,
    ) -> Result<Option<Lp>, MipError> {
        let lp = model::build(p, allowed, true);
        let r = lp
            .model
            .solve(&lp.objective, Sense::Minimise, options, None)?;
        if r.status != SolveStatus::Optimal {
            return Ok(None);
        }
        let mut ranked: Vec<(f64, usize)> =
            lp.y.iter()
                .enumerate()
                .filter_map(|(c, y)| y.map(|v| (r.value(v), c)))
                .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(Some(Lp {
            ranked: ranked.into_iter().map(|(_, c)| c).collect(),
            bound: r.objective,
            pair: lp
                .x
                .iter()
                .map(|row| row.iter().map(|&(c, v)| (c, r.reduced_cost(v))).collect())
                .collect(),
            core: lp.y.iter().map(|y| y.map(|v| r.reduced_cost(v))).collect(),
        }))
    }

    /// The pairs and cores that a solution at least `step` better than `ub`, or `inc`
    /// itself, may use.
    fn fix(&self, base: &Allowed, inc: &[usize], ub: f64, step: f64) -> Allowed {
        let slack = ub - step - self.bound + 1e-6 * ub.abs().max(1.0);
        let mut allowed = base.clone();
        for (u, row) in self.pair.iter().enumerate() {
            for &(c, d) in row {
                if inc[u] != c && d > slack {
                    allowed.pair[u][c] = false;
                }
            }
        }
        for (c, d) in self.core.iter().enumerate() {
            if let Some(d) = d
                && !inc.contains(&c)
                && *d > slack
            {
                allowed.core[c] = false;
            }
        }
        allowed
    }
}

/// The objective's granularity: 1 when every cost is an integer and there is no balance
/// term (so a better solution is better by at least 1), else 0.
fn step(p: &TrackProblem) -> f64 {
    let integral = !p.has_balance()
        && p.cost
            .iter()
            .flatten()
            .all(|c| (c - c.round()).abs() < 1e-9);
    if integral { 1.0 } else { 0.0 }
}

fn run(
    p: &TrackProblem,
    mip: &Built,
    options: &MipOptions,
    warm: Option<&[usize]>,
) -> Result<(MipResult, Option<Assignment>), MipError> {
    let warm = warm.map(|a| mip.warm_start(p, a));
    let r = mip
        .model
        .solve(&mip.objective, Sense::Minimise, options, warm.as_deref())?;
    let assign = r
        .status
        .has_solution()
        .then(|| mip.assignment(p, |v| r.is_one(v)))
        .filter(|a| a.iter().all(|&c| c < p.cores.len()));
    Ok((r, assign))
}

pub fn solve(p: &TrackProblem, options: &MipOptions, tuning: Tuning) -> Result<Solved, MipError> {
    let started = Instant::now();
    let left = |t: &Instant| MipOptions {
        time_limit_s: (options.time_limit_s - t.elapsed().as_secs_f64()).max(0.5),
        ..*options
    };
    let inc = if tuning.heuristic {
        incumbent::find(p)
    } else {
        None
    };
    let heuristic_value = inc.as_ref().map(|a| p.objective(a));
    let base = Allowed::fitting(p);
    let fitting = base.pairs();
    let lp = match (&inc, tuning.reduced_cost_fixing) {
        (Some(_), true) => Lp::solve(p, &base, &left(&started))?,
        _ => None,
    };
    let (Some(lp), Some(inc)) = (lp, inc.clone()) else {
        let mip = model::build(p, &base, false);
        let (r, assign) = run(p, &mip, &left(&started), inc.as_deref())?;
        return Ok(finish(
            r,
            assign,
            started,
            heuristic_value,
            None,
            (fitting, fitting),
        ));
    };
    // The LP's most-open cores often beat the greedy ones as a start.
    let mut homes = vec![false; p.units.len()];
    let mut open = Vec::new();
    for &c in &lp.ranked {
        if open.len() < p.count && !homes[p.cores[c].home] {
            homes[p.cores[c].home] = true;
            open.push(c);
        }
    }
    let inc = match incumbent::from_cores(p, open) {
        Some(a) if p.objective(&a) < p.objective(&inc) - 1e-9 => a,
        _ => inc,
    };
    let step = step(p);
    let ub = p.objective(&inc);
    let allowed = lp.fix(&base, &inc, ub, step);
    let mip = model::build(p, &allowed, false);
    let (r, assign) = run(p, &mip, &left(&started), Some(&inc))?;
    let kept = allowed.pairs();
    Ok(finish(
        r,
        assign,
        started,
        heuristic_value,
        Some(lp.bound),
        (kept, fitting),
    ))
}

fn finish(
    r: MipResult,
    assign: Option<Assignment>,
    started: Instant,
    incumbent: Option<f64>,
    lp_bound: Option<f64>,
    pairs_kept: (usize, usize),
) -> Solved {
    Solved {
        status: r.status,
        objective: r.objective,
        bound: r.bound,
        gap: r.gap,
        seconds: started.elapsed().as_secs_f64(),
        assign,
        incumbent,
        lp_bound,
        pairs_kept,
    }
}
