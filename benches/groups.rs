//! `groups` on the 20 OR-Library pmedcap instances, the 6 SJC instances, hezhang, a
//! `scale` county at 4× hezhang's size, and 250-school counties in school mode. Not run in CI:
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

/// The school-mode policy of issue 10: one compulsory track of `count` groups of at most
/// `max_schools` schools.
fn school_mode_policy(count: usize, max_schools: usize) -> rotaplan::domain::Policy {
    let text = format!(
        "plan_year = 2026\n[[track]]\nname = \"compulsory\"\n\
         stages = [\"kindergarten\", \"primary\", \"middle\", \"nine_year\"]\n\
         mode = \"schools\"\ncount = {count}\nmax_schools = {max_schools}\n"
    );
    rotaplan::domain::Policy::parse(&text, "policy.toml").expect("policy")
}

/// 250-school `scale` counties in school mode (about 230 compulsory schools): 14 groups of
/// at most 19, and 40 groups of at most 6 (almost no slack). Target: proven optimal in
/// 60 s each.
fn school_mode(c: &mut Criterion) {
    let mut g = c.benchmark_group("groups-school-mode");
    g.sample_size(10);
    for seed in 1..=3 {
        let tmp = tempfile::tempdir().expect("tempdir");
        generate(&Profile::Scale { schools: 250 }, seed, tmp.path()).expect("generate");
        let inst = rotaplan::io::read_instance(tmp.path()).expect("scale instance");
        for (count, cap) in [(14, 19), (40, 6)] {
            let policy = school_mode_policy(count, cap);
            g.bench_function(format!("scale-250-seed{seed}-max{cap}"), |b| {
                b.iter(|| form_groups(&inst, &policy, &options()).expect("groups"))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, cpmp, counties, school_mode);
criterion_main!(benches);
