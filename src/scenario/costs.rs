//! `[costs]` (overhead, `[costs.data]`, `[costs.staff]`), `[deployment]` and
//! `[scenario] affordability`: what a project costs besides its training compute.

use super::parse::MAX_LOG_RATE;
use super::walk::{Parser, Result, Table, Value, list};
use super::{Components, DataSpec, DeploymentSpec, Quantity, StaffSpec, StockSpec};
use crate::format::format_number;
use crate::model::RateKind;

const COSTS_KEYS: &[&str] = &["overhead", "data", "staff"];
const DATA_KEYS: &[&str] = &[
    "tokens_per_parameter",
    "dollars_per_token",
    "growth_per_year",
    "stock_tokens",
    "stock_growth_per_year",
    "beyond_stock_dollars_per_token",
];
const STAFF_KEYS: &[&str] = &[
    "dollars_per_person_year",
    "growth_per_year",
    "effort_halving_time_years",
];
const DEPLOYMENT_KEYS: &[&str] = &["tokens_served", "inference_utilisation"];
const AFFORDABILITY: &[&str] = &["train", "train_and_deploy"];

/// The `[costs]` table: the overhead multiplier and any costs beyond compute.
pub(super) struct CostsSection {
    /// `overhead` (1 when absent).
    pub(super) overhead: Quantity,
    /// Data, staff and deployment, when any is given.
    pub(super) components: Option<Components>,
}

impl Parser<'_> {
    /// `[costs]`, `[deployment]` and `[scenario] affordability` (`head` is `[scenario]`).
    pub(super) fn costs(&mut self, root: &Table, head: &Table) -> Result<CostsSection> {
        let costs = match root.get("costs") {
            Some(v) => Some(self.table(v, "costs".into(), "a table")?),
            None => None,
        };
        let mut overhead = Quantity::Fixed(1.0);
        let (mut data, mut staff, mut tokens_per_parameter) = (None, None, None);
        let mut data_table = None;
        if let Some(costs) = &costs {
            self.check_keys(costs, COSTS_KEYS)?;
            if let Some(q) = self.optional_quantity(costs, "overhead", true)? {
                let why = "a whole project costs at least its final run";
                self.check_bound(costs, "overhead", q, 1.0, true, why)?;
                // Far beyond any project's overhead, and keeps every cost finite.
                let why = "a whole project's cost over its final run's compute";
                self.check_bound(costs, "overhead", q, 1e6, false, why)?;
                overhead = q;
            }
            if let Some(v) = costs.get("data") {
                let t = self.table(v, "costs.data".into(), "a table")?;
                self.check_keys(&t, DATA_KEYS)?;
                tokens_per_parameter = self.optional_quantity(&t, "tokens_per_parameter", true)?;
                if let Some(q) = tokens_per_parameter {
                    let why = "Chinchilla-optimal training uses about 20";
                    self.check_bound(&t, "tokens_per_parameter", q, 1e-3, true, why)?;
                    self.check_bound(&t, "tokens_per_parameter", q, 1e6, false, why)?;
                }
                data = self.data(&t)?;
                data_table = Some(t);
            }
            if let Some(v) = costs.get("staff") {
                staff = Some(self.staff(v)?);
            }
        }
        let mut deployment = match root.get("deployment") {
            Some(v) => Some(self.deployment(v)?),
            None => None,
        };
        self.affordability(head, &mut deployment)?;
        if data.is_none() && staff.is_none() && deployment.is_none() {
            if let (Some(t), Some(_)) = (&data_table, tokens_per_parameter) {
                return Err(self.err(
                    &t.key_span("tokens_per_parameter"),
                    "costs.data.tokens_per_parameter",
                    "nothing uses it: it sizes the data and the served model, so give `dollars_per_token` or a [deployment] table",
                ));
            }
            return Ok(CostsSection {
                overhead,
                components: None,
            });
        }
        Ok(CostsSection {
            overhead,
            components: Some(Components {
                tokens_per_parameter: tokens_per_parameter.unwrap_or(Quantity::Fixed(20.0)),
                data,
                staff,
                deployment,
            }),
        })
    }

    /// `[costs.staff]`: the wage, its growth and the effort's halving time.
    fn staff(&mut self, v: &Value) -> Result<StaffSpec> {
        let t = self.table(v, "costs.staff".into(), "a table")?;
        self.check_keys(&t, STAFF_KEYS)?;
        let wage = self.required_quantity(
            &t,
            "dollars_per_person_year",
            "what one person-year of staff costs at start_year, in dollars",
        )?;
        let growth = self.growth(&t, "growth_per_year")?;
        let effort_halving_time = match t.get("effort_halving_time_years") {
            Some(_) => {
                Some(self.rate_at(&t, "effort_halving_time_years", RateKind::HalvingTime)?)
            }
            None => None,
        };
        Ok(StaffSpec {
            dollars_per_person_year: wage,
            growth,
            effort_halving_time,
        })
    }

    /// `[deployment]`: tokens served and inference utilisation (counted against the budget only
    /// with `affordability = "train_and_deploy"`).
    fn deployment(&mut self, v: &Value) -> Result<DeploymentSpec> {
        let t = self.table(v, "deployment".into(), "a table")?;
        self.check_keys(&t, DEPLOYMENT_KEYS)?;
        let tokens_served = self.optional_quantity(&t, "tokens_served", true)?;
        let utilisation = match self.optional_quantity(&t, "inference_utilisation", true)? {
            Some(q) => {
                let why = "inference FLOP per dollar relative to training's";
                self.check_bound(&t, "inference_utilisation", q, 1e-3, true, why)?;
                self.check_bound(&t, "inference_utilisation", q, 1e3, false, why)?;
                q
            }
            None => Quantity::Fixed(1.0),
        };
        Ok(DeploymentSpec {
            tokens_served,
            utilisation,
            in_budget: false,
        })
    }

    /// `[scenario] affordability`: whether deployment must fit in the budget too.
    fn affordability(&self, head: &Table, deployment: &mut Option<DeploymentSpec>) -> Result<()> {
        let Some(v) = head.get("affordability") else {
            return Ok(());
        };
        let s = self.string(v, "scenario.affordability")?;
        match (s.as_str(), deployment) {
            ("train", _) => {}
            ("train_and_deploy", Some(d)) => d.in_budget = true,
            ("train_and_deploy", None) => {
                return Err(self.err(
                    &v.span(),
                    "scenario.affordability",
                    "\"train_and_deploy\" needs a [deployment] table (tokens_served, inference_utilisation) to say what serving costs",
                ));
            }
            _ => {
                return Err(self.err(
                    &v.span(),
                    "scenario.affordability",
                    format!(
                        "unknown value {s:?}; allowed: {} (what must fit in the budget)",
                        list(AFFORDABILITY)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `[costs.data]` prices (`None` when it only sets `tokens_per_parameter`).
    fn data(&mut self, t: &Table) -> Result<Option<DataSpec>> {
        let stock_keys = [
            "stock_tokens",
            "stock_growth_per_year",
            "beyond_stock_dollars_per_token",
        ];
        let Some(price) = self.optional_quantity(t, "dollars_per_token", true)? else {
            let keys = ["growth_per_year"].into_iter().chain(stock_keys);
            let why = "needs `dollars_per_token` (the price of a training token at start_year)";
            self.refuse_keys(t, keys, why)?;
            return Ok(None);
        };
        let growth = self.growth(t, "growth_per_year")?;
        let stock = match (
            t.get("stock_tokens"),
            t.get("beyond_stock_dollars_per_token"),
        ) {
            (Some(_), Some(_)) => Some(StockSpec {
                tokens: self.required_quantity(t, "stock_tokens", "")?,
                growth: self.growth(t, "stock_growth_per_year")?,
                beyond_price: self.required_quantity(t, "beyond_stock_dollars_per_token", "")?,
            }),
            (None, None) => {
                if t.get("stock_growth_per_year").is_some() {
                    return Err(self.err(
                        &t.key_span("stock_growth_per_year"),
                        &t.key_path("stock_growth_per_year"),
                        "needs `stock_tokens` (the stock of data at that price)",
                    ));
                }
                None
            }
            (Some(_), None) => {
                return Err(self.err(
                    &t.key_span("stock_tokens"),
                    &t.key_path("beyond_stock_dollars_per_token"),
                    "missing required key: `beyond_stock_dollars_per_token` (what a token beyond the stock costs: synthetic data or licensing)",
                ));
            }
            (None, Some(_)) => {
                return Err(self.err(
                    &t.key_span("beyond_stock_dollars_per_token"),
                    &t.key_path("stock_tokens"),
                    "missing required key: `stock_tokens` (beyond how many tokens this price applies)",
                ));
            }
        };
        Ok(Some(DataSpec {
            dollars_per_token: price,
            growth,
            stock,
        }))
    }

    /// A growth factor per year under `key` (1 when absent), bounded like every rate.
    fn growth(&mut self, t: &Table, key: &str) -> Result<Quantity> {
        if t.get(key).is_none() {
            return Ok(Quantity::Fixed(1.0));
        }
        self.rate_at(t, key, RateKind::GrowthPerYear)
    }

    /// A rate written as `kind` under `key` (present), bounded like every rate.
    fn rate_at(&mut self, t: &Table, key: &str, kind: RateKind) -> Result<Quantity> {
        let v = t.get(key).expect("present");
        let q = self.quantity(v, t.key_path(key), true)?;
        let (lo, hi) = match q {
            Quantity::Fixed(x) => (x, x),
            Quantity::Input(i) => {
                let d = &self.inputs[i].dist;
                (d.quantile(1e-3), d.quantile(1.0 - 1e-3))
            }
        };
        let to_rate = |g: f64| kind.to_log_rate(g).abs();
        let fastest = to_rate(lo).max(to_rate(hi));
        if !(fastest <= MAX_LOG_RATE) {
            return Err(self.err(
                &v.span(),
                &t.key_path(key),
                format!(
                    "implies a rate of {} natural-log units a year (at its 0.1% or 99.9% point); allowed: at most {MAX_LOG_RATE} (a factor from 0.0000454 to 22,026 a year, or a halving time of at least 0.07 years)",
                    format_number(fastest)
                ),
            ));
        }
        Ok(q)
    }

    /// A target's `person_years` or `tokens_served`: a number ≥ 0, or a positive distribution.
    pub(super) fn need(&mut self, t: &Table, key: &str) -> Result<Option<Quantity>> {
        let Some(v) = t.get(key) else {
            return Ok(None);
        };
        let q = self.quantity(v, t.key_path(key), false)?;
        match q {
            Quantity::Fixed(x) if x >= 0.0 => Ok(Some(q)),
            Quantity::Fixed(x) => Err(self.err(
                &v.span(),
                &t.key_path(key),
                format!("must be at least 0, got {}", format_number(x)),
            )),
            Quantity::Input(i) if self.inputs[i].dist.is_strictly_positive() => Ok(Some(q)),
            Quantity::Input(_) => Err(self.err(
                &v.span(),
                &t.key_path(key),
                "a distribution here must be positive (use 0 as a plain number for none); use a positive \"low to high\" interval or add a positive `min`",
            )),
        }
    }
}
