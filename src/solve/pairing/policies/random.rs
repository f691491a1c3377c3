//! `random`: slots in a random order, each takes a uniformly random admissible helper with
//! capacity left. Seeded, so the table is reproducible; reported as mean ± sd over the draws.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{ComparedPolicy, PolicyRun, greedy};
use crate::error::Result;
use crate::solve::pairing::problem::{PairingProblem, Pick};

/// Fewest draws for a mean ± sd worth printing.
pub const MIN_DRAWS: usize = 30;

pub struct Random {
    pub seed: u64,
    pub draws: usize,
}

/// One random pairing from `rng`.
pub fn draw(p: &PairingProblem, rng: &mut ChaCha8Rng) -> Vec<Pick> {
    let mut order: Vec<usize> = (0..p.slots.len()).collect();
    order.shuffle(rng);
    greedy(p, &order, |_, open| {
        Some(open[rng.gen_range(0..open.len())])
    })
}

impl ComparedPolicy for Random {
    fn key(&self) -> &'static str {
        "random"
    }
    fn description(&self) -> String {
        format!(
            "slots in random order, each a random admissible helper with capacity left; {} draws, seed {}, mean ± sd",
            self.draws, self.seed
        )
    }
    fn run(&self, p: &PairingProblem) -> Result<PolicyRun> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        Ok(PolicyRun {
            draws: (0..self.draws).map(|_| draw(p, &mut rng)).collect(),
            ..PolicyRun::default()
        })
    }
}
