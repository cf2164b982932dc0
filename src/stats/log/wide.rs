//! The 64-bit counts of the few bins whose 16-bit counts could overflow.

/// 64-bit counts of some bins, by bin index. A bin gets one only when it holds more than a
/// spill's worth of values, so there are few (none in most runs, at most one per
/// [`super::SPILL_AT`] values counted): kept sparse, ascending, so that two crowded bins far
/// apart take two entries rather than the bins between them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct WideBins {
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
