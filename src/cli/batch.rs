//! `rotaplan batch DIR --policy P --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;
use crate::pipeline::RunOptions;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A folder of instance folders (one per county).
    pub dir: PathBuf,
    /// Used for counties without their own policy.toml.
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        ..RunOptions::default()
    };
    let results = crate::batch::run(&args.dir, &args.policy, &args.out, &opts)?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    println!(
        "{} counties, {} failed; table in {}",
        results.len(),
        failed,
        args.out.join("batch.md").display()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
