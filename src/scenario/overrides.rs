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
*/

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use toml::de::{DeTable, DeValue};

use super::error::{ScenarioError, Source};
use super::parse::quoted;
use super::walk::{Value, list, suggestion};

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

/// Reads a dotted key at the start of `s`: its steps and where it ends (before the `=`).
fn parse_key(s: &str) -> Result<(Vec<Step>, usize), String> {
    let bytes = s.as_bytes();
    let skip_spaces = |mut i: usize| {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        i
    };
    let mut steps = Vec::new();
    let mut i = skip_spaces(0);
    loop {
        // A key: bare, or quoted as in TOML.
        let start = i;
        match bytes.get(i) {
            Some(b'"') | Some(b'\'') => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if quote == b'"' && bytes[i] == b'\\' {
                        2
                    } else {
                        1
                    };
                }
                if i >= bytes.len() {
                    return Err(format!("the quote at `{}` is not closed", &s[start..]));
                }
                i += 1;
                let key = decode_quoted(&s[start..i])
                    .ok_or_else(|| format!("{} is not a quoted TOML key", &s[start..i]))?;
                steps.push(Step::Key(key));
            }
            _ => {
                while i < bytes.len() && is_bare(bytes[i]) {
                    i += 1;
                }
                if i == start {
                    let what = match s[i..].chars().next() {
                        Some('=' | '.' | '[') | None => "a key is missing".to_string(),
                        Some(c) => format!("unexpected `{c}`"),
                    };
                    let before = if steps.is_empty() {
                        "at the start".to_string()
                    } else {
                        format!("after `{}`", s[..start].trim())
                    };
                    return Err(format!("{what} {before}"));
                }
                steps.push(Step::Key(s[start..i].to_string()));
            }
        }
        i = skip_spaces(i);
        // Indices into a list: [1], [2], …
        while bytes.get(i) == Some(&b'[') {
            let close = s[i..]
                .find(']')
                .map(|j| i + j)
                .ok_or_else(|| format!("`{}` is not closed with `]`", &s[i..]))?;
            let n: usize = s[i + 1..close]
                .trim()
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    format!(
                        "`{}` is not an index: entries are numbered from [1]",
                        &s[i..=close]
                    )
                })?;
            steps.push(Step::Index(n));
            i = skip_spaces(close + 1);
        }
        if bytes.get(i) == Some(&b'.') {
            i = skip_spaces(i + 1);
        } else {
            return Ok((steps, i));
        }
    }
}

fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A quoted TOML key (`"Big tech"`, `'Big tech'`) as text.
fn decode_quoted(raw: &str) -> Option<String> {
    let doc = format!("k = {raw}");
    let root = DeTable::parse(&doc).ok()?;
    let (_, v) = root.get_ref().iter().next()?;
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// `value` as TOML text: itself when it is one TOML value, else a TOML string of it.
fn toml_value(value: &str) -> String {
    let doc = format!("v = {value}\n");
    if let Ok(root) = DeTable::parse(&doc) {
        let entries: Vec<_> = root.get_ref().iter().collect();
        if let [(_, v)] = entries.as_slice()
            && v.span() == (4..4 + value.len())
        {
            return value.to_string();
        }
    }
    basic_string(value)
}

/// A TOML basic string: `"…"` with `"`, `\` and control characters escaped.
fn basic_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if c.is_control() => o.push_str(&format!("\\u{:04X}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A key as TOML writes it: bare when it can be.
fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.bytes().all(is_bare) {
        k.to_string()
    } else {
        basic_string(k)
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

/// Where an offset of the edited text comes from.
enum Origin {
    /// This offset of the file.
    File(usize),
    /// The value (or added line) of this `--set`.
    Set(usize),
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

impl Edited {
    /// Where offset `off` of the edited text comes from.
    fn origin(&self, mut off: usize) -> Origin {
        for e in self.edits.iter().rev() {
            if off >= e.start + e.new_len {
                off = off - e.new_len + e.old_len;
            } else if off >= e.start {
                return Origin::Set(e.set);
            }
        }
        Origin::File(off)
    }

    /// An error (or warning) the scenario parser found in the edited text, placed in the file
    /// (`src`) or in the `--set` argument it concerns.
    pub(super) fn locate(
        &self,
        mut e: ScenarioError,
        src: &Source,
        overrides: &[Override],
    ) -> ScenarioError {
        let mut set = None;
        if let Some((line, col)) = e.position {
            match self.origin(offset_of(&self.text, line, col)) {
                Origin::Set(k) => set = Some(k),
                Origin::File(off) => e.position = Some(src.position(off)),
            }
        }
        // An error about a set key, placed elsewhere (e.g. at its table), is still its.
        let about = |names: &Vec<String>| {
            names.iter().any(|n| {
                e.key == *n
                    || e.key
                        .strip_prefix(n.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
        };
        let set = set.or_else(|| self.keys.iter().rposition(about));
        if let Some(k) = set {
            e.set = Some(overrides[k].to_string());
            e.position = None;
        }
        e
    }
}

/// The byte offset of 1-based `line` and `col` (in characters) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// `steps` written back as a dotted key.
fn render(steps: &[Step]) -> String {
    let mut o = String::new();
    for s in steps {
        match s {
            Step::Key(k) => {
                if !o.is_empty() {
                    o.push('.');
                }
                o.push_str(&toml_key(k));
            }
            Step::Index(n) => o.push_str(&format!("[{n}]")),
        }
    }
    o
}

/// What a `--set` changes in the text.
enum Change {
    /// The value at this span.
    Replace(Range<usize>),
    /// A line at this offset; `{value}` stands for the value.
    Insert(usize, String),
}

/// A resolved key: the change, and the names the scenario parser gives the key (by the entries'
/// names, by their indices).
struct Found {
    change: Change,
    names: Vec<String>,
}

/// Where a key can be added to a table: the nearest enclosing table written with a header or
/// inline (or the top level), and the dotted keys from it to the table.
#[derive(Clone)]
enum Anchor {
    Top,
    Header(Range<usize>),
    Inline(Range<usize>),
}

/// A failure at step number `.0`, saying `.1`.
type Refusal = (usize, String);

/// Finds `steps` in the document `root` (parsed from `text`).
fn resolve(text: &str, root: &DeTable, steps: &[Step]) -> Result<Found, Refusal> {
    let mut table = root;
    let mut anchor = (Anchor::Top, Vec::<String>::new());
    // The parser's names of the key: entries by name where they have one, and by index.
    let (mut by_name, mut by_index) = (String::new(), String::new());
    let mut i = 0;
    loop {
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
        for n in [&mut by_name, &mut by_index] {
            if !n.is_empty() {
                n.push('.');
            }
            n.push_str(key);
        }
        let last = i + 1 == steps.len();
        let names = || vec![by_name.clone(), by_index.clone()];
        let Some(v) = get(table, key) else {
            if last {
                let (at, line) = insertion(text, root, &anchor, key);
                return Ok(Found {
                    change: Change::Insert(at, line),
                    names: names(),
                });
            }
            return Err((i + 1, missing_table(table, key, &render(&steps[..i]))));
        };
        match v.get_ref() {
            DeValue::Table(t) => {
                let span = v.span();
                if last {
                    if text[span.clone()].starts_with('{') {
                        return Ok(Found {
                            change: Change::Replace(span),
                            names: names(),
                        });
                    }
                    return Err((i + 1, is_a_table(&render(steps))));
                }
                anchor = step_anchor(text, span, anchor, key);
                table = t;
                i += 1;
            }
            DeValue::Array(items) => {
                let span = v.span();
                // An array of tables written [[key]] has the span of its first header.
                let of_tables = items.first().is_some_and(|f| f.span() == span);
                if last {
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
                    return Ok(Found {
                        change: Change::Replace(span),
                        names: names(),
                    });
                }
                let (n, item) = entry(key, items, &steps[i + 1], &render(&steps[..=i]))
                    .map_err(|why| (i + 2, why))?;
                by_index.push_str(&format!("[{n}]"));
                match name_of(item) {
                    Some(name) => by_name.push_str(&format!(".{}", quoted(name))),
                    None => by_name.push_str(&format!("[{n}]")),
                }
                i += 2;
                let at = render(&steps[..i]);
                let item_span = item.span();
                match item.get_ref() {
                    _ if i == steps.len() && text[item_span.clone()].starts_with('[') => {
                        return Err((i, is_a_table(&at)));
                    }
                    _ if i == steps.len() => {
                        return Ok(Found {
                            change: Change::Replace(item_span),
                            names: vec![by_name, by_index],
                        });
                    }
                    DeValue::Table(t) => {
                        anchor = step_anchor(text, item_span, anchor, "");
                        table = t;
                    }
                    other => {
                        return Err((i + 1, not_a_table(&at, other)));
                    }
                }
            }
            other => {
                if last {
                    return Ok(Found {
                        change: Change::Replace(v.span()),
                        names: names(),
                    });
                }
                return Err((i + 2, not_a_table(&render(&steps[..=i]), other)));
            }
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
        super::walk::type_name(v)
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

/// Where and how to add `key` to the table at `anchor`: an offset and the text, with `{value}`
/// for the value.
fn insertion(
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
    use std::path::Path;

    use super::*;

    fn set(text: &str, args: &[&str]) -> Result<String, String> {
        let src = Source {
            path: Path::new("s.toml"),
            text,
        };
        let overrides: Vec<Override> = args.iter().map(|a| Override::parse(a).unwrap()).collect();
        apply(&src, &overrides)
            .map(|e| e.text)
            .map_err(|e| e.to_string())
    }

    const DOC: &str = r#"# a comment
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

    #[test]
    fn places_in_the_edited_text_map_back_to_the_file_or_the_set() {
        let src = Source {
            path: Path::new("s.toml"),
            text: DOC,
        };
        let overrides = [
            Override::parse("scenario.seed=3").unwrap(),
            Override::parse("hardware.doubling_time_years=4").unwrap(),
        ];
        let edited = apply(&src, &overrides).unwrap();
        let at = |needle: &str| {
            let off = edited.text.find(needle).unwrap();
            let (line, col) = Source {
                path: src.path,
                text: &edited.text,
            }
            .position(off);
            assert_eq!(offset_of(&edited.text, line, col), off);
            edited.locate(
                ScenarioError {
                    file: "s.toml".into(),
                    position: Some((line, col)),
                    set: None,
                    key: "k".into(),
                    message: "m".into(),
                },
                &src,
                &overrides,
            )
        };
        assert_eq!(at("wage").to_string(), "s.toml:9:1: `k`: m");
        assert_eq!(
            at("seed").to_string(),
            "s.toml: in --set scenario.seed=3: `k`: m"
        );
        assert_eq!(
            at("4\n").set.as_deref(),
            Some("hardware.doubling_time_years=4")
        );
        let by_key = edited.locate(
            ScenarioError {
                file: "s.toml".into(),
                position: None,
                set: None,
                key: "hardware.doubling_time_years".into(),
                message: "m".into(),
            },
            &src,
            &overrides,
        );
        assert_eq!(
            by_key.set.as_deref(),
            Some("hardware.doubling_time_years=4")
        );
    }
}
