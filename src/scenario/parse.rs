//! Walks the parsed TOML tree (with byte spans) and validates it into a [`Scenario`].
//! Every error names `file:line:column`, the key, what is wrong and what is allowed.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ScenarioError, Source};
use super::number::{parse_amount, split_interval};
use super::{
    Actor, ActorBudget, Cap, Input, Process, Quantity, Regime, Scenario, Target, TargetKind,
};
use crate::dist::Dist;
use crate::model::RateKind;

type Result<T> = std::result::Result<T, ScenarioError>;
type Value<'a> = Spanned<DeValue<'a>>;

const TOP_KEYS: &[&str] = &[
    "scenario",
    "hardware",
    "algorithms",
    "investment",
    "costs",
    "actor",
    "target",
];
const SCENARIO_KEYS: &[&str] = &[
    "name",
    "description",
    "start_year",
    "end_year",
    "samples",
    "seed",
    "report_step",
];
const DIST_FAMILIES: &[&str] = &[
    "interval",
    "normal",
    "lognormal",
    "uniform",
    "loguniform",
    "triangular",
    "pert",
    "beta",
    "mixture",
];
const HW_RATES: &[RateKind] = &[
    RateKind::DoublingTime,
    RateKind::GrowthPerYear,
    RateKind::OomsPerYear,
];
const ALG_RATES: &[RateKind] = &[
    RateKind::HalvingTime,
    RateKind::GrowthPerYear,
    RateKind::OomsPerYear,
];
const DEFAULT_SAMPLES: u64 = 100_000;
const MAX_SAMPLES: u64 = 1_000_000_000_000;
const MAX_REPORT_YEARS: usize = 2_000;

/// Parses and validates scenario text.
pub fn parse(path: &Path, text: &str) -> Result<Scenario> {
    let src = Source { path, text };
    let root = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.error(&span, "", format!("not valid TOML: {}", e.message()))
    })?;
    let mut p = Parser {
        src: &src,
        inputs: Vec::new(),
    };
    p.scenario(&Table {
        path: String::new(),
        map: root.get_ref(),
        span: root.span(),
    })
}

/// A TOML table with its dotted path and span.
struct Table<'a, 'i> {
    path: String,
    map: &'a DeTable<'i>,
    span: Range<usize>,
}

impl<'a, 'i> Table<'a, 'i> {
    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn key_span(&self, key: &str) -> Range<usize> {
        self.map
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map_or(self.span.clone(), |(k, _)| k.span())
    }
}

struct Parser<'s> {
    src: &'s Source<'s>,
    inputs: Vec<Input>,
}

/// The value of a TOML integer (decimal, hex, octal or binary).
fn int_value(i: &toml::de::DeInteger) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// What kind of value a TOML value is, for messages.
fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The allowed key closest to `key`, if it is close enough to be a likely typo.
fn suggestion<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(key, a), *a))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a)
}

fn rate_keys(kinds: &[RateKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.key()).collect()
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'s> Parser<'s> {
    fn err(&self, span: &Range<usize>, key: &str, msg: impl Into<String>) -> ScenarioError {
        self.src.error(span, key, msg)
    }

    /// Rejects keys outside `allowed`, with a "did you mean" hint.
    fn check_keys(&self, t: &Table, allowed: &[&str]) -> Result<()> {
        for (k, _) in t.map.iter() {
            let key = k.get_ref().as_ref();
            if !allowed.contains(&key) {
                let place = if t.path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in [{}]", t.path)
                };
                let hint = suggestion(key, allowed)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    &k.span(),
                    &t.key_path(key),
                    format!("unknown key {place}; {hint}allowed keys: {}", list(allowed)),
                ));
            }
        }
        Ok(())
    }

    fn required<'a, 'i>(&self, t: &Table<'a, 'i>, key: &str, what: &str) -> Result<&'a Value<'i>> {
        t.get(key).ok_or_else(|| {
            let place = if t.path.is_empty() {
                "the file".to_string()
            } else {
                format!("[{}]", t.path)
            };
            self.err(
                &t.span,
                &t.key_path(key),
                format!("missing required key in {place}: {what}"),
            )
        })
    }

    fn table<'a, 'i>(&self, v: &'a Value<'i>, path: String, what: &str) -> Result<Table<'a, 'i>> {
        match v.get_ref() {
            DeValue::Table(map) => Ok(Table {
                path,
                map,
                span: v.span(),
            }),
            other => Err(self.err(
                &v.span(),
                &path,
                format!("expected {what}, found {}", type_name(other)),
            )),
        }
    }

    fn string(&self, v: &Value, key: &str) -> Result<String> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            other => Err(self.err(
                &v.span(),
                key,
                format!("expected a string, found {}", type_name(other)),
            )),
        }
    }

    /// A plain number (integers, floats, or text like "$250M"); never a distribution.
    fn plain_number(&self, v: &Value, key: &str) -> Result<f64> {
        let bad = |msg: String| self.err(&v.span(), key, msg);
        let x = match v.get_ref() {
            DeValue::Integer(i) => {
                int_value(i).ok_or_else(|| bad("integer out of range".into()))? as f64
            }
            DeValue::Float(f) => f
                .as_str()
                .replace('_', "")
                .parse::<f64>()
                .map_err(|_| bad("not a number".into()))?,
            DeValue::String(s) => parse_amount(s).ok_or_else(|| {
                bad(format!(
                    "\"{s}\" is not a number; write e.g. 2.5, 1e25, \"$250M\" or \"1.5B\""
                ))
            })?,
            other => {
                return Err(bad(format!(
                    "expected a number, found {}",
                    type_name(other)
                )));
            }
        };
        if !x.is_finite() {
            return Err(bad(format!("must be a finite number, got {x}")));
        }
        Ok(x)
    }

    fn year(&self, v: &Value, key: &str) -> Result<f64> {
        if let DeValue::Table(_) = v.get_ref() {
            return Err(self.err(&v.span(), key, "must be a plain year, not a distribution"));
        }
        if let DeValue::String(s) = v.get_ref() {
            if split_interval(s).is_some() {
                return Err(self.err(&v.span(), key, "must be a plain year, not an interval"));
            }
        }
        let y = self.plain_number(v, key)?;
        if !(1000.0..=3000.0).contains(&y) {
            return Err(self.err(
                &v.span(),
                key,
                format!("{y} is not a plausible calendar year (allowed: 1000 to 3000)"),
            ));
        }
        Ok(y)
    }

    fn scenario(&mut self, root: &Table) -> Result<Scenario> {
        self.check_keys(root, TOP_KEYS)?;
        let head = self.table(
            self.required(root, "scenario", "the [scenario] table")?,
            "scenario".into(),
            "a table",
        )?;
        self.check_keys(&head, SCENARIO_KEYS)?;
        let name = self.string(
            self.required(&head, "name", "a name for the scenario")?,
            "scenario.name",
        )?;
        let description = head
            .get("description")
            .map(|v| self.string(v, "scenario.description"))
            .transpose()?;
        let start_year = self.year(
            self.required(&head, "start_year", "the first year, e.g. 2025.0")?,
            "scenario.start_year",
        )?;
        let end_v = self.required(
            &head,
            "end_year",
            "the last year (the horizon), e.g. 2060.0",
        )?;
        let end_year = self.year(end_v, "scenario.end_year")?;
        if !(end_year > start_year) {
            return Err(self.err(
                &end_v.span(),
                "scenario.end_year",
                format!("must be after start_year ({start_year}), got {end_year}"),
            ));
        }
        if end_year - start_year > 500.0 {
            return Err(self.err(
                &end_v.span(),
                "scenario.end_year",
                "the horizon may span at most 500 years",
            ));
        }
        let samples = match head.get("samples") {
            Some(v) => self.count(v, "scenario.samples", 1, MAX_SAMPLES)?,
            None => DEFAULT_SAMPLES,
        };
        let seed = match head.get("seed") {
            Some(v) => self.count(v, "scenario.seed", 0, i64::MAX as u64)?,
            None => 0,
        };
        let report_years = self.report_years(&head, start_year, end_year)?;
        let ctx = Horizon {
            start: start_year,
            end: end_year,
        };

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
        let regimes = self.regimes(&hw, HW_RATES, &ctx, true)?;
        let caps = self
            .optional_quantity(&hw, "max_flop_per_dollar", true)?
            .map(Cap::Level)
            .into_iter()
            .collect();
        let hardware = Process {
            initial,
            regimes,
            caps,
        };

        let alg = self.table(
            self.required(root, "algorithms", "the [algorithms] table")?,
            "algorithms".into(),
            "a table",
        )?;
        let mut keys = vec!["max_improvement", "regime"];
        keys.extend(rate_keys(ALG_RATES));
        self.check_keys(&alg, &keys)?;
        let regimes = self.regimes(&alg, ALG_RATES, &ctx, true)?;
        let caps = self
            .optional_quantity(&alg, "max_improvement", true)?
            .map(Cap::Level)
            .into_iter()
            .collect();
        let algorithms = Process {
            initial: None,
            regimes,
            caps,
        };

        let investment = self.investment(root, &ctx)?;
        let overhead = match root.get("costs") {
            Some(v) => {
                let costs = self.table(v, "costs".into(), "a table")?;
                self.check_keys(&costs, &["overhead"])?;
                self.optional_quantity(&costs, "overhead", true)?
                    .unwrap_or(Quantity::Fixed(1.0))
            }
            None => Quantity::Fixed(1.0),
        };
        let actors = self.actors(root, &ctx)?;
        let targets = self.targets(root, &ctx)?;
        Ok(Scenario {
            path: self.src.path.to_path_buf(),
            name,
            description,
            start_year,
            end_year,
            samples,
            seed,
            report_years,
            hardware,
            algorithms,
            investment,
            overhead,
            actors,
            targets,
            inputs: std::mem::take(&mut self.inputs),
        })
    }

    fn count(&self, v: &Value, key: &str, min: u64, max: u64) -> Result<u64> {
        match v.get_ref() {
            DeValue::Integer(i) => match int_value(i) {
                Some(n) if n >= min as i64 && (n as u64) <= max => Ok(n as u64),
                _ => Err(self.err(
                    &v.span(),
                    key,
                    format!("must be a whole number from {min} to {max}, got {i}"),
                )),
            },
            other => Err(self.err(
                &v.span(),
                key,
                format!("expected a whole number, found {}", type_name(other)),
            )),
        }
    }

    fn report_years(&self, head: &Table, start: f64, end: f64) -> Result<Vec<f64>> {
        let step = match head.get("report_step") {
            Some(v) => {
                let s = self.plain_number(v, "scenario.report_step")?;
                if !(s > 0.0) || (end - start) / s > MAX_REPORT_YEARS as f64 {
                    return Err(self.err(&v.span(), "scenario.report_step", format!(
                        "must be a positive number of years giving at most {MAX_REPORT_YEARS} reporting years, got {s}"
                    )));
                }
                s
            }
            None => 1.0,
        };
        let first = start.ceil();
        let years: Vec<f64> = (0..)
            .map(|k| first + k as f64 * step)
            .take_while(|y| *y <= end + 1e-9)
            .collect();
        if years.is_empty() {
            return Err(self.err(
                &head.span,
                "scenario.report_step",
                "no whole reporting year falls within the horizon",
            ));
        }
        Ok(years)
    }

    fn investment(&mut self, root: &Table, ctx: &Horizon) -> Result<Process> {
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
        let mut caps = Vec::new();
        if let Some(fraction) = self.optional_quantity(&inv, "max_fraction_of_gwp", true)? {
            let gwp = self.required_quantity(
                &inv,
                "gwp",
                "gross world product at start_year in dollars (needed by max_fraction_of_gwp)",
            )?;
            let growth = self
                .optional_quantity(&inv, "gwp_growth_per_year", true)?
                .unwrap_or(Quantity::Fixed(1.0));
            caps.push(Cap::ShareOfGwp {
                fraction,
                gwp,
                growth,
            });
        } else {
            for key in ["gwp", "gwp_growth_per_year"] {
                if inv.get(key).is_some() {
                    return Err(self.err(
                        &inv.key_span(key),
                        &inv.key_path(key),
                        "only used with `max_fraction_of_gwp`; add that cap or remove this key",
                    ));
                }
            }
        }
        if let Some(q) = self.optional_quantity(&inv, "max_spend", true)? {
            caps.push(Cap::Level(q));
        }
        Ok(Process {
            initial,
            regimes,
            caps,
        })
    }

    fn actors(&mut self, root: &Table, ctx: &Horizon) -> Result<Vec<Actor>> {
        let mut actors: Vec<Actor> = Vec::new();
        for (i, t) in self.array_of_tables(root, "actor")?.into_iter().enumerate() {
            let name_v = self.required(&t, "name", "the actor class's name")?;
            let name = self.string(name_v, &format!("actor[{}].name", i + 1))?;
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
            let mut keys = vec!["name", "budget", "max_budget", "regime"];
            keys.extend(rate_keys(HW_RATES));
            self.check_keys(&t, &keys)?;
            let budget_v = self.required(
                &t,
                "budget",
                "the budget at start_year in dollars, or \"frontier\"",
            )?;
            let budget = if matches!(budget_v.get_ref(), DeValue::String(s) if s.trim().eq_ignore_ascii_case("frontier"))
            {
                for key in keys.iter().skip(2) {
                    if t.get(key).is_some() {
                        return Err(self.err(&t.key_span(key), &t.key_path(key), "a \"frontier\" budget moves with the frontier spend; it takes no growth, regimes or cap"));
                    }
                }
                ActorBudget::Frontier
            } else {
                let initial = Some(self.quantity(budget_v, t.key_path("budget"), true)?);
                let regimes = self.regimes(&t, HW_RATES, ctx, false)?;
                let caps = self
                    .optional_quantity(&t, "max_budget", true)?
                    .map(Cap::Level)
                    .into_iter()
                    .collect();
                ActorBudget::Own(Process {
                    initial,
                    regimes,
                    caps,
                })
            };
            actors.push(Actor { name, budget });
        }
        if actors.is_empty() {
            return Err(self.err(
                &root.span,
                "actor",
                "a scenario needs at least one [[actor]] table",
            ));
        }
        Ok(actors)
    }

    fn targets(&mut self, root: &Table, ctx: &Horizon) -> Result<Vec<Target>> {
        let mut targets: Vec<Target> = Vec::new();
        for (i, t) in self
            .array_of_tables(root, "target")?
            .into_iter()
            .enumerate()
        {
            let name_v = self.required(&t, "name", "the target's name")?;
            let name = self.string(name_v, &format!("target[{}].name", i + 1))?;
            if targets.iter().any(|a| a.name == name) {
                return Err(self.err(
                    &name_v.span(),
                    &format!("target[{}].name", i + 1),
                    format!("duplicate target name \"{name}\"; every target needs its own name"),
                ));
            }
            let t = Table {
                path: format!("target.{}", quoted(&name)),
                ..t
            };
            self.check_keys(&t, &["name", "flop", "flop_year", "frontier_year"])?;
            let kind = match (t.get("flop"), t.get("frontier_year")) {
                (Some(_), Some(_)) => {
                    return Err(self.err(
                        &t.key_span("frontier_year"),
                        &t.key_path("frontier_year"),
                        "give either `flop` (a fixed capability) or `frontier_year`, not both",
                    ));
                }
                (None, None) => {
                    return Err(self.err(&t.span, &t.key_path("flop"), "missing required key: `flop` (FLOP the capability needs) or `frontier_year` (the frontier of that year)"));
                }
                (Some(flop_v), None) => {
                    let flop = self.quantity(flop_v, t.key_path("flop"), true)?;
                    let flop_year = match t.get("flop_year") {
                        Some(v) => {
                            let y = self.year(v, &t.key_path("flop_year"))?;
                            if y > ctx.end {
                                return Err(self.err(
                                    &v.span(),
                                    &t.key_path("flop_year"),
                                    format!("must not be after end_year ({}), got {y}", ctx.end),
                                ));
                            }
                            Some(y)
                        }
                        None => None,
                    };
                    TargetKind::Fixed { flop, flop_year }
                }
                (None, Some(v)) => {
                    if t.get("flop_year").is_some() {
                        return Err(self.err(&t.key_span("flop_year"), &t.key_path("flop_year"), "only used with `flop`; a frontier target's requirement is the frontier run of its year"));
                    }
                    let year = self.year(v, &t.key_path("frontier_year"))?;
                    if year < ctx.start || year > ctx.end {
                        return Err(self.err(
                            &v.span(),
                            &t.key_path("frontier_year"),
                            format!(
                                "must lie within the horizon [{}, {}], got {year}",
                                ctx.start, ctx.end
                            ),
                        ));
                    }
                    TargetKind::FrontierOf { year }
                }
            };
            targets.push(Target { name, kind });
        }
        if targets.is_empty() {
            return Err(self.err(
                &root.span,
                "target",
                "a scenario needs at least one [[target]] table",
            ));
        }
        Ok(targets)
    }

    fn array_of_tables<'a, 'i>(
        &self,
        root: &Table<'a, 'i>,
        key: &str,
    ) -> Result<Vec<Table<'a, 'i>>> {
        let Some(v) = root.get(key) else {
            return Ok(Vec::new());
        };
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.err(
                &v.span(),
                key,
                format!(
                    "expected an array of tables written [[{key}]], found {}",
                    type_name(v.get_ref())
                ),
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.table(
                    item,
                    format!("{}[{}]", root.key_path(key), i + 1),
                    &format!("a table written [[{key}]]"),
                )
            })
            .collect()
    }

    /// The rate of a process: one rate key directly in its table, or `[[<path>.regime]]` tables.
    fn regimes(
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
                            if !last && !(y > prev && y < ctx.end) {
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
    fn rate(&mut self, t: &Table, kinds: &[RateKind]) -> Result<Option<(RateKind, Quantity)>> {
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
        let q = self.quantity(
            t.get(kind.key()).expect("present"),
            t.key_path(kind.key()),
            kind.needs_positive(),
        )?;
        Ok(Some((kind, q)))
    }

    fn required_quantity(&mut self, t: &Table, key: &str, what: &str) -> Result<Quantity> {
        let v = self.required(t, key, what)?;
        self.quantity(v, t.key_path(key), true)
    }

    fn optional_quantity(
        &mut self,
        t: &Table,
        key: &str,
        positive: bool,
    ) -> Result<Option<Quantity>> {
        t.get(key)
            .map(|v| self.quantity(v, t.key_path(key), positive))
            .transpose()
    }

    /// A number or a distribution; distributions become named inputs.
    fn quantity(&mut self, v: &Value, name: String, positive: bool) -> Result<Quantity> {
        let dist = self.dist(v, &name)?;
        if positive && !dist.is_strictly_positive() {
            let msg = if dist.is_point() {
                format!("must be positive, got {}", dist.median())
            } else {
                "must be positive, but this distribution can produce values ≤ 0; use a positive \"low to high\" interval, a lognormal, or add a positive `min` (e.g. { normal = { mean = 2, sd = 1 }, min = 0.1 })".to_string()
            };
            return Err(self.err(&v.span(), &name, msg));
        }
        if let crate::dist::Shape::Point(x) = dist.shape() {
            return Ok(Quantity::Fixed(*x));
        }
        let written = self
            .src
            .text
            .get(v.span())
            .unwrap_or_default()
            .trim()
            .to_string();
        self.inputs.push(Input {
            name,
            dist,
            written,
        });
        Ok(Quantity::Input(self.inputs.len() - 1))
    }

    /// Any of the distribution forms of MODEL.md.
    fn dist(&self, v: &Value, key: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&v.span(), key, msg);
        match v.get_ref() {
            DeValue::String(s) => {
                if let Some((lo, hi)) = split_interval(s) {
                    let (a, b) = (parse_amount(lo), parse_amount(hi));
                    let (Some(a), Some(b)) = (a, b) else {
                        return Err(at(format!(
                            "\"{s}\" is not a valid interval; write \"low to high\" with two numbers, e.g. \"2 to 3\" or \"$10K to $1M\""
                        )));
                    };
                    return Dist::interval(a, b).map_err(at);
                }
                Dist::point(self.plain_number(v, key)?).map_err(at)
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                Dist::point(self.plain_number(v, key)?).map_err(at)
            }
            DeValue::Table(_) => {
                let t = self.table(v, key.to_string(), "a distribution table")?;
                let mut keys = DIST_FAMILIES.to_vec();
                keys.extend(["min", "max"]);
                self.check_keys(&t, &keys)?;
                let families: Vec<&str> = DIST_FAMILIES
                    .iter()
                    .copied()
                    .filter(|f| t.get(f).is_some())
                    .collect();
                let family = match families.as_slice() {
                    [f] => *f,
                    [] => {
                        return Err(at(format!(
                            "a distribution table needs one of {}",
                            list(DIST_FAMILIES)
                        )));
                    }
                    [a, b, ..] => {
                        return Err(self.err(
                            &t.key_span(b),
                            &t.key_path(b),
                            format!("a distribution has one form; found both `{a}` and `{b}`"),
                        ));
                    }
                };
                let body = t.get(family).expect("present");
                let path = t.key_path(family);
                let base = self.family(family, body, &path)?;
                let min = t
                    .get("min")
                    .map(|m| self.plain_number(m, &t.key_path("min")))
                    .transpose()?;
                let max = t
                    .get("max")
                    .map(|m| self.plain_number(m, &t.key_path("max")))
                    .transpose()?;
                if min.is_none() && max.is_none() {
                    return Ok(base);
                }
                base.truncate(min, max).map_err(|e| {
                    self.err(
                        &t.key_span(if min.is_some() { "min" } else { "max" }),
                        key,
                        e,
                    )
                })
            }
            other => Err(at(format!(
                "expected a number, a \"low to high\" interval, or a distribution table like {{ normal = {{ mean = 0, sd = 1 }} }}; found {}",
                type_name(other)
            ))),
        }
    }

    fn family(&self, family: &str, body: &Value, path: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&body.span(), path, msg);
        if family == "interval" {
            let DeValue::String(s) = body.get_ref() else {
                return Err(at(
                    "expected a \"low to high\" string, e.g. \"2 to 3\"".into()
                ));
            };
            if split_interval(s).is_none() {
                return Err(at(format!("\"{s}\" is not a \"low to high\" interval")));
            }
            return self.dist(body, path);
        }
        if family == "mixture" {
            let DeValue::Array(items) = body.get_ref() else {
                return Err(at(
                    "expected an array of { weight = w, dist = ... } tables".into()
                ));
            };
            let mut comps = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let c = self.table(
                    item,
                    format!("{path}[{}]", i + 1),
                    "a { weight = w, dist = ... } table",
                )?;
                self.check_keys(&c, &["weight", "dist"])?;
                let w = self.plain_number(
                    self.required(&c, "weight", "the component's weight")?,
                    &c.key_path("weight"),
                )?;
                let d = self.dist(
                    self.required(&c, "dist", "the component's distribution")?,
                    &c.key_path("dist"),
                )?;
                comps.push((w, d));
            }
            return Dist::mixture(comps).map_err(at);
        }
        let t = self.table(
            body,
            path.to_string(),
            &format!("a table of {family} parameters"),
        )?;
        let params: &[&str] = match family {
            "normal" => &["mean", "sd"],
            "lognormal" => {
                if t.get("p5").is_some() || t.get("p95").is_some() {
                    &["p5", "p95"]
                } else {
                    &["median", "sigma"]
                }
            }
            "uniform" | "loguniform" => &["min", "max"],
            "triangular" | "pert" => &["min", "mode", "max"],
            "beta" => &["alpha", "beta"],
            _ => unreachable!("families are checked against DIST_FAMILIES"),
        };
        let allowed: Vec<&str> = if family == "lognormal" {
            vec!["median", "sigma", "p5", "p95"]
        } else {
            params.to_vec()
        };
        self.check_keys(&t, &allowed)?;
        let mut x = Vec::new();
        for p in params {
            let v = self.required(&t, p, &format!("`{p}` of the {family} distribution"))?;
            x.push(self.plain_number(v, &t.key_path(p))?);
        }
        match family {
            "normal" => Dist::normal(x[0], x[1]),
            "lognormal" if params[0] == "p5" => Dist::lognormal_interval(x[0], x[1]),
            "lognormal" => Dist::lognormal(x[0], x[1]),
            "uniform" => Dist::uniform(x[0], x[1]),
            "loguniform" => Dist::loguniform(x[0], x[1]),
            "triangular" => Dist::triangular(x[0], x[1], x[2]),
            "pert" => Dist::pert(x[0], x[1], x[2]),
            _ => Dist::beta(x[0], x[1]),
        }
        .map_err(at)
    }
}

/// The horizon, for checking years.
struct Horizon {
    start: f64,
    end: f64,
}

/// A name as it appears in a dotted key: `"Academic labs"`.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}
