//! The set of files a run writes, shared by every front end: `run` and `merge` on the command
//! line, and runs held in memory (`in_memory`, the browser's engine).

use super::{
    actor_counts_csv, affordability_csv, cost_components_csv, lag_trend_csv, ranks_csv,
    sensitivity_csv, summary_json, times_csv, trajectories_csv,
};
use crate::results::RunResults;
use crate::scenario::Scenario;
use crate::sensitivity::Sensitivity;

/// The data files of a run and the scenario it ran (the manifest aside).
pub fn run_files(
    scn: &Scenario,
    results: &RunResults,
    sensitivity: Option<&[Sensitivity]>,
) -> Vec<(String, Vec<u8>)> {
    run_files_named(scn, results, sensitivity, |_| true)
}

/// Those of [`run_files`] whose names `wanted` accepts, in the same order, each the same bytes;
/// the others are not written (a front end that shows only the summary need not build the CSVs).
pub fn run_files_named(
    scn: &Scenario,
    results: &RunResults,
    sensitivity: Option<&[Sensitivity]>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut add = |name: &str, write: &dyn Fn() -> Vec<u8>| {
        if wanted(name) {
            files.push((name.to_string(), write()));
        }
    };
    add("summary.json", &|| summary_json(scn, results));
    add("affordability.csv", &|| affordability_csv(results));
    add("trajectories.csv", &|| trajectories_csv(results));
    add("times.csv", &|| times_csv(results));
    add("lag_trend.csv", &|| lag_trend_csv(results));
    if !results.actor_counts.is_empty() {
        add("actor_counts.csv", &|| actor_counts_csv(results));
    }
    if !results.ranks.is_empty() {
        add("ranks.csv", &|| ranks_csv(results));
    }
    if !results.cost_components.is_empty() {
        add("cost_components.csv", &|| cost_components_csv(results));
    }
    if let Some(rows) = sensitivity {
        add("sensitivity.csv", &|| sensitivity_csv(scn, rows));
    }
    // The scenario text that ran, with any --set applied.
    add("scenario.toml", &|| scn.text.clone().into_bytes());
    files
}
