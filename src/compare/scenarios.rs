//! Scenarios side by side: targets and actor classes matched by name, each scenario run on the
//! same random streams (common random numbers), and per matched pair the affordability year's
//! quantiles and the difference of medians from the first scenario with its batch-means standard
//! error.

use crate::results::RunResults;
use crate::scenario::Scenario;
use crate::stats::TimeHistogram;
use crate::tally::Tally;

/// One scenario's affordability curve of one target × actor class:
/// `(scenario, target, actor, [(year, P(τ ≤ year))])`.
pub type Curve = (String, String, String, Vec<(f64, f64)>);

/// Groups of consecutive samples for the batch-means standard error of a difference in medians.
pub const SE_GROUPS: u64 = 16;

/// One target × actor class in one scenario of a comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScenarioCell {
    /// Scenario (file stem).
    pub scenario: String,
    /// Quantiles of the affordability year (5, 25, 50, 75, 95%).
    pub year: [Option<f64>; 5],
    /// P(affordable by the horizon).
    pub p_by_horizon: f64,
    /// Median minus the first scenario's median, with its Monte Carlo standard error
    /// (`None` when either median is beyond the horizon).
    pub diff_vs_first: Option<(f64, f64)>,
}

/// A target × actor class present in every compared scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComparisonRow {
    /// Target name.
    pub target: String,
    /// Actor class name.
    pub actor: String,
    /// One cell per scenario, in the order given.
    pub cells: Vec<ScenarioCell>,
}

/// Names present in some scenarios but not all: `(kind, name, scenarios that have it)`.
pub type Unmatched = Vec<(String, String, Vec<String>)>;

/// The names common to every list, in the first list's order, and those that are not.
pub fn match_names(kind: &str, lists: &[(String, Vec<String>)]) -> (Vec<String>, Unmatched) {
    let mut all: Vec<String> = Vec::new();
    for (_, names) in lists {
        for n in names {
            if !all.contains(n) {
                all.push(n.clone());
            }
        }
    }
    let mut common = Vec::new();
    let mut unmatched = Vec::new();
    for n in all {
        let having: Vec<String> = lists
            .iter()
            .filter(|(_, ns)| ns.contains(&n))
            .map(|(s, _)| s.clone())
            .collect();
        if having.len() == lists.len() {
            common.push(n);
        } else {
            unmatched.push((kind.to_string(), n, having));
        }
    }
    (common, unmatched)
}

/// The difference of medians between a scenario and the first, with its batch-means standard
/// error: with common random numbers the groups' differences `d_g` are paired, and the standard
/// error of the whole-sample difference is `sd(d_g) / √G`.
pub fn median_difference(
    first: (&TimeHistogram, &[&TimeHistogram]),
    other: (&TimeHistogram, &[&TimeHistogram]),
) -> Option<(f64, f64)> {
    let diff = other.0.quantile(0.5)? - first.0.quantile(0.5)?;
    let mut d = Vec::with_capacity(first.1.len());
    for (a, b) in first.1.iter().zip(other.1) {
        d.push(b.quantile(0.5)? - a.quantile(0.5)?);
    }
    let g = d.len() as f64;
    if g < 2.0 {
        return Some((diff, f64::NAN));
    }
    let mean = d.iter().sum::<f64>() / g;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (g - 1.0);
    Some((diff, (var / g).sqrt()))
}

/// Column names from the scenario files' stems, with "#2", "#3", … on repeats so that every
/// column has its own name (also where a stem itself reads like one, `small#2`).
pub fn column_names(stems: Vec<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for stem in stems {
        let mut name = stem.clone();
        let mut k = 1;
        while names.contains(&name) {
            k += 1;
            name = format!("{stem}#{k}");
        }
        names.push(name);
    }
    names
}

/// The targets and actor classes every compared scenario has, and the names only some have.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    /// Target names common to all, in the first scenario's order.
    pub targets: Vec<String>,
    /// Actor class names common to all, in the first scenario's order.
    pub actors: Vec<String>,
    /// Targets, then actor classes, missing from some scenarios.
    pub unmatched: Unmatched,
}

/// Matches the targets and actor classes of `scenarios` (named `names`) by name; an error when
/// they have no target or no actor class in common.
pub fn match_scenarios(names: &[String], scenarios: &[Scenario]) -> Result<Matched, String> {
    let lists = |f: &dyn Fn(&Scenario) -> Vec<String>| -> Vec<(String, Vec<String>)> {
        names.iter().cloned().zip(scenarios.iter().map(f)).collect()
    };
    let (targets, mut unmatched) = match_names(
        "target",
        &lists(&|s| s.targets.iter().map(|t| t.name.clone()).collect()),
    );
    let (actors, unmatched_actors) = match_names(
        "actor class",
        &lists(&|s| s.actors.iter().map(|a| a.name.clone()).collect()),
    );
    unmatched.extend(unmatched_actors);
    if targets.is_empty() || actors.is_empty() {
        return Err(format!(
            "the scenarios have no {} in common; targets and actor classes are matched by name",
            if targets.is_empty() {
                "target"
            } else {
                "actor class"
            }
        ));
    }
    Ok(Matched {
        targets,
        actors,
        unmatched,
    })
}

/// One scenario's run in a comparison: its results, its tally and the batch-means groups'
/// histograms of every pair.
pub struct ScenarioRun {
    /// The run's results.
    pub results: RunResults,
    /// Its tally.
    pub tally: Tally,
    /// Per group of consecutive samples, the affordability-time histogram of every pair.
    pub groups: Vec<Vec<TimeHistogram>>,
}

/// What a comparison of scenarios reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One row per matched target × actor class.
    pub rows: Vec<ComparisonRow>,
    /// Notes for people: names not compared, horizons that differ.
    pub notes: Vec<String>,
    /// Every scenario's affordability curve of every matched pair.
    pub curves: Vec<Curve>,
}

impl Comparison {
    /// The comparison of `runs` of `scenarios` (named `names`) on the pairs of `matched`.
    pub fn new(
        names: &[String],
        scenarios: &[Scenario],
        matched: &Matched,
        runs: &[ScenarioRun],
    ) -> Self {
        Self {
            rows: rows(names, scenarios, matched, runs),
            notes: notes(names, scenarios, &matched.unmatched),
            curves: curves(names, matched, runs),
        }
    }
}

/// The index of pair `target` × `actor` in a scenario's results.
fn pair_index(scn: &Scenario, target: &str, actor: &str) -> Option<usize> {
    let j = scn.targets.iter().position(|x| x.name == target)?;
    let k = scn.actors.iter().position(|x| x.name == actor)?;
    Some(j * scn.actors.len() + k)
}

fn rows(
    names: &[String],
    scenarios: &[Scenario],
    matched: &Matched,
    runs: &[ScenarioRun],
) -> Vec<ComparisonRow> {
    let mut rows = Vec::new();
    for t in &matched.targets {
        for a in &matched.actors {
            let idx: Vec<usize> = scenarios
                .iter()
                .map(|s| pair_index(s, t, a).expect("matched"))
                .collect();
            let hist = |s: usize| runs[s].tally.time_histogram(idx[s]);
            let groups = |s: usize| {
                runs[s]
                    .groups
                    .iter()
                    .map(|g| &g[idx[s]])
                    .collect::<Vec<_>>()
            };
            let first_groups = groups(0);
            let cells = (0..scenarios.len())
                .map(|s| {
                    let p = &runs[s].results.affordability[idx[s]];
                    ScenarioCell {
                        scenario: names[s].clone(),
                        year: p.quantiles,
                        p_by_horizon: p.p_by_horizon,
                        diff_vs_first: median_difference(
                            (hist(0), &first_groups),
                            (hist(s), &groups(s)),
                        ),
                    }
                })
                .collect();
            rows.push(ComparisonRow {
                target: t.clone(),
                actor: a.clone(),
                cells,
            });
        }
    }
    rows
}

fn notes(names: &[String], scenarios: &[Scenario], unmatched: &Unmatched) -> Vec<String> {
    let mut notes: Vec<String> = unmatched
        .iter()
        .map(|(kind, name, having)| {
            let missing: Vec<&String> = names.iter().filter(|n| !having.contains(n)).collect();
            format!(
                "{kind} \"{name}\" is only in {}; not compared (missing from {})",
                having.join(", "),
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    let ends: Vec<f64> = scenarios.iter().map(|s| s.end_year).collect();
    if ends.iter().any(|e| *e != ends[0]) {
        notes.push(format!(
            "the horizons differ ({}); \"beyond\" means beyond each scenario's own horizon",
            names
                .iter()
                .zip(&ends)
                .map(|(n, e)| format!("{n}: {e}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

fn curves(names: &[String], matched: &Matched, runs: &[ScenarioRun]) -> Vec<Curve> {
    runs.iter()
        .zip(names)
        .flat_map(|(run, name)| {
            let res = &run.results;
            res.affordability
                .iter()
                .filter(|p| {
                    matched.targets.contains(&p.target) && matched.actors.contains(&p.actor)
                })
                .map(|p| {
                    (
                        name.clone(),
                        p.target.clone(),
                        p.actor.clone(),
                        res.years
                            .iter()
                            .copied()
                            .zip(p.p_by_year.iter().copied())
                            .collect(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_its_own_name() {
        let names = |stems: &[&str]| column_names(stems.iter().map(|s| s.to_string()).collect());
        assert_eq!(names(&["a", "b", "a", "a"]), ["a", "b", "a#2", "a#3"]);
        // A stem that reads like a repeat's name.
        assert_eq!(
            names(&["small", "small", "small#2"]),
            ["small", "small#2", "small#2#2"]
        );
        assert_eq!(names(&["x#2", "x", "x"]), ["x#2", "x", "x#3"]);
    }
}
