//! Exports of `compare`: budget thresholds (table, `thresholds.csv`, `threshold_grid.csv`,
//! `compare.json`) and scenarios side by side (table, `compare.csv`,
//! `compare_affordability.csv`, `compare.json`).

use std::fmt::Write;

use super::SCHEMA_VERSION;
use crate::compare::ThresholdRow;
use crate::compare::{ComparisonRow, Curve, SE_GROUPS};
use crate::format::{format_dollars, format_number, percent, round_year, sig_exp, year_cell};

/// `thresholds.csv`: per target and budget, the affordability-year quantiles, P(by the horizon),
/// and P(cost ≤ budget) at the probability years (`p_cost_at_most_<year>`).
pub fn thresholds_csv(rows: &[ThresholdRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "target",
        "budget",
        "year_p5",
        "year_p25",
        "year_p50",
        "year_p75",
        "year_p95",
        "p_by_horizon",
    ]
    .map(String::from)
    .to_vec();
    if let Some(r) = rows.first() {
        header.extend(
            r.p_cost_at_most
                .iter()
                .map(|(y, _)| format!("p_cost_at_most_{}", round_year(*y))),
        );
    }
    w.write_record(&header).expect("memory");
    for r in rows {
        let mut rec = vec![r.target.clone(), sig_exp(r.budget)];
        rec.extend(r.year.iter().map(|q| year_cell(*q)));
        rec.push(r.p_by_horizon.to_string());
        rec.extend(
            r.p_cost_at_most
                .iter()
                .map(|(_, p)| p.map(|p| format!("{p:.6}")).unwrap_or_default()),
        );
        w.write_record(&rec).expect("memory");
    }
    w.into_inner().expect("memory")
}

/// `threshold_grid.csv`: P(cost ≤ budget) per target, reporting year and grid budget.
pub fn threshold_grid_csv(grid: &[(String, f64, f64, Option<f64>)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["target", "year", "budget", "p_cost_at_most"])
        .expect("memory");
    for (t, y, b, p) in grid {
        let Some(p) = p else { continue };
        w.write_record([
            t.clone(),
            round_year(*y).to_string(),
            sig_exp(*b),
            format!("{p:.6}"),
        ])
        .expect("memory");
    }
    w.into_inner().expect("memory")
}

/// `compare.json` of a budget-thresholds comparison.
pub fn thresholds_json(scenario: &str, samples: u64, seed: u64, rows: &[ThresholdRow]) -> Vec<u8> {
    pretty(&serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario,
        "samples": samples,
        "seed": seed,
        "thresholds": rows,
    }))
}

/// `compare.json` of scenarios side by side.
pub fn comparison_json(
    names: &[String],
    samples: u64,
    seed: u64,
    notes: &[String],
    rows: &[ComparisonRow],
) -> Vec<u8> {
    pretty(&serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "scenarios": names,
        "samples": samples,
        "seed": seed,
        "se_method": format!("batch means: the samples split into {SE_GROUPS} consecutive groups; SE = sd of the groups' paired median differences / sqrt({SE_GROUPS})"),
        "notes": notes,
        "rows": rows,
    }))
}

fn pretty(doc: &serde_json::Value) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(doc).expect("plain data");
    json.push(b'\n');
    json
}

/// The thresholds table for people; `set` says what `--set` changed in the scenario.
pub fn thresholds_table(
    scenario: &str,
    samples: u64,
    end_year: f64,
    rows: &[ThresholdRow],
    set: Option<&str>,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{scenario}: when does each capability's cost fall below each budget?"
    );
    let _ = writeln!(
        o,
        "{samples} samples; a budget is fixed and does not grow; P(cost ≤ budget) per year"
    );
    if let Some(set) = set {
        let _ = writeln!(o, "{set}");
    }
    let end = format_number(end_year);
    let show = |q: Option<f64>| q.map_or(format!("not by {end}"), |y| format!("{y:.1}"));
    let mut target = "";
    for r in rows {
        if r.target != target {
            target = &r.target;
            let _ = write!(
                o,
                "\n{target}\n  {:>9}  {:>12}  {:<27}  {:>10}",
                "budget",
                "median year",
                "90% interval",
                format!("P(by {end})")
            );
            for (y, _) in &r.p_cost_at_most {
                let _ = write!(o, "  {:>5}", format_number(*y));
            }
            o.push('\n');
        }
        let _ = write!(
            o,
            "  {:>9}  {:>12}  {:<27}  {:>10}",
            format_dollars(r.budget),
            show(r.year[2]),
            format!("{} – {}", show(r.year[0]), show(r.year[4])),
            percent(r.p_by_horizon)
        );
        for (_, p) in &r.p_cost_at_most {
            let _ = write!(
                o,
                "  {:>5}",
                p.map_or("—".to_string(), |p| format!("{:.0}%", 100.0 * p))
            );
        }
        o.push('\n');
    }
    o
}

/// `compare.csv`: per target × actor class × scenario, the affordability-year quantiles,
/// P(by the horizon), and the difference in medians against the first scenario with its
/// standard error.
pub fn comparison_csv(rows: &[ComparisonRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "target",
        "actor",
        "scenario",
        "year_p5",
        "year_p25",
        "year_p50",
        "year_p75",
        "year_p95",
        "p_by_horizon",
        "median_diff_vs_first",
        "median_diff_se",
    ])
    .expect("memory");
    for r in rows {
        for c in &r.cells {
            let mut rec = vec![r.target.clone(), r.actor.clone(), c.scenario.clone()];
            rec.extend(c.year.iter().map(|q| year_cell(*q)));
            rec.push(c.p_by_horizon.to_string());
            match c.diff_vs_first {
                Some((d, se)) => rec.extend([format!("{d:.4}"), format!("{se:.4}")]),
                None => rec.extend([String::new(), String::new()]),
            }
            w.write_record(&rec).expect("memory");
        }
    }
    w.into_inner().expect("memory")
}

/// `compare_affordability.csv`: scenario, target, actor, year, P(affordable by that year).
pub fn comparison_curves_csv(curves: &[Curve]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["scenario", "target", "actor", "year", "probability"])
        .expect("memory");
    for (s, t, a, points) in curves {
        for (y, p) in points {
            w.write_record([
                s.clone(),
                t.clone(),
                a.clone(),
                round_year(*y).to_string(),
                p.to_string(),
            ])
            .expect("memory");
        }
    }
    w.into_inner().expect("memory")
}

/// The scenarios side by side, for people; `set` says what `--set` changed in all of them.
pub fn comparison_table(
    names: &[String],
    rows: &[ComparisonRow],
    notes: &[String],
    end_years: &[f64],
    set: Option<&str>,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Scenarios compared: {} (common random numbers)",
        names.join(" vs ")
    );
    let _ = writeln!(
        o,
        "median year (90% interval); Δ = median minus {}'s, ± Monte Carlo standard error",
        names[0]
    );
    if let Some(set) = set {
        let _ = writeln!(o, "{set}");
    }
    // Each scenario's own horizon labels its "beyond" cells.
    let show = |q: Option<f64>, s: usize| {
        q.map_or(format!(">{}", format_number(end_years[s])), |y| {
            format!("{y:.1}")
        })
    };
    let width = rows
        .iter()
        .map(|r| r.actor.chars().count())
        .max()
        .unwrap_or(5)
        .max(11);
    let mut target = "";
    for r in rows {
        if r.target != target {
            target = &r.target;
            let _ = write!(o, "\n{target}\n  {:<width$}", "actor class");
            for (i, n) in names.iter().enumerate() {
                let _ = write!(o, "  {:>24}", n);
                if i > 0 {
                    let _ = write!(o, "  {:>14}", "Δ");
                }
            }
            o.push('\n');
        }
        let _ = write!(o, "  {:<width$}", r.actor);
        for (i, c) in r.cells.iter().enumerate() {
            let _ = write!(
                o,
                "  {:>24}",
                format!(
                    "{} ({}–{})",
                    show(c.year[2], i),
                    show(c.year[0], i),
                    show(c.year[4], i)
                )
            );
            if i > 0 {
                let d = c
                    .diff_vs_first
                    .map_or("—".to_string(), |(d, se)| format!("{d:+.2} ± {se:.2}"));
                let _ = write!(o, "  {d:>14}");
            }
        }
        o.truncate(o.trim_end().len());
        o.push('\n');
    }
    for n in notes {
        let _ = writeln!(o, "\nnote: {n}");
    }
    o
}
