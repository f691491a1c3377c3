//! Solving one track: heuristic incumbent, LP relaxation and reduced-cost fixing, then the
//! MIP warm-started from the incumbent.

use std::time::Instant;

use super::incumbent;
use super::model::{self, Allowed};
use super::problem::{Assignment, TrackProblem};
use crate::solve::mip::{MipError, MipOptions, Sense, SolveStatus};

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
    /// (unit, core) pairs left in the MIP after reduced-cost fixing, of those that fit.
    pub pairs_kept: (usize, usize),
}

/// Tuning switches (for measuring each ingredient; the defaults are what `groups` uses).
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

pub fn solve(p: &TrackProblem, options: &MipOptions, tuning: Tuning) -> Result<Solved, MipError> {
    let started = Instant::now();
    let remaining = |t: &Instant| (options.time_limit_s - t.elapsed().as_secs_f64()).max(0.5);
    let inc = if tuning.heuristic {
        incumbent::find(p)
    } else {
        None
    };
    let ub = inc.as_ref().map(|a| p.objective(a));
    let mut allowed = Allowed::fitting(p);
    let fitting = allowed.pairs();
    let mut lp_bound = None;
    if let (Some(inc), Some(ub), true) = (&inc, ub, tuning.reduced_cost_fixing) {
        let lp = model::build(p, &allowed, true);
        let opts = MipOptions {
            time_limit_s: remaining(&started),
            ..*options
        };
        let r = lp
            .model
            .solve(&lp.objective, Sense::Minimise, &opts, None)?;
        if r.status == SolveStatus::Optimal {
            lp_bound = Some(r.objective);
            // Any solution using a variable costs at least LB + its reduced cost; those
            // that cannot beat the incumbent are left out. Tolerance covers LP duals' noise.
            let slack = ub - r.objective + 1e-6 * ub.abs().max(1.0);
            for (u, row) in lp.x.iter().enumerate() {
                for &(c, v) in row {
                    if inc[u] != c && r.reduced_cost(v) > slack {
                        allowed.pair[u][c] = false;
                    }
                }
            }
            let open: Vec<bool> = (0..p.cores.len()).map(|c| inc.contains(&c)).collect();
            for (c, y) in lp.y.iter().enumerate() {
                if let Some(y) = y {
                    if !open[c] && r.reduced_cost(*y) > slack {
                        allowed.core[c] = false;
                    }
                }
            }
        }
    }
    let mip = model::build(p, &allowed, false);
    let warm = inc.as_ref().map(|a| mip.warm_start(p, a));
    let opts = MipOptions {
        time_limit_s: remaining(&started),
        ..*options
    };
    let r = mip
        .model
        .solve(&mip.objective, Sense::Minimise, &opts, warm.as_deref())?;
    let assign = r
        .status
        .has_solution()
        .then(|| mip.assignment(p, |v| r.is_one(v)))
        .filter(|a| a.iter().all(|&c| c < p.cores.len()));
    Ok(Solved {
        status: r.status,
        objective: r.objective,
        bound: r.bound,
        gap: r.gap,
        seconds: started.elapsed().as_secs_f64(),
        assign,
        incumbent: ub,
        lp_bound,
        pairs_kept: (allowed.pairs(), fitting),
    })
}
