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
    // Any argument that is a `.dat` path is read as an SJC-format file (e.g. p3038).
    for a in args.iter().filter(|a| a.ends_with(".dat")) {
        let name = std::path::Path::new(a)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        bs.push(read_sjc(&name, &std::fs::read_to_string(a).unwrap()).unwrap());
    }
    let limit: f64 = std::env::var("CPMP_TIME_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120.0);
    for b in bs.iter().filter(|b| {
        args.iter()
            .any(|a| &b.name == a || a.ends_with(&format!("{}.dat", b.name)))
    }) {
        let inst = b.instance();
        let p = track_problem(&inst, &b.track());
        let (inc_value, hs) = if b.n() <= 1000 {
            let t = std::time::Instant::now();
            let inc = rotaplan::solve::groups::incumbent::find(&p);
            let inc_value = inc.as_ref().map(|a| p.objective(a));
            let hs = t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            let lag = rotaplan::solve::groups::lagrangian::bound(&p, inc_value, 300, None);
            println!(
                "{} lagrangian {:?} ({} steps, {:.2}s)",
                b.name,
                lag.as_ref().map(|l| l.bound),
                lag.as_ref().map_or(0, |l| l.iterations),
                t.elapsed().as_secs_f64()
            );
            (inc_value, hs)
        } else {
            (None, 0.0)
        };
        let r = solve::solve(
            &p,
            &MipOptions {
                time_limit_s: limit,
                threads: 0,
            },
            Tuning::default(),
        )
        .unwrap();
        println!(
            "{} heur {:?} ({hs:.2}s) warm {:?} lp {:?} kept {:?} obj {} bound {} gap {:.4} {:?} {:.2}s",
            b.name,
            inc_value,
            r.incumbent,
            r.lp_bound,
            r.pairs_kept,
            r.objective,
            r.bound,
            r.gap,
            r.status,
            r.seconds
        );
    }
}
