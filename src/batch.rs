//! `rotaplan batch`: a province's summer run — plan every county folder, in parallel, each
//! failure isolated in its own row.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::domain::Policy;
use crate::error::{Error, Result};
use crate::headline::{Headline, markdown_table};
use crate::io::plan_files::write_csv;
use crate::pipeline::{RunOptions, plan_county};

/// The outcome for one county.
#[derive(Debug, Clone)]
pub struct CountyResult {
    pub name: String,
    /// Which policy was used: the county's own `policy.toml` or the batch's.
    pub policy_source: String,
    pub headline: Headline,
    pub error: Option<String>,
}

/// Instance folders under `dir`: sub-folders holding a `schools.csv`, sorted by name.
pub fn instance_folders(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("schools.csv").exists())
        .collect();
    out.sort();
    Ok(out)
}

/// Plans every county of `dir` into `out/<county>/` and writes `batch.csv` and `batch.md`.
/// A county's own `policy.toml` takes precedence over `default_policy`.
pub fn run(
    dir: &Path,
    default_policy: &Path,
    out: &Path,
    opts: &RunOptions,
) -> Result<Vec<CountyResult>> {
    let folders = instance_folders(dir)?;
    if folders.is_empty() {
        return Err(Error::Usage(format!(
            "{} holds no instance folder (a sub-folder with schools.csv)",
            dir.display()
        )));
    }
    std::fs::create_dir_all(out).map_err(Error::write(out))?;
    let (workers, highs_threads) = crate::scenarios::thread_split(folders.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let run_opts = RunOptions {
        threads: Some(opts.threads.unwrap_or(highs_threads)),
        ..opts.clone()
    };
    let bar = crate::progress::bar(folders.len(), "batch");
    let results: Vec<CountyResult> = pool.install(|| {
        folders
            .par_iter()
            .map(|f| {
                let r = run_county(f, default_policy, out, &run_opts);
                bar.inc(1);
                r
            })
            .collect()
    });
    bar.finish_and_clear();
    write_table(&results, out)?;
    Ok(results)
}

fn run_county(folder: &Path, default_policy: &Path, out: &Path, opts: &RunOptions) -> CountyResult {
    let name = folder
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let own = folder.join("policy.toml");
    let policy_path = if own.exists() {
        own
    } else {
        default_policy.to_path_buf()
    };
    let policy_source = policy_path.display().to_string();
    let outcome = (|| -> Result<Headline> {
        let policy: Policy = crate::cli::load_policy(&policy_path)?;
        let inst = crate::cli::load_instance(folder)?;
        let summary = plan_county(&inst, &policy, &out.join(&name), opts)?;
        Ok(Headline::from_summary(&summary))
    })();
    match outcome {
        Ok(headline) => CountyResult {
            name,
            policy_source,
            headline,
            error: None,
        },
        Err(e) => {
            let status = match e {
                Error::Input(_) => "invalid_input",
                Error::Infeasible(_) => "infeasible",
                _ => "failed",
            };
            CountyResult {
                name,
                policy_source,
                headline: Headline {
                    status: status.into(),
                    ..Headline::default()
                },
                error: Some(e.to_string().replace('\n', " | ")),
            }
        }
    }
}

fn write_table(results: &[CountyResult], out: &Path) -> Result<()> {
    let mut header = vec!["county".to_string(), "policy".to_string()];
    header.extend(Headline::columns());
    header.push("note".into());
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let mut v = vec![r.name.clone(), r.policy_source.clone()];
            v.extend(r.headline.cells());
            v.push(r.error.clone().unwrap_or_default());
            v
        })
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let csv_path = out.join("batch.csv");
    write_csv(&csv_path, &refs, rows.clone()).map_err(Error::write(&csv_path))?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    let text = format!(
        "# Batch run\n\n{} counties, {} planned, {} failed.\n\n{}",
        results.len(),
        results.len() - failed,
        failed,
        markdown_table(&header, &rows)
    );
    let md = out.join("batch.md");
    crate::io::atomic::write_bytes_atomic(&md, text.as_bytes()).map_err(Error::write(&md))
}
