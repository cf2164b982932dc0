//! The layout of `summary.json` as types: written by `report`, read back by `plot` (and by any
//! front end), so a renamed or retyped field breaks the build, not a chart at run time.
//!
//! Fields are in alphabetical order: the file has always listed its keys that way, and keeping
//! it makes the typed writer byte-identical to the files earlier versions wrote.

use serde::{Deserialize, Serialize};

use crate::format::{round_sig, round_year};
use crate::results::{
    ActorCountResult, ClassCostResult, ComponentResult, CorrelationResult, DominantResult,
    PairResult, QUANTILE_LEVELS, RankResult, RunResults, TimeQuantiles,
};
use crate::scenario::Scenario;

/// Version of the `summary.json` layout; bumped when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Per target: how many actors can afford it by each reporting year (only with actors
    /// within classes or ranks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actor_counts: Vec<ActorCountResult>,
    /// Per target × actor class, target-major.
    pub affordability: Vec<Pair>,
    /// What must fit in a budget when costs beyond compute are modelled: `train` or
    /// `train_and_deploy` (absent: compute only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affordability_basis: Option<String>,
    /// Per target × class whose access differs from the frontier's: the class's own cost (none
    /// without per-year outputs, `trajectory_samples = 0`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_costs: Vec<ClassCost>,
    /// Requested and achieved rank correlations (only when the scenario declares some).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlations: Vec<CorrelationResult>,
    /// Per target × class × component (and totals): costs beyond compute (only when the
    /// scenario has any, and has per-year outputs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_components: Vec<CostComponent>,
    /// The scenario's description.
    pub description: Option<String>,
    /// Per target × class: which component is the largest part of what must fit at the year the
    /// class can first afford the target (only with costs beyond compute).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dominant_components: Vec<Dominant>,
    /// The horizon.
    pub end_year: f64,
    /// How to read the file.
    pub note: String,
    /// The quantile levels of every quantile object.
    pub quantile_levels: [f64; 5],
    /// Per target × requested rank (only with `report_ranks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranks: Vec<Rank>,
    /// Samples drawn.
    pub samples: u64,
    /// The scenario's name.
    pub scenario: String,
    /// Layout version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// First year of the horizon.
    pub start_year: f64,
    /// Reporting years.
    pub years: Vec<f64>,
}

/// Five quantiles of a year (or lag); `None` means not by the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct YearQuantiles {
    pub p25: Option<f64>,
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p95: Option<f64>,
}

impl YearQuantiles {
    fn new(q: &TimeQuantiles) -> Self {
        let r = |v: Option<f64>| v.map(round_year);
        Self {
            p5: r(q[0]),
            p25: r(q[1]),
            p50: r(q[2]),
            p75: r(q[3]),
            p95: r(q[4]),
        }
    }

    /// The quantiles in the order of [`QUANTILE_LEVELS`].
    pub fn ordered(&self) -> TimeQuantiles {
        [self.p5, self.p25, self.p50, self.p75, self.p95]
    }
}

/// Five quantiles of a value (dollars).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ValueQuantiles {
    pub p25: f64,
    pub p5: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// Affordability of one target for one actor class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Actor class.
    pub actor: String,
    /// The frontier year of a frontier-of-year target.
    pub frontier_year: Option<f64>,
    /// Quantiles of the lag after the frontier year (frontier targets).
    pub lag: Option<YearQuantiles>,
    /// `P(τ ≤ end_year)`.
    pub p_by_horizon: f64,
    /// `P(τ ≤ y)` per reporting year.
    pub p_by_year: Vec<f64>,
    /// `P(τ > end_year)`: not affordable by the horizon (which says nothing of later years).
    pub p_not_by_horizon: f64,
    /// Target.
    pub target: String,
    /// Quantiles of the affordability year.
    pub year: YearQuantiles,
}

/// A class's own cost of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassCost {
    /// Actor class.
    pub actor: String,
    /// Per reporting year; `None` before the target exists.
    pub quantiles_by_year: Vec<Option<ValueQuantiles>>,
    /// Target.
    pub target: String,
    /// Always `USD`.
    pub unit: String,
}

/// One component (or total) of a class's cost of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostComponent {
    /// Actor class.
    pub actor: String,
    /// `compute`, `data`, `staff`, `deployment`, `train` or `train_and_deploy`.
    pub component: String,
    /// Its mean share of the whole cost per reporting year (components only).
    pub mean_share_by_year: Option<Vec<Option<f64>>>,
    /// Its cost per reporting year; `None` before the target exists.
    pub quantiles_by_year: Vec<Option<ValueQuantiles>>,
    /// Its share of the whole cost per reporting year (components only).
    pub share_by_year: Option<Vec<Option<ValueQuantiles>>>,
    /// Target.
    pub target: String,
    /// Always `USD`.
    pub unit: String,
}

/// Which component is largest at the affordability year, over the samples that afford it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dominant {
    /// Actor class.
    pub actor: String,
    /// Per component: the share of those samples in which it is the largest.
    pub largest: Vec<ComponentShare>,
    /// Samples in which the class affords the target by the horizon.
    pub samples_affordable: u64,
    /// Target.
    pub target: String,
}

/// A component and a share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentShare {
    /// The component.
    pub component: String,
    /// The share.
    pub share: f64,
}

/// When the r-th actor over all classes can first afford a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rank {
    /// The frontier year of a frontier-of-year target.
    pub frontier_year: Option<f64>,
    /// Quantiles of the lag after the frontier year (frontier targets).
    pub lag: Option<YearQuantiles>,
    /// `P(τ_(r) ≤ end_year)`.
    pub p_by_horizon: f64,
    /// `P(τ_(r) ≤ y)` per reporting year.
    pub p_by_year: Vec<f64>,
    /// The rank.
    pub rank: u32,
    /// Target.
    pub target: String,
    /// Quantiles of `τ_(r)`.
    pub year: YearQuantiles,
}

impl Summary {
    /// The summary of a run of `scn`.
    pub fn new(scn: &Scenario, r: &RunResults) -> Self {
        Self {
            actor_counts: r.actor_counts.clone(),
            affordability_basis: scn.components.as_ref().map(|c| {
                match &c.deployment {
                    Some(d) if d.in_budget => "train_and_deploy",
                    _ => "train",
                }
                .to_string()
            }),
            affordability: r.affordability.iter().map(Pair::from).collect(),
            class_costs: r.class_costs.iter().map(ClassCost::from).collect(),
            correlations: r.correlations.clone(),
            cost_components: r.cost_components.iter().map(CostComponent::from).collect(),
            description: scn.description.clone(),
            dominant_components: r.dominant_components.iter().map(Dominant::from).collect(),
            end_year: r.end_year,
            note: "years are fractional calendar years; a null quantile means not affordable by end_year".into(),
            quantile_levels: QUANTILE_LEVELS,
            ranks: r.ranks.iter().map(Rank::from).collect(),
            samples: r.samples,
            scenario: scn.name.clone(),
            schema_version: SCHEMA_VERSION,
            seed: r.seed,
            start_year: r.start_year,
            years: r.years.iter().map(|y| round_year(*y)).collect(),
        }
    }

    /// Reads a `summary.json`, refusing another layout version.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let v: Version = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if v.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "layout version {} (this version of diffusion-sim reads {SCHEMA_VERSION})",
                v.schema_version
            ));
        }
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The pretty-printed bytes, ending in a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("plain data");
        bytes.push(b'\n');
        bytes
    }
}

impl From<&PairResult> for Pair {
    fn from(p: &PairResult) -> Self {
        Self {
            actor: p.actor.clone(),
            frontier_year: p.frontier_year,
            lag: p.lag_quantiles.as_ref().map(YearQuantiles::new),
            p_by_horizon: p.p_by_horizon,
            p_by_year: p.p_by_year.clone(),
            p_not_by_horizon: p.p_never,
            target: p.target.clone(),
            year: YearQuantiles::new(&p.quantiles),
        }
    }
}

impl From<&ClassCostResult> for ClassCost {
    fn from(c: &ClassCostResult) -> Self {
        Self {
            actor: c.actor.clone(),
            quantiles_by_year: c.quantiles.iter().map(value_quantiles).collect(),
            target: c.target.clone(),
            unit: "USD".into(),
        }
    }
}

impl From<&ComponentResult> for CostComponent {
    fn from(c: &ComponentResult) -> Self {
        Self {
            actor: c.actor.clone(),
            component: c.component.clone(),
            mean_share_by_year: c
                .mean_share
                .as_ref()
                .map(|m| m.iter().map(|v| v.map(round_sig)).collect()),
            quantiles_by_year: c.quantiles.iter().map(value_quantiles).collect(),
            share_by_year: c
                .share
                .as_ref()
                .map(|s| s.iter().map(value_quantiles).collect()),
            target: c.target.clone(),
            unit: "USD".into(),
        }
    }
}

impl From<&DominantResult> for Dominant {
    fn from(d: &DominantResult) -> Self {
        Self {
            actor: d.actor.clone(),
            largest: d
                .share_of_samples
                .iter()
                .map(|(c, f)| ComponentShare {
                    component: c.clone(),
                    share: round_sig(*f),
                })
                .collect(),
            samples_affordable: d.samples,
            target: d.target.clone(),
        }
    }
}

impl From<&RankResult> for Rank {
    fn from(k: &RankResult) -> Self {
        Self {
            frontier_year: k.frontier_year,
            lag: k
                .frontier_year
                .map(|y| YearQuantiles::new(&k.quantiles.map(|t| t.map(|t| t - y)))),
            p_by_horizon: k.p_by_horizon,
            p_by_year: k.p_by_year.clone(),
            rank: k.rank,
            target: k.target.clone(),
            year: YearQuantiles::new(&k.quantiles),
        }
    }
}

/// Five quantiles of a value, to 6 significant digits.
fn value_quantiles(q: &Option<[f64; 5]>) -> Option<ValueQuantiles> {
    q.map(|q| ValueQuantiles {
        p5: round_sig(q[0]),
        p25: round_sig(q[1]),
        p50: round_sig(q[2]),
        p75: round_sig(q[3]),
        p95: round_sig(q[4]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            actor_counts: Vec::new(),
            affordability_basis: None,
            affordability: vec![Pair {
                actor: "A".into(),
                frontier_year: Some(2030.0),
                lag: Some(YearQuantiles::new(&[
                    Some(0.5),
                    Some(1.0),
                    Some(2.0),
                    None,
                    None,
                ])),
                p_by_horizon: 0.6,
                p_by_year: vec![0.0, 0.6],
                p_not_by_horizon: 0.4,
                target: "T".into(),
                year: YearQuantiles::new(&[Some(2030.5), Some(2031.0), Some(2032.0), None, None]),
            }],
            class_costs: Vec::new(),
            correlations: Vec::new(),
            cost_components: Vec::new(),
            description: None,
            dominant_components: Vec::new(),
            end_year: 2040.0,
            note: "n".into(),
            quantile_levels: QUANTILE_LEVELS,
            ranks: Vec::new(),
            samples: 10,
            scenario: "s".into(),
            schema_version: SCHEMA_VERSION,
            seed: 1,
            start_year: 2025.0,
            years: vec![2030.0, 2040.0],
        }
    }

    #[test]
    fn a_summary_reads_back_as_written() {
        let s = summary();
        assert_eq!(Summary::from_slice(&s.to_bytes()).unwrap(), s);
        assert_eq!(s.affordability[0].year.ordered()[2], Some(2032.0));
    }

    #[test]
    fn another_layout_version_is_refused() {
        let mut s = summary();
        s.schema_version = SCHEMA_VERSION + 1;
        let e = Summary::from_slice(&s.to_bytes()).unwrap_err();
        assert!(e.contains("layout version"), "{e}");
    }
}
