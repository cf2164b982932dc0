//! Counting a batch of log-values at once: one window move, then vectorised bin positions.

use super::{LOG_WINDOW_BINS, LogHistogram};
use crate::stats::{LOG_BIN_WIDTH, MAX_LN};
use crate::vecmath::{max, min};
use std::mem::MaybeUninit;

impl LogHistogram {
    /// Counts a batch of values given by their natural logs. The window is moved once for the
    /// whole batch, so each value costs a multiply, a rounding and an increment (compiled for
    /// AVX2 where the CPU has it; the same numbers either way).
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
        self.insert_ln_batch_portable(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn insert_ln_batch_avx512(&mut self, values: &[f64]) {
        self.insert_ln_batch_portable(values);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_ln_batch_avx2(&mut self, values: &[f64]) {
        self.insert_ln_batch_portable(values);
    }

    #[inline(always)]
    fn insert_ln_batch_portable(&mut self, values: &[f64]) {
        // Not zeroed (a kilobyte a call, more than the binning itself): `scan` writes each
        // position before it is read.
        let mut idx = [MaybeUninit::<i32>::uninit(); CHUNK];
        for chunk in values.chunks(CHUNK) {
            self.insert_chunk(chunk, &mut idx[..chunk.len()]);
        }
    }

    /// [`LogHistogram::insert_ln_batch`] of at most [`CHUNK`] values, with `idx` as long as
    /// `values` to hold their bins.
    #[inline(always)]
    fn insert_chunk(&mut self, values: &[f64], idx: &mut [MaybeUninit<i32>]) {
        let n = values.len() as u64;
        let (lo, hi, finite) = scan(values, idx);
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
        // The bins' start moved back by the window's offset, so that a value's own bin index
        // addresses its count.
        let origin = self
            .bins
            .as_mut_ptr()
            .wrapping_offset(-(self.offset as isize));
        for i in &*idx {
            // SAFETY: `scan` wrote every position, and offset ≤ i ≤ hi_idx < offset +
            // bins.len(), asserted above, so the pointer is inside `bins`.
            unsafe { *origin.wrapping_offset(i.assume_init() as isize) += 1 };
        }
    }
}

/// Values binned in one pass: the bins of a chunk are held on the stack.
const CHUNK: usize = 256;

/// Lanes of the scan: independent minima, maxima and sums, so that each vector operation
/// waits on one from four lanes back rather than on the one before.
const LANES: usize = 16;

/// The lowest and highest of `values`, whether every one is finite, and each value's bin into
/// `idx` (meaningful only when all are finite and within ±[`MAX_LN`]), in one pass that
/// vectorises.
#[inline(always)]
fn scan(values: &[f64], idx: &mut [MaybeUninit<i32>]) -> (f64, f64, bool) {
    let Some(&first) = values.first() else {
        return (f64::INFINITY, f64::NEG_INFINITY, true);
    };
    let (mut lo, mut hi, mut poison) = ([first; LANES], [first; LANES], [0.0; LANES]);
    let mut lanes = |v: &[f64; LANES], out: &mut [MaybeUninit<i32>; LANES]| {
        for l in 0..LANES {
            lo[l] = if v[l] < lo[l] { v[l] } else { lo[l] };
            hi[l] = if v[l] > hi[l] { v[l] } else { hi[l] };
            // v − v is 0 for a finite value and NaN for ±∞ or NaN, which then stays.
            #[allow(clippy::eq_op)]
            let zero_if_finite = v[l] - v[l];
            poison[l] += zero_if_finite;
            out[l] = MaybeUninit::new(bin_of(v[l]) as i32);
        }
    };
    // A plain loop over whole chunks, then the remainder apart: chaining the two into one
    // iterator costs more in loop control than the lanes' own work.
    let mut chunks = values.chunks_exact(LANES);
    let mut outs = idx.chunks_exact_mut(LANES);
    for (chunk, out) in (&mut chunks).zip(&mut outs) {
        lanes(
            chunk.try_into().expect("whole lanes"),
            out.try_into().expect("whole lanes"),
        );
    }
    // The remainder, padded with the first value (which changes neither bound).
    let (rest_in, rest_out) = (chunks.remainder(), outs.into_remainder());
    let mut rest = [first; LANES];
    rest[..rest_in.len()].copy_from_slice(rest_in);
    let mut out = [MaybeUninit::uninit(); LANES];
    lanes(&rest, &mut out);
    rest_out.copy_from_slice(&out[..rest_out.len()]);
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
pub(super) fn bin_of(ln_x: f64) -> i64 {
    i64::from(((ln_x * INV_LOG_BIN_WIDTH - 0.5) + ROUND_MAGIC).to_bits() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::PS;
    use rand::{RngExt, SeedableRng};

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
        batch.insert_ln_batch(&[f64::NAN, 1.0, f64::INFINITY]);
        one.insert_ln(1.0);
        one.insert_ln(f64::INFINITY);
        one.insert_ln(f64::NAN);
        for p in PS {
            assert_eq!(one.quantile_ln(p), batch.quantile_ln(p));
        }
        assert_eq!(one.count(), batch.count());
    }
}
