//! Affordability times in bins of [`TIME_BIN_YEARS`].

use super::{TIME_BIN_YEARS, quantile_rank, spill};

/// Histogram of affordability times on `[origin, end]`, plus the atoms `τ = origin` and `τ = ∞`.
///
/// Bins count in 16 bits and are spilled into 64-bit ones before any could overflow: a long
/// horizon has many bins (10,000 for a century), and at 2 bytes a bin four times as many of them
/// stay in cache as at 8 (a run feeds every target × class pair's histogram a batch at a time).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "SavedTimes", into = "SavedTimes")]
pub struct TimeHistogram {
    origin: f64,
    at_origin: u64,
    /// Counts since the last spill into `wide`.
    bins: Vec<u16>,
    /// Spilled counts, bin for bin (empty until the first spill).
    wide: Vec<u64>,
    /// Times counted in `bins` since the last spill: no bin can exceed it.
    unspilled: u64,
    never: u64,
    min: f64,
    max: f64,
}

/// How many of a batch of times [`TimeHistogram::insert_all`] counted exactly at the origin and
/// at `+∞` without giving them to its callback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Atoms {
    pub at_origin: u64,
    pub never: u64,
}

impl Atoms {
    /// Counts `tau` if it is an atom, else gives it to `each`.
    #[inline(always)]
    fn sort(
        &mut self,
        tau: f64,
        origin: f64,
        bin: Option<usize>,
        each: impl FnOnce(f64, Option<usize>),
    ) {
        if tau == origin {
            self.at_origin += 1;
        } else if tau == f64::INFINITY {
            self.never += 1;
        } else {
            each(tau, bin);
        }
    }
}

/// Times counted in 16-bit bins before they are spilled.
const SPILL_AT: u64 = u16::MAX as u64;

/// A [`TimeHistogram`] as written to a file: one 64-bit count a bin.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedTimes {
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

impl From<SavedTimes> for TimeHistogram {
    fn from(s: SavedTimes) -> Self {
        Self {
            origin: s.origin,
            at_origin: s.at_origin,
            bins: vec![0; s.bins.len()],
            wide: s.bins,
            unspilled: 0,
            never: s.never,
            min: s.min,
            max: s.max,
        }
    }
}

impl From<TimeHistogram> for SavedTimes {
    fn from(h: TimeHistogram) -> Self {
        Self {
            bins: h.counts().collect(),
            origin: h.origin,
            at_origin: h.at_origin,
            never: h.never,
            min: h.min,
            max: h.max,
        }
    }
}

/// Equal when they hold the same counts, however those are split between the 16-bit bins and
/// the 64-bit ones.
impl PartialEq for TimeHistogram {
    fn eq(&self, other: &Self) -> bool {
        self.origin.to_bits() == other.origin.to_bits()
            && (self.at_origin, self.never) == (other.at_origin, other.never)
            && self.min.to_bits() == other.min.to_bits()
            && self.max.to_bits() == other.max.to_bits()
            && self.bins.len() == other.bins.len()
            && self.counts().eq(other.counts())
    }
}

impl TimeHistogram {
    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.bins[..]) + std::mem::size_of_val(&self.wide[..])
    }

    /// An empty histogram for times from `origin` (when the target exists) to `end`.
    pub fn new(origin: f64, end: f64) -> Self {
        let n = (((end - origin) / TIME_BIN_YEARS).ceil() as usize).max(1);
        Self {
            origin,
            at_origin: 0,
            bins: vec![0; n],
            wide: Vec::new(),
            unspilled: 0,
            never: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// The count of every bin.
    fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        spill::counts(&self.bins, &self.wide)
    }

    /// Moves the 16-bit counts into the 64-bit ones.
    fn spill(&mut self) {
        spill::spill(&mut self.bins, &mut self.wide);
        self.unspilled = 0;
    }

    /// Counts one time (`+∞` for "not by the horizon"). Returns the bin it was counted in,
    /// `None` for the atoms (`origin`, `+∞`).
    #[inline]
    pub fn insert(&mut self, tau: f64) -> Option<usize> {
        if self.unspilled == SPILL_AT {
            self.spill();
        }
        self.insert_unchecked(tau)
    }

    /// Counts a batch of times, as [`TimeHistogram::insert`] of each would. Gives each time
    /// with its bin to `each`, except the times exactly at the origin or at `+∞`, the atoms
    /// on which most pairs' times pile up: those it only counts, and returns how many.
    pub fn insert_all(
        &mut self,
        taus: impl ExactSizeIterator<Item = f64>,
        mut each: impl FnMut(f64, Option<usize>),
    ) -> Atoms {
        let n = taus.len() as u64;
        let mut atoms = Atoms::default();
        if n > SPILL_AT {
            for tau in taus {
                let bin = self.insert(tau);
                atoms.sort(tau, self.origin, bin, &mut each);
            }
            return atoms;
        }
        if self.unspilled + n > SPILL_AT {
            self.spill();
        }
        // The counters in registers, not in the histogram: each increment of a field would
        // wait on the one before it through memory.
        let (origin, last) = (self.origin, self.bins.len() - 1);
        let (mut at_or_below, mut inside) = (0, 0);
        let (mut min, mut max) = (self.min, self.max);
        let bins = &mut self.bins[..];
        for tau in taus {
            if tau == f64::INFINITY {
                atoms.never += 1;
            } else if tau <= origin {
                at_or_below += 1;
                atoms.sort(tau, origin, None, &mut each);
            } else {
                // As `insert_unchecked`.
                let x = (tau - origin) / TIME_BIN_YEARS;
                let i = (x as i64).min(last as i64) as usize;
                bins[i] += 1;
                inside += 1;
                if tau < min {
                    min = tau;
                }
                if tau > max {
                    max = tau;
                }
                each(tau, Some(i));
            }
        }
        self.at_origin += at_or_below;
        self.never += atoms.never;
        self.unspilled += inside;
        (self.min, self.max) = (min, max);
        atoms
    }

    /// Where the histogram starts, and its number of bins (each [`TIME_BIN_YEARS`] wide).
    pub(super) fn span(&self) -> (f64, usize) {
        (self.origin, self.bins.len())
    }

    /// [`TimeHistogram::insert`] with room in the 16-bit bins already made.
    #[inline(always)]
    fn insert_unchecked(&mut self, tau: f64) -> Option<usize> {
        if tau == f64::INFINITY {
            self.never += 1;
            None
        } else if tau <= self.origin {
            self.at_origin += 1;
            None
        } else {
            let (x, last) = ((tau - self.origin) / TIME_BIN_YEARS, self.bins.len() - 1);
            // `x > 0` (or NaN, which `as` takes to bin 0): a signed conversion gives the bin an
            // unsigned one would, and costs less.
            let i = (x as i64).min(last as i64) as usize;
            self.bins[i] += 1;
            self.unspilled += 1;
            // Comparisons, not `f64::min`/`max`: a NaN is ignored either way, and these are cheaper.
            if tau < self.min {
                self.min = tau;
            }
            if tau > self.max {
                self.max = tau;
            }
            Some(i)
        }
    }

    /// Adds another histogram of the same shape.
    pub fn merge(&mut self, other: &Self) {
        debug_assert_eq!(self.bins.len(), other.bins.len());
        self.at_origin += other.at_origin;
        self.never += other.never;
        self.wide.resize(self.bins.len(), 0);
        for (a, b) in self.wide.iter_mut().zip(other.counts()) {
            *a += b;
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of samples counted.
    pub fn count(&self) -> u64 {
        self.at_origin + self.never + self.counts().sum::<u64>()
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
        let below: u64 = self.at_origin + self.counts().take(i).sum::<u64>();
        let within = (x - i as f64).clamp(0.0, 1.0);
        let here = self.counts().nth(i).unwrap_or(0);
        (below as f64 + within * here as f64) / n
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
        for (i, c) in self.counts().enumerate() {
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

    /// Past 65,535 times the 16-bit bins spill into 64-bit ones: counts, batches, merges and a
    /// file's round trip agree with a plain count of every bin.
    #[test]
    fn spilled_counts_agree_with_a_plain_count() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(5);
        // Most times in a few bins, so that single bins pass 65,535 too.
        let taus: Vec<f64> = (0..300_000)
            .map(|i| match i % 10 {
                0 => f64::INFINITY,
                1 => 2025.0,
                2..=6 => 2030.003,
                _ => 2025.0 + 35.0 * rng.random::<f64>(),
            })
            .collect();
        let mut plain = vec![0u64; 3500];
        for &t in taus.iter().filter(|t| t.is_finite() && **t > 2025.0) {
            plain[(((t - 2025.0) / TIME_BIN_YEARS) as usize).min(3499)] += 1;
        }
        let (mut one, mut batched) = (
            TimeHistogram::new(2025.0, 2060.0),
            TimeHistogram::new(2025.0, 2060.0),
        );
        for &t in &taus {
            one.insert(t);
        }
        let mut merged = TimeHistogram::new(2025.0, 2060.0);
        for part in taus.chunks(70_000) {
            let mut h = TimeHistogram::new(2025.0, 2060.0);
            for chunk in part.chunks(1024) {
                batched.insert_all(chunk.iter().copied(), |_, _| {});
                h.insert_all(chunk.iter().copied(), |_, _| {});
            }
            merged.merge(&h);
        }
        assert!(
            !one.wide.is_empty() && !batched.wide.is_empty(),
            "the test spills"
        );
        assert!(plain[500] > u64::from(u16::MAX));
        let saved = serde_json::to_string(&one).unwrap();
        let read: TimeHistogram = serde_json::from_str(&saved).unwrap();
        for h in [&one, &batched, &merged, &read] {
            assert_eq!(h.counts().collect::<Vec<_>>(), plain);
            assert_eq!(
                (h.never(), h.at_origin, h.count()),
                (30_000, 30_000, 300_000)
            );
            assert_eq!(h, &one);
            for p in PS {
                assert_eq!(h.quantile(p), one.quantile(p));
            }
        }
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
