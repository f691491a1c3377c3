//! S1–S5: `summary.json` as SPEC.md requires it — every key it lists, each step's status,
//! objective, bound and gap telling one consistent story, the plan files it reports on, the
//! reasons it owes, and the digests of the inputs it was made from.

use std::path::Path;

use serde_json::{Map, Value};

use super::groups::Groups;
use super::rule::{S1, S2, S3, S4, S5};
use super::sha256::hex_digest;
use super::{Audit, Sources, at};
use crate::io::plan_files::{MOVES, PAIRINGS, RETURNS};
use crate::io::summary::SUMMARY;

/// The instance files SPEC.md defines; each one present is an input of the plan.
const INSTANCE_FILES: [&str; 6] = [
    "townships.csv",
    "adjacency.csv",
    "schools.csv",
    "teachers.csv",
    "demand.csv",
    "distances.csv",
];

/// "A level is proven when its gap ≤ 1e-6."
const PROVEN_GAP: f64 = 1e-6;
/// The summary rounds every figure to 6 decimals; a recomputed gap may differ by that much.
const ROUNDING: f64 = 1.6e-6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sense {
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Groups,
    Pairing,
    Rotation,
}

impl Step {
    fn key(self) -> &'static str {
        match self {
            Step::Groups => "groups",
            Step::Pairing => "pairing",
            Step::Rotation => "rotation",
        }
    }
}

/// SPEC's level names of a lexicographic step, with each level's sense.
pub(crate) fn levels(a: &Audit, step: &str) -> Vec<(&'static str, bool)> {
    let max = true;
    match step {
        "pairing" => vec![("covered_weight", max), ("distance_km", !max)],
        "rotation" => {
            let mut v = vec![("exchanges", max), ("shortage", !max)];
            if a.extras.minimise_cv_excess {
                v.push(("cv_excess", !max));
            }
            v.extend([("teachers_moved", !max), ("km", !max)]);
            // `rotate --previous` (SPEC, CLI verbs) chooses among the optimal plans the one
            // closest to the published plan: a last level of rotaplan's own, after km.
            let names = a
                .summary_at(&["rotation", "levels"])
                .and_then(|l| l.as_array())
                .map(|l| l.len());
            let last = a
                .summary_at(&["rotation", "levels"])
                .and_then(|l| l.as_array())
                .and_then(|l| l.last())
                .and_then(|x| x.as_str());
            if names == Some(v.len() + 1) && last == Some("changes_from_previous") {
                v.push(("changes_from_previous", !max));
            }
            v
        }
        _ => Vec::new(),
    }
}

/// The summary's value of a named level of `step` (located through its `levels` array, or
/// SPEC's order when that is missing).
pub(crate) fn level_value(a: &Audit, step: &str, name: &str) -> Option<(usize, Value)> {
    let named = a
        .summary_at(&[step, "levels"])
        .and_then(|v| v.as_array())
        .and_then(|l| l.iter().position(|x| x.as_str() == Some(name)));
    let i = named.or_else(|| levels(a, step).iter().position(|(n, _)| *n == name))?;
    let v = a
        .summary_at(&[step, "objective"])?
        .as_array()?
        .get(i)?
        .clone();
    Some((i, v))
}

/// Compares a level's value with what the audit recomputes from the plan files.
pub(crate) fn compare_level(a: &mut Audit, step: &str, name: &str, value: f64) {
    let Some((i, v)) = level_value(a, step, name) else {
        return;
    };
    a.report.metrics_checked += 1;
    if !v.as_f64().is_some_and(|x| super::close(x, value)) {
        let idx = format!("{i} ({name})");
        a.mismatch(
            &[step, "objective", &idx],
            v.to_string(),
            super::fmt_num(value),
        );
    }
}

pub(crate) fn check(a: &mut Audit, groups: &Groups, sources: Option<Sources>) {
    let Some(root) = a.plan.summary.clone() else {
        return;
    };
    provenance(a, &root, sources);
    let mut any_step = false;
    for step in [Step::Groups, Step::Pairing, Step::Rotation] {
        let Some(v) = root.get(step.key()) else {
            continue;
        };
        any_step = true;
        let Some(block) = v.as_object() else {
            flag(
                a,
                S1,
                format!("`{}` 不是 JSON 对象", step.key()),
                format!("`{}` is not an object", step.key()),
            );
            continue;
        };
        let solved = step_block(a, step, step.key(), block);
        if step == Step::Groups
            && let Some(tracks) = block.get("tracks").and_then(|v| v.as_object())
        {
            for (name, t) in tracks {
                match t.as_object() {
                    Some(t) => {
                        step_block(a, step, &format!("groups.tracks.{name}"), t);
                    }
                    None => flag(
                        a,
                        S1,
                        format!("`groups.tracks.{name}` 不是 JSON 对象"),
                        format!("`groups.tracks.{name}` is not an object"),
                    ),
                }
            }
        }
        if solved {
            files_present(a, step);
            step_metrics(a, step, &root, block, groups);
        }
    }
    if !any_step {
        flag(
            a,
            S1,
            "没有任何步骤：`groups`、`pairing`、`rotation` 都不在汇总中",
            "reports no step: none of `groups`, `pairing`, `rotation` is there",
        );
    }
    if root.contains_key("moves") && a.plan.moves.is_none() {
        flag3(
            a,
            "汇总中有 `moves`，但方案文件夹中缺少 moves.csv",
            "reports `moves` but moves.csv is missing from the plan folder",
        );
    }
    move_reasons(a);
}

fn flag(a: &mut Audit, rule: super::Rule, zh: impl Into<String>, en: impl Into<String>) {
    a.flag(rule, zh, en, vec![SUMMARY.to_string()]);
}

fn flag3(a: &mut Audit, zh: &str, en: &str) {
    flag(a, S3, zh, en);
}

fn is_digest(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// S1 and S5: version, inputs with digests, effective policy.
fn provenance(a: &mut Audit, root: &Map<String, Value>, sources: Option<Sources>) {
    if root
        .get("rotaplan_version")
        .and_then(|v| v.as_str())
        .is_none_or(|s| s.trim().is_empty())
    {
        flag(
            a,
            S1,
            "`rotaplan_version` 缺失或为空",
            "`rotaplan_version` is missing or empty",
        );
    }
    match root.get("policy") {
        Some(Value::Object(p)) if !p.is_empty() => {
            if let Some(y) = p.get("plan_year").and_then(|v| v.as_i64())
                && y != i64::from(a.policy.plan_year)
            {
                flag(
                    a,
                    S1,
                    format!(
                        "`policy.plan_year` 为 {y}，但核查所用政策的 plan_year = {}",
                        a.policy.plan_year
                    ),
                    format!(
                        "`policy.plan_year` is {y}, but the policy audited has plan_year = {}",
                        a.policy.plan_year
                    ),
                );
            }
        }
        _ => flag(
            a,
            S1,
            "`policy`（实际生效的政策，JSON 对象）缺失或为空",
            "`policy` (the effective policy as a JSON object) is missing or empty",
        ),
    }
    let Some(inputs) = root.get("inputs").and_then(|v| v.as_object()) else {
        flag(
            a,
            S1,
            "`inputs`（输入文件名 → SHA-256）缺失或不是 JSON 对象",
            "`inputs` (input file name → SHA-256) is missing or not an object",
        );
        return;
    };
    for (name, digest) in inputs {
        if !is_digest(digest) {
            flag(
                a,
                S1,
                format!("`inputs.{name}` 为 {digest}，不是小写十六进制的 SHA-256"),
                format!("`inputs.{name}` is {digest}, not a lower-case hex SHA-256"),
            );
        }
    }
    let Some(src) = sources else {
        return;
    };
    let base = |k: &str| {
        Path::new(k)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
    };
    let listed = |file: &str| {
        inputs
            .iter()
            .find(|(k, _)| base(k).as_deref() == Some(file))
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
    };
    for file in INSTANCE_FILES {
        let path = src.instance_dir.join(file);
        let entry = listed(file);
        match (std::fs::read(&path), entry) {
            (Ok(bytes), Some((key, theirs))) => {
                let ours = hex_digest(&bytes);
                if ours != theirs {
                    flag(
                        a,
                        S5,
                        format!(
                            "`inputs.{key}` 为 {theirs}，但 {} 的 SHA-256 为 {ours}：方案是用别的数据做的",
                            path.display()
                        ),
                        format!(
                            "`inputs.{key}` is {theirs}, but {} has SHA-256 {ours}: the plan was made from other data",
                            path.display()
                        ),
                    );
                }
            }
            (Ok(_), None) => flag(
                a,
                S5,
                format!("`inputs` 没有列出实例中的 {file}"),
                format!("`inputs` does not list {file}, which the instance has"),
            ),
            (Err(_), Some((key, _))) => flag(
                a,
                S5,
                format!(
                    "`inputs` 列出了 `{key}`，但实例 {} 中没有 {file}",
                    src.instance_dir.display()
                ),
                format!(
                    "`inputs` lists `{key}`, but the instance {} has no {file}",
                    src.instance_dir.display()
                ),
            ),
            (Err(_), None) => {}
        }
    }
    if let Some(policy) = src.policy_file {
        let name = base(&policy.to_string_lossy()).unwrap_or_default();
        // The writer keys a file by its name, or by its path as given when two share a name.
        let exact = inputs.get(policy.to_string_lossy().as_ref()).map(|v| {
            (
                policy.display().to_string(),
                v.as_str().unwrap_or("").to_string(),
            )
        });
        let entry = exact.or_else(|| listed(&name)).or_else(|| {
            let tomls: Vec<_> = inputs
                .iter()
                .filter(|(k, _)| k.ends_with(".toml"))
                .collect();
            (tomls.len() == 1).then(|| {
                let (k, v) = tomls[0];
                (k.clone(), v.as_str().unwrap_or("").to_string())
            })
        });
        match (std::fs::read(policy), entry) {
            (Ok(bytes), Some((key, theirs))) => {
                let ours = hex_digest(&bytes);
                if ours != theirs {
                    flag(
                        a,
                        S5,
                        format!(
                            "`inputs.{key}` 为 {theirs}，但政策文件 {} 的 SHA-256 为 {ours}：方案是按另一份政策做的",
                            policy.display()
                        ),
                        format!(
                            "`inputs.{key}` is {theirs}, but the policy {} has SHA-256 {ours}: the plan was made under another policy",
                            policy.display()
                        ),
                    );
                }
            }
            (_, None) => flag(
                a,
                S5,
                format!("`inputs` 没有列出政策文件 {name}"),
                format!("`inputs` does not list the policy file {name}"),
            ),
            (Err(_), Some(_)) => {}
        }
    }
}

fn number(v: Option<&Value>) -> Option<f64> {
    v.and_then(|v| v.as_f64())
}

/// S1 and S2 on one step block; true when the step wrote a plan (optimal or feasible).
fn step_block(a: &mut Audit, step: Step, path: &str, b: &Map<String, Value>) -> bool {
    let mut missing: Vec<&str> = ["status", "objective", "bound", "gap", "seconds"]
        .into_iter()
        .filter(|k| !b.contains_key(*k))
        .collect();
    let lex = step != Step::Groups;
    if lex && !b.contains_key("levels") {
        missing.push("levels");
    }
    if !missing.is_empty() {
        flag(
            a,
            S1,
            format!("`{path}` 缺少 {}", quoted(&missing)),
            format!("`{path}` lacks {}", quoted(&missing)),
        );
    }
    let status = b.get("status").and_then(|v| v.as_str()).unwrap_or("");
    if !["optimal", "feasible", "infeasible", "time_limit"].contains(&status) {
        if b.contains_key("status") {
            flag(
                a,
                S2,
                format!(
                    "`{path}.status` 为 {}；SPEC 规定的状态为 optimal、feasible、infeasible、time_limit",
                    b["status"]
                ),
                format!(
                    "`{path}.status` is {}; SPEC's statuses are optimal, feasible, infeasible, time_limit",
                    b["status"]
                ),
            );
        }
        return false;
    }
    if number(b.get("seconds")).is_none_or(|s| s < 0.0) && b.contains_key("seconds") {
        flag(
            a,
            S1,
            format!("`{path}.seconds` 不是秒数"),
            format!("`{path}.seconds` is not a number of seconds"),
        );
    }
    if status == "infeasible" || status == "time_limit" {
        return false;
    }
    let expected = levels(a, step.key());
    let names: Vec<String> = if lex {
        let theirs: Vec<String> = b
            .get("levels")
            .and_then(|v| v.as_array())
            .map(|l| {
                l.iter()
                    .map(|x| x.as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let ours: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
        if b.contains_key("levels") && theirs != ours {
            flag(
                a,
                S1,
                format!(
                    "`{path}.levels` 为 [{}]；SPEC 规定为 [{}]",
                    theirs.join(", "),
                    ours.join(", ")
                ),
                format!(
                    "`{path}.levels` is [{}]; SPEC names them [{}]",
                    theirs.join(", "),
                    ours.join(", ")
                ),
            );
        }
        ours.iter().map(|s| s.to_string()).collect()
    } else {
        vec!["objective".to_string()]
    };
    let column = |key: &str| -> Option<Vec<Option<f64>>> {
        let v = b.get(key)?;
        if lex {
            Some(v.as_array()?.iter().map(|x| x.as_f64()).collect())
        } else {
            Some(vec![v.as_f64()])
        }
    };
    let (Some(obj), Some(bound), Some(gap)) = (column("objective"), column("bound"), column("gap"))
    else {
        if missing.is_empty() {
            flag(
                a,
                S2,
                format!(
                    "`{path}`：{status} 步骤的 objective、bound 和 gap 须为{}",
                    if lex { "数组" } else { "数值" }
                ),
                format!(
                    "`{path}`: objective, bound and gap must be {} for a {status} step",
                    if lex { "arrays" } else { "numbers" }
                ),
            );
        }
        return true;
    };
    if [obj.len(), bound.len(), gap.len()] != [names.len(); 3] {
        flag(
            a,
            S2,
            format!(
                "`{path}`：objective、bound、gap 分别有 {}、{}、{} 项；SPEC 规定 {} 层",
                obj.len(),
                bound.len(),
                gap.len(),
                names.len()
            ),
            format!(
                "`{path}`: objective, bound and gap have {}, {} and {} entries; SPEC's levels are {}",
                obj.len(),
                bound.len(),
                gap.len(),
                names.len()
            ),
        );
        return true;
    }
    let mut unproven = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let at_level = if lex {
            format!("`{path}` level {i} ({name})")
        } else {
            format!("`{path}`")
        };
        let at_level_zh = if lex {
            format!("`{path}` 第 {i} 层（{name}）")
        } else {
            format!("`{path}`")
        };
        let (Some(o), Some(bd), Some(g)) = (obj[i], bound[i], gap[i]) else {
            flag(
                a,
                S2,
                format!(
                    "{at_level_zh}：objective、bound 或 gap 为 null；SPEC 要求每层报告方案值和有效界，不得为 null"
                ),
                format!(
                    "{at_level}: objective, bound or gap is null; SPEC: a level reports the plan's value and a valid bound, never null"
                ),
            );
            continue;
        };
        let sense = if lex && expected.get(i).is_some_and(|(_, max)| *max) {
            Sense::Max
        } else {
            Sense::Min
        };
        let tol = 1e-6 * o.abs().max(1.0);
        let wrong_side = match sense {
            Sense::Min => bd > o + tol,
            Sense::Max => bd < o - tol,
        };
        if wrong_side {
            flag(
                a,
                S2,
                format!(
                    "{at_level_zh}：界 {bd} 位于目标值 {o} 的错误一侧，该层为{}",
                    if sense == Sense::Min {
                        "最小化（界 ≤ 目标值）"
                    } else {
                        "最大化（界 ≥ 目标值）"
                    }
                ),
                format!(
                    "{at_level}: bound {bd} is on the wrong side of objective {o} for a level that is {}",
                    if sense == Sense::Min {
                        "minimised (bound ≤ objective)"
                    } else {
                        "maximised (bound ≥ objective)"
                    }
                ),
            );
        }
        let recomputed = (o - bd).abs() / o.abs().max(1.0);
        if g < 0.0 || (g - recomputed).abs() > ROUNDING {
            flag(
                a,
                S2,
                format!(
                    "{at_level_zh}：gap {g} ≠ |objective − bound| / max(1, |objective|) = |{o} − {bd}| / {} = {recomputed:.6}",
                    o.abs().max(1.0)
                ),
                format!(
                    "{at_level}: gap {g} ≠ |objective − bound| / max(1, |objective|) = |{o} − {bd}| / {} = {recomputed:.6}",
                    o.abs().max(1.0)
                ),
            );
        }
        if g > PROVEN_GAP + 1e-12 {
            unproven.push(format!("{name} (gap {g})"));
        }
    }
    if status == "optimal" && !unproven.is_empty() {
        flag(
            a,
            S2,
            format!(
                "`{path}.status` 为 optimal，但并非每层都已证明（gap ≤ 1e-6）：{}",
                unproven.join(", ")
            ),
            format!(
                "`{path}.status` is optimal, but not every level is proven (gap ≤ 1e-6): {}",
                unproven.join(", ")
            ),
        );
    }
    if status == "feasible" && unproven.is_empty() {
        flag(
            a,
            S2,
            format!("`{path}.status` 为 feasible，但每层 gap 都 ≤ 1e-6：应为 optimal"),
            format!(
                "`{path}.status` is feasible, but every level's gap is ≤ 1e-6: that is optimal"
            ),
        );
    }
    true
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// S3: the plan files of a step that wrote a plan.
fn files_present(a: &mut Audit, step: Step) {
    let need: &[(&str, bool)] = match step {
        Step::Groups => &[],
        Step::Pairing => &[(PAIRINGS, a.plan.pairings.is_some())],
        Step::Rotation => &[
            (MOVES, a.plan.moves.is_some()),
            (RETURNS, a.plan.returns.is_some()),
        ],
    };
    for &(file, present) in need {
        if !present {
            flag3(
                a,
                &format!("汇总报告了 {} 步骤，但方案文件夹中缺少 {file}", step.key()),
                &format!(
                    "reports the {} step, but {file} is missing from the plan folder",
                    step.key()
                ),
            );
        }
    }
}

/// S1 and S4: what a step that wrote a plan must also report.
fn step_metrics(
    a: &mut Audit,
    step: Step,
    root: &Map<String, Value>,
    block: &Map<String, Value>,
    groups: &Groups,
) {
    match step {
        Step::Groups => {}
        Step::Pairing => listing(a, block, "pairing", "uncovered", &["group", "stage"]),
        Step::Rotation => {
            listing(
                a,
                block,
                "rotation",
                "exchange_shortfalls",
                &["helper", "group", "stage", "direction"],
            );
            rotation_metrics(a, root, groups);
        }
    }
}

/// A list the summary owes (uncovered slots, exchange shortfalls), each entry with a reason.
fn listing(a: &mut Audit, block: &Map<String, Value>, step: &str, key: &str, ids: &[&str]) {
    let Some(list) = block.get(key).and_then(|v| v.as_array()) else {
        flag(
            a,
            S1,
            format!("缺少 `{step}.{key}`（每项附原因）"),
            format!("`{step}.{key}` (each entry with its reason) is missing"),
        );
        return;
    };
    for (i, e) in list.iter().enumerate() {
        let reason = e.get("reason").and_then(|v| v.as_str()).unwrap_or("");
        if reason.trim().is_empty() {
            let label: Vec<&str> = ids
                .iter()
                .filter_map(|k| e.get(*k).and_then(|v| v.as_str()))
                .collect();
            flag(
                a,
                S4,
                format!("`{step}.{key}[{i}]`（{}）没有原因", label.join(" ")),
                format!("`{step}.{key}[{i}]` ({}) has no reason", label.join(" ")),
            );
        }
    }
}

/// S1: the metrics SPEC lists for a rotation.
fn rotation_metrics(a: &mut Audit, root: &Map<String, Value>, groups: &Groups) {
    let mut missing: Vec<String> = Vec::new();
    let get = |path: &[&str]| -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(root.get(*first)?, |v, k| v.as_object()?.get(*k))
    };
    for key in ["shortage_before", "shortage_after"] {
        if number(get(&[key])).is_none() {
            missing.push(key.into());
        }
    }
    if !get(&["shortage_by_subject"]).is_some_and(|v| v.is_object()) {
        missing.push("shortage_by_subject".into());
    }
    for kind in ["transfer", "exchange"] {
        if number(get(&["moves", kind])).is_none() {
            missing.push(format!("moves.{kind}"));
        }
    }
    if get(&["moves", "per_group"]).is_some_and(|v| v.is_object()) {
        for g in &groups.list {
            for k in ["cap", "transfers"] {
                if number(get(&["moves", "per_group", &g.id, k])).is_none() {
                    missing.push(format!("moves.per_group.{}.{k}", g.id));
                }
            }
        }
    } else {
        missing.push("moves.per_group".into());
    }
    for measure in ["key", "pe_arts", "qualified"] {
        let name = format!("cv_{measure}_per_100_students");
        for band in ["primary", "middle"] {
            for when in ["before", "after"] {
                // null stands for a CV that is not a number (no teachers of the kind).
                if get(&[&name, band, when]).is_none() {
                    missing.push(format!("{name}.{band}.{when}"));
                }
            }
        }
    }
    for band in ["primary", "middle"] {
        if !get(&["floors", band]).is_some_and(|v| v.is_object()) {
            missing.push(format!("floors.{band}"));
        }
    }
    if a.extras.minimise_cv_excess && !get(&["indicators"]).is_some_and(|v| v.is_object()) {
        missing.push("indicators".into());
    }
    if !missing.is_empty() {
        flag(
            a,
            S1,
            format!(
                "交流轮岗的指标缺少 {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "the rotation's metrics lack {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// S4: where moves.csv has the `reason` column, every row fills it.
fn move_reasons(a: &mut Audit) {
    let Some(reasons) = a.plan.move_reasons.clone() else {
        return;
    };
    let blank: Vec<String> = reasons
        .iter()
        .filter(|(_, _, r)| r.trim().is_empty())
        .map(|(line, teacher, _)| at(MOVES, *line, teacher))
        .collect();
    if !blank.is_empty() {
        a.flag(
            S4, format!("{} 条调动的 `reason` 为空；SPEC：有该列时 verify 要求其非空", blank.len()),
            format!(
                "{} move(s) have an empty `reason`; SPEC: where the column is present, verify requires it non-empty",
                blank.len()
            ),
            blank,
        );
    }
}
