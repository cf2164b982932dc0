/*!
`--set KEY=VALUE`: one value of a scenario's TOML text replaced, or a key added to a table the
text has, before the scenario is read.

The text is edited in place: only the value's characters change (or one line is added), so the
scenario that runs is the file as written with that value changed, comments and all; its hash
and its copy in the output folder say so. An error the scenario parser then finds in a set value
names the `--set` argument; an error elsewhere keeps its line and column in the file.

KEY is a dotted key as `validate` lists inputs: table keys (`hardware.doubling_time_years`), an
entry of a list of tables by its `name` (`actor."Big tech".budget`) or by its 1-based index
(`algorithms.regime[2].halving_time_years`). VALUE is a TOML value; text that is not one is
taken as a string (`2 to 3` is `"2 to 3"`).

The key and value are read in `syntax`, found in the text in `resolve`; a key the text has not
is placed by `insert`, and places in the edited text are mapped back to the file in `locate`.
*/

mod insert;
mod locate;
mod resolve;
mod syntax;

use std::fmt;
use std::str::FromStr;

use toml::de::DeTable;

use super::error::{ScenarioError, Source};
use resolve::{Change, resolve};
use syntax::{parse_key, render, toml_value};

/// One `--set KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The key as given.
    key: String,
    /// The key's steps.
    steps: Vec<Step>,
    /// The value as TOML text.
    value: String,
}

/// One step of a dotted key: a table's key, or a 1-based index into a list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

impl Override {
    /// Reads `KEY=VALUE`: the key's syntax is checked here, its place in a scenario when it is
    /// applied.
    pub fn parse(arg: &str) -> Result<Self, String> {
        let example = "e.g. hardware.doubling_time_years=3 or 'actor.\"Big tech\".budget=$1B'";
        if !arg.contains('=') {
            return Err(format!("expected KEY=VALUE (there is no `=`), {example}"));
        }
        let (steps, end) = parse_key(arg).map_err(|why| {
            format!("the key is not a dotted key as `validate` lists them ({why}); {example}")
        })?;
        let key = arg[..end].trim().to_string();
        let Some(value) = arg[end..].trim_start().strip_prefix('=') else {
            let rest = arg[end..].trim_start();
            return Err(format!(
                "unexpected `{}` after the key `{key}`; quote a key with spaces or dots in it (\"...\"), {example}",
                rest.chars().next().unwrap_or('=')
            ));
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(format!(
                "no value after `=`; {example} (an empty string is \"\")"
            ));
        }
        Ok(Self {
            key,
            steps,
            value: toml_value(value),
        })
    }

    /// The key as given, e.g. `actor."Big tech".budget`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value as TOML text, e.g. `"2 to 3"` (quoted) or `1e9`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether `other` sets the same key, written the same way (`actor."Lab"` and `actor[2]`
    /// may name one class but are different keys here: which entry a name picks is known only
    /// once the override is applied).
    pub fn same_key(&self, other: &Override) -> bool {
        self.steps == other.steps
    }

    /// Whether `other` sets the same value of the scenario `text` as this one, however each
    /// names its entries (`actor[2].budget` and `actor."Big tech".budget` where Big tech is the
    /// second class); written the same way ([`Override::same_key`]) where either key is not in
    /// `text`.
    pub fn same_key_in(&self, other: &Override, text: &str) -> bool {
        if self.same_key(other) {
            return true;
        }
        let Ok(root) = DeTable::parse(text) else {
            return false;
        };
        // Keyed by the entries' indices, which every way of writing the key shares.
        let by_index = |o: &Override| {
            resolve(text, root.get_ref(), &o.steps)
                .ok()
                .and_then(|found| found.names.last().cloned())
        };
        matches!((by_index(self), by_index(other)), (Some(a), Some(b)) if a == b)
    }
}

/// `KEY=VALUE` with the value as TOML text: an argument that sets the same value again.
impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

impl FromStr for Override {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

/// One change to the text: `old_len` bytes at `start` (in the text as it was before this
/// change) became `new_len` bytes, for `--set` number `set`.
#[derive(Debug, Clone, Copy)]
struct Edit {
    set: usize,
    start: usize,
    old_len: usize,
    new_len: usize,
}

/// A scenario's text with `--set` applied, and how to find places in it in the file.
pub(super) struct Edited {
    /// The text that runs.
    pub(super) text: String,
    edits: Vec<Edit>,
    /// Per `--set`: the dotted keys the scenario parser may name its value by.
    keys: Vec<Vec<String>>,
}

/// Applies `overrides` in order to the text of `src`. A key the text has not, in a table it has,
/// is added (the scenario parser then says whether that table allows it); a key whose table is
/// not in the text, or a list entry it has not, is refused. Text that is not valid TOML is left
/// for the scenario parser to report.
pub(super) fn apply(src: &Source, overrides: &[Override]) -> Result<Edited, ScenarioError> {
    let mut edited = Edited {
        text: src.text.to_string(),
        edits: Vec::new(),
        keys: Vec::new(),
    };
    for (k, o) in overrides.iter().enumerate() {
        let Ok(root) = DeTable::parse(&edited.text) else {
            break;
        };
        let refuse = |key: String, message: String| ScenarioError {
            file: src.path.to_path_buf(),
            position: None,
            set: Some(o.to_string()),
            key,
            message,
        };
        let found = resolve(&edited.text, root.get_ref(), &o.steps).map_err(|(at, why)| {
            let key = render(&o.steps[..at.min(o.steps.len())]);
            refuse(key, why)
        })?;
        let (start, old_len, new) = match found.change {
            Change::Replace(span) => (span.start, span.len(), o.value.clone()),
            Change::Insert(at, line) => (at, 0, line.replace("{value}", &o.value)),
        };
        edited.text.replace_range(start..start + old_len, &new);
        edited.edits.push(Edit {
            set: k,
            start,
            old_len,
            new_len: new.len(),
        });
        edited.keys.push(found.names);
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    pub(super) fn set(text: &str, args: &[&str]) -> Result<String, String> {
        let src = Source {
            path: Path::new("s.toml"),
            text,
        };
        let overrides: Vec<Override> = args.iter().map(|a| Override::parse(a).unwrap()).collect();
        apply(&src, &overrides)
            .map(|e| e.text)
            .map_err(|e| e.to_string())
    }

    pub(super) const DOC: &str = r#"# a comment
[scenario]
name = "S"  # kept

[hardware]
doubling_time_years = "2 to 3"

[costs.staff]
wage = 1

[[actor]]
name = "Big tech"
budget = 1e9

[[actor]]
name = "Lab"
budget = { low = 1, high = 2 }

[[actor.regime]]
until = 2030
growth_per_year = 2

[[actor.regime]]
growth_per_year = 1.5
"#;

    #[test]
    fn keys_and_values_are_read_as_toml() {
        let o = Override::parse("hardware.doubling_time_years=2 to 3").unwrap();
        assert_eq!(o.to_string(), "hardware.doubling_time_years=\"2 to 3\"");
        let o = Override::parse(" actor.\"Big tech\" . budget = 1e9 ").unwrap();
        assert_eq!(o.key(), "actor.\"Big tech\" . budget");
        assert_eq!(o.value(), "1e9");
        assert_eq!(
            o.steps,
            [
                Step::Key("actor".into()),
                Step::Key("Big tech".into()),
                Step::Key("budget".into())
            ]
        );
        let o = Override::parse("algorithms.regime[2].halving_time_years='1 to 2'").unwrap();
        assert_eq!(o.steps[1..3], [Step::Key("regime".into()), Step::Index(2)]);
        assert_eq!(o.value(), "'1 to 2'");
        assert_eq!(Override::parse("a=$1B").unwrap().value(), "\"$1B\"");
        assert_eq!(Override::parse("a=[1, 2]").unwrap().value(), "[1, 2]");
        assert_eq!(
            Override::parse("a=1\nb = 2").unwrap().value(),
            "\"1\\nb = 2\""
        );
        assert_eq!(Override::parse("a.'x=y'=1").unwrap().key(), "a.'x=y'");
    }

    #[test]
    fn malformed_arguments_are_refused_with_a_reason() {
        for (arg, says) in [
            ("hardware.doubling_time_years", "there is no `=`"),
            ("=3", "a key is missing at the start"),
            ("hardware.=3", "a key is missing after `hardware.`"),
            ("hardware.doubling time=3", "unexpected `t`"),
            ("a.\"b=1", "not closed"),
            ("a[0].b=1", "numbered from [1]"),
            ("a[x]=1", "not an index"),
            ("a=", "no value"),
        ] {
            let e = Override::parse(arg).unwrap_err();
            assert!(e.contains(says), "{arg}: {e}");
        }
    }

    #[test]
    fn a_value_is_replaced_in_place_keeping_the_rest() {
        let t = set(DOC, &["hardware.doubling_time_years=4"]).unwrap();
        assert_eq!(t, DOC.replace("\"2 to 3\"", "4"));
        let t = set(
            DOC,
            &[
                "actor.\"Big tech\".budget=$2B",
                "actor[2].regime[2].growth_per_year=1.1",
            ],
        )
        .unwrap();
        assert_eq!(
            t,
            DOC.replace("budget = 1e9", "budget = \"$2B\"")
                .replace("growth_per_year = 1.5", "growth_per_year = 1.1")
        );
        let t = set(DOC, &["actor.Lab.budget.high=3"]).unwrap();
        assert_eq!(t, DOC.replace("high = 2", "high = 3"));
        let t = set(DOC, &["actor.Lab.budget={ low = 5, high = 6 }"]).unwrap();
        assert_eq!(
            t,
            DOC.replace("{ low = 1, high = 2 }", "{ low = 5, high = 6 }")
        );
    }
}
