//! G1–G6: groups re-derived from `groups.csv` rows, without the solvers' grouping code.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::rule::{F1, G1, G3, G4, G5, G6};
use super::{Audit, at};
use crate::domain::policy::TrackMode;
use crate::io::plan_files::GROUPS;
use crate::plan::Role;

/// One group as `groups.csv` states it.
#[derive(Debug, Clone)]
pub(crate) struct GroupView {
    pub id: String,
    pub track: String,
    /// The first school marked core (G6 flags any other).
    pub core: Option<usize>,
    /// School indices in file order, core included.
    pub schools: Vec<usize>,
    /// Lines of its rows in `groups.csv`.
    pub lines: Vec<usize>,
}

/// All groups, by id, and each school's group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    pub list: Vec<GroupView>,
    pub of_school: Vec<Option<usize>>,
}

impl Groups {
    pub fn of(&self, school: usize) -> Option<&GroupView> {
        self.of_school
            .get(school)
            .copied()
            .flatten()
            .map(|g| &self.list[g])
    }

    pub fn by_id(&self, id: &str) -> Option<&GroupView> {
        self.list.iter().find(|g| g.id == id)
    }
}

/// Audits G1 and G3–G6 and the G2 objective; returns the groups for the later steps.
pub(crate) fn check(a: &mut Audit) -> Groups {
    let groups = resolve(a);
    check_tracks(a, &groups);
    for g in &groups.list {
        check_group(a, g);
    }
    check_townships(a, &groups);
    compare_objective(a, &groups);
    groups
}

fn resolve(a: &mut Audit) -> Groups {
    let mut by_id: BTreeMap<String, GroupView> = BTreeMap::new();
    let mut first_row: Vec<Option<usize>> = vec![None; a.inst.schools.len()];
    let mut school_group: Vec<Option<String>> = vec![None; a.inst.schools.len()];
    for l in &a.plan.groups {
        let r = &l.row;
        let here = at(GROUPS, l.line, &format!("{} {}", r.group, r.school));
        let Some(s) = a.inst.school_by_id(&r.school) else {
            a.flag(
                F1,
                format!("学校不存在：`{}`", r.school),
                format!("unknown school `{}`", r.school),
                vec![here],
            );
            continue;
        };
        if !a.policy.tracks.iter().any(|t| t.name == r.track) {
            a.flag(
                G6,
                format!("政策中没有序列 `{}`", r.track),
                format!("track `{}` is not in the policy", r.track),
                vec![here.clone()],
            );
        }
        let g = by_id.entry(r.group.clone()).or_insert_with(|| GroupView {
            id: r.group.clone(),
            track: r.track.clone(),
            core: None,
            schools: Vec::new(),
            lines: Vec::new(),
        });
        if g.track != r.track {
            a.flag(
                G6, format!("集团编号 `{}` 同时用于序列 `{}` 和 `{}`；各序列的集团编号须互不相同", r.group, g.track, r.track),
                format!(
                    "group id `{}` is used by tracks `{}` and `{}`; ids must be unique across tracks",
                    r.group, g.track, r.track
                ),
                vec![here.clone()],
            );
        }
        if let (Some(prev), Some(line)) = (&school_group[s], first_row[s]) {
            a.flag(
                G6, format!("学校 `{}` 重复列出（已在集团 `{prev}` 中）；一所学校至多属于一个集团", r.school),
                format!(
                    "school `{}` is listed again (already in group `{prev}`); a school is in at most one group",
                    r.school
                ),
                vec![at(GROUPS, line, &r.school), here],
            );
            continue;
        }
        school_group[s] = Some(r.group.clone());
        first_row[s] = Some(l.line);
        g.schools.push(s);
        g.lines.push(l.line);
        if r.role == Role::Core {
            if g.core.is_some() {
                a.flag(
                    G6,
                    format!("集团 `{}` 有第二所核心校 `{}`", r.group, r.school),
                    format!("group `{}` has a second core `{}`", r.group, r.school),
                    vec![here],
                );
            } else {
                g.core = Some(s);
            }
        }
    }
    let list: Vec<GroupView> = by_id.into_values().collect();
    let mut of_school = vec![None; a.inst.schools.len()];
    for (gi, g) in list.iter().enumerate() {
        for &s in &g.schools {
            of_school[s] = Some(gi);
        }
    }
    for g in &list {
        if g.core.is_none() {
            a.flag(
                G6,
                format!("集团 `{}` 没有核心校", g.id),
                format!("group `{}` has no core school", g.id),
                rows_of(g, a),
            );
        }
    }
    Groups { list, of_school }
}

fn rows_of(g: &GroupView, a: &Audit) -> Vec<String> {
    g.lines
        .iter()
        .zip(&g.schools)
        .map(|(&line, &s)| at(GROUPS, line, &a.inst.schools[s].id))
        .collect()
}

/// G6 per track: the number of groups, and exactly the track's schools.
fn check_tracks(a: &mut Audit, groups: &Groups) {
    let tracks = a.policy.tracks.clone();
    for t in &tracks {
        let n = groups.list.iter().filter(|g| g.track == t.name).count();
        if n != t.count {
            a.flag(
                G6,
                format!(
                    "序列 `{}` 在 groups.csv 中有 {n} 个集团；政策规定 count = {}",
                    t.name, t.count
                ),
                format!(
                    "track `{}` has {n} groups in groups.csv; the policy fixes count = {}",
                    t.name, t.count
                ),
                vec![format!("track {}", t.name)],
            );
        }
        for (s, school) in a.inst.schools.iter().enumerate() {
            let belongs = t.stages.contains(&school.stage) && (t.include_helpers || !school.helper);
            let placed = groups.of(s).filter(|g| g.track == t.name);
            if belongs && placed.is_none() {
                a.flag(
                    G6,
                    format!(
                        "学校 `{}`（{}）属于序列 `{}`，却不在其任何集团中",
                        school.id, school.stage, t.name
                    ),
                    format!(
                        "school `{}` ({}) belongs to track `{}` but is in none of its groups",
                        school.id, school.stage, t.name
                    ),
                    vec![format!("schools.csv {}", school.id)],
                );
            }
            if let Some(g) = placed.filter(|_| !belongs) {
                let why = if t.stages.contains(&school.stage) {
                    "is a helper and the track has include_helpers = false"
                } else {
                    "has a stage outside the track's stages"
                };
                let line = g
                    .schools
                    .iter()
                    .position(|&x| x == s)
                    .map_or(0, |i| g.lines[i]);
                a.flag(
                    G6,
                    format!(
                        "学校 `{}`（{}）在序列 `{}` 的集团 `{}` 中，但{}",
                        school.id,
                        school.stage,
                        t.name,
                        g.id,
                        if t.stages.contains(&school.stage) {
                            "它是帮扶校，而该序列 include_helpers = false"
                        } else {
                            "它的学段不在该序列的学段之内"
                        }
                    ),
                    format!(
                        "school `{}` ({}) is in group `{}` of track `{}` but {why}",
                        school.id, school.stage, g.id, t.name
                    ),
                    vec![at(GROUPS, line, &school.id)],
                );
            }
        }
    }
}

fn check_group(a: &mut Audit, g: &GroupView) {
    let Some(track) = a.policy.tracks.iter().find(|t| t.name == g.track).cloned() else {
        return;
    };
    if track.mode == TrackMode::Schools && g.schools.len() > track.max_schools {
        a.flag(
            G1,
            format!(
                "集团 `{}` 有 {} 所学校；上限 max_schools = {}",
                g.id,
                g.schools.len(),
                track.max_schools
            ),
            format!(
                "group `{}` has {} schools; max_schools = {}",
                g.id,
                g.schools.len(),
                track.max_schools
            ),
            rows_of(g, a),
        );
    }
    if let Some(c) = g.core {
        let core = &a.inst.schools[c];
        let line = g.lines[g.schools.iter().position(|&x| x == c).unwrap_or(0)];
        if core.quality < track.core_min_quality - 1e-9 {
            a.flag(
                G3,
                format!(
                    "集团 `{}` 的核心校 `{}` 质量 {} < 核心校最低质量 core_min_quality {}",
                    g.id, core.id, core.quality, track.core_min_quality
                ),
                format!(
                    "core `{}` of group `{}` has quality {} < core_min_quality {}",
                    core.id, g.id, core.quality, track.core_min_quality
                ),
                vec![at(GROUPS, line, &core.id)],
            );
        }
        if !a.extras.may_lead(a.policy, &g.track, core.stage) {
            a.flag(
                G3, format!("集团 `{}` 的核心校 `{}` 是{}学校；该序列的 core_stages 不含此学段", g.id, core.id, core.stage),
                format!(
                    "core `{}` of group `{}` is a {} school; the track's core_stages do not include it",
                    core.id, g.id, core.stage
                ),
                vec![at(GROUPS, line, &core.id)],
            );
        }
        if !core.core_eligible {
            a.flag(
                G3,
                format!(
                    "集团 `{}` 的核心校 `{}` 的 core_eligible = false",
                    g.id, core.id
                ),
                format!(
                    "core `{}` of group `{}` has core_eligible = false",
                    core.id, g.id
                ),
                vec![at(GROUPS, line, &core.id)],
            );
        }
    }
    let students: f64 = g
        .schools
        .iter()
        .map(|&s| f64::from(a.inst.schools[s].students))
        .sum();
    if let Some(min) = track.min_students.filter(|&m| students < m - 1e-9) {
        a.flag(
            G5,
            format!(
                "集团 `{}` 有学生 {students} 人 < 下限 min_students {min}",
                g.id
            ),
            format!(
                "group `{}` has {students} students < min_students {min}",
                g.id
            ),
            rows_of(g, a),
        );
    }
    if let Some(max) = track.max_students.filter(|&m| students > m + 1e-9) {
        a.flag(
            G5,
            format!(
                "集团 `{}` 有学生 {students} 人 > 上限 max_students {max}",
                g.id
            ),
            format!(
                "group `{}` has {students} students > max_students {max}",
                g.id
            ),
            rows_of(g, a),
        );
    }
}

/// G4: whole townships per group, and connected groups when `contiguous`.
fn check_townships(a: &mut Audit, groups: &Groups) {
    let tracks = a.policy.tracks.clone();
    for t in tracks.iter().filter(|t| t.mode == TrackMode::Townships) {
        let mut township_groups: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
        for g in groups.list.iter().filter(|g| g.track == t.name) {
            for &s in &g.schools {
                township_groups
                    .entry(a.inst.schools[s].township)
                    .or_default()
                    .insert(&g.id);
            }
        }
        for (tw, gs) in &township_groups {
            if gs.len() > 1 {
                let ids: Vec<&str> = gs.iter().copied().collect();
                a.flag(
                    G4,
                    format!(
                        "乡镇 `{}` 被拆分到序列 `{}` 的集团 {}",
                        a.inst.townships[*tw].id,
                        t.name,
                        ids.join("、")
                    ),
                    format!(
                        "township `{}` is split between groups {} of track `{}`",
                        a.inst.townships[*tw].id,
                        ids.join(", "),
                        t.name
                    ),
                    ids.iter().map(|g| format!("group {g}")).collect(),
                );
            }
        }
        if !t.contiguous {
            continue;
        }
        for g in groups.list.iter().filter(|g| g.track == t.name) {
            let towns: BTreeSet<usize> = g
                .schools
                .iter()
                .map(|&s| a.inst.schools[s].township)
                .collect();
            let reached = reach(&a.inst.adjacency, &towns);
            if reached < towns.len() {
                let names: Vec<&str> = towns
                    .iter()
                    .map(|&t| a.inst.townships[t].id.as_str())
                    .collect();
                a.flag(
                    G4, format!("集团 `{}` 不连片：其乡镇 {} 在相邻关系图中不相连", g.id, names.join("、")),
                    format!(
                        "group `{}` is not contiguous: its townships {} fall apart in the adjacency graph",
                        g.id,
                        names.join(", ")
                    ),
                    rows_of(g, a),
                );
            }
        }
    }
}

/// How many of `towns` a breadth-first walk inside `towns` reaches from the first.
fn reach(edges: &[(usize, usize)], towns: &BTreeSet<usize>) -> usize {
    let Some(&start) = towns.iter().next() else {
        return 0;
    };
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(t) = queue.pop_front() {
        for &(x, y) in edges {
            let next = if x == t {
                y
            } else if y == t {
                x
            } else {
                continue;
            };
            if towns.contains(&next) && seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    seen.len()
}

/// Unweighted mean quality of a group's schools (P3 and the G2 balance term).
pub(crate) fn mean_quality(a: &Audit, g: &GroupView) -> f64 {
    if g.schools.is_empty() {
        return f64::NAN;
    }
    g.schools
        .iter()
        .map(|&s| a.inst.schools[s].quality)
        .sum::<f64>()
        / g.schools.len() as f64
}

/// G2: the reported objective is Σ distance to the core plus the balance term.
fn compare_objective(a: &mut Audit, groups: &Groups) {
    let mut total = 0.0;
    let tracks = a.policy.tracks.clone();
    for t in &tracks {
        let mine: Vec<&GroupView> = groups.list.iter().filter(|g| g.track == t.name).collect();
        let mut distance = 0.0;
        let mut means = Vec::new();
        for g in &mine {
            if let Some(c) = g.core {
                distance += g.schools.iter().map(|&s| a.geo.km(s, c)).sum::<f64>();
            }
            means.push(mean_quality(a, g));
        }
        let spread = if means.is_empty() {
            0.0
        } else {
            means.iter().copied().fold(f64::MIN, f64::max)
                - means.iter().copied().fold(f64::MAX, f64::min)
        };
        let objective = distance + t.balance_weight * spread;
        total += objective;
        a.compare(&["groups", "tracks", &t.name, "objective"], objective);
        compare_listing(a, t.name.as_str(), &mine);
    }
    a.compare(&["groups", "objective"], total);
}

/// The per-group listing of the summary, when present, against `groups.csv`.
fn compare_listing(a: &mut Audit, track: &str, mine: &[&GroupView]) {
    let Some(listed) = a
        .summary_at(&["groups", "tracks", track, "groups"])
        .and_then(|v| v.as_array())
        .cloned()
    else {
        return;
    };
    for entry in &listed {
        let Some(id) = entry.get("group").and_then(|v| v.as_str()) else {
            continue;
        };
        let Some(g) = mine.iter().find(|g| g.id == id) else {
            a.mismatch(
                &["groups", "tracks", track, "groups", id],
                "listed".into(),
                "not in groups.csv".into(),
            );
            continue;
        };
        let core = g.core.map(|c| a.inst.schools[c].id.clone());
        if let Some(sc) = entry.get("core").and_then(|v| v.as_str())
            && Some(sc) != core.as_deref()
        {
            a.report.metrics_checked += 1;
            a.mismatch(
                &["groups", "tracks", track, "groups", id, "core"],
                sc.to_string(),
                core.unwrap_or_default(),
            );
        }
        if let Some(list) = entry.get("schools").and_then(|v| v.as_array()) {
            a.report.metrics_checked += 1;
            let theirs: BTreeSet<&str> = list.iter().filter_map(|v| v.as_str()).collect();
            let ours: BTreeSet<&str> = g
                .schools
                .iter()
                .map(|&s| a.inst.schools[s].id.as_str())
                .collect();
            if theirs != ours {
                let fmt = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(";");
                a.mismatch(
                    &["groups", "tracks", track, "groups", id, "schools"],
                    fmt(&theirs),
                    fmt(&ours),
                );
            }
        }
        let students: f64 = g
            .schools
            .iter()
            .map(|&s| f64::from(a.inst.schools[s].students))
            .sum();
        let max_km = g
            .core
            .map(|c| {
                g.schools
                    .iter()
                    .map(|&s| a.geo.km(s, c))
                    .fold(0.0, f64::max)
            })
            .unwrap_or(f64::NAN);
        let mean = mean_quality(a, g);
        let base = ["groups", "tracks", track, "groups", id];
        for (key, value) in [
            ("students", students),
            ("mean_quality", mean),
            ("max_distance_km", max_km),
        ] {
            if let Some(v) = entry.get(key).cloned() {
                a.report.metrics_checked += 1;
                let same = v.as_f64().map_or(v.is_null() && !value.is_finite(), |x| {
                    super::close(x, value)
                });
                if !same {
                    let mut path = base.to_vec();
                    path.push(key);
                    a.mismatch(&path, v.to_string(), super::fmt_num(value));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_walks_only_inside_the_group() {
        // 0–1–2 in a line; {0, 2} is cut without 1, {0, 1, 2} is connected.
        let edges = [(0, 1), (1, 2)];
        assert_eq!(reach(&edges, &BTreeSet::from([0, 2])), 1);
        assert_eq!(reach(&edges, &BTreeSet::from([0, 1, 2])), 3);
        assert_eq!(reach(&edges, &BTreeSet::new()), 0);
    }
}
