//! End-to-end tests of what the charts show (`--title`, `--no-provenance`, `--actors`,
//! `--year-range`, `--cost-range`) on `run` and `plot`, of `plot` on every kind of output
//! folder, and of the comparison charts' key and text fitting the image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{bin, polygon_points};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs `diffusion-sim ARGS…` and checks that it succeeds.
fn ok(args: &[&str]) {
    bin().args(args).assert().success();
}

/// Runs `diffusion-sim ARGS…`, checks that it fails as bad input (exit code 2, no panic), and
/// returns its stderr.
fn refused(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err
}

/// Every SVG under `dir/charts`, by file name.
fn svgs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// The text elements of an SVG: `(x, font size as plotters writes it, anchor, bold, text)`.
fn texts(svg: &[u8]) -> Vec<(f64, f64, String, bool, String)> {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let num = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (
                num("x"),
                num("font-size"),
                n.attribute("text-anchor").unwrap_or("start").to_string(),
                n.attribute("font-weight") == Some("bold"),
                n.text().unwrap_or("").trim().to_string(),
            )
        })
        .collect()
}

fn all_text(svg: &[u8]) -> String {
    texts(svg)
        .into_iter()
        .map(|t| t.4)
        .collect::<Vec<_>>()
        .join("\n")
}

fn width_of(svg: &[u8]) -> f64 {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap()
}

/// Left-anchored text that runs past the right edge of the image.
fn cut_text(svg: &[u8]) -> Vec<String> {
    let w = width_of(svg);
    texts(svg)
        .into_iter()
        .filter(|(x, size, anchor, bold, text)| {
            // plotters writes a font of `s` pixels as font-size s / 1.24.
            let px = diffusion_sim::plot::text_width(text, size * 1.24, *bold) as f64;
            anchor == "start" && x + px > w + 1.0
        })
        .map(|t| t.4)
        .collect()
}

/// The baseline run into a fresh folder, SVG only, at 900 × 560.
fn baseline_run(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let mut args = vec![
        "run",
        scenario("baseline.toml")
            .to_str()
            .unwrap()
            .to_string()
            .leak(),
        "--samples",
        "1000",
        "--quiet",
        "--chart-format",
        "svg",
        "--width",
        "900",
        "--height",
        "560",
        "--out",
        out.to_str().unwrap().to_string().leak(),
    ];
    args.extend_from_slice(extra);
    ok(&args);
    (dir, out)
}

/// `ARGS… --samples SAMPLES` drawn as SVG at 900 × 560 into `out`, quietly; must succeed.
fn draw_small(args: &[&str], samples: &str, out: &Path) {
    let mut all = args.to_vec();
    all.extend(["--samples", samples, "--quiet", "--chart-format", "svg"]);
    all.extend([
        "--width",
        "900",
        "--height",
        "560",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&all);
}

/// `plot DIR ARGS…` with the size the folders here are drawn at.
fn replot(dir: &Path, extra: &[&str]) {
    let mut args = vec!["plot", dir.to_str().unwrap(), "--chart-format", "svg"];
    if !extra.contains(&"--width") {
        args.extend(["--width", "900", "--height", "560"]);
    }
    args.extend_from_slice(extra);
    ok(&args);
}

const CLASSES: [&str; 7] = [
    "Frontier labs",
    "Big tech",
    "Well-funded startups",
    "National governments",
    "Academic labs",
    "Open-source collectives",
    "Individuals",
];

#[test]
fn plot_redraws_every_kind_of_folder_as_its_command_drew_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let base = scenario("baseline.toml");
    let base = base.to_str().unwrap();
    let common = [
        "--samples",
        "600",
        "--quiet",
        "--chart-format",
        "svg",
        "--width",
        "900",
        "--height",
        "560",
        "--out",
    ];
    let run = |args: &[&str], folder: &str| {
        let mut v: Vec<&str> = args.to_vec();
        v.extend_from_slice(&common);
        let path = out(folder);
        v.push(path.to_str().unwrap());
        ok(&v);
    };
    run(&["run", base], "run");
    run(
        &[
            "sensitivity",
            base,
            "--target",
            "GPT-4 level",
            "--actor",
            "Academic labs",
        ],
        "sensitivity",
    );
    run(&["compare", "--budgets", "1M,100M,10B", base], "budgets");
    let hw = scenario("hardware_slowdown.toml");
    let pc = scenario("publication_closure.toml");
    run(
        &["compare", base, hw.to_str().unwrap(), pc.to_str().unwrap()],
        "scenarios",
    );
    run(
        &["sweep", base, "--grid", "hardware.doubling_time_years=2,3"],
        "sweep",
    );
    for (folder, must) in [
        ("run", "cost_gpt_4_level.svg"),
        ("sensitivity", "tornado_gpt_4_level_academic_labs.svg"),
        ("budgets", "threshold_heatmap_gpt_4_level.svg"),
        ("scenarios", "compare_frontier_of_2030.svg"),
        (
            "sweep",
            "sweep_gpt_4_level_hardware_doubling_time_years.svg",
        ),
    ] {
        let folder = out(folder);
        let drawn = svgs(&folder);
        assert!(
            drawn.contains_key(must),
            "{}: {:?}",
            folder.display(),
            drawn.keys()
        );
        std::fs::remove_dir_all(folder.join("charts")).unwrap();
        replot(&folder, &[]);
        let redrawn = svgs(&folder);
        assert_eq!(
            drawn.keys().collect::<Vec<_>>(),
            redrawn.keys().collect::<Vec<_>>(),
            "{}",
            folder.display()
        );
        for (name, bytes) in &drawn {
            assert!(
                redrawn[name] == *bytes,
                "{}: {name} differs after plot",
                folder.display()
            );
            let cut = cut_text(bytes);
            assert!(
                cut.is_empty(),
                "{name}: text cut at the right edge: {cut:?}"
            );
        }
    }
    // A budgets comparison is redrawn as one: budgets are not drawn as if they were classes.
    assert!(!svgs(&out("budgets")).keys().any(|k| k.starts_with("cost_")));
}

#[test]
fn title_replaces_the_scenario_name_and_can_be_left_out() {
    let (_dir, out) = baseline_run(&["--title", "Figure 3"]);
    for (name, svg) in svgs(&out) {
        let text = all_text(&svg);
        assert!(text.contains("Figure 3"), "{name}");
        assert!(!text.contains("Baseline"), "{name}: {text}");
    }
    replot(&out, &["--title", ""]);
    let cost = all_text(&svgs(&out)["cost_gpt_4_level.svg"]);
    assert!(
        cost.lines().any(|l| l == "Cost of GPT-4 level"),
        "the bare title: {cost}"
    );
    replot(&out, &[]);
    let cost = all_text(&svgs(&out)["cost_gpt_4_level.svg"]);
    assert!(
        cost.lines()
            .any(|l| l.starts_with("Baseline") && l.ends_with("cost of GPT-4 level")),
        "{cost}"
    );
}

#[test]
fn no_provenance_drops_the_version_samples_and_seed() {
    let (_dir, out) = baseline_run(&[]);
    let version = format!("diffusion-sim {}", env!("CARGO_PKG_VERSION"));
    for (name, svg) in svgs(&out) {
        let text = all_text(&svg);
        assert!(
            text.contains(&format!("{version} · 1,000 samples, seed 42")),
            "{name}: {text}"
        );
    }
    replot(&out, &["--no-provenance"]);
    for (name, svg) in svgs(&out) {
        let text = all_text(&svg);
        assert!(
            !text.contains("seed") && !text.contains("samples") && !text.contains(&version),
            "{name}: {text}"
        );
    }
}

/// `rgb(r,g,b)`-free colour notation plotters writes: `#RRGGBB`.
fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

#[test]
fn actors_draws_only_the_chosen_classes_in_their_own_colours() {
    let (_dir, out) = baseline_run(&["--actors", "Big tech, Academic labs"]);
    let charts = svgs(&out);
    for stem in ["affordability", "cost", "components"] {
        let text = all_text(&charts[&format!("{stem}_gpt_4_level.svg")]);
        for class in CLASSES {
            let drawn = text.contains(class);
            let chosen = class == "Big tech" || class == "Academic labs";
            assert_eq!(drawn, chosen, "{stem}: {class}");
        }
    }
    // The components chart colours its components, not its classes.
    for stem in ["affordability", "cost"] {
        let svg_text = std::str::from_utf8(&charts[&format!("{stem}_gpt_4_level.svg")]).unwrap();
        // Each chosen class keeps the colour it has among all seven; the others' are absent.
        assert!(
            svg_text.contains(&hex((213, 94, 0))),
            "{stem}: Big tech's vermillion"
        );
        assert!(
            svg_text.contains(&hex((230, 159, 0))),
            "{stem}: Academic labs' orange"
        );
        for other in [(0, 114, 178), (184, 166, 0), (86, 180, 233)] {
            assert!(!svg_text.contains(&hex(other)), "{stem}: {other:?} drawn");
        }
    }
    // Unknown names are refused before anything is sampled, with the names there are.
    let err = refused(&[
        "run",
        scenario("baseline.toml").to_str().unwrap(),
        "--samples",
        "100",
        "--actors",
        "Big tech,Big Tech",
        "--out",
        out.join("x").to_str().unwrap(),
    ]);
    assert!(err.contains("\"Big Tech\""), "{err}");
    assert!(err.contains("\"Open-source collectives\""), "{err}");
    assert!(!out.join("x").exists());
    let err = refused(&["plot", out.to_str().unwrap(), "--actors", "Nobody"]);
    assert!(err.contains("\"Individuals\""), "{err}");
    // The frontier's project is its class's line: labelled as such wherever that class lands
    // among those shown, and gone with it.
    replot(&out, &["--actors", "Academic labs, Frontier labs"]);
    let cost = all_text(&svgs(&out)["cost_gpt_4_level.svg"]);
    assert!(cost.contains("Frontier labs (frontier project)"), "{cost}");
    assert!(!cost.contains("Big tech"), "{cost}");
    replot(&out, &["--actors", "Academic labs"]);
    let cost = all_text(&svgs(&out)["cost_gpt_4_level.svg"]);
    assert!(!cost.contains("frontier project"), "{cost}");
    assert!(cost.contains("Academic labs"), "{cost}");
}

/// The tick labels that are whole years.
fn year_ticks(svg: &[u8]) -> Vec<f64> {
    texts(svg)
        .into_iter()
        .filter_map(|t| {
            let s = t.4.trim().to_string();
            (s.len() == 4).then(|| s.parse::<f64>().ok()).flatten()
        })
        .collect()
}

/// `$1K` → 1e3 … `$100T` → 1e14; `None` for other text.
fn dollars(label: &str) -> Option<f64> {
    let s = label.strip_prefix('$')?;
    let (num, scale) = match s.chars().last()? {
        'K' => (&s[..s.len() - 1], 1e3),
        'M' => (&s[..s.len() - 1], 1e6),
        'B' => (&s[..s.len() - 1], 1e9),
        'T' => (&s[..s.len() - 1], 1e12),
        _ => (s, 1.0),
    };
    Some(num.parse::<f64>().ok()? * scale)
}

#[test]
fn year_and_cost_ranges_set_the_axes() {
    let (_dir, out) = baseline_run(&[]);
    let wide = svgs(&out);
    let ticks = year_ticks(&wide["affordability_gpt_4_level.svg"]);
    assert!(ticks.iter().any(|y| *y > 2045.0), "{ticks:?}");
    replot(
        &out,
        &["--year-range", "2030:2040", "--cost-range", "1K:1T"],
    );
    let narrow = svgs(&out);
    for stem in ["affordability", "cost", "components"] {
        let ticks = year_ticks(&narrow[&format!("{stem}_gpt_4_level.svg")]);
        assert!(
            ticks.contains(&2030.0) && ticks.contains(&2040.0),
            "{stem}: {ticks:?}"
        );
        assert!(
            ticks.iter().all(|y| (2030.0..=2040.0).contains(y)),
            "{stem}: {ticks:?}"
        );
    }
    let ticks = year_ticks(&narrow["processes.svg"]);
    assert!(
        ticks.iter().all(|y| (2030.0..=2040.0).contains(y)),
        "{ticks:?}"
    );
    for target in ["gpt_4_level", "frontier_of_2030"] {
        let labels: Vec<f64> = texts(&narrow[&format!("cost_{target}.svg")])
            .iter()
            .filter_map(|t| dollars(&t.4))
            .collect();
        assert!(
            labels.contains(&1e3) && labels.contains(&1e12),
            "{labels:?}"
        );
        assert!(
            labels.iter().all(|v| (1e3..=1e12).contains(v)),
            "{labels:?}"
        );
    }
    // Without a cost range the axis is the data's: wider than $1K–$1T for GPT-4 level's cost.
    let labels: Vec<f64> = texts(&wide["cost_frontier_of_2030.svg"])
        .iter()
        .filter_map(|t| dollars(&t.4))
        .collect();
    assert!(
        labels.iter().any(|v| !(1e3..=1e12).contains(v)),
        "{labels:?}"
    );
}

#[test]
fn bad_chart_options_are_refused_with_exit_code_2() {
    let (_dir, out) = baseline_run(&["--no-provenance"]);
    let dir = out.to_str().unwrap();
    let base = scenario("baseline.toml");
    let base = base.to_str().unwrap();
    for (args, says) in [
        (vec!["--year-range", "2040:2030"], "before"),
        (vec!["--year-range", "2030"], "FROM:TO"),
        (vec!["--year-range", "NaN:2040"], "not a calendar year"),
        (vec!["--year-range", "2070:2080"], "outside"),
        (
            vec!["--year-range", "2030.2:2030.8"],
            "holds 0 of the reporting years",
        ),
        (vec!["--cost-range", "0:1T"], "positive"),
        (vec!["--cost-range", "1T:1K"], "below"),
        (vec!["--cost-range", "1K:1e999"], "not an amount"),
        (vec!["--cost-range", "-1K:1K"], "positive"),
        (vec!["--actors", ""], "empty"),
        (vec!["--actors", "Big tech,,Individuals"], "empty"),
    ] {
        let mut v = vec!["plot", dir];
        v.extend(args.iter().copied());
        let err = refused(&v);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // Options that would do nothing. (Small runs into a temporary folder, should one start.)
    let tmp = out.parent().unwrap().join("refused");
    let safe = ["--samples", "50", "--quiet", "--out", tmp.to_str().unwrap()];
    let with_safe = |args: &[&str]| -> String {
        let mut v = args.to_vec();
        v.extend(safe);
        refused(&v)
    };
    let err = with_safe(&["run", base, "--no-charts", "--title", "T"]);
    assert!(
        err.contains("--title") && err.contains("--no-charts"),
        "{err}"
    );
    let partial = out.parent().unwrap().join("p.json");
    let err = refused(&[
        "run",
        base,
        "--samples",
        "50",
        "--shard",
        "1/2",
        "--partial",
        partial.to_str().unwrap(),
        "--no-provenance",
    ]);
    assert!(
        err.contains("--no-provenance") && err.contains("merge"),
        "{err}"
    );
    assert!(!partial.exists());
    let err = with_safe(&[
        "compare",
        base,
        scenario("hardware_slowdown.toml").to_str().unwrap(),
        "--cost-range",
        "1K:1T",
    ]);
    assert!(err.contains("--cost-range"), "{err}");
    let err = with_safe(&[
        "sweep",
        base,
        "--grid",
        "costs.overhead=2,3",
        "--year-range",
        "2030:2040",
    ]);
    assert!(
        err.contains("--year-range") && err.contains("sweep"),
        "{err}"
    );
    assert!(!tmp.exists());
}

#[test]
fn five_scenarios_each_have_a_key_entry_and_the_text_fits() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("five");
    let names = [
        "baseline.toml",
        "hardware_slowdown.toml",
        "publication_closure.toml",
        "export_controls.toml",
        "compute_sponsorship.toml",
    ];
    let paths: Vec<String> = names
        .iter()
        .map(|n| scenario(n).to_str().unwrap().to_string())
        .collect();
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(paths.iter().map(String::as_str));
    args.extend([
        "--samples",
        "300",
        "--quiet",
        "--chart-format",
        "svg",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&args);
    for (w, h) in [("1200", "750"), ("900", "560")] {
        replot(&out, &["--width", w, "--height", h]);
        let charts = svgs(&out);
        assert!(!charts.is_empty());
        for (name, svg) in charts {
            let text = all_text(&svg);
            for n in names {
                let stem = n.trim_end_matches(".toml");
                assert!(
                    text.lines().any(|l| l == stem),
                    "{name} at {w}: no key for {stem}"
                );
            }
            let cut = cut_text(&svg);
            assert!(
                cut.is_empty(),
                "{name} at {w}: cut at the right edge: {cut:?}"
            );
            // Every panel carries every scenario's marker in the class's colour: five shapes.
            for colour in ["#D55E00", "#009E73"] {
                let shapes = marker_shapes(&svg, colour);
                for shape in [
                    "circle",
                    "triangle up",
                    "square",
                    "diamond",
                    "triangle down",
                ] {
                    assert!(
                        shapes.contains(&shape),
                        "{name} at {w}: no {shape} in {colour}"
                    );
                }
            }
        }
    }
}

/// The marker shapes filled with `colour` in an SVG: circles, and polygons told apart by their
/// corners (three: a triangle pointing up or down; four: a square, or a diamond).
fn marker_shapes(svg: &[u8], colour: &str) -> Vec<&'static str> {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut shapes = Vec::new();
    for n in doc.descendants() {
        if n.attribute("fill") != Some(colour) {
            continue;
        }
        if n.has_tag_name("circle") {
            shapes.push("circle");
        } else if n.has_tag_name("polygon") {
            let points: Vec<(f64, f64)> = polygon_points(&n);
            let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
            let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
            let on_top = ys.iter().filter(|y| **y == top).count();
            match (points.len(), on_top) {
                // A triangle's apex is alone on its row; a square has a top edge.
                (3, 1) => shapes.push("triangle up"),
                (3, _) => shapes.push("triangle down"),
                (4, 2) => shapes.push("square"),
                (4, _) => shapes.push("diamond"),
                _ => {}
            }
        }
    }
    shapes
}

#[test]
fn titles_and_subtitles_of_a_run_fit_at_both_sizes() {
    let title = "Figure 4, a long title as a paper may want it: diffusion under recent trends";
    let (_dir, out) = baseline_run(&["--title", title]);
    for size in [["900", "560"], ["1200", "750"]] {
        replot(
            &out,
            &["--title", title, "--width", size[0], "--height", size[1]],
        );
        for (name, svg) in svgs(&out) {
            let cut = cut_text(&svg);
            assert!(cut.is_empty(), "{name} at {}: {cut:?}", size[0]);
            // The title is wrapped, not shrunk: its first line starts it.
            assert!(
                texts(&svg)
                    .iter()
                    .any(|t| t.4.starts_with("Figure 4") && t.4 != title),
                "{name}"
            );
        }
    }
}

/// Three classes outside the standard seven: their colours come from their names, and two of
/// them always start from the same place (there are two), so one moves on to a free colour.
const THREE_LABS: &str = r#"[scenario]
name = "Labs"
start_year = 2025.0
end_year = 2040.0
samples = 400
seed = 7

[hardware]
flop_per_dollar = 1e18
doubling_time_years = 2.5

[algorithms]
halving_time_years = "0.5 to 1.5"

[investment]
frontier_spend = "$100M to $1B"
growth_per_year = 2.0

[[actor]]
name = "Lab A"
budget = "$1M to $10M"

[[actor]]
name = "Lab B"
budget = "$10M to $100M"

[[actor]]
name = "Lab C"
budget = "$100K to $1M"

[[target]]
name = "Big model"
flop = 1e26
flop_year = 2024.0
"#;

/// The fill of the text that starts with `label`.
fn text_fill(svg: &[u8], label: &str) -> String {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .find(|n| n.has_tag_name("text") && n.text().unwrap_or("").trim().starts_with(label))
        .and_then(|n| n.attribute("fill"))
        .unwrap_or_else(|| panic!("no text {label}"))
        .to_string()
}

/// The fills of the markers (circles) in an SVG, but their white rims and the key's grey.
fn circle_fills(svg: &[u8]) -> std::collections::BTreeSet<String> {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("circle"))
        .filter_map(|n| n.attribute("fill"))
        .filter(|f| *f != "#FFFFFF" && *f != "#3C3C3C")
        .map(str::to_string)
        .collect()
}

#[test]
fn a_class_shown_alone_keeps_its_colour() {
    let dir = tempfile::tempdir().unwrap();
    let labs = dir.path().join("labs.toml");
    std::fs::write(&labs, THREE_LABS).unwrap();
    let other = dir.path().join("labs_slow.toml");
    std::fs::write(
        &other,
        THREE_LABS.replace("doubling_time_years = 2.5", "doubling_time_years = 3.5"),
    )
    .unwrap();
    let (run, cmp) = (dir.path().join("run"), dir.path().join("cmp"));
    let svg = ["--quiet", "--chart-format", "svg", "--out"];
    let mut args = vec!["run", labs.to_str().unwrap()];
    args.extend(svg);
    args.push(run.to_str().unwrap());
    ok(&args);
    let mut args = vec!["compare", labs.to_str().unwrap(), other.to_str().unwrap()];
    args.extend(svg);
    args.push(cmp.to_str().unwrap());
    ok(&args);
    let budgets = dir.path().join("budgets");
    let mut args = vec![
        "compare",
        "--budgets",
        "100K,1M,10M,100M",
        labs.to_str().unwrap(),
    ];
    args.extend(svg);
    args.push(budgets.to_str().unwrap());
    ok(&args);
    let heatmap = svgs(&budgets)["threshold_heatmap_big_model.svg"].clone();
    let all = &svgs(&run)["affordability_big_model.svg"];
    let colours: Vec<String> = ["Lab A", "Lab B", "Lab C"]
        .iter()
        .map(|l| text_fill(all, l))
        .collect();
    let distinct: std::collections::BTreeSet<&String> = colours.iter().collect();
    assert_eq!(distinct.len(), 3, "{colours:?}");
    for (lab, colour) in ["Lab A", "Lab B", "Lab C"].iter().zip(&colours) {
        replot(&run, &["--actors", lab]);
        let alone = &svgs(&run)["affordability_big_model.svg"];
        assert_eq!(&text_fill(alone, lab), colour, "{lab} in the run's chart");
        // The heatmap marks the classes' budgets in the same colours.
        assert_eq!(&text_fill(&heatmap, lab), colour, "{lab} on the heatmap");
        replot(&budgets, &["--actors", lab]);
        let alone = &svgs(&budgets)["threshold_heatmap_big_model.svg"];
        assert_eq!(&text_fill(alone, lab), colour, "{lab} alone on the heatmap");
        replot(&cmp, &["--actors", lab]);
        let fills = circle_fills(&svgs(&cmp)["compare_big_model.svg"]);
        assert_eq!(
            fills.into_iter().collect::<Vec<_>>(),
            vec![colour.clone()],
            "{lab} in the comparison"
        );
    }
}

#[test]
fn a_sweep_takes_a_title_no_provenance_and_a_choice_of_classes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let base = scenario("baseline.toml");
    ok(&[
        "sweep",
        base.to_str().unwrap(),
        "--grid",
        "hardware.doubling_time_years=2,3",
        "--samples",
        "300",
        "--quiet",
        "--chart-format",
        "svg",
        "--out",
        out.to_str().unwrap(),
    ]);
    let before = svgs(&out);
    for (name, svg) in &before {
        let text = all_text(svg);
        assert!(
            text.contains("300 samples per point, seed 42") && text.contains("Academic labs"),
            "{name}: {text}"
        );
    }
    replot(
        &out,
        &[
            "--title",
            "Figure 6",
            "--no-provenance",
            "--actors",
            "Big tech,Individuals",
        ],
    );
    let after = svgs(&out);
    assert_eq!(before.len(), after.len());
    for (name, svg) in after {
        let text = all_text(&svg);
        assert!(text.contains("Figure 6"), "{name}: {text}");
        assert!(
            !text.contains("seed") && !text.contains("Baseline"),
            "{name}: {text}"
        );
        for class in CLASSES {
            let chosen = class == "Big tech" || class == "Individuals";
            assert_eq!(text.contains(class), chosen, "{name}: {class}");
        }
    }
}

/// The GPT-3 hindcast at 900 × 560, SVG only: classes afford GPT-3 from its first year and
/// five observed points crowd into 2021–2023.
fn hindcast_at_900() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    draw_small(
        &["run", scenario("gpt3_hindcast.toml").to_str().unwrap()],
        "1000",
        &out,
    );
    let charts = svgs(&out);
    (dir, charts)
}

/// Every element named `tag` of an SVG, as its attributes.
fn elements(svg: &[u8], tag: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .map(|n| {
            n.attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn every_median_cost_meets_budget_dot_shows_when_they_share_a_place() {
    let (_dir, charts) = hindcast_at_900();
    let svg = &charts["cost_gpt_3_level.svg"];
    let num = |e: &BTreeMap<String, String>, k: &str| e[k].parse::<f64>().unwrap();
    // The dots: coloured circles (the lines' joins are 1-pixel circles, the rims white).
    let dots: Vec<(f64, f64, f64, String)> = elements(svg, "circle")
        .into_iter()
        .filter(|e| num(e, "r") >= 3.0 && e["fill"] != "#FFFFFF")
        .map(|e| {
            (
                num(&e, "cx"),
                num(&e, "cy"),
                num(&e, "r"),
                e["fill"].clone(),
            )
        })
        .collect();
    let at_start: Vec<_> = dots
        .iter()
        .filter(|d| dots.iter().filter(|o| o.0 == d.0 && o.1 == d.1).count() > 1)
        .collect();
    assert!(at_start.len() >= 2, "{dots:?}");
    // Dots at one place are rings of different sizes: none hides another.
    for (i, a) in at_start.iter().enumerate() {
        for b in &at_start[i + 1..] {
            if a.0 == b.0 && a.1 == b.1 {
                assert!((a.2 - b.2).abs() >= 2.0, "{} under {}", a.3, b.3);
            }
        }
    }
}

#[test]
fn observed_labels_never_cover_another_point() {
    let (_dir, charts) = hindcast_at_900();
    let svg = &charts["cost_gpt_3_level.svg"];
    // The marks' white halos (diamonds) and the labels' boxes (white at 0.88).
    let centres: Vec<(f64, f64)> = elements(svg, "polygon")
        .into_iter()
        .filter(|e| e["fill"] == "#FFFFFF")
        .filter_map(|e| {
            let pts: Vec<(f64, f64)> = e["points"]
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            (pts.len() == 4).then(|| (pts[0].0, pts[1].1))
        })
        .collect();
    assert!(centres.len() >= 5, "{centres:?}");
    let num = |e: &BTreeMap<String, String>, k: &str| e[k].parse::<f64>().unwrap();
    let boxes: Vec<_> = elements(svg, "rect")
        .into_iter()
        .filter(|e| e.get("opacity").map(String::as_str) == Some("0.88"))
        .map(|e| {
            (
                num(&e, "x"),
                num(&e, "y"),
                num(&e, "width"),
                num(&e, "height"),
            )
        })
        .collect();
    assert_eq!(boxes.len(), centres.len());
    for (x, y, w, h) in &boxes {
        for (cx, cy) in &centres {
            let inside = *cx > x - 4.0 && *cx < x + w + 4.0 && *cy > y - 4.0 && *cy < y + h + 4.0;
            assert!(
                !inside,
                "a label box at ({x}, {y}) covers the mark at ({cx}, {cy})"
            );
        }
    }
}

/// Checks that the longest of the labels beside the plot (the texts `is_label` picks) ends
/// near the image's right edge, neither cut nor beside an empty column.
fn labels_fill_their_column(name: &str, svg: &[u8], is_label: impl Fn(&str) -> bool) {
    let w = width_of(svg);
    let end = texts(svg)
        .into_iter()
        .filter(|t| t.2 == "start" && is_label(&t.4))
        .map(|(x, size, _, bold, text)| {
            x + diffusion_sim::plot::text_width(&text, size * 1.24, bold) as f64
        })
        .fold(0.0, f64::max);
    assert!(end > 0.0, "{name}: no labels");
    assert!(end <= w, "{name}: cut at {end}");
    assert!(
        w - end < 30.0,
        "{name}: {:.0} px empty beside the labels",
        w - end
    );
}

#[test]
fn affordability_labels_leave_no_empty_column() {
    let (_dir, out) = baseline_run(&[]);
    for (name, svg) in svgs(&out) {
        if name.starts_with("affordability_") {
            labels_fill_their_column(&name, &svg, |t| CLASSES.iter().any(|c| t.starts_with(c)));
        }
    }
    // The budgets' curves: short labels, a narrow column.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    draw_small(
        &[
            "compare",
            "--budgets",
            "1M,100M",
            scenario("baseline.toml").to_str().unwrap(),
        ],
        "1000",
        &out,
    );
    for (name, svg) in svgs(&out) {
        if name.starts_with("threshold_curves_") {
            labels_fill_their_column(&name, &svg, |t| t == "$1M" || t == "$100M");
        }
    }
}

#[test]
fn no_text_is_cut_in_any_chart_of_a_shipped_scenario_at_900() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "bench"));
    let mut seen = 0;
    for path in scenarios {
        let out = dir.path().join(path.file_stem().unwrap());
        draw_small(&["run", path.to_str().unwrap()], "500", &out);
        for (name, svg) in svgs(&out) {
            let cut = cut_text(&svg);
            assert!(cut.is_empty(), "{}: {name}: {cut:?}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 100, "{seen} charts");
}
