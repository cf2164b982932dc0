//! Likely unit mistakes: values a scenario may mean but probably does not (a growth rate of 0.3
//! written for +30% a year, a doubling time in months, a share written as a percentage number).
//! They are warnings, located like errors, never refusals: each could be meant.

use std::ops::Range;

use super::error::{ScenarioError, Source};
use crate::format::{format_number, percent_number};

/// A quantity as written: its dotted name, where its value is, and its 5th and 95th percentiles
/// (both the value when it is fixed).
#[derive(Debug, Clone)]
pub(super) struct Written {
    pub name: String,
    pub span: Range<usize>,
    pub p5: f64,
    pub p95: f64,
}

/// The last part of a dotted name (`actor."Big tech".growth_per_year` → `growth_per_year`) and
/// its first (`actor`).
fn ends(name: &str) -> (&str, &str) {
    let first = name.split('.').next().unwrap_or(name);
    let last = name.rsplit('.').next().unwrap_or(name);
    (first, last)
}

/// The warnings about `quantities`.
pub(super) fn unit_warnings(src: &Source, quantities: &[Written]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    for q in quantities {
        // A growth written as a percentage ("-30%") says what it means: nothing to warn about.
        if src
            .text
            .get(q.span.clone())
            .is_some_and(|t| t.contains('%'))
        {
            continue;
        }
        if let Some(message) = warning(q) {
            out.push(src.error(&q.span, &q.name, message));
        }
    }
    out
}

fn warning(q: &Written) -> Option<String> {
    let (first, last) = ends(&q.name);
    let shown = if q.p5 == q.p95 {
        format_number(q.p5)
    } else {
        format!("{} to {}", format_number(q.p5), format_number(q.p95))
    };
    match last {
        // Price-performance and algorithmic efficiency have only ever grown.
        "growth_per_year" if matches!(first, "hardware" | "algorithms") && q.p95 < 1.0 => {
            let what = if first == "hardware" {
                "FLOP per dollar"
            } else {
                "algorithmic efficiency"
            };
            Some(format!(
                "{shown} is a yearly factor: {what} would fall to {} of itself every year. If you meant growth of {} a year, write {} (or \"+{}\")",
                percent_number(q.p95),
                percent_number(q.p95),
                format_number(1.0 + q.p95),
                percent_number(q.p95)
            ))
        }
        // Spend, budgets, wages and stocks that shrink by more than a quarter every year.
        "growth_per_year" | "gwp_growth_per_year" | "stock_growth_per_year"
            if (matches!(first, "investment" | "actor")
                || q.name == "costs.staff.growth_per_year"
                || last == "stock_growth_per_year")
                && q.p95 < 0.75 =>
        {
            Some(format!(
                "{shown} is a yearly factor: the quantity would shrink to {} of itself every year. If you meant growth of {} a year, write {} (or \"+{}\")",
                percent_number(q.p95),
                percent_number(q.p95),
                format_number(1.0 + q.p95),
                percent_number(q.p95)
            ))
        }
        // A hardware doubling or algorithmic halving time of a dozen years or more reads like
        // months (budgets and spend may well double that slowly).
        "doubling_time_years" | "halving_time_years" | "own_halving_time_years"
            if matches!(first, "hardware" | "algorithms" | "actor")
                && (first != "actor" || last == "own_halving_time_years")
                && q.p5 >= 12.0 =>
        {
            Some(format!(
                "{shown} years; if you meant {shown} months, write {} years",
                if q.p5 == q.p95 {
                    format_number(q.p5 / 12.0)
                } else {
                    format!(
                        "\"{} to {}\"",
                        format_number(q.p5 / 12.0),
                        format_number(q.p95 / 12.0)
                    )
                }
            ))
        }
        "max_fraction_of_gwp" if q.p95 >= 0.1 => Some(format!(
            "{shown} ({}) of gross world product on one training run; a share is a fraction (1% is 0.01)",
            percent_number(q.p95)
        )),
        _ => None,
    }
}

/// A growth written as a signed percentage or a percentage a year (`"+30%"`, `"-10%"`,
/// `"30%/yr"`, `"+30% a year"`, `"5% per year"`) as a yearly factor (1.3, 0.9, …); `None` for any
/// other text, and for -100% or less (no factor). A bare `"30%"` is not read: it could mean a
/// factor 0.3.
pub fn parse_growth_percent(text: &str) -> Option<f64> {
    let factor = 1.0 + growth_percent(text)? / 100.0;
    (factor.is_finite() && factor > 0.0).then_some(factor)
}

/// The percentage of a growth written as [`parse_growth_percent`] reads one (`"-10%"` is -10),
/// whatever its value.
pub fn growth_percent(text: &str) -> Option<f64> {
    let mut s = text.trim();
    let mut per_year = false;
    for suffix in ["/yr", "/year", "per year", "a year", "/y"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            per_year = true;
            break;
        }
    }
    let digits = s.strip_suffix('%')?.trim_end();
    let signed = digits.starts_with('+') || digits.starts_with('-');
    if !(signed || per_year) {
        return None;
    }
    let body = digits.trim_start_matches('+');
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
    {
        return None;
    }
    body.parse().ok()
}

/// Whether `text` is a bare percentage (`"30%"`), which a growth key does not read.
pub fn is_bare_percent(text: &str) -> bool {
    let t = text.trim();
    t.strip_suffix('%').is_some_and(|d| {
        let d = d.trim();
        !d.starts_with(['+', '-']) && d.parse::<f64>().is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_percentages_read_as_factors_only_when_unambiguous() {
        assert_eq!(parse_growth_percent("+30%"), Some(1.3));
        assert_eq!(parse_growth_percent("30%/yr"), Some(1.3));
        assert_eq!(parse_growth_percent("+30% a year"), Some(1.3));
        assert_eq!(parse_growth_percent("5% per year"), Some(1.05));
        assert_eq!(parse_growth_percent("-10%"), Some(0.9));
        assert_eq!(parse_growth_percent("-10%/year"), Some(0.9));
        assert_eq!(parse_growth_percent("30%"), None, "bare: could mean 0.3");
        assert_eq!(parse_growth_percent("-100%"), None, "a factor 0");
        assert_eq!(parse_growth_percent("-150%/yr"), None);
        assert_eq!(parse_growth_percent("+abc%"), None);
        assert_eq!(parse_growth_percent("1.3"), None);
        assert!(is_bare_percent("30%") && is_bare_percent(" 2.5% "));
        assert!(!is_bare_percent("+30%/yr") && !is_bare_percent("%"));
        assert!(!is_bare_percent("+30%") && !is_bare_percent("-5%"));
    }

    fn written(name: &str, p5: f64, p95: f64) -> Written {
        Written {
            name: name.into(),
            span: 0..1,
            p5,
            p95,
        }
    }

    #[test]
    fn likely_unit_mistakes_warn_and_plausible_values_do_not() {
        let warns = |name: &str, p5: f64, p95: f64| warning(&written(name, p5, p95)).is_some();
        assert!(warns("hardware.growth_per_year", 0.3, 0.3));
        assert!(warns("hardware.regime[2].growth_per_year", 0.2, 0.4));
        assert!(!warns("hardware.growth_per_year", 0.9, 1.2));
        assert!(warns("investment.growth_per_year", 0.3, 0.3));
        assert!(warns("actor.\"Big tech\".growth_per_year", 0.2, 0.5));
        assert!(
            !warns("actor.\"Big tech\".growth_per_year", 0.8, 0.9),
            "a slow decline"
        );
        assert!(warns("costs.staff.growth_per_year", 0.05, 0.05));
        assert!(
            !warns("costs.data.growth_per_year", 0.5, 0.7),
            "data prices may fall"
        );
        assert!(warns("hardware.doubling_time_years", 18.0, 18.0));
        assert!(warns("actor.\"Lab\".own_halving_time_years", 18.0, 18.0));
        assert!(
            !warns("actor.\"Lab\".doubling_time_years", 14.0, 14.0),
            "a budget may double every 14 years"
        );
        assert!(!warns("investment.doubling_time_years", 14.0, 14.0));
        assert!(!warns("hardware.doubling_time_years", 4.0, 6.0));
        assert!(warns("investment.max_fraction_of_gwp", 1.0, 1.0));
        assert!(!warns("investment.max_fraction_of_gwp", 0.001, 0.01));
        let m = warning(&written("hardware.doubling_time_years", 18.0, 18.0)).unwrap();
        assert!(m.contains("write 1.5 years"), "{m}");
        let m = warning(&written("investment.growth_per_year", 0.3, 0.3)).unwrap();
        assert!(m.contains("write 1.3") && m.contains("+30%"), "{m}");
    }
}
