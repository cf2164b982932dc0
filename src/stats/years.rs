//! Counts of affordability times by reporting year.

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
