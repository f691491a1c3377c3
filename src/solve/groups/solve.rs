//! Solving one track: heuristic incumbent and Lagrangian bound, Lagrangian fixing, rounds
//! of the LP relaxation tightened by capacity cuts ([`cuts`]; each LP's most-open cores
//! seed a heuristic start, reduced-cost fixing shrinks the next LP), then the MIP, cuts
//! included, to optimality.
//!
//! Reduced-cost fixing: with LP bound LB and reduced cost d of a variable at 0, any solution
//! using it costs at least LB + d. A solution better than the incumbent UB costs at most
//! UB (or UB − 1 when every cost is an integer), so variables with LB + d above that are
//! left out of the model. The incumbent's own variables stay, so the reduced model holds
//! the incumbent and every strictly better solution: its optimum is the track's optimum.
//! Lagrangian fixing ([`lagrangian::Lagrangian::fix`]) is the same test with the
//! relaxation's exact penalties. An LP over the pairs kept bounds every better solution,
//! so min(its bound, the incumbent) is a bound of the track.
//!
//! Tracks whose full model is too large (more than [`MAX_MODEL_PAIRS`] pairs, e.g. the
//! 3,038-point p3038 benchmarks) never reach HiGHS whole: the Lagrangian search gives the
//! bound and, through its repairs, the first grouping; the exact-neighbourhood search and a
//! reduced core improve that grouping; the track reports it with status `feasible` and the
//! Lagrangian bound.

use std::time::{Duration, Instant};

use super::cuts::{self, Cut, LpPoint};
use super::incumbent;
use super::lagrangian;
use super::model::{self, Allowed, Built};
use super::near::Near;
use super::neighbourhood;
use super::problem::{Assignment, TrackProblem};
use super::reduced;
use super::repair;
use crate::solve::mip::{MipError, MipOptions, MipResult, Sense, SolveStatus, relative_gap};

/// What one track's solve proved.
#[derive(Debug, Clone)]
pub struct Solved {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub seconds: f64,
    pub assign: Option<Assignment>,
    /// Objective of the heuristic incumbent, when one was found.
    pub incumbent: Option<f64>,
    /// LP relaxation bound, when computed.
    pub lp_bound: Option<f64>,
    /// (unit, core) pairs in the last MIP after reduced-cost fixing, of those that fit.
    pub pairs_kept: (usize, usize),
}

/// Switches for measuring each ingredient; the default is what `groups` uses.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    pub heuristic: bool,
    pub reduced_cost_fixing: bool,
    pub lagrangian: bool,
    /// Capacity cuts on the LP relaxation (and in the MIP).
    pub cuts: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            heuristic: true,
            reduced_cost_fixing: true,
            lagrangian: true,
            cuts: true,
        }
    }
}

/// Reduced costs of the LP relaxation.
struct Lp {
    bound: f64,
    pair: Vec<Vec<(usize, f64)>>,
    core: Vec<Option<f64>>,
    /// Cores by decreasing LP value of y (ties by index).
    ranked: Vec<usize>,
    point: LpPoint,
}

impl Lp {
    fn solve(
        p: &TrackProblem,
        allowed: &Allowed,
        cuts: &[Cut],
        options: &MipOptions,
    ) -> Result<Option<Lp>, MipError> {
        let mut lp = model::build(p, allowed, true);
        lp.add_cuts(p, cuts);
        let r = lp
            .model
            .solve(&lp.objective, Sense::Minimise, options, None)?;
        if r.status != SolveStatus::Optimal {
            return Ok(None);
        }
        let mut ranked: Vec<(f64, usize)> =
            lp.y.iter()
                .enumerate()
                .filter_map(|(c, y)| y.map(|v| (r.value(v), c)))
                .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(Some(Lp {
            point: lp.point(p, |v| r.value(v)),
            ranked: ranked.into_iter().map(|(_, c)| c).collect(),
            bound: r.objective,
            pair: lp
                .x
                .iter()
                .map(|row| row.iter().map(|&(c, v)| (c, r.reduced_cost(v))).collect())
                .collect(),
            core: lp.y.iter().map(|y| y.map(|v| r.reduced_cost(v))).collect(),
        }))
    }

    /// The pairs and cores that a solution at least `step` better than `ub`, or `inc`
    /// itself, may use.
    fn fix(&self, base: &Allowed, inc: &[usize], ub: f64, step: f64) -> Allowed {
        let slack = ub - step - self.bound + 1e-6 * ub.abs().max(1.0);
        let mut allowed = base.clone();
        for (u, row) in self.pair.iter().enumerate() {
            for &(c, d) in row {
                if inc[u] != c && d > slack {
                    allowed.pair[u][c] = false;
                }
            }
        }
        for (c, d) in self.core.iter().enumerate() {
            if let Some(d) = d
                && !inc.contains(&c)
                && *d > slack
            {
                allowed.core[c] = false;
            }
        }
        allowed
    }
}

/// The objective's granularity: 1 when every cost is an integer and there is no balance
/// term (so a better solution is better by at least 1), else 0.
fn step(p: &TrackProblem) -> f64 {
    let integral = !p.has_balance()
        && p.cost
            .iter()
            .flatten()
            .all(|c| (c - c.round()).abs() < 1e-9);
    if integral { 1.0 } else { 0.0 }
}

/// Models with more (unit, core) pairs than this are not built: HiGHS would need more memory
/// and time than a county run has; the track then reports its heuristic grouping and a
/// valid bound, status `feasible`.
pub const MAX_MODEL_PAIRS: usize = 2_000_000;

/// Below this many seconds left, HiGHS is not started.
const MIN_SOLVE_S: f64 = 0.05;

/// Σ over units of the cheapest core the unit may join: every grouping pays at least that.
pub fn trivial_bound(p: &TrackProblem, allowed: &Allowed) -> f64 {
    (0..p.units.len())
        .map(|u| {
            (0..p.cores.len())
                .filter(|&c| allowed.core[c] && (p.cores[c].home == u || allowed.pair[u][c]))
                .map(|c| p.cost[u][c])
                .fold(f64::INFINITY, f64::min)
        })
        .sum()
}

fn run(
    p: &TrackProblem,
    mip: &Built,
    options: &MipOptions,
    warm: Option<&[usize]>,
) -> Result<(MipResult, Option<Assignment>), MipError> {
    let warm = warm.map(|a| mip.warm_start(p, a));
    let r = mip
        .model
        .solve(&mip.objective, Sense::Minimise, options, warm.as_deref())?;
    let assign = r
        .status
        .has_solution()
        .then(|| mip.assignment(p, |v| r.is_one(v)))
        .filter(|a| a.iter().all(|&c| c < p.cores.len()));
    Ok((r, assign))
}

/// The step's clock: everything (heuristics, model building, HiGHS) shares one limit.
struct Clock {
    started: Instant,
    deadline: Instant,
    options: MipOptions,
}

impl Clock {
    fn new(options: &MipOptions) -> Clock {
        let started = Instant::now();
        let limit = if options.time_limit_s.is_finite() {
            options.time_limit_s.max(0.0)
        } else {
            1e9
        };
        Clock {
            started,
            deadline: started + Duration::from_secs_f64(limit),
            options: *options,
        }
    }

    fn left(&self) -> f64 {
        self.deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    fn mip(&self) -> MipOptions {
        MipOptions {
            time_limit_s: self.left(),
            ..self.options
        }
    }

    /// The instant when `share` of the whole limit has passed.
    fn share(&self, share: f64) -> Instant {
        let total = self.deadline.saturating_duration_since(self.started);
        self.started + total.mul_f64(share)
    }

    fn out_of_time(&self) -> bool {
        self.left() < MIN_SOLVE_S
    }
}

pub fn solve(p: &TrackProblem, options: &MipOptions, tuning: Tuning) -> Result<Solved, MipError> {
    let clock = Clock::new(options);
    let deadline = incumbent::Deadline(Some(clock.deadline));
    let use_lagrangian = tuning.lagrangian && lagrangian::applies(p);
    let inc = if tuning.heuristic && !(use_lagrangian && p.units.len() > LARGE_UNITS) {
        incumbent::find_until(p, incumbent::Deadline(Some(clock.share(0.5))))
    } else {
        None
    };
    let base = Allowed::fitting(p);
    let fitting = base.pairs();
    let mut floor = trivial_bound(p, &base);
    let (inc, lagrangian, near) = if use_lagrangian {
        let (i, l, n) = with_lagrangian(p, inc, &clock, fitting <= MAX_MODEL_PAIRS);
        (i, l, Some(n))
    } else {
        (inc, None, None)
    };
    let heuristic_value = inc.as_ref().map(|a| p.objective(a));
    debug(&clock, || {
        format!(
            "heuristics: incumbent {heuristic_value:?}, lagrangian {:?}, trivial {floor:.4}",
            lagrangian.as_ref().map(|l| (l.bound, l.iterations))
        )
    });
    if let Some(l) = &lagrangian {
        floor = floor.max(l.bound);
    }
    if fitting > MAX_MODEL_PAIRS
        && let (Some(l), Some(near), Some(a)) = (&lagrangian, &near, &inc)
        && !clock.out_of_time()
    {
        let (better, kept) = improve_on_reduced_core(p, near, l, a, &clock)?;
        let mut s = unsolved(
            p,
            Some(better),
            floor,
            &clock,
            heuristic_value,
            None,
            fitting,
        );
        s.pairs_kept = (kept, fitting);
        return Ok(s);
    }
    if clock.out_of_time() || fitting > MAX_MODEL_PAIRS {
        return Ok(unsolved(
            p,
            inc,
            floor,
            &clock,
            heuristic_value,
            None,
            fitting,
        ));
    }
    let mut cuts = Vec::new();
    let step = step(p);
    let tightened = match (&inc, tuning.reduced_cost_fixing) {
        (Some(a), true) => {
            // Lagrangian fixing first: the LP then starts on the pairs that can still pay.
            let start = match (&lagrangian, &near) {
                (Some(l), Some(n)) => l.fix(p, n, &base, a, p.objective(a), step),
                _ => base.clone(),
            };
            debug(&clock, || {
                format!(
                    "Lagrangian fixing: {} of {fitting} pairs kept",
                    start.pairs()
                )
            });
            let rounds = if tuning.cuts { CUT_ROUNDS } else { 0 };
            tightened_lp(
                p,
                &start,
                a.clone(),
                step,
                (&mut cuts, rounds),
                &clock,
                deadline,
            )?
        }
        _ => None,
    };
    let Some(Tightened {
        lp,
        allowed: lp_allowed,
        inc,
    }) = tightened
    else {
        if clock.out_of_time() {
            return Ok(unsolved(
                p,
                inc,
                floor,
                &clock,
                heuristic_value,
                None,
                fitting,
            ));
        }
        let mip = model::build(p, &base, false);
        let (r, assign) = run(p, &mip, &clock.mip(), inc.as_deref())?;
        return Ok(finish(
            p,
            r,
            assign,
            inc,
            floor,
            &clock,
            heuristic_value,
            None,
            (fitting, fitting),
        ));
    };
    // Valid for every grouping better than the incumbent (those keep to the LP's pairs),
    // and the incumbent is kept: with the objective as a cap, a bound of the track.
    let floor = floor.max(lp.bound);
    if clock.out_of_time() {
        return Ok(unsolved(
            p,
            Some(inc),
            floor,
            &clock,
            heuristic_value,
            Some(lp.bound),
            fitting,
        ));
    }
    let ub = p.objective(&inc);
    let allowed = lp.fix(&lp_allowed, &inc, ub, step);
    debug(&clock, || {
        format!(
            "MIP from {ub:.4}: {} of {fitting} pairs kept",
            allowed.pairs()
        )
    });
    let mut mip = model::build(p, &allowed, false);
    mip.add_cuts(p, &cuts);
    let (r, assign) = run(p, &mip, &clock.mip(), Some(&inc))?;
    let kept = allowed.pairs();
    Ok(finish(
        p,
        r,
        assign,
        Some(inc),
        floor,
        &clock,
        heuristic_value,
        Some(lp.bound),
        (kept, fitting),
    ))
}

/// Rounds of capacity-cut separation on the LP relaxation, at most.
const CUT_ROUNDS: usize = 30;
/// Cuts added per round, at most.
const CUTS_PER_ROUND: usize = 60;
/// Share of the time limit by which cut rounds stop.
const CUT_SHARE: f64 = 0.5;

/// A round that raises the LP bound by less than this share of the gap left, plus
/// [`MIN_GAIN_REL`] of the bound, ends the rounds (a poor incumbent leaves a wide gap that
/// small steady gains still close).
const MIN_GAIN_SHARE: f64 = 0.02;
const MIN_GAIN_REL: f64 = 1e-4;

/// What the cut rounds leave: the last LP, the pairs it was solved over, and the best
/// grouping found.
struct Tightened {
    lp: Lp,
    allowed: Allowed,
    inc: Assignment,
}

/// The grouping grown from the LP's most-open cores, when it beats `inc`.
fn better_from_lp(
    p: &TrackProblem,
    lp: &Lp,
    inc: Assignment,
    deadline: incumbent::Deadline,
) -> Assignment {
    let open = lagrangian::open_set(p, &lp.ranked);
    match incumbent::from_cores_until(p, open, deadline) {
        Some(a) if p.objective(&a) < p.objective(&inc) - 1e-9 => a,
        _ => inc,
    }
}

/// The LP relaxation, tightened by rounds of rounded capacity cuts ([`cuts`]) while they
/// raise its bound; `cuts` receives the cuts added (valid for the MIP too). Between rounds,
/// reduced-cost fixing against the best grouping shrinks the LP: each LP then bounds the
/// groupings better than that one, which keep to its pairs. The LP's open cores seed new
/// groupings. At most `rounds` rounds (0: the plain LP).
fn tightened_lp(
    p: &TrackProblem,
    base: &Allowed,
    inc: Assignment,
    step: f64,
    (cuts, rounds): (&mut Vec<Cut>, usize),
    clock: &Clock,
    deadline: incumbent::Deadline,
) -> Result<Option<Tightened>, MipError> {
    let mut allowed = base.clone();
    let Some(mut lp) = Lp::solve(p, &allowed, cuts, &clock.mip())? else {
        return Ok(None);
    };
    debug(clock, || format!("LP bound {:.4}", lp.bound));
    let mut inc = better_from_lp(p, &lp, inc, deadline);
    let until = clock.share(CUT_SHARE);
    for _ in 0..rounds {
        let ub = p.objective(&inc);
        if Instant::now() >= until || lp.bound >= ub - 1e-6 * ub.abs().max(1.0) {
            break;
        }
        let new = cuts::separate(p, &lp.point, cuts, CUTS_PER_ROUND);
        if new.is_empty() {
            break;
        }
        let added = new.len();
        cuts.extend(new);
        allowed = lp.fix(&allowed, &inc, ub, step);
        let Some(next) = Lp::solve(p, &allowed, cuts, &clock.mip())? else {
            break;
        };
        let gain = next.bound - lp.bound;
        lp = next;
        inc = better_from_lp(p, &lp, inc, deadline);
        allowed.keep(p, &inc);
        let ub = p.objective(&inc);
        debug(clock, || {
            format!(
                "{added} cuts ({} in all) on {} pairs: LP bound {:.4}, incumbent {ub:.4}",
                cuts.len(),
                allowed.pairs(),
                lp.bound
            )
        });
        if gain < MIN_GAIN_SHARE * (ub - lp.bound) + MIN_GAIN_REL * lp.bound.abs() {
            break;
        }
    }
    Ok(Some(Tightened { lp, allowed, inc }))
}

/// The LP bound, the bound after capacity cuts, and how many cuts (for tests and benches).
pub fn cut_bounds(p: &TrackProblem, options: &MipOptions) -> Result<(f64, f64, usize), MipError> {
    let clock = Clock::new(options);
    let base = Allowed::fitting(p);
    let plain = Lp::solve(p, &base, &[], options)?.map_or(f64::NAN, |l| l.bound);
    let mut cuts = Vec::new();
    let tight = match incumbent::find(p) {
        Some(inc) => {
            let deadline = incumbent::Deadline(Some(clock.deadline));
            tightened_lp(
                p,
                &base,
                inc,
                step(p),
                (&mut cuts, CUT_ROUNDS),
                &clock,
                deadline,
            )?
            .map_or(f64::NAN, |t| t.lp.bound)
        }
        None => f64::NAN,
    };
    Ok((plain, tight, cuts.len()))
}

/// With `ROTAPLAN_DEBUG` set, one line on stderr: the step's clock and what was learnt.
fn debug(clock: &Clock, line: impl FnOnce() -> String) {
    if std::env::var_os("ROTAPLAN_DEBUG").is_some() {
        eprintln!(
            "[groups {:7.2}s] {}",
            clock.started.elapsed().as_secs_f64(),
            line()
        );
    }
}

/// The outcome when HiGHS did not run (or not to the end): the heuristic grouping, if any,
/// with a valid bound.
fn unsolved(
    p: &TrackProblem,
    inc: Option<Assignment>,
    bound: f64,
    clock: &Clock,
    incumbent: Option<f64>,
    lp_bound: Option<f64>,
    fitting: usize,
) -> Solved {
    let (status, objective) = match &inc {
        Some(a) => (SolveStatus::Feasible, p.objective(a)),
        None => (SolveStatus::TimeLimit, f64::NAN),
    };
    let bound = if objective.is_finite() {
        bound.min(objective)
    } else {
        bound
    };
    let status = proven_if_met(status, objective, bound);
    Solved {
        status,
        objective,
        bound,
        gap: relative_gap(objective, bound),
        seconds: clock.started.elapsed().as_secs_f64(),
        assign: inc,
        incumbent,
        lp_bound,
        pairs_kept: (0, fitting),
    }
}

/// Subgradient steps for the Lagrangian bound on tracks small enough for the MIP.
const LAGRANGIAN_STEPS: usize = 300;
/// Tracks with more units than this skip the greedy heuristic (quadratic in the units):
/// the Lagrangian heuristic finds their incumbent.
const LARGE_UNITS: usize = 1000;
/// Steps of the Lagrangian search between two repairs of its cores into a grouping.
const REPAIR_EVERY: usize = 10;

/// The Lagrangian bound, and the best grouping among the given one and those the Lagrangian
/// heuristic repairs from the relaxation (and, on tracks the greedy heuristic handles, the one
/// it grows from the relaxation's cheapest cores). With no MIP to follow, the search may use
/// the whole time limit.
fn with_lagrangian(
    p: &TrackProblem,
    inc: Option<Assignment>,
    clock: &Clock,
    mip_follows: bool,
) -> (Option<Assignment>, Option<lagrangian::Lagrangian>, Near) {
    let near = Near::new(p);
    let known = inc.as_ref().map(|a| (p.objective(a), a.clone()));
    let large = p.units.len() > LARGE_UNITS;
    let settings = lagrangian::Search {
        max_iter: if large || !mip_follows {
            usize::MAX
        } else {
            LAGRANGIAN_STEPS
        },
        deadline: incumbent::Deadline(Some(clock.share(if mip_follows { 0.8 } else { 0.4 }))),
        repair_every: Some(REPAIR_EVERY),
    };
    let Some(mut l) = lagrangian::search(p, &near, known, &settings) else {
        return (inc, None, near);
    };
    let mut inc = l.best.take().map(|(_, a)| a).or(inc);
    if let Some(a) = &inc {
        let polish_until =
            incumbent::Deadline(Some(clock.share(if mip_follows { 0.85 } else { 0.6 })));
        if let Some(b) = repair::improve(p, &near, a, polish_until)
            && p.objective(&b) < p.objective(a) - 1e-9
        {
            inc = Some(b);
        }
    }
    if !large {
        let open = lagrangian::open_set(p, &l.ranked);
        let deadline = incumbent::Deadline(Some(clock.share(0.9)));
        inc = match (incumbent::from_cores_until(p, open, deadline), inc) {
            (Some(a), Some(b)) if p.objective(&a) < p.objective(&b) - 1e-9 => Some(a),
            (Some(a), None) => Some(a),
            (_, b) => b,
        };
    }
    (inc, Some(l), near)
}

/// Cores kept in the reduced core, as a multiple of the group count.
const REDUCED_CORES_PER_GROUP: usize = 2;
/// Share of the time limit by which the neighbourhood search stops.
const LNS_SHARE: f64 = 0.99;
/// Fewer seconds left than this: the reduced core is not worth starting.
const MIN_REDUCED_S: f64 = 5.0;
/// Kept cores each unit may join in the reduced core.
const REDUCED_NEAREST: usize = 8;

/// The large-neighbourhood search ([`neighbourhood`]) until it stalls (or most of the time
/// is gone), then HiGHS on the reduced core ([`reduced`]), warm-started from its grouping,
/// for the time left: the best grouping, and the pairs the reduced model kept.
fn improve_on_reduced_core(
    p: &TrackProblem,
    near: &Near,
    l: &lagrangian::Lagrangian,
    inc: &[usize],
    clock: &Clock,
) -> Result<(Assignment, usize), MipError> {
    let lns_until = clock.share(LNS_SHARE);
    let inc = &neighbourhood::improve(p, near, inc, &clock.options, lns_until)?;
    let keep = (REDUCED_CORES_PER_GROUP * p.count).min(p.cores.len());
    let allowed = reduced::allowed(p, near, &l.ranked, inc, keep, REDUCED_NEAREST);
    let kept = allowed.pairs();
    let assign = if clock.left() >= MIN_REDUCED_S {
        let mip = model::build(p, &allowed, false);
        run(p, &mip, &clock.mip(), Some(inc))?.1
    } else {
        None
    };
    let better = assign
        .filter(|a| p.is_feasible(a) && p.objective(a) < p.objective(inc) - 1e-9)
        .unwrap_or_else(|| inc.to_vec());
    Ok((better, kept))
}

/// Merges HiGHS's answer with what was known before it ran: a time-limited MIP without a
/// solution still leaves the heuristic grouping, and the LP or trivial bound stays valid.
#[allow(clippy::too_many_arguments)]
fn finish(
    p: &TrackProblem,
    r: MipResult,
    assign: Option<Assignment>,
    inc: Option<Assignment>,
    floor: f64,
    clock: &Clock,
    incumbent: Option<f64>,
    lp_bound: Option<f64>,
    pairs_kept: (usize, usize),
) -> Solved {
    if r.status == SolveStatus::Infeasible || (r.status == SolveStatus::TimeLimit && inc.is_none())
    {
        return Solved {
            status: r.status,
            objective: r.objective,
            bound: r.bound,
            gap: r.gap,
            seconds: clock.started.elapsed().as_secs_f64(),
            assign,
            incumbent,
            lp_bound,
            pairs_kept,
        };
    }
    let from_mip = match assign {
        Some(a) if r.status.has_solution() => Some((r.status, r.objective, a)),
        _ => None,
    };
    let Some((status, objective, assign)) =
        from_mip.or_else(|| inc.map(|a| (SolveStatus::Feasible, p.objective(&a), a)))
    else {
        return Solved {
            status: SolveStatus::TimeLimit,
            objective: f64::NAN,
            bound: floor,
            gap: f64::INFINITY,
            seconds: clock.started.elapsed().as_secs_f64(),
            assign: None,
            incumbent,
            lp_bound,
            pairs_kept,
        };
    };
    let bound = if status == SolveStatus::Optimal {
        r.bound
    } else {
        let mip_bound = if r.bound.is_finite() { r.bound } else { floor };
        mip_bound.max(floor).min(objective)
    };
    let status = proven_if_met(status, objective, bound);
    Solved {
        status,
        objective,
        bound,
        gap: relative_gap(objective, bound),
        seconds: clock.started.elapsed().as_secs_f64(),
        assign: Some(assign),
        incumbent,
        lp_bound,
        pairs_kept,
    }
}

/// A grouping found `feasible` is `optimal` when a valid bound meets it (the Lagrangian or a
/// reduced LP can prove a heuristic grouping without HiGHS's search).
fn proven_if_met(status: SolveStatus, objective: f64, bound: f64) -> SolveStatus {
    match status {
        SolveStatus::Feasible => SolveStatus::of_gap(objective, bound),
        other => other,
    }
}
