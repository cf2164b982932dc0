//! The points of a sweep: a grid's cartesian product, or a Latin hypercube.
//!
//! Latin hypercube of N points: each key's `[LOW, HIGH]` is cut into N equal strata and every
//! stratum is used by exactly one point. Which stratum each point takes (a random permutation)
//! and where in it the value lies (uniform within the stratum) are drawn from a PCG generator
//! seeded from the run's seed and the key as written, so the same command gives the same points,
//! and adding another key leaves a key's values as they were.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::{Axis, MAX_POINTS, Point, SweepError};
use crate::scenario::Override;
use crate::sim::stream_key;

/// How the points were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// The cartesian product of `--grid` lists, the first `--grid` varying slowest.
    Grid,
    /// A Latin hypercube over the `--lhs` ranges.
    Lhs,
}

impl Design {
    /// `grid` or `lhs`, as files name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
        }
    }
}

/// The points of a sweep over `axes`: all grid axes (their cartesian product, in order, the first
/// axis slowest) or all LHS axes (`lhs_points` points, drawn under `seed`). Refuses no axis, a
/// mix of grid and LHS axes, a key swept twice, `scenario.seed` or `scenario.samples` (every
/// point runs on the same ones), `lhs_points` missing or 0 with LHS axes or given without
/// them, and more than [`MAX_POINTS`] points.
pub fn points(
    axes: &[Axis],
    lhs_points: Option<u64>,
    seed: u64,
) -> Result<(Design, Vec<Point>), SweepError> {
    let design = check_axes(axes, lhs_points)?;
    let points = match design {
        Design::Grid => {
            let lists: Vec<&[Override]> = axes
                .iter()
                .map(|a| match a {
                    Axis::Grid { values, .. } => values.as_slice(),
                    Axis::Lhs { .. } => &[],
                })
                .collect();
            grid(&lists)
        }
        Design::Lhs => {
            let n = lhs_points.unwrap_or(0) as usize;
            let columns: Vec<Vec<Override>> = axes.iter().map(|a| lhs_column(a, n, seed)).collect();
            (0..n)
                .map(|i| columns.iter().map(|c| c[i].clone()).collect())
                .collect()
        }
    };
    let args: Vec<String> = axes.iter().map(Axis::arg).collect();
    let points = points
        .into_iter()
        .enumerate()
        .map(|(i, overrides)| Point {
            index: i + 1,
            overrides,
            axes: args.clone(),
        })
        .collect();
    Ok((design, points))
}

/// The design the axes make, or why they make none.
fn check_axes(axes: &[Axis], lhs_points: Option<u64>) -> Result<Design, SweepError> {
    let bad = |m: String| Err(SweepError::Argument(m));
    let lhs = axes
        .iter()
        .filter(|a| matches!(a, Axis::Lhs { .. }))
        .count();
    if axes.is_empty() {
        return bad(
            "nothing to sweep: give --grid KEY=V1,V2,… or --lhs KEY=LOW:HIGH --points N".into(),
        );
    }
    if lhs > 0 && lhs < axes.len() {
        return bad("--grid and --lhs cannot be combined in one sweep: a Latin hypercube samples every key it varies (give the grid's keys as --lhs ranges), and a grid lists every value (run one sweep of each kind)".into());
    }
    for (i, a) in axes.iter().enumerate() {
        if let Some(b) = axes[..i].iter().find(|b| b.probe().same_key(a.probe())) {
            return bad(format!("{} and {} sweep the same key", b.arg(), a.arg()));
        }
        for fixed in ["scenario.seed", "scenario.samples"] {
            let probe = Override::parse(&format!("{fixed}=0")).expect("a valid key");
            if probe.same_key(a.probe()) {
                return bad(format!(
                    "{}: every point of a sweep runs on the same {} (common random numbers); set it for the whole sweep with --{}",
                    a.arg(),
                    fixed.trim_start_matches("scenario."),
                    fixed.trim_start_matches("scenario.")
                ));
            }
        }
    }
    let count = if lhs > 0 {
        match lhs_points {
            None => return bad("--lhs needs --points N, the number of points to draw".into()),
            Some(0) => return bad("--points must be at least 1".into()),
            Some(n) => n,
        }
    } else {
        if lhs_points.is_some() {
            return bad("--points sets the size of a Latin hypercube (--lhs); a grid's points are its values' combinations".into());
        }
        axes.iter().fold(1u64, |n, a| match a {
            Axis::Grid { values, .. } => n.saturating_mul(values.len() as u64),
            Axis::Lhs { .. } => n,
        })
    };
    if count > MAX_POINTS {
        return bad(format!(
            "the sweep has {count} points, more than {MAX_POINTS}: each point is a whole run of the scenario; split it into several sweeps"
        ));
    }
    Ok(if lhs > 0 { Design::Lhs } else { Design::Grid })
}

/// The cartesian product of `lists`, the first list varying slowest.
fn grid(lists: &[&[Override]]) -> Vec<Vec<Override>> {
    let mut out: Vec<Vec<Override>> = vec![Vec::new()];
    for list in lists {
        out = out
            .into_iter()
            .flat_map(|head| {
                list.iter().map(move |v| {
                    let mut p = head.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    out
}

/// An LHS axis's values at `n` points: point `i` takes stratum `perm[i]` of `n` equal strata of
/// `[low, high]`, at a uniform place within it.
fn lhs_column(axis: &Axis, n: usize, seed: u64) -> Vec<Override> {
    let Axis::Lhs {
        key,
        low,
        high,
        log,
        ..
    } = axis
    else {
        return Vec::new();
    };
    let values = lhs_values(
        *low,
        *high,
        n,
        stream_key(seed, &format!("sweep.lhs.{}", key.key())),
        *log,
    );
    values
        .iter()
        // `{:?}` is the shortest text that reads back as the same f64, in TOML's syntax
        // (`2.0`, `1e20`), so the value set is exactly the value drawn.
        .map(|v| Override::parse(&format!("{}={v:?}", key.key())).expect("a checked key"))
        .collect()
}

/// `n` values in `[low, high]`, one in each of `n` equal strata (equal in the logarithm when
/// `log`), in a random order drawn from the generator seeded with `key`. Each is written with
/// the fewest significant digits (6 or more) that keep it in its stratum: `2.71828`, not
/// `2.718281828459045`.
pub(super) fn lhs_values(low: f64, high: f64, n: usize, key: u64, log: bool) -> Vec<f64> {
    let mut rng = Pcg64Mcg::seed_from_u64(key);
    // Fisher–Yates shuffle of the strata.
    let mut strata: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        strata.swap(i, j);
    }
    // The strata are cut on this scale: the value, or its logarithm.
    let scale = |v: f64| if log { v.ln() } else { v };
    let (a, b) = (scale(low), scale(high));
    let width = (b - a) / n as f64;
    strata
        .iter()
        .map(|&s| {
            let u: f64 = rng.random();
            let x = a + width * (s as f64 + u);
            let v = if log { x.exp() } else { x }.clamp(low, high);
            (6..=17)
                .map(|digits| format!("{v:.*e}", digits - 1).parse().unwrap_or(v))
                .find(|r: &f64| (low..=high).contains(r) && stratum(scale(*r), a, b, n) == s)
                .unwrap_or(v)
        })
        .collect()
}

/// The stratum (0 to `n − 1`) of `v` among `n` equal strata of `[low, high]`.
pub fn stratum(v: f64, low: f64, high: f64, n: usize) -> usize {
    (((v - low) / (high - low) * n as f64).floor().max(0.0) as usize).min(n.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(grid: &str) -> Axis {
        Axis::grid(grid).unwrap()
    }

    fn texts(points: &[Point]) -> Vec<String> {
        points
            .iter()
            .map(|p| {
                let v: Vec<String> = p.overrides.iter().map(|o| o.to_string()).collect();
                v.join(" ")
            })
            .collect()
    }

    #[test]
    fn a_grid_is_the_product_with_the_first_axis_slowest() {
        let (d, p) = points(&[axis("a=1,2"), axis("b=x,y,z")], None, 0).unwrap();
        assert_eq!(d, Design::Grid);
        assert_eq!(
            texts(&p),
            [
                "a=1 b=\"x\"",
                "a=1 b=\"y\"",
                "a=1 b=\"z\"",
                "a=2 b=\"x\"",
                "a=2 b=\"y\"",
                "a=2 b=\"z\""
            ]
        );
        assert_eq!(
            p.iter().map(|p| p.index).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        assert_eq!(p[0].axes, ["--grid a=1,2", "--grid b=x,y,z"]);
    }

    #[test]
    fn a_latin_hypercube_uses_every_stratum_once_and_repeats_under_its_seed() {
        let axes = [Axis::lhs("a=1:3").unwrap(), Axis::lhs("b=-10:10").unwrap()];
        let (d, p) = points(&axes, Some(50), 7).unwrap();
        assert_eq!(d, Design::Lhs);
        for (k, (lo, hi)) in [(1.0, 3.0), (-10.0, 10.0)].iter().enumerate() {
            let mut hit = vec![0; 50];
            for q in &p {
                let v: f64 = q.overrides[k].value().parse().unwrap();
                assert!(v >= *lo && v <= *hi, "{v}");
                hit[stratum(v, *lo, *hi, 50)] += 1;
                assert!(q.overrides[k].value().len() <= 9, "{}", q.overrides[k]);
            }
            assert!(hit.iter().all(|&h| h == 1), "{hit:?}");
        }
        assert_eq!(points(&axes, Some(50), 7).unwrap().1, p);
        assert_ne!(points(&axes, Some(50), 8).unwrap().1, p);
        // A key's values do not depend on the other keys.
        let (_, alone) = points(&axes[..1], Some(50), 7).unwrap();
        let first: Vec<&Override> = p.iter().map(|q| &q.overrides[0]).collect();
        assert_eq!(
            alone.iter().map(|q| &q.overrides[0]).collect::<Vec<_>>(),
            first
        );
    }

    #[test]
    fn unclear_sweeps_are_refused() {
        let lhs = || Axis::lhs("b=1:2").unwrap();
        for (axes, n, says) in [
            (vec![], None, "nothing to sweep"),
            (vec![axis("a=1"), lhs()], Some(3), "cannot be combined"),
            (vec![axis("a=1"), axis("a = 2")], None, "sweep the same key"),
            (vec![axis("scenario.seed=1,2")], None, "--seed"),
            (vec![lhs()], None, "needs --points"),
            (vec![lhs()], Some(0), "at least 1"),
            (vec![axis("a=1")], Some(2), "--points sets the size"),
            (vec![lhs()], Some(MAX_POINTS + 1), "more than 10000"),
        ] {
            let e = points(&axes, n, 0).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        }
        let big = |k: &str| axis(&format!("{k}={}", vec!["1"; 101].join(",")));
        let e = points(&[big("a"), big("b"), big("c")], None, 0).unwrap_err();
        assert!(e.to_string().contains("1030301 points"), "{e}");
    }
}
