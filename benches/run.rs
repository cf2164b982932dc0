//! A full run of the baseline scenario at a fixed sample count, single- and multi-threaded,
//! plus the per-sample work on its own. `cargo bench --bench run`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diffusion_sim::scenario;
use diffusion_sim::sim::{RunOptions, Sampler, Scratch, simulate};

const SAMPLES: u64 = 100_000;

fn baseline(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let scn = scenario::load(&path).expect("baseline scenario is valid");
    let mut group = c.benchmark_group("baseline");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SAMPLES));
    for threads in [1, 2] {
        group.bench_function(format!("run_{SAMPLES}_samples_{threads}_threads"), |b| {
            b.iter(|| {
                let opts = RunOptions {
                    samples: SAMPLES,
                    seed: 42,
                    threads,
                };
                let tally = simulate(&scn, &opts, &|_| {}, &AtomicBool::new(false)).unwrap();
                tally.finish(&scn)
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("per_sample");
    group.throughput(Throughput::Elements(1));
    let sampler = Sampler::new(&scn, 42);
    let mut scratch = Scratch::new(&scn);
    let mut i = 0u64;
    group.bench_function("draw_and_solve", |b| {
        b.iter(|| {
            i += 1;
            sampler.sample(i, &mut scratch);
            scratch.taus[0]
        })
    });
    group.finish();
}

criterion_group!(benches, baseline);
criterion_main!(benches);
