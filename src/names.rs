//! Names of targets and actor classes: the standard classes', and how names appear in file
//! names.

/// The standard actor classes' names, those of `scenarios/baseline.toml` (charts give each its
/// own colour; the backtest's history names its matches' classes by them).
pub const STANDARD_CLASSES: [&str; 7] = [
    "Frontier labs",
    "Big tech",
    "Well-funded startups",
    "National governments",
    "Academic labs",
    "Open-source collectives",
    "Individuals",
];

/// The longest name a target or actor class may have, in characters (names head tables and
/// label charts; a name far longer is a mistake, not a name).
pub const MAX_NAME_CHARS: usize = 200;

/// The longest chart file stem, in bytes: with an extension and the hidden temporary name a
/// file is first written under (`.STEM.svg.XXXXXX.tmp`), well within the 255 bytes a file name
/// may have.
pub const MAX_STEM_BYTES: usize = 200;

/// A chart's file stem from its kind and the names it is of (`tornado`, target, class), each
/// as its [`slug`], joined by `_`. Two 200-character names would pass [`MAX_STEM_BYTES`]:
/// such a stem is cut and ends in 16 hexadecimal digits of the SHA-256 of the whole, so that it
/// still names one chart.
pub fn chart_stem(kind: &str, names: &[&str]) -> String {
    let mut stem = kind.to_string();
    for n in names {
        stem.push('_');
        stem.push_str(&slug(n));
    }
    if stem.len() <= MAX_STEM_BYTES {
        return stem;
    }
    // A slug is ASCII: any byte is a character boundary.
    format!("{}_{}", &stem[..MAX_STEM_BYTES - 17], short_hash(&stem))
}

/// 16 hexadecimal digits of the SHA-256 of `text`: what tells apart two long names cut to the
/// same beginning.
pub fn short_hash(text: &str) -> String {
    let mut hex = crate::format::sha256_hex(text.as_bytes());
    hex.truncate(16);
    hex
}

/// `files` (name, bytes) with every name its own: a name already taken (two charts whose
/// names give one stem, `GPT x` × `Lab` and `GPT` × `x Lab`) gets `_2`, `_3`, … before its
/// extension, in order, rather than one file silently replacing the other.
pub fn distinct_file_names(files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut taken = std::collections::HashSet::new();
    files
        .into_iter()
        .map(|(name, bytes)| {
            let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
            let mut candidate = name.clone();
            let mut k = 1;
            while taken.contains(&candidate) {
                k += 1;
                candidate = if ext.is_empty() {
                    format!("{stem}_{k}")
                } else {
                    format!("{stem}_{k}.{ext}")
                };
            }
            taken.insert(candidate.clone());
            (candidate, bytes)
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_stems_stay_short_and_apart() {
        assert_eq!(
            chart_stem("tornado", &["GPT-4 level", "Big tech"]),
            "tornado_gpt_4_level_big_tech"
        );
        let (a, b) = ("a".repeat(200), "b".repeat(200));
        let long = chart_stem("tornado", &[&a, &b]);
        let other = chart_stem("tornado", &[&a, &"c".repeat(200)]);
        assert_eq!(long.len(), MAX_STEM_BYTES);
        assert_ne!(long, other);
        assert!(long.starts_with("tornado_aaaa"));
    }

    #[test]
    fn repeated_file_names_are_numbered() {
        let files = |names: &[&str]| -> Vec<(String, Vec<u8>)> {
            names.iter().map(|n| (n.to_string(), vec![])).collect()
        };
        let names: Vec<String> = distinct_file_names(files(&[
            "t_x.svg",
            "t_x.png",
            "t_x.svg",
            "t_x.png",
            "t_x_2.svg",
            "t_x.svg",
        ]))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
        assert_eq!(
            names,
            [
                "t_x.svg",
                "t_x.png",
                "t_x_2.svg",
                "t_x_2.png",
                "t_x_2_2.svg",
                "t_x_3.svg"
            ]
        );
    }
}
