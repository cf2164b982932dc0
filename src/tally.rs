//! The run's accumulators: every statistic of MODEL.md's "What a run reports", fed one sample at a
//! time, merged across threads, and finished into [`RunResults`].

use crate::model::SampleModel;
use crate::results::{
    PairResult, QUANTILE_LEVELS, RunResults, SeriesKind, SeriesResult, TimeQuantiles,
};
use crate::scenario::Scenario;
use crate::stats::{LogHistogram, TimeHistogram, YearCounts};

/// Accumulators for one run (or one thread's share of it).
#[derive(Debug, Clone)]
pub struct Tally {
    years: Vec<f64>,
    n_actors: usize,
    /// Per target × actor class, target-major.
    times: Vec<TimeHistogram>,
    by_year: Vec<YearCounts>,
    /// Per series × reporting year, series-major; series are every target's cost, every actor's
    /// budget, then frontier spend, FLOP per dollar and algorithmic efficiency.
    values: Vec<LogHistogram>,
    samples: u64,
    /// Per-sample scratch: (first year, ln m + ln E) of each target.
    cost_base: Vec<(f64, f64)>,
}

impl Tally {
    /// Empty accumulators shaped for `scn`.
    pub fn new(scn: &Scenario) -> Self {
        let n_pairs = scn.targets.len() * scn.actors.len();
        let mut times = Vec::with_capacity(n_pairs);
        for t in &scn.targets {
            let origin = t.frontier_year().unwrap_or(scn.start_year);
            times.extend((0..scn.actors.len()).map(|_| TimeHistogram::new(origin, scn.end_year)));
        }
        let n_series = scn.targets.len() + scn.actors.len() + 3;
        Self {
            years: scn.report_years.clone(),
            n_actors: scn.actors.len(),
            times,
            by_year: vec![YearCounts::new(scn.report_years.len()); n_pairs],
            values: vec![LogHistogram::default(); n_series * scn.report_years.len()],
            samples: 0,
            cost_base: Vec::new(),
        }
    }

    /// Records one sample: its model and its affordability times (target-major).
    pub fn record(&mut self, m: &SampleModel, taus: &[f64]) {
        self.samples += 1;
        for ((h, c), &tau) in self.times.iter_mut().zip(&mut self.by_year).zip(taus) {
            h.insert(tau);
            c.insert(&self.years, tau);
        }
        let n_years = self.years.len();
        let n_targets = m.targets.len();
        // ln m + ln E and the year each target appears, once per sample rather than per year.
        self.cost_base.clear();
        self.cost_base.extend(
            m.targets
                .iter()
                .map(|t| (m.available_from(t), m.ln_overhead + m.ln_effective_flop(t))),
        );
        for (yi, &y) in self.years.iter().enumerate() {
            let hw = m.hardware.value(y);
            let alg = m.algorithms.value(y);
            let at = |s: usize| s * n_years + yi;
            for (j, &(from, base)) in self.cost_base.iter().enumerate() {
                if y >= from {
                    self.values[at(j)].insert_ln(base - hw - alg);
                }
            }
            for (k, b) in m.budgets.iter().enumerate() {
                self.values[at(n_targets + k)].insert_ln(m.ln_budget(b, y));
            }
            let shared = n_targets + m.budgets.len();
            self.values[at(shared)].insert_ln(m.investment.value(y));
            self.values[at(shared + 1)].insert_ln(hw);
            self.values[at(shared + 2)].insert_ln(alg);
        }
    }

    /// Adds another tally of the same scenario.
    pub fn merge(&mut self, other: &Self) {
        self.samples += other.samples;
        for (a, b) in self.times.iter_mut().zip(&other.times) {
            a.merge(b);
        }
        for (a, b) in self.by_year.iter_mut().zip(&other.by_year) {
            a.merge(b);
        }
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            a.merge(b);
        }
    }

    /// Number of samples recorded.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// The reported statistics.
    pub fn finish(&self, scn: &Scenario) -> RunResults {
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
        let n_years = self.years.len();
        let trajectories = kinds
            .into_iter()
            .enumerate()
            .map(|(s, (kind, name))| SeriesResult {
                kind,
                name,
                quantiles: self.values[s * n_years..(s + 1) * n_years]
                    .iter()
                    .map(|h| {
                        if h.count() == 0 {
                            None
                        } else {
                            Some(QUANTILE_LEVELS.map(|p| h.quantile(p).expect("non-empty")))
                        }
                    })
                    .collect(),
            })
            .collect();
        RunResults {
            samples: n,
            seed: scn.seed,
            start_year: scn.start_year,
            end_year: scn.end_year,
            years: self.years.clone(),
            affordability,
            trajectories,
        }
    }
}
