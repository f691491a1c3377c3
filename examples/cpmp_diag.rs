//! Diagnostics of the Lagrangian heuristic on one SJC-format file: bound, incumbent, and the
//! uncapacitated assignment cost of the incumbent's cores.
use rotaplan::solve::groups::cpmp::read_sjc;
use rotaplan::solve::groups::incumbent::Deadline;
use rotaplan::solve::groups::lagrangian::{Search, search};
use rotaplan::solve::groups::near::Near;
use rotaplan::solve::groups::repair;
use rotaplan::solve::groups::track_problem;
fn main() {
    let path = std::env::args().nth(1).expect("a .dat path");
    let b = read_sjc("x", &std::fs::read_to_string(&path).unwrap()).unwrap();
    let inst = b.instance();
    let p = track_problem(&inst, &b.track());
    let t = std::time::Instant::now();
    let near = Near::new(&p);
    println!("near {:.2}s", t.elapsed().as_secs_f64());
    let l = search(
        &p,
        &near,
        None,
        &Search {
            max_iter: usize::MAX,
            deadline: Deadline(None),
            repair_every: Some(10),
        },
    )
    .unwrap();
    println!(
        "bound {} iters {} {:.2}s best {:?}",
        l.bound,
        l.iterations,
        t.elapsed().as_secs_f64(),
        l.best.as_ref().map(|b| b.0)
    );
    let a = l.best.unwrap().1;
    let unc = |a: &[usize]| -> f64 {
        let open: Vec<usize> = p.groups(a).into_iter().map(|(c, _)| c).collect();
        (0..p.units.len())
            .map(|u| {
                open.iter()
                    .map(|&c| p.cost[u][c])
                    .fold(f64::INFINITY, f64::min)
            })
            .sum()
    };
    println!(
        "incumbent {} uncapacitated same cores {}",
        p.objective(&a),
        unc(&a)
    );
    let b2 = repair::improve(&p, &near, &a, Deadline(None)).unwrap();
    println!(
        "improved {} uncapacitated {} {:.2}s",
        p.objective(&b2),
        unc(&b2),
        t.elapsed().as_secs_f64()
    );
    let c = rotaplan::solve::groups::neighbourhood::improve(
        &p,
        &near,
        &b2,
        &rotaplan::solve::mip::MipOptions {
            time_limit_s: 600.0,
            threads: 1,
        },
        std::time::Instant::now()
            + std::time::Duration::from_secs_f64(
                std::env::var("LNS_S")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(120.0),
            ),
    )
    .unwrap();
    println!(
        "lns {} feasible {} {:.2}s",
        p.objective(&c),
        p.is_feasible(&c),
        t.elapsed().as_secs_f64()
    );
}
