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

/// Mean Earth radius (IUGG), the R of SPEC's projection.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// SPEC's projection of degrees to planar km: an equirectangular projection centred on
/// (φ₀, λ₀), the mean latitude and longitude of the county's townships. At county scale
/// (tens of km) it is within a fraction of a percent of the great-circle distance, and it
/// keeps distances Euclidean, as every objective and rule expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// φ₀ in degrees.
    pub lat0: f64,
    /// λ₀ in degrees.
    pub lng0: f64,
}

impl Projection {
    /// Centred on the mean of `(lat, lng)` points; `None` for no points.
    pub fn centred_on(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Projection> {
        let (mut n, mut lat, mut lng) = (0usize, 0.0, 0.0);
        for (a, b) in points {
            n += 1;
            lat += a;
            lng += b;
        }
        (n > 0).then(|| Projection {
            lat0: lat / n as f64,
            lng0: lng / n as f64,
        })
    }

    /// x_km = R·cos φ₀·(lng − λ₀)·π/180, y_km = R·(lat − φ₀)·π/180.
    pub fn to_km(&self, lat: f64, lng: f64) -> (f64, f64) {
        let rad = std::f64::consts::PI / 180.0;
        let x = EARTH_RADIUS_KM * (self.lat0 * rad).cos() * (lng - self.lng0) * rad;
        let y = EARTH_RADIUS_KM * (lat - self.lat0) * rad;
        (x, y)
    }

    /// The inverse of [`Projection::to_km`]: `(lat, lng)` of a point given in km.
    pub fn to_degrees(&self, x_km: f64, y_km: f64) -> (f64, f64) {
        let rad = std::f64::consts::PI / 180.0;
        let lat = self.lat0 + y_km / (EARTH_RADIUS_KM * rad);
        let lng = self.lng0 + x_km / (EARTH_RADIUS_KM * (self.lat0 * rad).cos() * rad);
        (lat, lng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_follows_spec_and_inverts() {
        let p = Projection::centred_on([(27.0, 104.0), (27.2, 104.4)]).expect("points");
        assert!((p.lat0 - 27.1).abs() < 1e-12 && (p.lng0 - 104.2).abs() < 1e-12);
        // One degree of latitude is R·π/180 km, about 111.195 km.
        let (x, y) = p.to_km(28.1, 104.2);
        assert!(x.abs() < 1e-9, "{x}");
        assert!((y - 111.195_080_233_5).abs() < 1e-6, "{y}");
        // A degree of longitude shrinks with cos φ₀.
        let (x, _) = p.to_km(27.1, 105.2);
        assert!(
            (x - 111.195_080_233_5 * 27.1f64.to_radians().cos()).abs() < 1e-6,
            "{x}"
        );
        let (lat, lng) = p.to_degrees(12.34, -56.78);
        let (x, y) = p.to_km(lat, lng);
        assert!(
            (x - 12.34).abs() < 1e-9 && (y + 56.78).abs() < 1e-9,
            "{x} {y}"
        );
        assert!(Projection::centred_on([]).is_none());
    }
}
