//! G7: regrouping against last year's `groups.csv`. With D* the fresh optimum, among the
//! groupings whose objective is at most (1 + `regroup_tolerance`) · D*, first the fewest
//! schools change group, then the smallest objective. A school keeps its group when its
//! group's core is the core of its previous group; a group whose core led a group before
//! keeps that group's id.

use std::collections::HashMap;
use std::time::Instant;

use good_lp::{Expression, constraint};

use super::model::{self, Allowed};
use super::problem::{Assignment, TrackProblem};
use super::solve::Solved;
use crate::domain::instance::Instance;
use crate::plan::{GroupRow, Role};
use crate::solve::mip::{MipError, MipOptions, Sense, SolveStatus, relative_gap};

/// Last year's groups, by school index (schools no longer in the instance are dropped).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// School → the core school of its previous group (`None` when that core has gone).
    core_of: HashMap<usize, Option<usize>>,
    /// Previous core school → its group's id.
    id_of_core: HashMap<usize, String>,
}

impl Previous {
    pub fn from_rows(inst: &Instance, rows: &[GroupRow]) -> Previous {
        let mut core_id: HashMap<&str, &str> = HashMap::new();
        for r in rows {
            if r.role == Role::Core {
                core_id.insert(r.group.as_str(), r.school.as_str());
            }
        }
        let mut prev = Previous::default();
        for r in rows {
            let core = core_id
                .get(r.group.as_str())
                .and_then(|id| inst.school_by_id(id));
            if let Some(s) = inst.school_by_id(&r.school) {
                prev.core_of.insert(s, core);
            }
            if r.role == Role::Core
                && let Some(c) = core
            {
                prev.id_of_core.insert(c, r.group.clone());
            }
        }
        prev
    }

    /// The previous id of the group led by `core`, if `core` led one.
    pub fn id_of_core(&self, core: usize) -> Option<&str> {
        self.id_of_core.get(&core).map(String::as_str)
    }

    /// Schools of `p` that were in the previous file: the ones whose change is counted.
    pub fn compared(&self, p: &TrackProblem) -> usize {
        p.units
            .iter()
            .flat_map(|u| &u.schools)
            .filter(|s| self.core_of.contains_key(s))
            .count()
    }

    /// `stay[u]`: (core, schools of unit u that keep their group when u joins that core).
    fn stay(&self, p: &TrackProblem) -> Vec<Vec<(usize, f64)>> {
        p.units
            .iter()
            .map(|unit| {
                let mut row: Vec<(usize, f64)> = Vec::new();
                for s in &unit.schools {
                    let Some(Some(core)) = self.core_of.get(s) else {
                        continue;
                    };
                    for (c, k) in p.cores.iter().enumerate() {
                        if k.school == *core {
                            match row.iter_mut().find(|(x, _)| *x == c) {
                                Some(e) => e.1 += 1.0,
                                None => row.push((c, 1.0)),
                            }
                        }
                    }
                }
                row
            })
            .collect()
    }

    /// Schools of `p` that change group under `assign`.
    pub fn changed(&self, p: &TrackProblem, assign: &[usize]) -> usize {
        let kept: f64 = self
            .stay(p)
            .iter()
            .enumerate()
            .flat_map(|(u, row)| row.iter().filter(move |(c, _)| assign[u] == *c))
            .map(|(_, w)| w)
            .sum();
        self.compared(p) - kept.round() as usize
    }
}

/// What the regrouping did, next to the fresh solve.
#[derive(Debug, Clone)]
pub struct Regrouped {
    /// The grouping written: its objective, and a valid bound on the objective of any
    /// grouping with no more changed schools.
    pub solved: Solved,
    pub fresh_status: SolveStatus,
    pub fresh_objective: f64,
    pub fresh_bound: f64,
    pub changed: usize,
    /// Schools changed by the fresh optimum, for comparison.
    pub changed_fresh: usize,
    pub compared: usize,
}

impl Regrouped {
    /// Extra distance paid for stability: objective − D*.
    pub fn stability_cost(&self) -> f64 {
        self.solved.objective - self.fresh_objective
    }
}

/// Regroups `p` given the fresh solve `fresh` (which holds D*) within `options`' time.
pub fn regroup(
    p: &TrackProblem,
    prev: &Previous,
    fresh: Solved,
    tolerance: f64,
    options: &MipOptions,
) -> Result<Regrouped, MipError> {
    let started = Instant::now();
    let compared = prev.compared(p);
    let Some(fresh_assign) = fresh.assign.clone() else {
        return Ok(Regrouped {
            fresh_status: fresh.status,
            fresh_objective: fresh.objective,
            fresh_bound: fresh.bound,
            changed: compared,
            changed_fresh: compared,
            compared,
            solved: fresh,
        });
    };
    let changed_fresh = prev.changed(p, &fresh_assign);
    let mut out = Regrouped {
        fresh_status: fresh.status,
        fresh_objective: fresh.objective,
        fresh_bound: fresh.bound,
        changed: changed_fresh,
        changed_fresh,
        compared,
        solved: fresh.clone(),
    };
    if changed_fresh == 0 {
        return Ok(out);
    }
    let stay = prev.stay(p);
    let mut mip = model::build(p, &Allowed::fitting(p), false);
    let d_star = fresh.objective;
    let cap = d_star * (1.0 + tolerance) + 1e-6 * d_star.abs().max(1.0);
    let within = constraint::leq(mip.objective.clone(), cap);
    mip.model.constrain(within);
    let mut kept = Expression::default();
    for (u, row) in stay.iter().enumerate() {
        for &(c, w) in row {
            if let Some(v) = mip.assign_var(p, u, c) {
                kept.add_mul(w, v);
            }
        }
    }
    let left = |share: f64| MipOptions {
        time_limit_s: ((options.time_limit_s - started.elapsed().as_secs_f64()) * share).max(0.1),
        ..*options
    };
    let warm = mip.warm_start(p, &fresh_assign);
    let r1 = mip
        .model
        .solve(&kept, Sense::Maximise, &left(0.5), Some(&warm))?;
    let level1: Option<Assignment> = r1
        .status
        .has_solution()
        .then(|| mip.assignment(p, |v| r1.is_one(v)))
        .filter(|a| a.iter().all(|&c| c < p.cores.len()) && p.is_feasible(a));
    let Some(level1) = level1 else {
        out.solved.status = out.solved.status.combine(SolveStatus::Feasible);
        return Ok(out);
    };
    let changed1 = prev.changed(p, &level1);
    mip.model.constrain(constraint::geq(
        kept.clone(),
        (compared - changed1) as f64 - 0.5,
    ));
    let warm = mip.warm_start(p, &level1);
    let r2 = mip
        .model
        .solve(&mip.objective, Sense::Minimise, &left(1.0), Some(&warm))?;
    let level2: Option<Assignment> = r2
        .status
        .has_solution()
        .then(|| mip.assignment(p, |v| r2.is_one(v)))
        .filter(|a| a.iter().all(|&c| c < p.cores.len()) && p.is_feasible(a));
    let assign = level2.unwrap_or(level1);
    let objective = p.objective(&assign);
    let all_proven = fresh.status == SolveStatus::Optimal
        && r1.status == SolveStatus::Optimal
        && r2.status == SolveStatus::Optimal;
    // A bound on the objective at this number of changes: HiGHS's, or D*'s bound (which
    // bounds every grouping).
    let bound = if r2.status == SolveStatus::Optimal {
        r2.bound
    } else {
        let b = if r2.bound.is_finite() {
            r2.bound
        } else {
            f64::NEG_INFINITY
        };
        b.max(fresh.bound).min(objective)
    };
    out.changed = prev.changed(p, &assign);
    out.solved = Solved {
        status: if all_proven {
            SolveStatus::Optimal
        } else {
            SolveStatus::Feasible
        },
        objective,
        bound,
        gap: relative_gap(objective, bound),
        seconds: fresh.seconds + started.elapsed().as_secs_f64(),
        assign: Some(assign),
        ..fresh
    };
    Ok(out)
}
