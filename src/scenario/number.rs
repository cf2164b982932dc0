//! Numbers as researchers write them: `2.5e17`, `"$250M"`, `"1.5B"`, and `"2 to 3"` intervals.

/// Parses a number written as text: an optional `$`, a decimal or scientific number (commas
/// and underscores as digit separators allowed), and an optional suffix K (1e3), M (1e6),
/// B or bn (1e9), T (1e12), case-insensitive.
pub fn parse_amount(text: &str) -> Option<f64> {
    let mut s = text.trim();
    let negative = s.starts_with('-');
    if negative {
        s = s[1..].trim_start();
    }
    s = s.strip_prefix('$').unwrap_or(s).trim_start();
    let lower = s.to_ascii_lowercase();
    let (digits, scale) = [("bn", 1e9), ("k", 1e3), ("m", 1e6), ("b", 1e9), ("t", 1e12)]
        .iter()
        .find_map(|(suffix, scale)| {
            lower
                .strip_suffix(suffix)
                .map(|d| (d.trim_end().to_string(), *scale))
        })
        .unwrap_or((lower.clone(), 1.0));
    let digits: String = digits.chars().filter(|c| *c != ',' && *c != '_').collect();
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
    {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    let v = v * scale;
    if !v.is_finite() {
        return None;
    }
    Some(if negative { -v } else { v })
}

/// Splits `"low to high"` into its two ends, if the text has that shape.
pub fn split_interval(text: &str) -> Option<(&str, &str)> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find(" to ")?;
    Some((text[..i].trim(), text[i + 4..].trim()))
}

/// A compact rendering of a number for people: `1.5e+17`, `250M`, `2.5`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_dollars_suffixes_and_separators() {
        assert_eq!(parse_amount("$250M"), Some(250e6));
        assert_eq!(parse_amount("1.5B"), Some(1.5e9));
        assert_eq!(parse_amount("2bn"), Some(2e9));
        assert_eq!(parse_amount("$10k"), Some(1e4));
        assert_eq!(parse_amount("3T"), Some(3e12));
        assert_eq!(parse_amount("1e25"), Some(1e25));
        assert_eq!(parse_amount("1,000,000"), Some(1e6));
        assert_eq!(parse_amount("-0.5"), Some(-0.5));
        assert_eq!(parse_amount(" 2.0 "), Some(2.0));
        for bad in [
            "", "$", "abc", "1.2.3", "1e", "M", "nan", "inf", "1e400", "frontier",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn intervals_split_on_to() {
        assert_eq!(split_interval("2 to 3"), Some(("2", "3")));
        assert_eq!(split_interval("$10K TO $1M"), Some(("$10K", "$1M")));
        assert_eq!(split_interval("2-3"), None);
    }

    #[test]
    fn formatting_for_people() {
        assert_eq!(format_dollars(4.6866e6), "$4.69M");
        assert_eq!(format_dollars(950.0), "$950");
        assert_eq!(format_dollars(1.2e9), "$1.2B");
        assert_eq!(format_dollars(1e6), "$1M");
        assert_eq!(format_dollars(250e6), "$250M");
        assert_eq!(format_number(1.5e17), "1.5e17");
        assert_eq!(format_number(2.5), "2.5");
    }
}
