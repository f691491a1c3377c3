//! The pairing problem as data: the slots to fill (P1, P4), the helpers, and which helper may
//! fill which slot (P1 stage match, P3 quality), each with its distance.

use crate::domain::grouping::Grouping;
use crate::domain::instance::Instance;
use crate::domain::policy::{PairingLevel, PairingPolicy};
use crate::domain::stage::SlotStage;
use crate::lang::Lang;

/// Quality comparisons (P3) forgive this much floating-point noise: a group mean of 61.3 is
/// met by a helper of 61.3 even when the mean was summed as 61.29999999.
pub const QUALITY_EPS: f64 = 1e-9;

/// One (group, stage) slot — or, at school level, one (school, stage) slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub stage: SlotStage,
    /// Index into [`Grouping::groups`]: the slot's group, or at school level the school's
    /// group if it has one.
    pub group: Option<usize>,
    /// School level only: the school whose slot this is.
    pub school: Option<usize>,
    /// The school distance is measured to: the group's core, or the school itself.
    pub target: usize,
    /// What P3 compares a helper with: the group's mean quality, or the school's own.
    pub quality: f64,
    /// P4: any school of the group (or the school) lies in a priority township.
    pub priority: bool,
    /// Weight in the coverage objective: `priority_weight` for a priority slot, else 1.
    pub weight: f64,
    /// False for a slot a planner's `pairings.csv` names but P1 does not open (the group
    /// serves no such stage); such slots are only ever scored, never offered.
    pub real: bool,
}

/// A helper that may fill a slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub slot: usize,
    /// School index of the helper.
    pub helper: usize,
    pub km: f64,
}

/// One row of a pairing: `helper` (a school index) fills `slot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pick {
    pub slot: usize,
    pub helper: usize,
}

/// Everything a pairing policy needs, built once from the instance, groups and policy.
#[derive(Debug, Clone)]
pub struct PairingProblem<'a> {
    pub inst: &'a Instance,
    pub grouping: &'a Grouping,
    pub level: PairingLevel,
    /// P2: rows per helper.
    pub capacity: usize,
    /// P3: `min_quality_gap`.
    pub min_gap: f64,
    pub slots: Vec<Slot>,
    /// School indices of the helpers (`helper = true`), in `schools.csv` order.
    pub helpers: Vec<usize>,
    /// Every admissible (slot, helper) pair, by slot, then distance, then helper id.
    pub candidates: Vec<Candidate>,
    /// For each slot, its candidates' indices into `candidates`.
    pub by_slot: Vec<Vec<usize>>,
    /// The language of the uncovered slots' reasons. English unless the caller sets the
    /// run's documents language (the pipeline does).
    pub lang: Lang,
}

impl<'a> PairingProblem<'a> {
    /// Builds the slots and candidates for `[pairing]` at its level.
    pub fn new(inst: &'a Instance, grouping: &'a Grouping, policy: &PairingPolicy) -> Self {
        let slots = match policy.level {
            PairingLevel::Group => group_slots(inst, grouping, policy.priority_weight),
            PairingLevel::School => school_slots(inst, grouping, policy.priority_weight),
        };
        let helpers: Vec<usize> = (0..inst.schools.len())
            .filter(|&s| inst.schools[s].helper)
            .collect();
        let mut p = PairingProblem {
            inst,
            grouping,
            level: policy.level,
            capacity: policy.helper_capacity,
            min_gap: policy.min_quality_gap,
            slots,
            helpers,
            candidates: Vec::new(),
            by_slot: Vec::new(),
            lang: Lang::En,
        };
        p.build_candidates();
        p
    }

    fn build_candidates(&mut self) {
        let mut candidates = Vec::new();
        let mut by_slot = Vec::with_capacity(self.slots.len());
        for (si, slot) in self.slots.iter().enumerate() {
            let mut here: Vec<Candidate> = self
                .helpers
                .iter()
                .filter(|&&h| self.admissible(slot, h))
                .map(|&h| Candidate {
                    slot: si,
                    helper: h,
                    km: self.inst.distance(h, slot.target),
                })
                .collect();
            here.sort_by(|a, b| {
                a.km.total_cmp(&b.km).then_with(|| {
                    self.inst.schools[a.helper]
                        .id
                        .cmp(&self.inst.schools[b.helper].id)
                })
            });
            let start = candidates.len();
            candidates.extend(here);
            by_slot.push((start..candidates.len()).collect());
        }
        self.candidates = candidates;
        self.by_slot = by_slot;
    }

    /// P1 (stage match) and P3 (quality) for one helper school and one slot.
    pub fn admissible(&self, slot: &Slot, helper: usize) -> bool {
        let h = &self.inst.schools[helper];
        slot.real && h.helper && h.stage.can_help(slot.stage) && self.meets_quality(slot, helper)
    }

    /// P3 alone: helper quality ≥ the slot's reference quality + `min_quality_gap`.
    pub fn meets_quality(&self, slot: &Slot, helper: usize) -> bool {
        self.inst.schools[helper].quality >= self.quality_floor(slot) - QUALITY_EPS
    }

    /// The least quality P3 accepts for this slot.
    pub fn quality_floor(&self, slot: &Slot) -> f64 {
        slot.quality + self.min_gap
    }

    /// Distance from a helper to the slot's target school.
    pub fn km(&self, slot: &Slot, helper: usize) -> f64 {
        self.inst.distance(helper, slot.target)
    }

    /// The group id of a slot, or "" at school level for an ungrouped school.
    pub fn group_id(&self, slot: &Slot) -> &str {
        slot.group
            .map_or("", |g| self.grouping.groups[g].id.as_str())
    }

    /// A readable name for a slot: `compulsory-3 middle` or `S104 (compulsory-3) primary`.
    pub fn slot_label(&self, slot: &Slot) -> String {
        match slot.school {
            Some(s) => {
                let g = self.group_id(slot);
                if g.is_empty() {
                    format!("{} {}", self.inst.schools[s].id, slot.stage)
                } else {
                    format!("{} ({g}) {}", self.inst.schools[s].id, slot.stage)
                }
            }
            None => format!("{} {}", self.group_id(slot), slot.stage),
        }
    }

    /// Total weight of all real slots: the most any pairing can cover.
    pub fn total_weight(&self) -> f64 {
        self.slots.iter().filter(|s| s.real).map(|s| s.weight).sum()
    }
}

fn weight(priority: bool, priority_weight: f64) -> f64 {
    if priority { priority_weight } else { 1.0 }
}

/// P1 at group level: a slot per stage some school of the group serves, for every group of
/// every track (a high-school group serves none).
fn group_slots(inst: &Instance, grouping: &Grouping, priority_weight: f64) -> Vec<Slot> {
    let mut slots = Vec::new();
    for (gi, g) in grouping.groups.iter().enumerate() {
        let priority = g
            .schools
            .iter()
            .any(|&s| inst.townships[inst.schools[s].township].priority);
        let quality = grouping.mean_quality(inst, gi);
        for stage in SlotStage::ALL {
            let served = g
                .schools
                .iter()
                .any(|&s| inst.schools[s].stage.served_slots().contains(&stage));
            if served {
                slots.push(Slot {
                    stage,
                    group: Some(gi),
                    school: None,
                    target: g.core,
                    quality,
                    priority,
                    weight: weight(priority, priority_weight),
                    real: true,
                });
            }
        }
    }
    slots
}

/// School level: every non-helper school in a rural township (`urban = false`) has a slot
/// per stage it serves.
fn school_slots(inst: &Instance, grouping: &Grouping, priority_weight: f64) -> Vec<Slot> {
    let mut slots = Vec::new();
    for (si, s) in inst.schools.iter().enumerate() {
        let t = &inst.townships[s.township];
        if s.helper || t.urban {
            continue;
        }
        for &stage in s.stage.served_slots() {
            slots.push(Slot {
                stage,
                group: grouping.school_group.get(si).copied().flatten(),
                school: Some(si),
                target: si,
                quality: s.quality,
                priority: t.priority,
                weight: weight(t.priority, priority_weight),
                real: true,
            });
        }
    }
    slots
}
