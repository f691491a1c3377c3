//! `rotaplan export DIR --xlsx FILE [--instance INSTANCE]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::say;
use crate::error::{Error, Result};
use crate::lang::Langs;
use crate::pipeline::DERIVED_FILES;

/// Write a plan folder as a workbook for circulation: 分组, 结对, 交流名单 (with reasons), 汇总.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plan folder (groups.csv, pairings.csv, moves.csv, summary.json).
    #[arg(required_unless_present = "plan", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The plan folder, spelt as in the other verbs (instead of DIR).
    #[arg(long, value_name = "DIR", conflicts_with = "dir")]
    pub plan: Option<PathBuf>,
    /// The workbook to write.
    #[arg(long, value_name = "FILE")]
    pub xlsx: PathBuf,
    /// The instance the plan was made for: adds school and teacher names, students, and the
    /// shortage each transfer fills. Without it the sheets hold ids only.
    #[arg(long)]
    pub instance: Option<PathBuf>,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let Some(dir) = args.plan.as_ref().or(args.dir.as_ref()) else {
        return Err(Error::Usage(
            "name the plan folder: DIR or --plan DIR".into(),
        ));
    };
    let instance = match &args.instance {
        Some(p) => Some(super::load_instance(p)?),
        None => None,
    };
    let report = crate::io::xlsx_export::export_plan_in(
        dir,
        instance.as_ref(),
        &args.xlsx,
        langs.documents,
    )?;
    record_derived(dir, &args.xlsx)?;
    let counts: Vec<String> = crate::io::xlsx_export::SHEETS
        .iter()
        .zip(report.rows)
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    super::out(&say::exported(
        langs.terminal,
        &args.xlsx,
        &counts.join(", "),
    ));
    Ok(ExitCode::SUCCESS)
}

/// A workbook written inside the plan folder is listed there, so that a re-plan into the
/// folder removes it with the plan it shows.
pub(super) fn record_derived(dir: &Path, file: &Path) -> Result<()> {
    // `plan.xlsx` alone has the parent "", the working folder.
    let parent = file.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let inside = match (parent.map(std::fs::canonicalize), dir.canonicalize()) {
        (Some(Ok(parent)), Ok(dir)) => parent == dir,
        _ => false,
    };
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        return Ok(());
    };
    if !inside {
        return Ok(());
    }
    let list = dir.join(DERIVED_FILES);
    let mut names = std::fs::read_to_string(&list).unwrap_or_default();
    if !names.lines().any(|l| l.trim() == name) {
        names.push_str(name);
        names.push('\n');
        crate::io::atomic::write_bytes_atomic(&list, names.as_bytes())
            .map_err(Error::write(&list))?;
    }
    Ok(())
}
