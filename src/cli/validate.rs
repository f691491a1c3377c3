//! `rotaplan validate INSTANCE [--policy P]`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::diagnostics::Problems;
use crate::error::{Error, Result, exit};
use crate::lang::Langs;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub instance: PathBuf,
    /// A policy TOML to check too.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

/// Every problem of the instance and the policy, unreadable files included, exits 1.
pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let mut problems = Problems::default();
    let inst = match crate::io::read_instance(&args.instance) {
        Ok(i) => Some(i),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    if let Some(p) = &args.policy {
        match super::load_policy(p) {
            Ok(_) => {}
            Err(Error::Input(p)) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        if let Some(i) = inst {
            super::out(&say::validated(
                langs.terminal,
                i.townships.len(),
                i.schools.len(),
                i.teachers.len(),
                i.demand.len(),
            ));
        }
        return Ok(ExitCode::SUCCESS);
    }
    for p in problems.iter() {
        super::out(&p.render(langs.terminal));
    }
    super::err(&say::problems_found(langs.terminal, problems.len()));
    Ok(ExitCode::from(exit::PROBLEMS))
}
