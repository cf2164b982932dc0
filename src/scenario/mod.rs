/*!
Scenarios: what a user writes in a TOML file, validated into typed structs.

[`load`] reads and validates a file (see `parse`); the result is a [`Scenario`] whose every
uncertain number is an [`Input`] with a name that says where it sits in the file
(`hardware.doubling_time_years`, `actor."Academic labs".budget`). [`Scenario::realiser`] turns
one draw of every input into the model of one sample.
*/

mod actors;
mod correlations;
mod costs;
mod describe;
mod draws;
pub(crate) mod error;
pub(crate) mod keys;
mod lint;
pub mod number;
mod observed;
mod overrides;
mod parse;
mod processes;
mod realise;
mod targets;
mod values;
pub(crate) mod walk;

use std::path::{Path, PathBuf};

pub use draws::{Draws, Quantity};
pub use error::ScenarioError;
pub use overrides::Override;
pub(crate) use parse::MAX_LOG_RATE;
pub use realise::Realiser;

use crate::correlation::{Copula, Pair};
use crate::dist::Dist;
use crate::model::RateKind;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it was read from (`<stdin>` for standard input).
    pub path: PathBuf,
    /// The text that was read: the file's, with any `--set` applied.
    pub text: String,
    /// SHA-256 of `text`, hex: which version of the file (and of its `--set` values) a run used.
    pub sha256: String,
    /// The `--set` values applied to the file, in order.
    pub overrides: Vec<Override>,
    /// The file's own text when `--set` changed it (`text` is the changed one), to place a
    /// problem found after parsing at its line in the file ([`Scenario::error_at`]).
    pub file_text: Option<String>,
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
    /// Samples whose paths feed the per-year outputs (trajectories, cost components), the
    /// first ones by index; `None`: every sample; `Some(0)`: no per-year outputs at all.
    /// Affordability times always use every sample.
    pub trajectory_samples: Option<u64>,
    /// Years at which curves and trajectories are reported, ascending.
    pub report_years: Vec<f64>,
    /// Ranks `r` (ascending) for which the year the r-th actor over all classes can first afford
    /// each target is reported (`[scenario] report_ranks`).
    pub report_ranks: Vec<u32>,
    /// Effective FLOP per dollar, `P(t)`.
    pub hardware: Process,
    /// Algorithmic efficiency multiplier, `A(t)` (`A(start) = 1`: no initial value).
    pub algorithms: Process,
    /// Frontier spend on the largest run, `S(t)`, in dollars; `None` when the scenario leaves
    /// `[investment]` out (nothing then uses the frontier's spend).
    pub investment: Option<Process>,
    /// `[publication] closed_from`: the year the frontier stops publishing algorithmic insights.
    pub closed_from: Option<f64>,
    /// Whole-project compute cost / final-run compute cost, `m`.
    pub overhead: Quantity,
    /// Costs beyond training compute (`[costs.data]`, `[costs.staff]`, `[deployment]`), when
    /// the scenario has any.
    pub components: Option<Components>,
    /// Actor classes, in the file's order.
    pub actors: Vec<Actor>,
    /// Targets (capabilities), in the file's order.
    pub targets: Vec<Target>,
    /// Likely unit mistakes (a growth of 0.3 written for +30% a year, a doubling time in
    /// months), located like errors; the scenario is valid and runs as written.
    pub warnings: Vec<ScenarioError>,
    /// Every uncertain input, in the order met in the file.
    pub inputs: Vec<Input>,
    /// Requested rank correlations between inputs.
    pub correlations: Vec<Pair>,
    /// The Gaussian copula that applies them (none without correlations).
    pub copula: Option<Copula>,
    /// `[[observed]]`: what really happened, drawn on the charts; never sampled.
    pub observed: Vec<Observed>,
}

/// An `[[observed]]` point: a real cost or a class reaching a target, with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The label drawn beside it.
    pub label: String,
    /// The target it concerns (`None`: a cost drawn on every cost chart).
    pub target: Option<String>,
    /// The actor class it concerns.
    pub actor: Option<String>,
    /// When, as a fractional year.
    pub year: f64,
    /// The dollar cost observed, if any.
    pub value: Option<f64>,
    /// What the dollar figure covers.
    pub basis: ObservedBasis,
    /// Where it comes from.
    pub source: String,
}

/// What an observed dollar figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObservedBasis {
    /// The whole project, as the cost charts' lines are.
    Project,
    /// The compute of the final training run only (before `[costs] overhead`).
    FinalRun,
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

/// Costs beyond training compute (docs/model.md §17).
#[derive(Debug, Clone)]
pub struct Components {
    /// `[costs.data] tokens_per_parameter`, `r` (20 when absent).
    pub tokens_per_parameter: Quantity,
    /// `[costs.data]` prices, when data costs money.
    pub data: Option<DataSpec>,
    /// `[costs.staff]`, when staff is paid.
    pub staff: Option<StaffSpec>,
    /// `[deployment]`, when serving the model is costed.
    pub deployment: Option<DeploymentSpec>,
}

/// `[costs.data]`: the price of training tokens.
#[derive(Debug, Clone)]
pub struct DataSpec {
    /// `dollars_per_token` at the start year.
    pub dollars_per_token: Quantity,
    /// `growth_per_year` of that price (1 when absent).
    pub growth: Quantity,
    /// A limited stock at that price, beyond which tokens cost more (or less).
    pub stock: Option<StockSpec>,
}

/// `stock_tokens`, `stock_growth_per_year`, `beyond_stock_dollars_per_token`.
#[derive(Debug, Clone)]
pub struct StockSpec {
    /// Tokens available at the start year.
    pub tokens: Quantity,
    /// Their growth factor per year (1 when absent).
    pub growth: Quantity,
    /// Dollars per token beyond the stock.
    pub beyond_price: Quantity,
}

/// `[costs.staff]`: what a person-year costs.
#[derive(Debug, Clone)]
pub struct StaffSpec {
    /// `dollars_per_person_year` at the start year.
    pub dollars_per_person_year: Quantity,
    /// `growth_per_year` of the wage (1 when absent).
    pub growth: Quantity,
    /// `effort_halving_time_years`: the person-years a known capability needs halve this often
    /// after its own year (`None`: they stay as written).
    pub effort_halving_time: Option<Quantity>,
}

/// `[deployment]`: serving the trained model.
#[derive(Debug, Clone)]
pub struct DeploymentSpec {
    /// `tokens_served` for every target that does not give its own.
    pub tokens_served: Option<Quantity>,
    /// `inference_utilisation`: inference FLOP per dollar relative to training's (1 when
    /// absent).
    pub utilisation: Quantity,
    /// `[scenario] affordability = "train_and_deploy"`: serving must fit in the budget too.
    pub in_budget: bool,
}

/// An actor class and its budget.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Its name, as written.
    pub name: String,
    /// How its budget moves.
    pub budget: ActorBudget,
    /// How it reaches the frontier's algorithms, hardware and prices.
    pub access: ActorAccess,
    /// Actors in the class (`count`, default 1; 0 for a budget threshold of `compare`, which
    /// is not an actor and is left out of counts and ranks).
    pub count: u32,
    /// `budget_spread_ooms`: the standard deviation of log10 budgets across the class's actors
    /// (`None`: all alike).
    pub spread: Option<Quantity>,
}

impl Scenario {
    /// Whether a run reports per-year values (trajectories, class costs, cost components):
    /// all but a run with `trajectory_samples = 0`.
    pub fn per_year(&self) -> bool {
        self.trajectory_samples != Some(0)
    }

    /// How many of the first samples feed the per-year outputs: `trajectory_samples`, or
    /// every sample (`u64::MAX`) without it.
    pub fn per_year_samples(&self) -> u64 {
        self.trajectory_samples.unwrap_or(u64::MAX)
    }

    /// The most samples a batch of per-year values need hold: those that feed the per-year
    /// outputs (the run's, or fewer with `trajectory_samples`), at least 1, and at most
    /// `usize::MAX` (32 bits on WebAssembly, fewer than a run may have).
    pub fn per_year_batch_limit(&self) -> usize {
        let n = self.per_year_samples().min(self.samples);
        usize::try_from(n.max(1)).unwrap_or(usize::MAX)
    }
}

impl Actor {
    /// A class with a budget and today's defaults for everything else: the frontier's access,
    /// one actor.
    pub fn with_budget(name: String, budget: ActorBudget) -> Self {
        Self {
            name,
            budget,
            access: ActorAccess::default(),
            count: 1,
            spread: None,
        }
    }
}

/// An actor class's access terms; `None` is the default (the frontier's own access).
#[derive(Debug, Clone, Default)]
pub struct ActorAccess {
    /// `algorithm_lag_years`: trains with the frontier's algorithms of that many years earlier.
    pub algorithm_lag: Option<Quantity>,
    /// `hardware_lag_years`: buys the FLOP per dollar the frontier had that many years earlier.
    pub hardware_lag: Option<Quantity>,
    /// `price_multiplier`: dollars per FLOP relative to the frontier's.
    pub price_multiplier: Option<Quantity>,
    /// `compute_multiplier`: FLOP needed for the same capability relative to the frontier.
    pub compute_multiplier: Option<Quantity>,
    /// `own_halving_time_years`: its own algorithmic progress once the frontier stops publishing.
    pub own_halving_time: Option<Quantity>,
    /// `wage_multiplier`: what a person-year costs it relative to `[costs.staff]`.
    pub wage_multiplier: Option<Quantity>,
}

impl ActorAccess {
    /// True when the class's costs may differ from the frontier's cost of the same target.
    pub fn differs(&self) -> bool {
        self.algorithm_lag.is_some()
            || self.hardware_lag.is_some()
            || self.price_multiplier.is_some()
            || self.compute_multiplier.is_some()
            || self.own_halving_time.is_some()
            || self.wage_multiplier.is_some()
    }
}

/// An actor class's budget.
#[derive(Debug, Clone)]
pub enum ActorBudget {
    /// `budget = "frontier"`: `B(t) = f · m · S(t)`, with `f` the `frontier_fraction`
    /// (`None`: 1).
    Frontier(Option<Quantity>),
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
    /// `person_years` of staff (with `[costs.staff]`).
    pub person_years: Option<Quantity>,
    /// `tokens_served` over the deployment period (with `[deployment]`; the table's own when
    /// absent).
    pub tokens_served: Option<Quantity>,
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
    /// The capability whose whole-project cost at the frontier in `year` is `cost` dollars.
    CostAt { cost: Quantity, year: f64 },
}

impl Target {
    /// The year the target is defined at: `flop_year`, the frontier year or `cost_year`.
    pub fn own_year(&self) -> Option<f64> {
        match self.kind {
            TargetKind::Fixed { flop_year, .. } => flop_year,
            TargetKind::FrontierOf { year } | TargetKind::CostAt { year, .. } => Some(year),
        }
    }

    /// The frontier year of a frontier-of-year target.
    pub fn frontier_year(&self) -> Option<f64> {
        match self.kind {
            TargetKind::FrontierOf { year } => Some(year),
            TargetKind::Fixed { .. } | TargetKind::CostAt { .. } => None,
        }
    }
}

/// Reads and validates a scenario file (`-`: standard input, named `<stdin>`).
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    load_with(path, &[])
}

/// Reads a scenario file (`-`: standard input), applies `overrides` to its text and validates
/// the result.
pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let (name, text) = read(path)?;
    from_str_with(&name, &text, overrides)
}

/// The name and text of a scenario file, or of standard input for `-` (named `<stdin>`), as
/// read, before any `--set`: for commands that apply different overrides to one text (`sweep`).
pub fn read(path: &Path) -> Result<(PathBuf, String), ScenarioError> {
    if path == Path::new("-") {
        let name = PathBuf::from("<stdin>");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| error::file_error(&name, format!("cannot read standard input: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| error::file_error(&name, "standard input is not UTF-8 text"))?;
        return Ok((name, text));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| error::file_error(path, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error::file_error(path, "the file is not UTF-8 text"))?;
    Ok((path.to_path_buf(), text))
}

/// Validates scenario text as if read from `path`.
pub fn from_str(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    parse::parse(path, text)
}

/// Validates scenario text as if read from `path`, with `overrides` applied to it first. An
/// error in a set value names its `--set` argument; other errors and warnings keep their
/// places in `text`.
pub fn from_str_with(
    path: &Path,
    text: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    if overrides.is_empty() {
        return parse::parse(path, text);
    }
    let src = error::Source { path, text };
    let edited = overrides::apply(&src, overrides)?;
    let mut scn =
        parse::parse(path, &edited.text).map_err(|e| edited.locate(e, &src, overrides))?;
    scn.warnings = std::mem::take(&mut scn.warnings)
        .into_iter()
        .map(|w| edited.locate(w, &src, overrides))
        .collect();
    scn.overrides = overrides.to_vec();
    scn.file_text = Some(text.to_string());
    Ok(scn)
}

impl Scenario {
    /// An error about the value at `key` (a dotted path with 1-based indices into arrays of
    /// tables: `target[2].flop`, `costs.data`), at its line and column in the scenario's text
    /// (the start of the text when the key is not written there).
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        let e = error::Source {
            path: &self.path,
            text: &self.text,
        }
        .error_at_key(key, message);
        // A place in the text as `--set` changed it: moved to the file's own line, or to the
        // `--set` argument the value came from.
        let Some(original) = &self.file_text else {
            return e;
        };
        let src = error::Source {
            path: &self.path,
            text: original,
        };
        match overrides::apply(&src, &self.overrides) {
            Ok(edited) => edited.locate(e, &src, &self.overrides),
            Err(_) => e,
        }
    }

    /// `set: KEY = VALUE; …`: what `--set` changed in the file, for the headers of tables (no
    /// line when nothing was set).
    pub fn set_line(&self) -> Option<String> {
        (!self.overrides.is_empty()).then(|| {
            let set: Vec<String> = self
                .overrides
                .iter()
                .map(|o| format!("{} = {}", o.key(), o.value()))
                .collect();
            format!("set: {}", set.join("; "))
        })
    }

    /// True when no sample's costs can rise over time: every hardware and algorithms rate is
    /// non-negative over its whole distribution (caps only flatten the paths), and nothing but
    /// compute costs money.
    pub fn costs_never_rise(&self) -> bool {
        // Wages and data prices may grow: no such guarantee with costs beyond compute.
        self.components.is_none()
            && never_declines(&self.hardware, &self.inputs)
            && never_declines(&self.algorithms, &self.inputs)
    }

    /// The scenario restricted to some targets and actor classes (indices, in order). Inputs stay
    /// as they are, so every sample draws the same numbers as in the whole scenario.
    pub fn subset(&self, targets: &[usize], actors: &[usize]) -> Scenario {
        let mut sub = self.clone();
        sub.targets = targets.iter().map(|&j| self.targets[j].clone()).collect();
        sub.actors = actors.iter().map(|&k| self.actors[k].clone()).collect();
        // Ranks are over all classes; a subset has fewer actors, so it reports none.
        sub.report_ranks.clear();
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

/// True when every rate of `p` is non-negative over its whole distribution, so the process never
/// declines (caps only flatten it).
fn never_declines(p: &Process, inputs: &[Input]) -> bool {
    p.regimes.iter().all(|r| {
        let lowest = match r.value {
            Quantity::Fixed(v) => v,
            Quantity::Input(i) => match r.kind {
                // Times are positive, and larger times mean slower (still positive) rates.
                RateKind::DoublingTime | RateKind::HalvingTime => inputs[i].dist.support().1,
                _ => inputs[i].dist.support().0,
            },
        };
        match r.kind {
            RateKind::DoublingTime | RateKind::HalvingTime => lowest > 0.0,
            RateKind::GrowthPerYear => lowest >= 1.0,
            RateKind::OomsPerYear => lowest >= 0.0,
        }
    })
}
