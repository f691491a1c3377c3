//! `groups` on the 20 OR-Library pmedcap instances, the 6 SJC instances, hezhang, and a
//! `scale` county at 4× hezhang's size. Not run in CI:
//! `cargo bench --bench groups -- --sample-size 10 [FILTER]`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rotaplan::generate::{Profile, generate};
use rotaplan::solve::groups::cpmp::{read_pmedcap, read_sjc};
use rotaplan::solve::groups::{Tuning, form_groups, solve_track};
use rotaplan::solve::mip::MipOptions;

fn options() -> MipOptions {
    MipOptions {
        time_limit_s: 600.0,
        threads: 0,
    }
}

fn cpmp(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut benches =
        read_pmedcap(&std::fs::read_to_string(data.join("pmedcap1.txt")).expect("pmedcap1.txt"))
            .expect("parse pmedcap");
    for name in ["SJC1", "SJC2", "SJC3a", "SJC3b", "SJC4a", "SJC4b"] {
        let text = std::fs::read_to_string(data.join(format!("sjc/{name}.dat"))).expect("sjc");
        benches.push(read_sjc(name, &text).expect("parse sjc"));
    }
    let mut g = c.benchmark_group("groups-cpmp");
    g.sample_size(10);
    for b in &benches {
        let inst = b.instance();
        let track = b.track();
        g.bench_function(&b.name, |bench| {
            bench.iter(|| solve_track(&inst, &track, &options(), Tuning::default()).expect("solve"))
        });
    }
    g.finish();
}

fn counties(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hezhang = root.join("instances/hezhang");
    let inst = rotaplan::io::read_instance(&hezhang).expect("hezhang");
    let text = std::fs::read_to_string(hezhang.join("policy.toml")).expect("policy");
    let policy = rotaplan::domain::Policy::parse(&text, "policy.toml").expect("policy");
    let mut g = c.benchmark_group("groups-county");
    g.sample_size(10);
    g.bench_function("hezhang", |b| {
        b.iter(|| form_groups(&inst, &policy, &options()).expect("groups"))
    });
    let tmp = tempfile::tempdir().expect("tempdir");
    let schools = 4 * inst.schools.len();
    generate(&Profile::Scale { schools }, 2026, tmp.path()).expect("generate");
    let big = rotaplan::io::read_instance(tmp.path()).expect("scale instance");
    let text = std::fs::read_to_string(tmp.path().join("policy.toml")).expect("policy");
    let big_policy = rotaplan::domain::Policy::parse(&text, "policy.toml").expect("policy");
    g.bench_function(format!("scale-{schools}"), |b| {
        b.iter(|| form_groups(&big, &big_policy, &options()).expect("groups"))
    });
    g.finish();
}

criterion_group!(benches, cpmp, counties);
criterion_main!(benches);
