//! Every headline indicator before and after the plan, with the ones that get worse flagged:
//! a plan that closes shortages can still widen a gap between schools, and the planner must
//! see that before the bureau does.

use serde_json::{Map, Value};

use super::html::esc;
use super::i18n::{Key, Lang, fill};
use super::measures::{CV_MEASURES, CV_THRESHOLD_MIDDLE, CV_THRESHOLD_PRIMARY};
use super::tables::{Cell, fmt_num, table};

/// Which way is better for an indicator.
#[derive(Clone, Copy)]
enum Better {
    Lower,
    Higher,
}

/// One indicator: label, value before, value after, which way is better.
struct Row {
    label: String,
    before: f64,
    after: f64,
    better: Better,
}

impl Row {
    /// -1 worse, 0 unchanged, 1 better.
    fn verdict(&self) -> i8 {
        let d = self.after - self.before;
        if d.abs() < 1e-9 {
            return 0;
        }
        match (self.better, d > 0.0) {
            (Better::Lower, true) | (Better::Higher, false) => -1,
            _ => 1,
        }
    }
}

fn at<'a>(m: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(m.get(*first)?, |v, k| v.get(*k))
}

fn pair(m: &Map<String, Value>, path: &[&str], before: &str, after: &str) -> Option<(f64, f64)> {
    let mut b = path.to_vec();
    b.push(before);
    let mut a = path.to_vec();
    a.push(after);
    Some((at(m, &b)?.as_f64()?, at(m, &a)?.as_f64()?))
}

fn rows(figures: &Map<String, Value>, lang: Lang) -> Vec<Row> {
    let mut out = Vec::new();
    if let (Some(b), Some(a)) = (
        figures.get("shortage_before").and_then(Value::as_f64),
        figures.get("shortage_after").and_then(Value::as_f64),
    ) {
        out.push(Row {
            label: Key::IndicatorShortage.text(lang).to_string(),
            before: b,
            after: a,
            better: Better::Lower,
        });
    }
    let measure_name = |i: usize| match i {
        0 => Key::CvKey,
        1 => Key::CvPeArts,
        _ => Key::CvQualified,
    };
    for (stage, stage_key, threshold) in [
        ("primary", Key::StagePrimary, CV_THRESHOLD_PRIMARY),
        ("middle", Key::StageMiddle, CV_THRESHOLD_MIDDLE),
    ] {
        for (i, (cv_key, floor_key, fp, fm)) in CV_MEASURES.iter().enumerate() {
            let name = measure_name(i).text(lang);
            let st = stage_key.text(lang);
            if let Some((b, a)) = pair(figures, &[cv_key, stage], "before", "after") {
                out.push(Row {
                    label: fill(lang, Key::IndicatorCv, &[st, name, &fmt_num(threshold)]),
                    before: b,
                    after: a,
                    better: Better::Lower,
                });
            }
            let floor = if stage == "primary" { *fp } else { *fm };
            if let Some((b, a)) = pair(
                figures,
                &["floors", stage, floor_key],
                "meet_before",
                "meet_after",
            ) {
                out.push(Row {
                    label: fill(lang, Key::IndicatorFloor, &[st, name, &fmt_num(floor)]),
                    before: b,
                    after: a,
                    better: Better::Higher,
                });
            }
        }
    }
    out
}

/// The indicator table; a line above it counts the indicators that get worse.
pub fn render(figures: &Map<String, Value>, lang: Lang) -> String {
    let rows = rows(figures, lang);
    if rows.is_empty() {
        return format!("<p class=\"note\">{}</p>", esc(Key::NoData.text(lang)));
    }
    let worse = rows.iter().filter(|r| r.verdict() < 0).count();
    let mut s = if worse > 0 {
        format!(
            "<p class=\"worse-note\">▲ {}</p>",
            esc(&fill(lang, Key::WorseCount, &[&worse.to_string()]))
        )
    } else {
        format!("<p>{}</p>", esc(Key::NoneWorse.text(lang)))
    };
    let cells: Vec<(&str, Vec<Cell>)> = rows
        .iter()
        .map(|r| {
            let (class, word) = match r.verdict() {
                -1 => ("indicator worse", format!("▲ {}", Key::Worse.text(lang))),
                1 => ("indicator", Key::Better.text(lang).to_string()),
                _ => ("indicator", Key::Unchanged.text(lang).to_string()),
            };
            let d = r.after - r.before;
            let sign = if d > 0.0 { "+" } else { "" };
            (
                class,
                vec![
                    Cell::text(&r.label),
                    Cell::num(r.before),
                    Cell::num(r.after),
                    Cell::text(&format!("{sign}{}", fmt_num(d))),
                    Cell::text(&word),
                ],
            )
        })
        .collect();
    s.push_str(&table(
        Some("indicators"),
        false,
        &[
            (Key::Indicator, false),
            (Key::BeforeCol, true),
            (Key::AfterCol, true),
            (Key::Change, true),
            (Key::Verdict, false),
        ],
        &cells,
        lang,
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wider_cv_and_fewer_schools_at_the_floor_are_flagged() {
        let figures: Map<String, Value> = serde_json::from_str(
            r#"{"shortage_before": 10, "shortage_after": 4,
                "cv_key_per_100_students": {"primary": {"before": 0.3, "after": 0.35}},
                "floors": {"primary": {"key_per_100_students": {"meet_before": 5, "meet_after": 4}}}}"#,
        )
        .expect("json");
        let r = rows(&figures, Lang::Zh);
        let verdicts: Vec<i8> = r.iter().map(Row::verdict).collect();
        assert_eq!(verdicts, [1, -1, -1]);
        let html = render(&figures, Lang::Zh);
        assert_eq!(html.matches("<tr class=\"indicator worse\">").count(), 2);
        assert!(html.contains("2 项指标变差"), "{html}");
    }
}
