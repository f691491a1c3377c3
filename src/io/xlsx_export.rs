//! `rotaplan export`: a plan folder as a workbook a bureau can circulate, with Chinese sheet
//! names and headers: 分组 (groups), 结对 (pairings), 交流名单 (moves, one row per teacher,
//! with a reason) and 汇总 (summary.json, flattened).
//!
//! The reason of each move is the `reason` column of `moves.csv`, word for word, so the
//! workbook and the report never disagree; a planner-made `moves.csv` without the column gets
//! the reasons rotaplan would have written (this needs the instance; without it, what the
//! plan files say, and that the rest needs `--instance`). With the instance,
//! schools, teachers and groups carry their names; without it the sheets hold ids only.
//! Sheet names are fixed (SPEC); headers and labels follow the documents language.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Problem, Problems};
use crate::domain::Instance;
use crate::domain::grouping::Grouping;
use crate::error::{Error, Result};
use crate::io::plan_files::{self, GROUPS, MOVES, PAIRINGS, RETURNS};
use crate::io::summary::SUMMARY;
use crate::io::xlsx_sheet::{Cell, add_table, new_workbook, save_atomic};
use crate::lang::Lang;
use crate::plan::{GroupRow, MoveRow, PairingRow, Role};
use crate::report::i18n::{kind_name, level_name, stage_name, status_name, subject_name};
use crate::words::{group_name, track_name};

/// The sheet names, in workbook order.
pub const SHEETS: [&str; 4] = ["分组", "结对", "交流名单", "汇总"];

/// Rows written per sheet, in [`SHEETS`] order.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    pub rows: [usize; 4],
}

/// Writes the plan in `plan` to the workbook `out` (atomically), in Chinese.
pub fn export_plan(plan: &Path, instance: Option<&Instance>, out: &Path) -> Result<ExportReport> {
    export_plan_in(plan, instance, out, Lang::Zh)
}

/// [`export_plan`] with headers and labels in `lang`.
pub fn export_plan_in(
    plan: &Path,
    instance: Option<&Instance>,
    out: &Path,
    lang: Lang,
) -> Result<ExportReport> {
    let mut problems = Problems::default();
    let groups = optional(plan, GROUPS, plan_files::read_groups, &mut problems);
    let pairings = optional(plan, PAIRINGS, plan_files::read_pairings, &mut problems);
    let mut moves = optional(plan, MOVES, plan_files::read_moves, &mut problems);
    let returns = optional(plan, RETURNS, plan_files::read_returns, &mut problems);
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
    let grouping = instance.and_then(|i| Grouping::from_rows(i, &groups).ok());
    match (instance, &grouping) {
        (Some(inst), Some(grouping)) => crate::report::reasons::fill_reasons(
            inst, grouping, &pairings, &returns, &mut moves, lang,
        ),
        // An older plan without the `reason` column, exported without its instance.
        _ => crate::report::reasons::fill_reasons_from_plan(&groups, &pairings, &mut moves, lang),
    }
    let names = Names {
        instance,
        grouping: grouping.as_ref(),
        lang,
    };
    let sheets = [
        groups_sheet(&groups, &names),
        pairings_sheet(&pairings, &names),
        moves_sheet(&moves, &names),
        summary_sheet(summary.as_ref(), lang),
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

/// Names of schools, teachers and groups when the instance is known, and the language.
struct Names<'a> {
    instance: Option<&'a Instance>,
    grouping: Option<&'a Grouping>,
    lang: Lang,
}

impl Names<'_> {
    fn pick<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }
    /// A group's display name ("XX小学教育集团"), or its id when the instance is unknown.
    fn group(&self, id: &str) -> String {
        match (self.instance, self.grouping) {
            (Some(inst), Some(g)) => g
                .group_by_id(id)
                .map_or_else(|| id.to_string(), |i| group_name(inst, g, i, self.lang)),
            _ => id.to_string(),
        }
    }
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

fn groups_sheet(rows: &[GroupRow], names: &Names) -> Sheet {
    let lang = names.lang;
    let mut cols = vec![names.pick("方案", "Track"), names.pick("集团", "Group")];
    if names.with_names() {
        cols.push(names.pick("集团名称", "Group name"));
    }
    cols.push(names.pick("学校编号", "School id"));
    if names.with_names() {
        cols.extend([
            names.pick("学校名称", "School"),
            names.pick("学段", "Stage"),
            names.pick("学生数", "Students"),
        ]);
    }
    cols.push(names.pick("角色", "Role"));
    let body = rows
        .iter()
        .map(|r| {
            let mut v = vec![Cell::text(track_name(&r.track, lang)), Cell::text(&r.group)];
            if names.with_names() {
                v.push(Cell::text(names.group(&r.group)));
            }
            v.push(Cell::text(&r.school));
            if let Some(inst) = names.instance {
                let s = inst.school_by_id(&r.school).map(|i| &inst.schools[i]);
                v.push(Cell::text(names.school(&r.school)));
                v.push(s.map_or(Cell::Empty, |s| {
                    Cell::text(stage_name(lang, s.stage.as_str()))
                }));
                v.push(s.map_or(Cell::Empty, |s| Cell::Number(f64::from(s.students))));
            }
            v.push(Cell::text(match r.role {
                Role::Core => names.pick("核心校", "core"),
                Role::Member => names.pick("成员校", "member"),
            }));
            v
        })
        .collect();
    (header(&cols), body)
}

fn pairings_sheet(rows: &[PairingRow], names: &Names) -> Sheet {
    let lang = names.lang;
    let school_level = rows.iter().any(|r| r.school.is_some());
    let mut cols = vec![names.pick("帮扶校编号", "Helper id")];
    if names.with_names() {
        cols.push(names.pick("帮扶校名称", "Helper"));
    }
    cols.push(names.pick("集团", "Group"));
    if names.with_names() {
        cols.push(names.pick("集团名称", "Group name"));
    }
    cols.push(names.pick("学段", "Stage"));
    if school_level {
        cols.push(names.pick("受援学校编号", "School id"));
        if names.with_names() {
            cols.push(names.pick("受援学校名称", "School"));
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
            if names.with_names() {
                v.push(if r.group.is_empty() {
                    Cell::Empty
                } else {
                    Cell::text(names.group(&r.group))
                });
            }
            v.push(Cell::text(stage_name(lang, r.stage.as_str())));
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

/// 交流名单: one row per move; the last column is the move's reason from `moves.csv`.
fn moves_sheet(moves: &[MoveRow], names: &Names) -> Sheet {
    let lang = names.lang;
    let mut cols = vec![names.pick("教师编号", "Teacher id")];
    if names.with_names() {
        cols.push(names.pick("姓名", "Name"));
    }
    cols.extend([
        names.pick("任教学科", "Subject"),
        names.pick("方式", "Kind"),
        names.pick("调出学校编号", "From id"),
    ]);
    if names.with_names() {
        cols.push(names.pick("调出学校", "From"));
    }
    cols.push(names.pick("调入学校编号", "To id"));
    if names.with_names() {
        cols.push(names.pick("调入学校", "To"));
    }
    cols.extend([
        names.pick("开始年份", "Start year"),
        names.pick("结束年份", "End year"),
        names.pick("帮扶学段", "Slot"),
        names.pick("理由", "Reason"),
    ]);
    let body = moves
        .iter()
        .map(|m| {
            let mut v = vec![Cell::text(&m.teacher)];
            if names.with_names() {
                v.push(Cell::text(names.teacher(&m.teacher)));
            }
            v.push(Cell::text(subject_name(lang, &m.subject)));
            v.push(Cell::text(kind_name(lang, m.kind.as_str())));
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
                    .map_or(Cell::Empty, |s| Cell::text(stage_name(lang, s.as_str()))),
            );
            v.push(m.reason.as_deref().map_or(Cell::Empty, Cell::text));
            v
        })
        .collect();
    (header(&cols), body)
}

const STEPS: [(&str, &str, &str); 3] = [
    ("groups", "分组", "Groups"),
    ("pairing", "结对", "Pairing"),
    ("rotation", "交流轮岗", "Rotation"),
];
const STEP_KEYS: [&str; 7] = [
    "status",
    "objective",
    "bound",
    "gap",
    "seconds",
    "reason",
    "tracks",
];

/// 汇总: each step's status with its proof figures, then every metric of `summary.json` with
/// a label in `lang` and, in a column of its own, the key it comes from.
fn summary_sheet(summary: Option<&serde_json::Map<String, Value>>, lang: Lang) -> Sheet {
    let pick = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let cols = header(&[
        pick("步骤", "Step"),
        pick("状态", "Status"),
        pick("目标值", "Objective"),
        pick("最优界", "Bound"),
        pick("间隙", "Gap"),
        pick("用时（秒）", "Seconds"),
        pick("说明", "Explanation"),
    ]);
    let Some(summary) = summary else {
        return (cols, Vec::new());
    };
    let mut body = Vec::new();
    let step_row = |label: String, block: &serde_json::Map<String, Value>| {
        let get = |k: &str| block.get(k).map_or(Cell::Empty, |v| value_cell(v, lang));
        vec![
            Cell::text(label),
            Cell::text(
                block
                    .get("status")
                    .and_then(Value::as_str)
                    .map_or_else(String::new, |s| status_name(lang, s)),
            ),
            get("objective"),
            get("bound"),
            get("gap"),
            get("seconds"),
            get("reason"),
        ]
    };
    for (key, zh, en) in STEPS {
        let Some(Value::Object(block)) = summary.get(key) else {
            continue;
        };
        let label = lang.pick(zh, en);
        body.push(step_row(label.to_string(), block));
        if let Some(Value::Object(tracks)) = block.get("tracks") {
            for (track, t) in tracks {
                if let Value::Object(t) = t {
                    body.push(step_row(
                        format!("{label} / {}", track_name(track, lang)),
                        t,
                    ));
                }
            }
        }
    }
    body.push(Vec::new());
    body.push(vec![
        Cell::text(pick("指标", "Figure")),
        Cell::text(pick("值", "Value")),
        Cell::text(pick("summary.json 中的键", "key in summary.json")),
    ]);
    let mut flat = Vec::new();
    for (key, value) in summary {
        match (STEPS.iter().find(|(k, _, _)| k == key), value) {
            (Some(_), Value::Object(block)) => {
                for (k, v) in block {
                    // The groups themselves are on the 分组 sheet; status lines are above.
                    if STEP_KEYS.contains(&k.as_str()) {
                        continue;
                    }
                    flatten(&format!("{key}.{k}"), v, &mut flat, lang);
                }
            }
            _ => flatten(key, value, &mut flat, lang),
        }
    }
    for (path, v) in flat {
        body.push(vec![
            Cell::text(label_path(&path, lang)),
            v,
            Cell::text(path),
        ]);
    }
    (cols, body)
}

/// A coded string value in `lang`: statuses, directions, stages, levels; others as written.
fn value_word(s: &str, lang: Lang) -> String {
    match s {
        "optimal" | "feasible" | "infeasible" | "time_limit" => status_name(lang, s),
        "helper_to_school" => lang.pick("帮扶校 → 学校", "helper → school").into(),
        "school_to_helper" => lang.pick("学校 → 帮扶校", "school → helper").into(),
        "kindergarten" | "primary" | "middle" | "nine_year" | "high" => stage_name(lang, s),
        "group" => lang.pick("集团", "group").into(),
        "school" => lang.pick("学校", "school").into(),
        "compulsory" => track_name(s, lang),
        other => {
            let level = level_name(lang, other);
            if level != other && lang == Lang::Zh {
                level
            } else {
                other.to_string()
            }
        }
    }
}

fn value_cell(v: &Value, lang: Lang) -> Cell {
    match v {
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::String(s) => Cell::text(value_word(s, lang)),
        Value::Bool(b) => Cell::text(if *b {
            lang.pick("是", "yes")
        } else {
            lang.pick("否", "no")
        }),
        Value::Null => Cell::text("—"),
        Value::Array(a) => Cell::text(
            a.iter()
                .map(|x| match x {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => value_word(s, lang),
                    Value::Null => "—".into(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
        ),
        Value::Object(_) => Cell::text(v.to_string()),
    }
}

fn flatten(path: &str, v: &Value, out: &mut Vec<(String, Cell)>, lang: Lang) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                flatten(&format!("{path}.{k}"), x, out, lang);
            }
        }
        Value::Array(a) if a.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{path}.{}", i + 1), x, out, lang);
            }
        }
        _ => out.push((path.to_string(), value_cell(v, lang))),
    }
}

/// A dotted summary path as a label: in Chinese, every known segment translated
/// (`shortage_by_subject.math.before` → 分学科缺口 / 数学 / 调整前); in English, the path
/// with spaces.
fn label_path(path: &str, lang: Lang) -> String {
    let segs: Vec<String> = path
        .split('.')
        .map(|seg| match lang {
            Lang::En => seg.replace('_', " "),
            Lang::Zh => segment_zh(seg).map_or_else(
                || {
                    let subject = subject_name(Lang::Zh, seg);
                    if subject != seg {
                        subject
                    } else if seg.chars().all(|c| c.is_ascii_digit()) {
                        format!("第 {seg} 项")
                    } else {
                        track_name(seg, lang)
                    }
                },
                str::to_string,
            ),
        })
        .collect();
    segs.join(" / ")
}

fn segment_zh(seg: &str) -> Option<&'static str> {
    Some(match seg {
        "groups" => "分组",
        "pairing" => "结对",
        "rotation" => "交流轮岗",
        "shortage_before" => "调整前缺口",
        "shortage_after" => "调整后缺口",
        "shortage_by_subject" => "分学科缺口",
        "moves" => "交流人数",
        "per_group" => "分集团",
        "transfer" | "transfers" => "调整交流",
        "exchange" | "exchanges" => "互派交流",
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
        "priority_covered" => "已覆盖的优先需求",
        "priority_slots" => "优先需求数",
        "slots" => "需求数",
        "total_weight" => "总权重",
        "level" => "结对层级",
        "levels" => "目标层级",
        "locks" => "锁定数",
        "previous" => "与原方案比较",
        "changed" => "变动人数",
        "rotaplan_version" => "软件版本",
        "inputs" => "输入文件摘要",
        "policy" => "政策",
        "max_distance_km" => "最远距离（km）",
        "mean_quality" => "平均质量",
        "students" => "学生数",
        "core" => "核心校",
        "tracks" => "分组方案",
        "status" => "状态",
        "objective" => "目标值",
        "bound" => "最优界",
        "gap" => "间隙",
        "seconds" => "用时（秒）",
        "name" => "名称",
        "count" => "集团数",
        "plan_year" => "方案年度",
        "solver" => "求解器",
        "time_limit_s" => "时限（秒）",
        "threads" => "线程数",
        "cross_cap_share" => "集团内调整上限比例",
        "exchanges_per_pairing" => "每个结对互派人数",
        "exchange_years" => "互派年限",
        "max_move_km" => "最远交流距离（km）",
        "exempt_age_male" => "男教师免交流年龄",
        "exempt_age_female" => "女教师免交流年龄",
        "dispatched_max_age" => "派往帮扶校年龄上限",
        "helper_sends_key_or_senior" => "帮扶校派骨干或高级教师",
        "national_floor" => "国家交流比例底线",
        "floor_share" => "底线比例",
        "floor_key_share" => "骨干教师占比下限",
        "eligible_years" => "应交流任职年限",
        "subject_weight" => "学科权重",
        "helper_capacity" => "帮扶校结对上限",
        "min_quality_gap" => "最小质量差",
        "priority_weight" => "优先需求权重",
        "max_schools" => "集团学校数上限",
        "core_min_quality" => "核心校最低质量",
        "include_helpers" => "含帮扶校",
        "contiguous" => "乡镇相连",
        "balance_weight" => "均衡权重",
        "min_students" => "学生数下限",
        "max_students" => "学生数上限",
        "mode" => "分组方式",
        "stages" => "学段",
        "cv_excess" => "差异系数超标",
        "parts" => "分块数",
        "teachers_moved" => "交流人数",
        "km" => "交流距离",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_paths_read_in_the_run_language() {
        assert_eq!(
            label_path("shortage_by_subject.math.before", Lang::Zh),
            "分学科缺口 / 数学 / 调整前"
        );
        assert_eq!(
            label_path("pairing.priority_covered", Lang::Zh),
            "结对 / 已覆盖的优先需求"
        );
        assert_eq!(
            label_path("moves.per_group.compulsory-1.cap", Lang::Zh),
            "交流人数 / 分集团 / compulsory-1 / 上限"
        );
        assert_eq!(label_path("shortage_before", Lang::En), "shortage before");
        assert_eq!(value_word("school_to_helper", Lang::Zh), "学校 → 帮扶校");
        assert_eq!(value_word("school_to_helper", Lang::En), "school → helper");
    }

    #[test]
    fn summary_sheet_lists_steps_then_metrics() {
        let s: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"pairing": {"status": "optimal", "objective": [10, 3.5], "bound": [10, 3.5],
                 "gap": [0, 0], "seconds": 0.2, "levels": ["covered_weight","distance_km"],
                 "covered_slots": 8},
                "rotation": {"status": "infeasible", "reason": "国家底线（T7）……"},
                "shortage_before": 12, "shortage_after": 4}"#,
        )
        .expect("json");
        let (h, rows) = summary_sheet(Some(&s), Lang::Zh);
        assert_eq!(h[0], "步骤");
        assert_eq!(rows[0][1], Cell::text("最优（已证明）"));
        assert_eq!(rows[0][2], Cell::text("10；3.5"));
        assert_eq!(rows[1][1], Cell::text("不可行"));
        assert_eq!(rows[1][6], Cell::text("国家底线（T7）……"));
        let labels: Vec<_> = rows.iter().filter_map(|r| r.first().cloned()).collect();
        assert!(labels.contains(&Cell::text("结对 / 覆盖学段数")));
        assert!(labels.contains(&Cell::text("调整前缺口")));
        let levels = rows
            .iter()
            .find(|r| r.first() == Some(&Cell::text("结对 / 目标层级")))
            .expect("levels row");
        assert_eq!(levels[1], Cell::text("覆盖权重；结对距离"));
        assert_eq!(levels[2], Cell::text("pairing.levels"));
    }
}
