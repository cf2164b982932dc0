//! `--max-memory`: a run's memory predicted before it starts, and refused past a limit.

use super::Failure;
use crate::format::format_bytes;
use crate::scenario::Scenario;
use crate::sim::{self, RunOptions};

/// The limit when `--max-memory` is not given: half of this machine's memory (8 GB where it
/// cannot be read).
pub(super) fn default_limit() -> u64 {
    physical_memory().map_or(8_000_000_000, |b| b / 2)
}

/// Total physical memory in bytes, from `/proc/meminfo` (Linux).
fn physical_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// Parses a size: bytes, or a number with K, M, G or T (powers of 1000, an optional `B`) or
/// KiB, MiB, GiB, TiB (powers of 1024), e.g. `500M`, `4G`, `1.5GB`, `2GiB`.
pub(super) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let units: [(&str, f64); 9] = [
        ("kib", 1024.0),
        ("mib", 1024f64.powi(2)),
        ("gib", 1024f64.powi(3)),
        ("tib", 1024f64.powi(4)),
        ("k", 1e3),
        ("m", 1e6),
        ("g", 1e9),
        ("t", 1e12),
        ("", 1.0),
    ];
    let bad = || format!("expected a memory size such as 500M, 4G or 2GiB, got \"{s}\"");
    let body = lower
        .strip_suffix('b')
        .filter(|b| !b.ends_with('i'))
        .unwrap_or(&lower);
    let (digits, scale) = units
        .iter()
        .find_map(|(u, f)| body.strip_suffix(u).map(|d| (d.trim(), *f)))
        .ok_or_else(bad)?;
    let v: f64 = digits.parse().map_err(|_| bad())?;
    let bytes = v * scale;
    if !(1.0..1.8e19).contains(&bytes) {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// Refuses (exit 2) a run of `scn` whose predicted memory exceeds `limit` bytes, saying what it
/// would take and how to take less.
pub(super) fn check(scn: &Scenario, opts: &RunOptions, limit: u64) -> Result<(), Failure> {
    check_all(std::slice::from_ref(scn), opts, 0, limit)
}

/// Like [`check`] for runs of `scenarios` one after the other whose results are all kept (a
/// comparison of scenarios), each also holding `groups` histograms of every pair's time per
/// tally (batch means): the sum of all is checked, and the figures of the largest are given.
pub(super) fn check_all(
    scenarios: &[Scenario],
    opts: &RunOptions,
    groups: u64,
    limit: u64,
) -> Result<(), Failure> {
    let mut total = 0u64;
    let mut largest: Option<(&Scenario, sim::MemoryEstimate)> = None;
    for scn in scenarios {
        let mut estimate = sim::predict_memory(scn, opts);
        // One time histogram per pair and group, of 0.01-year bins over the horizon.
        let bins =
            ((scn.end_year - scn.start_year) / crate::stats::TIME_BIN_YEARS).ceil() as u64 + 1;
        let pairs = (scn.targets.len() * scn.actors.len()) as u64;
        estimate.per_worker = estimate.per_worker.saturating_add(
            groups
                .saturating_mul(pairs)
                .saturating_mul(bins)
                .saturating_mul(8),
        );
        total = total.saturating_add(estimate.total());
        if largest.is_none_or(|(_, e)| estimate.total() > e.total()) {
            largest = Some((scn, estimate));
        }
    }
    let Some((scn, estimate)) = largest else {
        return Ok(());
    };
    if total <= limit {
        return Ok(());
    }
    Err(Failure::BadInput(format!(
        "{}: this run would need about {} of memory for its accumulators ({} × {}: one per worker thread and the merged result; {} target{}, {} actor class{}, {} reporting years), more than the limit of {} (--max-memory; default half of this machine's memory). To use less: a coarser report_step or a shorter horizon, fewer targets or actor classes, fewer threads (--threads 1 holds 2 × {}), or raise --max-memory",
        scn.path.display(),
        format_bytes(total),
        estimate.tallies,
        format_bytes(estimate.per_worker),
        scn.targets.len(),
        if scn.targets.len() == 1 { "" } else { "s" },
        scn.actors.len(),
        if scn.actors.len() == 1 { "" } else { "es" },
        scn.report_years.len(),
        format_bytes(limit),
        format_bytes(estimate.per_worker),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_decimal_and_binary_units() {
        assert_eq!(parse_size("500M"), Ok(500_000_000));
        assert_eq!(parse_size("4G"), Ok(4_000_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("2GiB"), Ok(2 * 1024 * 1024 * 1024));
        assert_eq!(parse_size("512 MiB"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_size("123456"), Ok(123_456));
        for bad in ["", "G", "-1G", "4X", "1e30", "0", "nanG"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
