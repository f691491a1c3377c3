//! The pairing MIP: a binary per admissible (slot, helper) pair, at most one helper per slot
//! (P1), at most `helper_capacity` rows per helper (P2); lexicographically maximise covered
//! slot weight (P4), then minimise helper-to-target distance.
//!
//! P1's stage match and P3 are enforced by only creating variables for admissible pairs
//! ([`PairingProblem::candidates`]).

use good_lp::{Expression, Variable, constraint};

use super::problem::{PairingProblem, Pick};
use crate::solve::mip::{LexResult, MipError, MipModel, MipOptions, Sense};

/// Level names of the lexicographic objective, as `summary.json` lists them.
pub const LEVELS: [&str; 2] = ["covered_weight", "distance_km"];

/// The built model, kept apart from solving so a bench can time each phase.
pub struct PairingModel {
    pub model: MipModel,
    /// One variable per candidate, same order as [`PairingProblem::candidates`].
    pub x: Vec<Variable>,
    pub levels: Vec<(Expression, Sense)>,
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
    PairingModel {
        model,
        x,
        levels: vec![(coverage, Sense::Maximise), (distance, Sense::Minimise)],
    }
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
    let lex = built
        .model
        .solve_lexicographic(&built.levels, options, Some(&start))?;
    let picks = match lex.solution() {
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
    Ok(OptimalPairing { lex, picks })
}
