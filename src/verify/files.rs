//! The plan folder as `verify` reads it: each file that is there, every row with its line.
//!
//! A plan can stop after any step, so every file but `groups.csv` may be absent; what is
//! absent is simply not audited.

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::{Problem, Problems};
use crate::io::csv_table::Table;
use crate::io::plan_files::{self, GROUPS, MOVES, PAIRINGS, RETURNS};
use crate::io::summary::SUMMARY;
use crate::plan::{GroupRow, MoveRow, PairingRow, ReturnRow};

/// A plan-file row with its 1-based line in the file.
#[derive(Debug, Clone)]
pub struct Lined<T> {
    pub line: usize,
    pub row: T,
}

/// Whatever the plan folder holds.
#[derive(Debug, Clone, Default)]
pub struct PlanFiles {
    pub groups: Vec<Lined<GroupRow>>,
    pub pairings: Option<Vec<Lined<PairingRow>>>,
    pub moves: Option<Vec<Lined<MoveRow>>>,
    pub returns: Option<Vec<Lined<ReturnRow>>>,
    pub summary: Option<Map<String, Value>>,
    /// `(line, teacher, reason)` of each moves.csv row, when the file has the `reason` column.
    pub move_reasons: Option<Vec<(usize, String, String)>>,
}

impl PlanFiles {
    /// Reads `dir`. `groups.csv` must be there; the other files are read when present.
    pub fn read(dir: &Path) -> Result<PlanFiles, Problems> {
        let mut problems = Problems::default();
        let mut plan = PlanFiles::default();
        if !dir.join(GROUPS).exists() {
            problems.push(plan_files::missing_plan_file(dir, GROUPS, "groups"));
        } else if let Some(rows) = keep(dir, GROUPS, plan_files::read_groups(dir), &mut problems) {
            plan.groups = rows;
        }
        if dir.join(PAIRINGS).exists() {
            plan.pairings = keep(dir, PAIRINGS, plan_files::read_pairings(dir), &mut problems);
        }
        if dir.join(MOVES).exists() {
            plan.moves = keep(dir, MOVES, plan_files::read_moves(dir), &mut problems);
            plan.move_reasons = reasons(dir);
        }
        if dir.join(RETURNS).exists() {
            plan.returns = keep(dir, RETURNS, plan_files::read_returns(dir), &mut problems);
        }
        let path = dir.join(SUMMARY);
        if path.exists() {
            match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Value>(&b).map_err(|e| e.to_string()))
            {
                Ok(Value::Object(m)) => plan.summary = Some(m),
                Ok(_) => problems.push(Problem::new(
                    SUMMARY,
                    "is not a JSON object",
                    "remove it or rerun the steps that write it",
                )),
                Err(e) => problems.push(Problem::new(
                    SUMMARY,
                    format!("cannot be read: {e}"),
                    "remove it or rerun the steps that write it",
                )),
            }
        }
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(problems)
        }
    }
}

/// The `reason` cell of every moves.csv row, read from the raw table so that the audit does
/// not depend on whether the row type carries it.
fn reasons(dir: &Path) -> Option<Vec<(usize, String, String)>> {
    let mut scratch = Problems::default();
    let t = Table::read(dir, MOVES, &[], true, &mut scratch)?;
    t.column("reason")?;
    Some(
        t.rows
            .iter()
            .map(|row| {
                let c = t.cells(row, &mut scratch);
                let text = |k: &str| c.text(k).unwrap_or("").to_string();
                (row.line, text("teacher"), text("reason"))
            })
            .collect(),
    )
}

/// Pairs parsed rows with their lines. The readers keep every non-blank row in order when
/// they succeed, so a second pass over the raw table gives the lines.
fn keep<T>(
    dir: &Path,
    name: &str,
    parsed: Result<Vec<T>, Problems>,
    problems: &mut Problems,
) -> Option<Vec<Lined<T>>> {
    match parsed {
        Ok(rows) => {
            let mut scratch = Problems::default();
            let lines: Vec<usize> = Table::read(dir, name, &[], true, &mut scratch)
                .map(|t| t.rows.iter().map(|r| r.line).collect())
                .unwrap_or_default();
            Some(
                rows.into_iter()
                    .enumerate()
                    .map(|(i, row)| Lined {
                        line: lines.get(i).copied().unwrap_or(i + 2),
                        row,
                    })
                    .collect(),
            )
        }
        Err(p) => {
            problems.0.extend(p.0);
            None
        }
    }
}
