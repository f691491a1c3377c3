//! `rotaplan report`: write `DIR/report.html` for a plan folder, and with `--png` the
//! overview picture `DIR/overview.png`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::Result;
use crate::lang::Langs;
use crate::report::{self, Options};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// The report is written into the plan folder.
    #[command(flatten)]
    pub dir: super::PlanDir,
    /// Policy whose `[rotation] cross_cap_share` gives group caps the summary lacks.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Also write `overview.png` (1200×800) beside the report, one picture to share in a
    /// chat: the map with groups and pairings, moves, shortage before > after and the 2017 CV
    /// indicators. Its labels are short capitals (no font is needed); README explains them.
    #[arg(long)]
    pub png: bool,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let inst = super::load_instance(&args.instance)?;
    let cross_cap_share = match &args.policy {
        Some(p) => Some(super::load_policy(p)?.rotation.cross_cap_share),
        None => None,
    };
    let path = report::write_report_with(
        &inst,
        &args.dir.plan,
        &Options {
            lang: langs.documents,
            cross_cap_share,
        },
    )?;
    super::out(&say::wrote(langs.terminal, &path));
    if args.png {
        let png = report::overview::write_overview(&inst, &args.dir.plan, cross_cap_share)?;
        // Listed as derived, so a re-plan into the folder removes it with the old plan.
        super::export::record_derived(&args.dir.plan, &png)?;
        super::out(&say::wrote(langs.terminal, &png));
    }
    Ok(ExitCode::SUCCESS)
}
