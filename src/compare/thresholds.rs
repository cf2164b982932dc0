//! Budget thresholds within one scenario: each threshold is a fixed budget that never grows,
//! added to the scenario as an extra actor class, so a threshold equal to a fixed actor budget
//! gives exactly that actor's results (the same solver on the same draws; the added classes have
//! no inputs, so no other input's stream changes).

use crate::format::format_dollars;
use crate::model::RateKind;
use crate::results::{RunResults, SeriesKind};
use crate::scenario::{Actor, ActorBudget, Process, Quantity, Regime, Scenario};
use crate::tally::Tally;

/// How many steps a log-spaced grid from `lo` to `hi` with `per_decade` points per decade takes
/// (at most `u32::MAX`).
pub fn log_grid_steps(lo: f64, hi: f64, per_decade: u32) -> u32 {
    (decades(lo, hi) * f64::from(per_decade)).round() as u32
}

/// Decades from `lo` to `hi` (both positive), also where `hi / lo` overflows.
fn decades(lo: f64, hi: f64) -> f64 {
    let ratio = hi / lo;
    if ratio.is_finite() {
        ratio.log10()
    } else {
        hi.log10() - lo.log10()
    }
}

/// The most budgets the heat map's grid ([`heatmap_grid`]) holds.
pub const MAX_HEATMAP_STEPS: u32 = 1000;

/// The span of [`heatmap_grid`] over `span` (sorted ascending): a decade beyond each end, within
/// the positive normal doubles.
pub fn heatmap_bounds(span: &[f64]) -> (f64, f64) {
    let lo = span.first().copied().unwrap_or(1e3) / 10.0;
    let hi = span.last().copied().unwrap_or(1e9) * 10.0;
    (lo.max(f64::MIN_POSITIVE), hi.min(f64::MAX))
}

/// Budgets from `lo` to about `hi`, `per_decade` per decade, rounded to 3 significant digits.
pub fn log_grid(lo: f64, hi: f64, per_decade: u32) -> Vec<f64> {
    let steps = log_grid_steps(lo, hi, per_decade);
    let mut out: Vec<f64> = (0..=steps)
        .map(|k| {
            let up = f64::from(k) / f64::from(per_decade);
            let v = lo * 10f64.powf(up);
            // Past 10^308 the factor alone overflows, however small `lo`.
            if v.is_finite() {
                v
            } else {
                10f64.powf(lo.log10() + up).min(f64::MAX)
            }
        })
        .map(round_budget)
        .collect();
    sort_dedup(&mut out);
    out
}

/// Rounds a budget to 3 significant digits, so grid budgets read as $1.78M rather than $1.7782…M.
fn round_budget(v: f64) -> f64 {
    // Near `f64::MAX` rounding up would overflow: kept as it is.
    format!("{v:.2e}")
        .parse()
        .ok()
        .filter(|r: &f64| r.is_finite())
        .unwrap_or(v)
}

/// Sorts budgets and drops repeats.
pub fn sort_dedup(v: &mut Vec<f64>) {
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
        // The thresholds added so far follow the scenario's classes, in order.
        let added = &out.actors[scn.actors.len()..];
        if let Some(other) = added
            .iter()
            .position(|a| a.name == name)
            .map(|i| thresholds[i])
        {
            return Err(format!(
                "the budgets {} and {} both read as {} (three significant digits), so their \
                 results could not be told apart; give budgets that differ within three digits",
                other,
                b,
                format_dollars(b)
            ));
        }
        if scn.actors.iter().any(|a| a.name == name) {
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
/// end ([`heatmap_bounds`]), `per_decade` points per decade (at least 4), fewer where that
/// would pass [`MAX_HEATMAP_STEPS`] (at least one a decade).
pub fn heatmap_grid(thresholds: &[f64], per_decade: u32) -> Vec<f64> {
    let (lo, hi) = heatmap_bounds(thresholds);
    log_grid(lo, hi, heatmap_per_decade(thresholds, per_decade))
}

/// The points a decade of [`heatmap_grid`] over `thresholds` when asked for `per_decade`.
pub fn heatmap_per_decade(thresholds: &[f64], per_decade: u32) -> u32 {
    let (lo, hi) = heatmap_bounds(thresholds);
    let fits = (f64::from(MAX_HEATMAP_STEPS) / decades(lo, hi)).floor() as u32;
    per_decade.max(4).min(fits).max(1)
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
    results: &RunResults,
    tally: &Tally,
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
    tally: &Tally,
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

/// The budgets the heatmap must span: the thresholds and every actor class's median budget at
/// the first reporting year (so each class can be marked on the budget axis).
pub fn grid_span(thresholds: &[f64], results: &RunResults) -> Vec<f64> {
    let mut span = thresholds.to_vec();
    for s in &results.trajectories {
        if s.kind == SeriesKind::Budget
            && !s.name.as_deref().unwrap_or("").starts_with("budget ")
            && let Some(Some(q)) = s.quantiles.first()
        {
            span.push(q[2]);
        }
    }
    span.sort_by(f64::total_cmp);
    span
}

/// The reporting years every `every` years from the first (and the last), as indices. `Err`
/// holds the reporting step when `every` is not a whole multiple of it.
pub fn probability_years(years: &[f64], every: f64) -> Result<Vec<usize>, f64> {
    // The regular step is the most common gap: extra `report_years` add a few other gaps.
    let mut gaps: Vec<f64> = years.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_by(f64::total_cmp);
    let step = gaps.get(gaps.len() / 2).copied().unwrap_or(every);
    let ratio = every / step;
    if (ratio - ratio.round()).abs() > 1e-6 || ratio.round() < 1.0 {
        return Err(step);
    }
    let mut out: Vec<usize> = (0..years.len())
        .filter(|&i| {
            let r = (years[i] - years[0]) / every;
            (r - r.round()).abs() < 1e-6
        })
        .collect();
    if out.last() != Some(&(years.len() - 1)) {
        out.push(years.len() - 1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_grids_stay_within_their_cap_whatever_the_span() {
        // 4 a decade over 2 + 2 decades beyond: as asked.
        assert_eq!(heatmap_per_decade(&[1e6], 4), 4);
        assert_eq!(heatmap_grid(&[1e6], 4).len(), 9);
        // 1e-300 to 1e9 and a decade beyond each: 311 decades, 3 a decade (933 steps).
        for span in [&[1e-300, 1e9][..], &[1e-307, 1e307], &[1e-320, 1.7e308]] {
            let grid = heatmap_grid(span, 4);
            assert!(
                grid.len() <= MAX_HEATMAP_STEPS as usize + 1,
                "{}",
                grid.len()
            );
            assert!(grid.iter().all(|b| b.is_finite() && *b > 0.0));
        }
        assert_eq!(heatmap_per_decade(&[1e-300, 1e9], 4), 3);
        // Past what a ratio of doubles holds.
        assert_eq!(log_grid_steps(1e-300, 1e300, 1), 600);
    }
}
