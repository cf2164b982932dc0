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
    let mut files = vec![
        ("summary.json".to_string(), summary_json(scn, results)),
        ("affordability.csv".to_string(), affordability_csv(results)),
        ("trajectories.csv".to_string(), trajectories_csv(results)),
        ("times.csv".to_string(), times_csv(results)),
        ("lag_trend.csv".to_string(), lag_trend_csv(results)),
    ];
    if !results.actor_counts.is_empty() {
        let bytes = actor_counts_csv(results);
        files.push(("actor_counts.csv".to_string(), bytes));
    }
    if !results.ranks.is_empty() {
        files.push(("ranks.csv".to_string(), ranks_csv(results)));
    }
    if !results.cost_components.is_empty() {
        let bytes = cost_components_csv(results);
        files.push(("cost_components.csv".to_string(), bytes));
    }
    if let Some(rows) = sensitivity {
        files.push(("sensitivity.csv".to_string(), sensitivity_csv(scn, rows)));
    }
    // The scenario text that ran, with any --set applied.
    files.push(("scenario.toml".to_string(), scn.text.clone().into_bytes()));
    files
}
