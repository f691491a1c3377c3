//! The two policy levers of issue 13 on generated counties, end to end through the binary:
//! the cv level never changes the exchanges and shortage levels and never ends above the
//! default plan's E, and the E it reports is the plan's (recomputed here from the CSV files
//! with SPEC's formula); the county transfer scope never raises the optimal shortage.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{rotaplan, s};

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary"))
        .expect("json")
}

fn level(v: &Value, i: usize) -> f64 {
    v["rotation"]["objective"][i].as_f64().expect("objective")
}

/// E from SPEC's definition: six student-weighted CVs over primary, middle and nine_year
/// schools with students, X per 100 students, terms max(0, (S − c·X̄)/X̄⁰).
fn excess_from_files(inst: &Path, plan: &Path) -> (f64, f64) {
    let schools = rows(&inst.join("schools.csv"));
    let teachers = rows(&inst.join("teachers.csv"));
    let mut before: HashMap<String, String> = teachers
        .iter()
        .map(|t| (t["id"].clone(), t["school"].clone()))
        .collect();
    for r in rows(&plan.join("returns.csv")) {
        before.insert(r["teacher"].clone(), r["to"].clone());
    }
    let mut after = before.clone();
    for m in rows(&plan.join("moves.csv")) {
        after.insert(m["teacher"].clone(), m["to"].clone());
    }
    let mut totals = (0.0, 0.0);
    for (phase, stages, threshold, degrees) in [
        (
            "primary",
            ["primary", "nine_year"],
            0.50,
            &["graduate", "bachelor", "college"][..],
        ),
        (
            "middle",
            ["middle", "nine_year"],
            0.45,
            &["graduate", "bachelor"][..],
        ),
    ] {
        let _ = phase;
        let set: HashMap<String, f64> = schools
            .iter()
            .filter(|r| stages.contains(&r["stage"].as_str()))
            .filter_map(|r| {
                let p: f64 = r["students"].parse().ok()?;
                (p > 0.0).then(|| (r["id"].clone(), p))
            })
            .collect();
        let total: f64 = set.values().sum();
        for measure in 0..3 {
            let counted = |t: &HashMap<String, String>| match measure {
                0 => t["key"] == "true",
                1 => ["pe", "music", "art"].contains(&t["subject"].as_str()),
                _ => degrees.contains(&t.get("degree").map_or("", String::as_str)),
            };
            let stats = |place: &HashMap<String, String>| {
                let mut n: HashMap<&str, f64> = HashMap::new();
                for t in &teachers {
                    if counted(t) {
                        *n.entry(place[&t["id"]].as_str()).or_default() += 1.0;
                    }
                }
                let x: Vec<(f64, f64)> = set
                    .iter()
                    .map(|(id, &p)| (p, 100.0 * n.get(id.as_str()).copied().unwrap_or(0.0) / p))
                    .collect();
                let mean: f64 = x.iter().map(|(p, x)| p / total * x).sum();
                let var: f64 = x.iter().map(|(p, x)| p / total * (x - mean).powi(2)).sum();
                (mean, var.sqrt())
            };
            let (m0, s0) = stats(&before);
            if m0 == 0.0 {
                continue;
            }
            let (m1, s1) = stats(&after);
            totals.0 += ((s0 - threshold * m0) / m0).max(0.0);
            totals.1 += ((s1 - threshold * m1) / m0).max(0.0);
        }
    }
    totals
}

fn with_lines(policy: &Path, out: &Path, edit: &dyn Fn(&str) -> String) {
    let text = std::fs::read_to_string(policy).expect("policy");
    std::fs::write(out, edit(&text)).expect("write policy");
}

#[test]
fn the_levers_keep_their_promises_on_generated_counties() {
    let tmp = tempfile::tempdir().expect("tmp");
    for seed in [3u64, 7] {
        let inst = tmp.path().join(format!("county-{seed}"));
        let (code, text) = rotaplan(&[
            "generate",
            "--profile",
            "scale",
            "--schools",
            "20",
            "--seed",
            &seed.to_string(),
            "--out",
            s(&inst),
        ]);
        assert_eq!(code, 0, "{text}");
        let base_policy = inst.join("policy.toml");
        let cv_policy = tmp.path().join(format!("cv-{seed}.toml"));
        with_lines(&base_policy, &cv_policy, &|t| {
            format!("{t}\n[indicators]\nminimise_cv_excess = true\n")
        });
        let county_policy = tmp.path().join(format!("county-{seed}.toml"));
        with_lines(&base_policy, &county_policy, &|t| {
            t.replacen("[rotation]", "[rotation]\ntransfer_scope = \"county\"", 1)
        });
        let mut plans = Vec::new();
        for (name, policy) in [
            ("default", &base_policy),
            ("cv", &cv_policy),
            ("county", &county_policy),
        ] {
            let out = tmp.path().join(format!("{name}-{seed}"));
            let (code, text) =
                rotaplan(&["plan", s(&inst), "--policy", s(policy), "--out", s(&out)]);
            assert_eq!(code, 0, "{name} seed {seed}: {text}");
            plans.push((summary(&out), out));
        }
        let (default, cv, county) = (&plans[0].0, &plans[1].0, &plans[2].0);
        // The cv level between shortage and teachers moved.
        let names: Vec<&str> = cv["rotation"]["levels"]
            .as_array()
            .expect("levels")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            names,
            ["exchanges", "shortage", "cv_excess", "teachers_moved", "km"]
        );
        assert_eq!(cv["rotation"]["status"], "optimal", "seed {seed}");
        assert_eq!(level(cv, 0), level(default, 0), "seed {seed}: exchanges");
        assert!(
            (level(cv, 1) - level(default, 1)).abs() < 1e-6,
            "seed {seed}: shortage"
        );
        let (e_before, e_cv) = excess_from_files(&inst, &plans[1].1);
        let (_, e_default) = excess_from_files(&inst, &plans[0].1);
        assert!(
            (level(cv, 2) - e_cv).abs() < 1e-6,
            "seed {seed}: reported E is the plan's"
        );
        let bound = cv["rotation"]["bound"][2].as_f64().expect("bound");
        assert!(
            bound <= e_cv + 1e-9 && e_cv - bound <= 1e-6,
            "seed {seed}: bound"
        );
        assert!(
            e_cv <= e_default + 1e-6,
            "seed {seed}: E {e_cv} above default {e_default}"
        );
        let block = &cv["indicators"];
        assert!((block["excess_before"].as_f64().expect("E0") - e_before).abs() < 1e-6);
        assert!((block["excess_after"].as_f64().expect("E") - e_cv).abs() < 1e-6);
        assert_eq!(block["cvs"].as_object().expect("cvs").len(), 6);
        // County-wide transfers: the same exchanges, never more shortage.
        assert_eq!(county["rotation"]["status"], "optimal", "seed {seed}");
        assert_eq!(
            level(county, 0),
            level(default, 0),
            "seed {seed}: exchanges"
        );
        assert!(
            level(county, 1) <= level(default, 1) + 1e-6,
            "seed {seed}: shortage"
        );
    }
}
