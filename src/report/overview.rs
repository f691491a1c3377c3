//! `overview.png`: the plan in one picture for sharing in a chat — the map of schools with
//! their groups and pairings on the left, the key figures on the right (moves, shortage
//! before → after, the 2017 CV indicators, groups and pairings).
//!
//! No font file is embedded or looked up (none with Chinese glyphs is guaranteed on a
//! bureau's server or on CI), so the picture's words are short capitals drawn by
//! [`super::canvas`]; README's "overview.png" section gives them in Chinese. The same plan
//! gives the same bytes.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::canvas::{BLACK, Canvas, Rgb, WHITE, hex, text_width};
use super::data::{PlanData, Staffing};
use super::map::group_colour;
use super::measures::{CV_MEASURES, CV_THRESHOLD_MIDDLE, CV_THRESHOLD_PRIMARY};
use crate::domain::Instance;
use crate::error::{Error, Result};
use crate::io::atomic::write_bytes_atomic;
use crate::plan::MoveKind;

/// The picture's file name inside the plan folder.
pub const OVERVIEW_PNG: &str = "overview.png";
/// The picture's size in pixels (landscape, readable on a phone when opened full screen).
pub const WIDTH: usize = 1200;
pub const HEIGHT: usize = 800;

const MAP: (i64, i64, i64, i64) = (16, 16, 768, 768);
const PANEL_X: i64 = 808;
const GREY: Rgb = [0x9a, 0xa5, 0xb1];
const LIGHT: Rgb = [0xe5, 0xe8, 0xeb];
const INK: Rgb = [0x22, 0x2b, 0x33];
const PAIRING: Rgb = [0x55, 0x55, 0x55];
const BEFORE: Rgb = [0xb8, 0xc0, 0xc8];
const AFTER: Rgb = [0x1f, 0x77, 0xb4];
const WORSE: Rgb = [0xc0, 0x39, 0x2b];

/// Writes `plan_dir/overview.png` (atomically) and returns its path.
pub fn write_overview(inst: &Instance, plan_dir: &Path, cap_share: Option<f64>) -> Result<PathBuf> {
    let bytes = render(inst, plan_dir, cap_share)?;
    let path = plan_dir.join(OVERVIEW_PNG);
    write_bytes_atomic(&path, &bytes).map_err(Error::write(&path))?;
    Ok(path)
}

/// The picture of the plan in `plan_dir`, as PNG bytes.
pub fn render(inst: &Instance, plan_dir: &Path, cap_share: Option<f64>) -> Result<Vec<u8>> {
    let plan = PlanData::load(inst, plan_dir)?;
    let staffing = Staffing::new(inst, &plan.returns, &plan.moves);
    let figures = super::measures::completed(inst, &plan, &staffing, cap_share);
    let mut c = Canvas::new(WIDTH, HEIGHT, WHITE);
    draw_map(&mut c, inst, &plan);
    draw_figures(&mut c, &plan, &figures);
    Ok(super::png::encode(&c))
}

/// Map pixels of a school: the schools' bounding box fitted into [`MAP`], north up.
struct Projection {
    x0: f64,
    y1: f64,
    scale: f64,
    left: f64,
    top: f64,
}

impl Projection {
    fn new(inst: &Instance) -> Projection {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for s in &inst.schools {
            x0 = x0.min(s.x_km);
            x1 = x1.max(s.x_km);
            y0 = y0.min(s.y_km);
            y1 = y1.max(s.y_km);
        }
        if inst.schools.is_empty() {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        let (mx, my, mw, mh) = MAP;
        let pad = 28.0;
        let (w, h) = (mw as f64 - 2.0 * pad, mh as f64 - 2.0 * pad);
        let scale = (w / (x1 - x0).max(1e-9)).min(h / (y1 - y0).max(1e-9));
        Projection {
            x0,
            y1,
            scale,
            left: mx as f64 + pad + (w - (x1 - x0) * scale) / 2.0,
            top: my as f64 + pad + (h - (y1 - y0) * scale) / 2.0,
        }
    }

    fn at(&self, inst: &Instance, s: usize) -> (i64, i64) {
        let school = &inst.schools[s];
        (
            (self.left + (school.x_km - self.x0) * self.scale).round() as i64,
            (self.top + (self.y1 - school.y_km) * self.scale).round() as i64,
        )
    }
}

fn draw_map(c: &mut Canvas, inst: &Instance, plan: &PlanData) {
    let (mx, my, mw, mh) = MAP;
    c.fill_rect(mx, my, mw, mh, [0xfa, 0xfb, 0xfc]);
    c.frame(mx, my, mw, mh, LIGHT);
    let p = Projection::new(inst);
    let grouping = &plan.grouping;
    // Links first, schools on top.
    for (gi, g) in grouping.groups.iter().enumerate() {
        let colour = hex(group_colour(gi));
        for &s in &g.schools {
            if s != g.core {
                c.line(p.at(inst, g.core), p.at(inst, s), 1, 0, colour);
            }
        }
    }
    for pr in &plan.pairings {
        let Some(h) = inst.school_by_id(&pr.helper) else {
            continue;
        };
        let target = match &pr.school {
            Some(id) => inst.school_by_id(id),
            None => grouping
                .group_by_id(&pr.group)
                .map(|g| grouping.groups[g].core),
        };
        if let Some(t) = target {
            c.line(p.at(inst, h), p.at(inst, t), 2, 6, PAIRING);
        }
    }
    for (s, school) in inst.schools.iter().enumerate() {
        let (x, y) = p.at(inst, s);
        let group = grouping.school_group.get(s).copied().flatten();
        match group {
            Some(g) if grouping.groups[g].core == s => {
                c.disc(x, y, 8, BLACK);
                c.disc(x, y, 6, hex(group_colour(g)));
            }
            Some(g) => c.disc(x, y, 4, hex(group_colour(g))),
            None if school.helper => c.square(x, y, 5, WHITE, BLACK),
            None => c.disc(x, y, 3, GREY),
        }
        if school.helper && group.is_some() {
            c.square(x, y, 3, WHITE, BLACK);
        }
    }
    draw_scale_bar(c, p.scale);
    c.text(mx + mw - 28, my + 10, 2, "N", INK);
    c.line((mx + mw - 23, my + 28), (mx + mw - 23, my + 44), 2, 0, INK);
}

/// A bar of a round number of km, about a fifth of the map wide, at the map's lower left.
fn draw_scale_bar(c: &mut Canvas, px_per_km: f64) {
    let (mx, my, mw, mh) = MAP;
    let target = mw as f64 / 5.0 / px_per_km;
    let km = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        .into_iter()
        .rev()
        .find(|&k| k <= target)
        .unwrap_or(0.5);
    let len = (km * px_per_km).round() as i64;
    let (x, y) = (mx + 16, my + mh - 24);
    c.fill_rect(x, y, len, 3, INK);
    c.fill_rect(x, y - 5, 2, 8, INK);
    c.fill_rect(x + len - 2, y - 5, 2, 8, INK);
    c.text(x + len + 8, y - 6, 2, &format!("{} KM", number(km)), INK);
}

fn draw_figures(c: &mut Canvas, plan: &PlanData, f: &Map<String, Value>) {
    let x = PANEL_X;
    let mut y = 20;
    let count = |k: MoveKind| plan.moves.iter().filter(|m| m.kind == k).count();
    heading(c, x, y, "MOVES");
    y += 26;
    let end = c.text(x, y, 6, &plan.moves.len().to_string(), INK);
    for (i, line) in [
        format!("TRANSFER {}", count(MoveKind::Transfer)),
        format!("EXCHANGE {}", count(MoveKind::Exchange)),
        format!("RETURN {}", plan.returns.len()),
    ]
    .iter()
    .enumerate()
    {
        c.text(end + 18, y - 3 + 17 * i as i64, 2, line, INK);
    }
    y += 68;

    heading(c, x, y, "SHORTAGE");
    y += 26;
    let before = f.get("shortage_before").and_then(Value::as_f64);
    let after = f.get("shortage_after").and_then(Value::as_f64);
    let end = c.text(x, y, 4, &before.map_or("-".into(), number), INK);
    let end = c.text(end + 8, y, 4, ">", INK);
    let worse = matches!((before, after), (Some(b), Some(a)) if a > b + 1e-9);
    c.text(
        end + 8,
        y,
        4,
        &after.map_or("-".into(), number),
        if worse { WORSE } else { AFTER },
    );
    y += 40;
    if let (Some(b), Some(a)) = (before, after) {
        let top = b.max(a).max(1e-9);
        bar(c, x, y, 360, b / top, BEFORE);
        bar(
            c,
            x,
            y + 12,
            360,
            a / top,
            if worse { WORSE } else { AFTER },
        );
    }
    y += 40;

    heading(c, x, y, "CV 2017 (BEFORE > AFTER)");
    y += 26;
    for (key, _, _, _) in CV_MEASURES {
        for (stage, threshold) in [
            ("primary", CV_THRESHOLD_PRIMARY),
            ("middle", CV_THRESHOLD_MIDDLE),
        ] {
            let v = f.get(key).and_then(|m| m.get(stage));
            let get = |w: &str| v.and_then(|v| v.get(w)).and_then(Value::as_f64);
            cv_row(
                c,
                (x, y),
                &cv_label(key, stage),
                (get("before"), get("after")),
                threshold,
            );
            y += 30;
        }
    }
    y += 12;

    heading(c, x, y, "GROUPS AND PAIRINGS");
    y += 26;
    c.text(
        x,
        y,
        2,
        &format!(
            "GROUPS {}  PAIRINGS {}",
            plan.grouping.groups.len(),
            plan.pairings.len()
        ),
        INK,
    );
    y += 26;
    let mut gx = x;
    for (gi, _) in plan.grouping.groups.iter().enumerate() {
        let label = (gi + 1).to_string();
        let w = 22 + text_width(&label, 2);
        if gx + w > WIDTH as i64 - 12 {
            gx = x;
            y += 24;
        }
        if y > HEIGHT as i64 - 60 {
            break;
        }
        c.disc(gx + 7, y + 7, 7, hex(group_colour(gi)));
        c.text(gx + 18, y + 1, 2, &label, INK);
        gx += w + 8;
    }
    legend(c, x, HEIGHT as i64 - 34);
}

/// The map's symbols: core, member, helper, pairing.
fn legend(c: &mut Canvas, x: i64, y: i64) {
    c.disc(x + 8, y + 7, 8, BLACK);
    c.disc(x + 8, y + 7, 6, hex(group_colour(0)));
    let e = c.text(x + 22, y + 1, 2, "CORE", INK);
    c.disc(e + 14, y + 7, 4, hex(group_colour(0)));
    let e = c.text(e + 24, y + 1, 2, "MEMBER", INK);
    c.square(e + 14, y + 7, 5, WHITE, BLACK);
    let e = c.text(e + 26, y + 1, 2, "HELPER", INK);
    c.line((e + 10, y + 7), (e + 40, y + 7), 2, 6, PAIRING);
    c.text(e + 46, y + 1, 2, "PAIR", INK);
}

fn heading(c: &mut Canvas, x: i64, y: i64, text: &str) {
    c.text(x, y, 2, text, GREY);
    c.fill_rect(x, y + 18, WIDTH as i64 - x - 16, 1, LIGHT);
}

/// A horizontal bar `share` (0..=1) of `width` pixels long.
fn bar(c: &mut Canvas, x: i64, y: i64, width: i64, share: f64, colour: Rgb) {
    let len = (share.clamp(0.0, 1.0) * width as f64).round() as i64;
    c.fill_rect(x, y, len.max(1), 8, colour);
}

/// One CV: label, before and after as bars against the 2017 threshold (a tick), and the
/// after value, red when it got worse or stays above the threshold.
fn cv_row(
    c: &mut Canvas,
    (x, y): (i64, i64),
    label: &str,
    (before, after): (Option<f64>, Option<f64>),
    threshold: f64,
) {
    c.text(x, y + 3, 2, label, INK);
    let (bx, width) = (x + 132, 150);
    let top = before
        .unwrap_or(0.0)
        .max(after.unwrap_or(0.0))
        .max(threshold)
        * 1.1;
    if let Some(b) = before.filter(|v| v.is_finite()) {
        bar(c, bx, y, width, b / top, BEFORE);
    }
    let worse = matches!((before, after), (Some(b), Some(a)) if a > b + 1e-9);
    let bad = worse || after.is_some_and(|a| a > threshold);
    if let Some(a) = after.filter(|v| v.is_finite()) {
        bar(
            c,
            bx,
            y + 10,
            width,
            a / top,
            if bad { WORSE } else { AFTER },
        );
    }
    let tick = bx + (threshold / top * width as f64).round() as i64;
    c.fill_rect(tick, y - 3, 2, 24, INK);
    let text = after.map_or("-".into(), |a| format!("{a:.3}"));
    c.text(
        bx + width + 10,
        y + 3,
        2,
        &text,
        if bad { WORSE } else { INK },
    );
}

fn cv_label(key: &str, stage: &str) -> String {
    let what = match key {
        "cv_key_per_100_students" => "KEY",
        "cv_pe_arts_per_100_students" => "PE+ART",
        _ => "QUAL",
    };
    let stage = if stage == "primary" { "PRI" } else { "MID" };
    format!("{what} {stage}")
}

/// A figure as the picture prints it: whole numbers without decimals.
fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}
