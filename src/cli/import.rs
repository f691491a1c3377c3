//! `rotaplan import WORKBOOK --out INSTANCE`.

use std::path::PathBuf;
use std::process::ExitCode;

use super::say;
use crate::error::{Result, exit};
use crate::lang::Langs;

/// Convert a bureau workbook (one sheet per table; Chinese sheet names, headers and values
/// accepted) into the CSV instance folder. Every accepted name is listed in
/// docs/import-aliases.md. Problems are located as `sheet:row:column` (e.g. `教师:12:C`).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Sheets: 乡镇 (townships), 相邻 (adjacency), 学校 (schools), 教师 (teachers), \
                  岗位需求 (demand), 距离 (distances), or the CSV file stems.\n\
                  Every accepted sheet, header and value alias: docs/import-aliases.md\n\
                  Exit codes: 0 imported; 1 the workbook has problems (each one listed)."
)]
pub struct Args {
    /// The workbook (.xlsx, .xlsm, .xlsb, .xls or .ods).
    pub workbook: PathBuf,
    /// The instance folder to write (created if missing).
    #[arg(long, value_name = "INSTANCE")]
    pub out: PathBuf,
}

pub fn run(args: &Args, langs: Langs) -> Result<ExitCode> {
    let lang = langs.terminal;
    match crate::io::xlsx_import::import_workbook(&args.workbook, &args.out) {
        Ok(report) => {
            for note in &report.notes {
                super::err(&say::note(lang, note));
            }
            for (file, sheet, rows) in &report.files {
                super::out(&say::imported_sheet(
                    lang,
                    sheet,
                    &args.out.join(file),
                    *rows,
                ));
            }
            super::out(&say::imported(lang, &args.out));
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in problems.iter() {
                super::out(&p.render(langs.terminal));
            }
            super::err(&say::import_problems(lang, problems.len()));
            Ok(ExitCode::from(exit::PROBLEMS))
        }
    }
}
