//! The audit as text: one line per finding, then a count.

use std::fmt::Write;

use super::VerifyReport;

/// Renders the report. Each violation is one line: rule id, message, offending rows, source.
pub fn render(r: &VerifyReport) -> String {
    let mut out = String::new();
    for v in &r.violations {
        let _ = writeln!(
            out,
            "{} {} — rows: {} — source: {}",
            v.rule,
            v.message,
            v.rows.join(", "),
            v.source
        );
    }
    for m in &r.metric_mismatches {
        let _ = writeln!(
            out,
            "METRIC summary.json {}: summary says {}, recomputed {}",
            m.key, m.summary, m.recomputed
        );
    }
    let files = r.audited.join(", ");
    if r.is_ok() {
        let _ = writeln!(
            out,
            "plan ok: {files} keep every rule; {} summary figures agree",
            r.metrics_checked
        );
    } else {
        let _ = writeln!(
            out,
            "{} violation(s), {} summary mismatch(es) of {} figures checked (audited {files})",
            r.violations.len(),
            r.metric_mismatches.len(),
            r.metrics_checked
        );
    }
    out
}
