//! Positive quantities binned by their natural log.

mod batch;
mod ln_columns;
mod simd;

use super::spill::{self, SPILL_AT, WideBins};
use super::{LOG_BIN_WIDTH, MAX_LN, quantile_rank};
use batch::bin_of;
pub use ln_columns::{Formula, Lane, LnColumns};

/// Histogram of a positive quantity by its natural log, with a range that grows as needed up
/// to [`LOG_WINDOW_BINS`] bins below the largest value seen. Values further below are counted
/// together as "collapsed" (a quantile that falls among them is reported at the window's lower
/// edge). The window depends only on the largest value, so the result is the same whatever the
/// insertion order or split: merging stays exact.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    /// Bin index (`⌊ln x / width⌋`) of `bins[0]`.
    offset: i64,
    /// Counts in 16 bits: 2 bytes a bin keep twice as many bins in cache as 4 would, and a
    /// run's value histograms mostly outgrow the cache (a tenth less time at bench-v1).
    #[serde(with = "crate::exact::sparse")]
    bins: Vec<u16>,
    /// Counts moved out of `bins` before they could overflow, for the few bins that grow that
    /// large (the whole count of a bin is its 16-bit count plus its count here).
    wide: WideBins,
    /// Values counted in `bins` since the last spill. A spill leaves every bin at most
    /// `spill_at`, so while this stays at most `spill_at` no bin exceeds `2 · spill_at`.
    unspilled: u64,
    /// [`SPILL_AT`], lower in tests so that spilling is exercised.
    #[serde(skip, default = "spill_at")]
    spill_at: u64,
    /// Largest bin index seen.
    top: i64,
    /// Finite values below the window.
    collapsed: u64,
    /// Values whose log is beyond ±[`MAX_LN`] (0 or ∞ in practice), below and above every bin.
    below: u64,
    above: u64,
    #[serde(with = "crate::exact")]
    min: f64,
    #[serde(with = "crate::exact")]
    max: f64,
}

fn spill_at() -> u64 {
    SPILL_AT
}

/// Bins kept below the largest value: 8192 × 0.008 = 65 natural-log units (28 decades), so a
/// histogram's 16-bit bins never exceed 20 KiB however wide its values spread (its 64-bit
/// ones, for bins past [`SPILL_AT`] values, at most 80 KiB more).
pub const LOG_WINDOW_BINS: i64 = 8192;

impl Default for LogHistogram {
    fn default() -> Self {
        Self {
            offset: 0,
            bins: Vec::new(),
            wide: WideBins::default(),
            unspilled: 0,
            spill_at: SPILL_AT,
            top: i64::MIN,
            collapsed: 0,
            below: 0,
            above: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl LogHistogram {
    /// Counts one value, given by its natural log.
    #[inline]
    pub fn insert_ln(&mut self, ln_x: f64) {
        // Beyond the range of f64 values (and of any meaningful dollar figure): counted, not binned.
        if !(ln_x.abs() <= MAX_LN) {
            if ln_x > 0.0 {
                self.above += 1
            } else {
                self.below += 1
            }
            return;
        }
        self.min = self.min.min(ln_x);
        self.max = self.max.max(ln_x);
        let idx = bin_of(ln_x);
        let rel = idx.wrapping_sub(self.offset);
        if self.unspilled == self.spill_at {
            self.spill();
        }
        if rel >= 0 && rel < self.bins.len() as i64 && idx <= self.top {
            self.bins[rel as usize] += 1;
            self.unspilled += 1;
        } else {
            self.add(idx, 1);
        }
    }

    /// Moves the 16-bit counts above `spill_at` into the 64-bit ones, so that every bin can
    /// take `spill_at` more values. Most spills find none (a bin reaches [`SPILL_AT`] only
    /// where a run's values crowd): one vectorised pass over the bins.
    fn spill(&mut self) {
        spill::spill(
            &mut self.bins,
            self.offset,
            self.spill_at as u16,
            &mut self.wide,
        );
        self.unspilled = 0;
    }

    /// The count of bin `i` (relative to `offset`).
    #[inline]
    fn bin(&self, i: usize) -> u64 {
        u64::from(self.bins[i]) + self.wide.at(self.offset + i as i64)
    }

    /// The counts of every bin, from `offset` up.
    fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        spill::counts(&self.bins, self.offset, &self.wide)
    }

    /// True when the histogram keeps its own invariants (one read back from a file may not):
    /// its bins lie within its window, no 16-bit count exceeds what a spill leaves plus what
    /// it counted since (so none can overflow), and the 64-bit counts lie within the bins.
    pub fn is_consistent(&self) -> bool {
        let most = self.bins.iter().copied().max().unwrap_or(0);
        let no_values = self.bins.is_empty() && self.top == i64::MIN;
        self.unspilled <= self.spill_at
            && u64::from(most) <= self.spill_at + self.unspilled
            && self.bins.len() as i64 <= 2 * LOG_WINDOW_BINS
            && (no_values || self.offset.checked_add(self.bins.len() as i64).is_some())
            && self.wide.within(self.offset, self.bins.len())
    }

    /// The slow path: adds `count` values at bin `idx`, moving the window as needed. A bin
    /// whose count would pass `spill_at` moves it into the 64-bit counts at once (a merge's
    /// counts may be large), so this never needs a spill.
    fn add(&mut self, idx: i64, count: u64) {
        if idx > self.top {
            self.top = idx;
        }
        let floor = self.top - LOG_WINDOW_BINS + 1;
        if idx < floor {
            self.collapsed += count;
            return;
        }
        let hi = self.offset + self.bins.len() as i64 - 1;
        if self.bins.is_empty() || idx < self.offset || idx > hi {
            let slack = (self.bins.len() as i64 / 2).clamp(256, LOG_WINDOW_BINS / 4);
            let (new_lo, new_hi) = if self.bins.is_empty() {
                (idx - slack, idx + slack)
            } else {
                (self.offset.min(idx - slack), hi.max(idx + slack))
            };
            self.resize(new_lo.max(floor), new_hi);
        } else if self.offset < floor {
            self.resize(floor, hi);
        }
        let (i, keep) = ((idx - self.offset) as usize, self.spill_at as u16);
        spill::add_whole(&mut self.bins, self.offset, i, count, keep, &mut self.wide);
    }

    /// Asks the CPU for the bins between the least and the greatest value counted so far
    /// ([`super::prefetch::prefetch`]), ahead of counting more.
    pub fn prefetch(&self) {
        // A restored histogram's fields are trusted no further than to pick the bins.
        if self.min <= self.max {
            let at = |ln_x: f64| bin_of(ln_x).wrapping_sub(self.offset);
            super::prefetch::prefetch_bins(&self.bins, at(self.min), at(self.max));
        }
    }

    /// Re-homes the bins onto `[lo, hi]`; counts below `lo` are collapsed.
    fn resize(&mut self, lo: i64, hi: i64) {
        let n = (hi - lo + 1) as usize;
        let mut bins = vec![0; n];
        // Old bins `[0, cut)` fall below `lo` and are collapsed; `[cut, end)` are copied whole.
        let len = self.bins.len() as i64;
        let cut = (lo - self.offset).clamp(0, len) as usize;
        let end = (hi + 1 - self.offset).clamp(cut as i64, len) as usize;
        self.collapsed += (0..cut).map(|i| self.bin(i)).sum::<u64>();
        if end > cut {
            let to = (self.offset + cut as i64 - lo) as usize;
            bins[to..to + end - cut].copy_from_slice(&self.bins[cut..end]);
        }
        // The 64-bit counts keep their bin indices: only those collapsed go.
        self.wide.drop_below(lo);
        self.bins = bins;
        self.offset = lo;
    }

    /// Adds another histogram.
    pub fn merge(&mut self, other: &Self) {
        self.below += other.below;
        self.above += other.above;
        self.collapsed += other.collapsed;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        if other.top > self.top {
            self.add(other.top, 0);
        }
        for (i, c) in other.counts().enumerate() {
            if c > 0 {
                self.add(other.offset + i as i64, c);
            }
        }
    }

    /// What the histogram holds, however its window and its spills fall: each bin with a
    /// count (its index and count), the collapsed, below and above counts, and the bits of
    /// the least and greatest value.
    #[cfg(test)]
    pub(crate) fn contents(&self) -> (Vec<(i64, u64)>, [u64; 3], [u64; 2]) {
        let bins = self.counts().enumerate().filter(|(_, c)| *c > 0);
        (
            bins.map(|(i, c)| (self.offset + i as i64, c)).collect(),
            [self.collapsed, self.below, self.above],
            [self.min.to_bits(), self.max.to_bits()],
        )
    }

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.below + self.above + self.collapsed + self.held(0..self.bins.len())
    }

    /// The values in the bins `range`, in a loop the compiler vectorises.
    fn held(&self, range: std::ops::Range<usize>) -> u64 {
        let wide = self.wide.sum(self.offset + range.start as i64, range.len());
        let narrow: u64 = self.bins[range].iter().map(|&c| u64::from(c)).sum();
        narrow + wide
    }

    /// The share of values at most `exp(ln_b)`, reading values as spread evenly within a bin;
    /// `None` when there are no values.
    pub fn fraction_at_most_ln(&self, ln_b: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        if ln_b < self.min {
            return Some(self.below as f64 / n as f64);
        }
        if ln_b >= self.max {
            return Some((n - self.above) as f64 / n as f64);
        }
        let mut at_most = (self.below + self.collapsed) as f64;
        let x = ln_b / LOG_BIN_WIDTH - self.offset as f64;
        let whole = (x.floor().max(0.0) as usize).min(self.bins.len());
        at_most += self.counts().take(whole).sum::<u64>() as f64;
        if whole < self.bins.len() {
            at_most += (x - whole as f64).clamp(0.0, 1.0) * self.bin(whole) as f64;
        }
        Some(at_most / n as f64)
    }

    /// The natural log of the `p` quantile; `None` when there are no values.
    pub fn quantile_ln(&self, p: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let k = quantile_rank(p, n);
        if k <= self.below {
            return Some(f64::NEG_INFINITY);
        }
        let mut seen = self.below + self.collapsed;
        if k <= seen {
            let edge = (self.top - LOG_WINDOW_BINS + 1) as f64 * LOG_BIN_WIDTH;
            return Some(edge.clamp(self.min, self.max));
        }
        for (i, c) in self.counts().enumerate() {
            seen += c;
            if k <= seen {
                let mid = (self.offset + i as i64) as f64 * LOG_BIN_WIDTH + 0.5 * LOG_BIN_WIDTH;
                return Some(mid.clamp(self.min, self.max));
            }
        }
        Some(f64::INFINITY)
    }

    /// The natural logs of the quantiles at the ascending levels `ps`, in one pass over the
    /// bins (each equal to [`LogHistogram::quantile_ln`] of its level); `None` when there are
    /// no values.
    pub fn quantiles_ln<const N: usize>(&self, ps: [f64; N]) -> Option<[f64; N]> {
        debug_assert!(ps.windows(2).all(|w| w[0] <= w[1]), "levels ascend");
        let n = self.count();
        if n == 0 {
            return None;
        }
        let ranks = ps.map(|p| quantile_rank(p, n));
        let mut out = [f64::INFINITY; N];
        let mut next = 0;
        let mut settle = |seen: u64, value: &dyn Fn() -> f64, next: &mut usize| {
            while *next < N && ranks[*next] <= seen {
                out[*next] = value();
                *next += 1;
            }
        };
        settle(self.below, &|| f64::NEG_INFINITY, &mut next);
        let mut seen = self.below + self.collapsed;
        let edge = || (self.top - LOG_WINDOW_BINS + 1) as f64 * LOG_BIN_WIDTH;
        settle(seen, &|| edge().clamp(self.min, self.max), &mut next);
        // Whole blocks of bins that do not reach the next rank are skipped by their sum.
        const BLOCK: usize = 32;
        let len = self.bins.len();
        let mut i = 0;
        while next < N && i < len {
            let block = self.held(i..(i + BLOCK).min(len));
            if seen + block < ranks[next] {
                seen += block;
                i += BLOCK;
                continue;
            }
            for j in i..(i + BLOCK).min(len) {
                seen += self.bin(j);
                let mid = (self.offset + j as i64) as f64 * LOG_BIN_WIDTH + 0.5 * LOG_BIN_WIDTH;
                settle(seen, &|| mid.clamp(self.min, self.max), &mut next);
            }
            i += BLOCK;
        }
        Some(out)
    }

    /// How many of the levels `ps` have their quantile among the values counted together below
    /// the window ([`LOG_WINDOW_BINS`] bins below the largest value): those quantiles are
    /// reported at the window's lower edge, which is above them, so they are upper bounds.
    pub fn floored<const N: usize>(&self, ps: [f64; N]) -> usize {
        if self.collapsed == 0 {
            return 0;
        }
        let n = self.count();
        (ps.iter())
            .map(|&p| quantile_rank(p, n))
            .filter(|&k| k > self.below && k <= self.below + self.collapsed)
            .count()
    }

    /// The `p` quantile of the value itself.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantile_ln(p).map(f64::exp)
    }

    /// Memory held by the bins, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u16>() + self.wide.heap_bytes()
    }

    /// The memory a histogram holding log-values from `lo` to `hi` takes (0 when it holds
    /// none): the bins between them, the slack the window grows by, at most the window.
    pub fn bytes_for_range(lo: f64, hi: f64) -> usize {
        if !(lo <= hi) {
            return 0;
        }
        let (lo, hi) = (lo.clamp(-MAX_LN, MAX_LN), hi.clamp(-MAX_LN, MAX_LN));
        let span = bin_of(hi) - bin_of(lo) + 1;
        let bins = (span + 2 * 256 + span / 2).min(LOG_WINDOW_BINS + LOG_WINDOW_BINS / 4);
        bins as usize * std::mem::size_of::<u16>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::{PS, exact_quantile};
    use rand::{RngExt, SeedableRng};

    /// Quantiles whose rank falls among the values collapsed below the window are counted as
    /// floored, the others not: 10 values 100 ln units below 90 others (past the 65-unit
    /// window) floor p5 alone; 30 floor p5 and p25; none collapsed, none floored.
    #[test]
    fn floored_counts_the_quantiles_among_the_collapsed() {
        let levels = [0.05, 0.25, 0.5, 0.75, 0.95];
        for (low, want) in [(10, 1), (30, 2), (0, 0)] {
            let mut h = LogHistogram::default();
            (0..100 - low).for_each(|_| h.insert_ln(100.0));
            (0..low).for_each(|_| h.insert_ln(0.0));
            assert_eq!(h.floored(levels), want, "{low} low values");
            assert_eq!(h.count(), 100);
        }
        // Close to the window's edge but inside it: nothing collapsed.
        let mut h = LogHistogram::default();
        h.insert_ln(100.0);
        h.insert_ln(100.0 - 60.0);
        assert_eq!(h.floored(levels), 0);
    }

    #[test]
    fn log_quantiles_within_the_relative_bound() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(2);
        let mut h = LogHistogram::default();
        let mut xs = vec![];
        for _ in 0..20_000 {
            let ln_x = 10.0 + 30.0 * rng.random::<f64>() - 15.0 * rng.random::<f64>();
            h.insert_ln(ln_x);
            xs.push(ln_x);
        }
        xs.sort_by(f64::total_cmp);
        for p in PS {
            let (q, exact) = (h.quantile_ln(p).unwrap(), exact_quantile(&xs, p));
            assert!(
                (q - exact).abs() <= LOG_BIN_WIDTH / 2.0 + 1e-12,
                "p={p}: {q} vs {exact}"
            );
        }
        // Relative error bound promised to users: 0.5%.
        assert!((LOG_BIN_WIDTH / 2.0).exp() - 1.0 < 0.005);
    }

    #[test]
    fn fractions_at_most_a_value_invert_the_quantiles() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(8);
        let mut h = LogHistogram::default();
        for _ in 0..20_000 {
            h.insert_ln(5.0 + 10.0 * rng.random::<f64>());
        }
        for p in [0.1, 0.5, 0.9] {
            let q = h.quantile_ln(p).unwrap();
            assert!(
                (h.fraction_at_most_ln(q).unwrap() - p).abs() < 0.002,
                "p={p}"
            );
        }
        assert_eq!(h.fraction_at_most_ln(0.0), Some(0.0));
        assert_eq!(h.fraction_at_most_ln(20.0), Some(1.0));
    }

    #[test]
    fn a_fixed_value_is_reported_exactly() {
        let mut h = LogHistogram::default();
        for _ in 0..10 {
            h.insert_ln(1e6f64.ln());
        }
        assert_eq!(h.quantile_ln(0.05), Some(1e6f64.ln()));
        assert_eq!(h.quantile_ln(0.95), Some(1e6f64.ln()));
    }

    #[test]
    fn memory_is_bounded_however_wide_the_values_spread() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(4);
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        let mut whole = LogHistogram::default();
        for i in 0..50_000 {
            let ln_x = 1400.0 * rng.random::<f64>() - 700.0;
            whole.insert_ln(ln_x);
            if i % 3 == 0 {
                a.insert_ln(ln_x)
            } else {
                b.insert_ln(ln_x)
            }
        }
        assert!(
            whole.heap_bytes() <= (LOG_WINDOW_BINS as usize * 5 / 4 + 1) * 2,
            "{}",
            whole.heap_bytes()
        );
        b.merge(&a);
        for p in PS {
            assert_eq!(b.quantile_ln(p), whole.quantile_ln(p), "p={p}");
        }
        // The top of the distribution stays exact to a bin; the collapsed bottom is reported at
        // the window's edge, 65 log units below the top.
        let q95 = whole.quantile_ln(0.95).unwrap();
        assert!((q95 - (700.0 - 0.05 * 1400.0)).abs() < 10.0, "{q95}");
        assert_eq!(whole.count(), 50_000);
    }

    /// A bin spilled into a 64-bit count that later falls below the window is collapsed with
    /// its whole count, and its 64-bit count is let go.
    #[test]
    fn spilled_bins_collapse_whole_when_the_window_moves_past_them() {
        let mut h = LogHistogram {
            spill_at: 100,
            ..LogHistogram::default()
        };
        for _ in 0..50 {
            h.insert_ln_batch(&[1.0; 90]);
            h.insert_ln_batch(&[30.0; 10]);
        }
        assert!(h.wide.heap_bytes() > 0 && h.is_consistent());
        assert_eq!(h.quantile_ln(0.5), Some(1.0));
        // 80 log units up: 1.0 falls below the window, 30.0 stays in it.
        h.insert_ln(81.0);
        assert!(h.is_consistent());
        assert_eq!((h.count(), h.collapsed), (5_001, 4_500));
        let q = h.quantile_ln(0.95).unwrap();
        assert!((q - 30.0).abs() < LOG_BIN_WIDTH, "{q}");
        // The collapsed bin's 64-bit count is gone, the other's stays.
        assert_eq!(h.wide.at(bin_of(1.0)), 0);
        assert!(h.wide.at(bin_of(30.0)) > 0);
    }

    #[test]
    fn non_finite_logs_are_counted_not_binned() {
        let mut h = LogHistogram::default();
        h.insert_ln(f64::INFINITY);
        h.insert_ln(f64::NEG_INFINITY);
        h.insert_ln(1.0);
        assert_eq!(h.count(), 3);
        assert_eq!(h.quantile_ln(0.1), Some(f64::NEG_INFINITY));
        assert_eq!(h.quantile_ln(0.5), Some(1.0));
        assert_eq!(h.quantile_ln(0.9), Some(f64::INFINITY));
    }
}
