//! A batch's totals and shares from its components' logs, in loops the compiler vectorises.

use super::{BATCH, batch_column, batch_columns};
use crate::vecmath::{exp, ln};

/// The totals of a batch of breakdowns, by sample: what [`crate::costs::totals`] gives one
/// breakdown, with [`crate::vecmath`]'s `exp` and `ln` so that the loops vectorise.
#[derive(Debug, Clone)]
pub(super) struct Sums {
    /// `ln` of compute, data and staff.
    pub train: Box<[f64; BATCH]>,
    /// `ln` of the train total and deployment.
    pub whole: Box<[f64; BATCH]>,
    /// `ln` of the total that must fit: `whole` when deployment counts against the budget,
    /// else `train`.
    pub fit: Box<[f64; BATCH]>,
    /// Per component, its share of the whole (0 when absent).
    pub shares: Box<[[f64; BATCH]; 4]>,
    top: Box<[f64; BATCH]>,
    /// The whole, relative to the largest part.
    sum: Box<[f64; BATCH]>,
}

impl Default for Sums {
    fn default() -> Self {
        let column = || batch_column(0.0);
        Self {
            train: column(),
            whole: column(),
            fit: column(),
            shares: batch_columns::<4>(0.0),
            top: column(),
            sum: column(),
        }
    }
}

impl Sums {
    /// Fills the first `n` samples from `ln_parts` (per component, per sample; `−∞` where a
    /// component is absent), of which the components `present` are read.
    pub fn fill(
        &mut self,
        ln_parts: &[[f64; BATCH]; 4],
        present: &[usize],
        deploy_in_budget: bool,
        n: usize,
    ) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.fill_avx2(ln_parts, present, deploy_in_budget, n) };
        }
        self.fill_portable(ln_parts, present, deploy_in_budget, n);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn fill_avx2(
        &mut self,
        ln_parts: &[[f64; BATCH]; 4],
        present: &[usize],
        deploy_in_budget: bool,
        n: usize,
    ) {
        self.fill_portable(ln_parts, present, deploy_in_budget, n);
    }

    #[inline(always)]
    fn fill_portable(
        &mut self,
        ln_parts: &[[f64; BATCH]; 4],
        present: &[usize],
        deploy_in_budget: bool,
        n: usize,
    ) {
        if let &[0, c1 @ (1 | 2)] = present {
            return self.fill_compute_and(c1, ln_parts, n);
        }
        self.fill_any(ln_parts, present, deploy_in_budget, n);
    }

    /// [`Sums::fill`] of any parts, a pass at a time.
    #[inline(always)]
    fn fill_any(
        &mut self,
        ln_parts: &[[f64; BATCH]; 4],
        present: &[usize],
        deploy_in_budget: bool,
        n: usize,
    ) {
        let top = &mut self.top[..n];
        top.fill(f64::NEG_INFINITY);
        for &c in present {
            // A comparison, not `f64::max` (a function call in WebAssembly builds).
            for (t, &v) in top.iter_mut().zip(&ln_parts[c][..n]) {
                *t = if v > *t { v } else { *t };
            }
        }
        // Each part relative to the largest (so in [0, 1], and 1 for the largest), kept in
        // `shares` until divided by the whole.
        if let &[c0, c1] = present {
            // Two parts: one exponential, of the smaller relative to the larger (the larger's
            // is e^0 = 1, as `exp` gives it).
            let [s0, s1] = self.shares.get_disjoint_mut([c0, c1]).expect("two parts");
            let values = ln_parts[c0][..n].iter().zip(&ln_parts[c1][..n]);
            for ((e0, e1), (&v0, &v1)) in s0[..n].iter_mut().zip(&mut s1[..n]).zip(values) {
                let (low, high) = if v0 > v1 { (v1, v0) } else { (v0, v1) };
                let e = exp(low - high);
                *e0 = if v0 == high { 1.0 } else { e };
                *e1 = if v1 == high { 1.0 } else { e };
            }
        } else {
            for &c in present {
                for ((e, &v), &t) in self.shares[c][..n]
                    .iter_mut()
                    .zip(&ln_parts[c][..n])
                    .zip(&*top)
                {
                    *e = exp(v - t);
                }
            }
        }
        // Sums in the order of `costs::totals`: ((compute + data) + staff) + deployment.
        let [compute, data, staff, deploy] = &*self.shares;
        let sum = &mut self.sum[..n];
        sum.copy_from_slice(&compute[..n]);
        for (c, part) in [(1, data), (2, staff)] {
            if present.contains(&c) {
                for (w, &e) in sum.iter_mut().zip(&part[..n]) {
                    *w += e;
                }
            }
        }
        for ((l, &w), &t) in self.train[..n].iter_mut().zip(&*sum).zip(&*top) {
            *l = t + ln(w);
        }
        if present.contains(&3) {
            for (((l, w), &e), (&t, &train)) in self.whole[..n]
                .iter_mut()
                .zip(sum.iter_mut())
                .zip(&deploy[..n])
                .zip(top.iter().zip(&self.train[..n]))
            {
                *w += e;
                *l = if e == 0.0 { train } else { t + ln(*w) };
            }
        } else {
            self.whole[..n].copy_from_slice(&self.train[..n]);
        }
        let fit = if deploy_in_budget {
            &self.whole
        } else {
            &self.train
        };
        self.fit[..n].copy_from_slice(&fit[..n]);
        for &c in present {
            for (e, &w) in self.shares[c][..n].iter_mut().zip(&self.sum[..n]) {
                *e /= w;
            }
        }
    }
}

impl Sums {
    /// [`Sums::fill`] of compute and one more part of the train total (data or staff, `c1`):
    /// the same operations on each sample, in two loops rather than a pass each (the
    /// exponentials' and the logarithms' apart: in one loop, WebAssembly engines run out of
    /// vector registers).
    #[inline(always)]
    fn fill_compute_and(&mut self, c1: usize, ln_parts: &[[f64; BATCH]; 4], n: usize) {
        let (v0, v1) = (&ln_parts[0][..n], &ln_parts[c1][..n]);
        let [s0, s1] = self.shares.get_disjoint_mut([0, c1]).expect("two parts");
        let (s0, s1) = (&mut s0[..n], &mut s1[..n]);
        let (top, sum) = (&mut self.top[..n], &mut self.sum[..n]);
        for i in 0..n {
            let (v0, v1) = (v0[i], v1[i]);
            let t = if v0 > f64::NEG_INFINITY {
                v0
            } else {
                f64::NEG_INFINITY
            };
            top[i] = if v1 > t { v1 } else { t };
            let (low, high) = if v0 > v1 { (v1, v0) } else { (v0, v1) };
            let e = exp(low - high);
            s0[i] = if v0 == high { 1.0 } else { e };
            s1[i] = if v1 == high { 1.0 } else { e };
            sum[i] = s0[i] + s1[i];
        }
        let (train, whole, fit) = (
            &mut self.train[..n],
            &mut self.whole[..n],
            &mut self.fit[..n],
        );
        for i in 0..n {
            let w = sum[i];
            let l = top[i] + ln(w);
            (train[i], whole[i], fit[i]) = (l, l, l);
            s0[i] /= w;
            s1[i] /= w;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::totals;

    /// Compute and one more part in one loop: the bits of the passes for any parts, with ties,
    /// an absent part and parts far apart.
    #[test]
    fn two_parts_in_one_loop_equal_the_passes() {
        let mut s = 11u64;
        let mut next = || {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        for c1 in [1, 2] {
            let mut ln_parts = batch_columns::<4>(f64::NEG_INFINITY);
            for i in 0..BATCH {
                let v0 = 10.0 + 80.0 * next();
                ln_parts[0][i] = v0;
                ln_parts[c1][i] = match i % 5 {
                    0 => f64::NEG_INFINITY,
                    1 => v0,
                    2 => v0 + 1e-12,
                    _ => 10.0 + 80.0 * next(),
                };
            }
            let n = BATCH - 1;
            let (mut one, mut passes) = (Sums::default(), Sums::default());
            for deploy_in_budget in [false, true] {
                one.fill(&ln_parts, &[0, c1], deploy_in_budget, n);
                passes.fill_any(&ln_parts, &[0, c1], deploy_in_budget, n);
                let bits = |v: &[f64]| v[..n].iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                for (a, b) in [
                    (&one.train[..], &passes.train[..]),
                    (&one.whole[..], &passes.whole[..]),
                    (&one.fit[..], &passes.fit[..]),
                    (&one.shares[0][..], &passes.shares[0][..]),
                    (&one.shares[c1][..], &passes.shares[c1][..]),
                ] {
                    assert_eq!(bits(a), bits(b), "{c1} {deploy_in_budget}");
                }
            }
        }
    }

    /// Against `costs::totals`, breakdown by breakdown: within a few ulp of the same sums.
    #[test]
    fn sums_equal_the_scalar_totals() {
        let mut s = 7u64;
        let mut next = || {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        for present in [
            vec![0],
            vec![0, 2],
            vec![0, 1, 2],
            vec![0, 1, 2, 3],
            vec![0, 3],
        ] {
            for deploy_in_budget in [false, true] {
                let mut ln_parts = batch_columns::<4>(f64::NEG_INFINITY);
                let n = BATCH - 3;
                for &c in &present {
                    for v in &mut ln_parts[c][..n] {
                        // Spread over 80 e-folds, sometimes absent (a target without staff).
                        *v = if c == 2 && next() < 0.1 {
                            f64::NEG_INFINITY
                        } else {
                            10.0 + 80.0 * next()
                        };
                    }
                }
                let mut sums = Box::new(Sums::default());
                sums.fill(&ln_parts, &present, deploy_in_budget, n);
                for s in 0..n {
                    let b = [0, 1, 2, 3].map(|c| ln_parts[c][s]);
                    let (train, whole, fit, shares) = totals(&b, deploy_in_budget);
                    let close =
                        |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0);
                    assert!(close(sums.train[s], train), "{present:?} {s}");
                    assert!(close(sums.whole[s], whole), "{present:?} {s}");
                    assert!(close(sums.fit[s], fit), "{present:?} {s}");
                    for (c, share) in shares.iter().enumerate() {
                        assert!(
                            (sums.shares[c][s] - share).abs() <= 4.0 * f64::EPSILON,
                            "{present:?} {s} {c}"
                        );
                    }
                }
            }
        }
    }
}
