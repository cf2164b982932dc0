//! `[[correlation]]` tables: pairs of uncertain inputs by name, with a Spearman rank correlation.

use toml::de::DeValue;

use super::walk::{Parser, Result, Table, Value, list, type_name};
use crate::correlation::{Copula, Pair};
use crate::format::format_number;

impl Parser<'_> {
    /// `[[correlation]]` tables: pairs of uncertain inputs by name, with a Spearman `rho`.
    pub(super) fn correlations(&self, root: &Table) -> Result<(Vec<Pair>, Option<Copula>)> {
        let mut pairs: Vec<Pair> = Vec::new();
        let mut spans = Vec::new();
        let names: Vec<String> = self.inputs.iter().map(|i| plain_name(&i.name)).collect();
        for t in self.array_of_tables(root, "correlation")? {
            self.check_keys(&t, &["between", "rho"])?;
            let between = self.required(&t, "between", "the two inputs, e.g. between = [\"investment.growth_per_year\", \"hardware.doubling_time_years\"]")?;
            let path = t.key_path("between");
            let items = match between.get_ref() {
                DeValue::Array(items) if items.len() == 2 => items,
                other => {
                    return Err(self.err(
                        &between.span(),
                        &path,
                        format!(
                            "expected a list of two input names, found {}",
                            match other {
                                DeValue::Array(a) => format!("a list of {}", a.len()),
                                v => type_name(v).to_string(),
                            }
                        ),
                    ));
                }
            };
            let mut idx = [0usize; 2];
            for (slot, item) in idx.iter_mut().zip(items.iter()) {
                *slot = self.input_index(item, &path, &names)?;
            }
            if idx[0] == idx[1] {
                return Err(self.err(
                    &between.span(),
                    &path,
                    "an input cannot be correlated with itself",
                ));
            }
            let rho = self.rho(&t)?;
            if pairs
                .iter()
                .any(|p| (p.a, p.b) == (idx[0], idx[1]) || (p.a, p.b) == (idx[1], idx[0]))
            {
                return Err(self.err(
                    &between.span(),
                    &path,
                    format!(
                        "the pair `{}` and `{}` is correlated twice",
                        self.inputs[idx[0]].name, self.inputs[idx[1]].name
                    ),
                ));
            }
            pairs.push(Pair {
                a: idx[0],
                b: idx[1],
                rho,
            });
            spans.push(t.span.clone());
        }
        if pairs.is_empty() {
            return Ok((pairs, None));
        }
        let copula = self.copula(&pairs, &spans)?;
        Ok((pairs, Some(copula)))
    }

    /// The index of the uncertain input named by `item` (at `path`; `names` are the inputs'
    /// plain names), or why it cannot be correlated.
    fn input_index(&self, item: &Value, path: &str, names: &[String]) -> Result<usize> {
        let name = self.string(item, path)?;
        let key = plain_name(&name);
        if let Some(i) = names.iter().position(|n| *n == key) {
            return Ok(i);
        }
        if let Some((fixed, v)) = self.fixed.iter().find(|(n, _)| plain_name(n) == key) {
            return Err(self.err(&item.span(), path, format!("`{fixed}` is a fixed number ({}), not an uncertain input; only uncertain inputs can be correlated", format_number(*v))));
        }
        if is_defaulted(&key) {
            return Err(self.err(&item.span(), path, format!("`{name}` is not set in the scenario, so it is fixed at its default; give it a distribution to correlate it")));
        }
        let all: Vec<&str> = self.inputs.iter().map(|i| i.name.as_str()).collect();
        let hint = super::walk::suggestion(&name, &all)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        Err(self.err(&item.span(), path, format!("unknown input `{name}`; {hint}uncertain inputs are named as `diffusion-sim validate` lists them: {}", list(&all))))
    }

    /// A correlation's `rho`: a Spearman rank correlation strictly between -1 and 1.
    fn rho(&self, t: &Table) -> Result<f64> {
        let rho_v = self.required(t, "rho", "the Spearman rank correlation, between -1 and 1")?;
        let rho = self.plain_number(rho_v, &t.key_path("rho"))?;
        if !(rho.abs() < 1.0) {
            let why = if rho.abs() == 1.0 {
                "a correlation of ±1 would make one input a copy of the other; use |rho| < 1 (e.g. 0.99)".to_string()
            } else {
                format!("a rank correlation lies between -1 and 1 (exclusive), got {rho}")
            };
            return Err(self.err(&rho_v.span(), &t.key_path("rho"), why));
        }
        Ok(rho)
    }

    /// The copula of `pairs` (declared at `spans`), or the nearest consistent values when their
    /// matrix is not positive definite.
    fn copula(&self, pairs: &[Pair], spans: &[std::ops::Range<usize>]) -> Result<Copula> {
        let e = match Copula::new(pairs) {
            Ok(c) => return Ok(c),
            Err(e) => e,
        };
        let name = |i: usize| self.inputs[i].name.as_str();
        let changes: Vec<String> = e
            .changes
            .iter()
            .map(|&(a, b, was, now)| {
                format!(
                    "{} ~ {}: {} → {}",
                    name(a),
                    name(b),
                    format_number((was * 100.0).round() / 100.0),
                    format_number(now)
                )
            })
            .collect();
        let first = e
            .changes
            .first()
            .and_then(|&(a, b, _, _)| {
                pairs
                    .iter()
                    .position(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
            })
            .unwrap_or(0);
        Err(self.err(&spans[first], "correlation", format!(
            "these correlations cannot hold together (their matrix is not positive definite); the nearest consistent values (a pair at 0 is not declared) are {}",
            changes.join("; ")
        )))
    }
}

/// Names of numbers that take a fixed default when a scenario leaves them out.
fn is_defaulted(plain: &str) -> bool {
    plain == "costs.overhead"
        || plain == "investment.gwp_growth_per_year"
        || (plain.starts_with("actor.")
            && ["growth_per_year", "doubling_time_years", "ooms_per_year"]
                .iter()
                .any(|k| plain.ends_with(&format!(".{k}"))))
}

/// An input name without quotes, so `actor."Big tech".budget` and `actor.Big tech.budget` match.
fn plain_name(name: &str) -> String {
    name.replace('"', "")
}
