//! End-to-end tests of bad input: every broken scenario or command line must exit with code 2,
//! print one line `error: <file>:<line>:<col>: `<key>`: <message>` on stderr (the message saying
//! what is wrong and what is allowed), print nothing on stdout, and write no output file.
//!
//! Each scenario case edits the minimal valid scenario of `util`, runs both
//! `run SCENARIO --out <tempdir>/out` and `validate SCENARIO`, and checks the exact position
//! (computed from the edited text), the key and words of the message. A test holding several
//! cases checks them all and then fails listing every failing case by name.

use std::path::Path;
use std::process::Output;

use crate::util::{
    MINIMAL_SCENARIO, OUTPUT_FILES, bin, file_names, line_col, replace_once, write_scenario,
    write_scenario_named,
};
use predicates::prelude::*;

// ------------------------------------------------------------------------------------------
// Harness

/// Where an error must point, found in the scenario text.
enum At {
    /// The start of the only occurrence of this text.
    Text(&'static str),
    /// The start of the n-th (1-based) occurrence of this text.
    Nth(&'static str, usize),
    /// The start of `inner`'s first occurrence inside the only occurrence of `outer`.
    Within(&'static str, &'static str),
    /// Just after the only occurrence of this text.
    After(&'static str),
    /// An explicit line and column.
    LineCol(usize, usize),
}

/// A scenario that must be rejected.
struct Bad {
    name: &'static str,
    text: String,
    at: At,
    /// The dotted key in backquotes; `None` for errors with no key (TOML syntax).
    key: Option<String>,
    says: Vec<&'static str>,
    never_says: Vec<&'static str>,
}

fn bad(name: &'static str, text: String) -> Bad {
    Bad {
        name,
        text,
        at: At::LineCol(1, 1),
        key: None,
        says: Vec::new(),
        never_says: Vec::new(),
    }
}

/// The minimal scenario with the single occurrence of `from` replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    replace_once(MINIMAL_SCENARIO, from, to)
}

/// The minimal scenario with the hardware rate replaced by `[[hardware.regime]]` tables.
fn hardware_regimes(regimes: &[&str]) -> String {
    let tables: String = regimes
        .iter()
        .map(|r| format!("\n[[hardware.regime]]\n{r}\n"))
        .collect();
    edit("doubling_time_years = 2.5\n", &tables)
}

/// The only occurrence of `needle` in `text`, as a byte offset.
fn only(text: &str, needle: &str) -> Result<usize, String> {
    let hits: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
    match hits.as_slice() {
        [i] => Ok(*i),
        _ => Err(format!(
            "test bug: {needle:?} occurs {} times in the scenario",
            hits.len()
        )),
    }
}

impl Bad {
    fn at(mut self, text: &'static str) -> Self {
        self.at = At::Text(text);
        self
    }
    fn at_nth(mut self, text: &'static str, n: usize) -> Self {
        self.at = At::Nth(text, n);
        self
    }
    fn within(mut self, outer: &'static str, inner: &'static str) -> Self {
        self.at = At::Within(outer, inner);
        self
    }
    fn after(mut self, text: &'static str) -> Self {
        self.at = At::After(text);
        self
    }
    fn at_line_col(mut self, line: usize, col: usize) -> Self {
        self.at = At::LineCol(line, col);
        self
    }
    fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_string());
        self
    }
    fn says(mut self, words: &[&'static str]) -> Self {
        self.says.extend_from_slice(words);
        self
    }
    fn never_says(mut self, words: &[&'static str]) -> Self {
        self.never_says.extend_from_slice(words);
        self
    }

    fn position(&self) -> Result<(usize, usize), String> {
        let t = &self.text;
        let offset = match self.at {
            At::LineCol(line, col) => return Ok((line, col)),
            At::Text(s) => only(t, s)?,
            At::After(s) => only(t, s)? + s.len(),
            At::Within(outer, inner) => {
                let o = only(t, outer)?;
                o + outer
                    .find(inner)
                    .ok_or_else(|| format!("test bug: {inner:?} is not inside {outer:?}"))?
            }
            At::Nth(s, n) => t
                .match_indices(s)
                .nth(n - 1)
                .map(|(i, _)| i)
                .ok_or_else(|| format!("test bug: fewer than {n} occurrences of {s:?}"))?,
        };
        Ok(line_col(t, offset))
    }

    /// Runs `run` and `validate` on the scenario and checks both.
    fn check(&self) -> Result<(), String> {
        let (line, col) = self.position()?;
        let file_name = format!("{}.toml", slug(self.name));
        let (dir, path) = write_scenario_named(&file_name, &self.text);
        let mut prefix = format!("error: {}:{line}:{col}: ", path.display());
        if let Some(key) = &self.key {
            prefix.push_str(&format!("`{key}`: "));
        }
        let out = dir.path().join("out");
        let runs: [(&str, Vec<&std::ffi::OsStr>); 2] = [
            (
                "run",
                vec![
                    "run".as_ref(),
                    path.as_os_str(),
                    "--samples".as_ref(),
                    "50".as_ref(),
                    "--quiet".as_ref(),
                    "--out".as_ref(),
                    out.as_os_str(),
                ],
            ),
            ("validate", vec!["validate".as_ref(), path.as_os_str()]),
        ];
        for (what, args) in runs {
            let output = bin().args(&args).output().expect("run diffusion-sim");
            let line = one_error_line(&output).map_err(|e| format!("{what}: {e}"))?;
            let message = line.strip_prefix(&prefix).ok_or_else(|| {
                format!("{what}: stderr does not start with {prefix:?}:\n  {line}")
            })?;
            for w in &self.says {
                if !predicate::str::contains(*w).eval(message) {
                    return Err(format!("{what}: message lacks {w:?}:\n  {line}"));
                }
            }
            for w in &self.never_says {
                if message.contains(w) {
                    return Err(format!("{what}: message should not say {w:?}:\n  {line}"));
                }
            }
            if file_names(dir.path()) != [file_name.as_str()] {
                return Err(format!(
                    "{what}: files were created next to the scenario: {:?}",
                    file_names(dir.path())
                ));
            }
        }
        Ok(())
    }
}

/// Exit code 2, nothing on stdout, exactly one `error: ` line on stderr; returns that line.
fn one_error_line(output: &Output) -> Result<String, String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() != Some(2) {
        return Err(format!(
            "exit status {:?}, expected 2; stderr:\n{stderr}",
            output.status
        ));
    }
    if !output.stdout.is_empty() {
        return Err(format!(
            "stdout is not empty:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() != 1 || !stderr.ends_with('\n') || !lines[0].starts_with("error: ") {
        return Err(format!(
            "stderr is not one `error: ` line ({} lines):\n{stderr}",
            lines.len()
        ));
    }
    Ok(lines[0].to_string())
}

/// Checks every case, then fails naming each case that failed.
fn check_all(cases: Vec<Bad>) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| c.check().err().map(|e| format!("[{}] {e}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} case(s) failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A file name for a case.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The scenario must be accepted: `run` writes every output file, `validate` succeeds.
fn check_accepted(name: &str, text: &str) -> Result<(), String> {
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    let run = bin()
        .arg("run")
        .arg(&path)
        .args(["--samples", "200", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .output()
        .expect("run diffusion-sim");
    if !run.status.success() {
        return Err(format!(
            "[{name}] run failed ({:?}):\n{}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    if !out.is_dir() || file_names(&out) != sorted(OUTPUT_FILES) {
        return Err(format!("[{name}] run did not write the output files"));
    }
    let validate = bin()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("run diffusion-sim");
    if !validate.status.success() {
        return Err(format!(
            "[{name}] validate failed ({:?}):\n{}",
            validate.status,
            String::from_utf8_lossy(&validate.stderr)
        ));
    }
    Ok(())
}

fn check_all_accepted(cases: &[(&str, String)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, text)| check_accepted(name, text).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

// ------------------------------------------------------------------------------------------
// The helper scenario is valid

#[test]
fn the_minimal_scenario_runs_and_writes_every_output_file() {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    bin()
        .arg("run")
        .arg(&path)
        .args(["--samples", "2000", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Big model"))
        .stderr(predicate::str::is_empty());
    assert_eq!(file_names(&out), sorted(OUTPUT_FILES));
    for f in OUTPUT_FILES {
        let len = std::fs::metadata(out.join(f)).unwrap().len();
        assert!(len > 0, "{f} is empty");
    }
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Minimal"));
}

// ------------------------------------------------------------------------------------------
// Malformed TOML: no key to name, but the file, line and column of the syntax error.

#[test]
fn malformed_toml() {
    check_all(vec![
        bad("unclosed table header", edit("[hardware]\n", "[hardware\n"))
            .after("[hardware")
            .says(&["not valid TOML", "expected `]`"]),
        bad(
            "unclosed array-of-tables header",
            edit("[[actor]]\n", "[[actor]\n"),
        )
        .after("[[actor]")
        .says(&["not valid TOML", "expected `]`"]),
        bad(
            "key without a value",
            edit("seed = 7\n", "seed = 7\nx = \n"),
        )
        .after("x = ")
        .says(&["not valid TOML", "expected"]),
        bad(
            "unclosed string",
            edit("name = \"Minimal\"\n", "name = \"Minimal\n"),
        )
        .after("name = \"Minimal")
        .says(&["not valid TOML", "expected `\"`"]),
        bad("duplicate key", edit("seed = 7\n", "seed = 7\nseed = 8\n"))
            .at("seed = 8")
            .says(&[
                "not valid TOML",
                "duplicate key `seed`: it is already set above",
            ]),
        bad(
            "duplicate table",
            edit("[hardware]\n", "[hardware]\n[hardware]\n"),
        )
        .within("]\n[hardware]\nflop", "hardware")
        .says(&["duplicate key `hardware`"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Unknown keys, with a "did you mean" hint when the typo is close.

#[test]
fn unknown_key_at_the_top_level() {
    check_all(vec![
        bad(
            "typo of a table name",
            edit("[algorithms]\n", "[algoritms]\n"),
        )
        .within("[algoritms]", "algoritms")
        .key("algoritms")
        .says(&[
            "unknown key at the top level",
            "did you mean `algorithms`?",
            "allowed keys: `scenario`, `hardware`, `algorithms`, `investment`, `costs`, `deployment`, `publication`, `actor`, `target`, `correlation`",
        ]),
        bad(
            "a key unlike any allowed one",
            format!("colour = \"blue\"\n{MINIMAL_SCENARIO}"),
        )
        .at_line_col(1, 1)
        .key("colour")
        .says(&["unknown key at the top level", "allowed keys: `scenario`"])
        .never_says(&["did you mean"]),
    ]);
}

#[test]
fn unknown_key_in_scenario_table() {
    check_all(vec![
        bad("typo of seed", edit("seed = 7", "seeed = 7"))
            .at("seeed")
            .key("scenario.seeed")
            .says(&[
                "unknown key in [scenario]",
                "did you mean `seed`?",
                "allowed keys: `name`, `description`, `start_year`",
            ]),
    ]);
}

#[test]
fn unknown_key_in_hardware() {
    check_all(vec![
        bad(
            "typo of doubling_time_years",
            edit("doubling_time_years = 2.5", "doubling_time_yeras = 2.5"),
        )
        .at("doubling_time_yeras")
        .key("hardware.doubling_time_yeras")
        .says(&[
            "unknown key in [hardware]",
            "did you mean `doubling_time_years`?",
            "allowed keys: `flop_per_dollar`, `max_flop_per_dollar`, `regime`",
        ]),
        bad(
            "a key unlike any allowed one",
            edit(
                "flop_per_dollar = 1e18\n",
                "flop_per_dollar = 1e18\nvendor = \"x\"\n",
            ),
        )
        .at("vendor")
        .key("hardware.vendor")
        .says(&["unknown key in [hardware]", "allowed keys:"])
        .never_says(&["did you mean"]),
    ]);
}

#[test]
fn unknown_key_in_an_actor() {
    check_all(vec![
        bad(
            "typo of growth_per_year",
            edit("growth_per_year = 1.2", "growth_per_yaer = 1.2"),
        )
        .at("growth_per_yaer")
        .key("actor.\"Lab\".growth_per_yaer")
        .says(&[
            "unknown key in [actor.\"Lab\"]",
            "did you mean `growth_per_year`?",
            "allowed keys: `name`, `budget`, `max_budget`",
        ]),
        bad(
            "typo of max_budget",
            edit(
                "budget = \"$1M to $10M\"\n",
                "budget = \"$1M to $10M\"\nmax_budgte = 5e7\n",
            ),
        )
        .at("max_budgte")
        .key("actor.\"Lab\".max_budgte")
        .says(&["did you mean `max_budget`?"]),
    ]);
}

#[test]
fn unknown_key_in_a_target_or_regime() {
    check_all(vec![
        bad(
            "typo of flop_year in a target",
            edit("flop_year = 2024.0", "flop_yaer = 2024.0"),
        )
        .at("flop_yaer")
        .key("target.\"Big model\".flop_yaer")
        .says(&[
            "unknown key in [target.\"Big model\"]",
            "did you mean `flop_year`?",
            "allowed keys: `name`, `flop`, `flop_year`, `frontier_year`",
        ]),
        bad(
            "typo of a rate key in a regime",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "doubling_tiem_years = 3.0",
            ]),
        )
        .at("doubling_tiem_years")
        .key("hardware.regime[2].doubling_tiem_years")
        .says(&[
            "unknown key in [hardware.regime[2]]",
            "did you mean `doubling_time_years`?",
            "allowed keys: `until`",
        ]),
    ]);
}

#[test]
fn unknown_key_inside_a_distribution_table() {
    check_all(vec![
        bad(
            "typo of min next to the family",
            edit(
                "doubling_time_years = 2.5",
                "doubling_time_years = { normal = { mean = 2, sd = 1 }, mim = 0.5 }",
            ),
        )
        .at("mim")
        .key("hardware.doubling_time_years.mim")
        .says(&[
            "unknown key in [hardware.doubling_time_years]",
            "did you mean `min`?",
            "allowed keys: `interval`, `normal`, `lognormal`",
        ]),
        bad(
            "typo of the family",
            edit(
                "doubling_time_years = 2.5",
                "doubling_time_years = { lognormall = { median = 2, sigma = 0.3 } }",
            ),
        )
        .at("lognormall")
        .key("hardware.doubling_time_years.lognormall")
        .says(&["did you mean `lognormal`?", "`mixture`, `min`, `max`"]),
        bad(
            "typo of a parameter",
            edit(
                "doubling_time_years = 2.5",
                "doubling_time_years = { normal = { mean = 2, sdd = 1 }, min = 0.5 }",
            ),
        )
        .at("sdd")
        .key("hardware.doubling_time_years.normal.sdd")
        .says(&[
            "unknown key in [hardware.doubling_time_years.normal]",
            "did you mean `sd`?",
            "allowed keys: `mean`, `sd`",
        ]),
        bad(
            "typo in a mixture component",
            edit(
                "doubling_time_years = 2.5",
                "doubling_time_years = { mixture = [ { wieght = 1, dist = 2 } ] }",
            ),
        )
        .at("wieght")
        .key("hardware.doubling_time_years.mixture[1].wieght")
        .says(&["did you mean `weight`?", "allowed keys: `weight`, `dist`"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Missing required keys: the error points at the table that lacks the key.

#[test]
fn missing_scenario_name() {
    check_all(vec![
        bad("no name", edit("name = \"Minimal\"\n", ""))
            .at("[scenario]")
            .key("scenario.name")
            .says(&[
                "missing required key in [scenario]",
                "a name for the scenario",
            ]),
    ]);
}

#[test]
fn missing_start_year() {
    check_all(vec![
        bad("no start_year", edit("start_year = 2025.0\n", ""))
            .at("[scenario]")
            .key("scenario.start_year")
            .says(&["missing required key in [scenario]", "the first year"]),
    ]);
}

#[test]
fn missing_flop_per_dollar() {
    check_all(vec![
        bad("no flop_per_dollar", edit("flop_per_dollar = 1e18\n", ""))
            .at("[hardware]")
            .key("hardware.flop_per_dollar")
            .says(&[
                "missing required key in [hardware]",
                "effective FLOP per dollar at start_year",
            ]),
    ]);
}

#[test]
fn missing_actor_budget() {
    check_all(vec![
        bad("no budget", edit("budget = \"$1M to $10M\"\n", ""))
            .at("[[actor]]")
            .key("actor.\"Lab\".budget")
            .says(&[
                "missing required key in [actor.\"Lab\"]",
                "the budget at start_year in dollars, or \"frontier\"",
            ]),
    ]);
}

#[test]
fn target_with_neither_flop_nor_frontier_year() {
    check_all(vec![
        bad(
            "neither flop nor frontier_year",
            edit("flop = 1e26\nflop_year = 2024.0\n", ""),
        )
        .at("[[target]]")
        .key("target.\"Big model\".flop")
        .says(&["missing required key", "`flop`", "`frontier_year`"]),
    ]);
}

#[test]
fn no_actor_at_all() {
    check_all(vec![
        bad(
            "no [[actor]] table",
            edit(
                "[[actor]]\nname = \"Lab\"\nbudget = \"$1M to $10M\"\ngrowth_per_year = 1.2\n",
                "",
            ),
        )
        .at_line_col(1, 1)
        .key("actor")
        .says(&["a scenario needs at least one [[actor]] table"]),
    ]);
}

#[test]
fn other_missing_tables_and_rates() {
    check_all(vec![
        bad(
            "no [[target]] table",
            edit(
                "[[target]]\nname = \"Big model\"\nflop = 1e26\nflop_year = 2024.0\n",
                "",
            ),
        )
        .at_line_col(1, 1)
        .key("target")
        .says(&["a scenario needs at least one [[target]] table"]),
        bad(
            "no [hardware] table",
            edit(
                "[hardware]\nflop_per_dollar = 1e18\ndoubling_time_years = 2.5\n",
                "",
            ),
        )
        .at_line_col(1, 1)
        .key("hardware")
        .says(&["missing required key in the file", "the [hardware] table"]),
        bad("no hardware rate", edit("doubling_time_years = 2.5\n", ""))
            .at("[hardware]")
            .key("hardware")
            .says(&[
                "missing rate",
                "give one of `doubling_time_years`, `growth_per_year`, `ooms_per_year`",
                "[[hardware.regime]]",
            ]),
        bad("an actor without a name", edit("name = \"Lab\"\n", ""))
            .at("[[actor]]")
            .key("actor[1].name")
            .says(&["missing required key in [actor[1]]", "name"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Wrong types: the error points at the value.

#[test]
fn wrong_types() {
    check_all(vec![
        bad("name is a number", edit("name = \"Minimal\"", "name = 3"))
            .within("name = 3", "3")
            .key("scenario.name")
            .says(&["expected a string, found an integer"]),
        bad(
            "samples is a word",
            edit("samples = 1000", "samples = \"many\""),
        )
        .within("samples = \"many\"", "\"many\"")
        .key("scenario.samples")
        .says(&["expected a whole number, found a string"]),
        bad(
            "budget is a boolean",
            edit("budget = \"$1M to $10M\"", "budget = true"),
        )
        .within("budget = true", "true")
        .key("actor.\"Lab\".budget")
        .says(&[
            "expected a number, a \"low to high\" interval, or a distribution table",
            "found a boolean",
        ]),
        bad(
            "until is an interval",
            hardware_regimes(&[
                "until = \"2030 to 2031\"\ndoubling_time_years = 2.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = \"2030 to 2031\"", "\"2030")
        .key("hardware.regime[1].until")
        .says(&["must be a plain year, not an interval"]),
        bad(
            "start_year is a word",
            edit("start_year = 2025.0", "start_year = \"soon\""),
        )
        .within("start_year = \"soon\"", "\"soon\"")
        .key("scenario.start_year")
        .says(&["\"soon\" is not a number", "write e.g. 2.5, 1e25"]),
        // A decimal comma read as a digit separator would make $1.5 into $15: refused.
        bad(
            "a budget with a decimal comma",
            edit("budget = \"$1M to $10M\"", "budget = \"1,5\""),
        )
        .within("budget = \"1,5\"", "\"1,5\"")
        .key("actor.\"Lab\".budget")
        .says(&[
            "\"1,5\" is not a number",
            "commas group thousands",
            "2.5, not 2,5",
        ]),
        bad(
            "an interval end with a stray comma",
            edit("budget = \"$1M to $10M\"", "budget = \"$1,000, to $10M\""),
        )
        .within("budget = \"$1,000, to", "\"$1,000,")
        .key("actor.\"Lab\".budget")
        .says(&["is not a valid interval"]),
        bad(
            "flop is an array",
            edit("flop = 1e26", "flop = [1e26, 2e26]"),
        )
        .within("flop = [", "[")
        .key("target.\"Big model\".flop")
        .says(&["found an array"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Invalid distribution parameters: the error points at the family's parameters.

/// The minimal scenario with the hardware doubling time written as `value`.
fn doubling(value: &str) -> String {
    edit(
        "doubling_time_years = 2.5",
        &format!("doubling_time_years = {value}"),
    )
}

#[test]
fn invalid_distribution_parameters() {
    check_all(vec![
        bad(
            "negative sd",
            doubling("{ normal = { mean = 2, sd = -1 }, min = 0.5 }"),
        )
        .within("{ normal = { mean = 2, sd = -1 }", "{ mean")
        .key("hardware.doubling_time_years.normal")
        .says(&["sd must be positive in normal distribution", "got -1"]),
        bad(
            "uniform min = max",
            doubling("{ uniform = { min = 3, max = 3 } }"),
        )
        .within("{ uniform = { min = 3, max = 3 } }", "{ min")
        .key("hardware.doubling_time_years.uniform")
        .says(&[
            "min must be below max in uniform distribution",
            "min = 3 and max = 3",
        ]),
        bad(
            "uniform min > max",
            doubling("{ uniform = { min = 3, max = 2 } }"),
        )
        .within("{ uniform = { min = 3, max = 2 } }", "{ min")
        .key("hardware.doubling_time_years.uniform")
        .says(&[
            "min must be below max in uniform distribution",
            "min = 3 and max = 2",
        ]),
        bad("interval 3 to 2", doubling("\"3 to 2\""))
            .at("\"3 to 2\"")
            .key("hardware.doubling_time_years")
            .says(&[
                "the low end of a 90% interval must be below the high end",
                "\"3 to 2\"",
            ]),
        // The ends as written, not as 19-digit integers.
        bad("interval 1e18 to 1e17", doubling("\"1e18 to 1e17\""))
            .at("\"1e18 to 1e17\"")
            .key("hardware.doubling_time_years")
            .says(&["below the high end, got \"1e18 to 1e17\""]),
        // A growth of -100% or less leaves nothing: said so (it had said "not a number").
        bad(
            "growth of -100%",
            edit("growth_per_year = 2.0", "growth_per_year = \"-100%\""),
        )
        .at("\"-100%\"")
        .key("investment.growth_per_year")
        .says(&["a growth percentage must be above -100%"]),
        bad(
            "growth from -20% to -150% a year",
            edit(
                "growth_per_year = 2.0",
                "growth_per_year = \"-20% to -150% a year\"",
            ),
        )
        .at("\"-20% to")
        .key("investment.growth_per_year")
        .says(&["a growth percentage must be above -100%"]),
        bad(
            "mixture weights all zero",
            doubling("{ mixture = [ { weight = 0, dist = 2 }, { weight = 0, dist = 3 } ] }"),
        )
        .at("[ { weight")
        .key("hardware.doubling_time_years.mixture")
        .says(&["mixture weights must sum to a positive number"]),
        bad(
            "triangular mode outside",
            doubling("{ triangular = { min = 1, mode = 5, max = 3 } }"),
        )
        .at("{ min = 1, mode")
        .key("hardware.doubling_time_years.triangular")
        .says(&[
            "mode is outside [min, max] in triangular distribution",
            "5 outside [1, 3]",
        ]),
        bad(
            "truncation min > max",
            doubling("{ normal = { mean = 2, sd = 1 }, min = 3, max = 1 }"),
        )
        .at("min = 3")
        .key("hardware.doubling_time_years")
        .says(&["min must be below max", "min = 3 and max = 1"]),
        bad(
            "truncation min = max",
            doubling("{ normal = { mean = 2, sd = 1 }, min = 3, max = 3 }"),
        )
        .at("min = 3")
        .key("hardware.doubling_time_years")
        .says(&["min must be below max", "min = 3 and max = 3"]),
        bad(
            "lognormal sigma zero",
            doubling("{ lognormal = { median = 2, sigma = 0 } }"),
        )
        .at("{ median")
        .key("hardware.doubling_time_years.lognormal")
        .says(&["sigma must be positive in lognormal distribution", "got 0"]),
        bad(
            "lognormal sigma negative",
            doubling("{ lognormal = { median = 2, sigma = -1 } }"),
        )
        .at("{ median")
        .key("hardware.doubling_time_years.lognormal")
        .says(&["sigma must be positive in lognormal distribution", "got -1"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Quantities that must be positive.

#[test]
fn positive_quantity_given_a_distribution_that_can_be_non_positive() {
    check_all(vec![
        bad(
            "doubling time normal without min",
            doubling("{ normal = { mean = 2, sd = 1 } }"),
        )
        .at("{ normal")
        .key("hardware.doubling_time_years")
        .says(&[
            "must be positive",
            "this distribution can produce values ≤ 0",
            "add a positive `min`",
        ]),
        bad(
            "doubling time normal with min = 0",
            doubling("{ normal = { mean = 2, sd = 1 }, min = 0 }"),
        )
        .at("{ normal")
        .key("hardware.doubling_time_years")
        .says(&["must be positive", "add a positive `min`"]),
        bad(
            "budget -1 to 5",
            edit("budget = \"$1M to $10M\"", "budget = \"-1 to 5\""),
        )
        .at("\"-1 to 5\"")
        .key("actor.\"Lab\".budget")
        .says(&[
            "must be positive",
            "this distribution can produce values ≤ 0",
            "positive \"low to high\" interval",
        ]),
        bad("negative fixed flop", edit("flop = 1e26", "flop = -1e25"))
            .at("-1e25")
            .key("target.\"Big model\".flop")
            .says(&["must be positive, got -"]),
        bad(
            "zero fixed overhead",
            format!("{MINIMAL_SCENARIO}\n[costs]\noverhead = 0\n"),
        )
        .within("overhead = 0", "0")
        .key("costs.overhead")
        .says(&["must be positive, got 0"]),
    ]);
}

#[test]
fn positive_quantity_with_a_positive_min_is_accepted() {
    check_all_accepted(&[
        (
            "doubling time normal with min = 0.5",
            doubling("{ normal = { mean = 2, sd = 1 }, min = 0.5 }"),
        ),
        (
            "budget -1 to 5 with min = 0.5",
            edit(
                "budget = \"$1M to $10M\"",
                "budget = { interval = \"-1 to 5\", min = 0.5 }",
            ),
        ),
        // A rate in OOMs per year may be negative.
        (
            "negative ooms_per_year",
            edit("doubling_time_years = 2.5", "ooms_per_year = -0.1"),
        ),
    ]);
}

// ------------------------------------------------------------------------------------------
// Rates: one rate key per place; direct or regimes, not both; regime years.

#[test]
fn two_rate_keys_in_one_place() {
    check_all(vec![
        bad(
            "two rate keys in [hardware]",
            edit(
                "doubling_time_years = 2.5\n",
                "doubling_time_years = 2.5\ngrowth_per_year = 1.4\n",
            ),
        )
        .at("growth_per_year = 1.4")
        .key("hardware.growth_per_year")
        .says(&[
            "two rate keys in one place (`doubling_time_years` and `growth_per_year`)",
            "give exactly one of `doubling_time_years`, `growth_per_year`, `ooms_per_year`",
        ]),
        bad(
            "two rate keys in a regime",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0\nooms_per_year = 0.3",
                "growth_per_year = 1.3",
            ]),
        )
        .at("ooms_per_year = 0.3")
        .key("hardware.regime[1].ooms_per_year")
        .says(&["two rate keys in one place", "give exactly one of"]),
    ]);
}

#[test]
fn direct_rate_and_regime_tables() {
    check_all(vec![
        bad(
            "doubling_time_years and [[hardware.regime]]",
            edit(
                "doubling_time_years = 2.5\n",
                "doubling_time_years = 2.5\n\n[[hardware.regime]]\ngrowth_per_year = 1.3\n",
            ),
        )
        .within("[[hardware.regime]]", "regime")
        .key("hardware.regime")
        .says(&["give the rate either directly in [hardware] or in [[hardware.regime]] tables, not both"]),
    ]);
}

#[test]
fn regime_until_years() {
    check_all(vec![
        bad(
            "until not increasing",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "until = 2028\ndoubling_time_years = 3.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = 2028", "2028")
        .key("hardware.regime[2].until")
        .says(&[
            "regime years must increase and lie inside the horizon",
            "a year after 2030 and before 2040, got 2028",
        ]),
        bad(
            "until repeated",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "until = 2030.0\ndoubling_time_years = 3.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = 2030.0", "2030.0")
        .key("hardware.regime[2].until")
        .says(&["must increase", "got 2030"]),
        bad(
            "until before start_year",
            hardware_regimes(&[
                "until = 2020\ndoubling_time_years = 2.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = 2020", "2020")
        .key("hardware.regime[1].until")
        .says(&[
            "lie inside the horizon",
            "a year after 2025 and before 2040, got 2020",
        ]),
        bad(
            "until after end_year",
            hardware_regimes(&[
                "until = 2050\ndoubling_time_years = 2.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = 2050", "2050")
        .key("hardware.regime[1].until")
        .says(&["lie inside the horizon", "before 2040, got 2050"]),
        bad(
            "until at end_year on a non-last regime",
            hardware_regimes(&[
                "until = 2040\ndoubling_time_years = 2.0",
                "growth_per_year = 1.3",
            ]),
        )
        .within("until = 2040", "2040")
        .key("hardware.regime[1].until")
        .says(&["before 2040, got 2040"]),
        bad(
            "last regime ends before the horizon",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "until = 2035\ngrowth_per_year = 1.3",
            ]),
        )
        .within("until = 2035", "2035")
        .key("hardware.regime[2].until")
        .says(&[
            "the last regime runs to the horizon (2040)",
            "remove `until` or set it to end_year",
        ]),
        bad(
            "until missing on a non-last regime",
            hardware_regimes(&["doubling_time_years = 2.0", "growth_per_year = 1.3"]),
        )
        .at_nth("[[hardware.regime]]", 1)
        .key("hardware.regime[1].until")
        .says(&[
            "missing required key",
            "every regime but the last needs `until`, the year it ends",
        ]),
        bad(
            "until not increasing in an actor's regimes",
            edit(
                "growth_per_year = 1.2\n",
                "\n[[actor.regime]]\nuntil = 2030\ngrowth_per_year = 1.2\n\n\
                 [[actor.regime]]\nuntil = 2028\ngrowth_per_year = 1.1\n\n\
                 [[actor.regime]]\ngrowth_per_year = 1.05\n",
            ),
        )
        .within("until = 2028", "2028")
        .key("actor.\"Lab\".regime[2].until")
        .says(&["must increase", "got 2028"]),
    ]);
}

#[test]
fn well_formed_regimes_are_accepted() {
    check_all_accepted(&[
        (
            "two regimes, the last without until",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "growth_per_year = 1.3",
            ]),
        ),
        (
            "last regime until end_year",
            hardware_regimes(&[
                "until = 2030\ndoubling_time_years = 2.0",
                "until = 2040\ngrowth_per_year = 1.3",
            ]),
        ),
    ]);
}

// ------------------------------------------------------------------------------------------
// Horizon, samples and years of targets.

#[test]
fn end_year_not_after_start_year() {
    check_all(vec![
        bad(
            "end_year = start_year",
            edit("end_year = 2040.0", "end_year = 2025.0"),
        )
        .within("end_year = 2025.0", "2025.0")
        .key("scenario.end_year")
        .says(&["must be after start_year (2025), got 2025"]),
        bad(
            "end_year before start_year",
            edit("end_year = 2040.0", "end_year = 2020"),
        )
        .within("end_year = 2020", "2020")
        .key("scenario.end_year")
        .says(&["must be after start_year (2025), got 2020"]),
    ]);
}

#[test]
fn samples_zero_or_negative() {
    check_all(vec![
        bad("samples = 0", edit("samples = 1000", "samples = 0"))
            .within("samples = 0", "0")
            .key("scenario.samples")
            .says(&["must be a whole number from 1 to 1000000000000, got 0"]),
        bad("samples = -5", edit("samples = 1000", "samples = -5"))
            .within("samples = -5", "-5")
            .key("scenario.samples")
            .says(&["must be a whole number from 1 to 1000000000000, got -5"]),
    ]);
}

#[test]
fn trajectory_samples_negative_or_not_a_count() {
    check_all(vec![
        bad(
            "trajectory_samples = -1",
            edit("samples = 1000", "samples = 1000\ntrajectory_samples = -1"),
        )
        .within("trajectory_samples = -1", "-1")
        .key("scenario.trajectory_samples")
        .says(&["must be a whole number from 0 to 1000000000000, got -1"]),
        bad(
            "trajectory_samples = 2.5",
            edit("samples = 1000", "samples = 1000\ntrajectory_samples = 2.5"),
        )
        .within("trajectory_samples = 2.5", "2.5")
        .key("scenario.trajectory_samples")
        .says(&["whole number"]),
    ]);
}

#[test]
fn target_years_outside_the_horizon() {
    check_all(vec![
        bad(
            "frontier_year before start_year",
            edit("flop = 1e26\nflop_year = 2024.0", "frontier_year = 2020"),
        )
        .within("frontier_year = 2020", "2020")
        .key("target.\"Big model\".frontier_year")
        .says(&["must lie within the horizon [2025, 2040], got 2020"]),
        bad(
            "frontier_year after end_year",
            edit("flop = 1e26\nflop_year = 2024.0", "frontier_year = 2041"),
        )
        .within("frontier_year = 2041", "2041")
        .key("target.\"Big model\".frontier_year")
        .says(&["must lie within the horizon [2025, 2040], got 2041"]),
        bad(
            "flop_year after end_year",
            edit("flop_year = 2024.0", "flop_year = 2041"),
        )
        .within("flop_year = 2041", "2041")
        .key("target.\"Big model\".flop_year")
        .says(&["must not be after end_year (2040), got 2041"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Duplicate names: the error points at the second name.

#[test]
fn duplicate_target_names() {
    let text = format!(
        "{MINIMAL_SCENARIO}\n[[target]]\nname = \"Other\"\nflop = 1e24\n\n\
         [[target]]\nname = \"Big model\"\nflop = 1e27\n"
    );
    check_all(vec![
        bad("second target named like the first", text)
            .at_nth("\"Big model\"", 2)
            .key("target[3].name")
            .says(&[
                "duplicate target name \"Big model\"",
                "every target needs its own name",
            ]),
    ]);
}

#[test]
fn duplicate_actor_names() {
    let text = edit(
        "[[target]]\n",
        "[[actor]]\nname = \"Lab\"\nbudget = 5e6\n\n[[target]]\n",
    );
    check_all(vec![
        bad("second actor named like the first", text)
            .at_nth("\"Lab\"", 2)
            .key("actor[2].name")
            .says(&[
                "duplicate actor name \"Lab\"",
                "every actor class needs its own name",
            ]),
    ]);
}

// ------------------------------------------------------------------------------------------
// NaN and infinity.

#[test]
fn nan_and_infinite_numbers() {
    check_all(vec![
        bad("flop = nan", edit("flop = 1e26", "flop = nan"))
            .at("nan")
            .key("target.\"Big model\".flop")
            .says(&["must be a finite number, got NaN"]),
        bad("flop = inf", edit("flop = 1e26", "flop = inf"))
            .at("inf")
            .key("target.\"Big model\".flop")
            .says(&["must be a finite number, got inf"]),
        bad("flop = 1e999 float", edit("flop = 1e26", "flop = 1e999"))
            .at("1e999")
            .key("target.\"Big model\".flop")
            .says(&["must be a finite number, got inf"]),
        bad(
            "ooms_per_year = -inf",
            edit("doubling_time_years = 2.5", "ooms_per_year = -inf"),
        )
        .at("-inf")
        .key("hardware.ooms_per_year")
        .says(&["must be a finite number, got -inf"]),
        bad(
            "sd = nan",
            doubling("{ normal = { mean = 2, sd = nan }, min = 0.5 }"),
        )
        .at("nan")
        .key("hardware.doubling_time_years.normal.sd")
        .says(&["must be a finite number, got NaN"]),
        bad(
            "truncation max = inf",
            doubling("{ normal = { mean = 2, sd = 1 }, min = 0.5, max = inf }"),
        )
        .at("inf")
        .key("hardware.doubling_time_years.max")
        .says(&["must be a finite number, got inf"]),
        bad(
            "end_year = nan",
            edit("end_year = 2040.0", "end_year = nan"),
        )
        .at("nan")
        .key("scenario.end_year")
        .says(&["must be a finite number, got NaN"]),
        bad(
            "flop = \"1e999\" text",
            edit("flop = 1e26", "flop = \"1e999\""),
        )
        .at("\"1e999\"")
        .key("target.\"Big model\".flop")
        .says(&["\"1e999\"", "out of range"]),
        bad("interval with an infinite end", doubling("\"1 to 1e999\""))
            .at("\"1 to 1e999\"")
            .key("hardware.doubling_time_years")
            .says(&["\"1 to 1e999\"", "write \"low to high\" with two numbers"]),
    ]);
}

// ------------------------------------------------------------------------------------------
// Files that cannot be read: no line or column, no key.

/// Checks `error: <path>: cannot read the file: ...` for run and validate, and no output.
fn check_unreadable(path: &Path, dir: &Path) {
    let before = file_names(dir);
    let out = dir.join("out");
    let expected = format!("error: {}: cannot read the file: ", path.display());
    let run = bin()
        .arg("run")
        .arg(path)
        .args(["--samples", "50", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let validate = bin().arg("validate").arg(path).output().unwrap();
    for (what, output) in [("run", run), ("validate", validate)] {
        let line = one_error_line(&output).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            line.starts_with(&expected),
            "{what}: expected {expected:?}..., got\n  {line}"
        );
    }
    assert!(!out.exists(), "an output directory was created");
    assert_eq!(file_names(dir), before, "files were created");
}

#[test]
fn missing_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    check_unreadable(&dir.path().join("no-such-scenario.toml"), dir.path());
}

#[test]
fn directory_given_as_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    std::fs::create_dir(&path).unwrap();
    check_unreadable(&path, dir.path());
}

#[test]
fn scenario_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[scenario]\nname = \"Caf\xe9\"\n").unwrap();
    for sub in ["validate", "run"] {
        let mut cmd = bin();
        cmd.arg(sub).arg(&path);
        if sub == "run" {
            cmd.args(["--quiet", "--out"]).arg(dir.path().join("out"));
        }
        let line = one_error_line(&cmd.output().unwrap()).unwrap_or_else(|e| panic!("{sub}: {e}"));
        assert_eq!(
            line,
            format!("error: {}: the file is not UTF-8 text", path.display())
        );
    }
    assert_eq!(file_names(dir.path()), ["latin1.toml"]);
}

// ------------------------------------------------------------------------------------------
// Bad command-line flags: exit code 2, nothing on stdout, no output directory.

/// Runs `diffusion-sim <args>` on the minimal scenario; `{}` in args stands for its path.
fn check_bad_flags(args: &[&str], stderr_words: &[&str]) {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    let path_s = path.to_str().unwrap();
    let mut cmd = bin();
    for a in args {
        cmd.arg(if *a == "{}" { path_s } else { a });
    }
    let mut assert = cmd
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::starts_with("error: "));
    for w in stderr_words {
        assert = assert.stderr(predicate::str::contains(*w));
    }
    assert!(!out.exists(), "{args:?}: an output directory was created");
    assert_eq!(file_names(dir.path()), ["scenario.toml"]);
}

#[test]
fn samples_flag_zero() {
    check_bad_flags(
        &["run", "{}", "--samples", "0"],
        &[
            "--samples",
            "expected a whole number of samples from 1 to 1e12",
            "\"0\"",
        ],
    );
}

#[test]
fn samples_flag_not_a_number() {
    check_bad_flags(
        &["run", "{}", "--samples", "abc"],
        &[
            "--samples",
            "expected a whole number of samples from 1 to 1e12",
            "\"abc\"",
        ],
    );
    check_bad_flags(
        &["run", "{}", "--samples", "1.5"],
        &["--samples", "\"1.5\""],
    );
}

#[test]
fn threads_flag_zero() {
    check_bad_flags(&["run", "{}", "--threads", "0"], &["--threads", "1..=256"]);
}

#[test]
fn unknown_subcommand() {
    check_bad_flags(&["simulate", "{}"], &["unrecognized subcommand 'simulate'"]);
}

#[test]
fn unknown_flag_and_bad_format() {
    check_bad_flags(
        &["run", "{}", "--bogus"],
        &["unexpected argument '--bogus'"],
    );
    check_bad_flags(
        &["run", "{}", "--format", "xml"],
        &["--format", "possible values: table, json, csv"],
    );
}

// ------------------------------------------------------------------------------------------
// Known bugs in src (ignored so the suite stays green; see the reasons).

#[test]
fn extreme_rates_do_not_panic() {
    let mut failures = Vec::new();
    for (name, text) in [
        (
            "ooms_per_year = 1e17",
            edit("doubling_time_years = 2.5", "ooms_per_year = 1e17"),
        ),
        ("doubling_time_years = 1e-300", doubling("1e-300")),
    ] {
        let (dir, path) = write_scenario(&text);
        let output = bin()
            .arg("run")
            .arg(&path)
            .args(["--samples", "50", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Either rejected as bad input (exit 2, one error line) or run to the end (exit 0).
        let ok = match output.status.code() {
            Some(0) => true,
            Some(2) => one_error_line(&output).is_ok(),
            _ => false,
        };
        if !ok || stderr.contains("panicked") {
            failures.push(format!("[{name}] {:?}: {stderr}", output.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn newline_in_a_name_keeps_the_error_on_one_line() {
    check_all(vec![
        // The name itself is the error now (no control character in a name), named by its
        // index, the message on one line.
        bad(
            "actor name with a newline",
            edit(
                "name = \"Lab\"\nbudget = \"$1M to $10M\"",
                "name = \"Lab\\nX\"\nbudget = true",
            ),
        )
        .at_line_col(20, 8)
        .key("actor[1].name")
        .says(&["control character U+000A"]),
    ]);
}

#[test]
fn regime_that_is_not_an_array_names_its_table() {
    check_all(vec![
        bad(
            "hardware regime = 5",
            edit("doubling_time_years = 2.5", "regime = 5"),
        )
        .within("regime = 5", "5")
        .key("hardware.regime")
        .says(&[
            "expected an array of tables written [[hardware.regime]]",
            "found an integer",
        ]),
        bad(
            "actor regime = 5",
            edit("growth_per_year = 1.2", "regime = 5"),
        )
        .within("regime = 5", "5")
        .key("actor.\"Lab\".regime")
        .says(&["[[actor.regime]]", "found an integer"]),
    ]);
}

#[test]
fn typo_of_name_in_an_actor_or_target_gets_a_hint() {
    check_all(vec![
        bad("actor nmae", edit("name = \"Lab\"", "nmae = \"Lab\""))
            .at("nmae")
            .key("actor[1].nmae")
            .says(&["unknown key", "did you mean `name`?"]),
        bad(
            "target nmae",
            edit("name = \"Big model\"", "nmae = \"Big model\""),
        )
        .at("nmae")
        .key("target[1].nmae")
        .says(&["unknown key", "did you mean `name`?"]),
    ]);
}

#[test]
fn text_number_too_large_for_f64_says_so() {
    let case = bad(
        "flop = \"1e999\" text",
        edit("flop = 1e26", "flop = \"1e999\""),
    )
    .at("\"1e999\"")
    .key("target.\"Big model\".flop")
    .never_says(&["is not a number"]);
    check_all(vec![case]);
}

#[test]
fn quantities_outside_their_meaningful_range() {
    check_all(vec![
        bad(
            "overhead below 1",
            edit(
                "growth_per_year = 2.0\n",
                "growth_per_year = 2.0\n\n[costs]\noverhead = 0.5\n",
            ),
        )
        .within("overhead = 0.5", "0.5")
        .key("costs.overhead")
        .says(&[
            "must be at least 1",
            "a whole project costs at least its final run",
            "it is 0.5",
        ]),
        bad(
            "overhead interval below 1",
            edit(
                "growth_per_year = 2.0\n",
                "growth_per_year = 2.0\n\n[costs]\noverhead = \"0.5 to 2\"\n",
            ),
        )
        .within("overhead = \"0.5 to 2\"", "\"0.5 to 2\"")
        .key("costs.overhead")
        .says(&[
            "must be at least 1",
            "its 5th percentile is 0.5",
            "`min = 1`",
        ]),
        bad(
            "max_improvement below 1",
            edit(
                "halving_time_years = \"0.5 to 1.5\"",
                "halving_time_years = \"0.5 to 1.5\"\nmax_improvement = 0.5",
            ),
        )
        .within("max_improvement = 0.5", "0.5")
        .key("algorithms.max_improvement")
        .says(&["must be at least 1", "algorithmic efficiency starts at 1"]),
        bad(
            "GWP share above 1",
            edit(
                "growth_per_year = 2.0\n",
                "growth_per_year = 2.0\nmax_fraction_of_gwp = 2\ngwp = 1e14\n",
            ),
        )
        .within("max_fraction_of_gwp = 2", "2")
        .key("investment.max_fraction_of_gwp")
        .says(&["must be at most 1", "a share of world output"]),
        bad(
            "hardware cap below the start",
            edit(
                "flop_per_dollar = 1e18",
                "flop_per_dollar = 1e18\nmax_flop_per_dollar = 1e17",
            ),
        )
        .within("max_flop_per_dollar = 1e17", "1e17")
        .key("hardware.max_flop_per_dollar")
        .says(&["must be at least 1e18", "would replace it"]),
    ]);
}

#[test]
fn bad_frontier_year_lists() {
    let with = |list: &str| {
        edit(
            "flop = 1e26\nflop_year = 2024.0",
            &format!("frontier_years = {list}"),
        )
    };
    check_all(vec![
        bad("frontier_years empty", with("[]"))
            .within("frontier_years = []", "[]")
            .key("target.\"Big model\".frontier_years")
            .says(&["the list of frontier years is empty"]),
        bad("frontier_years not a list", with("2030"))
            .within("frontier_years = 2030", "2030")
            .key("target.\"Big model\".frontier_years")
            .says(&["expected a list of years", "found an integer"]),
        bad("frontier_years outside the horizon", with("[2030, 2050]"))
            .within("frontier_years = [2030, 2050]", "2050")
            .key("target.\"Big model\".frontier_years")
            .says(&["must lie within the horizon [2025, 2040], got 2050"]),
        bad("frontier_years repeated", with("[2030, 2030]"))
            .within("frontier_years = [2030, 2030]", "2030]")
            .key("target.\"Big model\".frontier_years")
            .says(&["frontier year 2030 is listed twice"]),
        bad(
            "frontier_years with flop",
            edit(
                "flop_year = 2024.0",
                "flop_year = 2024.0\nfrontier_years = [2030]",
            ),
        )
        .within("frontier_years = [2030]", "frontier_years")
        .key("target.\"Big model\".frontier_years")
        .says(&["give one of `flop`, `frontier_year`, `frontier_years` or `cost`"]),
    ]);
}

#[test]
fn bad_correlations() {
    let corr = |between: &str, rho: &str| {
        format!("{MINIMAL_SCENARIO}\n[[correlation]]\nbetween = {between}\nrho = {rho}\n")
    };
    let two = |rho1: &str, rho2: &str, rho3: &str| {
        format!(
            "{MINIMAL_SCENARIO}\n[[correlation]]\nbetween = [\"algorithms.halving_time_years\", \"investment.frontier_spend\"]\nrho = {rho1}\n\n[[correlation]]\nbetween = [\"investment.frontier_spend\", 'actor.\"Lab\".budget']\nrho = {rho2}\n\n[[correlation]]\nbetween = [\"algorithms.halving_time_years\", 'actor.\"Lab\".budget']\nrho = {rho3}\n"
        )
    };
    check_all(vec![
        bad("unknown input", corr("[\"algorithms.halving_time_yaers\", \"investment.frontier_spend\"]", "0.3"))
            .within("[\"algorithms.halving_time_yaers\"", "\"algorithms.halving_time_yaers\"")
            .key("correlation[1].between")
            .says(&["unknown input `algorithms.halving_time_yaers`", "did you mean `algorithms.halving_time_years`?"]),
        bad("a fixed number", corr("[\"hardware.doubling_time_years\", \"investment.frontier_spend\"]", "0.3"))
            .within("[\"hardware.doubling_time_years\"", "\"hardware.doubling_time_years\"")
            .key("correlation[1].between")
            .says(&["`hardware.doubling_time_years` is a fixed number (2.5)", "only uncertain inputs can be correlated"]),
        bad("an input with itself", corr("[\"investment.frontier_spend\", \"investment.frontier_spend\"]", "0.3"))
            .within("between = [", "[")
            .key("correlation[1].between")
            .says(&["cannot be correlated with itself"]),
        bad("rho above 1", corr("[\"investment.frontier_spend\", \"algorithms.halving_time_years\"]", "1.2"))
            .within("rho = 1.2", "1.2")
            .key("correlation[1].rho")
            .says(&["between -1 and 1 (exclusive), got 1.2"]),
        bad("a pair twice", format!("{}\n[[correlation]]\nbetween = [\"algorithms.halving_time_years\", \"investment.frontier_spend\"]\nrho = 0.1\n", corr("[\"investment.frontier_spend\", \"algorithms.halving_time_years\"]", "0.3")))
            .within("between = [\"algorithms.halving_time_years\", \"investment.frontier_spend\"]", "[")
            .key("correlation[2].between")
            .says(&["is correlated twice"]),
        bad("inconsistent", two("0.9", "0.9", "-0.9"))
            .within("[[correlation]]\nbetween = [\"algorithms.halving_time_years\", \"investment.frontier_spend\"]", "[[correlation]]")
            .key("correlation")
            .says(&["cannot hold together", "not positive definite", "nearest consistent values", "algorithms.halving_time_years ~ investment.frontier_spend: 0.9 →"]),
    ]);
    check_all_accepted(&[("consistent correlations", two("0.5", "0.5", "0.3"))]);
}

#[test]
fn correlations_of_one_and_of_defaulted_numbers() {
    let corr = |between: &str, rho: &str| {
        format!("{MINIMAL_SCENARIO}\n[[correlation]]\nbetween = {between}\nrho = {rho}\n")
    };
    check_all(vec![
        bad(
            "rho of exactly 1",
            corr(
                "[\"investment.frontier_spend\", \"algorithms.halving_time_years\"]",
                "1",
            ),
        )
        .within("rho = 1", "1")
        .key("correlation[1].rho")
        .says(&["would make one input a copy of the other", "|rho| < 1"]),
        bad(
            "an overhead left at its default",
            corr("[\"costs.overhead\", \"investment.frontier_spend\"]", "0.3"),
        )
        .within("[\"costs.overhead\"", "\"costs.overhead\"")
        .key("correlation[1].between")
        .says(&["`costs.overhead` is not set in the scenario, so it is fixed at its default"]),
    ]);
}

/// The access keys, actors within classes, ranks, cost-defined targets, report years, dates and
/// interval levels: each refused with its location, key and what is allowed.
#[test]
fn bad_access_and_population_keys() {
    let actor = |line: &str| {
        edit(
            "growth_per_year = 1.2\n",
            &format!("growth_per_year = 1.2\n{line}\n"),
        )
    };
    let frontier = |line: &str| {
        edit(
            "budget = \"$1M to $10M\"\ngrowth_per_year = 1.2\n",
            &format!("budget = \"frontier\"\n{line}\n"),
        )
    };
    let head = |line: &str| edit("seed = 7\n", &format!("seed = 7\n{line}\n"));
    let target = |lines: &str| edit("flop = 1e26\nflop_year = 2024.0", lines);
    check_all(vec![
        bad("negative lag", actor("algorithm_lag_years = -1"))
            .within("algorithm_lag_years = -1", "-1")
            .key("actor.\"Lab\".algorithm_lag_years")
            .says(&["a lag cannot be negative"]),
        bad(
            "lag that can be negative",
            actor("hardware_lag_years = \"-1 to 3\""),
        )
        .within("hardware_lag_years = \"-1 to 3\"", "\"-1 to 3\"")
        .key("actor.\"Lab\".hardware_lag_years")
        .says(&["cannot be negative", "min = 0"]),
        bad("absurd lag", actor("hardware_lag_years = 80"))
            .within("hardware_lag_years = 80", "80")
            .key("actor.\"Lab\".hardware_lag_years")
            .says(&["must be at most 50"]),
        bad("zero price multiplier", actor("price_multiplier = 0"))
            .within("price_multiplier = 0", "0")
            .key("actor.\"Lab\".price_multiplier")
            .says(&["must be positive"]),
        bad(
            "negative compute multiplier",
            actor("compute_multiplier = \"-1 to 2\""),
        )
        .within("compute_multiplier = \"-1 to 2\"", "\"-1 to 2\"")
        .key("actor.\"Lab\".compute_multiplier")
        .says(&["must be positive"]),
        bad(
            "own progress without a closure",
            actor("own_halving_time_years = 2"),
        )
        .within("own_halving_time_years = 2", "own_halving_time_years")
        .key("actor.\"Lab\".own_halving_time_years")
        .says(&["add a [publication] table with closed_from"]),
        bad(
            "closure outside the horizon",
            edit(
                "[[actor]]",
                "[publication]\nclosed_from = 2050\n\n[[actor]]",
            ),
        )
        .within("closed_from = 2050", "2050")
        .key("publication.closed_from")
        .says(&["must lie within the horizon"]),
        bad("count zero", actor("count = 0"))
            .within("count = 0", "0")
            .key("actor.\"Lab\".count")
            .says(&["must be a whole number from 1 to 10000"]),
        bad("count absurd", actor("count = 1000000"))
            .within("count = 1000000", "1000000")
            .key("actor.\"Lab\".count")
            .says(&["from 1 to 10000"]),
        bad("count uncertain", actor("count = \"2 to 5\""))
            .within("count = \"2 to 5\"", "\"2 to 5\"")
            .key("actor.\"Lab\".count")
            .says(&["expected a whole number"]),
        bad("negative spread", actor("budget_spread_ooms = -0.5"))
            .within("budget_spread_ooms = -0.5", "-0.5")
            .key("actor.\"Lab\".budget_spread_ooms")
            .says(&["a spread cannot be negative"]),
        bad(
            "fraction with an own budget",
            actor("frontier_fraction = 0.1"),
        )
        .within("frontier_fraction = 0.1", "frontier_fraction")
        .key("actor.\"Lab\".frontier_fraction")
        .says(&["only used with budget = \"frontier\""]),
        bad("fraction above 1", frontier("frontier_fraction = 2"))
            .within("frontier_fraction = 2", "2")
            .key("actor.\"Lab\".frontier_fraction")
            .says(&["must be at most 1"]),
        bad("rank beyond the actors", head("report_ranks = [1, 3]"))
            .within("report_ranks = [1, 3]", "3")
            .key("scenario.report_ranks")
            .says(&["from 1 to 1"]),
        bad(
            "rank twice",
            head("report_ranks = [1, 1]").replace(
                "growth_per_year = 1.2\n",
                "growth_per_year = 1.2\ncount = 3\n",
            ),
        )
        .within("report_ranks = [1, 1]", "1]")
        .key("scenario.report_ranks")
        .says(&["rank 1 is listed twice"]),
        bad("report year outside", head("report_years = [2045]"))
            .within("report_years = [2045]", "2045")
            .key("scenario.report_years")
            .says(&["must lie within the horizon"]),
        bad("bad date", head("report_years = [\"2030-13\"]"))
            .within("report_years = [\"2030-13\"]", "\"2030-13\"")
            .key("scenario.report_years")
            .says(&["is not a valid date", "YYYY-MM"]),
        bad(
            "bad level",
            edit(
                "halving_time_years = \"0.5 to 1.5\"",
                "halving_time_years = \"0.5 to 1.5 @ 30%\"",
            ),
        )
        .within(
            "halving_time_years = \"0.5 to 1.5 @ 30%\"",
            "\"0.5 to 1.5 @ 30%\"",
        )
        .key("algorithms.halving_time_years")
        .says(&["from 50% to 99.9%"]),
        bad("cost without a year", target("cost = \"$1B\""))
            .at("[[target]]")
            .key("target.\"Big model\".cost_year")
            .says(&["missing required key"]),
        bad(
            "cost year outside",
            target("cost = \"$1B\"\ncost_year = 2050"),
        )
        .within("cost_year = 2050", "2050")
        .key("target.\"Big model\".cost_year")
        .says(&["must lie within the horizon"]),
        bad(
            "cost year without cost",
            target("flop = 1e26\ncost_year = 2030"),
        )
        .within("cost_year = 2030", "cost_year")
        .key("target.\"Big model\".cost_year")
        .says(&["only used with `cost`"]),
        bad(
            "cost and flop",
            target("flop = 1e26\ncost = 1e9\ncost_year = 2030"),
        )
        .within("cost = 1e9", "cost")
        .key("target.\"Big model\".cost")
        .says(&["not both `flop` and `cost`"]),
        bad(
            "frontier budget without investment",
            frontier("").replace(
                "[investment]\nfrontier_spend = \"$100M to $1B\"\ngrowth_per_year = 2.0\n",
                "",
            ),
        )
        .within("budget = \"frontier\"", "budget")
        .key("actor.\"Lab\".budget")
        .says(&["no [investment] table"]),
    ]);
}

/// Review findings: the memory a count histogram needs is checked up front; a spread needs more
/// than one actor; multipliers stay within a factor of a million; a frontier target without
/// [investment] is located at its key; an interval whose end is exactly a bound is accepted.
#[test]
fn population_memory_spread_and_multiplier_bounds() {
    let actor = |line: &str| {
        edit(
            "growth_per_year = 1.2\n",
            &format!("growth_per_year = 1.2\n{line}\n"),
        )
    };
    check_all(vec![
        bad(
            "count histograms too large",
            actor("count = 10000").replace("seed = 7\n", "seed = 7\nreport_step = 0.0075\n")
                + "\n[[target]]\nname = \"F\"\nfrontier_years = [2026, 2027]\n",
        )
        .within("count = 10000", "count")
        .key("actor.\"Lab\".count")
        .says(&[
            "MB per worker thread",
            "fewer actors, targets or reporting years",
        ]),
        bad("spread with one actor", actor("budget_spread_ooms = 0.5"))
            .within("budget_spread_ooms = 0.5", "budget_spread_ooms")
            .key("actor.\"Lab\".budget_spread_ooms")
            .says(&["the class has one actor"]),
        bad(
            "huge overhead",
            edit("[[actor]]", "[costs]\noverhead = 1e300\n\n[[actor]]"),
        )
        .within("overhead = 1e300", "1e300")
        .key("costs.overhead")
        .says(&["must be at most 1e6"]),
        bad("huge multiplier", actor("price_multiplier = 1e300"))
            .within("price_multiplier = 1e300", "1e300")
            .key("actor.\"Lab\".price_multiplier")
            .says(&["must be at most 1e6"]),
        bad(
            "frontier target without investment",
            edit("flop = 1e26\nflop_year = 2024.0", "frontier_year = 2030").replace(
                "[investment]\nfrontier_spend = \"$100M to $1B\"\ngrowth_per_year = 2.0\n",
                "",
            ),
        )
        .within("frontier_year = 2030", "frontier_year")
        .key("target.\"Big model\".frontier_year")
        .says(&["no [investment] table"]),
    ]);
    check_all_accepted(&[(
        "an interval ending at the bound",
        edit(
            "budget = \"$1M to $10M\"\ngrowth_per_year = 1.2\n",
            "budget = \"frontier\"\nfrontier_fraction = \"0.1 to 1\"\n",
        ),
    )]);
}

/// Names that would collide in chart file names or are absurdly long, a PERT too wide to
/// compute, and a GWP cap below the starting spend (a percentage written as a share) are
/// refused with their location.
#[test]
fn colliding_names_long_names_wide_pert_and_gwp_cap_below_start() {
    let long = "x".repeat(201);
    check_all(vec![
        bad(
            "target names colliding in file names",
            format!("{MINIMAL_SCENARIO}\n[[target]]\nname = \"BIG MODEL\"\nflop = 1e25\n"),
        )
        .within("name = \"BIG MODEL\"", "\"BIG MODEL\"")
        .key("target[2].name")
        .says(&[
            "would write their charts to the same files",
            "`*_big_model`",
        ]),
        bad(
            "actor names colliding in file names",
            format!("{MINIMAL_SCENARIO}\n[[actor]]\nname = \"lab!\"\nbudget = 1e6\n"),
        )
        .within("name = \"lab!\"", "\"lab!\"")
        .key("actor[2].name")
        .says(&["would write their charts to the same files"]),
        bad(
            "a name of 201 characters",
            edit("name = \"Lab\"", &format!("name = \"{long}\"")),
        )
        .at_line_col(20, 8)
        .key("actor[1].name")
        .says(&["a name of 201 characters; at most 200"]),
        // Control characters would reach terminals, charts (a NUL is no XML) and the report.
        bad(
            "an escape sequence in a name",
            edit("name = \"Lab\"", "name = \"La\\u001b[31mb\""),
        )
        .at_line_col(20, 8)
        .key("actor[1].name")
        .says(&["control character U+001B"]),
        bad(
            "a NUL in the scenario's name",
            edit("name = \"Minimal\"", "name = \"Mini\\u0000mal\""),
        )
        .at_line_col(2, 8)
        .key("scenario.name")
        .says(&["control character U+0000"]),
        bad(
            "pert too wide",
            edit(
                "halving_time_years = \"0.5 to 1.5\"",
                "halving_time_years = { pert = { min = 0.1, mode = 1, max = 1e308 } }",
            ),
        )
        .within("halving_time_years = { pert = { min", "{ min")
        .key("algorithms.halving_time_years.pert")
        .says(&["too wide to compute (1e-1 to 1e308)"]),
        bad(
            "GWP cap below the start",
            edit(
                "growth_per_year = 2.0\n",
                "growth_per_year = 2.0\nmax_fraction_of_gwp = 1e-6\ngwp = 1e14\n",
            )
            .replace("frontier_spend = \"$100M to $1B\"", "frontier_spend = 5e8"),
        )
        .within("max_fraction_of_gwp = 1e-6", "max_fraction_of_gwp")
        .key("investment.max_fraction_of_gwp")
        .says(&["below frontier_spend", "1% is 0.01"]),
    ]);
}

/// The minimal scenario with `tables` added before the actors and `target_keys` added to its
/// target.
fn with_costs(tables: &str, target_keys: &str) -> String {
    let text = edit("[[actor]]\n", &format!("{tables}\n[[actor]]\n"));
    replace_once(
        &text,
        "flop_year = 2024.0\n",
        &format!("flop_year = 2024.0\n{target_keys}"),
    )
}

#[test]
fn costs_beyond_compute_refuse_bad_values() {
    let staff = "[costs.staff]\ndollars_per_person_year = 500000\n";
    let deployment = "[deployment]\ntokens_served = 1e13\n";
    check_all(vec![
        bad(
            "a negative price per token",
            with_costs("[costs.data]\ndollars_per_token = -1e-7\n", ""),
        )
        .at("-1e-7")
        .key("costs.data.dollars_per_token")
        .says(&["must be positive"]),
        bad(
            "tokens per parameter of zero",
            with_costs(
                "[costs.data]\ntokens_per_parameter = 0\ndollars_per_token = 1e-7\n",
                "",
            ),
        )
        .at("0\ndollars")
        .key("costs.data.tokens_per_parameter")
        .says(&["must be positive"]),
        bad(
            "negative person-years",
            with_costs(staff, "person_years = -3\n"),
        )
        .at("-3")
        .key("target.\"Big model\".person_years")
        .says(&["must be at least 0"]),
        bad(
            "person-years without a wage",
            with_costs("", "person_years = 30\n"),
        )
        .at("person_years")
        .key("target.\"Big model\".person_years")
        .says(&["needs [costs.staff]"]),
        bad(
            "train and deploy without [deployment]",
            edit(
                "seed = 7\n",
                "seed = 7\naffordability = \"train_and_deploy\"\n",
            ),
        )
        .at("\"train_and_deploy\"")
        .key("scenario.affordability")
        .says(&["needs a [deployment] table"]),
        bad(
            "an unknown affordability",
            edit("seed = 7\n", "seed = 7\naffordability = \"deploy\"\n"),
        )
        .at("\"deploy\"")
        .key("scenario.affordability")
        .says(&["unknown value", "`train`, `train_and_deploy`"]),
        bad(
            "tokens served without [deployment]",
            with_costs(staff, "tokens_served = 1e12\n"),
        )
        .at("tokens_served")
        .key("target.\"Big model\".tokens_served")
        .says(&["needs a [deployment] table"]),
        bad(
            "[deployment] serving nothing",
            with_costs("[deployment]\ninference_utilisation = 0.5\n", ""),
        )
        .at("[deployment]")
        .key("deployment.tokens_served")
        .says(&["missing required key: `tokens_served`"]),
        bad(
            "a stock without a price beyond it",
            with_costs(
                "[costs.data]\ndollars_per_token = 1e-7\nstock_tokens = 1e14\n",
                "",
            ),
        )
        .at("stock_tokens")
        .key("costs.data.beyond_stock_dollars_per_token")
        .says(&["missing required key: `beyond_stock_dollars_per_token`"]),
        bad(
            "a wage multiplier without a wage",
            edit(
                "growth_per_year = 1.2\n",
                "growth_per_year = 1.2\nwage_multiplier = 0.2\n",
            ),
        )
        .at("wage_multiplier")
        .key("actor.\"Lab\".wage_multiplier")
        .says(&["needs [costs.staff]"]),
        bad(
            "a negative utilisation",
            with_costs(&format!("{deployment}inference_utilisation = -0.5\n"), ""),
        )
        .at("-0.5")
        .key("deployment.inference_utilisation")
        .says(&["must be positive"]),
        bad(
            "a wage growth written as a rate",
            with_costs(&format!("{staff}growth_per_year = 0\n"), ""),
        )
        .at("0\n\n[[actor]]")
        .key("costs.staff.growth_per_year")
        .says(&["must be positive"]),
        bad(
            "tokens per parameter with nothing to size",
            with_costs("[costs.data]\ntokens_per_parameter = 20\n", ""),
        )
        .at("tokens_per_parameter")
        .key("costs.data.tokens_per_parameter")
        .says(&["nothing uses it"]),
        bad(
            "an unknown key in [costs.staff]",
            with_costs(&format!("{staff}wage = 3\n"), ""),
        )
        .at("wage = 3")
        .key("costs.staff.wage")
        .says(&["unknown key in [costs.staff]"]),
    ]);
}

#[test]
fn processes_that_would_leave_floating_point_are_refused() {
    check_all(vec![
        bad(
            "FLOP per dollar near the top of the f64 range",
            edit(
                "flop_per_dollar = 1e18",
                "flop_per_dollar = \"1e300 to 1e306\"",
            ),
        )
        .at("\"1e300 to 1e306\"")
        .key("hardware.flop_per_dollar")
        .says(&[
            "beyond what floating point holds",
            "narrow the distribution",
        ]),
        bad(
            "a budget with a lognormal sigma of 300",
            edit(
                "budget = \"$1M to $10M\"",
                "budget = { lognormal = { median = 1e6, sigma = 300 } }",
            ),
        )
        .at("{ lognormal = { median = 1e6, sigma = 300 } }")
        .key("actor.\"Lab\".budget")
        .says(&["beyond what floating point holds"]),
        bad(
            "a spend growing ×20,000 a year for 15 years from $1e250",
            edit(
                "frontier_spend = \"$100M to $1B\"",
                "frontier_spend = 1e250",
            )
            .replace("growth_per_year = 2.0", "growth_per_year = 20000"),
        )
        .at("1e250")
        .key("investment.frontier_spend")
        .says(&["about 1e", "beyond what floating point holds"]),
        bad(
            "a target's FLOP spanning 600 orders of magnitude",
            edit("flop = 1e26", "flop = \"1e-300 to 1e300\""),
        )
        .at("\"1e-300 to 1e300\"")
        .key("target.\"Big model\".flop")
        .says(&["1e-6 tails reach", "beyond what floating point holds"]),
    ]);
}

#[test]
fn sensitivity_flags_without_the_analysis_are_refused() {
    for flag in [
        ["--target", "Big model"],
        ["--actor", "Lab"],
        ["--top", "3"],
    ] {
        check_bad_flags(
            &["run", "{}", flag[0], flag[1]],
            &[
                flag[0],
                "only applies to the sensitivity analysis",
                "--sensitivity",
            ],
        );
    }
}

/// Likely unit mistakes are warned about at their place (file:line:col, key, the likely meaning)
/// and the run goes on as written; an ambiguous percentage is refused.
#[test]
fn unit_mistakes_warn_at_their_place_and_the_run_goes_on() {
    let text = replace_once(
        &replace_once(
            &replace_once(
                MINIMAL_SCENARIO,
                "growth_per_year = 2.0",
                "growth_per_year = 0.3",
            ),
            "doubling_time_years = 2.5",
            "doubling_time_years = 18",
        ),
        "growth_per_year = 1.2",
        "growth_per_year = \"+20%/yr\"",
    );
    let (dir, path) = write_scenario(&text);
    let out = bin()
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let at = |needle: &str| {
        let (l, c) = line_col(
            &text,
            text.find(needle).unwrap() + needle.find(['0', '1']).unwrap(),
        );
        format!("{}:{l}:{c}", path.display())
    };
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "warning: {}: `hardware.doubling_time_years`: 18 years; if you meant 18 months, write 1.5 years",
            at("doubling_time_years = 18")
        )),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "warning: {}: `investment.growth_per_year`: 0.3 is a yearly factor",
            at("growth_per_year = 0.3")
        )) && lines[1].contains("write 1.3"),
        "{stderr}"
    );

    let ambiguous = replace_once(&text, "\"+20%/yr\"", "\"20%\"");
    let (_d, path) = write_scenario(&ambiguous);
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`actor.\"Lab\".growth_per_year`: \"20%\" is ambiguous",
        ));
}

/// Each command accepts only the flags that mean something for it.
#[test]
fn flags_that_would_do_nothing_are_refused() {
    check_bad_flags(
        &["sensitivity", "{}", "--sensitivity"],
        &["unexpected argument '--sensitivity'"],
    );
    for (command, flag, value) in [
        ("run", "--width", "800"),
        ("run", "--chart-format", "svg"),
        ("sensitivity", "--height", "600"),
        ("compare", "--chart-format", "png"),
    ] {
        let mut args = vec![command, "{}", "--no-charts", flag, value];
        if command == "compare" {
            args.extend(["--budgets", "1M"]);
        }
        check_bad_flags(&args, &[flag, "--no-charts draws none"]);
    }
}
