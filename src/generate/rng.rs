//! Random helpers. Only ChaCha8 and plain arithmetic (no trig or logarithms), so the same seed gives
//! the same bytes on every platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One independent stream per phase, so that changing how one phase draws numbers does not
/// reshuffle what the others produce.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Geography = 1,
    Schools = 2,
    Teachers = 3,
    Exchanges = 4,
}

pub(crate) fn stream(seed: u64, which: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(which as u64);
    rng
}

pub(crate) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.r#gen::<f64>() < p
}

pub(crate) fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.r#gen::<f64>()
}

pub(crate) fn int(rng: &mut ChaCha8Rng, lo: u32, hi_inclusive: u32) -> u32 {
    if hi_inclusive <= lo {
        return lo;
    }
    rng.gen_range(lo..=hi_inclusive)
}

/// Approximately standard normal (Irwin–Hall with 4 terms), bounded to about ±3.5.
pub(crate) fn normalish(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.r#gen::<f64>()).sum();
    (s - 2.0) * 3.0_f64.sqrt()
}

/// Rounds up with probability equal to the fractional part, so small expected counts are unbiased.
pub(crate) fn stochastic_round(rng: &mut ChaCha8Rng, x: f64) -> u32 {
    if x <= 0.0 {
        return 0;
    }
    let floor = x.floor();
    let extra = u32::from(rng.r#gen::<f64>() < x - floor);
    floor as u32 + extra
}

/// Picks an item by weight; the weights need not sum to 1. Falls back to the last item.
pub(crate) fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> Option<T> {
    let total: f64 = items.iter().map(|(_, w)| w.max(0.0)).sum();
    let last = items.last()?.0;
    if total <= 0.0 {
        return Some(last);
    }
    let mut r = rng.r#gen::<f64>() * total;
    for (item, w) in items {
        let w = w.max(0.0);
        if r < w {
            return Some(*item);
        }
        r -= w;
    }
    Some(last)
}

pub(crate) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.gen_range(0..items.len()))
    }
}

/// Fisher–Yates, written out so the draw sequence is fixed by this file and not by a library version.
pub(crate) fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.gen_range(0..=i);
        items.swap(i, j);
    }
}
