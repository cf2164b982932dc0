//! The lag trend: for every actor class, the diffusion lag (median dot, 50% bar, 90% line) at
//! each frontier year, the classes side by side within a year, to show whether diffusion is
//! slowing for everyone or a barrier is forming. A median beyond the horizon is an open triangle
//! on the dashed line of the largest lag the horizon can show; medians are joined only when
//! there are three frontier years or more.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChartData;
use super::layout::axis;
use super::layout::{EndLabel, end_labels, headed, label_column, title_block};
use super::style::{FONT, GRID, MUTED, Sizes};
use super::{Chart, PlotResult, err};
use crate::format::{share_label, year_label};

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
            "Years until each class affords the frontier of each year · median ●, 50% bar, 90% line · △ on the dashed horizon: median not by {}",
            year_label(d.end_year)
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        // Each class's label at the last frontier year: its name and the share not by the end.
        let texts: Vec<String> = d
            .actors
            .iter()
            .enumerate()
            .map(|(k, actor)| {
                let never = d.targets[last_target(&points)].never[k];
                if never > 0.0 {
                    format!(
                        "{actor} ({} not by {})",
                        share_label(100.0 * never),
                        year_label(d.end_year)
                    )
                } else {
                    actor.clone()
                }
            })
            .collect();
        let (plot_area, legend) = body.split_horizontally(w - label_column(&sz, w, &texts, 60.0));
        let y_max = (d.end_year - first).max(1.0);
        // Each frontier year is a group of one slot per class, `2 · half` years wide.
        let spacing = points
            .windows(2)
            .map(|w| w[1].0 - w[0].0)
            .fold(f64::INFINITY, f64::min);
        let half = if spacing.is_finite() {
            0.38 * spacing
        } else {
            2.0
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(70.0))
            .build_cartesian_2d(
                axis(first - 1.3 * half, last + 1.3 * half)?,
                axis(0.0, y_max)?,
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .x_desc("Frontier year (when the frontier first trains the capability)")
            .y_desc("Lag until affordable, years")
            .x_labels(0)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;
        // The largest lag the horizon can show: end_year − Y, across each year's group.
        for (y, _) in &points {
            chart
                .draw_series(DashedLineSeries::new(
                    [(y - half, d.end_year - y), (y + half, d.end_year - y)],
                    sz.px(6.0),
                    sz.px(5.0),
                    MUTED.stroke_width(sz.px(1.5)),
                ))
                .map_err(err)?;
        }
        let n = d.actors.len().max(1) as f64;
        // Name the dashed line once, above the first group's.
        if let Some((y, _)) = points.first() {
            let (px, py) = chart.backend_coord(&(y - half, d.end_year - y));
            root.draw(&Text::new(
                format!("horizon: not by {}", year_label(d.end_year)),
                (px, py - sz.px(6.0) as i32),
                (FONT, sz.font(12.5))
                    .into_font()
                    .color(&MUTED)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
        let mut labels = Vec::new();
        for (k, text) in texts.iter().enumerate() {
            let c = d.colours[k];
            // Each class has its own slot within a year's group, so no band hides another.
            let dx = dodge(k, d.actors.len(), 2.0 * half);
            let at = |y: f64, q: Option<f64>| q.unwrap_or(d.end_year - y).clamp(0.0, y_max);
            let mut medians = Vec::new();
            for (y, j) in &points {
                let q = d.targets[*j].lags[k];
                let x = y + dx;
                // 90% interval: a thin line; 50%: a thick bar; a bound beyond the horizon
                // stops at the horizon line.
                chart
                    .draw_series([PathElement::new(
                        vec![(x, at(*y, q[0])), (x, at(*y, q[4]))],
                        c.mix(0.7).stroke_width(sz.px(1.5)),
                    )])
                    .map_err(err)?;
                chart
                    .draw_series([PathElement::new(
                        vec![(x, at(*y, q[1])), (x, at(*y, q[3]))],
                        c.mix(0.8).stroke_width(sz.px((60.0 / n).clamp(5.0, 10.0))),
                    )])
                    .map_err(err)?;
                let m = (x, at(*y, q[2]));
                if q[2].is_some() {
                    chart
                        .draw_series([
                            Circle::new(m, sz.px(6.5), WHITE.filled()),
                            Circle::new(m, sz.px(4.5), c.filled()),
                        ])
                        .map_err(err)?;
                    medians.push(m);
                } else {
                    // Beyond the horizon: an open triangle pointing up on the horizon line.
                    let (px, py) = chart.backend_coord(&m);
                    let r = sz.px(7.0) as i32;
                    let tri = vec![(px, py - r), (px + r, py + r / 2), (px - r, py + r / 2)];
                    root.draw(&Polygon::new(tri.clone(), WHITE.filled()))
                        .map_err(err)?;
                    let mut ring = tri;
                    ring.push(ring[0]);
                    root.draw(&PathElement::new(ring, c.stroke_width(sz.px(2.0))))
                        .map_err(err)?;
                }
            }
            // With three or more frontier years a thin line guides the eye from median to
            // median; two points joined by a line would suggest a straight trend between them.
            if points.len() >= 3 {
                for w in medians.windows(2) {
                    chart
                        .draw_series([PathElement::new(
                            vec![w[0], w[1]],
                            c.mix(0.6).stroke_width(sz.px(1.5)),
                        )])
                        .map_err(err)?;
                }
            }
            if let Some((y, j)) = points.last() {
                let text = text.clone();
                let end = (*y + dx, at(*y, d.targets[*j].lags[k][2]));
                labels.push(EndLabel {
                    text,
                    colour: c,
                    y: chart.backend_coord(&end).1,
                });
            }
        }
        let (x_line, top) = chart.backend_coord(&(last + 1.3 * half, y_max));
        let (_, bottom) = chart.backend_coord(&(last + 1.3 * half, 0.0));
        // The frontier years under their groups.
        for (y, _) in &points {
            let (px, py) = chart.backend_coord(&(*y, 0.0));
            root.draw(&Text::new(
                year_label(*y),
                (px, py + sz.px(8.0) as i32),
                (FONT, sz.font(14.0))
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(err)?;
        }
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

/// The index of the last frontier-of-year target of `points` (`(year, target)`, not empty).
fn last_target(points: &[(f64, usize)]) -> usize {
    points.last().map_or(0, |p| p.1)
}

/// The offset of class `k` of `n` within a group `width` years wide: slots centred on the year.
pub fn dodge(k: usize, n: usize, width: f64) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    width * ((k as f64 + 0.5) / n as f64 - 0.5)
}
