/*!
A run held in memory: scenario text in, the contents of the files `run` writes out. For front
ends with neither a file system nor a terminal (the browser playground in `web/`); the command
line writes the same contents to disk, so the numbers are the same for the same text, `--set`
values, samples and seed.

Also the playground's knobs: the inputs a slider can move without changing their shape.
*/

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::dist::Shape;
use crate::report;
use crate::scenario::{self, Override, Scenario, ScenarioError};
use crate::sim::{self, RunOptions};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The scenario's TOML text.
    pub text: String,
    /// The name errors give the text (a file name, or e.g. `<editor>`).
    pub name: String,
    /// `KEY=VALUE` settings, as `--set` takes them.
    pub set: Vec<String>,
    /// Samples (default: the scenario's).
    pub samples: Option<u64>,
    /// Seed (default: the scenario's).
    pub seed: Option<u64>,
    /// As `--trajectory-samples`: per-year outputs from the first N samples, none with 0
    /// (ignored when not fewer than the samples). Set on the run, not written into the
    /// scenario's text, so that `scenario.toml` stays the text the user edits.
    pub trajectory_samples: Option<u64>,
    /// Which of the files to write, by name (default: all of them). The playground reads only
    /// summary.json and scenario.toml, and building the CSVs was a twentieth of its run.
    pub files: Option<Vec<String>>,
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The scenario as it ran (`--set` values applied).
    pub scenario: Scenario,
    /// The files `run` writes ([`report::run_files`]: summary.json, the CSVs, scenario.toml),
    /// by name; only those asked for when [`Request::files`] names some.
    pub files: Vec<(String, Vec<u8>)>,
    /// The summary table `run` prints.
    pub table: String,
}

/// Why a request could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A `KEY=VALUE` setting that is not one.
    Set(String),
    /// The scenario (or a setting in it) cannot be used.
    Scenario(Box<ScenarioError>),
    /// The run could not finish.
    Run(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Set(m) | Error::Run(m) => write!(f, "{m}"),
            Error::Scenario(e) => write!(f, "{e}"),
        }
    }
}

/// Reads the scenario of `req` with its settings applied.
pub fn load(req: &Request) -> Result<Scenario, Error> {
    let set = req
        .set
        .iter()
        .map(|s| Override::parse(s).map_err(|e| Error::Set(format!("--set {s}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut scn = scenario::from_str_with(Path::new(&req.name), &req.text, &set)
        .map_err(|e| Error::Scenario(Box::new(e)))?;
    scn.samples = req.samples.unwrap_or(scn.samples);
    scn.seed = req.seed.unwrap_or(scn.seed);
    if let Some(n) = req.trajectory_samples.filter(|n| *n < scn.samples) {
        scn.trajectory_samples = Some(n);
    }
    Ok(scn)
}

/// Runs `req` on one thread and returns what `run` would write.
pub fn run(req: &Request) -> Result<Outcome, Error> {
    let scn = load(req)?;
    let opts = RunOptions {
        samples: scn.samples,
        seed: scn.seed,
        threads: 1,
    };
    let tally = sim::simulate(&scn, &opts, &|_| {}, &AtomicBool::new(false))
        .map_err(|e| Error::Run(e.to_string()))?;
    let results = tally.finish(&scn);
    results
        .check_finite(&scn)
        .map_err(|e| Error::Run(e.to_string()))?;
    let files = report::run_files_named(&scn, &results, None, |name| {
        req.files
            .as_ref()
            .is_none_or(|wanted| wanted.iter().any(|w| w == name))
    });
    let table = report::summary_table(&scn, &results);
    Ok(Outcome {
        scenario: scn,
        files,
        table,
    })
}

/// An input a slider can move: a lognormal one (`"a to b"`), moved by scaling it, which keeps
/// its spread (the ratio of its 95th to its 5th percentile).
#[derive(Debug, Clone, PartialEq)]
pub struct Knob {
    /// Its dotted key, as `--set` takes it.
    pub key: String,
    /// How it is written in the scenario.
    pub written: String,
    /// Its 5th percentile, median and 95th percentile.
    pub p5: f64,
    /// Median.
    pub median: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Knob {
    /// The `KEY=VALUE` setting that scales the input by `factor`: `"a·f to b·f"`, with a and b
    /// its 5th and 95th percentiles, to six significant digits.
    pub fn scaled(&self, factor: f64) -> String {
        format!(
            "{}={:.6e} to {:.6e}",
            self.key,
            self.p5 * factor,
            self.p95 * factor
        )
    }
}

/// The scenario's inputs a slider can move (lognormal and untruncated), in the scenario's order.
pub fn knobs(scn: &Scenario) -> Vec<Knob> {
    scn.inputs
        .iter()
        .filter(|i| matches!(i.dist.shape(), Shape::LogNormal { .. }))
        .filter(|i| i.dist.bounds() == (f64::NEG_INFINITY, f64::INFINITY))
        .map(|i| Knob {
            key: i.name.clone(),
            written: i.written.clone(),
            p5: i.dist.quantile(0.05),
            median: i.dist.median(),
            p95: i.dist.quantile(0.95),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"t\"\nstart_year = 2025.0\nend_year = 2060.0\nsamples = 500\nseed = 3\n\n[hardware]\nflop_per_dollar = 6.7e16\ndoubling_time_years = \"2 to 3\"\n\n[algorithms]\nhalving_time_years = 1.5\n\n[investment]\nfrontier_spend = \"$100M\"\ngrowth_per_year = 1.0\n\n[[actor]]\nname = \"Lab\"\nbudget = \"$100K\"\n\n[[target]]\nname = \"GPT-3\"\nflop = 3.14e23\n";

    fn request(set: &[&str]) -> Request {
        Request {
            text: TEXT.into(),
            name: "<editor>".into(),
            set: set.iter().map(|s| s.to_string()).collect(),
            ..Request::default()
        }
    }

    #[test]
    fn a_knob_scales_a_lognormal_input_and_keeps_its_spread() {
        let scn = load(&request(&[])).unwrap();
        let knobs = knobs(&scn);
        assert_eq!(knobs.len(), 1);
        let k = &knobs[0];
        assert_eq!(k.key, "hardware.doubling_time_years");
        assert!((k.p5 - 2.0).abs() < 1e-12 && (k.p95 - 3.0).abs() < 1e-12);
        assert!((k.median - 6f64.sqrt()).abs() < 1e-12);
        let set = k.scaled(2.0);
        assert_eq!(set, "hardware.doubling_time_years=4.000000e0 to 6.000000e0");
        let doubled = load(&request(&[&set])).unwrap();
        let d = &knobs_of(&doubled)[0];
        assert!((d.median / k.median - 2.0).abs() < 1e-9);
        assert!((d.p95 / d.p5 - 1.5).abs() < 1e-9);
    }

    #[test]
    fn a_run_asked_for_some_files_writes_those_the_same() {
        let all = run(&request(&[])).unwrap().files;
        let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.len() > 3 && names.contains(&"times.csv"), "{names:?}");
        let some = Request {
            files: Some(vec!["scenario.toml".into(), "summary.json".into()]),
            ..request(&[])
        };
        let picked = run(&some).unwrap().files;
        // In the order of all the files, each the same bytes, and no others.
        let expected: Vec<_> = all
            .iter()
            .filter(|(n, _)| n == "summary.json" || n == "scenario.toml")
            .cloned()
            .collect();
        assert_eq!(picked, expected);
        assert_eq!(picked.len(), 2);
        let none = Request {
            files: Some(vec!["no such file".into()]),
            ..request(&[])
        };
        assert!(run(&none).unwrap().files.is_empty());
    }

    fn knobs_of(scn: &Scenario) -> Vec<Knob> {
        knobs(scn)
    }

    #[test]
    fn a_run_in_memory_gives_the_closed_form_and_errors_keep_their_place() {
        let fixed = request(&["hardware.doubling_time_years=2.5"]);
        let out = run(&fixed).unwrap();
        let summary = &out.files[0].1;
        let v: serde_json::Value = serde_json::from_slice(summary).unwrap();
        let exact = 2025.0 + (3.14e23f64 / 6.7e16 / 1e5).ln() / (2f64.ln() / 2.5 + 2f64.ln() / 1.5);
        let got = v["affordability"][0]["year"]["p50"].as_f64().unwrap();
        assert!((got - exact).abs() < 1e-6, "{got} vs {exact}");
        assert!(out.table.contains("GPT-3"));
        let bad = Request {
            text: TEXT.replace("flop = 3.14e23", "flop = -1"),
            ..request(&[])
        };
        match run(&bad) {
            Err(Error::Scenario(e)) => assert_eq!(e.position.map(|p| p.0), Some(25)),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            run(&request(&["no equals sign"])),
            Err(Error::Set(_))
        ));
    }
}
