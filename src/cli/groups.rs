//! `rotaplan groups INSTANCE --policy P --out DIR [--time-limit S]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;
use crate::io::plan_files::GROUPS;
use crate::pipeline::{RunOptions, step_groups};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Overrides `[solver] time_limit_s`.
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        ..RunOptions::default()
    };
    let outcome = step_groups(&inst, &policy, &args.out, &opts)?;
    for t in &outcome.tracks {
        println!(
            "track {}: {} groups, {} objective {:.4} bound {:.4} gap {:.2e} ({:.2} s)",
            t.track,
            t.groups.len(),
            t.status.as_str(),
            t.objective,
            t.bound,
            t.gap,
            t.seconds
        );
    }
    println!("wrote {}", args.out.join(GROUPS).display());
    Ok(ExitCode::SUCCESS)
}
