//! `rotaplan generate --profile NAME --seed N [--schools N] --out DIR`.

use std::path::Path;
use std::process::ExitCode;

use crate::error::{Error, Result};
use crate::generate::{Profile, generate};

pub fn run(profile: &str, seed: u64, schools: Option<usize>, out: &Path) -> Result<ExitCode> {
    let profile = Profile::parse(profile, schools).map_err(|e| Error::Usage(e.to_string()))?;
    let report = generate(&profile, seed, out).map_err(|e| Error::Usage(e.to_string()))?;
    println!(
        "wrote {}: {} townships, {} schools ({} helpers), {} teachers",
        out.display(),
        report.townships,
        report.schools,
        report.helpers,
        report.teachers
    );
    Ok(ExitCode::SUCCESS)
}
