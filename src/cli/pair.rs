//! `rotaplan pair INSTANCE --policy P --plan DIR`: read `DIR/groups.csv`, solve the pairing
//! MIP (P1–P4), write `DIR/pairings.csv` and the `"pairing"` block of `DIR/summary.json`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::Problems;
use crate::domain::grouping::Grouping;
use crate::domain::{Instance, PairingLevel, Policy};
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS};
use crate::io::summary::Summary;
use crate::solve::mip::MipOptions;
use crate::solve::pairing::{self, PairingOutcome, PairingProblem};

/// Uncovered slots listed on the terminal; summary.json has them all.
const SHOWN_UNCOVERED: usize = 20;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    /// Plan folder: groups.csv is read from it, pairings.csv and summary.json written to it.
    #[arg(long)]
    pub plan: PathBuf,
    /// Overrides `[solver] time_limit_s`.
    #[arg(long)]
    pub time_limit: Option<f64>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let grouping = load_grouping(&inst, &args.plan, &policy)?;
    let options = solver_options(&policy, args.time_limit);
    let out = pair_into(&inst, &policy, &grouping, &args.plan, &options)?;
    let lex = &out.optimal.lex;
    let problem = PairingProblem::new(&inst, &grouping, &policy.pairing);
    // A closed pipe (`| head`) is not worth a panic: the files are already written.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "pairing {}: {} of {} slots covered (weight {} of {}), {} km; wrote {}",
        lex.status().as_str(),
        out.metrics.covered_slots,
        problem.slots.iter().filter(|s| s.real).count(),
        pairing::explain::fmt(out.metrics.covered_weight),
        pairing::explain::fmt(problem.total_weight()),
        pairing::explain::fmt(out.metrics.total_km),
        args.plan.join(plan_files::PAIRINGS).display()
    );
    for u in out.uncovered.iter().take(SHOWN_UNCOVERED) {
        let _ = writeln!(
            stdout,
            "  uncovered {}: {}",
            problem.slot_label(&problem.slots[u.slot]),
            u.reason
        );
    }
    if out.uncovered.len() > SHOWN_UNCOVERED {
        let _ = writeln!(
            stdout,
            "  … and {} more uncovered slots, each with its reason in summary.json",
            out.uncovered.len() - SHOWN_UNCOVERED
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--time-limit` over `[solver]`.
pub(crate) fn solver_options(policy: &Policy, time_limit: Option<f64>) -> MipOptions {
    MipOptions {
        time_limit_s: time_limit.unwrap_or(policy.solver.time_limit_s),
        threads: policy.solver.threads,
    }
}

/// Reads and resolves `dir/groups.csv`. At school level the file is optional (a school
/// without a group is paired all the same); at group level it is required.
pub fn load_grouping(inst: &Instance, dir: &Path, policy: &Policy) -> Result<Grouping> {
    let path = dir.join(GROUPS);
    if !path.exists() {
        if policy.pairing.level == PairingLevel::School {
            return Grouping::from_rows(inst, &[]).map_err(Error::Input);
        }
        return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
            dir, GROUPS, "groups",
        )])));
    }
    let rows = plan_files::read_groups(dir)?;
    Ok(Grouping::from_rows(inst, &rows)?)
}

/// Solves the pairing for `grouping` and writes `dir/pairings.csv` and the `"pairing"` key
/// of `dir/summary.json` (the step `plan` runs after `groups`).
pub fn pair_into(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    dir: &Path,
    options: &MipOptions,
) -> Result<PairingOutcome> {
    let problem = PairingProblem::new(inst, grouping, &policy.pairing);
    let out = pairing::pair(&problem, options)?;
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    let school_level = policy.pairing.level == PairingLevel::School;
    plan_files::write_pairings(dir, &out.rows, school_level)
        .map_err(Error::write(dir.join(plan_files::PAIRINGS)))?;
    let mut summary = Summary::load(dir);
    summary.set("pairing", pairing::summary_json(&problem, &out));
    summary
        .save(dir)
        .map_err(Error::write(dir.join(crate::io::summary::SUMMARY)))?;
    Ok(out)
}
