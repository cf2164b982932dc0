//! `sweep`: every point's numbers are `run --set`'s, closed forms hold at every point, Latin
//! hypercubes use each stratum once and repeat, bad sweeps are refused, and threads do not
//! change a byte.

use std::collections::HashMap;
use std::path::Path;

use diffusion_sim::sweep::stratum;

use crate::util::{
    MINIMAL_SCENARIO, WORKED_CHECK, bin, csv_rows, file_names, replace_once, run_into,
    write_scenario,
};

/// `sweep SCENARIO --quiet --no-charts --out OUT ARGS…`, which must succeed; its stdout.
fn sweep(scenario: &Path, out: &Path, args: &[&str]) -> String {
    run_into("sweep", &[scenario], out, args)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The columns `times.csv` and `sweep.csv` share.
const SHARED: [&str; 9] = [
    "target",
    "actor",
    "frontier_year",
    "p_by_horizon",
    "year_p5",
    "year_p25",
    "year_p50",
    "year_p75",
    "year_p95",
];

fn shared(row: &HashMap<String, String>) -> Vec<String> {
    SHARED.iter().map(|c| row[*c].clone()).collect()
}

/// The minimal scenario with a second actor class and a frontier-of-year target, so that rows
/// are told apart by target and class.
fn two_by_two() -> String {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "[[target]]",
        "[[actor]]\nname = \"Startup\"\nbudget = \"$10M to $100M\"\n\n[[target]]\nname = \"Frontier 2030\"\nfrontier_year = 2030\n\n[[target]]",
    );
    replace_once(&text, "samples = 1000", "samples = 3000")
}

/// Each point's rows are the numbers `run --set KEY=VALUE…` reports for the same values:
/// times.csv cell for cell, and summary.json's P(by each reporting year) in sweep.json.
#[test]
fn each_point_is_the_run_with_its_values_set() {
    let (dir, path) = write_scenario(&two_by_two());
    let out = dir.path().join("sweep");
    let grid = [
        "--grid",
        "hardware.doubling_time_years=2,3.5",
        "--grid",
        "actor.Lab.budget=$1M to $10M,$50M",
    ];
    sweep(&path, &out, &grid);
    let rows = csv_rows(&out.join("sweep.csv"));
    let doc = read_json(&out.join("sweep.json"));
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(
        doc["keys"],
        serde_json::json!(["hardware.doubling_time_years", "actor.Lab.budget"])
    );
    let points = [
        ("2", "$1M to $10M"),
        ("2", "$50M"),
        ("3.5", "$1M to $10M"),
        ("3.5", "$50M"),
    ];
    assert_eq!(
        rows.len(),
        points.len() * 4,
        "4 points × 2 targets × 2 classes"
    );
    let mut medians = Vec::new();
    for (i, (d, b)) in points.iter().enumerate() {
        let run = dir.path().join(format!("run{i}"));
        let set_d = format!("hardware.doubling_time_years={d}");
        let set_b = format!("actor.Lab.budget={b}");
        run_into("run", &[&path], &run, &["--set", &set_d, "--set", &set_b]);
        let times = csv_rows(&run.join("times.csv"));
        let mine: Vec<&HashMap<String, String>> = rows
            .iter()
            .filter(|r| r["point"] == (i + 1).to_string())
            .collect();
        assert_eq!(mine.len(), times.len());
        for (s, t) in mine.iter().zip(&times) {
            assert_eq!(s["hardware.doubling_time_years"], *d);
            assert_eq!(s["actor.Lab.budget"], *b);
            assert_eq!(shared(s), shared(t), "point {}", i + 1);
        }
        medians.push(mine[0]["year_p50"].clone());
        let summary = read_json(&run.join("summary.json"));
        let point = &doc["points"][i];
        assert_eq!(point["values"], serde_json::json!([d, b]));
        assert_eq!(point["years"], summary["years"]);
        for (a, b) in point["affordability"]
            .as_array()
            .unwrap()
            .iter()
            .zip(summary["affordability"].as_array().unwrap())
        {
            assert_eq!(a, b, "point {}", i + 1);
        }
        // The scenario text of the point is the text `run --set` ran.
        let copy = std::fs::read(out.join(format!("scenarios/point_{}.toml", i + 1))).unwrap();
        assert_eq!(copy, std::fs::read(run.join("scenario.toml")).unwrap());
    }
    // The values matter: the points do not all give the same answer.
    medians.dedup();
    assert!(medians.len() > 1, "{medians:?}");
}

/// A point that sets a value to what the file already says runs exactly the scenario: the same
/// text, the same random numbers, byte-identical numbers to `run`. Another point of the same
/// sweep differs, on the same draws of every other input.
#[test]
fn a_point_equal_to_the_scenario_is_the_plain_run() {
    let (dir, path) = write_scenario(&two_by_two());
    let out = dir.path().join("sweep");
    sweep(
        &path,
        &out,
        &[
            "--grid",
            "algorithms.halving_time_years=0.5 to 1.5,0.25 to 0.75",
        ],
    );
    let plain = dir.path().join("plain");
    run_into("run", &[&path], &plain, &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("scenarios/point_1.toml")).unwrap(),
        two_by_two()
    );
    let times: Vec<Vec<String>> = csv_rows(&plain.join("times.csv"))
        .iter()
        .map(shared)
        .collect();
    let rows = csv_rows(&out.join("sweep.csv"));
    let at = |p: &str| -> Vec<Vec<String>> {
        rows.iter()
            .filter(|r| r["point"] == p)
            .map(shared)
            .collect()
    };
    assert_eq!(at("1"), times);
    assert_ne!(at("2"), times);
    let doc = read_json(&out.join("sweep.json"));
    let summary = read_json(&plain.join("summary.json"));
    assert_eq!(doc["points"][0]["affordability"], summary["affordability"]);
}

/// The worked check has fixed inputs: every sample is the same and the median year is the exact
/// crossing, t = start + ln(E/(P0·B)) / (ln2/d + ln2/h), at every point of a grid over the
/// doubling time d and the budget B.
#[test]
fn a_grid_follows_the_closed_form_at_every_point() {
    let (dir, path) = write_scenario(WORKED_CHECK);
    let out = dir.path().join("sweep");
    sweep(
        &path,
        &out,
        &[
            "--grid",
            "hardware.doubling_time_years=1.25,2.5,5",
            "--grid",
            "actor.\"Small lab\".budget=$10K,$100K,$1M",
        ],
    );
    let rows = csv_rows(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 9);
    let ln2 = 2f64.ln();
    for (i, r) in rows.iter().enumerate() {
        let d: f64 = r["hardware.doubling_time_years"].parse().unwrap();
        let budget = match r["actor.\"Small lab\".budget"].as_str() {
            "$10K" => 1e4,
            "$100K" => 1e5,
            "$1M" => 1e6,
            other => panic!("unexpected budget {other}"),
        };
        // The first --grid varies slowest.
        assert_eq!(d, [1.25, 2.5, 5.0][i / 3]);
        assert_eq!(budget, [1e4, 1e5, 1e6][i % 3]);
        let exact = 2025.0 + (3.14e23f64 / 6.7e16 / budget).ln() / (ln2 / d + ln2 / 1.5);
        for q in ["year_p5", "year_p50", "year_p95"] {
            let got: f64 = r[q].parse().unwrap();
            assert!(
                (got - exact).abs() < 1e-6,
                "point {}: {q} {got} vs {exact}",
                i + 1
            );
        }
        assert_eq!(r["p_by_horizon"], "1");
    }
}

/// The values of the LHS columns of `sweep.csv`, one row per point.
fn lhs_values(out: &Path, keys: &[&str]) -> Vec<Vec<f64>> {
    let mut seen = Vec::new();
    let mut values = Vec::new();
    for r in csv_rows(&out.join("sweep.csv")) {
        if !seen.contains(&r["point"]) {
            seen.push(r["point"].clone());
            values.push(keys.iter().map(|k| r[*k].parse().unwrap()).collect());
        }
    }
    values
}

/// A Latin hypercube uses every stratum of every range exactly once, stays within bounds,
/// repeats under the same command and follows the seed; its points follow the closed form too.
#[test]
fn a_latin_hypercube_uses_every_stratum_once_and_repeats() {
    let (dir, path) = write_scenario(WORKED_CHECK);
    let keys = ["hardware.doubling_time_years", "actor.\"Small lab\".budget"];
    let args = [
        "--lhs",
        "hardware.doubling_time_years=1:4",
        "--lhs",
        "actor.\"Small lab\".budget=$10K:$1M",
        "--points",
        "25",
    ];
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    sweep(&path, &a, &args);
    let values = lhs_values(&a, &keys);
    assert_eq!(values.len(), 25);
    for (k, (lo, hi)) in [(1.0, 4.0), (1e4, 1e6)].into_iter().enumerate() {
        let mut hits = vec![0; 25];
        for v in &values {
            assert!(v[k] >= lo && v[k] <= hi, "{} outside [{lo}, {hi}]", v[k]);
            hits[stratum(v[k], lo, hi, 25)] += 1;
        }
        assert!(hits.iter().all(|&h| h == 1), "{}: {hits:?}", keys[k]);
    }
    let ln2 = 2f64.ln();
    for (v, r) in values.iter().zip(csv_rows(&a.join("sweep.csv"))) {
        let exact = 2025.0 + (3.14e23f64 / 6.7e16 / v[1]).ln() / (ln2 / v[0] + ln2 / 1.5);
        let got: f64 = r["year_p50"].parse().unwrap();
        assert!((got - exact).abs() < 1e-6, "{v:?}: {got} vs {exact}");
    }
    sweep(&path, &b, &args);
    assert_eq!(
        std::fs::read(a.join("sweep.csv")).unwrap(),
        std::fs::read(b.join("sweep.csv")).unwrap()
    );
    sweep(&path, &c, &[&args[..], &["--seed", "8"]].concat());
    assert_ne!(lhs_values(&c, &keys), values);
}

/// `LOW:HIGH:log` cuts the range into strata equal in the logarithm: of 20 points over two
/// decades, ten below the geometric middle, where equal strata put one or two; the other key's
/// values are the same numbers as without `:log` (its own stream), and the closed form holds.
#[test]
fn a_log_latin_hypercube_uses_every_log_stratum_once() {
    let (dir, path) = write_scenario(WORKED_CHECK);
    let keys = ["hardware.doubling_time_years", "actor.\"Small lab\".budget"];
    let args = |budget: &'static str| {
        [
            "--lhs",
            "hardware.doubling_time_years=1:4",
            "--lhs",
            budget,
            "--points",
            "20",
        ]
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    sweep(&path, &a, &args("actor.\"Small lab\".budget=$10K:$1M:log"));
    sweep(&path, &b, &args("actor.\"Small lab\".budget=$10K:$1M"));
    let (log, linear) = (lhs_values(&a, &keys), lhs_values(&b, &keys));
    let mut hits = vec![0; 20];
    for v in &log {
        assert!((1e4..=1e6).contains(&v[1]), "{} outside the range", v[1]);
        hits[stratum(v[1].ln(), 1e4f64.ln(), 1e6f64.ln(), 20)] += 1;
    }
    assert!(hits.iter().all(|&h| h == 1), "{hits:?}");
    assert_eq!(log.iter().filter(|v| v[1] < 1e5).count(), 10);
    assert!(linear.iter().filter(|v| v[1] < 1e5).count() <= 2);
    for (l, m) in log.iter().zip(&linear) {
        assert_eq!(l[0], m[0], "the other key's values moved");
    }
    let ln2 = 2f64.ln();
    for (v, r) in log.iter().zip(csv_rows(&a.join("sweep.csv"))) {
        let exact = 2025.0 + (3.14e23f64 / 6.7e16 / v[1]).ln() / (ln2 / v[0] + ln2 / 1.5);
        let got: f64 = r["year_p50"].parse().unwrap();
        assert!((got - exact).abs() < 1e-6, "{v:?}: {got} vs {exact}");
    }
}

/// The number of threads changes no byte of the sweep's files; the formats print its files.
#[test]
fn threads_change_nothing_and_formats_print_the_files() {
    let text = replace_once(&two_by_two(), "samples = 3000", "samples = 5000");
    let (dir, path) = write_scenario(&text);
    let grid = ["--grid", "hardware.doubling_time_years=2,3"];
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let csv = sweep(
        &path,
        &one,
        &[&grid[..], &["--threads", "1", "--format", "csv"]].concat(),
    );
    let json = sweep(
        &path,
        &two,
        &[&grid[..], &["--threads", "2", "--format", "json"]].concat(),
    );
    for f in [
        "sweep.csv",
        "sweep.json",
        "scenarios/point_1.toml",
        "scenarios/point_2.toml",
    ] {
        assert!(
            std::fs::read(one.join(f)).unwrap() == std::fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    assert_eq!(
        csv.as_bytes(),
        std::fs::read(one.join("sweep.csv")).unwrap()
    );
    assert_eq!(
        json.as_bytes(),
        std::fs::read(two.join("sweep.json")).unwrap()
    );
    assert_eq!(
        file_names(&one),
        ["manifest.json", "scenarios", "sweep.csv", "sweep.json"]
    );
    let table = sweep(&path, &dir.path().join("table"), &grid);
    assert!(
        table.contains("sweep of 2 points (grid), 5000 samples per point"),
        "{table}"
    );
    assert!(table.contains("hardware.doubling_time_years"), "{table}");
}

/// One chart per target × swept key, in the requested format, in `out/<stem>-sweep/charts`.
#[test]
fn charts_show_each_target_against_each_key() {
    let (dir, _path) = write_scenario(&two_by_two());
    let done = bin()
        .current_dir(dir.path())
        .args(["sweep", "scenario.toml", "--quiet", "--chart-format", "png"])
        .args([
            "--grid",
            "hardware.doubling_time_years=2,3",
            "--grid",
            "costs.overhead=1,2",
        ])
        .assert();
    // The minimal scenario has no [costs] table: the key cannot be added.
    let err = String::from_utf8(done.code(2).get_output().stderr.clone()).unwrap();
    assert!(err.contains("--grid costs.overhead=1,2 (point 1"), "{err}");
    bin()
        .current_dir(dir.path())
        .args(["sweep", "scenario.toml", "--quiet", "--chart-format", "png"])
        .args([
            "--grid",
            "hardware.doubling_time_years=2,3",
            "--grid",
            "actor.Lab.budget=$1M,$10M,$100M",
        ])
        .assert()
        .success();
    let charts = dir.path().join("out/scenario-sweep/charts");
    assert_eq!(
        file_names(&charts),
        [
            "sweep_big_model_actor_lab_budget.png",
            "sweep_big_model_hardware_doubling_time_years.png",
            "sweep_frontier_2030_actor_lab_budget.png",
            "sweep_frontier_2030_hardware_doubling_time_years.png",
        ]
    );
    let png = std::fs::read(charts.join("sweep_big_model_actor_lab_budget.png")).unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert_eq!((img.width(), img.height()), (1200, 750));
}
