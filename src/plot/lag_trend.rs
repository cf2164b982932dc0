//! The lag trend: for every actor class, the diffusion lag (median line, 50% band) against the
//! frontier year, to show whether diffusion is slowing for everyone or a barrier is forming.
//! Lags beyond the horizon sit on the dashed line of the largest lag the horizon can show.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::layout::{EndLabel, end_labels, headed, thick_line, title_block};
use super::style::{FONT, GRID, MUTED, Sizes};
use super::{Chart, PlotResult, err};
use crate::format::share_label;

/// The lag-trend chart of a run with two or more frontier-of-year targets.
pub struct LagTrendChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
}

impl Chart for LagTrendChart<'_> {
    fn stem(&self) -> String {
        "lag_trend".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let points = d.frontier_targets();
        let (Some(&(first, _)), Some(&(last, _))) = (points.first(), points.last()) else {
            return Err("no frontier-of-year targets".into());
        };
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(&d.scenario, "is diffusion slowing, and for whom?");
        let subtitle = format!(
            "Years until each class affords the frontier of each year · median, 50% band · ○ on the dashed horizon ({:.0}): median beyond it",
            d.end_year
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        let (plot_area, legend) = body.split_horizontally(w - sz.px(290.0));
        let y_max = (d.end_year - first).max(1.0);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(70.0))
            .build_cartesian_2d(first..last.max(first + 1.0), 0.0..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .x_desc("Frontier year (when the frontier first trains the capability)")
            .y_desc("Lag until affordable, years")
            .x_labels(points.len().min(10))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;
        // The largest lag the horizon can show: end_year − Y.
        let limit: Vec<(f64, f64)> = points.iter().map(|(y, _)| (*y, d.end_year - y)).collect();
        chart
            .draw_series(DashedLineSeries::new(
                limit,
                sz.px(6.0),
                sz.px(5.0),
                MUTED.stroke_width(sz.px(1.5)),
            ))
            .map_err(err)?;
        let mut labels = Vec::new();
        for (k, actor) in d.actors.iter().enumerate() {
            let c = d.colours[k];
            let at = |y: f64, q: Option<f64>| q.unwrap_or(d.end_year - y).clamp(0.0, y_max);
            let band: Vec<(f64, f64)> = points
                .iter()
                .map(|(y, j)| (*y, at(*y, d.targets[*j].lags[k][3])))
                .chain(
                    points
                        .iter()
                        .rev()
                        .map(|(y, j)| (*y, at(*y, d.targets[*j].lags[k][1]))),
                )
                .collect();
            chart
                .draw_series([Polygon::new(band, c.mix(0.12).filled())])
                .map_err(err)?;
            // The median line is broken where the median is beyond the horizon; there an open
            // marker sits on the horizon line, meaning "at least this".
            let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            let mut censored = Vec::new();
            for (y, j) in &points {
                match d.targets[*j].lags[k][2] {
                    Some(v) => pieces
                        .last_mut()
                        .expect("non-empty")
                        .push((*y, v.clamp(0.0, y_max))),
                    None => {
                        censored.push((*y, (d.end_year - y).clamp(0.0, y_max)));
                        pieces.push(Vec::new());
                    }
                }
            }
            for piece in pieces.iter().filter(|p| !p.is_empty()) {
                thick_line(&mut chart, piece, c, sz.px(2.5))?;
                chart
                    .draw_series(
                        piece
                            .iter()
                            .map(|p| Circle::new(*p, sz.px(3.5), c.filled())),
                    )
                    .map_err(err)?;
            }
            chart
                .draw_series(
                    censored
                        .iter()
                        .map(|p| Circle::new(*p, sz.px(5.0), c.stroke_width(sz.px(2.0)))),
                )
                .map_err(err)?;
            if let Some((y, j)) = points.last() {
                let beyond = d.targets[*j].lags[k][2].is_none();
                let text = if beyond {
                    format!(
                        "{actor} ({} not by {:.0})",
                        share_label(100.0 * d.targets[*j].never[k]),
                        d.end_year
                    )
                } else {
                    actor.clone()
                };
                let end = (*y, at(*y, d.targets[*j].lags[k][2]));
                labels.push(EndLabel {
                    text,
                    colour: c,
                    y: chart.backend_coord(&end).1,
                });
            }
        }
        let (x_line, top) = chart.backend_coord(&(last, y_max));
        let (_, bottom) = chart.backend_coord(&(last, 0.0));
        let (lx, _) = legend.get_base_pixel();
        end_labels(
            root,
            &sz,
            labels,
            x_line,
            lx + sz.px(10.0) as i32,
            (top, bottom),
        )?;
        Ok(())
    }
}
