//! Walks the parsed TOML tree (with byte spans) and validates it into a [`Scenario`].
//! Every error names `file:line:column`, the key, what is wrong and what is allowed.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::error::Source;
use super::walk::{Parser, Result, Table, type_name};
use super::{ActorBudget, Quantity, Scenario};

const TOP_KEYS: &[&str] = &[
    "scenario",
    "hardware",
    "algorithms",
    "investment",
    "costs",
    "deployment",
    "publication",
    "actor",
    "target",
    "correlation",
    "observed",
];
const SCENARIO_KEYS: &[&str] = &[
    "name",
    "description",
    "start_year",
    "end_year",
    "samples",
    "seed",
    "trajectory_samples",
    "report_step",
    "report_years",
    "report_ranks",
    "affordability",
];
const DEFAULT_SAMPLES: u64 = 100_000;
const MAX_SAMPLES: u64 = 1_000_000_000_000;
const MAX_REPORT_YEARS: usize = 2_000;
/// The fastest rate a process may move at, natural-log units per year.
pub(crate) const MAX_LOG_RATE: f64 = 10.0;
/// The most memory the actor-count histograms of one worker thread may take, bytes.
const MAX_POPULATION_BYTES: f64 = 256e6;
/// The longest access lag, years (at a distribution's 95th percentile).
pub(super) const MAX_LAG_YEARS: f64 = 50.0;

/// Parses and validates scenario text.
pub fn parse(path: &Path, text: &str) -> Result<Scenario> {
    let src = Source { path, text };
    let root = DeTable::parse(text).map_err(|e| src.not_toml(&e))?;
    let mut p = Parser {
        src: &src,
        inputs: Vec::new(),
        fixed: Vec::new(),
        written: Vec::new(),
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
        let name = self.text(
            self.required(&head, "name", "a name for the scenario")?,
            "scenario.name",
            false,
        )?;
        let description = head
            .get("description")
            .map(|v| self.text(v, "scenario.description", true))
            .transpose()?;
        let ctx = self.horizon(&head)?;
        let (start_year, end_year) = (ctx.start, ctx.end);
        let samples = match head.get("samples") {
            Some(v) => self.count(v, "scenario.samples", 1, MAX_SAMPLES)?,
            None => DEFAULT_SAMPLES,
        };
        let seed = match head.get("seed") {
            Some(v) => self.count(v, "scenario.seed", 0, i64::MAX as u64)?,
            None => 0,
        };
        let trajectory_samples = head
            .get("trajectory_samples")
            .map(|v| self.count(v, "scenario.trajectory_samples", 0, MAX_SAMPLES))
            .transpose()?;
        let report_years = self.report_years(&head, start_year, end_year)?;

        let hardware = self.hardware(root, &ctx)?;
        let algorithms = self.algorithms(root, &ctx)?;
        let investment = match root.get("investment") {
            Some(_) => Some(self.investment(root, &ctx)?),
            None => None,
        };
        let costs = self.costs(root, &head)?;
        let closed_from = self.publication(root, &ctx)?;
        let staff = costs.components.as_ref().is_some_and(|c| c.staff.is_some());
        let actors = self.actors(root, &ctx, closed_from, staff)?;
        let targets = self.targets(root, &ctx, costs.components.as_ref())?;
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
        let observed = self.observed(root, &ctx, &actors, &targets)?;
        Ok(Scenario {
            observed,
            warnings: super::lint::unit_warnings(self.src, &self.written),
            path: self.src.path.to_path_buf(),
            text: self.src.text.to_string(),
            overrides: Vec::new(),
            file_text: None,
            sha256: crate::format::sha256_hex(self.src.text.as_bytes()),
            name,
            description,
            start_year,
            end_year,
            samples,
            seed,
            trajectory_samples,
            report_years,
            report_ranks,
            hardware,
            algorithms,
            investment,
            closed_from,
            overhead: costs.overhead,
            components: costs.components,
            actors,
            targets,
            inputs: std::mem::take(&mut self.inputs),
            correlations,
            copula,
        })
    }

    /// `start_year` and `end_year` of `[scenario]` (`head`): a horizon of up to 500 years.
    fn horizon(&self, head: &Table) -> Result<Horizon> {
        let start_year = self.year(
            self.required(head, "start_year", "the first year, e.g. 2025.0")?,
            "scenario.start_year",
        )?;
        let end_v = self.required(head, "end_year", "the last year (the horizon), e.g. 2060.0")?;
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
        Ok(Horizon {
            start: start_year,
            end: end_year,
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

/// A name as it appears in a dotted key: `"Academic labs"`.
pub(super) fn quoted(name: &str) -> String {
    format!("{name:?}")
}
