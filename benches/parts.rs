//! Micro-benchmarks of the parts of a run of `scenarios/bench.toml` (bench-v1: 3 targets × 7
//! actor classes, 36 reporting years), so that a regression shows where it is.
//! `cargo bench --bench parts` (about a minute).
//!
//! - `sample/draw_realise_solve`: one whole sample, `Sampler::sample`: draw the inputs, build the
//!   sample's model, solve its 21 crossings.
//! - `sample/draw`: drawing the inputs alone (`Sampler::draw`: 23 normal scores from per-input
//!   streams, turned into values).
//! - `sample/realise`: building the model from drawn inputs alone (`Realiser::realise`).
//! - `solve/crossings`: `CrossingSolver::solve` alone on realised samples (21 crossings).
//! - `tally/record_64`: `Tally::record` of 64 samples, which includes one flush of the buffered
//!   values into the 13 series × 36 years log-histograms (records are flushed every 64).
//! - `tally/merge`: `Tally::merge` of a closed tally of 20,000 samples into another.
//! - `histogram/insert_ln_batch_64`: `LogHistogram::insert_ln_batch` of 64 log-costs.
//!
//! Inputs are real samples of bench-v1 (seed 1), precomputed and cycled through, so that the
//! branches and cache behaviour are those of a run.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use diffusion_sim::model::{CrossingSolver, SampleModel};
use diffusion_sim::scenario::{self, Draws, Scenario};
use diffusion_sim::sim::{Sampler, Scratch};
use diffusion_sim::stats::LogHistogram;
use diffusion_sim::tally::Tally;

/// Distinct precomputed samples cycled through by the benchmarks.
const POOL: usize = 4096;
/// Samples per `Tally::record` iteration: one flush of the value buffer.
const RECORD_BATCH: usize = 64;

fn bench_scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bench.toml");
    scenario::load(&path).expect("scenarios/bench.toml is valid")
}

/// `POOL` samples of the scenario: drawn inputs, realised model and affordability times.
struct Pool {
    draws: Vec<Draws>,
    models: Vec<SampleModel>,
    taus: Vec<Vec<f64>>,
    ln_bases: Vec<Vec<f64>>,
}

fn pool(scn: &Scenario) -> Pool {
    let sampler = Sampler::new(scn, scn.seed);
    let mut s = Scratch::new(scn);
    let mut p = Pool {
        draws: Vec::with_capacity(POOL),
        models: Vec::with_capacity(POOL),
        taus: Vec::with_capacity(POOL),
        ln_bases: Vec::with_capacity(POOL),
    };
    for i in 0..POOL as u64 {
        sampler.sample(i, &mut s);
        p.draws.push(s.draws.clone());
        p.models.push(s.model.clone());
        p.taus.push(s.taus.clone());
        p.ln_bases.push(s.ln_bases().to_vec());
    }
    p
}

fn short(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(25);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
}

fn parts(c: &mut Criterion) {
    let scn = bench_scenario();
    let p = pool(&scn);

    // (a) A whole sample, and the model building on its own.
    let mut group = c.benchmark_group("sample");
    short(&mut group);
    group.throughput(Throughput::Elements(1));
    let sampler = Sampler::new(&scn, scn.seed);
    let mut scratch = Scratch::new(&scn);
    let mut i = 0u64;
    group.bench_function("draw_realise_solve", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            sampler.sample(black_box(i), &mut scratch);
            black_box(scratch.taus[0])
        })
    });
    let mut j = 0u64;
    group.bench_function("draw", |b| {
        b.iter(|| {
            j = j.wrapping_add(1);
            sampler.draw(black_box(j), &mut scratch);
            black_box(scratch.draws.ln(0))
        })
    });
    let mut model = SampleModel::default();
    let mut k = 0usize;
    let realiser = scn.realiser();
    group.bench_function("realise", |b| {
        b.iter(|| {
            k = (k + 1) % POOL;
            realiser.realise(black_box(&p.draws[k]), &mut model);
            black_box(model.ln_overhead)
        })
    });
    group.finish();

    // (b) The crossing solver alone.
    let mut group = c.benchmark_group("solve");
    short(&mut group);
    group.throughput(Throughput::Elements(1));
    let mut solver = CrossingSolver::default();
    let mut taus = vec![0.0; scn.targets.len() * scn.actors.len()];
    let mut k = 0usize;
    group.bench_function("crossings", |b| {
        b.iter(|| {
            k = (k + 1) % POOL;
            solver.solve(black_box(&p.models[k]), &mut taus, None);
            black_box(taus[0])
        })
    });
    group.finish();

    // (c), (d) The accumulators: recording samples, merging tallies.
    let mut group = c.benchmark_group("tally");
    short(&mut group);
    group.throughput(Throughput::Elements(RECORD_BATCH as u64));
    let mut tally = Tally::new(&scn);
    // Warm up the histograms' ranges over the whole pool first.
    for k in 0..POOL {
        tally.record(k as u64, &p.models[k], &p.taus[k], &p.ln_bases[k], &[]);
    }
    let mut k = 0usize;
    group.bench_function("record_64", |b| {
        b.iter(|| {
            for _ in 0..RECORD_BATCH {
                tally.record(k as u64, &p.models[k], &p.taus[k], &p.ln_bases[k], &[]);
                k = (k + 1) % POOL;
            }
        })
    });
    let filled = |from: u64, to: u64| {
        let mut t = Tally::new(&scn);
        let mut s = Scratch::new(&scn);
        for i in from..to {
            sampler.sample(i, &mut s);
            t.record(i, &s.model, &s.taus, s.ln_bases(), &s.actor_taus);
        }
        t.close();
        t
    };
    let other = filled(0, 20_000);
    let mut into = filled(20_000, 40_000);
    group.throughput(Throughput::Elements(1));
    group.bench_function("merge", |b| {
        b.iter(|| {
            into.merge(black_box(&other));
        })
    });
    black_box(into.samples());
    group.finish();

    // (e) One histogram fed a batch of 64 log-values: gpt4_level's cost in 2035 over the pool.
    let mut group = c.benchmark_group("histogram");
    short(&mut group);
    group.throughput(Throughput::Elements(RECORD_BATCH as u64));
    let values: Vec<f64> = p
        .models
        .iter()
        .map(|m| m.ln_cost(m.ln_effective_flop(&m.targets[0]), 2035.0))
        .collect();
    let mut h = LogHistogram::default();
    h.insert_ln_batch(&values);
    let batches: Vec<&[f64]> = values.chunks_exact(RECORD_BATCH).collect();
    let mut k = 0usize;
    group.bench_function("insert_ln_batch_64", |b| {
        b.iter(|| {
            k = (k + 1) % batches.len();
            h.insert_ln_batch(black_box(batches[k]));
        })
    });
    black_box(h.count());
    group.finish();
}

criterion_group!(benches, parts);
criterion_main!(benches);
