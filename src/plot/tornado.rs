//! Tornado chart of one target × actor class: for the inputs with the largest swings, a bar from
//! the median year with the input at its 5th percentile to the median year with it at its 95th,
//! around the main run's median.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{ChartData, SensitivityRow};
use super::layout::axis;
use super::layout::{headed, title_block};
use super::style::{FONT, GRID, MUTED, Sizes};
use super::{Chart, PlotResult, err};
use crate::format::year_label;

/// Inputs shown per chart.
const SHOWN: usize = 12;
/// Bar colours for the input at its 5th and at its 95th percentile.
const LOW: RGBColor = RGBColor(0, 114, 178);
const HIGH: RGBColor = RGBColor(213, 94, 0);

/// The tornado chart of one target × actor class.
pub struct TornadoChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Target name.
    pub target: &'a str,
    /// Actor class name.
    pub actor: &'a str,
}

impl TornadoChart<'_> {
    /// Every (target, actor) with sensitivity rows, in file order.
    pub fn pairs(data: &ChartData) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = Vec::new();
        for r in &data.sensitivity {
            if !v.iter().any(|(t, a)| *t == r.target && *a == r.actor) {
                v.push((&r.target, &r.actor));
            }
        }
        v
    }

    fn rows(&self) -> Vec<&SensitivityRow> {
        self.data
            .sensitivity
            .iter()
            .filter(|r| r.target == self.target && r.actor == self.actor)
            .take(SHOWN)
            .collect()
    }
}

impl Chart for TornadoChart<'_> {
    fn stem(&self) -> String {
        crate::names::chart_stem("tornado", &[self.target, self.actor])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let rows = self.rows();
        let Some(first) = rows.first() else {
            return Err("no sensitivity rows".into());
        };
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(
            &d.scenario,
            &format!("what drives when {} can afford {}", self.actor, self.target),
        );
        // The key promises the beyond-the-horizon marker only where a bar carries one.
        let beyond = rows
            .iter()
            .any(|r| r.median_year_input_at_p5.is_none() || r.median_year_input_at_p95.is_none());
        let subtitle = format!(
            "Median year with each input at its 5th (blue) and 95th (orange) percentile, others as drawn{}",
            if beyond {
                format!(" · ▶ beyond {}", year_label(d.end_year))
            } else {
                String::new()
            }
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        let at = |y: Option<f64>| y.unwrap_or(d.end_year);
        let base = at(first.median_year);
        let (mut lo, mut hi) = (base, base);
        for r in &rows {
            for y in [r.median_year_input_at_p5, r.median_year_input_at_p95] {
                lo = lo.min(at(y));
                hi = hi.max(at(y));
            }
        }
        let pad = ((hi - lo) * 0.08).max(0.5);
        let n = rows.len();
        let names: Vec<String> = rows.iter().map(|r| r.input.clone()).collect();
        let label = move |v: &f64| {
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n {
                names[n - 1 - k as usize].clone()
            } else {
                String::new()
            }
        };
        let (plot_area, legend) = body.split_horizontally(w - sz.px(170.0));
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(330.0))
            .build_cartesian_2d(
                axis(
                    (lo - pad).max(d.start_year - 0.5),
                    (hi + pad).min(d.end_year + 0.5),
                )?,
                axis(-0.6, n as f64 - 0.4)?,
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .x_desc("Median affordability year")
            .x_labels(8)
            .x_label_formatter(&super::layout::year_tick)
            .y_labels(n + 1)
            .y_label_formatter(&label)
            .label_style((FONT, sz.font(13.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;
        let h = 0.34;
        let (lx, _) = legend.get_base_pixel();
        for (k, r) in rows.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            for (end, colour) in [
                (r.median_year_input_at_p5, LOW),
                (r.median_year_input_at_p95, HIGH),
            ] {
                let x = at(end);
                chart
                    .draw_series([Rectangle::new(
                        [(base.min(x), y - h), (base.max(x), y + h)],
                        colour.mix(0.8).filled(),
                    )])
                    .map_err(err)?;
                if end.is_none() {
                    // The median is beyond the horizon: the bar stops there and turns into a ▶
                    // as tall as the bar. With both ends beyond, the ▶ is split: its upper half
                    // the low end's colour, its lower half the high end's, so neither hides the
                    // other.
                    let (px, top) = chart.backend_coord(&(x, y + h));
                    let (_, bottom) = chart.backend_coord(&(x, y - h));
                    let mid = (top + bottom) / 2;
                    let tip = (px + sz.px(16.0) as i32, mid);
                    let both =
                        r.median_year_input_at_p5.is_none() && r.median_year_input_at_p95.is_none();
                    let points = match (both, colour == LOW) {
                        (false, _) => vec![(px, top), tip, (px, bottom)],
                        (true, true) => vec![(px, top), tip, (px, mid)],
                        (true, false) => vec![(px, mid), tip, (px, bottom)],
                    };
                    root.draw(&Polygon::new(points, colour.mix(0.8).filled()))
                        .map_err(err)?;
                }
            }
            let (_, py) = chart.backend_coord(&(base, y));
            let text = r
                .spearman
                .map_or("ρ n/a".to_string(), |rho| format!("ρ = {rho:+.2}"));
            let style = (FONT, sz.font(13.0))
                .into_font()
                .color(&MUTED)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(text, (lx + sz.px(8.0) as i32, py), style))
                .map_err(err)?;
        }
        let n_top = n as f64 - 0.4;
        chart
            .draw_series([PathElement::new(
                vec![(base, -0.6), (base, n_top)],
                BLACK.stroke_width(sz.px(2.0)),
            )])
            .map_err(err)?;
        let (px, py) = chart.backend_coord(&(base, n_top));
        let note = match first.median_year {
            Some(m) => format!("median {m:.1}"),
            None => format!("median beyond {}", year_label(d.end_year)),
        };
        let style = (FONT, sz.font(13.0))
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw(&Text::new(note, (px, py - sz.px(2.0) as i32), style))
            .map_err(err)?;
        Ok(())
    }
}
