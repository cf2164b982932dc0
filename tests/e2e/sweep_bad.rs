//! `sweep` refuses bad sweeps: exit 2, the reason (the argument, the point and its value, or
//! the place in the file) on stderr, nothing on stdout, no output folder.

use std::path::PathBuf;

use crate::util::{MINIMAL_SCENARIO, bin, replace_once, write_scenario};

/// Runs a sweep that must be refused: exit 2, the message on stderr, nothing written.
fn refused(args: &[&str], says: &[&str]) {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let out: PathBuf = dir.path().join("out");
    let done = bin()
        .arg("sweep")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .args(args)
        .assert()
        .code(2);
    let err = String::from_utf8(done.get_output().stderr.clone()).unwrap();
    for s in says {
        assert!(err.contains(s), "{args:?}: expected {s:?} in {err}");
    }
    assert!(done.get_output().stdout.is_empty());
    assert!(!out.exists(), "{args:?} wrote {}", out.display());
}

#[test]
fn bad_sweeps_exit_2_with_the_reason() {
    let file = "scenario.toml";
    refused(
        &["--grid", "hardware.doubling_time_years=2,0"],
        &[
            file,
            ": in --grid hardware.doubling_time_years=2,0 (point 2: hardware.doubling_time_years=0): `hardware.doubling_time_years`: ",
            "positive",
        ],
    );
    refused(
        &["--grid", "hardware.no_such_key=1,2"],
        &["in --grid hardware.no_such_key=1,2 (point 1", "no_such_key"],
    );
    refused(
        &["--grid", "actor.Nobody.budget=1"],
        &[file, "--grid actor.Nobody.budget=1", "\"Lab\""],
    );
    refused(
        &["--grid", "hardware.doubling_time_years="],
        &["--grid hardware.doubling_time_years=: nothing after `=`"],
    );
    refused(
        &["--grid", "hardware.doubling_time_years=[]"],
        &["the list of values is empty"],
    );
    refused(
        &["--grid", "hardware.doubling_time_years=1,,2"],
        &["value 2 of the list is empty"],
    );
    refused(
        &["--lhs", "hardware.doubling_time_years=3:2", "--points", "4"],
        &["LOW must be below HIGH"],
    );
    refused(
        &["--lhs", "hardware.doubling_time_years=a:2", "--points", "4"],
        &["LOW \"a\" is not a number"],
    );
    refused(
        &["--lhs", "hardware.doubling_time_years=1:2", "--points", "0"],
        &["--points must be at least 1"],
    );
    refused(
        &["--lhs", "hardware.doubling_time_years=1:2"],
        &["--lhs needs --points N"],
    );
    refused(
        &[
            "--lhs",
            "hardware.doubling_time_years=1:2",
            "--points",
            "10001",
        ],
        &["10001 points, more than 10000"],
    );
    let many = format!("hardware.doubling_time_years={}", vec!["2"; 101].join(","));
    let more = format!("actor.Lab.budget={}", vec!["1e6"; 100].join(","));
    refused(
        &["--grid", &many, "--grid", &more],
        &["10100 points, more than 10000"],
    );
    refused(
        &[
            "--grid",
            "hardware.doubling_time_years=2",
            "--lhs",
            "actor.Lab.budget=1:2",
            "--points",
            "2",
        ],
        &["--grid and --lhs cannot be combined"],
    );
    refused(&[], &["nothing to sweep"]);
    refused(&["--grid", "scenario.seed=1,2"], &["same seed", "--seed"]);
    refused(
        &[
            "--grid",
            "hardware.doubling_time_years=2,3",
            "--set",
            "hardware.doubling_time_years=4",
        ],
        &["sweeps the key that --set hardware.doubling_time_years=4 sets"],
    );
    // One class's budget by its index and by its name: one key of the scenario.
    refused(
        &[
            "--grid",
            "actor[1].budget=1,2",
            "--set",
            "actor.Lab.budget=3",
        ],
        &["sweeps the key that --set actor.Lab.budget=3 sets"],
    );
    refused(
        &[
            "--grid",
            "actor[1].budget=1,2",
            "--grid",
            "actor.\"Lab\".budget=3,4",
        ],
        &["sweep the same key of the scenario"],
    );
    refused(
        &["--grid", "hardware.doubling_time_years=2", "--points", "3"],
        &["--points sets the size"],
    );
    refused(
        &[
            "--grid",
            "hardware.doubling_time_years=2,3",
            "--max-memory",
            "1K",
        ],
        &["more than the limit of"],
    );
}

/// An error a point's values cause elsewhere in the file keeps its line and column, and names
/// the point and its values.
#[test]
fn an_error_elsewhere_names_the_point_and_keeps_its_place() {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "flop_year = 2024.0",
        "flop_year = 2024.0\n\n[[target]]\nname = \"Late\"\nfrontier_year = 2035",
    );
    let (dir, path) = write_scenario(&text);
    let done = bin()
        .current_dir(dir.path())
        .arg("sweep")
        .arg(&path)
        .args([
            "--grid",
            "scenario.end_year=2040,2030",
            "--no-charts",
            "--quiet",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8(done.get_output().stderr.clone()).unwrap();
    let line = text
        .lines()
        .position(|l| l == "frontier_year = 2035")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "scenario.toml:{line}:17: at point 2 (scenario.end_year=2030): `target.\"Late\".frontier_year`: "
        )),
        "{err}"
    );
}

/// A warning about a point's value names the axis that set it, as an error does (it had said
/// `--set`, an option the command line did not have).
#[test]
fn a_warning_about_a_points_value_names_its_axis() {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "growth_per_year = 2.0\n",
        "growth_per_year = 2.0\ngwp = 1.1e14\nmax_fraction_of_gwp = 0.001\n",
    );
    let (dir, path) = write_scenario(&text);
    let done = bin()
        .arg("sweep")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .args([
            "--grid",
            "investment.max_fraction_of_gwp=0.5,0.001",
            "--samples",
            "200",
            "--quiet",
        ])
        .assert()
        .success();
    let err = String::from_utf8(done.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(
            "scenario.toml: in --grid investment.max_fraction_of_gwp=0.5,0.001 \
             (point 1: investment.max_fraction_of_gwp=0.5): `investment.max_fraction_of_gwp`: "
        ),
        "{err}"
    );
    assert!(!err.contains("--set") && !err.contains("point 2"), "{err}");
}
