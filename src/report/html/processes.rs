//! What the inputs imply: the fan charts of effective FLOP per dollar, the algorithmic
//! efficiency multiplier and the frontier spend (median, 50% and 90% bands), in the colours of
//! the `processes` PNG chart, each reporting year's numbers in a tooltip.

use plotters::style::RGBColor;

use crate::plot::ChartData;
use crate::plot::style::{decade_ticks, dollars_tick, power_tick, times_tick};

use super::charts::log_range;
use super::svg::{self, Frame};

/// One process: series name, title, axis title, tick label and the colour of the PNG chart's
/// panel.
type Panel = (
    &'static str,
    &'static str,
    &'static str,
    fn(f64) -> String,
    RGBColor,
);

/// The three processes.
const PANELS: [Panel; 3] = [
    (
        "flop_per_dollar",
        "Hardware: effective FLOP per dollar",
        "FLOP per dollar (log)",
        power_tick,
        RGBColor(0, 114, 178),
    ),
    (
        "algorithmic_efficiency",
        "Algorithms: efficiency multiplier",
        "× fewer FLOP needed (log)",
        times_tick,
        RGBColor(0, 158, 115),
    ),
    (
        "frontier_spend",
        "Investment: frontier spend",
        "largest run, dollars (log)",
        dollars_tick,
        RGBColor(213, 94, 0),
    ),
];

/// `(title, svg)` of every process the run has (without `[investment]` there is no spend).
pub fn processes(d: &ChartData) -> Vec<(&'static str, String)> {
    PANELS
        .iter()
        .filter(|p| !d.fan(p.0, "").is_empty())
        .map(|&(series, title, axis, tick, colour)| {
            (title, panel(d, series, title, axis, tick, colour))
        })
        .collect()
}

fn panel(
    d: &ChartData,
    series: &str,
    title: &str,
    axis: &str,
    tick: fn(f64) -> String,
    colour: RGBColor,
) -> String {
    let rows = d.fan(series, "");
    let (a, b) = log_range(rows.iter().flat_map(|(_, q)| [q[0], q[4]]));
    let f = Frame::new(600.0, 300.0, (d.start_year, d.end_year), (a, b));
    let mut out = String::new();
    svg::open(&mut out, &f, title);
    svg::x_grid(&mut out, &f, &svg::year_ticks(d.start_year, d.end_year));
    let ticks: Vec<_> = decade_ticks(a, b, 7)
        .into_iter()
        .map(|e| (e, tick(e)))
        .collect();
    svg::y_grid(&mut out, &f, &ticks);
    svg::axis_titles(&mut out, &f, "year", axis);
    let at = |(y, v): (f64, f64)| f.at(y, v.max(1e-300).log10());
    let line = |i: usize| -> Vec<(f64, f64)> {
        rows.iter()
            .filter(|(_, q)| q[i] > 0.0)
            .map(|(y, q)| at((*y, q[i])))
            .collect()
    };
    svg::band(&mut out, &line(4), &line(0), colour);
    svg::band(&mut out, &line(3), &line(1), colour);
    svg::line(&mut out, &line(2), colour, 2.0, false);
    for (y, q) in rows.iter().filter(|(_, q)| q[2] > 0.0) {
        let num = |v: f64| match series {
            "frontier_spend" => crate::format::format_dollars(v),
            "algorithmic_efficiency" => format!("{}×", crate::format::format_number(v)),
            _ => crate::format::format_number(v),
        };
        let tip = format!(
            "{title}\n{}: median {} (50%: {} – {}; 90%: {} – {})",
            crate::format::year_label(*y),
            num(q[2]),
            num(q[1]),
            num(q[3]),
            num(q[0]),
            num(q[4])
        );
        svg::point(&mut out, at((*y, q[2])), colour, &tip, false);
    }
    out.push_str("</svg>");
    out
}
