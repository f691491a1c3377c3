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

/// `--shard I/N`: the I-th of N machines (1-based) plans the counties k (0-based, folders
/// sorted by name) with k mod N = I − 1, so an array job's tasks split a province without
/// talking to each other, and the same county always lands on the same task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, as schedulers number array tasks (Slurm's `SLURM_ARRAY_TASK_ID` from 1).
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether the county at 0-based position `k` is this shard's.
    pub fn holds(self, k: usize) -> bool {
        k % self.count == self.index - 1
    }

    /// The table names of this shard's rows: `batch-I-of-N.csv` / `.md`, so shards that
    /// share one output folder do not overwrite each other's table.
    pub fn table_stem(self) -> String {
        format!("batch-{}-of-{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let usage =
            || format!("--shard {s:?}: write I/N with 1 ≤ I ≤ N, e.g. 2/3 for the second of three");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: usize = i.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The counties of `dir` a run plans: all of them, or the shard's share.
pub fn shard_folders(dir: &Path, shard: Option<Shard>) -> Result<Vec<PathBuf>> {
    let folders = instance_folders(dir)?;
    if folders.is_empty() {
        return Err(Error::Usage(format!(
            "{} holds no instance folder (a sub-folder with schools.csv)",
            dir.display()
        )));
    }
    Ok(match shard {
        None => folders,
        Some(sh) => folders
            .into_iter()
            .enumerate()
            .filter(|(k, _)| sh.holds(*k))
            .map(|(_, f)| f)
            .collect(),
    })
}

/// Plans every county of `dir` (or the `shard`'s share) into `out/<county>/` and writes
/// `batch.csv` and `batch.md` (`batch-I-of-N.*` for a shard). A county's own `policy.toml`
/// takes precedence over `default_policy`.
pub fn run(
    dir: &Path,
    default_policy: &Path,
    out: &Path,
    opts: &RunOptions,
    shard: Option<Shard>,
) -> Result<Vec<CountyResult>> {
    let folders = shard_folders(dir, shard)?;
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
    let stem = shard.map_or_else(|| "batch".to_string(), Shard::table_stem);
    write_table(&results, out, &stem)?;
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
        let opts = RunOptions {
            provenance: crate::cli::provenance(folder, &[&policy_path])?,
            ..opts.clone()
        };
        let summary = plan_county(&inst, &policy, &out.join(&name), &opts)?;
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
            let status = e.status();
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

fn write_table(results: &[CountyResult], out: &Path, stem: &str) -> Result<()> {
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
    let csv_path = out.join(format!("{stem}.csv"));
    write_csv(&csv_path, &refs, rows.clone()).map_err(Error::write(&csv_path))?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    let text = format!(
        "# Batch run\n\n{} counties, {} planned, {} failed.\n\n{}",
        results.len(),
        results.len() - failed,
        failed,
        markdown_table(&header, &rows)
    );
    let md = out.join(format!("{stem}.md"));
    crate::io::atomic::write_bytes_atomic(&md, text.as_bytes()).map_err(Error::write(&md))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_validates() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_cover_every_county_once() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();
        for k in 0..10 {
            let owners = shards.iter().filter(|s| s.holds(k)).count();
            assert_eq!(owners, 1, "county {k}");
        }
        assert!(shards[0].holds(0) && shards[1].holds(1) && shards[2].holds(2));
        assert!(shards[0].holds(3));
    }
}
