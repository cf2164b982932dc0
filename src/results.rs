//! What a run reports, as plain serde structs: the single source of every number the tables,
//! CSV/JSON files and charts show.

use serde::{Deserialize, Serialize};

use crate::scenario::{Scenario, ScenarioError};

/// The quantile levels every distribution is reported at.
pub const QUANTILE_LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Five quantiles of an affordability time or lag; `None` means "not by the horizon".
pub type TimeQuantiles = [Option<f64>; 5];

/// The results of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResults {
    /// Number of samples drawn.
    pub samples: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// First year of the horizon.
    pub start_year: f64,
    /// Last year of the horizon.
    pub end_year: f64,
    /// Reporting years.
    pub years: Vec<f64>,
    /// One entry per target × actor class, target-major.
    pub affordability: Vec<PairResult>,
    /// Fan-chart quantiles of every trajectory.
    pub trajectories: Vec<SeriesResult>,
    /// Requested and achieved rank correlations between inputs.
    pub correlations: Vec<CorrelationResult>,
    /// Per target × actor class whose access differs from the frontier's: the class's own cost.
    pub class_costs: Vec<ClassCostResult>,
    /// Per target: how many actors can afford it by each reporting year (when the scenario has
    /// actors within classes or ranks).
    pub actor_counts: Vec<ActorCountResult>,
    /// Per target × requested rank `r`: when the r-th actor over all classes can first afford it.
    pub ranks: Vec<RankResult>,
    /// Per target × actor class × component (and totals): what the costs beyond compute add
    /// (only when the scenario has any).
    pub cost_components: Vec<ComponentResult>,
    /// Per target × actor class: which component is largest at the affordability year.
    pub dominant_components: Vec<DominantResult>,
    /// The value series whose lowest quantiles are only upper bounds in some reporting years.
    pub floored: Vec<FlooredSeries>,
}

/// A value series whose values spread over more than a histogram's window (28 decades below
/// the largest) in some reporting years: its lowest quantiles there are reported at the
/// window's edge, above their true value ([`crate::stats::LogHistogram::floored`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlooredSeries {
    /// The series as a reader finds it: its kind and whose it is, e.g. `cost of GPT-4 level`.
    pub series: String,
    /// The first and last reporting year with a quantile so reported.
    pub years: [f64; 2],
    /// The most of the [`QUANTILE_LEVELS`] so reported in one year (the lowest ones).
    pub levels: usize,
}

/// One component (or total) of a class's cost of a target, per reporting year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentResult {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// `compute`, `data`, `staff`, `deployment`, `train` or `train_and_deploy`.
    pub component: String,
    /// Quantiles at [`QUANTILE_LEVELS`] of its cost per reporting year, dollars; `None` before
    /// the target exists.
    pub quantiles: Vec<Option<[f64; 5]>>,
    /// Quantiles of its share of the whole cost (every component), per reporting year; `None`
    /// for totals.
    pub share: Option<Vec<Option<[f64; 5]>>>,
    /// Its mean share of the whole cost per reporting year (the components' mean shares add up
    /// to one); `None` for totals.
    pub mean_share: Option<Vec<Option<f64>>>,
}

/// Which component is the largest part of what must fit in the budget, at the year a class can
/// first afford a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DominantResult {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// Samples in which the class affords the target by the horizon.
    pub samples: u64,
    /// Per component present: the share of those samples in which it is the largest.
    pub share_of_samples: Vec<(String, f64)>,
}

/// A class's own whole-project cost of a target, `C_jk(t)`, where it differs from the frontier's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCostResult {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// Quantiles at [`QUANTILE_LEVELS`] per reporting year, dollars; `None` before the target
    /// exists.
    pub quantiles: Vec<Option<[f64; 5]>>,
}

/// How many actors (over all classes) can afford a target by each reporting year (fields in
/// `summary.json`'s order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorCountResult {
    /// Per reporting year; `None` before the target exists.
    pub by_year: Vec<Option<CountStats>>,
    /// Target name.
    pub target: String,
    /// Actors over all classes.
    pub total: u64,
}

/// The distribution of a count over samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CountStats {
    /// Mean over samples.
    pub mean: f64,
    /// 5th percentile.
    pub p5: u64,
    /// Median.
    pub p50: u64,
    /// 95th percentile.
    pub p95: u64,
}

/// When the r-th actor over all classes can first afford a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankResult {
    /// Target name.
    pub target: String,
    /// The rank `r` (1 = the first actor to afford it).
    pub rank: u32,
    /// The frontier year of a frontier-of-year target.
    pub frontier_year: Option<f64>,
    /// `P(τ_(r) ≤ y)` for each reporting year.
    pub p_by_year: Vec<f64>,
    /// `P(τ_(r) ≤ end_year)`.
    pub p_by_horizon: f64,
    /// Quantiles of `τ_(r)`; `None` means not by the horizon.
    pub quantiles: TimeQuantiles,
}

/// A requested correlation and what the run achieved (fields in `summary.json`'s order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationResult {
    /// The two inputs.
    pub between: [String; 2],
    /// The normal copula's Pearson correlation used for it.
    pub pearson_of_scores: f64,
    /// Achieved Spearman rank correlation, `6/π · asin(r/2)` of the scores' sample correlation
    /// `r` (exact for the copula; the inputs' ranks are the scores' ranks).
    pub rho_achieved: f64,
    /// Requested Spearman rank correlation.
    pub rho_requested: f64,
}

/// Affordability of one target for one actor class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairResult {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// The frontier year of a frontier-of-year target.
    pub frontier_year: Option<f64>,
    /// `P(τ ≤ y)` for each reporting year.
    pub p_by_year: Vec<f64>,
    /// `P(τ ≤ end_year)`: affordable by the horizon.
    pub p_by_horizon: f64,
    /// `P(τ = ∞)`: not affordable by the horizon.
    pub p_never: f64,
    /// Quantiles of `τ` at [`QUANTILE_LEVELS`].
    pub quantiles: TimeQuantiles,
    /// Quantiles of the lag `τ − Y`, for frontier-of-year targets.
    pub lag_quantiles: Option<TimeQuantiles>,
}

/// Which trajectory a series is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesKind {
    /// A target's whole-project training cost `C(t)`, dollars.
    Cost,
    /// An actor class's budget `B(t)`, dollars.
    Budget,
    /// The frontier spend `S(t)`, dollars.
    FrontierSpend,
    /// Effective FLOP per dollar `P(t)`.
    FlopPerDollar,
    /// Algorithmic efficiency multiplier `A(t)`.
    AlgorithmicEfficiency,
}

impl SeriesKind {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesKind::Cost => "cost",
            SeriesKind::Budget => "budget",
            SeriesKind::FrontierSpend => "frontier_spend",
            SeriesKind::FlopPerDollar => "flop_per_dollar",
            SeriesKind::AlgorithmicEfficiency => "algorithmic_efficiency",
        }
    }

    /// The unit of its values.
    pub fn unit(self) -> &'static str {
        match self {
            SeriesKind::Cost | SeriesKind::Budget | SeriesKind::FrontierSpend => "USD",
            SeriesKind::FlopPerDollar => "FLOP/USD",
            SeriesKind::AlgorithmicEfficiency => "multiplier",
        }
    }
}

/// Quantiles of one trajectory at every reporting year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesResult {
    /// What it is.
    pub kind: SeriesKind,
    /// The target or actor class it belongs to (none for the shared processes).
    pub name: Option<String>,
    /// Quantiles at [`QUANTILE_LEVELS`] per reporting year; `None` where it does not exist
    /// (a frontier-of-year target before its year).
    pub quantiles: Vec<Option<[f64; 5]>>,
}

/// One point of the lag trend: an actor class's lag for one frontier-of-year target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LagPoint<'a> {
    /// Actor class.
    pub actor: &'a str,
    /// The frontier-of-year target.
    pub target: &'a str,
    /// Its frontier year.
    pub frontier_year: f64,
    /// Share of samples not affordable by the horizon.
    pub p_beyond: f64,
    /// Quantiles of the lag (`None`: beyond the horizon).
    pub lag: TimeQuantiles,
}

impl RunResults {
    /// One warning for each series whose lowest quantiles are only upper bounds
    /// ([`RunResults::floored`]).
    pub fn floored_warnings(&self) -> Vec<String> {
        let percent = |p: f64| format!("p{}", (100.0 * p).round());
        self.floored
            .iter()
            .map(|f| {
                let levels = QUANTILE_LEVELS[..f.levels]
                    .iter()
                    .map(|&p| percent(p))
                    .collect::<Vec<_>>()
                    .join(", ");
                let [a, b] = f.years.map(|y| crate::format::round_year(y).to_string());
                let years = if a == b { a } else { format!("{a} to {b}") };
                format!(
                    "{} in {years}: its values spread over more than 28 decades, and the \
                     lowest are counted together 28 decades below the largest, so its {levels} \
                     (trajectories.csv, charts, compare --budgets) are upper bounds, not \
                     quantiles; a cap on the growth behind it (e.g. [algorithms] \
                     max_improvement) or a shorter horizon keeps them exact",
                    f.series
                )
            })
            .collect()
    }

    /// Refuses results with a number beyond what a double holds: a quantile of a dollar figure
    /// (or FLOP per dollar, or efficiency) above about 1.8e308 in some reporting year, which a
    /// scenario can reach with extreme inputs (a target of 1e300 FLOP at 1e-10 FLOP per
    /// dollar). Every writer, chart and front end reads these results, so none of them ever
    /// shows `inf`. The error names the first such quantity (a cost component before the whole
    /// cost it is part of) and year, at the table or key of `scn` (the scenario these results
    /// are of) that the quantity comes from.
    pub fn check_finite(&self, scn: &Scenario) -> Result<(), ScenarioError> {
        let year = |i: usize| self.years.get(i).copied().unwrap_or(f64::NAN);
        let first_bad = |quantiles: &[Option<[f64; 5]>]| {
            quantiles.iter().enumerate().find_map(|(i, q)| {
                let q = (*q)?;
                let p = q.iter().position(|v| !v.is_finite())?;
                Some((year(i), QUANTILE_LEVELS[p]))
            })
        };
        // Dotted paths with 1-based indices, as the scenario's text has them.
        let target = |name: &str| {
            let i = scn.targets.iter().position(|t| t.name == name);
            i.map_or("target".to_string(), |i| format!("target[{}]", i + 1))
        };
        let actor = |name: &str| {
            let i = scn.actors.iter().position(|a| a.name == name);
            i.map_or("actor".to_string(), |i| format!("actor[{}].budget", i + 1))
        };
        let components = self.cost_components.iter().map(|c| {
            let key = match c.component.as_str() {
                "data" => "costs.data".to_string(),
                "staff" => "costs.staff".to_string(),
                "deployment" => "deployment".to_string(),
                _ => target(&c.target),
            };
            let what = format!("{} cost of {} to {}", c.component, c.target, c.actor);
            (what, key, &c.quantiles[..])
        });
        let class_costs = self.class_costs.iter().map(|c| {
            let what = format!("cost of {} to {}", c.target, c.actor);
            (what, target(&c.target), &c.quantiles[..])
        });
        let series = self.trajectories.iter().map(|s| {
            let name = s.name.as_deref().unwrap_or("");
            let (what, key) = match s.kind {
                SeriesKind::Cost => (format!("cost of {name}"), target(name)),
                SeriesKind::Budget => (format!("budget of {name}"), actor(name)),
                SeriesKind::FrontierSpend => ("frontier spend".into(), "investment".into()),
                SeriesKind::FlopPerDollar => ("FLOP per dollar".into(), "hardware".into()),
                SeriesKind::AlgorithmicEfficiency => {
                    ("algorithmic efficiency".into(), "algorithms".into())
                }
            };
            (what, key, &s.quantiles[..])
        });
        for (what, key, quantiles) in components.chain(class_costs).chain(series) {
            if let Some((year, p)) = first_bad(quantiles) {
                // A target's FLOP is bought at the hardware's and algorithms' rates: those may
                // be what is out of range.
                let also = if key.starts_with("target") {
                    ", or the FLOP per dollar ([hardware]) and efficiency ([algorithms]) its FLOP is bought at"
                } else {
                    ""
                };
                return Err(scn.error_at(
                    &key,
                    format!(
                        "the {what} in {year} is beyond the largest number this tool holds (about 1.8e308) at its {}th percentile: the numbers of this table are out of range{also}",
                        p * 100.0
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The lag trend: for every actor class (in scenario order), its lag for every
    /// frontier-of-year target, by frontier year. The same numbers as the per-target lags.
    pub fn lag_trend(&self) -> Vec<LagPoint<'_>> {
        let mut actors: Vec<&str> = Vec::new();
        for p in &self.affordability {
            if !actors.contains(&p.actor.as_str()) {
                actors.push(&p.actor);
            }
        }
        let mut points = Vec::new();
        for actor in actors {
            let mut mine: Vec<LagPoint> = self
                .affordability
                .iter()
                .filter(|p| p.actor == actor)
                .filter_map(|p| {
                    Some(LagPoint {
                        actor,
                        target: &p.target,
                        frontier_year: p.frontier_year?,
                        p_beyond: p.p_never,
                        lag: p.lag_quantiles?,
                    })
                })
                .collect();
            mine.sort_by(|a, b| a.frontier_year.total_cmp(&b.frontier_year));
            points.extend(mine);
        }
        points
    }
}
