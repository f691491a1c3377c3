//! Profile `hezhang`: 赫章县 (Bijie, Guizhou) as set up by 赫府办发〔2021〕60号 附件2 — 2 high-school
//! groups, 8 compulsory + preschool groups made of 30 whole townships/streets, and the county-seat
//! schools that help each of the 8 groups.

use rand_chacha::ChaCha8Rng;

use super::GenerateError;
use super::demand::demand_rows;
use super::geo;
use super::model::{Instance, Kind, Level, School, Stage, Township};
use super::people::{self, ExchangeOption};
use super::rng::{self, Stream};
use super::schools::{VILLAGES, sample_quality, sample_size};

/// (name, urban, x_km, y_km, size, priority). Coordinates are synthetic: the county seat at (0,0),
/// each seed group in its own sector of a ~60×50 km county, roughly where the townships lie on a
/// map. Order is the seed document's order, which fixes the ids T01..T30.
const TOWNSHIPS: [(&str, bool, f64, f64, u8, bool); 30] = [
    // 第一教育集团: the five county-seat streets and 达依乡 just south of them.
    ("双河街道", true, 0.0, 0.4, 2, false),
    ("汉阳街道", true, -1.9, -0.7, 2, false),
    ("金银山街道", true, 2.2, -1.5, 2, false),
    ("七家湾街道", true, 1.1, 2.1, 2, false),
    ("白果街道", true, -2.5, 2.6, 2, false),
    ("达依乡", false, 3.6, -8.4, 2, false),
    // 第二: far west, on the 威宁 border.
    ("兴发乡", false, -34.0, 6.0, 1, true),
    ("松林坡乡", false, -27.0, 2.0, 2, false),
    ("雉街乡", false, -21.0, 8.5, 1, false),
    // 第三: south-west.
    ("水塘堡乡", false, -12.0, -4.0, 2, false),
    ("妈姑镇", false, -20.0, -6.5, 3, false),
    ("罗州镇", false, -17.0, -15.5, 3, false),
    ("珠市乡", false, -30.0, -10.0, 1, true),
    // 第四: north-west.
    ("双坪乡", false, -14.5, 14.5, 2, false),
    ("可乐乡", false, -26.0, 16.0, 2, false),
    ("辅处乡", false, -21.0, 23.0, 2, true),
    ("铁匠乡", false, -9.0, 7.0, 1, false),
    // 第五: north-east.
    ("河镇乡", false, 5.0, 23.5, 2, true),
    ("德卓镇", false, 9.0, 14.0, 3, false),
    ("安乐溪乡", false, 15.5, 21.0, 1, true),
    // 第六: north.
    ("财神镇", false, -6.5, 16.5, 3, false),
    ("朱明镇", false, -1.0, 10.0, 2, false),
    ("结构乡", false, -4.0, 23.5, 2, false),
    // 第七: east.
    ("六曲河镇", false, 19.5, 9.0, 3, false),
    ("古基镇", false, 12.0, -9.0, 3, false),
    ("哲庄镇", false, 16.5, 0.0, 2, false),
    // 第八: south.
    ("野马川镇", false, -6.0, -12.0, 3, false),
    ("平山镇", false, 1.0, -18.0, 3, false),
    ("古达乡", false, 9.0, -21.5, 1, true),
    ("威奢乡", false, -8.0, -22.5, 2, true),
];

/// Township indices of the seed's 8 compulsory + preschool groups (附件2 §二(二)).
pub(crate) const GROUPS: [&[usize]; 8] = [
    &[0, 1, 2, 3, 4, 5],
    &[6, 7, 8],
    &[9, 10, 11, 12],
    &[13, 14, 15, 16],
    &[17, 18, 19],
    &[20, 21, 22],
    &[23, 24, 25],
    &[26, 27, 28, 29],
];

/// 附件2 §二(三): (middle helper, primary helper, kindergarten helper) for groups 1..8.
const PAIRINGS: [(&str, &str, &str); 8] = [
    ("赫章县第一中学", "赫章县第一小学", "赫章县第一幼儿园"),
    ("赫章县第二中学", "赫章县第一小学", "赫章县第三幼儿园"),
    ("赫章县第三中学", "赫章县第二小学", "赫章县第四幼儿园"),
    ("赫章县第四中学", "赫章县第二小学", "赫章县第五幼儿园"),
    ("赫章县民族中学", "赫章县实验小学", "赫章县第一幼儿园"),
    ("赫章县思源实验学校", "赫章县实验小学", "赫章县第九幼儿园"),
    ("赫章县第五中学", "赫章县第三小学", "赫章县第十幼儿园"),
    ("赫章县实验中学", "赫章县第三小学", "赫章县第六幼儿园"),
];

pub(crate) fn pairing_names() -> &'static [(&'static str, &'static str, &'static str); 8] {
    &PAIRINGS
}

/// 附件2 §二(一).
const HIGH_GROUPS: [[&str; 3]; 2] = [
    ["赫章县第一中学", "赫章县民族中学", "赫章县野马川中学"],
    ["赫章县第二中学", "赫章县实验中学", "赫章县第三中学"],
];

/// Named schools: (name, township index, kind, helper). Which street each county-seat school
/// stands in is an assumption; the document only says they are 县城区 schools.
const NAMED: &[(&str, usize, Kind, bool)] = &[
    ("赫章县第一中学", 0, Kind::CountyHigh, true),
    ("赫章县第四中学", 0, Kind::CountyMiddle, true),
    ("赫章县第一小学", 0, Kind::CountyPrimary, true),
    ("赫章县第一幼儿园", 0, Kind::CountyKindergarten, true),
    ("赫章县第二幼儿园", 0, Kind::CountyKindergarten, false),
    ("赫章县民族中学", 1, Kind::CountyHigh, true),
    ("赫章县第二小学", 1, Kind::CountyPrimary, true),
    ("赫章县第三幼儿园", 1, Kind::CountyKindergarten, true),
    ("赫章县第四幼儿园", 1, Kind::CountyKindergarten, true),
    ("赫章县实验中学", 2, Kind::CountyHigh, true),
    ("赫章县思源实验学校", 2, Kind::CountyNineYear, true),
    ("赫章县第五幼儿园", 2, Kind::CountyKindergarten, true),
    ("赫章县第九幼儿园", 2, Kind::CountyKindergarten, true),
    ("赫章县第二中学", 3, Kind::CountyHigh, true),
    ("赫章县实验小学", 3, Kind::CountyPrimary, true),
    ("赫章县第十幼儿园", 3, Kind::CountyKindergarten, true),
    ("赫章县第三中学", 4, Kind::CountyHigh, true),
    ("赫章县第五中学", 4, Kind::CountyMiddle, true),
    ("赫章县第三小学", 4, Kind::CountyPrimary, true),
    ("赫章县第六幼儿园", 4, Kind::CountyKindergarten, true),
    ("赫章县中等职业学校", 4, Kind::Vocational, false),
    ("赫章县野马川中学", 26, Kind::RuralHigh, false),
];

/// School plan for one township: (kind, name) in the order ids are given.
fn township_plan(
    rng: &mut ChaCha8Rng,
    t: usize,
    name: &str,
    urban: bool,
    size: u8,
) -> Vec<(Kind, String)> {
    let mut villages: Vec<&str> = VILLAGES.to_vec();
    rng::shuffle(rng, &mut villages);
    let mut villages = villages.into_iter();
    let mut next_village = || villages.next().unwrap_or("新村");
    let mut plan: Vec<(Kind, String)> = NAMED
        .iter()
        .filter(|(_, tw, _, _)| *tw == t)
        .map(|(n, _, k, _)| (*k, (*n).to_string()))
        .collect();
    if urban {
        // Every street also has its own non-helper schools, so group 1 has members of every stage.
        plan.push((Kind::StreetKindergarten, format!("赫章县{name}幼儿园")));
        for _ in 0..rng::int(rng, 1, 2) {
            plan.push((
                Kind::StreetPrimary,
                format!("赫章县{name}{}小学", next_village()),
            ));
        }
        plan.push((Kind::StreetMiddle, format!("赫章县{name}中学")));
        // The streets reach into the surrounding hills.
        if rng::chance(rng, 0.6) {
            plan.push((
                Kind::VillagePrimary,
                format!("赫章县{name}{}小学", next_village()),
            ));
        }
        if rng::chance(rng, 0.4) {
            plan.push((
                Kind::TeachingPoint,
                format!("赫章县{name}{}教学点", next_village()),
            ));
        }
        return plan;
    }
    let s = u32::from(size);
    plan.push((Kind::CentralKindergarten, format!("赫章县{name}中心幼儿园")));
    for _ in 0..rng::int(rng, s.saturating_sub(1), s + 1) {
        plan.push((
            Kind::VillageKindergarten,
            format!("赫章县{name}{}幼儿园", next_village()),
        ));
    }
    plan.push((Kind::CentralPrimary, format!("赫章县{name}中心小学")));
    for _ in 0..rng::int(rng, s + 1, 2 * s + 1) {
        plan.push((
            Kind::VillagePrimary,
            format!("赫章县{name}{}小学", next_village()),
        ));
    }
    for _ in 0..rng::int(rng, 1, s + 1) {
        plan.push((
            Kind::TeachingPoint,
            format!("赫章县{name}{}教学点", next_village()),
        ));
    }
    // 野马川中学 is the high school; the township's own junior middle school needs another name.
    let middle = if name == "野马川镇" {
        "赫章县野马川镇初级中学".to_string()
    } else {
        format!("赫章县{name}中学")
    };
    plan.push((Kind::TownMiddle, middle));
    if size == 3 && rng::chance(rng, 0.5) {
        plan.push((Kind::TownMiddle, format!("赫章县{name}第二中学")));
    }
    if rng::chance(rng, 0.2 + 0.15 * f64::from(size)) {
        plan.push((
            Kind::NineYear,
            format!("赫章县{name}{}九年一贯制学校", next_village()),
        ));
    }
    plan
}

fn stage_rank(kind: Kind) -> u8 {
    match kind.stage() {
        Stage::High => 0,
        Stage::Vocational => 1,
        Stage::NineYear => 2,
        Stage::Middle => 3,
        Stage::Primary => 4,
        Stage::Kindergarten => 5,
    }
}

pub(crate) fn build(seed: u64) -> Result<Instance, GenerateError> {
    let mut geo_rng = rng::stream(seed, Stream::Geography);
    let mut school_rng = rng::stream(seed, Stream::Schools);

    let townships: Vec<Township> = TOWNSHIPS
        .iter()
        .enumerate()
        .map(|(i, &(name, urban, x, y, size, priority))| {
            // A small per-seed wobble so that different seeds give different distances while the
            // map keeps its shape.
            let (x, y) = geo::jitter(&mut geo_rng, (x, y), 0.0, if urban { 0.3 } else { 1.5 });
            Township {
                id: format!("T{:02}", i + 1),
                name: name.to_string(),
                urban,
                x: geo::round2(x),
                y: geo::round2(y),
                priority,
                size,
            }
        })
        .collect();
    let points: Vec<(f64, f64)> = townships.iter().map(|t| (t.x, t.y)).collect();
    let mut edges = geo::adjacency(&points);
    let groups: Vec<Vec<usize>> = GROUPS.iter().map(|g| g.to_vec()).collect();
    geo::connect_groups(&points, &mut edges, &groups);

    let mut schools: Vec<School> = Vec::new();
    for (t, tw) in townships.iter().enumerate() {
        let mut plan = township_plan(&mut school_rng, t, &tw.name, tw.urban, tw.size);
        plan.sort_by_key(|(k, _)| stage_rank(*k));
        for (kind, name) in plan {
            let helper = NAMED.iter().any(|(n, _, _, h)| *h && *n == name.as_str());
            let (classes, students) = sample_size(&mut school_rng, kind, tw.size);
            let quality = sample_quality(&mut school_rng, kind, helper, tw.priority);
            let centre_school = matches!(
                kind,
                Kind::CentralKindergarten
                    | Kind::CentralPrimary
                    | Kind::TownMiddle
                    | Kind::RuralHigh
            );
            let (lo, hi) = if tw.urban {
                (0.0, 1.2)
            } else if centre_school {
                (0.0, 0.8)
            } else {
                (1.0, 4.5)
            };
            let (x, y) = geo::jitter(&mut school_rng, (tw.x, tw.y), lo, hi);
            schools.push(School {
                id: format!("S{:03}", schools.len() + 1),
                name,
                township: t,
                kind,
                quality,
                students,
                classes,
                x: geo::round2(x),
                y: geo::round2(y),
                helper,
            });
        }
    }

    let demand = demand_rows(&schools);

    let mut teacher_rng = rng::stream(seed, Stream::Teachers);
    let mut teachers = people::staff(&mut teacher_rng, &schools, &townships, &demand);

    let options = exchange_options(&schools)?;
    let mut ex_rng = rng::stream(seed, Stream::Exchanges);
    let count = rng::int(&mut ex_rng, 10, 14) as usize;
    people::place_exchanges(&mut ex_rng, &mut teachers, &schools, &options, count, 2);

    Ok(Instance {
        townships,
        edges,
        schools,
        teachers,
        demand,
    })
}

fn school_by_name(schools: &[School], name: &str) -> Result<usize, GenerateError> {
    schools
        .iter()
        .position(|s| s.name == name)
        .ok_or_else(|| GenerateError::Internal(format!("named school {name} was not generated")))
}

/// Non-helper schools of the compulsory track in seed group `g` (0-based).
pub(crate) fn group_members(schools: &[School], g: usize) -> Vec<usize> {
    schools
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            !s.helper && s.stage().is_compulsory_track() && GROUPS[g].contains(&s.township)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The 24 seed pairings as (helper, group 0-based, slot).
fn pairings(schools: &[School]) -> Result<Vec<(usize, usize, Level)>, GenerateError> {
    let mut out = Vec::new();
    for (g, (mid, pri, kg)) in PAIRINGS.iter().enumerate() {
        out.push((school_by_name(schools, mid)?, g, Level::Middle));
        out.push((school_by_name(schools, pri)?, g, Level::Primary));
        out.push((school_by_name(schools, kg)?, g, Level::Kindergarten));
    }
    Ok(out)
}

fn exchange_options(schools: &[School]) -> Result<Vec<ExchangeOption>, GenerateError> {
    Ok(pairings(schools)?
        .into_iter()
        .map(|(helper, g, slot)| ExchangeOption {
            helper,
            // A county-seat teacher is not sent to a one-room 教学点.
            partners: group_members(schools, g)
                .into_iter()
                .filter(|&i| schools[i].serves(slot) && schools[i].kind != Kind::TeachingPoint)
                .collect(),
            slot,
        })
        .collect())
}

/// Highest quality first, then smallest id: the seed's core school of a group. Kindergartens
/// do not lead (the policy's `core_stages`).
fn core_of(schools: &[School], members: &[usize]) -> Option<usize> {
    members
        .iter()
        .copied()
        .filter(|&i| schools[i].core_eligible() && schools[i].stage() != Stage::Kindergarten)
        .max_by(|&a, &b| {
            schools[a]
                .quality
                .total_cmp(&schools[b].quality)
                .then(b.cmp(&a))
        })
}

/// Rows of `groups_seed.csv`: (track, group, school index, role).
pub(crate) fn seed_groups(
    schools: &[School],
) -> Result<Vec<(&'static str, String, usize, &'static str)>, GenerateError> {
    let mut rows = Vec::new();
    let mut push_group =
        |track: &'static str, group: String, members: Vec<usize>| -> Result<(), GenerateError> {
            let core = core_of(schools, &members).ok_or_else(|| {
                GenerateError::Internal(format!("group {group} has no core-eligible school"))
            })?;
            rows.push((track, group.clone(), core, "core"));
            for m in members.into_iter().filter(|&m| m != core) {
                rows.push((track, group.clone(), m, "member"));
            }
            Ok(())
        };
    for (g, names) in HIGH_GROUPS.iter().enumerate() {
        let mut members = names
            .iter()
            .map(|n| school_by_name(schools, n))
            .collect::<Result<Vec<_>, _>>()?;
        members.sort_unstable();
        push_group("high", format!("high-{}", g + 1), members)?;
    }
    for g in 0..GROUPS.len() {
        push_group(
            "compulsory",
            format!("compulsory-{}", g + 1),
            group_members(schools, g),
        )?;
    }
    Ok(rows)
}

/// Rows of `baseline_pairings.csv`: (helper index, group id, slot).
pub(crate) fn seed_pairings(
    schools: &[School],
) -> Result<Vec<(usize, String, Level)>, GenerateError> {
    Ok(pairings(schools)?
        .into_iter()
        .map(|(h, g, slot)| (h, format!("compulsory-{}", g + 1), slot))
        .collect())
}

pub(crate) const POLICY_TOML: &str = r#"# 赫章县 set-up of 赫府办发〔2021〕60号 附件2, in rotaplan's policy format (SPEC.md).
plan_year = 2026

# 附件2 §二(一): 2 普通高中教育集团 of 3 schools each; the county-seat high schools are also helpers.
[[track]]
name = "high"
stages = ["high"]
mode = "schools"
count = 2
max_schools = 3
core_min_quality = 0
include_helpers = true
contiguous = false
balance_weight = 0.0

# 附件2 §二(二): 8 义教和学前教育集团 made of whole townships/streets.
[[track]]
name = "compulsory"
stages = ["kindergarten", "primary", "middle", "nine_year"]
mode = "townships"
count = 8
core_min_quality = 0
# G3: kindergartens belong to these groups but do not lead them.
core_stages = ["primary", "middle", "nine_year"]
include_helpers = false
contiguous = true
balance_weight = 0.0

# 附件2 §二(三): county-seat schools help the 8 groups by stage; 第一小学 helps two groups.
[pairing]
level = "group"
helper_capacity = 2
min_quality_gap = 0
priority_weight = 2

# 附件2 §三(三) and the SPEC defaults.
[rotation]
cross_cap_share = 0.10
exempt_age_male = 55
exempt_age_female = 50
exchange_years = 1
exchanges_per_pairing = 1
dispatched_max_age = 40
helper_sends_key_or_senior = true
national_floor = false
floor_share = 0.10
floor_key_share = 0.20
eligible_years = 6

[solver]
time_limit_s = 60
threads = 0
"#;
