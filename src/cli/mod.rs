/*!
The command line: parse flags into a typed plan, run it, and map every failure to an exit code.
No math here: it wires `scenario` → `sim` → `report` → `output`.

Exit codes: 0 success; 1 a run that could not finish (e.g. an output file could not be written);
2 bad input (scenario file or command-line flags); 130 interrupted (Ctrl-C).
*/

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

mod args;
mod backtest;
mod budgets;
mod compare;
mod files;
mod memory;
mod plan;
mod run;
mod samples;
mod shard;

use args::{
    ChartArgs, Cli, Command, CommonArgs, CompareArgs, Format, RunArgs, ValidateArgs, parse_count,
};

use crate::output::{OutputError, Staging, write_files};
use crate::plot::{self, PlotOptions};
use crate::scenario::{self, Override, Scenario};
use crate::sim;

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
        Command::Run(args) => run::run(args, false, &cancel),
        Command::Sensitivity(args) => run::run(args.into(), true, &cancel),
        Command::Compare(args) => compare::compare(args, &cancel),
        Command::Merge(args) => shard::merge_command(args, &cancel),
        Command::Backtest(args) => backtest::backtest(args, &cancel),
        Command::Validate(args) => validate(&args),
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

/// Reads a scenario (`-`: standard input) and applies `overrides` (`--set`); its likely unit
/// mistakes are printed as warnings on stderr (always: they are about the answer, not the
/// progress).
fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, Failure> {
    if path == Path::new("-") && std::io::stdin().is_terminal() {
        eprintln!("reading the scenario from standard input (end it with Ctrl-D)");
    }
    let scn = scenario::load_with(path, overrides).map_err(|e| Failure::BadInput(e.to_string()))?;
    for w in &scn.warnings {
        eprintln!("warning: {w}");
    }
    Ok(scn)
}

fn validate(args: &ValidateArgs) -> Result<(), Failure> {
    let scn = load(&args.scenario, &args.set.set)?;
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
