//! `rotaplan groups INSTANCE --policy P --out DIR [--previous DIR] [--time-limit S]`.

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
    /// Last year's plan folder: keep schools in their groups within `regroup_tolerance` (G7).
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        previous_groups: args.previous.clone(),
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
    for t in &outcome.tracks {
        if let Some(st) = &t.previous {
            println!(
                "track {}: {} of {} schools changed group (a fresh grouping: {}), stability cost {:.4}",
                t.track, st.changed, st.compared, st.changed_fresh, st.stability_cost
            );
        }
    }
    println!("wrote {}", args.out.join(GROUPS).display());
    Ok(ExitCode::SUCCESS)
}
