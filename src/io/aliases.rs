//! The names a county bureau writes, mapped to the SPEC's: sheet names, column headers and
//! cell values. One table serves both doors into an instance — `rotaplan import` of a
//! workbook and the CSV reader — so a word accepted in one is accepted in the other.
//! `docs/import-aliases.md` lists the same tables for planners; keep the two in step.
//!
//! The first Chinese alias of each entry is the preferred one: it is what
//! [`crate::io::instance_xlsx`] and the plan export write.

/// How a column's cells are converted to CSV text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text or an id; a number cell is written without a trailing `.0`.
    Text,
    /// An id of a row in another sheet; a name from that sheet is accepted and replaced by the id.
    TownshipRef,
    SchoolRef,
    Bool,
    Sex,
    Title,
    Stage,
    /// `;`-separated stages (Chinese separators too).
    Stages,
    Degree,
    Subject,
    /// A birth date in any usual form, reduced to its year.
    BirthYear,
    /// A year (or a date reduced to its year).
    Year,
    Number,
    /// A whole number ≥ 0.
    Count,
}

/// One column of an instance table.
pub struct Column {
    /// The SPEC column name, written as the CSV header.
    pub name: &'static str,
    pub required: bool,
    pub kind: Kind,
    /// Chinese headers accepted besides `name`, preferred first.
    pub aliases: &'static [&'static str],
}

/// One instance table: its CSV file stem, the sheet names it is found under and its columns.
pub struct TableSpec {
    pub stem: &'static str,
    pub required: bool,
    pub sheet_aliases: &'static [&'static str],
    pub columns: &'static [Column],
}

impl TableSpec {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.stem)
    }
}

const fn col(
    name: &'static str,
    required: bool,
    kind: Kind,
    aliases: &'static [&'static str],
) -> Column {
    Column {
        name,
        required,
        kind,
        aliases,
    }
}

use Kind::*;

/// Degrees as map services give them (SPEC: `纬度`/`经度` name `lat`/`lng`).
const LAT: &[&str] = &["纬度", "latitude"];
const LNG: &[&str] = &["经度", "longitude", "lon", "long"];

/// The table of a CSV file stem (`townships`, …).
pub fn table(stem: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.stem == stem)
}

/// Every table of an instance, in SPEC order.
pub static TABLES: &[TableSpec] = &[
    TableSpec {
        stem: "townships",
        required: true,
        sheet_aliases: &["乡镇", "乡镇街道", "乡镇（街道）", "乡镇(街道)", "街道"],
        columns: &[
            col("id", true, Text, &["乡镇编号", "乡镇代码", "编号"]),
            col("name", true, Text, &["乡镇名称", "名称", "乡镇"]),
            col("urban", true, Bool, &["城区", "是否城区", "县城区"]),
            col("x_km", false, Number, &["横坐标", "x坐标", "x"]),
            col("y_km", false, Number, &["纵坐标", "y坐标", "y"]),
            col("lat", false, Number, LAT),
            col("lng", false, Number, LNG),
            col(
                "priority",
                false,
                Bool,
                &[
                    "优先",
                    "是否优先",
                    "优先乡镇",
                    "脱贫乡镇",
                    "易地搬迁",
                    "是否脱贫或易地搬迁",
                ],
            ),
        ],
    },
    TableSpec {
        stem: "adjacency",
        required: false,
        sheet_aliases: &["相邻", "乡镇相邻", "相邻乡镇", "乡镇邻接", "邻接"],
        columns: &[
            col(
                "a",
                true,
                TownshipRef,
                &["乡镇A", "乡镇甲", "乡镇1", "乡镇编号A"],
            ),
            col(
                "b",
                true,
                TownshipRef,
                &["乡镇B", "乡镇乙", "乡镇2", "乡镇编号B"],
            ),
        ],
    },
    TableSpec {
        stem: "schools",
        required: true,
        sheet_aliases: &["学校", "学校信息", "学校名单", "学校基本信息"],
        columns: &[
            col(
                "id",
                true,
                Text,
                &["学校编号", "学校代码", "学校标识码", "编号"],
            ),
            col("name", true, Text, &["学校名称", "名称", "校名"]),
            col(
                "township",
                true,
                TownshipRef,
                &["所属乡镇", "乡镇", "乡镇编号", "所在乡镇", "乡镇街道"],
            ),
            col("stage", true, Stage, &["学段", "办学类型", "学校类型"]),
            col(
                "quality",
                true,
                Number,
                &["办学质量", "质量评分", "质量", "办学质量评分", "评分"],
            ),
            col(
                "students",
                true,
                Count,
                &["学生数", "在校生数", "在校学生数"],
            ),
            col("classes", true, Count, &["班级数", "班数", "教学班数"]),
            col("x_km", false, Number, &["横坐标", "x坐标", "x"]),
            col("y_km", false, Number, &["纵坐标", "y坐标", "y"]),
            col("lat", false, Number, LAT),
            col("lng", false, Number, LNG),
            col(
                "helper",
                false,
                Bool,
                &["是否帮扶校", "帮扶校", "县城帮扶校", "县城区学校"],
            ),
            col(
                "core_eligible",
                false,
                Bool,
                &["可任核心校", "可作核心校", "可作牵头校", "可任牵头校"],
            ),
        ],
    },
    TableSpec {
        stem: "teachers",
        required: true,
        sheet_aliases: &["教师", "教职工", "教师名单", "教师信息", "教职工名单"],
        columns: &[
            col(
                "id",
                true,
                Text,
                &["教师编号", "工号", "编号", "教职工编号"],
            ),
            col(
                "school",
                true,
                SchoolRef,
                &["学校编号", "所在学校", "任职学校", "学校", "现任教学校"],
            ),
            col("subject", true, Subject, &["任教学科", "学科", "主教学科"]),
            col("sex", true, Sex, &["性别"]),
            col(
                "birth_year",
                true,
                BirthYear,
                &["出生年份", "出生年月", "出生日期", "出生年"],
            ),
            col("title", true, Title, &["职称", "专业技术职务", "职称等级"]),
            col(
                "key",
                true,
                Bool,
                &["骨干教师", "是否骨干", "是否骨干教师", "骨干"],
            ),
            col(
                "years_at_school",
                true,
                Count,
                &[
                    "本校任教年限",
                    "在本校年限",
                    "本校年限",
                    "在校年限",
                    "本校工作年限",
                ],
            ),
            col("name", false, Text, &["姓名", "教师姓名"]),
            col("second_subject", false, Subject, &["第二学科", "兼教学科"]),
            col(
                "certified_stages",
                false,
                Stages,
                &["资格学段", "教师资格学段", "教师资格"],
            ),
            col("degree", false, Degree, &["学历", "最高学历"]),
            col(
                "home_school",
                false,
                SchoolRef,
                &["原学校", "派出学校", "人事关系学校", "编制学校"],
            ),
            col(
                "exchange_until",
                false,
                Year,
                &["交流截止年份", "交流截止", "交流结束年份"],
            ),
            col("exempt", false, Bool, &["特殊困难", "是否免交流", "免交流"]),
            col(
                "volunteer",
                false,
                Bool,
                &["自愿交流", "是否自愿交流", "自愿"],
            ),
        ],
    },
    TableSpec {
        stem: "demand",
        required: true,
        sheet_aliases: &["岗位需求", "学科需求", "编制需求", "需求", "岗位"],
        columns: &[
            col("school", true, SchoolRef, &["学校编号", "学校", "学校名称"]),
            col("subject", true, Subject, &["学科", "任教学科"]),
            col(
                "positions",
                true,
                Count,
                &["岗位数", "需求数", "编制数", "岗位"],
            ),
        ],
    },
    TableSpec {
        stem: "distances",
        required: false,
        sheet_aliases: &["距离", "学校距离", "道路距离", "路程"],
        columns: &[
            col(
                "a",
                true,
                SchoolRef,
                &["学校A", "学校甲", "学校1", "起点学校"],
            ),
            col(
                "b",
                true,
                SchoolRef,
                &["学校B", "学校乙", "学校2", "终点学校"],
            ),
            col(
                "km",
                true,
                Number,
                &["距离", "公里", "距离(km)", "道路距离", "里程"],
            ),
        ],
    },
];

/// Canonical form of a header or sheet name for matching: no spaces, no `*` marks, no
/// trailing unit in brackets (`横坐标(km)`, `横坐标（公里）`), ASCII lower-case.
pub fn normalize(s: &str) -> String {
    let mut t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect::<String>()
        .to_lowercase();
    if let Some(stem) = t.strip_suffix(".csv") {
        t = stem.to_string();
    }
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if t.ends_with(close)
            && let Some(i) = t.rfind(open)
            && i > 0
        {
            t.truncate(i);
        }
    }
    t
}

/// The table a sheet holds, by its name.
pub fn table_for_sheet(sheet: &str) -> Option<&'static TableSpec> {
    let n = normalize(sheet);
    TABLES
        .iter()
        .find(|t| t.stem == n || t.sheet_aliases.iter().any(|a| normalize(a) == n))
}

/// The column a header names, in `table`.
pub fn column_for_header(table: &TableSpec, header: &str) -> Option<&'static Column> {
    let n = normalize(header);
    let columns: &'static [Column] = table.columns;
    // SPEC names win over aliases, so an English `name` header is never taken for another column.
    columns.iter().find(|c| c.name == n).or_else(|| {
        columns
            .iter()
            .find(|c| c.aliases.iter().any(|a| normalize(a) == n))
    })
}

/// Values of one coded column: the SPEC code and the words accepted for it, preferred first.
pub type ValueTable = &'static [(&'static str, &'static [&'static str])];

pub static SEXES: ValueTable = &[
    ("M", &["男", "m", "male", "男性"]),
    ("F", &["女", "f", "female", "女性"]),
];

pub static BOOLS: ValueTable = &[
    (
        "true",
        &["是", "true", "1", "yes", "y", "t", "√", "✓", "有"],
    ),
    (
        "false",
        &["否", "false", "0", "no", "n", "f", "×", "✗", "无", "-"],
    ),
];

/// Titles under the 2015 unified system, and the older school-level names mapped as the
/// reform mapped them (小学高级 became 一级, 小学一级 became 二级, …).
pub static TITLES: ValueTable = &[
    (
        "senior_plus",
        &["正高级教师", "正高级", "正高", "中小学正高级教师"],
    ),
    (
        "senior",
        &[
            "高级教师",
            "高级",
            "副高级",
            "副高",
            "中学高级",
            "中学高级教师",
            "小学中学高级教师",
            "小学中学高级",
            "中小学高级教师",
            "幼儿园高级教师",
        ],
    ),
    (
        "first",
        &[
            "一级教师",
            "一级",
            "中级",
            "中学一级",
            "中学一级教师",
            "小学高级",
            "小学高级教师",
            "幼儿园一级教师",
        ],
    ),
    (
        "second",
        &[
            "二级教师",
            "二级",
            "初级",
            "助理级",
            "中学二级",
            "中学二级教师",
            "小学一级",
            "小学一级教师",
            "幼儿园二级教师",
        ],
    ),
    (
        "third",
        &[
            "三级教师",
            "三级",
            "员级",
            "中学三级",
            "中学三级教师",
            "小学二级",
            "小学二级教师",
            "小学三级",
            "小学三级教师",
            "幼儿园三级教师",
        ],
    ),
    (
        "none",
        &["未定级", "无", "无职称", "未评", "见习", "试用期", "暂无"],
    ),
];

pub static STAGES: ValueTable = &[
    (
        "kindergarten",
        &["幼儿园", "学前", "幼儿园学段", "学前教育"],
    ),
    (
        "primary",
        &["小学", "完全小学", "完小", "中心小学", "教学点", "村小"],
    ),
    ("middle", &["初中", "初级中学", "中学初中"]),
    (
        "nine_year",
        &["九年一贯制", "九年一贯制学校", "九年制", "九年一贯"],
    ),
    ("high", &["高中", "普通高中", "高级中学", "普高"]),
    (
        "vocational",
        &[
            "职高",
            "中职",
            "职业学校",
            "职业中学",
            "中等职业学校",
            "职业高中",
            "职校",
        ],
    ),
];

pub static DEGREES: ValueTable = &[
    (
        "graduate",
        &[
            "研究生",
            "硕士",
            "博士",
            "硕士研究生",
            "博士研究生",
            "研究生及以上",
        ],
    ),
    ("bachelor", &["本科", "大学本科", "学士", "大学"]),
    (
        "college",
        &["专科", "大专", "大学专科", "高职", "专科(高职)"],
    ),
    (
        "secondary",
        &[
            "中专",
            "高中",
            "中师",
            "中等师范",
            "高中及以下",
            "中专及以下",
            "高中阶段",
        ],
    ),
];

pub static SUBJECTS: ValueTable = &[
    ("chinese", &["语文"]),
    ("math", &["数学"]),
    ("english", &["英语", "外语"]),
    ("physics", &["物理"]),
    ("chemistry", &["化学"]),
    ("biology", &["生物", "生物学"]),
    (
        "politics",
        &[
            "道德与法治",
            "政治",
            "思想政治",
            "思品",
            "品德与社会",
            "品德与生活",
        ],
    ),
    ("history", &["历史"]),
    ("geography", &["地理"]),
    ("science", &["科学"]),
    ("pe", &["体育", "体育与健康"]),
    ("music", &["音乐"]),
    ("art", &["美术"]),
    ("it", &["信息技术", "信息科技", "计算机", "信息"]),
    ("preschool", &["学前教育", "幼教", "幼儿教育", "学前"]),
    ("psychology", &["心理健康", "心理"]),
    ("calligraphy", &["书法"]),
    ("labor", &["劳动", "劳动教育"]),
    ("practice", &["综合实践", "综合实践活动"]),
    ("technology", &["通用技术"]),
    ("japanese", &["日语"]),
    ("russian", &["俄语"]),
    ("special_education", &["特殊教育", "特教"]),
];

/// The SPEC code for `value` in `table`: the code itself (any case) or one of its words.
pub fn code_for(table: ValueTable, value: &str) -> Option<&'static str> {
    // Most cells are written exactly as a code or a word: found without normalising the
    // whole table, which matters on a county's teachers.csv.
    let exact = value.trim();
    if let Some((code, _)) = table
        .iter()
        .find(|(code, words)| *code == exact || words.contains(&exact))
    {
        return Some(code);
    }
    let n = normalize(value);
    table.iter().find_map(|(code, words)| {
        (code.to_lowercase() == n || words.iter().any(|w| normalize(w) == n)).then_some(*code)
    })
}

/// Why a cell's text could not be converted: what is wrong and how to fix it.
pub type Bad = (String, String);

fn bad(message: impl Into<String>, fix: impl Into<String>) -> Bad {
    (message.into(), fix.into())
}

/// A cell's text in its SPEC form, by column kind: `男` → `M`, `是` → `true`, `小学` →
/// `primary`, `1985年3月` → `1985`, `2,231` → `2231`. The SPEC form itself comes back
/// unchanged, and an empty cell stays empty (whether it may be empty is the reader's call).
pub fn canonical(text: &str, kind: Kind) -> Result<String, Bad> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let coded = |table: ValueTable, what: &str| {
        code_for(table, text).map(str::to_string).ok_or_else(|| {
            bad(
                format!("unknown {what}"),
                format!("use one of {}", hint(table)),
            )
        })
    };
    match kind {
        Text | TownshipRef | SchoolRef => Ok(text.to_string()),
        Bool => coded(BOOLS, "yes/no value"),
        Sex => coded(SEXES, "sex"),
        Title => coded(TITLES, "title"),
        Stage => coded(STAGES, "stage"),
        Degree => coded(DEGREES, "degree"),
        Subject => subject(text),
        Stages => {
            let mut codes = Vec::new();
            for part in split_stages(text) {
                match code_for(STAGES, part) {
                    Some(c) => codes.push(c),
                    None => {
                        return Err(bad(
                            format!("unknown stage `{part}`"),
                            format!("separate stages with 、 or ;, each one of {}", hint(STAGES)),
                        ));
                    }
                }
            }
            Ok(codes.join(";"))
        }
        BirthYear | Year => crate::io::xlsx_import::dates::year_from_text(text)
            .map(|y| y.to_string())
            .ok_or_else(|| {
                bad(
                    "not a year or date",
                    "write a year such as 1985, or a date such as 1985-03 or 1985年3月",
                )
            }),
        Number => number_from_text(text)
            .map(number_text)
            .ok_or_else(|| bad("not a number", "write a number such as 12.5")),
        Count => match number_from_text(text) {
            Some(x) if x >= 0.0 && x.fract() == 0.0 => Ok(number_text(x)),
            _ => Err(bad("not a whole number ≥ 0", "write a count such as 12")),
        },
    }
}

/// The parts of a list of stages: `高中、初中`, `high;middle`, `小学，初中`.
pub fn split_stages(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '；', '、', ',', '，', '/', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// A number as CSV text: whole numbers without a spurious `.0`, others in the shortest
/// form that reads back to the same `f64`.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A number typed as text, possibly with thousands separators or full-width digits.
pub fn number_from_text(text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn subject(text: &str) -> Result<String, Bad> {
    if let Some(code) = code_for(SUBJECTS, text) {
        return Ok(code.to_string());
    }
    let lower = text.to_ascii_lowercase();
    if !lower.is_empty()
        && lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Ok(lower);
    }
    Err(bad(
        "unknown subject",
        format!(
            "use one of {} (see docs/import-aliases.md), or a lower-case English identifier",
            hint(SUBJECTS)
        ),
    ))
}

/// The preferred Chinese word for a SPEC code, or the code itself when it has none.
pub fn word_for(table: ValueTable, code: &str) -> &str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, words)| words.first().copied())
        .unwrap_or(code)
}

/// The accepted words of a table, for error messages: `男 (M), 女 (F)`.
pub fn hint(table: ValueTable) -> String {
    table
        .iter()
        .map(|(code, words)| format!("{} ({code})", words.first().copied().unwrap_or(code)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The alias tables as Markdown, the body of `docs/import-aliases.md`.
pub fn markdown() -> String {
    let mut out = String::from("## Sheets and columns\n\n");
    for t in TABLES {
        out.push_str(&format!(
            "### {} — `{}`{}\n\nSheet names: `{}`",
            t.sheet_aliases.first().copied().unwrap_or(t.stem),
            t.file_name(),
            if t.required { "" } else { " (optional)" },
            t.stem
        ));
        for a in t.sheet_aliases {
            out.push_str(&format!(", {a}"));
        }
        out.push_str("\n\n| column | required | kind | accepted headers |\n|---|---|---|---|\n");
        for c in t.columns {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name,
                match (t.stem, c.name) {
                    ("townships", "x_km" | "y_km" | "lat" | "lng") => "x_km,y_km or lat,lng",
                    _ if c.required => "yes",
                    _ => "no",
                },
                kind_doc(c.kind),
                c.aliases.join(", ")
            ));
        }
        out.push('\n');
    }
    out.push_str("## Values\n\n");
    for (title, table) in [
        ("Sex (`sex`)", SEXES),
        ("Yes / no (every true/false column)", BOOLS),
        ("Title (`title`)", TITLES),
        ("Stage (`stage`, `certified_stages`)", STAGES),
        ("Degree (`degree`)", DEGREES),
        (
            "Subject (`subject`, `second_subject`, demand `subject`)",
            SUBJECTS,
        ),
    ] {
        out.push_str(&format!("### {title}\n\n| code | accepted |\n|---|---|\n"));
        for (code, words) in table {
            out.push_str(&format!("| `{code}` | {} |\n", words.join(", ")));
        }
        out.push('\n');
    }
    out
}

fn kind_doc(k: Kind) -> &'static str {
    match k {
        Text => "text",
        TownshipRef => "township id or name",
        SchoolRef => "school id or name",
        Bool => "yes/no",
        Sex => "sex",
        Title => "title",
        Stage => "stage",
        Stages => "stages, separated by 、 ; , or space",
        Degree => "degree",
        Subject => "subject",
        BirthYear | Year => "year or date",
        Number => "number",
        Count => "whole number ≥ 0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The planner-facing list must match the code; regenerate it with
    /// `ROTAPLAN_WRITE_DOCS=1 cargo test --lib alias_doc`.
    #[test]
    fn alias_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import-aliases.md");
        let body = markdown();
        let doc = std::fs::read_to_string(path).unwrap_or_default();
        if std::env::var_os("ROTAPLAN_WRITE_DOCS").is_some() {
            let head = doc
                .split("## Sheets and columns")
                .next()
                .unwrap_or_default();
            std::fs::write(path, format!("{head}{body}")).expect("write docs");
            return;
        }
        assert!(
            doc.contains(&body),
            "docs/import-aliases.md is out of date: run ROTAPLAN_WRITE_DOCS=1 cargo test --lib alias_doc"
        );
    }

    #[test]
    fn headers_match_with_units_and_spaces() {
        let schools = table_for_sheet("学校").expect("学校");
        assert_eq!(schools.stem, "schools");
        let c = column_for_header(schools, " 横坐标（km） ").expect("x");
        assert_eq!(c.name, "x_km");
        assert_eq!(
            column_for_header(schools, "*学校编号").expect("id").name,
            "id"
        );
        assert_eq!(
            column_for_header(schools, "name").expect("name").name,
            "name"
        );
        assert_eq!(table_for_sheet("teachers.csv").expect("t").stem, "teachers");
        assert_eq!(table_for_sheet("教职工").expect("t").stem, "teachers");
        assert!(table_for_sheet("说明").is_none());
    }

    #[test]
    fn every_alias_is_unambiguous_within_its_table() {
        for t in TABLES {
            let mut seen = std::collections::HashMap::new();
            for c in t.columns {
                for a in std::iter::once(&c.name).chain(c.aliases.iter()) {
                    if let Some(prev) = seen.insert(normalize(a), c.name) {
                        assert_eq!(prev, c.name, "{}: `{a}` names both", t.stem);
                    }
                }
            }
        }
        for table in [SEXES, BOOLS, TITLES, STAGES, DEGREES, SUBJECTS] {
            let mut seen = std::collections::HashMap::new();
            for (code, words) in table {
                for w in std::iter::once(code).chain(words.iter()) {
                    if let Some(prev) = seen.insert(normalize(w), *code) {
                        assert_eq!(prev, *code, "`{w}` maps to both {prev} and {code}");
                    }
                }
            }
        }
    }

    #[test]
    fn text_converts_by_kind_and_codes_stay() {
        assert_eq!(canonical("男", Sex), Ok("M".into()));
        assert_eq!(canonical("M", Sex), Ok("M".into()));
        assert_eq!(canonical("是", Bool), Ok("true".into()));
        assert_eq!(canonical("TRUE", Bool), Ok("true".into()));
        assert_eq!(canonical("小学", Stage), Ok("primary".into()));
        assert_eq!(canonical("语文", Subject), Ok("chinese".into()));
        assert_eq!(canonical("小学；初中", Stages), Ok("primary;middle".into()));
        assert_eq!(canonical("1985年3月", BirthYear), Ok("1985".into()));
        assert_eq!(canonical("２,２３１", Count), Ok("2231".into()));
        assert_eq!(
            canonical("27.12345678901234", Number),
            Ok("27.12345678901234".into())
        );
        assert!(canonical("-3", Count).is_err());
        assert!(canonical("男女", Sex).is_err());
        assert_eq!(table("schools").map(|t| t.stem), Some("schools"));
        let towns = table("townships").expect("townships");
        assert_eq!(
            column_for_header(towns, "纬度").map(|c| c.name),
            Some("lat")
        );
        assert_eq!(
            column_for_header(towns, "经度（度）").map(|c| c.name),
            Some("lng")
        );
    }

    #[test]
    fn values_map_both_ways() {
        assert_eq!(code_for(TITLES, "小学高级"), Some("first"));
        assert_eq!(code_for(TITLES, "正高级教师"), Some("senior_plus"));
        assert_eq!(code_for(STAGES, "初级中学"), Some("middle"));
        assert_eq!(code_for(STAGES, "nine_year"), Some("nine_year"));
        assert_eq!(code_for(SUBJECTS, "道德与法治"), Some("politics"));
        assert_eq!(code_for(SEXES, "女"), Some("F"));
        assert_eq!(code_for(SEXES, "m"), Some("M"));
        assert_eq!(word_for(SUBJECTS, "pe"), "体育");
        assert_eq!(word_for(SUBJECTS, "astronomy"), "astronomy");
    }
}
