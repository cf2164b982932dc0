//! Costs beyond compute through the binary: data, staff and deployment against closed forms
//! (deterministic inputs, so every sample shares its year and the reported year is exact to
//! 1e-6), a sum of every component against an independent bisection of the formulas, the
//! breakdown's values, and the frontier paying its own costs beyond compute.

use crate::util;

use std::path::PathBuf;

use crate::util::{bin, csv_rows, write_scenario};

/// Hardware from 1e18 FLOP/$ (rate `{hw}`), algorithms `{alg}`, a 1e26 FLOP target at the start
/// year's algorithms, overhead 2, one class with budget `{budget}`.
const BASE: &str = r#"[scenario]
name = "Cost components"
start_year = 2025.0
end_year = 2060.0
samples = 16
seed = 5
{scenario_extra}

[hardware]
flop_per_dollar = 1e18
{hw}

[algorithms]
{alg}

[investment]
frontier_spend = 1e8
growth_per_year = 2.0

[costs]
overhead = 2
{costs}

[[actor]]
name = "Lab"
{budget}

[[target]]
name = "T"
flop = 1e26
{target}
"#;

struct Case<'a> {
    scenario_extra: &'a str,
    hw: &'a str,
    alg: &'a str,
    costs: &'a str,
    budget: &'a str,
    target: &'a str,
}

impl Default for Case<'_> {
    fn default() -> Self {
        Self {
            scenario_extra: "",
            hw: "growth_per_year = 1.5",
            alg: "growth_per_year = 1.0",
            costs: "",
            budget: "budget = 2e7\ngrowth_per_year = 1.0",
            target: "",
        }
    }
}

impl Case<'_> {
    fn text(&self) -> String {
        BASE.replace("{scenario_extra}", self.scenario_extra)
            .replace("{hw}", self.hw)
            .replace("{alg}", self.alg)
            .replace("{costs}", self.costs)
            .replace("{budget}", self.budget)
            .replace("{target}", self.target)
    }
}

/// Runs `text`; returns the temporary directory (keep it alive) and the output folder.
fn run(text: &str) -> (tempfile::TempDir, PathBuf) {
    util::run_scenario(text, &[])
}

/// The median affordability year of every (target, actor) pair, in order.
fn years(out: &std::path::Path) -> Vec<(String, String, Option<f64>)> {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    summary["affordability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["target"].as_str().unwrap().to_string(),
                p["actor"].as_str().unwrap().to_string(),
                p["year"]["p50"].as_f64(),
            )
        })
        .collect()
}

fn year(text: &str) -> f64 {
    let (_dir, out) = run(text);
    years(&out)[0].2.expect("affordable by the horizon")
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-6,
        "{what}: got {got}, want {want} (difference {:e})",
        got - want
    );
}

const LN_1_5: f64 = 0.405_465_108_108_164_4;

#[test]
fn staff_alone_sets_a_floor_on_the_cost() {
    // 2e26 / 1e18 · 1.5^−(t−2025) + 10 · 5e5 = 2e7  →  1.5^(t−2025) = 2e8 / 1.5e7.
    let text = Case {
        costs: "[costs.staff]\ndollars_per_person_year = 5e5",
        target: "person_years = 10",
        ..Case::default()
    }
    .text();
    assert_close(
        year(&text),
        2025.0 + (2e8f64 / 1.5e7).ln() / LN_1_5,
        "staff",
    );
    // A staff cost above the budget is never affordable however cheap compute gets.
    let never = Case {
        costs: "[costs.staff]\ndollars_per_person_year = 5e5",
        target: "person_years = 50",
        ..Case::default()
    }
    .text();
    let (_dir, out) = run(&never);
    assert_eq!(years(&out)[0].2, None);
}

#[test]
fn data_alone_is_a_quadratic_in_the_algorithmic_factor() {
    // Hardware flat, algorithms ×4 a year: with x = 4^−(t−2025)/2 = 2^−(t−2025), compute is
    // 2e8·x² and data p·√(r·E/6)·x = 1e-6·√(20e26/6)·x ≈ 1.826e7·x.
    let text = Case {
        hw: "growth_per_year = 1.0",
        alg: "growth_per_year = 4.0",
        costs: "[costs.data]\ndollars_per_token = 1e-6",
        ..Case::default()
    }
    .text();
    let (a, b, c) = (2e8, 1e-6 * (20e26f64 / 6.0).sqrt(), -2e7);
    let x = (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    assert_close(year(&text), 2025.0 - x.log2(), "data");
}

#[test]
fn data_beyond_the_stock_costs_the_beyond_price() {
    // As above with a stock of 1e12 tokens (D ≈ 1.8e13·x exceeds it until far past the root):
    // p·S + b·(D − S) = 1e-6·1e12 + 1e-5·(1.826e13·x − 1e12).
    let text = Case {
        hw: "growth_per_year = 1.0",
        alg: "growth_per_year = 4.0",
        costs: "[costs.data]\ndollars_per_token = 1e-6\nstock_tokens = 1e12\nbeyond_stock_dollars_per_token = 1e-5",
        ..Case::default()
    }
    .text();
    let d = (20e26f64 / 6.0).sqrt();
    let (a, b, c) = (2e8, 1e-5 * d, 1e-6 * 1e12 - 1e-5 * 1e12 - 2e7);
    let x = (-b + (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    assert!(d * x > 1e12, "the root is beyond the stock");
    assert_close(year(&text), 2025.0 - x.log2(), "beyond the stock");
}

#[test]
fn wages_growing_with_the_budget() {
    // Budget and wage both ×1.1 a year: 2e8·1.5^−τ + 10·5e5·1.1^τ ≤ 2e7·1.1^τ  →
    // (1.5·1.1)^τ = 2e8 / 1.5e7, τ = t − 2025.
    let text = Case {
        costs: "[costs.staff]\ndollars_per_person_year = 5e5\ngrowth_per_year = 1.1",
        target: "person_years = 10",
        budget: "budget = 2e7\ngrowth_per_year = 1.1",
        ..Case::default()
    }
    .text();
    assert_close(
        year(&text),
        2025.0 + (2e8f64 / 1.5e7).ln() / (1.5f64 * 1.1).ln(),
        "wage growth",
    );
}

#[test]
fn effort_halving_moves_person_years_from_the_target_year() {
    // person_years 40 at flop_year 2023 halve every 2 years: 20 at 2025, then 2^−τ/2 with
    // a flat wage: 2e8·1.5^−τ + 20·5e5·2^(−τ/2) = 2e7 has no closed form, so bisect it.
    let text = Case {
        costs: "[costs.staff]\ndollars_per_person_year = 5e5\neffort_halving_time_years = 2",
        target: "flop_year = 2025\nperson_years = 40",
        ..Case::default()
    }
    .text()
    .replace("flop_year = 2025", "flop_year = 2023");
    // The target is written at 2023 algorithms, which do not move (growth 1).
    let f = |tau: f64| 2e8 * 1.5f64.powf(-tau) + 20.0 * 5e5 * 2f64.powf(-tau / 2.0) - 2e7;
    assert_close(year(&text), 2025.0 + bisect(f, 0.0, 35.0), "effort halving");
}

#[test]
fn deployment_with_a_hardware_lag() {
    // Algorithms flat: N = √(1e26/(6·20)), serving 2·N·1e13 FLOP at utilisation 0.5, all at
    // the class's FLOP per dollar 3 years late: (2e26 + 4N·1e13) / (1e18·1.5^(t−3−2025)) = 2e7.
    let text = Case {
        scenario_extra: "affordability = \"train_and_deploy\"",
        costs: "[deployment]\ntokens_served = 1e13\ninference_utilisation = 0.5",
        budget: "budget = 2e7\ngrowth_per_year = 1.0\nhardware_lag_years = 3",
        ..Case::default()
    }
    .text();
    let n = (1e26f64 / 120.0).sqrt();
    let total = 2e26 + 2.0 * n * 1e13 / 0.5;
    assert_close(
        year(&text),
        2025.0 + 3.0 + (total / (1e18 * 2e7)).ln() / LN_1_5,
        "deployment",
    );
    // With affordability = "train" (the default) serving is reported but not required.
    let train = text.replace("affordability = \"train_and_deploy\"", "");
    assert_close(
        year(&train),
        2025.0 + 3.0 + (2e26f64 / (1e18 * 2e7)).ln() / LN_1_5,
        "training only",
    );
}

#[test]
fn every_component_at_once_against_a_bisection_of_the_formulas() {
    // Hardware ×1.5, algorithms ×2, a stock growing ×1.05 beyond which tokens cost more, data
    // dearer ×1.1, wages ×1.05, effort halving every 3 years, serving counted, a class that
    // pays 1.5× per FLOP, needs 1.2× the compute and 0.5× the wage, with a budget ×1.2.
    let text = Case {
        scenario_extra: "affordability = \"train_and_deploy\"",
        alg: "growth_per_year = 2.0",
        costs: "[costs.data]\ntokens_per_parameter = 25\ndollars_per_token = 1e-6\ngrowth_per_year = 1.1\nstock_tokens = 5e12\nstock_growth_per_year = 1.05\nbeyond_stock_dollars_per_token = 4e-6\n\n[costs.staff]\ndollars_per_person_year = 8e5\ngrowth_per_year = 1.05\neffort_halving_time_years = 3\n\n[deployment]\ntokens_served = 3e13\ninference_utilisation = 0.4",
        budget: "budget = 1e7\ngrowth_per_year = 1.2\nprice_multiplier = 1.5\ncompute_multiplier = 1.2\nwage_multiplier = 0.5",
        target: "person_years = 30",
        ..Case::default()
    }
    .text();
    // The formulas of docs/model.md §17, written out independently.
    let parts = |t: f64| {
        let tau = t - 2025.0;
        let p = 1e18 * 1.5f64.powf(tau);
        let a = 2f64.powf(tau);
        let f = 1.2 * 1e26 / a;
        let (r, n) = (25.0, (f / (6.0 * 25.0)).sqrt());
        let d = r * n;
        let compute = 2.0 * 1.5 * f / p;
        let (price, stock) = (1e-6 * 1.1f64.powf(tau), 5e12 * 1.05f64.powf(tau));
        let data = price * d.min(stock) + 4e-6 * (d - stock).max(0.0);
        let staff = 30.0 * 2f64.powf(-tau / 3.0) * 0.5 * 8e5 * 1.05f64.powf(tau);
        let deploy = 1.5 * 2.0 * n * 3e13 / (0.4 * p);
        [compute, data, staff, deploy]
    };
    let gap = |t: f64| parts(t).iter().sum::<f64>() - 1e7 * 1.2f64.powf(t - 2025.0);
    let want = 2025.0 + bisect(|tau| gap(2025.0 + tau), 0.0, 35.0);
    let (_dir, out) = run(&text);
    assert_close(years(&out)[0].2.unwrap(), want, "all components");
    // The breakdown at 2030: every component's median equals the formula (6 significant
    // digits), and the mean shares are the formula's shares.
    let expected = parts(2030.0);
    let whole: f64 = expected.iter().sum();
    let rows = csv_rows(&out.join("cost_components.csv"));
    for (i, name) in ["compute", "data", "staff", "deployment"]
        .iter()
        .enumerate()
    {
        let row = rows
            .iter()
            .find(|r| r["component"] == *name && r["year"] == "2030")
            .unwrap_or_else(|| panic!("no {name} row for 2030"));
        let got: f64 = row["p50"].parse().unwrap();
        assert!(
            (got / expected[i] - 1.0).abs() < 1e-5,
            "{name}: {got} against {}",
            expected[i]
        );
        let share: f64 = row["share_mean"].parse().unwrap();
        assert!(
            (share - expected[i] / whole).abs() < 1e-6,
            "{name} share: {share} against {}",
            expected[i] / whole
        );
    }
    let total = rows
        .iter()
        .find(|r| r["component"] == "train_and_deploy" && r["year"] == "2030")
        .unwrap();
    let got: f64 = total["p50"].parse().unwrap();
    // The total that must fit comes from the trajectories' finer histograms: exact too.
    assert!(
        (got / whole - 1.0).abs() < 1e-5,
        "total {got} against {whole}"
    );
}

#[test]
fn a_frontier_budget_pays_the_frontier_its_own_costs_beyond_compute() {
    // The frontier affords the frontier of 2030 in 2030 whatever data, staff and serving cost;
    // a class with half the frontier's project pays its own costs from half the frontier's.
    let text = Case {
        scenario_extra: "affordability = \"train_and_deploy\"",
        alg: "growth_per_year = 2.0",
        costs: "[costs.data]\ndollars_per_token = 1e-6\n\n[costs.staff]\ndollars_per_person_year = 8e5\n\n[deployment]\ntokens_served = 1e14",
        budget: "budget = \"frontier\"\n\n[[actor]]\nname = \"Half\"\nbudget = \"frontier\"\nfrontier_fraction = 0.5",
        target: "person_years = 30\n\n[[target]]\nname = \"Frontier of 2030\"\nfrontier_year = 2030\nperson_years = 200",
        ..Case::default()
    }
    .text();
    let (_dir, out) = run(&text);
    let ys = years(&out);
    let find = |t: &str, a: &str| {
        ys.iter()
            .find(|(tt, aa, _)| tt == t && aa == a)
            .and_then(|x| x.2)
    };
    assert_eq!(find("Frontier of 2030", "Lab"), Some(2030.0));
    // Half: compute_f + NC_f ≤ 0.5 (2·S + NC_f) for the 1e26 target, S = 1e8·2^τ.
    let nc = |tau: f64| {
        let f = 1e26 / 2f64.powf(tau);
        let n = (f / 120.0).sqrt();
        let p = 1e18 * 1.5f64.powf(tau);
        let data = 1e-6 * 20.0 * n;
        let staff = 30.0 * 8e5;
        let deploy = 2.0 * n * 1e14 / p;
        (2.0 * f / p, data + staff + deploy)
    };
    let gap = |tau: f64| {
        let (c, other) = nc(tau);
        c + other - 0.5 * (2.0 * 1e8 * 2f64.powf(tau) + other)
    };
    assert_close(
        find("T", "Half").unwrap(),
        2025.0 + bisect(gap, 0.0, 35.0),
        "half the frontier",
    );
}

#[test]
fn zero_person_years_change_nothing() {
    let compute_only = Case {
        alg: "halving_time_years = \"0.5 to 1.5\"",
        ..Case::default()
    }
    .text();
    let with_staff = Case {
        alg: "halving_time_years = \"0.5 to 1.5\"",
        costs: "[costs.staff]\ndollars_per_person_year = 5e5",
        target: "person_years = 0",
        ..Case::default()
    }
    .text();
    let (_a, plain) = run(&compute_only);
    let (_b, staffed) = run(&with_staff);
    let (x, y) = (years(&plain), years(&staffed));
    assert!(x[0].2.is_some());
    for (a, b) in x.iter().zip(&y) {
        let (a, b) = (a.2.unwrap(), b.2.unwrap());
        assert!((a - b).abs() <= 2e-6, "{a} against {b}");
    }
}

#[test]
fn the_breakdown_is_the_same_on_any_thread_count() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/beyond_compute.toml"),
    )
    .unwrap()
    .replace("samples = 100_000", "samples = 600");
    let (dir, path) = write_scenario(&text);
    let outs: Vec<PathBuf> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(format!("out{threads}"));
            bin()
                .args(["run", path.to_str().unwrap(), "--quiet", "--no-charts"])
                .args(["--threads", threads, "--out"])
                .arg(&out)
                .assert()
                .success();
            out
        })
        .collect();
    for file in ["cost_components.csv", "summary.json", "trajectories.csv"] {
        assert_eq!(
            std::fs::read(outs[0].join(file)).unwrap(),
            std::fs::read(outs[1].join(file)).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }
}

/// The root of an increasing-then-decreasing or monotone `f` in `[a, b]` with `f(a) > 0 ≥ f(b)`
/// for its first sign change, by bisection on a fine scan.
fn bisect(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let steps = 35_000;
    let h = (b - a) / steps as f64;
    let mut lo = a;
    assert!(f(lo) > 0.0, "affordable at the start");
    let mut hi = (1..=steps)
        .map(|k| a + k as f64 * h)
        .find(|&t| f(t) <= 0.0)
        .expect("a root in the interval");
    lo = lo.max(hi - h);
    for _ in 0..100 {
        let m = 0.5 * (lo + hi);
        if f(m) > 0.0 {
            lo = m;
        } else {
            hi = m;
        }
    }
    hi
}
