//! `summary.json`: the run's affordability results with a schema version, written from the
//! typed layout in [`crate::schema`].

use crate::results::RunResults;
use crate::scenario::Scenario;
use crate::schema::Summary;

pub use crate::schema::SCHEMA_VERSION;

/// The bytes of `summary.json` (pretty-printed, ending in a newline).
pub fn summary_json(scn: &Scenario, r: &RunResults) -> Vec<u8> {
    Summary::new(scn, r).to_bytes()
}
