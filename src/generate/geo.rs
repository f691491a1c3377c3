//! Coordinates and the township adjacency graph.

use std::collections::BTreeSet;

use rand_chacha::ChaCha8Rng;

use super::rng;

pub(crate) fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dx = a.0 - b.0;
    let dy = a.1 - b.1;
    dx * dx + dy * dy
}

/// A point between `min_r` and `max_r` km from `centre`, uniform over the ring (rejection sampling
/// keeps it free of trigonometry).
pub(crate) fn jitter(
    rng: &mut ChaCha8Rng,
    centre: (f64, f64),
    min_r: f64,
    max_r: f64,
) -> (f64, f64) {
    let (lo2, hi2) = (min_r * min_r, max_r * max_r);
    for _ in 0..64 {
        let dx = rng::uniform(rng, -max_r, max_r);
        let dy = rng::uniform(rng, -max_r, max_r);
        let d2 = dx * dx + dy * dy;
        if d2 >= lo2 && d2 <= hi2 {
            return (centre.0 + dx, centre.1 + dy);
        }
    }
    (centre.0 + min_r, centre.1)
}

/// Rounds to 0.01 km, the precision written to the files, so every later distance computation
/// sees exactly what a reader of the CSV will see.
pub(crate) fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// How many nearest neighbours are tested as Gabriel candidates. Gabriel neighbours of a point in
/// a roughly even spread are almost always among its nearest few; the MST edges added afterwards
/// guarantee connectivity whatever is missed.
const GABRIEL_CANDIDATES: usize = 10;

/// Township adjacency: the Gabriel graph (planar, looks like shared borders on a map) restricted to
/// near neighbours, plus the Euclidean minimum spanning tree (a subgraph of the Gabriel graph, so it
/// only restores edges the candidate cut-off dropped). Returns edges with a < b, sorted.
pub(crate) fn adjacency(points: &[(f64, f64)]) -> Vec<(usize, usize)> {
    let n = points.len();
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    for a in 0..n {
        let mut near: Vec<usize> = (0..n).filter(|&b| b != a).collect();
        near.sort_by(|&p, &q| {
            dist2(points[a], points[p])
                .total_cmp(&dist2(points[a], points[q]))
                .then(p.cmp(&q))
        });
        near.truncate(GABRIEL_CANDIDATES);
        for b in near {
            let key = (a.min(b), a.max(b));
            if edges.contains(&key) {
                continue;
            }
            let ab = dist2(points[a], points[b]);
            let blocked = (0..n).any(|c| {
                c != a && c != b && dist2(points[a], points[c]) + dist2(points[b], points[c]) < ab
            });
            if !blocked {
                edges.insert(key);
            }
        }
    }
    for e in minimum_spanning_tree(points) {
        edges.insert(e);
    }
    edges.into_iter().collect()
}

/// Prim's algorithm in O(n²), which is fine for a few thousand townships.
fn minimum_spanning_tree(points: &[(f64, f64)]) -> Vec<(usize, usize)> {
    let n = points.len();
    if n < 2 {
        return Vec::new();
    }
    let mut in_tree = vec![false; n];
    let mut best = vec![f64::INFINITY; n];
    let mut parent = vec![0usize; n];
    in_tree[0] = true;
    for v in 1..n {
        best[v] = dist2(points[0], points[v]);
    }
    let mut out = Vec::with_capacity(n - 1);
    for _ in 1..n {
        let mut next = None;
        for v in 0..n {
            if !in_tree[v] && next.is_none_or(|u: usize| best[v] < best[u]) {
                next = Some(v);
            }
        }
        let Some(u) = next else { break };
        in_tree[u] = true;
        out.push((parent[u].min(u), parent[u].max(u)));
        for v in 0..n {
            if !in_tree[v] {
                let d = dist2(points[u], points[v]);
                if d < best[v] {
                    best[v] = d;
                    parent[v] = u;
                }
            }
        }
    }
    out
}

/// Connected components of the subgraph induced by `nodes`, as lists of node ids.
pub(crate) fn components(nodes: &[usize], edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let set: BTreeSet<usize> = nodes.iter().copied().collect();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::new();
    for &start in &set {
        if seen.contains(&start) {
            continue;
        }
        let mut comp = vec![start];
        seen.insert(start);
        let mut i = 0;
        while i < comp.len() {
            let u = comp[i];
            i += 1;
            for &(a, b) in edges {
                let v = if a == u {
                    b
                } else if b == u {
                    a
                } else {
                    continue;
                };
                if set.contains(&v) && seen.insert(v) {
                    comp.push(v);
                }
            }
        }
        comp.sort_unstable();
        out.push(comp);
    }
    out
}

/// Adds the shortest edge between two components of each group until every group induces a
/// connected subgraph, so that a contiguity constraint can reproduce the seed's groups.
pub(crate) fn connect_groups(
    points: &[(f64, f64)],
    edges: &mut Vec<(usize, usize)>,
    groups: &[Vec<usize>],
) {
    for group in groups {
        loop {
            let comps = components(group, edges);
            if comps.len() <= 1 {
                break;
            }
            let mut best: Option<(f64, usize, usize)> = None;
            for &a in &comps[0] {
                for other in &comps[1..] {
                    for &b in other {
                        let d = dist2(points[a], points[b]);
                        if best.is_none_or(|(bd, _, _)| d < bd) {
                            best = Some((d, a, b));
                        }
                    }
                }
            }
            let Some((_, a, b)) = best else { break };
            edges.push((a.min(b), a.max(b)));
            edges.sort_unstable();
            edges.dedup();
        }
    }
}
