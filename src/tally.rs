//! The run's accumulators: every statistic of MODEL.md's "What a run reports", fed one sample at a
//! time, merged across threads, and finished into [`RunResults`].

use crate::breakdown::BreakdownTally;
use crate::correlation::{pearson_to_spearman, spearman_to_pearson};
use crate::model::{Budget, PathScratch, SampleModel};
use crate::population::PopulationTally;
use crate::results::{
    ClassCostResult, CorrelationResult, PairResult, QUANTILE_LEVELS, RunResults, SeriesKind,
    SeriesResult, TimeQuantiles,
};
use crate::scenario::Scenario;
use crate::stats::{LogHistogram, TimeHistogram, YearCounts};

/// Samples buffered before they are fed to the value histograms. Feeding one histogram a whole
/// batch at a time keeps its bins in cache; feeding every histogram one value per sample (576
/// histograms for the baseline) misses the cache on nearly every insert. 32 measured fastest:
/// 64 and more push the buffer (values × batch × 8 bytes) out of the L2 cache.
const VALUE_BATCH: usize = 32;

/// Fixed-point scale of score products (2³²).
const SCORE_SCALE: f64 = 4_294_967_296.0;

/// Accumulators for one run (or one thread's share of it).
#[derive(Debug, Clone)]
pub struct Tally {
    years: Vec<f64>,
    n_actors: usize,
    /// Per target × actor class, target-major.
    times: Vec<TimeHistogram>,
    by_year: Vec<YearCounts>,
    /// Per series × reporting year, series-major; series are every target's cost, every actor's
    /// budget, then frontier spend, FLOP per dollar and algorithmic efficiency, then the own
    /// cost of every target for every class in `class_costs` (target-major).
    values: Vec<LogHistogram>,
    /// Classes whose costs differ from the frontier's (their access terms), in order.
    class_costs: Vec<usize>,
    /// Actors within classes: counts and ranks, when the scenario asks for them.
    population: Option<PopulationTally>,
    /// Costs beyond compute, when the scenario has any.
    breakdown: Option<BreakdownTally>,
    paths: PathScratch,
    samples: u64,
    /// Per requested correlation: the input pair and Σ z_a·z_b of their normal scores, in fixed
    /// point (2⁻³² units) so that sums merge exactly in any order.
    score_pairs: Vec<(usize, usize, i128)>,
    /// `VALUE_BATCH` log-values per value histogram, not yet inserted (NaN: nothing to insert).
    pending: Vec<f64>,
    /// Samples in `pending`.
    n_pending: usize,
    /// Per-sample scratch: a path's values at every reporting year.
    row: Vec<f64>,
    progress: Vec<f64>,
    /// A sizing pilot ([`Tally::sizing`]): per value histogram, the lowest and highest
    /// log-value seen, in place of the histograms (which stay empty).
    sizing: Option<Vec<(f64, f64)>>,
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
        let class_costs = scn.class_cost_actors();
        let n_series = scn.targets.len() * (1 + class_costs.len()) + scn.actors.len() + 3;
        let n_values = n_series * scn.report_years.len();
        Self {
            years: scn.report_years.clone(),
            n_actors: scn.actors.len(),
            times,
            by_year: vec![YearCounts::new(scn.report_years.len()); n_pairs],
            values: vec![LogHistogram::default(); n_values],
            class_costs,
            population: PopulationTally::new(scn),
            breakdown: BreakdownTally::new(scn),
            paths: PathScratch::default(),
            samples: 0,
            score_pairs: scn.correlations.iter().map(|p| (p.a, p.b, 0)).collect(),
            pending: vec![f64::NAN; n_values * VALUE_BATCH],
            n_pending: 0,
            row: vec![0.0; scn.report_years.len()],
            progress: vec![0.0; scn.report_years.len()],
            sizing: None,
        }
    }

    /// Accumulators that only measure: fed a few samples like any tally, they record the range
    /// of every value histogram instead of filling it, so that [`Tally::predicted_bytes`] can
    /// say what a real tally would take without taking it.
    pub fn sizing(scn: &Scenario) -> Self {
        let mut t = Self::new(scn);
        t.sizing = Some(vec![(f64::INFINITY, f64::NEG_INFINITY); t.values.len()]);
        t
    }

    /// Memory held, in bytes: every accumulator and the buffers.
    pub fn heap_bytes(&self) -> usize {
        self.fixed_bytes()
            + self
                .values
                .iter()
                .map(LogHistogram::heap_bytes)
                .sum::<usize>()
    }

    /// Of a closed sizing tally: the memory a tally whose value histograms span `widen` times
    /// the ranges seen (more samples reach further into the tails) would take, in bytes.
    pub fn predicted_bytes(&self, widen: f64) -> usize {
        let ranges = self.sizing.as_deref().unwrap_or_default();
        self.fixed_bytes()
            + ranges
                .iter()
                .map(|&(lo, hi)| {
                    let (mid, half) = (0.5 * (lo + hi), 0.5 * widen * (hi - lo));
                    LogHistogram::bytes_for_range(mid - half, mid + half)
                })
                .sum::<usize>()
    }

    /// Memory of everything but the value histograms.
    fn fixed_bytes(&self) -> usize {
        use std::mem::size_of_val;
        self.times
            .iter()
            .map(TimeHistogram::heap_bytes)
            .sum::<usize>()
            + self
                .by_year
                .iter()
                .map(YearCounts::heap_bytes)
                .sum::<usize>()
            + size_of_val(&self.values[..])
            + size_of_val(&self.pending[..])
            + self
                .population
                .as_ref()
                .map_or(0, PopulationTally::heap_bytes)
            + self
                .breakdown
                .as_ref()
                .map_or(0, BreakdownTally::heap_bytes)
    }

    /// Records one sample: its model, its affordability times (target-major) and, with a
    /// population, every actor's times.
    pub fn record(&mut self, m: &SampleModel, taus: &[f64], actor_taus: &[f64]) {
        self.samples += 1;
        if let Some(p) = &mut self.population {
            p.record(actor_taus);
        }
        for ((h, c), &tau) in self.times.iter_mut().zip(&mut self.by_year).zip(taus) {
            h.insert(tau);
            c.insert(&self.years, tau);
        }
        let n_years = self.years.len();
        let b = self.n_pending;
        // Series s, year i goes to pending[(s · n_years + i) · VALUE_BATCH + b].
        let put = |pending: &mut [f64], series: usize, values: &[f64]| {
            for (i, v) in values.iter().enumerate() {
                pending[(series * n_years + i) * VALUE_BATCH + b] = *v;
            }
        };
        let n_targets = m.targets.len();
        let shared = n_targets + m.budgets.len();
        // ln P + ln A at every year, and each process on its own.
        m.hardware.values_at(&self.years, &mut self.row);
        put(&mut self.pending, shared + 1, &self.row);
        self.progress.copy_from_slice(&self.row);
        m.algorithms.values_at(&self.years, &mut self.row);
        put(&mut self.pending, shared + 2, &self.row);
        for (p, a) in self.progress.iter_mut().zip(&self.row) {
            *p += a;
        }
        m.investment.values_at(&self.years, &mut self.row);
        put(&mut self.pending, shared, &self.row);
        for (k, budget) in m.budgets.iter().enumerate() {
            match budget {
                Budget::Frontier { ln_fraction } => {
                    // f · m · S(t): the investment values are still in `row`.
                    for (i, s) in self.row.iter().enumerate() {
                        self.pending[((n_targets + k) * n_years + i) * VALUE_BATCH + b] =
                            m.ln_overhead + ln_fraction + s;
                    }
                }
                Budget::Own(_) => {}
            }
        }
        for (k, budget) in m.budgets.iter().enumerate() {
            if let Budget::Own(path) = budget {
                path.values_at(&self.years, &mut self.row);
                put(&mut self.pending, n_targets + k, &self.row);
            }
        }
        if self.breakdown.is_some() {
            // Every cost is the sum of its components: the breakdown feeds the cost series.
            if self.breakdown.as_ref().is_some_and(BreakdownTally::full) {
                self.flush_breakdown();
            }
            if let Some(bd) = &mut self.breakdown {
                bd.record(m, taus);
            }
            self.n_pending += 1;
            if self.n_pending == VALUE_BATCH {
                self.flush();
            }
            return;
        }
        for (j, t) in m.targets.iter().enumerate() {
            let from = m.available_from(t);
            let base = m.ln_overhead + m.ln_effective_flop(t);
            for (i, (y, p)) in self.years.iter().zip(&self.progress).enumerate() {
                let v = if *y >= from { base - p } else { f64::NAN };
                self.pending[(j * n_years + i) * VALUE_BATCH + b] = v;
            }
        }
        // Each access class's own cost: ln m + ln E + ln(price · compute) − its own progress.
        let first_class_series = shared + 3;
        let n_class = self.class_costs.len();
        for (c, &k) in self.class_costs.iter().enumerate() {
            if m.shares_progress(k) {
                self.row.copy_from_slice(&self.progress);
            } else {
                m.class_progress(k, &self.years, &mut self.row, &mut self.paths);
            }
            for (j, t) in m.targets.iter().enumerate() {
                let from = m.available_from(t);
                let base = m.ln_overhead + m.ln_effective_flop(t) + m.access[k].ln_multiplier;
                let series = first_class_series + j * n_class + c;
                for (i, (y, p)) in self.years.iter().zip(&self.row).enumerate() {
                    let v = if *y >= from { base - p } else { f64::NAN };
                    self.pending[(series * n_years + i) * VALUE_BATCH + b] = v;
                }
            }
        }
        self.n_pending += 1;
        if self.n_pending == VALUE_BATCH {
            self.flush();
        }
    }

    /// Feeds the breakdown's stashed samples to its histograms and to the cost series.
    fn flush_breakdown(&mut self) {
        let Some(bd) = &mut self.breakdown else {
            return;
        };
        let n_years = self.years.len();
        let (n_targets, n_class) = (self.times.len() / self.n_actors, self.class_costs.len());
        let first_class_series = n_targets + self.n_actors + 3;
        let (values, sizing) = (&mut self.values, &mut self.sizing);
        bd.flush(|g, j, i, ln_costs| {
            let series = if g == 0 {
                j
            } else {
                first_class_series + j * n_class + g - 1
            };
            let k = series * n_years + i;
            match sizing {
                Some(ranges) => widen(&mut ranges[k], ln_costs),
                None => values[k].insert_ln_batch(ln_costs),
            }
        });
    }

    /// Records the normal scores of one sample's inputs, for the achieved correlations.
    #[inline]
    pub fn record_scores(&mut self, scores: &[f64]) {
        for (a, b, sum) in &mut self.score_pairs {
            *sum += (scores[*a] * scores[*b] * SCORE_SCALE).round() as i128;
        }
    }

    /// Feeds the buffered values to the histograms.
    fn flush(&mut self) {
        let n = self.n_pending;
        if let Some(ranges) = &mut self.sizing {
            for (r, chunk) in ranges
                .iter_mut()
                .zip(self.pending.chunks_exact(VALUE_BATCH))
            {
                if n > 0 && !chunk[0].is_nan() {
                    widen(r, &chunk[..n]);
                }
            }
            self.n_pending = 0;
            return;
        }
        for (h, chunk) in self
            .values
            .iter_mut()
            .zip(self.pending.chunks_exact(VALUE_BATCH))
        {
            // A row is all NaN where its series does not exist (a frontier target before its year).
            if n > 0 && !chunk[0].is_nan() {
                h.insert_ln_batch(&chunk[..n]);
            }
        }
        self.n_pending = 0;
    }

    /// Adds another tally of the same scenario.
    pub fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.score_pairs.iter_mut().zip(&other.score_pairs) {
            mine.2 += theirs.2;
        }
        self.flush();
        self.flush_breakdown();
        debug_assert_eq!(other.n_pending, 0, "flush a tally before merging it");
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
        if let (Some(a), Some(b)) = (&mut self.population, &other.population) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (&mut self.breakdown, &other.breakdown) {
            a.merge(b);
        }
    }

    /// The affordability-time histogram of target × actor `pair` (target-major).
    pub fn time_histogram(&self, pair: usize) -> &TimeHistogram {
        &self.times[pair]
    }

    /// P(C(y) ≤ exp(ln_b)) for target `target` at reporting year `year` (among samples where the
    /// target exists), from the cost histogram; `None` before a frontier target exists.
    pub fn cost_fraction_at_most(&self, target: usize, year: usize, ln_b: f64) -> Option<f64> {
        self.values[target * self.years.len() + year].fraction_at_most_ln(ln_b)
    }

    /// Number of samples recorded.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Feeds any buffered values to the histograms; call before merging this tally elsewhere.
    pub fn close(&mut self) {
        self.flush();
        self.flush_breakdown();
    }

    /// The reported statistics (of a closed tally).
    pub fn finish(&self, scn: &Scenario) -> RunResults {
        debug_assert_eq!(self.n_pending, 0, "close a tally before finishing it");
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
        let quantiles = |s: usize| -> Vec<Option<[f64; 5]>> {
            self.values[s * n_years..(s + 1) * n_years]
                .iter()
                .map(|h| {
                    if h.count() == 0 {
                        None
                    } else {
                        Some(QUANTILE_LEVELS.map(|p| h.quantile(p).expect("non-empty")))
                    }
                })
                .collect()
        };
        let n_shared = kinds.len();
        let trajectories = kinds
            .into_iter()
            .enumerate()
            // Without [investment] the spend is a placeholder: leave it out.
            .filter(|(_, (kind, _))| *kind != SeriesKind::FrontierSpend || scn.investment.is_some())
            .map(|(s, (kind, name))| SeriesResult {
                kind,
                name,
                quantiles: quantiles(s),
            })
            .collect();
        let n_class = self.class_costs.len();
        let mut class_costs = Vec::new();
        for (j, t) in scn.targets.iter().enumerate() {
            for (c, &k) in self.class_costs.iter().enumerate() {
                class_costs.push(ClassCostResult {
                    target: t.name.clone(),
                    actor: scn.actors[k].name.clone(),
                    quantiles: quantiles(n_shared + j * n_class + c),
                });
            }
        }
        let (actor_counts, ranks) = match &self.population {
            Some(p) => p.finish(scn, n),
            None => (Vec::new(), Vec::new()),
        };
        let (cost_components, dominant_components) = match &self.breakdown {
            Some(b) => b.finish(scn, |j, g| {
                quantiles(if g == 0 {
                    j
                } else {
                    n_shared + j * n_class + g - 1
                })
            }),
            None => (Vec::new(), Vec::new()),
        };
        let correlations = scn
            .correlations
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
            .collect();
        RunResults {
            correlations,
            samples: n,
            seed: scn.seed,
            start_year: scn.start_year,
            end_year: scn.end_year,
            years: self.years.clone(),
            affordability,
            trajectories,
            class_costs,
            actor_counts,
            ranks,
            cost_components,
            dominant_components,
        }
    }
}

/// Widens `range` to cover the finite values of `values`.
fn widen(range: &mut (f64, f64), values: &[f64]) {
    for &v in values.iter().filter(|v| v.is_finite()) {
        range.0 = range.0.min(v);
        range.1 = range.1.max(v);
    }
}
