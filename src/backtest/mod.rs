/*!
The backtest: the model against the history of AI diffusion.

For every case of the history (a capability first trained at the frontier) with a known
milestone cost, a scenario starts at the milestone with its real cost (FLOP per dollar = its FLOP
over its cost) and the hardware and algorithmic trend estimates published before it; each later
match with a known cost on the same basis is then scored: where its cost falls in the predicted
distribution of its class's cost at its date. The dollar figures are measurements, not truths:
where the history says how accurate they are (`[measurement]`), the milestone's error enters the
starting FLOP per dollar as an uncertain input and each match's error is added to its
prediction, so what is predicted is the figure that would be published. Each case is run three
times on common random numbers: with the class's access terms as `scenarios/baseline.toml` gives
them, without any (every class gets the frontier's algorithms and prices at once), and with
access terms but every cost taken as exact. Nothing here is fitted to the history.
*/

mod case;
pub mod data;
pub mod file;
mod predict;
pub mod score;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::scenario::Scenario;
use crate::sim::SimError;
use case::{CasePlan, plan};
use data::{History, Trends};
use predict::predict;
use score::{Score, Summary, score, summarise};

/// `Φ⁻¹(0.95)`: a 90% interval `[m/f, m·f]` of a lognormal has `σ = ln f / Z90`.
const Z90: f64 = 1.644_853_626_951_472_2;

/// The scenario whose classes' access terms the backtest uses (`scenarios/baseline.toml`).
pub const ACCESS_SCENARIO: &str = include_str!("../../scenarios/baseline.toml");

/// Milestones from this year on form the out-of-sample set (the rule: anything estimated
/// from history may use milestones up to 2021 only).
pub const OUT_OF_SAMPLE_FROM: f64 = 2022.0;

/// How to run the backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Samples per case and variant.
    pub samples: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// Worker threads (cases run in parallel).
    pub threads: usize,
}

/// One match scored with and without access terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    /// The case's id.
    pub case: String,
    /// Its domain.
    pub domain: String,
    /// The milestone model and its date (fractional year).
    pub milestone: String,
    /// Milestone date.
    pub milestone_year: f64,
    /// The matching model.
    pub model: String,
    /// Who trained it.
    pub developer: String,
    /// Its actor class.
    pub actor_class: String,
    /// Its date (fractional year).
    pub year: f64,
    /// The basis of both costs.
    pub cost_basis: String,
    /// Its final-run compute cost, dollars.
    pub observed: f64,
    /// The 90% error factor of the observed cost (1 = taken as exact).
    pub error_factor: f64,
    /// The 90% error factor of the milestone's cost, carried into the starting FLOP per dollar.
    pub milestone_error_factor: f64,
    /// A trend estimate the case uses was published after the milestone (none existed before).
    pub estimate_postdates_milestone: bool,
    /// In the out-of-sample set (milestone from 2022 on).
    pub out_of_sample: bool,
    /// Scored against the class's cost with its access terms.
    pub with_access: Score,
    /// Scored against the frontier's cost (no access terms).
    pub without_access: Score,
    /// Scored with access terms, every cost taken as exact (no measurement error).
    pub exact_costs: Score,
}

/// A case or match that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The case's id.
    pub case: String,
    /// The match, or `None` for the whole case.
    pub model: Option<String>,
    /// Why.
    pub reason: String,
}

/// Averages over all matches and over the out-of-sample set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Split {
    /// Every scored match.
    pub all: Summary,
    /// Matches of milestones from 2022 on.
    pub out_of_sample: Summary,
}

/// Everything the backtest reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestResults {
    /// Samples per case and variant.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// Scored matches, in the history's order.
    pub matches: Vec<MatchResult>,
    /// What was not scored.
    pub skipped: Vec<Skipped>,
    /// Scores with the access terms.
    pub with_access: Split,
    /// Scores without them.
    pub without_access: Split,
    /// Scores with access terms and every cost taken as exact.
    pub exact_costs: Split,
    /// How accurate the history says its dollar figures are (`None`: taken as exact).
    pub measurement: Option<data::Measurement>,
    /// The generated scenario of every scored case (with access terms), `(case id, TOML)`.
    #[serde(skip)]
    pub scenarios: Vec<(String, String)>,
}

/// Runs the backtest of `history` with `trends` (as [`data::read_history`] and
/// [`data::read_trends`] check them), the access terms of `access`.
pub fn run(
    history: &History,
    trends: &Trends,
    access: &Scenario,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<BacktestResults, String> {
    let mut skipped = Vec::new();
    let mut plans = Vec::new();
    for case in &history.case {
        match plan(history, case, trends, access, opts, &mut skipped)? {
            Some(p) => plans.push(p),
            None => continue,
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| {
            SimError::Threads {
                threads: opts.threads,
                reason: e.to_string(),
            }
            .to_string()
        })?;
    let scored: Vec<Result<Vec<MatchResult>, String>> = pool.install(|| {
        plans
            .par_iter()
            .map(|p| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(SimError::Cancelled.to_string());
                }
                score_case(p, opts, progress)
            })
            .collect()
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(SimError::Cancelled.to_string());
    }
    let mut matches = Vec::new();
    for r in scored {
        matches.extend(r?);
    }
    let split = |pick: fn(&MatchResult) -> &Score| Split {
        all: summarise(matches.iter().map(pick)),
        out_of_sample: summarise(matches.iter().filter(|m| m.out_of_sample).map(pick)),
    };
    Ok(BacktestResults {
        samples: opts.samples,
        seed: opts.seed,
        with_access: split(|m| &m.with_access),
        without_access: split(|m| &m.without_access),
        exact_costs: split(|m| &m.exact_costs),
        measurement: history.measurement.clone(),
        scenarios: plans
            .iter()
            .map(|p| (p.case.id.clone(), p.with_access.clone()))
            .collect(),
        matches,
        skipped,
    })
}

/// Runs the three variants of one case and scores its matches.
fn score_case(
    p: &CasePlan,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<MatchResult>, String> {
    let with = predict(&p.with_access, &p.case.id, &p.matches, opts, true)?;
    progress(opts.samples);
    let without = predict(&p.without_access, &p.case.id, &p.matches, opts, true)?;
    progress(opts.samples);
    let exact = predict(&p.exact_costs, &p.case.id, &p.matches, opts, false)?;
    progress(opts.samples);
    Ok(p.matches
        .iter()
        .zip(with.iter().zip(&without).zip(&exact))
        .map(|(sc, ((w, wo), ex))| {
            let m = &p.case.matches[sc.index];
            let observed = m.cost.expect("scored matches have a cost");
            MatchResult {
                case: p.case.id.clone(),
                domain: p.case.domain.clone(),
                milestone: p.case.milestone.model.clone(),
                milestone_year: p.start,
                model: m.model.clone(),
                developer: m.developer.clone(),
                actor_class: m.actor_class.clone().unwrap_or_default(),
                year: sc.year,
                cost_basis: m.cost_basis.clone().unwrap_or_default(),
                observed,
                error_factor: sc.factor,
                milestone_error_factor: p.milestone_factor,
                estimate_postdates_milestone: p.late,
                out_of_sample: p.start >= OUT_OF_SAMPLE_FROM,
                with_access: score(w, observed),
                without_access: score(wo, observed),
                exact_costs: score(ex, observed),
            }
        })
        .collect())
}
