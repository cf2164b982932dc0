//! Signed sums of exponentials: a cost minus a budget as `Σ ± e^ln`, each term linear in time
//! between grid points.

use std::f64::consts::LN_2;

use super::{LN_6, Needs, Payer, Prices};
use crate::vecmath::{max, min};

/// Signed log-terms: a sum `Σ ± e^ln`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Terms {
    pub ln: [f64; 16],
    pub positive: [bool; 16],
    pub n: usize,
}

impl Terms {
    pub fn new() -> Self {
        Self {
            ln: [0.0; 16],
            positive: [false; 16],
            n: 0,
        }
    }

    #[inline]
    pub fn push(&mut self, positive: bool, ln: f64) {
        // A component that is absent (−∞) adds nothing.
        if ln > f64::NEG_INFINITY {
            self.ln[self.n] = ln;
            self.positive[self.n] = positive;
            self.n += 1;
        }
    }
}

/// `ln Σ e^x` over the terms of one sign, with each term's log picked by `pick`.
pub(super) fn log_sum(terms: &Terms, positive: bool, pick: impl Fn(usize) -> f64) -> f64 {
    let mut top = f64::NEG_INFINITY;
    for i in 0..terms.n {
        if terms.positive[i] == positive {
            top = max(top, pick(i));
        }
    }
    if top.is_infinite() {
        return top;
    }
    let mut sum = 0.0;
    for i in 0..terms.n {
        if terms.positive[i] == positive {
            sum += (pick(i) - top).exp();
        }
    }
    top + sum.ln()
}

/// `ln(cost) − ln(budget)` from terms.
pub(super) fn gap(terms: &Terms) -> f64 {
    log_sum(terms, true, |i| terms.ln[i]) - log_sum(terms, false, |i| terms.ln[i])
}

/// The log of each component of a cost, bounded without knowing whether the tokens exceed the
/// stock (`−∞` where absent): below when `lower`, else above. Each is linear in time between grid
/// points, or (data with a stock) the smaller or larger of two linear functions, so its extreme
/// over a segment is at an end.
pub(super) type Bounds = [f64; 4];

/// A lower bound on `ln(cost) − ln(budget)` over a segment from the cost's lower bounds and the
/// budget's upper bounds at its ends, with `ln_budget_terms` the log of how many budget terms
/// there are: the cost is at least its largest term, the budget at most that many times its
/// largest.
pub(super) fn segment_lower(
    (cost_a, cost_b): (&Bounds, &Bounds),
    (budget_a, budget_b): (&Bounds, &Bounds),
    ln_budget_terms: f64,
) -> f64 {
    let mut cost = f64::NEG_INFINITY;
    let mut budget = f64::NEG_INFINITY;
    for k in 0..4 {
        cost = max(cost, min(cost_a[k], cost_b[k]));
        budget = max(budget, max(budget_a[k], budget_b[k]));
    }
    cost - (budget + ln_budget_terms)
}

impl Prices {
    /// Bounds on the components of `payer`'s cost at `t` (see [`Bounds`]), each plus `ln_scale`;
    /// `compute` replaces the compute term when given (a frontier budget's `m · S`).
    pub(super) fn bounds(
        &self,
        needs: Needs,
        payer: &Payer,
        (hw, alg, t): (f64, f64, f64),
        lower: bool,
        ln_scale: f64,
        compute: Option<f64>,
    ) -> Bounds {
        let ln_f = payer.ln_compute + payer.ln_e - alg;
        let r = self.ln_tokens_per_parameter;
        let mut out = [f64::NEG_INFINITY; 4];
        out[0] = ln_scale + compute.unwrap_or(payer.ln_overhead + payer.ln_price + ln_f - hw);
        if let Some(d) = self.data {
            let ln_d = 0.5 * (r + ln_f - LN_6);
            let ln_p = d.ln_price + d.rate * (t - self.start);
            // p·min(D, S) + b·max(D − S, 0) lies between min(p, b)·D and max(p, b)·D.
            let price = match d.stock {
                Some(s) if lower => min(ln_p, s.ln_beyond_price),
                Some(s) => max(ln_p, s.ln_beyond_price),
                None => ln_p,
            };
            out[1] = ln_scale + price + ln_d;
        }
        if let Some(w) = self.staff {
            out[2] = ln_scale
                + needs.ln_person_years
                + payer.ln_wage
                + w.ln_wage
                + w.rate * (t - self.start);
        }
        if let Some(d) = self.deployment.filter(|d| d.in_budget) {
            let ln_n = 0.5 * (ln_f - LN_6 - r);
            out[3] = ln_scale + payer.ln_price + LN_2 + ln_n + needs.ln_tokens_served
                - d.ln_utilisation
                - hw;
        }
        out
    }

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
        // Compute, staff and deployment are exact in the bounds; only data depends on the stock.
        let [compute, _, staff, deployment] =
            self.bounds(needs, payer, (hw, alg, t), true, ln_scale, compute);
        out.push(sign, compute);
        if let Some(d) = self.data {
            let ln_f = payer.ln_compute + payer.ln_e - alg;
            let ln_d = 0.5 * (self.ln_tokens_per_parameter + ln_f - LN_6);
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
        out.push(sign, staff);
        out.push(sign, deployment);
    }
}
