//! Data as bureaus hold it: `tests/data/chinese-degrees` is the schools-tiny example written
//! with Chinese headers and values, school names for school ids, a title row, GBK and BOM
//! encodings, and coordinates in degrees (km projected back with the inverse of SPEC's
//! projection). It must read to the same county as the SPEC-form original and plan to the
//! same objective values.
//!
//! Set `ROTAPLAN_WRITE_FIXTURES=1` to rewrite the fixture from the original.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use rotaplan::domain::geography::Projection;
use rotaplan::domain::instance::Instance;
use rotaplan::io::aliases::{self, Kind, TABLES};
use serde_json::Value;

use crate::common::*;

/// Where the fixture's townships are centred: 赫章县, Guizhou.
const ORIGIN: Projection = Projection {
    lat0: 27.12,
    lng0: 104.73,
};

fn fixture() -> std::path::PathBuf {
    root().join("tests/data/chinese-degrees")
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header).expect("write");
    for r in rows {
        w.write_record(r).expect("write");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
}

/// The original's files in the bureau's form, by file name, as bytes.
fn bureau_form(src: &Path) -> Vec<(String, Vec<u8>)> {
    // Translate so the townships' mean is the origin: then the mean of the written degrees
    // is ORIGIN and reading them back projects to the original km, shifted.
    let (_, towns) = read_csv(&src.join("townships.csv"));
    let n = towns.len() as f64;
    let mean = |i: usize| {
        towns
            .iter()
            .map(|r| r[i].parse::<f64>().expect("km"))
            .sum::<f64>()
            / n
    };
    let (x_mean, y_mean) = (mean(3), mean(4));
    let (_, schools) = read_csv(&src.join("schools.csv"));
    let school_name: HashMap<String, String> = schools
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let mut out = Vec::new();
    for spec in TABLES {
        let path = src.join(spec.file_name());
        if !path.exists() {
            continue;
        }
        let (header, rows) = read_csv(&path);
        let column = |name: &str| spec.columns.iter().find(|c| c.name == name);
        let mut new_header = Vec::new();
        for h in &header {
            let chinese = match (spec.stem, h.as_str()) {
                (_, "x_km") => "纬度",
                (_, "y_km") => "经度",
                // Teachers' school by its name, as a bureau's list gives it.
                ("teachers", "school") => "所在学校",
                _ => column(h)
                    .and_then(|c| c.aliases.first().copied())
                    .unwrap_or(h),
            };
            new_header.push(chinese.to_string());
        }
        let xi = header.iter().position(|h| h == "x_km");
        let yi = header.iter().position(|h| h == "y_km");
        let mut new_rows = Vec::new();
        for r in &rows {
            let mut cells: Vec<String> = r
                .iter()
                .zip(&header)
                .map(|(v, h)| {
                    let kind = column(h).map(|c| c.kind);
                    match kind {
                        _ if v.is_empty() => String::new(),
                        Some(Kind::Bool) => if v == "true" { "是" } else { "否" }.to_string(),
                        Some(Kind::Sex) => aliases::word_for(aliases::SEXES, v).to_string(),
                        Some(Kind::Title) => aliases::word_for(aliases::TITLES, v).to_string(),
                        Some(Kind::Stage) => aliases::word_for(aliases::STAGES, v).to_string(),
                        Some(Kind::Degree) => aliases::word_for(aliases::DEGREES, v).to_string(),
                        Some(Kind::Subject) => aliases::word_for(aliases::SUBJECTS, v).to_string(),
                        Some(Kind::Stages) => v
                            .split(';')
                            .map(|s| aliases::word_for(aliases::STAGES, s))
                            .collect::<Vec<_>>()
                            .join("、"),
                        _ if spec.stem == "teachers" && h == "school" => school_name[v].clone(),
                        _ => v.clone(),
                    }
                })
                .collect();
            if let (Some(xi), Some(yi)) = (xi, yi)
                && !r[xi].is_empty()
            {
                let x: f64 = r[xi].parse().expect("x");
                let y: f64 = r[yi].parse().expect("y");
                let (lat, lng) = ORIGIN.to_degrees(x - x_mean, y - y_mean);
                cells[xi] = format!("{lat}");
                cells[yi] = format!("{lng}");
            }
            new_rows.push(cells);
        }
        let text = csv_text(&new_header, &new_rows);
        let bytes = match spec.stem {
            // As Excel saves "CSV" on a Chinese Windows, under a title row.
            "teachers" => {
                let titled = format!("示例县教师名单,,,\n{text}");
                let (gbk, _, _) = encoding_rs::GBK.encode(&titled);
                gbk.into_owned()
            }
            // As Excel saves "CSV UTF-8".
            "schools" => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            _ => text.into_bytes(),
        };
        out.push((spec.file_name(), bytes));
    }
    out.push((
        "policy.toml".into(),
        fs::read(src.join("policy.toml")).expect("policy"),
    ));
    out
}

#[test]
fn fixture_is_the_converted_example() {
    let want = bureau_form(&example("schools-tiny"));
    let dir = fixture();
    if std::env::var_os("ROTAPLAN_WRITE_FIXTURES").is_some() {
        fs::create_dir_all(&dir).expect("mkdir");
        for (name, bytes) in &want {
            fs::write(dir.join(name), bytes).expect("write");
        }
    }
    for (name, bytes) in &want {
        let got = fs::read(dir.join(name)).unwrap_or_default();
        assert!(
            got == *bytes,
            "{name} differs from the conversion: ROTAPLAN_WRITE_FIXTURES=1 rewrites it"
        );
    }
}

fn read(dir: &Path) -> Instance {
    rotaplan::io::read_instance(dir).unwrap_or_else(|p| panic!("{}: {p}", dir.display()))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-9)
}

#[test]
fn reads_to_the_same_county_as_the_original() {
    let original = read(&example("schools-tiny"));
    let bureau = read(&fixture());
    assert_eq!(bureau.townships.len(), original.townships.len());
    for (a, b) in original.townships.iter().zip(&bureau.townships) {
        assert_eq!(
            (&a.id, &a.name, a.urban, a.priority),
            (&b.id, &b.name, b.urban, b.priority)
        );
    }
    assert_eq!(bureau.schools.len(), original.schools.len());
    for (a, b) in original.schools.iter().zip(&bureau.schools) {
        assert_eq!(
            (&a.id, &a.name, a.township, a.stage, a.quality),
            (&b.id, &b.name, b.township, b.stage, b.quality)
        );
        assert_eq!(
            (a.students, a.classes, a.helper, a.core_eligible),
            (b.students, b.classes, b.helper, b.core_eligible)
        );
    }
    assert_eq!(bureau.teachers.len(), original.teachers.len());
    for (a, b) in original.teachers.iter().zip(&bureau.teachers) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
    assert_eq!(
        format!("{:?}", original.demand),
        format!("{:?}", bureau.demand)
    );
    assert_eq!(original.adjacency, bureau.adjacency);
    // Coordinates are the original's shifted by the townships' mean: every distance holds.
    let mut compared = 0;
    for i in 0..original.schools.len() {
        for j in 0..original.schools.len() {
            let (a, b) = (original.distance(i, j), bureau.distance(i, j));
            assert!(close(a, b), "schools {i}-{j}: {a} km vs {b} km");
            compared += 1;
        }
    }
    let town = |inst: &Instance, i: usize, j: usize| {
        let (a, b) = (&inst.townships[i], &inst.townships[j]);
        (a.x_km - b.x_km).hypot(a.y_km - b.y_km)
    };
    for i in 0..original.townships.len() {
        for j in 0..original.townships.len() {
            assert!(close(town(&original, i, j), town(&bureau, i, j)));
        }
    }
    assert_eq!(compared, 100);
    // Some pair is far enough apart that a wrong projection would show.
    assert!(original.distance(0, 5) > 30.0);
}

fn objectives(summary: &Value) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for step in ["groups", "pairing", "rotation"] {
        match &summary[step]["objective"] {
            Value::Array(levels) => {
                for (i, v) in levels.iter().enumerate() {
                    out.push((format!("{step}[{i}]"), v.as_f64().expect("number")));
                }
            }
            Value::Number(n) => out.push((step.to_string(), n.as_f64().expect("number"))),
            other => panic!("{step}.objective is {other}"),
        }
    }
    out
}

#[test]
fn plans_to_the_same_objective_values_as_the_original() {
    let mut got = Vec::new();
    for dir in [example("schools-tiny"), fixture()] {
        let out = tempfile::tempdir().expect("tempdir");
        let policy = dir.join("policy.toml");
        let (code, text) = rotaplan(&[
            "plan",
            s(&dir),
            "--policy",
            s(&policy),
            "--out",
            s(out.path()),
        ]);
        assert_eq!(code, 0, "{}: {text}", dir.display());
        let summary: Value =
            serde_json::from_slice(&fs::read(out.path().join("summary.json")).expect("summary"))
                .expect("json");
        got.push(objectives(&summary));
    }
    let (original, bureau) = (&got[0], &got[1]);
    assert_eq!(original.len(), bureau.len());
    assert!(original.len() >= 4, "{original:?}");
    for ((name, a), (_, b)) in original.iter().zip(bureau) {
        assert!(
            (a - b).abs() <= 1e-6 * a.abs().max(1.0),
            "{name}: original {a}, bureau form {b}"
        );
    }
}
