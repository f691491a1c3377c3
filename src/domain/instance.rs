//! The county as read from an instance folder: townships, schools, teachers and demand.
//!
//! Everything here is plain data, already checked by [`crate::io::instance_reader`]; ids are
//! resolved to indices so solvers never look up strings.

use std::collections::HashMap;

use super::stage::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

/// Professional title, strongest first in [`Title::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Title {
    SeniorPlus,
    Senior,
    First,
    Second,
    Third,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Degree {
    Graduate,
    Bachelor,
    College,
    Secondary,
}

impl Sex {
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "M" => Some(Sex::Male),
            "F" => Some(Sex::Female),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }
}

impl Title {
    pub const ALL: [Title; 6] = [
        Title::SeniorPlus,
        Title::Senior,
        Title::First,
        Title::Second,
        Title::Third,
        Title::None,
    ];
    pub fn parse(s: &str) -> Option<Title> {
        Title::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Title::SeniorPlus => "senior_plus",
            Title::Senior => "senior",
            Title::First => "first",
            Title::Second => "second",
            Title::Third => "third",
            Title::None => "none",
        }
    }
    /// Senior or above, as T5 requires of staff a helper sends.
    pub fn is_senior(self) -> bool {
        matches!(self, Title::SeniorPlus | Title::Senior)
    }
}

impl Degree {
    pub const ALL: [Degree; 4] = [
        Degree::Graduate,
        Degree::Bachelor,
        Degree::College,
        Degree::Secondary,
    ];
    pub fn parse(s: &str) -> Option<Degree> {
        Degree::ALL.into_iter().find(|d| d.as_str() == s.trim())
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::Graduate => "graduate",
            Degree::Bachelor => "bachelor",
            Degree::College => "college",
            Degree::Secondary => "secondary",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Township {
    pub id: String,
    pub name: String,
    pub urban: bool,
    pub x_km: f64,
    pub y_km: f64,
    pub priority: bool,
}

#[derive(Debug, Clone)]
pub struct School {
    pub id: String,
    pub name: String,
    /// Index into [`Instance::townships`].
    pub township: usize,
    pub stage: Stage,
    pub quality: f64,
    pub students: u32,
    pub classes: u32,
    pub x_km: f64,
    pub y_km: f64,
    pub helper: bool,
    pub core_eligible: bool,
}

#[derive(Debug, Clone)]
pub struct Teacher {
    pub id: String,
    /// Index of the school where the teacher works now (the host while on exchange).
    pub school: usize,
    pub subject: String,
    pub sex: Sex,
    pub birth_year: i32,
    pub title: Title,
    pub key: bool,
    pub years_at_school: u32,
    pub name: Option<String>,
    pub second_subject: Option<String>,
    /// Extra stages the teacher is certified for (T9), beyond their current school's.
    pub certified_stages: Vec<Stage>,
    pub degree: Option<Degree>,
    /// Set while on exchange: the school the post belongs to.
    pub home_school: Option<usize>,
    pub exchange_until: Option<i32>,
    pub exempt: bool,
    pub volunteer: bool,
}

#[derive(Debug, Clone)]
pub struct Demand {
    pub school: usize,
    pub subject: String,
    pub positions: u32,
}

/// A whole county, ids resolved to indices.
#[derive(Debug, Clone, Default)]
pub struct Instance {
    pub townships: Vec<Township>,
    pub schools: Vec<School>,
    pub teachers: Vec<Teacher>,
    pub demand: Vec<Demand>,
    /// Undirected township adjacency, each edge once, as indices.
    pub adjacency: Vec<(usize, usize)>,
    /// Road distances that override the straight line, keyed by (smaller, larger) school index.
    pub road_km: HashMap<(usize, usize), f64>,
    pub township_index: HashMap<String, usize>,
    pub school_index: HashMap<String, usize>,
    pub teacher_index: HashMap<String, usize>,
}

impl Instance {
    pub fn school_by_id(&self, id: &str) -> Option<usize> {
        self.school_index.get(id).copied()
    }

    pub fn teacher_by_id(&self, id: &str) -> Option<usize> {
        self.teacher_index.get(id).copied()
    }

    /// Age in the plan year (SPEC: `plan_year - birth_year`).
    pub fn age(&self, teacher: usize, plan_year: i32) -> i32 {
        plan_year - self.teachers[teacher].birth_year
    }

    /// Rebuilds the id → index maps after the vectors were edited in place.
    pub fn reindex(&mut self) {
        self.township_index = self
            .townships
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        self.school_index = self
            .schools
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        self.teacher_index = self
            .teachers
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
    }

    /// Distance in km between two schools: the road distance where `distances.csv` gives the
    /// pair, otherwise the straight line between their coordinates.
    pub fn distance(&self, a: usize, b: usize) -> f64 {
        if a == b {
            return 0.0;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        if let Some(&km) = self.road_km.get(&key) {
            return km;
        }
        let (sa, sb) = (&self.schools[a], &self.schools[b]);
        (sa.x_km - sb.x_km).hypot(sa.y_km - sb.y_km)
    }

    /// Demand of `school` for `subject`, 0 when not listed.
    pub fn demand_of(&self, school: usize, subject: &str) -> u32 {
        self.demand
            .iter()
            .filter(|d| d.school == school && d.subject == subject)
            .map(|d| d.positions)
            .sum()
    }
}
