//! A piece of a grid segment on which cost minus budget is one signed sum of exponentials of
//! time: its first root, found exactly where Laguerre's rule of signs allows, else by bisection
//! with bounds until the gap provably falls across a sub-interval.

use super::FIT_TOLERANCE;
use super::GridBounds;
use super::ROOT_WIDTH;
use super::bounds::PairBounds;
use super::pair::{Pair, Prims};
use super::terms::{SIDE, Terms, gap, log_sum, weighted_log_sum};
use crate::vecmath::{max, min};

/// Most sub-intervals one bisection search may visit before it settles for the tolerance.
const MAX_NODES: usize = 4096;

/// A piece of a grid segment with one regime: cost minus budget is a fixed signed sum of
/// exponentials of time on it, each term's log linear in time.
pub(super) struct Piece {
    /// The piece's ends and their terms.
    a: f64,
    b: f64,
    ta: Terms,
    tb: Terms,
    /// Each term's log-slope per year, by sign as in [`Terms`].
    slope: [[f64; SIDE]; 2],
}

impl Piece {
    /// A piece to [`Self::set`]: a pair's pieces are built one after another in one place,
    /// without zeroing or moving several hundred bytes for each.
    pub(super) fn empty() -> Self {
        Self {
            a: 0.0,
            b: 0.0,
            ta: Terms::new(),
            tb: Terms::new(),
            slope: [[0.0; SIDE]; 2],
        }
    }

    /// Makes this the piece from `a` to `b` of the grid segment from `s0` to `s1`, whose
    /// log-quantities are `p0` and `p1` at its ends.
    #[inline(always)]
    pub(super) fn set(
        &mut self,
        pair: &Pair<'_>,
        (s0, p0): (f64, &Prims),
        (s1, p1): (f64, &Prims),
        a: f64,
        b: f64,
    ) {
        let at = |t: f64| Prims::lerp(p0, p1, (t - s0) / (s1 - s0));
        // Without a stock of data there is one regime.
        let regime = if pair.costs.prices.has_stock() {
            pair.regime(0.5 * (a + b), &at(0.5 * (a + b)))
        } else {
            (false, false)
        };
        (self.a, self.b) = (a, b);
        self.ta.n = [0; 2];
        self.tb.n = [0; 2];
        pair.terms_into(&mut self.ta, a, &at(a), regime);
        pair.terms_into(&mut self.tb, b, &at(b), regime);
        let (ta, tb) = (&self.ta, &self.tb);
        for (side, slope) in self.slope.iter_mut().enumerate() {
            let (x, y) = (&ta.ln[side], &tb.ln[side]);
            for i in 0..ta.n[side].min(SIDE) {
                slope[i] = (y[i] - x[i]) / (b - a);
            }
        }
    }

    /// The terms at `t` in the piece: each log is linear in time on it.
    fn terms_at(&self, t: f64) -> Terms {
        let mut out = self.ta;
        let dt = t - self.a;
        for (ln, slope) in out.ln.iter_mut().zip(&self.slope) {
            for (l, s) in ln.iter_mut().zip(slope) {
                *l += s * dt;
            }
        }
        out
    }

    /// The gap `ln(cost) − ln(budget)` at `t` and its derivative in time.
    fn gap_and_slope(&self, t: f64) -> (f64, f64) {
        let dt = t - self.a;
        let (cost, dcost) = self.log_sum_at(0, dt);
        let (budget, dbudget) = self.log_sum_at(1, dt);
        (cost - budget, dcost - dbudget)
    }

    /// `ln Σ e^x` of one sign's terms `dt` years into the piece, and the sum's log-slope (the
    /// slopes weighted by the terms).
    #[inline(always)]
    fn log_sum_at(&self, side: usize, dt: f64) -> (f64, f64) {
        let (ln, slope) = (&self.ta.ln[side], &self.slope[side]);
        weighted_log_sum(self.ta.n[side], |i| (ln[i] + slope[i] * dt, slope[i]))
    }

    /// The piece from `a` to `b` whose cost and budget terms have the logs `(at a, at b)`.
    #[cfg(test)]
    pub(super) fn from_logs(a: f64, b: f64, cost: &[(f64, f64)], budget: &[(f64, f64)]) -> Self {
        let mut piece = Self::empty();
        (piece.a, piece.b) = (a, b);
        for (positive, terms) in [(true, cost), (false, budget)] {
            for &(at_a, at_b) in terms {
                piece.ta.push(positive, at_a);
                piece.tb.push(positive, at_b);
                let side = usize::from(!positive);
                piece.slope[side][piece.ta.n[side] - 1] = (at_b - at_a) / (b - a);
            }
        }
        piece
    }

    /// How many terms the budget's side of the piece has.
    #[cfg(test)]
    pub(super) fn budget_terms(&self) -> usize {
        self.ta.n[1]
    }

    /// The gap `ln(cost) − ln(budget)` at `t` in the piece, as the solver computes it.
    #[cfg(test)]
    pub(super) fn gap_at(&self, t: f64) -> f64 {
        self.gap_and_slope(t).0
    }

    /// The gap from `terms`, the piece's terms at some time in it (the same bits as [`gap`]),
    /// and its slope there.
    fn gap_and_slope_of(&self, terms: &Terms) -> (f64, f64) {
        let side = |k: usize| {
            let (ln, slope) = (&terms.ln[k], &self.slope[k]);
            weighted_log_sum(terms.n[k], |i| (ln[i], slope[i]))
        };
        let ((cost, dcost), (budget, dbudget)) = (side(0), side(1));
        (cost - budget, dcost - dbudget)
    }

    /// A bound on the second derivative of one side's log-sum (0: the cost's, 1: the
    /// budget's) on the piece: it is the variance of the side's terms' slopes under the terms'
    /// weights, at most a quarter of their range squared (zero for one term or none). The
    /// gap's second derivative is the cost side's minus the budget side's.
    fn variance_bound(&self, side: usize) -> f64 {
        let slopes = &self.slope[side][..self.ta.n[side].min(SIDE)];
        let (lo, hi) = slopes
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| {
                (min(lo, s), max(hi, s))
            });
        if slopes.len() < 2 {
            0.0
        } else {
            0.25 * (hi - lo) * (hi - lo)
        }
    }

    /// True when, without any exponential, the cost provably stays above the budget on the
    /// piece: with one budget term and every cost term positive, the cost is at least its
    /// largest term, whose smallest value is at an end.
    fn clearly_above(&self) -> bool {
        let (ta, tb) = (&self.ta, &self.tb);
        if ta.n[1] != 1 {
            return false;
        }
        let mut cost = f64::NEG_INFINITY;
        for i in 0..ta.n[0].min(SIDE) {
            cost = max(cost, min(ta.ln[0][i], tb.ln[0][i]));
        }
        let budget = max(ta.ln[1][0], tb.ln[1][0]);
        cost - budget > FIT_TOLERANCE
    }

    /// An upper bound on the gap's second derivative on the piece when the gap is convex (one
    /// budget term, every cost term positive: a log-sum of exponentials of linear functions
    /// minus a linear function), else `+∞`.
    fn curvature_bound(&self) -> f64 {
        if self.ta.n[1] == 1 {
            self.variance_bound(0)
        } else {
            f64::INFINITY
        }
    }

    /// Sign changes of the coefficients ordered by growth rate: an upper bound on the roots of
    /// the sum on the whole line (Laguerre). Equal rates are not merged, which can only add
    /// sign changes.
    fn sign_changes(&self) -> usize {
        let (ta, tb) = (&self.ta, &self.tb);
        // Terms ranked by rate, equal rates in the order they were pushed.
        let key = |side: usize, i: usize| (tb.ln[side][i] - ta.ln[side][i], ta.pushed[side][i]);
        let before = |x: (f64, u8), y: (f64, u8)| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
        let [n_cost, n_budget] = ta.n.map(|n| n.min(SIDE));
        if n_budget == 1 {
            // One budget term: one change if it ranks first or last, two if inside.
            let b = key(1, 0);
            let below = (0..n_cost)
                .filter(|&i| before(key(0, i), b).is_lt())
                .count();
            return usize::from(below > 0) + usize::from(below < n_cost);
        }
        let mut rates = [((0.0, 0), false); 2 * SIDE];
        let mut n = 0;
        for (side, count) in [n_cost, n_budget].into_iter().enumerate() {
            for i in 0..count {
                rates[n] = (key(side, i), side == 0);
                n += 1;
            }
        }
        let rates = &mut rates[..n];
        rates.sort_unstable_by(|x, y| before(x.0, y.0));
        rates.windows(2).filter(|w| w[0].1 != w[1].1).count()
    }

    /// The first time in `(a, b]` the cost fits, given that it does not at `a`.
    pub(super) fn first_fit(&self) -> Option<f64> {
        if self.clearly_above() {
            return None;
        }
        let (gb, dgb) = self.gap_and_slope_of(&self.tb);
        let changes = self.sign_changes();
        if gb <= 0.0 {
            if changes <= 2 {
                // Cost above the budget at `a`, below at `b`, at most two roots: exactly one.
                return Some(self.root(self.a, self.b, (gb, dgb), 0.0));
            }
        } else if changes <= 1 && gb > FIT_TOLERANCE {
            // Above at both ends with at most one root: none.
            return None;
        }
        let mut nodes = 0;
        self.search(self.a, &self.ta, self.b, &self.tb, &mut nodes)
    }

    /// Bisection with bounds: the first time in `(a, b]` the cost fits, given the terms at both
    /// ends and that it does not fit at `a`. A sub-interval across which the gap provably falls
    /// and at whose end the cost fits holds exactly one such time, which Newton's method finds
    /// in a few sums where bisection took some thirty halvings.
    fn search(&self, a: f64, ta: &Terms, b: f64, tb: &Terms, nodes: &mut usize) -> Option<f64> {
        *nodes += 1;
        // Every term is monotone on the piece: its smallest value (cost terms) or largest
        // (budget terms) over [a, b] is at an end.
        let lower = log_sum(ta.n[0], |i| min(ta.ln[0][i], tb.ln[0][i]))
            - log_sum(ta.n[1], |i| max(ta.ln[1][i], tb.ln[1][i]));
        if lower > FIT_TOLERANCE {
            return None;
        }
        let (gb, dgb) = self.gap_and_slope_of(tb);
        if b - a <= ROOT_WIDTH || *nodes >= MAX_NODES {
            // Within the tolerance of a touch, or a search too long to be worth finishing.
            return (gb <= FIT_TOLERANCE || *nodes >= MAX_NODES).then_some(b);
        }
        // The gap's second derivative is at least minus the budget side's bound, so its slope
        // anywhere in `[a, b]` is at most its slope at `b` plus that bound times the width.
        if gb <= FIT_TOLERANCE && dgb + self.variance_bound(1) * (b - a) < 0.0 {
            // The gap falls all the way from `a` to `b`: it meets the tolerance once, where
            // Newton's method closes in on it rather than bisection.
            return Some(self.root(a, b, (gb, dgb), FIT_TOLERANCE));
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

    /// Where in `(a, b)` the gap falls to `level` (0: the root; the fit tolerance for the
    /// search), given `g(a) > level ≥ gb`, the gap's slope `dgb` at `b` and that it meets the
    /// level once, to [`ROOT_WIDTH`]: Newton's method on the gap from the tangent
    /// at `b` (about as close a start as the secant's point, which needed one sum more, the gap
    /// at `a`: 3.6 steps a root on the baseline against 3.5), each step nudged a quarter width
    /// past the root so that the bracket closes around it (or Newton's steps agree on a point
    /// where the cost fits), and bisection whenever a step would leave the bracket or is not
    /// half the step two before it. (Newton often closes in from one side, so the bracket's
    /// other end is no measure of its progress.) Where the gap is convex, a step from a point
    /// where the cost does not fit ends the search once a bound on the curvature proves that
    /// the cost fits a quarter width past it: one sum less a root, 5% of the baseline's time.
    fn root(&self, mut a: f64, mut b: f64, (gb, dgb): (f64, f64), level: f64) -> f64 {
        let half_curvature = 0.5 * self.curvature_bound();
        let mut t = b - (gb - level) / dgb;
        let mut steps = [f64::INFINITY; 2];
        for _ in 0..200 {
            if !(t > a && t < b) {
                t = 0.5 * (a + b);
            }
            let (g, dg) = self.gap_and_slope(t);
            let g = g - level;
            if g <= 0.0 {
                b = t;
                if g == 0.0 {
                    break;
                }
            } else {
                a = t;
            }
            if b - a <= ROOT_WIDTH {
                break;
            }
            let step = -g / dg;
            if g > 0.0 && dg < 0.0 {
                // A convex gap lies above its tangent, so the root is no earlier than `t +
                // step`; by Taylor's theorem with the curvature bound, the gap a quarter width
                // further is at most `g'·δ + ½·M·(step + δ)²`, which, when at most half of
                // `g'·δ`, is below zero: the cost fits there, within a quarter width of the
                // root. (Proved in exact arithmetic: on a crossing so shallow that `g'·δ` is
                // below the gap's rounding, the computed gap there may be a few 1e-15 above
                // zero, far inside the fit tolerance.)
                let nudge = 0.25 * ROOT_WIDTH;
                let past = step + nudge;
                if half_curvature * past * past <= -0.5 * dg * nudge {
                    return (t + past).min(b);
                }
            }
            if g < 0.0 && step.abs() <= 0.5 * ROOT_WIDTH && steps[1] < 1e-6 {
                // The cost fits at `t`, a quarter width past where the last Newton step, itself
                // below a millionth of a year (so its error is of the order of its square), put
                // the root; this step agrees to half a width.
                break;
            }
            t = if step.abs() > 0.5 * steps[0] {
                steps = [f64::INFINITY; 2];
                0.5 * (a + b)
            } else {
                steps = [steps[1], step.abs()];
                let nudge = if g > 0.0 { 0.25 } else { -0.25 } * ROOT_WIDTH;
                t + step + nudge
            };
        }
        b
    }
}

impl Pair<'_> {
    /// The first time from `times[first]` on when the cost fits the budget (`+∞`: never by the
    /// last time), with `prims(i)` the pair's log-quantities at `times[i]`, linear in between,
    /// and `bounds` its class's [`GridBounds`] on the same times.
    pub fn first_fit(
        &self,
        times: &[f64],
        first: usize,
        prims: impl Fn(usize) -> Prims,
        bounds: &GridBounds,
    ) -> f64 {
        let Some(&t0) = times.get(first) else {
            return f64::INFINITY;
        };
        // Bounds without exponentials rule out most segments before any terms are built.
        let pair_bounds = PairBounds::new(self, bounds);
        if pair_bounds.lower(bounds, first, first) <= FIT_TOLERANCE {
            let p0 = prims(first);
            if gap(&self.terms(t0, &p0, self.regime(t0, &p0))) <= FIT_TOLERANCE {
                return t0;
            }
        }
        let mut next = first + 1;
        let mut piece = Piece::empty();
        while let Some(i) = pair_bounds.first_candidate(bounds, next) {
            next = i + 1;
            let (a, b) = (times[i - 1], times[i]);
            let (pa, pb) = (prims(i - 1), prims(i));
            if !self.costs.prices.has_stock() {
                // One regime: the segment is one piece.
                piece.set(self, (a, &pa), (b, &pb), a, b);
                match piece.first_fit() {
                    Some(t) => return t,
                    None => continue,
                }
            }
            let mut cuts = self.regime_changes((a, &pa), (b, &pb));
            cuts.sort_by(f64::total_cmp);
            let mut from = a;
            for to in cuts.into_iter().filter(|c| *c > a && *c < b).chain([b]) {
                if to > from {
                    piece.set(self, (a, &pa), (b, &pb), from, to);
                    if let Some(t) = piece.first_fit() {
                        return t;
                    }
                }
                from = to;
            }
        }
        f64::INFINITY
    }
}
