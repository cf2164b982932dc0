//! A backtest data file (`history.toml`, `trends.toml`) as read: its name and text, so that
//! every error names the file, line, column and key, as a scenario's errors do.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::scenario::ScenarioError;
use crate::scenario::error::Source;

/// A data file's name and text.
pub struct DataFile {
    /// The path as the user gave it, or the shipped file's name.
    pub path: PathBuf,
    /// The whole file.
    pub text: String,
}

impl DataFile {
    /// Reads `path`, or takes the shipped text (named `shipped_name`) when `path` is `None`.
    pub fn open(
        path: Option<&Path>,
        shipped: &str,
        shipped_name: &str,
    ) -> Result<Self, ScenarioError> {
        let (path, text) = match path {
            Some(p) => crate::scenario::read(p)?,
            None => (PathBuf::from(shipped_name), shipped.to_string()),
        };
        Ok(Self { path, text })
    }

    /// The file as `T`; an error names the line, column and key where serde stopped.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ScenarioError> {
        let src = self.source();
        let root = DeTable::parse(&self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            src.error(&span, "", format!("not valid TOML: {}", e.message()))
        })?;
        toml::from_str(&self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            src.error(&span, &key_at(root.get_ref(), span.start), e.message())
        })
    }

    /// An error at the value of `key`, a dotted path with 1-based indices into arrays of tables
    /// (`case[2].match[1].cost`); at the start of the file if the key is not in it.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        let span = DeTable::parse(&self.text)
            .ok()
            .and_then(|root| span_of(root.get_ref(), key))
            .unwrap_or(0..0);
        self.source().error(&span, key, message)
    }

    /// The line of the value at `key` (1 if it is not in the file).
    pub fn line_of(&self, key: &str) -> usize {
        self.error_at(key, "").position.map_or(1, |(line, _)| line)
    }

    fn source(&self) -> Source<'_> {
        Source {
            path: &self.path,
            text: &self.text,
        }
    }
}

/// The dotted path (1-based indices) of the most specific key or value whose span holds
/// `offset`: the value of a key, the key itself, or a table's `[header]`.
fn key_at(root: &DeTable, offset: usize) -> String {
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

/// The span of the value at `key` (see [`DataFile::error_at`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[[case]]\nid = \"a\"\n[case.milestone]\ncost = 1\n\n[[case]]\nid = \"b\"\n\
                        [[case.match]]\ncost = 2\n[[case.match]]\ncost = 3\n";

    fn file() -> DataFile {
        DataFile {
            path: "h.toml".into(),
            text: TEXT.into(),
        }
    }

    #[test]
    fn errors_at_a_key_name_its_line_and_column() {
        let e = file().error_at("case[2].match[2].cost", "bad");
        assert_eq!(e.to_string(), "h.toml:11:8: `case[2].match[2].cost`: bad");
        let e = file().error_at("case[1].milestone.cost", "bad");
        assert_eq!(e.to_string(), "h.toml:4:8: `case[1].milestone.cost`: bad");
        let e = file().error_at("case[2].id", "bad");
        assert_eq!(e.position, Some((7, 6)));
    }

    #[test]
    fn serde_errors_name_the_key_they_stopped_at() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Case {
            id: String,
            #[serde(rename = "match", default)]
            matches: Vec<Match>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Match {
            cost: u8,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct H {
            case: Vec<Case>,
        }
        let f = DataFile {
            path: "h.toml".into(),
            text: TEXT.replace("cost = 3", "cost = \"x\""),
        };
        let e = f.parse::<H>().err().unwrap();
        assert_eq!(e.position, Some((11, 8)), "{e}");
        assert_eq!(e.key, "case[2].match[2].cost", "{e}");
        let f = DataFile {
            path: "h.toml".into(),
            text: TEXT.replace("cost = 2", "costs = 2"),
        };
        let e = f.parse::<H>().err().unwrap();
        assert_eq!(
            (e.position, e.key.as_str()),
            (Some((9, 1)), "case[2].match[1].costs")
        );
        let f = DataFile {
            path: "h.toml".into(),
            text: "[[case]]\nid = \n".into(),
        };
        let e = f.parse::<H>().err().unwrap();
        assert!(e.to_string().starts_with("h.toml:2:"), "{e}");
        assert!(e.message.starts_with("not valid TOML"), "{e}");
    }
}
