//! Compact, exactly mergeable histograms for the cost breakdown, which keeps thousands of them
//! (targets × classes × components × years): costs on bins of [`COARSE_LN_WIDTH`] in natural
//! log, shares on bins of [`SHARE_WIDTH`] on `[0, 1]`. A quantile is its bin's middle, clamped
//! to the smallest and largest value seen, so a value every sample shares is reported exactly.

use crate::stats::quantile_rank;

/// Width of a cost bin, natural-log units: quantiles to within `exp(0.02) − 1 ≈ 2%`.
pub const COARSE_LN_WIDTH: f64 = 0.04;

/// Width of a share bin: quantiles of shares to within a quarter of a percentage point.
pub const SHARE_WIDTH: f64 = 0.005;

const SHARE_BINS: usize = 200;

/// Counts of log-values (all finite) on bins of [`COARSE_LN_WIDTH`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CoarseLogHistogram {
    offset: i64,
    #[serde(with = "crate::exact::sparse")]
    bins: Vec<u64>,
    #[serde(with = "crate::exact")]
    min: f64,
    #[serde(with = "crate::exact")]
    max: f64,
}

impl Default for CoarseLogHistogram {
    fn default() -> Self {
        Self {
            offset: 0,
            bins: Vec::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl CoarseLogHistogram {
    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u64>()
    }

    /// The memory it would hold spanning `widen` times the range of values it has seen (more
    /// samples reach further into the tails): a window that grows takes half its length again
    /// as room (see `add`), so up to 1.5 times its span and 16 bins.
    pub fn bytes_widened(&self, widen: f64) -> usize {
        if self.bins.is_empty() {
            return 0;
        }
        let span = ((self.max - self.min) * widen / COARSE_LN_WIDTH).ceil() as usize + 1;
        (span * 3 / 2 + 16).max(self.bins.len()) * std::mem::size_of::<u64>()
    }

    /// Counts `ln_values` (finite), given by their natural logs (compiled for AVX2 where the
    /// CPU has it; the same counts either way).
    pub fn insert_batch(&mut self, ln_values: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.insert_batch_avx2(ln_values) };
        }
        self.insert_batch_portable(ln_values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_batch_avx2(&mut self, ln_values: &[f64]) {
        self.insert_batch_portable(ln_values);
    }

    #[inline(always)]
    fn insert_batch_portable(&mut self, ln_values: &[f64]) {
        let (lo, hi) = min_max(ln_values);
        if !(lo <= hi) {
            return;
        }
        // The parser keeps every value within floating point; an infinite log here would index
        // far outside any window, so it is held at the edge instead of panicking.
        let clamp = |v: f64| v.clamp(-crate::stats::MAX_LN, crate::stats::MAX_LN);
        let (lo, hi) = (clamp(lo), clamp(hi));
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        let (lo_idx, hi_idx) = (i64::from(coarse_bin(lo)), i64::from(coarse_bin(hi)));
        // The window covers the batch's bins from here on.
        self.cover(lo_idx, hi_idx);
        let span = (hi_idx - lo_idx + 1) as usize;
        let at = (lo_idx - self.offset) as usize;
        let base = lo_idx as i32;
        let bins = &mut self.bins[at..at + span];
        let position = |v: f64| (coarse_bin(clamp(v)) - base) as u32;
        if span > LANE_BINS {
            count_spread(ln_values, bins, position);
        } else {
            count_in_lanes(ln_values, bins, position);
        }
    }

    /// Widens the window to cover bins `lo` to `hi` (the window is placed as if it grew to hold
    /// `lo`, then `hi`), moved into at most once.
    fn cover(&mut self, lo: i64, hi: i64) {
        let (mut offset, mut len) = if self.bins.is_empty() {
            (lo - 16, 33)
        } else {
            (self.offset, self.bins.len())
        };
        for idx in [lo, hi] {
            (offset, len) = grown(offset, len, idx);
        }
        if self.bins.is_empty() {
            self.bins = vec![0; len];
        } else if len != self.bins.len() {
            let mut bins = vec![0; len];
            let at = (self.offset - offset) as usize;
            bins[at..at + self.bins.len()].copy_from_slice(&self.bins);
            self.bins = bins;
        }
        self.offset = offset;
    }

    /// Adds another histogram.
    pub fn merge(&mut self, other: &Self) {
        let Some(last) = other.bins.len().checked_sub(1) else {
            return;
        };
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        // Cover the other's window once, then add bin by bin.
        self.cover(other.offset, other.offset + last as i64);
        let at = (other.offset - self.offset) as usize;
        for (a, b) in self.bins[at..].iter_mut().zip(&other.bins) {
            *a += b;
        }
    }

    /// Number of values counted.
    pub fn count(&self) -> u64 {
        self.bins.iter().sum()
    }

    /// The natural log of the `p` quantile; `None` when there are no values.
    pub fn quantile_ln(&self, p: f64) -> Option<f64> {
        self.quantiles_ln([p]).map(|[v]| v)
    }

    /// The natural logs of the quantiles at the ascending levels `ps`, in one pass over the
    /// bins; `None` when there are no values.
    pub fn quantiles_ln<const N: usize>(&self, ps: [f64; N]) -> Option<[f64; N]> {
        let mid =
            |i: usize| (self.offset + i as i64) as f64 * COARSE_LN_WIDTH + 0.5 * COARSE_LN_WIDTH;
        quantiles_of(&self.bins, ps, mid).map(|q| q.map(|v| v.clamp(self.min, self.max)))
    }
}

/// Counts of shares in `[0, 1]` on bins of [`SHARE_WIDTH`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ShareHistogram {
    #[serde(with = "crate::exact::sparse")]
    bins: Vec<u64>,
    #[serde(with = "crate::exact")]
    min: f64,
    #[serde(with = "crate::exact")]
    max: f64,
}

impl Default for ShareHistogram {
    fn default() -> Self {
        Self {
            bins: Vec::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl ShareHistogram {
    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u64>()
    }

    /// Counts `shares` (each in `[0, 1]`; compiled for AVX2 where the CPU has it).
    pub fn insert_batch(&mut self, shares: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.insert_batch_avx2(shares) };
        }
        self.insert_batch_portable(shares);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_batch_avx2(&mut self, shares: &[f64]) {
        self.insert_batch_portable(shares);
    }

    #[inline(always)]
    fn insert_batch_portable(&mut self, shares: &[f64]) {
        if self.bins.is_empty() {
            self.bins = vec![0; SHARE_BINS];
        }
        let (lo, hi) = min_max(shares);
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        count_in_lanes(shares, &mut self.bins, share_bin);
    }

    /// Adds another histogram.
    pub fn merge(&mut self, other: &Self) {
        if other.bins.is_empty() {
            return;
        }
        if self.bins.is_empty() {
            self.bins = vec![0; SHARE_BINS];
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            *a += b;
        }
    }

    /// The `p` quantile; `None` when there are no values.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantiles([p]).map(|[v]| v)
    }

    /// The quantiles at the ascending levels `ps`, in one pass over the bins; `None` when there
    /// are no values.
    pub fn quantiles<const N: usize>(&self, ps: [f64; N]) -> Option<[f64; N]> {
        let mid = |i: usize| (i as f64 + 0.5) * SHARE_WIDTH;
        quantiles_of(&self.bins, ps, mid).map(|q| q.map(|v| v.clamp(self.min, self.max)))
    }
}

/// The window (first bin, length) that holds bin `idx` as well as `offset..offset + len`: room
/// to grow on the side it grows, in proportion, so a window is re-homed only a few times.
fn grown(offset: i64, len: usize, idx: i64) -> (i64, usize) {
    let hi = offset + len as i64 - 1;
    if offset <= idx && idx <= hi {
        return (offset, len);
    }
    let slack = (len as i64 / 2).max(16);
    let (lo, hi) = (offset.min(idx - slack), hi.max(idx + slack));
    (lo, (hi - lo + 1) as usize)
}

/// The most bins a batch may span to be counted in lanes (a power of two).
const LANE_BINS: usize = 256;

/// 1.5 · 2⁵²: adding it to a double of magnitude below 2⁵¹ rounds that double to an integer,
/// held in the low bits of the sum's mantissa.
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// `⌊x⌋` of a double of magnitude below 2³¹, without a libm call or a saturating conversion
/// (which WebAssembly does one lane at a time), so that a loop of them vectorises: `x +
/// ROUND_MAGIC` is `x` rounded to an integer `r` exactly, whose bits end in `r`; one less where
/// `r` is above `x`.
#[inline(always)]
fn floor_small(x: f64) -> i32 {
    let y = x + ROUND_MAGIC;
    (y.to_bits() as i32) - i32::from(y - ROUND_MAGIC > x)
}

/// The coarse bin of a clamped log-value: `⌊v / width⌋`, in 32 bits (the clamped logs need 15).
#[inline(always)]
fn coarse_bin(v: f64) -> i32 {
    floor_small(v * (1.0 / COARSE_LN_WIDTH))
}

/// The bin of a share in `[0, 1]`: `⌊s / width⌋`, the last bin holding 1 (and NaN).
#[inline(always)]
fn share_bin(s: f64) -> u32 {
    floor_small(higher(0.0, lower((SHARE_BINS - 1) as f64, s / SHARE_WIDTH))) as u32
}

/// Adds to `bins` the count of `values` in each, `bin(v)` being a value's position in `bins`
/// (a position outside `bins`, of a NaN, is not counted): for a batch spread over more than
/// [`LANE_BINS`], whose values seldom fall in the bin of the one before. Positions are computed
/// a chunk at a time, in a loop the compiler vectorises.
#[inline(always)]
fn count_spread(values: &[f64], bins: &mut [u64], bin: impl Fn(f64) -> u32) {
    const CHUNK: usize = 256;
    let mut pos = [0u32; CHUNK];
    for chunk in values.chunks(CHUNK) {
        for (p, &v) in pos.iter_mut().zip(chunk) {
            *p = bin(v);
        }
        for &p in &pos[..chunk.len()] {
            if let Some(b) = bins.get_mut(p as usize) {
                *b += 1;
            }
        }
    }
}

/// Adds to `bins` (at most [`LANE_BINS`] of them) the count of `values` in each, `bin(v)`
/// being a value's position in `bins`. Positions are computed a chunk at a time, in a loop the
/// compiler vectorises, then counted in four lanes, so that a run of equal positions does not
/// make each increment wait for the last.
#[inline(always)]
fn count_in_lanes(values: &[f64], bins: &mut [u64], bin: impl Fn(f64) -> u32) {
    const CHUNK: usize = 256;
    // Lanes are summed into the bins once a block (a whole batch): summing and clearing them
    // every chunk cost more than the counting. A lane's counts stay within u32 in a block. They
    // are cleared before a next block only: most batches are one block, and clearing them after
    // it was a second 4 KiB memset a batch.
    const BLOCK: usize = 1 << 30;
    debug_assert!(bins.len() <= LANE_BINS);
    let mut lanes = [[0u32; LANE_BINS]; 4];
    let mut pos = [0u32; CHUNK];
    let mask = LANE_BINS as u32 - 1;
    for (k, block) in values.chunks(BLOCK).enumerate() {
        if k > 0 {
            for lane in &mut lanes {
                lane[..bins.len()].fill(0);
            }
        }
        for chunk in block.chunks(CHUNK) {
            for (p, &v) in pos.iter_mut().zip(chunk) {
                *p = bin(v) & mask;
            }
            let pos = &pos[..chunk.len()];
            let mut quads = pos.chunks_exact(4);
            for q in &mut quads {
                for k in 0..4 {
                    lanes[k][q[k] as usize] += 1;
                }
            }
            for &p in quads.remainder() {
                lanes[0][p as usize] += 1;
            }
        }
        for (i, b) in bins.iter_mut().enumerate() {
            let n = lanes[0][i] + lanes[1][i] + lanes[2][i] + lanes[3][i];
            *b += u64::from(n);
        }
    }
}

/// The smallest and largest of `values` (∞ and −∞ when empty; NaN ignored, as `f64::min` does),
/// in four independent lanes so that the loop is not one chain of dependent comparisons.
#[inline(always)]
fn min_max(values: &[f64]) -> (f64, f64) {
    // Comparisons rather than `f64::min`/`max`, which WebAssembly builds call as functions
    // (their NaN rules differ from its own instructions'), so that the loop stays inlined there.
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut chunks = values.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            lo[k] = lower(lo[k], c[k]);
            hi[k] = higher(hi[k], c[k]);
        }
    }
    for &v in chunks.remainder() {
        lo[0] = lower(lo[0], v);
        hi[0] = higher(hi[0], v);
    }
    (
        lower(lower(lo[0], lo[1]), lower(lo[2], lo[3])),
        higher(higher(hi[0], hi[1]), higher(hi[2], hi[3])),
    )
}

/// The smaller of `acc` and `v`, keeping `acc` when `v` is NaN.
#[inline(always)]
fn lower(acc: f64, v: f64) -> f64 {
    if v < acc { v } else { acc }
}

/// The larger of `acc` and `v`, keeping `acc` when `v` is NaN.
#[inline(always)]
fn higher(acc: f64, v: f64) -> f64 {
    if v > acc { v } else { acc }
}

/// The middles of the bins holding the quantiles at the ascending levels `ps` of `bins`,
/// `mid(i)` being bin `i`'s middle, in one pass after the total.
fn quantiles_of<const N: usize>(
    bins: &[u64],
    ps: [f64; N],
    mid: impl Fn(usize) -> f64,
) -> Option<[f64; N]> {
    debug_assert!(ps.windows(2).all(|w| w[0] <= w[1]), "levels ascend");
    let n: u64 = bins.iter().sum();
    if n == 0 {
        return None;
    }
    // Every rank is at most `n`: each is reached by the last bin.
    let ranks = ps.map(|p| quantile_rank(p, n));
    let mut out = [0.0; N];
    let mut next = 0;
    let mut seen = 0;
    // A window is mostly empty or far from the next rank: a block that does not reach it is
    // passed by its sum (which vectorises), not bin by bin.
    const BLOCK: usize = 16;
    for (b, block) in bins.chunks(BLOCK).enumerate() {
        if next == N {
            break;
        }
        let sum: u64 = block.iter().sum();
        if seen + sum < ranks[next] {
            seen += sum;
            continue;
        }
        for (i, &c) in block.iter().enumerate() {
            seen += c;
            while next < N && ranks[next] <= seen {
                out[next] = mid(b * BLOCK + i);
                next += 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The middle of the bin holding the `p` quantile of `bins`, one level at a time, as the
    /// histograms found it before all levels were found in one pass.
    fn quantile_of(bins: &[u64], p: f64, mid: impl Fn(usize) -> f64) -> Option<f64> {
        let n: u64 = bins.iter().sum();
        if n == 0 {
            return None;
        }
        let k = quantile_rank(p, n);
        let mut seen = 0;
        for (i, &c) in bins.iter().enumerate() {
            seen += c;
            if k <= seen {
                return Some(mid(i));
            }
        }
        None
    }

    /// Counting value by value, as the histograms did before runs were counted at once.
    fn reference(values: &[f64]) -> (Vec<(i64, u64)>, f64, f64) {
        let mut bins = std::collections::BTreeMap::new();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in values {
            let v = v.clamp(-crate::stats::MAX_LN, crate::stats::MAX_LN);
            lo = lo.min(v);
            hi = hi.max(v);
            *bins
                .entry((v * (1.0 / COARSE_LN_WIDTH)).floor() as i64)
                .or_insert(0u64) += 1;
        }
        (bins.into_iter().collect(), lo, hi)
    }

    #[test]
    fn runs_and_lanes_count_exactly_what_value_by_value_counting_does() {
        let mut h = CoarseLogHistogram::default();
        let mut all = Vec::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for batch in 0..40 {
            let mut values = Vec::new();
            for i in 0..(batch * 7 % 53) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                // Runs of one value, a spread that grows the window both ways, and infinities.
                let v = match i % 9 {
                    0..=3 => 3.0,
                    4 => f64::NEG_INFINITY,
                    _ => (u - 0.5) * f64::from(batch + 1),
                };
                values.push(v);
            }
            h.insert_batch(&values);
            all.extend(values);
        }
        // A batch of many chunks within the lanes' span.
        let many: Vec<f64> = (0..1_000).map(|i| f64::from(i % 97) * 0.05).collect();
        h.insert_batch(&many);
        all.extend(many);
        let (bins, lo, hi) = reference(&all);
        let got: Vec<(i64, u64)> = (h.bins.iter().enumerate())
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (h.offset + i as i64, *c))
            .collect();
        assert_eq!(got, bins);
        assert_eq!((h.min, h.max), (lo, hi));
        let mut s = ShareHistogram::default();
        let shares: Vec<f64> = all.iter().map(|v| (v.abs() / 30.0).min(1.0)).collect();
        s.insert_batch(&shares[..17]);
        s.insert_batch(&shares[17..]);
        let mut naive = vec![0u64; SHARE_BINS];
        for &v in &shares {
            naive[((v / SHARE_WIDTH) as usize).min(SHARE_BINS - 1)] += 1;
        }
        assert_eq!(s.bins, naive);
        let min = shares.iter().copied().fold(f64::INFINITY, f64::min);
        assert_eq!(s.min, min);
    }

    /// `coarse_bin` is `⌊v / width⌋` as `floor` computes it: on random values, on every bin
    /// edge's neighbourhood near zero and at the clamp, and at both clamps.
    #[test]
    fn coarse_bin_is_the_floor() {
        let floor = |v: f64| (v * (1.0 / COARSE_LN_WIDTH)).floor() as i32;
        let mut values = vec![-crate::stats::MAX_LN, crate::stats::MAX_LN, 0.0, -0.0];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push((2.0 * u - 1.0) * crate::stats::MAX_LN);
        }
        for k in (-1000..=1000)
            .chain(17_700..=17_750)
            .chain(-17_750..=-17_700)
        {
            // Edges as multiples of the width, and values whose scaled value is an integer or a
            // half, with the doubles beside each.
            for e in [
                f64::from(k) * COARSE_LN_WIDTH,
                f64::from(k) / (1.0 / COARSE_LN_WIDTH),
                (f64::from(k) + 0.5) * COARSE_LN_WIDTH,
            ] {
                values.extend([e.next_down(), e, e.next_up()]);
            }
        }
        for v in values {
            let v = v.clamp(-crate::stats::MAX_LN, crate::stats::MAX_LN);
            assert_eq!(coarse_bin(v), floor(v), "{v:e}");
        }
    }

    /// `share_bin` is the bin `⌊s / width⌋` (the last for 1) on random shares and beside every
    /// bin edge.
    #[test]
    fn share_bin_is_the_truncated_quotient() {
        let plain = |s: f64| ((s / SHARE_WIDTH) as usize).min(SHARE_BINS - 1) as u32;
        let mut values = vec![0.0, -0.0, 1.0, 1.0f64.next_down(), f64::MIN_POSITIVE];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> 11) as f64 / (1u64 << 53) as f64);
        }
        for k in 0..=SHARE_BINS {
            for e in [k as f64 * SHARE_WIDTH, k as f64 / (1.0 / SHARE_WIDTH)] {
                values.extend([e.next_down(), e, e.next_up()].map(|v| v.clamp(0.0, 1.0)));
            }
        }
        for s in values {
            assert_eq!(share_bin(s), plain(s), "{s:e}");
        }
        assert_eq!(share_bin(f64::NAN), (SHARE_BINS - 1) as u32);
    }

    /// `cover` leaves the window that growing to hold the low bin, then the high one, did
    /// (a window of 33 bins around the first bin, then half its length again beyond each bin
    /// outside it): the serialised histograms depend on it.
    #[test]
    fn cover_places_the_window_as_growing_bin_by_bin_did() {
        fn add(window: &mut Option<(i64, usize)>, idx: i64) {
            let (offset, len) = window.get_or_insert((idx - 16, 33));
            let hi = *offset + *len as i64 - 1;
            if idx < *offset || idx > hi {
                let slack = (*len as i64 / 2).max(16);
                let (lo, hi) = ((*offset).min(idx - slack), hi.max(idx + slack));
                (*offset, *len) = (lo, (hi - lo + 1) as usize);
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200 {
            let (mut h, mut reference) = (CoarseLogHistogram::default(), None);
            for _ in 0..30 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let lo = (x % 2000) as i64 - 1000;
                let hi = lo + ((x >> 20) % 300) as i64;
                h.cover(lo, hi);
                add(&mut reference, lo);
                add(&mut reference, hi);
                assert_eq!(Some((h.offset, h.bins.len())), reference);
            }
        }
    }

    #[test]
    fn quantiles_fall_in_their_bin_and_a_shared_value_is_exact() {
        let mut h = CoarseLogHistogram::default();
        let values: Vec<f64> = (1..=1000).map(|i| (i as f64).ln()).collect();
        h.insert_batch(&values);
        let median = h.quantile_ln(0.5).unwrap().exp();
        assert!((median / 500.0 - 1.0).abs() < 0.021, "{median}");
        let mut one = CoarseLogHistogram::default();
        one.insert_batch(&[3.7; 10]);
        assert_eq!(one.quantile_ln(0.05), Some(3.7));
        assert_eq!(one.quantile_ln(0.95), Some(3.7));
    }

    #[test]
    fn merging_equals_inserting_everything_in_one() {
        let values: Vec<f64> = (0..500).map(|i| (i as f64 * 0.37).sin() * 20.0).collect();
        let mut all = CoarseLogHistogram::default();
        all.insert_batch(&values);
        let (mut a, mut b) = (CoarseLogHistogram::default(), CoarseLogHistogram::default());
        a.insert_batch(&values[..123]);
        b.insert_batch(&values[123..]);
        b.merge(&a);
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert_eq!(all.quantile_ln(p), b.quantile_ln(p));
        }
        assert_eq!(all.count(), 500);
    }

    /// Quantiles in one pass equal those found level by level, on histograms of one bin, of
    /// runs of empty bins, of ties at every level, and empty.
    #[test]
    fn quantiles_in_one_pass_equal_each_level_alone() {
        const PS: [f64; 9] = [0.0, 0.01, 0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 1.0];
        let mut x = 0x853c_49e6_748f_ea9bu64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for case in 0..300 {
            let mut h = CoarseLogHistogram::default();
            let mut s = ShareHistogram::default();
            let n = [0, 1, 2, 5, 40, 1000][case % 6];
            let spread = [0.0, 0.03, 1.0, 30.0][(case / 6) % 4];
            let values: Vec<f64> = (0..n)
                .map(|_| 5.0 + spread * ((next() >> 11) as f64 / (1u64 << 53) as f64))
                .collect();
            h.insert_batch(&values);
            let shares: Vec<f64> = values.iter().map(|v| (v - 5.0) / 30.0).collect();
            s.insert_batch(&shares);
            let mid =
                |i: usize| (h.offset + i as i64) as f64 * COARSE_LN_WIDTH + 0.5 * COARSE_LN_WIDTH;
            // All levels or none.
            let all = |one: [Option<f64>; 9]| {
                assert!(one.iter().all(|q| q.is_some() == (n > 0)), "{case}");
                (n > 0).then(|| one.map(Option::unwrap))
            };
            let one = PS.map(|p| quantile_of(&h.bins, p, mid).map(|v| v.clamp(h.min, h.max)));
            assert_eq!(h.quantiles_ln(PS), all(one), "{case}");
            assert_eq!(h.quantile_ln(PS[4]), one[4], "{case}");
            let mid = |i: usize| (i as f64 + 0.5) * SHARE_WIDTH;
            let one = PS.map(|p| quantile_of(&s.bins, p, mid).map(|v| v.clamp(s.min, s.max)));
            assert_eq!(s.quantiles(PS), all(one), "{case}");
            assert_eq!(s.quantile(PS[1]), one[1], "{case}");
        }
    }

    #[test]
    fn share_quantiles() {
        let mut h = ShareHistogram::default();
        let shares: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
        h.insert_batch(&shares);
        assert!((h.quantile(0.5).unwrap() - 0.5).abs() <= SHARE_WIDTH);
        assert!((h.quantile(1.0).unwrap() - 1.0).abs() <= SHARE_WIDTH);
        let mut one = ShareHistogram::default();
        one.insert_batch(&[0.25, 0.25]);
        assert_eq!(one.quantile(0.5), Some(0.25));
    }
}
