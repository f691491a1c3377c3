//! In-memory instance that both profiles build and the writer serialises.

/// Ages, titles and exchange end years are all relative to this summer.
pub(crate) const PLAN_YEAR: i32 = 2026;

pub(crate) struct Township {
    pub id: String,
    pub name: String,
    pub urban: bool,
    pub x: f64,
    pub y: f64,
    pub priority: bool,
    /// 1 small, 2 medium, 3 large: drives how many village schools and how big the town schools are.
    pub size: u8,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Stage {
    Kindergarten,
    Primary,
    Middle,
    NineYear,
    High,
    Vocational,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Kindergarten => "kindergarten",
            Stage::Primary => "primary",
            Stage::Middle => "middle",
            Stage::NineYear => "nine_year",
            Stage::High => "high",
            Stage::Vocational => "vocational",
        }
    }

    pub fn is_compulsory_track(self) -> bool {
        matches!(
            self,
            Stage::Kindergarten | Stage::Primary | Stage::Middle | Stage::NineYear
        )
    }
}

/// Teaching level of a pairing slot or of a piece of a school's work (SPEC T9 levels 0..=3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Level {
    Kindergarten,
    Primary,
    Middle,
    High,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Kindergarten => "kindergarten",
            Level::Primary => "primary",
            Level::Middle => "middle",
            Level::High => "high",
        }
    }
}

/// What a school is in practice; the stage alone cannot tell a 教学点 from a 中心小学.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    CountyKindergarten,
    StreetKindergarten,
    CentralKindergarten,
    VillageKindergarten,
    CountyPrimary,
    StreetPrimary,
    CentralPrimary,
    VillagePrimary,
    TeachingPoint,
    CountyMiddle,
    StreetMiddle,
    TownMiddle,
    CountyNineYear,
    NineYear,
    CountyHigh,
    RuralHigh,
    Vocational,
}

impl Kind {
    pub fn stage(self) -> Stage {
        match self {
            Kind::CountyKindergarten
            | Kind::StreetKindergarten
            | Kind::CentralKindergarten
            | Kind::VillageKindergarten => Stage::Kindergarten,
            Kind::CountyPrimary
            | Kind::StreetPrimary
            | Kind::CentralPrimary
            | Kind::VillagePrimary
            | Kind::TeachingPoint => Stage::Primary,
            Kind::CountyMiddle | Kind::StreetMiddle | Kind::TownMiddle => Stage::Middle,
            Kind::CountyNineYear | Kind::NineYear => Stage::NineYear,
            Kind::CountyHigh | Kind::RuralHigh => Stage::High,
            Kind::Vocational => Stage::Vocational,
        }
    }

    /// County-seat schools get the urban staffing pattern even when they are not helpers.
    pub fn is_county_seat(self) -> bool {
        matches!(
            self,
            Kind::CountyKindergarten
                | Kind::StreetKindergarten
                | Kind::CountyPrimary
                | Kind::StreetPrimary
                | Kind::CountyMiddle
                | Kind::StreetMiddle
                | Kind::CountyNineYear
                | Kind::CountyHigh
        )
    }
}

/// Classes per grade, so that demand can follow the per-grade timetable.
#[derive(Clone, Debug, Default)]
pub(crate) struct Classes {
    pub kg: u32,
    pub primary: [u32; 6],
    pub middle: [u32; 3],
    pub high: [u32; 3],
    pub vocational: u32,
}

impl Classes {
    pub fn total(&self) -> u32 {
        self.kg
            + self.primary.iter().sum::<u32>()
            + self.middle.iter().sum::<u32>()
            + self.high.iter().sum::<u32>()
            + self.vocational
    }
}

pub(crate) struct School {
    pub id: String,
    pub name: String,
    pub township: usize,
    pub kind: Kind,
    pub quality: f64,
    pub students: u32,
    pub classes: Classes,
    pub x: f64,
    pub y: f64,
    pub helper: bool,
}

impl School {
    pub fn stage(&self) -> Stage {
        self.kind.stage()
    }

    /// A 教学点 has one or two teachers and cannot lead a group.
    pub fn core_eligible(&self) -> bool {
        self.kind != Kind::TeachingPoint
    }

    /// The pairing slots (SPEC P1) this school can take part in.
    pub fn serves(&self, slot: Level) -> bool {
        matches!(
            (self.stage(), slot),
            (Stage::Kindergarten, Level::Kindergarten)
                | (Stage::Primary | Stage::NineYear, Level::Primary)
                | (Stage::Middle | Stage::NineYear, Level::Middle)
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Title {
    None,
    Third,
    Second,
    First,
    Senior,
    SeniorPlus,
}

impl Title {
    pub fn as_str(self) -> &'static str {
        match self {
            Title::None => "none",
            Title::Third => "third",
            Title::Second => "second",
            Title::First => "first",
            Title::Senior => "senior",
            Title::SeniorPlus => "senior_plus",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Degree {
    Graduate,
    Bachelor,
    College,
    Secondary,
}

impl Degree {
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::Graduate => "graduate",
            Degree::Bachelor => "bachelor",
            Degree::College => "college",
            Degree::Secondary => "secondary",
        }
    }

    pub fn lower(self) -> Degree {
        match self {
            Degree::Graduate => Degree::Bachelor,
            Degree::Bachelor => Degree::College,
            Degree::College | Degree::Secondary => Degree::Secondary,
        }
    }
}

pub(crate) struct Teacher {
    pub id: String,
    /// Where the teacher works now (the host while on exchange).
    pub school: usize,
    pub subject: &'static str,
    pub female: bool,
    pub birth_year: i32,
    pub title: Title,
    pub key: bool,
    pub years_at_school: u32,
    pub name: String,
    pub second_subject: Option<&'static str>,
    pub certified_stages: Option<&'static str>,
    pub degree: Degree,
    pub home_school: Option<usize>,
    pub exchange_until: Option<i32>,
    pub exempt: bool,
    pub volunteer: bool,
}

impl Teacher {
    pub fn age(&self) -> i32 {
        PLAN_YEAR - self.birth_year
    }
}

pub(crate) struct DemandRow {
    pub school: usize,
    pub subject: &'static str,
    pub positions: u32,
}

pub(crate) struct Instance {
    pub townships: Vec<Township>,
    /// Undirected township edges, each once with a < b, sorted.
    pub edges: Vec<(usize, usize)>,
    pub schools: Vec<School>,
    pub teachers: Vec<Teacher>,
    pub demand: Vec<DemandRow>,
}
