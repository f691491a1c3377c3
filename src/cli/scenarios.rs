//! `rotaplan scenarios INSTANCE --sweep S --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};
use crate::pipeline::RunOptions;
use crate::scenarios::{self, Sweep};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// Sweep TOML: `base = "policy.toml"` and [[variant]] sections with `set` / `grid`.
    #[arg(long)]
    pub sweep: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let inst = super::load_instance(&args.instance)?;
    let sweep = Sweep::load(&args.sweep).map_err(Error::Input)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        ..RunOptions::default()
    };
    let results = scenarios::run(&inst, &sweep, &args.out, &opts)?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    println!(
        "{} variants, {} failed; comparison in {}",
        results.len(),
        failed,
        args.out.join("comparison.md").display()
    );
    Ok(ExitCode::SUCCESS)
}
