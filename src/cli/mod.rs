/*!
The command line: parse flags into a typed plan, run it, and map every failure to an exit code.
No math here: it wires `scenario` → `sim` → `report` → `output`.

Exit codes: 0 success; 1 a run that could not finish (e.g. an output file could not be written);
2 bad input (scenario file or command-line flags); 130 interrupted (Ctrl-C).
*/

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

mod args;
mod backtest;
mod budgets;
mod compare;
mod console;
mod files;
mod memory;
mod plan;
mod report;
mod run;
mod samples;
mod shard;
mod sweep;

use args::{
    ChartArgs, Cli, Command, CommonArgs, CompareArgs, Format, RunArgs, SweepArgs, ValidateArgs,
    parse_count,
};

use crate::output::{OutputError, Staging, write_files};
use crate::plot::{self, PlotOptions};
use crate::scenario::{self, Override, Scenario, ScenarioError};
use crate::sim;
pub use console::Captured;
use console::print_stdout;

/// Why a command failed, which decides the exit code.
pub(super) enum Failure {
    /// Bad input: exit code 2.
    BadInput(String),
    /// A scenario that cannot be used (bad input, exit code 2), kept whole for front ends that
    /// show its line, column and key.
    Scenario(ScenarioError),
    /// The run could not finish: exit code 1.
    Failed(String),
    /// Ctrl-C: exit code 130.
    Interrupted,
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Cancelled => Failure::Interrupted,
            e @ (OutputError::Unnamed { .. }
            | OutputError::NotAnOutputFolder { .. }
            | OutputError::NotAFolder { .. }
            | OutputError::BrokenLink { .. }
            | OutputError::NameTooLong { .. }) => Failure::BadInput(e.to_string()),
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
        // Ctrl-C (or SIGTERM) asks the command to stop where it checks, which leaves no
        // temporaries. A second one, or a command that has not stopped within a few seconds
        // (one waiting on standard input checks nothing), stops at once: temporaries may
        // remain, output files stay whole.
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            std::thread::spawn(|| {
                std::thread::sleep(std::time::Duration::from_secs(5));
                std::process::exit(130);
            });
        });
    }
    match dispatch(cli, &cancel) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let e = CommandError::from(failure);
            match e.kind {
                ErrorKind::Interrupted => eprintln!("interrupted: no output files were changed"),
                _ => eprintln!("error: {}", e.message),
            }
            ExitCode::from(e.kind.exit_code())
        }
    }
}

/// Runs one command line in process, as the binary would run it with arguments `argv` (without
/// the program name), and returns what it printed instead of printing it. `stdin` is the text of
/// the scenario `-`. Setting `cancel` stops the command as Ctrl-C stops the binary. The Python
/// module's entry point: the same commands, flags, files and numbers as the binary.
pub fn execute(
    argv: &[String],
    stdin: Option<String>,
    cancel: &AtomicBool,
) -> Result<Captured, CommandError> {
    let args = std::iter::once("diffusion-sim".to_string()).chain(argv.iter().cloned());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if e.exit_code() == 0 => {
            // --help and --version: their text is the command's output.
            return Ok(Captured {
                stdout: e.to_string(),
                ..Captured::default()
            });
        }
        Err(e) => {
            return Err(CommandError {
                kind: ErrorKind::BadInput,
                message: e.to_string().trim_end().to_string(),
                scenario: None,
            });
        }
    };
    let (result, captured) = console::capture(stdin, || dispatch(cli, cancel));
    result.map(|()| captured).map_err(CommandError::from)
}

fn dispatch(cli: Cli, cancel: &AtomicBool) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run::run(args, false, cancel),
        Command::Sensitivity(args) => run::run(args.into(), true, cancel),
        Command::Compare(args) => compare::compare(args, cancel),
        Command::Sweep(args) => sweep::sweep(args, cancel),
        Command::Merge(args) => shard::merge_command(args, cancel),
        Command::Backtest(args) => backtest::backtest(args, cancel),
        Command::Validate(args) => validate(&args),
        Command::Plot(args) => plot(
            &args.outdir,
            &args.chart.options_with(args.view.view()),
            cancel,
        ),
        Command::Report(args) => report::report(&args.outdir, cancel),
    }
}

/// Why a command run in process failed.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandError {
    /// Which kind of failure (the binary's exit code).
    pub kind: ErrorKind,
    /// The message the binary prints after `error: `.
    pub message: String,
    /// The scenario error, when the failure is one: its file, line, column and key.
    pub scenario: Option<Box<ScenarioError>>,
}

/// The kinds of failure, one per exit code of the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input (scenario or flags): exit code 2.
    BadInput,
    /// The run could not finish: exit code 1.
    Failed,
    /// Interrupted: exit code 130.
    Interrupted,
}

impl ErrorKind {
    /// The binary's exit code for this kind of failure.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::BadInput => 2,
            ErrorKind::Failed => 1,
            ErrorKind::Interrupted => 130,
        }
    }
}

impl From<Failure> for CommandError {
    fn from(f: Failure) -> Self {
        let (kind, message, scenario) = match f {
            Failure::BadInput(m) => (ErrorKind::BadInput, m, None),
            Failure::Scenario(e) => (ErrorKind::BadInput, e.to_string(), Some(Box::new(e))),
            Failure::Failed(m) => (ErrorKind::Failed, m, None),
            Failure::Interrupted => (
                ErrorKind::Interrupted,
                "interrupted: no output files were changed".to_string(),
                None,
            ),
        };
        CommandError {
            kind,
            message,
            scenario,
        }
    }
}

/// Reads a scenario (`-`: standard input) and applies `overrides` (`--set`); its likely unit
/// mistakes are printed as warnings on stderr (always: they are about the answer, not the
/// progress).
fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, Failure> {
    let (name, text) = read_text(path)?;
    let scn = scenario::from_str_with(&name, &text, overrides).map_err(Failure::Scenario)?;
    for w in &scn.warnings {
        console::warn(&w.to_string());
    }
    Ok(scn)
}

/// The name and text of a scenario file, or of `-`: the text given in process, else standard
/// input (named `<stdin>`).
fn read_text(path: &Path) -> Result<(std::path::PathBuf, String), Failure> {
    if path != Path::new("-") {
        return scenario::read(path).map_err(Failure::Scenario);
    }
    if let Some(text) = console::take_stdin() {
        return Ok(("<stdin>".into(), text));
    }
    if console::capturing() {
        return Err(Failure::BadInput(
            "`-` stands for scenario text, and none was given".into(),
        ));
    }
    if std::io::stdin().is_terminal() {
        eprintln!("reading the scenario from standard input (end it with Ctrl-D)");
    }
    scenario::read(path).map_err(Failure::Scenario)
}

fn validate(args: &ValidateArgs) -> Result<(), Failure> {
    let scn = load(&args.scenario, &args.set.set)?;
    print_stdout(&scn.describe())
}

/// Refuses results with a number past a double's range (at the scenario's key), and warns of
/// each series whose lowest quantiles are only upper bounds.
fn check_results(
    results: &crate::results::RunResults,
    scn: &crate::scenario::Scenario,
) -> Result<(), Failure> {
    results
        .check_finite(scn)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    for w in results.floored_warnings() {
        console::warn(&w);
    }
    Ok(())
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
            .map(crate::names::distinct_file_names)
            .and_then(|files| Ok(write_files(&staging.dir().join("charts"), &files, cancel)?)),
        None => Ok(()),
    };
    finish_set(staging, drawn, cancel)
}

/// Redraws the charts of an output folder of any kind `plot` knows, as the command that wrote
/// it drew them (with `opts`).
fn plot(dir: &Path, opts: &PlotOptions, cancel: &AtomicBool) -> Result<(), Failure> {
    let Some(kind) = plot::Folder::of(dir).map_err(Failure::BadInput)? else {
        return Err(Failure::BadInput(format!(
            "{}: not a run's output directory, nor a comparison's or a sweep's (no summary.json, compare.json or sweep.json); run `diffusion-sim run SCENARIO` first",
            dir.display()
        )));
    };
    let scope = kind
        .scope(dir)
        .map_err(|e| Failure::BadInput(format!("{}: {e}", dir.display())))?;
    opts.view.check(&scope).map_err(Failure::BadInput)?;
    // The charts folder is replaced as a set: drawn beside it, then exchanged.
    let staging = Staging::begin(&dir.join("charts"))?;
    let files = kind
        .render(dir, opts)
        .map(crate::names::distinct_file_names)
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
        "sampling {bar:40} {human_pos}/{human_len} ({rate}, {eta} left)",
    )
    .expect("valid template")
    // Whole samples a second: indicatif's own `{per_sec}` shows four decimals.
    .with_key(
        "rate",
        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let rate = state.per_sec();
            let rate = if rate.is_finite() {
                rate.round() as u64
            } else {
                0
            };
            let _ = write!(w, "{}/s", HumanCount(rate));
        },
    );
    bar.set_style(style);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "[scenario]\nname = \"t\"\nstart_year = 2025.0\nend_year = 2060.0\n\n[hardware]\nflop_per_dollar = 6.7e16\ndoubling_time_years = 2.5\n\n[algorithms]\nhalving_time_years = 1.5\n\n[investment]\nfrontier_spend = \"$100M\"\ngrowth_per_year = 1.0\n\n[[actor]]\nname = \"Lab\"\nbudget = \"$100K\"\n\n[[target]]\nname = \"GPT-3\"\nflop = 3.14e23\n";

    fn argv(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn execute_runs_a_command_on_given_text_and_returns_its_stdout() {
        let cancel = AtomicBool::new(false);
        let got = execute(&argv(&["validate", "-"]), Some(SCENARIO.into()), &cancel).unwrap();
        assert!(got.stdout.contains("GPT-3"), "{}", got.stdout);
        assert!(got.warnings.is_empty());
    }

    #[test]
    fn execute_keeps_a_scenario_errors_place_and_maps_failures_to_exit_codes() {
        let cancel = AtomicBool::new(false);
        let bad = SCENARIO.replace("doubling_time_years = 2.5", "doubling_time_years = -2.5");
        let e = execute(&argv(&["validate", "-"]), Some(bad), &cancel).unwrap_err();
        assert_eq!(e.kind.exit_code(), 2);
        let s = e.scenario.expect("a scenario error");
        assert_eq!(s.position, Some((8, 23)));
        assert_eq!(s.key, "hardware.doubling_time_years");
        assert_eq!(s.file, Path::new("<stdin>"));
        let e = execute(&argv(&["validate", "-"]), None, &cancel).unwrap_err();
        assert!(e.message.contains("none was given"), "{}", e.message);
        let e = execute(&argv(&["frobnicate"]), None, &cancel).unwrap_err();
        assert_eq!((e.kind, e.scenario), (ErrorKind::BadInput, None));
        let help = execute(&argv(&["--help"]), None, &cancel).unwrap();
        assert!(help.stdout.contains("Usage"));
    }
}
