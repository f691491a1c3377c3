//! Profile `scale`: a generic county of N schools for benchmarks, with the same per-school realism
//! as `hezhang` but synthetic names and geography.

use std::collections::{BTreeMap, BTreeSet};

use rand_chacha::ChaCha8Rng;

use super::GenerateError;
use super::demand::demand_rows;
use super::geo;
use super::model::{Instance, Kind, Level, School, Stage, Township};
use super::people::{self, ExchangeOption};
use super::rng::{self, Stream};
use super::schools::{VILLAGES, sample_quality, sample_size};

const COUNTY: &str = "云岭县";
/// Township centres sit on a jittered grid this far apart: about Hezhang's density
/// (30 townships on ~3,000 km²).
const SPACING_KM: f64 = 10.0;

const NAME_HEADS: &[&str] = &[
    "青", "龙", "白", "黑", "红", "金", "银", "石", "松", "柏", "杉", "梨", "桃", "竹", "花", "草",
    "新", "老", "大", "小", "高", "平", "长", "双", "三", "六", "九", "云", "雾", "风", "河", "水",
    "岩", "山", "坪", "坝", "营", "凤", "鹿", "马",
];
const NAME_TAILS: &[&str] = &[
    "山", "河", "坪", "坝", "寨", "场", "营", "溪", "岩", "林", "湾", "桥", "田", "关", "沟", "箐",
    "口", "井", "堡", "塘",
];

pub(crate) fn township_count(schools: usize) -> usize {
    (schools / 10).max(4)
}

pub(crate) fn helper_count(schools: usize) -> usize {
    ((schools + 10) / 20).max(5)
}

/// Chinese numerals up to 999, Arabic beyond (as school names do once they run that high).
fn zh_num(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 999 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h]);
        s.push('百');
    }
    if t > 0 {
        if !(h == 0 && t == 1) {
            s.push_str(D[t]);
        }
        s.push('十');
    } else if h > 0 && u > 0 {
        s.push('零');
    }
    if u > 0 {
        s.push_str(D[u]);
    }
    s
}

fn township_names(rng: &mut ChaCha8Rng, n: usize) -> Vec<String> {
    let mut combos: Vec<String> = Vec::new();
    for h in NAME_HEADS {
        for t in NAME_TAILS {
            if h != t {
                combos.push(format!("{h}{t}"));
            }
        }
    }
    rng::shuffle(rng, &mut combos);
    (0..n)
        .map(|i| {
            let base = &combos[i % combos.len()];
            let round = i / combos.len();
            let suffix = if i % 3 == 0 { "镇" } else { "乡" };
            if round == 0 {
                format!("{base}{suffix}")
            } else {
                format!("{base}{}{suffix}", zh_num(round + 1))
            }
        })
        .collect()
}

fn townships(rng: &mut ChaCha8Rng, n: usize) -> Vec<Township> {
    let mut side = 1usize;
    while side * side < n {
        side += 1;
    }
    let c = side as i64 - 1;
    let mut cells: Vec<(i64, i64)> = (0..side as i64)
        .flat_map(|i| (0..side as i64).map(move |j| (i, j)))
        .collect();
    // Nearest to the middle first: the county seat, then rings outwards, so the county is round.
    cells.sort_by_key(|&(i, j)| ((2 * i - c).pow(2) + (2 * j - c).pow(2), i, j));
    cells.truncate(n);
    let (i0, j0) = cells[0];
    let names = township_names(rng, n.saturating_sub(1));
    let mut out: Vec<Township> = Vec::with_capacity(n);
    for (k, &(i, j)) in cells.iter().enumerate() {
        let centre = ((i - i0) as f64 * SPACING_KM, (j - j0) as f64 * SPACING_KM);
        let (x, y) = if k == 0 {
            (0.0, 0.0)
        } else {
            geo::jitter(rng, centre, 0.0, 3.0)
        };
        let size = if k == 0 {
            3
        } else {
            rng::weighted(rng, &[(1u8, 0.3), (2, 0.45), (3, 0.25)]).unwrap_or(2)
        };
        out.push(Township {
            id: format!("T{:0w$}", k + 1, w = digits(n).max(2)),
            name: if k == 0 {
                "城关街道".to_string()
            } else {
                names[k - 1].clone()
            },
            urban: k == 0,
            x: geo::round2(x),
            y: geo::round2(y),
            priority: false,
            size,
        });
    }
    // Priority (poverty / relocation) areas: a share of the outer, most remote townships.
    let mut far: Vec<usize> = (1..n).collect();
    far.sort_by(|&a, &b| {
        let da = geo::dist2((out[a].x, out[a].y), (0.0, 0.0));
        let db = geo::dist2((out[b].x, out[b].y), (0.0, 0.0));
        db.total_cmp(&da).then(a.cmp(&b))
    });
    let outer = (far.len() * 2).div_ceil(5);
    for &t in far.iter().take(outer) {
        out[t].priority = rng::chance(rng, 0.55);
    }
    if let Some(&t) = far.first()
        && !out.iter().any(|t| t.priority)
    {
        out[t].priority = true;
    }
    out
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// Helper stages cycle so that the first five cover every stage and the mix tends to
/// kindergarten 30%, primary 30%, middle 20%, high 10%, nine_year 10%.
const HELPER_CYCLE: [Kind; 10] = [
    Kind::CountyKindergarten,
    Kind::CountyPrimary,
    Kind::CountyMiddle,
    Kind::CountyHigh,
    Kind::CountyNineYear,
    Kind::CountyKindergarten,
    Kind::CountyPrimary,
    Kind::CountyMiddle,
    Kind::CountyKindergarten,
    Kind::CountyPrimary,
];

const RURAL_EXTRA: &[(Kind, f64)] = &[
    (Kind::VillagePrimary, 0.36),
    (Kind::TeachingPoint, 0.24),
    (Kind::VillageKindergarten, 0.18),
    (Kind::TownMiddle, 0.08),
    (Kind::NineYear, 0.09),
    (Kind::RuralHigh, 0.04),
    (Kind::Vocational, 0.01),
];

const URBAN_EXTRA: &[(Kind, f64)] = &[
    (Kind::StreetPrimary, 0.33),
    (Kind::StreetKindergarten, 0.30),
    (Kind::StreetMiddle, 0.15),
    (Kind::VillagePrimary, 0.08),
    (Kind::CountyHigh, 0.08),
    (Kind::Vocational, 0.04),
    (Kind::TeachingPoint, 0.02),
];

/// Gives each school a name unique within the county.
struct Namer {
    counters: BTreeMap<String, usize>,
    village_next: Vec<usize>,
}

impl Namer {
    fn village(&mut self, township: usize) -> String {
        let k = self.village_next[township];
        self.village_next[township] += 1;
        let v = VILLAGES[(township * 7 + k) % VILLAGES.len()];
        let round = k / VILLAGES.len();
        if round == 0 {
            v.to_string()
        } else {
            format!("{v}{}", zh_num(round + 1))
        }
    }

    fn numbered(&mut self, pattern: &str) -> usize {
        let c = self.counters.entry(pattern.to_string()).or_insert(0);
        *c += 1;
        *c
    }

    fn name(&mut self, kind: Kind, helper: bool, township: usize, tname: &str) -> String {
        if helper {
            return match kind {
                Kind::CountyKindergarten => {
                    format!("{COUNTY}第{}幼儿园", zh_num(self.numbered("kg")))
                }
                Kind::CountyPrimary => format!("{COUNTY}第{}小学", zh_num(self.numbered("pri"))),
                Kind::CountyNineYear => {
                    format!("{COUNTY}第{}实验学校", zh_num(self.numbered("nine")))
                }
                _ => format!("{COUNTY}第{}中学", zh_num(self.numbered("mid"))),
            };
        }
        let base = match kind {
            Kind::CentralKindergarten => format!("{COUNTY}{tname}中心幼儿园"),
            Kind::CentralPrimary => format!("{COUNTY}{tname}中心小学"),
            Kind::TownMiddle | Kind::StreetMiddle => format!("{COUNTY}{tname}中学"),
            Kind::StreetKindergarten => format!("{COUNTY}{tname}幼儿园"),
            Kind::CountyHigh | Kind::RuralHigh => format!("{COUNTY}{tname}高级中学"),
            Kind::Vocational => format!("{COUNTY}{tname}职业学校"),
            Kind::VillageKindergarten => format!("{COUNTY}{tname}{}幼儿园", self.village(township)),
            Kind::VillagePrimary | Kind::StreetPrimary | Kind::CountyPrimary => {
                format!("{COUNTY}{tname}{}小学", self.village(township))
            }
            Kind::TeachingPoint => format!("{COUNTY}{tname}{}教学点", self.village(township)),
            Kind::NineYear | Kind::CountyNineYear => {
                format!("{COUNTY}{tname}{}九年一贯制学校", self.village(township))
            }
            Kind::CountyKindergarten => format!("{COUNTY}{tname}{}幼儿园", self.village(township)),
            Kind::CountyMiddle => format!("{COUNTY}{tname}中学"),
        };
        let n = self.numbered(&base);
        if n == 1 {
            base
        } else {
            // "…中学" → "…第二中学" reads naturally for repeated town schools.
            for suffix in ["高级中学", "中学"] {
                if let Some(head) = base.strip_suffix(suffix) {
                    return format!("{head}第{}{suffix}", zh_num(n));
                }
            }
            format!("{base}{}", zh_num(n))
        }
    }
}

pub(crate) fn build(seed: u64, n: usize) -> Result<Instance, GenerateError> {
    let mut geo_rng = rng::stream(seed, Stream::Geography);
    let mut school_rng = rng::stream(seed, Stream::Schools);
    let t_count = township_count(n);
    let h_count = helper_count(n);
    let townships = townships(&mut geo_rng, t_count);
    let points: Vec<(f64, f64)> = townships.iter().map(|t| (t.x, t.y)).collect();
    let edges = geo::adjacency(&points);

    // (township, kind, helper) for every school, before names and ids.
    let mut plan: Vec<(usize, Kind, bool)> = Vec::with_capacity(n);
    for k in 0..h_count {
        plan.push((0, HELPER_CYCLE[k % HELPER_CYCLE.len()], true));
    }
    for (t, tw) in townships.iter().enumerate() {
        // Every township has every compulsory stage (the urban one besides its helpers).
        if tw.urban {
            plan.push((t, Kind::StreetKindergarten, false));
            plan.push((t, Kind::StreetPrimary, false));
            plan.push((t, Kind::StreetMiddle, false));
        } else {
            plan.push((t, Kind::CentralKindergarten, false));
            plan.push((t, Kind::CentralPrimary, false));
            let upper = if rng::chance(&mut school_rng, 0.2) {
                Kind::NineYear
            } else {
                Kind::TownMiddle
            };
            plan.push((t, upper, false));
        }
    }
    let extra = n.checked_sub(plan.len()).ok_or_else(|| {
        GenerateError::Internal(format!(
            "{n} schools cannot hold {} helpers and 3 schools in each of {t_count} townships",
            h_count
        ))
    })?;
    let weights: Vec<(usize, f64)> = townships
        .iter()
        .enumerate()
        .map(|(t, tw)| (t, if tw.urban { 4.0 } else { f64::from(tw.size) }))
        .collect();
    // A county has about one vocational school per 300 schools, and a township at most one
    // non-helper high school and one vocational school.
    let vocational_cap = (n / 300).max(1);
    let mut vocational = 0usize;
    let mut upper_seen: BTreeSet<(usize, Stage)> = BTreeSet::new();
    for _ in 0..extra {
        let t = rng::weighted(&mut school_rng, &weights).unwrap_or(0);
        let (table, fallback) = if townships[t].urban {
            (URBAN_EXTRA, Kind::StreetPrimary)
        } else {
            (RURAL_EXTRA, Kind::VillagePrimary)
        };
        let mut kind = rng::weighted(&mut school_rng, table).unwrap_or(fallback);
        let stage = kind.stage();
        if matches!(stage, Stage::High | Stage::Vocational) {
            let over_cap = stage == Stage::Vocational && vocational >= vocational_cap;
            if over_cap || !upper_seen.insert((t, stage)) {
                kind = fallback;
            } else if stage == Stage::Vocational {
                vocational += 1;
            }
        }
        plan.push((t, kind, false));
    }
    plan.sort_by_key(|&(t, kind, helper)| (t, !helper, stage_rank(kind.stage())));

    let mut namer = Namer {
        counters: Default::default(),
        village_next: vec![0; townships.len()],
    };
    let width = digits(n).max(3);
    let mut schools: Vec<School> = Vec::with_capacity(n);
    for (t, kind, helper) in plan {
        let tw = &townships[t];
        let name = namer.name(kind, helper, t, &tw.name);
        let (classes, students) = sample_size(&mut school_rng, kind, tw.size);
        let quality = sample_quality(&mut school_rng, kind, helper, tw.priority);
        let centre_school = matches!(
            kind,
            Kind::CentralKindergarten | Kind::CentralPrimary | Kind::TownMiddle | Kind::RuralHigh
        );
        let (lo, hi) = if tw.urban {
            (0.0, 1.5)
        } else if centre_school {
            (0.0, 0.8)
        } else {
            (1.0, 4.5)
        };
        let (x, y) = geo::jitter(&mut school_rng, (tw.x, tw.y), lo, hi);
        schools.push(School {
            id: format!("S{:0width$}", schools.len() + 1),
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

    let demand = demand_rows(&schools);
    let mut teacher_rng = rng::stream(seed, Stream::Teachers);
    let mut teachers = people::staff(&mut teacher_rng, &schools, &townships, &demand);

    let mut ex_rng = rng::stream(seed, Stream::Exchanges);
    let options = exchange_options(&mut ex_rng, &schools, &townships);
    let count = (n / 25).clamp(2, 400);
    people::place_exchanges(
        &mut ex_rng,
        &mut teachers,
        &schools,
        &options,
        count,
        count / 6,
    );

    Ok(Instance {
        townships,
        edges,
        schools,
        teachers,
        demand,
    })
}

fn stage_rank(stage: Stage) -> u8 {
    match stage {
        Stage::High => 0,
        Stage::Vocational => 1,
        Stage::NineYear => 2,
        Stage::Middle => 3,
        Stage::Primary => 4,
        Stage::Kindergarten => 5,
    }
}

/// Without seed groups, each helper is imagined paired with one rural township for its slot.
fn exchange_options(
    rng: &mut ChaCha8Rng,
    schools: &[School],
    townships: &[Township],
) -> Vec<ExchangeOption> {
    let rural: Vec<usize> = (0..townships.len())
        .filter(|&t| !townships[t].urban)
        .collect();
    let mut out = Vec::new();
    for (h, s) in schools.iter().enumerate().filter(|(_, s)| s.helper) {
        let slot = match s.stage() {
            Stage::Kindergarten => Level::Kindergarten,
            Stage::Primary => Level::Primary,
            _ => Level::Middle,
        };
        let Some(&t) = rng::pick(rng, &rural) else {
            continue;
        };
        let partners: Vec<usize> = schools
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.township == t && !p.helper && p.serves(slot) && p.kind != Kind::TeachingPoint
            })
            .map(|(i, _)| i)
            .collect();
        out.push(ExchangeOption {
            helper: h,
            partners,
            slot,
        });
    }
    out
}

/// A starting policy for benchmarks on a `scale` county.
pub(crate) fn policy_toml(inst: &Instance) -> String {
    let highs = inst
        .schools
        .iter()
        .filter(|s| s.stage() == Stage::High)
        .count();
    let high_groups = highs.div_ceil(5).max(1);
    let compulsory_groups = (inst.townships.len() / 4).max(2).min(inst.townships.len());
    format!(
        r#"# Starting policy for a synthetic `scale` county ({schools} schools, {townships} townships).
plan_year = 2026

[[track]]
name = "high"
stages = ["high"]
mode = "schools"
count = {high_groups}
max_schools = 6
include_helpers = true

[[track]]
name = "compulsory"
stages = ["kindergarten", "primary", "middle", "nine_year"]
mode = "townships"
count = {compulsory_groups}
include_helpers = false
contiguous = false

[pairing]
level = "group"
helper_capacity = 2
min_quality_gap = 0
priority_weight = 2

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
"#,
        schools = inst.schools.len(),
        townships = inst.townships.len(),
    )
}
