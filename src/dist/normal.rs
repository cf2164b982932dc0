//! The standard normal distribution.

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
