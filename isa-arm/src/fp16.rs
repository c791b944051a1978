//! Half precision: conversions between half and single/double precision (FCVT, FCVTN,
//! FCVTL), rounded in software so the result and the FPSR flags are exact in every
//! rounding mode (tininess detected before rounding, as Arm does). FPCR.AHP (the
//! alternative half-precision format) is not modelled: IEEE half precision is used.

use crate::advsimd::{cvt_d_to_s, fz_in, widen_fp, DN, FZ, IDC};
use crate::insn::FTy;
use crate::interp::Ctx;
use crate::simd::{f16_to_f32, IOC, IXC, OFC, UFC};

/// Rounds `(-1)^neg * m * 2^e` (m nonzero) to half precision in the FPCR rounding mode,
/// accruing IXC, UFC and OFC.
fn round_half(c: &mut Ctx, neg: bool, m: u64, e: i32) -> u16 {
    let l = m.leading_zeros();
    let m = (m as u128) << l;
    let e = e - l as i32;
    // value = m * 2^e with m in [2^63, 2^64): the leading bit's exponent is e + 63.
    let lead = e + 63;
    let ulp = lead.max(-14) - 10;
    let shift = ((ulp - e) as u32).min(127);
    let q = m >> shift;
    let rem = m & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    let inexact = rem != 0;
    let up = match (c.s.fpcr >> 22) & 3 {
        0 => rem > half || (rem == half && q & 1 == 1),
        1 => inexact && !neg,
        2 => inexact && neg,
        _ => false,
    };
    let q = (q + up as u128) as u32;
    // Normal: the implicit bit in q carries into the exponent field.
    let mut bits = if lead >= -14 { (((lead + 14) as u32) << 10) + q } else { q };
    if inexact {
        c.s.fpsr |= IXC;
        if lead < -14 {
            c.s.fpsr |= UFC;
        }
    }
    if bits >= 0x7c00 {
        c.s.fpsr |= OFC | IXC;
        let to_inf = match (c.s.fpcr >> 22) & 3 {
            0 => true,
            1 => !neg,
            2 => neg,
            _ => false,
        };
        bits = if to_inf { 0x7c00 } else { 0x7bff };
    }
    ((neg as u16) << 15) | bits as u16
}

/// Single (`double` false) or double precision bits to half precision.
pub(crate) fn to_half(c: &mut Ctx, bits: u64, double: bool) -> u16 {
    let (fb, eb) = if double { (52u32, 11u32) } else { (23, 8) };
    let neg = (bits >> (fb + eb)) & 1 != 0;
    let exp = (bits >> fb) & ((1 << eb) - 1);
    let frac = bits & ((1 << fb) - 1);
    let bias = (1i32 << (eb - 1)) - 1;
    let s = (neg as u16) << 15;
    if exp == (1 << eb) - 1 {
        if frac == 0 {
            return s | 0x7c00;
        }
        if frac >> (fb - 1) == 0 {
            c.s.fpsr |= IOC;
        }
        if c.s.fpcr & DN != 0 {
            return 0x7e00;
        }
        return s | 0x7e00 | ((frac >> (fb - 10)) & 0x1ff) as u16;
    }
    if exp == 0 {
        if frac != 0 && c.s.fpcr & FZ != 0 {
            c.s.fpsr |= IDC;
            return s;
        }
        if frac == 0 {
            return s;
        }
        return round_half(c, neg, frac, 1 - bias - fb as i32);
    }
    round_half(c, neg, frac | 1 << fb, exp as i32 - bias - fb as i32)
}

/// Half precision to single (`double` false) or double precision bits (exact).
pub(crate) fn from_half(c: &mut Ctx, h: u16, double: bool) -> u64 {
    let neg = (h >> 15) as u64;
    let frac = (h & 0x3ff) as u64;
    if h & 0x7c00 == 0x7c00 && frac != 0 {
        if frac & 0x200 == 0 {
            c.s.fpsr |= IOC;
        }
        let dn = c.s.fpcr & DN != 0;
        return match (double, dn) {
            (false, true) => 0x7fc0_0000,
            (true, true) => 0x7ff8_0000_0000_0000,
            (false, false) => neg << 31 | 0x7fc0_0000 | (frac & 0x1ff) << 13,
            (true, false) => neg << 63 | 0x7ff8_0000_0000_0000 | (frac & 0x1ff) << 42,
        };
    }
    let f = f16_to_f32(h);
    if double {
        (f as f64).to_bits()
    } else {
        f.to_bits() as u64
    }
}

/// FCVT between any two of half, single and double precision.
pub(crate) fn fcvt(c: &mut Ctx, from: FTy, to: FTy, bits: u64) -> u64 {
    match (from, to) {
        (FTy::H, _) => from_half(c, bits as u16, to == FTy::D),
        (_, FTy::H) => to_half(c, bits, from == FTy::D) as u64,
        (FTy::S, _) => widen_fp(c, 2, bits),
        _ => {
            let x = fz_in(c, f64::from_bits(bits));
            cvt_d_to_s(c, x, false).to_bits() as u64
        }
    }
}
