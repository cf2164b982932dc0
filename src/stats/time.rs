//! Affordability times in bins of [`TIME_BIN_YEARS`].

use super::spill::{self, SPILL_AT, WideBins};
#[cfg(target_arch = "x86_64")]
use super::years::{ONE_YEAR, SEARCH};
use super::{TIME_BIN_YEARS, YearCounts, YearIndex, YearTable, quantile_rank};

/// Histogram of affordability times on `[origin, end]`, plus the atoms `τ = origin` and `τ = ∞`.
///
/// Bins count in 16 bits, and the few that could overflow move their counts into 64-bit ones
/// ([`spill`]): a long horizon has many bins (10,000 for a century), and at 2 bytes a bin four
/// times as many of them stay in cache as at 8 (a run feeds every target × class pair's
/// histogram a batch at a time).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "SavedTimes", into = "SavedTimes")]
pub struct TimeHistogram {
    origin: f64,
    at_origin: u64,
    /// Counts in 16 bits; a bin's whole count adds its count in `wide`.
    bins: Vec<u16>,
    /// The 64-bit counts of bins that could have overflowed (few, and none in most runs).
    wide: WideBins,
    /// Times counted in `bins` since the last spill: no bin exceeds [`SPILL_AT`] plus this.
    unspilled: u64,
    never: u64,
    min: f64,
    max: f64,
}

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
        let mut h = Self {
            origin: s.origin,
            at_origin: s.at_origin,
            bins: vec![0; s.bins.len()],
            wide: WideBins::default(),
            unspilled: 0,
            never: s.never,
            min: s.min,
            max: s.max,
        };
        for (i, c) in s.bins.into_iter().enumerate() {
            h.add_whole(i, c);
        }
        h
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
        std::mem::size_of_val(&self.bins[..]) + self.wide.heap_bytes()
    }

    /// An empty histogram for times from `origin` (when the target exists) to `end`.
    pub fn new(origin: f64, end: f64) -> Self {
        let n = (((end - origin) / TIME_BIN_YEARS).ceil() as usize).max(1);
        Self {
            origin,
            at_origin: 0,
            bins: vec![0; n],
            wide: WideBins::default(),
            unspilled: 0,
            never: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// The count of every bin.
    fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        spill::counts(&self.bins, 0, &self.wide)
    }

    /// Moves the 16-bit counts that could overflow into the 64-bit ones ([`spill::spill`]).
    fn spill(&mut self) {
        spill::spill(&mut self.bins, 0, SPILL_AT as u16, &mut self.wide);
        self.unspilled = 0;
    }

    /// Adds `count` times to bin `i`, as a merge does ([`spill::add_whole`]).
    fn add_whole(&mut self, i: usize, count: u64) {
        spill::add_whole(&mut self.bins, 0, i, count, SPILL_AT as u16, &mut self.wide);
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

    /// Counts a batch of times as [`TimeHistogram::insert`] of each would, and each against
    /// the reporting years into `counts` as [`YearCounts::insert_before`] of
    /// [`YearTable::years_before`] would (`table` is this histogram's). Compiled for AVX2 where
    /// the CPU has it, with the same counts either way (and the same least and greatest time,
    /// but for the sign of a zero among them, which needs an origin before year 0: a scenario's
    /// years lie in 1000–3000). The vector loop takes fewer than [`LOCAL_YEARS`] reporting years
    /// and a table with a bin to park atoms on; other batches are counted a time at a time.
    pub fn insert_all(
        &mut self,
        taus: Strided<'_>,
        years: &YearIndex,
        table: &YearTable,
        counts: &mut YearCounts,
    ) {
        self.insert_all_with(taus, years, table, counts, true);
    }

    /// [`TimeHistogram::insert_all`], a time at a time unless `vector` (for the tests, which
    /// check that both ways count the same).
    pub(super) fn insert_all_with(
        &mut self,
        taus: Strided<'_>,
        years: &YearIndex,
        table: &YearTable,
        counts: &mut YearCounts,
        vector: bool,
    ) {
        for chunk in taus.chunks(SPILL_AT as usize) {
            if self.unspilled + chunk.len() as u64 > SPILL_AT {
                self.spill();
            }
            #[cfg(target_arch = "x86_64")]
            // The vector loop's bounds: a parking bin of this histogram (not of a longer one's
            // table), and an origin below +∞, so that no time is both `+∞` and at the origin.
            if let (true, Some(parking)) = (
                vector
                    && std::is_x86_feature_detected!("avx2")
                    && counts.len() < LOCAL_YEARS
                    && counts.len() == table.n_years()
                    && self.origin.is_finite(),
                table.parking().filter(|&p| p < self.bins.len()),
            ) {
                // SAFETY: the CPU has AVX2.
                unsafe { self.insert_all_avx2(chunk, years, table, parking, counts) };
                continue;
            }
            #[cfg(not(target_arch = "x86_64"))]
            let _ = vector;
            self.insert_all_portable(chunk, years, table, counts);
        }
    }

    /// [`TimeHistogram::insert_all`] of at most [`SPILL_AT`] times, room made, a time at a
    /// time. The counters are kept in registers, not in the histogram: each increment of a
    /// field would wait on the one before it through memory.
    fn insert_all_portable(
        &mut self,
        taus: Strided<'_>,
        years: &YearIndex,
        table: &YearTable,
        counts: &mut YearCounts,
    ) {
        let (origin, last) = (self.origin, self.bins.len() - 1);
        let (mut at_or_below, mut at_origin, mut never, mut inside) = (0, 0, 0, 0);
        let (mut min, mut max) = (self.min, self.max);
        let bins = &mut self.bins[..];
        for tau in taus.iter() {
            if tau == f64::INFINITY {
                never += 1;
            } else if tau <= origin {
                at_or_below += 1;
                if tau == origin {
                    at_origin += 1;
                } else {
                    counts.insert_before(table.years_before(years, tau, None));
                }
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
                counts.insert_before(table.years_before(years, tau, Some(i)));
            }
        }
        self.at_origin += at_or_below;
        self.never += never;
        self.unspilled += inside;
        (self.min, self.max) = (min, max);
        // A time at `+∞` is before no reporting year.
        counts.add_before(table.years_before(years, origin, None), at_origin);
    }

    /// [`TimeHistogram::insert_all_portable`] four times at once and without a branch on what
    /// kind each time is (a quarter of a pair's times are atoms, in no order the predictor
    /// could learn): a time in a bin adds one to its bin and to its year's count; an atom adds
    /// one at `table`'s parking bin, whose year needs neither a search nor a comparison, and
    /// those ones are taken off again after the loop (the atoms are counted in vector lanes).
    /// A time before the origin (never seen in a shipped scenario) is counted against the years
    /// afterwards, by a second look at the chunk; the last few times, fewer than four, are
    /// counted a time at a time. Fewer than [`LOCAL_YEARS`] reporting years.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn insert_all_avx2(
        &mut self,
        taus: Strided<'_>,
        years: &YearIndex,
        table: &YearTable,
        parking: usize,
        counts: &mut YearCounts,
    ) {
        use std::arch::x86_64::*;
        let (index, at_origin_k) = table.lookups();
        let n_years = counts.len();
        debug_assert!(n_years < LOCAL_YEARS);
        let (origin, last) = (self.origin, self.bins.len() - 1);
        // A bin fits a signed 32-bit number (the conversion is signed): a horizon is at most
        // 500 years, 50,000 bins.
        debug_assert!(last < i32::MAX as usize);
        // Per lane, per reporting year and one more for the times after the last: a lane's own
        // counts, so that times of the same year in neighbouring lanes (most are) do not wait
        // on each other's increments through memory.
        // Only the counts in use are zeroed (the whole buffer is 4 KiB a call).
        let mut buffer = [[std::mem::MaybeUninit::<u32>::uninit(); LOCAL_YEARS]; 4];
        let mut local = buffer.each_mut().map(|lane| {
            let lane = &mut lane[..=n_years];
            lane.fill(std::mem::MaybeUninit::new(0));
            // SAFETY: every count of the slice was just written.
            unsafe { &mut *(lane as *mut [std::mem::MaybeUninit<u32>] as *mut [u32]) }
        });
        let bins = &mut self.bins[..=last];
        let index = &index[..=last];
        let v_origin = _mm256_set1_pd(origin);
        let (v_inf, v_zero) = (_mm256_set1_pd(f64::INFINITY), _mm256_setzero_pd());
        let (v_width, v_last) = (_mm256_set1_pd(TIME_BIN_YEARS), _mm256_set1_pd(last as f64));
        let v_parking = _mm256_set1_pd(parking as f64);
        let v_neg_inf = _mm256_set1_pd(f64::NEG_INFINITY);
        let (mut v_min, mut v_max) = (_mm256_set1_pd(self.min), _mm256_set1_pd(self.max));
        let (mut n_le, mut n_eq, mut n_never) = (
            _mm256_setzero_si256(),
            _mm256_setzero_si256(),
            _mm256_setzero_si256(),
        );
        let whole = taus.len() / 4 * 4;
        let lanes = [0, 1, 2, 3].map(|l| l * taus.stride);
        for i in (0..whole).step_by(4) {
            let at = i * taus.stride;
            // SAFETY: `at + 3 · stride` is the place of time `i + 3 < whole ≤ taus.len()`.
            let quad = unsafe { lanes.map(|l| *taus.data.get_unchecked(at + l)) };
            let t = _mm256_set_pd(quad[3], quad[2], quad[1], quad[0]);
            let is_never = _mm256_cmp_pd::<_CMP_EQ_OQ>(t, v_inf);
            let le = _mm256_cmp_pd::<_CMP_LE_OQ>(t, v_origin);
            let eq = _mm256_cmp_pd::<_CMP_EQ_OQ>(t, v_origin);
            // A NaN is in a bin (bin 0), being neither `+∞` nor at or before the origin.
            let atom = _mm256_or_pd(is_never, le);
            // As `insert_unchecked`, `⌊x⌋` at most `last`; `x` taken to 0 where it is not
            // above 0 (times at or before the origin, NaN), so that the conversion sees a
            // number in `[0, last]`.
            let x = _mm256_div_pd(_mm256_sub_pd(t, v_origin), v_width);
            let x = _mm256_blendv_pd(x, v_last, _mm256_cmp_pd::<_CMP_GT_OQ>(x, v_last));
            let x = _mm256_and_pd(x, _mm256_cmp_pd::<_CMP_GT_OQ>(x, v_zero));
            let bin = _mm256_round_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(x);
            let bin = _mm256_blendv_pd(bin, v_parking, atom);
            let mut quad_bins = [0u32; 4];
            // SAFETY: four i32 lanes into four u32s.
            unsafe { _mm_storeu_si128(quad_bins.as_mut_ptr().cast(), _mm256_cvttpd_epi32(bin)) };
            // The lanes' masks are −1 where true.
            n_le = _mm256_sub_epi64(n_le, _mm256_castpd_si256(le));
            n_eq = _mm256_sub_epi64(n_eq, _mm256_castpd_si256(eq));
            n_never = _mm256_sub_epi64(n_never, _mm256_castpd_si256(is_never));
            // `min(a, b)` is `b` unless `a < b`, so a NaN (or an atom's ±∞) leaves it be.
            v_min = _mm256_min_pd(_mm256_blendv_pd(t, v_inf, atom), v_min);
            v_max = _mm256_max_pd(_mm256_blendv_pd(t, v_neg_inf, atom), v_max);
            for ((bin, tau), local) in quad_bins.into_iter().zip(quad).zip(&mut local) {
                let bin = bin as usize;
                debug_assert!(bin <= last);
                // SAFETY: every bin is `parking` (at most `last`, checked by `insert_all_with`)
                // or `⌊x⌋` of an `x` in `[0, last]` (above), and `bins` and `index` are
                // `last + 1` long.
                let k = unsafe {
                    *bins.get_unchecked_mut(bin) += 1;
                    *index.get_unchecked(bin)
                };
                let k = if k < ONE_YEAR {
                    usize::from(k)
                } else if k != SEARCH {
                    years.one_year(usize::from(k & !ONE_YEAR), tau)
                } else {
                    search(years, tau).min(n_years)
                };
                debug_assert!(k <= n_years);
                // SAFETY: `k` is at most `n_years`: a searched one by the `min` above, a
                // table's as it counts the table's reporting years before a time
                // (`YearTable::lookups`; a `ONE_YEAR` entry's number is below their count, so
                // with one added it is at most that), as many as `counts` has (checked by
                // `insert_all_with`); and a lane's counts are `n_years + 1` long.
                unsafe { *local.get_unchecked_mut(k) += 1 };
            }
        }
        let mut sums = [[0u64; 4]; 3];
        let (mut mins, mut maxs) = ([0.0; 4], [0.0; 4]);
        // SAFETY: four 64-bit lanes into four 64-bit numbers, each.
        unsafe {
            for (sum, v) in sums.iter_mut().zip([n_le, n_eq, n_never]) {
                _mm256_storeu_si256(sum.as_mut_ptr().cast(), v);
            }
            _mm256_storeu_pd(mins.as_mut_ptr(), v_min);
            _mm256_storeu_pd(maxs.as_mut_ptr(), v_max);
        }
        let [le, eq, never] = sums.map(|lanes| lanes.iter().sum::<u64>());
        // The atoms' ones at the parking bin taken off (and at its year, below). They fitted
        // in 16 bits as the chunk's other times do: the spill before a chunk leaves room in
        // every bin for all of its times. No atom is counted in both `le` and `never`, the
        // origin being finite.
        let atoms = le + never;
        bins[parking] -= atoms as u16;
        let (mut min, mut max) = (self.min, self.max);
        for l in 0..4 {
            if mins[l] < min {
                min = mins[l];
            }
            if maxs[l] > max {
                max = maxs[l];
            }
        }
        let quads = taus.head(whole);
        if le > eq {
            for tau in quads.iter().filter(|&tau| tau < origin) {
                counts.insert_before(years.years_before(tau));
            }
        }
        let [a, b, c, d] = local;
        for (((a, b), c), d) in a.iter_mut().zip(&*b).zip(&*c).zip(&*d) {
            *a += b + c + d;
        }
        a[usize::from(index[parking])] -= atoms as u32;
        counts.add_all(&a[..n_years]);
        counts.add_before(at_origin_k, eq);
        self.at_origin += le;
        self.never += never;
        self.unspilled += whole as u64 - le - never;
        (self.min, self.max) = (min, max);
        // The last few times, fewer than a quad.
        self.insert_all_portable(taus.tail(whole), years, table, counts);
    }

    /// The least and greatest times counted in bins, and whether any bin has spilled.
    #[cfg(test)]
    pub(super) fn extremes_and_spilled(&self) -> (f64, f64, bool) {
        (self.min, self.max, !self.wide.is_empty())
    }

    /// Where the histogram starts, and its number of bins (each [`TIME_BIN_YEARS`] wide).
    pub(super) fn span(&self) -> (f64, usize) {
        (self.origin, self.bins.len())
    }

    /// Asks the CPU for the bins between the least and the greatest time counted in bins so
    /// far ([`super::prefetch::prefetch`]), ahead of counting more.
    pub fn prefetch(&self) {
        if self.min <= self.max {
            let at = |tau: f64| ((tau - self.origin) / TIME_BIN_YEARS) as i64;
            super::prefetch::prefetch_bins(&self.bins, at(self.min), at(self.max));
        }
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
        let keep = SPILL_AT as u16;
        spill::add_all(&mut self.bins, 0, &other.bins, keep, &mut self.wide);
        for (i, c) in other.wide.iter() {
            self.add_whole(i as usize, c);
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

/// `len` times at `data[0], data[stride], data[2 · stride], …`: a pair's times in a batch held
/// sample by sample.
#[derive(Debug, Clone, Copy)]
pub struct Strided<'a> {
    data: &'a [f64],
    stride: usize,
    len: usize,
}

impl<'a> Strided<'a> {
    /// The times `data[i · stride]` for `i < len`.
    ///
    /// # Panics
    /// If `stride` is 0 or `data` is too short (the vector loop reads the times unchecked).
    pub fn new(data: &'a [f64], stride: usize, len: usize) -> Self {
        let last = len.checked_sub(1).map(|l| l.checked_mul(stride));
        assert!(stride > 0 && last.is_none_or(|at| at.is_some_and(|at| at < data.len())));
        Self { data, stride, len }
    }

    /// The times of `data`, one after another.
    pub fn contiguous(data: &'a [f64]) -> Self {
        Self::new(data, 1, data.len())
    }

    /// How many times.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The times in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = f64> + 'a {
        self.data
            .iter()
            .step_by(self.stride)
            .take(self.len)
            .copied()
    }

    /// The first `n` times (all, if there are fewer).
    fn head(self, n: usize) -> Strided<'a> {
        Strided {
            len: n.min(self.len),
            ..self
        }
    }

    /// The times from the `from`-th on (none, if there are fewer).
    fn tail(self, from: usize) -> Strided<'a> {
        match self.len.checked_sub(from) {
            Some(len) if len > 0 => Strided {
                data: &self.data[from * self.stride..],
                stride: self.stride,
                len,
            },
            _ => Strided {
                data: &[],
                stride: self.stride,
                len: 0,
            },
        }
    }

    /// The times in runs of `n` (the last may be shorter).
    fn chunks(self, n: usize) -> impl Iterator<Item = Strided<'a>> {
        (0..self.len)
            .step_by(n)
            .map(move |start| self.tail(start).head(n))
    }
}

/// [`YearIndex::years_before`], out of the vector loop: the few times near two or more reporting
/// years (or in the first or last bin).
#[cfg(target_arch = "x86_64")]
#[cold]
#[inline(never)]
fn search(years: &YearIndex, tau: f64) -> usize {
    years.years_before(tau)
}

/// The most reporting years (and one) [`TimeHistogram::insert_all`] counts in its stack buffer;
/// with more it counts a time at a time.
#[cfg(target_arch = "x86_64")]
const LOCAL_YEARS: usize = 256;

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

    /// Bins past 32,767 times move into 64-bit ones, and single bins pass 65,535 times:
    /// counts, batches, merges and a file's round trip agree with a plain count of every bin.
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
        let years: Vec<f64> = (0..=35).map(|i| 2025.0 + f64::from(i)).collect();
        let index = YearIndex::new(&years);
        let table = YearTable::new(&index, &one);
        let mut counts = [(); 3].map(|_| YearCounts::new(years.len()));
        for &t in &taus {
            counts[0].insert(&index, t);
        }
        // The vector loop (where the CPU has it) into `batched`, a time at a time into the parts.
        let mut merged = TimeHistogram::new(2025.0, 2060.0);
        for part in taus.chunks(70_000) {
            let mut h = TimeHistogram::new(2025.0, 2060.0);
            for chunk in part.chunks(1024) {
                let chunk = Strided::contiguous(chunk);
                batched.insert_all_with(chunk, &index, &table, &mut counts[1], true);
                h.insert_all_with(chunk, &index, &table, &mut counts[2], false);
            }
            merged.merge(&h);
        }
        assert!(counts.iter().all(|c| c == &counts[0]));
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

    /// A view that would reach past its data is refused, also where `(len − 1) · stride`
    /// overflows (the vector loop reads the times unchecked).
    #[test]
    fn a_strided_view_past_its_data_is_refused() {
        let data = [0.0; 8];
        assert_eq!(Strided::new(&data, 2, 4).len(), 4);
        assert!(Strided::new(&data, 1, 0).is_empty());
        for (stride, len) in [(2, 5), (0, 1), (1 << 62, 5), (usize::MAX, 3)] {
            let view = std::panic::catch_unwind(|| Strided::new(&data, stride, len));
            assert!(view.is_err(), "stride {stride}, len {len}");
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
