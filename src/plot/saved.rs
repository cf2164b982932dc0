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
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
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
    Summary::from_slice(&bytes)
        .map_err(|e| format!("{}: not a diffusion-sim summary: {e}", path.display()))
}

/// The rows of the CSV file at `path` as `T`, refusing a header without one of `columns`, a cell
/// of a `finite` column that reads as NaN or infinite, and a row that is not a `T`, each naming
/// its line (and column).
pub fn csv_rows<T: DeserializeOwned>(
    path: &Path,
    columns: &[&str],
    finite: &[&str],
) -> Result<Vec<T>, String> {
    let bytes = read(path)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let damaged = |line: u64, what: String| format!("{}:{line}: damaged: {what}", path.display());
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
        for c in finite {
            let cell = index(c).and_then(|i| record.get(i)).unwrap_or("");
            if cell.parse::<f64>().is_ok_and(|v| !v.is_finite()) {
                return Err(damaged(
                    line,
                    format!("column `{c}`: \"{cell}\" is not a finite number"),
                ));
            }
        }
        rows.push(
            record
                .deserialize(Some(&header))
                .map_err(|e| damaged(line, describe(&e, &header)))?,
        );
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
        csv_rows::<Row>(&path, &["name", "year", "rho"], &["year", "rho"])
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
}
