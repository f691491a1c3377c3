//! `rotaplan pair INSTANCE --policy P --plan DIR`: read `DIR/groups.csv`, solve the pairing
//! MIP (P1–P4), write `DIR/pairings.csv` and the `"pairing"` block of `DIR/summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::lang::{Lang, Langs};
use crate::pipeline::{load_grouping, step_pair};
use crate::solve::pairing::{self, PairingOutcome, PairingProblem};

/// Uncovered slots listed on the terminal; summary.json has them all.
const SHOWN_UNCOVERED: usize = 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The policy TOML.
    #[arg(long)]
    pub policy: PathBuf,
    #[command(flatten)]
    pub dir: super::PlanDir,
    #[command(flatten)]
    pub solve: super::SolveArgs,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let grouping = load_grouping(&inst, &args.dir.plan, &policy)?;
    let mut opts = args.solve.run_options(langs);
    opts.provenance = super::provenance(&args.instance, &[&args.policy])?;
    let out = step_pair(&inst, &policy, &args.dir.plan, &opts)?;
    let problem = PairingProblem::new(&inst, &grouping, &policy.pairing);
    super::out(&format!(
        "{}; {}",
        pairing_line(langs.terminal, &problem, &out),
        say::wrote(
            langs.terminal,
            &args.dir.plan.join(crate::io::plan_files::PAIRINGS)
        )
    ));
    for u in out.uncovered.iter().take(SHOWN_UNCOVERED) {
        super::out(&say::uncovered_slot(
            langs.terminal,
            &problem.slot_label(&problem.slots[u.slot]),
            &u.reason,
        ));
    }
    if out.uncovered.len() > SHOWN_UNCOVERED {
        super::out(&say::more_uncovered(
            langs.terminal,
            out.uncovered.len() - SHOWN_UNCOVERED,
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The pairing step's line, for `pair` and `plan`.
pub(crate) fn pairing_line(lang: Lang, problem: &PairingProblem, out: &PairingOutcome) -> String {
    say::pairing(
        lang,
        &say::PairLine {
            status: out.optimal.lex.status(),
            pairings: out.rows.len(),
            covered: out.metrics.covered_slots,
            slots: problem.slots.iter().filter(|s| s.real).count(),
            uncovered: out.uncovered.len(),
            km: pairing::explain::fmt(out.metrics.total_km),
        },
    )
}
