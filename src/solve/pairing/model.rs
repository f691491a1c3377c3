//! The pairing MIP: a binary per admissible (slot, helper) pair, at most one helper per slot
//! (P1), at most `helper_capacity` rows per helper (P2); lexicographically maximise covered
//! slot weight (P4), then minimise helper-to-target distance.
//!
//! P1's stage match and P3 are enforced by only creating variables for admissible pairs
//! ([`PairingProblem::candidates`]).
//!
//! The second level minimises `km − M · coverage` rather than `km`: the first level's
//! optimum is kept as a constraint, so coverage is pinned and both objectives have the same
//! optimal set. But with `km` alone that constraint makes the LP relaxation fractional and
//! HiGHS branches (33 s on a 1,200-school county at school level), whereas with `M` large
//! the unconstrained optimum of the b-matching — integral, the constraint matrix being
//! totally unimodular — already has the best coverage, so the root LP is integral. The
//! level's objective and bound are translated back to km before they are reported.

use good_lp::{Expression, Variable, constraint};

use super::problem::{PairingProblem, Pick};
use crate::solve::mip::{
    LexResult, MipError, MipModel, MipOptions, Sense, SolveStatus, relative_gap,
};

/// Level names of the lexicographic objective, as `summary.json` lists them.
pub const LEVELS: [&str; 2] = ["covered_weight", "distance_km"];

/// The built model, kept apart from solving so a bench can time each phase.
pub struct PairingModel {
    pub model: MipModel,
    /// One variable per candidate, same order as [`PairingProblem::candidates`].
    pub x: Vec<Variable>,
    /// Levels as solved: coverage, then `km − coverage_price · coverage`.
    pub levels: Vec<(Expression, Sense)>,
    pub coverage_price: f64,
}

/// The MIP's answer: the proof and the rows it chose.
#[derive(Debug, Clone)]
pub struct OptimalPairing {
    pub lex: LexResult,
    /// Sorted by slot.
    pub picks: Vec<Pick>,
}

/// Builds the model for `p`.
pub fn build(p: &PairingProblem) -> PairingModel {
    let mut model = MipModel::new();
    let x: Vec<Variable> = p.candidates.iter().map(|_| model.binary()).collect();
    for cands in &p.by_slot {
        if cands.len() > 1 {
            let sum: Expression = cands.iter().map(|&c| x[c]).sum();
            model.constrain(constraint::leq(sum, 1.0));
        }
    }
    let mut per_helper: Vec<Vec<usize>> = vec![Vec::new(); p.inst.schools.len()];
    for (ci, c) in p.candidates.iter().enumerate() {
        per_helper[c.helper].push(ci);
    }
    for cands in per_helper.iter().filter(|c| c.len() > p.capacity) {
        let sum: Expression = cands.iter().map(|&c| x[c]).sum();
        model.constrain(constraint::leq(sum, p.capacity as f64));
    }
    let coverage: Expression = p
        .candidates
        .iter()
        .zip(&x)
        .map(|(c, &v)| p.slots[c.slot].weight * v)
        .sum();
    let distance: Expression = p.candidates.iter().zip(&x).map(|(c, &v)| c.km * v).sum();
    let m = coverage_price(p);
    let second = distance - m * coverage.clone();
    PairingModel {
        model,
        x,
        levels: vec![(coverage, Sense::Maximise), (second, Sense::Minimise)],
        coverage_price: m,
    }
}

/// `M` of the second level: more km than any pairing can add up to, per the smallest step
/// coverage can take, so trading coverage for km never pays in the LP. Capped to keep HiGHS's
/// numerics sound; the level stays exact either way, as coverage is pinned by a constraint.
fn coverage_price(p: &PairingProblem) -> f64 {
    let km_bound: f64 = p
        .by_slot
        .iter()
        .map(|c| c.iter().map(|&ci| p.candidates[ci].km).fold(0.0, f64::max))
        .sum::<f64>()
        + 1.0;
    let mut step: f64 = 1.0;
    for w in p.slots.iter().map(|s| s.weight) {
        if w > 1e-9 {
            step = step.min(w);
        }
        if (w - 1.0).abs() > 1e-9 {
            step = step.min((w - 1.0).abs());
        }
    }
    (km_bound / step).min(1e7)
}

/// Solves `p` to proven optimality (within the time limit), warm-started from `warm` (a
/// rule-abiding pairing such as the nearest-helper greedy).
pub fn solve(
    p: &PairingProblem,
    options: &MipOptions,
    warm: &[Pick],
) -> Result<OptimalPairing, MipError> {
    let built = build(p);
    solve_built(p, &built, options, warm)
}

/// Solves an already built model.
pub fn solve_built(
    p: &PairingProblem,
    built: &PairingModel,
    options: &MipOptions,
    warm: &[Pick],
) -> Result<OptimalPairing, MipError> {
    let mut start: Vec<(Variable, f64)> = built.x.iter().map(|&v| (v, 0.0)).collect();
    for pick in warm {
        if let Some(ci) = p.by_slot[pick.slot]
            .iter()
            .copied()
            .find(|&ci| p.candidates[ci].helper == pick.helper)
        {
            start[ci].1 = 1.0;
        }
    }
    let mut lex = built
        .model
        .solve_lexicographic(&built.levels, options, Some(&start))?;
    let picks: Vec<Pick> = match lex.solution() {
        Some(sol) => p
            .candidates
            .iter()
            .zip(&built.x)
            .filter(|&(_, &v)| sol.is_one(v))
            .map(|(c, _)| Pick {
                slot: c.slot,
                helper: c.helper,
            })
            .collect(),
        None => Vec::new(),
    };
    report_km(&mut lex, built.coverage_price, &picks, p);
    Ok(OptimalPairing { lex, picks })
}

/// Turns the second level's `km − M · coverage` back into km: the solution's own km, and
/// bound + M · (proven best coverage), valid because every solution of that level has the
/// first level's coverage.
fn report_km(lex: &mut LexResult, m: f64, picks: &[Pick], p: &PairingProblem) {
    let Some(covered) = lex.levels.first().map(|l| l.objective) else {
        return;
    };
    let Some(second) = lex.levels.get_mut(1) else {
        return;
    };
    if !second.status.has_solution() {
        return;
    }
    let km: f64 = picks.iter().map(|k| p.km(&p.slots[k.slot], k.helper)).sum();
    let mut bound = second.bound + m * covered;
    if second.status == SolveStatus::Optimal && (bound - km).abs() <= 1e-6 * km.abs().max(1.0) {
        bound = km;
    }
    second.objective = km;
    second.bound = bound;
    second.gap = relative_gap(km, bound);
}
