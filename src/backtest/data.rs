//! The backtest's inputs: the history of diffusion cases (`data/history.toml`) and the trend
//! estimates as they were published (`data/trends.toml`), read and checked.

use std::path::Path;

use serde::Deserialize;

use crate::scenario::number::parse_date;

/// The history shipped with the tool (`data/history.toml`).
pub const HISTORY: &str = include_str!("../../data/history.toml");
/// The trend estimates shipped with the tool (`data/trends.toml`).
pub const TRENDS: &str = include_str!("../../data/trends.toml");

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

    /// Checks what serde cannot: an item's own error factor names its source.
    pub fn check(&self) -> Result<(), String> {
        for c in &self.case {
            for m in std::iter::once(&c.milestone).chain(&c.matches) {
                if m.cost_factor_90.is_some() && m.cost_factor_source.is_none() {
                    return Err(format!(
                        "case {}, model {}: cost_factor_90 needs cost_factor_source (where the interval was published)",
                        c.id, m.model
                    ));
                }
            }
        }
        Ok(())
    }
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

impl Estimate {
    /// The value as a scenario number: an interval at its stated level (a published range
    /// without a level counts as a 90% interval), or the central value when none was published.
    pub fn written(&self) -> String {
        match (self.low, self.high) {
            (Some(lo), Some(hi)) => {
                let level = match self.interval.as_deref() {
                    Some(i) if i.contains("95%") => " @ 95%",
                    _ => "",
                };
                format!("\"{lo} to {hi}{level}\"")
            }
            _ => format!("{}", self.central),
        }
    }
}

/// A 90% error factor: finite and at least 1 (1 = exact). Refused at its own line and column.
fn factor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let f = f64::deserialize(d)?;
    if f.is_finite() && f >= 1.0 {
        Ok(f)
    } else {
        Err(serde::de::Error::custom(format!(
            "{f} is not a 90% error factor: a finite number ≥ 1 (1 = exact; 2 = within a factor 2 either way)"
        )))
    }
}

fn some_factor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    factor(d).map(Some)
}

/// Reads a data file (the shipped text when `path` is `None`) as `T`; errors name the file,
/// line and column.
pub fn read<T: for<'de> Deserialize<'de>>(
    path: Option<&Path>,
    shipped: &str,
    shipped_name: &str,
) -> Result<T, String> {
    let (name, text) = match path {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?,
        ),
        None => (shipped_name.to_string(), shipped.to_string()),
    };
    toml::from_str(&text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                (
                    before.matches('\n').count() + 1,
                    before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                )
            })
            .unwrap_or((1, 1));
        format!("{name}:{line}:{col}: {}", e.message())
    })
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
        let h: History = read(None, HISTORY, "data/history.toml").unwrap();
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
        let t: Trends = read(None, TRENDS, "data/trends.toml").unwrap();
        for e in &t.estimate {
            year_of(&e.published, &e.source).unwrap();
            assert!(!e.source.is_empty());
        }
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
