//! Prints the heuristic incumbent, LP bound and pairs kept after reduced-cost fixing.
use rotaplan::solve::groups::cpmp::{read_pmedcap, read_sjc};
use rotaplan::solve::groups::{Tuning, solve, track_problem};
use rotaplan::solve::mip::MipOptions;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut bs =
        read_pmedcap(&std::fs::read_to_string(data.join("pmedcap1.txt")).unwrap()).unwrap();
    for n in ["SJC1", "SJC2", "SJC3a", "SJC3b", "SJC4a", "SJC4b"] {
        bs.push(
            read_sjc(
                n,
                &std::fs::read_to_string(data.join(format!("sjc/{n}.dat"))).unwrap(),
            )
            .unwrap(),
        );
    }
    for b in bs.iter().filter(|b| args.iter().any(|a| &b.name == a)) {
        let inst = b.instance();
        let p = track_problem(&inst, &b.track());
        let t = std::time::Instant::now();
        let inc = rotaplan::solve::groups::incumbent::find(&p);
        let hs = t.elapsed().as_secs_f64();
        let r = solve::solve(
            &p,
            &MipOptions {
                time_limit_s: 600.0,
                threads: 0,
            },
            Tuning::default(),
        )
        .unwrap();
        println!(
            "{} heur {:?} ({hs:.2}s) lp {:?} kept {:?} obj {} {:?} {:.2}s",
            b.name,
            inc.map(|a| p.objective(&a)),
            r.lp_bound,
            r.pairs_kept,
            r.objective,
            r.status,
            r.seconds
        );
    }
}
