//! Four samples realised together, straight into the numbers the four-sample solver reads
//! ([`QuadModel`]), without a [`crate::model::SampleModel`] each.

use super::{BudgetPlan, PathPlan, Realiser, TargetPlan};
use crate::model::{MAX_CAPS, MAX_REGIMES, PathQuad, QUAD, QuadModel};
use crate::scenario::Draws;

impl PathPlan {
    /// True when every sample's path has a shape a [`PathQuad`] holds: its last regime runs
    /// to +∞, and it has at most [`MAX_REGIMES`] regimes and [`MAX_CAPS`] caps.
    fn fits_quad(&self) -> bool {
        self.regimes
            .last()
            .is_some_and(|&(until, _)| until == f64::INFINITY)
            && self.regimes.len() <= MAX_REGIMES
            && self.caps.len() <= MAX_CAPS
    }

    /// The four samples' paths from `start`, as [`PathPlan::fill`] makes each.
    fn fill_quad(&self, start: f64, draws: [&Draws; QUAD], q: &mut PathQuad) {
        (q.regimes, q.caps) = (self.regimes.len(), self.caps.len());
        (q.start, q.x0) = ([start; QUAD], self.x0.eval_quad(draws));
        for (r, &(until, rate)) in self.regimes.iter().enumerate() {
            (q.until[r], q.rate[r]) = ([until; QUAD], rate.eval_quad(draws));
        }
        for (c, &(at_start, slope)) in self.caps.iter().enumerate() {
            (q.at[c], q.slope[c]) = (at_start.eval_quad(draws), slope.eval_quad(draws));
        }
    }
}

/// The flat path a scenario without investment realises ([`Realiser::realise`]).
fn flat(start: f64, q: &mut PathQuad) {
    (q.regimes, q.caps) = (1, 0);
    (q.start, q.x0) = ([start; QUAD], [0.0; QUAD]);
    (q.until[0], q.rate[0]) = ([f64::INFINITY; QUAD], [0.0; QUAD]);
}

/// Lane by lane, `a + b`.
#[inline(always)]
fn add(mut a: [f64; QUAD], b: [f64; QUAD]) -> [f64; QUAD] {
    for (a, b) in a.iter_mut().zip(b) {
        *a += b;
    }
    a
}

impl Realiser<'_> {
    /// True when every sample of the scenario has the shape the four-sample solver takes
    /// ([`crate::model::QuadSolver`]): no costs beyond compute, every class on the frontier's
    /// own progress (no lag, and no algorithms of its own after a publication closure), every
    /// budget the frontier's or a straight line, paths whose last regime runs to +∞. Decided
    /// from the scenario alone.
    pub(in crate::scenario) fn quad_shaped(&self) -> bool {
        let scn = self.scn;
        let paths = self.hardware.fits_quad()
            && self.algorithms.fits_quad()
            && self.investment.as_ref().is_none_or(PathPlan::fits_quad);
        let budgets = (self.budgets.iter()).all(|b| !matches!(b, BudgetPlan::Own(_)));
        let progress = self.own_access.iter().all(|&k| {
            let ac = &scn.actors[k].access;
            ac.hardware_lag.is_none()
                && ac.algorithm_lag.is_none()
                && (ac.own_halving_time.is_none() || scn.closed_from.is_none())
        });
        scn.components.is_none() && paths && budgets && progress
    }

    /// Fills `q` with the numbers of four samples, one per `draws`, as
    /// [`crate::model::QuadSolver`] would read them from each sample's model
    /// ([`Realiser::realise`]) and each target's `ln m + ln E`, to the bit. False, touching
    /// nothing, when the scenario's samples are not of the shape that solver takes.
    pub fn realise_quad(&self, draws: [&Draws; QUAD], q: &mut QuadModel) -> bool {
        if !self.quad {
            return false;
        }
        let scn = self.scn;
        let start = scn.start_year;
        (q.start, q.end) = (start, scn.end_year);
        self.hardware.fill_quad(start, draws, &mut q.hardware);
        self.algorithms.fill_quad(start, draws, &mut q.algorithms);
        match &self.investment {
            Some(p) => p.fill_quad(start, draws, &mut q.investment),
            None => flat(start, &mut q.investment),
        }
        q.ln_overhead = self.overhead.eval_quad(draws);
        q.classes.resize(self.budgets.len(), Default::default());
        for (plan, class) in self.budgets.iter().zip(&mut q.classes) {
            class.multiplier = [0.0; QUAD];
            match plan {
                BudgetPlan::Frontier { ln_fraction } => {
                    class.frontier = true;
                    class.fraction = ln_fraction.eval_quad(draws);
                    class.scale = add(q.ln_overhead, class.fraction);
                }
                BudgetPlan::Line { x0, rate } => {
                    class.frontier = false;
                    class.start = [start; QUAD];
                    class.x0 = x0.eval_quad(draws);
                    class.rate = rate.eval_quad(draws);
                }
                BudgetPlan::Own(_) => unreachable!("a scenario of lines and frontier budgets"),
            }
        }
        for &k in &self.own_access {
            let ac = &scn.actors[k].access;
            q.classes[k].multiplier = draws.map(|d| {
                let ln = |q: Option<super::Quantity>| q.map_or(0.0, |q| q.ln(d));
                ln(ac.price_multiplier) + ln(ac.compute_multiplier)
            });
        }
        q.froms.clear();
        q.frontier_years.clear();
        q.bases.clear();
        for t in &self.targets {
            // `ln m + ln E`, `ln E` as `SampleModel::ln_effective_flop` works it out.
            let (from, ln_e) = match *t {
                TargetPlan::Fixed { ln_flop, flop_year } => {
                    let ln_flop = ln_flop.eval_quad(draws);
                    let ln_e = match flop_year {
                        // F FLOP at the algorithms of year y need F · A(y) FLOP at start-year
                        // algorithms.
                        Some(y) => add(ln_flop, q.algorithms.values(y)),
                        None => ln_flop,
                    };
                    (start, ln_e)
                }
                TargetPlan::FrontierOf { year } => {
                    q.frontier_years.push(year);
                    let s_p = add(q.investment.values(year), q.hardware.values(year));
                    (year, add(s_p, q.algorithms.values(year)))
                }
                TargetPlan::CostAt { ln_cost, year } => {
                    let c_p = add(ln_cost.eval_quad(draws), q.hardware.values(year));
                    let c_p_a = add(c_p, q.algorithms.values(year));
                    let mut ln_e = c_p_a;
                    for (e, m) in ln_e.iter_mut().zip(q.ln_overhead) {
                        *e -= m;
                    }
                    (start, ln_e)
                }
            };
            let base = add(q.ln_overhead, ln_e);
            q.froms.push(from);
            q.bases.push(base);
        }
        true
    }
}
