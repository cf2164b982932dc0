//! Finding a `--set` key in a scenario's TOML text: the value to replace, or the table to add
//! the key to; or why it is not there.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::Step;
use super::insert::{Anchor, insertion};
use super::syntax::{render, toml_key};
use crate::scenario::parse::quoted;
use crate::scenario::walk::{Value, list, suggestion, type_name};

/// What a `--set` changes in the text.
pub(super) enum Change {
    /// The value at this span.
    Replace(Range<usize>),
    /// A line at this offset; `{value}` stands for the value.
    Insert(usize, String),
}

/// A resolved key: the change, and the names the scenario parser gives the key (by the entries'
/// names, by their indices).
pub(super) struct Found {
    pub(super) change: Change,
    pub(super) names: Vec<String>,
}

/// A failure at step number `.0`, saying `.1`.
pub(super) type Refusal = (usize, String);

/// Finds `steps` in the document `root` (parsed from `text`).
pub(super) fn resolve(text: &str, root: &DeTable, steps: &[Step]) -> Result<Found, Refusal> {
    let mut walk = Walk {
        text,
        root,
        steps,
        table: root,
        anchor: (Anchor::Top, Vec::new()),
        by_name: String::new(),
        by_index: String::new(),
        i: 0,
    };
    loop {
        if let Some(found) = walk.step()? {
            return Ok(found);
        }
    }
}

/// The walk of `resolve` along a key's steps, at step `i` in `table`.
struct Walk<'a, 'i> {
    text: &'a str,
    root: &'a DeTable<'i>,
    steps: &'a [Step],
    table: &'a DeTable<'i>,
    anchor: (Anchor, Vec<String>),
    // The parser's names of the key: entries by name where they have one, and by index.
    by_name: String,
    by_index: String,
    i: usize,
}

impl<'a, 'i> Walk<'a, 'i> {
    /// Takes the step at `i` (with the index after it, into a list): the key found, or `None` to
    /// go on.
    fn step(&mut self) -> Result<Option<Found>, Refusal> {
        let (text, steps, i) = (self.text, self.steps, self.i);
        let key = match &steps[i] {
            Step::Key(k) => k,
            Step::Index(_) => {
                return Err((
                    i + 1,
                    format!(
                        "`{}` is a table, not a list: [n] picks an entry of a list, such as [[actor]]",
                        render(&steps[..i])
                    ),
                ));
            }
        };
        for n in [&mut self.by_name, &mut self.by_index] {
            if !n.is_empty() {
                n.push('.');
            }
            n.push_str(key);
        }
        let last = i + 1 == steps.len();
        let Some(v) = get(self.table, key) else {
            if last {
                let (at, line) = insertion(text, self.root, &self.anchor, key);
                return Ok(Some(self.found(Change::Insert(at, line))));
            }
            return Err((i + 1, missing_table(self.table, key, &render(&steps[..i]))));
        };
        match v.get_ref() {
            DeValue::Table(t) => {
                let span = v.span();
                if last {
                    if text[span.clone()].starts_with('{') {
                        return Ok(Some(self.found(Change::Replace(span))));
                    }
                    return Err((i + 1, is_a_table(&render(steps))));
                }
                self.enter(span, key, t);
                self.i += 1;
                Ok(None)
            }
            DeValue::Array(items) => self.list(key, v, items),
            other => {
                if last {
                    return Ok(Some(self.found(Change::Replace(v.span()))));
                }
                Err((i + 2, not_a_table(&render(&steps[..=i]), other)))
            }
        }
    }

    /// The step at `i` reached the list `key` (`v`, of `items`): the key found (the list as a
    /// value, or one entry's), or `None` to go on in the entry the next step picks.
    fn list(
        &mut self,
        key: &str,
        v: &'a Value<'i>,
        items: &'a [Value<'i>],
    ) -> Result<Option<Found>, Refusal> {
        let (text, steps, i) = (self.text, self.steps, self.i);
        let span = v.span();
        // An array of tables written [[key]] has the span of its first header.
        let of_tables = items.first().is_some_and(|f| f.span() == span);
        if i + 1 == steps.len() {
            if of_tables {
                let example = match items.first().and_then(|t| name_of(t)) {
                    Some(n) => format!("{}.{}.<key>=VALUE", render(steps), quoted(n)),
                    None => format!("{}[1].<key>=VALUE", render(steps)),
                };
                return Err((
                    i + 1,
                    format!(
                        "a list of tables, not a value: --set sets one value in one of them, e.g. {example}"
                    ),
                ));
            }
            return Ok(Some(self.found(Change::Replace(span))));
        }
        let (n, item) =
            entry(key, items, &steps[i + 1], &render(&steps[..=i])).map_err(|why| (i + 2, why))?;
        self.by_index.push_str(&format!("[{n}]"));
        match name_of(item) {
            Some(name) => self.by_name.push_str(&format!(".{}", quoted(name))),
            None => self.by_name.push_str(&format!("[{n}]")),
        }
        self.i += 2;
        let i = self.i;
        let at = render(&steps[..i]);
        let item_span = item.span();
        match item.get_ref() {
            _ if i == steps.len() && text[item_span.clone()].starts_with('[') => {
                Err((i, is_a_table(&at)))
            }
            _ if i == steps.len() => Ok(Some(self.found(Change::Replace(item_span)))),
            DeValue::Table(t) => {
                self.enter(item_span, "", t);
                Ok(None)
            }
            other => Err((i + 1, not_a_table(&at, other))),
        }
    }

    /// Goes into the table `t` at `span`, reached by `key`.
    fn enter(&mut self, span: Range<usize>, key: &str, t: &'a DeTable<'i>) {
        let outer = std::mem::replace(&mut self.anchor, (Anchor::Top, Vec::new()));
        self.anchor = step_anchor(self.text, span, outer, key);
        self.table = t;
    }

    /// The key found, with `change`, under the parser's names of it so far.
    fn found(&self, change: Change) -> Found {
        Found {
            change,
            names: vec![self.by_name.clone(), self.by_index.clone()],
        }
    }
}

fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Value<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// A list entry's `name`, when it is a table that has one.
fn name_of<'a>(v: &'a Value) -> Option<&'a str> {
    match v.get_ref() {
        DeValue::Table(t) => match get(t, "name").map(|n| n.get_ref()) {
            Some(DeValue::String(s)) => Some(s.as_ref()),
            _ => None,
        },
        _ => None,
    }
}

/// The entry of the list `key` (written `at`) that `step` picks: by 1-based index or by name.
fn entry<'a, 'i>(
    key: &str,
    items: &'a [Value<'i>],
    step: &Step,
    at: &str,
) -> Result<(usize, &'a Value<'i>), String> {
    match step {
        Step::Index(n) => items.get(n - 1).map(|v| (*n, v)).ok_or_else(|| {
            format!(
                "`{at}` has {} entries; [{n}] is not one of them (they are numbered from [1])",
                items.len()
            )
        }),
        Step::Key(name) => {
            let names: Vec<&str> = items.iter().filter_map(|v| name_of(v)).collect();
            if let Some(k) = items.iter().position(|v| name_of(v) == Some(name)) {
                return Ok((k + 1, &items[k]));
            }
            let what = match key {
                "actor" => "actor class".to_string(),
                "target" => "target".to_string(),
                _ => format!("entry of `{at}`"),
            };
            if names.is_empty() {
                return Err(format!(
                    "no {what} named {}: its entries have no names; pick one by index, e.g. {at}[1]",
                    quoted(name)
                ));
            }
            let shown: Vec<String> = names.iter().map(|n| quoted(n)).collect();
            let hint = suggestion(name, &names)
                .map(|s| format!("did you mean {}? ", quoted(s)))
                .unwrap_or_default();
            Err(format!(
                "no {what} named {}; {hint}the names are: {} (or pick one by index, e.g. {at}[1])",
                quoted(name),
                shown.join(", ")
            ))
        }
    }
}

fn is_a_table(at: &str) -> String {
    format!("a table, not a value: --set sets one value in it, e.g. {at}.<key>=VALUE")
}

fn not_a_table(at: &str, v: &DeValue) -> String {
    format!(
        "`{at}` is {}, not a table: it has no keys to set",
        type_name(v)
    )
}

/// The refusal of a key path through a table the text does not have.
fn missing_table(table: &DeTable, key: &str, at: &str) -> String {
    let present: Vec<&str> = table
        .iter()
        .filter(|(_, v)| matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)))
        .map(|(k, _)| k.get_ref().as_ref())
        .collect();
    let place = if at.is_empty() {
        "in the file".to_string()
    } else {
        format!("in `{at}`")
    };
    let hint = suggestion(key, &present)
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    let tables = if present.is_empty() {
        String::new()
    } else {
        format!(" (the tables there: {})", list(&present))
    };
    format!(
        "no table `{}` {place}{tables}; {hint}--set changes a value, or adds a key to a table the file has",
        toml_key(key)
    )
}

/// The anchor inside a table (or list entry) at `span`, reached by `key` from `outer`.
fn step_anchor(
    text: &str,
    span: Range<usize>,
    outer: (Anchor, Vec<String>),
    key: &str,
) -> (Anchor, Vec<String>) {
    match text[span.clone()].chars().next() {
        Some('[') => (Anchor::Header(span), Vec::new()),
        Some('{') => (Anchor::Inline(span), Vec::new()),
        // Defined by dotted keys (`a.b = 1`) or by a sub-table's header only.
        _ => {
            let (anchor, mut rel) = outer;
            rel.push(key.to_string());
            (anchor, rel)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::overrides::Override;
    use crate::scenario::overrides::tests::{DOC, set};

    #[test]
    fn keys_outside_the_text_are_refused() {
        for (arg, says) in [
            (
                "hardwre.doubling_time_years=3",
                "no table `hardwre` in the file",
            ),
            ("hardwre.doubling_time_years=3", "did you mean `hardware`?"),
            (
                "actor.\"Big tehc\".budget=1",
                "no actor class named \"Big tehc\"; did you mean \"Big tech\"?",
            ),
            (
                "actor.\"Big tehc\".budget=1",
                "the names are: \"Big tech\", \"Lab\"",
            ),
            ("actor[3].budget=1", "`actor` has 2 entries; [3]"),
            (
                "actor[2].regime[3].until=1",
                "`actor[2].regime` has 2 entries",
            ),
            ("hardware=1", "`hardware`: a table, not a value"),
            ("actor=1", "e.g. actor.\"Big tech\".<key>=VALUE"),
            ("actor[1]=1", "`actor[1]`: a table, not a value"),
            (
                "hardware.doubling_time_years.x=1",
                "is a string, not a table",
            ),
            ("hardware[1].x=1", "not a list"),
            ("costs.data.price=1", "no table `data` in `costs`"),
        ] {
            let e = set(DOC, &[arg]).unwrap_err();
            assert!(
                e.starts_with(&format!(
                    "s.toml: in --set {}",
                    Override::parse(arg).unwrap()
                )),
                "{arg}: {e}"
            );
            assert!(e.contains(says), "{arg}: {e}");
        }
    }
}
