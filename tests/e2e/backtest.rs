//! `diffusion-sim backtest` through the binary: the shipped history runs and writes its files,
//! and on a tiny synthetic history every score equals its closed form.

use std::path::Path;

use crate::util::{bin, csv_rows, line_col, replace_once};

const TRENDS: &str = r#"
[[estimate]]
quantity = "hardware"
domain = "all"
published = "2000-01"
central = 0.2
unit = "ooms_per_year"
source = "synthetic"

[[estimate]]
quantity = "algorithms"
domain = "language"
published = "2000-01"
central = 0.3
unit = "ooms_per_year"
source = "synthetic"

[[estimate]]
quantity = "algorithms"
domain = "vision"
published = "2000-01"
central = 2.0
unit = "growth_per_year"
low = 1.5
high = 3.0
interval = "90% CI"
source = "synthetic"
"#;

/// Milestone 1e24 FLOP for $1M (amortised) in 2020; matches two years later.
const HISTORY: &str = r#"
[[case]]
id = "fixed"
capability = "synthetic language"
domain = "language"
[case.milestone]
date = "2020-01"
developer = "Lab"
model = "M"
flop = 1e24
flop_source = "synthetic"
cost = 1e6
cost_basis = "amortised"
cost_source = "synthetic"
[[case.match]]
date = "2022-01"
developer = "A"
model = "Frontier match"
actor_class = "Frontier labs"
cost = 2e5
cost_basis = "amortised"
cost_source = "synthetic"
match_source = "synthetic"
[[case.match]]
date = "2022-01"
developer = "B"
model = "Academic match"
actor_class = "Academic labs"
cost = 6e4
cost_basis = "amortised"
cost_source = "synthetic"
match_source = "synthetic"
[[case.match]]
date = "2022-01"
developer = "C"
model = "Cloud match"
actor_class = "Academic labs"
cost = 6e4
cost_basis = "cloud"
cost_source = "synthetic"
match_source = "synthetic"

[[case]]
id = "uncertain"
capability = "synthetic vision"
domain = "vision"
[case.milestone]
date = "2020-01"
developer = "Lab"
model = "V"
flop = 1e24
flop_source = "synthetic"
cost = 1e6
cost_basis = "amortised"
cost_source = "synthetic"
[[case.match]]
date = "2022-01"
developer = "A"
model = "Vision match"
actor_class = "Frontier labs"
cost = 3e4
cost_basis = "amortised"
cost_source = "synthetic"
match_source = "synthetic"
"#;

/// Access terms: academic labs one year behind, paying 2 × 1.5 per unit of capability.
const ACCESS: &str = r#"
[scenario]
name = "access"
start_year = 2025
end_year = 2030
[hardware]
flop_per_dollar = 1e17
doubling_time_years = 2
[algorithms]
halving_time_years = 1
[[actor]]
name = "Frontier labs"
budget = 1
[[actor]]
name = "Academic labs"
budget = 1
algorithm_lag_years = 1
price_multiplier = 2
compute_multiplier = 1.5
[[target]]
name = "T"
flop = 1e25
"#;

fn field(row: &std::collections::HashMap<String, String>, k: &str) -> f64 {
    row[k]
        .parse()
        .unwrap_or_else(|_| panic!("{k} = {}", row[k]))
}

/// Runs the backtest of `history` with the synthetic trends and access terms, writing to
/// `dir/out`.
fn run_synthetic(dir: &Path, history: &str) -> assert_cmd::assert::Assert {
    run_with(dir, history, TRENDS)
}

/// Runs the backtest of `history` and `trends` with the synthetic access terms, writing to
/// `dir/out`.
fn run_with(dir: &Path, history: &str, trends: &str) -> assert_cmd::assert::Assert {
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let (h, t, a) = (
        write("history.toml", history),
        write("trends.toml", trends),
        write("access.toml", ACCESS),
    );
    bin()
        .args(["backtest", "--samples", "100000", "--quiet", "--no-charts"])
        .arg("--cases")
        .arg(&h)
        .arg("--trends")
        .arg(&t)
        .arg("--access-from")
        .arg(&a)
        .arg("--out")
        .arg(dir.join("out"))
        .assert()
}

#[test]
fn synthetic_history_scores_equal_their_closed_forms() {
    let dir = tempfile::tempdir().unwrap();
    run_synthetic(dir.path(), HISTORY).success();
    let out = dir.path().join("out");
    let rows = csv_rows(&out.join("backtest.csv"));
    assert_eq!(rows.len(), 3, "the cloud-basis match is skipped");
    let row = |m: &str| rows.iter().find(|r| r["model"] == m).unwrap();

    // Frontier: 1e6 · 10^(−0.5 · 2) = 1e5 for sure; observed 2e5 lies above: PIT 1, CRPS and
    // bias log10 2, no width.
    let f = row("Frontier match");
    assert_eq!(field(f, "access_p50"), 1e5);
    assert_eq!(field(f, "access_pit"), 1.0);
    assert!((field(f, "access_crps_log10") - 2f64.log10()).abs() < 1e-4);
    assert!((field(f, "access_log10_ratio") - 2f64.log10()).abs() < 1e-4);
    assert_eq!(field(f, "access_band_width_ooms"), 0.0);
    assert_eq!(f["access_in_90"], "false");

    // Academic: 1e6 · 3 · 10^(−0.2 · 2 − 0.3 · 1) with access; 1e5 without.
    let a = row("Academic match");
    let with = 3e6 * 10f64.powf(-0.7);
    assert!((field(a, "access_p50") / with - 1.0).abs() < 1e-5);
    assert_eq!(field(a, "access_pit"), 0.0);
    assert!((field(a, "access_crps_log10") - (with / 6e4).log10()).abs() < 1e-4);
    assert!((field(a, "no_access_crps_log10") - (1e5f64 / 6e4).log10()).abs() < 1e-4);

    // Vision: algorithms grow by g ~ lognormal with 90% interval 1.5–3, so log10 of the cost
    // two years on is normal: mean 6 − 0.4 − 2 μ, sd 2 σ (μ, σ of log10 g).
    let v = row("Vision match");
    let (l1, l2) = (1.5f64.log10(), 3f64.log10());
    let (mu, sd) = ((l1 + l2) / 2.0, (l2 - l1) / (2.0 * 1.644_853_626_951_472_2));
    let (m, s) = (6.0 - 0.4 - 2.0 * mu, 2.0 * sd);
    let y = 3e4f64.log10();
    let z = (y - m) / s;
    let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let cdf = diffusion_sim::dist::norm_cdf(z);
    let crps = s * (z * (2.0 * cdf - 1.0) + 2.0 * phi - 1.0 / std::f64::consts::PI.sqrt());
    assert!(
        (field(v, "access_pit") - cdf).abs() < 5e-3,
        "{} vs {cdf}",
        v["access_pit"]
    );
    assert!(
        (field(v, "access_crps_log10") - crps).abs() < 0.01 * crps,
        "{} vs {crps}",
        v["access_crps_log10"]
    );
    assert!((field(v, "access_band_width_ooms") - 2.0 * 1.644_853_6 * s).abs() < 0.01);

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    let all = &json["with_access"]["all"];
    assert_eq!(all["n"], 3);
    assert_eq!(
        all["coverage_90"],
        serde_json::json!(if cdf > 0.05 && cdf < 0.95 {
            1.0 / 3.0
        } else {
            0.0
        })
    );
    assert_eq!(json["without_access"]["out_of_sample"]["n"], 0);
    assert_eq!(
        json["skipped"][0]["reason"],
        "its cost is on another basis than the milestone's"
    );
    assert!(Path::new(&out.join("scenarios/fixed.toml")).is_file());
}

/// With measurement errors, the published figure is predicted: a lognormal around the model's
/// cost whose log-variance is the sum of the milestone's and the match's. The fixed case has no
/// other uncertainty, so every PIT is a normal CDF in closed form; the exact variant is unchanged.
#[test]
fn measurement_errors_widen_predictions_by_their_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let history = format!(
        "[measurement]\nestimate_factor_90 = 3\nestimate_source = \"synthetic\"\n\
         reported_factor_90 = 1.5\nreported_source = \"synthetic\"\n{}",
        HISTORY
            .replace(
                "model = \"Academic match\"",
                "model = \"Academic match\"\ncost_factor_90 = 2\ncost_factor_source = \"synthetic\""
            )
            .replace(
                "model = \"Frontier match\"",
                "model = \"Frontier match\"\ncost_estimate = false"
            )
    );
    run_synthetic(dir.path(), &history).success();
    let rows = csv_rows(&dir.path().join("out/backtest.csv"));
    let row = |m: &str| rows.iter().find(|r| r["model"] == m).unwrap();
    let z90 = 1.644_853_626_951_472_2;
    let sigma = |f0: f64, f1: f64| (f0.ln().powi(2) + f1.ln().powi(2)).sqrt() / z90;

    // Frontier: the model says 1e5 for sure; milestone error ×3 (an estimate), match ×1.5 (the
    // developer's figure); observed 2e5.
    let f = row("Frontier match");
    assert_eq!(field(f, "error_factor_90"), 1.5);
    assert_eq!(field(f, "milestone_error_factor_90"), 3.0);
    let s = sigma(3.0, 1.5);
    let pit = diffusion_sim::dist::norm_cdf(2f64.ln() / s);
    assert!(
        (field(f, "access_pit") - pit).abs() < 5e-3,
        "{} vs {pit}",
        f["access_pit"]
    );
    assert!((field(f, "access_p50") / 1e5 - 1.0).abs() < 0.02);
    let width = 2.0 * z90 * s / std::f64::consts::LN_10;
    assert!((field(f, "access_band_width_ooms") - width).abs() < 0.01);
    assert_eq!(field(f, "exact_pit"), 1.0, "the exact variant is unchanged");
    assert_eq!(field(f, "exact_band_width_ooms"), 0.0);

    // Academic: its own factor 2 replaces the estimate's 3.
    let a = row("Academic match");
    assert_eq!(field(a, "error_factor_90"), 2.0);
    let with = 3e6 * 10f64.powf(-0.7);
    let pit = diffusion_sim::dist::norm_cdf((6e4 / with).ln() / sigma(3.0, 2.0));
    assert!(
        (field(a, "access_pit") - pit).abs() < 5e-3,
        "{} vs {pit}",
        a["access_pit"]
    );
    // Without access terms the frontier's 1e5 is predicted, with the same errors.
    let pit = diffusion_sim::dist::norm_cdf((6e4f64 / 1e5).ln() / sigma(3.0, 2.0));
    assert!((field(a, "no_access_pit") - pit).abs() < 5e-3);
    assert_eq!(field(a, "exact_pit"), 0.0);

    // A factor below 1 is refused, naming it.
    let bad = tempfile::tempdir().unwrap();
    let err = run_synthetic(
        bad.path(),
        &history.replace("estimate_factor_90 = 3", "estimate_factor_90 = 0.5"),
    )
    .code(2);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("history.toml:2:22") && stderr.contains("0.5 is not a 90% error factor"),
        "{stderr}"
    );
}

#[test]
fn the_shipped_history_runs_and_reports_every_score() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt");
    let shown = bin()
        .args(["backtest", "--samples", "2000", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(shown.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("with access terms, out of sample"),
        "{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    for variant in ["with_access", "without_access", "exact_costs"] {
        for set in ["all", "out_of_sample"] {
            for key in [
                "coverage_50",
                "coverage_90",
                "crps_log10",
                "bias_ratio",
                "band_width_ooms",
            ] {
                let v = &json[variant][set][key];
                assert!(
                    v.as_f64().is_some_and(f64::is_finite),
                    "{variant}.{set}.{key} = {v}"
                );
            }
        }
    }
    let matches = json["matches"].as_array().unwrap();
    assert!(matches.len() >= 20);
    // Every case, match and class is printed whole on its row (a long case id was once cut).
    for m in matches {
        let row = [&m["case"], &m["model"], &m["actor_class"]].map(|v| v.as_str().unwrap());
        assert!(
            stdout
                .lines()
                .any(|l| row.iter().all(|name| l.contains(&format!(" {name} ")))),
            "{row:?} in {stdout}"
        );
    }
    for chart in ["backtest_cases.png", "backtest_pit.svg"] {
        assert!(out.join("charts").join(chart).is_file(), "{chart}");
    }
}

#[test]
fn a_broken_history_file_is_refused_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("h.toml");
    std::fs::write(
        &p,
        "[[case]]\nid = \"x\"\ncapability = \"c\"\ndomain = \"language\"\nmilestone = 3\n",
    )
    .unwrap();
    let got = bin()
        .args(["backtest", "--quiet", "--cases"])
        .arg(&p)
        .assert()
        .code(2);
    let stderr = String::from_utf8(got.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("h.toml:5:"), "{stderr}");
}

/// An access scenario with none of the history's classes could score no match: refused before
/// any work, naming the classes it needs, and an earlier backtest's folder is left as it was.
#[test]
fn an_access_scenario_without_the_historys_classes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, scenario) = crate::util::write_scenario(crate::util::MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("backtest.json"), b"{}").unwrap();
    let got = bin()
        .args(["backtest", "--quiet", "--samples", "300", "--access-from"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8(got.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("none of its actor classes is a class of the history")
            && stderr.contains("Frontier labs, Big tech"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join("backtest.json")).unwrap(), b"{}");
}

/// A typo or an unusable value in either data file is refused (exit 2) at its own line and
/// column, naming the key and what is allowed; none is skipped or passed on to a generated
/// scenario.
#[test]
fn bad_values_in_the_data_files_are_refused_at_their_line() {
    for (file, from, to, key, message) in [
        (
            "history.toml",
            "model = \"M\"\nflop = 1e24\nflop_source = \"synthetic\"\ncost = 1e6\ncost_basis = \"amortised\"",
            "model = \"M\"\nflop = 1e24\nflop_source = \"synthetic\"\ncost = 1e6\ncost_basis = \"amortized\"",
            "case[1].milestone.cost_basis",
            "\"amortized\" is not a cost basis; did you mean `amortised`? allowed: `cloud`, `amortised`, `project`",
        ),
        (
            "history.toml",
            "actor_class = \"Frontier labs\"\ncost = 2e5",
            "actor_class = \"Aliens\"\ncost = 2e5",
            "case[1].match[1].actor_class",
            "\"Aliens\" is not an actor class; allowed: `Frontier labs`, `Big tech`,",
        ),
        (
            "history.toml",
            "id = \"uncertain\"",
            "id = \"fixed\"",
            "case[2].id",
            "\"fixed\" is already the id of case 1 (line 3)",
        ),
        (
            "history.toml",
            "model = \"M\"\nflop = 1e24\nflop_source = \"synthetic\"\ncost = 1e6\ncost_basis = \"amortised\"",
            "model = \"M\"\nflop = 1e24\nflop_source = \"synthetic\"\ncost = 0\ncost_basis = \"amortised\"",
            "case[1].milestone.cost",
            "must be a finite number > 0 (US dollars), got 0",
        ),
        (
            "history.toml",
            "date = \"2020-01\"\ndeveloper = \"Lab\"\nmodel = \"V\"",
            "date = \"2019-02-30\"\ndeveloper = \"Lab\"\nmodel = \"V\"",
            "case[2].milestone.date",
            "\"2019-02-30\" is not a date; allowed: YYYY-MM-DD, or YYYY-MM",
        ),
        (
            "trends.toml",
            "quantity = \"hardware\"",
            "quantity = \"hardwear\"",
            "estimate[1].quantity",
            "\"hardwear\" is not a quantity; did you mean `hardware`? allowed: `hardware`, `algorithms`, `compute`, `spend`",
        ),
        (
            "trends.toml",
            "published = \"2000-01\"\ncentral = 0.2",
            "published = \"2015-13\"\ncentral = 0.2",
            "estimate[1].published",
            "\"2015-13\" is not a date",
        ),
        (
            "trends.toml",
            "unit = \"growth_per_year\"",
            "unit = \"furlongs\"",
            "estimate[3].unit",
            "\"furlongs\" is not a unit of algorithms estimates; allowed: `halving_time_years`, `growth_per_year`, `ooms_per_year`",
        ),
        (
            "trends.toml",
            "central = 0.2",
            "central = nan",
            "estimate[1].central",
            "must be a finite number",
        ),
        (
            "trends.toml",
            "central = 2.0\nunit = \"growth_per_year\"",
            "central = 1e308\nunit = \"growth_per_year\"",
            "estimate[3].central",
            "implies a rate of 709.1962 natural-log units a year; allowed: at most 10",
        ),
    ] {
        let original = if file == "history.toml" {
            HISTORY
        } else {
            TRENDS
        };
        let edited = replace_once(original, from, to);
        // The value of `key` within the edit.
        let key_name = format!("{} = ", key.rsplit('.').next().unwrap());
        let at = original.find(from).unwrap() + to.find(&key_name).unwrap() + key_name.len();
        let (line, col) = line_col(&edited, at);
        let (history, trends) = match file {
            "history.toml" => (edited.as_str(), TRENDS),
            _ => (HISTORY, edited.as_str()),
        };
        let dir = tempfile::tempdir().unwrap();
        let got = run_with(dir.path(), history, trends).code(2);
        let stderr = String::from_utf8(got.get_output().stderr.clone()).unwrap();
        let expected = format!("{file}:{line}:{col}: `{key}`: {message}");
        assert!(
            stderr.contains(&expected),
            "{to}:\n{stderr}\nexpected {expected}"
        );
        assert!(!dir.path().join("out").exists(), "{to}: nothing is written");
    }
}

/// An access scenario without access terms, or without some of the history's classes, is
/// used as asked, with a warning for each (the rows "with" and "without access terms" had come
/// out the same, and matches had gone to `skipped`, without a word).
#[test]
fn an_access_scenario_without_access_terms_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let warned = |scenario: &str| {
        let done = bin()
            .args([
                "backtest",
                "--samples",
                "500",
                "--no-charts",
                "--access-from",
            ])
            .arg(scenario)
            .arg("--out")
            .arg(dir.path().join("bt"))
            .assert()
            .success();
        String::from_utf8(done.get_output().stderr.clone()).unwrap()
    };
    let stderr = warned("scenarios/gpt3_hindcast.toml");
    assert!(
        stderr.contains("none of its history classes has access terms")
            && stderr.contains("it has no class National governments"),
        "{stderr}"
    );
    let stderr = warned("scenarios/baseline.toml");
    assert!(!stderr.contains("warning"), "{stderr}");
}
