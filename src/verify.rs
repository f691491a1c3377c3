//! Independent audit of a plan (filled in by the verify work).
