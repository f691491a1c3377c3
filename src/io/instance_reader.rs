//! Reads an instance folder into an [`Instance`], collecting every problem with its location.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::csv_table::Table;
use crate::diagnostics::{Problem, Problems};
use crate::domain::instance::{Degree, Demand, Instance, School, Sex, Teacher, Title, Township};
use crate::domain::stage::Stage;

const STAGES_HINT: &str = "use one of kindergarten, primary, middle, nine_year, high, vocational";

/// Reads `dir`. On any problem, returns all of them (nothing is half-loaded).
pub fn read_instance(dir: &Path) -> Result<Instance, Problems> {
    let mut problems = Problems::default();
    if !dir.is_dir() {
        problems.push(Problem::new(
            dir.display().to_string(),
            "instance folder not found",
            "pass the folder that holds townships.csv, schools.csv, teachers.csv and demand.csv",
        ));
        return Err(problems);
    }
    let mut inst = Instance::default();
    // Every id written in townships.csv and schools.csv, loaded or not: a reference to a row
    // that had problems of its own is not reported again, so one bad school row does not
    // bury the real problems under hundreds of "unknown school" lines.
    let mut seen_ids = SeenIds::default();
    read_townships(dir, &mut inst, &mut seen_ids, &mut problems);
    read_adjacency(dir, &mut inst, &seen_ids, &mut problems);
    read_schools(dir, &mut inst, &mut seen_ids, &mut problems);
    read_teachers(dir, &mut inst, &seen_ids, &mut problems);
    read_demand(dir, &mut inst, &seen_ids, &mut problems);
    read_distances(dir, &mut inst, &seen_ids, &mut problems);
    if problems.is_empty() {
        Ok(inst)
    } else {
        Err(problems)
    }
}

#[derive(Default)]
struct SeenIds {
    townships: HashSet<String>,
    schools: HashSet<String>,
}

fn unique_id(
    seen: &mut HashMap<String, usize>,
    id: &str,
    line: usize,
    file: &str,
    column: usize,
    problems: &mut Problems,
) -> bool {
    if let Some(first) = seen.get(id) {
        problems.push(
            Problem::new(
                file,
                format!("duplicate id (first used on line {first})"),
                "give every row its own id",
            )
            .at(line, column)
            .value(id),
        );
        return false;
    }
    seen.insert(id.to_string(), line);
    true
}

fn read_townships(
    dir: &Path,
    inst: &mut Instance,
    seen_ids: &mut SeenIds,
    problems: &mut Problems,
) {
    let cols = ["id", "name", "urban", "x_km", "y_km"];
    let Some(table) = Table::read(dir, "townships.csv", &cols, true, problems) else {
        return;
    };
    let mut seen = HashMap::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let name = c.text("name").unwrap_or_default().to_string();
        let urban = c.boolean("urban", false);
        let x = c.float("x_km");
        let y = c.float("y_km");
        if c.text("x_km").is_none() {
            c.problem(
                "x_km",
                "`x_km` is empty",
                "give the township's x coordinate in km",
            );
        }
        if c.text("y_km").is_none() {
            c.problem(
                "y_km",
                "`y_km` is empty",
                "give the township's y coordinate in km",
            );
        }
        let priority = c.boolean("priority", false);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, "townships.csv", id_col, problems));
        if let Some(id) = &id {
            seen_ids.townships.insert(id.clone());
        }
        if let (Some(id), Some(x), Some(y)) = (id, x, y)
            && fresh
        {
            inst.townships.push(Township {
                id,
                name,
                urban,
                x_km: x,
                y_km: y,
                priority,
            });
        }
    }
    inst.township_index = inst
        .townships
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
}

fn read_adjacency(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let Some(table) = Table::read(dir, "adjacency.csv", &["a", "b"], false, problems) else {
        return;
    };
    let mut edges = HashSet::new();
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let a = c.required("a");
        let b = c.required("b");
        let (Some(a), Some(b)) = (a, b) else { continue };
        let ia = lookup(
            &inst.township_index,
            &seen_ids.townships,
            &a,
            &mut c,
            "a",
            "township",
            "townships.csv",
        );
        let ib = lookup(
            &inst.township_index,
            &seen_ids.townships,
            &b,
            &mut c,
            "b",
            "township",
            "townships.csv",
        );
        if a == b {
            c.problem(
                "b",
                "self-loop: a township cannot be adjacent to itself",
                "delete this row",
            );
            continue;
        }
        if let (Some(ia), Some(ib)) = (ia, ib) {
            let key = (ia.min(ib), ia.max(ib));
            if edges.insert(key) {
                inst.adjacency.push(key);
            }
        }
    }
}

fn lookup(
    index: &HashMap<String, usize>,
    seen_ids: &HashSet<String>,
    id: &str,
    c: &mut super::csv_table::Cells<'_>,
    col: &str,
    what: &str,
    file: &str,
) -> Option<usize> {
    let found = index.get(id).copied();
    if found.is_none() && !seen_ids.contains(id) {
        c.problem(
            col,
            format!("unknown {what} `{id}`"),
            format!("use an id listed in {file}, or add `{id}` there"),
        );
    }
    found
}

fn read_schools(dir: &Path, inst: &mut Instance, seen_ids: &mut SeenIds, problems: &mut Problems) {
    let cols = [
        "id", "name", "township", "stage", "quality", "students", "classes",
    ];
    let Some(table) = Table::read(dir, "schools.csv", &cols, true, problems) else {
        return;
    };
    let mut seen = HashMap::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let name = c.text("name").unwrap_or_default().to_string();
        let township = c.required("township").and_then(|t| {
            lookup(
                &inst.township_index,
                &seen_ids.townships,
                &t,
                &mut c,
                "township",
                "township",
                "townships.csv",
            )
        });
        let stage = match c.required("stage") {
            Some(s) => {
                let st = Stage::parse(&s);
                if st.is_none() {
                    c.problem("stage", "unknown stage", STAGES_HINT);
                }
                st
            }
            None => None,
        };
        let quality = match c.text("quality") {
            None => {
                c.problem(
                    "quality",
                    "`quality` is empty",
                    "give a quality score from 0 to 100",
                );
                None
            }
            Some(_) => match c.float("quality") {
                Some(q) if (0.0..=100.0).contains(&q) => Some(q),
                Some(_) => {
                    c.problem(
                        "quality",
                        "`quality` is outside 0–100",
                        "give a quality score from 0 to 100",
                    );
                    None
                }
                None => None,
            },
        };
        let students = c.count("students");
        if c.text("students").is_none() {
            c.problem(
                "students",
                "`students` is empty",
                "give the number of students (0 or more)",
            );
        }
        let classes = c.count("classes");
        if c.text("classes").is_none() {
            c.problem(
                "classes",
                "`classes` is empty",
                "give the number of classes (0 or more)",
            );
        }
        let x = c.float("x_km");
        let y = c.float("y_km");
        let helper = c.boolean("helper", false);
        let core_eligible = c.boolean("core_eligible", true);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, "schools.csv", id_col, problems));
        if let Some(id) = &id {
            seen_ids.schools.insert(id.clone());
        }
        if let (Some(id), Some(t), Some(stage), Some(quality), Some(students), Some(classes)) =
            (id, township, stage, quality, students, classes)
            && fresh
        {
            let tw = &inst.townships[t];
            inst.schools.push(School {
                id,
                name,
                township: t,
                stage,
                quality,
                students,
                classes,
                x_km: x.unwrap_or(tw.x_km),
                y_km: y.unwrap_or(tw.y_km),
                helper,
                core_eligible,
            });
        }
    }
    inst.school_index = inst
        .schools
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn read_teachers(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let cols = [
        "id",
        "school",
        "subject",
        "sex",
        "birth_year",
        "title",
        "key",
        "years_at_school",
    ];
    let Some(table) = Table::read(dir, "teachers.csv", &cols, true, problems) else {
        return;
    };
    let mut seen = HashMap::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let school = c.required("school").and_then(|s| {
            lookup(
                &inst.school_index,
                &seen_ids.schools,
                &s,
                &mut c,
                "school",
                "school",
                "schools.csv",
            )
        });
        let subject = c.required("subject");
        if let Some(s) = &subject
            && !is_identifier(s)
        {
            c.problem(
                "subject",
                "`subject` is not a lower-case identifier",
                "write e.g. math, chinese, pe",
            );
        }
        let sex = c.required("sex").and_then(|s| {
            let v = Sex::parse(&s);
            if v.is_none() {
                c.problem("sex", "unknown sex", "write M or F");
            }
            v
        });
        let birth_year = c.int("birth_year");
        if c.text("birth_year").is_none() {
            c.problem(
                "birth_year",
                "`birth_year` is empty",
                "give the year of birth, e.g. 1985",
            );
        }
        let birth_year = birth_year.and_then(|y| {
            if (1900..=2100).contains(&y) {
                Some(y as i32)
            } else {
                c.problem(
                    "birth_year",
                    "`birth_year` is not a plausible year",
                    "give a four-digit year such as 1985",
                );
                None
            }
        });
        let title = c.required("title").and_then(|s| {
            let v = Title::parse(&s);
            if v.is_none() {
                c.problem(
                    "title",
                    "unknown title",
                    "use one of senior_plus, senior, first, second, third, none",
                );
            }
            v
        });
        let key = c.boolean("key", false);
        let years = c.count("years_at_school");
        if c.text("years_at_school").is_none() {
            c.problem(
                "years_at_school",
                "`years_at_school` is empty",
                "give the whole years at the current school (0 or more)",
            );
        }
        let name = c.text("name").map(str::to_string);
        let second_subject = c.text("second_subject").map(str::to_string);
        if let Some(s) = &second_subject
            && !is_identifier(s)
        {
            c.problem(
                "second_subject",
                "`second_subject` is not a lower-case identifier",
                "write e.g. music, or leave it empty",
            );
        }
        let mut certified_stages = Vec::new();
        if let Some(list) = c.text("certified_stages").map(str::to_string) {
            for part in list.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                match Stage::parse(part) {
                    Some(s) => certified_stages.push(s),
                    None => c.problem(
                        "certified_stages",
                        format!("unknown stage `{part}`"),
                        format!("separate stages with `;`, and {STAGES_HINT}"),
                    ),
                }
            }
        }
        let degree = c.text("degree").map(str::to_string).and_then(|d| {
            let v = Degree::parse(&d);
            if v.is_none() {
                c.problem(
                    "degree",
                    "unknown degree",
                    "use graduate, bachelor, college or secondary, or leave it empty",
                );
            }
            v
        });
        let home_school = c.text("home_school").map(str::to_string).and_then(|s| {
            lookup(
                &inst.school_index,
                &seen_ids.schools,
                &s,
                &mut c,
                "home_school",
                "school",
                "schools.csv",
            )
        });
        let exchange_until = c.int("exchange_until").map(|y| y as i32);
        if c.text("home_school").is_some() && c.text("exchange_until").is_none() {
            c.problem(
                "exchange_until",
                "a teacher on exchange (home_school set) needs `exchange_until`",
                "give the year the exchange ends",
            );
        }
        if c.text("exchange_until").is_some() && c.text("home_school").is_none() {
            c.problem(
                "home_school",
                "`exchange_until` is set but `home_school` is empty",
                "give the school the post belongs to, or clear exchange_until",
            );
        }
        let exempt = c.boolean("exempt", false);
        let volunteer = c.boolean("volunteer", false);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, "teachers.csv", id_col, problems));
        if let (
            Some(id),
            Some(school),
            Some(subject),
            Some(sex),
            Some(birth_year),
            Some(title),
            Some(years),
        ) = (id, school, subject, sex, birth_year, title, years)
            && fresh
        {
            inst.teachers.push(Teacher {
                id,
                school,
                subject,
                sex,
                birth_year,
                title,
                key,
                years_at_school: years,
                name,
                second_subject,
                certified_stages,
                degree,
                home_school: if exchange_until.is_some() {
                    home_school
                } else {
                    None
                },
                exchange_until: if home_school.is_some() {
                    exchange_until
                } else {
                    None
                },
                exempt,
                volunteer,
            });
        }
    }
    inst.teacher_index = inst
        .teachers
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
}

fn read_demand(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let Some(table) = Table::read(
        dir,
        "demand.csv",
        &["school", "subject", "positions"],
        true,
        problems,
    ) else {
        return;
    };
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let school = c.required("school").and_then(|s| {
            lookup(
                &inst.school_index,
                &seen_ids.schools,
                &s,
                &mut c,
                "school",
                "school",
                "schools.csv",
            )
        });
        let subject = c.required("subject");
        if let Some(s) = &subject
            && !is_identifier(s)
        {
            c.problem(
                "subject",
                "`subject` is not a lower-case identifier",
                "write e.g. math, chinese, pe",
            );
        }
        let positions = c.count("positions");
        if c.text("positions").is_none() {
            c.problem(
                "positions",
                "`positions` is empty",
                "give the number of posts (0 or more)",
            );
        }
        let line = c.line();
        if let (Some(school), Some(subject), Some(positions)) = (school, subject, positions) {
            if let Some(first) = seen.get(&(school, subject.clone())) {
                c.problem(
                    "subject",
                    format!(
                        "duplicate demand row for this school and subject (first on line {first})"
                    ),
                    "merge the two rows into one",
                );
                continue;
            }
            seen.insert((school, subject.clone()), line);
            inst.demand.push(Demand {
                school,
                subject,
                positions,
            });
        }
    }
}

/// `distances.csv` can hold every pair of a county's schools, so it is parsed with byte
/// records instead of the general table reader.
fn read_distances(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let path = dir.join("distances.csv");
    if !path.exists() {
        return;
    }
    let file = "distances.csv";
    let text = match super::text::read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e.problem(file, true, "check the file's permissions"));
            return;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            problems.push(
                Problem::new(
                    file,
                    format!("cannot read the header: {e}"),
                    "save the file as CSV",
                )
                .at_line(1),
            );
            return;
        }
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(ca), Some(cb), Some(ck)) = (col("a"), col("b"), col("km")) else {
        for n in ["a", "b", "km"] {
            if col(n).is_none() {
                problems.push(
                    Problem::new(
                        file,
                        format!("missing column `{n}`"),
                        "the header must be a,b,km",
                    )
                    .at(1, headers.len() + 1),
                );
            }
        }
        return;
    };
    let mut record = csv::ByteRecord::new();
    let mut road_km = HashMap::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| super::csv_table::record_line(&text, p.byte()));
                problems.push(
                    Problem::new(
                        file,
                        format!("malformed CSV row: {e}"),
                        "check quotes and commas",
                    )
                    .at_line(line),
                );
                continue;
            }
        }
        let line = record
            .position()
            .map_or(0, |p| super::csv_table::record_line(&text, p.byte()));
        let cell = |i: usize| {
            std::str::from_utf8(record.get(i).unwrap_or_default())
                .unwrap_or("")
                .trim()
        };
        let mut school = |i: usize| {
            let id = cell(i);
            let found = inst.school_index.get(id).copied();
            if found.is_none() && !seen_ids.schools.contains(id) {
                problems.push(
                    Problem::new(
                        file,
                        format!("unknown school `{id}`"),
                        "use a school id listed in schools.csv",
                    )
                    .at(line, i + 1)
                    .value(id),
                );
            }
            found
        };
        let a = school(ca);
        let b = school(cb);
        let km = match cell(ck).parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => {
                problems.push(
                    Problem::new(
                        file,
                        "`km` is not a non-negative number",
                        "write the road distance in km, e.g. 12.5",
                    )
                    .at(line, ck + 1)
                    .value(cell(ck)),
                );
                None
            }
        };
        if let (Some(a), Some(b), Some(km)) = (a, b, km)
            && a != b
        {
            road_km.insert((a.min(b), a.max(b)), km);
        }
    }
    inst.road_km = road_km;
}
