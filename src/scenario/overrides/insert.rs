//! Where and how a key the text has not is added to its table.

use std::ops::Range;
use toml::de::{DeTable, DeValue};

use super::syntax::toml_key;
use crate::scenario::walk::Value;

/// Where a key can be added to a table: the nearest enclosing table written with a header or
/// inline (or the top level), and the dotted keys from it to the table.
#[derive(Clone)]
pub(super) enum Anchor {
    Top,
    Header(Range<usize>),
    Inline(Range<usize>),
}

/// Where and how to add `key` to the table at `anchor`: an offset and the text, with `{value}`
/// for the value.
pub(super) fn insertion(
    text: &str,
    root: &DeTable,
    (anchor, rel): &(Anchor, Vec<String>),
    key: &str,
) -> (usize, String) {
    let dotted: Vec<String> = rel
        .iter()
        .chain([&key.to_string()])
        .map(|k| toml_key(k))
        .collect();
    let line = format!("{} = {{value}}", dotted.join("."));
    // A new line after `at` (which ends a line, or the text).
    let after = |at: usize| {
        if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
            (at, format!("\n{line}\n"))
        } else {
            (at, format!("{line}\n"))
        }
    };
    match anchor {
        Anchor::Top => match first_header(text, root) {
            Some(h) => (
                text[..h].rfind('\n').map_or(0, |i| i + 1),
                format!("{line}\n"),
            ),
            None => after(text.len()),
        },
        Anchor::Header(span) => after(
            text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i + 1),
        ),
        Anchor::Inline(span) => {
            let close = span.end - 1;
            let body = text[span.start + 1..close].trim_end();
            let at = span.start + 1 + body.len();
            if body.trim().is_empty() || body.ends_with(',') {
                (at, format!(" {line}"))
            } else {
                (at, format!(", {line}"))
            }
        }
    }
}

/// The offset of the first table header (`[x]`, `[[x]]`) in the text: where the top-level keys
/// end.
fn first_header(text: &str, table: &DeTable) -> Option<usize> {
    fn walk(text: &str, v: &Value, first: &mut Option<usize>) {
        match v.get_ref() {
            DeValue::Table(t) => {
                let span = v.span();
                if text[span.clone()].starts_with('[') {
                    *first = Some(first.map_or(span.start, |f| f.min(span.start)));
                }
                for (_, v) in t.iter() {
                    walk(text, v, first);
                }
            }
            DeValue::Array(items) => {
                for v in items {
                    walk(text, v, first);
                }
            }
            _ => {}
        }
    }
    let mut first = None;
    for (_, v) in table.iter() {
        walk(text, v, &mut first);
    }
    first
}

#[cfg(test)]
mod tests {
    use toml::de::DeTable;

    use crate::scenario::overrides::tests::{DOC, set};

    #[test]
    fn a_new_key_is_added_to_its_table() {
        let t = set(DOC, &["scenario.seed=3"]).unwrap();
        assert_eq!(t, DOC.replace("[scenario]\n", "[scenario]\nseed = 3\n"));
        let t = set(DOC, &["actor.Lab.count=4"]).unwrap();
        assert_eq!(
            t,
            DOC.replace("name = \"Lab\"", "count = 4\nname = \"Lab\"")
        );
        let t = set(DOC, &["actor.Lab.budget.mode=1.5"]).unwrap();
        assert_eq!(t, DOC.replace("high = 2 }", "high = 2, mode = 1.5 }"));
        // `costs` has no header of its own: its key goes to the top level, before any header.
        let t = set(DOC, &["costs.overhead=3"]).unwrap();
        assert_eq!(
            t,
            DOC.replace("[scenario]\n", "costs.overhead = 3\n[scenario]\n")
        );
        assert!(DeTable::parse(&t).is_ok());
        let t = set("a = 1", &["b=2"]).unwrap();
        assert_eq!(t, "a = 1\nb = 2\n");
        let t = set("[x]\ny.z = 1\n[x.y.w]\nq = 1\n", &["x.y.v=2"]).unwrap();
        assert_eq!(t, "[x]\ny.v = 2\ny.z = 1\n[x.y.w]\nq = 1\n");
        let t = set("x = {}\n", &["x.'a b'=2"]).unwrap();
        assert_eq!(t, "x = { \"a b\" = 2}\n");
    }
}
