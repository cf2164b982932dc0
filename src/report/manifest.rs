//! `manifest.json`: how a run was made (scenario file and hash, the values set with `--set`,
//! seed, samples, threads, version, wall time). The one output that differs between otherwise identical runs.

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::scenario::Scenario;
use crate::sim::RunOptions;

/// The record of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Version of this layout.
    pub schema_version: u32,
    /// The tool and its version.
    pub tool: String,
    /// The scenario file as given.
    pub scenario_path: String,
    /// SHA-256 of the scenario text that ran (the file's, with the `--set` values), hex.
    pub scenario_sha256: String,
    /// The `--set` arguments applied to the scenario text, as `KEY=VALUE` with VALUE as TOML
    /// (empty when none was given).
    pub overrides: Vec<String>,
    /// Seed used (after any `--seed`).
    pub seed: u64,
    /// Samples drawn (after any `--samples`).
    pub samples: u64,
    /// Worker threads.
    pub threads: usize,
    /// Wall time of sampling and aggregation, seconds.
    pub wall_time_seconds: f64,
    /// The files written next to this one.
    pub files: Vec<String>,
}

/// The bytes of `manifest.json`.
pub fn manifest_json(m: &Manifest) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(m).expect("plain data");
    bytes.push(b'\n');
    bytes
}

/// `manifest.json` of a run of `scenarios` (the files as given, the hashes of their text as
/// run, and the `--set` values, which compared scenarios share) with `opts`, which took `wall`
/// seconds and wrote `files`: its name and bytes.
pub fn manifest_for(
    scenarios: &[&Scenario],
    opts: &RunOptions,
    wall: f64,
    files: &[(String, Vec<u8>)],
) -> (String, Vec<u8>) {
    let list = |f: &dyn Fn(&Scenario) -> String| {
        scenarios
            .iter()
            .map(|s| f(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        tool: format!("diffusion-sim {}", env!("CARGO_PKG_VERSION")),
        scenario_path: list(&|s| s.path.display().to_string()),
        scenario_sha256: list(&|s| s.sha256.clone()),
        overrides: scenarios
            .first()
            .map(|s| s.overrides.iter().map(|o| o.to_string()).collect())
            .unwrap_or_default(),
        seed: opts.seed,
        samples: opts.samples,
        threads: opts.threads,
        wall_time_seconds: (wall * 1e3).round() / 1e3,
        files: files.iter().map(|(n, _)| n.clone()).collect(),
    };
    ("manifest.json".to_string(), manifest_json(&manifest))
}
