//! `rotaplan groups INSTANCE --policy P --plan DIR [--time-limit S] [--threads N]`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::io::plan_files::GROUPS;
use crate::lang::Langs;
use crate::pipeline::step_groups;

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
    let mut opts = args.solve.run_options(langs);
    opts.provenance = super::provenance(&args.instance, &[&args.policy])?;
    let outcome = step_groups(&inst, &policy, &args.dir.plan, &opts)?;
    for t in &outcome.tracks {
        super::out(&say::track(langs.terminal, &track_line(t)));
    }
    super::out(&say::wrote(langs.terminal, &args.dir.plan.join(GROUPS)));
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn track_line(t: &crate::solve::groups::TrackOutcome) -> say::TrackLine<'_> {
    say::TrackLine {
        track: &t.track,
        groups: t.groups.len(),
        status: t.status,
        objective: t.objective,
        bound: t.bound,
        gap: t.gap,
        seconds: t.seconds,
    }
}
