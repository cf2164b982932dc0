//! End-to-end tests of `diffusion-sim run` and `validate` through the binary.

use crate::util;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const OUTPUTS: [&str; 6] = [
    "summary.json",
    "affordability.csv",
    "trajectories.csv",
    "times.csv",
    "lag_trend.csv",
    "manifest.json",
];

fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").unwrap()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn worked_check_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let scn = dir.path().join("worked.toml");
    std::fs::write(&scn, util::WORKED_CHECK).unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "run",
            scn.to_str().unwrap(),
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let summary = read_json(&out.join("summary.json"));
    let pair = &summary["affordability"][0];
    let exact = 2025.0 + (3.14e23f64 / 6.7e16 / 1e5).ln() / (2f64.ln() / 2.5 + 2f64.ln() / 1.5);
    for q in ["p5", "p50", "p95"] {
        let got = pair["year"][q].as_f64().unwrap();
        assert!((got - exact).abs() < 1e-6, "{q}: {got} vs {exact}");
    }
    assert_eq!(pair["p_by_horizon"], 1.0);
    // P(τ ≤ 2030) = 0 and P(τ ≤ 2031) = 1 since τ ≈ 2030.2.
    let years = summary["years"].as_array().unwrap();
    let i2030 = years
        .iter()
        .position(|y| y.as_f64() == Some(2030.0))
        .unwrap();
    assert_eq!(pair["p_by_year"][i2030], 0.0);
    assert_eq!(pair["p_by_year"][i2030 + 1], 1.0);
    // The cost trajectory at the start is E / P0 = $4.6866M (reported to 6 significant digits).
    let traj = std::fs::read_to_string(out.join("trajectories.csv")).unwrap();
    let row = traj
        .lines()
        .find(|l| l.starts_with("cost,GPT-3,2025,"))
        .unwrap();
    let p50: f64 = row.split(',').nth(6).unwrap().parse().unwrap();
    assert!((p50 / (3.14e23 / 6.7e16) - 1.0).abs() < 1e-5, "{row}");
}

#[test]
fn baseline_end_to_end_with_a_small_sample() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = bin()
        .args([
            "run",
            repo("scenarios/baseline.toml").to_str().unwrap(),
            "--samples",
            "3000",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for name in OUTPUTS {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["schema_version"], 2);
    assert_eq!(summary["samples"], 3000);
    assert_eq!(summary["seed"], 42);
    let pairs = summary["affordability"].as_array().unwrap();
    // Seven actor classes × every target, each in the table.
    assert_eq!(pairs.len() % 7, 0);
    for p in pairs {
        assert!(stdout.contains(p["actor"].as_str().unwrap()));
        assert!(stdout.contains(p["target"].as_str().unwrap()));
        // The frontier affords a frontier-of-year target exactly in its year.
        if p["actor"] == "Frontier labs" && !p["frontier_year"].is_null() {
            assert_eq!(p["year"]["p50"], p["frontier_year"]);
            assert_eq!(p["lag"]["p50"], 0.0);
        }
        // Probabilities are non-decreasing in the year and end at P(by the horizon).
        let curve: Vec<f64> = p["p_by_year"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert!(curve.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*curve.last().unwrap(), p["p_by_horizon"].as_f64().unwrap());
        let never = p["p_not_by_horizon"].as_f64().unwrap();
        assert!((never + curve.last().unwrap() - 1.0).abs() < 1e-12);
    }
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["samples"], 3000);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn outputs_are_byte_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let scn = repo("scenarios/baseline.toml");
    for threads in ["1", "2", "3"] {
        let out = dir.path().join(threads);
        bin()
            .args([
                "run",
                scn.to_str().unwrap(),
                "--samples",
                "5000",
                "--seed",
                "7",
                "--quiet",
                "--no-charts",
                "--threads",
                threads,
            ])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    for name in OUTPUTS.iter().filter(|n| **n != "manifest.json") {
        let one = std::fs::read(dir.path().join("1").join(name)).unwrap();
        for threads in ["2", "3"] {
            assert!(
                one == std::fs::read(dir.path().join(threads).join(name)).unwrap(),
                "{name} differs with {threads} threads"
            );
        }
    }
}

#[test]
fn stdout_formats_match_the_files_and_quiet_silences_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scn = repo("scenarios/baseline.toml");
    let run = |format: &str| {
        let a = bin()
            .args([
                "run",
                scn.to_str().unwrap(),
                "--samples",
                "2000",
                "--quiet",
                "--no-charts",
                "--format",
                format,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        assert!(
            a.get_output().stderr.is_empty(),
            "stderr not empty with --quiet"
        );
        a.get_output().stdout.clone()
    };
    assert_eq!(
        run("json"),
        std::fs::read(out.join("summary.json")).unwrap()
    );
    assert_eq!(run("csv"), std::fs::read(out.join("times.csv")).unwrap());
    let table = String::from_utf8(run("table")).unwrap();
    assert!(table.contains("median year") && table.contains("90% interval"));
}

#[test]
fn validate_prints_what_it_understood_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let a = bin()
        .current_dir(dir.path())
        .args([
            "validate",
            repo("scenarios/baseline.toml").to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    for needle in [
        "hardware",
        "algorithms",
        "investment",
        "Academic labs",
        "GPT-4 level",
        "Frontier of 2030",
        "uncertain inputs",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn help_explains_every_option_with_an_example() {
    let a = bin().args(["run", "--help"]).assert().success();
    let help = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    for flag in [
        "--samples",
        "--seed",
        "--threads",
        "--out",
        "--quiet",
        "--format",
        "--set",
        "Example",
    ] {
        assert!(help.contains(flag), "{flag} missing from run --help");
    }
}

/// Starts `diffusion-sim run SCENARIO --samples 1e10 --quiet --out OUT`, interrupts it with
/// `signal` (`INT`, `TERM`) after 0.7 s (while it samples), and returns its output.
#[cfg(unix)]
fn interrupted_run_by(signal: &str, scenario: &str, out: &Path) -> std::process::Output {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_diffusion-sim"))
        .args(["run", repo(scenario).to_str().unwrap()])
        .args(["--samples", "1e10", "--quiet", "--out"])
        .arg(out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait_with_output().unwrap()
}

/// [`interrupted_run_by`] with SIGINT, as Ctrl-C sends.
#[cfg(unix)]
fn interrupted_run(scenario: &str, out: &Path) -> std::process::Output {
    interrupted_run_by("INT", scenario, out)
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_exits_130_and_writes_no_file() {
    // SIGTERM (a job scheduler's stop) as Ctrl-C: it had killed the run at once, leaving its
    // staging folder behind.
    for signal in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let output = interrupted_run_by(signal, "scenarios/baseline.toml", &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal}: {stderr}");
        assert!(
            stderr.contains("interrupted: no output files were changed"),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        assert!(
            left.is_empty(),
            "{signal}: an interrupted run left {left:?}"
        );
    }
}

/// A command that checks for no interruption (here, one waiting for its scenario on standard
/// input) still stops a few seconds after SIGTERM, as a job scheduler expects.
#[cfg(unix)]
#[test]
fn sigterm_stops_a_command_waiting_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_diffusion-sim"))
        .args(["run", "-", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "still running 30 s after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
}

#[test]
fn an_unwritable_output_directory_fails_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let a = bin()
        .args([
            "run",
            repo("scenarios/baseline.toml").to_str().unwrap(),
            "--samples",
            "500",
            "--quiet",
            "--out",
        ])
        .arg(blocker.join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.starts_with("error: cannot write"), "{stderr}");
    assert!(a.get_output().stdout.is_empty());
}

/// The output folder is checked before sampling: a run of 1e12 samples into a folder it cannot
/// write fails at once instead of after its work.
#[test]
fn an_unwritable_output_directory_is_refused_before_sampling() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    for command in [["run", "--samples"], ["sensitivity", "--samples"]] {
        let a = bin()
            .args([
                command[0],
                repo("scenarios/baseline.toml").to_str().unwrap(),
                command[1],
                "1e12",
                "--quiet",
                "--out",
            ])
            .arg(blocker.join("out"))
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(1);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.starts_with("error: cannot write the output folder"),
            "{stderr}"
        );
    }
}

/// Runs `scenario` into `out` with `samples`, quietly; the exit status is returned.
fn run_into(scenario: &str, out: &Path, samples: &str) -> assert_cmd::assert::Assert {
    bin()
        .args([
            "run",
            repo(scenario).to_str().unwrap(),
            "--samples",
            samples,
        ])
        .args(["--quiet", "--chart-format", "svg", "--out"])
        .arg(out)
        .assert()
}

/// Every file under `dir` (relative path) with its bytes, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// A report page is part of the set that wrote it: a later run without `--html` removes it
/// rather than leaving a page of other numbers beside the new results.
#[test]
fn a_stale_report_page_goes_with_its_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
        .args([
            "--samples",
            "300",
            "--quiet",
            "--html",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("report.html").is_file());
    run_into("scenarios/baseline.toml", &out, "200").success();
    assert!(
        !out.join("report.html").exists(),
        "a stale report.html was left"
    );
}

/// A seed past what a scenario file holds (TOML integers are signed 64-bit) is refused: the
/// saved scenario.toml could not record it.
#[test]
fn a_seed_a_scenario_file_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for seed in ["9223372036854775808", "18446744073709551615"] {
        bin()
            .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
            .args(["--samples", "100", "--quiet", "--seed", seed, "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .code(2);
    }
    assert!(!dir.path().join("out").exists());
}

/// A run replaces the previous output set as a whole: the old run's files that the new run does
/// not write (ranks, another scenario's charts) are gone, the user's own files stay.
#[test]
fn a_run_replaces_the_previous_set_and_keeps_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into("scenarios/top_three.toml", &out, "300").success();
    assert!(out.join("ranks.csv").is_file());
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    run_into("scenarios/baseline.toml", &out, "300").success();
    assert!(
        !out.join("ranks.csv").exists(),
        "a stale ranks.csv was left"
    );
    assert!(!out.join("charts/ranks_frontier_of_2030.svg").exists());
    assert!(out.join("cost_components.csv").is_file());
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    // Nothing of the staging is left beside it, only the (hidden) lock.
    let siblings: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "out" && n != ".out.lock")
        .collect();
    assert!(siblings.is_empty(), "{siblings:?}");
}

/// Interrupted while sampling, a run leaves the previous output set exactly as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_the_previous_set_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into("scenarios/baseline.toml", &out, "300").success();
    let before = tree(&out);
    let output = interrupted_run("scenarios/hardware_slowdown.toml", &out);
    assert_eq!(output.status.code(), Some(130));
    assert!(
        tree(&out) == before,
        "the interrupted run changed the output folder"
    );
}

/// Killed (as by `kill -9`) at any point of putting a new set in place, a run leaves the old set
/// or the new one, never a mix; the user's own files, some of which may be half-way to the new
/// set, are all back in the folder after the next command.
#[cfg(unix)]
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the stop hook exists only in debug builds (`cargo test`, not `--release`)"
)]
fn a_run_killed_while_committing_leaves_the_old_set_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    run_into("scenarios/baseline.toml", &reference, "300").success();
    // The tool's files of a set, without the manifest (it holds timings).
    let outputs = |d: &Path| -> Vec<(String, Vec<u8>)> {
        tree(d)
            .into_iter()
            .filter(|(n, _)| n != "manifest.json" && !n.ends_with(".txt"))
            .collect()
    };
    let new_set = outputs(&reference);
    for point in ["carrying-user-files", "before-exchange", "after-exchange"] {
        let out = dir.path().join(point);
        run_into("scenarios/top_three.toml", &out, "300").success();
        std::fs::write(out.join("a-notes.txt"), b"mine").unwrap();
        std::fs::write(out.join("b-notes.txt"), b"also mine").unwrap();
        let old_set = outputs(&out);
        let killed = bin()
            .env("DIFFUSION_SIM_TEST_STOP", point)
            .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
            .args([
                "--samples",
                "300",
                "--quiet",
                "--chart-format",
                "svg",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            !killed.status.success(),
            "{point}: the hook did not stop the run"
        );
        let now = outputs(&out);
        assert!(
            now == old_set || now == new_set,
            "{point}: the folder holds a mix of two sets"
        );
        run_into("scenarios/baseline.toml", &out, "300").success();
        assert_eq!(outputs(&out), new_set, "{point}");
        assert_eq!(
            std::fs::read(out.join("a-notes.txt")).unwrap(),
            b"mine",
            "{point}"
        );
        assert_eq!(
            std::fs::read(out.join("b-notes.txt")).unwrap(),
            b"also mine",
            "{point}"
        );
        let leftovers: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains(".staging-"))
            .collect();
        assert!(leftovers.is_empty(), "{point}: {leftovers:?}");
    }
}

/// Two commands never write one output folder at once: the second is refused.
#[test]
fn a_folder_being_written_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let lock = std::fs::File::create(dir.path().join(".out.lock")).unwrap();
    lock.try_lock().unwrap();
    let a = run_into("scenarios/baseline.toml", &out, "100").code(1);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("another diffusion-sim command is writing"),
        "{stderr}"
    );
    assert!(!out.exists());
    drop(lock);
    run_into("scenarios/baseline.toml", &out, "100").success();
}

/// Hidden files and folders of the user's in an output folder (a `.git`, notes) are the user's
/// like any other and stay; a temporary file of the tool's, left by a killed write, goes.
#[test]
fn the_users_hidden_files_in_an_output_folder_stay() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into("scenarios/baseline.toml", &out, "100").success();
    std::fs::create_dir(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), b"ref: refs/heads/main\n").unwrap();
    std::fs::write(out.join(".notes"), b"mine").unwrap();
    std::fs::write(out.join(".summary.json.a1B2c3.tmp"), b"half").unwrap();
    run_into("scenarios/top_three.toml", &out, "100").success();
    assert_eq!(
        std::fs::read(out.join(".git/HEAD")).unwrap(),
        b"ref: refs/heads/main\n"
    );
    assert_eq!(std::fs::read(out.join(".notes")).unwrap(), b"mine");
    assert!(!out.join(".summary.json.a1B2c3.tmp").exists());
    assert!(out.join("ranks.csv").is_file());
}

/// A folder that holds files but no result of this tool (a home folder, a repository given to
/// `--out` by mistake) is refused before any work, and left as it was; an empty one is used.
#[test]
fn a_folder_the_tool_did_not_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("project");
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), b"x").unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let before = tree(&out);
    for command in [&["run"][..], &["compare", "--budgets", "1M"]] {
        let a = bin()
            .args(command)
            .arg(repo("scenarios/baseline.toml"))
            .args(["--samples", "100", "--quiet", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("holds files that diffusion-sim did not write"),
            "{stderr}"
        );
        assert!(tree(&out) == before, "the folder was changed");
    }
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    run_into("scenarios/baseline.toml", &empty, "100").success();
    assert!(empty.join("summary.json").is_file());
}

/// An output folder given as a symbolic link is written where the link points: the link stays,
/// the folder it names gets the new set and keeps the user's files. A file, or a link to
/// nothing, is refused before any work (exit 2); so is a `--partial` that is a folder.
#[cfg(unix)]
#[test]
fn links_files_and_folders_given_as_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    run_into("scenarios/top_three.toml", &real, "100").success();
    std::fs::write(real.join("notes.txt"), b"mine").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    run_into("scenarios/baseline.toml", &link, "100").success();
    assert!(link.is_symlink(), "the link was replaced");
    assert!(!real.join("ranks.csv").exists() && real.join("cost_components.csv").is_file());
    assert_eq!(std::fs::read(real.join("notes.txt")).unwrap(), b"mine");
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    for (out, says) in [
        (&file, "is not a folder"),
        (&dangling, "a symbolic link to nothing"),
    ] {
        let a = run_into("scenarios/baseline.toml", out, "100").code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(says), "{stderr}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
    let a = bin()
        .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
        .args(["--samples", "100", "--quiet", "--shard", "1/2", "--partial"])
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("is a folder"), "{stderr}");
    // A file of the user's is not taken for a partial: refused, left as it was.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, b"mine").unwrap();
    let a = bin()
        .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
        .args(["--samples", "100", "--quiet", "--shard", "1/2", "--partial"])
        .arg(&notes)
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("is not a partial file"), "{stderr}");
    assert_eq!(std::fs::read(&notes).unwrap(), b"mine");
    // A folder name the lock and staging folder beside it would take past 255 bytes.
    let a = run_into(
        "scenarios/baseline.toml",
        &dir.path().join("o".repeat(240)),
        "100",
    )
    .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("a folder name of 240 bytes; at most 200"),
        "{stderr}"
    );
}

/// `plot` replaces the charts folder as a whole: charts of an earlier drawing in another
/// format do not stay beside the new ones.
#[test]
fn plot_leaves_no_chart_of_an_earlier_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into("scenarios/baseline.toml", &out, "200").success();
    let names = |ext: &str| {
        std::fs::read_dir(out.join("charts"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == ext)
            .count()
    };
    assert!(names("svg") > 0 && names("png") == 0);
    bin()
        .arg("plot")
        .arg(&out)
        .args(["--chart-format", "png"])
        .assert()
        .success();
    assert!(
        names("png") > 0 && names("svg") == 0,
        "stale charts were left"
    );
}

/// `--out .` (or a path ending in `..`) names no folder the tool could replace: refused, and the
/// folder (here an earlier output set with the user's notes) is left as it was.
#[test]
fn an_output_path_without_a_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into("scenarios/baseline.toml", &out, "100").success();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    std::fs::create_dir(out.join("sub")).unwrap();
    let before = tree(&out);
    for given in [".", "sub/..", "./"] {
        let a = bin()
            .current_dir(&out)
            .args(["run", repo("scenarios/baseline.toml").to_str().unwrap()])
            .args(["--samples", "100", "--quiet", "--no-charts", "--out", given])
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("needs a name of its own"),
            "{given}: {stderr}"
        );
        assert!(tree(&out) == before, "{given}: the folder was changed");
    }
}

/// Extreme values that the parser accepts still give finite numbers in every output file.
#[test]
fn extreme_accepted_values_leave_no_inf_or_nan_in_any_output() {
    let text = std::fs::read_to_string(repo("scenarios/beyond_compute.toml"))
        .unwrap()
        .replace(
            "flop_per_dollar = \"5e17 to 1.5e18\"",
            "flop_per_dollar = \"1e250 to 1e260\"",
        )
        .replace("budget = \"$1K to $50K\"", "budget = \"1e-200 to 1e-190\"")
        .replace("samples = 100_000", "samples = 400");
    assert!(text.contains("1e250 to 1e260") && text.contains("1e-200"));
    let (_dir, out) = util::run_scenario(&text, &[]);
    for (name, bytes) in tree(&out) {
        if name.ends_with(".svg") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap().to_lowercase();
        for bad in ["nan", "inf"] {
            assert!(
                !text.split(|c: char| !c.is_alphanumeric()).any(|w| w == bad),
                "{name} holds {bad}"
            );
        }
    }
}

/// A cost past what a double holds (1e300 FLOP at 1e-10 FLOP per dollar: $1e310) is refused
/// with exit 2 and a message naming the series and year, leaving the previous outputs as they
/// were; just below the limit ($1e300) every output is a finite number.
#[test]
fn costs_beyond_the_range_of_a_double_are_refused() {
    let scenario = |flop: &str| {
        let text = util::replace_once(
            util::MINIMAL_SCENARIO,
            "flop_per_dollar = 1e18",
            "flop_per_dollar = 1e-10",
        );
        util::replace_once(&text, "flop = 1e26", &format!("flop = {flop}"))
    };
    let (_dir, out) = util::run_scenario(&scenario("1e290"), &[]);
    let before = tree(&out);
    for (name, bytes) in &before {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(
            !text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "inf" || w == "nan"),
            "{name}"
        );
    }
    // Refused, with stderr starting with `says` after the file's name; the outputs untouched.
    let refused = |text: &str, says: &str| {
        let (_d, path) = util::write_scenario(text);
        let a = bin()
            .args(["run", path.to_str().unwrap(), "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        let expected = format!("error: {}:{says}", path.display());
        assert!(stderr.starts_with(&expected), "{stderr}");
        assert!(tree(&out) == before, "the previous outputs changed");
    };
    // Named at the table the cost comes from: the target's, line 24 of the minimal scenario.
    refused(
        &scenario("1e300"),
        "24:1: `target[1]`: the cost of Big model in 2025 is beyond the largest number",
    );
    // A component past the range is named before the whole cost, at its own table.
    let data = util::replace_once(
        util::MINIMAL_SCENARIO,
        "[[actor]]",
        "[costs.data]\ndollars_per_token = 1e-6\ngrowth_per_year = 1.0\nstock_tokens = 1\n\
         stock_growth_per_year = 1\nbeyond_stock_dollars_per_token = 1e300\n\n[[actor]]",
    );
    refused(
        &data,
        "19:1: `costs.data`: the data cost of Big model to Lab in 2025 is beyond",
    );
    // With a `--set` that adds a line above the target, still the file's own line 24.
    let (_d, path) = util::write_scenario(&scenario("1e300"));
    let a = bin()
        .args(["run", path.to_str().unwrap(), "--quiet", "--out"])
        .arg(&out)
        .args(["--set", "scenario.description=\"added\""])
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!("error: {}:24:1: `target[1]`: ", path.display())),
        "{stderr}"
    );
}

/// A growth written as a percentage a year is the same number as its factor: identical results.
#[test]
fn growth_percentages_give_the_results_of_their_factors() {
    let pct = util::replace_once(
        &util::replace_once(
            util::MINIMAL_SCENARIO,
            "growth_per_year = 2.0",
            "growth_per_year = \"+100%\"",
        ),
        "growth_per_year = 1.2",
        "growth_per_year = \"+10% to +30% a year\"",
    );
    let factor = util::replace_once(
        util::MINIMAL_SCENARIO,
        "growth_per_year = 1.2",
        "growth_per_year = \"1.1 to 1.3\"",
    );
    let times = |text: &str| {
        let (dir, path) = util::write_scenario(text);
        let out = dir.path().join("out");
        util::bin()
            .arg("run")
            .arg(&path)
            .args(["--quiet", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr("");
        std::fs::read(out.join("times.csv")).unwrap()
    };
    assert_eq!(times(&pct), times(&factor));
    // A decline written as a percentage says what it means: no unit warning (0.7 would get one).
    let decline = util::replace_once(
        util::MINIMAL_SCENARIO,
        "growth_per_year = 2.0",
        "growth_per_year = \"-30%\"",
    );
    let (_dir, path) = util::write_scenario(&decline);
    util::bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr("");
}

/// With stdout closed (`>&-`) the run still writes every output file and succeeds: Rust's
/// runtime reopens a closed standard stream on /dev/null at start-up, so this is `>/dev/null`.
#[cfg(unix)]
#[test]
fn a_closed_stdout_still_writes_the_outputs() {
    let (dir, path) = util::write_scenario(util::MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("diffusion-sim");
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" run "$1" --quiet --no-charts --out "$2" >&-"#)
        .arg(&bin)
        .arg(&path)
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    for f in util::OUTPUT_FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

/// A run predicted to need more memory than `--max-memory` is refused before it samples or
/// creates anything (exit 2, with the figure and how to use less); the same run under a higher
/// limit goes ahead.
#[test]
fn a_run_past_the_memory_limit_is_refused_up_front() {
    // A century at a quarter-year step: 401 reporting years of wide histograms.
    let text = util::replace_once(
        &util::replace_once(
            util::MINIMAL_SCENARIO,
            "end_year = 2040.0",
            "end_year = 2125.0\nreport_step = 0.25",
        ),
        "doubling_time_years = 2.5",
        "doubling_time_years = \"2 to 4\"",
    );
    let (dir, path) = util::write_scenario(&text);
    let out = dir.path().join("out");
    let refused = util::bin()
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--no-charts", "--max-memory", "20M", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8(refused.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("this run would need about")
            && stderr.contains("more than the limit of 20 MB (--max-memory")
            && stderr.contains("401 reporting years"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is created");
    util::bin()
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--no-charts", "--max-memory", "4G", "--out"])
        .arg(&out)
        .assert()
        .success();
    util::bin()
        .arg("run")
        .arg(&path)
        .args(["--max-memory", "4X"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected a memory size"));
}

/// Algorithms that halve the compute a capability needs every 0.5 to 2 years (lognormal), with
/// no cap, over 35 years: by 2060 the efficiency's samples spread over far more than the 28
/// decades a histogram keeps below its largest value. Its quantiles there are reported at the
/// window's edge, far above the closed form (median 2^35, with the median halving time of 1
/// year), and the run says so on stderr; the same run with a cap prints the cap, exactly, and
/// no warning.
#[test]
fn quantiles_beyond_the_window_are_reported_as_upper_bounds() {
    let text = r#"
[scenario]
name = "wide"
start_year = 2025.0
end_year = 2060.0
samples = 4000
seed = 1

[hardware]
flop_per_dollar = 1e17
doubling_time_years = 2.5

[algorithms]
halving_time_years = "0.5 to 2"

[[actor]]
name = "a"
budget = 1e5

[[target]]
name = "T"
flop = 1e24
"#;
    let run = |text: &str| {
        let (dir, path) = util::write_scenario(text);
        let out = dir.path().join("out");
        let done = bin()
            .arg("run")
            .arg(&path)
            .args(["--no-charts", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        let stderr = String::from_utf8(done.get_output().stderr.clone()).unwrap();
        let rows = util::csv_rows(&out.join("trajectories.csv"));
        let p50 = rows
            .iter()
            .find(|r| r["series"] == "algorithmic_efficiency" && r["year"] == "2060")
            .map(|r| r["p50"].parse::<f64>().unwrap())
            .unwrap();
        (stderr, p50, dir)
    };
    let (stderr, p50, _dir) = run(text);
    let exact = 2f64.powi(35);
    assert!(p50 > 1e6 * exact, "floored p50 {p50:e} against {exact:e}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("warning: algorithmic efficiency in ")
            && lines[0].contains(" to 2060: its values spread over more than 28 decades")
            && lines[0].contains("so its p5, p25, p50")
            && lines[0].contains("are upper bounds, not quantiles"),
        "{stderr}"
    );
    let capped = text.replace(
        "halving_time_years = \"0.5 to 2\"",
        "halving_time_years = \"0.5 to 2\"\nmax_improvement = 1e6",
    );
    let (stderr, p50, _dir) = run(&capped);
    assert_eq!(stderr, "");
    assert!((p50 / 1e6 - 1.0).abs() < 0.004, "capped p50 {p50:e}");
}
