//! The moves problem (T1–T10): who transfers inside their group and who goes on a one-year
//! exchange along a pairing, lexicographically maximising the exchanges made, then
//! minimising the weighted shortage, the teachers moved and the km.
//!
//! Pipeline: [`state`] applies T4 (returns), [`classes`] aggregates interchangeable teachers,
//! [`arcs`] lists the allowed moves, the county splits into independent parts solved in
//! parallel by [`model`], [`extract`] turns flows into `moves.csv` rows with the tie-break,
//! and [`explain`] says why a pairing falls short or why the floor cannot be met.

pub mod arcs;
pub mod classes;
pub mod cover;
mod cv_model;
pub mod engine;
pub mod explain;
pub mod extract;
pub mod floor_start;
pub mod indicators;
pub mod model;
pub mod pins;
#[cfg(test)]
mod proptests;
pub mod state;
#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::diagnostics::{Problem, Problems};
use crate::domain::grouping::Grouping;
use crate::domain::instance::Instance;
use crate::domain::policy::{Policy, TransferScope};
use crate::domain::stage::SlotStage;
use crate::error::Error;
use crate::io::summary::{num, step_block};
use crate::plan::{MoveRow, PairingRow, ReturnRow};
use crate::solve::mip::{MipOptions, PROVEN_GAP, SolveStatus, relative_gap};

use arcs::{Arc, ArcKind};
use classes::Class;
use explain::Shortfall;
use model::{CHANGES_LEVEL, Component, ComponentSolution, LEVELS, LevelStat};
use pins::Pins;
use state::RotationState;

/// With `transfer_scope = "county"`, the share of the time limit kept for the group-scope
/// plan that stands in when the county model is not proven.
const GROUP_SCOPE_SHARE: f64 = 0.2;

/// The least time the cv level gets once the default plan is made.
const CV_MIN_SECONDS: f64 = 0.1;

/// A pairing resolved to indices, with the schools an exchange along it may reach.
#[derive(Debug, Clone)]
pub struct Pairing {
    pub helper: usize,
    pub group: Option<usize>,
    /// Set at school level.
    pub school: Option<usize>,
    pub slot: SlotStage,
    /// Schools of the group serving the slot (or the pairing's own school).
    pub partners: Vec<usize>,
}

/// Everything the model parts share: the instance, the state after returns, interned
/// subjects, demand, pairings and the T2 caps.
pub struct Context<'a> {
    pub inst: &'a Instance,
    pub policy: &'a Policy,
    pub grouping: &'a Grouping,
    pub state: &'a RotationState,
    /// Subject names, ascending; ids index this.
    pub subjects: Vec<String>,
    pub subject_index: HashMap<String, usize>,
    /// Per school: subject id → positions.
    pub demand: Vec<BTreeMap<usize, u32>>,
    /// Per subject id: shortage weight.
    pub weight: Vec<f64>,
    pub pairings: Vec<Pairing>,
    /// Per school: pairings it is a partner school of.
    pub partner_pairings: Vec<Vec<usize>>,
    /// Per group: staff after returns and the T2 cap.
    pub staff: Vec<u32>,
    pub caps: Vec<u32>,
    /// Locks and the published plan ([`pins::NO_PINS`] for a plain run).
    pub pins: &'a Pins,
}

impl<'a> Context<'a> {
    pub fn new(
        inst: &'a Instance,
        policy: &'a Policy,
        grouping: &'a Grouping,
        state: &'a RotationState,
        pairing_rows: &[PairingRow],
    ) -> Result<Context<'a>, Error> {
        let mut names: Vec<String> = inst
            .teachers
            .iter()
            .flat_map(|t| std::iter::once(t.subject.clone()).chain(t.second_subject.clone()))
            .chain(inst.demand.iter().map(|d| d.subject.clone()))
            .collect();
        names.sort();
        names.dedup();
        let subject_index: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i))
            .collect();
        let mut demand = vec![BTreeMap::new(); inst.schools.len()];
        for d in &inst.demand {
            *demand[d.school]
                .entry(subject_index[&d.subject])
                .or_insert(0) += d.positions;
        }
        let weight = names.iter().map(|s| policy.rotation.weight(s)).collect();
        let pairings = resolve_pairings(inst, grouping, pairing_rows)?;
        let mut partner_pairings = vec![Vec::new(); inst.schools.len()];
        for (pi, p) in pairings.iter().enumerate() {
            for &s in &p.partners {
                partner_pairings[s].push(pi);
            }
        }
        let mut staff = vec![0u32; grouping.groups.len()];
        for &l in &state.loc {
            if let Some(g) = grouping.school_group.get(l).copied().flatten() {
                staff[g] += 1;
            }
        }
        let caps = staff
            .iter()
            .map(|&s| group_cap(policy.rotation.cross_cap_share, s))
            .collect();
        Ok(Context {
            inst,
            policy,
            grouping,
            state,
            subjects: names,
            subject_index,
            demand,
            weight,
            pairings,
            partner_pairings,
            staff,
            caps,
            pins: &pins::NO_PINS,
        })
    }

    /// Main subject then second subject, as ids.
    pub fn teacher_subjects(&self, t: usize) -> Vec<usize> {
        let tt = &self.inst.teachers[t];
        std::iter::once(&tt.subject)
            .chain(tt.second_subject.as_ref())
            .map(|s| self.subject_index[s])
            .collect()
    }

    /// At a grouped school or a helper (T7's "where").
    pub fn grouped_or_helper(&self, school: usize) -> bool {
        self.grouping.school_group[school].is_some() || self.inst.schools[school].helper
    }

    pub fn school_id(&self, s: usize) -> &str {
        &self.inst.schools[s].id
    }
}

/// T2: floor(share × staff + 1e-9).
pub fn group_cap(share: f64, staff: u32) -> u32 {
    (share * staff as f64 + 1e-9).floor().max(0.0) as u32
}

fn resolve_pairings(
    inst: &Instance,
    grouping: &Grouping,
    rows: &[PairingRow],
) -> Result<Vec<Pairing>, Error> {
    let mut problems = Problems::default();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let Some(helper) = inst.school_by_id(&r.helper) else {
            problems.push(
                Problem::new(
                    "pairings.csv",
                    format!("unknown helper school `{}`", r.helper),
                    "use a school id from schools.csv",
                )
                .at(line, 1)
                .value(&r.helper),
            );
            continue;
        };
        let group = if r.group.trim().is_empty() {
            None
        } else {
            match grouping.group_by_id(&r.group) {
                Some(g) => Some(g),
                None => {
                    problems.push(
                        Problem::new(
                            "pairings.csv",
                            format!("unknown group `{}`", r.group),
                            "use a group id from groups.csv",
                        )
                        .at(line, 2)
                        .value(&r.group),
                    );
                    continue;
                }
            }
        };
        let school = match r.school.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(id) => match inst.school_by_id(id) {
                Some(s) => Some(s),
                None => {
                    problems.push(
                        Problem::new(
                            "pairings.csv",
                            format!("unknown school `{id}`"),
                            "use a school id from schools.csv",
                        )
                        .at(line, 4)
                        .value(id),
                    );
                    continue;
                }
            },
        };
        if school.is_none() && group.is_none() {
            problems.push(
                Problem::new(
                    "pairings.csv",
                    "a pairing needs a group or a school",
                    "fill the `group` column (or `school` at school level)",
                )
                .at_line(line),
            );
            continue;
        }
        let serves =
            |s: usize| s != helper && inst.schools[s].stage.served_slots().contains(&r.stage);
        let partners: Vec<usize> = match (school, group) {
            (Some(s), _) => [s].into_iter().filter(|&s| serves(s)).collect(),
            (None, Some(g)) => grouping.groups[g]
                .schools
                .iter()
                .copied()
                .filter(|&s| serves(s))
                .collect(),
            (None, None) => Vec::new(),
        };
        out.push(Pairing {
            helper,
            group,
            school,
            slot: r.stage,
            partners,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}

/// The result of `rotate`.
#[derive(Debug, Clone)]
pub struct MovesOutcome {
    /// Sorted by teacher id.
    pub moves: Vec<MoveRow>,
    /// Sorted by teacher id.
    pub returns: Vec<ReturnRow>,
    /// Per level, summed over the independent parts.
    pub levels: Vec<LevelStat>,
    pub status: SolveStatus,
    pub seconds: f64,
    pub shortfalls: Vec<Shortfall>,
    /// Weighted shortage by subject: (before moves, after).
    pub shortage_by_subject: BTreeMap<String, (f64, f64)>,
    /// How many independent parts the county split into, and the model size.
    pub parts: usize,
    pub classes: usize,
    pub arcs: usize,
    /// Level names, in the order of `levels`.
    pub level_names: Vec<&'static str>,
}

impl MovesOutcome {
    pub fn shortage_before(&self) -> f64 {
        self.shortage_by_subject.values().map(|v| v.0).sum()
    }
    pub fn shortage_after(&self) -> f64 {
        self.shortage_by_subject.values().map(|v| v.1).sum()
    }

    /// The `"rotation"` value of summary.json.
    pub fn rotation_summary(&self) -> Map<String, Value> {
        let arr = |f: &dyn Fn(&LevelStat) -> f64| {
            Value::Array(self.levels.iter().map(|l| num(f(l))).collect())
        };
        let mut m = step_block(
            self.status,
            arr(&|l| l.objective),
            arr(&|l| l.bound),
            arr(&|l| relative_gap(l.objective, l.bound)),
            self.seconds,
        );
        m.insert(
            "levels".into(),
            Value::Array(
                self.level_names
                    .iter()
                    .map(|n| Value::String((*n).into()))
                    .collect(),
            ),
        );
        m.insert(
            "exchange_shortfalls".into(),
            Value::Array(self.shortfalls.iter().map(Shortfall::to_json).collect()),
        );
        m.insert("returns".into(), Value::from(self.returns.len()));
        m
    }
}

/// Plans this summer's moves: one lexicographic MIP over class flows, solved per
/// independent part in parallel.
pub fn plan_moves(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    pairings: &[PairingRow],
    options: &MipOptions,
) -> Result<MovesOutcome, Error> {
    plan_moves_with(
        inst,
        policy,
        grouping,
        pairings,
        options,
        ModelKind::Aggregated,
        &pins::NO_PINS,
    )
}

/// [`plan_moves`] under the planner's locks (hard constraints, checked against the rules
/// first) and, with a published plan, a fifth level keeping as many of its outcomes as the
/// four optimal levels allow.
pub fn plan_moves_pinned(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    pairings: &[PairingRow],
    options: &MipOptions,
    pins: &Pins,
) -> Result<MovesOutcome, Error> {
    let county = policy.rotation.transfer_scope == TransferScope::County;
    let started = std::time::Instant::now();
    // With the county scope, a share of the limit is kept back for the group-scope plan
    // below, so that the two together keep to the limit.
    let first = MipOptions {
        time_limit_s: if county {
            options.time_limit_s * (1.0 - GROUP_SCOPE_SHARE)
        } else {
            options.time_limit_s
        },
        ..*options
    };
    let out = plan_moves_with(
        inst,
        policy,
        grouping,
        pairings,
        &first,
        ModelKind::Aggregated,
        pins,
    )?;
    if !county || out.status == SolveStatus::Optimal {
        return Ok(out);
    }
    // The county model can stop at the limit with a poor plan (every class reaches every
    // grouped school). A group-scope plan keeps every county-scope rule (T1 admits the own
    // group, T2 charges the same cap), so when it is better it is the plan to write, under
    // the county model's bounds where they still hold.
    let mut narrow = policy.clone();
    narrow.rotation.transfer_scope = TransferScope::Group;
    let quick = MipOptions {
        time_limit_s: (options.time_limit_s - started.elapsed().as_secs_f64())
            .max(options.time_limit_s * GROUP_SCOPE_SHARE * 0.5),
        ..*options
    };
    match plan_moves_with(
        inst,
        &narrow,
        grouping,
        pairings,
        &quick,
        ModelKind::Aggregated,
        pins,
    ) {
        Ok(alt) if alt.level_names == out.level_names && lex_better(&alt, &out) => {
            Ok(under_bounds_of(alt, &out))
        }
        _ => Ok(out),
    }
}

/// Whether `a`'s level values are lexicographically better than `b`'s (the first level is
/// maximised, the others minimised).
fn lex_better(a: &MovesOutcome, b: &MovesOutcome) -> bool {
    for (i, (x, y)) in a.levels.iter().zip(&b.levels).enumerate() {
        let (x, y) = (x.objective, y.objective);
        if (x - y).abs() <= PROVEN_GAP * x.abs().max(y.abs()).max(1.0) {
            continue;
        }
        return if i == 0 { x > y } else { x < y };
    }
    false
}

/// `plan` reported under the bounds of the county run `county`. The first level's bound
/// holds for any county plan; a later level's holds only when every earlier level was proven
/// by the county run at the value `plan` also reaches (the later bounds were computed with
/// those values pinned); elsewhere 0, which bounds every minimised level.
fn under_bounds_of(mut plan: MovesOutcome, county: &MovesOutcome) -> MovesOutcome {
    let mut conditional_holds = true;
    for i in 0..plan.levels.len() {
        let bound = if i == 0 || conditional_holds {
            county.levels[i].bound
        } else {
            0.0
        };
        let c = county.levels[i];
        let proven_same = relative_gap(c.objective, c.bound) <= PROVEN_GAP
            && relative_gap(plan.levels[i].objective, c.objective) <= PROVEN_GAP;
        conditional_holds &= proven_same;
        let l = &mut plan.levels[i];
        l.bound = bound;
        l.status = SolveStatus::of_gap(l.objective, bound);
    }
    plan.status = plan
        .levels
        .iter()
        .map(|l| l.status)
        .reduce(SolveStatus::combine)
        .unwrap_or(SolveStatus::Feasible);
    plan.seconds += county.seconds;
    plan
}

/// The same model with one binary per teacher and arc (no aggregation), kept to measure
/// what aggregation buys.
#[doc(hidden)]
pub fn plan_moves_per_teacher(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    pairings: &[PairingRow],
    options: &MipOptions,
) -> Result<MovesOutcome, Error> {
    plan_moves_with(
        inst,
        policy,
        grouping,
        pairings,
        options,
        ModelKind::PerTeacher,
        &pins::NO_PINS,
    )
}

/// Which model `rotate` solves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModelKind {
    /// Classes on the live engine ([`engine`]): the product.
    Aggregated,
    /// The same, without the LP-first pass (tests reach its fallback this way).
    LevelByLevel,
    /// One binary per teacher and arc, rebuilt per level: the reference.
    PerTeacher,
}

fn plan_moves_with(
    inst: &Instance,
    policy: &Policy,
    grouping: &Grouping,
    pairing_rows: &[PairingRow],
    options: &MipOptions,
    model_kind: ModelKind,
    pins: &Pins,
) -> Result<MovesOutcome, Error> {
    let aggregate = model_kind != ModelKind::PerTeacher;
    let started = Instant::now();
    let state = RotationState::new(inst, policy);
    let mut ctx = Context::new(inst, policy, grouping, &state, pairing_rows)?;
    ctx.pins = pins;
    pins::check_locks(&ctx, pins)?;
    let fine = classes::build_classes(&ctx, aggregate);
    let (classes, arcs) = if aggregate {
        let first = arcs::build_arcs(&ctx, &fine);
        let merged = classes::merge_by_arcs(fine.clone(), &first, &ctx);
        let arcs = arcs::build_arcs(&ctx, &merged);
        (merged, arcs)
    } else {
        let arcs = arcs::build_arcs(&ctx, &fine);
        (fine.clone(), arcs)
    };
    let arcs = pins.restrict_arcs(&classes, arcs);
    let floor = if policy.rotation.national_floor {
        let req = explain::floor_requirement(&ctx, &classes);
        explain::check_floor_bounds(&ctx, &classes, &arcs, req)?;
        Some(req)
    } else {
        None
    };
    let (parts, rest) = components(&ctx, &classes, &arcs, true);
    // The floor's start is made only when the floored part is not proven at once (see
    // `engine::solve_component`): it costs a solve of the unfloored parts.
    let floor_start = |seconds: f64| -> Result<Option<model::Start>, crate::solve::mip::MipError> {
        match floor {
            Some(req) if parts.len() == 1 => {
                let (split, _) = components(&ctx, &classes, &arcs, false);
                let opts = MipOptions {
                    time_limit_s: seconds,
                    ..*options
                };
                floor_start::floor_start(&ctx, &classes, &arcs, &split, req, &opts)
            }
            _ => Ok(None),
        }
    };
    let options = &MipOptions {
        time_limit_s: (options.time_limit_s - started.elapsed().as_secs_f64()).max(1.0),
        ..*options
    };
    let solving = Instant::now();
    // The floor binds moves only, and every school with an arc is in one part when it is
    // on; the rest (no arcs) must not carry it.
    let solve_all = || -> Vec<Result<ComponentSolution, _>> {
        parts
            .par_iter()
            .map(|c| (c, floor))
            .chain(rayon::iter::once((&rest, None)))
            .map(|(c, f)| {
                if aggregate {
                    let start: &engine::StartOnDemand<'_> = &floor_start;
                    let start = f.map(|_| start);
                    engine::solve_component(
                        &ctx,
                        &classes,
                        &arcs,
                        c,
                        f,
                        options,
                        start,
                        model_kind != ModelKind::LevelByLevel,
                    )
                } else {
                    model::solve_component(&ctx, &classes, &arcs, c, f, options)
                }
            })
            .collect()
    };
    let solved = match narrower_pool(options.threads) {
        Some(pool) => pool.install(solve_all),
        None => solve_all(),
    };
    let mut sols = Vec::with_capacity(solved.len());
    for s in solved {
        sols.push(s?);
    }
    // The cv level couples the county: its own pipeline, classes split by the indicators,
    // in the time the parts left; their plan is the fallback when it proves nothing better.
    let cv_run = if policy.indicators.minimise_cv_excess {
        // At least a moment: the default plan is there already, and a limit spent is the
        // user's.
        let left = MipOptions {
            time_limit_s: (options.time_limit_s - solving.elapsed().as_secs_f64())
                .max(CV_MIN_SECONDS),
            ..*options
        };
        let default = indicators::DefaultPlan {
            classes: &classes,
            arcs: &arcs,
            sols: &sols,
        };
        Some(indicators::solve(&ctx, &default, floor, &left)?)
    } else {
        None
    };
    if std::env::var_os("ROTAPLAN_DEBUG").is_some() {
        for (c, s) in parts.iter().chain(std::iter::once(&rest)).zip(&sols) {
            eprintln!(
                "part: {} schools, {} classes, {} arcs: {:?}",
                c.schools.len(),
                c.classes.len(),
                c.arcs.len(),
                s.levels
            );
        }
    }
    let (classes, arcs) =
        match cv_run.map(|r| indicators::fallback(&ctx, r, &classes, &arcs, &sols)) {
            Some(run) => {
                sols = vec![run.solution];
                (run.classes, run.arcs)
            }
            None => (classes, arcs),
        };
    let level_names = level_names(policy, pins.previous.is_some());
    let levels = merge_levels(&sols, level_names.len());
    let status = levels
        .iter()
        .map(|l| l.status)
        .reduce(SolveStatus::combine)
        .unwrap_or(SolveStatus::Infeasible);
    if status == SolveStatus::Infeasible {
        if !pins.locks.is_empty() {
            return Err(Error::Infeasible(pins::infeasible_locks(&ctx, pins)));
        }
        return Err(Error::Infeasible(explain::floor_infeasible(
            &ctx, &classes, &arcs, floor,
        )));
    }
    let mut flows: Vec<(usize, u32)> = sols.iter().flat_map(|s| s.flows.iter().copied()).collect();
    let mut arcs = arcs;
    let mut levels = levels;
    // A shortage level stopped short of proof leaves its incumbent's placement, and a move
    // that covers nothing in the model may still fill a post where it arrives: the plan
    // written places everyone who stays or arrives where they help most, and reports that.
    let after = match levels
        .get_mut(1)
        .filter(|l| l.status != SolveStatus::Optimal)
    {
        Some(l) => {
            let cover = cover::best_cover(&ctx, &classes, &arcs, &flows, options)?;
            flows = cover::apply(&mut arcs, &flows, &cover);
            l.objective = cover.total();
            if l.status == SolveStatus::Feasible {
                l.status = SolveStatus::of_gap(l.objective, l.bound);
            }
            cover.by_subject
        }
        None => {
            let stays: Vec<((usize, usize), u32)> =
                sols.iter().flat_map(|s| s.stays.iter().copied()).collect();
            extract::shortage_by_subject(&ctx, &classes, &arcs, &flows, &stays)
        }
    };
    let status = levels
        .iter()
        .map(|l| l.status)
        .reduce(SolveStatus::combine)
        .unwrap_or(SolveStatus::Infeasible);
    let moves = extract::extract_moves(&ctx, &classes, &arcs, &flows);
    let before = cover::best_cover(&ctx, &classes, &[], &[], options)?.by_subject;
    let mut shortage_by_subject = BTreeMap::new();
    for (k, name) in ctx.subjects.iter().enumerate() {
        let (b, a) = (before[k], after[k]);
        if b > 0.0 || a > 0.0 || ctx.demand.iter().any(|d| d.contains_key(&k)) {
            shortage_by_subject.insert(name.clone(), (b, a));
        }
    }
    let shortfalls = explain::shortfalls(&ctx, &fine, &arcs, &flows);
    Ok(MovesOutcome {
        moves,
        returns: state.returns.clone(),
        levels,
        status,
        seconds: started.elapsed().as_secs_f64(),
        shortfalls,
        shortage_by_subject,
        parts: parts.len(),
        classes: classes.len(),
        arcs: arcs.len(),
        level_names,
    })
}

/// The names of the moves levels, in order (SPEC Objectives): the cv level when the policy
/// turns it on, the changes level when a published plan is given.
pub fn level_names(policy: &Policy, previous: bool) -> Vec<&'static str> {
    let mut names = LEVELS.to_vec();
    if policy.indicators.minimise_cv_excess {
        names.insert(2, indicators::CV_LEVEL);
    }
    if previous {
        names.push(CHANGES_LEVEL);
    }
    names
}

/// A pool of `threads` workers when `[solver] threads` asks for fewer than the current pool
/// has, so that parts solved side by side never use more cores than allowed (each solve then
/// gets one HiGHS thread, see `mip::highs_threads`).
fn narrower_pool(threads: u32) -> Option<rayon::ThreadPool> {
    let wanted = threads as usize;
    if wanted == 0 || wanted >= rayon::current_num_threads() {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(wanted)
        .build()
        .ok()
}

/// Splits the county into parts no constraint links: schools joined by an arc, a group's
/// transfer sources (T2 cap), and, under the national floor, every school with an arc.
/// Schools without arcs form one last part (`rest`) where only subject choice remains.
fn components(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    join_floor: bool,
) -> (Vec<Component>, Component) {
    let n = ctx.inst.schools.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p[ra.max(rb)] = ra.min(rb);
        }
    };
    let mut has_arc = vec![false; n];
    let mut group_anchor: BTreeMap<usize, usize> = BTreeMap::new();
    let mut floor_anchor: Option<usize> = None;
    for a in arcs {
        let s = classes[a.class].school;
        has_arc[s] = true;
        has_arc[a.dest] = true;
        union(&mut parent, s, a.dest);
        if a.kind == ArcKind::Transfer
            && let Some(g) = ctx.grouping.school_group[s]
        {
            let anchor = *group_anchor.entry(g).or_insert(s);
            union(&mut parent, anchor, s);
        }
        if join_floor && ctx.policy.rotation.national_floor {
            let anchor = *floor_anchor.get_or_insert(s);
            union(&mut parent, anchor, s);
        }
    }
    let mut parts: BTreeMap<usize, Component> = BTreeMap::new();
    let mut rest = Component::default();
    for (s, &arced) in has_arc.iter().enumerate() {
        if arced {
            let r = find(&mut parent, s);
            parts.entry(r).or_default().schools.push(s);
        } else {
            rest.schools.push(s);
        }
    }
    for (ci, c) in classes.iter().enumerate() {
        if has_arc[c.school] {
            let r = find(&mut parent, c.school);
            if let Some(p) = parts.get_mut(&r) {
                p.classes.push(ci);
            }
        } else {
            rest.classes.push(ci);
        }
    }
    for (ai, a) in arcs.iter().enumerate() {
        let r = find(&mut parent, classes[a.class].school);
        if let Some(p) = parts.get_mut(&r) {
            p.arcs.push(ai);
        }
    }
    (parts.into_values().collect(), rest)
}

/// Sums the parts level by level: objectives and bounds add, a level is proven when the
/// summed gap is, seconds take the longest (parts run side by side).
fn merge_levels(sols: &[ComponentSolution], n: usize) -> Vec<LevelStat> {
    (0..n)
        .map(|i| {
            let mut out = LevelStat {
                status: SolveStatus::Optimal,
                objective: 0.0,
                bound: 0.0,
                seconds: 0.0,
            };
            for s in sols {
                match s.levels.get(i) {
                    Some(l) => {
                        out.status = out.status.combine(l.status);
                        out.objective += l.objective;
                        out.bound += l.bound;
                        out.seconds = out.seconds.max(l.seconds);
                    }
                    None => {
                        // An earlier level failed; this one was never reached.
                        let last = s.levels.last().map_or(SolveStatus::TimeLimit, |l| l.status);
                        out.status = out.status.combine(if last.has_solution() {
                            SolveStatus::TimeLimit
                        } else {
                            last
                        });
                        out.objective = f64::NAN;
                        out.bound = f64::NAN;
                    }
                }
            }
            // The summed bound bounds the summed objective: the level is proven when that
            // gap is, whatever each part's own status says.
            if out.status.has_solution() {
                out.status = SolveStatus::of_gap(out.objective, out.bound);
            }
            out
        })
        .collect()
}
