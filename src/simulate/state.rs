//! How a county changes between summers: the plan is applied, a year passes, teachers
//! retire and posts are refilled.

use std::collections::HashMap;

use crate::domain::instance::{Degree, Instance, Teacher, Title};
use crate::plan::{MoveKind, MoveRow, ReturnRow};

/// What happens to a retiree's post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hiring {
    /// A new teacher of the same subject and sex, aged 24, untitled, with a bachelor's
    /// degree, takes the post at the retiree's home school.
    Refill,
    /// The post stays open.
    None,
}

impl Hiring {
    pub fn parse(s: &str) -> Option<Hiring> {
        match s {
            "refill" => Some(Hiring::Refill),
            "none" => Some(Hiring::None),
            _ => None,
        }
    }
}

/// Applies this summer's returns and moves to the state, as they take effect in September.
pub fn apply_plan(inst: &mut Instance, returns: &[ReturnRow], moves: &[MoveRow]) {
    let by_id: HashMap<String, usize> = inst.teacher_index.clone();
    for r in returns {
        let (Some(&t), Some(home)) = (by_id.get(&r.teacher), inst.school_by_id(&r.to)) else {
            continue;
        };
        let teacher = &mut inst.teachers[t];
        teacher.school = home;
        teacher.home_school = None;
        teacher.exchange_until = None;
    }
    for m in moves {
        let (Some(&t), Some(from), Some(to)) = (
            by_id.get(&m.teacher),
            inst.school_by_id(&m.from),
            inst.school_by_id(&m.to),
        ) else {
            continue;
        };
        let teacher = &mut inst.teachers[t];
        match m.kind {
            MoveKind::Transfer => {
                teacher.school = to;
                teacher.years_at_school = 0;
            }
            MoveKind::Exchange => {
                teacher.home_school = Some(from);
                teacher.school = to;
                teacher.exchange_until = m.end_year;
            }
        }
    }
}

/// One school year passes: everyone has served a year more where they are.
pub fn advance_year(inst: &mut Instance) {
    for t in &mut inst.teachers {
        t.years_at_school += 1;
    }
}

/// Removes the teachers who have retired before the school year starting in `year` and,
/// under [`Hiring::Refill`], adds their replacements. Returns (retired, hired).
pub fn retire_and_hire(inst: &mut Instance, year: i32, hiring: Hiring) -> (usize, usize) {
    let (retired, kept): (Vec<Teacher>, Vec<Teacher>) = std::mem::take(&mut inst.teachers)
        .into_iter()
        .partition(|t| super::retirement::retires_before(t.sex, t.birth_year, year));
    inst.teachers = kept;
    let mut hired = 0;
    if hiring == Hiring::Refill {
        let mut retired = retired.clone();
        retired.sort_by(|a, b| a.id.cmp(&b.id));
        for (k, r) in retired.iter().enumerate() {
            let post = r.home_school.unwrap_or(r.school);
            inst.teachers.push(Teacher {
                id: format!("N{year}-{:04}", k + 1),
                school: post,
                subject: r.subject.clone(),
                sex: r.sex,
                birth_year: year - 24,
                title: Title::None,
                key: false,
                years_at_school: 0,
                name: None,
                second_subject: None,
                certified_stages: Vec::new(),
                degree: Some(Degree::Bachelor),
                home_school: None,
                exchange_until: None,
                exempt: false,
                volunteer: false,
            });
            hired += 1;
        }
    }
    inst.reindex();
    (retired.len(), hired)
}
