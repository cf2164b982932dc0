//! Every distribution form of MODEL.md: `"low to high"` intervals (with a level), distribution
//! tables of each family with optional `min` / `max`, and mixtures.

use toml::de::DeValue;

use crate::dist::Dist;
use crate::scenario::lint::{growth_percent, is_bare_percent, parse_growth_percent};
use crate::scenario::number::{parse_amount, parse_level, split_interval};
use crate::scenario::walk::{Parser, Result, Value, list, type_name};

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

impl Parser<'_> {
    /// Any of the distribution forms of MODEL.md.
    pub(super) fn dist(&self, v: &Value, key: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&v.span(), key, msg);
        match v.get_ref() {
            DeValue::String(s) => self.text_dist(v, s, key),
            DeValue::Integer(_) | DeValue::Float(_) => {
                Dist::point(self.plain_number(v, key)?).map_err(at)
            }
            DeValue::Table(_) => self.table_dist(v, key),
            other => Err(at(format!(
                "expected a number, a \"low to high\" interval, or a distribution table like {{ normal = {{ mean = 0, sd = 1 }} }}; found {}",
                type_name(other)
            ))),
        }
    }

    /// A distribution written as text `s` (the value `v`): a `"low to high"` interval, or a
    /// number (a growth key also reads `"+30%"`).
    fn text_dist(&self, v: &Value, s: &str, key: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&v.span(), key, msg);
        // Also inside a distribution table or a mixture component of a growth key.
        let growth = key.contains("growth_per_year");
        let amount = |t: &str| {
            if growth {
                parse_growth_percent(t).or_else(|| parse_amount(t))
            } else {
                parse_amount(t)
            }
        };
        // `s`, or either end of the interval it is.
        let any_part = |test: fn(&str) -> bool| {
            test(s) || split_interval(s).is_some_and(|(a, b, _)| test(a) || test(b))
        };
        if growth && any_part(is_bare_percent) {
            return Err(at(format!(
                "\"{s}\" is ambiguous for a yearly growth factor: write \"+30%\" (or \"30%/yr\") for growth of 30% a year (factor 1.3), or 0.3 for a factor of 0.3"
            )));
        }
        // "-100%" a year and below would leave nothing (a factor ≤ 0), which no growth is.
        if growth && any_part(|t| growth_percent(t).is_some_and(|v| v <= -100.0)) {
            return Err(at(format!(
                "\"{s}\": a growth of -100% a year or less would leave nothing (a factor of 0 or below); a growth percentage must be above -100%, e.g. \"-20%\" (factor 0.8)"
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

    /// A distribution table: one family, and optional `min` and `max` that truncate it.
    fn table_dist(&self, v: &Value, key: &str) -> Result<Dist> {
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
                return Err(self.err(
                    &v.span(),
                    key,
                    format!("a distribution table needs one of {}", list(DIST_FAMILIES)),
                ));
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

    /// The distribution of family `family` from its parameters `body` (at `path`).
    fn family(&self, family: &str, body: &Value, path: &str) -> Result<Dist> {
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
            return self.mixture(body, path);
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

    /// A mixture: an array of `{ weight = w, dist = ... }` tables.
    fn mixture(&self, body: &Value, path: &str) -> Result<Dist> {
        let at = |msg: String| self.err(&body.span(), path, msg);
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
        Dist::mixture(comps).map_err(at)
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::{Dist, Z95};
    use crate::scenario::values::tests::{close, doubling};

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
}
