//! `rotaplan compare-pairing INSTANCE --policy P --out DIR [--plan DIR] [--baseline FILE]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{Error, Result};
use crate::io::plan_files::write_csv;
use crate::io::summary::Summary;
use crate::lang::Langs;
use crate::solve::pairing::policies::baseline::Baseline;
use crate::solve::pairing::policies::random::MIN_DRAWS;
use crate::solve::pairing::policies::{self, ComparedPolicy};
use crate::solve::pairing::{PairingProblem, compare};

/// Runs the pairing policies optimal, nearest, rank, random (and baseline) on the same
/// groups and scores them side by side → OUT/comparison.csv, OUT/comparison.md and the
/// "compare_pairing" key of OUT/summary.json.
///
/// The groups come from `--plan DIR`/groups.csv when given, else from OUT/groups.csv.
/// The baseline is scored exactly as given; its rule violations are counted, not dropped.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    /// Folder for comparison.csv, comparison.md and summary.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A pairings.csv the bureau actually used (group ids as in the groups used), scored as given.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Plan folder whose groups.csv to pair (default: OUT/groups.csv).
    #[arg(long, value_name = "DIR")]
    pub plan: Option<PathBuf>,
    /// Seed of the random policy.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Draws of the random policy (at least 30).
    #[arg(long, default_value_t = MIN_DRAWS)]
    pub draws: usize,
    /// Limits of the optimal policy's solve.
    #[command(flatten)]
    pub solve: super::SolveArgs,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    if args.draws < MIN_DRAWS {
        return Err(Error::Usage(format!(
            "--draws {} is too few for a mean ± sd; use at least {MIN_DRAWS}",
            args.draws
        )));
    }
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let groups_dir = args.plan.as_ref().unwrap_or(&args.out);
    let grouping = crate::pipeline::load_grouping(&inst, groups_dir, &policy)?;
    let options = args.solve.run_options(langs).mip(&policy);
    let problem = PairingProblem::new(&inst, &grouping, &policy.pairing);
    let mut list: Vec<Box<dyn ComparedPolicy>> = policies::standard(options, args.seed, args.draws);
    if let Some(file) = &args.baseline {
        list.push(Box::new(Baseline::load(file, &problem)?));
    }
    let cmp = compare::run(&problem, &list)?;
    std::fs::create_dir_all(&args.out).map_err(Error::write(&args.out))?;
    let csv_path = args.out.join("comparison.csv");
    let header = cmp.csv_header();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_csv(&csv_path, &header, cmp.csv_rows()).map_err(Error::write(&csv_path))?;
    let md_path = args.out.join("comparison.md");
    let md = cmp.markdown();
    crate::io::atomic::write_bytes_atomic(&md_path, md.as_bytes())
        .map_err(Error::write(&md_path))?;
    let mut summary = Summary::load(&args.out);
    summary.set("compare_pairing", cmp.summary_json());
    summary
        .save(&args.out)
        .map_err(Error::write(args.out.join(crate::io::summary::SUMMARY)))?;
    // A closed pipe is not worth a panic: the files are already written.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), md.as_bytes());
    Ok(ExitCode::SUCCESS)
}
