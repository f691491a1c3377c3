//! The `rotaplan` command line: clap definitions here, one file per verb.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::Problems;
use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};

mod batch;
mod compare_pairing;
mod export;
mod generate;
mod groups;
mod import;
mod pair;
mod plan;
mod report;
mod rotate;
mod scenarios;
mod simulate;
mod validate;
mod verify;

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
    /// Form education groups (G1–G6) → DIR/groups.csv.
    Groups(groups::Args),
    /// Pair helpers with groups (P1–P4): read DIR/groups.csv, write DIR/pairings.csv.
    Pair(pair::Args),
    /// Run alternative pairing policies on the same groups and score them side by side.
    ComparePairing(compare_pairing::Args),
    /// Plan teacher moves (T1–T10): read groups and pairings, write DIR/moves.csv and DIR/returns.csv.
    Rotate(rotate::Args),
    /// Audit a plan against every rule from the plan files alone; exit 1 on any violation.
    Verify(verify::Args),
    /// groups, then pair, then rotate, into one plan folder.
    Plan(plan::Args),
    /// Run policy variants in parallel and write a comparison table.
    Scenarios(scenarios::Args),
    /// Several summers in a row: exchanges end, teachers return and retire, next plan.
    Simulate(simulate::Args),
    /// Plan every instance folder in DIR; one failure does not stop the rest.
    Batch(batch::Args),
    /// Write DIR/report.html: map, groups, charts, the move list with reasons.
    Report(report::Args),
    /// Check an instance (and optionally a policy); list every problem with file:line:column.
    Validate {
        instance: PathBuf,
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Convert a bureau workbook (Chinese sheet and header names accepted) to the CSV instance.
    Import(import::Args),
    /// Write a plan as a workbook: 分组, 结对, 交流名单, 汇总.
    Export(export::Args),
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
        Command::Groups(args) => groups::run(&args),
        Command::Pair(args) => pair::run(&args),
        Command::ComparePairing(args) => compare_pairing::run(&args),
        Command::Rotate(args) => rotate::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Scenarios(args) => scenarios::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Validate { instance, policy } => validate::run(&instance, policy.as_deref()),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
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
        Error::Input(Problems(vec![e.problem(
            &name,
            false,
            "pass the path of a policy TOML file",
        )]))
    })?;
    Policy::parse(&text, &name).map_err(Error::Input)
}

pub fn load_instance(path: &Path) -> Result<Instance> {
    crate::io::read_instance(path).map_err(Error::Input)
}
