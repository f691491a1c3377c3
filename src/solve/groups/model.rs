//! The MIP of one track: y_c (core c leads a group), x_uc (unit u joins core c's group),
//! the strong formulation x_uc ≤ y_c with the core's own unit fixed to it (x_home,c ≡ y_c),
//! capacities (G1, G5), the exact balance term (G2 with `balance_weight`) and single-commodity
//! flows for contiguity (G4).

use good_lp::{Expression, Variable, constraint};

use super::problem::{Assignment, EPS, TrackProblem};
use crate::solve::mip::MipModel;

/// Which cores and (unit, core) pairs the model may use. Pairs that cannot fit, or that
/// reduced-cost fixing proved useless, are left out of the model altogether.
#[derive(Debug, Clone)]
pub struct Allowed {
    pub core: Vec<bool>,
    /// `pair[u][c]`, for units other than the core's own.
    pub pair: Vec<Vec<bool>>,
}

impl Allowed {
    /// Everything the pairwise capacity checks leave possible.
    pub fn fitting(p: &TrackProblem) -> Allowed {
        let core: Vec<bool> = (0..p.cores.len()).map(|c| p.core_fits(c)).collect();
        let pair = (0..p.units.len())
            .map(|u| {
                (0..p.cores.len())
                    .map(|c| core[c] && p.cores[c].home != u && p.pair_fits(u, c))
                    .collect()
            })
            .collect();
        Allowed { core, pair }
    }

    /// Makes sure `assign`'s cores and pairs stay allowed (more variables never cut off
    /// a grouping).
    pub fn keep(&mut self, p: &TrackProblem, assign: &[usize]) {
        for (u, &c) in assign.iter().enumerate() {
            self.core[c] = true;
            if p.cores[c].home != u {
                self.pair[u][c] = true;
            }
        }
    }

    pub fn pairs(&self) -> usize {
        self.pair
            .iter()
            .map(|r| r.iter().filter(|&&b| b).count())
            .sum()
    }
}

/// Variables of the balance term: μ_c (mean quality of c's group) and w_uc = μ_c · x_uc
/// (McCormick on a binary, hence exact), and the max/min of the open groups' means.
struct Balance {
    mu: Vec<Option<Variable>>,
    /// (unit, core, w) for every assignment variable, the core's own unit included.
    w: Vec<(usize, usize, Variable)>,
    hi: Variable,
    lo: Variable,
}

/// One flow arc of root unit `root`'s commodity.
struct Arc {
    root: usize,
    from: usize,
    to: usize,
    var: Variable,
}

/// A built model and the handles to read a solution back or write a warm start.
pub struct Built {
    pub model: MipModel,
    pub objective: Expression,
    pub y: Vec<Option<Variable>>,
    /// Per unit, (core, x_uc) for the unit's non-home pairs.
    pub x: Vec<Vec<(usize, Variable)>>,
    balance: Option<Balance>,
    arcs: Vec<Arc>,
}

impl Built {
    /// The assignment variable of (u, c): y_c for the core's own unit.
    pub fn assign_var(&self, p: &TrackProblem, u: usize, c: usize) -> Option<Variable> {
        if p.cores[c].home == u {
            self.y[c]
        } else {
            self.x[u].iter().find(|&&(k, _)| k == c).map(|&(_, v)| v)
        }
    }

    /// Reads the assignment from solved values (`is_one`).
    pub fn assignment(&self, p: &TrackProblem, is_one: impl Fn(Variable) -> bool) -> Assignment {
        (0..p.units.len())
            .map(|u| {
                let home = (0..p.cores.len())
                    .find(|&c| p.cores[c].home == u && self.y[c].is_some_and(&is_one));
                home.or_else(|| self.x[u].iter().find(|&&(_, v)| is_one(v)).map(|&(c, _)| c))
                    .unwrap_or(usize::MAX)
            })
            .collect()
    }

    /// Adds rounded capacity cuts ([`super::cuts`]): valid for every grouping, so the
    /// model's optimum stays the same while its relaxation tightens.
    pub fn add_cuts(&mut self, p: &TrackProblem, cuts: &[super::cuts::Cut]) {
        let mut inside = vec![false; p.units.len()];
        for cut in cuts {
            for &u in &cut.units {
                inside[u] = true;
            }
            let mut e = Expression::default();
            for (c, core) in p.cores.iter().enumerate() {
                if inside[core.home]
                    && let Some(v) = self.y[c]
                {
                    e.add_mul(cut.weight as f64, v);
                }
            }
            for &u in &cut.units {
                for &(c, v) in &self.x[u] {
                    if !inside[p.cores[c].home] {
                        e.add_mul(1.0, v);
                    }
                }
            }
            self.model
                .constrain(constraint::geq(e, (cut.weight * cut.rhs) as f64));
            for &u in &cut.units {
                inside[u] = false;
            }
        }
    }

    /// The relaxation's point: y per core, and per unit its nonzero assignments (the
    /// core's own unit's y included).
    pub fn point(&self, p: &TrackProblem, value: impl Fn(Variable) -> f64) -> super::cuts::LpPoint {
        let y: Vec<f64> = self.y.iter().map(|v| v.map_or(0.0, &value)).collect();
        let mut assign: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.units.len()];
        for (c, core) in p.cores.iter().enumerate() {
            if y[c] > 1e-9 {
                assign[core.home].push((c, y[c]));
            }
        }
        for (u, row) in self.x.iter().enumerate() {
            for &(c, v) in row {
                let x = value(v);
                if x > 1e-9 {
                    assign[u].push((c, x));
                }
            }
        }
        super::cuts::LpPoint { y, assign }
    }

    /// A full warm start from a feasible assignment (every auxiliary variable consistent).
    pub fn warm_start(&self, p: &TrackProblem, assign: &[usize]) -> Vec<(Variable, f64)> {
        let mut out = Vec::new();
        let groups = p.groups(assign);
        for (c, _) in &groups {
            if let Some(v) = self.y[*c] {
                out.push((v, 1.0));
            }
        }
        for (u, &c) in assign.iter().enumerate() {
            if p.cores.get(c).is_some_and(|core| core.home != u)
                && let Some(v) = self.assign_var(p, u, c)
            {
                out.push((v, 1.0));
            }
        }
        if let Some(b) = &self.balance {
            let (qlo, _) = p.quality_range;
            let mut mean = vec![None; p.cores.len()];
            for (c, us) in &groups {
                mean[*c] = Some(p.mean_quality(us));
            }
            for (c, mu) in b.mu.iter().enumerate() {
                if let Some(mu) = mu {
                    out.push((*mu, mean[c].unwrap_or(qlo)));
                }
            }
            for &(u, c, w) in &b.w {
                if assign[u] == c {
                    out.push((w, mean[c].unwrap_or(qlo)));
                }
            }
            let means: Vec<f64> = mean.iter().flatten().copied().collect();
            out.push((b.hi, means.iter().copied().fold(qlo, f64::max)));
            out.push((
                b.lo,
                means.iter().copied().fold(p.quality_range.1, f64::min),
            ));
        }
        if let Some(adj) = &p.adjacency {
            let flows = tree_flows(p, adj, assign);
            for a in &self.arcs {
                if let Some(&f) = flows.get(&(a.root, a.from, a.to)) {
                    out.push((a.var, f));
                }
            }
        }
        out
    }
}

/// Flows of a spanning tree of each group, rooted at its core's unit: each arc carries the
/// number of units below it.
fn tree_flows(
    p: &TrackProblem,
    adj: &[Vec<usize>],
    assign: &[usize],
) -> std::collections::HashMap<(usize, usize, usize), f64> {
    let mut flows = std::collections::HashMap::new();
    for (c, us) in p.groups(assign) {
        let root = p.cores[c].home;
        let mut parent = vec![usize::MAX; p.units.len()];
        let mut order = vec![root];
        parent[root] = root;
        let mut i = 0;
        while i < order.len() {
            let t = order[i];
            i += 1;
            for &n in &adj[t] {
                if assign[n] == c && parent[n] == usize::MAX {
                    parent[n] = t;
                    order.push(n);
                }
            }
        }
        let mut below = vec![1.0; p.units.len()];
        for &t in order.iter().skip(1).rev() {
            flows.insert((root, parent[t], t), below[t]);
            below[parent[t]] += below[t];
        }
        let _ = us;
    }
    flows
}

/// Builds the model over `allowed`; `relaxed` makes every variable continuous (the LP
/// relaxation whose reduced costs drive fixing).
pub fn build(p: &TrackProblem, allowed: &Allowed, relaxed: bool) -> Built {
    let mut m = MipModel::new();
    let nu = p.units.len();
    let nc = p.cores.len();
    let bin = |m: &mut MipModel| {
        if relaxed {
            m.continuous(0.0, 1.0)
        } else {
            m.binary()
        }
    };
    let y: Vec<Option<Variable>> = (0..nc)
        .map(|c| allowed.core[c].then(|| bin(&mut m)))
        .collect();
    let x: Vec<Vec<(usize, Variable)>> = (0..nu)
        .map(|u| {
            (0..nc)
                .filter(|&c| allowed.core[c] && p.cores[c].home != u && allowed.pair[u][c])
                .map(|c| (c, bin(&mut m)))
                .collect()
        })
        .collect();
    // members[c]: (unit, variable) of every unit that may join c, its own unit first.
    let mut members: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); nc];
    for c in 0..nc {
        if let Some(v) = y[c] {
            members[c].push((p.cores[c].home, v));
        }
    }
    for (u, row) in x.iter().enumerate() {
        for &(c, v) in row {
            members[c].push((u, v));
        }
    }
    let mut objective = Expression::with_capacity(allowed.pairs() + nc + 2);
    for (c, ms) in members.iter().enumerate() {
        for &(u, v) in ms {
            objective.add_mul(p.cost[u][c], v);
        }
    }
    // G6: every unit in exactly one group.
    let mut per_unit: Vec<Expression> = vec![Expression::default(); nu];
    for (c, ms) in members.iter().enumerate() {
        for &(u, v) in ms {
            per_unit[u].add_mul(1.0, v);
        }
        let _ = c;
    }
    for e in per_unit {
        m.constrain(constraint::eq(e, 1.0));
    }
    let mut open = Expression::with_capacity(nc);
    for v in y.iter().flatten() {
        open.add_mul(1.0, *v);
    }
    m.constrain(constraint::eq(open, p.count as f64));
    for (c, ms) in members.iter().enumerate() {
        let Some(yc) = y[c] else { continue };
        let home = &p.units[p.cores[c].home];
        for &(_, v) in ms.iter().skip(1) {
            m.constrain(constraint::leq(Expression::from(v) - yc, 0.0));
        }
        let others = &ms[1..];
        if let Some(max) = p.max_students {
            let load: f64 = others.iter().map(|&(u, _)| p.units[u].students).sum();
            if home.students + load > max + EPS {
                let mut e = Expression::with_capacity(others.len() + 1);
                for &(u, v) in others {
                    e.add_mul(p.units[u].students, v);
                }
                e.add_mul(-(max - home.students), yc);
                m.constrain(constraint::leq(e, 0.0));
            }
        }
        if let Some(min) = p.min_students
            && home.students < min - EPS
        {
            let mut e = Expression::with_capacity(others.len() + 1);
            for &(u, v) in others {
                e.add_mul(p.units[u].students, v);
            }
            e.add_mul(home.students - min, yc);
            m.constrain(constraint::geq(e, 0.0));
        }
        // Cardinality cut: the students cap also bounds how many units fit beside the core
        // (the smallest ones first), which the LP does not see from the knapsack row alone.
        let by_students = p.max_students.map(|cap| {
            let mut sizes: Vec<f64> = others.iter().map(|&(u, _)| p.units[u].students).collect();
            sizes.sort_by(f64::total_cmp);
            let mut room = cap - home.students;
            let mut fit = 0;
            for s in sizes {
                if s > room + EPS {
                    break;
                }
                room -= s;
                fit += 1;
            }
            fit + 1
        });
        let max_units = match (p.max_units, by_students) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(max) = max_units
            && others.len() + 1 > max
        {
            let mut e = Expression::with_capacity(others.len() + 1);
            for &(_, v) in others {
                e.add_mul(1.0, v);
            }
            e.add_mul(-(max as f64 - 1.0), yc);
            m.constrain(constraint::leq(e, 0.0));
        }
    }
    let balance = p.has_balance().then(|| {
        let b = add_balance(&mut m, p, &y, &members);
        objective.add_mul(p.balance_weight, b.hi);
        objective.add_mul(-p.balance_weight, b.lo);
        b
    });
    let arcs = match &p.adjacency {
        Some(adj) => add_contiguity(&mut m, p, adj, &members),
        None => Vec::new(),
    };
    Built {
        model: m,
        objective,
        y,
        x,
        balance,
        arcs,
    }
}

fn add_balance(
    m: &mut MipModel,
    p: &TrackProblem,
    y: &[Option<Variable>],
    members: &[Vec<(usize, Variable)>],
) -> Balance {
    let (qlo, qhi) = p.quality_range;
    let range = qhi - qlo;
    let hi = m.continuous(qlo, qhi);
    let lo = m.continuous(qlo, qhi);
    let mut mu = vec![None; y.len()];
    let mut w = Vec::new();
    for (c, ms) in members.iter().enumerate() {
        let Some(yc) = y[c] else { continue };
        let muc = m.continuous(qlo, qhi);
        mu[c] = Some(muc);
        // μ_c · Σ n_u a_uc = Σ q_u a_uc, with w_uc = μ_c a_uc exact for binary a_uc.
        let mut mean = Expression::with_capacity(2 * ms.len());
        for &(u, a) in ms {
            let wv = m.continuous(0.0, qhi);
            w.push((u, c, wv));
            m.constrain(constraint::leq(Expression::from(wv) - qhi * a, 0.0));
            m.constrain(constraint::geq(Expression::from(wv) - qlo * a, 0.0));
            m.constrain(constraint::leq(Expression::from(wv) - muc - qlo * a, -qlo));
            m.constrain(constraint::geq(Expression::from(wv) - muc - qhi * a, -qhi));
            mean.add_mul(p.units[u].size(), wv);
            mean.add_mul(-p.units[u].quality_sum, a);
        }
        m.constrain(constraint::eq(mean, 0.0));
        // An open group's mean lies within [lo, hi]; a closed one is free.
        m.constrain(constraint::geq(
            Expression::from(hi) - muc - range * yc,
            -range,
        ));
        m.constrain(constraint::leq(
            Expression::from(lo) - muc + range * yc,
            range,
        ));
    }
    Balance { mu, w, hi, lo }
}

/// G4 contiguity, one flow commodity per root unit ρ (a unit holding a possible core): ρ
/// sends one unit of flow to every other unit of its group along arcs inside the group.
/// A unit's membership in ρ's group is Σ over cores c at ρ of a_uc (at most one such core
/// can be open, because ρ itself joins the group of any core it holds).
fn add_contiguity(
    m: &mut MipModel,
    p: &TrackProblem,
    adj: &[Vec<usize>],
    members: &[Vec<(usize, Variable)>],
) -> Vec<Arc> {
    let nu = p.units.len();
    let cap = (nu + 1).saturating_sub(p.count).max(1) as f64;
    let mut roots: Vec<usize> = members
        .iter()
        .enumerate()
        .filter(|(_, ms)| !ms.is_empty())
        .map(|(c, _)| p.cores[c].home)
        .collect();
    roots.sort_unstable();
    roots.dedup();
    let mut arcs = Vec::new();
    for &root in &roots {
        let mut belong: Vec<Expression> = vec![Expression::default(); nu];
        let mut can = vec![false; nu];
        for (c, ms) in members.iter().enumerate() {
            if p.cores[c].home != root {
                continue;
            }
            for &(u, v) in ms {
                belong[u].add_mul(1.0, v);
                can[u] = true;
            }
        }
        let mut inflow: Vec<Expression> = vec![Expression::default(); nu];
        let mut outflow: Vec<Expression> = vec![Expression::default(); nu];
        for from in 0..nu {
            if !can[from] {
                continue;
            }
            for &to in &adj[from] {
                if to == root || !can[to] {
                    continue;
                }
                let f = m.continuous(0.0, cap);
                m.constrain(constraint::leq(
                    Expression::from(f) - cap * belong[to].clone(),
                    0.0,
                ));
                if from != root {
                    m.constrain(constraint::leq(
                        Expression::from(f) - cap * belong[from].clone(),
                        0.0,
                    ));
                }
                inflow[to].add_mul(1.0, f);
                outflow[from].add_mul(1.0, f);
                arcs.push(Arc {
                    root,
                    from,
                    to,
                    var: f,
                });
            }
        }
        for t in 0..nu {
            if t == root || !can[t] {
                continue;
            }
            let e = std::mem::take(&mut inflow[t])
                - std::mem::take(&mut outflow[t])
                - std::mem::take(&mut belong[t]);
            m.constrain(constraint::eq(e, 0.0));
        }
    }
    arcs
}
