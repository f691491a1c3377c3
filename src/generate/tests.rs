use std::collections::{BTreeMap, BTreeSet};

use super::hezhang::GROUPS;
use super::*;

type Row = BTreeMap<String, String>;

fn files(profile: &Profile, seed: u64) -> BTreeMap<&'static str, Vec<u8>> {
    match render(profile, seed) {
        Ok(r) => r.files.into_iter().collect(),
        Err(e) => panic!("render failed: {e}"),
    }
}

fn rows(files: &BTreeMap<&'static str, Vec<u8>>, name: &str) -> Vec<Row> {
    let bytes = files
        .get(name)
        .unwrap_or_else(|| panic!("{name} not written"));
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn ids(rows: &[Row], col: &str) -> BTreeSet<String> {
    let set: BTreeSet<String> = rows.iter().map(|r| r[col].clone()).collect();
    assert_eq!(set.len(), rows.len(), "duplicate {col}");
    set
}

fn connected(nodes: &BTreeSet<String>, edges: &[(String, String)]) -> bool {
    let Some(start) = nodes.iter().next() else {
        return true;
    };
    let mut seen = BTreeSet::from([start.clone()]);
    let mut stack = vec![start.clone()];
    while let Some(u) = stack.pop() {
        for (a, b) in edges {
            let v = if *a == u {
                b
            } else if *b == u {
                a
            } else {
                continue;
            };
            if nodes.contains(v) && seen.insert(v.clone()) {
                stack.push(v.clone());
            }
        }
    }
    seen.len() == nodes.len()
}

fn has_two_decimals_at_most(v: &str) -> bool {
    v.split_once('.').is_none_or(|(_, frac)| frac.len() <= 2)
}

/// Checks every cross-reference of an instance and returns (townships, schools, teachers).
fn check_instance(f: &BTreeMap<&'static str, Vec<u8>>) -> (Vec<Row>, Vec<Row>, Vec<Row>) {
    let townships = rows(f, "townships.csv");
    let t_ids = ids(&townships, "id");
    for t in &townships {
        assert!(has_two_decimals_at_most(&t["x_km"]) && has_two_decimals_at_most(&t["y_km"]));
    }

    let adjacency = rows(f, "adjacency.csv");
    let mut edge_set = BTreeSet::new();
    for e in &adjacency {
        assert!(
            t_ids.contains(&e["a"]) && t_ids.contains(&e["b"]),
            "edge {e:?}"
        );
        assert_ne!(e["a"], e["b"], "self-loop");
        let key = if e["a"] < e["b"] {
            (e["a"].clone(), e["b"].clone())
        } else {
            (e["b"].clone(), e["a"].clone())
        };
        assert!(edge_set.insert(key), "edge written twice: {e:?}");
    }
    let edges: Vec<(String, String)> = edge_set.into_iter().collect();
    assert!(connected(&t_ids, &edges), "adjacency not connected");

    let schools = rows(f, "schools.csv");
    let s_ids = ids(&schools, "id");
    let by_id: BTreeMap<&str, &Row> = schools.iter().map(|s| (s["id"].as_str(), s)).collect();
    for s in &schools {
        assert!(t_ids.contains(&s["township"]), "school {s:?}");
        let q: f64 = s["quality"].parse().expect("quality");
        assert!((0.0..=100.0).contains(&q));
        assert!(has_two_decimals_at_most(&s["x_km"]) && has_two_decimals_at_most(&s["quality"]));
        let students: u32 = s["students"].parse().expect("students");
        let classes: u32 = s["classes"].parse().expect("classes");
        assert!(students > 0 && classes > 0);
        if s["core_eligible"] == "false" {
            assert_eq!(s["stage"], "primary");
            assert!(
                students < 60 && (1..=3).contains(&classes),
                "teaching point {s:?}"
            );
        }
    }
    // Every township has every compulsory stage.
    for t in &t_ids {
        let stages: BTreeSet<&str> = schools
            .iter()
            .filter(|s| &s["township"] == t)
            .map(|s| s["stage"].as_str())
            .collect();
        assert!(
            stages.contains("kindergarten") && stages.contains("primary"),
            "{t}"
        );
        assert!(
            stages.contains("middle") || stages.contains("nine_year"),
            "{t}"
        );
    }

    let teachers = rows(f, "teachers.csv");
    ids(&teachers, "id");
    for t in &teachers {
        assert!(s_ids.contains(&t["school"]), "teacher {t:?}");
        assert!(t["sex"] == "M" || t["sex"] == "F");
        let age = 2026 - t["birth_year"].parse::<i32>().expect("birth_year");
        assert!((22..=59).contains(&age));
        let years: i32 = t["years_at_school"].parse().expect("years");
        assert!((0..=age - 22).contains(&years));
        if t["home_school"].is_empty() {
            assert!(t["exchange_until"].is_empty());
        } else {
            assert!(s_ids.contains(&t["home_school"]));
            assert_ne!(t["home_school"], t["school"]);
            let home = by_id[t["home_school"].as_str()];
            let host = by_id[t["school"].as_str()];
            assert!(
                (home["helper"] == "true") != (host["helper"] == "true"),
                "an exchange runs between a helper and a non-helper: {t:?}"
            );
            assert!(t["exchange_until"] == "2026" || t["exchange_until"] == "2027");
        }
        assert!(!(t["exempt"] == "true" && t["volunteer"] == "true"));
    }
    let staffed: BTreeSet<&str> = teachers.iter().map(|t| t["school"].as_str()).collect();
    assert_eq!(staffed.len(), schools.len(), "a school has no teacher");

    let demand = rows(f, "demand.csv");
    let mut seen = BTreeSet::new();
    for d in &demand {
        assert!(s_ids.contains(&d["school"]));
        assert!(d["positions"].parse::<u32>().expect("positions") >= 1);
        assert!(
            seen.insert((d["school"].clone(), d["subject"].clone())),
            "{d:?}"
        );
    }
    (townships, schools, teachers)
}

#[test]
fn same_seed_same_bytes() {
    assert_eq!(files(&Profile::Hezhang, 7), files(&Profile::Hezhang, 7));
    let scale = Profile::Scale { schools: 90 };
    assert_eq!(files(&scale, 7), files(&scale, 7));
}

#[test]
fn different_seeds_differ() {
    let a = files(&Profile::Hezhang, 1);
    let b = files(&Profile::Hezhang, 2);
    for name in ["townships.csv", "schools.csv", "teachers.csv", "demand.csv"] {
        assert_ne!(a[name], b[name], "{name}");
    }
    let scale = Profile::Scale { schools: 90 };
    assert_ne!(
        files(&scale, 1)["teachers.csv"],
        files(&scale, 2)["teachers.csv"]
    );
}

#[test]
fn hezhang_matches_the_seed_document() {
    for seed in [2026, 0, 99] {
        let f = files(&Profile::Hezhang, seed);
        let (townships, schools, teachers) = check_instance(&f);
        assert_eq!(townships.len(), 30);
        assert_eq!(townships.iter().filter(|t| t["urban"] == "true").count(), 5);
        let prio = townships.iter().filter(|t| t["priority"] == "true").count();
        assert!((6..=8).contains(&prio));
        assert!(
            (250..=400).contains(&schools.len()),
            "{} schools",
            schools.len()
        );
        assert!(
            (6000..=9000).contains(&teachers.len()),
            "{} teachers",
            teachers.len()
        );
        assert_eq!(schools.iter().filter(|s| s["stage"] == "high").count(), 6);
        assert_eq!(
            schools
                .iter()
                .filter(|s| s["stage"] == "vocational")
                .count(),
            1
        );
        assert_eq!(schools.iter().filter(|s| s["helper"] == "true").count(), 19);
        let on_exchange = teachers
            .iter()
            .filter(|t| !t["home_school"].is_empty())
            .count();
        assert!((8..=16).contains(&on_exchange), "{on_exchange} exchanges");

        // The seed's 8 groups are contiguous in the adjacency graph.
        let edges: Vec<(String, String)> = rows(&f, "adjacency.csv")
            .into_iter()
            .map(|e| (e["a"].clone(), e["b"].clone()))
            .collect();
        for g in GROUPS {
            let nodes: BTreeSet<String> = g.iter().map(|&t| townships[t]["id"].clone()).collect();
            assert!(connected(&nodes, &edges), "seed group {g:?} not contiguous");
        }

        // Seed groups and pairings refer to real schools, and the pairings to helpers.
        let s_ids: BTreeSet<&str> = schools.iter().map(|s| s["id"].as_str()).collect();
        let groups = rows(&f, "groups_seed.csv");
        let mut in_group = BTreeSet::new();
        let mut cores: BTreeMap<String, usize> = BTreeMap::new();
        for r in &groups {
            assert!(s_ids.contains(r["school"].as_str()));
            assert!(in_group.insert(r["school"].clone()), "school in two groups");
            if r["role"] == "core" {
                *cores.entry(r["group"].clone()).or_default() += 1;
            }
        }
        assert_eq!(cores.len(), 10);
        assert!(cores.values().all(|&n| n == 1));
        // Every non-helper compulsory school and every high school is in exactly one group.
        for s in &schools {
            let grouped = s["stage"] == "high"
                || (s["helper"] == "false"
                    && ["kindergarten", "primary", "middle", "nine_year"]
                        .contains(&s["stage"].as_str()));
            assert_eq!(grouped, in_group.contains(&s["id"]), "{s:?}");
        }
        let pairings = rows(&f, "baseline_pairings.csv");
        assert_eq!(pairings.len(), 24);
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &pairings {
            let h = schools
                .iter()
                .find(|s| s["id"] == p["helper"])
                .expect("helper");
            assert_eq!(h["helper"], "true");
            assert!(cores.contains_key(&p["group"]));
            *uses.entry(p["helper"].as_str()).or_default() += 1;
        }
        assert!(uses.values().all(|&n| n <= 2), "helper_capacity 2");
    }
}

#[test]
fn scale_gives_n_schools() {
    for n in [20, 21, 37, 123, 1200] {
        let profile = Profile::Scale { schools: n };
        let f = files(&profile, 5);
        let (townships, schools, teachers) = check_instance(&f);
        assert_eq!(schools.len(), n);
        assert_eq!(townships.len(), (n / 10).max(4));
        assert_eq!(townships.iter().filter(|t| t["urban"] == "true").count(), 1);
        let helpers = schools.iter().filter(|s| s["helper"] == "true").count();
        assert_eq!(helpers, ((n + 10) / 20).max(5));
        if n >= 100 {
            let per_school = teachers.len() as f64 / n as f64;
            assert!(
                (17.0..=28.0).contains(&per_school),
                "{per_school} teachers per school"
            );
        }
    }
}

#[test]
fn generate_writes_the_rendered_files() {
    let dir = std::env::temp_dir().join(format!("rotaplan-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("nested/hz");
    let report = generate(&Profile::Hezhang, 3, &out).expect("generate");
    let expected = files(&Profile::Hezhang, 3);
    for (name, bytes) in &expected {
        assert_eq!(
            &std::fs::read(out.join(name)).expect("read"),
            bytes,
            "{name}"
        );
    }
    let leftovers = std::fs::read_dir(&out)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);
    assert_eq!(report.townships, 30);
    assert_eq!(report.helpers, 19);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn profile_parse_errors_are_clear() {
    assert_eq!(Profile::parse("hezhang", None).ok(), Some(Profile::Hezhang));
    assert_eq!(
        Profile::parse(" Scale ", Some(40)).ok(),
        Some(Profile::Scale { schools: 40 })
    );
    let msg =
        |r: Result<Profile, GenerateError>| r.err().map(|e| e.to_string()).unwrap_or_default();
    let unknown = msg(Profile::parse("hz", None));
    assert!(unknown.contains("hz") && unknown.contains("hezhang") && unknown.contains("scale"));
    assert!(msg(Profile::parse("scale", None)).contains("--schools"));
    assert!(msg(Profile::parse("scale", Some(19))).contains("at least 20"));
    assert!(msg(Profile::parse("scale", Some(usize::MAX))).contains("at most"));
    assert!(msg(Profile::parse("hezhang", Some(30))).contains("--schools"));
    let tiny = generate(
        &Profile::Scale { schools: 3 },
        1,
        std::path::Path::new("unused"),
    );
    assert!(matches!(tiny, Err(GenerateError::TooFewSchools(3))));
}

#[test]
fn io_error_names_the_path() {
    let dir = std::env::temp_dir().join(format!("rotaplan-generate-io-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    // A file where the output folder should be.
    let blocker = dir.join("out");
    std::fs::write(&blocker, b"x").expect("write");
    let err = generate(&Profile::Scale { schools: 20 }, 1, &blocker).expect_err("must fail");
    assert!(matches!(err, GenerateError::Io { .. }));
    assert!(err.to_string().contains("out"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn numbers_format_deterministically() {
    use super::write::fmt_num;
    assert_eq!(fmt_num(1.0), "1");
    assert_eq!(fmt_num(-0.001), "0");
    assert_eq!(fmt_num(12.346), "12.35");
    assert_eq!(fmt_num(-3.1), "-3.1");
}
