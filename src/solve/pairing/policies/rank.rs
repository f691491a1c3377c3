//! `rank`: stage by stage (kindergarten, primary, middle), the weakest slot first (lowest
//! group mean or school quality) takes the strongest admissible helper with capacity left —
//! the "strong helps weak" reading of 以强带弱.

use super::{ComparedPolicy, PolicyRun, greedy};
use crate::domain::stage::SlotStage;
use crate::error::Result;
use crate::solve::pairing::problem::{PairingProblem, Pick};

pub struct Rank;

pub fn rank(p: &PairingProblem) -> Vec<Pick> {
    let mut order = Vec::new();
    for stage in SlotStage::ALL {
        let mut of_stage: Vec<usize> = (0..p.slots.len())
            .filter(|&s| p.slots[s].stage == stage)
            .collect();
        of_stage.sort_by(|&a, &b| {
            p.slots[a]
                .quality
                .total_cmp(&p.slots[b].quality)
                .then(a.cmp(&b))
        });
        order.extend(of_stage);
    }
    greedy(p, &order, |_, open| {
        // Candidates come nearest first, so among equally strong helpers the nearer wins.
        open.iter().copied().reduce(|best, ci| {
            let q = |c: usize| p.inst.schools[p.candidates[c].helper].quality;
            if q(ci) > q(best) { ci } else { best }
        })
    })
}

impl ComparedPolicy for Rank {
    fn key(&self) -> &'static str {
        "rank"
    }
    fn description(&self) -> String {
        "stage by stage, the weakest group first takes the strongest admissible helper with capacity left".into()
    }
    fn run(&self, p: &PairingProblem) -> Result<PolicyRun> {
        Ok(PolicyRun {
            draws: vec![rank(p)],
            ..PolicyRun::default()
        })
    }
}
