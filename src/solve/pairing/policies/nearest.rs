//! `nearest`: down the slot list (groups in id order, stages kindergarten, primary, middle),
//! each slot takes the nearest admissible helper that still has capacity.

use super::{ComparedPolicy, PolicyRun, greedy};
use crate::error::Result;
use crate::solve::pairing::problem::{PairingProblem, Pick};

pub struct Nearest;

/// The nearest-helper greedy; also the MIP's warm start.
pub fn nearest(p: &PairingProblem) -> Vec<Pick> {
    let order: Vec<usize> = (0..p.slots.len()).collect();
    // Candidates are sorted by distance, so the first open one is the nearest.
    greedy(p, &order, |_, open| open.first().copied())
}

impl ComparedPolicy for Nearest {
    fn key(&self) -> &'static str {
        "nearest"
    }
    fn description(&self) -> String {
        "greedy: slot by slot in list order, the nearest admissible helper with capacity left"
            .into()
    }
    fn run(&self, p: &PairingProblem) -> Result<PolicyRun> {
        Ok(PolicyRun {
            draws: vec![nearest(p)],
            ..PolicyRun::default()
        })
    }
}
