//! Charts of `sweep`: per target and swept key, the median affordability year with its 90%
//! interval against the key's value, one panel per actor class (in its colour, as `compare`
//! draws them). A grid's other keys, when they vary, give one line style each; a Latin
//! hypercube (or a grid with too many combinations) is drawn point by point. Drawn from the
//! saved `sweep.json`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod marks;

use marks::{Mark, XAxis, bars, dash_sample, horizon, lines, x_range, year_range};

use super::layout::axis;
use super::layout::{headed, title_block};
use super::style::{FONT, GRID, MUTED, Sizes, class_colours};
use super::view::{Scope, View};
use super::{Chart, PlotOptions, PlotResult, err, render};
use crate::format::group_digits;
use crate::sweep::{SweepDoc, SweptPoint};

/// Dash patterns (dash, gap; 0: solid) of the lines of a grid's other keys, and their names.
const STYLES: [(u32, u32, &str); 4] = [
    (0, 0, "solid"),
    (10, 6, "dashed"),
    (3, 5, "dotted"),
    (18, 6, "long dashes"),
];

/// Reads a sweep's `sweep.json`, refused (naming its line and column, or the point and key)
/// when damaged: every point has a value and a number (or none) per key, finite numbers, and
/// results as a run's summary has them.
fn read(dir: &Path) -> PlotResult<SweepDoc> {
    let path = dir.join("sweep.json");
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    super::saved::valid_json(&path, &bytes)?;
    let doc = SweepDoc::from_slice(&bytes)
        .map_err(|e| format!("{}: not a diffusion-sim sweep: {e}", path.display()))?;
    check(&doc).map_err(|e| format!("{}: damaged: {e}", path.display()))?;
    Ok(doc)
}

/// Refuses a sweep document whose points do not match its keys or hold impossible results.
fn check(doc: &SweepDoc) -> Result<(), String> {
    let n = doc.keys.len();
    for (i, p) in doc.points.iter().enumerate() {
        let at = format!("`points[{i}]` (point {})", p.point);
        for (key, len) in [("values", p.values.len()), ("numbers", p.numbers.len())] {
            if len != n {
                return Err(format!(
                    "{at}: `{key}` has {len} entries, but `keys` has {n} ({})",
                    doc.keys.join(", ")
                ));
            }
        }
        if let Some((k, x)) = p
            .numbers
            .iter()
            .enumerate()
            .find_map(|(k, x)| x.filter(|x| !x.is_finite()).map(|x| (k, x)))
        {
            return Err(format!(
                "{at}: `numbers[{k}]` = {} is not a finite number",
                super::saved::show(x)
            ));
        }
        let r = &p.result;
        super::saved::check_affordability(r.start_year, r.end_year, &r.years, &r.affordability)
            .map_err(|e| format!("{at}: {e}"))?;
    }
    Ok(())
}

/// Draws the sweep charts of a `sweep` output directory: one per target × swept key.
pub fn render_sweep(dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let doc = read(dir)?;
    let mut targets: Vec<&str> = Vec::new();
    for p in doc.points.iter().flat_map(|p| &p.result.affordability) {
        if !targets.contains(&p.target.as_str()) {
            targets.push(&p.target);
        }
    }
    let footer = opts.view.provenance(
        dir,
        &format!(
            "{} samples per point, seed {}",
            group_digits(doc.samples),
            doc.seed
        ),
    );
    let mut files = Vec::new();
    for t in targets {
        for key in 0..doc.keys.len() {
            files.extend(render(
                &SweepChart {
                    doc: &doc,
                    target: t,
                    key,
                    view: &opts.view,
                    footer: footer.as_deref(),
                },
                opts,
            )?);
        }
    }
    Ok(files)
}

/// What a sweep's charts can show: its classes (its x axis is the swept key, so no year range,
/// and it draws no cost chart).
pub fn scope(dir: &Path) -> PlotResult<Scope> {
    let doc = read(dir)?;
    let mut classes: Vec<String> = Vec::new();
    for p in doc.points.iter().flat_map(|p| &p.result.affordability) {
        if !classes.contains(&p.actor) {
            classes.push(p.actor.clone());
        }
    }
    Ok(Scope {
        kind: "sweep",
        classes,
        years: Vec::new(),
        costs: false,
        year_axis: false,
    })
}

struct SweepChart<'a> {
    doc: &'a SweepDoc,
    target: &'a str,
    key: usize,
    /// Title, provenance and classes shown.
    view: &'a View,
    /// The provenance line, if drawn.
    footer: Option<&'a str>,
}

impl SweepChart<'_> {
    /// The points grouped by the values of the other keys (one group for LHS or too many
    /// groups: then `None`, drawn point by point), each group's label.
    fn groups(&self) -> Option<Vec<(String, Vec<&SweptPoint>)>> {
        let doc = self.doc;
        if doc.design != "grid" {
            return None;
        }
        let mut groups: Vec<(String, Vec<&SweptPoint>)> = Vec::new();
        for p in &doc.points {
            let label: Vec<String> = (0..doc.keys.len())
                .filter(|k| *k != self.key)
                .map(|k| format!("{} = {}", doc.keys[k], p.values[k]))
                .collect();
            let label = label.join(", ");
            match groups.iter_mut().find(|g| g.0 == label) {
                Some(g) => g.1.push(p),
                None => groups.push((label, vec![p])),
            }
        }
        (groups.len() <= STYLES.len()).then_some(groups)
    }

    /// The marks of class `actor` for `points`, by x.
    fn marks(&self, points: &[&SweptPoint], actor: &str, x: &XAxis) -> Vec<Mark> {
        let mut marks: Vec<Mark> = points
            .iter()
            .filter_map(|p| {
                let pair = p
                    .result
                    .affordability
                    .iter()
                    .find(|a| a.target == self.target && a.actor == actor)?;
                let y = &pair.year;
                Some(Mark {
                    x: x.x(p, self.key),
                    q: [y.p5, y.p50, y.p95],
                    end: p.result.end_year,
                })
            })
            .collect();
        marks.sort_by(|a, b| a.x.total_cmp(&b.x));
        marks
    }
}

impl Chart for SweepChart<'_> {
    fn stem(&self) -> String {
        crate::names::chart_stem("sweep", &[self.target, &self.doc.keys[self.key]])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let doc = self.doc;
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let (title, subtitle) = self.titles(root, &sz)?;
        let groups = self.groups();
        let actors: Vec<String> = self
            .actors()
            .into_iter()
            .filter(|a| self.view.shows(a))
            .collect();
        let x = XAxis::of(doc, self.key);
        let all: Vec<&SweptPoint> = doc.points.iter().collect();
        let every: Vec<Mark> = actors
            .iter()
            .flat_map(|a| self.marks(&all, a, &x))
            .collect();
        let body = title_block(root, &sz, &title, &subtitle, self.footer)?;
        let body = self.legend(&body, &sz, &self.guide(&groups, &every))?;
        let xs = x_range(&every, &x);
        // Colours chosen among all the classes, whichever `--actors` shows.
        let all = self.actors();
        let all_colours = class_colours(&all);
        let colours: Vec<RGBColor> = actors
            .iter()
            .map(|a| all_colours[all.iter().position(|b| b == a).unwrap_or(0)])
            .collect();
        let cols = actors.len().clamp(1, 4);
        let rows = actors.len().div_ceil(cols);
        let panels = body.split_evenly((rows, cols));
        for (k, (area, actor)) in panels.iter().zip(&actors).enumerate() {
            let panel = Panel {
                actor,
                colour: colours[k],
                x: &x,
                xs,
                large: cols <= 2,
            };
            self.panel(area, &sz, &panel, &groups)?;
        }
        Ok(())
    }
}

impl SweepChart<'_> {
    /// The title (the scenario's name and the question; the name moves to the subtitle when
    /// both would run off the image) and the subtitle (how the numbers were made).
    fn titles<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        sz: &Sizes,
    ) -> PlotResult<(String, String)> {
        let doc = self.doc;
        let key = &doc.keys[self.key];
        let question = format!("when {} becomes affordable, against {key}", self.target);
        let name = self.view.name(&doc.scenario);
        let long = headed(name, &question);
        let font = (FONT, sz.font(24.0), FontStyle::Bold)
            .into_font()
            .color(&BLACK);
        let (w, _) = root.dim_in_pixel();
        let fits = root.estimate_text_size(&long, &font).map_err(err)?.0 + sz.px(48.0) <= w;
        // How the numbers were made; the samples and seed are on the provenance line.
        let how = format!(
            "{} points, common random numbers (the same draws at every point)",
            doc.points.len()
        );
        Ok(if fits || name.trim().is_empty() {
            (long, how)
        } else {
            (headed("", &question), format!("{name} · {how}"))
        })
    }

    /// The legend's entries: how to read the marks, then the line style of each combination of
    /// the other keys' values.
    fn guide(
        &self,
        groups: &Option<Vec<(String, Vec<&SweptPoint>)>>,
        marks: &[Mark],
    ) -> Vec<(Option<(u32, u32)>, String)> {
        let how = match groups {
            Some(_) => "Median year (dots), 90% interval (band)".to_string(),
            None if self.doc.keys.len() > 1 => {
                "Each point: median year (dot), 90% interval (bar); the other keys vary".into()
            }
            None => "Each point: median year (dot), 90% interval (bar)".into(),
        };
        let beyond = if marks.iter().any(|m| m.q[1].is_none()) {
            " · ○ median beyond the horizon (dashed)"
        } else if marks.iter().any(|m| m.q[2].is_none()) {
            " · dashed: the horizon"
        } else {
            ""
        };
        let mut entries = vec![(None, format!("{how}{beyond}"))];
        if let Some(g) = groups.as_ref().filter(|g| g.len() > 1) {
            for ((label, _), (dash, gap, _)) in g.iter().zip(STYLES) {
                entries.push((Some((dash, gap)), label.clone()));
            }
        }
        entries
    }
}

/// What one panel shows: a class, in its colour, on the shared x axis (each panel has its own
/// year axis).
struct Panel<'a> {
    actor: &'a str,
    colour: RGBColor,
    x: &'a XAxis,
    xs: (f64, f64),
    /// Few panels: larger text.
    large: bool,
}

impl SweepChart<'_> {
    /// The actor classes of the target, in the file's order.
    fn actors(&self) -> Vec<String> {
        let mut actors: Vec<String> = Vec::new();
        for p in self.doc.points.iter().flat_map(|p| &p.result.affordability) {
            if p.target == self.target && !actors.contains(&p.actor) {
                actors.push(p.actor.clone());
            }
        }
        actors
    }

    /// One class's panel.
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        sz: &Sizes,
        p: &Panel,
        groups: &Option<Vec<(String, Vec<&SweptPoint>)>>,
    ) -> PlotResult<()> {
        let (label, desc) = if p.large { (14.0, 16.0) } else { (11.0, 12.0) };
        let all: Vec<&SweptPoint> = self.doc.points.iter().collect();
        let mine = self.marks(&all, p.actor, p.x);
        let years = year_range(&mine);
        let mut chart = ChartBuilder::on(area)
            .caption(p.actor, (FONT, sz.font(label + 3.0), FontStyle::Bold))
            .margin(sz.px(8.0))
            .margin_right(sz.px(20.0))
            .x_label_area_size(sz.px(if p.large { 56.0 } else { 46.0 }))
            .y_label_area_size(sz.px(if p.large { 72.0 } else { 56.0 }))
            .build_cartesian_2d(axis(p.xs.0, p.xs.1)?, axis(years.0, years.1)?)
            .map_err(err)?;
        let ticks = match p.x {
            XAxis::Categories(c) => c.len() + 1,
            _ => 6,
        };
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .x_labels(ticks)
            // Whole years only: a short range would otherwise repeat a rounded label.
            .y_labels(((years.1 - years.0) as usize + 1).min(7))
            .x_desc(self.doc.keys[self.key].as_str())
            .y_desc("Year affordable")
            .x_label_formatter(&|v| p.x.label(*v))
            .y_label_formatter(&|v| {
                if (v - v.round()).abs() < 1e-6 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .label_style((FONT, sz.font(label)).into_font().color(&MUTED))
            .axis_desc_style((FONT, sz.font(desc)))
            .draw()
            .map_err(err)?;
        horizon(&mut chart, sz, &mine)?;
        match groups {
            Some(groups) => {
                let opacity = if groups.len() > 1 { 0.06 } else { 0.12 };
                for ((_, points), style) in groups.iter().zip(STYLES) {
                    let marks = self.marks(points, p.actor, p.x);
                    lines(&mut chart, sz, &marks, (p.colour, opacity), style)?;
                }
            }
            None => bars(&mut chart, sz, &mine, p.colour)?,
        }
        Ok(())
    }

    /// A strip below the title with the legend's entries (a line sample in its dash pattern,
    /// when it has one, and a text), left to right, wrapping at the edge; returns the area below.
    fn legend<DB: DrawingBackend>(
        &self,
        body: &DrawingArea<DB, Shift>,
        sz: &Sizes,
        entries: &[(Option<(u32, u32)>, String)],
    ) -> PlotResult<DrawingArea<DB, Shift>> {
        let font = (FONT, sz.font(14.0)).into_font().color(&BLACK);
        let (w, _) = body.dim_in_pixel();
        let (sample, gap, line) = (sz.px(44.0) as i32, sz.px(28.0) as i32, sz.px(24.0) as i32);
        let (left, space) = (sz.px(24.0) as i32, sz.px(8.0) as i32);
        let (mut x, mut row, mut placed) = (left, 0, Vec::new());
        for (style, label) in entries {
            let (tw, _) = body.estimate_text_size(label, &font).map_err(err)?;
            let lead = if style.is_some() { sample + space } else { 0 };
            if x + lead + tw as i32 > w as i32 && x > left {
                (x, row) = (left, row + 1);
            }
            placed.push((x, row, label, *style));
            x += lead + tw as i32 + gap;
        }
        let (strip, rest) = body.split_vertically(line * (row + 1) + sz.px(6.0) as i32);
        for (x, row, label, style) in placed {
            let y = line * row + line / 2;
            let mut at = x;
            if let Some((dash, gap)) = style {
                let pattern = (sz.px(dash as f64) * u32::from(dash > 0), sz.px(gap as f64));
                dash_sample(&strip, (x, y), sample, pattern, sz.px(2.5))?;
                at += sample + space;
            }
            let style = font.clone().pos(Pos::new(HPos::Left, VPos::Center));
            strip
                .draw(&Text::new(label.clone(), (at, y), style))
                .map_err(err)?;
        }
        Ok(rest)
    }
}
