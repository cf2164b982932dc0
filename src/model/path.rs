//! Piecewise-linear log-quantities: rates as written, caps and the paths they bound.

use crate::vecmath::min;
use std::f64::consts::{LN_2, LN_10};

/// How a rate is written in a scenario; every form converts to natural-log units per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateKind {
    /// `doubling_time_years = h`: the quantity doubles every `h` years, `r = ln 2 / h`.
    DoublingTime,
    /// `halving_time_years = h`: the FLOP a fixed capability needs halve every `h` years, so
    /// algorithmic efficiency grows at `r = ln 2 / h`.
    HalvingTime,
    /// `growth_per_year = g`: the quantity is multiplied by `g` each year, `r = ln g`.
    GrowthPerYear,
    /// `ooms_per_year = o`: orders of magnitude per year, `r = o · ln 10`.
    OomsPerYear,
}

impl RateKind {
    /// Converts a drawn value of this rate to natural-log units per year.
    pub fn to_log_rate(self, v: f64) -> f64 {
        match self {
            RateKind::DoublingTime | RateKind::HalvingTime => LN_2 / v,
            RateKind::GrowthPerYear => v.ln(),
            RateKind::OomsPerYear => v * LN_10,
        }
    }

    /// The scenario key that writes this rate.
    pub fn key(self) -> &'static str {
        match self {
            RateKind::DoublingTime => "doubling_time_years",
            RateKind::HalvingTime => "halving_time_years",
            RateKind::GrowthPerYear => "growth_per_year",
            RateKind::OomsPerYear => "ooms_per_year",
        }
    }

    /// True when the value must be strictly positive (times and growth factors).
    pub fn needs_positive(self) -> bool {
        !matches!(self, RateKind::OomsPerYear)
    }
}

/// A straight line in log space, `ln c(t) = at_start + slope · (t − start)`: a cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// The cap's natural log at the start year.
    pub at_start: f64,
    /// Its growth in natural-log units per year (0 for a fixed cap).
    pub slope: f64,
}

/// A piecewise-linear log-quantity: `ln X(t) = min(x0 + ∫ r, caps)`, rates constant per regime.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPath {
    start: f64,
    x0: f64,
    /// End year of each regime; the last is +∞.
    untils: Vec<f64>,
    /// Rate of each regime, natural-log units per year.
    rates: Vec<f64>,
    caps: Vec<Line>,
}

impl LogPath {
    /// Clears the path and starts it at `ln X(start) = x0` (before caps), keeping its memory.
    pub fn reset(&mut self, start: f64, x0: f64) {
        self.start = start;
        self.x0 = x0;
        self.untils.clear();
        self.rates.clear();
        self.caps.clear();
    }

    /// Appends a regime that runs until `until` (use +∞ for the last) at `rate` per year.
    pub fn push_regime(&mut self, until: f64, rate: f64) {
        self.untils.push(until);
        self.rates.push(rate);
    }

    /// Makes the path the straight line `x0 + rate · (t − start)` (one regime to +∞, no cap),
    /// as [`LogPath::reset`] and [`LogPath::push_regime`] would, writing in place when it is one.
    pub fn set_line(&mut self, start: f64, x0: f64, rate: f64) {
        self.start = start;
        self.x0 = x0;
        self.caps.clear();
        if let ([until], [r]) = (&mut self.untils[..], &mut self.rates[..]) {
            (*until, *r) = (f64::INFINITY, rate);
        } else {
            self.untils.clear();
            self.rates.clear();
            self.push_regime(f64::INFINITY, rate);
        }
    }

    /// Adds a cap from above.
    pub fn push_cap(&mut self, cap: Line) {
        self.caps.push(cap);
    }

    /// The year the path starts and `ln X` there before caps.
    pub fn origin(&self) -> (f64, f64) {
        (self.start, self.x0)
    }

    /// Each regime's end year (the last is +∞) and rate.
    pub fn regimes(&self) -> impl ExactSizeIterator<Item = (f64, f64)> + '_ {
        self.untils.iter().copied().zip(self.rates.iter().copied())
    }

    /// The caps, lines relative to the start year.
    pub fn caps(&self) -> &[Line] {
        &self.caps
    }

    /// Each regime's end year (the last is +∞) and each regime's rate, as slices.
    #[cfg(test)]
    pub(super) fn regime_slices(&self) -> (&[f64], &[f64]) {
        (&self.untils, &self.rates)
    }

    /// `(start, x0, rate)` when the path is one straight line, `x0 + rate · (t − start)`: one
    /// regime, to +∞, and no cap. At a finite `t` that expression gives the bits of
    /// [`LogPath::values_at`].
    pub fn line(&self) -> Option<(f64, f64, f64)> {
        match (self.untils.as_slice(), self.rates.as_slice()) {
            (&[until], &[rate]) if until == f64::INFINITY && self.caps.is_empty() => {
                Some((self.start, self.x0, rate))
            }
            _ => None,
        }
    }

    /// The path `lag` years late: `out(t) = self(t − lag)`, regimes and caps included.
    pub fn shifted(&self, lag: f64, out: &mut LogPath) {
        out.clone_from(self);
        out.start = self.start + lag;
        for u in &mut out.untils {
            *u += lag;
        }
    }

    /// A path with one regime and no cap, for tests and simple callers.
    pub fn constant_rate(start: f64, x0: f64, rate: f64) -> Self {
        let mut p = Self::default();
        p.reset(start, x0);
        p.push_regime(f64::INFINITY, rate);
        p
    }

    /// `x0 + ∫ r` before caps. Before `start` the first regime's rate is applied backwards.
    pub fn uncapped(&self, t: f64) -> f64 {
        uncapped(
            self.start,
            self.x0,
            self.untils.iter().copied().zip(self.rates.iter().copied()),
            t,
        )
    }

    /// The value of the path at `t`, caps applied.
    pub fn value(&self, t: f64) -> f64 {
        let caps = self.caps.iter().map(|c| (c.at_start, c.slope));
        value(
            self.start,
            self.x0,
            self.untils.iter().copied().zip(self.rates.iter().copied()),
            caps,
            t,
        )
    }

    /// The path's value at each of the ascending `times`, caps applied, regime by regime over
    /// all the times at once (no search: a regime adds `rate · clamp(t − from, 0, length)`).
    /// The same numbers as [`LogPath::value`] at each time.
    pub fn values_at(&self, times: &[f64], out: &mut [f64]) {
        debug_assert_eq!(times.len(), out.len());
        let mut regimes = self.untils.iter().zip(&self.rates);
        let Some((&first_until, &first_rate)) = regimes.next() else {
            out.fill(self.x0);
            return self.apply_caps(times, out);
        };
        // The first regime also runs backwards before the start.
        let len = first_until - self.start;
        for (o, &t) in out.iter_mut().zip(times) {
            let d = t - self.start;
            *o = self.x0 + first_rate * if d < len { d } else { len };
        }
        let mut from = first_until;
        for (&until, &rate) in regimes {
            let len = until - from;
            for (o, &t) in out.iter_mut().zip(times) {
                let d = t - from;
                let d = if d > 0.0 { d } else { 0.0 };
                *o += rate * if d < len { d } else { len };
            }
            from = until;
        }
        self.apply_caps(times, out);
    }

    fn apply_caps(&self, times: &[f64], out: &mut [f64]) {
        for cap in &self.caps {
            for (o, &t) in out.iter_mut().zip(times) {
                *o = min(*o, cap.at_start + cap.slope * (t - self.start));
            }
        }
    }

    /// Appends every time in `(from, to)` where the path may change slope: regime boundaries,
    /// crossings of the uncapped path with a cap, and crossings of two caps. A superset of the
    /// true kinks is harmless.
    pub fn push_kinks(&self, from: f64, to: f64, out: &mut Vec<f64>) {
        let inside = |t: f64| t > from && t < to;
        if self.caps.is_empty() {
            // Without caps the path bends only where its regimes change.
            out.extend(self.untils.iter().copied().filter(|&u| inside(u)));
            return;
        }
        if from < self.start {
            // Before the start the first regime's line runs backwards; it may cross a cap there.
            let r1 = self.rates.first().copied().unwrap_or(0.0);
            for cap in &self.caps {
                let d0 = self.x0 - cap.at_start;
                let slope = r1 - cap.slope;
                if slope != 0.0 {
                    let t = self.start - d0 / slope;
                    if t < self.start && inside(t) {
                        out.push(t);
                    }
                }
            }
        }
        let mut seg_start = self.start;
        let mut x = self.x0;
        for (&until, &rate) in self.untils.iter().zip(&self.rates) {
            if inside(until) {
                out.push(until);
            }
            let seg_end = until.min(to);
            if seg_end > seg_start {
                for cap in &self.caps {
                    // d(t) = uncapped − cap is linear on the segment: push its root if inside.
                    let d0 = x - (cap.at_start + cap.slope * (seg_start - self.start));
                    let slope = rate - cap.slope;
                    if slope != 0.0 {
                        let t = seg_start - d0 / slope;
                        if t > seg_start && t < seg_end && inside(t) {
                            out.push(t);
                        }
                    }
                }
                x += rate * (seg_end - seg_start);
                seg_start = seg_end;
            }
            if until >= to {
                break;
            }
        }
        for (i, a) in self.caps.iter().enumerate() {
            for b in &self.caps[i + 1..] {
                if a.slope != b.slope {
                    let t = self.start + (b.at_start - a.at_start) / (a.slope - b.slope);
                    if inside(t) {
                        out.push(t);
                    }
                }
            }
        }
    }
}

/// `x0 + ∫ r` at `t` of a path that starts at `start` with `regimes` (each one's end year and
/// rate), before caps ([`LogPath::uncapped`]). Before `start` the first regime's rate is applied
/// backwards.
#[inline(always)]
pub(crate) fn uncapped(
    start: f64,
    x0: f64,
    mut regimes: impl Iterator<Item = (f64, f64)> + Clone,
    t: f64,
) -> f64 {
    if t <= start {
        return x0 + regimes.next().map_or(0.0, |(_, rate)| rate) * (t - start);
    }
    let mut x = x0;
    let mut from = start;
    for (until, rate) in regimes {
        let to = until.min(t);
        if to > from {
            x += rate * (to - from);
            from = to;
        }
        if t <= until {
            break;
        }
    }
    x
}

/// The value at `t` of a path that starts at `start` with `regimes` and `caps` (each one's line,
/// `(at_start, slope)`): [`LogPath::value`] of the path that holds them.
#[inline(always)]
pub(crate) fn value(
    start: f64,
    x0: f64,
    regimes: impl Iterator<Item = (f64, f64)> + Clone,
    caps: impl Iterator<Item = (f64, f64)>,
    t: f64,
) -> f64 {
    let mut x = uncapped(start, x0, regimes, t);
    for (at_start, slope) in caps {
        x = min(x, at_start + slope * (t - start));
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: f64 = 2025.0;
    const END: f64 = 2060.0;

    #[test]
    fn rate_forms_convert_to_log_units() {
        assert!((RateKind::DoublingTime.to_log_rate(2.0) - LN_2 / 2.0).abs() < 1e-15);
        assert!((RateKind::HalvingTime.to_log_rate(0.5) - 2.0 * LN_2).abs() < 1e-15);
        assert!((RateKind::GrowthPerYear.to_log_rate(3.0) - 3f64.ln()).abs() < 1e-15);
        assert!((RateKind::OomsPerYear.to_log_rate(0.5) - 0.5 * LN_10).abs() < 1e-15);
    }

    #[test]
    fn values_at_many_times_match_one_at_a_time() {
        let mut p = LogPath::default();
        p.reset(START, 1.0);
        p.push_regime(2030.0, 0.5);
        p.push_regime(2031.5, -0.2);
        p.push_regime(f64::INFINITY, 0.1);
        p.push_cap(Line {
            at_start: 3.0,
            slope: 0.01,
        });
        let times: Vec<f64> = (0..=70).map(|i| START + 0.5 * i as f64).collect();
        let mut out = vec![0.0; times.len()];
        p.values_at(&times, &mut out);
        for (t, v) in times.iter().zip(&out) {
            assert!(
                (v - p.value(*t)).abs() < 1e-12,
                "{t}: {v} vs {}",
                p.value(*t)
            );
        }
    }

    /// Two regimes (0.5/yr to 2030, then −0.1/yr) from 1.0, capped at 3.
    fn two_regimes_capped() -> LogPath {
        let mut p = LogPath::default();
        p.reset(START, 1.0);
        p.push_regime(2030.0, 0.5);
        p.push_regime(f64::INFINITY, -0.1);
        p.push_cap(Line {
            at_start: 3.0,
            slope: 0.0,
        });
        p
    }

    /// `set_line` gives the path `reset` and one regime to +∞ give, whatever the path was.
    #[test]
    fn set_line_is_a_one_regime_path() {
        let mut p = two_regimes_capped();
        for _ in 0..2 {
            p.set_line(2026.0, 2.0, 0.25);
            assert_eq!(p, LogPath::constant_rate(2026.0, 2.0, 0.25));
        }
    }

    #[test]
    fn path_values_follow_regimes_and_caps() {
        let p = two_regimes_capped();
        assert_eq!(p.value(START), 1.0);
        assert!((p.value(2028.0) - 2.5).abs() < 1e-12);
        assert!((p.value(2030.0) - 3.0).abs() < 1e-12); // 3.5 capped at 3
        assert!((p.value(2040.0) - 2.5).abs() < 1e-12); // 3.5 − 1.0
        assert!((p.value(2020.0) - (1.0 - 2.5)).abs() < 1e-12);
        let mut kinks = vec![];
        p.push_kinks(START, END, &mut kinks);
        kinks.sort_by(f64::total_cmp);
        // Reaches the cap at 2029, regime change at 2030, falls below the cap at 2035.
        assert_eq!(kinks.len(), 3);
        for (k, e) in kinks.iter().zip([2029.0, 2030.0, 2035.0]) {
            assert!((k - e).abs() < 1e-9, "{kinks:?}");
        }
    }
}
