//! One point of a sweep: its scenario (the text as read, with the sweep's `--set` values and the
//! point's applied by the machinery of `--set`) and its results.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::{Point, SweepError};
use crate::format::round_year;
use crate::scenario::{self, Override, Scenario};
use crate::schema::Pair;
use crate::sim::{self, RunOptions, SimError};

/// The scenario a sweep varies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The file it was read from (`<stdin>` for standard input), for messages.
    pub path: PathBuf,
    /// Its text as read, before any `--set`.
    pub text: String,
    /// The `--set` values of the whole sweep, applied before each point's.
    pub set: Vec<Override>,
    /// Samples of every point.
    pub samples: u64,
    /// Seed of every point.
    pub seed: u64,
}

/// The scenario of `point`: the base text with the sweep's `--set` values and then the point's
/// applied, with the base's samples and seed. An error in a point's value names its axis.
pub fn scenario_at(base: &Base, point: &Point) -> Result<Scenario, SweepError> {
    let mut all = base.set.clone();
    all.extend(point.overrides.iter().cloned());
    let mut scn = scenario::from_str_with(&base.path, &base.text, &all)
        .map_err(|source| in_point(point, source))?;
    scn.samples = base.samples;
    scn.seed = base.seed;
    Ok(scn)
}

/// A problem (an error, or a warning) with the scenario of `point`, located in the point: in the
/// axis that set the value it concerns, when a point's value did.
pub fn in_point(point: &Point, source: scenario::ScenarioError) -> SweepError {
    let axis = source.set.as_ref().and_then(|set| {
        let k = point.overrides.iter().position(|o| o.to_string() == *set)?;
        point.axes.get(k).cloned()
    });
    let values: Vec<String> = point.overrides.iter().map(|o| o.to_string()).collect();
    SweepError::Point {
        point: point.index,
        values: values.join(", "),
        axis,
        source: Box::new(source),
    }
}

/// What a sweep keeps of one point's run: the affordability of every target × actor class, as
/// `summary.json` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    /// First year of the point's horizon.
    pub start_year: f64,
    /// Last year of the point's horizon (P by the horizon is by this year).
    pub end_year: f64,
    /// The point's reporting years (each pair's `p_by_year` is by these).
    pub years: Vec<f64>,
    /// Per target × actor class, target-major, as in `summary.json`.
    pub affordability: Vec<Pair>,
}

impl From<&crate::schema::Summary> for PointResult {
    /// The sweep's part of a run's summary.json: the same numbers as [`PointResult::new`] of
    /// the run's results (so a point can be run anywhere as a plain `run` and joined later).
    fn from(s: &crate::schema::Summary) -> Self {
        Self {
            start_year: s.start_year,
            end_year: s.end_year,
            years: s.years.clone(),
            affordability: s.affordability.clone(),
        }
    }
}

impl PointResult {
    /// The sweep's part of a run's results.
    pub fn new(r: &crate::results::RunResults) -> Self {
        Self {
            start_year: r.start_year,
            end_year: r.end_year,
            years: r.years.iter().map(|y| round_year(*y)).collect(),
            affordability: r.affordability.iter().map(Pair::from).collect(),
        }
    }
}

/// Samples `scn` (a point's scenario, from [`scenario_at`], which carries the sweep's samples
/// and seed: every point the same, for common random numbers) on `threads` worker threads
/// (results do not depend on them) and keeps its [`PointResult`]. `progress` is called with
/// the samples finished after each batch.
pub fn run_point(
    scn: &Scenario,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<PointResult, SimError> {
    let opts = RunOptions {
        samples: scn.samples,
        seed: scn.seed,
        threads: threads.max(1),
    };
    let tally = sim::simulate(scn, &opts, progress, cancel)?;
    Ok(PointResult::new(&tally.finish(scn)))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::sweep::{Axis, points};

    const TEXT: &str = r#"[scenario]
name = "S"
start_year = 2025.0
end_year = 2040.0
samples = 10
seed = 3

[hardware]
flop_per_dollar = 1e18
doubling_time_years = 2.5

[algorithms]
halving_time_years = 1.0

[[actor]]
name = "Lab"
budget = "$1M"

[[target]]
name = "T"
flop = 1e26
"#;

    fn base() -> Base {
        Base {
            path: Path::new("s.toml").to_path_buf(),
            text: TEXT.into(),
            set: vec![Override::parse("hardware.flop_per_dollar=2e18").unwrap()],
            samples: 64,
            seed: 9,
        }
    }

    #[test]
    fn a_point_applies_the_sweep_set_then_its_own_values() {
        let (_, p) = points(
            &[Axis::grid("hardware.doubling_time_years=2,3").unwrap()],
            None,
            0,
        )
        .unwrap();
        let scn = scenario_at(&base(), &p[1]).unwrap();
        assert!(scn.text.contains("flop_per_dollar = 2e18"));
        assert!(scn.text.contains("doubling_time_years = 3\n"));
        assert_eq!((scn.samples, scn.seed), (64, 9));
        assert_eq!(scn.overrides.len(), 2);
    }

    #[test]
    fn a_bad_value_names_its_axis_and_point() {
        let (_, p) = points(
            &[Axis::grid("hardware.doubling_time_years=2,0").unwrap()],
            None,
            0,
        )
        .unwrap();
        let e = scenario_at(&base(), &p[1]).unwrap_err().to_string();
        assert!(
            e.starts_with("s.toml: in --grid hardware.doubling_time_years=2,0 (point 2: hardware.doubling_time_years=0): `hardware.doubling_time_years`: "),
            "{e}"
        );
        let (_, p) = points(&[Axis::grid("hardware.no_such_key=1").unwrap()], None, 0).unwrap();
        let e = scenario_at(&base(), &p[0]).unwrap_err().to_string();
        assert!(
            e.contains("in --grid hardware.no_such_key=1 (point 1"),
            "{e}"
        );
    }
}
