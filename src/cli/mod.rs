//! The `rotaplan` command line: clap definitions here, one file per verb.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{Problem, Problems};
use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};

mod generate;
mod validate;

#[derive(Parser, Debug)]
#[command(
    name = "rotaplan",
    version,
    about = "Education groups, urban-rural pairing and teacher rotation, solved as proven-optimal MIPs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check an instance (and optionally a policy); list every problem with file:line:column.
    Validate {
        instance: PathBuf,
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Write a synthetic county: `--profile hezhang`, or `--profile scale --schools N`.
    Generate {
        #[arg(long)]
        profile: String,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(long)]
        schools: Option<usize>,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Parses the command line and runs the verb. `Ok` carries the exit code for outcomes that
/// are answers, not failures (e.g. `validate` finding problems exits 1).
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { instance, policy } => validate::run(&instance, policy.as_deref()),
        Command::Generate {
            profile,
            seed,
            schools,
            out,
        } => generate::run(&profile, seed, schools, &out),
    }
}

/// Reads a policy file, locating problems in it by its file name.
pub fn load_policy(path: &Path) -> Result<Policy> {
    let name = path.display().to_string();
    let text = crate::io::text::read_text(path).map_err(|e| {
        Error::Input(Problems(vec![Problem::new(
            &name,
            format!("cannot read the policy: {e}"),
            "pass the path of a policy TOML file",
        )]))
    })?;
    Policy::parse(&text, &name).map_err(Error::Input)
}

pub fn load_instance(path: &Path) -> Result<Instance> {
    crate::io::read_instance(path).map_err(Error::Input)
}
