//! One target for one class in the component model, and the first time its cost fits its
//! budget along piecewise-linear paths of log-quantities.

use super::terms::Terms;
use super::{Costs, Payer};

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
    pub(super) fn lerp(a: &Prims, b: &Prims, w: f64) -> Prims {
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

/// The regime of a piece: whether the class's and the frontier's tokens exceed the stock.
pub(super) type Regime = (bool, bool);

impl Pair<'_> {
    /// The signed terms of cost minus budget at `t`.
    pub(super) fn terms(&self, t: f64, p: &Prims, regime: Regime) -> Terms {
        let mut out = Terms::new();
        self.terms_into(&mut out, t, p, regime);
        out
    }

    /// [`Self::terms`] written into `out`, which must be empty (a piece sets its terms in
    /// place rather than copying them in).
    #[inline(always)]
    pub(super) fn terms_into(&self, out: &mut Terms, t: f64, p: &Prims, regime: Regime) {
        debug_assert_eq!(out.n, [0; 2], "terms are written into empty terms");
        let c = &self.costs.prices;
        let needs = self.costs.needs[self.target];
        c.push_terms(
            out,
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
                    out,
                    needs,
                    f,
                    (p.hw_f, p.alg_f, t),
                    regime.1,
                    (false, ln_fraction + self.ln_budget_scale),
                    Some(f.ln_overhead + p.spend),
                );
            }
        }
    }

    /// Where in `(a, b)` the regime may change: the class's or the frontier's tokens reach the
    /// stock (`ln D − ln S` is linear between grid points).
    pub(super) fn regime_changes(
        &self,
        (a, pa): (f64, &Prims),
        (b, pb): (f64, &Prims),
    ) -> [f64; 2] {
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
    pub(super) fn regime(&self, t: f64, p: &Prims) -> Regime {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::bounds::PairBounds;
    use crate::costs::piece::Piece;
    use crate::costs::{DataPrice, Deployment, GridBounds, Needs, Prices, Stock, Wage, totals};
    use crate::costs::{FIT_TOLERANCE, ROOT_WIDTH};
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

    /// The primitives `years` after `p`, each moved at a random slope of its usual sign.
    fn random_step(rng: &mut StdRng, p: &Prims, years: f64) -> Prims {
        let mut slope = |lo: f64, hi: f64| rng.random_range(lo..hi) * years;
        Prims {
            hw: p.hw + slope(0.0, 0.4),
            alg: p.alg + slope(-0.1, 1.2),
            hw_f: p.hw_f + slope(0.0, 0.4),
            alg_f: p.alg_f + slope(0.0, 1.2),
            spend: p.spend + slope(-0.2, 0.9),
            budget: p.budget + slope(-0.3, 0.8),
        }
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

    /// The log-quantities at a grid point, each drawn from a range of plausible values.
    fn random_prims(rng: &mut StdRng) -> Prims {
        Prims {
            hw: rng.random_range(39.0..42.0),
            alg: rng.random_range(-1.0..3.0),
            hw_f: rng.random_range(39.0..43.0),
            alg_f: rng.random_range(0.0..3.0),
            spend: rng.random_range(19.0..21.0),
            budget: rng.random_range(10.0..22.0),
        }
    }

    /// A pair paying for target 0 of `costs`, with a budget of either kind `e^c` times its
    /// class's, `c` within `±scale`.
    fn random_pair<'a>(rng: &mut StdRng, costs: &'a Costs, scale: f64) -> Pair<'a> {
        let budget = if rng.random_range(0.0..1.0) < 0.5 {
            PairBudget::Frontier {
                ln_fraction: rng.random_range(-4.0..0.0),
            }
        } else {
            PairBudget::Own
        };
        let payer = Payer {
            ln_e: rng.random_range(55.0..63.0),
            ln_overhead: rng.random_range(0.0..1.5),
            ln_price: rng.random_range(0.0..1.0),
            ln_compute: rng.random_range(0.0..0.8),
            ln_wage: rng.random_range(-2.0..0.5),
        };
        Pair {
            costs,
            target: 0,
            payer,
            frontier: Payer {
                ln_price: 0.0,
                ln_compute: 0.0,
                ln_wage: 0.0,
                ..payer
            },
            budget,
            ln_budget_scale: rng.random_range(-scale..scale),
        }
    }

    /// The solver against a fine scan of the formulas, over random piecewise-linear paths,
    /// budgets of both kinds, data beyond a stock, rising and falling wages and deployment.
    #[test]
    fn first_fit_agrees_with_a_scan_of_the_formulas() {
        let mut rng = StdRng::seed_from_u64(11);
        let (mut checked, mut found, mut closed) = (0, 0, 0);
        let mut worst = 0.0;
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
                let p = *prims.last().unwrap();
                prims.push(random_step(&mut rng, &p, w[1] - w[0]));
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
            let mut bounds = GridBounds::default();
            bounds.fill(&costs.prices, pair.budget, &times, |i| prims[i]);
            let tau = pair.first_fit(&times, first, |i| prims[i], &bounds);
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
                    if s > t0 {
                        // The root, closed by bisection of the formulas to the last bits of a
                        // year: the solver's time is within ROOT_WIDTH after it (or a touch
                        // before it).
                        let (mut lo, mut hi) = (s - h, s);
                        for _ in 0..60 {
                            let m = 0.5 * (lo + hi);
                            if at(m) > 0.0 { lo = m } else { hi = m }
                        }
                        // The solver sums signed terms (`b·D + p·S − b·S` beyond the stock)
                        // where the formulas take `log(1 − S/D)`: their gaps differ by up to
                        // about 1e-9, which moves a root by that over the gap's slope (large
                        // where the crossing is shallow).
                        let slope = (at(lo - 1e-4) - at(hi + 1e-4)) / 2e-4;
                        let agree = ROOT_WIDTH + 1e-8 + 2e-9 / slope.abs().max(1e-6);
                        assert!(
                            tau <= hi + agree,
                            "solver {tau} after the formulas' root {hi} (slope {slope:e})"
                        );
                        assert!(
                            tau >= lo - agree || at(tau) <= FIT_TOLERANCE,
                            "solver {tau} before the root {lo}, where the cost does not fit"
                        );
                        worst = f64::max(worst, (tau - hi).abs());
                        closed += 1;
                    }
                }
            }
        }
        eprintln!("checked {checked}, found {found}, closed {closed}, worst {worst:e} y");
        assert!(
            checked > 300 && found > 100 && closed > 50,
            "checked {checked}, found {found}"
        );
    }

    /// Where `piece`'s gap falls to `level` between `lo` (above it) and `hi` (at or below):
    /// bisection of the solver's own arithmetic to the last bit, as `(last above, first at or
    /// below)`.
    fn bisect(piece: &Piece, (mut lo, mut hi): (f64, f64), level: f64) -> (f64, f64) {
        for _ in 0..200 {
            let m = 0.5 * (lo + hi);
            if m <= lo || m >= hi {
                break;
            }
            if piece.gap_at(m) > level {
                lo = m
            } else {
                hi = m
            }
        }
        (lo, hi)
    }

    /// For a piece whose cost does not fit at `a` and fits at `b`: the solver's time and the
    /// exact root's bracket `(lo, hi)` by [`bisect`]; `None` for any other piece.
    fn crossing(piece: &Piece, a: f64, b: f64) -> Option<(f64, f64, f64)> {
        if !(piece.gap_at(a) > FIT_TOLERANCE && piece.gap_at(b) <= 0.0) {
            return None;
        }
        let tau = piece.first_fit().expect("a crossing inside the piece");
        let (lo, hi) = bisect(piece, (a, b), 0.0);
        Some((tau, lo, hi))
    }

    /// For a piece with a crossing (see [`crossing`]): asserts that the solver's time lies
    /// within ROOT_WIDTH after the exact root, and returns true; false for any other piece.
    fn closed_to_the_width(piece: &Piece, a: f64, b: f64) -> bool {
        let Some((tau, lo, hi)) = crossing(piece, a, b) else {
            return false;
        };
        assert!(tau >= lo && tau <= hi + ROOT_WIDTH, "{tau} vs [{lo}, {hi}]");
        true
    }

    /// Where the gap is convex (a budget of the class's own, no data beyond a stock), the root
    /// of a piece is closed to within ROOT_WIDTH after the exact root, at a time where the cost
    /// fits by the solver's own arithmetic: steep and shallow crossings, roots near either end.
    #[test]
    fn convex_roots_are_closed_to_the_width() {
        let mut rng = StdRng::seed_from_u64(23);
        let (mut closed, mut shallow) = (0, 0);
        for _ in 0..4000 {
            let mut costs = random_costs(&mut rng);
            if let Some(d) = costs.prices.data.as_mut() {
                d.stock = None;
            }
            let a = rng.random_range(2025.0..2055.0);
            let b = a + rng.random_range(0.05..5.0);
            let pa = random_prims(&mut rng);
            let mut pb = random_step(&mut rng, &pa, b - a);
            let pair = Pair {
                budget: PairBudget::Own,
                ..random_pair(&mut rng, &costs, 1.0)
            };
            let mut piece = Piece::empty();
            piece.set(&pair, (a, &pa), (b, &pb), a, b);
            // Move the budget at `b` so that the gap there is just below zero, by a margin from
            // 1e-12 (a crossing that barely happens) to 3.
            let margin = 10f64.powf(rng.random_range(-12.0..0.5));
            pb.budget += piece.gap_at(b) + margin;
            piece.set(&pair, (a, &pa), (b, &pb), a, b);
            // The exact root by bisection of the same arithmetic, to the last bit.
            let Some((tau, lo, hi)) = crossing(&piece, a, b) else {
                continue;
            };
            assert!(
                piece.gap_at(tau) <= FIT_TOLERANCE,
                "the cost does not fit at {tau}: gap {}",
                piece.gap_at(tau)
            );
            assert!(
                tau >= lo && tau <= hi + ROOT_WIDTH,
                "{tau} not within the width after the root in [{lo}, {hi}]"
            );
            closed += 1;
            if margin < 1e-6 {
                shallow += 1;
            }
        }
        assert!(
            closed > 3000 && shallow > 1000,
            "closed {closed}, shallow {shallow}"
        );
    }

    /// On any piece (data beyond a stock, frontier budgets: sums whose roots the rule of signs
    /// does not bound, which the solver bisects, then closes by Newton's method once the gap
    /// provably falls across the sub-interval), the time found is where the cost first fits by
    /// the solver's own arithmetic: no earlier than the first time the gap is within the
    /// tolerance, within ROOT_WIDTH after the first time it is at most zero.
    #[test]
    fn every_piece_finds_its_first_fit() {
        let mut rng = StdRng::seed_from_u64(29);
        let (mut found, mut several_budget_terms, mut none) = (0, 0, 0);
        for _ in 0..3000 {
            let costs = random_costs(&mut rng);
            let a = rng.random_range(2025.0..2055.0);
            let b = a + rng.random_range(0.05..5.0);
            let pa = random_prims(&mut rng);
            let mut pb = random_step(&mut rng, &pa, b - a);
            let pair = random_pair(&mut rng, &costs, 1.0);
            let mut piece = Piece::empty();
            piece.set(&pair, (a, &pa), (b, &pb), a, b);
            // A budget at `b` that makes the gap there just below zero, or a little above (a
            // dip inside the piece, or none).
            let margin =
                10f64.powf(rng.random_range(-10.0..0.5)) * [1.0, -0.3][rng.random_range(0..2)];
            pb.budget += piece.gap_at(b) + margin;
            pb.spend += piece.gap_at(b) + margin;
            piece.set(&pair, (a, &pa), (b, &pb), a, b);
            if piece.gap_at(a) <= FIT_TOLERANCE {
                continue;
            }
            // The first times the gap is within the tolerance and at most zero: a scan, then
            // bisection of the same arithmetic to the last bit.
            let first_below = |level: f64| {
                let steps = 20_000;
                let h = (b - a) / steps as f64;
                let k = (1..=steps).find(|&k| piece.gap_at(a + k as f64 * h) <= level)?;
                let (_, hi) = bisect(&piece, (a + (k - 1) as f64 * h, a + k as f64 * h), level);
                Some(hi)
            };
            let (within, at_zero) = (first_below(FIT_TOLERANCE), first_below(0.0));
            match (piece.first_fit(), within) {
                (None, None) => none += 1,
                (Some(tau), Some(within)) => {
                    assert!(
                        piece.gap_at(tau) <= FIT_TOLERANCE,
                        "the cost does not fit at {tau}: gap {}",
                        piece.gap_at(tau)
                    );
                    assert!(
                        tau >= within - ROOT_WIDTH,
                        "{tau} before the first fit {within}"
                    );
                    if let Some(zero) = at_zero {
                        assert!(tau <= zero + ROOT_WIDTH, "{tau} after the root {zero}");
                    }
                    found += 1;
                    if piece.budget_terms() > 1 {
                        several_budget_terms += 1;
                    }
                }
                (tau, within) => {
                    // A touch thinner than the scan's step may be missed by the scan alone.
                    let tau = tau.expect("the scan found a fit the solver did not");
                    assert!(within.is_none() && piece.gap_at(tau) <= FIT_TOLERANCE);
                }
            }
        }
        assert!(
            found > 800 && several_budget_terms > 300 && none > 800,
            "found {found} ({several_budget_terms} with several budget terms), none {none}"
        );
    }

    /// Convex roots where the curvature bound is tight: two cost terms of equal weight at the
    /// crossing (their slopes' weighted variance is then a quarter of their range squared), so
    /// a bound any smaller would let the early exit return a time before the root.
    #[test]
    fn convex_roots_with_a_tight_curvature_bound_fit() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut n = 0;
        for _ in 0..40_000 {
            let (s, r) = (rng.random_range(0.2..3.0), rng.random_range(-0.5..0.5));
            let (c, x0) = (rng.random_range(15.0..30.0), rng.random_range(-0.05..0.05));
            let (a, b) = (
                2040.0 - rng.random_range(0.01..1.0),
                2040.0 + rng.random_range(0.01..1.0),
            );
            // Cost e^{c + s·x} + e^{c − s·x}, x = t − 2040: equal terms at x = 0. The budget
            // is a line through the cost at x0.
            let lse = |x: f64| c + (f64::exp(s * x) + f64::exp(-s * x)).ln();
            let budget = |x: f64| lse(x0) + r * (x - x0);
            let (xa, xb) = (a - 2040.0, b - 2040.0);
            let piece = Piece::from_logs(
                a,
                b,
                &[(c + s * xa, c + s * xb), (c - s * xa, c - s * xb)],
                &[(budget(xa), budget(xb))],
            );
            n += usize::from(closed_to_the_width(&piece, a, b));
        }
        assert!(n > 6_000, "{n} crossings");
    }

    /// A concave gap (one cost term, a budget of two growing terms), which the curvature
    /// bounds of convex gaps do not cover: its root is closed to the width, to the last bit of
    /// bisection of the same arithmetic. (Newton's steps reach it from after it, where no early
    /// exit is tried.)
    #[test]
    fn concave_roots_are_closed_to_the_width() {
        let mut rng = StdRng::seed_from_u64(31);
        let mut n = 0;
        for _ in 0..3_000 {
            let (a, b) = (2030.0, 2030.0 + rng.random_range(0.5..5.0));
            let (r1, r2) = (rng.random_range(0.05..0.5), rng.random_range(0.6..2.0));
            let (c1, c2) = (rng.random_range(-3.0..0.0), rng.random_range(-3.0..0.0));
            let cost = rng.random_range(0.0..3.0);
            let line = |c: f64, r: f64| (c, c + r * (b - a));
            let piece = Piece::from_logs(a, b, &[(cost, cost)], &[line(c1, r1), line(c2, r2)]);
            n += usize::from(closed_to_the_width(&piece, a, b));
        }
        assert!(n > 1_000, "{n} crossings");
    }

    /// A piece whose gap crosses zero three times, `(e^t − u₁)(e^t − u₂)(e^t − u₃)` split by
    /// sign into a budget and a cost: the first crossing is found, though the gap is below
    /// zero at the piece's end and Newton's method from there would find the last.
    #[test]
    fn the_first_of_three_crossings_is_found() {
        for (t1, t2, t3) in [(0.4, 1.1, 1.7), (0.05, 0.3, 1.9), (1.2, 1.5, 1.95)] {
            let [u1, u2, u3] = [f64::exp(t1), f64::exp(t2), f64::exp(t3)];
            let (s1, s2, s3) = (u1 + u2 + u3, u1 * u2 + u1 * u3 + u2 * u3, u1 * u2 * u3);
            // −(u³ − s1·u² + s2·u − s3) > 0 before the first root: cost s1·u² + s3, budget
            // u³ + s2·u, each term's log linear in t.
            let line = |ln_c: f64, rate: f64| (ln_c, ln_c + 2.0 * rate);
            let piece = Piece::from_logs(
                0.0,
                2.0,
                &[line(s1.ln(), 2.0), line(s3.ln(), 0.0)],
                &[line(0.0, 3.0), line(s2.ln(), 1.0)],
            );
            assert!(piece.gap_at(0.0) > FIT_TOLERANCE && piece.gap_at(2.0) < 0.0);
            let tau = piece.first_fit().expect("a crossing");
            // Within the fit tolerance's reach (1e-9 in log over the gap's slope) of the root.
            assert!((tau - t1).abs() < 1e-7, "{tau}, the first crossing is {t1}");
            assert!(piece.gap_at(tau) <= FIT_TOLERANCE);
        }
    }

    /// The scan for the first segment a pair's bounds allow, which reads only the components
    /// a sample has, finds the segment that bounding each in turn over all four parts finds,
    /// for every mix of components and both kinds of budget.
    #[test]
    fn the_scan_finds_the_first_segment_the_bounds_allow() {
        let mut rng = StdRng::seed_from_u64(17);
        let (mut found, mut none, mut kinds) = (0, 0, std::collections::HashSet::new());
        for _ in 0..3000 {
            let costs = random_costs(&mut rng);
            let n = rng.random_range(2..30);
            let times: Vec<f64> = (0..n).map(|i| 2025.0 + i as f64).collect();
            let mut prims = vec![random_prims(&mut rng)];
            for _ in 1..n {
                let p = random_step(&mut rng, prims.last().unwrap(), 1.0);
                prims.push(p);
            }
            let pair = random_pair(&mut rng, &costs, 8.0);
            let mut grid = GridBounds::default();
            grid.fill(&costs.prices, pair.budget, &times, |i| prims[i]);
            let bounds = PairBounds::new(&pair, &grid);
            kinds.insert((costs.prices.components(), pair.budget == PairBudget::Own));
            for from in 1..=n {
                let expected = (from..n).find(|&i| bounds.lower(&grid, i - 1, i) <= FIT_TOLERANCE);
                assert_eq!(bounds.first_candidate(&grid, from), expected);
                if expected.is_some() {
                    found += 1;
                } else {
                    none += 1;
                }
            }
        }
        // Every count of components (1 to 4) with each kind of budget, and both outcomes.
        assert_eq!(kinds.len(), 8, "{kinds:?}");
        assert!(found > 5000 && none > 5000, "found {found}, none {none}");
    }

    /// The bounds that let the solver skip a segment never claim more than the formulas give:
    /// their lower bound on the gap is at most the smallest gap of a fine scan of the segment,
    /// for both kinds of budget, data beyond a stock, falling and rising prices.
    #[test]
    fn segment_bounds_never_exceed_the_gap() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut tight = 0;
        for _ in 0..2000 {
            let costs = random_costs(&mut rng);
            let a = rng.random_range(2025.0..2055.0);
            // Grid segments are a few years long.
            let b = a + rng.random_range(0.2..5.0);
            let mut end = |p: Option<&Prims>| {
                // Drawn either way, as before (`unwrap_or` evaluates its argument).
                let base = p.copied().unwrap_or(random_prims(&mut rng));
                random_step(&mut rng, &base, b - a)
            };
            let pa = end(None);
            let pb = end(Some(&pa));
            let pair = random_pair(&mut rng, &costs, 1.0);
            let mut grid = GridBounds::default();
            grid.fill(&costs.prices, pair.budget, &[a, b], |i| [pa, pb][i]);
            let bound = PairBounds::new(&pair, &grid).lower(&grid, 0, 1);
            let smallest = (0..=400)
                .map(|k| {
                    let w = k as f64 / 400.0;
                    let (c, b) = direct(&pair, a + w * (b - a), &Prims::lerp(&pa, &pb, w));
                    c - b
                })
                .fold(f64::INFINITY, f64::min);
            assert!(
                bound <= smallest + 1e-9,
                "bound {bound} above the smallest gap {smallest}"
            );
            if bound > smallest - 2.0 {
                tight += 1;
            }
        }
        // Bounds far below the gap would be valid and useless. The slack is the sum's spread
        // over its largest term (at most ln 4 with four budget terms): 90% are within 2 in log.
        assert!(
            tight > 1800,
            "only {tight} of 2000 bounds within 2 of the gap"
        );
    }
}
