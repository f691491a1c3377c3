//! `compare-pairing`: run every policy on the same problem, score each draw with
//! [`score::score`], and lay the results side by side with a verdict per metric.

use std::fmt::Write as _;
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::policies::ComparedPolicy;
use super::problem::PairingProblem;
use super::score::{self, Better, METRICS};
use crate::error::Result;
use crate::io::summary::num;

const N: usize = METRICS.len();

/// One policy's row of the table.
#[derive(Debug, Clone)]
pub struct PolicyScore {
    pub key: String,
    pub description: String,
    pub draws: usize,
    /// Mean over draws of each metric in [`METRICS`] order (NaN where undefined).
    pub mean: [f64; N],
    /// Sample standard deviation over draws, when there are several.
    pub sd: Option<[f64; N]>,
    /// Every draw keeps P1–P3.
    pub rule_abiding: bool,
    pub seconds: f64,
    pub note: Option<String>,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub scores: Vec<PolicyScore>,
    /// One line describing the problem (level, slots, helpers, rules).
    pub setting: String,
}

/// Runs and scores each policy in order.
pub fn run(p: &PairingProblem, policies: &[Box<dyn ComparedPolicy>]) -> Result<Comparison> {
    let mut scores = Vec::new();
    for policy in policies {
        let started = Instant::now();
        let out = policy.run(p)?;
        let seconds = started.elapsed().as_secs_f64();
        let metrics: Vec<score::Metrics> = out
            .draws
            .iter()
            .map(|d| score::score(p, &out.extra_slots, d))
            .collect();
        let (mean, sd) = aggregate(&metrics);
        scores.push(PolicyScore {
            key: policy.key().to_string(),
            description: policy.description(),
            draws: metrics.len(),
            mean,
            sd,
            rule_abiding: metrics.iter().all(score::Metrics::rule_abiding),
            seconds,
            note: out.note,
        });
    }
    let level = match p.level {
        crate::domain::PairingLevel::Group => "group",
        crate::domain::PairingLevel::School => "school",
    };
    let setting = format!(
        "level {level}: {} slots ({} priority, total weight {}), {} helpers, helper_capacity {}, min_quality_gap {}",
        p.slots.len(),
        p.slots.iter().filter(|s| s.priority).count(),
        super::explain::fmt(p.total_weight()),
        p.helpers.len(),
        p.capacity,
        super::explain::fmt(p.min_gap)
    );
    Ok(Comparison { scores, setting })
}

fn aggregate(metrics: &[score::Metrics]) -> ([f64; N], Option<[f64; N]>) {
    let values: Vec<[f64; N]> = metrics.iter().map(score::Metrics::values).collect();
    let mut mean = [f64::NAN; N];
    let mut sd = [f64::NAN; N];
    for k in 0..N {
        let xs: Vec<f64> = values
            .iter()
            .map(|v| v[k])
            .filter(|x| x.is_finite())
            .collect();
        if xs.is_empty() {
            continue;
        }
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        mean[k] = m;
        if xs.len() > 1 {
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
            sd[k] = var.sqrt();
        } else {
            sd[k] = 0.0;
        }
    }
    (mean, (metrics.len() > 1).then_some(sd))
}

/// A value for the tables: fixed decimals, "n/a" when undefined.
fn cell(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let s = format!("{x:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

impl Comparison {
    /// `comparison.csv` header: policy, draws, each metric and its sd, rule_abiding, seconds.
    pub fn csv_header(&self) -> Vec<String> {
        let mut h = vec!["policy".to_string(), "draws".to_string()];
        for m in &METRICS {
            h.push(m.key.to_string());
            h.push(format!("{}_sd", m.key));
        }
        h.push("rule_abiding".into());
        h.push("seconds".into());
        h
    }

    /// `comparison.csv` rows, one per policy; sd cells are empty for a single draw.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        self.scores
            .iter()
            .map(|s| {
                let mut r = vec![s.key.clone(), s.draws.to_string()];
                for (k, m) in METRICS.iter().enumerate() {
                    let d = if s.sd.is_some() || m.decimals > 0 {
                        4
                    } else {
                        0
                    };
                    r.push(cell(s.mean[k], d));
                    r.push(s.sd.map_or(String::new(), |sd| cell(sd[k], 4)));
                }
                r.push(s.rule_abiding.to_string());
                r.push(format!("{:.3}", s.seconds));
                r
            })
            .collect()
    }

    /// One line per judged metric naming the best policy (ties named together). Coverage,
    /// distance and quality are judged among rule-abiding policies only: breaking P2 or P3
    /// can buy coverage or km.
    pub fn verdicts(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (k, m) in METRICS.iter().enumerate() {
            let Some(better) = m.better else { continue };
            let pool: Vec<&PolicyScore> = self
                .scores
                .iter()
                .filter(|s| !m.rule_abiding_only || s.rule_abiding)
                .filter(|s| s.mean[k].is_finite())
                .collect();
            let scope = if m.rule_abiding_only {
                " among rule-abiding policies"
            } else {
                ""
            };
            let direction = match better {
                Better::Higher => "higher",
                Better::Lower => "lower",
            };
            let best = pool.iter().map(|s| s.mean[k]).reduce(|a, b| match better {
                Better::Higher => a.max(b),
                Better::Lower => a.min(b),
            });
            let Some(best) = best else {
                lines.push(format!("- {}: no policy to judge{scope}", m.label));
                continue;
            };
            let tol = 1e-6 * best.abs().max(1.0);
            let winners: Vec<&str> = pool
                .iter()
                .filter(|s| (s.mean[k] - best).abs() <= tol)
                .map(|s| s.key.as_str())
                .collect();
            lines.push(format!(
                "- {}: best{scope} is {} ({}; {direction} is better)",
                m.label,
                winners.join(" = "),
                cell(best, m.decimals)
            ));
        }
        if let Some(fast) = self
            .scores
            .iter()
            .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        {
            lines.push(format!(
                "- time: fastest is {} ({:.3} s; timings vary from run to run)",
                fast.key, fast.seconds
            ));
        }
        lines
    }

    /// `comparison.md`: the table (metrics down, policies across), what each policy does,
    /// and the verdicts.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Pairing policies compared\n");
        let _ = writeln!(md, "{}.\n", self.setting);
        let _ = writeln!(
            md,
            "Helper km: from the helper to the group's core (school level: to the school). \
             Slot quality: the group's mean quality (school level: the school's own).\n"
        );
        let mut head = String::from("| metric |");
        let mut rule = String::from("|---|");
        for s in &self.scores {
            if s.draws > 1 {
                let _ = write!(head, " {} ({} draws) |", s.key, s.draws);
            } else {
                let _ = write!(head, " {} |", s.key);
            }
            rule.push_str("---:|");
        }
        let _ = writeln!(md, "{head}\n{rule}");
        for (k, m) in METRICS.iter().enumerate() {
            let mut line = format!("| {} |", m.label);
            for s in &self.scores {
                let v = match s.sd {
                    Some(sd) if s.mean[k].is_finite() => {
                        format!("{} ± {}", cell(s.mean[k], 2), cell(sd[k], 2))
                    }
                    _ => cell(s.mean[k], m.decimals),
                };
                let _ = write!(line, " {v} |");
            }
            let _ = writeln!(md, "{line}");
        }
        let mut line = String::from("| time (s) |");
        for s in &self.scores {
            let _ = write!(line, " {:.3} |", s.seconds);
        }
        let _ = writeln!(md, "{line}\n");
        let _ = writeln!(md, "## Policies\n");
        for s in &self.scores {
            let note = s.note.as_ref().map_or(String::new(), |n| format!(" ({n})"));
            let abiding = if s.rule_abiding {
                ""
            } else {
                " **Breaks P1–P3: see the violation rows.**"
            };
            let _ = writeln!(md, "- `{}`: {}{note}.{abiding}", s.key, s.description);
        }
        let _ = writeln!(md, "\n## Verdicts\n");
        for v in self.verdicts() {
            let _ = writeln!(md, "{v}");
        }
        md
    }

    /// The `"compare_pairing"` block of `summary.json`.
    pub fn summary_json(&self) -> Value {
        let mut policies = Map::new();
        for s in &self.scores {
            let mut e = Map::new();
            e.insert("draws".into(), json!(s.draws));
            e.insert("rule_abiding".into(), json!(s.rule_abiding));
            e.insert("seconds".into(), num(s.seconds));
            for (k, m) in METRICS.iter().enumerate() {
                e.insert(m.key.into(), num(s.mean[k]));
                if let Some(sd) = s.sd {
                    e.insert(format!("{}_sd", m.key), num(sd[k]));
                }
            }
            if let Some(n) = &s.note {
                e.insert("note".into(), json!(n));
            }
            policies.insert(s.key.clone(), Value::Object(e));
        }
        json!({ "setting": self.setting, "policies": policies })
    }
}
