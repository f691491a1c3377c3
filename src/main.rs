use std::process::ExitCode;

fn main() -> ExitCode {
    let (lang, result) = rotaplan::cli::run();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}{}", rotaplan::cli::say::prefix(lang), e.render(lang));
            ExitCode::from(e.exit_code())
        }
    }
}
