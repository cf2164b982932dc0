//! `run --samples-out FILE.parquet`: wiring only (the rows and the file are in
//! `crate::samples`). The file is written beside its place under a temporary name and renamed
//! into place only once the run's other outputs are: an interrupted or failed run leaves the
//! old file, or none, never part of one.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use tempfile::NamedTempFile;

use super::{Failure, progress_bar, sim_failure};
use crate::samples::{WriteError, write_parquet};
use crate::scenario::Scenario;
use crate::sim::RunOptions;

/// A per-sample file being made: its place and the temporary file it is written to.
pub(super) struct SamplesFile {
    path: PathBuf,
    tmp: NamedTempFile,
}

impl SamplesFile {
    /// Checks `path` and opens its temporary file, before anything is sampled: bad input if it
    /// does not end in `.parquet`, is a folder, or its folder does not exist or cannot be
    /// written. `out_dir` is the run's output folder, which may not exist yet: a file inside it
    /// is staged in the folder above and moved in after the run's outputs are in place.
    pub(super) fn prepare(path: &Path, out_dir: Option<&Path>) -> Result<Self, Failure> {
        check(path)?;
        let shown = path.display();
        let bad = |why: String| Failure::BadInput(format!("--samples-out {shown}: {why}"));
        let folder = absolute(path.parent().unwrap_or(Path::new("")))?;
        let out_dir = out_dir.map(absolute).transpose()?;
        let staging_folder = match out_dir {
            // The output folder (made or replaced with the run's outputs), or one of the user's
            // folders in it (carried over into the new set): staged beside it.
            Some(out) if folder == out || (folder.starts_with(&out) && folder.is_dir()) => {
                out.parent().map_or(out.clone(), Path::to_path_buf)
            }
            _ if folder.is_dir() => folder,
            _ => {
                return Err(bad(format!(
                    "no folder {}: create it first, or write the file elsewhere",
                    folder.display()
                )));
            }
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&staging_folder)
            .map_err(|e| bad(format!("cannot write in {}: {e}", staging_folder.display())))?;
        Ok(Self {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Draws the samples `range` of the run again, writes their rows to the temporary file, and
    /// returns the number of rows.
    pub(super) fn write(
        &mut self,
        scn: &Scenario,
        opts: &RunOptions,
        range: Range<u64>,
        quiet: bool,
        cancel: &AtomicBool,
    ) -> Result<u64, Failure> {
        let rows = range.end.saturating_sub(range.start);
        let bar = progress_bar(rows, quiet);
        let file = self.tmp.as_file_mut();
        match write_parquet(scn, opts, range, &mut *file, &|n| bar.inc(n), cancel) {
            Ok(_) => {}
            Err(WriteError::Sim(e)) => return Err(sim_failure(e)),
            Err(WriteError::Write(e)) => return Err(self.failed(e)),
        }
        bar.finish_and_clear();
        #[cfg(unix)]
        {
            // A temporary file is private (0600); this is an ordinary output file.
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o644);
            file.set_permissions(mode).map_err(|e| self.failed(e))?;
        }
        Ok(rows)
    }

    /// Renames the written file into its place.
    pub(super) fn persist(self) -> Result<PathBuf, Failure> {
        let path = self.path.clone();
        self.tmp.persist(&path).map_err(|e| {
            Failure::Failed(format!("cannot write {}: {}", path.display(), e.error))
        })?;
        Ok(path)
    }

    fn failed(&self, e: impl std::fmt::Display) -> Failure {
        Failure::Failed(format!("cannot write {}: {e}", self.path.display()))
    }
}

/// Refuses, before anything is read or written, a `--samples-out` path that does not end in
/// `.parquet` or is a folder.
pub(super) fn check(path: &Path) -> Result<(), Failure> {
    let bad = |why: &str| {
        Failure::BadInput(format!(
            "--samples-out {}: {why}: give a file name ending in .parquet",
            path.display()
        ))
    };
    let is_parquet = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if !is_parquet {
        return Err(bad("the per-sample file is Parquet"));
    }
    if path.is_dir() {
        return Err(bad("is a folder"));
    }
    // An earlier per-sample file (or an empty one, as `mktemp` makes) is replaced; anything
    // else that happens to be there is not.
    let holds_something = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if holds_something && !is_parquet_file(path) {
        return Err(Failure::BadInput(format!(
            "--samples-out {}: the file exists and is not a Parquet file; give a new path (an earlier per-sample file is replaced)",
            path.display()
        )));
    }
    Ok(())
}

/// Whether the file at `path` starts with Parquet's magic bytes, `PAR1`.
fn is_parquet_file(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"PAR1")
}

/// `path` made absolute (from the working folder), without resolving links.
fn absolute(path: &Path) -> Result<PathBuf, Failure> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    std::path::absolute(path).map_err(|e| {
        Failure::BadInput(format!(
            "--samples-out: cannot resolve {}: {e}",
            path.display()
        ))
    })
}

/// Prepares `--samples-out`, if given (see [`SamplesFile::prepare`]).
pub(super) fn requested(
    path: Option<&Path>,
    out_dir: Option<&Path>,
) -> Result<Option<SamplesFile>, Failure> {
    path.map(|p| SamplesFile::prepare(p, out_dir)).transpose()
}
