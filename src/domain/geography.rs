//! The township graph (petgraph) behind contiguity (G4) and "another township" tests (T3).

use petgraph::graph::{NodeIndex, UnGraph};

use super::instance::Instance;

/// Townships as nodes, `adjacency.csv` as undirected edges. Node `i` is township `i`.
pub struct TownshipGraph {
    pub graph: UnGraph<usize, ()>,
}

impl TownshipGraph {
    pub fn new(instance: &Instance) -> Self {
        let mut graph = UnGraph::with_capacity(instance.townships.len(), instance.adjacency.len());
        for i in 0..instance.townships.len() {
            graph.add_node(i);
        }
        for &(a, b) in &instance.adjacency {
            if a != b
                && graph
                    .find_edge(NodeIndex::new(a), NodeIndex::new(b))
                    .is_none()
            {
                graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
            }
        }
        TownshipGraph { graph }
    }

    pub fn neighbours(&self, township: usize) -> impl Iterator<Item = usize> + '_ {
        self.graph
            .neighbors(NodeIndex::new(township))
            .map(|n| n.index())
    }

    /// Whether `members` induce a connected subgraph (an empty or single set is connected).
    pub fn is_connected_subset(&self, members: &[usize]) -> bool {
        let Some(&start) = members.first() else {
            return true;
        };
        let inside: std::collections::HashSet<usize> = members.iter().copied().collect();
        let mut seen = std::collections::HashSet::from([start]);
        let mut stack = vec![start];
        while let Some(t) = stack.pop() {
            for n in self.neighbours(t) {
                if inside.contains(&n) && seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        seen.len() == inside.len()
    }
}
