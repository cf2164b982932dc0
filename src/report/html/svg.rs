//! Inline SVG primitives for the report's charts: a plot frame with linear scales, grid lines
//! with tick labels, lines, bands and hoverable points whose `<title>` carries the numbers.
//! Coordinates are written to one decimal, so the same data always gives the same bytes.

use std::fmt::Write;

use plotters::style::RGBColor;

use super::escape::escape;

/// A chart's drawing area in SVG user units, with the data ranges it maps.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Whole width.
    pub width: f64,
    /// Whole height.
    pub height: f64,
    /// Left edge of the plot area.
    pub left: f64,
    /// Right edge of the plot area.
    pub right: f64,
    /// Top edge of the plot area.
    pub top: f64,
    /// Bottom edge of the plot area.
    pub bottom: f64,
    /// Data range on x.
    pub x_range: (f64, f64),
    /// Data range on y (log10 values for a log axis).
    pub y_range: (f64, f64),
}

impl Frame {
    /// A frame of the usual size with room for tick labels on the left and below.
    pub fn new(width: f64, height: f64, x_range: (f64, f64), y_range: (f64, f64)) -> Self {
        Self {
            width,
            height,
            left: 64.0,
            right: width - 16.0,
            top: 12.0,
            bottom: height - 40.0,
            x_range,
            y_range,
        }
    }

    /// The x position of a data value.
    pub fn x(&self, v: f64) -> f64 {
        map(v, self.x_range, (self.left, self.right))
    }

    /// The y position of a data value.
    pub fn y(&self, v: f64) -> f64 {
        map(v, self.y_range, (self.bottom, self.top))
    }

    /// A data point's position.
    pub fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x(x), self.y(y))
    }
}

/// Linear map of `v` from `d` to `r`; a degenerate domain maps to the range's middle, and the
/// result stays finite and inside the range.
fn map(v: f64, d: (f64, f64), r: (f64, f64)) -> f64 {
    let span = d.1 - d.0;
    let f = if span.abs() > 0.0 && v.is_finite() {
        ((v - d.0) / span).clamp(0.0, 1.0)
    } else {
        0.5
    };
    r.0 + f * (r.1 - r.0)
}

/// `#rrggbb`.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Opens an `<svg>` element for `frame`, labelled for screen readers.
pub fn open(out: &mut String, frame: &Frame, label: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        frame.width,
        frame.height,
        escape(label)
    );
}

/// Vertical grid lines and labels below the plot at `ticks` (x data values, labels).
pub fn x_grid(out: &mut String, f: &Frame, ticks: &[(f64, String)]) {
    for (v, label) in ticks {
        let x = f.x(*v);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            f.top,
            f.bottom,
            f.bottom + 18.0,
            escape(label)
        );
    }
}

/// Horizontal grid lines and labels left of the plot at `ticks` (y data values, labels).
pub fn y_grid(out: &mut String, f: &Frame, ticks: &[(f64, String)]) {
    for (v, label) in ticks {
        let y = f.y(*v);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            f.left,
            f.right,
            f.left - 8.0,
            y + 4.0,
            escape(label)
        );
    }
}

/// The axes' titles: below the plot and rotated on the left.
pub fn axis_titles(out: &mut String, f: &Frame, x: &str, y: &str) {
    let _ = write!(
        out,
        "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"axis\" transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (f.left + f.right) / 2.0,
        f.height - 4.0,
        escape(x),
        (f.top + f.bottom) / 2.0,
        escape(y)
    );
}

/// A line through `points` (SVG coordinates); `dash` draws it dashed.
pub fn line(out: &mut String, points: &[(f64, f64)], colour: RGBColor, width: f64, dash: bool) {
    if points.len() < 2 {
        return;
    }
    let _ = write!(
        out,
        "<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\"{} points=\"{}\"/>",
        hex(colour),
        if dash {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        },
        coords(points)
    );
}

/// A band between `upper` and `lower` (same x order, SVG coordinates).
pub fn band(out: &mut String, upper: &[(f64, f64)], lower: &[(f64, f64)], colour: RGBColor) {
    if upper.len() < 2 {
        return;
    }
    let mut all = upper.to_vec();
    all.extend(lower.iter().rev());
    let _ = write!(
        out,
        "<polygon class=\"band\" fill=\"{}\" fill-opacity=\"0.18\" points=\"{}\"/>",
        hex(colour),
        coords(&all)
    );
}

/// A hoverable point whose tooltip is `tip` (lines separated by `\n`); `hollow` draws a ring.
pub fn point(out: &mut String, (x, y): (f64, f64), colour: RGBColor, tip: &str, hollow: bool) {
    let c = hex(colour);
    let fill = if hollow { "#fff" } else { c.as_str() };
    let _ = write!(
        out,
        "<circle class=\"pt\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.8\" fill=\"{fill}\" stroke=\"{c}\"><title>{}</title></circle>",
        escape(tip)
    );
}

/// A hoverable rectangle (a tornado bar) whose tooltip is `tip`.
pub fn bar(
    out: &mut String,
    (x0, x1): (f64, f64),
    (y, h): (f64, f64),
    colour: RGBColor,
    tip: &str,
) {
    let (a, b) = if x0 <= x1 { (x0, x1) } else { (x1, x0) };
    let _ = write!(
        out,
        "<rect class=\"bar\" x=\"{a:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}</title></rect>",
        (b - a).max(1.0),
        hex(colour),
        escape(tip)
    );
}

/// A text label at `(x, y)` with an anchor (`start`, `middle`, `end`).
pub fn label(out: &mut String, (x, y): (f64, f64), anchor: &str, class: &str, text: &str) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>",
        escape(text)
    );
}

/// Year ticks every 1, 2, 5, 10, … years, at most about eight.
pub fn year_ticks(from: f64, to: f64) -> Vec<(f64, String)> {
    let span = (to - from).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|s| span / s <= 8.0)
        .unwrap_or(100.0);
    let mut v = (from / step).ceil() * step;
    let mut ticks = Vec::new();
    while v <= to + 1e-9 && ticks.len() < 20 {
        ticks.push((v, format!("{v:.0}")));
        v += step;
    }
    ticks
}

fn coords(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_stay_inside_the_frame() {
        let f = Frame::new(700.0, 300.0, (2025.0, 2045.0), (0.0, 1.0));
        assert_eq!(f.x(2025.0), f.left);
        assert_eq!(f.x(2045.0), f.right);
        assert_eq!(f.y(1.0), f.top);
        assert_eq!(f.x(f64::NAN), (f.left + f.right) / 2.0);
        assert_eq!(f.y(7.0), f.top, "clamped");
        let flat = Frame::new(700.0, 300.0, (2030.0, 2030.0), (0.0, 1.0));
        assert!(flat.x(2030.0).is_finite());
    }

    #[test]
    fn ticks_and_colours() {
        let t = year_ticks(2025.0, 2045.0);
        assert_eq!(t.first().unwrap().1, "2025");
        assert_eq!(t.len(), 5);
        assert_eq!(hex(RGBColor(0, 114, 178)), "#0072b2");
    }
}
