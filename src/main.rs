use std::process::ExitCode;

fn main() -> ExitCode {
    match rotaplan::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rotaplan: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(2)
        }
    }
}
