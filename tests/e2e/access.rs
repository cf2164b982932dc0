//! The access model through the binary: every formula of docs/model.md's access section against
//! a closed form (deterministic inputs, so every sample shares its year and the reported year is
//! exact to 1e-6), and the invariants it must keep (defaults change nothing, common random
//! numbers, thread counts).

use crate::util;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::util::{bin, csv_rows, write_scenario};

/// Hardware 0.2 OOM/yr from 1e17 FLOP/$, algorithms 0.3 OOM/yr, spend 0.5 OOM/yr from $100M,
/// no overhead; a 1e25 FLOP target and a fixed $1M budget: log10 C(t) = 8 − 0.5 (t − 2025),
/// affordable at 2029.0 with the frontier's access.
const BASE: &str = r#"[scenario]
name = "Access closed forms"
start_year = 2025.0
end_year = 2060.0
samples = 64
seed = 3
{scenario_extra}

[hardware]
flop_per_dollar = 1e17
ooms_per_year = 0.2

[algorithms]
{algorithms}

[investment]
frontier_spend = 1e8
ooms_per_year = 0.5
{extra}
"#;

fn scenario(scenario_extra: &str, algorithms: &str, extra: &str) -> String {
    BASE.replace("{scenario_extra}", scenario_extra)
        .replace("{algorithms}", algorithms)
        .replace("{extra}", extra)
}

/// Runs `text` and returns the output directory (kept alive by the returned guard).
fn run(text: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    util::run_scenario(text, args)
}

/// `(target, actor) → median affordability year` from times.csv (None: not by the horizon).
fn medians(out: &Path) -> HashMap<(String, String), Option<f64>> {
    csv_rows(&out.join("times.csv"))
        .into_iter()
        .map(|r| {
            let y = r["year_p50"].parse().ok();
            ((r["target"].clone(), r["actor"].clone()), y)
        })
        .collect()
}

fn assert_year(out: &Path, target: &str, actor: &str, exact: f64) {
    let rows = csv_rows(&out.join("times.csv"));
    let row = rows
        .iter()
        .find(|r| r["target"] == target && r["actor"] == actor)
        .unwrap_or_else(|| panic!("no row for {target} / {actor}"));
    for q in ["year_p5", "year_p50", "year_p95"] {
        let got: f64 = row[q].parse().unwrap();
        assert!(
            (got - exact).abs() < 1e-6,
            "{target} / {actor} {q}: {got} vs {exact}"
        );
    }
}

const ONE_OOM: &str = "ooms_per_year = 0.3";

fn actor(name: &str, lines: &str) -> String {
    format!("\n[[actor]]\nname = \"{name}\"\n{lines}\n")
}

const TARGET: &str = "\n[[target]]\nname = \"T\"\nflop = 1e25\n";

#[test]
fn lags_and_multipliers_have_their_closed_forms() {
    let actors = [
        actor("Frontier access", "budget = 1e6"),
        // log10 C = 8 − 0.2 x − 0.3 (x − 2) = 6  ⇒  x = 2.6 / 0.5.
        actor(
            "Algorithms 2 y behind",
            "budget = 1e6\nalgorithm_lag_years = 2",
        ),
        // 8 − 0.2 (x − 1.5) − 0.3 x = 6  ⇒  x = 2.3 / 0.5.
        actor(
            "Hardware 1.5 y behind",
            "budget = 1e6\nhardware_lag_years = 1.5",
        ),
        // 8 + log10 3 − 0.5 x = 6.
        actor(
            "Cloud prices, untuned",
            "budget = 1e6\nprice_multiplier = 2\ncompute_multiplier = 1.5",
        ),
        // A lag reaching before the start: 8.6 − 0.5 x = 7.8 ⇒ x = 1.6, so A is read at
        // 2024.6, before start_year, on the first regime's line run backwards.
        actor(
            "Rich but behind",
            "budget = 10 ** 7.8\nalgorithm_lag_years = 2",
        ),
    ]
    .concat()
    .replace("10 ** 7.8", &format!("{:e}", 10f64.powf(7.8)));
    let (_d, out) = run(&scenario("", ONE_OOM, &format!("{actors}{TARGET}")), &[]);
    assert_year(&out, "T", "Frontier access", 2029.0);
    assert_year(&out, "T", "Algorithms 2 y behind", 2025.0 + 2.6 / 0.5);
    assert_year(&out, "T", "Hardware 1.5 y behind", 2025.0 + 2.3 / 0.5);
    assert_year(
        &out,
        "T",
        "Cloud prices, untuned",
        2025.0 + (2.0 + 3f64.log10()) / 0.5,
    );
    assert_year(&out, "T", "Rich but behind", 2026.6);
    // Each class with different access has its own cost series: at 2030 the untuned class pays
    // 3 × 10^(8 − 2.5).
    let rows = csv_rows(&out.join("trajectories.csv"));
    let row = rows
        .iter()
        .find(|r| {
            r["series"] == "class_cost"
                && r["actor"] == "Cloud prices, untuned"
                && r["year"] == "2030"
        })
        .expect("a class cost row");
    let p50: f64 = row["p50"].parse().unwrap();
    assert!((p50 / (3.0 * 10f64.powf(5.5)) - 1.0).abs() < 1e-5, "{p50}");
    assert!(rows.iter().all(|r| r["actor"] != "Frontier access"));
    assert!(
        rows.iter()
            .filter(|r| r["series"] != "class_cost")
            .all(|r| r["actor"].is_empty())
    );
}

#[test]
fn a_lag_reaching_before_the_start_uses_the_first_regime_backwards() {
    // Algorithms at 0.3 OOM/yr until 2030, then 0.1: a class 2 years behind in 2026.6 trains
    // with A(2024.6) = 10^(−0.12), on the first regime's line before the start.
    let alg = "[[algorithms.regime]]\nuntil = 2030\nooms_per_year = 0.3\n[[algorithms.regime]]\nooms_per_year = 0.1";
    let a = actor(
        "Behind",
        &format!("budget = {:e}\nalgorithm_lag_years = 2", 10f64.powf(7.8)),
    );
    let (_d, out) = run(&scenario("", alg, &format!("{a}{TARGET}")), &[]);
    assert_year(&out, "T", "Behind", 2026.6);
    // And well after the regime change: 8 − 0.2 x − [1.5 + 0.1 (x − 2 − 5)] = 5 (budget 1e5),
    // valid once x − 2 ≥ 5: 0.3 x = 2.2 ⇒ x = 7.333…
    let a = actor("Behind, small", "budget = 1e5\nalgorithm_lag_years = 2");
    let (_d, out) = run(&scenario("", alg, &format!("{a}{TARGET}")), &[]);
    assert_year(&out, "T", "Behind, small", 2025.0 + 2.2 / 0.3);
}

#[test]
fn publication_closure_switches_a_class_to_its_own_progress() {
    // Closed from 2027; one year behind, so the class follows A(t − 1) until 2028 (A = 10^0.6),
    // then its own halving every 2 years (log10 2 / 2 OOM/yr), never above A(t − 1).
    let own = 2f64.log10() / 2.0;
    let actors = [
        actor(
            "Own progress",
            "budget = 1e6\nalgorithm_lag_years = 1\nown_halving_time_years = 2",
        ),
        actor("Keeps reading", "budget = 1e6\nalgorithm_lag_years = 1"),
        // Own progress faster than the frontier's is capped by the class's lagged access: with
        // a 1-year lag and a 0.1-year halving, A_k = A(t − 1) after 2028, as if still reading.
        actor(
            "Fast but capped",
            "budget = 1e6\nalgorithm_lag_years = 1\nown_halving_time_years = 0.1",
        ),
        // Without a lag, the cap is the frontier's own A(t): the class matches the frontier.
        actor("Fast, no lag", "budget = 1e6\nown_halving_time_years = 0.1"),
    ]
    .concat();
    let text = scenario(
        "",
        ONE_OOM,
        &format!("\n[publication]\nclosed_from = 2027\n{actors}{TARGET}"),
    );
    let (_d, out) = run(&text, &[]);
    // 0.2 (t − 2025) + 0.6 + own (t − 2028) = 2, after 2028: (t − 2028)(0.2 + own) = 0.8.
    assert_year(&out, "T", "Own progress", 2028.0 + 0.8 / (0.2 + own));
    assert_year(&out, "T", "Keeps reading", 2025.0 + 2.3 / 0.5);
    assert_year(&out, "T", "Fast but capped", 2025.0 + 2.3 / 0.5);
    assert_year(&out, "T", "Fast, no lag", 2029.0);
}

#[test]
fn frontier_fraction_and_cost_defined_targets() {
    let actors = [
        // 0.05 · S(t): log10 B = log10 5e6 + 0.5 x against log10 C = 8 − 0.5 x.
        actor(
            "Tenth lab",
            "budget = \"frontier\"\nfrontier_fraction = 0.05",
        ),
        actor("Fixed $100M", "budget = \"$100M\""),
        actor("Frontier", "budget = \"frontier\""),
    ]
    .concat();
    // With overhead 2, the capability a $1B frontier project trains in 2030 has
    // log10 E = 9 + 17 + 1.0 + 1.5 − log10 2, and costs log10 C = 11.5 − 0.5 x.
    let targets = format!(
        "{TARGET}\n[[target]]\nname = \"Billion-dollar 2030\"\ncost = \"$1B\"\ncost_year = 2030\n"
    );
    let text = scenario(
        "",
        ONE_OOM,
        &format!("\n[costs]\noverhead = 2\n{actors}{targets}"),
    );
    let (_d, out) = run(&text, &[]);
    // Target T with overhead 2: log10 C = 8.30103 − 0.5 x; B = 0.05 · 2 · 1e8 · 10^(0.5 x).
    assert_year(
        &out,
        "T",
        "Tenth lab",
        2025.0 + (8.0 + 2f64.log10() - 7.0) / 1.0,
    );
    assert_year(&out, "Billion-dollar 2030", "Fixed $100M", 2032.0);
    let x = (11.5 - 8.0 - 2f64.log10()) / 1.0;
    assert_year(&out, "Billion-dollar 2030", "Frontier", 2025.0 + x);
    // At its cost year the frontier's project for it costs exactly $1B.
    let rows = csv_rows(&out.join("trajectories.csv"));
    let row = rows
        .iter()
        .find(|r| r["name"] == "Billion-dollar 2030" && r["year"] == "2030")
        .unwrap();
    let p50: f64 = row["p50"].parse().unwrap();
    assert!((p50 / 1e9 - 1.0).abs() < 1e-5, "{p50}");
}

#[test]
fn actors_within_classes_counts_and_ranks_across_two_classes() {
    // Class A: 3 actors around 10^6.05 with sd 0.5 OOM: z = ±Φ⁻¹(5/6), 0. Class B: 2 actors at
    // 10^6.2. log10 C = 8 − 0.5 x, so actor i affords at x = (8 − log10 B_i) / 0.5.
    let z = 0.967_421_566_101_701; // Φ⁻¹(5/6)
    let actors = [
        actor(
            "A",
            &format!(
                "budget = {:e}\ncount = 3\nbudget_spread_ooms = 0.5",
                10f64.powf(6.05)
            ),
        ),
        actor("B", &format!("budget = {:e}\ncount = 2", 10f64.powf(6.2))),
    ]
    .concat();
    let text = scenario(
        "report_ranks = [1, 2, 4, 5]",
        ONE_OOM,
        &format!("{actors}{TARGET}"),
    );
    let (_d, out) = run(&text, &[]);
    let at = |log10_b: f64| 2025.0 + (8.0 - log10_b) / 0.5;
    // The class rows are the class's median actor.
    assert_year(&out, "T", "A", at(6.05));
    assert_year(&out, "T", "B", at(6.2));
    let ranks = csv_rows(&out.join("ranks.csv"));
    let expect = [
        ("1", at(6.05 + 0.5 * z)),
        ("2", at(6.2)),
        ("4", at(6.05)),
        ("5", at(6.05 - 0.5 * z)),
    ];
    assert_eq!(ranks.len(), expect.len());
    for (row, (rank, year)) in ranks.iter().zip(expect) {
        assert_eq!(row["rank"], rank);
        let got: f64 = row["year_p50"].parse().unwrap();
        assert!((got - year).abs() < 1e-6, "rank {rank}: {got} vs {year}");
        assert_eq!(row["p_by_horizon"], "1");
    }
    // Able by 2027: none; 2028: the richest of A (2027.93); 2029: B's two and A's median
    // (2028.6, 2028.9); 2030: all five (A's poorest at 2029.87).
    let counts = csv_rows(&out.join("actor_counts.csv"));
    let count = |y: &str| -> (String, String) {
        let r = counts.iter().find(|r| r["year"] == y).unwrap();
        (r["p50"].clone(), r["mean"].clone())
    };
    assert_eq!(count("2027"), ("0".into(), "0".into()));
    assert_eq!(count("2028"), ("1".into(), "1".into()));
    assert_eq!(count("2029"), ("4".into(), "4".into()));
    assert_eq!(count("2030"), ("5".into(), "5".into()));
    assert!(counts.iter().all(|r| r["actors"] == "5"));
}

#[test]
fn report_years_dates_and_95_percent_intervals() {
    let text = scenario(
        "report_years = [2026.25, \"2029-07\"]",
        ONE_OOM,
        &format!(
            "{}\n[[target]]\nname = \"T\"\nflop = 1e25\nflop_year = \"2024-07\"\n",
            actor("Lab", "budget = 1e6")
        ),
    );
    let (_d, out) = run(&text, &[]);
    // flop_year mid-2024 (2024 + 182/366): E = 1e25 · A(2024.497) = 1e25 · 10^(−0.3 · 0.503).
    let back = 0.3 * (2025.0 - (2024.0 + 182.0 / 366.0));
    assert_year(&out, "T", "Lab", 2025.0 + (2.0 - back) / 0.5);
    let rows = csv_rows(&out.join("affordability.csv"));
    let years: Vec<&str> = rows.iter().map(|r| r["year"].as_str()).collect();
    assert!(years.contains(&"2026.25"), "{years:?}");
    let july = format!("{}", ((2029.0f64 + 181.0 / 365.0) * 1e6).round() / 1e6);
    let july = rows
        .iter()
        .find(|r| r["year"] == july)
        .expect("2029-07 row");
    assert_eq!(july["probability"], "1");

    // "5 to 14 @ 95%": a lognormal with 2.5% and 97.5% points at 5 and 14.
    let text = scenario(
        "",
        "halving_time_years = \"0.5 to 1.4 @ 95%\"",
        &format!("{}{TARGET}", actor("Lab", "budget = 1e6")),
    );
    let (_d, path) = write_scenario(&text);
    let shown = bin()
        .args(["validate", path.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(shown.get_output().stdout.clone()).unwrap();
    let median = format!(
        "50%: {}",
        diffusion_sim::format::format_number((0.5f64 * 1.4).sqrt())
    );
    assert!(stdout.contains(&median), "{stdout}");
}

#[test]
fn defaults_change_nothing_byte_for_byte() {
    let plain = actor("Lab", "budget = \"$1M to $10M\"\ngrowth_per_year = 1.2")
        + &actor("Frontier", "budget = \"frontier\"");
    let explicit = actor(
        "Lab",
        "budget = \"$1M to $10M\"\ngrowth_per_year = 1.2\nalgorithm_lag_years = 0\nhardware_lag_years = 0\nprice_multiplier = 1\ncompute_multiplier = 1\ncount = 1\nbudget_spread_ooms = 0",
    ) + &actor("Frontier", "budget = \"frontier\"\nfrontier_fraction = 1");
    let alg = "halving_time_years = \"0.5 to 1.5\"";
    let target = "\n[[target]]\nname = \"T\"\nflop = \"1e25 to 1e26\"\n[[target]]\nname = \"F\"\nfrontier_year = 2030\n";
    let n = ["--samples", "3000"];
    let (_a, a) = run(&scenario("", alg, &format!("{plain}{target}")), &n);
    let (_b, b) = run(&scenario("", alg, &format!("{explicit}{target}")), &n);
    let header = std::fs::read_to_string(a.join("trajectories.csv")).unwrap();
    assert!(!header.lines().next().unwrap().contains("actor"));
    assert_same_outputs(&a, &b);
}

/// Every output file of two runs is byte-identical, but the manifest (wall time, threads) and
/// the copy of the scenario text (the two texts differ).
fn assert_same_outputs(a: &Path, b: &Path) {
    let names = util::file_names(a);
    assert_eq!(names, util::file_names(b));
    for f in names
        .iter()
        .filter(|f| *f != "manifest.json" && *f != "scenario.toml")
    {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn common_random_numbers_and_thread_counts() {
    let alg = "halving_time_years = \"0.5 to 1.5\"";
    let target = "\n[[target]]\nname = \"T\"\nflop = \"1e25 to 1e26\"\n[[target]]\nname = \"F\"\nfrontier_year = 2030\n";
    let lab = actor(
        "Lab",
        "budget = \"$1M to $10M\"\ngrowth_per_year = \"1.1 to 1.4\"",
    );
    let other = |access: &str| {
        actor(
            "Other",
            &format!("budget = \"$1M to $10M\"\ngrowth_per_year = 1.2\n{access}"),
        )
    };
    let base = scenario("", alg, &format!("{lab}{}{target}", other("")));
    let changed = scenario(
        "",
        alg,
        &format!(
            "{lab}{}{}{target}",
            other("algorithm_lag_years = \"0.5 to 2\"\nprice_multiplier = \"1.5 to 3\""),
            actor(
                "New",
                "budget = \"$10M\"\nhardware_lag_years = 2\ncount = 5\nbudget_spread_ooms = 0.3"
            )
        ),
    );
    let (_a, a) = run(&base, &["--samples", "4000"]);
    let (_b, b) = run(&changed, &["--samples", "4000", "--threads", "1"]);
    let (_c, c) = run(&changed, &["--samples", "4000", "--threads", "3"]);
    let (ma, mb) = (medians(&a), medians(&b));
    for t in ["T", "F"] {
        let key = (t.to_string(), "Lab".to_string());
        assert_eq!(ma[&key], mb[&key], "{t}: Lab must not move");
        let other = (t.to_string(), "Other".to_string());
        assert!(
            mb[&other] > ma[&other],
            "{t}: a lagging class affords later"
        );
    }
    assert_same_outputs(&b, &c);
}

/// Review findings: ranks survive `sensitivity --actor` (a subset reports none instead of
/// panicking), `compare --budgets` keeps ranks and counts over the scenario's own actors, and
/// extra reporting years leave compare's columns on the regular grid.
#[test]
fn ranks_and_report_years_with_sensitivity_and_compare() {
    let actors = [
        actor(
            "A",
            "budget = \"$1M to $10M\"\ncount = 3\nbudget_spread_ooms = 0.3",
        ),
        actor("B", "budget = \"$2M to $20M\""),
    ]
    .concat();
    let text = scenario(
        "report_ranks = [1, 4]\nreport_years = [2027.3]",
        "halving_time_years = \"0.5 to 1.5\"",
        &format!("{actors}{TARGET}"),
    );
    let (dir, path) = write_scenario(&text);
    let out = |name: &str| dir.path().join(name);
    bin()
        .args([
            "sensitivity",
            path.to_str().unwrap(),
            "--actor",
            "B",
            "--quiet",
            "--no-charts",
            "--samples",
            "2000",
            "--out",
        ])
        .arg(out("sens"))
        .assert()
        .success();
    bin()
        .args([
            "run",
            path.to_str().unwrap(),
            "--quiet",
            "--no-charts",
            "--samples",
            "2000",
            "--out",
        ])
        .arg(out("run"))
        .assert()
        .success();
    let shown = bin()
        .args([
            "compare",
            "--budgets",
            "1M,100M",
            path.to_str().unwrap(),
            "--quiet",
            "--no-charts",
            "--samples",
            "2000",
            "--out",
        ])
        .arg(out("cmp"))
        .assert()
        .success();
    let stdout = String::from_utf8(shown.get_output().stdout.clone()).unwrap();
    for y in ["2025", "2030", "2035"] {
        assert!(stdout.contains(y), "compare's columns: {stdout}");
    }
    let read = |d: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out(d).join("summary.json")).unwrap()).unwrap()
    };
    let (run, cmp) = (read("run"), read("cmp"));
    assert_eq!(run["ranks"], cmp["ranks"]);
    assert_eq!(run["actor_counts"], cmp["actor_counts"]);
    assert_eq!(run["actor_counts"][0]["total"], 4);
}

/// A run without ranks into a folder that held one with ranks leaves no stale ranks file.
#[test]
fn a_later_run_without_ranks_removes_the_old_rank_files() {
    let with = scenario(
        "report_ranks = [1]",
        ONE_OOM,
        &format!("{}{TARGET}", actor("A", "budget = 1e6\ncount = 2")),
    );
    let without = scenario(
        "",
        ONE_OOM,
        &format!("{}{TARGET}", actor("A", "budget = 1e6")),
    );
    let (dir, p1) = write_scenario(&with);
    let p2 = dir.path().join("without.toml");
    std::fs::write(&p2, without).unwrap();
    let out = dir.path().join("out");
    for p in [&p1, &p2] {
        bin()
            .args([
                "run",
                p.to_str().unwrap(),
                "--quiet",
                "--no-charts",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let has_ranks = out.join("ranks.csv").is_file();
        assert_eq!(has_ranks, p == &p1, "{}", p.display());
        assert_eq!(out.join("actor_counts.csv").is_file(), p == &p1);
    }
}
