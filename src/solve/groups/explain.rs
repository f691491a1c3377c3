//! Why a track cannot be grouped, in numbers: counting checks before any solve, and, when
//! HiGHS still finds the model infeasible, which single rule's removal would make it solvable.

use super::problem::{EPS, TrackProblem, components};
use super::solve::{self, Tuning};
use crate::domain::policy::TrackMode;
use crate::solve::mip::MipOptions;

fn noun(p: &TrackProblem) -> &'static str {
    match p.mode {
        TrackMode::Schools => "schools",
        TrackMode::Townships => "townships",
    }
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
    let mut why: Vec<String> = Vec::new();
    let name = &p.name;
    let n = p.units.len();
    let k = p.count;
    if k == 0 {
        return Some(format!(
            "track {name}: count = 0 but {n} {} need a group (G6); set count to at least 1",
            noun(p)
        ));
    }
    if k > n {
        why.push(format!(
            "track {name}: {k} groups but only {n} {} to share out (G6); lower count to {n}",
            noun(p)
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
        let what = match p.mode {
            TrackMode::Schools => format!("{} schools can lead a group", homes.len()),
            TrackMode::Townships => format!(
                "only {} townships hold a school that can lead a group",
                homes.len()
            ),
        };
        why.push(format!(
            "track {name}: {what} ({}{}) but count = {k}, {} short (G3); lower core_min_quality, widen core_stages, mark more schools core_eligible, or lower count to {}",
            p.core_rule,
            if p.max_students.is_some() { ", own students <= max_students" } else { "" },
            k - homes.len(),
            homes.len()
        ));
    }
    if let Some(m) = p.max_units {
        if m == 0 {
            why.push(format!(
                "track {name}: max_schools = 0 leaves no room for a core (G1); raise max_schools"
            ));
        } else if k * m < n {
            why.push(format!(
                "track {name}: {k} groups x {m} schools = {} < {n} schools (G1); raise max_schools to {} or count to {}",
                k * m,
                n.div_ceil(k),
                n.div_ceil(m)
            ));
        }
    }
    let total = p.total_students();
    if let (Some(lo), Some(hi)) = (p.min_students, p.max_students)
        && lo > hi + EPS
    {
        why.push(format!(
                "track {name}: min_students {} > max_students {} (G5); lower min_students or raise max_students",
                fmt(lo),
                fmt(hi)
            ));
    }
    if let Some(hi) = p.max_students {
        if (k as f64) * hi < total - EPS {
            why.push(format!(
                "track {name}: {k} groups x max_students {} = {} < {} students (G5); raise max_students to {} or count to {}",
                fmt(hi),
                fmt(k as f64 * hi),
                fmt(total),
                fmt((total / k as f64).ceil()),
                if hi > 0.0 { fmt((total / hi).ceil()) } else { "more".into() }
            ));
        }
        for u in &p.units {
            if u.students > hi + EPS {
                why.push(format!(
                    "track {name}: {} {} has {} students > max_students {} (G5); raise max_students to {}",
                    match p.mode {
                        TrackMode::Schools => "a school",
                        TrackMode::Townships => "a township's track schools",
                    },
                    u.schools.len(),
                    fmt(u.students),
                    fmt(hi),
                    fmt(u.students)
                ));
                break;
            }
        }
    }
    if let Some(lo) = p.min_students
        && (k as f64) * lo > total + EPS
    {
        why.push(format!(
                "track {name}: {k} groups x min_students {} = {} > {} students (G5); lower min_students to {} or count to {}",
                fmt(lo),
                fmt(k as f64 * lo),
                fmt(total),
                fmt((total / k as f64).floor()),
                if lo > 0.0 { fmt((total / lo).floor()) } else { "fewer".into() }
            ));
    }
    if let Some(adj) = &p.adjacency {
        let comps = components(adj);
        if comps.len() > k {
            why.push(format!(
                "track {name}: contiguous groups need one group per connected part of the township graph, which has {} parts > {k} groups (G4); raise count to {} or set contiguous = false",
                comps.len(),
                comps.len()
            ));
        }
        for comp in &comps {
            if !comp.iter().any(|u| homes.contains(u)) {
                let t = comp.len();
                why.push(format!(
                    "track {name}: a connected part of {t} township(s) has no school that can lead a group, so it cannot form a contiguous group (G3/G4); make one of its schools core_eligible or set contiguous = false"
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
            },
        ) && r.status.has_solution()
        {
            rescues.push(*rule);
        }
    }
    let mut msg = format!(
        "track {}: no grouping meets every rule although the counting checks pass; active rules: count = {}, {}",
        p.name,
        p.count,
        if names.is_empty() {
            "core eligibility (G3)".to_string()
        } else {
            names.join(", ")
        }
    );
    if rescues.is_empty() {
        msg.push_str("; no single rule's removal makes it feasible, so relax several together");
    } else {
        msg.push_str(&format!(
            "; it becomes feasible without {} alone: relax that rule",
            rescues.join(" or without ")
        ));
    }
    msg
}
