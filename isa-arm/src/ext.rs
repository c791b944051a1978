//! The optional AdvSIMD extensions remu implements beyond the base architecture: dot
//! products (FEAT_DotProd, FEAT_I8MM), matrix multiply-accumulate (FEAT_I8MM, FEAT_BF16),
//! the BFloat16 multiply-adds (FEAT_BF16), the half-to-single widening multiply-adds
//! (FEAT_FHM) and complex arithmetic (FEAT_FCMA), as the Arm ARM's pseudocode defines them.

use crate::fp::bf_dot_add;
use crate::fpu::{fmt_of, S};
use crate::insn::*;
use crate::interp::Ctx;
use crate::simd::{lane, set_lane};

fn byte(v: u128, i: usize, signed: bool) -> i64 {
    let b = lane(v, 0, i);
    if signed {
        b as u8 as i8 as i64
    } else {
        b as i64
    }
}

/// SDOT/UDOT/USDOT/SUDOT/BFDOT, vector or by element.
pub(crate) fn dot(c: &mut Ctx, kind: DotKind, q: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg) {
    let (n, m, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let lanes = if q { 4 } else { 2 };
    let mut r = 0u128;
    for e in 0..lanes {
        // The 32-bit group of Rm this lane multiplies by.
        let g = index.map_or(e, |i| i as usize);
        let acc = lane(d, 2, e);
        let v = if kind == DotKind::Bfdot {
            bf_dot_add(acc as u32, lane(n, 2, e) as u32, lane(m, 2, g) as u32) as u64
        } else {
            let (sn, sm) = match kind {
                DotKind::Sdot => (true, true),
                DotKind::Udot => (false, false),
                DotKind::Usdot => (false, true),
                _ => (true, false),
            };
            let mut s = acc as u32;
            for i in 0..4 {
                s = s.wrapping_add((byte(n, 4 * e + i, sn) * byte(m, 4 * g + i, sm)) as u32);
            }
            s as u64
        };
        set_lane(&mut r, 2, e, v);
    }
    c.set_vq(rd, q, r);
}

/// SMMLA/UMMLA/USMMLA/BFMMLA.
pub(crate) fn mmla(c: &mut Ctx, kind: MmlaKind, rd: VReg, rn: VReg, rm: VReg) {
    let (n, m, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let mut r = 0u128;
    for i in 0..2 {
        for j in 0..2 {
            let acc = lane(d, 2, 2 * i + j);
            let v = if kind == MmlaKind::Bfmmla {
                let mut s = acc as u32;
                for k in 0..2 {
                    s = bf_dot_add(s, lane(n, 2, 2 * i + k) as u32, lane(m, 2, 2 * j + k) as u32);
                }
                s as u64
            } else {
                let (sn, sm) = match kind {
                    MmlaKind::Smmla => (true, true),
                    MmlaKind::Ummla => (false, false),
                    _ => (false, true),
                };
                let mut s = acc as u32;
                for k in 0..8 {
                    s = s.wrapping_add((byte(n, 8 * i + k, sn) * byte(m, 8 * j + k, sm)) as u32);
                }
                s as u64
            };
            set_lane(&mut r, 2, 2 * i + j, v);
        }
    }
    c.set_v(rd, r);
}

/// BFMLALB/BFMLALT: the even (odd for `top`) BFloat16 lanes widened exactly and fused
/// into the single-precision lanes with FPMulAdd (FPCR rounding, flags).
pub(crate) fn bfmlal(c: &mut Ctx, top: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg) {
    let (n, m, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let sel = top as usize;
    let mut r = 0u128;
    for e in 0..4 {
        let a = lane(n, 1, 2 * e + sel) << 16;
        let b = lane(m, 1, index.map_or(2 * e + sel, |i| i as usize)) << 16;
        let v = c.fpu().mul_add(S, lane(d, 2, e), a, b);
        set_lane(&mut r, 2, e, v);
    }
    c.set_v(rd, r);
}

/// FMLAL/FMLSL (and the `2` forms): half-precision products added to single-precision
/// lanes with one rounding (FPMulAddH).
#[allow(clippy::too_many_arguments)]
pub(crate) fn fmlal(c: &mut Ctx, sub: bool, upper: bool, q: bool, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg) {
    let (n, m, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let lanes = if q { 4 } else { 2 };
    let part = if upper { lanes } else { 0 };
    let mut r = 0u128;
    for e in 0..lanes {
        let a = lane(n, 1, part + e);
        let a = if sub { a ^ 0x8000 } else { a };
        let b = lane(m, 1, index.map_or(part + e, |i| i as usize));
        let v = c.fpu().mul_add_h(lane(d, 2, e), a, b);
        set_lane(&mut r, 2, e, v);
    }
    c.set_vq(rd, q, r);
}

/// FCMLA, vector or by element.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fcmla(c: &mut Ctx, q: bool, size: u8, rot: u8, index: Option<u8>, rd: VReg, rn: VReg, rm: VReg) {
    let f = fmt_of(size);
    let (n, m, d) = (c.vr(rn), c.vr(rm), c.vr(rd));
    let pairs = (if q { 16 } else { 8 } >> size) / 2;
    let mut r = 0u128;
    for e in 0..pairs {
        let p = index.map_or(e, |i| i as usize);
        let (m_re, m_im) = (lane(m, size, 2 * p), lane(m, size, 2 * p + 1));
        let (n_re, n_im) = (lane(n, size, 2 * e), lane(n, size, 2 * e + 1));
        // (element1, element2, element3, element4) of the Arm ARM.
        let (e1, e2, e3, e4) = match rot {
            0 => (m_re, n_re, m_im, n_re),
            1 => (f.neg(m_im), n_im, m_re, n_im),
            2 => (f.neg(m_re), n_re, f.neg(m_im), n_re),
            _ => (m_im, n_im, f.neg(m_re), n_im),
        };
        let lo = c.fpu().mul_add(f, lane(d, size, 2 * e), e2, e1);
        let hi = c.fpu().mul_add(f, lane(d, size, 2 * e + 1), e4, e3);
        set_lane(&mut r, size, 2 * e, lo);
        set_lane(&mut r, size, 2 * e + 1, hi);
    }
    c.set_vq(rd, q, r);
}

/// FCADD.
pub(crate) fn fcadd(c: &mut Ctx, q: bool, size: u8, rot270: bool, rd: VReg, rn: VReg, rm: VReg) {
    let f = fmt_of(size);
    let (n, m) = (c.vr(rn), c.vr(rm));
    let pairs = (if q { 16 } else { 8 } >> size) / 2;
    let mut r = 0u128;
    for e in 0..pairs {
        let (m_re, m_im) = (lane(m, size, 2 * e), lane(m, size, 2 * e + 1));
        let (e1, e3) = if rot270 { (m_im, f.neg(m_re)) } else { (f.neg(m_im), m_re) };
        let lo = c.fpu().add(f, lane(n, size, 2 * e), e1);
        let hi = c.fpu().add(f, lane(n, size, 2 * e + 1), e3);
        set_lane(&mut r, size, 2 * e, lo);
        set_lane(&mut r, size, 2 * e + 1, hi);
    }
    c.set_vq(rd, q, r);
}
