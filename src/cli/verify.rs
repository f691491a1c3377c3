//! `rotaplan verify`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub plan: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let _ = args;
    Err(Error::Usage("`verify` is not built yet".into()))
}
