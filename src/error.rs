//! The errors a run can end with. The binary prints them as one line each (with the cause
//! chain) and maps them to exit codes in one place: [`Error::exit_code`].

use std::path::PathBuf;

use crate::diagnostics::Problems;
use crate::lang::Lang;
use crate::solve::mip::MipError;

/// SPEC's exit codes.
pub mod exit {
    /// A plan was written (optimal or feasible), or the verb did what it was asked.
    pub const OK: u8 = 0;
    /// `validate` or `verify` found problems.
    pub const PROBLEMS: u8 = 1;
    /// A usage error, or an input a solving verb cannot read.
    pub const USAGE: u8 = 2;
    /// The policy cannot be met; summary.json says why.
    pub const INFEASIBLE: u8 = 3;
    /// Stopped at the time limit before any solution.
    pub const TIME_LIMIT: u8 = 4;

    /// The code of a run whose `status` (a summary.json or table status) is `status`; 0 for a
    /// planned one. Batch, scenario and simulation tables keep only the status of each unit.
    pub fn of_status(status: &str) -> u8 {
        match status {
            "optimal" | "feasible" => OK,
            "infeasible" => INFEASIBLE,
            "time_limit" => TIME_LIMIT,
            _ => USAGE,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input files with problems; every one is listed.
    #[error("{0}")]
    Input(Problems),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The policy cannot be met; the text says which rule, where, and how far to relax it.
    #[error("{0}")]
    Infeasible(String),
    /// A step stopped at its time limit without any solution; the text names the step.
    #[error("{0}")]
    TimeLimit(String),
    #[error("solver failure: {0}")]
    Solver(#[from] MipError),
    #[error("{0}")]
    Usage(String),
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Self {
        Error::Input(p)
    }
}

impl Error {
    pub fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Write { path, source }
    }

    /// SPEC's exit code for a run that ends with this error. A solver failure is not an
    /// answer about the plan; it shares code 2 with unreadable input, which is what it
    /// most often means (a model HiGHS cannot load).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Infeasible(_) => exit::INFEASIBLE,
            Error::TimeLimit(_) => exit::TIME_LIMIT,
            Error::Input(_)
            | Error::Write { .. }
            | Error::Read { .. }
            | Error::Solver(_)
            | Error::Usage(_) => exit::USAGE,
        }
    }

    /// The status word batch and scenario tables give a unit that ended with this error.
    pub fn status(&self) -> &'static str {
        match self {
            Error::Infeasible(_) => "infeasible",
            Error::TimeLimit(_) => "time_limit",
            Error::Input(_) => "invalid_input",
            _ => "failed",
        }
    }

    /// The error as the terminal shows it in `lang`: a framing line, the text, and the cause
    /// chain. Problems and solver explanations keep the words their authors gave them.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = match (self, lang) {
            (Error::Input(p), Lang::Zh) => {
                format!("输入有误（{} 处）：\n{}", p.len(), p.render(lang))
            }
            (Error::Write { path, .. }, Lang::Zh) => format!("无法写入 {}", path.display()),
            (Error::Read { path, .. }, Lang::Zh) => format!("无法读取 {}", path.display()),
            (Error::Write { path, .. }, Lang::En) => format!("cannot write {}", path.display()),
            (Error::Read { path, .. }, Lang::En) => format!("cannot read {}", path.display()),
            (Error::Infeasible(why), Lang::Zh) => {
                format!("政策无法满足（不可行），已写入 summary.json：\n{why}")
            }
            (Error::Infeasible(why), Lang::En) => {
                format!("the policy cannot be met (infeasible); summary.json says so:\n{why}")
            }
            (Error::TimeLimit(why), Lang::Zh) => {
                format!("到达时限仍未找到任何方案，已写入 summary.json：\n{why}")
            }
            (Error::TimeLimit(why), Lang::En) => format!(
                "stopped at the time limit before any solution; summary.json says so:\n{why}"
            ),
            (Error::Solver(e), Lang::Zh) => format!("求解器故障：{e}"),
            (Error::Usage(m), Lang::Zh) => format!("用法错误：{m}"),
            (e, _) => e.to_string(),
        };
        let mut source = std::error::Error::source(self);
        // Input problems are their own chain; the io error under Read/Write is the cause.
        if matches!(self, Error::Input(_)) {
            source = None;
        }
        while let Some(s) = source {
            out.push_str(&format!("\n  {}: {s}", lang.pick("原因", "caused by")));
            source = s.source();
        }
        out
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_spec() {
        assert_eq!(Error::Infeasible("x".into()).exit_code(), 3);
        assert_eq!(Error::TimeLimit("x".into()).exit_code(), 4);
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
        assert_eq!(Error::Input(Problems::default()).exit_code(), 2);
        assert_eq!(exit::of_status("optimal"), 0);
        assert_eq!(exit::of_status("feasible"), 0);
        assert_eq!(exit::of_status("infeasible"), 3);
        assert_eq!(exit::of_status("time_limit"), 4);
        assert_eq!(exit::of_status("invalid_input"), 2);
    }

    #[test]
    fn chinese_framing_keeps_the_cause() {
        let e = Error::Read {
            path: "a/schools.csv".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
        };
        let zh = e.render(Lang::Zh);
        assert!(zh.starts_with("无法读取 a/schools.csv"), "{zh}");
        assert!(zh.contains("原因: gone"), "{zh}");
        assert!(e.render(Lang::En).contains("caused by: gone"));
    }
}
