//! Vectors of numbers for the scan of a batch of log-values ([`super::batch`]): one number (the
//! portable scan), AVX2's four or AVX-512's eight.
//!
//! The module's invariant: a vector type is used only in `batch.rs`'s functions compiled for
//! its feature, which run only on a CPU that has it. Its operations are safe functions (a
//! formula is written once for numbers and vectors) and rest on that.

use super::ln_columns::Lane;

/// A vector of [`Simd::WIDTH`] numbers, with what the scan of a batch needs besides a
/// formula's arithmetic.
pub(super) trait Simd: Lane {
    /// Numbers in a vector.
    const WIDTH: usize;

    /// The `WIDTH` numbers from `p`.
    ///
    /// # Safety
    /// `p` points at `WIDTH` numbers.
    unsafe fn load(p: *const f64) -> Self;

    /// Writes the `WIDTH` numbers to `p`.
    ///
    /// # Safety
    /// `p` points at room for `WIDTH` numbers.
    unsafe fn store(self, p: *mut f64);

    /// Lane by lane, `if self < lo { self } else { lo }` (a NaN in `self` leaves `lo`).
    fn min_of(self, lo: Self) -> Self;

    /// Lane by lane, `if self > hi { self } else { hi }`.
    fn max_of(self, hi: Self) -> Self;
}

impl Simd for f64 {
    const WIDTH: usize = 1;

    #[inline(always)]
    unsafe fn load(p: *const f64) -> Self {
        // SAFETY: the caller's.
        unsafe { *p }
    }

    #[inline(always)]
    unsafe fn store(self, p: *mut f64) {
        // SAFETY: the caller's.
        unsafe { *p = self }
    }

    #[inline(always)]
    fn min_of(self, lo: Self) -> Self {
        if self < lo { self } else { lo }
    }

    #[inline(always)]
    fn max_of(self, hi: Self) -> Self {
        if self > hi { self } else { hi }
    }
}

/// Implements [`Lane`] and [`Simd`] for a vector type of `$width` numbers from its intrinsics.
/// `vminpd` and `vmaxpd` give their second operand unless the first is less (greater): the
/// selects of [`Simd::min_of`] and [`Simd::max_of`] exactly, NaN and signed zeros included.
#[cfg(target_arch = "x86_64")]
macro_rules! vector {
    ($name:ident, $reg:ty, $width:literal, $feature:literal, $splat:ident, $loadu:ident,
     $storeu:ident, $add:ident, $sub:ident, $mul:ident, $min:ident, $max:ident) => {
        #[doc = concat!("Numbers in ", $feature, " lanes. Named only by the functions of `batch.rs`")]
        #[doc = concat!("compiled for ", $feature, ", which `LogHistogram::insert_ln_columns` calls on a")]
        #[doc = "CPU that has it: nothing else in the module may make one (`Lane::splat` is safe to"]
        #[doc = "call). Inlined into that code, each operation is one instruction."]
        #[derive(Clone, Copy)]
        pub(super) struct $name($reg);

        // SAFETY (every `unsafe` below): this type's functions run only on a CPU with the
        // feature, the module's invariant (see the type's documentation).
        impl std::ops::Add for $name {
            type Output = Self;
            #[inline(always)]
            fn add(self, other: Self) -> Self {
                Self(unsafe { std::arch::x86_64::$add(self.0, other.0) })
            }
        }

        impl std::ops::Sub for $name {
            type Output = Self;
            #[inline(always)]
            fn sub(self, other: Self) -> Self {
                Self(unsafe { std::arch::x86_64::$sub(self.0, other.0) })
            }
        }

        impl std::ops::Mul for $name {
            type Output = Self;
            #[inline(always)]
            fn mul(self, other: Self) -> Self {
                Self(unsafe { std::arch::x86_64::$mul(self.0, other.0) })
            }
        }

        impl Lane for $name {
            #[inline(always)]
            fn splat(x: f64) -> Self {
                Self(unsafe { std::arch::x86_64::$splat(x) })
            }
        }

        impl Simd for $name {
            const WIDTH: usize = $width;

            #[inline(always)]
            unsafe fn load(p: *const f64) -> Self {
                Self(unsafe { std::arch::x86_64::$loadu(p) })
            }

            #[inline(always)]
            unsafe fn store(self, p: *mut f64) {
                unsafe { std::arch::x86_64::$storeu(p, self.0) }
            }

            #[inline(always)]
            fn min_of(self, lo: Self) -> Self {
                Self(unsafe { std::arch::x86_64::$min(self.0, lo.0) })
            }

            #[inline(always)]
            fn max_of(self, hi: Self) -> Self {
                Self(unsafe { std::arch::x86_64::$max(self.0, hi.0) })
            }
        }
    };
}

#[cfg(target_arch = "x86_64")]
vector!(
    F64x4,
    std::arch::x86_64::__m256d,
    4,
    "AVX2",
    _mm256_set1_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_add_pd,
    _mm256_sub_pd,
    _mm256_mul_pd,
    _mm256_min_pd,
    _mm256_max_pd
);

#[cfg(target_arch = "x86_64")]
vector!(
    F64x8,
    std::arch::x86_64::__m512d,
    8,
    "AVX-512F",
    _mm512_set1_pd,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_add_pd,
    _mm512_sub_pd,
    _mm512_mul_pd,
    _mm512_min_pd,
    _mm512_max_pd
);
