//! 公示: one notice per school listing who leaves it and who arrives this summer, each on
//! its own printed page, with the same reason text as the move list.

use std::fmt::Write as _;

use super::data::PlanData;
use super::html::esc;
use super::i18n::{Key, Lang, fill, kind_name, subject_name};
use super::reasons::school_label;
use super::tables::{Cell, table};
use crate::domain::Instance;
use crate::plan::MoveRow;

/// The notices of every school that anyone leaves or joins, in `schools.csv` order.
pub fn render(inst: &Instance, plan: &PlanData, lang: Lang) -> String {
    let mut s = format!(
        "<p class=\"note screen-only\">{}</p><div class=\"notices scroll\">",
        esc(Key::NoticeHint.text(lang))
    );
    let mut any = false;
    for school in &inst.schools {
        let leaving: Vec<&MoveRow> = plan.moves.iter().filter(|m| m.from == school.id).collect();
        let arriving: Vec<&MoveRow> = plan.moves.iter().filter(|m| m.to == school.id).collect();
        let back_in: Vec<_> = plan.returns.iter().filter(|r| r.to == school.id).collect();
        let back_out: Vec<_> = plan
            .returns
            .iter()
            .filter(|r| r.from == school.id)
            .collect();
        if leaving.is_empty() && arriving.is_empty() && back_in.is_empty() && back_out.is_empty() {
            continue;
        }
        any = true;
        // A reference line in plain ASCII (school id · plan year) heads each notice, so a
        // printed notice can be found again whatever fonts the printer had.
        let year = plan.moves.first().map(|m| format!(" · {}", m.start_year));
        let _ = write!(
            s,
            "<article class=\"notice\" data-school=\"{id}\"><p class=\"notice-ref\">{id}{}</p><h3>{}</h3>",
            year.unwrap_or_default(),
            esc(&fill(lang, Key::NoticeTitle, &[&school.name, &school.id])),
            id = esc(&school.id),
        );
        let _ = write!(
            s,
            "<h4>{}</h4>",
            esc(&fill(
                lang,
                Key::NoticeLeaving,
                &[&leaving.len().to_string()]
            ))
        );
        s.push_str(&list(inst, &leaving, Key::To, |m| &m.to, lang));
        let _ = write!(
            s,
            "<h4>{}</h4>",
            esc(&fill(
                lang,
                Key::NoticeArriving,
                &[&arriving.len().to_string()]
            ))
        );
        s.push_str(&list(inst, &arriving, Key::From, |m| &m.from, lang));
        if !back_in.is_empty() || !back_out.is_empty() {
            let _ = write!(s, "<h4>{}</h4><p>", esc(Key::ReturnList.text(lang)));
            let sep = lang.pick("、", ", ");
            let names: Vec<String> = back_in
                .iter()
                .map(|r| fill(lang, Key::NoticeBackIn, &[&teacher(inst, &r.teacher)]))
                .chain(
                    back_out
                        .iter()
                        .map(|r| fill(lang, Key::NoticeBackOut, &[&teacher(inst, &r.teacher)])),
                )
                .collect();
            let _ = write!(s, "{}</p>", esc(&names.join(sep)));
        }
        let _ = write!(
            s,
            "<p class=\"note\">{}</p></article>",
            esc(Key::NoticeFooter.text(lang))
        );
    }
    if !any {
        let _ = write!(s, "<p>{}</p>", esc(Key::NoMoves.text(lang)));
    }
    s.push_str("</div>");
    s
}

/// "教师35（P35）", or the id alone when the instance has no name.
fn teacher(inst: &Instance, id: &str) -> String {
    inst.teacher_by_id(id)
        .and_then(|t| inst.teachers[t].name.clone())
        .filter(|n| !n.trim().is_empty())
        .map_or_else(|| id.to_string(), |n| format!("{n}（{id}）"))
}

fn list(
    inst: &Instance,
    moves: &[&MoveRow],
    other_key: Key,
    other: fn(&MoveRow) -> &String,
    lang: Lang,
) -> String {
    if moves.is_empty() {
        return format!("<p>{}</p>", esc(Key::NoticeNone.text(lang)));
    }
    let rows: Vec<(&str, Vec<Cell>)> = moves
        .iter()
        .map(|m| {
            (
                "notice-row",
                vec![
                    Cell::text(&teacher(inst, &m.teacher)),
                    Cell::text(&subject_name(lang, &m.subject)),
                    Cell::text(&school_label(inst, other(m))),
                    Cell::text(&kind_name(lang, m.kind.as_str())),
                    Cell::text(&super::tables::years(m, lang)),
                    Cell::text(m.reason.as_deref().unwrap_or_default()),
                ],
            )
        })
        .collect();
    table(
        None,
        false,
        &[
            (Key::Name, false),
            (Key::Subject, false),
            (other_key, false),
            (Key::Kind, false),
            (Key::Years, false),
            (Key::Reason, false),
        ],
        &rows,
        lang,
    )
}
