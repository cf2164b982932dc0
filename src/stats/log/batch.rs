//! Counting a batch of log-values at once: one window move, then vectorised bin positions.

use super::{LOG_WINDOW_BINS, LogHistogram};
use crate::stats::{LOG_BIN_WIDTH, MAX_LN};
use crate::vecmath::{max, min};
use std::mem::MaybeUninit;

impl LogHistogram {
    /// Counts a batch of values given by their natural logs. The window is moved once for the
    /// whole batch, so each value costs a multiply, a rounding and an increment (compiled for
    /// AVX-512 or AVX2 where the CPU has it; the same numbers either way).
    pub fn insert_ln_batch(&mut self, values: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { self.insert_ln_batch_avx512(values) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.insert_ln_batch_avx2(values) };
        }
        self.insert_ln_batch_portable::<8>(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn insert_ln_batch_avx512(&mut self, values: &[f64]) {
        self.insert_ln_batch_portable::<16>(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_ln_batch_avx2(&mut self, values: &[f64]) {
        self.insert_ln_batch_portable::<8>(values);
    }

    /// With `LANES` independent lanes in the scan (see [`scan`]).
    #[inline(always)]
    fn insert_ln_batch_portable<const LANES: usize>(&mut self, values: &[f64]) {
        // Not zeroed (8 KiB a call, more than the binning itself): `scan` writes each position
        // before it is read.
        let mut bits = [MaybeUninit::<u64>::uninit(); CHUNK];
        for chunk in values.chunks(CHUNK) {
            self.insert_chunk::<LANES>(chunk, &mut bits[..chunk.len()]);
        }
    }

    /// [`LogHistogram::insert_ln_batch`] of at most [`CHUNK`] values, with `bits` as long as
    /// `values` to hold their bins.
    #[inline(always)]
    fn insert_chunk<const LANES: usize>(&mut self, values: &[f64], bits: &mut [MaybeUninit<u64>]) {
        let n = values.len() as u64;
        let (lo, hi, finite) = scan::<LANES>(values, bits);
        if n == 0 || !finite || !(lo >= -MAX_LN && hi <= MAX_LN) || n > self.spill_at {
            for &v in values {
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
                for &v in values {
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
    // Sixteen at a time: the loop's own control costs as much as two increments.
    let whole = bits.len() / 16 * 16;
    for i in (0..whole).step_by(16) {
        for l in 0..16 {
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

/// The lowest and highest of `values`, whether every one is finite, and each value's rounded
/// bin as the bits of a double into `bits` (read by [`bin_in`]; meaningful only when all are
/// finite and within ±[`MAX_LN`]), in one pass that vectorises.
///
/// `LANES` independent minima, maxima and sums: each vector operation then waits on one from a
/// lane group back rather than on the one before. Two vectors' worth: more would not fit the
/// sixteen AVX2 registers with the constants, and the values must be spilled.
#[inline(always)]
fn scan<const LANES: usize>(values: &[f64], bits: &mut [MaybeUninit<u64>]) -> (f64, f64, bool) {
    let Some(&first) = values.first() else {
        return (f64::INFINITY, f64::NEG_INFINITY, true);
    };
    let (mut lo, mut hi, mut sum) = ([first; LANES], [first; LANES], [0.0; LANES]);
    let mut lanes = |v: &[f64; LANES], out: &mut [MaybeUninit<u64>; LANES]| {
        for l in 0..LANES {
            lo[l] = if v[l] < lo[l] { v[l] } else { lo[l] };
            hi[l] = if v[l] > hi[l] { v[l] } else { hi[l] };
            // A sum is finite exactly when no value is NaN or ±∞ (or, harmlessly, when the
            // values overflow it: the chunk then takes the slow path, which is exact too).
            sum[l] += v[l];
            out[l] = MaybeUninit::new(rounded_bin(v[l]));
        }
    };
    // A plain loop over whole lanes, then the remainder apart: chaining the two into one
    // iterator costs more in loop control than the lanes' own work.
    let mut chunks = values.chunks_exact(LANES);
    let mut outs = bits.chunks_exact_mut(LANES);
    for (chunk, out) in (&mut chunks).zip(&mut outs) {
        lanes(
            chunk.try_into().expect("whole lanes"),
            out.try_into().expect("whole lanes"),
        );
    }
    let (rest_in, rest_out) = (chunks.remainder(), outs.into_remainder());
    if !rest_in.is_empty() {
        // Padded with the first value (which changes neither bound; its sum is finite).
        let mut rest = [first; LANES];
        rest[..rest_in.len()].copy_from_slice(rest_in);
        let mut out = [MaybeUninit::uninit(); LANES];
        lanes(&rest, &mut out);
        rest_out.copy_from_slice(&out[..rest_out.len()]);
    }
    let lo = lo.into_iter().fold(f64::INFINITY, f64::min);
    let hi = hi.into_iter().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi, sum.iter().all(|s| s.is_finite()))
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
pub(super) fn bin_of(ln_x: f64) -> i64 {
    i64::from(bin_in(rounded_bin(ln_x)))
}

/// The bits of `ln x / width − ½` rounded to an integer by adding [`ROUND_MAGIC`]: the bin in
/// their low 32 bits ([`bin_in`]). Kept whole, so that a vector of them is stored as it is.
#[inline(always)]
fn rounded_bin(ln_x: f64) -> u64 {
    ((ln_x * INV_LOG_BIN_WIDTH - 0.5) + ROUND_MAGIC).to_bits()
}

/// The bin held by [`rounded_bin`]'s bits.
#[inline(always)]
fn bin_in(bits: u64) -> i32 {
    bits as i32
}

#[cfg(test)]
mod tests {
    use super::*;
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

    /// Every bin with a count: (bin index, count).
    fn nonzero(h: &LogHistogram) -> Vec<(i64, u64)> {
        let bins = h.counts().enumerate().filter(|(_, c)| *c > 0);
        bins.map(|(i, c)| (h.offset + i as i64, c)).collect()
    }
}
