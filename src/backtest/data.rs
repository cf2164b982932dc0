//! The backtest's inputs: the history of diffusion cases (`data/history.toml`) and the trend
//! estimates as they were published (`data/trends.toml`), read and checked.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::file::DataFile;
use crate::dist::Dist;
use crate::format::format_number;
use crate::model::RateKind;
use crate::scenario::ScenarioError;
use crate::scenario::error::file_error;
use crate::scenario::number::parse_date;
use crate::scenario::walk::{list, suggestion};

/// The history shipped with the tool (`data/history.toml`).
pub const HISTORY: &str = include_str!("../../data/history.toml");
/// The trend estimates shipped with the tool (`data/trends.toml`).
pub const TRENDS: &str = include_str!("../../data/trends.toml");

/// The actor classes a match may name (data/README.md, "Actor classes"): the classes of
/// `scenarios/baseline.toml`, whose access terms the backtest uses.
pub const ACTOR_CLASSES: [&str; 7] = crate::names::STANDARD_CLASSES;
/// The bases a dollar figure may be on (`cost_basis`).
pub const COST_BASES: [&str; 3] = ["cloud", "amortised", "project"];
/// The domains of a case; a trend estimate's domain is one of these or `all`.
pub const DOMAINS: [&str; 8] = [
    "language",
    "vision",
    "games",
    "image_generation",
    "speech",
    "biology",
    "code",
    "multimodal",
];
/// What a trend estimate may measure (`quantity`).
pub const QUANTITIES: [&str; 4] = ["hardware", "algorithms", "compute", "spend"];

/// Reads and checks a history file (the shipped `data/history.toml` when `path` is `None`).
pub fn read_history(path: Option<&Path>) -> Result<History, ScenarioError> {
    let file = DataFile::open(path, HISTORY, "data/history.toml")?;
    let history: History = file.parse()?;
    history.check(&file)?;
    Ok(history)
}

/// Reads and checks a trends file (the shipped `data/trends.toml` when `path` is `None`).
pub fn read_trends(path: Option<&Path>) -> Result<Trends, ScenarioError> {
    let file = DataFile::open(path, TRENDS, "data/trends.toml")?;
    let trends: Trends = file.parse()?;
    trends.check(&file)?;
    Ok(trends)
}

/// The cases of a history file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// How accurate the history's dollar figures are; without it they count as exact.
    #[serde(default)]
    pub measurement: Option<Measurement>,
    /// One per capability.
    pub case: Vec<Case>,
}

/// How far a published training cost can be from the true one: each figure is read as the true
/// cost times a lognormal error with median 1 whose 90% interval is `[1/f, f]`.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// `f` for a figure someone estimated (`cost_estimate = true`).
    #[serde(deserialize_with = "factor")]
    pub estimate_factor_90: f64,
    /// Where `estimate_factor_90` comes from.
    pub estimate_source: String,
    /// `f` for a figure the developer published (`cost_estimate = false`).
    #[serde(deserialize_with = "factor")]
    pub reported_factor_90: f64,
    /// Where `reported_factor_90` comes from.
    pub reported_source: String,
}

impl History {
    /// The 90% error factor of `m`'s cost (1 = exact): its own `cost_factor_90` when the source
    /// published one, else the history's figure for its kind, else 1.
    pub fn error_factor(&self, m: &Model) -> f64 {
        if let Some(f) = m.cost_factor_90 {
            return f;
        }
        match &self.measurement {
            None => 1.0,
            Some(e) if m.cost_estimate == Some(false) => e.reported_factor_90,
            Some(e) => e.estimate_factor_90,
        }
    }

    /// Checks what serde cannot, each error at its key in `file`: unique case ids, domains,
    /// dates, classes and cost bases from their lists, positive finite FLOP and costs with their
    /// basis, and an own error factor with its source.
    pub fn check(&self, file: &DataFile) -> Result<(), ScenarioError> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, c) in self.case.iter().enumerate() {
            let at = format!("case[{}]", i + 1);
            if let Some(first) = ids.insert(&c.id, i) {
                return Err(file.error_at(
                    &format!("{at}.id"),
                    format!(
                        "\"{}\" is already the id of case {} (line {}); each case needs its own id (it names the case's generated scenario)",
                        c.id,
                        first + 1,
                        file.line_of(&format!("case[{}].id", first + 1))
                    ),
                ));
            }
            one_of(
                file,
                &format!("{at}.domain"),
                &c.domain,
                "a domain",
                &DOMAINS,
            )?;
            check_model(file, &format!("{at}.milestone"), &c.milestone, false)?;
            if let (Some(flop), Some(cost)) = (c.milestone.flop, c.milestone.cost)
                && !(flop / cost).is_finite()
            {
                return Err(file.error_at(
                    &format!("{at}.milestone.cost"),
                    format!(
                        "flop / cost = {} / {} FLOP per dollar is beyond floating point",
                        format_number(flop),
                        format_number(cost)
                    ),
                ));
            }
            for (k, m) in c.matches.iter().enumerate() {
                let key = format!("{at}.match[{}]", k + 1);
                check_model(file, &key, m, true)?;
                // Dates are YYYY-MM-DD or YYYY-MM (checked): compared as text, to the month
                // where either gives no day.
                let (d, d0) = (m.date.as_str(), c.milestone.date.as_str());
                let n = if d.len() == 7 || d0.len() == 7 { 7 } else { 10 };
                if d[..n.min(d.len())] < d0[..n.min(d0.len())] {
                    return Err(file.error_at(
                        &format!("{key}.date"),
                        format!(
                            "{} is before the milestone's date, {} (line {}): a match comes after the capability it matches",
                            m.date,
                            c.milestone.date,
                            file.line_of(&format!("{at}.milestone.date"))
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Checks one milestone or match (`is_match`), at key `at`.
fn check_model(file: &DataFile, at: &str, m: &Model, is_match: bool) -> Result<(), ScenarioError> {
    check_date(file, &format!("{at}.date"), &m.date)?;
    match &m.actor_class {
        Some(class) => one_of(
            file,
            &format!("{at}.actor_class"),
            class,
            "an actor class",
            &ACTOR_CLASSES,
        )?,
        None if is_match => {
            return Err(file.error_at(
                at,
                format!(
                    "missing required key `actor_class`: who the developer is, one of {}",
                    list(&ACTOR_CLASSES)
                ),
            ));
        }
        None => {}
    }
    if let Some(flop) = m.flop {
        positive(file, &format!("{at}.flop"), flop, "FLOP")?;
    }
    if let Some(cost) = m.cost {
        positive(file, &format!("{at}.cost"), cost, "US dollars")?;
        if cost > MAX_COST {
            return Err(file.error_at(
                &format!("{at}.cost"),
                format!(
                    "must be at most {} US dollars (ten times the world's yearly output), got {}",
                    format_number(MAX_COST),
                    format_number(cost)
                ),
            ));
        }
        if m.cost_basis.is_none() {
            return Err(file.error_at(
                &format!("{at}.cost"),
                format!(
                    "a cost needs its `cost_basis`, one of {}",
                    list(&COST_BASES)
                ),
            ));
        }
    }
    if let Some(basis) = &m.cost_basis {
        one_of(
            file,
            &format!("{at}.cost_basis"),
            basis,
            "a cost basis",
            &COST_BASES,
        )?;
    }
    if m.cost_factor_90.is_some() && m.cost_factor_source.is_none() {
        return Err(file.error_at(
            &format!("{at}.cost_factor_90"),
            "needs `cost_factor_source` (where the interval was published)",
        ));
    }
    Ok(())
}

/// A capability first trained at the frontier, and its later matches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Short unique id.
    pub id: String,
    /// What is matched.
    pub capability: String,
    /// language, vision, games, image_generation, …
    pub domain: String,
    /// How a match is judged.
    #[serde(default)]
    pub notes: Option<String>,
    /// The frontier milestone.
    pub milestone: Model,
    /// Later models that matched it.
    #[serde(default, rename = "match")]
    pub matches: Vec<Model>,
}

/// One model: the milestone or a match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Model {
    pub date: String,
    pub developer: String,
    pub model: String,
    #[serde(default)]
    pub actor_class: Option<String>,
    #[serde(default)]
    pub flop: Option<f64>,
    #[serde(default)]
    pub flop_source: Option<String>,
    #[serde(default)]
    pub flop_estimate: Option<bool>,
    #[serde(default)]
    pub cost: Option<f64>,
    #[serde(default)]
    pub cost_basis: Option<String>,
    #[serde(default)]
    pub cost_source: Option<String>,
    #[serde(default)]
    pub cost_estimate: Option<bool>,
    #[serde(default)]
    pub cost_unknown: Option<String>,
    /// This figure's own 90% error factor, when its source published an interval.
    #[serde(default, deserialize_with = "some_factor")]
    pub cost_factor_90: Option<f64>,
    #[serde(default)]
    pub cost_factor_source: Option<String>,
    #[serde(default)]
    pub cost_year_dollars: Option<u32>,
    #[serde(default)]
    pub match_source: Option<String>,
    #[serde(default)]
    pub open_weights: Option<bool>,
}

/// The estimates of a trends file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trends {
    /// One per published figure.
    pub estimate: Vec<Estimate>,
}

/// A published trend estimate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// hardware, algorithms, spend or compute.
    pub quantity: String,
    /// The domain it was measured in (`all`, `language`, `vision`, `games`).
    pub domain: String,
    /// Publication month, `YYYY-MM`.
    pub published: String,
    /// The central value as published.
    pub central: f64,
    /// The scenario rate key it is written in.
    pub unit: String,
    /// Low end of its interval.
    #[serde(default)]
    pub low: Option<f64>,
    /// High end of its interval.
    #[serde(default)]
    pub high: Option<f64>,
    /// What the interval is (`95% CI`, `90% CI`, or a published range).
    #[serde(default)]
    pub interval: Option<String>,
    /// The data period.
    #[serde(default)]
    pub period: Option<String>,
    /// Where it comes from.
    pub source: String,
}

impl Trends {
    /// Checks what serde cannot, each error at its key in `file`: quantities, domains, units
    /// and dates from their lists, and values the simulator can use as rates; and that the
    /// backtest finds the estimates it needs.
    pub fn check(&self, file: &DataFile) -> Result<(), ScenarioError> {
        for (i, e) in self.estimate.iter().enumerate() {
            let at = format!("estimate[{}]", i + 1);
            one_of(
                file,
                &format!("{at}.quantity"),
                &e.quantity,
                "a quantity",
                &QUANTITIES,
            )?;
            let domains: Vec<&str> = std::iter::once("all").chain(DOMAINS).collect();
            one_of(
                file,
                &format!("{at}.domain"),
                &e.domain,
                "a domain",
                &domains,
            )?;
            check_date(file, &format!("{at}.published"), &e.published)?;
            // Algorithmic progress halves the compute needed; everything else doubles.
            let kinds = if e.quantity == "algorithms" {
                [
                    RateKind::HalvingTime,
                    RateKind::GrowthPerYear,
                    RateKind::OomsPerYear,
                ]
            } else {
                [
                    RateKind::DoublingTime,
                    RateKind::GrowthPerYear,
                    RateKind::OomsPerYear,
                ]
            };
            let units: Vec<&str> = kinds.iter().map(|k| k.key()).collect();
            one_of(
                file,
                &format!("{at}.unit"),
                &e.unit,
                &format!("a unit of {} estimates", e.quantity),
                &units,
            )?;
            let kind = kinds[units.iter().position(|u| *u == e.unit).expect("checked")];
            check_rate(file, &format!("{at}.central"), kind, e.central, e.central)?;
            match (e.low, e.high) {
                (Some(lo), Some(hi)) => {
                    check_rate(file, &format!("{at}.low"), kind, lo, lo)?;
                    check_rate(file, &format!("{at}.high"), kind, hi, hi)?;
                    let dist = Dist::interval_at(lo, hi, e.level())
                        .map_err(|m| file.error_at(&format!("{at}.low"), m))?;
                    check_rate(
                        file,
                        &format!("{at}.low"),
                        kind,
                        dist.quantile(1e-3),
                        dist.quantile(1.0 - 1e-3),
                    )?;
                }
                (None, None) => {}
                (Some(_), None) => {
                    return Err(file.error_at(
                        &format!("{at}.low"),
                        "`low` needs `high`: an interval has both ends",
                    ));
                }
                (None, Some(_)) => {
                    return Err(file.error_at(
                        &format!("{at}.high"),
                        "`high` needs `low`: an interval has both ends",
                    ));
                }
            }
        }
        for (quantity, domain) in [("hardware", None), ("algorithms", Some("language"))] {
            if !self
                .estimate
                .iter()
                .any(|e| e.quantity == quantity && domain.is_none_or(|d| e.domain == d))
            {
                return Err(file_error(
                    &file.path,
                    format!(
                        "no `{quantity}` estimate{}: the backtest needs one (published before or after each milestone)",
                        domain
                            .map(|d| format!(" for domain `{d}`"))
                            .unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Estimate {
    /// The level of its interval: 95% when `interval` says so, else 90% (a published range
    /// without a level counts as a 90% interval).
    pub fn level(&self) -> f64 {
        match self.interval.as_deref() {
            Some(i) if i.contains("95%") => 0.95,
            _ => 0.9,
        }
    }

    /// The value as a scenario number: an interval at its stated level (a published range
    /// without a level counts as a 90% interval), or the central value when none was published.
    pub fn written(&self) -> String {
        match (self.low, self.high) {
            (Some(lo), Some(hi)) => {
                let level = if self.level() == 0.95 { " @ 95%" } else { "" };
                format!("\"{lo} to {hi}{level}\"")
            }
            _ => float_literal(self.central),
        }
    }
}

/// The largest 90% error factor a figure may have.
const MAX_FACTOR: f64 = 1000.0;

/// The largest training cost a figure may have, US dollars: ten times the world's yearly
/// output (about $1e14), past anything a training run could cost, and far enough from the
/// limits of floating point for the predictions made from it.
const MAX_COST: f64 = 1e15;

/// A 90% error factor: from 1 (exact) to [`MAX_FACTOR`]. Refused at its own line and column.
fn factor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let f = f64::deserialize(d)?;
    if (1.0..=MAX_FACTOR).contains(&f) {
        Ok(f)
    } else {
        Err(serde::de::Error::custom(format!(
            "{f} is not a 90% error factor: a number from 1 to {MAX_FACTOR} (1 = exact; 2 = within a factor 2 either way; a figure off by more than {MAX_FACTOR}× either way is not a measurement)"
        )))
    }
}

fn some_factor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    factor(d).map(Some)
}

/// `v` as a TOML float: a plain decimal, or in exponent form where a plain decimal would read
/// as an integer too large for TOML (`1e20`, not `100000000000000000000`).
pub fn float_literal(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Refuses `value` at `key` unless it is one of `allowed` (`what` it should be), naming them
/// and the likeliest one when it looks like a typo.
fn one_of(
    file: &DataFile,
    key: &str,
    value: &str,
    what: &str,
    allowed: &[&str],
) -> Result<(), ScenarioError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let hint = suggestion(value, allowed)
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Err(file.error_at(
        key,
        format!(
            "\"{value}\" is not {what}; {hint}allowed: {}",
            list(allowed)
        ),
    ))
}

/// Refuses `v` at `key` unless it is a finite number above 0 (of `unit`).
fn positive(file: &DataFile, key: &str, v: f64, unit: &str) -> Result<(), ScenarioError> {
    if v.is_finite() && v > 0.0 {
        return Ok(());
    }
    Err(file.error_at(
        key,
        format!(
            "must be a finite number > 0 ({unit}), got {}",
            format_number(v)
        ),
    ))
}

/// Refuses a date at `key` that is not a calendar month or day.
fn check_date(file: &DataFile, key: &str, date: &str) -> Result<(), ScenarioError> {
    match parse_date(date) {
        Some(_) => Ok(()),
        None => Err(file.error_at(
            key,
            format!("\"{date}\" is not a date; allowed: YYYY-MM-DD, or YYYY-MM when the day is not known (a month 01-12, a day of that month)"),
        )),
    }
}

/// Refuses rate values `lo` and `hi` (of `kind`) at `key` unless they are finite (and positive
/// for times and growth factors) and imply a rate the simulator accepts, as a scenario's rate.
fn check_rate(
    file: &DataFile,
    key: &str,
    kind: RateKind,
    lo: f64,
    hi: f64,
) -> Result<(), ScenarioError> {
    if kind.needs_positive() {
        positive(file, key, lo, kind.key())?;
        positive(file, key, hi, kind.key())?;
    } else if !(lo.is_finite() && hi.is_finite()) {
        return Err(file.error_at(key, "must be a finite number"));
    }
    let fastest = kind.to_log_rate(lo).abs().max(kind.to_log_rate(hi).abs());
    if fastest <= crate::scenario::MAX_LOG_RATE {
        return Ok(());
    }
    Err(file.error_at(
        key,
        format!(
            "implies a rate of {} natural-log units a year{}; allowed: at most {} (×22,000 a year, e.g. a doubling time of at least 0.07 years, a growth of at most 22,000 a year or |ooms_per_year| ≤ 4.3)",
            format_number(fastest),
            if lo == hi { "" } else { " (at its interval's 0.1% or 99.9% point)" },
            crate::scenario::MAX_LOG_RATE
        ),
    ))
}

/// A date of the data set as a fractional year, or an error naming it.
pub fn year_of(date: &str, what: &str) -> Result<f64, String> {
    parse_date(date)
        .ok_or_else(|| format!("{what}: \"{date}\" is not a date YYYY-MM or YYYY-MM-DD"))
}

/// The domain whose algorithmic-progress estimates a case uses: its own where one was published,
/// else language models (the best-measured domain).
pub fn algorithm_domain(domain: &str, trends: &Trends) -> String {
    let has = |d: &str| {
        trends
            .estimate
            .iter()
            .any(|e| e.quantity == "algorithms" && e.domain == d)
    };
    if has(domain) {
        domain.to_string()
    } else {
        "language".to_string()
    }
}

/// The estimates of `quantity` (in `domain`, or any domain for hardware) that a forecaster at
/// `year` would have used: those of the latest publication month before it, or, when none was
/// published yet, those of the earliest month (then the second value is true: the estimate
/// post-dates the milestone).
pub fn as_of<'a>(
    trends: &'a Trends,
    quantity: &str,
    domain: Option<&str>,
    year: f64,
) -> Result<(Vec<&'a Estimate>, bool), String> {
    let mut known: Vec<(f64, &Estimate)> = Vec::new();
    for e in &trends.estimate {
        if e.quantity == quantity && domain.is_none_or(|d| e.domain == d) {
            known.push((year_of(&e.published, "trend estimate")?, e));
        }
    }
    if known.is_empty() {
        return Err(format!(
            "no {quantity} estimate{} in the trends file",
            domain
                .map(|d| format!(" for domain {d}"))
                .unwrap_or_default()
        ));
    }
    let before: Vec<f64> = known.iter().map(|k| k.0).filter(|p| *p < year).collect();
    let (month, late) = match before.iter().copied().reduce(f64::max) {
        Some(m) => (m, false),
        None => (
            known
                .iter()
                .map(|k| k.0)
                .reduce(f64::min)
                .expect("non-empty"),
            true,
        ),
    };
    Ok((
        known
            .into_iter()
            .filter(|k| k.0 == month)
            .map(|k| k.1)
            .collect(),
        late,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_data_parses_and_every_number_has_a_source() {
        let h = read_history(None).unwrap();
        assert!(h.case.len() >= 25);
        let domains: std::collections::BTreeSet<&str> =
            h.case.iter().map(|c| c.domain.as_str()).collect();
        assert!(domains.len() >= 4, "{domains:?}");
        for c in &h.case {
            for m in std::iter::once(&c.milestone).chain(&c.matches) {
                year_of(&m.date, &c.id).unwrap();
                if m.flop.is_some() {
                    assert!(
                        m.flop_source.is_some(),
                        "{}: flop without a source",
                        m.model
                    );
                }
                match m.cost {
                    Some(_) => assert!(
                        m.cost_source.is_some() && m.cost_basis.is_some(),
                        "{}: cost without a source or basis",
                        m.model
                    ),
                    None => assert!(
                        m.cost_unknown.is_some(),
                        "{}: cost neither given nor explained",
                        m.model
                    ),
                }
            }
            for m in &c.matches {
                assert!(
                    m.actor_class.is_some() && m.match_source.is_some(),
                    "{}",
                    m.model
                );
            }
        }
        let t = read_trends(None).unwrap();
        for e in &t.estimate {
            year_of(&e.published, &e.source).unwrap();
            assert!(!e.source.is_empty());
        }
    }

    #[test]
    fn the_actor_classes_are_the_access_scenarios() {
        let access = crate::scenario::from_str(
            Path::new("scenarios/baseline.toml"),
            super::super::ACCESS_SCENARIO,
        )
        .unwrap();
        assert_eq!(access.actor_names(), ACTOR_CLASSES);
    }

    const HISTORY_TEXT: &str = r#"[[case]]
id = "a"
capability = "c"
domain = "language"
[case.milestone]
date = "2020-01"
developer = "D"
model = "M"
flop = 1e24
cost = 1e6
cost_basis = "amortised"
[[case.match]]
date = "2022-01-15"
developer = "E"
model = "N"
actor_class = "Academic labs"
cost = 6e4
cost_basis = "amortised"

[[case]]
id = "b"
capability = "c"
domain = "vision"
[case.milestone]
date = "2020-01"
developer = "D"
model = "V"
"#;

    /// The error of `text` with `from` replaced by `to`, read as `h.toml`.
    fn refused<T: for<'de> Deserialize<'de>>(
        text: &str,
        from: &str,
        to: &str,
        check: fn(&T, &DataFile) -> Result<(), ScenarioError>,
    ) -> String {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        let file = DataFile {
            path: "h.toml".into(),
            text: text.replacen(from, to, 1),
        };
        let parsed: T = file.parse().unwrap();
        check(&parsed, &file)
            .expect_err(&format!("{to} is refused"))
            .to_string()
    }

    #[test]
    fn history_values_outside_their_lists_or_ranges_are_refused_at_their_line() {
        let file = DataFile {
            path: "h.toml".into(),
            text: HISTORY_TEXT.into(),
        };
        file.parse::<History>().unwrap().check(&file).unwrap();
        for (from, to, expected) in [
            (
                "cost_basis = \"amortised\"\n[[",
                "cost_basis = \"amortized\"\n[[",
                "h.toml:11:14: `case[1].milestone.cost_basis`: \"amortized\" is not a cost basis; did you mean `amortised`? allowed: `cloud`, `amortised`, `project`",
            ),
            (
                "\"Academic labs\"",
                "\"Aliens\"",
                "h.toml:16:15: `case[1].match[1].actor_class`: \"Aliens\" is not an actor class; allowed: `Frontier labs`, `Big tech`, `Well-funded startups`, `National governments`, `Academic labs`, `Open-source collectives`, `Individuals`",
            ),
            (
                "actor_class = \"Academic labs\"\n",
                "",
                "h.toml:12:1: `case[1].match[1]`: missing required key `actor_class`",
            ),
            (
                "id = \"b\"",
                "id = \"a\"",
                "h.toml:21:6: `case[2].id`: \"a\" is already the id of case 1 (line 2); each case needs its own id",
            ),
            (
                "\"2022-01-15\"",
                "\"2019-02-30\"",
                "h.toml:13:8: `case[1].match[1].date`: \"2019-02-30\" is not a date; allowed: YYYY-MM-DD",
            ),
            (
                "cost = 1e6",
                "cost = 0",
                "h.toml:10:8: `case[1].milestone.cost`: must be a finite number > 0 (US dollars), got 0",
            ),
            (
                "cost = 6e4",
                "cost = nan",
                "h.toml:17:8: `case[1].match[1].cost`: must be a finite number > 0 (US dollars), got NaN",
            ),
            (
                "flop = 1e24",
                "flop = inf",
                "h.toml:9:8: `case[1].milestone.flop`: must be a finite number > 0 (FLOP), got inf",
            ),
            (
                "cost = 1e6",
                "cost = 1e-300",
                "h.toml:10:8: `case[1].milestone.cost`: flop / cost = 1e24 / 1e-300 FLOP per dollar",
            ),
            (
                "cost = 6e4\ncost_basis = \"amortised\"\n",
                "cost = 6e4\n",
                "h.toml:17:8: `case[1].match[1].cost`: a cost needs its `cost_basis`, one of `cloud`",
            ),
            (
                "\"vision\"",
                "\"visoin\"",
                "h.toml:23:10: `case[2].domain`: \"visoin\" is not a domain; did you mean `vision`?",
            ),
            (
                "model = \"V\"",
                "model = \"V\"\ncost_factor_90 = 2",
                "h.toml:28:18: `case[2].milestone.cost_factor_90`: needs `cost_factor_source`",
            ),
            (
                "\"2022-01-15\"",
                "\"2019-06-01\"",
                "h.toml:13:8: `case[1].match[1].date`: 2019-06-01 is before the milestone's date, 2020-01 (line 6)",
            ),
            (
                "cost = 6e4",
                "cost = 1e308",
                "h.toml:17:8: `case[1].match[1].cost`: must be at most 1e15 US dollars",
            ),
        ] {
            let got = refused(HISTORY_TEXT, from, to, History::check);
            assert!(got.starts_with(expected), "{to}:\n{got}\n{expected}");
        }
    }

    /// A match dated by its month only, in the milestone's month, is not before it; a day
    /// before the milestone's is.
    #[test]
    fn a_match_is_compared_with_its_milestone_to_the_precision_both_give() {
        let text = |milestone: &str, matched: &str| DataFile {
            path: "h.toml".into(),
            text: HISTORY_TEXT
                .replacen("date = \"2020-01\"", &format!("date = \"{milestone}\""), 1)
                .replacen("\"2022-01-15\"", &format!("\"{matched}\""), 1),
        };
        let check = |f: &DataFile| f.parse::<History>().unwrap().check(f);
        let ok = check(&text("2020-01-20", "2020-01"));
        assert!(ok.is_ok(), "{ok:?}");
        assert!(check(&text("2020-01", "2020-01-02")).is_ok());
        let e = check(&text("2020-01-20", "2020-01-19"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is before the milestone's date"), "{e}");
    }

    /// An error factor past [`MAX_FACTOR`] is refused where it is written (1e300 had reached
    /// the generated scenarios, whose error named a file the user never wrote).
    #[test]
    fn error_factors_past_the_largest_are_refused_at_their_line() {
        for factor in ["1e300", "1000.5", "0.5"] {
            let file = DataFile {
                path: "h.toml".into(),
                text: format!(
                    "[measurement]\nestimate_factor_90 = {factor}\nestimate_source = \"s\"\n\
                     reported_factor_90 = 1\nreported_source = \"s\"\n\n{HISTORY_TEXT}"
                ),
            };
            let got = file.parse::<History>().unwrap_err().to_string();
            assert!(
                got.starts_with("h.toml:2:22: `measurement.estimate_factor_90`: ")
                    && got.contains("a number from 1 to 1000"),
                "{factor}: {got}"
            );
        }
    }

    const TRENDS_TEXT: &str = r#"[[estimate]]
quantity = "hardware"
domain = "all"
published = "2015-03"
central = 2.5
unit = "doubling_time_years"
low = 2.2
high = 2.8
interval = "95% CI"
source = "a"

[[estimate]]
quantity = "algorithms"
domain = "language"
published = "2020-05"
central = 1.3
unit = "halving_time_years"
source = "b"
"#;

    #[test]
    fn trend_values_outside_their_lists_or_ranges_are_refused_at_their_line() {
        let file = DataFile {
            path: "h.toml".into(),
            text: TRENDS_TEXT.into(),
        };
        file.parse::<Trends>().unwrap().check(&file).unwrap();
        for (from, to, expected) in [
            (
                "\"hardware\"",
                "\"hardwear\"",
                "h.toml:2:12: `estimate[1].quantity`: \"hardwear\" is not a quantity; did you mean `hardware`? allowed: `hardware`, `algorithms`, `compute`, `spend`",
            ),
            (
                "\"language\"",
                "\"langauge\"",
                "h.toml:14:10: `estimate[2].domain`: \"langauge\" is not a domain; did you mean `language`? allowed: `all`, `language`",
            ),
            (
                "\"2015-03\"",
                "\"2015-13\"",
                "h.toml:4:13: `estimate[1].published`: \"2015-13\" is not a date",
            ),
            (
                "\"doubling_time_years\"",
                "\"furlongs\"",
                "h.toml:6:8: `estimate[1].unit`: \"furlongs\" is not a unit of hardware estimates; allowed: `doubling_time_years`, `growth_per_year`, `ooms_per_year`",
            ),
            (
                "\"halving_time_years\"",
                "\"doubling_time_years\"",
                "h.toml:17:8: `estimate[2].unit`: \"doubling_time_years\" is not a unit of algorithms estimates; did you mean `halving_time_years`?",
            ),
            (
                "central = 1.3",
                "central = nan",
                "h.toml:16:11: `estimate[2].central`: must be a finite number > 0 (halving_time_years), got NaN",
            ),
            (
                "central = 1.3\nunit = \"halving_time_years\"",
                "central = 1e308\nunit = \"growth_per_year\"",
                "h.toml:16:11: `estimate[2].central`: implies a rate of 709.1962 natural-log units a year; allowed: at most 10",
            ),
            (
                "central = 1.3\nunit = \"halving_time_years\"",
                "central = -inf\nunit = \"ooms_per_year\"",
                "h.toml:16:11: `estimate[2].central`: must be a finite number",
            ),
            (
                "low = 2.2",
                "low = 0.01",
                "h.toml:7:7: `estimate[1].low`: implies a rate of 69.3147 natural-log units a year;",
            ),
            (
                "low = 2.2",
                "low = 0.07",
                "h.toml:7:7: `estimate[1].low`: implies a rate of 28.6856 natural-log units a year (at its interval's 0.1% or 99.9% point)",
            ),
            (
                "low = 2.2",
                "low = 3",
                "h.toml:7:7: `estimate[1].low`: the low end of a 95% interval must be below the high end",
            ),
            (
                "high = 2.8\n",
                "",
                "h.toml:7:7: `estimate[1].low`: `low` needs `high`",
            ),
            (
                "quantity = \"algorithms\"",
                "quantity = \"compute\"",
                "h.toml:17:8: `estimate[2].unit`: \"halving_time_years\" is not a unit of compute estimates",
            ),
            (
                "domain = \"language\"",
                "domain = \"vision\"",
                "h.toml: no `algorithms` estimate for domain `language`",
            ),
        ] {
            let got = refused(TRENDS_TEXT, from, to, Trends::check);
            assert!(got.starts_with(expected), "{to}:\n{got}\n{expected}");
        }
    }

    #[test]
    fn large_values_are_written_as_floats() {
        let e = Estimate {
            quantity: "hardware".into(),
            domain: "all".into(),
            published: "2020-01".into(),
            central: 1e20,
            unit: "doubling_time_years".into(),
            low: None,
            high: None,
            interval: None,
            period: None,
            source: "s".into(),
        };
        assert_eq!(e.written(), "1e20");
        assert_eq!(float_literal(2.0), "2");
        assert_eq!(float_literal(0.25), "0.25");
    }

    #[test]
    fn estimates_as_of_a_date() {
        let t: Trends = toml::from_str(
            r#"
[[estimate]]
quantity = "hardware"
domain = "all"
published = "2015-03"
central = 2.0
unit = "doubling_time_years"
source = "a"
[[estimate]]
quantity = "hardware"
domain = "all"
published = "2022-06"
central = 2.5
unit = "doubling_time_years"
low = 2.2
high = 2.8
interval = "95% CI"
source = "b"
[[estimate]]
quantity = "hardware"
domain = "all"
published = "2022-06"
central = 2.1
unit = "doubling_time_years"
source = "c"
"#,
        )
        .unwrap();
        let (e, late) = as_of(&t, "hardware", None, 2020.0).unwrap();
        assert_eq!((e.len(), e[0].source.as_str(), late), (1, "a", false));
        let (e, late) = as_of(&t, "hardware", None, 2023.0).unwrap();
        assert_eq!((e.len(), late), (2, false));
        assert_eq!(e[0].written(), "\"2.2 to 2.8 @ 95%\"");
        let (e, late) = as_of(&t, "hardware", None, 2010.0).unwrap();
        assert_eq!((e[0].source.as_str(), late), ("a", true));
        assert!(as_of(&t, "algorithms", Some("vision"), 2020.0).is_err());
    }
}
