//! `rotaplan simulate INSTANCE --policy P --years N --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};
use crate::pipeline::RunOptions;
use crate::simulate::{self, Hiring, SimulateOptions};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub years: usize,
    #[arg(long)]
    pub out: PathBuf,
    /// Re-form groups and pairings every summer (default: keep the first summer's).
    #[arg(long)]
    pub reform: bool,
    /// What fills a retiree's post: `refill` (a new teacher of the same subject; default)
    /// or `none` (the post stays open).
    #[arg(long, default_value = "refill")]
    pub hiring: String,
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let hiring = Hiring::parse(&args.hiring)
        .ok_or_else(|| Error::Usage(format!("--hiring {:?}: use refill or none", args.hiring)))?;
    if args.years == 0 {
        return Err(Error::Usage("--years must be at least 1".into()));
    }
    let inst = super::load_instance(&args.instance)?;
    let policy = super::load_policy(&args.policy)?;
    let opts = SimulateOptions {
        years: args.years,
        reform: args.reform,
        hiring,
        run: RunOptions {
            time_limit_s: args.time_limit,
            ..RunOptions::default()
        },
    };
    let rows = simulate::run(&inst, &policy, &args.out, &opts)?;
    let violations: usize = rows.iter().map(|r| r.violations).sum();
    println!(
        "{} summers simulated; trajectory in {}",
        rows.len(),
        args.out.join("trajectory.md").display()
    );
    if let Some(r) = rows.iter().find(|r| r.error.is_some()) {
        eprintln!(
            "summer {} failed: {}",
            r.year,
            r.error.as_deref().unwrap_or("")
        );
        return Ok(ExitCode::from(1));
    }
    if violations > 0 {
        eprintln!("verify found {violations} violation(s); see each year's plan");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
