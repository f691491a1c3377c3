//! `rotaplan export DIR --xlsx FILE [--instance INSTANCE]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;

/// Write a plan folder as a workbook for circulation: 分组, 结对, 交流名单 (with reasons), 汇总.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The plan folder (groups.csv, pairings.csv, moves.csv, summary.json).
    pub dir: PathBuf,
    /// The workbook to write.
    #[arg(long)]
    pub xlsx: PathBuf,
    /// The instance the plan was made for: adds school and teacher names, students, and the
    /// shortage each transfer fills. Without it the sheets hold ids only.
    #[arg(long)]
    pub instance: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let instance = match &args.instance {
        Some(p) => Some(super::load_instance(p)?),
        None => None,
    };
    let report = crate::io::xlsx_export::export_plan(&args.dir, instance.as_ref(), &args.xlsx)?;
    let counts: Vec<String> = crate::io::xlsx_export::SHEETS
        .iter()
        .zip(report.rows)
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    println!("wrote {} ({})", args.xlsx.display(), counts.join(", "));
    Ok(ExitCode::SUCCESS)
}
