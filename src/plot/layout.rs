//! Layout shared by the charts: a title block, and labels at the right end of lines that are
//! spread apart so that they never overlap (the legend sits beside the data, never on it).

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{FONT, MUTED, Sizes};
use super::{PlotResult, err};

/// `a..b` as a chart axis: refused unless both ends and the width are finite numbers and the
/// width is either zero (one point) or not lost in the ends' rounding. Plotters looks for tick
/// marks over an axis in a loop that never ends on an infinite or NaN range (or one narrower than
/// its ends' precision), so no axis reaches it without this check.
pub fn axis(a: f64, b: f64) -> PlotResult<std::ops::Range<f64>> {
    let width = (b - a).abs();
    let scale = a.abs().max(b.abs());
    if a.is_finite()
        && b.is_finite()
        && width.is_finite()
        && (width == 0.0 || width >= scale * 1e-9)
    {
        Ok(a..b)
    } else {
        Err(format!("cannot draw an axis from {a} to {b}"))
    }
}

/// A year on an axis: `2031` on a whole year, `2031.5` between (short spans put ticks at half
/// years, which a whole-year label would name twice and in the wrong place).
pub fn year_tick(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A chart title made of the scenario's name and what the chart asks: `"Name: rest"`;
/// `"Name? Rest"` when the name already ends a sentence (no `"?:"`); `"Name: sub — rest"` when
/// the name has a colon of its own (no two colons in a row); `"Rest"` when the name is empty
/// (`--title ''`).
pub fn headed(scenario: &str, rest: &str) -> String {
    let name = scenario.trim();
    let capitalised = || {
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    };
    if name.is_empty() {
        capitalised()
    } else if name.ends_with(['?', '!', '.', ':']) {
        format!("{name} {}", capitalised())
    } else if name.contains(':') {
        format!("{name} — {rest}")
    } else {
        format!("{name}: {rest}")
    }
}

/// Pixel size of a title's font at the design width, and the height of one of its lines.
const TITLE: (f64, f64) = (24.0, 31.0);
/// Pixel size of a subtitle's font at the design width, and the height of one of its lines.
const SUBTITLE: (f64, f64) = (15.0, 21.0);
/// Pixel size of the provenance line's font at the design width, and the strip it sits in.
const FOOTER: (f64, f64) = (12.5, 26.0);

/// The width in pixels of `text` in the bundled font at `size` pixels.
pub fn text_width(text: &str, size: f64, bold: bool) -> u32 {
    super::style::register_fonts();
    let font = if bold {
        (FONT, size, FontStyle::Bold).into_font()
    } else {
        (FONT, size).into_font()
    };
    // The bundled font measures every text; an error would mean no font at all.
    font.box_size(text).map_or(0, |(w, _)| w)
}

/// The width in pixels of a column of end labels (drawn by [`end_labels`]) beside the plot
/// of an image `w` pixels wide: `at_least` (given at the design width), widened to fit the
/// longest of `texts` with the gap before it and a margin after, at most half the image.
pub fn label_column(sizes: &Sizes, w: u32, texts: &[String], at_least: f64) -> u32 {
    let longest = texts
        .iter()
        .map(|t| text_width(t, sizes.font(END_LABEL_FONT), false))
        .max()
        .unwrap_or(0);
    (longest + sizes.px(28.0))
        .max(sizes.px(at_least))
        .min(w / 2)
}

/// The end labels' font size at the design width.
pub const END_LABEL_FONT: f64 = 14.0;

/// Breaks `text` into lines no wider than `room` pixels as measured by `width`: between the
/// parts that ` · ` separates where it can (the dot is dropped at a break), else between
/// words. A word wider than `room` stays whole on its line.
pub fn wrap(text: &str, room: u32, width: impl Fn(&str) -> u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in text.split(" · ") {
        let joined = if line.is_empty() {
            part.to_string()
        } else {
            format!("{line} · {part}")
        };
        if width(&joined) <= room {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The part alone: whole if it fits, else word by word.
        for word in part.split(' ') {
            let joined = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || width(&joined) <= room {
                line = joined;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Titles of the axes that a grid of small panels in `area` shares: `x` centred below the
/// panels, `y` turned to read upwards at their left, as a single chart's axis titles are.
/// Returns the area left for the panels.
pub fn panel_axis_titles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sizes: &Sizes,
    x: &str,
    y: &str,
) -> PlotResult<DrawingArea<DB, Shift>> {
    let (w, h) = area.dim_in_pixel();
    let strip = sizes.px(26.0);
    let (rest, bottom) = area.split_vertically(h.saturating_sub(strip));
    let (left, panels) = rest.split_horizontally(strip);
    let font = sizes.font(15.0);
    let centred = Pos::new(HPos::Center, VPos::Center);
    bottom
        .draw(&Text::new(
            x.to_string(),
            ((strip + (w - strip) / 2) as i32, strip as i32 / 2),
            (FONT, font).into_font().color(&BLACK).pos(centred),
        ))
        .map_err(err)?;
    let (_, panels_h) = left.dim_in_pixel();
    left.draw(&Text::new(
        y.to_string(),
        (strip as i32 / 2, panels_h as i32 / 2),
        (FONT, font)
            .into_font()
            .transform(FontTransform::Rotate270)
            .color(&BLACK)
            .pos(centred),
    ))
    .map_err(err)?;
    Ok(panels)
}

/// Draws the title and subtitle at the top of `root`, each wrapped to the image's width, and
/// the provenance line `footer` (when given) at its foot; returns the area between them.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sizes: &Sizes,
    title: &str,
    subtitle: &str,
    footer: Option<&str>,
) -> PlotResult<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let x = sizes.px(24.0) as i32;
    let room = w.saturating_sub(2 * sizes.px(24.0));
    let (title_size, sub_size) = (sizes.font(TITLE.0), sizes.font(SUBTITLE.0));
    let titles = wrap(title, room, |t| text_width(t, title_size, true));
    let subtitles = wrap(subtitle, room, |t| text_width(t, sub_size, false));
    let title_style = (FONT, title_size, FontStyle::Bold)
        .into_font()
        .color(&BLACK);
    let sub_style = (FONT, sub_size).into_font().color(&MUTED);
    let (title_line, sub_line) = (sizes.px(TITLE.1) as i32, sizes.px(SUBTITLE.1) as i32);
    for (i, t) in titles.iter().enumerate() {
        root.draw(&Text::new(
            t.clone(),
            (x, sizes.px(14.0) as i32 + i as i32 * title_line),
            title_style.clone(),
        ))
        .map_err(err)?;
    }
    let sub_top = sizes.px(48.0) as i32 + (titles.len() as i32 - 1) * title_line;
    for (i, t) in subtitles.iter().enumerate() {
        root.draw(&Text::new(
            t.clone(),
            (x, sub_top + i as i32 * sub_line),
            sub_style.clone(),
        ))
        .map_err(err)?;
    }
    let head = sizes.px(78.0) as i32
        + (titles.len() as i32 - 1) * title_line
        + (subtitles.len() as i32 - 1) * sub_line;
    let (_, rest) = root.split_vertically(head);
    let Some(footer) = footer else {
        return Ok(rest);
    };
    let strip = sizes.px(FOOTER.1);
    let foot_style = (FONT, sizes.font(FOOTER.0))
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    root.draw(&Text::new(
        footer.to_string(),
        (x, h as i32 - strip as i32 / 2),
        foot_style,
    ))
    .map_err(err)?;
    let (_, rest_h) = rest.dim_in_pixel();
    let (body, _) = rest.split_vertically(rest_h.saturating_sub(strip));
    Ok(body)
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
    let font = sizes.font(END_LABEL_FONT);
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
/// segments are drawn at their full width (see [`segment_width`] for level ones in PNGs).
pub fn thick_line<DB: DrawingBackend>(
    chart: &mut Plane<'_, DB>,
    points: &[(f64, f64)],
    colour: RGBColor,
    width: u32,
) -> PlotResult<()> {
    let bitmap = is_bitmap::<DB>();
    let segments: Vec<_> = points
        .windows(2)
        .map(|w| {
            let ends = (chart.backend_coord(&w[0]), chart.backend_coord(&w[1]));
            let style = colour.stroke_width(segment_width(width, ends, bitmap));
            PathElement::new(vec![w[0], w[1]], style)
        })
        .collect();
    chart.draw_series(segments).map_err(err)?;
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

/// Whether `DB` rasterises into pixels (the PNG backend) rather than writing shapes (SVG).
fn is_bitmap<DB: DrawingBackend>() -> bool {
    std::any::type_name::<DB>().contains("BitMapBackend")
}

/// The stroke width to ask plotters for, so that a segment from `from` to `to` (pixels) comes
/// out `width` pixels thick. plotters' bitmap rasteriser offsets a segment's edges by half the
/// width, rounds half-pixels away from zero and fills the last row too: a level (or upright)
/// segment of odd width gets one row more than asked, below the line, while a sloping one
/// rounds inwards and gets none. A curve's level stretches (two points on one pixel row) then
/// stood out as heavier dashes, and a curve lying a row under another showed only there, as a
/// detached solid line beneath it. In a PNG such a segment is asked one pixel thinner; SVG is
/// exact.
fn segment_width(width: u32, (from, to): ((i32, i32), (i32, i32)), bitmap: bool) -> u32 {
    let axis_aligned = from.0 == to.0 || from.1 == to.1;
    if bitmap && axis_aligned && width > 1 && width % 2 == 1 {
        width - 1
    } else {
        width
    }
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
    use super::{Plane, axis, clip_line, headed, segment_width, thick_line, wrap, year_tick};
    use plotters::coord::types::RangedCoordf64;

    #[test]
    fn year_ticks_name_their_place() {
        assert_eq!(year_tick(&2030.0), "2030");
        assert_eq!(year_tick(&2030.5), "2030.5");
        assert_eq!(year_tick(&2031.25), "2031.25");
        assert_eq!(year_tick(&2_032.000_000_1), "2032");
    }

    #[test]
    fn an_axis_over_a_range_plotters_cannot_mark_is_refused() {
        use plotters::coord::ranged1d::Ranged;
        for (a, b) in [
            (f64::NEG_INFINITY, 3.0),
            (0.0, f64::INFINITY),
            (f64::NAN, 1.0),
            (-1e308, 1e308),
            (1e300, 1e300 * (1.0 + 1e-15)),
        ] {
            assert!(axis(a, b).is_err(), "{a}..{b}");
        }
        // What it lets through, plotters marks (and does not loop on).
        for (a, b) in [
            (2025.0, 2060.0),
            (-0.6, 0.6),
            (5.0, 5.0),
            (1e300, 2e300),
            (0.0, 1e-300),
        ] {
            let r = axis(a, b).unwrap();
            assert!(
                RangedCoordf64::from(r).key_points(12).len() <= 13,
                "{a}..{b}"
            );
        }
    }
    use plotters::coord::Shift;
    use plotters::prelude::*;

    /// A curve level from 10 to 40 and rising from 40 to 70, in a plane where one unit is
    /// about a pixel.
    const CURVE: [(f64, f64); 3] = [(10.0, 50.0), (40.0, 50.0), (70.0, 80.0)];

    /// Draws [`CURVE`] 3 pixels thick on `root`; returns its points in pixels.
    fn draw_curve<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> Vec<(i32, i32)> {
        root.fill(&WHITE).unwrap();
        let mut chart: Plane<'_, DB> = ChartBuilder::on(root)
            .build_cartesian_2d(0.0..100.0, 0.0..100.0)
            .unwrap();
        thick_line(&mut chart, &CURVE, BLACK, 3).unwrap();
        CURVE.iter().map(|p| chart.backend_coord(p)).collect()
    }

    #[test]
    fn a_level_stretch_is_drawn_as_thick_as_the_rest_of_its_line_in_a_png() {
        let mut rgb = vec![255u8; 100 * 100 * 3];
        let ends = {
            let root = BitMapBackend::with_buffer(&mut rgb, (100, 100)).into_drawing_area();
            draw_curve(&root)
        };
        let black = |x: i32, y: i32| rgb[3 * (y as usize * 100 + x as usize)..][..3] == [0, 0, 0];
        let (from, to) = (ends[0], ends[1]);
        assert_eq!(from.1, to.1, "the first segment is level in pixels");
        let y = from.1;
        for x in from.0 + 3..to.0 - 3 {
            let rows: Vec<i32> = (0..100).filter(|&r| black(x, r)).collect();
            // Three rows centred on the line: not a fourth below it, which made level
            // stretches read as dashes and let a curve under another peek out as a stray line.
            assert_eq!(rows, vec![y - 1, y, y + 1], "column {x}");
        }
    }

    #[test]
    fn an_svg_draws_every_segment_at_the_width_asked() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
            draw_curve(&root);
        }
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches(r#"stroke-width="3""#).count(), 2, "{svg}");
    }

    #[test]
    fn only_level_or_upright_segments_of_odd_width_are_thinned_and_only_in_a_bitmap() {
        let level = ((0, 5), (9, 5));
        let upright = ((4, 0), (4, 9));
        let sloping = ((0, 5), (9, 6));
        assert_eq!(segment_width(3, level, true), 2);
        assert_eq!(segment_width(3, upright, true), 2);
        assert_eq!(segment_width(3, sloping, true), 3);
        assert_eq!(segment_width(3, level, false), 3);
        assert_eq!(segment_width(4, level, true), 4);
        assert_eq!(segment_width(1, level, true), 1);
    }

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
    fn an_empty_name_leaves_what_the_chart_shows() {
        assert_eq!(headed("", "cost of T"), "Cost of T");
        assert_eq!(headed("  ", "who can afford T"), "Who can afford T");
    }

    #[test]
    fn text_is_wrapped_between_parts_then_words() {
        // Ten pixels a character.
        let w = |t: &str| 10 * t.chars().count() as u32;
        assert_eq!(wrap("aaa · bbb · ccc", 90, w), vec!["aaa · bbb", "ccc"]);
        assert_eq!(wrap("aaa · bbb", 200, w), vec!["aaa · bbb"]);
        assert_eq!(
            wrap("one two three · four", 90, w),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("enormousword", 50, w), vec!["enormousword"]);
        assert_eq!(wrap("", 50, w), vec![""]);
        for line in wrap("a b c d e f g h i j k l · m n o p", 45, w) {
            assert!(w(&line) <= 45, "{line}");
        }
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
