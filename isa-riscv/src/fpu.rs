//! IEEE 754-2008 arithmetic with RISC-V F/D semantics, on raw bits.
//!
//! Every function is pure: operands arrive as raw bits (NaN-boxing is the
//! caller's business), the result comes back as raw bits together with the
//! RISC-V `fflags` bits the operation raises (`NX`, `UF`, `OF`, `DZ`, `NV`).
//!
//! RISC-V rules implemented here (ISA manual, F and D chapters):
//! * every NaN produced is the canonical NaN (`0x7fc00000` / `0x7ff8000000000000`);
//! * tininess is detected after rounding, and `UF` is raised only for
//!   tiny results that are also inexact;
//! * `fmin`/`fmax` follow the 2019 (IEEE 754-2019 minimumNumber/maximumNumber)
//!   definition: a single NaN operand is ignored, `-0.0 < +0.0`, `NV` only
//!   for signaling NaNs;
//! * `feq` is quiet, `flt`/`fle` signal on any NaN;
//! * float-to-integer conversions saturate and raise `NV` (and not `NX`)
//!   when the rounded value does not fit;
//! * `fma(inf, 0, qNaN)` raises `NV`.
//!
//! Three implementations live here:
//! * for RNE, the plain host operation plus an exact, MXCSR-free inexact test
//!   (TwoSum / FMA residual / exact f64 arithmetic for singles) whenever the
//!   operands and result are safely inside the normal range (~1-2 ns/op);
//! * for RNE outside that range and for RTZ/RDN/RUP, the host's SSE
//!   (and FMA3) instruction inside an `asm!` block that loads MXCSR with the
//!   wanted rounding mode and clear exception bits, and reads the exception
//!   bits back afterwards (x86 SSE also detects tininess after rounding);
//! * an exact software implementation on integers (`soft_*`), used for RMM
//!   (which SSE lacks), for FMA on hosts without FMA3, and as the reference
//!   the fast path is tested against.

// Host SSE access is x86-64 only; on other hosts everything but the RNE
// fast paths for singles and for double addition goes through software.

/// Inexact.
pub const NX: u8 = 1;
/// Underflow.
pub const UF: u8 = 2;
/// Overflow.
pub const OF: u8 = 4;
/// Division by zero.
pub const DZ: u8 = 8;
/// Invalid operation.
pub const NV: u8 = 16;

/// Round to nearest, ties to even.
pub const RNE: u8 = 0;
/// Round towards zero.
pub const RTZ: u8 = 1;
/// Round down (towards -inf).
pub const RDN: u8 = 2;
/// Round up (towards +inf).
pub const RUP: u8 = 3;
/// Round to nearest, ties to max magnitude.
pub const RMM: u8 = 4;

/// Canonical single-precision NaN.
pub const CANONICAL_NAN_S: u32 = 0x7fc0_0000;
/// Canonical double-precision NaN.
pub const CANONICAL_NAN_D: u64 = 0x7ff8_0000_0000_0000;

// ---------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------

/// A binary interchange format: `m` explicit significand bits, `e` exponent bits.
#[derive(Clone, Copy)]
struct Fmt {
    m: u32,
    e: u32,
}

const F32: Fmt = Fmt { m: 23, e: 8 };
const F64: Fmt = Fmt { m: 52, e: 11 };

impl Fmt {
    #[inline(always)]
    const fn bias(self) -> i32 {
        (1 << (self.e - 1)) - 1
    }
    /// Exponent of the smallest normal number.
    #[inline(always)]
    const fn emin(self) -> i32 {
        1 - self.bias()
    }
    #[inline(always)]
    const fn exp_ones(self) -> u64 {
        (1 << self.e) - 1
    }
    #[inline(always)]
    const fn sign(self) -> u64 {
        1 << (self.m + self.e)
    }
    #[inline(always)]
    const fn frac_mask(self) -> u64 {
        (1 << self.m) - 1
    }
    #[inline(always)]
    const fn inf(self) -> u64 {
        self.exp_ones() << self.m
    }
    #[inline(always)]
    const fn canon_nan(self) -> u64 {
        self.inf() | 1 << (self.m - 1)
    }
    #[inline(always)]
    const fn abs(self, x: u64) -> u64 {
        x & (self.sign() - 1)
    }
    #[inline(always)]
    const fn neg(self, x: u64) -> bool {
        x & self.sign() != 0
    }
    #[inline(always)]
    const fn is_nan(self, x: u64) -> bool {
        self.abs(x) > self.inf()
    }
    #[inline(always)]
    const fn is_snan(self, x: u64) -> bool {
        self.is_nan(x) && x & (1 << (self.m - 1)) == 0
    }
    #[inline(always)]
    const fn is_inf(self, x: u64) -> bool {
        self.abs(x) == self.inf()
    }
    #[inline(always)]
    const fn is_zero(self, x: u64) -> bool {
        self.abs(x) == 0
    }
    /// Finite nonzero `x` as `(sig, exp)` with `|x| = sig * 2^exp`.
    #[inline(always)]
    const fn unpack(self, x: u64) -> (u64, i32) {
        let be = ((x >> self.m) & self.exp_ones()) as i32;
        let frac = x & self.frac_mask();
        if be == 0 {
            (frac, self.emin() - self.m as i32)
        } else {
            (frac | 1 << self.m, be - self.bias() - self.m as i32)
        }
    }
    /// Largest finite magnitude (bits, positive).
    #[inline(always)]
    const fn max_finite(self) -> u64 {
        self.inf() - 1
    }
}

// ---------------------------------------------------------------------------
// Exact rounding core
// ---------------------------------------------------------------------------

/// Rounds the exact value `(sig + s) * 2^exp` (with `0 < s < 1` iff `sticky`)
/// to an integer multiple of `2^q`, with magnitude rounding according to `rm`
/// and the sign `neg`. Returns the multiple count and whether it was inexact.
/// `sig` must be nonzero; if `sticky`, `q > exp` is required.
#[inline]
fn round_at(sig: u128, exp: i32, sticky: bool, q: i32, neg: bool, rm: u8) -> (u128, bool) {
    let sh = q - exp;
    if sh <= 0 {
        debug_assert!(!sticky || sh == 0);
        // Exact (when sticky and sh == 0 the remainder is below half an ulp).
        let kept = sig << (-sh) as u32;
        let inc = sticky && ((rm == RDN && neg) || (rm == RUP && !neg));
        return (kept + inc as u128, sticky);
    }
    let sh = sh as u32;
    let (kept, rbit, st) = if sh > 128 {
        (0u128, false, true)
    } else {
        let kept = if sh == 128 { 0 } else { sig >> sh };
        let rbit = (sig >> (sh - 1)) & 1 != 0;
        let low = sig & ((1u128 << (sh - 1)) - 1);
        (kept, rbit, sticky || low != 0)
    };
    let inexact = rbit || st;
    let inc = match rm {
        RNE => rbit && (st || kept & 1 != 0),
        RTZ => false,
        RDN => inexact && neg,
        RUP => inexact && !neg,
        _ => rbit,
    };
    (kept + inc as u128, inexact)
}

/// Result of an overflow with sign `neg` in rounding mode `rm`: infinity or
/// the largest finite number, as IEEE 754 7.4 prescribes.
#[inline]
fn overflow_result(f: Fmt, neg: bool, rm: u8) -> u64 {
    let sbit = if neg { f.sign() } else { 0 };
    let to_max = match rm {
        RTZ => true,
        RDN => !neg,
        RUP => neg,
        _ => false,
    };
    sbit | if to_max { f.max_finite() } else { f.inf() }
}

/// Rounds the exact value `(-1)^neg * (sig + s) * 2^exp` (`0 < s < 1` iff
/// `sticky`) to format `f`. When `sticky` is set, `sig` must carry at least
/// `f.m + 3` significant bits so the sticky part lies below the round bit.
fn round_pack(f: Fmt, neg: bool, sig: u128, exp: i32, sticky: bool, rm: u8) -> (u64, u8) {
    let sbit = if neg { f.sign() } else { 0 };
    if sig == 0 {
        debug_assert!(!sticky);
        return (sbit, 0);
    }
    let m = f.m as i32;
    let emin = f.emin();
    let lead = exp + 127 - sig.leading_zeros() as i32;
    debug_assert!(!sticky || 127 - sig.leading_zeros() as i32 >= m + 2);
    let q0 = if lead >= emin { lead - m } else { emin - m };
    let (mut keep, inexact) = round_at(sig, exp, sticky, q0, neg, rm);
    let mut q = q0;
    if keep >> (m + 1) != 0 {
        keep >>= 1;
        q += 1;
    }
    let mut flags = if inexact { NX } else { 0 };
    if inexact && lead < emin {
        // Tininess after rounding: round to `m + 1` bits as if the exponent
        // range were unbounded, and see whether that reaches 2^emin.
        let tiny = lead < emin - 1 || {
            let (k2, _) = round_at(sig, exp, sticky, lead - m, neg, rm);
            k2 >> (m + 1) == 0
        };
        if tiny {
            flags |= UF;
        }
    }
    if keep >> m != 0 {
        let be = q + m + f.bias();
        if be >= f.exp_ones() as i32 {
            return (overflow_result(f, neg, rm), OF | NX);
        }
        (sbit | (be as u64) << f.m | (keep as u64 & f.frac_mask()), flags)
    } else {
        (sbit | keep as u64, flags)
    }
}

// ---------------------------------------------------------------------------
// Exact software operations (any rounding mode)
// ---------------------------------------------------------------------------

#[inline]
fn nan_flags(f: Fmt, a: u64, b: u64) -> u8 {
    if f.is_snan(a) || f.is_snan(b) {
        NV
    } else {
        0
    }
}

#[allow(clippy::too_many_arguments)]
/// Exact sum of two nonzero finite values `(-1)^sa*A*2^ea + (-1)^sb*B*2^eb`
/// (each significand at most 125 bits), rounded once.
fn add_core(f: Fmt, sa: bool, a: u128, ea: i32, sb: bool, b: u128, eb: i32, rm: u8) -> (u64, u8) {
    // Normalise both to the most significant bit at position 125.
    let la = a.leading_zeros() - 2;
    let lb = b.leading_zeros() - 2;
    let (mut sa, mut a, mut ea) = (sa, a << la, ea - la as i32);
    let (mut sb, mut b, mut eb) = (sb, b << lb, eb - lb as i32);
    if ea < eb {
        core::mem::swap(&mut sa, &mut sb);
        core::mem::swap(&mut a, &mut b);
        core::mem::swap(&mut ea, &mut eb);
    }
    let d = (ea - eb) as u32;
    let (bs, st) = if d >= 128 {
        (0u128, true)
    } else if d == 0 {
        (b, false)
    } else {
        (b >> d, b & ((1u128 << d) - 1) != 0)
    };
    if sa == sb {
        return round_pack(f, sa, a + bs, ea, st, rm);
    }
    if st {
        // a - (bs + s) = (a - bs - 1) + (1 - s), 0 < 1 - s < 1.
        return round_pack(f, sa, a - bs - 1, ea, true, rm);
    }
    let (neg, s) = if a >= bs { (sa, a - bs) } else { (sb, bs - a) };
    if s == 0 {
        return (if rm == RDN { f.sign() } else { 0 }, 0);
    }
    round_pack(f, neg, s, ea, false, rm)
}

fn soft_add(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    if f.is_nan(a) || f.is_nan(b) {
        return (f.canon_nan(), nan_flags(f, a, b));
    }
    let (sa, sb) = (f.neg(a), f.neg(b));
    if f.is_inf(a) {
        if f.is_inf(b) && sa != sb {
            return (f.canon_nan(), NV);
        }
        return (a, 0);
    }
    if f.is_inf(b) {
        return (b, 0);
    }
    if f.is_zero(a) {
        if f.is_zero(b) {
            if sa == sb {
                return (a, 0);
            }
            return (if rm == RDN { f.sign() } else { 0 }, 0);
        }
        return (b, 0);
    }
    if f.is_zero(b) {
        return (a, 0);
    }
    let (ma, ea) = f.unpack(a);
    let (mb, eb) = f.unpack(b);
    add_core(f, sa, ma as u128, ea, sb, mb as u128, eb, rm)
}

fn soft_mul(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    if f.is_nan(a) || f.is_nan(b) {
        return (f.canon_nan(), nan_flags(f, a, b));
    }
    let neg = f.neg(a) != f.neg(b);
    let sbit = if neg { f.sign() } else { 0 };
    if f.is_inf(a) || f.is_inf(b) {
        if f.is_zero(a) || f.is_zero(b) {
            return (f.canon_nan(), NV);
        }
        return (sbit | f.inf(), 0);
    }
    if f.is_zero(a) || f.is_zero(b) {
        return (sbit, 0);
    }
    let (ma, ea) = f.unpack(a);
    let (mb, eb) = f.unpack(b);
    round_pack(f, neg, ma as u128 * mb as u128, ea + eb, false, rm)
}

fn soft_div(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    if f.is_nan(a) || f.is_nan(b) {
        return (f.canon_nan(), nan_flags(f, a, b));
    }
    let neg = f.neg(a) != f.neg(b);
    let sbit = if neg { f.sign() } else { 0 };
    if f.is_inf(a) {
        if f.is_inf(b) {
            return (f.canon_nan(), NV);
        }
        return (sbit | f.inf(), 0);
    }
    if f.is_inf(b) {
        return (sbit, 0);
    }
    if f.is_zero(b) {
        if f.is_zero(a) {
            return (f.canon_nan(), NV);
        }
        return (sbit | f.inf(), DZ);
    }
    if f.is_zero(a) {
        return (sbit, 0);
    }
    let (ma, ea) = f.unpack(a);
    let (mb, eb) = f.unpack(b);
    let (la, lb) = (ma.leading_zeros(), mb.leading_zeros());
    let na = ((ma << la) as u128) << 64;
    let nb = (mb << lb) as u128;
    let q = na / nb;
    let r = na % nb;
    let exp = (ea - la as i32) - (eb - lb as i32) - 64;
    round_pack(f, neg, q, exp, r != 0, rm)
}

/// Integer square root (floor) of a u128.
fn isqrt(s: u128) -> u128 {
    if s == 0 {
        return 0;
    }
    let mut r = (s as f64).sqrt() as u128;
    if r == 0 {
        r = 1;
    }
    // Newton steps from a 53-bit-accurate estimate, then exact fix-up.
    for _ in 0..3 {
        r = (r + s / r) >> 1;
    }
    while r * r > s {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= s {
        r += 1;
    }
    r
}

fn soft_sqrt(f: Fmt, a: u64, rm: u8) -> (u64, u8) {
    if f.is_nan(a) {
        return (f.canon_nan(), nan_flags(f, a, a));
    }
    if f.is_zero(a) {
        return (a, 0);
    }
    if f.neg(a) {
        return (f.canon_nan(), NV);
    }
    if f.is_inf(a) {
        return (a, 0);
    }
    let (m, e) = f.unpack(a);
    let s = m as u128;
    // Most significant bit at 124 (or 125 to make the exponent even).
    let mut l = s.leading_zeros() - 3;
    if (e - l as i32) & 1 != 0 {
        l -= 1;
    }
    let s = s << l;
    let e = e - l as i32;
    let r = isqrt(s);
    round_pack(f, false, r, e / 2, r * r != s, rm)
}

fn soft_fma(f: Fmt, a: u64, b: u64, c: u64, rm: u8) -> (u64, u8) {
    let inf_times_zero =
        (f.is_inf(a) && f.is_zero(b)) || (f.is_zero(a) && f.is_inf(b));
    if f.is_nan(a) || f.is_nan(b) || f.is_nan(c) {
        let nv = f.is_snan(a) || f.is_snan(b) || f.is_snan(c) || inf_times_zero;
        return (f.canon_nan(), if nv { NV } else { 0 });
    }
    if inf_times_zero {
        return (f.canon_nan(), NV);
    }
    let ps = f.neg(a) != f.neg(b);
    let sc = f.neg(c);
    if f.is_inf(a) || f.is_inf(b) {
        if f.is_inf(c) && sc != ps {
            return (f.canon_nan(), NV);
        }
        return (if ps { f.sign() } else { 0 } | f.inf(), 0);
    }
    if f.is_inf(c) {
        return (c, 0);
    }
    if f.is_zero(a) || f.is_zero(b) {
        if f.is_zero(c) {
            if ps == sc {
                return (c, 0);
            }
            return (if rm == RDN { f.sign() } else { 0 }, 0);
        }
        return (c, 0);
    }
    let (ma, ea) = f.unpack(a);
    let (mb, eb) = f.unpack(b);
    let p = ma as u128 * mb as u128;
    if f.is_zero(c) {
        return round_pack(f, ps, p, ea + eb, false, rm);
    }
    let (mc, ec) = f.unpack(c);
    add_core(f, ps, p, ea + eb, sc, mc as u128, ec, rm)
}

/// Converts between formats (`from` is wider or narrower than `to`).
fn soft_cvt(from: Fmt, to: Fmt, a: u64, rm: u8) -> (u64, u8) {
    let sbit = if from.neg(a) { to.sign() } else { 0 };
    if from.is_nan(a) {
        return (to.canon_nan(), nan_flags(from, a, a));
    }
    if from.is_inf(a) {
        return (sbit | to.inf(), 0);
    }
    if from.is_zero(a) {
        return (sbit, 0);
    }
    let (m, e) = from.unpack(a);
    round_pack(to, from.neg(a), m as u128, e, false, rm)
}

/// Float to integer of `bits` width (32 or 64), signed or not. Returns the
/// x-register value (32-bit results sign-extended).
fn soft_f2i(f: Fmt, a: u64, rm: u8, signed: bool, bits: u32) -> (u64, u8) {
    let (min, max): (i128, i128) = if signed {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    };
    let out = |v: i128| -> u64 {
        if bits == 32 {
            v as u32 as i32 as i64 as u64
        } else {
            v as u64
        }
    };
    // Fast path for C casts (RTZ) of values with |x| < 2^31: truncation on
    // the host is exact and cannot overflow.
    if rm == RTZ && ((a >> f.m) & f.exp_ones()) < (f.bias() + 31) as u64 && (signed || !f.neg(a)) {
        let x = if f.m == F64.m { f64::from_bits(a) } else { f32::from_bits(a as u32) as f64 };
        let v = x as i64;
        return (v as u64, (v as f64 != x) as u8);
    }
    if f.is_nan(a) {
        return (out(max), NV);
    }
    let neg = f.neg(a);
    if f.is_inf(a) {
        return (out(if neg { min } else { max }), NV);
    }
    if f.is_zero(a) {
        return (0, 0);
    }
    let (m, e) = f.unpack(a);
    let (mag, inexact) = if e >= 0 {
        if e > 64 {
            return (out(if neg { min } else { max }), NV);
        }
        ((m as u128) << e, false)
    } else {
        round_at(m as u128, e, false, 0, neg, rm)
    };
    let v = if neg { -(mag as i128) } else { mag as i128 };
    if v < min {
        return (out(min), NV);
    }
    if v > max {
        return (out(max), NV);
    }
    (out(v), if inexact { NX } else { 0 })
}

/// Integer `(-1)^neg * mag` to format `f`.
#[inline]
fn soft_i2f(f: Fmt, neg: bool, mag: u64, rm: u8) -> (u64, u8) {
    if mag == 0 {
        return (0, 0);
    }
    round_pack(f, neg, mag as u128, 0, false, rm)
}

// ---------------------------------------------------------------------------
// Host fast path (x86-64 SSE with MXCSR)
// ---------------------------------------------------------------------------

#[cfg(target_arch = "x86_64")]
mod host {
    pub(super) use remu_core::hostfp::{cvt_sd2ss as cvt_sd2ss_rc, has_fma, Round};
    use remu_core::hostfp as h;

    /// The host rounding direction for a RISC-V rounding mode 0..=3 (RNE, RTZ, RDN, RUP).
    #[inline(always)]
    fn round(rm: u8) -> Round {
        [Round::Nearest, Round::TowardZero, Round::Down, Round::Up][rm as usize & 3]
    }

    /// x86 exception bits (IE 0, DE 1, ZE 2, OE 3, UE 4, PE 5) to fflags;
    /// DE (denormal operand) has no RISC-V counterpart and is dropped.
    #[inline(always)]
    pub fn flags(st: u32) -> u8 {
        let st = st as u8;
        ((st & 1) << 4) | ((st & 4) << 1) | ((st & 8) >> 1) | ((st & 16) >> 3) | ((st & 32) >> 5)
    }

    macro_rules! by_rm {
        ($($name:ident($($a:ident: $t:ty),*) -> $r:ty;)*) => {$(
            #[inline(always)]
            pub(super) fn $name($($a: $t,)* rm: u8) -> ($r, u32) {
                h::$name($($a,)* round(rm))
            }
        )*};
    }

    by_rm! {
        add_sd(a: f64, b: f64) -> f64;
        sub_sd(a: f64, b: f64) -> f64;
        mul_sd(a: f64, b: f64) -> f64;
        div_sd(a: f64, b: f64) -> f64;
        sqrt_sd(a: f64, b: f64) -> f64;
        add_ss(a: f32, b: f32) -> f32;
        sub_ss(a: f32, b: f32) -> f32;
        mul_ss(a: f32, b: f32) -> f32;
        div_ss(a: f32, b: f32) -> f32;
        sqrt_ss(a: f32, b: f32) -> f32;
        fma_sd(a: f64, b: f64, c: f64) -> f64;
        fma_ss(a: f32, b: f32, c: f32) -> f32;
    }

    #[inline(always)]
    pub(super) fn cvt_sd2ss(a: f64, rm: u8) -> (f32, u32) {
        cvt_sd2ss_rc(a, round(rm))
    }

    pub(super) use h::fms_sd;
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// RNE fast paths without touching MXCSR
//
// For round-to-nearest-even (the environment Rust code runs in) the result of
// the plain host operation is already correct; what remains is the flags. In
// the common case (finite operands, result safely inside the normal range)
// only NX can be raised, and NX is decided exactly with an error-free
// transformation: TwoSum for addition, an FMA residual for multiplication,
// division and square root (exactly representable under the range conditions
// checked below), or exact f64 arithmetic for single precision (whose
// products are exact in f64, and for which double rounding through f64 is
// innocuous for +, *, / and sqrt since 53 >= 2*24 + 2). Anything else returns
// `None` and takes the MXCSR path.
// ---------------------------------------------------------------------------

/// Biased exponent field of a double.
#[inline(always)]
fn exp_d(x: u64) -> u64 {
    (x >> 52) & 0x7ff
}

/// Biased exponent field of a single.
#[inline(always)]
fn exp_s(x: u32) -> u32 {
    (x >> 23) & 0xff
}

#[inline(always)]
fn fast_add_d(a: u64, b: u64) -> Option<(u64, u8)> {
    // |a|, |b| < 2^1023: no NaN/inf, and neither the sum nor TwoSum's
    // intermediates can overflow. Sums in the subnormal range are exact,
    // so UF cannot occur.
    if exp_d(a) > 2045 || exp_d(b) > 2045 {
        return None;
    }
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    let s = x + y;
    let bv = s - x;
    let err = (x - (s - bv)) + (y - bv);
    Some((s.to_bits(), (err != 0.0) as u8))
}

#[inline(always)]
fn fast_mul_d(a: u64, b: u64) -> Option<(u64, u8)> {
    #[cfg(target_arch = "x86_64")]
    {
        if !host::has_fma() {
            return None;
        }
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let p = x * y;
        // |p| >= 2^-916 = 2^(emin + 2p): the residual x*y - p is exact;
        // p finite: no overflow (and no NaN/inf/zero operand).
        let e = exp_d(p.to_bits());
        if !(107..=2046).contains(&e) {
            return None;
        }
        let r = host::fms_sd(x, y, p);
        Some((p.to_bits(), (r != 0.0) as u8))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (a, b);
        None
    }
}

#[inline(always)]
fn fast_div_d(a: u64, b: u64) -> Option<(u64, u8)> {
    #[cfg(target_arch = "x86_64")]
    {
        if !host::has_fma() {
            return None;
        }
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let q = x / y;
        // |x| >= 2^-968 finite and q normal (not the smallest binade, so
        // not tiny) and finite: the remainder x - q*y is exact.
        let e = exp_d(q.to_bits());
        if !(55..=2046).contains(&exp_d(a)) || !(2..=2046).contains(&e) {
            return None;
        }
        let r = host::fms_sd(q, y, x);
        Some((q.to_bits(), (r != 0.0) as u8))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (a, b);
        None
    }
}

#[inline(always)]
fn fast_sqrt_d(a: u64) -> Option<(u64, u8)> {
    #[cfg(target_arch = "x86_64")]
    {
        // Positive, finite, >= 2^-968: the residual r*r - a is exact.
        if !host::has_fma() || a >> 63 != 0 || !(55..=2046).contains(&exp_d(a)) {
            return None;
        }
        let x = f64::from_bits(a);
        let r = x.sqrt();
        let res = host::fms_sd(r, r, x);
        Some((r.to_bits(), (res != 0.0) as u8))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = a;
        None
    }
}

#[inline(always)]
fn fast_add_s(a: u32, b: u32) -> Option<(u32, u8)> {
    let (x, y) = (f32::from_bits(a) as f64, f32::from_bits(b) as f64);
    let s = x + y;
    let r = s as f32;
    // Result finite (this also rejects NaN/inf operands); sums in the
    // subnormal range are exact, so UF cannot occur.
    if exp_s(r.to_bits()) == 0xff {
        return None;
    }
    let bv = s - x;
    let err = (x - (s - bv)) + (y - bv);
    Some((r.to_bits(), (err != 0.0 || r as f64 != s) as u8))
}

#[inline(always)]
fn fast_mul_s(a: u32, b: u32) -> Option<(u32, u8)> {
    let p = f32::from_bits(a) as f64 * f32::from_bits(b) as f64; // exact
    let r = p as f32;
    if !(2..=254).contains(&exp_s(r.to_bits())) {
        return None;
    }
    Some((r.to_bits(), (r as f64 != p) as u8))
}

#[inline(always)]
fn fast_div_s(a: u32, b: u32) -> Option<(u32, u8)> {
    let (x, y) = (f32::from_bits(a) as f64, f32::from_bits(b) as f64);
    let r = (x / y) as f32;
    if !(2..=254).contains(&exp_s(r.to_bits())) {
        return None;
    }
    // r*y is exact in f64.
    Some((r.to_bits(), (r as f64 * y != x) as u8))
}

#[inline(always)]
fn fast_sqrt_s(a: u32) -> Option<(u32, u8)> {
    let x = f32::from_bits(a) as f64;
    let r = x.sqrt() as f32;
    if !(1..=254).contains(&exp_s(r.to_bits())) {
        return None;
    }
    let r64 = r as f64;
    Some((r.to_bits(), (r64 * r64 != x) as u8))
}

#[inline(always)]
fn fast_sub_d(a: u64, b: u64) -> Option<(u64, u8)> {
    fast_add_d(a, b ^ 1 << 63)
}

#[inline(always)]
fn fast_sub_s(a: u32, b: u32) -> Option<(u32, u8)> {
    fast_add_s(a, b ^ 1 << 31)
}

macro_rules! arith {
    ($name:ident, $slow:ident, $t:ident, $ft:ident, $fmt:expr, $host:ident, $fast:ident, $soft:expr) => {
        #[doc = concat!("`", stringify!($name), "` with rounding mode `rm`; returns (result bits, fflags).")]
        #[inline]
        pub fn $name(a: $t, b: $t, rm: u8) -> ($t, u8) {
            if rm == RNE {
                if let Some(r) = $fast(a, b) {
                    return r;
                }
            }
            $slow(a, b, rm)
        }

        /// The same without the RNE fast path: host with MXCSR, or software.
        #[inline(never)]
        fn $slow(a: $t, b: $t, rm: u8) -> ($t, u8) {
            #[cfg(target_arch = "x86_64")]
            if rm != RMM {
                let (r, st) = host::$host($ft::from_bits(a), $ft::from_bits(b), rm);
                let r = r.to_bits();
                let fl = host::flags(st);
                return if $fmt.is_nan(r as u64) { ($fmt.canon_nan() as $t, fl) } else { (r, fl) };
            }
            let (r, fl) = $soft($fmt, a as u64, b as u64, rm);
            (r as $t, fl)
        }
    };
}

fn soft_sub(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    soft_add(f, a, b ^ f.sign(), rm)
}

arith!(add_s, add_s_slow, u32, f32, F32, add_ss, fast_add_s, soft_add);
arith!(sub_s, sub_s_slow, u32, f32, F32, sub_ss, fast_sub_s, soft_sub);
arith!(mul_s, mul_s_slow, u32, f32, F32, mul_ss, fast_mul_s, soft_mul);
arith!(div_s, div_s_slow, u32, f32, F32, div_ss, fast_div_s, soft_div);
arith!(add_d, add_d_slow, u64, f64, F64, add_sd, fast_add_d, soft_add);
arith!(sub_d, sub_d_slow, u64, f64, F64, sub_sd, fast_sub_d, soft_sub);
arith!(mul_d, mul_d_slow, u64, f64, F64, mul_sd, fast_mul_d, soft_mul);
arith!(div_d, div_d_slow, u64, f64, F64, div_sd, fast_div_d, soft_div);

/// `fsqrt.s`; returns (result bits, fflags).
#[inline]
pub fn sqrt_s(a: u32, rm: u8) -> (u32, u8) {
    if rm == RNE {
        if let Some(r) = fast_sqrt_s(a) {
            return r;
        }
    }
    sqrt_s_slow(a, rm)
}

/// `fsqrt.s` without the RNE fast path.
#[inline(never)]
fn sqrt_s_slow(a: u32, rm: u8) -> (u32, u8) {
    #[cfg(target_arch = "x86_64")]
    if rm != RMM {
        let x = f32::from_bits(a);
        let (r, st) = host::sqrt_ss(x, x, rm);
        let r = r.to_bits();
        let fl = host::flags(st);
        if F32.is_nan(r as u64) {
            return (CANONICAL_NAN_S, fl);
        }
        return (r, fl);
    }
    let (r, fl) = soft_sqrt(F32, a as u64, rm);
    (r as u32, fl)
}

/// `fsqrt.d`; returns (result bits, fflags).
#[inline]
pub fn sqrt_d(a: u64, rm: u8) -> (u64, u8) {
    if rm == RNE {
        if let Some(r) = fast_sqrt_d(a) {
            return r;
        }
    }
    sqrt_d_slow(a, rm)
}

/// `fsqrt.d` without the RNE fast path.
#[inline(never)]
fn sqrt_d_slow(a: u64, rm: u8) -> (u64, u8) {
    #[cfg(target_arch = "x86_64")]
    if rm != RMM {
        let x = f64::from_bits(a);
        let (r, st) = host::sqrt_sd(x, x, rm);
        let r = r.to_bits();
        let fl = host::flags(st);
        if F64.is_nan(r) {
            return (CANONICAL_NAN_D, fl);
        }
        return (r, fl);
    }
    let (r, fl) = soft_sqrt(F64, a, rm);
    (r, fl)
}

/// Flags for an FMA whose result is NaN (RISC-V: 0*inf raises NV even when
/// the addend is a quiet NaN).
#[cold]
fn fma_nan_flags(f: Fmt, a: u64, b: u64, c: u64) -> u8 {
    soft_fma(f, a, b, c, RNE).1
}

macro_rules! fma {
    ($name:ident, $t:ident, $ft:ident, $fmt:expr, $host:ident) => {
        #[doc = concat!("`", stringify!($name), "`: a*b + c with a single rounding; returns (result bits, fflags).")]
        #[inline]
        pub fn $name(a: $t, b: $t, c: $t, rm: u8) -> ($t, u8) {
            #[cfg(target_arch = "x86_64")]
            if rm != RMM && host::has_fma() {
                let (r, st) = host::$host($ft::from_bits(a), $ft::from_bits(b), $ft::from_bits(c), rm);
                let r = r.to_bits();
                if $fmt.is_nan(r as u64) {
                    return ($fmt.canon_nan() as $t, fma_nan_flags($fmt, a as u64, b as u64, c as u64));
                }
                return (r, host::flags(st));
            }
            let (r, fl) = soft_fma($fmt, a as u64, b as u64, c as u64, rm);
            (r as $t, fl)
        }
    };
}

fma!(fma_s, u32, f32, F32, fma_ss);
fma!(fma_d, u64, f64, F64, fma_sd);

macro_rules! minmax {
    ($name:ident, $t:ident, $ft:ident, $fmt:expr, $lt:tt, $merge:tt) => {
        #[doc = concat!("`", stringify!($name), "` (RISC-V 2019 semantics); returns (result bits, fflags).")]
        #[inline]
        pub fn $name(a: $t, b: $t) -> ($t, u8) {
            let (an, bn) = ($fmt.is_nan(a as u64), $fmt.is_nan(b as u64));
            if an || bn {
                let fl = nan_flags($fmt, a as u64, b as u64);
                let r = if an && bn {
                    $fmt.canon_nan() as $t
                } else if an {
                    b
                } else {
                    a
                };
                return (r, fl);
            }
            let (x, y) = ($ft::from_bits(a), $ft::from_bits(b));
            let r = if x $lt y {
                a
            } else if y $lt x {
                b
            } else {
                // Equal: identical bits, or zeros of different signs.
                a $merge b
            };
            (r, 0)
        }
    };
}

minmax!(min_s, u32, f32, F32, <, |);
minmax!(max_s, u32, f32, F32, >, &);
minmax!(min_d, u64, f64, F64, <, |);
minmax!(max_d, u64, f64, F64, >, &);

macro_rules! compare {
    ($eq:ident, $lt:ident, $le:ident, $t:ident, $ft:ident, $fmt:expr) => {
        /// `feq` (quiet: NV only for signaling NaN operands).
        #[inline]
        pub fn $eq(a: $t, b: $t) -> (bool, u8) {
            if $fmt.is_nan(a as u64) || $fmt.is_nan(b as u64) {
                return (false, nan_flags($fmt, a as u64, b as u64));
            }
            ($ft::from_bits(a) == $ft::from_bits(b), 0)
        }
        /// `flt` (signaling: NV for any NaN operand).
        #[inline]
        pub fn $lt(a: $t, b: $t) -> (bool, u8) {
            if $fmt.is_nan(a as u64) || $fmt.is_nan(b as u64) {
                return (false, NV);
            }
            ($ft::from_bits(a) < $ft::from_bits(b), 0)
        }
        /// `fle` (signaling: NV for any NaN operand).
        #[inline]
        pub fn $le(a: $t, b: $t) -> (bool, u8) {
            if $fmt.is_nan(a as u64) || $fmt.is_nan(b as u64) {
                return (false, NV);
            }
            ($ft::from_bits(a) <= $ft::from_bits(b), 0)
        }
    };
}

compare!(eq_s, lt_s, le_s, u32, f32, F32);
compare!(eq_d, lt_d, le_d, u64, f64, F64);

fn classify(f: Fmt, a: u64) -> u64 {
    let neg = f.neg(a);
    let be = (a >> f.m) & f.exp_ones();
    let frac = a & f.frac_mask();
    let bit = if be == f.exp_ones() {
        if frac == 0 {
            if neg {
                0
            } else {
                7
            }
        } else if f.is_snan(a) {
            8
        } else {
            9
        }
    } else if be == 0 {
        match (frac == 0, neg) {
            (true, true) => 3,
            (true, false) => 4,
            (false, true) => 2,
            (false, false) => 5,
        }
    } else if neg {
        1
    } else {
        6
    };
    1 << bit
}

/// `fclass.s`: the 10-bit class mask.
#[inline]
pub fn class_s(a: u32) -> u64 {
    classify(F32, a as u64)
}

/// `fclass.d`: the 10-bit class mask.
#[inline]
pub fn class_d(a: u64) -> u64 {
    classify(F64, a)
}

/// `fcvt.s.d`.
#[inline]
pub fn cvt_s_d(a: u64, rm: u8) -> (u32, u8) {
    #[cfg(target_arch = "x86_64")]
    if rm != RMM {
        let (r, st) = host::cvt_sd2ss(f64::from_bits(a), rm);
        let r = r.to_bits();
        let fl = host::flags(st);
        if F32.is_nan(r as u64) {
            return (CANONICAL_NAN_S, fl);
        }
        return (r, fl);
    }
    let (r, fl) = soft_cvt(F64, F32, a, rm);
    (r as u32, fl)
}

/// `fcvt.d.s` (always exact).
#[inline]
pub fn cvt_d_s(a: u32) -> (u64, u8) {
    if F32.is_nan(a as u64) {
        return (CANONICAL_NAN_D, nan_flags(F32, a as u64, a as u64));
    }
    ((f32::from_bits(a) as f64).to_bits(), 0)
}

/// `fcvt.w.s`: x-register value (sign-extended).
#[inline]
pub fn cvt_w_s(a: u32, rm: u8) -> (u64, u8) {
    soft_f2i(F32, a as u64, rm, true, 32)
}
/// `fcvt.wu.s`: x-register value (the 32-bit result sign-extended).
#[inline]
pub fn cvt_wu_s(a: u32, rm: u8) -> (u64, u8) {
    soft_f2i(F32, a as u64, rm, false, 32)
}
/// `fcvt.l.s`.
#[inline]
pub fn cvt_l_s(a: u32, rm: u8) -> (u64, u8) {
    soft_f2i(F32, a as u64, rm, true, 64)
}
/// `fcvt.lu.s`.
#[inline]
pub fn cvt_lu_s(a: u32, rm: u8) -> (u64, u8) {
    soft_f2i(F32, a as u64, rm, false, 64)
}
/// `fcvt.w.d`: x-register value (sign-extended).
#[inline]
pub fn cvt_w_d(a: u64, rm: u8) -> (u64, u8) {
    soft_f2i(F64, a, rm, true, 32)
}
/// `fcvt.wu.d`: x-register value (the 32-bit result sign-extended).
#[inline]
pub fn cvt_wu_d(a: u64, rm: u8) -> (u64, u8) {
    soft_f2i(F64, a, rm, false, 32)
}
/// `fcvt.l.d`.
#[inline]
pub fn cvt_l_d(a: u64, rm: u8) -> (u64, u8) {
    soft_f2i(F64, a, rm, true, 64)
}
/// `fcvt.lu.d`.
#[inline]
pub fn cvt_lu_d(a: u64, rm: u8) -> (u64, u8) {
    soft_f2i(F64, a, rm, false, 64)
}

/// Signed/unsigned integer to float, with a fast path for exact cases.
#[inline]
fn i2f(f: Fmt, neg: bool, mag: u64, rm: u8) -> (u64, u8) {
    if mag >> (f.m + 1) == 0 {
        // Exactly representable: no rounding, no flags.
        let bits = if f.m == F64.m {
            (mag as f64).to_bits()
        } else {
            ((mag as f32).to_bits()) as u64
        };
        return (if neg && mag != 0 { bits | f.sign() } else { bits }, 0);
    }
    soft_i2f(f, neg, mag, rm)
}

#[inline]
fn split_i64(v: i64) -> (bool, u64) {
    (v < 0, v.unsigned_abs())
}

/// `fcvt.s.w` (low 32 bits of `x`, signed).
#[inline]
pub fn cvt_s_w(x: u64, rm: u8) -> (u32, u8) {
    let (n, m) = split_i64(x as i32 as i64);
    let (r, fl) = i2f(F32, n, m, rm);
    (r as u32, fl)
}
/// `fcvt.s.wu` (low 32 bits of `x`, unsigned).
#[inline]
pub fn cvt_s_wu(x: u64, rm: u8) -> (u32, u8) {
    let (r, fl) = i2f(F32, false, x as u32 as u64, rm);
    (r as u32, fl)
}
/// `fcvt.s.l`.
#[inline]
pub fn cvt_s_l(x: u64, rm: u8) -> (u32, u8) {
    let (n, m) = split_i64(x as i64);
    let (r, fl) = i2f(F32, n, m, rm);
    (r as u32, fl)
}
/// `fcvt.s.lu`.
#[inline]
pub fn cvt_s_lu(x: u64, rm: u8) -> (u32, u8) {
    let (r, fl) = i2f(F32, false, x, rm);
    (r as u32, fl)
}
/// `fcvt.d.w` (always exact).
#[inline]
pub fn cvt_d_w(x: u64, _rm: u8) -> (u64, u8) {
    ((x as i32 as f64).to_bits(), 0)
}
/// `fcvt.d.wu` (always exact).
#[inline]
pub fn cvt_d_wu(x: u64, _rm: u8) -> (u64, u8) {
    ((x as u32 as f64).to_bits(), 0)
}
/// `fcvt.d.l`.
#[inline]
pub fn cvt_d_l(x: u64, rm: u8) -> (u64, u8) {
    let (n, m) = split_i64(x as i64);
    i2f(F64, n, m, rm)
}
/// `fcvt.d.lu`.
#[inline]
pub fn cvt_d_lu(x: u64, rm: u8) -> (u64, u8) {
    i2f(F64, false, x, rm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_apfloat::ieee::{Double, Single};
    use rustc_apfloat::{Float, FloatConvert, Round, Status, StatusAnd};

    const ONE_S: u32 = 0x3f80_0000;
    const ONE_D: u64 = 0x3ff0_0000_0000_0000;
    const SNAN_S: u32 = 0x7f80_0001;
    const SNAN_D: u64 = 0x7ff0_0000_0000_0001;
    const QNAN_PAYLOAD_D: u64 = 0xfff8_0000_dead_beef;
    const INF_S: u32 = 0x7f80_0000;
    const INF_D: u64 = 0x7ff0_0000_0000_0000;
    const NEG: u64 = 1 << 63;
    const NEG_S: u32 = 1 << 31;

    fn d(x: f64) -> u64 {
        x.to_bits()
    }
    fn s(x: f32) -> u32 {
        x.to_bits()
    }

    // ------------------------------------------------------------------
    // Known answers
    // ------------------------------------------------------------------

    #[test]
    fn division_and_invalid() {
        assert_eq!(div_d(d(1.0), d(0.0), RNE), (INF_D, DZ));
        assert_eq!(div_d(d(-1.0), d(0.0), RNE), (INF_D | NEG, DZ));
        assert_eq!(div_s(s(1.0), 0, RNE), (INF_S, DZ));
        assert_eq!(div_d(0, 0, RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(div_s(0, 0, RMM), (CANONICAL_NAN_S, NV));
        assert_eq!(div_d(INF_D, INF_D, RTZ), (CANONICAL_NAN_D, NV));
        assert_eq!(sqrt_d(d(-1.0), RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(sqrt_s(s(-1.0), RMM), (CANONICAL_NAN_S, NV));
        assert_eq!(sqrt_d(NEG, RNE), (NEG, 0));
        assert_eq!(sqrt_d(d(4.0), RDN), (d(2.0), 0));
        assert_eq!(sqrt_d(d(2.0), RNE), (d(2f64.sqrt()), NX));
        assert_eq!(add_d(INF_D, INF_D | NEG, RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(mul_d(INF_D, 0, RUP), (CANONICAL_NAN_D, NV));
        // NaN results are canonical, never the payload; quiet NaNs don't signal.
        assert_eq!(add_d(QNAN_PAYLOAD_D, d(1.0), RNE), (CANONICAL_NAN_D, 0));
        assert_eq!(add_d(SNAN_D, d(1.0), RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(mul_s(0xffc0_1234, ONE_S, RMM), (CANONICAL_NAN_S, 0));
        assert_eq!(mul_s(SNAN_S, ONE_S, RMM), (CANONICAL_NAN_S, NV));
        assert_eq!(sqrt_s(SNAN_S, RNE), (CANONICAL_NAN_S, NV));
    }

    #[test]
    fn overflow_underflow() {
        assert_eq!(mul_d(d(1e308), d(10.0), RNE), (INF_D, OF | NX));
        assert_eq!(mul_d(d(1e308), d(10.0), RTZ), (d(f64::MAX), OF | NX));
        assert_eq!(mul_d(d(-1e308), d(10.0), RUP), (d(f64::MIN), OF | NX));
        assert_eq!(mul_d(d(-1e308), d(10.0), RDN), (INF_D | NEG, OF | NX));
        assert_eq!(mul_d(d(-1e308), d(10.0), RMM), (INF_D | NEG, OF | NX));
        assert_eq!(mul_s(s(f32::MAX), s(2.0), RMM), (INF_S, OF | NX));
        // Smallest subnormal results.
        let tiny = d(f64::MIN_POSITIVE);
        assert_eq!(mul_d(tiny, d(f64::EPSILON), RNE), (1, 0)); // exact: no UF
        assert_eq!(mul_d(tiny, d(f64::EPSILON / 2.0), RNE), (0, UF | NX)); // tie to even
        assert_eq!(mul_d(1, d(0.5), RNE), (0, UF | NX)); // tie to even: 0
        assert_eq!(mul_d(1, d(0.5), RUP), (1, UF | NX));
        assert_eq!(mul_d(1, d(0.5), RMM), (1, UF | NX));
        assert_eq!(mul_d(1, d(0.75), RNE), (1, UF | NX));
        assert_eq!(mul_s(1, s(0.5), RMM), (1, UF | NX));
        assert_eq!(mul_s(1 | NEG_S, s(0.25), RDN), (1 | NEG_S, UF | NX));
        assert_eq!(div_d(1, d(3.0), RNE), (0, UF | NX));
        // Tininess after rounding, m = 2^-1022 (smallest normal).
        // m * (1 - 2^-53) = m - 2^-1075 exactly: with the subnormal quantum
        // 2^-1074 it is a tie that rounds (to even) up to m, but rounded to
        // 53 bits with an unbounded exponent it stays m - 2^-1075 < m, so it
        // is tiny: UF (and the result is the normal m).
        let x = d(1.0 - f64::EPSILON / 2.0);
        assert_eq!(mul_d(tiny, x, RNE), (tiny, UF | NX));
        assert_eq!(mul_d(tiny, x, RMM), (tiny, UF | NX));
        assert_eq!(mul_d(tiny, x, RUP), (tiny, UF | NX));
        assert_eq!(mul_d(tiny, x, RTZ), (tiny - 1, UF | NX));
        assert_eq!(fma_d(tiny, x, 0, RMM), (tiny, UF | NX));
        // (m + 2^-1074) * (1 - 2^-52) = m * (1 - 2^-104): rounds to m even
        // with an unbounded exponent, so it is not tiny: no UF.
        let y = d(1.0 - f64::EPSILON);
        assert_eq!(mul_d(tiny + 1, y, RNE), (tiny, NX));
        assert_eq!(mul_d(tiny + 1, y, RMM), (tiny, NX));
        assert_eq!(mul_d(tiny + 1, y, RUP), (tiny, NX));
        assert_eq!(mul_d(tiny + 1, y, RTZ), (tiny - 1, UF | NX));
        assert_eq!(mul_d(tiny + 1, y, RDN), (tiny - 1, UF | NX));
        assert_eq!(fma_d(tiny + 1, y, 0, RNE), (tiny, NX));
        assert_eq!(fma_d(tiny + 1, y, 0, RMM), (tiny, NX));
        assert_eq!(fma_d(tiny + 1, y, 0, RDN), (tiny - 1, UF | NX));
        // The same two cases in single precision (m = 2^-126).
        let ms = s(f32::MIN_POSITIVE);
        let xs = s(1.0 - f32::EPSILON / 2.0);
        let ys = s(1.0 - f32::EPSILON);
        assert_eq!(mul_s(ms, xs, RNE), (ms, UF | NX));
        assert_eq!(mul_s(ms, xs, RMM), (ms, UF | NX));
        assert_eq!(mul_s(ms + 1, ys, RNE), (ms, NX));
        assert_eq!(mul_s(ms + 1, ys, RMM), (ms, NX));
        assert_eq!(fma_s(ms + 1, ys, 0, RUP), (ms, NX));
        assert_eq!(fma_s(ms + 1, ys, 0, RTZ), (ms - 1, UF | NX));
        assert_eq!(cvt_s_d(d(f32::MIN_POSITIVE as f64 * (1.0 - f64::EPSILON)), RMM), (ms, NX));
        assert_eq!(cvt_s_d(d(f32::MIN_POSITIVE as f64 * (1.0 - 2.0f64.powi(-24))), RNE), (ms, UF | NX));
    }

    #[test]
    fn rounding_modes_on_ties() {
        // 1 + 2^-53 is halfway between 1 and 1 + 2^-52 (even: 1).
        let h = d(f64::EPSILON / 2.0);
        let one_up = ONE_D + 1;
        assert_eq!(add_d(ONE_D, h, RNE), (ONE_D, NX));
        assert_eq!(add_d(ONE_D, h, RTZ), (ONE_D, NX));
        assert_eq!(add_d(ONE_D, h, RDN), (ONE_D, NX));
        assert_eq!(add_d(ONE_D, h, RUP), (one_up, NX));
        assert_eq!(add_d(ONE_D, h, RMM), (one_up, NX));
        // (1 + 2^-52) + 2^-53: tie, even is 1 + 2^-51.
        assert_eq!(add_d(one_up, h, RNE), (one_up + 1, NX));
        assert_eq!(add_d(one_up, h, RMM), (one_up + 1, NX));
        assert_eq!(add_d(one_up, h, RTZ), (one_up, NX));
        // Negative ties.
        assert_eq!(add_d(ONE_D | NEG, h | NEG, RNE), (ONE_D | NEG, NX));
        assert_eq!(add_d(ONE_D | NEG, h | NEG, RMM), (one_up | NEG, NX));
        assert_eq!(add_d(ONE_D | NEG, h | NEG, RDN), (one_up | NEG, NX));
        assert_eq!(add_d(ONE_D | NEG, h | NEG, RUP), (ONE_D | NEG, NX));
        // Single: 1 + 2^-24.
        let hs = s(f32::EPSILON / 2.0);
        assert_eq!(add_s(ONE_S, hs, RNE), (ONE_S, NX));
        assert_eq!(add_s(ONE_S, hs, RMM), (ONE_S + 1, NX));
        assert_eq!(sub_s(ONE_S, hs | NEG_S, RMM), (ONE_S + 1, NX));
        assert_eq!(add_s(ONE_S, hs, RUP), (ONE_S + 1, NX));
        assert_eq!(add_s(ONE_S, hs, RDN), (ONE_S, NX));
        // Exact zero sum: +0, or -0 in RDN.
        assert_eq!(sub_d(ONE_D, ONE_D, RNE), (0, 0));
        assert_eq!(sub_d(ONE_D, ONE_D, RDN), (NEG, 0));
        assert_eq!(sub_d(ONE_D, ONE_D, RMM), (0, 0));
        assert_eq!(add_d(NEG, NEG, RNE), (NEG, 0));
        assert_eq!(add_d(NEG, 0, RNE), (0, 0));
        assert_eq!(add_d(NEG, 0, RDN), (NEG, 0));
        // int -> float ties: 2^53 + 1 (tie between 2^53 and 2^53 + 2).
        let t = (1u64 << 53) + 1;
        assert_eq!(cvt_d_l(t, RNE), (d(9007199254740992.0), NX));
        assert_eq!(cvt_d_l(t, RMM), (d(9007199254740994.0), NX));
        assert_eq!(cvt_d_l(t, RUP), (d(9007199254740994.0), NX));
        assert_eq!(cvt_d_l(t.wrapping_neg(), RDN), (d(-9007199254740994.0), NX));
        assert_eq!(cvt_s_w((1 << 24) + 1, RMM), (s(16777218.0), NX));
        assert_eq!(cvt_s_w((1 << 24) + 1, RNE), (s(16777216.0), NX));
        assert_eq!(cvt_s_wu(u32::MAX as u64, RTZ), (s(4294967040.0), NX));
        assert_eq!(cvt_d_w(0xffff_ffff, RNE), (d(-1.0), 0));
        assert_eq!(cvt_d_wu(0xffff_ffff_ffff_ffff, RNE), (d(4294967295.0), 0));
        assert_eq!(cvt_d_lu(u64::MAX, RNE), (d(18446744073709551616.0), NX));
        assert_eq!(cvt_s_l(0, RDN), (0, 0));
        // double -> single ties.
        let tie = d(1.0 + f32::EPSILON as f64 / 2.0);
        assert_eq!(cvt_s_d(tie, RNE), (ONE_S, NX));
        assert_eq!(cvt_s_d(tie, RMM), (ONE_S + 1, NX));
        assert_eq!(cvt_s_d(d(1e300), RNE), (INF_S, OF | NX));
        assert_eq!(cvt_s_d(d(1e300), RTZ), (s(f32::MAX), OF | NX));
        assert_eq!(cvt_s_d(d(1e-300), RUP), (1, UF | NX));
        assert_eq!(cvt_s_d(SNAN_D, RNE), (CANONICAL_NAN_S, NV));
        assert_eq!(cvt_s_d(QNAN_PAYLOAD_D, RMM), (CANONICAL_NAN_S, 0));
        assert_eq!(cvt_d_s(SNAN_S), (CANONICAL_NAN_D, NV));
        assert_eq!(cvt_d_s(0xffc0_0001), (CANONICAL_NAN_D, 0));
        assert_eq!(cvt_d_s(1), (d(f32::from_bits(1) as f64), 0));
    }

    #[test]
    fn fcvt_saturation_table() {
        let nan = CANONICAL_NAN_D;
        let big = d(1e30);
        let cases: &[(u64, [(u64, u8); 4])] = &[
            // input: [w, wu, l, lu]
            (nan, [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (u64::MAX, NV)]),
            (SNAN_D, [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (u64::MAX, NV)]),
            (INF_D, [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (u64::MAX, NV)]),
            (INF_D | NEG, [(i32::MIN as u64, NV), (0, NV), (i64::MIN as u64, NV), (0, NV)]),
            (big, [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (u64::MAX, NV)]),
            (big | NEG, [(i32::MIN as u64, NV), (0, NV), (i64::MIN as u64, NV), (0, NV)]),
            (d(-1.0), [(u64::MAX, 0), (0, NV), (u64::MAX, 0), (0, NV)]),
            (d(-0.4), [(0, NX), (0, NX), (0, NX), (0, NX)]),
            (d(2147483647.5), [(0x7fff_ffff, NV), (0x8000_0000u32 as i32 as u64, NX), (2147483648, NX), (2147483648, NX)]),
            (d(-2147483648.4), [(i32::MIN as u64, NX), (0, NV), ((-2147483648i64) as u64, NX), (0, NV)]),
            (d(-2147483649.0), [(i32::MIN as u64, NV), (0, NV), ((-2147483649i64) as u64, 0), (0, NV)]),
            (d(4294967295.0), [(0x7fff_ffff, NV), (u64::MAX, 0), (4294967295, 0), (4294967295, 0)]),
            (d(4294967296.0), [(0x7fff_ffff, NV), (u64::MAX, NV), (4294967296, 0), (4294967296, 0)]),
            (d(9223372036854775808.0), [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (1 << 63, 0)]),
            (d(-9223372036854775808.0), [(i32::MIN as u64, NV), (0, NV), (i64::MIN as u64, 0), (0, NV)]),
            (d(18446744073709551616.0), [(0x7fff_ffff, NV), (u64::MAX, NV), (i64::MAX as u64, NV), (u64::MAX, NV)]),
            (NEG, [(0, 0), (0, 0), (0, 0), (0, 0)]),
        ];
        for (x, want) in cases {
            let got = [cvt_w_d(*x, RNE), cvt_wu_d(*x, RNE), cvt_l_d(*x, RNE), cvt_lu_d(*x, RNE)];
            assert_eq!(&got, want, "input {x:#x} ({})", f64::from_bits(*x));
        }
        // Rounding modes on float -> int.
        assert_eq!(cvt_w_d(d(2.5), RNE), (2, NX));
        assert_eq!(cvt_w_d(d(2.5), RMM), (3, NX));
        assert_eq!(cvt_w_d(d(-2.5), RMM), (-3i64 as u64, NX));
        assert_eq!(cvt_w_d(d(-2.5), RDN), (-3i64 as u64, NX));
        assert_eq!(cvt_w_d(d(-2.5), RUP), (-2i64 as u64, NX));
        assert_eq!(cvt_w_d(d(-2.5), RTZ), (-2i64 as u64, NX));
        assert_eq!(cvt_w_d(d(3.5), RNE), (4, NX));
        assert_eq!(cvt_wu_d(d(-0.5), RDN), (0, NV));
        assert_eq!(cvt_wu_d(d(-0.5), RNE), (0, NX));
        assert_eq!(cvt_w_s(s(-3.7), RTZ), (-3i64 as u64, NX));
        assert_eq!(cvt_wu_s(s(3e9), RTZ), (3_000_000_000u32 as i32 as u64, 0));
        assert_eq!(cvt_lu_s(s(-1.0), RTZ), (0, NV));
        assert_eq!(cvt_l_s(CANONICAL_NAN_S, RTZ), (i64::MAX as u64, NV));
        assert_eq!(cvt_w_s(s(-2147483648.0), RTZ), (i32::MIN as u64, 0));
        assert_eq!(cvt_w_s(s(2147483648.0), RTZ), (0x7fff_ffff, NV));
        assert_eq!(cvt_w_d(1, RUP), (1, NX));
        assert_eq!(cvt_w_d(1 | NEG, RDN), (u64::MAX, NX));
    }

    #[test]
    fn min_max_compare_class() {
        let pz = 0u64;
        let nz = NEG;
        assert_eq!(min_d(nz, pz), (nz, 0));
        assert_eq!(min_d(pz, nz), (nz, 0));
        assert_eq!(max_d(nz, pz), (pz, 0));
        assert_eq!(max_d(pz, nz), (pz, 0));
        assert_eq!(min_s(NEG_S, 0), (NEG_S, 0));
        assert_eq!(max_s(NEG_S, 0), (0, 0));
        assert_eq!(min_d(SNAN_D, ONE_D), (ONE_D, NV));
        assert_eq!(min_d(ONE_D, SNAN_D), (ONE_D, NV));
        assert_eq!(max_d(QNAN_PAYLOAD_D, ONE_D), (ONE_D, 0));
        assert_eq!(max_d(QNAN_PAYLOAD_D, QNAN_PAYLOAD_D), (CANONICAL_NAN_D, 0));
        assert_eq!(min_d(QNAN_PAYLOAD_D, SNAN_D), (CANONICAL_NAN_D, NV));
        assert_eq!(min_s(SNAN_S, ONE_S), (ONE_S, NV));
        assert_eq!(max_s(0x7fc0_0001, SNAN_S), (CANONICAL_NAN_S, NV));
        assert_eq!(min_d(d(-3.0), d(2.0)), (d(-3.0), 0));
        assert_eq!(max_d(d(-3.0), d(2.0)), (d(2.0), 0));
        assert_eq!(max_s(s(f32::NEG_INFINITY), s(-1.0)), (s(-1.0), 0));

        assert_eq!(eq_d(pz, nz), (true, 0));
        assert_eq!(lt_d(nz, pz), (false, 0));
        assert_eq!(le_d(nz, pz), (true, 0));
        assert_eq!(eq_d(QNAN_PAYLOAD_D, QNAN_PAYLOAD_D), (false, 0));
        assert_eq!(eq_d(SNAN_D, ONE_D), (false, NV));
        assert_eq!(lt_d(QNAN_PAYLOAD_D, ONE_D), (false, NV));
        assert_eq!(le_d(ONE_D, QNAN_PAYLOAD_D), (false, NV));
        assert_eq!(lt_s(s(1.0), s(2.0)), (true, 0));
        assert_eq!(le_s(s(2.0), s(2.0)), (true, 0));
        assert_eq!(eq_s(CANONICAL_NAN_S, ONE_S), (false, 0));
        assert_eq!(lt_s(CANONICAL_NAN_S, ONE_S), (false, NV));
        assert_eq!(eq_s(SNAN_S, SNAN_S), (false, NV));

        let class_cases_d: &[(u64, u32)] = &[
            (INF_D | NEG, 0),
            (d(-1.5), 1),
            (1 | NEG, 2),
            (NEG, 3),
            (0, 4),
            (1, 5),
            (d(1.5), 6),
            (INF_D, 7),
            (SNAN_D, 8),
            (CANONICAL_NAN_D, 9),
            (QNAN_PAYLOAD_D, 9),
        ];
        for &(x, bit) in class_cases_d {
            assert_eq!(class_d(x), 1 << bit, "{x:#x}");
        }
        let class_cases_s: &[(u32, u32)] = &[
            (INF_S | NEG_S, 0),
            (s(-1.5), 1),
            (0x807f_ffff, 2),
            (NEG_S, 3),
            (0, 4),
            (0x007f_ffff, 5),
            (s(f32::MAX), 6),
            (INF_S, 7),
            (0xffbf_ffff, 8),
            (CANONICAL_NAN_S, 9),
        ];
        for &(x, bit) in class_cases_s {
            assert_eq!(class_s(x), 1 << bit, "{x:#x}");
        }
    }

    #[test]
    fn fma_specials() {
        // RISC-V: fma(inf, 0, qNaN) raises NV.
        assert_eq!(fma_d(INF_D, 0, CANONICAL_NAN_D, RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(fma_d(0, INF_D, QNAN_PAYLOAD_D, RMM), (CANONICAL_NAN_D, NV));
        assert_eq!(fma_s(INF_S, 0, CANONICAL_NAN_S, RTZ), (CANONICAL_NAN_S, NV));
        assert_eq!(fma_s(0, INF_S, 0, RNE), (CANONICAL_NAN_S, NV));
        assert_eq!(fma_d(d(1.0), d(2.0), QNAN_PAYLOAD_D, RNE), (CANONICAL_NAN_D, 0));
        assert_eq!(fma_d(d(1.0), d(2.0), SNAN_D, RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(fma_d(INF_D, d(2.0), INF_D | NEG, RNE), (CANONICAL_NAN_D, NV));
        assert_eq!(fma_d(INF_D, d(-2.0), INF_D | NEG, RNE), (INF_D | NEG, 0));
        // Single rounding: (1 + 2^-52)^2 - 1 - 2^-51 = 2^-104 exactly.
        let a = ONE_D + 1;
        let c = d(-(1.0 + 2.0 * f64::EPSILON));
        assert_eq!(fma_d(a, a, c, RNE), (d(2f64.powi(-104)), 0));
        assert_eq!(fma_d(a, a, c, RMM), (d(2f64.powi(-104)), 0));
        // Signed zeros.
        assert_eq!(fma_d(d(1.0), d(-1.0), d(1.0), RNE), (0, 0));
        assert_eq!(fma_d(d(1.0), d(-1.0), d(1.0), RDN), (NEG, 0));
        assert_eq!(fma_d(NEG, d(1.0), NEG, RNE), (NEG, 0));
        assert_eq!(fma_d(NEG, d(1.0), 0, RNE), (0, 0));
        assert_eq!(fma_d(NEG, d(1.0), 0, RDN), (NEG, 0));
        assert_eq!(fma_d(NEG, d(1.0), 0, RMM), (0, 0));
        // Tiny product with zero addend keeps the product's sign.
        assert_eq!(fma_d(1 | NEG, d(0.25), 0, RNE), (NEG, UF | NX));
    }

    // ------------------------------------------------------------------
    // Randomised cross-checks
    // ------------------------------------------------------------------

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn pack(f: Fmt, neg: bool, be: u64, frac: u64) -> u64 {
        (if neg { f.sign() } else { 0 }) | be << f.m | (frac & f.frac_mask())
    }

    /// A random operand biased towards special and boundary values.
    fn gen(f: Fmt, r: &mut Rng) -> u64 {
        let neg = r.next() & 1 != 0;
        let mut frac = r.next() & f.frac_mask();
        if r.below(3) == 0 {
            // Few significant bits: makes ties and exact results likely.
            let keep = r.below(f.m as u64 + 1);
            frac &= !((1u64 << (f.m as u64 - keep)) - 1);
        }
        if r.below(4) == 0 {
            // Runs of ones near the rounding point.
            frac |= (1u64 << r.below(f.m as u64)) - 1;
        }
        let ones = f.exp_ones();
        let bias = f.bias() as u64;
        let m = f.m as u64;
        match r.below(12) {
            0 => r.next() & (f.sign() | (f.sign() - 1)),
            1 => {
                let sp = [
                    0,
                    f.inf(),
                    f.canon_nan(),
                    f.inf() | 1,
                    f.inf() | (r.next() & f.frac_mask()) | 1,
                    f.max_finite(),
                    1 << f.m,
                    1,
                    f.frac_mask(),
                    bias << f.m,
                    (1 << f.m) | f.frac_mask(),
                ];
                sp[r.below(sp.len() as u64) as usize] | if neg { f.sign() } else { 0 }
            }
            2 => pack(f, neg, 0, frac),
            3 => pack(f, neg, 1 + r.below(m + 3), frac),
            4 => pack(f, neg, ones - 1 - r.below(m + 3), frac),
            5 => pack(f, neg, bias - 4 + r.below(9), frac),
            6 => {
                let (v, _) = soft_i2f(f, neg, r.below(2000) + 1, RNE);
                v
            }
            _ => pack(f, neg, r.below(ones), frac),
        }
    }

    /// A second operand, sometimes related to the first.
    fn gen_pair(f: Fmt, r: &mut Rng, a: u64, op: &str) -> u64 {
        match r.below(6) {
            0 | 1 => gen(f, r),
            2 => {
                // Close to +-a: cancellation and near-ties.
                let lim = 1 << r.below(f.m as u64 + 1);
                let delta = r.below(lim);
                let b = if r.next() & 1 != 0 { a.wrapping_add(delta) } else { a.wrapping_sub(delta) };
                (b ^ if r.next() & 1 != 0 { f.sign() } else { 0 }) & (f.sign() | (f.sign() - 1))
            }
            3 => {
                // Same exponent neighbourhood.
                let shift = r.below(2 * f.m as u64 + 4) << f.m;
                let b = if r.next() & 1 != 0 { a.wrapping_add(shift) } else { a.wrapping_sub(shift) };
                (b ^ ((r.next() & 1) * f.sign()) ^ r.below(1 << f.m)) & (f.sign() | (f.sign() - 1))
            }
            _ => {
                // Results near the underflow threshold: b ~ 2^emin / a (mul)
                // or a / 2^emin (div), nudged by a few ulps.
                let minn = 1u64 << f.m;
                let (b, _) = if op == "div" { soft_div(f, a, minn, RNE) } else { soft_div(f, minn, a, RNE) };
                let k = r.below(8);
                let b = if r.next() & 1 != 0 { b.wrapping_add(k) } else { b.wrapping_sub(k) };
                b & (f.sign() | (f.sign() - 1))
            }
        }
    }

    fn ap_flags(s: Status) -> u8 {
        let b = s.bits();
        ((b & 1) << 4) | ((b & 2) << 2) | (b & 4) | ((b & 8) >> 2) | ((b & 16) >> 4)
    }

    fn ap_round(rm: u8) -> Round {
        match rm {
            RNE => Round::NearestTiesToEven,
            RTZ => Round::TowardZero,
            RDN => Round::TowardNegative,
            RUP => Round::TowardPositive,
            _ => Round::NearestTiesToAway,
        }
    }

    fn ap_result<T: Float>(f: Fmt, r: StatusAnd<T>) -> (u64, u8) {
        let v = r.value.to_bits() as u64;
        let v = if f.is_nan(v) { f.canon_nan() } else { v };
        (v, ap_flags(r.status))
    }

    /// Known, documented differences between apfloat and IEEE 754 / RISC-V,
    /// where our result is checked against the host instead:
    /// * apfloat reports UF only when the result after (bounded) rounding is
    ///   subnormal; IEEE/RISC-V tininess-after-rounding also calls a result
    ///   tiny when it rounds up to the smallest normal only because of the
    ///   reduced subnormal precision. Those cases differ only in UF and have
    ///   +-2^emin as result.
    /// * apfloat does not report OF when a directed rounding mode turns an
    ///   overflow into the largest finite number; IEEE 754 (7.4) does.
    fn ap_agrees(f: Fmt, ours: (u64, u8), ap: (u64, u8)) -> bool {
        if ours == ap {
            return true;
        }
        let uf_band = f.abs(ours.0) == 1 << f.m && ours.1 == ap.1 | UF && ap.1 & NX != 0;
        let of_max = f.abs(ours.0) == f.max_finite() && ours.1 == OF | NX && ap.1 == NX;
        ours.0 == ap.0 && (uf_band || of_max)
    }

    struct Report {
        name: String,
        fails: usize,
        ap_uf: usize,
        ap_of: usize,
        checked: usize,
    }

    impl Report {
        fn new(name: &str) -> Self {
            Report { name: name.into(), fails: 0, ap_uf: 0, ap_of: 0, checked: 0 }
        }
        fn note_deviation(&mut self, ours: (u64, u8)) {
            if ours.1 & UF != 0 {
                self.ap_uf += 1;
            } else {
                self.ap_of += 1;
            }
        }
        fn fail(&mut self, msg: String) {
            if self.fails < 20 {
                eprintln!("{}: {}", self.name, msg);
            }
            self.fails += 1;
        }
    }

    /// Random cases per operation (each tried in all five rounding modes);
    /// `REMU_FPU_CASES` overrides it for longer soak runs.
    fn cases() -> usize {
        std::env::var("REMU_FPU_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(if cfg!(debug_assertions) { 30_000 } else { 200_000 })
    }

    fn ap_bin<T: Float>(op: &str, a: T, b: T, rm: Round) -> StatusAnd<T> {
        match op {
            "add" => a.add_r(b, rm),
            "sub" => a.sub_r(b, rm),
            "mul" => a.mul_r(b, rm),
            _ => a.div_r(b, rm),
        }
    }

    fn check_binary(f: Fmt, op: &str, seed: u64) -> Report {
        let mut rep = Report::new(&format!("{op}_{}", if f.m == 23 { "s" } else { "d" }));
        let mut r = Rng(seed);
        for _ in 0..cases() {
            let a = gen(f, &mut r);
            let b = gen_pair(f, &mut r, a, op);
            for rm in 0..5u8 {
                let soft = match op {
                    "add" => soft_add(f, a, b, rm),
                    "sub" => soft_sub(f, a, b, rm),
                    "mul" => soft_mul(f, a, b, rm),
                    _ => soft_div(f, a, b, rm),
                };
                let fast = if f.m == 23 {
                    let (a, b) = (a as u32, b as u32);
                    let (v, fl) = match op {
                        "add" => add_s(a, b, rm),
                        "sub" => sub_s(a, b, rm),
                        "mul" => mul_s(a, b, rm),
                        _ => div_s(a, b, rm),
                    };
                    (v as u64, fl)
                } else {
                    match op {
                        "add" => add_d(a, b, rm),
                        "sub" => sub_d(a, b, rm),
                        "mul" => mul_d(a, b, rm),
                        _ => div_d(a, b, rm),
                    }
                };
                // The MXCSR/soft path on its own (the public function takes
                // the MXCSR-free fast path for most RNE cases).
                let slow = if f.m == 23 {
                    let (a, b) = (a as u32, b as u32);
                    let (v, fl) = match op {
                        "add" => add_s_slow(a, b, rm),
                        "sub" => sub_s_slow(a, b, rm),
                        "mul" => mul_s_slow(a, b, rm),
                        _ => div_s_slow(a, b, rm),
                    };
                    (v as u64, fl)
                } else {
                    match op {
                        "add" => add_d_slow(a, b, rm),
                        "sub" => sub_d_slow(a, b, rm),
                        "mul" => mul_d_slow(a, b, rm),
                        _ => div_d_slow(a, b, rm),
                    }
                };
                if slow != soft {
                    rep.fail(format!("a={a:#x} b={b:#x} rm={rm}: slow={slow:x?} soft={soft:x?}"));
                }
                let ap = if f.m == 23 {
                    ap_result(f, ap_bin(op, Single::from_bits(a as u128), Single::from_bits(b as u128), ap_round(rm)))
                } else {
                    ap_result(f, ap_bin(op, Double::from_bits(a as u128), Double::from_bits(b as u128), ap_round(rm)))
                };
                rep.checked += 1;
                if fast != soft {
                    rep.fail(format!("a={a:#x} b={b:#x} rm={rm}: fast={fast:x?} soft={soft:x?} apfloat={ap:x?}"));
                }
                if soft != ap {
                    if ap_agrees(f, soft, ap) {
                        rep.note_deviation(soft);
                    } else {
                        rep.fail(format!("a={a:#x} b={b:#x} rm={rm}: soft={soft:x?} apfloat={ap:x?} fast={fast:x?}"));
                    }
                }
            }
        }
        rep
    }

    fn check_fma(f: Fmt, seed: u64) -> Report {
        let mut rep = Report::new(if f.m == 23 { "fma_s" } else { "fma_d" });
        let mut r = Rng(seed);
        for _ in 0..cases() {
            let a = gen(f, &mut r);
            let b = gen_pair(f, &mut r, a, "mul");
            let c = match r.below(4) {
                0 | 1 => gen(f, &mut r),
                2 => {
                    // Cancel the product: c ~ -(a*b).
                    let (p, _) = soft_mul(f, a, b, r.below(5) as u8);
                    let k = r.below(4);
                    (p.wrapping_add(k) ^ f.sign()) & (f.sign() | (f.sign() - 1))
                }
                _ => {
                    // Tiny addend (near the underflow threshold).
                    pack(f, r.next() & 1 != 0, r.below(3), r.next())
                }
            };
            for rm in 0..5u8 {
                let soft = soft_fma(f, a, b, c, rm);
                let fast = if f.m == 23 {
                    let (v, fl) = fma_s(a as u32, b as u32, c as u32, rm);
                    (v as u64, fl)
                } else {
                    fma_d(a, b, c, rm)
                };
                let ap = if f.m == 23 {
                    let t = |x: u64| Single::from_bits(x as u128);
                    ap_result(f, t(a).mul_add_r(t(b), t(c), ap_round(rm)))
                } else {
                    let t = |x: u64| Double::from_bits(x as u128);
                    ap_result(f, t(a).mul_add_r(t(b), t(c), ap_round(rm)))
                };
                rep.checked += 1;
                if fast != soft {
                    rep.fail(format!("a={a:#x} b={b:#x} c={c:#x} rm={rm}: fast={fast:x?} soft={soft:x?} apfloat={ap:x?}"));
                }
                if soft != ap {
                    if ap_agrees(f, soft, ap) {
                        rep.note_deviation(soft);
                    } else {
                        rep.fail(format!("a={a:#x} b={b:#x} c={c:#x} rm={rm}: soft={soft:x?} apfloat={ap:x?} fast={fast:x?}"));
                    }
                }
            }
        }
        rep
    }

    fn check_sqrt(f: Fmt, seed: u64) -> Report {
        let mut rep = Report::new(if f.m == 23 { "sqrt_s" } else { "sqrt_d" });
        let mut r = Rng(seed);
        for i in 0..cases() {
            let mut a = gen(f, &mut r);
            if i % 2 == 0 {
                a &= !f.sign();
            }
            let mut results = [(0u64, 0u8); 5];
            for rm in 0..5u8 {
                let soft = soft_sqrt(f, a, rm);
                results[rm as usize] = soft;
                let fast = if f.m == 23 {
                    let (v, fl) = sqrt_s(a as u32, rm);
                    (v as u64, fl)
                } else {
                    sqrt_d(a, rm)
                };
                let slow = if f.m == 23 {
                    let (v, fl) = sqrt_s_slow(a as u32, rm);
                    (v as u64, fl)
                } else {
                    sqrt_d_slow(a, rm)
                };
                rep.checked += 1;
                if fast != soft || slow != soft {
                    rep.fail(format!("a={a:#x} rm={rm}: fast={fast:x?} slow={slow:x?} soft={soft:x?}"));
                }
                // Independent check: the result r is correctly rounded iff the
                // exact square of the neighbouring candidates brackets a.
                if !f.is_nan(a) && soft.1 & NV == 0 && !f.is_inf(a) && !f.is_zero(a) {
                    let (m, e) = f.unpack(a);
                    let (rm_, re) = f.unpack(soft.0);
                    // r^2 vs a compared exactly on integers: scale both to a common exponent.
                    let sq = (rm_ as u128) * (rm_ as u128);
                    let (x, y) = align(sq, 2 * re, m as u128, e);
                    let exact = x == y;
                    if exact != (soft.1 == 0) {
                        rep.fail(format!("a={a:#x} rm={rm}: exactness mismatch {soft:x?}"));
                    }
                    let below = x < y; // r < sqrt(a)
                    match rm {
                        RTZ | RDN if !exact && !below => rep.fail(format!("a={a:#x} rm={rm}: not rounded down")),
                        RUP if !exact && below => rep.fail(format!("a={a:#x} rm={rm}: not rounded up")),
                        _ => {}
                    }
                }
            }
            // No ties exist for sqrt, so RMM must equal RNE.
            if results[RMM as usize] != results[RNE as usize] {
                rep.fail(format!("a={a:#x}: RMM {:x?} != RNE {:x?}", results[4], results[0]));
            }
        }
        rep
    }

    /// Brings `x*2^ex` and `y*2^ey` to a common exponent (both fit in u128 here).
    fn align(x: u128, ex: i32, y: u128, ey: i32) -> (u128, u128) {
        if ex >= ey {
            (x << (ex - ey) as u32, y)
        } else {
            (x, y << (ey - ex) as u32)
        }
    }

    fn finish(reps: Vec<Report>) {
        let mut bad = false;
        for rep in &reps {
            eprintln!(
                "{}: {} checks, {} failures; known apfloat deviations: {} UF-after-rounding, {} OF-to-max",
                rep.name, rep.checked, rep.fails, rep.ap_uf, rep.ap_of
            );
            bad |= rep.fails != 0;
        }
        assert!(!bad, "cross-check disagreements (see stderr)");
    }

    #[test]
    fn random_arith_vs_apfloat_and_host() {
        let mut reps = Vec::new();
        for (i, op) in ["add", "sub", "mul", "div"].iter().enumerate() {
            reps.push(check_binary(F32, op, 0x1234_5678 + i as u64));
            reps.push(check_binary(F64, op, 0x8765_4321 + i as u64));
        }
        finish(reps);
    }

    #[test]
    fn random_fma_vs_apfloat_and_host() {
        finish(vec![check_fma(F32, 0xfeed), check_fma(F64, 0xbeef)]);
    }

    #[test]
    fn random_sqrt_vs_host_and_exact_check() {
        finish(vec![check_sqrt(F32, 0x5151), check_sqrt(F64, 0x7171)]);
    }

    #[test]
    fn random_conversions() {
        let mut rep = Report::new("conversions");
        let mut r = Rng(0xc0ffee);
        for _ in 0..cases() {
            let a = gen(F64, &mut r);
            let a32 = gen(F32, &mut r) as u32;
            let x = match r.below(4) {
                0 => r.next(),
                1 => r.next() >> r.below(64),
                2 => (r.next() >> r.below(64)).wrapping_neg(),
                _ => {
                    // Near 2^k boundaries with low bits set (ties for i2f).
                    let k = r.below(64);
                    let lim = 1 << r.below(12);
                    (1u64 << k).wrapping_add(r.below(lim))
                }
            };
            for rm in 0..5u8 {
                let round = ap_round(rm);
                rep.checked += 1;
                // double -> single
                let ours = cvt_s_d(a, rm);
                let soft = soft_cvt(F64, F32, a, rm);
                let mut li = false;
                let cv: StatusAnd<Single> = Double::from_bits(a as u128).convert_r(round, &mut li);
                let ap = ap_result(F32, cv);
                if (ours.0 as u64, ours.1) != soft {
                    rep.fail(format!("cvt_s_d a={a:#x} rm={rm}: fast={ours:x?} soft={soft:x?}"));
                }
                if !ap_agrees(F32, soft, ap) {
                    rep.fail(format!("cvt_s_d a={a:#x} rm={rm}: soft={soft:x?} apfloat={ap:x?}"));
                }
                // single -> double
                if rm == 0 {
                    let ours = cvt_d_s(a32);
                    let cv: StatusAnd<Double> = Single::from_bits(a32 as u128).convert_r(round, &mut li);
                    let ap = ap_result(F64, cv);
                    if ours != ap {
                        rep.fail(format!("cvt_d_s a={a32:#x}: ours={ours:x?} apfloat={ap:x?}"));
                    }
                }
                // int -> float
                #[allow(clippy::type_complexity)]
                let i2f_cases: [(&str, (u64, u8), StatusAnd<Double>, Fmt); 4] = [
                    ("d_l", cvt_d_l(x, rm), Double::from_i128_r(x as i64 as i128, round), F64),
                    ("d_lu", cvt_d_lu(x, rm), Double::from_u128_r(x as u128, round), F64),
                    ("d_w", cvt_d_w(x, rm), Double::from_i128_r(x as i32 as i128, round), F64),
                    ("d_wu", cvt_d_wu(x, rm), Double::from_u128_r(x as u32 as u128, round), F64),
                ];
                for (name, ours, ap, f) in i2f_cases {
                    let ap = ap_result(f, ap);
                    if ours != ap {
                        rep.fail(format!("cvt_{name} x={x:#x} rm={rm}: ours={ours:x?} apfloat={ap:x?}"));
                    }
                }
                let i2f_s: [(&str, (u32, u8), StatusAnd<Single>); 4] = [
                    ("s_l", cvt_s_l(x, rm), Single::from_i128_r(x as i64 as i128, round)),
                    ("s_lu", cvt_s_lu(x, rm), Single::from_u128_r(x as u128, round)),
                    ("s_w", cvt_s_w(x, rm), Single::from_i128_r(x as i32 as i128, round)),
                    ("s_wu", cvt_s_wu(x, rm), Single::from_u128_r(x as u32 as u128, round)),
                ];
                for (name, ours, ap) in i2f_s {
                    let ap = ap_result(F32, ap);
                    if (ours.0 as u64, ours.1) != ap {
                        rep.fail(format!("cvt_{name} x={x:#x} rm={rm}: ours={ours:x?} apfloat={ap:x?}"));
                    }
                }
                // float -> int: compare against apfloat's to_int when it is in range.
                for (fname, f, bits_in) in [("d", F64, a), ("s", F32, a32 as u64)] {
                    for (kind, signed, width) in [("w", true, 32u32), ("wu", false, 32), ("l", true, 64), ("lu", false, 64)] {
                        let ours = match (fname, kind) {
                            ("d", "w") => cvt_w_d(bits_in, rm),
                            ("d", "wu") => cvt_wu_d(bits_in, rm),
                            ("d", "l") => cvt_l_d(bits_in, rm),
                            ("d", "lu") => cvt_lu_d(bits_in, rm),
                            ("s", "w") => cvt_w_s(bits_in as u32, rm),
                            ("s", "wu") => cvt_wu_s(bits_in as u32, rm),
                            ("s", "l") => cvt_l_s(bits_in as u32, rm),
                            _ => cvt_lu_s(bits_in as u32, rm),
                        };
                        if f.is_nan(bits_in) {
                            continue; // covered by the saturation table
                        }
                        // Reference: round to integral with apfloat, then range-check in i128.
                        let (ri, st) = if f.m == 52 {
                            let v = Double::from_bits(bits_in as u128).round_to_integral(round);
                            let mut exact = false;
                            (v.value.to_i128_r(128, Round::TowardZero, &mut exact).value, v.status)
                        } else {
                            let v = Single::from_bits(bits_in as u128).round_to_integral(round);
                            let mut exact = false;
                            (v.value.to_i128_r(128, Round::TowardZero, &mut exact).value, v.status)
                        };
                        let (min, max): (i128, i128) = if signed {
                            (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
                        } else {
                            (0, (1i128 << width) - 1)
                        };
                        let ext = |v: i128| if width == 32 { v as u32 as i32 as i64 as u64 } else { v as u64 };
                        let want = if f.is_inf(bits_in) || ri < min || ri > max {
                            let neg = f.neg(bits_in);
                            (ext(if neg { min } else { max }), NV)
                        } else {
                            (ext(ri), if st.contains(Status::INEXACT) { NX } else { 0 })
                        };
                        if ours != want {
                            rep.fail(format!("cvt_{kind}_{fname} a={bits_in:#x} rm={rm}: ours={ours:x?} want={want:x?}"));
                        }
                    }
                }
            }
        }
        finish(vec![rep]);
    }

    #[test]
    fn random_min_max_compare() {
        let mut rep = Report::new("minmax/compare");
        let mut r = Rng(0xabcdef);
        for _ in 0..cases() {
            let a = gen(F64, &mut r);
            let b = gen_pair(F64, &mut r, a, "add");
            rep.checked += 1;
            let (fa, fb) = (Double::from_bits(a as u128), Double::from_bits(b as u128));
            let anynan = F64.is_nan(a) || F64.is_nan(b);
            let snan = F64.is_snan(a) || F64.is_snan(b);
            let ord = fa.partial_cmp(&fb);
            use core::cmp::Ordering::*;
            let want_eq = (ord == Some(Equal), if snan { NV } else { 0 });
            let want_lt = (ord == Some(Less), if anynan { NV } else { 0 });
            let want_le = (matches!(ord, Some(Less | Equal)), if anynan { NV } else { 0 });
            if eq_d(a, b) != want_eq || lt_d(a, b) != want_lt || le_d(a, b) != want_le {
                rep.fail(format!("compare a={a:#x} b={b:#x}"));
            }
            let (mn, fl) = min_d(a, b);
            let (mx, fl2) = max_d(a, b);
            let want_fl = if snan { NV } else { 0 };
            let ok_min = if F64.is_nan(a) && F64.is_nan(b) {
                mn == CANONICAL_NAN_D
            } else if F64.is_nan(a) {
                mn == b
            } else if F64.is_nan(b) {
                mn == a
            } else {
                // Total order on non-NaN with -0 < +0.
                let key = |x: u64| if x >> 63 != 0 { !x } else { x | 1 << 63 };
                mn == if key(a) <= key(b) { a } else { b } && mx == if key(a) >= key(b) { a } else { b }
            };
            if !ok_min || fl != want_fl || fl2 != want_fl {
                rep.fail(format!("minmax a={a:#x} b={b:#x}: min={mn:#x} max={mx:#x} fl={fl}"));
            }
        }
        finish(vec![rep]);
    }
}
