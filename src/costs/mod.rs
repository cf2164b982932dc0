/*!
Costs beyond the training run's compute: data, staff and deployment (docs/model.md §17).

A class trains a target with `F = compute_multiplier · E / A_k(t)` physical FLOP, sized
compute-optimally: `N = √(F / 6r)` parameters on `D = r·N` tokens. Its costs at `t` are

- compute: `m · price_multiplier · F / P_k(t)` (the model without components);
- data: `p(t) · min(D, S(t)) + b · max(D − S(t), 0)` (`p` the price per token, `S` the stock of
  tokens, `b` the price beyond it; without a stock, `p(t) · D`);
- staff: `person_years · w(t)`;
- deployment: `price_multiplier · 2N · T / (u · P_k(t))` for `T` tokens served at utilisation `u`.

Every log-quantity these are built from is linear in `t` between the solver's grid points, so on
each piece the total minus the budget is a signed sum of exponentials of `t`. Its first root is
found exactly: segments where bounds without exponentials keep the cost above the budget are
passed over; a sum whose coefficients, ordered by growth rate, change sign at most twice has at
most two roots (Laguerre's rule of signs), so a bracket holds exactly one and Newton's method
closes it to [`ROOT_WIDTH`] years; any other piece is searched by bisection with bounds that
discard every sub-interval where the cost provably stays above the budget, until a sub-interval
where the gap provably falls (its slope bounded through its second derivative) is closed by
Newton's method. No I/O, no randomness.
*/

mod bounds;
mod pair;
mod piece;
mod terms;

pub use bounds::GridBounds;
pub use pair::{Pair, PairBudget, Prims};

/// `ln 6`: training FLOP per parameter per token.
const LN_6: f64 = 1.791_759_469_228_055;

/// Width, in years, to which a crossing of a sum of costs is closed.
pub const ROOT_WIDTH: f64 = 1e-10;

/// Log-space tolerance for "the cost fits the budget": costs within a factor 1 + 1e-9 of the
/// budget count as affordable, so that rounding cannot hide an exact tie (the frontier affording
/// its own frontier-of-year capability exactly at that year). Defined here, below the model
/// that solves crossings with it, so that the costs need nothing from the model.
pub const FIT_TOLERANCE: f64 = 1e-9;

/// The components of a class's cost, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// Training compute, overhead included.
    Compute,
    /// Training data.
    Data,
    /// Staff.
    Staff,
    /// Serving the model.
    Deployment,
}

impl Component {
    /// Every component, in report order.
    pub const ALL: [Component; 4] = [
        Component::Compute,
        Component::Data,
        Component::Staff,
        Component::Deployment,
    ];

    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Component::Compute => "compute",
            Component::Data => "data",
            Component::Staff => "staff",
            Component::Deployment => "deployment",
        }
    }
}

/// The price of training data, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataPrice {
    /// `ln p` at the start year, dollars per token.
    pub ln_price: f64,
    /// Its natural-log growth per year.
    pub rate: f64,
    /// The stock of tokens available at that price, if limited.
    pub stock: Option<Stock>,
}

/// A limited stock of data, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stock {
    /// `ln S` at the start year, tokens.
    pub ln_tokens: f64,
    /// Its natural-log growth per year.
    pub rate: f64,
    /// `ln b`: dollars per token beyond the stock.
    pub ln_beyond_price: f64,
}

/// Staff wages, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wage {
    /// `ln w` at the start year, dollars per person-year.
    pub ln_wage: f64,
    /// Its natural-log growth per year.
    pub rate: f64,
}

/// Serving a trained model, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deployment {
    /// `ln u`: inference FLOP per dollar relative to training's.
    pub ln_utilisation: f64,
    /// True when deployment must fit in the budget (`affordability = "train_and_deploy"`).
    pub in_budget: bool,
}

/// What one target needs beyond compute, for one sample (`−∞`: nothing).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Needs {
    /// `ln` person-years of staff.
    pub ln_person_years: f64,
    /// `ln` tokens served over the deployment period.
    pub ln_tokens_served: f64,
}

/// The prices of everything beyond compute, for one sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prices {
    /// The start year, where the prices and the stock have their initial values.
    pub start: f64,
    /// `ln r`: training tokens per parameter.
    pub ln_tokens_per_parameter: f64,
    /// Data, if priced.
    pub data: Option<DataPrice>,
    /// Staff, if paid.
    pub staff: Option<Wage>,
    /// Deployment, if served.
    pub deployment: Option<Deployment>,
}

/// Every cost beyond compute, for one sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Costs {
    /// The prices.
    pub prices: Prices,
    /// What each target needs.
    pub needs: Vec<Needs>,
}

/// Who pays, for one target: a class at its own access, or the frontier inside a frontier budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payer {
    /// `ln E`: the target's effective FLOP at start-year algorithms.
    pub ln_e: f64,
    /// `ln m`: the overhead on training compute.
    pub ln_overhead: f64,
    /// `ln price_multiplier`.
    pub ln_price: f64,
    /// `ln compute_multiplier`.
    pub ln_compute: f64,
    /// `ln wage_multiplier`.
    pub ln_wage: f64,
}

/// The log of each [`Component`] of one cost (`−∞` where it is absent).
pub type Breakdown = [f64; 4];

impl Prices {
    /// Whether data has a stock, beyond which it costs another price (a second regime).
    pub fn has_stock(&self) -> bool {
        self.data.is_some_and(|d| d.stock.is_some())
    }

    /// True when deployment counts against the budget.
    pub fn deploy_in_budget(&self) -> bool {
        self.deployment.is_some_and(|d| d.in_budget)
    }

    /// The components of `payer`'s cost at `t` of a target that needs `needs`, given its
    /// `ln P_k(t)` (`hw`) and `ln A_k(t)` (`alg`).
    #[inline]
    pub fn breakdown(&self, needs: Needs, payer: &Payer, hw: f64, alg: f64, t: f64) -> Breakdown {
        let since = t - self.start;
        let ln_f = formula::ln_flop(payer.ln_compute, payer.ln_e, alg);
        let r = self.ln_tokens_per_parameter;
        let compute = formula::compute(payer.ln_overhead, payer.ln_price, ln_f, hw);
        let data = self.data.map_or(f64::NEG_INFINITY, |d| {
            let ln_d = formula::ln_tokens(r, ln_f);
            let ln_p = formula::at(d.ln_price, d.rate, since);
            match d.stock {
                Some(s) => {
                    let ln_s = formula::at(s.ln_tokens, s.rate, since);
                    if ln_d <= ln_s {
                        ln_p + ln_d
                    } else {
                        // p·S + b·(D − S), with ln(D − S) = ln D + ln(1 − S/D).
                        let beyond = s.ln_beyond_price + ln_d + (-(ln_s - ln_d).exp()).ln_1p();
                        log_add(ln_p + ln_s, beyond)
                    }
                }
                None => ln_p + ln_d,
            }
        });
        let staff = self.staff.map_or(f64::NEG_INFINITY, |w| {
            formula::staff(
                needs.ln_person_years,
                payer.ln_wage,
                w.ln_wage,
                w.rate,
                since,
            )
        });
        let deployment = self.deployment.map_or(f64::NEG_INFINITY, |d| {
            formula::deployment(
                payer.ln_price,
                r,
                ln_f,
                needs.ln_tokens_served,
                d.ln_utilisation,
                hw,
            )
        });
        [compute, data, staff, deployment]
    }

    /// `ln D − ln S`: how far `payer`'s training tokens exceed the stock (`−∞` without one).
    fn tokens_over_stock(&self, payer: &Payer, alg: f64, t: f64) -> f64 {
        match self.data.and_then(|d| d.stock) {
            Some(s) => {
                let ln_d = 0.5
                    * (self.ln_tokens_per_parameter + payer.ln_compute + payer.ln_e - alg - LN_6);
                ln_d - (s.ln_tokens + s.rate * (t - self.start))
            }
            None => f64::NEG_INFINITY,
        }
    }
}

/// The components' formulas in logs, one place for the arithmetic (and its order, so that the
/// same inputs give the same bits): [`Prices::breakdown`] reads them one sample at a time, the
/// breakdown's columns over a batch.
pub(crate) mod formula {
    use super::LN_6;
    use std::f64::consts::LN_2;

    /// `ln F`: the FLOP trained at `ln A_k = alg`, for `ln E` at start-year algorithms and a
    /// compute multiplier.
    #[inline(always)]
    pub fn ln_flop(ln_compute: f64, ln_e: f64, alg: f64) -> f64 {
        ln_compute + ln_e - alg
    }

    /// Training compute's cost: overhead × price × `F / P_k`.
    #[inline(always)]
    pub fn compute(ln_overhead: f64, ln_price: f64, ln_f: f64, hw: f64) -> f64 {
        ln_overhead + ln_price + ln_f - hw
    }

    /// `ln D`, the training tokens of `F` FLOP at `r` tokens per parameter: `D = √(r·F/6)`.
    #[inline(always)]
    pub fn ln_tokens(r: f64, ln_f: f64) -> f64 {
        0.5 * (r + ln_f - LN_6)
    }

    /// A log-quantity `since` years after the start: `x0 + rate · since`.
    #[inline(always)]
    pub fn at(x0: f64, rate: f64, since: f64) -> f64 {
        x0 + rate * since
    }

    /// Staff: person-years × the payer's wage multiplier × the wage `since` years on.
    #[inline(always)]
    pub fn staff(person_years: f64, ln_wage: f64, wage: f64, rate: f64, since: f64) -> f64 {
        person_years + ln_wage + wage + rate * since
    }

    /// Deployment: serving the tokens at 2N FLOP a token, `N = √(F/(6r))`, at the utilisation
    /// reached, priced like training compute (without the overhead).
    #[inline(always)]
    pub fn deployment(
        ln_price: f64,
        r: f64,
        ln_f: f64,
        served: f64,
        utilisation: f64,
        hw: f64,
    ) -> f64 {
        let ln_n = 0.5 * (ln_f - LN_6 - r);
        ln_price + LN_2 + ln_n + served - utilisation - hw
    }
}

/// The logs of a breakdown's train total, whole total (deployment included) and the total that
/// must fit, and each part's share of the whole; robust to any magnitude.
pub fn totals(b: &Breakdown, deploy_in_budget: bool) -> (f64, f64, f64, [f64; 4]) {
    let top = b.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let parts = b.map(|v| {
        if v == f64::NEG_INFINITY {
            0.0
        } else {
            (v - top).exp()
        }
    });
    let train = parts[0] + parts[1] + parts[2];
    let whole = train + parts[3];
    let ln_train = top + train.ln();
    let ln_whole = if parts[3] == 0.0 {
        ln_train
    } else {
        top + whole.ln()
    };
    let fit = if deploy_in_budget { ln_whole } else { ln_train };
    (ln_train, ln_whole, fit, parts.map(|p| p / whole))
}

/// `ln(e^a + e^b)`, exact for infinite arguments.
#[inline]
pub fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        hi
    } else {
        hi + (lo - hi).exp().ln_1p()
    }
}
