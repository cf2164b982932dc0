//! A bounded fuzz suite over the scenario parser and a short run, in-process so that thousands
//! of cases take seconds. Each case mutates a shipped scenario's text (numbers swapped for
//! extremes, intervals reversed or widened, lines deleted, duplicated or swapped, bytes
//! inserted, the file cut short) and asserts the contract of the tool: the parser never panics
//! and every refusal is located (line and column); a scenario it accepts runs without panicking
//! and reports only finite numbers, probabilities in [0, 1], quantiles in order and
//! probabilities that never fall with the year.
//!
//! Hand-written rather than with proptest: the cases are mutations of real scenario text, which
//! needs its own generator either way, and a failing case is reported as the text that fails
//! (seed and case number reproduce it), which is what shrinking would aim for here.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg as SmallRng;

use crate::report;
use crate::results::RunResults;
use crate::scenario::{self, Scenario};
use crate::sim::{self, RunOptions};

/// Samples of each short run.
const SAMPLES: u64 = 64;
/// Runs predicted to take more memory than this are skipped (the limit is tested elsewhere).
const MAX_BYTES: u64 = 200_000_000;

/// The texts mutated, how many mutants of each, and how many accepted mutants are also run (a
/// short run of a large scenario costs a few tenths of a second, mostly fixed costs).
const TEXTS: [(&str, &str, usize, usize); 5] = [
    (
        "baseline.toml",
        include_str!("../scenarios/baseline.toml"),
        400,
        3,
    ),
    (
        "beyond_compute.toml",
        include_str!("../scenarios/beyond_compute.toml"),
        400,
        4,
    ),
    (
        "top_three.toml",
        include_str!("../scenarios/top_three.toml"),
        400,
        3,
    ),
    (
        "gpt3_hindcast.toml",
        include_str!("../scenarios/gpt3_hindcast.toml"),
        400,
        30,
    ),
    (
        "kitchen_sink.toml",
        include_str!("../tests/fixtures/kitchen_sink.toml"),
        1500,
        80,
    ),
];

const NUMBERS: [&str; 18] = [
    "0",
    "-1",
    "1",
    "0.5",
    "1e308",
    "1e-308",
    "1e300",
    "-1e300",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "2.5",
    "1e6",
    "1e25",
    "2060",
    "1e-6",
];

const STRINGS: [&str; 12] = [
    "\"1 to 0\"",
    "\"-5 to 5\"",
    "\"0 to 1e300\"",
    "\"1e-300 to 1e300\"",
    "\"$1e400\"",
    "\"\"",
    "\"2 to 2\"",
    "\"1 to 2 @ 100%\"",
    "\"+30%\"",
    "\"30%\"",
    "\"frontier\"",
    "{ lognormal = { median = 1, sigma = 300 } }",
];

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut SmallRng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let pick = |rng: &mut SmallRng| rng.random_range(0..lines.len());
    match rng.random_range(0..8) {
        // A value replaced by an extreme number or an odd string.
        0 | 1 => {
            let i = value_line(&lines, rng);
            let (key, _) = lines[i].split_once('=').expect("a value line");
            let value = if rng.random_bool(0.6) {
                NUMBERS[rng.random_range(0..NUMBERS.len())]
            } else {
                STRINGS[rng.random_range(0..STRINGS.len())]
            };
            replace_line(&lines, i, &format!("{key}= {value}"))
        }
        // The first number of a value scaled by a power of ten.
        2 => {
            let i = value_line(&lines, rng);
            let e = rng.random_range(-320..320);
            replace_line(&lines, i, &scale_first_number(lines[i], e))
        }
        3 => {
            let i = pick(rng);
            lines
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != i)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
        }
        4 => {
            let i = pick(rng);
            let mut v = lines.clone();
            v.insert(i, lines[i]);
            v.join("\n")
        }
        5 => {
            let (i, j) = (pick(rng), pick(rng));
            let mut v = lines.clone();
            v.swap(i, j);
            v.join("\n")
        }
        6 => {
            let mut s = text.to_string();
            let mut at = rng.random_range(0..=s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            let junk = [
                "\u{0}",
                "é",
                "[",
                "]",
                "=",
                "\"",
                "{",
                "#",
                "\n[[actor]]\n",
                "💥",
            ];
            s.insert_str(at, junk[rng.random_range(0..junk.len())]);
            s
        }
        _ => {
            let mut at = rng.random_range(0..=text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
    }
}

/// `line` with the first number after its `=` multiplied by `10^e` (written in scientific
/// notation), or unchanged when it has none.
fn scale_first_number(line: &str, e: i32) -> String {
    let Some(eq) = line.find('=') else {
        return line.to_string();
    };
    let bytes = line.as_bytes();
    let Some(start) = (eq..line.len()).find(|&k| bytes[k].is_ascii_digit()) else {
        return line.to_string();
    };
    let mut end = start;
    while end < line.len()
        && (bytes[end].is_ascii_digit()
            || bytes[end] == b'.'
            || ((bytes[end] == b'e' || bytes[end] == b'E') && end + 1 < line.len())
            || ((bytes[end] == b'-' || bytes[end] == b'+')
                && matches!(bytes[end - 1], b'e' | b'E')))
    {
        end += 1;
    }
    match line[start..end].parse::<f64>() {
        Ok(v) => format!("{}{:e}{}", &line[..start], v * 10f64.powi(e), &line[end..]),
        Err(_) => line.to_string(),
    }
}

/// A random line of the form `key = value` (not a comment or a table header).
fn value_line(lines: &[&str], rng: &mut SmallRng) -> usize {
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let t = lines[i].trim_start();
            !t.starts_with('#') && !t.starts_with('[') && t.contains('=')
        })
        .collect();
    candidates[rng.random_range(0..candidates.len())]
}

fn replace_line(lines: &[&str], i: usize, with: &str) -> String {
    let mut v: Vec<&str> = lines.to_vec();
    v[i] = with;
    v.join("\n")
}

/// What is wrong with the results of an accepted scenario, if anything.
fn check_results(scn: &Scenario, r: &RunResults) -> Result<(), String> {
    let prob = |p: f64, what: &str| {
        if (0.0..=1.0).contains(&p) {
            Ok(())
        } else {
            Err(format!("{what} = {p}"))
        }
    };
    let ordered = |q: &[f64], what: &str| {
        if q.iter().all(|v| v.is_finite()) && q.windows(2).all(|w| w[0] <= w[1]) {
            Ok(())
        } else {
            Err(format!("{what}: quantiles {q:?} not finite and in order"))
        }
    };
    for a in &r.affordability {
        let what = format!("{} / {}", a.target, a.actor);
        prob(a.p_by_horizon, &what)?;
        prob(a.p_never, &what)?;
        for p in &a.p_by_year {
            prob(*p, &what)?;
        }
        if a.p_by_year.windows(2).any(|w| w[1] < w[0]) {
            return Err(format!("{what}: P by year falls: {:?}", a.p_by_year));
        }
        let q: Vec<f64> = a.quantiles.iter().flatten().copied().collect();
        ordered(&q, &what)?;
    }
    for s in &r.trajectories {
        for q in s.quantiles.iter().flatten() {
            ordered(q, &format!("{:?} {:?}", s.kind, s.name))?;
        }
    }
    let files = [
        ("affordability.csv", report::affordability_csv(r)),
        ("trajectories.csv", report::trajectories_csv(r)),
        ("times.csv", report::times_csv(r)),
        ("lag_trend.csv", report::lag_trend_csv(r)),
        ("cost_components.csv", report::cost_components_csv(r)),
    ];
    for (name, bytes) in files {
        let text = String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8"))?;
        for cell in text.split([',', '\n']) {
            let c = cell.trim().to_ascii_lowercase();
            if c == "nan" || c.ends_with("inf") {
                return Err(format!("{name} holds {cell}"));
            }
        }
    }
    let _ = report::summary_json(scn, r);
    let _ = report::summary_table(scn, r);
    Ok(())
}

/// One case: parse, and run when accepted; `Err` describes a broken contract.
fn case(text: &str, runs_left: &mut usize) -> Result<(), String> {
    let parsed = catch_unwind(|| scenario::from_str(Path::new("fuzz.toml"), text))
        .map_err(|_| "the parser panicked".to_string())?;
    let mut scn = match parsed {
        Err(e) if e.position.is_none() => return Err(format!("unlocated error: {e}")),
        Err(_) => return Ok(()),
        Ok(s) => s,
    };
    if *runs_left == 0 {
        return Ok(());
    }
    scn.samples = SAMPLES;
    let opts = RunOptions {
        samples: SAMPLES,
        seed: scn.seed,
        threads: 1,
    };
    let estimate = catch_unwind(AssertUnwindSafe(|| sim::predict_memory(&scn, &opts)))
        .map_err(|_| "the memory prediction panicked".to_string())?;
    if estimate.total() > MAX_BYTES {
        return Ok(());
    }
    *runs_left -= 1;
    catch_unwind(AssertUnwindSafe(|| {
        let tally = sim::simulate(&scn, &opts, &|_| {}, &AtomicBool::new(false))
            .map_err(|e| e.to_string())?;
        let results = tally.finish(&scn);
        check_results(&scn, &results)
    }))
    .map_err(|_| "the run panicked".to_string())?
}

#[test]
fn scaling_a_number_keeps_the_rest_of_the_line() {
    assert_eq!(scale_first_number("x = 1e17", 3), "x = 1e20");
    assert_eq!(
        scale_first_number("x = \"2.0 to 3.0\"", -2),
        "x = \"2e-2 to 3.0\""
    );
    assert_eq!(scale_first_number("x = \"$1M\"", 1), "x = \"$1e1M\"");
    assert_eq!(scale_first_number("x = true", 1), "x = true");
}

#[test]
fn fuzzed_scenarios_are_refused_with_a_place_or_run_to_finite_results() {
    let mut failures = Vec::new();
    for (t, &(name, text, cases, runs)) in TEXTS.iter().enumerate() {
        let mut rng = SmallRng::seed_from_u64(0x5eed + t as u64);
        let mut runs_left = runs;
        for i in 0..cases {
            let mutated = mutate(text, &mut rng);
            if let Err(why) = case(&mutated, &mut runs_left) {
                failures.push(format!("{name} case {i}: {why}\n---\n{mutated}\n---"));
            }
        }
        assert_eq!(
            runs_left, 0,
            "{name}: too few mutated scenarios were accepted and run"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
