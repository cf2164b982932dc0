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
found exactly: a sum whose coefficients, ordered by growth rate, change sign at most twice has at
most two roots (Laguerre's rule of signs), so a bracket holds exactly one and a root finder
closes it to [`ROOT_WIDTH`] years; any other piece is searched by bisection with bounds that
discard every sub-interval where the cost provably stays above the budget. No I/O, no randomness.
*/

use std::f64::consts::LN_2;

use crate::model::FIT_TOLERANCE;

/// `ln 6`: training FLOP per parameter per token.
const LN_6: f64 = 1.791_759_469_228_055;

/// Width, in years, to which a crossing of a sum of costs is closed.
pub const ROOT_WIDTH: f64 = 1e-10;

/// Most sub-intervals one bisection search may visit before it settles for the tolerance.
const MAX_NODES: usize = 4096;

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
    /// True when deployment counts against the budget.
    pub fn deploy_in_budget(&self) -> bool {
        self.deployment.is_some_and(|d| d.in_budget)
    }

    /// The components of `payer`'s cost at `t` of a target that needs `needs`, given its
    /// `ln P_k(t)` (`hw`) and `ln A_k(t)` (`alg`).
    pub fn breakdown(&self, needs: Needs, payer: &Payer, hw: f64, alg: f64, t: f64) -> Breakdown {
        let ln_f = payer.ln_compute + payer.ln_e - alg;
        let r = self.ln_tokens_per_parameter;
        let compute = payer.ln_overhead + payer.ln_price + ln_f - hw;
        let data = self.data.map_or(f64::NEG_INFINITY, |d| {
            let ln_d = 0.5 * (r + ln_f - LN_6);
            let ln_p = d.ln_price + d.rate * (t - self.start);
            match d.stock {
                Some(s) => {
                    let ln_s = s.ln_tokens + s.rate * (t - self.start);
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
            needs.ln_person_years + payer.ln_wage + w.ln_wage + w.rate * (t - self.start)
        });
        let deployment = self.deployment.map_or(f64::NEG_INFINITY, |d| {
            let ln_n = 0.5 * (ln_f - LN_6 - r);
            payer.ln_price + LN_2 + ln_n + needs.ln_tokens_served - d.ln_utilisation - hw
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

    /// Appends the signed exponential terms of `payer`'s cost at `t` of a target that needs
    /// `needs`, whose sum is the cost that must fit (`beyond`: the tokens exceed the stock), each
    /// scaled by `e^ln_scale` and signed `sign`. `compute` replaces the compute term when given
    /// (a frontier budget's `m · S`).
    #[allow(clippy::too_many_arguments)]
    fn push_terms(
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

/// The log-quantities a pair's terms are built from, at one time; each is linear in time between
/// grid points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prims {
    /// The class's `ln P_k(t)`.
    pub hw: f64,
    /// The class's `ln A_k(t)`.
    pub alg: f64,
    /// The frontier's `ln P(t)`.
    pub hw_f: f64,
    /// The frontier's `ln A(t)`.
    pub alg_f: f64,
    /// The frontier's `ln S(t)` (frontier budgets).
    pub spend: f64,
    /// The class's own `ln B(t)` (own budgets).
    pub budget: f64,
}

impl Prims {
    fn lerp(a: &Prims, b: &Prims, w: f64) -> Prims {
        let l = |x: f64, y: f64| x + (y - x) * w;
        Prims {
            hw: l(a.hw, b.hw),
            alg: l(a.alg, b.alg),
            hw_f: l(a.hw_f, b.hw_f),
            alg_f: l(a.alg_f, b.alg_f),
            spend: l(a.spend, b.spend),
            budget: l(a.budget, b.budget),
        }
    }
}

/// A budget in the component model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PairBudget {
    /// The class's own path, `Prims::budget`.
    Own,
    /// `f` times the frontier's whole project for the target: `m · S(t)` and the frontier's own
    /// data, staff and (when it counts) deployment.
    Frontier {
        /// `ln f`.
        ln_fraction: f64,
    },
}

/// One target for one class (or one actor of it) in the component model.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// The sample's costs beyond compute.
    pub costs: &'a Costs,
    /// The target.
    pub target: usize,
    /// The class paying.
    pub payer: Payer,
    /// The frontier paying the same target (for frontier budgets).
    pub frontier: Payer,
    /// Its budget.
    pub budget: PairBudget,
    /// `c`: the budget is `e^c` times the class's (an actor within the class).
    pub ln_budget_scale: f64,
}

/// Signed log-terms: a sum `Σ ± e^ln`.
#[derive(Debug, Clone, Copy)]
struct Terms {
    ln: [f64; 16],
    positive: [bool; 16],
    n: usize,
}

impl Terms {
    fn new() -> Self {
        Self {
            ln: [0.0; 16],
            positive: [false; 16],
            n: 0,
        }
    }

    #[inline]
    fn push(&mut self, positive: bool, ln: f64) {
        // A component that is absent (−∞) adds nothing.
        if ln > f64::NEG_INFINITY {
            self.ln[self.n] = ln;
            self.positive[self.n] = positive;
            self.n += 1;
        }
    }
}

/// `ln Σ e^x` over the terms of one sign, with each term's log picked by `pick`.
fn log_sum(terms: &Terms, positive: bool, pick: impl Fn(usize) -> f64) -> f64 {
    let mut max = f64::NEG_INFINITY;
    for i in 0..terms.n {
        if terms.positive[i] == positive {
            max = max.max(pick(i));
        }
    }
    if max.is_infinite() {
        return max;
    }
    let mut sum = 0.0;
    for i in 0..terms.n {
        if terms.positive[i] == positive {
            sum += (pick(i) - max).exp();
        }
    }
    max + sum.ln()
}

/// `ln(cost) − ln(budget)` from terms.
fn gap(terms: &Terms) -> f64 {
    log_sum(terms, true, |i| terms.ln[i]) - log_sum(terms, false, |i| terms.ln[i])
}

/// The regime of a piece: whether the class's and the frontier's tokens exceed the stock.
type Regime = (bool, bool);

impl Pair<'_> {
    /// The signed terms of cost minus budget at `t`.
    fn terms(&self, t: f64, p: &Prims, regime: Regime) -> Terms {
        let mut out = Terms::new();
        let c = &self.costs.prices;
        let needs = self.costs.needs[self.target];
        c.push_terms(
            &mut out,
            needs,
            &self.payer,
            (p.hw, p.alg, t),
            regime.0,
            (true, 0.0),
            None,
        );
        match self.budget {
            PairBudget::Own => out.push(false, p.budget + self.ln_budget_scale),
            PairBudget::Frontier { ln_fraction } => {
                let f = &self.frontier;
                c.push_terms(
                    &mut out,
                    needs,
                    f,
                    (p.hw_f, p.alg_f, t),
                    regime.1,
                    (false, ln_fraction + self.ln_budget_scale),
                    Some(f.ln_overhead + p.spend),
                );
            }
        }
        out
    }

    /// Where in `(a, b)` the regime may change: the class's or the frontier's tokens reach the
    /// stock (`ln D − ln S` is linear between grid points).
    fn regime_changes(&self, (a, pa): (f64, &Prims), (b, pb): (f64, &Prims)) -> [f64; 2] {
        let cross = |payer: &Payer, alg_a: f64, alg_b: f64| {
            let (da, db) = (
                self.costs.prices.tokens_over_stock(payer, alg_a, a),
                self.costs.prices.tokens_over_stock(payer, alg_b, b),
            );
            if da.is_finite() && db.is_finite() && (da > 0.0) != (db > 0.0) {
                (a + da / (da - db) * (b - a)).clamp(a, b)
            } else {
                f64::NAN
            }
        };
        let frontier = match self.budget {
            PairBudget::Frontier { .. } => cross(&self.frontier, pa.alg_f, pb.alg_f),
            PairBudget::Own => f64::NAN,
        };
        [cross(&self.payer, pa.alg, pb.alg), frontier]
    }

    /// The regime at `t`.
    fn regime(&self, t: f64, p: &Prims) -> Regime {
        let beyond_frontier = matches!(self.budget, PairBudget::Frontier { .. })
            && self
                .costs
                .prices
                .tokens_over_stock(&self.frontier, p.alg_f, t)
                > 0.0;
        (
            self.costs.prices.tokens_over_stock(&self.payer, p.alg, t) > 0.0,
            beyond_frontier,
        )
    }

    /// The first time from `times[first]` on when the cost fits the budget (`+∞`: never by the
    /// last time), with `prims(i)` the pair's log-quantities at `times[i]`, linear in between.
    pub fn first_fit(&self, times: &[f64], first: usize, prims: impl Fn(usize) -> Prims) -> f64 {
        let Some(&t0) = times.get(first) else {
            return f64::INFINITY;
        };
        let mut pa = prims(first);
        if gap(&self.terms(t0, &pa, self.regime(t0, &pa))) <= FIT_TOLERANCE {
            return t0;
        }
        for i in first + 1..times.len() {
            let (a, b) = (times[i - 1], times[i]);
            let pb = prims(i);
            let mut cuts = self.regime_changes((a, &pa), (b, &pb));
            cuts.sort_by(f64::total_cmp);
            let mut from = a;
            for to in cuts.into_iter().filter(|c| *c > a && *c < b).chain([b]) {
                if to > from {
                    let piece = Piece::new(self, (a, &pa), (b, &pb), from, to);
                    if let Some(t) = piece.first_fit() {
                        return t;
                    }
                }
                from = to;
            }
            pa = pb;
        }
        f64::INFINITY
    }
}

/// A piece of a grid segment with one regime: cost minus budget is a fixed signed sum of
/// exponentials of time on it.
struct Piece<'p, 'a> {
    pair: &'p Pair<'a>,
    /// The grid segment's ends, where the primitives are known.
    seg: (f64, f64),
    prims: (Prims, Prims),
    regime: Regime,
    /// The piece's ends and their terms.
    a: f64,
    b: f64,
    ta: Terms,
    tb: Terms,
}

impl<'p, 'a> Piece<'p, 'a> {
    fn new(
        pair: &'p Pair<'a>,
        (s0, p0): (f64, &Prims),
        (s1, p1): (f64, &Prims),
        a: f64,
        b: f64,
    ) -> Self {
        let prims = (*p0, *p1);
        let at = |t: f64| Prims::lerp(p0, p1, (t - s0) / (s1 - s0));
        let mid = 0.5 * (a + b);
        let regime = pair.regime(mid, &at(mid));
        Self {
            pair,
            seg: (s0, s1),
            prims,
            regime,
            a,
            b,
            ta: pair.terms(a, &at(a), regime),
            tb: pair.terms(b, &at(b), regime),
        }
    }

    fn terms_at(&self, t: f64) -> Terms {
        let w = (t - self.seg.0) / (self.seg.1 - self.seg.0);
        let p = Prims::lerp(&self.prims.0, &self.prims.1, w);
        self.pair.terms(t, &p, self.regime)
    }

    /// True when, without any exponential, the cost provably stays above the budget on the
    /// piece: with one budget term and every cost term positive, the cost is at least its
    /// largest term, whose smallest value is at an end.
    fn clearly_above(&self) -> bool {
        let (ta, tb) = (&self.ta, &self.tb);
        let mut negatives = 0;
        let (mut cost, mut budget) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for i in 0..ta.n {
            if ta.positive[i] {
                cost = cost.max(ta.ln[i].min(tb.ln[i]));
            } else {
                negatives += 1;
                budget = ta.ln[i].max(tb.ln[i]);
            }
        }
        negatives == 1 && cost - budget > FIT_TOLERANCE
    }

    /// Sign changes of the coefficients ordered by growth rate: an upper bound on the roots of
    /// the sum on the whole line (Laguerre). Equal rates are not merged, which can only add
    /// sign changes.
    fn sign_changes(&self) -> usize {
        let n = self.ta.n;
        let mut rates: [(f64, bool); 16] = [(0.0, false); 16];
        for (i, r) in rates.iter_mut().enumerate().take(n) {
            *r = (self.tb.ln[i] - self.ta.ln[i], self.ta.positive[i]);
        }
        let rates = &mut rates[..n];
        rates.sort_by(|x, y| x.0.total_cmp(&y.0));
        rates.windows(2).filter(|w| w[0].1 != w[1].1).count()
    }

    /// The first time in `(a, b]` the cost fits, given that it does not at `a`.
    fn first_fit(&self) -> Option<f64> {
        if self.clearly_above() {
            return None;
        }
        let gb = gap(&self.tb);
        let changes = self.sign_changes();
        if gb <= 0.0 {
            if changes <= 2 {
                // Cost above the budget at `a`, below at `b`, at most two roots: exactly one.
                return Some(self.root(self.a, gap(&self.ta), self.b, gb));
            }
        } else if changes <= 1 && gb > FIT_TOLERANCE {
            // Above at both ends with at most one root: none.
            return None;
        }
        let mut nodes = 0;
        self.search(self.a, &self.ta, self.b, &self.tb, &mut nodes)
    }

    /// Bisection with bounds: the first time in `(a, b]` the cost fits, given the terms at both
    /// ends and that it does not fit at `a`.
    fn search(&self, a: f64, ta: &Terms, b: f64, tb: &Terms, nodes: &mut usize) -> Option<f64> {
        *nodes += 1;
        // Every term is monotone on the piece: its smallest value (cost terms) or largest
        // (budget terms) over [a, b] is at an end.
        let lower = log_sum(ta, true, |i| ta.ln[i].min(tb.ln[i]))
            - log_sum(ta, false, |i| ta.ln[i].max(tb.ln[i]));
        if lower > FIT_TOLERANCE {
            return None;
        }
        let gb = gap(tb);
        if b - a <= ROOT_WIDTH || *nodes >= MAX_NODES {
            // Within the tolerance of a touch, or a search too long to be worth finishing.
            return (gb <= FIT_TOLERANCE || *nodes >= MAX_NODES).then_some(b);
        }
        let m = 0.5 * (a + b);
        let tm = self.terms_at(m);
        if let Some(t) = self.search(a, ta, m, &tm, nodes) {
            return Some(t);
        }
        if gap(&tm) <= FIT_TOLERANCE {
            return Some(m);
        }
        self.search(m, &tm, b, tb, nodes)
    }

    /// The root of the gap in `(a, b)`, given `ga > 0 ≥ gb` and that it is the only one:
    /// regula falsi with the Illinois modification, then bisection, to [`ROOT_WIDTH`].
    fn root(&self, mut a: f64, mut ga: f64, mut b: f64, mut gb: f64) -> f64 {
        let mut side = 0;
        for _ in 0..200 {
            if b - a <= ROOT_WIDTH {
                break;
            }
            let mut c = (a * gb - b * ga) / (gb - ga);
            if !(c > a && c < b) {
                c = 0.5 * (a + b);
            }
            let gc = gap(&self.terms_at(c));
            if gc <= 0.0 {
                b = c;
                gb = gc;
                if side == -1 {
                    ga *= 0.5;
                }
                side = -1;
                if gc == 0.0 {
                    break;
                }
            } else {
                a = c;
                ga = gc;
                if side == 1 {
                    gb *= 0.5;
                }
                side = 1;
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    type StdRng = rand_pcg::Pcg64Mcg;

    /// `ln` of what must fit and of the budget at `t`, straight from the formulas.
    fn direct(pair: &Pair, t: f64, p: &Prims) -> (f64, f64) {
        let prices = &pair.costs.prices;
        let needs = pair.costs.needs[pair.target];
        let cost = totals(
            &prices.breakdown(needs, &pair.payer, p.hw, p.alg, t),
            prices.deploy_in_budget(),
        )
        .2;
        let budget = match pair.budget {
            PairBudget::Own => p.budget,
            PairBudget::Frontier { ln_fraction } => {
                let mut b = prices.breakdown(needs, &pair.frontier, p.hw_f, p.alg_f, t);
                b[0] = pair.frontier.ln_overhead + p.spend;
                ln_fraction + totals(&b, prices.deploy_in_budget()).2
            }
        };
        (cost, budget + pair.ln_budget_scale)
    }

    fn random_costs(rng: &mut StdRng) -> Costs {
        let u = |rng: &mut StdRng, a: f64, b: f64| rng.random_range(a..b);
        let data = (rng.random_range(0.0..1.0) < 0.8).then(|| DataPrice {
            ln_price: u(rng, -18.0, -11.0),
            rate: u(rng, -0.2, 0.2),
            stock: (rng.random_range(0.0..1.0) < 0.6).then(|| Stock {
                ln_tokens: u(rng, 28.0, 36.0),
                rate: u(rng, 0.0, 0.1),
                ln_beyond_price: u(rng, -17.0, -10.0),
            }),
        });
        let staff = (rng.random_range(0.0..1.0) < 0.8).then(|| Wage {
            ln_wage: u(rng, 12.0, 14.5),
            rate: u(rng, -0.5, 0.3),
        });
        let deployment = (rng.random_range(0.0..1.0) < 0.6).then(|| Deployment {
            ln_utilisation: u(rng, -1.5, 0.0),
            in_budget: rng.random_range(0.0..1.0) < 0.7,
        });
        Costs {
            prices: Prices {
                start: 2025.0,
                ln_tokens_per_parameter: u(rng, 2.5, 3.7),
                data,
                staff,
                deployment,
            },
            needs: vec![Needs {
                ln_person_years: u(rng, 0.0, 8.0),
                ln_tokens_served: u(rng, 25.0, 35.0),
            }],
        }
    }

    /// The solver against a fine scan of the formulas, over random piecewise-linear paths,
    /// budgets of both kinds, data beyond a stock, rising and falling wages and deployment.
    #[test]
    fn first_fit_agrees_with_a_scan_of_the_formulas() {
        let mut rng = StdRng::seed_from_u64(11);
        let (mut checked, mut found) = (0, 0);
        for _ in 0..400 {
            let costs = random_costs(&mut rng);
            let n = rng.random_range(2..6);
            let mut times: Vec<f64> = (0..n).map(|_| rng.random_range(2025.0..2060.0)).collect();
            times.extend([2025.0, 2060.0]);
            times.sort_by(f64::total_cmp);
            times.dedup();
            if rng.random_range(0.0..1.0) < 0.4 {
                // One long piece, where a dip must be found inside it.
                times = vec![2025.0, 2060.0];
            }
            // Paths: start values and a random slope per segment.
            let mut prims = vec![Prims {
                hw: rng.random_range(39.0..42.0),
                alg: 0.0,
                hw_f: 0.0,
                alg_f: 0.0,
                spend: rng.random_range(19.0..21.0),
                budget: rng.random_range(10.0..22.0),
            }];
            prims[0].hw_f = prims[0].hw + rng.random_range(0.0..1.0);
            for w in times.windows(2) {
                let d = w[1] - w[0];
                let p = *prims.last().unwrap();
                let mut slope = |lo: f64, hi: f64| rng.random_range(lo..hi) * d;
                prims.push(Prims {
                    hw: p.hw + slope(0.0, 0.4),
                    alg: p.alg + slope(-0.1, 1.2),
                    hw_f: p.hw_f + slope(0.0, 0.4),
                    alg_f: p.alg_f + slope(0.0, 1.2),
                    spend: p.spend + slope(-0.2, 0.9),
                    budget: p.budget + slope(-0.3, 0.8),
                });
            }
            let frontier_budget = rng.random_range(0.0..1.0) < 0.4;
            let pair = Pair {
                costs: &costs,
                target: 0,
                payer: Payer {
                    ln_e: rng.random_range(55.0..63.0),
                    ln_overhead: rng.random_range(0.0..1.5),
                    ln_price: rng.random_range(0.0..1.0),
                    ln_compute: rng.random_range(0.0..0.8),
                    ln_wage: rng.random_range(-2.0..0.5),
                },
                frontier: Payer {
                    ln_e: 0.0,
                    ln_overhead: 0.0,
                    ln_price: 0.0,
                    ln_compute: 0.0,
                    ln_wage: 0.0,
                },
                budget: if frontier_budget {
                    PairBudget::Frontier {
                        ln_fraction: rng.random_range(-4.0..0.0),
                    }
                } else {
                    PairBudget::Own
                },
                ln_budget_scale: rng.random_range(-1.0..1.0),
            };
            let pair = Pair {
                frontier: Payer {
                    ln_e: pair.payer.ln_e,
                    ln_overhead: pair.payer.ln_overhead,
                    ..pair.frontier
                },
                ..pair
            };
            let first = rng.random_range(0..times.len());
            if !frontier_budget && rng.random_range(0.0..1.0) < 0.5 {
                // Move the budget so that the gap's smallest value is just below zero: the
                // cost dips under the budget, often between two points where it is above.
                let gap_at = |t: f64, prims: &[Prims]| {
                    let i = times.partition_point(|&x| x <= t).clamp(1, times.len() - 1);
                    let w = (t - times[i - 1]) / (times[i] - times[i - 1]);
                    let (c, b) = direct(&pair, t, &Prims::lerp(&prims[i - 1], &prims[i], w));
                    c - b
                };
                let t0 = times[first];
                let lowest = (0..=2000)
                    .map(|k| gap_at(t0 + k as f64 * (2060.0 - t0) / 2000.0, &prims))
                    .fold(f64::INFINITY, f64::min);
                let shift = lowest + rng.random_range(1e-4..0.05);
                for p in &mut prims {
                    p.budget += shift;
                }
            }
            let tau = pair.first_fit(&times, first, |i| prims[i]);
            // The scan: the gap at 2e5 points from times[first].
            let at = |t: f64| {
                let i = times.partition_point(|&x| x <= t).clamp(1, times.len() - 1);
                let w = (t - times[i - 1]) / (times[i] - times[i - 1]);
                let p = Prims::lerp(&prims[i - 1], &prims[i], w);
                let (c, b) = direct(&pair, t, &p);
                c - b
            };
            let t0 = times[first];
            let steps = 200_000;
            let h = (2060.0 - t0) / steps as f64;
            let scan = if at(t0) <= FIT_TOLERANCE {
                Some(t0)
            } else {
                (1..=steps)
                    .map(|k| t0 + k as f64 * h)
                    .find(|&t| at(t) <= 0.0)
            };
            // A near-touch that the scan's step cannot resolve is ambiguous: skip it.
            let min_gap = (0..=steps)
                .map(|k| at(t0 + k as f64 * h).abs())
                .fold(f64::INFINITY, f64::min);
            if min_gap < 1e-6 && scan.is_none() {
                continue;
            }
            checked += 1;
            match scan {
                None => assert!(tau.is_infinite(), "found {tau}, the scan none"),
                Some(s) => {
                    found += 1;
                    assert!(
                        tau <= s + 1e-9 && tau >= s - h - 1e-9,
                        "solver {tau}, scan {s} (step {h})"
                    );
                    assert!(
                        at(tau) <= 1e-8,
                        "the cost does not fit at {tau}: {}",
                        at(tau)
                    );
                }
            }
        }
        eprintln!("checked {checked}, found {found}");
        assert!(
            checked > 300 && found > 100,
            "checked {checked}, found {found}"
        );
    }
}
