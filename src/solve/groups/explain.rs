//! Why a track cannot be grouped, in numbers: counting checks before any solve, and, when
//! HiGHS still finds the model infeasible, which single rule's removal would make it solvable.

use super::problem::{EPS, TrackProblem, components};
use super::solve::{self, Tuning};
use crate::domain::policy::TrackMode;
use crate::lang::Lang;
use crate::solve::mip::{MipOptions, SolveStatus};

fn noun(p: &TrackProblem, lang: Lang) -> &'static str {
    match (p.mode, lang) {
        (TrackMode::Schools, Lang::En) => "schools",
        (TrackMode::Townships, Lang::En) => "townships",
        (TrackMode::Schools, Lang::Zh) => "所学校",
        (TrackMode::Townships, Lang::Zh) => "个乡镇",
    }
}

/// The sentence in the run's language (both are written at the call so they stay together).
fn tr(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// G3's conditions in Chinese: the policy's keys stay as written, the joining words change.
fn core_rule_zh(rule: &str) -> String {
    rule.replace(" and ", " 且 ")
        .replace(", stage in ", "，学段属于 ")
        .replace(", ", "，")
}

fn fmt(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.2}")
    }
}

/// Counting conditions any grouping must meet; every one that fails is listed.
pub fn precheck(p: &TrackProblem) -> Option<String> {
    precheck_in(p, Lang::En)
}

/// [`precheck`], explained in `lang`.
pub fn precheck_in(p: &TrackProblem, lang: Lang) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    let name = &p.name;
    let n = p.units.len();
    let k = p.count;
    if k == 0 {
        return Some(tr(
            lang,
            format!(
                "序列 {name}：count = 0，但有 {n} {} 需要分入集团（G6）；请把 count 设为至少 1",
                noun(p, lang)
            ),
            format!(
                "track {name}: count = 0 but {n} {} need a group (G6); set count to at least 1",
                noun(p, lang)
            ),
        ));
    }
    if k > n {
        why.push(tr(
            lang,
            format!(
                "序列 {name}：要组 {k} 个集团，但只有 {n} {} 可分（G6）；请把 count 降到 {n}",
                noun(p, lang)
            ),
            format!(
                "track {name}: {k} groups but only {n} {} to share out (G6); lower count to {n}",
                noun(p, lang)
            ),
        ));
    }
    // G3: distinct units that can hold an open core.
    let mut homes: Vec<usize> = (0..p.cores.len())
        .filter(|&c| p.core_fits(c))
        .map(|c| p.cores[c].home)
        .collect();
    homes.sort_unstable();
    homes.dedup();
    if homes.len() < k {
        let h = homes.len();
        let what = match (p.mode, lang) {
            (TrackMode::Schools, Lang::En) => format!("{h} schools can lead a group"),
            (TrackMode::Townships, Lang::En) => {
                format!("only {h} townships hold a school that can lead a group")
            }
            (TrackMode::Schools, Lang::Zh) => format!("只有 {h} 所学校可以担任核心校"),
            (TrackMode::Townships, Lang::Zh) => format!("只有 {h} 个乡镇有可担任核心校的学校"),
        };
        let capped = p.max_students.is_some();
        why.push(tr(
            lang,
            format!(
                "序列 {name}：{what}（{}{}），但 count = {k}，差 {} 所（G3）；请降低 core_min_quality、放宽 core_stages、把更多学校标为 core_eligible，或把 count 降到 {h}",
                core_rule_zh(&p.core_rule),
                if capped { "，本校学生数 <= max_students" } else { "" },
                k - h
            ),
            format!(
                "track {name}: {what} ({}{}) but count = {k}, {} short (G3); lower core_min_quality, widen core_stages, mark more schools core_eligible, or lower count to {h}",
                p.core_rule,
                if capped { ", own students <= max_students" } else { "" },
                k - h
            ),
        ));
    }
    if let Some(m) = p.max_units {
        if m == 0 {
            why.push(tr(
                lang,
                format!("序列 {name}：max_schools = 0，容不下核心校（G1）；请提高 max_schools"),
                format!(
                    "track {name}: max_schools = 0 leaves no room for a core (G1); raise max_schools"
                ),
            ));
        } else if k * m < n {
            let (cap, up_m, up_k) = (k * m, n.div_ceil(k), n.div_ceil(m));
            why.push(tr(
                lang,
                format!(
                    "序列 {name}：{k} 个集团 × 每集团 {m} 所学校 = {cap} < {n} 所学校（G1）；请把 max_schools 提高到 {up_m}，或把 count 提高到 {up_k}"
                ),
                format!(
                    "track {name}: {k} groups x {m} schools = {cap} < {n} schools (G1); raise max_schools to {up_m} or count to {up_k}"
                ),
            ));
        }
    }
    let total = p.total_students();
    if let (Some(lo), Some(hi)) = (p.min_students, p.max_students)
        && lo > hi + EPS
    {
        let (lo, hi) = (fmt(lo), fmt(hi));
        why.push(tr(
            lang,
            format!(
                "序列 {name}：min_students {lo} > max_students {hi}（G5）；请降低 min_students 或提高 max_students"
            ),
            format!(
                "track {name}: min_students {lo} > max_students {hi} (G5); lower min_students or raise max_students"
            ),
        ));
    }
    if let Some(hi) = p.max_students {
        if (k as f64) * hi < total - EPS {
            let (cap, need_hi) = (fmt(k as f64 * hi), fmt((total / k as f64).ceil()));
            let (hi_s, total_s) = (fmt(hi), fmt(total));
            let need_k = |more: &str| {
                if hi > 0.0 {
                    fmt((total / hi).ceil())
                } else {
                    more.into()
                }
            };
            why.push(tr(
                lang,
                format!(
                    "序列 {name}：{k} 个集团 × max_students {hi_s} = {cap} < {total_s} 名学生（G5）；请把 max_students 提高到 {need_hi}，或把 count 提高到 {}",
                    need_k("更多")
                ),
                format!(
                    "track {name}: {k} groups x max_students {hi_s} = {cap} < {total_s} students (G5); raise max_students to {need_hi} or count to {}",
                    need_k("more")
                ),
            ));
        }
        for u in &p.units {
            if u.students > hi + EPS {
                let (has, hi_s) = (fmt(u.students), fmt(hi));
                let n_schools = u.schools.len();
                why.push(tr(
                    lang,
                    format!(
                        "序列 {name}：{}（{n_schools} 所学校）有学生 {has} 名 > max_students {hi_s}（G5）；请把 max_students 提高到 {has}",
                        match p.mode {
                            TrackMode::Schools => "一所学校",
                            TrackMode::Townships => "一个乡镇的本序列学校",
                        }
                    ),
                    format!(
                        "track {name}: {} {n_schools} has {has} students > max_students {hi_s} (G5); raise max_students to {has}",
                        match p.mode {
                            TrackMode::Schools => "a school",
                            TrackMode::Townships => "a township's track schools",
                        }
                    ),
                ));
                break;
            }
        }
    }
    if let Some(lo) = p.min_students
        && (k as f64) * lo > total + EPS
    {
        let (lo_s, need, total_s) = (fmt(lo), fmt(k as f64 * lo), fmt(total));
        let down_lo = fmt((total / k as f64).floor());
        let down_k = |fewer: &str| {
            if lo > 0.0 {
                fmt((total / lo).floor())
            } else {
                fewer.into()
            }
        };
        why.push(tr(
            lang,
            format!(
                "序列 {name}：{k} 个集团 × min_students {lo_s} = {need} > {total_s} 名学生（G5）；请把 min_students 降到 {down_lo}，或把 count 降到 {}",
                down_k("更少")
            ),
            format!(
                "track {name}: {k} groups x min_students {lo_s} = {need} > {total_s} students (G5); lower min_students to {down_lo} or count to {}",
                down_k("fewer")
            ),
        ));
    }
    if let Some(adj) = &p.adjacency {
        let comps = components(adj);
        if comps.len() > k {
            let parts = comps.len();
            why.push(tr(
                lang,
                format!(
                    "序列 {name}：连片集团要求乡镇相邻图的每个连通部分至少一个集团，而该图有 {parts} 个部分 > {k} 个集团（G4）；请把 count 提高到 {parts}，或设 contiguous = false"
                ),
                format!(
                    "track {name}: contiguous groups need one group per connected part of the township graph, which has {parts} parts > {k} groups (G4); raise count to {parts} or set contiguous = false"
                ),
            ));
        }
        for comp in &comps {
            if !comp.iter().any(|u| homes.contains(u)) {
                let t = comp.len();
                why.push(tr(
                    lang,
                    format!(
                        "序列 {name}：由 {t} 个乡镇组成的一个连通部分没有可担任核心校的学校，无法组成连片集团（G3/G4）；请把其中一所学校标为 core_eligible，或设 contiguous = false"
                    ),
                    format!(
                        "track {name}: a connected part of {t} township(s) has no school that can lead a group, so it cannot form a contiguous group (G3/G4); make one of its schools core_eligible or set contiguous = false"
                    ),
                ));
            }
        }
    }
    // Surface the first-listed message strongly, but list all.
    let why: Vec<String> = {
        let mut seen = std::collections::BTreeSet::new();
        why.into_iter().filter(|w| seen.insert(w.clone())).collect()
    };
    (!why.is_empty()).then(|| why.join("\n"))
}

/// After HiGHS found the track infeasible: try dropping each active rule alone and say which
/// drops make it feasible.
pub fn after_infeasible(p: &TrackProblem, options: &MipOptions) -> String {
    after_infeasible_in(p, options, Lang::En)
}

/// [`after_infeasible`], explained in `lang`.
pub fn after_infeasible_in(p: &TrackProblem, options: &MipOptions, lang: Lang) -> String {
    let mut active: Vec<(&str, TrackProblem)> = Vec::new();
    if p.max_units.is_some() {
        active.push((
            "max_schools (G1)",
            TrackProblem {
                max_units: None,
                ..p.clone()
            },
        ));
    }
    if p.min_students.is_some() {
        active.push((
            "min_students (G5)",
            TrackProblem {
                min_students: None,
                ..p.clone()
            },
        ));
    }
    if p.max_students.is_some() {
        active.push((
            "max_students (G5)",
            TrackProblem {
                max_students: None,
                ..p.clone()
            },
        ));
    }
    if p.adjacency.is_some() {
        active.push((
            "contiguous (G4)",
            TrackProblem {
                adjacency: None,
                ..p.clone()
            },
        ));
    }
    let short = MipOptions {
        time_limit_s: options.time_limit_s.clamp(1.0, 10.0),
        ..*options
    };
    let names: Vec<&str> = active.iter().map(|(n, _)| *n).collect();
    let mut rescues = Vec::new();
    for (rule, relaxed) in &active {
        if let Ok(r) = solve::solve(
            relaxed,
            &short,
            Tuning {
                heuristic: false,
                reduced_cost_fixing: false,
                lagrangian: false,
                cuts: false,
            },
        ) && r.status.has_solution()
        {
            rescues.push(*rule);
        }
    }
    let (name, count) = (&p.name, p.count);
    match lang {
        Lang::Zh => {
            let active = if names.is_empty() {
                "核心校资格（G3）".to_string()
            } else {
                names.join("、")
            };
            let mut msg = format!(
                "序列 {name}：计数检查都能通过，但没有一种分组满足全部规则；起作用的规则：count = {count}、{active}"
            );
            if rescues.is_empty() {
                msg.push_str("；去掉任何单独一条规则都仍不可行，需要同时放宽几条");
            } else {
                msg.push_str(&format!(
                    "；只要去掉 {} 其中一条即可行：请放宽该规则",
                    rescues.join(" 或 ")
                ));
            }
            msg
        }
        Lang::En => {
            let active = if names.is_empty() {
                "core eligibility (G3)".to_string()
            } else {
                names.join(", ")
            };
            let mut msg = format!(
                "track {name}: no grouping meets every rule although the counting checks pass; active rules: count = {count}, {active}"
            );
            if rescues.is_empty() {
                msg.push_str(
                    "; no single rule's removal makes it feasible, so relax several together",
                );
            } else {
                msg.push_str(&format!(
                    "; it becomes feasible without {} alone: relax that rule",
                    rescues.join(" or without ")
                ));
            }
            msg
        }
    }
}

/// A track with no grouping at the time limit, and what to do.
pub fn out_of_time(p: &TrackProblem, limit_s: f64, status: SolveStatus, lang: Lang) -> String {
    let (name, status) = (&p.name, status.as_str());
    tr(
        lang,
        format!(
            "序列 {name}：在 {limit_s} 秒时限内未找到分组（状态 {status}）；请提高 --time-limit"
        ),
        format!(
            "track {name}: no grouping found within the time limit of {limit_s} s (status {status}); raise --time-limit"
        ),
    )
}
