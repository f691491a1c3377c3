//! `rotaplan validate INSTANCE [--policy P]`.

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics::Problems;
use crate::error::{Error, Result};

pub fn run(instance: &Path, policy: Option<&Path>) -> Result<ExitCode> {
    let mut problems = Problems::default();
    let inst = match crate::io::read_instance(instance) {
        Ok(i) => Some(i),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    if let Some(p) = policy {
        match super::load_policy(p) {
            Ok(_) => {}
            Err(Error::Input(p)) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        if let Some(i) = inst {
            println!(
                "ok: {} townships, {} schools, {} teachers, {} demand rows",
                i.townships.len(),
                i.schools.len(),
                i.teachers.len(),
                i.demand.len()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    for p in problems.iter() {
        println!("{p}");
    }
    eprintln!("{} problem(s) found", problems.len());
    Ok(ExitCode::from(1))
}
