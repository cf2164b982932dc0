//! End-to-end tests of the charts: `run` draws them, `plot` redraws them identically, they are
//! well-formed and readable, and the binary links no system library beyond libc and friends.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::util::{MINIMAL_SCENARIO, csv_rows, polygon_points, replace_once, write_scenario};

fn bin() -> Command {
    Command::cargo_bin("diffusion-sim").unwrap()
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
}

const ACTORS: [&str; 7] = [
    "Frontier labs",
    "Big tech",
    "Well-funded startups",
    "National governments",
    "Academic labs",
    "Open-source collectives",
    "Individuals",
];

/// Runs the baseline with a small sample and a small chart size into a fresh directory.
fn run_baseline(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "run",
            baseline().to_str().unwrap(),
            "--samples",
            "2000",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (dir, out)
}

fn targets_of(out: &Path) -> Vec<(String, bool)> {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let mut targets: Vec<(String, bool)> = Vec::new();
    for p in summary["affordability"].as_array().unwrap() {
        let name = p["target"].as_str().unwrap().to_string();
        if targets.last().is_none_or(|(n, _)| *n != name) {
            targets.push((name, !p["frontier_year"].is_null()));
        }
    }
    targets
}

fn slug(name: &str) -> String {
    diffusion_sim::plot::style::slug(name)
}

/// All text in an SVG document, joined.
fn svg_text(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}"));
    doc.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_chart_exists_parses_and_names_what_it_shows() {
    let (_dir, out) = run_baseline(&["--chart-format", "svg"]);
    let charts = out.join("charts");
    let targets = targets_of(&out);
    assert_eq!(targets.len(), 6);
    let title = "Baseline: recent trends continue";
    for (name, frontier) in &targets {
        let s = slug(name);
        let cost = svg_text(&std::fs::read(charts.join(format!("cost_{s}.svg"))).unwrap());
        for needle in [
            title,
            name.as_str(),
            "Year",
            "US dollars (log scale)",
            "$1M",
            "Frontier labs (frontier project)",
        ] {
            assert!(cost.contains(needle), "cost_{s}.svg lacks {needle:?}");
        }
        let afford =
            svg_text(&std::fs::read(charts.join(format!("affordability_{s}.svg"))).unwrap());
        for needle in [
            title,
            name.as_str(),
            "Year",
            "P(affordable by the year)",
            "50%",
            "100%",
        ] {
            assert!(
                afford.contains(needle),
                "affordability_{s}.svg lacks {needle:?}"
            );
        }
        // The baseline prices staff: each target has its components chart.
        let parts = svg_text(&std::fs::read(charts.join(format!("components_{s}.svg"))).unwrap());
        for needle in [
            format!("what {name} costs each class, by component"),
            title.to_string(),
            "compute".into(),
            "staff".into(),
            "100%".into(),
            // The axes' titles, shared by the panels.
            "Year".into(),
            "Mean share of the whole cost".into(),
        ] {
            assert!(
                parts.contains(&needle),
                "components_{s}.svg lacks {needle:?}"
            );
        }
        assert!(
            cost.contains("Whole cost (compute + staff)"),
            "cost_{s}.svg subtitle"
        );
        for actor in ACTORS {
            assert!(
                cost.contains(actor) && afford.contains(actor) && parts.contains(actor),
                "{actor} missing from the charts of {name}"
            );
        }
        let lag = charts.join(format!("lag_{s}.svg"));
        assert_eq!(lag.exists(), *frontier, "lag chart of {name}");
        if *frontier {
            let lag = svg_text(&std::fs::read(lag).unwrap());
            assert!(
                lag.contains(title) && lag.contains("Lag after") && lag.contains("beyond 2060")
                    || lag.contains("all by 2060")
            );
            for actor in ACTORS {
                assert!(
                    lag.contains(actor),
                    "{actor} missing from the lag chart of {name}"
                );
            }
        }
    }
    let processes = svg_text(&std::fs::read(charts.join("processes.svg")).unwrap());
    for needle in [
        title,
        "effective FLOP per dollar",
        "efficiency multiplier",
        "frontier spend",
        "Year",
    ] {
        assert!(processes.contains(needle), "processes.svg lacks {needle:?}");
    }
    // Only SVG was asked for.
    assert!(
        std::fs::read_dir(&charts)
            .unwrap()
            .all(|e| e.unwrap().path().extension().unwrap() == "svg")
    );
}

#[test]
fn pngs_decode_at_the_requested_size_and_are_not_blank() {
    let (_dir, out) = run_baseline(&["--chart-format", "png", "--width", "900", "--height", "560"]);
    let charts = out.join("charts");
    let mut count = 0;
    for entry in std::fs::read_dir(&charts).unwrap() {
        let path = entry.unwrap().path();
        let img = image::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .to_rgb8();
        assert_eq!(img.dimensions(), (900, 560), "{}", path.display());
        let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 50,
            "{}: only {} colours",
            path.display(),
            colours.len()
        );
        // The middle of the plot area is not one uniform colour.
        let middle: HashSet<[u8; 3]> = (150..450)
            .flat_map(|x| (150..450).map(move |y| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y).0)
            .collect();
        assert!(middle.len() > 5, "{}: plot area is uniform", path.display());
        count += 1;
    }
    // 6 targets × (cost + affordability + components) + 2 lag charts + the lag trend +
    // processes.
    assert_eq!(count, 22);
}

#[test]
fn plot_redraws_exactly_what_run_drew() {
    let (_dir, out) = run_baseline(&[]);
    let charts = out.join("charts");
    let before: Vec<(PathBuf, Vec<u8>)> = {
        let mut v: Vec<_> = std::fs::read_dir(&charts)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v.into_iter()
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    assert_eq!(before.len(), 44);
    std::fs::remove_dir_all(&charts).unwrap();
    bin().args(["plot"]).arg(&out).assert().success();
    for (path, bytes) in before {
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{} differs after plot",
            path.display()
        );
    }
}

#[test]
fn no_charts_skips_drawing() {
    let (_dir, out) = run_baseline(&["--no-charts"]);
    assert!(out.join("summary.json").is_file());
    assert!(!out.join("charts").exists());
}

/// A run replaces the previous output set as a whole: a stray file where the charts folder goes
/// is the old set's and gives way; the charts are drawn.
#[test]
fn a_file_where_the_charts_go_is_replaced_by_the_new_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("charts"),
        b"a file where the charts folder should be",
    )
    .unwrap();
    bin()
        .args([
            "run",
            baseline().to_str().unwrap(),
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
    assert!(out.join("charts").is_dir() && out.join("charts/processes.svg").is_file());
    assert!(out.join("summary.json").is_file() && out.join("trajectories.csv").is_file());
}

#[test]
fn plot_of_a_directory_without_a_run_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let a = bin().args(["plot"]).arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("not a run's output directory"), "{stderr}");
}

/// Charts render with pure-Rust code and a bundled font: the binary must not link fontconfig,
/// freetype or any other system library beyond the C runtime.
#[test]
fn the_binary_links_only_the_c_runtime() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_diffusion-sim")).unwrap();
    let (interpreter, libraries) = elf_needed(&bytes);
    let allowed = [
        "libc.so",
        "libm.so",
        "libgcc_s.so",
        "libpthread.so",
        "libdl.so",
        "librt.so",
        "ld-linux",
        "ld64.so",
    ];
    assert!(!libraries.is_empty() || !interpreter);
    for lib in &libraries {
        assert!(
            allowed.iter().any(|a| lib.starts_with(a)),
            "the binary links {lib}"
        );
    }
}

/// Whether a 64-bit little-endian ELF file names an interpreter (is dynamically linked), and
/// the libraries it needs: the `DT_NEEDED` entries of its dynamic section, read by hand.
fn elf_needed(elf: &[u8]) -> (bool, Vec<String>) {
    assert!(
        elf.starts_with(b"\x7fELF") && elf[4] == 2 && elf[5] == 1,
        "a 64-bit little-endian ELF binary"
    );
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    // Program headers: (type, file offset, virtual address, size in the file).
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    let segments: Vec<(u32, usize, usize, usize)> = (0..phnum)
        .map(|i| phoff + i * phentsize)
        .map(|h| (u32_at(h), u64_at(h + 8), u64_at(h + 16), u64_at(h + 32)))
        .collect();
    const PT_LOAD: u32 = 1;
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    let interpreter = segments.iter().any(|s| s.0 == PT_INTERP);
    let Some(&(_, dynamic, _, size)) = segments.iter().find(|s| s.0 == PT_DYNAMIC) else {
        return (interpreter, Vec::new());
    };
    // Dynamic entries: (tag, value) pairs up to DT_NULL.
    let entries: Vec<(usize, usize)> = (dynamic..dynamic + size)
        .step_by(16)
        .map(|e| (u64_at(e), u64_at(e + 8)))
        .take_while(|e| e.0 != 0)
        .collect();
    const DT_NEEDED: usize = 1;
    const DT_STRTAB: usize = 5;
    let strtab = entries
        .iter()
        .find(|e| e.0 == DT_STRTAB)
        .expect("DT_STRTAB")
        .1;
    // The string table is given as a virtual address: into a file offset through its segment.
    let (_, offset, vaddr, _) = *segments
        .iter()
        .find(|s| s.0 == PT_LOAD && (s.2..s.2 + s.3).contains(&strtab))
        .expect("the string table is in a loaded segment");
    let strtab = strtab - vaddr + offset;
    let name = |at: usize| {
        let end = elf[at..]
            .iter()
            .position(|&b| b == 0)
            .expect("NUL-terminated");
        String::from_utf8_lossy(&elf[at..at + end]).into_owned()
    };
    let needed = entries
        .iter()
        .filter(|e| e.0 == DT_NEEDED)
        .map(|e| name(strtab + e.1))
        .collect();
    (interpreter, needed)
}

/// Ink (0 white to 1 black) of `text` drawn in black in the bundled font at `size` pixels,
/// through the same path as every PNG chart: plotters' bitmap backend.
fn ink(text: &str, size: f64) -> Vec<Vec<f64>> {
    use plotters::prelude::*;
    diffusion_sim::plot::style::register_fonts();
    let (w, h) = (200usize, 80usize);
    let mut rgb = vec![255u8; w * h * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w as u32, h as u32)).into_drawing_area();
        let style = (diffusion_sim::plot::style::FONT, size)
            .into_font()
            .color(&BLACK);
        root.draw(&Text::new(text, (10, 20), style)).unwrap();
        root.present().unwrap();
    }
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| 1.0 - f64::from(rgb[(y * w + x) * 3]) / 255.0)
                .collect()
        })
        .collect()
}

/// The lowest row of `rows` that holds at least a third as much ink as the inkiest row (so a
/// faint row of antialiasing below a curve's overshoot does not count).
fn foot(rows: &[Vec<f64>]) -> usize {
    let sums: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let most = sums.iter().copied().fold(0.0, f64::max);
    assert!(most > 0.0, "no ink");
    sums.iter().rposition(|&s| s >= most / 3.0).unwrap()
}

/// A decimal point sits on the baseline, level with the digits' feet, at every font size the
/// charts use at any width ("0·3%" was the defect: each glyph's row was rounded on its own, in
/// a direction that differed between tall glyphs and short ones).
#[test]
fn png_text_puts_decimal_points_on_the_baseline() {
    for quarter in 32..=120 {
        let size = f64::from(quarter) / 4.0;
        for (digits, with_point) in [("0", "0."), ("3", "3."), ("10", "10.")] {
            let plain = ink(digits, size);
            let with = ink(with_point, size);
            // The point's own ink: what the second drawing adds.
            let point: Vec<Vec<f64>> = with
                .iter()
                .zip(&plain)
                .map(|(a, b)| a.iter().zip(b).map(|(a, b)| (a - b).max(0.0)).collect())
                .collect();
            let (digits_foot, point_foot) = (foot(&plain), foot(&point));
            assert_eq!(
                point_foot, digits_foot,
                "{with_point:?} at {size} px: the point's foot is not level with the digits'"
            );
        }
    }
}

/// The failing case of the glyph-placement bug reported in vendor/plotters/PATCHED.md: in
/// "0.3" at 13 px (`size / 2` not a whole pixel), upstream plotters 0.3.7 puts the point's foot
/// on row 5 below the text's top and the digits' on row 6.
#[test]
fn png_text_puts_the_point_of_0_3_on_the_baseline_at_13_px() {
    let (zero, whole) = (ink("0", 13.0), ink("0.3", 13.0));
    // What follows the "0" (drawn at the same place in both): the point, then the "3".
    let rest: Vec<Vec<f64>> = whole
        .iter()
        .zip(&zero)
        .map(|(a, b)| a.iter().zip(b).map(|(a, b)| (a - b).max(0.0)).collect())
        .collect();
    let inked = |x: usize| rest.iter().any(|row| row[x] > 0.05);
    let from = (0..rest[0].len())
        .find(|&x| inked(x))
        .expect("ink after the 0");
    let to = (from..rest[0].len()).find(|&x| !inked(x)).unwrap();
    assert!(
        (to..rest[0].len()).any(inked),
        "the point and the 3 are not apart"
    );
    let point: Vec<Vec<f64>> = rest.iter().map(|row| row[from..to].to_vec()).collect();
    assert_eq!(
        foot(&point),
        foot(&zero),
        "\"0.3\" at 13 px: the point's foot is not level with the digits' (vendor/plotters/PATCHED.md)"
    );
}

/// The vendored plotters is the version the crate pins, is the one `[patch.crates-io]` builds,
/// and still carries its fix: a bump (perhaps to a release that fixes the bug upstream) fails
/// here until the patch is re-checked (vendor/plotters/PATCHED.md says how).
#[test]
fn vendored_plotters_is_the_pinned_version_and_keeps_its_patch() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| -> toml::Table {
        std::fs::read_to_string(root.join(p))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (top, vendored) = (read("Cargo.toml"), read("vendor/plotters/Cargo.toml"));
    let pinned = top["dependencies"]["plotters"]["version"].as_str().unwrap();
    let version = vendored["package"]["version"].as_str().unwrap();
    assert_eq!(
        pinned.trim_start_matches('='),
        version,
        "plotters is pinned at {pinned} but vendor/plotters is {version}: re-check the patch"
    );
    assert_eq!(
        top["patch"]["crates-io"]["plotters"]["path"].as_str(),
        Some("vendor/plotters")
    );
    let draw =
        std::fs::read_to_string(root.join("vendor/plotters/src/style/font/ab_glyph.rs")).unwrap();
    assert!(
        draw.contains("let y_shift = (size as f32 / 2.0).ceil() as i32 + rect.min.y as i32;"),
        "the vendored plotters lost its baseline patch"
    );
}

/// `(x, y, width, height)` of every `<rect>` of an SVG.
fn svg_rects(bytes: &[u8]) -> Vec<(f64, f64, f64, f64)> {
    let text = std::str::from_utf8(bytes).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|n| {
            let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
            (a("x"), a("y"), a("width"), a("height"))
        })
        .collect()
}

/// The cells of a threshold heatmap tile the plot: in every column each cell's bottom is the
/// next one's top and in every row each cell's right edge the next one's left, so no white
/// line runs across the plot (where grid budgets, rounded to 3 digits, are unevenly spaced in
/// log space, cells reaching a fixed half-step either side left 1-pixel gaps at 900×560).
#[test]
fn threshold_heatmap_cells_share_their_edges() {
    for (w, h) in [("900", "560"), ("1200", "750")] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        bin()
            .args(["compare", "--budgets", "100K,1M,10M,100M,1B"])
            .arg(baseline())
            .args(["--samples", "500", "--quiet", "--chart-format", "svg"])
            .args(["--width", w, "--height", h, "--out"])
            .arg(&out)
            .assert()
            .success();
        let svg = std::fs::read(out.join("charts/threshold_heatmap_gpt_4_level.svg")).unwrap();
        let width: f64 = w.parse().unwrap();
        // The cells: every rectangle but the background and the colour bar at the far right.
        let cells: Vec<_> = svg_rects(&svg)
            .into_iter()
            .filter(|r| r.2 < width / 2.0 && r.0 < width * 0.8)
            .collect();
        let mut xs: Vec<f64> = cells.iter().map(|r| r.0).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let mut ys: Vec<f64> = cells.iter().map(|r| r.1).collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup();
        assert!(xs.len() > 10 && ys.len() > 10, "{w}: no grid of cells");
        assert_eq!(
            cells.len(),
            xs.len() * ys.len(),
            "{w}: cells do not form a grid"
        );
        // Columns share x and meet along y; rows share y and meet along x.
        abut(
            &cells,
            |r| (r.0, r.1, r.3),
            &format!("{w}: between cell rows"),
        );
        abut(
            &cells,
            |r| (r.1, r.0, r.2),
            &format!("{w}: between cell columns"),
        );
    }
}

/// Within every line of `cells` (those with one `key`), sorted by `start`, each cell ends
/// (`start + size`) exactly where the next begins; `along` gives `(key, start, size)`.
fn abut(
    cells: &[(f64, f64, f64, f64)],
    along: impl Fn(&(f64, f64, f64, f64)) -> (f64, f64, f64),
    what: &str,
) {
    let mut lines: Vec<(f64, f64, f64)> = cells.iter().map(along).collect();
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    for pair in lines.windows(2).filter(|p| p[0].0 == p[1].0) {
        assert_eq!(
            pair[0].1 + pair[0].2,
            pair[1].1,
            "{what}: a gap or overlap at {}",
            pair[0].0
        );
    }
}

/// The tornado chart of the minimal scenario's lab and model (`tornado_big_model_lab`) with a
/// $10B model, a fixed $3M budget, algorithms halving the cost every 4 years and hardware
/// doubling FLOP per dollar every `hw` years: its SVG.
fn tornado_svg(hw: &str) -> Vec<u8> {
    let text = replace_once(MINIMAL_SCENARIO, "flop = 1e26", "flop = 1e28");
    let text = replace_once(&text, "budget = \"$1M to $10M\"", "budget = \"$3M\"");
    let text = replace_once(&text, "\"0.5 to 1.5\"", "4.0");
    let text = replace_once(
        &text,
        "doubling_time_years = 2.5",
        &format!("doubling_time_years = {hw}"),
    );
    let (_dir, out) = svg_charts("sensitivity", &text);
    std::fs::read(out.join("charts/tornado_big_model_lab.svg")).unwrap()
}

/// Runs `COMMAND SCENARIO --quiet --chart-format svg --out DIR` on the scenario `text`; returns
/// the temporary directory (keep it alive while the outputs are read) and the output folder.
fn svg_charts(command: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = write_scenario(text);
    let out = dir.path().join("out");
    bin()
        .arg(command)
        .arg(&path)
        .args(["--quiet", "--chart-format", "svg", "--out"])
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

/// Where an input at one end of its range pushes the median year beyond the horizon, that
/// bar ends at the horizon with a ▶ in its colour, as the subtitle's key says; where no bar
/// does, neither the marker nor its key appears.
#[test]
fn tornado_marks_bars_that_run_beyond_the_horizon() {
    // Slow hardware (95th percentile, 8 years) leaves the model out of the lab's reach by 2040.
    let svg = tornado_svg("\"1 to 8\"");
    let text = std::str::from_utf8(&svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let orange = "#D55E00";
    let polygons: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .collect();
    assert_eq!(polygons.len(), 1, "one ▶ marker");
    let marker = polygons[0];
    assert_eq!(
        marker.attribute("fill"),
        Some(orange),
        "in the bar's colour"
    );
    let points: Vec<(f64, f64)> = polygon_points(&marker);
    let left = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let right = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    assert!(right > left, "it points right");
    // It starts where the orange bar (the input at its 95th percentile) ends.
    let bar_end = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(orange))
        .map(|n| {
            n.attribute("x").unwrap().parse::<f64>().unwrap()
                + n.attribute("width").unwrap().parse::<f64>().unwrap()
        })
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(left, bar_end, "the marker sits at the end of the bar");
    assert!(svg_text(&svg).contains("▶ beyond 2040"), "the key");

    // Fast hardware throughout: every median within the horizon, no marker, no key for it.
    let svg = tornado_svg("\"1.5 to 2.5\"");
    let text = std::str::from_utf8(&svg).unwrap();
    assert!(!text.contains("<polygon"), "a marker with nothing beyond");
    assert!(!svg_text(&svg).contains('▶'), "a key for a mark not drawn");
}

/// Where both ends of an input leave the median beyond the horizon, both markers show: each is
/// half of the ▶, in its end's colour, rather than one drawn over the other.
#[test]
fn tornado_markers_at_one_place_do_not_hide_each_other() {
    // Hardware so slow that the model is out of the lab's reach by 2040 at either end.
    let svg = tornado_svg("\"8 to 9\"");
    let text = std::str::from_utf8(&svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let markers: Vec<(String, Vec<(i64, i64)>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .map(|n| {
            let mut points: Vec<(i64, i64)> = polygon_points(&n);
            points.sort();
            (n.attribute("fill").unwrap_or("").to_string(), points)
        })
        .collect();
    assert!(markers.len() >= 2, "{markers:?}");
    let fills: std::collections::BTreeSet<&str> = markers.iter().map(|m| m.0.as_str()).collect();
    assert!(fills.len() >= 2, "both ends' colours: {fills:?}");
    for (i, a) in markers.iter().enumerate() {
        for b in &markers[i + 1..] {
            assert_ne!(a.1, b.1, "a {} marker under a {} one", a.0, b.0);
        }
    }
}

/// The value of a dollar tick label: `$0.01`, `$1`, `$100`, `$1K` … `$100T`, `$10¹⁵`, `$10⁻⁴`.
fn dollar_tick_value(label: &str) -> Option<f64> {
    let s = label.strip_prefix('$')?;
    // `$10` followed by superscript digits: a power of ten.
    const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    if let Some(exp) = s.strip_prefix("10")
        && exp.starts_with(|c: char| c == '⁻' || SUPERSCRIPTS.contains(c))
    {
        let digits: String = exp
            .chars()
            .map(|c| match SUPERSCRIPTS.chars().position(|d| d == c) {
                Some(k) => char::from_digit(k as u32, 10).unwrap(),
                None => '-',
            })
            .collect();
        return Some(10f64.powi(digits.parse().ok()?));
    }
    let (num, unit) = match s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit() && *c != '.')
    {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let scale = match unit {
        "" => 1.0,
        "K" => 1e3,
        "M" => 1e6,
        "B" => 1e9,
        "T" => 1e12,
        _ => return None,
    };
    Some(num.parse::<f64>().ok()? * scale)
}

/// The cost chart of the minimal scenario's model (a $100M run in 2025, the lab's budget $1M to
/// $10M) with algorithms halving its cost every `halving` years: the lowest value the chart
/// draws (the cost's 90% and budgets' 50% bands, the medians of the frontier's project (the
/// spend, as the overhead is 1) and class costs) and
/// its SVG.
fn cost_chart(halving: &str) -> (f64, Vec<u8>) {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "halving_time_years = \"0.5 to 1.5\"",
        &format!("halving_time_years = {halving}"),
    );
    let (_dir, out) = svg_charts("run", &text);
    let lowest = csv_rows(&out.join("trajectories.csv"))
        .iter()
        .filter_map(|row| match row["series"].as_str() {
            "cost" => Some(&row["p5"]),
            "budget" => Some(&row["p25"]),
            "frontier_spend" | "class_cost" => Some(&row["p50"]),
            _ => None,
        })
        .map(|v| v.parse::<f64>().unwrap())
        .fold(f64::INFINITY, f64::min);
    (
        lowest,
        std::fs::read(out.join("charts/cost_big_model.svg")).unwrap(),
    )
}

/// The cost chart's dollar axis reaches down to the lowest value it draws: a cost that falls to
/// cents, far below every budget, is shown, not cut off at a floor three decades below the
/// lowest budget (where its median line stopped and its band ran along the axis). Only a range
/// too wide to read is cut, and then the chart says so.
#[test]
fn the_cost_axis_covers_every_plotted_value() {
    let (lowest, svg) = cost_chart("\"0.5 to 1.5\"");
    assert!(
        lowest < 1.0,
        "the cost should fall below a dollar: {lowest}"
    );
    let floor = dollar_axis_floor(&svg);
    // Within a pixel's rounding of where the axis starts.
    assert!(
        floor <= lowest.log10() + 0.05,
        "the axis starts at $10^{floor:.2} but the chart draws ${lowest}"
    );
    assert!(!svg_text(&svg).contains("not shown"));
    // The key's swatch for the cost's bands (the only rectangles in the cost's grey) is large
    // enough to see which shade is which: at least 36 × 20 at 1200 pixels wide.
    let doc = roxmltree::Document::parse(std::str::from_utf8(&svg).unwrap()).unwrap();
    let swatch = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#3C3C3C"))
        .map(|n| {
            let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
            (a("width"), a("height"))
        })
        .fold((0.0, 0.0), |a: (f64, f64), r| (a.0.max(r.0), a.1.max(r.1)));
    assert!(
        swatch.0 >= 36.0 && swatch.1 >= 20.0,
        "the key's swatch is {} × {}",
        swatch.0,
        swatch.1
    );

    // Algorithms halving the cost every 5 weeks: 45 decades in 15 years.
    let (lowest, svg) = cost_chart("0.1");
    let floor = dollar_axis_floor(&svg);
    assert!(floor > lowest.log10() + 1.0, "{floor} {lowest}");
    let text = svg_text(&svg);
    assert!(
        text.lines()
            .any(|l| l.starts_with("values below $10") && l.ends_with("not shown")),
        "a cut axis is not marked"
    );
}

/// log10 of the dollar value at the bottom of a chart's log dollar axis, read from its SVG:
/// extrapolated from the two lowest labelled ticks to the lower end of the y axis line.
fn dollar_axis_floor(svg: &[u8]) -> f64 {
    let text = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut ticks: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let value = dollar_tick_value(n.text()?.trim())?;
            Some((value.log10(), n.attribute("y")?.parse().ok()?))
        })
        .collect();
    ticks.sort_by(|a, b| b.1.total_cmp(&a.1));
    let ((e0, y0), (e1, y1)) = (ticks[0], ticks[1]);
    // The y axis: the longest vertical polyline.
    let bottom = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .filter_map(|n| {
            let p: Vec<(f64, f64)> = n
                .attribute("points")?
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            (p.len() == 2 && p[0].0 == p[1].0)
                .then(|| (p[0].1 - p[1].1).abs().max(0.0))
                .map(|len| (len, p[0].1.max(p[1].1)))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
        .1;
    e0 - (bottom - y0) * (e1 - e0) / (y0 - y1)
}

/// A scenario name that ends a question is not followed by a colon in any chart title, the
/// tornado and the threshold curves included.
#[test]
fn titles_after_a_question_have_no_colon() {
    let text = replace_once(
        MINIMAL_SCENARIO,
        "name = \"Minimal\"",
        "name = \"Will labs keep up?\"",
    );
    let (_d1, sens) = svg_charts("sensitivity", &text);
    let (dir, path) = write_scenario(&text);
    let thresholds = dir.path().join("thresholds");
    bin()
        .args([
            "compare",
            "--budgets",
            "1M,10M",
            "--quiet",
            "--chart-format",
            "svg",
        ])
        .arg(&path)
        .arg("--out")
        .arg(&thresholds)
        .assert()
        .success();
    let mut seen = 0;
    for charts in [sens.join("charts"), thresholds.join("charts")] {
        for e in std::fs::read_dir(charts).unwrap() {
            let p = e.unwrap().path();
            let svg = svg_text(&std::fs::read(&p).unwrap());
            assert!(
                svg.contains("Will labs keep up?") && !svg.contains("keep up?:"),
                "{}",
                p.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 3, "{seen} charts");
}
