//! A heuristic incumbent to warm-start the MIP and to drive reduced-cost fixing: greedy and
//! randomised-greedy choices of cores, regret-ordered capacitated assignment, then local
//! search (shift, swap, core relocation inside a group, core exchange). It never stands in
//! for the MIP: its solution is only a starting point and an upper bound.
//!
//! Deterministic: a fixed seed and iteration caps; the clock only cuts the search short
//! when the step's time limit runs out (the run then reports status `feasible`).

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::problem::{Assignment, EPS, TrackProblem};

/// Randomised restarts after the plain greedy one.
const RESTARTS: usize = 6;
/// Core-exchange neighbourhood: the closest unopened cores to the one being closed.
const EXCHANGE_NEAREST: usize = 8;
/// Cap on local-search passes, to keep the heuristic cheap on large tracks.
const MAX_PASSES: usize = 50;

/// When the search must stop, if ever.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deadline(pub Option<Instant>);

impl Deadline {
    pub fn passed(self) -> bool {
        self.0.is_some_and(|d| Instant::now() >= d)
    }
}

/// The best feasible assignment found, if any (checked with [`TrackProblem::is_feasible`]).
pub fn find(p: &TrackProblem) -> Option<Assignment> {
    find_until(p, Deadline::default())
}

/// [`find`], stopping with the best assignment so far once `deadline` passes.
pub fn find_until(p: &TrackProblem, deadline: Deadline) -> Option<Assignment> {
    if p.units.is_empty() || p.count == 0 || p.count > p.units.len() {
        return None;
    }
    let cands: Vec<usize> = (0..p.cores.len()).filter(|&c| p.core_fits(c)).collect();
    if cands.len() < p.count {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x9e37_79b9);
    let mut best: Option<(f64, Assignment)> = None;
    for start in 0..=RESTARTS {
        if start > 0 && deadline.passed() {
            break;
        }
        let Some(open) = greedy_open(p, &cands, start > 0, &mut rng, deadline) else {
            continue;
        };
        let Some(sol) = improve_cores(p, &cands, open, deadline) else {
            continue;
        };
        if !p.is_feasible(&sol) {
            continue;
        }
        let value = p.objective(&sol);
        if best.as_ref().is_none_or(|(b, _)| value < *b - EPS) {
            best = Some((value, sol));
        }
    }
    best.map(|(_, s)| s)
}

/// Improves from a given set of open cores (e.g. the largest y of the LP relaxation);
/// `None` when no feasible assignment is found.
pub fn from_cores(p: &TrackProblem, open: Vec<usize>) -> Option<Assignment> {
    let cands: Vec<usize> = (0..p.cores.len()).filter(|&c| p.core_fits(c)).collect();
    if open.len() != p.count || open.iter().any(|c| !cands.contains(c)) {
        return None;
    }
    improve_cores(p, &cands, open, Deadline::default()).filter(|s| p.is_feasible(s))
}

/// [`from_cores`] under a deadline.
pub fn from_cores_until(
    p: &TrackProblem,
    open: Vec<usize>,
    deadline: Deadline,
) -> Option<Assignment> {
    let cands: Vec<usize> = (0..p.cores.len()).filter(|&c| p.core_fits(c)).collect();
    if open.len() != p.count || open.iter().any(|c| !cands.contains(c)) {
        return None;
    }
    improve_cores(p, &cands, open, deadline).filter(|s| p.is_feasible(s))
}

/// Greedy p-median choice of cores (uncapacitated), at most one core per unit; with
/// `randomise`, each step picks among the three best additions.
fn greedy_open(
    p: &TrackProblem,
    cands: &[usize],
    randomise: bool,
    rng: &mut ChaCha8Rng,
    deadline: Deadline,
) -> Option<Vec<usize>> {
    let nu = p.units.len();
    let mut nearest = vec![f64::INFINITY; nu];
    let mut open: Vec<usize> = Vec::new();
    let mut home_used = vec![false; nu];
    while open.len() < p.count {
        if deadline.passed() {
            // Out of time: the remaining cores go where units are farthest from any core.
            let pick = cands
                .iter()
                .copied()
                .filter(|&c| !home_used[p.cores[c].home])
                .max_by(|&a, &b| {
                    nearest[p.cores[a].home]
                        .total_cmp(&nearest[p.cores[b].home])
                        .then(b.cmp(&a))
                })?;
            home_used[p.cores[pick].home] = true;
            open.push(pick);
            for (u, n) in nearest.iter_mut().enumerate() {
                *n = n.min(p.cost[u][pick]);
            }
            continue;
        }
        let mut scored: Vec<(f64, usize)> = cands
            .iter()
            .filter(|&&c| !home_used[p.cores[c].home])
            .map(|&c| {
                let total: f64 = (0..nu).map(|u| nearest[u].min(p.cost[u][c])).sum();
                (if total.is_finite() { total } else { f64::MAX }, c)
            })
            .collect();
        if scored.is_empty() {
            return None;
        }
        scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let pick = if randomise {
            scored[rng.gen_range(0..scored.len().min(3))].1
        } else {
            scored[0].1
        };
        home_used[p.cores[pick].home] = true;
        open.push(pick);
        for (u, n) in nearest.iter_mut().enumerate() {
            *n = n.min(p.cost[u][pick]);
        }
    }
    Some(open)
}

/// Loads of a group: students and units.
#[derive(Clone, Copy, Default)]
struct Load {
    students: f64,
    units: usize,
}

struct State<'a> {
    p: &'a TrackProblem,
    assign: Assignment,
    load: Vec<Load>,
    deadline: Deadline,
}

impl<'a> State<'a> {
    fn fits(&self, u: usize, c: usize, leaving: Option<usize>) -> bool {
        let unit = &self.p.units[u];
        let (mut s, mut n) = (
            self.load[c].students + unit.students,
            self.load[c].units + 1,
        );
        if let Some(v) = leaving {
            s -= self.p.units[v].students;
            n -= 1;
        }
        self.p.max_students.is_none_or(|m| s <= m + EPS) && self.p.max_units.is_none_or(|m| n <= m)
    }

    /// Whether removing unit u (and maybe adding v) keeps c's group above min_students.
    fn keeps_min(&self, c: usize, u: usize, joining: Option<usize>) -> bool {
        let Some(min) = self.p.min_students else {
            return true;
        };
        let mut s = self.load[c].students - self.p.units[u].students;
        if let Some(v) = joining {
            s += self.p.units[v].students;
        }
        // A group already short of the minimum may still trade units at no further loss.
        s >= min - EPS || s >= self.load[c].students - EPS
    }

    fn move_unit(&mut self, u: usize, to: usize) {
        let from = self.assign[u];
        let s = self.p.units[u].students;
        self.load[from].students -= s;
        self.load[from].units -= 1;
        self.load[to].students += s;
        self.load[to].units += 1;
        self.assign[u] = to;
    }

    fn is_home(&self, u: usize) -> bool {
        self.p.cores[self.assign[u]].home == u
    }

    /// Shift and swap moves until none improves (first improvement, fixed order).
    fn local_search(&mut self, swaps: bool) {
        let p = self.p;
        let nu = p.units.len();
        let open: Vec<usize> = {
            let mut o: Vec<usize> = self.assign.to_vec();
            o.sort_unstable();
            o.dedup();
            o
        };
        for _ in 0..MAX_PASSES {
            if self.deadline.passed() {
                break;
            }
            let mut improved = false;
            for u in 0..nu {
                if self.is_home(u) {
                    continue;
                }
                let from = self.assign[u];
                let mut best = (0.0, usize::MAX);
                for &c in &open {
                    if c == from || !self.fits(u, c, None) || !self.keeps_min(from, u, None) {
                        continue;
                    }
                    let delta = p.cost[u][c] - p.cost[u][from];
                    if delta < best.0 - EPS {
                        best = (delta, c);
                    }
                }
                if best.1 != usize::MAX {
                    self.move_unit(u, best.1);
                    improved = true;
                }
            }
            if swaps {
                for u in 0..nu {
                    if self.is_home(u) {
                        continue;
                    }
                    if u % 64 == 0 && self.deadline.passed() {
                        return;
                    }
                    for v in (u + 1)..nu {
                        let (cu, cv) = (self.assign[u], self.assign[v]);
                        if cu == cv || self.is_home(v) {
                            continue;
                        }
                        let delta = p.cost[u][cv] + p.cost[v][cu] - p.cost[u][cu] - p.cost[v][cv];
                        if delta < -EPS
                            && self.fits(u, cv, Some(v))
                            && self.fits(v, cu, Some(u))
                            && self.keeps_min(cu, u, Some(v))
                            && self.keeps_min(cv, v, Some(u))
                        {
                            self.move_unit(u, cv);
                            self.move_unit(v, cu);
                            improved = true;
                        }
                    }
                }
            }
            if swaps && !improved && !self.deadline.passed() {
                improved = self.eject();
            }
            if !improved {
                break;
            }
        }
    }

    /// Ejection chains of length two: u moves into a full group B, which passes one of its
    /// units v on to a third group C. First improvement; returns whether one was made.
    fn eject(&mut self) -> bool {
        let p = self.p;
        let nu = p.units.len();
        let mut members: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for u in 0..nu {
            if !self.is_home(u) {
                members.entry(self.assign[u]).or_default().push(u);
            }
        }
        let open: Vec<usize> = {
            let mut o: Vec<usize> = self.assign.to_vec();
            o.sort_unstable();
            o.dedup();
            o
        };
        for u in 0..nu {
            if self.is_home(u) {
                continue;
            }
            if u % 64 == 0 && self.deadline.passed() {
                return false;
            }
            let a = self.assign[u];
            for &b in &open {
                if b == a || self.fits(u, b, None) {
                    continue;
                }
                let gain_u = p.cost[u][b] - p.cost[u][a];
                for &v in members.get(&b).map_or(&[][..], |m| &m[..]) {
                    if !self.fits(u, b, Some(v)) || !self.keeps_min(a, u, None) {
                        continue;
                    }
                    for &c in &open {
                        if c == a || c == b {
                            continue;
                        }
                        let delta = gain_u + p.cost[v][c] - p.cost[v][b];
                        if delta < -EPS && self.fits(v, c, None) {
                            self.move_unit(v, c);
                            self.move_unit(u, b);
                            return true;
                        }
                    }
                }
            }
        }
        false
    }
}

/// Regret-ordered capacitated assignment of every unit to the `open` cores.
fn assign<'a>(p: &'a TrackProblem, open: &[usize], deadline: Deadline) -> Option<State<'a>> {
    let nu = p.units.len();
    let mut st = State {
        p,
        assign: vec![usize::MAX; nu],
        load: vec![Load::default(); p.cores.len()],
        deadline,
    };
    for &c in open {
        let h = p.cores[c].home;
        if st.assign[h] != usize::MAX {
            return None;
        }
        st.assign[h] = c;
        st.load[c] = Load {
            students: p.units[h].students,
            units: 1,
        };
    }
    let mut order: Vec<(f64, usize)> = (0..nu)
        .filter(|&u| st.assign[u] == usize::MAX)
        .map(|u| {
            let mut costs: Vec<f64> = open.iter().map(|&c| p.cost[u][c]).collect();
            costs.sort_by(f64::total_cmp);
            let regret = if costs.len() > 1 {
                costs[1] - costs[0]
            } else {
                f64::MAX
            };
            (regret, u)
        })
        .collect();
    // Big units first when capacity binds, then by regret.
    order.sort_by(|a, b| {
        let (sa, sb) = (p.units[a.1].students, p.units[b.1].students);
        b.0.total_cmp(&a.0)
            .then(sb.total_cmp(&sa))
            .then(a.1.cmp(&b.1))
    });
    for (_, u) in order {
        let best = open
            .iter()
            .copied()
            .filter(|&c| st.fits(u, c, None))
            .min_by(|&a, &b| p.cost[u][a].total_cmp(&p.cost[u][b]).then(a.cmp(&b)))?;
        st.assign[u] = best;
        st.load[best].students += p.units[u].students;
        st.load[best].units += 1;
    }
    Some(st)
}

/// Assign, improve, then relocate cores inside their groups and exchange open cores with
/// nearby closed ones while that improves the distance cost.
fn improve_cores(
    p: &TrackProblem,
    cands: &[usize],
    mut open: Vec<usize>,
    deadline: Deadline,
) -> Option<Assignment> {
    let mut st = assign(p, &open, deadline)?;
    st.local_search(true);
    let mut best = (p.distance_cost(&st.assign), st.assign.clone());
    for _ in 0..MAX_PASSES {
        if deadline.passed() {
            break;
        }
        let mut improved = false;
        // Relocation: same members, a better core among them.
        for (c, us) in p.groups(&best.1) {
            let current: f64 = us.iter().map(|&u| p.cost[u][c]).sum();
            let alt = cands
                .iter()
                .copied()
                .filter(|&k| k != c && us.contains(&p.cores[k].home))
                .map(|k| (us.iter().map(|&u| p.cost[u][k]).sum::<f64>(), k))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let Some((value, k)) = alt
                && value < current - EPS
            {
                let mut sol = best.1.clone();
                for &u in &us {
                    sol[u] = k;
                }
                best = (p.distance_cost(&sol), sol);
                improved = true;
            }
        }
        open = {
            let mut o = best.1.clone();
            o.sort_unstable();
            o.dedup();
            o
        };
        // Exchange: close one core, open a nearby closed one, reassign everything.
        'exchange: for i in 0..open.len() {
            if deadline.passed() {
                break;
            }
            let c = open[i];
            let mut near: Vec<(f64, usize)> = cands
                .iter()
                .copied()
                .filter(|k| !open.contains(k))
                .map(|k| (p.cost[p.cores[c].home][k], k))
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for &(_, k) in near.iter().take(EXCHANGE_NEAREST) {
                let mut trial = open.clone();
                trial[i] = k;
                let Some(mut s) = assign(p, &trial, deadline) else {
                    continue;
                };
                s.local_search(false);
                if p.distance_cost(&s.assign) < best.0 - EPS {
                    s.local_search(true);
                    best = (p.distance_cost(&s.assign), s.assign.clone());
                    improved = true;
                    break 'exchange;
                }
            }
        }
        if !improved {
            break;
        }
        let mut s = assign_from(p, &best.1, deadline);
        s.local_search(true);
        best = (p.distance_cost(&s.assign), s.assign);
    }
    Some(best.1)
}

fn assign_from<'a>(p: &'a TrackProblem, sol: &[usize], deadline: Deadline) -> State<'a> {
    let mut load = vec![Load::default(); p.cores.len()];
    for (u, &c) in sol.iter().enumerate() {
        load[c].students += p.units[u].students;
        load[c].units += 1;
    }
    State {
        p,
        assign: sol.to_vec(),
        load,
        deadline,
    }
}
