//! Reading and writing the plan files of SPEC.md, always atomically and in a fixed order so
//! the same plan gives the same bytes.

use std::path::Path;

use crate::diagnostics::{Problem, Problems};
use crate::domain::stage::SlotStage;
use crate::io::atomic::write_bytes_atomic;
use crate::io::csv_table::Table;
use crate::plan::{GroupRow, MoveKind, MoveRow, PairingRow, ReturnRow, Role};

pub const GROUPS: &str = "groups.csv";
pub const PAIRINGS: &str = "pairings.csv";
pub const MOVES: &str = "moves.csv";
pub const RETURNS: &str = "returns.csv";

/// Writes CSV rows under `header` to `path` atomically.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    write_bytes_atomic(path, &bytes)
}

pub fn write_groups(dir: &Path, rows: &[GroupRow]) -> std::io::Result<()> {
    write_csv(
        &dir.join(GROUPS),
        &["track", "group", "school", "role"],
        rows.iter().map(|r| {
            vec![
                r.track.clone(),
                r.group.clone(),
                r.school.clone(),
                r.role.as_str().into(),
            ]
        }),
    )
}

/// Writes `pairings.csv`; the `school` column appears when any row is school-level.
pub fn write_pairings(dir: &Path, rows: &[PairingRow], school_level: bool) -> std::io::Result<()> {
    let mut header = vec!["helper", "group", "stage"];
    if school_level {
        header.push("school");
    }
    write_csv(
        &dir.join(PAIRINGS),
        &header,
        rows.iter().map(|r| {
            let mut v = vec![r.helper.clone(), r.group.clone(), r.stage.as_str().into()];
            if school_level {
                v.push(r.school.clone().unwrap_or_default());
            }
            v
        }),
    )
}

/// The columns of `moves.csv` in SPEC order; `reason` is last, and optional on reading.
pub const MOVE_COLUMNS: [&str; 9] = [
    "teacher",
    "from",
    "to",
    "kind",
    "subject",
    "start_year",
    "end_year",
    "slot",
    "reason",
];

/// Writes `moves.csv` with every column of SPEC, `reason` included (empty where a row has
/// none: callers fill the reasons first, see `report::reasons::fill_reasons`).
pub fn write_moves(dir: &Path, rows: &[MoveRow]) -> std::io::Result<()> {
    write_csv(
        &dir.join(MOVES),
        &MOVE_COLUMNS,
        rows.iter().map(|r| {
            vec![
                r.teacher.clone(),
                r.from.clone(),
                r.to.clone(),
                r.kind.as_str().into(),
                r.subject.clone(),
                r.start_year.to_string(),
                r.end_year.map(|y| y.to_string()).unwrap_or_default(),
                r.slot.map(|s| s.as_str().to_string()).unwrap_or_default(),
                r.reason.clone().unwrap_or_default(),
            ]
        }),
    )
}

pub fn write_returns(dir: &Path, rows: &[ReturnRow]) -> std::io::Result<()> {
    write_csv(
        &dir.join(RETURNS),
        &["teacher", "from", "to"],
        rows.iter()
            .map(|r| vec![r.teacher.clone(), r.from.clone(), r.to.clone()]),
    )
}

fn read_table(dir: &Path, name: &str, cols: &[&str], problems: &mut Problems) -> Option<Table> {
    Table::read(dir, name, cols, true, problems)
}

pub fn read_groups(dir: &Path) -> Result<Vec<GroupRow>, Problems> {
    let mut problems = Problems::default();
    let mut out = Vec::new();
    if let Some(t) = read_table(
        dir,
        GROUPS,
        &["track", "group", "school", "role"],
        &mut problems,
    ) {
        for row in &t.rows {
            let mut c = t.cells(row, &mut problems);
            let track = c.required("track");
            let group = c.required("group");
            let school = c.required("school");
            let role = c.required("role").and_then(|r| {
                let v = Role::parse(&r);
                if v.is_none() {
                    c.problem("role", "unknown role", "use core or member")
                        .zh("未知的角色", "请用 core（核心校）或 member（成员校）");
                }
                v
            });
            if let (Some(track), Some(group), Some(school), Some(role)) =
                (track, group, school, role)
            {
                out.push(GroupRow {
                    track,
                    group,
                    school,
                    role,
                });
            }
        }
    }
    finish(out, problems)
}

pub fn read_pairings(dir: &Path) -> Result<Vec<PairingRow>, Problems> {
    let mut problems = Problems::default();
    let mut out = Vec::new();
    if let Some(t) = read_table(dir, PAIRINGS, &["helper", "group", "stage"], &mut problems) {
        for row in &t.rows {
            let mut c = t.cells(row, &mut problems);
            let helper = c.required("helper");
            let group = c.text("group").unwrap_or_default().to_string();
            let school = c.text("school").map(str::to_string);
            if group.is_empty() && school.is_none() {
                c.problem(
                    "group",
                    "`group` is empty",
                    "name the group the helper pairs with",
                )
                .zh("`group` 为空", "请填写该帮扶校所结对的集团");
            }
            let stage = c.required("stage").and_then(|s| {
                let v = SlotStage::parse(&s);
                if v.is_none() {
                    c.problem(
                        "stage",
                        "unknown slot stage",
                        "use kindergarten, primary or middle",
                    )
                    .zh("未知的岗位学段", "可用值：kindergarten、primary 或 middle");
                }
                v
            });
            if let (Some(helper), Some(stage)) = (helper, stage) {
                out.push(PairingRow {
                    helper,
                    group,
                    stage,
                    school,
                });
            }
        }
    }
    finish(out, problems)
}

pub fn read_moves(dir: &Path) -> Result<Vec<MoveRow>, Problems> {
    let mut problems = Problems::default();
    let mut out = Vec::new();
    if let Some(t) = read_table(dir, MOVES, &MOVE_COLUMNS[..8], &mut problems) {
        let has_reason = t.column("reason").is_some();
        for row in &t.rows {
            let mut c = t.cells(row, &mut problems);
            let teacher = c.required("teacher");
            let from = c.required("from");
            let to = c.required("to");
            let kind = c.required("kind").and_then(|k| {
                let v = MoveKind::parse(&k);
                if v.is_none() {
                    c.problem("kind", "unknown kind", "use transfer or exchange")
                        .zh("未知的类型", "请用 transfer（调动）或 exchange（交流）");
                }
                v
            });
            let subject = c.required("subject");
            let start_year = c.int("start_year").map(|y| y as i32);
            if c.text("start_year").is_none() {
                c.problem("start_year", "`start_year` is empty", "give the plan year")
                    .zh("`start_year` 为空", "请填写规划年份");
            }
            let end_year = c.int("end_year").map(|y| y as i32);
            let reason = has_reason.then(|| c.text("reason").unwrap_or_default().to_string());
            let slot = c.text("slot").map(str::to_string).and_then(|s| {
                let v = SlotStage::parse(&s);
                if v.is_none() {
                    c.problem(
                        "slot",
                        "unknown slot",
                        "use kindergarten, primary or middle",
                    )
                    .zh("未知的岗位学段", "可用值：kindergarten、primary 或 middle");
                }
                v
            });
            if let (
                Some(teacher),
                Some(from),
                Some(to),
                Some(kind),
                Some(subject),
                Some(start_year),
            ) = (teacher, from, to, kind, subject, start_year)
            {
                out.push(MoveRow {
                    teacher,
                    from,
                    to,
                    kind,
                    subject,
                    start_year,
                    end_year,
                    slot,
                    reason,
                });
            }
        }
    }
    finish(out, problems)
}

/// Reads `returns.csv`; a plan without returns may leave the file out.
pub fn read_returns(dir: &Path) -> Result<Vec<ReturnRow>, Problems> {
    let mut problems = Problems::default();
    let mut out = Vec::new();
    if let Some(t) = Table::read(
        dir,
        RETURNS,
        &["teacher", "from", "to"],
        false,
        &mut problems,
    ) {
        for row in &t.rows {
            let mut c = t.cells(row, &mut problems);
            if let (Some(teacher), Some(from), Some(to)) =
                (c.required("teacher"), c.required("from"), c.required("to"))
            {
                out.push(ReturnRow { teacher, from, to });
            }
        }
    }
    finish(out, problems)
}

fn finish<T>(out: Vec<T>, problems: Problems) -> Result<Vec<T>, Problems> {
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A problem for a plan file that is missing where a step needs it.
pub fn missing_plan_file(dir: &Path, name: &str, step: &str) -> Problem {
    Problem::new(
        name,
        format!("not found in {}", dir.display()),
        format!("run `rotaplan {step}` first, or put a planner-made {name} there"),
    )
    .with_zh(
        format!("在 {} 中未找到", dir.display()),
        format!("请先运行 `rotaplan {step}`，或在该处放入自行编制的 {name}"),
    )
}
