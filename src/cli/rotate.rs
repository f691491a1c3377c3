//! `rotaplan rotate`: reads `groups.csv` and `pairings.csv`, writes `moves.csv`,
//! `returns.csv` and the rotation part of `summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{load_instance, load_policy};
use crate::error::Result;
use crate::pipeline::{RunOptions, step_rotate};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub plan: PathBuf,
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long)]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = load_policy(&args.policy)?;
    let inst = load_instance(&args.instance)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        locks: args.locks.clone(),
        previous: args.previous.clone(),
        ..RunOptions::default()
    };
    let out = step_rotate(&inst, &policy, &args.plan, &opts)?;
    print_outcome(&out);
    Ok(ExitCode::SUCCESS)
}

/// One line on what the rotation did.
pub(crate) fn print_outcome(out: &crate::solve::moves::MovesOutcome) {
    let exchanges = out
        .moves
        .iter()
        .filter(|m| m.kind == crate::plan::MoveKind::Exchange)
        .count();
    println!(
        "rotate: {} ({} transfers, {} exchanges, {} returns); shortage {} → {}; {} pairing directions short",
        out.status.as_str(),
        out.moves.len() - exchanges,
        exchanges,
        out.returns.len(),
        out.shortage_before(),
        out.shortage_after(),
        out.shortfalls.len()
    );
}
