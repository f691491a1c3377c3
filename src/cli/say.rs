//! What the terminal says, in the run's terminal language (`--lang`, else the locale).
//!
//! Every sentence rotaplan composes for the terminal is here, Chinese beside English, so a
//! verb never prints a phrase in one language only. Solver explanations and input problems
//! keep their own words; this module frames them.

use std::path::Path;

use crate::lang::Lang;
use crate::solve::mip::SolveStatus;

/// `n` and the noun, singular or plural in English (Chinese has no plural).
pub fn count(lang: Lang, n: usize, zh_unit: &str, en_one: &str, en_many: &str) -> String {
    match lang {
        Lang::Zh => format!("{n} {zh_unit}"),
        Lang::En if n == 1 => format!("1 {en_one}"),
        Lang::En => format!("{n} {en_many}"),
    }
}

/// A solver status in words (the coded value stays in summary.json).
pub fn status(lang: Lang, s: SolveStatus) -> &'static str {
    match (s, lang) {
        (SolveStatus::Optimal, Lang::Zh) => "最优（已证明）",
        (SolveStatus::Feasible, Lang::Zh) => "可行（到时限，未证明最优）",
        (SolveStatus::Infeasible, Lang::Zh) => "不可行",
        (SolveStatus::TimeLimit, Lang::Zh) => "到时限仍无解",
        (s, Lang::En) => s.as_str(),
    }
}

pub fn wrote(lang: Lang, path: &Path) -> String {
    match lang {
        Lang::Zh => format!("已写入 {}", path.display()),
        Lang::En => format!("wrote {}", path.display()),
    }
}

/// One grouping track, as `groups` and `plan` report it when the step ends.
pub struct TrackLine<'a> {
    pub track: &'a str,
    pub groups: usize,
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub seconds: f64,
}

pub fn track(lang: Lang, t: &TrackLine<'_>) -> String {
    let groups = count(lang, t.groups, "个集团", "group", "groups");
    match lang {
        Lang::Zh => format!(
            "分组 {}：{groups}，{}，目标值 {:.4}，界 {:.4}，间隙 {:.2e}（{:.2} 秒）",
            t.track,
            status(lang, t.status),
            t.objective,
            t.bound,
            t.gap,
            t.seconds
        ),
        Lang::En => format!(
            "groups {}: {groups}, {} (objective {:.4}, bound {:.4}, gap {:.2e}, {:.2} s)",
            t.track,
            status(lang, t.status),
            t.objective,
            t.bound,
            t.gap,
            t.seconds
        ),
    }
}

/// The pairing step's line.
pub struct PairLine {
    pub status: SolveStatus,
    pub pairings: usize,
    pub covered: usize,
    pub slots: usize,
    pub uncovered: usize,
    pub km: String,
}

pub fn pairing(lang: Lang, p: &PairLine) -> String {
    let uncovered = count(lang, p.uncovered, "个岗位未覆盖", "slot", "slots");
    match lang {
        Lang::Zh => format!(
            "结对：{}，{} 对结对，覆盖 {} / {} 个岗位，{uncovered}，合计 {} 公里",
            status(lang, p.status),
            p.pairings,
            p.covered,
            p.slots,
            p.km
        ),
        Lang::En => format!(
            "pairing: {}, {}, {} of {} covered, {uncovered} uncovered, {} km",
            status(lang, p.status),
            count(lang, p.pairings, "", "pairing", "pairings"),
            p.covered,
            count(lang, p.slots, "", "slot", "slots"),
            p.km
        ),
    }
}

pub fn uncovered_slot(lang: Lang, label: &str, reason: &str) -> String {
    match lang {
        Lang::Zh => format!("  未覆盖 {label}：{reason}"),
        Lang::En => format!("  uncovered {label}: {reason}"),
    }
}

pub fn more_uncovered(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("  …… 另有 {n} 个未覆盖岗位，原因见 summary.json"),
        Lang::En => format!(
            "  … and {} more, each with its reason in summary.json",
            count(lang, n, "", "uncovered slot", "uncovered slots")
        ),
    }
}

/// The rotation step's line.
pub struct RotateLine {
    pub status: SolveStatus,
    pub transfers: usize,
    pub exchanges: usize,
    pub returns: usize,
    pub shortage_before: String,
    pub shortage_after: String,
    pub short_directions: usize,
}

pub fn rotation(lang: Lang, r: &RotateLine) -> String {
    match lang {
        Lang::Zh => format!(
            "交流轮岗：{}，调动 {} 人，交流 {} 人，期满返回 {} 人；缺口 {} → {}；{} 个结对方向人数不足",
            status(lang, r.status),
            r.transfers,
            r.exchanges,
            r.returns,
            r.shortage_before,
            r.shortage_after,
            r.short_directions
        ),
        Lang::En => format!(
            "rotation: {} ({}, {}, {}); shortage {} → {}; {} short",
            status(lang, r.status),
            count(lang, r.transfers, "", "transfer", "transfers"),
            count(lang, r.exchanges, "", "exchange", "exchanges"),
            count(lang, r.returns, "", "return", "returns"),
            r.shortage_before,
            r.shortage_after,
            count(
                lang,
                r.short_directions,
                "",
                "pairing direction",
                "pairing directions"
            ),
        ),
    }
}

pub fn plan_in(lang: Lang, dir: &Path) -> String {
    match lang {
        Lang::Zh => format!("方案已写入 {}", dir.display()),
        Lang::En => format!("plan in {}", dir.display()),
    }
}

pub fn validated(
    lang: Lang,
    townships: usize,
    schools: usize,
    teachers: usize,
    demand: usize,
) -> String {
    match lang {
        Lang::Zh => format!(
            "数据无误：{townships} 个乡镇，{schools} 所学校，{teachers} 名教师，{demand} 行岗位需求"
        ),
        Lang::En => format!(
            "ok: {}, {}, {}, {}",
            count(lang, townships, "", "township", "townships"),
            count(lang, schools, "", "school", "schools"),
            count(lang, teachers, "", "teacher", "teachers"),
            count(lang, demand, "", "demand row", "demand rows"),
        ),
    }
}

pub fn problems_found(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("发现 {n} 处问题"),
        Lang::En => format!("{} found", count(lang, n, "", "problem", "problems")),
    }
}

pub fn import_problems(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("发现 {n} 处问题；请修改工作簿后重新导入"),
        Lang::En => format!(
            "{} found; fix the workbook and import again",
            count(lang, n, "", "problem", "problems")
        ),
    }
}

pub fn imported_sheet(lang: Lang, sheet: &str, path: &Path, rows: usize) -> String {
    match lang {
        Lang::Zh => format!("{sheet} → {}：{rows} 行", path.display()),
        Lang::En => format!(
            "{sheet} → {}: {}",
            path.display(),
            count(lang, rows, "", "row", "rows")
        ),
    }
}

pub fn imported(lang: Lang, dir: &Path) -> String {
    match lang {
        Lang::Zh => format!("导入完成：{} 中的实例可正常读取", dir.display()),
        Lang::En => format!("ok: the instance in {} reads cleanly", dir.display()),
    }
}

pub fn note(lang: Lang, text: &str) -> String {
    format!("{}{text}", lang.pick("提示：", "note: "))
}

pub fn exported(lang: Lang, path: &Path, counts: &str) -> String {
    match lang {
        Lang::Zh => format!("已写入 {}（{counts}）", path.display()),
        Lang::En => format!("wrote {} ({counts})", path.display()),
    }
}

pub struct Generated {
    pub townships: usize,
    pub schools: usize,
    pub helpers: usize,
    pub teachers: usize,
}

pub fn generated(lang: Lang, dir: &Path, g: &Generated) -> String {
    match lang {
        Lang::Zh => format!(
            "已写入 {}：{} 个乡镇，{} 所学校（其中帮扶校 {} 所），{} 名教师",
            dir.display(),
            g.townships,
            g.schools,
            g.helpers,
            g.teachers
        ),
        Lang::En => format!(
            "wrote {}: {}, {} ({}), {}",
            dir.display(),
            count(lang, g.townships, "", "township", "townships"),
            count(lang, g.schools, "", "school", "schools"),
            count(lang, g.helpers, "", "helper", "helpers"),
            count(lang, g.teachers, "", "teacher", "teachers"),
        ),
    }
}

/// The closing line of a run of many units (counties, variants).
pub fn units_done(lang: Lang, unit: Unit, n: usize, failed: usize, table: &Path) -> String {
    let (zh, one, many) = match unit {
        Unit::County => ("个县", "county", "counties"),
        Unit::Variant => ("个方案变体", "variant", "variants"),
    };
    match lang {
        Lang::Zh => format!("共 {n} {zh}，{failed} 个失败；汇总表 {}", table.display()),
        Lang::En => format!(
            "{}, {failed} failed; table in {}",
            count(lang, n, zh, one, many),
            table.display()
        ),
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Unit {
    County,
    Variant,
}

pub fn unit_failed(lang: Lang, name: &str, why: &str) -> String {
    match lang {
        Lang::Zh => format!("{name} 未成方案：{why}"),
        Lang::En => format!("{name}: no plan: {why}"),
    }
}

pub fn simulated(lang: Lang, n: usize, table: &Path) -> String {
    match lang {
        Lang::Zh => format!("已模拟 {n} 个暑期；轨迹表 {}", table.display()),
        Lang::En => format!(
            "{} simulated; trajectory in {}",
            count(lang, n, "", "summer", "summers"),
            table.display()
        ),
    }
}

pub fn summer_failed(lang: Lang, year: i32, why: &str) -> String {
    match lang {
        Lang::Zh => format!("{year} 年暑期未成方案：{why}"),
        Lang::En => format!("summer {year} failed: {why}"),
    }
}

pub fn violations(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("核查发现 {n} 处违规；见各年方案"),
        Lang::En => format!(
            "verify found {}; see each year's plan",
            count(lang, n, "", "violation", "violations")
        ),
    }
}

/// The `--shard` line of a batch: which counties this machine plans.
pub fn shard(lang: Lang, index: usize, of: usize, mine: usize, all: usize) -> String {
    match lang {
        Lang::Zh => format!("分片 {index}/{of}：本机规划 {all} 个县中的 {mine} 个"),
        Lang::En => format!(
            "shard {index}/{of}: {} of {all} here",
            count(lang, mine, "", "county", "counties")
        ),
    }
}

pub fn prefix(lang: Lang) -> &'static str {
    lang.pick("rotaplan：", "rotaplan: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_plurals() {
        assert_eq!(count(Lang::En, 1, "", "slot", "slots"), "1 slot");
        assert_eq!(count(Lang::En, 0, "", "slot", "slots"), "0 slots");
        assert_eq!(count(Lang::En, 2, "", "slot", "slots"), "2 slots");
        assert_eq!(count(Lang::Zh, 1, "个岗位", "slot", "slots"), "1 个岗位");
    }

    #[test]
    fn one_uncovered_slot_is_singular() {
        let line = pairing(
            Lang::En,
            &PairLine {
                status: SolveStatus::Optimal,
                pairings: 1,
                covered: 2,
                slots: 3,
                uncovered: 1,
                km: "5".into(),
            },
        );
        assert!(line.contains("1 slot uncovered"), "{line}");
        assert!(line.contains("1 pairing,"), "{line}");
    }
}
