//! `run --samples-out FILE.parquet` through the binary: the file read back with the parquet
//! crate's reader and checked against closed forms, known quantiles and the run's own times.csv.

use std::collections::HashMap;
use std::path::Path;

use parquet::basic::Type as PhysicalType;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::util::{self, bin, csv_rows, write_scenario};

/// A per-sample file read back: column names and types, row groups, and every column's values
/// (`None` for null; the sample column as floats too).
struct Table {
    names: Vec<String>,
    types: Vec<(PhysicalType, i16)>,
    row_groups: usize,
    cols: HashMap<String, Vec<Option<f64>>>,
    samples: Vec<i64>,
}

impl Table {
    fn read(path: &Path) -> Self {
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        let columns = schema.columns();
        let names: Vec<String> = columns.iter().map(|c| c.name().to_string()).collect();
        let types = columns
            .iter()
            .map(|c| (c.physical_type(), c.max_def_level()))
            .collect();
        let mut cols: HashMap<String, Vec<Option<f64>>> = HashMap::new();
        let mut samples = Vec::new();
        for row in reader.get_row_iter(None).unwrap() {
            for (name, field) in row.unwrap().get_column_iter() {
                let v = match field {
                    Field::Long(i) => {
                        samples.push(*i);
                        continue;
                    }
                    Field::Double(v) => Some(*v),
                    Field::Null => None,
                    other => panic!("{name}: unexpected {other:?}"),
                };
                assert!(v.is_none_or(f64::is_finite), "{name}: {v:?}");
                cols.entry(name.clone()).or_default().push(v);
            }
        }
        Table {
            names,
            types,
            row_groups: reader.metadata().num_row_groups(),
            cols,
            samples,
        }
    }

    fn col(&self, name: &str) -> &[Option<f64>] {
        self.cols
            .get(name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.names))
    }
}

/// Runs `text` with `--samples-out` (plus `args`) and reads the file back; returns the
/// temporary folder (keep it alive), the output folder and the file's bytes.
fn run_with_samples(text: &str, args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    let file = dir.path().join("samples.parquet");
    let mut all = vec!["--samples-out", file.to_str().unwrap()];
    all.extend(args);
    util::run_into("run", &[&path], &out, &all);
    let bytes = std::fs::read(&file).unwrap();
    (dir, out, bytes)
}

/// The worked check with an uncertain doubling time (and a class that can never pay: $1e-9 is
/// below the cost at the horizon, $4.7M falling at most e^28-fold in 35 years): every sample's
/// year has a closed form in its own doubling time.
fn closed_form_scenario() -> String {
    let text = util::replace_once(
        util::WORKED_CHECK,
        "doubling_time_years = 2.5",
        "doubling_time_years = \"2 to 3\"",
    );
    format!("{text}\n[[actor]]\nname = \"Pauper\"\nbudget = 1e-9\n")
}

#[test]
fn every_sample_s_year_is_the_closed_form_of_its_own_inputs() {
    let (dir, _out, _) = run_with_samples(&closed_form_scenario(), &["--samples", "3000"]);
    let t = Table::read(&dir.path().join("samples.parquet"));
    assert_eq!(
        t.names,
        [
            "sample",
            "hardware.doubling_time_years",
            "year.\"GPT-3\".\"Small lab\"",
            "year.\"GPT-3\".\"Pauper\""
        ]
    );
    assert_eq!(
        t.types,
        [
            (PhysicalType::INT64, 0),
            (PhysicalType::DOUBLE, 1),
            (PhysicalType::DOUBLE, 1),
            (PhysicalType::DOUBLE, 1)
        ]
    );
    assert_eq!(t.samples, (0..3000).collect::<Vec<i64>>());
    let doubling = t.col("hardware.doubling_time_years");
    let years = t.col("year.\"GPT-3\".\"Small lab\"");
    let ln2 = 2f64.ln();
    for (d, y) in doubling.iter().zip(years) {
        let d = d.unwrap();
        let exact = 2025.0 + (3.14e23f64 / 6.7e16 / 1e5).ln() / (ln2 / d + ln2 / 1.5);
        assert!(
            (y.unwrap() - exact).abs() < 1e-6,
            "d = {d}: {y:?} vs {exact}"
        );
    }
    // The doubling times differ from sample to sample, and so do the years.
    let spread = |c: &[Option<f64>]| {
        let v: Vec<f64> = c.iter().map(|x| x.unwrap()).collect();
        v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
    };
    assert!(spread(doubling) > 0.5 && spread(years) > 0.5);
    // Never by the horizon: null, in every row.
    assert!(
        t.col("year.\"GPT-3\".\"Pauper\"")
            .iter()
            .all(Option::is_none)
    );
}

/// The empirical 5th, 50th and 95th percentiles of a lognormal "2 to 3" input are 2, √6 and 3
/// within five standard errors of a sample quantile.
#[test]
fn an_uncertain_input_has_its_known_quantiles() {
    let n = 20_000usize;
    let (dir, _out, _) = run_with_samples(&closed_form_scenario(), &["--samples", "20000"]);
    let t = Table::read(&dir.path().join("samples.parquet"));
    let mut v: Vec<f64> = t
        .col("hardware.doubling_time_years")
        .iter()
        .map(|x| x.unwrap())
        .collect();
    v.sort_by(f64::total_cmp);
    let sigma = (3.0f64 / 2.0).ln() / (2.0 * 1.6448536);
    for (p, z, want) in [
        (0.05, -1.6448536, 2.0),
        (0.5, 0.0, 6f64.sqrt()),
        (0.95, 1.6448536, 3.0),
    ] {
        let got = v[(p * n as f64) as usize];
        // SE of a sample quantile in z units: √(p(1−p)/n)/φ(z); in ln units × σ.
        let phi = (-z * z / 2.0f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let se = (p * (1.0 - p) / n as f64).sqrt() / phi * sigma;
        assert!(
            (got.ln() - want.ln()).abs() < 5.0 * se,
            "p{p}: {got} vs {want} (se {se})"
        );
    }
}

/// Every quantile in times.csv is the same quantile of the file's years within half a bin of
/// the histogram (0.005 years) and the file's rounding; P(by the horizon) is the share of
/// non-null years; the run's main files are unchanged by --samples-out.
#[test]
fn the_years_agree_with_times_csv_and_the_main_outputs_are_unchanged() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let text = std::fs::read_to_string(scenario).unwrap();
    let (dir, out, _) = run_with_samples(&text, &["--samples", "3000", "--threads", "2"]);
    let t = Table::read(&dir.path().join("samples.parquet"));
    let n = 3_000usize;
    assert_eq!(t.samples.len(), n);
    let (mut finite_medians, mut nulls) = (0, 0);
    for row in csv_rows(&out.join("times.csv")) {
        let name = format!("year.{:?}.{:?}", row["target"], row["actor"]);
        let mut years: Vec<f64> = t
            .col(&name)
            .iter()
            .map(|y| y.unwrap_or(f64::INFINITY))
            .collect();
        years.sort_by(f64::total_cmp);
        let by_horizon = years.iter().filter(|y| y.is_finite()).count();
        nulls += n - by_horizon;
        let p: f64 = row["p_by_horizon"].parse().unwrap();
        assert!((p - by_horizon as f64 / n as f64).abs() < 1e-9, "{name}");
        for (col, q) in [("year_p5", 0.05), ("year_p50", 0.5), ("year_p95", 0.95)] {
            let exact = years[((q * n as f64).ceil() as usize).max(1) - 1];
            match row[col].as_str() {
                "" => assert!(exact.is_infinite(), "{name} {col}: {exact}"),
                cell => {
                    let got: f64 = cell.parse().unwrap();
                    assert!(
                        (got - exact).abs() <= 0.0051,
                        "{name} {col}: {got} vs {exact}"
                    );
                    finite_medians += usize::from(col == "year_p50");
                }
            }
        }
    }
    assert!(
        finite_medians >= 20 && nulls > 0,
        "{finite_medians} {nulls}"
    );

    let plain = dir.path().join("plain");
    let path = dir.path().join("scenario.toml");
    let args = ["--samples", "3000", "--threads", "2"];
    util::run_into("run", &[&path], &plain, &args);
    for name in [
        "summary.json",
        "times.csv",
        "affordability.csv",
        "trajectories.csv",
    ] {
        let same =
            std::fs::read(out.join(name)).unwrap() == std::fs::read(plain.join(name)).unwrap();
        assert!(same, "{name} differs with --samples-out");
    }
}

#[test]
fn the_file_is_byte_identical_for_any_thread_count_and_streams_row_groups() {
    let text = util::replace_once(util::MINIMAL_SCENARIO, "samples = 1000", "samples = 70000");
    let (_d1, _, one) = run_with_samples(&text, &["--threads", "1"]);
    let (d2, _, two) = run_with_samples(&text, &["--threads", "2"]);
    assert_eq!(one, two);
    let t = Table::read(&d2.path().join("samples.parquet"));
    // 65,536 rows per row group.
    assert_eq!(t.row_groups, 2);
    assert_eq!(t.samples.len(), 70_000);
    let (_d3, _, other) = run_with_samples(&text, &["--threads", "2", "--seed", "8"]);
    assert_ne!(one, other);
}

/// A shard's file holds that shard's samples: the same rows as the whole run's file.
#[test]
fn a_shard_writes_its_own_samples() {
    let (dir, path) = write_scenario(util::MINIMAL_SCENARIO);
    let whole = dir.path().join("whole.parquet");
    let part = dir.path().join("part.parquet");
    util::run_into(
        "run",
        &[&path],
        &dir.path().join("out"),
        &["--samples-out", whole.to_str().unwrap()],
    );
    bin()
        .args([
            "run",
            path.to_str().unwrap(),
            "--quiet",
            "--shard",
            "2/3",
            "--partial",
        ])
        .arg(dir.path().join("p2.json"))
        .arg("--samples-out")
        .arg(&part)
        .assert()
        .success();
    let (whole, part) = (Table::read(&whole), Table::read(&part));
    let range = diffusion_sim::shard::shard_range(2, 3, 1000);
    let want: Vec<i64> = range.clone().map(|i| i as i64).collect();
    assert_eq!(part.samples, want);
    let r = range.start as usize..range.end as usize;
    for name in &whole.names[1..] {
        assert_eq!(part.col(name), &whole.col(name)[r.clone()], "{name}");
    }
}

#[test]
fn a_file_inside_the_output_folder_is_written_with_the_run() {
    let (dir, path) = write_scenario(util::MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    let file = out.join("samples.parquet");
    for _ in 0..2 {
        util::run_into(
            "run",
            &[&path],
            &out,
            &["--samples-out", file.to_str().unwrap()],
        );
        assert_eq!(Table::read(&file).samples.len(), 1000);
    }
    // No temporary file is left anywhere.
    for folder in [dir.path(), out.as_path()] {
        let stray: Vec<String> = util::file_names(folder)
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
}

#[test]
fn bad_samples_out_paths_are_refused_before_sampling() {
    let (dir, path) = write_scenario(util::MINIMAL_SCENARIO);
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    // A file that is there and is not Parquet is not overwritten.
    let precious = dir.path().join("precious.parquet");
    std::fs::write(&precious, b"notes, not Parquet").unwrap();
    let cases = [
        (precious.clone(), "exists and is not a Parquet file"),
        (dir.path().join("samples.csv"), "ending in .parquet"),
        (dir.path().to_path_buf(), "ending in .parquet"),
        (dir.path().join("no/such/samples.parquet"), "no folder"),
        (blocker.join("samples.parquet"), "no folder"),
    ];
    for (target, message) in cases {
        let a = bin()
            .args([
                "run",
                path.to_str().unwrap(),
                "--samples",
                "1e12",
                "--quiet",
                "--out",
            ])
            .arg(dir.path().join("out"))
            .arg("--samples-out")
            .arg(&target)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.starts_with("error: --samples-out") && stderr.contains(message),
            "{}: {stderr}",
            target.display()
        );
    }
    assert!(!dir.path().join("out").exists());
    assert_eq!(std::fs::read(&precious).unwrap(), b"notes, not Parquet");
}

/// Ctrl-C while sampling: exit 130, the previous file untouched, no temporary file left.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_the_previous_file() {
    let (dir, path) = write_scenario(util::MINIMAL_SCENARIO);
    let file = dir.path().join("samples.parquet");
    // Parquet's magic first: a file that is not Parquet is refused before anything runs.
    std::fs::write(&file, b"PAR1 the previous file").unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_diffusion-sim"))
        .args([
            "run",
            path.to_str().unwrap(),
            "--samples",
            "1e10",
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .arg("--samples-out")
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert_eq!(std::fs::read(&file).unwrap(), b"PAR1 the previous file");
    let names = util::file_names(dir.path());
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

/// An empty file at the path (as `mktemp` leaves) holds nothing to lose: it is replaced.
#[test]
fn an_empty_file_at_the_path_is_replaced() {
    let (dir, path) = write_scenario(util::MINIMAL_SCENARIO);
    let file = dir.path().join("empty.parquet");
    std::fs::write(&file, b"").unwrap();
    bin()
        .args([
            "run",
            path.to_str().unwrap(),
            "--samples",
            "50",
            "--quiet",
            "--no-charts",
        ])
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--samples-out")
        .arg(&file)
        .assert()
        .success();
    assert!(std::fs::read(&file).unwrap().starts_with(b"PAR1"));
}
