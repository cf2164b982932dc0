//! Narrow counts with 64-bit twins: bins counted in 16 bits, moved into 64-bit ones
//! before any could overflow (the twins are allocated at the first move).

/// Every bin's whole count: its narrow count plus its 64-bit one (none before the first spill).
pub(super) fn counts<'a, T: Copy + Into<u64>>(
    bins: &'a [T],
    wide: &'a [u64],
) -> impl Iterator<Item = u64> + 'a {
    bins.iter()
        .enumerate()
        .map(move |(i, &c)| c.into() + if wide.is_empty() { 0 } else { wide[i] })
}

/// Moves the narrow counts into the 64-bit ones, bin for bin, leaving the narrow ones at 0.
pub(super) fn spill<T: Default + Into<u64>>(bins: &mut [T], wide: &mut Vec<u64>) {
    wide.resize(bins.len(), 0);
    for (w, b) in wide.iter_mut().zip(bins) {
        *w += std::mem::take(b).into();
    }
}
