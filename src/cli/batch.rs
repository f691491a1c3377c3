//! `rotaplan batch DIR --policy P --out DIR [--shard I/N]`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::batch::Shard;
use crate::error::{Result, exit};
use crate::lang::Langs;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A folder of instance folders (one per county).
    pub dir: PathBuf,
    /// Used for counties without their own policy.toml.
    #[arg(long)]
    pub policy: PathBuf,
    /// Folder of the counties' plans (one sub-folder each) and batch.csv / batch.md.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Plan only the I-th of N shares of the counties (1 ≤ I ≤ N): counties k (0-based,
    /// folders sorted by name) with k mod N = I − 1. The table is then
    /// batch-I-of-N.csv / .md, so shards can share one output folder.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub solve: super::SolveArgs,
}

/// Exit 0 when every county was planned, else the highest code among them.
pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let lang = langs.terminal;
    let opts = args.solve.run_options(langs);
    if let Some(sh) = args.shard {
        let all = crate::batch::instance_folders(&args.dir)?.len();
        let mine = (0..all).filter(|&k| sh.holds(k)).count();
        super::err(&say::shard(lang, sh.index, sh.count, mine, all));
    }
    let results = crate::batch::run(&args.dir, &args.policy, &args.out, &opts, args.shard)?;
    let failed: Vec<_> = results.iter().filter(|r| r.error.is_some()).collect();
    for r in &failed {
        super::err(&say::unit_failed(
            lang,
            &r.name,
            r.error.as_deref().unwrap_or(""),
        ));
    }
    let stem = args
        .shard
        .map_or_else(|| "batch".to_string(), Shard::table_stem);
    super::out(&say::units_done(
        lang,
        say::Unit::County,
        results.len(),
        failed.len(),
        &args.out.join(format!("{stem}.csv")),
    ));
    let code = failed
        .iter()
        .map(|r| exit::of_status(&r.headline.status))
        .max()
        .unwrap_or(exit::OK);
    Ok(ExitCode::from(code))
}
