//! `rotaplan verify`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Result, exit};
use crate::lang::Langs;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The policy TOML.
    #[arg(long)]
    pub policy: PathBuf,
    #[command(flatten)]
    pub dir: super::PlanDir,
}

/// Prints every finding; exit 1 when the plan breaks a rule or the summary disagrees.
pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let report = crate::verify::verify_plan_with_policy_file(
        &args.instance,
        &policy,
        &args.policy,
        &args.dir.plan,
    )?;
    print!("{}", crate::verify::render_in(&report, langs.terminal));
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::PROBLEMS)
    })
}
