//! School mode: every track school is its own unit (G1, G2, G3, G5, G6).

use super::problem::{Core, TrackProblem, Unit};
use crate::domain::instance::Instance;
use crate::domain::policy::TrackPolicy;

/// Whether school `s` takes part in `track` (G6: stage in the track; helpers only if included).
pub fn in_track(inst: &Instance, track: &TrackPolicy, s: usize) -> bool {
    let school = &inst.schools[s];
    track.stages.contains(&school.stage) && (track.include_helpers || !school.helper)
}

/// Whether school `s` may lead a group (G3).
pub fn can_lead(inst: &Instance, track: &TrackPolicy, s: usize) -> bool {
    let school = &inst.schools[s];
    school.core_eligible
        && school.quality >= track.core_min_quality
        && track.core_stages.contains(&school.stage)
}

/// G3's conditions as the policy sets them, in words.
pub fn core_rule(track: &TrackPolicy) -> String {
    let mut rule = format!(
        "core_eligible and quality >= core_min_quality {}",
        track.core_min_quality
    );
    if track.stages.iter().any(|s| !track.core_stages.contains(s)) {
        let stages: Vec<String> = track.core_stages.iter().map(|s| s.to_string()).collect();
        rule.push_str(&format!(", stage in core_stages [{}]", stages.join(", ")));
    }
    rule
}

/// Smallest and largest quality among `schools` ((0, 0) when there are none).
pub fn quality_range(inst: &Instance, schools: impl Iterator<Item = usize>) -> (f64, f64) {
    let (lo, hi) = schools.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
        let q = inst.schools[s].quality;
        (lo.min(q), hi.max(q))
    });
    if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) }
}

pub fn build(inst: &Instance, track: &TrackPolicy) -> TrackProblem {
    let schools: Vec<usize> = (0..inst.schools.len())
        .filter(|&s| in_track(inst, track, s))
        .collect();
    let units: Vec<Unit> = schools
        .iter()
        .map(|&s| Unit {
            schools: vec![s],
            township: inst.schools[s].township,
            students: f64::from(inst.schools[s].students),
            quality_sum: inst.schools[s].quality,
        })
        .collect();
    let cores: Vec<Core> = schools
        .iter()
        .enumerate()
        .filter(|&(_, &s)| can_lead(inst, track, s))
        .map(|(u, &s)| Core { school: s, home: u })
        .collect();
    let cost = TrackProblem::costs(inst, &units, &cores);
    TrackProblem {
        name: track.name.clone(),
        mode: track.mode,
        cost,
        count: track.count,
        max_units: Some(track.max_schools),
        min_students: track.min_students,
        max_students: track.max_students,
        balance_weight: track.balance_weight,
        adjacency: None,
        core_rule: core_rule(track),
        quality_range: quality_range(inst, schools.iter().copied()),
        units,
        cores,
    }
}
