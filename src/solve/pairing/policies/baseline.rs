//! `baseline`: a `pairings.csv` a bureau actually used, scored exactly as given. Rows that
//! break P1–P3 are kept and counted, never dropped: the point is to see them.

use std::collections::BTreeMap;
use std::path::Path;

use super::{ComparedPolicy, PolicyRun};
use crate::diagnostics::{Problems, did_you_mean};
use crate::domain::policy::PairingLevel;
use crate::domain::stage::SlotStage;
use crate::error::Result;
use crate::io::csv_table::Table;
use crate::solve::pairing::problem::{PairingProblem, Pick, Slot};

/// A baseline resolved against a problem's slots.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub file: String,
    pub picks: Vec<Pick>,
    pub extra_slots: Vec<Slot>,
}

impl Baseline {
    /// Reads `path` (`helper,group,stage`, plus `school` at school level) and resolves every
    /// row to a slot of `p`. Unknown ids are problems located at their cell; a row naming a
    /// stage its group does not serve becomes a slot P1 does not open (a P1 violation).
    pub fn load(path: &Path, p: &PairingProblem) -> Result<Baseline, Problems> {
        let mut problems = Problems::default();
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut required = vec!["helper", "group", "stage"];
        if p.level == PairingLevel::School {
            required.push("school");
        }
        let Some(table) = Table::read(dir, &name, &required, true, &mut problems) else {
            return Err(problems);
        };
        let group_ids: Vec<&str> = p.grouping.groups.iter().map(|g| g.id.as_str()).collect();
        let mut slot_of: BTreeMap<(Option<usize>, Option<usize>, SlotStage), usize> = p
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| ((key_group(p, s), s.school, s.stage), i))
            .collect();
        let mut extra_slots: Vec<Slot> = Vec::new();
        let mut picks = Vec::new();
        for row in &table.rows {
            let mut c = table.cells(row, &mut problems);
            let helper = c.required("helper").and_then(|h| {
                let found = p.inst.school_by_id(&h);
                if found.is_none() {
                    c.problem(
                        "helper",
                        "unknown school",
                        "use a school id from schools.csv",
                    );
                }
                found
            });
            let stage = c.required("stage").and_then(|s| {
                let v = SlotStage::parse(&s);
                if v.is_none() {
                    c.problem(
                        "stage",
                        "unknown slot stage",
                        "use kindergarten, primary or middle",
                    );
                }
                v
            });
            let target = match p.level {
                PairingLevel::Group => c.required("group").and_then(|g| {
                    let found = p.grouping.group_by_id(&g);
                    if found.is_none() {
                        let fix = match did_you_mean(&g, &group_ids) {
                            Some(m) => {
                                format!("did you mean `{m}`? Use a group id from groups.csv")
                            }
                            None => "use a group id from the plan's groups.csv".into(),
                        };
                        c.problem("group", "unknown group", fix);
                    }
                    found.map(Target::Group)
                }),
                PairingLevel::School => c.required("school").and_then(|s| {
                    let found = p.inst.school_by_id(&s);
                    if found.is_none() {
                        c.problem(
                            "school",
                            "unknown school",
                            "use a school id from schools.csv",
                        );
                    }
                    found.map(Target::School)
                }),
            };
            let (Some(helper), Some(stage), Some(target)) = (helper, stage, target) else {
                continue;
            };
            let (group, school) = match target {
                Target::Group(g) => (Some(g), None),
                Target::School(s) => (None, Some(s)),
            };
            let slot = *slot_of.entry((group, school, stage)).or_insert_with(|| {
                extra_slots.push(phantom(p, target, stage));
                p.slots.len() + extra_slots.len() - 1
            });
            picks.push(Pick { slot, helper });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Baseline {
            file: path.display().to_string(),
            picks,
            extra_slots,
        })
    }
}

#[derive(Clone, Copy)]
enum Target {
    Group(usize),
    School(usize),
}

/// The key a slot is found by: its group at group level; at school level the school alone.
fn key_group(p: &PairingProblem, s: &Slot) -> Option<usize> {
    match p.level {
        PairingLevel::Group => s.group,
        PairingLevel::School => None,
    }
}

/// A slot P1 does not open, so a baseline row naming it can still be scored.
fn phantom(p: &PairingProblem, target: Target, stage: SlotStage) -> Slot {
    let inst = p.inst;
    match target {
        Target::Group(g) => {
            let grp = &p.grouping.groups[g];
            let priority = grp
                .schools
                .iter()
                .any(|&s| inst.townships[inst.schools[s].township].priority);
            Slot {
                stage,
                group: Some(g),
                school: None,
                target: grp.core,
                quality: p.grouping.mean_quality(inst, g),
                priority,
                weight: 0.0,
                real: false,
            }
        }
        Target::School(s) => Slot {
            stage,
            group: p.grouping.school_group.get(s).copied().flatten(),
            school: Some(s),
            target: s,
            quality: inst.schools[s].quality,
            priority: inst.townships[inst.schools[s].township].priority,
            weight: 0.0,
            real: false,
        },
    }
}

impl ComparedPolicy for Baseline {
    fn key(&self) -> &'static str {
        "baseline"
    }
    fn description(&self) -> String {
        format!("the pairings in {}, scored as given", self.file)
    }
    fn run(&self, _p: &PairingProblem) -> Result<PolicyRun> {
        Ok(PolicyRun {
            extra_slots: self.extra_slots.clone(),
            draws: vec![self.picks.clone()],
            note: None,
        })
    }
}
