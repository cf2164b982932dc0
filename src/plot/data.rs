//! What the charts draw, read back from a run's saved files (`summary.json`, `trajectories.csv`,
//! `times.csv`), so that `run` and `plot` draw from the very same numbers and nothing is
//! recomputed from samples.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::saved;
use super::view::{View, samples_and_seed};

/// Five quantiles (5, 25, 50, 75, 95%) of a value; `None` where beyond the horizon.
pub type Five = [Option<f64>; 5];

/// One year's five quantiles of a trajectory: `(year, [p5, p25, p50, p75, p95])`.
pub type FanRow = (f64, [f64; 5]);

/// Everything the charts of one run need.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// The name titles start with: the scenario's, or `--title`'s.
    pub scenario: String,
    /// The provenance line at the foot of each chart (version, samples, seed); `None` with
    /// `--no-provenance`.
    pub provenance: Option<String>,
    /// The calendar years of the x axis set by `--year-range` (the data are cut to them).
    pub year_range: Option<(f64, f64)>,
    /// The dollar range of the cost charts' y axis set by `--cost-range`.
    pub cost_range: Option<(f64, f64)>,
    /// Samples and seed, for subtitles.
    pub samples: u64,
    /// Seed of the run.
    pub seed: u64,
    /// First year of the horizon.
    pub start_year: f64,
    /// The horizon.
    pub end_year: f64,
    /// Reporting years.
    pub years: Vec<f64>,
    /// Actor classes in the scenario's order (with `--actors`, only those).
    pub actors: Vec<String>,
    /// Every actor class of the run, whatever `--actors` shows: what colours are chosen among.
    pub all_actors: Vec<String>,
    /// Each class's colour, by its name (see [`super::style::class_colours`]).
    pub colours: Vec<plotters::style::RGBColor>,
    /// Targets in the scenario's order.
    pub targets: Vec<TargetData>,
    /// Fan quantiles per series, keyed by (series, name), one row per reporting year.
    pub series: HashMap<(String, String), Vec<FanRow>>,
    /// Sensitivity rows (from `sensitivity.csv`, when the run has one), ranked within each
    /// target × actor class.
    pub sensitivity: Vec<SensitivityRow>,
    /// A class's own cost of a target, keyed by (target, actor), where its access differs from
    /// the frontier's (the `class_cost` rows of `trajectories.csv`).
    pub class_costs: HashMap<(String, String), Vec<FanRow>>,
    /// When the r-th actor over all classes can first afford each target (from `summary.json`).
    pub ranks: Vec<crate::schema::Rank>,
    /// Costs beyond compute, per target × class × component (from `summary.json`).
    pub cost_components: Vec<crate::schema::CostComponent>,
    /// What must fit in a budget with costs beyond compute (`train`, `train_and_deploy`).
    pub affordability_basis: Option<String>,
    /// `[[observed]]` points of the scenario (from the run's `scenario.toml`).
    pub observed: Vec<crate::scenario::Observed>,
    /// What the scenario says about the frontier's whole-project compute `m · S(t)`.
    pub frontier: FrontierBasis,
}

/// How the frontier's whole-project compute `m · S(t)` (what a `"frontier"` budget is a share
/// of, docs/model.md §17.3) can be drawn from the saved series.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum FrontierBasis {
    /// A class's budget is exactly `m · S(t)` (`budget = "frontier"`, fraction 1): its own
    /// line is the frontier's project.
    Class(usize),
    /// The overhead `m` is a fixed number: `m · S(t)`'s quantiles are `m` times `S(t)`'s.
    Overhead(f64),
    /// Neither (no scenario saved, or an uncertain overhead without a frontier class): the
    /// frontier's project cannot be drawn from the saved quantiles.
    #[default]
    Unknown,
}

/// One row of `sensitivity.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct SensitivityRow {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// Input name.
    pub input: String,
    /// Spearman rank correlation (`None`: undefined, the year never varies).
    pub spearman: Option<f64>,
    /// The main run's median year (`None`: beyond the horizon).
    pub median_year: Option<f64>,
    /// Median year with the input at its 5th percentile.
    pub median_year_input_at_p5: Option<f64>,
    /// Median year with the input at its 95th percentile.
    pub median_year_input_at_p95: Option<f64>,
    /// The swing in years.
    pub swing_years: f64,
}

/// The columns of `sensitivity.csv` the charts read.
const SENSITIVITY_COLUMNS: [&str; 8] = [
    "target",
    "actor",
    "input",
    "spearman",
    "median_year",
    "median_year_input_at_p5",
    "median_year_input_at_p95",
    "swing_years",
];

/// What the numbers of `sensitivity.csv` may be: a rank correlation, finite years, and a swing
/// (the distance between two median years) of 0 or more.
const SENSITIVITY_CHECKS: [(&str, saved::Allowed); 5] = [
    ("spearman", saved::Allowed::Correlation),
    ("median_year", saved::Allowed::Finite),
    ("median_year_input_at_p5", saved::Allowed::Finite),
    ("median_year_input_at_p95", saved::Allowed::Finite),
    ("swing_years", saved::Allowed::NonNegative),
];

/// One target's results.
#[derive(Debug, Clone)]
pub struct TargetData {
    /// Its name.
    pub name: String,
    /// Its frontier year, for frontier-of-year targets.
    pub frontier_year: Option<f64>,
    /// Per actor class (scenario order): P(τ ≤ y) per reporting year.
    pub curves: Vec<Vec<f64>>,
    /// Per actor class: P(not by the horizon).
    pub never: Vec<f64>,
    /// Per actor class: quantiles of the lag (frontier targets).
    pub lags: Vec<Five>,
    /// Per actor class: the median affordability year (`None`: beyond the horizon).
    pub median_years: Vec<Option<f64>>,
}

/// The columns of `trajectories.csv` the charts read (and `actor`, when a run has `class_cost`
/// rows).
const TRAJECTORY_COLUMNS: [&str; 8] = ["series", "name", "year", "p5", "p25", "p50", "p75", "p95"];

/// What the numbers of `trajectories.csv` may be: a finite year, and quantiles of dollars, FLOP
/// per dollar or a multiplier, all positive (written as `exp` of a quantile of logs, a quantile is
/// 0 only when 5% of the samples' values are below `e^-710`, which no scenario's values reach).
const TRAJECTORY_CHECKS: [(&str, saved::Allowed); 6] = [
    ("year", saved::Allowed::Finite),
    ("p5", saved::Allowed::Positive),
    ("p25", saved::Allowed::Positive),
    ("p50", saved::Allowed::Positive),
    ("p75", saved::Allowed::Positive),
    ("p95", saved::Allowed::Positive),
];

#[derive(Deserialize)]
struct TrajectoryRow {
    series: String,
    name: String,
    year: f64,
    p5: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
    /// The class of a `class_cost` row (the column exists only when a run has such rows).
    #[serde(default)]
    actor: String,
}

/// The rows of `trajectories.csv` as a run writes them: each row's quantiles ascending from p5
/// to p95, and each series' years ascending, once each; else the line and what is wrong.
fn check_trajectories(rows: &[(u64, TrajectoryRow)]) -> Result<(), (u64, String)> {
    let mut last_year: HashMap<(&str, &str, &str), f64> = HashMap::new();
    for (line, r) in rows {
        let q = [r.p5, r.p25, r.p50, r.p75, r.p95];
        if let Some(i) = (1..q.len()).find(|&i| q[i] < q[i - 1]) {
            let (a, b) = (TRAJECTORY_COLUMNS[3 + i], TRAJECTORY_COLUMNS[2 + i]);
            let what = format!(
                "`{a}` = {} is below `{b}` = {} (a row's quantiles ascend from p5 to p95)",
                saved::show(q[i]),
                saved::show(q[i - 1])
            );
            return Err((*line, what));
        }
        let key = (r.series.as_str(), r.name.as_str(), r.actor.as_str());
        if let Some(before) = last_year.insert(key, r.year)
            && r.year <= before
        {
            let of = [key.0, key.1, key.2]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let what = format!(
                "year {} follows year {} in the rows of {of} (each series' years ascend, once each)",
                saved::show(r.year),
                saved::show(before)
            );
            return Err((*line, what));
        }
    }
    Ok(())
}

impl ChartData {
    /// Whether the run has per-year values (`trajectory_samples = 0` gives none): the cost
    /// and process charts draw them.
    pub fn has_per_year(&self) -> bool {
        !self.series.is_empty()
    }

    /// (frontier year, target index) of every frontier-of-year target, by year.
    pub fn frontier_targets(&self) -> Vec<(f64, usize)> {
        let mut v: Vec<(f64, usize)> = self
            .targets
            .iter()
            .enumerate()
            .filter_map(|(j, t)| t.frontier_year.map(|y| (y, j)))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    /// Reads a run's output directory.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let summary = saved::summary(&dir.join("summary.json"))?;
        let mut actors: Vec<String> = Vec::new();
        let mut targets: Vec<TargetData> = Vec::new();
        for p in summary.affordability {
            if !actors.contains(&p.actor) {
                actors.push(p.actor.clone());
            }
            if targets.last().is_none_or(|t| t.name != p.target) {
                targets.push(TargetData {
                    name: p.target.clone(),
                    frontier_year: p.frontier_year,
                    curves: Vec::new(),
                    never: Vec::new(),
                    lags: Vec::new(),
                    median_years: Vec::new(),
                });
            }
            let t = targets.last_mut().expect("just pushed");
            t.curves.push(p.p_by_year);
            t.never.push(p.p_not_by_horizon);
            t.lags.push(p.lag.map_or([None; 5], |l| l.ordered()));
            t.median_years.push(p.year.p50);
        }
        let mut series: HashMap<(String, String), Vec<FanRow>> = HashMap::new();
        let mut class_costs: HashMap<(String, String), Vec<FanRow>> = HashMap::new();
        let path = dir.join("trajectories.csv");
        let rows: Vec<(u64, TrajectoryRow)> =
            saved::csv_rows_at(&path, &TRAJECTORY_COLUMNS, &TRAJECTORY_CHECKS)?;
        check_trajectories(&rows).map_err(|(line, what)| saved::damaged(&path, line, &what))?;
        for (_, r) in rows {
            let fan = (r.year, [r.p5, r.p25, r.p50, r.p75, r.p95]);
            if r.series == "class_cost" {
                class_costs.entry((r.name, r.actor)).or_default().push(fan);
            } else {
                series.entry((r.series, r.name)).or_default().push(fan);
            }
        }
        let (observed, frontier) = scenario_facts(dir, &actors)?;
        let sens_path = dir.join("sensitivity.csv");
        let sensitivity = if sens_path.exists() {
            saved::csv_rows_checked(&sens_path, &SENSITIVITY_COLUMNS, &SENSITIVITY_CHECKS)?
        } else {
            Vec::new()
        };
        Ok(Self {
            provenance: View::default()
                .provenance(dir, &samples_and_seed(summary.samples, summary.seed)),
            year_range: None,
            cost_range: None,
            observed,
            frontier,
            sensitivity,
            class_costs,
            ranks: summary.ranks,
            cost_components: summary.cost_components,
            affordability_basis: summary.affordability_basis,
            scenario: summary.scenario,
            samples: summary.samples,
            seed: summary.seed,
            start_year: summary.start_year,
            end_year: summary.end_year,
            years: summary.years,
            colours: super::style::class_colours(&actors),
            all_actors: actors.clone(),
            actors,
            targets,
            series,
        })
    }

    /// The data as `view` shows them: its title, provenance and axis ranges; only its classes
    /// (each keeping the colour it has among all of the run's classes) and only the reporting
    /// years within its year range.
    pub fn with_view(mut self, view: &View) -> Self {
        if let Some(t) = &view.title {
            self.scenario = t.clone();
        }
        if view.no_provenance {
            self.provenance = None;
        }
        self.cost_range = view.costs;
        self.year_range = view.years;
        if view.actors.is_some() {
            let keep: Vec<bool> = self.actors.iter().map(|a| view.shows(a)).collect();
            // The frontier's class by its new position (none when it is not shown), and only
            // the observed points of classes shown.
            if let FrontierBasis::Class(k) = self.frontier {
                let name = &self.actors[k];
                self.frontier = if view.shows(name) {
                    FrontierBasis::Class(keep[..k].iter().filter(|x| **x).count())
                } else {
                    FrontierBasis::Unknown
                };
            }
            self.observed
                .retain(|o| o.actor.as_ref().is_none_or(|a| view.shows(a)));
            pick_all(&mut self.actors, &keep);
            pick_all(&mut self.colours, &keep);
            for t in &mut self.targets {
                pick_all(&mut t.curves, &keep);
                pick_all(&mut t.never, &keep);
                pick_all(&mut t.lags, &keep);
                pick_all(&mut t.median_years, &keep);
            }
            self.sensitivity.retain(|r| view.shows(&r.actor));
            self.cost_components.retain(|r| view.shows(&r.actor));
            self.class_costs.retain(|(_, a), _| view.shows(a));
            self.series
                .retain(|(series, name), _| series != "budget" || view.shows(name));
        }
        if view.years.is_some() {
            let keep: Vec<bool> = self.years.iter().map(|y| view.within(*y)).collect();
            pick_all(&mut self.years, &keep);
            for t in &mut self.targets {
                for c in &mut t.curves {
                    pick_all(c, &keep);
                }
            }
            for r in &mut self.ranks {
                pick_all(&mut r.p_by_year, &keep);
            }
            for c in &mut self.cost_components {
                pick_all(&mut c.quantiles_by_year, &keep);
                if let Some(v) = c.mean_share_by_year.as_mut() {
                    pick_all(v, &keep);
                }
                if let Some(v) = c.share_by_year.as_mut() {
                    pick_all(v, &keep);
                }
            }
            for rows in self
                .series
                .values_mut()
                .chain(self.class_costs.values_mut())
            {
                rows.retain(|(y, _)| view.within(*y));
            }
        }
        self
    }

    /// The x axis of a chart over calendar years whose data start at `from`: the year range
    /// when one is set, else `from` to the horizon.
    pub fn year_axis(&self, from: f64) -> (f64, f64) {
        self.year_range.unwrap_or((from, self.end_year))
    }

    /// A class's own cost of a target, where it differs from the frontier's.
    pub fn class_cost(&self, target: &str, actor: &str) -> Option<&[FanRow]> {
        self.class_costs
            .get(&(target.to_string(), actor.to_string()))
            .map(Vec::as_slice)
    }

    /// The fan rows of a series (`cost`, `budget`, …) for a name (empty for shared processes).
    pub fn fan(&self, series: &str, name: &str) -> &[FanRow] {
        self.series
            .get(&(series.to_string(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }
}

/// Keeps the items of `v` whose flag in `keep` is set (items beyond `keep` are kept).
fn pick_all<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut k = keep.iter();
    v.retain(|_| *k.next().unwrap_or(&true));
}

/// The `[[observed]]` points and the frontier's basis, from the run's saved `scenario.toml` (none
/// when the folder has no scenario, as before `scenario.toml` was saved).
fn scenario_facts(
    dir: &Path,
    actors: &[String],
) -> Result<(Vec<crate::scenario::Observed>, FrontierBasis), String> {
    let path = dir.join("scenario.toml");
    if !path.exists() {
        return Ok((Vec::new(), FrontierBasis::Unknown));
    }
    let scn = crate::scenario::read(&path)
        .and_then(|(path, text)| crate::scenario::from_str(&path, &text))
        .map_err(|mut e| {
            e.message = format!("damaged, not a scenario diffusion-sim saved: {}", e.message);
            e.to_string()
        })?;
    Ok((scn.observed.clone(), frontier_basis(&scn, actors)))
}

/// How the frontier's whole-project compute can be drawn for `scn`, whose classes are drawn in
/// the order of `actors`.
pub fn frontier_basis(scn: &crate::scenario::Scenario, actors: &[String]) -> FrontierBasis {
    use crate::scenario::{ActorBudget, Quantity};
    let whole = scn.actors.iter().find(|a| {
        matches!(a.budget, ActorBudget::Frontier(None))
            || matches!(a.budget, ActorBudget::Frontier(Some(Quantity::Fixed(f))) if f == 1.0)
    });
    if let Some(k) = whole.and_then(|a| actors.iter().position(|n| *n == a.name)) {
        return FrontierBasis::Class(k);
    }
    match scn.overhead {
        Quantity::Fixed(m) if scn.investment.is_some() => FrontierBasis::Overhead(m),
        _ => FrontierBasis::Unknown,
    }
}

/// Where two lines given at the same years cross, by linear interpolation in log space between
/// reporting years: the first year from which `a ≤ b`. Used to mark where the drawn median cost
/// meets a drawn median budget.
pub fn first_crossing(a: &[(f64, f64)], b: &[(f64, f64)]) -> Option<(f64, f64)> {
    let b: HashMap<u64, f64> = b.iter().map(|(y, v)| (y.to_bits(), *v)).collect();
    let pairs: Vec<(f64, f64, f64)> = a
        .iter()
        .filter_map(|(y, va)| b.get(&y.to_bits()).map(|vb| (*y, va.log10(), vb.log10())))
        .collect();
    let (y0, a0, b0) = *pairs.first()?;
    if a0 <= b0 {
        return Some((y0, 10f64.powf(a0)));
    }
    for w in pairs.windows(2) {
        let ((ya, a1, b1), (yb, a2, b2)) = (w[0], w[1]);
        if a2 <= b2 {
            let (d1, d2) = (a1 - b1, a2 - b2);
            let f = d1 / (d1 - d2);
            return Some((ya + f * (yb - ya), 10f64.powf(a1 + f * (a2 - a1))));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_of_two_lines_in_log_space() {
        let a = [(2025.0, 1e6), (2026.0, 1e4)];
        let b = [(2025.0, 1e5), (2026.0, 1e5)];
        // log10: 6 → 4 against 5: halfway, at $100K.
        let (y, v) = first_crossing(&a, &b).unwrap();
        assert!((y - 2025.5).abs() < 1e-12 && (v / 1e5 - 1.0).abs() < 1e-12);
        assert_eq!(first_crossing(&b, &a), Some((2025.0, 1e5)));
        assert_eq!(first_crossing(&[(2025.0, 1e9)], &b), None);
    }
}
