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

mod invert;
mod normal;
mod shape;

pub use normal::{Z95, norm_cdf, norm_quantile};
pub use shape::Shape;

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
                "the low end of a {pct} interval must be below the high end, got \"{} to {}\"",
                crate::format::format_number(low),
                crate::format::format_number(high)
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
