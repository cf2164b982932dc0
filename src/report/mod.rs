/*!
Exporters: turn [`RunResults`] into the bytes of each output (a table for people, CSV, JSON).
No file I/O here (see `output`), and no statistics: every number comes from the results.
*/

mod backtest;
mod compare;
mod csv;
mod json;
mod manifest;
mod sensitivity;
mod table;

pub use backtest::{backtest_csv, backtest_json, backtest_table};
pub use compare::{
    comparison_csv, comparison_curves_csv, comparison_table, threshold_grid_csv, thresholds_csv,
    thresholds_table,
};
pub use csv::{
    actor_counts_csv, affordability_csv, cost_components_csv, lag_trend_csv, ranks_csv, times_csv,
    trajectories_csv,
};
pub use json::{SCHEMA_VERSION, summary_json};
pub use manifest::{Manifest, manifest_json};
pub use sensitivity::{ranked, sensitivity_csv, sensitivity_table};
pub use table::summary_table;

/// Years are reported to 1e-6: the accumulators resolve 0.005 years, and a year that every
/// sample shares (deterministic inputs) is reported exactly, so closed forms can be checked.
pub fn round_year(y: f64) -> f64 {
    (y * 1e6).round() / 1e6
}

/// Dollar amounts and other values are reported to 6 significant digits (accumulators resolve 0.4%).
pub fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.5e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        assert_eq!(round_year(2_031.234_567_89), 2031.234568);
        assert_eq!(round_sig(46_866_123.4), 46_866_100.0);
        assert_eq!(round_sig(1.234_567_89e30), 1.234_57e30);
    }
}
