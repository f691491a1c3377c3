//! `summary.json`: one object per step, merged into whatever the plan folder already holds
//! so `groups`, `pair` and `rotate` run one after another build one summary.

use std::path::Path;

use serde_json::{Map, Value};

use crate::io::atomic::write_bytes_atomic;
use crate::solve::mip::{LexResult, MipResult, SolveStatus};

pub const SUMMARY: &str = "summary.json";

/// The summary of a plan folder, keys sorted so the file is stable.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub root: Map<String, Value>,
}

impl Summary {
    /// Loads `dir/summary.json`, or starts empty when there is none or it is unreadable
    /// (a step never fails because an older summary is damaged; it rewrites it).
    pub fn load(dir: &Path) -> Summary {
        let root = std::fs::read(dir.join(SUMMARY))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        Summary { root }
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.root.insert(key.to_string(), value);
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(&Value::Object(self.root.clone()))
            .map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        write_bytes_atomic(&dir.join(SUMMARY), &bytes)
    }
}

/// A float as JSON: rounded to 6 decimals so solver noise does not change the bytes; NaN and
/// infinity (no solution, no bound) become null.
pub fn num(x: f64) -> Value {
    if x.is_finite() {
        let r = (x * 1e6).round() / 1e6;
        serde_json::Number::from_f64(if r == 0.0 { 0.0 } else { r })
            .map_or(Value::Null, Value::Number)
    } else {
        Value::Null
    }
}

/// The status block SPEC.md requires of every solving step.
pub fn step_block(
    status: SolveStatus,
    objective: Value,
    bound: Value,
    gap: Value,
    seconds: f64,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("status".into(), Value::String(status.as_str().into()));
    m.insert("objective".into(), objective);
    m.insert("bound".into(), bound);
    m.insert("gap".into(), gap);
    m.insert("seconds".into(), num(seconds));
    m
}

pub fn single_step(r: &MipResult) -> Map<String, Value> {
    step_block(
        r.status,
        num(r.objective),
        num(r.bound),
        num(r.gap),
        r.seconds,
    )
}

/// A lexicographic step: `objective`, `bound` and `gap` are arrays in level order.
pub fn lex_step(r: &LexResult, level_names: &[&str]) -> Map<String, Value> {
    let arr =
        |f: &dyn Fn(&MipResult) -> f64| Value::Array(r.levels.iter().map(|l| num(f(l))).collect());
    let mut m = step_block(
        r.status(),
        arr(&|l| l.objective),
        arr(&|l| l.bound),
        arr(&|l| l.gap),
        r.seconds(),
    );
    m.insert(
        "levels".into(),
        Value::Array(
            level_names
                .iter()
                .map(|n| Value::String((*n).into()))
                .collect(),
        ),
    );
    m
}
