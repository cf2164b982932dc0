//! Names of targets and actor classes as they appear in file names.

/// The longest name a target or actor class may have, in characters (names head tables and
/// label charts; a name far longer is a mistake, not a name).
pub const MAX_NAME_CHARS: usize = 200;

/// A name in a file name: lower-case ASCII letters and digits, other runs of characters as one
/// `_` (`GPT-4 level` → `gpt_4_level`); `unnamed` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() { "unnamed".into() } else { s }
}
