//! `manifest.json`: how a run was made (scenario file and hash, seed, samples, threads,
//! version, wall time). The one output that differs between otherwise identical runs.

use serde::Serialize;

/// The record of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Version of this layout.
    pub schema_version: u32,
    /// The tool and its version.
    pub tool: String,
    /// The scenario file as given.
    pub scenario_path: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
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
