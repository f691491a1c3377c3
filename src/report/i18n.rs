//! The report's words in Chinese (the default: the bureau reads it) and English.
//!
//! Every phrase is a [`Key`]; templates take positional arguments `{0}`, `{1}`, … filled by
//! [`fill`]. Strings here are plain text: the page escapes everything once, at output.

pub use crate::lang::Lang;

macro_rules! keys {
    ($($key:ident => $zh:expr, $en:expr;)*) => {
        /// One phrase of the report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key),* }

        impl Key {
            /// Every key, for the completeness test.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The phrase in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Key::$key, Lang::Zh) => $zh, (Key::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

keys! {
    Title => "教师交流轮岗方案报告", "Teacher rotation plan report";
    Instance => "实例", "Instance";
    Plan => "方案目录", "Plan folder";
    Overview => "概览", "Overview";
    ShortageBefore => "交流前学科缺口（加权）", "Shortage before moves (weighted)";
    ShortageAfter => "交流后学科缺口（加权）", "Shortage after moves (weighted)";
    MovesTotal => "交流教师人数", "Teachers moved";
    Transfers => "调整交流", "Transfers";
    Exchanges => "互派交流", "Exchanges";
    KindTransfer => "调整交流", "transfer";
    KindExchange => "互派交流", "exchange";
    Returns => "交流期满返回", "Returning from exchange";
    Map => "地图", "Map";
    MapHint => "悬停或点按学校查看详情；滚轮或按钮缩放，拖动平移，双击复位；放大后显示校名。",
        "Hover or tap a school for its numbers; wheel or buttons to zoom, drag to pan, double-click to reset; school names show when zoomed in.";
    LegendCore => "核心校", "core school";
    LegendHelper => "帮扶校（县城区学校）", "helper (county-seat school)";
    LegendUngrouped => "未分组", "no group";
    LegendPairing => "结对（帮扶校 → 集团核心校）", "pairing (helper → group core)";
    LegendTransfer => "调整交流", "transfer";
    LegendExchange => "互派交流（虚线）", "exchange (dashed)";
    NoCoordinates => "没有学校坐标，无法绘制地图。", "No school coordinates: no map.";
    Groups => "教育集团", "Education groups";
    Group => "集团", "Group";
    Track => "类别", "Track";
    Core => "核心校", "Core";
    Schools => "学校数", "Schools";
    SchoolList => "成员学校", "Member schools";
    Students => "学生数", "Students";
    MeanQuality => "平均质量", "Mean quality";
    Staff => "教职工", "Staff";
    Cap => "调整上限", "Transfer cap";
    CapUsed => "已用", "Cap used";
    NoGroups => "没有分组。", "No groups.";
    Charts => "图表", "Charts";
    ShortageBySubject => "各学科缺口（交流前 / 交流后）", "Shortage by subject (before / after)";
    ShortageComputed => "按本实例与方案计算（未加权）", "computed from the instance and plan (unweighted)";
    Before => "交流前", "before";
    After => "交流后", "after";
    Threshold => "标准", "threshold";
    CvTitle => "{0}差异系数（2017 县域义务教育优质均衡评估，标准 ≤ {1}）",
        "{0} coefficients of variation (2017 county evaluation, threshold ≤ {1})";
    CvKey => "每百名学生骨干教师数", "key teachers per 100 students";
    CvPeArts => "每百名学生体音美教师数", "PE, music and art teachers per 100 students";
    CvQualified => "每百名学生高于规定学历教师数", "qualified teachers per 100 students";
    FloorsTitle => "达到各项校际底线的学校数", "Schools meeting each floor";
    FloorLabel => "{0} · {1}（≥ {2}）", "{0} · {1} (≥ {2})";
    NoData => "无数据", "no data";
    MoveList => "交流名单", "Move list";
    Filter => "筛选（姓名、学校、学科……）", "Filter (name, school, subject…)";
    Shown => "显示 {0} / {1} 条", "showing {0} of {1}";
    Teacher => "教师编号", "Teacher";
    Name => "姓名", "Name";
    Kind => "方式", "Kind";
    Subject => "任教学科", "Subject";
    From => "调出学校", "From";
    To => "调入学校", "To";
    Years => "年限", "Years";
    Permanent => "{0} 起（长期）", "from {0} (permanent)";
    Reason => "理由", "Reason";
    NoMoves => "本方案没有交流。", "This plan moves no teacher.";
    ReturnList => "交流期满返回原校", "Returns from exchange";
    Host => "交流学校", "Host";
    Home => "原学校", "Home";
    Uncovered => "未覆盖的结对需求", "Uncovered pairing slots";
    NoneUncovered => "所有需求均已覆盖。", "Every slot is covered.";
    Stage => "学段", "Stage";
    School => "学校", "School";
    Priority => "优先", "Priority";
    Shortfalls => "互派不足", "Exchange shortfalls";
    NoShortfalls => "每个结对的互派均已满额。", "Every pairing made its full exchanges.";
    Helper => "帮扶校", "Helper";
    Direction => "方向", "Direction";
    Made => "已派", "Made";
    HelperToSchool => "帮扶校 → 学校", "helper → school";
    SchoolToHelper => "学校 → 帮扶校", "school → helper";
    Solver => "求解状态", "Solver status";
    Step => "步骤", "Step";
    Status => "状态", "Status";
    Objective => "目标值", "Objective";
    Bound => "界", "Bound";
    Gap => "间隙", "Gap";
    Seconds => "用时（秒）", "Seconds";
    StepGroups => "分组", "Groups";
    StepPairing => "结对", "Pairing";
    StepRotation => "交流轮岗", "Rotation";
    NoSummary => "方案目录中没有 summary.json，以下数字按实例与方案文件计算。",
        "The plan folder has no summary.json; figures below are computed from the instance and plan files.";
    NotRun => "未运行", "not run";
    NotInSummary => "summary.json 中没有这一步的结果。", "summary.json has no result for this step.";
    Yes => "是", "yes";
    No => "否", "no";
    TipStage => "学段", "stage";
    TipStudents => "学生", "students";
    TipQuality => "质量", "quality";
    TipGroup => "集团", "group";
    TipTeachers => "教师（交流前 → 交流后）", "teachers (before → after)";
    TipHelper => "帮扶校", "helper school";
    ReasonFills => "补{0}{1}缺口（{2} → {3}）", "fills the {1} shortage at {0} ({2} → {3})";
    ReasonReplaces => "接替调离{0}的{1}教师", "replaces a {1} teacher leaving {0}";
    ReasonStaffs => "{0}{1}：{2} 人 / {3} 岗 → {4} 人", "{1} at {0}: {2} teachers for {3} posts → {4}";
    ReasonSurplus => "调出校{0}{1}超编（{2} 人 / {3} 岗）", "from a surplus at {0} ({2} {1} teachers for {3} posts)";
    ReasonExchange => "{0}与{1}结对互派（{2}），{3}", "exchange under the pairing of {0} with {1} ({2}), {3}";
    ReasonTransferOnly => "由{0}调往{1}", "moves from {0} to {1}";
    ReasonSentByHelper => "由帮扶校派出", "sent by the helper";
    ReasonSentToHelper => "派往帮扶校", "sent to the helper";
    ReasonExchangeNoPairing => "互派交流（{0} ↔ {1}），方案中未找到对应结对",
        "exchange {0} ↔ {1}; no matching pairing in pairings.csv";
    ReasonPlanOnlyTransfer => "集团{2}内调动：{3}教师由{0}调往{1}；所补缺口须用 --instance 指定实例后导出",
        "transfer within group {2}: a {3} teacher moves from {0} to {1}; the shortage it closes needs --instance";
    ReasonPlanOnlyMove => "{2}教师由{0}调往{1}；原因须用 --instance 指定实例后导出",
        "a {2} teacher moves from {0} to {1}; the reason needs --instance";
    ReasonGroupId => "集团{0}", "group {0}";
    ReasonSep => "；", "; ";
    StatusOptimal => "最优（已证明）", "optimal (proven)";
    StatusFeasible => "可行（到时限，未证明最优）", "feasible (time limit, not proven)";
    StatusInfeasible => "不可行", "infeasible";
    StatusTimeLimit => "到时限，无解", "time limit, no solution";
    GroupName => "集团名称", "Group name";
    Notices => "各校公示", "Notices by school";
    NoticeHint => "每所学校一份公示（调出、调入、期满返回）；打印时每校单独成页，可直接张贴。",
        "One notice per school (leaving, arriving, returning); each prints on its own page, ready to post.";
    NoticeTitle => "{0}（{1}）教师交流轮岗公示", "{0} ({1}): teacher rotation notice";
    NoticeLeaving => "调出（{0} 人）", "Leaving ({0})";
    NoticeArriving => "调入（{0} 人）", "Arriving ({0})";
    NoticeBackIn => "{0} 交流期满返回本校", "{0} returns from exchange";
    NoticeBackOut => "{0} 交流期满返回原校", "{0} returns to their home school";
    NoticeNone => "无", "none";
    NoticeFooter => "如对本公示有异议，请在公示期内向县教育主管部门反映。",
        "Objections to this notice go to the county education bureau within the notice period.";
    PolicySection => "政策设置", "Policy settings";
    NoPolicy => "summary.json 未记录政策设置（由旧版本生成的方案）。",
        "summary.json records no policy (a plan made by an older version).";
    Setting => "设置", "Setting";
    Value => "取值", "Value";
    Indicators => "指标变化", "Indicator changes";
    Indicator => "指标", "Indicator";
    IndicatorShortage => "学科缺口（加权）", "subject shortage (weighted)";
    IndicatorCv => "{0}{1}差异系数（标准 ≤ {2}）", "{0}: CV of {1} (threshold ≤ {2})";
    IndicatorFloor => "{0}{1}达标学校数（≥ {2}）", "{0}: schools with {1} ≥ {2}";
    StagePrimary => "小学", "primary";
    StageMiddle => "初中", "middle";
    BeforeCol => "交流前", "Before";
    AfterCol => "交流后", "After";
    Change => "变化", "Change";
    Verdict => "评价", "Verdict";
    Worse => "变差", "worse";
    Better => "改善", "better";
    Unchanged => "不变", "unchanged";
    WorseCount => "{0} 项指标变差，公布前请核对。", "{0} indicators get worse: check them before circulating.";
    NoneWorse => "没有指标变差。", "No indicator gets worse.";
    Explanation => "说明", "Explanation";
    MapPolicy => "本方案所用政策：{0}", "Policy used: {0}";
    Footer => "本报告为单一离线文件：不引用任何外部字体、地图或脚本，教师信息不离开本机。",
        "This report is one offline file: no external fonts, maps or scripts; teacher data never leaves the machine.";
}

/// `key` in `lang` with `{0}`, `{1}`, … replaced by `args`.
pub fn fill(lang: Lang, key: Key, args: &[&str]) -> String {
    let mut out = key.text(lang).to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

/// A stage's name.
pub fn stage_name(lang: Lang, stage: &str) -> String {
    let zh = match stage {
        "kindergarten" => "幼儿园",
        "primary" => "小学",
        "middle" => "初中",
        "nine_year" => "九年一贯制",
        "high" => "高中",
        "vocational" => "职业学校",
        other => return other.replace('_', " "),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => stage.replace('_', "-"),
    }
}

/// A subject's name; identifiers the SPEC does not list are shown as written.
pub fn subject_name(lang: Lang, subject: &str) -> String {
    if lang == Lang::En {
        return subject.to_string();
    }
    match subject {
        "chinese" => "语文",
        "math" => "数学",
        "english" => "英语",
        "physics" => "物理",
        "chemistry" => "化学",
        "biology" => "生物",
        "politics" => "道德与法治",
        "history" => "历史",
        "geography" => "地理",
        "science" => "科学",
        "pe" => "体育",
        "music" => "音乐",
        "art" => "美术",
        "it" => "信息技术",
        "preschool" => "学前教育",
        "vocational" => "职业技能",
        other => other,
    }
    .to_string()
}

/// A move kind's name.
pub fn kind_name(lang: Lang, kind: &str) -> String {
    match kind {
        "transfer" => Key::KindTransfer.text(lang).to_string(),
        "exchange" => Key::KindExchange.text(lang).to_string(),
        other => other.to_string(),
    }
}

/// A lexicographic level's name (`levels` in `summary.json`); unknown ones as written.
pub fn level_name(lang: Lang, level: &str) -> String {
    if lang == Lang::En {
        return level.replace('_', " ");
    }
    match level {
        "exchanges" => "互派人数",
        "shortage" => "学科缺口",
        "teachers_moved" => "交流人数",
        "km" => "交流距离",
        "covered_weight" => "覆盖权重",
        "distance_km" => "结对距离",
        "cv_excess" => "差异系数超标",
        "changed" => "与原方案不同的人数",
        "balance" => "均衡度",
        "distance" => "距离",
        other => other,
    }
    .to_string()
}

/// A solver status's name (SPEC: optimal, feasible, infeasible, time_limit).
pub fn status_name(lang: Lang, status: &str) -> String {
    let key = match status {
        "optimal" => Key::StatusOptimal,
        "feasible" => Key::StatusFeasible,
        "infeasible" => Key::StatusInfeasible,
        "time_limit" => Key::StatusTimeLimit,
        other => return other.to_string(),
    };
    key.text(lang).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<usize> {
        let mut v: Vec<usize> = (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_key_has_both_languages_with_the_same_placeholders() {
        for &k in Key::ALL {
            let (zh, en) = (k.text(Lang::Zh), k.text(Lang::En));
            assert!(!zh.trim().is_empty(), "{k:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{k:?} has no English text");
            assert_eq!(placeholders(zh), placeholders(en), "{k:?}");
            // Placeholders are dense: {0}..{n-1}, so no argument is silently dropped.
            let p = placeholders(zh);
            assert!(p.iter().enumerate().all(|(i, &x)| i == x), "{k:?}");
        }
    }

    #[test]
    fn chinese_is_the_default_and_differs_from_english() {
        assert_eq!(Lang::default(), Lang::Zh);
        assert_ne!(Key::Title.text(Lang::Zh), Key::Title.text(Lang::En));
        assert_eq!(stage_name(Lang::Zh, "nine_year"), "九年一贯制");
        assert_eq!(subject_name(Lang::Zh, "math"), "数学");
        assert_eq!(subject_name(Lang::Zh, "calligraphy"), "calligraphy");
        assert_eq!(kind_name(Lang::En, "transfer"), "transfer");
        assert_eq!(kind_name(Lang::Zh, "exchange"), "互派交流");
    }

    #[test]
    fn fill_replaces_every_argument() {
        assert_eq!(
            fill(Lang::En, Key::ReasonFills, &["X", "math", "3", "2"]),
            "fills the math shortage at X (3 → 2)"
        );
        assert_eq!(
            fill(Lang::Zh, Key::ReasonFills, &["X", "数学", "3", "2"]),
            "补X数学缺口（3 → 2）"
        );
    }
}
