//! One case of the history made ready to run: the matches it can score and its three generated
//! scenarios (with access terms, without, and with every cost exact).

use std::fmt::Write;

use super::data::{Case, Estimate, History, Trends, algorithm_domain, as_of, year_of};
use super::{Options, Skipped, Z90};
use crate::format::format_number;
use crate::scenario::{Quantity, Scenario};

/// The access keys copied from the access scenario, by input-name suffix.
const ACCESS_KEYS: [&str; 4] = [
    "algorithm_lag_years",
    "hardware_lag_years",
    "price_multiplier",
    "compute_multiplier",
];

/// A case ready to run: its scenarios and the matches to score.
pub(super) struct CasePlan<'a> {
    pub case: &'a Case,
    pub with_access: String,
    pub without_access: String,
    pub exact_costs: String,
    /// Per scored match.
    pub matches: Vec<Scored>,
    /// The milestone cost's 90% error factor.
    pub milestone_factor: f64,
    /// The milestone's date as a year.
    pub start: f64,
    pub late: bool,
}

/// A match to score.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    /// Its index among the case's matches.
    pub index: usize,
    /// Its class's index among the case scenario's actors.
    pub class: usize,
    /// Its date.
    pub year: f64,
    /// The 90% error factor of its cost.
    pub factor: f64,
}

/// The scenarios of one case and the matches it scores; `None` (with the reason in `skipped`)
/// when nothing of it can be scored.
pub(super) fn plan<'a>(
    history: &History,
    case: &'a Case,
    trends: &Trends,
    access: &Scenario,
    opts: &Options,
    skipped: &mut Vec<Skipped>,
) -> Result<Option<CasePlan<'a>>, String> {
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
    let (classes, matches) = scored_matches(history, case, access, skipped)?;
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
    let text = CaseText {
        case,
        start,
        end,
        flop,
        cost,
        milestone_factor,
        hardware: &hw,
        algorithms: &alg,
        domain: &domain,
        classes: &classes,
        matches: &matches,
        access,
        opts,
    };
    Ok(Some(CasePlan {
        case,
        with_access: text.scenario(true, true)?,
        without_access: text.scenario(false, true)?,
        exact_costs: text.scenario(true, false)?,
        matches,
        milestone_factor,
        start,
        late: hw_late || alg_late,
    }))
}

/// The matches of `case` that can be scored (the others go to `skipped`, with why), and their
/// actor classes in order of appearance.
fn scored_matches(
    history: &History,
    case: &Case,
    access: &Scenario,
    skipped: &mut Vec<Skipped>,
) -> Result<(Vec<String>, Vec<Scored>), String> {
    let m0 = &case.milestone;
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
    Ok((classes, matches))
}

/// What the scenarios of one case are written from.
struct CaseText<'a> {
    case: &'a Case,
    /// The milestone's date: the scenario's start.
    start: f64,
    /// The scenario's end: the last match's year, rounded up.
    end: f64,
    /// The milestone's training FLOP.
    flop: f64,
    /// The milestone's cost, dollars.
    cost: f64,
    /// The milestone cost's 90% error factor.
    milestone_factor: f64,
    /// The hardware trend estimates as of the milestone.
    hardware: &'a [&'a Estimate],
    /// The algorithmic trend estimates as of the milestone.
    algorithms: &'a [&'a Estimate],
    /// The algorithmic domain the estimates are for.
    domain: &'a str,
    /// The matches' actor classes.
    classes: &'a [String],
    /// The matches scored, drawn as `[[observed]]` points.
    matches: &'a [Scored],
    /// The scenario whose classes' access terms are copied.
    access: &'a Scenario,
    /// Samples and seed.
    opts: &'a Options,
}

impl CaseText<'_> {
    /// The case's scenario, with the classes' access terms (`with_access`) and the milestone's
    /// measurement error (`measured`) or without.
    fn scenario(&self, with_access: bool, measured: bool) -> Result<String, String> {
        let m0 = &self.case.milestone;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Backtest of case \"{}\": {} ({}, {}), its matches scored at their dates.",
            self.case.id, self.case.capability, m0.model, m0.date
        );
        let _ = writeln!(
            s,
            "[scenario]\nname = \"Backtest {}\"\nstart_year = {}\nend_year = {}\nsamples = {}\nseed = {}\n",
            self.case.id, self.start, self.end, self.opts.samples, self.opts.seed
        );
        let (flop, cost, factor) = (self.flop, self.cost, self.milestone_factor);
        let p0 = if measured && factor > 1.0 {
            format!(
                "# the milestone's cost is a measurement: 90% within a factor {} of the truth\n\
             flop_per_dollar = {{ lognormal = {{ median = {:e}, sigma = {} }} }}",
                format_number(factor),
                flop / cost,
                factor.ln() / Z90
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
                self.hardware,
                &["doubling_time_years", "growth_per_year", "ooms_per_year"]
            )?
        );
        let _ = writeln!(
            s,
            "[algorithms]\n# estimates for {}\n{}\n",
            self.domain,
            rate_line(
                self.algorithms,
                &["halving_time_years", "growth_per_year", "ooms_per_year"]
            )?
        );
        for class in self.classes {
            let _ = writeln!(
                s,
                "[[actor]]\nname = {class:?}\n# The backtest scores costs, not affordability: this budget is not used.\nbudget = 1"
            );
            if with_access {
                s.push_str(&access_lines(self.access, class));
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "[[target]]\nname = {:?}\nflop = {flop:e}",
            self.case.capability
        );
        s.push_str(&self.observed());
        Ok(s)
    }
}

impl CaseText<'_> {
    /// The scored matches as `[[observed]]` points (drawn on the case's charts when its scenario
    /// is run; never sampled), on the milestone's cost basis as the scenario's costs are.
    fn observed(&self) -> String {
        let mut s = String::new();
        for sc in self.matches {
            let m = &self.case.matches[sc.index];
            let Some(cost) = m.cost else { continue };
            let source = format!(
                "data/history.toml case {}: {}; cost: {}",
                self.case.id,
                m.match_source.as_deref().unwrap_or("match"),
                m.cost_source.as_deref().unwrap_or("?")
            );
            let _ = writeln!(
                s,
                "\n[[observed]]\nlabel = {:?}\ntarget = {:?}\nactor = {:?}\ndate = {:?}\nvalue = {cost:e}\nsource = {source:?}",
                m.model, self.case.capability, self.classes[sc.class], m.date
            );
        }
        s
    }
}

/// The scenario line of a rate from the estimates of one publication month: one estimate as
/// published, several as an equal-weight mixture (converted to `ooms_per_year` when their units
/// differ).
fn rate_line(estimates: &[&Estimate], allowed: &[&str]) -> Result<String, String> {
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
