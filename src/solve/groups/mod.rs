//! Education groups (G1–G6): one MIP per track, tracks solved in parallel.
//!
//! A track becomes a [`TrackProblem`] (units: schools, or whole townships in township mode),
//! counting conditions are checked first ([`explain`]), a heuristic incumbent warm-starts the
//! model ([`incumbent`]), capacity cuts tighten the LP relaxation ([`cuts`]), Lagrangian
//! penalties and the LP's reduced costs prune useless pairs, and HiGHS proves the optimum
//! ([`model`], [`solve`]). The Lagrangian relaxation ([`lagrangian`])
//! adds a bound and, repaired into groupings ([`repair`]), incumbents; tracks too large for
//! one model are improved by exact sub-models ([`neighbourhood`], [`reduced`]).

pub mod cpmp;
pub mod cuts;
pub mod explain;
pub mod incumbent;
pub mod lagrangian;
pub mod model;
pub mod near;
pub mod neighbourhood;
pub mod previous;
pub mod problem;
pub mod reduced;
pub mod repair;
pub mod school_mode;
pub mod solve;
pub mod township_mode;

#[cfg(test)]
mod tests;

use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

pub use previous::Previous;
pub use problem::{Assignment, Core, TrackProblem, Unit};
pub use solve::Tuning;

use crate::domain::instance::Instance;
use crate::domain::policy::{Policy, TrackMode, TrackPolicy};
use crate::error::Error;
use crate::io::summary::{num, step_block};
use crate::lang::Lang;
use crate::plan::{GroupRow, Role};
use crate::solve::mip::{MipOptions, SolveStatus, relative_gap};

/// One formed group.
#[derive(Debug, Clone)]
pub struct FormedGroup {
    /// `<track>-<k>`, k numbered by core school id.
    pub id: String,
    pub core: usize,
    /// School indices: the core first, then by school id.
    pub schools: Vec<usize>,
}

/// One track's result.
#[derive(Debug, Clone)]
pub struct TrackOutcome {
    pub track: String,
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub seconds: f64,
    pub groups: Vec<FormedGroup>,
    /// Objective of the heuristic warm start, when one was found.
    pub incumbent: Option<f64>,
    /// G7, with `--previous`: what stayed and what stability cost.
    pub previous: Option<Stability>,
}

/// G7's figures for one track.
#[derive(Debug, Clone)]
pub struct Stability {
    /// Schools of the track that are in the previous `groups.csv`.
    pub compared: usize,
    /// Of those, the ones that changed group.
    pub changed: usize,
    /// What a fresh regrouping (D*) would have changed.
    pub changed_fresh: usize,
    pub fresh_status: SolveStatus,
    /// D*, the fresh optimum (or best found), and its bound.
    pub fresh_objective: f64,
    pub fresh_bound: f64,
    pub tolerance: f64,
    /// Objective − D*: extra distance paid so that schools stay put.
    pub stability_cost: f64,
}

/// All tracks: plan rows, and the value of summary key `"groups"`.
#[derive(Debug, Clone)]
pub struct GroupsOutcome {
    pub tracks: Vec<TrackOutcome>,
    /// Sorted: policy track order, group number, core first, then school id.
    pub rows: Vec<GroupRow>,
    pub summary: Value,
}

/// The track as a model problem.
pub fn track_problem(inst: &Instance, track: &TrackPolicy) -> TrackProblem {
    match track.mode {
        TrackMode::Schools => school_mode::build(inst, track),
        TrackMode::Townships => township_mode::build(inst, track),
    }
}

/// Forms the groups of every track of `policy` (in parallel). An infeasible track is an
/// [`Error::Infeasible`] naming the track and the numbers; one with no solution within the
/// time limit an [`Error::TimeLimit`].
pub fn form_groups(
    inst: &Instance,
    policy: &Policy,
    options: &MipOptions,
) -> Result<GroupsOutcome, Error> {
    form_groups_with(inst, policy, options, None)
}

/// [`form_groups`], regrouping against last year's groups when `previous` is given (G7).
pub fn form_groups_with(
    inst: &Instance,
    policy: &Policy,
    options: &MipOptions,
    previous: Option<&Previous>,
) -> Result<GroupsOutcome, Error> {
    form_groups_in(inst, policy, options, previous, Lang::En)
}

/// [`form_groups_with`], explaining an infeasible or timed-out track in `lang`.
pub fn form_groups_in(
    inst: &Instance,
    policy: &Policy,
    options: &MipOptions,
    previous: Option<&Previous>,
    lang: Lang,
) -> Result<GroupsOutcome, Error> {
    let started = Instant::now();
    let results: Vec<Result<TrackOutcome, Error>> = policy
        .tracks
        .par_iter()
        .map(|t| solve_track_in(inst, t, options, Tuning::default(), previous, lang))
        .collect();
    let mut tracks = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(t) => tracks.push(t),
            Err(Error::Infeasible(m)) => failures.push(m),
            Err(e) => return Err(e),
        }
    }
    if !failures.is_empty() {
        return Err(Error::Infeasible(failures.join("\n")));
    }
    let rows = rows(inst, &tracks);
    let summary = summary(inst, &tracks, started.elapsed().as_secs_f64());
    Ok(GroupsOutcome {
        tracks,
        rows,
        summary,
    })
}

/// Solves one track.
pub fn solve_track(
    inst: &Instance,
    track: &TrackPolicy,
    options: &MipOptions,
    tuning: Tuning,
) -> Result<TrackOutcome, Error> {
    solve_track_with(inst, track, options, tuning, None)
}

/// Solves one track; with `previous`, G7 regroups within the tolerance. The fresh solve then
/// gets half the time limit and the regrouping the rest.
pub fn solve_track_with(
    inst: &Instance,
    track: &TrackPolicy,
    options: &MipOptions,
    tuning: Tuning,
    previous: Option<&Previous>,
) -> Result<TrackOutcome, Error> {
    solve_track_in(inst, track, options, tuning, previous, Lang::En)
}

/// [`solve_track_with`], explaining an infeasible or timed-out track in `lang`.
pub fn solve_track_in(
    inst: &Instance,
    track: &TrackPolicy,
    options: &MipOptions,
    tuning: Tuning,
    previous: Option<&Previous>,
    lang: Lang,
) -> Result<TrackOutcome, Error> {
    let started = Instant::now();
    let p = track_problem(inst, track);
    if p.units.is_empty() {
        return Ok(TrackOutcome {
            track: track.name.clone(),
            status: SolveStatus::Optimal,
            objective: 0.0,
            bound: 0.0,
            gap: 0.0,
            seconds: started.elapsed().as_secs_f64(),
            groups: Vec::new(),
            incumbent: None,
            previous: None,
        });
    }
    if let Some(why) = explain::precheck_in(&p, lang) {
        return Err(Error::Infeasible(why));
    }
    let fresh_options = match previous {
        Some(_) => MipOptions {
            time_limit_s: options.time_limit_s / 2.0,
            ..*options
        },
        None => *options,
    };
    let mut r = solve::solve(&p, &fresh_options, tuning)?;
    let mut stability = None;
    if let Some(prev) = previous {
        let left = MipOptions {
            time_limit_s: options.time_limit_s - started.elapsed().as_secs_f64(),
            ..*options
        };
        let g = previous::regroup(&p, prev, r, track.regroup_tolerance, &left)?;
        stability = Some(Stability {
            compared: g.compared,
            changed: g.changed,
            changed_fresh: g.changed_fresh,
            fresh_status: g.fresh_status,
            fresh_objective: g.fresh_objective,
            fresh_bound: g.fresh_bound,
            tolerance: track.regroup_tolerance,
            stability_cost: g.stability_cost(),
        });
        r = g.solved;
    }
    let assign = match (&r.assign, r.status) {
        (Some(a), _) => a,
        (None, SolveStatus::Infeasible) => {
            return Err(Error::Infeasible(explain::after_infeasible_in(
                &p, options, lang,
            )));
        }
        (None, _) => {
            return Err(Error::TimeLimit(explain::out_of_time(
                &p,
                options.time_limit_s,
                r.status,
                lang,
            )));
        }
    };
    Ok(TrackOutcome {
        track: track.name.clone(),
        status: r.status,
        objective: r.objective,
        bound: r.bound,
        gap: r.gap,
        seconds: started.elapsed().as_secs_f64(),
        groups: formed_groups(inst, &p, assign, previous),
        incumbent: r.incumbent,
        previous: stability,
    })
}

/// Groups of an assignment, numbered by core school id; with `previous`, a group whose
/// core led a group last year keeps that id and the others take the smallest free numbers.
fn formed_groups(
    inst: &Instance,
    p: &TrackProblem,
    assign: &[usize],
    previous: Option<&Previous>,
) -> Vec<FormedGroup> {
    let mut groups: Vec<(usize, Vec<usize>)> = p
        .groups(assign)
        .into_iter()
        .map(|(c, us)| {
            let core = p.cores[c].school;
            let mut schools: Vec<usize> = us
                .iter()
                .flat_map(|&u| p.units[u].schools.iter().copied())
                .filter(|&s| s != core)
                .collect();
            schools.sort_by(|&a, &b| inst.schools[a].id.cmp(&inst.schools[b].id));
            schools.insert(0, core);
            (core, schools)
        })
        .collect();
    groups.sort_by(|a, b| inst.schools[a.0].id.cmp(&inst.schools[b.0].id));
    let kept: Vec<Option<String>> = groups
        .iter()
        .map(|(core, _)| previous.and_then(|prev| prev.id_of_core(*core).map(String::from)))
        .collect();
    let taken: std::collections::BTreeSet<String> = kept.iter().flatten().cloned().collect();
    let mut next = 1;
    let mut out: Vec<FormedGroup> = groups
        .into_iter()
        .zip(kept)
        .map(|((core, schools), kept)| {
            let id = kept.unwrap_or_else(|| {
                loop {
                    let id = format!("{}-{}", p.name, next);
                    next += 1;
                    if !taken.contains(&id) {
                        break id;
                    }
                }
            });
            FormedGroup { id, core, schools }
        })
        .collect();
    out.sort_by(|a, b| group_order(&a.id).cmp(&group_order(&b.id)));
    out
}

/// Groups in the order of their number (`compulsory-2` before `compulsory-10`).
fn group_order(id: &str) -> (u64, &str) {
    let number = id
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    (number, id)
}

fn rows(inst: &Instance, tracks: &[TrackOutcome]) -> Vec<GroupRow> {
    let mut out = Vec::new();
    for t in tracks {
        for g in &t.groups {
            for &s in &g.schools {
                out.push(GroupRow {
                    track: t.track.clone(),
                    group: g.id.clone(),
                    school: inst.schools[s].id.clone(),
                    role: if s == g.core {
                        Role::Core
                    } else {
                        Role::Member
                    },
                });
            }
        }
    }
    out
}

fn stability_json(st: &Stability) -> Value {
    json!({
        "schools_compared": st.compared,
        "schools_changed": st.changed,
        "schools_changed_fresh": st.changed_fresh,
        "regroup_tolerance": num(st.tolerance),
        "fresh_status": st.fresh_status.as_str(),
        "fresh_objective": num(st.fresh_objective),
        "fresh_bound": num(st.fresh_bound),
        "stability_cost_km": num(st.stability_cost),
    })
}

fn group_json(inst: &Instance, g: &FormedGroup) -> Value {
    let students: u64 = g
        .schools
        .iter()
        .map(|&s| u64::from(inst.schools[s].students))
        .sum();
    let mean = g
        .schools
        .iter()
        .map(|&s| inst.schools[s].quality)
        .sum::<f64>()
        / g.schools.len().max(1) as f64;
    let far = g
        .schools
        .iter()
        .map(|&s| inst.distance(s, g.core))
        .fold(0.0, f64::max);
    json!({
        "group": g.id,
        "core": inst.schools[g.core].id,
        "schools": g.schools.iter().map(|&s| inst.schools[s].id.clone()).collect::<Vec<_>>(),
        "students": students,
        "mean_quality": num(mean),
        "max_distance_km": num(far),
    })
}

/// The value of summary key `"groups"`: the step block (weakest status, summed objective and
/// bound, recomputed gap, wall seconds) and one block per track.
fn summary(inst: &Instance, tracks: &[TrackOutcome], seconds: f64) -> Value {
    let status = tracks
        .iter()
        .map(|t| t.status)
        .fold(SolveStatus::Optimal, SolveStatus::combine);
    let objective: f64 = tracks.iter().map(|t| t.objective).sum();
    let bound: f64 = tracks.iter().map(|t| t.bound).sum();
    let mut top = step_block(
        status,
        num(objective),
        num(bound),
        num(relative_gap(objective, bound)),
        seconds,
    );
    let mut per = Map::new();
    for t in tracks {
        let mut b = step_block(
            t.status,
            num(t.objective),
            num(t.bound),
            num(t.gap),
            t.seconds,
        );
        b.insert(
            "groups".into(),
            Value::Array(t.groups.iter().map(|g| group_json(inst, g)).collect()),
        );
        if let Some(st) = &t.previous {
            b.insert("previous".into(), stability_json(st));
        }
        per.insert(t.track.clone(), Value::Object(b));
    }
    top.insert("tracks".into(), Value::Object(per));
    let stable: Vec<&Stability> = tracks.iter().filter_map(|t| t.previous.as_ref()).collect();
    if !stable.is_empty() {
        top.insert(
            "previous".into(),
            json!({
                "schools_compared": stable.iter().map(|s| s.compared).sum::<usize>(),
                "schools_changed": stable.iter().map(|s| s.changed).sum::<usize>(),
                "schools_changed_fresh": stable.iter().map(|s| s.changed_fresh).sum::<usize>(),
                "fresh_objective": num(stable.iter().map(|s| s.fresh_objective).sum()),
                "stability_cost_km": num(stable.iter().map(|s| s.stability_cost).sum()),
            }),
        );
    }
    Value::Object(top)
}
