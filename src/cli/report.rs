//! `diffusion-sim report` and `run --html`: wiring only (the page is built in
//! `crate::report::html`).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Failure;
use crate::output::{Staging, write_files};
use crate::report::html;

/// The day the report is written, UTC: `SOURCE_DATE_EPOCH` when set (reproducible builds'
/// convention, so that two reports of one run can be compared byte for byte), else today.
fn report_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    html::utc_date(secs)
}

/// The page of the run in `dir`. A file that cannot be read is the run's own fault when it has
/// just written it (`fresh`: exit 1), else bad input (exit 2).
fn render(dir: &Path, fresh: bool) -> Result<Vec<u8>, Failure> {
    html::render(dir, &report_date()).map_err(|e| {
        if fresh {
            Failure::Failed(format!("cannot write {}: {e}", html::FILE_NAME))
        } else {
            Failure::BadInput(format!(
                "cannot make {} from {}: {e}",
                html::FILE_NAME,
                dir.display()
            ))
        }
    })
}

/// Writes report.html into a run's staged output folder, from the files already there.
pub(super) fn stage_html(staging: &Staging, cancel: &AtomicBool) -> Result<(), Failure> {
    let bytes = render(staging.dir(), true)?;
    write_files(
        staging.dir(),
        &[(html::FILE_NAME.to_string(), bytes)],
        cancel,
    )?;
    Ok(())
}

/// `diffusion-sim report OUTDIR`: writes OUTDIR/report.html (atomically: a whole file or the
/// old one).
pub(super) fn report(dir: &Path, cancel: &AtomicBool) -> Result<(), Failure> {
    if !dir.join("summary.json").is_file() {
        return Err(Failure::BadInput(format!(
            "{}: not a run's output directory (no summary.json); run `diffusion-sim run SCENARIO` first",
            dir.display()
        )));
    }
    let bytes = render(dir, false)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(Failure::Interrupted);
    }
    write_files(dir, &[(html::FILE_NAME.to_string(), bytes)], cancel)?;
    eprintln!("wrote {}", dir.join(html::FILE_NAME).display());
    Ok(())
}
