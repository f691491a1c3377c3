//! The steps of a plan run on a plan folder: groups → pair → rotate. Verbs, scenarios,
//! simulations and batch runs all go through here, so every path writes the same files.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::Problems;
use crate::domain::grouping::Grouping;
use crate::domain::{Instance, PairingLevel, Policy};
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS};
use crate::io::summary::{Provenance, SUMMARY, Summary, step_block};
use crate::lang::Lang;
use crate::solve::groups::{GroupsOutcome, Previous, form_groups_in};
use crate::solve::mip::{MipOptions, SolveStatus};
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
    /// Last year's plan folder, whose `groups.csv` the groups step keeps close to (G7).
    pub previous_groups: Option<PathBuf>,
    /// The documents' language: the `reason` column of moves.csv and diff.csv.
    pub lang: Lang,
    /// Digests of the input files, stamped into every summary.json written.
    pub provenance: Provenance,
}

impl RunOptions {
    pub fn mip(&self, policy: &Policy) -> MipOptions {
        MipOptions {
            time_limit_s: self.time_limit_s.unwrap_or(policy.solver.time_limit_s),
            threads: self.threads.unwrap_or(policy.solver.threads),
        }
    }
}

/// The file of a plan folder listing, one name a line, the files made from its plan by
/// later verbs (`export` writing a workbook there), which a re-plan must remove with the
/// plan. Not a summary.json key: the workbook shows the summary, and must not change with
/// its own name.
pub const DERIVED_FILES: &str = ".derived-files";

/// Files a step's output makes stale: each step's own file and everything made from it.
const AFTER_GROUPS: &[&str] = &[
    plan_files::PAIRINGS,
    plan_files::MOVES,
    plan_files::RETURNS,
    DIFF,
    crate::report::REPORT,
    "comparison.csv",
    "comparison.md",
];
const AFTER_PAIRING: &[&str] = &[
    plan_files::MOVES,
    plan_files::RETURNS,
    DIFF,
    crate::report::REPORT,
];
const AFTER_ROTATION: &[&str] = &[DIFF, crate::report::REPORT];

/// Summary keys that a step keeps from the folder's summary: those of the steps before it.
const KEPT_BY_PAIRING: &[&str] = &["groups", "compare_pairing"];
const KEPT_BY_ROTATION: &[&str] = &["groups", "pairing", "compare_pairing"];

/// Removes `names` from `dir`, and every file the folder lists as made from the plan, so a
/// re-plan leaves no file that still shows the old plan.
fn remove_stale(dir: &Path, names: &[&str]) -> Result<()> {
    let list = dir.join(DERIVED_FILES);
    let recorded = std::fs::read_to_string(&list).unwrap_or_default();
    // Only plain names inside the folder: a damaged list must not reach elsewhere.
    let recorded = recorded
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty() && Path::new(n).file_name().is_some_and(|f| f == *n));
    for name in names.iter().copied().chain(recorded).chain([DERIVED_FILES]) {
        let p = dir.join(name);
        if p.is_file() {
            std::fs::remove_file(&p).map_err(Error::write(&p))?;
        }
    }
    Ok(())
}

/// The folder's summary with only the keys of earlier steps, stamped with this run's
/// provenance.
fn summary_for_step(dir: &Path, keep: &[&str], policy: &Policy, opts: &RunOptions) -> Summary {
    let mut summary = Summary::load(dir);
    summary.root.retain(|k, _| keep.contains(&k.as_str()));
    // The policy in force: the command line's limits override the file's.
    let mut effective = policy.clone();
    if let Some(t) = opts.time_limit_s {
        effective.solver.time_limit_s = t;
    }
    if let Some(n) = opts.threads {
        effective.solver.threads = n;
    }
    opts.provenance.stamp(&mut summary, &effective);
    summary
}

/// A step that ended without a plan: its status block, the names of its levels (a
/// lexicographic step), and the explanation under `reason`.
fn failed_block(status: SolveStatus, levels: &[&str], why: &str) -> Value {
    let mut m = step_block(status, Value::Null, Value::Null, Value::Null, 0.0);
    if !levels.is_empty() {
        m.insert(
            "levels".into(),
            Value::Array(
                levels
                    .iter()
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            ),
        );
    }
    m.insert("reason".into(), Value::String(why.to_string()));
    Value::Object(m)
}

/// Records a step that found no plan (infeasible, or no solution in time) in `summary`,
/// saves it, and returns the error the run ends with. `levels`: the step's level names,
/// empty for the groups step.
fn record_failure(
    dir: &Path,
    mut summary: Summary,
    step: &str,
    levels: &[&str],
    e: Error,
) -> Error {
    let status = match &e {
        Error::Infeasible(_) => SolveStatus::Infeasible,
        Error::TimeLimit(_) => SolveStatus::TimeLimit,
        _ => return e,
    };
    let why = e.to_string();
    summary.set(step, failed_block(status, levels, &why));
    if let Err(source) = summary.save(dir) {
        return Error::Write {
            path: dir.join(SUMMARY),
            source,
        };
    }
    e
}

/// Forms the groups, writes `groups.csv` and starts a fresh `summary.json` in `dir` (a new
/// plan starts here, so nothing of an older plan in the folder survives, in the summary or
/// beside it). No grouping (infeasible, or none in time) still writes the summary, with the
/// explanation.
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
    // Read before anything is written: the previous plan may be the folder being re-planned.
    let previous = match &opts.previous_groups {
        Some(prev) => Some(load_previous_groups(inst, prev)?),
        None => None,
    };
    let formed = form_groups_in(inst, policy, &mip, previous.as_ref(), opts.lang);
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    remove_stale(dir, AFTER_GROUPS)?;
    let summary = summary_for_step(dir, &[], policy, opts);
    let outcome = match formed {
        Ok(o) => o,
        Err(e) => {
            remove_stale(dir, &[GROUPS])?;
            return Err(record_failure(dir, summary, "groups", &[], e));
        }
    };
    plan_files::write_groups(dir, &outcome.rows).map_err(Error::write(dir.join(GROUPS)))?;
    let mut summary = summary;
    summary.set("groups", outcome.summary.clone());
    summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
    Ok(outcome)
}

/// Last year's `groups.csv` from the plan folder `prev` (G7).
pub fn load_previous_groups(inst: &Instance, prev: &Path) -> Result<Previous> {
    if !prev.join(GROUPS).exists() {
        return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
            prev, GROUPS, "groups",
        )])));
    }
    let rows = plan_files::read_groups(prev)?;
    Ok(Previous::from_rows(inst, &rows))
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
    remove_stale(dir, AFTER_PAIRING)?;
    let mut summary = summary_for_step(dir, KEPT_BY_PAIRING, policy, opts);
    if out.optimal.lex.solution().is_none() {
        remove_stale(dir, &[plan_files::PAIRINGS])?;
        let e = match out.optimal.lex.status() {
            SolveStatus::Infeasible => {
                Error::Infeasible("pairing: the pairing model has no solution".into())
            }
            _ => Error::TimeLimit(format!(
                "pairing: no pairing found within the time limit of {} s; raise --time-limit",
                opts.mip(policy).time_limit_s
            )),
        };
        return Err(record_failure(
            dir,
            summary,
            "pairing",
            &crate::solve::pairing::model::LEVELS,
            e,
        ));
    }
    let school_level = policy.pairing.level == PairingLevel::School;
    plan_files::write_pairings(dir, &out.rows, school_level)
        .map_err(Error::write(dir.join(plan_files::PAIRINGS)))?;
    summary.set("pairing", pairing::summary_json(&problem, &out));
    summary.save(dir).map_err(Error::write(dir.join(SUMMARY)))?;
    Ok(out)
}

/// Plans the moves for the groups and pairings in `dir`; writes `moves.csv`, `returns.csv`
/// and the `rotation` step and metrics of `summary.json`. An infeasible rotation, or one
/// with no solution in time, is recorded in the summary before the error is returned.
pub fn step_rotate(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<MovesOutcome> {
    let pins = load_pins(inst, opts)?;
    step_rotate_pinned(inst, policy, dir, opts, pins)
}

/// [`step_rotate`] with the locks and the published plan already read (`plan` reads them
/// before its groups step clears the folder, which may be the published plan's own).
fn step_rotate_pinned(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
    mut pins: Pins,
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
    pins.lang = opts.lang;
    let solved = plan_moves_pinned(
        inst,
        policy,
        &grouping,
        &pairing_rows,
        &opts.mip(policy),
        &pins,
    );
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    let stale: &[&str] = if pins.previous.is_some() {
        AFTER_ROTATION
    } else {
        // Without --previous there is no diff to rewrite: an older one is stale.
        &[DIFF, crate::report::REPORT]
    };
    remove_stale(dir, stale)?;
    let summary = summary_for_step(dir, KEPT_BY_ROTATION, policy, opts);
    let solved = solved.and_then(|out| {
        if out.status == SolveStatus::TimeLimit {
            Err(Error::TimeLimit(format!(
                "rotation: no plan of moves found within the time limit of {} s; raise --time-limit",
                opts.mip(policy).time_limit_s
            )))
        } else {
            Ok(out)
        }
    });
    let mut out = match solved {
        Ok(out) => out,
        Err(e) => {
            remove_stale(dir, &[plan_files::MOVES, plan_files::RETURNS])?;
            let levels = crate::solve::moves::level_names(policy, pins.previous.is_some());
            return Err(record_failure(dir, summary, "rotation", &levels, e));
        }
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
    let mut summary = summary;
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

/// A step of a full plan that has just ended, for progress lines.
pub enum StepDone<'a> {
    Groups(&'a GroupsOutcome),
    Pairing(&'a PairingOutcome),
    Rotation(&'a MovesOutcome),
}

/// All three steps into `dir`, returning each step's outcome.
pub fn plan_steps(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<PlanOutcome> {
    plan_steps_reporting(inst, policy, dir, opts, &mut |_| {})
}

/// All three steps into `dir`, telling `on_step` as each one ends (a county's plan can take
/// minutes; the planner sees each step finish).
pub fn plan_steps_reporting(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
    on_step: &mut dyn FnMut(StepDone<'_>),
) -> Result<PlanOutcome> {
    // Read before the groups step removes the old plan's moves.csv: `--previous` may name
    // the folder being re-planned.
    let pins = load_pins(inst, opts)?;
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    let groups = step_groups(inst, policy, dir, opts)?;
    on_step(StepDone::Groups(&groups));
    let pairing = step_pair(inst, policy, dir, opts)?;
    on_step(StepDone::Pairing(&pairing));
    let moves = step_rotate_pinned(inst, policy, dir, opts, pins)?;
    on_step(StepDone::Rotation(&moves));
    Ok(PlanOutcome {
        groups,
        pairing,
        moves,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_without_a_solution_in_time_is_recorded_as_time_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = record_failure(
            dir.path(),
            Summary::default(),
            "rotation",
            &["exchanges", "shortage", "teachers_moved", "km"],
            Error::TimeLimit("rotation: no plan of moves found within 0.5 s".into()),
        );
        assert_eq!(e.exit_code(), crate::error::exit::TIME_LIMIT);
        let s = Summary::load(dir.path());
        let block = s.root.get("rotation").expect("rotation block");
        assert_eq!(block["status"], "time_limit");
        assert!(block["objective"].is_null() && block["bound"].is_null());
        assert_eq!(block["levels"][3], "km");
        assert!(
            block["reason"]
                .as_str()
                .is_some_and(|r| r.contains("0.5 s"))
        );
    }

    #[test]
    fn stale_files_and_listed_workbooks_go_but_nothing_outside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = dir.path().join("plan");
        std::fs::create_dir_all(&plan).expect("mkdir");
        for f in ["moves.csv", "report.html", "plan.xlsx", "keep.txt"] {
            std::fs::write(plan.join(f), "x").expect("write");
        }
        std::fs::write(dir.path().join("outside.xlsx"), "x").expect("write");
        std::fs::write(plan.join(DERIVED_FILES), "plan.xlsx\n../outside.xlsx\n").expect("write");
        remove_stale(&plan, AFTER_PAIRING).expect("remove");
        for gone in ["moves.csv", "report.html", "plan.xlsx", DERIVED_FILES] {
            assert!(!plan.join(gone).exists(), "{gone}");
        }
        assert!(plan.join("keep.txt").exists());
        assert!(dir.path().join("outside.xlsx").exists());
    }
}
