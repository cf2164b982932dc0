/*!
The first fits of one target for several actor classes at once, one class to a lane.

Walking one class at a time ([`first_fit`]), the walk leaves its loop where the data says (a
branch the processor mispredicts about once a walk) and then divides, waiting on the division
before the next walk. Here a group of [`LANES`] classes is walked together up the grid until
every lane has fitted, each lane keeping what its own first fitting point needs; then the
interpolations of all lanes are computed at once: one exit and one division a group.

Written with AVX2's intrinsics because the compiler turns the lanes' selects into branches when
left to vectorise them itself. Where the CPU lacks AVX2 (and in WebAssembly, whose playground
runs the costs solver, not this one) each lane is walked alone. Both give [`first_fit`]'s bits
(tested below).
*/

use super::solver::first_fit;

/// Classes walked side by side: one AVX2 vector of doubles.
pub const LANES: usize = 4;

/// One number for each class of a group of [`LANES`].
pub type Lanes = [f64; LANES];

/// A lane flag: set where negative (the sign bit is what AVX2's blends read).
pub const SET: f64 = -1.0;

/// What the walks know of a group of [`LANES`] classes in one sample.
#[derive(Debug, Clone, Copy, Default)]
pub struct Group {
    /// Per lane, the class's budget when it is a straight line, `x0 + rate · (t − start)`: its
    /// value at its start,
    pub x0: Lanes,
    /// its rate,
    pub rate: Lanes,
    /// and its start year.
    pub start: Lanes,
    /// [`SET`] where the class's budget is read from the rows instead (the frontier's, or a
    /// path with kinks).
    pub budget_in_rows: Lanes,
    /// [`SET`] where the class's progress is its own, read from the rows, not the frontier's.
    pub progress_in_rows: Lanes,
    /// [`SET`] where no class is behind the lane.
    pub padding: Lanes,
}

/// The numbers of one sample the walks read: the grid, the frontier's progress at each point,
/// and each group's description ([`Group`]) with its rows: each lane's progress and budget at
/// each grid point (group-major, `[c · grid.len() + i]`), read only where its flags say.
#[derive(Debug, Clone, Copy)]
pub struct Walks<'a> {
    /// The grid of kinks, ascending.
    pub grid: &'a [f64],
    /// The frontier's progress `ln P + ln A` at each grid point.
    pub progress: &'a [f64],
    /// Each group of classes.
    pub groups: &'a [Group],
    /// Each group's lanes' own progress at each grid point.
    pub progress_rows: &'a [Lanes],
    /// Each group's lanes' budgets at each grid point.
    pub budget_rows: &'a [Lanes],
}

impl Walks<'_> {
    /// Class `c · LANES + l`'s progress and budget at grid point `i`.
    #[inline(always)]
    pub fn at(&self, c: usize, l: usize, i: usize) -> (f64, f64) {
        let (group, row) = (&self.groups[c], c * self.grid.len() + i);
        let progress = if group.progress_in_rows[l] < 0.0 {
            self.progress_rows[row][l]
        } else {
            self.progress[i]
        };
        let budget = if group.budget_in_rows[l] < 0.0 {
            self.budget_rows[row][l]
        } else {
            group.x0[l] + group.rate[l] * (self.grid[i] - group.start[l])
        };
        (progress, budget)
    }

    /// For every target `j` and class `k`, `taus[j · classes + k]`: the first time from
    /// `grid[firsts[j]]` on when `offsets[j][k] − progress_k(t) − budget_k(t) ≤ 0`, both linear
    /// between grid points ([`first_fit`]); `offsets` holds each target's per group
    /// (`[j · groups + c]`).
    pub fn fit_targets(&self, firsts: &[usize], offsets: &[Lanes], taus: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { self.fit_targets_avx512(firsts, offsets, taus) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.fit_targets_avx2(firsts, offsets, taus) };
        }
        self.for_each_group(firsts, offsets, taus, |walks, c, first, offset, taus| {
            let lanes = walks.fits_one_by_one(c, first, offset);
            taus.copy_from_slice(&lanes[..taus.len()]);
        });
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn fit_targets_avx2(&self, firsts: &[usize], offsets: &[Lanes], taus: &mut [f64]) {
        use std::arch::x86_64::*;
        self.for_each_group(firsts, offsets, taus, |walks, c, first, offset, taus| {
            // SAFETY: this function runs only where the CPU has AVX2.
            let lanes = unsafe { walks.fits_avx2(c, first, offset) };
            // The lanes of real classes, by one masked store (a copy of a length the compiler
            // does not know is a call to `memcpy`).
            let real = _mm256_cmpgt_epi64(
                _mm256_set1_epi64x(taus.len() as i64),
                _mm256_setr_epi64x(0, 1, 2, 3),
            );
            // SAFETY: the store writes only the first `taus.len()` (at most four) doubles.
            unsafe { _mm256_maskstore_pd(taus.as_mut_ptr(), real, lanes) };
        });
    }

    /// Two groups at a time in one AVX-512 vector (a last odd group by AVX2): half the walks,
    /// each lane's numbers as in [`Walks::fits_avx2`].
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn fit_targets_avx512(&self, firsts: &[usize], offsets: &[Lanes], taus: &mut [f64]) {
        use std::arch::x86_64::*;
        let (groups, classes) = self.check(firsts, offsets, taus);
        let per_target = firsts.iter().zip(offsets.chunks_exact(groups.max(1)));
        for ((&first, offsets), taus) in per_target.zip(taus.chunks_exact_mut(classes.max(1))) {
            for c in (0..groups).step_by(2) {
                let taus = &mut taus[c * LANES..];
                if c + 1 < groups {
                    // SAFETY: this function runs only where the CPU has AVX-512F.
                    let lanes = unsafe { self.fits_avx512(c, first, &offsets[c], &offsets[c + 1]) };
                    let real = (1u32 << taus.len().min(2 * LANES)) - 1;
                    // SAFETY: the store writes only the first `real` (at most eight) doubles,
                    // all within `taus`.
                    unsafe { _mm512_mask_storeu_pd(taus.as_mut_ptr(), real as u8, lanes) };
                } else {
                    // SAFETY: a CPU with AVX-512F has AVX2.
                    let lanes = unsafe { self.fits_avx2(c, first, &offsets[c]) };
                    let real = (1u32 << taus.len().min(LANES)) - 1;
                    // SAFETY: as above, at most four doubles.
                    unsafe {
                        _mm512_mask_storeu_pd(
                            taus.as_mut_ptr(),
                            real as u8,
                            _mm512_castpd256_pd512(lanes),
                        )
                    };
                }
            }
        }
    }

    /// Checks that the rows, offsets and times fit the grid and the groups: the number of
    /// groups, and of classes.
    fn check(&self, firsts: &[usize], offsets: &[Lanes], taus: &[f64]) -> (usize, usize) {
        let (g, groups) = (self.grid.len(), self.groups.len());
        let classes = taus.len() / firsts.len().max(1);
        assert!(
            self.progress.len() == g
                && self.progress_rows.len() == groups * g
                && self.budget_rows.len() == groups * g
                && offsets.len() == firsts.len() * groups
                && classes <= groups * LANES,
            "rows of {groups} groups of {LANES} classes at {g} grid points"
        );
        (groups, classes)
    }

    /// Calls `fits(self, group, first, offset, taus)` for each target and group of classes,
    /// `taus` being the group's classes' places in `taus`.
    #[inline(always)]
    fn for_each_group(
        &self,
        firsts: &[usize],
        offsets: &[Lanes],
        taus: &mut [f64],
        fits: impl Fn(&Self, usize, usize, &Lanes, &mut [f64]),
    ) {
        let (groups, classes) = self.check(firsts, offsets, taus);
        let per_target = firsts.iter().zip(offsets.chunks_exact(groups.max(1)));
        for ((&first, offsets), taus) in per_target.zip(taus.chunks_exact_mut(classes.max(1))) {
            for (c, (offset, taus)) in offsets.iter().zip(taus.chunks_mut(LANES)).enumerate() {
                fits(self, c, first, offset, taus);
            }
        }
    }

    /// Each lane's [`first_fit`], one lane after another.
    fn fits_one_by_one(&self, c: usize, first: usize, offset: &Lanes) -> Lanes {
        std::array::from_fn(|l| {
            first_fit(self.grid, first, |i| {
                let (progress, budget) = self.at(c, l, i);
                offset[l] - progress - budget
            })
        })
    }

    /// Each lane's [`first_fit`], all lanes at once: up the grid until every lane has fitted.
    ///
    /// # Safety
    /// The CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn fits_avx2(
        &self,
        c: usize,
        first: usize,
        offset: &Lanes,
    ) -> std::arch::x86_64::__m256d {
        use crate::costs::FIT_TOLERANCE;
        use std::arch::x86_64::*;
        let (grid, g) = (self.grid, self.grid.len());
        if first >= g {
            return _mm256_set1_pd(f64::INFINITY);
        }
        // SAFETY (every load): a `Lanes` is four doubles.
        let load = |x: &Lanes| unsafe { _mm256_loadu_pd(x.as_ptr()) };
        let group = &self.groups[c];
        let (x0, rate, start) = (load(&group.x0), load(&group.rate), load(&group.start));
        let (budget_in_rows, progress_in_rows) =
            (load(&group.budget_in_rows), load(&group.progress_in_rows));
        let (progress_rows, budget_rows) = (
            &self.progress_rows[c * g..][..g],
            &self.budget_rows[c * g..][..g],
        );
        let offset = load(offset);
        // `offset − progress − budget` at grid point `i`, as `first_fit`'s callers write it.
        let gap = |i: usize| {
            let t = _mm256_set1_pd(grid[i]);
            let line = _mm256_add_pd(x0, _mm256_mul_pd(rate, _mm256_sub_pd(t, start)));
            let budget = _mm256_blendv_pd(line, load(&budget_rows[i]), budget_in_rows);
            let progress = _mm256_set1_pd(self.progress[i]);
            let progress = _mm256_blendv_pd(progress, load(&progress_rows[i]), progress_in_rows);
            _mm256_sub_pd(_mm256_sub_pd(offset, progress), budget)
        };
        let tolerance = _mm256_set1_pd(FIT_TOLERANCE);
        // What each lane's fitting point needs: the gap there and before it, and the two
        // times. `d = 1` (no interpolation) with `b = +∞` is "no fit". Fitting at the first
        // point is fitting there, however far below the budget.
        let mut before = gap(first);
        let mut found = _mm256_cmp_pd::<_CMP_LE_OQ>(before, tolerance);
        let mut d = _mm256_set1_pd(1.0);
        let mut prev = _mm256_setzero_pd();
        let mut a = _mm256_setzero_pd();
        let mut b = _mm256_blendv_pd(
            _mm256_set1_pd(f64::INFINITY),
            _mm256_set1_pd(grid[first]),
            found,
        );
        found = _mm256_or_pd(found, load(&group.padding));
        let mut i = first + 1;
        // `testc` is 1 when every lane of `found` has its sign bit set: one test and a jump,
        // where a mask compared with 0b1111 takes three.
        let all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        while i < g && _mm256_testc_pd(found, all) == 0 {
            let here = gap(i);
            let fits = _mm256_andnot_pd(found, _mm256_cmp_pd::<_CMP_LE_OQ>(here, tolerance));
            d = _mm256_blendv_pd(d, here, fits);
            prev = _mm256_blendv_pd(prev, before, fits);
            a = _mm256_blendv_pd(a, _mm256_set1_pd(grid[i - 1]), fits);
            b = _mm256_blendv_pd(b, _mm256_set1_pd(grid[i]), fits);
            found = _mm256_or_pd(found, fits);
            before = here;
            i += 1;
        }
        // SAFETY: the CPU has AVX2.
        unsafe { settle_avx2(a, b, prev, d) }
    }

    /// [`Walks::fits_avx2`] of groups `c` and `c + 1` at once, their lanes in that order: up the
    /// grid until all eight have fitted (a lane that has fitted keeps its numbers while the walk
    /// goes on for the others).
    ///
    /// # Safety
    /// The CPU has AVX-512F.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn fits_avx512(
        &self,
        c: usize,
        first: usize,
        offset_c: &Lanes,
        offset_next: &Lanes,
    ) -> std::arch::x86_64::__m512d {
        use crate::costs::FIT_TOLERANCE;
        use std::arch::x86_64::*;
        let (grid, g) = (self.grid, self.grid.len());
        if first >= g {
            return _mm512_set1_pd(f64::INFINITY);
        }
        // SAFETY (every load): a `Lanes` is four doubles.
        let pair = |x: &Lanes, y: &Lanes| unsafe {
            _mm512_insertf64x4::<1>(
                _mm512_castpd256_pd512(_mm256_loadu_pd(x.as_ptr())),
                _mm256_loadu_pd(y.as_ptr()),
            )
        };
        let zero = _mm512_setzero_pd();
        // A flag is set where negative.
        let flag = |x: &Lanes, y: &Lanes| _mm512_cmp_pd_mask::<_CMP_LT_OQ>(pair(x, y), zero);
        let (a_group, b_group) = (&self.groups[c], &self.groups[c + 1]);
        let x0 = pair(&a_group.x0, &b_group.x0);
        let rate = pair(&a_group.rate, &b_group.rate);
        let start = pair(&a_group.start, &b_group.start);
        let budget_in_rows = flag(&a_group.budget_in_rows, &b_group.budget_in_rows);
        let progress_in_rows = flag(&a_group.progress_in_rows, &b_group.progress_in_rows);
        let padding = flag(&a_group.padding, &b_group.padding);
        let (progress_a, progress_b) = (
            &self.progress_rows[c * g..][..g],
            &self.progress_rows[(c + 1) * g..][..g],
        );
        let (budget_a, budget_b) = (
            &self.budget_rows[c * g..][..g],
            &self.budget_rows[(c + 1) * g..][..g],
        );
        let offset = pair(offset_c, offset_next);
        // `offset − progress − budget` at grid point `i`, as `first_fit`'s callers write it.
        let gap = |i: usize| {
            let t = _mm512_set1_pd(grid[i]);
            let line = _mm512_add_pd(x0, _mm512_mul_pd(rate, _mm512_sub_pd(t, start)));
            let budget =
                _mm512_mask_blend_pd(budget_in_rows, line, pair(&budget_a[i], &budget_b[i]));
            let progress = _mm512_set1_pd(self.progress[i]);
            let own = pair(&progress_a[i], &progress_b[i]);
            let progress = _mm512_mask_blend_pd(progress_in_rows, progress, own);
            _mm512_sub_pd(_mm512_sub_pd(offset, progress), budget)
        };
        let tolerance = _mm512_set1_pd(FIT_TOLERANCE);
        // As in `fits_avx2`, with masks for its flags.
        let mut before = gap(first);
        let mut found = _mm512_cmp_pd_mask::<_CMP_LE_OQ>(before, tolerance);
        let mut d = _mm512_set1_pd(1.0);
        let mut prev = zero;
        let mut a = zero;
        let mut b = _mm512_mask_blend_pd(
            found,
            _mm512_set1_pd(f64::INFINITY),
            _mm512_set1_pd(grid[first]),
        );
        found |= padding;
        let mut i = first + 1;
        while i < g && found != 0xff {
            let here = gap(i);
            let fits = !found & _mm512_cmp_pd_mask::<_CMP_LE_OQ>(here, tolerance);
            d = _mm512_mask_blend_pd(fits, d, here);
            prev = _mm512_mask_blend_pd(fits, prev, before);
            a = _mm512_mask_blend_pd(fits, a, _mm512_set1_pd(grid[i - 1]));
            b = _mm512_mask_blend_pd(fits, b, _mm512_set1_pd(grid[i]));
            found |= fits;
            before = here;
            i += 1;
        }
        let t = _mm512_add_pd(
            a,
            _mm512_mul_pd(
                _mm512_div_pd(prev, _mm512_sub_pd(prev, d)),
                _mm512_sub_pd(b, a),
            ),
        );
        let t = _mm512_min_pd(b, _mm512_max_pd(a, t));
        let crossed = _mm512_cmp_pd_mask::<_CMP_LE_OQ>(d, zero);
        _mm512_mask_blend_pd(crossed, b, t)
    }
}

/// Each lane's first fit from what its walk kept (see [`Walks::fits_avx2`]): where `d ≤ 0`,
/// the crossing `(a + prev / (prev − d) · (b − a)).clamp(a, b)` between the grid times `a` and
/// `b`; elsewhere `b` (a point that fits within the tolerance, or +∞).
///
/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn settle_avx2(
    a: std::arch::x86_64::__m256d,
    b: std::arch::x86_64::__m256d,
    prev: std::arch::x86_64::__m256d,
    d: std::arch::x86_64::__m256d,
) -> std::arch::x86_64::__m256d {
    use std::arch::x86_64::*;
    // `max(a, t)` is `a` when `t < a`, else `t`, and `min(b, t)` is `b` when `t > b`, else `t`,
    // as `clamp` (neither is NaN).
    let t = _mm256_add_pd(
        a,
        _mm256_mul_pd(
            _mm256_div_pd(prev, _mm256_sub_pd(prev, d)),
            _mm256_sub_pd(b, a),
        ),
    );
    let t = _mm256_min_pd(b, _mm256_max_pd(a, t));
    let crossed = _mm256_cmp_pd::<_CMP_LE_OQ>(d, _mm256_setzero_pd());
    _mm256_blendv_pd(b, t, crossed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::FIT_TOLERANCE;
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    /// A lane's number: mostly spread around zero, sometimes at or around zero and the
    /// tolerance, where the walks' comparisons decide.
    fn value(rng: &mut Pcg64Mcg) -> f64 {
        const SPECIAL: [f64; 6] = [
            0.0,
            -0.0,
            FIT_TOLERANCE,
            2.0 * FIT_TOLERANCE,
            -FIT_TOLERANCE,
            1e-300,
        ];
        if rng.random::<f64>() < 0.2 {
            SPECIAL[rng.random_range(0..SPECIAL.len())]
        } else {
            rng.random::<f64>() * 4.0 - 1.5
        }
    }

    fn flags(rng: &mut Pcg64Mcg) -> Lanes {
        std::array::from_fn(|_| if rng.random::<bool>() { SET } else { 0.0 })
    }

    /// Every compiled way of fitting the CPU can run: `fit_targets` as dispatched, and each of
    /// its AVX-512 and AVX2 paths.
    fn every_path(walks: &Walks, firsts: &[usize], offsets: &[Lanes], n: usize) -> Vec<Vec<f64>> {
        let mut all = vec![vec![f64::NAN; n]];
        walks.fit_targets(firsts, offsets, &mut all[0]);
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                let mut taus = vec![f64::NAN; n];
                // SAFETY: the CPU has AVX2.
                unsafe { walks.fit_targets_avx2(firsts, offsets, &mut taus) };
                all.push(taus);
            }
            if std::is_x86_feature_detected!("avx512f") {
                let mut taus = vec![f64::NAN; n];
                // SAFETY: the CPU has AVX-512F.
                unsafe { walks.fit_targets_avx512(firsts, offsets, &mut taus) };
                all.push(taus);
            }
        }
        all
    }

    /// The lanes' walk gives each lane exactly what the walk of that class alone gives: lines
    /// and budgets in rows, the frontier's progress and a class's own, gaps at and around zero
    /// and the tolerance, fits at the first point, no fit, padding, targets that start at or
    /// past the end of the grid, and one to three groups (two walked at once with AVX-512, and
    /// an odd one alone), by every path the CPU can run.
    #[test]
    fn all_lanes_at_once_equal_one_by_one() {
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let (mut interpolated, mut at_grid) = (0, 0);
        for round in 0..4_000 {
            let g = 1 + round % 9;
            let groups = 1 + round % 3;
            let classes = LANES * groups - rng.random_range(0..LANES);
            let mut grid: Vec<f64> = (0..g)
                .map(|_| 2025.0 + 35.0 * rng.random::<f64>())
                .collect();
            grid.sort_by(f64::total_cmp);
            let progress: Vec<f64> = (0..g).map(|_| value(&mut rng)).collect();
            let mut rows = || -> Vec<Lanes> {
                (0..groups * g)
                    .map(|_| std::array::from_fn(|_| value(&mut rng)))
                    .collect()
            };
            let (progress_rows, budget_rows) = (rows(), rows());
            let groups: Vec<Group> =
                (0..groups)
                    .map(|c| Group {
                        x0: std::array::from_fn(|_| value(&mut rng)),
                        rate: std::array::from_fn(|_| 0.1 * value(&mut rng)),
                        start: [2025.0; LANES],
                        budget_in_rows: flags(&mut rng),
                        progress_in_rows: flags(&mut rng),
                        padding: std::array::from_fn(|l| {
                            if c * LANES + l < classes { 0.0 } else { SET }
                        }),
                    })
                    .collect();
            let offsets: Vec<Lanes> = (0..groups.len())
                .map(|_| std::array::from_fn(|_| value(&mut rng)))
                .collect();
            let walks = Walks {
                grid: &grid,
                progress: &progress,
                groups: &groups,
                progress_rows: &progress_rows,
                budget_rows: &budget_rows,
            };
            for first in 0..=g {
                let one: Vec<f64> = (0..classes)
                    .map(|k| {
                        walks.fits_one_by_one(k / LANES, first, &offsets[k / LANES])[k % LANES]
                    })
                    .collect();
                for (path, all) in every_path(&walks, &[first], &offsets, classes)
                    .iter()
                    .enumerate()
                {
                    for k in 0..classes {
                        assert_eq!(
                            all[k].to_bits(),
                            one[k].to_bits(),
                            "round {round}, first {first}, class {k}, path {path}"
                        );
                    }
                }
                for &t in &one {
                    if first < g && t > grid[first] && t.is_finite() {
                        if grid.contains(&t) {
                            at_grid += 1
                        } else {
                            interpolated += 1
                        }
                    }
                }
            }
        }
        assert!(
            interpolated > 1_000 && at_grid > 20,
            "the test interpolates ({interpolated}) and stops at grid points ({at_grid})"
        );
    }

    /// Targets and classes land in `taus[j · classes + k]`, a group's padding lanes nowhere,
    /// and padding does not keep the walk from stopping.
    #[test]
    fn groups_fill_their_classes_of_every_target() {
        let grid = [2025.0, 2030.0, 2040.0];
        // Six classes in two groups: class k's budget is the line −k, its progress 0.
        let group = |c: usize| Group {
            x0: std::array::from_fn(|l| -((c * LANES + l) as f64)),
            padding: std::array::from_fn(|l| if c * LANES + l >= 6 { SET } else { 0.0 }),
            ..Group::default()
        };
        let rows = vec![[f64::NAN; LANES]; 2 * grid.len()];
        let walks = Walks {
            grid: &grid,
            progress: &[0.0; 3],
            groups: &[group(0), group(1)],
            progress_rows: &rows,
            budget_rows: &rows,
        };
        // Target j's offset is −j − ½ for every class: class k fits at the start when k ≤ j.
        let offsets: Vec<Lanes> = (0..2)
            .flat_map(|j| [[-(j as f64) - 0.5; LANES]; 2])
            .collect();
        let mut taus = [f64::NAN; 12];
        walks.fit_targets(&[0, 1], &offsets, &mut taus);
        for (j, first) in [(0, 2025.0), (1, 2030.0)] {
            for k in 0..6 {
                let want = if k <= j { first } else { f64::INFINITY };
                assert_eq!(taus[j * 6 + k], want, "target {j}, class {k}");
            }
        }
    }
}
