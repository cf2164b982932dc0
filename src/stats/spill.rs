//! Bins counted in 16 bits, whose few crowded ones move their counts into 64-bit ones before
//! they could overflow.
//!
//! A histogram counts into 16-bit bins (2 bytes a bin keep twice as many in cache as 4 would)
//! and spills every [`SPILL_AT`] values: a spill moves the count of every bin above
//! [`SPILL_AT`] into [`WideBins`] and leaves the rest, so that every 16-bit bin is at most
//! [`SPILL_AT`] after it and at most `2 · SPILL_AT`, which fits, before the next. Only bins that
//! hold tens of thousands of values ever move, so the 64-bit counts are few and kept sparse.

/// Values counted between spills, and the most a 16-bit bin keeps after one: twice it fits in
/// 16 bits.
pub const SPILL_AT: u64 = u16::MAX as u64 / 2;

/// Moves the count of every bin of `bins` above `keep` into `wide` (`bins[0]` is bin `offset`),
/// in one vectorised pass when none is (most spills).
pub fn spill(bins: &mut [u16], offset: i64, keep: u16, wide: &mut WideBins) {
    if bins.iter().copied().max().unwrap_or(0) <= keep {
        return;
    }
    for (c, idx) in bins.iter_mut().zip(offset..) {
        if *c > keep {
            wide.add(idx, u64::from(std::mem::take(c)));
        }
    }
}

/// Adds `count` values to the bin `bin` of `bins` (`bins[0]` is bin `offset`), moving its whole
/// count into `wide` if that exceeds `keep`: a bin stays within what a spill leaves, however
/// large `count` (a merge's), and no spill is needed.
pub fn add_whole(
    bins: &mut [u16],
    offset: i64,
    bin: usize,
    count: u64,
    keep: u16,
    wide: &mut WideBins,
) {
    let whole = u64::from(bins[bin]) + count;
    if whole > u64::from(keep) {
        bins[bin] = 0;
        wide.add(offset + bin as i64, whole);
    } else {
        bins[bin] = whole as u16;
    }
}

/// The whole count of every bin of `bins` (`bins[0]` is bin `offset`), in order.
pub fn counts<'a>(
    bins: &'a [u16],
    offset: i64,
    wide: &'a WideBins,
) -> impl Iterator<Item = u64> + 'a {
    let mut wide = wide.cursor();
    bins.iter()
        .zip(offset..)
        .map(move |(&c, idx)| u64::from(c) + wide(idx))
}

/// 64-bit counts of some bins, by bin index: ascending and sparse, so that two crowded bins far
/// apart take two entries rather than the bins between them. A bin gets one only when it holds
/// more than [`SPILL_AT`] values, so there are few (none in most runs).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WideBins {
    /// `(bin index, count)`, bin indices strictly ascending.
    entries: Vec<(i64, u64)>,
}

impl WideBins {
    /// The count of bin `idx` (0 when it has none).
    #[inline]
    pub fn at(&self, idx: i64) -> u64 {
        if self.entries.is_empty() {
            return 0;
        }
        match self.entries.binary_search_by_key(&idx, |e| e.0) {
            Ok(k) => self.entries[k].1,
            Err(_) => 0,
        }
    }

    /// Adds `count` to bin `idx`.
    pub fn add(&mut self, idx: i64, count: u64) {
        match self.entries.binary_search_by_key(&idx, |e| e.0) {
            Ok(k) => self.entries[k].1 += count,
            Err(k) => self.entries.insert(k, (idx, count)),
        }
    }

    /// The counts of bins `lo..lo + len`.
    pub fn sum(&self, lo: i64, len: usize) -> u64 {
        if self.entries.is_empty() {
            return 0;
        }
        let from = self.entries.partition_point(|e| e.0 < lo);
        let to = self.entries.partition_point(|e| e.0 < lo + len as i64);
        self.entries[from..to.max(from)].iter().map(|e| e.1).sum()
    }

    /// Each bin's count, for the bins `lo, lo + 1, …` in turn: a cursor that must be asked
    /// about ascending bins.
    pub fn cursor(&self) -> impl FnMut(i64) -> u64 + '_ {
        let mut next = 0;
        move |idx| {
            while next < self.entries.len() && self.entries[next].0 < idx {
                next += 1;
            }
            match self.entries.get(next) {
                Some(&(i, c)) if i == idx => c,
                _ => 0,
            }
        }
    }

    /// Forgets the bins below `lo` (their counts are the caller's to keep).
    pub fn drop_below(&mut self, lo: i64) {
        let cut = self.entries.partition_point(|e| e.0 < lo);
        self.entries.drain(..cut);
        if self.entries.is_empty() {
            self.entries = Vec::new();
        }
    }

    /// True when its bins ascend strictly and lie in `lo..lo + len`.
    pub fn within(&self, lo: i64, len: usize) -> bool {
        let ascending = self.entries.windows(2).all(|w| w[0].0 < w[1].0);
        let inside = |i: i64| i >= lo && lo.checked_add(len as i64).is_some_and(|end| i < end);
        ascending && self.entries.iter().all(|e| inside(e.0))
    }

    /// True when no bin has a 64-bit count.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(i64, u64)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts stay at their bins however they arrive; sums, the cursor and dropping the bins
    /// below a point see exactly those bins.
    #[test]
    fn counts_stay_at_their_bins() {
        let mut w = WideBins::default();
        assert_eq!((w.at(0), w.sum(-10, 20)), (0, 0));
        for (idx, count) in [(5, 7), (2, 3), (9, 1), (5, 1), (-4, 2)] {
            w.add(idx, count);
        }
        let all: Vec<u64> = (-5..12).map(|i| w.at(i)).collect();
        assert_eq!(all, [0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 8, 0, 0, 0, 1, 0, 0]);
        let walked: Vec<u64> = (-5..12).map(w.cursor()).collect();
        assert_eq!(walked, all);
        assert_eq!(
            (
                w.sum(0, 12),
                w.sum(3, 3),
                w.sum(5, 1),
                w.sum(10, 5),
                w.sum(-4, 1)
            ),
            (12, 8, 8, 0, 2)
        );
        assert!(w.within(-4, 14) && !w.within(-3, 20) && !w.within(-4, 13));
        w.drop_below(5);
        assert_eq!((w.at(2), w.at(5), w.sum(-100, 200)), (0, 8, 9));
        w.drop_below(10);
        assert_eq!((w.heap_bytes(), w.sum(-100, 200)), (0, 0));
        let unordered = WideBins {
            entries: vec![(3, 1), (3, 1)],
        };
        assert!(!unordered.within(0, 10));
    }
}
