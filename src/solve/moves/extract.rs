//! From class flows to `moves.csv` rows: inside a class the longest-serving teacher (then
//! the smallest id) moves first, so the answer is deterministic.

use std::collections::BTreeMap;

use super::Context;
use super::arcs::{Arc, ArcKind};
use super::classes::Class;
use crate::plan::{MoveKind, MoveRow};

pub fn extract_moves(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    flows: &[(usize, u32)],
) -> Vec<MoveRow> {
    let inst = ctx.inst;
    let year = ctx.policy.plan_year;
    let mut by_class: BTreeMap<usize, Vec<(usize, u32)>> = BTreeMap::new();
    for &(ai, x) in flows {
        by_class.entry(arcs[ai].class).or_default().push((ai, x));
    }
    let mut rows = Vec::new();
    for (ci, mut fl) in by_class {
        let c = &classes[ci];
        // A fixed order of destinations, so the same flows give the same rows.
        fl.sort_by(|&(a, _), &(b, _)| {
            let (a, b) = (&arcs[a], &arcs[b]);
            a.kind
                .cmp(&b.kind)
                .then_with(|| inst.schools[a.dest].id.cmp(&inst.schools[b.dest].id))
                .then_with(|| a.subject.cmp(&b.subject))
        });
        let mut members = c.teachers.iter();
        for (ai, x) in fl {
            let a = &arcs[ai];
            for _ in 0..x {
                let Some(&t) = members.next() else { break };
                let tt = &inst.teachers[t];
                let subject = a
                    .subject
                    .map_or_else(|| tt.subject.clone(), |k| ctx.subjects[k].clone());
                let (kind, end_year, slot) = match a.kind {
                    ArcKind::Transfer => (MoveKind::Transfer, None, None),
                    ArcKind::Exchange { pairing, .. } => (
                        MoveKind::Exchange,
                        Some(year + ctx.policy.rotation.exchange_years),
                        Some(ctx.pairings[pairing].slot),
                    ),
                };
                rows.push(MoveRow {
                    teacher: tt.id.clone(),
                    from: inst.schools[c.school].id.clone(),
                    to: inst.schools[a.dest].id.clone(),
                    kind,
                    subject,
                    start_year: year,
                    end_year,
                    slot,
                    reason: None,
                });
            }
        }
    }
    rows.sort_by(|a, b| a.teacher.cmp(&b.teacher));
    rows
}

/// Weighted shortage per subject id given the flows and the stay-and-cover counts.
pub fn shortage_by_subject(
    ctx: &Context,
    classes: &[Class],
    arcs: &[Arc],
    flows: &[(usize, u32)],
    stays: &[((usize, usize), u32)],
) -> Vec<f64> {
    let mut supply: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for &((ci, k), x) in stays {
        *supply.entry((classes[ci].school, k)).or_default() += x;
    }
    for &(ai, x) in flows {
        if let Some(k) = arcs[ai].subject {
            *supply.entry((arcs[ai].dest, k)).or_default() += x;
        }
    }
    let mut out = vec![0.0; ctx.subjects.len()];
    for (s, dem) in ctx.demand.iter().enumerate() {
        for (&k, &d) in dem {
            let have = supply.get(&(s, k)).copied().unwrap_or(0);
            out[k] += ctx.weight[k] * d.saturating_sub(have) as f64;
        }
    }
    out
}
