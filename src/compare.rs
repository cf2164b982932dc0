/*!
Comparisons. Budget thresholds: each threshold is a fixed budget that never grows, added to the
scenario as an extra actor class, so a threshold equal to a fixed actor budget gives exactly
that actor's results (the same solver on the same draws; the added classes have no inputs, so
no other input's stream changes). Scenarios side by side: see `compare_scenarios`.
*/

use crate::format::format_dollars;
use crate::model::RateKind;
use crate::scenario::number::parse_amount;
use crate::scenario::{Actor, ActorBudget, Process, Quantity, Regime, Scenario};

/// Parses `--budgets 100K,1M,$10M`: positive dollar amounts, at least one.
pub fn parse_budgets(list: &str) -> Result<Vec<f64>, String> {
    let mut out = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!(
                "--budgets \"{list}\": an empty entry; write positive amounts separated by commas, e.g. 100K,1M,10M"
            ));
        }
        match parse_amount(item) {
            Some(v) if v > 0.0 => out.push(v),
            Some(v) => {
                let hint = if item.len() == 3 && item.chars().all(|c| c.is_ascii_digit()) {
                    "; commas separate budgets, so write 1000000 or 1M rather than 1,000,000"
                } else {
                    ""
                };
                return Err(format!(
                    "--budgets: {item} is not positive (got {v}); budgets must be above zero{hint}"
                ));
            }
            None => {
                return Err(format!(
                    "--budgets: \"{item}\" is not an amount; write e.g. 250000, 1e6, $10M or 1.5B"
                ));
            }
        }
    }
    sort_dedup(&mut out);
    Ok(out)
}

/// Parses `--budgets-range 1e3:1e10`: a log-spaced grid with `per_decade` points per decade.
pub fn budget_range(spec: &str, per_decade: u32) -> Result<Vec<f64>, String> {
    let bad = || {
        format!(
            "--budgets-range \"{spec}\": write LOW:HIGH with 0 < LOW < HIGH, e.g. 1e3:1e10 or 10K:1B"
        )
    };
    let (lo, hi) = spec.split_once(':').ok_or_else(bad)?;
    let (lo, hi) = (
        parse_amount(lo).ok_or_else(bad)?,
        parse_amount(hi).ok_or_else(bad)?,
    );
    if !(lo > 0.0 && hi > lo) {
        return Err(bad());
    }
    if per_decade == 0 {
        return Err("--per-decade must be at least 1".into());
    }
    let steps = ((hi / lo).log10() * f64::from(per_decade)).round() as u32;
    if steps > 400 {
        return Err(format!(
            "--budgets-range \"{spec}\": {steps} budgets is too many; use a narrower range or fewer per decade"
        ));
    }
    let out = log_grid(lo, hi, per_decade);
    Ok(out)
}

/// Budgets from `lo` to about `hi`, `per_decade` per decade, rounded to 3 significant digits.
fn log_grid(lo: f64, hi: f64, per_decade: u32) -> Vec<f64> {
    let steps = ((hi / lo).log10() * f64::from(per_decade)).round() as u32;
    let mut out: Vec<f64> = (0..=steps)
        .map(|k| lo * 10f64.powf(f64::from(k) / f64::from(per_decade)))
        .map(round_budget)
        .collect();
    sort_dedup(&mut out);
    out
}

/// Rounds a budget to 3 significant digits, so grid budgets read as $1.78M rather than $1.7782…M.
fn round_budget(v: f64) -> f64 {
    format!("{v:.2e}").parse().unwrap_or(v)
}

fn sort_dedup(v: &mut Vec<f64>) {
    v.sort_by(f64::total_cmp);
    v.dedup();
}

/// The name of a threshold's actor class: `budget $1M`.
pub fn threshold_name(budget: f64) -> String {
    format!("budget {}", format_dollars(budget))
}

/// The scenario with one fixed, non-growing budget per threshold added after its own classes.
pub fn with_thresholds(scn: &Scenario, thresholds: &[f64]) -> Result<Scenario, String> {
    let mut out = scn.clone();
    for &b in thresholds {
        let name = threshold_name(b);
        if out.actors.iter().any(|a| a.name == name) {
            return Err(format!(
                "the threshold {name} has the same name as an actor class of the scenario"
            ));
        }
        let mut threshold = Actor::with_budget(
            name,
            ActorBudget::Own(Process {
                initial: Some(Quantity::Fixed(b)),
                regimes: vec![Regime {
                    until: None,
                    kind: RateKind::GrowthPerYear,
                    value: Quantity::Fixed(1.0),
                }],
                caps: Vec::new(),
            }),
        );
        // A threshold is not an actor: counts and ranks stay those of the scenario's classes.
        threshold.count = 0;
        out.actors.push(threshold);
    }
    Ok(out)
}

/// A fine log-spaced budget grid around the thresholds (for the heatmap): a decade beyond each
/// end, `per_decade` points per decade.
pub fn heatmap_grid(thresholds: &[f64], per_decade: u32) -> Vec<f64> {
    let lo = thresholds.first().copied().unwrap_or(1e3) / 10.0;
    let hi = thresholds.last().copied().unwrap_or(1e9) * 10.0;
    log_grid(lo, hi, per_decade.max(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_lists_and_ranges() {
        assert_eq!(
            parse_budgets("100K,1M, $10M,1B").unwrap(),
            vec![1e5, 1e6, 1e7, 1e9]
        );
        assert!(parse_budgets("").unwrap_err().contains("empty entry"));
        assert!(parse_budgets("1M,,2M").unwrap_err().contains("empty entry"));
        assert!(parse_budgets("-5").unwrap_err().contains("not positive"));
        assert!(parse_budgets("0").unwrap_err().contains("not positive"));
        assert!(parse_budgets("lots").unwrap_err().contains("not an amount"));
        let r = budget_range("1e3:1e5", 4).unwrap();
        assert_eq!(r.len(), 9);
        assert_eq!(r[0], 1e3);
        assert_eq!(r[4], 1e4);
        assert_eq!(r[1], 1.78e3);
        assert!(budget_range("1e5:1e3", 4).is_err());
        assert!(budget_range("0:1e3", 4).is_err());
        assert!(budget_range("1e3", 4).is_err());
    }
}

/// One threshold's results for one target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThresholdRow {
    /// Target name.
    pub target: String,
    /// The budget threshold, dollars.
    pub budget: f64,
    /// Quantiles of the year the cost first fits the budget (5, 25, 50, 75, 95%; `None`: beyond
    /// the horizon).
    pub year: [Option<f64>; 5],
    /// P(affordable by the horizon).
    pub p_by_horizon: f64,
    /// P(cost ≤ budget) at the probability years: `(year, probability)`; `None` where the target
    /// does not exist yet.
    pub p_cost_at_most: Vec<(f64, Option<f64>)>,
}

/// The threshold rows of a run of [`with_thresholds`]: per target, per threshold, with
/// P(cost ≤ budget) at `prob_years` (indices into the reporting years).
pub fn threshold_rows(
    scn: &Scenario,
    results: &crate::results::RunResults,
    tally: &crate::tally::Tally,
    thresholds: &[f64],
    prob_years: &[usize],
) -> Vec<ThresholdRow> {
    let exact = scn.costs_never_rise();
    let mut rows = Vec::new();
    for (j, t) in scn.targets.iter().enumerate() {
        for &b in thresholds {
            let name = threshold_name(b);
            let Some(pair) = results
                .affordability
                .iter()
                .find(|p| p.target == t.name && p.actor == name)
            else {
                continue;
            };
            rows.push(ThresholdRow {
                target: t.name.clone(),
                budget: b,
                year: pair.quantiles,
                p_by_horizon: pair.p_by_horizon,
                p_cost_at_most: prob_years
                    .iter()
                    .map(|&yi| {
                        // When costs never rise, "the cost fits by y" is "the cost fits at y",
                        // and the affordability curve counts it exactly; otherwise read it from
                        // the cost histogram.
                        let from_histogram = tally.cost_fraction_at_most(j, yi, b.ln());
                        let p = if exact {
                            from_histogram.map(|_| pair.p_by_year[yi])
                        } else {
                            from_histogram
                        };
                        (scn.report_years[yi], p)
                    })
                    .collect(),
            });
        }
    }
    rows
}

/// P(cost ≤ budget) on the heatmap grid: `(target, year, budget, probability)`.
pub fn grid_probabilities(
    scn: &Scenario,
    tally: &crate::tally::Tally,
    grid: &[f64],
) -> Vec<(String, f64, f64, Option<f64>)> {
    let mut out = Vec::new();
    for (j, t) in scn.targets.iter().enumerate() {
        for (yi, &y) in scn.report_years.iter().enumerate() {
            for &b in grid {
                out.push((
                    t.name.clone(),
                    y,
                    b,
                    tally.cost_fraction_at_most(j, yi, b.ln()),
                ));
            }
        }
    }
    out
}

/// One scenario's affordability curve of one target × actor class:
/// `(scenario, target, actor, [(year, P(τ ≤ year))])`.
pub type Curve = (String, String, String, Vec<(f64, f64)>);

/// Groups of consecutive samples for the batch-means standard error of a difference in medians.
pub const SE_GROUPS: u64 = 16;

/// One target × actor class in one scenario of a comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScenarioCell {
    /// Scenario (file stem).
    pub scenario: String,
    /// Quantiles of the affordability year (5, 25, 50, 75, 95%).
    pub year: [Option<f64>; 5],
    /// P(affordable by the horizon).
    pub p_by_horizon: f64,
    /// Median minus the first scenario's median, with its Monte Carlo standard error
    /// (`None` when either median is beyond the horizon).
    pub diff_vs_first: Option<(f64, f64)>,
}

/// A target × actor class present in every compared scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComparisonRow {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// One cell per scenario, in the order given.
    pub cells: Vec<ScenarioCell>,
}

/// Names present in some scenarios but not all: `(kind, name, scenarios that have it)`.
pub type Unmatched = Vec<(String, String, Vec<String>)>;

/// The names common to every list, in the first list's order, and those that are not.
pub fn match_names(kind: &str, lists: &[(String, Vec<String>)]) -> (Vec<String>, Unmatched) {
    let mut all: Vec<String> = Vec::new();
    for (_, names) in lists {
        for n in names {
            if !all.contains(n) {
                all.push(n.clone());
            }
        }
    }
    let mut common = Vec::new();
    let mut unmatched = Vec::new();
    for n in all {
        let having: Vec<String> = lists
            .iter()
            .filter(|(_, ns)| ns.contains(&n))
            .map(|(s, _)| s.clone())
            .collect();
        if having.len() == lists.len() {
            common.push(n);
        } else {
            unmatched.push((kind.to_string(), n, having));
        }
    }
    (common, unmatched)
}

/// The difference of medians between a scenario and the first, with its batch-means standard
/// error: with common random numbers the groups' differences `d_g` are paired, and the standard
/// error of the whole-sample difference is `sd(d_g) / √G`.
pub fn median_difference(
    first: (
        &crate::stats::TimeHistogram,
        &[&crate::stats::TimeHistogram],
    ),
    other: (
        &crate::stats::TimeHistogram,
        &[&crate::stats::TimeHistogram],
    ),
) -> Option<(f64, f64)> {
    let diff = other.0.quantile(0.5)? - first.0.quantile(0.5)?;
    let mut d = Vec::with_capacity(first.1.len());
    for (a, b) in first.1.iter().zip(other.1) {
        d.push(b.quantile(0.5)? - a.quantile(0.5)?);
    }
    let g = d.len() as f64;
    if g < 2.0 {
        return Some((diff, f64::NAN));
    }
    let mean = d.iter().sum::<f64>() / g;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (g - 1.0);
    Some((diff, (var / g).sqrt()))
}
