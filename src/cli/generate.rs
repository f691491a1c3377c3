//! `rotaplan generate --profile NAME --seed N [--schools N] --out DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::{Error, Result};
use crate::generate::{Profile, generate};
use crate::lang::Langs;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which county: `hezhang` (赫章县 as its 2021 documents set it up) or `scale` (a generic
    /// county of --schools schools, for benchmarks).
    #[arg(long, value_parser = ["hezhang", "scale"])]
    pub profile: String,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Number of schools (`--profile scale` only).
    #[arg(long)]
    pub schools: Option<usize>,
    /// The instance folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let profile =
        Profile::parse(&args.profile, args.schools).map_err(|e| Error::Usage(e.to_string()))?;
    let report =
        generate(&profile, args.seed, &args.out).map_err(|e| Error::Usage(e.to_string()))?;
    super::out(&say::generated(
        langs.terminal,
        &args.out,
        &say::Generated {
            townships: report.townships,
            schools: report.schools,
            helpers: report.helpers,
            teachers: report.teachers,
        },
    ));
    Ok(ExitCode::SUCCESS)
}
