//! The audit as text: one line per finding, then a count.

use std::fmt::Write;

use super::VerifyReport;
use crate::lang::Lang;

/// Renders the report in English (the form scripts and older tests read).
pub fn render(r: &VerifyReport) -> String {
    render_in(r, Lang::En)
}

/// Renders the report in `lang`. Each violation is one line: rule id, message, offending
/// rows, source. Rule ids, file names and JSON keys stay as written in every language.
pub fn render_in(r: &VerifyReport, lang: Lang) -> String {
    let mut out = String::new();
    for v in &r.violations {
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "{} {} —— 涉及：{} —— 依据：{}",
                v.rule,
                v.message_zh,
                v.rows
                    .iter()
                    .map(|r| row_zh(r))
                    .collect::<Vec<_>>()
                    .join("，"),
                v.source
            ),
            Lang::En => writeln!(
                out,
                "{} {} — rows: {} — source: {}",
                v.rule,
                v.message,
                v.rows.join(", "),
                v.source
            ),
        };
    }
    for m in &r.metric_mismatches {
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "METRIC summary.json {}：汇总记为 {}，重算为 {}",
                m.key, m.summary, m.recomputed
            ),
            Lang::En => writeln!(
                out,
                "METRIC summary.json {}: summary says {}, recomputed {}",
                m.key, m.summary, m.recomputed
            ),
        };
    }
    let files = r.audited.join(", ");
    let _ = match (lang, r.is_ok()) {
        (Lang::Zh, true) => writeln!(
            out,
            "方案核查通过：{files} 符合全部规则；summary.json 的 {} 项数字与重算一致",
            r.metrics_checked
        ),
        (Lang::Zh, false) => writeln!(
            out,
            "方案核查未通过：{} 处违规，summary.json 核对 {} 项数字中 {} 项不符（已核查 {files}）",
            r.violations.len(),
            r.metrics_checked,
            r.metric_mismatches.len()
        ),
        (Lang::En, true) => writeln!(
            out,
            "plan ok: {files} keep every rule; {} summary figures agree",
            r.metrics_checked
        ),
        (Lang::En, false) => writeln!(
            out,
            "{} violation(s), {} summary mismatch(es) of {} figures checked (audited {files})",
            r.violations.len(),
            r.metric_mismatches.len(),
            r.metrics_checked
        ),
    };
    out
}

/// A row label in Chinese: the track and group names that stand for no single row get their
/// Chinese word; file rows (`moves.csv:3 (…)`) stay as written.
fn row_zh(row: &str) -> String {
    if let Some(name) = row.strip_prefix("track ") {
        format!("序列 {name}")
    } else if let Some(id) = row.strip_prefix("group ") {
        format!("集团 {id}")
    } else {
        row.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Violation;

    #[test]
    fn a_violation_prints_in_either_language() {
        let r = VerifyReport {
            violations: vec![Violation {
                rule: "G4",
                message: "township `T4` is split".into(),
                message_zh: "乡镇 `T4` 被拆分".into(),
                rows: vec!["group g-1".into(), "groups.csv:3 (g-1 S2)".into()],
                source: "000",
            }],
            audited: vec!["groups.csv"],
            ..VerifyReport::default()
        };
        let zh = render_in(&r, Lang::Zh);
        assert!(
            zh.starts_with(
                "G4 乡镇 `T4` 被拆分 —— 涉及：集团 g-1，groups.csv:3 (g-1 S2) —— 依据：000\n"
            ),
            "{zh}"
        );
        assert!(zh.contains("方案核查未通过：1 处违规"), "{zh}");
        let en = render(&r);
        assert!(
            en.starts_with(
                "G4 township `T4` is split — rows: group g-1, groups.csv:3 (g-1 S2) — source: 000\n"
            ),
            "{en}"
        );
    }
}
