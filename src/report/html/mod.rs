/*!
`report.html`: one self-contained page of a run, to share. It reads the run's saved files
(`summary.json` through the typed schema, `trajectories.csv`, `sensitivity.csv` when present,
`manifest.json`, `scenario.toml`) and draws every chart as inline SVG with tooltips giving the
numbers. No network: the style and a small script are inline, and nothing is loaded from
elsewhere. Nothing nondeterministic goes in (no wall time, no thread count): the same run
gives the same bytes, given the same date ([`utc_date`]).
*/

mod charts;
mod escape;
mod page;
mod processes;
mod svg;
mod tables;

use std::path::Path;

use serde::Deserialize;

pub use escape::escape;

use crate::plot::ChartData;
use crate::schema::{Pair, Summary};

/// The file name the report is written under, in the run's folder.
pub const FILE_NAME: &str = "report.html";

/// What the report shows of `manifest.json`: the provenance fields, not the wall time.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestInfo {
    /// The program and its version.
    pub tool: String,
    /// The scenario file as given.
    pub scenario_path: String,
    /// SHA-256 of the scenario text that ran.
    pub scenario_sha256: String,
    /// The `--set` values applied.
    #[serde(default)]
    pub overrides: Vec<String>,
}

/// Everything the report draws from, read back from a run's output folder.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The charts' data (also the class colours).
    pub chart: ChartData,
    /// `summary.json`.
    pub summary: Summary,
    /// `manifest.json`, when the folder has a readable one.
    pub manifest: Option<ManifestInfo>,
    /// `scenario.toml`, when the folder has one.
    pub scenario_text: Option<String>,
}

impl ReportData {
    /// Reads a run's output folder; fails with a message naming the file at fault.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let chart = ChartData::load(dir)?;
        let summary = crate::plot::saved::summary(&dir.join("summary.json"))?;
        let manifest = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let scenario_text = std::fs::read(dir.join("scenario.toml"))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        Ok(Self {
            chart,
            summary,
            manifest,
            scenario_text,
        })
    }

    /// The affordability of target `j` for class `k` (summary.json is target-major).
    pub fn pair(&self, j: usize, k: usize) -> Option<&Pair> {
        let p = self
            .summary
            .affordability
            .get(j * self.chart.actors.len() + k)?;
        let same = p.target == self.chart.targets.get(j)?.name && p.actor == self.chart.actors[k];
        same.then_some(p)
    }
}

/// The bytes of `report.html` for the run in `dir`; `date` is shown as the day it was written.
pub fn render(dir: &Path, date: &str) -> Result<Vec<u8>, String> {
    let data = ReportData::load(dir)?;
    Ok(page::page(&data, date).into_bytes())
}

/// A UTC calendar date, `YYYY-MM-DD`, of seconds since 1970 (days-from-civil inverted).
pub fn utc_date(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_known_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_798_761_599), "2026-12-31");
    }
}
