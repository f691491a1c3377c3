//! `rotaplan plan INSTANCE --policy P --plan DIR`: groups, then pair, then rotate, into one
//! plan folder with one `summary.json`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::lang::Langs;
use crate::pipeline::{StepDone, load_grouping, plan_steps_reporting};
use crate::report::{self, Options};
use crate::solve::pairing::PairingProblem;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The policy TOML.
    #[arg(long)]
    pub policy: PathBuf,
    #[command(flatten)]
    pub dir: super::PlanDir,
    #[command(flatten)]
    pub solve: super::SolveArgs,
    /// `teacher,action,school` pins (stay, move, avoid), honoured as hard constraints.
    #[arg(long, value_name = "FILE")]
    pub locks: Option<PathBuf>,
    /// A published plan: among optimal plans, change the fewest teachers' outcomes.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// Also write PLAN/report.html.
    #[arg(long)]
    pub report: bool,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let dir = &args.dir.plan;
    let mut opts = args.solve.run_options(langs);
    opts.locks = args.locks.clone();
    opts.previous = args.previous.clone();
    opts.previous_groups = args.previous.clone();
    let mut inputs: Vec<&std::path::Path> = vec![&args.policy];
    inputs.extend(args.locks.as_deref());
    opts.provenance = super::provenance(&args.instance, &inputs)?;
    let lang = langs.terminal;
    // Each step's line goes to stderr as the step ends: a county's plan takes minutes.
    let mut on_step = |step: StepDone<'_>| match step {
        StepDone::Groups(g) => {
            for t in &g.tracks {
                super::err(&say::track(lang, &super::groups::track_line(t)));
            }
        }
        StepDone::Pairing(p) => {
            // The groups were just written; reading them back cannot fail but for a race.
            if let Ok(grouping) = load_grouping(&inst, dir, &policy) {
                let problem = PairingProblem::new(&inst, &grouping, &policy.pairing);
                super::err(&super::pair::pairing_line(lang, &problem, p));
            }
        }
        StepDone::Rotation(m) => super::err(&super::rotate::outcome_line(lang, m)),
    };
    plan_steps_reporting(&inst, &policy, dir, &opts, &mut on_step)?;
    if args.report {
        let path = report::write_report_with(
            &inst,
            dir,
            &Options {
                lang: langs.documents,
                cross_cap_share: Some(policy.rotation.cross_cap_share),
            },
        )?;
        super::out(&say::wrote(lang, &path));
    }
    super::out(&say::plan_in(lang, dir));
    Ok(ExitCode::SUCCESS)
}
