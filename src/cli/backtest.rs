//! `diffusion-sim backtest`: wiring only (the backtest lives in `crate::backtest`).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::{ChartArgs, Failure, print_stdout, progress_bar};
use crate::backtest::{self, ACCESS_SCENARIO, Options, data};
use crate::output::{Staging, write_files};
use crate::{plot, report, scenario};

#[derive(Debug, clap::Args)]
pub(super) struct BacktestArgs {
    /// History of diffusion cases [default: the shipped data/history.toml].
    #[arg(long)]
    cases: Option<PathBuf>,
    /// Published trend estimates [default: the shipped data/trends.toml].
    #[arg(long)]
    trends: Option<PathBuf>,
    /// Scenario whose actor classes' access terms are used [default: the shipped
    /// scenarios/baseline.toml].
    #[arg(long)]
    access_from: Option<PathBuf>,
    /// Samples per case and variant.
    #[arg(long, value_parser = super::parse_count, default_value = "20000")]
    samples: u64,
    /// Random seed; same seed, same results. 0 to 9223372036854775807, as in a scenario file
    /// (the generated scenarios record it).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: u64,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Output directory.
    #[arg(long, default_value = "out/backtest")]
    out: PathBuf,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Do not draw charts (data files only).
    #[arg(long)]
    no_charts: bool,
    #[command(flatten)]
    chart: ChartArgs,
}

pub(super) fn backtest(args: BacktestArgs, cancel: &AtomicBool) -> Result<(), Failure> {
    args.chart.check(args.no_charts)?;
    let history = data::read_history(args.cases.as_deref()).map_err(Failure::Scenario)?;
    let trends = data::read_trends(args.trends.as_deref()).map_err(Failure::Scenario)?;
    let access = match &args.access_from {
        Some(p) => scenario::load(p),
        None => scenario::from_str(Path::new("scenarios/baseline.toml"), ACCESS_SCENARIO),
    }
    .map_err(Failure::Scenario)?;
    // A match is scored against its own class's access terms: an access scenario with none of
    // the history's classes would score nothing.
    if let Some(p) = &args.access_from
        && !access
            .actors
            .iter()
            .any(|a| data::ACTOR_CLASSES.contains(&a.name.as_str()))
    {
        return Err(Failure::BadInput(format!(
            "--access-from {}: none of its actor classes is a class of the history, so no match could be scored; its classes must be named as the history's: {}",
            p.display(),
            data::ACTOR_CLASSES.join(", ")
        )));
    }
    if let Some(p) = &args.access_from {
        let has_access_terms = access
            .actors
            .iter()
            .any(|a| data::ACTOR_CLASSES.contains(&a.name.as_str()) && a.access.differs());
        if !has_access_terms {
            super::console::warn(&format!(
                "--access-from {}: none of its history classes has access terms, so the rows \"with access terms\" score the same model as \"without\"",
                p.display()
            ));
        }
        let missing: Vec<&str> = data::ACTOR_CLASSES
            .iter()
            .copied()
            .filter(|c| !access.actors.iter().any(|a| a.name == *c))
            .collect();
        if !missing.is_empty() {
            super::console::warn(&format!(
                "--access-from {}: it has no class {}, so the matches by those classes are skipped (listed in backtest.json)",
                p.display(),
                missing.join(", ")
            ));
        }
    }
    let opts = Options {
        samples: args.samples,
        seed: args.seed,
        threads: super::default_threads(args.threads),
    };
    let staging = Staging::begin_set(&args.out)?;
    let bar = progress_bar(3 * opts.samples * history.case.len() as u64, args.quiet);
    let started = Instant::now();
    let results = backtest::run(&history, &trends, &access, &opts, &|n| bar.inc(n), cancel)
        .map_err(|e| match e.as_str() {
            "interrupted" => Failure::Interrupted,
            _ => Failure::BadInput(e),
        })?;
    bar.finish_and_clear();
    let files = vec![
        ("backtest.csv".to_string(), report::backtest_csv(&results)),
        ("backtest.json".to_string(), report::backtest_json(&results)),
    ];
    let scenarios: Vec<(String, Vec<u8>)> = results
        .scenarios
        .iter()
        .map(|(id, text)| (format!("{id}.toml"), text.clone().into_bytes()))
        .collect();
    write_files(&staging.dir().join("scenarios"), &scenarios, cancel)?;
    write_files(staging.dir(), &files, cancel)?;
    let charts = (!args.no_charts).then(|| args.chart.options());
    super::finish_with_charts(staging, charts.as_ref(), cancel, |_, options| {
        plot::render_backtest(&results, options)
    })?;
    print_stdout(&report::backtest_table(&results))?;
    if !args.quiet {
        eprintln!(
            "backtest in {:.2} s; wrote {}/",
            started.elapsed().as_secs_f64(),
            args.out.display()
        );
    }
    Ok(())
}
