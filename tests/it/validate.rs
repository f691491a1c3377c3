//! `rotaplan validate`: every broken input is caught, located, and never panics.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/examples")
        .join(name)
}

/// A copy of the schools-tiny example in a temp dir, to break by hand.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(example("schools-tiny")).expect("example") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

fn validate(dir: &Path, policy: Option<&Path>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rotaplan"));
    cmd.arg("validate").arg(dir);
    if let Some(p) = policy {
        cmd.arg("--policy").arg(p);
    }
    let out = cmd.output().expect("run rotaplan");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Replaces the first occurrence of `from` in `file` with `to`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn shipped_examples_and_hezhang_are_valid() {
    for name in ["schools-tiny", "townships-contiguous"] {
        let dir = example(name);
        let (code, out) = validate(&dir, Some(&dir.join("policy.toml")));
        assert_eq!(code, 0, "{name}: {out}");
        assert!(out.starts_with("ok:"), "{out}");
    }
    let hz = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang");
    let (code, out) = validate(&hz, Some(&hz.join("policy.toml")));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn missing_file_and_missing_column() {
    let d = scratch();
    fs::remove_file(d.path().join("demand.csv")).expect("rm");
    edit(
        d.path(),
        "schools.csv",
        "id,name,township,stage,quality,students,classes",
        "id,name,township,stage,quality,students",
    );
    let (code, out) = validate(d.path(), None);
    assert_eq!(code, 1);
    assert!(out.contains("demand.csv: file is missing"), "{out}");
    assert!(
        out.contains("schools.csv:1:") && out.contains("missing column `classes`"),
        "{out}"
    );
}

#[test]
fn every_problem_is_listed_with_its_location() {
    let d = scratch();
    // Line 3 of schools.csv is S1: not numeric quality, unknown stage.
    edit(
        d.path(),
        "schools.csv",
        "S1,学校2,T0,middle,80.6,377",
        "S1,学校2,T0,midle,high,377",
    );
    // Negative students on S2.
    edit(
        d.path(),
        "schools.csv",
        "S2,学校3,T0,primary,71.7,525",
        "S2,学校3,T0,primary,71.7,-525",
    );
    // Unknown township, duplicate id.
    edit(d.path(), "schools.csv", "S3,学校4,T0,", "S2,学校4,T9,");
    // Unknown sex and title, unknown school.
    edit(
        d.path(),
        "teachers.csv",
        "P0,S0,chinese,M,1988,first",
        "P0,S0,chinese,X,1988,boss",
    );
    edit(d.path(), "teachers.csv", "P1,S0,", "P1,S99,");
    // Self-loop in adjacency; demand for an unknown school.
    edit(d.path(), "adjacency.csv", "T1,T0", "T1,T1");
    edit(d.path(), "demand.csv", "S0,chinese,1", "S77,chinese,1");
    let (code, out) = validate(d.path(), None);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "schools.csv:3:4: unknown stage (value \"midle\")",
        "schools.csv:3:5: `quality` is not a number (value \"high\")",
        "schools.csv:4:6: `students` is negative (value \"-525\")",
        "schools.csv:5:3: unknown township `T9`",
        "schools.csv:5:1: duplicate id (first used on line 4) (value \"S2\")",
        "teachers.csv:2:4: unknown sex (value \"X\")",
        "teachers.csv:2:6: unknown title (value \"boss\")",
        "teachers.csv:3:2: unknown school `S99`",
        "adjacency.csv:2:2: self-loop",
        "demand.csv:2:1: unknown school `S77`",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // Each problem says how to fix it.
    for line in out.lines().filter(|l| l.contains(".csv:")) {
        assert!(line.contains("; "), "no fix in {line}");
    }
}

#[test]
fn policy_unknown_key_gets_did_you_mean() {
    let d = scratch();
    let p = d.path().join("policy.toml");
    fs::write(
        &p,
        "plan_year = 2026\n[rotation]\ncross_cap_shar = 0.1\n[pairing]\nlevel = \"township\"\n",
    )
    .expect("write");
    let (code, out) = validate(d.path(), Some(&p));
    assert_eq!(code, 1);
    assert!(
        out.contains("policy.toml:3:1") && out.contains("did you mean `cross_cap_share`"),
        "{out}"
    );
    assert!(
        out.contains("policy.toml:5:1") && out.contains("unknown level"),
        "{out}"
    );
}

#[test]
fn missing_instance_folder_is_an_error_not_a_panic() {
    let (code, out) = validate(Path::new("/no/such/instance"), None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("instance folder not found"), "{out}");
}

#[test]
fn gbk_and_bom_files_are_read() {
    let d = scratch();
    let p = d.path().join("townships.csv");
    let text = fs::read_to_string(&p).expect("read");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(&p, &gbk).expect("write");
    let s = d.path().join("schools.csv");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(fs::read(&s).expect("read"));
    fs::write(&s, bom).expect("write");
    let (code, out) = validate(d.path(), None);
    assert_eq!(code, 0, "{out}");
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
        /// Random byte damage to any file never panics: exit is 0 or 1, never a crash.
        #[test]
        fn damaged_files_never_panic(file in 0usize..5, pos in 0usize..4000, bytes in proptest::collection::vec(any::<u8>(), 1..8)) {
            let d = scratch();
            let names = ["townships.csv", "schools.csv", "teachers.csv", "demand.csv", "adjacency.csv"];
            let p = d.path().join(names[file]);
            let mut content = fs::read(&p).expect("read");
            let at = pos.min(content.len());
            content.splice(at..at, bytes);
            fs::write(&p, content).expect("write");
            let (code, out) = validate(d.path(), None);
            prop_assert!(code == 0 || code == 1, "exit {} {}", code, out);
            prop_assert!(!out.contains("panicked"), "{}", out);
        }
    }
}
