//! Helpers shared by the integration tests that drive the `rotaplan` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A worked example copied from `../shared/examples` into `tests/data/examples`.
pub fn example(name: &str) -> PathBuf {
    root().join("tests/data/examples").join(name)
}

/// The binary under a fixed locale: English on the terminal, Chinese documents (SPEC's
/// reading of `C.UTF-8`), so that no test depends on the locale of the machine it runs on.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rotaplan"));
    cmd.env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("LC_ALL", "C.UTF-8");
    cmd
}

/// Runs the binary; returns its exit code and stdout followed by stderr.
pub fn rotaplan(args: &[&str]) -> (i32, String) {
    let out = bin().args(args).output().expect("run rotaplan");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
