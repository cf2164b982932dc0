//! A dotted key and a value as TOML text: `--set`'s key read into steps, its value made TOML,
//! and keys written back.

use toml::de::{DeTable, DeValue};

use super::Step;

/// Reads a dotted key at the start of `s`: its steps and where it ends (before the `=`).
pub(super) fn parse_key(s: &str) -> Result<(Vec<Step>, usize), String> {
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
                let (key, end) = quoted_key(s, start)?;
                steps.push(Step::Key(key));
                i = end;
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

/// Reads the quoted key that starts at `start` of `s`: the key and where it ends.
fn quoted_key(s: &str, start: usize) -> Result<(String, usize), String> {
    let bytes = s.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
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
    Ok((key, i))
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
pub(super) fn toml_value(value: &str) -> String {
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
pub(super) fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.bytes().all(is_bare) {
        k.to_string()
    } else {
        basic_string(k)
    }
}

/// `steps` written back as a dotted key.
pub(super) fn render(steps: &[Step]) -> String {
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
