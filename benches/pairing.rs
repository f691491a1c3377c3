//! Pairing at Hezhang scale (the seed's groups, group level) and at school level on a
//! generated 1,200-school county. Building the model and solving it are timed apart.
//!
//! `cargo bench --bench pairing -- --sample-size 10`

use std::collections::BTreeMap;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rotaplan::domain::grouping::Grouping;
use rotaplan::domain::instance::Instance;
use rotaplan::domain::policy::{PairingLevel, PairingPolicy, Policy};
use rotaplan::generate::{Profile, generate};
use rotaplan::plan::{GroupRow, Role};
use rotaplan::solve::mip::MipOptions;
use rotaplan::solve::pairing::{self, PairingProblem, model};

fn hezhang() -> (Instance, Grouping, Policy) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang");
    let inst = rotaplan::io::read_instance(&root).expect("hezhang reads");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root.join("groups_seed.csv"), dir.path().join("groups.csv")).expect("copy");
    let rows = rotaplan::io::plan_files::read_groups(dir.path()).expect("groups");
    let grouping = Grouping::from_rows(&inst, &rows).expect("groups resolve");
    let text = std::fs::read_to_string(root.join("policy.toml")).expect("policy");
    let policy = Policy::parse(&text, "policy.toml").expect("policy parses");
    (inst, grouping, policy)
}

/// A generated county of `schools` schools, grouped by township: each township's non-helper
/// compulsory schools form a group led by its strongest school.
fn scale(schools: usize) -> (Instance, Grouping) {
    let dir = tempfile::tempdir().expect("tempdir");
    generate(&Profile::Scale { schools }, 2026, dir.path()).expect("generate");
    let inst = rotaplan::io::read_instance(dir.path()).expect("reads");
    let mut by_town: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, s) in inst.schools.iter().enumerate() {
        if !s.helper && !s.stage.served_slots().is_empty() {
            by_town.entry(s.township).or_default().push(i);
        }
    }
    let mut rows = Vec::new();
    for (k, members) in by_town.values().enumerate() {
        let core = members
            .iter()
            .copied()
            .max_by(|&a, &b| {
                inst.schools[a]
                    .quality
                    .total_cmp(&inst.schools[b].quality)
                    .then(b.cmp(&a))
            })
            .expect("non-empty");
        for &m in members {
            rows.push(GroupRow {
                track: "compulsory".into(),
                group: format!("compulsory-{}", k + 1),
                school: inst.schools[m].id.clone(),
                role: if m == core { Role::Core } else { Role::Member },
            });
        }
    }
    let grouping = Grouping::from_rows(&inst, &rows).expect("groups resolve");
    (inst, grouping)
}

fn bench(c: &mut Criterion) {
    let options = MipOptions {
        time_limit_s: 60.0,
        threads: 1,
    };
    let (inst, grouping, policy) = hezhang();
    c.bench_function("pairing/hezhang/build", |b| {
        b.iter(|| {
            let p = PairingProblem::new(&inst, &grouping, &policy.pairing);
            model::build(&p)
        })
    });
    let p = PairingProblem::new(&inst, &grouping, &policy.pairing);
    c.bench_function("pairing/hezhang/solve", |b| {
        b.iter(|| pairing::pair(&p, &options).expect("solve"))
    });

    let (inst, grouping) = scale(1200);
    let school_level = PairingPolicy {
        level: PairingLevel::School,
        ..PairingPolicy::default()
    };
    c.bench_function("pairing/scale-1200-school/build", |b| {
        b.iter(|| {
            let p = PairingProblem::new(&inst, &grouping, &school_level);
            model::build(&p)
        })
    });
    let p = PairingProblem::new(&inst, &grouping, &school_level);
    eprintln!(
        "scale-1200 school level: {} slots, {} helpers, {} candidate pairs",
        p.slots.len(),
        p.helpers.len(),
        p.candidates.len()
    );
    c.bench_function("pairing/scale-1200-school/solve", |b| {
        b.iter(|| pairing::pair(&p, &options).expect("solve"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
