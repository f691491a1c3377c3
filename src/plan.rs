//! A plan as the files hold it: groups, pairings, moves and returns, by id.
//!
//! Solvers produce these rows and `verify` reads them back; ids rather than indices keep a
//! plan meaningful outside the run that made it.

use crate::domain::stage::SlotStage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Core,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Core => "core",
            Role::Member => "member",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "core" => Some(Role::Core),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

/// A row of `groups.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub track: String,
    pub group: String,
    pub school: String,
    pub role: Role,
}

/// A row of `pairings.csv`. `school` is set at school level (`[pairing] level = "school"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingRow {
    pub helper: String,
    pub group: String,
    pub stage: SlotStage,
    pub school: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MoveKind {
    Transfer,
    Exchange,
}

impl MoveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Transfer => "transfer",
            MoveKind::Exchange => "exchange",
        }
    }
    pub fn parse(s: &str) -> Option<MoveKind> {
        match s.trim() {
            "transfer" => Some(MoveKind::Transfer),
            "exchange" => Some(MoveKind::Exchange),
            _ => None,
        }
    }
}

/// A row of `moves.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRow {
    pub teacher: String,
    /// Where the teacher is after this summer's returns.
    pub from: String,
    pub to: String,
    pub kind: MoveKind,
    /// The subject the teacher covers at `to`.
    pub subject: String,
    pub start_year: i32,
    /// Empty for a transfer.
    pub end_year: Option<i32>,
    /// The pairing's slot for an exchange, empty for a transfer.
    pub slot: Option<SlotStage>,
    /// Why this teacher moves, in the run's language (`reason` column). `None` when the
    /// solver has not explained it yet or a planner-made `moves.csv` has no such column;
    /// `Some("")` when the column is there but the cell is empty.
    pub reason: Option<String>,
}

/// A row of `returns.csv`: a teacher whose exchange ends this summer (host → home).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRow {
    pub teacher: String,
    pub from: String,
    pub to: String,
}
