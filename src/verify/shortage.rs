//! Weighted subject shortage of one school, with teachers who may cover either of two
//! subjects placed where they help most.
//!
//! Placing them is a max-weight bipartite b-matching (teachers → subjects short of staff);
//! a small successive-shortest-path min-cost flow solves it exactly. Written here rather
//! than shared with the moves model, so the audit does not inherit its mistakes.

use std::collections::BTreeMap;

/// The shortage of one school.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SchoolShortage {
    /// Σ_s w_s · max(0, demand_s − supply_s) at the best placement of flexible teachers.
    pub weighted: f64,
    /// Per demanded subject, the unweighted shortage's range over placements: the low end
    /// when every flexible teacher able to cover it does, the high end when none does.
    pub by_subject: BTreeMap<String, (u32, u32)>,
}

/// `fixed`: teachers per subject whose subject is settled; `flexible`: the two subjects of
/// each teacher still free to cover either.
pub(crate) fn school_shortage(
    demand: &BTreeMap<String, u32>,
    fixed: &BTreeMap<String, u32>,
    flexible: &[(String, String)],
    weight: &dyn Fn(&str) -> f64,
) -> SchoolShortage {
    let deficit: BTreeMap<&str, u32> = demand
        .iter()
        .map(|(s, &d)| {
            (
                s.as_str(),
                d.saturating_sub(fixed.get(s).copied().unwrap_or(0)),
            )
        })
        .collect();
    let total: f64 = deficit.iter().map(|(s, &d)| weight(s) * f64::from(d)).sum();
    let subjects: Vec<&str> = deficit
        .iter()
        .filter(|&(_, &d)| d > 0)
        .map(|(s, _)| *s)
        .collect();
    let covered = best_cover(&subjects, &deficit, flexible, weight);
    let by_subject = deficit
        .iter()
        .map(|(s, &d)| {
            let able = flexible.iter().filter(|(a, b)| a == s || b == s).count() as u32;
            ((*s).to_string(), (d.saturating_sub(able), d))
        })
        .collect();
    SchoolShortage {
        weighted: total - covered,
        by_subject,
    }
}

struct Edge {
    to: usize,
    cap: i64,
    cost: f64,
}

/// Adds an arc and its residual twin (at index ^ 1).
fn add(edges: &mut Vec<Edge>, adj: &mut [Vec<usize>], a: usize, b: usize, cap: i64, cost: f64) {
    adj[a].push(edges.len());
    edges.push(Edge { to: b, cap, cost });
    adj[b].push(edges.len());
    edges.push(Edge {
        to: a,
        cap: 0,
        cost: -cost,
    });
}

/// The largest total weight flexible teachers can cover, each covering one short subject.
fn best_cover(
    subjects: &[&str],
    deficit: &BTreeMap<&str, u32>,
    flexible: &[(String, String)],
    weight: &dyn Fn(&str) -> f64,
) -> f64 {
    if subjects.is_empty() || flexible.is_empty() {
        return 0.0;
    }
    let k = flexible.len();
    let source = 0;
    let sink = 1 + k + subjects.len();
    let mut edges: Vec<Edge> = Vec::new();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); sink + 1];
    for (i, (x, y)) in flexible.iter().enumerate() {
        add(&mut edges, &mut adj, source, 1 + i, 1, 0.0);
        for (j, s) in subjects.iter().enumerate() {
            if x == s || y == s {
                add(&mut edges, &mut adj, 1 + i, 1 + k + j, 1, -weight(s));
            }
        }
    }
    for (j, s) in subjects.iter().enumerate() {
        add(
            &mut edges,
            &mut adj,
            1 + k + j,
            sink,
            i64::from(deficit[s]),
            0.0,
        );
    }
    let mut gained = 0.0;
    loop {
        // Bellman–Ford: the residual graph has negative costs.
        let n = sink + 1;
        let mut dist = vec![f64::INFINITY; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        dist[source] = 0.0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if !dist[u].is_finite() {
                    continue;
                }
                for &e in &adj[u] {
                    let ed = &edges[e];
                    if ed.cap > 0 && dist[u] + ed.cost < dist[ed.to] - 1e-12 {
                        dist[ed.to] = dist[u] + ed.cost;
                        via[ed.to] = Some(e);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Path costs only grow along successive shortest paths, so stop at the first
        // path that no longer lowers the shortage.
        if !dist[sink].is_finite() || dist[sink] >= -1e-12 {
            return gained;
        }
        let mut v = sink;
        while let Some(e) = via[v] {
            edges[e].cap -= 1;
            edges[e ^ 1].cap += 1;
            v = edges[e ^ 1].to;
        }
        gained -= dist[sink];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    }

    #[test]
    fn flexible_teacher_goes_where_weight_is_highest() {
        let demand = map(&[("math", 1), ("pe", 1)]);
        let flex = vec![("math".to_string(), "pe".to_string())];
        let w = |s: &str| if s == "pe" { 2.0 } else { 1.0 };
        let r = school_shortage(&demand, &BTreeMap::new(), &flex, &w);
        assert_eq!(r.weighted, 1.0);
        assert_eq!(r.by_subject["math"], (0, 1));
    }

    #[test]
    fn needs_reassignment_to_reach_the_optimum() {
        // A greedy that gives teacher 1 to math first leaves english uncovered.
        let demand = map(&[("math", 1), ("english", 1)]);
        let flex = vec![
            ("math".to_string(), "english".to_string()),
            ("math".to_string(), "chinese".to_string()),
        ];
        let r = school_shortage(&demand, &BTreeMap::new(), &flex, &|_| 1.0);
        assert_eq!(r.weighted, 0.0);
    }

    #[test]
    fn fixed_supply_beyond_demand_does_not_count() {
        let demand = map(&[("math", 2)]);
        let r = school_shortage(&demand, &map(&[("math", 5)]), &[], &|_| 1.0);
        assert_eq!(r.weighted, 0.0);
        assert_eq!(r.by_subject["math"], (0, 0));
    }
}
