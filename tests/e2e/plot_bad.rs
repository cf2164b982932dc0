//! `plot` (and `report`) on output folders with damaged files: bad input (exit 2) named by file
//! and line, or by key and entry; never a hang, a panic or charts drawn from impossible numbers.

use std::path::Path;
use std::time::Duration;

use crate::util::{MINIMAL_SCENARIO, bin, replace_once, run_into, write_scenario};

/// Two classes and two targets: enough to misorder the affordability grid.
fn scenario() -> String {
    let text = MINIMAL_SCENARIO.replace("samples = 1000", "samples = 200");
    let text = replace_once(
        &text,
        "[[target]]",
        "[[actor]]\nname = \"Startup\"\nbudget = \"$100K to $1M\"\ngrowth_per_year = 1.1\n\n[[target]]",
    );
    format!("{text}\n[[target]]\nname = \"Small model\"\nflop = 1e24\nflop_year = 2024.0\n")
}

/// `plot DIR` (or `report DIR`), which must end within a minute: its exit code and stderr.
fn plot(command: &str, dir: &Path) -> (Option<i32>, String) {
    let o = bin()
        .arg(command)
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Writes `to` over `file` of `dir`, checks that `commands` refuse the folder with exit 2 and
/// `expected` in the message, and puts the file back.
fn refused(dir: &Path, file: &str, to: &str, expected: &str, commands: &[&str]) {
    let path = dir.join(file);
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, to).unwrap();
    for command in commands {
        let (code, stderr) = plot(command, dir);
        assert_eq!(code, Some(2), "{command} {file} ({expected}): {stderr}");
        assert!(
            stderr.contains(expected),
            "{command} {file}: {stderr}\nexpected {expected}"
        );
    }
    std::fs::write(&path, original).unwrap();
}

/// `text` with the `n`-th (from 1) comma-separated cell of line `line` (from 1) set to `cell`.
fn with_cell(text: &str, line: usize, column: &str, cell: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let k = lines[0].split(',').position(|c| c == column).unwrap();
    let mut cells: Vec<&str> = lines[line - 1].split(',').collect();
    cells[k] = cell;
    lines[line - 1] = cells.join(",");
    lines.join("\n") + "\n"
}

#[test]
fn a_budgets_comparison_with_impossible_numbers_is_refused_at_its_line() {
    let (dir, path) = write_scenario(&scenario());
    let out = dir.path().join("out");
    run_into("compare", &[&path], &out, &["--budgets", "1M,10M"]);
    let grid = std::fs::read_to_string(out.join("threshold_grid.csv")).unwrap();
    let curves = std::fs::read_to_string(out.join("affordability.csv")).unwrap();
    // Each of these made `plot` loop forever (a budget of 0 or ∞, a year of ∞) or panic (NaN).
    for (column, cell, says) in [
        (
            "budget",
            "0",
            "column `budget`: \"0\" is not a positive finite number",
        ),
        (
            "budget",
            "inf",
            "column `budget`: \"inf\" is not a positive finite number",
        ),
        (
            "year",
            "inf",
            "column `year`: \"inf\" is not a finite number",
        ),
        (
            "p_cost_at_most",
            "NaN",
            "column `p_cost_at_most`: \"NaN\" is not a probability (0 to 1)",
        ),
        (
            "p_cost_at_most",
            "2.5",
            "column `p_cost_at_most`: \"2.5\" is not a probability (0 to 1)",
        ),
    ] {
        let to = with_cell(&grid, 2, column, cell);
        refused(
            &out,
            "threshold_grid.csv",
            &to,
            &format!("threshold_grid.csv:2: damaged: {says}"),
            &["plot"],
        );
    }
    let to = with_cell(&curves, 3, "probability", "NaN");
    refused(
        &out,
        "affordability.csv",
        &to,
        "affordability.csv:3: damaged: column `probability`: \"NaN\" is not a probability",
        &["plot"],
    );
    // A damaged compare.json is named, not taken for a folder of no kind.
    let meta = std::fs::read_to_string(out.join("compare.json")).unwrap();
    refused(
        &out,
        "compare.json",
        &meta[..meta.len() / 2],
        "compare.json:",
        &["plot"],
    );
    let (_, stderr) = {
        std::fs::write(out.join("compare.json"), &meta[..meta.len() / 2]).unwrap();
        plot("plot", &out)
    };
    assert!(
        stderr.contains("damaged, not valid JSON") && !stderr.contains("not a run's output"),
        "{stderr}"
    );
    std::fs::write(out.join("compare.json"), meta).unwrap();
    assert_eq!(plot("plot", &out).0, Some(0));
}

#[test]
fn a_scenario_comparison_with_impossible_numbers_is_refused_at_its_line() {
    let (dir, path) = write_scenario(&scenario());
    let b = dir.path().join("b.toml");
    std::fs::write(
        &b,
        scenario()
            .replace("doubling_time_years = 2.5", "doubling_time_years = 2.0")
            .replace("name = \"Minimal\"", "name = \"Faster\""),
    )
    .unwrap();
    let out = dir.path().join("out");
    run_into("compare", &[&path, &b], &out, &[]);
    let curves = std::fs::read_to_string(out.join("compare_affordability.csv")).unwrap();
    for (column, cell, says) in [
        (
            "year",
            "inf",
            "column `year`: \"inf\" is not a finite number",
        ),
        (
            "year",
            "NaN",
            "column `year`: \"NaN\" is not a finite number",
        ),
        (
            "probability",
            "NaN",
            "column `probability`: \"NaN\" is not a probability (0 to 1)",
        ),
    ] {
        let to = with_cell(&curves, 2, column, cell);
        refused(
            &out,
            "compare_affordability.csv",
            &to,
            &format!("compare_affordability.csv:2: damaged: {says}"),
            &["plot"],
        );
    }
    let meta = std::fs::read_to_string(out.join("compare.json")).unwrap();
    refused(
        &out,
        "compare.json",
        &meta[..meta.len() - 3],
        "compare.json:",
        &["plot"],
    );
    assert_eq!(plot("plot", &out).0, Some(0));
}

#[test]
fn a_run_whose_summary_cannot_be_a_runs_is_refused_naming_the_entry() {
    let (dir, path) = write_scenario(&scenario());
    let out = dir.path().join("out");
    run_into("run", &[&path], &out, &[]);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut s = summary.clone();
        f(&mut s);
        serde_json::to_string_pretty(&s).unwrap()
    };
    let aff = |s: &mut serde_json::Value| s["affordability"].as_array_mut().unwrap().clone();
    let n = summary["years"].as_array().unwrap().len();
    for (to, says) in [
        // These panicked in the components and affordability charts.
        (
            edit(&|s| {
                s["affordability"].as_array_mut().unwrap().remove(1);
            }),
            "summary.json: damaged: `affordability` has 3 entries, expected 2 × 2".to_string(),
        ),
        (
            edit(&|s| {
                let mut a = aff(s);
                a.swap(1, 2);
                s["affordability"] = a.into();
            }),
            "summary.json: damaged: `affordability[1]` is Small model × Lab, expected Big model × Startup".into(),
        ),
        (
            edit(&|s| s["affordability"][0]["p_by_year"] = vec![1e300; n].into()),
            "`affordability[0]` (Big model × Lab): `p_by_year[0]` = 1e300 is not a probability (0 to 1)".into(),
        ),
        (
            edit(&|s| s["affordability"][0]["p_by_year"] = vec![0.5; 2].into()),
            format!("`affordability[0]` (Big model × Lab): `p_by_year` has 2 values, but there are {n} reporting years"),
        ),
        (
            edit(&|s| s["affordability"][1]["year"]["p50"] = 1e300.into()),
            "`affordability[1]` (Big model × Startup): `year.p50` = 1e300 is outside the horizon 2025–2040".into(),
        ),
    ] {
        refused(&out, "summary.json", &to, &says, &["plot", "report"]);
    }
    // A dollar quantile of 0 (or less) cannot be written: refused at its line, not drawn as nothing.
    let trajectories = std::fs::read_to_string(out.join("trajectories.csv")).unwrap();
    let to = with_cell(&trajectories, 2, "p5", "0");
    refused(
        &out,
        "trajectories.csv",
        &to,
        "trajectories.csv:2: damaged: column `p5`: \"0\" is not a positive finite number",
        &["plot", "report"],
    );
    assert_eq!(plot("plot", &out).0, Some(0));
}

/// `text` with its lines (from 0) as `edit` leaves them.
fn with_lines(text: &str, edit: impl FnOnce(&mut Vec<&str>)) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    edit(&mut lines);
    lines.join("\n") + "\n"
}

/// Rows a run cannot write: a row's quantiles out of order, a series' years out of order or
/// twice; and a sensitivity table with a negative swing or a correlation beyond ±1. Each is
/// refused at its line, not drawn.
#[test]
fn rows_a_run_cannot_write_are_refused_at_their_line() {
    let (dir, path) = write_scenario(&scenario());
    let out = dir.path().join("out");
    run_into("sensitivity", &[&path], &out, &["--samples", "200"]);
    let trajectories = std::fs::read_to_string(out.join("trajectories.csv")).unwrap();
    let line2: Vec<&str> = trajectories.lines().nth(1).unwrap().split(',').collect();
    let header: Vec<&str> = trajectories.lines().next().unwrap().split(',').collect();
    let cell = |c: &str| line2[header.iter().position(|h| *h == c).unwrap()];
    // p25 below p5: the row's p25 set under its p5.
    let p5: f64 = cell("p5").parse().unwrap();
    let to = with_cell(&trajectories, 2, "p25", &(p5 / 2.0).to_string());
    refused(
        &out,
        "trajectories.csv",
        &to,
        "trajectories.csv:2: damaged: `p25` = ",
        &["plot", "report"],
    );
    // A series' second and third rows (years 2026 and 2027 of its first series) swapped, and a
    // row written twice.
    let (series, name) = (cell("series"), cell("name"));
    let same = |n: usize| {
        let row: Vec<&str> = trajectories
            .lines()
            .nth(n - 1)
            .unwrap()
            .split(',')
            .collect();
        row[0] == series && row[1] == name
    };
    assert!(same(3) && same(4), "{trajectories}");
    refused(
        &out,
        "trajectories.csv",
        &with_lines(&trajectories, |l| l.swap(2, 3)),
        &format!(
            "trajectories.csv:4: damaged: year 2026 follows year 2027 in the rows of {series} {name}"
        ),
        &["plot", "report"],
    );
    refused(
        &out,
        "trajectories.csv",
        &with_lines(&trajectories, |l| l[3] = l[2]),
        "trajectories.csv:4: damaged: year 2026 follows year 2026",
        &["plot", "report"],
    );
    let sensitivity = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    refused(
        &out,
        "sensitivity.csv",
        &with_cell(&sensitivity, 2, "swing_years", "-3"),
        "sensitivity.csv:2: damaged: column `swing_years`: \"-3\" is not a finite number, 0 or more",
        &["plot"],
    );
    refused(
        &out,
        "sensitivity.csv",
        &with_cell(&sensitivity, 2, "spearman", "1.5"),
        "sensitivity.csv:2: damaged: column `spearman`: \"1.5\" is not a correlation (−1 to 1)",
        &["plot"],
    );
    assert_eq!(plot("plot", &out).0, Some(0));
}

#[test]
fn a_run_with_costs_beyond_compute_checks_their_shares() {
    let text = scenario().replace(
        "flop_year = 2024.0\n",
        "flop_year = 2024.0\nperson_years = 50\n",
    ) + "\n[costs.staff]\ndollars_per_person_year = \"$1M\"\n";
    let (dir, path) = write_scenario(&text);
    let out = dir.path().join("out");
    run_into("run", &[&path], &out, &[]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(!summary["cost_components"].as_array().unwrap().is_empty());
    let mut s = summary.clone();
    s["cost_components"][0]["mean_share_by_year"] = vec![0.5; 3].into();
    let to = serde_json::to_string_pretty(&s).unwrap();
    refused(
        &out,
        "summary.json",
        &to,
        "`cost_components[0]`",
        &["plot", "report"],
    );
    let mut s = summary.clone();
    s["cost_components"][0]["mean_share_by_year"][0] = 5.0.into();
    let to = serde_json::to_string_pretty(&s).unwrap();
    refused(
        &out,
        "summary.json",
        &to,
        "`mean_share_by_year[0]` = 5 is not a probability",
        &["plot"],
    );
    assert_eq!(plot("plot", &out).0, Some(0));
}

#[test]
fn a_sweep_whose_points_do_not_match_its_keys_is_refused() {
    let (dir, path) = write_scenario(&scenario());
    let out = dir.path().join("out");
    run_into(
        "sweep",
        &[&path],
        &out,
        &["--grid", "hardware.doubling_time_years=2,3"],
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sweep.json")).unwrap()).unwrap();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut s = doc.clone();
        f(&mut s);
        serde_json::to_string_pretty(&s).unwrap()
    };
    for (to, says) in [
        (
            edit(&|s| s["points"][0]["values"] = serde_json::json!([])),
            "`points[0]` (point 1): `values` has 0 entries, but `keys` has 1",
        ),
        (
            edit(&|s| s["points"][0]["numbers"] = serde_json::json!([])),
            "`points[0]` (point 1): `numbers` has 0 entries, but `keys` has 1",
        ),
        (
            edit(&|s| {
                s["keys"]
                    .as_array_mut()
                    .unwrap()
                    .push("costs.overhead".into())
            }),
            "`points[0]` (point 1): `values` has 1 entries, but `keys` has 2",
        ),
        (
            edit(&|s| s["points"][1]["affordability"][0]["p_by_horizon"] = 3.0.into()),
            "`points[1]` (point 2): `affordability[0]` (Big model × Lab): `p_by_horizon` = 3 is not a probability",
        ),
    ] {
        refused(
            &out,
            "sweep.json",
            &to,
            &format!("sweep.json: damaged: {says}"),
            &["plot"],
        );
    }
    assert_eq!(plot("plot", &out).0, Some(0));
}
