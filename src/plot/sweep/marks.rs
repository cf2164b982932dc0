//! The marks of the sweep charts: the x axis of a swept key, one class's years at each point,
//! and how they are drawn (bands and lines for a grid, bars point by point, the horizon).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::format::{format_dollars, format_number};
use crate::plot::layout::thick_line;
use crate::plot::style::{COST, MUTED, Sizes};
use crate::plot::{PlotResult, err};
use crate::sweep::{SweepDoc, SweptPoint};

/// The x axis: the key's numbers (on a log scale when they span two decades or more), or its
/// values as categories in the order met.
pub(super) enum XAxis {
    /// Numbers on a linear scale; `true`: dollars (the values were written with `$`).
    Linear(bool),
    /// log10 of the numbers.
    Log(bool),
    Categories(Vec<String>),
}

impl XAxis {
    /// The axis of key `key` of a sweep.
    pub(super) fn of(doc: &SweepDoc, key: usize) -> Self {
        let numbers: Option<Vec<f64>> = doc.points.iter().map(|p| p.numbers[key]).collect();
        match numbers {
            Some(v) if !v.is_empty() => {
                let dollars = doc.points.iter().any(|p| p.values[key].starts_with('$'));
                let (lo, hi) = v
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                        (a.min(*x), b.max(*x))
                    });
                // Dollars span decades: a log scale from one decade on; other numbers from two.
                if lo > 0.0 && hi / lo >= if dollars { 10.0 } else { 100.0 } {
                    XAxis::Log(dollars)
                } else {
                    XAxis::Linear(dollars)
                }
            }
            _ => {
                let mut cats: Vec<String> = Vec::new();
                for p in &doc.points {
                    if !cats.contains(&p.values[key]) {
                        cats.push(p.values[key].clone());
                    }
                }
                XAxis::Categories(cats)
            }
        }
    }

    /// Where a point sits on the axis.
    pub(super) fn x(&self, p: &SweptPoint, key: usize) -> f64 {
        match self {
            XAxis::Linear(_) => p.numbers[key].unwrap_or(0.0),
            XAxis::Log(_) => p.numbers[key].unwrap_or(1.0).log10(),
            XAxis::Categories(c) => c.iter().position(|v| *v == p.values[key]).unwrap_or(0) as f64,
        }
    }

    /// The tick label at `v`.
    pub(super) fn label(&self, v: f64) -> String {
        match self {
            XAxis::Linear(dollars) => number(v, *dollars),
            XAxis::Log(dollars) if (v - v.round()).abs() < 1e-9 => {
                number(10f64.powf(v.round()), *dollars)
            }
            XAxis::Log(_) => String::new(),
            XAxis::Categories(c) if (v - v.round()).abs() < 1e-9 && v >= 0.0 => {
                c.get(v.round() as usize).cloned().unwrap_or_default()
            }
            XAxis::Categories(_) => String::new(),
        }
    }
}

/// A tick label: a number, or dollars (`$10K`).
fn number(v: f64, dollars: bool) -> String {
    if dollars {
        format_dollars(v)
    } else {
        format_number(v)
    }
}

/// One class's numbers at one point: x, the 5th, 50th and 95th percentile years, the horizon.
#[derive(Clone, Copy)]
pub(super) struct Mark {
    pub(super) x: f64,
    pub(super) q: [Option<f64>; 3],
    pub(super) end: f64,
}

/// The year range a panel shows: from the earliest 5th percentile to the latest 95th (or the
/// horizon when a year is beyond it), in whole years with room at the ends, at least two.
pub(super) fn year_range(marks: &[Mark]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for m in marks {
        for q in m.q {
            let y = q.unwrap_or(m.end);
            lo = lo.min(y);
            hi = hi.max(y);
        }
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    // Half a year of room, so that marks at the ends are not cut by the frame.
    let (lo, hi) = ((lo - 0.5).floor(), (hi + 0.5).ceil());
    (lo, hi.max(lo + 2.0))
}

/// The x range the panels show: the values with a margin.
pub(super) fn x_range(marks: &[Mark], x: &XAxis) -> (f64, f64) {
    let (lo, hi) = marks
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), m| {
            (a.min(m.x), b.max(m.x))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let pad = match x {
        XAxis::Categories(_) => 0.5,
        _ if hi > lo => (hi - lo) * 0.05,
        _ => (lo.abs() * 0.1).max(0.1),
    };
    (lo - pad, hi + pad)
}

/// A short horizontal line in a dash pattern (dash 0: solid), in dark grey, for a legend.
pub(super) fn dash_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    len: i32,
    (dash, gap): (u32, u32),
    width: u32,
) -> PlotResult<()> {
    let style = COST.stroke_width(width);
    if dash == 0 {
        return area
            .draw(&PathElement::new(vec![(x, y), (x + len, y)], style))
            .map_err(err);
    }
    let mut at = x;
    while at < x + len {
        let to = (at + dash as i32).min(x + len);
        area.draw(&PathElement::new(vec![(at, y), (to, y)], style))
            .map_err(err)?;
        at = to + gap as i32;
    }
    Ok(())
}

type Plane<'a, DB> = crate::plot::layout::Plane<'a, DB>;

/// The horizon, dashed, where any quantile of the class is beyond it.
pub(super) fn horizon<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    sz: &Sizes,
    marks: &[Mark],
) -> PlotResult<()> {
    if marks.iter().all(|m| m.q.iter().all(Option::is_some)) {
        return Ok(());
    }
    let line: Vec<(f64, f64)> = marks.iter().map(|m| (m.x, m.end)).collect();
    let line = if line.len() == 1 {
        let (lo, hi) = (chart.x_range().start, chart.x_range().end);
        vec![(lo, line[0].1), (hi, line[0].1)]
    } else {
        line
    };
    chart
        .draw_series(DashedLineSeries::new(
            line,
            sz.px(6.0),
            sz.px(5.0),
            MUTED.stroke_width(sz.px(1.5)),
        ))
        .map_err(err)?;
    Ok(())
}

/// Medians (filled dots; open on the horizon when beyond it) of `marks`.
pub(super) fn medians<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    sz: &Sizes,
    marks: &[Mark],
    colour: RGBColor,
) -> PlotResult<()> {
    for m in marks {
        let el = match m.q[1] {
            Some(y) => Circle::new((m.x, y), sz.px(3.5), colour.filled()),
            None => Circle::new((m.x, m.end), sz.px(5.0), colour.stroke_width(sz.px(2.0))),
        };
        chart.draw_series([el]).map_err(err)?;
    }
    Ok(())
}

/// One line of a grid: the 90% band (at `opacity`: lighter when several lines' bands overlap),
/// the median line (broken where beyond the horizon) in the dash `style`, and the medians.
pub(super) fn lines<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    sz: &Sizes,
    marks: &[Mark],
    (colour, opacity): (RGBColor, f64),
    style: (u32, u32, &str),
) -> PlotResult<()> {
    let at = |m: &Mark, i: usize| m.q[i].unwrap_or(m.end);
    let band: Vec<(f64, f64)> = marks
        .iter()
        .map(|m| (m.x, at(m, 2)))
        .chain(marks.iter().rev().map(|m| (m.x, at(m, 0))))
        .collect();
    if marks.len() > 1 {
        chart
            .draw_series([Polygon::new(band, colour.mix(opacity).filled())])
            .map_err(err)?;
    } else {
        bars(chart, sz, marks, colour)?;
    }
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for m in marks {
        match m.q[1] {
            Some(y) => pieces.last_mut().expect("non-empty").push((m.x, y)),
            None => pieces.push(Vec::new()),
        }
    }
    for piece in pieces.iter().filter(|p| p.len() > 1) {
        let (dash, gap, _) = style;
        if dash == 0 {
            thick_line(chart, piece, colour, sz.px(2.5))?;
        } else {
            chart
                .draw_series(DashedLineSeries::new(
                    piece.clone(),
                    sz.px(dash as f64),
                    sz.px(gap as f64),
                    colour.stroke_width(sz.px(2.5)),
                ))
                .map_err(err)?;
        }
    }
    medians(chart, sz, marks, colour)
}

/// Point by point: a bar from the 5th to the 95th percentile year (to the horizon where beyond
/// it) and the median.
pub(super) fn bars<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    sz: &Sizes,
    marks: &[Mark],
    colour: RGBColor,
) -> PlotResult<()> {
    let at = |m: &Mark, i: usize| m.q[i].unwrap_or(m.end);
    chart
        .draw_series(marks.iter().map(|m| {
            PathElement::new(
                vec![(m.x, at(m, 0)), (m.x, at(m, 2))],
                colour.mix(0.45).stroke_width(sz.px(2.0)),
            )
        }))
        .map_err(err)?;
    medians(chart, sz, marks, colour)
}
