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
    type Write<'a> = Box<dyn Fn() -> Vec<u8> + 'a>;
    let mut files: Vec<(&str, Write)> = vec![
        ("summary.json", Box::new(|| summary_json(scn, results))),
        ("affordability.csv", Box::new(|| affordability_csv(results))),
        ("trajectories.csv", Box::new(|| trajectories_csv(results))),
        ("times.csv", Box::new(|| times_csv(results))),
        ("lag_trend.csv", Box::new(|| lag_trend_csv(results))),
    ];
    if !results.actor_counts.is_empty() {
        files.push(("actor_counts.csv", Box::new(|| actor_counts_csv(results))));
    }
    if !results.ranks.is_empty() {
        files.push(("ranks.csv", Box::new(|| ranks_csv(results))));
    }
    if !results.cost_components.is_empty() {
        files.push((
            "cost_components.csv",
            Box::new(|| cost_components_csv(results)),
        ));
    }
    if let Some(rows) = sensitivity {
        files.push((
            "sensitivity.csv",
            Box::new(move || sensitivity_csv(scn, rows)),
        ));
    }
    // The scenario text that ran, with any --set applied.
    files.push(("scenario.toml", Box::new(|| scn.text.clone().into_bytes())));
    files
        .into_iter()
        .filter(|(name, _)| wanted(name))
        .map(|(name, write)| (name.to_string(), write()))
        .collect()
}
