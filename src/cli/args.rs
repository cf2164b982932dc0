//! The command line's flags: every command and its arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::Failure;
use super::backtest::BacktestArgs;
use super::memory;
use crate::plot::view::{parse_actors, parse_cost_range, parse_year_range};
use crate::plot::{ImageFormat, PlotOptions, View};
use crate::scenario::Override;
use crate::scenario::number::parse_amount;

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
    after_help = "Examples:\n  diffusion-sim run scenarios/baseline.toml\n  diffusion-sim run scenarios/baseline.toml --set hardware.doubling_time_years=3\n  diffusion-sim validate scenarios/baseline.toml\n  diffusion-sim compare --budgets 100K,1M,10M scenarios/baseline.toml\n  diffusion-sim sensitivity scenarios/baseline.toml --target \"GPT-4 level\"\n  diffusion-sim sweep scenarios/baseline.toml --grid hardware.doubling_time_years=2,2.5,3\n  diffusion-sim plot out/baseline"
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Sample a scenario and report when each target becomes affordable to each actor class.
    ///
    /// Prints a summary on stdout and writes summary.json, affordability.csv, trajectories.csv,
    /// times.csv, lag_trend.csv, scenario.toml (the scenario text that ran, with any --set
    /// applied) and manifest.json under out/<scenario file stem>/, and charts under
    /// out/<scenario file stem>/charts/.
    ///
    /// Examples:
    ///   diffusion-sim run scenarios/baseline.toml --samples 1e6 --threads 2
    ///   diffusion-sim run scenarios/baseline.toml --set 'hardware.doubling_time_years=2 to 3'
    ///   generate_scenario | diffusion-sim run - --out out/generated
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
    /// numbers (an input with the same name draws the same numbers in every scenario). Each
    /// scenario's text as run is saved as scenarios/<file stem>.toml in the output folder.
    ///
    /// Examples:
    ///   diffusion-sim compare --budgets 100K,1M,10M,100M,1B scenarios/baseline.toml
    ///   diffusion-sim compare scenarios/baseline.toml scenarios/hardware_slowdown.toml
    #[command(verbatim_doc_comment)]
    Compare(CompareArgs),
    /// Run a scenario at many points: a grid of values, or a Latin hypercube.
    ///
    /// Each point is the scenario with the swept keys set as --set sets them, run on the same
    /// seed and samples (common random numbers: inputs a point does not set draw the same
    /// numbers at every point). Writes sweep.csv (one row per point × target × actor class),
    /// sweep.json, each point's scenario text as scenarios/point_<n>.toml, manifest.json and a
    /// chart per target and swept key under out/<scenario file stem>-sweep/.
    ///
    /// --grid KEY=V1,V2,… (repeatable) runs every combination of the values, the first --grid
    /// varying slowest; a value with a comma in it needs the TOML-array form
    /// --grid 'KEY=["2 to 3", "3 to 4"]'. --lhs KEY=LOW:HIGH (repeatable) with --points N draws
    /// a Latin hypercube: each range cut into N equal strata (equal in the logarithm with
    /// KEY=LOW:HIGH:log, for budgets and prices spanning decades), each stratum used once, drawn
    /// from the seed (same command, same points). --grid and --lhs are not combined.
    ///
    /// Examples:
    ///   diffusion-sim sweep scenarios/baseline.toml --grid hardware.doubling_time_years=2,2.5,3
    ///   diffusion-sim sweep scenarios/baseline.toml --grid costs.overhead=2,4 \
    ///       --grid 'actor."Academic labs".budget=$1M,$10M,$100M'
    ///   diffusion-sim sweep scenarios/baseline.toml --points 20 \
    ///       --lhs hardware.doubling_time_years=1.5:3.5 --lhs algorithms.halving_time_years=0.5:1.5
    #[command(verbatim_doc_comment)]
    Sweep(SweepArgs),
    /// Merge the partial files of a sharded run into the run's outputs.
    ///
    /// Each shard is `run SCENARIO --shard K/N --partial FILE` (on any machine, with the same
    /// scenario file, seed and samples); the merge checks that every shard of the run is there
    /// once, from the same scenario, seed, sample count and version, and writes the same files as
    /// the unsharded run (manifest.json aside).
    ///
    /// Example:
    ///   diffusion-sim run scenarios/baseline.toml --shard 1/2 --partial p1.json
    ///   diffusion-sim run scenarios/baseline.toml --shard 2/2 --partial p2.json
    ///   diffusion-sim merge p1.json p2.json --out out/baseline
    #[command(verbatim_doc_comment)]
    Merge(MergeArgs),
    /// Check a scenario without sampling and print what was understood.
    ///
    /// Lists every uncertain input by the dotted key that --set takes.
    ///
    /// Example: diffusion-sim validate scenarios/baseline.toml --set costs.overhead=2
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
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
    Backtest(BacktestArgs),
    /// Redraw every chart of a finished output folder from its saved files, without sampling again.
    ///
    /// OUTDIR is the folder of a run, sensitivity or merge (summary.json), a budgets or a
    /// scenario comparison (compare.json) or a sweep (sweep.json); plot tells which from its
    /// files, draws the charts that command drew (byte-identical with the same options) and
    /// writes OUTDIR/charts/. --title, --no-provenance, --actors, --year-range and --cost-range
    /// change what the charts show, never the numbers (a sweep's charts have no year axis and no
    /// cost chart; a comparison has no cost chart).
    ///
    /// Examples:
    ///   diffusion-sim plot out/baseline --chart-format png --width 1600 --height 1000
    ///   diffusion-sim plot out/baseline --title "Figure 2" --no-provenance \
    ///       --actors "Big tech,Academic labs" --year-range 2025:2045 --cost-range 1K:1T
    ///   diffusion-sim plot out/compare-baseline-hardware_slowdown --title ''
    #[command(verbatim_doc_comment)]
    Plot(PlotArgs),
    /// Write report.html: one self-contained page of a finished run, to share.
    ///
    /// Reads OUTDIR's summary.json, trajectories.csv, sensitivity.csv (when present),
    /// manifest.json and scenario.toml, and writes OUTDIR/report.html: tables, charts with
    /// tooltips, provenance and the scenario text. It opens from disk with no network.
    ///
    /// Example: diffusion-sim report out/baseline
    #[command(verbatim_doc_comment)]
    Report(ReportArgs),
}

/// `diffusion-sim report`.
#[derive(Debug, clap::Args)]
pub(super) struct ReportArgs {
    /// A run's output directory, e.g. out/baseline.
    pub(super) outdir: PathBuf,
}

/// `diffusion-sim validate`.
#[derive(Debug, clap::Args)]
pub(super) struct ValidateArgs {
    /// The scenario file (TOML); `-` reads it from standard input.
    pub(super) scenario: PathBuf,
    #[command(flatten)]
    pub(super) set: SetArgs,
}

/// `--set`, on every command that reads a scenario.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct SetArgs {
    /// Set a value of the scenario before it is read (repeatable; compare: in every scenario).
    /// KEY is a dotted key as `validate` lists inputs: hardware.doubling_time_years,
    /// actor."Big tech".budget (or actor[2].budget), algorithms.regime[2].halving_time_years,
    /// costs.overhead, scenario.seed. VALUE is a TOML value; text that is not one is taken as a
    /// string: --set 'hardware.doubling_time_years=2 to 3'. A key the file lacks is added to
    /// its table (which must be in the file) when the table allows it. The text that ran is
    /// saved in the output folder (scenario.toml; compare: scenarios/<stem>.toml), and
    /// manifest.json lists the values set.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Override::parse)]
    pub(super) set: Vec<Override>,
}

#[derive(Debug, clap::Args)]
pub(super) struct CompareArgs {
    /// Scenario files (TOML): one with --budgets, two or more otherwise; `-` reads one from
    /// standard input.
    #[arg(required = true)]
    pub(super) scenarios: Vec<PathBuf>,
    /// Budget thresholds, comma-separated: numbers or $/K/M/B/T amounts, e.g. 100K,1M,10M.
    #[arg(long, allow_hyphen_values = true)]
    pub(super) budgets: Option<String>,
    /// A log-spaced grid of thresholds LOW:HIGH, e.g. 1e3:1e10.
    #[arg(long, allow_hyphen_values = true)]
    pub(super) budgets_range: Option<String>,
    /// Thresholds per decade for --budgets-range [default: 4].
    #[arg(long)]
    pub(super) per_decade: Option<u32>,
    /// Years between the P(cost ≤ budget) columns, a whole multiple of the reporting step
    /// [default: 5].
    #[arg(long)]
    pub(super) every: Option<f64>,
    #[command(flatten)]
    pub(super) common: CommonArgs,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
}

/// `diffusion-sim sweep`.
#[derive(Debug, clap::Args)]
pub(super) struct SweepArgs {
    /// The scenario file (TOML); `-` reads it from standard input (output folder:
    /// out/stdin-sweep).
    pub(super) scenario: PathBuf,
    /// A key and the values it takes, KEY=V1,V2,… (repeatable: every combination runs, the
    /// first --grid varying slowest). KEY as --set takes it; each value as --set reads one. For
    /// values with commas, a TOML array: 'KEY=["2 to 3", "3 to 4"]'.
    #[arg(long, value_name = "KEY=V1,V2,...", allow_hyphen_values = true)]
    pub(super) grid: Vec<String>,
    /// A key and its range for a Latin hypercube, KEY=LOW:HIGH (repeatable; numbers, `$` and
    /// K/M/B/T allowed), or KEY=LOW:HIGH:log for strata equal in the logarithm; needs --points.
    #[arg(long, value_name = "KEY=LOW:HIGH[:log]", allow_hyphen_values = true)]
    pub(super) lhs: Vec<String>,
    /// How many points the Latin hypercube draws (at most 10000).
    #[arg(long, value_name = "N")]
    pub(super) points: Option<u64>,
    #[command(flatten)]
    pub(super) common: CommonArgs,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
}

#[derive(Debug, clap::Args)]
pub(super) struct PlotArgs {
    /// An output directory of run, sensitivity, merge, compare or sweep, e.g. out/baseline.
    pub(super) outdir: PathBuf,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
}

/// What the charts show: `run`, `sensitivity`, `merge`, `compare`, `sweep` and `plot`.
#[derive(Debug, Clone, Default, clap::Args)]
pub(super) struct ViewArgs {
    /// Charts: the name every title starts with, instead of the scenario's ("TEXT: cost of
    /// GPT-4 level"; comparisons: "TEXT: who can afford …"); --title '' leaves only what the
    /// chart shows ("Cost of GPT-4 level"), for a figure with a caption.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub(super) title: Option<String>,
    /// Charts: leave out the provenance line at the foot of each chart (version, samples,
    /// seed).
    #[arg(long)]
    pub(super) no_provenance: bool,
    /// Charts: draw only these actor classes, comma-separated names as in the scenario, e.g.
    /// --actors "Big tech,Academic labs" (each keeps its colour).
    #[arg(long, value_name = "LIST", value_parser = |s: &str| parse_actors(s).map(ActorList))]
    pub(super) actors: Option<ActorList>,
    /// Charts: the years of the x axis of every chart over calendar years (cost,
    /// affordability, ranks, components, processes, compare, threshold charts), e.g. 2025:2045.
    #[arg(long, value_name = "FROM:TO", value_parser = parse_year_range, allow_hyphen_values = true)]
    pub(super) year_range: Option<(f64, f64)>,
    /// Charts: the dollar range of the cost charts' y axis, e.g. 1K:1T or 1e3:1e12; what lies
    /// beyond it is cut.
    #[arg(long, value_name = "LOW:HIGH", value_parser = parse_cost_range, allow_hyphen_values = true)]
    pub(super) cost_range: Option<(f64, f64)>,
}

/// The class names of `--actors`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ActorList(pub(super) Vec<String>);

impl ViewArgs {
    /// The view the flags ask for.
    pub(super) fn view(&self) -> View {
        View {
            title: self.title.clone(),
            no_provenance: self.no_provenance,
            actors: self.actors.clone().map(|a| a.0),
            years: self.year_range,
            costs: self.cost_range,
        }
    }
}

/// Chart options shared by `run` and `plot`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct ChartArgs {
    /// Image formats to write [default: both].
    #[arg(long = "chart-format", visible_alias = "image-format", value_enum)]
    pub(super) chart_format: Option<ChartFormat>,
    /// Chart width in pixels (SVG user units) [default: 1200].
    #[arg(long, value_parser = clap::value_parser!(u32).range(400..=8000))]
    pub(super) width: Option<u32>,
    /// Chart height in pixels [default: 750].
    #[arg(long, value_parser = clap::value_parser!(u32).range(300..=8000))]
    pub(super) height: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ChartFormat {
    /// PNG images.
    Png,
    /// SVG images.
    Svg,
    /// Both PNG and SVG.
    Both,
}

impl ChartArgs {
    /// The drawing options of the flags, showing `view`.
    pub(super) fn options_with(&self, view: View) -> PlotOptions {
        PlotOptions {
            view,
            ..self.options()
        }
    }

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
            view: View::default(),
        }
    }

    /// Refuses chart options (and those of `view`) given together with `--no-charts`: they
    /// would do nothing.
    pub(super) fn check(&self, no_charts: bool) -> Result<(), Failure> {
        self.check_with(&View::default(), no_charts)
    }

    /// As [`ChartArgs::check`], with the options of `view` too.
    pub(super) fn check_with(&self, view: &View, no_charts: bool) -> Result<(), Failure> {
        let mut given: Vec<(&str, bool)> = vec![
            ("--chart-format", self.chart_format.is_some()),
            ("--width", self.width.is_some()),
            ("--height", self.height.is_some()),
        ];
        given.extend(view.flags().into_iter().map(|f| (f, true)));
        match given.iter().find(|g| g.1) {
            Some((flag, _)) if no_charts => Err(Failure::BadInput(format!(
                "{flag} sets how charts are drawn, but --no-charts draws none: drop one of them"
            ))),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
    /// The scenario file (TOML), e.g. scenarios/baseline.toml; `-` reads it from standard
    /// input (output folder: out/stdin).
    pub(super) scenario: PathBuf,
    #[command(flatten)]
    pub(super) common: CommonArgs,
    /// Also run the sensitivity analysis (as `diffusion-sim sensitivity`).
    #[arg(long)]
    pub(super) sensitivity: bool,
    /// Also write report.html, one self-contained page of the run (as `diffusion-sim report`).
    #[arg(long)]
    pub(super) html: bool,
    #[command(flatten)]
    pub(super) report: SensitivityReport,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
    #[command(flatten)]
    pub(super) shard: ShardArgs,
    /// Also write one row per sample to FILE.parquet: the sample's index, every uncertain
    /// input's value (named by its dotted key, as `validate` lists it) and every target × actor
    /// class year (`year."<target>"."<class>"`, null when not by the horizon). With --shard:
    /// the shard's samples. The samples are drawn again from the same random streams: the
    /// same samples, in sample order, whatever the thread count.
    #[arg(long, value_name = "FILE.parquet")]
    pub(super) samples_out: Option<PathBuf>,
}

/// Running one shard of a run (merged with `diffusion-sim merge`).
#[derive(Debug, Default, clap::Args)]
pub(super) struct ShardArgs {
    /// Run only shard K of N of the samples (e.g. 2/8) and write its counts to --partial;
    /// `diffusion-sim merge` turns the N partial files into the run's outputs, identical to an
    /// unsharded run's.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub(super) shard: Option<(u64, u64)>,
    /// The partial file a --shard run writes.
    #[arg(long, value_name = "FILE")]
    pub(super) partial: Option<PathBuf>,
}

/// `diffusion-sim sensitivity`: `run`'s arguments, the analysis always on.
#[derive(Debug, clap::Args)]
pub(super) struct SensitivityArgs {
    /// The scenario file (TOML), e.g. scenarios/baseline.toml; `-` reads it from standard
    /// input (output folder: out/stdin).
    pub(super) scenario: PathBuf,
    #[command(flatten)]
    pub(super) common: CommonArgs,
    /// Also write report.html, one self-contained page of the run (as `diffusion-sim report`).
    #[arg(long)]
    pub(super) html: bool,
    #[command(flatten)]
    pub(super) report: SensitivityReport,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
}

/// What the sensitivity analysis reports (`run --sensitivity` and `sensitivity`).
#[derive(Debug, clap::Args)]
pub(super) struct SensitivityReport {
    /// Sensitivity: report only this target (by name).
    #[arg(long)]
    pub(super) target: Option<String>,
    /// Sensitivity: report only this actor class (by name).
    #[arg(long)]
    pub(super) actor: Option<String>,
    /// Sensitivity: how many inputs to list per target × actor class (default 5).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub(super) top: Option<u16>,
}

impl From<SensitivityArgs> for RunArgs {
    fn from(a: SensitivityArgs) -> Self {
        RunArgs {
            scenario: a.scenario,
            common: a.common,
            sensitivity: true,
            html: a.html,
            report: a.report,
            chart: a.chart,
            view: a.view,
            shard: ShardArgs::default(),
            samples_out: None,
        }
    }
}

/// Options shared by the commands that sample: `run`, `sensitivity`, `compare`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct CommonArgs {
    #[command(flatten)]
    pub(super) set: SetArgs,
    /// Number of samples, overriding the scenario's `samples` (and --set scenario.samples), e.g.
    /// 100000, 1e6, 2M.
    #[arg(long, value_parser = parse_count)]
    pub(super) samples: Option<u64>,
    /// Random seed, overriding the scenario's `seed` (and --set scenario.seed); same seed, same
    /// results. 0 to 9223372036854775807, as in a scenario file (whose saved copy records it).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub(super) seed: Option<u64>,
    /// Per-year outputs (trajectories.csv, cost_components.csv and their charts) from the
    /// first N samples only, a faster run for a large scenario; 0: none at all. Affordability
    /// times, P(by year) and the summary's affordability figures still use every sample. The
    /// same as --set scenario.trajectory_samples=N [default: every sample].
    #[arg(long, value_parser = parse_trajectory_samples)]
    pub(super) trajectory_samples: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(super) threads: Option<u16>,
    /// Refuse a run predicted to need more memory than this (e.g. 500M, 4G, 2GiB) [default:
    /// half of this machine's memory].
    #[arg(long, value_parser = memory::parse_size)]
    pub(super) max_memory: Option<u64>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
}

impl CommonArgs {
    /// The `--set` values, with `--trajectory-samples` as the setting it stands for.
    pub(super) fn overrides(&self) -> Vec<Override> {
        let mut set = self.set.set.clone();
        if let Some(n) = self.trajectory_samples {
            set.push(
                Override::parse(&format!("scenario.trajectory_samples={n}"))
                    .expect("a count is a valid setting"),
            );
        }
        set
    }
}

/// Where a command writes and what it prints: shared by the commands that sample and `merge`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct OutputArgs {
    /// Output directory [default: out/<scenario file stem>, out/compare-<stems> or
    /// out/<stem>-sweep].
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// No progress bar and no notes on stderr.
    #[arg(long, short)]
    pub(super) quiet: bool,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(super) format: Format,
    /// Do not draw charts (data files only).
    #[arg(long)]
    pub(super) no_charts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    /// A table for people.
    Table,
    /// The command's JSON file: summary.json (compare: compare.json; sweep: sweep.json).
    Json,
    /// The command's main table: times.csv, per target and actor class, P(by the horizon) and
    /// the quantiles (sensitivity: sensitivity.csv; compare: thresholds.csv or comparison.csv;
    /// sweep: sweep.csv).
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

/// A `--trajectory-samples` value: a count as [`parse_count`] reads one, or 0 (no per-year
/// outputs).
pub(super) fn parse_trajectory_samples(s: &str) -> Result<u64, String> {
    match parse_amount(s) {
        Some(v) if (0.0..=1e12).contains(&v) && v.fract() == 0.0 => Ok(v as u64),
        _ => Err(format!(
            "expected a whole number of samples from 0 (no per-year outputs) to 1e12 (e.g. 0, 1000, 1e4), got \"{s}\""
        )),
    }
}

/// `diffusion-sim merge`: the outputs of a run from the partial files of all its shards.
#[derive(Debug, clap::Args)]
pub(super) struct MergeArgs {
    /// The partial files of every shard of one run (any order).
    #[arg(required = true)]
    pub(super) partials: Vec<PathBuf>,
    #[command(flatten)]
    pub(super) output: OutputArgs,
    #[command(flatten)]
    pub(super) chart: ChartArgs,
    #[command(flatten)]
    pub(super) view: ViewArgs,
}

/// `K/N`: shard K (1-based) of N.
pub(super) fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("expected K/N with 1 ≤ K ≤ N (e.g. 2/8), got {s:?}");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_arguments() {
        assert_eq!(parse_shard("2/8"), Ok((2, 8)));
        assert_eq!(parse_shard("1/1"), Ok((1, 1)));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
