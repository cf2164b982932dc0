/*!
The command line: parse flags into a typed plan, run it, and map every failure to an exit code.
No math here: it wires `scenario` → `sim` → `report` → `output`.

Exit codes: 0 success; 1 a run that could not finish (e.g. an output file could not be written);
2 bad input (scenario file or command-line flags); 130 interrupted (Ctrl-C).
*/

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

mod backtest;
mod budgets;
mod compare;
mod memory;
mod plan;

use crate::output::{OutputError, Staging, write_files};
use crate::plot::{self, ImageFormat, PlotOptions};
use crate::report;
use crate::scenario::{self, Scenario, number::parse_amount};
use crate::sensitivity;
use crate::sim;

/// When will a capability only the frontier can afford today be affordable to everyone else?
///
/// diffusion-sim reads a TOML scenario (how fast hardware, algorithms and investment move, with
/// uncertainty), samples it, and reports when each capability's training cost falls below each
/// actor class's budget.
#[derive(Debug, Parser)]
#[command(
    name = "diffusion-sim",
    version,
    about,
    long_about,
    after_help = "Examples:\n  diffusion-sim run scenarios/baseline.toml\n  diffusion-sim validate scenarios/baseline.toml\n  diffusion-sim compare --budgets 100K,1M,10M scenarios/baseline.toml\n  diffusion-sim sensitivity scenarios/baseline.toml --target \"GPT-4 level\"\n  diffusion-sim plot out/baseline"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sample a scenario and report when each target becomes affordable to each actor class.
    ///
    /// Prints a summary on stdout and writes summary.json, affordability.csv, trajectories.csv,
    /// times.csv, lag_trend.csv and manifest.json under out/<scenario file stem>/, and charts
    /// under out/<scenario file stem>/charts/.
    ///
    /// Example: diffusion-sim run scenarios/baseline.toml --samples 1e6 --threads 2
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Which inputs drive each affordability year: rank correlations and swings.
    ///
    /// Runs the scenario (writing the usual files), then for every target × actor class and
    /// every uncertain input computes the Spearman rank correlation between the input and the
    /// affordability year, and the median year with the input held at its 5th and 95th
    /// percentile (all other inputs drawn from the same streams). Writes sensitivity.csv and a
    /// tornado chart per target × actor class; prints the top inputs.
    ///
    /// Example: diffusion-sim sensitivity scenarios/baseline.toml --target "GPT-4 level" --actor "Academic labs"
    #[command(verbatim_doc_comment)]
    Sensitivity(SensitivityArgs),
    /// Compare budget thresholds within a scenario, or scenarios side by side.
    ///
    /// With --budgets or --budgets-range: one scenario, each threshold treated as a fixed budget.
    /// Without: two or more scenarios, matched by target and actor class names, on common random
    /// numbers (an input with the same name draws the same numbers in every scenario).
    ///
    /// Examples:
    ///   diffusion-sim compare --budgets 100K,1M,10M,100M,1B scenarios/baseline.toml
    ///   diffusion-sim compare scenarios/baseline.toml scenarios/hardware_slowdown.toml
    #[command(verbatim_doc_comment)]
    Compare(CompareArgs),
    /// Check a scenario without sampling and print what was understood.
    ///
    /// Example: diffusion-sim validate scenarios/baseline.toml
    #[command(verbatim_doc_comment)]
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Score the model against the history of AI diffusion.
    ///
    /// For every historical case with a known milestone cost, starts a scenario at the milestone
    /// with its real cost and the trend estimates published before it, and scores each later
    /// match's cost against its class's predicted cost at its date: PIT, inside the 50% and 90%
    /// bands, CRPS, bias and band width, with and without the classes' access terms. Writes
    /// backtest.csv, backtest.json, the generated scenarios and charts under out/backtest/.
    ///
    /// Example: diffusion-sim backtest --samples 20000
    #[command(verbatim_doc_comment)]
    Backtest(backtest::BacktestArgs),
    /// Redraw every chart of a finished run from its saved output, without sampling again.
    ///
    /// Reads summary.json and trajectories.csv in OUTDIR and writes OUTDIR/charts/.
    ///
    /// Example: diffusion-sim plot out/baseline --chart-format png --width 1600 --height 1000
    #[command(verbatim_doc_comment)]
    Plot(PlotArgs),
}

#[derive(Debug, clap::Args)]
struct CompareArgs {
    /// Scenario files (TOML): one with --budgets, two or more otherwise.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Budget thresholds, comma-separated: numbers or $/K/M/B/T amounts, e.g. 100K,1M,10M.
    #[arg(long, allow_hyphen_values = true)]
    budgets: Option<String>,
    /// A log-spaced grid of thresholds LOW:HIGH, e.g. 1e3:1e10.
    #[arg(long, allow_hyphen_values = true)]
    budgets_range: Option<String>,
    /// Thresholds per decade for --budgets-range [default: 4].
    #[arg(long)]
    per_decade: Option<u32>,
    /// Years between the P(cost ≤ budget) columns, a whole multiple of the reporting step
    /// [default: 5].
    #[arg(long)]
    every: Option<f64>,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    chart: ChartArgs,
}

#[derive(Debug, clap::Args)]
struct PlotArgs {
    /// A run's output directory, e.g. out/baseline.
    outdir: PathBuf,
    #[command(flatten)]
    chart: ChartArgs,
}

/// Chart options shared by `run` and `plot`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct ChartArgs {
    /// Image formats to write [default: both].
    #[arg(long = "chart-format", visible_alias = "image-format", value_enum)]
    chart_format: Option<ChartFormat>,
    /// Chart width in pixels (SVG user units) [default: 1200].
    #[arg(long, value_parser = clap::value_parser!(u32).range(400..=8000))]
    width: Option<u32>,
    /// Chart height in pixels [default: 750].
    #[arg(long, value_parser = clap::value_parser!(u32).range(300..=8000))]
    height: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ChartFormat {
    /// PNG images.
    Png,
    /// SVG images.
    Svg,
    /// Both PNG and SVG.
    Both,
}

impl ChartArgs {
    pub(super) fn options(&self) -> PlotOptions {
        let format = match self.chart_format.unwrap_or(ChartFormat::Both) {
            ChartFormat::Png => ImageFormat::Png,
            ChartFormat::Svg => ImageFormat::Svg,
            ChartFormat::Both => ImageFormat::Both,
        };
        PlotOptions {
            format,
            width: self.width.unwrap_or(1200),
            height: self.height.unwrap_or(750),
        }
    }

    /// Refuses chart options given together with `--no-charts`: they would do nothing.
    pub(super) fn check(&self, no_charts: bool) -> Result<(), Failure> {
        let given = [
            ("--chart-format", self.chart_format.is_some()),
            ("--width", self.width.is_some()),
            ("--height", self.height.is_some()),
        ];
        match given.iter().find(|g| g.1) {
            Some((flag, _)) if no_charts => Err(Failure::BadInput(format!(
                "{flag} sets how charts are drawn, but --no-charts draws none: drop one of them"
            ))),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    /// Also run the sensitivity analysis (as `diffusion-sim sensitivity`).
    #[arg(long)]
    sensitivity: bool,
    #[command(flatten)]
    report: SensitivityReport,
    #[command(flatten)]
    chart: ChartArgs,
}

/// `diffusion-sim sensitivity`: `run`'s arguments, the analysis always on.
#[derive(Debug, clap::Args)]
struct SensitivityArgs {
    /// The scenario file (TOML), e.g. scenarios/baseline.toml.
    scenario: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    report: SensitivityReport,
    #[command(flatten)]
    chart: ChartArgs,
}

/// What the sensitivity analysis reports (`run --sensitivity` and `sensitivity`).
#[derive(Debug, clap::Args)]
struct SensitivityReport {
    /// Sensitivity: report only this target (by name).
    #[arg(long)]
    target: Option<String>,
    /// Sensitivity: report only this actor class (by name).
    #[arg(long)]
    actor: Option<String>,
    /// Sensitivity: how many inputs to list per target × actor class (default 5).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    top: Option<u16>,
}

impl From<SensitivityArgs> for RunArgs {
    fn from(a: SensitivityArgs) -> Self {
        RunArgs {
            scenario: a.scenario,
            common: a.common,
            sensitivity: true,
            report: a.report,
            chart: a.chart,
        }
    }
}

/// Options shared by the commands that sample: `run`, `sensitivity`, `compare`.
#[derive(Debug, Clone, clap::Args)]
struct CommonArgs {
    /// Number of samples, overriding the scenario's `samples` (e.g. 100000, 1e6, 2M).
    #[arg(long, value_parser = parse_count)]
    samples: Option<u64>,
    /// Random seed, overriding the scenario's `seed`; same seed, same results.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Refuse a run predicted to need more memory than this (e.g. 500M, 4G, 2GiB) [default:
    /// half of this machine's memory].
    #[arg(long, value_parser = memory::parse_size)]
    max_memory: Option<u64>,
    /// Output directory [default: out/<scenario file stem>, or out/compare-<stems>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Do not draw charts (data files only).
    #[arg(long)]
    no_charts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table for people.
    Table,
    /// The command's JSON file: summary.json (compare: compare.json).
    Json,
    /// The command's main table: times.csv, per target and actor class, P(by the horizon) and
    /// the quantiles (sensitivity: sensitivity.csv; compare: thresholds.csv or comparison.csv).
    Csv,
}

pub(super) fn parse_count(s: &str) -> Result<u64, String> {
    match parse_amount(s) {
        Some(v) if (1.0..=1e12).contains(&v) && v.fract() == 0.0 => Ok(v as u64),
        _ => Err(format!(
            "expected a whole number of samples from 1 to 1e12 (e.g. 100000, 1e6, 2M), got \"{s}\""
        )),
    }
}

/// Why a command failed, which decides the exit code.
pub(super) enum Failure {
    /// Bad input: exit code 2.
    BadInput(String),
    /// The run could not finish: exit code 1.
    Failed(String),
    /// Ctrl-C: exit code 130.
    Interrupted,
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Cancelled => Failure::Interrupted,
            other => Failure::Failed(other.to_string()),
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help / --version.
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        // A second Ctrl-C stops at once; temporaries may remain, output files stay whole.
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let result = match cli.command {
        Command::Run(args) => run(args, false, &cancel),
        Command::Sensitivity(args) => run(args.into(), true, &cancel),
        Command::Compare(args) => compare::compare(args, &cancel),
        Command::Backtest(args) => backtest::backtest(args, &cancel),
        Command::Validate { scenario } => validate(&scenario),
        Command::Plot(args) => plot(&args.outdir, &args.chart.options(), &cancel),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted) => {
            eprintln!("interrupted: no output files were changed");
            ExitCode::from(130)
        }
    }
}

/// Reads a scenario; its likely unit mistakes are printed as warnings on stderr (always: they
/// are about the answer, not the progress).
fn load(path: &Path) -> Result<Scenario, Failure> {
    let scn = scenario::load(path).map_err(|e| Failure::BadInput(e.to_string()))?;
    for w in &scn.warnings {
        eprintln!("warning: {w}");
    }
    Ok(scn)
}

fn validate(path: &Path) -> Result<(), Failure> {
    let scn = load(path)?;
    print_stdout(&scn.describe())
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(super) fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Failed(format!("cannot write to stdout: {e}"))),
    }
}

fn sim_failure(e: sim::SimError) -> Failure {
    match e {
        sim::SimError::Cancelled => Failure::Interrupted,
        other => Failure::Failed(other.to_string()),
    }
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

fn run(args: RunArgs, sensitivity_mode: bool, cancel: &AtomicBool) -> Result<(), Failure> {
    if !(args.sensitivity || sensitivity_mode) {
        // A flag that would do nothing is refused, not ignored.
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
    }
    let mut plan = plan::Plan::new(
        std::slice::from_ref(&args.scenario),
        &args.common,
        &args.chart,
        || plan::out_for(&args.scenario),
    )?;
    let scn = plan.scenarios.remove(0);
    let (opts, out_dir, quiet) = (plan.run, plan.out.clone(), plan.quiet);

    let filter = if args.sensitivity || sensitivity_mode {
        Some(sensitivity_filter(&scn, &args)?)
    } else {
        None
    };
    plan.check_memory(&scn)?;
    let staging = Staging::begin(&out_dir)?;
    let bar = progress_bar(opts.samples, quiet);
    let started = Instant::now();
    let tally = sim::simulate(&scn, &opts, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
    let results = tally.finish(&scn);
    bar.finish_and_clear();
    let sensitivity = if let Some((targets, actors)) = filter {
        let everything = targets.len() == scn.targets.len() && actors.len() == scn.actors.len();
        let passes = 1 + scn.inputs.len() as u64 + u64::from(!everything);
        let bar = progress_bar(opts.samples * passes, quiet);
        let rows = if everything {
            sensitivity::analyse(&scn, &opts, &tally, &|n| bar.inc(n), cancel)
                .map_err(sim_failure)?
        } else {
            // Only the chosen pairs: the same inputs and streams, fewer crossings to solve.
            let sub = scn.subset(&targets, &actors);
            let sub_tally =
                sim::simulate(&sub, &opts, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
            let mut rows = sensitivity::analyse(&sub, &opts, &sub_tally, &|n| bar.inc(n), cancel)
                .map_err(sim_failure)?;
            for r in &mut rows {
                r.target = targets[r.target];
                r.actor = actors[r.actor];
            }
            rows
        };
        bar.finish_and_clear();
        Some(rows)
    } else {
        None
    };
    let wall = started.elapsed().as_secs_f64();

    let mut files = vec![
        (
            "summary.json".to_string(),
            report::summary_json(&scn, &results),
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
        ("lag_trend.csv".to_string(), report::lag_trend_csv(&results)),
    ];
    if !results.actor_counts.is_empty() {
        let bytes = report::actor_counts_csv(&results);
        files.push(("actor_counts.csv".to_string(), bytes));
    }
    if !results.ranks.is_empty() {
        files.push(("ranks.csv".to_string(), report::ranks_csv(&results)));
    }
    if !results.cost_components.is_empty() {
        let bytes = report::cost_components_csv(&results);
        files.push(("cost_components.csv".to_string(), bytes));
    }
    if let Some(rows) = &sensitivity {
        files.push((
            "sensitivity.csv".to_string(),
            report::sensitivity_csv(&scn, rows),
        ));
    }
    files.push(report::manifest_for(&[&scn], &opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    let charts = match &plan.charts {
        None => Ok(()),
        Some(options) => draw_charts(staging.dir(), options, cancel),
    };
    finish_set(staging, charts, cancel)?;

    let stdout = match (plan.format, &sensitivity) {
        (Format::Table, Some(rows)) if sensitivity_mode => {
            report::sensitivity_table(&scn, rows, usize::from(args.report.top.unwrap_or(5)))
        }
        (Format::Csv, Some(rows)) if sensitivity_mode => {
            String::from_utf8(report::sensitivity_csv(&scn, rows)).expect("CSV is UTF-8")
        }
        (Format::Table, Some(rows)) => {
            format!(
                "{}\n{}",
                report::summary_table(&scn, &results),
                report::sensitivity_table(&scn, rows, usize::from(args.report.top.unwrap_or(5)))
            )
        }
        (Format::Table, None) => report::summary_table(&scn, &results),
        (Format::Json, _) => {
            String::from_utf8(report::summary_json(&scn, &results)).expect("JSON is UTF-8")
        }
        (Format::Csv, _) => String::from_utf8(report::times_csv(&results)).expect("CSV is UTF-8"),
    };
    print_stdout(&stdout)?;
    if !quiet {
        eprintln!(
            "{} samples in {:.2} s on {} thread(s); wrote {}/",
            opts.samples,
            wall,
            opts.threads,
            out_dir.display()
        );
    }
    Ok(())
}

/// Puts a staged output set in place once its charts are drawn (`charts`). If drawing failed,
/// the data files still replace the old set (a long run is not lost) and the failure is
/// reported; if interrupted, nothing changes.
pub(super) fn finish_set(
    staging: Staging,
    charts: Result<(), Failure>,
    cancel: &AtomicBool,
) -> Result<(), Failure> {
    if matches!(charts, Err(Failure::Interrupted)) || cancel.load(Ordering::SeqCst) {
        return Err(Failure::Interrupted);
    }
    if charts.is_err() {
        let _ = std::fs::remove_dir_all(staging.dir().join("charts"));
    }
    staging.commit()?;
    charts
}

/// Draws a staged set's charts with `render` (given the staged folder) when `charts` is true,
/// then puts the set in place ([`finish_set`]).
pub(super) fn finish_with_charts(
    staging: Staging,
    charts: Option<&PlotOptions>,
    cancel: &AtomicBool,
    render: impl FnOnce(&Path, &PlotOptions) -> plot::PlotResult<Vec<(String, Vec<u8>)>>,
) -> Result<(), Failure> {
    let drawn = match charts {
        Some(options) => render(staging.dir(), options)
            .map_err(|e| Failure::Failed(format!("cannot draw the charts: {e}")))
            .and_then(|files| Ok(write_files(&staging.dir().join("charts"), &files, cancel)?)),
        None => Ok(()),
    };
    finish_set(staging, drawn, cancel)
}

/// Draws every chart of the run in `dir` into `dir/charts/`. Data files are left as they are.
fn draw_charts(dir: &Path, opts: &PlotOptions, cancel: &AtomicBool) -> Result<(), Failure> {
    let files = plot::render_run(dir, opts)
        .map_err(|e| Failure::Failed(format!("cannot draw the charts: {e}")))?;
    write_files(&dir.join("charts"), &files, cancel)?;
    Ok(())
}

fn plot(dir: &Path, opts: &PlotOptions, cancel: &AtomicBool) -> Result<(), Failure> {
    if !dir.join("summary.json").is_file() {
        return Err(Failure::BadInput(format!(
            "{}: not a run's output directory (no summary.json); run `diffusion-sim run SCENARIO` first",
            dir.display()
        )));
    }
    // The charts folder is replaced as a set: drawn beside it, then exchanged.
    let staging = Staging::begin(&dir.join("charts"))?;
    let files = plot::render_run(dir, opts)
        .map_err(|e| Failure::Failed(format!("cannot draw the charts: {e}")))?;
    write_files(staging.dir(), &files, cancel)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(Failure::Interrupted);
    }
    staging.commit()?;
    eprintln!("wrote {}/", dir.join("charts").display());
    Ok(())
}

pub(super) fn default_threads(threads: Option<u16>) -> usize {
    threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A progress bar on stderr, hidden with `--quiet` or when stderr is not a terminal.
pub(super) fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "sampling {bar:40} {human_pos}/{human_len} ({per_sec}, {eta} left)",
    )
    .expect("valid template");
    bar.set_style(style);
    bar
}
