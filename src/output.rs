//! Writing a run's files so that no reader ever sees a half-written one, and no folder ever holds
//! one run's files beside another's.
//!
//! A command writes its whole output set (data files and charts) into a [`Staging`] folder next
//! to the output folder, holding a lock on it; only when everything is written does
//! [`Staging::commit`] put the new set in the old one's place, by one atomic exchange of the two
//! folders where the system offers it (Linux `renameat2(RENAME_EXCHANGE)`), otherwise by two
//! renames. A failure, a kill or Ctrl-C before that leaves the old outputs untouched; files of
//! the user's own in the folder are carried over. Within a folder, [`write_files`] writes each
//! file to a temporary name and renames it into place.

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
    /// The output folder cannot be prepared (checked before any work is done).
    #[error("cannot write the output folder {path}: {source}")]
    Folder {
        /// The output folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The output folder is given by a path without a name of its own (`.`, `..`, `/`).
    #[error(
        "--out {path}: an output folder needs a name of its own (such as out/run1): the tool replaces the folder as a whole, and cannot replace `.`, `..` or `/`"
    )]
    Unnamed {
        /// The path as given.
        path: PathBuf,
    },
    /// The output folder exists and holds files not of this tool's, and no result of it: the
    /// user's folder, not an earlier output set.
    #[error(
        "--out {path}: the folder exists and holds files that diffusion-sim did not write, and no results of an earlier command (none of {}); the tool replaces its output folder as a whole, so give a new or empty folder, or one an earlier command wrote",
        SET_MARKERS.join(", ")
    )]
    NotAnOutputFolder {
        /// The output folder.
        path: PathBuf,
    },
    /// The output folder's path is taken by something that is not a folder (a file).
    #[error("--out {path}: exists and is not a folder; give a folder")]
    NotAFolder {
        /// The path as given.
        path: PathBuf,
    },
    /// The output folder's name is too long for the files kept beside it.
    #[error(
        "--out {path}: a folder name of {bytes} bytes; at most {MAX_FOLDER_NAME_BYTES} (the lock and staging folder beside it add to the name, and a file name has at most 255)"
    )]
    NameTooLong {
        /// The path as given.
        path: PathBuf,
        /// Its last component's length.
        bytes: usize,
    },
    /// The output folder's path is a symbolic link to nothing.
    #[error("--out {path}: a symbolic link to nothing ({source}); give a folder, or a link to one")]
    BrokenLink {
        /// The path as given.
        path: PathBuf,
        /// What the system said of its target.
        source: std::io::Error,
    },
    /// Another command is writing the same output folder.
    #[error("another diffusion-sim command is writing {path}; wait for it or choose another --out")]
    Busy {
        /// The output folder.
        path: PathBuf,
    },
}

/// Writes every `(file name, bytes)` into `dir` (created if needed), all or nothing as far as
/// complete files go: temporaries first, then renames. A name may be a relative path
/// (`scenarios/a.toml`): its folders are created.
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
        let (folder, file) = match (target.parent(), target.file_name()) {
            (Some(folder), Some(file)) => (folder, file.to_string_lossy()),
            _ => (dir, name.into()),
        };
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{file}."))
            .suffix(".tmp")
            .tempfile_in(folder)
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

/// Every name a command of this tool writes into an output folder: in an old output folder,
/// these are the previous run's and are replaced as a set; anything else is the user's and is
/// kept.
pub const OWNED_NAMES: &[&str] = &[
    "summary.json",
    "affordability.csv",
    "trajectories.csv",
    "times.csv",
    "lag_trend.csv",
    "scenario.toml",
    "actor_counts.csv",
    "ranks.csv",
    "sensitivity.csv",
    "cost_components.csv",
    "manifest.json",
    "compare.json",
    "compare.csv",
    "compare_affordability.csv",
    "thresholds.csv",
    "threshold_grid.csv",
    "sweep.csv",
    "sweep.json",
    "backtest.csv",
    "backtest.json",
    "report.html",
    "charts",
    // The generated scenarios of `backtest`, the scenarios compared by `compare`.
    "scenarios",
];

/// The longest output folder name, in bytes.
pub const MAX_FOLDER_NAME_BYTES: usize = 200;

/// The files one of which every output set holds (a run's, a merge's, a comparison's, a
/// sweep's, a backtest's): an existing folder with files not of this tool's and none of these
/// is not replaced.
pub const SET_MARKERS: &[&str] = &[
    "manifest.json",
    "summary.json",
    "compare.json",
    "sweep.json",
    "backtest.json",
];

/// An output folder being written: a hidden sibling folder that becomes the output folder on
/// [`Staging::commit`], and is removed if dropped before.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// Whether files of the user's in the old folder go over into the new one (an output set),
    /// or the folder is wholly the tool's and replaced as it is (`charts/`).
    carry: bool,
    /// Held until the set is committed or dropped: two commands never write one folder at once.
    _lock: std::fs::File,
}

impl Staging {
    /// [`Staging::begin`] for a command's whole output set: refused where `target` is a
    /// folder holding something not of this tool's, and no result of an earlier command
    /// ([`SET_MARKERS`]), so that a mistyped `--out` (a home folder, a repository) is never
    /// replaced.
    pub fn begin_set(target: &Path) -> Result<Self, OutputError> {
        let target = &resolve(target)?;
        if let Ok(entries) = std::fs::read_dir(target) {
            let mut entries = entries.flatten();
            let foreign = entries.any(|e| !is_owned(&e.file_name()));
            if foreign && !SET_MARKERS.iter().any(|m| target.join(m).is_file()) {
                return Err(OutputError::NotAnOutputFolder {
                    path: target.to_path_buf(),
                });
            }
        }
        Self::begin_with(target, true)
    }

    /// [`Staging::begin`] for a folder that is wholly the tool's (a set's `charts/`): whatever
    /// is in the old one is replaced, nothing carried over.
    pub fn begin(target: &Path) -> Result<Self, OutputError> {
        Self::begin_with(&resolve(target)?, false)
    }

    /// Locks `target` (its parent is created if needed), removes what earlier, killed commands
    /// left staged, and creates an empty staging folder beside it. `target` must end in a name
    /// (not `.`, `..` or `/`), and be a folder if it exists; `carry` as [`Staging::carry`].
    fn begin_with(target: &Path, carry: bool) -> Result<Self, OutputError> {
        if target.exists() && !target.is_dir() {
            return Err(OutputError::NotAFolder {
                path: target.to_path_buf(),
            });
        }
        let io = |_: &Path| {
            let path = target.to_path_buf();
            move |source| OutputError::Folder { path, source }
        };
        // `file_name` is `None` for a path ending in `..` (or `/`, or `.` alone); a trailing
        // `/.` is dropped by `Path` itself and names the folder before it.
        let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Err(OutputError::Unnamed {
                path: target.to_path_buf(),
            });
        };
        // Its lock and staging folder beside it add up to 27 bytes to the name, within the
        // 255 a file name may have.
        if name.len() > MAX_FOLDER_NAME_BYTES {
            return Err(OutputError::NameTooLong {
                path: target.to_path_buf(),
                bytes: name.len(),
            });
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    path: target.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(OutputError::Folder {
                    path: target.to_path_buf(),
                    source,
                });
            }
        }
        // Holding the lock, any staged folder of this target is a killed command's leftover.
        // It may hold some of the user's own files (killed while they were being carried over
        // into the new set): those go back to the folder first, the rest is removed.
        let prefix = format!(".{name}.staging-");
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    if carry {
                        rescue_user_files(&e.path(), target);
                    }
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir(&staging).map_err(io(&staging))?;
        Ok(Self {
            target: target.to_path_buf(),
            staging,
            committed: false,
            carry,
            _lock: lock,
        })
    }

    /// Where to write the new set.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Puts the new set in place of the old one: the user's own files in the old folder are
    /// moved into the new one, then the two folders are exchanged, and the old set removed.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        if self.target.is_dir() {
            for e in std::fs::read_dir(&self.target).map_err(io(&self.target))? {
                let e = e.map_err(io(&self.target))?;
                let name = e.file_name();
                let owned = is_owned(&name) || self.staging.join(&name).exists();
                if self.carry && !owned {
                    let to = self.staging.join(&name);
                    std::fs::rename(e.path(), &to).map_err(io(&to))?;
                    test_stop("carrying-user-files");
                }
            }
            test_stop("before-exchange");
            exchange(&self.staging, &self.target).map_err(io(&self.target))?;
            test_stop("after-exchange");
            // The staging path now holds the old set.
            let _ = std::fs::remove_dir_all(&self.staging);
        } else {
            if self.target.exists() {
                return Err(OutputError::Io {
                    path: self.target.clone(),
                    source: std::io::Error::other("exists and is not a folder"),
                });
            }
            std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A commit that failed half-way may have carried some of the user's files over.
            if self.carry {
                rescue_user_files(&self.staging, &self.target);
            }
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `target`, or the folder it links to where it is a symbolic link: the set is put in place
/// there (replacing the link by a folder would leave the linked folder with the old set). A
/// link to nothing is refused.
fn resolve(target: &Path) -> Result<PathBuf, OutputError> {
    if !target.is_symlink() {
        return Ok(target.to_path_buf());
    }
    std::fs::canonicalize(target).map_err(|source| OutputError::BrokenLink {
        path: target.to_path_buf(),
        source,
    })
}

/// Whether a name in an output folder is the tool's: written by some command ([`OWNED_NAMES`]),
/// or one of the hidden files it keeps beside what it writes (a lock `.NAME.lock`, a staging
/// folder `.NAME.staging-PID`, a temporary `.NAME.XXXXXX.tmp`, NAME being an owned name). Any
/// other name, hidden ones too (`.git`, `.notes`), is the user's.
fn is_owned(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    if OWNED_NAMES.contains(&name.as_ref()) {
        return true;
    }
    let Some(hidden) = name.strip_prefix('.') else {
        return false;
    };
    OWNED_NAMES.iter().any(|owned| {
        hidden.strip_prefix(owned).is_some_and(|rest| {
            rest == ".lock"
                || rest
                    .strip_prefix(".staging-")
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
                || rest
                    .strip_prefix('.')
                    .and_then(|r| r.strip_suffix(".tmp"))
                    .is_some_and(|random| !random.is_empty() && !random.contains('.'))
        })
    })
}

/// Moves the user's own files (names the tool never writes) from a killed command's staging
/// folder back into `target`, where that has no file of the name.
fn rescue_user_files(staged: &Path, target: &Path) {
    if !target.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(staged) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let to = target.join(&name);
        if !is_owned(&name) && !to.exists() {
            let _ = std::fs::rename(e.path(), to);
        }
    }
}

/// For the crash tests: with `DIFFUSION_SIM_TEST_STOP=<point>` in a debug build, the process
/// aborts at that point (as a `kill -9` would stop it: no unwinding, no clean-up). Release
/// builds have no such hook.
fn test_stop(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("DIFFUSION_SIM_TEST_STOP").is_ok_and(|p| p == point) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// Exchanges two folders: atomically on Linux; elsewhere (or where the file system refuses) by
/// moving the old one aside, the new one in, and the old one to the new one's place.
fn exchange(new: &Path, old: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes());
        let (a, b) = (c(new)?, c(old)?);
        // SAFETY: both are valid NUL-terminated paths; renameat2 reads them and nothing else.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(e);
        }
    }
    let aside = old.with_extension(format!("old-{}", std::process::id()));
    std::fs::rename(old, &aside)?;
    std::fs::rename(new, old)?;
    std::fs::rename(&aside, new)
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
    fn names_with_folders_are_written_into_them() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            ("a.csv".to_string(), b"x\n".to_vec()),
            ("scenarios/b.toml".to_string(), b"b = 1\n".to_vec()),
        ];
        write_files(dir.path(), &files, &AtomicBool::new(false)).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("scenarios/b.toml")).unwrap(),
            b"b = 1\n"
        );
        let inner: Vec<_> = std::fs::read_dir(dir.path().join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(inner, ["b.toml"]);
    }

    #[test]
    fn only_the_tools_own_hidden_files_count_as_its_own() {
        let own = |n: &str| is_owned(std::ffi::OsStr::new(n));
        for n in [
            "summary.json",
            "charts",
            "report.html",
            ".charts.lock",
            ".charts.staging-4211",
            ".summary.json.a1B2c3.tmp",
            ".report.html.zzzzzz.tmp",
        ] {
            assert!(own(n), "{n}");
        }
        for n in [
            ".git",
            ".notes",
            ".lock",
            ".charts.staging-",
            ".charts.staging-12x",
            ".charts.lockfile",
            ".summary.json.tmp",
            ".notes.txt.a1B2c3.tmp",
            "notes.txt",
            "summary.json.bak",
        ] {
            assert!(!own(n), "{n}");
        }
    }

    #[test]
    fn a_path_without_a_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            dir.path().join("a/.."),
            PathBuf::from("."),
            PathBuf::from(".."),
        ] {
            assert!(
                matches!(Staging::begin(&p), Err(OutputError::Unnamed { .. })),
                "{}",
                p.display()
            );
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
