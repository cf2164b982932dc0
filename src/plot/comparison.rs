//! Charts of `compare A.toml B.toml …`: per target, one panel per actor class with the
//! affordability curve of every scenario, one line style per scenario. Drawn from the saved
//! `compare_affordability.csv` and `compare.json`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

use super::layout::title_block;
use super::style::{FONT, GRID, MUTED, Sizes, class_colours, slug};
use super::{Chart, PlotOptions, PlotResult, err, render};

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

/// Draws the comparison charts of a `compare` output directory.
pub fn render_comparison(dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let meta: Meta = serde_json::from_slice(
        &std::fs::read(dir.join("compare.json"))
            .map_err(|e| format!("cannot read {}: {e}", dir.join("compare.json").display()))?,
    )
    .map_err(|e| format!("compare.json: {e}"))?;
    let path = dir.join("compare_affordability.csv");
    let curves: Vec<Curve> = csv::Reader::from_path(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))?;
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
}

/// Dash patterns (dash, gap) per scenario and their names.
const STYLES: [(u32, u32, &str); 6] = [
    (0, 0, "solid"),
    (10, 6, "dashed"),
    (3, 5, "dotted"),
    (18, 6, "long dashes"),
    (6, 12, "sparse dashes"),
    (2, 10, "sparse dots"),
];

impl Chart for Panels<'_> {
    fn stem(&self) -> String {
        format!("compare_{}", slug(self.target))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = format!(
            "Scenarios compared: who can afford {}, and when",
            self.target
        );
        let styles: Vec<String> = self
            .meta
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "{} {s}",
                    ["solid", "dashed", "dotted", "long dashes"][i % 4]
                )
            })
            .collect();
        let subtitle = format!(
            "P(affordable by the year) · {} · {} samples each, seed {}, common random numbers",
            styles.join(" · "),
            self.meta.samples,
            self.meta.seed
        );
        let body = title_block(root, &sz, &title, &subtitle)?;
        let mut actors: Vec<&str> = Vec::new();
        for c in &self.curves {
            if !actors.contains(&c.actor.as_str()) {
                actors.push(&c.actor);
            }
        }
        let (x0, x1) = self
            .curves
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
                (a.min(c.year), b.max(c.year))
            });
        let names: Vec<String> = actors.iter().map(|a| a.to_string()).collect();
        let colours = class_colours(&names);
        let cols = actors.len().clamp(1, 4);
        let rows = actors.len().div_ceil(cols);
        for (k, (area, actor)) in body
            .split_evenly((rows, cols))
            .iter()
            .zip(&actors)
            .enumerate()
        {
            let mut chart = ChartBuilder::on(area)
                .caption(*actor, (FONT, sz.font(14.0), FontStyle::Bold))
                .margin(sz.px(8.0))
                .margin_right(sz.px(20.0))
                .x_label_area_size(sz.px(30.0))
                .y_label_area_size(sz.px(44.0))
                .build_cartesian_2d(x0..x1.max(x0 + 1.0), 0.0..100.0)
                .map_err(err)?;
            chart
                .configure_mesh()
                .bold_line_style(GRID.stroke_width(1))
                .light_line_style(TRANSPARENT)
                .x_labels(4)
                .y_labels(5)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .label_style((FONT, sz.font(11.0)).into_font().color(&MUTED))
                .draw()
                .map_err(err)?;
            let colour = colours[k];
            for (i, s) in self.meta.scenarios.iter().enumerate() {
                let points: Vec<(f64, f64)> = self
                    .curves
                    .iter()
                    .filter(|c| c.actor == *actor && c.scenario == *s)
                    .map(|c| (c.year, 100.0 * c.probability))
                    .collect();
                let style = colour.stroke_width(sz.px(2.0));
                let (dash, gap, _) = STYLES[i % STYLES.len()];
                if dash == 0 {
                    chart
                        .draw_series(LineSeries::new(points, style))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series(DashedLineSeries::new(
                            points,
                            sz.px(dash as f64),
                            sz.px(gap as f64),
                            style,
                        ))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}
