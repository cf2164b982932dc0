//! Crossings: the first time each cost fits each budget, found exactly on a grid of kinks.

use super::lanes::{Group, LANES, Lanes, SET, Walks};
use super::{Budget, FIT_TOLERANCE, PathScratch, Population, Requirement, SampleModel};
use crate::costs::{Costs, GridBounds, Pair, PairBudget, Payer, Prims};

/// What the walks need to know of one class in one sample, worked out once.
#[derive(Debug, Clone, Copy)]
struct ClassShape {
    /// It trains with the frontier's progress ([`SampleModel::shares_progress`]).
    shares: bool,
    /// Its budget's `(start, x0, rate)` when it is its own straight line ([`LogPath::line`]).
    ///
    /// [`LogPath::line`]: super::LogPath::line
    line: Option<(f64, f64, f64)>,
}

/// Reusable memory for solving the crossings of one sample after another.
#[derive(Debug, Default)]
pub struct CrossingSolver {
    grid: Vec<f64>,
    /// `ln P + ln A` at each grid point.
    progress: Vec<f64>,
    /// Without costs beyond compute: each group of [`LANES`] classes, and its classes' own
    /// progress `ln P(t − h_k) + ln A_k(t)` and budget `ln B_k` at each grid point where the
    /// group reads them ([`Walks`]).
    groups: Vec<Group>,
    rows_progress: Vec<Lanes>,
    rows_budget: Vec<Lanes>,
    /// Per target and group of classes, `ln m + ln E` plus each class's price multiplier.
    offsets: Vec<Lanes>,
    /// With costs beyond compute: `ln B_k` at each grid point, actor-major.
    budgets: Vec<f64>,
    /// `ln S` (and scratch) at each grid point.
    spend: Vec<f64>,
    /// One pair's `ln C − ln B` at each grid point (for the actors within a class), or one
    /// path's values while the rows are filled.
    diff: Vec<f64>,
    /// Per target: its first grid index, and `ln m + ln E` ([`CrossingSolver::ln_bases`]).
    firsts: Vec<usize>,
    ln_bases: Vec<f64>,
    /// Per class: what the walks need to know of it in this sample.
    classes: Vec<ClassShape>,
    paths: PathScratch,
    /// With costs beyond compute: `ln P` and `ln A` at each grid point, and each class's own
    /// (actor-major, filled only for classes that do not share the frontier's progress).
    hw: Vec<f64>,
    alg: Vec<f64>,
    class_hw: Vec<f64>,
    class_alg: Vec<f64>,
    /// With costs beyond compute: one class's bounds at each grid point.
    bounds: GridBounds,
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
        debug_assert_eq!(m.access.len(), n_actors);
        self.classes.clear();
        for (k, b) in m.budgets.iter().enumerate() {
            let line = match b {
                Budget::Own(path) => path.line(),
                Budget::Frontier { .. } => None,
            };
            let shares = m.shares_progress(k);
            self.classes.push(ClassShape { shares, line });
        }
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
        // Per target: where it starts on the grid and `ln m + ln E`.
        self.firsts.clear();
        for target in &m.targets {
            let from = m.available_from(target);
            // Most targets exist from the start, the grid's first point: no search.
            let first = if from <= self.grid[0] {
                0
            } else {
                self.grid.partition_point(|&t| t < from)
            };
            self.firsts.push(first);
        }
        self.set_ln_bases(m);
        if let Some(costs) = &m.costs {
            self.fill_budgets(m);
            self.fill_parts(m);
            self.solve_with_costs(m, costs, taus, population);
            return;
        }
        // Without costs beyond compute, each class needs only its summed progress (the
        // component solver reads the hardware and algorithm parts apart, in `fill_parts`).
        self.fill_rows(m);
        let groups = self.groups.len();
        self.offsets.clear();
        for &base in &self.ln_bases {
            for c in 0..groups {
                let offset = std::array::from_fn(|l| {
                    m.access
                        .get(c * LANES + l)
                        .map_or(0.0, |access| base + access.ln_multiplier)
                });
                self.offsets.push(offset);
            }
        }
        let walks = Walks {
            grid: &self.grid,
            progress: &self.progress,
            groups: &self.groups,
            progress_rows: &self.rows_progress,
            budget_rows: &self.rows_budget,
        };
        walks.fit_targets(&self.firsts, &self.offsets, taus);
        let Some((pop, actor_taus)) = population else {
            return;
        };
        for (k, access) in m.access.iter().enumerate() {
            let (c, l) = (k / LANES, k % LANES);
            for (j, (&first, &base)) in self.firsts.iter().zip(&self.ln_bases).enumerate() {
                let offset = base + access.ln_multiplier;
                self.diff.clear();
                self.diff.extend((0..g).map(|i| {
                    let (progress, budget) = walks.at(c, l, i);
                    offset - progress - budget
                }));
                let from = j * pop.total + pop.offsets[k];
                let out = &mut actor_taus[from..from + pop.z[k].len()];
                let thresholds = pop.z[k].iter().map(|z| access.ln_spread * z);
                first_fits(&self.grid, first, &self.diff, thresholds, out);
            }
        }
    }

    /// Every class's budget at each grid point, actor-major, for costs beyond compute.
    fn fill_budgets(&mut self, m: &SampleModel) {
        let g = self.grid.len();
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
    }

    /// What the walks without costs beyond compute read of each group of [`LANES`] classes
    /// ([`Walks`]): each budget's line, or its values at each grid point, and the progress of
    /// each class with its own.
    fn fill_rows(&mut self, m: &SampleModel) {
        let g = self.grid.len();
        let groups = m.budgets.len().div_ceil(LANES);
        self.groups.clear();
        self.groups.resize(
            groups,
            Group {
                padding: [SET; LANES],
                ..Group::default()
            },
        );
        // Only the lanes flagged to be read are written: the others keep any finite number.
        self.rows_progress.resize(groups * g, [0.0; LANES]);
        self.rows_budget.resize(groups * g, [0.0; LANES]);
        for (k, (b, class)) in m.budgets.iter().zip(&self.classes).enumerate() {
            let (c, l) = (k / LANES, k % LANES);
            let group = &mut self.groups[c];
            group.padding[l] = 0.0;
            if !class.shares {
                group.progress_in_rows[l] = SET;
                self.diff.resize(g, 0.0);
                m.class_progress(k, &self.grid, &mut self.diff, &mut self.paths);
                for (row, &p) in self.rows_progress[c * g..][..g].iter_mut().zip(&self.diff) {
                    row[l] = p;
                }
            }
            let budget = &mut self.rows_budget[c * g..][..g];
            match (b, class.line) {
                (Budget::Own(_), Some((start, x0, rate))) => {
                    (group.x0[l], group.rate[l], group.start[l]) = (x0, rate, start);
                }
                (Budget::Frontier { ln_fraction }, _) => {
                    group.budget_in_rows[l] = SET;
                    for (row, s) in budget.iter_mut().zip(&self.spend) {
                        row[l] = m.ln_overhead + ln_fraction + s;
                    }
                }
                (Budget::Own(path), None) => {
                    group.budget_in_rows[l] = SET;
                    self.diff.resize(g, 0.0);
                    path.values_at(&self.grid, &mut self.diff);
                    for (row, &v) in budget.iter_mut().zip(&self.diff) {
                        row[l] = v;
                    }
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
            if !self.classes[k].shares {
                let (hw, alg) = (
                    &mut self.class_hw[k * g..(k + 1) * g],
                    &mut self.class_alg[k * g..(k + 1) * g],
                );
                m.class_parts(k, &self.grid, hw, alg, &mut self.paths);
            }
        }
    }

    /// The crossings when data, staff or deployment cost money (see [`crate::costs`]). Kept
    /// out of [`CrossingSolver::solve`], whose walks without costs it would crowd.
    #[inline(never)]
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
            let shares = self.classes[k].shares;
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
            if !frontier_itself || population.is_some() {
                self.bounds
                    .fill(&costs.prices, pair_budget, &self.grid, prims);
            }
            for (j, (&first, &base)) in self.firsts.iter().zip(&self.ln_bases).enumerate() {
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
                    pair.first_fit(&self.grid, first, prims, &self.bounds)
                };
                if let Some((pop, actor_taus)) = population.as_mut() {
                    let from = j * pop.total + pop.offsets[k];
                    let out = &mut actor_taus[from..from + pop.z[k].len()];
                    actor_fits(
                        (&self.grid, &self.bounds),
                        first,
                        &mut pair,
                        prims,
                        access.ln_spread,
                        &pop.z[k],
                        out,
                    );
                }
            }
        }
    }

    /// Works out each target's `ln m + ln E` in `m` ([`CrossingSolver::ln_bases`]) without
    /// solving: what the four-sample solver ([`super::QuadSolver`]) reads.
    pub fn set_ln_bases(&mut self, m: &SampleModel) {
        self.ln_bases.clear();
        self.ln_bases.extend(
            m.targets
                .iter()
                .map(|target| m.ln_overhead + m.ln_effective_flop(target)),
        );
    }

    /// Per target of the last sample solved: `ln m + ln E`, the log of its whole-project cost
    /// at start-year prices, the same numbers as `m.ln_overhead + m.ln_effective_flop(target)`.
    pub fn ln_bases(&self) -> &[f64] {
        &self.ln_bases
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
        for (b, class) in m.budgets.iter().zip(&self.classes) {
            match b {
                Budget::Frontier { .. } => frontier_budget = true,
                // A straight line has no kink.
                Budget::Own(_) if class.line.is_some() => {}
                Budget::Own(p) => p.push_kinks(m.start, m.end, grid),
            }
        }
        for (k, class) in self.classes.iter().enumerate() {
            if !class.shares {
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
        sort_times(grid);
        grid.dedup();
    }
}

/// Sorts the times of a grid ascending. A grid holds a handful of finite times (every kink is
/// tested to lie inside the horizon), which an insertion sort comparing with `<` orders for less
/// than the library's sort; equal times, the only ones whose order it may leave different, are
/// merged by the caller.
fn sort_times(times: &mut [f64]) {
    if times.len() > 32 {
        return times.sort_unstable_by(f64::total_cmp);
    }
    for i in 1..times.len() {
        let t = times[i];
        let mut j = i;
        while j > 0 && t < times[j - 1] {
            times[j] = times[j - 1];
            j -= 1;
        }
        times[j] = t;
    }
}

/// The times of the actors within a class, richest first (`z` descending), into `out`: `pair`
/// with its budget scaled by each actor's spread `ln_spread · z`, each time no earlier than the
/// one before.
fn actor_fits(
    (grid, bounds): (&[f64], &GridBounds),
    first: usize,
    pair: &mut Pair,
    prims: impl Fn(usize) -> Prims + Copy,
    ln_spread: f64,
    z: &[f64],
    out: &mut [f64],
) {
    let mut start = first;
    let mut earliest = f64::NEG_INFINITY;
    for (z, o) in z.iter().zip(out.iter_mut()) {
        pair.ln_budget_scale = ln_spread * z;
        let tau = if earliest == f64::INFINITY {
            f64::INFINITY
        } else {
            pair.first_fit(grid, start, prims, bounds)
        };
        *o = tau.max(earliest);
        earliest = *o;
        if earliest.is_finite() {
            start = start.max(grid.partition_point(|&t| t <= earliest) - 1);
        }
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
pub(super) fn first_fit(grid: &[f64], first: usize, diff: impl Fn(usize) -> f64) -> f64 {
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
    use crate::model::{Access, Line, LogPath, RateKind};

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
}
