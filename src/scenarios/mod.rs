//! `rotaplan scenarios`: run policy variants side by side on one county.
//!
//! Variants run in parallel on a rayon pool with one worker per core (at most one per
//! variant); each HiGHS solve then gets `cores / workers` threads, so the machine is used
//! fully without oversubscribing it.

pub mod sweep;

use std::path::Path;

use rayon::prelude::*;

use crate::domain::Instance;
use crate::error::{Error, Result};
use crate::headline::{Headline, fmt_delta, fmt_num, markdown_table};
use crate::io::plan_files::write_csv;
use crate::pipeline::{RunOptions, plan_county};
pub use sweep::{Sweep, Variant};

/// The outcome of one variant.
#[derive(Debug, Clone)]
pub struct VariantResult {
    pub name: String,
    pub overrides: Vec<(String, String)>,
    pub headline: Headline,
    /// Why the variant has no plan (invalid policy, infeasible, solver failure).
    pub error: Option<String>,
}

/// How many variants to run at once and how many threads each solve gets.
pub fn thread_split(jobs: usize) -> (usize, u32) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = jobs.clamp(1, cores);
    (workers, (cores / workers).max(1) as u32)
}

/// Runs every variant of `sweep` into `out/<variant>/`, then writes `comparison.csv` and
/// `comparison.md`. A failing variant is reported in its row; the rest still finish.
pub fn run(
    inst: &Instance,
    sweep: &Sweep,
    out: &Path,
    opts: &RunOptions,
) -> Result<Vec<VariantResult>> {
    std::fs::create_dir_all(out).map_err(Error::write(out))?;
    let (workers, highs_threads) = thread_split(sweep.variants.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let bar = crate::progress::bar(sweep.variants.len(), "scenarios");
    let run_opts = RunOptions {
        threads: Some(opts.threads.unwrap_or(highs_threads)),
        ..opts.clone()
    };
    let results: Vec<VariantResult> = pool.install(|| {
        sweep
            .variants
            .par_iter()
            .map(|v| {
                let r = run_variant(inst, v, out, &run_opts);
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    write_comparison(&results, out)?;
    Ok(results)
}

fn run_variant(inst: &Instance, v: &Variant, out: &Path, opts: &RunOptions) -> VariantResult {
    let dir = out.join(&v.name);
    let (headline, error) = match &v.policy {
        Err(msg) => (
            Headline {
                status: "invalid".into(),
                ..Headline::default()
            },
            Some(msg.clone()),
        ),
        Ok(policy) => match plan_county(inst, policy, &dir, opts) {
            Ok(summary) => (Headline::from_summary(&summary), None),
            Err(e) => {
                let status = e.status();
                let partial = crate::io::summary::Summary::load(&dir);
                let mut h = Headline::from_summary(&partial);
                h.status = status.into();
                (h, Some(e.to_string()))
            }
        },
    };
    VariantResult {
        name: v.name.clone(),
        overrides: v.overrides.clone(),
        headline,
        error,
    }
}

/// Writes `comparison.csv` (values and changes from the base in separate columns) and
/// `comparison.md` (values with the change in brackets).
pub fn write_comparison(results: &[VariantResult], out: &Path) -> Result<()> {
    let base = results
        .iter()
        .find(|r| r.name == "base")
        .map(|r| r.headline.numbers());
    let cols = crate::headline::Headline::columns();
    let mut header = vec!["variant".to_string(), "overrides".to_string()];
    header.push(cols[0].clone());
    for c in &cols[1..] {
        header.push(c.clone());
        header.push(format!("delta_{c}"));
    }
    header.push("note".into());
    let mut csv_rows = Vec::new();
    let mut md_rows = Vec::new();
    for r in results {
        let overrides = r
            .overrides
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let nums = r.headline.numbers();
        let mut row = vec![r.name.clone(), overrides.clone(), r.headline.status.clone()];
        let mut md = vec![r.name.clone(), overrides, r.headline.status.clone()];
        for (i, x) in nums.iter().enumerate() {
            let b = base.as_ref().and_then(|b| b.get(i).copied().flatten());
            let d = if r.name == "base" {
                String::new()
            } else {
                fmt_delta(*x, b)
            };
            row.push(fmt_num(*x));
            row.push(d.clone());
            md.push(if d.is_empty() || d == "0" {
                fmt_num(*x)
            } else {
                format!("{} ({d})", fmt_num(*x))
            });
        }
        let note = r.error.clone().unwrap_or_default();
        row.push(note.clone());
        md.push(note);
        csv_rows.push(row);
        md_rows.push(md);
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let csv_path = out.join("comparison.csv");
    write_csv(&csv_path, &header_refs, csv_rows).map_err(Error::write(&csv_path))?;
    let mut md_header = vec!["variant".to_string(), "overrides".to_string()];
    md_header.extend(cols);
    md_header.push("note".into());
    let text = format!(
        "# Scenario comparison\n\nEach value is followed by its change from `base` in brackets. `seconds` is solver time.\n\n{}",
        markdown_table(&md_header, &md_rows)
    );
    let md_path = out.join("comparison.md");
    crate::io::atomic::write_bytes_atomic(&md_path, text.as_bytes()).map_err(Error::write(&md_path))
}
