//! The steps of a plan run on a plan folder: groups → pair → rotate. Verbs, scenarios,
//! simulations and batch runs all go through here, so every path writes the same files.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::Problems;
use crate::domain::grouping::Grouping;
use crate::domain::{Instance, PairingLevel, Policy};
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS};
use crate::io::summary::{SUMMARY, Summary};
use crate::lang::Lang;
use crate::solve::groups::{GroupsOutcome, form_groups};
use crate::solve::mip::MipOptions;
use crate::solve::moves::pins::{self, Pins};
use crate::solve::moves::{MovesOutcome, plan_moves_pinned};
use crate::solve::pairing::{self, PairingOutcome, PairingProblem};

/// Options shared by every solving verb.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides `[solver] time_limit_s` for each step.
    pub time_limit_s: Option<f64>,
    /// Overrides `[solver] threads` (scenario and batch runs split the cores).
    pub threads: Option<u32>,
    pub locks: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    /// The documents language: reasons in `moves.csv`, `summary.json` and `diff.csv`.
    pub lang: Lang,
}

impl RunOptions {
    pub fn mip(&self, policy: &Policy) -> MipOptions {
        MipOptions {
            time_limit_s: self.time_limit_s.unwrap_or(policy.solver.time_limit_s),
            threads: self.threads.unwrap_or(policy.solver.threads),
        }
    }
}

/// Forms the groups, writes `groups.csv` and starts a fresh `summary.json` in `dir` (a new
/// plan starts here, so nothing of an older plan in the folder survives in the summary).
pub fn step_groups(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<GroupsOutcome> {
    let mip = opts.mip(policy);
    if mip.time_limit_s.is_nan() || mip.time_limit_s <= 0.0 {
        return Err(Error::Usage(
            "--time-limit must be a positive number of seconds".into(),
        ));
    }
    let outcome = form_groups(inst, policy, &mip)?;
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    for stale in [
        plan_files::PAIRINGS,
        plan_files::MOVES,
        plan_files::RETURNS,
        "diff.csv",
    ] {
        let p = dir.join(stale);
        if p.exists() {
            std::fs::remove_file(&p).map_err(Error::write(&p))?;
        }
    }
    plan_files::write_groups(dir, &outcome.rows).map_err(Error::write(dir.join(GROUPS)))?;
    let mut summary = Summary::default();
    summary.set("groups", outcome.summary.clone());
    summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
    Ok(outcome)
}

/// Reads `dir/groups.csv` into a [`Grouping`]. At school-level pairing the groups are
/// optional (a school's `group` column is then empty).
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

/// Pairs helpers with the groups of `dir/groups.csv`; writes `pairings.csv` and the
/// `pairing` step of `summary.json`.
pub fn step_pair(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<PairingOutcome> {
    let grouping = load_grouping(inst, dir, policy)?;
    let mut problem = PairingProblem::new(inst, &grouping, &policy.pairing);
    problem.lang = opts.lang;
    let out = pairing::pair(&problem, &opts.mip(policy))?;
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    let school_level = policy.pairing.level == PairingLevel::School;
    plan_files::write_pairings(dir, &out.rows, school_level)
        .map_err(Error::write(dir.join(plan_files::PAIRINGS)))?;
    let mut summary = Summary::load(dir);
    summary.set("pairing", pairing::summary_json(&problem, &out));
    summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
    Ok(out)
}

/// Plans the moves for the groups and pairings in `dir`; writes `moves.csv`, `returns.csv`
/// and the `rotation` step and metrics of `summary.json`. An infeasible rotation is recorded
/// in the summary before the error is returned.
pub fn step_rotate(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<MovesOutcome> {
    for (name, step) in [
        (plan_files::GROUPS, "groups"),
        (plan_files::PAIRINGS, "pair"),
    ] {
        if !dir.join(name).exists() {
            return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
                dir, name, step,
            )])));
        }
    }
    let grouping = Grouping::from_rows(inst, &plan_files::read_groups(dir)?)?;
    let pairing_rows = plan_files::read_pairings(dir)?;
    let mut pins = load_pins(inst, opts)?;
    pins.lang = opts.lang;
    let solved = plan_moves_pinned(
        inst,
        policy,
        &grouping,
        &pairing_rows,
        &opts.mip(policy),
        &pins,
    );
    let mut out = match solved {
        Ok(out) => out,
        Err(Error::Infeasible(why)) => {
            let mut summary = Summary::load(dir);
            let mut m = crate::io::summary::step_block(
                crate::solve::mip::SolveStatus::Infeasible,
                Value::Null,
                Value::Null,
                Value::Null,
                0.0,
            );
            m.insert("reason".into(), Value::String(why.clone()));
            summary.set("rotation", Value::Object(m));
            summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
            return Err(Error::Infeasible(why));
        }
        Err(e) => return Err(e),
    };
    crate::report::reasons::fill_reasons(
        inst,
        &grouping,
        &pairing_rows,
        &out.returns,
        &mut out.moves,
        opts.lang,
    );
    plan_files::write_moves(dir, &out.moves).map_err(Error::write(dir.join(plan_files::MOVES)))?;
    plan_files::write_returns(dir, &out.returns)
        .map_err(Error::write(dir.join(plan_files::RETURNS)))?;
    let mut rotation = out.rotation_summary();
    if pins.previous.is_some() {
        let diff = pins::diff(inst, &pins, &out.moves);
        plan_files::write_csv(
            &dir.join(DIFF),
            &["teacher", "previous", "now", "reason"],
            diff.iter().map(|d| {
                vec![
                    d.teacher.clone(),
                    d.previous.clone(),
                    d.now.clone(),
                    d.reason.clone(),
                ]
            }),
        )
        .map_err(Error::write(dir.join(DIFF)))?;
        let mut prev = serde_json::Map::new();
        prev.insert("changed".into(), Value::from(diff.len()));
        rotation.insert("previous".into(), Value::Object(prev));
    }
    if !pins.locks.is_empty() {
        rotation.insert("locks".into(), Value::from(pins.locks.len()));
    }
    let mut summary = Summary::load(dir);
    summary.set("rotation", Value::Object(rotation));
    let metrics = crate::metrics::rotation_metrics(
        inst,
        policy,
        &grouping,
        &out.returns,
        &out.moves,
        &out.shortage_by_subject,
    );
    for (k, v) in metrics {
        summary.set(&k, v);
    }
    summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
    Ok(out)
}

/// `diff.csv`: the teachers whose outcome changed from the published plan (`--previous`).
pub const DIFF: &str = "diff.csv";

/// The locks file and the published plan of `opts`, read before anything is written (the
/// published plan may be the folder being re-planned).
fn load_pins(inst: &Instance, opts: &RunOptions) -> Result<Pins> {
    let locks = match &opts.locks {
        Some(path) => crate::io::locks::read_locks(path, inst)?,
        None => Vec::new(),
    };
    let previous = match &opts.previous {
        Some(prev) => {
            if !prev.join(plan_files::MOVES).exists() {
                return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
                    prev,
                    plan_files::MOVES,
                    "rotate",
                )])));
            }
            let moves = plan_files::read_moves(prev)?;
            Some(Pins::previous_outcomes(inst, &moves)?)
        }
        None => None,
    };
    Ok(Pins::new(inst.teachers.len(), locks, previous))
}

/// All three steps into `dir`; returns the final summary.
pub fn plan_county(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<Summary> {
    plan_steps(inst, policy, dir, opts)?;
    Ok(Summary::load(dir))
}

/// What each step of a full plan did.
pub struct PlanOutcome {
    pub groups: GroupsOutcome,
    pub pairing: PairingOutcome,
    pub moves: MovesOutcome,
}

/// All three steps into `dir`, returning each step's outcome.
pub fn plan_steps(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<PlanOutcome> {
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    let groups = step_groups(inst, policy, dir, opts)?;
    let pairing = step_pair(inst, policy, dir, opts)?;
    let moves = step_rotate(inst, policy, dir, opts)?;
    Ok(PlanOutcome {
        groups,
        pairing,
        moves,
    })
}
