//! Affordability curves of one target: P(affordable by year) for every actor class, in percent,
//! with a dotted line at 50% and the share never affordable by the horizon in each label.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cost::group;
use super::data::ChartData;
use super::layout::{EndLabel, end_labels, thick_line, title_block};
use super::style::{FONT, GRID, MUTED, Sizes, actor_colour, slug};
use super::{Chart, PlotResult, err};

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
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = format!("{}: who can afford {}, and when", d.scenario, t.name);
        let subtitle = format!(
            "Probability that one actor of each class can afford it by the year · {} samples, seed {}",
            group(d.samples),
            d.seed
        );
        let body = title_block(root, &sz, &title, &subtitle)?;
        let (plot_area, legend) = body.split_horizontally(w - sz.px(300.0));
        // A frontier-of-year target exists from its year: its axis and curves start there.
        let from = t.frontier_year.unwrap_or(d.start_year);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(70.0))
            .build_cartesian_2d(from..d.end_year, 0.0..100.0)
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
                [(from, 50.0), (d.end_year, 50.0)],
                sz.px(3.0),
                sz.px(5.0),
                MUTED.stroke_width(sz.px(1.5)),
            ))
            .map_err(err)?;
        let mut labels = Vec::new();
        for (k, curve) in t.curves.iter().enumerate() {
            let c = actor_colour(k);
            let points: Vec<(f64, f64)> = d
                .years
                .iter()
                .zip(curve)
                .filter(|(y, _)| **y >= from)
                .map(|(y, p)| (*y, 100.0 * p))
                .collect();
            thick_line(&mut chart, &points, c, sz.px(2.5))?;
            if let Some(last) = points.last() {
                let never = 100.0 * t.never[k];
                let text = if never > 0.0 {
                    format!(
                        "{} ({} not by {:.0})",
                        d.actors[k],
                        percent(never),
                        d.end_year
                    )
                } else {
                    d.actors[k].clone()
                };
                labels.push(EndLabel {
                    text,
                    colour: c,
                    y: chart.backend_coord(last).1,
                });
            }
        }
        let (x_line, top) = chart.backend_coord(&(d.end_year, 100.0));
        let (_, bottom) = chart.backend_coord(&(d.end_year, 0.0));
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
}

/// A percentage for labels: `37%`, `0.4%`, `<0.1%`.
fn percent(p: f64) -> String {
    if p < 0.1 {
        "<0.1%".into()
    } else if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}
