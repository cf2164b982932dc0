/*!
Comparisons: budget thresholds within one scenario ([`thresholds`]) and scenarios side by side
([`scenarios`]). The command line's flags and messages are `cli::compare`'s; the files written,
`report`'s.
*/

pub mod scenarios;
pub mod thresholds;

pub use scenarios::{
    Comparison, ComparisonRow, Curve, Matched, SE_GROUPS, ScenarioCell, ScenarioRun, Unmatched,
    column_names, match_names, match_scenarios, median_difference,
};
pub use thresholds::{
    MAX_HEATMAP_STEPS, ThresholdRow, grid_probabilities, grid_span, heatmap_bounds, heatmap_grid,
    heatmap_per_decade, log_grid, log_grid_steps, probability_years, sort_dedup, threshold_name,
    threshold_rows, with_thresholds,
};
