/*!
Probability distributions of the uncertain inputs of a scenario.

Every distribution is sampled by inversion from one standard normal draw `z`: the value is
`F⁻¹(Φ(z))`, with a direct `μ + σz` path for the normal family. One normal draw per input is what
later lets a Gaussian copula correlate inputs, a sensitivity analysis pin an input at a percentile,
and two scenarios share random streams by input name, without changing any marginal distribution.
Truncation (`min`/`max`) inverts the CDF restricted to the bounds, so no mass piles up at a bound.

Constructors validate their parameters and return a message naming the distribution and the
broken parameter; checks are written so that NaN fails them too.
*/

use statrs::function::beta::{beta_reg, inv_beta_reg};
use statrs::function::erf::{erfc, erfc_inv};

/// Φ⁻¹(0.95): the half-width of a 90% interval in standard deviations.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// Standard normal CDF Φ(z).
pub fn norm_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Standard normal quantile Φ⁻¹(p), for p in (0, 1).
pub fn norm_quantile(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
}

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

/// A distribution, optionally truncated to `[lo, hi]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    shape: Shape,
    lo: f64,
    hi: f64,
    /// CDF of the untruncated shape at `lo` and `hi`; `(0, 1)` when not truncated.
    p_lo: f64,
    p_hi: f64,
}

impl Dist {
    /// A fixed number.
    pub fn point(v: f64) -> Result<Self, String> {
        check_finite("value", v)?;
        Ok(Self::untruncated(Shape::Point(v)))
    }

    /// Normal by mean and standard deviation (sd > 0).
    pub fn normal(mean: f64, sd: f64) -> Result<Self, String> {
        check_finite("mean", mean)?;
        check_finite("sd", sd)?;
        if !(sd > 0.0) {
            return Err(format!(
                "sd must be positive in normal distribution, got {sd}"
            ));
        }
        Ok(Self::untruncated(Shape::Normal { mean, sd }))
    }

    /// Lognormal by median and log-standard-deviation (median > 0, sigma > 0).
    pub fn lognormal(median: f64, sigma: f64) -> Result<Self, String> {
        check_finite("median", median)?;
        check_finite("sigma", sigma)?;
        if !(median > 0.0) {
            return Err(format!(
                "median must be positive in lognormal distribution, got {median}"
            ));
        }
        if !(sigma > 0.0) {
            return Err(format!(
                "sigma must be positive in lognormal distribution, got {sigma}"
            ));
        }
        Ok(Self::untruncated(Shape::LogNormal {
            mu: median.ln(),
            sigma,
        }))
    }

    /// A 90% credible interval `low to high`: lognormal when both ends are positive, otherwise
    /// normal, with the 5th and 95th percentiles at the two ends.
    pub fn interval(low: f64, high: f64) -> Result<Self, String> {
        Self::interval_at(low, high, 0.9)
    }

    /// A central credible interval at `level` (e.g. 0.95): lognormal when both ends are
    /// positive, otherwise normal, with the (1 − level)/2 and (1 + level)/2 quantiles at the ends.
    pub fn interval_at(low: f64, high: f64, level: f64) -> Result<Self, String> {
        check_finite("low end", low)?;
        check_finite("high end", high)?;
        let pct = format!("{}%", (level * 1000.0).round() / 10.0);
        if !(low < high) {
            return Err(format!(
                "the low end of a {pct} interval must be below the high end, got \"{low} to {high}\""
            ));
        }
        // 0.9 keeps the exact constant, so 90% intervals are unchanged to the last bit.
        let z = if level == 0.9 {
            Z95
        } else {
            norm_quantile(0.5 + level / 2.0)
        };
        if low > 0.0 {
            let (a, b) = (low.ln(), high.ln());
            Ok(Self::untruncated(Shape::LogNormal {
                mu: 0.5 * (a + b),
                sigma: (b - a) / (2.0 * z),
            }))
        } else {
            Ok(Self::untruncated(Shape::Normal {
                mean: 0.5 * (low + high),
                sd: (high - low) / (2.0 * z),
            }))
        }
    }

    /// A lognormal 90% interval given explicitly: both ends must be positive.
    pub fn lognormal_interval(p5: f64, p95: f64) -> Result<Self, String> {
        if !(p5 > 0.0) {
            return Err(format!(
                "p5 must be positive in lognormal distribution, got {p5}"
            ));
        }
        Self::interval(p5, p95)
    }

    /// Flat on `[min, max]`.
    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        check_range("uniform", min, max)?;
        Ok(Self::untruncated(Shape::Uniform { min, max }))
    }

    /// Flat in log on `[min, max]` (0 < min < max).
    pub fn loguniform(min: f64, max: f64) -> Result<Self, String> {
        check_range("loguniform", min, max)?;
        if !(min > 0.0) {
            return Err(format!(
                "min must be positive in loguniform distribution, got {min}"
            ));
        }
        Ok(Self::untruncated(Shape::LogUniform {
            ln_min: min.ln(),
            ln_max: max.ln(),
        }))
    }

    /// Triangular on `[min, max]` with its mode inside.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        check_three_point("triangular", min, mode, max)?;
        Ok(Self::untruncated(Shape::Triangular { min, mode, max }))
    }

    /// PERT on `[min, max]`: a beta with shape 1 + 4·(mode−min)/(max−min), 1 + 4·(max−mode)/(max−min).
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        check_three_point("pert", min, mode, max)?;
        let w = max - min;
        if !w.is_finite() || w > 1e300 {
            return Err(format!(
                "pert's range max − min is too wide to compute ({min:e} to {max:e}); allowed: at most 1e300"
            ));
        }
        let alpha = 1.0 + 4.0 * (mode - min) / w;
        let beta = 1.0 + 4.0 * (max - mode) / w;
        Ok(Self::untruncated(Shape::ScaledBeta {
            alpha,
            beta,
            min,
            max,
        }))
    }

    /// Beta(alpha, beta) on [0, 1].
    pub fn beta(alpha: f64, beta: f64) -> Result<Self, String> {
        check_finite("alpha", alpha)?;
        check_finite("beta", beta)?;
        if !(alpha > 0.0) || !(beta > 0.0) {
            return Err(format!(
                "alpha and beta must be positive in beta distribution, got {alpha} and {beta}"
            ));
        }
        Ok(Self::untruncated(Shape::ScaledBeta {
            alpha,
            beta,
            min: 0.0,
            max: 1.0,
        }))
    }

    /// A mixture: draw a component by weight, then a value from it. Weights must be
    /// non-negative and sum to a positive number; they are normalised.
    pub fn mixture(components: Vec<(f64, Dist)>) -> Result<Self, String> {
        if components.is_empty() {
            return Err("a mixture needs at least one component".into());
        }
        let mut largest = 0.0f64;
        for (w, _) in &components {
            check_finite("weight", *w)?;
            if !(*w >= 0.0) {
                return Err(format!("mixture weights must not be negative, got {w}"));
            }
            largest = largest.max(*w);
        }
        if !(largest > 0.0) {
            return Err("mixture weights must sum to a positive number".into());
        }
        // Scaled by the largest first, so that weights near the top of f64 cannot overflow the
        // sum (which would give every component weight 0).
        let total: f64 = components.iter().map(|(w, _)| w / largest).sum();
        let comps = components
            .into_iter()
            .map(|(w, d)| (w / largest / total, d))
            .collect();
        Ok(Self::untruncated(Shape::Mixture(comps)))
    }

    fn untruncated(shape: Shape) -> Self {
        Self {
            shape,
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            p_lo: 0.0,
            p_hi: 1.0,
        }
    }

    /// Truncates to `[min, max]` (either may be absent). The bounds must leave some probability.
    pub fn truncate(mut self, min: Option<f64>, max: Option<f64>) -> Result<Self, String> {
        if let Shape::Point(_) = self.shape {
            return Err("a fixed number cannot take min/max bounds".into());
        }
        let lo = min.unwrap_or(f64::NEG_INFINITY);
        let hi = max.unwrap_or(f64::INFINITY);
        if let Some(m) = min {
            check_finite("min", m)?;
        }
        if let Some(m) = max {
            check_finite("max", m)?;
        }
        if !(lo < hi) {
            return Err(format!(
                "min must be below max, got min = {lo} and max = {hi}"
            ));
        }
        let (p_lo, p_hi) = (self.shape.cdf(lo), self.shape.cdf(hi));
        if !(p_hi - p_lo > 1e-9) {
            return Err(format!(
                "the bounds [{lo}, {hi}] leave (almost) no probability: the distribution puts {:.3e} of its mass there",
                (p_hi - p_lo).max(0.0)
            ));
        }
        self.lo = lo;
        self.hi = hi;
        self.p_lo = p_lo;
        self.p_hi = p_hi;
        Ok(self)
    }

    /// The family and parameters, before truncation.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The truncation bounds (infinite when absent).
    pub fn bounds(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    fn is_truncated(&self) -> bool {
        self.lo > f64::NEG_INFINITY || self.hi < f64::INFINITY
    }

    /// True when the distribution is a single fixed number.
    pub fn is_point(&self) -> bool {
        matches!(self.shape, Shape::Point(_))
    }

    /// The smallest and largest values the distribution can produce, truncation included.
    pub fn support(&self) -> (f64, f64) {
        let (a, b) = self.shape.support();
        (a.max(self.lo), b.min(self.hi))
    }

    /// True when every value it can produce is strictly positive.
    pub fn is_strictly_positive(&self) -> bool {
        let (lo, _) = self.support();
        if lo > 0.0 {
            return true;
        }
        // Open at zero: the log-family never reaches its infimum.
        lo == 0.0
            && self.lo <= 0.0
            && match &self.shape {
                Shape::LogNormal { .. } | Shape::LogUniform { .. } => true,
                Shape::Mixture(c) => c.iter().all(|(_, d)| d.is_strictly_positive()),
                _ => false,
            }
    }

    /// Cumulative distribution function, truncation included.
    pub fn cdf(&self, x: f64) -> f64 {
        if x < self.lo {
            return 0.0;
        }
        if x >= self.hi {
            return 1.0;
        }
        let p = self.shape.cdf(x);
        if self.is_truncated() {
            ((p - self.p_lo) / (self.p_hi - self.p_lo)).clamp(0.0, 1.0)
        } else {
            p
        }
    }

    /// Quantile function (generalised inverse of the CDF) for `u` in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        if self.is_truncated() {
            if let Some(v) = self.upper_tail_quantile(u) {
                return v;
            }
            let v = self.shape.quantile(self.p_lo + u * (self.p_hi - self.p_lo));
            v.clamp(self.lo, self.hi)
        } else {
            self.shape.quantile(u)
        }
    }

    /// Truncation deep in the upper tail of a normal or lognormal, inverted through the survival
    /// function: CDF values there round to 1, survival values keep their precision.
    fn upper_tail_quantile(&self, u: f64) -> Option<f64> {
        if self.p_lo <= 0.5 {
            return None;
        }
        let (m, s, log) = match self.shape {
            Shape::Normal { mean, sd } => (mean, sd, false),
            Shape::LogNormal { mu, sigma } => (mu, sigma, true),
            _ => return None,
        };
        let z = |x: f64| if log { (x.ln() - m) / s } else { (x - m) / s };
        let s_lo = norm_cdf(-z(self.lo));
        let s_hi = if self.hi.is_finite() {
            norm_cdf(-z(self.hi))
        } else {
            0.0
        };
        let v = m - s * norm_quantile(s_lo - u * (s_lo - s_hi));
        Some(if log { v.exp() } else { v }.clamp(self.lo, self.hi))
    }

    /// The value for one standard normal draw `z`: `F⁻¹(Φ(z))`.
    #[inline]
    pub fn from_normal(&self, z: f64) -> f64 {
        if !self.is_truncated() {
            match self.shape {
                Shape::Normal { mean, sd } => return mean + sd * z,
                Shape::LogNormal { mu, sigma } => return (mu + sigma * z).exp(),
                Shape::Point(v) => return v,
                _ => {}
            }
        }
        self.quantile(norm_cdf(z))
    }

    /// The natural log of the value for one standard normal draw `z`, when it is exact without
    /// the value: `μ + σz` for an untruncated lognormal.
    #[inline]
    pub fn ln_from_normal(&self, z: f64) -> Option<f64> {
        match self.shape {
            Shape::LogNormal { mu, sigma } if !self.is_truncated() => Some(mu + sigma * z),
            _ => None,
        }
    }

    /// The median of the distribution.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }
}

impl Shape {
    fn support(&self) -> (f64, f64) {
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

    fn cdf(&self, x: f64) -> f64 {
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

    fn quantile(&self, u: f64) -> f64 {
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

fn check_finite(what: &str, v: f64) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!("{what} must be a finite number, got {v}"))
    }
}

fn check_range(name: &str, min: f64, max: f64) -> Result<(), String> {
    check_finite("min", min)?;
    check_finite("max", max)?;
    if !(min < max) {
        return Err(format!(
            "min must be below max in {name} distribution, got min = {min} and max = {max}"
        ));
    }
    Ok(())
}

fn check_three_point(name: &str, min: f64, mode: f64, max: f64) -> Result<(), String> {
    check_range(name, min, max)?;
    check_finite("mode", mode)?;
    if !(mode >= min && mode <= max) {
        return Err(format!(
            "mode is outside [min, max] in {name} distribution, got {mode} outside [{min}, {max}]"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};

    /// Empirical quantiles of `n` draws through `from_normal`.
    fn sample_quantiles(d: &Dist, n: usize, ps: &[f64]) -> Vec<f64> {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let mut xs: Vec<f64> = (0..n)
            .map(|_| d.from_normal(StandardNormal.sample(&mut rng)))
            .collect();
        xs.sort_by(f64::total_cmp);
        ps.iter()
            .map(|p| xs[((p * n as f64).ceil() as usize).max(1) - 1])
            .collect()
    }

    /// Checks sampled quantiles against `quantile()` within a Monte Carlo tolerance expressed in
    /// probability: the sample quantile at p must sit between the true quantiles at p ± 4 binomial
    /// standard errors (n = 40,000: ±0.0044 at the median, ±0.0022 at the 5th percentile).
    fn assert_quantiles_match(d: &Dist) {
        let n = 40_000;
        let ps = [0.05, 0.25, 0.5, 0.75, 0.95];
        let got = sample_quantiles(d, n, &ps);
        for (p, x) in ps.iter().zip(got) {
            let se = (p * (1.0 - p) / n as f64).sqrt();
            let (lo, hi) = (d.quantile(p - 4.0 * se), d.quantile(p + 4.0 * se));
            assert!(
                x >= lo && x <= hi,
                "{d:?}: sample q{p} = {x}, expected within [{lo}, {hi}]"
            );
        }
    }

    #[test]
    fn interval_puts_5th_and_95th_percentiles_at_the_ends() {
        for (a, b) in [(2.0, 3.0), (1e25, 3e25), (-1.0, 4.0), (0.0, 1.0)] {
            let d = Dist::interval(a, b).unwrap();
            assert!(
                (d.quantile(0.05) - a).abs() <= 1e-9 * a.abs().max(1.0),
                "{a} {b}"
            );
            assert!(
                (d.quantile(0.95) - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{a} {b}"
            );
            assert_quantiles_match(&d);
        }
        // Lognormal when positive: the median is the geometric mean.
        assert!((Dist::interval(2.0, 8.0).unwrap().median() - 4.0).abs() < 1e-12);
        // Normal when an end is not positive: the median is the midpoint.
        assert!((Dist::interval(-2.0, 8.0).unwrap().median() - 3.0).abs() < 1e-12);
    }

    #[test]
    fn analytic_quantiles_of_each_form() {
        let n = Dist::normal(1.0, 2.0).unwrap();
        assert!((n.quantile(0.975) - (1.0 + 2.0 * 1.959_963_984_540_054)).abs() < 1e-9);
        let ln = Dist::lognormal(2.5, 0.3).unwrap();
        assert!((ln.quantile(0.5) - 2.5).abs() < 1e-12);
        assert!((ln.quantile(0.95) - 2.5 * (0.3 * Z95).exp()).abs() < 1e-9);
        let u = Dist::uniform(1.0, 3.0).unwrap();
        assert!((u.quantile(0.25) - 1.5).abs() < 1e-12);
        let lu = Dist::loguniform(1.0, 100.0).unwrap();
        assert!((lu.quantile(0.5) - 10.0).abs() < 1e-9);
        let t = Dist::triangular(0.0, 1.0, 4.0).unwrap();
        // F(1) = (1-0)^2 / (4·1) = 0.25.
        assert!((t.quantile(0.25) - 1.0).abs() < 1e-12);
        assert!((t.cdf(1.0) - 0.25).abs() < 1e-12);
        // PERT(0, 0.5, 1) is Beta(3, 3): symmetric, median 0.5, F(0.25) = 0.103515625.
        let p = Dist::pert(0.0, 0.5, 1.0).unwrap();
        assert!((p.median() - 0.5).abs() < 1e-9);
        assert!((p.cdf(0.25) - 0.103_515_625).abs() < 1e-9);
        // Beta(2, 1) has F(x) = x², so the quantile is √u.
        let b = Dist::beta(2.0, 1.0).unwrap();
        assert!((b.quantile(0.49) - 0.7).abs() < 1e-9);
        for d in [n, ln, u, lu, t, p, b] {
            assert_quantiles_match(&d);
        }
    }

    #[test]
    fn mixture_quantiles_invert_the_weighted_cdf() {
        // 0.7 × U(0, 1) + 0.3 × U(2, 3): the 70th percentile sits at 1, the 85th at 2.5.
        let m = Dist::mixture(vec![
            (7.0, Dist::uniform(0.0, 1.0).unwrap()),
            (3.0, Dist::uniform(2.0, 3.0).unwrap()),
        ])
        .unwrap();
        assert!((m.quantile(0.35) - 0.5).abs() < 1e-9);
        assert!((m.quantile(0.85) - 2.5).abs() < 1e-9);
        assert_quantiles_match(&m);
        // A point mass in a mixture is hit with its weight.
        let m = Dist::mixture(vec![
            (0.5, Dist::point(1.0).unwrap()),
            (0.5, Dist::uniform(2.0, 4.0).unwrap()),
        ])
        .unwrap();
        assert_eq!(m.quantile(0.3), 1.0);
        assert!((m.quantile(0.75) - 3.0).abs() < 1e-9);
        // Weights near the top of f64 keep their ratio (their plain sum would overflow).
        let m = Dist::mixture(vec![
            (1e308, Dist::uniform(0.0, 1.0).unwrap()),
            (1.7e308, Dist::uniform(2.0, 3.0).unwrap()),
        ])
        .unwrap();
        let first = 1.0 / 2.7;
        assert!((m.quantile(0.5 * first) - 0.5).abs() < 1e-9);
        assert!((m.quantile(first + 0.5 * (1.0 - first)) - 2.5).abs() < 1e-9);
    }

    #[test]
    fn truncation_inverts_the_restricted_cdf_without_piling_up_at_bounds() {
        let d = Dist::normal(0.0, 1.0)
            .unwrap()
            .truncate(Some(0.0), Some(1.0))
            .unwrap();
        // Truncated standard normal on [0, 1]: median at Φ⁻¹((0.5 + Φ(1)) / 2).
        let expect = norm_quantile(0.5 * (0.5 + norm_cdf(1.0)));
        assert!((d.median() - expect).abs() < 1e-9);
        assert_quantiles_match(&d);
        // No mass piles up at a bound: the share of draws within 0.001 of each bound matches the
        // density there (about 0.1% each), far from the 5% of a clamp at the 95th percentile.
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(3);
        let n = 100_000;
        let (mut at_lo, mut at_hi) = (0, 0);
        for _ in 0..n {
            let x = d.from_normal(StandardNormal.sample(&mut rng));
            assert!((0.0..=1.0).contains(&x));
            at_lo += (x < 0.001) as u32;
            at_hi += (x > 0.999) as u32;
        }
        let mass = norm_cdf(1.0) - 0.5;
        let expect_lo = 0.001 * 0.398_942 / mass * n as f64; // density at 0 × width
        let expect_hi = 0.001 * 0.241_971 / mass * n as f64; // density at 1 × width
        assert!(
            (at_lo as f64 - expect_lo).abs() < 5.0 * expect_lo.sqrt(),
            "{at_lo} vs {expect_lo}"
        );
        assert!(
            (at_hi as f64 - expect_hi).abs() < 5.0 * expect_hi.sqrt(),
            "{at_hi} vs {expect_hi}"
        );
    }

    #[test]
    fn truncation_deep_in_the_upper_tail_stays_finite_and_ordered() {
        let d = Dist::normal(0.0, 1.0)
            .unwrap()
            .truncate(Some(5.9), None)
            .unwrap();
        let mut prev = 5.9;
        for z in [-3.0, 0.0, 5.3, 5.4, 5.5, 7.0, 8.0] {
            let x = d.from_normal(z);
            assert!(x.is_finite() && x >= prev, "z={z}: {x}");
            prev = x;
        }
        // The median of N(0,1) truncated to [5.9, ∞) is Φ⁻¹ of the halfway survival: ≈ 6.015.
        let expect = -norm_quantile(0.5 * norm_cdf(-5.9));
        assert!(
            (d.median() - expect).abs() < 1e-9,
            "{} vs {expect}",
            d.median()
        );
        let l = Dist::lognormal(1.0, 1.0)
            .unwrap()
            .truncate(Some(400.0), None)
            .unwrap();
        assert!(l.from_normal(6.0).is_finite() && l.from_normal(6.0) >= 400.0);
    }

    #[test]
    fn bad_parameters_are_rejected_with_a_message() {
        assert!(
            Dist::normal(0.0, -1.0)
                .unwrap_err()
                .contains("sd must be positive")
        );
        assert!(Dist::normal(0.0, f64::NAN).is_err());
        assert!(
            Dist::interval(3.0, 2.0)
                .unwrap_err()
                .contains("below the high end")
        );
        assert!(Dist::uniform(2.0, 2.0).is_err());
        assert!(
            Dist::triangular(0.0, 5.0, 1.0)
                .unwrap_err()
                .contains("mode is outside")
        );
        assert!(Dist::lognormal_interval(0.0, 2.0).is_err());
        assert!(Dist::loguniform(0.0, 2.0).is_err());
        assert!(Dist::beta(0.0, 1.0).is_err());
        assert!(Dist::mixture(vec![(0.0, Dist::point(1.0).unwrap())]).is_err());
        assert!(
            Dist::mixture(vec![
                (-1.0, Dist::point(1.0).unwrap()),
                (2.0, Dist::point(1.0).unwrap())
            ])
            .is_err()
        );
        assert!(
            Dist::normal(0.0, 1.0)
                .unwrap()
                .truncate(Some(2.0), Some(1.0))
                .is_err()
        );
        assert!(
            Dist::normal(0.0, 1.0)
                .unwrap()
                .truncate(Some(50.0), None)
                .unwrap_err()
                .contains("no probability")
        );
    }

    #[test]
    fn positivity_accounts_for_support_and_truncation() {
        assert!(Dist::interval(2.0, 3.0).unwrap().is_strictly_positive());
        assert!(!Dist::interval(-1.0, 3.0).unwrap().is_strictly_positive());
        assert!(!Dist::normal(5.0, 1.0).unwrap().is_strictly_positive());
        assert!(
            Dist::normal(5.0, 1.0)
                .unwrap()
                .truncate(Some(0.5), None)
                .unwrap()
                .is_strictly_positive()
        );
        assert!(!Dist::beta(2.0, 2.0).unwrap().is_strictly_positive());
        assert!(Dist::uniform(1.0, 2.0).unwrap().is_strictly_positive());
        assert!(!Dist::uniform(0.0, 2.0).unwrap().is_strictly_positive());
        assert!(
            Dist::lognormal(1.0, 1.0)
                .unwrap()
                .truncate(None, Some(3.0))
                .unwrap()
                .is_strictly_positive()
        );
    }
}
