//! One draw of every input made into the model of one sample.

mod quad;

use super::{ActorBudget, Cap, Draws, Process, Quantity, Scenario, TargetKind};
use crate::costs::{Costs, DataPrice, Deployment, Needs, Stock, Wage};
use crate::model::{Access, Budget, Line, LogPath, Population, RateKind, Requirement, SampleModel};

/// A rate in natural-log units per year, from the quantity that writes it: a growth factor's
/// log is read straight from its draw.
#[inline]
fn log_rate(kind: RateKind, q: Quantity, draws: &Draws) -> f64 {
    match kind {
        RateKind::GrowthPerYear => q.ln(draws),
        _ => kind.to_log_rate(q.value(draws)),
    }
}

/// A number of the model as a sample reads it: worked out once when it does not depend on the
/// draws, so a sample pays no logarithm of a fixed number. Each gives the bits the quantities it
/// stands for would give.
#[derive(Debug, Clone, Copy)]
enum Term {
    Fixed(f64),
    /// Input `i`'s natural log.
    Ln(usize),
    /// Input `i`'s natural log plus a fixed log.
    LnPlus(usize, f64),
    /// The sum of two inputs' natural logs.
    LnSum(usize, usize),
    /// Input `i`'s value as a rate of this kind, in natural-log units per year.
    Rate(RateKind, usize),
}

impl Term {
    /// `q.ln(draws)`.
    fn ln(q: Quantity) -> Self {
        match q {
            Quantity::Fixed(v) => Term::Fixed(v.ln()),
            Quantity::Input(i) => Term::Ln(i),
        }
    }

    /// `a.ln(draws) + b.ln(draws)`.
    fn ln_sum(a: Quantity, b: Quantity) -> Self {
        match (a, b) {
            (Quantity::Fixed(a), Quantity::Fixed(b)) => Term::Fixed(a.ln() + b.ln()),
            // Addition is commutative to the bit.
            (Quantity::Input(i), Quantity::Fixed(v)) | (Quantity::Fixed(v), Quantity::Input(i)) => {
                Term::LnPlus(i, v.ln())
            }
            (Quantity::Input(i), Quantity::Input(j)) => Term::LnSum(i, j),
        }
    }

    /// `log_rate(kind, q, draws)`.
    fn rate(kind: RateKind, q: Quantity) -> Self {
        // A fixed growth factor's rate is its log either way.
        match (kind, q) {
            (_, Quantity::Fixed(v)) => Term::Fixed(kind.to_log_rate(v)),
            (RateKind::GrowthPerYear, Quantity::Input(i)) => Term::Ln(i),
            (_, Quantity::Input(i)) => Term::Rate(kind, i),
        }
    }

    /// [`Term::eval`] for each of four samples' draws.
    #[inline(always)]
    fn eval_quad(self, draws: [&Draws; crate::model::QUAD]) -> [f64; crate::model::QUAD] {
        let mut out = [0.0; crate::model::QUAD];
        match self {
            Term::Fixed(v) => out = [v; crate::model::QUAD],
            Term::Ln(i) => {
                for (o, d) in out.iter_mut().zip(draws) {
                    *o = d.ln(i);
                }
            }
            Term::LnPlus(i, v) => {
                for (o, d) in out.iter_mut().zip(draws) {
                    *o = d.ln(i) + v;
                }
            }
            Term::LnSum(i, j) => {
                for (o, d) in out.iter_mut().zip(draws) {
                    *o = d.ln(i) + d.ln(j);
                }
            }
            Term::Rate(kind, i) => {
                for (o, d) in out.iter_mut().zip(draws) {
                    *o = kind.to_log_rate(d.value(i));
                }
            }
        }
        out
    }

    #[inline(always)]
    fn eval(self, draws: &Draws) -> f64 {
        match self {
            Term::Fixed(v) => v,
            Term::Ln(i) => draws.ln(i),
            Term::LnPlus(i, v) => draws.ln(i) + v,
            Term::LnSum(i, j) => draws.ln(i) + draws.ln(j),
            Term::Rate(kind, i) => kind.to_log_rate(draws.value(i)),
        }
    }
}

/// A process as a sample reads it: `ln X(start)`, each regime's end and rate, each cap's line.
#[derive(Debug, Clone)]
struct PathPlan {
    x0: Term,
    regimes: Vec<(f64, Term)>,
    caps: Vec<(Term, Term)>,
}

impl PathPlan {
    fn new(process: &Process) -> Self {
        Self {
            x0: process.initial.map_or(Term::Fixed(0.0), Term::ln),
            regimes: process
                .regimes
                .iter()
                .map(|r| {
                    (
                        r.until.unwrap_or(f64::INFINITY),
                        Term::rate(r.kind, r.value),
                    )
                })
                .collect(),
            caps: process
                .caps
                .iter()
                .map(|cap| match *cap {
                    Cap::Level(q) => (Term::ln(q), Term::Fixed(0.0)),
                    Cap::ShareOfGwp {
                        fraction,
                        gwp,
                        growth,
                    } => (Term::ln_sum(fraction, gwp), Term::ln(growth)),
                })
                .collect(),
        }
    }

    #[inline(always)]
    fn fill(&self, start: f64, draws: &Draws, path: &mut LogPath) {
        path.reset(start, self.x0.eval(draws));
        for &(until, rate) in &self.regimes {
            path.push_regime(until, rate.eval(draws));
        }
        for &(at_start, slope) in &self.caps {
            path.push_cap(Line {
                at_start: at_start.eval(draws),
                slope: slope.eval(draws),
            });
        }
    }
}

/// An actor class's budget as a sample reads it.
#[derive(Debug, Clone)]
enum BudgetPlan {
    Frontier {
        ln_fraction: Term,
    },
    /// Its own path, one regime to +∞ without caps: a straight line in every sample.
    Line {
        x0: Term,
        rate: Term,
    },
    Own(PathPlan),
}

/// A target's requirement as a sample reads it.
#[derive(Debug, Clone, Copy)]
enum TargetPlan {
    Fixed {
        ln_flop: Term,
        flop_year: Option<f64>,
    },
    FrontierOf {
        year: f64,
    },
    CostAt {
        ln_cost: Term,
        year: f64,
    },
}

/// A scenario made ready to realise one sample after another: what does not depend on the draws
/// is worked out once ([`Scenario::realiser`]).
#[derive(Debug, Clone)]
pub struct Realiser<'a> {
    scn: &'a Scenario,
    hardware: PathPlan,
    algorithms: PathPlan,
    investment: Option<PathPlan>,
    overhead: Term,
    budgets: Vec<BudgetPlan>,
    /// The classes whose access is not the frontier's own (access terms or a spread).
    own_access: Vec<usize>,
    targets: Vec<TargetPlan>,
    /// Every sample has the shape the four-sample solver takes ([`Realiser::realise_quad`]).
    quad: bool,
}

impl Scenario {
    /// The scenario made ready to realise many samples.
    pub fn realiser(&self) -> Realiser<'_> {
        let mut plan = Realiser {
            scn: self,
            hardware: PathPlan::new(&self.hardware),
            algorithms: PathPlan::new(&self.algorithms),
            investment: self.investment.as_ref().map(PathPlan::new),
            overhead: Term::ln(self.overhead),
            budgets: self
                .actors
                .iter()
                .map(|a| match &a.budget {
                    ActorBudget::Frontier(fraction) => BudgetPlan::Frontier {
                        ln_fraction: fraction.map_or(Term::Fixed(0.0), Term::ln),
                    },
                    ActorBudget::Own(process) => match PathPlan::new(process) {
                        PathPlan { x0, regimes, caps }
                            if caps.is_empty()
                                && matches!(regimes[..], [(until, _)] if until == f64::INFINITY) =>
                        {
                            BudgetPlan::Line {
                                x0,
                                rate: regimes[0].1,
                            }
                        }
                        plan => BudgetPlan::Own(plan),
                    },
                })
                .collect(),
            own_access: (0..self.actors.len())
                .filter(|&k| self.actors[k].access.differs() || self.actors[k].spread.is_some())
                .collect(),
            targets: self
                .targets
                .iter()
                .map(|t| match t.kind {
                    TargetKind::Fixed { flop, flop_year } => TargetPlan::Fixed {
                        ln_flop: Term::ln(flop),
                        flop_year,
                    },
                    TargetKind::FrontierOf { year } => TargetPlan::FrontierOf { year },
                    TargetKind::CostAt { cost, year } => TargetPlan::CostAt {
                        ln_cost: Term::ln(cost),
                        year,
                    },
                })
                .collect(),
            quad: false,
        };
        plan.quad = plan.quad_shaped();
        plan
    }

    fn fill_costs(&self, draws: &Draws, model: &mut SampleModel) {
        let Some(c) = &self.components else {
            model.costs = None;
            return;
        };
        let ln = |q: Quantity| q.ln(draws);
        let costs = model.costs.get_or_insert_with(Costs::default);
        let prices = &mut costs.prices;
        prices.start = self.start_year;
        prices.ln_tokens_per_parameter = ln(c.tokens_per_parameter);
        prices.data = c.data.as_ref().map(|d| DataPrice {
            ln_price: ln(d.dollars_per_token),
            rate: ln(d.growth),
            stock: d.stock.as_ref().map(|s| Stock {
                ln_tokens: ln(s.tokens),
                rate: ln(s.growth),
                ln_beyond_price: ln(s.beyond_price),
            }),
        });
        let effort_rate = c
            .staff
            .as_ref()
            .and_then(|s| s.effort_halving_time)
            .map_or(0.0, |h| log_rate(RateKind::HalvingTime, h, draws));
        prices.staff = c.staff.as_ref().map(|s| Wage {
            ln_wage: ln(s.dollars_per_person_year),
            // Wages grow; the effort a fixed capability needs shrinks.
            rate: ln(s.growth) - effort_rate,
        });
        prices.deployment = c.deployment.as_ref().map(|d| Deployment {
            ln_utilisation: ln(d.utilisation),
            in_budget: d.in_budget,
        });
        let global_tokens = c.deployment.as_ref().and_then(|d| d.tokens_served);
        costs.needs.clear();
        costs.needs.extend(self.targets.iter().map(|t| {
            Needs {
                // ln 0 = −∞: none.
                // Written for the target's own year; moved to the start year at the effort rate.
                ln_person_years: t.person_years.map_or(f64::NEG_INFINITY, |q| {
                    ln(q)
                        + effort_rate * (t.own_year().unwrap_or(self.start_year) - self.start_year)
                }),
                ln_tokens_served: t
                    .tokens_served
                    .or(global_tokens)
                    .map_or(f64::NEG_INFINITY, ln),
            }
        }));
    }

    /// The actors within every class, for counts and ranks (`None` when the scenario asks for
    /// neither: every class is one actor and no rank is reported).
    pub fn population(&self) -> Option<Population> {
        let used = !self.report_ranks.is_empty()
            || self
                .actors
                .iter()
                .any(|a| a.count > 1 || a.spread.is_some());
        used.then(|| Population::new(self.actors.iter().map(|a| a.count).collect()))
    }

    /// The actor classes whose costs differ from the frontier's (any access term set), in order.
    pub fn class_cost_actors(&self) -> Vec<usize> {
        (0..self.actors.len())
            .filter(|&k| self.actors[k].access.differs())
            .collect()
    }
}

impl Realiser<'_> {
    /// Fills `model` with the model of one sample, given the drawn value of every input.
    pub fn realise(&self, draws: &Draws, model: &mut SampleModel) {
        let scn = self.scn;
        let start = scn.start_year;
        model.start = start;
        model.end = scn.end_year;
        self.hardware.fill(start, draws, &mut model.hardware);
        self.algorithms.fill(start, draws, &mut model.algorithms);
        match &self.investment {
            Some(p) => p.fill(start, draws, &mut model.investment),
            // Nothing uses the spend (the parser checks): a flat path keeps the model total.
            None => {
                model.investment.reset(start, 0.0);
                model.investment.push_regime(f64::INFINITY, 0.0);
            }
        }
        model.ln_overhead = self.overhead.eval(draws);
        scn.fill_costs(draws, model);
        model.closed_from = scn.closed_from;
        model
            .budgets
            .resize_with(self.budgets.len(), || Budget::Own(LogPath::default()));
        for (plan, slot) in self.budgets.iter().zip(model.budgets.iter_mut()) {
            match plan {
                BudgetPlan::Frontier { ln_fraction } => {
                    *slot = Budget::Frontier {
                        ln_fraction: ln_fraction.eval(draws),
                    }
                }
                BudgetPlan::Line { x0, rate } => {
                    own_path(slot).set_line(start, x0.eval(draws), rate.eval(draws))
                }
                BudgetPlan::Own(plan) => plan.fill(start, draws, own_path(slot)),
            }
        }
        model.access.clear();
        model.access.resize(scn.actors.len(), Access::default());
        for &k in &self.own_access {
            let (ac, spread) = (&scn.actors[k].access, scn.actors[k].spread);
            let ln = |q: Option<Quantity>| q.map_or(0.0, |q| q.ln(draws));
            model.access[k] = Access {
                ln_multiplier: ln(ac.price_multiplier) + ln(ac.compute_multiplier),
                ln_compute: ln(ac.compute_multiplier),
                ln_wage: ln(ac.wage_multiplier),
                hardware_lag: ac.hardware_lag.map_or(0.0, |q| q.value(draws)),
                algorithm_lag: ac.algorithm_lag.map_or(0.0, |q| q.value(draws)),
                own_rate: ac
                    .own_halving_time
                    .map(|q| log_rate(RateKind::HalvingTime, q, draws)),
                ln_spread: spread.map_or(0.0, |q| q.value(draws) * std::f64::consts::LN_10),
            };
        }
        model.targets.clear();
        model.targets.extend(self.targets.iter().map(|t| match *t {
            TargetPlan::Fixed { ln_flop, flop_year } => Requirement::Fixed {
                ln_flop: ln_flop.eval(draws),
                flop_year,
            },
            TargetPlan::FrontierOf { year } => Requirement::FrontierOf { year },
            TargetPlan::CostAt { ln_cost, year } => Requirement::CostAt {
                ln_cost: ln_cost.eval(draws),
                year,
            },
        }));
    }
}

/// The path of a budget of the class's own, made one (keeping its memory when it already is).
fn own_path(slot: &mut Budget) -> &mut LogPath {
    if !matches!(slot, Budget::Own(_)) {
        *slot = Budget::Own(LogPath::default());
    }
    match slot {
        Budget::Own(path) => path,
        Budget::Frontier { .. } => unreachable!("made a path of its own just above"),
    }
}
