//! Bar charts as inline SVG: shortage by subject, the 2017 coefficients of variation against
//! their thresholds, and the schools meeting each floor.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::html::esc;
use super::i18n::{Key, Lang, fill, subject_name};
use super::measures::{CV_MEASURES, CV_THRESHOLD_MIDDLE, CV_THRESHOLD_PRIMARY};

/// One bar chart row: a label and a (before, after) pair; `None` is "no data".
pub struct Row {
    pub label: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Drawn after the value, e.g. "12 / 30"; the value itself when empty.
    pub note: Option<(String, String)>,
}

const WIDTH: f64 = 720.0;
const BAR_H: f64 = 13.0;

/// Rough rendered width of a label at 12px: CJK characters are square, Latin ones narrower.
fn label_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 6.8 } else { 12.5 })
        .sum()
}

/// Horizontal before/after bars. With a `threshold`, a dashed line marks it and an "after"
/// bar beyond it is drawn in red.
pub fn bars(
    title: &str,
    rows: &[Row],
    lang: Lang,
    threshold: Option<f64>,
    max: Option<f64>,
    digits: usize,
) -> String {
    let data_max = rows
        .iter()
        .flat_map(|r| [r.before, r.after])
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let scale_max = max
        .unwrap_or(0.0)
        .max(data_max)
        .max(threshold.unwrap_or(0.0) * 1.1)
        .max(1e-9);
    let longest = rows
        .iter()
        .map(|r| label_width(&r.label))
        .fold(0.0, f64::max);
    let label_w = (longest + 14.0).clamp(110.0, 380.0);
    let bar_w = WIDTH - label_w - 80.0;
    let row_h = 2.0 * BAR_H + 12.0;
    let top = 26.0;
    let height = top + row_h * rows.len() as f64 + 26.0;
    let x = |v: f64| label_w + (v / scale_max).clamp(0.0, 1.0) * bar_w;
    let mut s = format!(
        "<div class=\"chart\"><h3>{}</h3><svg viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\">",
        esc(title)
    );
    // Legend.
    let _ = write!(
        s,
        "<rect class=\"bar-before\" x=\"{label_w:.0}\" y=\"4\" width=\"12\" height=\"10\"/><text x=\"{:.0}\" y=\"13\">{}</text>\
<rect class=\"bar-after\" x=\"{:.0}\" y=\"4\" width=\"12\" height=\"10\"/><text x=\"{:.0}\" y=\"13\">{}</text>",
        label_w + 16.0,
        esc(Key::Before.text(lang)),
        label_w + 110.0,
        label_w + 126.0,
        esc(Key::After.text(lang)),
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + BAR_H + 4.0,
            esc(&r.label)
        );
        for (j, (v, class)) in [(r.before, "bar-before"), (r.after, "bar-after")]
            .into_iter()
            .enumerate()
        {
            let by = y + j as f64 * BAR_H;
            let note = r
                .note
                .as_ref()
                .map(|(b, a)| if j == 0 { b.clone() } else { a.clone() });
            match v.filter(|v| v.is_finite()) {
                Some(v) => {
                    let over = j == 1 && threshold.is_some_and(|t| v > t + 1e-12);
                    let class = if over { "bar-after over" } else { class };
                    let _ = write!(
                        s,
                        "<rect class=\"{class}\" x=\"{label_w:.1}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                        x(v) - label_w,
                        BAR_H - 1.0,
                        x(v) + 4.0,
                        by + BAR_H - 2.5,
                        esc(&note.unwrap_or_else(|| format!("{v:.digits$}")))
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        "<text x=\"{:.1}\" y=\"{:.1}\" class=\"note\">{}</text>",
                        label_w + 4.0,
                        by + BAR_H - 2.5,
                        esc(Key::NoData.text(lang))
                    );
                }
            }
        }
    }
    if let Some(t) = threshold {
        let tx = x(t);
        let _ = write!(
            s,
            "<line class=\"threshold\" x1=\"{tx:.1}\" y1=\"{:.0}\" x2=\"{tx:.1}\" y2=\"{:.0}\"/>\
<text x=\"{tx:.1}\" y=\"{:.0}\" text-anchor=\"middle\">{} {t:.2}</text>",
            top - 4.0,
            height - 18.0,
            height - 5.0,
            esc(Key::Threshold.text(lang))
        );
    }
    s.push_str("</svg></div>");
    s
}

fn get<'a>(m: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut v = m.get(*first)?;
    for k in rest {
        v = v.get(*k)?;
    }
    Some(v)
}

fn f(m: &Map<String, Value>, path: &[&str]) -> Option<f64> {
    get(m, path).and_then(Value::as_f64)
}

/// All charts, from the completed summary (see [`super::measures::completed`]).
pub fn render(figures: &Map<String, Value>, shortage_computed: bool, lang: Lang) -> String {
    let mut out = String::from("<div class=\"charts\">");
    // Shortage by subject.
    let mut rows: Vec<Row> = get(figures, &["shortage_by_subject"])
        .and_then(Value::as_object)
        .map(|by| {
            by.iter()
                .map(|(subject, v)| Row {
                    label: subject_name(lang, subject),
                    before: v.get("before").and_then(Value::as_f64),
                    after: v.get("after").and_then(Value::as_f64),
                    note: None,
                })
                .collect()
        })
        .unwrap_or_default();
    // Subjects with no gap either side are noise; the largest gap comes first.
    rows.retain(|r| r.before.unwrap_or(0.0) > 0.0 || r.after.unwrap_or(0.0) > 0.0);
    rows.sort_by(|a, b| {
        let k = |r: &Row| r.before.unwrap_or(0.0).max(r.after.unwrap_or(0.0));
        k(b).total_cmp(&k(a))
    });
    let mut title = Key::ShortageBySubject.text(lang).to_string();
    if shortage_computed {
        title = format!("{title} · {}", Key::ShortageComputed.text(lang));
    }
    out.push_str(&bars(&title, &rows, lang, None, None, 0));

    let labels = [Key::CvKey, Key::CvPeArts, Key::CvQualified];
    for (stage, threshold) in [
        ("primary", CV_THRESHOLD_PRIMARY),
        ("middle", CV_THRESHOLD_MIDDLE),
    ] {
        let rows: Vec<Row> = CV_MEASURES
            .iter()
            .zip(labels)
            .map(|((key, ..), label)| Row {
                label: label.text(lang).to_string(),
                before: f(figures, &[key, stage, "before"]),
                after: f(figures, &[key, stage, "after"]),
                note: None,
            })
            .collect();
        let title = fill(
            lang,
            Key::CvTitle,
            &[
                &super::i18n::stage_name(lang, stage),
                &format!("{threshold:.2}"),
            ],
        );
        out.push_str(&bars(&title, &rows, lang, Some(threshold), None, 3));
    }

    let mut rows = Vec::new();
    let mut most = 0.0f64;
    for stage in ["primary", "middle"] {
        for ((_, floor_key, ..), label) in CV_MEASURES.iter().zip(labels) {
            let at = |leaf: &str| f(figures, &["floors", stage, floor_key, leaf]);
            let (n, floor) = (at("schools"), at("floor"));
            let (b, a) = (at("meet_before"), at("meet_after"));
            most = most.max(n.unwrap_or(0.0));
            let of = |v: Option<f64>| match (v, n) {
                (Some(v), Some(n)) => format!("{v:.0} / {n:.0}"),
                (Some(v), None) => format!("{v:.0}"),
                _ => String::new(),
            };
            rows.push(Row {
                label: fill(
                    lang,
                    Key::FloorLabel,
                    &[
                        &super::i18n::stage_name(lang, stage),
                        label.text(lang),
                        &floor.map_or_else(String::new, |x| format!("{x}")),
                    ],
                ),
                before: b,
                after: a,
                note: Some((of(b), of(a))),
            });
        }
    }
    out.push_str(&bars(
        Key::FloorsTitle.text(lang),
        &rows,
        lang,
        None,
        Some(most),
        0,
    ));
    out.push_str("</div>");
    out
}
