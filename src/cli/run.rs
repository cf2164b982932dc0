//! `diffusion-sim run` and `diffusion-sim sensitivity`: wiring only (the analysis is in
//! `crate::sensitivity`, the files in `crate::report`).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::files::run_stdout_plain;
use super::plan::{Plan, out_for};
use super::{Failure, Format, RunArgs, print_stdout, progress_bar, sim_failure};
use crate::output::{Staging, write_files};
use crate::results::RunResults;
use crate::scenario::Scenario;
use crate::sensitivity::{self, Sensitivity};
use crate::sim::RunOptions;
use crate::tally::Tally;
use crate::{plot, report, sim};

pub(super) fn run(
    args: RunArgs,
    sensitivity_mode: bool,
    cancel: &AtomicBool,
) -> Result<(), Failure> {
    let analyse = args.sensitivity || sensitivity_mode;
    if !analyse {
        refuse_report_flags(&args)?;
    }
    if let Some(path) = &args.samples_out {
        super::samples::check(path)?;
    }
    let mut plan = Plan::new(
        std::slice::from_ref(&args.scenario),
        &args.common,
        (&args.chart, &args.view.view()),
        || out_for(&args.scenario),
    )?;
    let scn = plan.scenarios.remove(0);
    let (opts, out_dir, quiet) = (plan.run, plan.out.clone(), plan.quiet);
    if analyse && opts.samples < sensitivity::MIN_SAMPLES {
        return Err(Failure::BadInput(format!(
            "the sensitivity analysis needs at least {} samples, got {}: Spearman's ρ has no standard error with fewer (every ρ would be 0, ±0.5 or ±1 by construction); raise --samples or `scenario.samples`",
            sensitivity::MIN_SAMPLES,
            opts.samples
        )));
    }
    let samples_out = args.samples_out.as_deref();
    if let Some((shard, partial)) = super::shard::requested(&args, analyse)? {
        plan.check_memory(&scn)?;
        let samples = super::samples::requested(samples_out, None)?;
        return super::shard::run_shard(&scn, &opts, shard, partial, samples, quiet, cancel);
    }
    plan.check_view(&Plan::run_scope(&scn))?;
    let filter = if analyse {
        Some(sensitivity_filter(&scn, &args)?)
    } else {
        None
    };
    plan.check_memory(&scn)?;
    let staging = Staging::begin_set(&out_dir)?;
    let mut samples = super::samples::requested(samples_out, Some(&out_dir))?;
    let bar = progress_bar(opts.samples, quiet);
    let started = Instant::now();
    let tally = sim::simulate(&scn, &opts, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
    let results = tally.finish(&scn);
    bar.finish_and_clear();
    super::check_results(&results, &scn)?;
    let sensitivity = match filter {
        Some(pairs) => Some(analyse_pairs(&scn, &opts, &tally, pairs, quiet, cancel)?),
        None => None,
    };
    if let Some(s) = samples.as_mut() {
        s.write(&scn, &opts, 0..opts.samples, quiet, cancel)?;
    }
    let wall = started.elapsed().as_secs_f64();

    let mut files = report::run_files(&scn, &results, sensitivity.as_deref());
    files.push(report::manifest_for(&[&scn], &opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    if args.html {
        super::report::stage_html(&staging, cancel)?;
    }
    super::finish_with_charts(staging, plan.charts.as_ref(), cancel, plot::render_run)?;
    let samples = samples.map(|s| s.persist()).transpose()?;

    let top = usize::from(args.report.top.unwrap_or(5));
    let stdout = run_stdout(
        &plan,
        sensitivity_mode,
        &scn,
        &results,
        sensitivity.as_deref(),
        top,
    );
    print_stdout(&stdout)?;
    if !quiet {
        eprintln!(
            "{} samples in {:.2} s on {} thread(s); wrote {}/",
            opts.samples,
            wall,
            opts.threads,
            out_dir.display()
        );
        if let Some(path) = samples {
            eprintln!("wrote {} rows to {}", opts.samples, path.display());
        }
    }
    Ok(())
}

/// The sensitivity analysis of the chosen targets and classes, with its own progress bar.
fn analyse_pairs(
    scn: &Scenario,
    opts: &RunOptions,
    tally: &Tally,
    (targets, actors): (Vec<usize>, Vec<usize>),
    quiet: bool,
    cancel: &AtomicBool,
) -> Result<Vec<Sensitivity>, Failure> {
    let passes = sensitivity::passes(scn, &targets, &actors);
    let bar = progress_bar(opts.samples * passes, quiet);
    let rows = sensitivity::analyse_pairs(
        scn,
        opts,
        tally,
        (&targets, &actors),
        &|n| bar.inc(n),
        cancel,
    )
    .map_err(sim_failure)?;
    bar.finish_and_clear();
    Ok(rows)
}

/// A flag that would do nothing is refused, not ignored: the sensitivity report's flags
/// without the analysis.
fn refuse_report_flags(args: &RunArgs) -> Result<(), Failure> {
    for (flag, given) in [
        ("--target", args.report.target.is_some()),
        ("--actor", args.report.actor.is_some()),
        ("--top", args.report.top.is_some()),
    ] {
        if given {
            return Err(Failure::BadInput(format!(
                "{flag} only applies to the sensitivity analysis: add --sensitivity, or use `diffusion-sim sensitivity`"
            )));
        }
    }
    Ok(())
}

/// The targets and actor classes the sensitivity analysis reports: all, or the one named.
fn sensitivity_filter(scn: &Scenario, args: &RunArgs) -> Result<(Vec<usize>, Vec<usize>), Failure> {
    let pick = |wanted: &Option<String>, names: Vec<&str>, what: &str, flag: &str| match wanted {
        None => Ok((0..names.len()).collect()),
        Some(w) => match names.iter().position(|n| n == w) {
            Some(i) => Ok(vec![i]),
            None => Err(Failure::BadInput(format!(
                "{flag} \"{w}\": no {what} of that name in {}; the {what} names are: {}",
                scn.path.display(),
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    };
    Ok((
        pick(
            &args.report.target,
            scn.target_names(),
            "target",
            "--target",
        )?,
        pick(
            &args.report.actor,
            scn.actor_names(),
            "actor class",
            "--actor",
        )?,
    ))
}

/// What a run prints on stdout (`sensitivity_mode`: the `sensitivity` command).
fn run_stdout(
    plan: &Plan,
    sensitivity_mode: bool,
    scn: &Scenario,
    results: &RunResults,
    sensitivity: Option<&[Sensitivity]>,
    top: usize,
) -> String {
    match (plan.format, sensitivity) {
        (Format::Table, Some(rows)) if sensitivity_mode => {
            report::sensitivity_table(scn, rows, top)
        }
        (Format::Csv, Some(rows)) if sensitivity_mode => {
            String::from_utf8(report::sensitivity_csv(scn, rows)).expect("CSV is UTF-8")
        }
        (Format::Table, Some(rows)) => {
            format!(
                "{}\n{}",
                report::summary_table(scn, results),
                report::sensitivity_table(scn, rows, top)
            )
        }
        (format, _) => run_stdout_plain(format, scn, results),
    }
}
