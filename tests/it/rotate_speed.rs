//! Timings for the report, not assertions on speed: `cargo test --release --test it rotate_speed --
//! --ignored --nocapture`. The criterion bench (`benches/rotate.rs`) is the real measure.

use std::path::Path;
use std::time::Instant;

use rotaplan::domain::Policy;
use rotaplan::domain::grouping::Grouping;
use rotaplan::solve::mip::MipOptions;
use rotaplan::solve::moves::{plan_moves, plan_moves_per_teacher};

#[test]
#[ignore]
fn hezhang_aggregated_versus_per_teacher() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hezhang");
    let inst = rotaplan::io::read_instance(&dir).expect("instance");
    let text = std::fs::read_to_string(dir.join("policy.toml")).expect("policy");
    let policy = Policy::parse(&text, "policy.toml").expect("policy");
    let plan = tempfile::tempdir().expect("tmp");
    std::fs::copy(dir.join("groups_seed.csv"), plan.path().join("groups.csv")).expect("copy");
    std::fs::copy(
        dir.join("baseline_pairings.csv"),
        plan.path().join("pairings.csv"),
    )
    .expect("copy");
    let groups = rotaplan::io::plan_files::read_groups(plan.path()).expect("groups");
    let grouping = Grouping::from_rows(&inst, &groups).expect("grouping");
    let pairings = rotaplan::io::plan_files::read_pairings(plan.path()).expect("pairings");
    let options = MipOptions {
        time_limit_s: 600.0,
        threads: 0,
    };
    for (name, per_teacher) in [("aggregated", false), ("per_teacher", true)] {
        let t = Instant::now();
        let out = if per_teacher {
            plan_moves_per_teacher(&inst, &policy, &grouping, &pairings, &options)
        } else {
            plan_moves(&inst, &policy, &grouping, &pairings, &options)
        }
        .expect("solve");
        let obj: Vec<f64> = out.levels.iter().map(|l| l.objective).collect();
        eprintln!(
            "{name}: {:.1} s, {} classes, {} arcs, status {}, objective {obj:?}",
            t.elapsed().as_secs_f64(),
            out.classes,
            out.arcs,
            out.status.as_str()
        );
    }
}
