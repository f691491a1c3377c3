//! `rotaplan import WORKBOOK --out INSTANCE`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::Result;

/// Convert a bureau workbook (one sheet per table; Chinese sheet names, headers and values
/// accepted) into the CSV instance folder. Every accepted name is listed in
/// docs/import-aliases.md. Problems are located as `sheet:row:column` (e.g. `教师:12:C`).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Sheets: 乡镇 (townships), 相邻 (adjacency), 学校 (schools), 教师 (teachers), \
                  岗位需求 (demand), 距离 (distances), or the CSV file stems.\n\
                  Every accepted sheet, header and value alias: docs/import-aliases.md"
)]
pub struct Args {
    /// The workbook (.xlsx, .xlsm, .xlsb, .xls or .ods).
    pub workbook: PathBuf,
    /// The instance folder to write (created if missing).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    match crate::io::xlsx_import::import_workbook(&args.workbook, &args.out) {
        Ok(report) => {
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            for (file, sheet, rows) in &report.files {
                println!("{sheet} → {}: {rows} rows", args.out.join(file).display());
            }
            println!("ok: the instance in {} reads cleanly", args.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in problems.iter() {
                println!("{p}");
            }
            eprintln!(
                "{} problem(s) found; fix the workbook and import again",
                problems.len()
            );
            Ok(ExitCode::from(1))
        }
    }
}
