//! `rotaplan rotate`: reads `groups.csv` and `pairings.csv`, writes `moves.csv`,
//! `returns.csv` and the rotation part of `summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;

use crate::cli::{load_instance, load_policy};
use crate::diagnostics::Problems;
use crate::domain::grouping::Grouping;
use crate::error::{Error, Result};
use crate::io::plan_files;
use crate::io::summary::Summary;
use crate::solve::mip::MipOptions;
use crate::solve::moves::plan_moves;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long)]
    pub plan: PathBuf,
    #[arg(long)]
    pub time_limit: Option<f64>,
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long)]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    if args.locks.is_some() || args.previous.is_some() {
        return Err(Error::Usage(
            "`--locks` and `--previous` are not built yet; run `rotate` without them".into(),
        ));
    }
    let policy = load_policy(&args.policy)?;
    let inst = load_instance(&args.instance)?;
    let dir = &args.plan;
    for name in [plan_files::GROUPS, plan_files::PAIRINGS] {
        if !dir.join(name).exists() {
            return Err(Error::Input(Problems(vec![plan_files::missing_plan_file(
                dir,
                name,
                if name == plan_files::GROUPS {
                    "groups"
                } else {
                    "pair"
                },
            )])));
        }
    }
    let group_rows = plan_files::read_groups(dir)?;
    let grouping = Grouping::from_rows(&inst, &group_rows)?;
    let pairing_rows = plan_files::read_pairings(dir)?;
    let options = MipOptions {
        time_limit_s: args.time_limit.unwrap_or(policy.solver.time_limit_s),
        threads: policy.solver.threads,
    };
    let out = match plan_moves(&inst, &policy, &grouping, &pairing_rows, &options) {
        Ok(out) => out,
        Err(Error::Infeasible(why)) => {
            // The summary says so too, so a plan folder never shows a stale rotation.
            let mut summary = Summary::load(dir);
            let mut m = serde_json::Map::new();
            m.insert("status".into(), Value::String("infeasible".into()));
            m.insert("reason".into(), Value::String(why.clone()));
            summary.set("rotation", Value::Object(m));
            summary
                .save(dir)
                .map_err(Error::write(dir.join(crate::io::summary::SUMMARY)))?;
            return Err(Error::Infeasible(why));
        }
        Err(e) => return Err(e),
    };
    plan_files::write_moves(dir, &out.moves).map_err(Error::write(dir.join(plan_files::MOVES)))?;
    plan_files::write_returns(dir, &out.returns)
        .map_err(Error::write(dir.join(plan_files::RETURNS)))?;
    let mut summary = Summary::load(dir);
    summary.set("rotation", Value::Object(out.rotation_summary()));
    let metrics = crate::metrics::rotation_metrics(
        &inst,
        &policy,
        &grouping,
        &out.returns,
        &out.moves,
        &out.shortage_by_subject,
    );
    for (k, v) in metrics {
        summary.set(&k, v);
    }
    summary
        .save(dir)
        .map_err(Error::write(dir.join(crate::io::summary::SUMMARY)))?;
    let exchanges = out
        .moves
        .iter()
        .filter(|m| m.kind == crate::plan::MoveKind::Exchange)
        .count();
    println!(
        "rotate: {} ({} transfers, {} exchanges, {} returns); shortage {} → {}; {} pairing directions short",
        out.status.as_str(),
        out.moves.len() - exchanges,
        exchanges,
        out.returns.len(),
        out.shortage_before(),
        out.shortage_after(),
        out.shortfalls.len()
    );
    Ok(ExitCode::SUCCESS)
}
