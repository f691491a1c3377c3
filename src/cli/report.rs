//! `rotaplan report`: write `DIR/report.html` for a plan folder.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;
use crate::report::{self, Lang, Options};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The plan folder (groups.csv, and pairings.csv, moves.csv, returns.csv, summary.json
    /// when the steps ran); the report is written there.
    #[arg(long)]
    pub plan: PathBuf,
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    /// Policy whose `[rotation] cross_cap_share` gives group caps the summary lacks.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let inst = super::load_instance(&args.instance)?;
    let cross_cap_share = match &args.policy {
        Some(p) => Some(super::load_policy(p)?.rotation.cross_cap_share),
        None => None,
    };
    let path = report::write_report_with(
        &inst,
        &args.plan,
        &Options {
            lang: args.lang,
            cross_cap_share,
        },
    )?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
