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
        let s = format!("{v:.3e}");
        // 1.500e17 -> 1.5e17
        match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.')),
            None => s,
        }
    }
}

/// A dollar amount for people: `$950`, `$12.3K`, `$4.69M`, `$1.2B`, `$3.4T`, `$1.2e15`.
pub fn format_dollars(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = if a >= 1e15 {
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

/// Bytes for people: "2.7 GB", "350 MB".
pub fn format_bytes(b: u64) -> String {
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

/// Dollar amounts and other values are reported to 6 significant digits (accumulators resolve 0.4%).
pub fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// A year in a CSV cell: rounded by [`round_year`]; empty for "not by the horizon".
pub fn year_cell(y: Option<f64>) -> String {
    y.map(|y| round_year(y).to_string()).unwrap_or_default()
}

/// A probability as a percentage to one decimal: 0.372 → `37.2%`.
pub fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// A probability as a whole percentage, `–` when there is none: 0.372 → `37%`.
pub fn whole_percent(p: Option<f64>) -> String {
    p.map_or("–".into(), |v| format!("{:.0}%", 100.0 * v))
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
    fn numbers_and_dollars_for_people() {
        assert_eq!(format_dollars(4.6866e6), "$4.69M");
        assert_eq!(format_dollars(950.0), "$950");
        assert_eq!(format_dollars(1.2e9), "$1.2B");
        assert_eq!(format_dollars(1e6), "$1M");
        assert_eq!(format_dollars(250e6), "$250M");
        assert_eq!(format_number(1.5e17), "1.5e17");
        assert_eq!(format_number(250e6), "2.5e8");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(0.001), "0.001");
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(format_bytes(2_700_000_000), "2.7 GB");
        assert_eq!(format_bytes(350_400_000), "350 MB");
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
