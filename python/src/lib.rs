//! `diffusion_sim._core`: the binary's commands run in process, for the Python package.
//!
//! Thin by design: a command line goes to [`diffusion_sim::cli::execute`], the same code the
//! binary runs, so every flag, file and number is the binary's. What is here is only the edge:
//! Python's Ctrl-C stops a command the way the terminal's does, and a failure becomes the
//! package's exception for it (a scenario error keeps its file, line, column and key).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diffusion_sim::cli::{self, CommandError, ErrorKind};
use diffusion_sim::in_memory::{self, Request};
use diffusion_sim::schema::Summary;
use diffusion_sim::sweep::{self, Axis, PointResult, SweepDoc};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _core,
    InputError,
    PyValueError,
    "Bad input: a flag, a value or a file the command cannot use (the binary's exit code 2)."
);
create_exception!(
    _core,
    ScenarioError,
    InputError,
    "A scenario that cannot be used, with its file, line, column, key and message."
);
create_exception!(
    _core,
    RunError,
    PyRuntimeError,
    "A run that could not finish, e.g. an output file that could not be written (exit code 1)."
);

/// How often a running command checks for Python's Ctrl-C.
const POLL: Duration = Duration::from_millis(50);

/// Runs one command line (`argv` without the program name) as the binary would; `stdin` is the
/// text of the scenario `-`. Returns its stdout and its warnings.
#[pyfunction]
#[pyo3(signature = (argv, stdin=None))]
fn execute(
    py: Python<'_>,
    argv: Vec<String>,
    stdin: Option<String>,
) -> PyResult<(String, Vec<String>)> {
    let cancel = Arc::new(AtomicBool::new(false));
    let (flag, caller) = (cancel.clone(), std::thread::current());
    let worker = std::thread::Builder::new()
        .name("diffusion-sim".into())
        // The binary's main thread has 8 MiB; a command run here gets the same.
        .stack_size(8 << 20)
        .spawn(move || {
            let result = cli::execute(&argv, stdin, &flag);
            caller.unpark();
            result
        })
        .map_err(|e| RunError::new_err(format!("cannot start the command: {e}")))?;
    loop {
        py.detach(|| std::thread::park_timeout(POLL));
        if worker.is_finished() {
            break;
        }
        if let Err(interrupt) = py.check_signals() {
            // Stop the command as Ctrl-C stops the binary: its output folder stays as it was.
            cancel.store(true, Ordering::SeqCst);
            let _ = py.detach(|| worker.join());
            return Err(interrupt);
        }
    }
    match py.detach(|| worker.join()) {
        Ok(Ok(captured)) => Ok((captured.stdout, captured.warnings)),
        Ok(Err(e)) => Err(to_python(e)),
        Err(_) => Err(RunError::new_err(
            "internal error: the command panicked (please report it with the scenario)",
        )),
    }
}

/// The package's exception for a failed command.
fn to_python(e: CommandError) -> PyErr {
    match (e.kind, e.scenario) {
        (ErrorKind::BadInput, Some(s)) => to_python_scenario(*s, e.message),
        (ErrorKind::BadInput, None) => InputError::new_err(e.message),
        (ErrorKind::Failed, _) => RunError::new_err(e.message),
        (ErrorKind::Interrupted, _) => PyKeyboardInterrupt::new_err(e.message),
    }
}

/// `ds.ScenarioError` with the error's file, line, column, key, setting and reason.
fn to_python_scenario(s: diffusion_sim::scenario::ScenarioError, message: String) -> PyErr {
    let err = ScenarioError::new_err(message);
    Python::attach(|py| {
        let value = err.value(py);
        let (line, column) = s.position.map_or((None, None), |(l, c)| (Some(l), Some(c)));
        let _ = value.setattr("file", s.file.display().to_string());
        let _ = value.setattr("key", s.key);
        let _ = value.setattr("reason", s.message);
        let _ = value.setattr("line", line);
        let _ = value.setattr("column", column);
        let _ = value.setattr("set", s.set);
    });
    err
}

/// TOML text of a scenario given as JSON text (a Python dict through `json.dumps`), keys in
/// the order given.
#[pyfunction]
fn toml_from_json(json: &str) -> PyResult<String> {
    let value: toml::Value = serde_json::from_str(json).map_err(|e| {
        InputError::new_err(format!(
            "a scenario dict must hold only tables, lists, strings, numbers and booleans (no None): {e}"
        ))
    })?;
    if !value.is_table() {
        return Err(InputError::new_err(
            "a scenario dict must be a dict of tables",
        ));
    }
    toml::to_string(&value)
        .map_err(|e| InputError::new_err(format!("cannot write the scenario as TOML: {e}")))
}

/// The points of a sweep of `text` (with `set` applied; `samples` and `seed` replace the
/// scenario's), as `diffusion-sim sweep` makes them from its `--grid`, `--lhs` and `--points`:
/// the scenario's name, the design, the samples and seed every point runs with, and each
/// point's `KEY=VALUE` settings. For running the points elsewhere (a Dask cluster).
#[pyfunction]
#[pyo3(signature = (text, set, grid, lhs, points=None, samples=None, seed=None))]
#[allow(clippy::type_complexity)]
fn sweep_plan(
    text: String,
    set: Vec<String>,
    grid: Vec<String>,
    lhs: Vec<String>,
    points: Option<u64>,
    samples: Option<u64>,
    seed: Option<u64>,
) -> PyResult<(String, String, u64, u64, Vec<Vec<String>>)> {
    let scn = in_memory::load(&Request {
        text,
        name: "<stdin>".into(),
        set,
        samples,
        seed,
        trajectory_samples: None,
        files: None,
    })
    .map_err(in_memory_error)?;
    let (design, pts) = plan(&grid, &lhs, points, scn.seed)?;
    let settings = pts
        .iter()
        .map(|p| p.overrides.iter().map(|o| o.to_string()).collect())
        .collect();
    Ok((
        scn.name,
        design.as_str().to_string(),
        scn.samples,
        scn.seed,
        settings,
    ))
}

/// `sweep.csv` and `sweep.json` of a sweep whose points ran elsewhere, from each point's
/// summary.json in point order: the files `diffusion-sim sweep` writes for the same arguments.
#[pyfunction]
#[pyo3(signature = (name, grid, lhs, points, samples, seed, summaries))]
fn sweep_tables(
    name: String,
    grid: Vec<String>,
    lhs: Vec<String>,
    points: Option<u64>,
    samples: u64,
    seed: u64,
    summaries: Vec<Vec<u8>>,
) -> PyResult<(Vec<u8>, Vec<u8>)> {
    let (design, pts) = plan(&grid, &lhs, points, seed)?;
    let results = summaries
        .iter()
        .map(|b| {
            serde_json::from_slice::<Summary>(b)
                .map(|s| PointResult::from(&s))
                .map_err(|e| RunError::new_err(format!("a point's summary.json: {e}")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let bad = |e: sweep::SweepError| InputError::new_err(e.to_string());
    let doc = SweepDoc::new(&name, design, (samples, seed), &pts, &results).map_err(bad)?;
    let csv = sweep::table(&pts, &results).map_err(bad)?;
    Ok((csv, doc.to_bytes()))
}

fn plan(
    grid: &[String],
    lhs: &[String],
    points: Option<u64>,
    seed: u64,
) -> PyResult<(sweep::Design, Vec<sweep::Point>)> {
    let bad = |e: sweep::SweepError| InputError::new_err(e.to_string());
    let mut axes = Vec::new();
    for g in grid {
        axes.push(Axis::grid(g).map_err(bad)?);
    }
    for l in lhs {
        axes.push(Axis::lhs(l).map_err(bad)?);
    }
    sweep::points(&axes, points, seed).map_err(bad)
}

fn in_memory_error(e: in_memory::Error) -> PyErr {
    match e {
        in_memory::Error::Scenario(s) => {
            let message = s.to_string();
            to_python_scenario(*s, message)
        }
        other => InputError::new_err(other.to_string()),
    }
}

/// A name as chart files name it (`GPT-4 level` → `gpt_4_level`).
#[pyfunction]
fn slug(name: &str) -> String {
    diffusion_sim::names::slug(name)
}

/// The module.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(execute, m)?)?;
    m.add_function(wrap_pyfunction!(toml_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(slug, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_plan, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_tables, m)?)?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("RunError", m.py().get_type::<RunError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
