//! Values: plain numbers and years, counts, bounds, and quantities (a number or a distribution,
//! which becomes one of the scenario's named uncertain inputs). The distribution forms are in
//! `distributions`.

use toml::de::DeValue;

use super::number::{parse_amount, parse_date, split_interval};
use super::walk::{Parser, Result, Table, Value, type_name};
use super::{Input, Quantity};
use crate::format::format_number;

mod distributions;

/// The value of a TOML integer (decimal, hex, octal or binary).
fn int_value(i: &toml::de::DeInteger) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

impl Parser<'_> {
    /// A plain number (integers, floats, or text like "$250M"); never a distribution.
    pub(super) fn plain_number(&self, v: &Value, key: &str) -> Result<f64> {
        let bad = |msg: String| self.err(&v.span(), key, msg);
        let x = match v.get_ref() {
            DeValue::Integer(i) => {
                int_value(i).ok_or_else(|| bad("integer out of range".into()))? as f64
            }
            DeValue::Float(f) => f
                .as_str()
                .replace('_', "")
                .parse::<f64>()
                .map_err(|_| bad("not a number".into()))?,
            DeValue::String(s) => parse_amount(s).ok_or_else(|| {
                let digits = s.trim().trim_start_matches('-').trim_start_matches('$');
                if digits.parse::<f64>().is_ok_and(f64::is_infinite) {
                    bad(format!(
                        "\"{s}\" is out of range: numbers must be below 1.8e308 in size"
                    ))
                } else if s.contains([',', '_']) {
                    bad(format!(
                        "\"{s}\" is not a number: commas group thousands (\"1,000,000\") and an \
                         underscore stands between digits (1_000); the decimal mark is a point \
                         (2.5, not 2,5)"
                    ))
                } else {
                    bad(format!(
                        "\"{s}\" is not a number; write e.g. 2.5, 1e25, \"$250M\" or \"1.5B\""
                    ))
                }
            })?,
            other => {
                return Err(bad(format!(
                    "expected a number, found {}",
                    type_name(other)
                )));
            }
        };
        if !x.is_finite() {
            return Err(bad(format!("must be a finite number, got {x}")));
        }
        Ok(x)
    }

    pub(super) fn year(&self, v: &Value, key: &str) -> Result<f64> {
        if let DeValue::Table(_) = v.get_ref() {
            return Err(self.err(&v.span(), key, "must be a plain year, not a distribution"));
        }
        if let DeValue::String(s) = v.get_ref()
            && split_interval(s).is_some()
        {
            return Err(self.err(&v.span(), key, "must be a plain year, not an interval"));
        }
        let date = match v.get_ref() {
            DeValue::String(s) if s.trim().len() >= 7 && s.trim().as_bytes()[4] == b'-' => Some(
                parse_date(s).ok_or_else(|| {
                    self.err(
                        &v.span(),
                        key,
                        format!("\"{s}\" is not a valid date; write \"YYYY-MM\" or \"YYYY-MM-DD\" (e.g. \"2024-07\"), or a fractional year (2024.5)"),
                    )
                })?,
            ),
            _ => None,
        };
        let y = match date {
            Some(y) => y,
            None => self.plain_number(v, key)?,
        };
        if !(1000.0..=3000.0).contains(&y) {
            return Err(self.err(
                &v.span(),
                key,
                format!("{y} is not a plausible calendar year (allowed: 1000 to 3000)"),
            ));
        }
        Ok(y)
    }

    pub(super) fn count(&self, v: &Value, key: &str, min: u64, max: u64) -> Result<u64> {
        match v.get_ref() {
            DeValue::Integer(i) => match int_value(i) {
                Some(n) if n >= min as i64 && (n as u64) <= max => Ok(n as u64),
                _ => Err(self.err(
                    &v.span(),
                    key,
                    format!("must be a whole number from {min} to {max}, got {i}"),
                )),
            },
            other => Err(self.err(
                &v.span(),
                key,
                format!("expected a whole number, found {}", type_name(other)),
            )),
        }
    }

    /// Checks that a quantity stays on one side of `bound` (`at_least`: from below): a fixed value
    /// exactly, a distribution at its 5th (or 95th) percentile.
    pub(super) fn check_bound(
        &self,
        t: &Table,
        key: &str,
        q: Quantity,
        bound: f64,
        at_least: bool,
        why: &str,
    ) -> Result<()> {
        let (value, what) = match q {
            Quantity::Fixed(v) => (v, "it is".to_string()),
            Quantity::Input(i) => {
                let d = &self.inputs[i].dist;
                if at_least {
                    (d.quantile(0.05), "its 5th percentile is".to_string())
                } else {
                    (d.quantile(0.95), "its 95th percentile is".to_string())
                }
            }
        };
        // A distribution's stated end (the 95th percentile of "a to 1") computes a hair beyond
        // it; a relative 1e-9 keeps such an interval on its side of the bound.
        let slack = 1e-9 * bound.abs().max(1e-300);
        let ok = if at_least {
            value >= bound - slack
        } else {
            value <= bound + slack
        };
        if ok {
            return Ok(());
        }
        let (side, fix) = if at_least {
            ("at least", "min")
        } else {
            ("at most", "max")
        };
        let hint = match q {
            Quantity::Fixed(_) => String::new(),
            Quantity::Input(_) => format!("; bound it with `{fix} = {}`", format_number(bound)),
        };
        Err(self.err(
            &t.get(key).map_or(t.span.clone(), |v| v.span()),
            &t.key_path(key),
            format!(
                "must be {side} {} ({why}), but {what} {}{hint}",
                format_number(bound),
                format_number(value)
            ),
        ))
    }

    /// A number or a distribution; distributions become named inputs.
    pub(super) fn quantity(&mut self, v: &Value, name: String, positive: bool) -> Result<Quantity> {
        let dist = self.dist(v, &name)?;
        if positive && !dist.is_strictly_positive() {
            let msg = if dist.is_point() {
                format!("must be positive, got {}", format_number(dist.median()))
            } else {
                "must be positive, but this distribution can produce values ≤ 0; use a positive \"low to high\" interval, a lognormal, or add a positive `min` (e.g. { normal = { mean = 2, sd = 1 }, min = 0.1 })".to_string()
            };
            return Err(self.err(&v.span(), &name, msg));
        }
        if positive && !dist.is_point() {
            // Costs are products of such inputs: a draw of 0 or ∞ would make them NaN.
            use super::processes::TAIL;
            let (lo, hi) = (dist.quantile(TAIL), dist.quantile(1.0 - TAIL));
            let limit = super::processes::LN_LIMIT;
            if !(lo.ln() >= -limit && hi.ln() <= limit) {
                return Err(self.err(
                    &v.span(),
                    &name,
                    format!(
                        "this distribution's 1e-6 tails reach {} and {}, beyond what floating point holds (about 1e±{:.0}); narrow the distribution",
                        format_number(lo),
                        format_number(hi),
                        limit / std::f64::consts::LN_10
                    ),
                ));
            }
        }
        self.written.push(super::lint::Written {
            name: name.clone(),
            span: v.span(),
            p5: dist.quantile(0.05),
            p95: dist.quantile(0.95),
        });
        if let crate::dist::Shape::Point(x) = dist.shape() {
            self.fixed.push((name, *x));
            return Ok(Quantity::Fixed(*x));
        }
        let written = self
            .src
            .text
            .get(v.span())
            .unwrap_or_default()
            .trim()
            .to_string();
        self.inputs.push(Input {
            name,
            dist,
            written,
        });
        Ok(Quantity::Input(self.inputs.len() - 1))
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::Dist;
    use crate::scenario::{Quantity, Scenario, from_str};
    use std::path::Path;

    fn scenario_with(hardware_rate: &str, budget: &str) -> Scenario {
        let text = format!(
            r#"
[scenario]
name = "t"
start_year = 2025.0
end_year = 2060.0
[hardware]
flop_per_dollar = "$1B"
doubling_time_years = {hardware_rate}
[algorithms]
halving_time_years = 1.0
[investment]
frontier_spend = "1.5B"
growth_per_year = 2.0
[[actor]]
name = "A"
budget = {budget}
[[target]]
name = "T"
flop = 1e25
"#
        );
        from_str(Path::new("t.toml"), &text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The distribution the scenario built for the hardware doubling time.
    pub(super) fn doubling(form: &str) -> Dist {
        let scn = scenario_with(form, "1e6");
        match scn.hardware.regimes[0].value {
            Quantity::Input(i) => {
                assert_eq!(scn.inputs[i].name, "hardware.doubling_time_years");
                scn.inputs[i].dist.clone()
            }
            Quantity::Fixed(v) => Dist::point(v).unwrap(),
        }
    }

    pub(super) fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn reporting_years_are_whole_years_or_steps_from_the_start() {
        let text = |extra: &str| {
            format!(
                "[scenario]\nname = \"t\"\nstart_year = 2025.5\nend_year = 2028.0\n{extra}\n[hardware]\nflop_per_dollar = 1e17\ndoubling_time_years = 2\n[algorithms]\nhalving_time_years = 1\n[investment]\nfrontier_spend = 1e8\ngrowth_per_year = 2\n[[actor]]\nname = \"A\"\nbudget = 1e6\n[[target]]\nname = \"T\"\nflop = 1e25\n"
            )
        };
        let years = |extra: &str| {
            from_str(Path::new("t.toml"), &text(extra))
                .unwrap()
                .report_years
        };
        assert_eq!(years(""), vec![2026.0, 2027.0, 2028.0]);
        assert_eq!(
            years("report_step = 0.5"),
            vec![2025.5, 2026.0, 2026.5, 2027.0, 2027.5, 2028.0]
        );
    }

    #[test]
    fn costs_never_rise_only_when_every_rate_is_non_negative() {
        assert!(scenario_with("\"2 to 3\"", "1e6").costs_never_rise());
        let text = |hw: &str| {
            format!(
                "[scenario]\nname = \"t\"\nstart_year = 2025.0\nend_year = 2040.0\n[hardware]\nflop_per_dollar = 1e17\n{hw}\n[algorithms]\nhalving_time_years = 1\n[investment]\nfrontier_spend = 1e8\ngrowth_per_year = 2\n[[actor]]\nname = \"A\"\nbudget = 1e6\n[[target]]\nname = \"T\"\nflop = 1e25\n"
            )
        };
        let never = |hw: &str| {
            from_str(Path::new("t.toml"), &text(hw))
                .unwrap()
                .costs_never_rise()
        };
        assert!(never("growth_per_year = 1.0"));
        assert!(!never("growth_per_year = \"0.9 to 1.2\""));
        assert!(never(
            "growth_per_year = { uniform = { min = 1.0, max = 1.3 } }"
        ));
        assert!(!never("ooms_per_year = -0.1"));
    }

    #[test]
    fn dollar_text_and_intervals_with_suffixes() {
        let scn = scenario_with("2.0", r#""$10K to $1M""#);
        let budget = match &scn.actors[0].budget {
            crate::scenario::ActorBudget::Own(p) => p.initial.unwrap(),
            crate::scenario::ActorBudget::Frontier(_) => panic!("budget should be its own"),
        };
        let Quantity::Input(i) = budget else {
            panic!("budget should be uncertain")
        };
        assert!(close(scn.inputs[i].dist.quantile(0.05), 1e4));
        assert!(close(scn.inputs[i].dist.quantile(0.95), 1e6));
        assert_eq!(scn.inputs[i].name, "actor.\"A\".budget");
        assert_eq!(scn.hardware.initial, Some(Quantity::Fixed(1e9)));
        assert_eq!(
            scn.investment.as_ref().unwrap().initial,
            Some(Quantity::Fixed(1.5e9))
        );
    }
}
