//! Asking the CPU for a histogram's bins before they are counted into.

/// Asks the CPU to bring every cache line of `data` into its second-level cache, without
/// waiting for them; nothing is read into the program. Elsewhere than on x86-64, nothing.
#[inline]
pub fn prefetch<T>(data: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T1, _mm_prefetch};
        let (start, bytes) = (data.as_ptr() as usize, std::mem::size_of_val(data));
        if bytes == 0 {
            return;
        }
        let first = start & !63;
        for line in (first..start + bytes).step_by(64) {
            // SAFETY: a prefetch is a hint that never faults and reads nothing into the program.
            unsafe { _mm_prefetch::<_MM_HINT_T1>(line as *const i8) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

/// [`prefetch`] of `bins[lo..=hi]`, the bounds taken into the bins; nothing when there are no
/// bins, or `lo` is above `hi` once they are.
pub fn prefetch_bins<T>(bins: &[T], lo: i64, hi: i64) {
    let last = bins.len() as i64 - 1;
    if last < 0 {
        return;
    }
    let at = |i: i64| i.clamp(0, last) as usize;
    if let Some(bins) = bins.get(at(lo)..=at(hi)) {
        prefetch(bins);
    }
}

#[cfg(test)]
mod tests {
    use crate::stats::{LogHistogram, TimeHistogram};

    /// Asking for the bins of a histogram in any state reads within them: empty, one value,
    /// values below the window (collapsed), beyond the range of numbers, NaN, and times at
    /// and past either end.
    #[test]
    fn histograms_ask_for_their_bins_in_any_state() {
        let mut log = LogHistogram::default();
        log.prefetch();
        for ln_x in [3.0, f64::NAN, 800.0, -800.0, 200.0, -300.0, 0.0] {
            log.insert_ln(ln_x);
            log.prefetch();
        }
        let mut times = TimeHistogram::new(2025.0, 2060.0);
        times.prefetch();
        for tau in [
            2025.0,
            f64::INFINITY,
            f64::NAN,
            2025.005,
            2100.0,
            1990.0,
            2059.999,
        ] {
            times.insert(tau);
            times.prefetch();
        }
    }
}
