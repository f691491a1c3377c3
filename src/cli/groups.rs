//! `rotaplan groups INSTANCE --policy P --plan DIR [--previous DIR] [--time-limit S] [--threads N]`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::io::plan_files::GROUPS;
use crate::lang::Langs;
use crate::pipeline::step_groups;

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
    /// Last year's plan folder: keep schools in their groups within `regroup_tolerance` (G7).
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let policy = super::load_policy(&args.policy)?;
    let inst = super::load_instance(&args.instance)?;
    let mut opts = args.solve.run_options(langs);
    opts.previous_groups = args.previous.clone();
    let mut inputs: Vec<&std::path::Path> = vec![&args.policy];
    let previous_groups = args.previous.as_ref().map(|d| d.join(GROUPS));
    inputs.extend(previous_groups.as_deref());
    opts.provenance = super::provenance(&args.instance, &inputs)?;
    let outcome = step_groups(&inst, &policy, &args.dir.plan, &opts)?;
    for t in &outcome.tracks {
        super::out(&say::track(langs.terminal, &track_line(t)));
    }
    for t in &outcome.tracks {
        if let Some(st) = &t.previous {
            let line = match langs.terminal {
                crate::lang::Lang::Zh => format!(
                    "{}：{} 所学校中 {} 所调整了集团（重新分组则为 {} 所），稳定代价 {:.4}",
                    t.track, st.compared, st.changed, st.changed_fresh, st.stability_cost
                ),
                crate::lang::Lang::En => format!(
                    "track {}: {} of {} schools changed group (a fresh grouping: {}), stability cost {:.4}",
                    t.track, st.changed, st.compared, st.changed_fresh, st.stability_cost
                ),
            };
            super::out(&line);
        }
    }
    super::out(&say::wrote(langs.terminal, &args.dir.plan.join(GROUPS)));
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn track_line(t: &crate::solve::groups::TrackOutcome) -> say::TrackLine<'_> {
    say::TrackLine {
        track: &t.track,
        groups: t.groups.len(),
        status: t.status,
        objective: t.objective,
        bound: t.bound,
        gap: t.gap,
        seconds: t.seconds,
    }
}
