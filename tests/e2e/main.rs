//! End-to-end tests of the `diffusion-sim` binary and of the library's public API, in one test
//! binary: one link instead of one per file. Each module tests one command or concern.

mod util;

mod access;
mod backtest;
mod bad_input;
mod chart_options;
mod charts;
mod compare;
mod correlations;
mod costs;
mod observed;
mod plot_bad;
mod report;
mod run;
mod samples;
mod scenarios;
mod sensitivity;
mod set;
mod shard;
mod sweep;
mod sweep_bad;
mod trajectory_samples;
