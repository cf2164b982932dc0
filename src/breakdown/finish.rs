//! The reported breakdown: quantiles of each component and of its share, and the largest
//! component at the affordability year.

use super::{BreakdownTally, Row, SHARE_SCALE};
use crate::coarse::{CoarseLogHistogram, ShareHistogram};
use crate::costs::Component;
use crate::results::{ComponentResult, DominantResult, QUANTILE_LEVELS};
use crate::scenario::Scenario;

/// Quantiles at each reporting year (`None` where nothing was counted).
type YearQuantiles = Vec<Option<[f64; 5]>>;

impl BreakdownTally {
    /// The reported breakdown: per target × class × row, and per target × class the largest
    /// component at the affordability year. `basis(target, group)` gives the quantiles of the
    /// total that must fit (the trajectories' cost series).
    pub fn finish(
        &self,
        scn: &Scenario,
        basis: impl Fn(usize, usize) -> Vec<Option<[f64; 5]>>,
    ) -> (Vec<ComponentResult>, Vec<DominantResult>) {
        let (n_g, n_r, n_y) = (self.groups.len(), self.rows.len(), self.years.len());
        let mut rows = Vec::new();
        let mut dominant = Vec::new();
        for (j, t) in scn.targets.iter().enumerate() {
            for (k, a) in scn.actors.iter().enumerate() {
                let cell = j * n_g + self.group_of[k];
                // Per year, the samples counted (every one where the target exists has a
                // compute part): the mean shares' denominators.
                let counts: Vec<u64> = (self.values[cell * n_r * n_y..][..n_y].iter())
                    .map(CoarseLogHistogram::count)
                    .collect();
                for row in &self.report {
                    let values = if *row == self.basis {
                        basis(j, self.group_of[k])
                    } else {
                        self.row_values(cell, row)
                    };
                    if values.iter().all(Option::is_none) {
                        continue;
                    }
                    let (share, mean_share) = match row {
                        Row::Part(c) => {
                            let (share, mean) = self.part_shares(cell, c, &counts);
                            (Some(share), Some(mean))
                        }
                        _ => (None, None),
                    };
                    rows.push(ComponentResult {
                        target: t.name.clone(),
                        actor: a.name.clone(),
                        component: row.name().to_string(),
                        quantiles: values,
                        share,
                        mean_share,
                    });
                }
                dominant.push(self.dominant_of(scn, j, k));
            }
        }
        (rows, dominant)
    }

    /// The quantiles of `row`'s cost in `cell` (target × group) at each reporting year.
    fn row_values(&self, cell: usize, row: &Row) -> YearQuantiles {
        let (n_y, n_r) = (self.years.len(), self.rows.len());
        let r = self.rows.iter().position(|x| x == row).expect("kept");
        let at = (cell * n_r + r) * n_y;
        values(&self.values[at..at + n_y])
    }

    /// The quantiles of component `c`'s share of the whole in `cell` at each reporting year, and
    /// its mean share, `counts` being the samples counted in the cell at each year.
    fn part_shares(
        &self,
        cell: usize,
        c: &Component,
        counts: &[u64],
    ) -> (YearQuantiles, Vec<Option<f64>>) {
        let (n_y, n_p) = (self.years.len(), self.parts.len());
        let p = self.parts.iter().position(|x| x == c).expect("present");
        let at = (cell * n_p + p) * n_y;
        let mean = (counts.iter().enumerate())
            .map(|(i, &n)| (n > 0).then(|| self.share_sums[at + i] as f64 / SHARE_SCALE / n as f64))
            .collect();
        (shares(&self.shares[at..at + n_y]), mean)
    }

    /// How often each component is the largest at the year class `k` first affords target `j`.
    fn dominant_of(&self, scn: &Scenario, j: usize, k: usize) -> DominantResult {
        let at = (j * scn.actors.len() + k) * Component::ALL.len();
        let counts = &self.dominant[at..at + Component::ALL.len()];
        let affordable: u64 = counts.iter().sum();
        DominantResult {
            target: scn.targets[j].name.clone(),
            actor: scn.actors[k].name.clone(),
            samples: affordable,
            share_of_samples: Component::ALL
                .iter()
                .zip(counts)
                .filter(|(c, _)| self.parts.contains(c))
                .map(|(c, &n)| {
                    let f = if affordable == 0 {
                        0.0
                    } else {
                        n as f64 / affordable as f64
                    };
                    (c.name().to_string(), f)
                })
                .collect(),
        }
    }
}

/// The quantiles of each of the cost histograms `h` (`None` where it is empty).
fn values(h: &[CoarseLogHistogram]) -> YearQuantiles {
    h.iter()
        .map(|h| h.quantiles_ln(QUANTILE_LEVELS).map(|q| q.map(f64::exp)))
        .collect()
}

/// The quantiles of each of the share histograms `h` (`None` where it is empty).
fn shares(h: &[ShareHistogram]) -> YearQuantiles {
    h.iter().map(|h| h.quantiles(QUANTILE_LEVELS)).collect()
}
