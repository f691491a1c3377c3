//! Writes an [`Instance`] back as the CSV files of SPEC.md (used by `simulate` to save each
//! year's state, and by tests).

use std::path::Path;

use crate::domain::instance::Instance;
use crate::io::plan_files::write_csv;

fn b(v: bool) -> String {
    if v { "true".into() } else { "false".into() }
}

fn km(x: f64) -> String {
    let r = (x * 1e4).round() / 1e4;
    format!("{r}")
}

/// Writes every file of the instance into `dir` (atomically, one file at a time).
pub fn write_instance(inst: &Instance, dir: &Path) -> std::io::Result<()> {
    write_csv(
        &dir.join("townships.csv"),
        &["id", "name", "urban", "x_km", "y_km", "priority"],
        inst.townships.iter().map(|t| {
            vec![
                t.id.clone(),
                t.name.clone(),
                b(t.urban),
                km(t.x_km),
                km(t.y_km),
                b(t.priority),
            ]
        }),
    )?;
    write_csv(
        &dir.join("adjacency.csv"),
        &["a", "b"],
        inst.adjacency
            .iter()
            .map(|&(a, bb)| vec![inst.townships[a].id.clone(), inst.townships[bb].id.clone()]),
    )?;
    write_csv(
        &dir.join("schools.csv"),
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
        inst.schools.iter().map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                inst.townships[s.township].id.clone(),
                s.stage.as_str().into(),
                km(s.quality),
                s.students.to_string(),
                s.classes.to_string(),
                km(s.x_km),
                km(s.y_km),
                b(s.helper),
                b(s.core_eligible),
            ]
        }),
    )?;
    write_csv(
        &dir.join("teachers.csv"),
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
        inst.teachers.iter().map(|t| {
            vec![
                t.id.clone(),
                inst.schools[t.school].id.clone(),
                t.subject.clone(),
                t.sex.as_str().into(),
                t.birth_year.to_string(),
                t.title.as_str().into(),
                b(t.key),
                t.years_at_school.to_string(),
                t.name.clone().unwrap_or_default(),
                t.second_subject.clone().unwrap_or_default(),
                t.certified_stages
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                t.degree.map(|d| d.as_str().to_string()).unwrap_or_default(),
                t.home_school
                    .map(|h| inst.schools[h].id.clone())
                    .unwrap_or_default(),
                t.exchange_until.map(|y| y.to_string()).unwrap_or_default(),
                b(t.exempt),
                b(t.volunteer),
            ]
        }),
    )?;
    write_csv(
        &dir.join("demand.csv"),
        &["school", "subject", "positions"],
        inst.demand.iter().map(|d| {
            vec![
                inst.schools[d.school].id.clone(),
                d.subject.clone(),
                d.positions.to_string(),
            ]
        }),
    )?;
    if !inst.road_km.is_empty() {
        let mut pairs: Vec<_> = inst.road_km.iter().collect();
        pairs.sort_by_key(|(k, _)| **k);
        write_csv(
            &dir.join("distances.csv"),
            &["a", "b", "km"],
            pairs.into_iter().map(|(&(a, bb), &d)| {
                vec![
                    inst.schools[a].id.clone(),
                    inst.schools[bb].id.clone(),
                    km(d),
                ]
            }),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_tiny_example() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/examples/schools-tiny");
        let inst = crate::io::read_instance(&src).expect("example loads");
        let dir = tempfile::tempdir().expect("tempdir");
        write_instance(&inst, dir.path()).expect("write");
        let back = crate::io::read_instance(dir.path()).expect("written instance loads");
        assert_eq!(back.teachers.len(), inst.teachers.len());
        assert_eq!(back.schools.len(), inst.schools.len());
        for (a, b) in inst.teachers.iter().zip(&back.teachers) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.school, b.school);
            assert_eq!(a.home_school, b.home_school);
            assert_eq!(a.exchange_until, b.exchange_until);
            assert_eq!(a.certified_stages, b.certified_stages);
        }
        assert_eq!(back.adjacency, inst.adjacency);
    }
}
