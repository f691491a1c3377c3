//! Distances as SPEC.md defines them, computed by the audit itself: a pair from
//! `distances.csv` where given (either order), else the straight line between the schools'
//! coordinates, after projecting `lat`/`lng` to km when the instance gives degrees:
//! x_km = R·cos φ₀·(lng − λ₀)·π/180, y_km = R·(lat − φ₀)·π/180, R = 6371.0088 km, (φ₀, λ₀) the
//! mean lat and lng of the townships.
//!
//! Only the reading of files is shared with the solvers: degrees are read from the raw CSV
//! columns here and projected here, so a projection slip in the reader shows up as a
//! disagreement on every distance-based figure.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::Problems;
use crate::domain::Instance;
use crate::io::csv_table::Table;

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Each school's planar position in km, and the road distances that override them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Geo {
    xy: Vec<(f64, f64)>,
    road: HashMap<(usize, usize), f64>,
}

impl Geo {
    /// From the instance's planar coordinates (the instance gives km, or was built in memory).
    pub fn planar(inst: &Instance) -> Geo {
        Geo {
            xy: inst.schools.iter().map(|s| (s.x_km, s.y_km)).collect(),
            road: road_pairs(inst),
        }
    }

    /// From the instance folder: degrees projected here when `townships.csv` gives `lat`/`lng`,
    /// else the planar coordinates.
    pub fn read(inst: &Instance, dir: &Path) -> Geo {
        let mut geo = Geo::planar(inst);
        if let Some(xy) = projected(inst, dir) {
            geo.xy = xy;
        }
        geo
    }

    pub fn km(&self, a: usize, b: usize) -> f64 {
        if a == b {
            return 0.0;
        }
        if let Some(&km) = self.road.get(&(a.min(b), a.max(b))) {
            return km;
        }
        let ((xa, ya), (xb, yb)) = (self.xy[a], self.xy[b]);
        ((xa - xb).powi(2) + (ya - yb).powi(2)).sqrt()
    }
}

/// The pairs `distances.csv` gives, keyed both ways by (smaller, larger) index.
fn road_pairs(inst: &Instance) -> HashMap<(usize, usize), f64> {
    inst.road_km
        .iter()
        .map(|(&(a, b), &km)| ((a.min(b), a.max(b)), km))
        .collect()
}

/// A row's id (when the file has an id column) and its (lat, lng), when both are given.
type DegreeRow = (Option<String>, Option<(f64, f64)>);

/// Degrees of each row, by id (or by row when there is no id column).
fn degrees(dir: &Path, file: &str) -> Option<Vec<DegreeRow>> {
    let mut scratch = Problems::default();
    let t = Table::read(dir, file, &[], false, &mut scratch)?;
    let col = |names: &[&'static str]| names.iter().copied().find(|n| t.column(n).is_some());
    let lat = col(&["lat", "纬度"])?;
    let lng = col(&["lng", "经度"])?;
    let id = col(&["id", "学校编号", "乡镇编号", "编号"]);
    let mut out = Vec::new();
    for row in &t.rows {
        let cells = t.cells(row, &mut scratch);
        let number = |c: &str| cells.text(c).and_then(|v| v.parse::<f64>().ok());
        let key = id.and_then(|c| cells.text(c)).map(str::to_string);
        out.push((key, number(lat).zip(number(lng))));
    }
    Some(out)
}

/// Every school's projected position, when the instance gives degrees.
fn projected(inst: &Instance, dir: &Path) -> Option<Vec<(f64, f64)>> {
    let towns = degrees(dir, "townships.csv")?;
    let lookup = |rows: &[DegreeRow], i: usize, id: &str| {
        rows.iter()
            .find(|(k, _)| k.as_deref() == Some(id))
            .or_else(|| rows.get(i).filter(|(k, _)| k.is_none()))
            .and_then(|(_, d)| *d)
    };
    let town_deg: Vec<(f64, f64)> = inst
        .townships
        .iter()
        .enumerate()
        .map(|(i, t)| lookup(&towns, i, &t.id))
        .collect::<Option<_>>()?;
    if town_deg.is_empty() {
        return None;
    }
    let n = town_deg.len() as f64;
    let phi0 = town_deg.iter().map(|d| d.0).sum::<f64>() / n;
    let lambda0 = town_deg.iter().map(|d| d.1).sum::<f64>() / n;
    let rad = std::f64::consts::PI / 180.0;
    let project = |(lat, lng): (f64, f64)| {
        (
            EARTH_RADIUS_KM * (phi0 * rad).cos() * (lng - lambda0) * rad,
            EARTH_RADIUS_KM * (lat - phi0) * rad,
        )
    };
    let schools = degrees(dir, "schools.csv").unwrap_or_default();
    Some(
        inst.schools
            .iter()
            .enumerate()
            .map(|(i, s)| project(lookup(&schools, i, &s.id).unwrap_or(town_deg[s.township])))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn road_pairs_override_both_ways_and_self_is_zero() {
        let geo = Geo {
            xy: vec![(0.0, 0.0), (3.0, 4.0), (6.0, 8.0)],
            road: HashMap::from([((0, 2), 17.5)]),
        };
        assert_eq!(geo.km(0, 1), 5.0);
        assert_eq!(geo.km(2, 0), 17.5);
        assert_eq!(geo.km(1, 1), 0.0);
    }

    #[test]
    fn degrees_are_projected_around_the_townships_mean() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("townships.csv"),
            "id,name,urban,lat,lng\nT0,a,true,27.0,104.0\nT1,b,false,27.2,104.4\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("schools.csv"),
            "id,name,township,stage,quality,students,classes,lat,lng\nS0,x,T0,primary,1,1,1,,\nS1,y,T1,primary,1,1,1,27.1,104.2\n",
        )
        .expect("write");
        let mut inst = Instance::default();
        for (id, t) in [("T0", 0.0), ("T1", 0.0)] {
            inst.townships.push(crate::domain::instance::Township {
                id: id.into(),
                name: id.into(),
                urban: false,
                x_km: t,
                y_km: t,
                priority: false,
            });
        }
        for (id, town) in [("S0", 0), ("S1", 1)] {
            inst.schools.push(crate::domain::instance::School {
                id: id.into(),
                name: id.into(),
                township: town,
                stage: crate::domain::stage::Stage::Primary,
                quality: 1.0,
                students: 1,
                classes: 1,
                x_km: 0.0,
                y_km: 0.0,
                helper: false,
                core_eligible: true,
            });
        }
        let geo = Geo::read(&inst, dir.path());
        // S0 at T0 (27.0, 104.0), S1 at the mean (27.1, 104.2), which projects to (0, 0).
        let rad = std::f64::consts::PI / 180.0;
        let dx = EARTH_RADIUS_KM * (27.1 * rad).cos() * 0.2 * rad;
        let dy = EARTH_RADIUS_KM * 0.1 * rad;
        assert!(
            (geo.km(0, 1) - dx.hypot(dy)).abs() < 1e-9,
            "{}",
            geo.km(0, 1)
        );
    }
}
