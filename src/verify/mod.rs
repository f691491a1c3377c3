//! `rotaplan verify`: an independent audit of a plan from its files alone.
//!
//! This is a second implementation of every rule of SPEC.md, written apart from the solvers
//! on purpose: it shares no code with `solve/` or `metrics.rs`, and re-derives groups from
//! `groups.csv` itself, so a solver bug cannot hide in shared code. Each rule family has its
//! own file; [`rule`] names every rule with its source document.
//!
//! Where SPEC.md leaves room, the audit reads it as follows (and so should `summary.json`):
//! - `moves.per_group.<g>`: `transfers` counted at the `from` school's group, `exchanges`
//!   under the group of the pairing they run on, `used_share` = transfers / cap (compared
//!   only when cap > 0).
//! - `shortage_by_subject`: which subject a two-subject teacher who stays covers is not in the
//!   plan files, so each figure is checked to lie in the range the placements allow, and the
//!   figures must add up (weighted) to the total; `shortage_before`/`after` are exact.
//! - CVs and floors take every school of the band with students, helpers included.
//! - A summary figure that disagrees fails the audit like a broken rule (exit 1).
//! - `summary.json` is optional (a planner's own plan has none); when it is there it must hold
//!   every key SPEC lists (S1–S5), so `{}` fails.
//! - SPEC's small facts (levels, slots, titles, weights, ages, distances) are written again
//!   in [`spec`] and [`geo`]; only the reading of the instance files is shared.

mod extras;
mod files;
mod geo;
mod groups;
mod indicators;
mod metrics;
mod moves;
mod pairing;
mod quotas;
mod report;
mod returns;
pub mod rule;
mod sha256;
mod shortage;
mod spec;
mod summary;

use std::path::Path;

use serde_json::{Map, Value};

pub use extras::{PolicyExtras, TransferScope};
pub use files::{Lined, PlanFiles};
pub use rule::Rule;

use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};

/// One broken rule, with the plan rows that break it.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Rule id, e.g. `T2`.
    pub rule: &'static str,
    /// The finding in English (stable: tests and scripts match on it).
    pub message: String,
    /// The same finding in Chinese, for `--lang zh`.
    pub message_zh: String,
    /// The offending rows as `file:line (ids)`, or a name (group, township) when no row is
    /// to blame on its own.
    pub rows: Vec<String>,
    /// The document the rule comes from.
    pub source: &'static str,
}

/// A figure in `summary.json` that the audit recomputes to a different value.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricMismatch {
    /// JSON path, e.g. `moves.per_group.compulsory-1.cap`.
    pub key: String,
    pub summary: String,
    pub recomputed: String,
}

/// The audit's findings; an empty report means the plan is sound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerifyReport {
    pub violations: Vec<Violation>,
    pub metric_mismatches: Vec<MetricMismatch>,
    /// Which plan files were audited (absent later steps are skipped).
    pub audited: Vec<&'static str>,
    /// Number of summary figures compared.
    pub metrics_checked: usize,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty() && self.metric_mismatches.is_empty()
    }

    /// Violations of one rule id.
    pub fn of_rule(&self, id: &str) -> Vec<&Violation> {
        self.violations.iter().filter(|v| v.rule == id).collect()
    }
}

/// Where the audited plan's inputs came from, so `summary.json`'s digests can be checked.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub instance_dir: &'a Path,
    /// The policy file, when the audit was given one (its digest is then checked too).
    pub policy_file: Option<&'a Path>,
}

/// Reads the instance and the plan folder and audits the plan against `policy`. Keys the
/// policy parser may not know (`transfer_scope`, `minimise_cv_excess`, `core_stages`) are
/// read from the summary's effective `policy` when there is one, else take their defaults;
/// [`verify_plan_with_policy_file`] reads them from the policy file instead.
pub fn verify_plan(instance_dir: &Path, policy: &Policy, plan_dir: &Path) -> Result<VerifyReport> {
    let sources = Sources {
        instance_dir,
        policy_file: None,
    };
    let inst = crate::io::read_instance(instance_dir).map_err(Error::Input)?;
    let plan = PlanFiles::read(plan_dir).map_err(Error::Input)?;
    let extras = plan
        .summary
        .as_ref()
        .and_then(|s| s.get("policy"))
        .map(PolicyExtras::from_summary_policy)
        .unwrap_or_default();
    let geo = geo::Geo::read(&inst, instance_dir);
    Ok(audit(&inst, policy, &extras, &plan, geo, Some(sources)))
}

/// As [`verify_plan`], with the policy file the plan was made from: its extra keys are read
/// from its TOML and its digest is checked against `summary.json`'s `inputs`.
pub fn verify_plan_with_policy_file(
    instance_dir: &Path,
    policy: &Policy,
    policy_file: &Path,
    plan_dir: &Path,
) -> Result<VerifyReport> {
    let text = std::fs::read_to_string(policy_file).map_err(|source| Error::Read {
        path: policy_file.to_path_buf(),
        source,
    })?;
    let sources = Sources {
        instance_dir,
        policy_file: Some(policy_file),
    };
    read_and_verify(policy, &PolicyExtras::from_toml(&text), plan_dir, sources)
}

fn read_and_verify(
    policy: &Policy,
    extras: &PolicyExtras,
    plan_dir: &Path,
    sources: Sources,
) -> Result<VerifyReport> {
    let inst = crate::io::read_instance(sources.instance_dir).map_err(Error::Input)?;
    let plan = PlanFiles::read(plan_dir).map_err(Error::Input)?;
    let geo = geo::Geo::read(&inst, sources.instance_dir);
    Ok(audit(&inst, policy, extras, &plan, geo, Some(sources)))
}

/// Audits an already-read plan. Never fails: whatever is wrong is a finding.
pub fn verify(inst: &Instance, policy: &Policy, plan: &PlanFiles) -> VerifyReport {
    verify_with(inst, policy, &PolicyExtras::default(), plan)
}

/// As [`verify`], with the policy keys the parser may not carry.
pub fn verify_with(
    inst: &Instance,
    policy: &Policy,
    extras: &PolicyExtras,
    plan: &PlanFiles,
) -> VerifyReport {
    audit(inst, policy, extras, plan, geo::Geo::planar(inst), None)
}

fn audit(
    inst: &Instance,
    policy: &Policy,
    extras: &PolicyExtras,
    plan: &PlanFiles,
    geo: geo::Geo,
    sources: Option<Sources>,
) -> VerifyReport {
    let mut audit = Audit {
        inst,
        policy,
        extras,
        geo,
        plan,
        report: VerifyReport::default(),
    };
    audit.report.audited.push(crate::io::plan_files::GROUPS);
    let grouping = groups::check(&mut audit);
    if let Some(rows) = &plan.pairings {
        audit.report.audited.push(crate::io::plan_files::PAIRINGS);
        pairing::check(&mut audit, &grouping, rows);
    }
    if plan.moves.is_some() || plan.returns.is_some() {
        if plan.moves.is_some() {
            audit.report.audited.push(crate::io::plan_files::MOVES);
        }
        if plan.returns.is_some() {
            audit.report.audited.push(crate::io::plan_files::RETURNS);
        }
        let outcome = moves::check(&mut audit, &grouping);
        if plan.moves.is_some() {
            metrics::check(&mut audit, &grouping, &outcome);
        }
    }
    if plan.summary.is_some() {
        audit.report.audited.push(crate::io::summary::SUMMARY);
        summary::check(&mut audit, &grouping, sources);
    }
    // Rule order (G, P, T, F, S), file order within a rule: the stable sort keeps the latter.
    let rank = |id: &str| {
        rule::ALL
            .iter()
            .position(|r| r.id == id)
            .unwrap_or(usize::MAX)
    };
    audit.report.violations.sort_by_key(|v| rank(v.rule));
    audit.report
}

/// Shared state of one audit: inputs and the findings so far.
pub(crate) struct Audit<'a> {
    pub inst: &'a Instance,
    pub policy: &'a Policy,
    pub extras: &'a PolicyExtras,
    /// Distances as the audit computes them from SPEC.
    pub geo: geo::Geo,
    pub plan: &'a PlanFiles,
    pub report: VerifyReport,
}

impl Audit<'_> {
    /// Records a broken rule, in Chinese and in English (the printout picks one).
    pub fn flag(
        &mut self,
        rule: Rule,
        zh: impl Into<String>,
        en: impl Into<String>,
        rows: Vec<String>,
    ) {
        self.report.violations.push(Violation {
            rule: rule.id,
            message: en.into(),
            message_zh: zh.into(),
            rows,
            source: rule.source,
        });
    }

    /// The summary value at `path`, when the summary and the key are there.
    pub fn summary_at(&self, path: &[&str]) -> Option<&Value> {
        let mut map: &Map<String, Value> = self.plan.summary.as_ref()?;
        let (last, parents) = path.split_last()?;
        for p in parents {
            map = map.get(*p)?.as_object()?;
        }
        map.get(*last)
    }

    /// Compares a recomputed figure with the summary's, when the summary has it. Null in
    /// the summary stands for "not a number" (e.g. a CV over schools with no teachers).
    pub fn compare(&mut self, path: &[&str], recomputed: f64) {
        let Some(v) = self.summary_at(path).cloned() else {
            return;
        };
        self.report.metrics_checked += 1;
        let same = match &v {
            Value::Null => !recomputed.is_finite(),
            Value::Number(n) => n.as_f64().is_some_and(|x| close(x, recomputed)),
            _ => false,
        };
        if !same {
            self.mismatch(path, v.to_string(), fmt_num(recomputed));
        }
    }

    pub fn mismatch(&mut self, path: &[&str], summary: String, recomputed: String) {
        self.report.metric_mismatches.push(MetricMismatch {
            key: path.join("."),
            summary,
            recomputed,
        });
    }
}

/// Equal within 1e-6 relative (absolute below 1, since the summary rounds to 6 decimals).
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

pub(crate) fn fmt_num(x: f64) -> String {
    if x.is_finite() {
        let r = (x * 1e6).round() / 1e6;
        format!("{r}")
    } else {
        "null".into()
    }
}

/// `file:line (ids)`: how a violation points at a row.
pub(crate) fn at(file: &str, line: usize, ids: &str) -> String {
    format!("{file}:{line} ({ids})")
}

pub use report::{render, render_in};

/// SHA-256 of `bytes` in lower-case hex, as `summary.json`'s `inputs` gives it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256::hex_digest(bytes)
}
