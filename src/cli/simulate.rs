//! `rotaplan simulate INSTANCE --policy P --years N --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::{Error, Result, exit};
use crate::lang::Langs;
use crate::simulate::{self, Hiring, SimulateOptions};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The policy TOML.
    #[arg(long)]
    pub policy: PathBuf,
    /// Summers to simulate (at least 1).
    #[arg(long, value_name = "N")]
    pub years: usize,
    /// Folder of each summer's state and plan, and trajectory.csv / trajectory.md.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Re-form groups and pairings every summer (default: keep the first summer's).
    #[arg(long)]
    pub reform: bool,
    /// What fills a retiree's post: a new teacher of the same subject (`refill`), or nothing
    /// (`none`: the post stays open).
    #[arg(long, default_value = "refill", value_parser = ["refill", "none"])]
    pub hiring: String,
    #[command(flatten)]
    pub solve: super::SolveArgs,
}

/// Exit 0 when every summer was planned, else the highest code among them (1 when verify
/// found a violation in a planned summer).
pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let lang = langs.terminal;
    let hiring = Hiring::parse(&args.hiring)
        .ok_or_else(|| Error::Usage(format!("--hiring {:?}: use refill or none", args.hiring)))?;
    if args.years == 0 {
        return Err(Error::Usage("--years must be at least 1".into()));
    }
    let inst = super::load_instance(&args.instance)?;
    let policy = super::load_policy(&args.policy)?;
    let mut run = args.solve.run_options(langs);
    run.provenance = super::provenance(&args.instance, &[&args.policy])?;
    let opts = SimulateOptions {
        years: args.years,
        reform: args.reform,
        hiring,
        run,
    };
    let rows = simulate::run(&inst, &policy, &args.out, &opts)?;
    let violations: usize = rows.iter().map(|r| r.violations).sum();
    super::out(&say::simulated(
        lang,
        rows.len(),
        &args.out.join("trajectory.md"),
    ));
    let mut code = exit::OK;
    for r in rows.iter().filter(|r| r.error.is_some()) {
        super::err(&say::summer_failed(
            lang,
            r.year,
            r.error.as_deref().unwrap_or(""),
        ));
        code = code.max(exit::of_status(&r.headline.status));
    }
    if violations > 0 {
        super::err(&say::violations(lang, violations));
        code = code.max(exit::PROBLEMS);
    }
    Ok(ExitCode::from(code))
}
