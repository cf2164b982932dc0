//! Affordability curves of one target: P(affordable by year) for every actor class, in percent,
//! with a dotted line at 50% and the share never affordable by the horizon in each label.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::layout::{EndLabel, end_labels, headed, thick_line, title_block};
use super::style::{FONT, GRID, MUTED, Sizes, slug};
use super::{Chart, PlotResult, err};
use crate::format::percent_label;

/// The affordability chart of target `target`.
pub struct AffordabilityChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Which target.
    pub target: usize,
}

impl Chart for AffordabilityChart<'_> {
    fn stem(&self) -> String {
        format!(
            "affordability_{}",
            slug(&self.data.targets[self.target].name)
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let t = &d.targets[self.target];
        let title = headed(&d.scenario, &format!("who can afford {}, and when", t.name));
        let subtitle = "Probability that one actor of each class can afford it by the year";
        // A frontier-of-year target exists from its year: its axis and curves start there.
        let from = t.frontier_year.unwrap_or(d.start_year);
        let lines = t
            .curves
            .iter()
            .enumerate()
            .map(|(k, curve)| {
                let never = 100.0 * t.never[k];
                let label = if never > 0.0 {
                    format!(
                        "{} ({} not by {:.0})",
                        d.actors[k],
                        percent_label(never),
                        d.end_year
                    )
                } else {
                    d.actors[k].clone()
                };
                let points = d.years.iter().zip(curve).map(|(y, p)| (*y, *p)).collect();
                (label, d.colours[k], points)
            })
            .collect::<Vec<_>>();
        let width = legend_width(&lines);
        let head = Head {
            title: &title,
            subtitle,
            footer: d.provenance.as_deref(),
        };
        probability_curves(root, &head, d.year_axis(from), &lines, width)
    }
}

/// The width the labels of `lines` need beside the plot, at 1200 pixels: at least 300.
pub fn legend_width(lines: &[Line]) -> f64 {
    let longest = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
    (8.0 * longest as f64 + 40.0).clamp(300.0, 480.0)
}

/// A chart's title, subtitle and provenance line.
pub struct Head<'a> {
    /// The title.
    pub title: &'a str,
    /// The subtitle: what the chart shows.
    pub subtitle: &'a str,
    /// The provenance line, if drawn.
    pub footer: Option<&'a str>,
}

/// One labelled curve: `(label, colour, [(year, probability)])`.
pub type Line = (String, RGBColor, Vec<(f64, f64)>);

/// A line per `(label, colour, [(year, probability)])` from `from` to `to`, in percent from 0 to
/// 100 with a dotted line at 50%, each labelled at its right end beside the plot. Shared by the
/// affordability curves and the threshold curves of `compare`.
pub fn probability_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    head: &Head<'_>,
    (from, to): (f64, f64),
    lines: &[Line],
    legend_width: f64,
) -> PlotResult<()> {
    let (w, _) = root.dim_in_pixel();
    let sz = Sizes::new(w);
    let body = title_block(root, &sz, head.title, head.subtitle, head.footer)?;
    let (plot_area, legend) = body.split_horizontally(w - sz.px(legend_width));
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_left(sz.px(12.0))
        .margin_right(sz.px(12.0))
        .margin_top(sz.px(8.0))
        .x_label_area_size(sz.px(52.0))
        .y_label_area_size(sz.px(70.0))
        .build_cartesian_2d(from..to.max(from + 1.0), 0.0..100.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .x_desc("Year")
        .y_desc("P(affordable by the year)")
        .x_labels(8)
        .y_labels(11)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}%"))
        .label_style((FONT, sz.font(14.0)))
        .axis_desc_style((FONT, sz.font(16.0)))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(DashedLineSeries::new(
            [(from, 50.0), (to, 50.0)],
            sz.px(3.0),
            sz.px(5.0),
            MUTED.stroke_width(sz.px(1.5)),
        ))
        .map_err(err)?;
    let mut labels = Vec::new();
    for (label, colour, curve) in lines {
        let points: Vec<(f64, f64)> = curve
            .iter()
            .filter(|(y, _)| *y >= from && *y <= to)
            .map(|(y, p)| (*y, 100.0 * p))
            .collect();
        thick_line(&mut chart, &points, *colour, sz.px(2.5))?;
        if let Some(last) = points.last() {
            labels.push(EndLabel {
                text: label.clone(),
                colour: *colour,
                y: chart.backend_coord(last).1,
            });
        }
    }
    let (x_line, top) = chart.backend_coord(&(to, 100.0));
    let (_, bottom) = chart.backend_coord(&(to, 0.0));
    let (lx, _) = legend.get_base_pixel();
    end_labels(
        root,
        &sz,
        labels,
        x_line,
        lx + sz.px(10.0) as i32,
        (top, bottom),
    )
}
