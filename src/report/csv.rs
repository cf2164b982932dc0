//! CSV exports: the affordability curves, the trajectories' quantiles, the affordability times.

use crate::format::{round_year, sig_exp, sig_plain, year_cell};
use crate::results::{QUANTILE_LEVELS, RunResults, TimeQuantiles};

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

fn quantile_headers(prefix: &str) -> Vec<String> {
    QUANTILE_LEVELS
        .iter()
        .map(|p| format!("{prefix}p{}", (p * 100.0).round()))
        .collect()
}

/// `affordability.csv`: target, actor, year, P(affordable by that year).
pub fn affordability_csv(r: &RunResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["target", "actor", "year", "probability"])
        .expect("memory");
    for pair in &r.affordability {
        for (y, p) in r.years.iter().zip(&pair.p_by_year) {
            w.write_record([
                &pair.target,
                &pair.actor,
                &round_year(*y).to_string(),
                &p.to_string(),
            ])
            .expect("memory");
        }
    }
    finish(w)
}

/// `trajectories.csv`: series, name, year, unit, and the five quantiles of every trajectory.
/// Years where a series does not exist yet (a frontier target before its year) are left out.
/// When a class's access differs from the frontier's, its own cost of each target follows as
/// series `class_cost` (name: the target), and a last column `actor` names the class (empty
/// for the other series); without such classes the file has no `actor` column, as before.
pub fn trajectories_csv(r: &RunResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let with_actor = !r.class_costs.is_empty();
    let mut header = vec![
        "series".to_string(),
        "name".into(),
        "year".into(),
        "unit".into(),
    ];
    header.extend(quantile_headers(""));
    if with_actor {
        header.push("actor".into());
    }
    w.write_record(&header).expect("memory");
    let rows = r
        .trajectories
        .iter()
        .map(|s| {
            let name = s.name.clone().unwrap_or_default();
            (s.kind.as_str(), name, s.kind.unit(), &s.quantiles, None)
        })
        .chain(r.class_costs.iter().map(|c| {
            let actor = Some(c.actor.as_str());
            ("class_cost", c.target.clone(), "USD", &c.quantiles, actor)
        }));
    for (series, name, unit, quantiles, actor) in rows {
        for (y, q) in r.years.iter().zip(quantiles) {
            let Some(q) = q else { continue };
            let mut row = vec![
                series.to_string(),
                name.clone(),
                round_year(*y).to_string(),
                unit.to_string(),
            ];
            row.extend(q.iter().map(|v| sig_exp(*v)));
            if with_actor {
                row.push(actor.unwrap_or_default().to_string());
            }
            w.write_record(&row).expect("memory");
        }
    }
    finish(w)
}

/// `cost_components.csv`: per target × actor class × component (`compute`, `data`, `staff`,
/// `deployment`, and the totals `train` and `train_and_deploy`) × reporting year, the five
/// quantiles of its cost in dollars and, for components, of its share of the whole cost and
/// its mean share (mean shares add up to one). Years before a target exists are left out.
pub fn cost_components_csv(r: &RunResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "target".to_string(),
        "actor".into(),
        "component".into(),
        "year".into(),
    ];
    header.extend(quantile_headers(""));
    header.extend(quantile_headers("share_"));
    header.push("share_mean".into());
    w.write_record(&header).expect("memory");
    for c in &r.cost_components {
        for (i, (y, q)) in r.years.iter().zip(&c.quantiles).enumerate() {
            let Some(q) = q else { continue };
            let mut row = vec![
                c.target.clone(),
                c.actor.clone(),
                c.component.clone(),
                round_year(*y).to_string(),
            ];
            row.extend(q.iter().map(|v| sig_exp(*v)));
            match (&c.share, &c.mean_share) {
                (Some(s), Some(m)) => {
                    let cells = s[i].map_or(
                        [
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ],
                        |s| s.map(sig_plain),
                    );
                    row.extend(cells);
                    row.push(m[i].map(sig_plain).unwrap_or_default());
                }
                _ => row.extend(std::iter::repeat_n(String::new(), 6)),
            }
            w.write_record(&row).expect("memory");
        }
    }
    finish(w)
}

/// `times.csv`: per target × actor class, P(by the horizon), the quantiles of the affordability
/// year and, for frontier targets, of the lag. An empty quantile means "not by the horizon".
pub fn times_csv(r: &RunResults) -> Vec<u8> {
    time_table(
        "actor",
        r.affordability.iter().map(|p| {
            let lag = p.lag_quantiles.as_ref();
            (
                &p.target,
                p.actor.clone(),
                p.frontier_year,
                p.p_by_horizon,
                &p.quantiles,
                lag.copied(),
            )
        }),
    )
}

/// A table of affordability times: `target, <who>, frontier_year, p_by_horizon, year_p5 …
/// year_p95, lag_p5 … lag_p95`, one row per `(target, who, frontier year, P(by the horizon),
/// year quantiles, lag quantiles)`.
fn time_table<'a>(
    who: &str,
    rows: impl Iterator<
        Item = (
            &'a String,
            String,
            Option<f64>,
            f64,
            &'a TimeQuantiles,
            Option<TimeQuantiles>,
        ),
    >,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "target".to_string(),
        who.into(),
        "frontier_year".into(),
        "p_by_horizon".into(),
    ];
    header.extend(quantile_headers("year_"));
    header.extend(quantile_headers("lag_"));
    w.write_record(&header).expect("memory");
    for (target, key, frontier_year, p_by_horizon, quantiles, lag) in rows {
        let mut row = vec![
            target.clone(),
            key,
            year_cell(frontier_year),
            p_by_horizon.to_string(),
        ];
        row.extend(quantiles.iter().map(|q| year_cell(*q)));
        match lag {
            Some(l) => row.extend(l.iter().map(|q| year_cell(*q))),
            None => row.extend(std::iter::repeat_n(String::new(), QUANTILE_LEVELS.len())),
        }
        w.write_record(&row).expect("memory");
    }
    finish(w)
}

/// `lag_trend.csv`: per actor class and frontier year, the share beyond the horizon and the
/// quantiles of the diffusion lag (empty: beyond the horizon).
pub fn lag_trend_csv(r: &RunResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "actor".to_string(),
        "frontier_year".into(),
        "target".into(),
        "p_beyond_horizon".into(),
    ];
    header.extend(quantile_headers("lag_"));
    w.write_record(&header).expect("memory");
    for p in r.lag_trend() {
        let mut row = vec![
            p.actor.to_string(),
            round_year(p.frontier_year).to_string(),
            p.target.to_string(),
            p.p_beyond.to_string(),
        ];
        row.extend(p.lag.iter().map(|q| year_cell(*q)));
        w.write_record(&row).expect("memory");
    }
    finish(w)
}

/// `actor_counts.csv`: per target and reporting year, how many actors (of all classes) can
/// afford it by then: mean and 5th, 50th and 95th percentiles over samples.
pub fn actor_counts_csv(r: &RunResults) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["target", "year", "actors", "mean", "p5", "p50", "p95"])
        .expect("memory");
    for c in &r.actor_counts {
        for (y, s) in r.years.iter().zip(&c.by_year) {
            let Some(s) = s else { continue };
            w.write_record([
                c.target.clone(),
                round_year(*y).to_string(),
                c.total.to_string(),
                sig_plain(s.mean),
                s.p5.to_string(),
                s.p50.to_string(),
                s.p95.to_string(),
            ])
            .expect("memory");
        }
    }
    finish(w)
}

/// `ranks.csv`: per target and requested rank r, when the r-th actor over all classes can first
/// afford it: P(by the horizon), quantiles of the year and, for frontier targets, of the lag.
pub fn ranks_csv(r: &RunResults) -> Vec<u8> {
    time_table(
        "rank",
        r.ranks.iter().map(|k| {
            let lag = k
                .frontier_year
                .map(|fy| k.quantiles.map(|q| q.map(|t| t - fy)));
            (
                &k.target,
                k.rank.to_string(),
                k.frontier_year,
                k.p_by_horizon,
                &k.quantiles,
                lag,
            )
        }),
    )
}
