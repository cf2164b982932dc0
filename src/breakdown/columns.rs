//! A batch's breakdowns component by component over its samples: the arithmetic of
//! [`Prices::breakdown`], term for term in its order (so the same numbers to the bit), in loops
//! the compiler vectorises.

use super::{BATCH, Stash};
use crate::costs::{Component, Needs, Prices, formula};

/// The stash's prices and needs as columns, per sample.
pub(super) struct Columns {
    /// The prices' layout is the same for every sample (the scenario's), so the loops apply;
    /// else every breakdown is computed one sample at a time.
    uniform: bool,
    /// Data beyond a stock: its part is computed one sample at a time.
    stock: bool,
    start: Vec<f64>,
    tokens_per_parameter: Vec<f64>,
    data_price: Vec<f64>,
    data_rate: Vec<f64>,
    wage: Vec<f64>,
    wage_rate: Vec<f64>,
    utilisation: Vec<f64>,
    /// Per target × sample (`n` samples a target).
    person_years: Vec<f64>,
    tokens_served: Vec<f64>,
    /// `ln F` of the cell at hand, per sample.
    ln_f: Vec<f64>,
}

/// Which tables a sample's prices have.
fn layout(p: &Prices) -> [bool; 4] {
    [
        p.data.is_some(),
        p.data.is_some_and(|d| d.stock.is_some()),
        p.staff.is_some(),
        p.deployment.is_some(),
    ]
}

impl Columns {
    /// The columns of the `st.n` samples stashed in `st`, for `targets` targets.
    pub(super) fn new(st: &Stash, targets: usize) -> Self {
        let prices = &st.prices[..st.n];
        let column = |f: fn(&Prices) -> Option<f64>| -> Vec<f64> {
            prices.iter().map(|p| f(p).unwrap_or(0.0)).collect()
        };
        let needs = |f: fn(&Needs) -> f64| -> Vec<f64> {
            (0..targets)
                .flat_map(|j| st.needs[j * st.row..][..st.n].iter().map(f))
                .collect()
        };
        Self {
            uniform: prices.iter().all(|p| layout(p) == layout(&prices[0])),
            stock: prices.first().is_some_and(|p| layout(p)[1]),
            start: column(|p| Some(p.start)),
            tokens_per_parameter: column(|p| Some(p.ln_tokens_per_parameter)),
            data_price: column(|p| p.data.map(|d| d.ln_price)),
            data_rate: column(|p| p.data.map(|d| d.rate)),
            wage: column(|p| p.staff.map(|w| w.ln_wage)),
            wage_rate: column(|p| p.staff.map(|w| w.rate)),
            utilisation: column(|p| p.deployment.map(|d| d.ln_utilisation)),
            person_years: needs(|n| n.ln_person_years),
            tokens_served: needs(|n| n.ln_tokens_served),
            ln_f: vec![0.0; st.n],
        }
    }

    /// The logs of the components `present` of target `j`'s cost in cost group `g` at year `y`,
    /// given the group's `ln P_k` and `ln A_k` there, for each stashed sample, into `out`
    /// (per component, per sample).
    pub(super) fn breakdowns(
        &mut self,
        st: &Stash,
        (g, j): (usize, usize),
        (hw, alg, y): (&[f64], &[f64], f64),
        present: &[usize],
        out: &mut [[f64; BATCH]; 4],
    ) {
        let n = st.n;
        let scalar = |s: usize| {
            st.prices[s].breakdown(
                st.needs[j * st.row + s],
                &st.payer(g, j, s),
                hw[s],
                alg[s],
                y,
            )
        };
        if !self.uniform {
            for (s, b) in (0..n).map(scalar).enumerate() {
                for &c in present {
                    out[c][s] = b[c];
                }
            }
            return;
        }
        let (hw, alg) = (&hw[..n], &alg[..n]);
        let ln_e = &st.ln_e[j * st.row..][..n];
        let price = &st.price[g * st.row..][..n];
        let compute = &st.compute[g * st.row..][..n];
        let ln_f = &mut self.ln_f[..n];
        for ((f, &c), (&e, &a)) in ln_f.iter_mut().zip(compute).zip(ln_e.iter().zip(alg)) {
            *f = formula::ln_flop(c, e, a);
        }
        let ln_f = &self.ln_f[..n];
        let r = &self.tokens_per_parameter[..n];
        // `t − start`, per sample.
        let since = |s: usize| y - self.start[s];
        for &c in present {
            let out = &mut out[c][..n];
            match c {
                c if c == Component::Compute as usize => {
                    let overhead = &st.ln_overhead[..n];
                    for (s, o) in out.iter_mut().enumerate() {
                        *o = formula::compute(overhead[s], price[s], ln_f[s], hw[s]);
                    }
                }
                c if c == Component::Data as usize && self.stock => {
                    for (s, o) in out.iter_mut().enumerate() {
                        *o = scalar(s)[c];
                    }
                }
                c if c == Component::Data as usize => {
                    let (p, rate) = (&self.data_price[..n], &self.data_rate[..n]);
                    for (s, o) in out.iter_mut().enumerate() {
                        let ln_d = formula::ln_tokens(r[s], ln_f[s]);
                        *o = formula::at(p[s], rate[s], since(s)) + ln_d;
                    }
                }
                c if c == Component::Staff as usize => {
                    let people = &self.person_years[j * n..][..n];
                    let wage = &st.wage[g * st.row..][..n];
                    let (w, rate) = (&self.wage[..n], &self.wage_rate[..n]);
                    for (s, o) in out.iter_mut().enumerate() {
                        *o = formula::staff(people[s], wage[s], w[s], rate[s], since(s));
                    }
                }
                _ => {
                    let served = &self.tokens_served[j * n..][..n];
                    let u = &self.utilisation[..n];
                    for (s, o) in out.iter_mut().enumerate() {
                        *o = formula::deployment(price[s], r[s], ln_f[s], served[s], u[s], hw[s]);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::{DataPrice, Deployment, Stock, Wage};

    /// A stash's row at its largest capacity.
    const ROW: usize = BATCH + 8;

    /// Every component, with data within or beyond a stock, is `Prices::breakdown`'s to the bit.
    #[test]
    fn columns_equal_the_breakdown() {
        let mut seed = 3u64;
        let mut u = move |lo: f64, hi: f64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            lo + (hi - lo) * ((seed >> 11) as f64 / (1u64 << 53) as f64)
        };
        for stock in [false, true] {
            let (n, targets, groups, y) = (300, 2, 2, 2031.5);
            let mut column = |len: usize, lo: f64, hi: f64| -> Vec<f64> {
                (0..len).map(|_| u(lo, hi)).collect()
            };
            let (price, compute, wage) = (
                column(groups * ROW, 0.0, 1.0),
                column(groups * ROW, 0.0, 0.8),
                column(groups * ROW, -2.0, 0.5),
            );
            let (ln_e, ln_overhead) = (column(targets * ROW, 55.0, 63.0), column(BATCH, 0.0, 1.5));
            let (hw, alg) = (column(n, 39.0, 42.0), column(n, -1.0, 3.0));
            let needs = (0..targets * ROW)
                .map(|i| Needs {
                    // A target without staff (−∞) too.
                    ln_person_years: if i < ROW {
                        u(0.0, 8.0)
                    } else {
                        f64::NEG_INFINITY
                    },
                    ln_tokens_served: u(25.0, 35.0),
                })
                .collect();
            let prices = (0..BATCH)
                .map(|_| Prices {
                    start: 2025.0,
                    ln_tokens_per_parameter: u(2.5, 3.7),
                    data: Some(DataPrice {
                        ln_price: u(-18.0, -11.0),
                        rate: u(-0.2, 0.2),
                        stock: stock.then(|| Stock {
                            ln_tokens: u(28.0, 36.0),
                            rate: u(0.0, 0.1),
                            ln_beyond_price: u(-17.0, -10.0),
                        }),
                    }),
                    staff: Some(Wage {
                        ln_wage: u(12.0, 14.5),
                        rate: u(-0.5, 0.3),
                    }),
                    deployment: Some(Deployment {
                        ln_utilisation: u(-1.5, 0.0),
                        in_budget: true,
                    }),
                })
                .collect();
            let st = Stash {
                n,
                capacity: BATCH,
                row: ROW,
                price,
                compute,
                wage,
                ln_e,
                needs,
                prices,
                ln_overhead,
                ..Stash::default()
            };
            let mut columns = Columns::new(&st, targets);
            let mut out = crate::breakdown::batch_columns::<4>(0.0);
            for (g, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                columns.breakdowns(&st, (g, j), (&hw, &alg, y), &[0, 1, 2, 3], &mut out);
                for s in 0..n {
                    let payer = st.payer(g, j, s);
                    let b =
                        st.prices[s].breakdown(st.needs[j * st.row + s], &payer, hw[s], alg[s], y);
                    for c in 0..4 {
                        assert_eq!(
                            out[c][s].to_bits(),
                            b[c].to_bits(),
                            "{stock} {g} {j} {s} {c}"
                        );
                    }
                }
            }
        }
    }
}
