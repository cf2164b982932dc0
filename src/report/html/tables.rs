//! The report's tables: the provenance of the run and, per target, the summary the CLI prints
//! (P by the horizon, median year, 90% interval, median lag, largest cost). Each number's cell
//! also carries the value as written in `times.csv` (`data-v`), so a test can compare them.

use std::fmt::Write;

use crate::format::{group_digits, percent, year_label};
use crate::schema::Dominant;

use super::ReportData;
use super::charts::year_text;
use super::escape::escape;
use super::svg::hex;

/// The provenance list: scenario file, seed, samples, program, scenario hash, date.
pub fn provenance(r: &ReportData, date: &str) -> String {
    let s = &r.summary;
    let m = r.manifest.as_ref();
    let unknown = || "—".to_string();
    let mut items: Vec<(&str, String)> = vec![
        (
            "Scenario file",
            m.map_or_else(unknown, |m| m.scenario_path.clone()),
        ),
        ("Seed", s.seed.to_string()),
        ("Samples", group_digits(s.samples)),
        (
            "Horizon",
            format!("{}–{}", year_label(s.start_year), year_label(s.end_year)),
        ),
        ("Program", m.map_or_else(unknown, |m| m.tool.clone())),
        (
            "Scenario SHA-256",
            m.map_or_else(unknown, |m| m.scenario_sha256.clone()),
        ),
    ];
    if let Some(m) = m.filter(|m| !m.overrides.is_empty()) {
        items.push(("Values set (--set)", m.overrides.join("; ")));
    }
    items.push(("Report written", date.to_string()));
    let mut out = String::from("<dl class=\"provenance\">");
    for (k, v) in items {
        let class = if k.contains("SHA") {
            " class=\"hash\""
        } else {
            ""
        };
        let _ = write!(out, "<div><dt>{k}</dt><dd{class}>{}</dd></div>", escape(&v));
    }
    out.push_str("</dl>");
    out
}

/// The summary table of target `j`, one row per actor class.
pub fn summary(r: &ReportData, j: usize) -> String {
    let d = &r.chart;
    let end = d.end_year;
    let frontier = d.targets[j].frontier_year;
    let components = !r.summary.dominant_components.is_empty();
    let mut out = String::from("<table class=\"summary\"><thead><tr><th>actor class</th>");
    let _ = write!(
        out,
        "<th class=\"num\">P(by {})</th><th class=\"num\">median year</th><th class=\"num\">90% interval</th>",
        year_label(end)
    );
    if frontier.is_some() {
        out.push_str("<th class=\"num\">median lag</th>");
    }
    if components {
        out.push_str("<th>largest cost then</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (k, actor) in d.actors.iter().enumerate() {
        let Some(p) = r.pair(j, k) else { continue };
        let q = p.year.ordered();
        let _ = write!(
            out,
            "<tr data-actor=\"{}\"><th scope=\"row\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th>",
            escape(actor),
            hex(d.colours[k]),
            escape(actor)
        );
        cell(
            &mut out,
            "p",
            Some(p.p_by_horizon),
            &percent(p.p_by_horizon),
        );
        cell(&mut out, "median", q[2], &year_text(q[2], end));
        let _ = write!(
            out,
            "<td class=\"num\" data-col=\"interval\" data-v=\"{}\" data-v2=\"{}\">{} – {}</td>",
            raw(q[0]),
            raw(q[4]),
            year_text(q[0], end),
            year_text(q[4], end)
        );
        if let Some(fy) = frontier {
            let lag = p.lag.and_then(|l| l.p50);
            let text = lag.map_or(format!("> {} y", year_label(end - fy)), |l| {
                format!("{l:.1} y")
            });
            cell(&mut out, "lag", lag, &text);
        }
        if components {
            let text = largest(r.summary.dominant_components.get(j * d.actors.len() + k));
            let _ = write!(out, "<td>{}</td>", escape(&text));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A number's cell: `text` shown, the value as `times.csv` writes it in `data-v`.
fn cell(out: &mut String, col: &str, v: Option<f64>, text: &str) {
    let _ = write!(
        out,
        "<td class=\"num\" data-col=\"{col}\" data-v=\"{}\">{}</td>",
        raw(v),
        escape(text)
    );
}

/// A value as the CSV files write it (shortest round-trip form; empty for none).
fn raw(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The component largest in most samples that afford the target, and in how many: as the CLI's
/// "largest cost then" column.
fn largest(d: Option<&Dominant>) -> String {
    let Some(d) = d.filter(|d| d.samples_affordable > 0) else {
        return "—".into();
    };
    let best = d
        .largest
        .iter()
        .fold(None::<(&str, f64)>, |best, c| match best {
            Some((_, s)) if s >= c.share => best,
            _ => Some((&c.component, c.share)),
        });
    best.map_or("—".into(), |(name, share)| {
        format!("{name} ({:.0}%)", 100.0 * share)
    })
}
