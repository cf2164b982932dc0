//! What a target costs each class, by component: one panel per class, the mean share of compute,
//! data, staff and deployment in the class's whole cost stacked to 100% year by year, with the
//! class's median affordability year marked. Mean shares add up to one exactly, so the stack is
//! honest in a way stacked medians are not.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::layout::axis;
use super::layout::{headed, title_block};
use super::style::{FONT, GRID, Sizes, slug};
use super::{Chart, PlotResult, err};

/// The components chart of target `target`.
pub struct ComponentsChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Which target.
    pub target: usize,
}

/// Component colours: a family of their own (the classes own the Okabe–Ito colours): compute
/// slate, data ochre, staff teal, deployment plum.
const COMPONENTS: [(&str, RGBColor); 4] = [
    ("compute", RGBColor(69, 90, 120)),
    ("data", RGBColor(214, 160, 60)),
    ("staff", RGBColor(60, 160, 150)),
    ("deployment", RGBColor(150, 90, 150)),
];

impl ComponentsChart<'_> {
    /// True when the run has a cost breakdown.
    pub fn has_components(data: &ChartData) -> bool {
        !data.cost_components.is_empty()
    }
}

impl Chart for ComponentsChart<'_> {
    fn stem(&self) -> String {
        format!("components_{}", slug(&self.data.targets[self.target].name))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let t = &d.targets[self.target];
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(
            &d.scenario,
            &format!("what {} costs each class, by component", t.name),
        );
        let subtitle =
            "Mean share of each component in the whole cost · black line: median year affordable";
        let body = title_block(root, &sz, &title, subtitle, d.provenance.as_deref())?;
        let (x0, x1) = d.year_axis(d.start_year);
        let present: Vec<(&str, RGBColor)> = COMPONENTS
            .iter()
            .copied()
            .filter(|(c, _)| {
                d.cost_components
                    .iter()
                    .any(|r| r.target == t.name && r.component == *c)
            })
            .collect();
        // A legend row, then the panels.
        let (legend, panels) = body.split_vertically(sz.px(34.0));
        let mut x = sz.px(24.0) as i32;
        for (name, colour) in &present {
            let s = sz.px(14.0) as i32;
            legend
                .draw(&Rectangle::new([(x, 6), (x + s, 6 + s)], colour.filled()))
                .map_err(err)?;
            legend
                .draw(&Text::new(
                    name.to_string(),
                    (x + s + 6, 5),
                    (FONT, sz.font(15.0)).into_font().color(&BLACK),
                ))
                .map_err(err)?;
            x += s + 6 + sz.px(12.0 * name.len() as f64 * 0.6 + 40.0) as i32;
        }
        let n = d.actors.len();
        let cols = if n <= 4 { n } else { n.div_ceil(2).min(4) };
        let rows = n.div_ceil(cols);
        let panels =
            super::layout::panel_axis_titles(&panels, &sz, "Year", "Mean share of the whole cost")?;
        let areas = panels.split_evenly((rows, cols));
        for (k, actor) in d.actors.iter().enumerate() {
            let area = &areas[k];
            let mean = |component: &str| -> Vec<Option<f64>> {
                d.cost_components
                    .iter()
                    .find(|r| r.target == t.name && r.actor == *actor && r.component == component)
                    .and_then(|r| r.mean_share_by_year.clone())
                    .unwrap_or_else(|| vec![None; d.years.len()])
            };
            let shares: Vec<Vec<Option<f64>>> = present.iter().map(|(c, _)| mean(c)).collect();
            let median = t.median_years[k].filter(|y| *y <= d.end_year);
            let caption = actor.clone();
            let mut chart = ChartBuilder::on(area)
                .margin(sz.px(10.0))
                .margin_right(sz.px(20.0))
                .caption(
                    caption,
                    // Black: the class colours would clash with the components'.
                    (FONT, sz.font(16.0), FontStyle::Bold)
                        .into_font()
                        .color(&BLACK),
                )
                .x_label_area_size(sz.px(26.0))
                .y_label_area_size(sz.px(44.0))
                .build_cartesian_2d(axis(x0, x1)?, 0.0..100.0)
                .map_err(err)?;
            chart
                .configure_mesh()
                .bold_line_style(GRID.stroke_width(1))
                .light_line_style(TRANSPARENT)
                .x_labels(4)
                .y_labels(3)
                .x_label_formatter(&super::layout::year_tick)
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .label_style((FONT, sz.font(12.0)))
                .draw()
                .map_err(err)?;
            // Stack the shares year by year where the target exists.
            let years: Vec<(usize, f64)> = d
                .years
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| shares.first().is_some_and(|s| s[*i].is_some()))
                .collect();
            let mut below = vec![0.0; years.len()];
            for (s, (_, colour)) in shares.iter().zip(&present) {
                let above: Vec<f64> = years
                    .iter()
                    .zip(&below)
                    .map(|((i, _), b)| b + 100.0 * s[*i].unwrap_or(0.0))
                    .collect();
                let polygon: Vec<(f64, f64)> = years
                    .iter()
                    .zip(&above)
                    .map(|((_, y), v)| (*y, v.min(100.0)))
                    .chain(
                        years
                            .iter()
                            .zip(&below)
                            .rev()
                            .map(|((_, y), v)| (*y, v.min(100.0))),
                    )
                    .collect();
                if years.len() >= 2 {
                    chart
                        .draw_series([Polygon::new(polygon, colour.filled())])
                        .map_err(err)?;
                }
                below = above;
            }
            if let Some(y) = median.filter(|y| *y >= x0 && *y <= x1) {
                chart
                    .draw_series([PathElement::new(
                        vec![(y, 0.0), (y, 100.0)],
                        BLACK.stroke_width(sz.px(2.0)),
                    )])
                    .map_err(err)?;
            } else {
                // A note on a light box in the panel's top left corner.
                let plot = chart.plotting_area().strip_coord_spec();
                // Beyond the horizon, or (with --year-range) off the axis.
                let note = match median {
                    Some(y) => format!("median year {y:.1}"),
                    None => format!("median not by {}", crate::format::year_label(d.end_year)),
                };
                let font = (FONT, sz.font(13.0)).into_font().color(&BLACK);
                let (tw, th) = plot.estimate_text_size(&note, &font).map_err(err)?;
                let pad = sz.px(5.0) as i32;
                let corner = (pad, pad);
                let far = (pad + tw as i32 + 2 * pad, pad + th as i32 + 2 * pad);
                plot.draw(&Rectangle::new([corner, far], WHITE.mix(0.85).filled()))
                    .map_err(err)?;
                plot.draw(&Text::new(note, (2 * pad, 2 * pad), font))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
