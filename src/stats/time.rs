//! Affordability times in bins of [`TIME_BIN_YEARS`].

use super::{TIME_BIN_YEARS, quantile_rank};

/// Histogram of affordability times on `[origin, end]`, plus the atoms `τ = origin` and `τ = ∞`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimeHistogram {
    #[serde(with = "crate::exact")]
    origin: f64,
    at_origin: u64,
    #[serde(with = "crate::exact::sparse")]
    bins: Vec<u64>,
    never: u64,
    #[serde(with = "crate::exact")]
    min: f64,
    #[serde(with = "crate::exact")]
    max: f64,
}

impl TimeHistogram {
    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.bins[..])
    }

    /// An empty histogram for times from `origin` (when the target exists) to `end`.
    pub fn new(origin: f64, end: f64) -> Self {
        let n = (((end - origin) / TIME_BIN_YEARS).ceil() as usize).max(1);
        Self {
            origin,
            at_origin: 0,
            bins: vec![0; n],
            never: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Counts one time (`+∞` for "not by the horizon").
    #[inline]
    pub fn insert(&mut self, tau: f64) {
        if tau == f64::INFINITY {
            self.never += 1;
        } else if tau <= self.origin {
            self.at_origin += 1;
        } else {
            let (x, last) = ((tau - self.origin) / TIME_BIN_YEARS, self.bins.len() - 1);
            // `x > 0` (or NaN, which `as` takes to bin 0): a signed conversion gives the bin an
            // unsigned one would, and costs less.
            let i = (x as i64).min(last as i64) as usize;
            self.bins[i] += 1;
            // Comparisons, not `f64::min`/`max`: a NaN is ignored either way, and these are cheaper.
            if tau < self.min {
                self.min = tau;
            }
            if tau > self.max {
                self.max = tau;
            }
        }
    }

    /// Adds another histogram of the same shape.
    pub fn merge(&mut self, other: &Self) {
        debug_assert_eq!(self.bins.len(), other.bins.len());
        self.at_origin += other.at_origin;
        self.never += other.never;
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            *a += b;
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of samples counted.
    pub fn count(&self) -> u64 {
        self.at_origin + self.never + self.bins.iter().sum::<u64>()
    }

    /// Number of samples never affordable by the horizon.
    pub fn never(&self) -> u64 {
        self.never
    }

    /// The mid-rank of `tau` among the counted times, as a fraction in [0, 1]: the share below it
    /// plus half the share tied with it (all "affordable at once" are tied, as are all "never",
    /// which rank last). Within a bin, times are taken as spread evenly.
    pub fn mid_rank(&self, tau: f64) -> f64 {
        let n = self.count() as f64;
        if n == 0.0 {
            return 0.5;
        }
        let finite = n - self.never as f64;
        if tau == f64::INFINITY {
            return (finite + 0.5 * self.never as f64) / n;
        }
        if tau <= self.origin {
            return 0.5 * self.at_origin as f64 / n;
        }
        let x = (tau - self.origin) / TIME_BIN_YEARS;
        let i = (x as usize).min(self.bins.len() - 1);
        let below: u64 = self.at_origin + self.bins[..i].iter().sum::<u64>();
        let within = (x - i as f64).clamp(0.0, 1.0);
        (below as f64 + within * self.bins[i] as f64) / n
    }

    /// The `p` quantile; `None` when it falls at "not by the horizon" (or there are no samples).
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let k = quantile_rank(p, n);
        let mut seen = self.at_origin;
        if k <= seen {
            return Some(self.origin);
        }
        for (i, &c) in self.bins.iter().enumerate() {
            seen += c;
            if k <= seen {
                let mid = self.origin + (i as f64 + 0.5) * TIME_BIN_YEARS;
                return Some(mid.clamp(self.min, self.max));
            }
        }
        None
    }
}

/// True when two lists of time histograms have the same shapes (origins and bins), as the
/// tallies of one scenario do.
pub fn same_shapes(a: &[TimeHistogram], b: &[TimeHistogram]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.origin.to_bits() == y.origin.to_bits() && x.bins.len() == y.bins.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::{PS, exact_quantile};
    use rand::{RngExt, SeedableRng};

    #[test]
    fn time_quantiles_within_half_a_bin_of_the_exact_ones() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(1);
        let mut h = TimeHistogram::new(2025.0, 2060.0);
        let mut finite = vec![];
        for i in 0..20_000 {
            let tau = match i % 10 {
                0 => 2025.0,        // affordable at once
                1 => f64::INFINITY, // never
                _ => 2025.0 + 35.0 * rng.random::<f64>().powi(2),
            };
            h.insert(tau);
            finite.push(tau);
        }
        finite.sort_by(f64::total_cmp);
        for p in PS {
            let exact = exact_quantile(&finite, p);
            match h.quantile(p) {
                Some(q) => assert!(
                    (q - exact).abs() <= TIME_BIN_YEARS / 2.0 + 1e-9,
                    "p={p}: {q} vs {exact}"
                ),
                None => assert_eq!(exact, f64::INFINITY, "p={p}"),
            }
        }
        // The atoms are exact: the 5th percentile is "at once", the 95th is "never".
        assert_eq!(h.quantile(0.05), Some(2025.0));
        assert_eq!(h.quantile(0.95), None);
        assert_eq!(h.never(), 2_000);
    }

    #[test]
    fn mid_ranks_average_ties_and_put_never_last() {
        let mut h = TimeHistogram::new(2025.0, 2060.0);
        for tau in [
            2025.0,
            2025.0,
            2030.005,
            2040.005,
            f64::INFINITY,
            f64::INFINITY,
        ] {
            h.insert(tau);
        }
        assert_eq!(h.mid_rank(2025.0), 1.0 / 6.0); // ranks 1 and 2 → 1.5 of 6 → (1.5 − 0.5)/6
        assert_eq!(h.mid_rank(f64::INFINITY), 5.0 / 6.0);
        assert!((h.mid_rank(2030.005) - 2.5 / 6.0).abs() < 1e-9);
        assert!(
            h.mid_rank(2035.0) > h.mid_rank(2030.005) && h.mid_rank(2035.0) < h.mid_rank(2040.005)
        );
    }
}
