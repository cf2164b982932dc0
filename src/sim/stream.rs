//! Random streams keyed by input name and sample index: the same draws whatever the thread, batch
//! or shard.

use rand::{Rng, TryRng};
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;
use std::convert::Infallible;
use std::sync::OnceLock;

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
    normal_score(Ziggurat::get(), key, index_key(i))
}

/// The per-sample half of a stream's state.
#[inline]
pub(super) fn index_key(i: u64) -> u64 {
    mix(i.wrapping_add(0x632b_e59b_d9b4_e019))
}

/// A standard normal draw from a stream key and a sample's index key: `rand_distr`'s
/// [`StandardNormal`] from a [`Pcg64Mcg`] seeded with the two keys' mix, to the bit, its
/// ziggurat's common case worked out here ([`Ziggurat`]). A sample's draws take the same steps
/// for all its inputs at once ([`first_bits`]).
#[inline(always)]
pub(super) fn normal_score(zig: &Ziggurat, key: u64, index_key: u64) -> f64 {
    let state = state(key, index_key);
    match zig.common_case(Pcg64Mcg::new(state).next_u64()) {
        Some(x) => x,
        None => normal_in_full(state),
    }
}

/// The first 64 bits of the generator of each stream for one sample: `out[n]` is
/// `Pcg64Mcg::new(state(keys[n], index_key)).next_u64()`, the bits [`normal_score`] starts
/// from, with `rotated[n]` = `keys[n].rotate_left(29)`. Worked out in 64-bit lanes (the 128-bit
/// product by hand), so that a sample's streams are computed side by side in vectors: compiled
/// for AVX-512 or AVX2 where the CPU has it, the same bits either way.
#[inline(never)]
pub(super) fn first_bits(keys: &[u64], rotated: &[u64], index_key: u64, out: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has AVX-512F and DQ (DQ implies F).
        return unsafe { first_bits_avx512(keys, rotated, index_key, out) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { first_bits_avx2(keys, rotated, index_key, out) };
    }
    first_bits_portable(keys, rotated, index_key, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn first_bits_avx512(keys: &[u64], rotated: &[u64], index_key: u64, out: &mut [u64]) {
    first_bits_portable(keys, rotated, index_key, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn first_bits_avx2(keys: &[u64], rotated: &[u64], index_key: u64, out: &mut [u64]) {
    first_bits_portable(keys, rotated, index_key, out);
}

#[inline(always)]
fn first_bits_portable(keys: &[u64], rotated: &[u64], index_key: u64, out: &mut [u64]) {
    let not_index_key = !index_key;
    for ((o, &key), &rot) in out.iter_mut().zip(keys).zip(rotated) {
        let (hi, lo) = (mix(key ^ index_key), mix(rot ^ not_index_key) | 1);
        *o = pcg_first_output(hi, lo);
    }
}

/// [`Pcg64Mcg`]'s multiplier, high and low halves.
const PCG_MUL_HI: u64 = 0x2360_ed05_1fc6_5da4;
const PCG_MUL_LO: u64 = 0x4385_df64_9fcc_f645;

/// The first output of a [`Pcg64Mcg`] whose (odd) state is `hi · 2⁶⁴ + lo`: one step of the
/// 128-bit multiplication (its low 128 bits from 64-bit products), then the XSL RR output.
#[inline(always)]
fn pcg_first_output(hi: u64, lo: u64) -> u64 {
    let new_lo = lo.wrapping_mul(PCG_MUL_LO);
    let new_hi = mul_hi(lo, PCG_MUL_LO)
        .wrapping_add(lo.wrapping_mul(PCG_MUL_HI))
        .wrapping_add(hi.wrapping_mul(PCG_MUL_LO));
    (new_hi ^ new_lo).rotate_right((new_hi >> 58) as u32)
}

/// The high 64 bits of the 128-bit product `a · b`, from four 32-bit products (which vectorise;
/// a `u128` product does not).
#[inline(always)]
fn mul_hi(a: u64, b: u64) -> u64 {
    const LOW: u64 = 0xffff_ffff;
    let (a1, a0, b1, b0) = (a >> 32, a & LOW, b >> 32, b & LOW);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 32) + (p01 & LOW) + (p10 & LOW);
    p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32)
}

/// The generator's state for a stream key and a sample's index key: a 128-bit state from two
/// independent mixes of (input, sample), cheaper than `seed_from_u64`, which expands a 64-bit
/// seed with another generator.
#[inline(always)]
pub(super) fn state(key: u64, index_key: u64) -> u128 {
    (u128::from(mix(key ^ index_key)) << 64) | u128::from(mix(key.rotate_left(29) ^ !index_key))
}

/// `rand_distr`'s draw from the generator of `state`, every case: the ziggurat's wedges and
/// tail, about one draw in fifty, kept out of the draw's loop.
#[cold]
#[inline(never)]
pub(super) fn normal_in_full(state: u128) -> f64 {
    StandardNormal.sample(&mut Pcg64Mcg::new(state))
}

/// The exponent bits of `[2, 4)`: a 52-bit mantissa under them is `2 + m · 2⁻⁵¹`.
const ONE_EXPONENT: u64 = 0x4000_0000_0000_0000;

/// The common case of `rand_distr`'s ziggurat for [`StandardNormal`], so that the draw's loop
/// does not carry the whole algorithm (its wedges and tail call `exp` and `ln`, and the
/// registers they need push the loop's own onto the stack: about 100 instructions a draw
/// against about 80 with it out of the way).
///
/// `rand_distr` takes the generator's first 64 bits: the low 8 pick a layer `i`, the top 52
/// make `u ∈ [−1, 1)`, and `x = u · xᵢ` is the draw when `|x| < xᵢ₊₁`. Its table is private,
/// so each `xᵢ` is read off `rand_distr` itself: a draw whose bits give layer `i` and
/// `u = 2⁻⁴⁰` returns `2⁻⁴⁰ · xᵢ`, exactly. Any layer whose reading or whose check at its
/// edges (where `|u · xᵢ|` meets `xᵢ₊₁`) does not come out so is left to `rand_distr` whole,
/// and so is every layer if a later `rand_distr` works otherwise: a draw taken here is always
/// the one `rand_distr` gives, and the rest are `rand_distr`'s own.
pub(super) struct Ziggurat {
    /// Per layer: `xᵢ` and `xᵢ₊₁`, or a limit of `−1` where no draw is taken here.
    layers: [(f64, f64); 256],
}

impl Ziggurat {
    /// The layers, read once a process.
    pub fn get() -> &'static Self {
        static LAYERS: OnceLock<Ziggurat> = OnceLock::new();
        LAYERS.get_or_init(Self::read)
    }

    /// The draw of a generator whose first 64 bits are `bits`, when it is the ziggurat's
    /// common case of a layer taken here: `u · xᵢ`, inside the next layer.
    #[inline(always)]
    pub(super) fn common_case(&self, bits: u64) -> Option<f64> {
        let (x, limit) = self.layers[(bits & 0xff) as usize];
        let x = x * (f64::from_bits((bits >> 12) | ONE_EXPONENT) - 3.0);
        (x.abs() < limit).then_some(x)
    }

    /// Reads every layer off `rand_distr` and checks it at its edges.
    fn read() -> Self {
        const U_BITS: u64 = (1 << 51) + (1 << 11); // u = 2⁻⁴⁰
        let xs: Vec<Option<f64>> = (0..256u64)
            .map(|i| first_bits_draw(i | (U_BITS << 12)).map(|x| x * 2f64.powi(40)))
            .collect();
        let mut zig = Self {
            layers: [(0.0, -1.0); 256],
        };
        for i in 0..255 {
            if let (Some(x), Some(next)) = (xs[i], xs[i + 1]) {
                zig.layers[i] = (x, next);
            }
        }
        if !(0..256).all(|i| zig.agrees_at_edges(i)) {
            zig.layers = [(0.0, -1.0); 256];
        }
        zig
    }

    /// True when, at the edge of layer `i`'s common case and on either side of zero, every
    /// draw taken here is `rand_distr`'s.
    fn agrees_at_edges(&self, i: usize) -> bool {
        let (x, limit) = self.layers[i];
        if limit < 0.0 {
            return true;
        }
        // |u| · x = limit at u = ±limit / x, where u = −1 + m · 2⁻⁵¹.
        let edge = limit / x;
        let near = |u: f64| ((u + 1.0) * 2f64.powi(51)) as i64;
        [near(edge), near(-edge)]
            .into_iter()
            .flat_map(|m| m - 2..=m + 2)
            .filter(|m| (0..1 << 52).contains(m))
            .all(|m| {
                let bits = i as u64 | ((m as u64) << 12);
                self.common_case(bits)
                    .is_none_or(|x| first_bits_draw(bits).map(f64::to_bits) == Some(x.to_bits()))
            })
    }
}

/// `rand_distr`'s [`StandardNormal`] draw from a source whose first 64 bits are `bits`, when
/// that draw takes no more bits.
fn first_bits_draw(bits: u64) -> Option<f64> {
    /// Gives `bits`, then a mixed count (any more bits end the draw soon), counting what it
    /// gave.
    struct Source {
        bits: u64,
        given: u64,
    }
    impl TryRng for Source {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            self.try_next_u64().map(|b| b as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            self.given += 1;
            Ok(if self.given == 1 {
                self.bits
            } else {
                mix(self.given)
            })
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
            for chunk in dst.chunks_mut(8) {
                let bits = self.try_next_u64()?.to_le_bytes();
                chunk.copy_from_slice(&bits[..chunk.len()]);
            }
            Ok(())
        }
    }
    let mut source = Source { bits, given: 0 };
    let x: f64 = StandardNormal.sample(&mut source);
    (source.given == 1).then_some(x)
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
#[inline(always)]
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

    /// The draw of a state in full, as `rand_distr` gives it.
    fn in_full(key: u64, index_key: u64) -> f64 {
        StandardNormal.sample(&mut Pcg64Mcg::new(state(key, index_key)))
    }

    /// Every layer but the last two is read off `rand_distr` (the last has no common case,
    /// and the one before it needs the last's `x`), and a million draws are `rand_distr`'s to
    /// the bit, about 98% of them taken here (the rest are the wedges, the tail and the last two
    /// layers).
    #[test]
    fn draws_are_rand_distrs_to_the_bit() {
        let zig = Ziggurat::get();
        let taken = zig.layers.iter().filter(|(_, limit)| *limit >= 0.0).count();
        assert!(taken >= 254, "{taken} layers taken here");
        let mut here = 0;
        for i in 0..1_000_000u64 {
            let (key, index_key) = (mix(i ^ 0xabcd), index_key(i));
            let z = normal_score(zig, key, index_key);
            assert_eq!(z.to_bits(), in_full(key, index_key).to_bits(), "draw {i}");
            let bits = Pcg64Mcg::new(state(key, index_key)).next_u64();
            here += usize::from(zig.common_case(bits).is_some());
        }
        assert!(
            (975_000..990_000).contains(&here),
            "{here} draws taken here"
        );
    }

    /// A way of working out [`first_bits`].
    type FirstBits = fn(&[u64], &[u64], u64, &mut [u64]);

    /// The first bits worked out in 64-bit lanes are the generator's, for keys of every kind,
    /// slices of every length (the vector loops' remainders), and whichever of AVX-512, AVX2 or
    /// neither the CPU runs.
    #[test]
    fn first_bits_are_the_generators() {
        let mut rng = Pcg64Mcg::new(99);
        for round in 0..20_000u64 {
            let n = (round % 37) as usize;
            let mut keys: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
            if round % 7 == 0 {
                keys.iter_mut().for_each(|k| *k >>= rng.next_u64() % 64);
            }
            let rotated: Vec<u64> = keys.iter().map(|k| k.rotate_left(29)).collect();
            let ik = if round % 5 == 0 {
                round
            } else {
                index_key(round)
            };
            let want: Vec<u64> = (keys.iter())
                .map(|k| Pcg64Mcg::new(state(*k, ik)).next_u64())
                .collect();
            let mut paths: Vec<(&str, FirstBits)> = vec![
                ("dispatched", first_bits),
                ("portable", first_bits_portable),
            ];
            #[cfg(target_arch = "x86_64")]
            {
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2.
                    paths.push(("avx2", |k, r, i, o| unsafe { first_bits_avx2(k, r, i, o) }));
                }
                if std::is_x86_feature_detected!("avx512dq") {
                    // SAFETY: the CPU has AVX-512F and DQ.
                    paths.push(("avx512", |k, r, i, o| unsafe {
                        first_bits_avx512(k, r, i, o)
                    }));
                }
            }
            for (name, path) in paths {
                let mut got = vec![0; n];
                path(&keys, &rotated, ik, &mut got);
                assert_eq!(got, want, "{name}: keys {keys:x?}, index key {ik:#x}");
            }
        }
        for (a, b) in [
            (0, 0),
            (u64::MAX, u64::MAX),
            (u64::MAX, 1),
            (1 << 32, u64::MAX),
        ] {
            assert_eq!(
                u128::from(mul_hi(a, b)),
                (u128::from(a) * u128::from(b)) >> 64
            );
        }
    }

    /// The check at the edges notices a layer whose `x` is one bit off, on either side, or
    /// whose limit takes in one more draw than `rand_distr` does: such a table would be left
    /// to `rand_distr` whole. (A limit a bit off that takes in no other draw is harmless.)
    #[test]
    fn a_layer_one_bit_off_fails_the_check() {
        let good = Ziggurat::get();
        let u = |m: i64| f64::from_bits(m as u64 | ONE_EXPONENT) - 3.0;
        for i in [0, 1, 17, 128, 200, 253] {
            assert!(good.agrees_at_edges(i), "layer {i}");
            let (x, limit) = good.layers[i];
            let mut bad = Ziggurat {
                layers: good.layers,
            };
            for dx in [1, -1] {
                bad.layers[i] = (f64::from_bits((x.to_bits() as i64 + dx) as u64), limit);
                assert!(!bad.agrees_at_edges(i), "layer {i}, x {dx:+} bit");
            }
            // The smallest |u · x| at or past the limit, on the positive side, let in.
            let m = ((limit / x + 1.0) * 2f64.powi(51)) as i64;
            let first_out = (m - 2..=m + 2)
                .map(|m| (u(m) * x).abs())
                .filter(|&y| y >= limit)
                .fold(f64::INFINITY, f64::min);
            bad.layers[i] = (x, first_out.next_up());
            assert!(
                !bad.agrees_at_edges(i),
                "layer {i}, limit let in {first_out}"
            );
        }
    }

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
