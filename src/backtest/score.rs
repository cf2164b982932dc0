//! Scores of a predicted distribution against what happened: the PIT (where the observation
//! falls in the prediction), band coverage, the continuous ranked probability score in log10
//! dollars, bias and sharpness; and their averages over matches.

use std::f64::consts::LN_10;

use serde::Serialize;

use crate::stats::LogHistogram;

/// Quantile levels used to integrate the CRPS: `(m − ½)/M` for `m = 1 … M`.
const CRPS_LEVELS: usize = 2000;

/// One prediction scored against one observation (all in log10 dollars).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// 5th, 25th, 50th, 75th and 95th percentiles of the prediction, dollars.
    pub predicted: [f64; 5],
    /// `P(predicted ≤ observed)`: the probability integral transform.
    pub pit: f64,
    /// The observation lies inside the central 50% band (`0.25 ≤ PIT ≤ 0.75`).
    pub in_50: bool,
    /// The observation lies inside the central 90% band (`0.05 ≤ PIT ≤ 0.95`).
    pub in_90: bool,
    /// Continuous ranked probability score in log10 dollars (0 is perfect).
    pub crps_log10: f64,
    /// `log10(observed / predicted median)`: positive when history was dearer.
    pub log10_ratio: f64,
    /// Width of the 90% band in orders of magnitude, `log10(p95 / p5)`.
    pub band_width_ooms: f64,
}

/// Scores the prediction held in `h` (natural logs of dollars) against `observed` dollars.
pub fn score(h: &LogHistogram, observed: f64) -> Score {
    let y = observed.ln();
    let q = |p: f64| h.quantile_ln(p).expect("a prediction has samples");
    let pit = h.fraction_at_most_ln(y).expect("a prediction has samples");
    // CRPS = 2 ∫₀¹ (1{y < q(τ)} − τ)(q(τ) − y) dτ, by the midpoint rule on the quantiles.
    let crps = 2.0
        * (0..CRPS_LEVELS)
            .map(|m| {
                let tau = (m as f64 + 0.5) / CRPS_LEVELS as f64;
                let qt = q(tau);
                (f64::from(u8::from(y < qt)) - tau) * (qt - y)
            })
            .sum::<f64>()
        / CRPS_LEVELS as f64;
    let ln = [0.05, 0.25, 0.5, 0.75, 0.95].map(q);
    Score {
        predicted: ln.map(f64::exp),
        pit,
        in_50: (0.25..=0.75).contains(&pit),
        in_90: (0.05..=0.95).contains(&pit),
        crps_log10: crps / LN_10,
        log10_ratio: (y - ln[2]) / LN_10,
        band_width_ooms: (ln[4] - ln[0]) / LN_10,
    }
}

/// Averages of scores over a set of matches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Matches scored.
    pub n: usize,
    /// Share inside the 50% band.
    pub coverage_50: Option<f64>,
    /// Share inside the 90% band.
    pub coverage_90: Option<f64>,
    /// Mean CRPS, log10 dollars.
    pub crps_log10: Option<f64>,
    /// Geometric mean of observed / predicted median.
    pub bias_ratio: Option<f64>,
    /// Median width of the 90% band, orders of magnitude.
    pub band_width_ooms: Option<f64>,
    /// Observations below the 5th percentile (history cheaper than the band).
    pub below_90: usize,
    /// Observations above the 95th percentile (history dearer than the band).
    pub above_90: usize,
}

/// The averages of `scores` (`None` fields when there are none).
pub fn summarise<'a>(scores: impl Iterator<Item = &'a Score>) -> Summary {
    let s: Vec<&Score> = scores.collect();
    let n = s.len();
    let mean =
        |f: &dyn Fn(&Score) -> f64| (n > 0).then(|| s.iter().map(|x| f(x)).sum::<f64>() / n as f64);
    let mut widths: Vec<f64> = s.iter().map(|x| x.band_width_ooms).collect();
    widths.sort_by(f64::total_cmp);
    let median_width = (n > 0).then(|| {
        if n % 2 == 1 {
            widths[n / 2]
        } else {
            0.5 * (widths[n / 2 - 1] + widths[n / 2])
        }
    });
    Summary {
        n,
        coverage_50: mean(&|x| f64::from(u8::from(x.in_50))),
        coverage_90: mean(&|x| f64::from(u8::from(x.in_90))),
        crps_log10: mean(&|x| x.crps_log10),
        bias_ratio: mean(&|x| x.log10_ratio).map(|m| 10f64.powf(m)),
        band_width_ooms: median_width,
        below_90: s.iter().filter(|x| x.pit < 0.05).count(),
        above_90: s.iter().filter(|x| x.pit > 0.95).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{norm_cdf, norm_quantile};

    fn histogram(values_ln: impl Iterator<Item = f64>) -> LogHistogram {
        let mut h = LogHistogram::default();
        for v in values_ln {
            h.insert_ln(v);
        }
        h
    }

    /// A point prediction: PIT 0 or 1, CRPS the distance, bias the ratio, no width.
    #[test]
    fn a_point_prediction_scores_exactly() {
        let h = histogram(std::iter::repeat_n(1e6f64.ln(), 100));
        let s = score(&h, 1e7);
        assert_eq!(s.pit, 1.0);
        assert!(!s.in_90 && !s.in_50);
        assert!((s.crps_log10 - 1.0).abs() < 1e-12, "{}", s.crps_log10);
        assert!((s.log10_ratio - 1.0).abs() < 1e-12);
        assert_eq!(s.band_width_ooms, 0.0);
        let s = score(&h, 1e5);
        assert_eq!(s.pit, 0.0);
        assert!((s.crps_log10 - 1.0).abs() < 1e-12);
    }

    /// A lognormal prediction: PIT, CRPS and width against their closed forms
    /// (CRPS of N(μ, σ) at y: σ [z (2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ).
    #[test]
    fn a_lognormal_prediction_matches_its_closed_forms() {
        let (mu, sigma) = (6.0, 0.5); // log10 dollars
        let n = 200_000;
        let h = histogram((0..n).map(|i| {
            let z = norm_quantile((i as f64 + 0.5) / n as f64);
            (mu + sigma * z) * LN_10
        }));
        for y in [5.0, 6.3, 7.2] {
            let s = score(&h, 10f64.powf(y));
            let z = (y - mu) / sigma;
            let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let crps = sigma
                * (z * (2.0 * norm_cdf(z) - 1.0) + 2.0 * phi - 1.0 / std::f64::consts::PI.sqrt());
            assert!(
                (s.pit - norm_cdf(z)).abs() < 2e-3,
                "{y}: {} vs {}",
                s.pit,
                norm_cdf(z)
            );
            assert!(
                (s.crps_log10 - crps).abs() < 2e-3 * crps.max(0.1),
                "{y}: {} vs {crps}",
                s.crps_log10
            );
            assert!((s.band_width_ooms - 2.0 * 1.644_853_6 * sigma).abs() < 5e-3);
        }
    }

    #[test]
    fn summaries_average_as_stated() {
        let mk = |pit: f64, ratio: f64, width: f64| Score {
            predicted: [1.0; 5],
            pit,
            in_50: (0.25..=0.75).contains(&pit),
            in_90: (0.05..=0.95).contains(&pit),
            crps_log10: pit,
            log10_ratio: ratio,
            band_width_ooms: width,
        };
        let s = [
            mk(0.5, 1.0, 1.0),
            mk(0.01, -1.0, 2.0),
            mk(0.9, 0.5, 3.0),
            mk(0.99, 0.5, 4.0),
        ];
        let m = summarise(s.iter());
        assert_eq!(m.n, 4);
        assert_eq!(m.coverage_50, Some(0.25));
        assert_eq!(m.coverage_90, Some(0.5));
        assert!((m.bias_ratio.unwrap() - 10f64.powf(0.25)).abs() < 1e-12);
        assert_eq!(m.band_width_ooms, Some(2.5));
        assert_eq!((m.below_90, m.above_90), (1, 1));
        assert_eq!(summarise([].iter()).coverage_90, None);
    }
}
