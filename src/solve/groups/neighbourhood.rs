//! Large-neighbourhood search with exact sub-problems, for tracks too large for one model:
//! a group and its nearest groups are regrouped optimally among themselves (same number of
//! groups, any of their units' cores may lead, same caps) by HiGHS on a small model, and the
//! result replaces theirs when it is cheaper. Sweeps over every group until a sweep changes
//! nothing or the time runs out; then a rebalancing round ([`rebalance`]) moves groups from
//! regions that have one too many to regions that lack one, which a fixed-count
//! neighbourhood cannot do. Every accepted step keeps every rule, so the grouping stays
//! feasible; it is only an incumbent, never a bound.
//!
//! Neighbourhoods that share no group are solved side by side (one HiGHS thread each) and
//! applied in seed order, so the result does not depend on the number of cores.

use std::time::Instant;

use rayon::prelude::*;

use super::model::{self, Allowed};
use super::near::Near;
use super::problem::{Assignment, EPS, TrackProblem};
use crate::solve::mip::{MipError, MipOptions, Sense};

/// Groups regrouped together: from the first size (fast sub-problems), one more each time
/// a sweep finds nothing, up to the last.
const GROUPS_PER_STEP: std::ops::RangeInclusive<usize> = 3..=12;
/// HiGHS nodes per sub-problem: a deterministic cap; a sub-problem cut short still returns
/// its best grouping, which is used only when it improves.
const SUB_NODES: i32 = 300;
/// Seconds per sub-problem at most (a guard; the node cap normally binds first).
const SUB_SECONDS: f64 = 2.0;
/// Groups per neighbourhood in a rebalancing round. On p3038_600 the first round after the
/// 3-group sweeps moved 19 groups and cut the distance by 1.2%.
const REBALANCE_GROUPS: usize = 3;
/// Neighbourhoods solved side by side: a fixed number (not the machine's core count), so the
/// search takes the same steps, and finds the same grouping, on any machine.
const BATCH: usize = 8;

/// The sub-problem of `units` (sorted) with `count` groups, and its cores' global indices.
fn sub_problem(
    p: &TrackProblem,
    near: &Near,
    units: &[usize],
    count: usize,
) -> (TrackProblem, Vec<usize>) {
    let mut local = vec![usize::MAX; p.units.len()];
    for (i, &u) in units.iter().enumerate() {
        local[u] = i;
    }
    let mut global_cores = Vec::new();
    let mut cores = Vec::new();
    for &u in units {
        for &c in &near.homed[u] {
            global_cores.push(c);
            cores.push(super::problem::Core {
                school: p.cores[c].school,
                home: local[u],
            });
        }
    }
    let cost = units
        .iter()
        .map(|&u| global_cores.iter().map(|&c| p.cost[u][c]).collect())
        .collect();
    let sub = TrackProblem {
        name: p.name.clone(),
        mode: p.mode,
        units: units.iter().map(|&u| p.units[u].clone()).collect(),
        cores,
        cost,
        count,
        max_units: p.max_units,
        min_students: p.min_students,
        max_students: p.max_students,
        balance_weight: 0.0,
        adjacency: None,
        quality_range: p.quality_range,
        core_rule: String::new(),
    };
    (sub, global_cores)
}

/// Improves `assign` (feasible) with growing neighbourhoods until the largest finds nothing
/// or `deadline` passes. `options.threads` = 1 solves one neighbourhood at a time (same
/// result, one core).
pub fn improve(
    p: &TrackProblem,
    near: &Near,
    assign: &[usize],
    options: &MipOptions,
    deadline: Instant,
) -> Result<Assignment, MipError> {
    let mut search = Search::new(p, near, assign, options.threads != 1);
    for k in GROUPS_PER_STEP {
        search.forget_solved();
        loop {
            if Instant::now() >= deadline {
                return Ok(search.assign);
            }
            search.sweeps(k, deadline)?;
            if Instant::now() >= deadline || search.rebalance(REBALANCE_GROUPS, deadline)? == 0 {
                break;
            }
        }
    }
    Ok(search.assign)
}

/// One neighbourhood: its seed, its groups (cores), and its units (sorted).
struct Hood {
    seed: usize,
    groups: Vec<usize>,
    units: Vec<usize>,
}

/// The search's grouping, with what lets a sweep skip neighbourhoods already solved.
struct Search<'a> {
    p: &'a TrackProblem,
    near: &'a Near,
    assign: Assignment,
    members: Vec<Vec<usize>>,
    /// Per core, the step at which its group last changed.
    changed_at: Vec<usize>,
    /// Per seed unit, the step at which its neighbourhood was last solved.
    solved_at: Vec<usize>,
    step: usize,
    parallel: bool,
    debug: bool,
    solves: usize,
    started: Instant,
    /// Per seed unit, its neighbourhood's regroupings with a group less and more, from the
    /// last rebalancing round that solved them.
    shifted: Vec<Option<Shifted>>,
}

type Regrouped = Result<Option<(f64, Vec<usize>)>, MipError>;

/// A neighbourhood's regroupings with one group less and one more, and the step they were
/// found at.
struct Shifted {
    groups: Vec<usize>,
    at: usize,
    close: Option<(f64, Vec<usize>)>,
    open: Option<(f64, Vec<usize>)>,
}

impl<'a> Search<'a> {
    fn new(p: &'a TrackProblem, near: &'a Near, assign: &[usize], parallel: bool) -> Search<'a> {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); p.cores.len()];
        for (u, &c) in assign.iter().enumerate() {
            members[c].push(u);
        }
        Search {
            p,
            near,
            assign: assign.to_vec(),
            members,
            changed_at: vec![1; p.cores.len()],
            solved_at: vec![0; p.units.len()],
            step: 1,
            parallel,
            debug: std::env::var_os("ROTAPLAN_DEBUG").is_some(),
            solves: 0,
            started: Instant::now(),
            shifted: (0..p.units.len()).map(|_| None).collect(),
        }
    }

    /// Neighbourhoods of another size: every seed is worth solving again.
    fn forget_solved(&mut self) {
        self.solved_at.iter_mut().for_each(|s| *s = 0);
    }

    /// The `k` open cores nearest to `seed` (its own first when it leads a group).
    fn hood(&self, seed: usize, k: usize) -> Hood {
        let groups: Vec<usize> = self.near.by_unit[seed]
            .iter()
            .map(|&c| c as usize)
            .filter(|&c| !self.members[c].is_empty())
            .take(k)
            .collect();
        let mut units: Vec<usize> = groups
            .iter()
            .flat_map(|&c| self.members[c].iter().copied())
            .collect();
        units.sort_unstable();
        Hood {
            seed,
            groups,
            units,
        }
    }

    fn seeds(&self) -> Vec<usize> {
        (0..self.p.cores.len())
            .filter(|&c| !self.members[c].is_empty())
            .map(|c| self.p.cores[c].home)
            .collect()
    }

    /// Gives the units of `hood` the cores `cores`.
    fn apply(&mut self, hood: &Hood, cores: &[usize]) {
        self.step += 1;
        for &c in &hood.groups {
            self.members[c].clear();
            self.changed_at[c] = self.step;
        }
        for (&u, &c) in hood.units.iter().zip(cores) {
            self.assign[u] = c;
            self.members[c].push(u);
            self.changed_at[c] = self.step;
        }
    }

    fn run<T: Send>(&self, hoods: &[Hood], solve: impl Fn(&Hood) -> T + Sync + Send) -> Vec<T> {
        if self.parallel {
            hoods.par_iter().map(solve).collect()
        } else {
            hoods.iter().map(solve).collect()
        }
    }

    /// Sweeps with neighbourhoods of `k` groups until one finds nothing or `deadline`
    /// passes. Each sweep visits every group's core unit as a seed (neighbourhoods around
    /// arbitrary units were tried: on p3038_600 a sweep of them found nothing the
    /// group-centred ones had not); seeds go to HiGHS in batches whose neighbourhoods share
    /// no group.
    fn sweeps(&mut self, k: usize, deadline: Instant) -> Result<(), MipError> {
        let mut wins = 0;
        loop {
            let mut improved = false;
            let mut pending = self.seeds();
            while !pending.is_empty() {
                if Instant::now() >= deadline {
                    return Ok(());
                }
                let mut batch: Vec<Hood> = Vec::new();
                let mut used = vec![false; self.p.cores.len()];
                let mut rest = Vec::with_capacity(pending.len());
                for &seed in &pending {
                    if batch.len() >= BATCH {
                        rest.push(seed);
                        continue;
                    }
                    let hood = self.hood(seed, k);
                    let latest = hood.groups.iter().map(|&c| self.changed_at[c]).max();
                    if hood.groups.len() < 2 || latest.unwrap_or(0) <= self.solved_at[seed] {
                        continue;
                    }
                    if hood.groups.iter().any(|&c| used[c]) {
                        rest.push(seed);
                        continue;
                    }
                    for &c in &hood.groups {
                        used[c] = true;
                    }
                    batch.push(hood);
                }
                pending = rest;
                let (p, near, assign) = (self.p, self.near, &self.assign);
                let found = self.run(&batch, |h| regroup(p, near, assign, h, 0, deadline));
                for (hood, found) in batch.iter().zip(found) {
                    self.solved_at[hood.seed] = self.step;
                    self.solves += 1;
                    if let Some((_, cores)) = found? {
                        self.apply(hood, &cores);
                        improved = true;
                        wins += 1;
                    }
                }
            }
            if self.debug {
                eprintln!(
                    "neighbourhood sweep (k = {k}): {} solves, {wins} improved, {:.1}s, {:.4}",
                    self.solves,
                    self.started.elapsed().as_secs_f64(),
                    self.p.distance_cost(&self.assign)
                );
            }
            if !improved {
                return Ok(());
            }
        }
    }

    /// One round of moving groups between regions: every seed's neighbourhood of `k` groups
    /// is regrouped with one group less (what closing a group there costs) and with one more
    /// (what opening one saves); the best openings are paired with the cheapest closings
    /// elsewhere (neighbourhoods sharing no group) while a pair saves distance. The group
    /// count stays. Returns how many pairs were applied.
    fn rebalance(&mut self, k: usize, deadline: Instant) -> Result<usize, MipError> {
        let hoods: Vec<Hood> = self
            .seeds()
            .into_iter()
            .map(|seed| self.hood(seed, k))
            .filter(|h| h.groups.len() == k)
            .collect();
        // A neighbourhood whose groups are the same and unchanged since its last round keeps
        // its regroupings (HiGHS would find them again).
        let fresh: Vec<usize> = (0..hoods.len())
            .filter(|&i| {
                let h = &hoods[i];
                !self.shifted[h.seed].as_ref().is_some_and(|s| {
                    s.groups == h.groups && h.groups.iter().all(|&c| self.changed_at[c] <= s.at)
                })
            })
            .collect();
        let to_solve: Vec<&Hood> = fresh.iter().map(|&i| &hoods[i]).collect();
        let (p, near, assign) = (self.p, self.near, &self.assign);
        let both = |h: &&Hood| {
            (
                regroup(p, near, assign, h, -1, deadline),
                regroup(p, near, assign, h, 1, deadline),
            )
        };
        let solved: Vec<(Regrouped, Regrouped)> = if self.parallel {
            to_solve.par_iter().map(both).collect()
        } else {
            to_solve.iter().map(both).collect()
        };
        // A round cut short by the deadline still pairs what it solved (the search ends
        // after it, so the regroupings it could not try are never reused).
        self.solves += 2 * to_solve.len();
        for (&i, (close, open)) in fresh.iter().zip(solved) {
            let h = &hoods[i];
            self.shifted[h.seed] = Some(Shifted {
                groups: h.groups.clone(),
                at: self.step,
                close: close?,
                open: open?,
            });
        }
        let mut closings = Vec::new();
        let mut openings = Vec::new();
        for (i, h) in hoods.iter().enumerate() {
            let Some(s) = &self.shifted[h.seed] else {
                continue;
            };
            if let Some((d, cores)) = &s.close {
                closings.push((*d, i, cores.clone()));
            }
            if let Some((d, cores)) = &s.open {
                openings.push((*d, i, cores.clone()));
            }
        }
        let order = |a: &(f64, usize, Vec<usize>), b: &(f64, usize, Vec<usize>)| {
            a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
        };
        closings.sort_by(order);
        openings.sort_by(order);
        let (p, assign) = (self.p, &self.assign);
        let before = p.distance_cost(assign);
        let min_saving = EPS * before.abs().max(1.0);
        let mut used = vec![false; p.cores.len()];
        let mut pairs: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (oi, (saved, i, _)) in openings.iter().enumerate() {
            let opened = &hoods[*i];
            if opened.groups.iter().any(|&c| used[c]) {
                continue;
            }
            let found = closings.iter().enumerate().find(|(_, (cost, j, _))| {
                saved + cost < -min_saving
                    && hoods[*j]
                        .groups
                        .iter()
                        .all(|c| !used[*c] && !opened.groups.contains(c))
            });
            let Some((ci, (_, j, _))) = found else {
                continue;
            };
            for &c in opened.groups.iter().chain(&hoods[*j].groups) {
                used[c] = true;
            }
            pairs.push((oi, *i, ci, *j));
        }
        let mut trial = self.assign.clone();
        for &(oi, i, ci, j) in &pairs {
            for (hood, cores) in [(&hoods[i], &openings[oi].2), (&hoods[j], &closings[ci].2)] {
                for (&u, &c) in hood.units.iter().zip(cores) {
                    trial[u] = c;
                }
            }
        }
        if pairs.is_empty() || !p.is_feasible(&trial) {
            return Ok(0);
        }
        for &(oi, i, ci, j) in &pairs {
            self.apply(&hoods[i], &openings[oi].2);
            self.apply(&hoods[j], &closings[ci].2);
        }
        if self.debug {
            eprintln!(
                "rebalance (k = {k}): {} groups moved, {:.1}s, {before:.4} -> {:.4}",
                pairs.len(),
                self.started.elapsed().as_secs_f64(),
                p.distance_cost(&self.assign)
            );
        }
        Ok(pairs.len())
    }
}

/// HiGHS on one neighbourhood regrouped into `shift` more groups than it has (−1, 0 or 1):
/// the change in distance and the units' new cores, when HiGHS finds a grouping (with
/// `shift` 0, only one strictly better than the current, which warm-starts HiGHS).
fn regroup(
    p: &TrackProblem,
    near: &Near,
    assign: &[usize],
    hood: &Hood,
    shift: isize,
    deadline: Instant,
) -> Result<Option<(f64, Vec<usize>)>, MipError> {
    let count = hood.groups.len() as isize + shift;
    if Instant::now() >= deadline || count < 1 || count as usize > hood.units.len() {
        return Ok(None);
    }
    let (sub, global) = sub_problem(p, near, &hood.units, count as usize);
    let current: Vec<usize> = hood
        .units
        .iter()
        .map(|&u| {
            global
                .iter()
                .position(|&c| c == assign[u])
                .unwrap_or(usize::MAX)
        })
        .collect();
    if current.contains(&usize::MAX) {
        return Ok(None);
    }
    let before = sub.distance_cost(&current);
    let mut mip = model::build(&sub, &Allowed::fitting(&sub), false);
    mip.model.highs_int_option("mip_max_nodes", SUB_NODES);
    // On models this small presolve costs more than it saves (p3038_600: the first sweep's
    // 600 solves took 20 s without it, 24 s with it).
    mip.model.set_presolve(false);
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    let sub_options = MipOptions {
        time_limit_s: left.min(SUB_SECONDS),
        // Neighbourhoods run side by side, one thread each.
        threads: 1,
    };
    let warm = (shift == 0).then(|| mip.warm_start(&sub, &current));
    let r = mip.model.solve(
        &mip.objective,
        Sense::Minimise,
        &sub_options,
        warm.as_deref(),
    )?;
    if !r.status.has_solution() {
        return Ok(None);
    }
    let found = mip.assignment(&sub, |v| r.is_one(v));
    if found.iter().any(|&c| c >= sub.cores.len()) || !sub.is_feasible(&found) {
        return Ok(None);
    }
    let after = sub.distance_cost(&found);
    if shift == 0 && after >= before - EPS * before.abs().max(1.0) - 1e-7 {
        return Ok(None);
    }
    Ok(Some((
        after - before,
        found.iter().map(|&c| global[c]).collect(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::groups::cpmp::Benchmark;
    use crate::solve::groups::track_problem;

    /// Three far-apart clusters: A (x ≈ 0) holds three groups where two would do, B
    /// (x ≈ 1000, two rows 100 apart) one group where it needs two, C (x ≈ −1000) two.
    fn three_clusters() -> (TrackProblem, Assignment) {
        let mut points: Vec<(f64, f64, f64)> = (0..6).map(|i| (i as f64, 0.0, 1.0)).collect();
        for y in [0.0, 100.0] {
            points.extend((0..3).map(|i| (1000.0 + i as f64, y, 1.0)));
        }
        points.extend((0..4).map(|i| (-1000.0 - i as f64, 0.0, 1.0)));
        let b = Benchmark {
            name: "clusters".into(),
            p: 6,
            capacity: 100.0,
            points,
            floor: false,
            stated: None,
        };
        let p = track_problem(&b.instance(), &b.track());
        let core_of = |u: usize| {
            (0..p.cores.len())
                .find(|&c| p.cores[c].home == u)
                .expect("every point may lead")
        };
        // A: {0,1} {2,3} {4,5}; B: all six led by (1001, 0); C: {12,13} {14,15}.
        let lead = [0, 0, 2, 2, 4, 4, 7, 7, 7, 7, 7, 7, 12, 12, 14, 14];
        let assign: Assignment = lead.iter().map(|&u| core_of(u)).collect();
        assert!(p.is_feasible(&assign));
        (p, assign)
    }

    #[test]
    fn rebalancing_moves_a_group_from_where_it_is_spare_to_where_it_is_missing() {
        let (p, assign) = three_clusters();
        let near = Near::new(&p);
        let far = Instant::now() + std::time::Duration::from_secs(60);
        let before = p.distance_cost(&assign);
        let mut search = Search::new(&p, &near, &assign, false);
        let moved = search.rebalance(2, far).expect("HiGHS runs");
        assert!(moved >= 1, "no group moved");
        assert!(p.is_feasible(&search.assign));
        // Points 6..12 are B's.
        let led_in_b = p
            .groups(&search.assign)
            .iter()
            .filter(|(c, _)| (6..12).contains(&p.cores[*c].home))
            .count();
        // B now has two groups, and the distance fell by more than B's second row's 3 × 100.
        assert_eq!(led_in_b, 2);
        assert!(p.distance_cost(&search.assign) < before - 250.0);
    }

    #[test]
    fn improve_keeps_every_rule_and_never_worsens() {
        let (p, assign) = three_clusters();
        let near = Near::new(&p);
        let far = Instant::now() + std::time::Duration::from_secs(60);
        for threads in [1, 0] {
            let options = MipOptions {
                time_limit_s: 60.0,
                threads,
            };
            let better = improve(&p, &near, &assign, &options, far).expect("HiGHS runs");
            assert!(p.is_feasible(&better));
            assert!(p.distance_cost(&better) < p.distance_cost(&assign) - 250.0);
        }
    }
}
