//! `rotaplan groups INSTANCE --policy P --out DIR [--time-limit S]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};
use crate::io::plan_files::{GROUPS, write_groups};
use crate::io::summary::Summary;
use crate::solve::groups::form_groups;
use crate::solve::mip::MipOptions;

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
    let options = MipOptions {
        time_limit_s: args.time_limit.unwrap_or(policy.solver.time_limit_s),
        threads: policy.solver.threads,
    };
    if options.time_limit_s.is_nan() || options.time_limit_s <= 0.0 {
        return Err(Error::Usage(
            "--time-limit must be a positive number of seconds".into(),
        ));
    }
    let outcome = form_groups(&inst, &policy, &options)?;
    std::fs::create_dir_all(&args.out).map_err(Error::write(&args.out))?;
    write_groups(&args.out, &outcome.rows).map_err(Error::write(args.out.join(GROUPS)))?;
    // A new plan starts here: the summary is fresh, not merged with an older one.
    let mut summary = Summary::default();
    summary.set("groups", outcome.summary.clone());
    summary
        .save(&args.out)
        .map_err(Error::write(args.out.join(crate::io::summary::SUMMARY)))?;
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
