//! A run's memory, predicted from a pilot of its first samples.

use super::{BATCH, RunOptions, Sampler, Scratch};
use crate::scenario::Scenario;
use crate::tally::Tally;

/// Samples a sizing pilot draws to predict a run's memory.
const PILOT_SAMPLES: u64 = 1024;

/// How much wider than a pilot's ranges a whole run's value histograms are assumed to span:
/// 1,024 normal draws reach about 3.2 standard deviations, a million about 4.9.
const PILOT_WIDEN: f64 = 1.5;

/// The memory a run would take, predicted before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Bytes of one worker's accumulators.
    pub per_worker: u64,
    /// Accumulators held at once: one per worker thread, and the merged one.
    pub tallies: u64,
}

impl MemoryEstimate {
    /// Bytes in all.
    pub fn total(&self) -> u64 {
        self.per_worker.saturating_mul(self.tallies)
    }
}

/// Predicts the memory of a run of `scn` with `opts`: a pilot of the run's first samples
/// measures the range of every value histogram without filling any (its own memory is that of
/// the fixed accumulators), and the ranges are widened for the tails a whole run reaches.
pub fn predict_memory(scn: &Scenario, opts: &RunOptions) -> MemoryEstimate {
    let sampler = Sampler::new(scn, opts.seed);
    let mut scratch = Scratch::new(scn);
    let mut tally = Tally::sizing(scn);
    // Only samples that feed the per-year outputs fill value histograms, whose ranges are what
    // the pilot measures; the others only count times, in accumulators of fixed size.
    let pilot = opts.samples.min(PILOT_SAMPLES).min(scn.per_year_samples());
    for i in 0..pilot {
        sampler.sample(i, &mut scratch);
        tally.record(
            i,
            &scratch.model,
            &scratch.taus,
            scratch.ln_bases(),
            &scratch.actor_taus,
        );
    }
    tally.close();
    let workers = opts
        .threads
        .min(opts.samples.div_ceil(BATCH).max(1) as usize);
    MemoryEstimate {
        per_worker: tally.predicted_bytes(PILOT_WIDEN) as u64,
        tallies: workers as u64 + 1,
    }
}

#[cfg(test)]
mod memory_prediction {
    use super::*;
    use crate::sim::simulate;
    use std::path::Path;
    use std::sync::atomic::AtomicBool;

    /// The prediction is within a small factor of what a run's accumulators take, for shipped
    /// scenarios and a wide one, and never far below it.
    #[test]
    fn predicted_memory_is_close_to_what_a_run_takes() {
        let wide = "[scenario]\nname = \"wide\"\nstart_year = 2025\nend_year = 2325\nreport_step = 0.25\nsamples = 20000\n[hardware]\nflop_per_dollar = \"1e17 to 1e18\"\ndoubling_time_years = \"2 to 4\"\nmax_flop_per_dollar = 1e40\n[algorithms]\nhalving_time_years = \"1 to 4\"\nmax_improvement = 1e12\n[investment]\nfrontier_spend = \"$100M\"\ngrowth_per_year = \"0.9 to 2\"\n[[actor]]\nname = \"A\"\nbudget = \"$1M to $1B\"\ngrowth_per_year = \"0.9 to 1.5\"\n[[target]]\nname = \"T\"\nflop = 1e25\n";
        for (name, text) in [
            ("baseline", include_str!("../../scenarios/baseline.toml")),
            (
                "beyond",
                include_str!("../../scenarios/beyond_compute.toml"),
            ),
            ("wide", wide),
        ] {
            let scn = crate::scenario::from_str(Path::new(name), text).unwrap();
            let opts = RunOptions {
                samples: 10_000,
                seed: 3,
                threads: 1,
            };
            let predicted = predict_memory(&scn, &opts);
            assert_eq!(predicted.tallies, 2);
            let tally = simulate(&scn, &opts, &|_| {}, &AtomicBool::new(false)).unwrap();
            let actual = tally.heap_bytes() as f64;
            let ratio = predicted.per_worker as f64 / actual;
            assert!((0.9..3.0).contains(&ratio), "{name}: {ratio}");
        }
    }

    /// A pilot of only the samples that feed the per-year outputs predicts to the byte what a
    /// pilot of all its samples did, for runs with few or no per-year samples, with and without
    /// costs beyond compute.
    #[test]
    fn the_pilot_stops_at_the_per_year_samples() {
        for text in [
            include_str!("../../scenarios/baseline.toml"),
            include_str!("../../scenarios/beyond_compute.toml"),
            include_str!("../../scenarios/bench.toml"),
        ] {
            for per_year in [0, 1, 300, 5000] {
                let mut scn = crate::scenario::from_str(Path::new("s.toml"), text).unwrap();
                scn.trajectory_samples = Some(per_year);
                let opts = RunOptions {
                    samples: 2000,
                    seed: 5,
                    threads: 2,
                };
                // Every sample of the pilot, as before it stopped early.
                let sampler = Sampler::new(&scn, opts.seed);
                let mut scratch = Scratch::new(&scn);
                let mut tally = Tally::sizing(&scn);
                for i in 0..PILOT_SAMPLES {
                    sampler.sample(i, &mut scratch);
                    let s = &scratch;
                    tally.record(i, &s.model, &s.taus, s.ln_bases(), &s.actor_taus);
                }
                tally.close();
                let every = tally.predicted_bytes(PILOT_WIDEN) as u64;
                let predicted = predict_memory(&scn, &opts);
                assert_eq!(predicted.per_worker, every, "{}, {per_year}", scn.name);
            }
        }
    }
}
