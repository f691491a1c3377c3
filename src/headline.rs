//! The few numbers a planner compares across runs, read from a plan's `summary.json`.
//! Scenario, simulation and batch tables are built from these.

use serde_json::Value;

use crate::io::summary::Summary;

pub const CV_KEYS: [&str; 3] = [
    "cv_key_per_100_students",
    "cv_pe_arts_per_100_students",
    "cv_qualified_per_100_students",
];
pub const LEVELS: [&str; 2] = ["primary", "middle"];

/// Headline figures of one plan; `None` where the step did not run or failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    /// Weakest status over the steps that ran (`optimal`, `feasible`, …).
    pub status: String,
    /// Largest gap over every step and level.
    pub gap: Option<f64>,
    pub shortage_before: Option<f64>,
    pub shortage_after: Option<f64>,
    pub transfers: Option<f64>,
    pub exchanges: Option<f64>,
    pub moves: Option<f64>,
    /// Highest share of a group's cap used.
    pub max_cap_used: Option<f64>,
    /// (metric, level) → CV after the moves, in CV_KEYS × LEVELS order.
    pub cv_after: Vec<Option<f64>>,
    /// Schools meeting each 2017 floor after the moves, summed over floors and levels.
    pub floors_met: Option<f64>,
    /// Total CV excess E after the moves (summary `indicators.excess_after`).
    pub cv_excess: Option<f64>,
    /// Total km moved (the rotation step's `km` level).
    pub km: Option<f64>,
    pub seconds: f64,
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

fn status_rank(s: &str) -> u8 {
    match s {
        "optimal" => 0,
        "feasible" => 1,
        "time_limit" => 2,
        _ => 3,
    }
}

impl Headline {
    pub fn from_summary(s: &Summary) -> Headline {
        let root = Value::Object(s.root.clone());
        let mut status: Option<String> = None;
        let mut gap: Option<f64> = None;
        let mut seconds = 0.0;
        for step in ["groups", "pairing", "rotation"] {
            let Some(block) = root.get(step) else {
                continue;
            };
            if let Some(st) = block.get("status").and_then(Value::as_str)
                && status
                    .as_deref()
                    .is_none_or(|cur| status_rank(st) > status_rank(cur))
            {
                status = Some(st.to_string());
            }
            let gaps: Vec<f64> = match block.get("gap") {
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_f64).collect(),
                Some(v) => v.as_f64().into_iter().collect(),
                None => Vec::new(),
            };
            for g in gaps {
                gap = Some(gap.map_or(g, |x: f64| x.max(g)));
            }
            seconds += num(block.get("seconds")).unwrap_or(0.0);
        }
        let moves = root.get("moves");
        let max_cap_used = moves
            .and_then(|m| m.get("per_group"))
            .and_then(Value::as_object)
            .and_then(|groups| {
                groups
                    .values()
                    .filter_map(|g| num(g.get("used_share")))
                    .reduce(f64::max)
            });
        let mut cv_after = Vec::new();
        for key in CV_KEYS {
            for level in LEVELS {
                cv_after.push(num(root.pointer(&format!("/{key}/{level}/after"))));
            }
        }
        let floors_met = root.get("floors").and_then(Value::as_object).map(|levels| {
            levels
                .values()
                .filter_map(Value::as_object)
                .flat_map(|m| m.values())
                .filter_map(|f| num(f.get("meet_after")))
                .sum()
        });
        let rotation = root.get("rotation");
        let km = rotation.and_then(|r| {
            let names = r.get("levels")?.as_array()?;
            let i = names.iter().position(|n| n.as_str() == Some("km"))?;
            num(r.get("objective")?.get(i))
        });
        Headline {
            status: status.unwrap_or_else(|| "not_run".into()),
            gap,
            shortage_before: num(root.get("shortage_before")),
            shortage_after: num(root.get("shortage_after")),
            transfers: moves.and_then(|m| num(m.get("transfer"))),
            exchanges: moves.and_then(|m| num(m.get("exchange"))),
            moves: moves.and_then(|m| num(m.get("total"))),
            max_cap_used,
            cv_after,
            floors_met,
            cv_excess: num(root.pointer("/indicators/excess_after")),
            km,
            seconds,
        }
    }

    /// Column names matching [`Headline::cells`].
    pub fn columns() -> Vec<String> {
        let mut c: Vec<String> = [
            "status",
            "gap",
            "shortage_before",
            "shortage_after",
            "transfers",
            "exchanges",
            "moves",
            "max_cap_used",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for key in CV_KEYS {
            for level in LEVELS {
                c.push(format!(
                    "{}_{level}_after",
                    key.trim_end_matches("_per_100_students")
                ));
            }
        }
        c.push("floors_met".into());
        c.push("cv_excess".into());
        c.push("km".into());
        c.push("seconds".into());
        c
    }

    /// The numeric values in column order (status excluded), for deltas.
    pub fn numbers(&self) -> Vec<Option<f64>> {
        let mut v = vec![
            self.gap,
            self.shortage_before,
            self.shortage_after,
            self.transfers,
            self.exchanges,
            self.moves,
            self.max_cap_used,
        ];
        // A run that failed has no CVs; keep the columns aligned.
        v.extend(
            (0..CV_KEYS.len() * LEVELS.len()).map(|i| self.cv_after.get(i).copied().flatten()),
        );
        v.push(self.floors_met);
        v.push(self.cv_excess);
        v.push(self.km);
        v.push(Some(self.seconds));
        v
    }

    pub fn cells(&self) -> Vec<String> {
        let mut c = vec![self.status.clone()];
        c.extend(self.numbers().into_iter().map(fmt_num));
        c
    }
}

/// A number for a table: up to 4 decimals, trailing zeros dropped; empty when missing.
pub fn fmt_num(x: Option<f64>) -> String {
    match x {
        None => String::new(),
        Some(v) if !v.is_finite() => "inf".into(),
        Some(v) => {
            let s = format!("{:.4}", v);
            let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
            if s == "-0" { "0".into() } else { s }
        }
    }
}

/// Signed change from the base, formatted; empty when either side is missing.
pub fn fmt_delta(x: Option<f64>, base: Option<f64>) -> String {
    match (x, base) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() => {
            let d = a - b;
            if d.abs() < 5e-5 {
                "0".into()
            } else if d > 0.0 {
                format!("+{}", fmt_num(Some(d)))
            } else {
                fmt_num(Some(d))
            }
        }
        _ => String::new(),
    }
}

/// Renders rows as a Markdown table.
pub fn markdown_table(header: &[String], rows: &[Vec<String>]) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        header
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_layout() {
        let json = r#"{
          "groups": {"status": "optimal", "objective": 1, "bound": 1, "gap": 0, "seconds": 1.5},
          "rotation": {"status": "feasible", "objective": [1,2], "bound": [1,1], "gap": [0, 0.5], "seconds": 2},
          "shortage_before": 10, "shortage_after": 4,
          "moves": {"transfer": 3, "exchange": 2, "total": 5, "per_group": {"g-1": {"used_share": 0.5}, "g-2": {"used_share": 1.0}}},
          "cv_key_per_100_students": {"primary": {"before": 0.6, "after": 0.4}, "middle": {"before": 0.5, "after": 0.3}},
          "floors": {"primary": {"key_per_100_students": {"meet_after": 7}}, "middle": {"key_per_100_students": {"meet_after": 2}}}
        }"#;
        let root = match serde_json::from_str::<Value>(json).expect("json") {
            Value::Object(m) => m,
            _ => unreachable!("object literal"),
        };
        let h = Headline::from_summary(&Summary { root });
        assert_eq!(h.status, "feasible");
        assert_eq!(h.gap, Some(0.5));
        assert_eq!(h.shortage_after, Some(4.0));
        assert_eq!(h.moves, Some(5.0));
        assert_eq!(h.max_cap_used, Some(1.0));
        assert_eq!(h.cv_after[0], Some(0.4));
        assert_eq!(h.cv_after[1], Some(0.3));
        assert_eq!(h.floors_met, Some(9.0));
        assert_eq!(h.seconds, 3.5);
        assert_eq!(Headline::columns().len(), h.cells().len());
    }

    #[test]
    fn deltas_are_signed() {
        assert_eq!(fmt_delta(Some(3.0), Some(5.0)), "-2");
        assert_eq!(fmt_delta(Some(5.5), Some(5.0)), "+0.5");
        assert_eq!(fmt_delta(None, Some(5.0)), "");
    }
}
