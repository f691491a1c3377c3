//! `rotaplan plan INSTANCE --policy P --out DIR`: groups, then pair, then rotate, into one
//! plan folder with one `summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;
use crate::pipeline::{RunOptions, plan_steps};
use crate::report::{self, Lang, Options};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Overrides `[solver] time_limit_s` for each step.
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long)]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Also write OUT/report.html.
    #[arg(long)]
    pub report: bool,
    /// Language of the report.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let opts = RunOptions {
        time_limit_s: args.time_limit,
        locks: args.locks.clone(),
        previous: args.previous.clone(),
        lang: args.lang,
        ..RunOptions::default()
    };
    let out = plan_steps(&inst, &policy, &args.out, &opts)?;
    for t in &out.groups.tracks {
        println!(
            "groups {}: {} groups, {} (objective {:.4}, gap {:.2e})",
            t.track,
            t.groups.len(),
            t.status.as_str(),
            t.objective,
            t.gap
        );
    }
    let pairing = &out.pairing.optimal.lex;
    println!(
        "pair: {} ({} pairings, {} slots uncovered)",
        pairing.status().as_str(),
        out.pairing.rows.len(),
        out.pairing.uncovered.len()
    );
    super::rotate::print_outcome(&out.moves);
    if args.report {
        let path = report::write_report_with(
            &inst,
            &args.out,
            &Options {
                lang: args.lang,
                cross_cap_share: Some(policy.rotation.cross_cap_share),
            },
        )?;
        println!("wrote {}", path.display());
    }
    println!("plan in {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
