//! `[[observed]]` tables: what really happened (a capability matched by a class at a date, a
//! cost paid), drawn on the charts beside the model's distributions. They are data for the
//! reader, not inputs: nothing sampled depends on them.

use toml::de::DeValue;

use super::parse::{Horizon, quoted};
use super::walk::{Parser, Result, Table};
use super::{Actor, Observed, ObservedBasis, Target};

const KEYS: &[&str] = &[
    "label", "target", "actor", "date", "value", "basis", "source",
];

impl Parser<'_> {
    /// Every `[[observed]]` table, checked against the scenario's targets, classes and horizon.
    pub(super) fn observed(
        &self,
        root: &Table,
        ctx: &Horizon,
        actors: &[Actor],
        targets: &[Target],
    ) -> Result<Vec<Observed>> {
        let mut out = Vec::new();
        for t in self.array_of_tables(root, "observed")? {
            self.check_keys(&t, KEYS)?;
            let label_v = self.required(
                &t,
                "label",
                "a short label drawn beside the point, e.g. \"OPT-175B (Meta)\"",
            )?;
            let label = self.name(label_v, &t.key_path("label"))?;
            let t = Table {
                path: format!("observed.{}", quoted(&label)),
                ..t
            };
            let source = self.string(
                self.required(
                    &t,
                    "source",
                    "where the observation comes from (a citation)",
                )?,
                &t.key_path("source"),
            )?;
            let date_v = self.required(
                &t,
                "date",
                "when it happened: a year (2022.4) or \"YYYY-MM\"",
            )?;
            let year = self.year(date_v, &t.key_path("date"))?;
            if year < ctx.start || year > ctx.end {
                return Err(self.err(
                    &date_v.span(),
                    &t.key_path("date"),
                    format!(
                        "must lie within the horizon [{}, {}] to be drawn, got {year}",
                        ctx.start, ctx.end
                    ),
                ));
            }
            let target = match t.get("target") {
                Some(v) => {
                    let name = self.string(v, &t.key_path("target"))?;
                    if !targets.iter().any(|x| x.name == name) {
                        let names: Vec<String> = targets.iter().map(|x| quoted(&x.name)).collect();
                        return Err(self.err(
                            &v.span(),
                            &t.key_path("target"),
                            format!(
                                "no [[target]] is named {}; the targets are {}",
                                quoted(&name),
                                names.join(", ")
                            ),
                        ));
                    }
                    Some(name)
                }
                None => None,
            };
            let actor = match t.get("actor") {
                Some(v) => {
                    let name = self.string(v, &t.key_path("actor"))?;
                    if !actors.iter().any(|a| a.name == name) {
                        let names: Vec<String> = actors.iter().map(|a| quoted(&a.name)).collect();
                        return Err(self.err(
                            &v.span(),
                            &t.key_path("actor"),
                            format!(
                                "no [[actor]] class is named {}; the classes are {}",
                                quoted(&name),
                                names.join(", ")
                            ),
                        ));
                    }
                    Some(name)
                }
                None => None,
            };
            let value = match t.get("value") {
                Some(v) => {
                    if let DeValue::String(s) = v.get_ref()
                        && crate::scenario::number::split_interval(s).is_some()
                    {
                        return Err(self.err(
                            &v.span(),
                            &t.key_path("value"),
                            "must be one observed dollar amount, not an interval",
                        ));
                    }
                    let x = self.plain_number(v, &t.key_path("value"))?;
                    if !(x > 0.0) {
                        return Err(self.err(
                            &v.span(),
                            &t.key_path("value"),
                            format!("must be a positive dollar amount, got {x}"),
                        ));
                    }
                    Some(x)
                }
                None => None,
            };
            if target.is_none() && value.is_none() {
                return Err(self.err(
                    &t.span,
                    &t.key_path("value"),
                    "missing required key: `value` (the dollar cost observed) or `target` (the capability a class reached at `date`, with `actor`)",
                ));
            }
            if value.is_none() && actor.is_none() {
                return Err(self.err(
                    &t.key_span("target"),
                    &t.key_path("actor"),
                    "an observation without `value` is drawn where its class reached the target: give `actor` (the class), or the cost as `value`",
                ));
            }
            let basis = match t.get("basis") {
                None => ObservedBasis::Project,
                Some(v) => {
                    let key = t.key_path("basis");
                    if value.is_none() {
                        return Err(self.err(
                            &v.span(),
                            &key,
                            "only used with `value` (the basis of the dollar figure)",
                        ));
                    }
                    match self.string(v, &key)?.as_str() {
                        "project" => ObservedBasis::Project,
                        "final_run" => ObservedBasis::FinalRun,
                        other => {
                            return Err(self.err(
                                &v.span(),
                                &key,
                                format!(
                                    "must be \"project\" (whole-project cost, as the cost charts draw it) or \"final_run\" (compute of the final training run only), got {other:?}"
                                ),
                            ));
                        }
                    }
                }
            };
            out.push(Observed {
                label,
                target,
                actor,
                year,
                value,
                basis,
                source,
            });
        }
        Ok(out)
    }
}
