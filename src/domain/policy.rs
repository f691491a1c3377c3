//! The policy file (TOML): tracks, pairing and rotation rules, solver limits.
//!
//! Every key of SPEC.md has its default here. An unknown key is an error with a
//! did-you-mean, because a misspelt `cross_cap_shar` silently falling back to 10% would
//! change a county's plan without anyone noticing.

use std::collections::BTreeMap;

use toml::Value;

use super::stage::Stage;
use crate::diagnostics::{Problem, Problems, did_you_mean};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackMode {
    Schools,
    Townships,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairingLevel {
    Group,
    School,
}

/// One grouping exercise (G1–G6).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrackPolicy {
    pub name: String,
    pub stages: Vec<Stage>,
    pub mode: TrackMode,
    pub count: usize,
    pub max_schools: usize,
    pub core_min_quality: f64,
    /// G3: stages whose schools may lead a group (default: all of `stages`).
    pub core_stages: Vec<Stage>,
    /// G7: how far above the fresh optimum a regrouping may go to keep schools in place.
    pub regroup_tolerance: f64,
    pub include_helpers: bool,
    pub contiguous: bool,
    pub balance_weight: f64,
    pub min_students: Option<f64>,
    pub max_students: Option<f64>,
}

/// `[pairing]` (P1–P4).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairingPolicy {
    pub level: PairingLevel,
    pub helper_capacity: usize,
    pub min_quality_gap: f64,
    pub priority_weight: f64,
}

/// `[rotation]` (T1–T10).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RotationPolicy {
    pub cross_cap_share: f64,
    pub exempt_age_male: i32,
    pub exempt_age_female: i32,
    pub max_move_km: Option<f64>,
    pub exchange_years: i32,
    pub exchanges_per_pairing: usize,
    pub dispatched_max_age: i32,
    pub helper_sends_key_or_senior: bool,
    pub national_floor: bool,
    pub floor_share: f64,
    pub floor_key_share: f64,
    pub eligible_years: u32,
    pub subject_weight: BTreeMap<String, f64>,
    /// T1: where a transfer may go.
    pub transfer_scope: TransferScope,
}

/// T1: `"group"` keeps transfers inside the teacher's group; `"county"` (县管校聘, seed 004
/// §28) lets them go to any grouped school, still counted against the own group's cap (T2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferScope {
    Group,
    County,
}

impl TransferScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferScope::Group => "group",
            TransferScope::County => "county",
        }
    }
}

/// `[indicators]`: the 2017 balance indicators as an objective level.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct IndicatorsPolicy {
    /// The `cv_excess` level between shortage and teachers moved (SPEC Objectives).
    pub minimise_cv_excess: bool,
}

/// `[solver]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SolverPolicy {
    pub time_limit_s: f64,
    /// 0 lets HiGHS use every core.
    pub threads: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Policy {
    pub plan_year: i32,
    /// `[[track]]` in the file, so summary.json's copy reads like the TOML.
    #[serde(rename = "track")]
    pub tracks: Vec<TrackPolicy>,
    pub pairing: PairingPolicy,
    pub rotation: RotationPolicy,
    pub indicators: IndicatorsPolicy,
    pub solver: SolverPolicy,
}

impl Default for PairingPolicy {
    fn default() -> Self {
        PairingPolicy {
            level: PairingLevel::Group,
            helper_capacity: 2,
            min_quality_gap: 0.0,
            priority_weight: 2.0,
        }
    }
}

impl Default for RotationPolicy {
    fn default() -> Self {
        RotationPolicy {
            cross_cap_share: 0.10,
            exempt_age_male: 55,
            exempt_age_female: 50,
            max_move_km: None,
            exchange_years: 1,
            exchanges_per_pairing: 1,
            dispatched_max_age: 40,
            helper_sends_key_or_senior: true,
            national_floor: false,
            floor_share: 0.10,
            floor_key_share: 0.20,
            eligible_years: 6,
            subject_weight: BTreeMap::new(),
            transfer_scope: TransferScope::Group,
        }
    }
}

impl Default for SolverPolicy {
    fn default() -> Self {
        SolverPolicy {
            time_limit_s: 60.0,
            threads: 0,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            plan_year: 2026,
            tracks: Vec::new(),
            pairing: PairingPolicy::default(),
            rotation: RotationPolicy::default(),
            indicators: IndicatorsPolicy::default(),
            solver: SolverPolicy::default(),
        }
    }
}

impl RotationPolicy {
    /// Weight of a subject's shortage (default 1).
    pub fn weight(&self, subject: &str) -> f64 {
        self.subject_weight.get(subject).copied().unwrap_or(1.0)
    }
}

const TOP_KEYS: &[&str] = &[
    "plan_year",
    "track",
    "pairing",
    "rotation",
    "indicators",
    "solver",
];
const TRACK_KEYS: &[&str] = &[
    "name",
    "stages",
    "mode",
    "count",
    "max_schools",
    "core_min_quality",
    "core_stages",
    "regroup_tolerance",
    "include_helpers",
    "contiguous",
    "balance_weight",
    "min_students",
    "max_students",
];
const PAIRING_KEYS: &[&str] = &[
    "level",
    "helper_capacity",
    "min_quality_gap",
    "priority_weight",
];
const ROTATION_KEYS: &[&str] = &[
    "cross_cap_share",
    "exempt_age_male",
    "exempt_age_female",
    "max_move_km",
    "exchange_years",
    "exchanges_per_pairing",
    "dispatched_max_age",
    "helper_sends_key_or_senior",
    "national_floor",
    "floor_share",
    "floor_key_share",
    "eligible_years",
    "subject_weight",
    "transfer_scope",
];
const INDICATORS_KEYS: &[&str] = &["minimise_cv_excess"];
const SOLVER_KEYS: &[&str] = &["time_limit_s", "threads"];

/// Every policy key SPEC.md defines, as `table.key` paths; scenario sweeps use this list.
pub fn known_key_paths() -> Vec<String> {
    let mut out: Vec<String> = vec!["plan_year".into()];
    for (table, keys) in [
        ("track", TRACK_KEYS),
        ("pairing", PAIRING_KEYS),
        ("rotation", ROTATION_KEYS),
        ("indicators", INDICATORS_KEYS),
        ("solver", SOLVER_KEYS),
    ] {
        out.extend(keys.iter().map(|k| format!("{table}.{k}")));
    }
    out
}

impl Policy {
    /// Parses a policy file's text. `file` names it in problems. Missing keys take SPEC's
    /// defaults; an unknown key is a problem with a did-you-mean.
    ///
    /// ```
    /// use rotaplan::domain::Policy;
    ///
    /// let p = Policy::parse("[rotation]\ncross_cap_share = 0.05\n", "policy.toml").unwrap();
    /// assert_eq!(p.rotation.cross_cap_share, 0.05);
    /// assert_eq!(p.rotation.exempt_age_female, 50); // the default
    ///
    /// let err = Policy::parse("[rotation]\ncross_cap_shar = 0.05\n", "policy.toml").unwrap_err();
    /// assert!(err.to_string().contains("policy.toml:2:1"));
    /// assert!(err.to_string().contains("did you mean `cross_cap_share`"));
    /// ```
    pub fn parse(text: &str, file: &str) -> Result<Policy, Problems> {
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                let mut p = Problem::new(
                    file,
                    format!("not valid TOML: {}", e.message()),
                    "fix the TOML syntax (strings in quotes, one key per line)",
                )
                .with_zh(
                    format!("不是有效的 TOML：{}", e.message()),
                    "请修正 TOML 语法（字符串加双引号，每行一个键）",
                );
                if let Some(span) = e.span() {
                    let (line, col) = line_col(text, span.start);
                    p = p.at(line, col);
                }
                return Err(Problems(vec![p]));
            }
        };
        Policy::from_table(&table, text, file)
    }

    /// Builds a policy from an already-parsed table (scenario variants use this after
    /// overriding keys). `text` is only used to locate keys for problems.
    pub fn from_table(table: &toml::Table, text: &str, file: &str) -> Result<Policy, Problems> {
        let mut r = Reader {
            text,
            file,
            problems: Problems::default(),
        };
        let mut policy = Policy::default();
        r.unknown_keys(table, TOP_KEYS, Scope::Top);
        if let Some(v) = r.int(table, "plan_year", Scope::Top) {
            policy.plan_year = v as i32;
        }
        match table.get("track") {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Table(t) => {
                            if let Some(track) = r.track(t, i) {
                                policy.tracks.push(track);
                            }
                        }
                        _ => r.bad(
                            Scope::Top,
                            "track",
                            ["must be a [[track]] table", "必须是 [[track]] 表"],
                            ["", ""],
                        ),
                    }
                }
            }
            Some(_) => r.bad(
                Scope::Top,
                "track",
                ["must be an array of tables", "必须是表数组"],
                [
                    "write each track as its own [[track]] section",
                    "每个序列单独写一节 [[track]]",
                ],
            ),
        }
        if let Some(t) = r.table(table, "pairing") {
            r.unknown_keys(t, PAIRING_KEYS, Scope::Table("pairing"));
            let s = Scope::Table("pairing");
            if let Some(v) = r.string(t, "level", s) {
                match v.as_str() {
                    "group" => policy.pairing.level = PairingLevel::Group,
                    "school" => policy.pairing.level = PairingLevel::School,
                    _ => r.bad(
                        s,
                        "level",
                        [
                            &format!("unknown level {v:?}"),
                            &format!("未知的层级 {v:?}"),
                        ],
                        [
                            "use \"group\" or \"school\"",
                            "请用 \"group\" 或 \"school\"",
                        ],
                    ),
                }
            }
            if let Some(v) = r.count(t, "helper_capacity", s) {
                policy.pairing.helper_capacity = v;
            }
            if let Some(v) = r.float(t, "min_quality_gap", s) {
                policy.pairing.min_quality_gap = v;
            }
            if let Some(v) = r.nonneg(t, "priority_weight", s) {
                policy.pairing.priority_weight = v;
            }
        }
        if let Some(t) = r.table(table, "rotation") {
            let s = Scope::Table("rotation");
            r.unknown_keys(t, ROTATION_KEYS, s);
            let rot = &mut policy.rotation;
            if let Some(v) = r.share(t, "cross_cap_share", s) {
                rot.cross_cap_share = v;
            }
            if let Some(v) = r.count(t, "exempt_age_male", s) {
                rot.exempt_age_male = v as i32;
            }
            if let Some(v) = r.count(t, "exempt_age_female", s) {
                rot.exempt_age_female = v as i32;
            }
            if let Some(v) = r.nonneg(t, "max_move_km", s) {
                rot.max_move_km = Some(v);
            }
            if let Some(v) = r.count(t, "exchange_years", s) {
                if v == 0 {
                    r.bad(
                        s,
                        "exchange_years",
                        ["must be at least 1", "必须至少为 1"],
                        [
                            "an exchange lasts at least one school year (T4)",
                            "一次交流至少持续一个学年（T4）",
                        ],
                    );
                } else {
                    rot.exchange_years = v as i32;
                }
            }
            if let Some(v) = r.count(t, "exchanges_per_pairing", s) {
                rot.exchanges_per_pairing = v;
            }
            if let Some(v) = r.count(t, "dispatched_max_age", s) {
                rot.dispatched_max_age = v as i32;
            }
            if let Some(v) = r.boolean(t, "helper_sends_key_or_senior", s) {
                rot.helper_sends_key_or_senior = v;
            }
            if let Some(v) = r.boolean(t, "national_floor", s) {
                rot.national_floor = v;
            }
            if let Some(v) = r.share(t, "floor_share", s) {
                rot.floor_share = v;
            }
            if let Some(v) = r.share(t, "floor_key_share", s) {
                rot.floor_key_share = v;
            }
            if let Some(v) = r.count(t, "eligible_years", s) {
                rot.eligible_years = v as u32;
            }
            if let Some(v) = r.string(t, "transfer_scope", s) {
                match v.as_str() {
                    "group" => rot.transfer_scope = TransferScope::Group,
                    "county" => rot.transfer_scope = TransferScope::County,
                    _ => r.bad(
                        s,
                        "transfer_scope",
                        [
                            &format!("unknown scope {v:?}"),
                            &format!("未知的调动范围 {v:?}"),
                        ],
                        [
                            "use \"group\" (transfers inside the group) or \"county\" (县管校聘)",
                            "请用 \"group\"（在集团内调动）或 \"county\"（县管校聘）",
                        ],
                    ),
                }
            }
            if let Some(w) = r.table(t, "subject_weight") {
                for (subject, value) in w {
                    match value
                        .as_float()
                        .or_else(|| value.as_integer().map(|i| i as f64))
                    {
                        Some(x) if x >= 0.0 && x.is_finite() => {
                            rot.subject_weight.insert(subject.clone(), x);
                        }
                        _ => r.bad(
                            Scope::Table("rotation.subject_weight"),
                            subject,
                            [
                                &format!("weight {value} is not a non-negative number"),
                                &format!("权重 {value} 不是非负数"),
                            ],
                            ["write a number such as 2.0", "请填写数字，如 2.0"],
                        ),
                    }
                }
            }
        }
        if let Some(t) = r.table(table, "indicators") {
            let s = Scope::Table("indicators");
            r.unknown_keys(t, INDICATORS_KEYS, s);
            if let Some(v) = r.boolean(t, "minimise_cv_excess", s) {
                policy.indicators.minimise_cv_excess = v;
            }
        }
        if let Some(t) = r.table(table, "solver") {
            let s = Scope::Table("solver");
            r.unknown_keys(t, SOLVER_KEYS, s);
            if let Some(v) = r.nonneg(t, "time_limit_s", s) {
                if v <= 0.0 {
                    r.bad(
                        s,
                        "time_limit_s",
                        ["must be positive", "必须大于 0"],
                        ["give the solver at least 1 second", "求解时间至少给 1 秒"],
                    );
                } else {
                    policy.solver.time_limit_s = v;
                }
            }
            if let Some(v) = r.count(t, "threads", s) {
                policy.solver.threads = v as u32;
            }
        }
        r.check_tracks_disjoint(&policy.tracks);
        if r.problems.is_empty() {
            Ok(policy)
        } else {
            Err(r.problems)
        }
    }

    /// The track whose stages include `stage`, if any (G6: tracks' stages are disjoint).
    pub fn track_of_stage(&self, stage: Stage) -> Option<usize> {
        self.tracks.iter().position(|t| t.stages.contains(&stage))
    }
}

#[derive(Clone, Copy)]
enum Scope<'a> {
    Top,
    Table(&'a str),
    Track(usize),
}

struct Reader<'t> {
    text: &'t str,
    file: &'t str,
    problems: Problems,
}

impl Reader<'_> {
    fn track(&mut self, t: &toml::Table, i: usize) -> Option<TrackPolicy> {
        let s = Scope::Track(i);
        self.unknown_keys(t, TRACK_KEYS, s);
        let before = self.problems.len();
        let name = self.string(t, "name", s);
        if name.is_none() && !t.contains_key("name") {
            self.missing(
                s,
                "name",
                [
                    "give the track a name, e.g. name = \"compulsory\"",
                    "请给序列取名，如 name = \"compulsory\"",
                ],
            );
        }
        let mut stages = Vec::new();
        match t.get("stages") {
            None => self.missing(
                s,
                "stages",
                [
                    "list its stages, e.g. stages = [\"primary\", \"middle\"]",
                    "请列出其学段，如 stages = [\"primary\", \"middle\"]",
                ],
            ),
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_str().and_then(Stage::parse) {
                        Some(st) if !stages.contains(&st) => stages.push(st),
                        Some(_) => {}
                        None => self.bad(
                            s,
                            "stages",
                            [&format!("unknown stage {item}"), &format!("未知的学段 {item}")],
                            ["use kindergarten, primary, middle, nine_year, high or vocational", "可用值：kindergarten、primary、middle、nine_year、high 或 vocational"],
                        ),
                    }
                }
                if items.is_empty() {
                    self.bad(
                        s,
                        "stages",
                        ["is empty", "为空"],
                        ["list at least one stage", "至少列出一个学段"],
                    );
                }
            }
            Some(_) => self.bad(
                s,
                "stages",
                ["must be a list", "必须是列表"],
                [
                    "write stages = [\"primary\", \"middle\"]",
                    "请写成 stages = [\"primary\", \"middle\"]",
                ],
            ),
        }
        let mut mode = TrackMode::Schools;
        if let Some(m) = self.string(t, "mode", s) {
            match m.as_str() {
                "schools" => mode = TrackMode::Schools,
                "townships" => mode = TrackMode::Townships,
                _ => self.bad(
                    s,
                    "mode",
                    [&format!("unknown mode {m:?}"), &format!("未知的模式 {m:?}")],
                    [
                        "use \"schools\" or \"townships\"",
                        "请用 \"schools\" 或 \"townships\"",
                    ],
                ),
            }
        }
        let count = self.count(t, "count", s);
        if count.is_none() && !t.contains_key("count") {
            self.missing(
                s,
                "count",
                [
                    "say how many groups the track forms, e.g. count = 8",
                    "请写明该序列组建几个集团，如 count = 8",
                ],
            );
        }
        if count == Some(0) {
            self.bad(
                s,
                "count",
                ["must be at least 1", "必须至少为 1"],
                ["form at least one group", "至少组建一个集团"],
            );
        }
        let max_schools = self.count(t, "max_schools", s).unwrap_or(6);
        if max_schools == 0 {
            self.bad(
                s,
                "max_schools",
                ["must be at least 1", "必须至少为 1"],
                [
                    "a group holds at least its core",
                    "一个集团至少包含其核心校",
                ],
            );
        }
        let core_stages = self.core_stages(t, &stages, s);
        let track = TrackPolicy {
            name: name.unwrap_or_default(),
            core_stages,
            regroup_tolerance: self.nonneg(t, "regroup_tolerance", s).unwrap_or(0.05),
            stages,
            mode,
            count: count.unwrap_or(1),
            max_schools,
            core_min_quality: self.float(t, "core_min_quality", s).unwrap_or(0.0),
            include_helpers: self.boolean(t, "include_helpers", s).unwrap_or(false),
            contiguous: self.boolean(t, "contiguous", s).unwrap_or(false),
            balance_weight: self.nonneg(t, "balance_weight", s).unwrap_or(0.0),
            min_students: self.nonneg(t, "min_students", s),
            max_students: self.nonneg(t, "max_students", s),
        };
        if let (Some(lo), Some(hi)) = (track.min_students, track.max_students)
            && lo > hi
        {
            self.bad(
                s,
                "min_students",
                [
                    &format!("{lo} is above max_students {hi}"),
                    &format!("{lo} 大于 max_students {hi}"),
                ],
                [
                    "lower min_students or raise max_students",
                    "请调低 min_students 或调高 max_students",
                ],
            );
        }
        (self.problems.len() == before).then_some(track)
    }

    /// G3's `core_stages`: a list of the track's own stages; absent means all of them.
    fn core_stages(&mut self, t: &toml::Table, stages: &[Stage], s: Scope) -> Vec<Stage> {
        let Some(value) = t.get("core_stages") else {
            return stages.to_vec();
        };
        let Value::Array(items) = value else {
            self.bad(
                s,
                "core_stages",
                ["must be a list", "必须是列表"],
                [
                    "write core_stages = [\"primary\", \"middle\"]",
                    "请写成 core_stages = [\"primary\", \"middle\"]",
                ],
            );
            return stages.to_vec();
        };
        let listed = stages
            .iter()
            .map(|st| st.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = Vec::new();
        for item in items {
            match item.as_str().and_then(Stage::parse) {
                Some(st) if !stages.contains(&st) => self.bad(
                    s,
                    "core_stages",
                    [
                        &format!("lists {st}, which is not one of the track's stages ({listed})"),
                        &format!("列出了 {st}，它不是本序列的学段（{listed}）"),
                    ],
                    [
                        "list only stages of this track, or add the stage to `stages`",
                        "只列本序列的学段，或把该学段加入 `stages`",
                    ],
                ),
                Some(st) if !out.contains(&st) => out.push(st),
                Some(_) => {}
                None => self.bad(
                    s,
                    "core_stages",
                    [
                        &format!("unknown stage {item}"),
                        &format!("未知的学段 {item}"),
                    ],
                    [
                        "use kindergarten, primary, middle, nine_year, high or vocational",
                        "可用值：kindergarten、primary、middle、nine_year、high 或 vocational",
                    ],
                ),
            }
        }
        if items.is_empty() {
            self.bad(
                s,
                "core_stages",
                [
                    "is empty, so no school could lead a group",
                    "为空，没有学校能担任集团核心校",
                ],
                [
                    "list at least one stage, or leave the key out to let every stage lead",
                    "至少列出一个学段，或删去该键让所有学段都可担任核心校",
                ],
            );
        }
        out
    }

    fn check_tracks_disjoint(&mut self, tracks: &[TrackPolicy]) {
        for (i, a) in tracks.iter().enumerate() {
            for (j, b) in tracks.iter().enumerate().skip(i + 1) {
                if a.name == b.name {
                    self.bad(
                        Scope::Track(j),
                        "name",
                        [
                            &format!("track name {:?} is used twice", b.name),
                            &format!("序列名称 {:?} 用了两次", b.name),
                        ],
                        ["give each track its own name", "请给每个序列取不同的名称"],
                    );
                }
                for st in &b.stages {
                    if a.stages.contains(st) {
                        self.bad(
                            Scope::Track(j),
                            "stages",
                            [&format!("stage {st} is already in track {:?} (G6: tracks' stages are disjoint)", a.name), &format!("学段 {st} 已在序列 {:?} 中（G6：各序列的学段互不重叠）", a.name)],
                            ["put each stage in one track only", "每个学段只放在一个序列中"],
                        );
                    }
                }
            }
        }
    }

    fn unknown_keys(&mut self, t: &toml::Table, known: &[&str], scope: Scope) {
        for key in t.keys() {
            if !known.contains(&key.as_str()) {
                let (fix, fix_zh) = match did_you_mean(key, known) {
                    Some(k) => (
                        format!("did you mean `{k}`?"),
                        format!("是否应为 `{k}`？请删除该键或检查拼写（见 SPEC.md 的策略键）"),
                    ),
                    None => (
                        format!("known keys here: {}", known.join(", ")),
                        format!("此处可用的键：{}；请删除该键或检查拼写", known.join("、")),
                    ),
                };
                self.push(
                    scope,
                    key,
                    [
                        format!("{}unknown key `{key}`", scope_prefix(scope)),
                        format!("{}未知的键 `{key}`", scope_prefix_zh(scope)),
                    ],
                    [&fix, &fix_zh],
                );
            }
        }
    }

    fn table<'v>(&mut self, t: &'v toml::Table, key: &str) -> Option<&'v toml::Table> {
        match t.get(key)? {
            Value::Table(inner) => Some(inner),
            _ => {
                self.bad(
                    Scope::Top,
                    key,
                    ["must be a table", "必须是表"],
                    [
                        &format!("write it as a [{key}] section"),
                        &format!("请写成 [{key}] 一节"),
                    ],
                );
                None
            }
        }
    }

    fn string(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<String> {
        match t.get(key)? {
            Value::String(v) => Some(v.clone()),
            other => {
                self.bad(
                    s,
                    key,
                    [
                        &format!("must be a string, found {other}"),
                        &format!("必须是字符串，实际为 {other}"),
                    ],
                    ["put the value in double quotes", "请把值放在双引号中"],
                );
                None
            }
        }
    }

    fn boolean(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<bool> {
        match t.get(key)? {
            Value::Boolean(v) => Some(*v),
            other => {
                self.bad(
                    s,
                    key,
                    [
                        &format!("must be true or false, found {other}"),
                        &format!("必须是 true 或 false，实际为 {other}"),
                    ],
                    [
                        "write true or false without quotes",
                        "请写 true 或 false，不加引号",
                    ],
                );
                None
            }
        }
    }

    fn int(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<i64> {
        match t.get(key)? {
            Value::Integer(v) => Some(*v),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e9 => Some(*f as i64),
            other => {
                self.bad(
                    s,
                    key,
                    [
                        &format!("must be a whole number, found {other}"),
                        &format!("必须是整数，实际为 {other}"),
                    ],
                    ["write an integer such as 6", "请填写整数，如 6"],
                );
                None
            }
        }
    }

    fn negative(&mut self, s: Scope, key: &str, v: impl std::fmt::Display) {
        self.bad(
            s,
            key,
            [
                &format!("must not be negative, found {v}"),
                &format!("不能为负数，实际为 {v}"),
            ],
            ["use 0 or more", "请用 0 或更大的数"],
        );
    }

    fn count(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<usize> {
        let v = self.int(t, key, s)?;
        if v < 0 {
            self.negative(s, key, v);
            return None;
        }
        Some(v as usize)
    }

    fn float(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<f64> {
        match t.get(key)? {
            Value::Float(v) if v.is_finite() => Some(*v),
            Value::Integer(v) => Some(*v as f64),
            other => {
                self.bad(
                    s,
                    key,
                    [
                        &format!("must be a number, found {other}"),
                        &format!("必须是数字，实际为 {other}"),
                    ],
                    ["write a number such as 0.10", "请填写数字，如 0.10"],
                );
                None
            }
        }
    }

    fn nonneg(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<f64> {
        let v = self.float(t, key, s)?;
        if v < 0.0 {
            self.negative(s, key, v);
            return None;
        }
        Some(v)
    }

    fn share(&mut self, t: &toml::Table, key: &str, s: Scope) -> Option<f64> {
        let v = self.float(t, key, s)?;
        if !(0.0..=1.0).contains(&v) {
            self.bad(
                s,
                key,
                [
                    &format!("is a share and must lie in [0, 1], found {v}"),
                    &format!("是比例，必须在 [0, 1] 内，实际为 {v}"),
                ],
                ["write e.g. 0.10 for 10%", "例如 10% 写作 0.10"],
            );
            return None;
        }
        Some(v)
    }

    fn missing(&mut self, scope: Scope, key: &str, fix: [&str; 2]) {
        let mut p = Problem::new(
            self.file,
            format!("{}: missing key `{key}`", scope_name(scope)),
            fix[0],
        )
        .with_zh(format!("{}：缺少键 `{key}`", scope_name_zh(scope)), fix[1]);
        if let Some((line, col)) = header_line(self.text, scope) {
            p = p.at(line, col);
        }
        self.problems.push(p);
    }

    /// A problem with `key`; `message` and `fix` are English then Chinese, the message
    /// following the key's name.
    fn bad(&mut self, scope: Scope, key: &str, message: [&str; 2], fix: [&str; 2]) {
        let [en, zh] = message;
        self.push(
            scope,
            key,
            [
                format!("{}`{key}` {en}", scope_prefix(scope)),
                format!("{}`{key}` {zh}", scope_prefix_zh(scope)),
            ],
            fix,
        );
    }

    /// A problem located at `key`, its whole message and fix given in English and Chinese.
    fn push(&mut self, scope: Scope, key: &str, message: [String; 2], fix: [&str; 2]) {
        let [en, zh] = message;
        let mut p = Problem::new(self.file, en, fix[0]).with_zh(zh, fix[1]);
        if let Some((line, col)) = locate_key(self.text, scope, key) {
            p = p.at(line, col);
        }
        self.problems.push(p);
    }
}

fn scope_name(scope: Scope) -> String {
    match scope {
        Scope::Top => "top level".into(),
        Scope::Table(t) => format!("[{t}]"),
        Scope::Track(i) => format!("[[track]] #{}", i + 1),
    }
}

fn scope_prefix(scope: Scope) -> String {
    match scope {
        Scope::Top => String::new(),
        other => format!("{}: ", scope_name(other)),
    }
}

fn scope_name_zh(scope: Scope) -> String {
    match scope {
        Scope::Top => "顶层".into(),
        Scope::Table(t) => format!("[{t}]"),
        Scope::Track(i) => format!("第 {} 个 [[track]]", i + 1),
    }
}

fn scope_prefix_zh(scope: Scope) -> String {
    match scope {
        Scope::Top => String::new(),
        other => format!("{}：", scope_name_zh(other)),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The header line that opens `scope` (1-based line, column 1).
fn header_line(text: &str, scope: Scope) -> Option<(usize, usize)> {
    let mut track_seen = 0usize;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        match scope {
            Scope::Top => return None,
            Scope::Table(name) if line.starts_with('[') && header_name(line) == name => {
                return Some((n + 1, 1));
            }
            Scope::Track(i) if line.starts_with("[[") && header_name(line) == "track" => {
                if track_seen == i {
                    return Some((n + 1, 1));
                }
                track_seen += 1;
            }
            _ => {}
        }
    }
    None
}

fn header_name(line: &str) -> &str {
    let inner = line.trim_start_matches('[');
    inner.split(']').next().unwrap_or("").trim()
}

/// Where `key = ...` is written inside `scope` (line and column of the key).
fn locate_key(text: &str, scope: Scope, key: &str) -> Option<(usize, usize)> {
    let mut current = String::new();
    let mut track_index: Option<usize> = None;
    let mut tracks_seen = 0usize;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        if line.starts_with('[') {
            current = header_name(line).to_string();
            if line.starts_with("[[") && current == "track" {
                track_index = Some(tracks_seen);
                tracks_seen += 1;
            } else {
                track_index = None;
            }
            if matches!(scope, Scope::Top) && current == key {
                return Some((n + 1, raw.len() - line.len() + 1));
            }
            continue;
        }
        let in_scope = match scope {
            Scope::Top => current.is_empty(),
            Scope::Table(name) => current == name,
            Scope::Track(i) => track_index == Some(i),
        };
        let Some((lhs, _)) = line.split_once('=') else {
            continue;
        };
        if in_scope && lhs.trim().trim_matches('"') == key {
            return Some((n + 1, raw.len() - line.len() + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
plan_year = 2026

[[track]]
name = "compulsory"
stages = ["kindergarten", "primary", "middle", "nine_year"]
mode = "townships"
count = 8
contiguous = true

[[track]]
name = "high"
stages = ["high"]
count = 2
max_schools = 3
include_helpers = true

[pairing]
helper_capacity = 2

[rotation]
cross_cap_share = 0.10
max_move_km = 40

[rotation.subject_weight]
pe = 2.0
"#;

    #[test]
    fn parses_tracks_and_defaults() {
        let p = Policy::parse(FULL, "policy.toml").expect("valid policy");
        assert_eq!(p.tracks.len(), 2);
        assert_eq!(p.tracks[0].mode, TrackMode::Townships);
        assert!(p.tracks[0].contiguous);
        assert_eq!(p.tracks[0].max_schools, 6);
        assert_eq!(p.tracks[1].max_schools, 3);
        assert_eq!(p.rotation.max_move_km, Some(40.0));
        assert_eq!(p.rotation.weight("pe"), 2.0);
        assert_eq!(p.rotation.weight("math"), 1.0);
        assert_eq!(p.rotation.exempt_age_female, 50);
        assert_eq!(p.pairing.priority_weight, 2.0);
        assert_eq!(p.solver.time_limit_s, 60.0);
    }

    #[test]
    fn unknown_key_has_location_and_suggestion() {
        let text = "plan_year = 2026\n[rotation]\ncross_cap_shar = 0.2\n";
        let err = Policy::parse(text, "p.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.toml:3:1:"), "{msg}");
        assert!(msg.contains("did you mean `cross_cap_share`"), "{msg}");
    }

    #[test]
    fn overlapping_tracks_are_rejected() {
        let text = "[[track]]\nname='a'\nstages=['primary']\ncount=1\n[[track]]\nname='b'\nstages=['primary']\ncount=1\n";
        let err = Policy::parse(text, "p.toml").unwrap_err();
        assert!(err.to_string().contains("G6"), "{err}");
    }

    #[test]
    fn syntax_error_points_at_line() {
        let err = Policy::parse("plan_year = \n", "p.toml").unwrap_err();
        assert_eq!(err.0[0].line, Some(1));
    }

    #[test]
    fn core_stages_default_to_the_track_stages_and_must_be_among_them() {
        let base = "[[track]]\nname='c'\nstages=['kindergarten','primary']\ncount=1\n";
        let p = Policy::parse(base, "p.toml").expect("parses");
        assert_eq!(p.tracks[0].core_stages, p.tracks[0].stages);
        assert_eq!(p.tracks[0].regroup_tolerance, 0.05);
        let p = Policy::parse(&format!("{base}core_stages=['primary']\n"), "p.toml").expect("ok");
        assert_eq!(p.tracks[0].core_stages, vec![Stage::Primary]);
        let err = Policy::parse(&format!("{base}core_stages=['middle']\n"), "p.toml").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.toml:5:1:"), "{msg}");
        assert!(
            msg.contains("middle") && msg.contains("kindergarten, primary"),
            "{msg}"
        );
        let err = Policy::parse(&format!("{base}regroup_tolerance=-1\n"), "p.toml").unwrap_err();
        assert!(err.to_string().contains("regroup_tolerance"), "{err}");
    }

    #[test]
    fn transfer_scope_and_indicators_parse_with_defaults_and_suggestions() {
        let d = Policy::parse("", "p.toml").expect("empty policy");
        assert_eq!(d.rotation.transfer_scope, TransferScope::Group);
        assert!(!d.indicators.minimise_cv_excess);
        let p = Policy::parse(
            "[rotation]\ntransfer_scope = \"county\"\n[indicators]\nminimise_cv_excess = true\n",
            "p.toml",
        )
        .expect("valid");
        assert_eq!(p.rotation.transfer_scope, TransferScope::County);
        assert!(p.indicators.minimise_cv_excess);
        let err = Policy::parse("[rotation]\ntransfer_scope = \"province\"\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("p.toml:2:1") && err.contains("\"county\""),
            "{err}"
        );
        let err = Policy::parse("[indicators]\nminimize_cv_excess = true\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `minimise_cv_excess`"), "{err}");
        assert!(known_key_paths().contains(&"indicators.minimise_cv_excess".to_string()));
        assert!(known_key_paths().contains(&"rotation.transfer_scope".to_string()));
    }

    #[test]
    fn share_out_of_range_is_rejected() {
        let err = Policy::parse("[rotation]\ncross_cap_share = 1.5\n", "p.toml").unwrap_err();
        assert!(err.to_string().contains("[0, 1]"));
    }
}
