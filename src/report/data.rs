//! What the report reads: the plan files and summary of a plan folder, and where every
//! teacher works before and after the plan.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::Problems;
use crate::domain::Instance;
use crate::domain::grouping::Grouping;
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS, MOVES, PAIRINGS, RETURNS};
use crate::io::summary::{SUMMARY, Summary};
use crate::plan::{GroupRow, MoveRow, PairingRow, ReturnRow};

/// A plan folder as the report sees it. Only `groups.csv` is required: a folder that stopped
/// after `groups` or `pair` still gets a report.
pub struct PlanData {
    pub groups: Vec<GroupRow>,
    pub grouping: Grouping,
    pub pairings: Vec<PairingRow>,
    pub moves: Vec<MoveRow>,
    pub returns: Vec<ReturnRow>,
    /// `summary.json`, empty when the folder has none.
    pub summary: Map<String, Value>,
    pub has_summary: bool,
}

impl PlanData {
    pub fn load(inst: &Instance, dir: &Path) -> Result<PlanData> {
        if !dir.join(GROUPS).exists() {
            return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
                dir, GROUPS, "groups",
            )])));
        }
        let groups = plan_files::read_groups(dir)?;
        let grouping = Grouping::from_rows(inst, &groups)?;
        let pairings = optional(dir, PAIRINGS, plan_files::read_pairings)?;
        let moves = optional(dir, MOVES, plan_files::read_moves)?;
        let returns = optional(dir, RETURNS, plan_files::read_returns)?;
        let has_summary = dir.join(SUMMARY).exists();
        Ok(PlanData {
            groups,
            grouping,
            pairings,
            moves,
            returns,
            summary: Summary::load(dir).root,
            has_summary,
        })
    }

    /// Gives moves without a `reason` (a planner-made `moves.csv`) the reason rotaplan would
    /// have written; reasons in the file are kept word for word.
    pub fn fill_reasons(&mut self, inst: &Instance, lang: crate::lang::Lang) {
        super::reasons::fill_reasons(
            inst,
            &self.grouping,
            &self.pairings,
            &self.returns,
            &mut self.moves,
            lang,
        );
    }

    /// The display name of a group id with the id beside it: "XX小学教育集团 (compulsory-1)".
    pub fn group_label(&self, inst: &Instance, id: &str, lang: crate::lang::Lang) -> String {
        match self.grouping.group_by_id(id) {
            Some(g) => format!(
                "{} ({id})",
                crate::words::group_name(inst, &self.grouping, g, lang)
            ),
            None => id.to_string(),
        }
    }

    /// The group (index into `grouping.groups`) of a school id, if any.
    pub fn group_of(&self, inst: &Instance, school: &str) -> Option<usize> {
        inst.school_by_id(school)
            .and_then(|s| self.grouping.school_group.get(s).copied().flatten())
    }
}

/// A later plan file may be absent (the step was not run); present but broken is an error.
fn optional<T>(
    dir: &Path,
    name: &str,
    read: fn(&Path) -> std::result::Result<Vec<T>, Problems>,
) -> Result<Vec<T>> {
    if dir.join(name).exists() {
        Ok(read(dir)?)
    } else {
        Ok(Vec::new())
    }
}

/// Where each teacher works after this summer's returns (before) and after the moves, and
/// which subject they cover there. A teacher covers their main subject unless a move says
/// otherwise (the subject column of `moves.csv`).
pub struct Staffing {
    pub before: Vec<usize>,
    pub after: Vec<usize>,
    pub subject_after: Vec<String>,
    supply_before: BTreeMap<(usize, String), u32>,
    supply_after: BTreeMap<(usize, String), u32>,
    /// Teachers leaving each (school, subject they taught there).
    leaving: BTreeMap<(usize, String), u32>,
    /// Posts per (school, subject), repeated demand rows summed.
    demand: BTreeMap<(usize, String), u32>,
    headcount_before: Vec<usize>,
    headcount_after: Vec<usize>,
}

impl Staffing {
    /// Rows naming unknown teachers or schools are left out here (the move list still shows
    /// them as written; `verify` is where a plan is judged).
    pub fn new(inst: &Instance, returns: &[ReturnRow], moves: &[MoveRow]) -> Staffing {
        let mut before: Vec<usize> = inst.teachers.iter().map(|t| t.school).collect();
        for r in returns {
            if let (Some(t), Some(s)) = (inst.teacher_by_id(&r.teacher), inst.school_by_id(&r.to)) {
                before[t] = s;
            }
        }
        let mut after = before.clone();
        let mut subject_after: Vec<String> =
            inst.teachers.iter().map(|t| t.subject.clone()).collect();
        let mut leaving = BTreeMap::new();
        for m in moves {
            if let (Some(t), Some(s)) = (inst.teacher_by_id(&m.teacher), inst.school_by_id(&m.to)) {
                *leaving
                    .entry((before[t], inst.teachers[t].subject.clone()))
                    .or_insert(0) += 1;
                after[t] = s;
                subject_after[t] = m.subject.clone();
            }
        }
        let mut supply_before = BTreeMap::new();
        let mut supply_after = BTreeMap::new();
        for (t, teacher) in inst.teachers.iter().enumerate() {
            *supply_before
                .entry((before[t], teacher.subject.clone()))
                .or_insert(0) += 1;
            *supply_after
                .entry((after[t], subject_after[t].clone()))
                .or_insert(0) += 1;
        }
        let mut demand = BTreeMap::new();
        for d in &inst.demand {
            *demand.entry((d.school, d.subject.clone())).or_insert(0) += d.positions;
        }
        let count = |loc: &[usize]| {
            let mut c = vec![0usize; inst.schools.len()];
            for &s in loc {
                if let Some(x) = c.get_mut(s) {
                    *x += 1;
                }
            }
            c
        };
        Staffing {
            headcount_before: count(&before),
            headcount_after: count(&after),
            before,
            after,
            subject_after,
            supply_before,
            supply_after,
            leaving,
            demand,
        }
    }

    pub fn supply_before(&self, school: usize, subject: &str) -> u32 {
        get(&self.supply_before, school, subject)
    }

    pub fn supply_after(&self, school: usize, subject: &str) -> u32 {
        get(&self.supply_after, school, subject)
    }

    pub fn leaving(&self, school: usize, subject: &str) -> u32 {
        get(&self.leaving, school, subject)
    }

    /// Posts for `subject` at `school` (0 when demand.csv has none).
    pub fn demand(&self, school: usize, subject: &str) -> u32 {
        get(&self.demand, school, subject)
    }

    pub fn shortage_before(&self, school: usize, subject: &str) -> u32 {
        self.demand(school, subject)
            .saturating_sub(self.supply_before(school, subject))
    }

    pub fn shortage_after(&self, school: usize, subject: &str) -> u32 {
        self.demand(school, subject)
            .saturating_sub(self.supply_after(school, subject))
    }

    /// Teachers working at `school` before and after the moves.
    pub fn headcount(&self, school: usize) -> (usize, usize) {
        (self.headcount_before[school], self.headcount_after[school])
    }

    /// Unweighted shortage by subject over the county, before and after.
    pub fn shortage_by_subject(&self) -> BTreeMap<String, (u32, u32)> {
        let mut out: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for (school, subject) in self.demand.keys() {
            let e = out.entry(subject.clone()).or_default();
            e.0 += self.shortage_before(*school, subject);
            e.1 += self.shortage_after(*school, subject);
        }
        out
    }
}

fn get(map: &BTreeMap<(usize, String), u32>, school: usize, subject: &str) -> u32 {
    map.get(&(school, subject.to_string()))
        .copied()
        .unwrap_or(0)
}
