/*!
Scenarios: what a user writes in a TOML file, validated into typed structs.

[`load`] reads and validates a file (see `parse`); the result is a [`Scenario`] whose every
uncertain number is an [`Input`] with a name that says where it sits in the file
(`hardware.doubling_time_years`, `actor."Academic labs".budget`). [`Scenario::realise`] turns one
draw of every input into the model of one sample.
*/

mod describe;
mod error;
pub mod number;
mod parse;
mod values;
mod walk;

use std::path::{Path, PathBuf};

pub use error::ScenarioError;

use crate::correlation::{Copula, Pair};
use crate::dist::Dist;
use crate::model::{Budget, Line, LogPath, RateKind, Requirement, SampleModel};

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's text, hex: which version of the file a run used.
    pub sha256: String,
    /// Human-readable name.
    pub name: String,
    /// Optional longer description.
    pub description: Option<String>,
    /// First year of the horizon (fractional years allowed).
    pub start_year: f64,
    /// Last year of the horizon.
    pub end_year: f64,
    /// Number of Monte Carlo samples.
    pub samples: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Years at which curves and trajectories are reported, ascending.
    pub report_years: Vec<f64>,
    /// Effective FLOP per dollar, `P(t)`.
    pub hardware: Process,
    /// Algorithmic efficiency multiplier, `A(t)` (`A(start) = 1`: no initial value).
    pub algorithms: Process,
    /// Frontier spend on the largest run, `S(t)`, in dollars.
    pub investment: Process,
    /// Whole-project cost / final-run compute cost, `m`.
    pub overhead: Quantity,
    /// Actor classes, in the file's order.
    pub actors: Vec<Actor>,
    /// Targets (capabilities), in the file's order.
    pub targets: Vec<Target>,
    /// Every uncertain input, in the order met in the file.
    pub inputs: Vec<Input>,
    /// Requested rank correlations between inputs.
    pub correlations: Vec<Pair>,
    /// The Gaussian copula that applies them (none without correlations).
    pub copula: Option<Copula>,
}

/// An uncertain input: a named distribution.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where it sits in the scenario, e.g. `algorithms.regime[1].halving_time_years`.
    pub name: String,
    /// Its distribution.
    pub dist: Dist,
    /// How the user wrote it, for display.
    pub written: String,
}

/// A number in the model: fixed, or one of the scenario's uncertain inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// A plain number.
    Fixed(f64),
    /// Index into [`Scenario::inputs`].
    Input(usize),
}

impl Quantity {
    /// Its value in one sample, given the drawn value of every input.
    #[inline]
    pub fn value(self, draws: &[f64]) -> f64 {
        match self {
            Quantity::Fixed(v) => v,
            Quantity::Input(i) => draws[i],
        }
    }
}

/// A log-quantity's description: initial value, regimes and caps.
#[derive(Debug, Clone)]
pub struct Process {
    /// Value at the start year (absent for algorithms, which start at 1).
    pub initial: Option<Quantity>,
    /// Rate regimes in time order; the last runs to the horizon.
    pub regimes: Vec<Regime>,
    /// Caps from above.
    pub caps: Vec<Cap>,
}

/// A segment of constant rate.
#[derive(Debug, Clone)]
pub struct Regime {
    /// The year it ends (`None` for the last, which runs to the horizon).
    pub until: Option<f64>,
    /// How the rate is written.
    pub kind: RateKind,
    /// The rate's value in the units of `kind`.
    pub value: Quantity,
}

/// A cap on a process.
#[derive(Debug, Clone)]
pub enum Cap {
    /// A fixed ceiling on the quantity itself.
    Level(Quantity),
    /// A share of gross world product: `f · GWP0 · g^(t − start)`.
    ShareOfGwp {
        /// The largest fraction of world output one training run can take.
        fraction: Quantity,
        /// GWP at the start year, dollars.
        gwp: Quantity,
        /// GWP growth factor per year.
        growth: Quantity,
    },
}

/// An actor class and its budget.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Its name, as written.
    pub name: String,
    /// How its budget moves.
    pub budget: ActorBudget,
}

/// An actor class's budget.
#[derive(Debug, Clone)]
pub enum ActorBudget {
    /// `budget = "frontier"`: `B(t) = m · S(t)`.
    Frontier,
    /// Its own process, starting at the budget at the start year.
    Own(Process),
}

/// A capability.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its name, as written.
    pub name: String,
    /// What it needs.
    pub kind: TargetKind,
}

/// What a target needs.
#[derive(Debug, Clone)]
pub enum TargetKind {
    /// FLOP at the algorithms of `flop_year` (the start year when absent).
    Fixed {
        flop: Quantity,
        flop_year: Option<f64>,
    },
    /// The capability of the largest run in `year`.
    FrontierOf { year: f64 },
}

impl Target {
    /// The frontier year of a frontier-of-year target.
    pub fn frontier_year(&self) -> Option<f64> {
        match self.kind {
            TargetKind::FrontierOf { year } => Some(year),
            TargetKind::Fixed { .. } => None,
        }
    }
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let bytes = std::fs::read(path)
        .map_err(|e| error::file_error(path, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error::file_error(path, "the file is not UTF-8 text"))?;
    parse::parse(path, &text)
}

/// Validates scenario text as if read from `path`.
pub fn from_str(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    parse::parse(path, text)
}

impl Scenario {
    /// Fills `model` with the model of one sample, given the drawn value of every input.
    pub fn realise(&self, draws: &[f64], model: &mut SampleModel) {
        model.start = self.start_year;
        model.end = self.end_year;
        self.fill_path(&self.hardware, draws, &mut model.hardware);
        self.fill_path(&self.algorithms, draws, &mut model.algorithms);
        self.fill_path(&self.investment, draws, &mut model.investment);
        model.ln_overhead = self.overhead.value(draws).ln();
        model
            .budgets
            .resize_with(self.actors.len(), || Budget::Own(LogPath::default()));
        for (actor, slot) in self.actors.iter().zip(model.budgets.iter_mut()) {
            match &actor.budget {
                ActorBudget::Frontier => *slot = Budget::Frontier,
                ActorBudget::Own(process) => {
                    if !matches!(slot, Budget::Own(_)) {
                        *slot = Budget::Own(LogPath::default());
                    }
                    if let Budget::Own(path) = slot {
                        self.fill_path(process, draws, path);
                    }
                }
            }
        }
        model.targets.clear();
        model
            .targets
            .extend(self.targets.iter().map(|t| match t.kind {
                TargetKind::Fixed { flop, flop_year } => Requirement::Fixed {
                    ln_flop: flop.value(draws).ln(),
                    flop_year,
                },
                TargetKind::FrontierOf { year } => Requirement::FrontierOf { year },
            }));
    }

    fn fill_path(&self, process: &Process, draws: &[f64], path: &mut LogPath) {
        let x0 = process.initial.map_or(0.0, |q| q.value(draws).ln());
        path.reset(self.start_year, x0);
        for r in &process.regimes {
            let until = r.until.unwrap_or(f64::INFINITY);
            path.push_regime(until, r.kind.to_log_rate(r.value.value(draws)));
        }
        for cap in &process.caps {
            path.push_cap(match *cap {
                Cap::Level(q) => Line {
                    at_start: q.value(draws).ln(),
                    slope: 0.0,
                },
                Cap::ShareOfGwp {
                    fraction,
                    gwp,
                    growth,
                } => Line {
                    at_start: fraction.value(draws).ln() + gwp.value(draws).ln(),
                    slope: growth.value(draws).ln(),
                },
            });
        }
    }

    /// True when no sample's training costs can rise over time: every hardware and algorithms
    /// rate is non-negative over its whole distribution (caps only flatten the paths).
    pub fn costs_never_rise(&self) -> bool {
        [&self.hardware, &self.algorithms].iter().all(|p| {
            p.regimes.iter().all(|r| {
                let lowest = match r.value {
                    Quantity::Fixed(v) => v,
                    Quantity::Input(i) => match r.kind {
                        // Times are positive, and larger times mean slower (still positive) rates.
                        RateKind::DoublingTime | RateKind::HalvingTime => {
                            self.inputs[i].dist.support().1
                        }
                        _ => self.inputs[i].dist.support().0,
                    },
                };
                match r.kind {
                    RateKind::DoublingTime | RateKind::HalvingTime => lowest > 0.0,
                    RateKind::GrowthPerYear => lowest >= 1.0,
                    RateKind::OomsPerYear => lowest >= 0.0,
                }
            })
        })
    }

    /// The scenario restricted to some targets and actor classes (indices, in order). Inputs stay
    /// as they are, so every sample draws the same numbers as in the whole scenario.
    pub fn subset(&self, targets: &[usize], actors: &[usize]) -> Scenario {
        let mut sub = self.clone();
        sub.targets = targets.iter().map(|&j| self.targets[j].clone()).collect();
        sub.actors = actors.iter().map(|&k| self.actors[k].clone()).collect();
        sub
    }

    /// The names of the targets, in order.
    pub fn target_names(&self) -> Vec<&str> {
        self.targets.iter().map(|t| t.name.as_str()).collect()
    }

    /// The names of the actor classes, in order.
    pub fn actor_names(&self) -> Vec<&str> {
        self.actors.iter().map(|a| a.name.as_str()).collect()
    }
}
