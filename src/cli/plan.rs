//! `rotaplan plan`.

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
    #[arg(long)]
    pub time_limit: Option<f64>,
    #[arg(long)]
    pub locks: Option<PathBuf>,
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let _ = args;
    Err(Error::Usage("`plan` is not built yet".into()))
}
