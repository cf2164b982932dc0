//! `summary.json`: the run's affordability results with a schema version.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{round_sig, round_year};
use crate::results::{QUANTILE_LEVELS, RunResults, TimeQuantiles};
use crate::scenario::Scenario;

/// Version of the `summary.json` layout; bumped when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

fn quantile_object(q: &TimeQuantiles) -> Value {
    let mut m = Map::new();
    for (p, v) in QUANTILE_LEVELS.iter().zip(q) {
        m.insert(
            format!("p{}", (p * 100.0).round()),
            v.map(round_year).map_or(Value::Null, |v| json!(v)),
        );
    }
    Value::Object(m)
}

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    scenario: &'a str,
    description: Option<&'a str>,
    start_year: f64,
    end_year: f64,
    samples: u64,
    seed: u64,
    quantile_levels: [f64; 5],
    note: &'static str,
}

/// The bytes of `summary.json` (pretty-printed, ending in a newline).
pub fn summary_json(scn: &Scenario, r: &RunResults) -> Vec<u8> {
    let header = Header {
        schema_version: SCHEMA_VERSION,
        scenario: &scn.name,
        description: scn.description.as_deref(),
        start_year: r.start_year,
        end_year: r.end_year,
        samples: r.samples,
        seed: r.seed,
        quantile_levels: QUANTILE_LEVELS,
        note: "years are fractional calendar years; a null quantile means not affordable by end_year",
    };
    let mut doc = serde_json::to_value(header).expect("plain data");
    let years: Vec<f64> = r.years.iter().map(|y| round_year(*y)).collect();
    let pairs: Vec<Value> = r
        .affordability
        .iter()
        .map(|p| {
            json!({
                "target": p.target,
                "actor": p.actor,
                "frontier_year": p.frontier_year,
                "p_by_horizon": p.p_by_horizon,
                "p_never": p.p_never,
                "year": quantile_object(&p.quantiles),
                "lag": p.lag_quantiles.as_ref().map(quantile_object),
                "p_by_year": p.p_by_year,
            })
        })
        .collect();
    if !r.correlations.is_empty() {
        doc["correlations"] = json!(r.correlations);
    }
    doc["years"] = json!(years);
    doc["affordability"] = json!(pairs);
    // Present only when the scenario uses them, so a scenario without access terms, actors
    // within classes or ranks keeps exactly its old summary.
    if !r.class_costs.is_empty() {
        let rows: Vec<Value> = r
            .class_costs
            .iter()
            .map(|c| {
                json!({
                    "target": c.target,
                    "actor": c.actor,
                    "unit": "USD",
                    "quantiles_by_year": c.quantiles.iter().map(|q| q.map(|q| {
                        let mut m = Map::new();
                        for (p, v) in QUANTILE_LEVELS.iter().zip(q) {
                            m.insert(format!("p{}", (p * 100.0).round()), json!(round_sig(v)));
                        }
                        Value::Object(m)
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        doc["class_costs"] = json!(rows);
    }
    if !r.actor_counts.is_empty() {
        doc["actor_counts"] = json!(r.actor_counts);
    }
    if !r.ranks.is_empty() {
        let rows: Vec<Value> = r
            .ranks
            .iter()
            .map(|k| {
                json!({
                    "target": k.target,
                    "rank": k.rank,
                    "frontier_year": k.frontier_year,
                    "p_by_horizon": k.p_by_horizon,
                    "year": quantile_object(&k.quantiles),
                    "lag": k.frontier_year.map(|fy| quantile_object(&k.quantiles.map(|q| q.map(|t| t - fy)))),
                    "p_by_year": k.p_by_year,
                })
            })
            .collect();
        doc["ranks"] = json!(rows);
    }
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("plain data");
    bytes.push(b'\n');
    bytes
}
