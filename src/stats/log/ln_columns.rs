//! A batch of log-values given by a formula over columns, counted as they are worked out.

use super::simd::Simd;
use std::ops::{Add, Mul, Range, Sub};

/// What a [`Formula`] computes with: a number, or a vector of them lane by lane (each lane's
/// result the same bits as the number's).
pub trait Lane: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    /// `x` in every lane.
    fn splat(x: f64) -> Self;
}

impl Lane for f64 {
    #[inline(always)]
    fn splat(x: f64) -> Self {
        x
    }
}

/// How one value is made of a row of `K` columns, written once for numbers and for vectors.
pub trait Formula<const K: usize>: Copy {
    /// The value of `row`.
    fn at<T: Lane>(&self, row: [T; K]) -> T;
}

/// A column's values as they are.
#[derive(Clone, Copy)]
pub struct Held;

impl Formula<1> for Held {
    #[inline(always)]
    fn at<T: Lane>(&self, [v]: [T; 1]) -> T {
        v
    }
}

/// A batch of log-values as `K` columns of one length and the [`Formula`] that makes the value
/// of a row of them. A histogram counts them as it works them out, so that a value counted once
/// is never stored and read back ([`super::LogHistogram::insert_ln_columns`]).
#[derive(Clone, Copy)]
pub struct LnColumns<'a, const K: usize, F> {
    columns: [&'a [f64]; K],
    formula: F,
}

impl<'a> LnColumns<'a, 1, Held> {
    /// The values of one column as they are.
    pub fn held(values: &'a [f64]) -> Self {
        Self::new([values], Held)
    }
}

impl<'a, const K: usize, F: Formula<K>> LnColumns<'a, K, F> {
    /// The values `formula` makes of each row of `columns`.
    ///
    /// # Panics
    /// When there is no column or the columns differ in length.
    pub fn new(columns: [&'a [f64]; K], formula: F) -> Self {
        let n = columns.first().expect("at least one column").len();
        assert!(
            columns.iter().all(|c| c.len() == n),
            "the columns of a batch of values have one length"
        );
        Self { columns, formula }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.columns[0].len()
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th value.
    #[inline(always)]
    pub fn get(&self, i: usize) -> f64 {
        self.formula.at(self.columns.map(|c| c[i]))
    }

    /// Every value in order.
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The values of `rows`.
    pub(super) fn rows(&self, rows: Range<usize>) -> Self {
        Self {
            columns: self.columns.map(|c| &c[rows.clone()]),
            formula: self.formula,
        }
    }

    /// The values from the `i`-th, a vector's width of them.
    ///
    /// # Safety
    /// `i + V::WIDTH ≤ len`.
    #[inline(always)]
    pub(super) unsafe fn load<V: Simd>(&self, i: usize) -> V {
        // SAFETY: every column is `len` long, and the caller keeps `i + WIDTH` within it.
        self.formula
            .at(self.columns.map(|c| unsafe { V::load(c.as_ptr().add(i)) }))
    }
}
