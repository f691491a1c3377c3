//! CSV serialisation in the SPEC.md instance format.

use super::GenerateError;
use super::model::{Instance, Level};

/// At most two decimals, no trailing zeros, never "-0": the same value always prints the same.
pub(crate) fn fmt_num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_string() } else { s }
}

fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn csv_bytes<F>(file: &str, header: &[&str], mut rows: F) -> Result<Vec<u8>, GenerateError>
where
    F: FnMut(&mut csv::Writer<Vec<u8>>) -> Result<(), csv::Error>,
{
    let err = |e: &dyn std::fmt::Display| GenerateError::Csv {
        file: file.to_string(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| err(&e))?;
    rows(&mut w).map_err(|e| err(&e))?;
    w.into_inner().map_err(|e| err(&e))
}

pub(crate) fn instance_files(
    inst: &Instance,
) -> Result<Vec<(&'static str, Vec<u8>)>, GenerateError> {
    let tw = &inst.townships;
    let schools = &inst.schools;

    let townships = csv_bytes(
        "townships.csv",
        &["id", "name", "urban", "x_km", "y_km", "priority"],
        |w| {
            for t in tw {
                w.write_record([
                    t.id.as_str(),
                    &t.name,
                    flag(t.urban),
                    &fmt_num(t.x),
                    &fmt_num(t.y),
                    flag(t.priority),
                ])?;
            }
            Ok(())
        },
    )?;

    let adjacency = csv_bytes("adjacency.csv", &["a", "b"], |w| {
        for &(a, b) in &inst.edges {
            w.write_record([tw[a].id.as_str(), tw[b].id.as_str()])?;
        }
        Ok(())
    })?;

    let schools_csv = csv_bytes(
        "schools.csv",
        &[
            "id",
            "name",
            "township",
            "stage",
            "quality",
            "students",
            "classes",
            "x_km",
            "y_km",
            "helper",
            "core_eligible",
        ],
        |w| {
            for s in schools {
                w.write_record([
                    s.id.as_str(),
                    &s.name,
                    &tw[s.township].id,
                    s.stage().as_str(),
                    &fmt_num(s.quality),
                    &s.students.to_string(),
                    &s.classes.total().to_string(),
                    &fmt_num(s.x),
                    &fmt_num(s.y),
                    flag(s.helper),
                    flag(s.core_eligible()),
                ])?;
            }
            Ok(())
        },
    )?;

    let teachers = csv_bytes(
        "teachers.csv",
        &[
            "id",
            "school",
            "subject",
            "sex",
            "birth_year",
            "title",
            "key",
            "years_at_school",
            "name",
            "second_subject",
            "certified_stages",
            "degree",
            "home_school",
            "exchange_until",
            "exempt",
            "volunteer",
        ],
        |w| {
            for t in &inst.teachers {
                w.write_record([
                    t.id.as_str(),
                    &schools[t.school].id,
                    t.subject,
                    if t.female { "F" } else { "M" },
                    &t.birth_year.to_string(),
                    t.title.as_str(),
                    flag(t.key),
                    &t.years_at_school.to_string(),
                    &t.name,
                    t.second_subject.unwrap_or(""),
                    t.certified_stages.unwrap_or(""),
                    t.degree.as_str(),
                    t.home_school.map_or("", |h| schools[h].id.as_str()),
                    &t.exchange_until.map_or(String::new(), |y| y.to_string()),
                    flag(t.exempt),
                    flag(t.volunteer),
                ])?;
            }
            Ok(())
        },
    )?;

    let demand = csv_bytes("demand.csv", &["school", "subject", "positions"], |w| {
        for d in &inst.demand {
            w.write_record([
                schools[d.school].id.as_str(),
                d.subject,
                &d.positions.to_string(),
            ])?;
        }
        Ok(())
    })?;

    Ok(vec![
        ("townships.csv", townships),
        ("adjacency.csv", adjacency),
        ("schools.csv", schools_csv),
        ("teachers.csv", teachers),
        ("demand.csv", demand),
    ])
}

pub(crate) fn groups_csv(
    inst: &Instance,
    rows: &[(&'static str, String, usize, &'static str)],
) -> Result<Vec<u8>, GenerateError> {
    csv_bytes(
        "groups_seed.csv",
        &["track", "group", "school", "role"],
        |w| {
            for (track, group, school, role) in rows {
                w.write_record([*track, group.as_str(), &inst.schools[*school].id, *role])?;
            }
            Ok(())
        },
    )
}

pub(crate) fn pairings_csv(
    inst: &Instance,
    rows: &[(usize, String, Level)],
) -> Result<Vec<u8>, GenerateError> {
    csv_bytes(
        "baseline_pairings.csv",
        &["helper", "group", "stage"],
        |w| {
            for (helper, group, slot) in rows {
                w.write_record([
                    inst.schools[*helper].id.as_str(),
                    group.as_str(),
                    slot.as_str(),
                ])?;
            }
            Ok(())
        },
    )
}
