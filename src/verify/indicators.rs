//! The `indicators` block and the `cv_excess` level (`[indicators] minimise_cv_excess`):
//! the six CVs before and after with their thresholds, and the total CV excess
//! E = Σ_k max(0, (S_k − c_k·X̄_k) / X̄⁰_k), a term with X̄⁰_k = 0 left out, recomputed here
//! from SPEC's formulas.
//!
//! SPEC fixes the block's content but not its layout, so the audit finds each figure by what
//! its path names: a CV by its measure (`key`, `pe_arts`, `qualified`) and band (`primary`,
//! `middle`) with `before` and `after` inside; E by `excess` (or a key `E`) with `before` and
//! `after`, or as `…excess_before` / `…excess_after` numbers.

use serde_json::Value;

use super::rule::S1;
use super::{Audit, close, fmt_num};

/// One of the six CVs: each school's (value per 100 students, students), before and after.
pub(crate) struct Figure {
    pub measure: &'static str,
    pub band: &'static str,
    pub threshold: f64,
    pub before: Vec<(f64, f64)>,
    pub after: Vec<(f64, f64)>,
}

/// Student-weighted mean X̄ and spread S (2017 evaluation), when there are students.
fn mean_sd(x: &[(f64, f64)]) -> Option<(f64, f64)> {
    let p: f64 = x.iter().map(|(_, w)| w).sum();
    if p <= 0.0 {
        return None;
    }
    let mean: f64 = x.iter().map(|(v, w)| w / p * v).sum();
    let var: f64 = x.iter().map(|(v, w)| w / p * (v - mean).powi(2)).sum();
    Some((mean, var.sqrt()))
}

fn cv(x: &[(f64, f64)]) -> f64 {
    match mean_sd(x) {
        Some((m, s)) if m != 0.0 => s / m,
        _ => f64::NAN,
    }
}

/// A CV's excess term over the threshold, scaled by the mean before any move.
fn excess(x: &[(f64, f64)], c: f64, mean_before: f64) -> f64 {
    if mean_before == 0.0 {
        return 0.0;
    }
    mean_sd(x).map_or(0.0, |(m, s)| ((s - c * m) / mean_before).max(0.0))
}

/// E before and after for the six figures.
pub(crate) fn total_excess(six: &[Figure]) -> (f64, f64) {
    let mut e = (0.0, 0.0);
    for f in six {
        let m0 = mean_sd(&f.before).map_or(0.0, |(m, _)| m);
        e.0 += excess(&f.before, f.threshold, m0);
        e.1 += excess(&f.after, f.threshold, m0);
    }
    e
}

/// Every (path, value) leaf-or-object pair of the block, path keys joined by `.`.
fn walk<'v>(v: &'v Value, path: String, out: &mut Vec<(String, &'v Value)>) {
    out.push((path.clone(), v));
    if let Value::Object(m) = v {
        for (k, x) in m {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            walk(x, p, out);
        }
    }
}

/// Compares the summary's block with the recomputed figures; returns E after the moves.
pub(crate) fn check(a: &mut Audit, six: &[Figure]) -> f64 {
    let (e_before, e_after) = total_excess(six);
    let Some(block) = a.summary_at(&["indicators"]).cloned() else {
        // Its absence is an S1 finding of the summary audit.
        return e_after;
    };
    let mut nodes = Vec::new();
    walk(&block, String::new(), &mut nodes);
    let before_after = |v: &Value| -> Option<(Value, Value)> {
        Some((v.get("before")?.clone(), v.get("after")?.clone()))
    };
    let mut missing = Vec::new();
    for f in six {
        let found = nodes.iter().find_map(|(p, v)| {
            let p = p.to_lowercase();
            (p.contains(f.measure) && p.contains(f.band))
                .then(|| before_after(v).map(|ba| (p.clone(), ba, v.get("threshold").cloned())))
                .flatten()
        });
        let Some((path, (b, af), threshold)) = found else {
            missing.push(format!("the {} {} CV", f.band, f.measure));
            continue;
        };
        for (when, theirs, ours) in [("before", b, cv(&f.before)), ("after", af, cv(&f.after))] {
            figure(a, &format!("indicators.{path}.{when}"), &theirs, ours);
        }
        // Each CV's own excess term, when the block gives it.
        let m0 = mean_sd(&f.before).map_or(0.0, |(m, _)| m);
        let node = nodes
            .iter()
            .find(|(p, _)| p.to_lowercase() == path)
            .map(|(_, v)| *v);
        for (key, x) in [("excess_before", &f.before), ("excess_after", &f.after)] {
            if let Some(theirs) = node.and_then(|v| v.get(key)) {
                figure(
                    a,
                    &format!("indicators.{path}.{key}"),
                    theirs,
                    excess(x, f.threshold, m0),
                );
            }
        }
        if let Some(t) = threshold {
            figure(a, &format!("indicators.{path}.threshold"), &t, f.threshold);
        }
    }
    let e_node = nodes.iter().find_map(|(p, v)| {
        let last = p.rsplit('.').next().unwrap_or("");
        (p.to_lowercase().contains("excess") || last == "E")
            .then(|| before_after(v).map(|ba| (p.clone(), ba)))
            .flatten()
    });
    let e_flat = || {
        // The total is the shallowest such number (each CV may carry its own term deeper).
        let find = |suffix: &str| {
            nodes
                .iter()
                .filter(|(p, v)| {
                    let p2 = p.to_lowercase();
                    p2.contains("excess") && p2.ends_with(suffix) && v.is_number()
                })
                .min_by_key(|(p, _)| p.matches('.').count())
                .map(|(p, v)| (p.clone(), (*v).clone()))
        };
        find("before").zip(find("after"))
    };
    if let Some((path, (b, af))) = e_node {
        figure(a, &format!("indicators.{path}.before"), &b, e_before);
        figure(a, &format!("indicators.{path}.after"), &af, e_after);
    } else if let Some(((pb, b), (pa, af))) = e_flat() {
        figure(a, &format!("indicators.{pb}"), &b, e_before);
        figure(a, &format!("indicators.{pa}"), &af, e_after);
    } else {
        missing.push("E (the total CV excess) before and after".to_string());
    }
    if !missing.is_empty() {
        a.flag(
            S1,
            format!("`indicators` 部分缺少 {}", missing.join("、")),
            format!("the `indicators` block lacks {}", missing.join(", ")),
            vec![crate::io::summary::SUMMARY.to_string()],
        );
    }
    e_after
}

fn figure(a: &mut Audit, path: &str, theirs: &Value, ours: f64) {
    a.report.metrics_checked += 1;
    let same = match theirs {
        Value::Null => !ours.is_finite(),
        Value::Number(n) => n.as_f64().is_some_and(|x| close(x, ours)),
        _ => false,
    };
    if !same {
        a.report.metric_mismatches.push(super::MetricMismatch {
            key: path.to_string(),
            summary: theirs.to_string(),
            recomputed: fmt_num(ours),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excess_is_zero_within_the_threshold_and_scaled_by_the_mean_before() {
        // Values 2 and 4 over 100 and 300 students: X̄ = 3.5, S = sqrt(0.75) ≈ 0.866,
        // CV ≈ 0.247 ≤ 0.5: no excess.
        let x = vec![(2.0, 100.0), (4.0, 300.0)];
        assert_eq!(excess(&x, 0.5, 3.5), 0.0);
        // Values 0 and 4 over equal students: X̄ = 2, S = 2, CV = 1; (2 − 0.45·2) / 4 = 0.275.
        let y = vec![(0.0, 100.0), (4.0, 100.0)];
        assert!((excess(&y, 0.45, 4.0) - 0.275).abs() < 1e-12);
        // A mean of 0 before leaves the term out.
        assert_eq!(excess(&y, 0.45, 0.0), 0.0);
        let six = [Figure {
            measure: "key",
            band: "middle",
            threshold: 0.45,
            before: y.clone(),
            after: x,
        }];
        let (b, af) = total_excess(&six);
        assert!((b - 0.55).abs() < 1e-12 && af == 0.0, "{b} {af}");
    }
}
