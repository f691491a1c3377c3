//! The groups problem.
