//! The county map: one SVG in km coordinates (north up), drawn from the schools' own
//! coordinates — no tiles or basemap are fetched.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::data::{PlanData, Staffing};
use super::html::esc;
use super::i18n::{Key, Lang, stage_name};
use crate::domain::Instance;
use crate::plan::MoveKind;
use crate::words::group_name;

/// Group colours, distinguishable on screen and in print; they repeat past twelve groups.
pub const PALETTE: [&str; 12] = [
    "#1f77b4", "#e6550d", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#637939", "#843c39",
];
const UNGROUPED: &str = "#9aa5b1";
const HELPER: &str = "#ffffff";

pub fn group_colour(g: usize) -> &'static str {
    PALETTE[g % PALETTE.len()]
}

/// The map section's inner HTML, and the hover text of each school keyed by id (exposed to
/// the page's script as `REPORT.schools`).
pub fn render(
    inst: &Instance,
    plan: &PlanData,
    staffing: &Staffing,
    lang: Lang,
) -> (String, Map<String, Value>) {
    let mut tips = Map::new();
    if inst.schools.is_empty() {
        return (
            format!("<p>{}</p>", esc(Key::NoCoordinates.text(lang))),
            tips,
        );
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for s in &inst.schools {
        x0 = x0.min(s.x_km);
        x1 = x1.max(s.x_km);
        y0 = y0.min(s.y_km);
        y1 = y1.max(s.y_km);
    }
    let span = (x1 - x0).max(y1 - y0).max(1.0);
    let pad = span * 0.04;
    let r0 = span / 220.0;
    let max_students = inst
        .schools
        .iter()
        .map(|s| s.students)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let radius =
        |s: usize| r0 * (0.8 + 1.4 * (inst.schools[s].students as f64 / max_students).sqrt());
    let pt = |s: usize| (inst.schools[s].x_km, -inst.schools[s].y_km);

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg id=\"map\" viewBox=\"{:.3} {:.3} {:.3} {:.3}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\">",
        x0 - pad,
        -y1 - pad,
        (x1 - x0) + 2.0 * pad,
        (y1 - y0) + 2.0 * pad
    );
    let head = r0 * 3.2;
    let _ = write!(
        svg,
        "<defs>\
<marker id=\"arrow-t\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"{head:.3}\" markerHeight=\"{head:.3}\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b03a2e\"/></marker>\
<marker id=\"arrow-e\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"{head:.3}\" markerHeight=\"{head:.3}\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6c3483\"/></marker>\
</defs>"
    );

    svg.push_str("<g class=\"pairings\" pointer-events=\"none\">");
    for p in &plan.pairings {
        let Some(h) = inst.school_by_id(&p.helper) else {
            continue;
        };
        let (target, g) = match &p.school {
            Some(s) => (inst.school_by_id(s), plan.group_of(inst, s)),
            None => {
                let g = plan.grouping.group_by_id(&p.group);
                (g.map(|g| plan.grouping.groups[g].core), g)
            }
        };
        let Some(t) = target else { continue };
        let ((ax, ay), (bx, by)) = (pt(h), pt(t));
        let _ = write!(
            svg,
            "<line class=\"pairing\" x1=\"{ax:.3}\" y1=\"{ay:.3}\" x2=\"{bx:.3}\" y2=\"{by:.3}\" stroke=\"{}\" data-stage=\"{}\"/>",
            g.map_or(UNGROUPED, group_colour),
            esc(p.stage.as_str())
        );
    }
    svg.push_str("</g><g class=\"moves\" pointer-events=\"none\">");
    for m in &plan.moves {
        let (Some(a), Some(b)) = (inst.school_by_id(&m.from), inst.school_by_id(&m.to)) else {
            continue;
        };
        if a == b {
            continue;
        }
        let ((ax, ay), (bx, by)) = (pt(a), pt(b));
        let len = (bx - ax).hypot(by - ay).max(1e-9);
        let (ux, uy) = ((bx - ax) / len, (by - ay) / len);
        // Bend each arrow to its right, so a pair of opposite exchanges shows as two arcs.
        let bend = len * 0.12;
        let (cx, cy) = ((ax + bx) / 2.0 - uy * bend, (ay + by) / 2.0 + ux * bend);
        // Stop at the destination's rim so the arrowhead stays visible.
        let cut = radius(b).min(len * 0.4);
        let (dx, dy) = (bx - cx, by - cy);
        let dl = dx.hypot(dy).max(1e-9);
        let (ex, ey) = (bx - dx / dl * cut, by - dy / dl * cut);
        let (class, marker) = match m.kind {
            MoveKind::Transfer => ("transfer", "arrow-t"),
            MoveKind::Exchange => ("exchange", "arrow-e"),
        };
        let _ = write!(
            svg,
            "<path class=\"{class}\" d=\"M{ax:.3},{ay:.3} Q{cx:.3},{cy:.3} {ex:.3},{ey:.3}\" marker-end=\"url(#{marker})\" data-teacher=\"{}\"/>",
            esc(&m.teacher)
        );
    }
    svg.push_str("</g><g class=\"schools\">");
    // Big schools first, so small ones stay on top and can be hovered.
    let mut order: Vec<usize> = (0..inst.schools.len()).collect();
    order.sort_by(|&a, &b| {
        inst.schools[b]
            .students
            .cmp(&inst.schools[a].students)
            .then(a.cmp(&b))
    });
    let mut rings = String::new();
    for s in order {
        let school = &inst.schools[s];
        let g = plan.grouping.school_group.get(s).copied().flatten();
        let fill = match g {
            Some(g) => group_colour(g),
            None if school.helper => HELPER,
            None => UNGROUPED,
        };
        let (x, y) = pt(s);
        let r = radius(s);
        let mut class = String::from("school");
        if school.helper {
            class.push_str(" helper");
        }
        let core = g.is_some_and(|g| plan.grouping.groups[g].core == s);
        if core {
            class.push_str(" core");
            let _ = write!(
                rings,
                "<circle class=\"core-ring\" cx=\"{x:.3}\" cy=\"{y:.3}\" r=\"{:.3}\"/>",
                r * 1.7
            );
        }
        let _ = write!(
            svg,
            "<circle class=\"{class}\" data-id=\"{}\" data-group=\"{}\" cx=\"{x:.3}\" cy=\"{y:.3}\" r=\"{r:.3}\" fill=\"{fill}\"/>",
            esc(&school.id),
            esc(&g
                .map(|g| plan.grouping.groups[g].id.clone())
                .unwrap_or_default()),
        );
        tips.insert(school.id.clone(), tip(inst, plan, staffing, s, lang));
    }
    svg.push_str("</g><g class=\"rings\" pointer-events=\"none\">");
    svg.push_str(&rings);
    svg.push_str("</g>");
    svg.push_str(&labels(inst, r0, span));
    svg.push_str("</svg>");

    let scale_km = nice_length(span / 5.0);
    let mut html = format!(
        "<p class=\"note\">{}</p>{}<div id=\"map-wrap\">{svg}\
<div class=\"map-buttons\"><button type=\"button\" data-zoom=\"in\" aria-label=\"+\">+</button><button type=\"button\" data-zoom=\"out\" aria-label=\"−\">−</button><button type=\"button\" data-zoom=\"reset\" aria-label=\"⟲\">⟲</button></div>\
<div id=\"scale\" data-km=\"{scale_km}\"><span class=\"bar\" style=\"width:{:.1}%\"></span><span class=\"label\">{} km</span></div></div>",
        esc(Key::MapHint.text(lang)),
        legend(inst, plan, lang),
        scale_km / ((x1 - x0) + 2.0 * pad) * 100.0,
        super::tables::fmt_num(scale_km),
    );
    if let Some(line) = super::settings::brief(&plan.summary, lang) {
        let _ = write!(
            html,
            "<p class=\"note map-policy\">{}</p>",
            esc(&super::i18n::fill(lang, Key::MapPolicy, &[&line]))
        );
    }
    html.push('\n');
    (html, tips)
}

/// The hover lines of one school.
fn tip(inst: &Instance, plan: &PlanData, staffing: &Staffing, s: usize, lang: Lang) -> Value {
    let school = &inst.schools[s];
    let g = plan.grouping.school_group.get(s).copied().flatten();
    let (before, after) = staffing.headcount(s);
    let mut lines = vec![
        format!("{} ({})", school.name, school.id),
        format!(
            "{}: {}",
            Key::TipStage.text(lang),
            stage_name(lang, school.stage.as_str())
        ),
        format!("{}: {}", Key::TipStudents.text(lang), school.students),
        format!("{}: {}", Key::TipQuality.text(lang), school.quality),
    ];
    match g {
        Some(g) => {
            let group = &plan.grouping.groups[g];
            let core = if group.core == s {
                format!(" · {}", Key::LegendCore.text(lang))
            } else {
                String::new()
            };
            lines.push(format!(
                "{}: {} ({}){core}",
                Key::TipGroup.text(lang),
                group_name(inst, &plan.grouping, g, lang),
                group.id
            ));
        }
        None if school.helper => lines.push(Key::TipHelper.text(lang).to_string()),
        None => lines.push(format!(
            "{}: {}",
            Key::TipGroup.text(lang),
            Key::LegendUngrouped.text(lang)
        )),
    }
    lines.push(format!(
        "{}: {before} → {after}",
        Key::TipTeachers.text(lang)
    ));
    Value::Array(lines.into_iter().map(Value::String).collect())
}

fn legend(inst: &Instance, plan: &PlanData, lang: Lang) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for (g, group) in plan.grouping.groups.iter().enumerate() {
        let _ = write!(
            out,
            "<span><i class=\"swatch\" style=\"background:{}\"></i>{} <span class=\"note\">{}</span></span>",
            group_colour(g),
            esc(&group_name(inst, &plan.grouping, g, lang)),
            esc(&group.id)
        );
    }
    out.push_str("</div><div class=\"legend\">");
    let line = |style: &str| {
        format!(
            "<svg width=\"34\" height=\"10\"><line x1=\"1\" y1=\"5\" x2=\"33\" y2=\"5\" {style}/></svg>"
        )
    };
    let items = [
        (
            "<svg width=\"16\" height=\"16\"><circle cx=\"8\" cy=\"8\" r=\"4\" fill=\"#888\"/><circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"none\" stroke=\"#111\" stroke-width=\"1.5\"/></svg>".to_string(),
            Key::LegendCore,
        ),
        (
            "<svg width=\"16\" height=\"16\"><circle cx=\"8\" cy=\"8\" r=\"5\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"2\"/></svg>".to_string(),
            Key::LegendHelper,
        ),
        (
            format!("<svg width=\"16\" height=\"16\"><circle cx=\"8\" cy=\"8\" r=\"5\" fill=\"{UNGROUPED}\"/></svg>"),
            Key::LegendUngrouped,
        ),
        (line("stroke=\"#555\" stroke-width=\"1.5\" stroke-opacity=\".6\""), Key::LegendPairing),
        (line("stroke=\"#b03a2e\" stroke-width=\"2\""), Key::LegendTransfer),
        (
            line("stroke=\"#6c3483\" stroke-width=\"2\" stroke-dasharray=\"5 3\""),
            Key::LegendExchange,
        ),
    ];
    for (sym, key) in items {
        let _ = write!(out, "<span>{sym} {}</span>", esc(key.text(lang)));
    }
    out.push_str("</div>");
    out
}

/// Township names (always shown, at the middle of their schools) and school names (shown by
/// the page's script once the map is zoomed in, so the county view stays readable).
fn labels(inst: &Instance, r0: f64, span: f64) -> String {
    let mut out = String::from("<g class=\"township-labels\" pointer-events=\"none\">");
    let size = span / 55.0;
    for (t, township) in inst.townships.iter().enumerate() {
        let here: Vec<(f64, f64)> = inst
            .schools
            .iter()
            .filter(|s| s.township == t)
            .map(|s| (s.x_km, s.y_km))
            .collect();
        let (x, y) = if here.is_empty() {
            (township.x_km, township.y_km)
        } else {
            let n = here.len() as f64;
            (
                here.iter().map(|p| p.0).sum::<f64>() / n,
                here.iter().map(|p| p.1).sum::<f64>() / n,
            )
        };
        if township.name.trim().is_empty() || !x.is_finite() || !y.is_finite() {
            continue;
        }
        let _ = write!(
            out,
            "<text class=\"township-label\" x=\"{x:.3}\" y=\"{:.3}\" font-size=\"{size:.3}\" stroke-width=\"{:.3}\">{}</text>",
            -y,
            size / 5.0,
            esc(&township.name)
        );
    }
    out.push_str("</g><g class=\"school-labels\" pointer-events=\"none\">");
    let size = r0 * 2.4;
    for s in &inst.schools {
        let _ = write!(
            out,
            "<text class=\"school-label\" x=\"{:.3}\" y=\"{:.3}\" font-size=\"{size:.3}\" stroke-width=\"{:.3}\">{}</text>",
            s.x_km + r0 * 2.2,
            -s.y_km + size * 0.35,
            size / 5.0,
            esc(&s.name)
        );
    }
    out.push_str("</g>");
    out
}

/// The round length (1, 2 or 5 times a power of ten km) nearest below `km`.
pub fn nice_length(km: f64) -> f64 {
    if !km.is_finite() || km <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&l| l <= km)
        .unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::nice_length;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_length(7.3), 5.0);
        assert_eq!(nice_length(23.0), 20.0);
        assert_eq!(nice_length(0.9), 0.5);
        assert_eq!(nice_length(1.0), 1.0);
    }
}
