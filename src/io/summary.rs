//! `summary.json`: one object per step, merged into whatever the plan folder already holds
//! so `groups`, `pair` and `rotate` run one after another build one summary.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::Policy;

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

/// The files of an instance folder that the reader reads, in SPEC order.
pub const INSTANCE_FILES: [&str; 6] = [
    "townships.csv",
    "adjacency.csv",
    "schools.csv",
    "teachers.csv",
    "demand.csv",
    "distances.csv",
];

/// The instance files present in `dir` (the optional ones may be absent).
pub fn instance_files(dir: &Path) -> Vec<PathBuf> {
    INSTANCE_FILES
        .iter()
        .map(|f| dir.join(f))
        .filter(|p| p.is_file())
        .collect()
}

/// What a plan was made from, so a circulated plan can be traced: SPEC's
/// `rotaplan_version`, `inputs` (file name → SHA-256) and `policy` keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// File name → lower-case hex SHA-256, sorted by name.
    pub inputs: Map<String, Value>,
}

impl Provenance {
    /// Digests `files`. Each is keyed by its file name; a second file of the same name (a
    /// policy.toml beside another policy.toml) is keyed by its path as given.
    pub fn of_files(files: &[PathBuf]) -> Result<Provenance, (PathBuf, std::io::Error)> {
        let mut inputs = Map::new();
        for f in files {
            let bytes = std::fs::read(f).map_err(|e| (f.clone(), e))?;
            let name = f
                .file_name()
                .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into());
            let key = if inputs.contains_key(&name) {
                f.display().to_string()
            } else {
                name
            };
            inputs.insert(key, Value::String(sha256_hex(&bytes)));
        }
        Ok(Provenance { inputs })
    }

    /// Writes the three keys into `summary`; `policy` is the effective one (defaults filled
    /// in, sweep overrides applied).
    pub fn stamp(&self, summary: &mut Summary, policy: &Policy) {
        summary.set(
            "rotaplan_version",
            Value::String(env!("CARGO_PKG_VERSION").into()),
        );
        summary.set("inputs", Value::Object(self.inputs.clone()));
        summary.set("policy", policy_json(policy));
    }
}

/// The policy as a JSON object with TOML's key names.
pub fn policy_json(policy: &Policy) -> Value {
    // Serialising plain structs of numbers, strings and enums cannot fail; null keeps the
    // summary writable if it ever did.
    serde_json::to_value(policy).unwrap_or(Value::Null)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_a_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn policy_json_uses_toml_names_and_fills_defaults() {
        let p =
            Policy::parse("[rotation]\ncross_cap_share = 0.05\n", "policy.toml").expect("policy");
        let v = policy_json(&p);
        assert_eq!(
            v.pointer("/rotation/cross_cap_share"),
            Some(&Value::from(0.05))
        );
        assert_eq!(
            v.pointer("/rotation/exempt_age_female"),
            Some(&Value::from(50))
        );
        assert_eq!(v.pointer("/pairing/level"), Some(&Value::from("group")));
        assert!(v.get("track").is_some_and(Value::is_array));
        assert_eq!(v.pointer("/solver/time_limit_s"), Some(&Value::from(60.0)));
    }
}
