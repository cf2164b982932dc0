//! The backtest's charts: every scored match's observed cost against its predicted bands (with
//! and without access terms), and the histogram of PIT values (flat when calibrated).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::axis;
use super::layout::title_block;
use super::style::{FONT, GRID, MUTED, Sizes, decade_range, decade_ticks, dollars_tick, on_decade};
use super::{Chart, PlotResult, err};
use crate::backtest::BacktestResults;
use crate::backtest::score::Score;
use crate::format::group_digits;

/// With access terms: blue; without: grey (the model before access).
const WITH: RGBColor = RGBColor(0, 114, 178);
const WITHOUT: RGBColor = RGBColor(150, 150, 150);

/// Observed costs against predicted bands, one row per match.
pub struct CasesChart<'a> {
    /// The backtest.
    pub results: &'a BacktestResults,
}

impl Chart for CasesChart<'_> {
    fn stem(&self) -> String {
        "backtest_cases".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let r = self.results;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = "Backtest: observed cost of each later match against the model's bands";
        let what = if r.measurement.is_some() {
            "Published final-run compute cost (with measurement error)"
        } else {
            "Final-run compute cost at the match's date"
        };
        let subtitle = format!(
            "{what} · dot: observed · 50%, 90% bands: blue with access terms, grey without · {} samples per case",
            group_digits(r.samples)
        );
        let body = title_block(root, &sz, title, &subtitle, None)?;
        let n = r.matches.len().max(1);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for m in &r.matches {
            for s in [&m.with_access, &m.without_access] {
                lo = lo.min(s.predicted[0]).min(m.observed);
                hi = hi.max(s.predicted[4]).max(m.observed);
            }
        }
        if !(lo > 0.0 && hi.is_finite()) {
            return Err("no scored match to draw".into());
        }
        let (a, b) = decade_range(lo.log10(), hi.log10(), 20.0);
        let label_width = sz.px(420.0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(24.0))
            .margin_top(sz.px(4.0))
            .x_label_area_size(sz.px(48.0))
            .y_label_area_size(label_width)
            .build_cartesian_2d(axis(a, b)?, 0.0..n as f64)
            .map_err(err)?;
        let names: Vec<String> = r
            .matches
            .iter()
            .map(|m| {
                let model: String = m.model.chars().take(28).collect();
                format!(
                    "{model} ({}) · {} · {:.0}",
                    m.case,
                    m.actor_class,
                    m.year.floor()
                )
            })
            .collect();
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .x_desc("US dollars (log scale)")
            .x_labels(decade_ticks(a, b, 12).len())
            .x_label_formatter(&|v| on_decade(*v, dollars_tick))
            .y_labels(0)
            .label_style((FONT, sz.font(13.0)))
            .axis_desc_style((FONT, sz.font(15.0)))
            .draw()
            .map_err(err)?;
        let row_font = (FONT, sz.font(11.5)).into_font().color(&BLACK);
        let bar = |s: &Score, centre: f64, colour: RGBColor| {
            let l = |v: f64| v.log10();
            [
                Rectangle::new(
                    [
                        (l(s.predicted[0]), centre - 0.06),
                        (l(s.predicted[4]), centre + 0.06),
                    ],
                    colour.mix(0.45).filled(),
                ),
                Rectangle::new(
                    [
                        (l(s.predicted[1]), centre - 0.16),
                        (l(s.predicted[3]), centre + 0.16),
                    ],
                    colour.filled(),
                ),
            ]
        };
        for (i, m) in r.matches.iter().enumerate() {
            // The first match at the top.
            let row = (n - 1 - i) as f64;
            chart
                .draw_series(bar(&m.with_access, row + 0.62, WITH))
                .map_err(err)?;
            chart
                .draw_series(bar(&m.without_access, row + 0.3, WITHOUT))
                .map_err(err)?;
            let at = (m.observed.log10(), row + 0.46);
            chart
                .draw_series([Circle::new(at, sz.px(5.0), WHITE.filled())])
                .map_err(err)?;
            chart
                .draw_series([Circle::new(at, sz.px(4.0), BLACK.filled())])
                .map_err(err)?;
            let (_, py) = chart.backend_coord(&(a, row + 0.46));
            let (px, _) = chart.backend_coord(&(a, 0.0));
            root.draw(&Text::new(
                names[i].clone(),
                (px - sz.px(8.0) as i32, py),
                row_font.pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

/// How often the observations fell in each tenth of the prediction.
pub struct PitChart<'a> {
    /// The backtest.
    pub results: &'a BacktestResults,
}

impl Chart for PitChart<'_> {
    fn stem(&self) -> String {
        "backtest_pit".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let r = self.results;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = "Backtest: where history fell in the model's predictions";
        let subtitle = "Share of matches per tenth of the predicted distribution (PIT); a calibrated model is flat at 10% · blue: with access terms, grey: without".to_string();
        let body = title_block(root, &sz, title, &subtitle, None)?;
        let counts = |pick: fn(&crate::backtest::MatchResult) -> f64| {
            let mut c = [0usize; 10];
            for m in &r.matches {
                c[((pick(m) * 10.0).floor() as usize).min(9)] += 1;
            }
            c
        };
        let with = counts(|m| m.with_access.pit);
        let without = counts(|m| m.without_access.pit);
        let n = r.matches.len().max(1) as f64;
        let top = with
            .iter()
            .chain(&without)
            .map(|c| *c as f64 / n)
            .fold(0.2, f64::max)
            .min(1.0)
            * 100.0;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(30.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(70.0))
            .build_cartesian_2d(0.0..1.0, axis(0.0, top * 1.1)?)
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .x_desc("PIT: the prediction's probability of a cost at most the observed one")
            .y_desc("Share of matches")
            .x_labels(11)
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(15.0)))
            .draw()
            .map_err(err)?;
        for (i, (cw, co)) in with.iter().zip(&without).enumerate() {
            let x = i as f64 / 10.0;
            chart
                .draw_series([
                    Rectangle::new(
                        [(x + 0.01, 0.0), (x + 0.05, 100.0 * *cw as f64 / n)],
                        WITH.filled(),
                    ),
                    Rectangle::new(
                        [(x + 0.05, 0.0), (x + 0.09, 100.0 * *co as f64 / n)],
                        WITHOUT.filled(),
                    ),
                ])
                .map_err(err)?;
        }
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 10.0), (1.0, 10.0)],
                sz.px(6.0),
                sz.px(5.0),
                MUTED.stroke_width(sz.px(2.0)),
            ))
            .map_err(err)?;
        Ok(())
    }
}
