//! A number of the model as the scenario writes it, and every input's drawn value in one sample.

/// A number in the model: fixed, or one of the scenario's uncertain inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// A plain number.
    Fixed(f64),
    /// Index into [`Scenario::inputs`].
    Input(usize),
}

impl Quantity {
    /// Its value in one sample.
    #[inline]
    pub fn value(self, draws: &Draws) -> f64 {
        match self {
            Quantity::Fixed(v) => v,
            Quantity::Input(i) => draws.value(i),
        }
    }

    /// Its natural log in one sample.
    #[inline]
    pub fn ln(self, draws: &Draws) -> f64 {
        match self {
            Quantity::Fixed(v) => v.ln(),
            Quantity::Input(i) => draws.ln(i),
        }
    }
}

/// Every input's drawn value in one sample. A lognormal draw is held as its log, `μ + σz`,
/// which is all the model needs of most inputs: its value is computed only when asked for,
/// and its log is exact rather than the log of a rounded exponential.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draws {
    /// Per input: its log when the flag is set, else its value (one entry, one bounds check).
    draws: Vec<(f64, bool)>,
}

impl Draws {
    /// Room for `n` inputs, all 0.
    pub fn new(n: usize) -> Self {
        Self {
            draws: vec![(0.0, false); n],
        }
    }

    /// Draws with these values.
    pub fn from_values(values: &[f64]) -> Self {
        Self {
            draws: values.iter().map(|&v| (v, false)).collect(),
        }
    }

    /// Input `i`'s value.
    #[inline]
    pub fn value(&self, i: usize) -> f64 {
        match self.draws[i] {
            (ln, true) => ln.exp(),
            (value, false) => value,
        }
    }

    /// Input `i`'s natural log.
    #[inline]
    pub fn ln(&self, i: usize) -> f64 {
        match self.draws[i] {
            (ln, true) => ln,
            (value, false) => ln_of_value(value),
        }
    }

    /// Sets input `i` to `value`.
    #[inline]
    pub fn set(&mut self, i: usize, value: f64) {
        self.draws[i] = (value, false);
    }

    /// Sets every input, in order, to `e^ln` for each `ln` of `logs` (as many as there are
    /// inputs).
    #[inline]
    pub fn set_all_ln(&mut self, logs: impl IntoIterator<Item = f64>) {
        for (draw, ln) in self.draws.iter_mut().zip(logs) {
            *draw = (ln, true);
        }
    }

    /// Sets input `i` to `e^ln_value`.
    #[inline]
    pub fn set_ln(&mut self, i: usize, ln_value: f64) {
        self.draws[i] = (ln_value, true);
    }

    /// Every input's value.
    pub fn values(&self) -> Vec<f64> {
        (0..self.draws.len()).map(|i| self.value(i)).collect()
    }
}

/// `v.ln()`, out of line: the rare case of [`Draws::ln`] (most inputs are held as logs), kept a
/// call so that the compiler does not work it out for every input and keep it only for the rare
/// one (which it did in loops over four samples).
#[cold]
#[inline(never)]
fn ln_of_value(v: f64) -> f64 {
    v.ln()
}
