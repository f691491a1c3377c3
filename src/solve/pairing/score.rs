//! Scoring a pairing against P1–P4, whoever made it: the same numbers for the MIP, the
//! greedy policies and a bureau's own file.

use std::collections::BTreeMap;

use super::problem::{PairingProblem, Pick, QUALITY_EPS, Slot};

/// Whether a larger value of a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// A metric of the comparison table.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// Column name in `comparison.csv`.
    pub key: &'static str,
    pub label: &'static str,
    /// `None` for a count that is neither good nor bad (rows).
    pub better: Option<Better>,
    /// Judged only among rule-abiding policies (breaking a rule buys coverage or km).
    pub rule_abiding_only: bool,
    pub decimals: usize,
}

const fn def(
    key: &'static str,
    label: &'static str,
    better: Option<Better>,
    rule_abiding_only: bool,
    decimals: usize,
) -> MetricDef {
    MetricDef {
        key,
        label,
        better,
        rule_abiding_only,
        decimals,
    }
}

/// The metrics, in table order; [`Metrics::values`] returns them in this order.
pub const METRICS: [MetricDef; 13] = [
    def("rows", "pairing rows", None, false, 0),
    def(
        "covered_slots",
        "covered slots",
        Some(Better::Higher),
        true,
        0,
    ),
    def(
        "priority_covered",
        "priority slots covered",
        Some(Better::Higher),
        true,
        0,
    ),
    def(
        "covered_weight",
        "covered weight (P4)",
        Some(Better::Higher),
        true,
        2,
    ),
    def("total_km", "total helper km", Some(Better::Lower), true, 2),
    def("mean_km", "mean helper km", Some(Better::Lower), true, 2),
    def("max_km", "max helper km", Some(Better::Lower), true, 2),
    def(
        "mean_gap",
        "mean helper − slot quality",
        Some(Better::Higher),
        true,
        2,
    ),
    def(
        "min_gap",
        "min helper − slot quality",
        Some(Better::Higher),
        true,
        2,
    ),
    def(
        "over_capacity",
        "helpers over capacity (P2)",
        Some(Better::Lower),
        false,
        0,
    ),
    def(
        "p1_violations",
        "P1 violations",
        Some(Better::Lower),
        false,
        0,
    ),
    def(
        "p3_violations",
        "P3 violations",
        Some(Better::Lower),
        false,
        0,
    ),
    def(
        "uncovered_slots",
        "uncovered slots",
        Some(Better::Lower),
        true,
        0,
    ),
];

/// The score of one pairing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    pub rows: usize,
    pub covered_slots: usize,
    pub priority_covered: usize,
    pub covered_weight: f64,
    pub total_km: f64,
    /// NaN when there are no rows.
    pub mean_km: f64,
    pub max_km: f64,
    /// Helper quality − the slot's reference quality (group mean, or the school's), mean over
    /// rows; NaN when there are no rows.
    pub mean_gap: f64,
    pub min_gap: f64,
    /// Helpers with more than `helper_capacity` rows (P2).
    pub over_capacity: usize,
    /// Rows whose helper is not a helper school or cannot serve the stage, rows for a stage
    /// the group does not serve, and every row beyond the first on one slot (P1).
    pub p1_violations: usize,
    /// Rows whose helper is weaker than the slot's floor (P3).
    pub p3_violations: usize,
    pub uncovered_slots: usize,
}

impl Metrics {
    pub fn values(&self) -> [f64; 13] {
        [
            self.rows as f64,
            self.covered_slots as f64,
            self.priority_covered as f64,
            self.covered_weight,
            self.total_km,
            self.mean_km,
            self.max_km,
            self.mean_gap,
            self.min_gap,
            self.over_capacity as f64,
            self.p1_violations as f64,
            self.p3_violations as f64,
            self.uncovered_slots as f64,
        ]
    }

    /// No P1, P2 or P3 violation.
    pub fn rule_abiding(&self) -> bool {
        self.over_capacity == 0 && self.p1_violations == 0 && self.p3_violations == 0
    }
}

/// Scores `picks`; slot indices past `p.slots` refer to `extra_slots`.
pub fn score(p: &PairingProblem, extra_slots: &[Slot], picks: &[Pick]) -> Metrics {
    let slot = |i: usize| -> &Slot {
        if i < p.slots.len() {
            &p.slots[i]
        } else {
            &extra_slots[i - p.slots.len()]
        }
    };
    let mut m = Metrics {
        rows: picks.len(),
        ..Metrics::default()
    };
    let mut per_slot: BTreeMap<usize, usize> = BTreeMap::new();
    let mut per_helper: BTreeMap<usize, usize> = BTreeMap::new();
    let mut gap_sum = 0.0;
    m.min_gap = f64::INFINITY;
    for pick in picks {
        let s = slot(pick.slot);
        let h = &p.inst.schools[pick.helper];
        *per_slot.entry(pick.slot).or_default() += 1;
        *per_helper.entry(pick.helper).or_default() += 1;
        let km = p.km(s, pick.helper);
        m.total_km += km;
        m.max_km = m.max_km.max(km);
        let gap = h.quality - s.quality;
        gap_sum += gap;
        m.min_gap = m.min_gap.min(gap);
        if !s.real || !h.helper || !h.stage.can_help(s.stage) {
            m.p1_violations += 1;
        }
        if h.quality < p.quality_floor(s) - QUALITY_EPS {
            m.p3_violations += 1;
        }
    }
    for (&si, &n) in &per_slot {
        let s = slot(si);
        m.p1_violations += n - 1;
        if s.real {
            m.covered_slots += 1;
            m.covered_weight += s.weight;
            if s.priority {
                m.priority_covered += 1;
            }
        }
    }
    m.uncovered_slots = p.slots.iter().filter(|s| s.real).count() - m.covered_slots;
    m.over_capacity = per_helper.values().filter(|&&n| n > p.capacity).count();
    if picks.is_empty() {
        m.mean_km = f64::NAN;
        m.mean_gap = f64::NAN;
        m.min_gap = f64::NAN;
        m.max_km = f64::NAN;
    } else {
        m.mean_km = m.total_km / picks.len() as f64;
        m.mean_gap = gap_sum / picks.len() as f64;
    }
    m
}
