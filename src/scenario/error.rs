//! Errors in a scenario file, located by file, line and column.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A scenario that cannot be used: where, which key, what is wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The scenario file.
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    /// The `--set KEY=VALUE` argument the problem is in, when it is in one (then `position`
    /// is `None`: the value is not in the file).
    pub set: Option<String>,
    /// The dotted key the problem concerns (empty for whole-file problems).
    pub key: String,
    /// What is wrong and what is allowed, on one line.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(set) = &self.set {
            write!(f, ": in --set {set}")?;
        } else if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The text of a scenario file, to turn byte offsets into lines and columns.
pub struct Source<'a> {
    /// Path as the user gave it.
    pub path: &'a Path,
    /// The whole file.
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// An error at `span` about `key`.
    pub fn error(
        &self,
        span: &Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError {
            file: self.path.to_path_buf(),
            position: Some(self.position(span.start)),
            set: None,
            key: key.to_string(),
            message: one_line(&message.into()),
        }
    }
}

/// An error with no place in the file (it could not be read).
pub fn file_error(path: &Path, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        file: path.to_path_buf(),
        position: None,
        set: None,
        key: String::new(),
        message: message.into(),
    }
}

/// Joins a multi-line message onto one line.
pub fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let src = Source {
            path: Path::new("s.toml"),
            text: "a = 1\nbé = 2\n",
        };
        assert_eq!(src.position(0), (1, 1));
        assert_eq!(src.position(6), (2, 1));
        assert_eq!(src.position(10), (2, 4)); // 'é' is two bytes, one column
        let e = src.error(&(6..8), "bé", "bad\nthing");
        assert_eq!(e.to_string(), "s.toml:2:1: `bé`: bad; thing");
    }
}
