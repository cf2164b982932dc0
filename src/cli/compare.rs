//! `diffusion-sim compare`: budget thresholds within a scenario and scenarios side by side.
//! Wiring only: the comparisons are in `crate::compare`, their files in `crate::report`, the
//! budget flags in `budgets`.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::plan::{Plan, file_stem};
use super::{CompareArgs, Failure, Format, budgets, print_stdout, progress_bar, sim_failure};
use crate::compare::{self, Comparison, ScenarioRun};
use crate::format::format_dollars;
use crate::output::{Staging, write_files};
use crate::plot::{self, Scope};
use crate::report::{self, manifest_for};
use crate::scenario::Scenario;
use crate::sim;

pub(super) fn compare(args: CompareArgs, cancel: &AtomicBool) -> Result<(), Failure> {
    let thresholds = budgets::thresholds(&args)?;
    let plan = Plan::new(
        &args.scenarios,
        &args.common,
        (&args.chart, &args.view.view()),
        || Path::new("out").join(default_folder(&stems(&args.scenarios))),
    )?;
    let scenarios = &plan.scenarios;
    match thresholds {
        Some(thresholds) => {
            if scenarios.len() != 1 {
                return Err(Failure::BadInput(format!(
                    "--budgets compares thresholds within one scenario; got {} scenario files",
                    scenarios.len()
                )));
            }
            let scn = &scenarios[0];
            if !scn.per_year() {
                let option = if args.budgets_range.is_some() {
                    "--budgets-range"
                } else {
                    "--budgets"
                };
                return Err(Failure::BadInput(format!(
                    "{option} finds, year by year, the share of samples whose cost is within each budget, from the per-year costs: it needs --trajectory-samples (scenario.trajectory_samples) of 1 or more, got 0"
                )));
            }
            plan.check_view(&Scope {
                kind: "budgets comparison",
                ..Plan::run_scope(scn)
            })?;
            compare_budgets(&args, &plan, &thresholds, cancel)
        }
        None => {
            if scenarios.len() < 2 {
                return Err(Failure::BadInput(
                    "compare needs two or more scenario files, or one with --budgets / --budgets-range".into(),
                ));
            }
            plan.check_view(&scenarios_scope(scenarios))?;
            compare_scenarios(&args, &plan, cancel)
        }
    }
}

/// What the charts of a scenario comparison can show: the classes of every scenario, over
/// all their years.
fn scenarios_scope(scenarios: &[Scenario]) -> Scope {
    let classes = scenarios[0]
        .actor_names()
        .into_iter()
        .filter(|a| scenarios.iter().all(|s| s.actor_names().contains(a)))
        .map(str::to_string)
        .collect();
    let mut years: Vec<f64> = scenarios
        .iter()
        .flat_map(|s| s.report_years.iter().copied())
        .collect();
    years.sort_by(f64::total_cmp);
    years.dedup();
    Scope {
        kind: "scenario comparison",
        classes,
        years,
        costs: false,
        year_axis: true,
    }
}

/// `compare-<stems joined by ->`; past [`MAX_FOLDER_NAME_BYTES`] cut (at a character) and
/// ended with 16 hexadecimal digits of its SHA-256, so that many or long stems still give a
/// folder name a file system takes, one to a set of scenarios.
///
/// [`MAX_FOLDER_NAME_BYTES`]: crate::output::MAX_FOLDER_NAME_BYTES
fn default_folder(stems: &[String]) -> String {
    let name = format!("compare-{}", stems.join("-"));
    let max = crate::output::MAX_FOLDER_NAME_BYTES;
    if name.len() <= max {
        return name;
    }
    let mut cut = max - 17;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", &name[..cut], crate::names::short_hash(&name))
}

fn stems(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| file_stem(p)).collect()
}

/// Each scenario's text as run (with any `--set`), as `scenarios/<name>.toml`.
fn scenario_copies(names: &[String], scenarios: &[Scenario]) -> Vec<(String, Vec<u8>)> {
    names
        .iter()
        .zip(scenarios)
        .map(|(n, s)| (format!("scenarios/{n}.toml"), s.text.clone().into_bytes()))
        .collect()
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
    let staging = Staging::begin_set(out_dir)?;
    let started = Instant::now();
    let bar = progress_bar(opts.samples, plan.quiet);
    let mut tally =
        sim::simulate(&augmented, opts, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
    tally.close();
    bar.finish_and_clear();
    let results = tally.finish(&augmented);
    super::check_results(&results, &augmented)?;
    let prob_years = budgets::probability_years(&augmented.report_years, budgets::every(args))?;
    let rows = compare::threshold_rows(&augmented, &results, &tally, thresholds, &prob_years);
    let span = compare::grid_span(thresholds, &results);
    let per_decade = args.per_decade.unwrap_or(4);
    let heatmap = compare::heatmap_grid(&span, per_decade);
    let used = compare::heatmap_per_decade(&span, per_decade);
    if used < per_decade.max(4) {
        let (lo, hi) = compare::heatmap_bounds(&span);
        eprintln!(
            "note: the heat map has {used} budgets a decade, not {}: with the classes' median budgets it spans {} to {}, and it holds at most {} budgets",
            per_decade.max(4),
            format_dollars(lo),
            format_dollars(hi),
            compare::MAX_HEATMAP_STEPS + 1
        );
    }
    let grid = compare::grid_probabilities(&augmented, &tally, &heatmap);
    let wall = started.elapsed().as_secs_f64();
    let json = report::thresholds_json(&scn.name, opts.samples, opts.seed, &rows);
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
        ("compare.json".to_string(), json.clone()),
    ];
    files.extend(scenario_copies(
        &stems(&args.scenarios),
        std::slice::from_ref(scn),
    ));
    files.push(manifest_for(&[scn], opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    super::finish_with_charts(staging, plan.charts.as_ref(), cancel, |dir, options| {
        plot::render_thresholds(dir, options)
    })?;
    let stdout = match plan.format {
        Format::Table => report::thresholds_table(
            &scn.name,
            opts.samples,
            scn.end_year,
            &rows,
            scn.set_line().as_deref(),
        ),
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
    let names = compare::column_names(stems(&args.scenarios));
    let matched = compare::match_scenarios(&names, scenarios).map_err(Failure::BadInput)?;
    plan.check_memory_all(compare::SE_GROUPS)?;
    let staging = Staging::begin_set(out_dir)?;
    let started = Instant::now();
    let bar = progress_bar(opts.samples * scenarios.len() as u64, plan.quiet);
    let mut runs = Vec::new();
    for scn in scenarios {
        let (tally, groups) =
            sim::simulate_grouped(scn, opts, compare::SE_GROUPS, &|n| bar.inc(n), cancel)
                .map_err(sim_failure)?;
        let results = tally.finish(scn);
        super::check_results(&results, scn)?;
        runs.push(ScenarioRun {
            results,
            tally,
            groups,
        });
    }
    bar.finish_and_clear();
    let Comparison {
        rows,
        notes,
        curves,
    } = Comparison::new(&names, scenarios, &matched, &runs);
    let wall = started.elapsed().as_secs_f64();
    let json = report::comparison_json(&names, opts.samples, opts.seed, &notes, &rows);
    let mut files = vec![
        ("compare.csv".to_string(), report::comparison_csv(&rows)),
        (
            "compare_affordability.csv".to_string(),
            report::comparison_curves_csv(&curves),
        ),
        ("compare.json".to_string(), json.clone()),
    ];
    files.extend(scenario_copies(&names, scenarios));
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
    let ends: Vec<f64> = scenarios.iter().map(|s| s.end_year).collect();
    let stdout = match plan.format {
        Format::Table => {
            let set = scenarios[0].set_line();
            report::comparison_table(&names, &rows, &notes, &ends, set.as_deref())
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_folders_stay_within_a_file_name() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            default_folder(&s(&["baseline", "hardware_slowdown"])),
            "compare-baseline-hardware_slowdown"
        );
        let long = s(&[&"é".repeat(101), &"b".repeat(101), &"c".repeat(101)]);
        let name = default_folder(&long);
        assert!(
            name.len() <= crate::output::MAX_FOLDER_NAME_BYTES,
            "{}",
            name.len()
        );
        assert_ne!(
            name,
            default_folder(&s(&[&"é".repeat(101), &"b".repeat(101), &"d".repeat(101)]))
        );
    }
}
