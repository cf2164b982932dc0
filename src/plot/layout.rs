//! Layout shared by the charts: a title block, and labels at the right end of lines that are
//! spread apart so that they never overlap (the legend sits beside the data, never on it).

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{FONT, MUTED, Sizes};
use super::{PlotResult, err};

/// A chart title made of the scenario's name and what the chart asks: `"Name: rest"`;
/// `"Name? Rest"` when the name already ends a sentence (no `"?:"`); `"Name: sub — rest"` when
/// the name has a colon of its own (no two colons in a row).
pub fn headed(scenario: &str, rest: &str) -> String {
    let name = scenario.trim_end();
    if name.ends_with(['?', '!', '.', ':']) {
        let mut chars = rest.chars();
        let rest = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
        format!("{name} {rest}")
    } else if name.contains(':') {
        format!("{name} — {rest}")
    } else {
        format!("{name}: {rest}")
    }
}

/// Draws the title and subtitle at the top of `root`; returns the area below them.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sizes: &Sizes,
    title: &str,
    subtitle: &str,
) -> PlotResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    let (top, rest) = root.split_vertically(sizes.px(78.0));
    let x = sizes.px(24.0) as i32;
    let title_style = (FONT, sizes.font(24.0), FontStyle::Bold)
        .into_font()
        .color(&BLACK);
    top.draw(&Text::new(
        title.to_string(),
        (x, sizes.px(14.0) as i32),
        title_style,
    ))
    .map_err(err)?;
    let sub_style = (FONT, sizes.font(15.0)).into_font().color(&MUTED);
    top.draw(&Text::new(
        subtitle.to_string(),
        (x, sizes.px(48.0) as i32),
        sub_style,
    ))
    .map_err(err)?;
    Ok(rest)
}

/// A label for the end of a line: its text, colour, and the pixel row of the line's end.
pub struct EndLabel {
    /// Text to show.
    pub text: String,
    /// Colour of the line and the text.
    pub colour: RGBColor,
    /// Pixel row where the line ends (absolute).
    pub y: i32,
}

/// Draws `labels` in a column starting at pixel column `x`, each as close as possible to its
/// line's end but at least one text line apart, within `[top, bottom]`, with a short leader
/// from `x_line` (where the lines end) to the label.
pub fn end_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sizes: &Sizes,
    mut labels: Vec<EndLabel>,
    x_line: i32,
    x: i32,
    (top, bottom): (i32, i32),
) -> PlotResult<()> {
    let gap = sizes.px(19.0) as i32;
    labels.sort_by_key(|l| l.y);
    let mut placed: Vec<i32> = Vec::with_capacity(labels.len());
    for l in &labels {
        let y = l.y.clamp(top, bottom);
        let y = match placed.last() {
            Some(&prev) if y < prev + gap => prev + gap,
            _ => y,
        };
        placed.push(y);
    }
    // If the column runs past the bottom, shift it up (keeping the spacing).
    let overflow = placed.last().map_or(0, |&y| (y - bottom).max(0));
    for (i, y) in placed.iter_mut().enumerate().rev() {
        let limit = bottom - (labels.len() - 1 - i) as i32 * gap;
        *y = (*y - overflow).min(limit).max(top);
    }
    let font = sizes.font(14.0);
    for (l, y) in labels.iter().zip(placed) {
        let style = (FONT, font)
            .into_font()
            .color(&l.colour)
            .pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&PathElement::new(
            vec![(x_line + 2, l.y), (x - 4, y)],
            l.colour.stroke_width(1),
        ))
        .map_err(err)?;
        root.draw(&Text::new(l.text.clone(), (x, y), style))
            .map_err(err)?;
    }
    Ok(())
}

/// The chart type every line chart here uses: years against a linear (or log10) value.
pub type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a thick polyline segment by segment with round joins. plotters turns a whole thick
/// path into one polygon, which comes out visibly thinner on steep stretches in PNGs; single
/// segments are drawn at their full width.
pub fn thick_line<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    points: &[(f64, f64)],
    colour: RGBColor,
    width: u32,
) -> PlotResult<()> {
    let style = colour.stroke_width(width);
    chart
        .draw_series(
            points
                .windows(2)
                .map(|w| PathElement::new(vec![w[0], w[1]], style)),
        )
        .map_err(err)?;
    if width > 2 {
        let r = width / 2;
        chart
            .draw_series(
                points
                    .iter()
                    .skip(1)
                    .take(points.len().saturating_sub(2))
                    .map(|p| Circle::new(*p, r, colour.filled())),
            )
            .map_err(err)?;
    }
    Ok(())
}

/// Splits a polyline into the pieces that lie within `lo ≤ y ≤ hi`, cutting segments exactly at
/// the bounds, so a line that leaves the plot ends at its edge instead of running along it.
pub fn clip_line(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |y: f64| y >= lo && y <= hi;
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        if i > 0 {
            let (x0, y0) = points[i - 1];
            for bound in [lo, hi] {
                // Entering or leaving through this bound between the two points.
                if (y0 - bound) * (y - bound) < 0.0 {
                    let xb = x0 + (bound - y0) / (y - y0) * (x - x0);
                    current.push((xb, bound));
                    if !inside(y) {
                        pieces.push(std::mem::take(&mut current));
                    }
                }
            }
        }
        if inside(y) {
            current.push((x, y));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces.retain(|p| p.len() > 1);
    pieces
}

#[cfg(test)]
mod tests {
    use super::{clip_line, headed};

    #[test]
    fn titles_do_not_join_a_question_with_a_colon() {
        assert_eq!(headed("Baseline", "cost of T"), "Baseline: cost of T");
        assert_eq!(
            headed("Will hardware slow down?", "is diffusion slowing?"),
            "Will hardware slow down? Is diffusion slowing?"
        );
        assert_eq!(
            headed("Baseline: trends continue", "cost of T"),
            "Baseline: trends continue — cost of T"
        );
    }

    #[test]
    fn lines_are_cut_at_the_bounds() {
        let pieces = clip_line(
            &[(0.0, 2.0), (1.0, 0.0), (2.0, -2.0), (3.0, 0.0), (4.0, 0.5)],
            -1.0,
            5.0,
        );
        assert_eq!(
            pieces,
            vec![
                vec![(0.0, 2.0), (1.0, 0.0), (1.5, -1.0)],
                vec![(2.5, -1.0), (3.0, 0.0), (4.0, 0.5)]
            ]
        );
        assert!(clip_line(&[(0.0, 9.0), (1.0, 8.0)], 0.0, 1.0).is_empty());
    }
}
