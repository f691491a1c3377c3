//! `rotaplan groups`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};

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
    let _ = args;
    Err(Error::Usage("`groups` is not built yet".into()))
}
