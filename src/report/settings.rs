//! The policy a plan was made with, as `summary.json` records it (`policy`): the key
//! settings a planner checks before circulating the plan.

use serde_json::{Map, Value};

use super::html::esc;
use super::i18n::{Key, Lang};
use super::tables::{Cell, fmt_num, table};
use crate::words::track_name;

/// (path in `policy`, Chinese label, English label).
const SETTINGS: [(&str, &str, &str); 17] = [
    ("plan_year", "方案年度", "plan year"),
    ("pairing.level", "结对层级", "pairing level"),
    (
        "pairing.helper_capacity",
        "每所帮扶校结对上限",
        "pairings per helper",
    ),
    (
        "pairing.min_quality_gap",
        "帮扶校最小质量差",
        "minimum quality gap",
    ),
    (
        "rotation.cross_cap_share",
        "集团内调整上限比例（T2）",
        "transfer cap share (T2)",
    ),
    (
        "rotation.exchanges_per_pairing",
        "每个结对每向互派人数（T6）",
        "exchanges per pairing (T6)",
    ),
    ("rotation.exchange_years", "互派年限", "exchange years"),
    (
        "rotation.max_move_km",
        "最远交流距离（km，T10）",
        "longest move (km, T10)",
    ),
    (
        "rotation.exempt_age_male",
        "男教师免交流年龄",
        "exempt age, men",
    ),
    (
        "rotation.exempt_age_female",
        "女教师免交流年龄",
        "exempt age, women",
    ),
    (
        "rotation.dispatched_max_age",
        "派往帮扶校教师年龄上限（T5）",
        "oldest sent to a helper (T5)",
    ),
    (
        "rotation.helper_sends_key_or_senior",
        "帮扶校派骨干或高级教师（T5）",
        "helper sends key or senior (T5)",
    ),
    (
        "rotation.eligible_years",
        "应交流任职年限",
        "years at school before rotating",
    ),
    (
        "rotation.national_floor",
        "执行国家交流比例底线（T7）",
        "national floor (T7)",
    ),
    ("rotation.floor_share", "底线比例", "floor share"),
    (
        "rotation.floor_key_share",
        "骨干教师占比下限",
        "key teacher share",
    ),
    ("solver.time_limit_s", "求解时限（秒）", "time limit (s)"),
];

/// The settings table, or a note when the summary records no policy.
pub fn render(summary: &Map<String, Value>, lang: Lang) -> String {
    let Some(policy) = summary.get("policy").and_then(Value::as_object) else {
        return format!("<p class=\"note\">{}</p>", esc(Key::NoPolicy.text(lang)));
    };
    let mut rows: Vec<(&str, Vec<Cell>)> = Vec::new();
    if let Some(tracks) = policy.get("tracks").and_then(Value::as_array) {
        let sep = lang.pick("、", ", ");
        let list: Vec<String> = tracks
            .iter()
            .filter_map(|t| {
                let name = t.get("name")?.as_str()?;
                let count = t.get("count").and_then(Value::as_u64);
                Some(match (count, lang) {
                    (Some(n), Lang::Zh) => format!("{} {n} 个集团", track_name(name, lang)),
                    (Some(n), Lang::En) => format!("{name}: {n} groups"),
                    (None, _) => track_name(name, lang),
                })
            })
            .collect();
        rows.push(row(lang.pick("分组", "groups"), "tracks", &list.join(sep)));
    }
    let root = &summary["policy"];
    for (path, zh, en) in SETTINGS {
        if let Some(v) = path.split('.').try_fold(root, |v, k| v.get(k)) {
            rows.push(row(lang.pick(zh, en), path, &value(v, lang)));
        }
    }
    table(
        Some("policy"),
        false,
        &[(Key::Setting, false), (Key::Value, false)],
        &rows,
        lang,
    )
}

/// The settings that shape the map, in one line: "集团内调整上限比例（T2） 0.1；…".
pub fn brief(summary: &Map<String, Value>, lang: Lang) -> Option<String> {
    let root = summary.get("policy")?;
    let parts: Vec<String> = [
        "pairing.level",
        "rotation.cross_cap_share",
        "rotation.exchanges_per_pairing",
        "rotation.max_move_km",
        "rotation.national_floor",
    ]
    .iter()
    .filter_map(|path| {
        let (_, zh, en) = SETTINGS.iter().find(|(p, _, _)| p == path)?;
        let v = path.split('.').try_fold(root, |v, k| v.get(k))?;
        Some(format!("{} {}", lang.pick(zh, en), value(v, lang)))
    })
    .collect();
    (!parts.is_empty()).then(|| parts.join(lang.pick("；", "; ")))
}

fn row<'a>(label: &str, key: &str, value: &str) -> (&'a str, Vec<Cell>) {
    (
        "setting",
        vec![
            Cell::html(format!(
                "{} <span class=\"note\">{}</span>",
                esc(label),
                esc(key)
            )),
            Cell::text(value),
        ],
    )
}

/// A setting's value as a reader expects it.
fn value(v: &Value, lang: Lang) -> String {
    match v {
        Value::Bool(true) => Key::Yes.text(lang).into(),
        Value::Bool(false) => Key::No.text(lang).into(),
        Value::Null => lang.pick("不限", "none").into(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        Value::String(s) => match (s.as_str(), lang) {
            ("group", Lang::Zh) => "集团".into(),
            ("school", Lang::Zh) => "学校".into(),
            _ => s.clone(),
        },
        other => other.to_string(),
    }
}
