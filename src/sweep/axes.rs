//! The axes of a sweep as written on the command line: `--grid KEY=V1,V2,…` (or, for values
//! with commas in them, a TOML array `--grid 'KEY=["2 to 3", "3 to 4"]'`) and
//! `--lhs KEY=LOW:HIGH`. KEY is a dotted key as `--set` takes it; its syntax is checked here, its
//! place in the scenario when the points are made.

use toml::de::{DeTable, DeValue};

use super::SweepError;
use crate::scenario::Override;
use crate::scenario::number::parse_amount;

/// The most points a sweep may have. Each point is a whole run of the scenario (10,000 points of
/// the default 100,000 samples are already 10⁹ samples) and writes its own copy of the
/// scenario; a larger design is better split into several sweeps (or run point by point
/// through the library, e.g. on a cluster).
pub const MAX_POINTS: u64 = 10_000;

/// One swept key and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// `--grid KEY=V1,V2,…`: the key takes each value in turn.
    Grid {
        /// The argument as given, for messages.
        arg: String,
        /// One override per value, in the order given.
        values: Vec<Override>,
    },
    /// `--lhs KEY=LOW:HIGH`: the key is sampled in `[LOW, HIGH]` by a Latin hypercube.
    Lhs {
        /// The argument as given, for messages.
        arg: String,
        /// The key, with a placeholder value (`KEY=0`).
        key: Override,
        /// Lower end of the range.
        low: f64,
        /// Upper end of the range (above `low`).
        high: f64,
        /// `LOW:HIGH:log`: strata equal in the logarithm (for budgets, FLOP, prices spanning
        /// decades); else equal in the value.
        log: bool,
    },
}

impl Axis {
    /// Reads `--grid KEY=V1,V2,…`: values separated by commas, or a TOML array
    /// (`KEY=[1.5, "2 to 3"]`) when a value has a comma in it. Each value is read as `--set`
    /// reads one (a TOML value, else a string).
    pub fn grid(arg: &str) -> Result<Self, SweepError> {
        let flag = "--grid";
        let (probe, list) = split(flag, arg)?;
        let bad = |m: String| SweepError::Argument(format!("{flag} {arg}: {m}"));
        let texts = if list.starts_with('[') {
            toml_array(list).map_err(bad)?
        } else {
            list.split(',').map(|v| v.trim().to_string()).collect()
        };
        if texts.is_empty() {
            return Err(bad("the list of values is empty".into()));
        }
        let mut values = Vec::with_capacity(texts.len());
        for (i, v) in texts.iter().enumerate() {
            if v.is_empty() {
                return Err(bad(format!(
                    "value {} of the list is empty (values are separated by commas; for a value with a comma in it, give a TOML array: KEY='[\"a, b\", \"c\"]')",
                    i + 1
                )));
            }
            let o = Override::parse(&format!("{}={v}", probe.key())).map_err(bad)?;
            values.push(o);
        }
        Ok(Axis::Grid {
            arg: arg.to_string(),
            values,
        })
    }

    /// Reads `--lhs KEY=LOW:HIGH[:log]`: two numbers (`$` and K/M/B/T allowed, as in a
    /// scenario) with LOW below HIGH, and `log` for strata equal in the logarithm (LOW above 0).
    pub fn lhs(arg: &str) -> Result<Self, SweepError> {
        let flag = "--lhs";
        let (key, range) = split(flag, arg)?;
        let bad = |m: String| SweepError::Argument(format!("{flag} {arg}: {m}"));
        let ends: Vec<&str> = range.split(':').map(str::trim).collect();
        let (low, high, log) = match ends[..] {
            [low, high] => (low, high, false),
            [low, high, scale] if scale.eq_ignore_ascii_case("log") => (low, high, true),
            [_, _, scale] => {
                return Err(bad(format!(
                    "\"{scale}\" is not a scale: after LOW:HIGH, only `log` (strata equal in the logarithm) may follow"
                )));
            }
            _ => {
                return Err(bad(
                    "expected KEY=LOW:HIGH, two numbers separated by `:` (and `:log` for strata equal in the logarithm), e.g. hardware.doubling_time_years=1.5:3".into(),
                ));
            }
        };
        let number = |s: &str, what: &str| {
            parse_amount(s).ok_or_else(|| bad(format!("{what} \"{s}\" is not a number")))
        };
        let (lo, hi) = (number(low, "LOW")?, number(high, "HIGH")?);
        if !(hi > lo) {
            return Err(bad(format!("LOW must be below HIGH, got {low} and {high}")));
        }
        if log && lo <= 0.0 {
            return Err(bad(format!(
                "a log scale needs LOW above 0, got {low}: its strata are equal in the logarithm"
            )));
        }
        Ok(Axis::Lhs {
            arg: arg.to_string(),
            key,
            low: lo,
            high: hi,
            log,
        })
    }

    /// The argument as written, with its flag: `--grid KEY=…`.
    pub fn arg(&self) -> String {
        match self {
            Axis::Grid { arg, .. } => format!("--grid {arg}"),
            Axis::Lhs { arg, .. } => format!("--lhs {arg}"),
        }
    }

    /// An override of the axis's key (any value), to compare keys.
    pub(super) fn probe(&self) -> &Override {
        match self {
            Axis::Grid { values, .. } => &values[0],
            Axis::Lhs { key, .. } => key,
        }
    }

    /// The dotted key as given.
    pub fn key(&self) -> &str {
        self.probe().key()
    }
}

/// Splits `KEY=REST`: the key (checked as `--set` checks it, with a placeholder value) and the
/// text after `=`, trimmed and not empty.
fn split<'a>(flag: &str, arg: &'a str) -> Result<(Override, &'a str), SweepError> {
    let bad = |m: String| SweepError::Argument(format!("{flag} {arg}: {m}"));
    let empty = || bad("nothing after `=`: give the values to sweep".into());
    let probe = match Override::parse(arg) {
        Ok(o) => o,
        Err(_) if arg.trim_end().ends_with('=') && Override::parse(&format!("{arg}0")).is_ok() => {
            return Err(empty());
        }
        Err(e) => return Err(bad(e)),
    };
    let rest = arg.trim_start()[probe.key().len()..].trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    if rest.is_empty() {
        return Err(empty());
    }
    Ok((probe, rest))
}

/// The elements of a TOML array, each as written.
fn toml_array(text: &str) -> Result<Vec<String>, String> {
    let doc = format!("v = {text}\n");
    let root = DeTable::parse(&doc).map_err(|e| {
        format!(
            "a list that starts with `[` is read as a TOML array: {}",
            e.message()
        )
    })?;
    let Some((_, v)) = root.get_ref().iter().next() else {
        return Err("not a TOML array".into());
    };
    match v.get_ref() {
        DeValue::Array(items) if v.span() == (4..4 + text.len()) => Ok(items
            .iter()
            .map(|i| doc[i.span()].trim().to_string())
            .collect()),
        _ => Err(
            "a list that starts with `[` is read as one TOML array, e.g. [1.5, \"2 to 3\"]".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(arg: &str) -> Vec<String> {
        match Axis::grid(arg).unwrap() {
            Axis::Grid { values, .. } => values.iter().map(|o| o.to_string()).collect(),
            Axis::Lhs { .. } => unreachable!(),
        }
    }

    #[test]
    fn grid_lists_are_split_on_commas_or_read_as_a_toml_array() {
        assert_eq!(values("a.b=1, 2,3e9"), ["a.b=1", "a.b=2", "a.b=3e9"]);
        assert_eq!(
            values("actor.\"Big tech\".budget=$1M,$1B"),
            [
                "actor.\"Big tech\".budget=\"$1M\"",
                "actor.\"Big tech\".budget=\"$1B\""
            ]
        );
        assert_eq!(
            values("a=[\"2 to 3\", 4, { low = 1, high = 2 }]"),
            ["a=\"2 to 3\"", "a=4", "a={ low = 1, high = 2 }"]
        );
        assert_eq!(values("a=[[2030], [2040]]"), ["a=[2030]", "a=[2040]"]);
        assert_eq!(Axis::grid("a.b=1").unwrap().key(), "a.b");
    }

    #[test]
    fn bad_axes_are_refused_with_the_reason() {
        for (arg, says) in [
            ("a=", "nothing after `=`"),
            ("a=1,,2", "value 2 of the list is empty"),
            ("a=[]", "the list of values is empty"),
            ("a=[1, 2", "TOML array"),
            ("a=[1] x", "TOML array"),
            ("a", "there is no `=`"),
            ("a b=1", "unexpected `b`"),
        ] {
            let e = Axis::grid(arg).unwrap_err().to_string();
            assert!(e.starts_with(&format!("--grid {arg}: ")), "{e}");
            assert!(e.contains(says), "{arg}: {e}");
        }
        for (arg, says) in [
            ("a=1", "two numbers separated by `:`"),
            (
                "a=1:2:3",
                "\"3\" is not a scale: after LOW:HIGH, only `log`",
            ),
            ("a=1:2:3:4", "two numbers"),
            ("a=0:2:log", "a log scale needs LOW above 0"),
            ("a=x:2", "LOW \"x\" is not a number"),
            ("a=1:y", "HIGH \"y\" is not a number"),
            ("a=2:2", "LOW must be below HIGH"),
            ("a=3:2", "LOW must be below HIGH"),
            ("a=", "nothing after `=`"),
        ] {
            let e = Axis::lhs(arg).unwrap_err().to_string();
            assert!(e.contains(says), "{arg}: {e}");
        }
        let Axis::Lhs { low, high, .. } = Axis::lhs("a.b = $1M : 2B").unwrap() else {
            unreachable!()
        };
        assert_eq!((low, high), (1e6, 2e9));
        let Axis::Lhs { low, high, log, .. } = Axis::lhs("a.b=$1M:2B:LOG").unwrap() else {
            unreachable!()
        };
        assert_eq!((low, high, log), (1e6, 2e9, true));
    }
}
