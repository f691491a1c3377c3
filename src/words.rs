//! Names that documents show in the run's language and that solvers and the report share:
//! stages, tracks and the display name of an education group.
//!
//! A group keeps its stable id (`compulsory-1`) in every plan file; the display name is
//! derived, so the same plan always shows the same names.

use crate::domain::grouping::Grouping;
use crate::domain::instance::Instance;
use crate::domain::stage::SlotStage;
use crate::lang::Lang;

/// A slot stage as a word of `lang`.
pub fn slot_stage(stage: SlotStage, lang: Lang) -> &'static str {
    match (lang, stage) {
        (Lang::En, s) => s.as_str(),
        (Lang::Zh, SlotStage::Kindergarten) => "幼儿园",
        (Lang::Zh, SlotStage::Primary) => "小学",
        (Lang::Zh, SlotStage::Middle) => "初中",
    }
}

/// A track's name (`[[tracks]] name`): the usual ones in Chinese, others as written.
pub fn track_name(track: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return track.to_string();
    }
    match track {
        "compulsory" => "义务教育",
        "kindergarten" | "preschool" => "学前教育",
        "high" => "高中",
        "vocational" => "职业教育",
        other => other,
    }
    .to_string()
}

/// The display name of group `g`: named after its core school ("XX小学教育集团"), or by its
/// place among its track's groups ("第一教育集团") when the core school has no name.
pub fn group_name(inst: &Instance, grouping: &Grouping, g: usize, lang: Lang) -> String {
    let group = &grouping.groups[g];
    let core = inst
        .schools
        .get(group.core)
        .map(|s| s.name.trim())
        .filter(|n| !n.is_empty() && *n != inst.schools[group.core].id);
    match (core, lang) {
        (Some(name), Lang::Zh) => format!("{name}教育集团"),
        (Some(name), Lang::En) => format!("{name} education group"),
        (None, _) => {
            let n = grouping.groups[..=g]
                .iter()
                .filter(|x| x.track == group.track)
                .count();
            match lang {
                Lang::Zh => format!("第{}教育集团", chinese_ordinal(n)),
                Lang::En => format!("education group {n}"),
            }
        }
    }
}

/// 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五; beyond 99 the digits.
pub fn chinese_ordinal(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_numbers() {
        let got: Vec<String> = [1, 10, 12, 20, 35, 100]
            .iter()
            .map(|&n| chinese_ordinal(n))
            .collect();
        assert_eq!(got, ["一", "十", "十二", "二十", "三十五", "100"]);
    }

    #[test]
    fn tracks_and_stages_in_chinese() {
        assert_eq!(track_name("compulsory", Lang::Zh), "义务教育");
        assert_eq!(track_name("compulsory", Lang::En), "compulsory");
        assert_eq!(track_name("arts", Lang::Zh), "arts");
        assert_eq!(slot_stage(SlotStage::Middle, Lang::Zh), "初中");
    }
}
