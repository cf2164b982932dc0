//! The summary table printed on stdout: for every target × actor class, P(affordable by the
//! horizon), the median year and 90% interval, and for frontier targets the median lag.

use std::fmt::Write;

use crate::format::{format_dollars, format_number, percent};
use crate::results::RunResults;
use crate::scenario::{Quantity, Scenario, Target, TargetKind};

/// Index of the 5th, 50th and 95th percentiles in `QUANTILE_LEVELS`.
const P5: usize = 0;
const P50: usize = 2;
const P95: usize = 4;

fn year(q: Option<f64>, end: f64) -> String {
    match q {
        Some(y) => format!("{y:.1}"),
        None => format!("not by {}", format_number(end)),
    }
}

/// What a target is, in words: its FLOP (as written), the frontier run of a year, or what a
/// frontier project of a cost trains in a year.
fn target_description(scn: &Scenario, t: &Target) -> String {
    let written = |q: &Quantity| match q {
        Quantity::Fixed(v) => format_number(*v),
        Quantity::Input(i) => scn.inputs[*i].written.trim_matches('"').to_string(),
    };
    match &t.kind {
        TargetKind::Fixed { flop, flop_year } => {
            let flop = format!("{} FLOP", written(flop));
            match flop_year {
                Some(y) => format!("{flop} at {} algorithms", format_number(*y)),
                None => flop,
            }
        }
        TargetKind::FrontierOf { year } => {
            format!("the largest run of {}", format_number(*year))
        }
        TargetKind::CostAt { cost, year } => {
            let cost = match cost {
                Quantity::Fixed(v) => format_dollars(*v),
                q => format!("{} dollar", written(q)),
            };
            format!(
                "what a {cost} frontier project trains in {}",
                format_number(*year)
            )
        }
    }
}

/// The human-readable summary.
pub fn summary_table(scn: &Scenario, r: &RunResults) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", scn.name);
    let _ = writeln!(
        out,
        "{} samples, seed {}, horizon {}–{}",
        r.samples,
        r.seed,
        format_number(r.start_year),
        format_number(r.end_year)
    );
    if let Some(set) = scn.set_line() {
        let _ = writeln!(out, "{set}");
    }
    let actor_width = actor_width(scn);
    for (j, t) in scn.targets.iter().enumerate() {
        let what = target_description(scn, t);
        let _ = writeln!(out, "\n{}  ({what})", t.name);
        let frontier = t.frontier_year().is_some();
        let by = format!("P(by {})", format_number(r.end_year));
        let _ = write!(
            out,
            "  {:<actor_width$}  {by:>12}  {:>14}  {:<27}",
            "actor class", "median year", "90% interval"
        );
        if frontier {
            let _ = write!(out, "  {:>10}", "median lag");
        }
        let components = !r.dominant_components.is_empty();
        if components {
            let _ = write!(out, "  largest cost then");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        for (k, a) in scn.actors.iter().enumerate() {
            let p = &r.affordability[j * scn.actors.len() + k];
            let interval = format!(
                "{} – {}",
                year(p.quantiles[P5], r.end_year),
                year(p.quantiles[P95], r.end_year)
            );
            let _ = write!(
                out,
                "  {:<actor_width$}  {:>12}  {:>14}  {:<27}",
                a.name,
                percent(p.p_by_horizon),
                year(p.quantiles[P50], r.end_year),
                interval
            );
            if let Some(lag) = &p.lag_quantiles {
                let lag = match lag[P50] {
                    Some(l) => format!("{l:.1} y"),
                    None => format!(
                        "> {} y",
                        format_number(r.end_year - t.frontier_year().unwrap_or(r.start_year))
                    ),
                };
                let _ = write!(out, "  {lag:>10}");
            }
            if let Some(d) = r
                .dominant_components
                .get(j * scn.actors.len() + k)
                .filter(|d| d.samples > 0)
            {
                // The component largest in most samples, and in how many.
                let (name, share) = d.share_of_samples.iter().fold(("", -1.0), |best, (c, f)| {
                    if *f > best.1 { (c, *f) } else { best }
                });
                let _ = write!(out, "  {name} ({:.0}%)", 100.0 * share);
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
        population_rows(&mut out, scn, r, j, actor_width);
    }
    lag_trend_table(&mut out, scn, r);
    out
}

/// Under a target's table, with actors within classes: the year the r-th actor over all classes
/// first affords it, and how many actors can afford it in every fifth reporting year.
fn population_rows(out: &mut String, scn: &Scenario, r: &RunResults, j: usize, width: usize) {
    let target = &scn.targets[j];
    for k in r.ranks.iter().filter(|k| k.target == target.name) {
        let interval = format!(
            "{} – {}",
            year(k.quantiles[P5], r.end_year),
            year(k.quantiles[P95], r.end_year)
        );
        let name = format!("rank {} actor overall", k.rank);
        let _ = write!(
            out,
            "  {name:<width$}  {:>12}  {:>14}  {:<27}",
            percent(k.p_by_horizon),
            year(k.quantiles[P50], r.end_year),
            interval
        );
        if let Some(fy) = k.frontier_year {
            let lag = match k.quantiles[P50] {
                Some(t) => format!("{:.1} y", t - fy),
                None => format!("> {} y", format_number(r.end_year - fy)),
            };
            let _ = write!(out, "  {lag:>10}");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    let Some(counts) = r.actor_counts.iter().find(|c| c.target == target.name) else {
        return;
    };
    // Every fifth reporting year, up to the first where (nearly) every sample has them all.
    let mut shown: Vec<String> = Vec::new();
    for (y, s) in r.years.iter().zip(&counts.by_year) {
        let Some(s) = s else { continue };
        if (*y - r.years[0]) % 5.0 != 0.0 {
            continue;
        }
        shown.push(format!(
            "{}: {} ({}–{})",
            format_number(*y),
            s.p50,
            s.p5,
            s.p95
        ));
        if s.p5 == counts.total {
            break;
        }
    }
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "  actors able to afford it, of {} (median, 90% interval): {}",
            counts.total,
            shown.join(", ")
        );
    }
}

/// With two or more frontier-of-year targets: each class's lag by frontier year, with its 50%
/// and 90% intervals and the share beyond the horizon.
fn lag_trend_table(out: &mut String, scn: &Scenario, r: &RunResults) {
    let years = scn
        .targets
        .iter()
        .filter(|t| t.frontier_year().is_some())
        .count();
    if years < 2 {
        return;
    }
    let trend = r.lag_trend();
    let actor_width = actor_width(scn);
    let _ = writeln!(
        out,
        "\nDiffusion lag by frontier year: years after the frontier first trains the capability"
    );
    let _ = writeln!(
        out,
        "  {:<actor_width$}  {:>8}  {:>8}  {:>14}  {:>14}  {:>7}",
        "actor class", "frontier", "median", "50% interval", "90% interval", "beyond"
    );
    let mut last_actor = "";
    for p in &trend {
        let limit = r.end_year - p.frontier_year;
        let show = |q: Option<f64>| match q {
            Some(v) => format!("{v:.1}"),
            None => format!(">{}", format_number(limit)),
        };
        let actor = if p.actor == last_actor { "" } else { p.actor };
        last_actor = p.actor;
        let _ = writeln!(
            out,
            "  {:<actor_width$}  {:>8}  {:>8}  {:>14}  {:>14}  {:>7}",
            actor,
            format_number(p.frontier_year),
            show(p.lag[P50]),
            format!("{}–{}", show(p.lag[1]), show(p.lag[3])),
            format!("{}–{}", show(p.lag[P5]), show(p.lag[P95])),
            percent(p.p_beyond)
        );
    }
}

/// Width of the actor-class column: the longest name, at least as wide as its header.
fn actor_width(scn: &Scenario) -> usize {
    // Rank rows ("rank 10 actor overall") share the column.
    let ranks = scn
        .report_ranks
        .iter()
        .map(|r| format!("rank {r} actor overall").chars().count())
        .max()
        .unwrap_or(0);
    scn.actors
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(5)
        .max(11)
        .max(ranks)
}
