//! Finishing a closed tally into the reported statistics, one kind of result at a time.

use super::{SCORE_SCALE, Tally};
use crate::correlation::{pearson_to_spearman, spearman_to_pearson};
use crate::results::{
    ClassCostResult, CorrelationResult, FlooredSeries, PairResult, QUANTILE_LEVELS, RunResults,
    SeriesKind, SeriesResult, TimeQuantiles,
};
use crate::scenario::Scenario;
use std::cell::OnceCell;

/// Quantiles of one value series at each reporting year.
type SeriesQuantiles = Vec<Option<[f64; 5]>>;

impl Tally {
    /// The reported statistics (of a closed tally).
    pub fn finish(&self, scn: &Scenario) -> RunResults {
        debug_assert_eq!(self.batch.len(), 0, "close a tally before finishing it");
        debug_assert!(
            self.times_only.is_empty(),
            "close a tally before finishing it"
        );
        let n = self.samples;
        let (actor_counts, ranks) = match &self.population {
            Some(p) => p.finish(scn, n),
            None => (Vec::new(), Vec::new()),
        };
        // Each series' quantiles once: the breakdown's totals are the costs' series again, once
        // per class.
        let cache: Vec<OnceCell<SeriesQuantiles>> = vec![OnceCell::new(); self.layout.len()];
        let series = |s: usize| cache[s].get_or_init(|| self.series_quantiles(s)).clone();
        let (cost_components, dominant_components) = match &self.breakdown {
            Some(b) => b.finish(scn, |j, g| {
                series(if g == 0 {
                    self.layout.cost(j)
                } else {
                    self.layout.class_cost(j, g - 1)
                })
            }),
            None => (Vec::new(), Vec::new()),
        };
        let floored = if scn.per_year() {
            self.floored(scn)
        } else {
            Vec::new()
        };
        // Without per-year outputs the per-year histograms are empty: none is reported.
        let (trajectories, class_costs, cost_components) = if scn.per_year() {
            (
                self.trajectories(scn, &series),
                self.class_costs(scn, &series),
                cost_components,
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        RunResults {
            correlations: self.correlations(scn),
            samples: n,
            seed: scn.seed,
            start_year: scn.start_year,
            end_year: scn.end_year,
            years: self.years.clone(),
            affordability: self.affordability(scn),
            trajectories,
            class_costs,
            actor_counts,
            ranks,
            cost_components,
            dominant_components,
            floored,
        }
    }

    /// The value series whose lowest reported quantiles are upper bounds in some years
    /// ([`crate::stats::LogHistogram::floored`]), in the order of their histograms.
    fn floored(&self, scn: &Scenario) -> Vec<FlooredSeries> {
        let l = self.layout;
        let name = |s: usize| -> Option<String> {
            let kind = |k: SeriesKind| k.as_str().replace('_', " ");
            Some(if s < l.budget(0) {
                format!("cost of {}", scn.targets[s].name)
            } else if s < l.spend() {
                format!("budget of {}", scn.actors[s - l.budget(0)].name)
            } else if s == l.spend() {
                scn.investment.as_ref()?;
                kind(SeriesKind::FrontierSpend)
            } else if s == l.flop_per_dollar() {
                kind(SeriesKind::FlopPerDollar)
            } else if s == l.algorithms() {
                kind(SeriesKind::AlgorithmicEfficiency)
            } else {
                let (j, c) = (
                    (s - l.class_cost(0, 0)) / l.classes,
                    (s - l.class_cost(0, 0)) % l.classes,
                );
                format!(
                    "{}'s own cost of {}",
                    scn.actors[self.class_costs[c]].name, scn.targets[j].name
                )
            })
        };
        let n_years = self.years.len();
        let mut floored = Vec::new();
        for s in 0..l.len() {
            let hists = &self.values[s * n_years..(s + 1) * n_years];
            let levels: Vec<usize> = hists.iter().map(|h| h.floored(QUANTILE_LEVELS)).collect();
            let (Some(first), Some(last)) = (
                levels.iter().position(|&k| k > 0),
                levels.iter().rposition(|&k| k > 0),
            ) else {
                continue;
            };
            if let Some(series) = name(s) {
                floored.push(FlooredSeries {
                    series,
                    years: [self.years[first], self.years[last]],
                    levels: levels.iter().copied().max().unwrap_or(0),
                });
            }
        }
        floored
    }

    /// When each target becomes affordable to each actor class.
    fn affordability(&self, scn: &Scenario) -> Vec<PairResult> {
        let n = self.samples;
        let mut affordability = Vec::with_capacity(self.times.len());
        for (j, t) in scn.targets.iter().enumerate() {
            for (k, a) in scn.actors.iter().enumerate() {
                let i = j * self.n_actors + k;
                let h = &self.times[i];
                let quantiles: TimeQuantiles = QUANTILE_LEVELS.map(|p| h.quantile(p));
                let lag_quantiles = t
                    .frontier_year()
                    .map(|y| quantiles.map(|q| q.map(|tau| tau - y)));
                affordability.push(PairResult {
                    target: t.name.clone(),
                    actor: a.name.clone(),
                    frontier_year: t.frontier_year(),
                    p_by_year: self.by_year[i].cumulative_probabilities(n),
                    p_by_horizon: (n - h.never()) as f64 / n as f64,
                    p_never: h.never() as f64 / n as f64,
                    quantiles,
                    lag_quantiles,
                });
            }
        }
        affordability
    }

    /// The quantiles of value series `s` at each reporting year.
    fn series_quantiles(&self, s: usize) -> SeriesQuantiles {
        let n_years = self.years.len();
        self.values[s * n_years..(s + 1) * n_years]
            .iter()
            .map(|h| h.quantiles_ln(QUANTILE_LEVELS).map(|q| q.map(f64::exp)))
            .collect()
    }

    /// Costs, budgets, the frontier's spend, FLOP per dollar and algorithmic efficiency by year,
    /// `series(s)` being the quantiles of series `s`.
    fn trajectories(
        &self,
        scn: &Scenario,
        series: &dyn Fn(usize) -> SeriesQuantiles,
    ) -> Vec<SeriesResult> {
        let mut kinds: Vec<(SeriesKind, Option<String>)> = Vec::new();
        kinds.extend(
            scn.targets
                .iter()
                .map(|t| (SeriesKind::Cost, Some(t.name.clone()))),
        );
        kinds.extend(
            scn.actors
                .iter()
                .map(|a| (SeriesKind::Budget, Some(a.name.clone()))),
        );
        kinds.push((SeriesKind::FrontierSpend, None));
        kinds.push((SeriesKind::FlopPerDollar, None));
        kinds.push((SeriesKind::AlgorithmicEfficiency, None));
        kinds
            .into_iter()
            .enumerate()
            // Without [investment] the spend is a placeholder: leave it out.
            .filter(|(_, (kind, _))| *kind != SeriesKind::FrontierSpend || scn.investment.is_some())
            .map(|(s, (kind, name))| SeriesResult {
                kind,
                name,
                quantiles: series(s),
            })
            .collect()
    }

    /// The cost of each target to each class with a cost series of its own, by year,
    /// `series(s)` being the quantiles of series `s`.
    fn class_costs(
        &self,
        scn: &Scenario,
        series: &dyn Fn(usize) -> SeriesQuantiles,
    ) -> Vec<ClassCostResult> {
        let mut class_costs = Vec::new();
        for (j, t) in scn.targets.iter().enumerate() {
            for (c, &k) in self.class_costs.iter().enumerate() {
                class_costs.push(ClassCostResult {
                    target: t.name.clone(),
                    actor: scn.actors[k].name.clone(),
                    quantiles: series(self.layout.class_cost(j, c)),
                });
            }
        }
        class_costs
    }

    /// The rank correlations asked for and achieved.
    fn correlations(&self, scn: &Scenario) -> Vec<CorrelationResult> {
        let n = self.samples;
        scn.correlations
            .iter()
            .zip(&self.score_pairs)
            .map(|(p, (_, _, sum))| {
                // Scores are exactly standard normal, so their correlation is E[z_a z_b].
                let r = (*sum as f64 / SCORE_SCALE / n as f64).clamp(-1.0, 1.0);
                CorrelationResult {
                    between: [scn.inputs[p.a].name.clone(), scn.inputs[p.b].name.clone()],
                    rho_requested: p.rho,
                    pearson_of_scores: spearman_to_pearson(p.rho),
                    rho_achieved: pearson_to_spearman(r),
                }
            })
            .collect()
    }
}
