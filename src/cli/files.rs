//! The stdout of a run, shared by `run` and `merge` (its files are `report::run_files`).

use super::Format;
use crate::report;
use crate::results::RunResults;
use crate::scenario::Scenario;

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
