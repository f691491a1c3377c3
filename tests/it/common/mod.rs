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

/// Runs the binary; returns its exit code and stdout followed by stderr.
pub fn rotaplan(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rotaplan"))
        .args(args)
        .output()
        .expect("run rotaplan");
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
