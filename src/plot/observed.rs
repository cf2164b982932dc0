//! `[[observed]]` points on the charts: a diamond at (date, cost) on the cost charts, a tick on a
//! class's curve at the date it reached the target on the affordability charts, each with a
//! direct label on a white background, moved down where it would cover another label.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::ChartData;
use super::style::{FONT, Sizes};
use super::{PlotResult, err};
use crate::scenario::{Observed, ObservedBasis};

/// One mark to draw: where (pixels), how, and its label.
pub struct Mark {
    /// The point, in pixels of the whole image.
    pub at: (i32, i32),
    /// The label beside it.
    pub label: String,
    /// Its colour (the class's, black without one).
    pub colour: RGBColor,
    /// Filled (a figure on the lines' basis) or hollow (another basis, e.g. a final run).
    pub filled: bool,
    /// A vertical tick across a curve (affordability) instead of a diamond (cost).
    pub tick: bool,
}

/// The observed points with a dollar value to draw on the cost chart of `target`: those of that
/// target and those of no target.
pub fn cost_points<'a>(d: &'a ChartData, target: &'a str) -> impl Iterator<Item = &'a Observed> {
    d.observed.iter().filter(move |o| {
        o.value.is_some()
            && o.target.as_deref().is_none_or(|t| t == target)
            && o.year >= d.start_year
    })
}

/// The observed points of a class reaching `target`, with the class's index: drawn on its
/// affordability curve.
pub fn reached<'a>(
    d: &'a ChartData,
    target: &'a str,
) -> impl Iterator<Item = (&'a Observed, usize)> {
    d.observed.iter().filter_map(move |o| {
        if o.target.as_deref() != Some(target) {
            return None;
        }
        let k = d.actors.iter().position(|a| Some(a) == o.actor.as_ref())?;
        Some((o, k))
    })
}

/// The colour of an observed point: its class's, black without one.
pub fn colour(d: &ChartData, o: &Observed) -> RGBColor {
    o.actor
        .as_ref()
        .and_then(|a| d.actors.iter().position(|n| n == a))
        .map_or(BLACK, |k| d.colours[k])
}

/// The label of a cost point: `OPT-175B · $730K (final run)`.
pub fn cost_label(o: &Observed) -> String {
    let v = crate::format::format_dollars(o.value.unwrap_or(0.0));
    match o.basis {
        ObservedBasis::Project => format!("{} · {v}", o.label),
        ObservedBasis::FinalRun => format!("{} · {v} final run", o.label),
    }
}

/// Draws `marks` inside `(left, top, right, bottom)` (pixels): the marks first, then their
/// labels, each to the right of its mark (to the left near the right edge), moved down past
/// marks and labels already placed, with a leader line when moved.
pub fn draw_marks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sz: &Sizes,
    marks: &[Mark],
    (left, top, right, bottom): (i32, i32, i32, i32),
) -> PlotResult<()> {
    let s = |v: f64| sz.px(v) as i32;
    for m in marks {
        let (x, y) = m.at;
        if m.tick {
            root.draw(&PathElement::new(
                vec![(x, y - s(11.0)), (x, y + s(11.0))],
                WHITE.stroke_width(sz.px(6.0)),
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![(x, y - s(10.0)), (x, y + s(10.0))],
                m.colour.stroke_width(sz.px(3.0)),
            ))
            .map_err(err)?;
            continue;
        }
        let r = s(7.0);
        let diamond = |r: i32| vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
        root.draw(&Polygon::new(diamond(r + s(2.0)), WHITE.filled()))
            .map_err(err)?;
        if m.filled {
            root.draw(&Polygon::new(diamond(r), m.colour.filled()))
                .map_err(err)?;
        } else {
            let mut ring = diamond(r);
            ring.push(ring[0]);
            root.draw(&PathElement::new(ring, m.colour.stroke_width(sz.px(2.0))))
                .map_err(err)?;
        }
    }
    let font = TextStyle::from((FONT, sz.font(12.5)).into_font());
    let pad = s(3.0);
    // The marks themselves are in the way too: a label never covers another point's mark.
    let mut placed: Vec<(i32, i32, i32, i32)> = marks
        .iter()
        .map(|m| {
            let (x, y) = m.at;
            let (rx, ry) = if m.tick {
                (s(3.0), s(11.0))
            } else {
                (s(9.0), s(9.0))
            };
            (x - rx, y - ry, x + rx, y + ry)
        })
        .collect();
    let mut order: Vec<&Mark> = marks.iter().collect();
    order.sort_by_key(|m| (m.at.1, m.at.0));
    for m in order {
        let (w, h) = root.estimate_text_size(&m.label, &font).map_err(err)?;
        let (w, h) = (w as i32 + 2 * pad, h as i32 + 2 * pad);
        let gap = s(12.0);
        let x0 = if m.at.0 + gap + w <= right {
            m.at.0 + gap
        } else {
            (m.at.0 - gap - w).max(left)
        };
        let mut y0 = (m.at.1 - h / 2).clamp(top, (bottom - h).max(top));
        let overlaps = |y0: i32, p: &(i32, i32, i32, i32)| {
            x0 < p.2 && p.0 < x0 + w && y0 < p.3 && p.1 < y0 + h
        };
        for _ in 0..40 {
            match placed.iter().find(|p| overlaps(y0, p)) {
                Some(p) => y0 = p.3 + 1,
                None => break,
            }
        }
        let moved = (y0 + h / 2 - m.at.1).abs() > h / 2;
        if moved {
            let lx = if x0 > m.at.0 { x0 } else { x0 + w };
            root.draw(&PathElement::new(
                vec![m.at, (lx, y0 + h / 2)],
                m.colour.stroke_width(1),
            ))
            .map_err(err)?;
        }
        boxed_text(root, &m.label, (x0, y0), (w, h), pad, sz, m.colour)?;
        placed.push((x0, y0, x0 + w, y0 + h));
    }
    Ok(())
}

/// Text on a white box (`(x, y)` its top-left corner, `(w, h)` its size with `pad` inside), so
/// that it reads over lines and bands.
pub fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
    pad: i32,
    sz: &Sizes,
    colour: RGBColor,
) -> PlotResult<()> {
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(err)?;
    let style = (FONT, sz.font(12.5))
        .into_font()
        .color(&colour)
        .pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(text.to_string(), (x + pad, y + h / 2), style))
        .map_err(err)
}
