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
        Ok(Err(e)) => Err(to_python(py, e)),
        Err(_) => Err(RunError::new_err(
            "internal error: the command panicked (please report it with the scenario)",
        )),
    }
}

/// The package's exception for a failed command.
fn to_python(py: Python<'_>, e: CommandError) -> PyErr {
    match (e.kind, e.scenario) {
        (ErrorKind::BadInput, Some(s)) => {
            let err = ScenarioError::new_err(e.message);
            let value = err.value(py);
            let (line, column) = s.position.map_or((None, None), |(l, c)| (Some(l), Some(c)));
            let _ = value.setattr("file", s.file.display().to_string());
            let _ = value.setattr("key", s.key);
            let _ = value.setattr("reason", s.message);
            let _ = value.setattr("line", line);
            let _ = value.setattr("column", column);
            let _ = value.setattr("set", s.set);
            err
        }
        (ErrorKind::BadInput, None) => InputError::new_err(e.message),
        (ErrorKind::Failed, _) => RunError::new_err(e.message),
        (ErrorKind::Interrupted, _) => PyKeyboardInterrupt::new_err(e.message),
    }
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
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("RunError", m.py().get_type::<RunError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
