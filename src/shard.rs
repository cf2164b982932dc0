/*!
Shards of a run that merge exactly.

Shard `k` of `n` draws the samples `⌊(k−1)·S/n⌋ .. ⌊k·S/n⌋` of a run of `S` samples (every sample's
numbers depend only on its index, the seed and the scenario) and saves what its accumulators
counted in a *partial* file, with the scenario's text and everything a merge checks. The
accumulators are integer counts, so merging the `n` partials gives, count for count, the
accumulators of the unsharded run, and the same outputs.

A partial is JSON: a header (format, version, the program's version, the scenario's path, text
and SHA-256, seed, samples, shard and shards, and the SHA-256 of the counts as written) and the
counts, floating-point numbers written as their bit patterns so that they round-trip exactly. A
merge refuses a partial whose counts no longer match their checksum: a damaged or edited file
would otherwise give a silently wrong answer.
*/

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::format::sha256_hex;
use crate::scenario::{self, Scenario};
use crate::tally::{Tally, TallyState};

/// The `format` field of every partial file.
pub const FORMAT: &str = "diffusion-sim partial";

/// The version of the partial format; a merge refuses any other.
pub const VERSION: u32 = 3;

/// Why partials do not merge (or a partial cannot be read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShardError(pub String);

/// Samples `⌊(k−1)·S/n⌋ .. ⌊k·S/n⌋`: shard `k` (1-based) of `n` of a run of `samples`.
pub fn shard_range(k: u64, n: u64, samples: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(samples) / u128::from(n.max(1))) as u64;
    at(k - 1)..at(k)
}

/// One shard's accumulators and what a merge checks them against.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial {
    format: String,
    version: u32,
    /// The version of diffusion-sim that wrote it: counts are only comparable between runs of
    /// the same model.
    program_version: String,
    /// The scenario as given to `run` (its path names it in the outputs).
    pub scenario_path: String,
    /// The scenario's text, as run.
    pub scenario_text: String,
    /// SHA-256 of that text.
    pub scenario_sha256: String,
    /// The `--set KEY=VALUE` values already applied to that text, for the merged run's records.
    pub overrides: Vec<String>,
    /// The run's seed and samples (after any command-line flags).
    pub seed: u64,
    /// Samples of the whole run (all shards).
    pub samples: u64,
    /// This shard, 1-based, of `shards`.
    pub shard: u64,
    /// Shards of the run.
    pub shards: u64,
    /// SHA-256 of `tally` as written (its JSON text), checked when read.
    tally_sha256: String,
    tally: TallyState,
}

impl Partial {
    /// The partial of shard `shard` of `shards` of a run of `scn` (samples and seed applied),
    /// read from `text`, whose accumulators are `tally`.
    pub fn new(scn: &Scenario, text: &str, shard: u64, shards: u64, tally: &mut Tally) -> Self {
        let tally = tally.state();
        // The same text `to_bytes` writes for the field (serde_json writes a field as it would
        // the value alone).
        let tally_sha256 = sha256_hex(&serde_json::to_vec(&tally).expect("counts serialise"));
        Self {
            format: FORMAT.into(),
            version: VERSION,
            program_version: env!("CARGO_PKG_VERSION").into(),
            scenario_path: scn.path.display().to_string(),
            scenario_text: text.into(),
            scenario_sha256: scn.sha256.clone(),
            overrides: scn.overrides.iter().map(ToString::to_string).collect(),
            seed: scn.seed,
            samples: scn.samples,
            shard,
            shards,
            tally_sha256,
            tally,
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a partial serialises")
    }

    /// Reads a partial written by [`Partial::to_bytes`]; `name` names the file in errors.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Self, ShardError> {
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            version: Option<u32>,
            program_version: Option<String>,
        }
        let not_partial = || {
            ShardError(format!(
                "{name}: not a partial file of diffusion-sim (write one with `run --shard K/N --partial FILE`)"
            ))
        };
        let header: Header = serde_json::from_slice(bytes).map_err(|_| not_partial())?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(not_partial());
        }
        if header.version != Some(VERSION) {
            return Err(ShardError(format!(
                "{name}: partial format version {}, but this diffusion-sim reads version {VERSION}",
                header.version.map_or("unknown".into(), |v| v.to_string())
            )));
        }
        let ours = env!("CARGO_PKG_VERSION");
        if header.program_version.as_deref() != Some(ours) {
            return Err(ShardError(format!(
                "{name}: written by diffusion-sim {}, but this is {ours}: run every shard and the merge with one version",
                header.program_version.unwrap_or_default()
            )));
        }
        let damaged = |why: String| ShardError(format!("{name}: a damaged partial file ({why})"));
        // The counts' text as it is in the file, checked against its sum before it is read.
        #[derive(Deserialize)]
        struct Counts<'a> {
            tally_sha256: String,
            #[serde(borrow)]
            tally: &'a serde_json::value::RawValue,
        }
        let counts: Counts = serde_json::from_slice(bytes).map_err(|e| damaged(e.to_string()))?;
        if sha256_hex(counts.tally.get().as_bytes()) != counts.tally_sha256 {
            return Err(damaged(
                "its counts do not match the checksum written with them: the file was changed after `run --shard` wrote it".into(),
            ));
        }
        serde_json::from_slice(bytes).map_err(|e| damaged(e.to_string()))
    }
}

/// A run put back together from its shards: the scenario (samples and seed as run) and its
/// accumulators, equal to those of the unsharded run.
pub struct Merged {
    /// The scenario, read from the partials' text.
    pub scenario: Scenario,
    /// The merged accumulators.
    pub tally: Tally,
}

/// Merges the partials of one run (`names` name their files in errors). Every shard of the run
/// must be there once, from the same scenario text, seed, sample count and program version.
pub fn merge(partials: Vec<Partial>, names: &[String]) -> Result<Merged, ShardError> {
    let Some(first) = partials.first() else {
        return Err(ShardError("no partial files to merge".into()));
    };
    let (n, name0) = (first.shards, &names[0]);
    check_one_run(&partials, names)?;
    check_every_shard(&partials, names)?;
    let mut scenario = scenario::from_str(Path::new(&first.scenario_path), &first.scenario_text)
        .map_err(|e| ShardError(format!("{name0}: its scenario no longer reads: {e}")))?;
    scenario.samples = first.samples;
    scenario.seed = first.seed;
    scenario.overrides = first
        .overrides
        .iter()
        .map(|o| o.parse())
        .collect::<Result<_, String>>()
        .map_err(|e| ShardError(format!("{name0}: a recorded --set does not read: {e}")))?;
    let mut tally = Tally::new(&scenario);
    for (p, name) in partials.into_iter().zip(names) {
        let expected = shard_range(p.shard, n, p.samples);
        let part = Tally::from_state(&scenario, p.tally)
            .map_err(|why| ShardError(format!("{name}: {why}")))?;
        if part.samples() != expected.end - expected.start {
            return Err(ShardError(format!(
                "{name}: holds {} samples where shard {} of {n} has {}",
                part.samples(),
                p.shard,
                expected.end - expected.start
            )));
        }
        tally.merge(&part);
    }
    Ok(Merged { scenario, tally })
}

/// Refuses partials that are not all of the run of the first one.
fn check_one_run(partials: &[Partial], names: &[String]) -> Result<(), ShardError> {
    let (first, name0) = (&partials[0], &names[0]);
    for (p, name) in partials.iter().zip(names) {
        let differs = |what: &str, a: String, b: String| {
            ShardError(format!(
                "{name} and {name0} are shards of different runs: {what} {a} against {b}"
            ))
        };
        if p.scenario_sha256 != first.scenario_sha256 {
            return Err(differs(
                "scenario",
                format!("{} ({})", p.scenario_path, &p.scenario_sha256[..12]),
                format!("{} ({})", first.scenario_path, &first.scenario_sha256[..12]),
            ));
        }
        for (what, a, b) in [
            ("seed", p.seed, first.seed),
            ("samples", p.samples, first.samples),
            ("shard count", p.shards, first.shards),
        ] {
            if a != b {
                return Err(differs(what, a.to_string(), b.to_string()));
            }
        }
        if p.scenario_path != first.scenario_path {
            return Err(differs(
                "scenario path",
                p.scenario_path.clone(),
                first.scenario_path.clone(),
            ));
        }
    }
    Ok(())
}

/// Refuses a shard out of range, given twice or missing.
fn check_every_shard(partials: &[Partial], names: &[String]) -> Result<(), ShardError> {
    let n = partials[0].shards;
    // Keyed by shard, not a slot per shard: `n` is read from a file and may be huge.
    let mut seen = std::collections::BTreeMap::<u64, &str>::new();
    for (p, name) in partials.iter().zip(names) {
        if !(1..=n).contains(&p.shard) {
            return Err(ShardError(format!(
                "{name}: shard {} of {n} is out of range",
                p.shard
            )));
        }
        if let Some(other) = seen.insert(p.shard, name) {
            return Err(ShardError(format!(
                "shard {} of {n} given twice: {other} and {name}",
                p.shard
            )));
        }
    }
    let n_missing = n - seen.len() as u64;
    if n_missing == 0 {
        return Ok(());
    }
    // The first few missing shards: at most `seen.len()` of the shards tried are present.
    const SHOWN: usize = 10;
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen.contains_key(k))
        .take(SHOWN)
        .map(|k| k.to_string())
        .collect();
    let list = if n_missing > SHOWN as u64 {
        format!(
            "{n_missing} shards of {n} missing (the first: {}, …)",
            missing.join(", ")
        )
    } else {
        format!(
            "shard{} {} of {n} missing",
            if n_missing > 1 { "s" } else { "" },
            missing.join(", ")
        )
    };
    Err(ShardError(format!(
        "{list}: a merge needs every shard of the run"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_sample_once() {
        for (samples, n) in [(1000, 3), (10, 10), (7, 10), (1, 1), (2048 * 5 + 1, 4)] {
            let mut next = 0;
            for k in 1..=n {
                let r = shard_range(k, n, samples);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, samples);
        }
    }
}
