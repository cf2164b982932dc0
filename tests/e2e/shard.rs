//! `run --shard K/N --partial FILE` and `merge`: a sharded run merges to exactly the outputs of
//! the unsharded run, and partials of different runs are refused.

use std::path::{Path, PathBuf};

use crate::util::{MINIMAL_SCENARIO, bin, file_names, write_scenario};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every file under `dir` (relative path, bytes), manifest.json aside.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for name in file_names(dir) {
        let path = dir.join(&name);
        if path.is_dir() {
            for (inner, bytes) in outputs(&path) {
                files.push((format!("{name}/{inner}"), bytes));
            }
        } else if name != "manifest.json" {
            files.push((name, std::fs::read(path).unwrap()));
        }
    }
    files.sort();
    files
}

/// Runs `scenario` whole and in `n` shards (merged in reverse order) with `extra` flags and
/// asserts that both output folders hold the same files, byte for byte.
fn sharded_equals_whole(scenario: &Path, samples: &str, n: u64, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    bin()
        .arg("run")
        .arg(scenario)
        .args([
            "--samples",
            samples,
            "--seed",
            "11",
            "--quiet",
            "--threads",
            "2",
        ])
        .args(extra)
        .arg("--out")
        .arg(&whole)
        .assert()
        .success();
    let mut partials = Vec::new();
    for k in 1..=n {
        let partial = dir.path().join(format!("part{k}.json"));
        bin()
            .arg("run")
            .arg(scenario)
            .args([
                "--samples",
                samples,
                "--seed",
                "11",
                "--quiet",
                "--threads",
                "1",
            ])
            .args(["--shard", &format!("{k}/{n}")])
            .arg("--partial")
            .arg(&partial)
            .assert()
            .success()
            .stdout("");
        partials.push(partial);
    }
    partials.reverse();
    let merged = dir.path().join("merged");
    bin()
        .arg("merge")
        .args(&partials)
        .arg("--quiet")
        .args(extra)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    let (a, b) = (outputs(&whole), outputs(&merged));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between the whole run and the merged shards"
        );
    }
}

/// Every feature at once (access terms, costs beyond compute, actors within classes, ranks,
/// correlations), 3 shards of 2,001 samples (3 does not divide it).
#[test]
fn merged_shards_equal_the_whole_run_with_every_feature() {
    let fixture = repo("tests/fixtures/kitchen_sink.toml");
    sharded_equals_whole(&fixture, "2001", 3, &["--no-charts"]);
}

/// Charts too, and more shards than batches of samples.
#[test]
fn merged_shards_equal_the_whole_run_charts_included() {
    let (_dir, path) = write_scenario(MINIMAL_SCENARIO);
    sharded_equals_whole(&path, "777", 4, &[]);
}

fn shard(dir: &Path, scenario: &Path, k: u64, n: u64, seed: &str) -> PathBuf {
    let partial = dir.join(format!("s{seed}-{k}of{n}.json"));
    bin()
        .arg("run")
        .arg(scenario)
        .args(["--samples", "300", "--seed", seed, "--quiet"])
        .args(["--shard", &format!("{k}/{n}")])
        .arg("--partial")
        .arg(&partial)
        .assert()
        .success();
    partial
}

fn merge_fails(partials: &[&Path], says: &str) {
    let out = bin()
        .arg("merge")
        .args(partials)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(says), "expected {says:?} in: {stderr}");
}

#[test]
fn partials_of_different_runs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, scenario) = write_scenario(MINIMAL_SCENARIO);
    let other_text = MINIMAL_SCENARIO.replacen("name = ", "description = \"another\"\nname = ", 1);
    let (_o, other) = write_scenario(&other_text);
    let a1 = shard(dir.path(), &scenario, 1, 2, "1");
    let a2 = shard(dir.path(), &scenario, 2, 2, "1");
    let b2 = shard(dir.path(), &scenario, 2, 2, "2");
    let c1 = shard(dir.path(), &scenario, 1, 3, "1");
    let odir = tempfile::tempdir().unwrap();
    let d2 = shard(odir.path(), &other, 2, 2, "1");
    merge_fails(&[&a1], "shard 2 of 2 missing");
    merge_fails(&[&a1, &a1], "shard 1 of 2 given twice");
    merge_fails(&[&a1, &b2], "different runs: seed 2 against 1");
    merge_fails(&[&a1, &c1], "different runs: shard count 3 against 2");
    merge_fails(&[&a1, &d2], "different runs: scenario");
    // A partial of another format version, and a file that is not a partial.
    let text = std::fs::read_to_string(&a2).unwrap();
    let old = dir.path().join("old.json");
    assert!(
        text.contains("\"version\":3"),
        "the partial format's version"
    );
    std::fs::write(&old, text.replacen("\"version\":3", "\"version\":0", 1)).unwrap();
    merge_fails(&[&a1, &old], "partial format version 0");
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"samples\": 3}").unwrap();
    merge_fails(&[&a1, &junk], "not a partial file");
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    merge_fails(&[&a1, &cut], "cut.json");
    // Counts changed after the run wrote them (here the shard's own sample count, which the
    // merge would otherwise read as 151 of 150): refused by their checksum.
    let edited = dir.path().join("edited.json");
    assert_eq!(
        text.matches("\"samples\":150").count(),
        1,
        "the shard's count"
    );
    std::fs::write(
        &edited,
        text.replacen("\"samples\":150", "\"samples\":151", 1),
    )
    .unwrap();
    merge_fails(&[&a1, &edited], "do not match the checksum");
    // A shard count too large for a slot a shard (read from the file): every shard but one
    // missing, named by count, with the first few.
    let huge = shard(dir.path(), &scenario, 1, u64::MAX, "1");
    merge_fails(
        &[&huge],
        "18446744073709551614 shards of 18446744073709551615 missing (the first: 2, 3, 4,",
    );
    // The pair that belongs together merges.
    bin()
        .arg("merge")
        .args([&a1, &a2])
        .args(["--quiet", "--no-charts", "--out"])
        .arg(dir.path().join("ok"))
        .assert()
        .success();
}

#[test]
fn shard_flags_that_cannot_work_are_refused() {
    let (dir, scenario) = write_scenario(MINIMAL_SCENARIO);
    let partial = dir.path().join("p.json");
    let cases: [(&[&str], &str); 6] = [
        (&["--shard", "1/2"], "--shard needs --partial"),
        (&["--partial", "p.json"], "give --shard K/N as well"),
        (&["--shard", "3/2", "--partial", "p.json"], "1 ≤ K ≤ N"),
        (&["--shard", "0/2", "--partial", "p.json"], "1 ≤ K ≤ N"),
        (
            &["--shard", "1/2", "--partial", "p.json", "--sensitivity"],
            "run it unsharded",
        ),
        (
            &["--shard", "1/2", "--partial", "p.json", "--out", "x"],
            "writes only its --partial",
        ),
    ];
    for (args, says) in cases {
        let out = bin()
            .arg("run")
            .arg(&scenario)
            .args(["--samples", "100", "--quiet"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(says),
            "{args:?}: expected {says:?} in {stderr}"
        );
    }
    assert!(!partial.exists());
}

/// The Slurm scripts of examples/slurm, run as Slurm would run them (the array task's
/// variables set by hand), merge to the outputs of the unsharded run.
#[test]
fn slurm_example_scripts_merge_to_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, scenario) = write_scenario(MINIMAL_SCENARIO);
    let binary = env!("CARGO_BIN_EXE_diffusion-sim");
    let partials = dir.path().join("partials");
    for k in ["1", "2", "3"] {
        let status = std::process::Command::new("bash")
            .arg(repo("examples/slurm/shard.sbatch"))
            .arg(&scenario)
            .arg("1001")
            .arg(&partials)
            .env("SLURM_ARRAY_TASK_ID", k)
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("DIFFUSION_SIM", binary)
            .status()
            .unwrap();
        assert!(status.success(), "shard {k}");
    }
    let merged = dir.path().join("merged");
    let status = std::process::Command::new("bash")
        .arg(repo("examples/slurm/merge.sbatch"))
        .arg(&partials)
        .arg(&merged)
        .env("DIFFUSION_SIM", binary)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let whole = dir.path().join("whole");
    bin()
        .arg("run")
        .arg(&scenario)
        .args(["--samples", "1001", "--quiet", "--out"])
        .arg(&whole)
        .assert()
        .success();
    let (a, b) = (outputs(&whole), outputs(&merged));
    assert_eq!(a.len(), b.len());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs");
    }
}
