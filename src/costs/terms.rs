//! Signed sums of exponentials: a cost minus a budget as `Σ ± e^ln`, each term linear in time
//! between grid points.

use std::f64::consts::LN_2;

use super::{LN_6, Needs, Payer, Prices};
use crate::vecmath::{exp, ln, max};

/// Most terms of one sign: a class's own cost has at most five (compute, data beyond a stock in
/// two, staff, deployment) and a frontier budget's flipped `−b·S` adds one.
pub(super) const SIDE: usize = 8;

/// Signed log-terms, a sum `Σ ± e^ln`, kept by sign: `ln[0]` the cost's (positive) terms and
/// `ln[1]` the budget's, each in the order they were pushed, so that a sum of one sign reads only
/// its own terms.
#[derive(Debug, Clone, Copy)]
pub(super) struct Terms {
    pub ln: [[f64; SIDE]; 2],
    pub n: [usize; 2],
    /// Each term's place among all the terms, in the order they were pushed (the order by which
    /// terms of equal growth rate are ranked when signs are counted).
    pub pushed: [[u8; SIDE]; 2],
}

impl Terms {
    pub fn new() -> Self {
        Self {
            ln: [[0.0; SIDE]; 2],
            n: [0; 2],
            pushed: [[0; SIDE]; 2],
        }
    }

    #[inline]
    pub fn push(&mut self, positive: bool, ln: f64) {
        // A component that is absent (−∞) adds nothing.
        if ln > f64::NEG_INFINITY {
            let side = usize::from(!positive);
            let i = self.n[side];
            self.ln[side][i] = ln;
            self.pushed[side][i] = (self.n[0] + self.n[1]) as u8;
            self.n[side] += 1;
        }
    }
}

/// `ln Σ e^x` over `n` terms of one sign, the `i`th term's log given by `pick(i)`: the sum of
/// [`weighted_log_sum`] without the slopes (unused, so not computed once inlined).
#[inline(always)]
pub(super) fn log_sum(n: usize, pick: impl Fn(usize) -> f64) -> f64 {
    weighted_log_sum(n, |i| (pick(i), 0.0)).0
}

/// `ln Σ e^x` over `n` terms and the sum's log-slope (the slopes weighted by the terms), term
/// `i`'s log and slope given by `at(i)`, summed in the terms' order from zero, so that a gap is
/// the same to the bit however it is found.
#[inline(always)]
pub(super) fn weighted_log_sum(n: usize, at: impl Fn(usize) -> (f64, f64)) -> (f64, f64) {
    let n = n.min(SIDE);
    if n == 1 {
        // One term: the sum is e^0 = 1, its log 0.
        let (l, s) = at(0);
        return (l + 0.0, (0.0 + s) / 1.0);
    }
    let mut top = f64::NEG_INFINITY;
    for i in 0..n {
        top = max(top, at(i).0);
    }
    if top.is_infinite() {
        return (top, 0.0);
    }
    let (mut sum, mut weighted) = (0.0, 0.0);
    for i in 0..n {
        let (l, s) = at(i);
        let e = exp_below(l, top);
        sum += e;
        weighted += e * s;
    }
    (top + ln_of_sum(sum), weighted / sum)
}

/// `e^(x − top)` for `x ≤ top`, without the call when `x` is the top (most sums here have one
/// or two terms of a sign, so this saves about half the exponentials; `e^0 = 1` exactly).
#[inline]
fn exp_below(x: f64, top: f64) -> f64 {
    if x == top { 1.0 } else { exp(x - top) }
}

/// `ln sum` for a sum of [`exp_below`] terms, without the call when the top is its only term
/// (`ln 1 = 0` exactly).
#[inline]
fn ln_of_sum(sum: f64) -> f64 {
    if sum == 1.0 { 0.0 } else { ln(sum) }
}

/// `ln(cost) − ln(budget)` from terms.
pub(super) fn gap(terms: &Terms) -> f64 {
    let [cost, budget] = &terms.ln;
    log_sum(terms.n[0], |i| cost[i]) - log_sum(terms.n[1], |i| budget[i])
}

impl Prices {
    /// Appends the signed exponential terms of `payer`'s cost at `t` of a target that needs
    /// `needs`, whose sum is the cost that must fit (`beyond`: the tokens exceed the stock), each
    /// scaled by `e^ln_scale` and signed `sign`. `compute` replaces the compute term when given
    /// (a frontier budget's `m · S`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_terms(
        &self,
        out: &mut Terms,
        needs: Needs,
        payer: &Payer,
        (hw, alg, t): (f64, f64, f64),
        beyond: bool,
        (sign, ln_scale): (bool, f64),
        compute: Option<f64>,
    ) {
        let ln_f = payer.ln_compute + payer.ln_e - alg;
        let r = self.ln_tokens_per_parameter;
        out.push(
            sign,
            ln_scale + compute.unwrap_or(payer.ln_overhead + payer.ln_price + ln_f - hw),
        );
        if let Some(d) = self.data {
            let ln_d = 0.5 * (r + ln_f - LN_6);
            let ln_p = d.ln_price + d.rate * (t - self.start);
            match d.stock {
                Some(s) if beyond => {
                    // p·S + b·D − b·S.
                    let ln_s = s.ln_tokens + s.rate * (t - self.start);
                    out.push(sign, ln_scale + s.ln_beyond_price + ln_d);
                    out.push(sign, ln_scale + ln_p + ln_s);
                    out.push(!sign, ln_scale + s.ln_beyond_price + ln_s);
                }
                _ => out.push(sign, ln_scale + ln_p + ln_d),
            }
        }
        if let Some(w) = self.staff {
            out.push(
                sign,
                ln_scale
                    + needs.ln_person_years
                    + payer.ln_wage
                    + w.ln_wage
                    + w.rate * (t - self.start),
            );
        }
        if let Some(d) = self.deployment.filter(|d| d.in_budget) {
            let ln_n = 0.5 * (ln_f - LN_6 - r);
            out.push(
                sign,
                ln_scale + payer.ln_price + LN_2 + ln_n + needs.ln_tokens_served
                    - d.ln_utilisation
                    - hw,
            );
        }
    }
}
