/*!
The model's math, per Monte Carlo sample (`../shared/MODEL.md`).

Every process is a log-quantity that moves linearly within each regime and is clamped from above
by caps, so it is piecewise linear in time. Costs and budgets are sums of such paths, so the first
time a cost falls below a budget is found exactly: collect every kink of every path on one grid,
evaluate the paths there once, and interpolate linearly inside the first piece where the
difference changes sign. No I/O and no randomness: the numbers come in already drawn.
*/

use std::f64::consts::{LN_2, LN_10};

use crate::costs::{Costs, Pair, PairBudget, Payer, Prims};

/// Log-space tolerance for "the cost fits the budget": costs within a factor 1 + 1e-9 of the
/// budget count as affordable, so that rounding cannot hide an exact tie (the frontier affording
/// its own frontier-of-year capability exactly at that year).
pub const FIT_TOLERANCE: f64 = 1e-9;

/// How a rate is written in a scenario; every form converts to natural-log units per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateKind {
    /// `doubling_time_years = h`: the quantity doubles every `h` years, `r = ln 2 / h`.
    DoublingTime,
    /// `halving_time_years = h`: the FLOP a fixed capability needs halve every `h` years, so
    /// algorithmic efficiency grows at `r = ln 2 / h`.
    HalvingTime,
    /// `growth_per_year = g`: the quantity is multiplied by `g` each year, `r = ln g`.
    GrowthPerYear,
    /// `ooms_per_year = o`: orders of magnitude per year, `r = o · ln 10`.
    OomsPerYear,
}

impl RateKind {
    /// Converts a drawn value of this rate to natural-log units per year.
    pub fn to_log_rate(self, v: f64) -> f64 {
        match self {
            RateKind::DoublingTime | RateKind::HalvingTime => LN_2 / v,
            RateKind::GrowthPerYear => v.ln(),
            RateKind::OomsPerYear => v * LN_10,
        }
    }

    /// The scenario key that writes this rate.
    pub fn key(self) -> &'static str {
        match self {
            RateKind::DoublingTime => "doubling_time_years",
            RateKind::HalvingTime => "halving_time_years",
            RateKind::GrowthPerYear => "growth_per_year",
            RateKind::OomsPerYear => "ooms_per_year",
        }
    }

    /// True when the value must be strictly positive (times and growth factors).
    pub fn needs_positive(self) -> bool {
        !matches!(self, RateKind::OomsPerYear)
    }
}

/// A straight line in log space, `ln c(t) = at_start + slope · (t − start)`: a cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// The cap's natural log at the start year.
    pub at_start: f64,
    /// Its growth in natural-log units per year (0 for a fixed cap).
    pub slope: f64,
}

/// A piecewise-linear log-quantity: `ln X(t) = min(x0 + ∫ r, caps)`, rates constant per regime.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPath {
    start: f64,
    x0: f64,
    /// End year of each regime; the last is +∞.
    untils: Vec<f64>,
    /// Rate of each regime, natural-log units per year.
    rates: Vec<f64>,
    caps: Vec<Line>,
}

impl LogPath {
    /// Clears the path and starts it at `ln X(start) = x0` (before caps), keeping its memory.
    pub fn reset(&mut self, start: f64, x0: f64) {
        self.start = start;
        self.x0 = x0;
        self.untils.clear();
        self.rates.clear();
        self.caps.clear();
    }

    /// Appends a regime that runs until `until` (use +∞ for the last) at `rate` per year.
    pub fn push_regime(&mut self, until: f64, rate: f64) {
        self.untils.push(until);
        self.rates.push(rate);
    }

    /// Adds a cap from above.
    pub fn push_cap(&mut self, cap: Line) {
        self.caps.push(cap);
    }

    /// The year the path starts and `ln X` there before caps.
    pub fn origin(&self) -> (f64, f64) {
        (self.start, self.x0)
    }

    /// Each regime's end year (the last is +∞) and rate.
    pub fn regimes(&self) -> impl ExactSizeIterator<Item = (f64, f64)> + '_ {
        self.untils.iter().copied().zip(self.rates.iter().copied())
    }

    /// The caps, lines relative to the start year.
    pub fn caps(&self) -> &[Line] {
        &self.caps
    }

    /// The path `lag` years late: `out(t) = self(t − lag)`, regimes and caps included.
    pub fn shifted(&self, lag: f64, out: &mut LogPath) {
        out.clone_from(self);
        out.start = self.start + lag;
        for u in &mut out.untils {
            *u += lag;
        }
    }

    /// A path with one regime and no cap, for tests and simple callers.
    pub fn constant_rate(start: f64, x0: f64, rate: f64) -> Self {
        let mut p = Self::default();
        p.reset(start, x0);
        p.push_regime(f64::INFINITY, rate);
        p
    }

    /// `x0 + ∫ r` before caps. Before `start` the first regime's rate is applied backwards.
    pub fn uncapped(&self, t: f64) -> f64 {
        if t <= self.start {
            return self.x0 + self.rates.first().copied().unwrap_or(0.0) * (t - self.start);
        }
        let mut x = self.x0;
        let mut from = self.start;
        for (&until, &rate) in self.untils.iter().zip(&self.rates) {
            let to = until.min(t);
            if to > from {
                x += rate * (to - from);
                from = to;
            }
            if t <= until {
                break;
            }
        }
        x
    }

    /// The value of the path at `t`, caps applied.
    pub fn value(&self, t: f64) -> f64 {
        let mut x = self.uncapped(t);
        for cap in &self.caps {
            x = x.min(cap.at_start + cap.slope * (t - self.start));
        }
        x
    }

    /// The path's value at each of the ascending `times`, caps applied, regime by regime over
    /// all the times at once (no search: a regime adds `rate · clamp(t − from, 0, length)`).
    /// The same numbers as [`LogPath::value`] at each time.
    pub fn values_at(&self, times: &[f64], out: &mut [f64]) {
        debug_assert_eq!(times.len(), out.len());
        let mut regimes = self.untils.iter().zip(&self.rates);
        let Some((&first_until, &first_rate)) = regimes.next() else {
            out.fill(self.x0);
            return self.apply_caps(times, out);
        };
        // The first regime also runs backwards before the start.
        let len = first_until - self.start;
        for (o, &t) in out.iter_mut().zip(times) {
            let d = t - self.start;
            *o = self.x0 + first_rate * if d < len { d } else { len };
        }
        let mut from = first_until;
        for (&until, &rate) in regimes {
            let len = until - from;
            for (o, &t) in out.iter_mut().zip(times) {
                let d = t - from;
                let d = if d > 0.0 { d } else { 0.0 };
                *o += rate * if d < len { d } else { len };
            }
            from = until;
        }
        self.apply_caps(times, out);
    }

    fn apply_caps(&self, times: &[f64], out: &mut [f64]) {
        for cap in &self.caps {
            for (o, &t) in out.iter_mut().zip(times) {
                *o = o.min(cap.at_start + cap.slope * (t - self.start));
            }
        }
    }

    /// Appends every time in `(from, to)` where the path may change slope: regime boundaries,
    /// crossings of the uncapped path with a cap, and crossings of two caps. A superset of the
    /// true kinks is harmless.
    pub fn push_kinks(&self, from: f64, to: f64, out: &mut Vec<f64>) {
        let inside = |t: f64| t > from && t < to;
        if from < self.start {
            // Before the start the first regime's line runs backwards; it may cross a cap there.
            let r1 = self.rates.first().copied().unwrap_or(0.0);
            for cap in &self.caps {
                let d0 = self.x0 - cap.at_start;
                let slope = r1 - cap.slope;
                if slope != 0.0 {
                    let t = self.start - d0 / slope;
                    if t < self.start && inside(t) {
                        out.push(t);
                    }
                }
            }
        }
        let mut seg_start = self.start;
        let mut x = self.x0;
        for (&until, &rate) in self.untils.iter().zip(&self.rates) {
            if inside(until) {
                out.push(until);
            }
            let seg_end = until.min(to);
            if seg_end > seg_start {
                for cap in &self.caps {
                    // d(t) = uncapped − cap is linear on the segment: push its root if inside.
                    let d0 = x - (cap.at_start + cap.slope * (seg_start - self.start));
                    let slope = rate - cap.slope;
                    if slope != 0.0 {
                        let t = seg_start - d0 / slope;
                        if t > seg_start && t < seg_end && inside(t) {
                            out.push(t);
                        }
                    }
                }
                x += rate * (seg_end - seg_start);
                seg_start = seg_end;
            }
            if until >= to {
                break;
            }
        }
        for (i, a) in self.caps.iter().enumerate() {
            for b in &self.caps[i + 1..] {
                if a.slope != b.slope {
                    let t = self.start + (b.at_start - a.at_start) / (a.slope - b.slope);
                    if inside(t) {
                        out.push(t);
                    }
                }
            }
        }
    }
}

/// An actor class's budget for one sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Budget {
    /// `B(t) = f · m · S(t)`: a fraction `f` of the frontier's whole project around its largest
    /// run (`ln_fraction = ln f`, 0 for the frontier itself).
    Frontier { ln_fraction: f64 },
    /// Its own path, `ln B(t)`.
    Own(LogPath),
}

/// How one actor class reaches the frontier's algorithms, hardware and prices, for one sample.
/// The default is the frontier's own access.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Access {
    /// `ln(price_multiplier · compute_multiplier)`: added to the log cost.
    pub ln_multiplier: f64,
    /// `ln compute_multiplier` alone: the class trains `compute_multiplier` times the
    /// frontier's FLOP (its data and model size follow from them).
    pub ln_compute: f64,
    /// `ln wage_multiplier`: what a person-year costs the class relative to the scenario's wage.
    pub ln_wage: f64,
    /// Years behind the frontier's FLOP per dollar: the class pays `P(t − h)`.
    pub hardware_lag: f64,
    /// Years behind the frontier's algorithms: the class trains with `A(t − a)`.
    pub algorithm_lag: f64,
    /// Natural-log rate of the class's own algorithmic progress after a publication closure
    /// (`None`: it keeps following the frontier's published algorithms).
    pub own_rate: Option<f64>,
    /// `σ · ln 10`: the spread of log budgets across the class's actors.
    pub ln_spread: f64,
}

impl Access {
    /// True when the class's progress `ln P(t − h) + ln A_k(t)` is the frontier's own.
    fn shares_progress(&self, closed_from: Option<f64>) -> bool {
        self.hardware_lag == 0.0
            && self.algorithm_lag == 0.0
            && (self.own_rate.is_none() || closed_from.is_none())
    }
}

/// The actors within every class, for counts and ranks: class `k` has `count` actors whose log10
/// budgets sit at `σ_k · z_i` around the class budget, `z_i = Φ⁻¹((i − ½)/N)` (stratified: no
/// randomness of its own).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Population {
    /// Per class, the z-scores of its actors, largest (richest) first.
    pub z: Vec<Vec<f64>>,
    /// Per class, the index of its first actor among all actors.
    pub offsets: Vec<usize>,
    /// Actors over all classes.
    pub total: usize,
}

impl Population {
    /// The stratified actors of classes with these counts.
    pub fn new(counts: Vec<u32>) -> Self {
        let mut offsets = Vec::with_capacity(counts.len());
        let mut total = 0;
        let z = counts
            .iter()
            .map(|&n| {
                offsets.push(total);
                total += n as usize;
                (1..=n)
                    .rev()
                    .map(|i| {
                        // The middle actor of an odd count is the class's median actor exactly.
                        if 2 * i == n + 1 {
                            0.0
                        } else {
                            crate::dist::norm_quantile((f64::from(i) - 0.5) / f64::from(n))
                        }
                    })
                    .collect()
            })
            .collect();
        Self { z, offsets, total }
    }
}

/// What a target needs, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Requirement {
    /// `ln F` FLOP at the algorithms of `flop_year` (the start year when absent).
    Fixed {
        ln_flop: f64,
        flop_year: Option<f64>,
    },
    /// The capability of the largest run in `year`: `E = S(Y) · P(Y) · A(Y)`.
    FrontierOf { year: f64 },
    /// The capability whose whole-project cost at the frontier in `year` is `e^ln_cost`
    /// dollars: `E = cost · P(Y) · A(Y) / m`.
    CostAt { ln_cost: f64, year: f64 },
}

/// Every number of one Monte Carlo sample, already drawn: the model for that sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleModel {
    /// First year of the horizon.
    pub start: f64,
    /// Last year of the horizon.
    pub end: f64,
    /// `ln P(t)`, effective FLOP per dollar.
    pub hardware: LogPath,
    /// `ln A(t)`, algorithmic efficiency (`A(start) = 1`).
    pub algorithms: LogPath,
    /// `ln S(t)`, the largest run's compute cost in dollars.
    pub investment: LogPath,
    /// `ln m`, the whole-project overhead multiplier.
    pub ln_overhead: f64,
    /// The year the frontier stops publishing algorithmic insights, if it does.
    pub closed_from: Option<f64>,
    /// One budget per actor class.
    pub budgets: Vec<Budget>,
    /// One access per actor class.
    pub access: Vec<Access>,
    /// One requirement per target.
    pub targets: Vec<Requirement>,
    /// Costs beyond training compute (data, staff, deployment), when the scenario has any.
    pub costs: Option<Costs>,
}

impl SampleModel {
    /// `ln E`: the target's effective FLOP at start-year algorithms.
    #[inline]
    pub fn ln_effective_flop(&self, target: &Requirement) -> f64 {
        match *target {
            Requirement::Fixed { ln_flop, flop_year } => match flop_year {
                // F FLOP at the algorithms of year y need F · A(y) FLOP at start-year algorithms.
                Some(y) => ln_flop + self.algorithms.value(y),
                None => ln_flop,
            },
            Requirement::FrontierOf { year } => {
                self.investment.value(year)
                    + self.hardware.value(year)
                    + self.algorithms.value(year)
            }
            Requirement::CostAt { ln_cost, year } => {
                ln_cost + self.hardware.value(year) + self.algorithms.value(year) - self.ln_overhead
            }
        }
    }

    /// The first year the target exists: the start, or `Y` for a frontier-of-`Y` target.
    pub fn available_from(&self, target: &Requirement) -> f64 {
        match *target {
            Requirement::Fixed { .. } | Requirement::CostAt { .. } => self.start,
            Requirement::FrontierOf { year } => year,
        }
    }

    /// True when class `k` trains with the frontier's own progress `ln P(t) + ln A(t)`.
    pub fn shares_progress(&self, k: usize) -> bool {
        self.access[k].shares_progress(self.closed_from)
    }

    /// Class `k`'s progress `ln P(t − h_k) + ln A_k(t)` at each of the ascending `times`, where
    /// `A_k(t) = A(t − a_k)`, and after a publication closure at `c` (for a class with its own
    /// rate `r`) `A_k(t) = min(A(c) + r · (t − c − a_k), A(t − a_k))` for `t > c + a_k`.
    pub fn class_progress(&self, k: usize, times: &[f64], out: &mut [f64], buf: &mut PathScratch) {
        let mut alg = std::mem::take(&mut buf.values);
        alg.resize(times.len(), 0.0);
        self.class_parts(k, times, out, &mut alg, buf);
        for (o, v) in out.iter_mut().zip(&alg) {
            *o += v;
        }
        buf.values = alg;
    }

    /// Class `k`'s `ln P(t − h_k)` into `hw` and `ln A_k(t)` into `alg` at each of the ascending
    /// `times` (see [`SampleModel::class_progress`]).
    pub fn class_parts(
        &self,
        k: usize,
        times: &[f64],
        hw: &mut [f64],
        alg: &mut [f64],
        buf: &mut PathScratch,
    ) {
        let a = &self.access[k];
        let n = times.len();
        buf.shifted.clear();
        buf.shifted.extend(times.iter().map(|t| t - a.hardware_lag));
        self.hardware.values_at(&buf.shifted, hw);
        let closure = self.closure(a);
        let split = closure.map_or(n, |(c, _)| {
            times.partition_point(|&t| t <= c + a.algorithm_lag)
        });
        buf.shifted.clear();
        buf.shifted
            .extend(times[..split].iter().map(|t| t - a.algorithm_lag));
        self.algorithms.values_at(&buf.shifted, &mut alg[..split]);
        if let Some((c, r)) = closure {
            self.closed_path(c, r, a.algorithm_lag, &mut buf.closed);
            buf.closed.values_at(&times[split..], &mut alg[split..]);
        }
    }

    /// `ln C_jk(t) = ln m + ln E + ln(price · compute) − ln P(t − h_k) − ln A_k(t)`: class `k`'s
    /// whole-project cost at `t` of a target needing `ln_e` effective FLOP.
    pub fn ln_class_cost(&self, k: usize, ln_e: f64, t: f64, buf: &mut PathScratch) -> f64 {
        let mut progress = [0.0];
        self.class_progress(k, &[t], &mut progress, buf);
        self.ln_overhead + ln_e + self.access[k].ln_multiplier - progress[0]
    }

    /// After a publication closure, the line that caps class `k`'s lagged algorithms (relative to
    /// the lagged start, as in [`LogPath::shifted`]) and the year from which it applies; `None`
    /// when the class keeps following the frontier's algorithms.
    pub fn closure_cap(&self, k: usize) -> Option<(Line, f64)> {
        let a = &self.access[k];
        let (c, r) = self.closure(a)?;
        let line = Line {
            at_start: self.algorithms.value(c) + r * (self.start - c),
            slope: r,
        };
        Some((line, c + a.algorithm_lag))
    }

    /// `(closed_from, own rate)` when class access `a` stops receiving the frontier's insights.
    fn closure(&self, a: &Access) -> Option<(f64, f64)> {
        Some((self.closed_from?, a.own_rate?))
    }

    /// The class's algorithms after a closure at `c`: its lagged access `A(t − lag)` capped by
    /// its own line `ln A(c) + r · (t − c − lag)`; equal to `ln A_k(t)` for `t > c + lag`.
    fn closed_path(&self, c: f64, r: f64, lag: f64, out: &mut LogPath) {
        self.algorithms.shifted(lag, out);
        // A cap's line is relative to the path's start, `start + lag`.
        out.push_cap(Line {
            at_start: self.algorithms.value(c) + r * (self.start - c),
            slope: r,
        });
    }

    /// Appends every time in `(start, end)` where class `k`'s progress may change slope.
    fn push_class_kinks(&self, k: usize, out: &mut Vec<f64>, buf: &mut PathScratch) {
        let a = self.access[k];
        let (start, end) = (self.start, self.end);
        let mut shifted = |path: &LogPath, lag: f64, to: f64, out: &mut Vec<f64>| {
            buf.kinks.clear();
            path.push_kinks(start - lag, to - lag, &mut buf.kinks);
            out.extend(buf.kinks.iter().map(|t| t + lag));
            if start + lag < to {
                out.push(start + lag);
            }
        };
        shifted(&self.hardware, a.hardware_lag, end, out);
        match self.closure(&a) {
            None => shifted(&self.algorithms, a.algorithm_lag, end, out),
            Some((c, r)) => {
                let open_until = (c + a.algorithm_lag).min(end);
                shifted(&self.algorithms, a.algorithm_lag, open_until, out);
                if open_until < end {
                    out.push(open_until);
                    self.closed_path(c, r, a.algorithm_lag, &mut buf.closed);
                    buf.closed.push_kinks(open_until, end, out);
                }
            }
        }
    }

    /// `ln C(t) = ln m + ln E − ln P(t) − ln A(t)`: the whole-project cost of training `ln E`.
    pub fn ln_cost(&self, ln_e: f64, t: f64) -> f64 {
        self.ln_overhead + ln_e - self.hardware.value(t) - self.algorithms.value(t)
    }

    /// `ln B_k(t)`.
    pub fn ln_budget(&self, budget: &Budget, t: f64) -> f64 {
        match budget {
            Budget::Frontier { ln_fraction } => {
                self.ln_overhead + ln_fraction + self.investment.value(t)
            }
            Budget::Own(path) => path.value(t),
        }
    }
}

/// Reusable memory for evaluating shifted and closed paths.
#[derive(Debug, Clone, Default)]
pub struct PathScratch {
    shifted: Vec<f64>,
    values: Vec<f64>,
    kinks: Vec<f64>,
    closed: LogPath,
}

/// Reusable memory for solving the crossings of one sample after another.
#[derive(Debug, Default)]
pub struct CrossingSolver {
    grid: Vec<f64>,
    /// `ln P + ln A` at each grid point.
    progress: Vec<f64>,
    /// Class progress `ln P(t − h_k) + ln A_k(t)` at each grid point, actor-major (filled only
    /// for classes that do not share the frontier's).
    class_progress: Vec<f64>,
    /// `ln B_k` at each grid point, actor-major.
    budgets: Vec<f64>,
    /// `ln S` (and scratch) at each grid point.
    spend: Vec<f64>,
    /// One pair's `ln C − ln B` at each grid point (for the actors within a class).
    diff: Vec<f64>,
    /// Per target: its first grid index and `ln m + ln E`.
    bases: Vec<(usize, f64)>,
    paths: PathScratch,
    /// With costs beyond compute: `ln P` and `ln A` at each grid point, and each class's own
    /// (actor-major, filled only for classes that do not share the frontier's progress).
    hw: Vec<f64>,
    alg: Vec<f64>,
    class_hw: Vec<f64>,
    class_alg: Vec<f64>,
}

impl CrossingSolver {
    /// Fills `taus[j * K + k]` with the affordability time of target `j` for actor class `k`:
    /// `τ = inf { t ∈ [t_j, end] : C_jk(t) ≤ B_k(t) }`, `+∞` when it never fits by the horizon.
    /// With a population, also fills `actor_taus[j * total + offset_k + i]` with the time of
    /// actor `i` of class `k` (richest first, so each class's times ascend).
    pub fn solve(
        &mut self,
        m: &SampleModel,
        taus: &mut [f64],
        population: Option<(&Population, &mut [f64])>,
    ) {
        let n_actors = m.budgets.len();
        debug_assert_eq!(taus.len(), m.targets.len() * n_actors);
        self.build_grid(m);
        let g = self.grid.len();
        // ln P + ln A, ln S and every ln B at every grid point: one walk per path.
        self.progress.resize(g, 0.0);
        self.spend.resize(g, 0.0);
        m.hardware.values_at(&self.grid, &mut self.progress);
        m.algorithms.values_at(&self.grid, &mut self.spend);
        for (p, a) in self.progress.iter_mut().zip(&self.spend) {
            *p += a;
        }
        m.investment.values_at(&self.grid, &mut self.spend);
        self.budgets.resize(g * m.budgets.len(), 0.0);
        for (b, out) in m.budgets.iter().zip(self.budgets.chunks_exact_mut(g)) {
            match b {
                Budget::Frontier { ln_fraction } => {
                    for (o, s) in out.iter_mut().zip(&self.spend) {
                        *o = m.ln_overhead + ln_fraction + s;
                    }
                }
                Budget::Own(path) => path.values_at(&self.grid, out),
            }
        }
        // Per target: where it starts on the grid and `ln m + ln E`.
        self.bases.clear();
        self.bases.extend(m.targets.iter().map(|target| {
            let from = m.available_from(target);
            let first = self.grid.partition_point(|&t| t < from);
            (first, m.ln_overhead + m.ln_effective_flop(target))
        }));
        if let Some(costs) = &m.costs {
            self.fill_parts(m);
            self.solve_with_costs(m, costs, taus, population);
            return;
        }
        // Without costs beyond compute, each class needs only its summed progress (the
        // component solver reads the hardware and algorithm parts apart, in `fill_parts`).
        self.class_progress.resize(g * n_actors, 0.0);
        for k in 0..n_actors {
            if !m.shares_progress(k) {
                let out = &mut self.class_progress[k * g..(k + 1) * g];
                m.class_progress(k, &self.grid, out, &mut self.paths);
            }
        }
        let mut population = population;
        for k in 0..n_actors {
            let budget = &self.budgets[k * g..(k + 1) * g];
            let progress = if m.shares_progress(k) {
                &self.progress[..]
            } else {
                &self.class_progress[k * g..(k + 1) * g]
            };
            let access = &m.access[k];
            for (j, &(first, base)) in self.bases.iter().enumerate() {
                let offset = base + access.ln_multiplier;
                let diff = |i: usize| offset - progress[i] - budget[i];
                taus[j * n_actors + k] = first_fit(&self.grid, first, diff);
                if let Some((pop, actor_taus)) = population.as_mut() {
                    self.diff.clear();
                    self.diff
                        .extend((0..g).map(|i| offset - progress[i] - budget[i]));
                    let from = j * pop.total + pop.offsets[k];
                    let out = &mut actor_taus[from..from + pop.z[k].len()];
                    let thresholds = pop.z[k].iter().map(|z| access.ln_spread * z);
                    first_fits(&self.grid, first, &self.diff, thresholds, out);
                }
            }
        }
    }

    /// `ln P`, `ln A` and every class's own parts at each grid point, for costs beyond compute.
    fn fill_parts(&mut self, m: &SampleModel) {
        let g = self.grid.len();
        let n_actors = m.budgets.len();
        self.hw.resize(g, 0.0);
        self.alg.resize(g, 0.0);
        m.hardware.values_at(&self.grid, &mut self.hw);
        m.algorithms.values_at(&self.grid, &mut self.alg);
        self.class_hw.resize(g * n_actors, 0.0);
        self.class_alg.resize(g * n_actors, 0.0);
        for k in 0..n_actors {
            if !m.shares_progress(k) {
                let (hw, alg) = (
                    &mut self.class_hw[k * g..(k + 1) * g],
                    &mut self.class_alg[k * g..(k + 1) * g],
                );
                m.class_parts(k, &self.grid, hw, alg, &mut self.paths);
            }
        }
    }

    /// The crossings when data, staff or deployment cost money (see [`crate::costs`]).
    fn solve_with_costs(
        &mut self,
        m: &SampleModel,
        costs: &Costs,
        taus: &mut [f64],
        mut population: Option<(&Population, &mut [f64])>,
    ) {
        let g = self.grid.len();
        let n_actors = m.budgets.len();
        for k in 0..n_actors {
            let access = &m.access[k];
            let shares = m.shares_progress(k);
            let (hw, alg) = if shares {
                (&self.hw[..], &self.alg[..])
            } else {
                (
                    &self.class_hw[k * g..(k + 1) * g],
                    &self.class_alg[k * g..(k + 1) * g],
                )
            };
            let budget = &self.budgets[k * g..(k + 1) * g];
            let pair_budget = match m.budgets[k] {
                Budget::Frontier { ln_fraction } => PairBudget::Frontier { ln_fraction },
                Budget::Own(_) => PairBudget::Own,
            };
            // The frontier's own class pays, and its budget covers, the same data, staff and
            // deployment: it fits exactly when its compute does, as without components.
            let frontier_itself = pair_budget == (PairBudget::Frontier { ln_fraction: 0.0 })
                && shares
                && access.ln_multiplier == 0.0
                && access.ln_compute == 0.0
                && access.ln_wage == 0.0;
            let prims = |i: usize| Prims {
                hw: hw[i],
                alg: alg[i],
                hw_f: self.hw[i],
                alg_f: self.alg[i],
                spend: self.spend[i],
                budget: budget[i],
            };
            for (j, &(first, base)) in self.bases.iter().enumerate() {
                let ln_e = base - m.ln_overhead;
                let mut pair = Pair {
                    costs,
                    target: j,
                    payer: Payer {
                        ln_e,
                        ln_overhead: m.ln_overhead,
                        ln_price: access.ln_multiplier - access.ln_compute,
                        ln_compute: access.ln_compute,
                        ln_wage: access.ln_wage,
                    },
                    frontier: Payer {
                        ln_e,
                        ln_overhead: m.ln_overhead,
                        ln_price: 0.0,
                        ln_compute: 0.0,
                        ln_wage: 0.0,
                    },
                    budget: pair_budget,
                    ln_budget_scale: 0.0,
                };
                taus[j * n_actors + k] = if frontier_itself {
                    first_fit(&self.grid, first, |i| base - self.progress[i] - budget[i])
                } else {
                    pair.first_fit(&self.grid, first, prims)
                };
                if let Some((pop, actor_taus)) = population.as_mut() {
                    let from = j * pop.total + pop.offsets[k];
                    let out = &mut actor_taus[from..from + pop.z[k].len()];
                    // Richer actors first: each one's time is no earlier than the one before.
                    let mut start = first;
                    let mut earliest = f64::NEG_INFINITY;
                    for (z, o) in pop.z[k].iter().zip(out.iter_mut()) {
                        pair.ln_budget_scale = access.ln_spread * z;
                        let tau = if earliest == f64::INFINITY {
                            f64::INFINITY
                        } else {
                            pair.first_fit(&self.grid, start, prims)
                        };
                        *o = tau.max(earliest);
                        earliest = *o;
                        if earliest.is_finite() {
                            start = start.max(self.grid.partition_point(|&t| t <= earliest) - 1);
                        }
                    }
                }
            }
        }
    }

    /// Every kink of every path in the horizon, plus the start, the end and the frontier years.
    fn build_grid(&mut self, m: &SampleModel) {
        let grid = &mut self.grid;
        grid.clear();
        grid.push(m.start);
        grid.push(m.end);
        m.hardware.push_kinks(m.start, m.end, grid);
        m.algorithms.push_kinks(m.start, m.end, grid);
        let mut frontier_budget = false;
        for b in &m.budgets {
            match b {
                Budget::Frontier { .. } => frontier_budget = true,
                Budget::Own(p) => p.push_kinks(m.start, m.end, grid),
            }
        }
        for k in 0..m.access.len() {
            if !m.shares_progress(k) {
                m.push_class_kinks(k, grid, &mut self.paths);
            }
        }
        if frontier_budget {
            m.investment.push_kinks(m.start, m.end, grid);
        }
        for t in &m.targets {
            if let Requirement::FrontierOf { year } = *t {
                grid.push(year);
            }
        }
        grid.sort_by(f64::total_cmp);
        grid.dedup();
    }
}

/// [`first_fit`] of `diff − c` for each of the descending `thresholds` `c`, into `out`. The
/// first grid point where `diff − c` fits never moves back as `c` falls, so one walk serves them
/// all; each result equals `first_fit` of its own threshold exactly.
fn first_fits(
    grid: &[f64],
    first: usize,
    diff: &[f64],
    thresholds: impl Iterator<Item = f64>,
    out: &mut [f64],
) {
    let mut i = first;
    for (c, o) in thresholds.zip(out) {
        while i < grid.len() && diff[i] - c > FIT_TOLERANCE {
            i += 1;
        }
        *o = if i == grid.len() {
            f64::INFINITY
        } else if i == first {
            grid[first]
        } else {
            let (prev, d) = (diff[i - 1] - c, diff[i] - c);
            if d <= 0.0 {
                let (a, b) = (grid[i - 1], grid[i]);
                (a + prev / (prev - d) * (b - a)).clamp(a, b)
            } else {
                grid[i]
            }
        };
    }
}

/// The first time from `grid[first]` on where `diff ≤ 0`, with `diff` linear between grid points.
#[inline(always)]
fn first_fit(grid: &[f64], first: usize, diff: impl Fn(usize) -> f64) -> f64 {
    let Some(&t0) = grid.get(first) else {
        return f64::INFINITY;
    };
    let mut prev = diff(first);
    if prev <= FIT_TOLERANCE {
        return t0;
    }
    for i in first + 1..grid.len() {
        let d = diff(i);
        if d <= 0.0 {
            let (a, b) = (grid[i - 1], grid[i]);
            return (a + prev / (prev - d) * (b - a)).clamp(a, b);
        }
        if d <= FIT_TOLERANCE {
            return grid[i];
        }
        prev = d;
    }
    f64::INFINITY
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: f64 = 2025.0;
    const END: f64 = 2060.0;

    fn model(hardware: LogPath, algorithms: LogPath, investment: LogPath) -> SampleModel {
        SampleModel {
            start: START,
            end: END,
            hardware,
            algorithms,
            investment,
            ln_overhead: 0.0,
            closed_from: None,
            budgets: vec![],
            access: vec![],
            targets: vec![],
            costs: None,
        }
    }

    fn solve(m: &SampleModel) -> Vec<f64> {
        let mut m = m.clone();
        m.access.resize(m.budgets.len(), Access::default());
        let mut taus = vec![0.0; m.targets.len() * m.budgets.len()];
        CrossingSolver::default().solve(&m, &mut taus, None);
        taus
    }

    fn fixed(flop: f64) -> Requirement {
        Requirement::Fixed {
            ln_flop: flop.ln(),
            flop_year: None,
        }
    }

    fn budget(b0: f64, rate: f64) -> Budget {
        Budget::Own(LogPath::constant_rate(START, b0.ln(), rate))
    }

    /// MODEL.md's worked check: E = 3.14e23, P0 = 6.7e16, hardware doubling 2.5 y, algorithms
    /// halving 1.5 y, a fixed $100k budget: τ − start = ln(46.866) / 0.73936 ≈ 5.2036 y.
    #[test]
    fn worked_check_from_model_md() {
        let r_hw = RateKind::DoublingTime.to_log_rate(2.5);
        let r_alg = RateKind::HalvingTime.to_log_rate(1.5);
        let mut m = model(
            LogPath::constant_rate(START, 6.7e16f64.ln(), r_hw),
            LogPath::constant_rate(START, 0.0, r_alg),
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(3.14e23)];
        m.budgets = vec![budget(1e5, 0.0)];
        let tau = solve(&m)[0];
        let exact = START + (3.14e23f64 / 6.7e16 / 1e5).ln() / (r_hw + r_alg);
        assert!((tau - exact).abs() < 1e-9, "{tau} vs {exact}");
        assert!((tau - START - 5.2036).abs() < 1e-4, "{tau}");
    }

    /// Closed form with a growing budget: τ = start + ln(C0/B0) / (r_hw + r_alg + r_k).
    #[test]
    fn growing_budget_closed_form() {
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.3),
            LogPath::constant_rate(START, 0.0, 0.5),
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e25)];
        m.budgets = vec![budget(1e5, 0.2)];
        let tau = solve(&m)[0];
        let exact = START + (1e25f64 / 1e17 / 1e5).ln() / (0.3 + 0.5 + 0.2);
        assert!((tau - exact).abs() < 1e-9);
    }

    /// A regime change: algorithms at 0.8/yr until 2030 then 0.2/yr. The crossing after 2030 is
    /// ln(C0/B) = 0.3·(τ−2025) + 0.8·5 + 0.2·(τ−2030).
    #[test]
    fn regime_change_closed_form() {
        let mut alg = LogPath::default();
        alg.reset(START, 0.0);
        alg.push_regime(2030.0, 0.8);
        alg.push_regime(f64::INFINITY, 0.2);
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.3),
            alg,
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e25)];
        m.budgets = vec![budget(1e3, 0.0)];
        let gap = (1e25f64 / 1e17 / 1e3).ln(); // 25.33
        // 0.3(τ−2025) + 4 + 0.2(τ−2030) = gap  ⇒  τ = (gap − 4 + 0.3·2025 + 0.2·2030) / 0.5
        let exact = (gap - 4.0 + 0.3 * 2025.0 + 0.2 * 2030.0) / 0.5;
        assert!(exact > 2030.0);
        let tau = solve(&m)[0];
        assert!((tau - exact).abs() < 1e-9, "{tau} vs {exact}");
    }

    /// The hardware cap binds before the crossing: from the cap on only algorithms move.
    #[test]
    fn hardware_cap_binding() {
        let mut hw = LogPath::constant_rate(START, 1e17f64.ln(), 0.5);
        hw.push_cap(Line {
            at_start: 1e18f64.ln(),
            slope: 0.0,
        });
        let t_cap = START + 10f64.ln() / 0.5;
        let mut m = model(
            hw,
            LogPath::constant_rate(START, 0.0, 0.3),
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e25)];
        m.budgets = vec![budget(1e5, 0.0)];
        // After the cap: ln C = ln(1e25/1e18) − 0.3(τ − 2025) = ln 1e5.
        let exact = START + ((1e25f64 / 1e18).ln() - 1e5f64.ln()) / 0.3;
        assert!(exact > t_cap);
        let tau = solve(&m)[0];
        assert!((tau - exact).abs() < 1e-9, "{tau} vs {exact}");
    }

    /// The algorithms cap binds: never affordable when the cap stops progress short of the budget.
    #[test]
    fn algorithms_cap_can_make_it_never_affordable() {
        let mut alg = LogPath::constant_rate(START, 0.0, 1.0);
        alg.push_cap(Line {
            at_start: 1e3f64.ln(),
            slope: 0.0,
        });
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.0),
            alg,
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e25)];
        // Cost floor is 1e25 / 1e17 / 1e3 = $1e5: a $1e4 budget never fits, $2e5 fits at ln(1e8/2e5) y.
        m.budgets = vec![budget(1e4, 0.0), budget(2e5, 0.0)];
        let taus = solve(&m);
        assert_eq!(taus[0], f64::INFINITY);
        assert!((taus[1] - (START + (1e8f64 / 2e5).ln())).abs() < 1e-9);
    }

    /// The investment cap (a share of a growing GWP) binds for the frontier budget: after the cap,
    /// the frontier budget grows with GWP, not with investment.
    #[test]
    fn investment_cap_binding_for_the_frontier_budget() {
        let mut inv = LogPath::constant_rate(START, 1e8f64.ln(), 1.0);
        // f · GWP(t) = 1e-3 · 1e14 · e^{0.03 (t − start)} = 1e11 · e^{0.03 (t − start)}.
        inv.push_cap(Line {
            at_start: 1e11f64.ln(),
            slope: 0.03,
        });
        let t_cap = START + (1e11f64 / 1e8).ln() / (1.0 - 0.03);
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.1),
            LogPath::constant_rate(START, 0.0, 0.1),
            inv,
        );
        m.targets = vec![fixed(1e30)];
        m.budgets = vec![Budget::Frontier { ln_fraction: 0.0 }];
        // After t_cap: ln(1e30/1e17) − 0.2 (τ − s) = ln 1e11 + 0.03 (τ − s).
        let exact = START + ((1e30f64 / 1e17).ln() - 1e11f64.ln()) / 0.23;
        assert!(exact > t_cap);
        let tau = solve(&m)[0];
        assert!((tau - exact).abs() < 1e-9, "{tau} vs {exact}");
        // The kink of the capped path sits where the cap starts to bind.
        let mut kinks = vec![];
        m.investment.push_kinks(START, END, &mut kinks);
        assert_eq!(kinks.len(), 1);
        assert!((kinks[0] - t_cap).abs() < 1e-9);
    }

    /// An actor's budget cap binds: without it the crossing would come at 2033.6, with it the
    /// budget stops at $1M (2029.6) and the cost alone must fall to it.
    #[test]
    fn budget_cap_binding() {
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.3),
            LogPath::constant_rate(START, 0.0, 0.0),
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e25)]; // C = $1e8 · e^{−0.3 (t − s)}
        let mut capped = LogPath::constant_rate(START, 1e5f64.ln(), 0.5);
        capped.push_cap(Line {
            at_start: 1e6f64.ln(),
            slope: 0.0,
        });
        m.budgets = vec![budget(1e5, 0.5), Budget::Own(capped)];
        let taus = solve(&m);
        assert!((taus[0] - (START + 1e3f64.ln() / 0.8)).abs() < 1e-9);
        assert!(
            (taus[1] - (START + 1e2f64.ln() / 0.3)).abs() < 1e-9,
            "{}",
            taus[1]
        );
    }

    #[test]
    fn affordable_at_the_start_and_never_affordable() {
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.0),
            LogPath::constant_rate(START, 0.0, 0.0),
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        m.targets = vec![fixed(1e20)]; // costs $1,000 for ever
        m.budgets = vec![budget(5e3, 0.0), budget(10.0, 0.0)];
        assert_eq!(solve(&m), vec![START, f64::INFINITY]);
    }

    /// A frontier-of-2030 target: the frontier affords it exactly in 2030 (lag 0); an actor with
    /// a fixed budget b gets it when ln(S(Y)·m/b) = (r_hw + r_alg)(τ − Y).
    #[test]
    fn frontier_of_year_target_and_its_lag() {
        let mut m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.3),
            LogPath::constant_rate(START, 0.0, 0.6),
            LogPath::constant_rate(START, 1e8f64.ln(), 1.0),
        );
        m.ln_overhead = 2f64.ln();
        m.targets = vec![Requirement::FrontierOf { year: 2030.0 }];
        m.budgets = vec![Budget::Frontier { ln_fraction: 0.0 }, budget(1e6, 0.0)];
        let taus = solve(&m);
        assert_eq!(taus[0], 2030.0);
        let s_y = 1e8 * 5f64.exp();
        let exact = 2030.0 + (2.0 * s_y / 1e6).ln() / 0.9;
        assert!((taus[1] - exact).abs() < 1e-9, "{} vs {exact}", taus[1]);
    }

    /// `flop_year` before the start applies the first algorithmic regime backwards:
    /// E = F · e^{−r₁ (start − flop_year)}.
    #[test]
    fn flop_year_before_start_shrinks_the_requirement() {
        let mut alg = LogPath::default();
        alg.reset(START, 0.0);
        alg.push_regime(2035.0, 0.7);
        alg.push_regime(f64::INFINITY, 0.1);
        let m = model(
            LogPath::constant_rate(START, 1e17f64.ln(), 0.3),
            alg,
            LogPath::constant_rate(START, 1e8f64.ln(), 0.0),
        );
        let t = Requirement::Fixed {
            ln_flop: 2e25f64.ln(),
            flop_year: Some(2023.0),
        };
        assert!((m.ln_effective_flop(&t) - (2e25f64.ln() - 0.7 * 2.0)).abs() < 1e-12);
        let t = Requirement::Fixed {
            ln_flop: 2e25f64.ln(),
            flop_year: Some(2040.0),
        };
        assert!((m.ln_effective_flop(&t) - (2e25f64.ln() + 0.7 * 10.0 + 0.1 * 5.0)).abs() < 1e-12);
    }

    /// Class access against a brute-force scan: random regimes (declining ones too), caps, lags
    /// (reaching before the start), multipliers and closures; the solver's crossing must match
    /// the first sign change of the pointwise cost.
    #[test]
    fn class_access_crossings_match_a_brute_force_scan() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(11);
        let mut u = |lo: f64, hi: f64| lo + (hi - lo) * rng.random::<f64>();
        let mut checked = 0;
        for case in 0..400 {
            let path = |x0: f64, u: &mut dyn FnMut(f64, f64) -> f64| {
                let mut p = LogPath::default();
                p.reset(START, x0);
                let split = u(2026.0, 2050.0);
                p.push_regime(split, u(-0.1, 1.2));
                p.push_regime(f64::INFINITY, u(-0.1, 1.0));
                if u(0.0, 1.0) < 0.5 {
                    p.push_cap(Line {
                        at_start: x0 + u(0.5, 12.0),
                        slope: u(0.0, 0.1),
                    });
                }
                p
            };
            let hw = path(39.0, &mut u);
            let alg = path(0.0, &mut u);
            let closed_from = (u(0.0, 1.0) < 0.6).then(|| u(START, 2045.0));
            let mut m = model(hw, alg, LogPath::constant_rate(START, 18.0, 0.5));
            m.closed_from = closed_from;
            m.targets = vec![fixed(u(50.0, 65.0).exp())];
            m.budgets = vec![budget(u(8.0, 20.0).exp(), u(0.0, 0.3))];
            let a = Access {
                ln_multiplier: u(-0.5, 2.0),
                ln_compute: 0.0,
                ln_wage: 0.0,
                hardware_lag: if u(0.0, 1.0) < 0.7 { u(0.0, 6.0) } else { 0.0 },
                algorithm_lag: if u(0.0, 1.0) < 0.7 { u(0.0, 6.0) } else { 0.0 },
                own_rate: (u(0.0, 1.0) < 0.7).then(|| u(0.0, 1.0)),
                ln_spread: 0.0,
            };
            m.access = vec![a];
            let mut taus = [0.0];
            CrossingSolver::default().solve(&m, &mut taus, None);
            let ln_e = m.ln_effective_flop(&m.targets[0]);
            let alg_k = |t: f64| match (m.closed_from, a.own_rate) {
                (Some(c), Some(r)) if t > c + a.algorithm_lag => (m.algorithms.value(c)
                    + r * (t - c - a.algorithm_lag))
                    .min(m.algorithms.value(t - a.algorithm_lag)),
                _ => m.algorithms.value(t - a.algorithm_lag),
            };
            let diff = |t: f64| {
                m.ln_overhead + ln_e + a.ln_multiplier
                    - m.hardware.value(t - a.hardware_lag)
                    - alg_k(t)
                    - m.ln_budget(&m.budgets[0], t)
            };
            let steps = 35_000;
            let scan = (0..=steps)
                .map(|i| START + (END - START) * i as f64 / steps as f64)
                .find(|&t| diff(t) <= 0.0);
            match scan {
                None => assert!(
                    taus[0] == f64::INFINITY || diff(taus[0]) <= 1e-6,
                    "case {case}: solver {} but the scan finds none",
                    taus[0]
                ),
                Some(t) => {
                    assert!(
                        (taus[0] - t).abs() <= 2e-3,
                        "case {case}: solver {} vs scan {t} ({a:?}, closed {:?})",
                        taus[0],
                        m.closed_from
                    );
                    let d = diff(taus[0]);
                    assert!(
                        d < 1e-6 && (taus[0] == START || d > -1e-6),
                        "case {case}: {d}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "only {checked} cases had a crossing");
    }

    /// `first_fits` gives each threshold exactly what `first_fit` gives it alone.
    #[test]
    fn first_fits_equals_first_fit_per_threshold() {
        let grid: Vec<f64> = (0..12).map(|i| START + i as f64 * 1.5).collect();
        let diff = [
            3.0, 2.5, 2.6, 1.0, 1.0, 0.2, -0.3, 0.4, -1.0, -2.0, -2.0, -5.0,
        ];
        let thresholds = [4.0, 2.55, 1.0 + 1e-10, 1.0, 0.0, -0.3, -1.5, -6.0];
        let mut out = [0.0; 8];
        first_fits(&grid, 1, &diff, thresholds.iter().copied(), &mut out);
        for (c, got) in thresholds.iter().zip(out) {
            let alone = first_fit(&grid, 1, |i| diff[i] - c);
            assert_eq!(got.to_bits(), alone.to_bits(), "threshold {c}");
        }
    }

    #[test]
    fn rate_forms_convert_to_log_units() {
        assert!((RateKind::DoublingTime.to_log_rate(2.0) - LN_2 / 2.0).abs() < 1e-15);
        assert!((RateKind::HalvingTime.to_log_rate(0.5) - 2.0 * LN_2).abs() < 1e-15);
        assert!((RateKind::GrowthPerYear.to_log_rate(3.0) - 3f64.ln()).abs() < 1e-15);
        assert!((RateKind::OomsPerYear.to_log_rate(0.5) - 0.5 * LN_10).abs() < 1e-15);
    }

    #[test]
    fn values_at_many_times_match_one_at_a_time() {
        let mut p = LogPath::default();
        p.reset(START, 1.0);
        p.push_regime(2030.0, 0.5);
        p.push_regime(2031.5, -0.2);
        p.push_regime(f64::INFINITY, 0.1);
        p.push_cap(Line {
            at_start: 3.0,
            slope: 0.01,
        });
        let times: Vec<f64> = (0..=70).map(|i| START + 0.5 * i as f64).collect();
        let mut out = vec![0.0; times.len()];
        p.values_at(&times, &mut out);
        for (t, v) in times.iter().zip(&out) {
            assert!(
                (v - p.value(*t)).abs() < 1e-12,
                "{t}: {v} vs {}",
                p.value(*t)
            );
        }
    }

    #[test]
    fn path_values_follow_regimes_and_caps() {
        let mut p = LogPath::default();
        p.reset(START, 1.0);
        p.push_regime(2030.0, 0.5);
        p.push_regime(f64::INFINITY, -0.1);
        p.push_cap(Line {
            at_start: 3.0,
            slope: 0.0,
        });
        assert_eq!(p.value(START), 1.0);
        assert!((p.value(2028.0) - 2.5).abs() < 1e-12);
        assert!((p.value(2030.0) - 3.0).abs() < 1e-12); // 3.5 capped at 3
        assert!((p.value(2040.0) - 2.5).abs() < 1e-12); // 3.5 − 1.0
        assert!((p.value(2020.0) - (1.0 - 2.5)).abs() < 1e-12);
        let mut kinks = vec![];
        p.push_kinks(START, END, &mut kinks);
        kinks.sort_by(f64::total_cmp);
        // Reaches the cap at 2029, regime change at 2030, falls below the cap at 2035.
        assert_eq!(kinks.len(), 3);
        for (k, e) in kinks.iter().zip([2029.0, 2030.0, 2035.0]) {
            assert!((k - e).abs() < 1e-9, "{kinks:?}");
        }
    }
}
