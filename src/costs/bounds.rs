//! Bounds on a pair's cost and budget that need no exponential and no regime (docs/model.md
//! §17.4, step 2): what lets the solver pass over the grid segments where the cost stays above
//! the budget without building a sum of exponentials.
//!
//! Each component's log is a constant of the pair (target, class, actor) plus a part that depends
//! only on time and the class's paths, so the parts are computed once per class and grid point
//! and each pair adds its constants.

use std::f64::consts::LN_2;

use super::pair::{Pair, PairBudget, Prims};
use super::{FIT_TOLERANCE, LN_6, Needs, Payer, Prices};
use crate::vecmath::{max, min};

/// One value per component (compute, data, staff, deployment); `−∞` where it is absent.
type Parts = [f64; 4];

/// Every cost component's and budget term's time-dependent part at each point of a grid, for one
/// class: cost parts bounded below, budget parts above. Data with a stock costs between
/// `min(p, b)·D` and `max(p, b)·D` whichever side of the stock the tokens are, so neither needs
/// the regime.
#[derive(Debug, Default)]
pub struct GridBounds {
    cost: Vec<Parts>,
    budget: Vec<Parts>,
}

impl Prices {
    /// The parts of a cost paid at `ln P = hw` and `ln A = alg` at `t`: below when `lower`,
    /// else above (they differ only for data with a stock).
    fn parts(&self, (hw, alg, t): (f64, f64, f64), lower: bool) -> Parts {
        let mut out = [f64::NEG_INFINITY; 4];
        out[0] = -alg - hw;
        if let Some(d) = self.data {
            let ln_p = d.ln_price + d.rate * (t - self.start);
            let price = match d.stock {
                Some(s) if lower => min(ln_p, s.ln_beyond_price),
                Some(s) => max(ln_p, s.ln_beyond_price),
                None => ln_p,
            };
            out[1] = price - 0.5 * alg;
        }
        if let Some(w) = self.staff {
            out[2] = w.rate * (t - self.start);
        }
        if self.deploy_in_budget() {
            out[3] = -0.5 * alg - hw;
        }
        out
    }

    /// The constants that complete [`Prices::parts`] for `payer` and a target that needs
    /// `needs`, each plus `ln_scale`.
    fn constants(&self, needs: Needs, payer: &Payer, ln_scale: f64) -> Parts {
        let ln_fe = payer.ln_compute + payer.ln_e;
        let r = self.ln_tokens_per_parameter;
        [
            ln_scale + payer.ln_overhead + payer.ln_price + ln_fe,
            ln_scale + 0.5 * (r + ln_fe - LN_6),
            ln_scale
                + needs.ln_person_years
                + payer.ln_wage
                + self.staff.map_or(0.0, |w| w.ln_wage),
            ln_scale + payer.ln_price + LN_2 + 0.5 * (ln_fe - LN_6 - r) + needs.ln_tokens_served
                - self.deployment.map_or(0.0, |d| d.ln_utilisation),
        ]
    }
}

impl GridBounds {
    /// Fills the parts of a class whose budget is of `kind` at each of `times`, with
    /// `prims(i)` its log-quantities at `times[i]`.
    #[inline]
    pub fn fill(
        &mut self,
        prices: &Prices,
        kind: PairBudget,
        times: &[f64],
        prims: impl Fn(usize) -> Prims,
    ) {
        self.cost.clear();
        self.budget.clear();
        for (i, &t) in times.iter().enumerate() {
            let p = prims(i);
            self.cost.push(prices.parts((p.hw, p.alg, t), true));
            self.budget.push(match kind {
                PairBudget::Own => {
                    let mut b = [f64::NEG_INFINITY; 4];
                    b[0] = p.budget;
                    b
                }
                PairBudget::Frontier { .. } => {
                    let mut b = prices.parts((p.hw_f, p.alg_f, t), false);
                    // A frontier budget's compute is the frontier's spend, `m · S`.
                    b[0] = p.spend;
                    b
                }
            });
        }
    }
}

/// A pair's constants for [`GridBounds`].
pub(super) struct PairBounds {
    cost: Parts,
    budget: Parts,
    /// `ln` of how many terms the budget has: the budget is at most that many times its largest.
    ln_terms: f64,
}

impl PairBounds {
    pub(super) fn new(pair: &Pair) -> Self {
        let prices = &pair.costs.prices;
        let needs = pair.costs.needs[pair.target];
        let cost = prices.constants(needs, &pair.payer, 0.0);
        let (budget, terms) = match pair.budget {
            PairBudget::Own => ([pair.ln_budget_scale; 4], 1),
            PairBudget::Frontier { ln_fraction } => {
                let f = &pair.frontier;
                let mut b = prices.constants(needs, f, ln_fraction + pair.ln_budget_scale);
                b[0] = ln_fraction + pair.ln_budget_scale + f.ln_overhead;
                let n = 1
                    + usize::from(prices.data.is_some())
                    + usize::from(prices.staff.is_some())
                    + usize::from(prices.deploy_in_budget());
                (b, n)
            }
        };
        Self {
            cost,
            budget,
            ln_terms: (terms as f64).ln(),
        }
    }

    /// A lower bound on `ln(cost) − ln(budget)` over the grid segment from point `a` to point
    /// `b` (`a == b`: at that point). Every part is linear in time on a segment, or (data with a
    /// stock) the smaller or larger of two linear functions, so its extreme is at an end; the
    /// cost is at least its largest component.
    #[inline(always)]
    pub(super) fn lower(&self, grid: &GridBounds, a: usize, b: usize) -> f64 {
        let (ca, cb) = (&grid.cost[a], &grid.cost[b]);
        let (ba, bb) = (&grid.budget[a], &grid.budget[b]);
        let mut cost = f64::NEG_INFINITY;
        let mut budget = f64::NEG_INFINITY;
        for k in 0..4 {
            cost = max(cost, self.cost[k] + min(ca[k], cb[k]));
            budget = max(budget, self.budget[k] + max(ba[k], bb[k]));
        }
        cost - (budget + self.ln_terms)
    }

    /// The first grid segment from the one ending at point `from` (`from ≥ 1`) whose
    /// [`Self::lower`] bound is within [`FIT_TOLERANCE`]: the point where it ends.
    pub(super) fn first_candidate(&self, grid: &GridBounds, from: usize) -> Option<usize> {
        let n = grid.cost.len().min(grid.budget.len());
        (from..n).find(|&i| self.lower(grid, i - 1, i) <= FIT_TOLERANCE)
    }
}
