//! `diffusion-sim compare`: budget thresholds and scenarios side by side.

use crate::util::csv_rows;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").unwrap()
}

/// Two actor classes, one with a fixed budget that never grows (so a $1M threshold is that class).
fn scenario(lab_budget: &str) -> String {
    format!(
        r#"
[scenario]
name = "compare test"
start_year = 2025.0
end_year = 2060.0
samples = 3000
seed = 4

[hardware]
flop_per_dollar = "3e17 to 1e18"
doubling_time_years = "2 to 3"

[algorithms]
halving_time_years = "0.6 to 1.5"

[investment]
frontier_spend = "1e8 to 5e8"
growth_per_year = "2 to 3"

[[actor]]
name = "Fixed lab"
budget = "$1M"

[[actor]]
name = "Lab"
budget = {lab_budget}
growth_per_year = "1.0 to 1.2"

[[target]]
name = "Big"
flop = "1e25 to 3e25"
flop_year = 2023

[[target]]
name = "Frontier 2030"
frontier_year = 2030
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_threshold_equal_to_a_fixed_budget_gives_that_actors_results() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario("\"1e5 to 1e7\""));
    let out = dir.path().join("cmp");
    let a = bin()
        .args(["compare", "--budgets", "100K,1M,$10M"])
        .arg(&s)
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let table = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        table.contains("$1M") && table.contains("median year"),
        "{table}"
    );
    let plain = dir.path().join("plain");
    bin()
        .arg("run")
        .arg(&s)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&plain)
        .assert()
        .success();
    let times = csv_rows(&plain.join("times.csv"));
    let thresholds = csv_rows(&out.join("thresholds.csv"));
    for target in ["Big", "Frontier 2030"] {
        let actor = times
            .iter()
            .find(|r| r["target"] == target && r["actor"] == "Fixed lab")
            .unwrap();
        let thr = thresholds
            .iter()
            .find(|r| r["target"] == target && r["budget"] == "1e6")
            .unwrap();
        for q in ["p5", "p25", "p50", "p75", "p95"] {
            assert_eq!(
                actor[&format!("year_{q}")],
                thr[&format!("year_{q}")],
                "{target} {q}"
            );
        }
        assert_eq!(actor["p_by_horizon"], thr["p_by_horizon"]);
    }
    // Costs never rise in this scenario, so P(cost ≤ budget) at a year is exactly the threshold's
    // affordability curve at that year.
    let curves = csv_rows(&out.join("affordability.csv"));
    let exact = curves
        .iter()
        .find(|r| r["target"] == "Big" && r["actor"] == "budget $1M" && r["year"] == "2030")
        .unwrap();
    let thr = thresholds
        .iter()
        .find(|r| r["target"] == "Big" && r["budget"] == "1e6")
        .unwrap();
    let (a, b): (f64, f64) = (
        exact["probability"].parse().unwrap(),
        thr["p_cost_at_most_2030"].parse().unwrap(),
    );
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    // P(cost ≤ budget) is monotone in the budget within each year.
    let big: Vec<_> = thresholds.iter().filter(|r| r["target"] == "Big").collect();
    let p = |r: &std::collections::HashMap<String, String>| {
        r["p_cost_at_most_2030"].parse::<f64>().unwrap()
    };
    assert!(p(big[0]) <= p(big[1]) && p(big[1]) <= p(big[2]));
    for f in [
        "thresholds.csv",
        "threshold_grid.csv",
        "compare.json",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    for stem in [
        "threshold_heatmap_big",
        "threshold_curves_big",
        "threshold_heatmap_frontier_2030",
    ] {
        assert!(
            out.join(format!("charts/{stem}.png")).is_file()
                && out.join(format!("charts/{stem}.svg")).is_file(),
            "{stem}"
        );
    }
}

#[test]
fn bad_budget_values_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario("\"1e5 to 1e7\""));
    for (flag, value, words) in [
        ("--budgets", "-5", "not positive"),
        ("--budgets", "0", "not positive"),
        ("--budgets", "abc", "not an amount"),
        ("--budgets", "", "empty entry"),
        ("--budgets", "1M,,2M", "empty entry"),
        ("--budgets-range", "1e6:1e3", "LOW:HIGH"),
        // Two budgets that print alike: said so (it had blamed an actor class).
        (
            "--budgets",
            "1000,1001",
            "the budgets 1000 and 1001 both read as $1K",
        ),
    ] {
        let out = dir.path().join("out");
        let a = bin()
            .arg("compare")
            .arg(flag)
            .arg(value)
            .arg(&s)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.starts_with("error: ") && stderr.contains(words),
            "{flag} {value:?}: {stderr}"
        );
        assert!(!out.exists());
    }
}

/// The heat map's grid of budgets stays bounded: a `--per-decade` that would pass its cap is
/// refused before the run; thresholds far below every budget (310 decades of span) give a
/// coarser grid, said on stderr, with every budget a positive finite number.
#[test]
fn the_heat_maps_grid_is_bounded_whatever_the_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario("\"1e5 to 1e7\""));
    // `compare` of `s` with `flags` into `out`: its exit code and stderr.
    let compare = |flags: &[&str], out: &Path| {
        let o = bin()
            .arg("compare")
            .args(flags)
            .args(["--no-charts", "--quiet"])
            .arg(&s)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        (o.status.code(), String::from_utf8(o.stderr).unwrap())
    };
    // Every budget of the grid, each a positive finite number.
    let grid = |out: &Path| -> Vec<f64> {
        let mut budgets: Vec<f64> = csv_rows(&out.join("threshold_grid.csv"))
            .into_iter()
            .map(|r| r["budget"].parse().unwrap())
            .collect();
        budgets.sort_by(f64::total_cmp);
        budgets.dedup();
        assert!(budgets.iter().all(|b| b.is_finite() && *b > 0.0));
        budgets
    };
    let out = dir.path().join("out");
    let (code, stderr) = compare(&["--budgets", "1M", "--per-decade", "4000000000"], &out);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: --per-decade 4000000000") && stderr.contains("more than 1000"),
        "{stderr}"
    );
    assert!(!out.exists());
    let (code, stderr) = compare(&["--budgets", "1e-300"], &out);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("note: the heat map has 3 budgets a decade, not 4"),
        "{stderr}"
    );
    let n = grid(&out).len();
    assert!(n > 900 && n <= 1001, "{n}");
    // A threshold near the largest double: the grid's top stays finite.
    let top = dir.path().join("top");
    assert_eq!(compare(&["--budgets", "1e308"], &top).0, Some(0));
    assert!(grid(&top).len() <= 1001);
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &scenario("\"1e5 to 1e7\""));
    let b = write(dir.path(), "b.toml", &scenario("\"1e5 to 1e7\""));
    let out = dir.path().join("cmp");
    bin()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = csv_rows(&out.join("compare.csv"));
    let b_rows: Vec<_> = rows.iter().filter(|r| r["scenario"] == "b").collect();
    assert!(!b_rows.is_empty(), "no rows for the second scenario");
    let mut checked = 0;
    for r in b_rows {
        if !r["median_diff_vs_first"].is_empty() {
            assert_eq!(r["median_diff_vs_first"], "0.0000");
            assert_eq!(r["median_diff_se"], "0.0000");
            checked += 1;
        }
    }
    // Cannot pass vacuously: at least one pair has a median within the horizon to compare.
    assert!(checked > 0, "no difference was checked");
}

/// Common random numbers: changing one input leaves every result that does not depend on it
/// exactly as it was (the fixed-budget class), and the changed class moves.
#[test]
fn common_random_numbers_isolate_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &scenario("\"1e5 to 1e7\""));
    let b = write(dir.path(), "b.toml", &scenario("\"1e6 to 1e8\""));
    let out = dir.path().join("cmp");
    let run = bin()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let table = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(table.contains("Δ"), "{table}");
    let rows = csv_rows(&out.join("compare.csv"));
    let (mut unchanged, mut moved) = (0, 0);
    for r in rows.iter().filter(|r| r["scenario"] == "b") {
        let d: f64 = r["median_diff_vs_first"].parse().unwrap_or(f64::NAN);
        if r["actor"] == "Fixed lab" {
            assert_eq!(d, 0.0, "{r:?}");
            unchanged += 1;
        } else if r["target"] == "Big" {
            // A ten times bigger budget: earlier, by many standard errors.
            let se: f64 = r["median_diff_se"].parse().unwrap();
            assert!(d < -1.0 && d < -5.0 * se, "{r:?}");
            moved += 1;
        }
    }
    // Cannot pass vacuously: both targets of the fixed-budget class were compared (an empty
    // difference, a median beyond the horizon, fails above), and the changed class on "Big".
    assert_eq!((unchanged, moved), (2, 1), "rows of b: {rows:?}");
    assert!(
        out.join("charts/compare_big.png").is_file()
            && out.join("charts/compare_big.svg").is_file()
    );
    // The panels' shared axis titles: the y axis's is the subtitle's first words too, so count.
    let svg = std::fs::read_to_string(out.join("charts/compare_big.svg")).unwrap();
    assert!(
        svg.contains("\nYear\n") && svg.matches("P(affordable by the year)").count() >= 2,
        "compare_big.svg lacks its axis titles"
    );
    assert!(out.join("compare_affordability.csv").is_file() && out.join("manifest.json").is_file());
}

#[test]
fn names_are_matched_and_the_unmatched_listed() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &scenario("\"1e5 to 1e7\""));
    let renamed = scenario("\"1e5 to 1e7\"").replace("name = \"Lab\"", "name = \"Other lab\"");
    let b = write(dir.path(), "b.toml", &renamed);
    let run = bin()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["--no-charts", "--out"])
        .arg(dir.path().join("cmp"))
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("actor class \"Lab\" is only in a; not compared (missing from b)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("actor class \"Other lab\" is only in b"),
        "{stdout}"
    );
    // Nothing in common: an error.
    let nothing = scenario("\"1e5 to 1e7\"")
        .replace("name = \"Big\"", "name = \"X\"")
        .replace("name = \"Frontier 2030\"", "name = \"Y\"");
    let c = write(dir.path(), "c.toml", &nothing);
    let out = dir.path().join("none");
    let e = bin()
        .arg("compare")
        .arg(&a)
        .arg(&c)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    assert!(
        String::from_utf8(e.get_output().stderr.clone())
            .unwrap()
            .contains("no target in common")
    );
    assert!(!out.exists());
}

#[test]
fn comparisons_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &scenario("\"1e5 to 1e7\""));
    let b = write(dir.path(), "b.toml", &scenario("\"1e6 to 1e8\""));
    let mut outputs = Vec::new();
    for t in ["1", "2"] {
        let out = dir.path().join(t);
        bin()
            .arg("compare")
            .arg(&a)
            .arg(&b)
            .args(["--quiet", "--no-charts", "--threads", t, "--out"])
            .arg(&out)
            .assert()
            .success();
        outputs.push(std::fs::read(out.join("compare.csv")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// `--seed` and `--samples` have one source of truth: every file of a budgets comparison states
/// the values that ran, and the results equal those of the scenario with the values written in.
#[test]
fn flags_override_the_scenario_in_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("\"$1M to $10M\"");
    let edited = text
        .replace("seed = 4", "seed = 99")
        .replace("samples = 3000", "samples = 1200");
    let (a, b) = (
        write(dir.path(), "a.toml", &text),
        write(dir.path(), "b.toml", &edited),
    );
    let compare = |path: &Path, out: &str, flags: &[&str]| {
        let out = dir.path().join(out);
        bin()
            .arg("compare")
            .arg(path)
            .args(["--budgets", "1M,10M", "--quiet", "--no-charts"])
            .args(flags)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out
    };
    let flagged = compare(&a, "flagged", &["--seed", "99", "--samples", "1200"]);
    let written = compare(&b, "written", &[]);
    for file in ["summary.json", "manifest.json", "compare.json"] {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(flagged.join(file)).unwrap()).unwrap();
        assert_eq!(v["seed"], 99, "{file}");
        assert_eq!(v["samples"], 1200, "{file}");
    }
    for file in ["thresholds.csv", "times.csv", "trajectories.csv"] {
        assert_eq!(
            std::fs::read(flagged.join(file)).unwrap(),
            std::fs::read(written.join(file)).unwrap(),
            "{file}"
        );
    }
}

/// The threshold-curves chart draws at most ten or so of a fine grid's thresholds and says
/// which (it had thinned them without a word); a short list is drawn whole, with no such note.
#[test]
fn the_threshold_curves_chart_says_which_thresholds_it_draws() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario("\"1e5 to 1e7\""));
    let subtitle = |budgets: &[&str]| {
        let out = dir.path().join("cmp");
        bin()
            .arg("compare")
            .args(budgets)
            .arg(&s)
            .args([
                "--samples",
                "500",
                "--quiet",
                "--chart-format",
                "svg",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out.join("charts/threshold_curves_big.svg")).unwrap()
    };
    let fine = subtitle(&["--budgets-range", "1e3:1e10", "--per-decade", "4"]);
    let heatmap =
        std::fs::read_to_string(dir.path().join("cmp/charts/threshold_heatmap_big.svg")).unwrap();
    assert!(
        heatmap.contains("P(cost ≤ budget)"),
        "the colour bar's title"
    );
    assert!(
        fine.contains(
            "Each line a fixed budget: 11 of the 29 thresholds, every 3rd and the largest"
        ),
        "{fine}"
    );
    let short = subtitle(&["--budgets", "1M,10M"]);
    assert!(
        short.contains("Each line a fixed budget") && !short.contains("of the"),
        "{short}"
    );
}
