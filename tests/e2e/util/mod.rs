//! Helpers shared by the end-to-end tests: the binary under test, scenario files in fresh
//! temporary directories, a minimal valid scenario, and text edits on scenarios.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A small valid scenario: every required table and key, one actor class with its own budget,
/// one fixed-FLOP target, and a small `samples` so that a plain `run` is fast.
///
/// `tests/bad_input.rs` breaks this text line by line (`replace_once`), so a change here may
/// need a matching change there; keep one key per line.
pub const MINIMAL_SCENARIO: &str = r#"[scenario]
name = "Minimal"
start_year = 2025.0
end_year = 2040.0
samples = 1000
seed = 7

[hardware]
flop_per_dollar = 1e18
doubling_time_years = 2.5

[algorithms]
halving_time_years = "0.5 to 1.5"

[investment]
frontier_spend = "$100M to $1B"
growth_per_year = 2.0

[[actor]]
name = "Lab"
budget = "$1M to $10M"
growth_per_year = 1.2

[[target]]
name = "Big model"
flop = 1e26
flop_year = 2024.0
"#;

/// MODEL.md's worked check as a scenario with fixed numbers: every sample is the same, so the
/// reported quantiles are the exact crossing, 2025 + 5.2036 years.
pub const WORKED_CHECK: &str = r#"
[scenario]
name = "worked check"
start_year = 2025.0
end_year = 2060.0
samples = 1000
seed = 1

[hardware]
flop_per_dollar = 6.7e16
doubling_time_years = 2.5

[algorithms]
halving_time_years = 1.5

[investment]
frontier_spend = "$100M"
growth_per_year = 1.0

[[actor]]
name = "Small lab"
budget = "$100K"

[[target]]
name = "GPT-3"
flop = 3.14e23
"#;

/// The files `run` writes into its output directory.
pub const OUTPUT_FILES: &[&str] = &[
    "summary.json",
    "affordability.csv",
    "trajectories.csv",
    "times.csv",
    "lag_trend.csv",
    "scenario.toml",
    "manifest.json",
];

/// The `diffusion-sim` binary, built by cargo for the integration tests.
pub fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").expect("the diffusion-sim binary is built")
}

/// Writes `text` to `scenario.toml` in a fresh temporary directory; the directory is removed
/// when the returned [`TempDir`] is dropped, so keep it alive while the path is used.
pub fn write_scenario(text: &str) -> (TempDir, PathBuf) {
    write_scenario_named("scenario.toml", text)
}

/// Like [`write_scenario`], with a chosen file name (e.g. to make failures name their case).
pub fn write_scenario_named(file_name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join(file_name);
    std::fs::write(&path, text).expect("write the scenario file");
    (dir, path)
}

/// `text` with the single occurrence of `from` replaced by `to`; panics unless `from` occurs
/// exactly once, so that an edit never silently misses or hits the wrong line.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    let n = text.matches(from).count();
    assert_eq!(
        n, 1,
        "expected exactly one {from:?} in the scenario, found {n}:\n{text}"
    );
    text.replacen(from, to, 1)
}

/// The 1-based line and column (in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The files (names) directly inside `dir`, sorted.
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The rows of a CSV file as maps from column name to cell.
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs `diffusion-sim COMMAND INPUTS… --quiet --no-charts --out OUT ARGS…` and checks that it
/// succeeds; returns its stdout.
pub fn run_into(command: &str, inputs: &[&Path], out: &Path, args: &[&str]) -> String {
    let done = bin()
        .arg(command)
        .args(inputs)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(out)
        .args(args)
        .assert()
        .success();
    String::from_utf8(done.get_output().stdout.clone()).expect("UTF-8 stdout")
}

/// Runs `run SCENARIO --quiet --no-charts --out DIR ARGS…` on `text` and checks that it
/// succeeds; returns the temporary directory (keep it alive while the outputs are read) and the
/// output folder.
pub fn run_scenario(text: &str, args: &[&str]) -> (TempDir, PathBuf) {
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    run_into("run", &[&path], &out, args);
    (dir, out)
}

/// The `points` of an SVG polygon as `(x, y)` pairs, each coordinate parsed as `T`.
pub fn polygon_points<T>(polygon: &roxmltree::Node) -> Vec<(T, T)>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Debug,
{
    polygon
        .attribute("points")
        .unwrap()
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}
