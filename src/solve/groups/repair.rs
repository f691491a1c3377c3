//! The Lagrangian heuristic's repair: from a set of open cores (those a Lagrangian
//! relaxation chose), a feasible grouping. Units go to their nearest open core with room in
//! order of regret; then local search over neighbour lists: shifts and swaps of units
//! between nearby groups within the capacities, and relocation of each group's core to the
//! member that minimises the group's distance sum. Every step looks only at nearby cores, so
//! a repair costs milliseconds on thousands of units.

use super::incumbent::Deadline;
use super::near::Near;
use super::problem::{Assignment, EPS, TrackProblem};

/// Nearest open cores considered per unit.
const OPEN_NEAREST: usize = 12;
/// Closed cores tried per open core in an exchange round.
const EXCHANGE_CANDIDATES: usize = 6;
/// Cap on local-search rounds.
const MAX_ROUNDS: usize = 200;

struct Groups<'a> {
    p: &'a TrackProblem,
    near: &'a Near,
    assign: Vec<usize>,
    students: Vec<f64>,
    members: Vec<Vec<usize>>,
    open: Vec<bool>,
    /// Per unit, its nearest open cores, by cost.
    lists: Vec<Vec<usize>>,
}

impl<'a> Groups<'a> {
    fn is_home(&self, u: usize) -> bool {
        self.p.cores[self.assign[u]].home == u
    }

    /// Whether c's group takes u, with `leaving` going out at the same time.
    fn takes(&self, c: usize, u: usize, leaving: Option<usize>) -> bool {
        let p = self.p;
        let mut s = self.students[c] + p.units[u].students;
        let mut n = self.members[c].len() + 1;
        if let Some(v) = leaving {
            s -= p.units[v].students;
            n -= 1;
        }
        p.max_students.is_none_or(|m| s <= m + EPS) && p.max_units.is_none_or(|m| n <= m)
    }

    /// Whether c's group stays at or above min_students when u leaves and `joining` comes.
    fn keeps_min(&self, c: usize, u: usize, joining: Option<usize>) -> bool {
        let Some(min) = self.p.min_students else {
            return true;
        };
        let mut s = self.students[c] - self.p.units[u].students;
        if let Some(v) = joining {
            s += self.p.units[v].students;
        }
        s >= min - EPS || s >= self.students[c] - EPS
    }

    fn put(&mut self, u: usize, c: usize) {
        self.assign[u] = c;
        self.students[c] += self.p.units[u].students;
        self.members[c].push(u);
    }

    fn take_out(&mut self, u: usize) {
        let c = self.assign[u];
        self.students[c] -= self.p.units[u].students;
        if let Some(i) = self.members[c].iter().position(|&v| v == u) {
            self.members[c].swap_remove(i);
        }
    }

    fn shift(&mut self, u: usize, to: usize) {
        self.take_out(u);
        self.put(u, to);
    }

    fn refresh_lists(&mut self, open_cores: &[usize]) {
        let p = self.p;
        let want = OPEN_NEAREST.min(open_cores.len());
        self.lists = (0..p.units.len())
            .map(|u| {
                let mut l: Vec<usize> = self.near.by_unit[u]
                    .iter()
                    .map(|&c| c as usize)
                    .filter(|&c| self.open[c])
                    .take(want)
                    .collect();
                if l.len() < want && !self.near.unit_complete[u] {
                    l = open_cores.to_vec();
                    l.sort_by(|&a, &b| p.cost[u][a].total_cmp(&p.cost[u][b]).then(a.cmp(&b)));
                    l.truncate(want);
                }
                l
            })
            .collect();
    }

    fn open_cores(&self) -> Vec<usize> {
        (0..self.open.len()).filter(|&c| self.open[c]).collect()
    }

    /// Best-improvement shift of each unit to one of its nearest open cores.
    fn shifts(&mut self) -> bool {
        let p = self.p;
        let mut improved = false;
        for u in 0..p.units.len() {
            if self.is_home(u) {
                continue;
            }
            let from = self.assign[u];
            if !self.keeps_min(from, u, None) {
                continue;
            }
            let mut best = (-EPS, usize::MAX);
            for &c in &self.lists[u] {
                let delta = p.cost[u][c] - p.cost[u][from];
                if c != from && delta < best.0 && self.takes(c, u, None) {
                    best = (delta, c);
                }
            }
            if best.1 != usize::MAX {
                self.shift(u, best.1);
                improved = true;
            }
        }
        improved
    }

    /// Swaps of u with a member v of a nearby group, first improvement per unit.
    fn swaps(&mut self) -> bool {
        let p = self.p;
        let mut improved = false;
        for u in 0..p.units.len() {
            if self.is_home(u) {
                continue;
            }
            let a = self.assign[u];
            let mut done = None;
            'cores: for &b in &self.lists[u] {
                if b == a || p.cost[u][b] >= p.cost[u][a] {
                    continue;
                }
                for &v in &self.members[b] {
                    if p.cores[b].home == v {
                        continue;
                    }
                    let delta = p.cost[u][b] + p.cost[v][a] - p.cost[u][a] - p.cost[v][b];
                    if delta < -EPS
                        && self.takes(b, u, Some(v))
                        && self.takes(a, v, Some(u))
                        && self.keeps_min(a, u, Some(v))
                        && self.keeps_min(b, v, Some(u))
                    {
                        done = Some((v, b));
                        break 'cores;
                    }
                }
            }
            if let Some((v, b)) = done {
                self.shift(u, b);
                self.shift(v, a);
                improved = true;
            }
        }
        improved
    }

    /// Ejection chains: u moves into a nearby group B that is full, which passes one of its
    /// units v on to a third group C near v. First improvement per unit.
    fn ejections(&mut self) -> bool {
        let p = self.p;
        let mut improved = false;
        for u in 0..p.units.len() {
            if self.is_home(u) {
                continue;
            }
            let a = self.assign[u];
            if !self.keeps_min(a, u, None) {
                continue;
            }
            let mut done = None;
            'cores: for &b in &self.lists[u] {
                let gain_u = p.cost[u][b] - p.cost[u][a];
                if b == a || gain_u >= -EPS || self.takes(b, u, None) {
                    continue;
                }
                for &v in &self.members[b] {
                    if p.cores[b].home == v || !self.takes(b, u, Some(v)) {
                        continue;
                    }
                    for &c in &self.lists[v] {
                        if c == a || c == b {
                            continue;
                        }
                        let delta = gain_u + p.cost[v][c] - p.cost[v][b];
                        if delta < -EPS && self.takes(c, v, None) {
                            done = Some((b, v, c));
                            break 'cores;
                        }
                    }
                }
            }
            if let Some((b, v, c)) = done {
                self.shift(v, c);
                self.shift(u, b);
                improved = true;
            }
        }
        improved
    }

    /// Closes a group's core A and opens a closed core B near it: B's own unit leaves its
    /// group for B, A's members go (largest regret first) to the nearest open core with room.
    /// Kept when the total distance falls. Returns whether one was kept.
    fn exchanges(&mut self, candidates: usize) -> bool {
        let mut improved = false;
        for a in self.open_cores() {
            if !self.open[a] {
                continue;
            }
            let mut tried = 0;
            let near_units: Vec<u32> = self.near.by_core[a].clone();
            for &h in &near_units {
                if tried >= candidates {
                    break;
                }
                let h = h as usize;
                let Some(&b) = self.near.homed[h].iter().find(|&&k| !self.open[k]) else {
                    continue;
                };
                // A member of a's own group would make this a relocation.
                if self.is_home(h) || self.assign[h] == a {
                    continue;
                }
                tried += 1;
                if self.try_exchange(a, b) {
                    improved = true;
                    break;
                }
            }
        }
        improved
    }

    /// One exchange of open core a for closed core b, undone unless it pays.
    fn try_exchange(&mut self, a: usize, b: usize) -> bool {
        let p = self.p;
        let h = p.cores[b].home;
        let before_assign: Vec<(usize, usize)> = self.members[a]
            .iter()
            .map(|&u| (u, a))
            .chain(std::iter::once((h, self.assign[h])))
            .collect();
        let old: f64 = before_assign.iter().map(|&(u, c)| p.cost[u][c]).sum();
        let x = self.assign[h];
        if !self.keeps_min(x, h, None) {
            return false;
        }
        // Apply: close a, open b with its own unit.
        let movers: Vec<usize> = self.members[a].clone();
        self.take_out(h);
        for &u in &movers {
            self.take_out(u);
        }
        self.open[a] = false;
        self.open[b] = true;
        self.put(h, b);
        let mut order: Vec<(f64, usize)> = movers
            .iter()
            .map(|&u| {
                let mut best = [f64::INFINITY; 2];
                for c in self.open_near(u).take(2) {
                    let d = p.cost[u][c];
                    if d < best[0] {
                        best = [d, best[0]];
                    } else if d < best[1] {
                        best[1] = d;
                    }
                }
                (best[1] - best[0], u)
            })
            .collect();
        order.sort_by(|x, y| {
            y.0.total_cmp(&x.0)
                .then(p.units[y.1].students.total_cmp(&p.units[x.1].students))
                .then(x.1.cmp(&y.1))
        });
        let mut new = p.cost[h][b];
        let mut placed = Vec::with_capacity(movers.len());
        let mut ok = true;
        for &(_, u) in &order {
            let c = self.open_near(u).find(|&c| self.takes(c, u, None));
            match c {
                Some(c) => {
                    self.put(u, c);
                    new += p.cost[u][c];
                    placed.push(u);
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && new < old - EPS && self.min_kept(b) {
            return true;
        }
        // Undo.
        for &u in &placed {
            self.take_out(u);
        }
        self.take_out(h);
        self.open[b] = false;
        self.open[a] = true;
        for &(u, c) in &before_assign {
            self.put(u, c);
        }
        false
    }

    /// Whether the group of c meets min_students (trivially when there is none).
    fn min_kept(&self, c: usize) -> bool {
        self.p
            .min_students
            .is_none_or(|m| self.students[c] >= m - EPS)
    }

    /// Open cores in u's neighbour list, nearest first (only those: an exchange that finds
    /// no room there is undone).
    fn open_near(&self, u: usize) -> impl Iterator<Item = usize> + '_ {
        self.near.by_unit[u]
            .iter()
            .map(|&c| c as usize)
            .filter(move |&c| self.open[c])
    }

    /// Moves each group's core to the member (with a core of its own) that minimises the
    /// group's distance sum.
    fn relocations(&mut self) -> bool {
        let p = self.p;
        let mut improved = false;
        for c in self.open_cores() {
            if !self.open[c] {
                continue;
            }
            let us = self.members[c].clone();
            let current: f64 = us.iter().map(|&u| p.cost[u][c]).sum();
            let mut best = (current - EPS, usize::MAX);
            for &m in &us {
                for &k in &self.near.homed[m] {
                    if k == c || self.open[k] {
                        continue;
                    }
                    let total: f64 = us.iter().map(|&u| p.cost[u][k]).sum();
                    if total < best.0 {
                        best = (total, k);
                    }
                }
            }
            if best.1 == usize::MAX {
                continue;
            }
            let k = best.1;
            self.open[c] = false;
            self.open[k] = true;
            self.students[k] = self.students[c];
            self.students[c] = 0.0;
            self.members[k] = std::mem::take(&mut self.members[c]);
            for &u in &self.members[k] {
                self.assign[u] = k;
            }
            improved = true;
        }
        improved
    }
}

/// A feasible grouping with exactly the cores `open` (improved by relocation), or `None`
/// when the greedy assignment finds no room or the result breaks a rule.
pub fn repair(
    p: &TrackProblem,
    near: &Near,
    open: &[usize],
    exchange: bool,
    deadline: Deadline,
) -> Option<Assignment> {
    let nu = p.units.len();
    let nc = p.cores.len();
    if open.len() != p.count {
        return None;
    }
    let mut g = Groups {
        p,
        near,
        assign: vec![usize::MAX; nu],
        students: vec![0.0; nc],
        members: vec![Vec::new(); nc],
        open: vec![false; nc],
        lists: Vec::new(),
    };
    for &c in open {
        let h = p.cores[c].home;
        if !near.fits[c] || g.assign[h] != usize::MAX {
            return None;
        }
        g.open[c] = true;
        g.put(h, c);
    }
    g.refresh_lists(open);
    let mut order: Vec<(f64, usize)> = (0..nu)
        .filter(|&u| g.assign[u] == usize::MAX)
        .map(|u| {
            let l = &g.lists[u];
            let regret = match l.len() {
                0 => f64::MAX,
                1 => f64::MAX / 2.0,
                _ => p.cost[u][l[1]] - p.cost[u][l[0]],
            };
            (regret, u)
        })
        .collect();
    order.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(p.units[b.1].students.total_cmp(&p.units[a.1].students))
            .then(a.1.cmp(&b.1))
    });
    for (_, u) in order {
        let c = match g.lists[u].iter().copied().find(|&c| g.takes(c, u, None)) {
            Some(c) => c,
            None => open
                .iter()
                .copied()
                .filter(|&c| p.pair_fits(u, c) && g.takes(c, u, None))
                .min_by(|&a, &b| p.cost[u][a].total_cmp(&p.cost[u][b]).then(a.cmp(&b)))?,
        };
        g.put(u, c);
    }
    polish(&mut g, exchange, deadline);
    Some(g.assign).filter(|a| p.is_feasible(a))
}

/// Local search until no move improves (or the deadline): shifts and swaps, then ejection
/// chains, relocations and (with `exchange`) core exchanges when those find nothing.
fn polish(g: &mut Groups, exchange: bool, deadline: Deadline) {
    for _ in 0..MAX_ROUNDS {
        if deadline.passed() {
            break;
        }
        let mut improved = g.shifts();
        improved |= g.swaps();
        if !improved {
            improved = g.ejections();
        }
        if !improved && !deadline.passed() && g.relocations() {
            let cores = g.open_cores();
            g.refresh_lists(&cores);
            improved = true;
        }
        if !improved && exchange && !deadline.passed() && g.exchanges(EXCHANGE_CANDIDATES) {
            let cores = g.open_cores();
            g.refresh_lists(&cores);
            improved = true;
        }
        if !improved {
            break;
        }
    }
}

/// [`repair`]'s local search, core exchanges included, from a feasible grouping.
pub fn improve(
    p: &TrackProblem,
    near: &Near,
    assign: &[usize],
    deadline: Deadline,
) -> Option<Assignment> {
    let nc = p.cores.len();
    let mut g = Groups {
        p,
        near,
        assign: assign.to_vec(),
        students: vec![0.0; nc],
        members: vec![Vec::new(); nc],
        open: vec![false; nc],
        lists: Vec::new(),
    };
    for (u, &c) in assign.iter().enumerate() {
        g.open[c] = true;
        g.students[c] += p.units[u].students;
        g.members[c].push(u);
    }
    let cores = g.open_cores();
    g.refresh_lists(&cores);
    polish(&mut g, true, deadline);
    Some(g.assign).filter(|a| p.is_feasible(a))
}
