//! The run's accumulators: every statistic of MODEL.md's "What a run reports", fed one sample at a
//! time, merged across threads, and finished into [`RunResults`].

use crate::breakdown::{BreakdownState, BreakdownTally};
use crate::model::{QUAD, QuadModel, SampleModel};
use crate::population::{PopulationState, PopulationTally};
use crate::scenario::Scenario;
use crate::stats::{
    Formula, LnColumns, LogHistogram, Strided, TimeHistogram, YearCounts, YearIndex, YearTable,
    same_lengths, same_shapes,
};
use crate::vecmath::{max, min};

mod batch;
mod finish;

use batch::{Batch, Layout, Sink};

/// Samples held in columns before they are fed to the accumulators: each value histogram then
/// takes this many values at once, so its bins are read from memory once per batch rather than
/// once per value.
const BATCH_SAMPLES: usize = 1024;

/// The batch of a run with more value histograms than [`MANY_HISTOGRAMS`], whose histograms
/// outgrow the cache, each read from memory once per batch. Against a batch of 1,024, the time
/// it took: 0.82 at 30 classes × 30 targets × 100 years (6,300 histograms), 0.87 at 7 × 3 × 100
/// (1,300), 0.94 at 28 × 3 × 36 (1,224). Below, it saves nothing (bench-v1's 468: 1.00) and
/// takes memory.
const LARGE_BATCH_SAMPLES: usize = 4096;

/// See [`LARGE_BATCH_SAMPLES`].
const MANY_HISTOGRAMS: usize = 1024;

/// The batch of a run with more value histograms than [`VERY_MANY_HISTOGRAMS`], whose bins
/// (tens of megabytes) outgrow even the shared cache: read from memory a quarter as often as
/// in a batch of [`LARGE_BATCH_SAMPLES`]. Its times are still counted [`TIMES_CHUNK`] samples
/// at a time. With both, against batches of 4,096 holding all their times (session 27, one
/// thread, 131,072 samples): 0.90 of the time at 30 × 30 × 100, 6,300 histograms (0.86–0.92,
/// 16 pairs); batches of 8,192 took 0.91, of 32,768 0.98. At 1,224 histograms (28 × 3 × 36)
/// batches of 16,384 took 1.06, so runs of up to 4,096 histograms keep batches of 4,096.
const HUGE_BATCH_SAMPLES: usize = 16384;

/// See [`HUGE_BATCH_SAMPLES`].
const VERY_MANY_HISTOGRAMS: usize = 4096;

/// Samples whose affordability times a batch holds before they are counted, whatever the
/// batch's size: 8 bytes a (target, class) pair and sample, 7.4 MB at 900 pairs, rather than
/// a whole batch's (29 MB at 4,096 samples). At 30 × 30 × 100, counting the times of a batch
/// of 4,096 in four parts took 0.96 (0.95–0.98) and 1.00 (0.93–1.05) of the time in two sets
/// of rounds, and its peak memory went from 127 to 106 MiB; it is what lets a batch grow to
/// [`HUGE_BATCH_SAMPLES`]. With those, parts of 256 or 512 took as long as parts of 1,024, and
/// parts of 2,048 longer.
const TIMES_CHUNK: usize = 1024;

/// Reporting years a large or huge batch works out together: each series' columns (32 KiB
/// apiece at 4,096 samples, 128 KiB at 16,384) are then read once for four years rather than
/// once a year, since those of a year no longer fit in the cache. Against one year at a time, at 30 classes × 30 targets ×
/// 100 years: L2 misses a sample in callgrind's simulated caches 931 against 1,982, and the
/// least CPU time of 12 runs 0.92 to 0.97 in three sets; at 7 × 3 × 100, 0.98. Eight years
/// miss less still (774) and saved no more time. In batches of 16,384 at the corner, blocks of
/// two and of eight years took as long as four (session 27). A small batch's columns fit: one
/// year at a time, as before.
const LARGE_BATCH_YEAR_BLOCK: usize = 4;

/// Which of [`Tally`]'s records of a visiting order a batch's [`Feed`] keeps.
const BATCH_FEED: usize = 0;

/// Which of [`Tally`]'s records of a visiting order a flush of the cost breakdown keeps.
const BREAKDOWN_FEED: usize = 1;

/// Fixed-point scale of score products (2³²).
const SCORE_SCALE: f64 = 4_294_967_296.0;

/// Accumulators for one run (or one thread's share of it).
#[derive(Debug, Clone)]
pub struct Tally {
    years: Vec<f64>,
    year_index: YearIndex,
    /// Per target: the year index of most times by their time bin.
    year_tables: Vec<YearTable>,
    n_actors: usize,
    /// Per target × actor class, target-major.
    times: Vec<TimeHistogram>,
    by_year: Vec<YearCounts>,
    /// Per series × reporting year, series-major, in the order of [`Layout`].
    values: Vec<LogHistogram>,
    layout: Layout,
    /// Classes whose costs differ from the frontier's (their access terms), in order.
    class_costs: Vec<usize>,
    /// Actors within classes: counts and ranks, when the scenario asks for them.
    population: Option<PopulationTally>,
    /// Costs beyond compute, when the scenario has any.
    breakdown: Option<BreakdownTally>,
    samples: u64,
    /// Per requested correlation: the input pair and Σ z_a·z_b of their normal scores, in fixed
    /// point (2⁻³² units) so that sums merge exactly in any order.
    score_pairs: Vec<(usize, usize, i128)>,
    /// Samples not yet fed to the accumulators.
    batch: Batch,
    /// The affordability times of samples past `trajectory_samples` not yet counted, sample-major
    /// (target-major within a sample): counted a batch at a time, like the batch's own.
    times_only: Vec<f64>,
    /// Samples with an index below this feed the per-year histograms (`trajectory_samples`).
    per_year_samples: u64,
    /// A sizing pilot ([`Tally::sizing`]): per value histogram, the lowest and highest
    /// log-value seen, in place of the histograms (which stay empty).
    sizing: Option<Vec<(f64, f64)>>,
    /// Whether to ask the CPU for each histogram's bins while counting into the one before it
    /// ([`TimeHistogram::prefetch`], [`LogHistogram::prefetch`]): in runs of more than
    /// [`MANY_HISTOGRAMS`], whose histograms are read from memory rather than the cache.
    prefetch: bool,
    /// With `prefetch`, the value histograms in the order a batch counts into them
    /// ([`BATCH_FEED`]), and in the order a flush of the cost breakdown does
    /// ([`BREAKDOWN_FEED`]); each with room for every histogram ([`Feed`]).
    visits: [Vec<usize>; 2],
}

/// What a tally has counted, without what its scenario gives it: what a shard writes to its
/// partial file and a merge reads back (see [`crate::shard`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TallyState {
    samples: u64,
    times: Vec<TimeHistogram>,
    by_year: Vec<YearCounts>,
    values: Vec<LogHistogram>,
    scores: Vec<i128>,
    population: Option<PopulationState>,
    breakdown: Option<BreakdownState>,
}

impl Tally {
    /// What it has counted (it is closed first).
    pub fn state(&mut self) -> TallyState {
        self.close();
        TallyState {
            samples: self.samples,
            times: self.times.clone(),
            by_year: self.by_year.clone(),
            values: self.values.clone(),
            scores: self.score_pairs.iter().map(|p| p.2).collect(),
            population: self.population.as_ref().map(PopulationTally::state),
            breakdown: self.breakdown.as_ref().map(BreakdownTally::state),
        }
    }

    /// A tally of `scn` holding the counts of `state`; an error says how `state` does not fit
    /// the scenario's shape.
    pub fn from_state(scn: &Scenario, state: TallyState) -> Result<Self, String> {
        let mut t = Self::new(scn);
        let shaped = same_shapes(&state.times, &t.times)
            && same_lengths(&state.by_year, &t.by_year)
            && state.values.len() == t.values.len()
            && state.scores.len() == t.score_pairs.len();
        if !shaped {
            return Err("its targets, actor classes, reporting years or correlations do not match the scenario's".into());
        }
        if !state.values.iter().all(LogHistogram::is_consistent) {
            return Err("a histogram in it is corrupt".into());
        }
        match (&mut t.population, state.population) {
            (Some(p), Some(s)) => p.restore(s)?,
            (None, None) => {}
            _ => return Err("its actors within classes do not match the scenario's".into()),
        }
        match (&mut t.breakdown, state.breakdown) {
            (Some(b), Some(s)) => b.restore(s)?,
            (None, None) => {}
            _ => return Err("its costs beyond compute do not match the scenario's".into()),
        }
        t.samples = state.samples;
        t.times = state.times;
        t.by_year = state.by_year;
        t.values = state.values;
        for (pair, sum) in t.score_pairs.iter_mut().zip(state.scores) {
            pair.2 = sum;
        }
        Ok(t)
    }

    /// Empty accumulators shaped for `scn`.
    pub fn new(scn: &Scenario) -> Self {
        let n_pairs = scn.targets.len() * scn.actors.len();
        let mut times = Vec::with_capacity(n_pairs);
        for t in &scn.targets {
            let origin = t.frontier_year().unwrap_or(scn.start_year);
            times.extend((0..scn.actors.len()).map(|_| TimeHistogram::new(origin, scn.end_year)));
        }
        let year_index = YearIndex::new(&scn.report_years);
        let year_tables = (times.iter().step_by(scn.actors.len().max(1)))
            .map(|h| YearTable::new(&year_index, h))
            .collect();
        let class_costs = scn.class_cost_actors();
        let layout = Layout {
            targets: scn.targets.len(),
            actors: scn.actors.len(),
            classes: class_costs.len(),
        };
        let n_values = layout.len() * scn.report_years.len();
        // Histograms that outgrow the cache: larger batches, and prefetching.
        let many = n_values > MANY_HISTOGRAMS;
        let breakdown = BreakdownTally::new(scn);
        Self {
            years: scn.report_years.clone(),
            year_index,
            year_tables,
            n_actors: scn.actors.len(),
            times,
            by_year: vec![YearCounts::new(scn.report_years.len()); n_pairs],
            values: vec![LogHistogram::default(); n_values],
            layout,
            population: PopulationTally::new(scn),
            batch: {
                let (capacity, year_block) = if n_values > VERY_MANY_HISTOGRAMS {
                    (HUGE_BATCH_SAMPLES, LARGE_BATCH_YEAR_BLOCK)
                } else if many {
                    (LARGE_BATCH_SAMPLES, LARGE_BATCH_YEAR_BLOCK)
                } else {
                    (BATCH_SAMPLES, 1)
                };
                Batch::new(
                    // No more than feed the per-year outputs.
                    capacity.min(scn.per_year_batch_limit()),
                    TIMES_CHUNK,
                    year_block,
                    layout,
                    class_costs.clone(),
                    breakdown.is_none(),
                )
            },
            // Only a run with samples past `trajectory_samples` holds their times.
            times_only: Vec::with_capacity(if scn.per_year_samples() < scn.samples {
                BATCH_SAMPLES * n_pairs
            } else {
                0
            }),
            class_costs,
            breakdown,
            samples: 0,
            score_pairs: scn.correlations.iter().map(|p| (p.a, p.b, 0)).collect(),
            per_year_samples: scn.per_year_samples(),
            sizing: None,
            prefetch: many,
            visits: std::array::from_fn(|_| Vec::with_capacity(if many { n_values } else { 0 })),
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

    /// Of a closed sizing tally: the memory a tally whose value histograms (and cost-breakdown
    /// histograms) span `widen` times the ranges seen (more samples reach further into the tails) would take, in bytes.
    pub fn predicted_bytes(&self, widen: f64) -> usize {
        let ranges = self.sizing.as_deref().unwrap_or_default();
        // The breakdown's histograms are filled by the pilot: widened like the ranges.
        let breakdown = self.breakdown.as_ref().map_or(0, |b| {
            b.predicted_bytes(widen) as isize - b.heap_bytes() as isize
        });
        (self.fixed_bytes() as isize + breakdown) as usize
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
            + 8 * self.visits.iter().map(Vec::capacity).sum::<usize>()
            + self.batch.heap_bytes()
            + 8 * self.times_only.capacity()
            + self
                .population
                .as_ref()
                .map_or(0, PopulationTally::heap_bytes)
            + self
                .breakdown
                .as_ref()
                .map_or(0, BreakdownTally::heap_bytes)
    }

    /// Records sample `i`: its model, its affordability times (target-major), each target's
    /// `ln m + ln E` as the solver found them ([`crate::model::CrossingSolver::ln_bases`]) and,
    /// with a population, every actor's times. Only samples below the scenario's
    /// `trajectory_samples` feed the per-year histograms.
    pub fn record(
        &mut self,
        i: u64,
        m: &SampleModel,
        taus: &[f64],
        ln_bases: &[f64],
        actor_taus: &[f64],
    ) {
        self.samples += 1;
        if let Some(p) = &mut self.population {
            p.record(actor_taus);
        }
        if i >= self.per_year_samples {
            // Its times only, counted with the next batch of them.
            if self.sizing.is_none() {
                self.times_only.extend_from_slice(taus);
                if self.times_only.len() == self.times_only_capacity() {
                    self.flush_times_only();
                }
            }
            if let Some(bd) = &mut self.breakdown {
                bd.count_dominant(m, taus);
            }
            return;
        }
        if self.breakdown.as_ref().is_some_and(BreakdownTally::full) {
            self.flush_breakdown();
        }
        if let Some(bd) = &mut self.breakdown {
            // Every cost is the sum of its components: the breakdown feeds the cost series.
            bd.record(m, taus);
        }
        self.batch.push(m, taus, ln_bases);
        if self.batch.times_full() {
            self.flush_times();
        }
        if self.batch.is_full() {
            self.flush();
        }
    }

    /// Records samples `i` to `i + 3`, solved together ([`crate::model::QuadSolver`], whose
    /// numbers of them are `q`, with their times `taus`), as four calls of [`Tally::record`]
    /// would. False, recording nothing, when they must be recorded one by one instead: with
    /// actors within classes or costs beyond compute, across the end of the per-year
    /// samples, or when the batch cannot take four at once (`Batch::push_quad`).
    pub fn record_quad(&mut self, i: u64, q: &QuadModel, taus: [&[f64]; QUAD]) -> bool {
        let plain = self.population.is_none()
            && self.breakdown.is_none()
            && i + QUAD as u64 <= self.per_year_samples;
        if !(plain && self.batch.push_quad(q, taus)) {
            return false;
        }
        self.samples += QUAD as u64;
        if self.batch.times_full() {
            self.flush_times();
        }
        if self.batch.is_full() {
            self.flush();
        }
        true
    }

    /// Feeds the breakdown's stashed samples to its histograms and to the cost series.
    fn flush_breakdown(&mut self) {
        let Some(bd) = &mut self.breakdown else {
            return;
        };
        let layout = self.layout;
        let mut feed = Feed {
            n_years: self.years.len(),
            values: &mut self.values,
            sizing: self.sizing.as_deref_mut(),
            visits: self.prefetch.then_some(&mut self.visits[BREAKDOWN_FEED]),
            at: 0,
        };
        bd.flush(|g, j, i, ln_costs| {
            let series = if g == 0 {
                layout.cost(j)
            } else {
                layout.class_cost(j, g - 1)
            };
            feed.take(series, i, LnColumns::held(ln_costs));
        });
    }

    /// Records the normal scores of one sample's inputs, for the achieved correlations.
    #[inline]
    pub fn record_scores(&mut self, scores: &[f64]) {
        for (a, b, sum) in &mut self.score_pairs {
            *sum += (scores[*a] * scores[*b] * SCORE_SCALE).round() as i128;
        }
    }

    /// The times [`Tally::times_only`] holds when full: [`BATCH_SAMPLES`] samples' worth.
    fn times_only_capacity(&self) -> usize {
        BATCH_SAMPLES * self.times.len()
    }

    /// Counts the held times of samples past `trajectory_samples`.
    fn flush_times_only(&mut self) {
        let pairs = self.times.len();
        if self.times_only.is_empty() || pairs == 0 {
            return;
        }
        let (held, n) = (&self.times_only, self.times_only.len() / pairs);
        count_times(
            (&mut self.times, &mut self.by_year),
            (&self.year_tables, &self.year_index, self.n_actors),
            self.prefetch,
            |pair| Strided::new(&held[pair..], pairs, n),
        );
        self.times_only.clear();
    }

    /// Counts the batch's held times.
    fn flush_times(&mut self) {
        if self.sizing.is_none() && self.batch.times_len() > 0 {
            let batch = &self.batch;
            count_times(
                (&mut self.times, &mut self.by_year),
                (&self.year_tables, &self.year_index, self.n_actors),
                self.prefetch,
                |pair| batch.taus(pair),
            );
        }
        self.batch.clear_times();
    }

    /// Feeds the batch to the accumulators.
    fn flush(&mut self) {
        if self.batch.len() == 0 {
            return;
        }
        self.flush_times();
        let mut feed = Feed {
            n_years: self.years.len(),
            values: &mut self.values,
            sizing: self.sizing.as_deref_mut(),
            visits: self.prefetch.then_some(&mut self.visits[BATCH_FEED]),
            at: 0,
        };
        self.batch.evaluate(&self.years, &mut feed);
        self.batch.clear();
    }

    /// Adds another tally of the same scenario.
    pub fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.score_pairs.iter_mut().zip(&other.score_pairs) {
            mine.2 += theirs.2;
        }
        self.close();
        debug_assert_eq!(other.batch.len(), 0, "flush a tally before merging it");
        debug_assert!(
            other.times_only.is_empty(),
            "flush a tally before merging it"
        );
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
        self.values[self.layout.cost(target) * self.years.len() + year].fraction_at_most_ln(ln_b)
    }

    /// Number of samples recorded.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Feeds any buffered values to the histograms; call before merging this tally elsewhere.
    pub fn close(&mut self) {
        self.flush();
        self.flush_times_only();
        self.flush_breakdown();
    }
}

/// Counts each (target, class) pair's times, `taus(pair)`, into its histogram and against the
/// reporting years: `times` and `by_year` target-major, with each target's year table; with
/// `prefetch`, asking for each pair's bins while counting the pair before.
fn count_times<'a>(
    (times, by_year): (&mut [TimeHistogram], &mut [YearCounts]),
    (tables, index, n_actors): (&[YearTable], &YearIndex, usize),
    prefetch: bool,
    taus: impl Fn(usize) -> Strided<'a>,
) {
    for pair in 0..times.len() {
        if let Some(next) = times.get(pair + 1).filter(|_| prefetch) {
            next.prefetch();
        }
        times[pair].insert_all(
            taus(pair),
            index,
            &tables[pair / n_actors],
            &mut by_year[pair],
        );
    }
}

/// Widens `range` to cover the finite values of `values`.
fn widen(range: &mut (f64, f64), values: impl Iterator<Item = f64>) {
    for v in values.filter(|v| v.is_finite()) {
        range.0 = min(range.0, v);
        range.1 = max(range.1, v);
    }
}

/// The value histograms (series-major, then reporting year) as a batch's [`Sink`]: each
/// (series, year)'s values counted in its histogram, or, in a sizing pilot, its range widened.
struct Feed<'a> {
    n_years: usize,
    values: &'a mut [LogHistogram],
    sizing: Option<&'a mut [(f64, f64)]>,
    /// With [`Tally::prefetch`]: the histograms in the order the last feed of its kind (a
    /// batch, or a flush of the cost breakdown) counted into them, the same order every time,
    /// rewritten as this one goes.
    visits: Option<&'a mut Vec<usize>>,
    /// The histograms counted into so far.
    at: usize,
}

impl Feed<'_> {
    /// With a record of the visiting order: prefetches the histogram that came after this
    /// one's place in the last feed of its kind, and records `k` in that place.
    #[inline(always)]
    fn visit(&mut self, k: usize) {
        let Some(visits) = &mut self.visits else {
            return;
        };
        if let Some(next) = visits.get(self.at + 1).and_then(|&n| self.values.get(n)) {
            next.prefetch();
        }
        match visits.get_mut(self.at) {
            Some(v) => *v = k,
            None => visits.push(k),
        }
        self.at += 1;
    }
}

/// A feed that counted into fewer histograms than the last leaves no stale tail to prefetch.
impl Drop for Feed<'_> {
    fn drop(&mut self) {
        if let Some(visits) = &mut self.visits {
            visits.truncate(self.at);
        }
    }
}

impl Sink for Feed<'_> {
    #[inline(always)]
    fn take<const K: usize, F: Formula<K>>(
        &mut self,
        series: usize,
        year: usize,
        values: LnColumns<'_, K, F>,
    ) {
        let k = series * self.n_years + year;
        match &mut self.sizing {
            Some(ranges) => widen(&mut ranges[k], values.iter()),
            None => {
                self.visit(k);
                self.values[k].insert_ln_columns(values)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Sampler, Scratch};
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The histograms a batch counts into, in order (`series · years + year`).
    struct Order(Vec<usize>, usize);

    impl Sink for Order {
        fn take<const K: usize, F: Formula<K>>(
            &mut self,
            series: usize,
            year: usize,
            _: LnColumns<'_, K, F>,
        ) {
            self.0.push(series * self.1 + year);
        }
    }

    /// A run of more than [`VERY_MANY_HISTOGRAMS`] value histograms takes batches of
    /// [`HUGE_BATCH_SAMPLES`], and counts its times every [`TIMES_CHUNK`] samples: three parts'
    /// worth of samples, solved four at a time, are all taken whole and all counted before the
    /// batch is full (were a full part left uncounted, the next four would be refused).
    #[test]
    fn a_huge_batch_counts_its_times_part_by_part() {
        use crate::model::{QUAD, QuadSolver};
        let bench = include_str!("../../scenarios/bench.toml");
        // bench-v1's 13 series over 321 reporting years: 4,173 value histograms.
        let text = bench.replace("end_year = 2060.0", "end_year = 2345.0");
        let scn = crate::scenario::from_str(Path::new("bench.toml"), &text).unwrap();
        let mut tally = Tally::new(&scn);
        assert!(
            tally.values.len() > VERY_MANY_HISTOGRAMS,
            "{}",
            tally.values.len()
        );
        assert_eq!(tally.batch.capacity(), HUGE_BATCH_SAMPLES);
        let sampler = Sampler::new(&scn, 3);
        let mut s: [Scratch; QUAD] = std::array::from_fn(|_| Scratch::new(&scn));
        let mut solver = QuadSolver::default();
        // The first four one by one: a batch takes its columns' kinds from its first sample.
        for i in 0..QUAD as u64 {
            let x = &mut s[0];
            sampler.sample(i, x);
            tally.record(i, &x.model, &x.taus, x.ln_bases(), &x.actor_taus);
        }
        let n = 3 * TIMES_CHUNK as u64;
        for i in (QUAD as u64..n).step_by(QUAD) {
            assert!(sampler.sample_four(i, &mut s, &mut solver), "samples {i}..");
            let [a, b, c, d] = s.each_ref();
            let taus = [&a.taus[..], &b.taus, &c.taus, &d.taus];
            assert!(tally.record_quad(i, solver.model(), taus), "samples {i}..");
        }
        assert_eq!(
            tally.batch.len(),
            n as usize,
            "the batch holds every sample"
        );
        assert_eq!(tally.batch.times_len(), 0, "and no time uncounted");
        assert!(tally.times.iter().all(|h| h.count() == n));
    }

    /// A run of many histograms with a cost breakdown keeps one record of the order a batch
    /// counts into the value histograms and another of the order a flush of the breakdown
    /// does (the next feed of each kind prefetches by its own): the batch's is the batch's
    /// order, the breakdown's holds every cost, each histogram once, and neither changes when
    /// the other kind of feed runs again.
    #[test]
    fn each_kind_of_feed_records_its_own_order() {
        let scn = crate::scenario::load(Path::new("scenarios/baseline.toml")).expect("baseline");
        let mut tally = Tally::new(&scn);
        assert!(tally.prefetch && tally.breakdown.is_some());
        let (sampler, mut s) = (Sampler::new(&scn, 3), Scratch::new(&scn));
        let mut logs = vec![];
        for round in 0..2 {
            for i in 8 * round..8 * round + 8 {
                sampler.sample(i, &mut s);
                tally.record(i, &s.model, &s.taus, s.ln_bases(), &s.actor_taus);
            }
            tally.close();
            logs.push(tally.visits.clone());
        }
        assert_eq!(logs[0], logs[1]);
        // The order of a batch like the tally's.
        let n_years = tally.years.len();
        let mut batch = Batch::new(
            8,
            8,
            LARGE_BATCH_YEAR_BLOCK,
            tally.layout,
            tally.class_costs.clone(),
            false,
        );
        for i in 0..8 {
            sampler.sample(i, &mut s);
            batch.push(&s.model, &s.taus, s.ln_bases());
        }
        let mut order = Order(Vec::new(), n_years);
        batch.evaluate(&tally.years, &mut order);
        assert!(!order.0.is_empty());
        assert_eq!(tally.visits[BATCH_FEED], order.0);
        let breakdown = &tally.visits[BREAKDOWN_FEED];
        let l = tally.layout;
        let costs = (0..l.targets)
            .chain((0..l.targets).flat_map(|j| (0..l.classes).map(move |c| l.class_cost(j, c))))
            .collect::<BTreeSet<_>>();
        let series = breakdown
            .iter()
            .map(|k| k / n_years)
            .collect::<BTreeSet<_>>();
        assert_eq!(series, costs);
        assert_eq!(
            breakdown.iter().collect::<BTreeSet<_>>().len(),
            breakdown.len()
        );
    }
}
