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

/// True when two lists of time histograms have the same shapes (origins and bins), as the
/// tallies of one scenario do.
pub fn same_shapes(a: &[TimeHistogram], b: &[TimeHistogram]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.origin.to_bits() == y.origin.to_bits() && x.bins.len() == y.bins.len())
}

/// True when two lists of year counts have the same lengths.
pub fn same_lengths(a: &[YearCounts], b: &[YearCounts]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.counts.len() == y.counts.len())
}

/// Histogram of a positive quantity by its natural log, with a range that grows as needed up
/// to [`LOG_WINDOW_BINS`] bins below the largest value seen. Values further below are counted
/// together as "collapsed" (a quantile that falls among them is reported at the window's lower
/// edge). The window depends only on the largest value, so the result is the same whatever the
/// insertion order or split: merging stays exact.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LogHistogram {
    /// Bin index (`⌊ln x / width⌋`) of `bins[0]`.
    offset: i64,
    /// Counts since the last spill into `wide`: 4 bytes a bin keep twice as many bins in cache.
    #[serde(with = "crate::exact::sparse")]
    bins: Vec<u32>,
    /// Counts spilled from `bins` before they could overflow (empty until the first spill),
    /// bin for bin.
    #[serde(with = "crate::exact::sparse")]
    wide: Vec<u64>,
    /// Values counted in `bins` since the last spill: no bin can exceed it, so no bin overflows
    /// while it stays at most `spill_at`.
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
/// histogram never exceeds 40 KiB however wide its values spread (120 KiB once it holds more
/// than 2³² values and its counts spill into 64-bit bins).
pub const LOG_WINDOW_BINS: i64 = 8192;

/// Counts a [`LogHistogram`]'s 32-bit bins hold before they are spilled into 64-bit ones.
const SPILL_AT: u64 = u32::MAX as u64;

impl Default for LogHistogram {
    fn default() -> Self {
        Self {
            offset: 0,
            bins: Vec::new(),
            wide: Vec::new(),
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
        if rel >= 0
            && rel < self.bins.len() as i64
            && idx <= self.top
            && self.unspilled < self.spill_at
        {
            self.bins[rel as usize] += 1;
            self.unspilled += 1;
        } else {
            self.add(idx, 1);
        }
    }

    /// Counts a batch of values given by their natural logs. The window is moved once for the
    /// whole batch, so each value costs a multiply, a rounding and an increment (compiled for
    /// AVX2 where the CPU has it; the same numbers either way).
    pub fn insert_ln_batch(&mut self, values: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.insert_ln_batch_avx2(values) };
        }
        self.insert_ln_batch_portable(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_ln_batch_avx2(&mut self, values: &[f64]) {
        self.insert_ln_batch_portable(values);
    }

    #[inline(always)]
    fn insert_ln_batch_portable(&mut self, values: &[f64]) {
        let n = values.len() as u64;
        let (lo, hi, finite) = scan(values);
        if n == 0 || !finite || !(lo >= -MAX_LN && hi <= MAX_LN) || n > self.spill_at {
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
        if self.unspilled + n > self.spill_at {
            self.spill();
        }
        self.unspilled += n;
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        // Every value's bin lies in [lo_idx, hi_idx] (`bin_of` never decreases), which the bins
        // now cover: checked once here, so the increments below need no check of their own.
        let base = self.offset as i32;
        let bins = &mut self.bins[..];
        assert!(lo_idx >= self.offset && ((hi_idx - self.offset) as usize) < bins.len());
        // Bin positions first, in a loop the compiler vectorises, then the increments.
        let mut rel = [0u32; 64];
        for chunk in values.chunks(64) {
            for (r, &v) in rel.iter_mut().zip(chunk) {
                *r = (bin_of(v) as i32).wrapping_sub(base) as u32;
            }
            for &r in &rel[..chunk.len()] {
                // SAFETY: r ≤ hi_idx − offset < bins.len(), asserted above.
                unsafe { *bins.get_unchecked_mut(r as usize) += 1 };
            }
        }
    }

    /// Moves the 32-bit counts into the 64-bit ones.
    fn spill(&mut self) {
        self.wide.resize(self.bins.len(), 0);
        for (w, b) in self.wide.iter_mut().zip(&mut self.bins) {
            *w += u64::from(std::mem::take(b));
        }
        self.unspilled = 0;
    }

    /// The count of bin `i` (relative to `offset`).
    #[inline]
    fn bin(&self, i: usize) -> u64 {
        u64::from(self.bins[i]) + self.wide.get(i).copied().unwrap_or(0)
    }

    /// The counts of every bin, from `offset` up.
    fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        let wide = &self.wide;
        self.bins
            .iter()
            .enumerate()
            .map(move |(i, &c)| u64::from(c) + if wide.is_empty() { 0 } else { wide[i] })
    }

    /// True when the histogram keeps its own invariants (one read back from a file may not):
    /// its bins lie within its window, the 32-bit counts add up to at most what they hold
    /// since the last spill, and the 64-bit ones match them bin for bin.
    pub fn is_consistent(&self) -> bool {
        let held: u64 = self.bins.iter().map(|&c| u64::from(c)).sum();
        let no_values = self.bins.is_empty() && self.top == i64::MIN;
        (self.wide.is_empty() || self.wide.len() == self.bins.len())
            && held <= self.unspilled
            && self.unspilled <= self.spill_at
            && self.bins.len() as i64 <= 2 * LOG_WINDOW_BINS
            && (no_values || self.offset.checked_add(self.bins.len() as i64).is_some())
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
        let i = (idx - self.offset) as usize;
        if count > self.spill_at - self.unspilled.min(self.spill_at) {
            self.spill();
            if count > self.spill_at {
                self.wide[i] += count;
                return;
            }
        }
        self.bins[i] += count as u32;
        self.unspilled += count;
    }

    /// Re-homes the bins onto `[lo, hi]`; counts below `lo` are collapsed.
    fn resize(&mut self, lo: i64, hi: i64) {
        let n = (hi - lo + 1) as usize;
        let mut bins = vec![0; n];
        let mut wide = vec![0; if self.wide.is_empty() { 0 } else { n }];
        for i in 0..self.bins.len() {
            let idx = self.offset + i as i64;
            if idx < lo {
                self.collapsed += self.bin(i);
            } else if idx <= hi {
                let j = (idx - lo) as usize;
                bins[j] = self.bins[i];
                if let Some(w) = self.wide.get(i) {
                    wide[j] = *w;
                }
            }
        }
        // Collapsed counts left the 32-bit bins: fewer values are now held there.
        self.unspilled = bins.iter().map(|&c| u64::from(c)).sum();
        self.bins = bins;
        self.wide = wide;
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

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.below + self.above + self.collapsed + self.counts().sum::<u64>()
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
        for (i, c) in self.counts().enumerate() {
            if next == N {
                break;
            }
            seen += c;
            let mid = (self.offset + i as i64) as f64 * LOG_BIN_WIDTH + 0.5 * LOG_BIN_WIDTH;
            settle(seen, &|| mid.clamp(self.min, self.max), &mut next);
        }
        Some(out)
    }

    /// The `p` quantile of the value itself.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantile_ln(p).map(f64::exp)
    }

    /// Memory held by the bins, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u32>()
            + self.wide.capacity() * std::mem::size_of::<u64>()
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
        bins as usize * std::mem::size_of::<u32>()
    }
}

/// The lowest and highest of `values` and whether every one is finite, in four independent
/// lanes so that the loop vectorises.
#[inline(always)]
fn scan(values: &[f64]) -> (f64, f64, bool) {
    let Some(&first) = values.first() else {
        return (f64::INFINITY, f64::NEG_INFINITY, true);
    };
    let (mut lo, mut hi, mut poison) = ([first; 4], [first; 4], [0.0; 4]);
    let chunks = values.chunks_exact(4);
    // The remainder, padded with the first value (which changes neither bound).
    let mut rest = [first; 4];
    rest[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    for chunk in chunks.chain(std::iter::once(&rest[..])) {
        let v: &[f64; 4] = chunk.try_into().expect("four lanes");
        for l in 0..4 {
            lo[l] = if v[l] < lo[l] { v[l] } else { lo[l] };
            hi[l] = if v[l] > hi[l] { v[l] } else { hi[l] };
            // v − v is 0 for a finite value and NaN for ±∞ or NaN, which then stays.
            #[allow(clippy::eq_op)]
            let zero_if_finite = v[l] - v[l];
            poison[l] += zero_if_finite;
        }
    }
    let lo = lo.into_iter().fold(f64::INFINITY, f64::min);
    let hi = hi.into_iter().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi, poison.iter().all(|&p| p == 0.0))
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct YearCounts {
    /// `counts[i]` holds the times in `(y[i−1], y[i]]` (and `τ ≤ y[0]` for `i = 0`).
    #[serde(with = "crate::exact::sparse")]
    counts: Vec<u64>,
}

/// Where a time falls among sorted reporting years: the number of years before it, found from
/// a first guess on an even grid and corrected against the years themselves (so the answer is
/// exact even where the grid's arithmetic rounds, and for uneven years).
#[derive(Debug, Clone, PartialEq)]
pub struct YearIndex {
    years: Vec<f64>,
    first: f64,
    inv_step: f64,
}

impl YearIndex {
    /// The index of the sorted `years`.
    pub fn new(years: &[f64]) -> Self {
        let (first, last) = (
            years.first().copied().unwrap_or(0.0),
            years.last().copied().unwrap_or(0.0),
        );
        let steps = years.len().saturating_sub(1) as f64;
        let inv_step = if steps > 0.0 && last > first {
            steps / (last - first)
        } else {
            0.0
        };
        Self {
            years: years.to_vec(),
            first,
            inv_step,
        }
    }

    /// `#{y : y < tau}`.
    #[inline]
    pub fn years_before(&self, tau: f64) -> usize {
        let n = self.years.len();
        // A guess within a step of the answer (saturating casts: −∞ and NaN give 0, +∞ gives n).
        let mut i = (((tau - self.first) * self.inv_step).max(0.0) as usize).min(n);
        while i > 0 && self.years[i - 1] >= tau {
            i -= 1;
        }
        while i < n && self.years[i] < tau {
            i += 1;
        }
        i
    }
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

    /// Counts one time against the reporting years.
    #[inline]
    pub fn insert(&mut self, years: &YearIndex, tau: f64) {
        let i = years.years_before(tau);
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

    /// Batches, single inserts, merges and the 32-bit bins' spills (here every 1,000 values)
    /// give the counts a plain 64-bit histogram gives; all quantiles in one pass equal
    /// each quantile alone.
    #[test]
    fn batches_spills_and_one_pass_quantiles_agree_with_single_inserts() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let values: Vec<f64> = (0..25_000)
            .map(|_| rng.random::<f64>() * 6.0 - 3.0)
            .collect();
        let spilling = || LogHistogram {
            spill_at: 1000,
            ..LogHistogram::default()
        };
        let (mut one, mut batched, mut merged) = (LogHistogram::default(), spilling(), spilling());
        for &v in &values {
            one.insert_ln(v);
        }
        for chunk in values.chunks(256) {
            batched.insert_ln_batch(chunk);
        }
        for part in values.chunks(7_000) {
            let mut h = spilling();
            for chunk in part.chunks(100) {
                h.insert_ln_batch(chunk);
            }
            merged.merge(&h);
        }
        assert!(!batched.wide.is_empty(), "the test spills");
        for h in [&batched, &merged] {
            assert_eq!(h.count(), one.count());
            let nonzero = |h: &LogHistogram| -> Vec<(i64, u64)> {
                let bins = h.counts().enumerate().filter(|(_, c)| *c > 0);
                bins.map(|(i, c)| (h.offset + i as i64, c)).collect()
            };
            assert_eq!(nonzero(h), nonzero(&one));
            let all = h.quantiles_ln(PS).unwrap();
            for (p, q) in PS.iter().zip(all) {
                assert_eq!(Some(q), one.quantile_ln(*p), "p = {p}");
            }
        }
        assert_eq!(LogHistogram::default().quantiles_ln(PS), None);
    }

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
            whole.heap_bytes() <= (LOG_WINDOW_BINS as usize * 5 / 4 + 1) * 4,
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
        let years = YearIndex::new(&[2025.0, 2026.0, 2027.0]);
        let mut c = YearCounts::new(3);
        for tau in [2025.0, 2025.5, 2026.0, 2026.0001, 2040.0, f64::INFINITY] {
            c.insert(&years, tau);
        }
        assert_eq!(
            c.cumulative_probabilities(6),
            vec![1.0 / 6.0, 3.0 / 6.0, 4.0 / 6.0]
        );
    }

    /// The year index agrees with a binary search over the years, on even grids whose steps do
    /// not add up exactly, on uneven years, at every year and just beside it, and at ±∞ and NaN.
    #[test]
    fn year_index_matches_a_binary_search() {
        let even: Vec<f64> = (0..=140).map(|i| 2025.0 + 0.25 * f64::from(i)).collect();
        let tenths: Vec<f64> = (0..=350).map(|i| 2025.0 + 0.1 * f64::from(i)).collect();
        let uneven = vec![2025.0, 2025.5, 2030.0, 2031.0, 2060.0];
        for years in [even, tenths, uneven, vec![2030.0], vec![]] {
            let index = YearIndex::new(&years);
            let mut taus = vec![f64::NEG_INFINITY, f64::INFINITY, f64::NAN, 1990.0, 2100.0];
            for &y in &years {
                taus.extend([y, y.next_down(), y.next_up(), y + 0.05, y - 0.05]);
            }
            for tau in taus {
                let want = years.partition_point(|&y| y < tau);
                assert_eq!(
                    index.years_before(tau),
                    want,
                    "{tau} among {} years",
                    years.len()
                );
            }
        }
    }
}
