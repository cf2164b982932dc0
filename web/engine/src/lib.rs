//! The playground's engine: `diffusion_sim::in_memory` behind a byte interface for JavaScript.
//!
//! Three exports, no bindings generator: the page writes a JSON request into memory it got from
//! `alloc`, calls `run` or `knobs`, and reads a length-prefixed JSON answer. wasm-bindgen would
//! add a command-line tool that must match the crate's version exactly and minutes of build in
//! CI, for an interface that is one string in and one string out.
//!
//! Nothing here computes: a request is read, handed to the library, and its answer written.

use diffusion_sim::in_memory::{self, Error, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// What the page asks for.
#[derive(Deserialize)]
struct Ask {
    text: String,
    #[serde(default)]
    set: Vec<String>,
    samples: Option<u64>,
    seed: Option<u64>,
    /// Per-year outputs from the first N samples (`--trajectory-samples N`).
    #[serde(default)]
    trajectory_samples: Option<u64>,
    /// Only these of the files, by name (default: all).
    #[serde(default)]
    files: Option<Vec<String>>,
}

/// A failure as the page shows it: where in the text, which key, what is wrong.
#[derive(Serialize)]
struct Problem {
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<String>,
    set: Option<String>,
}

/// Memory for the page to write a request of `len` bytes into.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Frees what `alloc` gave or an answer (`len` bytes, its length prefix included).
///
/// # Safety
/// `ptr` and `len` must come from `alloc(len)`, or be an answer's pointer and its 4 + length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back a buffer of this crate's, with its capacity.
    unsafe { drop(Vec::from_raw_parts(ptr, 0, len.max(1))) };
}

/// Runs the request (JSON: text, set, samples, seed, and optionally trajectory_samples and
/// files, the names of the files wanted) in `len` bytes at `ptr`; returns a pointer to a 4-byte
/// little-endian length and that many bytes of JSON: `{"ok": {...}}` with the files `run`
/// writes (those named, when `files` is given) and its summary table, or `{"error": {...}}`.
///
/// # Safety
/// `ptr` must point to `len` bytes the page wrote into memory from `alloc(len)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn run(ptr: *mut u8, len: usize) -> *mut u8 {
    // SAFETY: as documented, `len` initialised bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    answer(ask(bytes).and_then(|req| {
        let out = in_memory::run(&req).map_err(problem)?;
        let files: serde_json::Map<String, Value> = out
            .files
            .into_iter()
            .map(|(name, b)| {
                (
                    name,
                    Value::String(String::from_utf8_lossy(&b).into_owned()),
                )
            })
            .collect();
        Ok(json!({ "files": files, "table": out.table }))
    }))
}

/// The knobs of the request's scenario (JSON like `run`'s): each lognormal input's key, how it
/// is written, its 5th percentile, median and 95th percentile, and the setting that scales it.
///
/// # Safety
/// As for [`run`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn knobs(ptr: *mut u8, len: usize) -> *mut u8 {
    // SAFETY: as documented, `len` initialised bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    answer(ask(bytes).and_then(|req| {
        let scn = in_memory::load(&req).map_err(problem)?;
        let knobs: Vec<Value> = in_memory::knobs(&scn)
            .iter()
            .map(|k| {
                json!({ "key": k.key, "written": k.written, "p5": k.p5, "median": k.median,
                        "p95": k.p95, "double": k.scaled(2.0) })
            })
            .collect();
        let actors: Vec<&str> = scn.actor_names();
        let targets: Vec<&str> = scn.target_names();
        Ok(
            json!({ "knobs": knobs, "name": scn.name, "samples": scn.samples, "seed": scn.seed,
                   "actors": actors, "targets": targets }),
        )
    }))
}

/// Scales a knob: the `KEY=VALUE` setting for `factor` (the page's slider), computed where the
/// knob's percentiles are.
///
/// # Safety
/// As for [`run`]; the JSON is `{"text", "set", "key", "factor"}`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn scale(ptr: *mut u8, len: usize) -> *mut u8 {
    // SAFETY: as documented, `len` initialised bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    #[derive(Deserialize)]
    struct Scale {
        key: String,
        factor: f64,
    }
    answer(ask(bytes).and_then(|req| {
        let s: Scale = serde_json::from_slice(bytes).map_err(|e| plain(e.to_string()))?;
        let base = Request {
            set: Vec::new(),
            ..req
        };
        let scn = in_memory::load(&base).map_err(problem)?;
        let knob = in_memory::knobs(&scn)
            .into_iter()
            .find(|k| k.key == s.key)
            .ok_or_else(|| plain(format!("{} is not a knob of this scenario", s.key)))?;
        Ok(json!({ "set": knob.scaled(s.factor) }))
    }))
}

fn ask(bytes: &[u8]) -> Result<Request, Problem> {
    let a: Ask = serde_json::from_slice(bytes).map_err(|e| plain(format!("bad request: {e}")))?;
    Ok(Request {
        text: a.text,
        name: "<editor>".into(),
        set: a.set,
        samples: a.samples,
        seed: a.seed,
        trajectory_samples: a.trajectory_samples,
        files: a.files,
    })
}

fn plain(message: String) -> Problem {
    Problem {
        message,
        line: None,
        column: None,
        key: None,
        set: None,
    }
}

fn problem(e: Error) -> Problem {
    match e {
        Error::Scenario(s) => Problem {
            message: s.to_string(),
            line: s.position.map(|p| p.0),
            column: s.position.map(|p| p.1),
            key: (!s.key.is_empty()).then(|| s.key.clone()),
            set: s.set.clone(),
        },
        other => plain(other.to_string()),
    }
}

/// The answer as a length-prefixed JSON buffer the page reads and then frees.
fn answer(result: Result<Value, Problem>) -> *mut u8 {
    let body = match result {
        Ok(v) => json!({ "ok": v }),
        Err(p) => json!({ "error": p }),
    };
    let text = serde_json::to_vec(&body).expect("JSON of plain values");
    let mut buf = Vec::with_capacity(4 + text.len());
    buf.extend_from_slice(&(text.len() as u32).to_le_bytes());
    buf.extend_from_slice(&text);
    let mut buf = buf.into_boxed_slice();
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}
