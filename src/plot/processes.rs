//! The inputs as processes: fan charts of effective FLOP per dollar, algorithmic efficiency and
//! frontier spend over time, so a user sees what their assumptions imply.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::layout::axis;
use super::layout::{headed, thick_line, title_block};
use super::style::{
    FONT, GRID, Sizes, decade_range, decade_ticks, dollars_tick, on_decade, power_tick, times_tick,
};
use super::{Chart, PlotResult, err};

/// The three input processes side by side.
pub struct ProcessesChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
}

const PANELS: [(&str, &str, &str); 3] = [
    (
        "flop_per_dollar",
        "Hardware: effective FLOP per dollar",
        "FLOP per US dollar (log scale)",
    ),
    (
        "algorithmic_efficiency",
        "Algorithms: efficiency multiplier",
        "× fewer FLOP than at the start (log)",
    ),
    (
        "frontier_spend",
        "Investment: frontier spend",
        "Largest run, US dollars (log scale)",
    ),
];

const FILLS: [RGBColor; 3] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
];

impl Chart for ProcessesChart<'_> {
    fn stem(&self) -> String {
        "processes".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(&d.scenario, "what the inputs imply");
        let subtitle = "Median with 50% and 90% bands";
        let body = title_block(root, &sz, &title, subtitle, d.provenance.as_deref())?;
        let (x0, x1) = d.year_axis(d.start_year);
        // Without [investment] the run has no frontier spend: two panels.
        let panels: Vec<(usize, (&str, &str, &str))> = PANELS
            .into_iter()
            .enumerate()
            .filter(|(_, (series, _, _))| !d.fan(series, "").is_empty())
            .collect();
        for (area, (i, (series, name, desc))) in body
            .split_evenly((1, panels.len().max(1)))
            .iter()
            .zip(panels)
        {
            let rows = d.fan(series, "");
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for (_, q) in rows {
                lo = lo.min(q[0]);
                hi = hi.max(q[4]);
            }
            if !(lo > 0.0 && hi.is_finite()) {
                return Err(format!("no data for {series}"));
            }
            let (a, b) = decade_range(lo.log10(), hi.log10(), 30.0);
            let y = move |v: f64| v.log10().clamp(a, b);
            let mut chart = ChartBuilder::on(area)
                .caption(name, (FONT, sz.font(15.0), FontStyle::Bold))
                .margin(sz.px(10.0))
                .margin_right(sz.px(26.0))
                .x_label_area_size(sz.px(46.0))
                .y_label_area_size(sz.px(84.0))
                .build_cartesian_2d(axis(x0, x1)?, axis(a, b)?)
                .map_err(err)?;
            let fmt = |v: &f64| match series {
                "frontier_spend" => on_decade(*v, dollars_tick),
                "algorithmic_efficiency" => on_decade(*v, times_tick),
                _ => on_decade(*v, power_tick),
            };
            chart
                .configure_mesh()
                .bold_line_style(GRID.stroke_width(1))
                .light_line_style(TRANSPARENT)
                .x_desc("Year")
                .y_desc(desc)
                .x_labels(5)
                .x_label_formatter(&super::layout::year_tick)
                .y_labels(decade_ticks(a, b, 9).len())
                .y_label_formatter(&fmt)
                .label_style((FONT, sz.font(13.0)))
                .axis_desc_style((FONT, sz.font(14.0)))
                .draw()
                .map_err(err)?;
            let c = FILLS[i];
            for (lo_q, hi_q, alpha) in [(0, 4, 0.18), (1, 3, 0.35)] {
                let upper = rows.iter().map(|(yr, q)| (*yr, y(q[hi_q])));
                let lower = rows.iter().rev().map(|(yr, q)| (*yr, y(q[lo_q])));
                chart
                    .draw_series([Polygon::new(
                        upper.chain(lower).collect::<Vec<_>>(),
                        c.mix(alpha).filled(),
                    )])
                    .map_err(err)?;
            }
            let median: Vec<(f64, f64)> = rows.iter().map(|(yr, q)| (*yr, y(q[2]))).collect();
            thick_line(&mut chart, &median, c, sz.px(3.0))?;
        }
        Ok(())
    }
}
