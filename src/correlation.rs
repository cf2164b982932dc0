/*!
Correlated inputs by a Gaussian copula (MODEL.md, "Sampling").

Every input is drawn from one standard normal score `z` (see `dist`). Correlating inputs means
correlating their scores: `z ← L·z` with `L` the Cholesky factor of the scores' correlation
matrix. Each score stays standard normal, so every input keeps exactly its own marginal,
truncation included. A requested Spearman rank correlation ρ becomes the normal copula's Pearson
correlation `2·sin(πρ/6)`, which gives exactly rank correlation ρ between the inputs.

When the requested correlations cannot hold together (the matrix is not positive definite), the
nearest consistent matrix (Higham's alternating projections) says which pairs to change and to
what.
*/

use nalgebra::{DMatrix, SymmetricEigen};

/// The normal copula's Pearson correlation for a Spearman rank correlation.
pub fn spearman_to_pearson(rho: f64) -> f64 {
    if rho.abs() >= 1.0 {
        rho.signum()
    } else {
        2.0 * (std::f64::consts::PI * rho / 6.0).sin()
    }
}

/// The Spearman rank correlation of a normal copula with Pearson correlation `r`.
pub fn pearson_to_spearman(r: f64) -> f64 {
    6.0 / std::f64::consts::PI * (r / 2.0).asin()
}

/// A requested correlation between two inputs (indices into the scenario's inputs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// First input.
    pub a: usize,
    /// Second input.
    pub b: usize,
    /// Requested Spearman rank correlation.
    pub rho: f64,
}

/// The Cholesky factor applied to the normal scores of the correlated inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    /// The correlated inputs (indices into the scenario's inputs), in matrix order.
    members: Vec<usize>,
    /// Lower-triangular Cholesky factor, row-major, `n × n`.
    lower: Vec<f64>,
}

/// Requested correlations that cannot all hold: the nearest consistent values.
#[derive(Debug, Clone, PartialEq)]
pub struct Inconsistent {
    /// `(a, b, requested Spearman, suggested Spearman)` for every pair that must change, declared
    /// or not (an undeclared pair is requested at 0).
    pub changes: Vec<(usize, usize, f64, f64)>,
}

impl Copula {
    /// Builds the copula for `pairs` (each pair once, `a ≠ b`, |ρ| ≤ 1).
    pub fn new(pairs: &[Pair]) -> Result<Self, Inconsistent> {
        let mut members: Vec<usize> = Vec::new();
        for p in pairs {
            for i in [p.a, p.b] {
                if !members.contains(&i) {
                    members.push(i);
                }
            }
        }
        let n = members.len();
        let pos = |i: usize| members.iter().position(|m| *m == i).expect("member");
        let mut c = DMatrix::<f64>::identity(n, n);
        for p in pairs {
            let r = spearman_to_pearson(p.rho);
            c[(pos(p.a), pos(p.b))] = r;
            c[(pos(p.b), pos(p.a))] = r;
        }
        // Positive definite with a margin: a pivot near zero means a (nearly) singular matrix,
        // whose scores would be (nearly) copies of one another.
        match c
            .clone()
            .cholesky()
            .filter(|ch| ch.l().diagonal().iter().all(|d| *d > 1e-4))
        {
            Some(ch) => {
                let l = ch.l();
                let lower = (0..n)
                    .flat_map(|i| (0..n).map(move |j| (i, j)))
                    .map(|(i, j)| l[(i, j)])
                    .collect();
                Ok(Self { members, lower })
            }
            None => {
                let near = nearest_correlation(&c, 0.02);
                let mut changes = Vec::new();
                for i in 0..n {
                    for j in i + 1..n {
                        let (was, now) = (
                            pearson_to_spearman(c[(i, j)]),
                            pearson_to_spearman(near[(i, j)]),
                        );
                        if (was - now).abs() > 0.005 {
                            changes.push((
                                members[i],
                                members[j],
                                was,
                                (now * 100.0).round() / 100.0,
                            ));
                        }
                    }
                }
                Err(Inconsistent { changes })
            }
        }
    }

    /// The correlated inputs, in matrix order.
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// Correlates the scores of the member inputs in place: `z ← L·z`.
    #[inline]
    pub fn apply(&self, z: &mut [f64], scratch: &mut Vec<f64>) {
        let n = self.members.len();
        scratch.clear();
        scratch.extend(self.members.iter().map(|&m| z[m]));
        for (i, &m) in self.members.iter().enumerate() {
            let row = &self.lower[i * n..i * n + i + 1];
            z[m] = row.iter().zip(scratch.iter()).map(|(l, x)| l * x).sum();
        }
    }
}

/// The nearest correlation matrix to `a` with every eigenvalue at least `floor` (Higham 2002,
/// alternating projections with Dykstra's correction, then rescaled to a unit diagonal).
fn nearest_correlation(a: &DMatrix<f64>, floor: f64) -> DMatrix<f64> {
    let n = a.nrows();
    let clip = |m: &DMatrix<f64>| {
        let eig = SymmetricEigen::new(m.clone());
        let d = DMatrix::from_diagonal(&eig.eigenvalues.map(|v| v.max(floor)));
        &eig.eigenvectors * d * eig.eigenvectors.transpose()
    };
    let mut y = a.clone();
    let mut correction = DMatrix::<f64>::zeros(n, n);
    for _ in 0..500 {
        let r = &y - &correction;
        let x = clip(&r);
        correction = &x - &r;
        let mut next = x;
        for i in 0..n {
            next[(i, i)] = 1.0;
        }
        let change = (&next - &y).norm();
        y = next;
        if change < 1e-10 {
            break;
        }
    }
    let x = clip(&y);
    let s: Vec<f64> = (0..n).map(|i| x[(i, i)].sqrt()).collect();
    DMatrix::from_fn(n, n, |i, j| x[(i, j)] / (s[i] * s[j]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_and_pearson_convert_both_ways() {
        for rho in [-0.9, -0.3, 0.0, 0.5, 0.99] {
            assert!((pearson_to_spearman(spearman_to_pearson(rho)) - rho).abs() < 1e-12);
        }
        assert_eq!(spearman_to_pearson(1.0), 1.0);
        assert!((spearman_to_pearson(0.5) - 0.517_638).abs() < 1e-6);
    }

    #[test]
    fn the_factor_reproduces_the_matrix() {
        let pairs = [
            Pair {
                a: 3,
                b: 1,
                rho: 0.5,
            },
            Pair {
                a: 1,
                b: 7,
                rho: -0.3,
            },
        ];
        let c = Copula::new(&pairs).unwrap();
        assert_eq!(c.members(), &[3, 1, 7]);
        // L·Lᵀ entries equal the Pearson correlations.
        let n = 3;
        let dot = |i: usize, j: usize| {
            (0..n)
                .map(|k| c.lower[i * n + k] * c.lower[j * n + k])
                .sum::<f64>()
        };
        assert!((dot(0, 1) - spearman_to_pearson(0.5)).abs() < 1e-12);
        assert!((dot(1, 2) - spearman_to_pearson(-0.3)).abs() < 1e-12);
        assert!(dot(0, 2).abs() < 1e-12);
        assert!((dot(2, 2) - 1.0).abs() < 1e-12);
        // Applying it only touches the members.
        let mut z = vec![1.0; 8];
        c.apply(&mut z, &mut Vec::new());
        assert_eq!(z[0], 1.0);
        assert_eq!(z[3], 1.0); // first row of L is (1, 0, 0)
    }

    #[test]
    fn inconsistent_requests_get_the_nearest_consistent_values() {
        // a~b and b~c strongly positive but a~c strongly negative cannot hold together.
        let pairs = [
            Pair {
                a: 0,
                b: 1,
                rho: 0.9,
            },
            Pair {
                a: 1,
                b: 2,
                rho: 0.9,
            },
            Pair {
                a: 0,
                b: 2,
                rho: -0.9,
            },
        ];
        let err = Copula::new(&pairs).unwrap_err();
        assert_eq!(err.changes.len(), 3);
        // The suggestion is consistent.
        let suggested: Vec<Pair> = err
            .changes
            .iter()
            .map(|&(a, b, _, s)| Pair { a, b, rho: s })
            .collect();
        assert!(Copula::new(&suggested).is_ok(), "{suggested:?}");
        // A perfect correlation is singular: the suggestion backs off from 1.
        let err = Copula::new(&[Pair {
            a: 0,
            b: 1,
            rho: 1.0,
        }])
        .unwrap_err();
        assert!(err.changes[0].3 < 1.0);
    }
}
