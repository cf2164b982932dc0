//! One batch of samples, held column by column until the accumulators take it whole, and the
//! affordability times of its latest samples until the tally counts them.

use crate::columns::PathColumns;
use crate::model::{Budget, QUAD, QuadModel, SampleModel, all_equal};
use crate::stats::{Formula, Lane, LnColumns, Strided};

/// One class's budgets over a batch.
#[derive(Debug, Clone)]
enum BudgetColumns {
    /// `ln f` of a budget that is a fraction `f` of the frontier's whole project.
    Frontier(Vec<f64>),
    /// Its own path, when that is one straight line in every sample
    /// ([`crate::model::LogPath::line`]): each sample's start, `ln B` there and rate, and
    /// whether every sample held starts where the first does (the scenario's start year, in
    /// practice), so that `t − start` is worked out once a year rather than once a sample.
    Line {
        start: Vec<f64>,
        x0: Vec<f64>,
        rate: Vec<f64>,
        one_start: bool,
    },
    /// Its own path.
    Own(PathColumns),
}

/// The series of a tally, in the order of its value histograms (series-major, then reporting
/// year): every target's cost, every class's budget, the frontier's spend, FLOP per dollar and
/// algorithmic efficiency, then each access class's own cost of every target (target-major).
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    pub targets: usize,
    pub actors: usize,
    /// Classes with costs of their own.
    pub classes: usize,
}

impl Layout {
    /// Target `j`'s cost.
    pub fn cost(&self, j: usize) -> usize {
        j
    }
    /// Class `k`'s budget.
    pub fn budget(&self, k: usize) -> usize {
        self.targets + k
    }
    /// The frontier's spend on its largest run.
    pub fn spend(&self) -> usize {
        self.targets + self.actors
    }
    /// FLOP per dollar.
    pub fn flop_per_dollar(&self) -> usize {
        self.spend() + 1
    }
    /// Algorithmic efficiency.
    pub fn algorithms(&self) -> usize {
        self.spend() + 2
    }
    /// Target `j`'s cost to the `c`-th class with costs of its own.
    pub fn class_cost(&self, j: usize, c: usize) -> usize {
        self.spend() + 3 + j * self.classes + c
    }
    /// Series in all.
    pub fn len(&self) -> usize {
        self.class_cost(self.targets, 0)
    }
}

/// What takes a batch's values ([`Batch::evaluate`]).
pub(super) trait Sink {
    /// Takes series `series`'s log-values at the reporting year of index `year`, over the
    /// batch.
    fn take<const K: usize, F: Formula<K>>(
        &mut self,
        series: usize,
        year: usize,
        values: LnColumns<'_, K, F>,
    );
}

/// `a + b + c`, added left to right: a budget that is a fraction of the frontier's spend
/// (`ln overhead + ln f + ln spend`).
#[derive(Clone, Copy)]
struct Sum3;

impl Formula<3> for Sum3 {
    #[inline(always)]
    fn at<T: Lane>(&self, [a, b, c]: [T; 3]) -> T {
        a + b + c
    }
}

/// `x0 + rate · d` at a given `d`: a straight line `d` years after its start.
#[derive(Clone, Copy)]
struct LineAt(f64);

impl Formula<2> for LineAt {
    #[inline(always)]
    fn at<T: Lane>(&self, [x0, rate]: [T; 2]) -> T {
        x0 + rate * T::splat(self.0)
    }
}

/// `x0 + rate · (t − start)` at a given `t`: a straight line at year `t`.
#[derive(Clone, Copy)]
struct LineFrom(f64);

impl Formula<3> for LineFrom {
    #[inline(always)]
    fn at<T: Lane>(&self, [start, x0, rate]: [T; 3]) -> T {
        x0 + rate * (T::splat(self.0) - start)
    }
}

/// `a − b`: a target's cost (`ln m + ln E − (ln P + ln A)`).
#[derive(Clone, Copy)]
struct Difference;

impl Formula<2> for Difference {
    #[inline(always)]
    fn at<T: Lane>(&self, [a, b]: [T; 2]) -> T {
        a - b
    }
}

/// `a + b − c`, left to right: a target's cost to a class with costs of its own (`ln m + ln E +
/// ln multiplier − its progress`).
#[derive(Clone, Copy)]
struct SumLess;

impl Formula<3> for SumLess {
    #[inline(always)]
    fn at<T: Lane>(&self, [a, b, c]: [T; 3]) -> T {
        a + b - c
    }
}

/// Up to `capacity` samples: the parameters of their paths, and the affordability times of
/// those not yet counted (at most `times_capacity`).
#[derive(Debug, Clone)]
pub(super) struct Batch {
    capacity: usize,
    len: usize,
    layout: Layout,
    /// Whether the batch holds the targets' costs (not when costs beyond compute supply them).
    costs: bool,
    hardware: PathColumns,
    algorithms: PathColumns,
    investment: PathColumns,
    /// Per class, set up by the first sample.
    budgets: Vec<BudgetColumns>,
    ln_overhead: Vec<f64>,
    /// Per target: the first year it exists, and `ln m + ln E` at `[j · capacity + b]`.
    from: Vec<f64>,
    bases: Vec<f64>,
    /// Per class with costs of its own (index into the classes, then its lagged paths and
    /// `ln(price · compute)` at `[c · capacity + b]`).
    class_index: Vec<usize>,
    class_hardware: Vec<PathColumns>,
    class_algorithms: Vec<PathColumns>,
    class_multiplier: Vec<f64>,
    /// Affordability times of the samples since the tally last counted them, at `[b · pairs +
    /// pair]`, pairs target-major: a sample's times are copied in at once.
    taus: Vec<f64>,
    /// Samples whose times `taus` holds: the tally counts them whenever `taus` is full, so that
    /// a large batch's times need not all be held.
    times_len: usize,
    /// The most samples whose times `taus` holds (at most `capacity`).
    times_capacity: usize,
    /// One year's values over the batch: hardware, algorithms, a series.
    scratch: [Vec<f64>; 3],
    /// Reporting years evaluated together ([`Batch::evaluate`]).
    year_block: usize,
    /// A block of years' values over the batch: each year's spend, then each year's progress
    /// (`ln P + ln A`).
    years: Vec<f64>,
}

impl Batch {
    /// An empty batch of `capacity` samples for `layout`, holding the times of at most
    /// `times_capacity` of them, and costs when `costs`, whose values are worked out
    /// `year_block` reporting years at a time (at least 1); the classes with costs of their own
    /// are `class_index`.
    pub fn new(
        capacity: usize,
        times_capacity: usize,
        year_block: usize,
        layout: Layout,
        class_index: Vec<usize>,
        costs: bool,
    ) -> Self {
        let year_block = year_block.max(1);
        let paths = |n: usize| (0..n).map(|_| PathColumns::new(capacity)).collect();
        Self {
            capacity,
            len: 0,
            layout,
            costs,
            hardware: PathColumns::new(capacity),
            algorithms: PathColumns::new(capacity),
            investment: PathColumns::new(capacity),
            budgets: Vec::new(),
            ln_overhead: vec![0.0; capacity],
            from: vec![0.0; layout.targets],
            bases: vec![0.0; layout.targets * capacity],
            class_hardware: paths(class_index.len()),
            class_algorithms: paths(class_index.len()),
            class_multiplier: vec![0.0; class_index.len() * capacity],
            class_index,
            taus: vec![0.0; layout.targets * layout.actors * times_capacity.min(capacity)],
            times_len: 0,
            times_capacity: times_capacity.min(capacity),
            scratch: std::array::from_fn(|_| vec![0.0; capacity]),
            year_block,
            years: vec![0.0; 2 * year_block * capacity],
        }
    }

    /// The most samples the batch holds.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Samples held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the batch cannot take another sample.
    pub fn is_full(&self) -> bool {
        self.len == self.capacity
    }

    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        let paths = |p: &[PathColumns]| p.iter().map(PathColumns::heap_bytes).sum::<usize>();
        let budgets = self
            .budgets
            .iter()
            .map(|b| match b {
                BudgetColumns::Frontier(f) => 8 * f.capacity(),
                BudgetColumns::Line {
                    start, x0, rate, ..
                } => 8 * (start.capacity() + x0.capacity() + rate.capacity()),
                BudgetColumns::Own(p) => p.heap_bytes(),
            })
            .sum::<usize>();
        8 * (self.ln_overhead.len()
            + self.bases.len()
            + self.class_multiplier.len()
            + self.taus.len()
            + self.scratch.iter().map(Vec::len).sum::<usize>()
            + self.years.len())
            + self.hardware.heap_bytes()
            + self.algorithms.heap_bytes()
            + self.investment.heap_bytes()
            + paths(&self.class_hardware)
            + paths(&self.class_algorithms)
            + budgets
    }

    /// Adds one sample: its model, its affordability times (target-major) and each target's
    /// `ln m + ln E` (see [`crate::model::CrossingSolver::ln_bases`]).
    pub fn push(&mut self, m: &SampleModel, taus: &[f64], ln_bases: &[f64]) {
        let (b, n) = (self.len, self.capacity);
        self.hardware.push(&m.hardware, 0.0, None);
        self.algorithms.push(&m.algorithms, 0.0, None);
        self.investment.push(&m.investment, 0.0, None);
        if self.budgets.is_empty() {
            self.budgets = m
                .budgets
                .iter()
                .map(|budget| match budget {
                    Budget::Frontier { .. } => BudgetColumns::Frontier(vec![0.0; n]),
                    Budget::Own(path) if path.line().is_some() => BudgetColumns::Line {
                        start: vec![0.0; n],
                        x0: vec![0.0; n],
                        rate: vec![0.0; n],
                        one_start: true,
                    },
                    Budget::Own(_) => BudgetColumns::Own(PathColumns::new(n)),
                })
                .collect();
        }
        for (budget, columns) in m.budgets.iter().zip(&mut self.budgets) {
            match (budget, columns) {
                (Budget::Frontier { ln_fraction }, BudgetColumns::Frontier(f)) => {
                    f[b] = *ln_fraction
                }
                (
                    Budget::Own(path),
                    BudgetColumns::Line {
                        start,
                        x0,
                        rate,
                        one_start,
                    },
                ) => {
                    let line = path
                        .line()
                        .expect("a class's budget is a line in every sample");
                    (start[b], x0[b], rate[b]) = line;
                    *one_start = b == 0 || (*one_start && start[b] == start[0]);
                }
                (Budget::Own(path), BudgetColumns::Own(p)) => p.push(path, 0.0, None),
                _ => unreachable!("a class's kind of budget is the same in every sample"),
            }
        }
        self.ln_overhead[b] = m.ln_overhead;
        if self.costs {
            for (j, (t, &base)) in m.targets.iter().zip(ln_bases).enumerate() {
                self.from[j] = m.available_from(t);
                self.bases[j * n + b] = base;
            }
            for (c, &k) in self.class_index.iter().enumerate() {
                let a = &m.access[k];
                self.class_hardware[c].push(&m.hardware, a.hardware_lag, None);
                self.class_algorithms[c].push(&m.algorithms, a.algorithm_lag, m.closure_cap(k));
                self.class_multiplier[c * n + b] = a.ln_multiplier;
            }
        }
        let pairs = self.layout.targets * self.layout.actors;
        self.taus[self.times_len * pairs..][..pairs].copy_from_slice(taus);
        self.times_len += 1;
        self.len += 1;
    }

    /// Adds four samples solved together ([`crate::model::QuadSolver`]): their numbers `q`
    /// and each one's times (target-major), as four calls of [`Batch::push`] with their models
    /// would. False, adding nothing, when the batch cannot take them so: no room for four
    /// (among its samples or its held times), no sample held since the batch was made (which
    /// sets its columns' kinds), classes with costs of their own, or a kind of budget other
    /// than the quad's.
    pub fn push_quad(&mut self, q: &QuadModel, taus: [&[f64]; QUAD]) -> bool {
        let (b, n) = (self.len, self.capacity);
        let kinds = self.budgets.len() == q.classes.len()
            && (self.budgets.iter().zip(&q.classes)).all(|(columns, class)| {
                matches!(
                    (columns, class.frontier),
                    (BudgetColumns::Frontier(_), true) | (BudgetColumns::Line { .. }, false)
                )
            });
        let fits = b + QUAD <= n
            && self.times_len + QUAD <= self.times_capacity
            && kinds
            && self.class_index.is_empty()
            && q.froms.len() == self.layout.targets
            && self.hardware.fits_quad(&q.hardware)
            && self.algorithms.fits_quad(&q.algorithms)
            && self.investment.fits_quad(&q.investment);
        if !fits {
            return false;
        }
        self.hardware.push_quad(&q.hardware);
        self.algorithms.push_quad(&q.algorithms);
        self.investment.push_quad(&q.investment);
        for (columns, class) in self.budgets.iter_mut().zip(&q.classes) {
            match columns {
                BudgetColumns::Frontier(f) => f[b..b + QUAD].copy_from_slice(&class.fraction),
                BudgetColumns::Line {
                    start,
                    x0,
                    rate,
                    one_start,
                } => {
                    start[b..b + QUAD].copy_from_slice(&class.start);
                    x0[b..b + QUAD].copy_from_slice(&class.x0);
                    rate[b..b + QUAD].copy_from_slice(&class.rate);
                    *one_start = (b == 0 || *one_start) && all_equal(&class.start, start[0]);
                }
                BudgetColumns::Own(_) => unreachable!("checked above"),
            }
        }
        self.ln_overhead[b..b + QUAD].copy_from_slice(&q.ln_overhead);
        if self.costs {
            self.from.copy_from_slice(&q.froms);
            for (bases, quad) in self.bases.chunks_exact_mut(n).zip(&q.bases) {
                bases[b..b + QUAD].copy_from_slice(quad);
            }
        }
        let pairs = self.layout.targets * self.layout.actors;
        for (l, taus) in taus.iter().enumerate() {
            self.taus[(self.times_len + l) * pairs..][..pairs].copy_from_slice(taus);
        }
        self.times_len += QUAD;
        self.len += QUAD;
        true
    }

    /// The held affordability times of target × class `pair`, in sample order.
    pub fn taus(&self, pair: usize) -> Strided<'_> {
        let pairs = self.layout.targets * self.layout.actors;
        Strided::new(&self.taus[pair..], pairs, self.times_len)
    }

    /// True when the batch holds as many samples' times as it can.
    pub fn times_full(&self) -> bool {
        self.times_len == self.times_capacity
    }

    /// Samples whose times are held.
    pub fn times_len(&self) -> usize {
        self.times_len
    }

    /// Forgets the held times (after counting them).
    pub fn clear_times(&mut self) {
        self.times_len = 0;
    }

    /// Gives every series' log-values at every reporting year, over the whole batch, to
    /// `sink` ([`Sink::take`]), once each; a target's costs only from the year it exists
    /// (compiled for AVX2 where the CPU has it; the same numbers either way). The years are
    /// taken in blocks of the batch's `year_block`, each series over a whole block before the
    /// next series. A series whose values are used only once (a cost, a budget) is given as
    /// the formula over the columns it is made of, so that its values are worked out as they
    /// are counted, never stored.
    pub fn evaluate(&mut self, years: &[f64], sink: &mut impl Sink) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.evaluate_avx2(years, sink) };
        }
        self.evaluate_portable(years, sink);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn evaluate_avx2(&mut self, years: &[f64], sink: &mut impl Sink) {
        self.evaluate_portable(years, sink);
    }

    #[inline(always)]
    fn evaluate_portable(&mut self, years: &[f64], sink: &mut impl Sink) {
        let (n, cap, l) = (self.len, self.capacity, self.layout);
        let [hw, alg, v] = &mut self.scratch;
        let (hw, alg, v) = (&mut hw[..n], &mut alg[..n], &mut v[..n]);
        let ln_overhead = &self.ln_overhead[..n];
        // A block of years at a time: each series' columns are read once a block rather than
        // once a year, which matters once a year's columns outgrow the cache.
        let year_block = self.year_block;
        for (block, times) in years.chunks(year_block).enumerate() {
            let first = block * year_block;
            let (spends, progresses) = self.years.split_at_mut(year_block * cap);
            for (y, &t) in times.iter().enumerate() {
                let i = first + y;
                self.hardware.eval(t, hw);
                sink.take(l.flop_per_dollar(), i, LnColumns::held(hw));
                self.algorithms.eval(t, alg);
                sink.take(l.algorithms(), i, LnColumns::held(alg));
                let spend = &mut spends[y * cap..][..n];
                self.investment.eval(t, spend);
                sink.take(l.spend(), i, LnColumns::held(spend));
                if self.costs {
                    let progress = &mut progresses[y * cap..][..n];
                    for ((p, &h), &a) in progress.iter_mut().zip(&*hw).zip(&*alg) {
                        *p = h + a;
                    }
                }
            }
            let spend = |y: usize| &spends[y * cap..][..n];
            for (k, budget) in self.budgets.iter().enumerate() {
                for (y, &t) in times.iter().enumerate() {
                    let series = l.budget(k);
                    match budget {
                        BudgetColumns::Frontier(f) => sink.take(
                            series,
                            first + y,
                            LnColumns::new([ln_overhead, &f[..n], spend(y)], Sum3),
                        ),
                        // What `PathColumns::eval` gives a line: its one regime runs to +∞.
                        BudgetColumns::Line {
                            start,
                            x0,
                            rate,
                            one_start: true,
                        } => {
                            let d = t - start[0];
                            let line = LnColumns::new([&x0[..n], &rate[..n]], LineAt(d));
                            sink.take(series, first + y, line);
                        }
                        BudgetColumns::Line {
                            start, x0, rate, ..
                        } => {
                            let line =
                                LnColumns::new([&start[..n], &x0[..n], &rate[..n]], LineFrom(t));
                            sink.take(series, first + y, line);
                        }
                        BudgetColumns::Own(p) => {
                            p.eval(t, v);
                            sink.take(series, first + y, LnColumns::held(v));
                        }
                    }
                }
            }
            if !self.costs {
                continue;
            }
            let progress = |y: usize| &progresses[y * cap..][..n];
            for j in 0..l.targets {
                let base = &self.bases[j * cap..][..n];
                for (y, &t) in times.iter().enumerate() {
                    if t >= self.from[j] {
                        let cost = LnColumns::new([base, progress(y)], Difference);
                        sink.take(l.cost(j), first + y, cost);
                    }
                }
            }
            for c in 0..self.class_index.len() {
                // The class's own progress, ln P(t − h) + ln A_k(t), replaces the frontier's.
                for (y, &t) in times.iter().enumerate() {
                    self.class_hardware[c].eval(t, hw);
                    self.class_algorithms[c].eval(t, alg);
                    let progress = &mut progresses[y * cap..][..n];
                    for ((p, &h), &a) in progress.iter_mut().zip(&*hw).zip(&*alg) {
                        *p = h + a;
                    }
                }
                let progress = |y: usize| &progresses[y * cap..][..n];
                let mult = &self.class_multiplier[c * cap..][..n];
                for j in 0..l.targets {
                    let base = &self.bases[j * cap..][..n];
                    for (y, &t) in times.iter().enumerate() {
                        if t >= self.from[j] {
                            let cost = LnColumns::new([base, mult, progress(y)], SumLess);
                            sink.take(l.class_cost(j, c), first + y, cost);
                        }
                    }
                }
            }
        }
    }

    /// Forgets every sample, keeping the memory.
    pub fn clear(&mut self) {
        self.len = 0;
        self.times_len = 0;
        for p in [
            &mut self.hardware,
            &mut self.algorithms,
            &mut self.investment,
        ]
        .into_iter()
        .chain(&mut self.class_hardware)
        .chain(&mut self.class_algorithms)
        {
            p.clear();
        }
        for b in &mut self.budgets {
            if let BudgetColumns::Own(p) = b {
                p.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Sampler, Scratch};
    use crate::stats::LogHistogram;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every value `evaluate` gives, by (series, year index), as bits.
    type Given = BTreeMap<(usize, usize), Vec<u64>>;

    /// A batch of `n` samples of `text`'s scenario, evaluated `year_block` years at a time.
    fn evaluated(text: &str, n: usize, year_block: usize) -> Given {
        let scn = crate::scenario::from_str(Path::new("test.toml"), text).expect("a scenario");
        let classes = scn.class_cost_actors();
        let costs = crate::breakdown::BreakdownTally::new(&scn).is_none();
        let layout = Layout {
            targets: scn.targets.len(),
            actors: scn.actors.len(),
            classes: classes.len(),
        };
        let mut batch = Batch::new(n, n, year_block, layout, classes, costs);
        let (sampler, mut s) = (Sampler::new(&scn, 3), Scratch::new(&scn));
        for i in 0..n as u64 {
            sampler.sample(i, &mut s);
            batch.push(&s.model, &s.taus, s.ln_bases());
        }
        let mut given = Given::new();
        batch.evaluate(&scn.report_years, &mut Collect(&mut given));
        given
    }

    /// Collects every value a batch gives, as bits, once each (a value given twice fails),
    /// checking on the way that a histogram counting them as the formula they are given by
    /// (worked out in vector registers where the CPU has them) holds what one counting each
    /// value alone does.
    struct Collect<'a>(&'a mut Given);

    impl Sink for Collect<'_> {
        fn take<const K: usize, F: Formula<K>>(
            &mut self,
            series: usize,
            year: usize,
            values: LnColumns<'_, K, F>,
        ) {
            let (mut formula, mut one) = (LogHistogram::default(), LogHistogram::default());
            formula.insert_ln_columns(values);
            values.iter().for_each(|v| one.insert_ln(v));
            assert_eq!(
                formula.contents(),
                one.contents(),
                "series {series}, year {year}"
            );
            let bits = values.iter().map(|v| v.to_bits()).collect();
            assert!(self.0.insert((series, year), bits).is_none(), "given twice");
        }
    }

    /// Years in blocks give every series' values at every year exactly as one year at a time:
    /// with budgets of every kind, targets that start late, classes with costs of their own,
    /// and a last block cut short.
    #[test]
    fn blocks_of_years_give_the_values_of_one_year_at_a_time() {
        let sink = include_str!("../../tests/fixtures/kitchen_sink.toml");
        // Without costs beyond compute, the batch holds every target's cost, and each access
        // class's own.
        let mut compute_only = String::new();
        let mut skip = false;
        for line in sink.lines() {
            if line.starts_with('[') {
                skip = ["[costs.", "[deployment]"]
                    .iter()
                    .any(|s| line.starts_with(s));
            }
            let dropped = [
                "wage_multiplier",
                "affordability",
                "person_years",
                "tokens_served",
            ];
            if !skip && !dropped.iter().any(|key| line.starts_with(key)) {
                compute_only.push_str(line);
                compute_only.push('\n');
            }
        }
        let bench = include_str!("../../scenarios/bench.toml");
        let scn = crate::scenario::from_str(Path::new("t.toml"), &compute_only).unwrap();
        assert!(!scn.class_cost_actors().is_empty(), "access classes held");
        assert!(crate::breakdown::BreakdownTally::new(&scn).is_none());
        for text in [sink, compute_only.as_str(), bench] {
            let one = evaluated(text, 97, 1);
            assert!(one.len() > 50, "{}", one.len());
            for block in [2, 4, 5] {
                assert!(evaluated(text, 97, block) == one, "blocks of {block}");
            }
        }
    }

    /// bench-v1 and the layout of its batch (no class with costs of its own).
    fn bench_layout() -> (crate::scenario::Scenario, Layout) {
        let bench = include_str!("../../scenarios/bench.toml");
        let scn = crate::scenario::from_str(Path::new("bench.toml"), bench).unwrap();
        let layout = Layout {
            targets: scn.targets.len(),
            actors: scn.actors.len(),
            classes: 0,
        };
        (scn, layout)
    }

    /// A batch that holds its times a few samples at a time gives, part after part, every
    /// sample's times in order, as one holding the whole batch's does: four solved together
    /// are refused where the part has no room for four (and pushed one by one instead), and
    /// the columns of the values still hold the whole batch.
    #[test]
    fn times_held_in_parts_are_every_samples_times_in_order() {
        use crate::model::{QUAD, QuadSolver};
        let (scn, layout) = bench_layout();
        let pairs = layout.targets * layout.actors;
        let (n, part) = (97, 10);
        let (mut whole, mut parts) = (
            Batch::new(n, n, 1, layout, vec![], true),
            Batch::new(n, part, 1, layout, vec![], true),
        );
        // Each pair's times, in the order the parts gave them.
        let mut given = vec![Vec::new(); pairs];
        let mut take = |batch: &mut Batch, at_end: bool| {
            if batch.times_full() || at_end {
                for (pair, out) in given.iter_mut().enumerate() {
                    out.extend(batch.taus(pair).iter().map(f64::to_bits));
                }
                batch.clear_times();
            }
        };
        let sampler = Sampler::new(&scn, 3);
        let mut s: [Scratch; QUAD] = std::array::from_fn(|_| Scratch::new(&scn));
        let (mut solver, mut refused, mut i) = (QuadSolver::default(), 0, 0);
        // One sample first, so that parts of ten fill up part way through a quad.
        while i < n {
            if i > 0 && i + QUAD <= n && sampler.sample_four(i as u64, &mut s, &mut solver) {
                for x in &mut s {
                    sampler.realise(x);
                    whole.push(&x.model, &x.taus, x.ln_bases());
                }
                let [a, b, c, d] = s.each_ref();
                if parts.push_quad(solver.model(), [&a.taus[..], &b.taus, &c.taus, &d.taus]) {
                    take(&mut parts, false);
                } else {
                    refused += 1;
                    for x in &s {
                        parts.push(&x.model, &x.taus, x.ln_bases());
                        take(&mut parts, false);
                    }
                }
                i += QUAD;
            } else {
                sampler.sample(i as u64, &mut s[0]);
                whole.push(&s[0].model, &s[0].taus, s[0].ln_bases());
                parts.push(&s[0].model, &s[0].taus, s[0].ln_bases());
                take(&mut parts, false);
                i += 1;
            }
        }
        take(&mut parts, true);
        assert!(refused > 0, "a part without room for four");
        assert_eq!((parts.len(), whole.len()), (n, n));
        for (pair, got) in given.iter().enumerate() {
            let want: Vec<u64> = whole.taus(pair).iter().map(f64::to_bits).collect();
            assert_eq!(got, &want, "pair {pair}");
        }
        let values = |batch: &mut Batch| {
            let mut given = Given::new();
            batch.evaluate(&scn.report_years, &mut Collect(&mut given));
            given
        };
        assert!(values(&mut parts) == values(&mut whole));
    }

    /// Four samples solved together and pushed at once fill a batch as the same samples pushed
    /// one by one do: the same times, and the same value of every series at every year.
    #[test]
    fn quads_fill_a_batch_as_single_samples_do() {
        use crate::model::{QUAD, QuadSolver};
        let (scn, layout) = bench_layout();
        let n = 97;
        let (mut single, mut quads) = (
            Batch::new(n, n, 1, layout, vec![], true),
            Batch::new(n, n, 1, layout, vec![], true),
        );
        let sampler = Sampler::new(&scn, 3);
        let mut s: [Scratch; QUAD] = std::array::from_fn(|_| Scratch::new(&scn));
        let (mut solver, mut pushed) = (QuadSolver::default(), 0);
        let mut i = 0;
        while i < n {
            if i + QUAD <= n && sampler.sample_four(i as u64, &mut s, &mut solver) {
                for x in &mut s {
                    sampler.realise(x);
                    single.push(&x.model, &x.taus, x.ln_bases());
                }
                let [a, b, c, d] = s.each_ref();
                let taus = [&a.taus[..], &b.taus, &c.taus, &d.taus];
                if quads.push_quad(solver.model(), taus) {
                    pushed += 1;
                } else {
                    for x in &s {
                        quads.push(&x.model, &x.taus, x.ln_bases());
                    }
                }
                i += QUAD;
            } else {
                sampler.sample(i as u64, &mut s[0]);
                single.push(&s[0].model, &s[0].taus, s[0].ln_bases());
                quads.push(&s[0].model, &s[0].taus, s[0].ln_bases());
                i += 1;
            }
        }
        assert!(pushed >= 20, "{pushed} quads pushed whole");
        assert_eq!(quads.len(), single.len());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&quads.taus), bits(&single.taus));
        let given = |batch: &mut Batch| {
            let mut given = Given::new();
            batch.evaluate(&scn.report_years, &mut Collect(&mut given));
            given
        };
        let want = given(&mut single);
        assert!(want.len() > 400, "{}", want.len());
        assert!(given(&mut quads) == want);
    }
}
