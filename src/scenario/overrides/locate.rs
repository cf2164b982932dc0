//! Places the scenario parser names in the edited text, mapped back to the file or to the
//! `--set` argument they come from.

use super::{Edited, Override};
use crate::scenario::error::{ScenarioError, Source};

/// Where an offset of the edited text comes from.
enum Origin {
    /// This offset of the file.
    File(usize),
    /// The value (or added line) of this `--set`.
    Set(usize),
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
    pub(in crate::scenario) fn locate(
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::overrides::apply;
    use crate::scenario::overrides::tests::DOC;

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
