//! Execution of AdvSIMD instructions and the dispatch of the scalar FP ones (the part of
//! the interpreter that works on the V registers). FP arithmetic, scalar and per lane, is
//! in `fp.rs` on the software FP unit of `fpu.rs`; integer element operations are here and
//! in `advsimd.rs`.

use crate::insn::*;
use crate::interp::{illegal, Ctx, Flow};

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

pub(crate) use crate::fpu::QC;

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
    if crate::fp::exec_scalar(c, inst) {
        return Flow::Next;
    }
    match *inst {
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
        Inst::VReduce { op: op @ (VReduce::Fmaxv | VReduce::Fminv | VReduce::Fmaxnmv | VReduce::Fminnmv), q, size, rd, rn } => {
            let r = crate::fp::reduce(c, op, size, lanes(q, size), c.vr(rn));
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
                0 | 1 | 4 | 5 | 6 => full,
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
        Inst::Dot { kind, q, index, rd, rn, rm } => crate::ext::dot(c, kind, q, index, rd, rn, rm),
        Inst::Mmla { kind, rd, rn, rm } => crate::ext::mmla(c, kind, rd, rn, rm),
        Inst::Bfmlal { top, index, rd, rn, rm } => crate::ext::bfmlal(c, top, index, rd, rn, rm),
        Inst::Fmlal { sub, upper, q, index, rd, rn, rm } => crate::ext::fmlal(c, sub, upper, q, index, rd, rn, rm),
        Inst::Fcmla { q, size, rot, index, rd, rn, rm } => crate::ext::fcmla(c, q, size, rot, index, rd, rn, rm),
        Inst::Fcadd { q, size, rot270, rd, rn, rm } => crate::ext::fcadd(c, q, size, rot270, rd, rn, rm),
        Inst::Crypto { op, rd, rn, rm, ra, imm } => {
            let r = crate::crypto::ext(op, c.vr(rd), c.vr(rn), c.vr(rm), c.vr(ra), imm);
            c.set_v(rd, r);
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
