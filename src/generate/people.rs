//! Teachers: how many of each subject a school has, who they are, and who is away on exchange.

use rand_chacha::ChaCha8Rng;

use super::demand::{SUBJECTS, subjects_for};
use super::model::{
    Degree, DemandRow, Kind, Level, PLAN_YEAR, School, Stage, Teacher, Title, Township,
};
use super::rng;

/// Staffing pattern of a school, which drives supply imbalances and the mix of people.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setting {
    /// County-seat school (helper or not).
    CountySeat,
    Rural,
    TeachingPoint,
    High,
    Vocational,
}

fn setting(school: &School) -> Setting {
    match school.kind {
        Kind::TeachingPoint => Setting::TeachingPoint,
        Kind::CountyHigh | Kind::RuralHigh => Setting::High,
        Kind::Vocational => Setting::Vocational,
        k if school.helper || k.is_county_seat() => Setting::CountySeat,
        _ => Setting::Rural,
    }
}

/// Expected staff per post. Rural schools recruit general 语数 teachers and cannot attract English,
/// arts, PE or IT specialists (many such lessons are taught by the Chinese or maths teacher), so
/// they are short there and over in chinese/math; county-seat schools are slightly over-staffed in
/// chinese/math, where teachers who moved in from the villages end up.
fn supply_factor(setting: Setting, subject: &str, priority: bool) -> f64 {
    let f = match setting {
        Setting::TeachingPoint | Setting::Vocational => 1.0,
        Setting::High => match subject {
            "chinese" | "math" => 1.05,
            "music" | "art" | "it" => 0.9,
            _ => 1.0,
        },
        Setting::CountySeat => match subject {
            "chinese" => 1.12,
            "math" => 1.10,
            "music" | "art" | "pe" => 0.95,
            "it" => 0.9,
            "preschool" => 1.05,
            _ => 1.0,
        },
        Setting::Rural => match subject {
            "chinese" => 1.42,
            "math" => 1.36,
            "english" => 0.8,
            "science" => 0.6,
            "pe" => 0.68,
            "music" => 0.48,
            "art" => 0.5,
            "it" => 0.42,
            "geography" | "biology" => 0.85,
            "politics" | "history" | "physics" | "chemistry" => 0.95,
            "preschool" => 0.95,
            _ => 1.0,
        },
    };
    if priority && setting == Setting::Rural {
        f * 0.93
    } else {
        f
    }
}

/// How many teachers of each subject a school has now, in `SUBJECTS` order.
fn supply(
    rng: &mut ChaCha8Rng,
    school: &School,
    priority: bool,
    demand: &[(&'static str, u32)],
) -> Vec<(&'static str, u32)> {
    let set = setting(school);
    let mut out: Vec<(&'static str, u32)> = Vec::new();
    for &(subject, posts) in demand {
        let expected = f64::from(posts) * supply_factor(set, subject, priority);
        let noise = (1.0 + 0.12 * rng::normalish(rng)).clamp(0.6, 1.5);
        let n = if set == Setting::TeachingPoint {
            posts
        } else {
            rng::stochastic_round(rng, expected * noise)
        };
        if n > 0 {
            out.push((subject, n));
        }
    }
    if out.is_empty() {
        // Every open school has at least one teacher, whatever the draw.
        out.push(("chinese", 1));
    }
    out.sort_by_key(|(s, _)| SUBJECTS.iter().position(|x| x == s));
    out
}

const SURNAMES: &[(&str, f64)] = &[
    ("王", 7.0),
    ("李", 7.0),
    ("张", 6.0),
    ("刘", 5.0),
    ("陈", 5.0),
    ("杨", 6.0),
    ("黄", 3.0),
    ("赵", 3.0),
    ("吴", 3.0),
    ("周", 3.0),
    ("徐", 2.0),
    ("孙", 1.5),
    ("马", 2.0),
    ("朱", 1.5),
    ("胡", 1.5),
    ("郭", 1.5),
    ("何", 1.5),
    ("高", 1.5),
    ("罗", 3.0),
    ("郑", 1.0),
    ("谢", 1.0),
    ("唐", 1.0),
    ("邓", 1.0),
    ("龙", 2.0),
    ("安", 2.0),
    ("陇", 1.0),
    ("禄", 0.8),
    ("苏", 1.0),
    ("袁", 1.0),
    ("田", 1.0),
    ("余", 1.0),
    ("蒋", 1.0),
    ("肖", 1.0),
    ("韦", 0.8),
    ("熊", 1.0),
    ("邹", 0.8),
    ("管", 0.6),
    ("顾", 0.6),
    ("付", 0.8),
    ("文", 0.8),
];

const GIVEN_F: &[&str] = &[
    "芳", "丽", "燕", "敏", "静", "娟", "霞", "艳", "玲", "琴", "红", "梅", "兰", "英", "慧", "婷",
    "雪", "倩", "莉", "萍", "娜", "琳", "颖", "佳", "欣", "悦", "蓉", "秀", "凤", "丹",
];
const GIVEN_M: &[&str] = &[
    "伟", "强", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "飞", "鑫", "波",
    "宇", "浩", "凯", "健", "俊", "林", "峰", "磊", "洋", "龙", "兵", "成", "江", "松",
];
const GIVEN_ANY: &[&str] = &[
    "文", "小", "志", "建", "国", "海", "春", "永", "晓", "思", "华", "学", "德", "正", "玉", "光",
];

fn person_name(rng: &mut ChaCha8Rng, female: bool) -> String {
    let surname = rng::weighted(rng, SURNAMES).unwrap_or("王");
    let own = if female { GIVEN_F } else { GIVEN_M };
    let last = rng::pick(rng, own).copied().unwrap_or("明");
    if rng::chance(rng, 0.7) {
        let pool = if rng::chance(rng, 0.5) {
            GIVEN_ANY
        } else {
            own
        };
        let first = rng::pick(rng, pool).copied().unwrap_or("小");
        format!("{surname}{first}{last}")
    } else {
        format!("{surname}{last}")
    }
}

fn age(rng: &mut ChaCha8Rng, school: &School, set: Setting) -> i32 {
    // Rural schools are staffed by young 特岗 recruits and by older local teachers; the county seat
    // draws experienced teachers who moved in from the villages.
    let (young, mid) = if school.stage() == Stage::Kindergarten {
        (0.55, 0.35)
    } else {
        match set {
            Setting::Rural => (0.38, 0.40),
            Setting::TeachingPoint => (0.30, 0.30),
            Setting::CountySeat => (0.22, 0.45),
            Setting::High | Setting::Vocational => (0.28, 0.47),
        }
    };
    let r = rng::uniform(rng, 0.0, 1.0);
    let a = if r < young {
        rng::int(rng, 22, 30)
    } else if r < young + mid {
        rng::int(rng, 31, 45)
    } else {
        rng::int(rng, 46, 59)
    };
    a as i32
}

fn female(rng: &mut ChaCha8Rng, school: &School, set: Setting, subject: &str, age: i32) -> bool {
    let base: f64 = match school.stage() {
        Stage::Kindergarten => 0.96,
        Stage::Primary => {
            if set == Setting::CountySeat {
                0.78
            } else {
                0.58
            }
        }
        Stage::Middle => {
            if set == Setting::CountySeat {
                0.58
            } else {
                0.45
            }
        }
        Stage::NineYear => 0.52,
        Stage::High => 0.48,
        Stage::Vocational => 0.45,
    };
    let by_subject = match subject {
        "pe" => 0.5,
        "physics" => 0.75,
        "it" => 0.8,
        "music" | "art" | "english" => 1.25,
        _ => 1.0,
    };
    let by_age = if age >= 50 && school.stage() != Stage::Kindergarten {
        0.8
    } else {
        1.0
    };
    rng::chance(rng, (base * by_subject * by_age).min(0.97))
}

fn title(rng: &mut ChaCha8Rng, school: &School, set: Setting, age: i32) -> Title {
    let mut senior_scale = match school.stage() {
        Stage::Kindergarten | Stage::Primary => 0.6,
        _ => 1.0,
    };
    if school.helper || set == Setting::High {
        senior_scale *= 1.5;
    }
    let r = rng::uniform(rng, 0.0, 1.0);
    let t = match age {
        ..=24 => {
            if r < 0.6 {
                Title::None
            } else {
                Title::Third
            }
        }
        25..=29 => {
            if r < 0.08 {
                Title::None
            } else if r < 0.4 {
                Title::Third
            } else {
                Title::Second
            }
        }
        30..=39 => {
            if r < 0.05 {
                Title::Third
            } else if r < 0.5 {
                Title::Second
            } else {
                Title::First
            }
        }
        40..=49 => {
            if r < 0.25 {
                Title::Second
            } else if r < 1.0 - 0.15 * senior_scale {
                Title::First
            } else {
                Title::Senior
            }
        }
        _ => {
            if r < 0.12 {
                Title::Second
            } else if r < 1.0 - 0.30 * senior_scale {
                Title::First
            } else {
                Title::Senior
            }
        }
    };
    let top_school = school.helper || set == Setting::High;
    if t == Title::Senior && top_school && age >= 45 && rng::chance(rng, 0.04) {
        Title::SeniorPlus
    } else {
        t
    }
}

fn key(rng: &mut ChaCha8Rng, school: &School, set: Setting, age: i32, title: Title) -> bool {
    let base: f64 = match set {
        _ if school.helper => 0.24,
        Setting::CountySeat => 0.14,
        Setting::High => 0.19,
        Setting::Vocational => 0.10,
        Setting::Rural => 0.085,
        Setting::TeachingPoint => 0.03,
    };
    let by_age = match age {
        ..=27 => 0.2,
        28..=50 => 1.25,
        _ => 0.8,
    };
    let by_title = match title {
        Title::None | Title::Third => 0.3,
        Title::Second => 0.8,
        Title::First => 1.2,
        Title::Senior | Title::SeniorPlus => 1.8,
    };
    rng::chance(rng, (base * by_age * by_title).min(0.9))
}

fn degree(rng: &mut ChaCha8Rng, stage: Stage, age: i32) -> Degree {
    let table: &[(Degree, f64)] = match stage {
        Stage::Kindergarten => &[
            (Degree::Graduate, 0.005),
            (Degree::Bachelor, 0.35),
            (Degree::College, 0.55),
            (Degree::Secondary, 0.095),
        ],
        Stage::Primary => &[
            (Degree::Graduate, 0.01),
            (Degree::Bachelor, 0.55),
            (Degree::College, 0.40),
            (Degree::Secondary, 0.04),
        ],
        Stage::Middle | Stage::NineYear => &[
            (Degree::Graduate, 0.03),
            (Degree::Bachelor, 0.85),
            (Degree::College, 0.12),
        ],
        Stage::High => &[(Degree::Graduate, 0.12), (Degree::Bachelor, 0.88)],
        Stage::Vocational => &[
            (Degree::Graduate, 0.05),
            (Degree::Bachelor, 0.80),
            (Degree::College, 0.15),
        ],
    };
    let d = rng::weighted(rng, table).unwrap_or(Degree::Bachelor);
    // Older teachers trained at 中师 / 师专 and many never upgraded.
    if age >= 50 && rng::chance(rng, 0.35) {
        d.lower()
    } else {
        d
    }
}

fn second_subject(
    rng: &mut ChaCha8Rng,
    school: &School,
    set: Setting,
    subject: &'static str,
) -> Option<&'static str> {
    let stage = school.stage();
    if matches!(stage, Stage::Kindergarten | Stage::Vocational) {
        return None;
    }
    // Rural 语数 teachers are the ones who already take the music, PE or English lessons.
    let p = if set == Setting::Rural && matches!(subject, "chinese" | "math") {
        0.13
    } else {
        0.035
    };
    if !rng::chance(rng, p) {
        return None;
    }
    let pool: &[(&'static str, f64)] = match stage {
        Stage::Primary => &[
            ("music", 0.22),
            ("art", 0.22),
            ("pe", 0.2),
            ("english", 0.14),
            ("science", 0.11),
            ("it", 0.11),
        ],
        Stage::NineYear => &[
            ("music", 0.22),
            ("art", 0.22),
            ("pe", 0.2),
            ("english", 0.14),
            ("it", 0.11),
            ("politics", 0.11),
        ],
        _ => &[
            ("music", 0.2),
            ("art", 0.2),
            ("pe", 0.2),
            ("english", 0.15),
            ("it", 0.15),
            ("politics", 0.1),
        ],
    };
    let choices: Vec<(&'static str, f64)> = pool
        .iter()
        .copied()
        .filter(|(s, _)| *s != subject)
        .collect();
    rng::weighted(rng, &choices)
}

fn certified(rng: &mut ChaCha8Rng, stage: Stage) -> Option<&'static str> {
    if !rng::chance(rng, 0.015) {
        return None;
    }
    match stage {
        Stage::Kindergarten => Some("primary;kindergarten"),
        Stage::Primary => Some("middle;primary"),
        Stage::Middle | Stage::NineYear => Some("high;middle"),
        Stage::High | Stage::Vocational => None,
    }
}

pub(crate) fn age_exempt(female: bool, age: i32) -> bool {
    if female { age >= 50 } else { age >= 55 }
}

fn make_teacher(
    rng: &mut ChaCha8Rng,
    id: String,
    school_idx: usize,
    school: &School,
    subject: &'static str,
) -> Teacher {
    let set = setting(school);
    let age = age(rng, school, set);
    let female = female(rng, school, set, subject, age);
    let title = title(rng, school, set, age);
    let key = key(rng, school, set, age, title);
    let degree = degree(rng, school.stage(), age);
    let span = (age - 22).max(0) as f64 + 1.0;
    let u = rng::uniform(rng, 0.0, 1.0);
    // Skewed towards short stays: most teachers have moved at least once.
    let years = ((u * u.sqrt() * span).floor() as i32).clamp(0, (age - 22).max(0)) as u32;
    let name = person_name(rng, female);
    let second_subject = second_subject(rng, school, set, subject);
    let certified_stages = certified(rng, school.stage());
    let exempt = rng::chance(rng, if age >= 50 { 0.05 } else { 0.017 });
    let volunteer = !exempt && rng::chance(rng, if age_exempt(female, age) { 0.14 } else { 0.02 });
    Teacher {
        id,
        school: school_idx,
        subject,
        female,
        birth_year: PLAN_YEAR - age,
        title,
        key,
        years_at_school: years,
        name,
        second_subject,
        certified_stages,
        degree,
        home_school: None,
        exchange_until: None,
        exempt,
        volunteer,
    }
}

/// Everyone on the books, school by school, before any exchange is placed.
pub(crate) fn staff(
    rng: &mut ChaCha8Rng,
    schools: &[School],
    townships: &[Township],
    demand: &[DemandRow],
) -> Vec<Teacher> {
    let mut per_school: Vec<Vec<(&'static str, u32)>> = vec![Vec::new(); schools.len()];
    for row in demand {
        if let Some(v) = per_school.get_mut(row.school) {
            v.push((row.subject, row.positions));
        }
    }
    let mut teachers = Vec::new();
    for (idx, school) in schools.iter().enumerate() {
        let priority = townships.get(school.township).is_some_and(|t| t.priority);
        for (subject, n) in supply(rng, school, priority, &per_school[idx]) {
            for _ in 0..n {
                let id = format!("P{:05}", teachers.len() + 1);
                teachers.push(make_teacher(rng, id, idx, school, subject));
            }
        }
    }
    teachers
}

/// A helper and the schools it may exchange with for one slot (SPEC P1/T6).
pub(crate) struct ExchangeOption {
    pub helper: usize,
    pub partners: Vec<usize>,
    pub slot: Level,
}

fn can_be_sent(t: &Teacher, slot: Level, from_helper: bool) -> bool {
    if t.exempt || t.home_school.is_some() || !subjects_for(slot).contains(&t.subject) {
        return false;
    }
    if age_exempt(t.female, t.age()) && !t.volunteer {
        return false;
    }
    // SPEC T5: the helper sends key or senior teachers, the weaker side sends young ones.
    if from_helper {
        t.key || t.title >= Title::Senior
    } else {
        t.age() <= 40
    }
}

/// Puts `count` teachers on exchanges that started last summer (one per option, each option used
/// at most once); `continuing` of them run one more year. Returns how many were placed.
pub(crate) fn place_exchanges(
    rng: &mut ChaCha8Rng,
    teachers: &mut [Teacher],
    schools: &[School],
    options: &[ExchangeOption],
    count: usize,
    continuing: usize,
) -> usize {
    let mut by_school: Vec<Vec<usize>> = vec![Vec::new(); schools.len()];
    for (i, t) in teachers.iter().enumerate() {
        if let Some(v) = by_school.get_mut(t.school) {
            v.push(i);
        }
    }
    let mut order: Vec<usize> = (0..options.len()).collect();
    rng::shuffle(rng, &mut order);
    let mut placed: Vec<usize> = Vec::new();
    for &o in &order {
        if placed.len() >= count {
            break;
        }
        let opt = &options[o];
        if opt.partners.is_empty() {
            continue;
        }
        let from_helper = rng::chance(rng, 0.6);
        let mut partners = opt.partners.clone();
        rng::shuffle(rng, &mut partners);
        let chosen = if from_helper {
            let cands: Vec<usize> = by_school[opt.helper]
                .iter()
                .copied()
                .filter(|&i| can_be_sent(&teachers[i], opt.slot, true))
                .collect();
            rng::pick(rng, &cands).map(|&i| (i, partners[0]))
        } else {
            partners.iter().find_map(|&p| {
                let cands: Vec<usize> = by_school[p]
                    .iter()
                    .copied()
                    .filter(|&i| can_be_sent(&teachers[i], opt.slot, false))
                    .collect();
                rng::pick(rng, &cands).map(|&i| (i, opt.helper))
            })
        };
        if let Some((i, host)) = chosen {
            let t = &mut teachers[i];
            t.home_school = Some(t.school);
            t.school = host;
            t.exchange_until = Some(PLAN_YEAR);
            placed.push(i);
        }
    }
    rng::shuffle(rng, &mut placed);
    for &i in placed.iter().take(continuing) {
        teachers[i].exchange_until = Some(PLAN_YEAR + 1);
    }
    placed.len()
}
