//! `rotaplan report`: write `DIR/report.html` for a plan folder.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::lang::Langs;
use crate::report::{self, Options};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The report is written into the plan folder.
    #[command(flatten)]
    pub dir: super::PlanDir,
    /// Policy whose `[rotation] cross_cap_share` gives group caps the summary lacks.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let inst = super::load_instance(&args.instance)?;
    let cross_cap_share = match &args.policy {
        Some(p) => Some(super::load_policy(p)?.rotation.cross_cap_share),
        None => None,
    };
    let path = report::write_report_with(
        &inst,
        &args.dir.plan,
        &Options {
            lang: langs.documents,
            cross_cap_share,
        },
    )?;
    super::out(&say::wrote(langs.terminal, &path));
    Ok(ExitCode::SUCCESS)
}
