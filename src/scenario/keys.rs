//! Dotted key paths in a TOML text (`case[2].match[1].cost`, `target[3]`), and errors placed
//! at them: for problems found after parsing, in a scenario or a data file.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::ScenarioError;
use super::error::Source;

impl Source<'_> {
    /// An error at the value of `key`, a dotted path with 1-based indices into arrays of
    /// tables (`case[2].match[1].cost`); at the start of the text if the key is not in it.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        let span = DeTable::parse(self.text)
            .ok()
            .and_then(|root| span_of(root.get_ref(), key))
            .unwrap_or(0..0);
        self.error(&span, key, message)
    }

    /// The error of text that is not TOML, at its place. The parser's "duplicate key" does not
    /// say which key: it is named here.
    pub fn not_toml(&self, e: &toml::de::Error) -> ScenarioError {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim_end();
        let key = key_on_line(self.text, span.start);
        if message == "duplicate key" && !key.is_empty() {
            return self.error(
                &span,
                "",
                format!("not valid TOML: duplicate key `{key}`: it is already set above (a key, or a [table], once)"),
            );
        }
        self.error(&span, "", format!("not valid TOML: {message}"))
    }
}

/// The key written on the line of `offset`: the whole of a `[table]` header, or what comes
/// before the `=` outside quotes.
fn key_on_line(text: &str, offset: usize) -> &str {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    if let Some(header) = line.strip_prefix('[') {
        return header
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .trim();
    }
    let mut quoted = None;
    let end = line
        .char_indices()
        .find(|&(_, c)| {
            match (quoted, c) {
                (None, '"' | '\'') => quoted = Some(c),
                (Some(q), c) if c == q => quoted = None,
                (None, '=') => return true,
                _ => {}
            }
            false
        })
        .map_or(line.len(), |(i, _)| i);
    line[..end].trim()
}

/// The dotted path (1-based indices) of the most specific key or value whose span holds
/// `offset`: the value of a key, the key itself, or a table's `[header]`.
pub(crate) fn key_at(root: &DeTable, offset: usize) -> String {
    let mut best: Option<(usize, String)> = None;
    visit(root, String::new(), &mut |path, span| {
        if span.contains(&offset) || span.start == offset {
            let len = span.end - span.start;
            if best.as_ref().is_none_or(|(l, _)| len <= *l) {
                best = Some((len, path.to_string()));
            }
        }
    });
    best.map(|(_, p)| p).unwrap_or_default()
}

/// Calls `f` with the path and span of every key and value under `table`, parents first.
fn visit(table: &DeTable, prefix: String, f: &mut dyn FnMut(&str, &Range<usize>)) {
    for (k, v) in table.iter() {
        let path = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        f(&path, &k.span());
        visit_value(v, path, f);
    }
}

fn visit_value(v: &Spanned<DeValue>, path: String, f: &mut dyn FnMut(&str, &Range<usize>)) {
    f(&path, &v.span());
    match v.get_ref() {
        DeValue::Table(t) => visit(t, path, f),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit_value(item, format!("{path}[{}]", i + 1), f);
            }
        }
        _ => {}
    }
}

/// The span of the value at `key` (see [`Source::error_at_key`]).
fn span_of(root: &DeTable, key: &str) -> Option<Range<usize>> {
    let mut found = None;
    visit(root, String::new(), &mut |path, span| {
        // Keys come before their values: the value's span wins.
        if path == key {
            found = Some(span.clone());
        }
    });
    found
}
