//! The predicted cost distributions of a case's matches, sampled from its generated scenario.

use std::path::Path;

use super::case::Scored;
use super::{Options, Z90};
use crate::model::PathScratch;
use crate::sim::{Sampler, Scratch, normal_at, stream_key};
use crate::stats::LogHistogram;

/// The predicted distribution of each match's class cost at its date (natural-log dollars);
/// when `measured`, of the figure that would be published: the cost times its measurement error,
/// drawn from a stream of its own (the same draws in every variant).
pub(super) fn predict(
    text: &str,
    id: &str,
    matches: &[Scored],
    opts: &Options,
    measured: bool,
) -> Result<Vec<LogHistogram>, String> {
    let scn = crate::scenario::from_str(Path::new(&format!("backtest-{id}.toml")), text)
        .map_err(|e| format!("the backtest scenario of case {id} is invalid: {e}"))?;
    let sampler = Sampler::new(&scn, opts.seed);
    let realiser = scn.realiser();
    let mut s = Scratch::new(&scn);
    let mut buf = PathScratch::default();
    let errors: Vec<(u64, f64)> = matches
        .iter()
        .map(|m| {
            let key = stream_key(opts.seed, &format!("backtest.{id}.match[{}].cost", m.index));
            (key, if measured { m.factor.ln() / Z90 } else { 0.0 })
        })
        .collect();
    let mut out = vec![LogHistogram::default(); matches.len()];
    for i in 0..opts.samples {
        sampler.draw(i, &mut s);
        realiser.realise(&s.draws, &mut s.model);
        let ln_e = s.model.ln_effective_flop(&s.model.targets[0]);
        for ((h, m), &(key, sigma)) in out.iter_mut().zip(matches).zip(&errors) {
            let error = if sigma > 0.0 {
                sigma * normal_at(key, i)
            } else {
                0.0
            };
            h.insert_ln(s.model.ln_class_cost(m.class, ln_e, m.year, &mut buf) + error);
        }
    }
    Ok(out)
}
