//! AdvSIMD element semantics: every element-wise operation of the vector instructions and
//! their scalar twins, with FPSR effects (QC for saturation, the IEEE flags of FP
//! operations in the guest's rounding mode), plus the two-register-misc and
//! shift-by-immediate instructions as a whole and the scalar instruction forms.
//!
//! An operation on one element is the same function whether it runs in a vector lane or
//! as a scalar instruction, so the scalar forms cannot drift from the vector ones. FP
//! elements go through `fp.rs` and the software FP unit of `fpu.rs` (rounding mode, NaN
//! rules, FZ/FZ16/DN and exact flags), like the scalar FP instructions.

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
    if let Some(r) = crate::fp::elem3(c, op, size, a, b, d) {
        return r;
    }
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
        VOp3::Sqrdmlah | VOp3::Sqrdmlsh => {
            // (d << esize) +/- 2 * a * b, rounded, high half saturated.
            let p = 2 * sa * sb;
            let acc = (sext(d, size) as i128) << bits;
            let v = if op == VOp3::Sqrdmlah { acc + p } else { acc - p } + (1i128 << (bits - 1));
            satq(c, v >> bits, bits, false)
        }
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
        _ => crate::simd::v3_lane(op, size, a, b, d) & m,
    }
}

/// One element of a two-register-misc operation that is not narrowing or pairwise.
pub(crate) fn elem2(c: &mut Ctx, op: VOp2, size: u8, a: u64, d: u64) -> u64 {
    if let Some(r) = crate::fp::elem2(c, op, size, a) {
        return r;
    }
    let bits = 8u32 << size;
    let sa = sext(a, size) as i128;
    let m = emask(size);
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
        VOp2::Sqabs => satq(c, sa.abs(), bits, false),
        VOp2::Sqneg => satq(c, -sa, bits, false),
        VOp2::Suqadd => satq(c, sext(d, size) as i128 + a as i128, bits, false),
        VOp2::Usqadd => satq(c, d as i128 + sa, bits, true),
        VOp2::Urecpe => {
            if a & (1 << 31) == 0 {
                0xffff_ffff
            } else {
                crate::fpu::recip_estimate((a >> 23) & 0x1ff) << 23
            }
        }
        VOp2::Ursqrte => {
            if a >> 30 & 3 == 0 {
                0xffff_ffff
            } else {
                crate::fpu::recip_sqrt_estimate((a >> 23) & 0x1ff) << 23
            }
        }
        _ => 0,
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
        VOp2::Fcvtn | VOp2::Fcvtxn => crate::fp::narrow(c, op, size, x),
        _ => x & emask(size),
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
        VOp2::Bfcvtn => {
            crate::fp::bfcvtn(c, q, rd, rn);
            return;
        }
        VOp2::Fcvtl => {
            let cnt = 8 >> size;
            let off = if q { cnt } else { 0 };
            for i in 0..cnt {
                set_lane(&mut r, size + 1, i, crate::fp::widen(c, size, lane(a, size, i + off)));
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
        VShiftOp::Scvtf | VShiftOp::Ucvtf | VShiftOp::Fcvtzs | VShiftOp::Fcvtzu => crate::fp::fixed_elem(c, op, size, sh, x),
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
        VElemOp::Sqrdmlah => VOp3::Sqrdmlah,
        VElemOp::Sqrdmlsh => VOp3::Sqrdmlsh,
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
        _ => return false,
    }
    true
}
