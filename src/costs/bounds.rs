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

/// One value per component of a sample, as [`Compact`] stores them.
type Parts = [f64; 4];

/// [`Parts`] as they are stored: the components a sample has first (compute, then data, staff
/// and deployment where there are), then `−∞`s. Absent components are `−∞` for every pair and
/// time, and `max(x, −∞) = x`, so leaving them out changes no bound; the scan then reads only
/// the parts there are.
struct Compact {
    parts: Parts,
    n: usize,
}

impl Compact {
    #[inline(always)]
    fn new(compute: f64) -> Self {
        let mut parts = [f64::NEG_INFINITY; 4];
        parts[0] = compute;
        Self { parts, n: 1 }
    }

    #[inline(always)]
    fn push(&mut self, v: f64) {
        self.parts[self.n & 3] = v;
        self.n += 1;
    }
}

/// Every cost component's and budget term's time-dependent part at each point of a grid, for one
/// class: cost parts bounded below, budget parts above. Data with a stock costs between
/// `min(p, b)·D` and `max(p, b)·D` whichever side of the stock the tokens are, so neither needs
/// the regime.
#[derive(Debug, Default)]
pub struct GridBounds {
    cost: Vec<Parts>,
    budget: Vec<Parts>,
    /// How many components the sample has, and the log of that.
    components: (usize, f64),
}

impl Prices {
    /// The parts of a cost paid at `ln P = hw` and `ln A = alg` at `t`: below when `lower`,
    /// else above (they differ only for data with a stock).
    fn parts(&self, (hw, alg, t): (f64, f64, f64), lower: bool) -> Parts {
        let mut out = Compact::new(-alg - hw);
        if let Some(d) = self.data {
            let ln_p = d.ln_price + d.rate * (t - self.start);
            let price = match d.stock {
                Some(s) if lower => min(ln_p, s.ln_beyond_price),
                Some(s) => max(ln_p, s.ln_beyond_price),
                None => ln_p,
            };
            out.push(price - 0.5 * alg);
        }
        if let Some(w) = self.staff {
            out.push(w.rate * (t - self.start));
        }
        if self.deploy_in_budget() {
            out.push(-0.5 * alg - hw);
        }
        out.parts
    }

    /// The constants that complete [`Prices::parts`] for `payer` and a target that needs
    /// `needs`, each plus `ln_scale`.
    fn constants(&self, needs: Needs, payer: &Payer, ln_scale: f64) -> Parts {
        let ln_fe = payer.ln_compute + payer.ln_e;
        let r = self.ln_tokens_per_parameter;
        let mut out = Compact::new(ln_scale + payer.ln_overhead + payer.ln_price + ln_fe);
        if self.data.is_some() {
            out.push(ln_scale + 0.5 * (r + ln_fe - LN_6));
        }
        if let Some(w) = self.staff {
            out.push(ln_scale + needs.ln_person_years + payer.ln_wage + w.ln_wage);
        }
        if let Some(d) = self.deployment.filter(|d| d.in_budget) {
            out.push(
                ln_scale
                    + payer.ln_price
                    + LN_2
                    + 0.5 * (ln_fe - LN_6 - r)
                    + needs.ln_tokens_served
                    - d.ln_utilisation,
            );
        }
        out.parts
    }

    /// How many components it has: compute, and data, staff and deployment where there are.
    pub(super) fn components(&self) -> usize {
        1 + usize::from(self.data.is_some())
            + usize::from(self.staff.is_some())
            + usize::from(self.deploy_in_budget())
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
        let n = prices.components();
        self.components = (n, (n as f64).ln());
        // Sized first and written in place: a push per point tested the capacity each time.
        self.cost.resize(times.len(), [f64::NEG_INFINITY; 4]);
        self.budget.resize(times.len(), [f64::NEG_INFINITY; 4]);
        let points = self.cost.iter_mut().zip(self.budget.iter_mut());
        for (i, (&t, (cost, budget))) in times.iter().zip(points).enumerate() {
            let p = prims(i);
            *cost = prices.parts((p.hw, p.alg, t), true);
            *budget = match kind {
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
            };
        }
    }
}

/// A pair's constants for [`GridBounds`], compacted as its parts are.
pub(super) struct PairBounds {
    cost: Parts,
    budget: Parts,
    /// How many of the parts are there, of the cost and of the budget.
    parts: (usize, usize),
    /// `ln` of how many terms the budget has: the budget is at most that many times its largest.
    ln_terms: f64,
}

impl PairBounds {
    /// The constants of `pair`, whose class's parts are `grid`.
    pub(super) fn new(pair: &Pair, grid: &GridBounds) -> Self {
        let prices = &pair.costs.prices;
        let needs = pair.costs.needs[pair.target];
        let cost = prices.constants(needs, &pair.payer, 0.0);
        let (budget, (terms, ln_terms)) = match pair.budget {
            PairBudget::Own => ([pair.ln_budget_scale; 4], (1, 0.0)),
            PairBudget::Frontier { ln_fraction } => {
                let f = &pair.frontier;
                let mut b = prices.constants(needs, f, ln_fraction + pair.ln_budget_scale);
                b[0] = ln_fraction + pair.ln_budget_scale + f.ln_overhead;
                (b, grid.components)
            }
        };
        Self {
            cost,
            budget,
            parts: (grid.components.0, terms),
            ln_terms,
        }
    }

    /// A lower bound on `ln(cost) − ln(budget)` over the grid segment from point `a` to point
    /// `b` (`a == b`: at that point). Every part is linear in time on a segment, or (data with a
    /// stock) the smaller or larger of two linear functions, so its extreme is at an end; the
    /// cost is at least its largest component.
    #[inline(always)]
    pub(super) fn lower(&self, grid: &GridBounds, a: usize, b: usize) -> f64 {
        self.bound::<4, 4>(grid, a, b)
    }

    /// [`Self::lower`] reading the first `C` cost parts and `B` budget parts: the same bound to
    /// the bit where the others are `−∞` (`max(x, −∞) = x`), taken in the same order.
    #[inline(always)]
    fn bound<const C: usize, const B: usize>(&self, grid: &GridBounds, a: usize, b: usize) -> f64 {
        let (ca, cb) = (&grid.cost[a], &grid.cost[b]);
        let (ba, bb) = (&grid.budget[a], &grid.budget[b]);
        let mut cost = self.cost[0] + min(ca[0], cb[0]);
        for k in 1..C {
            cost = max(cost, self.cost[k] + min(ca[k], cb[k]));
        }
        let mut budget = self.budget[0] + max(ba[0], bb[0]);
        for k in 1..B {
            budget = max(budget, self.budget[k] + max(ba[k], bb[k]));
        }
        cost - (budget + self.ln_terms)
    }

    /// The first grid segment from the one ending at point `from` (`from ≥ 1`) whose
    /// [`Self::lower`] bound is within [`FIT_TOLERANCE`]: the point where it ends.
    pub(super) fn first_candidate(&self, grid: &GridBounds, from: usize) -> Option<usize> {
        // One loop for each count of parts, each with only the parts there are.
        match self.parts {
            (1, 1) => self.scan::<1, 1>(grid, from),
            (2, 1) => self.scan::<2, 1>(grid, from),
            (2, 2) => self.scan::<2, 2>(grid, from),
            (3, 1) => self.scan::<3, 1>(grid, from),
            (3, 3) => self.scan::<3, 3>(grid, from),
            (4, 1) => self.scan::<4, 1>(grid, from),
            _ => self.scan::<4, 4>(grid, from),
        }
    }

    /// [`Self::first_candidate`] with [`Self::bound`] of `C` cost and `B` budget parts.
    #[inline(always)]
    fn scan<const C: usize, const B: usize>(
        &self,
        grid: &GridBounds,
        from: usize,
    ) -> Option<usize> {
        let n = grid.cost.len().min(grid.budget.len());
        (from.max(1)..n).find(|&i| self.bound::<C, B>(grid, i - 1, i) <= FIT_TOLERANCE)
    }
}
