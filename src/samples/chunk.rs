//! Per-sample rows in columnar chunks, computed in parallel within a chunk and handed over in
//! sample order.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::n_pairs;
use crate::scenario::Scenario;
use crate::sim::{BATCH, RunOptions, Sampler, Scratch, SimError};

/// The rows of consecutive samples, column by column. A value that is not there is NaN: a year
/// when the target is not affordable to the class by the horizon ("never"), and, in principle
/// only, an input value beyond the range of a 64-bit float.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// The samples, in order: row `r` is sample `samples.start + r`.
    pub samples: Range<u64>,
    /// Per uncertain input (`scn.inputs`' order): its drawn value in each row.
    pub inputs: Vec<Vec<f64>>,
    /// Per target × actor class, target-major (`target * scn.actors.len() + actor`, the order of
    /// the year columns of [`super::columns`]): the affordability year in each row, NaN for
    /// never.
    pub years: Vec<Vec<f64>>,
    actors: usize,
}

impl Chunk {
    /// An empty chunk shaped for `scn`.
    pub fn new(scn: &Scenario) -> Self {
        Self {
            samples: 0..0,
            inputs: vec![Vec::new(); scn.inputs.len()],
            years: vec![Vec::new(); n_pairs(scn)],
            actors: scn.actors.len(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        (self.samples.end - self.samples.start) as usize
    }

    /// Whether it has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The year column of target `target` and actor class `actor` (indexes into `scn.targets`
    /// and `scn.actors`); NaN for never.
    pub fn year(&self, target: usize, actor: usize) -> &[f64] {
        &self.years[target * self.actors + actor]
    }

    /// The values of a column of [`super::columns`]; `None` for the sample column, whose values
    /// are `samples`.
    pub fn values(&self, kind: super::ColumnKind) -> Option<&[f64]> {
        match kind {
            super::ColumnKind::Sample => None,
            super::ColumnKind::Input { index } => Some(&self.inputs[index]),
            super::ColumnKind::Year { target, actor } => Some(self.year(target, actor)),
        }
    }

    /// Makes room for the rows of `samples` (values left to be filled).
    fn reshape(&mut self, samples: Range<u64>) {
        let n = (samples.end - samples.start) as usize;
        self.samples = samples;
        for col in self.inputs.iter_mut().chain(self.years.iter_mut()) {
            col.resize(n, f64::NAN);
        }
    }
}

/// Why [`for_each_chunk`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ChunkError<E> {
    /// The samples could not be drawn (cancelled, or no worker threads).
    #[error(transparent)]
    Sim(SimError),
    /// The sink returned an error; the chunks after the one it refused were not computed.
    #[error(transparent)]
    Sink(E),
}

/// Computes the rows of the samples `range` of a run with `opts.seed` (a whole run of `N` samples
/// is `0..N`; a shard is its own range) and hands them to `sink` in chunks of `chunk_rows` rows
/// (the last may be shorter; 0 counts as 1), strictly in sample order. Each chunk is computed on
/// `opts.threads` threads; the values depend only on the scenario, the seed and each sample's
/// index, so the chunks are identical whatever the thread count. Memory is bounded by one chunk
/// (the chunk's buffers are reused). `progress` is called with the number of samples finished
/// as they finish; `cancel` stops at the next batch of samples, with
/// [`ChunkError::Sim`]`(`[`SimError::Cancelled`]`)`.
pub fn for_each_chunk<E>(
    scn: &Scenario,
    opts: &RunOptions,
    range: Range<u64>,
    chunk_rows: usize,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
    mut sink: impl FnMut(&Chunk) -> Result<(), E>,
) -> Result<(), ChunkError<E>> {
    let chunk_rows = chunk_rows.max(1) as u64;
    let (first, end) = (range.start, range.end.max(range.start));
    let batches_per_chunk = chunk_rows
        .div_ceil(BATCH)
        .min((end - first).div_ceil(BATCH));
    let threads = opts.threads.min(batches_per_chunk.max(1) as usize);
    let pool = if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                ChunkError::Sim(SimError::Threads {
                    threads,
                    reason: e.to_string(),
                })
            })?;
        Some(pool)
    } else {
        None
    };
    let sampler = Sampler::new(scn, opts.seed);
    let mut chunk = Chunk::new(scn);
    let mut from = first;
    while from < end {
        let to = from + chunk_rows.min(end - from);
        chunk.reshape(from..to);
        fill(scn, &sampler, pool.as_ref(), &mut chunk, progress, cancel);
        if cancel.load(Ordering::Relaxed) {
            return Err(ChunkError::Sim(SimError::Cancelled));
        }
        sink(&chunk).map_err(ChunkError::Sink)?;
        from = to;
    }
    Ok(())
}

/// Fills `chunk`'s rows, batch by batch, in parallel on `pool` (or on this thread without one):
/// each batch writes its own rows of every column.
fn fill(
    scn: &Scenario,
    sampler: &Sampler<'_>,
    pool: Option<&rayon::ThreadPool>,
    chunk: &mut Chunk,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) {
    let (first, rows, n_inputs) = (chunk.samples.start, chunk.len(), chunk.inputs.len());
    let mut batches: Vec<Vec<&mut [f64]>> = (0..rows.div_ceil(BATCH as usize))
        .map(|_| Vec::with_capacity(n_inputs + chunk.years.len()))
        .collect();
    for col in chunk.inputs.iter_mut().chain(chunk.years.iter_mut()) {
        for (batch, piece) in batches.iter_mut().zip(col.chunks_mut(BATCH as usize)) {
            batch.push(piece);
        }
    }
    let work = |scratch: &mut Scratch, (b, mut cols): (usize, Vec<&mut [f64]>)| {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let from = b * BATCH as usize;
        let n = (rows - from).min(BATCH as usize);
        for r in 0..n {
            sampler.sample(first + (from + r) as u64, scratch);
            let (inputs, years) = cols.split_at_mut(n_inputs);
            for (j, col) in inputs.iter_mut().enumerate() {
                col[r] = finite_or_nan(scratch.draws.value(j));
            }
            for (col, tau) in years.iter_mut().zip(&scratch.taus) {
                col[r] = finite_or_nan(*tau);
            }
        }
        progress(n as u64);
    };
    match pool {
        Some(pool) => pool.install(|| {
            batches
                .into_par_iter()
                .enumerate()
                .for_each_init(|| Scratch::new(scn), work)
        }),
        None => {
            let mut scratch = Scratch::new(scn);
            for batch in batches.into_iter().enumerate() {
                work(&mut scratch, batch);
            }
        }
    }
}

/// `v`, or NaN when it is not a finite number: an affordability time of `+∞` (not by the
/// horizon), or an input value beyond the range of a 64-bit float.
fn finite_or_nan(v: f64) -> f64 {
    if v.is_finite() { v } else { f64::NAN }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::samples::columns;
    use std::path::Path;

    /// Two uncertain inputs, and a class that can afford the far target only in some samples.
    const SCENARIO: &str = r#"
[scenario]
name = "chunks"
start_year = 2025
end_year = 2035
[hardware]
flop_per_dollar = 1e18
doubling_time_years = "1.5 to 4"
[algorithms]
halving_time_years = 1
[[actor]]
name = "Lab"
budget = "1e6 to 1e8"
[[actor]]
name = "Pauper"
budget = 1
[[target]]
name = "Near"
flop = 1e24
[[target]]
name = "Far"
flop = 1e28
"#;

    /// A small scenario with a "never" pair (`Far` × `Pauper`) and a sometimes-never one.
    pub(in crate::samples) fn scenario() -> Scenario {
        crate::scenario::from_str(Path::new("chunks.toml"), SCENARIO).unwrap()
    }

    fn opts(threads: usize) -> RunOptions {
        RunOptions {
            samples: 10_000,
            seed: 3,
            threads,
        }
    }

    /// Every chunk handed over, cloned.
    pub(in crate::samples) fn chunks(
        scn: &Scenario,
        threads: usize,
        range: Range<u64>,
        rows: usize,
    ) -> Vec<Chunk> {
        let mut got = Vec::new();
        for_each_chunk(
            scn,
            &opts(threads),
            range,
            rows,
            &|_| {},
            &AtomicBool::new(false),
            |c| {
                got.push(c.clone());
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        got
    }

    /// Chunks joined into one.
    pub(in crate::samples) fn joined(scn: &Scenario, parts: &[Chunk]) -> Chunk {
        let mut all = Chunk::new(scn);
        all.samples = parts[0].samples.start..parts.last().unwrap().samples.end;
        for p in parts {
            for (a, b) in all.inputs.iter_mut().zip(&p.inputs) {
                a.extend(b);
            }
            for (a, b) in all.years.iter_mut().zip(&p.years) {
                a.extend(b);
            }
        }
        all
    }

    /// Bitwise equality, NaN included.
    fn same(a: &Chunk, b: &Chunk) -> bool {
        let bits = |c: &Chunk| -> Vec<u64> {
            c.inputs
                .iter()
                .chain(&c.years)
                .flatten()
                .map(|v| v.to_bits())
                .collect()
        };
        a.samples == b.samples && bits(a) == bits(b)
    }

    #[test]
    fn rows_are_the_samplers_samples_in_order_and_never_is_nan() {
        let scn = scenario();
        let parts = chunks(&scn, 2, 100..5_000, 1_000);
        let starts: Vec<u64> = parts.iter().map(|c| c.samples.start).collect();
        assert_eq!(starts, [100, 1_100, 2_100, 3_100, 4_100]);
        assert_eq!(parts.last().unwrap().len(), 900);
        let all = joined(&scn, &parts);
        let sampler = Sampler::new(&scn, 3);
        let mut s = Scratch::new(&scn);
        let (mut never, mut some) = (0, 0);
        for (r, i) in (100..5_000u64).enumerate() {
            sampler.sample(i, &mut s);
            for (j, col) in all.inputs.iter().enumerate() {
                assert_eq!(col[r].to_bits(), s.draws.value(j).to_bits());
            }
            for (p, tau) in s.taus.iter().enumerate() {
                let got = all.years[p][r];
                if tau.is_finite() {
                    assert_eq!(got, *tau);
                    assert!((scn.start_year..=scn.end_year).contains(&got));
                    some += 1;
                } else {
                    assert!(got.is_nan());
                    never += 1;
                }
            }
        }
        // The test means something: both outcomes occur, and the pauper never affords the far
        // target.
        assert!(never > 0 && some > 0);
        assert!(all.year(1, 1).iter().all(|y| y.is_nan()));
        assert_eq!(all.values(columns(&scn)[1].kind), Some(&all.inputs[0][..]));
    }

    #[test]
    fn chunks_are_identical_whatever_the_threads_and_the_chunk_size() {
        let scn = scenario();
        let one = joined(&scn, &chunks(&scn, 1, 0..7_000, 7_000));
        for (threads, rows) in [(2, 7_000), (3, 2_500), (2, 1), (4, 4_096)] {
            let other = joined(&scn, &chunks(&scn, threads, 0..7_000, rows));
            assert!(same(&one, &other), "{threads} threads, {rows} rows");
        }
        // A different seed gives different rows: the comparison can fail.
        let mut other = Vec::new();
        let seeded = RunOptions { seed: 4, ..opts(1) };
        for_each_chunk(
            &scn,
            &seeded,
            0..7_000,
            7_000,
            &|_| {},
            &AtomicBool::new(false),
            |c| {
                other.push(c.clone());
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert!(!same(&one, &other[0]));
    }

    #[test]
    fn progress_counts_every_sample_and_an_empty_range_gives_no_chunk() {
        let scn = scenario();
        let done = std::sync::atomic::AtomicU64::new(0);
        let mut calls = 0;
        let count = |n| {
            done.fetch_add(n, Ordering::Relaxed);
        };
        let no = AtomicBool::new(false);
        for_each_chunk(&scn, &opts(2), 0..5_000, 3_000, &count, &no, |_| {
            calls += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!((done.load(Ordering::Relaxed), calls), (5_000, 2));
        calls = 0;
        for_each_chunk(&scn, &opts(2), 7..7, 3_000, &count, &no, |_| {
            calls += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(calls, 0);
    }

    #[test]
    fn a_cancelled_run_or_a_refusing_sink_stops() {
        let scn = scenario();
        let mut calls = 0;
        let got = for_each_chunk(
            &scn,
            &opts(2),
            0..5_000,
            1_000,
            &|_| {},
            &AtomicBool::new(true),
            |_| {
                calls += 1;
                Ok::<(), ()>(())
            },
        );
        assert!(matches!(got, Err(ChunkError::Sim(SimError::Cancelled))));
        assert_eq!(calls, 0);
        let got = for_each_chunk(
            &scn,
            &opts(2),
            0..5_000,
            1_000,
            &|_| {},
            &AtomicBool::new(false),
            |c| {
                calls += 1;
                if c.samples.start >= 2_000 {
                    Err("full")
                } else {
                    Ok(())
                }
            },
        );
        assert!(matches!(got, Err(ChunkError::Sink("full"))));
        assert_eq!(calls, 3);
    }
}
