//! A backtest data file (`history.toml`, `trends.toml`) as read: its name and text, so that
//! every error names the file, line, column and key, as a scenario's errors do.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use crate::scenario::ScenarioError;
use crate::scenario::error::Source;
use crate::scenario::keys;

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
        let root = DeTable::parse(&self.text).map_err(|e| src.not_toml(&e))?;
        toml::from_str(&self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            src.error(
                &span,
                &keys::key_at(root.get_ref(), span.start),
                e.message(),
            )
        })
    }

    /// An error at the value of `key`, a dotted path with 1-based indices into arrays of tables
    /// (`case[2].match[1].cost`); at the start of the file if the key is not in it.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        self.source().error_at_key(key, message)
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
