//! `rotaplan export`: a plan folder as a workbook a bureau can circulate, with Chinese sheet
//! names and headers: 分组 (groups), 结对 (pairings), 交流名单 (moves, one row per teacher,
//! with a reason) and 汇总 (summary.json, flattened).
//!
//! With the instance, schools and teachers carry their names and each transfer's reason says
//! which shortage it fills; without it the sheets hold ids only.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Problem, Problems};
use crate::domain::Instance;
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS, MOVES, PAIRINGS};
use crate::io::summary::SUMMARY;
use crate::io::xlsx_import::aliases::{self, SUBJECTS};
use crate::io::xlsx_sheet::{Cell, add_table, new_workbook, save_atomic};
use crate::plan::{GroupRow, MoveKind, MoveRow, PairingRow, Role};

/// The sheet names, in workbook order.
pub const SHEETS: [&str; 4] = ["分组", "结对", "交流名单", "汇总"];

/// Rows written per sheet, in [`SHEETS`] order.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    pub rows: [usize; 4],
}

/// Writes the plan in `plan` to the workbook `out` (atomically).
pub fn export_plan(plan: &Path, instance: Option<&Instance>, out: &Path) -> Result<ExportReport> {
    let mut problems = Problems::default();
    let groups = optional(plan, GROUPS, plan_files::read_groups, &mut problems);
    let pairings = optional(plan, PAIRINGS, plan_files::read_pairings, &mut problems);
    let moves = optional(plan, MOVES, plan_files::read_moves, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let summary = read_summary(plan)?;
    if groups.is_empty() && pairings.is_empty() && moves.is_empty() && summary.is_none() {
        return Err(Error::Input(Problems(vec![Problem::new(
            plan.display().to_string(),
            "no plan found (no groups.csv, pairings.csv, moves.csv or summary.json)",
            "pass the folder written by `rotaplan plan`",
        )])));
    }
    let names = Names { instance };
    let sheets = [
        groups_sheet(&groups, &names),
        pairings_sheet(&pairings, &names),
        moves_sheet(&moves, &groups, &pairings, &names),
        summary_sheet(summary.as_ref()),
    ];
    let mut wb = new_workbook().map_err(|e| xlsx_error(out, e))?;
    let mut report = ExportReport::default();
    for (i, (name, (header, rows))) in SHEETS.iter().zip(&sheets).enumerate() {
        add_table(&mut wb, name, header, rows).map_err(|e| xlsx_error(out, e))?;
        report.rows[i] = rows.len();
    }
    save_atomic(&mut wb, out).map_err(Error::write(out))?;
    Ok(report)
}

/// A plan file's rows, or none when the file is absent (a plan may stop after any step).
fn optional<T>(
    plan: &Path,
    name: &str,
    read: fn(&Path) -> std::result::Result<Vec<T>, Problems>,
    problems: &mut Problems,
) -> Vec<T> {
    if !plan.join(name).exists() {
        return Vec::new();
    }
    read(plan).unwrap_or_else(|p| {
        problems.extend(p);
        Vec::new()
    })
}

fn xlsx_error(out: &Path, e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Write {
        path: out.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn read_summary(plan: &Path) -> Result<Option<serde_json::Map<String, Value>>> {
    let path = plan.join(SUMMARY);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        _ => Err(Error::Input(Problems(vec![Problem::new(
            SUMMARY,
            "not a JSON object",
            "run the plan again to rewrite summary.json",
        )]))),
    }
}

type Sheet = (Vec<String>, Vec<Vec<Cell>>);

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| (*c).to_string()).collect()
}

/// Names of schools and teachers when the instance is known.
struct Names<'a> {
    instance: Option<&'a Instance>,
}

impl Names<'_> {
    fn with_names(&self) -> bool {
        self.instance.is_some()
    }
    fn school(&self, id: &str) -> String {
        self.instance
            .and_then(|i| i.school_by_id(id).map(|s| i.schools[s].name.clone()))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.to_string())
    }
    fn teacher(&self, id: &str) -> String {
        self.instance
            .and_then(|i| i.teacher_by_id(id))
            .and_then(|t| self.instance.and_then(|i| i.teachers[t].name.clone()))
            .unwrap_or_default()
    }
}

fn subject_zh(s: &str) -> String {
    aliases::word_for(SUBJECTS, s).to_string()
}

fn slot_zh(s: &str) -> String {
    aliases::word_for(aliases::STAGES, s).to_string()
}

fn groups_sheet(rows: &[GroupRow], names: &Names) -> Sheet {
    let mut cols = vec!["方案", "集团", "学校编号"];
    if names.with_names() {
        cols.extend(["学校名称", "学段", "学生数"]);
    }
    cols.push("角色");
    let body = rows
        .iter()
        .map(|r| {
            let mut v = vec![
                Cell::text(&r.track),
                Cell::text(&r.group),
                Cell::text(&r.school),
            ];
            if let Some(inst) = names.instance {
                let s = inst.school_by_id(&r.school).map(|i| &inst.schools[i]);
                v.push(Cell::text(names.school(&r.school)));
                v.push(s.map_or(Cell::Empty, |s| {
                    Cell::text(aliases::word_for(aliases::STAGES, s.stage.as_str()))
                }));
                v.push(s.map_or(Cell::Empty, |s| Cell::Number(f64::from(s.students))));
            }
            v.push(Cell::text(match r.role {
                Role::Core => "核心校",
                Role::Member => "成员校",
            }));
            v
        })
        .collect();
    (header(&cols), body)
}

fn pairings_sheet(rows: &[PairingRow], names: &Names) -> Sheet {
    let school_level = rows.iter().any(|r| r.school.is_some());
    let mut cols = vec!["帮扶校编号"];
    if names.with_names() {
        cols.push("帮扶校名称");
    }
    cols.extend(["集团", "学段"]);
    if school_level {
        cols.push("受援学校编号");
        if names.with_names() {
            cols.push("受援学校名称");
        }
    }
    let body = rows
        .iter()
        .map(|r| {
            let mut v = vec![Cell::text(&r.helper)];
            if names.with_names() {
                v.push(Cell::text(names.school(&r.helper)));
            }
            v.push(Cell::text(&r.group));
            v.push(Cell::text(slot_zh(r.stage.as_str())));
            if school_level {
                let s = r.school.clone().unwrap_or_default();
                v.push(Cell::text(&s));
                if names.with_names() {
                    v.push(if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::text(names.school(&s))
                    });
                }
            }
            v
        })
        .collect();
    (header(&cols), body)
}

fn moves_sheet(
    moves: &[MoveRow],
    groups: &[GroupRow],
    pairings: &[PairingRow],
    names: &Names,
) -> Sheet {
    let mut cols = vec!["教师编号"];
    if names.with_names() {
        cols.push("姓名");
    }
    cols.extend(["学科", "类型", "原学校编号"]);
    if names.with_names() {
        cols.push("原学校");
    }
    cols.push("新学校编号");
    if names.with_names() {
        cols.push("新学校");
    }
    cols.extend(["开始年份", "结束年份", "帮扶学段", "原因"]);
    let shortage = names.instance.map(|i| Shortage::new(i, moves));
    let group_of: HashMap<&str, &str> = groups
        .iter()
        .map(|g| (g.school.as_str(), g.group.as_str()))
        .collect();
    let body = moves
        .iter()
        .map(|m| {
            let mut v = vec![Cell::text(&m.teacher)];
            if names.with_names() {
                v.push(Cell::text(names.teacher(&m.teacher)));
            }
            v.push(Cell::text(subject_zh(&m.subject)));
            v.push(Cell::text(match m.kind {
                MoveKind::Transfer => "调动",
                MoveKind::Exchange => "交流",
            }));
            v.push(Cell::text(&m.from));
            if names.with_names() {
                v.push(Cell::text(names.school(&m.from)));
            }
            v.push(Cell::text(&m.to));
            if names.with_names() {
                v.push(Cell::text(names.school(&m.to)));
            }
            v.push(Cell::Number(f64::from(m.start_year)));
            v.push(
                m.end_year
                    .map_or(Cell::Empty, |y| Cell::Number(f64::from(y))),
            );
            v.push(
                m.slot
                    .map_or(Cell::Empty, |s| Cell::text(slot_zh(s.as_str()))),
            );
            let reason = match m.kind {
                MoveKind::Exchange => exchange_reason(m, &group_of, pairings, names),
                MoveKind::Transfer => match &shortage {
                    Some(s) => s.transfer_reason(m, names),
                    None => "集团内优化调整".to_string(),
                },
            };
            v.push(Cell::text(reason));
            v
        })
        .collect();
    (header(&cols), body)
}

/// "交流: <helper> ↔ <group> (<slot>) 互派", the pairing found from the plan's pairings.
fn exchange_reason(
    m: &MoveRow,
    group_of: &HashMap<&str, &str>,
    pairings: &[PairingRow],
    names: &Names,
) -> String {
    let slot = m.slot;
    let found = pairings.iter().find_map(|p| {
        if slot.is_some_and(|s| s != p.stage) {
            return None;
        }
        let other = if p.helper == m.from {
            &m.to
        } else if p.helper == m.to {
            &m.from
        } else {
            return None;
        };
        let matches = match &p.school {
            Some(s) => s == other,
            None => group_of.get(other.as_str()) == Some(&p.group.as_str()),
        };
        matches.then_some((p, other))
    });
    let slot_text = slot.map(|s| slot_zh(s.as_str())).unwrap_or_default();
    match found {
        Some((p, _)) => {
            let target = match &p.school {
                Some(s) => names.school(s),
                None => p.group.clone(),
            };
            format!(
                "交流: {} ↔ {} ({}) 互派",
                names.school(&p.helper),
                target,
                slot_text
            )
        }
        None => format!(
            "交流: {} ↔ {} ({}) 互派",
            names.school(&m.from),
            names.school(&m.to),
            slot_text
        ),
    }
}

/// Subject supply per school after this summer's returns, before and after the plan's moves.
struct Shortage<'a> {
    inst: &'a Instance,
    before: BTreeMap<(usize, String), i64>,
    after: BTreeMap<(usize, String), i64>,
}

impl<'a> Shortage<'a> {
    fn new(inst: &'a Instance, moves: &[MoveRow]) -> Self {
        let plan_year = moves.first().map_or(i32::MAX, |m| m.start_year);
        let mut before: BTreeMap<(usize, String), i64> = BTreeMap::new();
        let mut at = vec![0usize; inst.teachers.len()];
        for (i, t) in inst.teachers.iter().enumerate() {
            let returns =
                t.home_school.is_some() && t.exchange_until.is_some_and(|y| y <= plan_year);
            at[i] = match (returns, t.home_school) {
                (true, Some(h)) => h,
                _ => t.school,
            };
            *before.entry((at[i], t.subject.clone())).or_default() += 1;
        }
        let mut after = before.clone();
        for m in moves {
            let Some(t) = inst.teacher_by_id(&m.teacher) else {
                continue;
            };
            let from = inst.school_by_id(&m.from).unwrap_or(at[t]);
            *after
                .entry((from, inst.teachers[t].subject.clone()))
                .or_default() -= 1;
            if let Some(to) = inst.school_by_id(&m.to) {
                *after.entry((to, m.subject.clone())).or_default() += 1;
            }
        }
        Shortage {
            inst,
            before,
            after,
        }
    }

    fn gap(&self, supply: &BTreeMap<(usize, String), i64>, school: usize, subject: &str) -> i64 {
        let have = supply
            .get(&(school, subject.to_string()))
            .copied()
            .unwrap_or(0);
        (i64::from(self.inst.demand_of(school, subject)) - have).max(0)
    }

    /// "补充 <school> 的<subject>缺口 (缺 3 → 2)" when the destination lacked the subject
    /// before the moves, else "集团内优化调整".
    fn transfer_reason(&self, m: &MoveRow, names: &Names) -> String {
        let Some(to) = self.inst.school_by_id(&m.to) else {
            return "集团内优化调整".into();
        };
        let before = self.gap(&self.before, to, &m.subject);
        if before == 0 {
            return "集团内优化调整".into();
        }
        let after = self.gap(&self.after, to, &m.subject);
        format!(
            "补充 {} 的{}缺口 (缺 {before} → {after})",
            names.school(&m.to),
            subject_zh(&m.subject)
        )
    }
}

const STEPS: [(&str, &str); 3] = [
    ("groups", "分组"),
    ("pairing", "结对"),
    ("rotation", "轮岗"),
];
const STEP_KEYS: [&str; 6] = ["status", "objective", "bound", "gap", "seconds", "levels"];

fn summary_sheet(summary: Option<&serde_json::Map<String, Value>>) -> Sheet {
    let cols = header(&["步骤", "状态", "目标值", "最优界", "间隙", "用时（秒）"]);
    let Some(summary) = summary else {
        return (cols, Vec::new());
    };
    let mut body = Vec::new();
    let step_row = |label: String, block: &serde_json::Map<String, Value>| {
        let get = |k: &str| block.get(k).map_or(Cell::Empty, value_cell);
        vec![
            Cell::text(label),
            Cell::text(
                block
                    .get("status")
                    .and_then(Value::as_str)
                    .map_or("", status_zh),
            ),
            get("objective"),
            get("bound"),
            get("gap"),
            get("seconds"),
        ]
    };
    for (key, label) in STEPS {
        let Some(Value::Object(block)) = summary.get(key) else {
            continue;
        };
        body.push(step_row(format!("{label} ({key})"), block));
        if let Some(Value::Object(tracks)) = block.get("tracks") {
            for (track, t) in tracks {
                if let Value::Object(t) = t {
                    body.push(step_row(format!("{label} / {track}"), t));
                }
            }
        }
    }
    body.push(Vec::new());
    body.push(vec![Cell::text("指标"), Cell::text("值")]);
    let mut flat = Vec::new();
    for (key, value) in summary {
        match (STEPS.iter().find(|(k, _)| k == key), value) {
            (Some(_), Value::Object(block)) => {
                for (k, v) in block {
                    // The groups themselves are on the 分组 sheet; status lines are above.
                    if STEP_KEYS.contains(&k.as_str()) || k == "tracks" {
                        continue;
                    }
                    flatten(&format!("{key}.{k}"), v, &mut flat);
                }
            }
            _ => flatten(key, value, &mut flat),
        }
    }
    for (path, v) in flat {
        body.push(vec![Cell::text(label_path(&path)), v]);
    }
    (cols, body)
}

fn status_zh(s: &str) -> &'static str {
    match s {
        "optimal" => "最优 (optimal)",
        "feasible" => "可行，未证最优 (feasible)",
        "infeasible" => "不可行 (infeasible)",
        "time_limit" => "超时无解 (time_limit)",
        _ => "未知",
    }
}

fn value_cell(v: &Value) -> Cell {
    match v {
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::String(s) => Cell::text(s),
        Value::Bool(b) => Cell::text(if *b { "是" } else { "否" }),
        Value::Null => Cell::text("—"),
        Value::Array(a) => Cell::text(
            a.iter()
                .map(|x| match x {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    Value::Null => "—".into(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Value::Object(_) => Cell::text(v.to_string()),
    }
}

fn flatten(path: &str, v: &Value, out: &mut Vec<(String, Cell)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                flatten(&format!("{path}.{k}"), x, out);
            }
        }
        Value::Array(a) if a.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{path}.{}", i + 1), x, out);
            }
        }
        _ => out.push((path.to_string(), value_cell(v))),
    }
}

/// A dotted summary path with its known segments in Chinese, keeping the key for reference:
/// `调整前缺口 (shortage_before)`.
fn label_path(path: &str) -> String {
    let zh: Vec<String> = path
        .split('.')
        .map(|seg| {
            segment_zh(seg)
                .map(str::to_string)
                .or_else(|| {
                    aliases::SUBJECTS
                        .iter()
                        .find(|(c, _)| *c == seg)
                        .map(|_| subject_zh(seg))
                })
                .unwrap_or_else(|| seg.to_string())
        })
        .collect();
    let zh = zh.join(" / ");
    if zh == path.replace('.', " / ") {
        path.to_string()
    } else {
        format!("{zh} ({path})")
    }
}

fn segment_zh(seg: &str) -> Option<&'static str> {
    Some(match seg {
        "groups" => "分组",
        "pairing" => "结对",
        "rotation" => "轮岗",
        "shortage_before" => "调整前缺口",
        "shortage_after" => "调整后缺口",
        "shortage_by_subject" => "分学科缺口",
        "moves" => "交流人数",
        "per_group" => "分集团",
        "transfer" | "transfers" => "调动",
        "exchange" | "exchanges" => "交流",
        "total" => "合计",
        "before" => "调整前",
        "after" => "调整后",
        "primary" => "小学",
        "middle" => "初中",
        "kindergarten" => "幼儿园",
        "cv_key_per_100_students" => "每百生骨干教师差异系数",
        "cv_pe_arts_per_100_students" => "每百生体音美教师差异系数",
        "cv_qualified_per_100_students" => "每百生高学历教师差异系数",
        "floors" => "达标",
        "key_per_100_students" => "每百生骨干教师",
        "pe_arts_per_100_students" => "每百生体音美教师",
        "qualified_per_100_students" => "每百生高学历教师",
        "floor" => "标准",
        "schools" => "学校数",
        "meet_before" => "调整前达标",
        "meet_after" => "调整后达标",
        "staff" => "教职工",
        "cap" => "上限",
        "used_share" => "已用比例",
        "returns" => "返回",
        "covered_slots" => "覆盖学段数",
        "covered_weight" => "覆盖权重",
        "distance_km" => "距离(km)",
        "uncovered" => "未覆盖",
        "exchange_shortfalls" => "互派不足",
        "reason" => "原因",
        "helper" => "帮扶校",
        "group" => "集团",
        "stage" => "学段",
        "school" => "学校",
        "priority" => "优先",
        "direction" => "方向",
        "made" => "已派",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_paths_read_in_chinese() {
        assert_eq!(
            label_path("shortage_by_subject.math.before"),
            "分学科缺口 / 数学 / 调整前 (shortage_by_subject.math.before)"
        );
        assert_eq!(label_path("zzz"), "zzz");
    }

    #[test]
    fn summary_sheet_lists_steps_then_metrics() {
        let s: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"pairing": {"status": "optimal", "objective": [10, 3.5], "bound": [10, 3.5],
                 "gap": [0, 0], "seconds": 0.2, "levels": ["covered_weight","distance_km"],
                 "covered_slots": 8},
                "shortage_before": 12, "shortage_after": 4}"#,
        )
        .expect("json");
        let (h, rows) = summary_sheet(Some(&s));
        assert_eq!(h[0], "步骤");
        assert_eq!(rows[0][1], Cell::text("最优 (optimal)"));
        assert_eq!(rows[0][2], Cell::text("10; 3.5"));
        let labels: Vec<_> = rows.iter().filter_map(|r| r.first().cloned()).collect();
        assert!(labels.contains(&Cell::text("结对 / 覆盖学段数 (pairing.covered_slots)")));
        assert!(labels.contains(&Cell::text("调整前缺口 (shortage_before)")));
    }
}
