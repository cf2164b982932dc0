//! Walks the parsed TOML tree (with byte spans) and validates it into a [`Scenario`].
//! Every error names `file:line:column`, the key, what is wrong and what is allowed.

use std::path::Path;

use sha2::{Digest, Sha256};

use toml::de::{DeTable, DeValue};

use super::error::Source;
use super::number::format_number;
use super::walk::{Parser, Result, Table, list, rate_keys, type_name};
use super::{Actor, ActorBudget, Cap, Process, Quantity, Regime, Scenario, Target, TargetKind};
use crate::correlation::{Copula, Pair};
use crate::model::RateKind;

const TOP_KEYS: &[&str] = &[
    "scenario",
    "hardware",
    "algorithms",
    "investment",
    "costs",
    "actor",
    "target",
    "correlation",
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
/// The fastest rate a process may move at, natural-log units per year.
const MAX_LOG_RATE: f64 = 10.0;

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
        fixed: Vec::new(),
    };
    p.scenario(&Table {
        path: String::new(),
        map: root.get_ref(),
        span: root.span(),
    })
}

impl Parser<'_> {
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
        let cap = self.optional_quantity(&hw, "max_flop_per_dollar", true)?;
        self.cap_not_below_start(&hw, "max_flop_per_dollar", initial, cap)?;
        let caps = cap.map(Cap::Level).into_iter().collect();
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
                let q = self
                    .optional_quantity(&costs, "overhead", true)?
                    .unwrap_or(Quantity::Fixed(1.0));
                let why = "a whole project costs at least its final run";
                self.check_bound(&costs, "overhead", q, 1.0, true, why)?;
                q
            }
            None => Quantity::Fixed(1.0),
        };
        let actors = self.actors(root, &ctx)?;
        let targets = self.targets(root, &ctx)?;
        let (correlations, copula) = self.correlations(root)?;
        Ok(Scenario {
            path: self.src.path.to_path_buf(),
            sha256: Sha256::digest(self.src.text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
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
            correlations,
            copula,
        })
    }

    fn report_years(&self, head: &Table, start: f64, end: f64) -> Result<Vec<f64>> {
        // Whole years by default; with an explicit step, every step from the start year.
        let (first, step) = match head.get("report_step") {
            Some(v) => {
                let s = self.plain_number(v, "scenario.report_step")?;
                if !(s > 0.0) || (end - start) / s > MAX_REPORT_YEARS as f64 {
                    return Err(self.err(&v.span(), "scenario.report_step", format!(
                        "must be a positive number of years giving at most {MAX_REPORT_YEARS} reporting years, got {s}"
                    )));
                }
                (start, s)
            }
            None => (start.ceil(), 1.0),
        };
        let years: Vec<f64> = (0..)
            .map(|k| first + k as f64 * step)
            .take_while(|y| *y <= end + 1e-9)
            .collect();
        if years.is_empty() {
            return Err(self.err(
                &head.span,
                "scenario.report_step",
                "no whole year falls within the horizon; set `report_step` to report from start_year",
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
            let why = "a share of world output";
            self.check_bound(&inv, "max_fraction_of_gwp", fraction, 1.0, false, why)?;
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
            self.cap_not_below_start(&inv, "max_spend", initial, Some(q))?;
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
        let mut keys = vec!["name", "budget", "max_budget", "regime"];
        keys.extend(rate_keys(HW_RATES));
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
                let cap = self.optional_quantity(&t, "max_budget", true)?;
                self.cap_not_below_start(&t, "max_budget", initial, cap)?;
                let caps = cap.map(Cap::Level).into_iter().collect();
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
        let keys = [
            "name",
            "flop",
            "flop_year",
            "frontier_year",
            "frontier_years",
        ];
        for (i, t) in self
            .array_of_tables(root, "target")?
            .into_iter()
            .enumerate()
        {
            // Name the table after its `name` when it has one, so errors say `target."Lab".key`.
            let t = match t.get("name").map(|v| v.get_ref()) {
                Some(DeValue::String(name)) => Table {
                    path: format!("target.{}", quoted(name)),
                    ..t
                },
                _ => t,
            };
            self.check_keys(&t, &keys)?;
            let name_v = self.required(&t, "name", "the target's name")?;
            let name = self.string(name_v, &format!("target[{}].name", i + 1))?;
            let t = Table {
                path: format!("target.{}", quoted(&name)),
                ..t
            };
            let given: Vec<&str> = ["flop", "frontier_year", "frontier_years"]
                .into_iter()
                .filter(|k| t.get(k).is_some())
                .collect();
            let expanded: Vec<(String, TargetKind)> = match given.as_slice() {
                [] => {
                    return Err(self.err(&t.span, &t.key_path("flop"), "missing required key: `flop` (FLOP the capability needs), `frontier_year` (the frontier of that year) or `frontier_years` (a list of them)"));
                }
                [a, b, ..] => {
                    return Err(self.err(&t.key_span(b), &t.key_path(b), format!("give one of `flop`, `frontier_year` or `frontier_years`, not both `{a}` and `{b}`")));
                }
                ["flop"] => {
                    let flop =
                        self.quantity(t.get("flop").expect("given"), t.key_path("flop"), true)?;
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
                    vec![(name.clone(), TargetKind::Fixed { flop, flop_year })]
                }
                [key] => {
                    if t.get("flop_year").is_some() {
                        return Err(self.err(&t.key_span("flop_year"), &t.key_path("flop_year"), "only used with `flop`; a frontier target's requirement is the frontier run of its year"));
                    }
                    let v = t.get(key).expect("given");
                    let path = t.key_path(key);
                    let years: Vec<(f64, &toml::Spanned<DeValue>)> = if *key == "frontier_year" {
                        vec![(self.year(v, &path)?, v)]
                    } else {
                        let DeValue::Array(items) = v.get_ref() else {
                            return Err(self.err(
                                &v.span(),
                                &path,
                                format!(
                                    "expected a list of years, e.g. [2025, 2030, 2035], found {}",
                                    type_name(v.get_ref())
                                ),
                            ));
                        };
                        if items.is_empty() {
                            return Err(self.err(
                                &v.span(),
                                &path,
                                "the list of frontier years is empty",
                            ));
                        }
                        items
                            .iter()
                            .map(|item| Ok((self.year(item, &path)?, item)))
                            .collect::<Result<_>>()?
                    };
                    let mut out = Vec::new();
                    for (year, item) in years {
                        if year < ctx.start || year > ctx.end {
                            return Err(self.err(
                                &item.span(),
                                &path,
                                format!(
                                    "must lie within the horizon [{}, {}], got {year}",
                                    ctx.start, ctx.end
                                ),
                            ));
                        }
                        let expanded_name = if *key == "frontier_year" {
                            name.clone()
                        } else if name.contains("{year}") {
                            name.replace("{year}", &format_number(year))
                        } else {
                            format!("{name} {}", format_number(year))
                        };
                        if out.iter().any(|(n, _)| *n == expanded_name) {
                            return Err(self.err(
                                &item.span(),
                                &path,
                                format!("frontier year {year} is listed twice"),
                            ));
                        }
                        out.push((expanded_name, TargetKind::FrontierOf { year }));
                    }
                    out
                }
            };
            for (name, kind) in expanded {
                if targets.iter().any(|a| a.name == name) {
                    return Err(self.err(
                        &name_v.span(),
                        &format!("target[{}].name", i + 1),
                        format!(
                            "duplicate target name \"{name}\"; every target needs its own name"
                        ),
                    ));
                }
                targets.push(Target { name, kind });
            }
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

    /// `[[correlation]]` tables: pairs of uncertain inputs by name, with a Spearman `rho`.
    fn correlations(&self, root: &Table) -> Result<(Vec<Pair>, Option<Copula>)> {
        let mut pairs: Vec<Pair> = Vec::new();
        let mut spans = Vec::new();
        let names: Vec<String> = self.inputs.iter().map(|i| plain_name(&i.name)).collect();
        for t in self.array_of_tables(root, "correlation")? {
            self.check_keys(&t, &["between", "rho"])?;
            let between = self.required(&t, "between", "the two inputs, e.g. between = [\"investment.growth_per_year\", \"hardware.doubling_time_years\"]")?;
            let path = t.key_path("between");
            let items = match between.get_ref() {
                DeValue::Array(items) if items.len() == 2 => items,
                other => {
                    return Err(self.err(
                        &between.span(),
                        &path,
                        format!(
                            "expected a list of two input names, found {}",
                            match other {
                                DeValue::Array(a) => format!("a list of {}", a.len()),
                                v => type_name(v).to_string(),
                            }
                        ),
                    ));
                }
            };
            let mut idx = [0usize; 2];
            for (slot, item) in idx.iter_mut().zip(items.iter()) {
                let name = self.string(item, &path)?;
                let key = plain_name(&name);
                if let Some(i) = names.iter().position(|n| *n == key) {
                    *slot = i;
                    continue;
                }
                if let Some((fixed, v)) = self.fixed.iter().find(|(n, _)| plain_name(n) == key) {
                    return Err(self.err(&item.span(), &path, format!("`{fixed}` is a fixed number ({}), not an uncertain input; only uncertain inputs can be correlated", format_number(*v))));
                }
                if is_defaulted(&key) {
                    return Err(self.err(&item.span(), &path, format!("`{name}` is not set in the scenario, so it is fixed at its default; give it a distribution to correlate it")));
                }
                let all: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
                let hint = super::walk::suggestion(&name, &all)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(self.err(&item.span(), &path, format!("unknown input `{name}`; {hint}uncertain inputs are named as `diffusion-sim validate` lists them: {}", list(&all))));
            }
            if idx[0] == idx[1] {
                return Err(self.err(
                    &between.span(),
                    &path,
                    "an input cannot be correlated with itself",
                ));
            }
            let rho_v =
                self.required(&t, "rho", "the Spearman rank correlation, between -1 and 1")?;
            let rho = self.plain_number(rho_v, &t.key_path("rho"))?;
            if !(rho.abs() < 1.0) {
                let why = if rho.abs() == 1.0 {
                    "a correlation of ±1 would make one input a copy of the other; use |rho| < 1 (e.g. 0.99)".to_string()
                } else {
                    format!("a rank correlation lies between -1 and 1 (exclusive), got {rho}")
                };
                return Err(self.err(&rho_v.span(), &t.key_path("rho"), why));
            }
            if pairs
                .iter()
                .any(|p| (p.a, p.b) == (idx[0], idx[1]) || (p.a, p.b) == (idx[1], idx[0]))
            {
                return Err(self.err(
                    &between.span(),
                    &path,
                    format!(
                        "the pair `{}` and `{}` is correlated twice",
                        self.inputs[idx[0]].name, self.inputs[idx[1]].name
                    ),
                ));
            }
            pairs.push(Pair {
                a: idx[0],
                b: idx[1],
                rho,
            });
            spans.push(t.span.clone());
        }
        if pairs.is_empty() {
            return Ok((pairs, None));
        }
        match Copula::new(&pairs) {
            Ok(c) => Ok((pairs, Some(c))),
            Err(e) => {
                let name = |i: usize| self.inputs[i].name.as_str();
                let changes: Vec<String> = e
                    .changes
                    .iter()
                    .map(|&(a, b, was, now)| {
                        format!(
                            "{} ~ {}: {} → {}",
                            name(a),
                            name(b),
                            format_number((was * 100.0).round() / 100.0),
                            format_number(now)
                        )
                    })
                    .collect();
                let first = e
                    .changes
                    .first()
                    .and_then(|&(a, b, _, _)| {
                        pairs
                            .iter()
                            .position(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
                    })
                    .unwrap_or(0);
                Err(self.err(&spans[first], "correlation", format!(
                    "these correlations cannot hold together (their matrix is not positive definite); the nearest consistent values (a pair at 0 is not declared) are {}",
                    changes.join("; ")
                )))
            }
        }
    }

    /// A cap below a fixed starting value would silently replace it: an error.
    fn cap_not_below_start(
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

    fn array_of_tables<'a, 'i>(
        &self,
        root: &Table<'a, 'i>,
        key: &str,
    ) -> Result<Vec<Table<'a, 'i>>> {
        let Some(v) = root.get(key) else {
            return Ok(Vec::new());
        };
        let DeValue::Array(items) = v.get_ref() else {
            let path = root.key_path(key);
            // The TOML header drops names and indices: [[actor.regime]], not [[actor."Lab".regime]].
            let header = match root.path.split(['.', '[']).next() {
                Some(first) if !first.is_empty() => format!("{first}.{key}"),
                _ => key.to_string(),
            };
            return Err(self.err(
                &v.span(),
                &path,
                format!(
                    "expected an array of tables written [[{header}]], found {}",
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
}

/// The horizon, for checking years.
struct Horizon {
    start: f64,
    end: f64,
}

/// Names of numbers that take a fixed default when a scenario leaves them out.
fn is_defaulted(plain: &str) -> bool {
    plain == "costs.overhead"
        || plain == "investment.gwp_growth_per_year"
        || (plain.starts_with("actor.")
            && ["growth_per_year", "doubling_time_years", "ooms_per_year"]
                .iter()
                .any(|k| plain.ends_with(&format!(".{k}"))))
}

/// An input name without quotes, so `actor."Big tech".budget` and `actor.Big tech.budget` match.
fn plain_name(name: &str) -> String {
    name.replace('"', "")
}

/// A name as it appears in a dotted key: `"Academic labs"`.
fn quoted(name: &str) -> String {
    format!("{name:?}")
}
