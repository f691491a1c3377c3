//! `optimal`: the MIP of [`crate::solve::pairing::model`], warm-started from `nearest`.

use super::{ComparedPolicy, PolicyRun};
use crate::error::Result;
use crate::io::summary::num;
use crate::solve::mip::MipOptions;
use crate::solve::pairing::problem::PairingProblem;

pub struct Optimal {
    pub options: MipOptions,
}

impl ComparedPolicy for Optimal {
    fn key(&self) -> &'static str {
        "optimal"
    }
    fn description(&self) -> String {
        "MIP (HiGHS): max covered slot weight, then min helper-to-core km".into()
    }
    fn run(&self, p: &PairingProblem) -> Result<PolicyRun> {
        let warm = super::nearest::nearest(p);
        let r = crate::solve::pairing::model::solve(p, &self.options, &warm)?;
        let gaps: Vec<String> = r
            .lex
            .levels
            .iter()
            .map(|l| num(l.gap).to_string())
            .collect();
        Ok(PolicyRun {
            draws: vec![r.picks],
            note: Some(format!(
                "status {}, gap [{}]",
                r.lex.status().as_str(),
                gaps.join(", ")
            )),
            ..PolicyRun::default()
        })
    }
}
