//! `rotaplan simulate`: several summers in a row. Each summer the plan is made (groups and
//! pairings from the first summer unless `--reform`), checked with `verify` against that
//! summer's state, and applied; then a year passes, teachers retire and posts are refilled.

pub mod retirement;
pub mod state;

use std::path::Path;

use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};
use crate::headline::{Headline, fmt_num, markdown_table};
use crate::io::instance_writer::write_instance;
use crate::io::plan_files::{self, write_csv};
use crate::io::summary::Summary;
use crate::pipeline::{RunOptions, plan_county, step_rotate};
pub use state::Hiring;

/// Settings of a simulation run.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub years: usize,
    /// Re-form groups and pairings every summer instead of keeping the first summer's.
    pub reform: bool,
    pub hiring: Hiring,
    pub run: RunOptions,
}

/// One row of the trajectory.
#[derive(Debug, Clone)]
pub struct YearRow {
    pub year: i32,
    pub teachers: usize,
    pub retired: usize,
    pub hired: usize,
    pub returns: usize,
    pub headline: Headline,
    /// Teachers eligible for rotation under T7's definition, and how many of them moved.
    pub eligible: usize,
    pub eligible_moved: usize,
    /// Violations `verify` found in the year's plan (0 expected).
    pub violations: usize,
    pub error: Option<String>,
}

/// Runs the simulation into `out/<year>/{state,plan}/` and writes `trajectory.csv` and
/// `trajectory.md`.
pub fn run(
    inst: &Instance,
    policy: &Policy,
    out: &Path,
    opts: &SimulateOptions,
) -> Result<Vec<YearRow>> {
    std::fs::create_dir_all(out).map_err(Error::write(out))?;
    let mut state = inst.clone();
    let mut rows = Vec::new();
    let first_year = policy.plan_year;
    let first_plan = out.join(first_year.to_string()).join("plan");
    let bar = crate::progress::bar(opts.years, "simulate");
    for k in 0..opts.years {
        let year = first_year + k as i32;
        let mut p = policy.clone();
        p.plan_year = year;
        let (retired, hired) = if k == 0 {
            (0, 0)
        } else {
            state::retire_and_hire(&mut state, year, opts.hiring)
        };
        let year_dir = out.join(year.to_string());
        let state_dir = year_dir.join("state");
        let plan_dir = year_dir.join("plan");
        let previous_plan = out.join((year - 1).to_string()).join("plan");
        write_instance(&state, &state_dir).map_err(Error::write(&state_dir))?;
        // The year's plan comes from the year's state, not from the first instance: its
        // digests are the state files' (the policy file's entry is kept as given).
        let mut year_run = opts.run.clone();
        let state_files = crate::io::summary::Provenance::of_files(
            &crate::io::summary::instance_files(&state_dir),
        )
        .map_err(|(path, source)| Error::Read { path, source })?;
        year_run
            .provenance
            .inputs
            .retain(|name, _| name.ends_with(".toml"));
        year_run.provenance.inputs.extend(state_files.inputs);
        let planned = if k == 0 || opts.reform {
            // G7: each summer's regrouping keeps close to the summer before.
            let run = RunOptions {
                previous_groups: (k > 0).then(|| previous_plan.clone()),
                ..year_run.clone()
            };
            plan_county(&state, &p, &plan_dir, &run).map(|_| ())
        } else {
            reuse_groups_and_pairings(&first_plan, &plan_dir)
                .and_then(|()| step_rotate(&state, &p, &plan_dir, &year_run).map(|_| ()))
        };
        let mut row = YearRow {
            year,
            teachers: state.teachers.len(),
            retired,
            hired,
            returns: 0,
            headline: Headline::default(),
            eligible: 0,
            eligible_moved: 0,
            violations: 0,
            error: None,
        };
        if let Err(e) = planned {
            row.error = Some(e.to_string());
            row.headline.status = e.status().into();
            rows.push(row);
            break;
        }
        row.headline = Headline::from_summary(&Summary::load(&plan_dir));
        row.violations = verify_year(&state_dir, &p, &plan_dir)?;
        let returns = plan_files::read_returns(&plan_dir).map_err(Error::Input)?;
        let moves = plan_files::read_moves(&plan_dir).map_err(Error::Input)?;
        let (eligible, moved) = eligible_rotation(&state, &p, &moves);
        row.eligible = eligible;
        row.eligible_moved = moved;
        row.returns = returns.len();
        state::apply_plan(&mut state, &returns, &moves);
        state::advance_year(&mut state);
        rows.push(row);
        bar.inc(1);
    }
    bar.finish_and_clear();
    write_trajectory(&rows, out)?;
    Ok(rows)
}

fn reuse_groups_and_pairings(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(Error::write(to))?;
    for name in [
        plan_files::GROUPS,
        plan_files::PAIRINGS,
        crate::io::summary::SUMMARY,
    ] {
        let src = from.join(name);
        let bytes = std::fs::read(&src).map_err(|source| Error::Read {
            path: src.clone(),
            source,
        })?;
        let dst = to.join(name);
        crate::io::atomic::write_bytes_atomic(&dst, &bytes).map_err(Error::write(&dst))?;
    }
    // The copied summary keeps the groups and pairing steps; the rotation and metrics of the
    // first summer must not survive into this one.
    let mut s = Summary::load(to);
    s.root.retain(|k, _| k == "groups" || k == "pairing");
    s.save(to)
        .map_err(Error::write(to.join(crate::io::summary::SUMMARY)))
}

/// T7's eligible teachers in this summer's state, and how many of them the plan moves.
fn eligible_rotation(
    inst: &Instance,
    policy: &Policy,
    moves: &[crate::plan::MoveRow],
) -> (usize, usize) {
    let rot = &policy.rotation;
    let moved: std::collections::HashSet<&str> = moves.iter().map(|m| m.teacher.as_str()).collect();
    let (mut eligible, mut eligible_moved) = (0, 0);
    for t in &inst.teachers {
        let age = policy.plan_year - t.birth_year;
        let school = &inst.schools[t.school];
        let grouped_or_helper = school.helper || policy.track_of_stage(school.stage).is_some();
        let on_exchange = t.home_school.is_some();
        let age_exempt = !t.volunteer
            && match t.sex {
                crate::domain::Sex::Male => age >= rot.exempt_age_male,
                crate::domain::Sex::Female => age >= rot.exempt_age_female,
            };
        if grouped_or_helper
            && !on_exchange
            && !t.exempt
            && !age_exempt
            && t.years_at_school >= rot.eligible_years
        {
            eligible += 1;
            if moved.contains(t.id.as_str()) {
                eligible_moved += 1;
            }
        }
    }
    (eligible, eligible_moved)
}

/// Audits the year's plan against the year's state; violations and metric mismatches count.
fn verify_year(state_dir: &Path, policy: &Policy, plan_dir: &Path) -> Result<usize> {
    let report = crate::verify::verify_plan(state_dir, policy, plan_dir)?;
    Ok(report.violations.len() + report.metric_mismatches.len())
}

fn write_trajectory(rows: &[YearRow], out: &Path) -> Result<()> {
    let mut header: Vec<String> = ["year", "teachers", "retired", "hired", "returns"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(Headline::columns());
    header.extend(
        [
            "eligible",
            "eligible_moved",
            "eligible_rotated_share",
            "national_indicator",
            "meets_indicator",
            "verify_violations",
            "note",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let share = if r.eligible > 0 {
                Some(r.eligible_moved as f64 / r.eligible as f64)
            } else {
                None
            };
            let mut v = vec![
                r.year.to_string(),
                r.teachers.to_string(),
                r.retired.to_string(),
                r.hired.to_string(),
                r.returns.to_string(),
            ];
            v.extend(r.headline.cells());
            v.push(r.eligible.to_string());
            v.push(r.eligible_moved.to_string());
            v.push(fmt_num(share));
            v.push("0.1".into());
            v.push(share.map_or(String::new(), |s| (s + 1e-12 >= 0.1).to_string()));
            v.push(r.violations.to_string());
            v.push(r.error.clone().unwrap_or_default());
            v
        })
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let csv_path = out.join("trajectory.csv");
    write_csv(&csv_path, &refs, body.clone()).map_err(Error::write(&csv_path))?;
    let text = format!(
        "# Simulation trajectory\n\nOne row per summer. `eligible_rotated_share` is the share of teachers eligible under T7 (6+ years at their school, not exempt) who moved that summer, against the national 10% indicator.\n\n{}",
        markdown_table(&header, &body)
    );
    let md = out.join("trajectory.md");
    crate::io::atomic::write_bytes_atomic(&md, text.as_bytes()).map_err(Error::write(&md))
}
