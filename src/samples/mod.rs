/*!
Per-sample results: one row per Monte Carlo sample, with the value of every uncertain input and
every target × actor class affordability year.

The rows are drawn again from the same random streams as the run ([`crate::sim::Sampler`]): sample
`i`'s numbers depend only on the scenario, the seed and `i`, so these rows are exactly the samples
behind the run's summaries, whatever the thread count. [`for_each_chunk`] hands them over in
columnar chunks, strictly in sample order, with memory bounded by the chunk size; [`write_parquet`]
streams them to a Parquet file, one row group per chunk.
*/

use crate::scenario::Scenario;

mod chunk;
mod write;

pub use chunk::{Chunk, ChunkError, for_each_chunk};
pub use write::{ROW_GROUP_ROWS, WriteError, row_group_rows, write_parquet};

/// What a column of the per-sample rows holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The sample's index in the run, from 0 (the same sample as in a run of that seed).
    Sample,
    /// The drawn value of uncertain input `scn.inputs[index]`.
    Input {
        /// Index into `scn.inputs` (and [`Chunk::inputs`]).
        index: usize,
    },
    /// The year `scn.actors[actor]` can first afford `scn.targets[target]`; none ("never") when
    /// not by the horizon.
    Year {
        /// Index into `scn.targets`.
        target: usize,
        /// Index into `scn.actors` (the actor classes).
        actor: usize,
    },
}

/// One column of the per-sample rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name: `sample`; an input's dotted key as `validate` lists it and `--set` takes it,
    /// e.g. `hardware.doubling_time_years` or `actor."Big tech".budget`; and
    /// `year."<target>"."<actor class>"` for an affordability year, with names quoted as in the
    /// inputs' keys, e.g. `year."GPT-4 level"."Academic labs"`.
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}

/// The columns of the per-sample rows of `scn`, in order: the sample index, every uncertain
/// input in the scenario's order, then every target × actor class year, target-major (the
/// order of [`Chunk::years`]).
pub fn columns(scn: &Scenario) -> Vec<Column> {
    let mut cols = Vec::with_capacity(1 + scn.inputs.len() + n_pairs(scn));
    cols.push(Column {
        name: "sample".into(),
        kind: ColumnKind::Sample,
    });
    cols.extend(scn.inputs.iter().enumerate().map(|(index, input)| Column {
        name: input.name.clone(),
        kind: ColumnKind::Input { index },
    }));
    for (target, t) in scn.targets.iter().enumerate() {
        for (actor, a) in scn.actors.iter().enumerate() {
            cols.push(Column {
                name: year_column_name(&t.name, &a.name),
                kind: ColumnKind::Year { target, actor },
            });
        }
    }
    cols
}

/// The name of the year column of a target and an actor class: `year."<target>"."<class>"`,
/// each name quoted (and escaped) as in the inputs' dotted keys.
pub fn year_column_name(target: &str, actor: &str) -> String {
    format!("year.{target:?}.{actor:?}")
}

/// The number of target × actor class pairs (year columns) of `scn`.
pub fn n_pairs(scn: &Scenario) -> usize {
    scn.targets.len() * scn.actors.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SCENARIO: &str = r#"
[scenario]
name = "cols"
start_year = 2025
end_year = 2040
[hardware]
flop_per_dollar = "1e17 to 1e18"
doubling_time_years = 2.5
[algorithms]
halving_time_years = "0.5 to 1.5"
[[actor]]
name = "Big \"tech\""
budget = "1e6 to 1e7"
[[actor]]
name = "Lab"
budget = 1e5
[[target]]
name = "T1"
flop = 1e25
[[target]]
name = "T2"
flop = "1e26 to 1e27"
"#;

    #[test]
    fn columns_are_the_sample_the_inputs_then_the_years_target_major() {
        let scn = crate::scenario::from_str(Path::new("c.toml"), SCENARIO).unwrap();
        let cols = columns(&scn);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        let mut want = vec!["sample".to_string()];
        want.extend(scn.inputs.iter().map(|i| i.name.clone()));
        want.extend([
            r#"year."T1"."Big \"tech\"""#.to_string(),
            r#"year."T1"."Lab""#.to_string(),
            r#"year."T2"."Big \"tech\"""#.to_string(),
            r#"year."T2"."Lab""#.to_string(),
        ]);
        assert_eq!(names, want);
        assert!(names.contains(&"hardware.flop_per_dollar"));
        assert!(names.contains(&"target.\"T2\".flop"));
        assert_eq!(cols[0].kind, ColumnKind::Sample);
        assert_eq!(cols[1].kind, ColumnKind::Input { index: 0 });
        assert_eq!(
            cols.last().unwrap().kind,
            ColumnKind::Year {
                target: 1,
                actor: 1
            }
        );
        let unique: std::collections::HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len());
    }
}
