//! Diffusion lag of a frontier-of-year target: for every actor class, a box and whiskers of the
//! years between the frontier training the capability (year Y) and the class affording it
//! (5/25/50/75/95%), with the share of samples beyond the horizon stated.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChartData;
use super::layout::axis;
use super::layout::{headed, title_block};
use super::style::{FONT, GRID, MUTED, Sizes, slug};
use super::{Chart, PlotResult, err};
use crate::format::year_label;

/// The lag chart of frontier target `target`.
pub struct LagChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Which target (must have a frontier year).
    pub target: usize,
}

impl Chart for LagChart<'_> {
    fn stem(&self) -> String {
        format!("lag_{}", slug(&self.data.targets[self.target].name))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let t = &d.targets[self.target];
        let year = t.frontier_year.ok_or("not a frontier-of-year target")?;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(&d.scenario, &format!("diffusion lag of {}", t.name));
        let subtitle = format!(
            "Years from the frontier's run in {} until each class can afford it · box 25–75%, whiskers 5–95%",
            year_label(year)
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        let (plot_area, legend) = body.split_horizontally(w - sz.px(190.0));
        let horizon = d.end_year - year;
        let n = d.actors.len();
        let row = |k: usize| (n - 1 - k) as f64; // first class at the top
        let names = d.actors.clone();
        let label = move |v: &f64| {
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n {
                names[n - 1 - k as usize].clone()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(200.0))
            .build_cartesian_2d(axis(0.0, horizon.max(1.0))?, axis(-0.6, n as f64 - 0.4)?)
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .x_desc(format!(
                "Lag after {}, years (dashed: the horizon, {})",
                year_label(year),
                year_label(d.end_year)
            ))
            .x_labels(8)
            .x_label_formatter(&super::layout::year_tick)
            .y_labels(n + 1)
            .y_label_formatter(&label)
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;
        // The horizon: boxes and whiskers that reach it continue beyond it.
        chart
            .draw_series(DashedLineSeries::new(
                [(horizon, -0.6), (horizon, n as f64 - 0.4)],
                sz.px(4.0),
                sz.px(4.0),
                MUTED.stroke_width(sz.px(1.5)),
            ))
            .map_err(err)?;
        let h = 0.28;
        let (lx, _) = legend.get_base_pixel();
        for (k, q) in t.lags.iter().enumerate() {
            let c = d.colours[k];
            let y = row(k);
            let at = |v: Option<f64>| v.unwrap_or(horizon).clamp(0.0, horizon);
            let (p5, p25, p50, p75, p95) = (at(q[0]), at(q[1]), at(q[2]), at(q[3]), at(q[4]));
            let thin = c.stroke_width(sz.px(2.0));
            chart
                .draw_series([PathElement::new(vec![(p5, y), (p25, y)], thin)])
                .map_err(err)?;
            chart
                .draw_series([PathElement::new(vec![(p75, y), (p95, y)], thin)])
                .map_err(err)?;
            chart
                .draw_series([PathElement::new(
                    vec![(p5, y - h / 2.0), (p5, y + h / 2.0)],
                    thin,
                )])
                .map_err(err)?;
            if q[4].is_some() {
                chart
                    .draw_series([PathElement::new(
                        vec![(p95, y - h / 2.0), (p95, y + h / 2.0)],
                        thin,
                    )])
                    .map_err(err)?;
            }
            chart
                .draw_series([Rectangle::new(
                    [(p25, y - h), (p75, y + h)],
                    c.mix(0.35).filled(),
                )])
                .map_err(err)?;
            chart
                .draw_series([Rectangle::new(
                    [(p25, y - h), (p75, y + h)],
                    c.stroke_width(sz.px(2.0)),
                )])
                .map_err(err)?;
            if q[2].is_some() {
                chart
                    .draw_series([PathElement::new(
                        vec![(p50, y - h), (p50, y + h)],
                        BLACK.stroke_width(sz.px(3.0)),
                    )])
                    .map_err(err)?;
            }
            let never = 100.0 * t.never[k];
            let text = match never {
                0.0 => format!("all by {}", year_label(d.end_year)),
                n if n < 0.1 => format!("<0.1% beyond {}", year_label(d.end_year)),
                n => format!("{n:.1}% beyond {}", year_label(d.end_year)),
            };
            let (_, py) = chart.backend_coord(&(0.0, y));
            let style = (FONT, sz.font(13.0))
                .into_font()
                .color(&if never >= 0.05 { c } else { MUTED })
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(text, (lx + sz.px(8.0) as i32, py), style))
                .map_err(err)?;
        }
        Ok(())
    }
}
