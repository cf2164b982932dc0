//! Charts of `compare --budgets`: a threshold heatmap (P(cost ≤ budget) by year and budget, with
//! its 10/50/90% contours and the actor classes' budgets marked) and the affordability curves
//! of every threshold. Drawn from the saved `threshold_grid.csv`, `thresholds.csv`,
//! `affordability.csv` and `trajectories.csv`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

use super::affordability::{Head, legend_width, probability_curves};
use super::data::ChartData;
use super::layout::axis;
use super::layout::{EndLabel, end_labels, headed, title_block};
use super::saved::{Allowed, csv_rows_checked};
use super::style::{
    FONT, MUTED, Sizes, class_colours, decade_ticks, dollars_tick, on_decade, slug,
};
use super::view::Scope;
use super::{Chart, PlotOptions, PlotResult, err, render};

/// Most threshold curves drawn on one chart.
const MAX_CURVES: usize = 10;

#[derive(Debug, Clone, Deserialize)]
struct GridRow {
    target: String,
    year: f64,
    budget: f64,
    p_cost_at_most: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct CurveRow {
    target: String,
    actor: String,
    year: f64,
    probability: f64,
}

/// The columns of `threshold_grid.csv`, and what their numbers may be: a finite year, a budget
/// of dollars (positive: it is drawn on a log scale) and a probability.
const GRID_COLUMNS: ([&str; 4], [(&str, Allowed); 3]) = (
    ["target", "year", "budget", "p_cost_at_most"],
    [
        ("year", Allowed::Finite),
        ("budget", Allowed::Positive),
        ("p_cost_at_most", Allowed::Probability),
    ],
);

/// The columns of `affordability.csv` the curves read, and what their numbers may be.
const CURVE_COLUMNS: ([&str; 4], [(&str, Allowed); 2]) = (
    ["target", "actor", "year", "probability"],
    [
        ("year", Allowed::Finite),
        ("probability", Allowed::Probability),
    ],
);

/// Reads a budgets comparison's `threshold_grid.csv` and `affordability.csv`, refusing a
/// damaged row at its line.
fn read(dir: &Path) -> PlotResult<(Vec<GridRow>, Vec<CurveRow>)> {
    let grid = csv_rows_checked(
        &dir.join("threshold_grid.csv"),
        &GRID_COLUMNS.0,
        &GRID_COLUMNS.1,
    )?;
    let curves = csv_rows_checked(
        &dir.join("affordability.csv"),
        &CURVE_COLUMNS.0,
        &CURVE_COLUMNS.1,
    )?;
    Ok((grid, curves))
}

/// Draws both threshold charts for every target of a `compare --budgets` output directory.
pub fn render_thresholds(dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let data = ChartData::load(dir)?.with_view(&opts.view);
    let grid: Vec<GridRow> = csv_rows_checked(
        &dir.join("threshold_grid.csv"),
        &GRID_COLUMNS.0,
        &GRID_COLUMNS.1,
    )?;
    let curves: Vec<CurveRow> = csv_rows_checked(
        &dir.join("affordability.csv"),
        &CURVE_COLUMNS.0,
        &CURVE_COLUMNS.1,
    )?;
    let mut files = Vec::new();
    for t in &data.targets {
        let cells: Vec<&GridRow> = grid
            .iter()
            .filter(|g| g.target == t.name && opts.view.within(g.year))
            .collect();
        if !cells.is_empty() {
            files.extend(render(
                &Heatmap {
                    data: &data,
                    target: &t.name,
                    cells,
                },
                opts,
            )?);
        }
        let mine: Vec<&CurveRow> = curves
            .iter()
            .filter(|c| c.target == t.name && c.actor.starts_with("budget "))
            .collect();
        files.extend(render(
            &Curves {
                data: &data,
                target: &t.name,
                curves: mine,
            },
            opts,
        )?);
    }
    Ok(files)
}

/// What a budgets comparison's charts can show: the scenario's classes (marked on the
/// heatmap) and its years.
pub fn scope(dir: &Path) -> PlotResult<Scope> {
    let d = ChartData::load(dir)?;
    // Damaged tables are bad input, found before anything is drawn.
    read(dir)?;
    Ok(Scope {
        kind: "budgets comparison",
        classes: d
            .actors
            .into_iter()
            .filter(|a| !a.starts_with("budget "))
            .collect(),
        years: d.years,
        costs: false,
        year_axis: true,
    })
}

struct Heatmap<'a> {
    data: &'a ChartData,
    target: &'a str,
    cells: Vec<&'a GridRow>,
}

impl Chart for Heatmap<'_> {
    fn stem(&self) -> String {
        format!("threshold_heatmap_{}", slug(self.target))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(&d.scenario, &format!("P(cost of {} ≤ budget)", self.target));
        let subtitle = format!(
            "Colour: share of samples whose cost fits a fixed budget · lines: 10%, 50%, 90% · ◀ classes' median budgets in {:.0}",
            d.years.first().copied().unwrap_or(d.start_year)
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        let (plot_area, side) = body.split_horizontally(w - sz.px(290.0));
        let mut years: Vec<f64> = self.cells.iter().map(|c| c.year).collect();
        years.sort_by(f64::total_cmp);
        years.dedup();
        let mut budgets: Vec<f64> = self.cells.iter().map(|c| c.budget.log10()).collect();
        budgets.sort_by(f64::total_cmp);
        budgets.dedup();
        let (Some(&y0), Some(&y1), Some(&b0), Some(&b1)) =
            (years.first(), years.last(), budgets.first(), budgets.last())
        else {
            return Err("empty grid".into());
        };
        let half_y = if years.len() > 1 {
            (years[1] - years[0]) / 2.0
        } else {
            0.5
        };
        let half_b = if budgets.len() > 1 {
            (budgets[1] - budgets[0]) / 2.0
        } else {
            0.125
        };
        let (lo, hi) = (b0 - half_b, b1 + half_b);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(8.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(86.0))
            .build_cartesian_2d(axis(y0 - half_y, y1 + half_y)?, axis(lo, hi)?)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Year")
            .y_desc("Budget, US dollars (log scale)")
            .x_labels(8)
            .x_label_formatter(&super::layout::year_tick)
            .y_labels(decade_ticks(lo.ceil(), hi.floor(), 12).len())
            .y_label_formatter(&|v| on_decade(*v, dollars_tick))
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;
        // Each cell reaches halfway to its neighbours on both axes (extra report_years are
        // uneven, and so are grid budgets rounded to 3 digits), so neighbours share an edge.
        chart
            .draw_series(self.cells.iter().map(|c| {
                let (left, right) = cell_edges(&years, c.year, half_y);
                let (low, high) = cell_edges(&budgets, c.budget.log10(), half_b);
                Rectangle::new(
                    [(left, low), (right, high)],
                    ViridisRGB.get_color(c.p_cost_at_most as f32).filled(),
                )
            }))
            .map_err(err)?;
        // Contours: in each year, where P crosses the level between two grid budgets (log-linear).
        for (level, colour) in [(0.1, WHITE), (0.5, WHITE), (0.9, BLACK)] {
            let mut line = Vec::new();
            for &y in &years {
                let mut col: Vec<(f64, f64)> = self
                    .cells
                    .iter()
                    .filter(|c| c.year == y)
                    .map(|c| (c.budget.log10(), c.p_cost_at_most))
                    .collect();
                col.sort_by(|a, b| a.0.total_cmp(&b.0));
                if let Some(wnd) = col.windows(2).find(|w| w[0].1 < level && w[1].1 >= level) {
                    let f = (level - wnd[0].1) / (wnd[1].1 - wnd[0].1);
                    line.push((y, wnd[0].0 + f * (wnd[1].0 - wnd[0].0)));
                }
            }
            if line.len() > 1 {
                chart
                    .draw_series(LineSeries::new(
                        line.clone(),
                        colour.stroke_width(sz.px(2.0)),
                    ))
                    .map_err(err)?;
                let last = line[line.len() - 1];
                let (px, py) = chart.backend_coord(&last);
                contour_label(
                    root,
                    &sz,
                    &format!("{:.0}%", level * 100.0),
                    (px - sz.px(34.0) as i32, py - sz.px(16.0) as i32),
                    colour,
                )?;
            }
        }
        // The actor classes' median budgets at the first year, marked at the right edge.
        let (x_edge, top) = chart.backend_coord(&(y1 + half_y, hi));
        let (_, bottom) = chart.backend_coord(&(y1 + half_y, lo));
        let mut labels = Vec::new();
        // Classes in their colours by name (as in every other chart), not by file order, chosen
        // among all of the scenario's classes (the budgets aside) whichever `--actors` shows.
        let classes: Vec<String> = d
            .all_actors
            .iter()
            .filter(|a| !a.starts_with("budget "))
            .cloned()
            .collect();
        for (a, c) in classes.iter().zip(class_colours(&classes)) {
            if !d.actors.contains(a) {
                continue;
            }
            if let Some((_, q)) = d.fan("budget", a).first() {
                let v = q[2].log10();
                if v >= lo && v <= hi {
                    let (_, py) = chart.backend_coord(&(y1, v));
                    root.draw(&Polygon::new(
                        vec![
                            (x_edge, py),
                            (x_edge + sz.px(9.0) as i32, py - sz.px(5.0) as i32),
                            (x_edge + sz.px(9.0) as i32, py + sz.px(5.0) as i32),
                        ],
                        c.filled(),
                    ))
                    .map_err(err)?;
                    labels.push(EndLabel {
                        text: a.clone(),
                        colour: c,
                        y: py,
                    });
                }
            }
        }
        let (sx, _) = side.get_base_pixel();
        end_labels(
            root,
            &sz,
            labels,
            x_edge + sz.px(10.0) as i32,
            sx + sz.px(24.0) as i32,
            (top, bottom),
        )?;
        // Colour bar, at the far right.
        let (bx, bw) = (w as i32 - sz.px(66.0) as i32, sz.px(16.0) as i32);
        let steps = 50;
        // One formula for both edges of a step, so that steps share theirs.
        let step_y = |i: i32| bottom - ((bottom - top) as f64 * (i as f64 / steps as f64)) as i32;
        for i in 0..steps {
            root.draw(&Rectangle::new(
                [(bx, step_y(i + 1)), (bx + bw, step_y(i))],
                ViridisRGB
                    .get_color((i as f64 / steps as f64) as f32)
                    .filled(),
            ))
            .map_err(err)?;
        }
        // Its title above it, right-aligned to the image's edge (beside it, the classes' labels
        // would collide with a long one).
        root.draw(&Text::new(
            "P(cost ≤ budget)",
            (w as i32 - sz.px(10.0) as i32, top - sz.px(14.0) as i32),
            (FONT, sz.font(13.0))
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Bottom)),
        ))
        .map_err(err)?;
        let tick = (FONT, sz.font(12.0)).into_font().color(&MUTED);
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let y = bottom - ((bottom - top) as f64 * p) as i32;
            root.draw(&Text::new(
                format!("{:.0}%", p * 100.0),
                (bx + bw + sz.px(4.0) as i32, y - sz.px(6.0) as i32),
                tick.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

/// The edges of the cell at `v`, one of the sorted, distinct `values`: halfway to each
/// neighbour, `half` beyond the outermost values. Neighbouring cells get the very same number for
/// the edge they share.
fn cell_edges(values: &[f64], v: f64, half: f64) -> (f64, f64) {
    let i = values.partition_point(|&u| u < v);
    let low = if i > 0 {
        (values[i - 1] + v) / 2.0
    } else {
        v - half
    };
    let high = values.get(i + 1).map_or(v + half, |&n| (v + n) / 2.0);
    (low, high)
}

struct Curves<'a> {
    data: &'a ChartData,
    target: &'a str,
    curves: Vec<&'a CurveRow>,
}

impl Chart for Curves<'_> {
    fn stem(&self) -> String {
        format!("threshold_curves_{}", slug(self.target))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let title = headed(
            &d.scenario,
            &format!("P({} affordable by the year) per budget", self.target),
        );

        // A frontier-of-year target exists from its year.
        let from = d
            .targets
            .iter()
            .find(|t| t.name == self.target)
            .and_then(|t| t.frontier_year)
            .unwrap_or(d.start_year);
        let mut names: Vec<&str> = Vec::new();
        for c in &self.curves {
            if !names.contains(&c.actor.as_str()) {
                names.push(&c.actor);
            }
        }
        // A fine grid would make dozens of lines: show at most ten or so, evenly spread, and
        // say so.
        let all = names.len();
        let mut subtitle = "Each line a fixed budget".to_string();
        if all > MAX_CURVES {
            let step = all.div_ceil(MAX_CURVES);
            let last = names[all - 1];
            names = names.into_iter().step_by(step).collect();
            if names.last() != Some(&last) {
                names.push(last);
            }
            subtitle += &format!(
                ": {} of the {all} thresholds, every {} and the largest (all of them in thresholds.csv and the heat map)",
                names.len(),
                ordinal(step)
            );
        }
        let lines = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                // Viridis without its lightest end, which is hard to see on white.
                let colour = ViridisRGB.get_color(if names.len() > 1 {
                    0.8 * i as f32 / (names.len() - 1) as f32
                } else {
                    0.0
                });
                let points = self
                    .curves
                    .iter()
                    .filter(|c| c.actor == *name)
                    .map(|c| (c.year, c.probability))
                    .collect();
                (
                    name.trim_start_matches("budget ").to_string(),
                    colour,
                    points,
                )
            })
            // Largest budget first: where curves end together (at 100%) their labels then
            // read down from the largest, as the curves below them do.
            .rev()
            .collect::<Vec<_>>();
        let head = Head {
            title: &title,
            subtitle: &subtitle,
            footer: d.provenance.as_deref(),
        };
        let width = legend_width(&lines);
        probability_curves(root, &head, d.year_axis(from), &lines, width)
    }
}

/// `n` as an English ordinal: 2nd, 3rd, 11th, 21st.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A contour's label at `(x, y)` (its top-left corner) in the contour's colour, on a box of the
/// opposite shade so that it reads over the cells and over the contour line itself.
pub fn contour_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sz: &Sizes,
    text: &str,
    (x, y): (i32, i32),
    colour: RGBColor,
) -> PlotResult<()> {
    let style = TextStyle::from((FONT, sz.font(12.5)).into_font()).color(&colour);
    let (w, h) = root.estimate_text_size(text, &style).map_err(err)?;
    let pad = sz.px(3.0) as i32;
    let dark = colour == WHITE;
    let background = if dark {
        BLACK.mix(0.65)
    } else {
        WHITE.mix(0.85)
    };
    // A polygon, not a rectangle: the heatmap's rectangles are its cells.
    let (x1, y1) = (x + w as i32 + pad, y + h as i32 + pad);
    root.draw(&Polygon::new(
        vec![(x - pad, y - pad), (x1, y - pad), (x1, y1), (x - pad, y1)],
        background.filled(),
    ))
    .map_err(err)?;
    root.draw(&Text::new(text.to_string(), (x, y), style))
        .map_err(err)
}
