//! The pairing problem.
