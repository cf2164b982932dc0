//! The backtest's outputs: `backtest.csv` (one row per scored match), `backtest.json` (scores
//! overall and out of sample, with and without access terms) and the printed table.

use std::fmt::Write;

use serde_json::json;

use crate::backtest::BacktestResults;
use crate::backtest::score::{Score, Summary};
use crate::format::{format_dollars, format_number, sig_exp, whole_percent};

/// Version of the `backtest.json` layout.
pub const BACKTEST_SCHEMA_VERSION: u32 = 1;

fn score_cells(s: &Score) -> Vec<String> {
    let mut v: Vec<String> = s.predicted.iter().map(|x| sig_exp(*x)).collect();
    v.extend([
        format!("{:.4}", s.pit),
        s.in_50.to_string(),
        s.in_90.to_string(),
        format!("{:.4}", s.crps_log10),
        format!("{:.4}", s.log10_ratio),
        format!("{:.4}", s.band_width_ooms),
    ]);
    v
}

/// `backtest.csv`: one row per scored match, with the predicted quantiles and scores with and
/// without access terms.
pub fn backtest_csv(r: &BacktestResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "case",
        "domain",
        "milestone",
        "milestone_year",
        "model",
        "developer",
        "actor_class",
        "year",
        "cost_basis",
        "observed_cost",
        "error_factor_90",
        "milestone_error_factor_90",
        "estimate_postdates_milestone",
        "out_of_sample",
    ]
    .map(String::from)
    .to_vec();
    for variant in ["access", "no_access", "exact"] {
        for col in [
            "p5",
            "p25",
            "p50",
            "p75",
            "p95",
            "pit",
            "in_50",
            "in_90",
            "crps_log10",
            "log10_ratio",
            "band_width_ooms",
        ] {
            header.push(format!("{variant}_{col}"));
        }
    }
    w.write_record(&header).expect("memory");
    for m in &r.matches {
        let mut row = vec![
            m.case.clone(),
            m.domain.clone(),
            m.milestone.clone(),
            format!("{:.4}", m.milestone_year),
            m.model.clone(),
            m.developer.clone(),
            m.actor_class.clone(),
            format!("{:.4}", m.year),
            m.cost_basis.clone(),
            format!("{:e}", m.observed),
            format!("{}", m.error_factor),
            format!("{}", m.milestone_error_factor),
            m.estimate_postdates_milestone.to_string(),
            m.out_of_sample.to_string(),
        ];
        row.extend(score_cells(&m.with_access));
        row.extend(score_cells(&m.without_access));
        row.extend(score_cells(&m.exact_costs));
        w.write_record(&row).expect("memory");
    }
    w.into_inner().expect("memory")
}

/// `backtest.json`: the scores, every scored match and what was skipped.
pub fn backtest_json(r: &BacktestResults) -> Vec<u8> {
    let doc = json!({
        "schema_version": BACKTEST_SCHEMA_VERSION,
        "samples": r.samples,
        "seed": r.seed,
        "note": "costs are final-run compute costs in dollars on the milestone's basis; scores are in log10 dollars; out_of_sample = matches of milestones from 2022 on; with_access and without_access predict the published figure (the cost times its measurement error), exact_costs takes every figure as exact",
        "with_access": r.with_access,
        "without_access": r.without_access,
        "exact_costs": r.exact_costs,
        "measurement": r.measurement,
        "matches": r.matches,
        "skipped": r.skipped,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("plain data");
    bytes.push(b'\n');
    bytes
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.digits$}"))
}

fn summary_row(o: &mut String, label: &str, s: &Summary) {
    let _ = writeln!(
        o,
        "  {label:<35} {:>4}  {:>6}  {:>6}  {:>6}  {:>8}  {:>10}  {:>3} / {:<3}",
        s.n,
        whole_percent(s.coverage_50),
        whole_percent(s.coverage_90),
        num(s.crps_log10, 2),
        num(s.bias_ratio, 2),
        num(s.band_width_ooms, 2),
        s.below_90,
        s.above_90,
    );
}

/// The table of scored matches: observed cost, predicted band and PIT of each variant.
fn match_rows(o: &mut String, r: &BacktestResults) {
    // Names whole, however long (a cut name could be another case's).
    let width = |header: &str, name: fn(&crate::backtest::MatchResult) -> &str| {
        r.matches
            .iter()
            .map(|m| name(m).chars().count())
            .fold(header.chars().count(), usize::max)
    };
    let (cw, mw, aw) = (
        width("case", |m| &m.case),
        width("match", |m| &m.model),
        width("class", |m| &m.actor_class),
    );
    let _ = writeln!(
        o,
        "  {:<cw$} {:<mw$} {:<aw$} {:>7}  {:>9}  {:>22}  {:>5}  {:>6}  {:>6}",
        "case",
        "match",
        "class",
        "date",
        "observed",
        "predicted (90% band)",
        "PIT",
        "no acc",
        "exact"
    );
    for m in &r.matches {
        let s = &m.with_access;
        let band = format!(
            "{} – {}",
            format_dollars(s.predicted[0]),
            format_dollars(s.predicted[4])
        );
        let mark = if s.in_90 { " " } else { "*" };
        let (case, model, class) = (&m.case, &m.model, &m.actor_class);
        let _ = writeln!(
            o,
            "  {case:<cw$} {model:<mw$} {class:<aw$} {:>7}  {:>9}  {band:>22}  {:>4.2}{mark}  {:>6.2}  {:>6.2}",
            format_number((m.year * 10.0).round() / 10.0),
            format_dollars(m.observed),
            s.pit,
            m.without_access.pit,
            m.exact_costs.pit
        );
    }
    let _ = writeln!(
        o,
        "  (* outside the 90% band with access terms; no acc = without access terms; exact = with access terms, costs taken as exact)\n"
    );
}

/// The scores of each variant, out of sample and over all matches.
fn score_rows(o: &mut String, r: &BacktestResults) {
    let _ = writeln!(
        o,
        "  {:<35} {:>4}  {:>6}  {:>6}  {:>6}  {:>8}  {:>10}  {:>9}",
        "scores", "n", "in 50%", "in 90%", "CRPS", "bias ×", "90% width", "below/above"
    );
    summary_row(
        o,
        "with access terms, out of sample",
        &r.with_access.out_of_sample,
    );
    summary_row(o, "with access terms, all", &r.with_access.all);
    summary_row(
        o,
        "without access terms, out of sample",
        &r.without_access.out_of_sample,
    );
    summary_row(o, "without access terms, all", &r.without_access.all);
    summary_row(
        o,
        "exact costs, out of sample",
        &r.exact_costs.out_of_sample,
    );
    summary_row(o, "exact costs, all", &r.exact_costs.all);
}

/// The printed backtest: every scored match, then the scores.
pub fn backtest_table(r: &BacktestResults) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Backtest: {} matches of {} cases scored; {} samples per case, seed {}\n",
        r.matches.len(),
        r.matches
            .iter()
            .map(|m| m.case.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        r.samples,
        r.seed
    );
    if let Some(e) = &r.measurement {
        let within = |f: f64| {
            if f == 1.0 {
                "is taken as exact".to_string()
            } else {
                format!(
                    "is within a factor {} of the truth 90% of the time",
                    format_number(f)
                )
            }
        };
        let _ = writeln!(
            o,
            "  Costs are measurements ([measurement] of the history): an estimated figure {}, a developer's own figure {}.\n",
            within(e.estimate_factor_90),
            within(e.reported_factor_90)
        );
    }
    match_rows(&mut o, r);
    score_rows(&mut o, r);
    let _ = writeln!(
        o,
        "\n  CRPS in log10 dollars; bias × = geometric mean of observed / predicted median; 90% width in orders of magnitude (median); below/above = observations beyond the 90% band. Target: ≥ 80% in 90%, 35–65% in 50%, width ≤ 1.5 OOM, out of sample. {} cases or matches skipped (see backtest.json).",
        r.skipped.len()
    );
    o
}
