//! Reading back a run's saved files (for `plot` and `report`): a damaged or foreign file is
//! refused, naming it and, where the parser gives one, its line and column; never skipped.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::schema::Summary;

/// The file's bytes, or an error naming it.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The `summary.json` at `path`.
pub fn summary(path: &Path) -> Result<Summary, String> {
    let bytes = read(path)?;
    valid_json(path, &bytes)?;
    let summary = Summary::from_slice(&bytes)
        .map_err(|e| format!("{}: not a diffusion-sim summary: {e}", path.display()))?;
    check_summary(&summary).map_err(|e| format!("{}: damaged: {e}", path.display()))?;
    Ok(summary)
}

/// The JSON file at `path` (`compare.json`, `sweep.json`) as a `T`: refused naming the line and
/// column where it is not valid JSON, and where it is not what a `what` writes.
pub fn json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, String> {
    let bytes = read(path)?;
    valid_json(path, &bytes)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let full = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        format!(
            "{}:{}:{}: not a diffusion-sim {what}: {}",
            path.display(),
            e.line(),
            e.column(),
            full.strip_suffix(&place).unwrap_or(&full)
        )
    })
}

/// Refuses `bytes` that are not valid JSON, naming the line and column of `path`.
pub fn valid_json(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        // serde_json's message ends in " at line L column C": put the place first instead.
        let full = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        return Err(format!(
            "{}:{}:{}: damaged, not valid JSON: {}",
            path.display(),
            e.line(),
            e.column(),
            full.strip_suffix(&place).unwrap_or(&full)
        ));
    }
    Ok(())
}

/// Refuses a summary whose numbers cannot be a run's: reporting years that are not finite and
/// ascending, an `affordability` list that is not every target × the same classes in the same
/// order, per-year lists whose length is not that of `years`, probabilities outside `[0, 1]`,
/// years of affordability outside the horizon, lags that are not finite and dollars that are not finite and non-negative. The message
/// names the entry and the key.
pub fn check_summary(s: &Summary) -> Result<(), String> {
    check_affordability(s.start_year, s.end_year, &s.years, &s.affordability)?;
    let (start, end) = (s.start_year, s.end_year);
    let n = s.years.len();
    for (i, r) in s.ranks.iter().enumerate() {
        let at = format!("`ranks[{i}]` ({} × rank {})", r.target, r.rank);
        per_year_probabilities(&at, &r.p_by_year, n)?;
        probability(&at, "p_by_horizon", r.p_by_horizon)?;
        within(&at, "frontier_year", r.frontier_year, f64::MIN, f64::MAX)?;
        years(&at, "year", &r.year.ordered(), start, end)?;
        if let Some(lag) = &r.lag {
            years(&at, "lag", &lag.ordered(), f64::MIN, f64::MAX)?;
        }
    }
    for (i, c) in s.cost_components.iter().enumerate() {
        let at = format!(
            "`cost_components[{i}]` ({} × {} × {})",
            c.target, c.actor, c.component
        );
        length(&at, "quantiles_by_year", c.quantiles_by_year.len(), n)?;
        for (k, q) in c.quantiles_by_year.iter().enumerate() {
            if let Some(q) = q {
                dollars(&at, &format!("quantiles_by_year[{k}]"), q)?;
            }
        }
        if let Some(v) = &c.mean_share_by_year {
            length(&at, "mean_share_by_year", v.len(), n)?;
            for (k, p) in v.iter().enumerate() {
                if let Some(p) = p {
                    probability(&at, &format!("mean_share_by_year[{k}]"), *p)?;
                }
            }
        }
        if let Some(v) = &c.share_by_year {
            length(&at, "share_by_year", v.len(), n)?;
            for (k, q) in v.iter().enumerate() {
                for (level, p) in q.iter().flat_map(quantiles) {
                    probability(&at, &format!("share_by_year[{k}].{level}"), p)?;
                }
            }
        }
    }
    for (i, c) in s.class_costs.iter().enumerate() {
        let at = format!("`class_costs[{i}]` ({} × {})", c.target, c.actor);
        length(&at, "quantiles_by_year", c.quantiles_by_year.len(), n)?;
        for (k, q) in c.quantiles_by_year.iter().enumerate() {
            if let Some(q) = q {
                dollars(&at, &format!("quantiles_by_year[{k}]"), q)?;
            }
        }
    }
    Ok(())
}

/// Refuses an affordability list that cannot be a run's over the horizon `start`–`end` with
/// reporting years `reporting`: see [`check_summary`].
pub fn check_affordability(
    start: f64,
    end: f64,
    reporting: &[f64],
    affordability: &[crate::schema::Pair],
) -> Result<(), String> {
    if !start.is_finite() || !end.is_finite() || start > end {
        return Err(format!(
            "`start_year` {start} and `end_year` {end} are not a horizon (two finite years, the first not after the second)"
        ));
    }
    if let Some(i) = (0..reporting.len()).find(|&i| {
        let y = reporting[i];
        !y.is_finite() || (i > 0 && y <= reporting[i - 1])
    }) {
        return Err(format!(
            "`years[{i}]` = {}: reporting years are finite and ascend",
            show(reporting[i])
        ));
    }
    let n = reporting.len();
    // Every target × every class, target by target, each in the order first met.
    let mut classes: Vec<&str> = Vec::new();
    let mut targets: Vec<&str> = Vec::new();
    for p in affordability {
        if !classes.contains(&p.actor.as_str()) {
            classes.push(&p.actor);
        }
        if !targets.contains(&p.target.as_str()) {
            targets.push(&p.target);
        }
    }
    let grid = || {
        format!(
            "every target × the classes {}, target by target",
            classes.join(", ")
        )
    };
    if affordability.len() != targets.len() * classes.len() {
        return Err(format!(
            "`affordability` has {} entries, expected {} × {} ({})",
            affordability.len(),
            targets.len(),
            classes.len(),
            grid()
        ));
    }
    for (i, p) in affordability.iter().enumerate() {
        let at = format!("`affordability[{i}]`");
        let (target, class) = (targets[i / classes.len()], classes[i % classes.len()]);
        if p.target != target || p.actor != class {
            return Err(format!(
                "{at} is {} × {}, expected {target} × {class} ({})",
                p.target,
                p.actor,
                grid()
            ));
        }
        let at = format!("{at} ({target} × {class})");
        per_year_probabilities(&at, &p.p_by_year, n)?;
        probability(&at, "p_by_horizon", p.p_by_horizon)?;
        probability(&at, "p_not_by_horizon", p.p_not_by_horizon)?;
        within(&at, "frontier_year", p.frontier_year, f64::MIN, f64::MAX)?;
        years(&at, "year", &p.year.ordered(), start, end)?;
        if let Some(lag) = &p.lag {
            years(&at, "lag", &lag.ordered(), f64::MIN, f64::MAX)?;
        }
    }
    Ok(())
}

/// A number for a message: as written when short, else in exponent form (`1e300`, not 301
/// digits).
pub fn show(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e7).contains(&v.abs()) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// The five quantiles of `q` with their keys.
fn quantiles(q: &crate::schema::ValueQuantiles) -> [(&'static str, f64); 5] {
    [
        ("p5", q.p5),
        ("p25", q.p25),
        ("p50", q.p50),
        ("p75", q.p75),
        ("p95", q.p95),
    ]
}

/// Refuses a list of `len` items where `n` (one per reporting year) are expected.
fn length(at: &str, key: &str, len: usize, n: usize) -> Result<(), String> {
    if len == n {
        return Ok(());
    }
    Err(format!(
        "{at}: `{key}` has {len} values, but there are {n} reporting years"
    ))
}

/// Refuses a value of `key` that is not a probability.
fn probability(at: &str, key: &str, p: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&p) {
        return Ok(());
    }
    Err(format!(
        "{at}: `{key}` = {} is not a probability (0 to 1)",
        show(p)
    ))
}

/// Refuses a per-year list of probabilities of the wrong length or with one out of `[0, 1]`.
fn per_year_probabilities(at: &str, v: &[f64], n: usize) -> Result<(), String> {
    length(at, "p_by_year", v.len(), n)?;
    for (k, p) in v.iter().enumerate() {
        probability(at, &format!("p_by_year[{k}]"), *p)?;
    }
    Ok(())
}

/// Refuses a year (or lag) `key` outside `[lo, hi]` (NaN is outside every range).
fn within(at: &str, key: &str, y: Option<f64>, lo: f64, hi: f64) -> Result<(), String> {
    match y {
        Some(y) if !y.is_finite() => Err(format!(
            "{at}: `{key}` = {} is not a finite number",
            show(y)
        )),
        Some(y) if !(lo..=hi).contains(&y) => Err(format!(
            "{at}: `{key}` = {} is outside the horizon {lo}–{hi}",
            show(y)
        )),
        _ => Ok(()),
    }
}

/// Refuses quantiles of a year (or lag) outside `[lo, hi]`.
fn years(at: &str, key: &str, q: &[Option<f64>; 5], lo: f64, hi: f64) -> Result<(), String> {
    for (level, y) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(q) {
        within(at, &format!("{key}.{level}"), *y, lo, hi)?;
    }
    Ok(())
}

/// Refuses dollar quantiles that are not finite and non-negative.
fn dollars(at: &str, key: &str, q: &crate::schema::ValueQuantiles) -> Result<(), String> {
    for (level, v) in quantiles(q) {
        if !(v.is_finite() && v >= 0.0) {
            return Err(format!(
                "{at}: `{key}.{level}` = {} is not a number of dollars (finite, not negative)",
                show(v)
            ));
        }
    }
    Ok(())
}

/// What the numbers of a CSV column may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Any finite number.
    Finite,
    /// A probability or share: a finite number from 0 to 1.
    Probability,
    /// A positive finite number (dollars, FLOP per dollar, a multiplier).
    Positive,
    /// A finite number not below 0 (a swing in years).
    NonNegative,
    /// A rank correlation: a finite number from −1 to 1.
    Correlation,
}

impl Allowed {
    /// Whether `v` is allowed.
    fn admits(self, v: f64) -> bool {
        match self {
            Allowed::Finite => v.is_finite(),
            Allowed::Probability => (0.0..=1.0).contains(&v),
            Allowed::Positive => v.is_finite() && v > 0.0,
            Allowed::NonNegative => v.is_finite() && v >= 0.0,
            Allowed::Correlation => (-1.0..=1.0).contains(&v),
        }
    }

    /// What is allowed, for a message.
    fn describe(self) -> &'static str {
        match self {
            Allowed::Finite => "a finite number",
            Allowed::Probability => "a probability (0 to 1)",
            Allowed::Positive => "a positive finite number",
            Allowed::NonNegative => "a finite number, 0 or more",
            Allowed::Correlation => "a correlation (−1 to 1)",
        }
    }
}

/// The rows of the CSV file at `path` as `T`, refusing a header without one of `columns`, a row
/// that is not a `T`, and a number in a column of `checks` that is not as [`Allowed`] (an empty
/// cell, of an optional value, passes), each naming its line (and column).
pub fn csv_rows_checked<T: DeserializeOwned>(
    path: &Path,
    columns: &[&str],
    checks: &[(&str, Allowed)],
) -> Result<Vec<T>, String> {
    let rows = csv_rows_at(path, columns, checks)?;
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// `path:line: damaged: what`, the message of a damaged file.
pub fn damaged(path: &Path, line: u64, what: &str) -> String {
    format!("{}:{line}: damaged: {what}", path.display())
}

/// [`csv_rows_checked`], each row with its line in the file, for checks across rows.
pub fn csv_rows_at<T: DeserializeOwned>(
    path: &Path,
    columns: &[&str],
    checks: &[(&str, Allowed)],
) -> Result<Vec<(u64, T)>, String> {
    let bytes = read(path)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let damaged = |line: u64, what: String| damaged(path, line, &what);
    let header = reader
        .headers()
        .map_err(|e| damaged(1, e.to_string()))?
        .clone();
    let index = |c: &str| header.iter().position(|h| h == c);
    if let Some(missing) = columns.iter().find(|c| index(c).is_none()) {
        return Err(damaged(
            1,
            format!(
                "no column `{missing}` in its header (expected {})",
                columns.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            damaged(line, describe(&e, &header))
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        for (c, allowed) in checks {
            let cell = index(c).and_then(|i| record.get(i)).unwrap_or("");
            if cell.parse::<f64>().is_ok_and(|v| !allowed.admits(v)) {
                return Err(damaged(
                    line,
                    format!("column `{c}`: \"{cell}\" is not {}", allowed.describe()),
                ));
            }
        }
        rows.push((
            line,
            record
                .deserialize(Some(&header))
                .map_err(|e| damaged(line, describe(&e, &header)))?,
        ));
    }
    Ok(rows)
}

/// What is wrong in a CSV row, naming the column where the reader knows it.
fn describe(e: &csv::Error, header: &csv::StringRecord) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|i| header.get(i as usize))
                .map(|c| format!("column `{c}`: "))
                .unwrap_or_default();
            format!("{column}{}", err.kind())
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("a row of {len} fields, but the header has {expected_len}"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        year: f64,
        rho: Option<f64>,
    }

    fn rows(text: &str) -> Result<Vec<Row>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        let checks = [("year", Allowed::Finite), ("rho", Allowed::Finite)];
        csv_rows_checked::<Row>(&path, &["name", "year", "rho"], &checks)
            .map_err(|e| e.replace(&path.display().to_string(), "t.csv"))
    }

    #[test]
    fn damaged_csv_files_are_refused_at_their_line() {
        assert_eq!(
            rows("name,year,rho\na,2030,\nb,2031,0.5\n").unwrap().len(),
            2
        );
        assert_eq!(rows("name,year,rho\n").unwrap().len(), 0);
        for (text, expected) in [
            (
                "x\n",
                "t.csv:1: damaged: no column `name` in its header (expected name,year,rho)",
            ),
            ("", "t.csv:1: damaged: no column `name`"),
            (
                "name,year,rho\na,2030,\nb,NaN,0.5\n",
                "t.csv:3: damaged: column `year`: \"NaN\" is not a finite number",
            ),
            (
                "name,year,rho\na,2030,inf\n",
                "t.csv:2: damaged: column `rho`: \"inf\" is not a finite number",
            ),
            (
                "name,year,rho\na,20x0,\n",
                "t.csv:2: damaged: column `year`: invalid float literal",
            ),
            (
                "name,year,rho\na,2030,\nb,20",
                "t.csv:3: damaged: a row of 2 fields, but the header has 3",
            ),
        ] {
            let got = rows(text).unwrap_err();
            assert!(got.starts_with(expected), "{text:?}: {got}");
        }
    }

    #[test]
    fn a_truncated_summary_is_refused_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        std::fs::write(&path, "{\n  \"schema_version\": 1,\n  \"scen").unwrap();
        let e = summary(&path).unwrap_err();
        assert_eq!(
            e,
            format!(
                "{}:3:7: damaged, not valid JSON: EOF while parsing a string",
                path.display()
            )
        );
        std::fs::write(&path, "{\"schema_version\": 0}").unwrap();
        let e = summary(&path).unwrap_err();
        assert!(
            e.contains("summary.json: not a diffusion-sim summary: layout version 0"),
            "{e}"
        );
    }

    #[test]
    fn numbers_in_messages_are_short() {
        assert_eq!(show(1e300), "1e300");
        assert_eq!(show(2.5), "2.5");
        assert_eq!(show(2025.0), "2025");
        assert_eq!(show(f64::NAN), "NaN");
        assert_eq!(show(-1e-9), "-1e-9");
    }

    /// Each kind of column admits what it says, at its edges too, and names what it allows.
    #[test]
    fn csv_cells_are_checked_as_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.csv");
        let columns = ["p", "usd", "swing", "rho"];
        let checks = [
            ("p", Allowed::Probability),
            ("usd", Allowed::Positive),
            ("swing", Allowed::NonNegative),
            ("rho", Allowed::Correlation),
        ];
        let probability = "is not a probability (0 to 1)";
        let positive = "is not a positive finite number";
        let non_negative = "is not a finite number, 0 or more";
        let correlation = "is not a correlation (−1 to 1)";
        for (row, expected) in [
            ("0.5,1,0,-1", None),
            ("1,1e300,12.5,1", None),
            ("1.5,1,0,0", Some(("p", "1.5", probability))),
            ("NaN,1,0,0", Some(("p", "NaN", probability))),
            ("0,0,0,0", Some(("usd", "0", positive))),
            ("0,inf,0,0", Some(("usd", "inf", positive))),
            ("0,1,-0.1,0", Some(("swing", "-0.1", non_negative))),
            ("0,1,inf,0", Some(("swing", "inf", non_negative))),
            ("0,1,0,1.01", Some(("rho", "1.01", correlation))),
            ("0,1,0,NaN", Some(("rho", "NaN", correlation))),
        ] {
            std::fs::write(&path, format!("{}\n{row}\n", columns.join(","))).unwrap();
            let got = csv_rows_checked::<(f64, f64, f64, f64)>(&path, &columns, &checks);
            match expected {
                None => assert!(got.is_ok(), "{row}: {got:?}"),
                Some((c, cell, says)) => {
                    let e = damaged(&path, 2, &format!("column `{c}`: \"{cell}\" {says}"));
                    assert_eq!(got.unwrap_err(), e, "{row}");
                }
            }
        }
    }
}
