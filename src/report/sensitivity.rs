//! Sensitivity exports: `sensitivity.csv` and the table of the inputs that matter most.

use std::fmt::Write;

use crate::format::{format_number, round_year, sig_exp, year_cell};
use crate::scenario::Scenario;
use crate::sensitivity::Sensitivity;

/// Rows of one target × actor class, largest swing first (ties: larger |ρ| first).
pub fn ranked(rows: &[Sensitivity], end_year: f64) -> Vec<Vec<&Sensitivity>> {
    let mut groups: Vec<Vec<&Sensitivity>> = Vec::new();
    for r in rows {
        match groups.last_mut() {
            Some(g) if g[0].target == r.target && g[0].actor == r.actor => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    for g in &mut groups {
        // Swings known only as lower bounds (a median beyond the horizon) first, then by size.
        let strength = |r: &Sensitivity| {
            if r.spearman.is_nan() {
                -1.0
            } else {
                r.spearman.abs()
            }
        };
        g.sort_by(|a, b| {
            b.swing_is_lower_bound()
                .cmp(&a.swing_is_lower_bound())
                .then(b.swing(end_year).total_cmp(&a.swing(end_year)))
                .then(strength(b).total_cmp(&strength(a)))
                .then(a.input.cmp(&b.input))
        });
    }
    groups
}

/// `sensitivity.csv`: one row per target × actor class × input, largest swing first within each
/// target × actor class. An empty median means not affordable by the horizon.
pub fn sensitivity_csv(scn: &Scenario, rows: &[Sensitivity]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "target",
        "actor",
        "input",
        "spearman",
        "spearman_se",
        "input_p5",
        "input_p95",
        "median_year",
        "median_year_input_at_p5",
        "median_year_input_at_p95",
        "swing_years",
        "swing_is_lower_bound",
    ])
    .expect("memory");
    for group in ranked(rows, scn.end_year) {
        for r in group {
            w.write_record([
                scn.targets[r.target].name.clone(),
                scn.actors[r.actor].name.clone(),
                scn.inputs[r.input].name.clone(),
                if r.spearman.is_nan() {
                    String::new()
                } else {
                    format!("{:.4}", r.spearman)
                },
                if r.spearman_se.is_nan() {
                    String::new()
                } else {
                    format!("{:.4}", r.spearman_se)
                },
                sig_exp(r.pinned_at[0]),
                sig_exp(r.pinned_at[1]),
                year_cell(r.median),
                year_cell(r.median_pinned[0]),
                year_cell(r.median_pinned[1]),
                round_year(r.swing(scn.end_year)).to_string(),
                r.swing_is_lower_bound().to_string(),
            ])
            .expect("memory");
        }
    }
    w.into_inner().expect("memory")
}

/// The table: for every target × actor class, the `top` inputs by swing.
pub fn sensitivity_table(scn: &Scenario, rows: &[Sensitivity], top: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}: what drives the affordability year", scn.name);
    let _ = writeln!(
        o,
        "Spearman ρ ± standard error between each input and the year (never = last); swing: the median year with the input at its 5th / 95th percentile (≥: a median beyond the horizon)"
    );
    if let Some(set) = scn.set_line() {
        let _ = writeln!(o, "{set}");
    }
    let end = format_number(scn.end_year);
    let show = |y: Option<f64>| y.map_or(format!("not by {end}"), |y| format!("{y:.1}"));
    let width = scn
        .inputs
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    for group in ranked(rows, scn.end_year) {
        let first = group[0];
        let _ = writeln!(
            o,
            "\n{} × {}  (median {})",
            scn.targets[first.target].name,
            scn.actors[first.actor].name,
            show(first.median)
        );
        let _ = writeln!(
            o,
            "  {:<width$}  {:>15}  {:>27}  {:>7}",
            "input", "Spearman ρ", "median at p5 → p95", "swing"
        );
        for r in group.iter().take(top) {
            let _ = writeln!(
                o,
                "  {:<width$}  {:>15}  {:>27}  {:>7}",
                scn.inputs[r.input].name,
                if r.spearman.is_nan() {
                    "n/a (constant)".to_string()
                } else {
                    format!("{:+.3} ± {:.3}", r.spearman, r.spearman_se)
                },
                format!(
                    "{} → {}",
                    show(r.median_pinned[0]),
                    show(r.median_pinned[1])
                ),
                format!(
                    "{}{:.1} y",
                    if r.swing_is_lower_bound() { "≥ " } else { "" },
                    r.swing(scn.end_year)
                ),
            );
        }
    }
    o
}
