//! `rotaplan validate`: every broken input is caught, located, and never panics.

use std::fs;
use std::path::{Path, PathBuf};

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
    let mut cmd = crate::common::bin();
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

/// Problems of one validate run, with the exit code checked.
fn invalid(dir: &Path) -> String {
    let (code, out) = validate(dir, None);
    assert_eq!(code, 1, "{out}");
    out
}

fn assert_has(out: &str, expected: &[&str]) {
    for e in expected {
        assert!(out.contains(e), "missing {e:?} in:\n{out}");
    }
    for line in out.lines().filter(|l| l.contains(".csv:")) {
        assert!(line.contains("; "), "no fix in {line}");
    }
}

#[test]
fn bytes_that_are_neither_utf8_nor_gb18030_are_named_at_their_place() {
    let d = scratch();
    let p = d.path().join("schools.csv");
    let mut bytes = fs::read(&p).expect("read");
    // Inside the name of S1 (line 3, field 2): `学校` then 0xFF 0xFE then `2`.
    let at = find(&bytes, "学校2".as_bytes()) + "学校".len();
    bytes.splice(at..at, [0xFF, 0xFE]);
    fs::write(&p, &bytes).expect("write");
    let out = invalid(d.path());
    assert_has(
        &out,
        &["schools.csv:3:2: bytes 0xFF 0xFE are neither UTF-8 nor GB18030/GBK"],
    );
    // No mojibake of the other names reaches the output.
    assert!(!out.contains("瀛"), "{out}");

    // The same damage in a GBK file is located the same way.
    let d = scratch();
    let p = d.path().join("schools.csv");
    let text = fs::read_to_string(&p).expect("read");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let mut bytes = gbk.into_owned();
    let (name, _, _) = encoding_rs::GBK.encode("学校2");
    let at = find(&bytes, &name) + 4;
    bytes.splice(at..at, [0xFF]);
    fs::write(&p, &bytes).expect("write");
    assert_has(
        &invalid(d.path()),
        &["schools.csv:3:2: bytes 0xFF are neither UTF-8 nor GB18030/GBK"],
    );

    // A UTF-16 file is named as such.
    let d = scratch();
    let p = d.path().join("demand.csv");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in fs::read_to_string(&p).expect("read").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    fs::write(&p, utf16).expect("write");
    assert_has(
        &invalid(d.path()),
        &["demand.csv:1:1: the file is UTF-16 (it starts with the bytes 0xFF 0xFE)"],
    );
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle")
}

#[test]
fn an_exchange_at_the_teachers_own_home_school_is_refused() {
    let d = scratch();
    // P34 works at S4 on exchange from S3 until 2026 (line 36); make S4 its home too.
    edit(
        d.path(),
        "teachers.csv",
        "P34,S4,math,F,1983,third,false,12,english,college,S3,2026",
        "P34,S4,math,F,1983,third,false,12,english,college,S4,2026",
    );
    assert_has(
        &invalid(d.path()),
        &["teachers.csv:36:11: the teacher is on exchange at their own home school `S4`"],
    );
}

#[test]
fn teacher_rows_that_could_be_read_two_ways_are_refused() {
    let d = scratch();
    // home_school without exchange_until, and the other way round.
    edit(
        d.path(),
        "teachers.csv",
        "P0,S0,chinese,M,1988,first,true,20,,graduate,,",
        "P0,S0,chinese,M,1988,first,true,20,,graduate,S1,",
    );
    edit(
        d.path(),
        "teachers.csv",
        "P1,S0,chinese,M,1992,second,true,16,,bachelor,,",
        "P1,S0,chinese,M,1992,second,true,16,,bachelor,,2027",
    );
    // A home school that is no school; a second subject equal to the first; an unknown
    // certified stage; a duplicate teacher id.
    edit(
        d.path(),
        "teachers.csv",
        "P2,S0,english,F,1986,second,true,7,,college,,",
        "P2,S0,english,F,1986,second,true,7,english,college,S99,2026",
    );
    edit(
        d.path(),
        "teachers.csv",
        "high;middle,教师36",
        "高中;大学,教师36",
    );
    edit(d.path(), "teachers.csv", "P3,S0,", "P1,S0,");
    assert_has(
        &invalid(d.path()),
        &[
            "teachers.csv:2:12: a teacher on exchange (home_school set) needs `exchange_until`",
            "teachers.csv:3:11: `exchange_until` is set but `home_school` is empty",
            "teachers.csv:4:11: unknown school `S99`",
            "teachers.csv:4:9: `second_subject` is the same as `subject`",
            "teachers.csv:38:15: unknown stage `大学`",
            "teachers.csv:5:1: duplicate id (first used on line 3)",
        ],
    );
}

#[test]
fn distances_given_two_ways_are_refused() {
    let d = scratch();
    fs::write(
        d.path().join("distances.csv"),
        "a,b,km\nS0,S1,5\nS1,S0,5\nS2,S3,4\nS3,S2,4.5\nS4,S4,0\nS5,S5,2\nS6,S7,-1\nS8,S99,3\n",
    )
    .expect("write");
    assert_has(
        &invalid(d.path()),
        &[
            "distances.csv:5:3: the pair S3 – S2 is given twice with different km (line 4: 4)",
            "distances.csv:7:3: a distance from school `S5` to itself",
            "distances.csv:8:3: `km` is not a non-negative number (value \"-1\")",
            "distances.csv:9:2: unknown school `S99`",
        ],
    );
    let out = invalid(d.path());
    // The same km twice (either order) and a 0 km self pair are fine.
    assert!(!out.contains("distances.csv:3:"), "{out}");
    assert!(!out.contains("distances.csv:6:"), "{out}");
}

#[test]
fn coordinates_in_degrees_are_checked_and_never_mixed_with_km() {
    let d = scratch();
    fs::write(
        d.path().join("townships.csv"),
        "id,name,urban,lat,lng,priority\n\
         T0,镇0,true,27.1,104.7,false\n\
         T1,镇1,false,95.0,104.4,false\n\
         T2,镇2,false,27.2,,false\n",
    )
    .expect("write");
    // schools.csv gives km: every school with coordinates mixes units.
    let out = invalid(d.path());
    assert_has(
        &out,
        &[
            "townships.csv:3:4: `lat` is outside −90…90 degrees (value \"95.0\")",
            "townships.csv:4:5: `lng` is empty",
            "schools.csv:2:8: the row gives x_km,y_km but townships.csv line 2 gives lat,lng",
        ],
    );
    // A row with both pairs, and a longitude out of range.
    let d = scratch();
    fs::write(
        d.path().join("townships.csv"),
        "id,name,urban,x_km,y_km,priority,纬度,经度\n\
         T0,镇0,true,0,0,false,27.1,104.7\n\
         T1,镇1,false,,,false,27.0,190\n\
         T2,镇2,false,,,false,27.2,104.6\n",
    )
    .expect("write");
    assert_has(
        &invalid(d.path()),
        &[
            "townships.csv:2:7: the row gives both x_km/y_km and lat/lng",
            "townships.csv:3:8: `lng` is outside −180…180 degrees (value \"190\")",
        ],
    );
    // No coordinate columns at all.
    let d = scratch();
    fs::write(
        d.path().join("townships.csv"),
        "id,name,urban\nT0,镇0,true\nT1,镇1,false\nT2,镇2,false\n",
    )
    .expect("write");
    assert_has(
        &invalid(d.path()),
        &["townships.csv:1:4: missing columns `x_km`,`y_km` (or `lat`,`lng`)"],
    );
}

#[test]
fn chinese_headers_and_values_are_read_and_checked_like_spec_ones() {
    let d = scratch();
    fs::write(
        d.path().join("demand.csv"),
        "学校编号,学科,岗位数\nS0,语文,1\n学校2,数学,2\nS2,天文,1\nS3,体育,一\n",
    )
    .expect("write");
    edit(
        d.path(),
        "schools.csv",
        "id,name,township,stage,quality,students,classes,x_km,y_km,helper",
        "学校编号,名称,所属乡镇,学段,办学质量,学生数,班级数,横坐标,纵坐标,是否帮扶校",
    );
    edit(
        d.path(),
        "schools.csv",
        "primary,77.3,160,5,0.87,1.91,true",
        "小学,77.3,160,5,0.87,1.91,是",
    );
    edit(
        d.path(),
        "schools.csv",
        "S2,学校3,T0,primary",
        "S2,学校3,镇0,中学部",
    );
    let out = invalid(d.path());
    assert_has(
        &out,
        &[
            "demand.csv:4:2: unknown subject (value \"天文\")",
            "demand.csv:5:3: `positions` is not a whole number (value \"一\")",
            "schools.csv:4:4: unknown stage (value \"中学部\"); use one of 幼儿园 (kindergarten), 小学 (primary)",
        ],
    );
    // The school name 学校2 and the township name 镇0 stand for their ids.
    assert!(!out.contains("unknown school"), "{out}");
    assert!(!out.contains("unknown township"), "{out}");

    // Two headers for one column.
    let d = scratch();
    edit(
        d.path(),
        "demand.csv",
        "school,subject,positions",
        "school,subject,positions,学校编号",
    );
    assert_has(
        &invalid(d.path()),
        &["demand.csv:1:4: two columns mean `school` (the other is column 1) (value \"学校编号\")"],
    );
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
