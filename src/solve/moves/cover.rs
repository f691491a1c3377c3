//! Who covers which subject once it is settled who moves where: every teacher with two
//! subjects, staying or arriving, is placed where the weighted shortage falls most.
//!
//! This is what the plan's shortage means (SPEC: a teacher covers one of their two
//! subjects) and what `verify` recomputes from the plan files. The levels' own solve
//! settles it too, but a level stopped at its time limit leaves whatever placement its
//! incumbent had, and a move that "covers nothing" in the model may still fill a post at
//! its destination. So the shortage before the moves, and after them whenever the shortage
//! level is not proven, is computed here.
//!
//! With the moves fixed the placement is a transportation problem (units of teachers →
//! the posts of their school), whose constraint matrix is totally unimodular: one LP solve
//! gives an integral optimum.

use std::collections::BTreeMap;

use super::Context;
use super::arcs::Arc;
use super::classes::Class;
use crate::solve::lp::{LiveModel, LiveStatus};
use crate::solve::mip::{MipError, MipOptions};

/// Teachers who may cover any of `subjects` at `school`, `count` of them.
struct Unit {
    school: usize,
    subjects: Vec<usize>,
    count: u32,
    /// The flow these teachers move along, if they move.
    flow: Option<usize>,
}

/// The best placement of the teachers the flows leave or bring to each school.
pub struct Cover {
    /// Weighted shortage per subject id.
    pub by_subject: Vec<f64>,
    /// Per flow (same order as the flows given): how many of its teachers cover each subject
    /// at its destination.
    pub movers: Vec<BTreeMap<usize, u32>>,
}

impl Cover {
    pub fn total(&self) -> f64 {
        self.by_subject.iter().sum()
    }
}

/// The placement minimising the weighted shortage after `flows` (arc, count).
pub fn best_cover(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    flows: &[(usize, u32)],
    options: &MipOptions,
) -> Result<Cover, MipError> {
    let mut leaving = vec![0u32; classes.len()];
    let mut units = Vec::new();
    for (fi, &(ai, x)) in flows.iter().enumerate() {
        let a = &arcs[ai];
        leaving[a.class] += x;
        units.push(Unit {
            school: a.dest,
            subjects: classes[a.class].subjects.clone(),
            count: x,
            flow: Some(fi),
        });
    }
    for (ci, c) in classes.iter().enumerate() {
        let count = (c.size() as u32).saturating_sub(leaving[ci]);
        if count > 0 {
            units.push(Unit {
                school: c.school,
                subjects: c.subjects.clone(),
                count,
                flow: None,
            });
        }
    }
    place(ctx, &units, flows.len(), options)
}

fn place(
    ctx: &Context,
    units: &[Unit],
    flows: usize,
    options: &MipOptions,
) -> Result<Cover, MipError> {
    // One row per demanded post type, one per unit that has a choice to make.
    let mut post_row: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut post_upper = Vec::new();
    for (s, dem) in ctx.demand.iter().enumerate() {
        for (&k, &d) in dem {
            if d > 0 {
                post_row.insert((s, k), post_upper.len());
                post_upper.push(f64::from(d));
            }
        }
    }
    let mut row_upper = post_upper.clone();
    let mut cols: Vec<(usize, usize)> = Vec::new(); // (unit, subject)
    let mut entries: Vec<Vec<(usize, f64)>> = Vec::new();
    for (ui, u) in units.iter().enumerate() {
        let posts: Vec<(usize, usize)> = u
            .subjects
            .iter()
            .filter_map(|&k| post_row.get(&(u.school, k)).map(|&r| (k, r)))
            .collect();
        let unit_row = (posts.len() > 1).then(|| {
            row_upper.push(f64::from(u.count));
            row_upper.len() - 1
        });
        for (k, r) in posts {
            cols.push((ui, k));
            let mut e = vec![(r, 1.0)];
            e.extend(unit_row.map(|ur| (ur, 1.0)));
            entries.push(e);
        }
    }
    let mut covered: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    let mut movers = vec![BTreeMap::new(); flows];
    if !cols.is_empty() {
        let mut m = LiveModel::new(false, 1)?;
        m.set_string("solver", "simplex")?;
        m.add_rows(&vec![0.0; row_upper.len()], &row_upper)?;
        let cost: Vec<f64> = cols.iter().map(|&(_, k)| -ctx.weight[k]).collect();
        let upper: Vec<f64> = cols
            .iter()
            .map(|&(ui, _)| f64::from(units[ui].count))
            .collect();
        m.add_cols(&cost, &vec![0.0; cols.len()], &upper, &entries)?;
        // The LP is small; the step's limit is for the levels, not for this.
        let seconds = options.time_limit_s.max(30.0);
        if m.run(seconds)? != LiveStatus::Optimal {
            return Err(MipError::Highs("place the teachers who stay".into()));
        }
        let (x, _) = m.solution();
        for (&(ui, k), &v) in cols.iter().zip(&x) {
            let n = v.round();
            if (v - n).abs() > 1e-6 {
                // A vertex of a totally unimodular system is integral; anything else is a
                // solver fault, not a placement to report.
                return Err(MipError::Highs("place teachers integrally".into()));
            }
            let n = n as u32;
            if n == 0 {
                continue;
            }
            *covered.entry((units[ui].school, k)).or_default() += n;
            if let Some(fi) = units[ui].flow {
                *movers[fi].entry(k).or_default() += n;
            }
        }
    }
    let mut by_subject = vec![0.0; ctx.subjects.len()];
    for (&(s, k), &r) in &post_row {
        let have = covered.get(&(s, k)).copied().unwrap_or(0);
        by_subject[k] += ctx.weight[k] * (post_upper[r] as u32).saturating_sub(have) as f64;
    }
    Ok(Cover { by_subject, movers })
}

/// The flows rewritten so that each mover covers the subject `cover` placed them on: a flow
/// split over several subjects becomes one flow per subject, on a copy of its arc appended
/// to `arcs`. Teachers the placement leaves uncovered keep their arc.
pub fn apply(arcs: &mut Vec<Arc>, flows: &[(usize, u32)], cover: &Cover) -> Vec<(usize, u32)> {
    let mut out = Vec::with_capacity(flows.len());
    for (&(ai, x), chosen) in flows.iter().zip(&cover.movers) {
        let mut left = x;
        for (&k, &n) in chosen {
            let n = n.min(left);
            if n == 0 {
                continue;
            }
            left -= n;
            if arcs[ai].subject == Some(k) {
                out.push((ai, n));
            } else {
                let mut a = arcs[ai].clone();
                a.subject = Some(k);
                arcs.push(a);
                out.push((arcs.len() - 1, n));
            }
        }
        if left > 0 {
            out.push((ai, left));
        }
    }
    out
}
