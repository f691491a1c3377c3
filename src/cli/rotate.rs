//! `rotaplan rotate`.

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
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long)]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let _ = args;
    Err(Error::Usage("`rotate` is not built yet".into()))
}
