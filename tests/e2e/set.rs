//! `--set KEY=VALUE`, the scenario `-` (standard input) and the copy of the scenario text that
//! ran in the output folder, through the binary.

use std::path::{Path, PathBuf};

use crate::util::{
    MINIMAL_SCENARIO, WORKED_CHECK, bin, csv_rows, file_names, line_col, replace_once, run_into,
};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// `run SCENARIO --quiet --no-charts --out OUT ARGS…`, which must succeed; its stdout.
fn run(scenario: &Path, out: &Path, args: &[&str]) -> String {
    run_into("run", &[scenario], out, args)
}

/// Every file of two output folders is byte-identical, but the manifest (timings, paths).
fn same_outputs(a: &Path, b: &Path) {
    let names = file_names(a);
    assert_eq!(names, file_names(b));
    for f in names.iter().filter(|f| *f != "manifest.json") {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// The median year at which "Small lab" affords "GPT-3" in a run's summary.
fn median_year(out: &Path) -> f64 {
    read_json(&out.join("summary.json"))["affordability"][0]["year"]["p50"]
        .as_f64()
        .unwrap()
}

/// A shorter doubling time makes the fixed target affordable earlier, at exactly the year the
/// closed form gives: cost E/(P0·2^(t/d)·2^(t/h)) meets budget B at
/// t = ln(E/(P0·B)) / (ln2/d + ln2/h). A key the file lacks (the class's growth) is added to its
/// table and enters the rate as ln g.
#[test]
fn set_moves_the_year_where_the_closed_form_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixed.toml");
    // Fixed numbers everywhere: every sample is the same, so the median is the exact crossing.
    std::fs::write(&path, WORKED_CHECK).unwrap();
    let ln_gap = (3.14e23f64 / 6.7e16 / 1e5).ln();
    let ln2 = 2f64.ln();
    let cases: [(&[&str], f64); 3] = [
        (&[], ln2 / 2.5 + ln2 / 1.5),
        (
            &["--set", "hardware.doubling_time_years=1.25"],
            ln2 / 1.25 + ln2 / 1.5,
        ),
        (
            &[
                "--set",
                "hardware.doubling_time_years=1.25",
                "--set",
                "actor.\"Small lab\".growth_per_year=2",
            ],
            ln2 / 1.25 + ln2 / 1.5 + ln2,
        ),
    ];
    let mut years = Vec::new();
    for (i, (args, rate)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        run(&path, &out, args);
        let (got, exact) = (median_year(&out), 2025.0 + ln_gap / rate);
        assert!((got - exact).abs() < 1e-6, "{args:?}: {got} vs {exact}");
        years.push(got);
    }
    assert!(years[1] < years[0] && years[2] < years[1], "{years:?}");
}

/// `--set` is the run of a copy of the file with the values edited, byte for byte (every
/// output but the manifest, the scenario copy and its hash included); the summary's header and
/// the manifest say what was set.
#[test]
fn set_equals_the_run_of_an_edited_copy() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/baseline.toml")).unwrap();
    let edited = replace_once(
        &text,
        "doubling_time_years = \"1.8 to 3.0\"",
        "doubling_time_years = \"2 to 3\"",
    );
    let edited = replace_once(&edited, "budget = \"$100M to $2B\"", "budget = 1e9");
    // A key the file lacks goes on the line after its table's header.
    let edited = replace_once(
        &edited,
        "[scenario]\n",
        "[scenario]\nreport_years = [2027.5]\n",
    );
    let copy = dir.path().join("baseline.toml");
    std::fs::write(&copy, &edited).unwrap();
    let (by_set, by_copy) = (dir.path().join("set"), dir.path().join("copy"));
    let args = ["--samples", "2000"];
    let stdout = run(
        &repo("scenarios/baseline.toml"),
        &by_set,
        &[
            &args[..],
            &[
                "--set",
                "hardware.doubling_time_years=2 to 3",
                "--set",
                "actor.\"Big tech\".budget=1e9",
                "--set",
                "scenario.report_years=[2027.5]",
            ],
        ]
        .concat(),
    );
    run(&copy, &by_copy, &args);
    same_outputs(&by_set, &by_copy);
    assert_eq!(
        std::fs::read_to_string(by_set.join("scenario.toml")).unwrap(),
        edited
    );
    let (m_set, m_copy) = (
        read_json(&by_set.join("manifest.json")),
        read_json(&by_copy.join("manifest.json")),
    );
    assert_eq!(m_set["scenario_sha256"], m_copy["scenario_sha256"]);
    assert_eq!(
        m_set["overrides"],
        serde_json::json!([
            "hardware.doubling_time_years=\"2 to 3\"",
            "actor.\"Big tech\".budget=1e9",
            "scenario.report_years=[2027.5]"
        ])
    );
    assert_eq!(m_copy["overrides"], serde_json::json!([]));
    assert!(
        m_set["files"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("scenario.toml"))
    );
    assert!(stdout.lines().take(4).any(|l| l
        == "set: hardware.doubling_time_years = \"2 to 3\"; actor.\"Big tech\".budget = 1e9; scenario.report_years = [2027.5]"),
        "{stdout}");
}

/// Common random numbers: setting one class's budget leaves every other input's draws, so the
/// other classes' times are identical and only that class's move.
#[test]
fn setting_one_class_budget_leaves_the_other_classes_times() {
    let dir = tempfile::tempdir().unwrap();
    let scn = repo("scenarios/baseline.toml");
    let (plain, set) = (dir.path().join("plain"), dir.path().join("set"));
    run(&scn, &plain, &["--samples", "2000"]);
    run(
        &scn,
        &set,
        &[
            "--samples",
            "2000",
            "--set",
            "actor.\"Academic labs\".budget=$2M to $20M",
        ],
    );
    let (a, b) = (
        csv_rows(&plain.join("times.csv")),
        csv_rows(&set.join("times.csv")),
    );
    assert_eq!(a.len(), b.len());
    let mut moved = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x["target"], &x["actor"]), (&y["target"], &y["actor"]));
        if x["actor"] == "Academic labs" {
            moved += usize::from(x != y);
            // Ten times the budget: never later.
            let year = |r: &std::collections::HashMap<String, String>| {
                r["year_p50"].parse::<f64>().unwrap_or(f64::INFINITY)
            };
            assert!(year(y) <= year(x), "{x:?} vs {y:?}");
        } else {
            assert_eq!(x, y, "{} × {} moved", x["target"], x["actor"]);
        }
    }
    assert!(moved > 0, "the academic labs' times did not change");
}

/// `-` reads the scenario from standard input: the same outputs as the file (the copy of its
/// text too), recorded as `<stdin>`, into out/stdin by default; its errors keep line and column.
#[test]
fn stdin_is_the_same_as_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = repo("scenarios/baseline.toml");
    let text = std::fs::read(&path).unwrap();
    let from_file = dir.path().join("file");
    run(&path, &from_file, &["--samples", "2000"]);
    bin()
        .current_dir(dir.path())
        .args(["run", "-", "--quiet", "--no-charts", "--samples", "2000"])
        .write_stdin(text.clone())
        .assert()
        .success();
    let from_stdin = dir.path().join("out/stdin");
    same_outputs(&from_file, &from_stdin);
    assert_eq!(
        std::fs::read(from_stdin.join("scenario.toml")).unwrap(),
        text
    );
    let m = read_json(&from_stdin.join("manifest.json"));
    assert_eq!(m["scenario_path"], "<stdin>");
    assert_eq!(
        m["scenario_sha256"],
        read_json(&from_file.join("manifest.json"))["scenario_sha256"]
    );

    let bad = replace_once(MINIMAL_SCENARIO, "end_year = 2040.0", "end_year = 20");
    let (line, col) = line_col(&bad, bad.find("20\n").unwrap());
    let a = bin()
        .args(["validate", "-"])
        .write_stdin(bad)
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: <stdin>:{line}:{col}: `scenario.end_year`: "
        )),
        "{stderr}"
    );
}

/// `run`, `sensitivity` and `compare` save the scenario text that ran in the output folder
/// (compare: one per scenario, named like its column); a later comparison of other files
/// replaces the set, leaving none of the earlier copies.
#[test]
fn the_scenario_text_run_is_saved_with_the_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::fs::write(&a, MINIMAL_SCENARIO).unwrap();
    let other = replace_once(
        MINIMAL_SCENARIO,
        "doubling_time_years = 2.5",
        "doubling_time_years = 3",
    );
    std::fs::write(&b, &other).unwrap();
    let set = ["--set", "costs.overhead=2"];
    // `costs` is not in the file: refused, as any table the file lacks.
    bin()
        .arg("run")
        .arg(&a)
        .args(set)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no table `costs` in the file"));
    let set = ["--set", "hardware.doubling_time_years=2"];
    let with_set = |text: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with("doubling_time_years"))
            .unwrap();
        replace_once(text, line, "doubling_time_years = 2")
    };

    let out = dir.path().join("run");
    run(&a, &out, &[]);
    assert_eq!(
        std::fs::read_to_string(out.join("scenario.toml")).unwrap(),
        MINIMAL_SCENARIO
    );
    run(&a, &out, &set);
    assert_eq!(
        std::fs::read_to_string(out.join("scenario.toml")).unwrap(),
        with_set(MINIMAL_SCENARIO)
    );

    let out = dir.path().join("sensitivity");
    run_into("sensitivity", &[&a], &out, &set);
    assert_eq!(
        std::fs::read_to_string(out.join("scenario.toml")).unwrap(),
        with_set(MINIMAL_SCENARIO)
    );

    let out = dir.path().join("compare");
    let compare = |files: &[&Path]| run_into("compare", files, &out, &set);
    compare(&[&a, &b]);
    assert_eq!(file_names(&out.join("scenarios")), ["a.toml", "b.toml"]);
    assert_eq!(
        std::fs::read_to_string(out.join("scenarios/a.toml")).unwrap(),
        with_set(MINIMAL_SCENARIO)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("scenarios/b.toml")).unwrap(),
        with_set(&other)
    );
    assert!(
        read_json(&out.join("manifest.json"))["files"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("scenarios/b.toml"))
    );
    compare(&[&a, &a]);
    assert_eq!(file_names(&out.join("scenarios")), ["a#2.toml", "a.toml"]);

    let out = dir.path().join("budgets");
    run_into("compare", &[&b], &out, &["--budgets", "1M,10M"]);
    assert_eq!(
        std::fs::read_to_string(out.join("scenarios/b.toml")).unwrap(),
        other
    );
}

/// A bad `--set` exits 2 with one clear line naming the argument, prints nothing on stdout and
/// writes nothing: no `=`, a key path or entry the file does not have, a value the scenario
/// refuses.
#[test]
fn bad_set_arguments_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minimal.toml");
    std::fs::write(&path, MINIMAL_SCENARIO).unwrap();
    let cases: &[(&str, &[&str])] = &[
        (
            "hardware.doubling_time_years",
            &[
                "invalid value 'hardware.doubling_time_years' for '--set <KEY=VALUE>'",
                "expected KEY=VALUE (there is no `=`)",
            ],
        ),
        ("hardware.doubling_time_years=", &["no value after `=`"]),
        (
            "hardware..x=1",
            &["not a dotted key", "a key is missing after `hardware.`"],
        ),
        (
            "hardwre.doubling_time_years=3",
            &[
                "in --set hardwre.doubling_time_years=3: `hardwre`: no table `hardwre` in the file",
                "did you mean `hardware`?",
            ],
        ),
        (
            "hardware.doubling_time=3",
            &[
                "in --set hardware.doubling_time=3: `hardware.doubling_time`: unknown key in [hardware]",
                "did you mean `doubling_time_years`?",
            ],
        ),
        (
            "actor.\"Big lab\".budget=1e9",
            &[
                "in --set actor.\"Big lab\".budget=1e9: `actor.\"Big lab\"`: no actor class named \"Big lab\"",
                "the names are: \"Lab\"",
            ],
        ),
        (
            "actor[2].budget=1e9",
            &["`actor` has 1 entries; [2] is not one of them"],
        ),
        (
            "target.\"Small model\".flop=1e20",
            &["no target named \"Small model\"", "\"Big model\""],
        ),
        (
            "hardware=1",
            &["`hardware`: a table, not a value: --set sets one value in it"],
        ),
        (
            "hardware.doubling_time_years=-1",
            &[
                "error: ",
                "minimal.toml: in --set hardware.doubling_time_years=-1: `hardware.doubling_time_years`: ",
            ],
        ),
        (
            "actor.Lab.budget=a lot",
            &["in --set actor.Lab.budget=\"a lot\": `actor.\"Lab\".budget`: "],
        ),
        (
            "scenario.samples=0",
            &["in --set scenario.samples=0: `scenario.samples`: "],
        ),
    ];
    let mut failures = Vec::new();
    for (arg, says) in cases {
        for command in ["validate", "run"] {
            let out = dir.path().join("out");
            let o = bin()
                .arg(command)
                .arg(&path)
                .args(["--set", arg])
                .args(if command == "run" {
                    vec!["--out", out.to_str().unwrap()]
                } else {
                    vec![]
                })
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            let problems: Vec<String> = [
                (o.status.code() != Some(2)).then(|| format!("exit {:?}", o.status.code())),
                (!o.stdout.is_empty()).then(|| "stdout is not empty".to_string()),
                out.exists()
                    .then(|| "an output folder was written".to_string()),
                (!stderr.starts_with("error: "))
                    .then(|| "stderr does not start with `error: `".to_string()),
            ]
            .into_iter()
            .flatten()
            .chain(
                says.iter()
                    .filter(|s| !stderr.contains(**s))
                    .map(|s| format!("does not say {s:?}")),
            )
            .collect();
            if !problems.is_empty() {
                failures.push(format!(
                    "{command} --set {arg}: {}\n  stderr: {stderr}",
                    problems.join("; ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An error elsewhere in the file keeps its line and column there, even when a `--set` added a
/// line above it.
#[test]
fn errors_outside_the_set_values_keep_their_place_in_the_file() {
    let bad = replace_once(MINIMAL_SCENARIO, "flop = 1e26", "flop = -1e26");
    let (dir_, path) = crate::util::write_scenario(&bad);
    let (line, col) = line_col(&bad, bad.find("-1e26").unwrap());
    let a = bin()
        .arg("validate")
        .arg(&path)
        .args([
            "--set",
            "scenario.report_step=0.5",
            "--set",
            "hardware.doubling_time_years=2",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: {}:{line}:{col}: `target.\"Big model\".flop`: ",
            path.display()
        )),
        "{stderr}"
    );
    drop(dir_);
}

/// Shards of a scenario read from standard input with `--set` record the text they ran, so
/// their merge equals the unsharded run of the file with the same `--set`.
#[test]
fn set_and_stdin_scenarios_shard_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let path = repo("scenarios/baseline.toml");
    let set = ["--set", "hardware.doubling_time_years=2 to 3"];
    let args = ["--samples", "1001", "--seed", "5"];
    let whole = dir.path().join("whole");
    run(&path, &whole, &[&args[..], &set[..]].concat());
    let text = std::fs::read(&path).unwrap();
    let mut partials = Vec::new();
    for k in 1..=2 {
        let partial = dir.path().join(format!("part{k}.json"));
        bin()
            .args(["run", "-", "--quiet"])
            .args(args)
            .args(set)
            .args(["--shard", &format!("{k}/2"), "--partial"])
            .arg(&partial)
            .write_stdin(text.clone())
            .assert()
            .success();
        partials.push(partial);
    }
    let merged = dir.path().join("merged");
    let partials: Vec<&Path> = partials.iter().map(|p| p.as_path()).collect();
    run_into("merge", &partials, &merged, &[]);
    same_outputs(&whole, &merged);
    // The merged run records what was set, as the whole run does.
    let manifest = |dir: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
    };
    assert_eq!(
        manifest(&merged)["overrides"],
        manifest(&whole)["overrides"]
    );
    assert!(
        manifest(&merged)["overrides"]
            .to_string()
            .contains("hardware.doubling_time_years")
    );
    // Without --out, the merge of a scenario read from stdin goes to out/stdin.
    bin()
        .current_dir(dir.path())
        .arg("merge")
        .args(&partials)
        .args(["--quiet", "--no-charts"])
        .assert()
        .success();
    same_outputs(&whole, &dir.path().join("out/stdin"));
}
