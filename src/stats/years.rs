//! Counts of affordability times by reporting year.

use super::{TIME_BIN_YEARS, TimeHistogram};

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

    /// `#{y : y < tau}` for a time with `k` years below it for certain and year `k` the only
    /// one in doubt ([`ONE_YEAR`]).
    #[inline(always)]
    pub(super) fn one_year(&self, k: usize, tau: f64) -> usize {
        k + usize::from(self.years[k] < tau)
    }

    /// `#{y : y < tau}`.
    #[inline]
    pub fn years_before(&self, tau: f64) -> usize {
        let n = self.years.len();
        // A guess within a step of the answer (saturating casts: −∞ and NaN give 0, +∞ gives n).
        let x = ((tau - self.first) * self.inv_step).max(0.0);
        // `x ≥ 0` (`max` takes NaN to 0): a signed conversion gives the index an unsigned one
        // would, and costs less.
        let mut i = (x as i64).min(n as i64) as usize;
        while i > 0 && self.years[i - 1] >= tau {
            i -= 1;
        }
        while i < n && self.years[i] < tau {
            i += 1;
        }
        i
    }
}

/// For the bins of one [`TimeHistogram`]: the number of reporting years before every time in a
/// bin, where one number serves the whole bin, or all but one year, which one comparison
/// settles; so that most times are counted by a lookup rather than a search.
#[derive(Debug, Clone, PartialEq)]
pub struct YearTable {
    origin: f64,
    /// `#{y < origin}`, for the times at the origin.
    at_origin: usize,
    /// The reporting years, the answer for `+∞`.
    n: usize,
    /// Per bin: its `#{y < τ}`; [`ONE_YEAR`] and `#{y < τ}` but for the one year within a bin
    /// of it ([`YearIndex::one_year`]); or [`SEARCH`] where more years lie within a bin of it.
    index: Vec<u16>,
    /// The first bin with a plain number (not [`ONE_YEAR`]), where a batch parks its atoms
    /// ([`YearTable::parking`]).
    #[cfg(target_arch = "x86_64")]
    parking: Option<usize>,
}

/// A bin whose times need the search.
pub(super) const SEARCH: u16 = u16::MAX;

/// The flag of a bin with one reporting year within a bin of it: its times' `#{y < τ}` is the
/// rest of its number, `k`, plus one when year `k` is below the time ([`YearIndex::one_year`]).
/// [`SEARCH`] has the flag too, with a rest no table gives.
pub(super) const ONE_YEAR: u16 = 0x8000;

impl YearTable {
    /// The table of `years` for the bins of `times` (the last takes every later time). A bin is
    /// given its number only when no year lies within a whole bin of it on either side, far
    /// beyond any rounding of a time's bin, and [`ONE_YEAR`] with the number of years below
    /// that reach when one year lies within it; the first and the last (which also take NaN
    /// and the times past the end) always search.
    pub fn new(years: &YearIndex, times: &TimeHistogram) -> Self {
        let ((origin, bins), width) = (times.span(), TIME_BIN_YEARS);
        let y = &years.years;
        let searchable = y.len() < usize::from(SEARCH & !ONE_YEAR);
        let index = (0..bins)
            .map(|i| {
                if !searchable || i == 0 || i + 1 >= bins {
                    return SEARCH;
                }
                let lo = origin + (i as f64 - 1.0) * width;
                let hi = origin + (i as f64 + 2.0) * width;
                let below = y.partition_point(|&y| y < lo);
                match y.partition_point(|&y| y <= hi) - below {
                    0 => below as u16,
                    1 => ONE_YEAR | below as u16,
                    _ => SEARCH,
                }
            })
            .collect::<Vec<_>>();
        Self {
            origin,
            at_origin: years.years_before(origin),
            n: y.len(),
            #[cfg(target_arch = "x86_64")]
            parking: index.iter().position(|&k| k < ONE_YEAR),
            index,
        }
    }

    /// What [`TimeHistogram::insert_all`] reads: each bin's number (at most
    /// [`YearTable::n_years`], or with [`ONE_YEAR`], or [`SEARCH`]), and the number of the
    /// times at the origin.
    #[cfg(target_arch = "x86_64")]
    pub(super) fn lookups(&self) -> (&[u16], usize) {
        (&self.index, self.at_origin)
    }

    /// A bin with a plain number, on which [`TimeHistogram::insert_all`] may park a batch's atoms
    /// (they count nothing there), if any.
    #[cfg(target_arch = "x86_64")]
    pub(super) fn parking(&self) -> Option<usize> {
        self.parking
    }

    /// The number of reporting years.
    #[cfg(target_arch = "x86_64")]
    pub(super) fn n_years(&self) -> usize {
        self.n
    }

    /// [`YearIndex::years_before`] of `tau`, which its time histogram counted in `bin` (`None`:
    /// at the origin or never).
    #[inline]
    pub fn years_before(&self, years: &YearIndex, tau: f64, bin: Option<usize>) -> usize {
        match bin {
            Some(i) => match self.index[i] {
                SEARCH => years.years_before(tau),
                k if k & ONE_YEAR != 0 => years.one_year(usize::from(k & !ONE_YEAR), tau),
                k => usize::from(k),
            },
            None if tau == self.origin => self.at_origin,
            None if tau == f64::INFINITY => self.n,
            None => years.years_before(tau),
        }
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

    /// The number of reporting years.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when there are no reporting years.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Adds `counts[i]` to the `i`-th count, for each reporting year.
    #[cfg(target_arch = "x86_64")]
    pub(super) fn add_all(&mut self, counts: &[u32]) {
        for (a, &b) in self.counts.iter_mut().zip(counts) {
            *a += u64::from(b);
        }
    }

    /// Counts one time against the reporting years.
    #[inline]
    pub fn insert(&mut self, years: &YearIndex, tau: f64) {
        self.insert_before(years.years_before(tau));
    }

    /// Counts one time with `i` reporting years before it ([`YearIndex::years_before`]).
    #[inline]
    pub fn insert_before(&mut self, i: usize) {
        self.add_before(i, 1);
    }

    /// `count` times [`YearCounts::insert_before`] of `i`.
    #[inline]
    pub fn add_before(&mut self, i: usize, count: u64) {
        if i < self.counts.len() {
            self.counts[i] += count;
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

/// True when two lists of year counts have the same lengths.
pub fn same_lengths(a: &[YearCounts], b: &[YearCounts]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.counts.len() == y.counts.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Strided;

    /// A batch counted by `insert_all`, by the vector loop and a time at a time, gives the
    /// histogram and year counts that counting each time alone gives: at, below and beside the
    /// origin, at ±∞ and NaN (with a payload, either sign), the least and greatest times in
    /// vector lanes, contiguous and strided, in batches longer than 16-bit bins hold, with as
    /// many reporting years as the vector loop's buffer holds and one more, and with no bin to
    /// park atoms on.
    #[test]
    fn batches_count_like_single_times() {
        let yearly: Vec<f64> = (0..=35).map(|i| 2025.0 + f64::from(i)).collect();
        let most: Vec<f64> = (0..255)
            .map(|i| 2025.0 + f64::from(i) * 35.0 / 254.0)
            .collect();
        let one_more: Vec<f64> = (0..256)
            .map(|i| 2025.0 + f64::from(i) * 35.0 / 255.0)
            .collect();
        let weekly: Vec<f64> = (0..=1_820).map(|i| 2025.0 + f64::from(i) / 52.0).collect();
        let tiny = vec![2025.0, 2025.01, 2025.02];
        for (years, origin, end) in [
            (&yearly, 2025.0_f64, 2060.0),
            (&yearly, 2030.0, 2060.0),
            (&most, 2025.0, 2060.0),
            (&one_more, 2025.0, 2060.0),
            (&weekly, 2025.0, 2060.0),
            (&tiny, 2025.0, 2025.02),
        ] {
            let index = YearIndex::new(years);
            let mut taus = vec![
                f64::NEG_INFINITY,
                f64::NAN,
                1990.0,
                origin.next_down(),
                2100.0,
            ];
            for i in 0..120_000 {
                taus.push(match i % 5 {
                    _ if i == 40_001 => f64::NAN,
                    _ if i == 40_006 => f64::from_bits(0xfff8_0000_dead_beef),
                    // The least and the greatest, in vector lanes, after the NaNs.
                    _ if i == 60_002 => origin.next_up(),
                    _ if i == 60_007 => 2500.0,
                    0 => origin,
                    1 => f64::INFINITY,
                    // One bin of 60,000 times, past what a 16-bit bin keeps.
                    3 | 4 => origin + 1.2345,
                    2 if i % 2 == 0 => origin + 1.2345,
                    _ => origin + f64::from(i % 3_100) * 0.0113,
                });
            }
            let mut one = TimeHistogram::new(origin, end);
            let table = YearTable::new(&index, &one);
            // The tiny and the weekly grids leave no bin to park atoms on.
            #[cfg(target_arch = "x86_64")]
            assert_eq!(
                table.parking().is_none(),
                years == &tiny || years == &weekly
            );
            let mut one_counts = YearCounts::new(years.len());
            for &tau in &taus {
                let bin = one.insert(tau);
                one_counts.insert_before(table.years_before(&index, tau, bin));
            }
            let strided =
                |from: usize| Strided::new(&taus[from..], 3, (taus.len() - from).div_ceil(3));
            let contiguous = [
                Strided::contiguous(&taus[..5]),
                Strided::contiguous(&taus[5..1_030]),
                // Longer than 16-bit bins hold: counted in runs, spilled between them.
                Strided::contiguous(&taus[1_030..]),
            ];
            let every_third = [strided(0), strided(1), strided(2)];
            for (batches, vector) in [
                (&contiguous, true),
                (&contiguous, false),
                (&every_third, true),
                (&every_third, false),
            ] {
                let mut batched = TimeHistogram::new(origin, end);
                let mut batch_counts = YearCounts::new(years.len());
                for &batch in batches {
                    batched.insert_all_with(batch, &index, &table, &mut batch_counts, vector);
                }
                let case = format!("{} years from {origin}, vector {vector}", years.len());
                assert_eq!(batched, one, "{case}");
                assert_eq!(batch_counts.counts, one_counts.counts, "{case}");
                let (min, max, spilled) = batched.extremes_and_spilled();
                assert!(min == origin.next_up() && max == 2500.0, "{case}");
                assert!(spilled, "{case}: the test spills");
            }
        }
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

    /// A table's answer, for a time counted by its histogram, is the search's: on even, uneven,
    /// empty and one-year grids, from an origin on a year or between years, at every year and
    /// just beside it, on and beside bin edges, at the origin, before it, past the end, at ±∞
    /// and NaN.
    #[test]
    fn a_year_table_answers_as_the_search_does() {
        use crate::stats::TIME_BIN_YEARS;
        let even: Vec<f64> = (0..=35).map(|i| 2025.0 + f64::from(i)).collect();
        let tenths: Vec<f64> = (0..=350).map(|i| 2025.0 + 0.1 * f64::from(i)).collect();
        let uneven = vec![2025.0, 2025.5, 2030.0, 2031.0, 2060.0];
        // Two years within reach of some bins: those search.
        let weekly: Vec<f64> = (0..=1_820).map(|i| 2025.0 + f64::from(i) / 52.0).collect();
        let (mut looked_up, mut one_year, mut searched) = (0, 0, 0);
        for years in [even, tenths, uneven, weekly, vec![2030.0], vec![]] {
            let index = YearIndex::new(&years);
            for origin in [2025.0, 2030.0, 2031.37] {
                let mut h = TimeHistogram::new(origin, 2060.0);
                let table = YearTable::new(&index, &h);
                let mut taus = vec![f64::NEG_INFINITY, f64::INFINITY, f64::NAN, 1990.0, 2100.0];
                taus.extend([origin, origin.next_down(), origin.next_up(), 2060.0]);
                for &y in &years {
                    taus.extend([y, y.next_down(), y.next_up(), y + 0.005, y - 0.005]);
                }
                for i in 0..3_500 {
                    let edge = origin + f64::from(i) * TIME_BIN_YEARS;
                    taus.extend([edge, edge.next_down(), edge.next_up(), edge + 0.004]);
                }
                for tau in taus {
                    let bin = h.insert(tau);
                    let want = years.partition_point(|&y| y < tau);
                    assert_eq!(
                        table.years_before(&index, tau, bin),
                        want,
                        "{tau} from {origin} among {} years",
                        years.len()
                    );
                    match bin.map(|b| table.index[b]) {
                        Some(SEARCH) => searched += 1,
                        Some(k) if k & ONE_YEAR != 0 => one_year += 1,
                        Some(_) => looked_up += 1,
                        None => {}
                    }
                }
            }
        }
        assert!(looked_up > 10_000, "most times are looked up: {looked_up}");
        // Most times beside a year take the one comparison, a few the search.
        assert!(one_year > 1_000 && searched > 100, "{one_year} {searched}");
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
