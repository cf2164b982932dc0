/*!
What drives the answer: for every target × actor class and every uncertain input, the Spearman
rank correlation between the input and the affordability time, and the swing of the median
affordability time when the input is held at its 5th and at its 95th percentile.

Both re-run the same random streams as the main run, so memory stays bounded:
- ranks: an input's rank is exactly `Φ(z)` of its normal score (its marginal CDF at its value);
  a time's mid-rank comes from the main run's histogram (ties averaged, "never" ranking last).
  The correlation of the two ranks is Spearman's ρ, accumulated as sums per batch.
- swings: one more pass per input, with that input pinned and everything else drawn as usual
  (common random numbers), twice per sample (5th and 95th percentile).

Inputs that cannot affect a target × actor class are left out of its rows ([`can_affect`]):
another target's inputs (its `flop`, `person_years`, …) and another class's (its budget, access
terms), unless a declared correlation ties them to other inputs.
*/

use std::sync::atomic::AtomicBool;

use crate::dist::norm_cdf;
use crate::scenario::Scenario;
use crate::sim::{RunOptions, Sampler, Scratch, SimError, for_each_batch};
use crate::stats::TimeHistogram;
use crate::tally::Tally;

/// The percentiles an input is pinned at for the swing.
pub const SWING_LEVELS: [f64; 2] = [0.05, 0.95];

/// Sensitivity of one target × actor class to one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Target index.
    pub target: usize,
    /// Actor class index.
    pub actor: usize,
    /// Input index.
    pub input: usize,
    /// Spearman rank correlation between the input and the affordability time.
    pub spearman: f64,
    /// Its Monte Carlo standard error.
    pub spearman_se: f64,
    /// The input's value at its 5th and 95th percentiles.
    pub pinned_at: [f64; 2],
    /// Median affordability year with the input pinned at each (`None`: beyond the horizon).
    pub median_pinned: [Option<f64>; 2],
    /// Median affordability year of the main run.
    pub median: Option<f64>,
}

/// Fixed-point scale for sums of rank products (exact, order-independent merging).
const SCALE: f64 = 1_099_511_627_776.0; // 2^40

fn fixed(x: f64) -> i128 {
    (x * SCALE).round() as i128
}

/// Rank-correlation sums of one worker.
struct RankSums {
    /// Per input: Σu, Σu².
    u: Vec<[i128; 2]>,
    /// Per pair: Σr, Σr².
    r: Vec<[i128; 2]>,
    /// Per input × pair (input-major): Σu·r.
    ur: Vec<i128>,
    scratch: Scratch,
    /// Per-batch partial sums in floating point, folded into the fixed-point totals.
    batch_u: Vec<[f64; 2]>,
    batch_r: Vec<[f64; 2]>,
    batch_ur: Vec<f64>,
    ranks: Vec<f64>,
    us: Vec<f64>,
}

impl RankSums {
    fn new(scn: &Scenario, n_in: usize, n_pairs: usize) -> Self {
        RankSums {
            u: vec![[0; 2]; n_in],
            r: vec![[0; 2]; n_pairs],
            ur: vec![0; n_in * n_pairs],
            scratch: Scratch::new(scn),
            batch_u: vec![[0.0; 2]; n_in],
            batch_r: vec![[0.0; 2]; n_pairs],
            batch_ur: vec![0.0; n_in * n_pairs],
            ranks: vec![0.0; n_pairs],
            us: vec![0.0; n_in],
        }
    }

    /// Adds samples `from..to`: each input's normal score as a uniform, each pair's time as its
    /// mid-rank in `hists`.
    fn add(&mut self, sampler: &Sampler, hists: &[&TimeHistogram], from: u64, to: u64) {
        let n_pairs = hists.len();
        self.batch_u.iter_mut().for_each(|v| *v = [0.0; 2]);
        self.batch_r.iter_mut().for_each(|v| *v = [0.0; 2]);
        self.batch_ur.iter_mut().for_each(|v| *v = 0.0);
        for i in from..to {
            sampler.sample(i, &mut self.scratch);
            for (r, (tau, h)) in self
                .ranks
                .iter_mut()
                .zip(self.scratch.taus.iter().zip(hists))
            {
                *r = h.mid_rank(*tau);
            }
            for (u, z) in self.us.iter_mut().zip(&self.scratch.scores) {
                *u = norm_cdf(*z);
            }
            for (b, r) in self.batch_r.iter_mut().zip(&self.ranks) {
                b[0] += r;
                b[1] += r * r;
            }
            for (j, u) in self.us.iter().enumerate() {
                self.batch_u[j][0] += u;
                self.batch_u[j][1] += u * u;
                let row = &mut self.batch_ur[j * n_pairs..(j + 1) * n_pairs];
                for (acc, r) in row.iter_mut().zip(&self.ranks) {
                    *acc += u * r;
                }
            }
        }
        for (t, b) in self.u.iter_mut().zip(&self.batch_u) {
            t[0] += fixed(b[0]);
            t[1] += fixed(b[1]);
        }
        for (t, b) in self.r.iter_mut().zip(&self.batch_r) {
            t[0] += fixed(b[0]);
            t[1] += fixed(b[1]);
        }
        for (t, b) in self.ur.iter_mut().zip(&self.batch_ur) {
            *t += fixed(*b);
        }
    }

    /// Spearman's ρ and its standard error of every input × pair (`n_in` × `n_pairs`) from the
    /// sums of `states` over `samples` samples.
    fn correlations(
        states: &[RankSums],
        n_in: usize,
        n_pairs: usize,
        samples: u64,
    ) -> Vec<(f64, f64)> {
        let mut u = vec![[0i128; 2]; n_in];
        let mut r = vec![[0i128; 2]; n_pairs];
        let mut ur = vec![0i128; n_in * n_pairs];
        for st in states {
            u.iter_mut()
                .zip(&st.u)
                .for_each(|(a, b)| (a[0], a[1]) = (a[0] + b[0], a[1] + b[1]));
            r.iter_mut()
                .zip(&st.r)
                .for_each(|(a, b)| (a[0], a[1]) = (a[0] + b[0], a[1] + b[1]));
            ur.iter_mut().zip(&st.ur).for_each(|(a, b)| *a += b);
        }
        let n = samples as f64;
        let f = |x: i128| x as f64 / SCALE;
        let mut out = Vec::with_capacity(n_in * n_pairs);
        for j in 0..n_in {
            for p in 0..n_pairs {
                let (mu, mr) = (f(u[j][0]) / n, f(r[p][0]) / n);
                let var_u = f(u[j][1]) / n - mu * mu;
                let var_r = f(r[p][1]) / n - mr * mr;
                let cov = f(ur[j * n_pairs + p]) / n - mu * mr;
                // A year (or an input) the same in every sample has no rank correlation: not
                // 0, which would read as "no influence" with a standard error to match.
                let rho = if var_u > 0.0 && var_r > 1e-15 {
                    (cov / (var_u * var_r).sqrt()).clamp(-1.0, 1.0)
                } else {
                    f64::NAN
                };
                out.push((rho, spearman_se(rho, samples)));
            }
        }
        out
    }
}

/// Spearman's ρ of every input against every pair's affordability time, with standard errors:
/// `(input × pair)`, input-major, as `(ρ, se)`.
pub fn rank_correlations(
    scn: &Scenario,
    opts: &RunOptions,
    main: &Tally,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<(f64, f64)>, SimError> {
    let n_in = scn.inputs.len();
    let n_pairs = scn.targets.len() * scn.actors.len();
    let sampler = Sampler::new(scn, opts.seed);
    let hists: Vec<&TimeHistogram> = (0..n_pairs).map(|p| main.time_histogram(p)).collect();
    let states = for_each_batch(
        opts,
        progress,
        cancel,
        || RankSums::new(scn, n_in, n_pairs),
        |st, from, to| st.add(&sampler, &hists, from, to),
    )?;
    Ok(RankSums::correlations(&states, n_in, n_pairs, opts.samples))
}

/// The fewest samples a sensitivity analysis takes: the standard error of Spearman's ρ needs more
/// than 3 (with 1 to 3 every ρ is 0, ±0.5 or ±1 by construction, and its uncertainty undefined).
pub const MIN_SAMPLES: u64 = 4;

/// Standard error of a sample Spearman ρ from `n` samples: (1 − ρ²)·√((1 + ρ²/2)/(n − 3))
/// (Bonett & Wright 2000, via Fisher's z).
pub fn spearman_se(rho: f64, n: u64) -> f64 {
    if n <= 3 || rho.is_nan() {
        return f64::NAN;
    }
    (1.0 - rho * rho) * ((1.0 + rho * rho / 2.0) / (n as f64 - 3.0)).sqrt()
}

/// Per input: the median affordability year of every pair with the input pinned at its 5th and
/// 95th percentiles, `[pair][side]`.
pub fn swings(
    scn: &Scenario,
    opts: &RunOptions,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Vec<[Option<f64>; 2]>>, SimError> {
    let n_pairs = scn.targets.len() * scn.actors.len();
    let sampler = Sampler::new(scn, opts.seed);
    let origins: Vec<f64> = scn
        .targets
        .iter()
        .flat_map(|t| {
            std::iter::repeat_n(
                t.frontier_year().unwrap_or(scn.start_year),
                scn.actors.len(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(scn.inputs.len());
    for (j, input) in scn.inputs.iter().enumerate() {
        let pinned = SWING_LEVELS.map(|p| input.dist.quantile(p));
        let states = for_each_batch(
            opts,
            progress,
            cancel,
            || {
                let hists: Vec<[TimeHistogram; 2]> = origins
                    .iter()
                    .map(|&o| {
                        [
                            TimeHistogram::new(o, scn.end_year),
                            TimeHistogram::new(o, scn.end_year),
                        ]
                    })
                    .collect();
                (hists, Scratch::new(scn))
            },
            |(hists, s), from, to| {
                for i in from..to {
                    sampler.draw(i, s);
                    for (side, value) in pinned.iter().enumerate() {
                        s.draws.set(j, *value);
                        sampler.solve(s);
                        for (h, tau) in hists.iter_mut().zip(&s.taus) {
                            h[side].insert(*tau);
                        }
                    }
                }
            },
        )?;
        let mut merged: Vec<[TimeHistogram; 2]> = origins
            .iter()
            .map(|&o| {
                [
                    TimeHistogram::new(o, scn.end_year),
                    TimeHistogram::new(o, scn.end_year),
                ]
            })
            .collect();
        for (hists, _) in &states {
            for (m, h) in merged.iter_mut().zip(hists) {
                m[0].merge(&h[0]);
                m[1].merge(&h[1]);
            }
        }
        debug_assert_eq!(merged.len(), n_pairs);
        out.push(
            merged
                .iter()
                .map(|h| [h[0].quantile(0.5), h[1].quantile(0.5)])
                .collect(),
        );
    }
    Ok(out)
}

/// The full analysis: every input against every target × actor class.
pub fn analyse(
    scn: &Scenario,
    opts: &RunOptions,
    main: &Tally,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Sensitivity>, SimError> {
    let ranks = rank_correlations(scn, opts, main, progress, cancel)?;
    let swing = swings(scn, opts, progress, cancel)?;
    let n_actors = scn.actors.len();
    let n_pairs = scn.targets.len() * n_actors;
    let mut out = Vec::with_capacity(scn.inputs.len() * n_pairs);
    let owners = Owners::new(scn);
    for p in 0..n_pairs {
        let median = main.time_histogram(p).quantile(0.5);
        for (j, input) in scn.inputs.iter().enumerate() {
            if !owners.can_affect(j, p / n_actors, p % n_actors) {
                continue;
            }
            let (spearman, spearman_se) = ranks[j * n_pairs + p];
            out.push(Sensitivity {
                target: p / n_actors,
                actor: p % n_actors,
                input: j,
                spearman,
                spearman_se,
                pinned_at: SWING_LEVELS.map(|l| input.dist.quantile(l)),
                median_pinned: swing[j][p],
                median,
            });
        }
    }
    Ok(out)
}

/// The analysis of the pairs of `targets` × `actors` only (indices into the scenario's): all of
/// them with [`analyse`] and the run's tally `main`, or a subset of the scenario with the same
/// inputs and streams and fewer crossings to solve, sampled again. Rows name the scenario's
/// targets and classes either way.
pub fn analyse_pairs(
    scn: &Scenario,
    opts: &RunOptions,
    main: &Tally,
    (targets, actors): (&[usize], &[usize]),
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Sensitivity>, SimError> {
    if is_everything(scn, targets, actors) {
        return analyse(scn, opts, main, progress, cancel);
    }
    let sub = scn.subset(targets, actors);
    let sub_tally = crate::sim::simulate(&sub, opts, progress, cancel)?;
    let mut rows = analyse(&sub, opts, &sub_tally, progress, cancel)?;
    for r in &mut rows {
        r.target = targets[r.target];
        r.actor = actors[r.actor];
    }
    // The subset does not have the other classes and targets, whose inputs it keeps: judge
    // relevance in the whole scenario.
    let owners = Owners::new(scn);
    rows.retain(|r| owners.can_affect(r.input, r.target, r.actor));
    Ok(rows)
}

/// The sampling passes of [`analyse_pairs`]: the rank correlations' pass, one per input for
/// the swings, and one more for a subset.
pub fn passes(scn: &Scenario, targets: &[usize], actors: &[usize]) -> u64 {
    1 + scn.inputs.len() as u64 + u64::from(!is_everything(scn, targets, actors))
}

fn is_everything(scn: &Scenario, targets: &[usize], actors: &[usize]) -> bool {
    targets.len() == scn.targets.len() && actors.len() == scn.actors.len()
}

/// Which target and which actor class each input belongs to, for [`can_affect`].
struct Owners {
    /// Per input: the targets whose tables it is written in.
    targets: Vec<Vec<usize>>,
    /// Per input: the actor classes whose tables it is written in.
    actors: Vec<Vec<usize>>,
    /// Per input: in a declared correlation.
    correlated: Vec<bool>,
}

impl Owners {
    fn new(scn: &Scenario) -> Self {
        use crate::scenario::{ActorBudget, Cap, Quantity, TargetKind};
        let n = scn.inputs.len();
        let mut targets = vec![Vec::new(); n];
        let mut actors = vec![Vec::new(); n];
        let own = |list: &mut Vec<Vec<usize>>, q: Option<&Quantity>, owner: usize| {
            if let Some(Quantity::Input(i)) = q {
                list[*i].push(owner);
            }
        };
        for (j, t) in scn.targets.iter().enumerate() {
            match &t.kind {
                TargetKind::Fixed { flop, .. } => own(&mut targets, Some(flop), j),
                TargetKind::CostAt { cost, .. } => own(&mut targets, Some(cost), j),
                TargetKind::FrontierOf { .. } => {}
            }
            own(&mut targets, t.person_years.as_ref(), j);
            own(&mut targets, t.tokens_served.as_ref(), j);
        }
        for (k, a) in scn.actors.iter().enumerate() {
            match &a.budget {
                ActorBudget::Frontier(f) => own(&mut actors, f.as_ref(), k),
                ActorBudget::Own(p) => {
                    own(&mut actors, p.initial.as_ref(), k);
                    for r in &p.regimes {
                        own(&mut actors, Some(&r.value), k);
                    }
                    for c in &p.caps {
                        match c {
                            Cap::Level(q) => own(&mut actors, Some(q), k),
                            Cap::ShareOfGwp {
                                fraction,
                                gwp,
                                growth,
                            } => {
                                for q in [fraction, gwp, growth] {
                                    own(&mut actors, Some(q), k);
                                }
                            }
                        }
                    }
                }
            }
            let x = &a.access;
            for q in [
                &x.algorithm_lag,
                &x.hardware_lag,
                &x.price_multiplier,
                &x.compute_multiplier,
                &x.own_halving_time,
                &x.wage_multiplier,
            ] {
                own(&mut actors, q.as_ref(), k);
            }
            own(&mut actors, a.spread.as_ref(), k);
        }
        let mut correlated = vec![false; n];
        for p in &scn.correlations {
            correlated[p.a] = true;
            correlated[p.b] = true;
        }
        Self {
            targets,
            actors,
            correlated,
        }
    }

    fn can_affect(&self, input: usize, target: usize, actor: usize) -> bool {
        let foreign = |owners: &[usize], me: usize| !owners.is_empty() && !owners.contains(&me);
        self.correlated[input]
            || !(foreign(&self.targets[input], target) || foreign(&self.actors[input], actor))
    }
}

/// False when input `input` cannot change when actor class `actor` can afford target `target`:
/// it is written in another target's table (another target's `flop`, `cost`, `person_years`,
/// `tokens_served`: a target's cost is built from its own numbers and the shared processes, and a
/// frontier-of-year target's compute is the frontier's) or in another class's (a class's budget
/// and access terms are its own; a `"frontier"` budget follows the frontier spend, not another
/// class), and no declared correlation ties it to other inputs (then it moves with them).
pub fn can_affect(scn: &Scenario, input: usize, target: usize, actor: usize) -> bool {
    Owners::new(scn).can_affect(input, target, actor)
}

impl Sensitivity {
    /// The size of the swing in years. When one of the two medians is beyond the horizon the
    /// swing is only known to be at least the distance to the horizon, its lower bound.
    pub fn swing(&self, end_year: f64) -> f64 {
        let at = |m: Option<f64>| m.unwrap_or(end_year);
        (at(self.median_pinned[1]) - at(self.median_pinned[0])).abs()
    }

    /// True when [`Self::swing`] is only a lower bound (a median beyond the horizon).
    pub fn swing_is_lower_bound(&self) -> bool {
        self.median_pinned[0].is_none() != self.median_pinned[1].is_none()
    }
}
