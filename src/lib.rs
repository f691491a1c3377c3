//! rotaplan: education groups (教育集团), urban–rural pairing (城乡结对) and teacher rotation
//! (教师交流轮岗) for a Chinese county education bureau, each solved as a mixed-integer
//! program with HiGHS and reported with its proof of optimality.
//!
//! Layers: [`domain`] (instance, policy, geography), [`solve`] (one module per problem),
//! and the edge: [`io`] for files and [`cli`] for the `rotaplan` binary.

pub mod batch;
pub mod cli;
pub mod diagnostics;
pub mod domain;
pub mod error;
pub mod generate;
pub mod headline;
pub mod io;
pub mod lang;
pub mod metrics;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod report;
pub mod scenarios;
pub mod simulate;
pub mod solve;
pub mod verify;
pub mod words;

pub use error::{Error, Result};
