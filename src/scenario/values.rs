//! Values: plain numbers and years, counts, and every distribution form of MODEL.md, which become
//! the scenario's named uncertain inputs.

use toml::de::DeValue;

use super::lint::{is_bare_percent, parse_growth_percent};
use super::number::{parse_amount, parse_date, parse_level, split_interval};
use super::walk::{Parser, Result, Table, Value, list, type_name};
use super::{Input, Quantity};
use crate::dist::Dist;
use crate::format::format_number;

const DIST_FAMILIES: &[&str] = &[
    "interval",
    "normal",
    "lognormal",
    "uniform",
    "loguniform",
    "triangular",
    "pert",
    "beta",
    "mixture",
];

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

    /// Any of the distribution forms of MODEL.md.
    pub(super) fn dist(&self, v: &Value, key: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&v.span(), key, msg);
        match v.get_ref() {
            DeValue::String(s) => {
                // Also inside a distribution table or a mixture component of a growth key.
                let growth = key.contains("growth_per_year");
                let amount = |t: &str| {
                    if growth {
                        parse_growth_percent(t).or_else(|| parse_amount(t))
                    } else {
                        parse_amount(t)
                    }
                };
                if growth
                    && (is_bare_percent(s)
                        || split_interval(s)
                            .is_some_and(|(a, b, _)| is_bare_percent(a) || is_bare_percent(b)))
                {
                    return Err(at(format!(
                        "\"{s}\" is ambiguous for a yearly growth factor: write \"+30%\" (or \"30%/yr\") for growth of 30% a year (factor 1.3), or 0.3 for a factor of 0.3"
                    )));
                }
                if let Some((lo, hi, level)) = split_interval(s) {
                    let (a, b) = (amount(lo), amount(hi));
                    let (Some(a), Some(b)) = (a, b) else {
                        return Err(at(format!(
                            "\"{s}\" is not a valid interval; write \"low to high\" with two numbers, e.g. \"2 to 3\", \"$10K to $1M\" or \"5 to 14 @ 95%\""
                        )));
                    };
                    let level = match level {
                        None => 0.9,
                        Some(l) => parse_level(l).ok_or_else(|| at(format!(
                            "\"{s}\": the interval's level after `@` must be a percentage from 50% to 99.9%, e.g. \"5 to 14 @ 95%\""
                        )))?,
                    };
                    return Dist::interval_at(a, b, level).map_err(at);
                }
                if let Some(g) = amount(s).filter(|_| growth) {
                    return Dist::point(g).map_err(at);
                }
                Dist::point(self.plain_number(v, key)?).map_err(at)
            }
            DeValue::Integer(_) | DeValue::Float(_) => {
                Dist::point(self.plain_number(v, key)?).map_err(at)
            }
            DeValue::Table(_) => {
                let t = self.table(v, key.to_string(), "a distribution table")?;
                let mut keys = DIST_FAMILIES.to_vec();
                keys.extend(["min", "max"]);
                self.check_keys(&t, &keys)?;
                let families: Vec<&str> = DIST_FAMILIES
                    .iter()
                    .copied()
                    .filter(|f| t.get(f).is_some())
                    .collect();
                let family = match families.as_slice() {
                    [f] => *f,
                    [] => {
                        return Err(at(format!(
                            "a distribution table needs one of {}",
                            list(DIST_FAMILIES)
                        )));
                    }
                    [a, b, ..] => {
                        return Err(self.err(
                            &t.key_span(b),
                            &t.key_path(b),
                            format!("a distribution has one form; found both `{a}` and `{b}`"),
                        ));
                    }
                };
                let body = t.get(family).expect("present");
                let path = t.key_path(family);
                let base = self.family(family, body, &path)?;
                let min = t
                    .get("min")
                    .map(|m| self.plain_number(m, &t.key_path("min")))
                    .transpose()?;
                let max = t
                    .get("max")
                    .map(|m| self.plain_number(m, &t.key_path("max")))
                    .transpose()?;
                if min.is_none() && max.is_none() {
                    return Ok(base);
                }
                base.truncate(min, max).map_err(|e| {
                    self.err(
                        &t.key_span(if min.is_some() { "min" } else { "max" }),
                        key,
                        e,
                    )
                })
            }
            other => Err(at(format!(
                "expected a number, a \"low to high\" interval, or a distribution table like {{ normal = {{ mean = 0, sd = 1 }} }}; found {}",
                type_name(other)
            ))),
        }
    }

    pub(super) fn family(&self, family: &str, body: &Value, path: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&body.span(), path, msg);
        if family == "interval" {
            let DeValue::String(s) = body.get_ref() else {
                return Err(at(
                    "expected a \"low to high\" string, e.g. \"2 to 3\"".into()
                ));
            };
            if split_interval(s).is_none() {
                return Err(at(format!("\"{s}\" is not a \"low to high\" interval")));
            }
            return self.dist(body, path);
        }
        if family == "mixture" {
            let DeValue::Array(items) = body.get_ref() else {
                return Err(at(
                    "expected an array of { weight = w, dist = ... } tables".into()
                ));
            };
            let mut comps = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let c = self.table(
                    item,
                    format!("{path}[{}]", i + 1),
                    "a { weight = w, dist = ... } table",
                )?;
                self.check_keys(&c, &["weight", "dist"])?;
                let w = self.plain_number(
                    self.required(&c, "weight", "the component's weight")?,
                    &c.key_path("weight"),
                )?;
                let d = self.dist(
                    self.required(&c, "dist", "the component's distribution")?,
                    &c.key_path("dist"),
                )?;
                comps.push((w, d));
            }
            return Dist::mixture(comps).map_err(at);
        }
        let t = self.table(
            body,
            path.to_string(),
            &format!("a table of {family} parameters"),
        )?;
        let params: &[&str] = match family {
            "normal" => &["mean", "sd"],
            "lognormal" => {
                if t.get("p5").is_some() || t.get("p95").is_some() {
                    &["p5", "p95"]
                } else {
                    &["median", "sigma"]
                }
            }
            "uniform" | "loguniform" => &["min", "max"],
            "triangular" | "pert" => &["min", "mode", "max"],
            "beta" => &["alpha", "beta"],
            _ => unreachable!("families are checked against DIST_FAMILIES"),
        };
        let allowed: Vec<&str> = if family == "lognormal" {
            vec!["median", "sigma", "p5", "p95"]
        } else {
            params.to_vec()
        };
        self.check_keys(&t, &allowed)?;
        let mut x = Vec::new();
        for p in params {
            let v = self.required(&t, p, &format!("`{p}` of the {family} distribution"))?;
            x.push(self.plain_number(v, &t.key_path(p))?);
        }
        match family {
            "normal" => Dist::normal(x[0], x[1]),
            "lognormal" if params[0] == "p5" => Dist::lognormal_interval(x[0], x[1]),
            "lognormal" => Dist::lognormal(x[0], x[1]),
            "uniform" => Dist::uniform(x[0], x[1]),
            "loguniform" => Dist::loguniform(x[0], x[1]),
            "triangular" => Dist::triangular(x[0], x[1], x[2]),
            "pert" => Dist::pert(x[0], x[1], x[2]),
            _ => Dist::beta(x[0], x[1]),
        }
        .map_err(at)
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::{Dist, Z95};
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
    fn doubling(form: &str) -> Dist {
        let scn = scenario_with(form, "1e6");
        match scn.hardware.regimes[0].value {
            Quantity::Input(i) => {
                assert_eq!(scn.inputs[i].name, "hardware.doubling_time_years");
                scn.inputs[i].dist.clone()
            }
            Quantity::Fixed(v) => Dist::point(v).unwrap(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn every_distribution_form_parses_to_its_distribution() {
        let d = doubling(r#""2 to 3""#);
        assert!(close(d.quantile(0.05), 2.0) && close(d.quantile(0.95), 3.0));
        // Truncated above at 2.9: F(2) = 0.05 / F_untruncated(2.9).
        let d = doubling(r#"{ interval = "2 to 3", max = 2.9 }"#);
        let full = Dist::interval(2.0, 3.0).unwrap();
        assert!(d.quantile(0.999) <= 2.9 && close(d.cdf(2.0), 0.05 / full.cdf(2.9)));
        let d = doubling("{ normal = { mean = 2, sd = 0.5 }, min = 0.5 }");
        assert!(close(
            d.median(),
            Dist::normal(2.0, 0.5)
                .unwrap()
                .truncate(Some(0.5), None)
                .unwrap()
                .median()
        ));
        let d = doubling("{ lognormal = { median = 2.5, sigma = 0.3 } }");
        assert!(close(d.median(), 2.5) && close(d.quantile(0.95), 2.5 * (0.3 * Z95).exp()));
        let d = doubling("{ lognormal = { p5 = 2, p95 = 8 } }");
        assert!(close(d.median(), 4.0));
        assert!(close(
            doubling("{ uniform = { min = 1, max = 3 } }").quantile(0.25),
            1.5
        ));
        assert!(close(
            doubling("{ loguniform = { min = 1, max = 100 } }").median(),
            10.0
        ));
        assert!(close(
            doubling("{ triangular = { min = 1, mode = 2, max = 3 } }").median(),
            2.0
        ));
        assert!(close(
            doubling("{ pert = { min = 1, mode = 2, max = 3 } }").median(),
            2.0
        ));
        let beta = doubling("{ beta = { alpha = 2, beta = 1 }, min = 0.1 }");
        assert!(beta.quantile(0.0001) >= 0.1);
        let m = doubling(
            r#"{ mixture = [ { weight = 3, dist = 1.0 }, { weight = 1, dist = { uniform = { min = 2, max = 4 } } } ] }"#,
        );
        assert_eq!(m.quantile(0.5), 1.0);
        assert!(close(m.quantile(0.875), 3.0));
        assert_eq!(doubling("2.5").median(), 2.5);
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
