//! The `rotaplan` command line: clap definitions here, one file per verb.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::Problems;
use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};
use crate::io::summary::{Provenance, instance_files};
use crate::lang::{Lang, Langs};
use crate::pipeline::RunOptions;

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
pub mod say;
mod scenarios;
mod simulate;
mod validate;
mod verify;

/// SPEC's exit codes, shown under `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  a plan was written (optimal or feasible), or the verb did what it was asked
  1  validate or verify found problems
  2  usage error, or an input a solving verb cannot read
  3  infeasible: the policy cannot be met (summary.json says why, status infeasible)
  4  stopped at the time limit before any solution (summary.json status time_limit)
A multi-step verb exits with the code of its first failing step; batch, scenarios and
simulate exit 0 when every unit was planned, else with the highest code among them.

Language: --lang zh|en; without it LC_ALL, LC_MESSAGES, LANG decide (zh… gives Chinese;
C, POSIX or no locale gives an English terminal and Chinese documents).";

#[derive(Parser, Debug)]
#[command(
    name = "rotaplan",
    version,
    about = "Education groups, urban-rural pairing and teacher rotation, solved as proven-optimal MIPs",
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// Language of the terminal, the report, the workbook and the reasons in plan files
    /// [default: from LC_ALL, LC_MESSAGES, LANG].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Form education groups (G1–G6) → PLAN/groups.csv.
    #[command(after_help = EXIT_CODES)]
    Groups(groups::Args),
    /// Pair helpers with groups (P1–P4): read PLAN/groups.csv, write PLAN/pairings.csv.
    #[command(after_help = EXIT_CODES)]
    Pair(pair::Args),
    /// Run alternative pairing policies on the same groups and score them side by side.
    #[command(after_help = EXIT_CODES)]
    ComparePairing(compare_pairing::Args),
    /// Plan teacher moves (T1–T10): read groups and pairings, write PLAN/moves.csv and PLAN/returns.csv.
    #[command(after_help = EXIT_CODES)]
    Rotate(rotate::Args),
    /// Audit a plan against every rule from the plan files alone; exit 1 on any violation.
    #[command(after_help = EXIT_CODES)]
    Verify(verify::Args),
    /// groups, then pair, then rotate, into one plan folder.
    #[command(after_help = EXIT_CODES)]
    Plan(plan::Args),
    /// Run policy variants in parallel and write a comparison table.
    #[command(after_help = EXIT_CODES)]
    Scenarios(scenarios::Args),
    /// Several summers in a row: exchanges end, teachers return and retire, next plan.
    #[command(after_help = EXIT_CODES)]
    Simulate(simulate::Args),
    /// Plan every instance folder in DIR; one failure does not stop the rest.
    #[command(after_help = EXIT_CODES)]
    Batch(batch::Args),
    /// Write PLAN/report.html: map, groups, charts, the move list with reasons.
    #[command(after_help = EXIT_CODES)]
    Report(report::Args),
    /// Check an instance (and optionally a policy); list every problem with file:line:column.
    #[command(after_help = EXIT_CODES)]
    Validate(validate::Args),
    /// Convert a bureau workbook (Chinese sheet and header names accepted) to the CSV instance.
    Import(import::Args),
    /// Write a plan as a workbook: 分组, 结对, 交流名单, 汇总.
    Export(export::Args),
    /// Write a synthetic county: `--profile hezhang`, or `--profile scale --schools N`.
    Generate(generate::Args),
}

/// The plan folder, one spelling across verbs: `--plan`, with SPEC's `--out` accepted
/// where SPEC writes it (groups, plan).
#[derive(clap::Args, Debug, Clone)]
pub struct PlanDir {
    /// The plan folder: groups.csv, pairings.csv, moves.csv, returns.csv, summary.json.
    #[arg(long = "plan", visible_alias = "out", value_name = "DIR")]
    pub plan: PathBuf,
}

/// The options every solving verb takes.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SolveArgs {
    /// Time limit of each solving step, in seconds (fractional accepted, e.g. 0.5)
    /// [default: the policy's [solver] time_limit_s, 60].
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Solver threads per solve; 0 lets HiGHS use every core
    /// [default: the policy's [solver] threads].
    #[arg(long, value_name = "N")]
    pub threads: Option<u32>,
    /// Show HiGHS's own log, interleaved with rotaplan's output (for a slow or surprising model).
    #[arg(long)]
    pub verbose: bool,
}

impl SolveArgs {
    /// The run options these flags give, in the documents' language of `langs`.
    pub fn run_options(&self, langs: Langs) -> RunOptions {
        crate::solve::mip::show_highs_log(self.verbose);
        RunOptions {
            time_limit_s: self.time_limit,
            threads: self.threads,
            lang: langs.documents,
            ..RunOptions::default()
        }
    }
}

fn positive_seconds(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!(
            "{s:?} is not a positive number of seconds (e.g. 60 or 0.5)"
        )),
    }
}

/// Parses the command line and runs the verb. Returns the terminal language (for the
/// error, if any) and the outcome; `Ok` carries the exit code for outcomes that are
/// answers, not failures (e.g. `validate` finding problems exits 1).
pub fn run() -> (Lang, Result<ExitCode>) {
    let cli = Cli::parse();
    let langs = Langs::resolve(cli.lang);
    let result = match cli.command {
        Command::Groups(args) => groups::run(&args, langs),
        Command::Pair(args) => pair::run(&args, langs),
        Command::ComparePairing(args) => compare_pairing::run(&args, langs),
        Command::Rotate(args) => rotate::run(&args, langs),
        Command::Verify(args) => verify::run(&args, langs),
        Command::Plan(args) => plan::run(&args, langs),
        Command::Scenarios(args) => scenarios::run(&args, langs),
        Command::Simulate(args) => simulate::run(&args, langs),
        Command::Batch(args) => batch::run(&args, langs),
        Command::Report(args) => report::run(&args, langs),
        Command::Validate(args) => validate::run(&args, langs),
        Command::Import(args) => import::run(&args, langs),
        Command::Export(args) => export::run(&args, langs),
        Command::Generate(args) => generate::run(&args, langs),
    };
    (langs.terminal, result)
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

/// Digests of the instance files in `instance` and of `others` (policy, locks, sweep).
pub fn provenance(instance: &Path, others: &[&Path]) -> Result<Provenance> {
    let mut files = instance_files(instance);
    files.extend(others.iter().map(|p| p.to_path_buf()));
    Provenance::of_files(&files).map_err(|(path, source)| Error::Read { path, source })
}

/// Prints a line on stdout; a closed pipe (`| head`) is not worth a panic, the files are
/// already written.
pub(crate) fn out(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Prints a line on stderr (progress, notes), ignoring a closed stream.
pub(crate) fn err(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
