//! `diffusion-sim sweep`: wiring only (the points, runs and tables are in `crate::sweep`, the
//! charts in `crate::plot`).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::plan::{Plan, file_stem};
use super::{Failure, Format, SweepArgs, print_stdout, progress_bar, sim_failure};
use crate::output::{Staging, write_files};
use crate::plot::{self, Scope};
use crate::report::manifest_for;
use crate::scenario::{self, Override, Scenario};
use crate::sweep::{self, Axis, Base, Point, SweepDoc};

/// Most warnings of points' own values printed (the points of a sweep often share one).
const MAX_POINT_WARNINGS: usize = 5;

pub(super) fn sweep(args: SweepArgs, cancel: &AtomicBool) -> Result<(), Failure> {
    let bad = |e: sweep::SweepError| Failure::BadInput(e.to_string());
    let mut axes = Vec::new();
    for g in &args.grid {
        axes.push(Axis::grid(g).map_err(bad)?);
    }
    for l in &args.lhs {
        axes.push(Axis::lhs(l).map_err(bad)?);
    }
    let set = args.common.overrides();
    let (base, base_scn) = read_base(&args.scenario, &set)?;
    let plan = Plan::of(
        vec![base_scn],
        &args.common,
        (&args.chart, &args.view.view()),
        || Path::new("out").join(format!("{}-sweep", file_stem(&args.scenario))),
    )?;
    refuse_set_and_swept(&axes, &set, &base.text)?;
    plan.check_view(&Scope {
        kind: "sweep",
        years: Vec::new(),
        costs: false,
        year_axis: false,
        ..Plan::run_scope(&plan.scenarios[0])
    })?;
    let (design, points) = sweep::points(&axes, args.points, plan.run.seed).map_err(bad)?;
    let base = Base {
        samples: plan.run.samples,
        seed: plan.run.seed,
        ..base
    };
    let texts = check_points(&plan, &base, &points)?;
    let staging = Staging::begin_set(&plan.out)?;
    let opts = plan.run;
    let bar = progress_bar(opts.samples * points.len() as u64, plan.quiet);
    let started = Instant::now();
    let mut results = Vec::with_capacity(points.len());
    for p in &points {
        let scn = sweep::scenario_at(&base, p).map_err(bad)?;
        let r =
            sweep::run_point(&scn, opts.threads, &|n| bar.inc(n), cancel).map_err(sim_failure)?;
        results.push(r);
    }
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let scn = &plan.scenarios[0];
    let doc = SweepDoc::new(
        &scn.name,
        design,
        (opts.samples, opts.seed),
        &points,
        &results,
    )
    .map_err(bad)?;
    let csv = sweep::table(&points, &results).map_err(bad)?;
    let json = doc.to_bytes();
    let mut files = vec![
        ("sweep.csv".to_string(), csv.clone()),
        ("sweep.json".to_string(), json.clone()),
    ];
    files.extend(texts);
    files.push(manifest_for(&[scn], &opts, wall, &files));
    write_files(staging.dir(), &files, cancel)?;
    super::finish_with_charts(staging, plan.charts.as_ref(), cancel, plot::render_sweep)?;
    let stdout = match plan.format {
        Format::Table => sweep::text_table(&doc),
        Format::Json => String::from_utf8(json).expect("UTF-8"),
        Format::Csv => String::from_utf8(csv).expect("UTF-8"),
    };
    print_stdout(&stdout)?;
    if !plan.quiet {
        eprintln!(
            "{} points × {} samples in {wall:.2} s; wrote {}/",
            points.len(),
            opts.samples,
            plan.out.display()
        );
    }
    Ok(())
}

/// The scenario as read (`-`: standard input) and as it runs with the sweep's `--set`; its
/// warnings are printed.
fn read_base(path: &Path, set: &[Override]) -> Result<(Base, Scenario), Failure> {
    let (name, text) = super::read_text(path)?;
    let scn = scenario::from_str_with(&name, &text, set).map_err(Failure::Scenario)?;
    for w in &scn.warnings {
        super::console::warn(&w.to_string());
    }
    let base = Base {
        path: name,
        text,
        set: set.to_vec(),
        samples: scn.samples,
        seed: scn.seed,
    };
    Ok((base, scn))
}

/// A key both set for the whole sweep and swept, or swept twice, is refused, however each
/// names the scenario's entries in `text` (`actor[2]`, `actor."Big tech"`): which value would
/// count is unclear.
fn refuse_set_and_swept(axes: &[Axis], set: &[Override], text: &str) -> Result<(), Failure> {
    let probe = |a: &Axis| Override::parse(&format!("{}=0", a.key())).map_err(Failure::BadInput);
    for (i, a) in axes.iter().enumerate() {
        let p = probe(a)?;
        if let Some(o) = set.iter().find(|o| o.same_key_in(&p, text)) {
            return Err(Failure::BadInput(format!(
                "{} sweeps the key that --set {o} sets: drop one of them",
                a.arg()
            )));
        }
        for b in &axes[..i] {
            if probe(b)?.same_key_in(&p, text) {
                return Err(Failure::BadInput(format!(
                    "{} and {} sweep the same key of the scenario: drop one of them",
                    b.arg(),
                    a.arg()
                )));
            }
        }
    }
    Ok(())
}

/// Reads every point's scenario before anything runs (a bad value at the last point fails at
/// once) and checks its memory; prints warnings the points' values raise beyond the scenario's
/// own. Returns each point's scenario text as `scenarios/point_<n>.toml`.
fn check_points(
    plan: &Plan,
    base: &Base,
    points: &[Point],
) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let own: Vec<String> = plan.scenarios[0]
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect();
    let digits = points.len().to_string().len();
    let (mut texts, mut warned) = (Vec::with_capacity(points.len()), 0usize);
    for p in points {
        let scn = sweep::scenario_at(base, p).map_err(|e| Failure::BadInput(e.to_string()))?;
        plan.check_memory(&scn)?;
        for w in &scn.warnings {
            if !own.contains(&w.to_string()) {
                if warned < MAX_POINT_WARNINGS {
                    super::console::warn(&sweep::in_point(p, w.clone()).to_string());
                }
                warned += 1;
            }
        }
        let name = format!("scenarios/point_{:0digits$}.toml", p.index);
        texts.push((name, scn.text.into_bytes()));
    }
    if warned > MAX_POINT_WARNINGS {
        eprintln!(
            "warning: … and {} more warnings about the points' values",
            warned - MAX_POINT_WARNINGS
        );
    }
    Ok(texts)
}
