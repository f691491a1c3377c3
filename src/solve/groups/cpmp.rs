//! Capacitated p-median benchmarks as `groups` instances: OR-Library `pmedcap1.txt` (Osman &
//! Christofides; distances truncated to integers) and the São José dos Campos set (Lorena &
//! Senne; real Euclidean distances). With `balance_weight = 0`, `max_students` = capacity,
//! students = demand and `max_schools` ≥ n, a school-mode track is exactly this problem.

use std::collections::HashMap;
use std::path::Path;

use good_lp::{Expression, Variable, constraint};

use crate::domain::instance::{Instance, School, Township};
use crate::domain::policy::{Policy, TrackMode, TrackPolicy};
use crate::domain::stage::Stage;
use crate::solve::mip::{MipError, MipModel, MipOptions, MipResult, Sense};

/// One benchmark instance.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub name: String,
    pub p: usize,
    pub capacity: f64,
    /// (x, y, demand) per point; every point is a customer and a candidate median.
    pub points: Vec<(f64, f64, f64)>,
    /// Distances are floor(Euclid) (pmedcap) rather than plain Euclid (SJC).
    pub floor: bool,
    /// The value the file states (pmedcap header), if any.
    pub stated: Option<f64>,
}

fn numbers(text: &str) -> Result<Vec<f64>, String> {
    text.split_whitespace()
        .map(|t| t.parse::<f64>().map_err(|_| format!("not a number: {t:?}")))
        .collect()
}

/// Reads every problem of an OR-Library `pmedcap1.txt`.
pub fn read_pmedcap(text: &str) -> Result<Vec<Benchmark>, String> {
    let v = numbers(text)?;
    let mut it = v.into_iter();
    let mut next = |what: &str| it.next().ok_or_else(|| format!("file ends before {what}"));
    let m = next("the problem count")? as usize;
    let mut out = Vec::with_capacity(m);
    for _ in 0..m {
        let k = next("a problem number")?;
        let value = next("a problem value")?;
        let n = next("n")? as usize;
        let p = next("p")? as usize;
        let capacity = next("the capacity")?;
        let mut points = Vec::with_capacity(n);
        for _ in 0..n {
            next("a point number")?;
            let x = next("x")?;
            let y = next("y")?;
            let q = next("a demand")?;
            points.push((x, y, q));
        }
        out.push(Benchmark {
            name: format!("pmedcap{}", k as usize),
            p,
            capacity,
            points,
            floor: true,
            stated: Some(value),
        });
    }
    Ok(out)
}

/// Reads one SJC file (`n p`, then `x y capacity demand` per point; one capacity for all).
pub fn read_sjc(name: &str, text: &str) -> Result<Benchmark, String> {
    let v = numbers(text)?;
    if v.len() < 2 {
        return Err("missing `n p` header".into());
    }
    let (n, p) = (v[0] as usize, v[1] as usize);
    if v.len() != 2 + 4 * n {
        return Err(format!("expected {} numbers, found {}", 2 + 4 * n, v.len()));
    }
    let rows: Vec<&[f64]> = v[2..].chunks(4).collect();
    let capacity = rows.first().map_or(0.0, |r| r[2]);
    if rows.iter().any(|r| r[2] != capacity) {
        return Err("capacities differ between points; `groups` has one max_students".into());
    }
    Ok(Benchmark {
        name: name.to_string(),
        p,
        capacity,
        points: rows.iter().map(|r| (r[0], r[1], r[3])).collect(),
        floor: false,
        stated: None,
    })
}

/// Reads `instance,...,optimal` rows of a `*.optimal.csv` into name → value.
pub fn read_optima(text: &str) -> HashMap<String, f64> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().cloned().unwrap_or_default();
    let col = headers.iter().position(|h| h == "optimal");
    rdr.records()
        .flatten()
        .filter_map(|r| {
            let v = r.get(col?)?.parse().ok()?;
            Some((r.get(0)?.to_string(), v))
        })
        .collect()
}

impl Benchmark {
    pub fn n(&self) -> usize {
        self.points.len()
    }

    /// Distance between points i and j under the benchmark's convention.
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (self.points[i], self.points[j]);
        let d = (a.0 - b.0).hypot(a.1 - b.1);
        if self.floor { d.floor() } else { d }
    }

    pub fn school_id(i: usize) -> String {
        format!("P{}", i + 1)
    }

    /// One township, one primary school per point; floor distances as road distances.
    pub fn instance(&self) -> Instance {
        let mut inst = Instance {
            townships: vec![Township {
                id: "T1".into(),
                name: "T1".into(),
                urban: false,
                x_km: 0.0,
                y_km: 0.0,
                priority: false,
            }],
            ..Instance::default()
        };
        for (i, &(x, y, q)) in self.points.iter().enumerate() {
            inst.schools.push(School {
                id: Self::school_id(i),
                name: Self::school_id(i),
                township: 0,
                stage: Stage::Primary,
                quality: 50.0,
                students: q.round().max(0.0) as u32,
                classes: 1,
                x_km: x,
                y_km: y,
                helper: false,
                core_eligible: true,
            });
        }
        if self.floor {
            for i in 0..self.n() {
                for j in (i + 1)..self.n() {
                    inst.road_km.insert((i, j), self.distance(i, j));
                }
            }
        }
        inst.reindex();
        inst
    }

    /// The school-mode track that is exactly this benchmark.
    pub fn track(&self) -> TrackPolicy {
        TrackPolicy {
            name: "cpmp".into(),
            stages: vec![Stage::Primary],
            mode: TrackMode::Schools,
            count: self.p,
            max_schools: self.n(),
            core_min_quality: 0.0,
            core_stages: vec![Stage::Primary],
            regroup_tolerance: 0.05,
            include_helpers: false,
            contiguous: false,
            balance_weight: 0.0,
            min_students: None,
            max_students: Some(self.capacity),
        }
    }

    pub fn policy(&self) -> Policy {
        Policy {
            tracks: vec![self.track()],
            ..Policy::default()
        }
    }

    /// The policy file equivalent to [`Benchmark::policy`].
    pub fn policy_toml(&self) -> String {
        format!(
            "plan_year = 2026\n\n[[track]]\nname = \"cpmp\"\nstages = [\"primary\"]\nmode = \"schools\"\ncount = {}\nmax_schools = {}\nbalance_weight = 0.0\nmax_students = {}\n",
            self.p,
            self.n(),
            self.capacity
        )
    }

    /// Writes the benchmark as an instance folder (with `distances.csv` holding the
    /// truncated distances for pmedcap) plus `policy.toml`.
    pub fn write_folder(&self, dir: &Path) -> std::io::Result<()> {
        use crate::io::plan_files::write_csv;
        std::fs::create_dir_all(dir)?;
        write_csv(
            &dir.join("townships.csv"),
            &["id", "name", "urban", "x_km", "y_km"],
            [vec![
                "T1".into(),
                "T1".into(),
                "false".into(),
                "0".into(),
                "0".into(),
            ]],
        )?;
        write_csv(
            &dir.join("schools.csv"),
            &[
                "id", "name", "township", "stage", "quality", "students", "classes", "x_km", "y_km",
            ],
            self.points.iter().enumerate().map(|(i, &(x, y, q))| {
                vec![
                    Self::school_id(i),
                    Self::school_id(i),
                    "T1".into(),
                    "primary".into(),
                    "50".into(),
                    format!("{}", q.round() as i64),
                    "1".into(),
                    format!("{x}"),
                    format!("{y}"),
                ]
            }),
        )?;
        write_csv(
            &dir.join("teachers.csv"),
            &[
                "id",
                "school",
                "subject",
                "sex",
                "birth_year",
                "title",
                "key",
                "years_at_school",
            ],
            std::iter::empty(),
        )?;
        write_csv(
            &dir.join("demand.csv"),
            &["school", "subject", "positions"],
            std::iter::empty(),
        )?;
        if self.floor {
            let n = self.n();
            write_csv(
                &dir.join("distances.csv"),
                &["a", "b", "km"],
                (0..n).flat_map(|i| {
                    ((i + 1)..n).map(move |j| {
                        vec![
                            Self::school_id(i),
                            Self::school_id(j),
                            format!("{}", self.distance(i, j)),
                        ]
                    })
                }),
            )?;
        }
        std::fs::write(dir.join("policy.toml"), self.policy_toml())
    }
}

/// The plain textbook model (x_ij ≤ y_j, Σ q_i x_ij ≤ Q y_j, Σ_j x_ij = 1, Σ y = p), no
/// incumbent, no fixing: the baseline the `groups` model is measured against.
pub fn solve_plain(b: &Benchmark, options: &MipOptions) -> Result<MipResult, MipError> {
    let n = b.n();
    let mut m = MipModel::new();
    let y: Vec<Variable> = (0..n).map(|_| m.binary()).collect();
    let x: Vec<Vec<Variable>> = (0..n)
        .map(|_| (0..n).map(|_| m.binary()).collect())
        .collect();
    let mut obj = Expression::with_capacity(n * n);
    for (i, row) in x.iter().enumerate() {
        let mut one = Expression::with_capacity(n);
        for (j, (&xij, &yj)) in row.iter().zip(&y).enumerate() {
            obj.add_mul(b.distance(i, j), xij);
            one.add_mul(1.0, xij);
            m.constrain(constraint::leq(Expression::from(xij) - yj, 0.0));
        }
        m.constrain(constraint::eq(one, 1.0));
    }
    for (j, &yj) in y.iter().enumerate() {
        let mut load = Expression::with_capacity(n + 1);
        for (row, point) in x.iter().zip(&b.points) {
            load.add_mul(point.2, row[j]);
        }
        load.add_mul(-b.capacity, yj);
        m.constrain(constraint::leq(load, 0.0));
    }
    let mut open = Expression::with_capacity(n);
    for &v in &y {
        open.add_mul(1.0, v);
    }
    m.constrain(constraint::eq(open, b.p as f64));
    m.solve(&obj, Sense::Minimise, options, None)
}
