//! Small hand-made counties for the unit tests.

use std::collections::HashMap;

use crate::domain::grouping::Grouping;
use crate::domain::instance::{Demand, Instance, School, Sex, Teacher, Title, Township};
use crate::domain::policy::Policy;
use crate::domain::stage::{SlotStage, Stage};
use crate::plan::{GroupRow, PairingRow, Role};

pub fn township(id: &str, urban: bool, x: f64) -> Township {
    Township {
        id: id.into(),
        name: id.into(),
        urban,
        x_km: x,
        y_km: 0.0,
        priority: false,
    }
}

pub fn school(id: &str, township: usize, stage: Stage, x: f64, helper: bool) -> School {
    School {
        id: id.into(),
        name: id.into(),
        township,
        stage,
        quality: if helper { 90.0 } else { 60.0 },
        students: 300,
        classes: 10,
        x_km: x,
        y_km: 0.0,
        helper,
        core_eligible: true,
    }
}

pub fn teacher(id: &str, school: usize, subject: &str, years: u32) -> Teacher {
    Teacher {
        id: id.into(),
        school,
        subject: subject.into(),
        sex: Sex::Female,
        birth_year: 1995,
        title: Title::First,
        key: false,
        years_at_school: years,
        name: None,
        second_subject: None,
        certified_stages: Vec::new(),
        degree: None,
        home_school: None,
        exchange_until: None,
        exempt: false,
        volunteer: false,
    }
}

/// Two townships; S0 (helper, urban), S1 and S2 primary schools in T1, S3 primary in T0.
pub fn tiny() -> Instance {
    let mut inst = Instance {
        townships: vec![township("T0", true, 0.0), township("T1", false, 20.0)],
        schools: vec![
            school("S0", 0, Stage::Primary, 0.0, true),
            school("S1", 1, Stage::Primary, 20.0, false),
            school("S2", 1, Stage::Primary, 25.0, false),
            school("S3", 0, Stage::Primary, 2.0, false),
        ],
        teachers: vec![
            teacher("A", 0, "math", 5),
            teacher("B", 1, "math", 8),
            teacher("C", 1, "math", 3),
            teacher("D", 2, "chinese", 4),
        ],
        demand: vec![
            Demand {
                school: 1,
                subject: "math".into(),
                positions: 1,
            },
            Demand {
                school: 2,
                subject: "math".into(),
                positions: 1,
            },
            Demand {
                school: 2,
                subject: "chinese".into(),
                positions: 1,
            },
        ],
        adjacency: Vec::new(),
        road_km: HashMap::new(),
        ..Default::default()
    };
    inst.reindex();
    inst
}

pub fn policy() -> Policy {
    Policy {
        plan_year: 2026,
        ..Policy::default()
    }
}

/// Group `g-1` of `schools`, the first its core.
pub fn grouping(inst: &Instance, schools: &[&str]) -> Grouping {
    let rows: Vec<GroupRow> = schools
        .iter()
        .enumerate()
        .map(|(i, s)| GroupRow {
            track: "compulsory".into(),
            group: "g-1".into(),
            school: (*s).into(),
            role: if i == 0 { Role::Core } else { Role::Member },
        })
        .collect();
    Grouping::from_rows(inst, &rows).expect("groups")
}

/// Helper `helper` paired with group `g-1` for the primary slot.
pub fn pairing(helper: &str) -> Vec<PairingRow> {
    vec![PairingRow {
        helper: helper.into(),
        group: "g-1".into(),
        stage: SlotStage::Primary,
        school: None,
    }]
}

/// S1, S2, S3 form one group; helper S0 pairs with it for the primary slot.
pub fn one_group(inst: &Instance) -> (Grouping, Vec<PairingRow>) {
    (grouping(inst, &["S1", "S2", "S3"]), pairing("S0"))
}
