//! Serde helpers that keep `f64` values exact, ±∞ and NaN included, in text formats such as
//! JSON (which has no infinity): a value is written as its IEEE-754 bit pattern.

use serde::{Deserialize, Deserializer, Serializer};

/// `#[serde(with = "crate::exact")]` on an `f64` field.
pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(v.to_bits())
}

/// The inverse of [`serialize`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    u64::deserialize(d).map(f64::from_bits)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T(#[serde(with = "super")] f64);

    #[test]
    fn infinities_and_tiny_values_survive_json() {
        for v in [
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
            -0.0,
            2_025.123_456_789_012_3,
        ] {
            let text = serde_json::to_string(&T(v)).unwrap();
            let back: T = serde_json::from_str(&text).unwrap();
            assert_eq!(back.0.to_bits(), v.to_bits());
        }
    }
}

/// `#[serde(with = "crate::exact::sparse")]` on a `Vec` of counts: written as its length and
/// the counts from its first non-zero entry to its last (a histogram's bins are mostly empty
/// towards its ends, where its window has room to grow).
pub mod sparse {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Trimmed<T> {
        len: usize,
        start: usize,
        counts: Vec<T>,
    }

    /// Writes the length and the counts between the first and last non-zero ones.
    pub fn serialize<S, T>(v: &[T], s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize + Copy + Default + PartialEq,
    {
        let zero = T::default();
        let start = v.iter().position(|c| *c != zero).unwrap_or(v.len());
        let end = v.iter().rposition(|c| *c != zero).map_or(start, |i| i + 1);
        let counts = v[start..end].to_vec();
        Trimmed {
            len: v.len(),
            start,
            counts,
        }
        .serialize(s)
    }

    /// Reads what [`serialize`] wrote; counts beyond the length are an error.
    pub fn deserialize<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Copy + Default,
    {
        let t = Trimmed::<T>::deserialize(d)?;
        let fits = (t.len as u64) <= 1 << 32
            && t.start
                .checked_add(t.counts.len())
                .is_some_and(|e| e <= t.len);
        if !fits {
            return Err(serde::de::Error::custom(
                "counts beyond the histogram's bins",
            ));
        }
        let mut v = vec![T::default(); t.len];
        v[t.start..t.start + t.counts.len()].copy_from_slice(&t.counts);
        Ok(v)
    }

    #[cfg(test)]
    mod tests {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T(#[serde(with = "super")] Vec<u64>);

        #[test]
        fn counts_round_trip_and_bad_lengths_are_refused() {
            for v in [vec![0, 0, 5, 0, u64::MAX, 0], vec![], vec![0, 0], vec![1]] {
                let text = serde_json::to_string(&T(v.clone())).unwrap();
                assert_eq!(serde_json::from_str::<T>(&text).unwrap(), T(v));
            }
            let bad = r#"{"len":2,"start":1,"counts":[1,2]}"#;
            assert!(serde_json::from_str::<T>(bad).is_err());
        }
    }
}
