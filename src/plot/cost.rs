//! Cost trajectory of one target: its whole-project training cost (median, 50% and 90% bands)
//! against every actor class's budget (median line, light 50% band), on a log dollar axis, with a
//! marker where the median cost meets a median budget and the scenario's `[[observed]]` costs.
//!
//! Every line is a whole-project figure. The frontier's own project, `m · S(t)` (docs/model.md
//! §17.3), is the line of the class whose budget is the frontier's; without one it is drawn from
//! the frontier spend `S(t)` (a final run) only when the overhead `m` is a fixed number.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::{ChartData, FanRow, FrontierBasis, first_crossing};
use super::layout::axis;
use super::layout::{EndLabel, clip_line, end_labels, headed, thick_line, title_block};
use super::observed::{Mark, cost_label, cost_points, draw_marks};
use super::style::{
    COST, FONT, GRID, MUTED, Sizes, decade_range, decade_ticks, dollars_tick, on_decade, slug,
};
use super::{Chart, PlotResult, err};

/// The cost chart of target `target` (index into `data.targets`).
pub struct CostChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Which target.
    pub target: usize,
}

type Fan<'a> = &'a [(f64, [f64; 5])];

/// Most decades the dollar axis spans; beyond that its bottom is cut (and marked).
const MAX_DECADES: f64 = 20.0;

impl Chart for CostChart<'_> {
    fn stem(&self) -> String {
        format!("cost_{}", slug(&self.data.targets[self.target].name))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let t = &d.targets[self.target];
        let (w, _) = root.dim_in_pixel();
        let sz = Sizes::new(w);
        let title = headed(&d.scenario, &format!("cost of {}", t.name));
        let subtitle = format!(
            "{} vs. budgets · cost: median, 50%, 90% bands; budgets: median, 50% band",
            what_is_costed(d)
        );
        let body = title_block(root, &sz, &title, &subtitle, d.provenance.as_deref())?;
        let (x0, x1) = d.year_axis(d.start_year);
        let (plot_area, legend) = body.split_horizontally(w - sz.px(250.0));

        let cost: Fan = d.fan("cost", &t.name);
        // The frontier's whole project, where it is not a class's line already.
        let spend_rows: Vec<FanRow> = match d.frontier {
            FrontierBasis::Overhead(m) => d
                .fan("frontier_spend", "")
                .iter()
                .map(|(yr, q)| (*yr, q.map(|v| m * v)))
                .collect(),
            FrontierBasis::Class(_) | FrontierBasis::Unknown => Vec::new(),
        };
        let spend: Fan = &spend_rows;
        let observed: Vec<_> = cost_points(d, &t.name).collect();
        let budgets: Vec<Fan> = d.actors.iter().map(|a| d.fan("budget", a)).collect();
        // Classes whose access differs from the frontier's pay their own cost (median, dashed).
        let own_costs: Vec<Option<Fan>> =
            d.actors.iter().map(|a| d.class_cost(&t.name, a)).collect();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        // What is drawn: the cost's 90% band, the budgets' 50% bands, the frontier's median.
        for (rows, (l, h)) in budgets
            .iter()
            .map(|b| (b, (1, 3)))
            .chain([(&cost, (0, 4)), (&spend, (2, 2))])
        {
            for (_, q) in rows.iter() {
                lo = lo.min(q[l]);
                hi = hi.max(q[h]);
            }
        }
        for (_, q) in own_costs.iter().flatten().flat_map(|r| r.iter()) {
            lo = lo.min(q[2]);
            hi = hi.max(q[2]);
        }
        for v in observed.iter().filter_map(|o| o.value) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !(lo > 0.0 && hi.is_finite()) {
            return Err("no cost or budget data to draw".into());
        }
        // The axis reaches down to the lowest value drawn, so no line stops at the floor and no
        // band runs along it. Only beyond MAX_DECADES is the bottom cut, and a note says so.
        let (a, b) = decade_range(lo.log10(), hi.log10(), MAX_DECADES);
        // `--cost-range` sets the axis; what lies beyond it is cut, as the decade cap cuts.
        let (a, b) = d.cost_range.map_or((a, b), |(l, h)| (l.log10(), h.log10()));
        let cut = lo.log10() < a;
        let y = move |v: f64| v.log10().clamp(a, b);
        let line = |rows: Fan| -> Vec<Vec<(f64, f64)>> {
            let points: Vec<(f64, f64)> = rows.iter().map(|(yr, q)| (*yr, q[2].log10())).collect();
            clip_line(&points, a, b)
        };
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_left(sz.px(12.0))
            .margin_right(sz.px(12.0))
            .margin_top(sz.px(8.0))
            .x_label_area_size(sz.px(52.0))
            .y_label_area_size(sz.px(86.0))
            .build_cartesian_2d(axis(x0, x1)?, axis(a, b)?)
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .x_desc("Year")
            .y_desc("US dollars (log scale)")
            .x_labels(8)
            .x_label_formatter(&super::layout::year_tick)
            .y_labels(decade_ticks(a, b, 12).len())
            .y_label_formatter(&|v| on_decade(*v, dollars_tick))
            .label_style((FONT, sz.font(14.0)))
            .axis_desc_style((FONT, sz.font(16.0)))
            .draw()
            .map_err(err)?;

        let band = |rows: Fan, lo_q: usize, hi_q: usize| -> Vec<(f64, f64)> {
            let upper = rows.iter().map(|(yr, q)| (*yr, y(q[hi_q])));
            let lower = rows.iter().rev().map(|(yr, q)| (*yr, y(q[lo_q])));
            upper.chain(lower).collect()
        };

        // One light 50% band per class: seven 90% bands overlap into one grey mass.
        for (k, rows) in budgets.iter().enumerate() {
            let c = d.colours[k];
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band(rows, 1, 3),
                    c.mix(BUDGET_BAND).filled(),
                )))
                .map_err(err)?;
        }
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(cost, 0, 4),
                COST.mix(0.16).filled(),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(cost, 1, 3),
                COST.mix(0.30).filled(),
            )))
            .map_err(err)?;
        for piece in line(spend) {
            let style = MUTED.stroke_width(sz.px(2.0));
            chart
                .draw_series(DashedLineSeries::new(piece, sz.px(8.0), sz.px(5.0), style))
                .map_err(err)?;
        }
        for (k, rows) in budgets.iter().enumerate() {
            for piece in line(rows) {
                thick_line(&mut chart, &piece, d.colours[k], sz.px(2.5))?;
            }
        }
        for piece in line(cost) {
            thick_line(&mut chart, &piece, BLACK, sz.px(3.5))?;
        }
        for (k, rows) in own_costs.iter().enumerate() {
            let Some(rows) = rows else { continue };
            for piece in line(rows) {
                let style = d.colours[k].stroke_width(sz.px(2.5));
                chart
                    .draw_series(DashedLineSeries::new(piece, sz.px(10.0), sz.px(6.0), style))
                    .map_err(err)?;
            }
        }

        if cut {
            // The axis stops MAX_DECADES below its top: say that lower values are not shown.
            let (px, py) = chart.backend_coord(&(x0, a));
            let style = (FONT, sz.font(12.5))
                .into_font()
                .color(&MUTED)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            root.draw(&Text::new(
                format!("values below {} not shown", dollars_tick(a)),
                (px + sz.px(8.0) as i32, py - sz.px(6.0) as i32),
                style,
            ))
            .map_err(err)?;
        }

        // Where each class's median cost (its own where its access differs) meets its median
        // budget.
        let median =
            |rows: Fan| -> Vec<(f64, f64)> { rows.iter().map(|(yr, q)| (*yr, q[2])).collect() };
        let mut dots = Vec::new();
        for (k, rows) in budgets.iter().enumerate() {
            let budget_median = median(rows);
            let cost_median = median(own_costs[k].unwrap_or(cost));
            // The frontier class's line is its compute budget `m · S(t)`; its whole budget also
            // covers its own data, staff and serving (docs/model.md §17.3), so it affords a
            // target exactly when its compute fits: its marker is at its median year.
            let crossing = if d.frontier == FrontierBasis::Class(k) {
                t.median_years[k].and_then(|yr| Some((yr, log_interp(&cost_median, yr)?)))
            } else {
                first_crossing(&cost_median, &budget_median)
            };
            if let Some((yr, v)) = crossing {
                dots.push((chart.backend_coord(&(yr, y(v))), d.colours[k]));
            }
        }
        draw_dots(root, &sz, &dots)?;

        // Labels at the right end of every line, in the legend column.
        let end = |rows: Fan| {
            rows.last()
                .map(|(yr, q)| chart.backend_coord(&(*yr, y(q[2]))).1)
        };
        let mut labels = Vec::new();
        if let Some(py) = end(cost) {
            labels.push(EndLabel {
                text: format!("cost of {}", t.name),
                colour: BLACK,
                y: py,
            });
        }
        if let Some(py) = end(spend) {
            labels.push(EndLabel {
                text: SPEND_LABEL.into(),
                colour: MUTED,
                y: py,
            });
        }
        for (k, rows) in budgets.iter().enumerate() {
            if let Some(py) = end(rows) {
                let text = if d.frontier == FrontierBasis::Class(k) {
                    format!("{} (frontier project)", d.actors[k])
                } else {
                    d.actors[k].clone()
                };
                labels.push(EndLabel {
                    text,
                    colour: d.colours[k],
                    y: py,
                });
            }
        }
        // Observed costs: a diamond at (date, cost), labelled beside it.
        let marks: Vec<Mark> = observed
            .iter()
            .filter(|o| o.year >= x0 && o.year <= x1)
            .map(|o| Mark {
                at: chart.backend_coord(&(o.year, y(o.value.unwrap_or(1.0)))),
                label: cost_label(o),
                colour: super::observed::colour(d, o),
                filled: o.basis == crate::scenario::ObservedBasis::Project,
                tick: false,
            })
            .collect();
        let (left, top_px) = chart.backend_coord(&(x0, b));
        let (right, bottom_px) = chart.backend_coord(&(x1, a));
        draw_marks(root, &sz, &marks, (left, top_px, right, bottom_px))?;

        let (x_line, _) = chart.backend_coord(&(x1, a));
        let (_, top) = chart.backend_coord(&(x1, b));
        let (_, bottom) = chart.backend_coord(&(x1, a));
        let (lx, _) = legend.get_base_pixel();
        // Labels start below the key, which has a row for classes' own costs and for observed
        // points when the chart has them.
        let rows = KeyRows {
            own_costs: own_costs.iter().any(Option::is_some),
            observed: !observed.is_empty(),
        };
        end_labels(
            root,
            &sz,
            labels,
            x_line,
            lx + sz.px(10.0) as i32,
            (top + sz.px(rows.height()) as i32, bottom),
        )?;
        key(root, &sz, (lx + sz.px(10.0) as i32, top), rows)
    }
}

/// Draws the "median cost meets budget" dots, `(pixel, colour)`. Dots at one place (classes
/// whose budgets cover the cost from the first year all meet it there) become rings around
/// each other, the first class innermost, so that every class's dot shows.
fn draw_dots<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sz: &Sizes,
    dots: &[((i32, i32), RGBColor)],
) -> PlotResult<()> {
    let (r, step) = (sz.px(5.5) as i32, sz.px(5.0) as i32);
    // How many dots drawn before each one sit under it: it is that many rings out.
    let near = |a: (i32, i32), b: (i32, i32)| (a.0 - b.0).pow(2) + (a.1 - b.1).pow(2) < r * r;
    let rings: Vec<i32> = dots
        .iter()
        .enumerate()
        .map(|(i, (at, _))| dots[..i].iter().filter(|(p, _)| near(*p, *at)).count() as i32)
        .collect();
    // Outermost first, each on a white disc, so that the inner ones are drawn over it.
    let mut order: Vec<usize> = (0..dots.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(rings[i]));
    for i in order {
        let ((x, y), c) = dots[i];
        let radius = r + rings[i] * step;
        root.draw(&Circle::new(
            (x, y),
            radius + sz.px(1.5) as i32,
            WHITE.filled(),
        ))
        .map_err(err)?;
        root.draw(&Circle::new((x, y), radius, c.filled()))
            .map_err(err)?;
    }
    Ok(())
}

/// Opacity of each class's 50% budget band.
const BUDGET_BAND: f64 = 0.10;

/// The label of the frontier's whole-project line drawn from the frontier spend.
pub const SPEND_LABEL: &str = "frontier project (overhead × largest run)";

/// Which optional rows the key has.
#[derive(Debug, Clone, Copy)]
struct KeyRows {
    own_costs: bool,
    observed: bool,
}

impl KeyRows {
    /// Height of the key at the design width: two rows and the optional ones.
    fn height(self) -> f64 {
        KEY_ROW * (2 + usize::from(self.own_costs) + usize::from(self.observed)) as f64 + 10.0
    }
}

/// Height of one row of the key, at the design width.
const KEY_ROW: f64 = 28.0;

/// The key for the marks, each drawn as in the plot and large enough to read: the cost's
/// median in its 50% and 90% bands, a crossing marker, and a class's own (dashed) cost.
fn key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sz: &Sizes,
    (x, y): (i32, i32),
    rows: KeyRows,
) -> PlotResult<()> {
    let font = (FONT, sz.font(12.5))
        .into_font()
        .color(&MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let s = |v: f64| sz.px(v) as i32;
    let (swatch, text_x) = (s(38.0), x + s(48.0));
    // The middle of each row.
    let row = |k: f64| y + s(KEY_ROW * k + KEY_ROW / 2.0);
    let mid = row(0.0);
    root.draw(&Rectangle::new(
        [(x, mid - s(11.0)), (x + swatch, mid + s(11.0))],
        COST.mix(0.16).filled(),
    ))
    .map_err(err)?;
    root.draw(&Rectangle::new(
        [(x, mid - s(5.5)), (x + swatch, mid + s(5.5))],
        COST.mix(0.30).filled(),
    ))
    .map_err(err)?;
    root.draw(&PathElement::new(
        vec![(x, mid), (x + swatch, mid)],
        BLACK.stroke_width(sz.px(3.5)),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        "median · 50% · 90%",
        (text_x, mid),
        font.clone(),
    ))
    .map_err(err)?;
    let mid = row(1.0);
    let centre = (x + swatch / 2, mid);
    root.draw(&Circle::new(centre, sz.px(5.5), MUTED.filled()))
        .map_err(err)?;
    root.draw(&Text::new(
        "median cost meets budget",
        (text_x, mid),
        font.clone(),
    ))
    .map_err(err)?;
    let mut next = 2.0;
    if rows.own_costs {
        let mid = row(next);
        next += 1.0;
        // Dashes as in the plot: 10 on, 6 off.
        for (from, to) in [(0.0, 10.0), (16.0, 26.0), (32.0, 38.0)] {
            root.draw(&PathElement::new(
                vec![(x + s(from), mid), (x + s(to), mid)],
                MUTED.stroke_width(sz.px(2.5)),
            ))
            .map_err(err)?;
        }
        root.draw(&Text::new(
            "a class's own cost (access)",
            (text_x, mid),
            font.clone(),
        ))
        .map_err(err)?;
    }
    if rows.observed {
        let mid = row(next);
        let (cx, r) = (x + swatch / 2, s(7.0));
        root.draw(&Polygon::new(
            vec![(cx, mid - r), (cx + r, mid), (cx, mid + r), (cx - r, mid)],
            MUTED.filled(),
        ))
        .map_err(err)?;
        root.draw(&Text::new("observed (scenario)", (text_x, mid), font))
            .map_err(err)?;
    }
    Ok(())
}

/// What the cost lines add up, e.g. "Whole cost (compute + staff)".
fn what_is_costed(d: &ChartData) -> String {
    let Some(basis) = d.affordability_basis.as_deref() else {
        return "Whole-project training cost".into();
    };
    let parts: Vec<&str> = ["compute", "data", "staff", "deployment"]
        .into_iter()
        .filter(|c| *c != "deployment" || basis == "train_and_deploy")
        .filter(|c| d.cost_components.iter().any(|r| r.component == *c))
        .collect();
    format!("Whole cost ({})", parts.join(" + "))
}

/// The value of a line given at some years, at `year`, linear in log10 between them (`None`
/// outside them).
fn log_interp(line: &[(f64, f64)], year: f64) -> Option<f64> {
    line.windows(2).find_map(|w| {
        let ((y0, v0), (y1, v1)) = (w[0], w[1]);
        (y0 <= year && year <= y1).then(|| {
            let f = if y1 > y0 {
                (year - y0) / (y1 - y0)
            } else {
                0.0
            };
            10f64.powf(v0.log10() + f * (v1.log10() - v0.log10()))
        })
    })
}
