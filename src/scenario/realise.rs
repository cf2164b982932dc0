//! One draw of every input made into the model of one sample.

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

impl Scenario {
    /// Fills `model` with the model of one sample, given the drawn value of every input.
    pub fn realise(&self, draws: &Draws, model: &mut SampleModel) {
        model.start = self.start_year;
        model.end = self.end_year;
        self.fill_path(&self.hardware, draws, &mut model.hardware);
        self.fill_path(&self.algorithms, draws, &mut model.algorithms);
        match &self.investment {
            Some(p) => self.fill_path(p, draws, &mut model.investment),
            // Nothing uses the spend (the parser checks): a flat path keeps the model total.
            None => {
                model.investment.reset(self.start_year, 0.0);
                model.investment.push_regime(f64::INFINITY, 0.0);
            }
        }
        model.ln_overhead = self.overhead.ln(draws);
        self.fill_costs(draws, model);
        model.closed_from = self.closed_from;
        model
            .budgets
            .resize_with(self.actors.len(), || Budget::Own(LogPath::default()));
        model.access.clear();
        model.access.extend(self.actors.iter().map(|a| {
            let ac = &a.access;
            if !ac.differs() && a.spread.is_none() {
                return Access::default();
            }
            let ln = |q: Option<Quantity>| q.map_or(0.0, |q| q.ln(draws));
            Access {
                ln_multiplier: ln(ac.price_multiplier) + ln(ac.compute_multiplier),
                ln_compute: ln(ac.compute_multiplier),
                ln_wage: ln(ac.wage_multiplier),
                hardware_lag: ac.hardware_lag.map_or(0.0, |q| q.value(draws)),
                algorithm_lag: ac.algorithm_lag.map_or(0.0, |q| q.value(draws)),
                own_rate: ac
                    .own_halving_time
                    .map(|q| log_rate(RateKind::HalvingTime, q, draws)),
                ln_spread: a
                    .spread
                    .map_or(0.0, |q| q.value(draws) * std::f64::consts::LN_10),
            }
        }));
        for (actor, slot) in self.actors.iter().zip(model.budgets.iter_mut()) {
            match &actor.budget {
                ActorBudget::Frontier(fraction) => {
                    *slot = Budget::Frontier {
                        ln_fraction: fraction.map_or(0.0, |q| q.ln(draws)),
                    }
                }
                ActorBudget::Own(process) => {
                    if !matches!(slot, Budget::Own(_)) {
                        *slot = Budget::Own(LogPath::default());
                    }
                    if let Budget::Own(path) = slot {
                        self.fill_path(process, draws, path);
                    }
                }
            }
        }
        model.targets.clear();
        model
            .targets
            .extend(self.targets.iter().map(|t| match t.kind {
                TargetKind::Fixed { flop, flop_year } => Requirement::Fixed {
                    ln_flop: flop.ln(draws),
                    flop_year,
                },
                TargetKind::FrontierOf { year } => Requirement::FrontierOf { year },
                TargetKind::CostAt { cost, year } => Requirement::CostAt {
                    ln_cost: cost.ln(draws),
                    year,
                },
            }));
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

    fn fill_path(&self, process: &Process, draws: &Draws, path: &mut LogPath) {
        let x0 = process.initial.map_or(0.0, |q| q.ln(draws));
        path.reset(self.start_year, x0);
        for r in &process.regimes {
            let until = r.until.unwrap_or(f64::INFINITY);
            path.push_regime(until, log_rate(r.kind, r.value, draws));
        }
        for cap in &process.caps {
            path.push_cap(match *cap {
                Cap::Level(q) => Line {
                    at_start: q.ln(draws),
                    slope: 0.0,
                },
                Cap::ShareOfGwp {
                    fraction,
                    gwp,
                    growth,
                } => Line {
                    at_start: fraction.ln(draws) + gwp.ln(draws),
                    slope: growth.ln(draws),
                },
            });
        }
    }
}
