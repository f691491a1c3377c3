//! Times the `groups` model against the plain textbook CPMP model on the OR-Library pmedcap
//! and SJC benchmarks in `tests/data/`, and prints a table.
//!
//! `cargo run --release --example cpmp_table [-- FILTER [--no-plain] [--no-groups] [--no-cuts]
//! [--threads N]]`: with `--no-plain` and `--no-groups` in two processes side by side (one
//! thread each), both models run in the same conditions in half the time.

use std::time::Instant;

use rotaplan::solve::groups::cpmp::{Benchmark, read_optima, read_pmedcap, read_sjc, solve_plain};
use rotaplan::solve::groups::{Tuning, solve_track};
use rotaplan::solve::mip::MipOptions;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--threads"))
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_default();
    let plain = !args.iter().any(|a| a == "--no-plain");
    let groups = !args.iter().any(|a| a == "--no-groups");
    let threads: u32 = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let tuning = Tuning {
        cuts: !args.iter().any(|a| a == "--no-cuts"),
        ..Tuning::default()
    };
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut benches: Vec<(Benchmark, f64)> = Vec::new();
    let pm_opt = read_optima(&std::fs::read_to_string(data.join("pmedcap1.optimal.csv"))?);
    for b in read_pmedcap(&std::fs::read_to_string(data.join("pmedcap1.txt"))?)? {
        let opt = pm_opt[&b.name];
        benches.push((b, opt));
    }
    let sjc_opt = read_optima(&std::fs::read_to_string(data.join("sjc/sjc.optimal.csv"))?);
    for name in ["SJC1", "SJC2", "SJC3a", "SJC3b", "SJC4a", "SJC4b"] {
        let text = std::fs::read_to_string(data.join(format!("sjc/{name}.dat")))?;
        benches.push((read_sjc(name, &text)?, sjc_opt[name]));
    }
    let options = MipOptions {
        time_limit_s: 600.0,
        threads,
    };
    println!(
        "| instance | n | p | optimum | groups obj | status | groups s | plain obj | plain s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let (mut tg, mut tp) = (0.0, 0.0);
    for (b, opt) in benches.iter().filter(|(b, _)| b.name.contains(&filter)) {
        let inst = b.instance();
        let (go, gstatus, gs) = if groups {
            let t = Instant::now();
            let r = solve_track(&inst, &b.track(), &options, tuning)?;
            let s = t.elapsed().as_secs_f64();
            tg += s;
            let ok = if (r.objective - opt).abs() <= 0.01 {
                ""
            } else {
                " MISMATCH"
            };
            (
                format!("{:.2}{ok}", r.objective),
                r.status.as_str().to_string(),
                format!("{s:.2}"),
            )
        } else {
            ("-".into(), "-".into(), "-".into())
        };
        let (po, ps) = if plain {
            let t = Instant::now();
            let r = solve_plain(b, &options)?;
            let s = t.elapsed().as_secs_f64();
            tp += s;
            (format!("{:.2}", r.objective), format!("{s:.2}"))
        } else {
            ("-".into(), "-".into())
        };
        println!(
            "| {} | {} | {} | {opt} | {go} | {gstatus} | {gs} | {po} | {ps} |",
            b.name,
            b.n(),
            b.p,
        );
    }
    println!("| total | | | | | | {tg:.1} | | {tp:.1} |");
    Ok(())
}
