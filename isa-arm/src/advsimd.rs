//! AdvSIMD element semantics: every element-wise operation of the vector instructions and
//! their scalar twins, with FPSR effects (QC for saturation, the IEEE flags of FP
//! operations in the guest's rounding mode), plus the two-register-misc and
//! shift-by-immediate instructions as a whole and the scalar instruction forms.
//!
//! An operation on one element is the same function whether it runs in a vector lane or
//! as a scalar instruction, so the scalar forms cannot drift from the vector ones. FP
//! elements go through the scalar FP paths of `simd.rs` (rounding mode, NaN rules, flags).

use crate::fp16;
use crate::insn::*;
use crate::interp::Ctx;
use crate::simd::*;

/// Saturates `v` to the signed (or unsigned) range of `bits` bits: the value (masked to
/// `bits`) and whether it saturated.
pub(crate) fn sat(v: i128, bits: u32, unsigned: bool) -> (u64, bool) {
    let (lo, hi) = if unsigned { (0, (1i128 << bits) - 1) } else { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) };
    let m = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    (v.clamp(lo, hi) as u64 & m, v < lo || v > hi)
}

/// [`sat`], accruing FPSR.QC.
fn satq(c: &mut Ctx, v: i128, bits: u32, unsigned: bool) -> u64 {
    let (r, s) = sat(v, bits, unsigned);
    if s {
        c.s.fpsr |= QC;
    }
    r
}

/// Carry-less multiplication.
pub(crate) fn clmul(a: u64, b: u64) -> u128 {
    let mut r = 0u128;
    for i in 0..64 {
        if (b >> i) & 1 != 0 {
            r ^= (a as u128) << i;
        }
    }
    r
}

/// Shift by a signed register amount (the low byte of `b`): negative shifts right, with
/// rounding if asked, then saturate or truncate to the element.
fn shl_reg(c: &mut Ctx, size: u8, a: u64, b: u64, unsigned: bool, round: bool, saturate: bool) -> u64 {
    let bits = 8u32 << size;
    let sh = b as u8 as i8 as i32;
    let v: i128 = if unsigned { a as i128 } else { sext(a, size) as i128 };
    let r: i128 = if sh >= 0 {
        if sh as u32 >= bits {
            // Everything is shifted out; only saturation can tell a nonzero value apart.
            if saturate {
                v.signum() << 100
            } else {
                0
            }
        } else {
            v << sh
        }
    } else {
        // Right shifts beyond 65 give the same result as 65 for 64-bit values.
        let s = (-sh).min(65) as u32;
        let rc = if round { 1i128 << (s - 1) } else { 0 };
        (v + rc) >> s
    };
    if saturate {
        satq(c, r, bits, unsigned)
    } else {
        r as u64 & emask(size)
    }
}

/// Saturating doubling multiply high (rounding for SQRDMULH).
fn sqdmulh(c: &mut Ctx, size: u8, a: u64, b: u64, round: bool) -> u64 {
    let bits = 8u32 << size;
    let p = 2 * sext(a, size) as i128 * sext(b, size) as i128 + if round { 1i128 << (bits - 1) } else { 0 };
    satq(c, p >> bits, bits, false)
}

/// Saturating doubling multiply long of two `size` elements, with accumulate (`acc`:
/// Some(+1) add, Some(-1) subtract) into the double-width `d`.
fn sqdmull(c: &mut Ctx, size: u8, a: u64, b: u64, d: u64, acc: i32) -> u64 {
    let wide = 16u32 << size;
    let p = satq(c, 2 * sext(a, size) as i128 * sext(b, size) as i128, wide, false);
    if acc == 0 {
        return p;
    }
    let p = sext(p, size + 1) as i128;
    let d = sext(d, size + 1) as i128;
    satq(c, if acc > 0 { d + p } else { d - p }, wide, false)
}

/// One element of a three-same operation (integer or FP), `a` from Rn, `b` from Rm, `d`
/// the destination's old element.
pub(crate) fn elem3(c: &mut Ctx, op: VOp3, size: u8, a: u64, b: u64, d: u64) -> u64 {
    let (sa, sb) = (sext(a, size) as i128, sext(b, size) as i128);
    let m = emask(size);
    let bits = 8u32 << size;
    match op {
        VOp3::Shadd => ((sa + sb) >> 1) as u64 & m,
        VOp3::Uhadd => ((a as u128 + b as u128) >> 1) as u64,
        VOp3::Srhadd => ((sa + sb + 1) >> 1) as u64 & m,
        VOp3::Urhadd => ((a as u128 + b as u128 + 1) >> 1) as u64,
        VOp3::Shsub => ((sa - sb) >> 1) as u64 & m,
        VOp3::Uhsub => ((a as i128 - b as i128) >> 1) as u64 & m,
        VOp3::Saba => d.wrapping_add(sa.abs_diff(sb) as u64) & m,
        VOp3::Uaba => d.wrapping_add(a.abs_diff(b)) & m,
        VOp3::Sqshl => shl_reg(c, size, a, b, false, false, true),
        VOp3::Uqshl => shl_reg(c, size, a, b, true, false, true),
        VOp3::Srshl => shl_reg(c, size, a, b, false, true, false),
        VOp3::Urshl => shl_reg(c, size, a, b, true, true, false),
        VOp3::Sqrshl => shl_reg(c, size, a, b, false, true, true),
        VOp3::Uqrshl => shl_reg(c, size, a, b, true, true, true),
        VOp3::Sqdmulh => sqdmulh(c, size, a, b, false),
        VOp3::Sqrdmulh => sqdmulh(c, size, a, b, true),
        VOp3::Pmul => clmul(a & 0xff, b & 0xff) as u64 & 0xff,
        VOp3::Uqadd | VOp3::Uqsub | VOp3::Sqadd | VOp3::Sqsub => {
            let (x, unsigned) = match op {
                VOp3::Uqadd => (a as i128 + b as i128, true),
                VOp3::Uqsub => (a as i128 - b as i128, true),
                VOp3::Sqadd => (sa + sb, false),
                _ => (sa - sb, false),
            };
            satq(c, x, bits, unsigned)
        }
        VOp3::Fadd
        | VOp3::Fsub
        | VOp3::Fmul
        | VOp3::Fdiv
        | VOp3::Fmax
        | VOp3::Fmin
        | VOp3::Fmaxnm
        | VOp3::Fminnm
        | VOp3::Fmaxp
        | VOp3::Fminp
        | VOp3::Fmaxnmp
        | VOp3::Fminnmp
        | VOp3::Faddp
        | VOp3::Fabd
        | VOp3::Fmulx
        | VOp3::Fmla
        | VOp3::Fmls
        | VOp3::Frecps
        | VOp3::Frsqrts
        | VOp3::Fcmeq
        | VOp3::Fcmge
        | VOp3::Fcmgt
        | VOp3::Facge
        | VOp3::Facgt => {
            if size == 2 {
                fp3::<f32>(c, op, a, b, d)
            } else {
                fp3::<f64>(c, op, a, b, d)
            }
        }
        _ => crate::simd::v3_lane(op, size, a, b, d) & m,
    }
}

fn fp3<F: Float>(c: &mut Ctx, op: VOp3, a: u64, b: u64, d: u64) -> u64 {
    let (x, y, acc) = (F::from_u64(a), F::from_u64(b), F::from_u64(d));
    let (x, y) = (fz_in(c, x), fz_in(c, y));
    let ones = u64::MAX >> (64 - F::BITS);
    let mut two = |op| scalar_op2(c, op, x, y);
    let r: F = match op {
        VOp3::Fadd | VOp3::Faddp => two(FOp2::Add),
        VOp3::Fsub => two(FOp2::Sub),
        VOp3::Fmul => two(FOp2::Mul),
        VOp3::Fdiv => two(FOp2::Div),
        VOp3::Fmax | VOp3::Fmaxp => two(FOp2::Max),
        VOp3::Fmin | VOp3::Fminp => two(FOp2::Min),
        VOp3::Fmaxnm | VOp3::Fmaxnmp => two(FOp2::MaxNm),
        VOp3::Fminnm | VOp3::Fminnmp => two(FOp2::MinNm),
        // FPAbs of the difference: a NaN result loses its sign too.
        VOp3::Fabd => return two(FOp2::Sub).bits() & (ones >> 1),
        VOp3::Fmulx => {
            if !x.is_nan() && !y.is_nan() && (x.is_inf() && y.is_zero() || x.is_zero() && y.is_inf()) {
                let two = F::from_f64(2.0);
                if x.is_neg() != y.is_neg() {
                    -two
                } else {
                    two
                }
            } else {
                two(FOp2::Mul)
            }
        }
        VOp3::Fmla | VOp3::Fmls => {
            let acc = fz_in(c, acc);
            scalar_fma(c, if op == VOp3::Fmla { FmaOp::Madd } else { FmaOp::Msub }, acc, x, y)
        }
        VOp3::Frecps | VOp3::Frsqrts => step(c, x, y, op == VOp3::Frsqrts),
        _ => {
            let (x, y) = if matches!(op, VOp3::Facge | VOp3::Facgt) { (x.abs(), y.abs()) } else { (x, y) };
            snan_check(c, &[x, y], op != VOp3::Fcmeq);
            let t = match op {
                VOp3::Fcmeq => x == y,
                VOp3::Fcmge | VOp3::Facge => x >= y,
                _ => x > y,
            };
            return if t { ones } else { 0 };
        }
    };
    r.bits()
}

/// FPCR.FZ set: a subnormal input is replaced by a zero of its sign (FPSR.IDC).
pub(crate) fn fz_in<F: Float>(c: &mut Ctx, x: F) -> F {
    if c.s.fpcr & FZ != 0 && x.is_subnormal() {
        c.s.fpsr |= IDC;
        return F::from_u64(x.bits() & (1u64 << (F::BITS - 1)));
    }
    x
}

/// FRECPS (2 - a*b) and FRSQRTS ((3 - a*b) / 2), fused, with one rounding.
fn step<F: Float>(c: &mut Ctx, x: F, y: F, sqrt: bool) -> F {
    // The first operand is negated before NaN propagation (FPRecipStepFused).
    let x = -x;
    snan_check(c, &[x, y], false);
    if let Some(n) = nan2(x, y) {
        return nan_result(c, n);
    }
    if x.is_inf() && y.is_zero() || x.is_zero() && y.is_inf() {
        return F::from_f64(if sqrt { 1.5 } else { 2.0 });
    }
    let before = c.s.fpsr;
    c.s.fpsr = 0;
    let r = host_fp(c, || {
        let (x, y) = std::hint::black_box((x, y));
        if !sqrt {
            return x.mul_add(y, F::from_f64(2.0));
        }
        // Halve exactly before the single rounding: an operand far from the subnormal
        // range halves exactly; with both tiny the product cannot affect 1.5's rounding
        // beyond what the final halving (exact) preserves.
        let big = F::from_f64(1e-30);
        let half = F::from_f64(0.5);
        if x.abs() >= big {
            (x * half).mul_add(y, F::from_f64(1.5))
        } else if y.abs() >= big {
            x.mul_add(y * half, F::from_f64(1.5))
        } else {
            x.mul_add(y, F::from_f64(3.0)) * half
        }
    });
    let r = fz_out(c, r);
    c.s.fpsr |= before;
    r
}

/// FPCR.FZ set: a result that was tiny before rounding (subnormal, or flagged as
/// underflowing by this operation, whose flags alone are in FPSR) becomes a zero of its
/// sign, with UFC and without IXC.
pub(crate) fn fz_out<F: Float>(c: &mut Ctx, r: F) -> F {
    if c.s.fpcr & FZ != 0 && (r.is_subnormal() || c.s.fpsr & UFC != 0) {
        c.s.fpsr = (c.s.fpsr & !IXC) | UFC;
        return F::from_u64(r.bits() & (1u64 << (F::BITS - 1)));
    }
    r
}

/// FPCR.FZ (flush-to-zero for single and double precision).
pub(crate) const FZ: u64 = 1 << 24;
/// FPCR.DN (default NaN).
pub(crate) const DN: u64 = 1 << 25;
/// FPSR.IDC (input denormal flushed).
pub(crate) const IDC: u64 = 1 << 7;

/// RecipEstimate: `a` in 256..512 (a 9-bit fixed-point operand in [0.5, 1)), result in
/// 256..512.
fn recip_estimate(a: u64) -> u64 {
    let a = a * 2 + 1;
    let b = (1u64 << 19) / a;
    b.div_ceil(2)
}

/// RecipSqrtEstimate: `a` in 128..512, result in 256..512.
fn recip_sqrt_estimate(a: u64) -> u64 {
    let a = if a < 256 { a * 2 + 1 } else { ((a >> 1) << 1) * 2 + 2 };
    // The largest b with a * b^2 < 2^28, starting from 512 (the result is at least that).
    let mut b = 512u64;
    while a * (b + 1) * (b + 1) < (1 << 28) {
        b += 1;
    }
    b.div_ceil(2)
}

struct Fmt {
    fbits: u32,
    bias: i64,
    emax: u64,
}
fn fmt<F: Float>() -> Fmt {
    if F::BITS == 32 {
        Fmt { fbits: 23, bias: 127, emax: 255 }
    } else {
        Fmt { fbits: 52, bias: 1023, emax: 2047 }
    }
}

fn frecpe<F: Float>(c: &mut Ctx, x: F) -> F {
    let f = fmt::<F>();
    let x = fz_in(c, x);
    let bits = x.bits();
    let sign = bits >> (F::BITS - 1) << (F::BITS - 1);
    if x.is_nan() {
        snan_check(c, &[x], false);
        return nan_result(c, x.quiet());
    }
    let inf = sign | f.emax << f.fbits;
    if x.is_inf() {
        return F::from_u64(sign);
    }
    if x.is_zero() {
        c.s.fpsr |= DZC;
        return F::from_u64(inf);
    }
    let exp = (bits >> f.fbits) & f.emax;
    let frac = bits & ((1u64 << f.fbits) - 1);
    if exp == 0 && frac >> (f.fbits - 2) == 0 {
        // |x| < 2^-(bias+1): the reciprocal overflows.
        c.s.fpsr |= OFC | IXC;
        let neg = sign != 0;
        let to_inf = match (c.s.fpcr >> 22) & 3 {
            0 => true,
            1 => !neg,
            2 => neg,
            _ => false,
        };
        return F::from_u64(if to_inf { inf } else { inf - 1 });
    }
    if c.s.fpcr & FZ != 0 && exp as i64 >= 2 * f.bias - 1 {
        c.s.fpsr |= UFC;
        return F::from_u64(sign);
    }
    let mut f52 = frac << (52 - f.fbits);
    let mut e = exp as i64;
    if e == 0 {
        if f52 >> 51 == 0 {
            e = -1;
            f52 = (f52 << 2) & ((1 << 52) - 1);
        } else {
            f52 = (f52 << 1) & ((1 << 52) - 1);
        }
    }
    let est = recip_estimate(256 | f52 >> 44);
    let mut rexp = 2 * f.bias - 1 - e;
    let mut rf = (est & 0xff) << 44;
    if rexp == 0 {
        rf = (1 << 51) | (rf >> 1);
    } else if rexp == -1 {
        rf = (1 << 50) | (rf >> 2);
        rexp = 0;
    }
    F::from_u64(sign | (rexp as u64) << f.fbits | rf >> (52 - f.fbits))
}

fn frsqrte<F: Float>(c: &mut Ctx, x: F) -> F {
    let f = fmt::<F>();
    let x = fz_in(c, x);
    let bits = x.bits();
    let sign = bits >> (F::BITS - 1) << (F::BITS - 1);
    if x.is_nan() {
        snan_check(c, &[x], false);
        return nan_result(c, x.quiet());
    }
    if x.is_zero() {
        c.s.fpsr |= DZC;
        return F::from_u64(sign | f.emax << f.fbits);
    }
    if sign != 0 {
        c.s.fpsr |= IOC;
        return F::default_nan();
    }
    if x.is_inf() {
        return F::from_u64(0);
    }
    let mut e = ((bits >> f.fbits) & f.emax) as i64;
    let mut f52 = (bits & ((1u64 << f.fbits) - 1)) << (52 - f.fbits);
    if e == 0 {
        while f52 >> 51 == 0 {
            f52 <<= 1;
            e -= 1;
        }
        f52 = (f52 << 1) & ((1 << 52) - 1);
    }
    let scaled = if e & 1 == 0 { 256 | f52 >> 44 } else { 128 | f52 >> 45 };
    let rexp = (3 * f.bias - 1 - e) / 2;
    let est = recip_sqrt_estimate(scaled);
    F::from_u64((rexp as u64) << f.fbits | ((est & 0xff) << 44) >> (52 - f.fbits))
}

fn frecpx<F: Float>(c: &mut Ctx, x: F) -> F {
    let f = fmt::<F>();
    let x = fz_in(c, x);
    if x.is_nan() {
        snan_check(c, &[x], false);
        return nan_result(c, x.quiet());
    }
    let bits = x.bits();
    let sign = bits >> (F::BITS - 1) << (F::BITS - 1);
    let exp = (bits >> f.fbits) & f.emax;
    let e = if exp == 0 { f.emax - 1 } else { !exp & f.emax };
    F::from_u64(sign | e << f.fbits)
}

/// Integer to FP of one element (`size` 2 or 3), divided by 2^fbits with one rounding.
fn int_to_fp(c: &mut Ctx, size: u8, x: u64, signed: bool, fbits: u32) -> u64 {
    host_fp(c, || {
        let x = std::hint::black_box(x);
        if size == 2 {
            // 32-bit integers are exact in f64, and so is the scaling.
            let v = if signed { x as i32 as f64 } else { x as u32 as f64 };
            ((std::hint::black_box(v) / (1u64 << fbits) as f64) as f32).to_bits() as u64
        } else {
            // One rounding to f64, then an exact scaling (the result stays normal).
            let v = if signed { x as i64 as f64 } else { u64_to_f64(x) };
            (v / 2f64.powi(fbits as i32)).to_bits()
        }
    })
}

/// FP to integer of one element with rounding `r`, times 2^fbits first (exact in f64).
fn fp_to_int_elem(c: &mut Ctx, size: u8, x: u64, r: Round, signed: bool, fbits: u32) -> u64 {
    let v = if size == 2 { fz_in(c, f32::from_bits(x as u32)) as f64 } else { fz_in(c, f64::from_bits(x)) };
    fp_to_int(c, v * 2f64.powi(fbits as i32), round_mode(c, r), signed, size == 3)
}

/// One element of a two-register-misc operation that is not narrowing or pairwise.
pub(crate) fn elem2(c: &mut Ctx, op: VOp2, size: u8, a: u64, d: u64) -> u64 {
    let bits = 8u32 << size;
    let sa = sext(a, size) as i128;
    let m = emask(size);
    macro_rules! fp {
        ($f:ident) => {
            if size == 2 {
                $f::<f32>(c, f32::from_bits(a as u32)).to_bits() as u64
            } else {
                $f::<f64>(c, f64::from_bits(a)).to_bits()
            }
        };
    }
    let all = |b: bool| if b { m } else { 0 };
    let sx = sa as i64;
    match op {
        VOp2::Cnt => a.count_ones() as u64,
        VOp2::Rbit => (a as u8).reverse_bits() as u64,
        VOp2::Cmeq0 => all(a == 0),
        VOp2::Cmge0 => all(sx >= 0),
        VOp2::Cmgt0 => all(sx > 0),
        VOp2::Cmle0 => all(sx <= 0),
        VOp2::Cmlt0 => all(sx < 0),
        VOp2::Abs => sx.wrapping_abs() as u64 & m,
        VOp2::Neg => sx.wrapping_neg() as u64 & m,
        VOp2::Clz => (a.leading_zeros() - (64 - bits)) as u64,
        // Leading sign bits of the 64-bit sign extension, less the extension's.
        VOp2::Cls => (((sx ^ (sx << 1)) | 1).leading_zeros() - (64 - bits)) as u64,
        VOp2::Fabs => a & !(1 << (bits - 1)),
        VOp2::Fneg => a ^ (1 << (bits - 1)),
        VOp2::Sqabs => satq(c, sa.abs(), bits, false),
        VOp2::Sqneg => satq(c, -sa, bits, false),
        VOp2::Suqadd => satq(c, sext(d, size) as i128 + a as i128, bits, false),
        VOp2::Usqadd => satq(c, d as i128 + sa, bits, true),
        VOp2::Frint(r) => {
            if size == 2 {
                let x = fz_in(c, f32::from_bits(a as u32));
                scalar_op1(c, FOp1::Rint(r), x).to_bits() as u64
            } else {
                let x = fz_in(c, f64::from_bits(a));
                scalar_op1(c, FOp1::Rint(r), x).to_bits()
            }
        }
        VOp2::Fsqrt => {
            if size == 2 {
                let x = fz_in(c, f32::from_bits(a as u32));
                scalar_op1(c, FOp1::Sqrt, x).to_bits() as u64
            } else {
                let x = fz_in(c, f64::from_bits(a));
                scalar_op1(c, FOp1::Sqrt, x).to_bits()
            }
        }
        VOp2::Fcvt { round, signed } => fp_to_int_elem(c, size, a, round, signed, 0),
        VOp2::Fcvtzs | VOp2::Fcvtzu => fp_to_int_elem(c, size, a, Round::Zero, op == VOp2::Fcvtzs, 0),
        VOp2::Scvtf | VOp2::Ucvtf => int_to_fp(c, size, a, op == VOp2::Scvtf, 0),
        VOp2::Frecpe => fp!(frecpe),
        VOp2::Frsqrte => fp!(frsqrte),
        VOp2::Frecpx => fp!(frecpx),
        VOp2::Urecpe => {
            if a & (1 << 31) == 0 {
                0xffff_ffff
            } else {
                recip_estimate((a >> 23) & 0x1ff) << 23
            }
        }
        VOp2::Ursqrte => {
            if a >> 30 & 3 == 0 {
                0xffff_ffff
            } else {
                recip_sqrt_estimate((a >> 23) & 0x1ff) << 23
            }
        }
        VOp2::Fcmeq0 | VOp2::Fcmge0 | VOp2::Fcmgt0 | VOp2::Fcmle0 | VOp2::Fcmlt0 => {
            let t = if size == 2 { fcmp0::<f32>(c, op, a) } else { fcmp0::<f64>(c, op, a) };
            if t {
                m
            } else {
                0
            }
        }
        _ => 0,
    }
}

fn fcmp0<F: Float>(c: &mut Ctx, op: VOp2, a: u64) -> bool {
    let x = fz_in(c, F::from_u64(a));
    snan_check(c, &[x], op != VOp2::Fcmeq0);
    let z = F::from_u64(0);
    match op {
        VOp2::Fcmeq0 => x == z,
        VOp2::Fcmge0 => x >= z,
        VOp2::Fcmgt0 => x > z,
        VOp2::Fcmle0 => x <= z,
        _ => x < z,
    }
}

/// One narrowing element: `x` of size+1 to `size` (XTN, the saturating narrows, FCVTN,
/// FCVTXN).
pub(crate) fn narrow_elem(c: &mut Ctx, op: VOp2, size: u8, x: u64) -> u64 {
    let bits = 8u32 << size;
    match op {
        VOp2::Sqxtn => satq(c, sext(x, size + 1) as i128, bits, false),
        VOp2::Uqxtn => satq(c, x as i128, bits, true),
        VOp2::Sqxtun => satq(c, sext(x, size + 1) as i128, bits, true),
        VOp2::Fcvtn if size == 1 => fp16::to_half(c, x, false) as u64,
        VOp2::Fcvtn | VOp2::Fcvtxn => {
            let v = fz_in(c, f64::from_bits(x));
            cvt_d_to_s(c, v, op == VOp2::Fcvtxn).to_bits() as u64
        }
        _ => x & emask(size),
    }
}

/// Double to single precision in the FPCR rounding mode (or round-to-odd for FCVTXN),
/// with underflow detected before rounding as Arm does.
pub(crate) fn cvt_d_to_s(c: &mut Ctx, x: f64, odd: bool) -> f32 {
    if x.is_nan() {
        snan_check(c, &[x], false);
        let q = f32::from_bits(((x.to_bits() >> 63) as u32) << 31 | 0x7fc0_0000 | ((x.to_bits() >> 29) as u32 & 0x3f_ffff));
        return nan_result(c, q);
    }
    let before = c.s.fpsr;
    c.s.fpsr = 0;
    let mode = if odd { 3 } else { ((c.s.fpcr >> 22) & 3) as u32 };
    let mut r = host_fp_mode(c, mode, || std::hint::black_box(x) as f32);
    if odd && c.s.fpsr & IXC != 0 {
        r = f32::from_bits(r.to_bits() | 1);
    }
    // The host reports tininess after rounding: a value rounded up to the smallest normal
    // was still tiny for Arm.
    if c.s.fpsr & IXC != 0 && r.abs() == f32::MIN_POSITIVE && x.abs() < f32::MIN_POSITIVE as f64 {
        c.s.fpsr |= UFC;
    }
    if c.s.fpcr & FZ != 0 && (r.is_subnormal() || c.s.fpsr & UFC != 0) && (x.abs() < f32::MIN_POSITIVE as f64) {
        c.s.fpsr &= !(UFC | IXC);
        c.s.fpsr |= UFC;
        r = f32::from_bits(r.to_bits() & 0x8000_0000);
    }
    c.s.fpsr |= before;
    r
}

/// FCVTL element: half to single (`size` 1) or single to double (`size` 2).
pub(crate) fn widen_fp(c: &mut Ctx, size: u8, x: u64) -> u64 {
    if size == 1 {
        fp16::from_half(c, x as u16, false)
    } else {
        let v = fz_in(c, f32::from_bits(x as u32));
        if v.is_nan() {
            snan_check(c, &[v], false);
            let b = v.to_bits() as u64;
            let q = (b >> 31) << 63 | 0x7ff8_0000_0000_0000 | (b & 0x3f_ffff) << 29;
            return nan_result(c, f64::from_bits(q)).to_bits();
        }
        (v as f64).to_bits()
    }
}

/// Two-register misc on vectors (and, through the same element functions, scalars).
pub(crate) fn v2(c: &mut Ctx, op: VOp2, q: bool, size: u8, rd: VReg, rn: VReg) {
    let a = c.vr(rn);
    let d = c.vr(rd);
    let n = lanes(q, size);
    let mut r: u128 = 0;
    match op {
        VOp2::Not => r = !a,
        VOp2::Xtn | VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun | VOp2::Fcvtn | VOp2::Fcvtxn => {
            // Narrow each 2^(size+1)-byte element to 2^size bytes; the `2` forms (q) write
            // the top half.
            let cnt = 8 >> size;
            let mut out = if q { d as u64 as u128 } else { 0 };
            for i in 0..cnt {
                let y = narrow_elem(c, op, size, lane(a, size + 1, i));
                set_lane(&mut out, size, i + if q { cnt } else { 0 }, y);
            }
            c.set_v(rd, out);
            return;
        }
        VOp2::Fcvtl => {
            let cnt = 8 >> size;
            let off = if q { cnt } else { 0 };
            for i in 0..cnt {
                set_lane(&mut r, size + 1, i, widen_fp(c, size, lane(a, size, i + off)));
            }
            c.set_v(rd, r);
            return;
        }
        VOp2::Shll => {
            let cnt = 8 >> size;
            let off = if q { cnt } else { 0 };
            for i in 0..cnt {
                set_lane(&mut r, size + 1, i, lane(a, size, i + off) << (8 << size));
            }
            c.set_v(rd, r);
            return;
        }
        VOp2::Uaddlp | VOp2::Saddlp | VOp2::Uadalp | VOp2::Sadalp => {
            let signed = matches!(op, VOp2::Saddlp | VOp2::Sadalp);
            let acc = matches!(op, VOp2::Uadalp | VOp2::Sadalp);
            for i in 0..n / 2 {
                let (x, y) = (lane(a, size, 2 * i), lane(a, size, 2 * i + 1));
                let s = if signed { (sext(x, size) + sext(y, size)) as u64 } else { x + y };
                let s = if acc { s.wrapping_add(lane(d, size + 1, i)) } else { s };
                set_lane(&mut r, size + 1, i, s);
            }
        }
        _ => {
            for i in 0..n {
                let x = lane(a, size, i);
                let y = match op {
                    VOp2::Rev16 | VOp2::Rev32 | VOp2::Rev64 => {
                        // Reverse elements within each 16/32/64-bit container.
                        let cbytes = match op {
                            VOp2::Rev16 => 2,
                            VOp2::Rev32 => 4,
                            _ => 8,
                        };
                        let per = cbytes >> size;
                        let j = (i / per) * per + (per - 1 - i % per);
                        lane(a, size, j)
                    }
                    _ => elem2(c, op, size, x, lane(d, size, i)),
                };
                set_lane(&mut r, size, i, y);
            }
        }
    }
    c.set_vq(rd, q, r);
}

/// One element of a non-narrowing shift by immediate (`size` the element).
pub(crate) fn shift_elem(c: &mut Ctx, op: VShiftOp, size: u8, sh: u32, x: u64, d: u64) -> u64 {
    let bits = 8u32 << size;
    let m = emask(size);
    match op {
        VShiftOp::Srshr | VShiftOp::Urshr | VShiftOp::Srsra | VShiftOp::Ursra => {
            let v: i128 = if matches!(op, VShiftOp::Srshr | VShiftOp::Srsra) { sext(x, size) as i128 } else { x as i128 };
            let r = ((v + (1i128 << (sh - 1))) >> sh) as u64;
            if matches!(op, VShiftOp::Srsra | VShiftOp::Ursra) {
                d.wrapping_add(r) & m
            } else {
                r & m
            }
        }
        VShiftOp::Sqshl | VShiftOp::Uqshl | VShiftOp::Sqshlu => {
            let v: i128 = if op == VShiftOp::Uqshl { x as i128 } else { sext(x, size) as i128 };
            satq(c, v << sh, bits, op != VShiftOp::Sqshl)
        }
        VShiftOp::Shl => (x << sh) & m,
        VShiftOp::Ushr => {
            if sh >= bits {
                0
            } else {
                x >> sh
            }
        }
        VShiftOp::Sshr => (sext(x, size) >> sh.min(63)) as u64 & m,
        VShiftOp::Usra => d.wrapping_add(if sh >= bits { 0 } else { x >> sh }) & m,
        VShiftOp::Ssra => d.wrapping_add((sext(x, size) >> sh.min(63)) as u64) & m,
        VShiftOp::Sli => {
            let keep = if sh >= 64 { u64::MAX } else { (1u64 << sh) - 1 };
            (d & keep) | ((x << sh) & m)
        }
        VShiftOp::Sri => {
            if sh >= bits {
                d
            } else {
                let keep = !(m >> sh) & m;
                (d & keep) | (x >> sh)
            }
        }
        VShiftOp::Scvtf | VShiftOp::Ucvtf => int_to_fp(c, size, x, op == VShiftOp::Scvtf, sh),
        VShiftOp::Fcvtzs | VShiftOp::Fcvtzu => fp_to_int_elem(c, size, x, Round::Zero, op == VShiftOp::Fcvtzs, sh),
        _ => 0,
    }
}

/// One narrowing shift element: `x` of the wide `size`, result of size - 1.
pub(crate) fn shift_narrow_elem(c: &mut Ctx, op: VShiftOp, size: u8, sh: u32, x: u64) -> u64 {
    let signed_src = matches!(op, VShiftOp::Sqshrn | VShiftOp::Sqrshrn | VShiftOp::Sqshrun | VShiftOp::Sqrshrun);
    let round = matches!(op, VShiftOp::Rshrn | VShiftOp::Sqrshrn | VShiftOp::Uqrshrn | VShiftOp::Sqrshrun);
    let nbits = 8u32 << (size - 1);
    let v: i128 = if signed_src { sext(x, size) as i128 } else { x as i128 };
    let v = if round { v + (1i128 << (sh - 1)) } else { v };
    let y = v >> sh;
    match op {
        VShiftOp::Sqshrn | VShiftOp::Sqrshrn => satq(c, y, nbits, false),
        VShiftOp::Uqshrn | VShiftOp::Uqrshrn | VShiftOp::Sqshrun | VShiftOp::Sqrshrun => satq(c, y, nbits, true),
        _ => y as u64 & emask(size - 1),
    }
}

pub(crate) fn vshift(c: &mut Ctx, op: VShiftOp, q: bool, size: u8, shift: u8, rd: VReg, rn: VReg) {
    let a = c.vr(rn);
    let d = c.vr(rd);
    let sh = shift as u32;
    let mut r: u128 = 0;
    if op.narrows() {
        let cnt = 8 >> (size - 1);
        let mut out = if q { d as u64 as u128 } else { 0 };
        for i in 0..cnt {
            let y = shift_narrow_elem(c, op, size, sh, lane(a, size, i));
            set_lane(&mut out, size - 1, i + if q { cnt } else { 0 }, y);
        }
        c.set_v(rd, out);
        return;
    }
    if matches!(op, VShiftOp::Ushll | VShiftOp::Sshll) {
        let cnt = 8 >> size;
        let off = if q { cnt } else { 0 };
        for i in 0..cnt {
            let x = lane(a, size, i + off);
            let x = if op == VShiftOp::Sshll { sext(x, size) as u64 } else { x };
            set_lane(&mut r, size + 1, i, x << sh);
        }
        c.set_v(rd, r);
        return;
    }
    for i in 0..lanes(q, size) {
        let y = shift_elem(c, op, size, sh, lane(a, size, i), lane(d, size, i));
        set_lane(&mut r, size, i, y);
    }
    c.set_vq(rd, q, r);
}

/// The three-same op a by-element op performs.
pub(crate) fn elem_op3(op: VElemOp) -> VOp3 {
    match op {
        VElemOp::Mul => VOp3::Mul,
        VElemOp::Mla => VOp3::Mla,
        VElemOp::Mls => VOp3::Mls,
        VElemOp::Fmul => VOp3::Fmul,
        VElemOp::Fmla => VOp3::Fmla,
        VElemOp::Fmls => VOp3::Fmls,
        VElemOp::Fmulx => VOp3::Fmulx,
        VElemOp::Sqdmulh => VOp3::Sqdmulh,
        VElemOp::Sqrdmulh => VOp3::Sqrdmulh,
    }
}

/// One element of a widening (three-different) op: `x`, `y` already widened per the op,
/// `acc` the old wide element. Returns the wide result.
pub(crate) fn long_elem(c: &mut Ctx, op: VLongOp, size: u8, x: u64, y: u64, acc: u64) -> u64 {
    match op {
        VLongOp::Sqdmull => sqdmull(c, size, x, y, acc, 0),
        VLongOp::Sqdmlal => sqdmull(c, size, x, y, acc, 1),
        VLongOp::Sqdmlsl => sqdmull(c, size, x, y, acc, -1),
        _ => 0,
    }
}

/// FMAXV/FMINV/FMAXNMV/FMINNMV on four singles: pairs first, as the Arm ARM's Reduce.
pub(crate) fn fp_reduce(c: &mut Ctx, op: VReduce, a: u128) -> u64 {
    let op2 = match op {
        VReduce::Fmaxv => FOp2::Max,
        VReduce::Fminv => FOp2::Min,
        VReduce::Fmaxnmv => FOp2::MaxNm,
        _ => FOp2::MinNm,
    };
    let e: Vec<f32> = (0..4).map(|i| f32::from_bits(lane(a, 2, i) as u32)).collect();
    let e: Vec<f32> = e.into_iter().map(|x| fz_in(c, x)).collect();
    let lo = scalar_op2(c, op2, e[0], e[1]);
    let hi = scalar_op2(c, op2, e[2], e[3]);
    scalar_op2(c, op2, lo, hi).to_bits() as u64
}

/// The scalar instruction forms (and the fixed-point conversions with general registers).
pub(crate) fn exec_scalar(c: &mut Ctx, inst: &Inst) -> bool {
    let lo = |c: &Ctx, r: VReg, size: u8| lane(c.vr(r), size, 0);
    match *inst {
        Inst::S3 { op, size, rd, rn, rm } => {
            let r = elem3(c, op, size, lo(c, rn, size), lo(c, rm, size), lo(c, rd, size));
            c.set_v(rd, r as u128);
        }
        Inst::S2 { op, size, rd, rn } => {
            let r = if matches!(op, VOp2::Sqxtn | VOp2::Uqxtn | VOp2::Sqxtun | VOp2::Fcvtxn) {
                narrow_elem(c, op, size, lo(c, rn, size + 1))
            } else {
                elem2(c, op, size, lo(c, rn, size), lo(c, rd, size))
            };
            c.set_v(rd, r as u128);
        }
        Inst::SShift { op, size, shift, rd, rn } => {
            let r = if op.narrows() {
                shift_narrow_elem(c, op, size, shift as u32, lo(c, rn, size))
            } else {
                shift_elem(c, op, size, shift as u32, lo(c, rn, size), lo(c, rd, size))
            };
            c.set_v(rd, r as u128);
        }
        Inst::SPair { op, size, rd, rn } => {
            let a = c.vr(rn);
            let r = elem3(c, op, size, lane(a, size, 0), lane(a, size, 1), 0);
            c.set_v(rd, r as u128);
        }
        Inst::SLong { op, size, rd, rn, rm } => {
            let r = long_elem(c, op, size, lo(c, rn, size), lo(c, rm, size), lo(c, rd, size + 1));
            c.set_v(rd, r as u128);
        }
        Inst::SLongElem { op, size, index, rd, rn, rm } => {
            let y = lane(c.vr(rm), size, index as usize);
            let r = long_elem(c, op, size, lo(c, rn, size), y, lo(c, rd, size + 1));
            c.set_v(rd, r as u128);
        }
        Inst::SElem { op, size, index, rd, rn, rm } => {
            let y = lane(c.vr(rm), size, index as usize);
            let r = elem3(c, elem_op3(op), size, lo(c, rn, size), y, lo(c, rd, size));
            c.set_v(rd, r as u128);
        }
        Inst::FixedToFp { signed, sf, ty, fbits, rd, rn } => {
            let x = c.xz(rn);
            let x = if sf { x } else if signed { x as i32 as i64 as u64 } else { x as u32 as u64 };
            let scale = 2f64.powi(-(fbits as i32));
            let r = host_fp(c, || match (ty, std::hint::black_box(x)) {
                (FTy::S, x) if sf => {
                    // One rounding to single, then an exact scaling (the result stays normal).
                    let v = if signed { x as i64 as f32 } else { u64_to_f32(x) };
                    (v * scale as f32).to_bits() as u128
                }
                // A 32-bit integer is exact in f64, and so is its scaling.
                (FTy::S, x) => ((std::hint::black_box(x as i64 as f64) * scale) as f32).to_bits() as u128,
                (_, x) => {
                    let v = if signed { x as i64 as f64 } else { u64_to_f64(x) };
                    (v * scale).to_bits() as u128
                }
            });
            c.set_v(rd, r);
        }
        Inst::FpToFixed { signed, sf, ty, fbits, rd, rn } => {
            let v = match ty {
                FTy::S => fz_in(c, c.fs(rn)) as f64,
                _ => fz_in(c, c.fd(rn)),
            };
            let r = fp_to_int(c, v * 2f64.powi(fbits as i32), Round::Zero, signed, sf);
            c.set_xz(rd, r);
        }
        _ => return false,
    }
    true
}
