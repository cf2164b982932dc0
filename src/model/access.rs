//! How actor classes reach the frontier's progress: access, the actors within classes and each
//! class's own progress path.

use super::{Line, LogPath, SampleModel};

/// How one actor class reaches the frontier's algorithms, hardware and prices, for one sample.
/// The default is the frontier's own access.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Access {
    /// `ln(price_multiplier · compute_multiplier)`: added to the log cost.
    pub ln_multiplier: f64,
    /// `ln compute_multiplier` alone: the class trains `compute_multiplier` times the
    /// frontier's FLOP (its data and model size follow from them).
    pub ln_compute: f64,
    /// `ln wage_multiplier`: what a person-year costs the class relative to the scenario's wage.
    pub ln_wage: f64,
    /// Years behind the frontier's FLOP per dollar: the class pays `P(t − h)`.
    pub hardware_lag: f64,
    /// Years behind the frontier's algorithms: the class trains with `A(t − a)`.
    pub algorithm_lag: f64,
    /// Natural-log rate of the class's own algorithmic progress after a publication closure
    /// (`None`: it keeps following the frontier's published algorithms).
    pub own_rate: Option<f64>,
    /// `σ · ln 10`: the spread of log budgets across the class's actors.
    pub ln_spread: f64,
}

impl Access {
    /// True when the class's progress `ln P(t − h) + ln A_k(t)` is the frontier's own.
    fn shares_progress(&self, closed_from: Option<f64>) -> bool {
        self.hardware_lag == 0.0
            && self.algorithm_lag == 0.0
            && (self.own_rate.is_none() || closed_from.is_none())
    }
}

/// The actors within every class, for counts and ranks: class `k` has `count` actors whose log10
/// budgets sit at `σ_k · z_i` around the class budget, `z_i = Φ⁻¹((i − ½)/N)` (stratified: no
/// randomness of its own).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Population {
    /// Per class, the z-scores of its actors, largest (richest) first.
    pub z: Vec<Vec<f64>>,
    /// Per class, the index of its first actor among all actors.
    pub offsets: Vec<usize>,
    /// Actors over all classes.
    pub total: usize,
}

impl Population {
    /// The stratified actors of classes with these counts.
    pub fn new(counts: Vec<u32>) -> Self {
        let mut offsets = Vec::with_capacity(counts.len());
        let mut total = 0;
        let z = counts
            .iter()
            .map(|&n| {
                offsets.push(total);
                total += n as usize;
                (1..=n)
                    .rev()
                    .map(|i| {
                        // The middle actor of an odd count is the class's median actor exactly.
                        if 2 * i == n + 1 {
                            0.0
                        } else {
                            crate::dist::norm_quantile((f64::from(i) - 0.5) / f64::from(n))
                        }
                    })
                    .collect()
            })
            .collect();
        Self { z, offsets, total }
    }
}

impl SampleModel {
    /// True when class `k` trains with the frontier's own progress `ln P(t) + ln A(t)`.
    pub fn shares_progress(&self, k: usize) -> bool {
        self.access[k].shares_progress(self.closed_from)
    }

    /// Class `k`'s progress `ln P(t − h_k) + ln A_k(t)` at each of the ascending `times`, where
    /// `A_k(t) = A(t − a_k)`, and after a publication closure at `c` (for a class with its own
    /// rate `r`) `A_k(t) = min(A(c) + r · (t − c − a_k), A(t − a_k))` for `t > c + a_k`.
    pub fn class_progress(&self, k: usize, times: &[f64], out: &mut [f64], buf: &mut PathScratch) {
        let mut alg = std::mem::take(&mut buf.values);
        alg.resize(times.len(), 0.0);
        self.class_parts(k, times, out, &mut alg, buf);
        for (o, v) in out.iter_mut().zip(&alg) {
            *o += v;
        }
        buf.values = alg;
    }

    /// Class `k`'s `ln P(t − h_k)` into `hw` and `ln A_k(t)` into `alg` at each of the ascending
    /// `times` (see [`SampleModel::class_progress`]).
    pub fn class_parts(
        &self,
        k: usize,
        times: &[f64],
        hw: &mut [f64],
        alg: &mut [f64],
        buf: &mut PathScratch,
    ) {
        let a = &self.access[k];
        let n = times.len();
        buf.shifted.clear();
        buf.shifted.extend(times.iter().map(|t| t - a.hardware_lag));
        self.hardware.values_at(&buf.shifted, hw);
        let closure = self.closure(a);
        let split = closure.map_or(n, |(c, _)| {
            times.partition_point(|&t| t <= c + a.algorithm_lag)
        });
        buf.shifted.clear();
        buf.shifted
            .extend(times[..split].iter().map(|t| t - a.algorithm_lag));
        self.algorithms.values_at(&buf.shifted, &mut alg[..split]);
        if let Some((c, r)) = closure {
            self.closed_path(c, r, a.algorithm_lag, &mut buf.closed);
            buf.closed.values_at(&times[split..], &mut alg[split..]);
        }
    }

    /// `ln C_jk(t) = ln m + ln E + ln(price · compute) − ln P(t − h_k) − ln A_k(t)`: class `k`'s
    /// whole-project cost at `t` of a target needing `ln_e` effective FLOP.
    pub fn ln_class_cost(&self, k: usize, ln_e: f64, t: f64, buf: &mut PathScratch) -> f64 {
        let mut progress = [0.0];
        self.class_progress(k, &[t], &mut progress, buf);
        self.ln_overhead + ln_e + self.access[k].ln_multiplier - progress[0]
    }

    /// After a publication closure, the line that caps class `k`'s lagged algorithms (relative to
    /// the lagged start, as in [`LogPath::shifted`]) and the year from which it applies; `None`
    /// when the class keeps following the frontier's algorithms.
    pub fn closure_cap(&self, k: usize) -> Option<(Line, f64)> {
        let a = &self.access[k];
        let (c, r) = self.closure(a)?;
        let line = Line {
            at_start: self.algorithms.value(c) + r * (self.start - c),
            slope: r,
        };
        Some((line, c + a.algorithm_lag))
    }

    /// `(closed_from, own rate)` when class access `a` stops receiving the frontier's insights.
    fn closure(&self, a: &Access) -> Option<(f64, f64)> {
        Some((self.closed_from?, a.own_rate?))
    }

    /// The class's algorithms after a closure at `c`: its lagged access `A(t − lag)` capped by
    /// its own line `ln A(c) + r · (t − c − lag)`; equal to `ln A_k(t)` for `t > c + lag`.
    fn closed_path(&self, c: f64, r: f64, lag: f64, out: &mut LogPath) {
        self.algorithms.shifted(lag, out);
        // A cap's line is relative to the path's start, `start + lag`.
        out.push_cap(Line {
            at_start: self.algorithms.value(c) + r * (self.start - c),
            slope: r,
        });
    }

    /// Appends every time in `(start, end)` where class `k`'s progress may change slope.
    pub(super) fn push_class_kinks(&self, k: usize, out: &mut Vec<f64>, buf: &mut PathScratch) {
        let a = self.access[k];
        let (start, end) = (self.start, self.end);
        let mut shifted = |path: &LogPath, lag: f64, to: f64, out: &mut Vec<f64>| {
            buf.kinks.clear();
            path.push_kinks(start - lag, to - lag, &mut buf.kinks);
            out.extend(buf.kinks.iter().map(|t| t + lag));
            if start + lag < to {
                out.push(start + lag);
            }
        };
        shifted(&self.hardware, a.hardware_lag, end, out);
        match self.closure(&a) {
            None => shifted(&self.algorithms, a.algorithm_lag, end, out),
            Some((c, r)) => {
                let open_until = (c + a.algorithm_lag).min(end);
                shifted(&self.algorithms, a.algorithm_lag, open_until, out);
                if open_until < end {
                    out.push(open_until);
                    self.closed_path(c, r, a.algorithm_lag, &mut buf.closed);
                    buf.closed.push_kinks(open_until, end, out);
                }
            }
        }
    }
}

/// Reusable memory for evaluating shifted and closed paths.
#[derive(Debug, Clone, Default)]
pub struct PathScratch {
    shifted: Vec<f64>,
    values: Vec<f64>,
    kinks: Vec<f64>,
    closed: LogPath,
}
