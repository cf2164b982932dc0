/*!
Exporters: turn [`RunResults`] into the bytes of each output (a table for people, CSV, JSON).
No file I/O here (see `output`), and no statistics: every number comes from the results.
*/

mod backtest;
mod compare;
mod csv;
mod files;
#[cfg(not(target_arch = "wasm32"))]
pub mod html;
mod json;
mod manifest;
mod sensitivity;
mod table;

pub use backtest::{backtest_csv, backtest_json, backtest_table};
pub use compare::{
    comparison_csv, comparison_curves_csv, comparison_json, comparison_table, threshold_grid_csv,
    thresholds_csv, thresholds_json, thresholds_table,
};
pub use csv::{
    actor_counts_csv, affordability_csv, cost_components_csv, lag_trend_csv, ranks_csv, times_csv,
    trajectories_csv,
};
pub use files::{run_files, run_files_named};
pub use json::{SCHEMA_VERSION, summary_json};
pub use manifest::{Manifest, manifest_for, manifest_json};
pub use sensitivity::{ranked, sensitivity_csv, sensitivity_table};
pub use table::summary_table;
