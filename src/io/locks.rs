//! `--locks FILE`: the planner's pinned decisions after objections, `teacher,action,school`
//! with action ∈ stay | move | avoid. Only the file's own consistency is checked here
//! (known ids, one decision per teacher); whether a lock breaks a rule needs the rotation
//! state and is judged by the moves solver.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Problem, Problems};
use crate::domain::instance::Instance;
use crate::io::csv_table::Table;

/// What a lock asks of one teacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockAction {
    /// Does not move this summer.
    Stay,
    /// Must move to this school (index).
    Move(usize),
    /// Must not be sent to this school (index).
    Avoid(usize),
}

/// One row of the locks file, resolved to indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRow {
    /// Label for problems, e.g. `locks.csv`.
    pub file: String,
    pub line: usize,
    pub teacher: usize,
    pub action: LockAction,
}

impl LockRow {
    /// `locks.csv:3`, for messages.
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// The lock in the planner's words: `stay`, `move to S012`, `avoid S012`.
    pub fn describe(&self, inst: &Instance) -> String {
        match self.action {
            LockAction::Stay => "stay".into(),
            LockAction::Move(s) => format!("move to {}", inst.schools[s].id),
            LockAction::Avoid(s) => format!("avoid {}", inst.schools[s].id),
        }
    }

    /// [`LockRow::describe`] in Chinese: `本年不交流`, `调往 S012`, `不派往 S012`.
    pub fn describe_zh(&self, inst: &Instance) -> String {
        match self.action {
            LockAction::Stay => "本年不交流".into(),
            LockAction::Move(s) => format!("调往 {}", inst.schools[s].id),
            LockAction::Avoid(s) => format!("不派往 {}", inst.schools[s].id),
        }
    }
}

/// Reads and checks a locks file. Every problem is located (`file:line:column`).
pub fn read_locks(path: &Path, inst: &Instance) -> Result<Vec<LockRow>, Problems> {
    let mut problems = Problems::default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "locks.csv".into());
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Some(table) = Table::read(
        dir,
        &name,
        &["teacher", "action", "school"],
        true,
        &mut problems,
    ) else {
        return Err(problems);
    };
    let mut rows = Vec::new();
    for row in &table.rows {
        let mut c = table.cells(row, &mut problems);
        let line = c.line();
        let teacher = match c.required("teacher") {
            Some(id) => match inst.teacher_by_id(&id) {
                Some(t) => Some(t),
                None => {
                    c.problem(
                        "teacher",
                        format!("unknown teacher `{id}`"),
                        "use a teacher id from teachers.csv",
                    )
                    .zh(
                        format!("未知的教师 `{id}`"),
                        "请使用 teachers.csv 中的教师编号",
                    );
                    None
                }
            },
            None => None,
        };
        let school = match c.text("school").map(str::to_string) {
            Some(id) => match inst.school_by_id(&id) {
                Some(s) => Some(s),
                None => {
                    c.problem(
                        "school",
                        format!("unknown school `{id}`"),
                        "use a school id from schools.csv",
                    )
                    .zh(
                        format!("未知的学校 `{id}`"),
                        "请使用 schools.csv 中的学校编号",
                    );
                    continue;
                }
            },
            None => None,
        };
        let action = match c.required("action").as_deref() {
            None => continue,
            Some("stay") => {
                if school.is_some() {
                    c.problem(
                        "school",
                        "a `stay` lock takes no school",
                        "leave `school` empty for `stay`",
                    )
                    .zh("`stay` 锁定不填学校", "`stay` 时请将 `school` 留空");
                    continue;
                }
                LockAction::Stay
            }
            Some(a @ ("move" | "avoid")) => {
                let Some(s) = school else {
                    c.problem(
                        "school",
                        format!("a `{a}` lock needs a school"),
                        "fill in `school` with a school id from schools.csv",
                    )
                    .zh(
                        format!("`{a}` 锁定须填写学校"),
                        "请在 `school` 中填写 schools.csv 中的学校编号",
                    );
                    continue;
                };
                if a == "move" {
                    LockAction::Move(s)
                } else {
                    LockAction::Avoid(s)
                }
            }
            Some(other) => {
                let (fix, fix_zh) =
                    match crate::diagnostics::did_you_mean(other, &["stay", "move", "avoid"]) {
                        Some(m) => (
                            format!("did you mean `{m}`? use stay, move or avoid"),
                            format!("是否应为 `{m}`？可用 stay、move 或 avoid"),
                        ),
                        None => (
                            "use stay, move or avoid".into(),
                            "可用 stay、move 或 avoid".into(),
                        ),
                    };
                c.problem("action", format!("unknown action `{other}`"), fix)
                    .zh(format!("未知的操作 `{other}`"), fix_zh);
                continue;
            }
        };
        if let Some(teacher) = teacher {
            rows.push(LockRow {
                file: name.clone(),
                line,
                teacher,
                action,
            });
        }
    }
    check_consistency(&rows, inst, &mut problems);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// One decision per teacher: repeated rows, stay with move, two moves, or move to a
/// school the same teacher must avoid cannot all hold.
fn check_consistency(rows: &[LockRow], inst: &Instance, problems: &mut Problems) {
    let mut by_teacher: BTreeMap<usize, Vec<&LockRow>> = BTreeMap::new();
    for r in rows {
        by_teacher.entry(r.teacher).or_default().push(r);
    }
    for (t, locks) in by_teacher {
        let id = &inst.teachers[t].id;
        for (i, b) in locks.iter().enumerate() {
            for a in &locks[..i] {
                let clash = match (a.action, b.action) {
                    _ if a.action == b.action => Some(("the same lock twice", "同一锁定出现两次")),
                    (LockAction::Stay, LockAction::Move(_))
                    | (LockAction::Move(_), LockAction::Stay) => {
                        Some(("stay and move contradict", "本年不交流与调往相互矛盾"))
                    }
                    (LockAction::Move(_), LockAction::Move(_)) => {
                        Some(("two different moves contradict", "两个不同的调往相互矛盾"))
                    }
                    (LockAction::Move(x), LockAction::Avoid(y))
                    | (LockAction::Avoid(y), LockAction::Move(x))
                        if x == y =>
                    {
                        Some((
                            "move to and avoid the same school contradict",
                            "调往与不派往同一所学校相互矛盾",
                        ))
                    }
                    _ => None,
                };
                if let Some((why, why_zh)) = clash {
                    problems.push(
                        Problem::new(
                            &b.file,
                            format!(
                                "{id}: {} here and {} on line {}: {why}",
                                b.describe(inst),
                                a.describe(inst),
                                a.line
                            ),
                            "keep one decision per teacher",
                        )
                        .with_zh(
                            format!(
                                "{id}：此处为“{}”，第 {} 行为“{}”：{why_zh}",
                                b.describe_zh(inst),
                                a.line,
                                a.describe_zh(inst),
                            ),
                            "每位教师只保留一项决定",
                        )
                        .at_line(b.line),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::moves::testkit::tiny;

    fn read(rows: &str) -> Result<Vec<LockRow>, Problems> {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("locks.csv");
        std::fs::write(&p, format!("teacher,action,school\n{rows}")).expect("write");
        read_locks(&p, &tiny())
    }

    #[test]
    fn reads_the_three_actions() {
        let rows = read("A,stay,\nB,move,S2\nC,avoid,S2\nC,avoid,S1\n").expect("locks");
        let acts: Vec<LockAction> = rows.iter().map(|r| r.action).collect();
        assert_eq!(
            acts,
            [
                LockAction::Stay,
                LockAction::Move(2),
                LockAction::Avoid(2),
                LockAction::Avoid(1)
            ]
        );
        assert_eq!(rows[1].at(), "locks.csv:3");
    }

    #[test]
    fn problems_are_located() {
        let p = read("X,stay,\nA,stay,S1\nB,avoid,\nB,move,S2\nB,move,S1\nC,move,S2\nC,avoid,S2\n")
            .expect_err("problems")
            .to_string();
        assert!(p.contains("locks.csv:2:1: unknown teacher `X`"), "{p}");
        assert!(
            p.contains("locks.csv:3:3: a `stay` lock takes no school"),
            "{p}"
        );
        assert!(
            p.contains("locks.csv:4:3: a `avoid` lock needs a school"),
            "{p}"
        );
        assert!(
            p.contains("locks.csv:6: B: move to S1 here and move to S2 on line 5"),
            "{p}"
        );
        assert!(
            p.contains("move to and avoid the same school contradict"),
            "{p}"
        );
    }
}
