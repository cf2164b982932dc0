//! Sensitivity analysis: rank correlations and swings against cases with known answers.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use diffusion_sim::scenario::{self, Scenario};
use diffusion_sim::sensitivity::{Sensitivity, analyse};
use diffusion_sim::sim::{RunOptions, simulate};

/// Two actor classes; `{hw}` is the hardware doubling time and `{budget}` lab A's budget.
fn text(hw: &str, budget: &str) -> String {
    format!(
        r#"
[scenario]
name = "sensitivity test"
start_year = 2025.0
end_year = 2080.0
seed = 5

[hardware]
flop_per_dollar = 1e17
doubling_time_years = {hw}

[algorithms]
halving_time_years = 1.0

[investment]
frontier_spend = 1e9
growth_per_year = 1.0

[[actor]]
name = "A"
budget = {budget}

[[actor]]
name = "B"
budget = "1e5 to 1e7"

[[target]]
name = "T"
flop = 1e26
"#
    )
}

fn load(t: &str) -> Scenario {
    scenario::from_str(Path::new("t.toml"), t).unwrap_or_else(|e| panic!("{e}"))
}

fn analysis(scn: &Scenario, samples: u64, threads: usize) -> Vec<Sensitivity> {
    let opts = RunOptions {
        samples,
        seed: scn.seed,
        threads,
    };
    let cancel = AtomicBool::new(false);
    let main = simulate(scn, &opts, &|_| {}, &cancel).unwrap();
    analyse(scn, &opts, &main, &|_| {}, &cancel).unwrap()
}

fn row<'a>(rows: &'a [Sensitivity], scn: &Scenario, actor: &str, input: &str) -> &'a Sensitivity {
    let a = scn.actors.iter().position(|x| x.name == actor).unwrap();
    let i = scn.inputs.iter().position(|x| x.name == input).unwrap();
    rows.iter().find(|r| r.actor == a && r.input == i).unwrap()
}

/// A's year depends on the hardware doubling time alone (its budget is fixed): that input has
/// ρ ≈ +1 (a longer doubling time is later) and the largest swing; B's budget cannot matter to A
/// and sits at zero within 3 standard errors.
#[test]
fn an_answer_that_depends_on_one_input() {
    let scn = load(&text("\"1.5 to 3.5\"", "1e6"));
    let rows = analysis(&scn, 8_000, 2);
    let hw = row(&rows, &scn, "A", "hardware.doubling_time_years");
    assert!(hw.spearman > 0.999, "{}", hw.spearman);
    assert!(hw.swing(scn.end_year) > 1.0);
    // B's budget cannot matter to A: it is not among A's drivers at all.
    let a = 0;
    let b_budget = scn
        .inputs
        .iter()
        .position(|x| x.name == "actor.\"B\".budget")
        .unwrap();
    assert!(!rows.iter().any(|r| r.actor == a && r.input == b_budget));
    // B's own budget drives B's year, with a bigger budget earlier.
    let own = row(&rows, &scn, "B", "actor.\"B\".budget");
    assert!(own.spearman < -0.3, "{}", own.spearman);
}

/// Signs: a longer doubling time makes affordability later, a bigger budget earlier.
#[test]
fn signs_follow_the_model() {
    let scn = load(&text("\"1.5 to 3.5\"", "\"1e5 to 1e7\""));
    let rows = analysis(&scn, 8_000, 2);
    let hw = row(&rows, &scn, "A", "hardware.doubling_time_years");
    let budget = row(&rows, &scn, "A", "actor.\"A\".budget");
    assert!(
        hw.spearman > 5.0 * hw.spearman_se,
        "{} ± {}",
        hw.spearman,
        hw.spearman_se
    );
    assert!(
        budget.spearman < -5.0 * budget.spearman_se,
        "{} ± {}",
        budget.spearman,
        budget.spearman_se
    );
    let (lo, hi) = (hw.median_pinned[0].unwrap(), hw.median_pinned[1].unwrap());
    assert!(lo < hi, "doubling time at p5 → {lo}, at p95 → {hi}");
    let (lo, hi) = (
        budget.median_pinned[0].unwrap(),
        budget.median_pinned[1].unwrap(),
    );
    assert!(lo > hi, "budget at p5 → {lo}, at p95 → {hi}");
}

/// The swing medians are exactly the medians of plain runs with that input fixed at that
/// percentile: the other inputs draw from the same named streams.
#[test]
fn swing_medians_match_plain_runs_with_the_input_fixed() {
    let scn = load(&text("\"1.5 to 3.5\"", "\"1e5 to 1e7\""));
    let rows = analysis(&scn, 6_000, 2);
    let hw = row(&rows, &scn, "A", "hardware.doubling_time_years");
    for (side, value) in hw.pinned_at.iter().enumerate() {
        let fixed = load(&text(&format!("{value:e}"), "\"1e5 to 1e7\""));
        let opts = RunOptions {
            samples: 6_000,
            seed: fixed.seed,
            threads: 1,
        };
        let res = simulate(&fixed, &opts, &|_| {}, &AtomicBool::new(false))
            .unwrap()
            .finish(&fixed);
        assert_eq!(
            res.affordability[0].quantiles[2], hw.median_pinned[side],
            "side {side}"
        );
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let scn = load(&text("\"1.5 to 3.5\"", "\"1e5 to 1e7\""));
    assert_eq!(analysis(&scn, 5_000, 1), analysis(&scn, 5_000, 3));
}

#[test]
fn the_command_writes_csv_and_tornado_charts_and_rejects_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text("\"1.5 to 3.5\"", "\"1e5 to 1e7\"")).unwrap();
    let out = dir.path().join("out");
    let a = Command::cargo_bin("diffusion-sim")
        .unwrap()
        .arg("sensitivity")
        .arg(&path)
        .args([
            "--samples",
            "2000",
            "--quiet",
            "--top",
            "2",
            "--actor",
            "A",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("T × A") && !stdout.contains("T × B"),
        "{stdout}"
    );
    assert!(stdout.contains("hardware.doubling_time_years"));
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    // header + the 2 inputs that can affect T × A (B's budget cannot)
    assert_eq!(csv.lines().count(), 1 + 2, "{csv}");
    assert!(!csv.contains("actor.\"B\".budget"), "{csv}");
    assert!(
        out.join("charts/tornado_t_a.png").is_file()
            && out.join("charts/tornado_t_a.svg").is_file()
    );
    let bad = Command::cargo_bin("diffusion-sim")
        .unwrap()
        .arg("sensitivity")
        .arg(&path)
        .args(["--samples", "500", "--quiet", "--target", "X", "--out"])
        .arg(dir.path().join("bad"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(bad.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("--target \"X\"") && stderr.contains("\"T\""),
        "{stderr}"
    );
    assert!(!dir.path().join("bad").exists());
}

/// A year that is the same in every sample (A's budget buys the target from the start) has no
/// rank correlation with anything: the table says so, `sensitivity.csv` leaves ρ and its error
/// empty and the analysis holds NaN, rather than a ρ of 0 that reads as "no influence".
#[test]
fn a_year_the_same_in_every_sample_has_no_rank_correlation() {
    let scn = load(&text("\"1.5 to 3.5\"", "1e12"));
    let rows = analysis(&scn, 2_000, 2);
    let hw = row(&rows, &scn, "A", "hardware.doubling_time_years");
    assert!(hw.spearman.is_nan() && hw.spearman_se.is_nan(), "{hw:?}");
    assert_eq!(hw.median, Some(2025.0));
    // B's year varies: its ρ is a number.
    assert!(row(&rows, &scn, "B", "hardware.doubling_time_years").spearman > 0.1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text("\"1.5 to 3.5\"", "1e12")).unwrap();
    let out = dir.path().join("out");
    let a = Command::cargo_bin("diffusion-sim")
        .unwrap()
        .arg("sensitivity")
        .arg(&path)
        .args(["--samples", "2000", "--quiet", "--actor", "A", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("hardware.doubling_time_years"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("n/a (constant)"), "{stdout}");
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains("hardware.doubling_time_years"))
        .unwrap();
    assert!(
        row.starts_with("T,A,hardware.doubling_time_years,,,"),
        "{csv}"
    );
}

/// `--target`/`--actor` analyse only the chosen pair, and give exactly its rows of the full analysis.
#[test]
fn a_filtered_analysis_equals_the_full_one_for_its_pair() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text("\"1.5 to 3.5\"", "\"1e5 to 1e7\"")).unwrap();
    let csv = |extra: &[&str]| {
        let a = Command::cargo_bin("diffusion-sim")
            .unwrap()
            .arg("sensitivity")
            .arg(&path)
            .args([
                "--samples",
                "3000",
                "--quiet",
                "--no-charts",
                "--format",
                "csv",
                "--out",
            ])
            .arg(dir.path().join("o"))
            .args(extra)
            .assert()
            .success();
        String::from_utf8(a.get_output().stdout.clone()).unwrap()
    };
    let full = csv(&[]);
    let filtered = csv(&["--target", "T", "--actor", "B"]);
    let full_b: Vec<&str> = full.lines().filter(|l| l.starts_with("T,B,")).collect();
    let filtered_b: Vec<&str> = filtered.lines().skip(1).collect();
    assert_eq!(full_b.len(), 2);
    assert_eq!(full_b, filtered_b);
}

/// Every input the analysis leaves out of a target × actor class really cannot move it: with the
/// input pinned at its 5th or 95th percentile (common random numbers), the median year is the
/// main run's to the bit, for every excluded pair of a scenario with several fixed-FLOP and
/// frontier-of-year targets, staff, access terms and budgets of every kind. And the rule does
/// exclude something: the other targets' `flop` inputs for a frontier target.
#[test]
fn inputs_left_out_of_a_pair_cannot_move_it() {
    let scn = scenario::load(Path::new("scenarios/baseline.toml")).unwrap();
    let opts = RunOptions {
        samples: 400,
        seed: 9,
        threads: 2,
    };
    let cancel = AtomicBool::new(false);
    let main = simulate(&scn, &opts, &|_| {}, &cancel).unwrap();
    let swings = diffusion_sim::sensitivity::swings(&scn, &opts, &|_| {}, &cancel).unwrap();
    let rows = analyse(&scn, &opts, &main, &|_| {}, &cancel).unwrap();
    let n_actors = scn.actors.len();
    let mut excluded = 0;
    for (i, per_pair) in swings.iter().enumerate() {
        for (p, pinned) in per_pair.iter().enumerate() {
            let (j, k) = (p / n_actors, p % n_actors);
            let listed = rows
                .iter()
                .any(|r| r.input == i && r.target == j && r.actor == k);
            assert_eq!(
                listed,
                diffusion_sim::sensitivity::can_affect(&scn, i, j, k),
                "{} for {} × {}",
                scn.inputs[i].name,
                scn.targets[j].name,
                scn.actors[k].name
            );
            if !listed {
                excluded += 1;
                let median = main.time_histogram(p).quantile(0.5);
                assert_eq!(
                    *pinned,
                    [median, median],
                    "{} moves {} × {}",
                    scn.inputs[i].name,
                    scn.targets[j].name,
                    scn.actors[k].name
                );
            }
        }
    }
    assert!(excluded > 100, "{excluded}");
    let frontier = scn
        .targets
        .iter()
        .position(|t| t.name == "Frontier of 2030")
        .unwrap();
    let gpt4_flop = scn
        .inputs
        .iter()
        .position(|x| x.name == "target.\"GPT-4 level\".flop")
        .unwrap();
    assert!(
        !rows
            .iter()
            .any(|r| r.target == frontier && r.input == gpt4_flop)
    );
    // Its own target's FLOP stays a driver of GPT-4 level.
    assert!(rows.iter().any(|r| r.target == 0 && r.input == gpt4_flop));
}

/// With fewer than 4 samples Spearman's ρ has no standard error: the analysis is refused (exit
/// 2, nothing written) rather than printed as `± NaN`; at 4 every number shown is finite.
#[test]
fn too_few_samples_for_a_standard_error_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text("\"1.5 to 3.5\"", "\"1e5 to 1e7\"")).unwrap();
    for (command, samples) in [
        (["sensitivity"].as_slice(), "1"),
        (["sensitivity"].as_slice(), "3"),
        (["run", "--sensitivity"].as_slice(), "3"),
    ] {
        let out = dir.path().join(format!("{}-{samples}", command[0]));
        let got = Command::cargo_bin("diffusion-sim")
            .unwrap()
            .args(command)
            .arg(&path)
            .args(["--samples", samples, "--quiet", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8(got.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(&format!(
                "the sensitivity analysis needs at least 4 samples, got {samples}"
            )),
            "{stderr}"
        );
        assert!(!out.exists());
    }
    let out = dir.path().join("four");
    let got = Command::cargo_bin("diffusion-sim")
        .unwrap()
        .arg("sensitivity")
        .arg(&path)
        .args(["--samples", "4", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(got.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains(" ± "), "{stdout}");
    assert!(
        !stdout.to_lowercase().contains("nan") && !stdout.contains("inf"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    for row in csv.lines().skip(1) {
        let se = row.split(',').nth(4).unwrap();
        assert!(se.parse::<f64>().is_ok_and(f64::is_finite), "{row}");
    }
}

/// Two target × class pairs whose names give one chart name (`GPT x` × `Lab` and `GPT` ×
/// `x Lab`: `tornado_gpt_x_lab`) each keep their chart: the second is numbered, none replaced;
/// 120-character names give a chart name that a file system takes.
#[test]
fn every_pairs_tornado_chart_is_kept() {
    let long_target = "T".repeat(120);
    let long_class = "C".repeat(120);
    let text = format!(
        "[scenario]\nname = \"t\"\nstart_year = 2025.0\nend_year = 2060.0\nsamples = 300\nseed = 1\n\
         [hardware]\nflop_per_dollar = 6.7e16\ndoubling_time_years = \"2 to 3\"\n\
         [algorithms]\nhalving_time_years = 1.5\n\
         [[actor]]\nname = \"Lab\"\nbudget = \"$100K to $1M\"\n\
         [[actor]]\nname = \"x Lab\"\nbudget = \"$1M to $10M\"\n\
         [[actor]]\nname = \"{long_class}\"\nbudget = \"$1M to $10M\"\n\
         [[target]]\nname = \"GPT\"\nflop = 3.14e23\n\
         [[target]]\nname = \"GPT x\"\nflop = 3.14e24\n\
         [[target]]\nname = \"{long_target}\"\nflop = 3.14e24\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("diffusion-sim")
        .unwrap()
        .arg("sensitivity")
        .arg(&path)
        .args(["--quiet", "--chart-format=svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut tornadoes: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("tornado_"))
        .collect();
    tornadoes.sort();
    assert_eq!(tornadoes.len(), 9, "{tornadoes:?}");
    assert!(tornadoes.contains(&"tornado_gpt_x_lab_2.svg".to_string()));
    assert!(tornadoes.iter().all(|n| n.len() <= 204), "{tornadoes:?}");
}
