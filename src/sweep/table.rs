//! A sweep's outputs as bytes: `sweep.csv` (one tidy table), `sweep.json` (typed, versioned) and
//! the table printed on stdout. Every number comes from the points' [`PointResult`]s, written as
//! `times.csv` and `summary.json` write them.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::{Design, Point, PointResult, SweepError};
use crate::format::{format_number, percent, year_cell};
use crate::results::QUANTILE_LEVELS;

/// Version of the `sweep.json` layout; bumped when a field changes meaning or disappears.
pub const SWEEP_SCHEMA_VERSION: u32 = 2;

/// `sweep.json`: the points of a sweep and each one's affordability results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepDoc {
    /// Layout version ([`SWEEP_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The scenario's name.
    pub scenario: String,
    /// `grid` or `lhs`.
    pub design: String,
    /// The swept keys, as given, in the order of every point's `values`.
    pub keys: Vec<String>,
    /// Samples of every point.
    pub samples: u64,
    /// Seed of every point (common random numbers).
    pub seed: u64,
    /// The quantile levels of every `year` object.
    pub quantile_levels: [f64; 5],
    /// How to read the file.
    pub note: String,
    /// The points, in the order they ran.
    pub points: Vec<SweptPoint>,
}

/// One point of `sweep.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweptPoint {
    /// Its number, from 1.
    pub point: usize,
    /// Each key's value as set (a string without its TOML quotes).
    pub values: Vec<String>,
    /// Each value as a number, where it is one (`$1M` is 1e6).
    pub numbers: Vec<Option<f64>>,
    /// Its results.
    #[serde(flatten)]
    pub result: PointResult,
}

impl SweepDoc {
    /// The document of a sweep of the scenario named `scenario`: `points` and their `results`,
    /// one per point in the same order.
    pub fn new(
        scenario: &str,
        design: Design,
        (samples, seed): (u64, u64),
        points: &[Point],
        results: &[PointResult],
    ) -> Result<Self, SweepError> {
        same_length(points, results)?;
        Ok(Self {
            schema_version: SWEEP_SCHEMA_VERSION,
            scenario: scenario.to_string(),
            design: design.as_str().into(),
            keys: keys(points),
            samples,
            seed,
            quantile_levels: QUANTILE_LEVELS,
            note: "per point: the values set, and per target × actor class what summary.json reports (years are fractional calendar years; a null quantile means not affordable by the point's end_year)".into(),
            points: points
                .iter()
                .zip(results)
                .map(|(p, r)| SweptPoint {
                    point: p.index,
                    values: p.values(),
                    numbers: p.numbers(),
                    result: r.clone(),
                })
                .collect(),
        })
    }

    /// The pretty-printed bytes, ending in a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("plain data");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a `sweep.json`, refusing another layout version.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, String> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let v: Version = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if v.schema_version != SWEEP_SCHEMA_VERSION {
            return Err(format!(
                "layout version {} (this version of diffusion-sim reads {SWEEP_SCHEMA_VERSION})",
                v.schema_version
            ));
        }
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

fn keys(points: &[Point]) -> Vec<String> {
    points.first().map_or_else(Vec::new, |p| {
        p.overrides.iter().map(|o| o.key().to_string()).collect()
    })
}

fn same_length(points: &[Point], results: &[PointResult]) -> Result<(), SweepError> {
    if points.len() == results.len() {
        Ok(())
    } else {
        Err(SweepError::Argument(format!(
            "{} points but {} results: give one result per point, in the points' order",
            points.len(),
            results.len()
        )))
    }
}

/// `sweep.csv`: one row per point × target × actor class: `point`, one column per swept key (the
/// value as set), `target, actor, frontier_year, p_by_horizon, year_p5 … year_p95`, the cells
/// written as `times.csv` writes them (an empty year: not by the point's horizon). `results` are
/// the points' results, one per point in the same order.
pub fn table(points: &[Point], results: &[PointResult]) -> Result<Vec<u8>, SweepError> {
    same_length(points, results)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(keys(points));
    header.extend(["target", "actor", "frontier_year", "p_by_horizon"].map(String::from));
    header.extend(
        QUANTILE_LEVELS
            .iter()
            .map(|p| format!("year_p{}", (p * 100.0).round())),
    );
    w.write_record(&header).expect("memory");
    for (p, r) in points.iter().zip(results) {
        let values = p.values();
        for pair in &r.affordability {
            let mut row = vec![p.index.to_string()];
            row.extend(values.iter().cloned());
            row.extend([
                pair.target.clone(),
                pair.actor.clone(),
                year_cell(pair.frontier_year),
                pair.p_by_horizon.to_string(),
            ]);
            row.extend(pair.year.ordered().iter().map(|q| year_cell(*q)));
            w.write_record(&row).expect("memory");
        }
    }
    Ok(w.into_inner().expect("writing to memory cannot fail"))
}

/// The table printed on stdout: per point × target × actor class, the values set, P(by the
/// horizon), the median year and the 90% interval.
pub fn text_table(doc: &SweepDoc) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: sweep of {} point{} ({}), {} samples per point, seed {}, common random numbers",
        doc.scenario,
        doc.points.len(),
        if doc.points.len() == 1 { "" } else { "s" },
        doc.design,
        doc.samples,
        doc.seed
    );
    let year = |q: Option<f64>, end: f64| match q {
        Some(y) => format!("{y:.1}"),
        None => format!("not by {}", format_number(end)),
    };
    let mut rows = vec![{
        let mut h = vec!["point".to_string()];
        h.extend(doc.keys.iter().cloned());
        h.extend(
            [
                "target",
                "actor class",
                "P(by horizon)",
                "median year",
                "90% interval",
            ]
            .map(String::from),
        );
        h
    }];
    for p in &doc.points {
        let end = p.result.end_year;
        for pair in &p.result.affordability {
            let mut row = vec![p.point.to_string()];
            row.extend(p.values.iter().cloned());
            row.extend([
                pair.target.clone(),
                pair.actor.clone(),
                percent(pair.p_by_horizon),
                year(pair.year.p50, end),
                format!("{} – {}", year(pair.year.p5, end), year(pair.year.p95, end)),
            ]);
            rows.push(row);
        }
    }
    out + &columns(&rows, doc.keys.len())
}

/// `rows` as aligned columns: the point number and the last three (numbers) to the right.
fn columns(rows: &[Vec<String>], keys: usize) -> String {
    let n = rows[0].len();
    let widths: Vec<usize> = (0..n)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = widths[c] - cell.chars().count();
                let right = c == 0 || (c > keys + 2 && c < n - 1);
                if right {
                    format!("{}{cell}", " ".repeat(pad))
                } else {
                    format!("{cell}{}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Pair, YearQuantiles};
    use crate::sweep::{Axis, points};

    fn result(median: Option<f64>) -> PointResult {
        let year = YearQuantiles {
            p5: Some(2030.0),
            p25: Some(2030.5),
            p50: median,
            p75: None,
            p95: None,
        };
        PointResult {
            start_year: 2025.0,
            end_year: 2040.0,
            years: vec![2030.0, 2040.0],
            affordability: vec![Pair {
                actor: "A, B".into(),
                frontier_year: None,
                lag: None,
                p_by_horizon: 0.6,
                p_by_year: vec![0.1, 0.6],
                p_not_by_horizon: 0.4,
                target: "T".into(),
                year,
            }],
        }
    }

    #[test]
    fn the_table_has_a_row_per_point_and_pair_and_needs_one_result_per_point() {
        let (design, p) = points(&[Axis::grid("a.b=1,$2M").unwrap()], None, 0).unwrap();
        let results = [result(Some(2031.25)), result(None)];
        let csv = String::from_utf8(table(&p, &results).unwrap()).unwrap();
        assert_eq!(
            csv,
            "point,a.b,target,actor,frontier_year,p_by_horizon,year_p5,year_p25,year_p50,year_p75,year_p95\n\
             1,1,T,\"A, B\",,0.6,2030,2030.5,2031.25,,\n\
             2,$2M,T,\"A, B\",,0.6,2030,2030.5,,,\n"
        );
        let e = table(&p, &results[..1]).unwrap_err().to_string();
        assert!(e.contains("2 points but 1 results"), "{e}");
        let doc = SweepDoc::new("S", design, (10, 1), &p, &results).unwrap();
        assert_eq!(SweepDoc::from_slice(&doc.to_bytes()).unwrap(), doc);
        assert_eq!(doc.points[1].numbers, [Some(2e6)]);
        let text = text_table(&doc);
        assert!(text.contains("not by 2040"), "{text}");
        assert!(text.contains("2031.2"), "{text}");
    }
}
