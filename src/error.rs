//! The errors a run can end with. The binary prints them as one line each (with the cause
//! chain) and maps them to exit codes in one place.

use std::path::PathBuf;

use crate::diagnostics::Problems;
use crate::solve::mip::MipError;

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
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
