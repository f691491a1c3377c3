//! `rotaplan scenarios INSTANCE --sweep S --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::{Error, Result, exit};
use crate::lang::Langs;
use crate::scenarios::{self, Sweep};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// Sweep TOML: `base = "policy.toml"` and [[variant]] sections with `set` / `grid`.
    #[arg(long, value_name = "FILE")]
    pub sweep: PathBuf,
    /// Folder of the variants' plans and comparison.csv / comparison.md.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub solve: super::SolveArgs,
}

/// Exit 0 when every variant was planned, else the highest code among them.
pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let inst = super::load_instance(&args.instance)?;
    let sweep = Sweep::load(&args.sweep).map_err(Error::Input)?;
    let mut opts = args.solve.run_options(langs);
    opts.provenance = super::provenance(&args.instance, &[&args.sweep])?;
    let results = scenarios::run(&inst, &sweep, &args.out, &opts)?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    for r in results.iter() {
        if let Some(why) = &r.error {
            super::err(&say::unit_failed(langs.terminal, &r.name, why));
        }
    }
    super::out(&say::units_done(
        langs.terminal,
        say::Unit::Variant,
        results.len(),
        failed,
        &args.out.join("comparison.md"),
    ));
    let code = results
        .iter()
        .filter(|r| r.error.is_some())
        .map(|r| exit::of_status(&r.headline.status))
        .max()
        .unwrap_or(exit::OK);
    Ok(ExitCode::from(code))
}
