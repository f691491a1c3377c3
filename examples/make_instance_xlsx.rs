//! Writes an instance folder's CSV files to a workbook with Chinese sheet names, headers and
//! values, the way a bureau keeps them; `rotaplan import` reads it back to the same instance.
//!
//! `cargo run --example make_instance_xlsx -- instances/hezhang instances/hezhang/hezhang.xlsx`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [dir, out] = args.as_slice() else {
        eprintln!("usage: make_instance_xlsx INSTANCE_DIR OUT.xlsx");
        return ExitCode::from(2);
    };
    match rotaplan::io::instance_xlsx::write_instance_xlsx(dir, out) {
        Ok(()) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_instance_xlsx: {e}");
            ExitCode::FAILURE
        }
    }
}
