//! Execution of scalar floating-point and AdvSIMD instructions (the part of the
//! interpreter that works on the V registers). Host f32/f64 arithmetic with the Arm ARM's
//! NaN propagation (FPProcessNaNs: signalling before quiet, first operand first) applied
//! explicitly. Scalar arithmetic runs with the host MXCSR set to the guest's FPCR rounding
//! mode, and the IEEE flags the host raised are accrued into FPSR; conversions to integer
//! compute their flags directly. The host detects tininess after rounding and Arm before,
//! so a result rounded to the smallest normal gets UFC recomputed exactly (products,
//! quotients, single-precision FMA). Not yet modelled: flush-to-zero (FPCR.FZ), that
//! tininess correction for double-precision FMA, FPSR flags of vector operations, and half
//! precision arithmetic.

use crate::insn::*;
use crate::advsimd::{fz_in, fz_out};
use crate::interp::{cond_holds, illegal, Ctx, Flow};

macro_rules! tr {
    ($c:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => {
                $c.exit = e;
                return Flow::Stop;
            }
        }
    };
}

/// The scalar float operations both precisions share.
pub(crate) trait Float:
    Copy
    + PartialOrd
    + std::ops::Neg<Output = Self>
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    fn sqrt(self) -> Self;
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// Width in bits.
    const BITS: u32;
    fn from_u64(x: u64) -> Self;
    fn from_f64(x: f64) -> Self;
    fn abs(self) -> Self;
    /// Whether nonzero with a zero exponent field.
    fn is_subnormal(self) -> bool;
    fn rint(self, r: Round) -> Self;
    const QUIET: u64;
    fn bits(self) -> u64;
    fn is_nan(self) -> bool;
    fn is_snan(self) -> bool {
        self.is_nan() && self.bits() & Self::QUIET == 0
    }
    fn quiet(self) -> Self;
    fn default_nan() -> Self;
    fn is_zero(self) -> bool;
    fn is_neg(self) -> bool;
    fn is_inf(self) -> bool;
    /// Whether this is ±(smallest normal), the one result whose tininess the host (which
    /// detects tininess after rounding) and Arm (before rounding) can disagree on.
    fn is_min_normal(self) -> bool;
    /// Whether the exact product/quotient of `a op b` has a magnitude below the smallest
    /// normal (for `self` = the rounded result, ±min normal).
    fn exact_tiny(self, op: FOp2, a: Self, b: Self) -> bool;
    /// The same for a fused multiply-add `n * m + a` (single precision only; double
    /// precision FMA keeps the host's after-rounding answer).
    fn fma_tiny(n: Self, m: Self, a: Self) -> bool;
}
impl Float for f32 {
    const BITS: u32 = 32;
    fn from_u64(x: u64) -> Self {
        f32::from_bits(x as u32)
    }
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn abs(self) -> Self {
        f32::abs(self)
    }
    fn is_subnormal(self) -> bool {
        f32::is_subnormal(self)
    }
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    fn mul_add(self, a: Self, b: Self) -> Self {
        f32::mul_add(self, a, b)
    }
    fn rint(self, r: Round) -> Self {
        match r {
            Round::Nearest => self.round_ties_even(),
            Round::Plus => self.ceil(),
            Round::Minus => self.floor(),
            Round::Zero => self.trunc(),
            _ => self.round(),
        }
    }
    const QUIET: u64 = 1 << 22;
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
    fn quiet(self) -> Self {
        f32::from_bits(self.to_bits() | (1 << 22))
    }
    fn default_nan() -> Self {
        f32::from_bits(0x7fc0_0000)
    }
    fn is_zero(self) -> bool {
        self == 0.0
    }
    fn is_neg(self) -> bool {
        self.is_sign_negative()
    }
    fn is_inf(self) -> bool {
        self.is_infinite()
    }
    fn is_min_normal(self) -> bool {
        self.abs() == f32::MIN_POSITIVE
    }
    fn exact_tiny(self, op: FOp2, a: Self, b: Self) -> bool {
        // In double precision the product is exact; a quotient that lands on the boundary
        // is settled by the sign of its residual.
        let min = f32::MIN_POSITIVE as f64;
        let (a, b) = ((a as f64).abs(), (b as f64).abs());
        if op == FOp2::Div {
            let q = a / b;
            return if q != min { q < min } else { q.mul_add(b, -a) > 0.0 };
        }
        a * b < min
    }
    fn fma_tiny(n: Self, m: Self, a: Self) -> bool {
        // The exact value is sum + err (TwoSum of the exact f64 product and the addend).
        let min = f32::MIN_POSITIVE as f64;
        let p = n as f64 * m as f64;
        let a = a as f64;
        let sum = p + a;
        let bb = sum - p;
        let err = (p - (sum - bb)) + (a - bb);
        if sum.abs() != min {
            sum.abs() < min
        } else {
            err != 0.0 && err.is_sign_negative() != sum.is_sign_negative()
        }
    }
}
impl Float for f64 {
    const BITS: u32 = 64;
    fn from_u64(x: u64) -> Self {
        f64::from_bits(x)
    }
    fn from_f64(x: f64) -> Self {
        x
    }
    fn abs(self) -> Self {
        f64::abs(self)
    }
    fn is_subnormal(self) -> bool {
        f64::is_subnormal(self)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn mul_add(self, a: Self, b: Self) -> Self {
        f64::mul_add(self, a, b)
    }
    fn rint(self, r: Round) -> Self {
        match r {
            Round::Nearest => self.round_ties_even(),
            Round::Plus => self.ceil(),
            Round::Minus => self.floor(),
            Round::Zero => self.trunc(),
            _ => self.round(),
        }
    }
    const QUIET: u64 = 1 << 51;
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    fn quiet(self) -> Self {
        f64::from_bits(self.to_bits() | (1 << 51))
    }
    fn default_nan() -> Self {
        f64::from_bits(0x7ff8_0000_0000_0000)
    }
    fn is_zero(self) -> bool {
        self == 0.0
    }
    fn is_neg(self) -> bool {
        self.is_sign_negative()
    }
    fn is_inf(self) -> bool {
        self.is_infinite()
    }
    fn is_min_normal(self) -> bool {
        self.abs() == f64::MIN_POSITIVE
    }
    fn fma_tiny(_n: Self, _m: Self, _a: Self) -> bool {
        false
    }
    fn exact_tiny(self, op: FOp2, a: Self, b: Self) -> bool {
        // |exact| < |r| exactly when the residual, scaled out of the subnormal range so it
        // cannot round to zero, has the opposite sign: a*b - r, or r*b - a for a quotient.
        const K: f64 = 18446744073709551616.0; // 2^64
        let r = self.abs();
        let (a, b) = (a.abs(), b.abs());
        match op {
            FOp2::Div => {
                if a > 1.0 {
                    return false; // the quotient is tiny only with a huge divisor: leave it
                }
                (r * K).mul_add(b, -(a * K)) > 0.0
            }
            _ => {
                if a > 1.0 {
                    (a / K).mul_add(b * K * K, -(r * K)) < 0.0
                } else {
                    (a * K).mul_add(b, -(r * K)) < 0.0
                }
            }
        }
    }
}

/// FPSR cumulative flag bits.
pub const IOC: u64 = 1 << 0;
/// FPSR.QC: cumulative saturation (integer saturating operations).
pub const QC: u64 = 1 << 27;
pub const DZC: u64 = 1 << 1;
pub const OFC: u64 = 1 << 2;
pub const UFC: u64 = 1 << 3;
pub const IXC: u64 = 1 << 4;

/// Runs `f` (host float arithmetic on black-boxed inputs) with the host rounding mode set
/// from FPCR.RMode and accrues the host's exception flags into FPSR.
pub(crate) fn host_fp<T>(c: &mut Ctx, f: impl FnOnce() -> T) -> T {
    host_fp_mode(c, ((c.s.fpcr >> 22) & 3) as u32, f)
}

/// [`host_fp`] with an explicit FPCR.RMode value (0 RN, 1 RP, 2 RM, 3 RZ).
pub(crate) fn host_fp_mode<T>(c: &mut Ctx, rmode: u32, f: impl FnOnce() -> T) -> T {
    // MXCSR.RC: 0 nearest, 1 down, 2 up, 3 toward zero.
    let rc = [0u32, 2, 1, 3][(rmode & 3) as usize];
    let csr: u32 = 0x1f80 | (rc << 13);
    let mut out: u32 = 0;
    // SAFETY: loads a valid MXCSR value (all exceptions masked); the Rust float ops in
    // between see only changed rounding and flags, which they do not depend on.
    unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, readonly)) };
    let r = std::hint::black_box(f());
    let restore: u32 = 0x1f80;
    // SAFETY: stores MXCSR into a local, then restores the default control word.
    unsafe {
        std::arch::asm!("stmxcsr [{}]", in(reg) &mut out, options(nostack));
        std::arch::asm!("ldmxcsr [{}]", in(reg) &restore, options(nostack, readonly));
    }
    let mut fl = 0;
    if out & 1 != 0 {
        fl |= IOC;
    }
    if out & 4 != 0 {
        fl |= DZC;
    }
    if out & 8 != 0 {
        fl |= OFC;
    }
    if out & 16 != 0 {
        fl |= UFC;
    }
    if out & 32 != 0 {
        fl |= IXC;
    }
    c.s.fpsr |= fl;
    r
}

/// A NaN produced from non-NaN operands (or any NaN under FPCR.DN) is the default NaN.
pub(crate) fn dnan<F: Float>(r: F) -> F {
    if r.is_nan() {
        F::default_nan()
    } else {
        r
    }
}

/// Accrues IOC if any operand is a signalling NaN (or, for `quiet_too`, any NaN).
pub(crate) fn snan_check<F: Float>(c: &mut Ctx, ops: &[F], quiet_too: bool) {
    if ops.iter().any(|x| x.is_snan() || (quiet_too && x.is_nan())) {
        c.s.fpsr |= IOC;
    }
}

/// The NaN result for NaN operands, honouring FPCR.DN.
pub(crate) fn nan_result<F: Float>(c: &Ctx, n: F) -> F {
    if c.s.fpcr >> 25 & 1 != 0 {
        F::default_nan()
    } else {
        n
    }
}

pub(crate) fn scalar_op2<F: Float>(c: &mut Ctx, op: FOp2, a: F, b: F) -> F {
    let (a, b) = (fz_in(c, a), fz_in(c, b));
    snan_check(c, &[a, b], false);
    match op {
        FOp2::Max | FOp2::Min | FOp2::MaxNm | FOp2::MinNm => {
            let r = match op {
                FOp2::Max => fmax(a, b),
                FOp2::Min => fmin(a, b),
                FOp2::MaxNm => fnm(a, b, true),
                _ => fnm(a, b, false),
            };
            if r.is_nan() {
                nan_result(c, r)
            } else {
                r
            }
        }
        FOp2::Nmul => -scalar_op2(c, FOp2::Mul, a, b),
        _ => {
            if let Some(n) = nan2(a, b) {
                return nan_result(c, n);
            }
            let before = c.s.fpsr;
            c.s.fpsr = 0;
            let r = host_fp(c, || {
                let (a, b) = std::hint::black_box((a, b));
                match op {
                    FOp2::Add => a + b,
                    FOp2::Sub => a - b,
                    FOp2::Mul => a * b,
                    FOp2::Div => a / b,
                    _ => -(a * b),
                }
            });
            // Arm detects tininess before rounding: a result rounded up to the smallest
            // normal still underflowed if the exact value was below it. (Sums near the
            // smallest normal are always exact, so only products and quotients matter.)
            if c.s.fpsr & (IXC | UFC) == IXC && r.is_min_normal() && matches!(op, FOp2::Mul | FOp2::Div) && r.exact_tiny(op, a, b) {
                c.s.fpsr |= UFC;
            }
            let r = fz_out(c, r);
            c.s.fpsr |= before;
            dnan(r)
        }
    }
}

pub(crate) fn scalar_op1<F: Float>(c: &mut Ctx, op: FOp1, a: F) -> F {
    match op {
        FOp1::Mov | FOp1::Abs | FOp1::Neg => unreachable!("bit operations handled by the caller"),
        _ => {}
    }
    let a = fz_in(c, a);
    snan_check(c, &[a], false);
    if a.is_nan() {
        return nan_result(c, a.quiet());
    }
    match op {
        FOp1::Sqrt => dnan(host_fp(c, || std::hint::black_box(a).sqrt())),
        FOp1::Rint(r) => {
            let exact = r == Round::Exact;
            let r = a.rint(round_mode(c, r));
            if exact && r != a {
                c.s.fpsr |= IXC;
            }
            r
        }
        _ => a,
    }
}

pub(crate) fn scalar_fma<F: Float>(c: &mut Ctx, op: FmaOp, a: F, n: F, m: F) -> F {
    // The Arm ARM negates operands before FPMulAdd, so a negated NaN operand propagates
    // with its sign flipped.
    let (neg_prod, neg_acc) = match op {
        FmaOp::Madd => (false, false),
        FmaOp::Msub => (true, false),
        FmaOp::Nmadd => (true, true),
        FmaOp::Nmsub => (false, true),
    };
    let (a, n, m) = (fz_in(c, a), fz_in(c, n), fz_in(c, m));
    let n = if neg_prod { -n } else { n };
    let a = if neg_acc { -a } else { a };
    snan_check(c, &[a, n, m], false);
    // FPMulAdd: a quiet NaN addend with an invalid product (0 x inf) is invalid too.
    let inf_zero = |x: F, y: F| x.is_inf() && y.is_zero() || x.is_zero() && y.is_inf();
    if a.is_nan() && !a.is_snan() && inf_zero(n, m) {
        c.s.fpsr |= IOC;
        return F::default_nan();
    }
    if let Some(x) = nan3(a, n, m) {
        return nan_result(c, x);
    }
    let before = c.s.fpsr;
    c.s.fpsr = 0;
    let r = host_fp(c, || {
        let (n, m, a) = std::hint::black_box((n, m, a));
        n.mul_add(m, a)
    });
    // Tininess before rounding, as in `scalar_op2`.
    if c.s.fpsr & (IXC | UFC) == IXC && r.is_min_normal() && F::fma_tiny(n, m, a) {
        c.s.fpsr |= UFC;
    }
    let r = fz_out(c, r);
    c.s.fpsr |= before;
    dnan(r)
}

/// FPToFixed with rounding `r`: saturating, IOC on NaN or out of range, IXC if inexact.
pub(crate) fn fp_to_int(c: &mut Ctx, v: f64, r: Round, signed: bool, sf: bool) -> u64 {
    if v.is_nan() {
        c.s.fpsr |= IOC;
        return 0;
    }
    let rounded = rint64(v, r);
    let (lo, hi) = match (signed, sf) {
        (true, true) => (-9.223_372_036_854_776e18, 9.223_372_036_854_776e18),
        (true, false) => (-2147483648.0, 2147483648.0),
        (false, true) => (0.0, 1.844_674_407_370_955_2e19),
        (false, false) => (0.0, 4294967296.0),
    };
    if rounded < lo || rounded >= hi {
        c.s.fpsr |= IOC;
    } else if rounded != v {
        c.s.fpsr |= IXC;
    }
    to_int(rounded, signed, sf)
}

/// FPProcessNaNs for two operands: the NaN result, if either is a NaN.
pub(crate) fn nan2<F: Float>(a: F, b: F) -> Option<F> {
    if a.is_snan() {
        Some(a.quiet())
    } else if b.is_snan() {
        Some(b.quiet())
    } else if a.is_nan() {
        Some(a)
    } else if b.is_nan() {
        Some(b)
    } else {
        None
    }
}
pub(crate) fn nan3<F: Float>(a: F, b: F, c: F) -> Option<F> {
    for x in [a, b, c] {
        if x.is_snan() {
            return Some(x.quiet());
        }
    }
    [a, b, c].into_iter().find(|x| x.is_nan())
}

fn fmax<F: Float>(a: F, b: F) -> F {
    if let Some(n) = nan2(a, b) {
        return n;
    }
    if a.is_zero() && b.is_zero() {
        return if a.is_neg() { b } else { a };
    }
    if a > b {
        a
    } else {
        b
    }
}
fn fmin<F: Float>(a: F, b: F) -> F {
    if let Some(n) = nan2(a, b) {
        return n;
    }
    if a.is_zero() && b.is_zero() {
        return if a.is_neg() { a } else { b };
    }
    if a < b {
        a
    } else {
        b
    }
}
/// FMAXNM/FMINNM: a quiet NaN against a number gives the number.
fn fnm<F: Float>(a: F, b: F, max: bool) -> F {
    let (a, b) = match (a.is_nan() && !a.is_snan(), b.is_nan() && !b.is_snan()) {
        (true, false) if !b.is_nan() => (b, b),
        (false, true) if !a.is_nan() => (a, a),
        _ => (a, b),
    };
    if max {
        fmax(a, b)
    } else {
        fmin(a, b)
    }
}

macro_rules! fop2 {
    ($op:expr, $a:expr, $b:expr) => {{
        let (a, b) = ($a, $b);
        match $op {
            FOp2::Max => fmax(a, b),
            FOp2::Min => fmin(a, b),
            FOp2::MaxNm => fnm(a, b, true),
            FOp2::MinNm => fnm(a, b, false),
            op => match nan2(a, b) {
                Some(n) => n,
                None => dnan(match op {
                    FOp2::Add => a + b,
                    FOp2::Sub => a - b,
                    FOp2::Mul => a * b,
                    FOp2::Div => a / b,
                    _ => -(a * b),
                }),
            },
        }
    }};
}

pub(crate) fn round_mode(c: &Ctx, r: Round) -> Round {
    match r {
        Round::Exact | Round::Current => match (c.s.fpcr >> 22) & 3 {
            0 => Round::Nearest,
            1 => Round::Plus,
            2 => Round::Minus,
            _ => Round::Zero,
        },
        r => r,
    }
}

fn rint64(v: f64, r: Round) -> f64 {
    match r {
        Round::Nearest => v.round_ties_even(),
        Round::Plus => v.ceil(),
        Round::Minus => v.floor(),
        Round::Zero => v.trunc(),
        _ => v.round(),
    }
}

/// FPCompare flags: unordered 0011, equal 0110, less 1000, greater 0010.
pub(crate) fn fcmp_flags<F: Float>(a: F, b: F) -> u8 {
    if a.is_nan() || b.is_nan() {
        0b0011
    } else if a == b {
        0b0110
    } else if a < b {
        0b1000
    } else {
        0b0010
    }
}

/// Half to single precision (exact).
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as u32;
    let frac = (h & 0x3ff) as u32;
    let bits = match exp {
        0 if frac == 0 => sign,
        0 => {
            // Subnormal: normalise.
            let mut e = 127 - 15 + 1;
            let mut f = frac;
            while f & 0x400 == 0 {
                f <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((f & 0x3ff) << 13)
        }
        0x1f => sign | 0x7f80_0000 | (frac << 13) | if frac != 0 { 1 << 22 } else { 0 },
        _ => sign | ((exp + 127 - 15) << 23) | (frac << 13),
    };
    f32::from_bits(bits)
}

/// u64 to float with one rounding in the current host rounding mode. (Rust's own lowering
/// of `u64 as f64` subtracts magic constants, which yields -0.0 for 0 when rounding down.)
pub(crate) fn u64_to_f64(x: u64) -> f64 {
    if (x as i64) >= 0 {
        x as i64 as f64
    } else {
        // Halve keeping a sticky bit, convert (the only rounding), double (exact).
        ((x >> 1 | x & 1) as i64 as f64) * 2.0
    }
}
pub(crate) fn u64_to_f32(x: u64) -> f32 {
    if (x as i64) >= 0 {
        x as i64 as f32
    } else {
        ((x >> 1 | x & 1) as i64 as f32) * 2.0
    }
}

fn to_int(v: f64, signed: bool, sf: bool) -> u64 {
    match (signed, sf) {
        (true, true) => v as i64 as u64,
        (true, false) => v as i32 as u32 as u64,
        (false, true) => v as u64,
        (false, false) => v as u32 as u64,
    }
}

// ---------------------------------------------------------------------------------------
// Vector lanes
// ---------------------------------------------------------------------------------------

#[inline]
pub(crate) fn lane(v: u128, size: u8, i: usize) -> u64 {
    let bits = 8u32 << size;
    let m = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    (v >> (i as u32 * bits)) as u64 & m
}
#[inline]
pub(crate) fn set_lane(v: &mut u128, size: u8, i: usize, x: u64) {
    let bits = 8u32 << size;
    let m: u128 = if bits == 64 { u64::MAX as u128 } else { (1u128 << bits) - 1 };
    let sh = i as u32 * bits;
    *v = (*v & !(m << sh)) | (((x as u128) & m) << sh);
}
pub(crate) fn lanes(q: bool, size: u8) -> usize {
    (if q { 16 } else { 8 }) >> size
}
pub(crate) fn sext(x: u64, size: u8) -> i64 {
    let bits = 8u32 << size;
    ((x << (64 - bits)) as i64) >> (64 - bits)
}
pub(crate) fn emask(size: u8) -> u64 {
    if size >= 3 {
        u64::MAX
    } else {
        (1u64 << (8 << size)) - 1
    }
}

pub(crate) fn fl(x: u64, size: u8) -> f64 {
    if size == 2 {
        f32::from_bits(x as u32) as f64
    } else {
        f64::from_bits(x)
    }
}

/// Applies a two-operand float op lane-wise in the lane's own precision.
fn vfop(size: u8, a: u64, b: u64, op: FOp2) -> u64 {
    if size == 2 {
        let (a, b) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
        fop2!(op, a, b).to_bits() as u64
    } else {
        let (a, b) = (f64::from_bits(a), f64::from_bits(b));
        fop2!(op, a, b).to_bits()
    }
}

pub(crate) fn v3_lane(op: VOp3, size: u8, a: u64, b: u64, d: u64) -> u64 {
    let m = emask(size);
    let all = |c: bool| if c { m } else { 0 };
    let (sa, sb) = (sext(a, size), sext(b, size));
    match op {
        VOp3::Add => a.wrapping_add(b),
        VOp3::Sub => a.wrapping_sub(b),
        VOp3::Mul => a.wrapping_mul(b),
        VOp3::Mla => d.wrapping_add(a.wrapping_mul(b)),
        VOp3::Mls => d.wrapping_sub(a.wrapping_mul(b)),
        VOp3::Cmeq => all(a == b),
        VOp3::Cmge => all(sa >= sb),
        VOp3::Cmgt => all(sa > sb),
        VOp3::Cmhi => all(a > b),
        VOp3::Cmhs => all(a >= b),
        VOp3::Cmtst => all(a & b != 0),
        VOp3::Umax | VOp3::Umaxp => a.max(b),
        VOp3::Umin | VOp3::Uminp => a.min(b),
        VOp3::Smax | VOp3::Smaxp => sa.max(sb) as u64,
        VOp3::Smin | VOp3::Sminp => sa.min(sb) as u64,
        VOp3::Addp => a.wrapping_add(b),
        VOp3::Uabd => a.abs_diff(b),
        VOp3::Sabd => sa.abs_diff(sb),
        VOp3::Uqadd => a.saturating_add(b).min(m),
        VOp3::Uqsub => a.saturating_sub(b),
        VOp3::Sqadd | VOp3::Sqsub => {
            let r = if op == VOp3::Sqadd { sa as i128 + sb as i128 } else { sa as i128 - sb as i128 };
            let bits = 8u32 << size;
            let max = (1i128 << (bits - 1)) - 1;
            r.clamp(-max - 1, max) as u64
        }
        VOp3::Ushl | VOp3::Sshl => {
            let sh = b as i8 as i32;
            let bits = 8i32 << size;
            if sh >= 0 {
                if sh >= bits {
                    0
                } else {
                    a << sh
                }
            } else if op == VOp3::Ushl {
                if -sh >= bits {
                    0
                } else {
                    a >> -sh
                }
            } else {
                (sa >> (-sh).min(63)) as u64
            }
        }
        VOp3::Fadd | VOp3::Faddp => vfop(size, a, b, FOp2::Add),
        VOp3::Fsub => vfop(size, a, b, FOp2::Sub),
        VOp3::Fmul => vfop(size, a, b, FOp2::Mul),
        VOp3::Fdiv => vfop(size, a, b, FOp2::Div),
        VOp3::Fmax => vfop(size, a, b, FOp2::Max),
        VOp3::Fmin => vfop(size, a, b, FOp2::Min),
        VOp3::Fmla | VOp3::Fmls => {
            if size == 2 {
                let (x, y, acc) = (f32::from_bits(a as u32), f32::from_bits(b as u32), f32::from_bits(d as u32));
                let x = if op == VOp3::Fmls { -x } else { x };
                (nan3(acc, x, y).unwrap_or_else(|| x.mul_add(y, acc))).to_bits() as u64
            } else {
                let (x, y, acc) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(d));
                let x = if op == VOp3::Fmls { -x } else { x };
                nan3(acc, x, y).unwrap_or_else(|| x.mul_add(y, acc)).to_bits()
            }
        }
        VOp3::Fcmeq => all(fl(a, size) == fl(b, size)),
        VOp3::Fcmge => all(fl(a, size) >= fl(b, size)),
        VOp3::Fcmgt => all(fl(a, size) > fl(b, size)),
        _ => 0,
    }
}

fn v3(c: &mut Ctx, op: VOp3, q: bool, size: u8, rd: VReg, rn: VReg, rm: VReg) {
    let (a, b, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let n = lanes(q, size);
    let mut r: u128 = 0;
    let half = n / 2;
    match op {
        VOp3::And => r = a & b,
        VOp3::Bic => r = a & !b,
        VOp3::Orr => r = a | b,
        VOp3::Orn => r = a | !b,
        VOp3::Eor => r = a ^ b,
        VOp3::Bsl => r = (d & a) | (!d & b),
        VOp3::Bit => r = (a & b) | (d & !b),
        VOp3::Bif => r = (d & b) | (a & !b),
        VOp3::Addp
        | VOp3::Umaxp
        | VOp3::Uminp
        | VOp3::Smaxp
        | VOp3::Sminp
        | VOp3::Faddp
        | VOp3::Fmaxp
        | VOp3::Fminp
        | VOp3::Fmaxnmp
        | VOp3::Fminnmp => {
            for i in 0..n {
                let src = if i < half { a } else { b };
                let j = (i % half) * 2;
                let x = crate::advsimd::elem3(c, op, size, lane(src, size, j), lane(src, size, j + 1), 0);
                set_lane(&mut r, size, i, x);
            }
        }
        VOp3::Uzp1 | VOp3::Uzp2 => {
            let odd = (op == VOp3::Uzp2) as usize;
            for i in 0..n {
                let src = if i < half { a } else { b };
                set_lane(&mut r, size, i, lane(src, size, 2 * (i % half) + odd));
            }
        }
        VOp3::Zip1 | VOp3::Zip2 => {
            let base = if op == VOp3::Zip2 { half } else { 0 };
            for i in 0..half {
                set_lane(&mut r, size, 2 * i, lane(a, size, base + i));
                set_lane(&mut r, size, 2 * i + 1, lane(b, size, base + i));
            }
        }
        VOp3::Trn1 | VOp3::Trn2 => {
            let odd = (op == VOp3::Trn2) as usize;
            for i in 0..half {
                set_lane(&mut r, size, 2 * i, lane(a, size, 2 * i + odd));
                set_lane(&mut r, size, 2 * i + 1, lane(b, size, 2 * i + odd));
            }
        }
        _ => {
            for i in 0..n {
                let (x, y) = (lane(a, size, i), lane(b, size, i));
                set_lane(&mut r, size, i, crate::advsimd::elem3(c, op, size, x, y, lane(d, size, i)));
            }
        }
    }
    c.set_vq(rd, q, r);
}

fn post_index(c: &mut Ctx, rn: Reg, post: Option<Reg>, total: u64) {
    if let Some(rm) = post {
        let inc = if rm.0 == 31 { total } else { c.xz(rm) };
        let v = c.xsp(rn).wrapping_add(inc);
        c.set_xsp(rn, v);
    }
}

pub(crate) fn exec(c: &mut Ctx, inst: &Inst, _pc: u64) -> Flow {
    match *inst {
        Inst::FMovGen { to_fp, sf, ty, top, rd, rn } => {
            if to_fp {
                let x = c.xz(Reg(rn));
                if top {
                    let old = c.vr(VReg(rd));
                    c.set_v(VReg(rd), (old as u64 as u128) | ((x as u128) << 64));
                } else {
                    let x = if ty == FTy::S { x as u32 as u64 } else { x };
                    c.set_v(VReg(rd), x as u128);
                }
            } else {
                let v = c.vr(VReg(rn));
                let x = if top { (v >> 64) as u64 } else if sf { v as u64 } else { v as u32 as u64 };
                c.set_xz(Reg(rd), x);
            }
        }
        Inst::FMovImm { rd, imm, .. } => c.set_v(rd, imm as u128),
        Inst::FOp1 { op, ty, rd, rn } => {
            let bits = if ty == FTy::S { 32 } else { 64 };
            let x = c.vr(rn) as u64 & emask(bits / 16);
            let sign = 1u64 << (bits - 1);
            let r = match op {
                FOp1::Mov => x,
                FOp1::Abs => x & !sign,
                FOp1::Neg => x ^ sign,
                _ if ty == FTy::S => scalar_op1(c, op, f32::from_bits(x as u32)).to_bits() as u64,
                _ => scalar_op1(c, op, f64::from_bits(x)).to_bits(),
            };
            c.set_v(rd, r as u128);
        }
        Inst::FOp2 { op, ty, rd, rn, rm } => match ty {
            FTy::S => {
                let r = scalar_op2(c, op, c.fs(rn), c.fs(rm));
                c.set_fs(rd, r);
            }
            _ => {
                let r = scalar_op2(c, op, c.fd(rn), c.fd(rm));
                c.set_fd(rd, r);
            }
        },
        Inst::Fma { op, ty, rd, rn, rm, ra } => match ty {
            FTy::S => {
                let r = scalar_fma(c, op, c.fs(ra), c.fs(rn), c.fs(rm));
                c.set_fs(rd, r);
            }
            _ => {
                let r = scalar_fma(c, op, c.fd(ra), c.fd(rn), c.fd(rm));
                c.set_fd(rd, r);
            }
        },
        Inst::FCmp { ty, rn, rm, zero, signal } => {
            let f = match ty {
                FTy::S => {
                    let (a, b) = (c.fs(rn), if zero { 0.0 } else { c.fs(rm) });
                    snan_check(c, &[a, b], signal);
                    fcmp_flags(a, b)
                }
                _ => {
                    let (a, b) = (c.fd(rn), if zero { 0.0 } else { c.fd(rm) });
                    snan_check(c, &[a, b], signal);
                    fcmp_flags(a, b)
                }
            };
            c.set_nzcv_bits(f);
        }
        Inst::FCondCmp { ty, rn, rm, nzcv, cond, signal } => {
            let f = if cond_holds(c.s.nzcv, cond) {
                match ty {
                    FTy::S => {
                        let (a, b) = (c.fs(rn), c.fs(rm));
                        snan_check(c, &[a, b], signal);
                        fcmp_flags(a, b)
                    }
                    _ => {
                        let (a, b) = (c.fd(rn), c.fd(rm));
                        snan_check(c, &[a, b], signal);
                        fcmp_flags(a, b)
                    }
                }
            } else {
                nzcv
            };
            c.set_nzcv_bits(f);
        }
        Inst::FCsel { ty, rd, rn, rm, cond } => {
            let src = if cond_holds(c.s.nzcv, cond) { rn } else { rm };
            let v = c.vr(src);
            c.set_v(rd, if ty == FTy::S { v as u32 as u128 } else { v as u64 as u128 });
        }
        Inst::FCvt { from, to, rd, rn } => {
            let r = crate::fp16::fcvt(c, from, to, c.vr(rn) as u64);
            c.set_v(rd, r as u128);
        }
        Inst::IntToFp { signed, sf, ty, rd, rn } => {
            let x = c.xz(rn);
            match ty {
                FTy::S => {
                    let f = host_fp(c, || {
                        let x = std::hint::black_box(x);
                        match (signed, sf) {
                            (true, true) => x as i64 as f32,
                            (true, false) => x as i32 as f32,
                            (false, true) => u64_to_f32(x),
                            (false, false) => x as u32 as i64 as f32,
                        }
                    });
                    c.set_fs(rd, f);
                }
                _ => {
                    let f = host_fp(c, || {
                        let x = std::hint::black_box(x);
                        match (signed, sf) {
                            (true, true) => x as i64 as f64,
                            (true, false) => x as i32 as f64,
                            (false, true) => u64_to_f64(x),
                            (false, false) => x as u32 as f64,
                        }
                    });
                    c.set_fd(rd, f);
                }
            }
        }
        Inst::FpToInt { round, signed, sf, ty, rd, rn } => {
            let v = match ty {
                FTy::S => crate::advsimd::fz_in(c, c.fs(rn)) as f64,
                _ => crate::advsimd::fz_in(c, c.fd(rn)),
            };
            let r = fp_to_int(c, v, round, signed, sf);
            c.set_xz(rd, r);
        }

        // AdvSIMD.
        Inst::V3 { op, q, size, rd, rn, rm } => v3(c, op, q, size, rd, rn, rm),
        Inst::V2 { op, q, size, rd, rn } => crate::advsimd::v2(c, op, q, size, rd, rn),
        Inst::VLong { op: VLongOp::Addhn | VLongOp::Raddhn | VLongOp::Subhn | VLongOp::Rsubhn, .. } => {
            let Inst::VLong { op, q, size, rd, rn, rm, .. } = *inst else { return illegal(c) };
            // `size` is the narrow result; the sources are twice as wide.
            let (a, b) = (c.vr(rn), c.vr(rm));
            let cnt = 8 >> size;
            let nbits = 8u32 << size;
            let round = if matches!(op, VLongOp::Raddhn | VLongOp::Rsubhn) { 1u64 << (nbits - 1) } else { 0 };
            let mut out = if q { c.vr(rd) as u64 as u128 } else { 0 };
            for i in 0..cnt {
                let (x, y) = (lane(a, size + 1, i), lane(b, size + 1, i));
                let v = if matches!(op, VLongOp::Addhn | VLongOp::Raddhn) { x.wrapping_add(y) } else { x.wrapping_sub(y) };
                let v = (v & emask(size + 1)).wrapping_add(round) & emask(size + 1);
                set_lane(&mut out, size, i + if q { cnt } else { 0 }, v >> nbits);
            }
            c.set_v(rd, out);
        }
        Inst::VLong { op: VLongOp::Pmull, q, size, rd, rn, rm, .. } => {
            let (a, b) = (c.vr(rn), c.vr(rm));
            let r = if size == 3 {
                let i = q as usize;
                crate::advsimd::clmul(lane(a, 3, i), lane(b, 3, i))
            } else {
                let off = if q { 8 } else { 0 };
                let mut r = 0u128;
                for i in 0..8 {
                    set_lane(&mut r, 1, i, crate::advsimd::clmul(lane(a, 0, i + off), lane(b, 0, i + off)) as u64);
                }
                r
            };
            c.set_v(rd, r);
        }
        Inst::VLong { .. } | Inst::VLongElem { .. } => {
            let (op, signed, q, size, rd, rn, b) = match *inst {
                Inst::VLong { op, signed, q, size, rd, rn, rm } => (op, signed, q, size, rd, rn, c.vr(rm)),
                Inst::VLongElem { op, signed, q, size, index, rd, rn, rm } => {
                    // The element, in every lane.
                    let e = lane(c.vr(rm), size, index as usize);
                    let mut b = 0u128;
                    for i in 0..(16 >> size) {
                        set_lane(&mut b, size, i, e);
                    }
                    (op, signed, q, size, rd, rn, b)
                }
                _ => return illegal(c),
            };
            let (a, d) = (c.vr(rn), c.vr(rd));
            let cnt = 8 >> size;
            let off = if q { cnt } else { 0 };
            let wide = |x: u64, sz: u8| if signed { sext(x, sz) } else { x as i64 };
            let mut r = 0u128;
            for i in 0..cnt {
                let x = match op {
                    VLongOp::Addw | VLongOp::Subw => wide(lane(a, size + 1, i), size + 1),
                    _ => wide(lane(a, size, i + off), size),
                };
                let y = wide(lane(b, size, i + off), size);
                let acc = lane(d, size + 1, i) as i64;
                if matches!(op, VLongOp::Sqdmull | VLongOp::Sqdmlal | VLongOp::Sqdmlsl) {
                    let v = crate::advsimd::long_elem(c, op, size, lane(a, size, i + off), lane(b, size, i + off), acc as u64);
                    set_lane(&mut r, size + 1, i, v);
                    continue;
                }
                let v = match op {
                    VLongOp::Addl | VLongOp::Addw => x.wrapping_add(y),
                    VLongOp::Subl | VLongOp::Subw => x.wrapping_sub(y),
                    VLongOp::Abdl => x.abs_diff(y) as i64,
                    VLongOp::Abal => acc.wrapping_add(x.abs_diff(y) as i64),
                    VLongOp::Mlal => acc.wrapping_add(x.wrapping_mul(y)),
                    VLongOp::Mlsl => acc.wrapping_sub(x.wrapping_mul(y)),
                    _ => x.wrapping_mul(y),
                };
                set_lane(&mut r, size + 1, i, v as u64);
            }
            c.set_v(rd, r);
        }
        Inst::VShift { op, q, size, shift, rd, rn } => crate::advsimd::vshift(c, op, q, size, shift, rd, rn),
        Inst::VElem { op, q, size, index, rd, rn, rm } => {
            let op3 = crate::advsimd::elem_op3(op);
            let (a, d) = (c.vr(rn), c.vr(rd));
            let e = lane(c.vr(rm), size, index as usize);
            let mut r: u128 = 0;
            for i in 0..lanes(q, size) {
                set_lane(&mut r, size, i, crate::advsimd::elem3(c, op3, size, lane(a, size, i), e, lane(d, size, i)));
            }
            c.set_vq(rd, q, r);
        }
        Inst::VReduce { op: VReduce::Fmaxv | VReduce::Fminv | VReduce::Fmaxnmv | VReduce::Fminnmv, rd, rn, .. } => {
            let Inst::VReduce { op, .. } = *inst else { return illegal(c) };
            let r = crate::advsimd::fp_reduce(c, op, c.vr(rn));
            c.set_v(rd, r as u128);
        }
        Inst::VReduce { op, q, size, rd, rn } => {
            let a = c.vr(rn);
            let n = lanes(q, size);
            let mut acc: u64 = lane(a, size, 0);
            let mut sacc: i64 = sext(acc, size);
            let widen = matches!(op, VReduce::Uaddlv | VReduce::Saddlv);
            for i in 1..n {
                let x = lane(a, size, i);
                let sx = sext(x, size);
                match op {
                    VReduce::Addv | VReduce::Uaddlv => acc = acc.wrapping_add(x),
                    VReduce::Saddlv => sacc += sx,
                    VReduce::Umaxv => acc = acc.max(x),
                    VReduce::Uminv => acc = acc.min(x),
                    VReduce::Smaxv => sacc = sacc.max(sx),
                    VReduce::Sminv => sacc = sacc.min(sx),
                    _ => {}
                }
            }
            let r = match op {
                VReduce::Saddlv | VReduce::Smaxv | VReduce::Sminv => sacc as u64,
                _ => acc,
            };
            let out_size = if widen { size + 1 } else { size };
            c.set_v(rd, (r & emask(out_size)) as u128);
        }
        Inst::VMovImm { q, op, rd, imm, .. } => {
            let full = (imm as u128) | ((imm as u128) << 64);
            let d = c.vr(rd);
            let r = match op {
                0 | 1 | 4 | 5 => full,
                2 => d | full,
                _ => d & full,
            };
            c.set_vq(rd, q, r);
        }
        Inst::DupElem { q, size, index, rd, rn } => {
            let x = lane(c.vr(rn), size, index as usize);
            let mut r = 0;
            for i in 0..lanes(q, size) {
                set_lane(&mut r, size, i, x);
            }
            c.set_vq(rd, q, r);
        }
        Inst::DupScalar { size, index, rd, rn } => {
            let x = lane(c.vr(rn), size, index as usize);
            c.set_v(rd, x as u128);
        }
        Inst::DupGen { q, size, rd, rn } => {
            let x = c.xz(rn);
            let mut r = 0;
            for i in 0..lanes(q, size) {
                set_lane(&mut r, size, i, x);
            }
            c.set_vq(rd, q, r);
        }
        Inst::InsGen { size, index, rd, rn } => {
            let mut r = c.vr(rd);
            set_lane(&mut r, size, index as usize, c.xz(rn));
            c.set_v(rd, r);
        }
        Inst::InsElem { size, i1, i2, rd, rn } => {
            let x = lane(c.vr(rn), size, i2 as usize);
            let mut r = c.vr(rd);
            set_lane(&mut r, size, i1 as usize, x);
            c.set_v(rd, r);
        }
        Inst::MovToGen { signed, sf, size, index, rd, rn } => {
            let x = lane(c.vr(rn), size, index as usize);
            let x = if signed { sext(x, size) as u64 } else { x };
            c.set_xz(rd, if sf { x } else { x as u32 as u64 });
        }
        Inst::Ext { q, index, rd, rn, rm } => {
            let bytes = if q { 16 } else { 8 };
            let (a, b) = (c.vr(rn), c.vr(rm));
            let mut r = 0u128;
            for i in 0..bytes {
                let j = i + index as usize;
                let x = if j < bytes { lane(a, 0, j) } else { lane(b, 0, j - bytes) };
                set_lane(&mut r, 0, i, x);
            }
            c.set_vq(rd, q, r);
        }
        Inst::Tbl { q, tbx, len, rd, rn, rm } => {
            let idx = c.vr(rm);
            let d = c.vr(rd);
            let table: Vec<u128> = (0..len).map(|i| c.vr(VReg((rn.0 + i) % 32))).collect();
            let mut r = 0u128;
            for i in 0..if q { 16 } else { 8 } {
                let k = lane(idx, 0, i) as usize;
                let x = if k < 16 * len as usize { lane(table[k / 16], 0, k % 16) } else if tbx { lane(d, 0, i) } else { 0 };
                set_lane(&mut r, 0, i, x);
            }
            c.set_vq(rd, q, r);
        }
        Inst::Aes { op, rd, rn } => {
            let r = crate::crypto::aes(op, c.vr(rd), c.vr(rn));
            c.set_v(rd, r);
        }
        Inst::Sha { op, rd, rn, rm } => {
            let r = crate::crypto::sha(op, c.vr(rd), c.vr(rn), c.vr(rm));
            c.set_v(rd, r);
        }
        Inst::VLdSt { load, q, size, nreg, interleave, rt, rn, post } => {
            let base = c.xsp(rn);
            let ebytes = 1u64 << size;
            let per_reg = if q { 16 } else { 8 };
            let total = per_reg * nreg as u64;
            if interleave == 1 {
                for k in 0..nreg {
                    let a = base.wrapping_add(k as u64 * per_reg);
                    let t = VReg((rt.0 + k) % 32);
                    if load {
                        let v = tr!(c, c.load_v(a, per_reg as u8));
                        c.set_v(t, v);
                    } else {
                        tr!(c, c.store_v(a, per_reg as u8, c.vr(t)));
                    }
                }
            } else {
                let n = lanes(q, size);
                let mut regs: Vec<u128> = (0..nreg).map(|k| c.vr(VReg((rt.0 + k) % 32))).collect();
                for e in 0..n {
                    for (k, reg) in regs.iter_mut().enumerate() {
                        let a = base.wrapping_add((e as u64 * nreg as u64 + k as u64) * ebytes);
                        if load {
                            let v = tr!(c, c.load(a, ebytes as u8));
                            set_lane(reg, size, e, v);
                        } else {
                            tr!(c, c.store(a, ebytes as u8, lane(*reg, size, e)));
                        }
                    }
                }
                if load {
                    for (k, reg) in regs.into_iter().enumerate() {
                        c.set_vq(VReg((rt.0 + k as u8) % 32), q, reg);
                    }
                }
            }
            post_index(c, rn, post, total);
        }
        Inst::VLd1r { q, size, nreg, rt, rn, post } => {
            let ebytes = 1u8 << size;
            let a = c.xsp(rn);
            // Every element is read before any register is written (a fault leaves them).
            let mut xs = [0u64; 4];
            for (k, x) in xs.iter_mut().enumerate().take(nreg as usize) {
                *x = tr!(c, c.load(a.wrapping_add(k as u64 * ebytes as u64), ebytes));
            }
            for (k, &x) in xs.iter().enumerate().take(nreg as usize) {
                let mut r = 0;
                for i in 0..lanes(q, size) {
                    set_lane(&mut r, size, i, x);
                }
                c.set_vq(VReg((rt.0 + k as u8) % 32), q, r);
            }
            post_index(c, rn, post, nreg as u64 * ebytes as u64);
        }
        Inst::VLdStLane { load, size, nreg, index, rt, rn, post } => {
            let ebytes = 1u8 << size;
            let a = c.xsp(rn);
            let reg = |k: usize| VReg((rt.0 + k as u8) % 32);
            if load {
                let mut xs = [0u64; 4];
                for (k, x) in xs.iter_mut().enumerate().take(nreg as usize) {
                    *x = tr!(c, c.load(a.wrapping_add(k as u64 * ebytes as u64), ebytes));
                }
                for (k, &x) in xs.iter().enumerate().take(nreg as usize) {
                    let mut r = c.vr(reg(k));
                    set_lane(&mut r, size, index as usize, x);
                    c.set_v(reg(k), r);
                }
            } else {
                for k in 0..nreg as usize {
                    tr!(c, c.store(a.wrapping_add(k as u64 * ebytes as u64), ebytes, lane(c.vr(reg(k)), size, index as usize)));
                }
            }
            post_index(c, rn, post, nreg as u64 * ebytes as u64);
        }
        Inst::FlagOp { op } => {
            let f = c.s.nzcv >> 28;
            let (n, z, cf, v) = (f & 8 != 0, f & 4 != 0, f & 2 != 0, f & 1 != 0);
            match op {
                FlagOp::Cfinv => c.set_nzcv(n, z, !cf, v),
                // Arm's floating-point condition flags to and from an external format.
                FlagOp::Xaflag => c.set_nzcv(!cf && !z, z && cf, cf || z, !cf && z),
                FlagOp::Axflag => c.set_nzcv(false, z || v, cf && !v, false),
            }
        }
        Inst::Rmif { rn, shift, mask } => {
            let t = c.xz(rn).rotate_right(shift as u32);
            let m = (mask as u64) << 28;
            c.s.nzcv = (c.s.nzcv & !m) | ((t << 28) & m);
        }
        Inst::Setf { sixteen, rn } => {
            let x = c.xz(rn);
            let b = if sixteen { 16 } else { 8 };
            let (n, top) = (x >> (b - 1) & 1 != 0, x >> b & 1 != 0);
            let z = x & ((1 << b) - 1) == 0;
            let cf = c.s.nzcv >> 29 & 1 != 0;
            c.set_nzcv(n, z, cf, n != top);
        }
        _ => {
            if !crate::advsimd::exec_scalar(c, inst) {
                return illegal(c);
            }
        }
    }
    Flow::Next
}
