//! Pairing policies compared by `rotaplan compare-pairing`, each behind [`ComparedPolicy`]:
//! a planner's new policy is one more file here and one line in [`standard`].
//!
//! Every generated policy keeps P1–P3 (it only uses [`PairingProblem::candidates`] and
//! respects `helper_capacity`); only the baseline, a planner's own file, may break them.

pub mod baseline;
pub mod nearest;
pub mod optimal;
pub mod random;
pub mod rank;

use super::problem::{PairingProblem, Pick, Slot};
use crate::error::Result;

/// What a policy produced: one or more draws of pairing rows.
#[derive(Debug, Clone, Default)]
pub struct PolicyRun {
    /// Slots the policy refers to beyond [`PairingProblem::slots`] (a baseline row for a
    /// stage the group does not serve); a pick's `slot` ≥ `slots.len()` indexes here.
    pub extra_slots: Vec<Slot>,
    /// One pairing per draw (a deterministic policy has one).
    pub draws: Vec<Vec<Pick>>,
    /// Anything the table should say about the run (e.g. the MIP's status).
    pub note: Option<String>,
}

/// A pairing policy.
pub trait ComparedPolicy {
    /// Short key, used as the row name in `comparison.csv`.
    fn key(&self) -> &'static str;
    /// One line for `comparison.md`.
    fn description(&self) -> String;
    fn run(&self, p: &PairingProblem) -> Result<PolicyRun>;
}

/// The generated policies, in table order (the baseline is added when a file is given).
pub fn standard(
    options: crate::solve::mip::MipOptions,
    seed: u64,
    draws: usize,
) -> Vec<Box<dyn ComparedPolicy>> {
    vec![
        Box::new(optimal::Optimal { options }),
        Box::new(nearest::Nearest),
        Box::new(rank::Rank),
        Box::new(random::Random { seed, draws }),
    ]
}

/// Fills slots in `order`, each with the candidate `choose` takes among those whose helper
/// still has capacity (P2); `choose` gets candidate indices and returns one of them or none.
pub(crate) fn greedy(
    p: &PairingProblem,
    order: &[usize],
    mut choose: impl FnMut(usize, &[usize]) -> Option<usize>,
) -> Vec<Pick> {
    let mut used = vec![0usize; p.inst.schools.len()];
    let mut picks = Vec::new();
    let mut open = Vec::new();
    for &slot in order {
        open.clear();
        open.extend(
            p.by_slot[slot]
                .iter()
                .copied()
                .filter(|&ci| used[p.candidates[ci].helper] < p.capacity),
        );
        if open.is_empty() {
            continue;
        }
        if let Some(ci) = choose(slot, &open) {
            let helper = p.candidates[ci].helper;
            used[helper] += 1;
            picks.push(Pick { slot, helper });
        }
    }
    picks.sort_unstable();
    picks
}
