//! Groups as a step after `groups` sees them: resolved from `groups.csv` rows to indices.

use std::collections::BTreeMap;

use crate::diagnostics::{Problem, Problems};
use crate::domain::instance::Instance;
use crate::plan::{GroupRow, Role};

/// One education group.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub track: String,
    /// School index of the core.
    pub core: usize,
    /// School indices, core included, ascending.
    pub schools: Vec<usize>,
}

/// All groups of a plan, with each school's group.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    /// Sorted by group id.
    pub groups: Vec<Group>,
    /// For each school index, the index of its group in `groups`.
    pub school_group: Vec<Option<usize>>,
}

impl Grouping {
    /// Resolves `groups.csv` rows. Unknown schools, a school in two groups, and a group
    /// without exactly one core are problems (reported against `groups.csv`).
    pub fn from_rows(inst: &Instance, rows: &[GroupRow]) -> Result<Grouping, Problems> {
        let mut problems = Problems::default();
        let mut by_id: BTreeMap<&str, (String, Vec<usize>, Vec<usize>)> = BTreeMap::new();
        let mut school_group: Vec<Option<&str>> = vec![None; inst.schools.len()];
        for (i, r) in rows.iter().enumerate() {
            let line = i + 2;
            let Some(s) = inst.school_by_id(&r.school) else {
                problems.push(
                    Problem::new(
                        "groups.csv",
                        format!("unknown school `{}`", r.school),
                        "use a school id from schools.csv",
                    )
                    .with_zh(
                        format!("未知的学校 `{}`", r.school),
                        "请使用 schools.csv 中的学校编号",
                    )
                    .at(line, 3)
                    .value(&r.school),
                );
                continue;
            };
            if let Some(g) = school_group[s] {
                if g != r.group {
                    problems.push(
                        Problem::new(
                            "groups.csv",
                            format!("school `{}` is in group `{g}` and `{}`", r.school, r.group),
                            "keep each school in one group (G6)",
                        )
                        .with_zh(
                            format!("学校 `{}` 同时在集团 `{g}` 和 `{}` 中", r.school, r.group),
                            "每所学校只能属于一个集团（G6）",
                        )
                        .at(line, 3),
                    );
                }
                continue;
            }
            school_group[s] = Some(&r.group);
            let e = by_id
                .entry(&r.group)
                .or_insert_with(|| (r.track.clone(), Vec::new(), Vec::new()));
            e.1.push(s);
            if r.role == Role::Core {
                e.2.push(s);
            }
        }
        let mut groups = Vec::new();
        for (id, (track, mut schools, cores)) in by_id {
            if cores.len() != 1 {
                problems.push(
                    Problem::new(
                        "groups.csv",
                        format!("group `{id}` has {} core schools", cores.len()),
                        "mark exactly one school of each group as core",
                    )
                    .with_zh(
                        format!("集团 `{id}` 有 {} 所核心校", cores.len()),
                        "每个集团须恰好标记一所学校为 core（核心校）",
                    ),
                );
                continue;
            }
            schools.sort_unstable();
            groups.push(Group {
                id: id.to_string(),
                track,
                core: cores[0],
                schools,
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut sg = vec![None; inst.schools.len()];
        for (gi, g) in groups.iter().enumerate() {
            for &s in &g.schools {
                sg[s] = Some(gi);
            }
        }
        Ok(Grouping {
            groups,
            school_group: sg,
        })
    }

    pub fn group_by_id(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    /// Unweighted mean quality of a group's schools, core included (P3).
    pub fn mean_quality(&self, inst: &Instance, group: usize) -> f64 {
        let g = &self.groups[group];
        g.schools
            .iter()
            .map(|&s| inst.schools[s].quality)
            .sum::<f64>()
            / g.schools.len().max(1) as f64
    }
}
