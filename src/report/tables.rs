//! The report's tables: overview, groups, move list, returns, uncovered slots, exchange
//! shortfalls and solver status. Every data string goes through [`esc`].

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::data::PlanData;
use super::html::esc;
use super::i18n::{Key, Lang, fill, kind_name, level_name, stage_name, status_name, subject_name};
use super::map::group_colour;
use super::reasons::school_label;
use crate::domain::Instance;
use crate::plan::MoveRow;
use crate::words::{group_name, track_name};

/// One table cell: escaped HTML, an optional sort key, right-aligned when numeric.
pub struct Cell {
    pub html: String,
    pub sort: Option<String>,
    pub num: bool,
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell {
            html: esc(s),
            sort: None,
            num: false,
        }
    }
    pub fn num(x: f64) -> Cell {
        Cell {
            html: esc(&fmt_num(x)),
            sort: Some(format!("{x}")),
            num: true,
        }
    }
    pub fn html(html: String) -> Cell {
        Cell {
            html,
            sort: None,
            num: false,
        }
    }
    fn sorted_by(mut self, key: String) -> Cell {
        self.sort = Some(key);
        self
    }
}

/// A number as people read it: integers without decimals, others to 3 places.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        "—".into()
    } else if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A JSON value for a table cell: numbers via [`fmt_num`], arrays joined with " / ".
pub fn fmt_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| fmt_value(Some(x)))
            .collect::<Vec<_>>()
            .join(" / "),
        Some(Value::Object(_)) => "…".into(),
    }
}

/// A table; `sortable` tables sort by a click on a header (the page's script).
pub fn table(
    id: Option<&str>,
    sortable: bool,
    headers: &[(Key, bool)],
    rows: &[(&str, Vec<Cell>)],
    lang: Lang,
) -> String {
    let mut s = String::from("<div class=\"scroll\"><table");
    if let Some(id) = id {
        let _ = write!(s, " id=\"{id}\"");
    }
    if sortable {
        s.push_str(" class=\"sortable-table\"");
    }
    s.push_str("><thead><tr>");
    for (h, num) in headers {
        let _ = write!(
            s,
            "<th{}>{}</th>",
            if *num { " class=\"num\"" } else { "" },
            esc(h.text(lang))
        );
    }
    s.push_str("</tr></thead><tbody>");
    for (class, cells) in rows {
        if class.is_empty() {
            s.push_str("<tr>");
        } else {
            let _ = write!(s, "<tr class=\"{class}\">");
        }
        for c in cells {
            s.push_str("<td");
            if c.num {
                s.push_str(" class=\"num\"");
            }
            if let Some(k) = &c.sort {
                let _ = write!(s, " data-sort=\"{}\"", esc(k));
            }
            let _ = write!(s, ">{}</td>", c.html);
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

/// The headline numbers.
pub fn overview(plan: &PlanData, figures: &Map<String, Value>, lang: Lang) -> String {
    let moves = figures.get("moves");
    let count = |k: &str| moves.and_then(|m| m.get(k)).and_then(Value::as_f64);
    let cards = [
        (
            Key::ShortageBefore,
            figures.get("shortage_before").and_then(Value::as_f64),
        ),
        (
            Key::ShortageAfter,
            figures.get("shortage_after").and_then(Value::as_f64),
        ),
        (Key::MovesTotal, count("total")),
        (Key::Transfers, count("transfer")),
        (Key::Exchanges, count("exchange")),
        (Key::Returns, Some(plan.returns.len() as f64)),
        (Key::Groups, Some(plan.grouping.groups.len() as f64)),
    ];
    let mut s = String::from("<div class=\"cards\">");
    for (k, v) in cards {
        let _ = write!(
            s,
            "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
            esc(&v.map_or_else(|| "—".into(), fmt_num)),
            esc(k.text(lang))
        );
    }
    s.push_str("</div>");
    if !plan.has_summary {
        let _ = write!(
            s,
            "<p class=\"note\">{}</p>",
            esc(Key::NoSummary.text(lang))
        );
    }
    s
}

pub fn groups(
    inst: &Instance,
    plan: &PlanData,
    figures: &Map<String, Value>,
    lang: Lang,
) -> String {
    if plan.grouping.groups.is_empty() {
        return format!("<p>{}</p>", esc(Key::NoGroups.text(lang)));
    }
    let per_group = figures
        .get("moves")
        .and_then(|m| m.get("per_group"))
        .and_then(Value::as_object);
    let mut rows = Vec::new();
    for (g, group) in plan.grouping.groups.iter().enumerate() {
        let pg = per_group.and_then(|p| p.get(&group.id));
        let field = |k: &str| pg.and_then(|p| p.get(k)).and_then(Value::as_f64);
        let students: u64 = group
            .schools
            .iter()
            .map(|&s| inst.schools[s].students as u64)
            .sum();
        let members: Vec<String> = group
            .schools
            .iter()
            .map(|&s| inst.schools[s].name.clone())
            .collect();
        let (transfers, cap) = (field("transfers"), field("cap"));
        let used = match (transfers, cap) {
            (Some(t), Some(c)) if c > 0.0 => {
                format!("{} / {} ({:.0}%)", fmt_num(t), fmt_num(c), t / c * 100.0)
            }
            (Some(t), Some(c)) => format!("{} / {}", fmt_num(t), fmt_num(c)),
            _ => "—".into(),
        };
        rows.push((
            "group",
            vec![
                Cell::html(format!(
                    "<i class=\"swatch\" style=\"background:{}\"></i>{} <span class=\"note\">{}</span>",
                    group_colour(g),
                    esc(&group_name(inst, &plan.grouping, g, lang)),
                    esc(&group.id)
                ))
                .sorted_by(group.id.clone()),
                Cell::text(&track_name(&group.track, lang)),
                Cell::text(&inst.schools[group.core].name),
                Cell::num(group.schools.len() as f64),
                members_cell(&members, lang),
                Cell::num(students as f64),
                Cell::num((plan.grouping.mean_quality(inst, g) * 10.0).round() / 10.0),
                field("staff").map_or_else(|| Cell::text("—"), Cell::num),
                cap.map_or_else(|| Cell::text("—"), Cell::num),
                Cell {
                    html: esc(&used),
                    sort: Some(format!("{}", field("used_share").unwrap_or(0.0))),
                    num: true,
                },
            ],
        ));
    }
    table(
        Some("groups-table"),
        true,
        &[
            (Key::Group, false),
            (Key::Track, false),
            (Key::Core, false),
            (Key::Schools, true),
            (Key::SchoolList, false),
            (Key::Students, true),
            (Key::MeanQuality, true),
            (Key::Staff, true),
            (Key::Cap, true),
            (Key::CapUsed, true),
        ],
        &rows,
        lang,
    )
}

/// The member schools: the first few, the rest behind a click.
fn members_cell(names: &[String], lang: Lang) -> Cell {
    const SHOWN: usize = 4;
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let all = esc(&names.join(sep));
    // A closed <details> prints closed, so print gets the full list instead.
    let html = if names.len() <= SHOWN {
        all
    } else {
        format!(
            "<details class=\"screen-only\"><summary>{}{sep}… (+{})</summary>{all}</details><span class=\"print-only\">{all}</span>",
            esc(&names[..SHOWN].join(sep)),
            names.len() - SHOWN
        )
    };
    Cell::html(html)
}

/// 交流名单: one row per move, filterable and sortable.
pub fn moves(inst: &Instance, plan: &PlanData, lang: Lang) -> String {
    let total = plan.moves.len();
    let mut s = format!(
        "<input type=\"search\" id=\"move-filter\" placeholder=\"{}\" aria-label=\"{}\"> <span id=\"move-shown\" class=\"note\"></span>",
        esc(Key::Filter.text(lang)),
        esc(Key::Filter.text(lang))
    );
    if total == 0 {
        let _ = write!(s, "<p>{}</p>", esc(Key::NoMoves.text(lang)));
    }
    let school_cell = |id: &str| {
        let label = school_label(inst, id);
        let html = if label == id {
            esc(id)
        } else {
            format!("{} <span class=\"note\">{}</span>", esc(&label), esc(id))
        };
        Cell::html(html).sorted_by(label)
    };
    let rows: Vec<(&str, Vec<Cell>)> = plan
        .moves
        .iter()
        .map(|m| {
            let name = inst
                .teacher_by_id(&m.teacher)
                .and_then(|t| inst.teachers[t].name.clone())
                .unwrap_or_default();
            (
                "move",
                vec![
                    Cell::text(&m.teacher),
                    Cell::text(&name),
                    Cell::text(&kind_name(lang, m.kind.as_str())),
                    Cell::text(&subject_name(lang, &m.subject)),
                    school_cell(&m.from),
                    school_cell(&m.to),
                    Cell::text(&years(m, lang)),
                    Cell::text(m.reason.as_deref().unwrap_or_default()),
                ],
            )
        })
        .collect();
    s.push_str(&table(
        Some("moves"),
        true,
        &[
            (Key::Teacher, false),
            (Key::Name, false),
            (Key::Kind, false),
            (Key::Subject, false),
            (Key::From, false),
            (Key::To, false),
            (Key::Years, false),
            (Key::Reason, false),
        ],
        &rows,
        lang,
    ));
    if !plan.returns.is_empty() {
        let _ = write!(s, "<h3>{}</h3>", esc(Key::ReturnList.text(lang)));
        let rows: Vec<(&str, Vec<Cell>)> = plan
            .returns
            .iter()
            .map(|r| {
                let name = inst
                    .teacher_by_id(&r.teacher)
                    .and_then(|t| inst.teachers[t].name.clone())
                    .unwrap_or_default();
                (
                    "return",
                    vec![
                        Cell::text(&r.teacher),
                        Cell::text(&name),
                        school_cell(&r.from),
                        school_cell(&r.to),
                    ],
                )
            })
            .collect();
        s.push_str(&table(
            Some("returns"),
            true,
            &[
                (Key::Teacher, false),
                (Key::Name, false),
                (Key::Host, false),
                (Key::Home, false),
            ],
            &rows,
            lang,
        ));
    }
    s
}

/// "2026–2027", or "2026 起（长期）" for a transfer.
pub fn years(m: &MoveRow, lang: Lang) -> String {
    match m.end_year {
        Some(e) => format!("{}–{e}", m.start_year),
        None => fill(lang, Key::Permanent, &[&m.start_year.to_string()]),
    }
}

fn str_field(v: &Value, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => fmt_value(Some(other)),
    }
}

/// Uncovered pairing slots, from `summary.json` `pairing.uncovered`.
pub fn uncovered(inst: &Instance, plan: &PlanData, lang: Lang) -> String {
    let summary = &plan.summary;
    let list = summary
        .get("pairing")
        .and_then(|p| p.get("uncovered"))
        .and_then(Value::as_array);
    if !summary.contains_key("pairing") {
        return format!(
            "<p class=\"note\">{}</p>",
            esc(Key::NotInSummary.text(lang))
        );
    }
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return format!("<p>{}</p>", esc(Key::NoneUncovered.text(lang)));
    };
    let rows: Vec<(&str, Vec<Cell>)> = list
        .iter()
        .map(|u| {
            let school = str_field(u, "school");
            let priority = match u.get("priority") {
                Some(Value::Bool(true)) => Key::Yes.text(lang).to_string(),
                Some(Value::Bool(false)) => Key::No.text(lang).to_string(),
                other => fmt_value(other),
            };
            (
                "uncovered",
                vec![
                    Cell::text(&plan.group_label(inst, &str_field(u, "group"), lang)),
                    Cell::text(&stage_name(lang, &str_field(u, "stage"))),
                    Cell::text(&if school.is_empty() {
                        school
                    } else {
                        school_label(inst, &school)
                    }),
                    Cell::text(&priority),
                    Cell::text(&str_field(u, "reason")),
                ],
            )
        })
        .collect();
    table(
        Some("uncovered"),
        true,
        &[
            (Key::Group, false),
            (Key::Stage, false),
            (Key::School, false),
            (Key::Priority, false),
            (Key::Reason, false),
        ],
        &rows,
        lang,
    )
}

/// Pairings short of their exchanges, from `summary.json` `rotation.exchange_shortfalls`.
pub fn shortfalls(inst: &Instance, plan: &PlanData, lang: Lang) -> String {
    let summary = &plan.summary;
    let list = summary
        .get("rotation")
        .and_then(|p| p.get("exchange_shortfalls"))
        .and_then(Value::as_array);
    if !summary.contains_key("rotation") {
        return format!(
            "<p class=\"note\">{}</p>",
            esc(Key::NotInSummary.text(lang))
        );
    }
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return format!("<p>{}</p>", esc(Key::NoShortfalls.text(lang)));
    };
    let rows: Vec<(&str, Vec<Cell>)> = list
        .iter()
        .map(|u| {
            let school = str_field(u, "school");
            let direction = match str_field(u, "direction").as_str() {
                "helper_to_school" => Key::HelperToSchool.text(lang).to_string(),
                "school_to_helper" => Key::SchoolToHelper.text(lang).to_string(),
                other => other.to_string(),
            };
            (
                "shortfall",
                vec![
                    Cell::text(&school_label(inst, &str_field(u, "helper"))),
                    Cell::text(&plan.group_label(inst, &str_field(u, "group"), lang)),
                    Cell::text(&stage_name(lang, &str_field(u, "stage"))),
                    Cell::text(&if school.is_empty() {
                        school
                    } else {
                        school_label(inst, &school)
                    }),
                    Cell::text(&direction),
                    Cell::text(&format!(
                        "{} / {}",
                        fmt_value(u.get("made")),
                        fmt_value(u.get("cap"))
                    )),
                    Cell::text(&str_field(u, "reason")),
                ],
            )
        })
        .collect();
    table(
        Some("shortfalls"),
        true,
        &[
            (Key::Helper, false),
            (Key::Group, false),
            (Key::Stage, false),
            (Key::School, false),
            (Key::Direction, false),
            (Key::Made, false),
            (Key::Reason, false),
        ],
        &rows,
        lang,
    )
}

/// Status, objective, bound and gap of each step (and of each groups track).
pub fn solver(summary: &Map<String, Value>, lang: Lang) -> String {
    let mut rows: Vec<(&str, Vec<Cell>)> = Vec::new();
    let mut push = |label: String, block: Option<&Value>| {
        let status = block
            .and_then(|b| b.get("status"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let status_cell = if block.is_none() {
            Cell::text(Key::NotRun.text(lang))
        } else {
            Cell::html(format!(
                "<span class=\"status-{}\">{}</span>",
                esc(status),
                esc(&status_name(lang, status))
            ))
        };
        let mut objective = fmt_value(block.and_then(|b| b.get("objective")));
        if let Some(levels) = block
            .and_then(|b| b.get("levels"))
            .and_then(Value::as_array)
        {
            let names: Vec<String> = levels
                .iter()
                .map(|l| level_name(lang, l.as_str().unwrap_or_default()))
                .collect();
            objective = format!("{objective} ({})", names.join(" / "));
        }
        let why = block
            .and_then(|b| b.get("reason").or_else(|| b.get("explanation")))
            .and_then(Value::as_str)
            .unwrap_or_default();
        rows.push((
            "step",
            vec![
                Cell::text(&label),
                status_cell,
                Cell::text(&objective),
                Cell::text(&fmt_value(block.and_then(|b| b.get("bound")))),
                Cell::text(&fmt_value(block.and_then(|b| b.get("gap")))),
                Cell::text(&fmt_value(block.and_then(|b| b.get("seconds")))),
                Cell::text(why),
            ],
        ));
    };
    let groups = summary.get("groups");
    push(Key::StepGroups.text(lang).to_string(), groups);
    if let Some(tracks) = groups
        .and_then(|g| g.get("tracks"))
        .and_then(Value::as_object)
    {
        for (name, block) in tracks {
            push(
                format!(
                    "{} · {}",
                    Key::StepGroups.text(lang),
                    track_name(name, lang)
                ),
                Some(block),
            );
        }
    }
    push(
        Key::StepPairing.text(lang).to_string(),
        summary.get("pairing"),
    );
    push(
        Key::StepRotation.text(lang).to_string(),
        summary.get("rotation"),
    );
    table(
        Some("solver"),
        false,
        &[
            (Key::Step, false),
            (Key::Status, false),
            (Key::Objective, false),
            (Key::Bound, false),
            (Key::Gap, false),
            (Key::Seconds, false),
            (Key::Explanation, false),
        ],
        &rows,
        lang,
    )
}
