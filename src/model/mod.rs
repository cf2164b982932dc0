/*!
The model's math, per Monte Carlo sample (`../shared/MODEL.md`).

Every process is a log-quantity that moves linearly within each regime and is clamped from above
by caps, so it is piecewise linear in time. Costs and budgets are sums of such paths, so the first
time a cost falls below a budget is found exactly: collect every kink of every path on one grid,
evaluate the paths there once, and interpolate linearly inside the first piece where the
difference changes sign. No I/O and no randomness: the numbers come in already drawn.
*/

mod access;
mod lanes;
mod path;
mod quad;
mod solver;

pub use access::{Access, PathScratch, Population};
pub use path::{Line, LogPath, RateKind};
pub use quad::{
    ClassQuad, MAX_CAPS, MAX_REGIMES, PathQuad, QUAD, QuadModel, QuadSolver, all_equal,
};
pub use solver::CrossingSolver;

use crate::costs::Costs;

pub use crate::costs::FIT_TOLERANCE;

/// An actor class's budget for one sample.
#[derive(Debug, Clone, PartialEq)]
pub enum Budget {
    /// `B(t) = f · m · S(t)`: a fraction `f` of the frontier's whole project around its largest
    /// run (`ln_fraction = ln f`, 0 for the frontier itself).
    Frontier { ln_fraction: f64 },
    /// Its own path, `ln B(t)`.
    Own(LogPath),
}

/// What a target needs, for one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Requirement {
    /// `ln F` FLOP at the algorithms of `flop_year` (the start year when absent).
    Fixed {
        ln_flop: f64,
        flop_year: Option<f64>,
    },
    /// The capability of the largest run in `year`: `E = S(Y) · P(Y) · A(Y)`.
    FrontierOf { year: f64 },
    /// The capability whose whole-project cost at the frontier in `year` is `e^ln_cost`
    /// dollars: `E = cost · P(Y) · A(Y) / m`.
    CostAt { ln_cost: f64, year: f64 },
}

/// Every number of one Monte Carlo sample, already drawn: the model for that sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleModel {
    /// First year of the horizon.
    pub start: f64,
    /// Last year of the horizon.
    pub end: f64,
    /// `ln P(t)`, effective FLOP per dollar.
    pub hardware: LogPath,
    /// `ln A(t)`, algorithmic efficiency (`A(start) = 1`).
    pub algorithms: LogPath,
    /// `ln S(t)`, the largest run's compute cost in dollars.
    pub investment: LogPath,
    /// `ln m`, the whole-project overhead multiplier.
    pub ln_overhead: f64,
    /// The year the frontier stops publishing algorithmic insights, if it does.
    pub closed_from: Option<f64>,
    /// One budget per actor class.
    pub budgets: Vec<Budget>,
    /// One access per actor class.
    pub access: Vec<Access>,
    /// One requirement per target.
    pub targets: Vec<Requirement>,
    /// Costs beyond training compute (data, staff, deployment), when the scenario has any.
    pub costs: Option<Costs>,
}

impl SampleModel {
    /// `ln E`: the target's effective FLOP at start-year algorithms.
    #[inline]
    pub fn ln_effective_flop(&self, target: &Requirement) -> f64 {
        match *target {
            Requirement::Fixed { ln_flop, flop_year } => match flop_year {
                // F FLOP at the algorithms of year y need F · A(y) FLOP at start-year algorithms.
                Some(y) => ln_flop + self.algorithms.value(y),
                None => ln_flop,
            },
            Requirement::FrontierOf { year } => {
                self.investment.value(year)
                    + self.hardware.value(year)
                    + self.algorithms.value(year)
            }
            Requirement::CostAt { ln_cost, year } => {
                ln_cost + self.hardware.value(year) + self.algorithms.value(year) - self.ln_overhead
            }
        }
    }

    /// The first year the target exists: the start, or `Y` for a frontier-of-`Y` target.
    pub fn available_from(&self, target: &Requirement) -> f64 {
        match *target {
            Requirement::Fixed { .. } | Requirement::CostAt { .. } => self.start,
            Requirement::FrontierOf { year } => year,
        }
    }

    /// `ln C(t) = ln m + ln E − ln P(t) − ln A(t)`: the whole-project cost of training `ln E`.
    pub fn ln_cost(&self, ln_e: f64, t: f64) -> f64 {
        self.ln_overhead + ln_e - self.hardware.value(t) - self.algorithms.value(t)
    }

    /// `ln B_k(t)`.
    pub fn ln_budget(&self, budget: &Budget, t: f64) -> f64 {
        match budget {
            Budget::Frontier { ln_fraction } => {
                self.ln_overhead + ln_fraction + self.investment.value(t)
            }
            Budget::Own(path) => path.value(t),
        }
    }
}
