//! Charts of `compare A.toml B.toml …`: per target, one panel per actor class with the
//! affordability curve of every scenario, one line style and marker per scenario. Drawn from the saved
//! `compare_affordability.csv` and `compare.json`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::axis;
use super::layout::{headed, text_width, title_block};
use super::saved;
use super::style::{COST, FONT, GRID, MUTED, Sizes, class_colours, slug};
use super::view::{Scope, View};
use super::{Chart, PlotOptions, PlotResult, err, render};
use crate::format::group_digits;

#[derive(Debug, Clone, Deserialize)]
struct Curve {
    scenario: String,
    target: String,
    actor: String,
    year: f64,
    probability: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct Meta {
    scenarios: Vec<String>,
    samples: u64,
    seed: u64,
}

/// Reads a scenario comparison's `compare.json` and `compare_affordability.csv`.
fn read(dir: &Path) -> PlotResult<(Meta, Vec<Curve>)> {
    let meta: Meta = saved::json(&dir.join("compare.json"), "scenario comparison")?;
    let curves: Vec<Curve> = saved::csv_rows_checked(
        &dir.join("compare_affordability.csv"),
        &["scenario", "target", "actor", "year", "probability"],
        &[
            ("year", saved::Allowed::Finite),
            ("probability", saved::Allowed::Probability),
        ],
    )?;
    Ok((meta, curves))
}

/// What a scenario comparison's charts can show: its classes and years.
pub fn scope(dir: &Path) -> PlotResult<Scope> {
    let (_, curves) = read(dir)?;
    let mut classes: Vec<String> = Vec::new();
    let mut years: Vec<f64> = Vec::new();
    for c in &curves {
        if !classes.contains(&c.actor) {
            classes.push(c.actor.clone());
        }
        years.push(c.year);
    }
    years.sort_by(f64::total_cmp);
    years.dedup();
    Ok(Scope {
        kind: "scenario comparison",
        classes,
        years,
        costs: false,
        year_axis: true,
    })
}

/// Draws the comparison charts of a `compare` output directory.
pub fn render_comparison(dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let (meta, curves) = read(dir)?;
    let view = &opts.view;
    // Each class's colour, chosen among all of the comparison's classes, whichever are shown.
    let mut classes: Vec<String> = Vec::new();
    for c in &curves {
        if !classes.contains(&c.actor) {
            classes.push(c.actor.clone());
        }
    }
    let colours: Vec<(String, RGBColor)> = classes
        .iter()
        .cloned()
        .zip(class_colours(&classes))
        .collect();
    let curves: Vec<Curve> = curves
        .into_iter()
        .filter(|c| view.shows(&c.actor) && view.within(c.year))
        .collect();
    let footer = view.provenance(
        dir,
        &format!(
            "{} samples each, seed {}, common random numbers",
            group_digits(meta.samples),
            meta.seed
        ),
    );
    let mut targets: Vec<&str> = Vec::new();
    for c in &curves {
        if !targets.contains(&c.target.as_str()) {
            targets.push(&c.target);
        }
    }
    let mut files = Vec::new();
    for t in targets {
        let mine: Vec<&Curve> = curves.iter().filter(|c| c.target == t).collect();
        files.extend(render(
            &Panels {
                meta: &meta,
                target: t,
                curves: mine,
                view,
                footer: footer.as_deref(),
                colours: &colours,
            },
            opts,
        )?);
    }
    Ok(files)
}

struct Panels<'a> {
    meta: &'a Meta,
    target: &'a str,
    curves: Vec<&'a Curve>,
    view: &'a View,
    footer: Option<&'a str>,
    /// Every class's colour, by name.
    colours: &'a [(String, RGBColor)],
}

/// Dash patterns (dash, gap; 0: solid) of the scenarios' lines, at the design width.
const DASHES: [(u32, u32); 6] = [(0, 0), (12, 6), (3, 4), (22, 6), (6, 12), (12, 4)];

/// The marks on the scenarios' lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled triangle, point up.
    Triangle,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
    /// A filled triangle, point down.
    TriangleDown,
    /// A diagonal cross.
    Cross,
}

const MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Triangle,
    Marker::Square,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
];

/// The line of the `i`-th scenario: its dash pattern (dash, gap; 0: solid) and its marker.
/// The first six differ in both; up to 36 no two share both (the marker moves on by one with
/// each round of the dashes). Every scenario's line in a panel has the panel's class colour,
/// so scenarios are told apart by line and marker, classes by colour.
pub fn scenario_style(i: usize) -> ((u32, u32), Marker) {
    let n = DASHES.len();
    (DASHES[i % n], MARKERS[(i + i / n) % MARKERS.len()])
}

/// How many markers each scenario's line carries.
const MARKS_PER_LINE: usize = 4;

/// Where scenario `i` of `n` puts its markers on a line of `len` points: [`MARKS_PER_LINE`]
/// evenly spaced places, each scenario's shifted by its share of the spacing, so that the
/// markers of lines that agree do not sit on one another (while the line has points enough).
fn mark_places(len: usize, i: usize, n: usize) -> Vec<usize> {
    if len == 0 {
        return Vec::new();
    }
    let spacing = len as f64 / MARKS_PER_LINE as f64;
    let offset = (i as f64 + 0.5) / n.max(1) as f64;
    let mut places: Vec<usize> = (0..MARKS_PER_LINE)
        .map(|k| (((k as f64 + offset) * spacing) as usize).min(len - 1))
        .collect();
    places.dedup();
    places
}

/// Draws `marker` centred on the pixel `at`, `r` pixels from its centre to its edge.
pub fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    marker: Marker,
    colour: RGBColor,
    r: i32,
) -> PlotResult<()> {
    let (x, y) = at;
    let fill = colour.filled();
    // A white rim keeps the mark legible where lines cross.
    let rim = WHITE.stroke_width(1);
    let shape: Vec<(i32, i32)> = match marker {
        Marker::Circle => {
            root.draw(&Circle::new(at, r + 1, WHITE.filled()))
                .map_err(err)?;
            return root.draw(&Circle::new(at, r, fill)).map_err(err);
        }
        Marker::Cross => {
            let style = colour.stroke_width((r as u32 / 2).max(2));
            for (a, b) in [((-r, -r), (r, r)), ((-r, r), (r, -r))] {
                root.draw(&PathElement::new(
                    vec![(x + a.0, y + a.1), (x + b.0, y + b.1)],
                    style,
                ))
                .map_err(err)?;
            }
            return Ok(());
        }
        Marker::Triangle => vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
        Marker::TriangleDown => vec![(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)],
        Marker::Square => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        Marker::Diamond => vec![
            (x, y - r - 2),
            (x + r + 2, y),
            (x, y + r + 2),
            (x - r - 2, y),
        ],
    };
    root.draw(&Polygon::new(shape.clone(), fill)).map_err(err)?;
    let mut outline = shape;
    outline.push(outline[0]);
    root.draw(&PathElement::new(outline, rim)).map_err(err)
}

/// Draws a horizontal line sample from `(x, y)`, `len` pixels long, with the dash pattern
/// `(dash, gap)` (0: solid), as in the plot.
fn line_sample<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    len: i32,
    (dash, gap): (i32, i32),
    style: ShapeStyle,
) -> PlotResult<()> {
    if dash == 0 {
        return root
            .draw(&PathElement::new(vec![(x, y), (x + len, y)], style))
            .map_err(err);
    }
    let mut at = 0;
    while at < len {
        let end = (at + dash).min(len);
        root.draw(&PathElement::new(vec![(x + at, y), (x + end, y)], style))
            .map_err(err)?;
        at = end + gap;
    }
    Ok(())
}

impl Panels<'_> {
    /// The key: each scenario's line and marker (in a neutral grey: colours are the classes')
    /// and its name, in rows across the image. Returns the area below it.
    fn key<DB: DrawingBackend>(
        &self,
        body: &DrawingArea<DB, Shift>,
        sz: &Sizes,
    ) -> PlotResult<DrawingArea<DB, Shift>> {
        // Drawn in the area's own coordinates.
        let (w, _) = body.dim_in_pixel();
        let s = |v: f64| sz.px(v) as i32;
        let font = sz.font(14.0);
        let (sample, pad, row) = (s(44.0), s(8.0), s(24.0));
        let mut entries: Vec<(i32, i32, usize)> = Vec::new(); // (x, row, scenario)
        let (mut x, mut r) = (s(24.0), 0);
        for (i, name) in self.meta.scenarios.iter().enumerate() {
            let width = sample + pad + text_width(name, font, false) as i32 + s(26.0);
            if x + width > w as i32 - s(24.0) && x > s(24.0) {
                x = s(24.0);
                r += 1;
            }
            entries.push((x, r, i));
            x += width;
        }
        let style = (FONT, font)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (x, r, i) in entries {
            let y = s(8.0) + r * row + row / 2;
            let (dash, marker) = scenario_style(i);
            let dash = (s(dash.0 as f64) * (dash.0 > 0) as i32, s(dash.1 as f64));
            line_sample(body, (x, y), sample, dash, COST.stroke_width(sz.px(2.0)))?;
            draw_marker(body, (x + sample / 2, y), marker, COST, s(4.5))?;
            body.draw(&Text::new(
                self.meta.scenarios[i].clone(),
                (x + sample + pad, y),
                style.clone(),
            ))
            .map_err(err)?;
        }
        let rows = self.meta.scenarios.len().min(1) as i32 + r;
        let (_, rest) = body.split_vertically(s(8.0) + rows * row + s(4.0));
        Ok(rest)
    }
}

impl Chart for Panels<'_> {
    fn stem(&self) -> String {
        format!("compare_{}", slug(self.target))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(
            self.view.name("Scenarios compared"),
            &format!("who can afford {}, and when", self.target),
        );
        let subtitle =
            "P(affordable by the year) · a panel per actor class · a line and marker per scenario";
        let body = title_block(root, &sz, &title, subtitle, self.footer)?;
        let body = self.key(&body, &sz)?;
        let body =
            super::layout::panel_axis_titles(&body, &sz, "Year", "P(affordable by the year)")?;
        let mut actors: Vec<&str> = Vec::new();
        for c in &self.curves {
            if !actors.contains(&c.actor.as_str()) {
                actors.push(&c.actor);
            }
        }
        let (x0, x1) = self.view.years.unwrap_or_else(|| {
            self.curves
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
                    (a.min(c.year), b.max(c.year))
                })
        });
        let colour_of = |a: &str| {
            self.colours
                .iter()
                .find(|(n, _)| n == a)
                .map_or(COST, |(_, c)| *c)
        };
        // Four panels a row, or three for five and six (no row of one).
        let cols = match actors.len() {
            0 => 1,
            5 | 6 => 3,
            n => n.min(4),
        };
        let rows = actors.len().div_ceil(cols);
        for (area, actor) in body.split_evenly((rows, cols)).iter().zip(&actors) {
            let mut chart = ChartBuilder::on(area)
                .caption(*actor, (FONT, sz.font(15.0), FontStyle::Bold))
                .margin(sz.px(8.0))
                .margin_right(sz.px(20.0))
                .x_label_area_size(sz.px(30.0))
                .y_label_area_size(sz.px(48.0))
                .build_cartesian_2d(axis(x0, x1.max(x0 + 1.0))?, 0.0..100.0)
                .map_err(err)?;
            chart
                .configure_mesh()
                .bold_line_style(GRID.stroke_width(1))
                .light_line_style(TRANSPARENT)
                .x_labels(4)
                .y_labels(5)
                .x_label_formatter(&super::layout::year_tick)
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .label_style((FONT, sz.font(12.5)).into_font().color(&MUTED))
                .draw()
                .map_err(err)?;
            let colour = colour_of(actor);
            let n = self.meta.scenarios.len();
            for (i, s) in self.meta.scenarios.iter().enumerate() {
                let points: Vec<(f64, f64)> = self
                    .curves
                    .iter()
                    .filter(|c| c.actor == *actor && c.scenario == *s)
                    .map(|c| (c.year, 100.0 * c.probability))
                    .collect();
                let style = colour.stroke_width(sz.px(2.0));
                let ((dash, gap), marker) = scenario_style(i);
                if dash == 0 {
                    chart
                        .draw_series(LineSeries::new(points.clone(), style))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series(DashedLineSeries::new(
                            points.clone(),
                            sz.px(dash as f64),
                            sz.px(gap as f64),
                            style,
                        ))
                        .map_err(err)?;
                }
                // Markers spread along the line, each scenario's shifted so that they do not
                // sit on one another where the lines agree.
                // Where the curve is flat at 0% or 100% every scenario agrees: the marks go on
                // the part that rises, when there is one.
                let rising: Vec<(f64, f64)> = points
                    .iter()
                    .copied()
                    .filter(|(_, p)| *p > 0.5 && *p < 99.5)
                    .collect();
                let marked = if rising.len() >= MARKS_PER_LINE * n {
                    &rising
                } else {
                    &points
                };
                for at in mark_places(marked.len(), i, n) {
                    let at = chart.backend_coord(&marked[at]);
                    draw_marker(root, at, marker, colour, sz.px(4.0) as i32)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scenarios put their markers on different points of a line with points enough.
    #[test]
    fn markers_of_scenarios_do_not_share_places() {
        for n in 1..=6 {
            let places: Vec<Vec<usize>> = (0..n).map(|i| mark_places(36, i, n)).collect();
            for (i, p) in places.iter().enumerate() {
                assert_eq!(p.len(), MARKS_PER_LINE, "{n} scenarios: {p:?}");
                assert!(p.iter().all(|&x| x < 36));
                for q in &places[i + 1..] {
                    assert!(p.iter().all(|x| !q.contains(x)), "{n}: {p:?} {q:?}");
                }
            }
        }
        assert_eq!(mark_places(0, 0, 1), Vec::<usize>::new());
        assert!(mark_places(3, 1, 2).iter().all(|&x| x < 3));
    }

    /// No two scenarios of a comparison share both their line and their marker, and the
    /// first six differ in each.
    #[test]
    fn every_scenario_has_its_own_line_and_marker() {
        let styles: Vec<_> = (0..36).map(scenario_style).collect();
        for i in 0..styles.len() {
            for j in i + 1..styles.len() {
                assert_ne!(styles[i], styles[j], "scenarios {i} and {j}");
                if j < 6 {
                    assert_ne!(styles[i].0, styles[j].0, "dashes of {i} and {j}");
                    assert_ne!(styles[i].1, styles[j].1, "markers of {i} and {j}");
                }
            }
        }
    }
}
