//! `run --shard K/N --partial FILE` and `diffusion-sim merge`: wiring only (the shards and
//! their merge are in `crate::shard`).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::args::MergeArgs;
use super::files::run_stdout_plain;
use super::plan::{Plan, out_for};
use super::samples::SamplesFile;
use super::{Failure, RunArgs, print_stdout, progress_bar, sim_failure};
use crate::output::{Staging, write_files};
use crate::scenario::Scenario;
use crate::shard::{Partial, merge, shard_range};
use crate::sim::{self, RunOptions};
use crate::{plot, report};

/// Shard K of N and the partial file it writes.
pub(super) type ShardRequest<'a> = ((u64, u64), &'a Path);

/// The shard and partial file `run` was asked for, if any; flags that cannot work together are
/// refused (`analyse`: the sensitivity analysis is on).
pub(super) fn requested(
    args: &RunArgs,
    analyse: bool,
) -> Result<Option<ShardRequest<'_>>, Failure> {
    match (args.shard.shard, &args.shard.partial) {
        (Some(_), Some(_)) if analyse => Err(Failure::BadInput(
            "--shard runs part of the samples, and the sensitivity analysis needs them all: run it unsharded".into(),
        )),
        (Some(_), Some(_)) if args.html => Err(Failure::BadInput(
            "--shard writes only its --partial file: run `diffusion-sim report` on the merged folder for report.html".into(),
        )),
        (Some(_), Some(_)) if !args.view.view().flags().is_empty() => Err(Failure::BadInput(format!(
            "{} sets how charts are drawn, and --shard draws none: give it to `diffusion-sim merge`",
            args.view.view().flags()[0]
        ))),
        (Some(_), Some(_)) if args.common.output.out.is_some() => Err(Failure::BadInput(
            "--shard writes only its --partial file: `diffusion-sim merge` writes the output folder (give --out to merge)".into(),
        )),
        // Checked before the sampling, which writing the file would otherwise follow.
        (Some(_), Some(partial)) if partial.is_dir() => Err(Failure::BadInput(format!(
            "--partial {}: is a folder; give the path of the file to write",
            partial.display()
        ))),
        // A file there is replaced only if it is a partial (an earlier run's): never a file of
        // the user's given by mistake.
        (Some(_), Some(partial)) if partial.is_file() && !is_partial(partial) => {
            Err(Failure::BadInput(format!(
                "--partial {}: the file exists and is not a partial file; give a new path (an earlier partial is replaced)",
                partial.display()
            )))
        }
        (Some(shard), Some(partial)) => Ok(Some((shard, partial.as_path()))),
        (Some(_), None) => Err(Failure::BadInput(
            "--shard needs --partial FILE: where to write this shard's counts".into(),
        )),
        (None, Some(_)) => Err(Failure::BadInput(
            "--partial is the file of one shard: give --shard K/N as well".into(),
        )),
        (None, None) => Ok(None),
    }
}

/// Whether the file at `path` begins as every partial file does.
fn is_partial(path: &Path) -> bool {
    use std::io::Read;
    let head = format!("{{\"format\":\"{}\"", crate::shard::FORMAT);
    let mut buf = vec![0; head.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok_and(|()| buf == head.as_bytes())
}

/// Runs shard `k` of `n` of `scn` and writes its partial file.
pub(super) fn run_shard(
    scn: &Scenario,
    opts: &RunOptions,
    (k, n): (u64, u64),
    partial: &Path,
    samples: Option<SamplesFile>,
    quiet: bool,
    cancel: &AtomicBool,
) -> Result<(), Failure> {
    // The text the scenario was read from, with any --set applied: what the merge reads.
    let text = &scn.text;
    let range = shard_range(k, n, opts.samples);
    let bar = progress_bar(range.end - range.start, quiet);
    let started = Instant::now();
    let mut tally = sim::simulate_range(scn, opts, range.clone(), &|m| bar.inc(m), cancel)
        .map_err(sim_failure)?;
    bar.finish_and_clear();
    let samples = match samples {
        Some(mut s) => {
            s.write(scn, opts, range.clone(), quiet, cancel)?;
            Some(s)
        }
        None => None,
    };
    let bytes = Partial::new(scn, text, k, n, &mut tally).to_bytes();
    write_atomically(partial, &bytes)?;
    let samples = samples.map(|s| s.persist()).transpose()?;
    if !quiet {
        eprintln!(
            "shard {k}/{n}: samples {}..{} of {} in {:.2} s; wrote {}",
            range.start,
            range.end,
            opts.samples,
            started.elapsed().as_secs_f64(),
            partial.display()
        );
        if let Some(path) = samples {
            eprintln!(
                "wrote {} rows to {}",
                range.end - range.start,
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename: the file is
/// either the old one or the whole new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::Failed(format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(fail)?;
    #[cfg(unix)]
    {
        // A temporary file is private (0600); a partial is an ordinary output file.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(mode).map_err(fail)?;
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Merges the partials and writes the run's outputs, as `run` would have.
pub(super) fn merge_command(args: MergeArgs, cancel: &AtomicBool) -> Result<(), Failure> {
    let view = args.view.view();
    args.chart.check_with(&view, args.output.no_charts)?;
    let mut partials = Vec::with_capacity(args.partials.len());
    let mut names = Vec::with_capacity(args.partials.len());
    for path in &args.partials {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
        partials.push(Partial::from_bytes(&bytes, &name).map_err(|e| Failure::BadInput(e.0))?);
        names.push(name);
    }
    let started = Instant::now();
    let merged = merge(partials, &names).map_err(|e| Failure::BadInput(e.0))?;
    let (scn, tally) = (merged.scenario, merged.tally);
    if !args.output.no_charts {
        view.check(&Plan::run_scope(&scn))
            .map_err(Failure::BadInput)?;
    }
    let out_dir = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| out_for(&scn.path));
    let staging = Staging::begin_set(&out_dir)?;
    let results = tally.finish(&scn);
    super::check_results(&results, &scn)?;
    let opts = RunOptions {
        samples: scn.samples,
        seed: scn.seed,
        threads: 1,
    };
    let mut files = report::run_files(&scn, &results, None);
    let wall = started.elapsed().as_secs_f64();
    files.push(report::manifest_for(&[&scn], &opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    let charts = (!args.output.no_charts).then(|| args.chart.options_with(view.clone()));
    super::finish_with_charts(staging, charts.as_ref(), cancel, plot::render_run)?;
    print_stdout(&run_stdout_plain(args.output.format, &scn, &results))?;
    if !args.output.quiet {
        eprintln!(
            "merged {} shards ({} samples); wrote {}/",
            names.len(),
            scn.samples,
            out_dir.display()
        );
    }
    Ok(())
}
