//! `compare`'s budget flags: `--budgets`, `--budgets-range`, `--per-decade` and `--every`, parsed
//! and checked here, with the messages that name them.

use super::{CompareArgs, Failure};
use crate::compare;
use crate::format::format_dollars;
use crate::scenario::number::parse_amount;

/// The budget thresholds the flags ask for (`None`: compare scenarios), checked together with
/// `--every` and `--per-decade`.
pub(super) fn thresholds(args: &CompareArgs) -> Result<Option<Vec<f64>>, Failure> {
    let thresholds = match (&args.budgets, &args.budgets_range) {
        (Some(_), Some(_)) => {
            return Err(Failure::BadInput(
                "give --budgets or --budgets-range, not both".into(),
            ));
        }
        (Some(list), None) => Some(parse_budgets(list).map_err(Failure::BadInput)?),
        (None, Some(range)) => {
            Some(budget_range(range, args.per_decade.unwrap_or(4)).map_err(Failure::BadInput)?)
        }
        (None, None) => None,
    };
    let every = every(args);
    if !(every > 0.0) {
        return Err(Failure::BadInput(format!(
            "--every must be a positive number of years, got {every}"
        )));
    }
    if thresholds.is_none() && (args.every.is_some() || args.per_decade.is_some()) {
        return Err(Failure::BadInput(
            "--every and --per-decade apply to budget thresholds (--budgets or --budgets-range), not to comparing scenarios".into(),
        ));
    }
    if let (Some(per_decade), Some(thresholds)) = (args.per_decade, &thresholds) {
        let (lo, hi) = compare::heatmap_bounds(thresholds);
        let steps = compare::log_grid_steps(lo, hi, per_decade);
        if steps > compare::MAX_HEATMAP_STEPS {
            return Err(Failure::BadInput(format!(
                "--per-decade {per_decade}: the heat map's budgets from {} to {} (a decade beyond the thresholds) would be {steps}, more than {}; give fewer per decade",
                format_dollars(lo),
                format_dollars(hi),
                compare::MAX_HEATMAP_STEPS
            )));
        }
    }
    Ok(thresholds)
}

/// Years between the P(cost ≤ budget) columns (`--every`, 5 by default).
pub(super) fn every(args: &CompareArgs) -> f64 {
    args.every.unwrap_or(5.0)
}

/// The reporting years of the P(cost ≤ budget) columns, as indices into `years`.
pub(super) fn probability_years(years: &[f64], every: f64) -> Result<Vec<usize>, Failure> {
    compare::probability_years(years, every).map_err(|step| {
        Failure::BadInput(format!(
            "--every {every}: must be a whole multiple of the scenario's reporting step ({step} years)"
        ))
    })
}

/// Parses `--budgets 100K,1M,$10M`: positive dollar amounts, at least one.
fn parse_budgets(list: &str) -> Result<Vec<f64>, String> {
    let mut out = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!(
                "--budgets \"{list}\": an empty entry; write positive amounts separated by commas, e.g. 100K,1M,10M"
            ));
        }
        match parse_amount(item) {
            Some(v) if v > 0.0 => out.push(v),
            Some(v) => {
                let hint = if item.len() == 3 && item.chars().all(|c| c.is_ascii_digit()) {
                    "; commas separate budgets, so write 1000000 or 1M rather than 1,000,000"
                } else {
                    ""
                };
                return Err(format!(
                    "--budgets: {item} is not positive (got {v}); budgets must be above zero{hint}"
                ));
            }
            None => {
                return Err(format!(
                    "--budgets: \"{item}\" is not an amount; write e.g. 250000, 1e6, $10M or 1.5B"
                ));
            }
        }
    }
    compare::sort_dedup(&mut out);
    Ok(out)
}

/// Parses `--budgets-range 1e3:1e10`: a log-spaced grid with `per_decade` points per decade.
fn budget_range(spec: &str, per_decade: u32) -> Result<Vec<f64>, String> {
    let bad = || {
        format!(
            "--budgets-range \"{spec}\": write LOW:HIGH with 0 < LOW < HIGH, e.g. 1e3:1e10 or 10K:1B"
        )
    };
    let (lo, hi) = spec.split_once(':').ok_or_else(bad)?;
    let (lo, hi) = (
        parse_amount(lo).ok_or_else(bad)?,
        parse_amount(hi).ok_or_else(bad)?,
    );
    if !(lo > 0.0 && hi > lo) {
        return Err(bad());
    }
    if per_decade == 0 {
        return Err("--per-decade must be at least 1".into());
    }
    let steps = compare::log_grid_steps(lo, hi, per_decade);
    if steps > 400 {
        return Err(format!(
            "--budgets-range \"{spec}\": {steps} budgets is too many; use a narrower range or fewer per decade"
        ));
    }
    Ok(compare::log_grid(lo, hi, per_decade))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_lists_and_ranges() {
        assert_eq!(
            parse_budgets("100K,1M, $10M,1B").unwrap(),
            vec![1e5, 1e6, 1e7, 1e9]
        );
        assert!(parse_budgets("").unwrap_err().contains("empty entry"));
        assert!(parse_budgets("1M,,2M").unwrap_err().contains("empty entry"));
        assert!(parse_budgets("-5").unwrap_err().contains("not positive"));
        assert!(parse_budgets("0").unwrap_err().contains("not positive"));
        assert!(parse_budgets("lots").unwrap_err().contains("not an amount"));
        let r = budget_range("1e3:1e5", 4).unwrap();
        assert_eq!(r.len(), 9);
        assert_eq!(r[0], 1e3);
        assert_eq!(r[4], 1e4);
        assert_eq!(r[1], 1.78e3);
        assert!(budget_range("1e5:1e3", 4).is_err());
        assert!(budget_range("0:1e3", 4).is_err());
        assert!(budget_range("1e3", 4).is_err());
    }
}
