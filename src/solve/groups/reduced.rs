//! A reduced core for tracks whose full model is too large for HiGHS: the cores the
//! Lagrangian relaxation ranks best (and the incumbent's), each unit joined only to its
//! nearest such cores (and its incumbent core). HiGHS improves the incumbent on that model.
//! Its optimum is the optimum of a restriction, not of the track: what it proves is not
//! reported as the track's bound, and the track's status stays `feasible`.

use super::model::Allowed;
use super::near::Near;
use super::problem::TrackProblem;

/// The restricted model's cores and pairs: the `keep` best-ranked cores plus the incumbent's,
/// and for every unit its `nearest` closest kept cores plus its incumbent core.
pub fn allowed(
    p: &TrackProblem,
    near: &Near,
    ranked: &[usize],
    inc: &[usize],
    keep: usize,
    nearest: usize,
) -> Allowed {
    let nc = p.cores.len();
    let nu = p.units.len();
    let mut core = vec![false; nc];
    for &c in ranked.iter().take(keep).chain(inc.iter()) {
        core[c] = near.fits[c];
    }
    let mut pair = vec![vec![false; nc]; nu];
    for u in 0..nu {
        let mut taken = 0;
        for &c in &near.by_unit[u] {
            let c = c as usize;
            if taken >= nearest {
                break;
            }
            if core[c] && p.cores[c].home != u {
                pair[u][c] = true;
                taken += 1;
            }
        }
        if taken < nearest && !near.unit_complete[u] {
            let mut rest: Vec<usize> = (0..nc)
                .filter(|&c| core[c] && p.cores[c].home != u && p.pair_fits(u, c))
                .collect();
            rest.sort_by(|&a, &b| p.cost[u][a].total_cmp(&p.cost[u][b]).then(a.cmp(&b)));
            for c in rest.into_iter().take(nearest) {
                pair[u][c] = true;
            }
        }
        let c = inc[u];
        if p.cores[c].home != u {
            pair[u][c] = true;
        }
    }
    Allowed { core, pair }
}
