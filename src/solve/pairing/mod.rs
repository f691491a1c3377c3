//! Urban–rural pairing (城乡结对, P1–P4): which helper school serves which slot.
//!
//! - [`problem`]: slots, helpers and admissible (slot, helper) pairs, at group or school level;
//! - [`model`]: the lexicographic MIP (max covered weight, then min km);
//! - [`explain`]: why each uncovered slot is uncovered;
//! - [`score`]: P1–P4 metrics of any pairing;
//! - [`policies`]: the policies `compare-pairing` sets side by side, and [`compare`] the table.

pub mod compare;
pub mod explain;
pub mod model;
pub mod policies;
pub mod problem;
pub mod score;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value, json};

pub use explain::Uncovered;
pub use model::OptimalPairing;
pub use problem::{Candidate, PairingProblem, Pick, Slot};
pub use score::Metrics;

use crate::io::summary::{lex_step, num};
use crate::plan::PairingRow;
use crate::solve::mip::{MipError, MipOptions};

/// What `pair` produced: the MIP's proof, the rows, their score and the uncovered slots.
#[derive(Debug, Clone)]
pub struct PairingOutcome {
    pub optimal: OptimalPairing,
    pub rows: Vec<PairingRow>,
    pub metrics: Metrics,
    pub uncovered: Vec<Uncovered>,
}

/// Solves the pairing MIP for `p` (warm-started from the nearest-helper greedy) and explains
/// every slot it leaves uncovered. No helper, or none strong enough, is an answer (zero
/// coverage with reasons), not an error.
pub fn pair(p: &PairingProblem, options: &MipOptions) -> Result<PairingOutcome, MipError> {
    let warm = policies::nearest::nearest(p);
    let optimal = model::solve(p, options, &warm)?;
    let rows = rows(p, &optimal.picks);
    let metrics = score::score(p, &[], &optimal.picks);
    let uncovered = explain::uncovered(p, &optimal.picks);
    Ok(PairingOutcome {
        optimal,
        rows,
        metrics,
        uncovered,
    })
}

/// `pairings.csv` rows for `picks`, in slot order (groups by id, then kindergarten, primary,
/// middle; at school level schools in `schools.csv` order).
pub fn rows(p: &PairingProblem, picks: &[Pick]) -> Vec<PairingRow> {
    let mut sorted = picks.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|pick| {
            let slot = &p.slots[pick.slot];
            PairingRow {
                helper: p.inst.schools[pick.helper].id.clone(),
                group: p.group_id(slot).to_string(),
                stage: slot.stage,
                school: slot.school.map(|s| p.inst.schools[s].id.clone()),
            }
        })
        .collect()
}

/// The `"pairing"` block of `summary.json`.
pub fn summary_json(p: &PairingProblem, out: &PairingOutcome) -> Value {
    let mut m: Map<String, Value> = lex_step(&out.optimal.lex, &model::LEVELS);
    let school_level = p.level == crate::domain::PairingLevel::School;
    m.insert(
        "level".into(),
        json!(if school_level { "school" } else { "group" }),
    );
    m.insert("slots".into(), json!(p.slots.len()));
    m.insert(
        "priority_slots".into(),
        json!(p.slots.iter().filter(|s| s.priority).count()),
    );
    m.insert("total_weight".into(), num(p.total_weight()));
    m.insert("covered_slots".into(), json!(out.metrics.covered_slots));
    m.insert(
        "priority_covered".into(),
        json!(out.metrics.priority_covered),
    );
    m.insert("covered_weight".into(), num(out.metrics.covered_weight));
    m.insert("distance_km".into(), num(out.metrics.total_km));
    let uncovered: Vec<Value> = out
        .uncovered
        .iter()
        .map(|u| {
            let s = &p.slots[u.slot];
            let mut e = Map::new();
            e.insert("group".into(), json!(p.group_id(s)));
            e.insert("stage".into(), json!(s.stage.as_str()));
            if school_level {
                e.insert(
                    "school".into(),
                    json!(s.school.map(|i| p.inst.schools[i].id.as_str())),
                );
            }
            e.insert("priority".into(), json!(s.priority));
            e.insert("reason".into(), json!(u.reason));
            Value::Object(e)
        })
        .collect();
    m.insert("uncovered".into(), Value::Array(uncovered));
    Value::Object(m)
}
