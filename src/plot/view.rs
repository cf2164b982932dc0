//! What the charts show of a finished run, beyond its numbers: the title, the provenance line,
//! the actor classes drawn and the axis ranges (`--title`, `--no-provenance`, `--actors`,
//! `--year-range`, `--cost-range`). Checked against what a folder holds before anything is drawn,
//! so that a bad value is bad input, never a drawing failure.

use std::path::Path;

use crate::format::group_digits;

/// The display options of the charts. The default shows everything, as the data are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// Replaces the scenario's name at the start of every title; empty: no name, only what the
    /// chart shows.
    pub title: Option<String>,
    /// Leaves out the provenance line (version, samples, seed) at the foot of each chart.
    pub no_provenance: bool,
    /// Only these actor classes are drawn (names as in the scenario).
    pub actors: Option<Vec<String>>,
    /// The calendar years of the x axis, `(from, to)`.
    pub years: Option<(f64, f64)>,
    /// The dollar range of the cost charts' y axis, `(low, high)`.
    pub costs: Option<(f64, f64)>,
}

/// What a folder's charts can show, to check a [`View`] against.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// What the folder holds, for messages: "run", "scenario comparison", …
    pub kind: &'static str,
    /// The actor classes its charts draw.
    pub classes: Vec<String>,
    /// The reporting years its charts draw, in order.
    pub years: Vec<f64>,
    /// Whether it draws cost charts (a dollar y axis `--cost-range` sets).
    pub costs: bool,
    /// Whether its charts have a calendar-year x axis (`--year-range`).
    pub year_axis: bool,
}

impl View {
    /// The flags given, by name (for messages).
    pub fn flags(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.title.is_some() {
            v.push("--title");
        }
        if self.no_provenance {
            v.push("--no-provenance");
        }
        if self.actors.is_some() {
            v.push("--actors");
        }
        if self.years.is_some() {
            v.push("--year-range");
        }
        if self.costs.is_some() {
            v.push("--cost-range");
        }
        v
    }

    /// Refuses options that the charts of `scope` cannot honour: an unknown class, a year
    /// range outside the folder's years, a cost range where no cost chart is drawn.
    pub fn check(&self, scope: &Scope) -> Result<(), String> {
        if self.years.is_some() && !scope.year_axis {
            return Err(format!(
                "--year-range sets the x axis of charts over calendar years, and a {}'s charts have none",
                scope.kind
            ));
        }
        if let Some(names) = &self.actors {
            let known = || {
                scope
                    .classes
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            for n in names {
                if !scope.classes.contains(n) {
                    return Err(format!(
                        "--actors: no actor class \"{n}\" in this {}; the classes are: {}",
                        scope.kind,
                        known()
                    ));
                }
            }
        }
        if let (Some((a, b)), Some(&first), Some(&last)) =
            (self.years, scope.years.first(), scope.years.last())
        {
            if b <= first || a >= last {
                return Err(format!(
                    "--year-range {a}:{b} lies outside the years of this {} ({first}–{last})",
                    scope.kind
                ));
            }
            let within = scope.years.iter().filter(|y| **y >= a && **y <= b).count();
            if within < 2 {
                return Err(format!(
                    "--year-range {a}:{b} holds {within} of the reporting years of this {} ({}), and a line needs two: widen it",
                    scope.kind,
                    scope
                        .years
                        .iter()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if self.costs.is_some() && !scope.costs {
            return Err(format!(
                "--cost-range sets the dollar axis of the cost charts, and a {} draws none",
                scope.kind
            ));
        }
        Ok(())
    }

    /// Whether the class `name` is drawn.
    pub fn shows(&self, name: &str) -> bool {
        self.actors
            .as_ref()
            .is_none_or(|v| v.iter().any(|a| a == name))
    }

    /// Whether the year `y` lies on the x axis.
    pub fn within(&self, y: f64) -> bool {
        self.years.is_none_or(|(a, b)| y >= a && y <= b)
    }

    /// The name titles start with: `--title` when given, else the scenario's.
    pub fn name<'a>(&'a self, scenario: &'a str) -> &'a str {
        self.title.as_deref().unwrap_or(scenario)
    }

    /// The provenance line of a folder's charts (`None` with `--no-provenance`): the version
    /// that wrote the numbers (from `manifest.json`, when there is one), then `what` (samples
    /// and seed).
    pub fn provenance(&self, dir: &Path, what: &str) -> Option<String> {
        if self.no_provenance {
            return None;
        }
        Some(match tool(dir) {
            Some(tool) => format!("{tool} · {what}"),
            None => what.to_string(),
        })
    }
}

/// `"2,000 samples, seed 42"`.
pub fn samples_and_seed(samples: u64, seed: u64) -> String {
    format!("{} samples, seed {seed}", group_digits(samples))
}

/// The tool and version that wrote a folder (`manifest.json`'s `tool`), if it says.
fn tool(dir: &Path) -> Option<String> {
    let bytes = std::fs::read(dir.join("manifest.json")).ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    doc.get("tool")?.as_str().map(str::to_string)
}

/// Parses `--year-range A:B`: two finite years, `A < B`.
pub fn parse_year_range(s: &str) -> Result<(f64, f64), String> {
    let bad = |why: &str| format!("--year-range \"{s}\": {why}; write FROM:TO, e.g. 2025:2045");
    let (a, b) = s.split_once(':').ok_or_else(|| bad("no colon"))?;
    let year = |t: &str| -> Result<f64, String> {
        match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && (1000.0..=10000.0).contains(&v) => Ok(v),
            Ok(_) => Err(bad(&format!("{} is not a calendar year", t.trim()))),
            Err(_) => Err(bad(&format!("\"{}\" is not a year", t.trim()))),
        }
    };
    let (a, b) = (year(a)?, year(b)?);
    if a >= b {
        return Err(bad("the first year must come before the second"));
    }
    Ok((a, b))
}

/// Parses `--cost-range A:B`: two positive, finite dollar amounts (`1e3`, `$1K`, `10M`),
/// `A < B`.
pub fn parse_cost_range(s: &str) -> Result<(f64, f64), String> {
    let bad = |why: &str| {
        format!("--cost-range \"{s}\": {why}; write LOW:HIGH in dollars, e.g. 1K:1T or 1e3:1e12")
    };
    let (a, b) = s.split_once(':').ok_or_else(|| bad("no colon"))?;
    let amount = |t: &str| -> Result<f64, String> {
        match crate::scenario::number::parse_amount(t.trim()) {
            Some(v) if v.is_finite() && v > 0.0 => Ok(v),
            Some(v) => Err(bad(&format!("{v} is not a positive, finite amount"))),
            None => Err(bad(&format!("\"{}\" is not an amount", t.trim()))),
        }
    };
    let (a, b) = (amount(a)?, amount(b)?);
    if a >= b {
        return Err(bad("the low end must be below the high end"));
    }
    Ok((a, b))
}

/// Parses `--actors LIST`: comma-separated class names, none empty, each once.
pub fn parse_actors(s: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in s.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(format!(
                "--actors \"{s}\": an empty name; write class names separated by commas, e.g. \"Big tech,Academic labs\""
            ));
        }
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_and_bad_ones_refused() {
        assert_eq!(parse_year_range("2025:2045"), Ok((2025.0, 2045.0)));
        assert_eq!(parse_year_range(" 2030.5 : 2040 "), Ok((2030.5, 2040.0)));
        for bad in [
            "2045:2025",
            "2030:2030",
            "2030",
            "a:b",
            "NaN:2040",
            "2030:inf",
            "0:5",
        ] {
            assert!(parse_year_range(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_cost_range("1e3:1e12"), Ok((1e3, 1e12)));
        assert_eq!(parse_cost_range("1K:1T"), Ok((1e3, 1e12)));
        assert_eq!(parse_cost_range("$10M:$1B"), Ok((1e7, 1e9)));
        for bad in [
            "1T:1K",
            "1K:1K",
            "0:1K",
            "-1:1K",
            "1K",
            "inf:1e400",
            "1e3:nan",
            "x:1K",
        ] {
            assert!(parse_cost_range(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_actors("Big tech, Academic labs,Big tech").unwrap(),
            vec!["Big tech".to_string(), "Academic labs".to_string()]
        );
        assert!(parse_actors("Big tech,,x").is_err());
    }

    #[test]
    fn a_view_is_checked_against_what_a_folder_holds() {
        let scope = Scope {
            kind: "run",
            classes: vec!["A".into(), "B".into()],
            years: vec![2025.0, 2030.0, 2040.0, 2050.0, 2060.0],
            costs: true,
            year_axis: true,
        };
        let ok = View {
            actors: Some(vec!["B".into()]),
            years: Some((2050.0, 2080.0)),
            costs: Some((1.0, 10.0)),
            ..View::default()
        };
        assert_eq!(ok.check(&scope), Ok(()));
        let e = View {
            actors: Some(vec!["C".into()]),
            ..View::default()
        }
        .check(&scope)
        .unwrap_err();
        assert!(e.contains("\"C\"") && e.contains("\"A\", \"B\""), "{e}");
        let e = View {
            years: Some((2060.0, 2070.0)),
            ..View::default()
        }
        .check(&scope)
        .unwrap_err();
        assert!(e.contains("outside"), "{e}");
        let e = View {
            years: Some((2031.0, 2045.0)),
            ..View::default()
        }
        .check(&scope)
        .unwrap_err();
        assert!(e.contains("holds 1 of the reporting years"), "{e}");
        let no_costs = Scope {
            costs: false,
            ..scope.clone()
        };
        assert!(ok.check(&no_costs).unwrap_err().contains("--cost-range"));
        let none = Scope {
            year_axis: false,
            ..scope
        };
        let e = View {
            years: Some((2030.0, 2040.0)),
            ..View::default()
        }
        .check(&none)
        .unwrap_err();
        assert!(e.contains("--year-range"), "{e}");
        assert_eq!(View::default().check(&none), Ok(()));
    }
}
