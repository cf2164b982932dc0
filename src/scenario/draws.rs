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
    values: Vec<f64>,
    lns: Vec<f64>,
    in_log: Vec<bool>,
}

impl Draws {
    /// Room for `n` inputs, all 0.
    pub fn new(n: usize) -> Self {
        Self {
            values: vec![0.0; n],
            lns: vec![0.0; n],
            in_log: vec![false; n],
        }
    }

    /// Draws with these values.
    pub fn from_values(values: &[f64]) -> Self {
        Self {
            values: values.to_vec(),
            lns: vec![0.0; values.len()],
            in_log: vec![false; values.len()],
        }
    }

    /// Input `i`'s value.
    #[inline]
    pub fn value(&self, i: usize) -> f64 {
        if self.in_log[i] {
            self.lns[i].exp()
        } else {
            self.values[i]
        }
    }

    /// Input `i`'s natural log.
    #[inline]
    pub fn ln(&self, i: usize) -> f64 {
        if self.in_log[i] {
            self.lns[i]
        } else {
            self.values[i].ln()
        }
    }

    /// Sets input `i` to `value`.
    #[inline]
    pub fn set(&mut self, i: usize, value: f64) {
        self.values[i] = value;
        self.in_log[i] = false;
    }

    /// Sets input `i` to `e^ln_value`.
    #[inline]
    pub fn set_ln(&mut self, i: usize, ln_value: f64) {
        self.lns[i] = ln_value;
        self.in_log[i] = true;
    }

    /// Every input's value.
    pub fn values(&self) -> Vec<f64> {
        (0..self.values.len()).map(|i| self.value(i)).collect()
    }
}
