//! The rules `verify` audits: id, statement and the document each comes from.
//!
//! Every rule lives here once so the printed audit, the report and the tests name it the same
//! way. Sources follow SPEC.md's "source" column; `000` is 赫章县《关于在全县中小学幼儿园推行
//! “三集”管理改革推动教育高质量发展的意见》(赫府办发〔2021〕60号), whose 附件2 is the education
//! group plan, and `001` is 山东省教育厅等4部门《关于实施强校扩优行动 建立完善基础教育协作机制的
//! 指导意见》(鲁教基函〔2021〕34号).

/// One audited rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// SPEC.md's id (G1…T10), or F1…F5 for the plan files' own consistency.
    pub id: &'static str,
    pub statement: &'static str,
    pub source: &'static str,
}

const PLAN_FILES: &str = "SPEC.md §Plan files";

macro_rules! rule {
    ($name:ident, $id:literal, $statement:literal, $source:expr) => {
        pub const $name: Rule = Rule {
            id: $id,
            statement: $statement,
            source: $source,
        };
    };
}

rule!(
    G1,
    "G1",
    "a group has at most max_schools schools, core included (school mode)",
    "001 鲁教基函〔2021〕34号 §二(一) “每个教育集团的成员学校以不超过6个为宜”"
);
rule!(
    G2,
    "G2",
    "groups are compact: Σ distance(school, its core) + balance term is the reported objective",
    "000 赫府办发〔2021〕60号 附件2 “区域相近”"
);
rule!(
    G3,
    "G3",
    "the core is core_eligible, of a stage in core_stages, with quality ≥ core_min_quality",
    "000 赫府办发〔2021〕60号 “以强带弱”; 001 鲁教基函〔2021〕34号 “以优质学校为核心”"
);
rule!(
    G4,
    "G4",
    "township mode: a township's track schools are in one group; contiguous groups when asked",
    "000 赫府办发〔2021〕60号 附件2 §二(二) (8 groups of whole townships)"
);
rule!(
    G5,
    "G5",
    "students per group within [min_students, max_students]",
    "000 赫府办发〔2021〕60号 “组团式发展”"
);
rule!(
    G6,
    "G6",
    "count groups per track; every track school in exactly one group; unique group ids; one core",
    "000 赫府办发〔2021〕60号 附件2 §二(一)(二) (2 high-school, 8 compulsory+preschool groups)"
);
rule!(
    P1,
    "P1",
    "a pairing fills an existing slot with a matching helper; at most one helper per slot",
    "000 赫府办发〔2021〕60号 附件2 §二(三)"
);
rule!(
    P2,
    "P2",
    "a helper appears in at most helper_capacity pairings",
    "000 赫府办发〔2021〕60号 附件2 §二(三) (第一小学 helps groups 1 and 2)"
);
rule!(
    P3,
    "P3",
    "helper quality ≥ the group's (or school's) mean quality + min_quality_gap",
    "001 鲁教基函〔2021〕34号 “以优质学校为核心”"
);
rule!(
    P4,
    "P4",
    "priority townships are served first: no priority slot is left uncovered while a helper that could fill it has room or serves a slot of lower weight",
    "001 鲁教基函〔2021〕34号 §二(二)"
);
rule!(
    T1,
    "T1",
    "a transfer stays inside the teacher's group (with transfer_scope = \"county\", inside the groups of any track)",
    "000 赫府办发〔2021〕60号 附件2 §三(三)"
);
rule!(
    T2,
    "T2",
    "transfers per group ≤ floor(cross_cap_share × staff after returns + 1e-9)",
    "000 赫府办发〔2021〕60号 附件2 §三(三) “不超过集团内教职工总数的10%”"
);
rule!(
    T3,
    "T3",
    "men ≥ exempt_age_male and women ≥ exempt_age_female do not move to another township unless volunteer",
    "000 赫府办发〔2021〕60号 附件2 §三(三)"
);
rule!(
    T4,
    "T4",
    "exchanges last exchange_years from plan_year; ended exchanges return and do not move; continuing ones stay",
    "000 赫府办发〔2021〕60号 §二(三) “交流时间原则上不超过一年”; 001 鲁教基函〔2021〕34号 “每期原则上不少于1学年”"
);
rule!(
    T5,
    "T5",
    "the weaker side sends teachers ≤ dispatched_max_age; the helper sends key or senior teachers",
    "001 鲁教基函〔2021〕34号 §二(二)1"
);
rule!(
    T6,
    "T6",
    "an exchange follows a pairing; at most exchanges_per_pairing per pairing and direction",
    "000 赫府办发〔2021〕60号, 001 鲁教基函〔2021〕34号 “互派”"
);
rule!(
    T7,
    "T7",
    "national floor: eligible movers ≥ ceil(floor_share × eligible − 1e-9); key movers ≥ floor_key_share × movers",
    "教育部等《关于推进县（区）域内义务教育学校校长教师交流轮岗的意见》(教师〔2014〕4号); 《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号)"
);
rule!(
    T8,
    "T8",
    "exempt teachers never move",
    "000 赫府办发〔2021〕60号 “对有特殊困难的职工,要有关怀措施”"
);
rule!(
    T9,
    "T9",
    "a teacher moves only to work within the highest level of their current school or certified stages",
    "《教师资格条例》(1995) 第五条"
);
rule!(
    T10,
    "T10",
    "no move longer than max_move_km",
    "planners' practice (mountain roads)"
);
rule!(
    F1,
    "F1",
    "every id in a plan file names a teacher, school or group that exists",
    PLAN_FILES
);
rule!(
    F2,
    "F2",
    "a teacher is moved at most once (one row of moves.csv)",
    PLAN_FILES
);
rule!(
    F3,
    "F3",
    "`from` is where the teacher is after this summer's returns, and differs from `to`",
    PLAN_FILES
);
rule!(
    F4,
    "F4",
    "the covered `subject` is the teacher's subject or second_subject",
    PLAN_FILES
);
rule!(
    F5,
    "F5",
    "a transfer has no end_year and no slot; an exchange names its slot",
    PLAN_FILES
);

const SUMMARY_KEYS: &str = "SPEC.md §Plan files (summary.json)";
const OBJECTIVES: &str = "SPEC.md §Objectives";

rule!(
    S1,
    "S1",
    "summary.json has every key SPEC lists: rotaplan_version, inputs, policy, each step's status/objective/bound/gap/seconds/levels, and the metrics",
    SUMMARY_KEYS
);
rule!(
    S2,
    "S2",
    "status, objective, bound and gap agree: gap = |objective − bound| / max(1, |objective|); optimal iff every level's gap ≤ 1e-6; each bound on its level's side",
    OBJECTIVES
);
rule!(
    S3,
    "S3",
    "every plan file the summary reports on is in the plan folder",
    SUMMARY_KEYS
);
rule!(
    S4,
    "S4",
    "every uncovered slot, every exchange shortfall and every move (when moves.csv has the reason column) gives a non-empty reason",
    SUMMARY_KEYS
);
rule!(
    S5,
    "S5",
    "`inputs` lists every instance file and the policy with the SHA-256 of the files audited",
    SUMMARY_KEYS
);

/// Every rule, in the order the audit reports them.
pub const ALL: &[Rule] = &[
    G1, G2, G3, G4, G5, G6, P1, P2, P3, P4, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, F1, F2, F3,
    F4, F5, S1, S2, S3, S4, S5,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sourced() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(!a.source.is_empty() && !a.statement.is_empty());
            for b in &ALL[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
        assert!(T2.source.starts_with("000 赫府办发〔2021〕60号"));
    }
}
