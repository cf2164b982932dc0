//! `[[target]]` tables: capabilities given by their FLOP, as the frontier of a year, or by what
//! the frontier's project for them costs in a year.

use toml::de::DeValue;

use super::parse::{Horizon, quoted};
use super::walk::{Parser, Result, Table, type_name};
use super::{Components, Quantity, Target, TargetKind};
use crate::format::format_number;

impl Parser<'_> {
    /// Every `[[target]]` table, frontier-year lists expanded into one target a year.
    pub(super) fn targets(
        &mut self,
        root: &Table,
        ctx: &Horizon,
        components: Option<&Components>,
    ) -> Result<Vec<Target>> {
        let mut targets: Vec<Target> = Vec::new();
        let keys = [
            "name",
            "flop",
            "flop_year",
            "frontier_year",
            "frontier_years",
            "cost",
            "cost_year",
            "person_years",
            "tokens_served",
        ];
        for (i, t) in self
            .array_of_tables(root, "target")?
            .into_iter()
            .enumerate()
        {
            // Name the table after its `name` when it has one, so errors say `target."Lab".key`.
            let t = match t.get("name").map(|v| v.get_ref()) {
                Some(DeValue::String(name)) => Table {
                    path: format!("target.{}", quoted(name)),
                    ..t
                },
                _ => t,
            };
            self.check_keys(&t, &keys)?;
            let name_v = self.required(&t, "name", "the target's name")?;
            let name = self.name(name_v, &format!("target[{}].name", i + 1))?;
            let t = Table {
                path: format!("target.{}", quoted(&name)),
                ..t
            };
            let expanded = self.target_kinds(&t, &name, ctx)?;
            let (person_years, tokens_served) = self.needs(&t, components)?;
            for (name, kind) in expanded {
                let key = format!("target[{}].name", i + 1);
                let others = targets.iter().map(|t| t.name.as_str());
                self.distinct_files(name_v, &key, &name, others)?;
                if targets.iter().any(|a| a.name == name) {
                    return Err(self.err(
                        &name_v.span(),
                        &format!("target[{}].name", i + 1),
                        format!(
                            "duplicate target name \"{name}\"; every target needs its own name"
                        ),
                    ));
                }
                targets.push(Target {
                    name,
                    kind,
                    person_years,
                    tokens_served,
                });
            }
        }
        if let Some(d) = components.and_then(|c| c.deployment.as_ref())
            && d.tokens_served.is_none()
            && targets.iter().all(|t| t.tokens_served.is_none())
        {
            let v = root.get("deployment").expect("parsed");
            return Err(self.err(
                &v.span(),
                "deployment.tokens_served",
                "missing required key: `tokens_served` (tokens served over the deployment period) in [deployment] or on a [[target]]",
            ));
        }
        if targets.is_empty() {
            return Err(self.err(
                &root.span,
                "target",
                "a scenario needs at least one [[target]] table",
            ));
        }
        Ok(targets)
    }

    /// What target table `t` (named `name`) asks for: one target given by its FLOP or its cost,
    /// or one per frontier year.
    fn target_kinds(
        &mut self,
        t: &Table,
        name: &str,
        ctx: &Horizon,
    ) -> Result<Vec<(String, TargetKind)>> {
        let given: Vec<&str> = ["flop", "frontier_year", "frontier_years", "cost"]
            .into_iter()
            .filter(|k| t.get(k).is_some())
            .collect();
        if t.get("cost_year").is_some() && !given.contains(&"cost") {
            return Err(self.err(
                &t.key_span("cost_year"),
                &t.key_path("cost_year"),
                "only used with `cost` (the year in which the frontier's project costs that much)",
            ));
        }
        match given.as_slice() {
            [] => Err(self.err(&t.span, &t.key_path("flop"), "missing required key: `flop` (FLOP the capability needs), `frontier_year` (the frontier of that year), `frontier_years` (a list of them) or `cost` with `cost_year` (the capability that costs the frontier that much in that year)")),
            [a, b, ..] => Err(self.err(&t.key_span(b), &t.key_path(b), format!("give one of `flop`, `frontier_year`, `frontier_years` or `cost`, not both `{a}` and `{b}`"))),
            ["cost"] => Ok(vec![(name.to_string(), self.cost_target(t, ctx)?)]),
            ["flop"] => Ok(vec![(name.to_string(), self.flop_target(t, ctx)?)]),
            [key] => self.frontier_targets(t, key, name, ctx),
        }
    }

    /// A target defined by what the frontier's project for it costs in `cost_year`.
    fn cost_target(&mut self, t: &Table, ctx: &Horizon) -> Result<TargetKind> {
        if t.get("flop_year").is_some() {
            return Err(self.err(
                &t.key_span("flop_year"),
                &t.key_path("flop_year"),
                "only used with `flop`; a cost-defined target's requirement is set by `cost_year`",
            ));
        }
        let cost = self.required_quantity(
            t,
            "cost",
            "the frontier's whole-project cost of the capability, in dollars",
        )?;
        let v = self.required(
            t,
            "cost_year",
            "the year in which the frontier's project for the capability costs `cost`",
        )?;
        let year = self.year(v, &t.key_path("cost_year"))?;
        if year < ctx.start || year > ctx.end {
            return Err(self.err(
                &v.span(),
                &t.key_path("cost_year"),
                format!(
                    "must lie within the horizon [{}, {}], got {year}",
                    ctx.start, ctx.end
                ),
            ));
        }
        Ok(TargetKind::CostAt { cost, year })
    }

    /// A target given by its FLOP (and the year it was first trained, if given).
    fn flop_target(&mut self, t: &Table, ctx: &Horizon) -> Result<TargetKind> {
        let flop = self.quantity(t.get("flop").expect("given"), t.key_path("flop"), true)?;
        let flop_year = match t.get("flop_year") {
            Some(v) => {
                let y = self.year(v, &t.key_path("flop_year"))?;
                if y > ctx.end {
                    return Err(self.err(
                        &v.span(),
                        &t.key_path("flop_year"),
                        format!("must not be after end_year ({}), got {y}", ctx.end),
                    ));
                }
                Some(y)
            }
            None => None,
        };
        Ok(TargetKind::Fixed { flop, flop_year })
    }

    /// The frontier of `frontier_year`, or one target per year of `frontier_years` (named with
    /// the year: `{year}` in the name, or after it).
    fn frontier_targets(
        &self,
        t: &Table,
        key: &str,
        name: &str,
        ctx: &Horizon,
    ) -> Result<Vec<(String, TargetKind)>> {
        if t.get("flop_year").is_some() {
            return Err(self.err(&t.key_span("flop_year"), &t.key_path("flop_year"), "only used with `flop`; a frontier target's requirement is the frontier run of its year"));
        }
        let v = t.get(key).expect("given");
        let path = t.key_path(key);
        let years: Vec<(f64, &toml::Spanned<DeValue>)> = if key == "frontier_year" {
            vec![(self.year(v, &path)?, v)]
        } else {
            let DeValue::Array(items) = v.get_ref() else {
                return Err(self.err(
                    &v.span(),
                    &path,
                    format!(
                        "expected a list of years, e.g. [2025, 2030, 2035], found {}",
                        type_name(v.get_ref())
                    ),
                ));
            };
            if items.is_empty() {
                return Err(self.err(&v.span(), &path, "the list of frontier years is empty"));
            }
            items
                .iter()
                .map(|item| Ok((self.year(item, &path)?, item)))
                .collect::<Result<_>>()?
        };
        let mut out: Vec<(String, TargetKind)> = Vec::new();
        for (year, item) in years {
            if year < ctx.start || year > ctx.end {
                return Err(self.err(
                    &item.span(),
                    &path,
                    format!(
                        "must lie within the horizon [{}, {}], got {year}",
                        ctx.start, ctx.end
                    ),
                ));
            }
            let expanded_name = if key == "frontier_year" {
                name.to_string()
            } else if name.contains("{year}") {
                name.replace("{year}", &format_number(year))
            } else {
                format!("{name} {}", format_number(year))
            };
            if out.iter().any(|(n, _)| *n == expanded_name) {
                return Err(self.err(
                    &item.span(),
                    &path,
                    format!("frontier year {year} is listed twice"),
                ));
            }
            out.push((expanded_name, TargetKind::FrontierOf { year }));
        }
        Ok(out)
    }

    /// A target's `person_years` and `tokens_served`, each only with the table that prices it.
    fn needs(
        &mut self,
        t: &Table,
        components: Option<&Components>,
    ) -> Result<(Option<Quantity>, Option<Quantity>)> {
        let staff = components.is_some_and(|c| c.staff.is_some());
        let deployment = components.is_some_and(|c| c.deployment.is_some());
        for (key, given, needs) in [
            (
                "person_years",
                staff,
                "[costs.staff] (dollars_per_person_year) to price",
            ),
            ("tokens_served", deployment, "a [deployment] table to price"),
        ] {
            if !given && t.get(key).is_some() {
                return Err(self.err(
                    &t.key_span(key),
                    &t.key_path(key),
                    format!("needs {needs} it"),
                ));
            }
        }
        Ok((
            self.need(t, "person_years")?,
            self.need(t, "tokens_served")?,
        ))
    }
}
