//! The families of untruncated distributions: support, CDF and quantile of each.

use statrs::function::beta::{beta_reg, inv_beta_reg};

use super::{Dist, norm_cdf, norm_quantile};

/// The family and parameters of an untruncated distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A fixed number (used inside mixtures).
    Point(f64),
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Lognormal: `ln X ~ Normal(mu, sigma)`.
    LogNormal { mu: f64, sigma: f64 },
    /// Flat on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Flat in log on `[min, max]`, stored as log bounds.
    LogUniform { ln_min: f64, ln_max: f64 },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta(`alpha`, `beta`) scaled to `[min, max]` (PERT and plain beta).
    ScaledBeta {
        alpha: f64,
        beta: f64,
        min: f64,
        max: f64,
    },
    /// A weighted mixture; weights are normalised to sum to one.
    Mixture(Vec<(f64, Dist)>),
}

impl Shape {
    pub(super) fn support(&self) -> (f64, f64) {
        match self {
            Shape::Point(v) => (*v, *v),
            Shape::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Shape::LogNormal { .. } => (0.0, f64::INFINITY),
            Shape::Uniform { min, max } | Shape::Triangular { min, max, .. } => (*min, *max),
            Shape::ScaledBeta { min, max, .. } => (*min, *max),
            Shape::LogUniform { ln_min, ln_max } => (ln_min.exp(), ln_max.exp()),
            Shape::Mixture(c) => {
                c.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, d)| {
                        let (lo, hi) = d.support();
                        (a.min(lo), b.max(hi))
                    })
            }
        }
    }

    pub(super) fn cdf(&self, x: f64) -> f64 {
        match self {
            Shape::Point(v) => {
                if x >= *v {
                    1.0
                } else {
                    0.0
                }
            }
            Shape::Normal { mean, sd } => norm_cdf((x - mean) / sd),
            Shape::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    norm_cdf((x.ln() - mu) / sigma)
                }
            }
            Shape::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Shape::LogUniform { ln_min, ln_max } => {
                if x <= 0.0 {
                    0.0
                } else {
                    ((x.ln() - ln_min) / (ln_max - ln_min)).clamp(0.0, 1.0)
                }
            }
            Shape::Triangular { min, mode, max } => {
                if x <= *min {
                    0.0
                } else if x >= *max {
                    1.0
                } else if x <= *mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                }
            }
            Shape::ScaledBeta {
                alpha,
                beta,
                min,
                max,
            } => {
                let y = (x - min) / (max - min);
                if y <= 0.0 {
                    0.0
                } else if y >= 1.0 {
                    1.0
                } else {
                    beta_reg(*alpha, *beta, y)
                }
            }
            Shape::Mixture(c) => c.iter().map(|(w, d)| w * d.cdf(x)).sum(),
        }
    }

    pub(super) fn quantile(&self, u: f64) -> f64 {
        match self {
            Shape::Point(v) => *v,
            Shape::Normal { mean, sd } => mean + sd * norm_quantile(u),
            Shape::LogNormal { mu, sigma } => (mu + sigma * norm_quantile(u)).exp(),
            Shape::Uniform { min, max } => min + u * (max - min),
            Shape::LogUniform { ln_min, ln_max } => (ln_min + u * (ln_max - ln_min)).exp(),
            Shape::Triangular { min, mode, max } => {
                let w = max - min;
                if u < (mode - min) / w {
                    min + (u * w * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * w * (max - mode)).sqrt()
                }
            }
            Shape::ScaledBeta {
                alpha,
                beta,
                min,
                max,
            } => min + (max - min) * inv_beta_reg(*alpha, *beta, u),
            Shape::Mixture(c) => mixture_quantile(c, u),
        }
    }
}

/// The smallest `x` with `F(x) ≥ u` for a mixture, by bisection between the components'
/// own quantiles (which bracket it).
fn mixture_quantile(components: &[(f64, Dist)], u: f64) -> f64 {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for (_, d) in components {
        let q = d.quantile(u);
        lo = lo.min(q);
        hi = hi.max(q);
    }
    let cdf = |x: f64| components.iter().map(|(w, d)| w * d.cdf(x)).sum::<f64>();
    if cdf(lo) >= u {
        return lo;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if cdf(mid) >= u {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}
