//! Numbers as researchers write them: `2.5e17`, `"$250M"`, `"1.5B"`, `"2 to 3"` intervals and dates.
//! Parsing only: how outputs write numbers is `crate::format`'s.

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
    if !separators_are_grouping(&digits) {
        return None;
    }
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

/// Whether the digit separators of `digits` (a number without its sign, `$` and suffix) only
/// group digits: an underscore between two digits, and commas only in the whole part, every
/// group after the first three digits long (`1,000,000`). Anything else is refused rather than
/// dropped: `"1,5"` is a European 1.5, not 15.
fn separators_are_grouping(digits: &str) -> bool {
    let b = digits.as_bytes();
    let underscores_ok = b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || (i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
    });
    if !underscores_ok {
        return false;
    }
    if !digits.contains(',') {
        return true;
    }
    let whole = digits.split(['.', 'e']).next().unwrap_or("");
    if digits.len() > whole.len() && digits[whole.len()..].contains(',') {
        return false;
    }
    let whole = whole.trim_start_matches(['+', '-']).replace('_', "");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

/// Splits `"low to high"` (or `"low to high @ 95%"`) into its two ends and the text of its
/// level after `@`, if the text has that shape.
pub fn split_interval(text: &str) -> Option<(&str, &str, Option<&str>)> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find(" to ")?;
    let rest = &text[i + 4..];
    match rest.find('@') {
        Some(at) => Some((
            text[..i].trim(),
            rest[..at].trim(),
            Some(rest[at + 1..].trim()),
        )),
        None => Some((text[..i].trim(), rest.trim(), None)),
    }
}

/// The level of an interval written after `@`: `"95%"` is 0.95. Levels from 50% to 99.9%.
pub fn parse_level(text: &str) -> Option<f64> {
    let digits = text.strip_suffix('%')?.trim();
    let v: f64 = digits.parse().ok()?;
    (50.0..=99.9).contains(&v).then_some(v / 100.0)
}

/// A calendar date `YYYY-MM` or `YYYY-MM-DD` as a fractional year: the start of that month or
/// day, `year + (day of year − 1) / days in the year` (`"2024-07"` is 2024 + 182/366 ≈ 2024.497).
pub fn parse_date(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = match parts.as_slice() {
        [y, m] => (num(y, 4)?, num(m, 2)?, 1),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let lengths = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day < 1 || day > lengths[month as usize - 1] {
        return None;
    }
    let before: u32 = lengths[..month as usize - 1].iter().sum();
    let days_in_year = if leap { 366.0 } else { 365.0 };
    Some(f64::from(year) + f64::from(before + day - 1) / days_in_year)
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
        assert_eq!(parse_amount("$1,500.5M"), Some(1500.5e6));
        assert_eq!(parse_amount("12,345"), Some(12345.0));
        assert_eq!(parse_amount("1_000_000"), Some(1e6));
        assert_eq!(parse_amount("+100,000"), Some(1e5));
        assert_eq!(parse_amount("$-100,000"), Some(-1e5));
        for bad in [
            "", "$", "abc", "1.2.3", "1e", "M", "nan", "inf", "1e400", "frontier",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        // Separators that do not group digits are refused, not dropped: "1,5" is a
        // European 1.5, which read as 15 would be ten times too large.
        for bad in [
            "1,5",
            "$2,5M",
            "1,,000",
            ",1000",
            "1000,",
            "1_000_",
            "_1000",
            "1__000",
            "1,0000",
            "1.000,5",
            "1e1,000",
            "10000,000",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_the_start_of_their_month_or_day() {
        assert_eq!(parse_date("2024-01"), Some(2024.0));
        assert_eq!(parse_date("2024-07"), Some(2024.0 + 182.0 / 366.0));
        assert_eq!(parse_date("2023-07-01"), Some(2023.0 + 181.0 / 365.0));
        assert_eq!(parse_date("2023-12-31"), Some(2023.0 + 364.0 / 365.0));
        for bad in [
            "2024",
            "2024-13",
            "2023-02-29",
            "24-07",
            "2024-7",
            "2024-07-1x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(2024.0 + 59.0 / 366.0));
    }

    #[test]
    fn interval_levels() {
        assert_eq!(
            split_interval("5 to 14 @ 95%"),
            Some(("5", "14", Some("95%")))
        );
        assert_eq!(parse_level("95%"), Some(0.95));
        assert_eq!(parse_level("95"), None);
        assert_eq!(parse_level("40%"), None);
    }

    #[test]
    fn intervals_split_on_to() {
        assert_eq!(split_interval("2 to 3"), Some(("2", "3", None)));
        assert_eq!(split_interval("$10K TO $1M"), Some(("$10K", "$1M", None)));
        assert_eq!(split_interval("2-3"), None);
    }
}
