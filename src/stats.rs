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

/// Histogram of affordability times on `[origin, end]`, plus the atoms `τ = origin` and `τ = ∞`.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeHistogram {
    origin: f64,
    at_origin: u64,
    bins: Vec<u64>,
    never: u64,
    min: f64,
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
            let i = (((tau - self.origin) / TIME_BIN_YEARS) as usize).min(self.bins.len() - 1);
            self.bins[i] += 1;
            self.min = self.min.min(tau);
            self.max = self.max.max(tau);
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

/// Histogram of a positive quantity by its natural log, with a range that grows as needed up
/// to [`LOG_WINDOW_BINS`] bins below the largest value seen. Values further below are counted
/// together as "collapsed" (a quantile that falls among them is reported at the window's lower
/// edge). The window depends only on the largest value, so the result is the same whatever the
/// insertion order or split: merging stays exact.
#[derive(Debug, Clone)]
pub struct LogHistogram {
    /// Bin index (`⌊ln x / width⌋`) of `bins[0]`.
    offset: i64,
    bins: Vec<u64>,
    /// Largest bin index seen.
    top: i64,
    /// Finite values below the window.
    collapsed: u64,
    /// Values whose log is beyond ±[`MAX_LN`] (0 or ∞ in practice), below and above every bin.
    below: u64,
    above: u64,
    min: f64,
    max: f64,
}

/// Bins kept below the largest value: 8192 × 0.008 = 65 natural-log units (28 decades), so a
/// histogram never exceeds 64 KiB however wide its values spread.
pub const LOG_WINDOW_BINS: i64 = 8192;

impl Default for LogHistogram {
    fn default() -> Self {
        Self {
            offset: 0,
            bins: Vec::new(),
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
        if rel >= 0 && rel < self.bins.len() as i64 && idx <= self.top {
            self.bins[rel as usize] += 1;
        } else {
            self.add(idx, 1);
        }
    }

    /// Counts a batch of values given by their natural logs. The window is moved once for the
    /// whole batch, so each value costs a multiply, a floor and an increment.
    pub fn insert_ln_batch(&mut self, values: &[f64]) {
        let Some(&first) = values.first() else { return };
        let (mut lo, mut hi, mut nan) = (first, first, false);
        for &v in values {
            lo = if v < lo { v } else { lo };
            hi = if v > hi { v } else { hi };
            nan |= v.is_nan();
        }
        if nan || !(lo >= -MAX_LN && hi <= MAX_LN) {
            for &v in values {
                self.insert_ln(v);
            }
            return;
        }
        let (lo_idx, hi_idx) = (bin_of(lo), bin_of(hi));
        self.add(hi_idx, 0);
        self.add(lo_idx, 0);
        if lo_idx < self.top - LOG_WINDOW_BINS + 1 {
            for &v in values {
                self.insert_ln(v);
            }
            return;
        }
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        // Bin positions first, in a loop the compiler vectorises, then the increments; every
        // position is within the bins, which now cover [lo_idx, hi_idx].
        let mut rel = [0i32; 64];
        let base = self.offset as i32;
        for chunk in values.chunks(64) {
            for (r, &v) in rel.iter_mut().zip(chunk) {
                *r = ((v * INV_LOG_BIN_WIDTH - 0.5) + ROUND_MAGIC).to_bits() as i32 - base;
            }
            for &r in &rel[..chunk.len()] {
                self.bins[r as usize] += 1;
            }
        }
    }

    /// The slow path: adds `count` values at bin `idx`, moving the window as needed.
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
        self.bins[(idx - self.offset) as usize] += count;
    }

    /// Re-homes the bins onto `[lo, hi]`; counts below `lo` are collapsed.
    fn resize(&mut self, lo: i64, hi: i64) {
        let mut bins = vec![0; (hi - lo + 1) as usize];
        for (i, &c) in self.bins.iter().enumerate() {
            let idx = self.offset + i as i64;
            if idx < lo {
                self.collapsed += c;
            } else if idx <= hi {
                bins[(idx - lo) as usize] += c;
            }
        }
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
        for (i, &c) in other.bins.iter().enumerate() {
            if c > 0 {
                self.add(other.offset + i as i64, c);
            }
        }
    }

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.below + self.above + self.collapsed + self.bins.iter().sum::<u64>()
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
        at_most += self.bins[..whole].iter().sum::<u64>() as f64;
        if whole < self.bins.len() {
            at_most += (x - whole as f64).clamp(0.0, 1.0) * self.bins[whole] as f64;
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
        for (i, &c) in self.bins.iter().enumerate() {
            seen += c;
            if k <= seen {
                let mid = (self.offset + i as i64) as f64 * LOG_BIN_WIDTH + 0.5 * LOG_BIN_WIDTH;
                return Some(mid.clamp(self.min, self.max));
            }
        }
        Some(f64::INFINITY)
    }

    /// The `p` quantile of the value itself.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantile_ln(p).map(f64::exp)
    }

    /// Memory held by the bins, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u64>()
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
        bins as usize * std::mem::size_of::<u64>()
    }
}

/// `1 / LOG_BIN_WIDTH`: bins are found by a multiplication.
const INV_LOG_BIN_WIDTH: f64 = 1.0 / LOG_BIN_WIDTH;

/// 1.5 · 2⁵²: adding it to a double of magnitude below 2³¹ leaves that number rounded to an
/// integer in the low bits of the mantissa, a conversion the compiler can vectorise (Rust's
/// saturating `as` casts cannot be).
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// The bin of a log-value within ±[`MAX_LN`]: `⌊ln x / width⌋` (a value exactly on a bin edge
/// may land in the bin below, which keeps every quantile bound).
#[inline]
fn bin_of(ln_x: f64) -> i64 {
    i64::from(((ln_x * INV_LOG_BIN_WIDTH - 0.5) + ROUND_MAGIC).to_bits() as i32)
}

/// Counts of affordability times by reporting year, for the exact `P(τ ≤ y)`.
#[derive(Debug, Clone, PartialEq)]
pub struct YearCounts {
    /// `counts[i]` holds the times in `(y[i−1], y[i]]` (and `τ ≤ y[0]` for `i = 0`).
    counts: Vec<u64>,
}

impl YearCounts {
    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.counts[..])
    }

    /// Empty counts for `n_years` reporting years.
    pub fn new(n_years: usize) -> Self {
        Self {
            counts: vec![0; n_years],
        }
    }

    /// Counts one time against the sorted reporting `years`.
    #[inline]
    pub fn insert(&mut self, years: &[f64], tau: f64) {
        let i = years.partition_point(|&y| y < tau);
        if i < self.counts.len() {
            self.counts[i] += 1;
        }
    }

    /// Adds other counts.
    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// `P(τ ≤ y)` for each reporting year, out of `n` samples.
    pub fn cumulative_probabilities(&self, n: u64) -> Vec<f64> {
        let mut acc = 0u64;
        self.counts
            .iter()
            .map(|c| {
                acc += c;
                acc as f64 / n as f64
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn exact_quantile(sorted: &[f64], p: f64) -> f64 {
        sorted[quantile_rank(p, sorted.len() as u64) as usize - 1]
    }

    const PS: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

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
    fn bins_are_the_floor_of_the_scaled_log() {
        for x in [
            -709.9, -2.5, -0.004, 0.001, 0.004, 0.0081, 1.0001, 17.3, 709.9,
        ] {
            assert_eq!(bin_of(x), (x * INV_LOG_BIN_WIDTH).floor() as i64, "{x}");
        }
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
            whole.heap_bytes() <= (LOG_WINDOW_BINS as usize * 5 / 4 + 1) * 8,
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

    #[test]
    fn batches_count_like_single_inserts() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(5);
        let (mut one, mut batch) = (LogHistogram::default(), LogHistogram::default());
        for round in 0..200 {
            let spread = if round % 50 == 49 { 200.0 } else { 3.0 };
            let vs: Vec<f64> = (0..64)
                .map(|_| 10.0 + round as f64 * 0.05 + spread * rng.random::<f64>())
                .collect();
            vs.iter().for_each(|v| one.insert_ln(*v));
            batch.insert_ln_batch(&vs);
        }
        batch.insert_ln_batch(&[f64::NAN, 1.0, f64::INFINITY]);
        one.insert_ln(1.0);
        one.insert_ln(f64::INFINITY);
        one.insert_ln(f64::NAN);
        for p in PS {
            assert_eq!(one.quantile_ln(p), batch.quantile_ln(p));
        }
        assert_eq!(one.count(), batch.count());
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

    #[test]
    fn year_counts_give_exact_cumulative_probabilities() {
        let years = [2025.0, 2026.0, 2027.0];
        let mut c = YearCounts::new(3);
        for tau in [2025.0, 2025.5, 2026.0, 2026.0001, 2040.0, f64::INFINITY] {
            c.insert(&years, tau);
        }
        assert_eq!(
            c.cumulative_probabilities(6),
            vec![1.0 / 6.0, 3.0 / 6.0, 4.0 / 6.0]
        );
    }
}
