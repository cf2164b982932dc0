//! End-to-end tests of report.html: `run --html` and `report DIR` write it, it loads nothing
//! from the network, its table numbers are times.csv's, scenario text is escaped, the same run
//! gives the same bytes whatever the thread count, and a folder that is not a run is refused.
//! (The browser test in web/tests/ checks the page's behaviour: tooltips, switching, print.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::util::{MINIMAL_SCENARIO, bin, csv_rows, replace_once, write_scenario};

/// A fixed report date (the reproducible-builds convention), so two reports compare byte for
/// byte even across midnight.
const EPOCH: &str = "1798761599";

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

/// Runs `run SCENARIO --html` with a small sample into `out`.
fn run_html(scenario: &Path, out: &Path, extra: &[&str]) {
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .arg(scenario)
        .args(["--samples", "2000", "--seed", "3", "--quiet", "--no-charts"])
        .args(["--html", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value of attribute `name` in the tag text `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')?;
    Some(tag[at..at + end].to_string())
}

/// Every start tag of element `element` in `html`, as text.
fn tags<'a>(html: &'a str, element: &str) -> Vec<&'a str> {
    let open = format!("<{element}");
    html.match_indices(&open)
        .filter_map(|(i, _)| {
            let rest = &html[i..];
            let next = rest[open.len()..].chars().next()?;
            (next == ' ' || next == '>').then(|| &rest[..rest.find('>').unwrap_or(rest.len())])
        })
        .collect()
}

/// The table cells' values: (target, actor, column) → (data-v, data-v2).
fn table_values(html: &str) -> HashMap<(String, String, String), (String, Option<String>)> {
    let mut out = HashMap::new();
    for (i, _) in html.match_indices("<section class=\"target\"") {
        let section = &html[i..];
        let target = html_unescape(&attr(section, "data-target").expect("data-target"));
        let table = &section[..section.find("</table>").expect("a table")];
        for row in table.split("<tr data-actor=\"").skip(1) {
            let actor = html_unescape(&row[..row.find('"').unwrap()]);
            for td in tags(row, "td") {
                let Some(col) = attr(td, "data-col") else {
                    continue;
                };
                let v = attr(td, "data-v").unwrap_or_default();
                out.insert(
                    (target.clone(), actor.clone(), col),
                    (v, attr(td, "data-v2")),
                );
            }
        }
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn run_html_and_report_write_the_same_page_with_times_csv_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_html(&baseline(), &out, &[]);
    let path = out.join("report.html");
    let html = read(&path);
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert!(html.contains("Baseline: recent trends continue"));
    assert!(html.contains("2026-12-31"), "the date of SOURCE_DATE_EPOCH");
    for section in ["targets", "lag-trend", "inputs", "scenario"] {
        assert!(
            html.contains(&format!("<section id=\"{section}\"")),
            "{section}"
        );
    }
    assert_eq!(html.matches("<section class=\"target\"").count(), 6);
    // The table's numbers are times.csv's, cell for cell.
    let cells = table_values(&html);
    let rows = csv_rows(&out.join("times.csv"));
    assert_eq!(rows.len(), 42);
    let num = |s: &str| -> Option<f64> { (!s.is_empty()).then(|| s.parse().unwrap()) };
    for r in &rows {
        let key = |col: &str| (r["target"].clone(), r["actor"].clone(), col.to_string());
        let get = |col: &str| {
            cells
                .get(&key(col))
                .unwrap_or_else(|| panic!("{:?}", key(col)))
        };
        assert_eq!(num(&get("p").0), num(&r["p_by_horizon"]), "{r:?}");
        assert_eq!(num(&get("median").0), num(&r["year_p50"]), "{r:?}");
        let (p5, p95) = get("interval");
        assert_eq!(num(p5), num(&r["year_p5"]), "{r:?}");
        assert_eq!(num(p95.as_deref().unwrap()), num(&r["year_p95"]), "{r:?}");
        if r["frontier_year"].is_empty() {
            assert!(!cells.contains_key(&key("lag")), "{r:?}");
        } else {
            assert_eq!(num(&get("lag").0), num(&r["lag_p50"]), "{r:?}");
        }
    }
    // `report` redraws the very same page from the folder.
    let before = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("report")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_page_loads_nothing_from_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_html(&baseline(), &out, &[]);
    let html = read(&out.join("report.html"));
    for element in ["link", "img", "iframe", "object", "embed", "audio", "video"] {
        assert!(tags(&html, element).is_empty(), "a <{element}> element");
    }
    for tag in tags(&html, "script") {
        assert_eq!(tag, "<script", "scripts are inline only");
    }
    let lower = html.to_lowercase();
    for needle in ["src=", "href=", "url(", "@import", "@font-face"] {
        assert!(!lower.contains(needle), "{needle} in the page");
    }
    // Any address at all may appear only as plain text (the scenario's comments cite sources).
    for (i, _) in lower.match_indices("http") {
        let before = &lower[i.saturating_sub(12)..i];
        assert!(
            !before.contains('='),
            "an address in an attribute: …{before}http…"
        );
    }
}

#[test]
fn scenario_text_is_escaped() {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "name = \"Lab\"",
        "name = \"<script>alert('class')</script>\"",
    );
    let text = replace_once(
        &text,
        "name = \"Minimal\"",
        "name = \"A & B <i>\"\ndescription = \"</title><b onmouseover=x>\"",
    );
    let text = replace_once(&text, "name = \"Big model\"", "name = \"\\\"><img src=x>\"");
    let (dir, path) = write_scenario(&text);
    let out = dir.path().join("out");
    run_html(&path, &out, &[]);
    let html = read(&out.join("report.html"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    for raw in ["<img", "<b onmouseover", "<i>", "</title><b"] {
        assert!(!html.contains(raw), "{raw} reached the page unescaped");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;class&#39;)&lt;/script&gt;"));
    assert!(html.contains("<h1>A &amp; B &lt;i&gt;</h1>"));
    assert!(html.contains("data-target=\"&quot;&gt;&lt;img src=x&gt;\""));
    let cells = table_values(&html);
    let key = (
        "\"><img src=x>".to_string(),
        "<script>alert('class')</script>".to_string(),
        "p".to_string(),
    );
    assert!(cells.contains_key(&key), "{:?}", cells.keys());
}

#[test]
fn the_same_run_gives_the_same_bytes_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run_html(&baseline(), &one, &["--threads", "1"]);
    run_html(&baseline(), &two, &["--threads", "2"]);
    // manifest.json records the thread count and the wall time; the report shows neither.
    assert_ne!(
        read(&one.join("manifest.json")),
        read(&two.join("manifest.json"))
    );
    let (a, b) = (
        std::fs::read(one.join("report.html")).unwrap(),
        std::fs::read(two.join("report.html")).unwrap(),
    );
    assert!(a == b, "report.html differs between --threads 1 and 2");
}

#[test]
fn sensitivity_adds_the_tornado_section() {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let plain = dir.path().join("plain");
    run_html(&path, &plain, &[]);
    assert!(!read(&plain.join("report.html")).contains("id=\"sensitivity\""));
    let with = dir.path().join("with");
    run_html(&path, &with, &["--sensitivity"]);
    let html = read(&with.join("report.html"));
    assert!(html.contains("id=\"sensitivity\""));
    assert!(html.contains("class=\"tornado\""));
    assert!(html.contains("sensitivity.csv"));
}

#[test]
fn report_refuses_a_folder_that_is_not_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let done = bin().arg("report").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert!(stderr.contains("no summary.json"), "{stderr}");
    assert!(!dir.path().join("report.html").exists());
    // A damaged summary is bad input, with the file and place named, not a panic.
    std::fs::write(dir.path().join("summary.json"), "{").unwrap();
    let done = bin().arg("report").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert!(stderr.contains("summary.json:1:1: damaged"), "{stderr}");
}

/// A run's file that is truncated, garbled or holds a number that is not finite is refused
/// (exit 2) naming the file and its line (and column where the parser gives one), never
/// skipped or drawn as NaN; report.html is left as it was.
#[test]
fn report_refuses_damaged_files_of_a_run_at_their_line() {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let out = dir.path().join("out");
    run_html(&path, &out, &["--sensitivity"]);
    let page = read(&out.join("report.html"));
    let trajectories = read(&out.join("trajectories.csv"));
    let nan_year = {
        let mut lines: Vec<String> = trajectories.lines().map(String::from).collect();
        let year = lines[0].split(',').position(|c| c == "year").unwrap();
        let mut cells: Vec<&str> = lines[1].split(',').collect();
        cells[year] = "NaN";
        lines[1] = cells.join(",");
        lines.join("\n")
    };
    let summary = read(&out.join("summary.json"));
    let cut = summary.find("\"affordability\"").unwrap() + 5;
    let (line, col) = crate::util::line_col(&summary, cut);
    for (file, damaged, expected) in [
        (
            "summary.json",
            summary[..cut].to_string(),
            // serde_json places an early end at the last character read.
            format!(
                "summary.json:{line}:{}: damaged, not valid JSON: EOF while parsing",
                col - 1
            ),
        ),
        (
            "trajectories.csv",
            trajectories[..trajectories.len() / 2].to_string(),
            "trajectories.csv:".to_string(),
        ),
        (
            "trajectories.csv",
            nan_year,
            "trajectories.csv:2: damaged: column `year`: \"NaN\" is not a finite number".into(),
        ),
        (
            "sensitivity.csv",
            "x\n".into(),
            "sensitivity.csv:1: damaged: no column `target` in its header".into(),
        ),
        (
            "scenario.toml",
            "[scenario]\nname = \n".into(),
            "scenario.toml:2:8: damaged, not a scenario diffusion-sim saved: not valid TOML".into(),
        ),
    ] {
        let original = read(&out.join(file));
        std::fs::write(out.join(file), &damaged).unwrap();
        let done = bin().arg("report").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
        assert!(
            stderr.starts_with("error: cannot make report.html from ")
                && stderr.contains(&expected),
            "{file}: {stderr}\nexpected {expected}"
        );
        assert_eq!(read(&out.join("report.html")), page, "{file}");
        std::fs::write(out.join(file), original).unwrap();
    }
    bin().arg("report").arg(&out).assert().success();
}

#[test]
fn html_with_a_shard_is_refused() {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let partial = dir.path().join("p1.json");
    let done = bin()
        .arg("run")
        .arg(&path)
        .args(["--shard", "1/2", "--html", "--partial"])
        .arg(&partial)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert!(stderr.contains("diffusion-sim report"), "{stderr}");
}

#[test]
fn cost_axes_below_a_dollar_read_as_cents() {
    // The GPT-3 hindcast's cost falls below $1 by its end.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gpt3");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gpt3_hindcast.toml");
    run_html(&scenario, &out, &[]);
    let html = read(&out.join("report.html"));
    assert!(!html.contains("$10⁻"), "a power of ten for cents");
    assert!(
        html.contains(">$0.1<") || html.contains(">$0.01<"),
        "no tick below $1"
    );
}

/// A horizon, reporting years and frontier years that are not whole years are labelled as
/// they are, never as the next whole year: the report's table reads "P(by 2041.6)" (not 2042),
/// the lag beyond the horizon of the frontier of 2033 is "> 8.6 y" (2041.6 − 2033, not "> 9 y"),
/// the tooltips name 2040.25, and the lag chart of the frontier of 2030.5 says so.
#[test]
fn fractional_years_are_labelled_as_they_are() {
    let text = r#"
[scenario]
name = "lagq"
start_year = 2025.3
end_year = 2041.6
samples = 2000
seed = 11
report_years = ["2031-07", 2040.25]

[hardware]
flop_per_dollar = 1e17
doubling_time_years = 2.5

[algorithms]
halving_time_years = 1.5

[investment]
frontier_spend = 1e8
growth_per_year = "1.5 to 3"

[[actor]]
name = "frontier"
budget = "frontier"

[[actor]]
name = "fixed"
budget = 1e6

[[target]]
name = "F"
frontier_years = [2030.5, 2033]
"#;
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    bin()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--html", "--chart-format", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = read(&out.join("report.html"));
    assert!(html.contains("P(by 2041.6)"), "no P(by 2041.6)");
    assert!(html.contains("&gt; 8.6 y"), "no > 8.6 y");
    assert!(html.contains("2040.25: "), "no tooltip at 2040.25");
    for wrong in ["2042", "&gt; 9 y"] {
        assert!(!html.contains(wrong), "{wrong} in the report");
    }
    let lag = read(&out.join("charts/lag_f_2030_5.svg"));
    assert!(lag.contains("run in 2030.5") && lag.contains("the horizon, 2041.6"));
    assert!(!lag.contains("2042"));
}
