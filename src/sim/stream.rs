//! Random streams keyed by input name and sample index: the same draws whatever the thread, batch
//! or shard.

use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

/// The name an input's random stream is keyed on: its name, except that a first regime's rate
/// shares the stream of the same rate written directly in its table
/// (`hardware.regime[1].doubling_time_years` ~ `hardware.doubling_time_years`), so a scenario
/// that splits a rate into regimes keeps the draws of the one it was made from.
pub fn stream_name(name: &str) -> String {
    name.replacen(".regime[1].", ".", 1)
}

/// The key of the random stream named `name` under `seed`: the stream of a scenario input has
/// its input name ([`stream_name`]); the backtest keys its measurement errors the same way.
pub fn stream_key(seed: u64, name: &str) -> u64 {
    mix(seed ^ mix(fnv1a(stream_name(name).as_bytes())))
}

/// The standard normal score of sample `i` in the stream with key `key` (see [`stream_key`]):
/// the same number whatever the thread, batch or shard that asks for it.
pub fn normal_at(key: u64, i: u64) -> f64 {
    normal_score(key, index_key(i))
}

/// The per-sample half of a stream's state.
#[inline]
pub(super) fn index_key(i: u64) -> u64 {
    mix(i.wrapping_add(0x632b_e59b_d9b4_e019))
}

/// A standard normal draw from a stream key and a sample's index key. Inlined into the draw's
/// loop always: left to itself the compiler sometimes calls it, about 300 instructions a
/// bench-v1 sample more.
#[inline(always)]
pub(super) fn normal_score(key: u64, index_key: u64) -> f64 {
    // A 128-bit state from two independent mixes of (input, sample): cheaper than
    // `seed_from_u64`, which expands a 64-bit seed with another generator.
    let state = (u128::from(mix(key ^ index_key)) << 64)
        | u128::from(mix(key.rotate_left(29) ^ !index_key));
    StandardNormal.sample(&mut Pcg64Mcg::new(state))
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a: a stable hash of an input's name (stable across platforms and releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_regime_shares_the_stream_of_the_direct_rate() {
        assert_eq!(
            stream_name("hardware.regime[1].doubling_time_years"),
            "hardware.doubling_time_years"
        );
        assert_eq!(
            stream_name("hardware.regime[2].doubling_time_years"),
            "hardware.regime[2].doubling_time_years"
        );
        assert_eq!(stream_name("actor.\"A\".budget"), "actor.\"A\".budget");
    }
}
