//! `diffusion-sim compare`: budget thresholds within a scenario and scenarios side by side.
//! Wiring only: the comparisons themselves are in `crate::compare`.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::plan::Plan;
use super::{CompareArgs, Failure, Format, manifest_for, print_stdout, progress_bar, sim_failure};
use crate::compare;
use crate::output::{Staging, write_files};
use crate::plot;
use crate::report;
use crate::scenario::Scenario;
use crate::sim;

fn stems(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            p.file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
        })
        .collect::<Vec<_>>()
        .join("-")
}

pub(super) fn compare(args: CompareArgs, cancel: &AtomicBool) -> Result<(), Failure> {
    let thresholds = match (&args.budgets, &args.budgets_range) {
        (Some(_), Some(_)) => {
            return Err(Failure::BadInput(
                "give --budgets or --budgets-range, not both".into(),
            ));
        }
        (Some(list), None) => Some(compare::parse_budgets(list).map_err(Failure::BadInput)?),
        (None, Some(range)) => Some(
            compare::budget_range(range, args.per_decade.unwrap_or(4))
                .map_err(Failure::BadInput)?,
        ),
        (None, None) => None,
    };
    let every = args.every.unwrap_or(5.0);
    if !(every > 0.0) {
        return Err(Failure::BadInput(format!(
            "--every must be a positive number of years, got {every}"
        )));
    }
    if thresholds.is_none() && (args.every.is_some() || args.per_decade.is_some()) {
        return Err(Failure::BadInput(
            "--every and --per-decade apply to budget thresholds (--budgets or --budgets-range), not to comparing scenarios".into(),
        ));
    }
    let plan = Plan::new(&args.scenarios, &args.common, &args.chart, || {
        Path::new("out").join(format!("compare-{}", stems(&args.scenarios)))
    })?;
    let scenarios = &plan.scenarios;
    match thresholds {
        Some(thresholds) => {
            if scenarios.len() != 1 {
                return Err(Failure::BadInput(format!(
                    "--budgets compares thresholds within one scenario; got {} scenario files",
                    scenarios.len()
                )));
            }
            compare_budgets(&args, &plan, &thresholds, cancel)
        }
        None => {
            if scenarios.len() < 2 {
                return Err(Failure::BadInput(
                    "compare needs two or more scenario files, or one with --budgets / --budgets-range".into(),
                ));
            }
            compare_scenarios(&args, &plan, cancel)
        }
    }
}

/// The reporting years every `every` years from the first (and the last), as indices; `every`
/// must be a whole multiple of the reporting step.
fn probability_years(years: &[f64], every: f64) -> Result<Vec<usize>, Failure> {
    // The regular step is the most common gap: extra `report_years` add a few other gaps.
    let mut gaps: Vec<f64> = years.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_by(f64::total_cmp);
    let step = gaps.get(gaps.len() / 2).copied().unwrap_or(every);
    let ratio = every / step;
    if (ratio - ratio.round()).abs() > 1e-6 || ratio.round() < 1.0 {
        return Err(Failure::BadInput(format!(
            "--every {every}: must be a whole multiple of the scenario's reporting step ({step} years)"
        )));
    }
    let mut out: Vec<usize> = (0..years.len())
        .filter(|&i| {
            let r = (years[i] - years[0]) / every;
            (r - r.round()).abs() < 1e-6
        })
        .collect();
    if out.last() != Some(&(years.len() - 1)) {
        out.push(years.len() - 1);
    }
    Ok(out)
}

/// The budgets the heatmap must span: the thresholds and every actor class's median budget at
/// the first reporting year (so each class can be marked on the budget axis).
fn grid_span(thresholds: &[f64], results: &crate::results::RunResults) -> Vec<f64> {
    let mut span = thresholds.to_vec();
    for s in &results.trajectories {
        if s.kind == crate::results::SeriesKind::Budget
            && !s.name.as_deref().unwrap_or("").starts_with("budget ")
            && let Some(Some(q)) = s.quantiles.first()
        {
            span.push(q[2]);
        }
    }
    span.sort_by(f64::total_cmp);
    span
}

fn compare_budgets(
    args: &CompareArgs,
    plan: &Plan,
    thresholds: &[f64],
    cancel: &AtomicBool,
) -> Result<(), Failure> {
    let (scn, opts, out_dir) = (&plan.scenarios[0], &plan.run, &plan.out);
    let augmented = compare::with_thresholds(scn, thresholds).map_err(Failure::BadInput)?;
    plan.check_memory(&augmented)?;
    let staging = Staging::begin(out_dir)?;
    let started = Instant::now();
    let bar = progress_bar(opts.samples, plan.quiet);
    let mut tally =
        sim::simulate(&augmented, opts, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
    tally.close();
    bar.finish_and_clear();
    let results = tally.finish(&augmented);
    let prob_years = probability_years(&augmented.report_years, args.every.unwrap_or(5.0))?;
    let rows = compare::threshold_rows(&augmented, &results, &tally, thresholds, &prob_years);
    let grid = compare::grid_probabilities(
        &augmented,
        &tally,
        &compare::heatmap_grid(
            &grid_span(thresholds, &results),
            args.per_decade.unwrap_or(4),
        ),
    );
    let wall = started.elapsed().as_secs_f64();
    let mut files = vec![
        ("thresholds.csv".to_string(), report::thresholds_csv(&rows)),
        (
            "threshold_grid.csv".to_string(),
            report::threshold_grid_csv(&grid),
        ),
        (
            "summary.json".to_string(),
            report::summary_json(&augmented, &results),
        ),
        (
            "affordability.csv".to_string(),
            report::affordability_csv(&results),
        ),
        (
            "trajectories.csv".to_string(),
            report::trajectories_csv(&results),
        ),
        ("times.csv".to_string(), report::times_csv(&results)),
    ];
    let mut json = serde_json::to_vec_pretty(&serde_json::json!({
        "schema_version": report::SCHEMA_VERSION,
        "scenario": scn.name,
        "samples": opts.samples,
        "seed": opts.seed,
        "thresholds": rows,
    }))
    .expect("plain data");
    json.push(b'\n');
    files.push(("compare.json".to_string(), json.clone()));
    files.push(manifest_for(&[scn], opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    super::finish_with_charts(staging, plan.charts.as_ref(), cancel, |dir, options| {
        plot::render_thresholds(dir, options)
    })?;
    let stdout = match plan.format {
        Format::Table => report::thresholds_table(&scn.name, opts.samples, scn.end_year, &rows),
        Format::Json => String::from_utf8(json).expect("UTF-8"),
        Format::Csv => String::from_utf8(report::thresholds_csv(&rows)).expect("UTF-8"),
    };
    print_stdout(&stdout)?;
    if !plan.quiet {
        eprintln!(
            "{} samples in {wall:.2} s; wrote {}/",
            opts.samples,
            out_dir.display()
        );
    }
    Ok(())
}

fn compare_scenarios(args: &CompareArgs, plan: &Plan, cancel: &AtomicBool) -> Result<(), Failure> {
    let (scenarios, opts, out_dir) = (&plan.scenarios[..], &plan.run, &plan.out);
    // File stems, with "#2", "#3", … on repeats so that every column has its own name.
    let mut names: Vec<String> = Vec::new();
    for p in &args.scenarios {
        let stem = p
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        let n = names
            .iter()
            .filter(|x| x.split('#').next() == Some(stem.as_str()))
            .count();
        names.push(if n == 0 {
            stem
        } else {
            format!("{stem}#{}", n + 1)
        });
    }
    let ends: Vec<f64> = scenarios.iter().map(|s| s.end_year).collect();
    let lists = |f: &dyn Fn(&Scenario) -> Vec<String>| -> Vec<(String, Vec<String>)> {
        names.iter().cloned().zip(scenarios.iter().map(f)).collect()
    };
    let (targets, mut unmatched) = compare::match_names(
        "target",
        &lists(&|s| s.targets.iter().map(|t| t.name.clone()).collect()),
    );
    let (actors, unmatched_actors) = compare::match_names(
        "actor class",
        &lists(&|s| s.actors.iter().map(|a| a.name.clone()).collect()),
    );
    unmatched.extend(unmatched_actors);
    if targets.is_empty() || actors.is_empty() {
        return Err(Failure::BadInput(format!(
            "the scenarios have no {} in common; targets and actor classes are matched by name",
            if targets.is_empty() {
                "target"
            } else {
                "actor class"
            }
        )));
    }
    plan.check_memory_all(compare::SE_GROUPS)?;
    let staging = Staging::begin(out_dir)?;
    let started = Instant::now();
    let bar = progress_bar(opts.samples * scenarios.len() as u64, plan.quiet);
    let mut runs = Vec::new();
    for scn in scenarios {
        let (tally, groups) =
            sim::simulate_grouped(scn, opts, compare::SE_GROUPS, &|n| bar.inc(n), cancel)
                .map_err(sim_failure)?;
        runs.push((tally.finish(scn), tally, groups));
    }
    bar.finish_and_clear();
    let pair_index = |scn: &Scenario, t: &str, a: &str| {
        let j = scn.targets.iter().position(|x| x.name == t)?;
        let k = scn.actors.iter().position(|x| x.name == a)?;
        Some(j * scn.actors.len() + k)
    };
    let mut rows = Vec::new();
    for t in &targets {
        for a in &actors {
            let idx: Vec<usize> = scenarios
                .iter()
                .map(|s| pair_index(s, t, a).expect("matched"))
                .collect();
            let hist = |s: usize| runs[s].1.time_histogram(idx[s]);
            let groups = |s: usize| runs[s].2.iter().map(|g| &g[idx[s]]).collect::<Vec<_>>();
            let first_groups = groups(0);
            let cells = (0..scenarios.len())
                .map(|s| {
                    let p = &runs[s].0.affordability[idx[s]];
                    compare::ScenarioCell {
                        scenario: names[s].clone(),
                        year: p.quantiles,
                        p_by_horizon: p.p_by_horizon,
                        diff_vs_first: compare::median_difference(
                            (hist(0), &first_groups),
                            (hist(s), &groups(s)),
                        ),
                    }
                })
                .collect();
            rows.push(compare::ComparisonRow {
                target: t.clone(),
                actor: a.clone(),
                cells,
            });
        }
    }
    let wall = started.elapsed().as_secs_f64();
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
    let curves: Vec<compare::Curve> = runs
        .iter()
        .zip(&names)
        .flat_map(|((res, _, _), name)| {
            res.affordability
                .iter()
                .filter(|p| targets.contains(&p.target) && actors.contains(&p.actor))
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
        .collect();
    let mut json = serde_json::to_vec_pretty(&serde_json::json!({
        "schema_version": report::SCHEMA_VERSION,
        "scenarios": names,
        "samples": opts.samples,
        "seed": opts.seed,
        "se_method": format!("batch means: the samples split into {} consecutive groups; SE = sd of the groups' paired median differences / sqrt({})", compare::SE_GROUPS, compare::SE_GROUPS),
        "notes": notes,
        "rows": rows,
    }))
    .expect("plain data");
    json.push(b'\n');
    let mut files = vec![
        ("compare.csv".to_string(), report::comparison_csv(&rows)),
        (
            "compare_affordability.csv".to_string(),
            report::comparison_curves_csv(&curves),
        ),
        ("compare.json".to_string(), json.clone()),
    ];
    files.push(manifest_for(
        &scenarios.iter().collect::<Vec<_>>(),
        opts,
        wall,
        &files,
    ));
    write_files(staging.dir(), &files, cancel)?;
    super::finish_with_charts(staging, plan.charts.as_ref(), cancel, |dir, options| {
        plot::render_comparison(dir, options)
    })?;
    let stdout = match plan.format {
        Format::Table => report::comparison_table(&names, &rows, &notes, &ends),
        Format::Json => String::from_utf8(json).expect("UTF-8"),
        Format::Csv => String::from_utf8(report::comparison_csv(&rows)).expect("UTF-8"),
    };
    print_stdout(&stdout)?;
    if !plan.quiet {
        eprintln!(
            "{} samples per scenario in {wall:.2} s; wrote {}/",
            opts.samples,
            out_dir.display()
        );
    }
    Ok(())
}
