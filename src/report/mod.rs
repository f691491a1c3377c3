//! `DIR/report.html`: the plan as a planner reads it — map, groups, charts, the move list
//! with a reason for every move, what is left uncovered, and the solver's proof status.
//!
//! One self-contained file: inline CSS, inline SVG and a small inline script; nothing is
//! fetched, so teacher data never leaves the machine. Every string from the data is escaped
//! ([`html::esc`], [`html::json_for_script`]).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::domain::Instance;
use crate::error::{Error, Result};
use crate::io::atomic::write_bytes_atomic;

pub mod canvas;
pub mod charts;
pub mod data;
pub mod html;
pub mod i18n;
pub mod indicators;
pub mod map;
pub mod measures;
pub mod notices;
pub mod overview;
pub mod png;
pub mod reasons;
pub mod settings;
pub mod tables;

pub use i18n::Lang;

use data::{PlanData, Staffing};
use html::esc;
use i18n::Key;

/// The report's file name inside the plan folder.
pub const REPORT: &str = "report.html";

/// How to write a report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub lang: Lang,
    /// `[rotation] cross_cap_share` when known, for group caps the summary does not give
    /// (default 0.10).
    pub cross_cap_share: Option<f64>,
}

/// Writes `plan_dir/report.html` (atomically) and returns its path.
pub fn write_report(inst: &Instance, plan_dir: &Path, lang: Lang) -> Result<PathBuf> {
    write_report_with(
        inst,
        plan_dir,
        &Options {
            lang,
            cross_cap_share: None,
        },
    )
}

/// [`write_report`] with every option.
pub fn write_report_with(inst: &Instance, plan_dir: &Path, opts: &Options) -> Result<PathBuf> {
    let page = render(inst, plan_dir, opts)?;
    let path = plan_dir.join(REPORT);
    write_bytes_atomic(&path, page.as_bytes()).map_err(Error::write(&path))?;
    Ok(path)
}

/// The report page for the plan in `plan_dir`.
pub fn render(inst: &Instance, plan_dir: &Path, opts: &Options) -> Result<String> {
    let lang = opts.lang;
    let mut plan = PlanData::load(inst, plan_dir)?;
    plan.fill_reasons(inst, lang);
    let staffing = Staffing::new(inst, &plan.returns, &plan.moves);
    let figures = measures::completed(inst, &plan, &staffing, opts.cross_cap_share);
    let shortage_computed = !plan.summary.contains_key("shortage_by_subject");

    let (map_html, tips) = map::render(inst, &plan, &staffing, lang);
    let mut body = String::new();
    body.push_str(&format!(
        "<header><h1>{}</h1><div class=\"meta\">{}: {}{}</div></header>\n<main>\n",
        esc(Key::Title.text(lang)),
        esc(Key::Plan.text(lang)),
        esc(&plan_dir.display().to_string()),
        esc(&plan_year(&plan).map_or_else(String::new, |y| format!(" · {y}"))),
    ));
    let sections = [
        (
            "overview",
            Key::Overview,
            tables::overview(&plan, &figures, lang),
        ),
        (
            "indicators",
            Key::Indicators,
            indicators::render(&figures, lang),
        ),
        (
            "policy-settings",
            Key::PolicySection,
            settings::render(&plan.summary, lang),
        ),
        ("map-section", Key::Map, map_html),
        (
            "groups",
            Key::Groups,
            tables::groups(inst, &plan, &figures, lang),
        ),
        (
            "charts",
            Key::Charts,
            charts::render(&figures, shortage_computed, lang),
        ),
        ("move-list", Key::MoveList, tables::moves(inst, &plan, lang)),
        ("notices", Key::Notices, notices::render(inst, &plan, lang)),
        (
            "uncovered-slots",
            Key::Uncovered,
            tables::uncovered(inst, &plan, lang),
        ),
        (
            "exchange-shortfalls",
            Key::Shortfalls,
            tables::shortfalls(inst, &plan, lang),
        ),
        (
            "solver-status",
            Key::Solver,
            tables::solver(&plan.summary, lang),
        ),
    ];
    for (id, key, inner) in sections {
        body.push_str(&html::section(id, lang, key, &inner));
    }
    body.push_str(&format!(
        "</main>\n<footer>{}</footer>",
        esc(Key::Footer.text(lang))
    ));
    let data = script_data(tips, plan.moves.len(), lang);
    Ok(html::page(lang, Key::Title.text(lang), &body, &data))
}

/// The plan year, from the moves (every move starts in it).
fn plan_year(plan: &PlanData) -> Option<i32> {
    plan.moves.first().map(|m| m.start_year)
}

fn script_data(tips: Map<String, Value>, moves: usize, lang: Lang) -> Value {
    json!({
        "schools": Value::Object(tips),
        "moves": moves,
        "text": {"shown": Key::Shown.text(lang)},
    })
}
