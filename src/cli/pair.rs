//! `rotaplan pair INSTANCE --policy P --plan DIR`: read `DIR/groups.csv`, solve the pairing
//! MIP (P1–P4), write `DIR/pairings.csv` and the `"pairing"` block of `DIR/summary.json`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;
use crate::io::plan_files;
use crate::pipeline::{RunOptions, load_grouping, step_pair};
use crate::solve::pairing::{self, PairingProblem};

/// Uncovered slots listed on the terminal; summary.json has them all.
const SHOWN_UNCOVERED: usize = 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    /// Plan folder: groups.csv is read from it, pairings.csv and summary.json written to it.
    #[arg(long)]
    pub plan: PathBuf,
    /// Overrides `[solver] time_limit_s`.
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let grouping = load_grouping(&inst, &args.plan, &policy)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        ..RunOptions::default()
    };
    let out = step_pair(&inst, &policy, &args.plan, &opts)?;
    let lex = &out.optimal.lex;
    let problem = PairingProblem::new(&inst, &grouping, &policy.pairing);
    // A closed pipe (`| head`) is not worth a panic: the files are already written.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "pairing {}: {} of {} slots covered (weight {} of {}), {} km; wrote {}",
        lex.status().as_str(),
        out.metrics.covered_slots,
        problem.slots.iter().filter(|s| s.real).count(),
        pairing::explain::fmt(out.metrics.covered_weight),
        pairing::explain::fmt(problem.total_weight()),
        pairing::explain::fmt(out.metrics.total_km),
        args.plan.join(plan_files::PAIRINGS).display()
    );
    for u in out.uncovered.iter().take(SHOWN_UNCOVERED) {
        let _ = writeln!(
            stdout,
            "  uncovered {}: {}",
            problem.slot_label(&problem.slots[u.slot]),
            u.reason
        );
    }
    if out.uncovered.len() > SHOWN_UNCOVERED {
        let _ = writeln!(
            stdout,
            "  … and {} more uncovered slots, each with its reason in summary.json",
            out.uncovered.len() - SHOWN_UNCOVERED
        );
    }
    Ok(ExitCode::SUCCESS)
}
