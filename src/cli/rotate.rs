//! `rotaplan rotate`: reads `groups.csv` and `pairings.csv`, writes `moves.csv`,
//! `returns.csv` and the rotation part of `summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::cli::{load_instance, load_policy};
use crate::error::Result;
use crate::lang::{Lang, Langs};
use crate::pipeline::step_rotate;

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
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long, value_name = "FILE")]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let policy = load_policy(&args.policy)?;
    let inst = load_instance(&args.instance)?;
    let mut opts = args.solve.run_options(langs);
    opts.locks = args.locks.clone();
    opts.previous = args.previous.clone();
    let mut inputs: Vec<&std::path::Path> = vec![&args.policy];
    inputs.extend(args.locks.as_deref());
    opts.provenance = super::provenance(&args.instance, &inputs)?;
    let out = step_rotate(&inst, &policy, &args.dir.plan, &opts)?;
    super::out(&outcome_line(langs.terminal, &out));
    Ok(ExitCode::SUCCESS)
}

/// One line on what the rotation did.
pub(crate) fn outcome_line(lang: Lang, out: &crate::solve::moves::MovesOutcome) -> String {
    let exchanges = out
        .moves
        .iter()
        .filter(|m| m.kind == crate::plan::MoveKind::Exchange)
        .count();
    say::rotation(
        lang,
        &say::RotateLine {
            status: out.status,
            transfers: out.moves.len() - exchanges,
            exchanges,
            returns: out.returns.len(),
            shortage_before: crate::headline::fmt_num(Some(out.shortage_before())),
            shortage_after: crate::headline::fmt_num(Some(out.shortage_after())),
            short_directions: out.shortfalls.len(),
        },
    )
}
