//! A track reduced to what the model sees: units to place (schools, or townships), candidate
//! cores, and the cost of serving each unit from each core.

use crate::domain::instance::Instance;
use crate::domain::policy::TrackMode;

/// Something placed whole into one group: a school (school mode) or a township's track
/// schools (township mode, G4).
#[derive(Debug, Clone)]
pub struct Unit {
    /// School indices, in instance order.
    pub schools: Vec<usize>,
    /// The township (the school's own in school mode).
    pub township: usize,
    pub students: f64,
    /// Σ quality over the unit's schools (a group's mean quality is unweighted, P3/G2).
    pub quality_sum: f64,
}

impl Unit {
    pub fn size(&self) -> f64 {
        self.schools.len() as f64
    }
}

/// A school that may lead a group (G3): a track school with `core_eligible` and enough quality.
#[derive(Debug, Clone, Copy)]
pub struct Core {
    pub school: usize,
    /// The unit holding the core; it always belongs to the core's group.
    pub home: usize,
}

/// One track as a capacitated p-median-like problem.
#[derive(Debug, Clone)]
pub struct TrackProblem {
    pub name: String,
    pub mode: TrackMode,
    pub units: Vec<Unit>,
    pub cores: Vec<Core>,
    /// `cost[u][c]`: Σ over unit u's schools of the distance to core c (G2).
    pub cost: Vec<Vec<f64>>,
    pub count: usize,
    /// G1 (school mode only): units per group, core included.
    pub max_units: Option<usize>,
    pub min_students: Option<f64>,
    pub max_students: Option<f64>,
    pub balance_weight: f64,
    /// Unit adjacency (sorted neighbour lists) when groups must be contiguous (G4).
    pub adjacency: Option<Vec<Vec<usize>>>,
    /// Smallest and largest quality of a track school, bounds of any group's mean.
    pub quality_range: (f64, f64),
    /// G3's conditions in words, for explanations.
    pub core_rule: String,
}

/// A solution: `assign[u]` is the index (into `cores`) of unit u's core.
pub type Assignment = Vec<usize>;

/// Tolerance for student totals and quality comparisons (inputs are decimals from CSV).
pub const EPS: f64 = 1e-9;

impl TrackProblem {
    /// Costs from instance distances: every school of a unit to the core school.
    pub fn costs(inst: &Instance, units: &[Unit], cores: &[Core]) -> Vec<Vec<f64>> {
        units
            .iter()
            .map(|u| {
                cores
                    .iter()
                    .map(|c| u.schools.iter().map(|&s| inst.distance(s, c.school)).sum())
                    .collect()
            })
            .collect()
    }

    pub fn total_students(&self) -> f64 {
        self.units.iter().map(|u| u.students).sum()
    }

    pub fn school_count(&self) -> usize {
        self.units.iter().map(|u| u.schools.len()).sum()
    }

    /// Whether the balance term can be non-zero and so needs modelling.
    pub fn has_balance(&self) -> bool {
        self.balance_weight > 0.0
            && self.count >= 2
            && self.quality_range.1 - self.quality_range.0 > EPS
    }

    /// Whether unit `u` can sit in a group led by core `c` next to the core's own unit
    /// (pairwise capacity checks; the core's own unit is always allowed).
    pub fn pair_fits(&self, u: usize, c: usize) -> bool {
        let home = self.cores[c].home;
        if u == home {
            return self.core_fits(c);
        }
        let (a, b) = (&self.units[u], &self.units[home]);
        if let Some(max) = self.max_students
            && a.students + b.students > max + EPS
        {
            return false;
        }
        if let Some(max) = self.max_units
            && 2 > max
        {
            return false;
        }
        true
    }

    /// Whether core `c`'s own unit alone fits the group limits.
    pub fn core_fits(&self, c: usize) -> bool {
        let home = &self.units[self.cores[c].home];
        self.max_students.is_none_or(|m| home.students <= m + EPS)
            && self.max_units.is_none_or(|m| m >= 1)
    }

    /// Distance part of the objective (G2).
    pub fn distance_cost(&self, assign: &[usize]) -> f64 {
        assign
            .iter()
            .enumerate()
            .map(|(u, &c)| self.cost[u][c])
            .sum()
    }

    /// Groups as (core, units) in core order.
    pub fn groups(&self, assign: &[usize]) -> Vec<(usize, Vec<usize>)> {
        let mut by_core: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (u, &c) in assign.iter().enumerate() {
            by_core.entry(c).or_default().push(u);
        }
        by_core.into_iter().collect()
    }

    /// Unweighted mean quality over the schools of `units`.
    pub fn mean_quality(&self, units: &[usize]) -> f64 {
        let (q, n) = units.iter().fold((0.0, 0.0), |(q, n), &u| {
            (q + self.units[u].quality_sum, n + self.units[u].size())
        });
        if n > 0.0 { q / n } else { 0.0 }
    }

    /// The full objective: distances plus balance_weight × (max − min group mean quality).
    pub fn objective(&self, assign: &[usize]) -> f64 {
        let mut value = self.distance_cost(assign);
        if self.balance_weight > 0.0 {
            let means: Vec<f64> = self
                .groups(assign)
                .iter()
                .map(|(_, us)| self.mean_quality(us))
                .collect();
            let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
            if hi.is_finite() && lo.is_finite() {
                value += self.balance_weight * (hi - lo);
            }
        }
        value
    }

    /// Every rule the model enforces, checked on an assignment (count, cores' own units,
    /// capacities, contiguity). Used to vet heuristic solutions before they warm-start.
    pub fn is_feasible(&self, assign: &[usize]) -> bool {
        if assign.len() != self.units.len() {
            return false;
        }
        let groups = self.groups(assign);
        if groups.len() != self.count {
            return false;
        }
        for (c, us) in &groups {
            let core = self.cores[*c];
            if assign[core.home] != *c {
                return false;
            }
            let students: f64 = us.iter().map(|&u| self.units[u].students).sum();
            if self.max_students.is_some_and(|m| students > m + EPS)
                || self.min_students.is_some_and(|m| students < m - EPS)
                || self.max_units.is_some_and(|m| us.len() > m)
            {
                return false;
            }
            if let Some(adj) = &self.adjacency
                && !connected(adj, us)
            {
                return false;
            }
        }
        true
    }
}

/// Whether `members` induce a connected subgraph of `adj`.
pub fn connected(adj: &[Vec<usize>], members: &[usize]) -> bool {
    let Some(&start) = members.first() else {
        return true;
    };
    let mut inside = vec![false; adj.len()];
    for &m in members {
        inside[m] = true;
    }
    let mut seen = vec![false; adj.len()];
    seen[start] = true;
    let mut stack = vec![start];
    let mut reached = 1;
    while let Some(t) = stack.pop() {
        for &n in &adj[t] {
            if inside[n] && !seen[n] {
                seen[n] = true;
                reached += 1;
                stack.push(n);
            }
        }
    }
    reached == members.len()
}

/// Connected components of `adj` (each sorted), in order of their smallest member.
pub fn components(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut comp = vec![usize::MAX; adj.len()];
    let mut out = Vec::new();
    for s in 0..adj.len() {
        if comp[s] != usize::MAX {
            continue;
        }
        let id = out.len();
        comp[s] = id;
        let mut members = vec![s];
        let mut stack = vec![s];
        while let Some(t) = stack.pop() {
            for &n in &adj[t] {
                if comp[n] == usize::MAX {
                    comp[n] = id;
                    members.push(n);
                    stack.push(n);
                }
            }
        }
        members.sort_unstable();
        out.push(members);
    }
    out
}
