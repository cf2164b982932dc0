/*!
Numbers for output: how every table, CSV file, message and chart label writes a number, a dollar
amount, a year, a percentage or a size. Parsing what people write is `scenario::number`'s.
*/

/// A compact rendering of a number for people: `1.5e17`, `2.5e8`, `2.5`, `0.001`.
pub fn format_number(v: f64) -> String {
    if v == 0.0 || (v.abs() >= 1e-3 && v.abs() < 1e6) {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        format_exponent(v)
    }
}

/// `v` in exponent form with at most four significant digits: `1.5e17`, `9.354e5`.
pub fn format_exponent(v: f64) -> String {
    let s = format!("{v:.3e}");
    // 1.500e17 -> 1.5e17
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.')),
        None => s,
    }
}

/// A dollar amount for people: `$950`, `$12.3K`, `$4.69M`, `$1.2B`, `$3.4T`, `$1.2e15`, and
/// below a cent as [`format_number`] writes it (`$0.005`, `$1e-11`), never `$0`.
pub fn format_dollars(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e15 || (a > 0.0 && a < 0.01) {
        return format!("${}", format_number(v));
    } else if a >= 1e12 {
        (v / 1e12, "T")
    } else if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "K")
    } else {
        (v, "")
    };
    let digits = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("${text}{suffix}")
}

/// The hexadecimal SHA-256 of `bytes` (a scenario's text, a partial's counts).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes for people: "2.7 GB", "350 MB".
pub fn format_bytes(b: u64) -> String {
    if b < 1000 {
        return format!("{b} bytes");
    }
    let b = b as f64;
    let (v, unit) = if b >= 1e12 {
        (b / 1e12, "TB")
    } else if b >= 1e9 {
        (b / 1e9, "GB")
    } else if b >= 1e6 {
        (b / 1e6, "MB")
    } else {
        (b / 1e3, "KB")
    };
    let rounded = if v >= 10.0 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    };
    format!("{} {unit}", format_number(rounded))
}

/// A count with thousands separators: `1234567` → `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Years are reported to 1e-6: the accumulators resolve 0.005 years, and a year that every
/// sample shares (deterministic inputs) is reported exactly, so closed forms can be checked.
pub fn round_year(y: f64) -> f64 {
    (y * 1e6).round() / 1e6
}

/// Dollar amounts and other values are reported to 6 significant digits (accumulators resolve
/// 0.4%): the number `format!("{x:.5e}")` writes, read back.
pub fn round_sig(x: f64) -> f64 {
    match SixDigits::of(x) {
        Some(d) => d.value(),
        None if x == 0.0 || !x.is_finite() => x,
        None => format!("{x:.5e}").parse().unwrap_or(x),
    }
}

/// [`round_sig`] as `{:e}` writes it: `1.23457e9`, `5e-3`.
pub fn sig_exp(x: f64) -> String {
    match SixDigits::of(x) {
        Some(d) => d.exp(),
        None => format!("{:e}", round_sig(x)),
    }
}

/// [`round_sig`] as `Display` writes it: `0.0123457`, `1234570`.
pub fn sig_plain(x: f64) -> String {
    match SixDigits::of(x) {
        Some(d) => d.plain(),
        None => round_sig(x).to_string(),
    }
}

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number rounded to six significant digits, `±digits · 10^k`, found without formatting it.
///
/// Why not format and parse, as the definition reads: that is most of the time spent writing
/// the CSV files (the browser engine writes them on every run). Scaling by an exact power of ten
/// is one correctly rounded operation, so the scaled value is within 0.6e-10 of the exact
/// one, and its nearest integer is the decimal rounding unless it lies within 1e-9 of a
/// half; and `digits · 10^k` is again one correctly rounded operation, which is what reading
/// the decimal gives. Where either does not hold (a near-tie, or |k| > 22) there is no
/// `SixDigits` and the callers format. Tested against the definition.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SixDigits {
    negative: bool,
    /// In `[100_000, 999_999]`.
    digits: u32,
    k: i32,
}

impl SixDigits {
    fn of(x: f64) -> Option<Self> {
        let a = x.abs();
        if !(a > 0.0 && a < f64::INFINITY) {
            return None;
        }
        // The leading digit's exponent, corrected below where the estimate is one off.
        let mut e = (crate::vecmath::ln(a) * std::f64::consts::LOG10_E).floor() as i32;
        for _ in 0..3 {
            let k = e - 5;
            if k.unsigned_abs() > 22 {
                return None;
            }
            let s = if k <= 0 {
                a * POW10[(-k) as usize]
            } else {
                a / POW10[k as usize]
            };
            if s < 1e5 {
                e -= 1;
            } else if s > 1e6 {
                e += 1;
            } else {
                if (s - s.floor() - 0.5).abs() < 1e-9 {
                    return None;
                }
                let r = s.round() as u32;
                let (digits, k) = if r == 1_000_000 {
                    (100_000, k + 1)
                } else {
                    (r, k)
                };
                if k.unsigned_abs() > 22 {
                    return None;
                }
                return Some(Self {
                    negative: x < 0.0,
                    digits,
                    k,
                });
            }
        }
        None
    }

    fn value(self) -> f64 {
        let m = f64::from(self.digits);
        let v = if self.k >= 0 {
            m * POW10[self.k as usize]
        } else {
            m / POW10[(-self.k) as usize]
        };
        if self.negative { -v } else { v }
    }

    /// The significant digits without trailing zeros, and the leading one's exponent.
    fn shortest(self) -> (String, i32) {
        let mut d = self.digits;
        while d.is_multiple_of(10) {
            d /= 10;
        }
        (d.to_string(), self.k + 5)
    }

    fn exp(self) -> String {
        let (digits, e) = self.shortest();
        let sign = if self.negative { "-" } else { "" };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{sign}{first}{dot}{rest}e{e}")
    }

    fn plain(self) -> String {
        let (digits, e) = self.shortest();
        let sign = if self.negative { "-" } else { "" };
        let n = digits.len() as i32;
        if e < 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-e - 1) as usize))
        } else if e + 1 >= n {
            format!("{sign}{digits}{}", "0".repeat((e + 1 - n) as usize))
        } else {
            let (int, frac) = digits.split_at((e + 1) as usize);
            format!("{sign}{int}.{frac}")
        }
    }
}

/// A year, or a span of years, in a label: a whole one as `2042`, any other to two decimals at
/// most (`2041.6`, `2040.25`), so a fractional horizon or reporting year is not shown as the
/// next whole year.
pub fn year_label(y: f64) -> String {
    let r = (y * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.2}").trim_end_matches('0').to_string()
    }
}

/// A year in a CSV cell: rounded by [`round_year`]; empty for "not by the horizon".
pub fn year_cell(y: Option<f64>) -> String {
    y.map(|y| round_year(y).to_string()).unwrap_or_default()
}

/// A probability as a percentage to one decimal: 0.372 → `37.2%`. Never rounded to a certainty
/// it is not: 0.99975 → `>99.9%`, 0.00004 → `<0.1%`.
pub fn percent(p: f64) -> String {
    percent_to(p, 1)
}

/// A probability as a whole percentage, `–` when there is none: 0.372 → `37%`. Never rounded to
/// a certainty it is not: 0.9979 → `>99%`, 0.0003 → `<1%`.
pub fn whole_percent(p: Option<f64>) -> String {
    p.map_or("–".into(), |v| percent_to(v, 0))
}

/// A probability as a percentage to `decimals` decimals (0 or 1), except where that would round
/// it to 0% or 100% without being so: then `<` or `>` the nearest step that is not.
fn percent_to(p: f64, decimals: usize) -> String {
    // Half a step from 0 and from 1, as probabilities: where rounding would reach them.
    let (step, low, high) = if decimals == 0 {
        (1.0, 0.005, 0.995)
    } else {
        (0.1, 0.0005, 0.9995)
    };
    if p > 0.0 && p < low {
        format!("<{step:.decimals$}%")
    } else if (high..1.0).contains(&p) {
        format!(">{:.decimals$}%", 100.0 - step)
    } else {
        format!("{:.decimals$}%", 100.0 * p)
    }
}

/// A fraction as a percentage in [`format_number`]'s digits: 0.3 → `30%`, 0.025 → `2.5%`.
pub fn percent_number(x: f64) -> String {
    format!("{}%", format_number(x * 100.0))
}

/// A percentage (already in percent) for chart labels: `37%`, `0.4%`, `<0.1%`.
pub fn percent_label(p: f64) -> String {
    if p < 0.1 {
        "<0.1%".into()
    } else if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// A share (already in percent) to whole points, except near the ends, where rounding would
/// claim 0% or 100%: `37%`, `0.3%`, `99.7%`.
pub fn share_label(p: f64) -> String {
    if (p > 0.0 && p < 0.5) || (p > 99.5 && p < 100.0) {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_never_round_to_a_certainty_they_are_not() {
        for (p, one, whole) in [
            (0.0, "0.0%", "0%"),
            (0.00004, "<0.1%", "<1%"),
            (0.0003, "<0.1%", "<1%"),
            (0.0005, "0.1%", "<1%"),
            (0.372, "37.2%", "37%"),
            (0.9979, "99.8%", ">99%"),
            (0.99975, ">99.9%", ">99%"),
            (1.0, "100.0%", "100%"),
        ] {
            assert_eq!(percent(p), one, "{p}");
            assert_eq!(whole_percent(Some(p)), whole, "{p}");
        }
    }

    #[test]
    fn a_year_label_is_the_year_to_two_decimals_at_most() {
        for (y, want) in [
            (2042.0, "2042"),
            (2041.6, "2041.6"),
            (2040.25, "2040.25"),
            (2031.4958904, "2031.5"),
            (2041.999, "2042"),
            (8.6, "8.6"),
            (-0.5, "-0.5"),
        ] {
            assert_eq!(year_label(y), want, "{y}");
        }
    }

    /// What [`round_sig`], [`sig_exp`] and [`sig_plain`] are defined to be.
    fn by_formatting(x: f64) -> (f64, String, String) {
        let r = if x == 0.0 || !x.is_finite() {
            x
        } else {
            format!("{x:.5e}").parse().unwrap()
        };
        (r, format!("{r:e}"), r.to_string())
    }

    fn check_six_digits(x: f64) {
        let (r, exp, plain) = by_formatting(x);
        assert_eq!(round_sig(x).to_bits(), r.to_bits(), "{x:e}");
        assert_eq!(sig_exp(x), exp, "{x:e}");
        assert_eq!(sig_plain(x), plain, "{x:e}");
    }

    #[test]
    fn six_digits_without_formatting_are_the_formatted_ones() {
        let mut s = 7u64;
        let mut uniform = || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut fast = 0;
        for i in 0..400_000 {
            let u = uniform();
            let x = match i % 4 {
                // Every magnitude a double has, both signs.
                0 => (u * 1400.0 - 700.0).exp() * if uniform() < 0.5 { -1.0 } else { 1.0 },
                // Where the outputs are: shares, dollars, FLOP.
                1 => 10f64.powf(u * 40.0 - 12.0),
                // Ties and near-ties: six digits and a 5, exactly or one ulp off.
                2 => {
                    let m = (1_000_000.0 + u * 8_999_999.0).floor() * 10.0 + 5.0;
                    let x = m * 10f64.powi((uniform() * 30.0) as i32 - 15);
                    match i % 3 {
                        0 => x,
                        1 => x.next_up(),
                        _ => x.next_down(),
                    }
                }
                // Short decimals and integers, around powers of ten.
                _ => {
                    let p = 10f64.powi((u * 44.0) as i32 - 22);
                    [
                        p,
                        p.next_down(),
                        p.next_up(),
                        9.999995 * p,
                        0.5 * p,
                        1.5 * p,
                    ][i % 6]
                }
            };
            if SixDigits::of(x).is_some() {
                fast += 1;
            }
            check_six_digits(x);
        }
        for x in [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ]
        .into_iter()
        .chain([
            5e-324,
            f64::MAX,
            1.0,
            999_999.5,
            1_234_565.0,
            0.125,
            1e22,
            1e23,
            1e-22,
        ]) {
            check_six_digits(x);
        }
        // The fast path is taken wherever it may be (not for the 93% of the first kind beyond
        // 10^±22 or for the exact ties), or the test would not test it.
        assert!(fast > 250_000, "{fast}");
    }

    #[test]
    fn numbers_and_dollars_for_people() {
        assert_eq!(format_dollars(4.6866e6), "$4.69M");
        assert_eq!(format_dollars(950.0), "$950");
        assert_eq!(format_dollars(1.2e9), "$1.2B");
        assert_eq!(format_dollars(1e6), "$1M");
        assert_eq!(format_dollars(250e6), "$250M");
        // Below a cent: never `$0`, so that tiny amounts stay apart.
        assert_eq!(format_dollars(0.05), "$0.05");
        assert_eq!(format_dollars(0.005), "$0.005");
        assert_eq!(format_dollars(1e-11), "$1e-11");
        assert_eq!(format_dollars(0.0), "$0");
        assert_eq!(format_number(1.5e17), "1.5e17");
        assert_eq!(format_number(250e6), "2.5e8");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(0.001), "0.001");
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(format_bytes(2_700_000_000), "2.7 GB");
        assert_eq!(format_bytes(350_400_000), "350 MB");
        // Below a kilobyte, in bytes (`--max-memory 1` said "0 KB").
        assert_eq!(format_bytes(1), "1 bytes");
        assert_eq!(format_bytes(999), "999 bytes");
        assert_eq!(format_bytes(1000), "1 KB");
    }

    #[test]
    fn rounding() {
        assert_eq!(round_year(2_031.234_567_89), 2031.234568);
        assert_eq!(round_sig(46_866_123.4), 46_866_100.0);
        assert_eq!(round_sig(1.234_567_89e30), 1.234_57e30);
        assert_eq!(year_cell(Some(2_031.234_567_89)), "2031.234568");
        assert_eq!(year_cell(None), "");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.372), "37.2%");
        assert_eq!(whole_percent(Some(0.372)), "37%");
        assert_eq!(whole_percent(None), "–");
        assert_eq!(percent_number(0.3), "30%");
        assert_eq!(percent_number(0.025), "2.5%");
        assert_eq!(percent_label(37.2), "37%");
        assert_eq!(percent_label(0.4), "0.4%");
        assert_eq!(percent_label(0.04), "<0.1%");
        assert_eq!(share_label(37.2), "37%");
        assert_eq!(share_label(0.3), "0.3%");
        assert_eq!(share_label(99.7), "99.7%");
        assert_eq!(share_label(0.0), "0%");
    }
}
