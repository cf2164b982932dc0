//! Counting a batch of log-values at once: one window move, then vectorised bin positions.

use super::ln_columns::{Formula, Lane, LnColumns};
use super::simd::Simd;
use super::{LOG_WINDOW_BINS, LogHistogram};
use crate::stats::{LOG_BIN_WIDTH, MAX_LN};
use crate::vecmath::{max, min};
use std::mem::MaybeUninit;

impl LogHistogram {
    /// Counts a batch of values given by their natural logs. The window is moved once for the
    /// whole batch, so each value costs a multiply, a rounding and an increment (compiled for
    /// AVX-512 or AVX2 where the CPU has it; the same numbers either way).
    pub fn insert_ln_batch(&mut self, values: &[f64]) {
        self.insert_ln_columns(LnColumns::held(values));
    }

    /// [`LogHistogram::insert_ln_batch`] of the values a formula makes of columns, each worked
    /// out in vector registers as it is counted (the same numbers as one by one).
    pub fn insert_ln_columns<const K: usize, F: Formula<K>>(
        &mut self,
        values: LnColumns<'_, K, F>,
    ) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { self.insert_ln_columns_avx512(values) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.insert_ln_columns_avx2(values) };
        }
        self.insert_ln_columns_in::<f64, 8, K, F>(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn insert_ln_columns_avx512<const K: usize, F: Formula<K>>(
        &mut self,
        values: LnColumns<'_, K, F>,
    ) {
        self.insert_ln_columns_in::<super::simd::F64x8, 2, K, F>(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_ln_columns_avx2<const K: usize, F: Formula<K>>(
        &mut self,
        values: LnColumns<'_, K, F>,
    ) {
        self.insert_ln_columns_in::<super::simd::F64x4, 2, K, F>(values);
    }

    /// With `U` vectors of `V` in the scan (see [`scan`]); `V` is a vector type the CPU has.
    #[inline(always)]
    fn insert_ln_columns_in<V: Simd, const U: usize, const K: usize, F: Formula<K>>(
        &mut self,
        values: LnColumns<'_, K, F>,
    ) {
        // Not zeroed (8 KiB a call, more than the binning itself): `scan` writes each position
        // before it is read.
        let mut bits = [MaybeUninit::<u64>::uninit(); CHUNK];
        let n = values.len();
        for from in (0..n).step_by(CHUNK) {
            let to = n.min(from + CHUNK);
            self.insert_chunk::<V, U, K, F>(values.rows(from..to), &mut bits[..to - from]);
        }
    }

    /// [`LogHistogram::insert_ln_columns`] of at most [`CHUNK`] values, with `bits` as long as
    /// `values` to hold their bins.
    #[inline(always)]
    fn insert_chunk<V: Simd, const U: usize, const K: usize, F: Formula<K>>(
        &mut self,
        values: LnColumns<'_, K, F>,
        bits: &mut [MaybeUninit<u64>],
    ) {
        let n = values.len() as u64;
        let (lo, hi, finite) = scan::<V, U, K, F>(values, bits);
        if n == 0 || !finite || !(lo >= -MAX_LN && hi <= MAX_LN) || n > self.spill_at {
            for v in values.iter() {
                self.insert_ln(v);
            }
            return;
        }
        let (lo_idx, hi_idx) = (bin_of(lo), bin_of(hi));
        // Mostly the bins already cover the chunk and the window stays: nothing to move.
        let covered = !self.bins.is_empty()
            && lo_idx >= self.offset
            && hi_idx < self.offset + self.bins.len() as i64
            && hi_idx <= self.top
            && self.offset > self.top - LOG_WINDOW_BINS;
        if !covered {
            self.add(hi_idx, 0);
            self.add(lo_idx, 0);
            if lo_idx < self.top - LOG_WINDOW_BINS + 1 {
                for v in values.iter() {
                    self.insert_ln(v);
                }
                return;
            }
        }
        if self.unspilled + n > self.spill_at {
            self.spill();
        }
        self.unspilled += n;
        self.min = min(self.min, lo);
        self.max = max(self.max, hi);
        // Every value's bin lies in [lo_idx, hi_idx] (`bin_of` never decreases), which the bins
        // now cover: checked once here, so the increments below need no check of their own.
        assert!(lo_idx >= self.offset && ((hi_idx - self.offset) as usize) < self.bins.len());
        if lo_idx == hi_idx {
            // One bin for all (a quantity fixed at a year): one addition, not a chain of
            // increments each waiting on the one before.
            self.bins[(lo_idx - self.offset) as usize] += n as u16;
            return;
        }
        // The bins' start moved back by the window's offset, so that a value's own bin index
        // addresses its count.
        let origin = self
            .bins
            .as_mut_ptr()
            .wrapping_offset(-(self.offset as isize));
        // SAFETY: `scan` wrote every position, and offset ≤ bin ≤ hi_idx < offset +
        // bins.len(), asserted above, so every pointer is inside `bins`.
        unsafe { count(origin, bits) };
    }
}

/// Adds one to the count at `origin + bin` for the bin of each of `bits` ([`bin_in`]).
///
/// # Safety
/// Every position of `bits` is written, and each bin's count lies inside the allocation.
#[inline(always)]
unsafe fn count(origin: *mut u16, bits: &[MaybeUninit<u64>]) {
    // Each bin is read as the 32-bit half of its word that holds the low bits, so that the
    // compiler loads it sign-extended in one instruction rather than vectorising the
    // extraction.
    let low = bits
        .as_ptr()
        .cast::<i32>()
        .wrapping_add(usize::from(cfg!(target_endian = "big")));
    let bin = |i: usize| unsafe { low.add(2 * i).read() };
    // Thirty-two at a time: the loop's own control costs as much as two increments, and a
    // batch (1,024 values) is whole turns.
    let whole = bits.len() / 32 * 32;
    for i in (0..whole).step_by(32) {
        for l in 0..32 {
            unsafe { *origin.wrapping_offset(bin(i + l) as isize) += 1 };
        }
    }
    for i in whole..bits.len() {
        unsafe { *origin.wrapping_offset(bin(i) as isize) += 1 };
    }
}

/// Values binned in one pass: the bins of a chunk (a whole batch of the tally) are held on the
/// stack.
const CHUNK: usize = 1024;

/// The most numbers [`scan`] takes a step: two AVX-512 vectors.
const MAX_STEP: usize = 16;

/// The lowest and highest of `values`, whether every one is finite, and each value's rounded
/// bin as the bits of a double into `bits`, as long as `values` (read by [`bin_in`]; meaningful
/// only when all are finite and within ±[`MAX_LN`]), in one pass, `U` vectors of `V` a step.
///
/// `U · WIDTH` independent minima, maxima and sums, lane `l` taking the values at `l` mod the
/// step: each vector operation then waits on one from a step back rather than on the one
/// before. Two vectors' worth: more would not fit the sixteen AVX2 registers with the
/// constants. The lanes are the portable scan's eight numbers (`f64`, `U` = 8) in AVX2's two
/// vectors of four, so both fold to the same least and greatest.
#[inline(always)]
fn scan<V: Simd, const U: usize, const K: usize, F: Formula<K>>(
    values: LnColumns<'_, K, F>,
    bits: &mut [MaybeUninit<u64>],
) -> (f64, f64, bool) {
    let n = values.len();
    assert_eq!(bits.len(), n, "a bin for every value");
    let Some(first) = (n > 0).then(|| values.get(0)) else {
        return (f64::INFINITY, f64::NEG_INFINITY, true);
    };
    let step = U * V::WIDTH;
    assert!(
        step <= MAX_STEP,
        "a step's numbers fit the remainder's buffer"
    );
    let (mut lo, mut hi, mut sum) = (
        [V::splat(first); U],
        [V::splat(first); U],
        [V::splat(0.0); U],
    );
    let bins = bits.as_mut_ptr().cast::<f64>();
    let whole = n / step * step;
    let mut i = 0;
    while i < whole {
        for u in 0..U {
            let at = i + u * V::WIDTH;
            // SAFETY: `at + WIDTH ≤ i + step ≤ whole ≤ n`, the length of `values` and of
            // `bits` (a `u64` the size of an `f64`).
            let v = unsafe { values.load::<V>(at) };
            lo[u] = v.min_of(lo[u]);
            hi[u] = v.max_of(hi[u]);
            // A sum is finite exactly when no value is NaN or ±∞ (or, harmlessly, when the
            // values overflow it: the chunk then takes the slow path, which is exact too).
            sum[u] = sum[u] + v;
            unsafe { rounded_bin_bits(v).store(bins.add(at)) };
        }
        i += step;
    }
    if whole < n {
        // The last values, padded with the first (which changes neither bound; its sum is
        // finite), in a step of their own.
        let mut rest = [first; MAX_STEP];
        for (r, k) in rest.iter_mut().zip(whole..n) {
            *r = values.get(k);
        }
        let mut rest_bins = [0.0; MAX_STEP];
        for u in 0..U {
            // SAFETY: `u · WIDTH + WIDTH ≤ step ≤ MAX_STEP`, the buffers' length.
            let v = unsafe { V::load(rest.as_ptr().add(u * V::WIDTH)) };
            lo[u] = v.min_of(lo[u]);
            hi[u] = v.max_of(hi[u]);
            sum[u] = sum[u] + v;
            unsafe { rounded_bin_bits(v).store(rest_bins.as_mut_ptr().add(u * V::WIDTH)) };
        }
        for (b, r) in bits[whole..].iter_mut().zip(rest_bins) {
            *b = MaybeUninit::new(r.to_bits());
        }
    }
    let lanes = |vectors: [V; U]| {
        let mut numbers = [0.0; MAX_STEP];
        for (u, v) in vectors.into_iter().enumerate() {
            // SAFETY: `u · WIDTH + WIDTH ≤ step ≤ MAX_STEP`.
            unsafe { v.store(numbers.as_mut_ptr().add(u * V::WIDTH)) };
        }
        numbers
    };
    let lo = lanes(lo)[..step]
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = lanes(hi)[..step]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi, lanes(sum)[..step].iter().all(|s| s.is_finite()))
}

/// `1 / LOG_BIN_WIDTH`: bins are found by a multiplication.
const INV_LOG_BIN_WIDTH: f64 = 1.0 / LOG_BIN_WIDTH;

/// 1.5 · 2⁵²: adding it to a double of magnitude below 2³¹ leaves that number rounded to an
/// integer in the low bits of the mantissa, a conversion the compiler can vectorise (Rust's
/// saturating `as` casts cannot be).
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// [`rounded_bin`] lane by lane, as the numbers whose bits it gives.
#[inline(always)]
fn rounded_bin_bits<T: Lane>(ln_x: T) -> T {
    (ln_x * T::splat(INV_LOG_BIN_WIDTH) - T::splat(0.5)) + T::splat(ROUND_MAGIC)
}

/// The bin of a log-value within ±[`MAX_LN`]: `⌊ln x / width⌋` (a value exactly on a bin edge
/// may land in the bin below, which keeps every quantile bound).
#[inline]
pub(super) fn bin_of(ln_x: f64) -> i64 {
    i64::from(bin_in(rounded_bin(ln_x)))
}

/// The bits of `ln x / width − ½` rounded to an integer by adding [`ROUND_MAGIC`]: the bin in
/// their low 32 bits ([`bin_in`]). Kept whole, so that a vector of them is stored as it is.
#[inline(always)]
fn rounded_bin(ln_x: f64) -> u64 {
    rounded_bin_bits(ln_x).to_bits()
}

/// The bin held by [`rounded_bin`]'s bits.
#[inline(always)]
fn bin_in(bits: u64) -> i32 {
    bits as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::log::ln_columns::{Formula, Lane};
    use crate::stats::tests::PS;
    use rand::{RngExt, SeedableRng};

    /// Batches, single inserts, merges and the 16-bit bins' spills (here every 1,000 values,
    /// with crowded bins that spill and sparse ones that never do) give the counts a plain
    /// 64-bit count of each value's bin gives; all quantiles in one pass equal each quantile
    /// alone.
    #[test]
    fn batches_spills_and_one_pass_quantiles_agree_with_single_inserts() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let values: Vec<f64> = (0..25_000)
            .map(|_| {
                let u = rng.random::<f64>();
                if rng.random::<f64>() < 0.4 {
                    0.04 * u
                } else {
                    6.0 * u - 3.0
                }
            })
            .collect();
        let mut plain = std::collections::BTreeMap::new();
        for &v in &values {
            *plain.entry(bin_of(v)).or_insert(0u64) += 1;
        }
        let plain: Vec<(i64, u64)> = plain.into_iter().collect();
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
        assert!(batched.wide.heap_bytes() > 0, "the test spills");
        for h in [&one, &batched, &merged] {
            assert!(h.is_consistent());
            assert_eq!(h.count(), values.len() as u64);
            assert_eq!(nonzero(h), plain);
            let all = h.quantiles_ln(PS).unwrap();
            for (p, q) in PS.iter().zip(all) {
                assert_eq!(Some(q), one.quantile_ln(*p), "p = {p}");
            }
        }
        assert_eq!(LogHistogram::default().quantiles_ln(PS), None);
    }

    /// At the real spill point, far more values than 16 bits count land in one bin and in two,
    /// in batches, one by one and merged: every count is exact.
    #[test]
    fn crowded_bins_count_past_sixteen_bits() {
        let (one_bin, two_bins) = ([5.0; 1024], [5.0, 5.5].repeat(512));
        let (mut a, mut b, mut c) = Default::default();
        for _ in 0..200 {
            LogHistogram::insert_ln_batch(&mut a, &one_bin);
            LogHistogram::insert_ln_batch(&mut b, &two_bins);
        }
        for _ in 0..100_000 {
            LogHistogram::insert_ln(&mut c, 5.5);
        }
        let mut merged: LogHistogram = a.clone();
        merged.merge(&b);
        merged.merge(&c);
        merged.merge(&a);
        let (x, y) = (bin_of(5.0), bin_of(5.5));
        assert_eq!(nonzero(&a), [(x, 204_800)]);
        assert_eq!(nonzero(&b), [(x, 102_400), (y, 102_400)]);
        assert_eq!(nonzero(&c), [(y, 100_000)]);
        assert_eq!(nonzero(&merged), [(x, 512_000), (y, 202_400)]);
        for h in [&a, &b, &c, &merged] {
            assert!(h.is_consistent());
        }
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
        // A chunk whose values share one bin is counted by one addition.
        batch.insert_ln_batch(&[190.0; 300]);
        (0..300).for_each(|_| one.insert_ln(190.0));
        batch.insert_ln_batch(&[f64::NAN, 1.0, f64::INFINITY]);
        one.insert_ln(1.0);
        one.insert_ln(f64::INFINITY);
        one.insert_ln(f64::NAN);
        for p in PS {
            assert_eq!(one.quantile_ln(p), batch.quantile_ln(p));
        }
        assert_eq!(one.count(), batch.count());
        assert_eq!(nonzero(&batch), nonzero(&one));
    }

    /// `a − b`, as a target's cost is made.
    #[derive(Clone, Copy)]
    struct Less;

    impl Formula<2> for Less {
        fn at<T: Lane>(&self, [a, b]: [T; 2]) -> T {
            a - b
        }
    }

    /// The portable scan, AVX2's and AVX-512's (each where the CPU has it, whatever the
    /// dispatch would pick) count a formula's values as single inserts of each value do: the
    /// same bins, the same least and greatest value to the bit, for every length of the last
    /// step, with a NaN or an infinity sending a chunk to the slow path.
    #[test]
    fn every_vector_width_counts_like_single_inserts() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(11);
        let a: Vec<f64> = (0..3000).map(|_| 20.0 * rng.random::<f64>()).collect();
        let mut b: Vec<f64> = (0..3000).map(|_| 5.0 * rng.random::<f64>()).collect();
        b[2500] = f64::NAN;
        b[2700] = f64::NEG_INFINITY;
        let mut widths = 0;
        for n in [0, 1, 5, 8, 9, 15, 16, 17, 31, 1023, 1024, 1025, 2047, 3000] {
            let values = LnColumns::new([&a[..n], &b[..n]], Less);
            let mut one = LogHistogram::default();
            values.iter().for_each(|v| one.insert_ln(v));
            let mut counted = vec![LogHistogram::default()];
            counted[0].insert_ln_columns_in::<f64, 8, 2, Less>(values);
            #[cfg(target_arch = "x86_64")]
            {
                if std::is_x86_feature_detected!("avx2") {
                    let mut h = LogHistogram::default();
                    // SAFETY: the CPU has AVX2.
                    unsafe { h.insert_ln_columns_avx2(values) };
                    counted.push(h);
                }
                if std::is_x86_feature_detected!("avx512f") {
                    let mut h = LogHistogram::default();
                    // SAFETY: the CPU has AVX-512F.
                    unsafe { h.insert_ln_columns_avx512(values) };
                    counted.push(h);
                }
            }
            widths = counted.len();
            for h in &counted {
                assert_eq!(nonzero(h), nonzero(&one), "{n} values");
                assert_eq!(h.count(), n as u64);
                assert_eq!(
                    (h.min.to_bits(), h.max.to_bits()),
                    (one.min.to_bits(), one.max.to_bits()),
                    "{n} values"
                );
            }
        }
        eprintln!("{widths} ways of counting compared");
    }

    /// Every bin with a count: (bin index, count).
    fn nonzero(h: &LogHistogram) -> Vec<(i64, u64)> {
        h.contents().0
    }
}
