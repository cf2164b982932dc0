//! Affordability curves of one target: P(affordable by year) for every actor class, in percent,
//! with a dotted line at 50% and the share not affordable by the horizon in each label; a tick
//! on a class's curve at each `[[observed]]` date the class reached the target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::ChartData;
use super::layout::axis;
use super::layout::{
    END_LABEL_FONT, EndLabel, end_labels, headed, label_column, text_width, thick_line, title_block,
};
use super::observed::{Mark, draw_marks};
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
                        "{} ({} not by {})",
                        d.actors[k],
                        percent_label(never),
                        crate::format::year_label(d.end_year)
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
        let (x0, x1) = d.year_axis(from);
        let ticks: Vec<Tick> = super::observed::reached(d, &t.name)
            .filter(|(o, _)| o.year >= x0 && o.year <= x1)
            .map(|(o, k)| (o.year, k, o.label.clone()))
            .collect();
        probability_curves_marked(root, &head, (x0, x1), &lines, width, &ticks)
    }
}

/// An observed date on a curve: `(year, index of the line, label)`.
pub type Tick = (f64, usize, String);

/// A date for people: the month it falls in, `May 2022` for 2022.33 or `"2022-05"` (read as the
/// start of May), or `2035` for a whole year.
pub fn month_year(year: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let whole = year.floor();
    if year - whole < 1e-9 || !(1000.0..=9999.0).contains(&whole) {
        return format!("{year:.0}");
    }
    let start = |m: usize| {
        crate::scenario::number::parse_date(&format!("{whole:.0}-{:02}", m + 1)).unwrap_or(whole)
    };
    let month = (0..12)
        .rev()
        .find(|&m| start(m) <= year + 1e-9)
        .unwrap_or(0);
    format!("{} {whole:.0}", MONTHS[month])
}

/// A curve's value at `year`, linear between its points (its first or last value beyond them).
pub fn value_at(curve: &[(f64, f64)], year: f64) -> Option<f64> {
    let first = curve.first()?;
    if year <= first.0 {
        return Some(first.1);
    }
    for w in curve.windows(2) {
        let ((y0, p0), (y1, p1)) = (w[0], w[1]);
        if year <= y1 {
            return Some(p0 + (p1 - p0) * (year - y0) / (y1 - y0));
        }
    }
    curve.last().map(|l| l.1)
}

/// The width the labels of `lines` need beside the plot, at 1200 pixels, as measured in the
/// bundled font: the gap before them, the longest, and a margin after it (at least 60, at most
/// 480). The chart widens it where a small image's font floor makes the text relatively wider.
pub fn legend_width(lines: &[Line]) -> f64 {
    let longest = lines
        .iter()
        .map(|l| text_width(&l.0, END_LABEL_FONT, false))
        .max()
        .unwrap_or(0);
    (f64::from(longest) + 28.0).clamp(60.0, 480.0)
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
    range: (f64, f64),
    lines: &[Line],
    legend_width: f64,
) -> PlotResult<()> {
    probability_curves_marked(root, head, range, lines, legend_width, &[])
}

/// [`probability_curves`] with a labelled tick on a line at each of `ticks`' years, at the
/// line's value then (`P(affordable by that date)`, linear between reporting years).
pub fn probability_curves_marked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    head: &Head<'_>,
    (from, to): (f64, f64),
    lines: &[Line],
    legend_width: f64,
    ticks: &[Tick],
) -> PlotResult<()> {
    let (w, _) = root.dim_in_pixel();
    let sz = Sizes::new(w);
    let body = title_block(root, &sz, head.title, head.subtitle, head.footer)?;
    // The column fits the labels at the font actually drawn (which stops shrinking at 8 px).
    let texts: Vec<String> = lines.iter().map(|l| l.0.clone()).collect();
    let column = label_column(&sz, w, &texts, legend_width);
    let (plot_area, legend) = body.split_horizontally(w - column);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_left(sz.px(12.0))
        .margin_right(sz.px(12.0))
        .margin_top(sz.px(8.0))
        .x_label_area_size(sz.px(52.0))
        .y_label_area_size(sz.px(70.0))
        .build_cartesian_2d(axis(from, to.max(from + 1.0))?, 0.0..100.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .x_desc("Year")
        .y_desc("P(affordable by the year)")
        .x_labels(8)
        .y_labels(11)
        .x_label_formatter(&super::layout::year_tick)
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
    let marks: Vec<Mark> = ticks
        .iter()
        .filter_map(|(year, k, label)| {
            let (_, colour, curve) = lines.get(*k)?;
            let p = value_at(curve, *year)?;
            Some(Mark {
                at: chart.backend_coord(&(*year, 100.0 * p)),
                label: format!(
                    "{label}, {} · {} by then",
                    month_year(*year),
                    if (0.995..1.0).contains(&p) {
                        ">99%".to_string()
                    } else {
                        percent_label(100.0 * p)
                    }
                ),
                colour: *colour,
                filled: true,
                tick: true,
            })
        })
        .collect();
    let (left, _) = chart.backend_coord(&(from, 100.0));
    draw_marks(root, &sz, &marks, (left, top, x_line, bottom))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_back_as_the_month_they_were_written() {
        use crate::scenario::number::parse_date;
        for (text, shown) in [
            ("2022-05", "May 2022"),
            ("2021-08", "Aug 2021"),
            ("2030-07", "Jul 2030"),
            ("2024-12", "Dec 2024"),
            ("2024-02-29", "Feb 2024"),
            ("2023-03-31", "Mar 2023"),
        ] {
            assert_eq!(month_year(parse_date(text).unwrap()), shown, "{text}");
        }
        assert_eq!(month_year(2035.0), "2035");
        // A fractional year is shown as the month it falls in: 2022.4 is 26 May.
        assert_eq!(month_year(2022.4), "May 2022");
    }

    #[test]
    fn a_curve_is_read_linearly_between_its_points() {
        let c = [(2030.0, 0.2), (2031.0, 0.6)];
        assert!((value_at(&c, 2030.25).unwrap() - 0.3).abs() < 1e-12);
        assert_eq!(value_at(&c, 2029.0), Some(0.2));
        assert_eq!(value_at(&c, 2040.0), Some(0.6));
        assert_eq!(value_at(&[], 2030.0), None);
    }
}
