//! Bins counted in 16 bits, whose few crowded ones move their counts into 64-bit ones before
//! they could overflow.
//!
//! A histogram counts into 16-bit bins (2 bytes a bin keep twice as many in cache as 4 would)
//! and spills every [`SPILL_AT`] values: a spill moves the count of every bin above
//! [`SPILL_AT`] into [`WideBins`] and leaves the rest, so that every 16-bit bin is at most
//! [`SPILL_AT`] after it and at most `2 · SPILL_AT`, which fits, before the next. Only bins that
//! hold tens of thousands of values ever move, so the 64-bit counts are few.

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
/// large `count` (a merge's), and no spill is needed. Adding 0 leaves the bin as it is.
pub fn add_whole(
    bins: &mut [u16],
    offset: i64,
    bin: usize,
    count: u64,
    keep: u16,
    wide: &mut WideBins,
) {
    if count == 0 {
        return;
    }
    let whole = u64::from(bins[bin]) + count;
    if whole > u64::from(keep) {
        bins[bin] = 0;
        wide.add(offset + bin as i64, whole);
    } else {
        bins[bin] = whole as u16;
    }
}

/// Adds `other`'s 16-bit counts to `bins`, bin for bin (both start at bin `offset`), as
/// [`add_whole`] of each would: in one vectorised pass when no sum can pass `keep` (a merge of
/// histograms that never spilled).
pub fn add_all(bins: &mut [u16], offset: i64, other: &[u16], keep: u16, wide: &mut WideBins) {
    debug_assert_eq!(bins.len(), other.len());
    let most = |b: &[u16]| u32::from(b.iter().copied().max().unwrap_or(0));
    if most(bins) + most(other) <= u32::from(keep) {
        for (a, b) in bins.iter_mut().zip(other) {
            *a += b;
        }
        return;
    }
    for (i, &c) in other.iter().enumerate() {
        add_whole(bins, offset, i, c.into(), keep, wide);
    }
}

/// The whole count of every bin of `bins` (`bins[0]` is bin `offset`), in order.
pub fn counts<'a>(
    bins: &'a [u16],
    offset: i64,
    wide: &'a WideBins,
) -> impl Iterator<Item = u64> + 'a {
    // Most histograms have no 64-bit counts: the check is made once, not once a bin.
    let none = wide.counts.is_empty();
    bins.iter()
        .zip(offset..)
        .map(move |(&c, idx)| u64::from(c) + if none { 0 } else { wide.at(idx) })
}

/// 64-bit counts over one window of bins, from the lowest bin given one to the highest, sized
/// exactly. A bin gets one only when it holds more than [`SPILL_AT`] values, so the window is
/// empty in most runs and otherwise covers the crowded middle of a distribution: at 10⁸
/// bench-v1 samples a few hundred of a value histogram's thousands of bins. (A list of the
/// crowded bins alone took twice the memory there: 16 bytes an entry against 8 a bin.)
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WideBins {
    /// Bin index of `counts[0]`.
    offset: i64,
    counts: Vec<u64>,
}

impl WideBins {
    /// The count of bin `idx` (0 outside the window).
    #[inline]
    pub fn at(&self, idx: i64) -> u64 {
        if self.counts.is_empty() {
            return 0;
        }
        let rel = idx.wrapping_sub(self.offset);
        if rel >= 0 && (rel as u64) < self.counts.len() as u64 {
            self.counts[rel as usize]
        } else {
            0
        }
    }

    /// Adds `count` to bin `idx`, widening the window to it.
    pub fn add(&mut self, idx: i64, count: u64) {
        if self.counts.is_empty() {
            self.offset = idx;
        }
        let end = self.offset + self.counts.len() as i64;
        if idx < self.offset {
            let mut counts = Vec::with_capacity((end - idx) as usize);
            counts.resize((self.offset - idx) as usize, 0);
            counts.extend_from_slice(&self.counts);
            (self.counts, self.offset) = (counts, idx);
        } else if idx >= end {
            let more = (idx + 1 - end) as usize;
            self.counts.reserve_exact(more);
            self.counts.resize(self.counts.len() + more, 0);
        }
        self.counts[(idx - self.offset) as usize] += count;
    }

    /// The counts of bins `lo..lo + len`.
    pub fn sum(&self, lo: i64, len: usize) -> u64 {
        let end = self.offset + self.counts.len() as i64;
        let (from, to) = (lo.max(self.offset), (lo + len as i64).min(end));
        if from >= to {
            return 0;
        }
        let at = |i: i64| (i - self.offset) as usize;
        self.counts[at(from)..at(to)].iter().sum()
    }

    /// True when no bin has a 64-bit count.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Every bin of the window and its count, ascending.
    pub fn iter(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        (self.offset..).zip(self.counts.iter().copied())
    }

    /// Forgets the bins below `lo` (their counts are the caller's to keep).
    pub fn drop_below(&mut self, lo: i64) {
        if lo <= self.offset {
            return;
        }
        let cut = ((lo - self.offset) as u64).min(self.counts.len() as u64) as usize;
        self.counts.drain(..cut);
        self.offset = lo;
        if self.counts.is_empty() {
            *self = Self::default();
        } else {
            self.counts.shrink_to_fit();
        }
    }

    /// True when the window lies in `lo..lo + len`.
    pub fn within(&self, lo: i64, len: usize) -> bool {
        self.counts.is_empty()
            || (self.offset >= lo
                && (self.offset.checked_add(self.counts.len() as i64))
                    .zip(lo.checked_add(len as i64))
                    .is_some_and(|(end, limit)| end <= limit))
    }

    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.counts.capacity() * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adding bins all at once gives each bin's whole count as adding them one by one does,
    /// whether the sums stay small (the vectorised pass) or one passes what a bin keeps.
    #[test]
    fn adding_all_bins_equals_adding_each() {
        for big in [100, 30_000] {
            let (mut a, other) = (vec![7u16, 0, 30_000, 1], vec![1u16, 0, big, 2]);
            let (mut one_by_one, mut wide_a, mut wide_b) =
                (a.clone(), WideBins::default(), WideBins::default());
            for (i, &c) in other.iter().enumerate() {
                add_whole(&mut one_by_one, 10, i, c.into(), 32_767, &mut wide_b);
            }
            add_all(&mut a, 10, &other, 32_767, &mut wide_a);
            let whole: Vec<u64> = counts(&a, 10, &wide_a).collect();
            assert_eq!(whole, counts(&one_by_one, 10, &wide_b).collect::<Vec<_>>());
            assert_eq!(whole, [8, 0, 30_000 + u64::from(big), 3]);
            assert_eq!(wide_a.is_empty(), big == 100, "{big}");
        }
    }

    /// Counts stay at their bins as the window grows down and up around them; sums, the
    /// window's bins and dropping the bins below a point see exactly those bins; the window is
    /// sized exactly.
    #[test]
    fn counts_stay_at_their_bins() {
        let mut w = WideBins::default();
        assert_eq!((w.at(0), w.sum(-10, 20), w.iter().count()), (0, 0, 0));
        for (idx, count) in [(5, 7), (2, 3), (9, 1), (5, 1), (-4, 2)] {
            w.add(idx, count);
        }
        let all: Vec<u64> = (-5..12).map(|i| w.at(i)).collect();
        assert_eq!(all, [0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 8, 0, 0, 0, 1, 0, 0]);
        let window: Vec<(i64, u64)> = w.iter().filter(|e| e.1 > 0).collect();
        assert_eq!(window, [(-4, 2), (2, 3), (5, 8), (9, 1)]);
        assert_eq!((w.iter().count(), w.heap_bytes()), (14, 14 * 8));
        let sums = (
            w.sum(0, 12),
            w.sum(3, 3),
            w.sum(5, 1),
            w.sum(10, 5),
            w.sum(-4, 1),
        );
        assert_eq!(sums, (12, 8, 8, 0, 2));
        assert!(w.within(-4, 14) && !w.within(-3, 20) && !w.within(-4, 13));
        w.drop_below(5);
        assert_eq!((w.at(2), w.at(5), w.sum(-100, 200)), (0, 8, 9));
        assert_eq!(w.heap_bytes(), 5 * 8);
        w.drop_below(10);
        assert_eq!((w.heap_bytes(), w.sum(-100, 200)), (0, 0));
        assert!(
            w.within(i64::MAX, usize::MAX),
            "an empty window lies anywhere"
        );
    }
}
