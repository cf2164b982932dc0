//! `[[observed]]` points and the charts of issue 16 read at the SVG level: observed costs as
//! diamonds at (date, cost), observed dates as ticks on a class's curve, the frontier's line on
//! the budgets' basis, light budget bands, the lag trend without two-point lines and with its
//! beyond-horizon markers, tornado drivers that can matter, readable contour labels. Positions
//! are checked against the axes' own tick labels, so a mark at the wrong place fails.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::util::{MINIMAL_SCENARIO, csv_rows, replace_once, write_scenario};

fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").unwrap()
}

/// The minimal scenario with a fixed overhead of 4 and two observed costs: one of the lab's for
/// the target (whole project) and one of no target (a final run).
fn observed_scenario() -> String {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "[[actor]]",
        "[costs]\noverhead = 4\n\n[[actor]]",
    );
    format!(
        "{text}
[[observed]]
label = \"A lab's run\"
target = \"Big model\"
actor = \"Lab\"
date = \"2030-07\"
value = \"$1M\"
source = \"a test\"

[[observed]]
label = \"Another\"
date = 2035
value = \"$100M\"
basis = \"final_run\"
source = \"a test\"
"
    )
}

fn run_svg(text: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    bin()
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--chart-format", "svg", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (dir, out)
}

/// An SVG's text elements: `(x, y, text-anchor, fill, text)`.
fn texts(svg: &str) -> Vec<(f64, f64, String, String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let a = |k: &str| n.attribute(k).map(str::to_string);
            Some((
                a("x")?.parse().ok()?,
                a("y")?.parse().ok()?,
                a("text-anchor").unwrap_or_default(),
                a("fill").unwrap_or_default(),
                n.text()?.trim().to_string(),
            ))
        })
        .collect()
}

/// Shapes of one tag (`polygon`, `polyline`): `(fill, stroke, opacity, stroke-width, points)`.
type Shape = (String, String, f64, f64, Vec<(f64, f64)>);

fn shapes(svg: &str, tag: &str) -> Vec<Shape> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .map(|n| {
            let a = |k: &str| n.attribute(k).unwrap_or_default().to_string();
            let points = a("points")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            (
                a("fill"),
                a("stroke"),
                a("opacity").parse().unwrap_or(1.0),
                a("stroke-width").parse().unwrap_or(1.0),
                points,
            )
        })
        .collect()
}

/// A linear map fitted to two (value, pixel) ticks.
fn axis(ticks: &[(f64, f64)]) -> impl Fn(f64) -> f64 + use<> {
    let ((v0, p0), (v1, p1)) = (ticks[0], ticks[ticks.len() - 1]);
    move |v| p0 + (v - v0) * (p1 - p0) / (v1 - v0)
}

/// The year axis (x pixel of a year) from the year tick labels.
fn year_axis(svg: &str) -> impl Fn(f64) -> f64 + use<> {
    let ticks: Vec<(f64, f64)> = texts(svg)
        .into_iter()
        .filter(|t| t.2 == "middle")
        .filter_map(|t| {
            let y: f64 = t.4.parse().ok()?;
            (1900.0..2200.0).contains(&y).then_some((y, t.0))
        })
        .collect();
    assert!(ticks.len() >= 2, "year ticks");
    axis(&ticks)
}

/// The log dollar axis (y pixel of log10 dollars) from the dollar tick labels.
fn dollar_axis(svg: &str) -> impl Fn(f64) -> f64 + use<> {
    let ticks: Vec<(f64, f64)> = texts(svg)
        .into_iter()
        .filter(|t| t.2 == "end")
        .filter_map(|t| {
            let v = match t.4.as_str() {
                "$1" => 1.0,
                "$10" => 10.0,
                "$100" => 100.0,
                "$1K" => 1e3,
                "$10K" => 1e4,
                "$100K" => 1e5,
                "$1M" => 1e6,
                "$10M" => 1e7,
                "$100M" => 1e8,
                "$1B" => 1e9,
                "$10B" => 1e10,
                "$100B" => 1e11,
                _ => return None,
            };
            Some((f64::log10(v), t.1))
        })
        .collect();
    assert!(ticks.len() >= 2, "dollar ticks");
    axis(&ticks)
}

fn centre(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// An observed cost is a diamond centred at (its date, its cost) on the cost chart, filled for a
/// whole-project figure and hollow (white inside a ring) for a final run, each labelled beside
/// it; the observed point of no target is on the target's chart too.
#[test]
fn observed_costs_are_diamonds_at_their_date_and_cost() {
    let (_dir, out) = run_svg(&observed_scenario(), &[]);
    let svg = std::fs::read_to_string(out.join("charts/cost_big_model.svg")).unwrap();
    let (x, y) = (year_axis(&svg), dollar_axis(&svg));
    let diamonds: Vec<Shape> = shapes(&svg, "polygon")
        .into_iter()
        .filter(|s| s.4.len() == 4 && s.2 == 1.0)
        .collect();
    let at = |year: f64, dollars: f64| {
        let (px, py) = (x(year), y(dollars.log10()));
        diamonds
            .iter()
            .filter(|s| {
                let (cx, cy) = centre(&s.4);
                (cx - px).abs() <= 1.5 && (cy - py).abs() <= 1.5
            })
            .map(|s| s.0.clone())
            .collect::<Vec<_>>()
    };
    // "2030-07" is the start of July, 2030 + 181/365; the lab's diamond is filled in a colour
    // other than the white halo.
    let lab = at(2030.0 + 181.0 / 365.0, 1e6);
    assert!(
        lab.iter().any(|f| f != "#FFFFFF") && lab.contains(&"#FFFFFF".to_string()),
        "{lab:?}"
    );
    // The final run: only white (its ring is a line), at 2035 and $100M.
    assert_eq!(at(2035.0, 1e8), vec!["#FFFFFF".to_string()]);
    let rings = shapes(&svg, "polyline")
        .into_iter()
        .filter(|s| s.4.len() == 5 && s.4[0] == s.4[4])
        .filter(|s| {
            let (cx, cy) = centre(&s.4[..4]);
            (cx - x(2035.0)).abs() <= 1.5 && (cy - y(8.0)).abs() <= 1.5
        })
        .count();
    assert_eq!(rings, 1, "the hollow diamond's ring");
    // Nowhere else.
    assert!(at(2030.0 + 181.0 / 365.0, 1e8).is_empty() && at(2035.0, 1e6).is_empty());
    let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.4).collect();
    assert!(
        labels.contains(&"A lab&apos;s run · $1M".to_string())
            || labels.contains(&"A lab's run · $1M".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"Another · $100M final run".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"observed (scenario)".to_string()),
        "the key"
    );
}

/// With a fixed overhead and no class on the frontier's budget, the frontier's dashed line is the
/// frontier's whole project, overhead × the largest run (`4 × frontier_spend` of
/// trajectories.csv), on the budgets' basis, not the final run alone.
#[test]
fn the_frontier_line_is_the_frontier_project() {
    let (_dir, out) = run_svg(&observed_scenario(), &[]);
    let svg = std::fs::read_to_string(out.join("charts/cost_big_model.svg")).unwrap();
    let (x, y) = (year_axis(&svg), dollar_axis(&svg));
    let spend: Vec<(f64, f64)> = csv_rows(&out.join("trajectories.csv"))
        .iter()
        .filter(|r| r["series"] == "frontier_spend")
        .map(|r| (r["year"].parse().unwrap(), r["p50"].parse().unwrap()))
        .collect();
    let path = |m: f64| -> Vec<(f64, f64)> {
        spend
            .iter()
            .map(|(yr, v)| (x(*yr), y(f64::log10(m * v))))
            .collect()
    };
    let on = |p: (f64, f64), line: &[(f64, f64)]| {
        line.windows(2).any(|w| {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            p.0 >= x0 - 0.5
                && p.0 <= x1 + 0.5
                && (y0 + (p.0 - x0) * (y1 - y0) / (x1 - x0) - p.1).abs() <= 1.5
        })
    };
    let (left, right) = (x(2025.0), x(2040.0));
    let dashes: Vec<Shape> = shapes(&svg, "polyline")
        .into_iter()
        .filter(|s| s.1 == "#5A5A5A" && s.4.len() == 2)
        .filter(|s| s.4.iter().all(|p| p.0 >= left - 0.5 && p.0 <= right + 0.5))
        .collect();
    assert!(dashes.len() > 20, "{}", dashes.len());
    let project = path(4.0);
    let final_run = path(1.0);
    for d in &dashes {
        assert!(
            d.4.iter().all(|p| on(*p, &project)),
            "a dash off 4 × the spend: {:?}",
            d.4
        );
        assert!(!d.4.iter().all(|p| on(*p, &final_run)));
    }
    let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.4).collect();
    assert!(labels.contains(&diffusion_sim::plot::SPEND_LABEL.to_string()));
}

/// In the baseline, whose Frontier labs' budget is the frontier's project, that class's line is
/// the frontier (labelled so) and no line of the final run alone is drawn; bands: the cost's 50%
/// and 90% and one light 50% band per class, no more.
#[test]
fn a_frontier_class_is_the_frontier_line_and_bands_are_few() {
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("run")
        .arg(&baseline)
        .args([
            "--samples",
            "1000",
            "--quiet",
            "--chart-format",
            "svg",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.join("charts/cost_frontier_of_2030.svg")).unwrap();
    let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.4).collect();
    assert!(labels.contains(&"Frontier labs (frontier project)".to_string()));
    assert!(
        !labels
            .iter()
            .any(|l| l.contains("frontier spend") || l.contains("largest run"))
    );
    assert!(
        !shapes(&svg, "polyline").iter().any(|s| s.1 == "#5A5A5A"
            && s.4.len() == 2
            && s.4[0].0 != s.4[1].0
            && s.4[0].1 != s.4[1].1),
        "a dashed frontier line"
    );
    let bands: Vec<Shape> = shapes(&svg, "polygon")
        .into_iter()
        .filter(|s| s.2 < 1.0 && s.4.len() > 4)
        .collect();
    assert_eq!(bands.len(), 2 + 7, "the cost's two bands and one per class");
    // Each class's band is its 50% band: its top edge at the first year is the budget's p75.
    let (x, y) = (year_axis(&svg), dollar_axis(&svg));
    let rows = csv_rows(&out.join("trajectories.csv"));
    let big_tech = rows
        .iter()
        .find(|r| r["series"] == "budget" && r["name"] == "Big tech" && r["year"] == "2025")
        .unwrap();
    let p75: f64 = big_tech["p75"].parse().unwrap();
    let p95: f64 = big_tech["p95"].parse().unwrap();
    let has_corner = |v: f64| {
        bands.iter().any(|b| {
            b.4.iter()
                .any(|p| (p.0 - x(2025.0)).abs() <= 1.0 && (p.1 - y(v.log10())).abs() <= 1.5)
        })
    };
    assert!(has_corner(p75));
    assert!(!has_corner(p95), "a 90% budget band");
}

/// An observed date of a class reaching the target is a vertical tick on that class's curve, at
/// P(affordable by then) interpolated between reporting years, labelled with that probability.
#[test]
fn an_observed_date_is_a_tick_on_its_class_curve() {
    let (_dir, out) = run_svg(&observed_scenario(), &[]);
    let svg = std::fs::read_to_string(out.join("charts/affordability_big_model.svg")).unwrap();
    let x = year_axis(&svg);
    let pct: Vec<(f64, f64)> = texts(&svg)
        .into_iter()
        .filter(|t| t.2 == "end")
        .filter_map(|t| Some((t.4.strip_suffix('%')?.parse::<f64>().ok()?, t.1)))
        .collect();
    let y = axis(&pct);
    let rows = csv_rows(&out.join("affordability.csv"));
    let p_at = |year: &str| -> f64 {
        let r = rows
            .iter()
            .find(|r| r["year"] == year && r["actor"] == "Lab")
            .unwrap();
        r["probability"].parse().unwrap()
    };
    // "2030-07" is the start of July: 2030 + 181/365.
    let date = 2030.0 + 181.0 / 365.0;
    let p = p_at("2030") + (date - 2030.0) * (p_at("2031") - p_at("2030"));
    let ticks: Vec<Shape> = shapes(&svg, "polyline")
        .into_iter()
        .filter(|s| s.4.len() == 2 && s.4[0].0 == s.4[1].0 && s.1 != "#FFFFFF")
        .filter(|s| (s.4[0].0 - x(date)).abs() <= 1.0)
        .collect();
    assert_eq!(ticks.len(), 1, "{ticks:?}");
    let mid = 0.5 * (ticks[0].4[0].1 + ticks[0].4[1].1);
    assert!(
        (mid - y(100.0 * p)).abs() <= 1.5,
        "{mid} vs {}",
        y(100.0 * p)
    );
    let label = texts(&svg)
        .into_iter()
        .map(|t| t.4)
        .find(|t| t.contains("run, Jul 2030 · "))
        .unwrap();
    let shown: f64 = label
        .rsplit(" · ")
        .next()
        .unwrap()
        .trim_end_matches(" by then")
        .trim_end_matches('%')
        .trim_start_matches('<')
        .parse()
        .unwrap();
    assert!((shown - 100.0 * p).abs() <= 0.51, "{label} vs {p}");
}

/// Observed points are data for the reader: every output but the charts, the saved scenario
/// and the manifest (which hashes it) is byte-identical with and without them.
#[test]
fn observed_points_change_no_number() {
    let with = observed_scenario();
    let without = with[..with.find("[[observed]]").unwrap()].to_string();
    let run = |text: &str| {
        let (dir, path) = write_scenario(text);
        let out = dir.path().join("out");
        bin()
            .arg("run")
            .arg(&path)
            .args(["--quiet", "--no-charts", "--samples", "3000", "--out"])
            .arg(&out)
            .assert()
            .success();
        (dir, out)
    };
    let ((_a, a), (_b, b)) = (run(&with), run(&without));
    let mut compared = 0;
    for e in std::fs::read_dir(&a).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if ["scenario.toml", "manifest.json"].contains(&name.as_str()) {
            continue;
        }
        assert_eq!(
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
            "{name}"
        );
        compared += 1;
    }
    assert!(compared >= 4, "{compared}");
}

/// Bad observed points are refused at their place, with their key, exit 2.
#[test]
fn bad_observed_points_are_refused_at_their_place() {
    let base = observed_scenario();
    // The valid points are listed by `validate`.
    let (_d, path) = write_scenario(&base);
    let ok = bin().arg("validate").arg(&path).assert().success();
    let stdout = String::from_utf8(ok.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("observed (2, drawn on the charts, not sampled):")
            && stdout.contains("  A lab's run: Lab, reached Big model, $1M in 2030.4959")
            && stdout.contains("  Another: $100M (final run) in 2035"),
        "{stdout}"
    );
    for (from, to, key, what) in [
        (
            "target = \"Big model\"",
            "target = \"Huge model\"",
            "observed.\"A lab's run\".target",
            "no [[target]] is named \"Huge model\"",
        ),
        (
            "actor = \"Lab\"",
            "actor = \"Labs\"",
            "observed.\"A lab's run\".actor",
            "no [[actor]] class is named \"Labs\"",
        ),
        (
            "date = \"2030-07\"",
            "date = \"2050-07\"",
            "observed.\"A lab's run\".date",
            "within the horizon",
        ),
        (
            "value = \"$1M\"",
            "value = \"$1M to $2M\"",
            "observed.\"A lab's run\".value",
            "not an interval",
        ),
        (
            "value = \"$1M\"",
            "value = -3",
            "observed.\"A lab's run\".value",
            "positive",
        ),
        (
            "basis = \"final_run\"",
            "basis = \"final\"",
            "observed.\"Another\".basis",
            "\"final_run\"",
        ),
        (
            "source = \"a test\"\n\n",
            "sauce = \"a test\"\n\n",
            "observed[1].sauce",
            "unknown key",
        ),
    ] {
        let text = replace_once(&base, from, to);
        let (dir, path) = write_scenario(&text);
        let _keep = dir;
        let a = bin().arg("validate").arg(&path).assert().code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        let at = text.find(to).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        assert!(
            stderr.contains(&format!(".toml:{line}:")) && stderr.contains(what),
            "{to}: {stderr}"
        );
        if !key.starts_with("observed[") {
            assert!(stderr.contains(&format!("`{key}`")), "{to}: {stderr}");
        }
        assert!(!stderr.contains("panick"), "{stderr}");
    }
    // A point without a source, or with neither a cost nor a target.
    let text = replace_once(
        &base,
        "source = \"a test\"\n\n[[observed]]",
        "\n[[observed]]",
    );
    let (_d, path) = write_scenario(&text);
    let a = bin().arg("validate").arg(&path).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains(".source`"));
    let text = replace_once(&base, "value = \"$100M\"\n", "");
    let text = replace_once(&text, "basis = \"final_run\"\n", "");
    let (_d, path) = write_scenario(&text);
    let a = bin().arg("validate").arg(&path).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains(".value`"));
}

/// A scenario with frontier-of-year targets for `years`, the lab out of reach in the later ones.
fn lag_scenario(years: &str) -> String {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "[[target]]\nname = \"Big model\"\nflop = 1e26\nflop_year = 2024.0\n",
        &format!("[[target]]\nname = \"Frontier\"\nfrontier_years = {years}\n"),
    );
    let text = replace_once(&text, "end_year = 2040.0", "end_year = 2045.0");
    let text = replace_once(
        &text,
        "budget = \"$1M to $10M\"\ngrowth_per_year = 1.2",
        "budget = \"$1K to $10K\"",
    );
    format!("{text}\n[[actor]]\nname = \"Big\"\nbudget = \"$1B to $3B\"\ngrowth_per_year = 2.0\n")
}

/// The lag trend: with two frontier years no line joins a class's two medians (it would draw a
/// straight trend from two points); a median beyond the horizon is an open triangle; with three
/// years thin lines guide the eye from median to median.
#[test]
fn the_lag_trend_draws_no_two_point_lines_and_marks_the_horizon() {
    let joins = |svg: &str| {
        shapes(svg, "polyline")
            .into_iter()
            .filter(|s| s.4.len() == 2 && (s.4[0].0 - s.4[1].0).abs() > 1.0 && s.3 > 1.0)
            .filter(|s| s.1 != "#5A5A5A" && s.1 != "#E1E1E1" && s.1 != "#000000")
            .count()
    };
    let (_d, out) = run_svg(&lag_scenario("[2030, 2035]"), &["--samples", "2000"]);
    let svg = std::fs::read_to_string(out.join("charts/lag_trend.svg")).unwrap();
    assert_eq!(joins(&svg), 0);
    let triangles = shapes(&svg, "polygon")
        .into_iter()
        .filter(|s| s.4.len() == 3 && s.0 == "#FFFFFF")
        .count();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let beyond = summary["affordability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["year"]["p50"].is_null())
        .count();
    assert!(beyond > 0, "the test needs a median beyond the horizon");
    assert_eq!(triangles, beyond);
    assert!(texts(&svg).iter().any(|t| t.4 == "horizon: not by 2045"));

    let (_d, out) = run_svg(&lag_scenario("[2028, 2030, 2032]"), &["--samples", "2000"]);
    let svg = std::fs::read_to_string(out.join("charts/lag_trend.svg")).unwrap();
    assert!(joins(&svg) > 0, "three years are joined");
}

/// `summary.json` says what its share means: not affordable by the horizon (`p_not_by_horizon`),
/// one minus `p_by_horizon`; no `p_never`.
#[test]
fn the_share_beyond_the_horizon_is_named_for_what_it_is() {
    let (_d, out) = crate::util::run_scenario(&observed_scenario(), &[]);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!text.contains("p_never"));
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    for p in summary["affordability"].as_array().unwrap() {
        let (a, b) = (
            p["p_not_by_horizon"].as_f64().unwrap(),
            p["p_by_horizon"].as_f64().unwrap(),
        );
        assert!((a + b - 1.0).abs() < 1e-12, "{a} + {b}");
    }
}

/// A frontier target's tornado lists no other target's FLOP: that input cannot move it. The
/// fixed-FLOP target's own tornado does list its own.
#[test]
fn tornado_drivers_can_affect_their_target() {
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("sensitivity")
        .arg(&baseline)
        .args([
            "--actor",
            "Big tech",
            "--samples",
            "300",
            "--quiet",
            "--chart-format",
            "svg",
            "--top",
            "200",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let csv = csv_rows(&out.join("sensitivity.csv"));
    let inputs = |target: &str| -> Vec<String> {
        csv.iter()
            .filter(|r| r["target"] == target)
            .map(|r| r["input"].clone())
            .collect()
    };
    let frontier = inputs("Frontier of 2030");
    assert!(!frontier.is_empty());
    assert!(
        !frontier
            .iter()
            .any(|i| i.starts_with("target.") && !i.starts_with("target.\"Frontier of 2030\"")),
        "{frontier:?}"
    );
    assert!(
        !frontier
            .iter()
            .any(|i| i.starts_with("actor.") && !i.starts_with("actor.\"Big tech\""))
    );
    assert!(inputs("GPT-4 level").contains(&"target.\"GPT-4 level\".flop".to_string()));
    let svg =
        std::fs::read_to_string(out.join("charts/tornado_frontier_of_2030_big_tech.svg")).unwrap();
    assert!(!svg.contains("GPT-4 level&quot;.flop") && !svg.contains("GPT-4 level\".flop"));
}

/// The heatmap's contour labels sit on a box of the opposite shade: white text on a dark box,
/// black on a light one, so "10%" reads over its white line.
#[test]
fn contour_labels_sit_on_a_box() {
    let (dir, path) = write_scenario(MINIMAL_SCENARIO);
    let out = dir.path().join("t");
    bin()
        .args([
            "compare",
            "--budgets-range",
            "$1K:$10B",
            "--quiet",
            "--chart-format",
            "svg",
            "--out",
        ])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.join("charts/threshold_heatmap_big_model.svg")).unwrap();
    // Boxes are polygons (the heatmap's rectangles are its cells): (fill, opacity, x, y, w, h).
    let rects: Vec<(String, f64, f64, f64, f64, f64)> = shapes(&svg, "polygon")
        .into_iter()
        .filter(|s| s.4.len() == 4)
        .map(|s| {
            let xs = s.4.iter().map(|p| p.0);
            let ys = s.4.iter().map(|p| p.1);
            let (x0, x1) = (
                xs.clone().fold(f64::INFINITY, f64::min),
                xs.fold(f64::NEG_INFINITY, f64::max),
            );
            let (y0, y1) = (
                ys.clone().fold(f64::INFINITY, f64::min),
                ys.fold(f64::NEG_INFINITY, f64::max),
            );
            (s.0, s.2, x0, y0, x1 - x0, y1 - y0)
        })
        .collect();
    let mut checked = 0;
    for t in texts(&svg).into_iter().filter(|t| {
        ["10%", "50%", "90%"].contains(&t.4.as_str())
            && ["#FFFFFF", "#000000"].contains(&t.3.as_str())
    }) {
        let want = if t.3 == "#FFFFFF" {
            "#000000"
        } else {
            "#FFFFFF"
        };
        assert!(
            rects.iter().any(|r| r.0 == want
                && r.1 < 1.0
                && r.2 <= t.0
                && t.0 <= r.2 + r.4
                && r.3 <= t.1
                && t.1 <= r.3 + r.5),
            "{} has no box",
            t.4
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked}");
}

/// The backtest writes each case's scored matches into its generated scenario as `[[observed]]`
/// points (on the milestone's cost basis, the scenario's), which that scenario accepts and
/// draws.
#[test]
fn backtest_scenarios_carry_their_matches() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt");
    bin()
        .args(["backtest", "--samples", "200", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("backtest.json")).unwrap()).unwrap();
    let gpt3: Vec<&serde_json::Value> = results["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["case"] == "gpt3")
        .collect();
    assert!(gpt3.len() >= 5);
    let path = out.join("scenarios/gpt3.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let scn = diffusion_sim::scenario::from_str(&path, &text).unwrap();
    assert_eq!(scn.observed.len(), gpt3.len());
    for m in &gpt3 {
        let o = scn
            .observed
            .iter()
            .find(|o| o.label == m["model"].as_str().unwrap())
            .unwrap();
        assert_eq!(o.value, m["observed"].as_f64());
        assert_eq!(o.actor.as_deref(), m["actor_class"].as_str());
        assert!((o.year - m["year"].as_f64().unwrap()).abs() < 1e-9);
    }
    let charts = dir.path().join("case");
    bin()
        .arg("run")
        .arg(&path)
        .args(["--quiet", "--chart-format", "svg", "--out"])
        .arg(&charts)
        .assert()
        .success();
    let svg = std::fs::read_to_string(
        std::fs::read_dir(charts.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("cost_")
                    && p.extension().unwrap() == "svg"
            })
            .unwrap(),
    )
    .unwrap();
    let filled = shapes(&svg, "polygon")
        .into_iter()
        .filter(|s| s.4.len() == 4 && s.2 == 1.0 && s.0 != "#FFFFFF" && s.0 != "#5A5A5A")
        .count();
    assert_eq!(filled, gpt3.len());
}
