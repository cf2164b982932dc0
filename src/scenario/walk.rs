//! The parsed TOML tree with spans, and the checks every table gets: allowed keys with a
//! "did you mean" hint, required keys, and the type of each value.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Input;
use super::error::{ScenarioError, Source};
use crate::model::RateKind;

pub(super) type Result<T> = std::result::Result<T, ScenarioError>;
pub(super) type Value<'a> = Spanned<DeValue<'a>>;

/// A TOML table with its dotted path and span.
pub(super) struct Table<'a, 'i> {
    pub(super) path: String,
    pub(super) map: &'a DeTable<'i>,
    pub(super) span: Range<usize>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub(super) fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    pub(super) fn key_span(&self, key: &str) -> Range<usize> {
        self.map
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map_or(self.span.clone(), |(k, _)| k.span())
    }
}

pub(super) struct Parser<'s> {
    pub(super) src: &'s Source<'s>,
    pub(super) inputs: Vec<Input>,
    /// Names of the numbers given as fixed values (which cannot be correlated), with the value.
    pub(super) fixed: Vec<(String, f64)>,
    /// Every quantity as written, for the unit-mistake warnings.
    pub(super) written: Vec<super::lint::Written>,
}

/// What kind of value a TOML value is, for messages.
pub(super) fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The allowed key closest to `key`, if it is close enough to be a likely typo.
pub(crate) fn suggestion<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(key, a), *a))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a)
}

pub(super) fn rate_keys(kinds: &[RateKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.key()).collect()
}

pub(crate) fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'s> Parser<'s> {
    pub(super) fn err(
        &self,
        span: &Range<usize>,
        key: &str,
        msg: impl Into<String>,
    ) -> ScenarioError {
        self.src.error(span, key, msg)
    }

    /// Refuses the first of `keys` that `t` gives: keys that mean nothing here, `why`.
    pub(super) fn refuse_keys<'k>(
        &self,
        t: &Table,
        keys: impl IntoIterator<Item = &'k str>,
        why: &str,
    ) -> Result<()> {
        match keys.into_iter().find(|key| t.get(key).is_some()) {
            Some(key) => Err(self.err(&t.key_span(key), &t.key_path(key), why)),
            None => Ok(()),
        }
    }

    /// Rejects keys outside `allowed`, with a "did you mean" hint.
    pub(super) fn check_keys(&self, t: &Table, allowed: &[&str]) -> Result<()> {
        for (k, _) in t.map.iter() {
            let key = k.get_ref().as_ref();
            if !allowed.contains(&key) {
                let place = if t.path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in [{}]", t.path)
                };
                let hint = suggestion(key, allowed)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(self.err(
                    &k.span(),
                    &t.key_path(key),
                    format!("unknown key {place}; {hint}allowed keys: {}", list(allowed)),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn required<'a, 'i>(
        &self,
        t: &Table<'a, 'i>,
        key: &str,
        what: &str,
    ) -> Result<&'a Value<'i>> {
        t.get(key).ok_or_else(|| {
            let place = if t.path.is_empty() {
                "the file".to_string()
            } else {
                format!("[{}]", t.path)
            };
            self.err(
                &t.span,
                &t.key_path(key),
                format!("missing required key in {place}: {what}"),
            )
        })
    }

    pub(super) fn table<'a, 'i>(
        &self,
        v: &'a Value<'i>,
        path: String,
        what: &str,
    ) -> Result<Table<'a, 'i>> {
        match v.get_ref() {
            DeValue::Table(map) => Ok(Table {
                path,
                map,
                span: v.span(),
            }),
            other => Err(self.err(
                &v.span(),
                &path,
                format!("expected {what}, found {}", type_name(other)),
            )),
        }
    }

    /// A target's or actor class's name: a non-empty string of at most
    /// [`crate::names::MAX_NAME_CHARS`] characters, none a control character.
    pub(super) fn name(&self, v: &Value, key: &str) -> Result<String> {
        let name = self.text(v, key, false)?;
        let n = name.chars().count();
        if n > crate::names::MAX_NAME_CHARS {
            return Err(self.err(
                &v.span(),
                key,
                format!(
                    "a name of {n} characters; at most {} are allowed",
                    crate::names::MAX_NAME_CHARS
                ),
            ));
        }
        Ok(name)
    }

    /// A string without control characters (they would reach terminals, charts and the report
    /// page as they are: an escape sequence, or a NUL that no XML may hold), but for line
    /// breaks and tabs where `lines` (a description).
    pub(super) fn text(&self, v: &Value, key: &str, lines: bool) -> Result<String> {
        let text = self.string(v, key)?;
        let allowed = |c: char| lines && matches!(c, '\n' | '\r' | '\t');
        if let Some(c) = text.chars().find(|&c| c.is_control() && !allowed(c)) {
            return Err(self.err(
                &v.span(),
                key,
                format!(
                    "holds the control character U+{:04X}; {} printable characters only",
                    u32::from(c),
                    if lines {
                        "line breaks, tabs and"
                    } else {
                        "a name is"
                    }
                ),
            ));
        }
        Ok(text)
    }

    /// Refuses `name` when it differs from one of `others` but names the same chart files.
    pub(super) fn distinct_files<'n>(
        &self,
        v: &Value,
        key: &str,
        name: &str,
        mut others: impl Iterator<Item = &'n str>,
    ) -> Result<()> {
        let slug = crate::names::slug(name);
        match others.find(|o| *o != name && crate::names::slug(o) == slug) {
            Some(other) => Err(self.err(
                &v.span(),
                key,
                format!(
                    "\"{name}\" and \"{other}\" would write their charts to the same files (`*_{slug}`); names must differ in more than case, punctuation or non-ASCII letters"
                ),
            )),
            None => Ok(()),
        }
    }

    pub(super) fn string(&self, v: &Value, key: &str) -> Result<String> {
        match v.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                Err(self.err(&v.span(), key, "must not be empty"))
            }
            DeValue::String(s) => Ok(s.to_string()),
            other => Err(self.err(
                &v.span(),
                key,
                format!("expected a string, found {}", type_name(other)),
            )),
        }
    }
}
