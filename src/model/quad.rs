/*!
The crossings of four samples at once, one sample to a lane of an AVX2 vector.

[`CrossingSolver`] takes one sample at a time: it collects the kinks of its paths into a grid,
sorts it, evaluates every path there and walks the grid once per target and group of classes.
Each of those steps is a short general loop (over a path's regimes and caps, a class's kind of
budget, a handful of grid points) whose setup costs as much as its work. When a scenario's
samples have the simple shape of a compute-only scenario such as bench-v1 (no costs beyond
compute, no actors within classes, every class on the frontier's own progress, every budget the
frontier's or a straight line; `Realiser::quad_shaped` decides), four samples are solved here
side by side instead, from the numbers the realiser puts straight into a [`QuadModel`]: every
grid slot holds one time per sample, the slots are sorted by a fixed network of vector minima
and maxima, and every path, budget and walk is worked out for the four samples in one pass.

The times are [`CrossingSolver`]'s to the bit (tested below): each number is computed by the
same formula in the same order. The grids differ in one way only: here a kink that does not lie
inside the horizon takes its slot as a repeat of the horizon's end, and repeated times are kept
where [`CrossingSolver`] drops them. A repeat changes no walk: at the second copy of a point the
gap is the first copy's, which did not fit, so the walk goes on to the next point with the same
gap and time before it as if the copy were absent.

Where the CPU lacks AVX2 (and in WebAssembly) [`QuadSolver::solve_model`] declines and the
samples are solved one by one.

[`CrossingSolver`]: super::CrossingSolver
*/

// Elsewhere than x86-64 every quad is declined, and what solves one goes unused.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

#[cfg(test)]
use super::{Budget, LogPath, SampleModel};

/// Samples solved side by side: one AVX2 vector of doubles.
pub const QUAD: usize = 4;

/// Most regimes a path may have to be solved here (more are solved one sample at a time): the
/// room in a [`PathQuad`]'s fixed arrays.
pub const MAX_REGIMES: usize = 8;
/// Most caps a path may have to be solved here (see [`MAX_REGIMES`]).
pub const MAX_CAPS: usize = 4;

/// One number per sample of a quad.
type Quad = [f64; QUAD];

/// True when every number of `quad` equals `x` (`==`, so never for a NaN): all four compared
/// without stopping at the first that differs, which compiles to one vector comparison.
#[inline(always)]
pub fn all_equal(quad: &[f64; QUAD], x: f64) -> bool {
    quad.iter().fold(true, |all, &v| all & (v == x))
}

/// One class of each sample of a quad: what the walks and a tally's batch read of it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClassQuad {
    /// The class's budget is the frontier's, a fraction `f` of it: `ln B = scale + ln S`;
    /// otherwise it is the line `x0 + rate · (t − start)`.
    pub frontier: bool,
    /// `ln f`, of a frontier budget.
    pub fraction: Quad,
    /// `ln m + ln f`, of a frontier budget.
    pub scale: Quad,
    /// The line's start year, of a budget of the class's own.
    pub start: Quad,
    /// The line's `ln B` at its start.
    pub x0: Quad,
    /// The line's rate, natural-log units a year.
    pub rate: Quad,
    /// `ln(price · compute)`, added to the class's costs.
    pub multiplier: Quad,
}

/// The numbers of the last quad solved, one sample to a lane ([`QuadSolver::model`]): what a
/// tally's batch stores of each sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuadModel {
    /// The horizon's first year.
    pub start: f64,
    /// The horizon's last year.
    pub end: f64,
    /// The year of each frontier-of-year target, in the targets' order.
    pub frontier_years: Vec<f64>,
    /// `ln P`, effective FLOP per dollar.
    pub hardware: PathQuad,
    /// `ln A`, algorithmic efficiency.
    pub algorithms: PathQuad,
    /// `ln S`, the largest run's compute cost.
    pub investment: PathQuad,
    /// `ln m`.
    pub ln_overhead: Quad,
    /// Each class.
    pub classes: Vec<ClassQuad>,
    /// Each target's first year, the same in every sample.
    pub froms: Vec<f64>,
    /// Each target's `ln m + ln E` ([`super::CrossingSolver::ln_bases`]).
    pub bases: Vec<Quad>,
}

impl QuadModel {
    /// True when a class's budget is the frontier's: the spend `ln S` is then read.
    fn frontier_budget(&self) -> bool {
        self.classes.iter().any(|c| c.frontier)
    }
}

/// Reusable memory for solving four samples at once.
#[derive(Debug, Default)]
pub struct QuadSolver {
    /// The grid: one time per sample in each slot, ascending per sample once sorted.
    grid: Vec<Quad>,
    /// The compare-exchange pairs that sort `network_len` slots.
    network: Vec<(usize, usize)>,
    network_len: usize,
    /// `ln P + ln A` at each grid slot.
    progress: Vec<Quad>,
    /// `ln S` at each grid slot (when a class's budget is the frontier's).
    spend: Vec<Quad>,
    /// Each class's `ln B` at each grid slot, class-major.
    budgets: Vec<Quad>,
    /// Each target's first fit for each class (target-major).
    fits: Vec<Quad>,
    /// The samples' numbers.
    model: QuadModel,
}

impl QuadSolver {
    /// The numbers of the four samples to solve, for a realiser to fill
    /// ([`crate::scenario::Realiser::realise_quad`]).
    pub fn model_mut(&mut self) -> &mut QuadModel {
        &mut self.model
    }

    /// Fills `taus[l][j · K + k]` with the affordability time of target `j` for class `k` in
    /// sample `l` of the four whose numbers are [`QuadSolver::model`], as
    /// [`super::CrossingSolver::solve`] would (without a population) with each sample's model.
    /// Returns false, writing no time, where the CPU lacks AVX2.
    pub fn solve_model(&mut self, taus: [&mut [f64]; QUAD]) -> bool {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            unsafe { self.solve_avx2(taus) };
            return true;
        }
        let _ = taus;
        false
    }

    /// Reads the four samples' models and targets' `ln m + ln E` (`bases`) and solves them
    /// ([`QuadSolver::solve_model`]); false when they are not of the shape solved here (the
    /// module's description) or the CPU lacks AVX2.
    #[cfg(test)]
    pub fn solve(
        &mut self,
        models: [&SampleModel; QUAD],
        bases: [&[f64]; QUAD],
        taus: [&mut [f64]; QUAD],
    ) -> bool {
        self.gather(&models, bases) && self.solve_model(taus)
    }

    /// The grid's slots for the quad in `model`: the start, the end, each path's
    /// ([`PathQuad::kinks`]; the investment's only when a class's budget is the frontier's) and
    /// each frontier year.
    fn grid_len(&self) -> usize {
        let q = &self.model;
        2 + q.hardware.kinks()
            + q.algorithms.kinks()
            + if q.frontier_budget() {
                q.investment.kinks()
            } else {
                0
            }
            + q.frontier_years.len()
    }

    /// The numbers of the last quad solved.
    pub fn model(&self) -> &QuadModel {
        &self.model
    }

    /// Reads the four samples' paths, overhead, classes and targets' first years into
    /// `model`; false when a sample is not of the shape solved here (the module's description)
    /// or not of the first sample's.
    #[cfg(test)]
    fn gather(&mut self, models: &[&SampleModel; QUAD], bases: [&[f64]; QUAD]) -> bool {
        let (m0, q) = (models[0], &mut self.model);
        let start = m0.start;
        let paths = q.hardware.set(models.map(|m| &m.hardware), start)
            && q.algorithms.set(models.map(|m| &m.algorithms), start)
            && q.investment.set(models.map(|m| &m.investment), start);
        if !paths {
            return false;
        }
        let n = m0.budgets.len();
        q.classes.resize(n, ClassQuad::default());
        (q.start, q.end) = (m0.start, m0.end);
        q.frontier_years.clear();
        q.frontier_years
            .extend(m0.targets.iter().filter_map(|t| match *t {
                super::Requirement::FrontierOf { year } => Some(year),
                _ => None,
            }));
        q.bases.clear();
        q.bases
            .extend((0..m0.targets.len()).map(|j| std::array::from_fn(|l| bases[l][j])));
        q.froms.clear();
        q.froms
            .extend(m0.targets.iter().map(|t| m0.available_from(t)));
        for (l, m) in models.iter().enumerate() {
            let same_frame = m.costs.is_none()
                && (m.start, m.end) == (m0.start, m0.end)
                && m.budgets.len() == n
                && m.access.len() == n
                && m.targets.len() == q.froms.len();
            if !same_frame {
                return false;
            }
            q.ln_overhead[l] = m.ln_overhead;
            for (k, (budget, class)) in m.budgets.iter().zip(&mut q.classes).enumerate() {
                if !m.shares_progress(k) {
                    return false;
                }
                class.multiplier[l] = m.access[k].ln_multiplier;
                let frontier = match *budget {
                    Budget::Frontier { ln_fraction } => {
                        class.fraction[l] = ln_fraction;
                        class.scale[l] = m.ln_overhead + ln_fraction;
                        true
                    }
                    Budget::Own(ref path) => {
                        let Some((start, x0, rate)) = path.line() else {
                            return false;
                        };
                        (class.start[l], class.x0[l], class.rate[l]) = (start, x0, rate);
                        false
                    }
                };
                if l == 0 {
                    class.frontier = frontier;
                } else if class.frontier != frontier {
                    return false;
                }
            }
            let froms = m.targets.iter().zip(&q.froms);
            if l > 0 && !froms.into_iter().all(|(t, &f)| m.available_from(t) == f) {
                return false;
            }
        }
        true
    }
}

/// Batcher's odd-even merge sort for `n` slots: the compare-exchange pairs `(i, j)`, `i < j`,
/// after which every sequence of `n` numbers is ascending. The network of the next power of two
/// with the pairs that reach past `n` dropped (as if those slots held +∞, which never move).
fn sorting_network(n: usize) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut p = 1;
    while p < n {
        let mut k = p;
        while k >= 1 {
            let mut j = k % p;
            while j + k < n {
                for i in 0..k.min(n - j - k) {
                    if (i + j) / (2 * p) == (i + j + k) / (2 * p) {
                        pairs.push((i + j, i + j + k));
                    }
                }
                j += 2 * k;
            }
            k /= 2;
        }
        p *= 2;
    }
    pairs
}

/// One path of each sample of a quad, one sample to a lane: the numbers a
/// [`crate::model::LogPath`] holds (its start, `ln X` there, each regime's end and rate and each
/// cap's line).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathQuad {
    /// The start year.
    pub start: Quad,
    /// `ln X` at the start, before caps.
    pub x0: Quad,
    /// Regimes held.
    pub regimes: usize,
    /// Each regime's end year (the last +∞).
    pub until: [Quad; MAX_REGIMES],
    /// Each regime's rate, natural-log units a year.
    pub rate: [Quad; MAX_REGIMES],
    /// Caps held.
    pub caps: usize,
    /// Each cap's `ln` at the start.
    pub at: [Quad; MAX_CAPS],
    /// Each cap's slope, natural-log units a year.
    pub slope: [Quad; MAX_CAPS],
}

impl PathQuad {
    /// Sample `l`'s value at `t`: [`crate::model::LogPath::value`] of its path, to the bit.
    pub fn lane_value(&self, l: usize, t: f64) -> f64 {
        let regimes = (self.until[..self.regimes].iter()).zip(&self.rate[..self.regimes]);
        let caps = (self.at[..self.caps].iter()).zip(&self.slope[..self.caps]);
        super::path::value(
            self.start[l],
            self.x0[l],
            regimes.map(|(u, r)| (u[l], r[l])),
            caps.map(|(a, k)| (a[l], k[l])),
            t,
        )
    }

    /// Every sample's value at `t`, each [`PathQuad::lane_value`] to the bit. When the
    /// regimes end in the same years in every sample (as the scenario's regimes do), the
    /// formula's choices are the same in every lane and it runs on all four at once.
    pub fn values(&self, t: f64) -> Quad {
        let regimes = &self.until[..self.regimes];
        let same_ends =
            self.start == [self.start[0]; QUAD] && regimes.iter().all(|u| *u == [u[0]; QUAD]);
        if !same_ends {
            return std::array::from_fn(|l| self.lane_value(l, t));
        }
        // `super::path::uncapped` with its choices made once for every lane.
        let start = self.start[0];
        let mut x = self.x0;
        if t <= start {
            let rate = self.rate[0];
            for l in 0..QUAD {
                x[l] += rate[l] * (t - start);
            }
        } else {
            let mut from = start;
            for (until, rate) in regimes.iter().zip(&self.rate) {
                let until = until[0];
                let to = until.min(t);
                if to > from {
                    for l in 0..QUAD {
                        x[l] += rate[l] * (to - from);
                    }
                    from = to;
                }
                if t <= until {
                    break;
                }
            }
        }
        for (at, slope) in self.at[..self.caps].iter().zip(&self.slope) {
            for l in 0..QUAD {
                x[l] = crate::vecmath::min(x[l], at[l] + slope[l] * (t - start));
            }
        }
        x
    }

    /// The grid slots of the path's kinks: its regimes' ends but the last, and with caps, each
    /// regime's crossing with each cap and each two caps' crossing.
    fn kinks(&self) -> usize {
        let (r, c) = (self.regimes, self.caps);
        r - 1 + if c == 0 { 0 } else { r * c + c * (c - 1) / 2 }
    }

    /// Reads the paths `p`; false (the numbers then half read) unless they all start at
    /// `start`, end their last regimes at +∞ and have the same numbers of regimes (at most
    /// [`MAX_REGIMES`]) and caps (at most [`MAX_CAPS`]).
    #[cfg(test)]
    fn set(&mut self, p: [&LogPath; QUAD], start: f64) -> bool {
        let (regimes, caps) = (p[0].regime_slices().0.len(), p[0].caps().len());
        if regimes > MAX_REGIMES || caps > MAX_CAPS {
            return false;
        }
        (self.regimes, self.caps) = (regimes, caps);
        for (l, p) in p.iter().enumerate() {
            let ((s, x0), (untils, rates), lines) = (p.origin(), p.regime_slices(), p.caps());
            let fits = s == start
                && untils.len() == regimes
                && lines.len() == caps
                && untils.last() == Some(&f64::INFINITY);
            if !fits {
                return false;
            }
            (self.start[l], self.x0[l]) = (s, x0);
            for (r, (&u, &rate)) in untils.iter().zip(rates).enumerate() {
                (self.until[r][l], self.rate[r][l]) = (u, rate);
            }
            for (c, line) in lines.iter().enumerate() {
                (self.at[c][l], self.slope[c][l]) = (line.at_start, line.slope);
            }
        }
        true
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{PathQuad, QUAD, Quad};
    use std::arch::x86_64::*;

    /// One number per sample of a quad, in a register.
    pub type V = __m256d;

    /// A slot of four numbers, loaded.
    #[inline(always)]
    pub fn load(q: &Quad) -> V {
        // SAFETY: a `Quad` is four doubles; `_mm256_loadu_pd` needs AVX, which every caller
        // (compiled for AVX2) has.
        unsafe { _mm256_loadu_pd(q.as_ptr()) }
    }

    /// A register's four numbers, stored.
    #[inline(always)]
    pub fn store(v: V) -> Quad {
        let mut q = [0.0; QUAD];
        // SAFETY: as in `load`.
        unsafe { _mm256_storeu_pd(q.as_mut_ptr(), v) };
        q
    }

    impl PathQuad {
        /// Each sample's value at its own time `t`, by the formulas of
        /// [`crate::model::LogPath::values_at`].
        ///
        /// # Safety
        /// The CPU has AVX2.
        #[target_feature(enable = "avx2")]
        pub unsafe fn value(&self, t: V) -> V {
            let zero = _mm256_setzero_pd();
            // The first regime, also backwards before the start: `x0 + r · min(t − s, u − s)`.
            let d = _mm256_sub_pd(t, load(&self.start));
            let len = _mm256_sub_pd(load(&self.until[0]), load(&self.start));
            let mut o = _mm256_add_pd(
                load(&self.x0),
                _mm256_mul_pd(load(&self.rate[0]), _mm256_min_pd(d, len)),
            );
            for r in 1..self.regimes {
                let from = load(&self.until[r - 1]);
                let len = _mm256_sub_pd(load(&self.until[r]), from);
                let d = _mm256_max_pd(_mm256_sub_pd(t, from), zero);
                o = _mm256_add_pd(o, _mm256_mul_pd(load(&self.rate[r]), _mm256_min_pd(d, len)));
            }
            for c in 0..self.caps {
                let cap = _mm256_add_pd(
                    load(&self.at[c]),
                    _mm256_mul_pd(load(&self.slope[c]), _mm256_sub_pd(t, load(&self.start))),
                );
                o = _mm256_min_pd(o, cap);
            }
            o
        }

        /// Fills the next `PathQuad::kinks()` slots of `out` with every time where a path may
        /// bend inside `(from, to)`, as [`crate::model::LogPath::push_kinks`] finds them for
        /// paths that start at `from` and whose last regime runs to +∞; a slot whose time is not
        /// one of a sample's kinks holds `to`.
        ///
        /// # Safety
        /// The CPU has AVX2.
        #[target_feature(enable = "avx2")]
        pub unsafe fn push_kinks(&self, from: V, to: V, out: &mut std::slice::IterMut<Quad>) {
            let zero = _mm256_setzero_pd();
            let inside = |t: V| {
                _mm256_and_pd(
                    _mm256_cmp_pd::<_CMP_GT_OQ>(t, from),
                    _mm256_cmp_pd::<_CMP_LT_OQ>(t, to),
                )
            };
            let mut slot = |t: V, valid: V| {
                *out.next().expect("a slot for every kink") = store(_mm256_blendv_pd(to, t, valid));
            };
            // The last regime's end is +∞, never inside.
            for r in 0..self.regimes - 1 {
                slot(load(&self.until[r]), inside(load(&self.until[r])));
            }
            if self.caps == 0 {
                return;
            }
            // The uncapped path's crossing with each cap within each regime's segment.
            let mut seg_start = load(&self.start);
            let mut x = load(&self.x0);
            for r in 0..self.regimes {
                let seg_end = _mm256_min_pd(load(&self.until[r]), to);
                let active = _mm256_cmp_pd::<_CMP_GT_OQ>(seg_end, seg_start);
                for c in 0..self.caps {
                    let cap = _mm256_add_pd(
                        load(&self.at[c]),
                        _mm256_mul_pd(
                            load(&self.slope[c]),
                            _mm256_sub_pd(seg_start, load(&self.start)),
                        ),
                    );
                    let d0 = _mm256_sub_pd(x, cap);
                    let slope = _mm256_sub_pd(load(&self.rate[r]), load(&self.slope[c]));
                    let t = _mm256_sub_pd(seg_start, _mm256_div_pd(d0, slope));
                    let within = _mm256_and_pd(
                        _mm256_cmp_pd::<_CMP_GT_OQ>(t, seg_start),
                        _mm256_cmp_pd::<_CMP_LT_OQ>(t, seg_end),
                    );
                    let valid = _mm256_and_pd(
                        _mm256_and_pd(active, _mm256_cmp_pd::<_CMP_NEQ_UQ>(slope, zero)),
                        _mm256_and_pd(within, inside(t)),
                    );
                    slot(t, valid);
                }
                let step = _mm256_mul_pd(load(&self.rate[r]), _mm256_sub_pd(seg_end, seg_start));
                x = _mm256_blendv_pd(x, _mm256_add_pd(x, step), active);
                seg_start = _mm256_blendv_pd(seg_start, seg_end, active);
            }
            // Two caps crossing.
            for a in 0..self.caps {
                for b in a + 1..self.caps {
                    let slopes = _mm256_sub_pd(load(&self.slope[a]), load(&self.slope[b]));
                    let t = _mm256_add_pd(
                        load(&self.start),
                        _mm256_div_pd(_mm256_sub_pd(load(&self.at[b]), load(&self.at[a])), slopes),
                    );
                    let valid = _mm256_and_pd(
                        _mm256_cmp_pd::<_CMP_NEQ_UQ>(load(&self.slope[a]), load(&self.slope[b])),
                        inside(t),
                    );
                    slot(t, valid);
                }
            }
        }
    }

    /// One class's first fit of one target in each sample: the first grid time `t ≥ from`
    /// where `offset − progress(t) − budget(t) ≤ 0`, both linear between grid points, as
    /// [`super::super::solver`]'s `first_fit` finds it. `from_start` says that every sample's
    /// first grid point is at or after `from`, so that only the first point is a first fit
    /// without interpolation.
    ///
    /// # Safety
    /// The CPU has AVX2, and `grid`, `progress` and `budget` are equally long, at least one
    /// point.
    #[target_feature(enable = "avx2")]
    pub unsafe fn first_fit<const FROM_START: bool>(
        grid: &[Quad],
        progress: &[Quad],
        budget: &[Quad],
        offset: V,
        from: V,
    ) -> V {
        use crate::costs::FIT_TOLERANCE;
        let g = grid.len();
        debug_assert!(g > 0 && progress.len() == g && budget.len() == g);
        let (tolerance, zero, one) = (
            _mm256_set1_pd(FIT_TOLERANCE),
            _mm256_setzero_pd(),
            _mm256_set1_pd(1.0),
        );
        // Grid point `i`'s time and gap, `offset − progress − budget` as `first_fit`'s callers
        // write it.
        let at = |i: usize| {
            // SAFETY: `i < g`, the length of all three (the caller's promise).
            let (t, p, b) = unsafe {
                (
                    grid.get_unchecked(i),
                    progress.get_unchecked(i),
                    budget.get_unchecked(i),
                )
            };
            let gap = _mm256_sub_pd(_mm256_sub_pd(offset, load(p)), load(b));
            (load(t), gap)
        };
        // What each lane's fitting point needs: the gap there and before it, and the two
        // times. `d = 1` (no interpolation) with `b = +∞` is "no fit"; so is `d = 1` with `b`
        // the time of a first point that fits, however far below the budget.
        let (t, gap) = at(0);
        let below = _mm256_cmp_pd::<_CMP_LE_OQ>(gap, tolerance);
        let mut started_before = _mm256_cmp_pd::<_CMP_GE_OQ>(t, from);
        let mut found = if FROM_START {
            below
        } else {
            _mm256_and_pd(started_before, below)
        };
        let (mut d, mut prev, mut a) = (one, zero, zero);
        let mut b = _mm256_blendv_pd(_mm256_set1_pd(f64::INFINITY), t, found);
        let (mut before, mut t_before) = (gap, t);
        let mut i = 1;
        // `testc` is 1 when every lane of `found` has its sign bit set: one test and a jump,
        // where a mask compared with 0b1111 takes three.
        let all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        while i < g && _mm256_testc_pd(found, all) == 0 {
            let (t, gap) = at(i);
            let below = _mm256_cmp_pd::<_CMP_LE_OQ>(gap, tolerance);
            let fits = if FROM_START {
                let fits = _mm256_andnot_pd(found, below);
                d = _mm256_blendv_pd(d, gap, fits);
                fits
            } else {
                // A lane whose first point this is fits there without interpolation.
                let started = _mm256_cmp_pd::<_CMP_GE_OQ>(t, from);
                let at_first = _mm256_andnot_pd(started_before, started);
                started_before = started;
                let fits = _mm256_andnot_pd(found, _mm256_and_pd(started, below));
                d = _mm256_blendv_pd(d, _mm256_blendv_pd(gap, one, at_first), fits);
                fits
            };
            prev = _mm256_blendv_pd(prev, before, fits);
            a = _mm256_blendv_pd(a, t_before, fits);
            b = _mm256_blendv_pd(b, t, fits);
            found = _mm256_or_pd(found, fits);
            (before, t_before) = (gap, t);
            i += 1;
        }
        // SAFETY: the CPU has AVX2.
        unsafe { crate::model::lanes::settle_avx2(a, b, prev, d) }
    }
}

impl QuadSolver {
    /// [`QuadSolver::solve`] where the CPU has AVX2.
    ///
    /// # Safety
    /// The CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn solve_avx2(&mut self, mut taus: [&mut [f64]; QUAD]) {
        use avx2::{load, store};
        use std::arch::x86_64::*;
        let g = self.grid_len();
        let (start, end) = (self.model.start, self.model.end);
        if self.network_len != g || self.network.is_empty() {
            self.network = sorting_network(g);
            self.network_len = g;
        }
        let QuadModel {
            hardware,
            algorithms,
            investment,
            ..
        } = &self.model;
        let (from, to) = (_mm256_set1_pd(start), _mm256_set1_pd(end));
        let frontier_budget = self.model.frontier_budget();
        // The grid: the start, the end, every kink and every frontier year.
        self.grid.resize(g, [0.0; QUAD]);
        let mut slots = self.grid.iter_mut();
        for t in [start, end] {
            *slots.next().expect("the start's and end's slots") = [t; QUAD];
        }
        unsafe {
            hardware.push_kinks(from, to, &mut slots);
            algorithms.push_kinks(from, to, &mut slots);
            if frontier_budget {
                investment.push_kinks(from, to, &mut slots);
            }
        }
        for &year in &self.model.frontier_years {
            *slots.next().expect("a slot for each frontier year") = [year; QUAD];
        }
        debug_assert!(slots.next().is_none(), "every slot filled");
        let grid = &mut self.grid[..g];
        assert_eq!(self.network_len, g, "a network of the grid's length");
        for &(i, j) in &self.network {
            debug_assert!(i < j && j < g);
            // SAFETY: a network of `g` slots pairs `i < j < g` (`sorting_network`, tested), and
            // `grid` holds `g`.
            let (lo, hi) = unsafe {
                let (x, y) = (grid.as_mut_ptr().add(i), grid.as_mut_ptr().add(j));
                (&mut *x, &mut *y)
            };
            let (x, y) = (load(lo), load(hi));
            (*lo, *hi) = (store(_mm256_min_pd(x, y)), store(_mm256_max_pd(x, y)));
        }
        // Trailing slots that repeat the one before in every sample (the end, standing in for
        // kinks outside the horizon) change no walk: dropped.
        let mut g = g;
        while g > 1 && {
            let (x, y) = (load(&grid[g - 1]), load(&grid[g - 2]));
            _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_EQ_OQ>(x, y)) == 0b1111
        } {
            g -= 1;
        }
        self.grid.truncate(g);
        // `ln P + ln A`, `ln S` and every class's `ln B` at every grid point.
        let classes = self.model.classes.len();
        self.progress.resize(g, [0.0; QUAD]);
        self.spend.resize(g, [0.0; QUAD]);
        self.budgets.resize(classes * g, [0.0; QUAD]);
        let grid = &self.grid[..];
        for ((t, progress), spend) in grid.iter().zip(&mut self.progress).zip(&mut self.spend) {
            let t = load(t);
            *progress = store(unsafe { _mm256_add_pd(hardware.value(t), algorithms.value(t)) });
            if frontier_budget {
                *spend = store(unsafe { investment.value(t) });
            }
        }
        for (class, budgets) in (self.model.classes.iter()).zip(self.budgets.chunks_exact_mut(g)) {
            if class.frontier {
                let scale = load(&class.scale);
                for (b, s) in budgets.iter_mut().zip(&self.spend) {
                    *b = store(_mm256_add_pd(scale, load(s)));
                }
            } else {
                let (start, x0, rate) = (load(&class.start), load(&class.x0), load(&class.rate));
                for (b, t) in budgets.iter_mut().zip(grid) {
                    let since = _mm256_sub_pd(load(t), start);
                    *b = store(_mm256_add_pd(x0, _mm256_mul_pd(rate, since)));
                }
            }
        }
        // The walks: every target for every class, four samples at a time.
        self.fits
            .resize(self.model.froms.len() * classes, [0.0; QUAD]);
        let first_time = load(&self.grid[0]);
        let (grid, progress) = (&self.grid[..g], &self.progress[..g]);
        let per_target = (self.model.froms.iter().zip(&self.model.bases))
            .zip(self.fits.chunks_exact_mut(classes.max(1)));
        for ((&year, base), fits) in per_target {
            let base = load(base);
            let from = _mm256_set1_pd(year);
            // Every sample's grid starts at or after the target's first year: its first point
            // is the walk's first.
            let from_start =
                _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LE_OQ>(from, first_time)) == 0b1111;
            // The points before the target's first year in every sample cannot fit: the walks
            // start at the first point where one sample has reached it.
            let first = if from_start {
                0
            } else {
                (grid.iter())
                    .position(|t| {
                        _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_GE_OQ>(load(t), from)) != 0
                    })
                    .unwrap_or(g)
            };
            if first == g {
                fits.fill([f64::INFINITY; QUAD]);
                continue;
            }
            let (grid, progress) = (&grid[first..], &progress[first..]);
            let per_class = (self.model.classes.iter()).zip(self.budgets.chunks_exact(g));
            for ((class, budget), fit) in per_class.zip(fits) {
                let offset = _mm256_add_pd(base, load(&class.multiplier));
                let budget = &budget[first..];
                // SAFETY: the CPU has AVX2, and the grid, progress and budget hold `g - first
                // > 0` points each.
                *fit = store(unsafe {
                    if from_start {
                        avx2::first_fit::<true>(grid, progress, budget, offset, from)
                    } else {
                        avx2::first_fit::<false>(grid, progress, budget, offset, from)
                    }
                });
            }
        }
        for (l, out) in taus.iter_mut().enumerate() {
            for (tau, fit) in out.iter_mut().zip(&self.fits) {
                *tau = fit[l];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CrossingSolver;
    use crate::sim::{Sampler, Scratch};
    use std::path::Path;

    /// Sorts every sequence of zeros and ones of up to 14 slots (so, by the zero-one principle,
    /// every sequence of numbers).
    #[test]
    fn the_network_sorts() {
        for n in 0..=14usize {
            let network = sorting_network(n);
            for bits in 0..1u32 << n {
                let mut v: Vec<u32> = (0..n).map(|i| bits >> i & 1).collect();
                for &(i, j) in &network {
                    assert!(i < j && j < n);
                    if v[i] > v[j] {
                        v.swap(i, j);
                    }
                }
                assert!(v.windows(2).all(|w| w[0] <= w[1]), "n = {n}, {bits:b}");
            }
        }
    }

    /// A scenario for every part solved here: regimes, caps on every path (one rising), a
    /// frontier-of-year target, a target at an older year's algorithms, a cost-at-year target,
    /// budgets that are the frontier's fraction, and lines, one with a price multiplier.
    const SCENARIO: &str = r#"
[scenario]
name = "quad"
start_year = 2025.0
end_year = 2060.0
seed = 5

[hardware]
flop_per_dollar = "3e17 to 1e18"
doubling_time_years = "2.0 to 3.0"
max_flop_per_dollar = "1e19 to 1e22"

[algorithms]
max_improvement = "1e2 to 1e6"
[[algorithms.regime]]
until = 2031
halving_time_years = "0.4 to 1.5"
[[algorithms.regime]]
until = 2040
halving_time_years = "1 to 4"
[[algorithms.regime]]
halving_time_years = "0.5 to 6"

[investment]
frontier_spend = "1e8 to 5e8"
growth_per_year = "1.5 to 3.5"
max_fraction_of_gwp = "0.0005 to 0.01"
gwp = 1.1e14
gwp_growth_per_year = 1.03

[costs]
overhead = "1.5 to 4"

[[actor]]
name = "Frontier"
budget = "frontier"

[[actor]]
name = "Half"
budget = "frontier"
frontier_fraction = "0.1 to 0.9"

[[actor]]
name = "Academic"
budget = "1e4 to 1e6"
growth_per_year = "1.0 to 1.3"

[[actor]]
name = "Startups"
budget = "1e6 to 1e8"
growth_per_year = "1.1 to 1.5"
price_multiplier = "1.2 to 2.5"
compute_multiplier = "1.1 to 2"

[[actor]]
name = "Individuals"
budget = "1e2 to 1e4"
growth_per_year = "0.9 to 1.1"

[[target]]
name = "GPT-4"
flop = "1e25 to 3e25"
flop_year = 2023

[[target]]
name = "Big"
flop = "1e26 to 1e29"

[[target]]
name = "F2030"
frontier_year = 2030

[[target]]
name = "F2025"
frontier_year = 2025
"#;

    /// The times of four samples at a time equal the one-by-one solver's to the bit, and the
    /// numbers realised straight from four samples' draws equal those read from their models,
    /// over the shipped bench-v1 scenario and the one above.
    #[test]
    fn four_at_once_equal_one_by_one() {
        let bench = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bench.toml"),
        )
        .unwrap();
        for (name, text) in [("bench.toml", bench.as_str()), ("quad.toml", SCENARIO)] {
            let scn = crate::scenario::from_str(Path::new(name), text).unwrap();
            let (sampler, realiser) = (Sampler::new(&scn, scn.seed), scn.realiser());
            let mut s: [Scratch; QUAD] = std::array::from_fn(|_| Scratch::new(&scn));
            let (mut quad, mut one) = (QuadSolver::default(), CrossingSolver::default());
            let mut direct = QuadModel::default();
            let mut solved = 0;
            for first in (0..20_000u64).step_by(QUAD) {
                for (l, s) in s.iter_mut().enumerate() {
                    sampler.draw(first + l as u64, s);
                    sampler.realise(s);
                }
                let [a, b, c, d] = s.each_mut();
                let models = [&a.model, &b.model, &c.model, &d.model];
                let bases = [a.ln_bases(), b.ln_bases(), c.ln_bases(), d.ln_bases()];
                let mut got: [Vec<f64>; QUAD] = std::array::from_fn(|_| vec![0.0; a.taus.len()]);
                let [g0, g1, g2, g3] = got.each_mut();
                assert!(quad.solve(
                    models,
                    bases,
                    [&mut g0[..], &mut g1[..], &mut g2[..], &mut g3[..]]
                ));
                let draws = [&a.draws, &b.draws, &c.draws, &d.draws];
                assert!(realiser.realise_quad(draws, &mut direct));
                // Debug's numbers tell −0 from 0.
                let shown = |q: &QuadModel| format!("{q:?}");
                assert_eq!(
                    shown(&direct),
                    shown(quad.model()),
                    "{name}, sample {first}"
                );
                for (l, m) in models.iter().enumerate() {
                    let mut want = vec![0.0; got[l].len()];
                    one.solve(m, &mut want, None);
                    let bits = |v: &[f64]| v.iter().map(|t| t.to_bits()).collect::<Vec<_>>();
                    let (got, want) = (bits(&got[l]), bits(&want));
                    assert_eq!(got, want, "{name}, sample {}", first + l as u64);
                    solved += want
                        .iter()
                        .filter(|t| f64::from_bits(**t).is_finite())
                        .count();
                }
            }
            assert!(solved > 1000, "{name}: {solved} finite times");
        }
    }
}
