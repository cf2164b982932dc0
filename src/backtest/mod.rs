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

pub mod data;
pub mod score;

use std::fmt::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::format::format_number;
use crate::model::PathScratch;
use crate::scenario::{Quantity, Scenario};
use crate::sim::{Sampler, Scratch, SimError, normal_at, stream_key};
use crate::stats::LogHistogram;
use data::{Case, History, Trends, algorithm_domain, as_of, year_of};

/// `Φ⁻¹(0.95)`: a 90% interval `[m/f, m·f]` of a lognormal has `σ = ln f / Z90`.
const Z90: f64 = 1.644_853_626_951_472_2;
use score::{Score, Summary, score, summarise};

/// The scenario whose classes' access terms the backtest uses (`scenarios/baseline.toml`).
pub const ACCESS_SCENARIO: &str = include_str!("../../scenarios/baseline.toml");

/// Milestones from this year on form the out-of-sample set (the rule: anything estimated
/// from history may use milestones up to 2021 only).
pub const OUT_OF_SAMPLE_FROM: f64 = 2022.0;

/// The access keys copied from the access scenario, by input-name suffix.
const ACCESS_KEYS: [&str; 4] = [
    "algorithm_lag_years",
    "hardware_lag_years",
    "price_multiplier",
    "compute_multiplier",
];

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

/// A case ready to run: its scenarios and the matches to score.
struct Plan<'a> {
    case: &'a Case,
    with_access: String,
    without_access: String,
    exact_costs: String,
    /// Per scored match.
    matches: Vec<Scored>,
    /// The milestone cost's 90% error factor.
    milestone_factor: f64,
    /// The milestone's date as a year.
    start: f64,
    late: bool,
}

/// Runs the backtest of `history` with `trends`, the access terms of `access`.
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
    history.check()?;
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
                        let year = sc.year;
                        let m = &p.case.matches[sc.index];
                        let observed = m.cost.expect("scored matches have a cost");
                        let milestone_year = p.start;
                        MatchResult {
                            case: p.case.id.clone(),
                            domain: p.case.domain.clone(),
                            milestone: p.case.milestone.model.clone(),
                            milestone_year,
                            model: m.model.clone(),
                            developer: m.developer.clone(),
                            actor_class: m.actor_class.clone().unwrap_or_default(),
                            year,
                            cost_basis: m.cost_basis.clone().unwrap_or_default(),
                            observed,
                            error_factor: sc.factor,
                            milestone_error_factor: p.milestone_factor,
                            estimate_postdates_milestone: p.late,
                            out_of_sample: milestone_year >= OUT_OF_SAMPLE_FROM,
                            with_access: score(w, observed),
                            without_access: score(wo, observed),
                            exact_costs: score(ex, observed),
                        }
                    })
                    .collect())
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

/// The scenarios of one case and the matches it scores; `None` (with the reason in `skipped`)
/// when nothing of it can be scored.
fn plan<'a>(
    history: &History,
    case: &'a Case,
    trends: &Trends,
    access: &Scenario,
    opts: &Options,
    skipped: &mut Vec<Skipped>,
) -> Result<Option<Plan<'a>>, String> {
    let m0 = &case.milestone;
    let start = year_of(&m0.date, &case.id)?;
    let skip_case = |skipped: &mut Vec<Skipped>, reason: String| {
        skipped.push(Skipped {
            case: case.id.clone(),
            model: None,
            reason,
        });
        Ok(None)
    };
    let (Some(flop), Some(cost)) = (m0.flop, m0.cost) else {
        return skip_case(
            skipped,
            "the milestone's FLOP or cost is unknown, so its FLOP per dollar is".to_string()
                + " unknown",
        );
    };
    let mut classes: Vec<String> = Vec::new();
    let mut matches = Vec::new();
    for (i, m) in case.matches.iter().enumerate() {
        let skip = |reason: &str| Skipped {
            case: case.id.clone(),
            model: Some(m.model.clone()),
            reason: reason.to_string(),
        };
        let class = m.actor_class.clone().unwrap_or_default();
        if m.cost.is_none() {
            skipped.push(skip("its cost is unknown"));
            continue;
        }
        if m.cost_basis != m0.cost_basis {
            skipped.push(skip("its cost is on another basis than the milestone's"));
            continue;
        }
        if !access.actors.iter().any(|a| a.name == class) {
            skipped.push(skip(
                "its actor class is not a class of the access scenario",
            ));
            continue;
        }
        let year = year_of(&m.date, &case.id)?;
        let k = match classes.iter().position(|c| *c == class) {
            Some(k) => k,
            None => {
                classes.push(class);
                classes.len() - 1
            }
        };
        matches.push(Scored {
            index: i,
            class: k,
            year,
            factor: history.error_factor(m),
        });
    }
    if matches.is_empty() {
        return skip_case(
            skipped,
            "no match has a known cost on the milestone's basis".into(),
        );
    }
    let (hw, hw_late) = as_of(trends, "hardware", None, start)?;
    let domain = algorithm_domain(&case.domain, trends);
    let (alg, alg_late) = as_of(trends, "algorithms", Some(&domain), start)?;
    let end = matches
        .iter()
        .map(|m| m.year)
        .fold(start + 1.0, f64::max)
        .ceil();
    let milestone_factor = history.error_factor(m0);
    let text = |with_access: bool, measured: bool| -> Result<String, String> {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Backtest of case \"{}\": {} ({}, {}), its matches scored at their dates.",
            case.id, case.capability, m0.model, m0.date
        );
        let _ = writeln!(
            s,
            "[scenario]\nname = \"Backtest {}\"\nstart_year = {start}\nend_year = {end}\nsamples = {}\nseed = {}\n",
            case.id, opts.samples, opts.seed
        );
        let p0 = if measured && milestone_factor > 1.0 {
            format!(
                "# the milestone's cost is a measurement: 90% within a factor {} of the truth\n\
                 flop_per_dollar = {{ lognormal = {{ median = {:e}, sigma = {} }} }}",
                format_number(milestone_factor),
                flop / cost,
                milestone_factor.ln() / Z90
            )
        } else {
            format!("flop_per_dollar = {:e}", flop / cost)
        };
        let _ = writeln!(
            s,
            "[hardware]\n# {} / {} = FLOP per dollar of the milestone ({} basis)\n{p0}\n{}\n",
            format_number(flop),
            format_number(cost),
            m0.cost_basis.as_deref().unwrap_or("?"),
            rate_line(
                &hw,
                &["doubling_time_years", "growth_per_year", "ooms_per_year"]
            )?
        );
        let _ = writeln!(
            s,
            "[algorithms]\n# estimates for {domain}\n{}\n",
            rate_line(
                &alg,
                &["halving_time_years", "growth_per_year", "ooms_per_year"]
            )?
        );
        for class in &classes {
            let _ = writeln!(
                s,
                "[[actor]]\nname = {class:?}\n# The backtest scores costs, not affordability: this budget is not used.\nbudget = 1"
            );
            if with_access {
                s.push_str(&access_lines(access, class));
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "[[target]]\nname = {:?}\nflop = {flop:e}",
            case.capability
        );
        Ok(s)
    };
    Ok(Some(Plan {
        case,
        with_access: text(true, true)?,
        without_access: text(false, true)?,
        exact_costs: text(true, false)?,
        matches,
        milestone_factor,
        start,
        late: hw_late || alg_late,
    }))
}

/// The scenario line of a rate from the estimates of one publication month: one estimate as
/// published, several as an equal-weight mixture (converted to `ooms_per_year` when their units
/// differ).
fn rate_line(estimates: &[&data::Estimate], allowed: &[&str]) -> Result<String, String> {
    let units: Vec<&str> = estimates.iter().map(|e| e.unit.as_str()).collect();
    let sources: Vec<String> = estimates
        .iter()
        .map(|e| format!("# {} ({}): {}", e.published, e.unit, e.source))
        .collect();
    let same = units.iter().all(|u| *u == units[0]);
    let (key, values): (&str, Vec<String>) = if same {
        (units[0], estimates.iter().map(|e| e.written()).collect())
    } else {
        let o = |unit: &str, v: f64| -> Result<f64, String> {
            Ok(match unit {
                "doubling_time_years" | "halving_time_years" => 2f64.log10() / v,
                "growth_per_year" => v.log10(),
                "ooms_per_year" => v,
                u => return Err(format!("unknown trend unit `{u}`")),
            })
        };
        let mut vals = Vec::new();
        for e in estimates {
            vals.push(match (e.low, e.high) {
                (Some(lo), Some(hi)) => {
                    let (a, b) = (o(&e.unit, lo)?, o(&e.unit, hi)?);
                    let level = if e.interval.as_deref().is_some_and(|i| i.contains("95%")) {
                        " @ 95%"
                    } else {
                        ""
                    };
                    format!("\"{} to {}{level}\"", a.min(b), a.max(b))
                }
                _ => format!("{}", o(&e.unit, e.central)?),
            });
        }
        ("ooms_per_year", vals)
    };
    if !allowed.contains(&key) {
        return Err(format!(
            "a trend estimate in `{key}` cannot set this rate (allowed: {})",
            allowed.join(", ")
        ));
    }
    let value = if values.len() == 1 {
        values[0].clone()
    } else {
        let parts: Vec<String> = values
            .iter()
            .map(|v| format!("{{ weight = 1, dist = {v} }}"))
            .collect();
        format!("{{ mixture = [{}] }}", parts.join(", "))
    };
    Ok(format!("{}\n{key} = {value}", sources.join("\n")))
}

/// The access keys of class `class` in the access scenario, as scenario lines.
fn access_lines(access: &Scenario, class: &str) -> String {
    let Some(actor) = access.actors.iter().find(|a| a.name == class) else {
        return String::new();
    };
    let ac = &actor.access;
    let mut s = String::new();
    for (key, q) in ACCESS_KEYS.iter().zip([
        ac.algorithm_lag,
        ac.hardware_lag,
        ac.price_multiplier,
        ac.compute_multiplier,
    ]) {
        let Some(q) = q else { continue };
        let written = match q {
            Quantity::Fixed(v) => format!("{v:e}"),
            Quantity::Input(i) => access.inputs[i].written.clone(),
        };
        let _ = writeln!(s, "{key} = {written}");
    }
    s
}

/// A match to score.
#[derive(Debug, Clone, Copy)]
struct Scored {
    /// Its index among the case's matches.
    index: usize,
    /// Its class's index among the case scenario's actors.
    class: usize,
    /// Its date.
    year: f64,
    /// The 90% error factor of its cost.
    factor: f64,
}

/// The predicted distribution of each match's class cost at its date (natural-log dollars);
/// when `measured`, of the figure that would be published: the cost times its measurement error,
/// drawn from a stream of its own (the same draws in every variant).
fn predict(
    text: &str,
    id: &str,
    matches: &[Scored],
    opts: &Options,
    measured: bool,
) -> Result<Vec<LogHistogram>, String> {
    let scn = crate::scenario::from_str(Path::new(&format!("backtest-{id}.toml")), text)
        .map_err(|e| format!("the backtest scenario of case {id} is invalid: {e}"))?;
    let sampler = Sampler::new(&scn, opts.seed);
    let mut s = Scratch::new(&scn);
    let mut buf = PathScratch::default();
    let errors: Vec<(u64, f64)> = matches
        .iter()
        .map(|m| {
            let key = stream_key(opts.seed, &format!("backtest.{id}.match[{}].cost", m.index));
            (key, if measured { m.factor.ln() / Z90 } else { 0.0 })
        })
        .collect();
    let mut out = vec![LogHistogram::default(); matches.len()];
    for i in 0..opts.samples {
        sampler.draw(i, &mut s);
        scn.realise(&s.draws, &mut s.model);
        let ln_e = s.model.ln_effective_flop(&s.model.targets[0]);
        for ((h, m), &(key, sigma)) in out.iter_mut().zip(matches).zip(&errors) {
            let error = if sigma > 0.0 {
                sigma * normal_at(key, i)
            } else {
                0.0
            };
            h.insert_ln(s.model.ln_class_cost(m.class, ln_e, m.year, &mut buf) + error);
        }
    }
    Ok(out)
}
