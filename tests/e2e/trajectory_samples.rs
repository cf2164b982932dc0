//! `--trajectory-samples N` (`[scenario] trajectory_samples`): the per-year outputs are exactly
//! those of a run of the first N samples, everything else exactly that of the whole run; any
//! thread count and shard split gives the same files; 0 gives no per-year outputs and every
//! other output unchanged; bad values are refused.

use std::path::{Path, PathBuf};

use crate::util::{bin, file_names, replace_once, run_into, write_scenario};

/// The files built from the samples' paths year by year; every other data file comes from
/// the affordability times of every sample.
const PER_YEAR: [&str; 2] = ["trajectories.csv", "cost_components.csv"];

fn kitchen_sink() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_sink.toml");
    std::fs::read_to_string(path).unwrap()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn per_year_outputs_are_the_first_samples_and_the_rest_every_sample() {
    let (dir, path) = write_scenario(&kitchen_sink());
    let out = |name: &str| -> PathBuf { dir.path().join(name) };
    let path: &Path = &path;
    run_into(
        "run",
        &[path],
        &out("sub"),
        &[
            "--samples",
            "3000",
            "--trajectory-samples",
            "1000",
            "--threads",
            "3",
        ],
    );
    run_into(
        "run",
        &[path],
        &out("first"),
        &["--samples", "1000", "--threads", "1"],
    );
    run_into(
        "run",
        &[path],
        &out("all"),
        &["--samples", "3000", "--threads", "2"],
    );
    let files: Vec<String> = file_names(&out("sub"))
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect();
    assert!(files.len() >= 6, "{files:?}");
    for f in &files {
        let sub = read(&out("sub"), f);
        if PER_YEAR.contains(&f.as_str()) {
            assert!(
                sub == read(&out("first"), f),
                "{f}: not the first 1,000 samples'"
            );
            assert!(
                sub != read(&out("all"), f),
                "{f}: the same as every sample's"
            );
        } else {
            assert!(sub == read(&out("all"), f), "{f}: not every sample's");
        }
    }
    // The affordability figures of summary.json are every sample's, the cost components the
    // first samples'.
    let json = |d: &str| -> serde_json::Value {
        serde_json::from_slice(&read(&out(d), "summary.json")).unwrap()
    };
    let (sub, first, all) = (json("sub"), json("first"), json("all"));
    assert_eq!(sub["targets"], all["targets"]);
    assert_eq!(sub["samples"], all["samples"]);
    assert_eq!(sub["cost_components"], first["cost_components"]);
    // The run records the setting, as --set would.
    let manifest = String::from_utf8(read(&out("sub"), "manifest.json")).unwrap();
    assert!(
        manifest.contains("scenario.trajectory_samples=1000"),
        "{manifest}"
    );
}

#[test]
fn shards_of_a_subsampled_run_merge_to_the_whole_run() {
    for n in [700, 0] {
        shards_merge_to_the_whole_run(n);
    }
}

fn shards_merge_to_the_whole_run(trajectory_samples: u64) {
    let text = replace_once(
        &kitchen_sink(),
        "seed = 5",
        &format!("seed = 5\ntrajectory_samples = {trajectory_samples}"),
    );
    let (dir, path) = write_scenario(&text);
    let whole = dir.path().join("whole");
    run_into(
        "run",
        &[&path],
        &whole,
        &["--samples", "2001", "--threads", "2"],
    );
    let mut partials = Vec::new();
    for k in 1..=3 {
        let partial = dir.path().join(format!("part{k}.json"));
        bin()
            .arg("run")
            .arg(&path)
            .args(["--samples", "2001", "--quiet", "--threads", "1"])
            .args(["--shard", &format!("{k}/3"), "--partial"])
            .arg(&partial)
            .assert()
            .success();
        partials.push(partial);
    }
    let merged = dir.path().join("merged");
    bin()
        .arg("merge")
        .args(&partials)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&merged)
        .assert()
        .success();
    for f in file_names(&whole).iter().filter(|f| *f != "manifest.json") {
        assert!(read(&whole, f) == read(&merged, f), "{f} differs");
    }
}

#[test]
fn a_subsample_not_smaller_than_the_run_or_not_a_count_is_refused() {
    let (dir, path) = write_scenario(&kitchen_sink());
    for (args, says) in [
        (
            vec!["--samples", "1000", "--trajectory-samples", "1000"],
            "--trajectory-samples 1000 is not fewer than the run's 1000 samples",
        ),
        (
            vec!["--trajectory-samples=-1"],
            "expected a whole number of samples from 0 (no per-year outputs) to 1e12",
        ),
        (
            vec!["--trajectory-samples", "2.5"],
            "expected a whole number of samples from 0 (no per-year outputs) to 1e12",
        ),
        (
            vec!["--trajectory-samples", "many"],
            "expected a whole number of samples from 0",
        ),
    ] {
        let out = dir.path().join("out");
        bin()
            .arg("run")
            .arg(&path)
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
}

#[test]
fn zero_gives_no_per_year_outputs_and_every_other_output_unchanged() {
    let (dir, path) = write_scenario(&kitchen_sink());
    let out = |name: &str| -> PathBuf { dir.path().join(name) };
    let path: &Path = &path;
    // With charts and a report: the cost and process charts and the report's cost
    // trajectories need per-year values.
    let none = out("none");
    bin()
        .arg("run")
        .arg(path)
        .args(["--samples", "3000", "--trajectory-samples", "0", "--quiet"])
        .args(["--threads", "2", "--chart-format", "png", "--out"])
        .arg(&none)
        .assert()
        .success();
    run_into(
        "run",
        &[path],
        &out("all"),
        &["--samples", "3000", "--threads", "1"],
    );
    let all = out("all");
    assert!(!none.join("cost_components.csv").exists());
    assert!(all.join("cost_components.csv").exists());
    // trajectories.csv: a header alone.
    let text = String::from_utf8(read(&none, "trajectories.csv")).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("series,name,year,unit,p5,p25,p50,p75,p95"));
    // Every other data file is the whole run's, to the byte.
    let csvs: Vec<String> = file_names(&all)
        .into_iter()
        .filter(|f| f.ends_with(".csv") && !PER_YEAR.contains(&f.as_str()))
        .collect();
    assert!(csvs.len() >= 4, "{csvs:?}");
    for f in &csvs {
        assert!(read(&none, f) == read(&all, f), "{f}: not every sample's");
    }
    let json = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&read(d, "summary.json")).unwrap()
    };
    let (n, a) = (json(&none), json(&all));
    for key in ["affordability", "dominant_components", "samples", "years"] {
        assert_eq!(n[key], a[key], "{key}");
    }
    assert!(!a["dominant_components"].as_array().unwrap().is_empty());
    for key in ["class_costs", "cost_components"] {
        assert!(!a[key].as_array().unwrap().is_empty(), "{key}");
        assert!(n.get(key).is_none(), "{key}: {}", n[key]);
    }
    // The charts of affordability and lags, none of costs or processes.
    let charts = file_names(&none.join("charts"));
    assert!(
        charts.iter().any(|c| c.starts_with("affordability_")),
        "{charts:?}"
    );
    assert!(
        !charts
            .iter()
            .any(|c| c.starts_with("cost_") || c.starts_with("processes")),
        "{charts:?}"
    );
    bin().arg("report").arg(&none).assert().success();
    let page = String::from_utf8(read(&none, "report.html")).unwrap();
    assert!(page.contains("no per-year outputs"));
    assert!(!page.contains("Cost trajectory"));
    assert!(page.contains("Affordability"));
}

#[test]
fn a_budget_comparison_needs_per_year_costs() {
    let (dir, path) = write_scenario(&kitchen_sink());
    let out = dir.path().join("out");
    for (option, value) in [("--budgets", "1e6,1e9"), ("--budgets-range", "1e3:1e9")] {
        bin()
            .arg("compare")
            .arg(&path)
            .args([option, value, "--samples", "1000"])
            .args(["--trajectory-samples", "0", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "{option} finds, year by year, the share of samples whose cost is within each budget, from the per-year costs: it needs --trajectory-samples (scenario.trajectory_samples) of 1 or more, got 0"
            )));
        assert!(!out.exists());
    }
}

#[test]
fn a_cost_axis_without_cost_charts_is_refused() {
    let (dir, path) = write_scenario(&kitchen_sink());
    let out = dir.path().join("out");
    bin()
        .arg("run")
        .arg(&path)
        .args(["--samples", "1000", "--trajectory-samples", "0"])
        .args(["--cost-range", "1K:1T", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--cost-range sets the dollar axis of the cost charts",
        ));
    assert!(!out.exists());
    // Nor on redrawing such a run's charts.
    run_into(
        "run",
        &[&path],
        &out,
        &["--samples", "1000", "--trajectory-samples", "0"],
    );
    bin()
        .arg("plot")
        .arg(&out)
        .args(["--cost-range", "1K:1T"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--cost-range sets the dollar axis of the cost charts",
        ));
}
