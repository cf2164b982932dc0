/*!
Streaming, mergeable statistics with bounded memory.

Two histograms hold everything a run reports. Both count samples in integer bins, so merging is
exact, associative and commutative: the merged result is the same whatever the thread count and
whatever order the partial results arrive in, which is what makes outputs byte-identical across
thread counts. Their memory depends on the range of the values, never on the sample count.

- [`TimeHistogram`]: affordability times, in bins of [`TIME_BIN_YEARS`], with the atom "affordable
  at once" and "not by the horizon" counted exactly. A quantile is off by at most half a bin.
- [`LogHistogram`]: positive quantities (costs, budgets, FLOP per dollar) binned by their natural
  log in bins of [`LOG_BIN_WIDTH`]; a quantile is off by at most a factor `exp(width / 2)`.

Quantiles follow the inverted-CDF rule: the `k`-th smallest value with `k = ⌈pN⌉`.
*/

mod log;
mod prefetch;
mod spill;
mod time;
mod years;

pub use log::{Formula, LOG_WINDOW_BINS, Lane, LnColumns, LogHistogram};
pub use time::{Strided, TimeHistogram, same_shapes};
pub use years::{YearCounts, YearIndex, YearTable, same_lengths};

/// Width of an affordability-time bin, in years: quantile error at most 0.005 years.
pub const TIME_BIN_YEARS: f64 = 0.01;

/// Width of a log-value bin, in natural-log units: quantile error at most
/// `exp(0.004) − 1 ≈ 0.40%` relative.
pub const LOG_BIN_WIDTH: f64 = 0.008;

/// Largest |ln x| a [`LogHistogram`] bins: the range of finite `f64` values.
pub const MAX_LN: f64 = 710.0;

/// The rank (1-based) of the `p` quantile among `n` samples: `⌈pN⌉`, at least 1.
pub fn quantile_rank(p: f64, n: u64) -> u64 {
    ((p * n as f64).ceil() as u64).clamp(1, n.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    pub(super) fn exact_quantile(sorted: &[f64], p: f64) -> f64 {
        sorted[quantile_rank(p, sorted.len() as u64) as usize - 1]
    }

    pub(super) const PS: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    #[test]
    fn merging_in_any_split_and_order_gives_identical_histograms() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(3);
        let values: Vec<f64> = (0..5_000)
            .map(|_| 40.0 * rng.random::<f64>() - 20.0)
            .collect();
        let build = |vs: &[f64]| {
            let mut l = LogHistogram::default();
            let mut t = TimeHistogram::new(2025.0, 2060.0);
            for v in vs {
                l.insert_ln(*v);
                t.insert(2025.0 + v.abs());
            }
            (l, t)
        };
        let (whole_l, whole_t) = build(&values);
        for split in [1, 777, 2_500, 4_999] {
            let (mut l, mut t) = build(&values[split..]);
            let (l2, t2) = build(&values[..split]);
            l.merge(&l2);
            t.merge(&t2);
            for p in PS {
                assert_eq!(l.quantile_ln(p), whole_l.quantile_ln(p));
                assert_eq!(t.quantile(p), whole_t.quantile(p));
            }
            assert_eq!(l.count(), whole_l.count());
        }
    }
}
