//! The steps of a plan run on a plan folder: groups → pair → rotate. Verbs, scenarios,
//! simulations and batch runs all go through here, so every path writes the same files.

use std::path::{Path, PathBuf};

use crate::domain::{Instance, Policy};
use crate::error::{Error, Result};
use crate::io::summary::Summary;
use crate::solve::mip::MipOptions;

/// Options shared by every solving verb.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides `[solver] time_limit_s` for each step.
    pub time_limit_s: Option<f64>,
    /// Overrides `[solver] threads` (scenario and batch runs split the cores).
    pub threads: Option<u32>,
    pub locks: Option<PathBuf>,
    pub previous: Option<PathBuf>,
}

impl RunOptions {
    pub fn mip(&self, policy: &Policy) -> MipOptions {
        MipOptions {
            time_limit_s: self.time_limit_s.unwrap_or(policy.solver.time_limit_s),
            threads: self.threads.unwrap_or(policy.solver.threads),
        }
    }
}

/// Forms the groups and starts a fresh `summary.json` in `dir`.
pub fn step_groups(inst: &Instance, policy: &Policy, dir: &Path, opts: &RunOptions) -> Result<()> {
    let _ = (inst, policy, dir, opts);
    Err(Error::Usage("groups step not wired yet".into()))
}

/// Pairs helpers with the groups of `dir/groups.csv`.
pub fn step_pair(inst: &Instance, policy: &Policy, dir: &Path, opts: &RunOptions) -> Result<()> {
    let _ = (inst, policy, dir, opts);
    Err(Error::Usage("pair step not wired yet".into()))
}

/// Plans the moves for the groups and pairings in `dir`.
pub fn step_rotate(inst: &Instance, policy: &Policy, dir: &Path, opts: &RunOptions) -> Result<()> {
    let _ = (inst, policy, dir, opts);
    Err(Error::Usage("rotate step not wired yet".into()))
}

/// All three steps into `dir`; returns the final summary.
pub fn plan_county(
    inst: &Instance,
    policy: &Policy,
    dir: &Path,
    opts: &RunOptions,
) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(Error::write(dir))?;
    step_groups(inst, policy, dir, opts)?;
    step_pair(inst, policy, dir, opts)?;
    step_rotate(inst, policy, dir, opts)?;
    Ok(Summary::load(dir))
}
