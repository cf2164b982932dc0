//! `[[actor]]` tables: each class's budget, its access to the frontier's algorithms, hardware
//! and prices, and the actors within it.

use toml::de::DeValue;

use super::parse::{Horizon, MAX_LAG_YEARS, MAX_LOG_RATE, quoted};
use super::processes::HW_RATES;
use super::walk::{Parser, Result, Table, rate_keys};
use super::{Actor, ActorAccess, ActorBudget, Cap, Process, Quantity};
use crate::format::format_number;
use crate::model::RateKind;

/// Most actors in one class, and over all classes (counts are kept per actor and year).
pub const MAX_ACTORS: u32 = 10_000;

/// Keys a `"frontier"` budget does not take: it moves with the frontier spend.
const OWN_BUDGET_KEYS: &[&str] = &[
    "max_budget",
    "regime",
    "doubling_time_years",
    "growth_per_year",
    "ooms_per_year",
];

/// The access keys (each optional; defaults are the frontier's own access).
const ACCESS_KEYS: &[&str] = &[
    "algorithm_lag_years",
    "hardware_lag_years",
    "price_multiplier",
    "compute_multiplier",
    "own_halving_time_years",
    "wage_multiplier",
];

impl Parser<'_> {
    pub(super) fn actors(
        &mut self,
        root: &Table,
        ctx: &Horizon,
        closed_from: Option<f64>,
        staff: bool,
    ) -> Result<Vec<Actor>> {
        let mut actors: Vec<Actor> = Vec::new();
        let mut keys = vec!["name", "budget"];
        keys.extend(OWN_BUDGET_KEYS);
        keys.extend(["frontier_fraction", "count", "budget_spread_ooms"]);
        keys.extend(ACCESS_KEYS);
        debug_assert!(
            rate_keys(HW_RATES)
                .iter()
                .all(|k| OWN_BUDGET_KEYS.contains(k))
        );
        for (i, t) in self.array_of_tables(root, "actor")?.into_iter().enumerate() {
            // Name the table after its `name` when it has one, so errors say `actor."Lab".key`.
            let t = match t.get("name").map(|v| v.get_ref()) {
                Some(DeValue::String(name)) => Table {
                    path: format!("actor.{}", quoted(name)),
                    ..t
                },
                _ => t,
            };
            self.check_keys(&t, &keys)?;
            let name_v = self.required(&t, "name", "the actor class's name")?;
            let name = self.name(name_v, &format!("actor[{}].name", i + 1))?;
            let key = format!("actor[{}].name", i + 1);
            self.distinct_files(name_v, &key, &name, actors.iter().map(|a| a.name.as_str()))?;
            if actors.iter().any(|a| a.name == name) {
                return Err(self.err(
                    &name_v.span(),
                    &format!("actor[{}].name", i + 1),
                    format!(
                        "duplicate actor name \"{name}\"; every actor class needs its own name"
                    ),
                ));
            }
            let t = Table {
                path: format!("actor.{}", quoted(&name)),
                ..t
            };
            let budget = self.budget(&t, ctx)?;
            let access = self.access(&t, closed_from, staff)?;
            let (count, spread) = self.population(&t)?;
            actors.push(Actor {
                name,
                budget,
                access,
                count,
                spread,
            });
        }
        if actors.is_empty() {
            return Err(self.err(
                &root.span,
                "actor",
                "a scenario needs at least one [[actor]] table",
            ));
        }
        let total: u64 = actors.iter().map(|a| u64::from(a.count)).sum();
        if total > u64::from(MAX_ACTORS) {
            let (k, a) = actors
                .iter()
                .enumerate()
                .max_by_key(|(_, a)| a.count)
                .expect("at least one");
            let t = &self.array_of_tables(root, "actor")?[k];
            return Err(self.err(
                &t.key_span("count"),
                &format!("actor.{}.count", quoted(&a.name)),
                format!(
                    "the classes hold {total} actors in all; at most {MAX_ACTORS} are allowed (model the largest class's top actors, or fewer actors with a wider budget_spread_ooms)"
                ),
            ));
        }
        Ok(actors)
    }

    /// A class's `count` of actors and the `budget_spread_ooms` of their budgets (`None`: all
    /// alike).
    fn population(&mut self, t: &Table) -> Result<(u32, Option<Quantity>)> {
        let count = match t.get("count") {
            Some(v) => {
                let n = self.count(v, &t.key_path("count"), 1, u64::from(MAX_ACTORS))?;
                u32::try_from(n).expect("bounded")
            }
            None => 1,
        };
        let spread = match t.get("budget_spread_ooms") {
            Some(v) => {
                let q = self.quantity(v, t.key_path("budget_spread_ooms"), false)?;
                self.check_at_least_zero(t, "budget_spread_ooms", q, "a spread")?;
                self.check_bound(
                    t,
                    "budget_spread_ooms",
                    q,
                    5.0,
                    false,
                    "the standard deviation of log10 budgets within a class",
                )?;
                (q != Quantity::Fixed(0.0)).then_some(q)
            }
            None => None,
        };
        if spread.is_some() && count == 1 {
            return Err(self.err(
                &t.key_span("budget_spread_ooms"),
                &t.key_path("budget_spread_ooms"),
                "spreads the budgets of a class's actors, but the class has one actor; set `count` above 1 or remove this key",
            ));
        }
        Ok((count, spread))
    }

    /// `budget` with its growth, regimes and cap, or `"frontier"` with `frontier_fraction`.
    fn budget(&mut self, t: &Table, ctx: &Horizon) -> Result<ActorBudget> {
        let budget_v = self.required(
            t,
            "budget",
            "the budget at start_year in dollars, or \"frontier\"",
        )?;
        if matches!(budget_v.get_ref(), DeValue::String(s) if s.trim().eq_ignore_ascii_case("frontier"))
        {
            let why = "a \"frontier\" budget moves with the frontier spend; it takes no growth, regimes or cap";
            self.refuse_keys(t, OWN_BUDGET_KEYS.iter().copied(), why)?;
            let fraction = match t.get("frontier_fraction") {
                Some(v) => {
                    let q = self.quantity(v, t.key_path("frontier_fraction"), true)?;
                    let why = "a share of the frontier's own project";
                    self.check_bound(t, "frontier_fraction", q, 1.0, false, why)?;
                    (q != Quantity::Fixed(1.0)).then_some(q)
                }
                None => None,
            };
            return Ok(ActorBudget::Frontier(fraction));
        }
        if t.get("frontier_fraction").is_some() {
            return Err(self.err(
                &t.key_span("frontier_fraction"),
                &t.key_path("frontier_fraction"),
                "only used with budget = \"frontier\" (a fraction of the frontier's project)",
            ));
        }
        let initial = Some(self.quantity(budget_v, t.key_path("budget"), true)?);
        let regimes = self.regimes(t, HW_RATES, ctx, false)?;
        let cap = self.optional_quantity(t, "max_budget", true)?;
        self.cap_not_below_start(t, "max_budget", initial, cap)?;
        let caps = cap.map(Cap::Level).into_iter().collect();
        let p = Process {
            initial,
            regimes,
            caps,
        };
        self.stays_finite(t, "budget", &p, ctx)?;
        Ok(ActorBudget::Own(p))
    }

    /// The access keys. A key at its default value (a lag of 0, a multiplier of 1) is the same
    /// as leaving it out.
    fn access(&mut self, t: &Table, closed_from: Option<f64>, staff: bool) -> Result<ActorAccess> {
        let lag = |p: &mut Self, key: &str| -> Result<Option<Quantity>> {
            let Some(v) = t.get(key) else {
                return Ok(None);
            };
            let q = p.quantity(v, t.key_path(key), false)?;
            p.check_at_least_zero(t, key, q, "a lag")?;
            let why = "years behind the frontier";
            p.check_bound(t, key, q, MAX_LAG_YEARS, false, why)?;
            Ok((q != Quantity::Fixed(0.0)).then_some(q))
        };
        let algorithm_lag = lag(self, "algorithm_lag_years")?;
        let hardware_lag = lag(self, "hardware_lag_years")?;
        let multiplier = |p: &mut Self, key: &str| -> Result<Option<Quantity>> {
            let q = p.optional_quantity(t, key, true)?;
            if let Some(q) = q {
                // A factor of a million either way is far beyond any price or recipe gap, and
                // keeps every cost finite.
                let why = "a factor on the frontier's price or compute";
                p.check_bound(t, key, q, 1e-6, true, why)?;
                p.check_bound(t, key, q, 1e6, false, why)?;
            }
            Ok(q.filter(|q| *q != Quantity::Fixed(1.0)))
        };
        let price_multiplier = multiplier(self, "price_multiplier")?;
        let compute_multiplier = multiplier(self, "compute_multiplier")?;
        if !staff && t.get("wage_multiplier").is_some() {
            return Err(self.err(
                &t.key_span("wage_multiplier"),
                &t.key_path("wage_multiplier"),
                "needs [costs.staff] (dollars_per_person_year) to scale",
            ));
        }
        let wage_multiplier = multiplier(self, "wage_multiplier")?;
        let own_halving_time = match t.get("own_halving_time_years") {
            None => None,
            Some(v) => {
                let key = t.key_path("own_halving_time_years");
                if closed_from.is_none() {
                    return Err(self.err(
                        &t.key_span("own_halving_time_years"),
                        &key,
                        "a class's own algorithmic progress applies once the frontier stops publishing; add a [publication] table with closed_from = YEAR",
                    ));
                }
                let q = self.quantity(v, key.clone(), true)?;
                let fastest = match q {
                    Quantity::Fixed(h) => h,
                    Quantity::Input(i) => self.inputs[i].dist.quantile(1e-3),
                };
                let rate = RateKind::HalvingTime.to_log_rate(fastest);
                if !(rate <= MAX_LOG_RATE) {
                    return Err(self.err(&v.span(), &key, format!(
                        "implies a rate of {} natural-log units a year (at its 0.1% point); allowed: at most {MAX_LOG_RATE} (a halving time of at least 0.07 years)",
                        format_number(rate)
                    )));
                }
                Some(q)
            }
        };
        Ok(ActorAccess {
            algorithm_lag,
            hardware_lag,
            price_multiplier,
            compute_multiplier,
            wage_multiplier,
            own_halving_time,
        })
    }

    /// A quantity that must not be negative: a fixed value ≥ 0, or a distribution whose support
    /// starts at 0 or above.
    pub(super) fn check_at_least_zero(
        &self,
        t: &Table,
        key: &str,
        q: Quantity,
        what: &str,
    ) -> Result<()> {
        let lowest = match q {
            Quantity::Fixed(v) => v,
            Quantity::Input(i) => self.inputs[i].dist.support().0,
        };
        if lowest >= 0.0 {
            return Ok(());
        }
        let msg = match q {
            Quantity::Fixed(v) => format!("{what} cannot be negative, got {}", format_number(v)),
            Quantity::Input(_) => format!(
                "{what} cannot be negative, but this distribution can produce values below 0; use a positive \"low to high\" interval, a lognormal, or add `min = 0`"
            ),
        };
        Err(self.err(
            &t.get(key).map_or(t.span.clone(), |v| v.span()),
            &t.key_path(key),
            msg,
        ))
    }
}
