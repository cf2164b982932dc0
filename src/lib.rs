/*!
diffusion-sim: a Monte Carlo simulator of the cost of diffusion of AI capabilities.

Data flows one way: `scenario` (parse and validate a TOML file) → `dist` (the uncertain inputs)
→ `sim` (draw samples in parallel and solve `model` for each) → `stats` (streaming, mergeable
accumulators) → `report` (tables, CSV, JSON) → `output` (atomic files). `cli` is the thin edge.
*/

// Checks are written `!(x > 0.0)` on purpose, so that NaN fails them too.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod backtest;
pub mod breakdown;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod coarse;
pub mod columns;
pub mod compare;
pub mod correlation;
pub mod costs;
pub mod dist;
pub mod exact;
pub mod format;
pub mod in_memory;
pub mod model;
pub mod names;
#[cfg(not(target_arch = "wasm32"))]
pub mod output;
#[cfg(not(target_arch = "wasm32"))]
pub mod plot;
pub mod population;
pub mod report;
pub mod results;
pub mod samples;
pub mod scenario;
pub mod schema;
pub mod sensitivity;
pub mod shard;
pub mod sim;
pub mod stats;
pub mod sweep;
pub mod tally;
pub mod vecmath;

#[cfg(test)]
mod fuzz_tests;
