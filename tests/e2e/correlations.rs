//! Correlated inputs (Gaussian copula): achieved rank correlations, unchanged marginals, ρ = 0
//! equals independence, and a closed-form case where correlation moves the answer.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use diffusion_sim::scenario::{self, Scenario};
use diffusion_sim::sim::{RunOptions, Sampler, Scratch, simulate};

/// Inputs in five distribution forms, in one scenario; correlations are appended per test.
const FORMS: &str = r#"
[scenario]
name = "forms"
start_year = 2025.0
end_year = 2060.0
seed = 3

[hardware]
flop_per_dollar = "3e17 to 1e18"
doubling_time_years = { uniform = { min = 2, max = 3 } }

[algorithms]
halving_time_years = { pert = { min = 0.6, mode = 0.9, max = 1.5 } }

[investment]
frontier_spend = "1e8 to 5e8"
growth_per_year = { normal = { mean = 2.5, sd = 0.5 }, min = 1.5, max = 3.2 }

[costs]
overhead = { mixture = [ { weight = 0.6, dist = "1.5 to 3" }, { weight = 0.4, dist = { uniform = { min = 3, max = 5 } } } ] }

[[actor]]
name = "Lab"
budget = "1e5 to 1e7"
growth_per_year = "1.0 to 1.3"

[[target]]
name = "GPT-4"
flop = "1e25 to 3e25"
"#;

fn load(text: &str) -> Scenario {
    scenario::from_str(Path::new("test.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

fn with_correlations(pairs: &[(&str, &str, f64)]) -> Scenario {
    let mut text = FORMS.to_string();
    for (a, b, rho) in pairs {
        text.push_str(&format!(
            "\n[[correlation]]\nbetween = ['{a}', '{b}']\nrho = {rho}\n"
        ));
    }
    load(&text)
}

/// Every input's drawn values over `n` samples, input-major.
fn draws(scn: &Scenario, n: u64) -> Vec<Vec<f64>> {
    let sampler = Sampler::new(scn, scn.seed);
    let mut s = Scratch::new(scn);
    let mut out = vec![Vec::with_capacity(n as usize); scn.inputs.len()];
    for i in 0..n {
        sampler.sample(i, &mut s);
        for (o, d) in out.iter_mut().zip(s.draws.values()) {
            o.push(d);
        }
    }
    out
}

/// Ranks 1..n, ties averaged.
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - mean) * (y - mean);
        saa += (x - mean).powi(2);
        sbb += (y - mean).powi(2);
    }
    sab / (saa * sbb).sqrt()
}

fn index(scn: &Scenario, name: &str) -> usize {
    scn.inputs
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| panic!("no input {name}"))
}

/// Achieved Spearman ρ within ±0.01 of the request at 100,000 samples (4 standard errors or
/// more: the standard error of a sample Spearman ρ at n = 1e5 is at most 0.0032).
#[test]
fn achieved_rank_correlations_match_the_requests_across_forms() {
    let pairs = [
        (
            "hardware.doubling_time_years",
            "algorithms.halving_time_years",
            0.9,
        ), // uniform ~ PERT
        ("investment.growth_per_year", "costs.overhead", -0.9), // truncated normal ~ mixture
        (
            "hardware.flop_per_dollar",
            "investment.frontier_spend",
            -0.3,
        ), // lognormal ~ lognormal
        ("actor.\"Lab\".budget", "target.\"GPT-4\".flop", 0.5),
        ("actor.\"Lab\".growth_per_year", "costs.overhead", 0.2),
    ];
    let scn = with_correlations(&pairs);
    let d = draws(&scn, 100_000);
    for (a, b, rho) in pairs {
        let got = spearman(&d[index(&scn, a)], &d[index(&scn, b)]);
        assert!(
            (got - rho).abs() <= 0.01,
            "{a} ~ {b}: requested {rho}, achieved {got}"
        );
    }
    // Inputs not paired stay independent.
    let got = spearman(
        &d[index(&scn, "hardware.flop_per_dollar")],
        &d[index(&scn, "costs.overhead")],
    );
    assert!(got.abs() <= 0.015, "{got}");
}

/// Each correlated input keeps its own marginal: its sample quantiles sit within 4 binomial
/// standard errors (in probability) of the distribution's own quantiles, as without correlation.
#[test]
fn marginals_are_unchanged_by_correlation() {
    let pairs = [
        (
            "hardware.doubling_time_years",
            "algorithms.halving_time_years",
            0.9,
        ),
        ("investment.growth_per_year", "costs.overhead", -0.9),
    ];
    let scn = with_correlations(&pairs);
    let n = 40_000;
    let d = draws(&scn, n);
    for name in [
        "hardware.doubling_time_years",
        "algorithms.halving_time_years",
        "investment.growth_per_year",
        "costs.overhead",
    ] {
        let i = index(&scn, name);
        let dist = &scn.inputs[i].dist;
        let mut xs = d[i].clone();
        xs.sort_by(f64::total_cmp);
        for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let x = xs[(p * n as f64).ceil() as usize - 1];
            let se = (p * (1.0 - p) / n as f64).sqrt();
            let (lo, hi) = (dist.quantile(p - 4.0 * se), dist.quantile(p + 4.0 * se));
            assert!(x >= lo && x <= hi, "{name} q{p}: {x} outside [{lo}, {hi}]");
        }
        // Truncation still holds exactly.
        if name == "investment.growth_per_year" {
            assert!(xs[0] >= 1.5 && xs[xs.len() - 1] <= 3.2);
        }
    }
}

fn run(scn: &Scenario, samples: u64, threads: usize) -> diffusion_sim::results::RunResults {
    let opts = RunOptions {
        samples,
        seed: scn.seed,
        threads,
    };
    simulate(scn, &opts, &|_| {}, &AtomicBool::new(false))
        .unwrap()
        .finish(scn)
}

/// ρ = 0 leaves every score as drawn: exactly the results of no correlation at all.
#[test]
fn zero_correlation_is_independence() {
    let independent = load(FORMS);
    let zero = with_correlations(&[(
        "hardware.doubling_time_years",
        "investment.growth_per_year",
        0.0,
    )]);
    let (a, mut b) = (run(&independent, 5_000, 2), run(&zero, 5_000, 2));
    assert_eq!(b.correlations.len(), 1);
    b.correlations.clear();
    assert_eq!(a, b);
}

#[test]
fn correlated_runs_are_identical_across_thread_counts() {
    let scn = with_correlations(&[("hardware.doubling_time_years", "costs.overhead", 0.7)]);
    assert_eq!(run(&scn, 6_000, 1), run(&scn, 6_000, 3));
}

/// A closed form: everything fixed but the target's FLOP F and the lab's budget B0, both
/// lognormal with log-sd σ. Then τ − start = (ln F − ln B0 − ln P0) / (r_hw + r_alg) is normal,
/// with median ln(median F / median B0 / P0) / R and a 90% interval of half-width
/// 1.645 · σ·√(2 − 2r) / R, where r is the copula's Pearson correlation of the logs. A positive
/// correlation between what the capability needs and what the lab can spend narrows it.
#[test]
fn correlating_cost_and_budget_narrows_the_affordability_interval_as_computed() {
    let text = |rho: f64| {
        format!(
            r#"
[scenario]
name = "closed form"
start_year = 2025.0
end_year = 2200.0
seed = 11

[hardware]
flop_per_dollar = 1e17
doubling_time_years = 2.0

[algorithms]
halving_time_years = 1.0

[investment]
frontier_spend = 1e9
growth_per_year = 1.0

[[actor]]
name = "Lab"
budget = {{ lognormal = {{ median = 1e4, sigma = 1.0 }} }}

[[target]]
name = "T"
flop = {{ lognormal = {{ median = 1e25, sigma = 1.0 }} }}

[[correlation]]
between = ['actor."Lab".budget', 'target."T".flop']
rho = {rho}
"#
        )
    };
    let rate = 2f64.ln() / 2.0 + 2f64.ln();
    let median = 2025.0 + (1e25f64 / 1e4 / 1e17).ln() / rate;
    for rho in [0.0, 0.8] {
        let scn = load(&text(rho));
        let res = run(&scn, 60_000, 2);
        let q = res.affordability[0].quantiles;
        let r = diffusion_sim::correlation::spearman_to_pearson(rho);
        let half = 1.644_853_6 * (2.0 - 2.0 * r).sqrt() / rate;
        // Tolerance: the histogram's 0.005 y plus 4 Monte Carlo standard errors of a quantile
        // of a normal with sd s: s·√(p(1−p)/n)/φ(z_p) ≈ 0.0130·s at p = 0.05 and 0.0102·s at 0.5.
        let sd = half / 1.644_853_6;
        let tol = |c: f64| 0.005 + 4.0 * c * sd;
        assert!(
            (q[2].unwrap() - median).abs() <= tol(0.0102),
            "ρ={rho}: median {:?} vs {median}",
            q[2]
        );
        assert!(
            (q[0].unwrap() - (median - half)).abs() <= tol(0.0130),
            "ρ={rho}: p5 {:?} vs {}",
            q[0],
            median - half
        );
        assert!(
            (q[4].unwrap() - (median + half)).abs() <= tol(0.0130),
            "ρ={rho}: p95 {:?} vs {}",
            q[4],
            median + half
        );
    }
}
