//! The plan of a sampling command (`run`, `sensitivity`, `compare`): built once from the
//! scenario files and the flags, and checked before anything is sampled or written. It is the
//! one source of truth of what runs: the scenarios with `--set`, `--samples` and `--seed` applied, the
//! threads, the memory limit, the output folder, the charts and what goes to stdout.

use std::path::{Path, PathBuf};

use super::{ChartArgs, CommonArgs, Failure, Format, default_threads, load, memory};
use crate::plot::{PlotOptions, Scope, View};
use crate::scenario::Scenario;
use crate::sim::RunOptions;

/// What a sampling command will do.
pub(super) struct Plan {
    /// The scenarios, with `--samples` and `--seed` applied (compared scenarios share the
    /// first's values, for common random numbers).
    pub scenarios: Vec<Scenario>,
    /// Samples, seed and threads of every run.
    pub run: RunOptions,
    /// The output folder.
    pub out: PathBuf,
    /// How to draw the charts, or `None` with `--no-charts`.
    pub charts: Option<PlotOptions>,
    /// What to print on stdout.
    pub format: Format,
    /// No progress bar and no notes.
    pub quiet: bool,
    /// Runs predicted to need more memory than this are refused, bytes.
    pub memory_limit: u64,
}

impl Plan {
    /// Reads `paths` and applies the flags; `default_out` names the output folder when `--out`
    /// is not given. Flags that would do nothing are refused.
    pub fn new(
        paths: &[PathBuf],
        common: &CommonArgs,
        (chart, view): (&ChartArgs, &View),
        default_out: impl FnOnce() -> PathBuf,
    ) -> Result<Self, Failure> {
        chart.check_with(view, common.output.no_charts)?;
        if paths.iter().filter(|p| is_stdin(p)).count() > 1 {
            return Err(Failure::BadInput(
                "`-` (the scenario on standard input) may be given once".into(),
            ));
        }
        let mut scenarios = Vec::with_capacity(paths.len());
        for p in paths {
            scenarios.push(load(p, &common.overrides())?);
        }
        Self::of(scenarios, common, (chart, view), default_out)
    }

    /// The plan of scenarios already read (with `--set` applied): the flags applied to them.
    pub fn of(
        mut scenarios: Vec<Scenario>,
        common: &CommonArgs,
        (chart, view): (&ChartArgs, &View),
        default_out: impl FnOnce() -> PathBuf,
    ) -> Result<Self, Failure> {
        chart.check_with(view, common.output.no_charts)?;
        let (samples, seed) = (
            common.samples.unwrap_or(scenarios[0].samples),
            common.seed.unwrap_or(scenarios[0].seed),
        );
        if let Some(n) = common.trajectory_samples.filter(|n| *n >= samples) {
            return Err(Failure::BadInput(format!(
                "--trajectory-samples {n} is not fewer than the run's {samples} samples: per-year outputs use every sample already"
            )));
        }
        for scn in &mut scenarios {
            scn.samples = samples;
            scn.seed = seed;
        }
        Ok(Self {
            scenarios,
            run: RunOptions {
                samples,
                seed,
                threads: default_threads(common.threads),
            },
            out: common.output.out.clone().unwrap_or_else(default_out),
            charts: (!common.output.no_charts).then(|| chart.options_with(view.clone())),
            format: common.output.format,
            quiet: common.output.quiet,
            memory_limit: common.max_memory.unwrap_or_else(memory::default_limit),
        })
    }

    /// Refuses chart options the charts of `scope` cannot honour (an unknown class, years
    /// outside the run's), before anything is sampled.
    pub fn check_view(&self, scope: &Scope) -> Result<(), Failure> {
        match &self.charts {
            Some(c) => c.view.check(scope).map_err(Failure::BadInput),
            None => Ok(()),
        }
    }

    /// The scope of the charts of a run of `scn`.
    pub fn run_scope(scn: &Scenario) -> Scope {
        Scope {
            kind: "run",
            classes: scn.actor_names().iter().map(|s| s.to_string()).collect(),
            years: scn.report_years.clone(),
            // Without per-year outputs there are no cost charts.
            costs: scn.per_year(),
            year_axis: true,
        }
    }

    /// Refuses a run of `scn` (one of the plan's, or one made from it) predicted to need more
    /// memory than the limit.
    pub fn check_memory(&self, scn: &Scenario) -> Result<(), Failure> {
        memory::check(scn, &self.run, self.memory_limit)
    }

    /// Refuses runs of all the plan's scenarios, one after the other with every result kept and
    /// `groups` batch-means histograms per pair, predicted to need more memory in all than the
    /// limit.
    pub fn check_memory_all(&self, groups: u64) -> Result<(), Failure> {
        memory::check_all(&self.scenarios, &self.run, groups, self.memory_limit)
    }
}

/// `out/<file stem>` for a scenario file.
pub(super) fn out_for(path: &Path) -> PathBuf {
    Path::new("out").join(file_stem(path))
}

/// A scenario file's stem, which names its output folder, its column in a comparison and its
/// copy there: `stdin` for `-` (and for `<stdin>`, its name in a shard's partial file).
pub(super) fn file_stem(path: &Path) -> String {
    if is_stdin(path) || path == Path::new("<stdin>") {
        return "stdin".into();
    }
    path.file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
}

/// Whether a scenario argument is `-`, standard input.
fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}
