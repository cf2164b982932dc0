/*!
`exp` and `ln` written without branches on the value, so that a loop over a slice of them is
vectorised by the compiler (four lanes with AVX2, two with WebAssembly's SIMD), and giving the
same bits on every target: the standard library's `f64::exp`/`ln` call the platform's libm (glibc
natively, a Rust port of musl in WebAssembly), which may differ in the last bit, and are one call
per value.

The algorithms are the classic ones of Sun's fdlibm (`e_exp.c`, `e_log.c`; reduction by a
multiple of `ln 2` split in two parts, then a rational or polynomial approximation on the reduced
argument), with the special cases turned into selects. Both are within one unit in the last
place of the exact result over their whole range (tested against the standard library's below).

Why not a crate: `libm` (the musl port) is scalar and branchy, so it does not vectorise; `sleef`
needs nightly portable SIMD; the approximate "fast math" crates trade accuracy we need for the
cost breakdown's sums of components. These two functions are 40 lines with their constants.
*/

// The constants are written as fdlibm publishes them; each parses to the double it names.
#![allow(clippy::excessive_precision)]

/// The larger of two numbers, neither NaN, by one comparison. `f64::max` must return the other
/// argument for a NaN, which WebAssembly's `f64.max` does not, so there it is a call to `fmax`:
/// 17% of the browser engine's time in the costs solver went to `fmax` and `fmin`.
#[inline(always)]
pub fn max(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The smaller of two numbers, neither NaN, by one comparison (see [`max`]).
#[inline(always)]
pub fn min(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;

/// `2^52 + 2^51`: adding and subtracting it rounds a double of magnitude below 2^51 to an
/// integer (ties to even), without a call.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// `e^x`, within one unit in the last place; `0` below about −745.13, `+∞` above about 709.78,
/// `NaN` for `NaN`.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    const P1: f64 = 1.666_666_666_666_660_190_37e-1;
    const P2: f64 = -2.777_777_777_701_559_338_42e-3;
    const P3: f64 = 6.613_756_321_437_934_361_17e-5;
    const P4: f64 = -1.653_390_220_546_525_153_90e-6;
    const P5: f64 = 4.138_136_797_057_238_460_39e-8;
    const OVER: f64 = 7.097_827_128_933_840_867_830_0e2;
    const UNDER: f64 = -7.451_332_191_019_411_383_2e2;
    // Clamped so that the reduction below stays in range; the ends are put back at the end.
    let xc = x.clamp(UNDER, OVER);
    // k = round(x / ln 2), as a double and, from the same sum's bits, as an integer (integer
    // conversions of doubles would not vectorise).
    let shifted = xc * std::f64::consts::LOG2_E + ROUNDER;
    let k = shifted - ROUNDER;
    let hi = xc - k * LN2_HI;
    let lo = k * LN2_LO;
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // 2^k in two factors, so that neither leaves the normal range (k is within [−1075, 1024]);
    // With `k + 2048` (positive, so halving it is a logical shift) = 2·half or 2·half + 1, the
    // biased exponents of 2^⌊k/2⌋ and 2^(k − ⌊k/2⌋) are `half − 1` and `k + 2048 − half − 1`.
    let k_plus = shifted
        .to_bits()
        .wrapping_sub(ROUNDER.to_bits())
        .wrapping_add(2048);
    let half = k_plus >> 1;
    let scale1 = f64::from_bits((half - 1) << 52);
    let scale2 = f64::from_bits((k_plus - half - 1) << 52);
    let v = y * scale1 * scale2;
    let v = if x > OVER { f64::INFINITY } else { v };
    let v = if x < UNDER { 0.0 } else { v };
    if x.is_nan() { x } else { v }
}

/// `ln x` for a positive normal `x` (the only values the callers pass), within one unit in the
/// last place. Zero, subnormal, negative and non-finite arguments give meaningless results.
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    const LG1: f64 = 6.666_666_666_666_735_130e-1;
    const LG2: f64 = 3.999_999_999_940_941_908e-1;
    const LG3: f64 = 2.857_142_874_366_239_149e-1;
    const LG4: f64 = 2.222_219_843_214_978_396e-1;
    const LG5: f64 = 1.818_357_216_161_805_012e-1;
    const LG6: f64 = 1.531_383_769_920_937_332e-1;
    const LG7: f64 = 1.479_819_860_511_658_591e-1;
    // The biased exponent as a double by way of its bits (an integer conversion would not
    // vectorise): 2^52 + e has e in its low bits.
    const TWO52: f64 = 4_503_599_627_370_496.0;
    let bits = x.to_bits();
    let e = f64::from_bits(TWO52.to_bits() | (bits >> 52)) - TWO52 - 1023.0;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    // m in [1, 2); above √2 take m/2 so that f = m − 1 lies in [√½ − 1, √2 − 1].
    let big = m > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * m } else { m };
    let k = e + if big { 1.0 } else { 0.0 };
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite doubles of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// A reproducible stream of uniform doubles in [0, 1).
    fn uniforms(seed: u64) -> impl Iterator<Item = f64> {
        let mut s = seed;
        std::iter::from_fn(move || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            Some((s >> 11) as f64 / (1u64 << 53) as f64)
        })
    }

    #[test]
    fn exp_is_within_one_ulp_of_the_standard_library() {
        let mut worst = 0;
        for (i, u) in uniforms(1).take(2_000_000).enumerate() {
            // Half the draws over the whole normal range, half within ±4 (where the cost
            // breakdown's differences of logs lie).
            let x = if i % 2 == 0 {
                -708.0 + u * (709.7 + 708.0)
            } else {
                -4.0 + 8.0 * u
            };
            worst = worst.max(ulps(exp(x), x.exp()));
        }
        assert!(worst <= 1, "exp off by {worst} ulp");
    }

    #[test]
    fn exp_special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(-746.0), 0.0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(710.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert!(ulps(exp(1.0), std::f64::consts::E) <= 1);
        assert_eq!(exp(std::f64::consts::LN_2), 2.0);
        // Results just inside both ends stay finite and positive, and agree with std.
        for x in [709.78, -708.39, -720.0, -745.0] {
            let (a, b) = (exp(x), x.exp());
            assert!(a.is_finite() && a >= 0.0, "{x}");
            assert!(
                (a - b).abs() <= b * 1e-12 || ulps(a, b) <= 2,
                "{x}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn ln_is_within_one_ulp_of_the_standard_library() {
        let mut worst = 0;
        for (i, u) in uniforms(2).take(2_000_000).enumerate() {
            // Half over the exponent range, half within [1, 4] (the breakdown's sums).
            let x = if i % 2 == 0 {
                (u * 1400.0 - 700.0).exp()
            } else {
                1.0 + 3.0 * u
            };
            worst = worst.max(ulps(ln(x), x.ln()));
        }
        assert!(worst <= 1, "ln off by {worst} ulp");
    }

    #[test]
    fn ln_special_values() {
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(2.0), std::f64::consts::LN_2);
        assert_eq!(ln(std::f64::consts::E), 1.0);
        assert_eq!(ln(f64::MAX), f64::MAX.ln());
        assert_eq!(ln(f64::MIN_POSITIVE), f64::MIN_POSITIVE.ln());
    }
}
