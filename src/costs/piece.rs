//! A piece of a grid segment on which cost minus budget is one signed sum of exponentials of
//! time: its first root, found exactly where Laguerre's rule of signs allows, else by bisection
//! with bounds.

use super::FIT_TOLERANCE;
use super::ROOT_WIDTH;
use super::pair::{Pair, Prims, Regime};
use super::terms::{Terms, gap, log_sum};

/// Most sub-intervals one bisection search may visit before it settles for the tolerance.
const MAX_NODES: usize = 4096;

/// A piece of a grid segment with one regime: cost minus budget is a fixed signed sum of
/// exponentials of time on it.
pub(super) struct Piece<'p, 'a> {
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
    pub(super) fn new(
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
    pub(super) fn first_fit(&self) -> Option<f64> {
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

impl Pair<'_> {
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
