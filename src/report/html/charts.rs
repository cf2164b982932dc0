//! The report's charts as inline SVG, drawn from the same numbers as the PNG/SVG charts
//! (`ChartData`, read back from the run's files) with the same class colours; every point or
//! bar carries its numbers in a `<title>`, which the page's script shows as a tooltip.

use crate::format::{format_dollars, percent, year_label};
use crate::plot::ChartData;
use crate::plot::style::{COST, decade_range, decade_ticks, dollars_tick};
use plotters::style::RGBColor;

use super::ReportData;
use super::svg::{self, Frame};

/// A target's chart's width and height in SVG user units (two side by side on a laptop; the
/// page scales them to its width).
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 360.0;
/// The width of a chart that has a row of its own.
const WIDE: f64 = 1000.0;
/// Tornado bar colours (input at its 5th and 95th percentile), as in the tornado PNG charts.
const LOW: RGBColor = RGBColor(0, 114, 178);
const HIGH: RGBColor = RGBColor(213, 94, 0);
/// The frontier project's dashed line in the cost charts.
pub const SPEND: RGBColor = RGBColor(120, 120, 120);
/// Inputs shown per tornado chart.
const TORNADO_ROWS: usize = 10;

/// A year quantile for people: `2031.4`, or `not by 2045`.
pub fn year_text(y: Option<f64>, end: f64) -> String {
    match y {
        Some(y) => format!("{y:.1}"),
        None => format!("not by {}", year_label(end)),
    }
}

/// The affordability curves of target `j`: P(affordable by year) per class.
pub fn affordability(r: &ReportData, j: usize) -> String {
    let d = &r.chart;
    let t = &d.targets[j];
    let f = Frame::new(WIDTH, HEIGHT, (d.start_year, d.end_year), (0.0, 1.0));
    let mut out = String::new();
    svg::open(
        &mut out,
        &f,
        &format!("Affordability of {} by year", t.name),
    );
    svg::x_grid(&mut out, &f, &svg::year_ticks(d.start_year, d.end_year));
    let pct: Vec<(f64, String)> = (0..=4)
        .map(|i| (i as f64 / 4.0, format!("{}%", i * 25)))
        .collect();
    svg::y_grid(&mut out, &f, &pct);
    svg::axis_titles(&mut out, &f, "year", "P(affordable by then)");
    let curves: Vec<Vec<(f64, f64)>> = t
        .curves
        .iter()
        .map(|c| d.years.iter().zip(c).map(|(y, p)| (*y, *p)).collect())
        .collect();
    for (k, c) in curves.iter().enumerate() {
        let pts: Vec<_> = c.iter().map(|(y, p)| f.at(*y, *p)).collect();
        svg::line(&mut out, &pts, d.colours[k], 2.0, false);
    }
    for (k, c) in curves.iter().enumerate() {
        let q = r.pair(j, k).map(|p| p.year.ordered()).unwrap_or([None; 5]);
        let when = format!(
            "median year {} (90%: {} – {})",
            year_text(q[2], d.end_year),
            year_text(q[0], d.end_year),
            year_text(q[4], d.end_year)
        );
        for (y, p) in c {
            let tip = format!(
                "{} · {}\n{}: P(affordable) {}\n{when}",
                d.actors[k],
                t.name,
                year_label(*y),
                percent(*p)
            );
            svg::point(&mut out, f.at(*y, *p), d.colours[k], &tip, false);
        }
    }
    out.push_str("</svg>");
    out
}

/// The cost trajectory of target `j` (median and 90% band) against each class's median budget,
/// on a log scale.
pub fn cost(d: &ChartData, j: usize) -> String {
    let t = &d.targets[j];
    let cost = d.fan("cost", &t.name);
    let budgets: Vec<_> = d.actors.iter().map(|a| d.fan("budget", a)).collect();
    // The frontier's whole project (`m · S(t)`), on the budgets' basis: a class's line already
    // where a budget is the frontier's, else the frontier spend times a fixed overhead.
    let spend_rows: Vec<(f64, [f64; 5])> = match d.frontier {
        crate::plot::data::FrontierBasis::Overhead(m) => d
            .fan("frontier_spend", "")
            .iter()
            .map(|(y, q)| (*y, q.map(|v| m * v)))
            .collect(),
        _ => Vec::new(),
    };
    let spend = spend_rows.as_slice();
    let (a, b) = log_range(
        cost.iter()
            .flat_map(|(_, q)| [q[0], q[4]])
            .chain(budgets.iter().flat_map(|b| b.iter().map(|(_, q)| q[2])))
            .chain(spend.iter().map(|(_, q)| q[2])),
    );
    let f = Frame::new(WIDTH, HEIGHT, (d.start_year, d.end_year), (a, b));
    let mut out = String::new();
    svg::open(&mut out, &f, &format!("Cost of {} against budgets", t.name));
    svg::x_grid(&mut out, &f, &svg::year_ticks(d.start_year, d.end_year));
    let ticks: Vec<_> = decade_ticks(a, b, 8)
        .into_iter()
        .map(|e| (e, dollars_tick(e)))
        .collect();
    svg::y_grid(&mut out, &f, &ticks);
    svg::axis_titles(&mut out, &f, "year", "dollars (log scale)");
    let at = |(y, v): (f64, f64)| f.at(y, v.max(1e-300).log10());
    let series = |rows: &[(f64, [f64; 5])], i: usize| -> Vec<(f64, f64)> {
        rows.iter()
            .filter(|(_, q)| q[i] > 0.0)
            .map(|(y, q)| at((*y, q[i])))
            .collect()
    };
    svg::band(&mut out, &series(cost, 4), &series(cost, 0), COST);
    svg::line(&mut out, &series(spend, 2), SPEND, 1.2, true);
    for (k, b) in budgets.iter().enumerate() {
        svg::line(&mut out, &series(b, 2), d.colours[k], 1.5, true);
    }
    svg::line(&mut out, &series(cost, 2), COST, 2.5, false);
    for (k, b) in budgets.iter().enumerate() {
        fan_points(
            &mut out,
            b,
            &at,
            d.colours[k],
            &format!("{} budget", d.actors[k]),
        );
    }
    fan_points(&mut out, spend, &at, SPEND, crate::plot::SPEND_LABEL);
    fan_points(&mut out, cost, &at, COST, &format!("Cost of {}", t.name));
    out.push_str("</svg>");
    out
}

/// The whole decades (log10) that cover the positive, finite `values`, at least two and at
/// most 16 decades apart.
pub fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| *v > 0.0 && v.is_finite())
        .map(f64::log10)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    decade_range(lo, hi, 16.0)
}

/// Hoverable points on a fan's median, each telling the year, median and 90% interval.
pub fn fan_points(
    out: &mut String,
    rows: &[(f64, [f64; 5])],
    at: &dyn Fn((f64, f64)) -> (f64, f64),
    colour: RGBColor,
    what: &str,
) {
    for (y, q) in rows.iter().filter(|(_, q)| q[2] > 0.0) {
        let tip = format!(
            "{what}\n{}: median {} (90%: {} – {})",
            year_label(*y),
            format_dollars(q[2]),
            format_dollars(q[0]),
            format_dollars(q[4])
        );
        svg::point(out, at((*y, q[2])), colour, &tip, false);
    }
}

/// The lag trend: each class's median lag after the frontier, by frontier year; a ring on the
/// dashed horizon line is a median beyond the horizon.
pub fn lag_trend(d: &ChartData) -> Option<String> {
    let points = d.frontier_targets();
    let (&(first, _), &(last, _)) = (points.first()?, points.last()?);
    if points.len() < 2 {
        return None;
    }
    let y_max = (d.end_year - first).max(1.0);
    let f = Frame::new(WIDE, HEIGHT, (first - 0.5, last + 0.5), (0.0, y_max));
    let mut out = String::new();
    svg::open(&mut out, &f, "Diffusion lag by frontier year");
    let x_ticks: Vec<_> = points.iter().map(|(y, _)| (*y, year_label(*y))).collect();
    svg::x_grid(&mut out, &f, &x_ticks);
    let y_ticks: Vec<_> = svg::year_ticks(0.0, y_max)
        .into_iter()
        .map(|(v, _)| (v, format!("{v:.0} y")))
        .collect();
    svg::y_grid(&mut out, &f, &y_ticks);
    svg::axis_titles(&mut out, &f, "frontier year", "years until affordable");
    let horizon: Vec<_> = points
        .iter()
        .map(|(y, _)| f.at(*y, d.end_year - y))
        .collect();
    svg::line(&mut out, &horizon, COST, 1.0, true);
    for (k, actor) in d.actors.iter().enumerate() {
        let lag_at = |(y, j): &(f64, usize)| {
            let m = d.targets[*j].lags[k][2];
            (*y, m.unwrap_or(d.end_year - y), m.is_none())
        };
        let pts: Vec<_> = points.iter().map(lag_at).collect();
        let line: Vec<_> = pts.iter().map(|(x, l, _)| f.at(*x, *l)).collect();
        svg::line(&mut out, &line, d.colours[k], 2.0, false);
        for ((y, j), (_, l, beyond)) in points.iter().zip(&pts) {
            let q = d.targets[*j].lags[k];
            let limit = d.end_year - y;
            let show =
                |v: Option<f64>| v.map_or(format!(">{}", year_label(limit)), |v| format!("{v:.1}"));
            let tip = format!(
                "{actor} · frontier of {}\nmedian lag {} y (50%: {}–{}; 90%: {}–{})",
                year_label(*y),
                show(q[2]),
                show(q[1]),
                show(q[3]),
                show(q[0]),
                show(q[4])
            );
            svg::point(&mut out, f.at(*y, *l), d.colours[k], &tip, *beyond);
        }
    }
    out.push_str("</svg>");
    Some(out)
}

/// Every (target, class) with sensitivity rows, in file order, with its largest swing.
pub fn tornado_pairs(d: &ChartData) -> Vec<(&str, &str, f64)> {
    let mut v: Vec<(&str, &str, f64)> = Vec::new();
    for r in &d.sensitivity {
        let swing = if r.swing_years.is_finite() {
            r.swing_years
        } else {
            0.0
        };
        match v
            .iter_mut()
            .find(|(t, a, _)| *t == r.target && *a == r.actor)
        {
            Some(p) => p.2 = p.2.max(swing),
            None => v.push((&r.target, &r.actor, swing)),
        }
    }
    v
}

/// The tornado chart of one target × class: the inputs with the largest swings, each a bar from
/// the median year with the input at its 5th percentile to that with it at its 95th.
pub fn tornado(d: &ChartData, target: &str, actor: &str) -> String {
    let mut rows: Vec<_> = d
        .sensitivity
        .iter()
        .filter(|r| r.target == target && r.actor == actor)
        .collect();
    rows.sort_by(|a, b| b.swing_years.total_cmp(&a.swing_years));
    rows.truncate(TORNADO_ROWS);
    let end = d.end_year;
    let year = |v: Option<f64>| v.unwrap_or(end);
    let median = rows.first().map_or(end, |r| year(r.median_year));
    let (lo, hi) = rows.iter().fold((median, median), |(a, b), r| {
        let (p, q) = (
            year(r.median_year_input_at_p5),
            year(r.median_year_input_at_p95),
        );
        (a.min(p).min(q), b.max(p).max(q))
    });
    let height = 56.0 + 26.0 * rows.len().max(1) as f64;
    let mut f = Frame::new(WIDE, height, (lo - 0.5, hi + 0.5), (0.0, 1.0));
    f.left = 260.0;
    let mut out = String::new();
    svg::open(&mut out, &f, &format!("What drives {actor} · {target}"));
    svg::x_grid(&mut out, &f, &svg::year_ticks(lo - 0.5, hi + 0.5));
    let m = f.x(median);
    svg::line(&mut out, &[(m, f.top), (m, f.bottom)], COST, 1.5, false);
    for (i, r) in rows.iter().enumerate() {
        let y = f.top + 6.0 + 26.0 * i as f64;
        svg::label(&mut out, (f.left - 8.0, y + 14.0), "end", "tick", &r.input);
        let rho = r.spearman.map_or("undefined".into(), |s| format!("{s:.2}"));
        let tip = |at: &str, v: Option<f64>| {
            format!(
                "{}\ninput at its {at} percentile: median year {}\nmain run: {} · swing {:.1} y · Spearman ρ {rho}",
                r.input,
                year_text(v, end),
                year_text(r.median_year, end),
                r.swing_years
            )
        };
        let (p5, p95) = (r.median_year_input_at_p5, r.median_year_input_at_p95);
        svg::bar(
            &mut out,
            (m, f.x(year(p5))),
            (y, 20.0),
            LOW,
            &tip("5th", p5),
        );
        svg::bar(
            &mut out,
            (m, f.x(year(p95))),
            (y, 20.0),
            HIGH,
            &tip("95th", p95),
        );
    }
    svg::axis_titles(&mut out, &f, "median year", "");
    out.push_str("</svg>");
    out
}
