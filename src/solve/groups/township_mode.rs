//! Township mode (G4): a township's track schools go to one group together; the core is one
//! of the group's schools; optionally each group's townships are connected. G1 does not apply.

use super::problem::{Core, TrackProblem, Unit};
use super::school_mode::{can_lead, core_rule, in_track, quality_range};
use crate::domain::geography::TownshipGraph;
use crate::domain::instance::Instance;
use crate::domain::policy::TrackPolicy;

pub fn build(inst: &Instance, track: &TrackPolicy) -> TrackProblem {
    let mut by_township: Vec<Vec<usize>> = vec![Vec::new(); inst.townships.len()];
    for s in 0..inst.schools.len() {
        if in_track(inst, track, s) {
            by_township[inst.schools[s].township].push(s);
        }
    }
    let mut unit_of_township = vec![usize::MAX; inst.townships.len()];
    let mut units = Vec::new();
    for (t, schools) in by_township.into_iter().enumerate() {
        if schools.is_empty() {
            continue;
        }
        unit_of_township[t] = units.len();
        units.push(Unit {
            township: t,
            students: schools
                .iter()
                .map(|&s| f64::from(inst.schools[s].students))
                .sum(),
            quality_sum: schools.iter().map(|&s| inst.schools[s].quality).sum(),
            schools,
        });
    }
    let cores: Vec<Core> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| {
            unit.schools
                .iter()
                .filter(|&&s| can_lead(inst, track, s))
                .map(move |&s| Core { school: s, home: u })
        })
        .collect();
    // Townships without track schools belong to no group, so a group cannot be connected
    // through them: contiguity is judged on the graph induced by the track's townships.
    let adjacency = track.contiguous.then(|| {
        let graph = TownshipGraph::new(inst);
        units
            .iter()
            .map(|unit| {
                let mut n: Vec<usize> = graph
                    .neighbours(unit.township)
                    .map(|t| unit_of_township[t])
                    .filter(|&u| u != usize::MAX)
                    .collect();
                n.sort_unstable();
                n.dedup();
                n
            })
            .collect()
    });
    let cost = TrackProblem::costs(inst, &units, &cores);
    let all = units.iter().flat_map(|u| u.schools.iter().copied());
    TrackProblem {
        name: track.name.clone(),
        mode: track.mode,
        quality_range: quality_range(inst, all),
        cost,
        count: track.count,
        max_units: None,
        min_students: track.min_students,
        max_students: track.max_students,
        balance_weight: track.balance_weight,
        adjacency,
        core_rule: core_rule(track),
        units,
        cores,
    }
}
