//! Teacher posts per school and subject, from the weekly timetable and a teacher's weekly load.

use super::model::{DemandRow, Kind, Level, School};

/// Output order of subjects everywhere (demand rows, supply), so files never depend on map order.
pub(crate) const SUBJECTS: [&str; 16] = [
    "chinese",
    "math",
    "english",
    "physics",
    "chemistry",
    "biology",
    "politics",
    "history",
    "geography",
    "science",
    "pe",
    "music",
    "art",
    "it",
    "preschool",
    "vocational",
];

pub(crate) const PRIMARY_SUBJECTS: [&str; 9] = [
    "chinese", "math", "english", "science", "pe", "music", "art", "it", "politics",
];

pub(crate) const MIDDLE_SUBJECTS: [&str; 13] = [
    "chinese",
    "math",
    "english",
    "physics",
    "chemistry",
    "biology",
    "politics",
    "history",
    "geography",
    "pe",
    "music",
    "art",
    "it",
];

/// Subjects a teacher of `level` can have as main subject.
pub(crate) fn subjects_for(level: Level) -> &'static [&'static str] {
    match level {
        Level::Kindergarten => &["preschool"],
        Level::Primary => &PRIMARY_SUBJECTS,
        Level::Middle | Level::High => &MIDDLE_SUBJECTS,
    }
}

// Weekly periods per class, after the 2022 compulsory-curriculum plan (义务教育课程方案) rounded to
// whole periods; 道德与法治 is `politics`, 科学 `science`, 信息科技 `it`.
const PRIMARY_G1_2: &[(&str, u32)] = &[
    ("chinese", 8),
    ("math", 4),
    ("science", 1),
    ("pe", 4),
    ("music", 2),
    ("art", 2),
    ("politics", 2),
];
const PRIMARY_G3_6: &[(&str, u32)] = &[
    ("chinese", 6),
    ("math", 5),
    ("english", 3),
    ("science", 2),
    ("pe", 3),
    ("music", 2),
    ("art", 2),
    ("it", 1),
    ("politics", 2),
];
// Guizhou examines biology and geography at the end of grade 8, physics starts in grade 8 and
// chemistry in grade 9.
const MIDDLE_G7: &[(&str, u32)] = &[
    ("chinese", 5),
    ("math", 5),
    ("english", 4),
    ("biology", 2),
    ("politics", 2),
    ("history", 2),
    ("geography", 2),
    ("pe", 3),
    ("music", 1),
    ("art", 1),
    ("it", 1),
];
const MIDDLE_G8: &[(&str, u32)] = &[
    ("chinese", 5),
    ("math", 5),
    ("english", 4),
    ("physics", 2),
    ("biology", 2),
    ("politics", 2),
    ("history", 2),
    ("geography", 2),
    ("pe", 3),
    ("music", 1),
    ("art", 1),
    ("it", 1),
];
const MIDDLE_G9: &[(&str, u32)] = &[
    ("chinese", 5),
    ("math", 5),
    ("english", 4),
    ("physics", 3),
    ("chemistry", 2),
    ("politics", 2),
    ("history", 2),
    ("pe", 3),
    ("music", 1),
    ("art", 1),
    ("it", 1),
];
const HIGH: &[(&str, u32)] = &[
    ("chinese", 5),
    ("math", 5),
    ("english", 5),
    ("physics", 3),
    ("chemistry", 3),
    ("biology", 2),
    ("politics", 2),
    ("history", 2),
    ("geography", 2),
    ("pe", 2),
    ("music", 1),
    ("art", 1),
    ("it", 2),
];
// 专业课 dominate a vocational timetable; general subjects are the national minimum.
const VOCATIONAL: &[(&str, u32)] = &[
    ("chinese", 4),
    ("math", 3),
    ("english", 3),
    ("politics", 2),
    ("pe", 2),
    ("it", 2),
    ("vocational", 14),
];

/// Weekly teaching load of one full-time teacher. Head subjects carry a homeroom and marking, so
/// their teachers teach fewer periods.
fn load(level: Level, subject: &str) -> u32 {
    let head = matches!(subject, "chinese" | "math" | "english");
    match level {
        Level::Kindergarten => 1,
        Level::Primary => {
            if matches!(subject, "chinese" | "math") {
                14
            } else {
                16
            }
        }
        Level::Middle => {
            if head {
                12
            } else {
                14
            }
        }
        Level::High => {
            if head {
                12
            } else {
                14
            }
        }
    }
}

fn subject_index(subject: &str) -> Option<usize> {
    SUBJECTS.iter().position(|s| *s == subject)
}

fn add_level(
    positions: &mut [u32; SUBJECTS.len()],
    level: Level,
    tables: &[(&[(&str, u32)], u32)],
) {
    let mut periods = [0u32; SUBJECTS.len()];
    for (table, classes) in tables {
        for (subject, p) in table.iter() {
            if let Some(i) = subject_index(subject) {
                periods[i] += p * classes;
            }
        }
    }
    for (i, p) in periods.iter().enumerate() {
        if *p > 0 {
            positions[i] += p.div_ceil(load(level, SUBJECTS[i]));
        }
    }
}

/// Every school's posts per subject, school by school.
pub(crate) fn demand_rows(schools: &[School]) -> Vec<DemandRow> {
    schools
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            school_demand(s)
                .into_iter()
                .map(move |(subject, positions)| DemandRow {
                    school: i,
                    subject,
                    positions,
                })
        })
        .collect()
}

/// Posts per subject for one school, in `SUBJECTS` order, zero rows left out.
pub(crate) fn school_demand(school: &School) -> Vec<(&'static str, u32)> {
    let c = &school.classes;
    let mut positions = [0u32; SUBJECTS.len()];
    if school.kind == Kind::TeachingPoint {
        // A 教学点 runs multi-grade classes with one 包班 teacher each; the timetable norm would
        // ask for nine teachers for one class of twelve children, which no county staffs.
        let classes: u32 = c.primary.iter().sum();
        let chinese = classes.div_ceil(2);
        positions[0] = chinese;
        positions[1] = classes - chinese;
    } else {
        // Two teachers per class (两教一保; the 保育员 is not a teacher post).
        positions[14] = 2 * c.kg;
        let lower = c.primary[0] + c.primary[1];
        let upper: u32 = c.primary[2..].iter().sum();
        if lower + upper > 0 {
            add_level(
                &mut positions,
                Level::Primary,
                &[(PRIMARY_G1_2, lower), (PRIMARY_G3_6, upper)],
            );
        }
        if c.middle.iter().sum::<u32>() > 0 {
            add_level(
                &mut positions,
                Level::Middle,
                &[
                    (MIDDLE_G7, c.middle[0]),
                    (MIDDLE_G8, c.middle[1]),
                    (MIDDLE_G9, c.middle[2]),
                ],
            );
        }
        let high: u32 = c.high.iter().sum();
        if high > 0 {
            add_level(&mut positions, Level::High, &[(HIGH, high)]);
        }
        if c.vocational > 0 {
            add_level(&mut positions, Level::High, &[(VOCATIONAL, c.vocational)]);
        }
    }
    SUBJECTS
        .iter()
        .zip(positions)
        .filter(|(_, p)| *p > 0)
        .map(|(s, p)| (*s, p))
        .collect()
}
