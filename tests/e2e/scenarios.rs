//! Every shipped scenario validates and runs end to end, and the lag trend reports exactly the
//! per-target lags it summarises.

use crate::util::csv_rows;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").unwrap()
}

/// Every `.toml` file in `scenarios/`, so a new scenario is covered without editing this test.
fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_validates_and_runs() {
    let files = scenario_files();
    assert!(
        files.len() >= 7,
        "expected the scenario library, found {files:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    for path in files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let v = bin().arg("validate").arg(&path).assert().success();
        assert!(
            v.get_output().stderr.is_empty(),
            "{stem}: validate printed on stderr (a unit warning?): {}",
            String::from_utf8_lossy(&v.get_output().stderr)
        );
        // The inputs' table keeps its columns: every 50% and 95% starts where the others do
        // (a long number, 935414.3467, had pushed its row's out of line).
        let shown = String::from_utf8_lossy(&v.get_output().stdout).into_owned();
        let rows: Vec<&str> = shown.lines().filter(|l| l.contains(" 5%: ")).collect();
        for column in ["50%: ", "95%: "] {
            let at: std::collections::BTreeSet<usize> =
                rows.iter().filter_map(|l| l.find(column)).collect();
            assert!(at.len() <= 1, "{stem}: {column} at columns {at:?}\n{shown}");
        }
        // An amount written with `$` is not followed by "dollars" again.
        for line in shown.lines() {
            for (i, _) in line.match_indices("\" dollars") {
                let quoted = line[..i].rsplit('"').next().unwrap_or("");
                assert!(!quoted.contains('$'), "{stem}: {line}");
            }
        }
        let out = dir.path().join(&stem);
        let a = bin()
            .arg("run")
            .arg(&path)
            .args(["--samples", "400", "--quiet", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
        assert!(
            !a.get_output().stdout.is_empty(),
            "{stem}: no summary printed"
        );
        for f in [
            "summary.json",
            "affordability.csv",
            "trajectories.csv",
            "times.csv",
            "lag_trend.csv",
        ] {
            assert!(out.join(f).is_file(), "{stem}: {f} missing");
        }
    }
}

#[test]
fn the_lag_trend_reports_the_per_target_lags() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/algorithms_outpace_investment.toml");
    let a = bin()
        .arg("run")
        .arg(&path)
        .args(["--samples", "3000", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let table = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(table.contains("Diffusion lag by frontier year"));
    let trend = csv_rows(&out.join("lag_trend.csv"));
    let times = csv_rows(&out.join("times.csv"));
    let frontier: Vec<_> = times
        .iter()
        .filter(|r| !r["frontier_year"].is_empty())
        .collect();
    // One trend point per (actor, frontier target); five frontier years from `frontier_years`.
    assert_eq!(trend.len(), frontier.len());
    assert_eq!(
        frontier.iter().filter(|r| r["actor"] == "Big tech").count(),
        5
    );
    for t in &trend {
        let m = frontier
            .iter()
            .find(|r| r["actor"] == t["actor"] && r["target"] == t["target"])
            .unwrap();
        assert_eq!(t["frontier_year"], m["frontier_year"]);
        assert_eq!(t["target"], format!("Frontier of {}", t["frontier_year"]));
        for q in ["p5", "p25", "p50", "p75", "p95"] {
            assert_eq!(
                t[&format!("lag_{q}")],
                m[&format!("lag_{q}")],
                "{} {} {q}",
                t["actor"],
                t["target"]
            );
        }
        let beyond: f64 = t["p_beyond_horizon"].parse().unwrap();
        let by: f64 = m["p_by_horizon"].parse().unwrap();
        assert!((beyond + by - 1.0).abs() < 1e-12);
    }
    // Frontier years ascend within each actor class.
    let big_tech: Vec<f64> = trend
        .iter()
        .filter(|t| t["actor"] == "Big tech")
        .map(|t| t["frontier_year"].parse().unwrap())
        .collect();
    assert_eq!(big_tech, vec![2028.0, 2032.0, 2036.0, 2040.0, 2044.0]);
    assert!(
        out.join("charts/lag_trend.png").is_file() && out.join("charts/lag_trend.svg").is_file()
    );
}
