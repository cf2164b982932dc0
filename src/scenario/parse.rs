//! Walks the parsed TOML tree (with byte spans) and validates it into a [`Scenario`].
//! Every error names `file:line:column`, the key, what is wrong and what is allowed.

use std::path::Path;

use sha2::{Digest, Sha256};

use toml::de::{DeTable, DeValue};

use super::error::Source;
use super::number::format_number;
use super::walk::{Parser, Result, Table, list, rate_keys, type_name};
use super::{ActorBudget, Cap, Process, Quantity, Regime, Scenario};
use crate::correlation::{Copula, Pair};
use crate::model::RateKind;

const TOP_KEYS: &[&str] = &[
    "scenario",
    "hardware",
    "algorithms",
    "investment",
    "costs",
    "publication",
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
    "report_years",
    "report_ranks",
];
pub(super) const HW_RATES: &[RateKind] = &[
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
pub(super) const MAX_LOG_RATE: f64 = 10.0;
/// The most memory the actor-count histograms of one worker thread may take, bytes.
const MAX_POPULATION_BYTES: f64 = 256e6;
/// The longest access lag, years (at a distribution's 95th percentile).
pub(super) const MAX_LAG_YEARS: f64 = 50.0;

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

        let investment = match root.get("investment") {
            Some(_) => Some(self.investment(root, &ctx)?),
            None => None,
        };
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
        let closed_from = self.publication(root, &ctx)?;
        let actors = self.actors(root, &ctx, closed_from)?;
        let targets = self.targets(root, &ctx)?;
        if investment.is_none() {
            self.nothing_uses_the_spend(root, &actors)?;
        }
        let report_ranks = self.report_ranks(&head, &actors)?;
        self.population_fits(
            root,
            &actors,
            targets.len(),
            report_years.len(),
            &report_ranks,
        )?;
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
            report_ranks,
            hardware,
            algorithms,
            investment,
            closed_from,
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
        let mut years: Vec<f64> = (0..)
            .map(|k| first + k as f64 * step)
            .take_while(|y| *y <= end + 1e-9)
            .collect();
        if let Some(v) = head.get("report_years") {
            let key = "scenario.report_years";
            let DeValue::Array(items) = v.get_ref() else {
                return Err(self.err(
                    &v.span(),
                    key,
                    format!(
                        "expected a list of years or dates, e.g. [2024.56, \"2027-03\"], found {}",
                        type_name(v.get_ref())
                    ),
                ));
            };
            for item in items {
                let y = self.year(item, key)?;
                if y < start || y > end {
                    return Err(self.err(
                        &item.span(),
                        key,
                        format!("must lie within the horizon [{start}, {end}], got {y}"),
                    ));
                }
                years.push(y);
            }
            years.sort_by(f64::total_cmp);
            years.dedup();
            if years.len() > MAX_REPORT_YEARS {
                return Err(self.err(
                    &v.span(),
                    key,
                    format!("at most {MAX_REPORT_YEARS} reporting years in all"),
                ));
            }
        }
        if years.is_empty() {
            return Err(self.err(
                &head.span,
                "scenario.report_step",
                "no whole year falls within the horizon; set `report_step` to report from start_year",
            ));
        }
        Ok(years)
    }

    /// `[publication] closed_from = YEAR`: when the frontier stops publishing its algorithms.
    fn publication(&self, root: &Table, ctx: &Horizon) -> Result<Option<f64>> {
        let Some(v) = root.get("publication") else {
            return Ok(None);
        };
        let t = self.table(v, "publication".into(), "a table")?;
        self.check_keys(&t, &["closed_from"])?;
        let v = self.required(
            &t,
            "closed_from",
            "the year the frontier stops publishing algorithmic insights, e.g. 2027",
        )?;
        let year = self.year(v, "publication.closed_from")?;
        if year < ctx.start || year > ctx.end {
            return Err(self.err(
                &v.span(),
                "publication.closed_from",
                format!(
                    "must lie within the horizon [{}, {}], got {year}",
                    ctx.start, ctx.end
                ),
            ));
        }
        Ok(Some(year))
    }

    /// Without `[investment]`, nothing may use the frontier's spend.
    fn nothing_uses_the_spend(&self, root: &Table, actors: &[super::Actor]) -> Result<()> {
        let why = "uses the frontier spend, but the scenario has no [investment] table; add one (frontier_spend and its growth)";
        for (k, a) in actors.iter().enumerate() {
            if matches!(a.budget, ActorBudget::Frontier(_)) {
                let t = &self.array_of_tables(root, "actor")?[k];
                let path = format!("actor.{}.budget", quoted(&a.name));
                return Err(self.err(&t.key_span("budget"), &path, format!("\"frontier\" {why}")));
            }
        }
        for t in self.array_of_tables(root, "target")? {
            for key in ["frontier_year", "frontier_years"] {
                if t.get(key).is_some() {
                    let name = match t.get("name").map(|v| v.get_ref()) {
                        Some(DeValue::String(n)) => quoted(n),
                        _ => "?".into(),
                    };
                    return Err(self.err(
                        &t.key_span(key),
                        &format!("target.{name}.{key}"),
                        format!("a frontier-of-year target {why}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Counting actors keeps, per worker thread, a histogram of counts per target and reporting
    /// year: refuse a scenario whose histograms would not fit in a sane amount of memory.
    fn population_fits(
        &self,
        root: &Table,
        actors: &[super::Actor],
        n_targets: usize,
        n_years: usize,
        ranks: &[u32],
    ) -> Result<()> {
        let used = !ranks.is_empty() || actors.iter().any(|a| a.count > 1 || a.spread.is_some());
        let total: usize = actors.iter().map(|a| a.count as usize).sum();
        let bytes = (n_targets * n_years * (total + 1) * 8) as f64;
        if !used || bytes <= MAX_POPULATION_BYTES {
            return Ok(());
        }
        let (k, a) = actors
            .iter()
            .enumerate()
            .max_by_key(|(_, a)| a.count)
            .expect("at least one actor");
        let t = &self.array_of_tables(root, "actor")?[k];
        Err(self.err(
            &t.key_span("count"),
            &format!("actor.{}.count", quoted(&a.name)),
            format!(
                "counting {total} actors for {n_targets} targets at {n_years} reporting years needs {:.0} MB per worker thread; at most {:.0} MB: use fewer actors, targets or reporting years (report_step)",
                bytes / 1e6,
                MAX_POPULATION_BYTES / 1e6
            ),
        ))
    }

    /// `report_ranks = [1, 3, 10]`: distinct ranks among all actors of all classes.
    fn report_ranks(&self, head: &Table, actors: &[super::Actor]) -> Result<Vec<u32>> {
        let Some(v) = head.get("report_ranks") else {
            return Ok(Vec::new());
        };
        let key = "scenario.report_ranks";
        let total: u64 = actors.iter().map(|a| u64::from(a.count)).sum();
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.err(
                &v.span(),
                key,
                format!(
                    "expected a list of ranks, e.g. [1, 3, 10], found {}",
                    type_name(v.get_ref())
                ),
            ));
        };
        let mut ranks = Vec::new();
        for item in items {
            let r = self.count(item, key, 1, total)?;
            let r = u32::try_from(r).expect("at most the actor count");
            if ranks.contains(&r) {
                return Err(self.err(&item.span(), key, format!("rank {r} is listed twice")));
            }
            ranks.push(r);
        }
        if ranks.is_empty() {
            return Err(self.err(&v.span(), key, "the list of ranks is empty"));
        }
        ranks.sort_unstable();
        Ok(ranks)
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

    pub(super) fn array_of_tables<'a, 'i>(
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

    pub(super) fn required_quantity(
        &mut self,
        t: &Table,
        key: &str,
        what: &str,
    ) -> Result<Quantity> {
        let v = self.required(t, key, what)?;
        self.quantity(v, t.key_path(key), true)
    }

    pub(super) fn optional_quantity(
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
pub(super) struct Horizon {
    pub(super) start: f64,
    pub(super) end: f64,
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
pub(super) fn quoted(name: &str) -> String {
    format!("{name:?}")
}
