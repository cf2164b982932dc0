/*!
The paths of a batch of samples, stored column by column and evaluated one year at a time.

The value histograms are filled one (series, reporting year) at a time, with every sample of a
batch, so that each histogram's bins are in cache while they are counted. Keeping each sample's
few path parameters (not its value at every reporting year) keeps the batch small whatever the
number of reporting years, and evaluating one year for the whole batch is a loop over contiguous
columns that the compiler vectorises.
*/

use crate::model::{Line, LogPath, PathQuad, QUAD, all_equal};

/// A batch of piecewise-linear log-paths of one shape (the same number of regimes and caps), one
/// column per parameter. The value of sample `b` at `t` is the value of the path it was pushed
/// from ([`LogPath::value`]), shifted by its lag.
#[derive(Debug, Clone, Default)]
pub struct PathColumns {
    capacity: usize,
    len: usize,
    regimes: usize,
    caps: usize,
    /// Start year (lag included) and `ln X` there before caps.
    start: Vec<f64>,
    /// Every path held starts where the first does (a path without a lag starts at the
    /// scenario's start): `t − start` is then worked out once an evaluation.
    one_start: bool,
    /// Every path held ends each regime in the year the first does (the scenario's regimes,
    /// without lags), and no cap held starts late: with `one_start`, each regime's share of a
    /// year's value is then one number for the whole batch.
    one_shape: bool,
    x0: Vec<f64>,
    /// Regime `r`'s end year (lag included) and rate, at `[r · capacity + b]`.
    until: Vec<f64>,
    rate: Vec<f64>,
    /// Cap `c`'s line (relative to the start) and the year after which it applies (−∞: always),
    /// at `[c · capacity + b]`.
    cap_at: Vec<f64>,
    cap_slope: Vec<f64>,
    cap_from: Vec<f64>,
}

impl PathColumns {
    /// Room for `capacity` samples.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            start: vec![0.0; capacity],
            x0: vec![0.0; capacity],
            ..Self::default()
        }
    }

    /// Samples held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no sample is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets every sample, keeping the memory.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        8 * (self.start.capacity()
            + self.x0.capacity()
            + self.until.capacity()
            + self.rate.capacity()
            + self.cap_at.capacity()
            + self.cap_slope.capacity()
            + self.cap_from.capacity())
    }

    /// Appends `path` delayed by `lag` years (`t ↦ path(t − lag)`), with an `extra` cap that
    /// applies only after a given year, if any. Every sample of a batch has the same shape.
    pub fn push(&mut self, path: &LogPath, lag: f64, extra: Option<(Line, f64)>) {
        let b = self.len;
        let (regimes, caps) = (path.regimes().len(), path.caps().len() + extra.iter().len());
        if b == 0 && (regimes, caps) != (self.regimes, self.caps) {
            self.regimes = regimes;
            self.caps = caps;
            let n = self.capacity;
            self.until.resize(regimes * n, 0.0);
            self.rate.resize(regimes * n, 0.0);
            self.cap_at.resize(caps * n, 0.0);
            self.cap_slope.resize(caps * n, 0.0);
            self.cap_from.resize(caps * n, 0.0);
        }
        assert!(
            b < self.capacity && (regimes, caps) == (self.regimes, self.caps),
            "a batch of paths holds {} paths of one shape",
            self.capacity
        );
        let n = self.capacity;
        let (start, x0) = path.origin();
        self.start[b] = start + lag;
        self.one_start = b == 0 || (self.one_start && self.start[b] == self.start[0]);
        self.x0[b] = x0;
        let mut same_ends = true;
        for (r, (until, rate)) in path.regimes().enumerate() {
            self.until[r * n + b] = until + lag;
            self.rate[r * n + b] = rate;
            same_ends &= self.until[r * n + b] == self.until[r * n];
        }
        self.one_shape = (b == 0 || self.one_shape) && same_ends && extra.is_none();
        for (c, line) in path.caps().iter().enumerate() {
            self.cap_at[c * n + b] = line.at_start;
            self.cap_slope[c * n + b] = line.slope;
            self.cap_from[c * n + b] = f64::NEG_INFINITY;
        }
        if let Some((line, from)) = extra {
            let c = path.caps().len();
            self.cap_at[c * n + b] = line.at_start;
            self.cap_slope[c * n + b] = line.slope;
            self.cap_from[c * n + b] = from;
        }
        self.len += 1;
    }

    /// True when the four paths of `q` ([`PathQuad`]) have the shape held (set by the first
    /// push) and there is room for them.
    pub fn fits_quad(&self, q: &PathQuad) -> bool {
        (q.regimes, q.caps) == (self.regimes, self.caps) && self.len + QUAD <= self.capacity
    }

    /// Appends the four paths of `q`, which fit ([`PathColumns::fits_quad`]), as four calls of
    /// [`PathColumns::push`] without lag or extra cap would.
    pub fn push_quad(&mut self, q: &PathQuad) {
        assert!(self.fits_quad(q), "paths of the shape held, with room");
        let (b, n) = (self.len, self.capacity);
        self.start[b..b + QUAD].copy_from_slice(&q.start);
        self.x0[b..b + QUAD].copy_from_slice(&q.x0);
        let first = if b == 0 { q.start[0] } else { self.start[0] };
        self.one_start = (b == 0 || self.one_start) && all_equal(&q.start, first);
        let mut same_ends = true;
        for r in 0..q.regimes {
            self.until[r * n + b..][..QUAD].copy_from_slice(&q.until[r]);
            self.rate[r * n + b..][..QUAD].copy_from_slice(&q.rate[r]);
            same_ends &= all_equal(&q.until[r], self.until[r * n]);
        }
        self.one_shape = (b == 0 || self.one_shape) && same_ends;
        for c in 0..q.caps {
            self.cap_at[c * n + b..][..QUAD].copy_from_slice(&q.at[c]);
            self.cap_slope[c * n + b..][..QUAD].copy_from_slice(&q.slope[c]);
            self.cap_from[c * n + b..][..QUAD].fill(f64::NEG_INFINITY);
        }
        self.len += QUAD;
    }

    /// Every held path's value at `t`, into `out[..len]` (compiled for AVX2 where the CPU has
    /// it; the same numbers either way).
    pub fn eval(&self, t: f64, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.eval_avx2(t, out) };
        }
        self.eval_portable(t, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn eval_avx2(&self, t: f64, out: &mut [f64]) {
        self.eval_portable(t, out);
    }

    #[inline(always)]
    fn eval_portable(&self, t: f64, out: &mut [f64]) {
        let (n, cap) = (self.len, self.capacity);
        let out = &mut out[..n];
        if self.one_start && self.one_shape && n > 0 {
            return self.eval_one_shape(t, out);
        }
        let start = &self.start[..n];
        // The first regime also runs backwards before the start.
        let (until, rate) = (&self.until[..n], &self.rate[..n]);
        if self.one_start {
            let s = start[0];
            let d = t - s;
            for ((o, &x0), (&u, &r)) in out
                .iter_mut()
                .zip(&self.x0[..n])
                .zip(until.iter().zip(rate))
            {
                let len = u - s;
                *o = x0 + r * if d < len { d } else { len };
            }
        } else {
            for (((o, &s), &x0), (&u, &r)) in out
                .iter_mut()
                .zip(start)
                .zip(&self.x0[..n])
                .zip(until.iter().zip(rate))
            {
                let (d, len) = (t - s, u - s);
                *o = x0 + r * if d < len { d } else { len };
            }
        }
        for k in 1..self.regimes {
            let lo = &self.until[(k - 1) * cap..][..n];
            let hi = &self.until[k * cap..][..n];
            let rate = &self.rate[k * cap..][..n];
            for ((o, &r), (&lo, &hi)) in out.iter_mut().zip(rate).zip(lo.iter().zip(hi)) {
                let (d, len) = (t - lo, hi - lo);
                let d = if d > 0.0 { d } else { 0.0 };
                *o += r * if d < len { d } else { len };
            }
        }
        for c in 0..self.caps {
            let at = &self.cap_at[c * cap..][..n];
            let slope = &self.cap_slope[c * cap..][..n];
            let from = &self.cap_from[c * cap..][..n];
            if self.one_start {
                let d = t - start[0];
                for ((o, (&a, &k)), &f) in out.iter_mut().zip(at.iter().zip(slope)).zip(from) {
                    let v = a + k * d;
                    *o = if t > f && v < *o { v } else { *o };
                }
                continue;
            }
            for (((o, &s), (&a, &k)), &f) in out
                .iter_mut()
                .zip(start)
                .zip(at.iter().zip(slope))
                .zip(from)
            {
                let v = a + k * (t - s);
                *o = if t > f && v < *o { v } else { *o };
            }
        }
    }
}

impl PathColumns {
    /// [`PathColumns::eval_portable`] of paths that share their start, their regimes' ends and
    /// have no late cap: each regime's `clamp(t − from, 0, length)` is one number for all, and
    /// each sample's value the same bits as it would be worked out alone.
    #[inline(always)]
    fn eval_one_shape(&self, t: f64, out: &mut [f64]) {
        let (n, cap) = (self.len, self.capacity);
        let s = self.start[0];
        let d = t - s;
        let len = self.until[0] - s;
        let share = if d < len { d } else { len };
        for ((o, &x0), &r) in out.iter_mut().zip(&self.x0[..n]).zip(&self.rate[..n]) {
            *o = x0 + r * share;
        }
        for k in 1..self.regimes {
            let (lo, hi) = (self.until[(k - 1) * cap], self.until[k * cap]);
            let (d, len) = (t - lo, hi - lo);
            let d = if d > 0.0 { d } else { 0.0 };
            let share = if d < len { d } else { len };
            for (o, &r) in out.iter_mut().zip(&self.rate[k * cap..][..n]) {
                *o += r * share;
            }
        }
        for c in 0..self.caps {
            let at = &self.cap_at[c * cap..][..n];
            let slope = &self.cap_slope[c * cap..][..n];
            // Every cap applies from the start (its year −∞, and `t > −∞`).
            for ((o, &a), &k) in out.iter_mut().zip(at).zip(slope) {
                let v = a + k * d;
                *o = if v < *o { v } else { *o };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(regimes: &[(f64, f64)], caps: &[Line]) -> LogPath {
        let mut p = LogPath::default();
        p.reset(2025.0, 3.0);
        for &(u, r) in regimes {
            p.push_regime(u, r);
        }
        for &c in caps {
            p.push_cap(c);
        }
        p
    }

    /// Column evaluation equals each path's own value, for regimes, caps, lags and late caps, at
    /// times before, inside and after every regime.
    #[test]
    fn columns_evaluate_like_the_paths_they_hold() {
        let cap = |at_start, slope| Line { at_start, slope };
        let paths = [
            path(&[(2035.0, 0.5), (f64::INFINITY, 0.1)], &[cap(9.0, 0.0)]),
            path(&[(2030.0, -0.2), (f64::INFINITY, 0.7)], &[cap(4.0, 0.3)]),
            path(&[(2040.0, 0.0), (f64::INFINITY, 2.0)], &[cap(50.0, -1.0)]),
        ];
        // Lagged paths start apart; paths without a lag share their start, which the columns
        // read once an evaluation.
        for lags in [[0.0, 3.5, -1.0], [0.0; 3]] {
            let mut cols = PathColumns::new(4);
            for (p, &lag) in paths.iter().zip(&lags) {
                cols.push(p, lag, Some((cap(5.0, 0.05), 2041.0)));
            }
            assert_eq!(cols.one_start, lags == [0.0; 3]);
            let mut out = [0.0; 4];
            for t in [
                2010.0, 2025.0, 2027.3, 2030.0, 2035.0, 2038.0, 2041.0, 2041.5, 2060.0,
            ] {
                cols.eval(t, &mut out);
                for ((p, &lag), &got) in paths.iter().zip(&lags).zip(&out) {
                    let mut want = p.value(t - lag);
                    if t > 2041.0 {
                        // The late cap's line is relative to the shifted start.
                        want = want.min(5.0 + 0.05 * (t - (2025.0 + lag)));
                    }
                    assert!(
                        (got - want).abs() < 1e-12,
                        "t = {t}, lag = {lag}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_batch_is_reused_after_clear() {
        let p = path(&[(f64::INFINITY, 1.0)], &[]);
        let mut cols = PathColumns::new(2);
        cols.push(&p, 0.0, None);
        cols.push(&p, 1.0, None);
        cols.clear();
        assert!(cols.is_empty());
        cols.push(&p, 2.0, None);
        let mut out = [0.0; 2];
        cols.eval(2030.0, &mut out);
        assert_eq!(cols.len(), 1);
        assert_eq!(out[0], 3.0 + 3.0);
    }

    /// Paths that share their start and regimes' ends, without late caps, give the same bits
    /// evaluated as one shape as sample by sample.
    #[test]
    fn one_shape_gives_the_bits_of_each_sample() {
        let cap = |at_start, slope| Line { at_start, slope };
        let paths = [
            path(
                &[(2035.0, 0.5), (2041.0, -0.3), (f64::INFINITY, 0.1)],
                &[cap(9.0, 0.0)],
            ),
            path(
                &[(2035.0, -0.2), (2041.0, 0.7), (f64::INFINITY, 2.0)],
                &[cap(4.0, 0.3)],
            ),
            path(
                &[(2035.0, 0.0), (2041.0, 1.5), (f64::INFINITY, 0.0)],
                &[cap(50.0, -1.0)],
            ),
        ];
        let mut cols = PathColumns::new(4);
        for p in &paths {
            cols.push(p, 0.0, None);
        }
        assert!(cols.one_start && cols.one_shape);
        let mut apart = cols.clone();
        apart.one_shape = false;
        let (mut got, mut want) = ([0.0; 3], [0.0; 3]);
        for i in 0..=90 {
            let t = 2015.0 + 0.5 * f64::from(i);
            cols.eval(t, &mut got);
            apart.eval(t, &mut want);
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "t = {t}");
        }
        // A lagged path, or a late cap, has a shape of its own.
        let mut lagged = PathColumns::new(4);
        lagged.push(&paths[0], 0.0, None);
        lagged.push(&paths[1], 1.0, None);
        assert!(!lagged.one_shape);
        let mut late = PathColumns::new(4);
        late.push(&paths[0], 0.0, Some((cap(5.0, 0.0), 2041.0)));
        assert!(!late.one_shape);
    }
}
