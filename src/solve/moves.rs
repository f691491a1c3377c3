//! The moves problem.
