//! The processes: `[hardware]` (FLOP per dollar), `[algorithms]` (efficiency), `[investment]`
//! (frontier spend) and `[costs]`, each a starting value, a rate or regimes, and caps.

use super::parse::{Horizon, MAX_LAG_YEARS, MAX_LOG_RATE};
use super::walk::{Parser, Result, Table, list, rate_keys};
use super::{Cap, Process, Quantity, Regime};
use crate::format::format_number;
use crate::model::RateKind;

/// The largest |ln| a process may reach: e^690 ≈ 1e300, leaving room for the products costs take.
pub(super) const LN_LIMIT: f64 = 690.0;
/// The tails (each side) within which every draw must stay inside `e^±LN_LIMIT`.
pub(super) const TAIL: f64 = 1e-6;

/// Rate keys of processes that grow (hardware, investment, budgets).
pub(super) const HW_RATES: &[RateKind] = &[
    RateKind::DoublingTime,
    RateKind::GrowthPerYear,
    RateKind::OomsPerYear,
];
/// Rate keys of algorithmic efficiency.
const ALG_RATES: &[RateKind] = &[
    RateKind::HalvingTime,
    RateKind::GrowthPerYear,
    RateKind::OomsPerYear,
];

impl Parser<'_> {
    /// `[hardware]`: effective FLOP per dollar, its rate and cap.
    pub(super) fn hardware(&mut self, root: &Table, ctx: &Horizon) -> Result<Process> {
        let hw = self.table(
            self.required(root, "hardware", "the [hardware] table")?,
            "hardware".into(),
            "a table",
        )?;
        let mut keys = vec!["flop_per_dollar", "max_flop_per_dollar", "regime"];
        keys.extend(rate_keys(HW_RATES));
        self.check_keys(&hw, &keys)?;
        let initial = Some(self.required_quantity(
            &hw,
            "flop_per_dollar",
            "effective FLOP per dollar at start_year",
        )?);
        let regimes = self.regimes(&hw, HW_RATES, ctx, true)?;
        let cap = self.optional_quantity(&hw, "max_flop_per_dollar", true)?;
        self.cap_not_below_start(&hw, "max_flop_per_dollar", initial, cap)?;
        let caps = cap.map(Cap::Level).into_iter().collect();
        let p = Process {
            initial,
            regimes,
            caps,
        };
        self.stays_finite(&hw, "flop_per_dollar", &p, ctx)?;
        Ok(p)
    }

    /// `[algorithms]`: the efficiency multiplier's rate and cap (it starts at 1).
    pub(super) fn algorithms(&mut self, root: &Table, ctx: &Horizon) -> Result<Process> {
        let alg = self.table(
            self.required(root, "algorithms", "the [algorithms] table")?,
            "algorithms".into(),
            "a table",
        )?;
        let mut keys = vec!["max_improvement", "regime"];
        keys.extend(rate_keys(ALG_RATES));
        self.check_keys(&alg, &keys)?;
        let regimes = self.regimes(&alg, ALG_RATES, ctx, true)?;
        let cap = self.optional_quantity(&alg, "max_improvement", true)?;
        if let Some(q) = cap {
            self.check_bound(
                &alg,
                "max_improvement",
                q,
                1.0,
                true,
                "algorithmic efficiency starts at 1",
            )?;
        }
        let caps = cap.map(Cap::Level).into_iter().collect();
        let p = Process {
            initial: None,
            regimes,
            caps,
        };
        let key = alg
            .map
            .iter()
            .map(|(k, _)| k.get_ref().as_ref())
            .find(|k| rate_keys(ALG_RATES).contains(k))
            .unwrap_or("regime")
            .to_string();
        self.stays_finite(&alg, &key, &p, ctx)?;
        Ok(p)
    }

    pub(super) fn investment(&mut self, root: &Table, ctx: &Horizon) -> Result<Process> {
        let inv = self.table(
            self.required(root, "investment", "the [investment] table")?,
            "investment".into(),
            "a table",
        )?;
        let mut keys = vec![
            "frontier_spend",
            "max_fraction_of_gwp",
            "gwp",
            "gwp_growth_per_year",
            "max_spend",
            "regime",
        ];
        keys.extend(rate_keys(HW_RATES));
        self.check_keys(&inv, &keys)?;
        let initial = Some(self.required_quantity(
            &inv,
            "frontier_spend",
            "the largest run's compute cost at start_year, in dollars",
        )?);
        let regimes = self.regimes(&inv, HW_RATES, ctx, true)?;
        let mut caps: Vec<Cap> = self.gwp_cap(&inv, initial)?.into_iter().collect();
        if let Some(q) = self.optional_quantity(&inv, "max_spend", true)? {
            self.cap_not_below_start(&inv, "max_spend", initial, Some(q))?;
            caps.push(Cap::Level(q));
        }
        let p = Process {
            initial,
            regimes,
            caps,
        };
        self.stays_finite(&inv, "frontier_spend", &p, ctx)?;
        Ok(p)
    }

    /// `max_fraction_of_gwp` of `[investment]` with its `gwp` and `gwp_growth_per_year`: a cap
    /// on the frontier spend, which must not lie below a fixed starting spend `initial`.
    fn gwp_cap(&mut self, inv: &Table, initial: Option<Quantity>) -> Result<Option<Cap>> {
        let Some(fraction) = self.optional_quantity(inv, "max_fraction_of_gwp", true)? else {
            let why = "only used with `max_fraction_of_gwp`; add that cap or remove this key";
            self.refuse_keys(inv, ["gwp", "gwp_growth_per_year"], why)?;
            return Ok(None);
        };
        let why = "a share of world output";
        self.check_bound(inv, "max_fraction_of_gwp", fraction, 1.0, false, why)?;
        let gwp = self.required_quantity(
            inv,
            "gwp",
            "gross world product at start_year in dollars (needed by max_fraction_of_gwp)",
        )?;
        let growth = self
            .optional_quantity(inv, "gwp_growth_per_year", true)?
            .unwrap_or(Quantity::Fixed(1.0));
        // As for max_spend: a cap below a fixed starting spend would replace it (for
        // uncertain parts, at their medians).
        if let Some(Quantity::Fixed(start)) = initial {
            let median = |q: Quantity| match q {
                Quantity::Fixed(v) => v,
                Quantity::Input(i) => self.inputs[i].dist.median(),
            };
            let cap = median(fraction) * median(gwp);
            if cap < start * (1.0 - 1e-9) {
                return Err(self.err(
                    &inv.key_span("max_fraction_of_gwp"),
                    &inv.key_path("max_fraction_of_gwp"),
                    format!(
                        "caps the spend at {} (max_fraction_of_gwp × gwp), below frontier_spend = {}: the cap would replace the starting spend; is the share a percentage (1% is 0.01)?",
                        format_number(cap),
                        format_number(start)
                    ),
                ));
            }
        }
        Ok(Some(Cap::ShareOfGwp {
            fraction,
            gwp,
            growth,
        }))
    }

    /// Refuses a process whose values could leave the range of floating point within the
    /// horizon (or the 50 years before it that access lags may reach): its starting value at its
    /// 1e-6 and 1 − 1e-6 quantiles, moved at its fastest and slowest rates, capped by its caps'
    /// largest values, must stay within `e^±LN_LIMIT`, or costs and trajectories would become
    /// infinite or zero (and a NaN could reach an output).
    pub(super) fn stays_finite(
        &self,
        t: &Table,
        key: &str,
        p: &Process,
        ctx: &Horizon,
    ) -> Result<()> {
        let range = |q: Quantity| match q {
            Quantity::Fixed(v) => (v, v),
            Quantity::Input(i) => {
                let d = &self.inputs[i].dist;
                (d.quantile(TAIL), d.quantile(1.0 - TAIL))
            }
        };
        let (lo0, hi0) = p.initial.map_or((0.0, 0.0), |q| {
            let (a, b) = range(q);
            (a.ln(), b.ln())
        });
        let mut rates = Vec::new();
        for r in &p.regimes {
            let (a, b) = range(r.value);
            let (x, y) = (r.kind.to_log_rate(a), r.kind.to_log_rate(b));
            rates.push((x.min(y), x.max(y)));
        }
        let fastest = rates.iter().map(|r| r.1).fold(0.0, f64::max);
        let slowest = rates.iter().map(|r| r.0).fold(0.0, f64::min);
        let (first_lo, first_hi) = rates.first().copied().unwrap_or((0.0, 0.0));
        let span = ctx.end - ctx.start;
        let back = MAX_LAG_YEARS;
        let mut hi = hi0 + fastest * span + (-first_lo).max(0.0) * back;
        let lo = lo0 + slowest * span - first_hi.max(0.0) * back;
        for cap in &p.caps {
            let cap_hi = match *cap {
                Cap::Level(q) => range(q).1.ln(),
                Cap::ShareOfGwp {
                    fraction,
                    gwp,
                    growth,
                } => {
                    range(fraction).1.ln()
                        + range(gwp).1.ln()
                        + range(growth).1.ln().max(0.0) * span
                }
            };
            hi = hi.min(cap_hi.max(lo0.max(hi0)));
        }
        if lo.is_finite() && hi.is_finite() && lo >= -LN_LIMIT && hi <= LN_LIMIT {
            return Ok(());
        }
        let reach = if !(hi <= LN_LIMIT) { hi } else { lo };
        let what = if reach.is_finite() {
            format!("about 1e{:.0}", reach / std::f64::consts::LN_10)
        } else if reach > 0.0 {
            "infinity".to_string()
        } else {
            "zero".to_string()
        };
        Err(self.err(
            &t.get(key).map_or(t.span.clone(), |v| v.span()),
            &t.key_path(key),
            format!(
                "with these values the process can reach {what} within the horizon (its 1e-6 tails, its fastest and slowest rates, and the {back:.0} years before the start that access lags may reach), beyond what floating point holds (about 1e±{:.0}); narrow the distribution or the rate",
                LN_LIMIT / std::f64::consts::LN_10
            ),
        ))
    }

    /// A cap below a fixed starting value would silently replace it: an error.
    pub(super) fn cap_not_below_start(
        &self,
        t: &Table,
        key: &str,
        initial: Option<Quantity>,
        cap: Option<Quantity>,
    ) -> Result<()> {
        match (initial, cap) {
            (Some(Quantity::Fixed(start)), Some(q)) => self.check_bound(
                t,
                key,
                q,
                start,
                true,
                "a cap below the value at the start would replace it",
            ),
            _ => Ok(()),
        }
    }

    /// The rate of a process: one rate key directly in its table, or `[[<path>.regime]]` tables.
    pub(super) fn regimes(
        &mut self,
        t: &Table,
        kinds: &[RateKind],
        ctx: &Horizon,
        required: bool,
    ) -> Result<Vec<Regime>> {
        let direct = self.rate(t, kinds)?;
        let tables = self.array_of_tables(t, "regime")?;
        match (direct, tables.is_empty()) {
            (Some((kind, value)), true) => Ok(vec![Regime {
                until: None,
                kind,
                value,
            }]),
            (Some(_), false) => Err(self.err(
                &t.key_span("regime"),
                &t.key_path("regime"),
                format!(
                    "give the rate either directly in [{}] or in [[{}.regime]] tables, not both",
                    t.path, t.path
                ),
            )),
            (None, true) if required => Err(self.err(
                &t.span,
                &t.path,
                format!(
                    "missing rate: give one of {} in [{}], or [[{}.regime]] tables",
                    list(&rate_keys(kinds)),
                    t.path,
                    t.path
                ),
            )),
            (None, true) => Ok(vec![Regime {
                until: None,
                kind: RateKind::GrowthPerYear,
                value: Quantity::Fixed(1.0),
            }]),
            (None, false) => {
                let mut regimes = Vec::new();
                let mut prev = ctx.start;
                let n = tables.len();
                for (i, r) in tables.into_iter().enumerate() {
                    let mut keys = vec!["until"];
                    keys.extend(rate_keys(kinds));
                    self.check_keys(&r, &keys)?;
                    let until = match r.get("until") {
                        Some(v) => {
                            let y = self.year(v, &r.key_path("until"))?;
                            let last = i + 1 == n;
                            if last && y != ctx.end {
                                return Err(self.err(&v.span(), &r.key_path("until"), format!("the last regime runs to the horizon ({}); remove `until` or set it to end_year", ctx.end)));
                            }
                            let inside = y > prev && y < ctx.end;
                            if !last && !inside {
                                return Err(self.err(&v.span(), &r.key_path("until"), format!("regime years must increase and lie inside the horizon: expected a year after {prev} and before {}, got {y}", ctx.end)));
                            }
                            prev = y;
                            if last { None } else { Some(y) }
                        }
                        None if i + 1 < n => {
                            return Err(self.err(&r.span, &r.key_path("until"), "missing required key: every regime but the last needs `until`, the year it ends"));
                        }
                        None => None,
                    };
                    let Some((kind, value)) = self.rate(&r, kinds)? else {
                        return Err(self.err(
                            &r.span,
                            &r.path,
                            format!("missing rate: give one of {}", list(&rate_keys(kinds))),
                        ));
                    };
                    regimes.push(Regime { until, kind, value });
                }
                Ok(regimes)
            }
        }
    }

    /// The single rate key of a table, if any; two rate keys are an error.
    pub(super) fn rate(
        &mut self,
        t: &Table,
        kinds: &[RateKind],
    ) -> Result<Option<(RateKind, Quantity)>> {
        let present: Vec<RateKind> = kinds
            .iter()
            .copied()
            .filter(|k| t.get(k.key()).is_some())
            .collect();
        if present.len() > 1 {
            let k = present[1].key();
            return Err(self.err(
                &t.key_span(k),
                &t.key_path(k),
                format!(
                    "two rate keys in one place (`{}` and `{k}`); give exactly one of {}",
                    present[0].key(),
                    list(&rate_keys(kinds))
                ),
            ));
        }
        let Some(&kind) = present.first() else {
            return Ok(None);
        };
        let v = t.get(kind.key()).expect("present");
        let q = self.quantity(v, t.key_path(kind.key()), kind.needs_positive())?;
        // Bound the rate so that trajectories stay within floating-point range and the
        // accumulators within memory: 10 natural-log units a year is ×22,000 a year.
        let (lo, hi) = match q {
            Quantity::Fixed(x) => (x, x),
            Quantity::Input(i) => {
                let d = &self.inputs[i].dist;
                (d.quantile(1e-3), d.quantile(1.0 - 1e-3))
            }
        };
        let fastest = kind.to_log_rate(lo).abs().max(kind.to_log_rate(hi).abs());
        if !(fastest <= MAX_LOG_RATE) {
            return Err(self.err(
                &v.span(),
                &t.key_path(kind.key()),
                format!(
                    "implies a rate of {} natural-log units a year (at its 0.1% or 99.9% point); allowed: at most {MAX_LOG_RATE} (×22,000 a year, e.g. a doubling time of at least 0.07 years or |ooms_per_year| ≤ 4.3)",
                    format_number(fastest)
                ),
            ));
        }
        Ok(Some((kind, q)))
    }
}
