//! Size, quality and naming of schools by kind, shared by both profiles.

use rand_chacha::ChaCha8Rng;

use super::model::{Classes, Kind};
use super::rng;

/// Classes per grade around `base`, with a grade here and there one larger or smaller, as real
/// enrolment waves do.
fn grades<const N: usize>(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> [u32; N] {
    let base = rng::int(rng, lo, hi);
    let mut out = [0; N];
    for g in out.iter_mut() {
        let wobble = rng::int(rng, 0, 5);
        *g = match wobble {
            0 if base > 1 => base - 1,
            5 => base + 1,
            _ => base,
        };
    }
    out
}

/// Draws the classes and the number of students for a school of `kind` in a township of
/// `size` (1 small .. 3 large). Class sizes follow the per-stage norms (kindergarten 25–30,
/// primary 35–45, middle 45–50, high ≈ 50), smaller in villages.
pub(crate) fn sample_size(rng: &mut ChaCha8Rng, kind: Kind, size: u8) -> (Classes, u32) {
    let s = u32::from(size.clamp(1, 3));
    let mut c = Classes::default();
    // Students per class, per level: (kindergarten, primary, middle, high/vocational).
    let (kg_per, pri_per, mid_per, high_per);
    match kind {
        Kind::CountyKindergarten => {
            c.kg = rng::int(rng, 12, 20);
            kg_per = rng::int(rng, 28, 32);
            (pri_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::StreetKindergarten => {
            c.kg = rng::int(rng, 6, 10);
            kg_per = rng::int(rng, 27, 31);
            (pri_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::CentralKindergarten => {
            c.kg = rng::int(rng, 3 + s, 5 + 2 * s);
            kg_per = rng::int(rng, 25, 30);
            (pri_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::VillageKindergarten => {
            c.kg = rng::int(rng, 2, 4);
            kg_per = rng::int(rng, 18, 27);
            (pri_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::CountyPrimary => {
            c.primary = grades(rng, 6, 9);
            pri_per = rng::int(rng, 44, 50);
            (kg_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::StreetPrimary => {
            c.primary = grades(rng, 2, 4);
            pri_per = rng::int(rng, 40, 46);
            (kg_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::CentralPrimary => {
            c.primary = grades(rng, 1 + s, 2 + s);
            pri_per = rng::int(rng, 38, 45);
            (kg_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::VillagePrimary => {
            let per_grade = if rng::chance(rng, 0.25) { 2 } else { 1 };
            c.primary = [per_grade; 6];
            pri_per = rng::int(rng, 20, 38);
            (kg_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::TeachingPoint => {
            // Multi-grade classes of the first grades only; well under 60 pupils.
            let n = rng::int(rng, 1, 3) as usize;
            for g in c.primary.iter_mut().take(n) {
                *g = 1;
            }
            pri_per = rng::int(rng, 6, 19);
            (kg_per, mid_per, high_per) = (0, 0, 0);
        }
        Kind::CountyMiddle => {
            c.middle = grades(rng, 10, 15);
            mid_per = rng::int(rng, 48, 52);
            (kg_per, pri_per, high_per) = (0, 0, 0);
        }
        Kind::StreetMiddle => {
            c.middle = grades(rng, 5, 8);
            mid_per = rng::int(rng, 46, 50);
            (kg_per, pri_per, high_per) = (0, 0, 0);
        }
        Kind::TownMiddle => {
            c.middle = grades(rng, 2 + s, 3 + 2 * s);
            mid_per = rng::int(rng, 44, 50);
            (kg_per, pri_per, high_per) = (0, 0, 0);
        }
        Kind::CountyNineYear => {
            c.primary = grades(rng, 4, 6);
            c.middle = grades(rng, 4, 6);
            pri_per = rng::int(rng, 44, 48);
            mid_per = rng::int(rng, 48, 50);
            (kg_per, high_per) = (0, 0);
        }
        Kind::NineYear => {
            c.primary = grades(rng, 1, 2);
            c.middle = grades(rng, 1, 3);
            pri_per = rng::int(rng, 30, 40);
            mid_per = rng::int(rng, 40, 48);
            (kg_per, high_per) = (0, 0);
        }
        Kind::CountyHigh => {
            c.high = grades(rng, 12, 22);
            high_per = rng::int(rng, 48, 54);
            (kg_per, pri_per, mid_per) = (0, 0, 0);
        }
        Kind::RuralHigh => {
            c.high = grades(rng, 9, 14);
            high_per = rng::int(rng, 48, 54);
            (kg_per, pri_per, mid_per) = (0, 0, 0);
        }
        Kind::Vocational => {
            c.vocational = rng::int(rng, 30, 48);
            high_per = rng::int(rng, 38, 46);
            (kg_per, pri_per, mid_per) = (0, 0, 0);
        }
    }
    let pri: u32 = c.primary.iter().sum();
    let mid: u32 = c.middle.iter().sum();
    let high: u32 = c.high.iter().sum::<u32>() + c.vocational;
    let nominal = c.kg * kg_per + pri * pri_per + mid * mid_per + high * high_per;
    // Real rolls are not multiples of the class size.
    let slack = c.total();
    let students = (nominal + rng::int(rng, 0, 2 * slack))
        .saturating_sub(slack)
        .max(1);
    let students = if kind == Kind::TeachingPoint {
        students.min(59)
    } else {
        students
    };
    (c, students)
}

/// Quality 0–100: helpers 80–95, other county-seat schools 62–80, rural schools 35–75 by kind,
/// a few points lower in priority (poverty / relocation) townships.
pub(crate) fn sample_quality(
    rng: &mut ChaCha8Rng,
    kind: Kind,
    helper: bool,
    priority: bool,
) -> f64 {
    let q = if helper {
        rng::uniform(rng, 80.0, 95.0)
    } else {
        let (mean, sd, lo, hi) = match kind {
            Kind::CountyKindergarten
            | Kind::StreetKindergarten
            | Kind::CountyPrimary
            | Kind::StreetPrimary
            | Kind::CountyMiddle
            | Kind::StreetMiddle
            | Kind::CountyNineYear => (71.0, 4.5, 62.0, 80.0),
            Kind::CountyHigh => (80.0, 3.0, 74.0, 86.0),
            Kind::RuralHigh => (71.0, 3.0, 64.0, 78.0),
            Kind::Vocational => (60.0, 3.0, 52.0, 68.0),
            Kind::CentralPrimary | Kind::TownMiddle => (63.0, 5.0, 45.0, 75.0),
            Kind::CentralKindergarten => (60.0, 5.0, 42.0, 75.0),
            Kind::NineYear | Kind::VillagePrimary => (53.0, 6.0, 38.0, 70.0),
            Kind::VillageKindergarten => (50.0, 6.0, 36.0, 68.0),
            Kind::TeachingPoint => (42.0, 4.0, 35.0, 52.0),
        };
        let penalty = if priority { 5.0 } else { 0.0 };
        (mean - penalty + sd * rng::normalish(rng)).clamp(lo, hi)
    };
    (q * 10.0).round() / 10.0
}

/// Village names for village schools and teaching points: common Guizhou place-name patterns.
pub(crate) const VILLAGES: &[&str] = &[
    "大坪", "新寨", "龙井", "白岩", "石板", "青杠", "黑泥", "海子", "红岩", "松林", "杉树", "田坝",
    "坪子", "水井", "观音", "营盘", "双龙", "中寨", "下寨", "上寨", "后山", "前进", "光明", "团结",
    "新华", "民主", "和平", "三合", "四方", "五里", "六合", "七里", "八里", "九龙", "发达", "兴隆",
    "大湾", "小河", "大河", "岩脚", "坡脚", "沙坝", "麻窝", "草坪", "箐口", "梨树", "核桃", "银厂",
    "铜厂", "羊场", "马场", "牛场", "龙场", "高山", "河坝", "老街", "平寨", "阿都", "果布", "结里",
    "金星", "水营", "花园", "狮子", "鱼塘", "荞地", "苗寨", "彝寨", "乐利", "安山",
];
