//! Sweep files: a base policy and variants that override its keys, grids expanding into
//! their cross product.
//!
//! ```toml
//! base = "policy.toml"                # relative to the sweep file
//!
//! [[variant]]
//! name = "cap-5"
//! set = { "rotation.cross_cap_share" = 0.05 }
//!
//! [[variant]]
//! name = "caps-by-age"                # 3 x 2 = 6 variants
//! grid = { "rotation.cross_cap_share" = [0.05, 0.10, 0.15], "rotation.exempt_age_female" = [45, 50] }
//!
//! [[variant]]
//! name = "shandong-6"                 # a track's key: track.<track name>.<key>
//! set = { "track.compulsory.mode" = "schools", "track.compulsory.max_schools" = 6 }
//! ```

use std::path::{Path, PathBuf};

use toml::Value;

use crate::diagnostics::{Problem, Problems, did_you_mean};
use crate::domain::Policy;
use crate::domain::policy::known_key_paths;

/// One policy to run, after expansion.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Folder-safe name, unique within the sweep.
    pub name: String,
    /// The overrides, as `key = value` text for the comparison table.
    pub overrides: Vec<(String, String)>,
    /// The policy, or why it could not be built (reported in its row; the others still run).
    pub policy: Result<Policy, String>,
}

/// A parsed and expanded sweep; the base policy comes first as variant `base`.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub base_path: PathBuf,
    pub variants: Vec<Variant>,
}

const SWEEP_KEYS: &[&str] = &["base", "variant"];
const VARIANT_KEYS: &[&str] = &["name", "set", "grid"];

impl Sweep {
    /// Reads a sweep file and expands every variant. Problems with the sweep file itself
    /// (syntax, unknown keys, a missing base) stop the run; a variant whose policy turns out
    /// invalid is kept with its error.
    pub fn load(path: &Path) -> Result<Sweep, Problems> {
        let file = path.display().to_string();
        let text = crate::io::text::read_text(path).map_err(|e| {
            Problems(vec![Problem::new(
                &file,
                format!("cannot read the sweep: {e}"),
                "pass the path of a sweep TOML file",
            )])
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Sweep::parse(&text, &file, dir)
    }

    pub fn parse(text: &str, file: &str, dir: &Path) -> Result<Sweep, Problems> {
        let mut problems = Problems::default();
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            Problems(vec![Problem::new(
                file,
                format!("not valid TOML: {}", e.message()),
                "fix the TOML syntax",
            )])
        })?;
        for key in table.keys() {
            if !SWEEP_KEYS.contains(&key.as_str()) {
                problems.push(Problem::new(
                    file,
                    format!("unknown key `{key}`"),
                    suggestion(key, SWEEP_KEYS),
                ));
            }
        }
        let Some(base) = table.get("base").and_then(Value::as_str) else {
            problems.push(Problem::new(
                file,
                "missing `base`",
                "name the base policy, e.g. base = \"policy.toml\"",
            ));
            return Err(problems);
        };
        let base_path = dir.join(base);
        let base_text = match crate::io::text::read_text(&base_path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::new(
                    file,
                    format!("cannot read base policy {}: {e}", base_path.display()),
                    "fix the `base` path (relative to the sweep file)",
                ));
                return Err(problems);
            }
        };
        let base_name = base_path.display().to_string();
        let base_table: toml::Table = match base_text.parse() {
            Ok(t) => t,
            Err(e) => {
                let e: toml::de::Error = e;
                problems.push(Problem::new(
                    &base_name,
                    format!("not valid TOML: {}", e.message()),
                    "fix the base policy",
                ));
                return Err(problems);
            }
        };
        if let Err(p) = Policy::from_table(&base_table, &base_text, &base_name) {
            problems.extend(p);
            return Err(problems);
        }
        let mut variants = vec![Variant {
            name: "base".into(),
            overrides: Vec::new(),
            policy: Policy::from_table(&base_table, &base_text, &base_name)
                .map_err(|p| p.to_string()),
        }];
        let items = match table.get("variant") {
            None => &Vec::new(),
            Some(Value::Array(a)) => a,
            Some(_) => {
                problems.push(Problem::new(
                    file,
                    "`variant` must be [[variant]] tables",
                    "write each variant as a [[variant]] section",
                ));
                return Err(problems);
            }
        };
        let known = known_key_paths();
        for (i, item) in items.iter().enumerate() {
            let Some(v) = item.as_table() else {
                problems.push(Problem::new(
                    file,
                    format!("variant #{} is not a table", i + 1),
                    "write it as a [[variant]] section",
                ));
                continue;
            };
            for key in v.keys() {
                if !VARIANT_KEYS.contains(&key.as_str()) {
                    problems.push(Problem::new(
                        file,
                        format!("variant #{}: unknown key `{key}`", i + 1),
                        suggestion(key, VARIANT_KEYS),
                    ));
                }
            }
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("variant-{}", i + 1), str::to_string);
            let set = table_of(v, "set");
            let grid = table_of(v, "grid");
            let mut keys_ok = true;
            for key in set.keys().chain(grid.keys()) {
                if let Err(msg) = check_key(key, &known) {
                    problems.push(Problem::new(file, format!("variant `{name}`: {msg}"), "use a policy key path such as rotation.cross_cap_share or track.compulsory.count"));
                    keys_ok = false;
                }
            }
            if !keys_ok {
                continue;
            }
            let mut axes: Vec<(String, Vec<Value>)> = Vec::new();
            for (k, vals) in &grid {
                match vals {
                    Value::Array(a) if !a.is_empty() => axes.push((k.clone(), a.clone())),
                    _ => problems.push(Problem::new(
                        file,
                        format!("variant `{name}`: grid key `{k}` needs a non-empty list"),
                        "write e.g. [0.05, 0.10]",
                    )),
                }
            }
            for point in cross_product(&axes) {
                let mut overrides: Vec<(String, Value)> =
                    set.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                overrides.extend(point.iter().cloned());
                let suffix: Vec<String> = point
                    .iter()
                    .map(|(k, v)| {
                        format!("{}-{}", k.rsplit('.').next().unwrap_or(k), value_text(v))
                    })
                    .collect();
                let full = if suffix.is_empty() {
                    name.clone()
                } else {
                    format!("{name}__{}", suffix.join("__"))
                };
                let mut t = base_table.clone();
                let policy = overrides
                    .iter()
                    .try_for_each(|(k, v)| apply(&mut t, k, v.clone()))
                    .and_then(|()| {
                        Policy::from_table(&t, "", &format!("{file} (variant {full})"))
                            .map_err(|p| p.to_string())
                    });
                variants.push(Variant {
                    name: folder_safe(&full),
                    overrides: overrides
                        .iter()
                        .map(|(k, v)| (k.clone(), value_text(v)))
                        .collect(),
                    policy,
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for v in &variants {
            if !seen.insert(v.name.clone()) {
                problems.push(Problem::new(
                    file,
                    format!("two variants are named `{}`", v.name),
                    "give each variant its own name",
                ));
            }
        }
        if problems.is_empty() {
            Ok(Sweep {
                base_path,
                variants,
            })
        } else {
            Err(problems)
        }
    }
}

fn suggestion(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("known keys: {}", known.join(", ")),
    }
}

fn table_of(v: &toml::Table, key: &str) -> toml::Table {
    v.get(key)
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default()
}

/// `track.<name>.<key>` is checked against the track keys; others against the known paths.
fn check_key(key: &str, known: &[String]) -> Result<(), String> {
    let generic = match key.split('.').collect::<Vec<_>>().as_slice() {
        ["track", _, k] => format!("track.{k}"),
        _ => key.to_string(),
    };
    if known.contains(&generic) || generic.starts_with("rotation.subject_weight.") {
        return Ok(());
    }
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(match did_you_mean(&generic, &names) {
        Some(k) => format!("unknown policy key `{key}`; did you mean `{k}`?"),
        None => format!("unknown policy key `{key}`"),
    })
}

/// Sets `key` (a dotted path; `track.<name>.<key>` picks the track by name) in a policy table.
pub fn apply(t: &mut toml::Table, key: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if let ["track", name, k] = parts.as_slice() {
        let tracks = t
            .get_mut("track")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| format!("`{key}`: the base policy has no [[track]]"))?;
        let track = tracks
            .iter_mut()
            .filter_map(Value::as_table_mut)
            .find(|tr| tr.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| format!("`{key}`: the base policy has no track named {name:?}"))?;
        track.insert((*k).to_string(), value);
        return Ok(());
    }
    let (last, path) = parts.split_last().ok_or_else(|| "empty key".to_string())?;
    let mut cur = t;
    for p in path {
        cur = cur
            .entry((*p).to_string())
            .or_insert_with(|| Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{key}`: `{p}` is not a table"))?;
    }
    cur.insert((*last).to_string(), value);
    Ok(())
}

fn cross_product(axes: &[(String, Vec<Value>)]) -> Vec<Vec<(String, Value)>> {
    let mut out: Vec<Vec<(String, Value)>> = vec![Vec::new()];
    for (k, vals) in axes {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                vals.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push((k.clone(), v.clone()));
                    p
                })
            })
            .collect();
    }
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn folder_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(text: &str) -> Result<Sweep, Problems> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("policy.toml"),
            "plan_year = 2026\n[[track]]\nname = \"compulsory\"\nstages = [\"primary\", \"middle\"]\ncount = 3\n",
        )
        .expect("write");
        Sweep::parse(text, "sweep.toml", dir.path())
    }

    #[test]
    fn grid_expands_into_its_cross_product() {
        let s = sweep(
            "base = \"policy.toml\"\n[[variant]]\nname = \"g\"\ngrid = { \"rotation.cross_cap_share\" = [0.05, 0.10, 0.15], \"rotation.exempt_age_female\" = [45, 50] }\n",
        )
        .expect("valid sweep");
        assert_eq!(s.variants.len(), 1 + 6);
        assert_eq!(s.variants[0].name, "base");
        let caps: Vec<f64> = s.variants[1..]
            .iter()
            .map(|v| v.policy.as_ref().expect("policy").rotation.cross_cap_share)
            .collect();
        assert_eq!(caps, vec![0.05, 0.05, 0.10, 0.10, 0.15, 0.15]);
        let ages: Vec<i32> = s.variants[1..]
            .iter()
            .map(|v| {
                v.policy
                    .as_ref()
                    .expect("policy")
                    .rotation
                    .exempt_age_female
            })
            .collect();
        assert_eq!(ages, vec![45, 50, 45, 50, 45, 50]);
        assert_eq!(
            s.variants[1].name,
            "g__cross_cap_share-0.05__exempt_age_female-45"
        );
    }

    #[test]
    fn track_keys_are_addressed_by_track_name() {
        let s = sweep("base = \"policy.toml\"\n[[variant]]\nname = \"six\"\nset = { \"track.compulsory.max_schools\" = 6, \"track.compulsory.count\" = 9 }\n")
            .expect("valid sweep");
        let p = s.variants[1].policy.as_ref().expect("policy");
        assert_eq!((p.tracks[0].max_schools, p.tracks[0].count), (6, 9));
    }

    #[test]
    fn unknown_key_is_rejected_with_a_suggestion() {
        let err = sweep("base = \"policy.toml\"\n[[variant]]\nname = \"x\"\nset = { \"rotation.cross_cap_shar\" = 0.2 }\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean `rotation.cross_cap_share`"),
            "{err}"
        );
    }

    #[test]
    fn an_invalid_variant_keeps_its_error_and_the_others_survive() {
        let s = sweep("base = \"policy.toml\"\n[[variant]]\nname = \"bad\"\nset = { \"rotation.cross_cap_share\" = 7.0 }\n[[variant]]\nname = \"ok\"\nset = { \"rotation.cross_cap_share\" = 0.2 }\n")
            .expect("sweep parses");
        assert!(s.variants[1].policy.is_err());
        assert!(s.variants[2].policy.is_ok());
    }

    #[test]
    fn the_issue_13_levers_are_sweep_keys() {
        let s = sweep("base = \"policy.toml\"\n[[variant]]\nname = \"levers\"\ngrid = { \"rotation.transfer_scope\" = [\"group\", \"county\"], \"indicators.minimise_cv_excess\" = [false, true] }\n")
            .expect("valid sweep");
        let got: Vec<(crate::domain::policy::TransferScope, bool)> = s.variants[1..]
            .iter()
            .map(|v| {
                let p = v.policy.as_ref().expect("policy");
                (p.rotation.transfer_scope, p.indicators.minimise_cv_excess)
            })
            .collect();
        use crate::domain::policy::TransferScope::{County, Group};
        assert_eq!(
            got,
            vec![
                (Group, false),
                (County, false),
                (Group, true),
                (County, true)
            ]
        );
        let bad = sweep("base = \"policy.toml\"\n[[variant]]\nname = \"x\"\nset = { \"rotation.transfer_scope\" = \"province\" }\n")
            .expect("sweep parses");
        assert!(bad.variants[1].policy.is_err());
    }

    #[test]
    fn the_hezhang_sweep_builds_every_variant() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang/sweep.toml");
        let s = Sweep::load(&path).expect("hezhang sweep");
        for v in &s.variants {
            assert!(v.policy.is_ok(), "{}: {:?}", v.name, v.policy);
        }
        for name in ["cv-on", "county-scope", "county-cv"] {
            assert!(s.variants.iter().any(|v| v.name == name), "{name}");
        }
    }
}
