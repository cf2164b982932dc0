//! The files and the stdout of a run, shared by `run` and `merge`.

use super::Format;
use crate::report;
use crate::results::RunResults;
use crate::scenario::Scenario;
use crate::sensitivity::Sensitivity;

/// The data files of a run and the scenario it ran (the manifest aside).
pub(super) fn run_files(
    scn: &Scenario,
    results: &RunResults,
    sensitivity: Option<&[Sensitivity]>,
) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "summary.json".to_string(),
            report::summary_json(scn, results),
        ),
        (
            "affordability.csv".to_string(),
            report::affordability_csv(results),
        ),
        (
            "trajectories.csv".to_string(),
            report::trajectories_csv(results),
        ),
        ("times.csv".to_string(), report::times_csv(results)),
        ("lag_trend.csv".to_string(), report::lag_trend_csv(results)),
    ];
    if !results.actor_counts.is_empty() {
        let bytes = report::actor_counts_csv(results);
        files.push(("actor_counts.csv".to_string(), bytes));
    }
    if !results.ranks.is_empty() {
        files.push(("ranks.csv".to_string(), report::ranks_csv(results)));
    }
    if !results.cost_components.is_empty() {
        let bytes = report::cost_components_csv(results);
        files.push(("cost_components.csv".to_string(), bytes));
    }
    if let Some(rows) = sensitivity {
        files.push((
            "sensitivity.csv".to_string(),
            report::sensitivity_csv(scn, rows),
        ));
    }
    // The scenario text that ran, with any --set applied.
    files.push(("scenario.toml".to_string(), scn.text.clone().into_bytes()));
    files
}

/// What a run without sensitivity analysis prints on stdout.
pub(super) fn run_stdout_plain(format: Format, scn: &Scenario, results: &RunResults) -> String {
    match format {
        Format::Table => report::summary_table(scn, results),
        Format::Json => {
            String::from_utf8(report::summary_json(scn, results)).expect("JSON is UTF-8")
        }
        Format::Csv => String::from_utf8(report::times_csv(results)).expect("CSV is UTF-8"),
    }
}
