//! Costs beyond compute, tallied: per target × class and reporting year, each component's cost
//! and its share of the whole; per target × class, which component is largest at the year the
//! class can first afford the target.

use crate::coarse::{CoarseLogHistogram, ShareHistogram};
use crate::costs::{Component, Needs, Payer, Prices};
use crate::model::{PathScratch, SampleModel};
use crate::scenario::Scenario;

mod columns;
mod finish;
mod sums;

use columns::Columns;
use sums::Sums;

/// The most samples stashed before they are fed to the histograms: each flush streams every
/// histogram through the cache once, so larger batches cost less per sample (the baseline's
/// runs took 0.93 of the time at 4,096 that they took at 1,024).
const BATCH: usize = 4096;

/// The stash takes 16 bytes × groups × reporting years a sample (and a few more per group and
/// target): it holds as many samples as the 16 bytes × groups × years fit in this, from
/// [`MIN_BATCH`] to [`BATCH`] (2,080 for the baseline's 7 × 36), and no more than feed the
/// per-year outputs.
const STASH_BYTES: usize = 8 << 20;

/// The fewest samples a stash holds, however many groups and years (what every stash held
/// before it was sized by [`STASH_BYTES`]).
const MIN_BATCH: usize = 1024;

/// A column of a batch, each value `v`, built on the heap: on WebAssembly's 1 MiB stack a
/// batch's columns would not fit.
fn batch_column(v: f64) -> Box<[f64; BATCH]> {
    vec![v; BATCH]
        .into_boxed_slice()
        .try_into()
        .expect("a column")
}

/// `N` columns of a batch, each value `v`, built on the heap (see [`batch_column`]).
fn batch_columns<const N: usize>(v: f64) -> Box<[[f64; BATCH]; N]> {
    vec![[v; BATCH]; N]
        .into_boxed_slice()
        .try_into()
        .expect("N columns")
}

/// Fixed-point scale of share sums (2³²).
const SHARE_SCALE: f64 = 4_294_967_296.0;

/// A row of the breakdown: one component, or a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// One component.
    Part(Component),
    /// Compute, data and staff: what training costs.
    Train,
    /// Training and deployment.
    TrainAndDeploy,
}

impl Row {
    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Row::Part(c) => c.name(),
            Row::Train => "train",
            Row::TrainAndDeploy => "train_and_deploy",
        }
    }
}

/// What a [`BreakdownTally`] has counted (see [`crate::tally::TallyState`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BreakdownState {
    values: Vec<CoarseLogHistogram>,
    shares: Vec<ShareHistogram>,
    share_sums: Vec<u128>,
    dominant: Vec<u64>,
}

/// The breakdown accumulators of one run (or one thread's share of it).
///
/// Samples are stashed, a batch at a time, as the few numbers each breakdown needs (per group
/// and year the class's `ln P_k` and `ln A_k`, per target its `ln E` and needs, per sample its
/// prices); a flush then walks the histograms once, each cell's histograms filled from the whole
/// batch while they are in cache.
#[derive(Debug, Clone)]
pub struct BreakdownTally {
    years: Vec<f64>,
    /// Per target, the first year it exists.
    available: Vec<f64>,
    /// Per cost group, the class whose access it has (`None`: the frontier's).
    groups: Vec<Option<usize>>,
    /// Per class, its group.
    group_of: Vec<usize>,
    /// The rows kept in `values`.
    rows: Vec<Row>,
    /// Every row reported, in order.
    report: Vec<Row>,
    /// The row of the total that must fit (from the trajectories, not from `values`).
    basis: Row,
    /// The components present, in report order.
    parts: Vec<Component>,
    /// Per target × group × row × year.
    values: Vec<CoarseLogHistogram>,
    /// Per target × group × part × year: the part's share of the whole cost.
    shares: Vec<ShareHistogram>,
    /// Per target × group × part × year: Σ share in fixed point (2⁻³² units), so that sums
    /// merge exactly in any order; with the counts of `values`, the mean shares, which add up
    /// to one.
    share_sums: Vec<u128>,
    /// Per target × class × component: samples where it is the largest part of what must fit
    /// at the affordability year.
    dominant: Vec<u64>,
    stash: Stash,
    paths: PathScratch,
    row: (Vec<f64>, Vec<f64>),
    dominant_scratch: DominantScratch,
}

/// [`BreakdownTally::count_dominant`]'s memory, for one class at a time.
#[derive(Debug, Clone, Default)]
struct DominantScratch {
    /// Its finite affordability times, ascending, each with its target.
    order: Vec<(f64, usize)>,
    /// The same times alone, and its `ln P_k` and `ln A_k` at each.
    times: Vec<f64>,
    hw: Vec<f64>,
    alg: Vec<f64>,
    /// Per target, the sample's `ln E` (the same for every class).
    ln_e: Vec<f64>,
}

/// Up to `capacity` samples, sample-minor, in rows of `row`.
#[derive(Debug, Clone, Default)]
struct Stash {
    n: usize,
    /// The samples it holds (see [`STASH_BYTES`]).
    capacity: usize,
    /// The length of a row: the capacity and a cache line. Rows a power of two bytes apart
    /// would put one sample's entries, a column across the rows, in the same few cache sets,
    /// and stashing a sample would then miss the cache at almost every entry.
    row: usize,
    /// Per group × year × sample.
    hw: Vec<f64>,
    alg: Vec<f64>,
    /// Per group × sample: `ln price_multiplier`, `ln compute_multiplier`, `ln wage_multiplier`.
    price: Vec<f64>,
    compute: Vec<f64>,
    wage: Vec<f64>,
    /// Per target × sample.
    ln_e: Vec<f64>,
    needs: Vec<Needs>,
    /// Per sample.
    prices: Vec<Prices>,
    ln_overhead: Vec<f64>,
}

impl Stash {
    /// Who pays for target `j` in group `g` in stashed sample `s`.
    fn payer(&self, g: usize, j: usize, s: usize) -> Payer {
        Payer {
            ln_e: self.ln_e[j * self.row + s],
            ln_overhead: self.ln_overhead[s],
            ln_price: self.price[g * self.row + s],
            ln_compute: self.compute[g * self.row + s],
            ln_wage: self.wage[g * self.row + s],
        }
    }

    fn heap_bytes(&self) -> usize {
        use std::mem::size_of_val;
        size_of_val(&self.hw[..])
            + size_of_val(&self.alg[..])
            + size_of_val(&self.price[..])
            + size_of_val(&self.compute[..])
            + size_of_val(&self.wage[..])
            + size_of_val(&self.ln_e[..])
            + size_of_val(&self.needs[..])
            + size_of_val(&self.prices[..])
            + size_of_val(&self.ln_overhead[..])
    }
}

impl BreakdownTally {
    /// Memory held, in bytes (the histograms as they are now, and the stash).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of_val;
        self.values
            .iter()
            .map(CoarseLogHistogram::heap_bytes)
            .sum::<usize>()
            + self
                .shares
                .iter()
                .map(ShareHistogram::heap_bytes)
                .sum::<usize>()
            + size_of_val(&self.share_sums[..])
            + size_of_val(&self.dominant[..])
            + self.stash.heap_bytes()
    }

    /// Of a tally fed a sizing pilot: the memory it would hold once its cost histograms span
    /// `widen` times the ranges the pilot saw.
    pub fn predicted_bytes(&self, widen: f64) -> usize {
        self.heap_bytes()
            - self
                .values
                .iter()
                .map(CoarseLogHistogram::heap_bytes)
                .sum::<usize>()
            + self
                .values
                .iter()
                .map(|h| h.bytes_widened(widen))
                .sum::<usize>()
    }

    /// Empty accumulators for `scn`, or `None` when nothing but compute costs money.
    pub fn new(scn: &Scenario) -> Option<Self> {
        let c = scn.components.as_ref()?;
        let class_costs = scn.class_cost_actors();
        let mut groups = vec![None];
        groups.extend(class_costs.iter().map(|&k| Some(k)));
        let group_of = (0..scn.actors.len())
            .map(|k| {
                class_costs
                    .iter()
                    .position(|&x| x == k)
                    .map_or(0, |g| g + 1)
            })
            .collect();
        let mut parts = vec![Component::Compute];
        if c.data.is_some() {
            parts.push(Component::Data);
        }
        if c.staff.is_some() {
            parts.push(Component::Staff);
        }
        if c.deployment.is_some() {
            parts.push(Component::Deployment);
        }
        // The total that must fit is the trajectories' cost series: only the other is kept here.
        let mut rows: Vec<Row> = parts.iter().map(|&p| Row::Part(p)).collect();
        let basis = match &c.deployment {
            Some(d) if d.in_budget => Row::TrainAndDeploy,
            _ => Row::Train,
        };
        let mut report = rows.clone();
        report.push(Row::Train);
        if let Some(d) = &c.deployment {
            rows.push(if d.in_budget {
                Row::Train
            } else {
                Row::TrainAndDeploy
            });
            report.push(Row::TrainAndDeploy);
        }
        let (n_t, n_g, n_y) = (scn.targets.len(), groups.len(), scn.report_years.len());
        // Without per-year outputs nothing is stashed.
        let stash = if !scn.per_year() {
            Stash::default()
        } else {
            let capacity = (STASH_BYTES / (16 * n_g * n_y).max(1))
                .clamp(MIN_BATCH, BATCH)
                .min(scn.per_year_batch_limit());
            let row = capacity + 8;
            Stash {
                n: 0,
                capacity,
                row,
                hw: vec![0.0; n_g * n_y * row],
                alg: vec![0.0; n_g * n_y * row],
                price: vec![0.0; n_g * row],
                compute: vec![0.0; n_g * row],
                wage: vec![0.0; n_g * row],
                ln_e: vec![0.0; n_t * row],
                needs: vec![
                    Needs {
                        ln_person_years: f64::NEG_INFINITY,
                        ln_tokens_served: f64::NEG_INFINITY,
                    };
                    n_t * row
                ],
                prices: vec![Prices::default(); capacity],
                ln_overhead: vec![0.0; capacity],
            }
        };
        Some(Self {
            years: scn.report_years.clone(),
            available: scn
                .targets
                .iter()
                .map(|t| t.frontier_year().unwrap_or(scn.start_year))
                .collect(),
            values: vec![CoarseLogHistogram::default(); n_t * n_g * rows.len() * n_y],
            shares: vec![ShareHistogram::default(); n_t * n_g * parts.len() * n_y],
            share_sums: vec![0; n_t * n_g * parts.len() * n_y],
            dominant: vec![0; n_t * scn.actors.len() * Component::ALL.len()],
            groups,
            group_of,
            rows,
            report,
            basis,
            parts,
            stash,
            paths: PathScratch::default(),
            row: (vec![0.0; n_y], vec![0.0; n_y]),
            dominant_scratch: Default::default(),
        })
    }

    /// True when a batch is stashed in full and must be flushed before the next sample.
    pub fn full(&self) -> bool {
        self.stash.n == self.stash.capacity
    }

    /// Stashes one sample for the per-year histograms, and counts the largest component at
    /// each affordability time `taus`.
    pub fn record(&mut self, m: &SampleModel, taus: &[f64]) {
        self.stash_sample(m);
        self.count_dominant(m, taus);
    }

    /// Stashes one sample's path parameters for the per-year histograms.
    fn stash_sample(&mut self, m: &SampleModel) {
        debug_assert!(!self.full(), "flush a full batch first");
        let costs = m.costs.as_ref().expect("a breakdown needs costs");
        let n_y = self.years.len();
        let s = self.stash.n;
        let st = &mut self.stash;
        let row = st.row;
        for (g, &class) in self.groups.iter().enumerate() {
            let (hw, alg) = (&mut self.row.0, &mut self.row.1);
            match class {
                Some(k) => m.class_parts(k, &self.years, hw, alg, &mut self.paths),
                None => {
                    m.hardware.values_at(&self.years, hw);
                    m.algorithms.values_at(&self.years, alg);
                }
            }
            for i in 0..n_y {
                st.hw[(g * n_y + i) * row + s] = hw[i];
                st.alg[(g * n_y + i) * row + s] = alg[i];
            }
            let p = payer(m, class, 0.0);
            st.price[g * row + s] = p.ln_price;
            st.compute[g * row + s] = p.ln_compute;
            st.wage[g * row + s] = p.ln_wage;
        }
        for (j, target) in m.targets.iter().enumerate() {
            st.ln_e[j * row + s] = m.ln_effective_flop(target);
            st.needs[j * row + s] = costs.needs[j];
        }
        st.prices[s] = costs.prices;
        st.ln_overhead[s] = m.ln_overhead;
        st.n += 1;
    }

    /// Counts, per target and class, the largest component at the affordability time `taus`
    /// (every sample counts, whether or not it feeds the per-year histograms).
    pub fn count_dominant(&mut self, m: &SampleModel, taus: &[f64]) {
        let costs = m.costs.as_ref().expect("a breakdown needs costs");
        let n_k = self.group_of.len();
        let DominantScratch {
            order,
            times,
            hw,
            alg,
            ln_e,
        } = &mut self.dominant_scratch;
        ln_e.clear();
        ln_e.extend(m.targets.iter().map(|t| m.ln_effective_flop(t)));
        for k in 0..n_k {
            let class = self.groups[self.group_of[k]];
            // The class's finite times, ascending (as `class_parts` takes them): its paths are
            // walked once for all its targets.
            order.clear();
            order.extend(
                (0..taus.len() / n_k)
                    .map(|j| (taus[j * n_k + k], j))
                    .filter(|(tau, _)| tau.is_finite()),
            );
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            times.clear();
            times.extend(order.iter().map(|(tau, _)| tau));
            hw.resize(times.len(), 0.0);
            alg.resize(times.len(), 0.0);
            match class {
                Some(k) => m.class_parts(k, times, hw, alg, &mut self.paths),
                None => {
                    for ((h, a), &tau) in hw.iter_mut().zip(alg.iter_mut()).zip(&*times) {
                        (*h, *a) = (m.hardware.value(tau), m.algorithms.value(tau));
                    }
                }
            }
            for (i, &(tau, j)) in order.iter().enumerate() {
                let payer = payer(m, class, ln_e[j]);
                let b = costs
                    .prices
                    .breakdown(costs.needs[j], &payer, hw[i], alg[i], tau);
                let mut largest = Component::Compute;
                for c in Component::ALL {
                    let counts = c != Component::Deployment || costs.prices.deploy_in_budget();
                    if counts && b[c as usize] > b[largest as usize] {
                        largest = c;
                    }
                }
                let pair = j * n_k + k;
                self.dominant[pair * Component::ALL.len() + largest as usize] += 1;
            }
        }
    }

    /// Feeds the stashed samples to the histograms, and hands `sink(group, target, year index,
    /// ln costs)` the cost that must fit of each sample (the trajectories' cost series).
    pub fn flush(&mut self, mut sink: impl FnMut(usize, usize, usize, &[f64])) {
        let st = &self.stash;
        let n = st.n;
        if n == 0 {
            return;
        }
        let n_y = self.years.len();
        let (n_g, n_r, n_p) = (self.groups.len(), self.rows.len(), self.parts.len());
        let deploy_in_budget = st.prices[0].deploy_in_budget();
        let present: Vec<usize> = self.parts.iter().map(|p| *p as usize).collect();
        let mut ln_parts = batch_columns::<4>(f64::NEG_INFINITY);
        let mut sums = Sums::default();
        let part_rows: Vec<usize> = self.parts.iter().map(|p| self.row_of(*p)).collect();
        let mut columns = Columns::new(st, self.available.len());
        for g in 0..n_g {
            for (i, &y) in self.years.iter().enumerate() {
                let (hw, alg) = (
                    &st.hw[(g * n_y + i) * st.row..][..n],
                    &st.alg[(g * n_y + i) * st.row..][..n],
                );
                for (j, &from) in self.available.iter().enumerate() {
                    if y < from {
                        continue;
                    }
                    let cell = j * n_g + g;
                    columns.breakdowns(st, (g, j), (hw, alg, y), &present, &mut ln_parts);
                    sums.fill(&ln_parts, &present, deploy_in_budget, n);
                    for (r, row) in self.rows.iter().enumerate() {
                        let values = match row {
                            Row::Part(c) => &ln_parts[*c as usize][..n],
                            Row::Train => &sums.train[..n],
                            Row::TrainAndDeploy => &sums.whole[..n],
                        };
                        // A part that is absent (a target without staff) is never counted.
                        if values[0] == f64::NEG_INFINITY {
                            continue;
                        }
                        self.values[(cell * n_r + r) * n_y + i].insert_batch(values);
                    }
                    for (p, (&r, &c)) in part_rows.iter().zip(&present).enumerate() {
                        let absent = match self.rows[r] {
                            Row::Part(c) => ln_parts[c as usize][0] == f64::NEG_INFINITY,
                            _ => unreachable!("a part's row is a part"),
                        };
                        if absent {
                            continue;
                        }
                        let at = (cell * n_p + p) * n_y + i;
                        let shares = &sums.shares[c][..n];
                        self.shares[at].insert_batch(shares);
                        self.share_sums[at] += u128::from(share_sum(shares));
                    }
                    sink(g, j, i, &sums.fit[..n]);
                }
            }
        }
        self.stash.n = 0;
    }

    /// The row of a part.
    fn row_of(&self, part: Component) -> usize {
        self.rows
            .iter()
            .position(|r| *r == Row::Part(part))
            .expect("a part present has a row")
    }

    /// What it has counted (of a flushed tally).
    pub fn state(&self) -> BreakdownState {
        debug_assert_eq!(self.stash.n, 0, "flush a tally before saving it");
        BreakdownState {
            values: self.values.clone(),
            shares: self.shares.clone(),
            share_sums: self.share_sums.clone(),
            dominant: self.dominant.clone(),
        }
    }

    /// Takes the counts of `state`, which must have the shape of this tally's.
    pub fn restore(&mut self, state: BreakdownState) -> Result<(), String> {
        let same = state.values.len() == self.values.len()
            && state.shares.len() == self.shares.len()
            && state.share_sums.len() == self.share_sums.len()
            && state.dominant.len() == self.dominant.len();
        if !same {
            return Err("its costs beyond compute do not match the scenario's".into());
        }
        self.values = state.values;
        self.shares = state.shares;
        self.share_sums = state.share_sums;
        self.dominant = state.dominant;
        Ok(())
    }

    /// Adds another tally of the same scenario.
    pub fn merge(&mut self, other: &Self) {
        debug_assert_eq!(
            self.stash.n + other.stash.n,
            0,
            "flush tallies before merging them"
        );
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            a.merge(b);
        }
        for (a, b) in self.shares.iter_mut().zip(&other.shares) {
            a.merge(b);
        }
        for (a, b) in self.share_sums.iter_mut().zip(&other.share_sums) {
            *a += b;
        }
        for (a, b) in self.dominant.iter_mut().zip(&other.dominant) {
            *a += b;
        }
    }
}

/// `Σ ⌊share · 2³² + ½⌋` of a batch of shares in [0, 1]. Each term is an integer below 2³³
/// and there are at most [`BATCH`] of them, so doubles hold every partial sum exactly, in any
/// order: four running sums, and a floor without a conversion, let the loop vectorise.
fn share_sum(shares: &[f64]) -> u64 {
    /// `2⁵²`: adding and subtracting it rounds a double in [0, 2⁵²) to an integer.
    const ROUNDER: f64 = 4_503_599_627_370_496.0;
    let term = |v: f64| {
        let x = v * SHARE_SCALE + 0.5;
        let r = (x + ROUNDER) - ROUNDER;
        if r > x { r - 1.0 } else { r }
    };
    let mut lanes = [0.0; 4];
    let chunks = shares.chunks_exact(4);
    let rest: f64 = chunks.remainder().iter().map(|&v| term(v)).sum();
    for c in chunks {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l += term(v);
        }
    }
    (lanes.iter().sum::<f64>() + rest) as u64
}

/// Who pays in cost group `class` (`None`: the frontier's access) for a target of `ln_e`.
fn payer(m: &SampleModel, class: Option<usize>, ln_e: f64) -> Payer {
    let (ln_price, ln_compute, ln_wage) = class.map_or((0.0, 0.0, 0.0), |k| {
        let a = &m.access[k];
        (a.ln_multiplier - a.ln_compute, a.ln_compute, a.ln_wage)
    });
    Payer {
        ln_e,
        ln_overhead: m.ln_overhead,
        ln_price,
        ln_compute,
        ln_wage,
    }
}
