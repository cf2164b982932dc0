//! Writing a run's files so that no reader ever sees a half-written one: every file is written
//! to a temporary name in the output directory, and only once all of them are complete are they
//! renamed into place. A failure or an interruption before that leaves the old files untouched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file system operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Interrupted before the files were renamed into place.
    #[error("interrupted")]
    Cancelled,
}

/// Writes every `(file name, bytes)` into `dir` (created if needed), all or nothing as far as
/// complete files go: temporaries first, then renames.
pub fn write_files(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    cancel: &AtomicBool,
) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let target = dir.join(name);
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io(&target))?;
        // Temporary files are created private (0600); results are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(io(&target))?;
        }
        tmp.write_all(bytes).map_err(io(&target))?;
        tmp.as_file().sync_all().map_err(io(&target))?;
        staged.push((tmp, target));
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(OutputError::Cancelled);
    }
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| OutputError::Io {
            path: target.clone(),
            source: e.error,
        })?;
    }
    Ok(())
}

/// Removes those of `optional` files in `dir` that a run did not write (`written`), so that a
/// folder never holds one run's files beside another's (e.g. an old `ranks.csv` after a run
/// without ranks).
pub fn remove_stale(
    dir: &Path,
    optional: &[&str],
    written: &[(String, Vec<u8>)],
) -> Result<(), OutputError> {
    for name in optional {
        if written.iter().any(|(n, _)| n == name) {
            continue;
        }
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(OutputError::Io { path, source }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_all_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let files = vec![
            ("a.csv".to_string(), b"x\n".to_vec()),
            ("b.json".to_string(), b"{}".to_vec()),
        ];
        write_files(&out, &files, &AtomicBool::new(false)).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a.csv", "b.json"]);
        assert_eq!(std::fs::read(out.join("a.csv")).unwrap(), b"x\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join("a.csv"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn a_cancelled_write_leaves_old_files_and_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), b"old").unwrap();
        let files = vec![("a.csv".to_string(), b"new".to_vec())];
        assert!(matches!(
            write_files(dir.path(), &files, &AtomicBool::new(true)),
            Err(OutputError::Cancelled)
        ));
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
