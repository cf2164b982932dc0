/*!
Sweeps: one scenario run at many points, each point the scenario with some keys set (as
`--set` sets them), every point on the same random numbers.

The steps are separate so that a front end can run the points wherever it likes (a Python
binding on a Dask cluster) and still assemble exactly the files the command line writes:

1. [`Axis::grid`] and [`Axis::lhs`] read the `--grid KEY=V1,V2,…` and `--lhs KEY=LOW:HIGH`
   arguments; [`points`] turns them into the [`Point`]s of the sweep (a grid's cartesian
   product, or a Latin hypercube).
2. [`scenario_at`] is the scenario of one point (the override machinery of `--set`, applied to
   the text as read); [`run_point`] samples it into a [`PointResult`] (plain serde data).
3. [`table`] writes `sweep.csv` and [`SweepDoc`] `sweep.json` from the points and their
   results; [`text_table`] is what the command prints.

Common random numbers come free: every input's random stream is keyed by the seed, the sample
index and the input's name, and every point runs with the same seed and samples, so inputs a
point does not set draw the very same numbers at every point (and a point equal to the scenario
as written gives byte-identical numbers to `run`).
*/

mod axes;
mod design;
mod point;
mod table;

pub use axes::{Axis, MAX_POINTS};
pub use design::{Design, points, stratum};
pub use point::{Base, PointResult, in_point, run_point, scenario_at};
pub use table::{SWEEP_SCHEMA_VERSION, SweepDoc, SweptPoint, table, text_table};

use crate::scenario::{Override, ScenarioError};

/// One point of a sweep: the values it sets, in the order of the sweep's axes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// Its number, from 1, in the order the sweep runs the points.
    pub index: usize,
    /// One `KEY=VALUE` per axis, applied after the `--set` values of the whole sweep.
    pub overrides: Vec<Override>,
    /// Per override: the argument of its axis (`--grid KEY=…` or `--lhs KEY=…`), to name in
    /// errors.
    pub axes: Vec<String>,
}

impl Point {
    /// Each value as set, for tables: the TOML value, a string without its quotes (`2.5`,
    /// `2 to 3`, `$1M`).
    pub fn values(&self) -> Vec<String> {
        self.overrides.iter().map(|o| shown(o.value())).collect()
    }

    /// Each value as a number where it is one (`2.5`, `$1M` = 1e6), for charts.
    pub fn numbers(&self) -> Vec<Option<f64>> {
        self.values()
            .iter()
            .map(|v| crate::scenario::number::parse_amount(v).filter(|x| x.is_finite()))
            .collect()
    }
}

/// A TOML value as shown in tables: a string's text without quotes, anything else as written.
fn shown(toml_text: &str) -> String {
    let doc = format!("v = {toml_text}\n");
    match toml::from_str::<toml::Table>(&doc)
        .ok()
        .and_then(|t| t.get("v").cloned())
    {
        Some(toml::Value::String(s)) => s,
        _ => toml_text.to_string(),
    }
}

/// Why a sweep cannot be made or run as asked: all bad input (exit 2 on the command line).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// A `--grid`, `--lhs` or `--points` argument that cannot be read, or a combination that
    /// makes no sense.
    #[error("{0}")]
    Argument(String),
    /// The scenario refuses a point's values.
    #[error("{}", point_error(*.point, .values, .axis.as_deref(), .source))]
    Point {
        /// The point's number.
        point: usize,
        /// What the point sets, `KEY=VALUE` joined by `, `.
        values: String,
        /// The argument of the axis whose value is at fault, when it is one value's fault.
        axis: Option<String>,
        /// What the scenario says.
        source: Box<ScenarioError>,
    },
}

/// The message of a point the scenario refuses: the axis argument and value when the error is
/// in one, else the scenario's own message (with its line and column) for that point.
fn point_error(point: usize, values: &str, axis: Option<&str>, e: &ScenarioError) -> String {
    let mut s = e.file.display().to_string();
    match (axis, &e.set) {
        (Some(axis), Some(set)) => {
            s += &format!(": in {axis} (point {point}: {set})");
        }
        _ => {
            let at = e
                .position
                .map(|(l, c)| format!(":{l}:{c}"))
                .unwrap_or_default();
            s += &format!("{at}: at point {point} ({values})");
            if let Some(set) = &e.set {
                s += &format!(" (in --set {set})");
            }
        }
    }
    if !e.key.is_empty() {
        s += &format!(": `{}`", e.key);
    }
    s + ": " + &e.message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shown_without_toml_quotes_and_read_as_numbers() {
        let p = Point {
            index: 1,
            overrides: ["a=2.5", "b=2 to 3", "c=$1M", "d=[1, 2]"]
                .iter()
                .map(|a| Override::parse(a).unwrap())
                .collect(),
            axes: vec![String::new(); 4],
        };
        assert_eq!(p.values(), ["2.5", "2 to 3", "$1M", "[1, 2]"]);
        assert_eq!(p.numbers(), [Some(2.5), None, Some(1e6), None]);
    }
}
