//! The moves model of one part, solved level by level on one live HiGHS model whose size
//! follows the decisions rather than the staff.
//!
//! Three facts of the flow model make this fast and keep it exact:
//! - Its LP is nearly always integral. Each level is solved as an LP first; an integral LP
//!   optimum is a proven MIP optimum (the LP value bounds the MIP). Only a fractional level
//!   goes to HiGHS's branch and bound, on the same model, from the previous level's plan.
//! - Few arcs matter. The model starts from the arcs that can cover a deficit from a school
//!   with a spare teacher, plus every exchange and covers-nothing arc; every other arc is
//!   priced against the LP's row duals and added when its reduced cost is negative, until
//!   none is. The LP is then optimal over all arcs. Before a fractional level's branch and
//!   bound, every arc whose reduced cost is within the gap to the incumbent joins, so no
//!   optimal plan is cut off.
//! - Levels are pinned, not rebuilt. A level's optimum becomes a row and the next level
//!   changes only the costs, so its simplex starts from the last basis. An arc whose reduced
//!   cost exceeds the slack the pin leaves can never carry flow again: its column is
//!   deleted from the model and the arc is no longer priced (reduced-cost fixing). The
//!   simplex's pricing then scans only the arcs still in play (on Hezhang county-wide,
//!   the km level's model loses over half its columns).

use std::collections::BTreeMap;
use std::time::Instant;

use super::Context;
use super::arcs::{Arc, ArcKind};
use super::classes::Class;
use super::model::{
    Component, ComponentSolution, FloorReq, KM_REL_GAP, LevelStat, Start, whole_bound,
};
use crate::solve::lp::{Basis, LiveModel, LiveStatus};
use crate::solve::mip::{
    MIN_LEVEL_SECONDS, MipError, MipOptions, PROVEN_GAP, SolveStatus, level_share, pin_slack,
    relative_gap,
};

/// What a column of the model stands for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Var {
    /// Members of `class` who stay and cover `subject`.
    Stay {
        class: usize,
        subject: usize,
    },
    /// Positions left uncovered of a school's demand for a subject (`demand` in all).
    Short {
        demand: u32,
    },
    Flow {
        arc: usize,
        class: usize,
    },
}

pub(crate) struct Candidate {
    pub(crate) var: Var,
    /// A transfer no rule obliges (no lock, no floor): a plan stays feasible without it.
    pub(crate) optional: bool,
    pub(crate) upper: f64,
    /// Rows of the structural constraints and this column's entries in them.
    pub(crate) rows: Vec<(usize, f64)>,
    /// Cost per level, every level minimised (a maximised level is negated).
    pub(crate) costs: Vec<f64>,
}

impl Candidate {
    pub(crate) fn integer(&self) -> bool {
        !matches!(self.var, Var::Short { .. })
    }
}

/// A start for the level-by-level solve, made only when needed, within the seconds given.
pub type StartOnDemand<'a> = dyn Fn(f64) -> Result<Option<Start>, MipError> + Sync + 'a;

/// Share of the time the LP-first pass may use.
const FIRST_PASS_SHARE: f64 = 0.85;
const FIRST_PASS_SHARE_WITH_START: f64 = 0.6;

/// Share of the time left that making a start may use.
const START_SHARE: f64 = 0.6;

/// Reduced costs are trusted to this (HiGHS's dual feasibility tolerance is 1e-7).
const RC_EPS: f64 = 1e-6;
/// Columns priced in per round, most negative reduced cost first.
const PRICE_BATCH: usize = 4000;
/// The shortage and teachers-moved levels' places.
const SHORTAGE_LEVEL: usize = 1;
pub(crate) const MOVED_LEVEL: usize = 2;
/// The weight of the teachers moved in the shortage level's warm-up LP (see `lp_first`).
const TIEBREAK_WEIGHT: f64 = 1e-4;

/// The model of one part: candidates, structural rows and which candidates are columns.
struct Engine {
    cands: Vec<Candidate>,
    /// Structural rows (pin rows come after them).
    rows: usize,
    /// Column of each candidate in the live model.
    col: Vec<Option<usize>>,
    /// Candidate of each column.
    cand_of: Vec<usize>,
    /// Candidates that can never carry flow again (reduced-cost fixing while absent).
    excluded: Vec<bool>,
    /// Pin rows of the levels done so far, with their level.
    pins: Vec<(usize, usize)>,
    /// Shortage of demand no variable can cover (outside the objective).
    shortage_constant: f64,
    changes_constant: f64,
    model: LiveModel,
    /// The last LP basis, restored after a branch and bound (which leaves none behind).
    basis: Option<Basis>,
    /// Whether the part carries the national floor's rows.
    has_floor: bool,
    /// The LP bound of the first level from the LP-first pass, when it got that far.
    first_level_bound: Option<f64>,
    /// Head count of every class of the part.
    class_size: BTreeMap<usize, f64>,
    /// While set, (later level, weight): the LP's costs are the level's plus this weight
    /// times the later level's, so its optimum is already a good start for the later level.
    tiebreak: Option<(usize, f64)>,
}

/// An LP optimum: its plan when integral, column values and row duals.
type LastLp = (Option<Vec<f64>>, Vec<f64>, Vec<f64>);

/// What the LP-first pass found: per level (value, bound, seconds), all minimised, and the
/// plan.
enum FirstPass {
    /// Every level has its bound and the plan meets every pin.
    Complete(Vec<(f64, f64, f64)>, Vec<f64>),
    /// A plan proving the first levels only; whether the pass ran out of time.
    Partial(Vec<(f64, f64, f64)>, Vec<f64>, bool),
    Nothing,
}

enum LpOutcome {
    /// The LP optimum over every arc, its plan when integral, and the row duals.
    Optimal {
        value: f64,
        point: Option<Vec<f64>>,
        /// Column values.
        values: Vec<f64>,
        duals: Vec<f64>,
    },
    Infeasible,
    TimeLimit,
}

/// The same model and levels as [`super::model::solve_component`], solved as the module's
/// comment says: with the LP-first pass, or (`first_pass = false`, for tests) straight to
/// level by level.
#[allow(clippy::too_many_arguments)]
pub fn solve_component(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    comp: &Component,
    floor: Option<FloorReq>,
    options: &MipOptions,
    start: Option<&StartOnDemand<'_>>,
    first_pass: bool,
) -> Result<ComponentSolution, MipError> {
    let started = Instant::now();
    let mut e = Engine::build(ctx, classes, arcs, comp, floor, options)?;
    let n_levels = level_count(ctx);
    let gaps: Vec<f64> = (0..n_levels)
        .map(|i| if i == 3 { KM_REL_GAP } else { 0.0 })
        .collect();
    // The LP-first pass may use most of the time; level by level takes what is left. With a
    // start to fall back on (the floor's), the pass leaves that start time to be made.
    let share = if start.is_some() {
        FIRST_PASS_SHARE_WITH_START
    } else {
        FIRST_PASS_SHARE
    };
    let first_deadline =
        started + std::time::Duration::from_secs_f64(options.time_limit_s.max(0.1) * share);
    let as_stats = |found: Vec<(f64, f64, f64)>| -> Vec<LevelStat> {
        found
            .into_iter()
            .map(|(value, bound, seconds)| LevelStat {
                status: SolveStatus::of_gap(value, bound),
                objective: value,
                bound: bound.min(value),
                seconds,
            })
            .collect()
    };
    let pass = if first_pass {
        e.lp_first(n_levels, gaps[n_levels - 1], first_deadline)?
    } else {
        FirstPass::Nothing
    };
    let partial = match pass {
        FirstPass::Complete(found, point) => {
            return Ok(e.solution(as_stats(found), Some(&point)));
        }
        // Out of time: level by level would have less still.
        FirstPass::Partial(found, point, true) => {
            return Ok(e.solution(as_stats(found), Some(&point)));
        }
        FirstPass::Partial(found, point, false) => Some((found, point)),
        FirstPass::Nothing => None,
    };
    let left = options.time_limit_s - started.elapsed().as_secs_f64();
    if debug() {
        eprintln!(
            "LP-first incomplete (partial plan: {}), {left:.2} s left: level by level",
            partial.is_some()
        );
    }
    let mut incumbent: Option<Vec<f64>> = match partial {
        // Too little time to do better level by level: the partial plan stands.
        Some((found, point)) if left < options.time_limit_s * 0.1 => {
            return Ok(e.solution(as_stats(found), Some(&point)));
        }
        Some((_, point)) => Some(point),
        None => None,
    };
    e.undo_pins()?;
    if incumbent.is_none()
        && let Some(make) = start
    {
        incumbent = make((left * START_SHARE).max(0.1))?.map(|st| e.point_of(&st));
    }
    let mut stats: Vec<LevelStat> = Vec::new();
    for (level, &rel_gap) in gaps.iter().enumerate() {
        let level_start = Instant::now();
        let remaining = options.time_limit_s - started.elapsed().as_secs_f64();
        let budget = level_share(remaining, n_levels - level - 1, options.time_limit_s)
            .max(MIN_LEVEL_SECONDS);
        let deadline = level_start + std::time::Duration::from_secs_f64(budget);
        let outcome = e.solve_level(level, rel_gap, deadline, incumbent.as_deref())?;
        let (status, value, bound, point) = match outcome {
            LevelOutcome::Infeasible => {
                stats.push(LevelStat {
                    status: SolveStatus::Infeasible,
                    objective: f64::NAN,
                    bound: f64::NAN,
                    seconds: level_start.elapsed().as_secs_f64(),
                });
                break;
            }
            LevelOutcome::Solved {
                value,
                bound,
                point,
            } => {
                // A start as good at this level was made with the later ones in mind
                // (the floor's start): it stays.
                let (value, point) = match incumbent.take() {
                    Some(inc) if e.value_at(level, &inc) <= value + pin_slack(value) => {
                        (e.value_at(level, &inc), inc)
                    }
                    _ => (value, point),
                };
                (SolveStatus::of_gap(value, bound), value, bound, point)
            }
            LevelOutcome::NoSolution { bound } => match incumbent.take() {
                Some(point) => {
                    let value = e.value_at(level, &point);
                    // The first pass's LP bound of the first level holds unconditionally.
                    let bound = match (bound.is_finite(), e.first_level_bound) {
                        (true, _) => bound.min(value),
                        (false, Some(b)) if level == 0 => b.min(value),
                        _ => e.box_bound(level),
                    };
                    (SolveStatus::of_gap(value, bound), value, bound, point)
                }
                None => {
                    stats.push(LevelStat {
                        status: SolveStatus::TimeLimit,
                        objective: f64::NAN,
                        bound: f64::NAN,
                        seconds: level_start.elapsed().as_secs_f64(),
                    });
                    break;
                }
            },
        };
        e.pin(level, value)?;
        // The first level sees only exchanges; its plan's other transfers are chance, and
        // a later level stopped at the limit must not inherit them.
        let point = if level == 0 {
            e.tidy_first_plan(point)
        } else {
            point
        };
        incumbent = Some(point);
        stats.push(LevelStat {
            status,
            objective: value,
            bound,
            seconds: level_start.elapsed().as_secs_f64(),
        });
    }
    // Later levels may improve an earlier level that was not proven (its pin only bounds
    // it): every level reports the plan finally written.
    if let Some(point) = &incumbent {
        for (level, s) in stats.iter_mut().enumerate() {
            if !s.status.has_solution() {
                continue;
            }
            s.objective = s.objective.min(e.value_at(level, point));
            s.status = SolveStatus::of_gap(s.objective, s.bound);
        }
    }
    Ok(e.solution(stats, incumbent.as_deref()))
}

/// The values a plan given as flows (arc, count) and stays ((class, subject), count) gives
/// the candidates; shortages are left at 0 for the caller to settle.
pub(crate) fn plan_values(
    cands: &[Candidate],
    flows: &[(usize, u32)],
    stays: &[((usize, usize), u32)],
) -> Vec<f64> {
    let flow_of: BTreeMap<usize, u32> = flows.iter().copied().collect();
    let stay_of: BTreeMap<(usize, usize), u32> = stays.iter().copied().collect();
    cands
        .iter()
        .map(|c| match c.var {
            Var::Flow { arc, .. } => flow_of.get(&arc).copied().unwrap_or(0) as f64,
            Var::Stay { class, subject } => {
                stay_of.get(&(class, subject)).copied().unwrap_or(0) as f64
            }
            Var::Short { .. } => 0.0,
        })
        .collect()
}

/// Levels solved: exchanges, shortage, teachers moved, km, and changes from a published
/// plan when there is one.
fn level_count(ctx: &Context) -> usize {
    4 + usize::from(ctx.pins.previous.is_some())
}

enum LevelOutcome {
    Infeasible,
    /// A plan meeting every earlier pin, its value and a bound on the level (both minimised).
    Solved {
        value: f64,
        bound: f64,
        point: Vec<f64>,
    },
    /// No plan found in time; `bound` when the LP finished (else NaN).
    NoSolution {
        bound: f64,
    },
}

/// Whether `level`'s objective is a whole number in every integral plan of `cands`: whole
/// costs (a shortage is whole once the flows are, see `settle_shortages`).
pub(crate) fn whole_costs(cands: &[Candidate], level: usize) -> bool {
    cands
        .iter()
        .all(|c| c.costs[level] == c.costs[level].round())
}

/// A part's candidates (every column the model may use) and its structural rows.
pub(crate) struct Candidates {
    pub(crate) cands: Vec<Candidate>,
    pub(crate) row_lower: Vec<f64>,
    pub(crate) row_upper: Vec<f64>,
    /// Row of each class a move lock obliges to move.
    pub(crate) lock_row: BTreeMap<usize, usize>,
    /// Shortage of demand no variable can cover (outside the objective).
    pub(crate) shortage_constant: f64,
    pub(crate) changes_constant: f64,
}

/// The candidates and rows of the model of `comp` (shared with the cv level's county
/// model, which adds its own columns and rows to them).
pub(crate) fn build_candidates(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    comp: &Component,
    floor: Option<FloorReq>,
) -> Candidates {
    let n_levels = level_count(ctx);
    let mut cands: Vec<Candidate> = Vec::new();
    let mut row_lower: Vec<f64> = Vec::new();
    let mut row_upper: Vec<f64> = Vec::new();
    let mut new_row = |lo: f64, hi: f64| {
        row_lower.push(lo);
        row_upper.push(hi);
        row_lower.len() - 1
    };
    // Which (school, subject) pairs have a supply term, and how many terms each class
    // has: the rows the model needs follow from the full arc set, whatever is priced in.
    let mut class_terms: BTreeMap<usize, usize> = BTreeMap::new();
    let mut supplied: BTreeMap<(usize, usize), ()> = BTreeMap::new();
    for &ci in &comp.classes {
        let c = &classes[ci];
        for &k in &c.subjects {
            if ctx.demand[c.school].get(&k).copied().unwrap_or(0) > 0 {
                *class_terms.entry(ci).or_default() += 1;
                supplied.insert((c.school, k), ());
            }
        }
    }
    let mut cap_ub: BTreeMap<usize, u64> = BTreeMap::new();
    let mut pair_ub: BTreeMap<(usize, bool), u64> = BTreeMap::new();
    for &ai in &comp.arcs {
        let a = &arcs[ai];
        *class_terms.entry(a.class).or_default() += 1;
        if let Some(k) = a.subject {
            supplied.insert((a.dest, k), ());
        }
        match a.kind {
            ArcKind::Transfer => {
                if let Some(g) = ctx.grouping.school_group[classes[a.class].school] {
                    *cap_ub.entry(g).or_default() += a.ub as u64;
                }
            }
            ArcKind::Exchange { pairing, to_helper } => {
                *pair_ub.entry((pairing, to_helper)).or_default() += a.ub as u64;
            }
        }
    }
    let class_row: BTreeMap<usize, usize> = class_terms
        .iter()
        .filter(|&(_, &n)| n > 1)
        .map(|(&ci, _)| (ci, new_row(f64::NEG_INFINITY, classes[ci].size() as f64)))
        .collect();
    let lock_row: BTreeMap<usize, usize> = comp
        .classes
        .iter()
        .filter(|&&ci| ctx.pins.move_to(&classes[ci]).is_some())
        .map(|&ci| (ci, new_row(1.0, 1.0)))
        .collect();
    let cap_row: BTreeMap<usize, usize> = cap_ub
        .iter()
        .filter(|&(&g, &ub)| ub > ctx.caps[g] as u64)
        .map(|(&g, _)| (g, new_row(f64::NEG_INFINITY, ctx.caps[g] as f64)))
        .collect();
    let n_ex = ctx.policy.rotation.exchanges_per_pairing as u64;
    let pair_row: BTreeMap<(usize, bool), usize> = pair_ub
        .iter()
        .filter(|&(_, &ub)| ub > n_ex)
        .map(|(&key, _)| (key, new_row(f64::NEG_INFINITY, n_ex as f64)))
        .collect();
    let floor_rows = floor.map(|f| {
        let eligible = new_row(f.min_eligible_movers as f64, f64::INFINITY);
        let key = (f.key_share > 0.0).then(|| new_row(0.0, f64::INFINITY));
        (eligible, key, f.key_share)
    });
    let mut supply_row: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut shortage_constant = 0.0;
    for &s in &comp.schools {
        for (&k, &d) in &ctx.demand[s] {
            if d == 0 {
                continue;
            }
            if supplied.contains_key(&(s, k)) {
                supply_row.insert((s, k), new_row(d as f64, f64::INFINITY));
            } else {
                shortage_constant += ctx.weight[k] * d as f64;
            }
        }
    }
    let level_costs = |exchange: f64, shortage: f64, moved: f64, km: f64, change: f64| {
        let mut v = vec![exchange, shortage, moved, km];
        if ctx.pins.previous.is_some() {
            v.push(change);
        }
        debug_assert_eq!(v.len(), n_levels);
        v
    };
    for &ci in &comp.classes {
        let c = &classes[ci];
        for &k in &c.subjects {
            let d = ctx.demand[c.school].get(&k).copied().unwrap_or(0);
            if d == 0 {
                continue;
            }
            let mut rows = vec![(supply_row[&(c.school, k)], 1.0)];
            if let Some(&r) = class_row.get(&ci) {
                rows.push((r, 1.0));
            }
            cands.push(Candidate {
                var: Var::Stay {
                    class: ci,
                    subject: k,
                },
                optional: false,
                upper: c.size().min(d as usize) as f64,
                rows,
                costs: level_costs(0.0, 0.0, 0.0, 0.0, 0.0),
            });
        }
    }
    for (&(s, k), &r) in &supply_row {
        let d = ctx.demand[s][&k];
        cands.push(Candidate {
            var: Var::Short { demand: d },
            optional: false,
            upper: d as f64,
            rows: vec![(r, 1.0)],
            costs: level_costs(0.0, ctx.weight[k], 0.0, 0.0, 0.0),
        });
    }
    for &ai in &comp.arcs {
        let a = &arcs[ai];
        let c = &classes[a.class];
        let mut rows = Vec::new();
        if let Some(k) = a.subject {
            rows.push((supply_row[&(a.dest, k)], 1.0));
        }
        if let Some(&r) = class_row.get(&a.class) {
            rows.push((r, 1.0));
        }
        if let Some(&r) = lock_row.get(&a.class) {
            rows.push((r, 1.0));
        }
        let mut exchange = 0.0;
        match a.kind {
            ArcKind::Transfer => {
                if let Some(g) = ctx.grouping.school_group[c.school]
                    && let Some(&r) = cap_row.get(&g)
                {
                    rows.push((r, 1.0));
                }
            }
            ArcKind::Exchange { pairing, to_helper } => {
                exchange = -1.0;
                if let Some(&r) = pair_row.get(&(pairing, to_helper)) {
                    rows.push((r, 1.0));
                }
            }
        }
        if let Some((eligible, key, share)) = floor_rows {
            if c.eligible {
                rows.push((eligible, 1.0));
            }
            if let Some(kr) = key {
                let coef = f64::from(u8::from(c.key)) - share;
                if coef != 0.0 {
                    rows.push((kr, coef));
                }
            }
        }
        let change = if ctx.pins.previous.is_some() {
            ctx.pins.change_cost(classes, a)
        } else {
            0.0
        };
        cands.push(Candidate {
            var: Var::Flow {
                arc: ai,
                class: a.class,
            },
            optional: a.kind == ArcKind::Transfer
                && floor.is_none()
                && !lock_row.contains_key(&a.class),
            upper: a.ub as f64,
            rows,
            costs: level_costs(exchange, 0.0, 1.0, a.km, change),
        });
    }
    let changes_constant = if ctx.pins.previous.is_some() {
        comp.classes
            .iter()
            .map(|&ci| ctx.pins.change_constant(&classes[ci]))
            .sum()
    } else {
        0.0
    };
    Candidates {
        cands,
        row_lower,
        row_upper,
        lock_row,
        shortage_constant,
        changes_constant,
    }
}

impl Engine {
    fn build(
        ctx: &Context,
        classes: &[Class],
        arcs: &[Arc],
        comp: &Component,
        floor: Option<FloorReq>,
        options: &MipOptions,
    ) -> Result<Engine, MipError> {
        let Candidates {
            cands,
            row_lower,
            row_upper,
            lock_row,
            shortage_constant,
            changes_constant,
        } = build_candidates(ctx, classes, arcs, comp, floor);
        let mut model = LiveModel::new(
            crate::solve::mip::highs_log_shown(),
            crate::solve::mip::claim_highs_threads(options.threads),
        )?;
        // Primal simplex: a new cost vector, a new column and a pin row the current plan
        // meets all keep the last basis primal feasible, so each solve resumes from it.
        model.set_int("simplex_strategy", 4)?;
        model.add_rows(&row_lower, &row_upper)?;
        let n = cands.len();
        let mut e = Engine {
            cands,
            rows: row_lower.len(),
            col: vec![None; n],
            cand_of: Vec::new(),
            excluded: vec![false; n],
            pins: Vec::new(),
            shortage_constant,
            changes_constant,
            model,
            basis: None,
            first_level_bound: None,
            has_floor: floor.is_some(),
            class_size: comp
                .classes
                .iter()
                .map(|&ci| (ci, classes[ci].size() as f64))
                .collect(),
            tiebreak: None,
        };
        let first = e.first_columns(ctx, classes, arcs, &lock_row);
        e.add_columns(&first, 0)?;
        Ok(e)
    }

    /// The columns to start from: stays and shortages; every exchange, covers-nothing and
    /// locked arc; and the transfers that cover a deficit from a school with a teacher to
    /// spare in one of the class's subjects. Pricing brings in any other arc that pays.
    fn first_columns(
        &self,
        ctx: &Context,
        classes: &[Class],
        arcs: &[Arc],
        lock_row: &BTreeMap<usize, usize>,
    ) -> Vec<usize> {
        let mut able: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for c in classes {
            for &k in &c.subjects {
                *able.entry((c.school, k)).or_default() += c.size() as u32;
            }
        }
        let demand = |s: usize, k: usize| ctx.demand[s].get(&k).copied().unwrap_or(0);
        let deficit = |s: usize, k: usize| demand(s, k) > able.get(&(s, k)).copied().unwrap_or(0);
        let spare = |c: &Class| {
            c.subjects
                .iter()
                .any(|&k| able.get(&(c.school, k)).copied().unwrap_or(0) > demand(c.school, k))
        };
        (0..self.cands.len())
            .filter(|&j| match self.cands[j].var {
                Var::Stay { .. } | Var::Short { .. } => true,
                Var::Flow { arc, .. } => {
                    let a = &arcs[arc];
                    let c = &classes[a.class];
                    a.kind.is_exchange()
                        || lock_row.contains_key(&a.class)
                        || match a.subject {
                            None => true,
                            Some(k) => deficit(a.dest, k) && spare(c),
                        }
                }
            })
            .collect()
    }

    /// Adds candidates as columns, with their entries in the pin rows of the levels done,
    /// costed for `level`.
    fn add_columns(&mut self, js: &[usize], level: usize) -> Result<(), MipError> {
        let mut cost = Vec::with_capacity(js.len());
        let mut lower = Vec::with_capacity(js.len());
        let mut upper = Vec::with_capacity(js.len());
        let mut entries = Vec::with_capacity(js.len());
        for &j in js {
            let c = &self.cands[j];
            cost.push(self.cost(j, level));
            lower.push(0.0);
            upper.push(c.upper);
            let mut rows = c.rows.clone();
            for &(row, l) in &self.pins {
                if c.costs[l] != 0.0 {
                    rows.push((row, c.costs[l]));
                }
            }
            entries.push(rows);
        }
        let first = self.model.num_cols();
        self.model.add_cols(&cost, &lower, &upper, &entries)?;
        for (i, &j) in js.iter().enumerate() {
            self.col[j] = Some(first + i);
            self.cand_of.push(j);
        }
        Ok(())
    }

    /// The cost of candidate `j` in the LP of `level` (see `tiebreak`).
    fn cost(&self, j: usize, level: usize) -> f64 {
        let c = &self.cands[j].costs;
        let own = c.get(level).copied().unwrap_or(0.0);
        match self.tiebreak {
            Some((later, w)) => own + w * c.get(later).copied().unwrap_or(0.0),
            None => own,
        }
    }

    fn reduced_cost(&self, j: usize, level: usize, duals: &[f64]) -> f64 {
        let c = &self.cands[j];
        let mut rc = self.cost(j, level);
        for &(r, a) in &c.rows {
            rc -= a * duals[r];
        }
        for &(r, l) in &self.pins {
            rc -= c.costs[l] * duals[r];
        }
        rc
    }

    /// Absent candidates whose reduced cost is below `limit`, most negative first.
    fn priced(&self, level: usize, duals: &[f64], limit: f64) -> Vec<(f64, usize)> {
        let mut out: Vec<(f64, usize)> = (0..self.cands.len())
            .filter(|&j| self.col[j].is_none() && !self.excluded[j])
            .map(|j| (self.reduced_cost(j, level, duals), j))
            .filter(|&(rc, _)| rc < limit)
            .collect();
        out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        out
    }

    fn seconds_left(deadline: Instant) -> f64 {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    /// The LP of `level` over every arc: absent arcs are priced in until none has a
    /// negative reduced cost.
    fn lp_level(&mut self, level: usize, deadline: Instant) -> Result<LpOutcome, MipError> {
        let costs: Vec<f64> = self.cand_of.iter().map(|&j| self.cost(j, level)).collect();
        self.model.set_costs(&costs)?;
        if let Some(b) = &self.basis {
            self.model.restore_basis(b);
        }
        let mut rounds = 0;
        let lp_started = Instant::now();
        let (value, values, duals) = loop {
            rounds += 1;
            // Without the floor the first level places only exchanges, so the shortage
            // level's first solve starts far from its optimum, where dual simplex is the
            // faster (0.65 s against 2.1 s on a 1,200-school county). The km level's first
            // solve too: its new costs leave a basis whose transfers are placed by chance
            // (dual: 1.2 s against 2.9 s on Hezhang county-wide, 0.7 s against 0.95 s on
            // Hezhang under the floor, 2.0 s against 3.1 s on the 1,200-school county). Every
            // other solve resumes a basis that is already primal feasible and near its
            // optimum (see `build`), and so does the shortage level's under the floor, whose
            // first level already moves a tenth of the eligible teachers (primal 1.3 s
            // against dual 2.3 s on Hezhang).
            let first_shortage = level == 1 && !self.has_floor;
            let first_km = level == 3;
            let strategy = if rounds == 1 && (first_shortage || first_km) {
                1
            } else {
                4
            };
            self.model.set_int("simplex_strategy", strategy)?;
            match self.model.run(Self::seconds_left(deadline))? {
                LiveStatus::Optimal => {}
                LiveStatus::Infeasible => {
                    // A restricted model may lack the arcs that make it feasible: only
                    // the full model's infeasibility is an answer.
                    let missing: Vec<usize> = (0..self.cands.len())
                        .filter(|&j| self.col[j].is_none() && !self.excluded[j])
                        .collect();
                    if missing.is_empty() {
                        return Ok(LpOutcome::Infeasible);
                    }
                    self.add_columns(&missing, level)?;
                    continue;
                }
                LiveStatus::TimeLimit => return Ok(LpOutcome::TimeLimit),
            }
            let (values, duals) = self.model.solution();
            self.basis = self.model.basis();
            let priced = self.priced(level, &duals, -RC_EPS);
            if debug() {
                eprintln!(
                    "    round {rounds}: {:.3} s, {} columns, {} priced in",
                    lp_started.elapsed().as_secs_f64(),
                    self.cand_of.len(),
                    priced.len()
                );
            }
            if priced.is_empty() {
                break (self.model.objective(), values, duals);
            }
            // Larger models take larger batches: each round costs a re-solve.
            let batch = PRICE_BATCH.max(self.cand_of.len() / 2);
            let js: Vec<usize> = priced.iter().take(batch).map(|&(_, j)| j).collect();
            self.add_columns(&js, level)?;
        };
        let integral = self
            .cand_of
            .iter()
            .zip(&values)
            .all(|(&j, &x)| !self.cands[j].integer() || (x - x.round()).abs() <= 1e-6);
        if debug() {
            eprintln!(
                "level {level}: LP {value} in {rounds} rounds, {:.3} s, {} of {} columns, {} excluded, integral {integral}",
                lp_started.elapsed().as_secs_f64(),
                self.cand_of.len(),
                self.cands.len(),
                self.excluded.iter().filter(|&&x| x).count()
            );
        }
        let point = integral.then(|| self.full_point(&values, true));
        Ok(LpOutcome::Optimal {
            value,
            point,
            values,
            duals,
        })
    }

    /// Solves one level on its own: the LP, then branch and bound when the LP optimum is
    /// fractional.
    fn solve_level(
        &mut self,
        level: usize,
        rel_gap: f64,
        deadline: Instant,
        incumbent: Option<&[f64]>,
    ) -> Result<LevelOutcome, MipError> {
        let (lp_value, lp_point, lp_values, duals) = match self.lp_level(level, deadline)? {
            LpOutcome::Infeasible => return Ok(LevelOutcome::Infeasible),
            LpOutcome::TimeLimit => return Ok(LevelOutcome::NoSolution { bound: f64::NAN }),
            LpOutcome::Optimal {
                value,
                point,
                values,
                duals,
            } => (value, point, values, duals),
        };
        let (value, bound, point) = match lp_point {
            Some(point) => {
                let value = self.value_at(level, &point);
                (value, lp_value.min(value), point)
            }
            None => {
                match self.branch_and_bound(
                    level, rel_gap, deadline, incumbent, lp_value, &lp_values, &duals,
                )? {
                    Some(found) => found,
                    None => return Ok(LevelOutcome::NoSolution { bound: lp_value }),
                }
            }
        };
        self.fix_by_reduced_cost(level, value, lp_value, &point, &duals)?;
        Ok(LevelOutcome::Solved {
            value,
            bound,
            point,
        })
    }

    /// Every level as an LP, each pinned at its LP optimum, and one integral plan meeting
    /// every pin at the end (the last LP's optimum when integral, else branch and bound on
    /// the last level). Such a plan proves every earlier level: its value there is at most
    /// the LP bound. When the pass stops short (time, or pins no integral plan meets), the
    /// last integral LP optimum met on the way still proves the levels up to its own, and
    /// is reported for the rest ([`FirstPass::Partial`]).
    fn lp_first(
        &mut self,
        n_levels: usize,
        rel_gap_last: f64,
        deadline: Instant,
    ) -> Result<FirstPass, MipError> {
        let mut bounds: Vec<(f64, f64)> = Vec::new();
        // The last LP's integral plan (if any), column values and row duals.
        let mut last: Option<LastLp> = None;
        // The last level whose LP optimum was integral, and that plan.
        let mut proven: Option<(usize, Vec<f64>)> = None;
        let mut complete = true;
        for level in 0..n_levels {
            let started = Instant::now();
            // The shortage level is degenerate: most moves cost it nothing, so its LP optimum
            // lands anywhere on a wide face and the teachers-moved level then spends as long
            // again walking it. Solving it first with a small weight on the moves lands on
            // the right part of that face; the plain solve after it (for the bound and the
            // duals) then takes a few iterations, and so does the next level (Hezhang
            // county-wide: 1.8 + 1.8 s become 1.3 + 0.04 + 0.07 s).
            if level == SHORTAGE_LEVEL && n_levels > MOVED_LEVEL {
                self.tiebreak = Some((MOVED_LEVEL, TIEBREAK_WEIGHT));
                let warm = self.lp_level(level, deadline);
                self.tiebreak = None;
                warm?;
            }
            match self.lp_level(level, deadline)? {
                LpOutcome::Optimal {
                    value,
                    point,
                    values,
                    duals,
                } => {
                    // An integer objective's optimum is at least the LP bound rounded up,
                    // and a pin there needs only the solver's tolerance; another keeps
                    // SPEC's proven gap above the bound, no more. A plan meeting the pin
                    // proves the level either way.
                    let integer = whole_costs(&self.cands, level);
                    let bound = if integer { whole_bound(value) } else { value };
                    bounds.push((bound, started.elapsed().as_secs_f64()));
                    if level == 0 {
                        self.first_level_bound = Some(bound);
                    }
                    if let Some(p) = &point {
                        proven = Some((level, p.clone()));
                    }
                    if level + 1 < n_levels {
                        let limit = if integer {
                            bound + 1e-6
                        } else {
                            bound + 1e-6 * bound.abs().max(1.0)
                        };
                        self.fix_by_reduced_cost(level, limit, value, &[], &duals)?;
                        self.pin_at(level, limit)?;
                    }
                    last = Some((point, values, duals));
                }
                LpOutcome::Infeasible => return Ok(FirstPass::Nothing),
                LpOutcome::TimeLimit => {
                    complete = false;
                    break;
                }
            }
        }
        if complete && let Some((point, values, duals)) = last {
            let level = n_levels - 1;
            let (lp_value, _) = bounds[level];
            let started = Instant::now();
            let found = match point {
                Some(p) => Some((self.value_at(level, &p), lp_value, p)),
                None => self.branch_and_bound(
                    level,
                    rel_gap_last,
                    deadline,
                    None,
                    lp_value,
                    &values,
                    &duals,
                )?,
            };
            if let Some((value, bound, point)) = found {
                bounds[level].1 += started.elapsed().as_secs_f64();
                let out = bounds
                    .iter()
                    .enumerate()
                    .map(|(l, &(lp, secs))| {
                        if l == level {
                            (value, bound, secs)
                        } else {
                            (self.value_at(l, &point), lp, secs)
                        }
                    })
                    .collect();
                return Ok(FirstPass::Complete(out, point));
            }
        }
        let Some((m, mut point)) = proven else {
            return Ok(FirstPass::Nothing);
        };
        if m == 0 {
            // Only the first level is proven; its LP left who covers what to chance.
            self.fill_stays(&mut point);
        }
        // Levels up to `m` are proven at their pins, so the next level's LP bound holds
        // too; beyond it only the variables' own bounds do.
        let out = (0..n_levels)
            .map(|l| {
                let value = self.value_at(l, &point);
                let (bound, secs) = match bounds.get(l) {
                    Some(&(b, secs)) if l <= m + 1 => (b, secs),
                    Some(&(_, secs)) => (self.box_bound(l), secs),
                    None => (self.box_bound(l), 0.0),
                };
                (value, bound, secs)
            })
            .collect();
        Ok(FirstPass::Partial(out, point, !complete))
    }

    /// Undoes the LP-first pass: its pins no longer bind, and every arc it fixed may be
    /// priced in again.
    fn undo_pins(&mut self) -> Result<(), MipError> {
        for &(row, _) in &self.pins {
            self.model.relax_row(row)?;
        }
        self.pins.clear();
        self.excluded.iter_mut().for_each(|x| *x = false);
        Ok(())
    }

    /// HiGHS's branch and bound for a level whose LP optimum is fractional. First on the
    /// columns priced so far: a plan there that meets the LP bound is optimal over all arcs. Otherwise every arc whose reduced cost is
    /// within (plan − LP bound) joins, so that no better plan is left out, and the search
    /// resumes from that plan. Returns (value, bound, point), or `None` without a plan.
    #[allow(clippy::too_many_arguments)]
    fn branch_and_bound(
        &mut self,
        level: usize,
        rel_gap: f64,
        deadline: Instant,
        incumbent: Option<&[f64]>,
        lp_value: f64,
        lp_values: &[f64],
        duals: &[f64],
    ) -> Result<Option<(f64, f64, Vec<f64>)>, MipError> {
        let mut start: Option<Vec<f64>> = incumbent.map(<[f64]>::to_vec);
        if let Some((value, point)) = self.round_fractional(level, deadline, lp_values)? {
            if relative_gap(value, lp_value) <= PROVEN_GAP {
                return Ok(Some((value, lp_value.min(value), point)));
            }
            let better = start
                .as_deref()
                .is_none_or(|p| value < self.value_at(level, p));
            if better {
                start = Some(point);
            }
        }
        let mut best: Option<(f64, f64, Vec<f64>)> = None;
        loop {
            let found = self.run_mip(level, rel_gap, deadline, start.as_deref(), lp_value)?;
            let Some((value, bound, point)) = found else {
                break;
            };
            // Arcs that could still improve on this plan, cheapest first. A plan using
            // one costs at least the LP bound plus its reduced cost; any other plan at
            // least the search's bound.
            let missing: Vec<(f64, usize)> = self.priced(level, duals, value - lp_value + RC_EPS);
            let bound = match missing.first() {
                Some(&(rc, _)) => bound.min(lp_value + rc.max(0.0)),
                None => bound,
            };
            best = Some((value, bound.min(value), point.clone()));
            if missing.is_empty()
                || relative_gap(value, bound) <= PROVEN_GAP
                || Self::seconds_left(deadline) <= 0.0
            {
                break;
            }
            let js: Vec<usize> = missing.into_iter().map(|(_, j)| j).collect();
            self.add_columns(&js, level)?;
            start = Some(point);
        }
        Ok(best)
    }

    /// A plan near the LP optimum: every integer column the LP set to a whole number
    /// keeps it, and a small branch and bound settles the fractional ones (HiGHS's
    /// presolve removes the fixed columns at once). `None` when that admits no plan.
    fn round_fractional(
        &mut self,
        level: usize,
        deadline: Instant,
        lp_values: &[f64],
    ) -> Result<Option<(f64, Vec<f64>)>, MipError> {
        let set: Vec<usize> = lp_values
            .iter()
            .enumerate()
            .filter(|&(col, &x)| {
                self.cands[self.cand_of[col]].integer() && (x - x.round()).abs() <= 1e-6
            })
            .map(|(col, _)| col)
            .collect();
        let at: Vec<f64> = set.iter().map(|&col| lp_values[col].round()).collect();
        self.model.set_col_bounds(&set, &at, &at)?;
        let integer: Vec<bool> = self
            .cand_of
            .iter()
            .map(|&j| self.cands[j].integer())
            .collect();
        self.model.set_integrality(&integer)?;
        self.model.set_float("mip_rel_gap", 0.0)?;
        self.model.set_float("mip_abs_gap", 1e-6)?;
        let seconds = (Self::seconds_left(deadline) * 0.25).max(0.05);
        let status = self.model.run(seconds);
        let found = match status {
            Ok(LiveStatus::Optimal | LiveStatus::TimeLimit) if self.model.has_solution() => {
                let (values, _) = self.model.solution();
                let point = self.full_point(&values, true);
                Some((self.value_at(level, &point), point))
            }
            _ => None,
        };
        if debug() {
            eprintln!(
                "  rounding with {} of {} columns fixed: {:?}",
                set.len(),
                self.cand_of.len(),
                found.as_ref().map(|f| f.0)
            );
        }
        self.model.clear_integrality()?;
        let lower = vec![0.0; set.len()];
        let upper: Vec<f64> = set
            .iter()
            .map(|&col| self.cands[self.cand_of[col]].upper)
            .collect();
        self.model.set_col_bounds(&set, &lower, &upper)?;
        status?;
        Ok(found)
    }

    /// One branch and bound over the current columns from `start`; the bound is HiGHS's
    /// (never below the LP bound over all arcs).
    fn run_mip(
        &mut self,
        level: usize,
        rel_gap: f64,
        deadline: Instant,
        start: Option<&[f64]>,
        lp_value: f64,
    ) -> Result<Option<(f64, f64, Vec<f64>)>, MipError> {
        let integer: Vec<bool> = self
            .cand_of
            .iter()
            .map(|&j| self.cands[j].integer())
            .collect();
        self.model.set_integrality(&integer)?;
        if let Some(p) = start {
            let cols: Vec<f64> = self.cand_of.iter().map(|&j| p[j]).collect();
            self.model.set_start(&cols)?;
        }
        self.model.set_float("mip_rel_gap", rel_gap)?;
        self.model.set_float("mip_abs_gap", 1e-6)?;
        let mip_started = Instant::now();
        let status = self.model.run(Self::seconds_left(deadline));
        if debug() {
            eprintln!(
                "  mip on {} columns: {:?} {} (bound {}) in {:.3} s",
                self.cand_of.len(),
                status.as_ref().ok(),
                self.model.objective(),
                self.model.mip_dual_bound(),
                mip_started.elapsed().as_secs_f64()
            );
        }
        let found = match status {
            Ok(LiveStatus::Infeasible) | Err(_) => None,
            Ok(_) if !self.model.has_solution() => None,
            Ok(_) => {
                let (values, _) = self.model.solution();
                let point = self.full_point(&values, true);
                let value = self.value_at(level, &point);
                let solver = self.model.mip_dual_bound();
                let bound = if solver.is_finite() {
                    solver.max(lp_value)
                } else {
                    lp_value
                };
                Some((value, bound.min(value), point))
            }
        };
        self.model.clear_integrality()?;
        status?;
        Ok(found)
    }

    /// Reduced-cost fixing after a level pinned at `value` (plus at most the pin's slack), with the
    /// LP value and duals of that level: an arc whose reduced cost exceeds the slack cannot
    /// reach 1 in any plan that keeps the pin, so its column is deleted and it is no longer
    /// priced. (Columns the level's plan `point` uses are left alone, against rounding.)
    fn fix_by_reduced_cost(
        &mut self,
        level: usize,
        value: f64,
        lp_value: f64,
        point: &[f64],
        duals: &[f64],
    ) -> Result<(), MipError> {
        let slack = pin_slack(value) + (value - lp_value).max(0.0) + RC_EPS;
        let mut fix = Vec::new();
        for (col, &j) in self.cand_of.iter().enumerate() {
            if !self.cands[j].integer() || point.get(j).is_some_and(|&x| x > 0.0) {
                continue;
            }
            if self.reduced_cost(j, level, duals) > slack {
                fix.push(col);
            }
        }
        for j in 0..self.cands.len() {
            if self.col[j].is_none()
                && !self.excluded[j]
                && self.reduced_cost(j, level, duals) > slack
            {
                self.excluded[j] = true;
            }
        }
        self.drop_columns(&fix)
    }

    /// Deletes the columns `drop` (ascending, each nonbasic at 0 in the last LP) from the
    /// model; their arcs are excluded from pricing until [`Self::undo_pins`].
    fn drop_columns(&mut self, drop: &[usize]) -> Result<(), MipError> {
        if drop.is_empty() {
            return Ok(());
        }
        self.model.delete_cols(drop)?;
        let mut gone = vec![false; self.cand_of.len()];
        for &col in drop {
            gone[col] = true;
        }
        let mut kept = Vec::with_capacity(self.cand_of.len() - drop.len());
        for (col, &j) in self.cand_of.iter().enumerate() {
            if gone[col] {
                self.col[j] = None;
                self.excluded[j] = true;
            } else {
                self.col[j] = Some(kept.len());
                kept.push(j);
            }
        }
        self.cand_of = kept;
        self.basis = self.basis.as_ref().map(|b| b.without_cols(&gone));
        Ok(())
    }

    /// Adds the pin row of `level` at `value` (and the slack a solver's tolerance needs).
    fn pin(&mut self, level: usize, value: f64) -> Result<(), MipError> {
        self.pin_at(level, value + pin_slack(value))
    }

    /// Adds the pin row `level's objective ≤ limit`.
    fn pin_at(&mut self, level: usize, limit: f64) -> Result<(), MipError> {
        let entries: Vec<(usize, f64)> = self
            .cand_of
            .iter()
            .enumerate()
            .filter_map(|(col, &j)| {
                let c = self.cands[j].costs[level];
                (c != 0.0).then_some((col, c))
            })
            .collect();
        let row = self.model.num_rows();
        self.model.add_row(f64::NEG_INFINITY, limit, &entries)?;
        self.pins.push((row, level));
        Ok(())
    }

    /// Candidate values from column values (absent candidates 0), integers rounded and
    /// shortages recomputed from the supply they leave.
    fn full_point(&self, values: &[f64], round: bool) -> Vec<f64> {
        let mut point = vec![0.0; self.cands.len()];
        for (col, &j) in self.cand_of.iter().enumerate() {
            let x = values[col];
            point[j] = if round && self.cands[j].integer() {
                x.round().max(0.0)
            } else {
                x
            };
        }
        self.settle_shortages(&mut point);
        point
    }

    /// A first level's plan made fit to start the others from: every optional transfer
    /// undone, and who covers what among those who stay chosen afresh (the first level
    /// costs neither, so its LP leaves them to chance).
    fn tidy_first_plan(&self, mut point: Vec<f64>) -> Vec<f64> {
        for (j, c) in self.cands.iter().enumerate() {
            if c.optional {
                point[j] = 0.0;
            }
        }
        self.fill_stays(&mut point);
        point
    }

    /// Who stays and covers which subject, given the moves: greedily, classes with one
    /// subject first, then by the subject's shortage weight. A start, not an optimum (the
    /// later levels choose again).
    fn fill_stays(&self, point: &mut [f64]) {
        let mut left = self.class_size.clone();
        let mut need: BTreeMap<usize, f64> = BTreeMap::new();
        let mut weight: BTreeMap<usize, f64> = BTreeMap::new();
        let mut subjects: BTreeMap<usize, usize> = BTreeMap::new();
        for (j, c) in self.cands.iter().enumerate() {
            match c.var {
                Var::Short { demand } => {
                    need.insert(c.rows[0].0, demand as f64);
                    weight.insert(c.rows[0].0, c.costs[SHORTAGE_LEVEL]);
                }
                Var::Stay { class, .. } => *subjects.entry(class).or_default() += 1,
                Var::Flow { class, .. } => {
                    if let Some(l) = left.get_mut(&class) {
                        *l -= point[j];
                    }
                }
            }
        }
        for (j, c) in self.cands.iter().enumerate() {
            if let Var::Flow { .. } = c.var
                && point[j] > 0.0
            {
                // A covering flow's first row is its destination's supply row.
                if let Some(&(r, _)) = c.rows.first()
                    && let Some(n) = need.get_mut(&r)
                {
                    *n -= point[j];
                }
            }
        }
        let mut stays: Vec<(usize, usize, f64, usize)> = Vec::new();
        for (j, c) in self.cands.iter().enumerate() {
            if let Var::Stay { class, .. } = c.var {
                point[j] = 0.0;
                let r = c.rows[0].0;
                stays.push((
                    subjects[&class],
                    j,
                    weight.get(&r).copied().unwrap_or(0.0),
                    class,
                ));
            }
        }
        stays.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
        for (_, j, _, class) in stays {
            let r = self.cands[j].rows[0].0;
            let room = need.get(&r).copied().unwrap_or(0.0).max(0.0);
            let free = left.get(&class).copied().unwrap_or(0.0).max(0.0);
            let x = room.min(free).min(self.cands[j].upper).floor();
            if x > 0.0 {
                point[j] = x;
                if let Some(n) = need.get_mut(&r) {
                    *n -= x;
                }
                if let Some(l) = left.get_mut(&class) {
                    *l -= x;
                }
            }
        }
        self.settle_shortages(point);
    }

    /// Each shortage variable set to what its supply row leaves uncovered.
    fn settle_shortages(&self, point: &mut [f64]) {
        let mut supply = vec![0.0; self.rows];
        for (j, c) in self.cands.iter().enumerate() {
            if c.integer() && point[j] != 0.0 {
                for &(r, a) in &c.rows {
                    supply[r] += a * point[j];
                }
            }
        }
        for (j, c) in self.cands.iter().enumerate() {
            if let Var::Short { demand, .. } = c.var {
                let r = c.rows[0].0;
                point[j] = (demand as f64 - supply[r]).max(0.0);
            }
        }
    }

    fn value_at(&self, level: usize, point: &[f64]) -> f64 {
        self.cands
            .iter()
            .zip(point)
            .map(|(c, &x)| c.costs[level] * x)
            .sum()
    }

    /// The level's bound from the variables' own bounds.
    fn box_bound(&self, level: usize) -> f64 {
        self.cands
            .iter()
            .map(|c| (c.costs[level] * c.upper).min(0.0))
            .sum()
    }

    /// A start (flows and stays) as candidate values.
    fn point_of(&self, st: &Start) -> Vec<f64> {
        let mut point = plan_values(&self.cands, &st.flows, &st.stays);
        self.settle_shortages(&mut point);
        point
    }

    /// The part's solution: level statistics in the levels' own senses and constants, and
    /// the flows and stays of the plan.
    fn solution(&self, stats: Vec<LevelStat>, point: Option<&[f64]>) -> ComponentSolution {
        let levels_out = stats
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let (sign, constant) = if i == 0 {
                    (-1.0, 0.0)
                } else if i == SHORTAGE_LEVEL {
                    (1.0, self.shortage_constant)
                } else if i == 4 {
                    (1.0, self.changes_constant)
                } else {
                    (1.0, 0.0)
                };
                LevelStat {
                    status: s.status,
                    objective: sign * s.objective + constant,
                    bound: sign * s.bound + constant,
                    seconds: s.seconds,
                }
            })
            .collect();
        let mut out = ComponentSolution {
            levels: levels_out,
            ..Default::default()
        };
        if let Some(p) = point {
            for (j, c) in self.cands.iter().enumerate() {
                let x = p[j].round() as u32;
                if x == 0 {
                    continue;
                }
                match c.var {
                    Var::Flow { arc, .. } => out.flows.push((arc, x)),
                    Var::Stay { class, subject } => out.stays.push(((class, subject), x)),
                    Var::Short { .. } => {}
                }
            }
            out.flows.sort_unstable();
            out.stays.sort_unstable();
        }
        out
    }
}

fn debug() -> bool {
    std::env::var_os("ROTAPLAN_DEBUG").is_some()
}
