//! Neighbour lists of a track: for every core, every unit that may join it, nearest first;
//! for every unit, its nearest cores. Large tracks (thousands of units) are only tractable
//! when each step looks at the few units or cores that matter, and the full per-core lists
//! keep that exact: a scan may stop at the first unit too far to matter.

use rayon::prelude::*;

use super::problem::TrackProblem;

/// Cores kept per unit (the nearest ones); a search needing more falls back to a full scan.
const UNIT_NEAREST: usize = 96;

#[derive(Debug, Clone)]
pub struct Near {
    /// Per core: the units other than its own that pairwise fit it, by cost then index.
    /// Empty for a core whose own unit alone is too big.
    pub by_core: Vec<Vec<u32>>,
    /// Per unit: its nearest fitting cores (its own included), by cost then index.
    pub by_unit: Vec<Vec<u32>>,
    /// Whether `by_unit[u]` holds every fitting core.
    pub unit_complete: Vec<bool>,
    /// Per unit: the cores whose own unit it is.
    pub homed: Vec<Vec<usize>>,
    pub fits: Vec<bool>,
}

impl Near {
    pub fn new(p: &TrackProblem) -> Near {
        let nc = p.cores.len();
        let nu = p.units.len();
        let fits: Vec<bool> = (0..nc).map(|c| p.core_fits(c)).collect();
        let by_core: Vec<Vec<u32>> = (0..nc)
            .into_par_iter()
            .map(|c| {
                if !fits[c] {
                    return Vec::new();
                }
                let home = p.cores[c].home;
                let mut us: Vec<u32> = (0..nu)
                    .filter(|&u| u != home && p.pair_fits(u, c))
                    .map(|u| u as u32)
                    .collect();
                us.sort_by(|&a, &b| {
                    p.cost[a as usize][c]
                        .total_cmp(&p.cost[b as usize][c])
                        .then(a.cmp(&b))
                });
                us
            })
            .collect();
        let keep = UNIT_NEAREST.min(nc);
        let by_unit: Vec<Vec<u32>> = (0..nu)
            .into_par_iter()
            .map(|u| {
                let row = &p.cost[u];
                let mut cs: Vec<u32> = (0..nc)
                    .filter(|&c| fits[c] && (p.cores[c].home == u || p.pair_fits(u, c)))
                    .map(|c| c as u32)
                    .collect();
                let order =
                    |a: &u32, b: &u32| row[*a as usize].total_cmp(&row[*b as usize]).then(a.cmp(b));
                if cs.len() > keep {
                    cs.select_nth_unstable_by(keep - 1, order);
                    cs.truncate(keep);
                }
                cs.sort_by(order);
                cs
            })
            .collect();
        let unit_complete = (0..nu)
            .map(|u| {
                by_unit[u].len()
                    == (0..nc)
                        .filter(|&c| fits[c] && (p.cores[c].home == u || p.pair_fits(u, c)))
                        .count()
            })
            .collect();
        let mut homed = vec![Vec::new(); nu];
        for (c, core) in p.cores.iter().enumerate() {
            if fits[c] {
                homed[core.home].push(c);
            }
        }
        Near {
            by_core,
            by_unit,
            unit_complete,
            homed,
            fits,
        }
    }
}
