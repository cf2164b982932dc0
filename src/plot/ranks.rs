//! Ranks of one target: P(the r-th actor over all classes can afford it by the year), one curve
//! per requested rank, with the classes' median actors for comparison.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::affordability::{Head, Line, legend_width, probability_curves};
use super::data::ChartData;
use super::layout::headed;
use super::style::slug;
use super::{Chart, PlotResult};
use crate::format::percent_label;

/// The ranks chart of target `target`.
pub struct RanksChart<'a> {
    /// The run's results.
    pub data: &'a ChartData,
    /// Which target.
    pub target: usize,
}

/// Ranks run from dark to light blue: an ordered encoding, distinct from the classes' colours.
fn rank_colour(i: usize, n: usize) -> RGBColor {
    let f = if n <= 1 {
        0.0
    } else {
        i as f64 / (n - 1) as f64
    };
    let mix = |a: u8, b: u8| (f64::from(a) + f * (f64::from(b) - f64::from(a))).round() as u8;
    RGBColor(mix(8, 107), mix(48, 174), mix(107, 214))
}

impl RanksChart<'_> {
    /// True when the run reports ranks for target `j`.
    pub fn has_ranks(data: &ChartData, j: usize) -> bool {
        data.ranks.iter().any(|r| r.target == data.targets[j].name)
    }
}

impl Chart for RanksChart<'_> {
    fn stem(&self) -> String {
        format!("ranks_{}", slug(&self.data.targets[self.target].name))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()> {
        let d = self.data;
        let t = &d.targets[self.target];
        let title = headed(
            &d.scenario,
            &format!("how many can afford {}, and when", t.name),
        );
        let subtitle = "Probability that the r-th actor over all classes can afford it by the year";
        let from = t.frontier_year.unwrap_or(d.start_year);
        let ranks: Vec<_> = d.ranks.iter().filter(|r| r.target == t.name).collect();
        let lines: Vec<Line> = ranks
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let ordinal = match (r.rank % 10, r.rank % 100) {
                    (1, n) if n != 11 => "st",
                    (2, n) if n != 12 => "nd",
                    (3, n) if n != 13 => "rd",
                    _ => "th",
                };
                let never = 1.0 - r.p_by_horizon;
                let label = if never > 0.0 {
                    format!(
                        "{}{ordinal} actor ({} not by {})",
                        r.rank,
                        percent_label(100.0 * never),
                        crate::format::year_label(d.end_year)
                    )
                } else {
                    format!("{}{ordinal} actor", r.rank)
                };
                let points = d
                    .years
                    .iter()
                    .copied()
                    .zip(r.p_by_year.iter().copied())
                    .collect();
                (label, rank_colour(i, ranks.len()), points)
            })
            .collect();
        let width = legend_width(&lines);
        let head = Head {
            title: &title,
            subtitle,
            footer: d.provenance.as_deref(),
        };
        probability_curves(root, &head, d.year_axis(from), &lines, width)
    }
}
