//! Accumulators for the actors within classes: how many actors can afford each target by each
//! reporting year, and the year the r-th actor over all classes first can.

use crate::model::Population;
use crate::results::{ActorCountResult, CountStats, QUANTILE_LEVELS, RankResult, TimeQuantiles};
use crate::scenario::Scenario;
use crate::stats::{TimeHistogram, YearCounts, YearIndex, quantile_rank};

/// Counts and ranks for one run (or one thread's share of it).
#[derive(Debug, Clone)]
pub struct PopulationTally {
    population: Population,
    ranks: Vec<u32>,
    n_targets: usize,
    years: Vec<f64>,
    year_index: YearIndex,
    /// Per target × reporting year, the number of samples with each count `0..=total` of
    /// actors able to afford the target by that year: `((j · years) + y) · (total + 1) + c`.
    counts: Vec<u64>,
    /// Per target × rank, the r-th earliest affordability time over all actors.
    rank_times: Vec<TimeHistogram>,
    rank_by_year: Vec<YearCounts>,
    /// Scratch: per class, how far the merge of the classes' sorted times has got.
    heads: Vec<usize>,
}

/// What a [`PopulationTally`] has counted (see [`crate::tally::TallyState`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PopulationState {
    #[serde(with = "crate::exact::sparse")]
    counts: Vec<u64>,
    rank_times: Vec<TimeHistogram>,
    rank_by_year: Vec<YearCounts>,
}

impl PopulationTally {
    /// What it has counted.
    pub fn state(&self) -> PopulationState {
        PopulationState {
            counts: self.counts.clone(),
            rank_times: self.rank_times.clone(),
            rank_by_year: self.rank_by_year.clone(),
        }
    }

    /// Takes the counts of `state`, which must have the shape of this tally's.
    pub fn restore(&mut self, state: PopulationState) -> Result<(), String> {
        let same = state.counts.len() == self.counts.len()
            && crate::stats::same_shapes(&state.rank_times, &self.rank_times)
            && crate::stats::same_lengths(&state.rank_by_year, &self.rank_by_year);
        if !same {
            return Err("its actors within classes do not match the scenario's".into());
        }
        self.counts = state.counts;
        self.rank_times = state.rank_times;
        self.rank_by_year = state.rank_by_year;
        Ok(())
    }

    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&self.counts[..])
            + self
                .rank_times
                .iter()
                .map(TimeHistogram::heap_bytes)
                .sum::<usize>()
            + self
                .rank_by_year
                .iter()
                .map(YearCounts::heap_bytes)
                .sum::<usize>()
    }

    /// Empty accumulators, or `None` when the scenario asks for no counts or ranks.
    pub fn new(scn: &Scenario) -> Option<Self> {
        let population = scn.population()?;
        let n_years = scn.report_years.len();
        let mut rank_times = Vec::new();
        for t in &scn.targets {
            let origin = t.frontier_year().unwrap_or(scn.start_year);
            rank_times.extend(
                scn.report_ranks
                    .iter()
                    .map(|_| TimeHistogram::new(origin, scn.end_year)),
            );
        }
        Some(Self {
            counts: vec![0; scn.targets.len() * n_years * (population.total + 1)],
            rank_by_year: vec![YearCounts::new(n_years); rank_times.len()],
            rank_times,
            heads: vec![0; population.z.len()],
            population,
            ranks: scn.report_ranks.clone(),
            n_targets: scn.targets.len(),
            years: scn.report_years.clone(),
            year_index: YearIndex::new(&scn.report_years),
        })
    }

    /// Records one sample's actor times, `actor_taus[j · total + offset_k + i]` (each class's
    /// times ascending).
    pub fn record(&mut self, actor_taus: &[f64]) {
        let pop = &self.population;
        let total = pop.total;
        let n_years = self.years.len();
        for j in 0..self.n_targets {
            let taus = &actor_taus[j * total..(j + 1) * total];
            for (y, year) in self.years.iter().enumerate() {
                let count: usize = pop
                    .offsets
                    .iter()
                    .zip(&pop.z)
                    .map(|(&o, z)| taus[o..o + z.len()].partition_point(|&t| t <= *year))
                    .sum();
                self.counts[(j * n_years + y) * (total + 1) + count] += 1;
            }
            // The r-th earliest time over all classes: merge the classes' ascending times.
            self.heads.fill(0);
            let mut taken = 0u32;
            for (r, rank) in self.ranks.iter().enumerate() {
                let mut tau = f64::INFINITY;
                while taken < *rank {
                    let (k, t) = pop
                        .offsets
                        .iter()
                        .zip(&pop.z)
                        .zip(&self.heads)
                        .enumerate()
                        .filter(|(_, ((_, z), h))| **h < z.len())
                        .map(|(k, ((&o, _), &h))| (k, taus[o + h]))
                        .min_by(|a, b| a.1.total_cmp(&b.1))
                        .expect("a rank is at most the number of actors");
                    self.heads[k] += 1;
                    taken += 1;
                    tau = t;
                }
                let i = j * self.ranks.len() + r;
                self.rank_times[i].insert(tau);
                self.rank_by_year[i].insert(&self.year_index, tau);
            }
        }
    }

    /// Adds another tally of the same scenario.
    pub fn merge(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.rank_times.iter_mut().zip(&other.rank_times) {
            a.merge(b);
        }
        for (a, b) in self.rank_by_year.iter_mut().zip(&other.rank_by_year) {
            a.merge(b);
        }
    }

    /// The reported counts and ranks, out of `n` samples.
    pub fn finish(&self, scn: &Scenario, n: u64) -> (Vec<ActorCountResult>, Vec<RankResult>) {
        let total = self.population.total;
        let n_years = self.years.len();
        let counts = scn
            .targets
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let from = t.frontier_year().unwrap_or(scn.start_year);
                let by_year = (0..n_years)
                    .map(|y| {
                        let row = &self.counts[(j * n_years + y) * (total + 1)..][..total + 1];
                        (self.years[y] >= from).then(|| count_stats(row, n))
                    })
                    .collect();
                ActorCountResult {
                    target: t.name.clone(),
                    total: total as u64,
                    by_year,
                }
            })
            .collect();
        let mut ranks = Vec::new();
        for (j, t) in scn.targets.iter().enumerate() {
            for (r, rank) in self.ranks.iter().enumerate() {
                let i = j * self.ranks.len() + r;
                let h = &self.rank_times[i];
                let quantiles: TimeQuantiles = QUANTILE_LEVELS.map(|p| h.quantile(p));
                ranks.push(RankResult {
                    target: t.name.clone(),
                    rank: *rank,
                    frontier_year: t.frontier_year(),
                    p_by_year: self.rank_by_year[i].cumulative_probabilities(n),
                    p_by_horizon: (n - h.never()) as f64 / n as f64,
                    quantiles,
                });
            }
        }
        (counts, ranks)
    }
}

/// Mean and quantiles (inverted-CDF rule) of an integer count from its exact histogram.
fn count_stats(row: &[u64], n: u64) -> CountStats {
    let sum: u128 = row
        .iter()
        .enumerate()
        .map(|(c, k)| c as u128 * u128::from(*k))
        .sum();
    let quantile = |p: f64| {
        let k = quantile_rank(p, n);
        let mut seen = 0;
        row.iter()
            .position(|c| {
                seen += c;
                seen >= k
            })
            .unwrap_or(row.len() - 1) as u64
    };
    CountStats {
        mean: sum as f64 / n as f64,
        p5: quantile(0.05),
        p50: quantile(0.5),
        p95: quantile(0.95),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_statistics_are_exact() {
        // 10 samples: counts 0 ×2, 1 ×5, 3 ×3.
        let row = [2, 5, 0, 3];
        let s = count_stats(&row, 10);
        assert_eq!(s.mean, (5.0 + 9.0) / 10.0);
        assert_eq!((s.p5, s.p50, s.p95), (0, 1, 3));
    }

    #[test]
    fn stratified_actors_are_symmetric_with_the_median_in_the_middle() {
        let pop = Population::new(vec![1, 3, 4]);
        assert_eq!(pop.total, 8);
        assert_eq!(pop.offsets, vec![0, 1, 4]);
        assert_eq!(pop.z[0], vec![0.0]);
        assert_eq!(pop.z[1][1], 0.0);
        let z = crate::dist::norm_quantile(5.0 / 6.0);
        assert!((pop.z[1][0] - z).abs() < 1e-15 && (pop.z[1][2] + z).abs() < 1e-15);
        let z4 = &pop.z[2];
        assert!(z4.windows(2).all(|w| w[0] > w[1]));
        assert!((z4[0] + z4[3]).abs() < 1e-12 && (z4[1] + z4[2]).abs() < 1e-12);
    }
}
